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

// A ring whose consumer publishes with a release store behaves as any
// other; only a producer that sleeps on a full ring must re-check with
// Producer.FullAfterAnnounce (see its example).
func ExampleWithReleasePublish() {
	r := ringbuffer.New[int](2, ringbuffer.WithReleasePublish())
	tx, rx := r.Producer(), r.Consumer()
	tx.PushBatch([]int{1, 2})
	v, _ := rx.TryPop()
	fmt.Println(v, tx.Room())
	// Output: 1 1
}

// The producer's goroutine keeps the ring's Producer view, the consumer's
// goroutine its Consumer view: a pop through the Producer does not compile.
func ExampleRing_Producer() {
	r := ringbuffer.New[int](2)
	tx := r.Producer() // for the producing goroutine only
	tx.TryPush(1)
	fmt.Println(r.Len())
	// Output: 1
}

func ExampleRing_Consumer() {
	r := ringbuffer.New[int](2)
	r.Producer().TryPush(7)
	rx := r.Consumer() // for the consuming goroutine only
	fmt.Println(rx.TryPop())
	// Output: 7 true
}

func ExampleProducer_TryPush() {
	tx := ringbuffer.New[int](2).Producer()
	fmt.Println(tx.TryPush(1), tx.TryPush(2), tx.TryPush(3)) // the third does not fit
	// Output: true true false
}

func ExampleConsumer_TryPop() {
	r := ringbuffer.New[string](2)
	tx, rx := r.Producer(), r.Consumer()
	tx.TryPush("first")
	tx.TryPush("second")
	for {
		v, ok := rx.TryPop()
		if !ok {
			break // empty
		}
		fmt.Println(v)
	}
	// Output:
	// first
	// second
}

func ExampleProducer_PushBatch() {
	tx := ringbuffer.New[int](4).Producer()
	items := []int{1, 2, 3, 4, 5, 6}
	n := tx.PushBatch(items) // as many as fit, published at once
	fmt.Println(n, "pushed; left over:", items[n:])
	// Output: 4 pushed; left over: [5 6]
}

func ExampleConsumer_PopBatch() {
	r := ringbuffer.New[int](8)
	r.Producer().PushBatch([]int{10, 20, 30})
	dst := make([]int, 5)
	n := r.Consumer().PopBatch(dst) // up to len(dst), oldest first
	fmt.Println(n, dst[:n])
	// Output: 3 [10 20 30]
}

func ExampleRing_Len() {
	r := ringbuffer.New[int](4)
	tx, rx := r.Producer(), r.Consumer()
	tx.TryPush(1)
	tx.TryPush(2)
	fmt.Println("len", r.Len(), "cap", r.Cap(), "room", tx.Room())
	rx.TryPop()
	fmt.Println("len", r.Len(), "cap", r.Cap(), "room", tx.Room())
	// Output:
	// len 2 cap 4 room 2
	// len 1 cap 4 room 3
}

func ExampleRing_Cap() {
	r := ringbuffer.New[byte](1000)
	fmt.Println(r.Cap())
	// Output: 1000
}

func ExampleProducer_Room() {
	tx := ringbuffer.New[int](3).Producer()
	tx.TryPush(1)
	fmt.Println(tx.Room()) // the producer may push this many without failing
	// Output: 2
}

func ExampleProducer_Full() {
	tx := ringbuffer.New[int](1).Producer()
	fmt.Println(tx.Full())
	tx.TryPush(1)
	fmt.Println(tx.Full()) // a TryPush now would fail
	// Output:
	// false
	// true
}

// A producer that sleeps while the ring is full first announces that it
// will sleep (a sequentially consistent store the consumer loads after
// each pop), then re-checks with FullAfterAnnounce, and sleeps only if
// the ring is still full; the consumer wakes it after its next pop.
func ExampleProducer_FullAfterAnnounce() {
	r := ringbuffer.New[int](1, ringbuffer.WithReleasePublish())
	tx := r.Producer()
	tx.TryPush(1)
	// waiting.Store(true) would come here.
	fmt.Println(tx.FullAfterAnnounce()) // full: sleep
	r.Consumer().TryPop()               // the consumer pops, loads waiting, wakes the producer
	fmt.Println(tx.FullAfterAnnounce())
	// Output:
	// true
	// false
}

