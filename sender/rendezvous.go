package sender

import (
	"context"
	"runtime"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
)

// rendezvous sends v on a channel of capacity 0: the item never enters the
// ring. It is offered to the receiver (Lane.Offer), which takes it the way
// it takes a blocked buffered send's item, and the send completes only
// once a receiver has taken it, as on an unbuffered Go channel.
//
//   - Ownership moves first (handOver, as on a buffered channel), so that
//     the receive that takes the item finds it its own. If the offer is
//     withdrawn untaken (the context ended, the channel closed, or a
//     TrySend found no taker) the move is undone (recall): a send that
//     fails leaves ownership where it was.
//   - A blocking send wakes the receiver and sleeps until the offer is
//     taken (the receiver's TakeOffer wakes it) or the lane is closed, or
//     ctx ends; then Withdraw decides, with one CAS against the
//     receiver's, whether the item went: a send never reports failure for
//     an item that was received, nor success for one that was not.
//   - TrySend succeeds only if a receiver is waiting: it offers the item
//     only if the receiver's Parker has a sleeper, wakes it, and then
//     yields until the offer is taken, or a receiver's wait ended without
//     taking it (RecvDone moved: the woken receiver took another sender's
//     item, or its Select chose another case), or the channel closed;
//     then it withdraws.
//     The woken receiver re-checks before anything else, so this is a
//     few scheduling rounds. (A sleeping receiver is the same thing as a
//     Go receiver queued on an unbuffered chan; the yields stand in for
//     the chan's lock, which hands the item over in one step.)
func (s *Sender[T]) rendezvous(ctx context.Context, v T, block bool) error {
	st, lane := s.p.St, s.p.Lane
	if lane.Ring.Closed() {
		return handoff.ErrClosed
	}
	// RecvDone before the Waiting test: a wait that ends after the test
	// moves it after this load, so the TrySend below sees that end (loaded
	// after the test, an end in between would be missed, and the TrySend
	// would wait for a receiver that went away).
	done := st.RecvDone.Load()
	if !block && !st.RecvPark.Waiting() {
		return handoff.ErrFull
	}
	var h *ownership.Header
	moved := false
	if st.HasHeader {
		var err error
		if h, moved, err = s.handOver(v); err != nil {
			return err
		}
	}
	if moved {
		lane.OfferMoved(v)
	} else {
		lane.Offer(v)
	}
	st.RecvPark.Wake()
	var err error
	if block {
		err = wait(s, ctx, offerTaken[T]{lane})
	} else {
		// Wait even if this Wake found no waiter: the receiver may have
		// seen the offer in its re-check and withdrawn its announcement
		// to take it (giving up at once here could repeat forever with a
		// Select that the receiver wakes again; the rendezvous model's
		// rv-select-send-live holds that it no longer does, for one item
		// per send). The receiver was waiting, so it takes an item or
		// ends its wait, and either moves RecvDone. The Add of a take
		// comes before the offer is marked taken (TakeOffer), so the
		// take of this sender's previous item cannot land after the load
		// above and end this wait at once (the model's
		// rv-select-send-live-k2 and -k3; with the Add after the take, a
		// Select sending two items had a fair cycle that delivered
		// nothing).
		for !lane.OfferSettled() && !lane.Ring.Closed() && st.RecvDone.Load() == done {
			runtime.Gosched()
		}
	}
	if lane.Withdraw() {
		return nil // taken: the receive has it, and it is the receiver's
	}
	if moved {
		s.recall(h)
	}
	switch {
	case lane.Ring.Closed():
		return handoff.ErrClosed
	case err != nil:
		return err
	}
	return handoff.ErrFull // TrySend: no receiver took it
}

// offerTaken is the wait condition of a send on a capacity-0 channel: its
// offer taken, or its lane closed (by either side).
type offerTaken[T any] struct{ l *endpoint.Lane[T] }

func (c offerTaken[T]) Ready() (bool, error) {
	return c.l.OfferSettled() || c.l.Ring.Closed(), nil
}
