package suite

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/handoff-go/handoff/channel"
	"github.com/puzpuzpuz/xsync/v3"
)

// queueCap is the capacity of every queue in the channel scenarios, the
// same as channel/channel_bench_test.go's, so that implementations are
// compared at the same buffering.
const queueCap = 1024

// sink keeps the consumers' sums alive.
var sink atomic.Int64

// pipe is one producer -> consumer link, ready to run: produce sends n
// ints, consume receives n. Each loop is written out with its concrete
// types: no interface boxing, one indirect call per sample.
type pipe struct {
	produce func(n int)
	consume func(n int)
}

// pipeMaker sets up a fresh pipe (outside the timed part).
type pipeMaker func() pipe

func handoffPipe() pipe {
	tx, rx := channel.Make[int](queueCap)
	return pipe{
		produce: func(n int) {
			for i := range n {
				_ = tx.Send(i)
			}
		},
		consume: func(n int) {
			s := 0
			for range n {
				v, _ := rx.Recv()
				s += v
			}
			sink.Add(int64(s))
		},
	}
}

func handoffBatchPipe(batch int) pipeMaker {
	return func() pipe {
		tx, rx := channel.Make[int](queueCap)
		return pipe{
			produce: func(n int) { sendBatches(tx, batch, n) },
			consume: func(n int) { recvBatches(rx, batch, n) },
		}
	}
}

// sendBatches sends n ints over tx with SendBatch, batch at a time.
func sendBatches(tx *channel.Sender[int], batch, n int) {
	buf := make([]int, batch)
	for i := range buf {
		buf[i] = i
	}
	for sent := 0; sent < n; {
		k, _ := tx.SendBatch(buf[:min(batch, n-sent)])
		sent += k
	}
}

// recvBatches receives n ints from rx with RecvBatch, batch at a time.
func recvBatches(rx *channel.Receiver[int], batch, n int) {
	dst := make([]int, batch)
	s := 0
	for got := 0; got < n; {
		k, _ := rx.RecvBatch(dst[:min(batch, n-got)])
		for _, v := range dst[:k] {
			s += v
		}
		got += k
	}
	sink.Add(int64(s))
}

func chanPipe() pipe {
	ch := make(chan int, queueCap)
	return pipe{
		produce: func(n int) {
			for i := range n {
				ch <- i
			}
		},
		consume: func(n int) {
			s := 0
			for range n {
				s += <-ch
			}
			sink.Add(int64(s))
		},
	}
}

// tryQueue is what xsync's queues offer: non-blocking enqueue and
// dequeue, with no way to wait.
type tryQueue interface {
	TryEnqueue(int) bool
	TryDequeue() (int, bool)
}

// enqueueSpin enqueues v, yielding while q is full: the fairest wait a
// queue without a blocking form allows.
func enqueueSpin[Q tryQueue](q Q, v int) {
	for !q.TryEnqueue(v) {
		runtime.Gosched()
	}
}

// dequeueSpin dequeues one item, yielding while q is empty.
func dequeueSpin[Q tryQueue](q Q) int {
	for {
		if v, ok := q.TryDequeue(); ok {
			return v
		}
		runtime.Gosched()
	}
}

// spinPipe is a pipe over one of xsync's queues.
func spinPipe[Q tryQueue](q Q) pipe {
	return pipe{
		produce: func(n int) {
			for i := range n {
				enqueueSpin(q, i)
			}
		},
		consume: func(n int) {
			s := 0
			for range n {
				s += dequeueSpin(q)
			}
			sink.Add(int64(s))
		},
	}
}

func xsyncSPSCPipe() pipe { return spinPipe(xsync.NewSPSCQueueOf[int](queueCap)) }

func xsyncMPMCPipe() pipe { return spinPipe(xsync.NewMPMCQueueOf[int](queueCap)) }

func condPipe() pipe {
	q := NewCondQueue[int](queueCap)
	return pipe{
		produce: func(n int) {
			for i := range n {
				q.Put(i)
			}
		},
		consume: func(n int) {
			s := 0
			for range n {
				v, _ := q.Get()
				s += v
			}
			sink.Add(int64(s))
		},
	}
}

// runPipes sets up k pipes with mk, then times n items spread over them,
// each producer and consumer on its own goroutine.
func runPipes(t *Timer, mk pipeMaker, k, n int) {
	pipes := make([]pipe, k)
	for i := range pipes {
		pipes[i] = mk()
	}
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for i, p := range pipes {
		m := n / k
		if i < n%k {
			m++
		}
		wg.Add(2)
		go func() { defer wg.Done(); <-gate; p.produce(m) }()
		go func() { defer wg.Done(); <-gate; p.consume(m) }()
	}
	t.Start()
	close(gate)
	wg.Wait()
	t.Stop()
}
