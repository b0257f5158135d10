package receiver

import (
	"context"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/internal/endpoint"
)

// The receive paths of a channel with several receivers (r.p.Shared set
// by Clone): the same steps as recv and recvBatch, with every consumer
// access to the rings (pop, batch pop, the emptiness scan, the discard)
// made under the claim, and the wait taken in turns at the door (see
// endpoint.Consumers). The item is popped under the claim and owned after
// it is released, so that a steal on the fallback path never holds the
// other receivers up.

func (r *Receiver[T]) recvShared(ctx context.Context, block bool) (T, error) {
	var zero T
	if r.gone() {
		return zero, handoff.ErrClosed
	}
	if block && r.p.Owner != nil {
		r.p.Owner.Preempt()
	}
	if r.holding() {
		return r.takeHeld(ctx, block)
	}
	c := r.p.Shared
	for {
		c.Claim()
		r.streaming = false // no slip while holding the claim
		v, ok := r.tryPop()
		c.Release()
		if ok {
			r.fromTransit(v)
			return r.take(ctx, v, block)
		}
		if err := r.waitShared(ctx, block); err != nil {
			return zero, err
		}
	}
}

func (r *Receiver[T]) recvBatchShared(ctx context.Context, dst []T) (int, error) {
	if r.gone() {
		return 0, handoff.ErrClosed
	}
	if len(dst) == 0 {
		return 0, nil
	}
	if r.p.Owner != nil {
		r.p.Owner.Preempt()
	}
	if r.holding() {
		v, err := r.takeHeld(ctx, true)
		if err != nil {
			return 0, err
		}
		dst[0] = v
		return 1, nil
	}
	c := r.p.Shared
	for {
		c.Claim()
		n := r.popBatch(dst)
		c.Release()
		if n > 0 {
			for _, v := range dst[:n] {
				r.fromTransit(v)
			}
			return r.takeBatch(ctx, dst[:n])
		}
		if err := r.waitShared(ctx, true); err != nil {
			return 0, err
		}
	}
}

// gone reports whether this receiver can receive no more: it closed, or
// the channel is disconnected (then, the first time, the values still
// buffered are cleared, under the claim).
func (r *Receiver[T]) gone() bool {
	if r.flag.Closed() {
		return true
	}
	if !r.p.St.ReceiverClosed() {
		return false
	}
	if !r.discarded {
		r.discarded = true
		r.p.Shared.Claim()
		r.p.St.DiscardQueued()
		r.p.Shared.Release()
		r.dropHeld()
	}
	return true
}

// fromTransit takes an object the sender handed to the channel's Transit
// owner: one CAS to this receiver's owner (ownership.Owner.Recall accepts
// Transit at any epoch). Anything else is left to own, as with one
// receiver: an object sent to the first receiver's owner before the first
// Clone, a nil pointer, or one that travels as it is.
func (r *Receiver[T]) fromTransit(v T) {
	if !r.p.HasHeader {
		return
	}
	if h := r.p.St.Header(v); h != nil {
		r.p.Owner.Recall(h, r.p.Shared.Transit)
	}
}

// waitShared is waitItem for several receivers: it checks, and if nothing
// is ready and it may block, waits for the door and then waits on the
// channel's RecvPark like a single receiver.
func (r *Receiver[T]) waitShared(ctx context.Context, block bool) error {
	c := sharedReady[T]{r}
	if done, err := c.Ready(); done {
		return err
	}
	if !block {
		return handoff.ErrEmpty
	}
	if err := r.p.Shared.EnterDoor(ctx, r.flag.Quit(), r.p.Owner); err != nil {
		if r.flag.Closed() || r.p.St.ReceiverClosed() {
			return handoff.ErrClosed
		}
		return err
	}
	if r.sleeper.Parkers == nil {
		st := r.p.St
		r.sleeper.Own(&st.RecvPark, &st.ReceiverStats, r.p.Owner)
		r.sleeper.Spin = true
	}
	err := endpoint.Await(ctx, c, &r.sleeper)
	r.p.Shared.LeaveDoor()
	return err
}

// sharedReady is itemReady for several receivers: an item in some lane
// (scanned under the claim), or the channel closed and drained, or this
// receiver closed, or the channel disconnected.
type sharedReady[T any] struct{ r *Receiver[T] }

func (c sharedReady[T]) Ready() (bool, error) {
	r := c.r
	if r.flag.Closed() {
		return true, handoff.ErrClosed
	}
	closed := r.noMoreArrivals() // before the emptiness check: see waitItem
	r.p.Shared.Claim()
	any := r.anyItem()
	r.p.Shared.Release()
	if any {
		return true, nil
	}
	if closed {
		r.gone()
		return true, handoff.ErrClosed
	}
	return false, nil
}
