package receiver

import "github.com/handoff-go/handoff/internal/endpoint"

// stayPops is how many receives in a row a receiver may take from the
// lane it found an item in before it moves on to the next lane (see
// settle).
//
// Why it stays: a pop writes the ring's consumer line (head, the cached
// tail) and reads the slot line the producer writes, and with several
// receivers it also writes the lane's claim. A receiver that moves to the
// next lane after every item touches every lane's lines in turn, and they
// cross between cores on nearly every item; staying takes a lane's items
// a run at a time while its producer fills the other end. Measured on AMD
// EPYC, 2 cores, the bench command (-duration 150ms -reps 5), alternating
// runs against strict round robin: fan-in 4 -> 1 item by item 48.0,
// 53.5, 59.7 -> 22.5, 31.1, 35.7 ns per item with runs of 16 (1.23-1.41x
// chan -> 2.09-2.44x); MPMC 4 -> 4 64.3 -> 51.3 ns over five pairs with
// runs of 32 (1.11x -> 1.48x chan). Then 32 against 16, three pairs:
// fan-in 4 -> 1 29.8, 30.9, 31.9 against 36.5, 32.3, 37.2 ns, MPMC 56.7,
// 55.4, 53.8 against 62.9, 56.8, 65.9 ns. 64 did as well as 32 for MPMC,
// 128 and 255 worse; 8 a little worse than 16 for fan-in.
//
// Fairness: a lane delivers at most stayPops items in a row; then the
// receiver looks at the lanes after it, in order. So while a lane holds
// items, each of the other n-1 lanes delivers at most stayPops items
// before it does (with several receivers, for each receiver). package
// channel documents the bound; the lanes and multi-receiver fairness
// tests hold it.
const stayPops = 32

// settle records that lane k delivered: the next receive starts there
// again, until stayPops receives in a row came from it; then at the lane
// after it.
func (r *Receiver[T]) settle(k int) {
	if k != r.next {
		r.next, r.stay = k, 0
	}
	r.stay++
	if r.stay >= stayPops {
		r.next, r.stay = k+1, 0
	}
}

// tryPop takes one item from the first non-empty lane, starting at
// r.next, and wakes that lane's sender if it waits for space. See
// stayPops for the order in which lanes are served.
func (r *Receiver[T]) tryPop() (T, bool) {
	lanes := r.p.St.Lanes()
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
			r.settle(k)
			l.SendPark.Wake()
			r.reclaim(l) // that may have been the last item of a closed lane
			return v, true
		}
		if v, ok := l.TakeOffer(); ok {
			r.settle(k)
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
	lanes := r.p.St.Lanes()
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
	r.next, r.stay = r.next+1, 0
	if r.next >= len(lanes) {
		r.next = 0
	}
	return got
}

// anyItem reports whether some lane holds an item, reclaiming the closed
// lanes it finds drained on the way.
func (r *Receiver[T]) anyItem() bool {
	lanes := r.p.St.Lanes()
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
