package channel_test

// Many receivers (Receiver.Clone): the multi-consumer behaviours of Go's
// runtime channel tests ($GOROOT/src/runtime/chan_test.go: TestMultiConsumer,
// TestChan's "send 1000 integers in 4 goroutines", TestNonblockRecvRace,
// closes that wake every receiver) ported to handoff channels, plus what
// handoff adds: per-sender order across the receivers, ownership by the
// receiver that gets the object, and receivers that close one by one.
// Every test runs at several GOMAXPROCS with bounded iteration counts.

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
	"github.com/stretchr/testify/require"
)

// multiProcs are the GOMAXPROCS values the multi-receiver tests run at.
var multiProcs = []int{1, 2, 4}

// scaled is n, or n/10 with -short or -race.
func scaled(n int) int {
	if testing.Short() || raceEnabled {
		return max(n/10, 1)
	}
	return n
}

// cloneReceivers returns rx and k-1 clones of it.
func cloneReceivers[T any](t *testing.T, rx *channel.Receiver[T], k int) []*channel.Receiver[T] {
	t.Helper()
	rxs := []*channel.Receiver[T]{rx}
	for len(rxs) < k {
		c, err := rx.Clone()
		require.NoError(t, err)
		rxs = append(rxs, c)
	}
	return rxs
}

// cloneSenders returns tx and k-1 clones of it.
func cloneSenders[T any](t *testing.T, tx *channel.Sender[T], k int) []*channel.Sender[T] {
	t.Helper()
	txs := []*channel.Sender[T]{tx}
	for len(txs) < k {
		c, err := tx.Clone()
		require.NoError(t, err)
		txs = append(txs, c)
	}
	return txs
}

// TestMultiConsumer is runtime's TestMultiConsumer: 23 workers range over
// one jobs channel and send what they get on a results channel (a sender
// clone each); the feeder closes the jobs, the last worker's close closes
// the results. Counts and sums must match. On top: each worker sees the
// job numbers it gets in increasing order (the pops are in send order).
func TestMultiConsumer(t *testing.T) {
	for _, procs := range multiProcs {
		t.Run(fmt.Sprint("procs=", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			const nwork = 23
			niter := scaled(271828 / 4)
			pn := []int{2, 3, 7, 11, 13, 17, 19, 23, 27, 31}
			qtx, qrx := channel.Make[int](nwork * 3)
			rtx, rrx := channel.Make[int](nwork * 3)
			qrxs := cloneReceivers(t, qrx, nwork)
			rtxs := cloneSenders(t, rtx, nwork)
			var bad atomic.Int64
			for w := range nwork {
				go func() {
					last := -1
					for v := range qrxs[w].All() {
						if v <= last {
							bad.Add(1)
						}
						last = v
						// mess with the fifo-ish nature of range
						if pn[w%len(pn)] == v%32 {
							runtime.Gosched()
						}
						if err := rtxs[w].Send(v % 32); err != nil {
							bad.Add(1)
						}
					}
					_ = rtxs[w].Close()
				}()
			}
			expect := 0
			go func() {
				for i := range niter {
					v := pn[i%len(pn)]
					if err := qtx.Send(i*32 + v); err != nil {
						bad.Add(1)
					}
				}
				_ = qtx.Close()
			}()
			for i := range niter {
				expect += pn[i%len(pn)]
			}
			n, s := 0, 0
			for v := range rrx.All() {
				n++
				s += v
			}
			require.Zero(t, bad.Load(), "a worker saw jobs out of order, or a send failed")
			require.Equal(t, niter, n)
			require.Equal(t, expect, s)
		})
	}
}

