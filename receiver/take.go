package receiver

import (
	"context"
	"errors"
	"github.com/handoff-go/handoff"

	"github.com/handoff-go/handoff/ownership"
)

// take makes a popped item ready to return: for owned element types, the
// object must be owned by the receiver's owner when the receive returns.
//
//   - Owned already (the sender transferred it): one load of the header and
//     a compare, the common path.
//   - Free or stale: one CAS (TryClaim). An object goes stale in the
//     buffer when the receiver's owner passes a preemption point with a
//     steal pending (this very receive's Preempt, a park, or the owner's
//     use elsewhere) after the sender wrote the header at the old epoch.
//   - Owned by another live owner, or being stolen: the sender did not own
//     it and sent it as it is (see sender.Sender.Send), or a thief that
//     held a pointer took it while it was buffered. The receive steals it
//     (ownership.Owner.Steal: it waits for the holder's next preemption
//     point, or takes it at once if the holder is parked). A receive
//     that may not wait (TryRecv, a Selector's poll) only takes what needs
//     no waiting. If the steal cannot complete, because the receive's
//     context ended or it may not wait, the item is held back (see hold)
//     and the receive reports ctx.Err(), or handoff.ErrEmpty: nothing is lost, and
//     the held item is the next one a receive returns, so order is kept.
//   - Frozen: returned as it is, readable by every owner (it was frozen
//     while it waited: a sender refuses to send a frozen object).
//
// Only on the steal path does take wait; then the receiver's owner is
// parked (ownership invariant 5), so thieves of its own objects do not
// wait for it.
func (r *Receiver[T]) take(ctx context.Context, v T, block bool) (T, error) {
	if err := r.own(ctx, v, block); err != nil {
		r.hold(v)
		var zero T
		return zero, err
	}
	return v, nil
}

