package ownership_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/handoff-go/handoff/ownership"
)

var ctxBG = context.Background()

func TestStealFromParkedVictim(t *testing.T) {
	v, th := newOwner(t), newOwner(t)
	x, y := &obj{}, &obj{}
	require.NoError(t, v.Adopt(&x.Header))
	require.NoError(t, v.Adopt(&y.Header))
	x.n = 41
	e := v.Epoch()

	v.Park()
	require.True(t, ownership.ParkedOf(v))
	require.NoError(t, th.Steal(ctxBG, &x.Header), "a parked victim is bumped on its behalf")
	require.Equal(t, e+1, v.Epoch())
	require.True(t, th.Owns(&x.Header))
	x.n++
	v.Unpark()
	require.False(t, ownership.ParkedOf(v))

	require.False(t, v.Owns(&x.Header))
	require.False(t, v.Owns(&y.Header), "the bump made y stale")
	require.NoError(t, v.Claim(&y.Header))
	require.ErrorIs(t, v.Claim(&x.Header), ownership.ErrOwned)
	require.Equal(t, uint64(0), ownership.PendingOf(v))
}

func TestStealFromPreemptingVictim(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		v, th := newOwner(t), newOwner(t)
		x := &obj{}
		require.NoError(t, v.Adopt(&x.Header))
		stop := make(chan struct{})
		done := make(chan int)
		go func() { // victim: writes x while it owns it, preempts every step
			writes := 0
			for {
				select {
				case <-stop:
					done <- writes
					return
				default:
				}
				if v.Owns(&x.Header) {
					x.n++
					writes++
				}
				v.Preempt()
			}
		}()
		require.NoError(t, th.Steal(ctxBG, &x.Header))
		require.True(t, th.Owns(&x.Header))
		snapshot := x.n // race detector: happens-after every victim write
		close(stop)
		writes := <-done
		require.Equal(t, writes, snapshot, "the victim wrote nothing after the steal")
	})
}

func TestStealFrozenObjectIsAnError(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, a.Adopt(&x.Header))
	require.NoError(t, a.Freeze(&x.Header))
	require.ErrorIs(t, b.Steal(ctxBG, &x.Header), ownership.ErrFrozen)
	ok, err := b.TrySteal(ctxBG, &x.Header)
	require.False(t, ok)
	require.ErrorIs(t, err, ownership.ErrFrozen)
	require.Equal(t, ownership.Frozen, x.State().Kind)
}

func TestStealFromClosedOwnerIsImmediate(t *testing.T) {
	a, b := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, a.Adopt(&x.Header))
	a.Close() // not parked, never preempts again: only "closed = free" lets this finish
	require.NoError(t, b.Steal(ctxBG, &x.Header))
	require.True(t, b.Owns(&x.Header))
}

func TestStealFreeAndOwn(t *testing.T) {
	a := newOwner(t)
	x := &obj{}
	require.NoError(t, a.Steal(ctxBG, &x.Header), "free: claimed at once")
	require.True(t, a.Owns(&x.Header))
	ok, err := a.TrySteal(ctxBG, &x.Header)
	require.NoError(t, err)
	require.True(t, ok, "already mine")
}

// stealInProgress starts th stealing x from v, which neither preempts nor
// parks, and returns once x shows the steal in progress.
func stealInProgress(t *testing.T, ctx context.Context, v, th *ownership.Owner, x *obj) <-chan error {
	t.Helper()
	errc := stealAsync(ctx, th, &x.Header)
	waitUntil(func() bool { return x.State().Kind == ownership.Stealing && ownership.PendingOf(v) == 1 })
	require.Equal(t, th.ID(), x.State().Owner)
	return errc
}

func TestCancellationMidStealRollsBack(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		v, th := newOwner(t), newOwner(t)
		x := &obj{}
		require.NoError(t, v.Adopt(&x.Header))
		e := v.Epoch()
		ctx, cancel := context.WithCancel(ctxBG)
		errc := stealInProgress(t, ctx, v, th, x)
		require.False(t, v.Owns(&x.Header), "while the steal is in progress the victim's checks fail")

		cancel() // by this goroutine, while the thief waits on another
		err := <-errc
		require.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "rolled back")
		assert.Equal(t, ownership.State{Kind: ownership.Owned, Owner: v.ID(), Epoch: e}, x.State(), "returned to the victim, not left stealing")
		assert.Equal(t, uint64(0), ownership.PendingOf(v), "pending request withdrawn")
		assert.Equal(t, e, v.Epoch())
		require.True(t, v.Owns(&x.Header))
		x.n++ // the victim keeps writing: the race detector checks the thief never touched it
		v.Preempt()
		assert.Equal(t, e, v.Epoch(), "nothing pending: Preempt does not bump")
	})
}

