package channel_test

// The pool of returned items (see package channel, Many receivers): an
// object a receiver pops but cannot own without waiting (sent to the first
// receiver's owner before the first Clone, or sent as it is by a sender
// that did not own it) is not kept by the receiver that popped it, where
// a Close of that receiver while others stay open would lose it: it goes
// to a pool every receiver of the channel tries first. These tests check
// that such items survive the receivers that popped them, arrive owned by
// the receiver that returns them, and are discarded (and counted) only at
// the disconnect.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
	"github.com/stretchr/testify/require"
)

// TestReturnedItemsSurviveClonesClosing: every object is sent, and every
// sender closed, before the first Clone, so all of them are owned by the
// first receiver's owner. The first receiver's goroutine then makes a few
// clones, each handed to a goroutine of its own, and receives with Recv
// until the channel reports closed. Each clone receives a random number
// of times with receives that may not wait for a steal (TryRecv,
// TryRecvBatch, a Selector's TrySelect) or whose context is already done
// or ends soon (RecvContext), so it pops objects it cannot own and hands
// them to the pool; then it closes, while the first receiver stays open.
// Nothing may be lost with the clones: every object is received exactly
// once, owned by the receiver that got it, and the disconnect at the end
// discards nothing.
func TestReturnedItemsSurviveClonesClosing(t *testing.T) {
	atEachProcs(t, scaled(100), 10, func(t *testing.T, rounds int) {
		procs := uint64(runtime.GOMAXPROCS(0))
		for round := range rounds {
			seed := procs<<32 | uint64(round+1)
			returnedRound(t, seed)
			if t.Failed() {
				return
			}
		}
	})
}

// returnedN is how many objects a round of
// TestReturnedItemsSurviveClonesClosing sends: a multiple of every
// capacity it draws, so that the senders' lanes hold them all before the
// first Clone.
const returnedN = 48

func returnedRound(t *testing.T, seed uint64) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 0))
	capacity := []int{1, 4}[r.IntN(2)]
	nclones := 2 + r.IntN(3)
	where := fmt.Sprintf("seed %d (GOMAXPROCS %d, capacity %d, %d clones)", seed, runtime.GOMAXPROCS(0), capacity, nclones)

	tx, rx := channel.Make[*Msg](capacity)
	// Capacity is per lane: enough senders that every object is buffered
	// before the first Clone, with no receive to make room.
	txs := cloneSenders(t, tx, returnedN/capacity)
	ms := make([]*Msg, returnedN)
	for i := range ms {
		s := txs[i/capacity]
		ms[i] = &Msg{n: i}
		require.NoError(t, s.Owner().Adopt(&ms[i].Header), where)
		require.NoError(t, s.TrySend(ms[i]), where)
	}
	for _, s := range txs {
		require.NoError(t, s.Close(), where)
		s.Owner().Close()
	}
	for _, m := range ms {
		require.True(t, rx.Owner().Owns(&m.Header), "%s: sent before the first Clone, so the first receiver's", where)
	}

	seen := make([]atomic.Int32, returnedN)
	var failed atomic.Value
	fail := func(format string, a ...any) {
		failed.CompareAndSwap(nil, fmt.Sprintf(format, a...))
	}
	var wg sync.WaitGroup
	var opsDone atomic.Int64 // the clones' receives so far
	totalOps := 0
	for id := 1; id <= nclones; id++ {
		c, err := rx.Clone() // by the first receiver's goroutine, which uses rx
		require.NoError(t, err, where)
		ops := r.IntN(2 * returnedN / nclones)
		totalOps += ops
		wg.Add(1)
		go func() {
			defer wg.Done()
			returnedClone(c, id, rand.New(rand.NewPCG(seed, uint64(id))), ops, seen, &opsDone, fail)
		}()
	}
	// While the first receiver's goroutine is not parked in a receive, a
	// clone cannot take its objects without waiting: what the clones pop
	// then goes to the pool. So it lets the clones make some of their
	// receives first (none, all, or between), and yields now and then.
	head := int64(r.IntN(totalOps + 1))
	waitFor(t, "the clones' first receives", func() bool { return opsDone.Load() >= head || failed.Load() != nil })
	for {
		m, ok := rx.Recv()
		if !ok {
			break
		}
		if m == nil || !rx.Owner().Owns(&m.Header) {
			fail("the first receiver got an object it does not own: %v", m)
			break
		}
		m.data[0] = 0 // a plain write: the race detector checks the hand-over
		seen[m.n].Add(1)
		if r.IntN(4) == 0 {
			runtime.Gosched()
		}
	}
	wg.Wait()
	if f := failed.Load(); f != nil {
		t.Fatalf("%s: %v", where, f)
	}
	var wrong []string
	for i := range seen {
		if got := seen[i].Load(); got != 1 {
			wrong = append(wrong, fmt.Sprintf("object %d received %d times", i, got))
		}
	}
	if wrong != nil {
		// Where are the missing ones? Still in the channel (the pool),
		// though the first receiver's Recv reported it closed?
		st := rx.Stats()
		var late []int
		for range returnedN {
			m, err := rx.TryRecv()
			if err != nil {
				break
			}
			late = append(late, m.n)
		}
		t.Fatalf("%s: %v; stats when the clones were done %+v; received by the first receiver after its Recv reported closed: %v",
			where, wrong, st, late)
	}
	require.NoError(t, rx.Close(), where) // the last receiver: the disconnect
	rx.Owner().Close()
	st := rx.Stats()
	require.Equal(t, uint64(returnedN), st.Sent, where)
	require.Equal(t, uint64(returnedN), st.Received, where)
	require.Zero(t, st.Discarded, "%s: an item was lost to the disconnect", where)
}

