package channel_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/receiver"
	"github.com/handoff-go/handoff/sender"
)

// A forwarding stage with a backlog, the classic use of a send case: it
// keeps receiving while its output is full, and sends while its input is
// empty, never blocking on one side while the other could go on.
func ExampleSendTo() {
	in, inRx := channel.Make[int](4)
	out, outRx := channel.Make[int](1)
	for i := range 4 {
		_ = in.Send(i)
	}
	_ = in.Close()

	done := make(chan struct{})
	go func() { // the stage
		defer close(done)
		var (
			got     int
			pending []int
			next    int
		)
		recv := channel.NewSelector(channel.On(inRx, &got))
		both := channel.NewSelector(channel.On(inRx, &got), channel.SendTo(out, &next))
		inOpen := true
		for inOpen || len(pending) > 0 {
			sel := recv
			if len(pending) > 0 {
				next = pending[0] * 10
				sel = both
				if !inOpen {
					_ = out.Send(next)
					pending = pending[1:]
					continue
				}
			}
			i, err := sel.Select(context.Background())
			switch {
			case errors.Is(err, handoff.ErrClosed):
				inOpen = false
			case i == 0:
				pending = append(pending, got)
			default: // the send case happened: next was sent
				pending = pending[1:]
			}
		}
		_ = out.Close()
	}()
	for v := range outRx.All() {
		fmt.Println(v)
	}
	<-done
	// Output:
	// 0
	// 10
	// 20
	// 30
}

// Only the chosen case happens: with a receive ready and every send case's
// channel full, Select receives, and the send cases enqueue nothing and
// leave their owned object with the sender's owner.
func TestSelectSendNotChosenDoesNothing(t *testing.T) {
	plainTx, plainRx := channel.Make[int](1)
	require.NoError(t, plainTx.Send(1)) // full
	ownedTx, ownedRx := channel.Make[*Buf](1)
	require.NoError(t, ownedTx.Send(&Buf{})) // full
	in, inRx := channel.Make[string](1)
	require.NoError(t, in.Send("x"))

	obj := &Buf{}
	require.NoError(t, ownedTx.Owner().Adopt(&obj.Header))
	var (
		plainV = 2
		got    string
	)
	sel := channel.NewSelector(channel.SendTo(plainTx, &plainV), channel.SendTo(ownedTx, &obj), channel.On(inRx, &got))
	i, err := sel.Select(context.Background())
	require.NoError(t, err)
	require.Equal(t, 2, i)
	require.Equal(t, "x", got)
	require.Equal(t, 1, plainRx.Len())
	require.Equal(t, 1, ownedRx.Len())
	require.True(t, ownedTx.Owner().Owns(&obj.Header), "a send case not chosen moved ownership")
	require.Zero(t, ownedTx.Stats().Sent-1)

	// Now the receive case is empty and the owned lane has room: the send
	// case happens, and ownership moves to the receiver's owner.
	v, ok := ownedRx.Recv()
	require.True(t, ok)
	require.NotNil(t, v)
	i, err = sel.Select(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, i)
	sent, ok := ownedRx.Recv()
	require.True(t, ok)
	require.Same(t, obj, sent)
	require.True(t, ownedRx.Owner().Owns(&obj.Header))
	require.False(t, ownedTx.Owner().Owns(&obj.Header))
}

// A Select whose only ready-to-be case is a send on a full channel sleeps
// until the receiver frees a slot, then sends; the receiver gets every
// value once and in order.
func TestSelectSendWaitsForSpace(t *testing.T) {
	atEachProcs(t, 20000, 2000, func(t *testing.T, n int) {
		tx, rx := channel.Make[int](1)
		var v, dummy int
		_, neverRx := channel.Make[int](1) // a receive case that never becomes ready
		sel := channel.NewSelector(channel.SendTo(tx, &v), channel.On(neverRx, &dummy))
		errc := make(chan error, 1)
		go func() {
			for i := range n {
				v = i
				k, err := sel.Select(context.Background())
				if err == nil && k != 0 {
					err = fmt.Errorf("case %d chosen, want 0", k)
				}
				if err != nil {
					errc <- err
					return
				}
			}
			errc <- tx.Close()
		}()
		for i := range n {
			got, ok := rx.Recv()
			require.True(t, ok)
			require.Equal(t, i, got)
		}
		require.NoError(t, <-errc)
		_, ok := rx.Recv()
		require.False(t, ok)
	})
}

// A send case on a channel whose receiver disconnects is ready with
// ErrClosed, whether the Select is polling or asleep (a Close from another
// goroutine wakes it).
func TestSelectSendClosed(t *testing.T) {
	tx, rx := channel.Make[int](1)
	require.NoError(t, tx.Send(0)) // full: the Select must wait
	v := 1
	sel := channel.NewSelector(channel.SendTo(tx, &v))
	errc := make(chan error, 1)
	go func() {
		_, err := sel.Select(context.Background())
		errc <- err
	}()
	waitFor(t, "the Select asleep", func() bool { return tx.Stats().SendParks >= 1 })
	require.NoError(t, rx.Close())
	require.ErrorIs(t, <-errc, handoff.ErrClosed)
	i, err := sel.TrySelect()
	require.Equal(t, 0, i)
	require.ErrorIs(t, err, handoff.ErrClosed)
}