// A steal under a context that is done already waits for nothing: the
// victim is live, so it rolls back at once, and it is no preemption point
// of the thief: a request pending on the thief is not answered, and the
// thief still owns its own objects afterwards (a receive that may not wait
// steals so, and must keep what it holds). A waiting steal does answer it.
func TestStealUnderDoneContextIsNoPreemptionPoint(t *testing.T) {
	v, th, asker := newOwner(t), newOwner(t), newOwner(t)
	x, mine := &obj{}, &obj{}
	require.NoError(t, v.Adopt(&x.Header))
	require.NoError(t, th.Adopt(&mine.Header))
	require.True(t, ownership.RequestRelease(&mine.Header), "a request pending on the thief")
	e := th.Epoch()

	done, cancel := context.WithCancel(ctxBG)
	cancel()
	err := th.Steal(done, &x.Header)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, ownership.State{Kind: ownership.Owned, Owner: v.ID(), Epoch: v.Epoch()}, x.State(), "rolled back to the live victim")
	assert.Equal(t, uint64(0), ownership.PendingOf(v), "the request to the victim withdrawn")
	assert.Equal(t, e, th.Epoch(), "the thief did not pass a preemption point")
	require.True(t, th.Owns(&mine.Header), "the thief's own check still holds")
	mine.n++

	ok, err := th.TrySteal(done, &x.Header)
	require.ErrorIs(t, err, context.Canceled)
	require.False(t, ok)
	require.ErrorIs(t, th.StealMany(done, &x.Header), context.Canceled)
	assert.Equal(t, e, th.Epoch(), "nor in TrySteal or StealMany")

	// A steal that waits parks the thief, which answers the request.
	waiting, cancelWaiting := context.WithCancel(ctxBG)
	go func() {
		waitUntil(func() bool { return ownership.ParkedOf(th) })
		cancelWaiting()
	}()
	require.ErrorIs(t, th.Steal(waiting, &x.Header), context.Canceled)
	assert.Equal(t, e+1, th.Epoch(), "a waiting steal is a preemption point")
	require.False(t, th.Owns(&mine.Header))
	require.True(t, asker.TryClaim(&mine.Header), "stale: anyone may claim it now")
}

// The seam TestStressStealTransfer runs into: while a steal of x is in
// progress its owner's Transfer and TryTransfer refuse; once the steal is
// cancelled and rolled back, x is the owner's again and both work.
func TestTransferRefusedUntilStealRollsBack(t *testing.T) {
	v, th, to := newOwner(t), newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, v.Adopt(&x.Header))
	ctx, cancel := context.WithCancel(ctxBG)
	errc := stealInProgress(t, ctx, v, th, x)
	require.False(t, v.TryTransfer(&x.Header, to), "refused while stealing")
	require.ErrorIs(t, v.Transfer(&x.Header, to), ownership.ErrNotOwner)
	require.Equal(t, ownership.Stealing, x.State().Kind, "a refusal changes nothing")

	cancel()
	require.ErrorIs(t, <-errc, context.Canceled)
	require.Equal(t, ownership.State{Kind: ownership.Owned, Owner: v.ID(), Epoch: v.Epoch()}, x.State())
	require.True(t, v.TryTransfer(&x.Header, to), "the owner's again after the rollback")
	require.True(t, to.Owns(&x.Header))
}

func TestCancellationAfterVictimBumpCompletes(t *testing.T) {
	v, th := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, v.Adopt(&x.Header))
	ctx, cancel := context.WithCancel(ctxBG)
	errc := stealInProgress(t, ctx, v, th, x)
	v.Preempt() // answers the request ...
	cancel()    // ... before the cancellation: whichever the thief sees first, it completes
	require.NoError(t, <-errc)
	require.Equal(t, ownership.Owned, x.State().Kind)
	require.Equal(t, th.ID(), x.State().Owner)
}

