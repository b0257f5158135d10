package endpoint_test

// Unit tests for Parker and Await, the announce / re-check / sleep
// protocol every blocked endpoint uses. Some tests point the Parker at
// token channels of their own (Prepare(&ch)) so that they can see every
// token a waker sends. No sleeps and no timing: the concurrent tests are
// bounded loops, and a lost wake-up shows as a waiter that never returns
// (go test's -timeout then names it).

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
)

// scaled returns n, or a tenth of it with -short.
func scaled(n int) int {
	if testing.Short() {
		return max(1, n/10)
	}
	return n
}

// A Wake with no waiter sends nothing and reports false: the waiter that
// prepares afterwards must find the condition true on its re-check, not a
// token. A Wake after Prepare sends one token and reports true.
func TestParkerWakeBeforePrepare(t *testing.T) {
	var p endpoint.Parker
	ch := make(chan struct{}, 1)
	var cond atomic.Bool

	cond.Store(true) // the waker: condition, then Wake
	if p.Wake() {
		t.Fatal("Wake with no waiter reported a wake")
	}
	p.Prepare(&ch) // the waiter: announce, re-check
	if !cond.Load() {
		t.Fatal("the re-check after Prepare missed the condition set before it")
	}
	p.Cancel()
	if len(ch) != 0 {
		t.Fatal("a Wake before Prepare left a token")
	}

	// The Parker is idle again: a later wait gets its token.
	p.Prepare(&ch)
	if !p.Waiting() {
		t.Fatal("Waiting is false after Prepare")
	}
	if !p.Wake() {
		t.Fatal("Wake after Prepare reported no wake")
	}
	if len(ch) != 1 {
		t.Fatalf("a Wake after Prepare sent %d tokens, want 1", len(ch))
	}
	if p.Waiting() {
		t.Fatal("Waiting is still true after the wake")
	}
	p.Cancel() // after a token: a no-op
}

// Prepare then Cancel with no wake: no token, and once Cancel returns no
// Wake sends one for that Prepare.
func TestParkerPrepareCancelNoWake(t *testing.T) {
	var p endpoint.Parker
	ch := make(chan struct{}, 1)
	for i := range 1000 {
		p.Prepare(&ch)
		p.Cancel()
		if p.Wake() || len(ch) != 0 {
			t.Fatalf("round %d: a Wake after Cancel sent a token", i)
		}
	}
	// Cancel with nothing prepared is harmless.
	p.Cancel()
	if p.Wake() || len(ch) != 0 {
		t.Fatal("a Wake after a bare Cancel sent a token")
	}
}

