package ownership_test

import (
	"errors"
	"fmt"

	"github.com/handoff-go/handoff/ownership"
)

// HandOver is a send's ownership step. An object the sender owns moves at
// once; one another live owner holds goes as it is, its holder asked to
// let go at its next preemption point, after which the receiving side
// claims it with one CAS.
func ExampleOwner_HandOver() {
	sender, receiver, holder := ownership.NewOwner(), ownership.NewOwner(), ownership.NewOwner()
	defer sender.Close()
	defer receiver.Close()
	defer holder.Close()

	mine, theirs := &buffer{}, &buffer{}
	_ = sender.Adopt(&mine.Header)
	_ = holder.Adopt(&theirs.Header)

	moved, err := sender.HandOver(&mine.Header, receiver, false)
	fmt.Println(moved, err, receiver.Owns(&mine.Header))

	moved, err = sender.HandOver(&theirs.Header, receiver, false)
	fmt.Println(moved, err, theirs.State().Kind) // not moved: holder was asked
	holder.Preempt()                             // the holder's next preemption point
	fmt.Println(receiver.TryClaim(&theirs.Header))

	// With reject, an object the sender does not own is refused instead.
	_, err = holder.HandOver(&theirs.Header, sender, true)
	fmt.Println(errors.Is(err, ownership.ErrNotOwner))
	// Output:
	// true <nil> true
	// false <nil> owned
	// true
	// true
}

// Recall gives back an object whose hand-over did not happen: a send that
// moved ownership, then found the channel closed before publishing it.
func ExampleOwner_Recall() {
	sender, receiver := ownership.NewOwner(), ownership.NewOwner()
	defer sender.Close()
	defer receiver.Close()
	b := &buffer{}
	_ = sender.Adopt(&b.Header)
	_ = sender.Transfer(&b.Header, receiver)
	// ... the publish failed: the receiver's goroutine never saw b.
	fmt.Println(sender.Recall(&b.Header, receiver), sender.Owns(&b.Header))
	// Output: true true
}

// Retire asks an owner to close itself at its goroutine's next preemption
// point, from any goroutine, without waiting for it.
func ExampleOwner_Retire() {
	worker := ownership.NewOwner()
	b := &buffer{}
	_ = worker.Adopt(&b.Header)

	done := make(chan struct{})
	go func() { // a supervisor
		worker.Retire()
		close(done)
	}()
	<-done
	fmt.Println(worker.Closed(), worker.Owns(&b.Header)) // live until its next preemption point
	worker.Preempt()
	fmt.Println(worker.Closed(), b.State().Kind) // closed: its objects are free to claim
	// Output:
	// false true
	// true free
}

// TryClaim is the re-claim loop's step after a bump: it takes what is free
// or stale and says which objects it could not have, without allocating.
func ExampleOwner_TryClaim() {
	a, b := ownership.NewOwner(), ownership.NewOwner()
	defer a.Close()
	defer b.Close()
	free, held := &buffer{}, &buffer{}
	_ = b.Adopt(&held.Header)
	fmt.Println(a.TryClaim(&free.Header), a.TryClaim(&held.Header))
	// Output: true false
}

// RequestRelease asks an object's owner to give it up at its next
// preemption point, without waiting; afterwards the object is stale and
// anyone may claim it.
func ExampleRequestRelease() {
	holder, taker := ownership.NewOwner(), ownership.NewOwner()
	defer holder.Close()
	defer taker.Close()
	b := &buffer{}
	_ = holder.Adopt(&b.Header)
	fmt.Println(ownership.RequestRelease(&b.Header), taker.TryClaim(&b.Header))
	holder.Preempt() // answers the request: b is stale from here on
	fmt.Println(holder.Owns(&b.Header), taker.TryClaim(&b.Header))
	// Output:
	// true false
	// false true
}

// Load copies a cell's value out for its owner, or for anyone once frozen.
func ExampleCell_Load() {
	a, b := ownership.NewOwner(), ownership.NewOwner()
	defer a.Close()
	defer b.Close()
	c := ownership.NewCell(a, "config v1")
	v, err := c.Load(a)
	fmt.Println(v, err)
	_, err = c.Load(b)
	fmt.Println(errors.Is(err, ownership.ErrNotOwner))
	_ = a.Freeze(&c.Header)
	v, err = c.Load(b) // frozen: readable by everyone
	fmt.Println(v, err)
	// Output:
	// config v1 <nil>
	// true
	// config v1 <nil>
}

// A NotOwnerError says who asked and what state the object was in; its Err
// is the precise reason.
func ExampleNotOwnerError() {
	a, b := ownership.NewNamedOwner("a"), ownership.NewNamedOwner("b")
	defer a.Close()
	defer b.Close()
	x := &buffer{}
	_ = a.Adopt(&x.Header)
	_ = a.Freeze(&x.Header)
	err := b.Claim(&x.Header) // frozen objects are read by all, claimed by none
	var noe *ownership.NotOwnerError
	if errors.As(err, &noe) {
		fmt.Println(noe.CallerName, noe.Holder.Kind, errors.Is(err, ownership.ErrFrozen))
	}
	// Output: b frozen true
}
