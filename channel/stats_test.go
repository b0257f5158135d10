package channel_test

// Counters: Stats() of either endpoint is a snapshot of the whole
// channel's counters, exact once traffic stops, and monotone and
// self-consistent while it flows.

import (
	"context"
	"fmt"
	"github.com/handoff-go/handoff"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/sender"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// statObj is an owned element type: a send moves its header.
type statObj struct {
	ownership.Header
	n int
}

// newStatObj returns a fresh object owned by o.
func newStatObj(t testing.TB, o *ownership.Owner, n int) *statObj {
	m := &statObj{n: n}
	require.NoError(t, o.Adopt(&m.Header))
	return m
}

func TestStatsSentReceivedSingleLane(t *testing.T) {
	tx, rx := channel.Make[int](16)
	require.Equal(t, handoff.Stats{Lanes: 1, LiveLanes: 1}, rx.Stats(), "a new channel counts nothing")
	for i := range 4 {
		require.NoError(t, tx.Send(i))
	}
	require.NoError(t, tx.TrySend(4))
	n, err := tx.SendBatch([]int{5, 6, 7, 8, 9})
	require.NoError(t, err)
	require.Equal(t, 5, n)
	_, ok := rx.Recv()
	require.True(t, ok)
	_, err = rx.TryRecv()
	require.NoError(t, err)
	got, ok := rx.RecvBatch(make([]int, 5))
	require.True(t, ok)
	require.Equal(t, 5, got)

	want := handoff.Stats{Sent: 10, Received: 7, Lanes: 1, LiveLanes: 1}
	require.Equal(t, want, tx.Stats(), "sender's view")
	require.Equal(t, want, rx.Stats(), "receiver's view: the same snapshot")
}

func TestStatsSentReceivedManyLanes(t *testing.T) {
	tx, rx := channel.Make[int](8)
	senders := []*sender.Sender[int]{tx}
	for range 2 {
		c, err := tx.Clone()
		require.NoError(t, err)
		senders = append(senders, c)
	}
	sent := 0
	for i, s := range senders {
		for j := range 5 + i {
			require.NoError(t, s.Send(j))
			sent++
		}
	}
	for range 11 {
		_, ok := rx.Recv()
		require.True(t, ok)
	}
	st := rx.Stats()
	require.EqualValues(t, sent, st.Sent)
	require.EqualValues(t, 11, st.Received)
	require.Equal(t, 3, st.Lanes)
	require.EqualValues(t, sent-11, rx.Len(), "Sent - Received is what is buffered")
	require.Zero(t, st.Transferred, "ints carry no header: nothing is transferred")
}

// Transferred counts the non-nil owned objects sent: a nil pointer has no
// header and moves nothing.
func TestStatsTransferred(t *testing.T) {
	tx, rx := channel.Make[*statObj](16)
	c, err := tx.Clone()
	require.NoError(t, err)
	t.Cleanup(func() { tx.Owner().Close(); c.Owner().Close(); rx.Owner().Close() })

	o := tx.Owner()
	require.NoError(t, tx.Send(newStatObj(t, o, 1)))
	require.NoError(t, tx.Send(nil))
	require.NoError(t, tx.TrySend(newStatObj(t, o, 2)))
	require.NoError(t, tx.TrySend(nil))
	n, err := tx.SendBatch([]*statObj{newStatObj(t, o, 3), nil, newStatObj(t, o, 4), nil, nil})
	require.NoError(t, err)
	require.Equal(t, 5, n)
	// The clone sends objects its own owner owns.
	require.NoError(t, c.Send(newStatObj(t, c.Owner(), 5)))
	require.NoError(t, c.Send(nil))
	require.NoError(t, tx.SendContext(context.Background(), newStatObj(t, o, 6)))

	st := rx.Stats()
	require.EqualValues(t, 12, st.Sent)
	require.EqualValues(t, 6, st.Transferred, "only the six non-nil objects")
	require.Zero(t, st.Stolen)

	nonNil := 0
	for range 12 {
		m, ok := rx.Recv()
		require.True(t, ok)
		if m != nil {
			require.True(t, rx.Owner().Owns(&m.Header))
			nonNil++
		}
	}
	require.Equal(t, 6, nonNil)
	require.EqualValues(t, 6, rx.Stats().Transferred, "receiving does not change it")
}

// Stolen counts the objects a receive had to steal: here, objects owned
// by a third owner whose goroutine keeps using them and reaches a
// preemption point in a loop. The sender sent them as they were (its
// owner did not own them), so they are not counted as transferred.
func TestStatsStolen(t *testing.T) {
	tx, rx := channel.Make[*statObj](8)
	holder := ownership.NewOwner()
	t.Cleanup(func() { tx.Owner().Close(); rx.Owner().Close(); holder.Close() })
	const k = 3
	objs := make([]*statObj, k)
	for i := range objs {
		objs[i] = newStatObj(t, holder, i)
	}
	own := newStatObj(t, tx.Owner(), 99)

	for _, m := range objs {
		require.NoError(t, tx.Send(m))
	}
	require.NoError(t, tx.Send(own), "an object the sender owns is not stolen")

	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { // the holder's goroutine
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			stealing := false
			for _, m := range objs {
				if holder.Owns(&m.Header) {
					m.n++ // the race detector checks each steal's edge
				}
				stealing = stealing || m.Header.State().Kind == ownership.Stealing
			}
			// Pass a preemption point only once a receive is stealing:
			// before that, the sends' release requests would make every
			// object stale, and the receives would claim them instead.
			if stealing {
				holder.Preempt()
			}
			runtimeGosched()
		}
	}()
	for range k + 1 {
		m, ok := rx.Recv()
		require.True(t, ok)
		require.True(t, rx.Owner().Owns(&m.Header))
		m.n = -1
	}
	close(stop)
	<-done

	// The first receive steals object 0 and waits for the holder's
	// preemption point; that one bump leaves the holder's other objects
	// stale, and the next receives take them with one CAS each.
	st := tx.Stats()
	require.EqualValues(t, 1, st.Stolen)
	require.EqualValues(t, 1, st.Transferred, "only the sender's own object was transferred")
	require.EqualValues(t, k+1, st.Sent)

	// With RejectUnowned nothing is sent, so nothing is stolen.
	tx2, rx2 := channel.Make[*statObj](2, channel.RejectUnowned())
	t.Cleanup(func() { tx2.Owner().Close(); rx2.Owner().Close() })
	other := ownership.NewOwner()
	m := newStatObj(t, other, 0)
	require.ErrorIs(t, tx2.Send(m), ownership.ErrNotOwner)
	other.Close()
	require.Zero(t, tx2.Stats().Stolen)
	require.Zero(t, tx2.Stats().Sent)
}

