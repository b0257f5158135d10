package sender

import (
	"context"
	"errors"
	"fmt"
	"github.com/handoff-go/handoff"

	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/ringbuffer"
)

// Send sends v, blocking while the channel is full. It returns handoff.ErrClosed
// if the channel is closed (by Close or by the receiver disconnecting),
// and for owned objects the ownership error of the fallback path (see
// SendContext). Send is a preemption point of the sender's owner.
func (s *Sender[T]) Send(v T) error {
	s.guard.Enter("sender")
	err := s.settleClosed(s.send(context.Background(), v, true))
	s.guard.Leave()
	return err
}

// SendContext is Send bounded by ctx: if ctx is done before v could be
// sent it returns ctx.Err() and v is neither enqueued nor moved to another
// owner. As with a Go select that has a ready case, a send that needs no
// waiting succeeds even if ctx is already done.
//
// For element types with an ownership header: if the sender's owner owns
// v, v's header is rewritten to the receiver's owner (one CAS) before v
// is published. If it does not, the send never waits for v's holder (see
// ownership.Owner.HandOver): a free or stale v is claimed and then
// rewritten; one that another live owner holds is sent as it is, its
// holder is asked to let it go at its next preemption point, and the
// receive takes it (the fallback path, on the receiving side). With
// channel.RejectUnowned such a send fails instead, with an error that
// wraps ownership.ErrNotOwner and names the current holder. A frozen v
// is refused. A nil pointer is sent as is.
func (s *Sender[T]) SendContext(ctx context.Context, v T) error {
	s.guard.Enter("sender")
	err := s.settleClosed(s.send(ctx, v, true))
	s.guard.Leave()
	return err
}

// TrySend sends v if a slot is free right now and returns
// handoff.ErrFull otherwise; it never waits for a receiver to come. On an
// unbuffered channel it sends only to a receiver already waiting, and
// yields until that receiver has taken v (or has ended its wait another
// way: then ErrFull). Ownership is handled as in SendContext, without
// waiting for anyone.
func (s *Sender[T]) TrySend(v T) error {
	s.guard.Enter("sender")
	err := s.settleClosed(s.send(context.Background(), v, false))
	s.guard.Leave()
	return err
}

