package ownership

// Test hooks: read-only views of an owner's control word, the registry and
// the id pool, and a knob that shrinks the id space.

// PendingOf returns the number of steal requests o has not answered yet.
func PendingOf(o *Owner) uint64 { return ctlPending(o.c.ctl.Load()) }

// ParkedOf reports whether o's parked bit is set.
func ParkedOf(o *Owner) bool { return o.c.ctl.Load()&parkedBit != 0 }

// SafepointAskedOf reports whether a Thaw's safepoint request waits for o's
// next preemption point.
func SafepointAskedOf(o *Owner) bool { return o.c.ctl.Load()&safepointBit != 0 }

// RetireAskedOf reports whether a Retire request waits for o's next
// preemption point.
func RetireAskedOf(o *Owner) bool { return o.c.ctl.Load()&retireBit != 0 }

// RegistrySize returns the number of registered (open) owners.
func RegistrySize() int { return registry.Size() }

// FreeIDs returns the number of ids in the pool.
func FreeIDs() int {
	ids.mu.Lock()
	defer ids.mu.Unlock()
	return len(ids.free)
}

// ShrinkIDSpace makes the id space n ids large from now on: the pool is set
// aside (so only ids freed from now on are reused) and at most n fresh ids
// are handed out. The returned func restores the full space and merges the
// set-aside pool back. Tests that use it must not run in parallel.
func ShrinkIDSpace(n uint32) (restore func()) {
	ids.mu.Lock()
	saved, savedMax := ids.free, ids.max
	ids.free = nil
	ids.max = ids.next + n
	ids.mu.Unlock()
	return func() {
		ids.mu.Lock()
		ids.free = append(ids.free, saved...)
		ids.max = savedMax
		ids.mu.Unlock()
	}
}
