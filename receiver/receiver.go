package receiver

import (
	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
)

// Receiver is the consuming endpoint of a channel: it receives what the
// channel's senders send. Create it with channel.Make. A Receiver is used
// by one goroutine at a time; Close may come from any goroutine.
type Receiver[T any] struct {
	p     endpoint.ReceiverParts[T] // first: filled in by channel.Make (endpoint.PartsOf)
	guard endpoint.Guard            // not last: a zero-size last field would pad the struct
	// held keeps the items popped but not returned yet: their steal did
	// not complete before the receive had to return (see take). They are
	// the next items a receive returns. nil until the first, so that a
	// receiver that never holds one back (most) does not carry it.
	held *heldItems[T]
	// next is the lane the next receive looks at first: the lane that
	// delivered last, until it delivered stayPops items in a row, then the
	// lane after it (see stayPops).
	next int
	// spinner: whether a blocked receive yields before it sleeps.
	spinner endpoint.Spinner
	// streaming: the last reload of the sender's index found several
	// items at once, so the sender is producing as fast as we consume; the
	// next reload waits a moment first (slip).
	streaming bool
	// discarded: the values buffered at a disconnect have been cleared.
	discarded bool
	// stay counts the receives in a row from lane next (see stayPops).
	stay uint8
	// 80 bytes on 64-bit platforms, a size class of its own; every field
	// counts against a small channel's cost to make.
}

func init() { endpoint.MustLeadWith[Receiver[int], endpoint.ReceiverParts[int]]() }

// Owner returns the owner of this endpoint, which owns every object
// received. It is nil when the element type carries no ownership header
// and no owner was given.
func (r *Receiver[T]) Owner() *ownership.Owner { return r.p.Owner }

// Len returns the number of items buffered in the channel (all lanes).
func (r *Receiver[T]) Len() int { return r.p.St.Len() }

// Cap returns the capacity of one lane: with a single sender, the
// channel's capacity.
func (r *Receiver[T]) Cap() int { return r.p.St.Capacity() }

// Closed reports whether every sender has closed the channel or this
// receiver has disconnected. After the senders closed, items may still be
// buffered: receives return them before reporting the channel closed.
func (r *Receiver[T]) Closed() bool {
	return r.noMoreArrivals() || r.p.Flag.Closed()
}

// Close disconnects the receiver, like dropping the last receiver of a
// crossbeam channel: every later send fails with handoff.ErrClosed, a sender
// blocked on a full lane wakes and fails, and later receives report
// handoff.ErrClosed at once. Items still buffered are discarded rather than
// delivered; Stats().Discarded counts them. (To stop a producer and still
// read everything it sent, have it close its Sender instead.) Closing
// twice returns handoff.ErrClosed.
//
// Close may be called from any goroutine: a Recv, RecvBatch or Select
// blocked on this receiver in another goroutine wakes and reports the
// channel closed. The receiving goroutine clears the discarded values at
// its next operation (until then, or until the channel is collected, they
// stay reachable).
//
// With several receivers (Clone), Close closes this receiver only: its
// receives report handoff.ErrClosed (one blocked in another goroutine
// wakes), and the channel stays connected while another receiver is open;
// the close of the last open receiver is the disconnect above. An item
// this receiver popped but could not own yet (a steal that had not
// completed, see TryRecv) is not lost with it: with several receivers
// such items are in a pool the receivers share (see package channel, Many
// receivers), and the open ones receive them.
//
// If the receiver's owner was created by Make or Clone (not passed with
// WithReceiverOwner or CloneOwned), Close retires it
// (ownership.Owner.Retire): at once if the receiving goroutine is
// blocked, otherwise at its next preemption point. The objects it
// received then become free, to be adopted by whoever keeps using them;
// the receiving goroutine can free them at once by calling
// Owner().Close() itself after Close.
func (r *Receiver[T]) Close() error {
	if !r.p.St.CloseOneReceiver(&r.p.Flag) { // the last open receiver disconnects
		return handoff.ErrClosed
	}
	if r.p.FreshOwner {
		r.p.Owner.Retire()
	}
	return nil
}

// Stats returns a reading of the channel's counters.
func (r *Receiver[T]) Stats() handoff.Stats { return r.p.St.Snapshot() }