// returnedClone is a clone's goroutine in TestReturnedItemsSurviveClonesClosing:
// ops receives that may not wait for a steal, or only briefly, each drawn
// from r and counted in opsDone (the ones it skips too, once it stops),
// then Close.
func returnedClone(c *channel.Receiver[*Msg], id int, r *rand.Rand, ops int, seen []atomic.Int32, opsDone *atomic.Int64, fail func(string, ...any)) {
	done := 0 // receives made, counted in opsDone
	defer func() { opsDone.Add(int64(ops - done)) }()
	var sv *Msg
	sel := channel.NewSelector(channel.On(c, &sv)) // this goroutine's, as c is
	dst := make([]*Msg, 4)
	got := func(how string, m *Msg) {
		if m == nil {
			fail("clone %d: %s returned nil", id, how)
			return
		}
		if !c.Owner().Owns(&m.Header) {
			fail("clone %d: %s returned an object it does not own (%v)", id, how, m.Header.State())
			return
		}
		m.data[0] = byte(id) // a plain write: the race detector checks the hand-over
		seen[m.n].Add(1)
	}
	for closed := false; done < ops && !closed; {
		var err error
		how := ""
		switch r.IntN(5) {
		case 0:
			how = "TryRecv"
			var m *Msg
			if m, err = c.TryRecv(); err == nil {
				got(how, m)
			}
		case 1:
			how = "TryRecvBatch"
			var n int
			n, err = c.TryRecvBatch(dst[:1+r.IntN(len(dst))])
			for _, m := range dst[:n] {
				got(how, m)
			}
		case 2:
			how = "RecvContext (cancelled)"
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var m *Msg
			if m, err = c.RecvContext(ctx); err == nil {
				got(how, m)
			}
		case 3:
			// Bounds the receive only: every outcome is accepted.
			how = "RecvContext (deadline)"
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(r.IntN(20))*time.Microsecond)
			var m *Msg
			if m, err = c.RecvContext(ctx); err == nil {
				got(how, m)
			}
			cancel()
		default:
			how = "TrySelect"
			var k int
			k, err = sel.TrySelect()
			switch {
			case err == nil && k == 0:
				got(how, sv)
			case err == nil, errors.Is(err, handoff.ErrClosed) && k != 0:
				fail("clone %d: TrySelect chose case %d of 1 (%v)", id, k, err)
				return
			}
		}
		done++
		opsDone.Add(1)
		switch {
		case err == nil, errors.Is(err, handoff.ErrEmpty),
			errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		case errors.Is(err, handoff.ErrClosed):
			closed = true // closed and drained, pool included
		default:
			fail("clone %d: %s: %v", id, how, err)
			return
		}
	}
	if err := c.Close(); err != nil { // never the last receiver: the first stays open
		fail("clone %d: Close: %v", id, err)
	}
	c.Owner().Close()
}

// TestReturnedItemHeldBeforeCloneGoesToPool: an object that a third owner
// holds is sent as it is by a sender that does not own it. The only
// receiver's TryRecv cannot take it without waiting for that owner (live,
// not parked) and holds it back. The first Clone moves what the receiver
// held to the pool the receivers share, so closing the first receiver
// (not the last one) loses nothing: once the holder parks, the clone
// receives the object, owned by the clone's owner.
func TestReturnedItemHeldBeforeCloneGoesToPool(t *testing.T) {
	tx, rx := channel.Make[*Msg](2)
	o3 := ownership.NewOwner() // the test goroutine's
	closeOwners(t, o3)
	m := adopted(t, o3, 1)[0]
	require.NoError(t, tx.Send(m), "sent as it is: the send does not wait for the holder")
	require.Zero(t, tx.Stats().Transferred, "nothing moved at the send")

	_, err := rx.TryRecv()
	require.ErrorIs(t, err, handoff.ErrEmpty, "the holder is live and not parked: taking it needs a wait")
	require.True(t, o3.Owns(&m.Header), "the failed steal was rolled back")

	c, err := rx.Clone()
	require.NoError(t, err)
	require.NoError(t, rx.Close())
	require.False(t, c.Closed(), "rx was not the last receiver")
	require.Zero(t, rx.Stats().Discarded, "rx's close was no disconnect")

	o3.Park() // at a safepoint: the clone takes the object without waiting for o3
	type result struct {
		m     *Msg
		ok    bool
		owned bool
	}
	first, second := make(chan result, 1), make(chan result, 1)
	go func() { // c's goroutine
		got, ok := c.Recv()
		owned := ok && got != nil && c.Owner().Owns(&got.Header)
		if owned {
			got.n = 42 // a plain write: the race detector checks the hand-over
		}
		first <- result{got, ok, owned}
		got, ok = c.Recv()
		second <- result{got, ok, false}
	}()
	res := <-first
	require.True(t, res.ok, "the object rx held was lost with rx")
	require.Same(t, m, res.m)
	require.True(t, res.owned, "the clone's object is owned by the clone's owner")
	require.Equal(t, 42, m.n)
	o3.Unpark()
	require.False(t, o3.Owns(&m.Header), "the holder lost the object")

	require.NoError(t, tx.Close())
	res = <-second
	require.False(t, res.ok, "the sender closed and everything was received")
	require.Nil(t, res.m)
	require.NoError(t, c.Close()) // the last receiver: the disconnect
	st := c.Stats()
	require.Equal(t, uint64(1), st.Sent)
	require.Equal(t, uint64(1), st.Received)
	require.Zero(t, st.Discarded)
}