// mpmcRun has p senders send n items each, (sender, seq) packed in an
// int, to c receivers that take them with recv, and checks that every
// item arrived exactly once and each receiver saw each sender's items in
// increasing order.
func mpmcRun(t *testing.T, capacity, p, c, n int, recv func(rx *channel.Receiver[int], got func(v int)) error) {
	t.Helper()
	tx, rx := channel.Make[int](capacity)
	txs := cloneSenders(t, tx, p)
	rxs := cloneReceivers(t, rx, c)
	seen := make([][]atomic.Int32, p)
	for i := range seen {
		seen[i] = make([]atomic.Int32, n)
	}
	var wg sync.WaitGroup
	var orderErr atomic.Value
	for _, r := range rxs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := make([]int, p)
			for i := range last {
				last[i] = -1
			}
			err := recv(r, func(v int) {
				s, q := v>>32, v&(1<<32-1)
				if q <= last[s] {
					orderErr.Store(fmt.Sprintf("sender %d: %d after %d", s, q, last[s]))
				}
				last[s] = q
				seen[s][q].Add(1)
			})
			if err != nil && !errors.Is(err, handoff.ErrClosed) {
				orderErr.Store(err.Error())
			}
		}()
	}
	for s, x := range txs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range n {
				if err := x.Send(s<<32 | q); err != nil {
					orderErr.Store(err.Error())
				}
			}
			_ = x.Close()
		}()
	}
	wg.Wait()
	if e := orderErr.Load(); e != nil {
		t.Fatal(e)
	}
	for s := range seen {
		for q := range seen[s] {
			if got := seen[s][q].Load(); got != 1 {
				t.Fatalf("item (%d, %d) received %d times", s, q, got)
			}
		}
	}
	st := rx.Stats()
	require.Equal(t, uint64(p*n), st.Sent)
	require.Equal(t, uint64(p*n), st.Received)
}

// TestChanSendInFourGoroutines is TestChan's "Send 1000 integers in 4
// goroutines, ensure that we receive what we send", with 4 receivers, at
// several capacities, with every way of receiving.
func TestChanSendInFourGoroutines(t *testing.T) {
	recvs := map[string]func(rx *channel.Receiver[int], got func(int)) error{
		"Recv": func(rx *channel.Receiver[int], got func(int)) error {
			for v := range rx.All() {
				got(v)
			}
			return nil
		},
		"RecvBatch": func(rx *channel.Receiver[int], got func(int)) error {
			buf := make([]int, 7)
			for {
				n, ok := rx.RecvBatch(buf)
				if !ok {
					return nil
				}
				for _, v := range buf[:n] {
					got(v)
				}
			}
		},
		"TryRecv": func(rx *channel.Receiver[int], got func(int)) error {
			for {
				v, err := rx.TryRecv()
				switch {
				case err == nil:
					got(v)
				case errors.Is(err, handoff.ErrEmpty):
					runtime.Gosched()
				default:
					return err
				}
			}
		},
		"TryRecvBatch": func(rx *channel.Receiver[int], got func(int)) error {
			buf := make([]int, 5)
			for {
				n, err := rx.TryRecvBatch(buf)
				switch {
				case err == nil:
					for _, v := range buf[:n] {
						got(v)
					}
				case errors.Is(err, handoff.ErrEmpty):
					runtime.Gosched()
				default:
					return err
				}
			}
		},
		"RecvContext": func(rx *channel.Receiver[int], got func(int)) error {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			for {
				v, err := rx.RecvContext(ctx)
				if err != nil {
					return err
				}
				got(v)
			}
		},
	}
	for _, procs := range multiProcs {
		for _, capacity := range []int{1, 3, 64} {
			for name, recv := range recvs {
				t.Run(fmt.Sprintf("procs=%d/cap=%d/%s", procs, capacity, name), func(t *testing.T) {
					setGOMAXPROCS(t, procs)
					mpmcRun(t, capacity, 4, 4, scaled(1000), recv)
				})
			}
		}
	}
}

// TestMultiReceiverOneSenderOrder: one sender, eight receivers mixing
// every receive form; per-sender order is the global order here.
func TestMultiReceiverOneSenderOrder(t *testing.T) {
	for _, procs := range multiProcs {
		t.Run(fmt.Sprint("procs=", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			mpmcRun(t, 16, 1, 8, scaled(20000), func(rx *channel.Receiver[int], got func(int)) error {
				buf := make([]int, 3)
				for i := 0; ; i++ {
					switch i % 3 {
					case 0:
						v, ok := rx.Recv()
						if !ok {
							return nil
						}
						got(v)
					case 1:
						n, ok := rx.RecvBatch(buf)
						if !ok {
							return nil
						}
						for _, v := range buf[:n] {
							got(v)
						}
					default:
						n, err := rx.TryRecvBatch(buf)
						if errors.Is(err, handoff.ErrClosed) {
							return nil
						}
						for _, v := range buf[:n] {
							got(v)
						}
					}
				}
			})
		})
	}
}

