package ownership_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/handoff-go/handoff/ownership"
)

func headersOf(xs ...*obj) []*ownership.Header {
	hs := make([]*ownership.Header, len(xs))
	for i, x := range xs {
		hs[i] = &x.Header
	}
	return hs
}

func TestStealManyOneBumpPerVictim(t *testing.T) {
	v, w, th := newOwner(t), newOwner(t), newOwner(t)
	xs := []*obj{{}, {}, {}, {}}
	for _, x := range xs[:3] {
		require.NoError(t, v.Adopt(&x.Header))
	}
	require.NoError(t, w.Adopt(&xs[3].Header))
	ev, ew := v.Epoch(), w.Epoch()
	v.Park()
	w.Park()
	require.NoError(t, th.StealMany(ctxBG, headersOf(xs...)...))
	for _, x := range xs {
		require.True(t, th.Owns(&x.Header))
	}
	require.Equal(t, ev+1, v.Epoch(), "one bump for three objects")
	require.Equal(t, ew+1, w.Epoch())
	v.Unpark()
	w.Unpark()
}

func TestStealManyFromPreemptingVictim(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		v, th := newOwner(t), newOwner(t)
		xs := []*obj{{}, {}, {}}
		for _, x := range xs {
			require.NoError(t, v.Adopt(&x.Header))
		}
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() { // victim: updates all three together, then preempts
			defer close(done)
			for {
				select {
				case <-stop:
					return
				default:
				}
				if v.Owns(&xs[0].Header) && v.Owns(&xs[1].Header) && v.Owns(&xs[2].Header) {
					for _, x := range xs {
						x.n++
					}
				}
				v.Preempt()
			}
		}()
		require.NoError(t, th.StealMany(ctxBG, headersOf(xs...)...))
		require.Equal(t, xs[0].n, xs[1].n, "seen whole")
		require.Equal(t, xs[0].n, xs[2].n, "seen whole")
		close(stop)
		<-done
		require.Equal(t, uint64(0), ownership.PendingOf(v))
	})
}

func TestStealManyMixedWords(t *testing.T) {
	v, th := newOwner(t), newOwner(t)
	owned, free, mine, stale, dead := &obj{}, &obj{}, &obj{}, &obj{}, &obj{}
	require.NoError(t, v.Adopt(&owned.Header))
	require.NoError(t, th.Adopt(&mine.Header))
	require.NoError(t, v.Adopt(&stale.Header))
	v.Park()
	require.NoError(t, th.Steal(ctxBG, &owned.Header)) // bumps v: stale is stale
	v.Unpark()
	th.Park()
	require.NoError(t, v.Steal(ctxBG, &owned.Header)) // bumps th: mine is stale
	th.Unpark()
	gone := ownership.NewOwner()
	require.NoError(t, gone.Adopt(&dead.Header))
	gone.Close()
	require.Equal(t, ownership.Stale, stale.State().Kind)
	// mine went stale with th's bump; take it back first.
	require.True(t, th.TryClaim(&mine.Header))

	v.Park()
	hs := headersOf(owned, free, mine, stale, dead, owned, mine) // repeats count once
	require.NoError(t, th.StealMany(ctxBG, hs...))
	v.Unpark()
	for _, h := range hs {
		require.True(t, th.Owns(h))
	}
}

func TestStealManyAlreadyOwnedIsNotAPreemptionPoint(t *testing.T) {
	o := newOwner(t)
	xs := []*obj{{}, {}}
	for _, x := range xs {
		require.NoError(t, o.Adopt(&x.Header))
	}
	e := o.Epoch()
	require.NoError(t, o.StealMany(ctxBG, headersOf(xs...)...))
	require.NoError(t, o.StealMany(ctxBG))
	require.Equal(t, e, o.Epoch())
	require.True(t, o.Owns(&xs[0].Header) && o.Owns(&xs[1].Header))
}

