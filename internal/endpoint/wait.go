package endpoint

import (
	"context"
	"runtime"
	"slices"
	"time"

	"github.com/handoff-go/handoff/ownership"
)

// Condition is what a waiter waits for: Ready reports done once the wait
// is over, with the error to return (nil when the awaited thing
// happened, or a closed-channel error).
type Condition interface {
	Ready() (done bool, err error)
}

// Sleeper is where a wait sleeps: the Parker (or, for a Selector, the
// Parkers) the waiter announces itself on, the channel its wakers send a
// token to, the owners parked while it sleeps, the counters of waits and
// parks, and the Spinner that decides whether to yield first (nil: never).
//
// An endpoint's Sleeper (SleeperOf) is built for each wait, on the
// waiter's stack, from pointers into the endpoint's own structures: the
// endpoint keeps only its Spinner (4 bytes, where a Sleeper kept in it
// cost 48), and a wait touches no other allocation (after a wake-up,
// every line it touches is likely cold). A Selector's (Add) keeps its
// lists apart, made when it is built.
type Sleeper struct {
	park    *Parker
	stats   *WaitStats
	owner   *ownership.Owner // nil: none
	set     *sleepSet        // a Selector's; nil for an endpoint's
	spinner *Spinner         // nil: park at once (see Spinner)
}

// sleepSet is a Selector's Sleeper: the distinct Parkers, counters and
// owners of its cases, the selector's own token channel, and its Spinner.
type sleepSet struct {
	parkers []*Parker
	stats   []*WaitStats
	owners  []*ownership.Owner
	wake    chan struct{}
	spinner Spinner
}

// SleeperOf returns the Sleeper of one wait of an endpoint: its Parker,
// its counters, its owner (nil: none) and its Spinner (nil: the wait
// parks at once, without a yield).
func SleeperOf(p *Parker, st *WaitStats, o *ownership.Owner, spin *Spinner) Sleeper {
	return Sleeper{park: p, stats: st, owner: o, spinner: spin}
}

