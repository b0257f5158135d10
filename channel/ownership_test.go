package channel_test

// Ownership through channels: a send moves the object's header from the
// sender's owner to the receiver's owner. Plain fields of *Msg are written
// only by the goroutine whose owner owns the object, so the race detector
// checks every hand-over for a happens-before edge.

import (
	"context"
	"errors"
	"fmt"
	"github.com/handoff-go/handoff"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// adopted returns n fresh objects owned by o, numbered from 1.
func adopted(t *testing.T, o *ownership.Owner, n int) []*Msg {
	t.Helper()
	ms := make([]*Msg, n)
	for i := range ms {
		ms[i] = &Msg{n: i + 1}
		require.NoError(t, o.Adopt(&ms[i].Header))
	}
	return ms
}

// closeOwners retires owners at the end of a test (their objects become free).
func closeOwners(t *testing.T, os ...*ownership.Owner) {
	t.Cleanup(func() {
		for _, o := range os {
			o.Close()
		}
	})
}

func requireNotOwner(t *testing.T, err error, caller *ownership.Owner, holder uint32) {
	t.Helper()
	require.ErrorIs(t, err, ownership.ErrNotOwner)
	var noe *ownership.NotOwnerError
	require.True(t, errors.As(err, &noe), "error %v is not a *ownership.NotOwnerError", err)
	require.Equal(t, caller.ID(), noe.Caller, "the error names who asked")
	require.Equal(t, holder, noe.Holder.Owner, "the error names who holds it: %v", noe.Holder)
}

func TestSendTransfersOwnership(t *testing.T) {
	tx, rx := channel.Make[*Msg](4)
	require.NotNil(t, tx.Owner())
	require.NotNil(t, rx.Owner())
	require.NotSame(t, tx.Owner(), rx.Owner(), "Make gives each side its own owner")
	closeOwners(t, tx.Owner(), rx.Owner())
	ms := adopted(t, tx.Owner(), 3)
	stolen := tx.Stats().Stolen

	for i, send := range []func(*Msg) error{
		tx.Send,
		tx.TrySend,
		func(m *Msg) error { return tx.SendContext(context.Background(), m) },
	} {
		m := ms[i]
		m.data[0] = byte(i) // the owner writes before sending
		require.NoError(t, send(m))
		err := tx.Owner().Check(&m.Header)
		requireNotOwner(t, err, tx.Owner(), rx.Owner().ID())
		var noe *ownership.NotOwnerError
		require.True(t, errors.As(err, &noe))
		require.Equal(t, ownership.Owned, noe.Holder.Kind)
		require.False(t, tx.Owner().Owns(&m.Header))
		require.True(t, rx.Owner().Owns(&m.Header), "already the receiver's while buffered")

		got, ok := rx.Recv()
		require.True(t, ok)
		require.Same(t, m, got)
		require.True(t, rx.Owner().Owns(&got.Header))
		require.Equal(t, byte(i), got.data[0])
		got.n++ // the receiver's owner may write
	}
	require.Equal(t, stolen, tx.Stats().Stolen, "owned objects move without stealing")
}

func TestSendBatchTransfersOwnership(t *testing.T) {
	tx, rx := channel.Make[*Msg](4)
	closeOwners(t, tx.Owner(), rx.Owner())
	ms := adopted(t, tx.Owner(), 10)
	done := make(chan error)
	go func() {
		n, err := tx.SendBatch(ms)
		if err == nil && n != len(ms) {
			err = fmt.Errorf("SendBatch sent %d of %d", n, len(ms))
		}
		done <- err
	}()
	dst := make([]*Msg, 3)
	for got := 0; got < len(ms); {
		n, ok := rx.RecvBatch(dst)
		require.True(t, ok)
		for _, m := range dst[:n] {
			require.Same(t, ms[got], m)
			require.True(t, rx.Owner().Owns(&m.Header))
			m.n = -m.n
			got++
		}
	}
	require.NoError(t, <-done)
}

func TestUseAfterSendIsAnError(t *testing.T) {
	tx, rx := channel.Make[*Msg](2, channel.RejectUnowned())
	closeOwners(t, tx.Owner(), rx.Owner())
	m := adopted(t, tx.Owner(), 1)[0]
	require.NoError(t, tx.Send(m))

	// Every way the sender might still use it reports the new holder.
	requireNotOwner(t, tx.Owner().Check(&m.Header), tx.Owner(), rx.Owner().ID())
	requireNotOwner(t, tx.Owner().Transfer(&m.Header, tx.Owner()), tx.Owner(), rx.Owner().ID())
	requireNotOwner(t, tx.Owner().Release(&m.Header), tx.Owner(), rx.Owner().ID())
	err := tx.Send(m) // a second send of the same object
	requireNotOwner(t, err, tx.Owner(), rx.Owner().ID())
	require.Equal(t, 1, tx.Len(), "the refused second send enqueued nothing")

	got, ok := rx.Recv()
	require.True(t, ok)
	require.True(t, rx.Owner().Owns(&got.Header))
}

// Objects bounce between two goroutines through two channels; each side
// writes plain fields of every object it holds. Without the transfer's
// happens-before edges the race detector would report these writes.
func TestOwnedPingPong(t *testing.T) {
	rounds := 3000
	if testing.Short() || raceEnabled {
		rounds = 1000
	}
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			a, b := ownership.NewOwner(), ownership.NewOwner()
			closeOwners(t, a, b)
			const pool = 4
			fwdTx, fwdRx := channel.Make[*Msg](2, channel.WithSenderOwner(a), channel.WithReceiverOwner(b), channel.RejectUnowned())
			backTx, backRx := channel.Make[*Msg](2, channel.WithSenderOwner(b), channel.WithReceiverOwner(a), channel.RejectUnowned())
			ms := adopted(t, a, pool)
			for _, m := range ms {
				m.n = 0
			}
			done := make(chan error)
			go func() { // b's goroutine: echo
				for m := range fwdRx.All() {
					if !b.Owns(&m.Header) {
						done <- fmt.Errorf("b received an object it does not own: %v", m.Header.State())
						return
					}
					m.n++
					m.data[m.n%len(m.data)]++
					if err := backTx.Send(m); err != nil {
						done <- err
						return
					}
				}
				done <- backTx.Close()
			}()
			inFlight := 0
			next := 0
			for r := 0; r < rounds; r++ {
				for inFlight < pool && next < pool { // start with the whole pool
					m := ms[next]
					next++
					m.n++
					require.NoError(t, fwdTx.Send(m))
					inFlight++
				}
				m, ok := backRx.Recv()
				require.True(t, ok)
				require.True(t, a.Owns(&m.Header))
				m.n++
				m.data[m.n%len(m.data)]++
				require.NoError(t, fwdTx.Send(m))
			}
			require.NoError(t, fwdTx.Close())
			total := 0
			for m := range backRx.All() {
				require.True(t, a.Owns(&m.Header))
				total += m.n
			}
			require.NoError(t, <-done)
			// Each of the pool+rounds sends was preceded by a's increment and
			// answered by b's.
			require.Equal(t, 2*(pool+rounds), total)
		})
	}
}