func TestStealManyCancelRollsBackEverything(t *testing.T) {
	v, th := newOwner(t), newOwner(t) // v never reaches a preemption point
	busy, free, mine := &obj{}, &obj{}, &obj{}
	require.NoError(t, v.Adopt(&busy.Header))
	require.NoError(t, th.Adopt(&mine.Header))
	before := []ownership.State{busy.State(), free.State(), mine.State()}

	ctx, cancel := context.WithCancel(ctxBG)
	errc := make(chan error, 1)
	go func() { errc <- th.StealMany(ctx, headersOf(mine, busy, free)...) }()
	waitUntil(func() bool { return ownership.PendingOf(v) == 1 })
	require.Equal(t, ownership.Stealing, free.State().Kind, "every header is marked before the wait")
	require.Equal(t, ownership.Stealing, mine.State().Kind)
	cancel()
	err := <-errc
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, before, []ownership.State{busy.State(), free.State(), mine.State()})
	require.Equal(t, uint64(0), ownership.PendingOf(v), "the request was withdrawn")
	require.True(t, v.Owns(&busy.Header), "the victim's checks stay valid")
	require.True(t, th.Owns(&mine.Header))
}

func TestStealManyFrozenRollsBackEarlierMarks(t *testing.T) {
	v, th := newOwner(t), newOwner(t)
	xs := []*obj{{}, {}, {}, {}}
	for _, x := range xs {
		require.NoError(t, v.Adopt(&x.Header))
	}
	require.NoError(t, v.Freeze(&xs[2].Header))
	err := th.StealMany(ctxBG, headersOf(xs...)...)
	require.ErrorIs(t, err, ownership.ErrFrozen)
	for i, x := range xs {
		if i == 2 {
			require.Equal(t, ownership.Frozen, x.State().Kind)
			continue
		}
		require.True(t, v.Owns(&x.Header), "object %d rolled back", i)
	}
	require.Equal(t, uint64(0), ownership.PendingOf(v))
}

func TestStealManyByClosedOwnerTakesNothing(t *testing.T) {
	th := ownership.NewOwner()
	th.Close()
	x := &obj{}
	err := th.StealMany(ctxBG, &x.Header)
	require.ErrorIs(t, err, ownership.ErrOwnerClosed)
	require.Equal(t, ownership.Free, x.State().Kind)
}

// Two (three) callers stealing overlapping sets, passed in different orders,
// never deadlock, and each sees the others' updates whole.
func TestStealManyOverlappingSetsNoDeadlock(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		xs := []*obj{{}, {}, {}, {}}
		sets := [][]*obj{
			{xs[0], xs[1], xs[2]},
			{xs[2], xs[1], xs[0], xs[3]},
			{xs[3], xs[0]},
		}
		rounds := 300
		if testing.Short() {
			rounds = 50
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(sets))
		for _, set := range sets {
			o := newOwner(t)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer o.Park() // done: never hold up the others (parked for good)
				hs := headersOf(set...)
				for r := range rounds {
					if err := o.StealMany(ctxBG, hs...); err != nil {
						errs <- err
						return
					}
					for _, x := range set {
						if x.m < 0 {
							errs <- fmt.Errorf("round %d: saw another section's update half done", r)
							return
						}
					}
					// One section: mark every object "in progress", update,
					// unmark. A thief that got here mid-section would see
					// the mark.
					for _, x := range set {
						x.m = -1
					}
					for _, x := range set {
						x.n++ // race detector: one owner at a time
					}
					for _, x := range set {
						x.m = r
					}
					o.Preempt()
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	})
}

func TestWithNests(t *testing.T) {
	v, o := newOwner(t), newOwner(t)
	a, b := &obj{}, &obj{}
	require.NoError(t, v.Adopt(&a.Header))
	require.NoError(t, v.Adopt(&b.Header))
	v.Park()
	defer v.Unpark()
	err := ownership.With(ctxBG, o, headersOf(a), func(ctx context.Context) error {
		require.True(t, o.Owns(&a.Header))
		a.n++
		return ownership.With(ctx, o, headersOf(b), func(context.Context) error {
			require.True(t, o.Owns(&a.Header), "the outer section's objects stay ours")
			require.True(t, o.Owns(&b.Header))
			a.n++
			b.n++
			return nil
		})
	})
	require.NoError(t, err)
	require.Equal(t, 2, a.n)
	require.True(t, o.Owns(&a.Header) && o.Owns(&b.Header))

	sentinel := errors.New("fn failed")
	require.ErrorIs(t, ownership.With(ctxBG, o, headersOf(a), func(context.Context) error { return sentinel }), sentinel)

	x := &obj{}
	require.NoError(t, v.Adopt(&x.Header)) // v is parked but may adopt: no check result involved
	require.NoError(t, v.Freeze(&x.Header))
	ran := false
	err = ownership.With(ctxBG, o, headersOf(a, x), func(context.Context) error { ran = true; return nil })
	require.ErrorIs(t, err, ownership.ErrFrozen)
	require.False(t, ran)
}

