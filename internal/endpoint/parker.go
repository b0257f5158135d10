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
// stealing from owner does not wait for it. (Await runs the whole loop;
// Sleep and SleepOn are its sleeping step, for callers that run their own.)
func (p *Parker) Sleep(ctx context.Context, owner *ownership.Owner) error {
	return SleepOn(ctx, p.own, owner, p)
}

// SleepOn blocks on ch until a token arrives or ctx is done, then cancels
// every parker in ps and drains a token that raced in (see sleepOn), and
// returns ctx.Err() if ctx ended the sleep. owner (if not nil) is parked
// while it blocks.
func SleepOn(ctx context.Context, ch chan struct{}, owner *ownership.Owner, ps ...*Parker) error {
	if owner == nil {
		return sleepOn(ctx, ch, nil, ps)
	}
	return sleepOn(ctx, ch, []*ownership.Owner{owner}, ps)
}
