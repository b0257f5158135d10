package receiver_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/handoff-go/handoff"
	"time"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
)

func ExampleReceiver_Recv() {
	tx, rx := channel.Make[int](2)
	_ = tx.Send(7)
	_ = tx.Close()
	v, ok := rx.Recv()
	fmt.Println(v, ok)
	v, ok = rx.Recv() // closed and drained, like v, ok := <-ch
	fmt.Println(v, ok)
	// Output:
	// 7 true
	// 0 false
}

func ExampleReceiver_RecvContext() {
	_, rx := channel.Make[int](1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	_, err := rx.RecvContext(ctx) // nothing is ever sent
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	// Output: true
}

func ExampleReceiver_TryRecv() {
	tx, rx := channel.Make[int](1)
	_, err := rx.TryRecv()
	fmt.Println(errors.Is(err, handoff.ErrEmpty))
	_ = tx.Send(1)
	v, err := rx.TryRecv()
	fmt.Println(v, err)
	_ = tx.Close()
	_, err = rx.TryRecv()
	fmt.Println(errors.Is(err, handoff.ErrClosed))
	// Output:
	// true
	// 1 <nil>
	// true
}

func ExampleReceiver_RecvBatch() {
	tx, rx := channel.Make[int](8)
	_, _ = tx.SendBatch([]int{1, 2, 3, 4, 5})
	dst := make([]int, 4)
	n, ok := rx.RecvBatch(dst)
	fmt.Println(dst[:n], ok)
	// Output: [1 2 3 4] true
}

func ExampleReceiver_RecvBatchContext() {
	tx, rx := channel.Make[int](8)
	_ = tx.Send(1)
	_ = tx.Close()
	dst := make([]int, 4)
	n, err := rx.RecvBatchContext(context.Background(), dst)
	fmt.Println(dst[:n], err)
	_, err = rx.RecvBatchContext(context.Background(), dst)
	fmt.Println(errors.Is(err, handoff.ErrClosed))
	// Output:
	// [1] <nil>
	// true
}

func ExampleReceiver_All() {
	tx, rx := channel.Make[string](4)
	go func() {
		for _, s := range []string{"a", "b", "c"} {
			_ = tx.Send(s)
		}
		_ = tx.Close()
	}()
	for s := range rx.All() { // like for s := range ch
		fmt.Print(s)
	}
	fmt.Println()
	// Output: abc
}

func ExampleReceiver_Close() {
	tx, rx := channel.Make[int](4)
	_ = tx.Send(1)
	fmt.Println(rx.Close()) // disconnect: the buffered item is discarded
	fmt.Println(errors.Is(tx.Send(2), handoff.ErrClosed), rx.Stats().Discarded)
	// Output:
	// <nil>
	// true 1
}

func ExampleReceiver_Closed() {
	tx, rx := channel.Make[int](2)
	_ = tx.Send(1)
	_ = tx.Close()
	fmt.Println(rx.Closed(), rx.Len()) // closed, with an item still to drain
	// Output: true 1
}

type note struct {
	ownership.Header
	text string
}

func ExampleReceiver_Owner() {
	tx, rx := channel.Make[*note](1)
	n := &note{text: "hi"}
	_ = tx.Owner().Adopt(&n.Header)
	_ = tx.Send(n)
	got, _ := rx.Recv()
	fmt.Println(got.text, rx.Owner().Owns(&got.Header)) // arrives owned: no steal
	// Output: hi true
}

func ExampleReceiver_Len() {
	tx, rx := channel.Make[int](4)
	_ = tx.Send(1)
	fmt.Println(rx.Len(), rx.Cap())
	// Output: 1 4
}

func ExampleReceiver_Cap() {
	_, rx := channel.Make[int](8)
	fmt.Println(rx.Cap())
	// Output: 8
}

func ExampleReceiver_Stats() {
	tx, rx := channel.Make[int](4)
	_ = tx.Send(1)
	rx.Recv()
	st := rx.Stats()
	fmt.Println(st.Sent, st.Received, st.Lanes)
	// Output: 1 1 1
}

func ExampleReceiver_Chan() {
	tx, rx := channel.Make[int](4)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := rx.Chan(ctx, 0) // for a native select
	_ = tx.Send(42)
	_ = tx.Close()
	select {
	case v := <-ch:
		fmt.Println(v)
	case <-ctx.Done():
	}
	_, ok := <-ch // closed once the handoff channel is drained
	fmt.Println(ok)
	// Output:
	// 42
	// false
}