// The sender does not own the object: a third owner does and keeps
// running, passing preemption points. Send does not wait for it: the
// object travels as it is, and the receive steals it (waiting for the
// holder's next preemption point), so it arrives owned by the receiver.
func TestFallbackStealFromRunningOwner(t *testing.T) {
	tx, rx := channel.Make[*Msg](2)
	holder := ownership.NewOwner()
	closeOwners(t, tx.Owner(), rx.Owner(), holder)
	m := adopted(t, holder, 1)[0]
	require.NoError(t, tx.Send(m), "the send does not wait for the holder")
	require.Zero(t, tx.Stats().Transferred, "nothing moved at the send")

	stop := make(chan struct{})
	holderDone := make(chan bool)
	go func() { // the holder's goroutine: uses the object, preempts, repeat
		writes := 0
		for {
			select {
			case <-stop:
				holderDone <- holder.Owns(&m.Header)
				return
			default:
			}
			if holder.Owns(&m.Header) {
				m.data[writes%len(m.data)]++ // the race detector checks the steal's edge
				writes++
			}
			// Preempt only once the receive is stealing: the send's
			// release request would otherwise make the object stale
			// first, and the receive would claim it without a steal.
			if m.Header.State().Kind == ownership.Stealing {
				holder.Preempt()
			}
			runtimeGosched()
		}
	}()
	got, ok := rx.Recv()
	close(stop)
	require.True(t, ok)
	require.Same(t, m, got)
	require.True(t, rx.Owner().Owns(&got.Header), "arrived %v", got.Header.State())
	got.n = 99
	require.False(t, <-holderDone, "the holder lost the object")
	require.Equal(t, uint64(1), rx.Stats().Stolen, "the fallback steal is counted")
}