// SendWaits/SendParks move when a send finds its lane full and sleeps;
// RecvWaits/RecvParks when a receive finds every lane empty and sleeps.
func TestStatsWaitsAndParks(t *testing.T) {
	tx, rx := channel.Make[int](1)
	require.NoError(t, tx.Send(1))
	require.ErrorIs(t, tx.TrySend(2), handoff.ErrFull)
	before := tx.Stats()

	sendDone := make(chan error)
	go func() { sendDone <- tx.Send(2) }()
	waitParks(t, func() uint64 { return tx.Stats().SendParks }, before.SendParks)
	v, ok := rx.Recv()
	require.True(t, ok)
	require.Equal(t, 1, v)
	require.NoError(t, <-sendDone)
	mid := rx.Stats()
	require.Equal(t, before.SendWaits+1, mid.SendWaits, "one blocked send, one wait")
	require.Greater(t, mid.SendParks, before.SendParks)
	require.Equal(t, before.RecvWaits, mid.RecvWaits, "the receive found an item")

	v, ok = rx.Recv()
	require.True(t, ok)
	require.Equal(t, 2, v)
	recvDone := make(chan int)
	go func() {
		v, _ := rx.Recv()
		recvDone <- v
	}()
	waitParks(t, func() uint64 { return rx.Stats().RecvParks }, mid.RecvParks)
	require.NoError(t, tx.Send(3))
	require.Equal(t, 3, <-recvDone)
	after := tx.Stats()
	require.Equal(t, mid.RecvWaits+1, after.RecvWaits, "one blocked receive, one wait")
	require.Greater(t, after.RecvParks, mid.RecvParks)
	require.Equal(t, mid.SendWaits, after.SendWaits)

	// Non-blocking operations never park.
	_, err := rx.TryRecv()
	require.ErrorIs(t, err, handoff.ErrEmpty)
	final := rx.Stats()
	require.Equal(t, after.RecvParks, final.RecvParks)
	require.Equal(t, after.SendParks, final.SendParks)
	require.NoError(t, tx.Close())
}

