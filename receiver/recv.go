package receiver

import (
	"context"
	"github.com/handoff-go/handoff"
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

// RecvContext is Recv bounded by ctx: it returns handoff.ErrClosed once the
// channel is closed and drained, or ctx.Err() if ctx is done first. An
// item that is already buffered is returned even if ctx is done.
func (r *Receiver[T]) RecvContext(ctx context.Context) (T, error) {
	r.guard.Enter("receiver")
	v, err := r.recv(ctx, true)
	r.guard.Leave()
	return v, err
}

// TryRecv receives an item if one is buffered right now (on an unbuffered
// channel: if a sender is blocked in Send). Otherwise it returns
// handoff.ErrClosed if the channel is closed (and drained) or
// handoff.ErrEmpty.
//
// TryRecv never waits, not even for the steal of an object on the fallback
// path (see package channel): an item it cannot own without waiting is
// kept in the channel, and ErrEmpty reported (it yields a few times for
// the holder to let go, and never parks). With one receiver it is
// held back, the first item of this receiver's next receive; with several
// it goes to the pool they share, where any receive may take it.
func (r *Receiver[T]) TryRecv() (T, error) {
	r.guard.Enter("receiver")
	v, err := r.recv(context.Background(), false)
	r.guard.Leave()
	return v, err
}

// RecvBatch receives up to len(dst) items into dst with one index
// publish per lane, blocking until at least one item is available. It
// returns how many it received: the oldest ones, at least one, at most
// len(dst), and possibly fewer than were buffered by the time it returns
// (items published while it copies are left for the next receive). ok is
// false (and n 0) once the channel is closed and drained. An empty dst
// returns at once. Every object it returns is owned by the receiver's
// owner: the batch ends before an object on the fallback path that it
// would have to steal after owning others, and the next receive returns
// that one first.
func (r *Receiver[T]) RecvBatch(dst []T) (n int, ok bool) {
	r.guard.Enter("receiver")
	n, err := r.recvBatch(context.Background(), dst)
	r.guard.Leave()
	return n, err == nil
}

// RecvBatchContext is RecvBatch bounded by ctx; it returns handoff.ErrClosed once
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
	if r.p.Shared != nil {
		return r.recvShared(ctx, block) // several receivers: shared.go
	}
	if r.disconnected() {
		var zero T
		return zero, handoff.ErrClosed
	}
	if block && r.p.Owner != nil {
		r.p.Owner.Preempt() // a blocking receive is a preemption point: one load
	}
	if r.holding() {
		return r.takeHeld(ctx, block)
	}
	if v, ok := r.tryPop(); ok {
		if !r.p.St.Rendezvous {
			// What take would do in the common cases, without the call:
			// a plain value needs nothing, an object the sender
			// transferred to this receiver's owner one load.
			if !r.p.HasHeader {
				return v, nil
			}
			if h := r.p.St.Header(v); h != nil && r.p.Owner.Owns(h) {
				return v, nil
			}
		}
		return r.take(ctx, v, block)
	}
	for {
		if err := r.waitItem(ctx, block); err != nil {
			if block {
				r.waitEnded()
			}
			var zero T
			return zero, err
		}
		// An item was seen; with one lane it is still there, with several
		// the lane order may look elsewhere first but finds one.
		if v, ok := r.tryPop(); ok {
			return r.take(ctx, v, block)
		}
		r.waitEnded()
	}
}

// waitEnded tells the senders of an unbuffered channel that a wait of this
// receiver ended without taking their item (see State.RecvDone): a TrySend
// that woke it stops waiting for it.
func (r *Receiver[T]) waitEnded() {
	if r.p.St.Rendezvous {
		r.p.St.RecvDone.Add(1)
	}
}

