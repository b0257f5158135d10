package ownership_test

import (
	"context"
	"testing"

	"github.com/handoff-go/handoff/ownership"
	"github.com/stretchr/testify/require"
)

// Recall gives an object back to the owner that transferred it as long as
// the header still names the receiver, at whatever epoch; otherwise it
// reports false and changes nothing.
func TestRecall(t *testing.T) {
	// handed makes x o's and transfers it to to.
	handed := func(t *testing.T, o, to *ownership.Owner, x *obj) {
		t.Helper()
		require.NoError(t, o.Adopt(&x.Header))
		require.NoError(t, o.Transfer(&x.Header, to))
		require.True(t, to.Owns(&x.Header))
	}
	ownedBy := func(o *ownership.Owner) ownership.State {
		return ownership.State{Kind: ownership.Owned, Owner: o.ID(), Epoch: o.Epoch()}
	}

	t.Run("just transferred: the sender's again", func(t *testing.T) {
		o, to := newOwner(t), newOwner(t)
		var x obj
		handed(t, o, to, &x)
		require.True(t, o.Recall(&x.Header, to))
		require.Equal(t, ownedBy(o), x.Header.State())
		require.False(t, to.Owns(&x.Header))
		x.n++ // o's to write again
	})
	t.Run("the receiver left the epoch since: the sender's again", func(t *testing.T) {
		o, to := newOwner(t), newOwner(t)
		var x, y obj
		handed(t, o, to, &x)
		require.NoError(t, to.Adopt(&y.Header))
		require.True(t, ownership.RequestRelease(&y.Header))
		to.Preempt() // answers the request: every object of to's goes stale
		require.Equal(t, ownership.Stale, x.Header.State().Kind)
		require.True(t, o.Recall(&x.Header, to))
		require.Equal(t, ownedBy(o), x.Header.State())
	})
	t.Run("the receiver closed since: the sender's again", func(t *testing.T) {
		o, to := newOwner(t), ownership.NewOwner()
		var x obj
		handed(t, o, to, &x)
		to.Close()
		require.Equal(t, ownership.Free, x.Header.State().Kind)
		require.True(t, o.Recall(&x.Header, to))
		require.Equal(t, ownedBy(o), x.Header.State())
	})
	t.Run("the receiver closed and its id went to a new owner that took it: false", func(t *testing.T) {
		o, to := newOwner(t), ownership.NewOwner()
		var x obj
		handed(t, o, to, &x)
		to.Close() // x is free; to's id goes back to the pool
		var next *ownership.Owner
		for range 8 { // the pool is last-in first-out, but other tests' owners may be closed meanwhile
			n := newOwner(t)
			if n.ID() == to.ID() {
				next = n
				break
			}
		}
		if next == nil {
			t.Skip("to's id was not handed out again")
		}
		require.NoError(t, next.Claim(&x.Header))
		taken := x.Header.State()
		require.False(t, o.Recall(&x.Header, to))
		require.Equal(t, taken, x.Header.State())
		require.True(t, next.Owns(&x.Header))
	})
	t.Run("a thief marked it: false, and the thief gets it", func(t *testing.T) {
		o, to, thief := newOwner(t), newOwner(t), newOwner(t)
		var x obj
		handed(t, o, to, &x)
		done := stealAsync(context.Background(), thief, &x.Header)
		waitUntil(func() bool { return x.Header.State().Kind == ownership.Stealing && ownership.PendingOf(to) > 0 })
		marked := x.Header.State()
		require.False(t, o.Recall(&x.Header, to))
		require.Equal(t, marked, x.Header.State(), "the mark stays")
		to.Preempt() // the steal completes
		require.NoError(t, <-done)
		require.True(t, thief.Owns(&x.Header))
	})
	t.Run("a thief took it: false, the thief keeps it", func(t *testing.T) {
		o, to, thief := newOwner(t), newOwner(t), newOwner(t)
		var x obj
		handed(t, o, to, &x)
		done := stealAsync(context.Background(), thief, &x.Header)
		// Marked and asked (see TestHandOver's stale case).
		waitUntil(func() bool { return x.Header.State().Kind == ownership.Stealing && ownership.PendingOf(to) > 0 })
		to.Preempt()
		require.NoError(t, <-done)
		taken := x.Header.State()
		require.False(t, o.Recall(&x.Header, to))
		require.Equal(t, taken, x.Header.State())
		require.True(t, thief.Owns(&x.Header))
		require.False(t, o.Owns(&x.Header))
	})
	t.Run("the receiver passed it on: false", func(t *testing.T) {
		o, to, next := newOwner(t), newOwner(t), newOwner(t)
		var x obj
		handed(t, o, to, &x)
		require.NoError(t, to.Transfer(&x.Header, next))
		require.False(t, o.Recall(&x.Header, to))
		require.True(t, next.Owns(&x.Header))
	})
	t.Run("never the receiver's: false, unchanged", func(t *testing.T) {
		o, to, holder := newOwner(t), newOwner(t), newOwner(t)
		var mine, theirs, free, frozen obj
		require.NoError(t, o.Adopt(&mine.Header))
		require.NoError(t, holder.Adopt(&theirs.Header))
		require.NoError(t, holder.Adopt(&frozen.Header))
		require.NoError(t, holder.Freeze(&frozen.Header))
		for name, h := range map[string]*ownership.Header{
			"the sender's own": &mine.Header, "a third owner's": &theirs.Header,
			"free": &free.Header, "frozen": &frozen.Header,
		} {
			before := h.State()
			require.False(t, o.Recall(h, to), name)
			require.Equal(t, before, h.State(), name)
		}
	})
	t.Run("a closed sender: false, and the object goes free", func(t *testing.T) {
		o, to := ownership.NewOwner(), newOwner(t)
		var x obj
		handed(t, o, to, &x)
		o.Close()
		require.False(t, o.Recall(&x.Header, to))
		require.False(t, to.Owns(&x.Header), "a hand-over that did not happen left the object with the receiver")
		require.Equal(t, ownership.Free, x.Header.State().Kind)
	})
}

