package sender

import (
	"context"
	"errors"
	"fmt"

	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
)

// Send sends v, blocking while the channel is full. It returns ErrClosed
// if the channel is closed (by Close or by the receiver disconnecting),
// and for owned objects the ownership error of the fallback path (see
// SendContext). Send is a preemption point of the sender's owner.
func (s *Sender[T]) Send(v T) error {
	s.guard.Enter("sender")
	err := s.send(context.Background(), v, true)
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
// is published. If it does not, v is first stolen for the sender's owner
// (the fallback steal path, bounded by ctx), unless the channel was made
// with channel.RejectUnowned, in which case the send fails with an error
// that wraps ownership.ErrNotOwner and names the current holder. A nil
// pointer is sent as is.
func (s *Sender[T]) SendContext(ctx context.Context, v T) error {
	s.guard.Enter("sender")
	err := s.send(ctx, v, true)
	s.guard.Leave()
	return err
}

// TrySend sends v if a slot is free right now and returns ErrFull
// otherwise; it never waits for the receiver. Ownership is handled as in
// SendContext; a fallback steal may still wait for the current holder's
// next preemption point.
func (s *Sender[T]) TrySend(v T) error {
	s.guard.Enter("sender")
	err := s.send(context.Background(), v, false)
	s.guard.Leave()
	return err
}

func (s *Sender[T]) send(ctx context.Context, v T, block bool) error {
	st, lane := s.st, s.lane
	if lane.LaneClosed() || st.ReceiverClosed() {
		return ErrClosed
	}
	if block && s.owner != nil {
		s.owner.Preempt()
	}
	if !st.Transfer {
		// Plain values: one push, no ownership work (decided at Make).
		if lane.Ring.TryPush(v) {
			st.RecvPark.Wake()
			return nil
		}
		if err := s.waitSpace(ctx, block); err != nil {
			return err
		}
		lane.Ring.TryPush(v) // single producer: the free slot found above is still free
		st.RecvPark.Wake()
		return nil
	}
	// Owned values: first a slot, then the ownership change, then the
	// publish. Taking the slot first means that no error after the
	// ownership change is possible, so an error always leaves ownership
	// where it was and nothing enqueued.
	if lane.Ring.Full() {
		if err := s.waitSpace(ctx, block); err != nil {
			return err
		}
	}
	isNil, err := s.handOver(ctx, v)
	if err != nil {
		return err
	}
	if isNil {
		// Counted apart, so that Stats can tell transfers from pushes
		// without a counter on the fast path.
		lane.Stats.BeginNilSend()
		lane.Ring.TryPush(v)
		lane.Stats.EndNilSend(1)
	} else {
		lane.Ring.TryPush(v) // cannot fail: see above
	}
	st.RecvPark.Wake()
	return nil
}

// waitSpace waits until the ring has a free slot. Only the producer fills
// the ring, so the slot stays free until this goroutine pushes.
func (s *Sender[T]) waitSpace(ctx context.Context, block bool) error {
	st, lane := s.st, s.lane
	if !block {
		if lane.Ring.Full() {
			return ErrFull
		}
		return nil
	}
	lane.Stats.Waits.Add(1)
	var spin endpoint.Spinner
	for {
		if st.ReceiverClosed() || lane.LaneClosed() {
			return ErrClosed
		}
		if !lane.Ring.Full() {
			return nil
		}
		// With one sender, the yield may hand the P to the receiver that
		// is about to free a slot. With several, it mostly hands it to
		// another producer that will fill its own lane, and takes CPU from
		// the receiver, which is the bottleneck of a fan-in: park at once
		// (measured: fan-in from 4 producers, 39.6 -> 32.1 ns per item).
		if len(st.Lanes()) == 1 && spin.Spin() {
			continue
		}
		// Announce, re-check, sleep: see endpoint.Parker.
		lane.SendPark.Prepare(nil)
		if st.ReceiverClosed() || lane.LaneClosed() || !lane.Ring.Full() {
			lane.SendPark.Cancel()
			continue
		}
		lane.Stats.Parks.Add(1)
		if err := lane.SendPark.Sleep(ctx, s.owner); err != nil {
			return err
		}
		spin.Reset()
	}
}

// handOver moves v to the receiver's owner, stealing it first when the
// sender's owner does not own it. On error ownership is unchanged. isNil
// reports a nil pointer, which has no owner to move.
func (s *Sender[T]) handOver(ctx context.Context, v T) (isNil bool, err error) {
	h := s.st.Header(v)
	if h == nil {
		return true, nil
	}
	for {
		var err error
		if s.owner.Owns(h) {
			err = s.transfer(h)
		} else {
			err = s.handOverUnowned(ctx, h)
		}
		if err == nil || s.st.RejectUnowned || !markedByThief(err) {
			return false, err
		}
		// A thief marked the object between our check (or our own steal)
		// and our CAS. Our check stays valid until our next preemption
		// point, but the word is no longer ours to rewrite: pass that
		// point, so the thief's steal completes, and take the object back
		// on the fallback path (bounded by ctx, like any steal).
		s.owner.Preempt()
	}
}

// markedByThief reports whether err says the object is being stolen.
func markedByThief(err error) bool {
	var noe *ownership.NotOwnerError
	return errors.As(err, &noe) && noe.Holder.Kind == ownership.Stealing
}

// transfer moves h from the sender's owner to the receiver's. The only way
// it can fail for an object the sender owns is a receiver owner that was
// closed, which happens when a receiver disconnects and closes the owner
// Make gave it while this send was already past its closed check: that is
// the channel being closed, so the error says so (and still wraps the
// ownership error). Ownership stays with the sender.
func (s *Sender[T]) transfer(h *endpoint.Header) error {
	err := s.owner.Transfer(h, s.to)
	if err != nil && errors.Is(err, ownership.ErrOwnerClosed) && s.st.ReceiverClosed() {
		return fmt.Errorf("%w (%w)", ErrClosed, err)
	}
	return err
}

func (s *Sender[T]) handOverUnowned(ctx context.Context, h *endpoint.Header) error {
	if st := h.State(); st.Kind == ownership.Stale && st.Owner == s.owner.ID() {
		// Our own object, left stale because a thief made our owner bump
		// its epoch (possibly while this send was parked): re-claiming it
		// is one CAS, not a steal, and allowed even with RejectUnowned.
		if s.owner.Claim(h) == nil {
			return s.transfer(h)
		}
	}
	if s.st.RejectUnowned {
		if err := s.owner.Check(h); err != nil {
			return err // wraps ownership.ErrNotOwner and names the holder
		}
		return s.transfer(h)
	}
	if err := s.owner.Steal(ctx, h); err != nil {
		return err
	}
	s.lane.Stats.Stolen.Add(1)
	// If the receiver's owner closed meanwhile, the stolen object stays
	// with the sender's owner, which is where a failed send leaves it.
	return s.transfer(h)
}
