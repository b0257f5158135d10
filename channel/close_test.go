package channel_test

import (
	"github.com/handoff-go/handoff"
	"testing"

	"github.com/handoff-go/handoff/channel"
	"github.com/stretchr/testify/require"
)

// Close may come from another goroutine than the sending one (as Go's
// close often does): a Send blocked on the full lane wakes and fails with
// ErrClosed, its item is not enqueued, and the receiver drains what was
// sent before and then sees the channel closed.
func TestCloseFromAnotherGoroutineWakesBlockedSend(t *testing.T) {
	tx, rx := channel.Make[int](1)
	require.NoError(t, tx.Send(1)) // full now
	before := tx.Stats().SendParks
	errs := make(chan error)
	go func() { errs <- tx.Send(2) }()
	waitParks(t, func() uint64 { return tx.Stats().SendParks }, before)

	require.NoError(t, tx.Close())
	require.ErrorIs(t, <-errs, handoff.ErrClosed)

	v, ok := rx.Recv()
	require.True(t, ok)
	require.Equal(t, 1, v)
	_, ok = rx.Recv()
	require.False(t, ok, "the woken send enqueued nothing")
	require.Equal(t, uint64(1), rx.Stats().Sent)
}
