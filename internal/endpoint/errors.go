package endpoint

import "errors"

// The errors the endpoints return. They are re-exported by the sender,
// receiver and channel packages under the same names, so errors.Is works
// with whichever package the caller imported.
var (
	// ErrClosed: the operation cannot complete because the channel is
	// closed: sending after either endpoint closed, or receiving after the
	// sender closed and every buffered item was received.
	ErrClosed = errors.New("channel: closed")
	// ErrFull: a non-blocking send found no free slot.
	ErrFull = errors.New("channel: full")
	// ErrEmpty: a non-blocking receive found no item.
	ErrEmpty = errors.New("channel: empty")
)
