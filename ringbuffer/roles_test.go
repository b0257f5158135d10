package ringbuffer_test

import (
	"reflect"
	"slices"
	"testing"
	"unsafe"

	"github.com/handoff-go/handoff/ringbuffer"
	"github.com/stretchr/testify/require"
)

// The ring's two roles are two types: each side's methods are on its view
// only, so a call from the wrong side does not compile, and what either
// side may call is on the Ring. A view is the ring's pointer and nothing
// more.
func TestRolesAreSeparateTypes(t *testing.T) {
	methods := func(typ reflect.Type) []string {
		var names []string
		for i := range typ.NumMethod() {
			names = append(names, typ.Method(i).Name)
		}
		slices.Sort(names)
		return names
	}
	require.Equal(t, []string{"CachedRoom", "Full", "FullAfterAnnounce", "PushBatch", "Room", "TryPush"},
		methods(reflect.TypeFor[ringbuffer.Producer[int]]()))
	require.Equal(t, []string{"CachedReady", "ClearQueued", "Drained", "Empty", "PopBatch", "TryPop"},
		methods(reflect.TypeFor[ringbuffer.Consumer[int]]()))
	require.Equal(t, []string{"Cap", "Close", "Closed", "Consumer", "Len", "Popped", "Producer", "Pushed"},
		methods(reflect.TypeFor[*ringbuffer.Ring[int]]()))

	require.Equal(t, unsafe.Sizeof(uintptr(0)), unsafe.Sizeof(ringbuffer.Producer[int]{}))
	require.Equal(t, unsafe.Sizeof(uintptr(0)), unsafe.Sizeof(ringbuffer.Consumer[int]{}))
	r := ringbuffer.New[int](1)
	require.Zero(t, testing.AllocsPerRun(100, func() { r.Producer().Full(); r.Consumer().Empty() }))
}
