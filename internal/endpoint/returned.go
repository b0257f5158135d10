package endpoint

// Returned is the pool of items that receivers of a channel with several
// receivers popped but could not own without waiting: an object sent to
// the first receiver's owner before the first Clone, or sent as it is by
// a sender that did not own it, whose steal a TryRecv may not wait for or
// a receive's context cut short. With one receiver such an item is held
// back by that receiver and is the next one it returns; with several it
// is handed to all of them here, so that a receiver that closes while the
// others are open loses nothing: the item stays in the channel, and the
// next receive of any receiver tries it before the lanes (see package
// receiver). Items leave the pool in the order they entered it, except
// that a receive that may not wait passes over the ones it cannot own
// yet.
//
// Every access is under the Consumers' returnedMu: LockReturned returns
// the pool locked (made on first use). Happens-before: a receiver's Unlock
// after it put an item in, then another receiver's Lock before it takes
// the item out (sync.Mutex), so the item's plain words pass with the
// lock. The pool is not on any fast path: it is used only by items on the
// fallback path of ownership.
//
// # Pending: never drained while an item is on its way
//
// A receive reports the channel closed once the senders have closed and
// the lanes are empty. An item on the fallback path leaves its lane before
// its receive knows whether it can own it: between the pop and the
// receive's return it is in no lane, and if the receive then puts it in
// the pool, another receiver that looked in between must not have
// concluded "closed and drained". So the Consumers keep one word,
// pending: in its high half the items popped (or taken out of the pool to
// be owned by a receive that waits) whose receive has not settled them,
// in its low half the items in the pool. Every move of an item between
// those places is one atomic Add on that word, so at every instant the
// item is counted in one half or has left the channel:
//
//   - a pop of an object its receiver does not own after the Recall from
//     the transit owner: Unsettle (+1 high), under the lane's claim;
//   - that receive returns the item: Settle (-1 high); or it puts it in
//     the pool: PushBack or PushFront, settled (+1 low, -1 high, one Add);
//     an item put in that was not counted: +1 low;
//   - a receive that takes an item out of the pool and returns it at once:
//     Remove (-1 low); one that takes it out to wait for it: RemoveToOwn
//     (-1 low, +1 high, one Add), then Settle or PushFront;
//   - Clear (a disconnect): -n low.
//
// Edges: the pop and the Unsettle happen under the lane's claim, so a
// receiver that finds the lane empty under the claim afterwards loads the
// word after the Add (Unlock, then Lock); one that found it empty before
// did not see the item leave (it saw the lane holding it, or the item had
// not arrived). Pending is one load of the word, made after the empty
// scan of the lanes: nonzero means not drained.
type Returned[T any] struct {
	c     *Consumers
	items []T // items[head:], oldest first
	head  int
}

const (
	pendingHigh uint64 = 1 << 32         // one unsettled item in Consumers.pending
	fromPool           = pendingHigh - 1 // -1 low, +1 high
	toPool             = ^fromPool + 1   // +1 low, -1 high: -fromPool in two's complement
)

// LockReturned locks c's pool of returned items and returns it.
func LockReturned[T any](c *Consumers) *Returned[T] {
	c.returnedMu.Lock()
	p, _ := c.returned.(*Returned[T])
	if p == nil {
		p = &Returned[T]{c: c}
		c.returned = p
	}
	return p
}

// AnyReturned reports whether the pool holds items: one load.
func (c *Consumers) AnyReturned() bool { return uint32(c.pending.Load()) != 0 }

// Pending reports whether an item is in the pool or on its way from a pop
// to its receive's result (see Returned): one load.
func (c *Consumers) Pending() bool { return c.pending.Load() != 0 }

// Unsettle counts an item popped by a receive that must still decide
// whether it can own it (see Returned). Called under the lane's claim.
func (c *Consumers) Unsettle() { c.pending.Add(pendingHigh) }

// Settle ends n items' unsettled counts: their receive returned them.
func (c *Consumers) Settle(n int) { c.pending.Add(-(uint64(n) * pendingHigh)) }

// Unlock unlocks the pool.
func (p *Returned[T]) Unlock() { p.c.returnedMu.Unlock() }

// Len returns how many items the pool holds.
func (p *Returned[T]) Len() int { return len(p.items) - p.head }

// At returns the i-th oldest item (0: the oldest).
func (p *Returned[T]) At(i int) T { return p.items[p.head+i] }

// Remove takes the i-th oldest item out of the pool and returns it: its
// receive returns it at once.
func (p *Returned[T]) Remove(i int) T {
	v := p.remove(i)
	p.c.pending.Add(^uint64(0)) // -1 low
	return v
}

// RemoveToOwn takes the oldest item out of the pool for a receive that
// waits to own it: it counts as unsettled until that receive Settles it or
// puts it back (PushFront).
func (p *Returned[T]) RemoveToOwn() T {
	v := p.remove(0)
	p.c.pending.Add(fromPool) // -1 low, +1 high
	return v
}

func (p *Returned[T]) remove(i int) T {
	k := p.head + i
	v := p.items[k]
	copy(p.items[p.head+1:k+1], p.items[p.head:k]) // the older ones move up by one
	var zero T
	p.items[p.head] = zero
	p.head++
	if p.head == len(p.items) {
		p.items, p.head = p.items[:0], 0
	}
	return v
}

// PushBack adds v as the newest item; settled: v was counted unsettled
// (its receive gives it up).
func (p *Returned[T]) PushBack(v T, settled bool) {
	p.items = append(p.items, v)
	p.counted(settled)
}

// PushFront adds v as the oldest item: one taken out to be owned by a
// receive that then failed goes back where it was (settled as PushBack's).
func (p *Returned[T]) PushFront(v T, settled bool) {
	if p.head > 0 {
		p.head--
		p.items[p.head] = v
	} else {
		p.items = append(p.items, v) // grow by one, then shift every item up
		copy(p.items[1:], p.items[:len(p.items)-1])
		p.items[0] = v
	}
	p.counted(settled)
}

func (p *Returned[T]) counted(settled bool) {
	if settled {
		p.c.pending.Add(toPool) // +1 low, -1 high
	} else {
		p.c.pending.Add(1)
	}
}

// Clear drops every item (the channel disconnected): the values become
// unreachable from the pool. It returns how many there were.
func (p *Returned[T]) Clear() int {
	n := p.Len()
	clear(p.items)
	p.items, p.head = p.items[:0], 0
	p.c.pending.Add(-uint64(n))
	return n
}
