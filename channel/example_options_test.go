package channel_test

import (
	"fmt"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
)

// WithReceiverOwner makes received objects arrive owned by an owner the
// program chose, here the one a worker goroutine already uses.
func ExampleWithReceiverOwner() {
	worker := ownership.NewNamedOwner("worker")
	defer worker.Close()
	tx, rx := channel.Make[*Page](1, channel.WithReceiverOwner(worker))
	p := &Page{}
	_ = tx.Owner().Adopt(&p.Header)
	_ = tx.Send(p)
	got, _ := rx.Recv()
	fmt.Println(rx.Owner().Name(), worker.Owns(&got.Header))
	// Output: worker true
}

// On is one receive of a Selector: where the item goes when that case
// fires.
func ExampleOn() {
	txA, rxA := channel.Make[int](1)
	_, rxB := channel.Make[string](1)
	var a int
	var b string
	sel := channel.NewSelector(channel.On(rxA, &a), channel.On(rxB, &b))
	_ = txA.Send(5)
	i, err := sel.TrySelect()
	fmt.Println(i, err, a)
	// Output: 0 <nil> 5
}