func (s *Sender[T]) send(ctx context.Context, v T, block bool) error {
	st, ring, tx := s.p.St, s.p.Lane.Ring, s.p.Lane.Ring.Producer()
	if block && s.p.Owner != nil {
		s.p.Owner.Preempt() // a blocking send is a preemption point: one load
	}
	if st.Rendezvous {
		return s.rendezvous(ctx, v, block)
	}
	if !st.HasHeader {
		// Plain values: one push, no ownership work (decided at Make). The
		// push fails on a full or a closed ring; the close mark is in the
		// word it publishes to, so a close from any goroutine either comes
		// after this item (which the receiver then gets) or makes it fail.
		reloads := block && s.slipBeforeReload(ring)
		if tx.TryPush(v) {
			if reloads {
				s.noteRoom(ring)
			}
			st.RecvPark.Wake()
			return nil
		}
		s.crowded = false // full, or closed: the wait starts afresh
		return s.sendFull(ctx, v, block)
	}
	// Owned values: first a slot, then the ownership change, then the
	// publish. Taking the slot first means that the only error after the
	// ownership change is a close that raced with this send, and that one
	// gives ownership back (Recall): an error leaves ownership where it was
	// and nothing enqueued.
	if ring.Closed() {
		return handoff.ErrClosed
	}
	reloads := block && s.slipBeforeReload(ring)
	if tx.Full() {
		s.crowded, reloads = false, false // the wait starts afresh
		if err := s.waitSpace(ctx, block); err != nil {
			return err
		}
	}
	if reloads {
		s.noteRoom(ring)
	}
	// handOver's steps written out, so that the common case makes no
	// call: v's sender owns it (TryTransfer, inlined); anything else
	// takes the whole decision (handOverHeader). Through handOver, as the
	// batch and rendezvous paths go, an owned send took about a third
	// longer (88a8e33).
	h := st.Header(v)
	moved := h != nil && s.p.Owner.TryTransfer(h, s.to())
	if !moved && h != nil {
		var err error
		if moved, err = s.handOverHeader(h); err != nil {
			return err
		}
	}
	if !moved {
		// A nil pointer, or an object that travels as it is: counted
		// apart, so that Stats can tell transfers from pushes without a
		// counter on the fast path.
		s.p.Lane.Stats.BeginUntransferred()
		ok := tx.TryPush(v)
		s.p.Lane.Stats.EndUntransferred(b2u(ok))
		if !ok {
			return handoff.ErrClosed
		}
	} else if !tx.TryPush(v) { // the slot is ours: only a close makes it fail
		s.recall(h)
		return handoff.ErrClosed
	}
	st.RecvPark.Wake()
	return nil
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// sendFull sends a plain value whose push found the ring full (or
// closed). A blocking send offers the item to the receiver while it waits
// (Lane.Offer): a receiver that empties the ring meanwhile takes it from
// there, as a Go channel's receive takes the item of a blocked sender, and
// need not sleep until this goroutine runs again to push it. The sender
// wakes when the item was taken (the send is done), when a slot is free
// (it withdraws the offer and pushes), or when the lane is closed (it
// withdraws and fails with handoff.ErrClosed, having enqueued nothing).
func (s *Sender[T]) sendFull(ctx context.Context, v T, block bool) error {
	st, lane := s.p.St, s.p.Lane
	for {
		if lane.Ring.Closed() {
			return handoff.ErrClosed
		}
		if !block {
			return handoff.ErrFull // TryPush reloaded the receiver's index
		}
		lane.Offer(v)
		err := wait(s, ctx, offerSettled[T]{lane})
		if lane.Withdraw() {
			return nil // the receiver took it
		}
		if err != nil {
			return err
		}
		if lane.Ring.Producer().TryPush(v) {
			st.RecvPark.Wake()
			return nil
		}
	}
}

// offerSettled is the wait condition of a send with an offer up: the item
// taken, a slot free, or the lane closed.
type offerSettled[T any] struct{ l *endpoint.Lane[T] }

func (c offerSettled[T]) Ready() (bool, error) {
	return c.l.OfferSettled() || c.l.Ring.Closed() || !c.l.Ring.Producer().Full(), nil
}

// waitSpace waits until the ring has a free slot, or reports handoff.ErrClosed
// once it is closed (by this sender's Close from any goroutine, or by the
// receiver's). Only the producer fills the ring, so a free slot stays free
// until this goroutine pushes.
func (s *Sender[T]) waitSpace(ctx context.Context, block bool) error {
	c := spaceFree[T]{s.p.Lane.Ring}
	if done, err := c.Ready(); done {
		return err
	}
	if !block {
		return handoff.ErrFull
	}
	return wait(s, ctx, c)
}

// wait waits in the channel's wait loop until c is ready, or ctx is done.
// C is a type parameter so that c is not boxed: a wait allocates nothing.
func wait[T any, C endpoint.Condition](s *Sender[T], ctx context.Context, c C) error {
	st, lane := s.p.St, s.p.Lane
	// With one sender, the yield may hand the P to the receiver that is
	// about to free a slot. With several, it mostly hands it to another
	// producer that will fill its own lane, and takes CPU from the
	// receiver, which is the bottleneck of a fan-in: park at once
	// (measured: fan-in from 4 producers, 39.6 -> 32.1 ns per item).
	var spin *endpoint.Spinner
	if len(st.Lanes()) == 1 {
		spin = &s.spinner
	}
	sl := endpoint.SleeperOf(&lane.SendPark, &lane.Stats.WaitStats, s.p.Owner, spin) // both closes mark the ring before they wake it
	return endpoint.Await(ctx, c, &sl)
}

// spaceFree is the sender's wait condition: a free slot in its lane, or
// the lane closed (ErrClosed).
type spaceFree[T any] struct{ ring *ringbuffer.Ring[T] }

func (c spaceFree[T]) Ready() (bool, error) {
	if c.ring.Closed() {
		return true, handoff.ErrClosed
	}
	return !c.ring.Producer().Full(), nil
}

// handOver moves v to the receiver's owner if that needs no waiting for
// anyone (ownership.Owner.HandOver makes the decision), and returns v's
// header (nil for a nil pointer) and whether ownership moved. An object
// another live owner holds goes as it is, and the receive takes it. A
// receiver owner that closed while this send was past its closed check is
// the channel being closed: the error says so (and still wraps the
// ownership error). On error ownership is unchanged.
func (s *Sender[T]) handOver(v T) (h *endpoint.Header, moved bool, err error) {
	h = s.p.St.Header(v)
	if h == nil {
		return nil, false, nil
	}
	if s.p.Owner.TryTransfer(h, s.to()) {
		return h, true, nil // the common case, inlined (see Owner.TryTransfer)
	}
	moved, err = s.handOverHeader(h)
	return h, moved, err
}

// handOverHeader is handOver for a header found (h != nil): the whole
// decision of ownership.Owner.HandOver.
func (s *Sender[T]) handOverHeader(h *endpoint.Header) (moved bool, err error) {
	moved, err = s.p.Owner.HandOver(h, s.to(), s.p.St.RejectUnowned)
	if err != nil && errors.Is(err, ownership.ErrOwnerClosed) && s.p.St.ReceiverClosed() {
		err = fmt.Errorf("%w (%w)", handoff.ErrClosed, err)
	}
	return moved, err
}