// TestManyReceiversServeEveryLane: with several receivers, a receiver
// takes at most 32 items in a row from one sender's lane while another
// lane has items (the bound package channel documents), keeps each
// sender's order, and serves every lane. Three full lanes, one goroutine
// receiving, so the sequence is deterministic; TryRecv and Recv
// interleaved (they share the lane choice; a RecvBatch sweeps the lanes
// round robin and moves on anyway).
func TestManyReceiversServeEveryLane(t *testing.T) {
	const capacity, lanes, maxRun = 100, 3, laneRun
	tx, rx := channel.Make[int](capacity)
	senders := []*channel.Sender[int]{tx}
	for len(senders) < lanes {
		s, err := tx.Clone()
		require.NoError(t, err)
		senders = append(senders, s)
	}
	other, err := rx.Clone() // several receivers: the claimed path
	require.NoError(t, err)
	defer other.Close()
	for i := range capacity {
		for k, s := range senders {
			require.NoError(t, s.TrySend(k*capacity+i))
		}
	}
	next := make([]int, lanes) // the next item expected from each lane
	run, last := 0, -1
	for i := range lanes * capacity {
		var v int
		if i%2 == 0 {
			v, err = rx.TryRecv()
			require.NoError(t, err)
		} else {
			var ok bool
			v, ok = rx.Recv()
			require.True(t, ok)
		}
		k := v / capacity
		require.Equal(t, k*capacity+next[k], v, "lane %d out of order", k)
		next[k]++
		if k == last {
			run++
		} else {
			run, last = 1, k
		}
		othersHaveItems := false
		for j := range lanes {
			othersHaveItems = othersHaveItems || (j != k && next[j] < capacity)
		}
		if othersHaveItems {
			require.LessOrEqual(t, run, maxRun, "lane %d delivered %d in a row while others waited (item %d)", k, run, i)
		}
	}
	for k := range lanes {
		require.Equal(t, capacity, next[k], "lane %d fully served", k)
	}
	_, err = rx.TryRecv()
	require.ErrorIs(t, err, handoff.ErrEmpty)
}

// TestNonblockRecvRaceMulti is runtime's TestNonblockRecvRace with the
// racing receive on a clone: a channel with one item that is then closed
// is never "empty" to a non-blocking receive (it gets the item or sees
// the close), while the original receiver takes the item or sees the close.
func TestNonblockRecvRaceMulti(t *testing.T) {
	for _, procs := range multiProcs {
		t.Run(fmt.Sprint("procs=", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			for range scaled(10000) {
				tx, rx := channel.Make[int](1)
				require.NoError(t, tx.Send(1))
				rx2, err := rx.Clone()
				require.NoError(t, err)
				errc := make(chan error, 1)
				go func() {
					_, err := rx2.TryRecv()
					errc <- err
				}()
				require.NoError(t, tx.Close())
				_, ok := rx.Recv()
				err = <-errc
				if errors.Is(err, handoff.ErrEmpty) {
					t.Fatal("a closed channel with one item was reported empty")
				}
				require.True(t, ok != (err == nil), "the item went to exactly one receiver (ok=%v, err=%v)", ok, err)
			}
		})
	}
}

// TestCloseWakesEveryReceiver: receivers blocked in every wait position
// (the one sleeping at the door holder's Parker and those waiting for the
// door) all wake when the last sender closes, as every blocked receive of
// a Go channel wakes at close.
func TestCloseWakesEveryReceiver(t *testing.T) {
	for _, procs := range multiProcs {
		t.Run(fmt.Sprint("procs=", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			tx, rx := channel.Make[int](4)
			rxs := cloneReceivers(t, rx, 6)
			var wg sync.WaitGroup
			var got atomic.Int64
			for _, r := range rxs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for v := range r.All() {
						got.Add(int64(v))
					}
				}()
			}
			waitParks(t, func() uint64 { return rx.Stats().RecvParks }, 0)
			require.NoError(t, tx.Send(5))
			require.NoError(t, tx.Close())
			wg.Wait()
			require.Equal(t, int64(5), got.Load())
		})
	}
}

