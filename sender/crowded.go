package sender

import (
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ringbuffer"
)

// A crowded lane is the mirror image of the receiver's slip: the sender
// streams faster than the receiver consumes, so the ring stays nearly
// full, and every push finds its cached copy of the consumer's index
// saying "full" and reloads it, to find one or two slots freed. Each such
// reload pulls the consumer's cache line over; the consumer's next index
// publish (a locked store on amd64) then waits to get it back, and the
// sender writes into the slot the consumer has just left, on the line the
// consumer reads next. Every item then costs a cache line round trip,
// which on the 2-core AMD EPYC VM is 440-540 ns.
//
// So a blocking send whose last reload found the lane at least three
// quarters full (crowded) pauses before its next reload, without touching
// shared memory, and the reload then finds a run of free slots. The pause
// is 4 iterations of endpoint.Pause per slot of capacity, at most 4,096
// (about 5 µs): at least three quarters of the lane is queued, which the
// receiver takes longer than that to drain, so it never runs dry while
// the sender waits. Lanes smaller than 64 slots never slip (a capacity-1
// channel's every send would find the lane crowded), and neither does a
// TrySend (it must not wait).
//
// Measured on the AMD EPYC VM, first with a prototype that took the pause
// and the threshold as parameters (1->1 item by item at capacity 1,024,
// 6 alternating runs): 45.8 ns per item without it; with a pause of 1,024
// iterations 35.7 (threshold 1/16) and 34.5 ns (1/4); with 4,096, 32.3
// (1/16) and 29.0 ns (1/4), p=0.002 each; chan 69-74 ns. Then this code
// against the commit before it (channel benchmarks, 6-8 alternating
// runs): 1->1 57.8 -> 38.1 ns (p=0.01), fan-in 4->1 97.6 -> 66.2 ns
// (p<0.001), fan-in 1->1 54.2 -> 29.7 ns, fan-out 1->4 69.8 -> 52.6 ns
// (p=0.002); batches of 64, ping-pong and the ownership round unchanged;
// chan's rows unchanged. With several lanes the pause spins on a P the
// receiver might want, so it was measured with one lane only as well
// (8 alternating runs against no pause): fan-in 2->1 49.6 -> 41.3 ns
// with the pause on every lane (p=0.016), 48.9 ns with it on a single
// lane only; fan-in 4->1 no difference either way (70.1, 65.3, 58.7 ns,
// p>0.7, bimodal); so every lane pauses. Yielding (runtime.Gosched)
// instead of the pause when there are several lanes, so as not to spin on
// a P the receiver might want, was slower: fan-in 2->1 40.7 -> 48.5 ns
// (p=0.021), 4->1 52.8 -> 63.8 ns (p=0.33), 8 alternating runs.
const (
	crowdedMinCap = 64
	slipPerSlot   = 4
	maxSenderSlip = 4096
)

// slipBeforeReload is called by a blocking send before its push: it
// reports whether the push will reload the consumer's index (the cached
// copy shows no room), and pauses first if the lane was crowded at the
// last reload.
func (s *Sender[T]) slipBeforeReload(ring *ringbuffer.Ring[T]) (reloads bool) {
	if ring.Producer().CachedRoom() != 0 {
		return false
	}
	if s.crowded {
		endpoint.Pause(min(slipPerSlot*ring.Cap(), maxSenderSlip))
	}
	return true
}

// noteRoom records, after a push that reloaded the consumer's index,
// whether the lane is crowded: at least three quarters full.
func (s *Sender[T]) noteRoom(ring *ringbuffer.Ring[T]) {
	c := ring.Cap()
	s.crowded = c >= crowdedMinCap && ring.Producer().CachedRoom() < c/4
}
