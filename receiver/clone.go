package receiver

import (
	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
)

// Clone returns another receiver on the same channel, for another
// goroutine: a pool of workers that each take the next item, as goroutines
// that receive from one Go channel do. Every item goes to exactly one
// receiver, and the items of one sender are received in send order by the
// receivers taken together (the pops of a lane are one at a time, from its
// head), with one exception: a receive that may not wait can pass over an
// object on the fallback path that it cannot own yet (see package
// channel, Many receivers). For element types with an ownership header
// the clone gets a fresh owner (see CloneOwned to choose it), and every
// object a receiver returns is owned by that receiver's owner, taken with
// one CAS, never a steal, unless it was sent on the fallback path (see
// package channel).
//
// The channel is disconnected once every receiver has closed (senders then
// fail with handoff.ErrClosed); a receiver that closes while others are
// open only stops receiving. Clone fails with handoff.ErrClosed if this
// receiver is closed or the channel disconnected.
//
// Clone is an operation of this receiver: call it from the goroutine that
// uses it. A channel with one receiver takes no lock; the first Clone
// makes every receiver of the channel claim each lane under a lock from
// then on (see package channel: Many receivers).
func (r *Receiver[T]) Clone() (*Receiver[T], error) {
	if !r.p.HasHeader {
		return r.clone(nil, false)
	}
	o := ownership.NewOwner()
	c, err := r.clone(o, true)
	if err != nil {
		o.Close()
	}
	return c, err
}

// CloneOwned is Clone with the clone's owner chosen by the caller (nil: no
// owner, allowed only for element types without an ownership header).
func (r *Receiver[T]) CloneOwned(o *ownership.Owner) (*Receiver[T], error) {
	if o == nil && r.p.HasHeader {
		panic("receiver: CloneOwned(nil) on a channel of owned objects; pass an owner or use Clone")
	}
	return r.clone(o, false)
}

func (r *Receiver[T]) clone(o *ownership.Owner, fresh bool) (*Receiver[T], error) {
	r.guard.Enter("receiver")
	defer r.guard.Leave()
	if r.p.Flag.Closed() {
		return nil, handoff.ErrClosed
	}
	shared, err := r.p.St.AddReceiver(&r.p.Flag)
	if err != nil {
		return nil, err
	}
	r.p.Shared = shared // the one-way switch: see endpoint.Consumers
	if r.holding() {
		// Items this receiver held back go to the pool the receivers
		// share from now on (see returnItem), oldest first: held here,
		// they would be lost if this receiver closed while its clones
		// stay open. This goroutine is the only one that reads r.held.
		h := r.held
		p := endpoint.LockReturned[T](shared)
		for _, v := range h.items[h.head:] {
			p.PushBack(v, false)
		}
		p.Unlock()
		clear(h.items)
		h.items, h.head = h.items[:0], 0
	}
	c := &Receiver[T]{p: endpoint.ReceiverParts[T]{
		St: r.p.St, Owner: o, FreshOwner: fresh, Shared: shared, HasHeader: r.p.HasHeader,
	}}
	return c, nil
}