// TestReceiversCloseOneByOne: the channel stays connected while any
// receiver is open; the last close disconnects it (sends fail with
// ErrClosed, buffered items are discarded). A closed receiver reports
// ErrClosed and cannot be cloned; the others keep receiving.
func TestReceiversCloseOneByOne(t *testing.T) {
	tx, rx := channel.Make[int](8)
	rxs := cloneReceivers(t, rx, 3)
	require.NoError(t, rxs[1].Close())
	require.ErrorIs(t, rxs[1].Close(), handoff.ErrClosed, "closing twice")
	require.True(t, rxs[1].Closed())
	_, err := rxs[1].TryRecv()
	require.ErrorIs(t, err, handoff.ErrClosed)
	_, err = rxs[1].Clone()
	require.ErrorIs(t, err, handoff.ErrClosed)
	require.False(t, rx.Closed())
	require.NoError(t, tx.Send(1))
	v, err := rxs[2].TryRecv()
	require.NoError(t, err)
	require.Equal(t, 1, v)
	require.NoError(t, rx.Close())
	require.NoError(t, tx.Send(2), "one receiver is still open")
	require.NoError(t, tx.Send(3))
	require.NoError(t, rxs[2].Close())
	require.ErrorIs(t, tx.Send(4), handoff.ErrClosed, "the last receiver closed: disconnected")
	st := tx.Stats()
	require.Equal(t, uint64(3), st.Sent)
	require.Equal(t, uint64(2), st.Discarded)
	_, err = rx.Clone()
	require.ErrorIs(t, err, handoff.ErrClosed)
}

// TestCloseBlockedReceiverFromAnotherGoroutine: closing a receiver clone
// from another goroutine wakes its blocked Recv (whether it waits at the
// Parker or for the door) with ErrClosed; the others stay blocked until
// an item comes.
func TestCloseBlockedReceiverFromAnotherGoroutine(t *testing.T) {
	for _, procs := range multiProcs {
		t.Run(fmt.Sprint("procs=", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			tx, rx := channel.Make[int](2)
			rxs := cloneReceivers(t, rx, 4)
			errs := make([]chan error, len(rxs))
			for i, r := range rxs {
				errs[i] = make(chan error, 1)
				go func() {
					_, err := r.RecvContext(context.Background())
					errs[i] <- err
				}()
			}
			waitParks(t, func() uint64 { return rx.Stats().RecvParks }, 0)
			for _, i := range []int{0, 2} { // whoever holds the door, and who waits for it
				require.NoError(t, rxs[i].Close())
				require.ErrorIs(t, <-errs[i], handoff.ErrClosed)
			}
			require.NoError(t, tx.Send(7))
			require.NoError(t, tx.Send(8))
			require.NoError(t, <-errs[1])
			require.NoError(t, <-errs[3])
			require.NoError(t, tx.Close())
		})
	}
}

// TestMultiReceiverContextCancel: a receive waiting for the door gives up
// when its context ends, and nothing is lost.
func TestMultiReceiverContextCancel(t *testing.T) {
	tx, rx := channel.Make[int](2)
	rxs := cloneReceivers(t, rx, 3)
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 3)
	for _, r := range rxs {
		go func() {
			_, err := r.RecvContext(ctx)
			errs <- err
		}()
	}
	waitParks(t, func() uint64 { return rx.Stats().RecvParks }, 0)
	cancel()
	for range rxs {
		require.ErrorIs(t, <-errs, context.Canceled)
	}
	require.NoError(t, tx.Send(1))
	v, err := rxs[2].TryRecv()
	require.NoError(t, err)
	require.Equal(t, 1, v)
}

