package ownership_test

import (
	"context"
	"errors"
	"testing"

	"github.com/handoff-go/handoff/ownership"
	"github.com/stretchr/testify/require"
)

// HandOver decides a send's ownership step on the header word, never
// waiting for another goroutine.
func TestHandOver(t *testing.T) {
	t.Run("owned: transferred", func(t *testing.T) {
		from, to := newOwner(t), newOwner(t)
		var x obj
		require.NoError(t, from.Adopt(&x.Header))
		moved, err := from.HandOver(&x.Header, to, false)
		require.NoError(t, err)
		require.True(t, moved)
		require.True(t, to.Owns(&x.Header))
		require.False(t, from.Owns(&x.Header))
	})
	t.Run("owned by the receiver already: goes as it is, nothing asked", func(t *testing.T) {
		from, to := newOwner(t), newOwner(t)
		var x obj
		require.NoError(t, to.Adopt(&x.Header))
		_, err := from.HandOver(&x.Header, to, true)
		require.ErrorIs(t, err, ownership.ErrNotOwner, "reject refuses what the sender does not own")
		e := to.Epoch()
		moved, err := from.HandOver(&x.Header, to, false)
		require.NoError(t, err)
		require.False(t, moved)
		to.Preempt()
		require.Equal(t, e, to.Epoch(), "no release was asked of the receiver")
		require.True(t, to.Owns(&x.Header))
	})
	t.Run("free: claimed and transferred, unless rejected", func(t *testing.T) {
		from, to := newOwner(t), newOwner(t)
		var x obj
		_, err := from.HandOver(&x.Header, to, true)
		require.ErrorIs(t, err, ownership.ErrNotOwner, "reject refuses what the sender does not own")
		require.Equal(t, ownership.Free, x.Header.State().Kind, "nothing changed")
		moved, err := from.HandOver(&x.Header, to, false)
		require.NoError(t, err)
		require.True(t, moved)
		require.True(t, to.Owns(&x.Header))
	})
	t.Run("own stale: re-claimed and transferred, even rejecting", func(t *testing.T) {
		from, to, thief := newOwner(t), newOwner(t), newOwner(t)
		var x, y obj
		require.NoError(t, from.Adopt(&x.Header))
		require.NoError(t, from.Adopt(&y.Header))
		done := stealAsync(context.Background(), thief, &y.Header)
		// Marked, and asked: a Preempt between the thief's mark and its
		// request would answer nothing, and the thief would wait for ever.
		waitUntil(func() bool { return y.Header.State().Kind == ownership.Stealing && ownership.PendingOf(from) > 0 })
		from.Preempt() // answers the steal of y: x goes stale
		require.NoError(t, <-done)
		require.Equal(t, ownership.Stale, x.Header.State().Kind)
		moved, err := from.HandOver(&x.Header, to, true)
		require.NoError(t, err)
		require.True(t, moved)
		require.True(t, to.Owns(&x.Header))
	})
	t.Run("another live owner's: travels as it is, holder asked to release", func(t *testing.T) {
		from, to, holder := newOwner(t), newOwner(t), newOwner(t)
		var x obj
		require.NoError(t, holder.Adopt(&x.Header))
		_, err := from.HandOver(&x.Header, to, true)
		require.ErrorIs(t, err, ownership.ErrNotOwner)
		require.True(t, holder.Owns(&x.Header), "a refusal changes nothing")

		moved, err := from.HandOver(&x.Header, to, false)
		require.NoError(t, err)
		require.False(t, moved)
		require.True(t, holder.Owns(&x.Header), "the holder keeps it until its next preemption point")
		x.n++ // still the holder's to write
		holder.Preempt()
		require.False(t, holder.Owns(&x.Header))
		require.True(t, to.TryClaim(&x.Header), "stale after the holder's preemption point: one CAS")
	})
	t.Run("frozen: refused", func(t *testing.T) {
		from, to := newOwner(t), newOwner(t)
		var x obj
		require.NoError(t, from.Adopt(&x.Header))
		require.NoError(t, from.Freeze(&x.Header))
		_, err := from.HandOver(&x.Header, to, false)
		require.ErrorIs(t, err, ownership.ErrNotOwner)
		require.ErrorIs(t, err, ownership.ErrFrozen)
	})
	t.Run("closed receiver: error, the object stays", func(t *testing.T) {
		from, to := newOwner(t), ownership.NewOwner()
		var x obj
		require.NoError(t, from.Adopt(&x.Header))
		to.Close()
		moved, err := from.HandOver(&x.Header, to, false)
		require.False(t, moved)
		require.True(t, errors.Is(err, ownership.ErrOwnerClosed))
		require.True(t, from.Owns(&x.Header))
	})
}

// RequestRelease never waits; it makes the holder's next preemption point
// end its ownership, and is answered at once for a parked holder.
func TestRequestRelease(t *testing.T) {
	holder := newOwner(t)
	var x, y obj
	require.NoError(t, holder.Adopt(&x.Header))
	require.NoError(t, holder.Adopt(&y.Header))
	require.True(t, ownership.RequestRelease(&x.Header))
	require.True(t, ownership.RequestRelease(&y.Header), "a second request while one is pending")
	require.True(t, holder.Owns(&x.Header), "until the holder's next preemption point")
	holder.Preempt()
	require.False(t, holder.Owns(&x.Header))
	require.False(t, holder.Owns(&y.Header), "one bump answers every request")
	require.False(t, ownership.RequestRelease(&x.Header), "stale already: nothing to ask")

	require.NoError(t, holder.Claim(&x.Header))
	holder.Park()
	require.True(t, ownership.RequestRelease(&x.Header))
	holder.Unpark()
	require.False(t, holder.Owns(&x.Header), "a parked holder is bumped on its behalf at once")

	var free obj
	require.False(t, ownership.RequestRelease(&free.Header))
}
