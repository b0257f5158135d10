package endpoint

import (
	"context"
	"runtime"
	"sync/atomic"

	"github.com/handoff-go/handoff/ownership"
	"golang.org/x/sys/cpu"
)

// Parker is the place where one endpoint's goroutine sleeps while it waits
// for the other endpoint (for an item, for a free slot, or for a close).
// Each endpoint has one goroutine at a time, so a Parker has at most one
// waiter.
//
// Invariants (the "announce, re-check, sleep" order):
//
//	waiter: waiting.Store(1); check the condition; sleep on wake
//	waker:  make the condition true;  if waiting.Load() == 1 && CAS(1 -> 0) { send a token on wake }
//
// Go's atomic operations are sequentially consistent, so of the waiter's
// Store(1) followed by its check, and the waker's condition store
// followed by its Load, at least one side sees the other's write: either
// the waiter's re-check finds the condition true and it does not sleep, or
// the waker sees waiting == 1 and sends a token. A wake-up can therefore
// never be lost. The token is sent on a channel with a buffer of one, so
// the waker never blocks; a token that arrives after the waiter stopped
// waiting for another reason stays in the buffer and causes at most one
// spurious return from a later Sleep, which every caller tolerates because
// it re-checks its condition in a loop.
//
// When nobody waits, Wake costs one atomic load of a line that only
// changes when the waiter parks.
type Parker struct {
	// Padding: waiting is written by one endpoint and read by the other on
	// every publish; it gets its own cache line so that those reads do not
	// collide with the endpoints' own fields.
	_       cpu.CacheLinePad
	waiting atomic.Uint32
	wake    chan struct{}
	_       cpu.CacheLinePad
}

func (p *Parker) init() { p.wake = make(chan struct{}, 1) }

// Wake wakes the waiter, if there is one. Call it after making the
// waiter's condition true.
func (p *Parker) Wake() {
	if p.waiting.Load() != 0 { // pairs with Prepare's Store: see the invariants
		p.wakeSlow()
	}
}

func (p *Parker) wakeSlow() {
	if p.waiting.CompareAndSwap(1, 0) {
		select {
		case p.wake <- struct{}{}: // the channel send/receive orders this wake before the waiter's return
		default: // a token is already pending: the waiter will return anyway
		}
	}
}

// Prepare announces that the caller is about to sleep. The caller must
// check its condition once more after Prepare and call Cancel instead of
// Sleep if the condition already holds.
func (p *Parker) Prepare() { p.waiting.Store(1) }

// Cancel withdraws a Prepare without sleeping.
func (p *Parker) Cancel() { p.waiting.Store(0) }

// Sleep blocks until a Wake or until ctx is done, and returns ctx.Err()
// in the latter case. While it blocks, owner (if not nil) is parked: the
// goroutine is at a preemption point for the whole sleep, so a thief
// stealing from owner does not wait for it.
func (p *Parker) Sleep(ctx context.Context, owner *ownership.Owner) error {
	if owner != nil {
		owner.Park()
		defer owner.Unpark()
	}
	select {
	case <-p.wake:
		return nil
	case <-ctx.Done():
		p.waiting.Store(0)
		return ctx.Err()
	}
}

// Spinner decides how long a waiter polls before it parks: a short run of
// bare re-checks (a reply often arrives within a few hundred nanoseconds
// when the other goroutine is running on another core), then a few
// runtime.Gosched calls (which let the other goroutine run when both share
// one P), then parking. The bound keeps a blocked goroutine from burning
// CPU once the other side is clearly not about to answer.
type Spinner struct {
	n      int
	single bool // GOMAXPROCS was 1 when the spin started
}

const (
	spinLoads    = 64 // iterations of bare re-checks
	spinYields   = 4  // iterations that yield the processor
	spinMaxTotal = spinLoads + spinYields
)

// Spin reports whether the caller should re-check its condition once more
// (true) or park now (false). Each call is one step of the bounded spin.
func (s *Spinner) Spin() bool {
	if s.n >= spinMaxTotal {
		return false
	}
	if s.n == 0 {
		s.single = runtime.GOMAXPROCS(0) == 1
	}
	if s.n >= spinLoads || s.single {
		// On one P a bare spin can never see the other side progress.
		runtime.Gosched()
		if s.n < spinLoads {
			s.n = spinLoads
		}
	}
	s.n++
	return true
}

// Reset starts a fresh spin after a wake-up.
func (s *Spinner) Reset() { s.n = 0 }
