package sender

import (
	"errors"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
)

// Sender is a producing endpoint of a channel: it sends items to the
// channel's receiver. Create it with channel.Make, and more of them with
// Clone. A Sender is used by one goroutine at a time; Close may come from
// any goroutine.
type Sender[T any] struct {
	p       endpoint.SenderParts[T] // first: filled in by channel.Make (endpoint.PartsOf)
	guard   endpoint.Guard          // not last: a zero-size last field would pad the struct
	spinner endpoint.Spinner        // whether a blocked send yields before it sleeps
	crowded bool                    // the last reload found the lane crowded (see crowded.go)
	// 48 bytes on 64-bit platforms, a size class of its own (56 took 64).
}

func init() { endpoint.MustLeadWith[Sender[int], endpoint.SenderParts[int]]() }

// Clone returns another sender on the same channel with a lane (a ring)
// of its own, so that several producers never contend on one index. The
// clone is used by another goroutine; for element types with an ownership
// header it gets a fresh owner (see CloneOwned to choose it). The channel
// is closed for the receiver once every sender has closed. Clone fails
// with handoff.ErrClosed if this sender or the receiver is closed.
//
// Capacity is per lane: each sender can have Cap() items in flight.
func (s *Sender[T]) Clone() (*Sender[T], error) {
	if !s.p.St.HasHeader {
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
	if o == nil && s.p.St.HasHeader {
		panic("sender: CloneOwned(nil) on a channel of owned objects; pass an owner or use Clone")
	}
	return s.clone(o, false)
}

func (s *Sender[T]) clone(o *ownership.Owner, fresh bool) (*Sender[T], error) {
	lane, err := s.p.St.AddLane(s.p.Lane)
	if err != nil {
		return nil, err
	}
	return &Sender[T]{p: endpoint.SenderParts[T]{St: s.p.St, Lane: lane, Owner: o, FreshOwner: fresh, To: s.p.To}}, nil
}

// Owner returns the owner of this endpoint: the owner a sent object must
// belong to for the send to move it without stealing. It is nil when the
// element type carries no ownership header and no owner was given.
func (s *Sender[T]) Owner() *ownership.Owner { return s.p.Owner }

// Len returns the number of items buffered in this sender's lane (0 once
// the receiver has disconnected: what is left is discarded).
func (s *Sender[T]) Len() int {
	if s.p.St.ReceiverClosed() {
		return 0
	}
	return s.p.Lane.Ring.Len()
}

// Cap returns the capacity of this sender's lane (0 for an unbuffered
// channel).
func (s *Sender[T]) Cap() int { return s.p.St.Capacity() }

// Closed reports whether this sender can no longer send: it closed, or the
// receiver disconnected. It neither sends nor blocks.
func (s *Sender[T]) Closed() bool {
	if !s.p.Lane.Ring.Closed() {
		return false
	}
	s.awaitDisconnect()
	return true
}

// settleClosed returns err, first waiting, when err is handoff.ErrClosed
// and the receiving side is disconnecting, for the disconnect to have
// marked every lane (endpoint.State.AwaitClosed: a few steps of the
// closer's, under the channel's lock). The disconnect linearizes at the
// marks, one lane after another: a send that failed at its own lane's
// mark and returned before the closer reached the other lanes would let a
// send on another lane succeed after it (the two-sender, two-receiver
// linearizability test caught that order: a send failing with ErrClosed,
// then one on the other lane accepted). A receive waits the same way
// (receiver's disconnected).
func (s *Sender[T]) settleClosed(err error) error {
	if err != nil { // inlined: a send that succeeds pays one compare
		s.settleError(err)
	}
	return err
}

func (s *Sender[T]) settleError(err error) {
	if errors.Is(err, handoff.ErrClosed) {
		s.awaitDisconnect()
	}
}

// awaitDisconnect waits for a disconnect that has begun to finish, as a
// receive does (receiver's disconnected).
func (s *Sender[T]) awaitDisconnect() {
	if st := s.p.St; st.ReceiverClosing() {
		st.AwaitClosed()
	}
}

// Close closes this sender. The receiver still receives every item it
// sent before Close; once every sender of the channel has closed and the
// buffered items are drained, receives report the channel closed. Closing
// an already closed sender returns handoff.ErrClosed (a Go channel would panic).
//
// Close may be called from any goroutine, also while another goroutine is
// sending: each send either completes before the close, and its item is
// received, or fails with handoff.ErrClosed having enqueued nothing and moved no
// ownership. A Send blocked on a full lane wakes and fails.
//
// If the sender's owner was created by Make or Clone (not passed with an
// option), Close retires it (ownership.Owner.Retire): at once if the
// sending goroutine is blocked, otherwise at that goroutine's next
// preemption point, such as its next operation on this sender, which then
// fails with handoff.ErrClosed. Objects the owner still holds then become free,
// to be adopted by whoever keeps using them. The sending goroutine can
// free them at once by calling Owner().Close() itself after Close.
func (s *Sender[T]) Close() error {
	if !s.p.St.CloseLane(s.p.Lane) {
		return handoff.ErrClosed
	}
	if s.p.FreshOwner {
		s.p.Owner.Retire()
	}
	return nil
}

// Stats returns a reading of the whole channel's counters.
func (s *Sender[T]) Stats() handoff.Stats { return s.p.St.Snapshot() }
