package channel_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/sender"
)

// An unbuffered channel: each Send completes together with a Recv.
func ExampleMake_unbuffered() {
	tx, rx := channel.Make[string](0)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, w := range []string{"ping", "pong"} {
			_ = tx.Send(w) // returns once the receiver has taken w
		}
		_ = tx.Close()
	}()
	for w := range rx.All() {
		fmt.Println(w)
	}
	<-done
	fmt.Println("cap:", rx.Cap(), "buffered:", rx.Len())
	// Output:
	// ping
	// pong
	// cap: 0 buffered: 0
}

// Send on an unbuffered channel does not return before a receive takes
// its item (ported from the runtime's TestChan: "send to unbuffered chan
// blocks"); the receive then gets it.
func TestRendezvousSendWaitsForReceive(t *testing.T) {
	tx, rx := channel.Make[int](0)
	returned := make(chan error, 1)
	go func() { returned <- tx.Send(7) }()
	waitParks(t, func() uint64 { return tx.Stats().SendParks }, 0)
	select {
	case err := <-returned:
		t.Fatalf("Send returned (%v) before any receive", err)
	default:
	}
	require.Zero(t, rx.Len())
	v, ok := rx.Recv()
	require.True(t, ok)
	require.Equal(t, 7, v)
	require.NoError(t, <-returned)
	s := rx.Stats()
	require.Equal(t, uint64(1), s.Sent)
	require.Equal(t, uint64(1), s.Received)
}

// A receive from an unbuffered channel waits for a send, and a send to a
// receiver that waits completes it.
func TestRendezvousRecvWaitsForSend(t *testing.T) {
	tx, rx := channel.Make[int](0)
	got := make(chan int, 1)
	go func() {
		v, _ := rx.Recv()
		got <- v
	}()
	waitParks(t, func() uint64 { return rx.Stats().RecvParks }, 0)
	require.NoError(t, tx.Send(3))
	require.Equal(t, 3, <-got)
}

// TrySend succeeds only if a receiver is waiting; TryRecv only if a sender
// is waiting. Neither leaves anything behind when it fails.
func TestRendezvousTryForms(t *testing.T) {
	tx, rx := channel.Make[int](0)
	require.ErrorIs(t, tx.TrySend(1), handoff.ErrFull, "no receiver waits")
	_, err := rx.TryRecv()
	require.ErrorIs(t, err, handoff.ErrEmpty, "the failed TrySend left its item behind")

	// A receiver blocked in Recv: TrySend hands it the item.
	got := make(chan int, 1)
	go func() {
		v, _ := rx.Recv()
		got <- v
	}()
	waitParks(t, func() uint64 { return rx.Stats().RecvParks }, 0)
	require.NoError(t, tx.TrySend(2))
	require.Equal(t, 2, <-got)

	// A sender blocked in Send: TryRecv takes its item, and the Send returns.
	sent := make(chan error, 1)
	go func() { sent <- tx.Send(3) }()
	waitParks(t, func() uint64 { return tx.Stats().SendParks }, 0)
	v, err := rx.TryRecv()
	require.NoError(t, err)
	require.Equal(t, 3, v)
	require.NoError(t, <-sent)
	_, err = rx.TryRecv()
	require.ErrorIs(t, err, handoff.ErrEmpty)
	s := rx.Stats()
	require.Equal(t, uint64(2), s.Sent)
	require.Equal(t, uint64(2), s.Received)
}

