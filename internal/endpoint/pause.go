package endpoint

import "sync/atomic"

// pauseSink keeps the pause loop from being optimised away.
var pauseSink uint32

// Pause burns about n cheap iterations (about 1.2 ns each on the 2-core
// AMD EPYC VM) without touching shared memory: the delay of a "slip", an
// endpoint that waits a moment before it reloads the other side's index
// so that the other side can publish (receiver) or free (sender) a run of
// slots that one reload then takes. See receiver's slip and sender's
// crowded.
//
//go:noinline
func Pause(n int) {
	x := uint32(n)
	for i := 0; i < n; i++ {
		x = x*1664525 + 1013904223
	}
	if x == 0 {
		atomic.StoreUint32(&pauseSink, x)
	}
}