// A Select ended by its context sends nothing: the value is not enqueued
// and its ownership does not move.
func TestSelectSendContext(t *testing.T) {
	tx, rx := channel.Make[*Buf](1)
	require.NoError(t, tx.Send(&Buf{}))
	obj := &Buf{}
	require.NoError(t, tx.Owner().Adopt(&obj.Header))
	sel := channel.NewSelector(channel.SendTo(tx, &obj))
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := sel.Select(ctx)
		errc <- err
	}()
	waitFor(t, "the Select asleep", func() bool { return tx.Stats().SendParks >= 1 })
	cancel()
	require.ErrorIs(t, <-errc, context.Canceled)
	require.Equal(t, 1, rx.Len())
	require.True(t, tx.Owner().Owns(&obj.Header))
	i, err := sel.TrySelect()
	require.Equal(t, -1, i)
	require.ErrorIs(t, err, handoff.ErrEmpty)
}

// Fairness: two send cases that stay ready are chosen in turn.
func TestSelectSendFairness(t *testing.T) {
	const rounds = 100
	a, aRx := channel.Make[int](rounds)
	b, bRx := channel.Make[int](rounds)
	va, vb := 1, 2
	sel := channel.NewSelector(channel.SendTo(a, &va), channel.SendTo(b, &vb))
	counts := [2]int{}
	for range rounds {
		i, err := sel.TrySelect()
		require.NoError(t, err)
		counts[i]++
	}
	require.Equal(t, [2]int{rounds / 2, rounds / 2}, counts)
	require.Equal(t, rounds/2, aRx.Len())
	require.Equal(t, rounds/2, bRx.Len())
}

// A Select with send and receive cases allocates nothing once built.
func TestSelectSendAllocs(t *testing.T) {
	tx, rx := channel.Make[int](8)
	in, inRx := channel.Make[int](8)
	var v, got int
	sel := channel.NewSelector(channel.SendTo(tx, &v), channel.On(inRx, &got))
	allocs := testing.AllocsPerRun(1000, func() {
		_ = in.Send(1)
		_, _ = sel.Select(context.Background())
		_, _ = sel.Select(context.Background())
		_, _ = rx.TryRecv()
		_, _ = rx.TryRecv()
	})
	require.Zero(t, allocs)
}

// Select stress, after the Go runtime's TestSelectStress: producers send
// through Selects with send cases on two channels, consumers receive
// through Selects with receive cases on both; every value arrives exactly
// once, and each producer's values arrive in order on each channel.
func TestSelectSendStress(t *testing.T) {
	atEachProcs(t, 20000, 3000, func(t *testing.T, n int) {
		const producers = 3
		txs := make([][2]*sender.Sender[int], producers)
		tx0, rx0 := channel.Make[int](4)
		tx1, rx1 := channel.Make[int](4)
		for p := range producers {
			if p == 0 {
				txs[p] = [2]*sender.Sender[int]{tx0, tx1}
				continue
			}
			c0, err := tx0.Clone()
			require.NoError(t, err)
			c1, err := tx1.Clone()
			require.NoError(t, err)
			txs[p] = [2]*sender.Sender[int]{c0, c1}
		}
		var wg sync.WaitGroup
		for p := range producers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var v int
				sel := channel.NewSelector(channel.SendTo(txs[p][0], &v), channel.SendTo(txs[p][1], &v))
				for i := range n {
					v = p*n + i
					if _, err := sel.Select(context.Background()); err != nil {
						t.Error(err)
						return
					}
				}
				_ = txs[p][0].Close()
				_ = txs[p][1].Close()
			}()
		}
		seen := make([]bool, producers*n)
		last := [2][producers]int{}
		for c := range 2 {
			for p := range producers {
				last[c][p] = -1
			}
		}
		var a, b int
		sel := channel.NewSelector(channel.On(rx0, &a), channel.On(rx1, &b))
		open := [2]bool{true, true}
		rxs := [2]*receiver.Receiver[int]{rx0, rx1}
		for open[0] || open[1] {
			i, err := sel.Select(context.Background())
			if errors.Is(err, handoff.ErrClosed) {
				open[i] = false
				// A closed case stays ready: receive the rest of the
				// other channel directly.
				for v := range rxs[1-i].All() {
					require.False(t, seen[v], "value %d twice", v)
					seen[v] = true
				}
				open[1-i] = false
				break
			}
			require.NoError(t, err)
			v := a
			if i == 1 {
				v = b
			}
			require.False(t, seen[v], "value %d twice", v)
			seen[v] = true
			p := v / n
			require.Greater(t, v, last[i][p], "channel %d: producer %d out of order", i, p)
			last[i][p] = v
		}
		wg.Wait()
		for v, ok := range seen {
			require.True(t, ok, "value %d lost", v)
		}
	})
}

// A send case whose value cannot be sent for ownership (RejectUnowned, an
// object another owner holds) is ready with that error, sends nothing and
// leaves the object with its holder.
func TestSelectSendOwnershipError(t *testing.T) {
	tx, rx := channel.Make[*Buf](1, channel.RejectUnowned())
	holder := ownership.NewOwner()
	defer holder.Close()
	obj := &Buf{}
	require.NoError(t, holder.Adopt(&obj.Header))
	sel := channel.NewSelector(channel.SendTo(tx, &obj))
	i, err := sel.TrySelect()
	require.Equal(t, 0, i)
	require.ErrorIs(t, err, ownership.ErrNotOwner)
	require.True(t, holder.Owns(&obj.Header))
	require.Zero(t, rx.Len())
}
