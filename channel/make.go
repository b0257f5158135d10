package channel

import (
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/receiver"
	"github.com/handoff-go/handoff/sender"
)

// Make returns the two endpoints of a new channel that buffers up to
// capacity items of type T. It panics with a "channel:" message if
// capacity < 1, as make does for a negative size.
func Make[T any](capacity int, opts ...Option) (*Sender[T], *Receiver[T]) {
	cfg := endpoint.Config{Capacity: capacity}
	for _, opt := range opts {
		opt(&cfg)
	}
	st, lane, owners := endpoint.New[T](cfg)
	return sender.New(st, lane, owners.Sender, owners.SenderFresh, owners.Receiver),
		receiver.New(st, owners.Receiver, owners.ReceiverFresh)
}
