package receiver

import "github.com/handoff-go/handoff/internal/endpoint"

// Errors returned by a Receiver; the same values as channel.ErrClosed and
// channel.ErrEmpty, so errors.Is works with either package's name.
var (
	ErrClosed = endpoint.ErrClosed // closed and every buffered item received
	ErrEmpty  = endpoint.ErrEmpty  // TryRecv found no item
)
