package channel_test

// Go's own channel tests (runtime/chan_test.go, test/chan/*.go) used as a
// checklist, ported to handoff channels. Where handoff differs from chan on
// purpose (errors instead of panics, receiver disconnect, capacity >= 1) the
// test checks the documented behaviour.

import (
	"context"
	"errors"
	"fmt"
	"github.com/handoff-go/handoff"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/handoff-go/handoff/channel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---- construction ----

func TestMakePanicsOnNegativeCapacity(t *testing.T) {
	for _, c := range []int{-1, -1 << 40} {
		msg := mustPanicWith(t, func() { channel.Make[int](c) })
		assert.True(t, strings.HasPrefix(msg, "channel:"), "capacity %d: panic %q must start with \"channel:\"", c, msg)
		assert.Contains(t, msg, "capacity")
	}
}

func TestLenCap(t *testing.T) {
	for _, c := range []int{0, 1, 2, 3, 7, 64, 1000} {
		tx, rx := channel.Make[int](c)
		require.Equal(t, c, tx.Cap())
		require.Equal(t, c, rx.Cap())
		for i := 0; i < c; i++ {
			require.Equal(t, i, tx.Len())
			require.Equal(t, i, rx.Len())
			require.NoError(t, tx.TrySend(i))
		}
		require.ErrorIs(t, tx.TrySend(-1), handoff.ErrFull, "capacity %d is exact", c)
		require.Equal(t, c, tx.Len())
		for i := 0; i < c; i++ {
			v, err := rx.TryRecv()
			require.NoError(t, err)
			require.Equal(t, i, v)
			require.Equal(t, c-i-1, rx.Len())
		}
		_, err := rx.TryRecv()
		require.ErrorIs(t, err, handoff.ErrEmpty)
		require.Equal(t, c, tx.Cap(), "Cap does not change")
	}
}

// ---- non-blocking forms (chan_test.go: TestChan "nonblock") ----

func TestTrySendFullTryRecvEmpty(t *testing.T) {
	tx, rx := channel.Make[string](2)
	_, err := rx.TryRecv()
	require.ErrorIs(t, err, handoff.ErrEmpty)
	require.NotErrorIs(t, err, handoff.ErrClosed)
	require.NoError(t, tx.TrySend("a"))
	require.NoError(t, tx.TrySend("b"))
	err = tx.TrySend("c")
	require.ErrorIs(t, err, handoff.ErrFull)
	require.NotErrorIs(t, err, handoff.ErrClosed)
	v, err := rx.TryRecv()
	require.NoError(t, err)
	require.Equal(t, "a", v)
	require.NoError(t, tx.TrySend("c"), "a slot was freed")
	for _, want := range []string{"b", "c"} {
		v, err := rx.TryRecv()
		require.NoError(t, err)
		require.Equal(t, want, v)
	}
	_, err = rx.TryRecv()
	require.ErrorIs(t, err, handoff.ErrEmpty)
}

// ---- close semantics (test/chan/doubleselect.go, test/closedchan.go) ----

func TestCloseDrainsThenReportsClosed(t *testing.T) {
	tx, rx := channel.Make[int](4)
	for i := 1; i <= 3; i++ {
		require.NoError(t, tx.Send(i))
	}
	require.False(t, tx.Closed())
	require.NoError(t, tx.Close())
	require.True(t, tx.Closed())
	require.True(t, rx.Closed(), "Closed reports the close even with items buffered")
	require.Equal(t, 3, rx.Len())

	v, ok := rx.Recv()
	require.True(t, ok)
	require.Equal(t, 1, v)
	v, err := rx.RecvContext(context.Background())
	require.NoError(t, err)
	require.Equal(t, 2, v)
	v, err = rx.TryRecv()
	require.NoError(t, err)
	require.Equal(t, 3, v)

	// Drained: every receive form reports closed, again and again, with the
	// zero value (like v, ok := <-ch on a closed chan).
	for i := 0; i < 3; i++ {
		v, ok = rx.Recv()
		require.False(t, ok)
		require.Zero(t, v)
		v, err = rx.RecvContext(context.Background())
		require.ErrorIs(t, err, handoff.ErrClosed)
		require.Zero(t, v)
		v, err = rx.TryRecv()
		require.ErrorIs(t, err, handoff.ErrClosed)
		require.NotErrorIs(t, err, handoff.ErrEmpty)
		require.Zero(t, v)
		dst := make([]int, 4)
		n, ok := rx.RecvBatch(dst)
		require.False(t, ok)
		require.Zero(t, n)
		n, err = rx.RecvBatchContext(context.Background(), dst)
		require.ErrorIs(t, err, handoff.ErrClosed)
		require.Zero(t, n)
	}
}

func TestCloseTwice(t *testing.T) {
	tx, rx := channel.Make[int](1)
	require.NoError(t, tx.Close())
	require.ErrorIs(t, tx.Close(), handoff.ErrClosed, "a second close is an error, not a panic")
	require.NoError(t, rx.Close(), "the receiver's own close is separate")
	require.ErrorIs(t, rx.Close(), handoff.ErrClosed)
}

func TestSendAfterSenderClose(t *testing.T) {
	tx, rx := channel.Make[int](2)
	require.NoError(t, tx.Send(1))
	require.NoError(t, tx.Close())
	require.ErrorIs(t, tx.Send(2), handoff.ErrClosed)
	require.ErrorIs(t, tx.TrySend(2), handoff.ErrClosed)
	require.ErrorIs(t, tx.SendContext(context.Background(), 2), handoff.ErrClosed)
	require.Equal(t, 1, rx.Len(), "failed sends enqueue nothing")
	v, ok := rx.Recv()
	require.True(t, ok)
	require.Equal(t, 1, v)
	_, ok = rx.Recv()
	require.False(t, ok)
}

// Receiver.Close is a disconnect (crossbeam's dropped receiver): later
// sends fail, later receives report closed at once, and whatever was
// buffered is discarded and counted.
func TestSendAfterReceiverDisconnect(t *testing.T) {
	tx, rx := channel.Make[int](2)
	require.NoError(t, tx.Send(1))
	require.NoError(t, rx.Close())
	require.True(t, tx.Closed(), "the sender sees the disconnect")
	require.True(t, rx.Closed())
	require.ErrorIs(t, tx.Send(2), handoff.ErrClosed)
	require.ErrorIs(t, tx.TrySend(2), handoff.ErrClosed)
	require.ErrorIs(t, tx.SendContext(context.Background(), 2), handoff.ErrClosed)
	n, err := tx.SendBatch([]int{2, 3})
	require.ErrorIs(t, err, handoff.ErrClosed)
	require.Zero(t, n)

	_, err = rx.TryRecv()
	require.ErrorIs(t, err, handoff.ErrClosed, "the buffered item is discarded, not delivered")
	_, ok := rx.Recv()
	require.False(t, ok)
	_, err = rx.RecvContext(context.Background())
	require.ErrorIs(t, err, handoff.ErrClosed)
	k, ok := rx.RecvBatch(make([]int, 2))
	require.False(t, ok)
	require.Zero(t, k)
	require.Zero(t, rx.Len())

	st := rx.Stats()
	require.Equal(t, uint64(1), st.Sent)
	require.Equal(t, uint64(0), st.Received)
	require.Equal(t, uint64(1), st.Discarded)
	require.NoError(t, tx.Close(), "the sender's close is still its first")
}

func TestTrySendOnFullClosedReportsClosed(t *testing.T) {
	tx, rx := channel.Make[int](1)
	require.NoError(t, tx.Send(1))
	require.NoError(t, rx.Close())
	require.ErrorIs(t, tx.TrySend(2), handoff.ErrClosed, "closed wins over full")
}

// ---- blocked operations woken by the other side ----

func TestReceiverDisconnectWakesBlockedSender(t *testing.T) {
	tx, rx := channel.Make[int](1)
	require.NoError(t, tx.Send(0))
	parks := tx.Stats().SendParks
	done := make(chan error)
	go func() { done <- tx.Send(1) }()
	waitParks(t, func() uint64 { return tx.Stats().SendParks }, parks)
	require.NoError(t, rx.Close())
	require.ErrorIs(t, <-done, handoff.ErrClosed)
	st := tx.Stats()
	require.Equal(t, uint64(1), st.Sent, "the woken send enqueued nothing")
	require.Equal(t, uint64(1), st.Discarded, "the buffered item was discarded")
}

func TestSenderCloseWakesBlockedReceiver(t *testing.T) {
	for _, form := range []string{"Recv", "RecvContext", "RecvBatch", "All"} {
		t.Run(form, func(t *testing.T) {
			tx, rx := channel.Make[int](1)
			parks := rx.Stats().RecvParks
			done := make(chan error)
			go func() {
				switch form {
				case "Recv":
					_, ok := rx.Recv()
					if ok {
						done <- errors.New("Recv: ok on a closed empty channel")
						return
					}
					done <- handoff.ErrClosed
				case "RecvContext":
					_, err := rx.RecvContext(context.Background())
					done <- err
				case "RecvBatch":
					n, ok := rx.RecvBatch(make([]int, 3))
					if ok || n != 0 {
						done <- fmt.Errorf("RecvBatch: (%d, %v) on a closed empty channel", n, ok)
						return
					}
					done <- handoff.ErrClosed
				case "All":
					for v := range rx.All() {
						done <- fmt.Errorf("All yielded %d", v)
						return
					}
					done <- handoff.ErrClosed
				}
			}()
			waitParks(t, func() uint64 { return rx.Stats().RecvParks }, parks)
			require.NoError(t, tx.Close())
			require.ErrorIs(t, <-done, handoff.ErrClosed)
		})
	}
}

func TestBlockedSendCompletesWhenSlotFrees(t *testing.T) {
	tx, rx := channel.Make[int](1)
	require.NoError(t, tx.Send(1))
	parks := tx.Stats().SendParks
	waits := tx.Stats().SendWaits
	done := make(chan error)
	go func() { done <- tx.Send(2) }()
	waitParks(t, func() uint64 { return tx.Stats().SendParks }, parks)
	require.Greater(t, tx.Stats().SendWaits, waits)
	v, ok := rx.Recv()
	require.True(t, ok)
	require.Equal(t, 1, v)
	require.NoError(t, <-done)
	v, ok = rx.Recv()
	require.True(t, ok)
	require.Equal(t, 2, v)
}

func TestBlockedRecvCompletesOnSend(t *testing.T) {
	tx, rx := channel.Make[int](1)
	parks := rx.Stats().RecvParks
	got := make(chan int)
	go func() {
		v, ok := rx.Recv()
		if !ok {
			v = -1
		}
		got <- v
	}()
	waitParks(t, func() uint64 { return rx.Stats().RecvParks }, parks)
	require.NoError(t, tx.Send(42))
	require.Equal(t, 42, <-got)
}

// ---- context cancellation and deadlines ----

func TestSendContextCancelledWhileBlocked(t *testing.T) {
	tx, rx := channel.Make[int](1)
	require.NoError(t, tx.Send(1))
	ctx, cancel := context.WithCancel(context.Background())
	parks := tx.Stats().SendParks
	done := make(chan error)
	go func() { done <- tx.SendContext(ctx, 2) }()
	waitParks(t, func() uint64 { return tx.Stats().SendParks }, parks)
	cancel()
	err := <-done
	require.ErrorIs(t, err, context.Canceled)
	require.NotErrorIs(t, err, handoff.ErrClosed)
	// Nothing was enqueued: only 1 is there, and the sender is still usable.
	require.Equal(t, 1, rx.Len())
	require.NoError(t, tx.Close())
	var got []int
	for v := range rx.All() {
		got = append(got, v)
	}
	require.Equal(t, []int{1}, got)
}

func TestRecvContextCancelledWhileBlocked(t *testing.T) {
	tx, rx := channel.Make[int](1)
	ctx, cancel := context.WithCancel(context.Background())
	parks := rx.Stats().RecvParks
	done := make(chan error)
	go func() {
		_, err := rx.RecvContext(ctx)
		done <- err
	}()
	waitParks(t, func() uint64 { return rx.Stats().RecvParks }, parks)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	// The receiver is still usable and loses nothing.
	require.NoError(t, tx.Send(7))
	v, err := rx.RecvContext(context.Background())
	require.NoError(t, err)
	require.Equal(t, 7, v)
}

func TestRecvBatchContextCancelledWhileBlocked(t *testing.T) {
	_, rx := channel.Make[int](4)
	ctx, cancel := context.WithCancel(context.Background())
	parks := rx.Stats().RecvParks
	done := make(chan error)
	go func() {
		n, err := rx.RecvBatchContext(ctx, make([]int, 4))
		if n != 0 {
			err = fmt.Errorf("cancelled batch returned n=%d", n)
		}
		done <- err
	}()
	waitParks(t, func() uint64 { return rx.Stats().RecvParks }, parks)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

// Deadlines: the assertion is on the error, never on how long it took.
func TestBlockedSendRecvDeadline(t *testing.T) {
	tx, rx := channel.Make[int](1)
	require.NoError(t, tx.Send(1))
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	require.ErrorIs(t, tx.SendContext(ctx, 2), context.DeadlineExceeded)
	require.Equal(t, 1, tx.Len())

	_, err := rx.TryRecv()
	require.NoError(t, err)
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel2()
	_, err = rx.RecvContext(ctx2)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

// A done context does not stop an operation that needs no waiting (like a
// select with a ready case), and stops one that does.
func TestDoneContextReadyAndNotReady(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tx, rx := channel.Make[int](1)
	require.NoError(t, tx.SendContext(ctx, 1), "a free slot: the send completes")
	require.ErrorIs(t, tx.SendContext(ctx, 2), context.Canceled, "full: the send waits and sees ctx done")
	v, err := rx.RecvContext(ctx)
	require.NoError(t, err, "an item is buffered: the receive completes")
	require.Equal(t, 1, v)
	_, err = rx.RecvContext(ctx)
	require.ErrorIs(t, err, context.Canceled)
	n, err := rx.RecvBatchContext(ctx, make([]int, 2))
	require.ErrorIs(t, err, context.Canceled)
	require.Zero(t, n)
}

// ---- range (test/chan/select3.go, range over a closed chan) ----

func TestAllRangesUntilClosed(t *testing.T) {
	tx, rx := channel.Make[int](3)
	const n = 1000
	go func() {
		for i := 0; i < n; i++ {
			if err := tx.Send(i); err != nil {
				panic(err)
			}
		}
		_ = tx.Close()
	}()
	want := 0
	for v := range rx.All() {
		require.Equal(t, want, v)
		want++
	}
	require.Equal(t, n, want)
}

func TestAllBreakLeavesRest(t *testing.T) {
	tx, rx := channel.Make[int](8)
	for i := 0; i < 8; i++ {
		require.NoError(t, tx.Send(i))
	}
	var got []int
	for v := range rx.All() {
		got = append(got, v)
		if v == 2 {
			break
		}
	}
	require.Equal(t, []int{0, 1, 2}, got)
	require.Equal(t, 5, rx.Len(), "break leaves the remaining items in the channel")
	v, ok := rx.Recv()
	require.True(t, ok)
	require.Equal(t, 3, v)
	require.NoError(t, tx.Close())
	got = got[:0]
	for v := range rx.All() {
		got = append(got, v)
	}
	require.Equal(t, []int{4, 5, 6, 7}, got)
}

// ---- RecvBatch ----

func TestRecvBatchSemantics(t *testing.T) {
	tx, rx := channel.Make[int](8)

	n, ok := rx.RecvBatch(nil)
	require.True(t, ok, "an empty dst returns at once")
	require.Zero(t, n)

	for i := 0; i < 5; i++ {
		require.NoError(t, tx.Send(i))
	}
	dst := make([]int, 3)
	n, ok = rx.RecvBatch(dst)
	require.True(t, ok)
	require.Equal(t, 3, n, "up to len(dst)")
	require.Equal(t, []int{0, 1, 2}, dst)
	dst = make([]int, 10)
	n, ok = rx.RecvBatch(dst)
	require.True(t, ok)
	require.Equal(t, 2, n, "no more than is buffered")
	require.Equal(t, []int{3, 4}, dst[:n])

	// Wrap around the ring's end: 6 in, 6 out, 6 in, in batches.
	for round := 0; round < 3; round++ {
		for i := 0; i < 6; i++ {
			require.NoError(t, tx.TrySend(round*10+i))
		}
		got := 0
		for got < 6 {
			n, ok := rx.RecvBatch(dst[:4])
			require.True(t, ok)
			for i := 0; i < n; i++ {
				require.Equal(t, round*10+got+i, dst[i])
			}
			got += n
		}
	}

	// Blocks until at least one item is there.
	parks := rx.Stats().RecvParks
	res := make(chan int)
	go func() {
		n, _ := rx.RecvBatch(dst)
		res <- n
	}()
	waitParks(t, func() uint64 { return rx.Stats().RecvParks }, parks)
	require.NoError(t, tx.Send(99))
	require.Equal(t, 1, <-res)
	require.Equal(t, 99, dst[0])

	// Closed: drain, then (0, false).
	require.NoError(t, tx.Send(100))
	require.NoError(t, tx.Close())
	n, ok = rx.RecvBatch(dst)
	require.True(t, ok)
	require.Equal(t, 1, n)
	require.Equal(t, 100, dst[0])
	n, ok = rx.RecvBatch(dst)
	require.False(t, ok)
	require.Zero(t, n)
}

// ---- ping-pong (chan_test.go: TestPingPong-like; test/chan/fifo.go) ----

func TestPingPong(t *testing.T) {
	rounds := 20000
	if testing.Short() || raceEnabled {
		rounds = 5000
	}
	for _, procs := range []int{1, 2} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			pingTx, pingRx := channel.Make[int](1)
			pongTx, pongRx := channel.Make[int](1)
			done := make(chan error)
			go func() {
				for v := range pingRx.All() {
					if err := pongTx.Send(v + 1); err != nil {
						done <- err
						return
					}
				}
				done <- pongTx.Close()
			}()
			v := 0
			for i := 0; i < rounds; i++ {
				require.NoError(t, pingTx.Send(v))
				w, ok := pongRx.Recv()
				require.True(t, ok)
				require.Equal(t, v+1, w)
				v = w + 1
			}
			require.NoError(t, pingTx.Close())
			require.NoError(t, <-done)
			_, ok := pongRx.Recv()
			require.False(t, ok)
		})
	}
}