// TestOwnedObjectsGoToTheReceiverThatGetsThem: each receiver clone has an
// owner of its own; an object sent after the first Clone arrives owned by
// the owner of the receiver that got it, without a steal, and the
// sender's check fails from the moment Send returns. The workers write
// the objects' plain fields, so the race detector checks each hand-over.
func TestOwnedObjectsGoToTheReceiverThatGetsThem(t *testing.T) {
	for _, procs := range multiProcs {
		t.Run(fmt.Sprint("procs=", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			tx, rx := channel.Make[*Msg](4)
			rxs := cloneReceivers(t, rx, 4)
			owners := map[*ownership.Owner]bool{}
			for _, r := range rxs {
				require.NotNil(t, r.Owner())
				require.False(t, owners[r.Owner()], "each receiver has an owner of its own")
				owners[r.Owner()] = true
			}
			n := scaled(4000)
			var wg sync.WaitGroup
			var bad atomic.Value
			counts := make([]int, len(rxs))
			for i, r := range rxs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for m := range r.All() {
						if err := r.Owner().Check(&m.Header); err != nil {
							bad.Store(err.Error())
						}
						m.n++ // a plain write: the race detector checks the edge
						m.data[0] = byte(i)
						counts[i]++
					}
				}()
			}
			for i := range n {
				m := &Msg{n: i}
				require.NoError(t, tx.Owner().Adopt(&m.Header))
				require.NoError(t, tx.Send(m))
				require.ErrorIs(t, tx.Owner().Check(&m.Header), ownership.ErrNotOwner, "use-after-send is caught")
			}
			require.NoError(t, tx.Close())
			wg.Wait()
			if e := bad.Load(); e != nil {
				t.Fatal(e)
			}
			total := 0
			for _, c := range counts {
				total += c
			}
			require.Equal(t, n, total)
			require.Zero(t, tx.Stats().Stolen, "no receive had to steal")
			for _, r := range rxs {
				_ = r.Close()
				r.Owner().Close()
			}
		})
	}
}

// TestOwnedSentBeforeCloneStillArrivesOwned: objects sent to the first
// receiver's owner before the first Clone are owned by whichever receiver
// gets them; a clone takes them on the fallback path, at the first
// receiver's next preemption point (here: while it is blocked in Recv).
func TestOwnedSentBeforeCloneStillArrivesOwned(t *testing.T) {
	tx, rx := channel.Make[*Msg](4)
	ms := adopted(t, tx.Owner(), 4)
	for _, m := range ms {
		require.NoError(t, tx.Send(m))
	}
	rx2, err := rx.Clone()
	require.NoError(t, err)
	closeOwners(t, rx2.Owner())
	got := make(chan int, 1)
	go func() {
		n := 0
		for m := range rx2.All() {
			if rx2.Owner().Check(&m.Header) != nil {
				t.Error("the clone's object is not its own")
			}
			m.n++
			n++
		}
		got <- n
	}()
	require.NoError(t, tx.Close())
	n := 0
	for m := range rx.All() {
		require.NoError(t, rx.Owner().Check(&m.Header))
		m.n++
		n++
	}
	require.Equal(t, 4, n+<-got)
}

// TestTryRecvBatchOneReceiver: TryRecvBatch takes what is buffered, never
// waits, reports ErrEmpty on an empty channel and ErrClosed on a closed
// and drained one.
func TestTryRecvBatchOneReceiver(t *testing.T) {
	tx, rx := channel.Make[int](8)
	buf := make([]int, 4)
	n, err := rx.TryRecvBatch(buf)
	require.ErrorIs(t, err, handoff.ErrEmpty)
	require.Zero(t, n)
	n, err = rx.TryRecvBatch(nil)
	require.NoError(t, err)
	require.Zero(t, n)
	for i := range 6 {
		require.NoError(t, tx.Send(i))
	}
	n, err = rx.TryRecvBatch(buf)
	require.NoError(t, err)
	require.Equal(t, []int{0, 1, 2, 3}, buf[:n])
	require.NoError(t, tx.Close())
	n, err = rx.TryRecvBatch(buf)
	require.NoError(t, err)
	require.Equal(t, []int{4, 5}, buf[:n])
	_, err = rx.TryRecvBatch(buf)
	require.ErrorIs(t, err, handoff.ErrClosed)
}

// TestTryRecvBatchDisconnected: after the receiver closed, ErrClosed.
func TestTryRecvBatchDisconnected(t *testing.T) {
	tx, rx := channel.Make[int](8)
	require.NoError(t, tx.Send(1))
	require.NoError(t, rx.Close())
	_, err := rx.TryRecvBatch(make([]int, 2))
	require.ErrorIs(t, err, handoff.ErrClosed)
}

