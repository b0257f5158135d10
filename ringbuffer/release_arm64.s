//go:build !race

#include "textflag.h"

// func storeRelease(p *uint64, v uint64)
//
// STLR, the ARMv8 store-release (see release_asm.go).
TEXT ·storeRelease(SB), NOSPLIT, $0-16
	MOVD p+0(FP), R0
	MOVD v+8(FP), R1
	STLR R1, (R0)
	RET
