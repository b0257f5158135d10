package channel_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/handoff-go/handoff/channel"
)

// What a small channel costs to make (issue 12): Make[int](1) is five
// allocations (the State with its first lane, the ring, its slot, the two
// endpoints) and at most 1,000 bytes; growing either is a regression to
// justify, not an accident. Counted with testing.AllocsPerRun and the
// runtime's byte counter over a steady run, so no timing is involved.
func TestMakeCost(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector adds allocations of its own")
	}
	var sink *channel.Receiver[int]
	allocs := testing.AllocsPerRun(1000, func() {
		_, rx := channel.Make[int](1)
		sink = rx
	})
	require.LessOrEqual(t, allocs, 5.0, "allocations per Make[int](1)")
	res := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, rx := channel.Make[int](1)
			sink = rx
		}
	})
	require.LessOrEqual(t, res.AllocedBytesPerOp(), int64(1000), "bytes per Make[int](1)")
	_ = sink
}