// TestMultiReceiverZeroAllocs: receiving with several receivers allocates
// nothing per item, on every path.
func TestMultiReceiverZeroAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates; run without -race")
	}
	t.Run("int", func(t *testing.T) {
		tx, rx := channel.Make[int](16)
		rx2 := cloneReceivers(t, rx, 2)[1]
		dst := make([]int, 4)
		warm := func() {
			_ = tx.Send(1)
			_, _ = rx.Recv()
			_ = tx.Send(2)
			_, _ = rx2.Recv()
			_ = tx.TrySend(3)
			_, _ = rx2.TryRecv()
			_ = tx.Send(4)
			_, _ = rx.RecvContext(context.Background())
			_ = tx.Send(5)
			_, _ = rx2.RecvBatch(dst)
			_ = tx.Send(6)
			_, _ = rx.TryRecvBatch(dst)
			_, _ = rx2.TryRecvBatch(dst) // empty
			_, _ = rx.TryRecv()          // empty
		}
		warm()
		require.Zero(t, testing.AllocsPerRun(1000, warm))
	})
	t.Run("owned", func(t *testing.T) {
		tx, rx := channel.Make[*Msg](16)
		rx2 := cloneReceivers(t, rx, 2)[1]
		closeOwners(t, rx2.Owner())
		b := &Msg{}
		require.NoError(t, tx.Owner().Adopt(&b.Header))
		dst := make([]*Msg, 2)
		warm := func() {
			_ = tx.Send(b)
			got, _ := rx2.Recv()
			_ = rx2.Owner().Transfer(&got.Header, tx.Owner())
			_ = tx.Send(b)
			got, _ = rx.TryRecv()
			_ = rx.Owner().Transfer(&got.Header, tx.Owner())
			_ = tx.Send(b)
			n, _ := rx2.TryRecvBatch(dst)
			_ = rx2.Owner().Transfer(&dst[n-1].Header, tx.Owner())
		}
		warm()
		require.Zero(t, testing.AllocsPerRun(1000, warm))
		require.True(t, tx.Owner().Owns(&b.Header))
	})
	t.Run("one receiver TryRecvBatch", func(t *testing.T) {
		tx, rx := channel.Make[int](16)
		dst := make([]int, 4)
		warm := func() {
			_ = tx.Send(1)
			_ = tx.Send(2)
			_, _ = rx.TryRecvBatch(dst)
			_, _ = rx.TryRecvBatch(dst)
		}
		warm()
		require.Zero(t, testing.AllocsPerRun(1000, warm))
	})
}

// TestSelectSleepsOnClonedReceiver: a Select whose receive case is on a
// receiver with clones sleeps (holding that channel's door) and wakes for
// an item sent later, beside an idle second channel.
func TestSelectSleepsOnClonedReceiver(t *testing.T) {
	for _, procs := range multiProcs {
		t.Run(fmt.Sprint("procs=", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			tx, rx := channel.Make[int](2)
			rx2 := cloneReceivers(t, rx, 2)[1]
			_, idle := channel.Make[int](1)
			var v, w int
			sel := channel.NewSelector(channel.On(idle, &w), channel.On(rx, &v))
			_, err := sel.TrySelect()
			require.ErrorIs(t, err, handoff.ErrEmpty)
			got := make(chan int)
			go func() {
				i, err := sel.Select(context.Background())
				if err != nil || i != 1 {
					t.Errorf("Select: %d, %v", i, err)
				}
				got <- v
			}()
			waitParks(t, func() uint64 { return rx.Stats().RecvParks }, 0)
			require.NoError(t, tx.Send(3))
			require.Equal(t, 3, <-got)
			// The clone still receives, and the door was passed on.
			require.NoError(t, tx.Send(4))
			x, ok := rx2.Recv()
			require.True(t, ok)
			require.Equal(t, 4, x)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err = sel.Select(ctx)
			require.ErrorIs(t, err, context.Canceled)
		})
	}
}

