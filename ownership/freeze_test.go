package ownership_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/handoff-go/handoff/ownership"
)

func TestFreezeCanRead(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, a.Adopt(&x.Header))
	require.True(t, a.CanRead(&x.Header))
	require.False(t, b.CanRead(&x.Header))
	require.ErrorIs(t, b.Freeze(&x.Header), ownership.ErrNotOwner, "only the owner freezes")

	x.n = 7
	require.NoError(t, a.Freeze(&x.Header))
	require.NoError(t, a.Freeze(&x.Header), "freezing a frozen object is a no-op")
	require.Equal(t, ownership.Frozen, x.State().Kind)
	require.True(t, a.CanRead(&x.Header))
	require.True(t, b.CanRead(&x.Header))
	require.False(t, a.Owns(&x.Header), "frozen objects are writable by none")
	require.ErrorIs(t, a.Release(&x.Header), ownership.ErrNotOwner)
}

func TestThawErrors(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	x := &obj{}
	require.ErrorIs(t, a.Thaw(ctxBG, &x.Header), ownership.ErrNotFrozen, "free")
	require.NoError(t, a.Adopt(&x.Header))
	require.NoError(t, a.Thaw(ctxBG, &x.Header), "already exclusively mine")
	err := b.Thaw(ctxBG, &x.Header)
	require.ErrorIs(t, err, ownership.ErrNotFrozen)
	require.ErrorIs(t, err, ownership.ErrNotOwner)
}

func TestThawWaitsForEveryReader(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		w, parked := newOwner(t), newOwner(t)
		x := &obj{}
		require.NoError(t, w.Adopt(&x.Header))
		x.n, x.m = 1, 1
		require.NoError(t, w.Freeze(&x.Header))

		parked.Park() // at a safepoint: bumped on its behalf
		defer parked.Unpark()

		const readers = 3
		stop := make(chan struct{})
		done := make(chan int, readers)
		for range readers {
			r := newOwner(t)
			go func() {
				reads := 0
				for {
					select {
					case <-stop:
						done <- reads
						return
					default:
					}
					if r.CanRead(&x.Header) {
						assert.Equal(t, x.n, x.m) // race detector: no write overlaps a read
						reads++
					}
					r.Preempt()
				}
			}()
		}
		require.NoError(t, w.Thaw(ctxBG, &x.Header))
		require.True(t, w.Owns(&x.Header))
		x.n, x.m = 2, 2
		require.NoError(t, w.Freeze(&x.Header))
		close(stop)
		for range readers {
			<-done
		}
	})
}

func TestThawCancelledRefreezes(t *testing.T) {
	w, r := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, w.Adopt(&x.Header))
	require.NoError(t, w.Freeze(&x.Header))
	require.True(t, r.CanRead(&x.Header)) // r reads and never reaches a preemption point
	e := r.Epoch()

	ctx, cancel := context.WithCancel(ctxBG)
	errc := make(chan error, 1)
	go func() { errc <- w.Thaw(ctx, &x.Header) }()
	waitUntil(func() bool { return x.State().Kind == ownership.Stealing && ownership.SafepointAskedOf(r) })
	require.Zero(t, ownership.PendingOf(r), "a thaw asks for a safepoint, not a bump")
	require.False(t, r.CanRead(&x.Header), "no new reader gets in while thawing")
	ok, err := newOwner(t).TrySteal(ctxBG, &x.Header)
	require.NoError(t, err)
	require.False(t, ok)
	require.ErrorIs(t, newOwner(t).Thaw(ctxBG, &x.Header), ownership.ErrStealInProgress)
	cancel()
	require.ErrorIs(t, <-errc, context.Canceled)
	require.Equal(t, ownership.Frozen, x.State().Kind, "frozen again")
	require.Equal(t, e, r.Epoch())
	require.True(t, r.CanRead(&x.Header))
	r.Preempt() // answers the request left behind, without a bump
	require.False(t, ownership.SafepointAskedOf(r))
	require.Equal(t, e, r.Epoch(), "a thaw never makes a reader's objects stale")
}

