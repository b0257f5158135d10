package sender

import (
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
)

// Sender is the producing endpoint of a channel. Create it with
// channel.Make.
type Sender[T any] struct {
	st *endpoint.State[T]
	// owner owns this endpoint and the objects it sends; to owns the
	// receiving endpoint and is the new owner of every object sent. Both
	// are nil for element types that carry no ownership header, unless set
	// by option.
	owner, to *ownership.Owner
	guard     endpoint.Guard
}

// New wraps shared channel state in a Sender. It is called by
// channel.Make; use that instead.
func New[T any](st *endpoint.State[T], owner, to *ownership.Owner) *Sender[T] {
	return &Sender[T]{st: st, owner: owner, to: to}
}

// Owner returns the owner of this endpoint: the owner a sent object must
// belong to for the send to move it without stealing. It is nil when the
// element type carries no ownership header and no owner was given.
func (s *Sender[T]) Owner() *ownership.Owner { return s.owner }

// Len returns the number of items buffered in the channel.
func (s *Sender[T]) Len() int { return s.st.Ring.Len() }

// Cap returns the channel's capacity.
func (s *Sender[T]) Cap() int { return s.st.Ring.Cap() }

// Closed reports whether the channel is closed for sending: this sender
// closed it, or the receiver disconnected. It neither sends nor blocks.
func (s *Sender[T]) Closed() bool { return s.st.SenderClosed() || s.st.ReceiverClosed() }

// Close closes the channel for sending. The receiver still receives every
// item buffered before Close, then reports the channel closed. Closing an
// already closed sender returns ErrClosed (a Go channel would panic).
func (s *Sender[T]) Close() error {
	if !s.st.CloseSender() {
		return ErrClosed
	}
	return nil
}

// Stats returns the sender's slow-path counters.
func (s *Sender[T]) Stats() *endpoint.Stats { return &s.st.SenderStats }
