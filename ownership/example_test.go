package ownership_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/handoff-go/handoff/ownership"
)

// buffer is an object: it embeds a Header.
type buffer struct {
	ownership.Header
	data []byte
}

func ExampleNewOwner() {
	o := ownership.NewOwner()
	got, ok := ownership.Lookup(o.ID())
	fmt.Println(got == o, ok, o.Closed())
	o.Close()
	_, ok = ownership.Lookup(o.ID())
	fmt.Println(ok, o.Closed())
	// Output:
	// true true false
	// false true
}

func ExampleLookup() {
	o := ownership.NewOwner()
	defer o.Close()
	if v, ok := ownership.Lookup(o.ID()); ok {
		fmt.Println("live:", v == o)
	}
	// Output: live: true
}

func ExampleOwner_Owns() {
	o := ownership.NewOwner()
	defer o.Close()
	b := &buffer{}
	fmt.Println(o.Owns(&b.Header))
	_ = o.Adopt(&b.Header)
	if o.Owns(&b.Header) { // valid until o's next preemption point
		b.data = append(b.data, "hello"...)
	}
	fmt.Println(o.Owns(&b.Header), string(b.data))
	// Output:
	// false
	// true hello
}

func ExampleOwner_Check() {
	a, b := ownership.NewOwner(), ownership.NewOwner()
	defer a.Close()
	defer b.Close()
	x := &buffer{}
	_ = a.Adopt(&x.Header)
	err := b.Check(&x.Header)
	var noe *ownership.NotOwnerError
	fmt.Println(errors.Is(err, ownership.ErrNotOwner), errors.As(err, &noe) && noe.Holder.Owner == a.ID())
	// Output: true true
}

func ExampleOwner_Adopt() {
	o := ownership.NewOwner()
	defer o.Close()
	b := &buffer{} // the zero Header is free
	fmt.Println(o.Adopt(&b.Header), b.State().Kind)
	// Output: <nil> owned
}

func ExampleOwner_Release() {
	o := ownership.NewOwner()
	defer o.Close()
	b := &buffer{}
	_ = o.Adopt(&b.Header)
	fmt.Println(o.Release(&b.Header))
	fmt.Println(errors.Is(o.Release(&b.Header), ownership.ErrNotOwner)) // double release
	// Output:
	// <nil>
	// true
}

func ExampleOwner_Transfer() {
	sender, receiver := ownership.NewOwner(), ownership.NewOwner()
	defer sender.Close()
	defer receiver.Close()
	b := &buffer{}
	_ = sender.Adopt(&b.Header)
	b.data = []byte("payload")
	_ = sender.Transfer(&b.Header, receiver) // one CAS: b now names the receiver
	fmt.Println(sender.Owns(&b.Header), receiver.Owns(&b.Header))
	fmt.Println(sender.Check(&b.Header) != nil) // the sender can no longer use b by mistake
	// Output:
	// false true
	// true
}

func ExampleOwner_TryTransfer() {
	sender, receiver := ownership.NewOwner(), ownership.NewOwner()
	defer sender.Close()
	defer receiver.Close()
	b := &buffer{}
	_ = sender.Adopt(&b.Header)
	fmt.Println(sender.TryTransfer(&b.Header, receiver)) // sender owned it: moved
	fmt.Println(sender.TryTransfer(&b.Header, receiver)) // no longer the sender's: refused
	fmt.Println(receiver.Owns(&b.Header))
	// Output:
	// true
	// false
	// true
}

func ExampleOwner_Steal() {
	victim, thief := ownership.NewOwner(), ownership.NewOwner()
	defer thief.Close()
	b := &buffer{}
	_ = victim.Adopt(&b.Header)

	stop, started, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() { // the victim works and reaches preemption points
		defer close(done)
		defer victim.Close()
		if victim.Owns(&b.Header) {
			b.data = append(b.data, "victim"...)
		}
		close(started)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if victim.Owns(&b.Header) {
				b.data = append(b.data[:0], "victim"...)
			}
			victim.Preempt()
		}
	}()
	<-started
	err := thief.Steal(context.Background(), &b.Header) // completes at the victim's next Preempt
	fmt.Println(err, string(b.data))
	close(stop)
	<-done
	// Output: <nil> victim
}