// Thaw waits only for owners that may hold a read: a parked owner and a
// closed one need no wait, and a running one lets the Thaw through at its
// next preemption point without a bump, so none of their objects go stale
// (issue 11, item 5: every Thaw used to bump every live owner).
func TestThawLeavesOtherOwnersObjectsOwned(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		w, parked, closed := newOwner(t), newOwner(t), newOwner(t)
		x := &obj{}
		require.NoError(t, w.Adopt(&x.Header))
		require.NoError(t, w.Freeze(&x.Header))
		py := &obj{}
		require.NoError(t, parked.Adopt(&py.Header))
		pe := parked.Epoch()
		parked.Park()
		closed.Close()

		// A busy reader that owns an object of its own.
		r := newOwner(t)
		ry := &obj{}
		require.NoError(t, r.Adopt(&ry.Header))
		re := r.Epoch()
		stop := make(chan struct{})
		lost := make(chan int, 1)
		go func() {
			lostAt := -1
			for i := 0; ; i++ {
				select {
				case <-stop:
					lost <- lostAt
					return
				default:
				}
				if r.CanRead(&x.Header) {
					_ = x.n
				}
				if !r.Owns(&ry.Header) && lostAt < 0 {
					lostAt = i
				}
				ry.n++ // the race detector checks nobody else writes it
				r.Preempt()
			}
		}()
		require.NoError(t, w.Thaw(ctxBG, &x.Header))
		x.n++
		close(stop)
		require.Equal(t, -1, <-lost, "the reader's own object stayed its own")
		require.Equal(t, re, r.Epoch(), "no bump for a thaw")
		parked.Unpark()
		require.Equal(t, pe, parked.Epoch(), "a parked owner is not bumped either")
		require.True(t, parked.Owns(&py.Header))
	})
}

// A reader that parks answers a Thaw's request in its Park (no bump).
func TestThawAnsweredByPark(t *testing.T) {
	w, r := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, w.Adopt(&x.Header))
	require.NoError(t, w.Freeze(&x.Header))
	require.True(t, r.CanRead(&x.Header))
	e := r.Epoch()
	errc := make(chan error, 1)
	go func() { errc <- w.Thaw(ctxBG, &x.Header) }()
	waitUntil(func() bool { return ownership.SafepointAskedOf(r) })
	r.Park()
	require.NoError(t, <-errc)
	r.Unpark()
	require.Equal(t, e, r.Epoch())
	require.False(t, r.CanRead(&x.Header))
	require.True(t, w.Owns(&x.Header))
}

func TestStealShared(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, a.Adopt(&x.Header))
	a.Park()
	require.NoError(t, b.StealShared(ctxBG, &x.Header))
	a.Unpark()
	require.Equal(t, ownership.Frozen, x.State().Kind)
	require.True(t, a.CanRead(&x.Header))
	require.NoError(t, a.StealShared(ctxBG, &x.Header), "frozen: nil at once")

	y := &obj{}
	require.NoError(t, b.StealShared(ctxBG, &y.Header), "free: nobody can be reading it")
	require.True(t, b.Owns(&y.Header), "free: taken exclusively, not frozen")
	y.n++ // b may write it at no further cost
	require.NoError(t, b.StealShared(ctxBG, &y.Header), "b's own: stays b's")
	require.True(t, b.Owns(&y.Header))

	// Stale: a's word left behind by a's bump. Taken exclusively too.
	z := &obj{}
	require.NoError(t, a.Adopt(&z.Header))
	w := &obj{}
	require.NoError(t, a.Adopt(&w.Header))
	a.Park()
	require.NoError(t, b.Steal(ctxBG, &w.Header)) // bumps a: z is stale
	a.Unpark()
	require.Equal(t, ownership.Stale, z.State().Kind)
	require.NoError(t, b.StealShared(ctxBG, &z.Header))
	require.Equal(t, ownership.Frozen, z.State().Kind, "stale, but another live owner's: frozen")
	require.True(t, b.CanRead(&z.Header))

	// A closed owner's object: nobody can be reading it.
	c := ownership.NewOwner()
	u := &obj{}
	require.NoError(t, c.Adopt(&u.Header))
	c.Close()
	require.NoError(t, b.StealShared(ctxBG, &u.Header))
	require.True(t, b.Owns(&u.Header), "closed owner's: taken exclusively")

	// b's own stale object: exclusive again.
	b.Park()
	require.NoError(t, a.Steal(ctxBG, &w.Header)) // bumps b: y and u are stale
	b.Unpark()
	require.Equal(t, ownership.Stale, y.State().Kind)
	require.NoError(t, b.StealShared(ctxBG, &y.Header))
	require.True(t, b.Owns(&y.Header), "own stale: exclusive")
}
