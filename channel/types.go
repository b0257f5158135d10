package channel

import (
	"github.com/handoff-go/handoff/receiver"
	"github.com/handoff-go/handoff/sender"
)

// Sender is the producing endpoint returned by Make, so that code using
// the channel can name it without importing package sender.
type Sender[T any] = sender.Sender[T]

// Receiver is the consuming endpoint returned by Make, so that code using
// the channel can name it without importing package receiver.
type Receiver[T any] = receiver.Receiver[T]