// A cancel while StealMany waits for another thief's mark rolls back the
// marks it already holds.
func TestStealManyCancelWhileWaitingForAnotherSteal(t *testing.T) {
	v, t1, t2 := newOwner(t), newOwner(t), newOwner(t) // v never preempts
	xs := []*obj{{}, {}}
	for _, x := range xs {
		require.NoError(t, v.Adopt(&x.Header))
	}
	// hs sorted by address: t1 steals the later one, so t2 marks the
	// earlier one and then waits for t1's mark.
	hs := headersOf(xs...)
	first, second := hs[0], hs[1]
	if uintptr(unsafe.Pointer(first)) > uintptr(unsafe.Pointer(second)) {
		first, second = second, first
	}
	ctx1, cancel1 := context.WithCancel(ctxBG)
	defer cancel1()
	e1 := stealAsync(ctx1, t1, second)
	waitUntil(func() bool { return ownership.PendingOf(v) == 1 })

	ctx2, cancel2 := context.WithCancel(ctxBG)
	e2 := make(chan error, 1)
	go func() { e2 <- t2.StealMany(ctx2, hs...) }()
	waitUntil(func() bool { return first.State().Kind == ownership.Stealing && ownership.ParkedOf(t2) })
	cancel2()
	require.ErrorIs(t, <-e2, context.Canceled)
	require.True(t, v.Owns(first), "t2's mark rolled back")
	cancel1()
	require.ErrorIs(t, <-e1, context.Canceled)
	require.True(t, v.Owns(second))
	require.Equal(t, uint64(0), ownership.PendingOf(v))
}

// All or nothing even when one victim answered: its object is restored, and
// is stale (its owner passed a preemption point), never half taken.
func TestStealManyCancelAfterOneVictimAnswered(t *testing.T) {
	parked, busy, th := newOwner(t), newOwner(t), newOwner(t)
	a, b := &obj{}, &obj{}
	require.NoError(t, parked.Adopt(&a.Header))
	require.NoError(t, busy.Adopt(&b.Header)) // busy never preempts
	parked.Park()
	defer parked.Unpark()
	ctx, cancel := context.WithCancel(ctxBG)
	errc := make(chan error, 1)
	go func() { errc <- th.StealMany(ctx, &a.Header, &b.Header) }()
	waitUntil(func() bool { return ownership.PendingOf(busy) == 1 })
	cancel()
	require.ErrorIs(t, <-errc, context.Canceled)
	require.Equal(t, ownership.Stale, a.State().Kind, "bumped on its behalf, then restored: stale")
	require.True(t, busy.Owns(&b.Header))
	require.False(t, th.Owns(&a.Header) || th.Owns(&b.Header))
}

// A thief retired while it waits takes nothing; the objects are left free.
func TestStealManyRetiredWhileWaiting(t *testing.T) {
	v := newOwner(t)
	th := ownership.NewOwner()
	defer th.Close()
	a, b := &obj{}, &obj{}
	require.NoError(t, v.Adopt(&a.Header))
	require.NoError(t, v.Adopt(&b.Header))
	errc := make(chan error, 1)
	go func() { errc <- th.StealMany(ctxBG, &a.Header, &b.Header) }()
	waitUntil(func() bool { return ownership.PendingOf(v) == 1 && ownership.ParkedOf(th) })
	th.Retire() // th is parked: closed at once
	v.Preempt() // v answers: the steal completes, for a closed thief
	require.ErrorIs(t, <-errc, ownership.ErrOwnerClosed)
	require.Equal(t, ownership.Free, a.State().Kind)
	require.Equal(t, ownership.Free, b.State().Kind)
}
