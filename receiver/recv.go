package receiver

import (
	"context"
	"iter"

	"github.com/handoff-go/handoff/internal/endpoint"
)

// Recv receives the next item, blocking while the channel is empty. ok is
// false once the channel is closed and every buffered item has been
// received, exactly like `v, ok := <-ch`. Recv is a preemption point of
// the receiver's owner, and while it sleeps the owner is parked, so a
// thief never waits for a goroutine blocked in Recv.
func (r *Receiver[T]) Recv() (v T, ok bool) {
	r.guard.Enter("receiver")
	v, err := r.recv(context.Background(), true)
	r.guard.Leave()
	return v, err == nil
}

// RecvContext is Recv bounded by ctx: it returns ErrClosed once the
// channel is closed and drained, or ctx.Err() if ctx is done first. An
// item that is already buffered is returned even if ctx is done.
func (r *Receiver[T]) RecvContext(ctx context.Context) (T, error) {
	r.guard.Enter("receiver")
	v, err := r.recv(ctx, true)
	r.guard.Leave()
	return v, err
}

// TryRecv receives an item if one is buffered right now. Otherwise it
// returns ErrClosed if the channel is closed (and drained) or ErrEmpty.
func (r *Receiver[T]) TryRecv() (T, error) {
	r.guard.Enter("receiver")
	v, err := r.recv(context.Background(), false)
	r.guard.Leave()
	return v, err
}

// RecvBatch receives up to len(dst) items into dst with one index
// publish, blocking until at least one item is available. It returns how
// many it received; ok is false (and n 0) once the channel is closed and
// drained. An empty dst returns at once.
func (r *Receiver[T]) RecvBatch(dst []T) (n int, ok bool) {
	r.guard.Enter("receiver")
	n, err := r.recvBatch(context.Background(), dst)
	r.guard.Leave()
	return n, err == nil
}

// RecvBatchContext is RecvBatch bounded by ctx; it returns ErrClosed once
// the channel is closed and drained, or ctx.Err().
func (r *Receiver[T]) RecvBatchContext(ctx context.Context, dst []T) (int, error) {
	r.guard.Enter("receiver")
	n, err := r.recvBatch(ctx, dst)
	r.guard.Leave()
	return n, err
}

// All returns an iterator over the items received until the channel is
// closed and drained: `for v := range rx.All() { ... }`. Breaking out of
// the loop leaves the remaining items in the channel.
func (r *Receiver[T]) All() iter.Seq[T] {
	return func(yield func(T) bool) {
		for {
			v, ok := r.Recv()
			if !ok || !yield(v) {
				return
			}
		}
	}
}

func (r *Receiver[T]) recv(ctx context.Context, block bool) (T, error) {
	st := r.st
	if block && r.owner != nil {
		r.owner.Preempt()
	}
	if v, ok := st.Ring.TryPop(); ok {
		st.SendPark.Wake()
		return v, nil
	}
	if err := r.waitItem(ctx, block); err != nil {
		var zero T
		return zero, err
	}
	v, _ := st.Ring.TryPop() // single consumer: the item found above is still there
	st.SendPark.Wake()
	return v, nil
}

func (r *Receiver[T]) recvBatch(ctx context.Context, dst []T) (int, error) {
	if len(dst) == 0 {
		return 0, nil
	}
	st := r.st
	if r.owner != nil {
		r.owner.Preempt()
	}
	if st.Ring.Empty() {
		if err := r.waitItem(ctx, true); err != nil {
			return 0, err
		}
	}
	n := st.Ring.PopBatch(dst)
	st.SendPark.Wake()
	return n, nil
}

// waitItem waits until the ring holds an item, or reports ErrClosed when
// the channel is closed and drained (ErrEmpty when !block).
//
// The closed flag is loaded before the emptiness check: the sender stores
// it after its last publish, so a receiver that saw it set and then finds
// the ring empty has seen every item ever sent (nothing is lost).
func (r *Receiver[T]) waitItem(ctx context.Context, block bool) error {
	st := r.st
	closed := st.SenderClosed() || st.ReceiverClosed()
	if !st.Ring.Empty() {
		return nil
	}
	if closed {
		return ErrClosed
	}
	if !block {
		return ErrEmpty
	}
	st.ReceiverStats.Waits.Add(1)
	var spin endpoint.Spinner
	for {
		closed := st.SenderClosed() || st.ReceiverClosed()
		if !st.Ring.Empty() {
			return nil
		}
		if closed {
			return ErrClosed
		}
		if spin.Spin() {
			continue
		}
		// Announce, re-check, sleep: see endpoint.Parker.
		st.RecvPark.Prepare()
		closed = st.SenderClosed() || st.ReceiverClosed()
		if closed || !st.Ring.Empty() {
			st.RecvPark.Cancel()
			continue
		}
		st.ReceiverStats.Parks.Add(1)
		if err := st.RecvPark.Sleep(ctx, r.owner); err != nil {
			return err
		}
		spin.Reset()
	}
}
