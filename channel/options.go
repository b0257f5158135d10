package channel

import (
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
)

// Option configures Make.
type Option func(*endpoint.Config)

// WithSenderOwner makes o the owner of the sending endpoint: objects o
// owns are moved by Send without stealing. Without it, Make creates a
// fresh owner for the sender when the element type carries a header.
func WithSenderOwner(o *ownership.Owner) Option {
	return func(c *endpoint.Config) { c.SenderOwner = o }
}

// WithReceiverOwner makes o the owner of the receiving endpoint and of
// every object received. Without it, Make creates a fresh owner for the
// receiver when the element type carries a header.
func WithReceiverOwner(o *ownership.Owner) Option {
	return func(c *endpoint.Config) { c.ReceiverOwner = o }
}

// RejectUnowned makes Send refuse an object its sender's owner does not
// own, with an error wrapping ownership.ErrNotOwner, instead of taking the
// fallback steal path. Nothing is enqueued and ownership is unchanged.
func RejectUnowned() Option {
	return func(c *endpoint.Config) { c.RejectUnowned = true }
}
