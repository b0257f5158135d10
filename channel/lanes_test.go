package channel_test

// Many producers: every Sender.Clone gets a lane of its own, the receiver
// serves the lanes round robin, and the channel is closed for the receiver
// only once every sender has closed and every lane is drained.

import (
	"errors"
	"fmt"
	"github.com/handoff-go/handoff"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/receiver"
	"github.com/handoff-go/handoff/sender"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seqItem is what a fan-in producer sends: its id and a sequence number
// that counts from 0 without gaps, so the receiver can check per-producer
// order, loss and duplication with one expected number per producer.
type seqItem struct{ id, seq int }

// fanProduce sends items (id, 0) .. (id, n-1) on s, cycling through Send,
// TrySend (falling back to Send on ErrFull) and SendBatch runs of 1..6
// items. midway (if not nil) runs once, after about half of the items.
func fanProduce(s *sender.Sender[seqItem], id, n int, midway func()) error {
	batch := make([]seqItem, 0, 6)
	for i := 0; i < n; {
		switch (i/3 + id) % 3 {
		case 0:
			if err := s.Send(seqItem{id, i}); err != nil {
				return fmt.Errorf("producer %d: Send(%d): %w", id, i, err)
			}
			i++
		case 1:
			err := s.TrySend(seqItem{id, i})
			if errors.Is(err, handoff.ErrFull) {
				err = s.Send(seqItem{id, i})
			}
			if err != nil {
				return fmt.Errorf("producer %d: TrySend(%d): %w", id, i, err)
			}
			i++
		default:
			k := min(1+i%6, n-i)
			batch = batch[:0]
			for j := range k {
				batch = append(batch, seqItem{id, i + j})
			}
			if sent, err := s.SendBatch(batch); err != nil || sent != k {
				return fmt.Errorf("producer %d: SendBatch(%d..%d) sent %d: %v", id, i, i+k-1, sent, err)
			}
			i += k
		}
		if midway != nil && i >= n/2 {
			midway()
			midway = nil
		}
	}
	return nil
}

// fanChecker is the receiver's bookkeeping: the next sequence number
// expected from every producer.
type fanChecker struct {
	t     *testing.T
	next  []int
	total int
}

func (c *fanChecker) got(v seqItem) {
	c.t.Helper()
	require.True(c.t, v.id >= 0 && v.id < len(c.next), "item from unknown producer %d", v.id)
	require.Equal(c.t, c.next[v.id], v.seq, "producer %d: out of order, lost or duplicated", v.id)
	c.next[v.id]++
	c.total++
}

// receive drains rx with the given mode until it reports closed, calling
// each for every item.
func fanReceive(t *testing.T, rx *receiver.Receiver[seqItem], mode string, each func(seqItem)) {
	t.Helper()
	switch mode {
	case "Recv":
		for {
			v, ok := rx.Recv()
			if !ok {
				return
			}
			each(v)
		}
	case "RecvBatch":
		dst := make([]seqItem, 5)
		for {
			n, ok := rx.RecvBatch(dst)
			if !ok {
				require.Zero(t, n)
				return
			}
			require.True(t, n >= 1 && n <= len(dst), "RecvBatch returned %d", n)
			for _, v := range dst[:n] {
				each(v)
			}
		}
	case "All":
		for v := range rx.All() {
			each(v)
		}
	default:
		t.Fatalf("unknown mode %q", mode)
	}
}

// Fan-in from P producers, where producer i+1 is cloned from producer i
// halfway through i's stream (lanes appear while the receiver is busy).
// Per producer, order is kept and nothing is lost or duplicated; the
// receiver sees the channel closed only once every producer has closed.
func TestFanInKeepsPerProducerOrder(t *testing.T) {
	for _, procs := range []int{1, 2, 4} {
		for _, producers := range []int{1, 3, 7, 15} {
			for _, mode := range []string{"Recv", "RecvBatch", "All"} {
				name := fmt.Sprintf("procs=%d/P=%d/%s", procs, producers, mode)
				t.Run(name, func(t *testing.T) {
					setGOMAXPROCS(t, procs)
					n := max(100, 3000/producers)
					if testing.Short() {
						n = max(50, 600/producers)
					}
					fanIn(t, producers, n, mode)
				})
			}
		}
	}
}

func fanIn(t *testing.T, producers, n int, mode string) {
	tx, rx := channel.Make[seqItem](4)
	var (
		wg      sync.WaitGroup
		closing atomic.Int64 // producers that are about to Close
		mu      sync.Mutex
		errs    []error
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	var start func(s *sender.Sender[seqItem], id int)
	start = func(s *sender.Sender[seqItem], id int) {
		wg.Add(1) // s is open, so the receive loop below is still running
		go func() {
			defer wg.Done()
			var midway func()
			if id+1 < producers {
				midway = func() {
					c, err := s.Clone() // while the channel is live
					if err != nil {
						fail(fmt.Errorf("producer %d: Clone: %w", id, err))
						closing.Add(int64(producers - id - 1)) // they never run
						return
					}
					start(c, id+1)
				}
			}
			if err := fanProduce(s, id, n, midway); err != nil {
				fail(err)
			}
			closing.Add(1)
			if err := s.Close(); err != nil {
				fail(fmt.Errorf("producer %d: Close: %w", id, err))
			}
		}()
	}
	start(tx, 0)

	c := &fanChecker{t: t, next: make([]int, producers)}
	fanReceive(t, rx, mode, func(v seqItem) {
		c.got(v)
		if rx.Closed() {
			// Each producer counts itself in closing before its Close.
			require.EqualValues(t, producers, closing.Load(), "closed while a sender was still open")
		}
	})
	wg.Wait()
	require.Empty(t, errs)
	for id, got := range c.next {
		require.Equal(t, n, got, "producer %d: items lost", id)
	}
	require.Equal(t, producers*n, c.total)
	require.True(t, rx.Closed())
	require.Zero(t, rx.Len())
	_, err := rx.TryRecv()
	require.ErrorIs(t, err, handoff.ErrClosed)
	st := rx.Stats()
	require.Equal(t, producers, st.Lanes)
	require.EqualValues(t, producers*n, st.Sent)
	require.EqualValues(t, producers*n, st.Received)
	require.Zero(t, st.Discarded)
}

func TestCloneOfClosedSenderFails(t *testing.T) {
	tx, rx := channel.Make[int](2)
	c1, err := tx.Clone()
	require.NoError(t, err)
	require.NoError(t, tx.Close())
	_, err = tx.Clone()
	require.ErrorIs(t, err, handoff.ErrClosed)
	require.ErrorIs(t, err, handoff.ErrClosed)

	// The clone is a sender of its own: still open, and cloneable.
	c2, err := c1.Clone()
	require.NoError(t, err)
	require.NoError(t, c2.Send(7))
	require.NoError(t, c1.Close())
	require.NoError(t, c2.Close())
	v, ok := rx.Recv()
	require.True(t, ok)
	require.Equal(t, 7, v)
	_, ok = rx.Recv()
	require.False(t, ok)
	require.Equal(t, 3, rx.Stats().Lanes, "a failed Clone adds no lane")
}

func TestCloneAfterReceiverDisconnectFails(t *testing.T) {
	tx, rx := channel.Make[int](2)
	c1, err := tx.Clone()
	require.NoError(t, err)
	require.NoError(t, rx.Close())
	for _, s := range []*sender.Sender[int]{tx, c1} {
		_, err := s.Clone()
		require.ErrorIs(t, err, handoff.ErrClosed)
		require.True(t, s.Closed())
		require.ErrorIs(t, s.Send(1), handoff.ErrClosed)
	}
	require.Equal(t, 2, rx.Stats().Lanes)
}

// Closing some of several senders does not close the channel; the last
// close does, whatever the order, and wakes a receiver blocked in Recv.
// Items sent by senders that closed early are still delivered.
func TestCloseOrderingWithSeveralSenders(t *testing.T) {
	orders := [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
	for _, order := range orders {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			tx, rx := channel.Make[int](4)
			c1, err := tx.Clone()
			require.NoError(t, err)
			c2, err := c1.Clone()
			require.NoError(t, err)
			senders := []*sender.Sender[int]{tx, c1, c2}
			for i, s := range senders {
				require.NoError(t, s.Send(10+i))
			}
			// The first two closes, with the receiver not waiting.
			for _, i := range order[:2] {
				require.NoError(t, senders[i].Close())
				require.False(t, rx.Closed(), "closed with sender %d still open", order[2])
				require.True(t, senders[i].Closed())
				require.ErrorIs(t, senders[i].Send(1), handoff.ErrClosed)
			}
			got := map[int]bool{}
			for range 3 {
				v, ok := rx.Recv()
				require.True(t, ok)
				got[v] = true
			}
			require.Equal(t, map[int]bool{10: true, 11: true, 12: true}, got)
			_, err = rx.TryRecv()
			require.ErrorIs(t, err, handoff.ErrEmpty, "one sender is open: empty, not closed")

			// The receiver blocks; the last close wakes it with ok == false.
			done := make(chan bool)
			parks := rx.Stats().RecvParks
			go func() {
				_, ok := rx.Recv()
				done <- ok
			}()
			waitParks(t, func() uint64 { return rx.Stats().RecvParks }, parks)
			require.NoError(t, senders[order[2]].Close())
			require.False(t, <-done, "Recv must report the channel closed")
			require.True(t, rx.Closed())
			require.ErrorIs(t, senders[order[2]].Close(), handoff.ErrClosed)
		})
	}
}

// A receiver blocked in Recv is woken by every close (CloseLane wakes it),
// but only the last one makes it return: after each earlier close it
// parks again.
func TestBlockedRecvSurvivesEarlierCloses(t *testing.T) {
	tx, rx := channel.Make[int](4)
	senders := []*sender.Sender[int]{tx}
	for range 3 {
		c, err := tx.Clone()
		require.NoError(t, err)
		senders = append(senders, c)
	}
	done := make(chan bool, 1)
	parks := rx.Stats().RecvParks
	go func() {
		_, ok := rx.Recv()
		done <- ok
	}()
	waitParks(t, func() uint64 { return rx.Stats().RecvParks }, parks)
	for _, s := range senders[:3] {
		parks = rx.Stats().RecvParks
		require.NoError(t, s.Close())
		// It wakes, finds one sender open and nothing buffered, and parks
		// again: it has not returned.
		waitParks(t, func() uint64 { return rx.Stats().RecvParks }, parks)
		select {
		case ok := <-done:
			t.Fatalf("Recv returned (ok=%v) with a sender still open", ok)
		default:
		}
	}
	require.NoError(t, senders[3].Close())
	require.False(t, <-done)
}

// A sender blocked on its full lane is not affected by the other lanes:
// the receiver taking from its lane wakes it.
func TestBlockedSenderOnOwnLane(t *testing.T) {
	tx, rx := channel.Make[int](1)
	c, err := tx.Clone()
	require.NoError(t, err)
	require.NoError(t, tx.Send(1))
	require.ErrorIs(t, tx.TrySend(2), handoff.ErrFull)
	require.NoError(t, c.TrySend(100), "another sender's lane is not full")
	require.Equal(t, 1, tx.Cap())
	require.Equal(t, 1, tx.Len())
	require.Equal(t, 1, c.Len())
	require.Equal(t, 2, rx.Len())

	parks := tx.Stats().SendParks
	done := make(chan error, 1)
	go func() { done <- tx.Send(2) }()
	waitParks(t, func() uint64 { return tx.Stats().SendParks }, parks)
	got := []int{}
	for range 3 {
		v, ok := rx.Recv()
		require.True(t, ok)
		got = append(got, v)
	}
	require.NoError(t, <-done)
	require.ElementsMatch(t, []int{1, 2, 100}, got)
	require.Less(t, indexOf(got, 1), indexOf(got, 2), "one lane keeps its order")
	require.NoError(t, tx.Close())
	require.NoError(t, c.Close())
}

func indexOf(xs []int, x int) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// laneSet is a channel with n senders, driven from one goroutine so that
// the fairness tests are deterministic: the test knows exactly which
// lanes hold items at every receive.
type laneSet struct {
	t   *testing.T
	txs []*sender.Sender[seqItem]
	rx  *receiver.Receiver[seqItem]
	seq []int // next sequence number per lane
}

func newLaneSet(t *testing.T, n, capacity int) *laneSet {
	tx, rx := channel.Make[seqItem](capacity)
	ls := &laneSet{t: t, txs: []*sender.Sender[seqItem]{tx}, rx: rx}
	for len(ls.txs) < n {
		ls.addLane()
	}
	ls.seq = make([]int, n)
	return ls
}

func (ls *laneSet) addLane() {
	c, err := ls.txs[0].Clone()
	require.NoError(ls.t, err)
	ls.txs = append(ls.txs, c)
	ls.seq = append(ls.seq, 0)
}

// fill pushes up to k items into lane j (fewer if it is full).
func (ls *laneSet) fill(j, k int) {
	for ; k > 0; k-- {
		err := ls.txs[j].TrySend(seqItem{j, ls.seq[j]})
		if errors.Is(err, handoff.ErrFull) {
			return
		}
		require.NoError(ls.t, err)
		ls.seq[j]++
	}
}

// fairness tracks, for every lane j, how many items other lanes delivered
// since j last delivered or last became non-empty, and fails when that
// exceeds the bound. A lane's pending items are known exactly (sent minus
// delivered), because one goroutine fills and drains.
type fairness struct {
	t      *testing.T
	ls     *laneSet
	others []int
	next   []int // next sequence number expected per lane
	bound  func(n int) int
}

func newFairness(t *testing.T, ls *laneSet, bound func(n int) int) *fairness {
	return &fairness{t: t, ls: ls, bound: bound}
}

func (f *fairness) pending(j int) int { return f.ls.seq[j] - f.next[j] }

// delivered records the items of one receive, in delivery order.
func (f *fairness) delivered(vs ...seqItem) {
	for len(f.others) < len(f.ls.txs) {
		f.others = append(f.others, 0)
		f.next = append(f.next, 0)
	}
	n := len(f.ls.txs)
	for _, v := range vs {
		require.Equal(f.t, f.next[v.id], v.seq, "lane %d out of order", v.id)
		f.next[v.id]++
		for j := range f.others {
			switch {
			case j == v.id || f.pending(j) == 0:
				f.others[j] = 0
			default:
				f.others[j]++
				require.LessOrEqual(f.t, f.others[j], f.bound(n),
					"lane %d holds items while others delivered %d (lane %d just delivered; %d lanes)",
					j, f.others[j], v.id, n)
			}
		}
	}
}

// laneRun is how many items in a row a receiver takes from one lane
// while others hold items: package channel's documented bound (Several
// senders).
const laneRun = 32

// With every lane kept full, Recv serves the lanes in runs of exactly
// laneRun items, in lane order: while a lane holds items, the other n-1
// lanes deliver (n-1)*laneRun items before it does, the bound, reached
// and never exceeded.
func TestRecvFairnessAllLanesFull(t *testing.T) {
	for _, n := range []int{2, 3, 5, 8} {
		t.Run(fmt.Sprintf("lanes=%d", n), func(t *testing.T) {
			const capacity = 4
			ls := newLaneSet(t, n, capacity)
			for j := range n {
				ls.fill(j, capacity)
			}
			f := newFairness(t, ls, func(n int) int { return (n - 1) * laneRun })
			first := -1
			for i := 0; i < 40*n; i++ {
				v, ok := ls.rx.Recv()
				require.True(t, ok)
				f.delivered(v)
				if first < 0 {
					first = v.id
				}
				want := (first + i/laneRun) % n // runs of laneRun, lanes in order
				require.Equal(t, want, v.id, "item %d: runs of %d in lane order", i, laneRun)
				ls.fill(v.id, 1) // keep every lane full
			}
			for j := range n {
				require.Equal(t, capacity, ls.txs[j].Len())
			}
		})
	}
}

// The same bound under a random (seeded) pattern of fills, receives with
// Recv and TryRecv, empty lanes and a lane added midway.
func TestRecvFairnessRandomFills(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 1))
			ls := newLaneSet(t, 2+rng.IntN(5), 1+rng.IntN(4))
			f := newFairness(t, ls, func(n int) int { return (n - 1) * laneRun })
			for step := range 2000 {
				if step == 1000 {
					ls.addLane()
				}
				if rng.IntN(3) == 0 {
					ls.fill(rng.IntN(len(ls.txs)), 1+rng.IntN(3))
				}
				if ls.rx.Len() == 0 {
					continue
				}
				var v seqItem
				if rng.IntN(2) == 0 {
					var ok bool
					v, ok = ls.rx.Recv()
					require.True(t, ok)
				} else {
					var err error
					v, err = ls.rx.TryRecv()
					require.NoError(t, err)
				}
				f.delivered(v)
			}
		})
	}
}

