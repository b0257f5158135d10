//go:build !linux

package ringbuffer

// barrierRegistered: outside Linux there is no membarrier(2), so a ring
// whose release publish would need it keeps sync/atomic's Store.
func barrierRegistered() bool { return false }

// processBarrier is never called outside Linux (barrierRegistered is
// false).
func processBarrier() { panic("ringbuffer: no process barrier on this system") }
