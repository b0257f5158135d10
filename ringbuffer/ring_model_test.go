package ringbuffer_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/handoff-go/handoff/ringbuffer"
)

// Model-based testing: a program of ring operations, decoded from bytes, is
// run against a Ring and against a plain slice queue, and every observable
// result must agree. The random test and the fuzz target share checkModel,
// so a failing fuzz input and a failing seed are the same kind of thing.

// Op codes, one byte each; batch ops take a second byte for the length.
// opLen checks the size queries: Full, Empty and Room (Len is checked after
// every op).
const (
	opTryPush = iota
	opTryPop
	opPushBatch
	opPopBatch
	opLen
	numOps
)

// checkModel runs prog on a fresh ring of the given capacity whose indices
// start at start, and reports the first disagreement with the model. The
// values pushed are 1, 2, 3, ... so that a zero slot means "empty".
func checkModel(t testing.TB, capacity int, start uint64, prog []byte, opts ...ringbuffer.Option) {
	t.Helper()
	r := ringbuffer.New[uint64](capacity, opts...)
	ringbuffer.SetIndicesForTest(r, start)
	slots := ringbuffer.SlotsForTest(r)

	var model []uint64 // the queue, oldest first
	next := uint64(1)  // next value to push
	var sumModel uint64
	// A batch never needs more than this; a little over capacity so that
	// "more than fits" is covered too.
	maxBatch := 2*capacity + 2
	buf := make([]uint64, maxBatch)

	for pc := 0; pc < len(prog); pc++ {
		op := prog[pc] % numOps
		arg := 0
		if op == opPushBatch || op == opPopBatch {
			if pc+1 < len(prog) {
				pc++
				arg = int(prog[pc]) % (maxBatch + 1)
			}
		}
		where := func() string {
			return fmt.Sprintf("cap=%d start=%#x pc=%d op=%d arg=%d len(model)=%d", capacity, start, pc, op, arg, len(model))
		}

		switch op {
		case opTryPush:
			ok := r.Producer().TryPush(next)
			if want := len(model) < capacity; ok != want {
				t.Fatalf("%s: TryPush = %v, want %v", where(), ok, want)
			}
			if ok {
				model = append(model, next)
				sumModel += next
				next++
			}
		case opTryPop:
			v, ok := r.Consumer().TryPop()
			if want := len(model) > 0; ok != want {
				t.Fatalf("%s: TryPop ok = %v, want %v", where(), ok, want)
			}
			if !ok {
				if v != 0 {
					t.Fatalf("%s: failed TryPop returned %d, want zero", where(), v)
				}
				break
			}
			if v != model[0] {
				t.Fatalf("%s: TryPop = %d, want %d", where(), v, model[0])
			}
			sumModel -= model[0]
			model = model[1:]
		case opPushBatch:
			items := buf[:arg]
			for i := range items {
				items[i] = next + uint64(i)
			}
			n := r.Producer().PushBatch(items)
			if want := min(arg, capacity-len(model)); n != want {
				t.Fatalf("%s: PushBatch = %d, want %d", where(), n, want)
			}
			for _, v := range items[:n] {
				model = append(model, v)
				sumModel += v
			}
			next += uint64(n)
		case opPopBatch:
			dst := buf[:arg]
			for i := range dst {
				dst[i] = ^uint64(0) // sentinel: must survive past n
			}
			n := r.Consumer().PopBatch(dst)
			if want := min(arg, len(model)); n != want {
				t.Fatalf("%s: PopBatch = %d, want %d", where(), n, want)
			}
			for i := range n {
				if dst[i] != model[i] {
					t.Fatalf("%s: PopBatch dst[%d] = %d, want %d", where(), i, dst[i], model[i])
				}
				sumModel -= model[i]
			}
			for i := n; i < arg; i++ {
				if dst[i] != ^uint64(0) {
					t.Fatalf("%s: PopBatch wrote dst[%d] = %d beyond n = %d", where(), i, dst[i], n)
				}
			}
			model = model[n:]
		case opLen:
			// Full and Empty first: they reload the other side's index
			// only when the cached copy says so, which Room then does
			// unconditionally.
			if got, want := r.Producer().Full(), len(model) == capacity; got != want {
				t.Fatalf("%s: Full = %v, want %v", where(), got, want)
			}
			if got, want := r.Consumer().Empty(), len(model) == 0; got != want {
				t.Fatalf("%s: Empty = %v, want %v", where(), got, want)
			}
			if got := r.Producer().Room(); got != capacity-len(model) {
				t.Fatalf("%s: Room = %d, want %d", where(), got, capacity-len(model))
			}
		}

		// After every op: Len agrees, and the slot array holds exactly
		// the queued values and zeroes elsewhere (popped slots zeroed).
		if got := r.Len(); got != len(model) {
			t.Fatalf("%s: Len = %d, want %d", where(), got, len(model))
		}
		// CachedReady and CachedRoom are the sides' cached views: never more than
		// is really there, and never negative.
		if got := r.Consumer().CachedReady(); got < 0 || got > len(model) {
			t.Fatalf("%s: CachedReady = %d, want within [0, %d]", where(), got, len(model))
		}
		if got := r.Producer().CachedRoom(); got < 0 || got > capacity-len(model) {
			t.Fatalf("%s: CachedRoom = %d, want within [0, %d]", where(), got, capacity-len(model))
		}
		// Pushed and Popped count from the index origin and wrap at 2^63.
		if got, want := r.Pushed(), (start+next-1)&ringbuffer.IndexMask; got != want {
			t.Fatalf("%s: Pushed = %#x, want %#x", where(), got, want)
		}
		if got, want := r.Popped(), (start+next-1-uint64(len(model)))&ringbuffer.IndexMask; got != want {
			t.Fatalf("%s: Popped = %#x, want %#x", where(), got, want)
		}
		nonZero, sum := 0, uint64(0)
		for _, v := range slots {
			if v != 0 {
				nonZero++
				sum += v
			}
		}
		if nonZero != len(model) || sum != sumModel {
			t.Fatalf("%s: slots hold %d values summing to %d, want %d summing to %d: %v",
				where(), nonZero, sum, len(model), sumModel, slots)
		}
	}

	// Drain: what is left must be the model, in order.
	for i, want := range model {
		v, ok := r.Consumer().TryPop()
		if !ok || v != want {
			t.Fatalf("cap=%d start=%#x: drain item %d = %d,%v, want %d", capacity, start, i, v, ok, want)
		}
	}
	if _, ok := r.Consumer().TryPop(); ok {
		t.Fatalf("cap=%d start=%#x: ring not empty after draining the model", capacity, start)
	}
}

