package channel

import (
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/receiver"
	"github.com/handoff-go/handoff/sender"
)

// Make returns the two endpoints of a new channel that buffers up to
// capacity items of type T, like make(chan T, capacity). It panics with a
// "channel:" message if capacity < 1, as make does for a negative size.
func Make[T any](capacity int, opts ...Option) (*Sender[T], *Receiver[T]) {
	cfg := endpoint.Config{Capacity: capacity}
	for _, opt := range opts {
		opt.apply(&cfg)
	}
	st, lane, owners := endpoint.New[T](cfg)
	tx, rx := new(sender.Sender[T]), new(receiver.Receiver[T])
	*endpoint.PartsOf[endpoint.SenderParts[T]](tx) = endpoint.SenderParts[T]{
		St: st, Lane: lane, Owner: owners.Sender, FreshOwner: owners.SenderFresh, To: owners.Receiver,
	}
	*endpoint.PartsOf[endpoint.ReceiverParts[T]](rx) = endpoint.ReceiverParts[T]{
		St: st, Owner: owners.Receiver, FreshOwner: owners.ReceiverFresh, HasHeader: st.HasHeader,
	}
	return tx, rx
}
