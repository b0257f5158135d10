package ownership

import (
	"math"
	"strconv"
	"sync"

	"github.com/puzpuzpuz/xsync/v3"
)

// Owner ids, the registry and GC retirement.
//
// Rules:
//
//	R1. The registry maps an id to the core of its current life while that
//	    life is open. A core leaves it (only if the entry is still that core)
//	    right after its closing CAS, so "not in the registry" means "closed"
//	    for the life a header names, exactly as before ids were recycled.
//	R2. An id goes back to the pool only after its life closed AND its
//	    owner can no longer store into a header: when Close returns (o's
//	    goroutine is not inside a Steal or Thaw of its own), or when the GC
//	    has found the Owner unreachable (no goroutine can be inside one of
//	    its methods: the last header store of a steal or thaw is followed
//	    by stealFinished, which keeps o alive). An owner closed by Retire
//	    keeps its id until one of those: its goroutine may be parked inside
//	    a steal, with a header still reading (id, stealingEpoch), and a
//	    second thief waiting on that word looks the id up to find whom to
//	    wait for; it must not find a newcomer.
//	R3. A recycled id continues the epoch sequence of its previous life: the
//	    pool stores the life's last epoch (final once closed, owner.go
//	    invariant 6) and the next life starts at nextEpoch of it.
//
// ABA argument. A header word (id, e) is written only with an e that was
// the epoch of some life of id at some time (Transfer reads the target's
// epoch from ctl, every other writer uses its own current epoch; a Transfer
// whose target bumps or closes between its load and its CAS writes an epoch
// the target has left). By R3 the epochs of id form one sequence of
// nextEpoch steps across all its lives, and every life starts after the
// previous one's last epoch. So a word (id, e) left behind by an earlier
// life, or earlier in the same life, equals the current (id, epoch) only if
// id's epoch went once all the way around the 2^32-3 usable values since
// e was current: the same bound as within one life (header.go, nextEpoch),
// and recycling does not make it any closer. Until then such a word is
// stale (claimable) for the new life, as it was free for the old one.
//
// GC retirement: the registry holds cores, and a core holds only a weak
// pointer to its Owner; runtime.AddCleanup closes the core (as Retire on a
// parked owner would: one CAS) and frees the id when the Owner becomes
// unreachable. Lookup answers false for an Owner the GC has found
// unreachable, even before the cleanup runs; thieves and thawers wait for
// such an owner until the cleanup closes it (the runtime runs it soon after
// the GC cycle that found the Owner unreachable), since they have no other safe way
// to know that nobody can still be using its objects.

var (
	registry = xsync.NewMapOf[uint32, *core]()

	ids struct {
		mu   sync.Mutex
		next uint32    // ids 1..next have been handed out at least once
		free []freedID // the pool, used last-in first-out
		max  uint32    // largest id ever handed out; a test hook lowers it
	}
)

type freedID struct {
	id   uint32
	last uint32 // the last epoch of the id's previous life (R3)
}

func init() { ids.max = math.MaxUint32 - 1 }

// allocID returns an unused id and the first epoch of its new life. It
// panics only if every id is held by an owner that is not yet closed and
// collected (2^32-2 of them).
func allocID() (id, epoch uint32) {
	ids.mu.Lock()
	defer ids.mu.Unlock()
	if n := len(ids.free); n > 0 {
		f := ids.free[n-1]
		ids.free = ids.free[:n-1]
		return f.id, nextEpoch(f.last) // R3
	}
	if ids.next >= ids.max {
		panic("ownership: owner ids exhausted: " + strconv.FormatUint(uint64(ids.max), 10) +
			" owners are open, or closed by Retire and not yet collected")
	}
	ids.next++
	return ids.next, firstEpoch
}

// freeID returns c's id to the pool, once; c must be closed, and rule R2
// must hold.
func (c *core) freeID() {
	if !c.idFreed.CompareAndSwap(false, true) {
		return
	}
	last := ctlEpoch(c.ctl.Load()) // final: owner.go invariant 6
	ids.mu.Lock()
	ids.free = append(ids.free, freedID{c.id, last})
	ids.mu.Unlock()
}

// collected is the GC cleanup of an Owner: nobody can reach it, so nobody
// can be using its objects (the Owner's doc asks callers to keep it
// reachable while they do). Close on its behalf if it is open, then free the
// id (R2).
func (c *core) collected() {
	for {
		w := c.ctl.Load()
		if w&closedBit != 0 {
			break
		}
		// Happens-before: the owner's goroutine's last access to the Owner
		// precedes the GC's finding it unreachable, which precedes this
		// cleanup (the runtime orders them); this CAS (release) -> a thief's
		// load that sees closed (acquire).
		if c.ctl.CompareAndSwap(w, closedWord(w)) {
			c.finishClose()
			break
		}
	}
	c.freeID()
}

func register(c *core) { registry.Store(c.id, c) }

// deregister removes c from the registry if the entry for its id is still c
// (a newer life may already have replaced it: R1).
func deregister(c *core) {
	registry.Compute(c.id, func(old *core, loaded bool) (*core, bool) {
		if loaded && old != c {
			return old, false // a newer life: keep it
		}
		return nil, true // ours (or absent: a no-op)
	})
}

// lookupCore returns the core registered for id (the id's current life, if
// it is open), or nil.
func lookupCore(id uint32) *core {
	c, _ := registry.Load(id)
	return c
}

// inLife reports whether epoch e belongs to c's life so far (from birth to
// cur, its current epoch), as opposed to an earlier life of the same id. A
// word naming an earlier life is free: that life is closed. (After 2^32-3
// bumps in one life this may say true for an earlier life's word; then the
// word is reported stale rather than free, and is claimable either way.)
func (c *core) inLife(e, cur uint32) bool {
	return e-c.birth <= cur-c.birth
}