// TestSelectorsAndReceiversShareClonedChannels: two Selectors over two
// channels that both have several receivers (one in the order A, B, the
// other B, A) and a plain receiver on each channel; every item is received
// exactly once and nobody is stuck, whatever holds which door.
func TestSelectorsAndReceiversShareClonedChannels(t *testing.T) {
	for _, procs := range multiProcs {
		t.Run(fmt.Sprint("procs=", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			n := scaled(20000)
			txA, rxA := channel.Make[int](4)
			txB, rxB := channel.Make[int](4)
			as := cloneReceivers(t, rxA, 3)
			bs := cloneReceivers(t, rxB, 3)
			var seen [2][]atomic.Int32
			seen[0], seen[1] = make([]atomic.Int32, n), make([]atomic.Int32, n)
			var wg sync.WaitGroup
			selector := func(rs [2]*channel.Receiver[int], chs [2]int) {
				defer wg.Done()
				var v [2]int
				sel := channel.NewSelector(channel.On(rs[0], &v[0]), channel.On(rs[1], &v[1]))
				var closed [2]bool
				for !closed[0] || !closed[1] {
					i, err := sel.Select(context.Background())
					switch {
					case errors.Is(err, handoff.ErrClosed):
						closed[i] = true // ready from now on, as a closed Go channel is
						runtime.Gosched()
					case err != nil:
						t.Error(err)
						return
					default:
						seen[chs[i]][v[i]].Add(1)
					}
				}
			}
			wg.Add(2)
			go selector([2]*channel.Receiver[int]{as[0], bs[0]}, [2]int{0, 1})
			go selector([2]*channel.Receiver[int]{bs[1], as[1]}, [2]int{1, 0})
			for ch, r := range [2]*channel.Receiver[int]{as[2], bs[2]} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for v := range r.All() {
						seen[ch][v].Add(1)
					}
				}()
			}
			for ch, tx := range [2]*channel.Sender[int]{txA, txB} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range n {
						if err := tx.Send(i); err != nil {
							t.Error(ch, err)
							return
						}
					}
					_ = tx.Close()
				}()
			}
			wg.Wait()
			for ch := range seen {
				for i := range seen[ch] {
					if got := seen[ch][i].Load(); got != 1 {
						t.Fatalf("channel %d item %d received %d times", ch, i, got)
					}
				}
			}
		})
	}
}

// TestCloneStuckInFallbackStealWakesOnClose: a clone that got an object
// sent to the first receiver's owner before the first Clone waits for that
// owner's next preemption point; closing the clone from another goroutine
// ends that wait, as it ends the clone's other waits. The object is not
// lost with the clone: it goes back to the receivers that stay open, and
// the first receiver, whose owner holds it, receives it.
func TestCloneStuckInFallbackStealWakesOnClose(t *testing.T) {
	tx, rx := channel.Make[*Msg](4)
	ms := adopted(t, tx.Owner(), 1)
	require.NoError(t, tx.Send(ms[0])) // owned by rx's owner from now on
	rx2, err := rx.Clone()
	require.NoError(t, err)
	closeOwners(t, rx2.Owner())
	done := make(chan bool)
	go func() {
		_, ok := rx2.Recv() // pops it, then waits for rx's owner: this goroutine never passes a preemption point of it
		done <- ok
	}()
	waitFor(t, "the clone to pop the item", func() bool { return rx.Len() == 0 })
	require.NoError(t, rx2.Close())
	require.False(t, <-done, "the clone's receive ends with its Close")
	require.NoError(t, tx.Close())
	m, ok := rx.Recv()
	require.True(t, ok, "the item the closed clone could not own was lost")
	require.Same(t, ms[0], m)
	require.True(t, rx.Owner().Owns(&m.Header))
	_, ok = rx.Recv()
	require.False(t, ok)
	s := rx.Stats()
	require.Equal(t, uint64(1), s.Received)
	require.Zero(t, s.Discarded)
}