func ExampleConsumer_Empty() {
	r := ringbuffer.New[int](1)
	rx := r.Consumer()
	fmt.Println(rx.Empty()) // a TryPop now would fail
	r.Producer().TryPush(1)
	fmt.Println(rx.Empty())
	// Output:
	// true
	// false
}

func ExampleRing_Pushed() {
	r := ringbuffer.New[int](2)
	tx, rx := r.Producer(), r.Consumer()
	tx.PushBatch([]int{1, 2})
	rx.TryPop()
	tx.TryPush(3)
	fmt.Println("pushed", r.Pushed(), "popped", r.Popped(), "len", r.Len())
	// Output: pushed 3 popped 1 len 2
}

func ExampleRing_Popped() {
	r := ringbuffer.New[int](4)
	r.Producer().PushBatch([]int{1, 2, 3})
	r.Consumer().PopBatch(make([]int, 2))
	fmt.Println(r.Popped())
	// Output: 2
}

// A producer goroutine and a consumer goroutine share one ring, each
// through its own view. Each spins with a yield when the ring is full or
// empty; the channel packages of this module layer blocking on top of the
// ring instead.
func Example_producerConsumer() {
	r := ringbuffer.New[int](4)
	done := make(chan struct{})
	go func(tx ringbuffer.Producer[int]) { // producer
		defer close(done)
		for i := 1; i <= 10; {
			if tx.TryPush(i) {
				i++
			} else {
				runtime.Gosched()
			}
		}
	}(r.Producer())
	rx := r.Consumer()
	sum := 0
	for got := 0; got < 10; { // consumer
		if v, ok := rx.TryPop(); ok {
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

// CachedReady and CachedRoom are what each side knows without touching
// the other side's cache line: the consumer's cached count of items, the
// producer's cached count of free slots. A consumer that finds
// CachedReady() == 0 knows its next pop will reload the producer's index,
// and may choose to wait a moment first so that the producer publishes a
// run of items.
func ExampleConsumer_CachedReady() {
	r := ringbuffer.New[int](4)
	tx, rx := r.Producer(), r.Consumer()
	tx.TryPush(1)
	tx.TryPush(2)
	fmt.Println(rx.CachedReady()) // the consumer has not looked yet
	v, _ := rx.TryPop()           // this pop reloads the producer's index: 2 items
	fmt.Println(v, rx.CachedReady())
	// Output:
	// 0
	// 1 1
}

func ExampleProducer_CachedRoom() {
	r := ringbuffer.New[int](4)
	tx, rx := r.Producer(), r.Consumer()
	fmt.Println(tx.CachedRoom()) // an empty ring: every slot is known free
	tx.TryPush(1)
	fmt.Println(tx.CachedRoom())
	rx.TryPop()
	fmt.Println(tx.CachedRoom()) // the producer has not reloaded the consumer's index yet
	fmt.Println(tx.Room(), tx.CachedRoom())
	// Output:
	// 4
	// 3
	// 3
	// 4 4
}

// A consumer that stops for good can drop what is still queued without
// handing any slot back to the producer.
func ExampleConsumer_ClearQueued() {
	r := ringbuffer.New[[]byte](2)
	tx, rx := r.Producer(), r.Consumer()
	tx.TryPush(make([]byte, 1<<20))
	tx.TryPush(make([]byte, 1<<20))
	fmt.Println(rx.ClearQueued(), r.Len(), tx.Full())
	v, _ := rx.TryPop()
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
	tx, rx := r.Producer(), r.Consumer()
	tx.TryPush("a")
	fmt.Println(r.Close(), r.Closed(), tx.TryPush("b"))
	v, _ := rx.TryPop()
	fmt.Println(v, rx.Drained())
	// Output:
	// true true false
	// a true
}

// Closed tells a failed push on a closed ring from one on a full ring.
func ExampleRing_Closed() {
	r := ringbuffer.New[int](1)
	tx := r.Producer()
	tx.TryPush(1)
	fmt.Println(tx.TryPush(2), r.Closed()) // full
	r.Close()
	fmt.Println(tx.TryPush(2), r.Closed()) // closed
	// Output:
	// false false
	// false true
}

func ExampleConsumer_Drained() {
	r := ringbuffer.New[int](2)
	r.Producer().TryPush(1)
	r.Close()
	rx := r.Consumer()
	fmt.Println(rx.Drained()) // closed, but an item is left
	rx.TryPop()
	fmt.Println(rx.Drained())
	// Output:
	// false
	// true
}
