package sender_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/handoff-go/handoff"
	"sort"
	"sync"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
)

func ExampleSender_Send() {
	tx, rx := channel.Make[string](2)
	fmt.Println(tx.Send("hello"))
	v, _ := rx.Recv()
	fmt.Println(v)
	// Output:
	// <nil>
	// hello
}

func ExampleSender_SendContext() {
	tx, _ := channel.Make[int](1)
	_ = tx.Send(1) // full now, and nobody receives
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := tx.SendContext(ctx, 2)
	fmt.Println(errors.Is(err, context.Canceled), tx.Len())
	// Output: true 1
}

func ExampleSender_TrySend() {
	tx, _ := channel.Make[int](1)
	fmt.Println(tx.TrySend(1))
	fmt.Println(errors.Is(tx.TrySend(2), handoff.ErrFull))
	// Output:
	// <nil>
	// true
}

func ExampleSender_SendBatch() {
	tx, rx := channel.Make[int](8)
	n, err := tx.SendBatch([]int{1, 2, 3})
	fmt.Println(n, err, rx.Len())
	// Output: 3 <nil> 3
}

func ExampleSender_SendBatchContext() {
	tx, _ := channel.Make[int](2)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// Two items fit without waiting; the third would wait, and ctx is done.
	n, err := tx.SendBatchContext(ctx, []int{1, 2, 3})
	fmt.Println(n, errors.Is(err, context.Canceled))
	// Output: 2 true
}

func ExampleSender_Close() {
	tx, rx := channel.Make[int](2)
	_ = tx.Send(1)
	fmt.Println(tx.Close())
	fmt.Println(errors.Is(tx.Send(2), handoff.ErrClosed), errors.Is(tx.Close(), handoff.ErrClosed))
	for v := range rx.All() {
		fmt.Println("received", v)
	}
	// Output:
	// <nil>
	// true true
	// received 1
}

func ExampleSender_Closed() {
	tx, rx := channel.Make[int](1)
	fmt.Println(tx.Closed())
	_ = rx.Close() // the receiver disconnects
	fmt.Println(tx.Closed())
	// Output:
	// false
	// true
}

func ExampleSender_Clone() {
	tx, rx := channel.Make[int](4)
	tx2, _ := tx.Clone() // a second producer, with a lane of its own
	var wg sync.WaitGroup
	for i, s := range []*channel.Sender[int]{tx, tx2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = s.Send(i)
			_ = s.Close()
		}()
	}
	var got []int
	for v := range rx.All() { // ends once both senders closed
		got = append(got, v)
	}
	wg.Wait()
	sort.Ints(got)
	fmt.Println(got)
	// Output: [0 1]
}

type page struct {
	ownership.Header
	text string
}

func ExampleSender_CloneOwned() {
	tx, rx := channel.Make[*page](4)
	worker := ownership.NewNamedOwner("worker")
	defer worker.Close()
	tx2, _ := tx.CloneOwned(worker) // the clone sends what worker owns
	p := &page{text: "from the worker"}
	_ = worker.Adopt(&p.Header)
	fmt.Println(tx2.Send(p), tx2.Owner().Name())
	got, _ := rx.Recv()
	fmt.Println(got.text, rx.Owner().Owns(&got.Header))
	// Output:
	// <nil> worker
	// from the worker true
}

func ExampleSender_Owner() {
	tx, _ := channel.Make[*page](1)
	p := &page{}
	_ = tx.Owner().Adopt(&p.Header) // objects are sent by the sender's owner
	fmt.Println(tx.Send(p))
	fmt.Println(errors.Is(tx.Owner().Check(&p.Header), ownership.ErrNotOwner)) // use after send
	plain, _ := channel.Make[int](1)
	fmt.Println(plain.Owner() == nil) // no header, no owner
	// Output:
	// <nil>
	// true
	// true
}

func ExampleSender_Len() {
	tx, _ := channel.Make[int](4)
	_ = tx.Send(1)
	_ = tx.Send(2)
	fmt.Println(tx.Len(), tx.Cap())
	// Output: 2 4
}

func ExampleSender_Cap() {
	tx, _ := channel.Make[int](16)
	fmt.Println(tx.Cap())
	// Output: 16
}

func ExampleSender_Stats() {
	tx, rx := channel.Make[int](4)
	_, _ = tx.SendBatch([]int{1, 2, 3})
	rx.Recv()
	st := tx.Stats()
	fmt.Println(st.Sent, st.Received)
	// Output: 3 1
}