func ExampleOwner_TrySteal() {
	victim, thief := ownership.NewOwner(), ownership.NewOwner()
	defer victim.Close()
	defer thief.Close()
	b := &buffer{}
	_ = victim.Adopt(&b.Header)
	victim.Park() // blocked (say, in a channel receive): at a safepoint
	ok, err := thief.TrySteal(context.Background(), &b.Header)
	victim.Unpark()
	fmt.Println(ok, err, thief.Owns(&b.Header))
	// Output: true <nil> true
}

func ExampleOwner_Claim() {
	o, thief := ownership.NewOwner(), ownership.NewOwner()
	defer o.Close()
	defer thief.Close()
	x, y := &buffer{}, &buffer{}
	_ = o.Adopt(&x.Header)
	_ = o.Adopt(&y.Header)
	o.Park()
	_ = thief.Steal(context.Background(), &x.Header) // bumps o's epoch
	o.Unpark()
	fmt.Println(y.State().Kind, o.Owns(&y.Header))
	fmt.Println(o.Claim(&y.Header), o.Owns(&y.Header)) // one CAS re-claims a stale object
	fmt.Println(errors.Is(o.Claim(&x.Header), ownership.ErrOwned))
	// Output:
	// stale false
	// <nil> true
	// true
}

func ExampleOwner_Freeze() {
	a, b := ownership.NewOwner(), ownership.NewOwner()
	defer a.Close()
	defer b.Close()
	x := &buffer{data: []byte("config")}
	_ = a.Adopt(&x.Header)
	_ = a.Freeze(&x.Header)
	fmt.Println(a.CanRead(&x.Header), b.CanRead(&x.Header), a.Owns(&x.Header))
	// Output: true true false
}

func ExampleOwner_Thaw() {
	a := ownership.NewOwner()
	defer a.Close()
	x := &buffer{}
	_ = a.Adopt(&x.Header)
	_ = a.Freeze(&x.Header)
	// Thaw waits for every other live owner's next preemption point.
	fmt.Println(a.Thaw(context.Background(), &x.Header), a.Owns(&x.Header))
	// Output: <nil> true
}

func ExampleOwner_StealShared() {
	a, b := ownership.NewOwner(), ownership.NewOwner()
	defer a.Close()
	defer b.Close()
	x := &buffer{}
	_ = a.Adopt(&x.Header)
	a.Park()
	fmt.Println(b.StealShared(context.Background(), &x.Header), x.State())
	a.Unpark()
	// Output: <nil> frozen
}

func ExampleOwner_Preempt() {
	o := ownership.NewOwner()
	defer o.Close()
	x := &buffer{}
	_ = o.Adopt(&x.Header)
	for i := range 3 {
		if o.Owns(&x.Header) {
			x.data = append(x.data, byte('a'+i))
		}
		o.Preempt() // one atomic load when no thief is waiting
	}
	fmt.Println(string(x.data))
	// Output: abc
}

func ExampleOwner_Park() {
	o, thief := ownership.NewOwner(), ownership.NewOwner()
	defer o.Close()
	defer thief.Close()
	x := &buffer{}
	_ = o.Adopt(&x.Header)
	e := o.Epoch()
	o.Park() // about to block: a thief need not wait for us
	_ = thief.Steal(context.Background(), &x.Header)
	o.Unpark() // refreshes o's epoch
	fmt.Println(o.Epoch() == e+1, o.Owns(&x.Header), thief.Owns(&x.Header))
	// Output: true false true
}