// TestReturnedItemDiscardedOnDisconnect: an item in the pool is still in
// the channel. The object was sent to the first receiver's owner before
// the first Clone; the clone's TryRecv cannot own it without waiting for
// that owner and hands it to the pool. Closing the clone keeps it there;
// closing the first receiver, now the last one, disconnects the channel:
// the item is discarded (and counted so), not delivered, and sends fail.
func TestReturnedItemDiscardedOnDisconnect(t *testing.T) {
	tx, rx := channel.Make[*Msg](2)
	m := adopted(t, tx.Owner(), 1)[0]
	require.NoError(t, tx.Send(m)) // owned by rx's owner from now on
	require.True(t, rx.Owner().Owns(&m.Header))

	c, err := rx.Clone()
	require.NoError(t, err)
	errs := make(chan [3]error, 1)
	go func() { // c's goroutine; rx's (this one) is at no preemption point meanwhile
		var e [3]error
		_, e[0] = c.TryRecv()
		_, e[1] = c.TryRecv() // still there, still not the clone's to take
		e[2] = c.Close()
		c.Owner().Close()
		errs <- e
	}()
	e := <-errs
	require.ErrorIs(t, e[0], handoff.ErrEmpty, "the clone may not wait for rx's owner")
	require.ErrorIs(t, e[1], handoff.ErrEmpty)
	require.NoError(t, e[2])
	require.True(t, rx.Owner().Owns(&m.Header), "the failed steal was rolled back")
	st := rx.Stats()
	require.Equal(t, uint64(1), st.Sent)
	require.Zero(t, st.Received, "popped, not delivered")
	require.Zero(t, st.Discarded, "the clone's close was no disconnect")

	require.NoError(t, rx.Close()) // now the last receiver: the disconnect
	st = rx.Stats()
	require.Equal(t, uint64(1), st.Sent)
	require.Zero(t, st.Received)
	require.Equal(t, uint64(1), st.Discarded, "the pooled item counts as discarded")
	require.ErrorIs(t, tx.Send(adopted(t, tx.Owner(), 1)[0]), handoff.ErrClosed)
	_, err = rx.TryRecv()
	require.ErrorIs(t, err, handoff.ErrClosed)
	_, ok := rx.Recv()
	require.False(t, ok, "the pooled item is not delivered after the disconnect")
	require.Equal(t, uint64(1), rx.Stats().Discarded)
	_ = tx.Close()
}

// A receiver closed by another goroutine while its receive waits to steal
// an object (the fallback path) reports handoff.ErrClosed, as every receive
// of a closed receiver does, not the error of the context it waited
// under; the object goes to the pool, and the other receiver gets it once
// its holder lets it go.
func TestCloneClosedDuringStealReportsErrClosed(t *testing.T) {
	for _, batch := range []bool{false, true} {
		t.Run(fmt.Sprintf("batch=%v", batch), func(t *testing.T) {
			tx, rx := channel.Make[*Msg](4)
			rx2, err := rx.Clone()
			require.NoError(t, err)
			holder := ownership.NewOwner()
			closeOwners(t, tx.Owner(), rx.Owner(), rx2.Owner(), holder)
			m := adopted(t, holder, 1)[0]
			require.NoError(t, tx.Send(m), "sent as it is: its holder is live")

			errc := make(chan error, 1)
			go func() { // rx2's goroutine
				if batch {
					_, err := rx2.RecvBatchContext(context.Background(), make([]*Msg, 2))
					errc <- err
					return
				}
				_, err := rx2.RecvContext(context.Background())
				errc <- err
			}()
			waitFor(t, "rx2 stealing the object", func() bool { return m.Header.State().Kind == ownership.Stealing })
			require.NoError(t, rx2.Close())
			require.ErrorIs(t, <-errc, handoff.ErrClosed)

			holder.Preempt() // lets go: the object is stale, anyone may claim it
			require.NoError(t, tx.Close())
			var got []*Msg
			for v := range rx.All() {
				require.True(t, rx.Owner().Owns(&v.Header))
				got = append(got, v)
			}
			require.Equal(t, []*Msg{m}, got, "delivered once, to the other receiver")
			require.NoError(t, rx.Close())
		})
	}
}
