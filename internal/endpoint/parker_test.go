package endpoint_test

// Unit tests for Parker, the announce / re-check / sleep protocol every
// blocked endpoint uses. The tests point the Parker at token channels of
// their own (Prepare(ch)) so that they can see every token a waker sends.
// No sleeps and no timing: the concurrent tests are bounded loops, and a
// lost wake-up shows as a waiter that never returns (go test's -timeout
// then names it).

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

func newParker() *endpoint.Parker {
	p := new(endpoint.Parker)
	p.Init()
	return p
}

// scaled returns n, or a tenth of it with -short.
func scaled(n int) int {
	if testing.Short() {
		return max(1, n/10)
	}
	return n
}

// A Wake with no waiter sends nothing: the waiter that prepares afterwards
// must find the condition true on its re-check, not a token.
func TestParkerWakeBeforePrepare(t *testing.T) {
	p := newParker()
	ch := make(chan struct{}, 1)
	var cond atomic.Bool

	cond.Store(true) // the waker: condition, then Wake
	p.Wake()
	p.Prepare(ch) // the waiter: announce, re-check
	if !cond.Load() {
		t.Fatal("the re-check after Prepare missed the condition set before it")
	}
	p.Cancel()
	if len(ch) != 0 {
		t.Fatal("a Wake before Prepare left a token")
	}

	// The Parker is idle again: a later wait gets its token.
	p.Prepare(ch)
	p.Wake()
	if len(ch) != 1 {
		t.Fatalf("a Wake after Prepare sent %d tokens, want 1", len(ch))
	}
	p.Cancel()
}

// Prepare then Cancel with no wake: no token, and once Cancel returns no
// Wake sends one for that Prepare.
func TestParkerPrepareCancelNoWake(t *testing.T) {
	p := newParker()
	ch := make(chan struct{}, 1)
	for i := range 1000 {
		p.Prepare(ch)
		p.Cancel()
		p.Wake()
		if len(ch) != 0 {
			t.Fatalf("round %d: a Wake after Cancel sent a token", i)
		}
	}
	// Cancel with nothing prepared is harmless.
	p.Cancel()
	p.Wake()
	if len(ch) != 0 {
		t.Fatal("a Wake after a bare Cancel sent a token")
	}
}

// A Wake between the waiter's Prepare and its re-check sends exactly one
// token to the prepared channel, however many wakers call; the waiter,
// finding the condition true, cancels and drains it. Sleep on the
// Parker's own channel returns at once when the token is already there.
func TestParkerWakeBetweenPrepareAndRecheck(t *testing.T) {
	p := newParker()
	ch := make(chan struct{}, 1)
	var cond atomic.Bool

	p.Prepare(ch)
	cond.Store(true)
	p.Wake()
	p.Wake() // a second waker: the state is idle again, no second token
	if len(ch) != 1 {
		t.Fatalf("%d tokens after two wakes, want 1", len(ch))
	}
	if !cond.Load() {
		t.Fatal("condition lost")
	}
	p.Cancel()
	<-ch

	// Own channel: Prepare(nil), Wake, then Sleep finds the token.
	p.Prepare(nil)
	p.Wake()
	if err := p.Sleep(context.Background(), nil); err != nil {
		t.Fatalf("Sleep with a pending token: %v", err)
	}
	// Sleep ended the wait: a Wake now sends nothing, and the next wait
	// with a cancelled context returns its error, not a stale token.
	p.Wake()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p.Prepare(nil)
	if err := p.Sleep(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep after a consumed token, context cancelled: %v, want context.Canceled", err)
	}
}

// Several wakers against one waiter, in a bounded loop: each waker makes
// progress (a counter) and wakes; the waiter waits until it has seen every
// increment, parking whenever its re-check finds nothing new. A lost
// wake-up leaves the waiter asleep with the counter short, for good.
func TestParkerManyWakersOneWaiter(t *testing.T) {
	const wakers = 4
	perWaker := scaled(20000)
	p := newParker()
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
		if err := p.Sleep(context.Background(), nil); err != nil {
			t.Fatalf("Sleep(Background): %v", err)
		}
	}
	wg.Wait()
	t.Logf("%d increments, the waiter slept %d times", total, sleeps)
}

