package ownership

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"unsafe"
)

// Locator finds the Header of values of a type T that carries one (a
// pointer type implementing Object), for code that handles many values of
// one type: a channel, a pool, a container. NewLocator decides once how to
// find the header, so that Header is an add to the pointer in the common
// case, with no interface call. The three ways:
//
//   - at a fixed offset inside the struct T points to, when the header is
//     embedded by value, at any depth (the common case: one add, no call);
//   - along a path of embedded fields that passes through pointers
//     (type Outer struct{ *Inner }, or a node of a Region:
//     type Node struct{ *ownership.Region }): one load per pointer on the
//     way, at offsets NewLocator computed, and an add, with no reflect (and
//     no call, when there is one pointer: about 5 ns against 60 ns for the
//     reflect lookup it replaces); if one of those pointers is nil the
//     value has no header, and
//     Header returns nil (a channel then sends it as a plain value);
//   - by calling T's own OwnershipHeader method, when T defines one that
//     is not promoted from an embedded Header; a call that dereferences a
//     nil pointer means the value has no header, as above.
//
// The zero Locator is not usable; make one with NewLocator.
type Locator[T any] struct {
	mode   headerMode
	offset uintptr   // headerAtOffset: from the value; headerAlongPath: from the last pointer
	hops   []uintptr // headerAlongPath: where each embedded pointer on the way sits
	path   []int     // headerAlongPath: reflect field index path to the Header (for String)
}

type headerMode uint8

const (
	headerAtOffset headerMode = iota
	headerAlongPath
	headerByMethod
)

var headerType = reflect.TypeFor[Header]()

// NewLocator returns the Locator for T, and false if values of T carry no
// header: T is not a pointer type implementing Object. (A value type that
// implements Object is not treated as carrying one: copying a header would
// copy its ownership.) It never calls a method on a value whose embedded
// pointers are nil, so it does not panic for any type.
func NewLocator[T any]() (Locator[T], bool) {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Pointer || !t.Implements(reflect.TypeFor[Object]()) {
		return Locator[T]{}, false
	}
	elem := t.Elem()
	if elem.Kind() != reflect.Struct {
		return Locator[T]{mode: headerByMethod}, true
	}
	path, indirect, ok := embeddedHeaderPath(elem)
	if !ok {
		return Locator[T]{mode: headerByMethod}, true
	}
	// Build a value whose embedded pointers along the path are set, and
	// check that OwnershipHeader returns the header the path leads to: if
	// T defines its own method, it may return some other header.
	p := reflect.New(elem)
	field := p.Elem()
	for _, i := range path {
		if field.Kind() == reflect.Pointer {
			// Embedded fields of unexported types are not settable through
			// reflect; set the pointer through its address instead.
			target := reflect.NewAt(field.Type(), unsafe.Pointer(field.UnsafeAddr())).Elem()
			target.Set(reflect.New(field.Type().Elem()))
			field = field.Elem()
		}
		field = field.Field(i)
	}
	want := (*Header)(unsafe.Pointer(field.UnsafeAddr()))
	if got, ok := callOwnershipHeader(p.Interface()); !ok || got != want {
		return Locator[T]{mode: headerByMethod}, true
	}
	if indirect {
		hops, off := pathOffsets(elem, path)
		return Locator[T]{mode: headerAlongPath, hops: hops, offset: off, path: path}, true
	}
	return Locator[T]{mode: headerAtOffset, offset: uintptr(unsafe.Pointer(want)) - p.Pointer()}, true
}

