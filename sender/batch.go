package sender

import (
	"context"

	"github.com/handoff-go/handoff"
)

// SendBatch sends every item of items, in order, blocking while the
// channel is full. Items are published in runs that fill the free slots,
// each run with a single index publish, so a batch costs far less per
// item than Send. It returns how many items were sent: all of them and a
// nil error, or the first n and the error that stopped item n (handoff.ErrClosed,
// or the ownership error of item n; see SendContext). Item n and those
// after it are neither enqueued nor moved to another owner.
func (s *Sender[T]) SendBatch(items []T) (int, error) {
	s.guard.Enter("sender")
	n, err := s.sendBatch(context.Background(), items)
	err = s.settleClosed(err)
	s.guard.Leave()
	return n, err
}

// SendBatchContext is SendBatch bounded by ctx: if ctx is done while it
// waits for space, it returns how many items were sent and ctx.Err().
func (s *Sender[T]) SendBatchContext(ctx context.Context, items []T) (int, error) {
	s.guard.Enter("sender")
	n, err := s.sendBatch(ctx, items)
	err = s.settleClosed(err)
	s.guard.Leave()
	return n, err
}

func (s *Sender[T]) sendBatch(ctx context.Context, items []T) (int, error) {
	st, ring, tx := s.p.St, s.p.Lane.Ring, s.p.Lane.Ring.Producer()
	if s.p.Owner != nil {
		s.p.Owner.Preempt()
	}
	sent := 0
	if st.Rendezvous { // capacity 0: each item waits for its receive
		for _, v := range items {
			if err := s.rendezvous(ctx, v, true); err != nil {
				return sent, err
			}
			sent++
		}
		return sent, nil
	}
	for sent < len(items) {
		if !st.HasHeader {
			// A push fails only on a full or closed ring (see send).
			if n := tx.PushBatch(items[sent:]); n > 0 {
				sent += n
				st.RecvPark.Wake()
				continue
			}
		} else if ring.Closed() {
			return sent, handoff.ErrClosed
		} else if free := s.room(); free > 0 {
			// Move ownership of a run that fits, then publish it at once.
			// A failure at item i publishes the run before it, so that
			// the items reported as sent are exactly the enqueued ones.
			// A run is at most maxRun items, so that one word records which
			// of them had their ownership moved (and must be recalled if
			// the publish fails).
			run := items[sent:min(len(items), sent+free, sent+maxRun)]
			nils, moved := uint64(0), uint64(0)
			for i, v := range run {
				_, ok, err := s.handOver(v)
				if err != nil {
					if !s.pushRun(run[:i], nils, moved) {
						return sent, handoff.ErrClosed
					}
					st.RecvPark.Wake()
					return sent + i, err
				}
				if ok {
					moved |= 1 << i
				} else {
					nils++
				}
			}
			if !s.pushRun(run, nils, moved) {
				return sent, handoff.ErrClosed
			}
			st.RecvPark.Wake()
			sent += len(run)
			continue
		}
		if err := s.waitSpace(ctx, true); err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// maxRun is the longest run an owned SendBatch publishes at once: the
// width of the bit set that records which items' ownership moved.
const maxRun = 64

// pushRun publishes a run of items whose ownership has been moved where
// bit i of moved is set; the nils others are nil pointers or objects that
// travel as they are (see endpoint.SendStats.Untransferred). The run fits (only this
// goroutine fills the ring), so the publish fails only if the channel was
// closed meanwhile: then the moved items' ownership is given back (Recall)
// and pushRun reports false.
func (s *Sender[T]) pushRun(run []T, nils, moved uint64) bool {
	if len(run) == 0 {
		return true
	}
	tx := s.p.Lane.Ring.Producer()
	var ok bool
	if nils == 0 {
		ok = tx.PushBatch(run) > 0
	} else {
		s.p.Lane.Stats.BeginUntransferred()
		ok = tx.PushBatch(run) > 0
		if ok {
			s.p.Lane.Stats.EndUntransferred(nils)
		} else {
			s.p.Lane.Stats.EndUntransferred(0)
		}
	}
	if !ok {
		for i, v := range run {
			if moved&(1<<i) != 0 {
				s.recall(s.p.St.Header(v))
			}
		}
	}
	return ok
}

// room returns how many items the sender can push now: what its cached
// view of the receiver's index says, reloading that index (a cache line
// the receiver writes) only when the cached view says full.
func (s *Sender[T]) room() int {
	tx := s.p.Lane.Ring.Producer()
	if n := tx.CachedRoom(); n > 0 {
		return n
	}
	return tx.Room()
}
