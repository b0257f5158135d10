package ringbuffer_test

import (
	"fmt"
	"runtime"

	"github.com/handoff-go/handoff/ringbuffer"
)

func ExampleNew() {
	// Capacity is exact: a ring of 3 holds 3 items, not a power of two.
	r := ringbuffer.New[string](3)
	fmt.Println(r.Cap(), r.Len())
	// Output: 3 0
}

func ExampleRing_TryPush() {
	r := ringbuffer.New[int](2)
	fmt.Println(r.TryPush(1), r.TryPush(2), r.TryPush(3)) // the third does not fit
	// Output: true true false
}

func ExampleRing_TryPop() {
	r := ringbuffer.New[string](2)
	r.TryPush("first")
	r.TryPush("second")
	for {
		v, ok := r.TryPop()
		if !ok {
			break // empty
		}
		fmt.Println(v)
	}
	// Output:
	// first
	// second
}

func ExampleRing_PushBatch() {
	r := ringbuffer.New[int](4)
	items := []int{1, 2, 3, 4, 5, 6}
	n := r.PushBatch(items) // as many as fit, published at once
	fmt.Println(n, "pushed; left over:", items[n:])
	// Output: 4 pushed; left over: [5 6]
}

func ExampleRing_PopBatch() {
	r := ringbuffer.New[int](8)
	r.PushBatch([]int{10, 20, 30})
	dst := make([]int, 5)
	n := r.PopBatch(dst) // up to len(dst), oldest first
	fmt.Println(n, dst[:n])
	// Output: 3 [10 20 30]
}

func ExampleRing_Len() {
	r := ringbuffer.New[int](4)
	r.TryPush(1)
	r.TryPush(2)
	fmt.Println("len", r.Len(), "cap", r.Cap(), "free", r.Free())
	r.TryPop()
	fmt.Println("len", r.Len(), "cap", r.Cap(), "free", r.Free())
	// Output:
	// len 2 cap 4 free 2
	// len 1 cap 4 free 3
}

func ExampleRing_Cap() {
	r := ringbuffer.New[byte](1000)
	fmt.Println(r.Cap())
	// Output: 1000
}

func ExampleRing_Free() {
	r := ringbuffer.New[int](3)
	r.TryPush(1)
	fmt.Println(r.Free()) // the producer may push this many without failing
	// Output: 2
}

func ExampleRing_Full() {
	r := ringbuffer.New[int](1)
	fmt.Println(r.Full())
	r.TryPush(1)
	fmt.Println(r.Full()) // a TryPush now would fail
	// Output:
	// false
	// true
}

func ExampleRing_Empty() {
	r := ringbuffer.New[int](1)
	fmt.Println(r.Empty()) // a TryPop now would fail
	r.TryPush(1)
	fmt.Println(r.Empty())
	// Output:
	// true
	// false
}

func ExampleRing_Pushed() {
	r := ringbuffer.New[int](2)
	r.PushBatch([]int{1, 2})
	r.TryPop()
	r.TryPush(3)
	fmt.Println("pushed", r.Pushed(), "popped", r.Popped(), "len", r.Len())
	// Output: pushed 3 popped 1 len 2
}

func ExampleRing_Popped() {
	r := ringbuffer.New[int](4)
	r.PushBatch([]int{1, 2, 3})
	r.PopBatch(make([]int, 2))
	fmt.Println(r.Popped())
	// Output: 2
}

// A producer goroutine and a consumer goroutine share one ring. Each spins
// with a yield when the ring is full or empty; the channel packages of this
// module layer blocking on top of the ring instead.
func Example_producerConsumer() {
	r := ringbuffer.New[int](4)
	done := make(chan struct{})
	go func() { // producer
		defer close(done)
		for i := 1; i <= 10; {
			if r.TryPush(i) {
				i++
			} else {
				runtime.Gosched()
			}
		}
	}()
	sum := 0
	for got := 0; got < 10; { // consumer
		if v, ok := r.TryPop(); ok {
			sum += v
			got++
		} else {
			runtime.Gosched()
		}
	}
	<-done
	fmt.Println(sum)
	// Output: 55
}

// Ready and Room are what each side knows without touching the other
// side's cache line: the consumer's cached count of items, the producer's
// cached count of free slots. A consumer that finds Ready() == 0 knows its
// next pop will reload the producer's index, and may choose to wait a
// moment first so that the producer publishes a run of items.
func ExampleRing_Ready() {
	r := ringbuffer.New[int](4)
	r.TryPush(1)
	r.TryPush(2)
	fmt.Println(r.Ready()) // the consumer has not looked yet
	v, _ := r.TryPop()     // this pop reloads the producer's index: 2 items
	fmt.Println(v, r.Ready())
	// Output:
	// 0
	// 1 1
}

func ExampleRing_Room() {
	r := ringbuffer.New[int](4)
	fmt.Println(r.Room()) // an empty ring: every slot is known free
	r.TryPush(1)
	fmt.Println(r.Room())
	r.TryPop()
	fmt.Println(r.Room()) // the producer has not reloaded the consumer's index yet
	fmt.Println(r.Free(), r.Room())
	// Output:
	// 4
	// 3
	// 3
	// 4 4
}

// A consumer that stops for good can drop what is still queued without
// handing any slot back to the producer.
func ExampleRing_ClearQueued() {
	r := ringbuffer.New[[]byte](2)
	r.TryPush(make([]byte, 1<<20))
	r.TryPush(make([]byte, 1<<20))
	fmt.Println(r.ClearQueued(), r.Len(), r.Full())
	v, _ := r.TryPop()
	fmt.Println(v == nil)
	// Output:
	// 2 2 true
	// true
}

// Close comes from any goroutine: pushes fail from then on, the consumer
// still pops what was pushed before, and Drained tells it that nothing
// more will ever come.
func ExampleRing_Close() {
	r := ringbuffer.New[string](4)
	r.TryPush("a")
	fmt.Println(r.Close(), r.Closed(), r.TryPush("b"))
	v, _ := r.TryPop()
	fmt.Println(v, r.Drained())
	// Output:
	// true true false
	// a true
}
