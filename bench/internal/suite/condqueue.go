package suite

import "sync"

// CondQueue is the textbook blocking bounded queue: a ring guarded by a
// sync.Mutex, with two sync.Conds for "not empty" and "not full". It is the
// peer that shows what a lock-based handoff costs. Any number of goroutines
// may use it.
type CondQueue[T any] struct {
	mu       sync.Mutex
	notEmpty sync.Cond
	notFull  sync.Cond
	buf      []T
	head, n  int
	closed   bool
}

// NewCondQueue returns an empty queue of the given capacity. It panics if
// capacity < 1.
func NewCondQueue[T any](capacity int) *CondQueue[T] {
	if capacity < 1 {
		panic("CondQueue capacity must be at least 1")
	}
	q := &CondQueue[T]{buf: make([]T, capacity)}
	q.notEmpty.L = &q.mu
	q.notFull.L = &q.mu
	return q
}

// Put appends v, waiting while the queue is full. It reports false (and
// drops v) if the queue is closed.
func (q *CondQueue[T]) Put(v T) bool {
	q.mu.Lock()
	for q.n == len(q.buf) && !q.closed {
		q.notFull.Wait()
	}
	if q.closed {
		q.mu.Unlock()
		return false
	}
	q.buf[(q.head+q.n)%len(q.buf)] = v
	q.n++
	q.mu.Unlock()
	q.notEmpty.Signal()
	return true
}

// Get removes the oldest item, waiting while the queue is empty. After
// Close it drains what is left, then reports false.
func (q *CondQueue[T]) Get() (T, bool) {
	q.mu.Lock()
	for q.n == 0 && !q.closed {
		q.notEmpty.Wait()
	}
	var zero T
	if q.n == 0 {
		q.mu.Unlock()
		return zero, false
	}
	v := q.buf[q.head]
	q.buf[q.head] = zero
	q.head = (q.head + 1) % len(q.buf)
	q.n--
	q.mu.Unlock()
	q.notFull.Signal()
	return v, true
}

// Len returns the number of items queued.
func (q *CondQueue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// Close wakes every waiter; later Puts fail and Gets drain, then fail.
func (q *CondQueue[T]) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.notEmpty.Broadcast()
	q.notFull.Broadcast()
}