// A send whose context ends while it waits reports ctx.Err() and delivers
// nothing; its object's ownership stays with the sender.
func TestRendezvousSendContext(t *testing.T) {
	tx, rx := channel.Make[*Buf](0)
	obj := &Buf{}
	require.NoError(t, tx.Owner().Adopt(&obj.Header))
	ctx, cancel := context.WithCancel(context.Background())
	returned := make(chan error, 1)
	go func() { returned <- tx.SendContext(ctx, obj) }()
	waitParks(t, func() uint64 { return tx.Stats().SendParks }, 0)
	cancel()
	require.ErrorIs(t, <-returned, context.Canceled)
	require.True(t, tx.Owner().Owns(&obj.Header), "a failed send moved ownership")
	_, err := rx.TryRecv()
	require.ErrorIs(t, err, handoff.ErrEmpty)
	require.Zero(t, rx.Stats().Sent)

	// The same object sent again is received, owned by the receiver's owner.
	go func() { returned <- tx.Send(obj) }()
	v, ok := rx.Recv()
	require.True(t, ok)
	require.Same(t, obj, v)
	require.NoError(t, <-returned)
	require.True(t, rx.Owner().Owns(&obj.Header))
	require.False(t, tx.Owner().Owns(&obj.Header))
	s := rx.Stats()
	require.Equal(t, uint64(1), s.Transferred)
	require.Equal(t, uint64(1), s.Received)
}

// Either close ends a blocked rendezvous send with ErrClosed, and nothing
// is delivered.
func TestRendezvousClose(t *testing.T) {
	t.Run("receiver closes", func(t *testing.T) {
		tx, rx := channel.Make[int](0)
		returned := make(chan error, 1)
		go func() { returned <- tx.Send(1) }()
		waitParks(t, func() uint64 { return tx.Stats().SendParks }, 0)
		require.NoError(t, rx.Close())
		require.ErrorIs(t, <-returned, handoff.ErrClosed)
		require.ErrorIs(t, tx.Send(2), handoff.ErrClosed)
		require.Zero(t, rx.Stats().Received)
	})
	t.Run("sender closed from another goroutine", func(t *testing.T) {
		tx, rx := channel.Make[int](0)
		returned := make(chan error, 1)
		go func() { returned <- tx.Send(1) }()
		waitParks(t, func() uint64 { return tx.Stats().SendParks }, 0)
		require.NoError(t, tx.Close())
		require.ErrorIs(t, <-returned, handoff.ErrClosed)
		_, ok := rx.Recv()
		require.False(t, ok, "the withdrawn item was delivered")
	})
}

// A Selector's send case on an unbuffered channel happens only with a
// receiver waiting.
func TestRendezvousSelectSend(t *testing.T) {
	tx, rx := channel.Make[int](0)
	v := 5
	sel := channel.NewSelector(channel.SendTo(tx, &v))
	i, err := sel.TrySelect()
	require.Equal(t, -1, i)
	require.ErrorIs(t, err, handoff.ErrEmpty)
	got := make(chan int, 1)
	go func() {
		w, _ := rx.Recv()
		got <- w
	}()
	i, err = sel.Select(context.Background())
	require.NoError(t, err)
	require.Equal(t, 0, i)
	require.Equal(t, 5, <-got)
}

// A Selector whose one case sends on an unbuffered channel, item after
// item, to a plain Recv loop (the rendezvous model's
// rv-select-send-live-k2 and -k3, at length): every item arrives once, in
// order. The Select's TrySend gives up when RecvDone moves without its
// offer taken; a previous item's take that moved it late would make it give
// up for nothing, round after round (8d7be72).
func TestRendezvousSelectSendStream(t *testing.T) {
	atEachProcs(t, 5000, 1000, func(t *testing.T, n int) {
		tx, rx := channel.Make[int](0)
		var out int
		sel := channel.NewSelector(channel.SendTo(tx, &out))
		errc := make(chan error, 1)
		go func() {
			for i := range n {
				out = i
				if _, err := sel.Select(context.Background()); err != nil {
					errc <- err
					return
				}
			}
			errc <- tx.Close()
		}()
		next := 0
		for v := range rx.All() {
			require.Equal(t, next, v)
			next++
		}
		require.NoError(t, <-errc)
		require.Equal(t, n, next)
	})
}