// own is take's decision for one item; a non-nil error means v must be
// held back.
func (r *Receiver[T]) own(ctx context.Context, v T, block bool) error {
	if !r.p.HasHeader {
		return nil
	}
	if r.ownNow(v) {
		return nil
	}
	err := r.steal(ctx, r.p.St.Header(v), block)
	switch {
	case err == nil:
		r.p.St.ReceiverStats.Stolen.Add(1)
		return nil
	case r.p.St.ReceiverClosed():
		return handoff.ErrClosed // disconnected meanwhile (by any goroutine)
	case r.p.Shared != nil && r.p.Flag.Closed():
		// This receiver closed meanwhile, by any goroutine: its orQuit
		// cancelled the steal's context, and the receive reports the close,
		// not that context's error.
		return handoff.ErrClosed
	case !block && errors.Is(err, context.Canceled):
		return handoff.ErrEmpty // its holder did not let go during the spin
	case errors.Is(err, ownership.ErrFrozen):
		return nil // frozen while it was buffered: deliver it, readable by all
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return nil // a word this package never writes: deliver as it is
}

// steal is the receive path's Steal: bounded by ctx and by the receiver's
// disconnect (a Close from another goroutine must wake this wait too). A
// receive that may not wait steals under a context that is done already:
// its mark keeps the object while the steal yields a few times for the
// holder to answer, and it never parks, so it is no preemption point (see
// ownership's Invariants, 5).
func (r *Receiver[T]) steal(ctx context.Context, h *ownership.Header, block bool) error {
	if !block {
		return r.p.Owner.Steal(doneContext, h)
	}
	disconnect := r.p.St.Disconnected()
	if ctx.Done() == nil {
		return r.p.Owner.Steal(disconnect, h) // Background: no merge needed
	}
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(disconnect, cancel)
	defer func() {
		stop()
		cancel()
	}()
	return r.p.Owner.Steal(ctx, h)
}

// ownAsking is own for the scan of the pool of returned items, made under
// the pool's lock, where a receive must not yield: an object its owner can
// take with no steal (ownNow) or whose holder lets go at once (a parked
// one), or a frozen one, is taken; for any other, the holder is asked to
// let go at its next preemption point (ownership.RequestRelease), and the
// request stays, so that a later scan finds the object stale and claims
// it with one CAS.
func (r *Receiver[T]) ownAsking(v T) bool {
	if r.ownNow(v) {
		return true
	}
	h := r.p.St.Header(v)
	if ownership.RequestRelease(h) && r.p.Owner.TryClaim(h) {
		r.p.St.ReceiverStats.Stolen.Add(1)
		return true
	}
	return h.State().Kind == ownership.Frozen
}

// takeBatch owns every item of a popped batch, in order, waiting (block)
// or not for the first one's steal. If the item at i cannot be owned, it
// and the items after it are held back, and the first i items are
// returned (or the error, if i is 0).
//
// Invariant: once the batch's first item is owned, the receiver's owner
// passes no preemption point before the batch is returned, so every item
// it returns is still its own (the promise of a receive; a preemption
// point would void the earlier checks, and a thief waiting for that point
// would take an item already in the batch). A steal is such a point (it
// parks the owner while it waits, ownership invariant 5), so only the
// first item may be stolen; a later one is owned only where that takes
// no steal (Owns, TryClaim: a load or one CAS), and one that would need
// a steal ends the batch, held back for the next receive, which starts
// with it.
func (r *Receiver[T]) takeBatch(ctx context.Context, got []T, block bool) (int, error) {
	if !r.p.HasHeader {
		return len(got), nil
	}
	for i, v := range got {
		var err error
		if i == 0 {
			err = r.own(ctx, v, block)
		} else if !r.ownNow(v) {
			err = errEndOfBatch
		}
		if err != nil {
			for _, w := range got[i:] {
				r.hold(w)
			}
			clear(got[i:])
			if i == 0 {
				return 0, err
			}
			return i, nil
		}
	}
	return len(got), nil
}

// errEndOfBatch ends a batch before an item that takeBatch may not steal.
var errEndOfBatch = errors.New("receiver: end of batch")

// ownNow reports whether the receiver's owner owns v's object, taking it
// if that needs no steal (free, or stale): own's first steps, with no
// preemption point.
func (r *Receiver[T]) ownNow(v T) bool {
	h := r.p.St.Header(v)
	return h == nil || r.p.Owner.Owns(h) || r.p.Owner.TryClaim(h)
}

// hold keeps an item that was popped but cannot be returned yet (its steal
// did not complete). Held items come before anything still in the rings,
// since they were popped first. With several receivers the item goes to
// the pool they share (returnItem), not to this receiver alone.
func (r *Receiver[T]) hold(v T) {
	if r.p.Shared != nil {
		r.returnItem(v)
		return
	}
	h := r.held
	if h == nil {
		h = new(heldItems[T])
		r.held = h
	}
	if h.head == len(h.items) {
		h.items, h.head = h.items[:0], 0
	}
	h.items = append(h.items, v)
	r.p.St.ReceiverStats.Undelivered.Add(1)
}

// heldItems are the items a receiver holds back: items[head:], oldest
// first.
type heldItems[T any] struct {
	items []T
	head  int
}

// holding reports whether items are held back.
func (r *Receiver[T]) holding() bool { return r.held != nil && r.held.head < len(r.held.items) }

// takeHeld tries to return the oldest held item.
func (r *Receiver[T]) takeHeld(ctx context.Context, block bool) (T, error) {
	var zero T
	h := r.held
	v := h.items[h.head]
	if err := r.own(ctx, v, block); err != nil {
		return zero, err
	}
	h.items[h.head] = zero
	h.head++
	r.p.St.ReceiverStats.Undelivered.Add(-1)
	return v, nil
}

// dropHeld discards the held items (the receiver disconnected); they stay
// counted as undelivered, so Stats counts them as discarded.
func (r *Receiver[T]) dropHeld() {
	if h := r.held; h != nil {
		clear(h.items)
		h.items, h.head = h.items[:0], 0
	}
}

// doneContext is an already cancelled context: a steal under it takes
// what needs no waiting, or what its holder gives up during the steal's
// spin, and rolls back otherwise, without parking.
var doneContext = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()
