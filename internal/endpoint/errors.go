package endpoint

import "github.com/handoff-go/handoff"

// The errors the endpoints return, declared in package handoff.
var (
	ErrClosed = handoff.ErrClosed
	ErrFull   = handoff.ErrFull
	ErrEmpty  = handoff.ErrEmpty
)
