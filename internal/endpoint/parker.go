package endpoint

import (
	"context"
	"runtime"
	"sync/atomic"

	"github.com/handoff-go/handoff/ownership"
	"golang.org/x/sys/cpu"
)

// Parker is the place where one endpoint's goroutine sleeps while it waits
// for the other side (for an item, for a free slot, or for a close). An
// endpoint has one goroutine at a time, so a Parker has at most one
// waiter; a waker is any goroutine that made the waiter's condition true.
//
// Invariants (the "announce, re-check, sleep" order):
//
//		waiter: wake = ch; state: idle -> waiting; re-check the condition; sleep on ch
//		waker:  make the condition true; if state == waiting && CAS(waiting -> waking) {
//		            non-blocking send on wake; state: waking -> idle }
//
//	  - No lost wake-up. Go's atomic operations are sequentially
//	    consistent, so of the waiter's store of waiting followed by its
//	    re-check, and the waker's condition store followed by its load of
//	    state, at least one side sees the other's write: either the re-check
//	    finds the condition true and the waiter does not sleep, or the waker
//	    sees waiting and sends a token.
//	  - wake is written by the waiter only while state is idle, before the
//	    store of waiting, and read by a waker only after its CAS from
//	    waiting succeeded: the store/CAS pair orders the write before the
//	    read, so the field needs no atomics. This is what lets a selector
//	    point several Parkers at one channel of its own (see Select).
//	  - A waker holds state at waking only for one non-blocking channel
//	    send, so a waiter that finds waking (in Prepare or Cancel) waits a
//	    bounded number of the waker's steps for idle.
//	  - The token channel has a buffer of one, so the waker never blocks.
//	    After Cancel returns no waker will send any more, so a waiter can
//	    drain a stray token and know it stays drained.
//	  - Every wait ends in Cancel, also one ended by a token: the token may
//	    be a stray from an earlier wait, sent before that wait's Cancel, and
//	    then state is still waiting and a waker may be about to read wake.
//	    Cancel brings state back to idle before the next Prepare writes
//	    wake. (Found by the race detector in the fan-in tests.)
//
// When nobody waits, Wake costs one atomic load of a line that only
// changes when the waiter parks.
type Parker struct {
	// Padding: state is written by the waiter and read by the other
	// endpoint on every publish; it gets its own cache line so those reads
	// do not collide with either endpoint's own fields.
	_     cpu.CacheLinePad
	state atomic.Uint32
	wake  chan struct{} // where the next token goes; see the invariants
	own   chan struct{} // the endpoint's own token channel
	_     cpu.CacheLinePad
}

const (
	parkIdle uint32 = iota
	parkWaiting
	parkWaking
)

// Init gives the Parker its own token channel; call it once before use.
func (p *Parker) Init() {
	p.own = make(chan struct{}, 1)
	p.wake = p.own
}

// Wake wakes the waiter, if there is one. Call it after making the
// waiter's condition true.
func (p *Parker) Wake() {
	if p.state.Load() == parkWaiting { // pairs with Prepare's store: see the invariants
		p.wakeSlow()
	}
}

func (p *Parker) wakeSlow() {
	if p.state.CompareAndSwap(parkWaiting, parkWaking) { // acquire: p.wake as written by the waiter
		select {
		case p.wake <- struct{}{}: // the token's send happens before the waiter's receive of it
		default: // a token is already pending: the waiter returns anyway
		}
		p.state.Store(parkIdle)
	}
}

// Prepare announces that the caller is about to sleep, with tokens going
// to ch (nil: the Parker's own channel). The caller must check its
// condition once more after Prepare, then either sleep on ch or Cancel.
func (p *Parker) Prepare(ch chan struct{}) {
	for p.state.Load() == parkWaking {
		// A waker from an earlier wait is still sending; wait for its few
		// steps so that its store of idle cannot overwrite ours.
		runtime.Gosched()
	}
	if ch == nil {
		ch = p.own
	}
	p.wake = ch                // plain: published by the store below
	p.state.Store(parkWaiting) // release for p.wake; sequentially consistent for the re-check
}