// Many senders (clones) and one receiver over an unbuffered channel, at
// several GOMAXPROCS: every item arrives once, each sender's in order, and
// every Send returned only after its item was taken (the receiver counts
// items before it acknowledges; a sender checks that count after Send).
func TestRendezvousStress(t *testing.T) {
	atEachProcs(t, 5000, 1000, func(t *testing.T, n int) {
		const senders = 3
		txs, rx := unbufferedSenders(t, senders)
		var wg sync.WaitGroup
		for p, s := range txs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range n {
					var err error
					if i%3 == 0 {
						for err = s.TrySend(p*n + i); err == handoff.ErrFull; err = s.TrySend(p*n + i) {
							runtime.Gosched() // TrySend never blocks: let the receiver come to wait
						}
					} else {
						err = s.Send(p*n + i)
					}
					if err != nil {
						t.Error(err)
						return
					}
				}
				_ = s.Close()
			}()
		}
		last := make([]int, senders)
		for p := range last {
			last[p] = -1
		}
		count := 0
		for v := range rx.All() {
			p := v / n
			require.Greater(t, v, last[p], "sender %d out of order", p)
			last[p] = v
			count++
		}
		wg.Wait()
		require.Equal(t, senders*n, count)
		s := rx.Stats()
		require.Equal(t, uint64(senders*n), s.Sent)
		require.Equal(t, uint64(senders*n), s.Received)
	})
}

// Two Selects meet on an unbuffered channel: one with a send case, one
// with a receive case, in either order of arrival.
func TestRendezvousSelectBothSides(t *testing.T) {
	atEachProcs(t, 2000, 300, func(t *testing.T, n int) {
		tx, rx := channel.Make[int](0)
		_, idle1 := channel.Make[int](1) // cases that never become ready
		_, idle2 := channel.Make[int](1)
		var out, in, idle int
		sendSel := channel.NewSelector(channel.SendTo(tx, &out), channel.On(idle1, &idle))
		recvSel := channel.NewSelector(channel.On(rx, &in), channel.On(idle2, &idle))
		errc := make(chan error, 1)
		go func() {
			for i := range n {
				out = i
				if _, err := sendSel.Select(context.Background()); err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
		for i := range n {
			k, err := recvSel.Select(context.Background())
			require.NoError(t, err)
			require.Equal(t, 0, k)
			require.Equal(t, i, in)
		}
		require.NoError(t, <-errc)
	})
}

// Each rendezvous happens inside both calls: for every item, its Send was
// called before its Recv returned, and its Recv was called before its Send
// returned (the item was not buffered ahead of a receiver, nor did a send
// return before its item was taken). The times are ticks of one atomic
// clock, read before each call and after each return, so the check
// needs no timing: a send that returned before its item was taken
// would show a Send return tick below the Recv's call tick.
func TestRendezvousIntervalsOverlap(t *testing.T) {
	atEachProcs(t, 4000, 800, func(t *testing.T, n int) {
		const senders = 2
		var clock atomic.Uint64
		type interval struct{ call, ret uint64 }
		sends := make([]interval, senders*n)
		recvs := make([]interval, senders*n)
		txs, rx := unbufferedSenders(t, senders)
		var wg sync.WaitGroup
		for p, s := range txs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range n {
					v := p*n + i
					call := clock.Add(1)
					err := s.Send(v)
					sends[v] = interval{call, clock.Add(1)}
					if err != nil {
						t.Error(err)
						return
					}
				}
				_ = s.Close()
			}()
		}
		for {
			call := clock.Add(1)
			v, ok := rx.Recv()
			ret := clock.Add(1)
			if !ok {
				break
			}
			recvs[v] = interval{call, ret}
		}
		wg.Wait()
		for v := range sends {
			s, r := sends[v], recvs[v]
			require.NotZero(t, r.ret, "item %d never received", v)
			require.Less(t, s.call, r.ret, "item %d received before it was sent", v)
			require.Less(t, r.call, s.ret, "item %d: Send returned before its Recv began", v)
		}
	})
}

