package receiver

import (
	"context"

	"github.com/handoff-go/handoff"
)

// TryRecvBatch receives into dst what is buffered right now, up to
// len(dst) items, oldest first, with one index publish per lane, and never
// waits. It returns how many it received (at least one), or 0 and
// handoff.ErrEmpty if nothing is buffered, or 0 and handoff.ErrClosed if the
// channel is closed and drained (or disconnected). An empty dst returns 0
// and nil. Like TryRecv it is not a preemption point, and an owned object
// that could only be taken by waiting for its holder is held back, as
// TryRecv holds it: the items before it are returned, and it is the first
// item of the next receive.
//
// With several receivers (Clone), the items a batch takes from one lane
// are claimed together: no other receiver gets an item between two items
// of one lane in dst.
func (r *Receiver[T]) TryRecvBatch(dst []T) (int, error) {
	r.guard.Enter("receiver")
	n, err := r.tryRecvBatch(dst)
	r.guard.Leave()
	return n, err
}

func (r *Receiver[T]) tryRecvBatch(dst []T) (int, error) {
	shared := r.p.Shared
	if shared != nil {
		if r.gone() {
			return 0, handoff.ErrClosed
		}
	} else if r.disconnected() {
		return 0, handoff.ErrClosed
	}
	if len(dst) == 0 {
		return 0, nil
	}
	if r.holding() {
		v, err := r.takeHeld(context.Background(), false)
		if err != nil {
			return 0, err
		}
		dst[0] = v
		return 1, nil
	}
	if shared != nil && shared.AnyReturned() {
		if v, ok, _ := r.takeReturned(context.Background(), false); ok {
			dst[0] = v
			return 1, nil
		}
	}
	var n, unsettled int
	if shared != nil {
		// An empty sweep is only a hint with several receivers: the
		// answer comes from the wait condition, which settles it (see
		// sharedReady), and a seen item means sweep again.
		for n, unsettled = r.popBatchShared(dst); n == 0; n, unsettled = r.popBatchShared(dst) {
			if done, err := (sharedReady[T]{r, false}).Ready(); !done {
				return 0, handoff.ErrEmpty
			} else if err != nil {
				return 0, err
			}
		}
	} else {
		closed := r.noMoreArrivals() // before the emptiness check: see waitItem
		if n = r.popBatch(dst); n == 0 {
			if !closed {
				return 0, handoff.ErrEmpty
			}
			r.disconnected()
			return 0, handoff.ErrClosed
		}
	}
	if shared != nil && r.p.HasHeader {
		return r.takeBatchShared(context.Background(), dst[:n], false, unsettled)
	}
	return r.takeBatch(context.Background(), dst[:n], false)
}
