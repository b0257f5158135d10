package channel_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
	"github.com/stretchr/testify/require"
)

// Objects that wait in the buffer while the receiver's owner passes a
// preemption point with a steal pending (here: a steal of another object
// it owns) arrive owned all the same: the receive re-claims them before it
// returns. Before, every buffered object arrived stale (4 of 4).
func TestArrivalsOwnedAfterReceiverBump(t *testing.T) {
	for _, batch := range []bool{false, true} {
		tx, rx := channel.Make[*Msg](8)
		sent := make([]*Msg, 4)
		for i := range sent {
			sent[i] = newOwnedMsg(t, tx.Owner(), i)
			require.NoError(t, tx.Send(sent[i]))
		}

		// A thief steals another object of the receiver's owner; the
		// receiving goroutine answers it with Preempt, bumping its epoch
		// while the four objects are buffered.
		other := newOwnedMsg(t, rx.Owner(), 99)
		thief := ownership.NewOwner()
		stolen := make(chan error, 1)
		go func() { stolen <- thief.Steal(context.Background(), &other.Header) }()
		e0 := rx.Owner().Epoch()
		for rx.Owner().Epoch() == e0 {
			rx.Owner().Preempt()
			runtime.Gosched()
		}
		require.NoError(t, <-stolen)

		var got []*Msg
		if batch {
			dst := make([]*Msg, 8)
			n, ok := rx.RecvBatch(dst)
			require.True(t, ok)
			got = dst[:n]
		} else {
			for range sent {
				m, ok := rx.Recv()
				require.True(t, ok)
				got = append(got, m)
			}
		}
		require.Equal(t, sent, got)
		for i, m := range got {
			require.True(t, rx.Owner().Owns(&m.Header), "batch=%v: object %d arrived %s, want owned by the receiver", batch, i, m.Header.State())
			require.False(t, tx.Owner().Owns(&m.Header))
		}
		require.False(t, rx.Owner().Owns(&other.Header), "the stolen object is the thief's")
		require.True(t, thief.Owns(&other.Header))
		thief.Close()
		require.NoError(t, tx.Close())
		require.NoError(t, rx.Close())
	}
}

// newOwnedMsg returns a fresh Msg owned by o.
func newOwnedMsg(t testing.TB, o *ownership.Owner, n int) *Msg {
	m := &Msg{n: n}
	require.NoError(t, o.Adopt(&m.Header))
	return m
}