// A TrySend that woke a receiver asleep in a Select gives up when that
// Select chooses another case and returns: it reports ErrFull and nothing
// was delivered, or it succeeded and the Select chose its case. It never
// waits for a receiver that went away.
func TestRendezvousTrySendSelectChoosesOther(t *testing.T) {
	rounds := 300
	if testing.Short() {
		rounds = 100
	}
	for r := range rounds {
		tx, rx := channel.Make[int](0)
		other, otherRx := channel.Make[int](1)
		var a, b int
		sel := channel.NewSelector(channel.On(otherRx, &b), channel.On(rx, &a))
		chosen := make(chan int, 1)
		go func() {
			i, err := sel.Select(context.Background())
			if err != nil {
				i = -1
			}
			chosen <- i
		}()
		waitParks(t, func() uint64 { return rx.Stats().RecvParks }, 0)
		require.NoError(t, other.Send(r))
		err := tx.TrySend(7)
		i := <-chosen
		if err == nil {
			require.Equal(t, 1, i, "round %d: TrySend succeeded but the Select chose case %d", r, i)
			require.Equal(t, 7, a)
		} else {
			require.ErrorIs(t, err, handoff.ErrFull)
			_, rerr := rx.TryRecv()
			require.ErrorIs(t, rerr, handoff.ErrEmpty, "round %d: a failed TrySend left its item", r)
		}
	}
}

// A Selector may not both send and receive on one unbuffered channel: the
// send could only meet its own receive.
func TestSelectorSendRecvSameUnbufferedPanics(t *testing.T) {
	tx, rx := channel.Make[int](0)
	var v, w int
	msg := mustPanicWith(t, func() { channel.NewSelector(channel.SendTo(tx, &v), channel.On(rx, &w)) })
	require.Contains(t, msg, "channel:")
	// Buffered: allowed.
	btx, brx := channel.Make[int](1)
	sel := channel.NewSelector(channel.SendTo(btx, &v), channel.On(brx, &w))
	i, err := sel.TrySelect()
	require.NoError(t, err)
	require.Equal(t, 0, i)
}

// unbufferedSenders makes an unbuffered channel with k senders (the first
// and k-1 clones).
func unbufferedSenders(t *testing.T, k int) ([]*sender.Sender[int], *channel.Receiver[int]) {
	t.Helper()
	tx, rx := channel.Make[int](0)
	txs := []*sender.Sender[int]{tx}
	for range k - 1 {
		c, err := tx.Clone()
		require.NoError(t, err)
		txs = append(txs, c)
	}
	return txs, rx
}

// RecvBatch on an unbuffered channel: it takes one offered item at a time,
// and a TrySend that woke it is not left waiting when its context ends.
func TestRendezvousRecvBatch(t *testing.T) {
	tx, rx := channel.Make[int](0)
	sent := make(chan error, 1)
	go func() { sent <- tx.Send(4) }()
	dst := make([]int, 8)
	n, ok := rx.RecvBatch(dst)
	require.True(t, ok)
	require.Equal(t, 1, n)
	require.Equal(t, 4, dst[0])
	require.NoError(t, <-sent)

	// A RecvBatchContext asleep: a TrySend hands it the item, or, if the
	// receive's context ended first, gives up with ErrFull; either way it
	// returns, and nothing is delivered twice or lost.
	for range 200 {
		ctx, cancel := context.WithCancel(context.Background())
		got := make(chan int, 1)
		go func() {
			n, err := rx.RecvBatchContext(ctx, dst)
			if err != nil {
				n = 0
			}
			got <- n
		}()
		waitFor(t, "the receiver asleep", func() bool { return rx.Stats().RecvParks > 0 })
		cancel()
		err := tx.TrySend(5)
		n := <-got
		if err == nil && n == 0 {
			v, rerr := rx.TryRecv()
			require.NoError(t, rerr, "TrySend succeeded but nothing was received")
			require.Equal(t, 5, v)
		}
		if err != nil {
			require.ErrorIs(t, err, handoff.ErrFull)
		}
	}
}
