package ringbuffer

// SetIndicesForTest moves an empty ring's head and tail to start, so that
// tests can cross the 2^63 wrap of the indices quickly. The ring must be
// empty and not in use by any other goroutine.
func SetIndicesForTest[T any](r *Ring[T], start uint64) {
	start &= countMask
	if r.head.Load() != r.tail.Load() {
		panic("ringbuffer: SetIndicesForTest on a non-empty ring")
	}
	r.head.Store(start)
	r.tail.Store(start)
	r.cachedHead = start
	r.cachedTail = start
	// Slot numbers stay as they are: slot i mod cap is only a naming of
	// positions, and the ring is empty, so any starting slot is valid.
}

// SlotsForTest returns the ring's slot array itself (not a copy), so that
// tests can check that popped slots were zeroed. Callers must not use it
// while a producer or consumer is running.
func SlotsForTest[T any](r *Ring[T]) []T {
	return r.slots
}

// IndexMask is the mask of the index counts: they wrap at 2^63.
const IndexMask = countMask
