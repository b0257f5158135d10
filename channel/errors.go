package channel

import "github.com/handoff-go/handoff/internal/endpoint"

// The errors of channel operations. The sender and receiver packages
// export the same values, so errors.Is works with either name.
var (
	// ErrClosed: sending on a closed or disconnected channel, receiving
	// from a closed and drained one, or closing twice.
	ErrClosed = endpoint.ErrClosed
	// ErrFull: TrySend found no free slot.
	ErrFull = endpoint.ErrFull
	// ErrEmpty: TryRecv found no item.
	ErrEmpty = endpoint.ErrEmpty
)