// Add adds one endpoint to a Selector's Sleeper, whose wakers send their
// tokens to wake: its Parker and counters, unless an earlier Add had them,
// and its owner (nil: none), unless an earlier Add had it. A Selector's
// waits may yield once before they park (its Spinner decides).
func (s *Sleeper) Add(wake chan struct{}, p *Parker, st *WaitStats, o *ownership.Owner) {
	if s.set == nil {
		s.set = &sleepSet{wake: wake}
		s.spinner = &s.set.spinner
	}
	if !slices.Contains(s.set.parkers, p) {
		s.set.parkers = append(s.set.parkers, p)
		s.set.stats = append(s.set.stats, st)
	}
	if o != nil && !slices.Contains(s.set.owners, o) {
		s.set.owners = append(s.set.owners, o)
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
	if s.set != nil {
		return awaitSet(ctx, c, s)
	}
	s.stats.Waits.Add(1)
	if s.spinner != nil && s.spinner.Yield() {
		if done, err := c.Ready(); done {
			return err
		}
	}
	for {
		s.park.Prepare(nil)
		if done, err := c.Ready(); done {
			s.park.Cancel()
			return err
		}
		s.stats.Parks.Add(1)
		serr := sleepOn(ctx, s.park.Chan(), s.owner)
		s.park.Cancel()
		if done, err := c.Ready(); done {
			return err
		}
		if serr != nil {
			return serr
		}
	}
}

// awaitSet is Await for a Selector: the same steps, on every Parker of
// the set, with the tokens going to the selector's own channel.
func awaitSet[C Condition](ctx context.Context, c C, s *Sleeper) error {
	countWait(s.set)
	return awaitSetCounted(ctx, c, s)
}

// countWait counts one wait on every distinct endpoint of a Selector's set.
func countWait(set *sleepSet) {
	for _, st := range set.stats {
		st.Waits.Add(1)
	}
}

// awaitSetCounted is awaitSet once its wait is counted.
func awaitSetCounted[C Condition](ctx context.Context, c C, s *Sleeper) error {
	set := s.set
	if s.spinner != nil && s.spinner.Yield() {
		if done, err := c.Ready(); done {
			return err
		}
	}
	for {
		for _, p := range set.parkers {
			p.Prepare(&set.wake)
		}
		if done, err := c.Ready(); done {
			for _, p := range set.parkers {
				p.Cancel()
			}
			return err
		}
		for _, st := range set.stats {
			st.Parks.Add(1)
		}
		serr := sleepOnAll(ctx, set.wake, set.owners)
		for _, p := range set.parkers {
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
// ctx.Err() in the latter case. The owner, if any, is parked while it
// blocks.
//
// A context that can never be done (context.Background: every Send and
// Recv) has a nil Done channel, and then the sleep is a plain channel
// receive: one lock and a gopark, where a select over the token and a nil
// Done costs the select machinery on top (sorting, locking and queueing
// on every case it keeps). Measured on the 2-vCPU AMD EPYC VM (loaded),
// one run each: the prime sieve below 5,000 at capacity 1 and GOMAXPROCS
// 1 went from 598 to 442 ms, a ping-pong round trip from 3.0 to 2.4 µs,
// with the yield off in both. A cancellable context keeps the select:
// turning its Done into a token instead (context.AfterFunc) would
// allocate and take the context's lock at every wait.
func sleepOn(ctx context.Context, ch chan struct{}, owner *ownership.Owner) error {
	if owner != nil {
		owner.Park()
	}
	err := sleep(ctx, ch)
	if owner != nil {
		owner.Unpark()
	}
	return err
}

// sleepOnAll is sleepOn with several owners (a Selector's).
func sleepOnAll(ctx context.Context, ch chan struct{}, owners []*ownership.Owner) error {
	for _, o := range owners {
		o.Park()
	}
	err := sleep(ctx, ch)
	for _, o := range owners {
		o.Unpark()
	}
	return err
}

// sleep blocks on ch until a token arrives or ctx is done.
func sleep(ctx context.Context, ch chan struct{}) error {
	done := ctx.Done()
	if done == nil {
		<-ch
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-done:
		return ctx.Err()
	}
}

// Spinner decides whether a waiter yields once before it parks.
//
// A yield (runtime.Gosched) lets whatever this P has queued run before the
// waiter looks again. When the goroutine the waiter waits for is runnable
// on this P (typically: this goroutine has just woken it, and the runtime
// put it in this P's runnext), the yield hands it the P, it produces what
// the waiter needs and, if it then waits for this goroutine, finds it not
// parked: neither side parks nor wakes the other. A ping-pong round trip
// (AMD EPYC, 2 vCPUs, loaded; 7 runs interleaved with chan) took 1.54x
// chan's time without the yield and 1.22x with it at GOMAXPROCS 1, 1.69x
// and 0.9-1.0x at GOMAXPROCS 2. The bare protocol with a yield (two boxes,
// no ring, no endpoint) is 0.6x chan's; the rest is the endpoints' own
// work around it.
//
// But a yielding goroutine goes to the back of the global run queue. When
// the scheduler has other work (a prime sieve of hundreds of filters, a
// pipeline of a thousand stages), the yield comes back only after all of
// it, and the waiter has paid a trip through the queue on top of the park
// it still needs: the sieve below 3,000 at capacity 1 and GOMAXPROCS 1
// made 95,000 parks and 101,000 yields with a yield before every park, and
// 82,000 parks and 22,000 yields with this Spinner (gopark and Gosched
// counted with uprobes); below 20,000 the earlier loop, which yielded
// before every park, took 13.4 s, and the same loop with no yield (and a
// plain receive) 6.0 s (chan: 1.4 s). So the Spinner times its
// yields and stops yielding when one took longer than slowYield: the next
// 2, 4, ... up to 1024 waits park at once, and a fast yield resets that.
// It times one yield in yieldSample, because reading the clock is not free
// on this VM (two time.Now calls: 140-165 ns).
//
// Spinning (polling the condition without yielding) before the park was
// measured too, with the bare protocol at GOMAXPROCS 2: 100 polls made a
// round trip 550-790 ns, 1,000 polls 2.2-3.6 µs, against 220-750 ns for
// the yield alone and 530-560 ns for chan. The partner the waiter polls for
// is often the goroutine it has just woken, queued on this very P, which a
// spinning waiter keeps from running; and a cache line crossing between
// the two vCPUs costs 220-270 ns here (a spinning ping-pong of two atomics:
// 440-540 ns a round trip), so a spin wins nothing even when the partner
// runs on the other P. So there is no spin, and a blocked goroutine burns
// no CPU beyond one yield.
//
// A Spinner is 4 bytes (skip is at most 1<<maxBackoff), so that it fits
// beside an endpoint's flags in a word: every byte of an endpoint counts
// against a small channel's cost to make.
type Spinner struct {
	skip uint16 // waits that park at once before the next yield is tried
	slow uint8  // consecutive slow timed yields: the backoff's exponent
	n    uint8  // yields since the last timed one
}

const (
	yieldSample = 8
	slowYield   = 10 * time.Microsecond
	maxBackoff  = 10 // skip <= 1<<maxBackoff fits its uint16
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