// ---- stress: order, no loss, no duplicates (test/chan/sieve1.go, fifo.go) ----

func TestStressSequence(t *testing.T) {
	// Items per run, by capacity: a capacity of 1 makes nearly every item a
	// park and a wake-up, which the race detector makes very slow.
	items := map[int]int{1: 50000, 7: 100000, 64: 200000}
	if testing.Short() || raceEnabled {
		items = map[int]int{1: 3000, 7: 10000, 64: 40000}
	}
	for _, procs := range []int{1, 2, 4} {
		for _, capacity := range []int{1, 7, 64} {
			n := items[capacity]
			t.Run(fmt.Sprintf("GOMAXPROCS=%d/cap=%d", procs, capacity), func(t *testing.T) {
				setGOMAXPROCS(t, procs)
				tx, rx := channel.Make[uint64](capacity)
				sendErr := make(chan error, 1)
				go func() {
					for i := 0; i < n; i++ {
						v := uint64(i)
						var err error
						switch i % 4 {
						case 0, 1:
							err = tx.Send(v)
						case 2:
							err = tx.SendContext(context.Background(), v)
						case 3:
							for err = tx.TrySend(v); errors.Is(err, handoff.ErrFull); err = tx.TrySend(v) {
								runtime.Gosched()
							}
						}
						if err != nil {
							sendErr <- fmt.Errorf("send %d: %w", i, err)
							return
						}
					}
					sendErr <- tx.Close()
				}()
				next := uint64(0)
				dst := make([]uint64, 5)
				check := func(v uint64) {
					if v != next {
						t.Fatalf("received %d, want %d (loss, duplicate or reorder)", v, next)
					}
					next++
				}
				for closed := false; !closed; {
					switch next % 4 {
					case 0:
						v, ok := rx.Recv()
						if !ok {
							closed = true
							break
						}
						check(v)
					case 1:
						v, err := rx.TryRecv()
						switch {
						case errors.Is(err, handoff.ErrEmpty):
							runtime.Gosched()
						case errors.Is(err, handoff.ErrClosed):
							closed = true
						case err != nil:
							t.Fatal(err)
						default:
							check(v)
						}
					case 2:
						k, ok := rx.RecvBatch(dst)
						if !ok {
							closed = true
							break
						}
						for _, v := range dst[:k] {
							check(v)
						}
					case 3:
						v, err := rx.RecvContext(context.Background())
						if errors.Is(err, handoff.ErrClosed) {
							closed = true
							break
						}
						require.NoError(t, err)
						check(v)
					}
				}
				require.NoError(t, <-sendErr)
				require.Equal(t, uint64(n), next, "every item arrives")
			})
		}
	}
}

