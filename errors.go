package handoff

import "errors"

// The errors of channel operations, declared once for every package of
// the module; compare with errors.Is.
var (
	// ErrClosed reports an operation that cannot complete because the
	// channel is closed: a send after the sender closed or the receiver
	// disconnected, a receive after every sender closed and every
	// buffered item was received (or after the receiver closed), a second
	// Close, or a Clone of a closed sender.
	ErrClosed = errors.New("channel: closed")
	// ErrFull reports a non-blocking send (TrySend) that found no free
	// slot.
	ErrFull = errors.New("channel: full")
	// ErrEmpty reports a non-blocking receive (TryRecv, TrySelect) that
	// found no item it could take without waiting (an owned object whose
	// steal would have to wait stays in the channel: see package
	// channel).
	ErrEmpty = errors.New("channel: empty")
)
