package receiver

import (
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
)

// Receiver is the consuming endpoint of a channel. Create it with
// channel.Make.
type Receiver[T any] struct {
	st *endpoint.State[T]
	// owner owns this endpoint and every object received through it.
	owner *ownership.Owner
	guard endpoint.Guard
}

// New wraps shared channel state in a Receiver. It is called by
// channel.Make; use that instead.
func New[T any](st *endpoint.State[T], owner *ownership.Owner) *Receiver[T] {
	return &Receiver[T]{st: st, owner: owner}
}

// Owner returns the owner of this endpoint, which owns every object
// received. It is nil when the element type carries no ownership header
// and no owner was given.
func (r *Receiver[T]) Owner() *ownership.Owner { return r.owner }

// Len returns the number of items buffered in the channel.
func (r *Receiver[T]) Len() int { return r.st.Ring.Len() }

// Cap returns the channel's capacity.
func (r *Receiver[T]) Cap() int { return r.st.Ring.Cap() }

// Closed reports whether the sender has closed the channel or this
// receiver has disconnected. Items may still be buffered: receives return
// them before reporting the channel closed.
func (r *Receiver[T]) Closed() bool { return r.st.SenderClosed() || r.st.ReceiverClosed() }

// Close disconnects the receiver: every later send fails with ErrClosed,
// and a sender blocked on a full channel wakes and fails. Items already
// buffered are not thrown away: this receiver may still receive them, and
// receives report the channel closed once they are drained. Closing twice
// returns ErrClosed.
func (r *Receiver[T]) Close() error {
	if !r.st.CloseReceiver() {
		return ErrClosed
	}
	return nil
}

// Stats returns the receiver's slow-path counters.
func (r *Receiver[T]) Stats() *endpoint.Stats { return &r.st.ReceiverStats }