func TestDeadlineMidSteal(t *testing.T) {
	v, th := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, v.Adopt(&x.Header))
	ctx, cancel := context.WithCancelCause(ctxBG)
	errc := stealInProgress(t, ctx, v, th, x)
	cancel(context.DeadlineExceeded)
	require.ErrorIs(t, <-errc, context.Canceled)
	require.True(t, v.Owns(&x.Header))
}

func TestTryStealFalseWhileAnotherStealInProgress(t *testing.T) {
	v, th1, th2 := newOwner(t), newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, v.Adopt(&x.Header))
	errc := stealInProgress(t, ctxBG, v, th1, x)

	ok, err := th2.TrySteal(ctxBG, &x.Header)
	require.NoError(t, err)
	require.False(t, ok, "a second thief gets a no-op")
	require.ErrorIs(t, th2.Claim(&x.Header), ownership.ErrStealInProgress)
	require.Equal(t, th1.ID(), x.State().Owner)

	v.Preempt()
	require.NoError(t, <-errc)
	require.Equal(t, ownership.State{Kind: ownership.Owned, Owner: th1.ID(), Epoch: th1.Epoch()}, x.State())
}

func TestStealWaitsForAnotherSteal(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		v, th1, th2 := newOwner(t), newOwner(t), newOwner(t)
		x := &obj{}
		require.NoError(t, v.Adopt(&x.Header))
		errc1 := stealInProgress(t, ctxBG, v, th1, x)
		errc2 := stealAsync(ctxBG, th2, &x.Header)
		v.Preempt() // th1 completes; th2 then finds x owned by th1 ...
		require.NoError(t, <-errc1)
		th1.Close() // ... which closes (it could also Preempt or Park): x is free
		require.NoError(t, <-errc2)
		require.Equal(t, th2.ID(), x.State().Owner)
	})
}

func TestCancelWhileWaitingForAnotherSteal(t *testing.T) {
	v, th1, th2 := newOwner(t), newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, v.Adopt(&x.Header))
	errc1 := stealInProgress(t, ctxBG, v, th1, x)
	ctx, cancel := context.WithCancel(ctxBG)
	errc2 := stealAsync(ctx, th2, &x.Header)
	cancel()
	require.ErrorIs(t, <-errc2, context.Canceled)
	require.Equal(t, th1.ID(), x.State().Owner, "th2 changed nothing")
	v.Preempt()
	require.NoError(t, <-errc1)
}

func TestCloseReleasesWaitingThief(t *testing.T) {
	v, th := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, v.Adopt(&x.Header))
	errc := stealInProgress(t, ctxBG, v, th, x)
	v.Close()
	require.NoError(t, <-errc)
	require.Equal(t, th.ID(), x.State().Owner)
}

func TestParkAnswersPendingSteal(t *testing.T) {
	v, th := newOwner(t), newOwner(t)
	x := &obj{}
	require.NoError(t, v.Adopt(&x.Header))
	e := v.Epoch()
	errc := stealInProgress(t, ctxBG, v, th, x)
	v.Park() // a preemption point: bumps for the pending request
	require.NoError(t, <-errc)
	require.Equal(t, e+1, v.Epoch())
	v.Unpark()
	require.False(t, v.Owns(&x.Header))
}

func TestParkNestsAndUnparkPanics(t *testing.T) {
	v := newOwner(t)
	v.Park()
	v.Park()
	v.Unpark()
	require.True(t, ownership.ParkedOf(v), "inner Unpark keeps the owner parked")
	v.Unpark()
	require.False(t, ownership.ParkedOf(v))
	require.PanicsWithValue(t, "ownership: Unpark without Park", v.Unpark)
}

// Two thieves that wait on each other do not deadlock: a waiting thief is
// parked, so the other bumps on its behalf. (Each goroutine closes its owner
// when done: an owner that stops reaching preemption points must park or
// close, or thieves wait for it forever.)
func TestThievesStealingFromEachOther(t *testing.T) {
	withProcs(t, func(t *testing.T) {
		a, b := newOwner(t), newOwner(t)
		x, y := &obj{}, &obj{}
		require.NoError(t, a.Adopt(&x.Header))
		require.NoError(t, b.Adopt(&y.Header))
		errc := make(chan error, 2)
		steal := func(o *ownership.Owner, h *ownership.Header) {
			err := o.Steal(ctxBG, h)
			o.Close()
			errc <- err
		}
		go steal(a, &y.Header)
		go steal(b, &x.Header)
		require.NoError(t, <-errc)
		require.NoError(t, <-errc)
	})
}
