//go:build race

package endpoint

import "sync/atomic"

// Guard catches two goroutines using one endpoint at the same time. Under
// the race detector it is a real check with a clear panic message; in
// normal builds it compiles to nothing (see misuse_norace.go), because an
// atomic read-modify-write per operation would cost more than the
// operation itself. Without -race such misuse is a data race like any
// other, and its behaviour is undefined.
type Guard struct{ busy atomic.Int32 }

// Enter marks the endpoint busy; it panics if another goroutine is inside.
func (g *Guard) Enter(what string) {
	if !g.busy.CompareAndSwap(0, 1) {
		panic(what + ": concurrent use by two goroutines; an endpoint belongs to one goroutine at a time (use Clone for more producers, or hand the endpoint over with a happens-before edge)")
	}
}

// Leave marks the endpoint free again.
func (g *Guard) Leave() { g.busy.Store(0) }
