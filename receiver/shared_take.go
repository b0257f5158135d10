package receiver

import (
	"context"

	"github.com/handoff-go/handoff/ownership"
)

// takeShared is take for one of several receivers: the pop took the
// object from the transit owner already (recallPopped), so take's fast
// path finds it this receiver's. Only an object that needs the fallback
// path (sent to the first receiver's owner before the first Clone, or sent
// as it is) reaches a steal; a blocking one is then bounded by this
// receiver's own Close too, as its waits are. unsettled is the pop's count
// of v (see recallPopped): settled here, after take has returned v or
// handed it to the pool.
func (r *Receiver[T]) takeShared(ctx context.Context, v T, block bool, unsettled int) (T, error) {
	h := r.p.St.Header(v)
	if h != nil && block && !r.p.Owner.Owns(h) {
		var cancel context.CancelFunc
		ctx, cancel = r.orQuit(ctx)
		defer cancel()
	}
	v, err := r.take(ctx, v, block)
	r.settleUnsettled(unsettled)
	if err == nil && h != nil {
		r.orphaned(h)
	}
	return v, err
}

// settleUnsettled ends the unsettled counts of a receive's pops (see
// recallPopped), once each of those items is returned or in the pool, and
// wakes the receiver asleep at the door: it may have found the channel
// drained but those items pending, and it looks again.
func (r *Receiver[T]) settleUnsettled(n int) {
	if n > 0 {
		r.p.Shared.Settle(n)
		r.p.St.RecvPark.Wake()
	}
}

// orQuit returns ctx, also cancelled when this receiver is closed. It
// costs an allocation and a goroutine, so only the fallback path uses it.
func (r *Receiver[T]) orQuit(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	quit := r.p.Flag.Quit()
	go func() {
		select {
		case <-quit:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// orphaned handles the one case where a receive returns an object its
// receiver's owner could not take: a Close from another goroutine retired
// that owner while this receive was under way (the receive linearizes
// before the close, so the item is returned, not lost). The objects of a
// closed owner are free; so is this one, rather than left with the
// transit owner.
func (r *Receiver[T]) orphaned(h *ownership.Header) {
	if !r.p.Owner.Closed() {
		return
	}
	_ = r.p.Shared.Transit.Release(h) // only if it names Transit still; else it is free or someone's already
}

// takeBatchShared is takeBatch for one of several receivers: each object
// is taken from the transit owner (one CAS), then the batch is owned in
// order; an object that needs the fallback path and cannot be owned
// without waiting (block false), or whose steal is cut short, is held back
// with those after it.
func (r *Receiver[T]) takeBatchShared(ctx context.Context, got []T, block bool, unsettled int) (int, error) {
	if unsettled > 0 && block { // some object needs the fallback path (the pop recalled the others)
		var cancel context.CancelFunc
		ctx, cancel = r.orQuit(ctx)
		defer cancel()
	}
	n, err := r.takeBatch(ctx, got, block)
	r.settleUnsettled(unsettled) // every item is returned or in the pool now
	for _, v := range got[:n] {
		if h := r.p.St.Header(v); h != nil {
			r.orphaned(h)
		}
	}
	return n, err
}