// TestSelectOnClonedReceiverZeroAllocs: a Select that sleeps on a
// receiver with clones (taking its door) allocates nothing.
func TestSelectOnClonedReceiverZeroAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates; run without -race")
	}
	tx, rx := channel.Make[int](1)
	_ = cloneReceivers(t, rx, 2)
	_, idle := channel.Make[int](1)
	var v, w int
	sel := channel.NewSelector(channel.On(idle, &w), channel.On(rx, &v))
	const n = 2000
	go func() {
		for i := range 2 * n {
			_ = tx.Send(i)
			if i%2 == 0 {
				runtime.Gosched() // let the Select go to sleep now and then
			}
		}
	}()
	for range n / 10 { // warm up: the Parker's channel, the Spinner
		_, _ = sel.Select(context.Background())
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 2*n - n/10 {
		if _, err := sel.Select(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	// The count is the process's, and the runtime itself allocates now and
	// then: every Go channel wait takes a sudog from a per-P cache, and a
	// cache still filling up (a goroutine's first waits on another P, or
	// after a collection empties them) allocates one. A memory profile
	// puts exactly those in endpoint.sleep's channel receive. Under
	// qemu-aarch64 that came to 8 in 3,800 Selects, on amd64 up to 10 with
	// the collector off. One allocation per Select would be thousands:
	// the bound is one per hundred Selects.
	if d := after.Mallocs - before.Mallocs; d > (2*n-n/10)/100 {
		t.Fatalf("%d allocations in %d Selects", d, 2*n-n/10)
	}
	require.Positive(t, rx.Stats().RecvParks, "the Select slept (took the door) at least once")
}

// TestSelectWaitingForDoorWakesOnClose: a Select whose receiver waits for
// its channel's door (another receiver holds it, asleep) wakes and reports
// ErrClosed when that receiver is closed from another goroutine, as every
// blocked receive does.
func TestSelectWaitingForDoorWakesOnClose(t *testing.T) {
	for _, procs := range multiProcs {
		t.Run(fmt.Sprint("procs=", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			tx, rx := channel.Make[int](2)
			rx2 := cloneReceivers(t, rx, 2)[1]
			holder := make(chan error, 1)
			go func() { // holds the door, asleep on RecvPark
				_, err := rx2.RecvContext(context.Background())
				holder <- err
			}()
			waitParks(t, func() uint64 { return rx.Stats().RecvParks }, 0)
			_, idle := channel.Make[int](1)
			var v, w int
			sel := channel.NewSelector(channel.On(rx, &v), channel.On(idle, &w))
			done := make(chan error, 1)
			go func() {
				_, err := sel.Select(context.Background())
				done <- err
			}()
			waitParks(t, func() uint64 { return idle.Stats().RecvParks }, 0) // asleep, waiting for the door
			require.NoError(t, rx.Close())
			require.ErrorIs(t, <-done, handoff.ErrClosed)
			require.NoError(t, tx.Send(1)) // rx2 is still open
			require.NoError(t, <-holder)
			require.NoError(t, tx.Close())
		})
	}
}

// TestUnbufferedManyReceivers: on a channel of capacity 0, receivers that
// are clones meet one sender that takes turns with Send, a Select whose
// send case is on this channel (beside a case that is never ready), and
// TrySend retried until some clone waits in a receive. Each item arrives
// once. The Select's send case offers only to a receiver already waiting,
// so it relies on the waiting clone waking it (sharedReady).
func TestUnbufferedManyReceivers(t *testing.T) {
	for _, procs := range multiProcs {
		t.Run(fmt.Sprint("procs=", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			tx, rx := channel.Make[int](0)
			rxs := cloneReceivers(t, rx, 3)
			n := scaled(3000)
			var out, never int
			_, idle := channel.Make[int](1)
			sel := channel.NewSelector(channel.SendTo(tx, &out), channel.On(idle, &never))
			seen := make([]atomic.Int32, n)
			var wg sync.WaitGroup
			for _, r := range rxs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for v := range r.All() {
						seen[v].Add(1)
					}
				}()
			}
			for i := range n {
				switch i % 3 {
				case 0:
					require.NoError(t, tx.Send(i))
				case 1:
					out = i
					k, err := sel.Select(context.Background())
					require.NoError(t, err)
					require.Equal(t, 0, k, "the idle case was chosen")
				case 2:
					err := tx.TrySend(i)
					for ; errors.Is(err, handoff.ErrFull); err = tx.TrySend(i) {
						runtime.Gosched() // no clone waiting yet
					}
					require.NoError(t, err)
				}
			}
			require.NoError(t, tx.Close())
			wg.Wait()
			for i := range seen {
				require.Equal(t, int32(1), seen[i].Load(), "item %d", i)
			}
		})
	}
}
