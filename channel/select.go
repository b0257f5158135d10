package channel

import (
	"context"
	"errors"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/receiver"
)

// Case is one case of a Selector: a receive (On) or a send (SendTo).
type Case interface {
	// poll tries the case without blocking: done is true when it
	// happened (err nil) or can never happen (err: the channel closed,
	// or for a send an ownership error).
	poll() (done bool, err error)
	hooks() (*endpoint.Parker, *endpoint.WaitStats)
	owner() *ownership.Owner
	// channel identifies the case's channel (its State), whether it is
	// unbuffered, and whether the case sends.
	channel() (id any, unbuffered, send bool)
	// waitEnded runs once a Select that slept returns (see
	// State.RecvDone).
	waitEnded()
}

type recvCase[T any] struct {
	rx  *receiver.Receiver[T]
	dst *T
}

// On is a Selector case that receives from rx into *dst.
func On[T any](rx *receiver.Receiver[T], dst *T) Case {
	return &recvCase[T]{rx: rx, dst: dst}
}

func (c *recvCase[T]) poll() (bool, error) {
	v, err := c.rx.TryRecv()
	switch {
	case err == nil:
		*c.dst = v
		return true, nil
	case errors.Is(err, handoff.ErrEmpty):
		return false, nil
	default:
		return true, err
	}
}

func (c *recvCase[T]) hooks() (*endpoint.Parker, *endpoint.WaitStats) {
	st := endpoint.PartsOf[endpoint.ReceiverParts[T]](c.rx).St
	return &st.RecvPark, &st.ReceiverStats.WaitStats
}
func (c *recvCase[T]) owner() *ownership.Owner { return c.rx.Owner() }

func (c *recvCase[T]) channel() (any, bool, bool) {
	st := endpoint.PartsOf[endpoint.ReceiverParts[T]](c.rx).St
	return st, st.Rendezvous, false
}

// waitEnded: on an unbuffered channel, a TrySend (or send case) that woke
// this Select's receiver waits until the receiver took its item or ended
// its wait; this is the end of the wait (the poll that chose is done).
func (c *recvCase[T]) waitEnded() {
	if st := endpoint.PartsOf[endpoint.ReceiverParts[T]](c.rx).St; st.Rendezvous {
		st.RecvDone.Add(1)
	}
}

// Selector waits on several receives and sends at once, like a Go select.
// Build it once with NewSelector and call Select in a loop: a Selector
// allocates nothing per Select. It belongs to one goroutine, which becomes
// the goroutine of every receiver and sender in it.
//
// Exactly one case happens per Select: cases are tried one at a time,
// each without blocking, and the first that succeeds is the one chosen;
// the others did nothing (a receive case took no item, a send case sent
// nothing and moved no ownership).
//
// Fairness: the cases are tried in turn, starting after the case chosen
// last, so among cases that stay ready each is chosen at least once in
// every len(cases) Selects (Go's select chooses at random; this is a
// deterministic round robin with the same bound on starvation).
//
// Waiting costs no goroutine per case and no polling loop: after one
// yield, the selector points the Parker of every endpoint in it at one
// token channel of its own, checks every case once more, and sleeps on
// that channel; whichever sender publishes first, or whichever receiver
// frees a slot of a send case's lane first, wakes it (the channel's one
// wait loop, shared with Send and Recv). While it sleeps, the endpoints'
// owners are parked (at a preemption point).
type Selector struct {
	cases []Case
	// sleeper holds the distinct endpoints' parking spots and counters,
	// and their distinct owners: an endpoint named in two cases is
	// announced on and counted once, and an owner of several endpoints
	// is parked once. Its Wake is the selector's own token channel.
	sleeper endpoint.Sleeper
	next    int // round robin: the case polled first
	// got and gotErr are the case a wait found ready (see selectReady).
	got    int
	gotErr error
}

// NewSelector returns a Selector over cases. It panics with a "channel:"
// message if there are no cases.
func NewSelector(cases ...Case) *Selector {
	if len(cases) == 0 {
		panic("channel: NewSelector needs at least one case")
	}
	type side struct{ send, recv bool }
	sides := make(map[any]side, len(cases))
	for _, c := range cases {
		id, unbuffered, send := c.channel()
		if !unbuffered {
			continue
		}
		sd := sides[id]
		if send {
			sd.send = true
		} else {
			sd.recv = true
		}
		if sd.send && sd.recv {
			panic("channel: a Selector cannot both send and receive on one unbuffered channel (the send could only meet its own receive)")
		}
		sides[id] = sd
	}
	s := &Selector{cases: cases}
	wake := make(chan struct{}, 1)
	for _, c := range cases {
		p, st := c.hooks()
		s.sleeper.Add(wake, p, st, c.owner())
	}
	return s
}

// TrySelect performs the first ready case without blocking, starting
// after the case chosen last (round robin), and returns its index: a
// receive case that finds an item, a send case that finds a free slot. A
// case whose channel is closed (drained, for a receive) is ready and
// returns ErrClosed with its index, as a closed channel is ready in a Go
// select; so is a send case whose value cannot be sent for ownership,
// with that error. If no case is ready it returns -1 and ErrEmpty: the
// default branch of a Go select.
func (s *Selector) TrySelect() (int, error) {
	if i, ok, err := s.poll(); ok {
		return i, err
	}
	return -1, handoff.ErrEmpty
}

// Select blocks until a case is ready (see TrySelect) or ctx is done, in
// which case it returns -1 and ctx.Err(). A Select that has to wait counts
// one wait, and each sleep one park, on every distinct endpoint in it
// (Stats().RecvWaits and RecvParks of a receiver, SendWaits and SendParks
// of a sender).
func (s *Selector) Select(ctx context.Context) (int, error) {
	if i, ok, err := s.poll(); ok {
		return i, err
	}
	err := s.await(ctx) // select_shared.go: takes the doors of receivers that have clones
	for _, c := range s.cases {
		c.waitEnded()
	}
	if err != nil {
		return -1, err
	}
	return s.got, s.gotErr
}

// selectReady is the selector's wait condition: some case ready.
type selectReady struct{ s *Selector }

func (c selectReady) Ready() (bool, error) {
	i, ok, err := c.s.poll()
	if ok {
		c.s.got, c.s.gotErr = i, err
	}
	return ok, nil
}

func (s *Selector) poll() (int, bool, error) {
	n := len(s.cases)
	for k := range n {
		i := s.next + k
		if i >= n {
			i -= n
		}
		if done, err := s.cases[i].poll(); done {
			s.next = i + 1
			if s.next == n {
				s.next = 0
			}
			return i, true, err
		}
	}
	return -1, false, nil
}