// A Select that waits for a receiver's door (another receiver of the
// channel is blocked there) counts one wait, like every wait, even when it
// ends before it gets the door (here, its receiver closed by another
// goroutine); each of its sleeps counts a park.
func TestStatsSelectWaitingForADoorCountsOneWait(t *testing.T) {
	tx, rx := channel.Make[int](2)
	rx2, err := rx.Clone()
	require.NoError(t, err)
	before := rx.Stats()
	recvDone := make(chan bool, 1)
	go func() { _, ok := rx.Recv(); recvDone <- ok }() // holds the door
	waitParks(t, func() uint64 { return rx.Stats().RecvParks }, before.RecvParks)
	held := rx.Stats()
	require.Equal(t, before.RecvWaits+1, held.RecvWaits)

	selDone := make(chan error, 1)
	go func() {
		var v int
		_, err := channel.NewSelector(channel.On(rx2, &v)).Select(context.Background())
		selDone <- err
	}()
	waitParks(t, func() uint64 { return rx.Stats().RecvParks }, held.RecvParks)
	require.NoError(t, rx2.Close())
	require.ErrorIs(t, <-selDone, handoff.ErrClosed)
	after := rx.Stats()
	require.Equal(t, held.RecvWaits+1, after.RecvWaits, "the Select's wait at the door is one wait")
	require.Greater(t, after.RecvParks, held.RecvParks)

	require.NoError(t, tx.Close())
	require.False(t, <-recvDone)
	require.NoError(t, rx.Close())
}

// After the receiver disconnects, Discarded is what was sent but not
// received, on every lane; Received stays what was delivered.
func TestStatsDiscarded(t *testing.T) {
	tx, rx := channel.Make[int](8)
	c, err := tx.Clone()
	require.NoError(t, err)
	for i := range 5 {
		require.NoError(t, tx.Send(i))
	}
	for i := range 4 {
		require.NoError(t, c.Send(10+i))
	}
	for range 3 {
		_, ok := rx.Recv()
		require.True(t, ok)
	}
	require.Zero(t, rx.Stats().Discarded, "nothing is discarded while the receiver is connected")
	require.NoError(t, rx.Close())
	want := handoff.Stats{Sent: 9, Received: 3, Discarded: 6, Lanes: 2, LiveLanes: 2}
	require.Equal(t, want, tx.Stats())
	require.Equal(t, want, c.Stats())
	require.Equal(t, want, rx.Stats())
	require.ErrorIs(t, tx.Send(1), handoff.ErrClosed)
	require.Equal(t, want, rx.Stats(), "a refused send counts nothing")
	require.Zero(t, rx.Len(), "the buffered items were dropped")
}

// Discarded with owned objects: the dropped objects were transferred (they
// belong to the receiver's owner, which dropped them).
func TestStatsDiscardedOwned(t *testing.T) {
	tx, rx := channel.Make[*statObj](4)
	t.Cleanup(func() { tx.Owner().Close(); rx.Owner().Close() })
	for i := range 3 {
		require.NoError(t, tx.Send(newStatObj(t, tx.Owner(), i)))
	}
	require.NoError(t, tx.Send(nil))
	_, ok := rx.Recv()
	require.True(t, ok)
	require.NoError(t, rx.Close())
	st := rx.Stats()
	require.EqualValues(t, 4, st.Sent)
	require.EqualValues(t, 1, st.Received)
	require.EqualValues(t, 3, st.Discarded)
	require.EqualValues(t, 3, st.Transferred)
}

func TestStatsLanes(t *testing.T) {
	tx, rx := channel.Make[*statObj](2)
	t.Cleanup(func() { tx.Owner().Close(); rx.Owner().Close() })
	require.Equal(t, 1, rx.Stats().Lanes)
	c1, err := tx.Clone()
	require.NoError(t, err)
	t.Cleanup(c1.Owner().Close)
	require.NotSame(t, tx.Owner(), c1.Owner(), "a clone of an owned channel gets an owner of its own")
	mine := ownership.NewOwner()
	t.Cleanup(mine.Close)
	c2, err := c1.CloneOwned(mine)
	require.NoError(t, err)
	require.Same(t, mine, c2.Owner())
	require.Equal(t, 3, rx.Stats().Lanes)
	require.NoError(t, c2.Close())
	require.Equal(t, 3, rx.Stats().Lanes, "closed senders still count: lanes ever attached")
	_, err = c2.Clone()
	require.ErrorIs(t, err, handoff.ErrClosed)
	require.Equal(t, 3, tx.Stats().Lanes)
	msg := mustPanicWith(t, func() { _, _ = tx.CloneOwned(nil) })
	require.Contains(t, msg, "sender:")
}

