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
// Waiting costs no goroutine per case and no polling loop: after a short
// bounded spin, the selector points every receiver's Parker at one token
// channel of its own (Parker.Prepare), checks every case once more, and
// sleeps on that channel; whichever sender publishes first wakes it. While
// it sleeps, the receivers' owners are parked (at a preemption point).
type Selector struct {
	cases []Case
	wake  chan struct{}
	// The distinct receivers' parking spots and counters, and their
	// distinct owners: a receiver named in two cases is announced on (and
	// counted) once, so that no Prepare rewrites a Parker that a waker
	// may be reading.
	parkers []*endpoint.Parker
	stats   []*endpoint.Stats
	owners  []*ownership.Owner
	next    int // round robin: the case polled first
}

// NewSelector returns a Selector over cases. It panics with a "channel:"
// message if there are no cases.
func NewSelector(cases ...Case) *Selector {
	if len(cases) == 0 {
		panic("channel: NewSelector needs at least one case")
	}
	s := &Selector{cases: cases, wake: make(chan struct{}, 1)}
	for _, c := range cases {
		if p, st := c.hooks(); !slices.Contains(s.parkers, p) {
			s.parkers = append(s.parkers, p)
			s.stats = append(s.stats, st)
		}
		if o := c.owner(); o != nil && !slices.Contains(s.owners, o) {
			s.owners = append(s.owners, o)
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
	for _, st := range s.stats {
		st.Waits.Add(1)
	}
	var spin endpoint.Spinner
	for {
		if i, ok, err := s.poll(); ok {
			return i, err
		}
		if spin.Spin() {
			continue
		}
		// Announce on every receiver, re-check, sleep: see endpoint.Parker.
		for _, p := range s.parkers {
			p.Prepare(s.wake)
		}
		if i, ok, err := s.poll(); ok {
			s.cancel()
			return i, err
		}
		for _, st := range s.stats {
			st.Parks.Add(1)
		}
		err := s.sleep(ctx)
		s.cancel()
		if err != nil {
			return -1, err
		}
		spin.Reset()
	}
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

func (s *Selector) sleep(ctx context.Context) error {
	for _, o := range s.owners {
		o.Park()
	}
	defer func() {
		for _, o := range s.owners {
			o.Unpark()
		}
	}()
	select {
	case <-s.wake:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// cancel withdraws the selector from every receiver's Parker. Afterwards
// no sender will send to s.wake (see Parker.Cancel), so a token left in it
// can be drained for good.
func (s *Selector) cancel() {
	for _, p := range s.parkers {
		p.Cancel()
	}
	select {
	case <-s.wake:
	default:
	}
}
