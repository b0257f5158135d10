package endpoint

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/handoff-go/handoff/ownership"
)

// SenderParts is what channel.Make and Sender.Clone give a sender: its
// first field. The public endpoint types keep their parts in their first
// field, so that channel.Make can fill in an endpoint of another package
// without that package exporting a constructor (see PartsOf).
type SenderParts[T any] struct {
	St   *State[T]
	Lane *Lane[T] // the sender's own ring: it is its only producer
	// Owner owns the endpoint and the objects it sends; To owns the
	// receiving endpoint and is the new owner of every object sent. Both
	// are nil for element types without an ownership header, unless set
	// by option.
	Owner, To *ownership.Owner
	// FreshOwner: Owner was made for this endpoint (by Make or Clone) and
	// is retired by its Close.
	FreshOwner bool
}

// ReceiverParts is what channel.Make gives a receiver: its first field.
type ReceiverParts[T any] struct {
	St *State[T]
	// Owner owns the endpoint and every object received through it.
	Owner *ownership.Owner
	// FreshOwner: Owner was made for this endpoint by Make and is retired
	// by its Close.
	FreshOwner bool
	// HasHeader is St.HasHeader, kept beside the receiver's own fields
	// (and beside FreshOwner: one word for the two).
	HasHeader bool
	// Shared is nil while the channel has one receiver; the first
	// Receiver.Clone sets it in the cloned receiver (by that receiver's
	// goroutine) and in every clone (see Consumers).
	Shared *Consumers
	// Flag is this receiver's own closed state (receivers.go), here so that
	// a Selector can watch it while it waits for a channel's door.
	Flag ReceiverFlag
}

// PartsOf returns the parts P that public endpoint e keeps as its first
// field. A pointer to a struct points to its first field too (offset 0),
// so the conversion is valid as long as that field has type P: each
// endpoint package checks it once, at init, with MustLeadWith.
func PartsOf[P, E any](e *E) *P {
	return (*P)(unsafe.Pointer(e))
}

// MustLeadWith panics unless struct type E has a first field of type P at
// offset 0: the layout PartsOf relies on.
func MustLeadWith[E, P any]() {
	e, p := reflect.TypeFor[E](), reflect.TypeFor[P]()
	if e.Kind() != reflect.Struct || e.NumField() == 0 || e.Field(0).Type != p || e.Field(0).Offset != 0 {
		panic(fmt.Sprintf("endpoint: %v must have %v as its first field", e, p))
	}
}
