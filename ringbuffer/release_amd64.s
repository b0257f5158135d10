//go:build !race

#include "textflag.h"

// func storeRelease(p *uint64, v uint64)
//
// A plain MOVQ: in x86-TSO every store is a release store (see
// release_asm.go).
TEXT ·storeRelease(SB), NOSPLIT, $0-16
	MOVQ p+0(FP), AX
	MOVQ v+8(FP), BX
	MOVQ BX, 0(AX)
	RET
