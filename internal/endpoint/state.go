package endpoint

import (
	"reflect"
	"sync/atomic"

	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/ringbuffer"
)

// Config is what channel.Make decided, handed to New.
type Config struct {
	Capacity int
	// SenderOwner and ReceiverOwner own the two endpoints. For element
	// types that carry an ownership header a nil owner is replaced by a
	// fresh one; for other types nil means "no owner" and costs nothing.
	SenderOwner, ReceiverOwner *ownership.Owner
	// RejectUnowned makes a send of an object the sender's owner does not
	// own fail with ownership.ErrNotOwner instead of stealing it first.
	RejectUnowned bool
}

// State is shared by one Sender and one Receiver.
type State[T any] struct {
	Ring *ringbuffer.Ring[T]

	// RecvPark is where the receiver sleeps on an empty ring; the sender
	// wakes it after each publish and on close. SendPark is where the sender
	// sleeps on a full ring; the receiver wakes it after each pop and on
	// close.
	RecvPark Parker
	SendPark Parker

	senderClosed   atomic.Bool
	receiverClosed atomic.Bool

	// Transfer is true when T carries an ownership header, decided once by
	// New: only then does a send rewrite ownership.
	Transfer      bool
	RejectUnowned bool
	// nilValue is T's zero value boxed once, to recognise a nil pointer
	// (which carries no header) without reflection on the hot path.
	nilValue any

	SenderStats   Stats
	ReceiverStats Stats
}

// New returns the shared state of a channel. It panics with a "channel:"
// message if cfg.Capacity < 1.
func New[T any](cfg Config) (*State[T], *ownership.Owner, *ownership.Owner) {
	if cfg.Capacity < 1 {
		panic("channel: capacity must be at least 1 (an unbuffered handoff is not supported; use capacity 1)")
	}
	s := &State[T]{
		Ring:          ringbuffer.New[T](cfg.Capacity),
		Transfer:      CarriesHeader[T](),
		RejectUnowned: cfg.RejectUnowned,
	}
	s.RecvPark.init()
	s.SendPark.init()
	var zero T
	s.nilValue = any(zero)
	tx, rx := cfg.SenderOwner, cfg.ReceiverOwner
	if s.Transfer {
		if tx == nil {
			tx = ownership.NewOwner()
		}
		if rx == nil {
			rx = ownership.NewOwner()
		}
	}
	return s, tx, rx
}

// CarriesHeader reports whether values of T carry an ownership header: T is
// a pointer type that implements ownership.Object. Value types are never
// treated as owned, because copying a header would copy its ownership.
func CarriesHeader[T any]() bool {
	t := reflect.TypeFor[T]()
	return t.Kind() == reflect.Pointer && t.Implements(reflect.TypeFor[ownership.Object]())
}

// Header returns v's ownership header, or nil if v is a nil pointer. Only
// valid when s.Transfer is true.
func (s *State[T]) Header(v T) *ownership.Header {
	a := any(v) // T is a pointer type here: boxing it does not allocate
	if a == s.nilValue {
		return nil
	}
	return a.(ownership.Object).OwnershipHeader()
}

// CloseSender marks the sending side closed and wakes a waiting receiver.
// It reports whether this call closed it.
func (s *State[T]) CloseSender() bool {
	if s.senderClosed.Swap(true) { // release: every publish before it is visible to whoever loads true
		return false
	}
	s.RecvPark.Wake()
	return true
}

// CloseReceiver marks the receiving side closed (disconnected) and wakes a
// waiting sender. It reports whether this call closed it.
func (s *State[T]) CloseReceiver() bool {
	if s.receiverClosed.Swap(true) {
		return false
	}
	s.SendPark.Wake()
	return true
}

// SenderClosed reports whether the sender has closed the channel.
func (s *State[T]) SenderClosed() bool { return s.senderClosed.Load() }

// ReceiverClosed reports whether the receiver has disconnected.
func (s *State[T]) ReceiverClosed() bool { return s.receiverClosed.Load() }

// Header is ownership.Header, named here so the endpoint packages need no
// second import for it.
type Header = ownership.Header
