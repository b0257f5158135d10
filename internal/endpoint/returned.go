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
// Every access is under the Consumers' returnedMu: Lock returns the pool
// locked (made on first use), Unlock publishes its length for Any, the
// check the receive paths make without the lock. Happens-before: a
// receiver's Unlock after it put an item in, then another receiver's Lock
// before it takes the item out (sync.Mutex), so the item's plain words
// pass with the lock. The pool is not on any fast path: it is used only
// by items on the fallback path of ownership.
type Returned[T any] struct {
	c     *Consumers
	items []T // items[head:], oldest first
	head  int
}

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

// AnyReturned reports whether the pool held items at its last Unlock.
func (c *Consumers) AnyReturned() bool { return c.returnedN.Load() > 0 }

// Unlock publishes the pool's length and unlocks it.
func (p *Returned[T]) Unlock() {
	p.c.returnedN.Store(int32(p.Len()))
	p.c.returnedMu.Unlock()
}

// Len returns how many items the pool holds.
func (p *Returned[T]) Len() int { return len(p.items) - p.head }

// At returns the i-th oldest item (0: the oldest).
func (p *Returned[T]) At(i int) T { return p.items[p.head+i] }

// Remove takes the i-th oldest item out of the pool and returns it.
func (p *Returned[T]) Remove(i int) T {
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

// PushBack adds v as the newest item.
func (p *Returned[T]) PushBack(v T) { p.items = append(p.items, v) }

// PushFront adds v as the oldest item: one taken out to be owned by a
// receive that then failed goes back where it was.
func (p *Returned[T]) PushFront(v T) {
	if p.head > 0 {
		p.head--
		p.items[p.head] = v
		return
	}
	p.items = append(p.items, v) // grow by one, then shift every item up
	copy(p.items[1:], p.items[:len(p.items)-1])
	p.items[0] = v
}

// Clear drops every item (the channel disconnected): the values become
// unreachable from the pool. It returns how many there were.
func (p *Returned[T]) Clear() int {
	n := p.Len()
	clear(p.items)
	p.items, p.head = p.items[:0], 0
	return n
}