// A parked holder (blocked, at a safepoint) is stolen from by the receive
// without waiting; a closed holder's object is free, and the send claims
// and transfers it.
func TestFallbackStealFromParkedOrClosedOwner(t *testing.T) {
	tx, rx := channel.Make[*Msg](2)
	closeOwners(t, tx.Owner(), rx.Owner())
	parked, closed := ownership.NewOwner(), ownership.NewOwner()
	closeOwners(t, parked)
	m1 := adopted(t, parked, 1)[0]
	m2 := adopted(t, closed, 1)[0]
	parked.Park()
	closed.Close()
	require.NoError(t, tx.Send(m1))
	require.NoError(t, tx.Send(m2))
	require.Equal(t, uint64(1), tx.Stats().Transferred, "the free object was claimed and transferred at the send")
	for _, want := range []*Msg{m1, m2} {
		got, ok := rx.Recv()
		require.True(t, ok)
		require.Same(t, want, got)
		require.True(t, rx.Owner().Owns(&got.Header))
	}
	// The send asked the parked holder to give its object up, which bumped
	// it on its behalf at once: the object was stale on arrival, and the
	// receive claimed it with one CAS. Nothing had to be stolen.
	require.Zero(t, rx.Stats().Stolen, "nothing waited for a steal")
	parked.Unpark()
	require.False(t, parked.Owns(&m1.Header))
}

func TestRejectUnowned(t *testing.T) {
	tx, rx := channel.Make[*Msg](2, channel.RejectUnowned())
	holder := ownership.NewOwner()
	closeOwners(t, tx.Owner(), rx.Owner(), holder)
	m := adopted(t, holder, 1)[0]
	mine := adopted(t, tx.Owner(), 1)[0]
	require.NoError(t, tx.Send(mine))
	stolen := tx.Stats().Stolen

	for name, send := range map[string]func() error{
		"Send":        func() error { return tx.Send(m) },
		"TrySend":     func() error { return tx.TrySend(m) },
		"SendContext": func() error { return tx.SendContext(context.Background(), m) },
		"SendBatch": func() error {
			n, err := tx.SendBatch([]*Msg{m})
			if n != 0 {
				return fmt.Errorf("SendBatch reported %d sent", n)
			}
			return err
		},
	} {
		err := send()
		requireNotOwner(t, err, tx.Owner(), holder.ID())
		assert.Contains(t, err.Error(), "ownership:", name)
		require.Equal(t, 1, tx.Len(), "%s: nothing enqueued", name)
		require.True(t, holder.Owns(&m.Header), "%s: the holder still owns it", name)
		require.NoError(t, holder.Check(&m.Header))
	}
	require.Equal(t, stolen, tx.Stats().Stolen, "RejectUnowned never steals")
	got, ok := rx.Recv()
	require.True(t, ok)
	require.Same(t, mine, got)
	require.Zero(t, rx.Len())
}

// A SendContext that waits for space on a full channel and is cancelled
// leaves the object with the sender's owner and enqueues nothing.
func TestSendContextCancelledOnFullKeepsOwnership(t *testing.T) {
	tx, rx := channel.Make[*Msg](1)
	closeOwners(t, tx.Owner(), rx.Owner())
	ms := adopted(t, tx.Owner(), 2)
	require.NoError(t, tx.Send(ms[0]))
	ctx, cancel := context.WithCancel(context.Background())
	parks := tx.Stats().SendParks
	done := make(chan error)
	go func() { // the sender's goroutine from here on
		err := tx.SendContext(ctx, ms[1])
		if err != nil && tx.Owner().Owns(&ms[1].Header) {
			ms[1].n = 100 // still the sender's to write
		} else if err != nil {
			err = fmt.Errorf("%w, and the sender lost the object: %v", err, ms[1].Header.State())
		}
		done <- err
	}()
	waitParks(t, func() uint64 { return tx.Stats().SendParks }, parks)
	cancel()
	err := <-done
	require.ErrorIs(t, err, context.Canceled)
	require.NotErrorIs(t, err, ownership.ErrNotOwner)
	require.Equal(t, 100, ms[1].n)
	require.Equal(t, 1, rx.Len())
	got, ok := rx.Recv()
	require.True(t, ok)
	require.Same(t, ms[0], got)
}

