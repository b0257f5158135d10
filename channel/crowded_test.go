package channel_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/handoff-go/handoff/channel"
)

// A sender whose lane is crowded (its last look at the receiver found the
// lane at least three quarters full) pauses before it looks again, but it
// never waits while the lane has room: a send into the slot one receive
// freed completes at once, as on a Go channel, without counting a wait,
// and every item arrives once, in order. The lane is driven by hand
// through the states that make the pause happen: full; one received, one
// sent (a reload that finds the lane crowded); one received, one sent
// (the paused reload).
func TestCrowdedLaneSendsWithoutWaiting(t *testing.T) {
	for _, capacity := range []int{64, 100, 1024} {
		tx, rx := channel.Make[int](capacity)
		next := 0
		for range capacity {
			require.NoError(t, tx.Send(next))
			next++
		}
		got := 0
		for round := range 3 * capacity {
			v, ok := rx.Recv()
			require.True(t, ok)
			require.Equal(t, got, v, "round %d: items arrive in order", round)
			got++
			require.NoError(t, tx.Send(next), "round %d: a slot is free", round)
			next++
		}
		require.Zero(t, tx.Stats().SendWaits, "capacity %d: no send found its lane full", capacity)
		require.NoError(t, tx.Close())
		for v := range rx.All() {
			require.Equal(t, got, v)
			got++
		}
		require.Equal(t, next, got, "capacity %d: every item received once", capacity)
	}
}
