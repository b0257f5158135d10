package channel_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/handoff-go/handoff/ownership"
	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind: every
// blocked Send or Recv a test starts must be woken and joined.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// Msg is an owned object (Buf is taken by channel_bench_test.go): its plain fields may be touched only by its
// current owner, so the race detector reports any transfer that lacks a
// happens-before edge.
type Msg struct {
	ownership.Header
	n    int
	data [64]byte
}

// setGOMAXPROCS sets GOMAXPROCS for the rest of the test.
func setGOMAXPROCS(t *testing.T, n int) {
	t.Helper()
	old := runtime.GOMAXPROCS(n)
	t.Cleanup(func() { runtime.GOMAXPROCS(old) })
}

// maxPolls bounds every "wait until the other goroutine is blocked" loop. A
// goroutine parks after a spin of well under a hundred steps, so reaching
// this bound means it never blocked (or never woke): a real failure.
const maxPolls = 1 << 22

// waitParks yields until stats shows more than before parks: the goroutine
// that owns the endpoint is asleep (or about to sleep, after announcing
// itself) in a blocking operation. No sleep, no timing.
func waitParks(t *testing.T, parks func() uint64, before uint64) {
	t.Helper()
	for i := 0; i < maxPolls; i++ {
		if parks() > before {
			return
		}
		runtime.Gosched()
	}
	t.Fatalf("the endpoint never parked (parks still %d)", before)
}

// waitFor yields until cond holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < maxPolls; i++ {
		if cond() {
			return
		}
		runtime.Gosched()
	}
	t.Fatalf("timed out (in polls, not time) waiting for %s", what)
}

// mustPanicWith runs f and returns the panic message it must raise.
func mustPanicWith(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatalf("expected a panic")
		}
		switch v := r.(type) {
		case string:
			msg = v
		case error:
			msg = v.Error()
		default:
			t.Fatalf("panic value %T %v is neither string nor error", r, r)
		}
	}()
	f()
	return ""
}

// runtimeGosched is runtime.Gosched, named for files that do not import
// runtime.
func runtimeGosched() { runtime.Gosched() }

// atEachProcs runs f as subtests at GOMAXPROCS 1, 2 and 4, with n items
// (short with -short): the shape of every stress test here.
func atEachProcs(t *testing.T, n, short int, f func(t *testing.T, n int)) {
	t.Helper()
	if testing.Short() {
		n = short
	}
	for _, procs := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("procs=%d", procs), func(t *testing.T) {
			setGOMAXPROCS(t, procs)
			f(t, n)
		})
	}
}