// A RecvContext cancelled in the middle of its steal (the holder never
// reaches a preemption point) rolls the steal back and holds the item:
// the holder still owns the object, the receive reports ctx.Err(), and the
// next receive returns that same item once the holder passes a
// preemption point. Nothing is lost, nothing counted twice.
func TestSendContextCancelledDuringStealRollsBack(t *testing.T) {
	tx, rx := channel.Make[*Msg](2)
	holder := ownership.NewOwner()
	closeOwners(t, tx.Owner(), rx.Owner(), holder)
	m := adopted(t, holder, 1)[0]
	require.NoError(t, tx.Send(m))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { // the receiver's goroutine
		_, err := rx.RecvContext(ctx)
		done <- err
	}()
	// This goroutine is the holder's and passes no preemption point until
	// the receive gave up, so the steal can only be rolled back.
	waitFor(t, "the receive to start its steal", func() bool { return m.Header.State().Kind == ownership.Stealing })
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	require.True(t, holder.Owns(&m.Header), "rolled back to the holder: %v", m.Header.State())
	m.n = 5 // the holder's to write
	require.Zero(t, rx.Stats().Stolen)
	require.Zero(t, rx.Stats().Received, "the held item is not received yet")

	// The next receive returns the held item, once the holder preempts.
	got := make(chan *Msg)
	go func() {
		v, _ := rx.Recv()
		got <- v
	}()
	for waiting := true; waiting; {
		select {
		case v := <-got:
			require.Same(t, m, v)
			waiting = false
		default:
			holder.Preempt()
			runtimeGosched()
		}
	}
	require.True(t, rx.Owner().Owns(&m.Header))
	require.Equal(t, uint64(1), rx.Stats().Received)
	// Either the receive's steal completed at the holder's bump, or the
	// bump (answering the send's request) came first and the receive
	// claimed the stale object.
	require.LessOrEqual(t, rx.Stats().Stolen, uint64(1))
}

func TestSendNilPointer(t *testing.T) {
	for _, reject := range []bool{false, true} {
		var opts []channel.Option
		if reject {
			opts = append(opts, channel.RejectUnowned())
		}
		tx, rx := channel.Make[*Msg](3, opts...)
		require.NoError(t, tx.Send(nil))
		require.NoError(t, tx.TrySend(nil))
		n, err := tx.SendBatch([]*Msg{nil})
		require.NoError(t, err)
		require.Equal(t, 1, n)
		for i := 0; i < 2; i++ {
			got, ok := rx.Recv()
			require.True(t, ok)
			require.Nil(t, got)
		}
		got, err := rx.TryRecv()
		require.NoError(t, err)
		require.Nil(t, got)
		tx.Owner().Close()
		rx.Owner().Close()
	}
}

func TestNonHeaderTypesAreCopied(t *testing.T) {
	t.Run("int", func(t *testing.T) {
		tx, rx := channel.Make[int](1)
		require.Nil(t, tx.Owner())
		require.Nil(t, rx.Owner())
		require.NoError(t, tx.Send(3))
		v, _ := rx.Recv()
		require.Equal(t, 3, v)
	})
	t.Run("struct", func(t *testing.T) {
		type point struct{ x, y int }
		tx, rx := channel.Make[point](1)
		require.Nil(t, tx.Owner())
		require.Nil(t, rx.Owner())
		p := point{1, 2}
		require.NoError(t, tx.Send(p))
		p.x = 9
		v, _ := rx.Recv()
		require.Equal(t, point{1, 2}, v)
	})
	t.Run("pointer without header", func(t *testing.T) {
		type plain struct{ n int }
		tx, rx := channel.Make[*plain](1, channel.RejectUnowned())
		require.Nil(t, tx.Owner())
		require.Nil(t, rx.Owner())
		p := &plain{n: 1}
		require.NoError(t, tx.Send(p), "RejectUnowned has nothing to check")
		v, _ := rx.Recv()
		require.Same(t, p, v)
	})
	t.Run("interface element", func(t *testing.T) {
		// An interface element type is copied even when it holds a *Msg:
		// the choice is made once, by Make, from the static type.
		tx, rx := channel.Make[ownership.Object](1)
		require.Nil(t, tx.Owner())
		o := ownership.NewOwner()
		closeOwners(t, o)
		m := adopted(t, o, 1)[0]
		require.NoError(t, tx.Send(m))
		v, _ := rx.Recv()
		require.Same(t, m, v.(*Msg))
		require.True(t, o.Owns(&m.Header), "no transfer for interface elements")
	})
}

