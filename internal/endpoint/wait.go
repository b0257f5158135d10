package endpoint

import (
	"context"
	"runtime"
	"time"

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
	// Spin: the waiter may yield once and re-check before it announces
	// itself (see Spinner).
	Spin    bool
	spinner Spinner
	// One endpoint's Parker, counters and owner, which the slices above
	// point to after Own: kept here, in the endpoint's own struct, so
	// that a wait touches no other allocation (after a wake-up, every
	// line it touches is likely cold).
	park  [1]*Parker
	stats [1]*Stats
	owner [1]*ownership.Owner
}

// Own sets s up for the waits of one endpoint: its Parker, its counters
// and its owner (nil: none). The Sleeper must not be copied after.
func (s *Sleeper) Own(p *Parker, st *Stats, o *ownership.Owner) {
	s.park[0], s.stats[0] = p, st
	s.Parkers, s.Stats = s.park[:], s.stats[:]
	if o != nil {
		s.owner[0] = o
		s.Owners = s.owner[:]
	}
}

// Await is the one wait loop of the channel: every blocking send, receive
// and select waits here, until c is ready or ctx is done. Call it after c
// was found not ready. It counts one wait, then: yield once and re-check
// if the Spinner says a yield is cheap; announce on every Parker
// (Prepare), re-check, and sleep until a waker's token, or withdraw
// (Cancel) if the re-check found c ready. The announce-before-re-check
// order is what makes a lost wake-up impossible (see Parker). While it
// sleeps the owners are parked: the goroutine is at a preemption point,
// and thieves do not wait for it.
//
// After a sleep, c is checked before ctx: as with a Go select that has a
// ready case, a wait whose condition came true is not failed by a context
// that ended meanwhile.
//
// C is a type parameter, not an interface value, so that a Condition kept
// on the caller's stack is not boxed: a wait allocates nothing.
func Await[C Condition](ctx context.Context, c C, s *Sleeper) error {
	for _, st := range s.Stats {
		st.Waits.Add(1)
	}
	if s.Spin && s.spinner.Yield() {
		if done, err := c.Ready(); done {
			return err
		}
	}
	var target *chan struct{}
	if s.Wake != nil {
		target = &s.Wake
	}
	for {
		for _, p := range s.Parkers {
			p.Prepare(target)
		}
		if done, err := c.Ready(); done {
			for _, p := range s.Parkers {
				p.Cancel()
			}
			return err
		}
		for _, st := range s.Stats {
			st.Parks.Add(1)
		}
		ch := s.Wake
		if ch == nil {
			ch = s.Parkers[0].Chan()
		}
		serr := sleepOn(ctx, ch, s.Owners)
		for _, p := range s.Parkers {
			p.Cancel()
		}
		if done, err := c.Ready(); done {
			return err
		}
		if serr != nil {
			return serr
		}
	}
}

// sleepOn blocks on ch until a token arrives or ctx is done, and returns
// ctx.Err() in the latter case. The owners are parked while it blocks.
//
// A context that can never be done (context.Background, the blocking
// Send and Recv) has a nil Done channel: then the sleep is a plain
// channel receive, which costs the runtime one lock and a gopark, where a
// select over two cases (one of them nil) costs the select machinery on
// top (measured: see Spinner).
func sleepOn(ctx context.Context, ch chan struct{}, owners []*ownership.Owner) error {
	for _, o := range owners {
		o.Park()
	}
	var err error
	if done := ctx.Done(); done == nil {
		<-ch
	} else {
		select {
		case <-ch:
		case <-done:
			err = ctx.Err()
		}
	}
	for _, o := range owners {
		o.Unpark()
	}
	return err
}

// Spinner decides whether a waiter yields once before it parks.
//
// A yield (runtime.Gosched) lets whatever this P has queued run before the
// waiter looks again. When the goroutine the waiter waits for is runnable
// on this P (typically: this goroutine has just woken it, and the runtime
// put it in this P's runnext), the yield hands it the P, it produces what
// the waiter needs and, if it then waits for this goroutine, finds it not
// parked: neither side parks nor wakes the other.
//
// But a yielding goroutine goes to the back of the global run queue. When
// the scheduler has other work (a pipeline of a thousand stages, a prime
// sieve of two thousand filters), the yield comes back only after all of
// it, and the waiter has paid a trip through the queue on top of the park
// it still needs. So the Spinner times its yields (one in yieldSample,
// since reading the clock is not free) and stops yielding when one took
// longer than slowYield: the next 2, 4, ... up to 1024 waits park at once,
// and a fast yield resets that.
type Spinner struct {
	skip uint32 // waits that park at once before the next yield is tried
	slow uint8  // consecutive slow timed yields: the backoff's exponent
	n    uint8  // yields since the last timed one
}

const (
	yieldSample = 8
	slowYield   = 10 * time.Microsecond
	maxBackoff  = 10
)

// Yield yields once and reports true, or reports false without yielding
// while it backs off after slow yields.
func (s *Spinner) Yield() bool {
	if s.skip > 0 {
		s.skip--
		return false
	}
	if s.n != 0 {
		s.n = (s.n + 1) % yieldSample
		runtime.Gosched()
		return true
	}
	s.n = 1
	t0 := time.Now()
	runtime.Gosched()
	if time.Since(t0) > slowYield {
		s.slow = min(s.slow+1, maxBackoff)
		s.skip = 1 << s.slow
	} else {
		s.slow = 0
	}
	return true
}
