package ownership_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/handoff-go/handoff/ownership"
)

func TestNewOwnerAndLookup(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	require.NotZero(t, a.ID())
	require.NotEqual(t, b.ID(), a.ID(), "no two open owners share an id")
	got, ok := ownership.Lookup(a.ID())
	require.True(t, ok)
	require.Same(t, a, got)
	require.False(t, a.Closed())
	require.NotZero(t, a.Epoch())

	a.Close()
	a.Close() // idempotent
	require.True(t, a.Closed())
	_, ok = ownership.Lookup(a.ID())
	require.False(t, ok, "a closed owner leaves the registry")
	_, ok = ownership.Lookup(0)
	require.False(t, ok)
}

func TestZeroHeaderIsFree(t *testing.T) {
	var h ownership.Header
	require.Equal(t, ownership.State{Kind: ownership.Free}, h.State())
	require.Equal(t, "free", h.State().String())
	var o ownership.Object = &obj{}
	require.NotNil(t, o.OwnershipHeader())
}

func TestAdoptOwnsRelease(t *testing.T) {
	a := newOwner(t)
	x := &obj{}
	require.False(t, a.Owns(&x.Header))
	require.NoError(t, a.Adopt(&x.Header))
	require.True(t, a.Owns(&x.Header))
	require.NoError(t, a.Check(&x.Header))
	require.NoError(t, a.Adopt(&x.Header), "adopting one's own object is a no-op")
	require.Equal(t, ownership.State{Kind: ownership.Owned, Owner: a.ID(), Epoch: a.Epoch()}, x.State())
	require.NoError(t, a.Release(&x.Header))
	require.False(t, a.Owns(&x.Header))
	require.Equal(t, ownership.Free, x.State().Kind)
}

func TestDoubleRelease(t *testing.T) {
	a := newOwner(t)
	x := &obj{}
	require.NoError(t, a.Adopt(&x.Header))
	require.NoError(t, a.Release(&x.Header))
	err := a.Release(&x.Header)
	require.ErrorIs(t, err, ownership.ErrNotOwner)
	var noe *ownership.NotOwnerError
	require.ErrorAs(t, err, &noe)
	assert.Equal(t, a.ID(), noe.Caller)
	assert.Equal(t, ownership.Free, noe.Holder.Kind)
	assert.Equal(t, ownership.Free, x.State().Kind, "a failed release changes nothing")
}

func TestCheckByNonOwnerNamesHolder(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, a.Adopt(&x.Header))
	err := b.Check(&x.Header)
	require.ErrorIs(t, err, ownership.ErrNotOwner)
	var noe *ownership.NotOwnerError
	require.ErrorAs(t, err, &noe)
	assert.Equal(t, b.ID(), noe.Caller)
	assert.Equal(t, ownership.State{Kind: ownership.Owned, Owner: a.ID(), Epoch: a.Epoch()}, noe.Holder)
	assert.Equal(t,
		fmt.Sprintf("ownership: owner %d does not own the object: owned by owner %d (epoch %d)", b.ID(), a.ID(), a.Epoch()),
		err.Error())
	assert.NoError(t, a.Check(&x.Header))
}

func TestAdoptOfNonFreeObject(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, a.Adopt(&x.Header))
	err := b.Adopt(&x.Header)
	require.ErrorIs(t, err, ownership.ErrNotFree)
	require.ErrorIs(t, err, ownership.ErrNotOwner)
	assert.Contains(t, err.Error(), "object is not free")
	assert.True(t, a.Owns(&x.Header), "a failed adopt changes nothing")

	require.NoError(t, a.Freeze(&x.Header))
	require.ErrorIs(t, b.Adopt(&x.Header), ownership.ErrNotFree, "frozen is not free")

	// An object whose owner closed is free.
	y := &obj{}
	require.NoError(t, a.Adopt(&y.Header))
	a.Close()
	require.Equal(t, ownership.State{Kind: ownership.Free, Owner: a.ID(), Epoch: y.State().Epoch}, y.State())
	require.NoError(t, b.Adopt(&y.Header))
	require.True(t, b.Owns(&y.Header))
}