func TestWithSenderAndReceiverOwner(t *testing.T) {
	a, b := ownership.NewOwner(), ownership.NewOwner()
	closeOwners(t, a, b)
	tx, rx := channel.Make[*Msg](2, channel.WithSenderOwner(a), channel.WithReceiverOwner(b))
	require.Same(t, a, tx.Owner())
	require.Same(t, b, rx.Owner())
	m := adopted(t, a, 1)[0]
	stolen := tx.Stats().Stolen
	require.NoError(t, tx.Send(m))
	require.Equal(t, stolen, tx.Stats().Stolen, "a owns it: no steal")
	require.False(t, a.Owns(&m.Header))
	got, _ := rx.Recv()
	require.True(t, b.Owns(&got.Header))

	// Only one side given: the other gets a fresh owner.
	tx2, rx2 := channel.Make[*Msg](1, channel.WithReceiverOwner(b))
	require.Same(t, b, rx2.Owner())
	require.NotNil(t, tx2.Owner())
	require.NotSame(t, b, tx2.Owner())
	tx2.Owner().Close()

	// Plain element types keep a given owner (for its preemption points)
	// and have none otherwise.
	tx3, rx3 := channel.Make[int](1, channel.WithSenderOwner(a))
	require.Same(t, a, tx3.Owner())
	require.Nil(t, rx3.Owner())
}

// Thieves keep stealing the objects while the sender sends them and the
// receiver receives them. At the end every object is owned by exactly one
// owner (none lost, none stuck mid-steal) and every object arrived exactly
// once. Every owner writes plain fields of whatever it holds: the race
// detector checks each hand-over.
func TestTransferUnderConcurrentThieves(t *testing.T) {
	nObj, thiefRounds := 512, 20000
	if testing.Short() || raceEnabled {
		nObj, thiefRounds = 256, 5000
	}
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("GOMAXPROCS=%d", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			tx, rx := channel.Make[*Msg](4)
			thieves := []*ownership.Owner{ownership.NewOwner(), ownership.NewOwner()}
			all := append([]*ownership.Owner{tx.Owner(), rx.Owner()}, thieves...)
			closeOwners(t, all...)
			ms := adopted(t, tx.Owner(), nObj)
			for i, m := range ms {
				m.n = i // the object's identity; only data is written below
			}

			var wg sync.WaitGroup
			errs := make(chan error, 2+len(thieves))
			received := make([]int, nObj)
			thefts := make([]int, len(thieves))
			wg.Add(2 + len(thieves))
			go func() { // sender
				defer wg.Done()
				defer tx.Owner().Park() // stay at a safepoint: thieves may still come
				for _, m := range ms {
					if tx.Owner().Owns(&m.Header) {
						m.data[0]++
					}
					if err := tx.Send(m); err != nil {
						errs <- fmt.Errorf("send %d: %w", m.n, err)
						break
					}
				}
				if err := tx.Close(); err != nil {
					errs <- err
				}
			}()
			var recvDone atomic.Bool
			go func() { // receiver
				defer wg.Done()
				defer recvDone.Store(true)
				defer rx.Owner().Park()
				for m := range rx.All() {
					received[m.n]++
					if rx.Owner().Owns(&m.Header) { // a thief may have taken it while buffered
						m.data[1]++
					}
				}
			}()
			for k, th := range thieves {
				go func() {
					defer wg.Done()
					defer th.Park()
					r := rand.New(rand.NewPCG(uint64(k), uint64(procs)))
					// Steal while the objects are in flight: stop when the
					// receiver is done (or after a bound).
					for round := 0; round < thiefRounds && !recvDone.Load(); round++ {
						for range 3 {
							i := r.IntN(nObj)
							m := ms[i]
							ok, err := th.TrySteal(context.Background(), &m.Header)
							if err != nil {
								errs <- fmt.Errorf("thief %d: %w", k, err)
								return
							}
							if ok && th.Owns(&m.Header) {
								m.data[2+k]++
								thefts[k]++
							}
						}
						th.Preempt()
						runtimeGosched()
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}

			t.Logf("thefts by thieves %v, fallback steals by the sender %d", thefts, tx.Stats().Stolen)
			for i, c := range received {
				require.Equal(t, 1, c, "object %d received %d times", i, c)
			}
			ids := map[uint32]*ownership.Owner{}
			for _, o := range all {
				ids[o.ID()] = o
				o.Unpark() // this goroutine uses every owner from here on (wg.Wait ordered it)
			}
			for _, m := range ms {
				st := m.Header.State()
				require.Contains(t, []ownership.Kind{ownership.Owned, ownership.Stale}, st.Kind, "object %d: %v", m.n, st)
				holder, ok := ids[st.Owner]
				require.True(t, ok, "object %d named by an unknown owner: %v", m.n, st)
				owners := 0
				for _, o := range all {
					if o.Owns(&m.Header) {
						owners++
					}
				}
				require.LessOrEqual(t, owners, 1, "object %d", m.n)
				require.NoError(t, holder.Claim(&m.Header), "object %d: its holder re-claims it", m.n)
				owners = 0
				for _, o := range all {
					if o.Owns(&m.Header) {
						owners++
					}
				}
				require.Equal(t, 1, owners, "object %d", m.n)
			}
		})
	}
}

