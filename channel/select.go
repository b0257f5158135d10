package channel

import (
	"context"
	"errors"
	"slices"

	"github.com/handoff-go/handoff"
	"github.com/handoff-go/handoff/internal/endpoint"
	"github.com/handoff-go/handoff/ownership"
	"github.com/handoff-go/handoff/receiver"
)

// Case is one receive of a Selector; make it with On.
type Case interface {
	// poll tries the receive without blocking: done is true when it
	// delivered an item (err nil) or found the channel closed and drained
	// (err ErrClosed).
	poll() (done bool, err error)
	hooks() (*endpoint.Parker, *endpoint.Stats)
	owner() *ownership.Owner
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

func (c *recvCase[T]) hooks() (*endpoint.Parker, *endpoint.Stats) {
	st := endpoint.PartsOf[endpoint.ReceiverParts[T]](c.rx).St
	return &st.RecvPark, &st.ReceiverStats
}
func (c *recvCase[T]) owner() *ownership.Owner { return c.rx.Owner() }

// Selector waits on several receivers at once, like a Go select with only
// receive cases. Build it once with NewSelector and call Select in a loop:
// a Selector allocates nothing per Select. It belongs to one goroutine,
// which becomes the goroutine of every receiver in it.
//
// Waiting costs no goroutine per case and no polling loop: after one
// yield, the selector points every receiver's Parker at one token channel
// of its own, checks every case once more, and sleeps on that channel;
// whichever sender publishes first wakes it (the channel's one wait loop,
// shared with Send and Recv). While it sleeps, the receivers' owners are
// parked (at a preemption point).
type Selector struct {
	cases []Case
	// sleeper holds the distinct receivers' parking spots and counters,
	// and their distinct owners: a receiver named in two cases is
	// announced on and counted once, and an owner of several receivers
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
	s := &Selector{cases: cases}
	s.sleeper.Wake = make(chan struct{}, 1)
	s.sleeper.Spin = true
	for _, c := range cases {
		if p, st := c.hooks(); !slices.Contains(s.sleeper.Parkers, p) {
			s.sleeper.Parkers = append(s.sleeper.Parkers, p)
			s.sleeper.Stats = append(s.sleeper.Stats, st)
		}
		if o := c.owner(); o != nil && !slices.Contains(s.sleeper.Owners, o) {
			s.sleeper.Owners = append(s.sleeper.Owners, o)
		}
	}
	return s
}

// TrySelect receives from the first ready case without blocking, starting
// after the case that delivered last (round robin), and returns its index.
// A case whose channel is closed and drained is ready and returns
// ErrClosed with its index, as a closed channel is ready in a Go select.
// If no case is ready it returns -1 and ErrEmpty.
func (s *Selector) TrySelect() (int, error) {
	if i, ok, err := s.poll(); ok {
		return i, err
	}
	return -1, handoff.ErrEmpty
}

// Select blocks until a case is ready (see TrySelect) or ctx is done, in
// which case it returns -1 and ctx.Err(). A Select that has to wait counts
// one wait, and each sleep one park, on every distinct receiver in it
// (their Stats().RecvWaits and RecvParks).
func (s *Selector) Select(ctx context.Context) (int, error) {
	if i, ok, err := s.poll(); ok {
		return i, err
	}
	s.mustNotWaitShared()
	if err := endpoint.Await(ctx, selectReady{s}, &s.sleeper); err != nil {
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