// Values are copied, like a chan of structs: the receiver's copy is its own.
func TestValueTypesAreCopied(t *testing.T) {
	type pair struct {
		a, b int
		s    [4]string
	}
	tx, rx := channel.Make[pair](2)
	p := pair{a: 1, b: 2, s: [4]string{"x"}}
	require.NoError(t, tx.Send(p))
	p.a = 100
	got, ok := rx.Recv()
	require.True(t, ok)
	require.Equal(t, pair{a: 1, b: 2, s: [4]string{"x"}}, got)
}

// ---- allocations ----

func TestZeroAllocsPerOperation(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates; run without -race")
	}
	t.Run("int", func(t *testing.T) {
		tx, rx := channel.Make[int](16)
		dst := make([]int, 4)
		warm := func() {
			_ = tx.Send(1)
			_, _ = rx.Recv()
			_ = tx.TrySend(2)
			_, _ = rx.TryRecv()
			_ = tx.SendContext(context.Background(), 3)
			_, _ = rx.RecvContext(context.Background())
			_ = tx.Send(4)
			_, _ = rx.RecvBatch(dst)
			_, _ = rx.TryRecv() // empty: ErrEmpty is a sentinel, no allocation
		}
		warm()
		require.Zero(t, testing.AllocsPerRun(1000, warm))
	})
	t.Run("owned", func(t *testing.T) {
		tx, rx := channel.Make[*Msg](16)
		b := &Msg{}
		require.NoError(t, tx.Owner().Adopt(&b.Header))
		// The object goes to the receiver's owner and is handed back by a
		// Transfer, all on this goroutine.
		warm := func() {
			_ = tx.Send(b)
			got, _ := rx.Recv()
			_ = rx.Owner().Transfer(&got.Header, tx.Owner())
			_ = tx.TrySend(b)
			got, _ = rx.TryRecv()
			_ = rx.Owner().Transfer(&got.Header, tx.Owner())
			_ = tx.Send(nil)
			_, _ = rx.Recv()
		}
		warm()
		require.Zero(t, testing.AllocsPerRun(1000, warm))
		require.True(t, tx.Owner().Owns(&b.Header), "the object came back every time")
	})
}