// A receive waiting for a steal (the holder passes no preemption point) is
// woken by a receiver Close from another goroutine: it reports the channel
// closed, the steal is rolled back, and the item counts as discarded.
func TestReceiverCloseRacingSendIsFinal(t *testing.T) {
	tx, rx := channel.Make[*Msg](2)
	holder := ownership.NewOwner()
	closeOwners(t, tx.Owner(), rx.Owner(), holder)
	m := adopted(t, holder, 1)[0]
	require.NoError(t, tx.Send(m))
	done := make(chan bool)
	go func() {
		_, ok := rx.Recv()
		done <- ok
	}()
	waitFor(t, "the receive to start its steal", func() bool { return m.Header.State().Kind == ownership.Stealing })
	closed := make(chan error)
	go func() { closed <- rx.Close() }() // a third goroutine
	require.False(t, <-done, "the blocked receive reports the channel closed")
	require.NoError(t, <-closed)
	require.True(t, holder.Owns(&m.Header), "the steal was rolled back: %v", m.Header.State())
	_, err := rx.TryRecv()
	require.ErrorIs(t, err, handoff.ErrClosed, "ErrClosed after a disconnect is final")
	st := rx.Stats()
	require.Zero(t, st.Received)
	require.Equal(t, uint64(1), st.Sent)
	require.Equal(t, uint64(1), st.Discarded, "an accepted item that is never delivered is counted as discarded")
	require.ErrorIs(t, tx.Send(m), handoff.ErrClosed)
}

// RejectUnowned refuses objects the sender does not own. An object the
// sender owned when it called Send, and never gave away, must not be
// refused just because a thief stole a different object from the sender's
// owner while Send was parked on a full channel: that bump made the object
// stale, Send's own preemption point caused it, and the caller had no
// chance to re-claim. (Without RejectUnowned the same send re-claims it
// through the fallback steal and counts it in Stats().Stolen.)
func TestRejectUnownedBlockedSendKeepsOwnObject(t *testing.T) {
	tx, rx := channel.Make[*Msg](1, channel.RejectUnowned())
	thief := ownership.NewOwner()
	closeOwners(t, tx.Owner(), rx.Owner(), thief)
	ms := adopted(t, tx.Owner(), 3) // ms[0] fills the channel, ms[1] waits, ms[2] is stolen
	require.NoError(t, tx.Send(ms[0]))
	parks := tx.Stats().SendParks
	done := make(chan error)
	go func() { done <- tx.Send(ms[1]) }()
	waitParks(t, func() uint64 { return tx.Stats().SendParks }, parks)
	// The sender's owner is parked: the steal bumps its epoch on its behalf
	// and completes at once.
	require.NoError(t, thief.Steal(context.Background(), &ms[2].Header))
	ms[2].n = 30
	got, ok := rx.Recv()
	require.True(t, ok)
	require.Same(t, ms[0], got)
	require.NoError(t, <-done, "Send refused an object its owner held when it called Send")
	got, ok = rx.Recv()
	require.True(t, ok)
	require.Same(t, ms[1], got)
}

