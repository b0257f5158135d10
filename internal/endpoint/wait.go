package endpoint

import (
	"context"
	"runtime"

	"github.com/handoff-go/handoff/ownership"
)

// Condition is what a waiter waits for: Ready reports done once the wait
// is over, with the error to return (nil when the awaited thing
// happened, or a closed-channel error).
type Condition interface {
	Ready() (done bool, err error)
}

// Sleeper is where a wait sleeps: the Parkers the waiter announces itself
// on (one for an endpoint, one per receiver for a Selector), the channel
// their wakers send a token to (nil: the single Parker's own), the owners
// parked while it sleeps, and the counters of waits and parks.
type Sleeper struct {
	Parkers []*Parker
	Wake    chan struct{}
	Owners  []*ownership.Owner
	Stats   []*Stats
	// Spin: yield once and re-check before the first park (see Spinner).
	Spin bool
}

// Await is the one wait loop of the channel: every blocking send, receive
// and select waits here, until c is ready or ctx is done. It counts one
// wait, then: re-check; yield once (Spinner) if s.Spin; announce on every
// Parker (Prepare), re-check, and sleep until a waker's token, or withdraw
// (Cancel) if the re-check found c ready. The announce-before-re-check
// order is what makes a lost wake-up impossible (see Parker). While it
// sleeps the owners are parked: the goroutine is at a preemption point,
// and thieves do not wait for it.
//
// C is a type parameter, not an interface value, so that a Condition kept
// on the caller's stack is not boxed: a wait allocates nothing.
func Await[C Condition](ctx context.Context, c C, s *Sleeper) error {
	for _, st := range s.Stats {
		st.Waits.Add(1)
	}
	wake := s.Wake
	if wake == nil {
		wake = s.Parkers[0].own
	}
	var spin Spinner
	for {
		if done, err := c.Ready(); done {
			return err
		}
		if s.Spin && spin.Spin() {
			continue
		}
		for _, p := range s.Parkers {
			p.Prepare(wake)
		}
		if done, err := c.Ready(); done {
			for _, p := range s.Parkers {
				p.Cancel()
			}
			drain(wake)
			return err
		}
		for _, st := range s.Stats {
			st.Parks.Add(1)
		}
		if err := sleepOn(ctx, wake, s.Owners, s.Parkers); err != nil {
			return err
		}
		spin.Reset()
	}
}

// sleepOn blocks on ch until a token arrives or ctx is done, then cancels
// every parker in ps: a token may be a stray one from an earlier wait, in
// which case no waker has moved the parker out of waiting, and the next
// Prepare must not write p.wake while a waker could still read it. It
// drains a token that raced in (see Parker), and returns ctx.Err() if ctx
// ended the sleep. The owners are parked while it blocks.
func sleepOn(ctx context.Context, ch chan struct{}, owners []*ownership.Owner, ps []*Parker) error {
	for _, o := range owners {
		o.Park()
	}
	var err error
	select {
	case <-ch:
	case <-ctx.Done():
		err = ctx.Err()
	}
	for _, p := range ps {
		p.Cancel()
	}
	drain(ch)
	for _, o := range owners {
		o.Unpark()
	}
	return err
}

// drain drops a token left in ch. After every Parker pointing at ch was
// cancelled no waker sends to it any more, so it stays drained.
func drain(ch chan struct{}) {
	select {
	case <-ch:
	default:
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
//     receiver rarely waits at all (see the receiver's slip). Parking right away without
//     the yield was as slow as spinning.
//
// A blocked goroutine therefore burns no CPU beyond one yield.
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

