package sender

import "github.com/handoff-go/handoff/internal/endpoint"

// Errors returned by a Sender; the same values as channel.ErrClosed and
// channel.ErrFull, so errors.Is works with either package's name.
var (
	ErrClosed = endpoint.ErrClosed // the channel is closed (by either endpoint)
	ErrFull   = endpoint.ErrFull   // TrySend found no free slot
)
