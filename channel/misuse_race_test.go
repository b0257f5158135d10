//go:build race

package channel_test

import (
	"testing"

	"github.com/handoff-go/handoff/channel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two goroutines on one endpoint is a programmer error that the race build
// turns into a clear panic. The overlap is made certain, not hoped for: the
// first goroutine is parked inside a blocking call when the second one
// enters.

func TestConcurrentSendersPanic(t *testing.T) {
	tx, rx := channel.Make[int](1)
	require.NoError(t, tx.Send(0))
	parks := tx.Stats().SendParks
	done := make(chan error)
	go func() { done <- tx.Send(1) }() // blocks: the channel is full
	waitParks(t, func() uint64 { return tx.Stats().SendParks }, parks)

	for _, op := range []func(){
		func() { _ = tx.TrySend(2) },
		func() { _ = tx.Send(2) },
		func() { _, _ = tx.SendBatch([]int{2}) },
	} {
		msg := mustPanicWith(t, op)
		assert.Contains(t, msg, "concurrent use")
		assert.Contains(t, msg, "sender")
	}

	v, ok := rx.Recv() // let the first sender finish
	require.True(t, ok)
	require.Equal(t, 0, v)
	require.NoError(t, <-done)
	v, ok = rx.Recv()
	require.True(t, ok)
	require.Equal(t, 1, v, "the panicking calls enqueued nothing")
	require.Zero(t, rx.Len())
}

func TestConcurrentReceiversPanic(t *testing.T) {
	tx, rx := channel.Make[int](1)
	parks := rx.Stats().RecvParks
	done := make(chan int)
	go func() {
		v, _ := rx.Recv() // blocks: the channel is empty
		done <- v
	}()
	waitParks(t, func() uint64 { return rx.Stats().RecvParks }, parks)

	for _, op := range []func(){
		func() { _, _ = rx.TryRecv() },
		func() { _, _ = rx.RecvBatch(make([]int, 1)) },
	} {
		msg := mustPanicWith(t, op)
		assert.Contains(t, msg, "concurrent use")
		assert.Contains(t, msg, "receiver")
	}
	require.NoError(t, tx.Send(5))
	require.Equal(t, 5, <-done)
}
