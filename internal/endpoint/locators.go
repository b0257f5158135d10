package endpoint

import (
	"reflect"
	"sync"

	"github.com/handoff-go/handoff/ownership"
)

// locators caches one ownership.Locator per element type: a
// reflect.Type -> *ownership.Locator[T] map, written once per type.
var locators sync.Map

// locatorFor returns the shared Locator of T's ownership header, and
// whether T carries one. Building a Locator inspects T by reflection (and,
// for a pointer to a struct, builds a value to check its
// OwnershipHeader method); a program that makes a channel per request
// pays that once per type instead of at every Make, and every channel of
// T shares the one Locator (read only after it is built), so a State
// keeps a pointer where it kept a 64-byte Locator.
func locatorFor[T any]() (*ownership.Locator[T], bool) {
	t := reflect.TypeFor[T]()
	if l, ok := locators.Load(t); ok {
		loc := l.(*ownership.Locator[T])
		return loc, loc != nil
	}
	loc, ok := ownership.NewLocator[T]()
	var stored *ownership.Locator[T]
	if ok {
		stored = &loc
	}
	l, _ := locators.LoadOrStore(t, stored)
	loc2 := l.(*ownership.Locator[T])
	return loc2, loc2 != nil
}