// RecvBatch's bound: while a lane holds items, the other lanes deliver at
// most (n-1)*len(dst) items before it does.
func TestRecvBatchFairness(t *testing.T) {
	for _, n := range []int{2, 3, 5, 8} {
		for _, b := range []int{1, 3, 4, 7} {
			t.Run(fmt.Sprintf("lanes=%d/dst=%d", n, b), func(t *testing.T) {
				const capacity = 4
				ls := newLaneSet(t, n, capacity)
				for j := range n {
					ls.fill(j, capacity)
				}
				f := newFairness(t, ls, func(n int) int { return (n - 1) * b })
				dst := make([]seqItem, b)
				for range 30 * n {
					got, ok := ls.rx.RecvBatch(dst)
					require.True(t, ok)
					require.Equal(t, b, got, "every lane is full: the batch fills")
					f.delivered(dst[:got]...)
					for _, v := range dst[:got] {
						ls.fill(v.id, 1) // refill what was taken
					}
				}
			})
		}
	}
	for seed := range uint64(20) {
		t.Run(fmt.Sprintf("random/seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 2))
			ls := newLaneSet(t, 2+rng.IntN(5), 1+rng.IntN(6))
			b := 1 + rng.IntN(5)
			f := newFairness(t, ls, func(n int) int { return (n - 1) * b })
			dst := make([]seqItem, b)
			for step := range 2000 {
				if step == 1000 {
					ls.addLane()
				}
				if rng.IntN(2) == 0 {
					ls.fill(rng.IntN(len(ls.txs)), 1+rng.IntN(4))
				}
				if ls.rx.Len() == 0 {
					continue
				}
				got, ok := ls.rx.RecvBatch(dst)
				require.True(t, ok)
				require.Positive(t, got)
				f.delivered(dst[:got]...)
			}
		})
	}
}

// Stats().Lanes counts the senders ever attached; Cap is per lane, Len
// counts all lanes.
func TestCloneCountsLanes(t *testing.T) {
	tx, rx := channel.Make[int](2)
	assert.Equal(t, 1, rx.Stats().Lanes)
	s := tx
	for i := 2; i <= 5; i++ {
		c, err := s.Clone()
		require.NoError(t, err)
		require.Equal(t, i, tx.Stats().Lanes)
		require.NoError(t, c.Send(i))
		s = c
	}
	require.Equal(t, 4, rx.Len())
	require.Equal(t, 2, rx.Cap(), "capacity is per lane")
}
