package channel_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/handoff-go/handoff"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
)

// Page is an owned object: a pointer to a struct that embeds
// ownership.Header. Sending a *Page moves its ownership.
type Page struct {
	ownership.Header
	text string
}

// Make is make(chan T, n): it returns the two ends of the channel.
func ExampleMake() {
	tx, rx := channel.Make[string](2)
	fmt.Println(tx.Cap(), rx.Cap())
	_ = tx.Send("hello")
	fmt.Println(rx.Len())
	v, ok := rx.Recv()
	fmt.Println(v, ok)
	// Output:
	// 2 2
	// 1
	// hello true
}

// A producer goroutine sends, the consumer receives: ch <- v and
// v, ok := <-ch.
func ExampleMake_sendRecv() {
	tx, rx := channel.Make[int](4)
	go func() {
		for i := 1; i <= 3; i++ {
			if err := tx.Send(i * i); err != nil {
				panic(err)
			}
		}
		tx.Close()
	}()
	for {
		v, ok := rx.Recv()
		if !ok {
			break
		}
		fmt.Println(v)
	}
	// Output:
	// 1
	// 4
	// 9
}

// TrySend and TryRecv never wait: they report ErrFull and ErrEmpty, like a
// select with a default case.
func ExampleMake_trySendTryRecv() {
	tx, rx := channel.Make[int](1)
	fmt.Println(tx.TrySend(1))
	fmt.Println(errors.Is(tx.TrySend(2), handoff.ErrFull))
	v, err := rx.TryRecv()
	fmt.Println(v, err)
	_, err = rx.TryRecv()
	fmt.Println(errors.Is(err, handoff.ErrEmpty))
	// Output:
	// <nil>
	// true
	// 1 <nil>
	// true
}

// All ranges over the channel until it is closed and drained, like
// for v := range ch.
func ExampleMake_range() {
	tx, rx := channel.Make[string](8)
	for _, w := range []string{"parse", "transform", "sink"} {
		_ = tx.Send(w)
	}
	tx.Close()
	for w := range rx.All() {
		fmt.Println(w)
	}
	// Output:
	// parse
	// transform
	// sink
}

// Close: the receiver drains what is buffered, then sees the channel
// closed. Sending after close, or closing twice, is an error, not a panic.
func ExampleMake_close() {
	tx, rx := channel.Make[int](2)
	_ = tx.Send(1)
	fmt.Println(tx.Close())
	fmt.Println(tx.Send(2))
	fmt.Println(tx.Close())
	v, ok := rx.Recv()
	fmt.Println(v, ok)
	v, ok = rx.Recv()
	fmt.Println(v, ok)
	_, err := rx.TryRecv()
	fmt.Println(err)
	// Output:
	// <nil>
	// channel: closed
	// channel: closed
	// 1 true
	// 0 false
	// channel: closed
}

// A receiver that stops early closes its end: senders get ErrClosed
// instead of blocking forever.
func ExampleMake_disconnect() {
	tx, rx := channel.Make[int](1)
	_ = tx.Send(1)
	rx.Close()
	fmt.Println(tx.Send(2))
	// Output:
	// channel: closed
}

// SendContext and RecvContext wait only as long as the context allows.
func ExampleMake_context() {
	tx, rx := channel.Make[int](1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // an operation that would have to wait now fails at once

	fmt.Println(tx.SendContext(ctx, 1)) // a slot is free: no waiting needed
	fmt.Println(tx.SendContext(ctx, 2)) // full: it would wait
	v, err := rx.RecvContext(ctx)
	fmt.Println(v, err)
	_, err = rx.RecvContext(ctx) // empty: it would wait
	fmt.Println(errors.Is(err, context.Canceled))
	// Output:
	// <nil>
	// context canceled
	// 1 <nil>
	// true
}

// RecvBatch takes everything that is buffered, up to len(dst), at once.
func ExampleMake_recvBatch() {
	tx, rx := channel.Make[int](8)
	for i := 0; i < 5; i++ {
		_ = tx.Send(i)
	}
	tx.Close()
	dst := make([]int, 3)
	for {
		n, ok := rx.RecvBatch(dst)
		if !ok {
			break
		}
		fmt.Println(dst[:n])
	}
	// Output:
	// [0 1 2]
	// [3 4]
}

// Sending an owned object moves it to the receiver's owner; the sender's
// later use is an error instead of a data race.
func ExampleMake_ownershipTransfer() {
	tx, rx := channel.Make[*Page](1)
	p := &Page{text: "draft"}
	_ = tx.Owner().Adopt(&p.Header) // the sending side owns p
	p.text = "final"                // owned: plain writes are fine
	_ = tx.Send(p)

	err := tx.Owner().Check(&p.Header) // use after send
	fmt.Println(errors.Is(err, ownership.ErrNotOwner))
	var noe *ownership.NotOwnerError
	if errors.As(err, &noe) {
		fmt.Println(noe.Holder.Kind, noe.Holder.Owner == rx.Owner().ID())
	}

	got, _ := rx.Recv()
	fmt.Println(rx.Owner().Owns(&got.Header), got.text)
	// Output:
	// true
	// owned true
	// true final
}

// With RejectUnowned, a send of an object the sender does not own is
// refused (instead of stolen first), and nothing changes.
func ExampleRejectUnowned() {
	tx, _ := channel.Make[*Page](1, channel.RejectUnowned())
	other := ownership.NewOwner()
	defer other.Close()
	p := &Page{}
	_ = other.Adopt(&p.Header)

	err := tx.Send(p)
	fmt.Println(errors.Is(err, ownership.ErrNotOwner))
	fmt.Println(tx.Len(), other.Owns(&p.Header))
	// Output:
	// true
	// 0 true
}

// WithSenderOwner lets a goroutine's existing owner send what it owns,
// without stealing; WithReceiverOwner names who gets the objects.
func ExampleWithSenderOwner() {
	producer, consumer := ownership.NewOwner(), ownership.NewOwner()
	defer producer.Close()
	defer consumer.Close()
	tx, rx := channel.Make[*Page](4,
		channel.WithSenderOwner(producer),
		channel.WithReceiverOwner(consumer))
	fmt.Println(tx.Owner() == producer, rx.Owner() == consumer)

	p := &Page{text: "page 1"}
	_ = producer.Adopt(&p.Header)
	_ = tx.Send(p)
	got, _ := rx.Recv()
	fmt.Println(producer.Owns(&p.Header), consumer.Owns(&got.Header))
	fmt.Println(tx.Stats().Stolen) // moved, not stolen
	// Output:
	// true true
	// false true
	// 0
}
