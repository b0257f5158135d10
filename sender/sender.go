package sender

import (
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
)

// Sender is a producing endpoint of a channel. Create it with
// channel.Make, and more of them with Clone.
type Sender[T any] struct {
	st   *endpoint.State[T]
	lane *endpoint.Lane[T] // this sender's own ring: it is its only producer
	// owner owns this endpoint and the objects it sends; to owns the
	// receiving endpoint and is the new owner of every object sent. Both
	// are nil for element types that carry no ownership header, unless set
	// by option.
	owner, to *ownership.Owner
	guard     endpoint.Guard
}

// New wraps shared channel state in a Sender. It is called by
// channel.Make; use that instead.
func New[T any](st *endpoint.State[T], lane *endpoint.Lane[T], owner, to *ownership.Owner) *Sender[T] {
	return &Sender[T]{st: st, lane: lane, owner: owner, to: to}
}

// Clone returns another sender on the same channel with a lane (a ring)
// of its own, so that several producers never contend on one index. The
// clone is used by another goroutine; for element types with an ownership
// header it gets a fresh owner (see CloneOwned to choose it). The channel
// is closed for the receiver once every sender has closed. Clone fails
// with ErrClosed if this sender or the receiver is closed.
//
// Capacity is per lane: each sender can have Cap() items in flight.
func (s *Sender[T]) Clone() (*Sender[T], error) {
	var o *ownership.Owner
	if s.st.Transfer {
		o = ownership.NewOwner()
	}
	return s.CloneOwned(o)
}

// CloneOwned is Clone with the clone's owner chosen by the caller (nil: no
// owner, allowed only for element types without an ownership header).
func (s *Sender[T]) CloneOwned(o *ownership.Owner) (*Sender[T], error) {
	if o == nil && s.st.Transfer {
		panic("sender: CloneOwned(nil) on a channel of owned objects; pass an owner or use Clone")
	}
	lane, err := s.st.AddLane(s.lane)
	if err != nil {
		return nil, err
	}
	return New(s.st, lane, o, s.to), nil
}

// Owner returns the owner of this endpoint: the owner a sent object must
// belong to for the send to move it without stealing. It is nil when the
// element type carries no ownership header and no owner was given.
func (s *Sender[T]) Owner() *ownership.Owner { return s.owner }

// Len returns the number of items buffered in this sender's lane.
func (s *Sender[T]) Len() int { return s.lane.Ring.Len() }

// Cap returns the capacity of this sender's lane.
func (s *Sender[T]) Cap() int { return s.lane.Ring.Cap() }

// Closed reports whether this sender can no longer send: it closed, or the
// receiver disconnected. It neither sends nor blocks.
func (s *Sender[T]) Closed() bool { return s.lane.LaneClosed() || s.st.ReceiverClosed() }

// Close closes this sender. The receiver still receives every item it
// sent before Close; once every sender of the channel has closed and the
// buffered items are drained, receives report the channel closed. Closing
// an already closed sender returns ErrClosed (a Go channel would panic).
func (s *Sender[T]) Close() error {
	if !s.st.CloseLane(s.lane) {
		return ErrClosed
	}
	return nil
}

// Stats returns a snapshot of the whole channel's counters.
func (s *Sender[T]) Stats() endpoint.Snapshot { return s.st.Snapshot() }
