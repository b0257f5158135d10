package receiver

import (
	"context"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/internal/endpoint"
)

// returnItem hands v, an item this receiver popped but could not own
// without waiting, to the pool that the receivers of the channel share
// (endpoint.Returned), where the next receive of any of them tries it
// before the lanes. With one receiver the item is held back instead
// (hold); with several, holding it here would lose it if this receiver
// closed while the others stay open. It stays counted as undelivered
// until a receive returns it. The receivers' Parker is woken: a receiver
// asleep at the door may wait to own it (sharedReady). If the pop counted
// v as unsettled, the receive settles that count after this
// (settleUnsettled), so v is counted in one place or both, never in none.
func (r *Receiver[T]) returnItem(v T) {
	p := endpoint.LockReturned[T](r.p.Shared)
	p.PushBack(v, false)
	p.Unlock()
	r.p.St.ReceiverStats.Undelivered.Add(1)
	r.p.St.RecvPark.Wake()
}

// takeReturned takes an item from the pool of returned items: the oldest
// one this receiver can own without waiting, else, if the receive may
// wait, the oldest, waiting to own it (bounded by ctx and by this
// receiver's Close, as a held item's steal is). ok false with a nil error:
// nothing this receive may take, go on to the lanes. An item whose wait
// ends without it goes back to the front of the pool, and the error is
// the receive's.
func (r *Receiver[T]) takeReturned(ctx context.Context, block bool) (v T, ok bool, err error) {
	p := endpoint.LockReturned[T](r.p.Shared)
	for i := range p.Len() {
		if r.ownAsking(p.At(i)) { // no steal, no yield: quick, under the lock
			v = p.Remove(i)
			p.Unlock()
			return r.returned(v), true, nil
		}
	}
	if !block || p.Len() == 0 {
		p.Unlock()
		return v, false, nil
	}
	v = p.RemoveToOwn() // unsettled while it is out: see endpoint.Returned
	p.Unlock()
	qctx, cancel := r.orQuit(ctx)
	err = r.own(qctx, v, true)
	cancel()
	if err == nil {
		v = r.returned(v)
		r.settleUnsettled(1)
		return v, true, nil
	}
	p = endpoint.LockReturned[T](r.p.Shared)
	p.PushFront(v, true)
	p.Unlock()
	r.p.St.RecvPark.Wake() // as returnItem: back in the pool
	var zero T
	if r.p.Flag.Closed() {
		return zero, false, handoff.ErrClosed // closed by another goroutine while it waited
	}
	return zero, false, err
}

// returned accounts for v, taken from the pool and now this receiver's.
func (r *Receiver[T]) returned(v T) T {
	r.p.St.ReceiverStats.Undelivered.Add(-1)
	if h := r.p.St.Header(v); h != nil {
		r.orphaned(h)
	}
	return v
}
