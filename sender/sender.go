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
	// freshOwner: owner was created for this endpoint (by Make or Clone)
	// and is closed by Close.
	freshOwner bool
	guard      endpoint.Guard
}

// New wraps shared channel state in a Sender. It is called by
// channel.Make; use that instead.
func New[T any](st *endpoint.State[T], lane *endpoint.Lane[T], owner *ownership.Owner, freshOwner bool, to *ownership.Owner) *Sender[T] {
	return &Sender[T]{st: st, lane: lane, owner: owner, freshOwner: freshOwner, to: to}
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
	if !s.st.Transfer {
		return s.clone(nil, false)
	}
	o := ownership.NewOwner()
	c, err := s.clone(o, true)
	if err != nil {
		o.Close()
	}
	return c, err
}

// CloneOwned is Clone with the clone's owner chosen by the caller (nil: no
// owner, allowed only for element types without an ownership header).
func (s *Sender[T]) CloneOwned(o *ownership.Owner) (*Sender[T], error) {
	if o == nil && s.st.Transfer {
		panic("sender: CloneOwned(nil) on a channel of owned objects; pass an owner or use Clone")
	}
	return s.clone(o, false)
}

func (s *Sender[T]) clone(o *ownership.Owner, fresh bool) (*Sender[T], error) {
	lane, err := s.st.AddLane(s.lane)
	if err != nil {
		return nil, err
	}
	return New(s.st, lane, o, fresh, s.to), nil
}

// Owner returns the owner of this endpoint: the owner a sent object must
// belong to for the send to move it without stealing. It is nil when the
// element type carries no ownership header and no owner was given.
func (s *Sender[T]) Owner() *ownership.Owner { return s.owner }

// Len returns the number of items buffered in this sender's lane (0 once
// the receiver has disconnected: what is left is discarded).
func (s *Sender[T]) Len() int {
	if s.st.ReceiverClosed() {
		return 0
	}
	return s.lane.Ring.Len()
}

// Cap returns the capacity of this sender's lane.
func (s *Sender[T]) Cap() int { return s.lane.Ring.Cap() }

// Closed reports whether this sender can no longer send: it closed, or the
// receiver disconnected. It neither sends nor blocks.
func (s *Sender[T]) Closed() bool { return s.lane.Ring.Closed() }

// Close closes this sender. The receiver still receives every item it
// sent before Close; once every sender of the channel has closed and the
// buffered items are drained, receives report the channel closed. Closing
// an already closed sender returns ErrClosed (a Go channel would panic).
//
// Close may be called from any goroutine, also while another goroutine is
// sending: each send either completes before the close, and its item is
// received, or fails with ErrClosed having enqueued nothing and moved no
// ownership. A Send blocked on a full lane wakes and fails.
//
// If the sender's owner was created by Make or Clone (not passed with an
// option), Close retires it (ownership.Owner.Retire): at once if the
// sending goroutine is blocked, otherwise at that goroutine's next
// preemption point, such as its next operation on this sender, which then
// fails with ErrClosed. Objects the owner still holds then become free,
// to be adopted by whoever keeps using them. The sending goroutine can
// free them at once by calling Owner().Close() itself after Close.
func (s *Sender[T]) Close() error {
	if !s.st.CloseLane(s.lane) {
		return ErrClosed
	}
	if s.freshOwner {
		s.owner.Retire()
	}
	return nil
}

// Stats returns a snapshot of the whole channel's counters.
func (s *Sender[T]) Stats() endpoint.Snapshot { return s.st.Snapshot() }