func (r *Receiver[T]) recvBatch(ctx context.Context, dst []T) (int, error) {
	if r.p.Shared != nil {
		return r.recvBatchShared(ctx, dst)
	}
	if r.disconnected() {
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
	for waited := false; ; waited = true {
		if n := r.popBatch(dst); n > 0 {
			return r.takeBatch(ctx, dst[:n], true)
		}
		if waited {
			r.waitEnded() // a wait ended and this receive took nothing: as in recv
		}
		if err := r.waitItem(ctx, true); err != nil {
			r.waitEnded()
			return 0, err
		}
	}
}

// disconnected reports whether the receiver has been closed, by this
// goroutine or any other. The first time it sees that, the receiver's
// goroutine (the consumer of every lane) clears the values still buffered,
// so that the channel keeps nothing reachable.
func (r *Receiver[T]) disconnected() bool {
	if !r.p.St.ReceiverClosing() { // set first: one load while open
		return false
	}
	r.p.St.AwaitClosed() // the closer may still be marking the lanes (see ReceiverClosing)
	if !r.discarded {
		r.discarded = true
		r.p.St.DiscardQueued()
		r.dropHeld()
	}
	return true
}

// noMoreArrivals reports whether no item can arrive any more: every
// lane is marked closed (every sender closed, or a disconnect has begun;
// see State.LanesClosed), or the receiver was closed (possibly by another
// goroutine, while this one waits). Unlike Closed, it ignores what is
// still buffered.
func (r *Receiver[T]) noMoreArrivals() bool { return r.p.St.ReceiverClosed() || r.p.St.LanesClosed() }

// closedErr is waitItem's handoff.ErrClosed; a receiver closed by another
// goroutine meanwhile also drops what is buffered (see disconnected).
func (r *Receiver[T]) closedErr() error {
	r.disconnected()
	return handoff.ErrClosed
}

// waitItem waits until some lane holds an item, or reports handoff.ErrClosed when
// the channel is closed and drained (handoff.ErrEmpty when !block).
//
// The closed state is loaded before the emptiness check: no publish lands
// after a lane's mark, so a receiver that saw every lane marked and then
// finds every lane empty has seen every item (nothing is lost; see
// endpoint.State). A receiver closed by another goroutine is woken and
// returns handoff.ErrClosed, even with items buffered: they are discarded.
func (r *Receiver[T]) waitItem(ctx context.Context, block bool) error {
	c := itemReady[T]{r}
	if done, err := c.Ready(); done {
		return err
	}
	if !block {
		return handoff.ErrEmpty
	}
	sl := r.sleeper()
	return endpoint.Await(ctx, c, &sl)
}

// sleeper is the Sleeper of one wait of this receiver, built on the
// waiter's stack (see endpoint.SleeperOf): the channel's receive Parker
// and counters, this receiver's owner and its Spinner.
func (r *Receiver[T]) sleeper() endpoint.Sleeper {
	st := r.p.St
	return endpoint.SleeperOf(&st.RecvPark, &st.ReceiverStats.WaitStats, r.p.Owner, &r.spinner)
}

// itemReady is the receiver's wait condition: an item in some lane, or
// the channel closed and drained, or disconnected (ErrClosed).
type itemReady[T any] struct{ r *Receiver[T] }

func (c itemReady[T]) Ready() (bool, error) {
	closed := c.r.noMoreArrivals() // before the emptiness check: see waitItem
	if c.r.anyItem() {
		return true, nil
	}
	if closed {
		return true, c.r.closedErr()
	}
	if st := c.r.p.St; st.Rendezvous && st.RecvPark.Waiting() {
		c.r.wakeSelectingSenders() // announced (Await's re-check, or a Selector's poll): see below
	}
	return false, nil
}

// wakeSelectingSenders wakes every lane's sender that sleeps, on a channel
// of capacity 0, where nothing is ever buffered: a sender asleep in a
// Select with a send case on this channel has no offer up (a send case
// offers only to a receiver already waiting; see SendTo), so it must
// learn that a receiver now waits. Called from the wait condition once
// the receiver has announced itself on RecvPark (Prepare; also a
// Selector's poll of this receiver with TryRecv, after its Prepare): of the
// receiver's announce followed by this load of the sender's Parker, and
// the Select's announce followed by its TrySend's load of RecvPark, at
// least one sees the other (both sequentially consistent), so either the
// Select finds the receiver waiting, or it is woken here and looks again.
// A sender blocked in Send has its offer up and is not woken: the offer
// makes this condition true before it gets here.
func (r *Receiver[T]) wakeSelectingSenders() {
	for _, l := range r.p.St.Lanes() {
		l.SendPark.Wake()
	}
}
