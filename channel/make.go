package channel

import (
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/receiver"
	"github.com/handoff-go/handoff/sender"
)

// Make returns the two endpoints of a new channel that buffers up to
// capacity items of type T, like make(chan T, capacity). With capacity 0
// the channel is unbuffered, a rendezvous: Send returns only once a
// receiver has taken the item (and, for an object the sender's owner
// owned, the receiver's owner owns it; one on the fallback path may still
// be on its way from its holder), TrySend succeeds only if a receiver is
// waiting, and
// TryRecv only if a sender is waiting; both sides sleep while they wait.
// Make panics with a "channel:" message if capacity is negative, as make
// does.
func Make[T any](capacity int, opts ...Option) (*Sender[T], *Receiver[T]) {
	cfg := endpoint.Config{Capacity: capacity}
	if len(opts) > 0 {
		cfg = configure(capacity, opts)
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

// configure applies opts to a Config. It is apart from Make because the
// options' funcs take the Config's address, which moves it to the heap:
// here, only when there are options (a Make with none allocates one
// object fewer).
//
//go:noinline
func configure(capacity int, opts []Option) endpoint.Config {
	cfg := endpoint.Config{Capacity: capacity}
	for _, opt := range opts {
		opt.apply(&cfg)
	}
	return cfg
}