func ExampleHeader_State() {
	o := ownership.NewOwner()
	defer o.Close()
	var h ownership.Header
	fmt.Println(h.State())
	_ = o.Freeze(&h) // not owned: refused
	_ = o.Adopt(&h)
	fmt.Println(h.State().Kind)
	_ = o.Freeze(&h)
	fmt.Println(h.State())
	// Output:
	// free
	// owned
	// frozen
}

func ExampleNewCell() {
	a, b := ownership.NewOwner(), ownership.NewOwner()
	defer a.Close()
	defer b.Close()
	c := ownership.NewCell(a, 41)
	if p, err := c.Borrow(a); err == nil {
		*p++
	}
	_, err := c.Borrow(b)
	fmt.Println(errors.Is(err, ownership.ErrNotOwner))
	_ = a.Transfer(&c.Header, b)
	v, err := c.Load(b)
	fmt.Println(v, err)
	// Output:
	// true
	// 42 <nil>
}

func ExampleNewNamedOwner() {
	parse := ownership.NewNamedOwner("parse")
	sink := ownership.NewNamedOwner("sink")
	defer parse.Close()
	defer sink.Close()

	var rec struct{ ownership.Header }
	_ = parse.Adopt(&rec.Header)
	_ = parse.Transfer(&rec.Header, sink)
	err := parse.Check(&rec.Header)
	fmt.Println(errors.Is(err, ownership.ErrNotOwner), sink.Name())
	fmt.Println(strings.Contains(err.Error(), `owned by owner`) && strings.Contains(err.Error(), `("sink")`))
	// Output:
	// true sink
	// true
}

// CanRead is the readers' check: an object is readable by its owner, or by
// anyone once it is frozen.
func ExampleOwner_CanRead() {
	a, b := ownership.NewOwner(), ownership.NewOwner()
	defer a.Close()
	defer b.Close()
	var obj struct{ ownership.Header }
	_ = a.Adopt(&obj.Header)
	fmt.Println(a.CanRead(&obj.Header), b.CanRead(&obj.Header))
	_ = a.Freeze(&obj.Header)
	fmt.Println(a.CanRead(&obj.Header), b.CanRead(&obj.Header))
	// Output:
	// true false
	// true true
}

// Close retires an owner: what it held becomes free for anyone to adopt.
func ExampleOwner_Close() {
	a, b := ownership.NewOwner(), ownership.NewOwner()
	defer b.Close()
	var obj struct{ ownership.Header }
	_ = a.Adopt(&obj.Header)
	a.Close()
	fmt.Println(a.Closed(), obj.Header.State().Kind)
	fmt.Println(b.Adopt(&obj.Header), b.Owns(&obj.Header))
	// Output:
	// true free
	// <nil> true
}

// Epoch moves when a thief makes the owner bump it; the owner's objects
// are then stale until it claims them again.
func ExampleOwner_Epoch() {
	victim, thief := ownership.NewOwner(), ownership.NewOwner()
	defer victim.Close()
	defer thief.Close()
	var x, y struct{ ownership.Header }
	_ = victim.Adopt(&x.Header)
	_ = victim.Adopt(&y.Header)
	before := victim.Epoch()
	victim.Park() // blocked elsewhere: the thief bumps on its behalf
	_ = thief.Steal(context.Background(), &x.Header)
	victim.Unpark()
	fmt.Println(victim.Epoch() != before, y.Header.State().Kind)
	fmt.Println(victim.Claim(&y.Header), victim.Owns(&y.Header))
	// Output:
	// true stale
	// <nil> true
}

// Borrow is the checked write access to a Cell; Load the checked read.
func ExampleCell_Borrow() {
	a, b := ownership.NewOwner(), ownership.NewOwner()
	defer a.Close()
	defer b.Close()
	c := ownership.NewCell(a, 1)
	p, err := c.Borrow(a)
	*p = 2
	fmt.Println(err)
	_, err = c.Borrow(b)
	fmt.Println(errors.Is(err, ownership.ErrNotOwner))
	v, _ := c.Load(a)
	fmt.Println(v)
	// Output:
	// <nil>
	// true
	// 2
}
