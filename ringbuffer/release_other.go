//go:build !(amd64 || arm64) || race

package ringbuffer

import "sync/atomic"

// storeRelease stores v at *p with (at least) release semantics: here a
// sync/atomic Store, which is sequentially consistent. It is used on
// every architecture without a release_GOARCH.s, and under the race
// detector, which sees the happens-before edge of an atomic Store but not
// of an assembly store. See release_asm.go.
func storeRelease(p *uint64, v uint64) { atomic.StoreUint64(p, v) }
