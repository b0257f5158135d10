package receiver

import "github.com/handoff-go/handoff/internal/endpoint"

// currentLanes returns the channel's lanes: one atomic load of the
// State's lanes pointer and the slice it points to, which is never
// modified (a clone or a lane removal stores a new one), so lanes added by
// Sender.Clone are picked up on the next receive. The receiver used to
// cache the slice (32 bytes, compared on every receive); reading it where
// it is costs one more load from a line that only clones write, and a
// small channel's receiver is 32 bytes smaller.
func (r *Receiver[T]) currentLanes() []*endpoint.Lane[T] { return r.p.St.Lanes() }

// tryPop takes one item from the first non-empty lane, starting at
// r.next, and wakes that lane's sender if it waits for space.
//
// Fairness: after a lane delivers, the next receive starts at the lane
// after it. So while a lane holds items, each of the other n-1 lanes
// delivers at most one item before it does.
func (r *Receiver[T]) tryPop() (T, bool) {
	lanes := r.currentLanes()
	if len(lanes) == 1 { // one sender: no round robin to keep
		l := lanes[0]
		if l.Ring.Consumer().CachedReady() > 0 {
			v, _ := l.Ring.Consumer().TryPop()
			l.SendPark.Wake()
			return v, true
		}
		// The pop below reloads the producer's index. While the sender is
		// streaming, let it get ahead first (see slip).
		if r.streaming {
			slip()
		}
		v, ok := l.Ring.Consumer().TryPop()
		// Streaming: the reload found more than the one item we took. (A
		// ping-pong has one item in flight at most, so it never slips.)
		r.streaming = ok && l.Ring.Consumer().CachedReady() > 0
		if ok {
			l.SendPark.Wake()
			return v, ok
		}
		return l.TakeOffer() // the ring is empty: a blocked send's item
	}
	k := r.next
	for range lanes {
		if k >= len(lanes) {
			k = 0
		}
		l := lanes[k]
		if v, ok := l.Ring.Consumer().TryPop(); ok {
			r.next = k + 1
			l.SendPark.Wake()
			r.reclaim(l) // that may have been the last item of a closed lane
			return v, true
		}
		if v, ok := l.TakeOffer(); ok {
			r.next = k + 1
			return v, true
		}
		r.reclaim(l)
		k++
	}
	var zero T
	return zero, false
}

// reclaim removes an empty lane from the channel if its sender has closed
// it and it is drained: nothing can ever arrive on it. The flag alone would
// not do (CloseLane sets it before it marks the ring); Drained tests the
// ring's own close mark, which no publish passes. Called only on a lane
// just found empty, so a live channel pays for it only when a lane runs
// dry.
func (r *Receiver[T]) reclaim(l *endpoint.Lane[T]) {
	if l.SenderClosed() && l.Ring.Consumer().Drained() {
		r.p.St.RemoveLane(l)
	}
}

// popBatch fills dst from the lanes in one round-robin sweep starting at
// r.next, with one index publish per lane, and returns how many items it
// took. The next sweep starts one lane later, so while a lane holds items
// the others deliver at most (n-1)*len(dst) items before it does.
func (r *Receiver[T]) popBatch(dst []T) int {
	lanes := r.currentLanes()
	got := 0
	k := r.next
	for range lanes {
		if got == len(dst) {
			break
		}
		if k >= len(lanes) {
			k = 0
		}
		l := lanes[k]
		if n := l.Ring.Consumer().PopBatch(dst[got:]); n > 0 {
			got += n
			l.SendPark.Wake()
		} else if v, ok := l.TakeOffer(); ok {
			dst[got] = v
			got++
		} else if len(lanes) > 1 {
			r.reclaim(l)
		}
		k++
	}
	r.next++
	if r.next >= len(lanes) {
		r.next = 0
	}
	return got
}

// anyItem reports whether some lane holds an item, reclaiming the closed
// lanes it finds drained on the way.
func (r *Receiver[T]) anyItem() bool {
	lanes := r.currentLanes()
	for _, l := range lanes {
		if !l.Ring.Consumer().Empty() || l.HasOffer() {
			return true
		}
		if len(lanes) > 1 {
			r.reclaim(l)
		}
	}
	return false
}
