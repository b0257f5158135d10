package endpoint

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"unsafe"

	"github.com/handoff-go/handoff/ownership"
)

// headerLocator finds the ownership header of a T that carries one. It is
// decided once, by locateHeader, in one of three ways:
//
//   - at a fixed offset inside the struct T points to, when the header is
//     embedded by value, at any depth (the common case: one add, no call);
//   - along a path of embedded fields that passes through pointers
//     (type Outer struct{ *Inner }), looked up with reflect at each send;
//     if one of those pointers is nil the object has no header and is
//     sent as a plain value;
//   - by calling T's own OwnershipHeader method, when T defines one that
//     is not promoted from an embedded Header; a call that dereferences a
//     nil pointer means the object has no header, as above.
type headerLocator struct {
	mode   headerMode
	offset uintptr // headerAtOffset
	path   []int   // headerAlongPath: reflect field index path to the Header
}

type headerMode uint8

const (
	headerAtOffset headerMode = iota
	headerAlongPath
	headerByMethod
)

var headerType = reflect.TypeFor[ownership.Header]()

// locateHeader decides how to find the header of a T (a pointer type
// implementing ownership.Object). It never calls a method on a zero value
// whose embedded pointers are nil, so it cannot panic for any type Make
// accepts.
func locateHeader[T any]() headerLocator {
	elem := reflect.TypeFor[T]().Elem()
	if elem.Kind() != reflect.Struct {
		return headerLocator{mode: headerByMethod}
	}
	path, indirect, ok := embeddedHeaderPath(elem)
	if !ok {
		return headerLocator{mode: headerByMethod}
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
	want := (*ownership.Header)(unsafe.Pointer(field.UnsafeAddr()))
	if got, ok := callOwnershipHeader(p.Interface()); !ok || got != want {
		return headerLocator{mode: headerByMethod}
	}
	if indirect {
		return headerLocator{mode: headerAlongPath, path: path}
	}
	return headerLocator{mode: headerAtOffset, offset: uintptr(unsafe.Pointer(want)) - p.Pointer()}
}

// embeddedHeaderPath finds the shallowest embedded ownership.Header in
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

// header returns v's header, or nil when v has none: a nil pointer, or an
// embedded pointer on the way to the header that is nil.
func (l *headerLocator) header(v any, p unsafe.Pointer) *ownership.Header {
	switch l.mode {
	case headerAtOffset:
		return (*ownership.Header)(unsafe.Add(p, l.offset))
	case headerAlongPath:
		f, err := reflect.ValueOf(v).Elem().FieldByIndexErr(l.path)
		if err != nil {
			return nil // a nil embedded pointer: no header to move
		}
		return (*ownership.Header)(unsafe.Pointer(f.UnsafeAddr()))
	default:
		h, _ := callOwnershipHeader(v)
		return h
	}
}

// callOwnershipHeader calls v's OwnershipHeader method. A method that
// dereferences a nil pointer on the way to its header (as the promoted
// method of an embedded pointer does when that pointer is nil) has no
// header to give: it reports false, and the object is sent as a plain
// value, like a nil pointer. Any other panic is the method's own and is
// not swallowed.
func callOwnershipHeader(v any) (h *ownership.Header, ok bool) {
	defer func() {
		if e := recover(); e != nil {
			if re, isRuntime := e.(runtime.Error); isRuntime && strings.Contains(re.Error(), "nil pointer dereference") {
				h, ok = nil, false
				return
			}
			panic(e)
		}
	}()
	return v.(ownership.Object).OwnershipHeader(), true
}

// String describes the locator, for tests and panics.
func (l headerLocator) String() string {
	switch l.mode {
	case headerAtOffset:
		return fmt.Sprintf("at offset %d", l.offset)
	case headerAlongPath:
		return fmt.Sprintf("along embedded pointers %v", l.path)
	default:
		return "by method"
	}
}
