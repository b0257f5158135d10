package channel

import (
	"errors"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/sender"
)

// sendCase is a Selector case that sends *src on tx.
type sendCase[T any] struct {
	tx  *sender.Sender[T]
	src *T
}

// SendTo is a Selector case that sends *src on tx, like `case ch <- v:` in
// a Go select. *src is read at each attempt, so a loop can set the next
// value before each Select without building the Selector again.
//
// Only the chosen case happens: a send case is attempted with TrySend,
// which enqueues the value and moves its ownership only if a slot is free
// (or, on a capacity-0 channel, a receiver is waiting), so a send case
// that is not chosen sends nothing and moves no ownership. The case is
// done, with an error, when the channel is closed (handoff.ErrClosed) or
// the send fails for ownership (see sender.Sender.SendContext). While a
// Select waits, the sender's owner is parked, as in a blocked Send.
//
// On an unbuffered channel a send case happens only with a receiver
// waiting; a receiver that comes to wait later wakes the Select, which
// then looks again. NewSelector panics if a Selector both sends and
// receives on one unbuffered channel: the send could only meet its own
// receive.
func SendTo[T any](tx *sender.Sender[T], src *T) Case {
	return &sendCase[T]{tx: tx, src: src}
}

func (c *sendCase[T]) poll() (bool, error) {
	switch err := c.tx.TrySend(*c.src); {
	case err == nil:
		return true, nil
	case errors.Is(err, handoff.ErrFull):
		return false, nil
	default:
		return true, err
	}
}

// hooks is the sender's own lane: its receiver wakes that Parker when it
// frees a slot or takes an offer, and either close wakes it.
func (c *sendCase[T]) hooks() (*endpoint.Parker, *endpoint.WaitStats) {
	l := endpoint.PartsOf[endpoint.SenderParts[T]](c.tx).Lane
	return &l.SendPark, &l.Stats.WaitStats
}

func (c *sendCase[T]) owner() *ownership.Owner { return c.tx.Owner() }

func (c *sendCase[T]) channel() (any, bool, bool) {
	st := endpoint.PartsOf[endpoint.SenderParts[T]](c.tx).St
	return st, st.Rendezvous, true
}

func (c *sendCase[T]) waitEnded() {}