// modelStarts are the index origins every capacity is tried with: zero and
// points just before the 2^63 wrap, so that the wrap falls inside the run.
func modelStarts(capacity int) []uint64 {
	const top = ringbuffer.IndexMask
	return []uint64{0, top, top - 1, top - uint64(capacity), top - 3*uint64(capacity) + 1, 1 << 62}
}

func TestRingModelRandom(t *testing.T) {
	capacities := []int{}
	for c := 1; c <= 17; c++ {
		capacities = append(capacities, c)
	}
	capacities = append(capacities, 31, 64, 100, 255)

	seeds, progLen := 40, 600
	if testing.Short() {
		seeds, progLen = 8, 300
	}
	for _, capacity := range capacities {
		t.Run(fmt.Sprint("cap=", capacity), func(t *testing.T) {
			for seed := range seeds {
				rng := rand.New(rand.NewPCG(uint64(seed), uint64(capacity)))
				starts := modelStarts(capacity)
				start := starts[seed%len(starts)]
				if seed%len(starts) == 0 && seed > 0 {
					start = rng.Uint64() // also some arbitrary origins
				}
				mode := publishModes[seed%len(publishModes)] // both publishes, alternately
				checkModel(t, capacity, start, randomProgram(rng, progLen), mode.opts...)
			}
		})
	}
}

// randomProgram draws a program whose push/pop balance drifts with a random
// bias, so that runs spend time both near full and near empty.
func randomProgram(rng *rand.Rand, n int) []byte {
	prog := make([]byte, 0, 2*n)
	pushBias := rng.IntN(5) // 0..4 out of 8: from mostly popping to mostly pushing
	for range n {
		if rng.IntN(50) == 0 {
			pushBias = rng.IntN(5)
		}
		var op byte
		switch x := rng.IntN(8); {
		case x < pushBias+2:
			op = opTryPush
			if rng.IntN(2) == 0 {
				op = opPushBatch
			}
		case x < 7:
			op = opTryPop
			if rng.IntN(2) == 0 {
				op = opPopBatch
			}
		default:
			op = opLen
		}
		prog = append(prog, op)
		if op == opPushBatch || op == opPopBatch {
			prog = append(prog, byte(rng.IntN(256)))
		}
	}
	return prog
}

// FuzzRingModel decodes the capacity, the index origin and the program from
// the fuzz input and checks the ring against the model.
func FuzzRingModel(f *testing.F) {
	const top = ringbuffer.IndexMask
	seq := func(ops ...byte) []byte { return ops }
	// Empty ring: pops on empty, zero-length batches.
	f.Add(uint8(0), uint64(0), seq(opTryPop, opPopBatch, 3, opPushBatch, 0, opPopBatch, 0, opLen))
	// Full ring of 1: push, push fails, pop, pop fails.
	f.Add(uint8(0), uint64(0), seq(opTryPush, opTryPush, opPushBatch, 2, opTryPop, opTryPop))
	// Fill exactly, overfill by batch, drain by batch, across the index wrap.
	f.Add(uint8(6), top-3, seq(opPushBatch, 7, opTryPush, opPushBatch, 5, opLen, opPopBatch, 16, opTryPop))
	// Wrap round the slot array with batches that straddle its end.
	f.Add(uint8(4), uint64(0), seq(opPushBatch, 3, opPopBatch, 3, opPushBatch, 5, opPopBatch, 2, opPushBatch, 2, opPopBatch, 9))
	// Item-by-item wrap at capacity 3 starting just before 2^64.
	f.Add(uint8(2), top, seq(opTryPush, opTryPush, opTryPush, opTryPush, opTryPop, opTryPush, opTryPop, opTryPop, opTryPop, opTryPop))
	// Partial batches when nearly full and nearly empty.
	f.Add(uint8(9), top-20, seq(opPushBatch, 8, opPushBatch, 5, opPopBatch, 4, opPushBatch, 7, opPopBatch, 20, opPopBatch, 1))

	f.Fuzz(func(t *testing.T, capByte uint8, start uint64, prog []byte) {
		capacity := 1 + int(capByte)%64
		checkModel(t, capacity, start, prog)
	})
}
