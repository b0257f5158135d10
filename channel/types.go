package channel

import (
	"github.com/handoff-go/handoff/receiver"
	"github.com/handoff-go/handoff/sender"
)

// Sender is the producing endpoint Make returns: sender.Sender, named here
// so that code using the channel can name it without importing package
// sender. Its methods (Send, TrySend, SendContext, SendBatch, Clone,
// Close, ...) are documented there.
type Sender[T any] = sender.Sender[T]

// Receiver is the consuming endpoint Make returns: receiver.Receiver,
// named here so that code using the channel can name it without importing
// package receiver. Its methods (Recv, TryRecv, RecvContext, RecvBatch,
// All, Close, ...) are documented there.
type Receiver[T any] = receiver.Receiver[T]
