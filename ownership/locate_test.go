package ownership_test

import (
	"fmt"
	"testing"

	"github.com/handoff-go/handoff/ownership"
	"github.com/stretchr/testify/require"
)

type locDeep struct {
	_ int // puts the header at a non-zero offset
	locMid
}

type locMid struct {
	_ [3]int
	ownership.Header
}

type locInner struct {
	ownership.Header
	v int
}

type locOuter struct {
	*locInner
}

type locOwn struct {
	h ownership.Header
}

func (o *locOwn) OwnershipHeader() *ownership.Header { return &o.h }

type locFar struct{ in *locInner }

func (f *locFar) OwnershipHeader() *ownership.Header { return &f.in.Header }

func TestLocator(t *testing.T) {
	_, ok := ownership.NewLocator[int]()
	require.False(t, ok, "int carries no header")
	_, ok = ownership.NewLocator[obj]()
	require.False(t, ok, "a value type carries no header: copying it would copy ownership")

	deep, ok := ownership.NewLocator[*locDeep]()
	require.True(t, ok)
	require.Contains(t, deep.String(), "at offset")
	d := &locDeep{}
	require.Same(t, &d.Header, deep.Header(d))
	require.Nil(t, deep.Header(nil))

	outer, ok := ownership.NewLocator[*locOuter]()
	require.True(t, ok)
	require.Contains(t, outer.String(), "along embedded pointers")
	o := &locOuter{locInner: &locInner{v: 1}}
	require.Equal(t, 1, o.v)
	require.Same(t, &o.locInner.Header, outer.Header(o))
	require.Nil(t, outer.Header(&locOuter{}), "a nil embedded pointer: no header")

	own, ok := ownership.NewLocator[*locOwn]()
	require.True(t, ok)
	w := &locOwn{}
	require.Same(t, &w.h, own.Header(w))

	far, ok := ownership.NewLocator[*locFar]()
	require.True(t, ok)
	require.Equal(t, "by method", far.String())
	f := &locFar{in: &locInner{}}
	require.Same(t, &f.in.Header, far.Header(f))
	require.Nil(t, far.Header(&locFar{}), "the method's nil dereference: no header")
}

func TestLocatorAllocatesNothing(t *testing.T) {
	loc, _ := ownership.NewLocator[*locDeep]()
	d := &locDeep{}
	allocs := testing.AllocsPerRun(100, func() { _ = loc.Header(d) })
	require.Zero(t, allocs)
}

// A Locator finds the header of values of one type without an interface
// call per value.
func ExampleNewLocator() {
	type Buf struct {
		ownership.Header
		data []byte
	}
	loc, ok := ownership.NewLocator[*Buf]()
	b := &Buf{data: []byte("x")}
	fmt.Println(ok, loc.Header(b) == &b.Header, loc.Header(nil) == nil, len(b.data))
	// Output: true true true 1
}