// One token per announcement: of any number of Wakes after one Prepare,
// exactly one reports true and sends.
func TestParkerOneTokenPerPrepare(t *testing.T) {
	var p endpoint.Parker
	ch := make(chan struct{}, 1)
	p.Prepare(&ch)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if p.Wake() {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 || len(ch) != 1 {
		t.Fatalf("%d wakes won and %d tokens sent for one Prepare, want 1 and 1", wins.Load(), len(ch))
	}
}

// The Parker's own channel is made at the first Prepare(nil), by the
// waiter, and kept.
func TestParkerOwnChannelMadeOnFirstPrepare(t *testing.T) {
	var p endpoint.Parker
	if p.Chan() != nil {
		t.Fatal("a zero Parker already has a channel")
	}
	p.Prepare(nil)
	ch := p.Chan()
	if ch == nil || cap(ch) != 1 {
		t.Fatalf("own channel %v with capacity %d after Prepare(nil), want one of capacity 1", ch, cap(ch))
	}
	if !p.Wake() || len(ch) != 1 {
		t.Fatal("the token did not go to the own channel")
	}
	<-ch
	p.Prepare(nil)
	if p.Chan() != ch {
		t.Fatal("a second Prepare(nil) made another channel")
	}
	p.Cancel()
}

// Several wakers against one waiter, in a bounded loop: each waker makes
// progress (a counter) and wakes; the waiter waits until it has seen every
// increment, parking whenever its re-check finds nothing new. A lost
// wake-up leaves the waiter asleep with the counter short, for good.
func TestParkerManyWakersOneWaiter(t *testing.T) {
	const wakers = 4
	perWaker := scaled(20000)
	var p endpoint.Parker
	var count atomic.Int64
	total := int64(wakers * perWaker)

	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := range wakers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for i := range perWaker {
				count.Add(1)
				p.Wake()
				if (i+w)%7 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	close(start)
	seen, sleeps := int64(0), 0
	for rounds := int64(0); seen < total; rounds++ {
		if rounds > 4*total+16 { // each round sees progress, or sleeps on a wake (one a waker's step)
			t.Fatalf("waiter looped %d times without seeing all %d increments (seen %d)", rounds, total, seen)
		}
		if c := count.Load(); c > seen {
			seen = c
			continue
		}
		p.Prepare(nil)
		if c := count.Load(); c > seen { // the re-check
			p.Cancel()
			seen = c
			continue
		}
		sleeps++
		<-p.Chan()
		p.Cancel()
	}
	wg.Wait()
	t.Logf("%d increments, the waiter slept %d times", total, sleeps)
}

// The selector's shape: one waiter announces on two Parkers with one
// token channel of its own and sleeps on it; wakers hit either Parker. No
// lost wake-up. A token may arrive after the wait that it was for ended
// (a stray): it ends a later sleep early, and the loop re-checks.
func TestParkerOneWaiterTwoParkers(t *testing.T) {
	perWaker := scaled(20000)
	ps := []*endpoint.Parker{new(endpoint.Parker), new(endpoint.Parker)}
	ch := make(chan struct{}, 1)
	var count atomic.Int64
	total := int64(2 * perWaker)

	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWaker {
				count.Add(1)
				ps[w].Wake()
				if i%5 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	seen := int64(0)
	for rounds := int64(0); seen < total; rounds++ {
		if rounds > 4*total+16 {
			t.Fatalf("waiter looped %d times (seen %d of %d)", rounds, seen, total)
		}
		if c := count.Load(); c > seen {
			seen = c
			continue
		}
		for _, p := range ps {
			p.Prepare(&ch)
		}
		if c := count.Load(); c > seen {
			for _, p := range ps {
				p.Cancel()
			}
			seen = c
			continue
		}
		<-ch
		for _, p := range ps {
			p.Cancel()
		}
	}
	wg.Wait()
}

// Retargeting while a waker is mid-send: the waiter alternates between two
// token channels while wakers hammer Wake. Every Wake that reports true
// sends one token (or finds one pending), to the channel of the wait it
// won or of a later one: the waiter counts what it receives, drains both
// channels at the end, and must never have received more tokens than
// wakes were won; every wait it sleeps in ends (a lost token hangs it).
func TestParkerRetargetWhileWakerMidSend(t *testing.T) {
	rounds := scaled(50000)
	var p endpoint.Parker
	chs := [2]chan struct{}{make(chan struct{}, 1), make(chan struct{}, 1)}
	var stop atomic.Bool
	var won atomic.Int64
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				if p.Wake() {
					won.Add(1)
				}
				if i%3 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	tokens := int64(0)
	for i := range rounds {
		cur := &chs[i%2]
		p.Prepare(cur)
		switch i % 3 {
		case 0:
			runtime.Gosched() // let a waker in between Prepare and Cancel
			p.Cancel()
		case 1:
			// Our own Wake after Prepare: whoever wins (we or a waker),
			// one token is on its way; sleep until one arrives.
			if p.Wake() {
				won.Add(1)
			}
			<-*cur
			tokens++
			p.Cancel()
		default:
			p.Cancel()
		}
	}
	stop.Store(true)
	wg.Wait()
	for _, ch := range chs {
		tokens += int64(len(ch))
	}
	if tokens > won.Load() {
		t.Fatalf("%d tokens received for %d won wakes", tokens, won.Load())
	}
	t.Logf("%d rounds, %d tokens received, %d wakes won", rounds, tokens, won.Load())
}

// A waiter that really sleeps between rounds, against one waker that
// wakes exactly once per round: every round's single wake must end that
// round's sleep (a lost one hangs the waiter). Bounded: one wake a round.
func TestParkerOneWakePerRound(t *testing.T) {
	rounds := scaled(20000)
	var p endpoint.Parker
	var posted, taken atomic.Int64
	ready := make(chan struct{}) // the waker waits for the waiter's round to begin
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range rounds {
			<-ready
			posted.Add(1)
			p.Wake()
		}
	}()
	for range rounds {
		ready <- struct{}{}
		for {
			if posted.Load() > taken.Load() {
				taken.Add(1)
				break
			}
			p.Prepare(nil)
			if posted.Load() > taken.Load() {
				p.Cancel()
				continue
			}
			<-p.Chan()
			p.Cancel()
		}
	}
	<-done
}

// counter is a Condition: ready once n reaches want.
type counter struct {
	n    *atomic.Int64
	want int64
}

func (c counter) Ready() (bool, error) { return c.n.Load() >= c.want, nil }

// Await against a stream of wakers, round after round: no lost wake-up,
// and the counts of waits and parks add up.
func TestAwaitRounds(t *testing.T) {
	rounds := int64(scaled(20000))
	var p endpoint.Parker
	var st endpoint.WaitStats
	var spin endpoint.Spinner
	sl := endpoint.SleeperOf(&p, &st, nil, &spin)
	s := &sl
	var n atomic.Int64
	go func() {
		for i := int64(0); i < rounds; i++ {
			n.Add(1)
			p.Wake()
			if i%3 == 0 {
				runtime.Gosched()
			}
		}
	}()
	for want := int64(1); want <= rounds; want++ {
		c := counter{&n, want}
		if ok, _ := c.Ready(); ok {
			continue
		}
		if err := endpoint.Await(context.Background(), c, s); err != nil {
			t.Fatalf("Await: %v", err)
		}
	}
	if st.Parks.Load() > st.Waits.Load()+uint64(rounds) { // a stray token adds one sleep at most per wake
		t.Fatalf("%d parks for %d waits", st.Parks.Load(), st.Waits.Load())
	}
}

// Await with a done context: ctx.Err() when the condition is not ready,
// nil when it is (a ready condition wins over an ended context, as a ready
// case does in a Go select). A stray token is not mistaken for either.
func TestAwaitContext(t *testing.T) {
	var p endpoint.Parker
	var st endpoint.WaitStats
	sl := endpoint.SleeperOf(&p, &st, nil, nil)
	s := &sl
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var n atomic.Int64
	for i := range 100 {
		if err := endpoint.Await(ctx, counter{&n, 1}, s); !errors.Is(err, context.Canceled) {
			t.Fatalf("round %d: Await, not ready, context done: %v, want context.Canceled", i, err)
		}
		if p.Wake() {
			t.Fatalf("round %d: Await returned with its Parker still waiting", i)
		}
	}
	// A stray token in the channel ends the sleep; the re-check then sees
	// the context, or the condition once it is ready.
	p.Prepare(nil)
	p.Wake()
	if err := endpoint.Await(ctx, counter{&n, 1}, s); !errors.Is(err, context.Canceled) {
		t.Fatalf("Await with a stray token: %v, want context.Canceled", err)
	}
	n.Store(1)
	p.Prepare(nil)
	p.Wake()
	if err := endpoint.Await(ctx, counter{&n, 1}, s); err != nil {
		t.Fatalf("Await, ready, context done: %v, want nil", err)
	}
}

// While Await sleeps the owner is parked: a steal of one of its objects
// completes at once instead of waiting for the owner's next preemption
// point. The owner is unparked afterwards (an unbalanced Unpark panics).
func TestAwaitParksOwner(t *testing.T) {
	var p endpoint.Parker
	owner := ownership.NewOwner()
	defer owner.Close()
	thief := ownership.NewOwner()
	defer thief.Close()
	var obj struct{ ownership.Header }
	if err := owner.Adopt(&obj.Header); err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	var st endpoint.WaitStats
	sl := endpoint.SleeperOf(&p, &st, owner, nil)
	s := &sl
	stolen := make(chan error, 1)
	go func() {
		// Stealing from an owner that is not parked would wait for its
		// next preemption point; this one sleeps in Await, parked.
		stolen <- thief.Steal(context.Background(), &obj.Header)
		n.Store(1)
		p.Wake()
	}()
	if err := endpoint.Await(context.Background(), counter{&n, 1}, s); err != nil {
		t.Fatalf("Await: %v", err)
	}
	if err := <-stolen; err != nil {
		t.Fatalf("Steal from an owner asleep in Await: %v", err)
	}
	if owner.Owns(&obj.Header) {
		t.Fatal("after the steal and Unpark, the owner still claims the object")
	}
	owner.Park()
	owner.Unpark()
}