// statsMonotone checks one snapshot against the previous one: every
// counter is non-decreasing, and each snapshot is self-consistent. It
// returns one message per violated property, keyed by the property.
func statsMonotone(prev, cur handoff.Stats) map[string]string {
	type field struct {
		name      string
		prev, cur uint64
	}
	bad := map[string]string{}
	for _, f := range []field{
		{"Sent", prev.Sent, cur.Sent},
		{"Received", prev.Received, cur.Received},
		{"Discarded", prev.Discarded, cur.Discarded},
		{"Transferred", prev.Transferred, cur.Transferred},
		{"Stolen", prev.Stolen, cur.Stolen},
		{"SendWaits", prev.SendWaits, cur.SendWaits},
		{"RecvWaits", prev.RecvWaits, cur.RecvWaits},
		{"SendParks", prev.SendParks, cur.SendParks},
		{"RecvParks", prev.RecvParks, cur.RecvParks},
		{"Lanes", uint64(prev.Lanes), uint64(cur.Lanes)},
	} {
		if f.cur < f.prev {
			bad[f.name+" decreased"] = fmt.Sprintf("%s went down from %d to %d\n\tprev %+v\n\tcur  %+v", f.name, f.prev, f.cur, prev, cur)
		}
	}
	if cur.Received > cur.Sent {
		bad["Received > Sent"] = fmt.Sprintf("Received %d > Sent %d: %+v", cur.Received, cur.Sent, cur)
	}
	if cur.Discarded > cur.Sent || cur.Received+cur.Discarded > cur.Sent {
		bad["Received + Discarded > Sent"] = fmt.Sprintf("Received %d + Discarded %d > Sent %d: %+v", cur.Received, cur.Discarded, cur.Sent, cur)
	}
	if cur.Transferred > cur.Sent {
		bad["Transferred > Sent"] = fmt.Sprintf("Transferred %d > Sent %d: %+v", cur.Transferred, cur.Sent, cur)
	}
	return bad
}

// Stats read in a loop while several producers send owned objects and
// nils and the receiver receives, then disconnects with items in flight:
// every counter is monotone, Received never exceeds Sent, and the final
// snapshot adds up.
func TestStatsConcurrentReadsAreMonotone(t *testing.T) {
	for _, procs := range []int{2, 4} {
		t.Run(fmt.Sprintf("procs=%d", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			statsUnderTraffic(t)
		})
	}
}

func statsUnderTraffic(t *testing.T) {
	const producers = 3
	perProducer := 3000
	if testing.Short() {
		perProducer = 600
	}
	tx, rx := channel.Make[*statObj](4)
	senders := []*sender.Sender[*statObj]{tx}
	for len(senders) < producers {
		c, err := tx.Clone()
		require.NoError(t, err)
		senders = append(senders, c)
	}
	t.Cleanup(func() {
		for _, s := range senders {
			s.Owner().Close()
		}
		rx.Owner().Close()
	})

	var (
		wg        sync.WaitGroup
		sentOK    [producers]int
		nilsOK    [producers]int
		stopRead  atomic.Bool
		readerErr = map[string]string{} // property -> first violation
		reads     int
	)
	for id, s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perProducer {
				var m *statObj
				if i%5 != 0 {
					m = &statObj{n: i}
					if err := s.Owner().Adopt(&m.Header); err != nil {
						t.Error(err)
						return
					}
				}
				if err := s.Send(m); err != nil {
					assert.ErrorIs(t, err, handoff.ErrClosed)
					// The receiver disconnected: m is still ours.
					if m != nil {
						assert.True(t, s.Owner().Owns(&m.Header))
					}
					return
				}
				sentOK[id]++
				if m == nil {
					nilsOK[id]++
				}
			}
		}()
	}
	readDone := make(chan struct{})
	go func() { // the reader
		defer close(readDone)
		prev := rx.Stats()
		for !stopRead.Load() && reads < 1<<22 {
			cur := tx.Stats() // any endpoint's Stats may be read from any goroutine
			for k, msg := range statsMonotone(prev, cur) {
				if _, seen := readerErr[k]; !seen {
					readerErr[k] = fmt.Sprintf("read %d: %s", reads, msg)
				}
			}
			prev = cur
			reads++
		}
	}()

	// Receive most of the traffic, then disconnect with sends in flight.
	received := 0
	for received < producers*perProducer*3/4 {
		m, ok := rx.Recv()
		require.True(t, ok)
		if m != nil {
			require.True(t, rx.Owner().Owns(&m.Header))
			m.n = -m.n
		}
		received++
	}
	require.NoError(t, rx.Close())
	wg.Wait()
	stopRead.Store(true)
	<-readDone
	for k, msg := range readerErr {
		t.Errorf("%s: %s", k, msg)
	}

	sent, nils := 0, 0
	for id := range producers {
		sent += sentOK[id]
		nils += nilsOK[id]
	}
	st := rx.Stats()
	require.EqualValues(t, sent, st.Sent)
	require.EqualValues(t, received, st.Received)
	require.EqualValues(t, sent-received, st.Discarded)
	require.EqualValues(t, sent-nils, st.Transferred)
	require.Equal(t, producers, st.Lanes)
	t.Logf("%d concurrent reads; final %+v", reads, st)
}