// embeddedHeaderPath finds the shallowest embedded Header in
// struct type t, by Go's promotion rule (breadth first; two at the same
// depth are ambiguous and promote nothing). indirect reports whether the
// path goes through an embedded pointer.
func embeddedHeaderPath(t reflect.Type) (path []int, indirect, ok bool) {
	type node struct {
		t        reflect.Type
		path     []int
		indirect bool
	}
	level := []node{{t: t}}
	for len(level) > 0 {
		var next []node
		found := 0
		for _, n := range level {
			for i := range n.t.NumField() {
				f := n.t.Field(i)
				if !f.Anonymous {
					continue
				}
				ft, ind := f.Type, n.indirect
				if ft.Kind() == reflect.Pointer {
					ft, ind = ft.Elem(), true
				}
				p := append(append([]int(nil), n.path...), i)
				if ft == headerType {
					found++
					path, indirect = p, ind
					continue
				}
				if ft.Kind() == reflect.Struct {
					next = append(next, node{t: ft, path: p, indirect: ind})
				}
			}
		}
		if found == 1 {
			return path, indirect, true
		}
		if found > 1 {
			return nil, false, false
		}
		level = next
	}
	return nil, false, false
}

// pathOffsets turns a field index path from struct type t into the offset
// of each embedded pointer on the way (each relative to the struct that
// holds it, the previous pointer's target) and the offset of the header in
// the last pointer's target.
func pathOffsets(t reflect.Type, path []int) (hops []uintptr, off uintptr) {
	for _, i := range path {
		f := t.Field(i)
		off += f.Offset
		t = f.Type
		if t.Kind() == reflect.Pointer {
			hops = append(hops, off)
			off, t = 0, t.Elem()
		}
	}
	return hops, off
}

// Header returns v's header, or nil when v has none: a nil pointer, or a
// nil embedded pointer on the way to the header. l must come from
// NewLocator[T] reporting true.
func (l *Locator[T]) Header(v T) *Header {
	p := *(*unsafe.Pointer)(unsafe.Pointer(&v)) // T is a pointer type: v is one word
	if p == nil {
		return nil
	}
	if l.mode == headerAtOffset {
		return (*Header)(unsafe.Add(p, l.offset))
	}
	if l.mode == headerAlongPath && len(l.hops) == 1 { // a Region's node
		if p = *(*unsafe.Pointer)(unsafe.Add(p, l.hops[0])); p == nil {
			return nil
		}
		return (*Header)(unsafe.Add(p, l.offset))
	}
	return l.slow(v)
}

// slow is Header for the two rarer ways, kept out of line so that Header
// inlines.
func (l *Locator[T]) slow(v T) *Header {
	switch l.mode {
	case headerAlongPath:
		p := *(*unsafe.Pointer)(unsafe.Pointer(&v))
		for _, off := range l.hops {
			// A plain load of the embedded pointer: the value's holder
			// must not be racing with a write of it (a node moved between
			// regions while others may read it: region.go).
			if p = *(*unsafe.Pointer)(unsafe.Add(p, off)); p == nil {
				return nil // a nil embedded pointer: no header to move
			}
		}
		return (*Header)(unsafe.Add(p, l.offset))
	default:
		h, _ := callOwnershipHeader(any(v))
		return h
	}
}

// callOwnershipHeader calls v's OwnershipHeader method. A method that
// dereferences a nil pointer on the way to its header (as the promoted
// method of an embedded pointer does when that pointer is nil) has no
// header to give: it reports false, and the object is sent as a plain
// value, like a nil pointer. Any other panic is the method's own and is
// not swallowed.
func callOwnershipHeader(v any) (h *Header, ok bool) {
	defer func() {
		if e := recover(); e != nil {
			if re, isRuntime := e.(runtime.Error); isRuntime && strings.Contains(re.Error(), "nil pointer dereference") {
				h, ok = nil, false
				return
			}
			panic(e)
		}
	}()
	return v.(Object).OwnershipHeader(), true
}

// String says how l finds the header: "at offset N", "along embedded
// pointers [i j]", or "by method".
func (l Locator[T]) String() string {
	switch l.mode {
	case headerAtOffset:
		return fmt.Sprintf("at offset %d", l.offset)
	case headerAlongPath:
		return fmt.Sprintf("along embedded pointers %v", l.path)
	default:
		return "by method"
	}
}
