package channel_test

import (
	"errors"
	"testing"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/channel"
	"github.com/stretchr/testify/require"
)

// The plain Go forwarding stage works with default owners: one goroutine
// receives from one channel and sends each object on another. The stage's
// sender does not own what its receiver got, so the objects travel as they
// are and the sink's receive takes them; nothing deadlocks, every object
// arrives in order and owned by the sink, and once the sink has an object
// the stage no longer owns it (a use after send is caught).
func TestForwardingStageWithDefaultOwners(t *testing.T) {
	const n = 2000
	for _, capacity := range []int{1, 4, 64} {
		tx1, rx1 := channel.Make[*Msg](capacity)
		tx2, rx2 := channel.Make[*Msg](capacity)
		go func() { // producer
			for i := range n {
				m := &Msg{n: i}
				if err := tx1.Owner().Adopt(&m.Header); err != nil {
					panic(err)
				}
				if err := tx1.Send(m); err != nil {
					panic(err)
				}
			}
			_ = tx1.Close()
		}()
		stageErr := make(chan error, 1)
		go func() { // the forwarding stage
			for v := range rx1.All() {
				v.data[0]++ // owned by the stage's receiver: its to write
				if err := tx2.Send(v); err != nil {
					stageErr <- err
					return
				}
			}
			stageErr <- tx2.Close()
		}()
		i := 0
		for v := range rx2.All() {
			require.Equal(t, i, v.n, "cap %d: order", capacity)
			require.True(t, rx2.Owner().Owns(&v.Header), "cap %d: object %d arrived %v", capacity, i, v.Header.State())
			require.Equal(t, byte(1), v.data[0], "cap %d: the stage's write is visible", capacity)
			v.data[1] = 9 // the sink's to write now (the race detector checks the edge)
			i++
		}
		require.Equal(t, n, i)
		require.NoError(t, <-stageErr)
		require.NoError(t, rx1.Close())
		require.NoError(t, rx2.Close())
	}
}

// A forwarding stage that stops early and returns closes its receiving
// owner itself (the README's stage): Close alone, called by the stage's
// own goroutine, retires the owner at its next preemption point, which a
// goroutine that has returned never reaches, and the sink's receive of the
// last forwarded object would wait for the garbage collector. Closed at
// once, the owner's objects are free and the sink takes each with one CAS.
func TestForwardingStageThatStopsEarlyClosesItsOwner(t *testing.T) {
	const sent, forwarded = 20, 10
	tx1, rx1 := channel.Make[*Msg](sent)
	tx2, rx2 := channel.Make[*Msg](4)
	for _, m := range adopted(t, tx1.Owner(), sent) {
		require.NoError(t, tx1.Send(m))
	}
	require.NoError(t, tx1.Close())
	stageErr := make(chan error, 1)
	go func() { // the stage: the first ten objects, then it ends
		for range forwarded {
			v, ok := rx1.Recv()
			if !ok {
				stageErr <- handoff.ErrClosed
				return
			}
			if err := tx2.Send(v); err != nil {
				stageErr <- err
				return
			}
		}
		err := rx1.Close()
		rx1.Owner().Close() // done with rx1's objects: free them now
		stageErr <- errors.Join(err, tx2.Close())
	}()
	got := 0
	for v := range rx2.All() { // no deadline: without the owner's close, the last receive waits for a GC
		got++
		require.Equal(t, got, v.n)
		require.True(t, rx2.Owner().Owns(&v.Header), "object %d arrived %v", got, v.Header.State())
	}
	require.Equal(t, forwarded, got)
	require.NoError(t, <-stageErr)
	require.NoError(t, rx2.Close())
}

// Re-sending a just-received object on the same channel, from the
// goroutine that holds both endpoints, completes: the object comes back
// owned by the receiver again.
func TestResendOnSameChannel(t *testing.T) {
	tx, rx := channel.Make[*Msg](2)
	m := newOwnedMsg(t, tx.Owner(), 1)
	require.NoError(t, tx.Send(m))
	for round := range 100 {
		got, ok := rx.Recv()
		require.True(t, ok)
		require.True(t, rx.Owner().Owns(&got.Header), "round %d: %v", round, got.Header.State())
		got.n++
		require.NoError(t, tx.Send(got), "round %d", round)
	}
	got, ok := rx.Recv()
	require.True(t, ok)
	require.Equal(t, 101, got.n)
	require.True(t, rx.Owner().Owns(&got.Header))
	require.NoError(t, tx.Close())
	require.NoError(t, rx.Close())
}

// A use after send in a forwarding stage is caught once the object has
// been received downstream: the stage's receiving owner no longer owns it.
func TestForwardingStageUseAfterSendCaught(t *testing.T) {
	tx1, rx1 := channel.Make[*Msg](4)
	tx2, rx2 := channel.Make[*Msg](4)
	m := newOwnedMsg(t, tx1.Owner(), 1)
	require.NoError(t, tx1.Send(m))
	v, ok := rx1.Recv() // this goroutine is the stage
	require.True(t, ok)
	require.NoError(t, tx2.Send(v))

	got := make(chan *Msg)
	go func() { // the sink
		w, _ := rx2.Recv()
		got <- w
	}()
	// The stage passes preemption points (as its next receive would), so
	// the sink's steal completes.
	var w *Msg
	for w == nil {
		select {
		case w = <-got:
		default:
			rx1.Owner().Preempt()
			runtimeGosched()
		}
	}
	require.Same(t, m, w)
	require.True(t, rx2.Owner().Owns(&w.Header))
	err := rx1.Owner().Check(&v.Header)
	require.Error(t, err, "the stage's owner still owns an object the sink received")
	require.Contains(t, err.Error(), "owned by owner", "the error names the holder: %v", err)
	for _, c := range []interface{ Close() error }{tx1, rx1, tx2, rx2} {
		require.NoError(t, c.Close())
	}
}