// The selector's shape: one waiter announces on two Parkers with one
// token channel of its own, and sleeps with SleepOn over both; wakers hit
// either Parker. No lost wake-up, and after every wait the channel is left
// empty for good (SleepOn cancels both Parkers before it returns).
func TestParkerOneWaiterTwoParkers(t *testing.T) {
	perWaker := scaled(20000)
	ps := []*endpoint.Parker{newParker(), newParker()}
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
			p.Prepare(ch)
		}
		if c := count.Load(); c > seen {
			for _, p := range ps {
				p.Cancel()
			}
			select { // a token that raced in: cancelled, so it stays drained
			case <-ch:
			default:
			}
			seen = c
			continue
		}
		if err := endpoint.SleepOn(context.Background(), ch, nil, ps...); err != nil {
			t.Fatalf("SleepOn(Background): %v", err)
		}
		// Both Parkers are cancelled: ch may hold one stray token from the
		// other Parker (sent before the cancel); drain it. Nothing can
		// arrive after that until the next Prepare.
		select {
		case <-ch:
		default:
		}
		if len(ch) != 0 {
			t.Fatal("a token arrived after SleepOn cancelled both Parkers")
		}
	}
	wg.Wait()
}

// SleepOn with a context that is already done, while a token is pending:
// it returns either nil (it took the token) or the context's error, and
// in the latter case it drains the token that raced in. Either way the
// channel is empty afterwards and the Parker is idle (a Wake sends
// nothing). Both outcomes are seen: select picks among ready cases at
// random.
func TestParkerSleepOnCancelledContextDrainsToken(t *testing.T) {
	p := newParker()
	ch := make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	owner := ownership.NewOwner()
	defer owner.Close()
	var tookToken, ctxErr int
	for i := range 1000 {
		p.Prepare(ch)
		p.Wake() // the token is in ch
		err := endpoint.SleepOn(ctx, ch, owner, p)
		switch {
		case err == nil:
			tookToken++
		case errors.Is(err, context.Canceled):
			ctxErr++
		default:
			t.Fatalf("round %d: SleepOn: %v", i, err)
		}
		if len(ch) != 0 {
			t.Fatalf("round %d: SleepOn returned %v and left a token in the channel", i, err)
		}
		p.Wake()
		if len(ch) != 0 {
			t.Fatalf("round %d: a Wake after SleepOn sent a token: the Parker was left waiting", i)
		}
	}
	if owner.Closed() {
		t.Fatal("SleepOn closed the owner")
	}
	if tookToken == 0 || ctxErr == 0 {
		t.Fatalf("outcomes: token %d, context error %d: both should occur", tookToken, ctxErr)
	}
	// The parked owner was unparked again: Park/Unpark balanced (an
	// unbalanced Unpark panics).
	owner.Park()
	owner.Unpark()
}