// Cancel withdraws a Prepare. When it returns, no waker will send a token
// for that Prepare any more (one may already be in the channel).
func (p *Parker) Cancel() {
	if p.state.CompareAndSwap(parkWaiting, parkIdle) {
		return
	}
	for p.state.Load() != parkIdle {
		runtime.Gosched() // a waker is between its CAS and its store: bounded
	}
}

// Sleep blocks on the Parker's own channel until a Wake or until ctx is
// done, and returns ctx.Err() in the latter case. Call it after Prepare(nil)
// and a re-check. While it blocks, owner (if not nil) is parked: the
// goroutine is at a preemption point for the whole sleep, so a thief
// stealing from owner does not wait for it.
func (p *Parker) Sleep(ctx context.Context, owner *ownership.Owner) error {
	return SleepOn(ctx, p.own, owner, p)
}

// SleepOn blocks on ch until a token arrives or ctx is done, then cancels
// every parker in ps: a token may be a stray one from an earlier wait, in
// which case no waker has moved the parker out of waiting, and the next
// Prepare must not write p.wake while a waker could still read it. On ctx
// done it also drains a token that raced in, and returns ctx.Err(). owner
// (if not nil) is parked while it blocks.
func SleepOn(ctx context.Context, ch chan struct{}, owner *ownership.Owner, ps ...*Parker) error {
	if owner != nil {
		owner.Park()
		defer owner.Unpark()
	}
	select {
	case <-ch:
		for _, p := range ps {
			p.Cancel()
		}
		return nil
	case <-ctx.Done():
		for _, p := range ps {
			p.Cancel()
		}
		select {
		case <-ch: // a wake that raced with the cancellation: drop it
		default:
		}
		return ctx.Err()
	}
}

// Spinner decides how long a waiter polls before it parks: one
// runtime.Gosched, one more re-check, then parking. That is the whole
// spin, and it was measured, on the 2-core VM this library is developed on
// (see BENCHMARKS.md), against longer schedules:
//
//   - Yielding first matters most. When this goroutine has just woken its
//     partner (a send to a parked receiver), the runtime queued the
//     partner on this P (runnext), and it runs only once this goroutine
//     gives up the P: a ping-pong round trip went from ~10µs (spin first)
//     to ~500ns, on par with chan, whose blocked goroutines hand over the
//     P the same way.
//   - Spinning on after the yield lost everywhere it was tried: a
//     cross-core cache-line round trip costs several hundred nanoseconds
//     on this VM, so polling the other side's index (even with growing
//     pauses, ~2µs in all) made ping-pong ~2× slower than parking, and
//     streaming (1→1, batches) gained nothing, because a streaming
//     receiver rarely waits at all (see Slip). Parking right away without
//     the yield was as slow as spinning.
//
// The result is also what the brief asks of a blocked goroutine: it burns
// no CPU beyond one yield.
type Spinner struct {
	n int
}

// Spin reports whether the caller should re-check its condition once more
// (true) or park now (false).
func (s *Spinner) Spin() bool {
	if s.n > 0 {
		return false
	}
	s.n++
	runtime.Gosched()
	return true
}

// Reset starts a fresh spin after a wake-up.
func (s *Spinner) Reset() { s.n = 0 }

// pauseSink keeps the pause loop from being optimised away.
var pauseSink uint32

// pause burns about n cheap iterations without touching shared memory.
//
//go:noinline
func pause(n int) {
	x := uint32(n)
	for i := 0; i < n; i++ {
		x = x*1664525 + 1013904223
	}
	if x == 0 {
		atomic.StoreUint32(&pauseSink, x)
	}
}

// slipPause is Slip's pause, in pause iterations (about 300ns here).
const slipPause = 256

// Slip delays an endpoint that is about to reload the other side's index
// while the two stream items to each other. When a consumer keeps up with
// its producer, every reload of the producer's index pulls that index's
// cache line over, and the producer's next publish (an atomic store, a
// locked instruction on amd64) stalls until it gets the line back: each
// item then costs a cache-line round trip. Waiting a moment before the
// reload, without touching shared memory, lets the producer publish a run
// of items that the consumer then takes with one reload ("temporal
// slipping", as in FastForward and B-Queue). Measured on the 2-core VM:
// a bare ring moved items at ~100ns each without it and ~30ns with it. It
// is applied only while the other side is streaming (the previous reload
// found more than one item), so a ping-pong never pays it.
func Slip() { pause(slipPause) }