// A receive that may not wait, polled in a loop, gets an object on the
// fallback path once its holder passes a preemption point: the poll asks
// the holder to let go and leaves the request standing, so the holder's
// next Preempt answers it and the next poll claims the stale object. (A
// steal that withdrew its request each time it gave up could miss every
// Preempt of a holder that preempts between polls: a user trial's TryRecv
// loop at GOMAXPROCS 1 never got its object so.)
func TestTryRecvLoopGetsAFallbackObject(t *testing.T) {
	for _, how := range []string{"TryRecv", "TryRecvBatch", "TrySelect"} {
		t.Run(how, func(t *testing.T) {
			setGOMAXPROCS(t, 1)
			tx, rx := channel.Make[*Msg](2)
			holder := ownership.NewOwner()
			closeOwners(t, tx.Owner(), rx.Owner(), holder)
			m := adopted(t, holder, 1)[0]
			require.NoError(t, tx.Send(m), "sent as it is: its holder is live")
			holder.Preempt() // answers the send's request: m is stale ...
			require.True(t, holder.TryClaim(&m.Header), "... and its holder takes it back, with nothing pending")

			stop := make(chan struct{})
			holderDone := make(chan struct{})
			go func() { // the holder's goroutine: preempts between the polls
				defer close(holderDone)
				for {
					select {
					case <-stop:
						return
					default:
					}
					holder.Preempt()
					runtime.Gosched()
				}
			}()
			var got *Msg
			sel := channel.NewSelector(channel.On(rx, &got))
			buf := make([]*Msg, 2)
			for i := 0; got == nil; i++ {
				require.Less(t, i, maxPolls, "the poll never got the object")
				switch how {
				case "TryRecv":
					if v, err := rx.TryRecv(); err == nil {
						got = v
					} else {
						require.ErrorIs(t, err, handoff.ErrEmpty)
					}
				case "TryRecvBatch":
					if n, err := rx.TryRecvBatch(buf); err == nil {
						require.Equal(t, 1, n)
						got = buf[0]
					} else {
						require.ErrorIs(t, err, handoff.ErrEmpty)
					}
				case "TrySelect":
					if _, err := sel.TrySelect(); err != nil {
						require.ErrorIs(t, err, handoff.ErrEmpty)
					}
				}
				runtime.Gosched()
			}
			close(stop)
			<-holderDone
			require.Same(t, m, got)
			require.True(t, rx.Owner().Owns(&got.Header))
			got.n++
		})
	}
}

// The non-blocking receives are no preemption points, not even when the
// item they pop needs a steal its holder does not answer: a request
// pending on the receiver's owner stays pending, and the receiver still
// owns what it held before (the race detector checks the writes).
func TestTryRecvOfAFallbackObjectIsNoPreemptionPoint(t *testing.T) {
	for _, how := range []string{"TryRecv", "TryRecvBatch", "TrySelect"} {
		t.Run(how, func(t *testing.T) {
			tx, rx := channel.Make[*Msg](2)
			holder := ownership.NewOwner() // live, and never preempts here
			closeOwners(t, tx.Owner(), rx.Owner(), holder)
			m := adopted(t, holder, 1)[0]
			require.NoError(t, tx.Send(m), "sent as it is: its holder is live")
			mine := adopted(t, rx.Owner(), 1)[0]
			require.True(t, ownership.RequestRelease(&mine.Header), "a request pending on the receiver's owner")
			e := rx.Owner().Epoch()

			var got *Msg
			var err error
			switch how {
			case "TryRecv":
				got, err = rx.TryRecv()
			case "TryRecvBatch":
				_, err = rx.TryRecvBatch(make([]*Msg, 2))
			case "TrySelect":
				_, err = channel.NewSelector(channel.On(rx, &got)).TrySelect()
			}
			require.ErrorIs(t, err, handoff.ErrEmpty, "the holder never let go")
			require.Nil(t, got)
			require.Equal(t, e, rx.Owner().Epoch(), "the receive passed no preemption point")
			require.True(t, rx.Owner().Owns(&mine.Header))
			mine.n++

			holder.Preempt() // lets go; the blocking receive takes it
			v, ok := rx.Recv()
			require.True(t, ok)
			require.Same(t, m, v)
			require.True(t, rx.Owner().Owns(&v.Header))
			v.n++
		})
	}
}
