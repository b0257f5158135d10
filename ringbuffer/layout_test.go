package ringbuffer_test

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/cpu"

	"github.com/handoff-go/handoff/ringbuffer"
)

// The ring is two cache lines, one per side, with no pad at either end:
// it relies on Go's allocator placing an object whose size is a multiple
// of the line size on a line boundary (its size class is a multiple of
// the line, carved from page-aligned spans). If a release of Go ever
// changed that, the producer's and the consumer's fields would share
// lines with each other or with a neighbour, which no functional test
// would notice; this one would.
func TestRingLines(t *testing.T) {
	line := unsafe.Sizeof(cpu.CacheLinePad{})
	require.Equal(t, 2*line, unsafe.Sizeof(ringbuffer.Ring[int]{}), "a ring is two lines")
	require.Equal(t, 2*line, unsafe.Sizeof(ringbuffer.Ring[[64]byte]{}), "whatever its element type")
	rings := make([]*ringbuffer.Ring[int], 0, 1000)
	for range cap(rings) {
		r := ringbuffer.New[int](1)
		require.Zero(t, uintptr(unsafe.Pointer(r))%line, "a ring starts on a line boundary")
		rings = append(rings, r) // kept, so each New gets a fresh slot
	}
}