// A stray token (sent for an earlier wait, before that wait's Cancel) may
// end a later wait at once. The wait still ends with the Parker idle: a
// Wake afterwards sends nothing, so the next Prepare does not rewrite the
// target while a waker could be reading it.
func TestParkerStrayTokenEndsWaitIdle(t *testing.T) {
	p := newParker()
	ch := make(chan struct{}, 1)
	for i := range 100 {
		ch <- struct{}{} // the stray
		p.Prepare(ch)
		if err := endpoint.SleepOn(context.Background(), ch, nil, p); err != nil {
			t.Fatalf("round %d: SleepOn: %v", i, err)
		}
		p.Wake()
		if len(ch) != 0 {
			t.Fatalf("round %d: a wait ended by a stray token left the Parker waiting: a later Wake sent a token", i)
		}
	}
	// The same through Sleep, on the Parker's own channel: take the
	// stray from the first wait, then check nothing more arrives.
	p.Prepare(nil)
	p.Wake() // the token for this wait
	p.Prepare(nil)
	if err := p.Sleep(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p.Wake()
	p.Prepare(nil)
	if err := p.Sleep(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep found a token after the previous wait ended: %v", err)
	}
}

// SleepOn with a pending context: a token from another goroutine ends it.
// The owner is parked for the sleep (a thief need not wait for it) and
// unparked after.
func TestParkerSleepOnParksOwner(t *testing.T) {
	p := newParker()
	owner := ownership.NewOwner()
	defer owner.Close()
	thief := ownership.NewOwner()
	defer thief.Close()
	var obj struct{ ownership.Header }
	if err := owner.Adopt(&obj.Header); err != nil {
		t.Fatal(err)
	}
	stolen := make(chan error, 1)
	p.Prepare(nil)
	go func() {
		// Stealing from an owner that is not parked would wait for its
		// next preemption point; this one sleeps in SleepOn, parked.
		stolen <- thief.Steal(context.Background(), &obj.Header)
		p.Wake()
	}()
	if err := p.Sleep(context.Background(), owner); err != nil {
		t.Fatalf("Sleep: %v", err)
	}
	if err := <-stolen; err != nil {
		t.Fatalf("Steal from an owner asleep in Sleep: %v", err)
	}
	if owner.Owns(&obj.Header) {
		t.Fatal("after the steal and Unpark, the owner still claims the object")
	}
}

// Prepare while a waker is in the middle of its send: the waiter alternates
// between two token channels, cancelling and draining each before it
// prepares the other, while wakers hammer Wake. Invariant: once Cancel
// returns, no token for that Prepare arrives any more, so the channel of
// the previous wait stays empty during the next one. (A Prepare that
// rewrote the Parker's target while a waker still read it would also be
// a data race on the target, which -race reports.)
func TestParkerPrepareWhileWakerMidSend(t *testing.T) {
	rounds := scaled(50000)
	p := newParker()
	chs := [2]chan struct{}{make(chan struct{}, 1), make(chan struct{}, 1)}
	var stop atomic.Bool
	var wakes atomic.Int64
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				p.Wake()
				wakes.Add(1)
				if i%3 == 0 {
					runtime.Gosched()
				}
			}
		}()
	}
	tokens := 0
	for i := range rounds {
		cur, prev := chs[i%2], chs[(i+1)%2]
		p.Prepare(cur)
		if len(prev) != 0 {
			stop.Store(true)
			wg.Wait()
			t.Fatalf("round %d: a token reached the channel of the previous, cancelled wait", i)
		}
		switch i % 3 {
		case 0:
			runtime.Gosched() // let a waker in between Prepare and Cancel
		case 1:
			// The Prepare must have taken effect even if a waker of the
			// previous wait was mid-send: a Wake now (ours, or a waker's
			// after our Prepare) puts a token in cur, and once Cancel has
			// returned every send for this wait is done.
			p.Wake()
			p.Cancel()
			if len(cur) != 1 {
				stop.Store(true)
				wg.Wait()
				t.Fatalf("round %d: Prepare then Wake left no token: the Prepare was lost (a waker's store of idle overwrote it?)", i)
			}
		}
		p.Cancel()
		select {
		case <-cur:
			tokens++
		default:
		}
	}
	stop.Store(true)
	wg.Wait()
	for k, ch := range chs {
		if len(ch) != 0 {
			t.Fatalf("channel %d holds a token after its wait was cancelled and drained", k)
		}
	}
	t.Logf("%d rounds, %d tokens received, %d wakes", rounds, tokens, wakes.Load())
}

// A waiter that really sleeps between rounds, against one waker that
// wakes exactly once per round: every round's single wake must end that
// round's sleep (a lost one hangs the waiter). Bounded: one wake a round.
func TestParkerOneWakePerRound(t *testing.T) {
	rounds := scaled(20000)
	p := newParker()
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
	for i := range rounds {
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
			if err := p.Sleep(context.Background(), nil); err != nil {
				t.Fatalf("round %d: Sleep: %v", i, err)
			}
		}
	}
	<-done
}

func TestSpinnerYieldsOnceThenParks(t *testing.T) {
	var s endpoint.Spinner
	if !s.Spin() {
		t.Fatal("the first Spin must ask for one more re-check")
	}
	for i := range 3 {
		if s.Spin() {
			t.Fatalf("Spin %d after the first asked to spin again", i+2)
		}
	}
	s.Reset()
	if !s.Spin() {
		t.Fatal("after Reset the first Spin must ask for a re-check")
	}
}
