package endpoint

import (
	"sync/atomic"
)

// Parker is the place where one endpoint's goroutine sleeps while it waits
// for the other side (for an item, for a free slot, or for a close). An
// endpoint has one goroutine at a time, so a Parker has at most one
// waiter; a waker is any goroutine that made the waiter's condition true.
// The zero value is ready to use.
//
// Invariants (the "announce, re-check, sleep" order):
//
//		waiter: target = ch; state: idle -> waiting; re-check the condition; sleep on ch
//		waker:  make the condition true; if state == waiting && CAS(waiting -> idle) {
//		            non-blocking send of a token on *target }
//
//	  - No lost wake-up. Go's atomic operations are sequentially
//	    consistent, so of the waiter's store of waiting followed by its
//	    re-check, and the waker's condition store followed by its load of
//	    state, at least one side sees the other's write: either the re-check
//	    finds the condition true and the waiter does not sleep, or the waker
//	    sees waiting, wins the CAS and sends a token.
//	  - One token per announcement: only the waker whose CAS moves state
//	    from waiting to idle sends, so however many wakers there are, a
//	    Prepare gets at most one token, and the waiter's sleep costs the
//	    wakers one CAS in all.
//	  - The token channel has a buffer of one and the send does not block,
//	    so a waker never waits for the waiter.
//	  - A token can arrive late: the waker that won the CAS sends after it,
//	    and meanwhile the waiter may have found its condition true, returned,
//	    and begun another wait (on the same channel, or, for a Selector, on
//	    another one). Such a stray token ends one later sleep early; every
//	    sleep is followed by a re-check (see Await), so it costs one turn of
//	    the wait loop and loses nothing. Allowing strays is what lets the
//	    waker go from waiting to idle in one CAS: no intermediate state that
//	    the waiter would have to wait out, and no store after the send.
//	  - target is atomic because a waker that won its CAS reads it while the
//	    waiter may already be preparing its next wait; the channel it points
//	    to is written before the first store of target that points to it
//	    (own: by the waiter, at its first Prepare; a Selector's: when it is
//	    built), and never changes after.
//
// When nobody waits, Wake costs one atomic load of state, a word that only
// changes when the waiter announces or a waker wins.
//
// Why two states and strays (issue 12; AMD EPYC, 2 vCPUs, a loaded VM): the
// earlier protocol had a third state, waking, which the waker held across
// its send and left with a store, so that no stray could exist; the waiter
// waited it out in Prepare and Cancel. A ping-pong of the bare protocols
// (two boxes, a token channel each, GOMAXPROCS 1 and 2, three runs
// interleaved) took 750-990 ns a round trip with the waking state and
// 610-770 ns without (a chan ping-pong: 500-640 ns in the same runs): one
// locked store less per wake, and no waiter spinning on a waker. There is
// no padding either: the Parker lives in the State's first cache line (the
// receiver's) or in its lane (a sender's), which is written only when
// someone waits (see State).
type Parker struct {
	state  atomic.Uint32
	target atomic.Pointer[chan struct{}] // where the next token goes; see the invariants
	own    chan struct{}                 // the waiter's own token channel, made at its first Prepare
}

const (
	parkIdle uint32 = iota
	parkWaiting
)

// Wake wakes the waiter, if there is one, and reports whether it sent the
// token that does so. Call it after making the waiter's condition true.
func (p *Parker) Wake() bool {
	if p.state.Load() != parkWaiting { // pairs with Prepare's store: see the invariants
		return false
	}
	return p.wakeSlow()
}

func (p *Parker) wakeSlow() bool {
	// acquire: *target as written before the waiter's store of waiting.
	if !p.state.CompareAndSwap(parkWaiting, parkIdle) {
		return false // another waker won, or the waiter withdrew
	}
	select {
	case *p.target.Load() <- struct{}{}: // the token's send happens before the waiter's receive of it
	default: // a token is already pending: the waiter returns anyway
	}
	return true
}

// Waiting reports whether a waiter has announced itself and not been woken
// or withdrawn yet: the goroutine is asleep, or about to be.
func (p *Parker) Waiting() bool { return p.state.Load() == parkWaiting }

// Prepare announces that the caller is about to sleep, with tokens going
// to *ch (nil: the Parker's own channel, made on first use). The caller
// must check its condition once more after Prepare, then either sleep on
// the channel (Chan returns the Parker's own) or Cancel.
func (p *Parker) Prepare(ch *chan struct{}) {
	if ch == nil {
		if p.own == nil {
			p.own = make(chan struct{}, 1) // before the stores below: see the invariants
		}
		ch = &p.own
	}
	if p.target.Load() != ch {
		p.target.Store(ch) // only when a Selector's wait alternates with the endpoint's own
	}
	p.state.Store(parkWaiting) // sequentially consistent: ordered before the re-check's loads
}

// Chan returns the Parker's own token channel (nil before the first
// Prepare(nil)). Waiter only.
func (p *Parker) Chan() chan struct{} { return p.own }

// Cancel withdraws a Prepare. After it returns no waker sends a token for
// that Prepare any more, except one that won its CAS before (a stray; see
// the invariants). Waiter only.
func (p *Parker) Cancel() {
	if p.state.Load() == parkWaiting { // after a token: already idle, one load
		p.state.CompareAndSwap(parkWaiting, parkIdle)
	}
}