func TestClaim(t *testing.T) {
	a, b := newOwner(t), newOwner(t)

	t.Run("free", func(t *testing.T) {
		x := &obj{}
		require.NoError(t, a.Claim(&x.Header))
		require.True(t, a.Owns(&x.Header))
		require.NoError(t, a.Claim(&x.Header), "already mine")
	})
	t.Run("owned by a live owner", func(t *testing.T) {
		x := &obj{}
		require.NoError(t, a.Adopt(&x.Header))
		err := b.Claim(&x.Header)
		require.ErrorIs(t, err, ownership.ErrOwned)
		require.ErrorIs(t, err, ownership.ErrNotOwner)
		assert.True(t, a.Owns(&x.Header))
	})
	t.Run("frozen", func(t *testing.T) {
		x := &obj{}
		require.NoError(t, a.Adopt(&x.Header))
		require.NoError(t, a.Freeze(&x.Header))
		require.ErrorIs(t, b.Claim(&x.Header), ownership.ErrFrozen)
		require.ErrorIs(t, a.Claim(&x.Header), ownership.ErrFrozen)
	})
	t.Run("stale after the owner's bump", func(t *testing.T) {
		v := newOwner(t)
		x, y := &obj{}, &obj{}
		require.NoError(t, v.Adopt(&x.Header))
		require.NoError(t, v.Adopt(&y.Header))
		// b steals x from parked v: v's epoch moves, y goes stale.
		v.Park()
		require.NoError(t, b.Steal(ctxBG, &x.Header))
		v.Unpark()
		require.False(t, v.Owns(&y.Header))
		require.Equal(t, ownership.Stale, y.State().Kind)
		assert.Contains(t, y.State().String(), "stale")
		require.NoError(t, v.Claim(&y.Header), "the old owner re-claims its stale object")
		require.True(t, v.Owns(&y.Header))
		// and anyone may claim a stale object.
		v.Park()
		require.NoError(t, b.Steal(ctxBG, &y.Header))
		v.Unpark()
		require.NoError(t, b.Transfer(&y.Header, v))
		require.True(t, v.Owns(&y.Header))
	})
}

func TestTransfer(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, a.Adopt(&x.Header))
	x.n = 1
	require.NoError(t, a.Transfer(&x.Header, b))
	require.False(t, a.Owns(&x.Header))
	require.True(t, b.Owns(&x.Header))

	err := a.Transfer(&x.Header, b)
	require.ErrorIs(t, err, ownership.ErrNotOwner, "not mine")
	require.True(t, b.Owns(&x.Header))
	require.NoError(t, b.Transfer(&x.Header, b), "to oneself")
	require.True(t, b.Owns(&x.Header))
}

// TryTransfer moves what Transfer moves and refuses what Transfer
// refuses, changing nothing when it refuses.
func TestTryTransfer(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, a.Adopt(&x.Header))
	require.True(t, a.TryTransfer(&x.Header, b))
	require.False(t, a.Owns(&x.Header))
	require.True(t, b.Owns(&x.Header))

	require.False(t, a.TryTransfer(&x.Header, b), "not mine")
	require.True(t, b.Owns(&x.Header))
	require.True(t, b.TryTransfer(&x.Header, b), "to oneself")
	require.True(t, b.Owns(&x.Header))

	free := &obj{}
	require.False(t, a.TryTransfer(&free.Header, b), "free: claim it first")
	require.Equal(t, ownership.Free, free.State().Kind)

	c := ownership.NewOwner()
	c.Close()
	require.False(t, b.TryTransfer(&x.Header, c), "to a closed owner")
	require.True(t, b.Owns(&x.Header), "refused: nothing changes")

	require.NoError(t, b.Freeze(&x.Header))
	require.False(t, b.TryTransfer(&x.Header, a), "frozen")
	require.Equal(t, ownership.Frozen, x.State().Kind)
}

func TestTransferToClosedOwner(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, a.Adopt(&x.Header))
	b.Close()
	err := a.Transfer(&x.Header, b)
	require.ErrorIs(t, err, ownership.ErrOwnerClosed)
	assert.Contains(t, err.Error(), fmt.Sprintf("owner %d", b.ID()))
	require.True(t, a.Owns(&x.Header), "on error nothing changes")
}

func TestClosedOwnerOwnsNothing(t *testing.T) {
	a := ownership.NewOwner()
	x := &obj{}
	require.NoError(t, a.Adopt(&x.Header))
	a.Close()
	require.False(t, a.Owns(&x.Header))
	require.Equal(t, ownership.Free, x.State().Kind)
}

func TestStateStrings(t *testing.T) {
	for _, k := range []ownership.Kind{ownership.Free, ownership.Owned, ownership.Stale, ownership.Stealing, ownership.Frozen} {
		assert.NotContains(t, k.String(), "Kind(")
	}
	assert.Equal(t, "Kind(9)", ownership.Kind(9).String())
	assert.Equal(t, "being stolen by owner 7", ownership.State{Kind: ownership.Stealing, Owner: 7}.String())
	assert.Equal(t, "frozen", ownership.State{Kind: ownership.Frozen}.String())
	assert.Equal(t, "free (owner 3 closed)", ownership.State{Kind: ownership.Free, Owner: 3}.String())
	assert.Equal(t, "owned by owner 3 (epoch 4)", ownership.State{Kind: ownership.Owned, Owner: 3, Epoch: 4}.String())
}

func TestErrorsAreDistinct(t *testing.T) {
	all := []error{ownership.ErrNotOwner, ownership.ErrOwned, ownership.ErrNotFree, ownership.ErrStealInProgress,
		ownership.ErrFrozen, ownership.ErrNotFrozen, ownership.ErrOwnerClosed}
	for i, e := range all {
		assert.Contains(t, e.Error(), "ownership: ")
		for j, f := range all {
			assert.Equal(t, i == j, errors.Is(e, f), "%v vs %v", e, f)
		}
	}
}
