package endpoint_test

// Unit tests for a blocked send's offer (Lane.Offer / TakeOffer /
// Withdraw): the receiver takes an offered item only once the ring is
// empty, never from a closed lane, never twice, and never an offer other
// than the one it checked the ring for.

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/handoff-go/handoff/internal/endpoint"
)

func newIntLane(t *testing.T, capacity int) (*endpoint.State[int], *endpoint.Lane[int]) {
	t.Helper()
	st, l, _ := endpoint.New[int](endpoint.Config{Capacity: capacity})
	return st, l
}

// An offer is taken only when the ring is empty: the items pushed before
// it come first.
func TestOfferTakenOnlyWhenRingEmpty(t *testing.T) {
	_, l := newIntLane(t, 2)
	if !l.Ring.Producer().TryPush(1) || !l.Ring.Producer().TryPush(2) {
		t.Fatal("pushes into an empty ring failed")
	}
	l.Offer(3)
	if !l.HasOffer() {
		t.Fatal("HasOffer is false with an offer up")
	}
	if _, ok := l.TakeOffer(); ok {
		t.Fatal("an offer was taken with items in the ring")
	}
	for want := 1; want <= 2; want++ {
		if v, ok := l.Ring.Consumer().TryPop(); !ok || v != want {
			t.Fatalf("pop: %d %v, want %d", v, ok, want)
		}
	}
	v, ok := l.TakeOffer()
	if !ok || v != 3 {
		t.Fatalf("TakeOffer: %d %v, want 3", v, ok)
	}
	if !l.OfferSettled() || l.HasOffer() {
		t.Fatal("after the take the offer is not settled")
	}
	if _, ok := l.TakeOffer(); ok {
		t.Fatal("an offer was taken twice")
	}
	if !l.Withdraw() {
		t.Fatal("Withdraw after a take reported the item not taken")
	}
	if l.HasOffer() || l.OfferSettled() {
		t.Fatal("after Withdraw the lane still shows an offer")
	}
}

// A withdrawn offer is not taken; a later offer is, once the ring that
// the sender filled in between is empty again.
func TestOfferWithdrawnNotTaken(t *testing.T) {
	_, l := newIntLane(t, 1)
	l.Offer(7)
	if l.Withdraw() {
		t.Fatal("Withdraw of an untaken offer reported it taken")
	}
	if _, ok := l.TakeOffer(); ok {
		t.Fatal("a withdrawn offer was taken")
	}
	if !l.Ring.Producer().TryPush(7) {
		t.Fatal("push after the withdrawal failed")
	}
	l.Offer(8)
	if _, ok := l.TakeOffer(); ok {
		t.Fatal("offer taken with an item in the ring")
	}
	if v, _ := l.Ring.Consumer().TryPop(); v != 7 {
		t.Fatalf("pop %d, want 7", v)
	}
	if v, ok := l.TakeOffer(); !ok || v != 8 {
		t.Fatalf("TakeOffer: %d %v, want 8", v, ok)
	}
	l.Withdraw()
}

// The offer of a closed lane is not taken: its sender withdraws it and
// fails with ErrClosed.
func TestOfferOfClosedLaneNotTaken(t *testing.T) {
	st, l := newIntLane(t, 1)
	l.Offer(5)
	if !st.CloseLane(l) {
		t.Fatal("CloseLane did not close")
	}
	if l.HasOffer() {
		t.Fatal("HasOffer on a closed lane")
	}
	if _, ok := l.TakeOffer(); ok {
		t.Fatal("the offer of a closed lane was taken")
	}
	if l.Withdraw() {
		t.Fatal("Withdraw reported a take")
	}
}

// A sender and a receiver racing: the sender pushes, or offers and then
// withdraws when the receiver took the item or a slot freed; the receiver
// pops, or takes offers. Every item arrives once, in order.
func TestOfferRaceKeepsOrder(t *testing.T) {
	n := scaled(200000)
	st, l := newIntLane(t, 2)
	var done atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the sender
		defer wg.Done()
		for i := 0; i < n; {
			if l.Ring.Producer().TryPush(i) {
				i++
				continue
			}
			l.Offer(i)
			for !l.OfferSettled() && l.Ring.Producer().Full() {
				runtime.Gosched()
			}
			if l.Withdraw() || l.Ring.Producer().TryPush(i) {
				i++
			}
		}
		done.Store(true)
	}()
	next := 0
	for spins := 0; next < n; spins++ {
		if spins > 100*n {
			t.Fatalf("stuck at %d of %d", next, n)
		}
		v, ok := l.Ring.Consumer().TryPop()
		if !ok {
			v, ok = l.TakeOffer()
		}
		if !ok {
			runtime.Gosched()
			continue
		}
		if v != next {
			t.Fatalf("got %d, want %d", v, next)
		}
		next++
	}
	wg.Wait()
	if _, ok := l.Ring.Consumer().TryPop(); ok {
		t.Fatal("an item beyond the last")
	}
	// Items taken from offers count as sent and received (they never
	// pass the ring).
	if s := st.Snapshot(); s.Sent != uint64(n) || s.Received != uint64(n) {
		t.Fatalf("Stats: sent %d, received %d, want %d and %d", s.Sent, s.Received, n, n)
	}
}

// On a rendezvous channel a take moves RecvDone before it marks the offer
// taken: a sender that sees its offer taken, and then loads RecvDone for
// its next TrySend, loads a count that already holds that take. (Moved
// after the mark, the take's Add could land after that load and end the
// next TrySend's wait at once: the model's rv-mutant-done-after-taken.)
// The receiver runs in another goroutine, so that the race detector and
// the interleavings test the order, not only the count.
func TestRendezvousTakeMovesRecvDoneBeforeTaken(t *testing.T) {
	n := scaled(20000)
	st, l := newIntLane(t, 0)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the receiver
		defer wg.Done()
		for got := 0; got < n; {
			if _, ok := l.TakeOffer(); ok {
				got++
				continue
			}
			runtime.Gosched()
		}
	}()
	for i := range n {
		before := st.RecvDone.Load()
		l.Offer(i)
		for !l.OfferSettled() {
			runtime.Gosched()
		}
		if after := st.RecvDone.Load(); after != before+1 {
			t.Fatalf("item %d: the offer is taken, RecvDone %d, want %d", i, after, before+1)
		}
		if !l.Withdraw() {
			t.Fatalf("item %d: Withdraw after the take reported it not taken", i)
		}
	}
	wg.Wait()
}

// A buffered channel's offers do not touch RecvDone: only a TrySend on a
// rendezvous channel waits on it.
func TestBufferedTakeLeavesRecvDone(t *testing.T) {
	st, l := newIntLane(t, 1)
	l.Offer(1)
	if _, ok := l.TakeOffer(); !ok {
		t.Fatal("TakeOffer of an offer with an empty ring failed")
	}
	if !l.Withdraw() {
		t.Fatal("Withdraw after the take reported it not taken")
	}
	if got := st.RecvDone.Load(); got != 0 {
		t.Fatalf("RecvDone %d on a buffered channel, want 0", got)
	}
}