// RequestRelease asks only the live holder of an owned object; for every
// other state it reports false and leaves the header and every owner's
// pending requests as they were.
func TestRequestReleaseRefuses(t *testing.T) {
	t.Run("free", func(t *testing.T) {
		var x obj
		require.False(t, ownership.RequestRelease(&x.Header))
		require.Equal(t, ownership.State{Kind: ownership.Free}, x.Header.State())
	})
	t.Run("stale", func(t *testing.T) {
		holder := newOwner(t)
		var x, y obj
		require.NoError(t, holder.Adopt(&x.Header))
		require.NoError(t, holder.Adopt(&y.Header))
		require.True(t, ownership.RequestRelease(&y.Header))
		holder.Preempt()
		before := x.Header.State()
		require.Equal(t, ownership.Stale, before.Kind)
		require.False(t, ownership.RequestRelease(&x.Header))
		require.Equal(t, before, x.Header.State())
		require.Zero(t, ownership.PendingOf(holder), "no request left for a later preemption point")
		epoch := holder.Epoch()
		holder.Preempt()
		require.Equal(t, epoch, holder.Epoch(), "nothing asked: the preemption point does not bump")
	})
	t.Run("frozen", func(t *testing.T) {
		holder := newOwner(t)
		var x obj
		require.NoError(t, holder.Adopt(&x.Header))
		require.NoError(t, holder.Freeze(&x.Header))
		require.False(t, ownership.RequestRelease(&x.Header))
		require.Equal(t, ownership.State{Kind: ownership.Frozen}, x.Header.State())
		require.Zero(t, ownership.PendingOf(holder))
		require.True(t, holder.CanRead(&x.Header))
	})
	t.Run("being stolen", func(t *testing.T) {
		holder, thief := newOwner(t), newOwner(t)
		var x obj
		require.NoError(t, holder.Adopt(&x.Header))
		done := stealAsync(context.Background(), thief, &x.Header)
		waitUntil(func() bool { return ownership.PendingOf(holder) == 1 }) // the thief's request is in
		marked := x.Header.State()
		require.Equal(t, ownership.Stealing, marked.Kind)
		require.False(t, ownership.RequestRelease(&x.Header))
		require.Equal(t, marked, x.Header.State())
		require.Equal(t, uint64(1), ownership.PendingOf(holder), "only the thief's request")
		holder.Preempt()
		require.NoError(t, <-done)
		require.True(t, thief.Owns(&x.Header))
	})
	t.Run("its holder closed", func(t *testing.T) {
		holder := ownership.NewOwner()
		var x obj
		require.NoError(t, holder.Adopt(&x.Header))
		holder.Close()
		before := x.Header.State()
		require.Equal(t, ownership.Free, before.Kind)
		require.False(t, ownership.RequestRelease(&x.Header))
		require.Equal(t, before, x.Header.State())
	})
	t.Run("a request already pending: true, none added", func(t *testing.T) {
		holder := newOwner(t)
		var x, y obj
		require.NoError(t, holder.Adopt(&x.Header))
		require.NoError(t, holder.Adopt(&y.Header))
		require.True(t, ownership.RequestRelease(&x.Header))
		require.Equal(t, uint64(1), ownership.PendingOf(holder))
		require.True(t, ownership.RequestRelease(&y.Header))
		require.True(t, ownership.RequestRelease(&x.Header))
		require.Equal(t, uint64(1), ownership.PendingOf(holder), "one request answers them all")
		holder.Preempt()
		require.Zero(t, ownership.PendingOf(holder))
		require.False(t, holder.Owns(&x.Header))
		require.False(t, holder.Owns(&y.Header))
	})
}
