package endpoint

import (
	"sync/atomic"

	"golang.org/x/sys/cpu"
)

// Stats counts the slow-path events of one endpoint. Each endpoint writes
// only its own Stats, and only on paths that already wait or steal, so the
// counters cost nothing on the fast path. Any goroutine may read them at
// any time; a read concurrent with traffic is a snapshot.
type Stats struct {
	// Padding: the two endpoints' counters must not share a line.
	_      cpu.CacheLinePad
	Waits  atomic.Uint64 // operations that found the ring full (sender) or empty (receiver)
	Parks  atomic.Uint64 // times the endpoint's goroutine actually slept
	Stolen atomic.Uint64 // sender only: objects taken on the fallback steal path
	_      cpu.CacheLinePad
}
