package ownership_test

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/handoff-go/handoff/ownership"
)

// obj is a test object: plain fields written only by the current owner, so
// the race detector reports any two owners touching it without a
// happens-before edge.
type obj struct {
	ownership.Header
	n int
	m int
}

// newOwner returns an owner that is closed when the test ends. Owners in
// these tests are closed explicitly: Thaw waits for every live, unparked
// owner, and one dropped without Close is closed only by a later GC.
func newOwner(t testing.TB) *ownership.Owner {
	t.Helper()
	o := ownership.NewOwner()
	t.Cleanup(o.Close)
	return o
}

// withProcs runs f as subtests at several GOMAXPROCS values.
func withProcs(t *testing.T, f func(t *testing.T)) {
	for _, p := range []int{1, 2, 4} {
		t.Run("procs="+string(rune('0'+p)), func(t *testing.T) {
			old := runtime.GOMAXPROCS(p)
			t.Cleanup(func() { runtime.GOMAXPROCS(old) })
			f(t)
		})
	}
}

// waitUntil yields until cond holds. It is a poll on shared state, not a
// timed wait; the test's own timeout bounds it.
func waitUntil(cond func() bool) {
	for !cond() {
		runtime.Gosched()
	}
}

// stealAsync runs thief.Steal on a new goroutine and returns its result
// channel.
func stealAsync(ctx context.Context, thief *ownership.Owner, h *ownership.Header) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- thief.Steal(ctx, h) }()
	return ch
}

// cancelSlots lets one goroutine hand a cancel func to others that fire it
// at a step of their choosing.
type cancelSlots []atomic.Pointer[context.CancelFunc]

func (s cancelSlots) put(i int, c context.CancelFunc) { s[i].Store(&c) }
func (s cancelSlots) clear(i int)                     { s[i].Store(nil) }

// fire cancels slot i, if it holds a func.
func (s cancelSlots) fire(i int) {
	if c := s[i].Swap(nil); c != nil {
		(*c)()
	}
}
