package channel

import (
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
)

// Option configures Make: WithSenderOwner, WithReceiverOwner,
// RejectUnowned.
type Option struct {
	apply func(*endpoint.Config)
}

// WithSenderOwner makes o the owner of the sending endpoint: objects o
// owns are moved by Send without stealing. Without it, Make creates a
// fresh owner for the sender when the element type carries a header.
//
// A goroutine that receives objects on one channel and sends them on
// another (a forwarding stage) can give both endpoints one owner,
// WithSenderOwner(rx.Owner()), so that its sends transfer what it
// received with one CAS each; with default owners the objects still
// arrive, taken by the downstream receive (see package sender).
func WithSenderOwner(o *ownership.Owner) Option {
	return Option{func(c *endpoint.Config) { c.SenderOwner = o }}
}

// WithReceiverOwner makes o the owner of the receiving endpoint and of
// every object received. Without it, Make creates a fresh owner for the
// receiver when the element type carries a header.
func WithReceiverOwner(o *ownership.Owner) Option {
	return Option{func(c *endpoint.Config) { c.ReceiverOwner = o }}
}

// RejectUnowned makes Send refuse an object its sender's owner does not
// own, with an error wrapping ownership.ErrNotOwner, instead of sending it
// for the receiver to take. Nothing is enqueued and ownership is
// unchanged.
func RejectUnowned() Option {
	return Option{func(c *endpoint.Config) { c.RejectUnowned = true }}
}
