package channel_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/sender"
	"github.com/puzpuzpuz/xsync/v3"
)

// faninCap is the buffering per producer in the fan-in benchmarks: a
// handoff lane holds faninCap items, and the shared queue of the peers
// (chan, xsync) holds P*faninCap, so every implementation buffers the
// same number of items in total.
const faninCap = 1024

// faninBatch is the batch size of the batched handoff variant.
const faninBatch = 64

// faninShare returns how many of n items producer id of p sends.
func faninShare(n, p, id int) int {
	share := n / p
	if id < n%p {
		share++
	}
	return share
}

// BenchmarkFanIn moves b.N ints in total from P producer goroutines to
// the benchmark goroutine: ns/op is ns per item. handoff gives each
// producer a cloned Sender (a lane of its own); the peers share one
// queue: a buffered chan, and xsync's MPMCQueueOf, which has no blocking
// form (its sides spin with runtime.Gosched).
func BenchmarkFanIn(b *testing.B) {
	for _, p := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("P=%d/impl=handoff", p), func(b *testing.B) {
			benchFanInHandoff(b, p, 1)
		})
		b.Run(fmt.Sprintf("P=%d/impl=handoff-batch%d", p, faninBatch), func(b *testing.B) {
			benchFanInHandoff(b, p, faninBatch)
		})
		b.Run(fmt.Sprintf("P=%d/impl=chan", p), func(b *testing.B) {
			ch := make(chan int, p*faninCap)
			var wg sync.WaitGroup
			b.ReportAllocs()
			b.ResetTimer()
			for id := range p {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range faninShare(b.N, p, id) {
						ch <- i
					}
				}()
			}
			for range b.N {
				<-ch
			}
			b.StopTimer()
			wg.Wait()
		})
		b.Run(fmt.Sprintf("P=%d/impl=xsync", p), func(b *testing.B) {
			q := xsync.NewMPMCQueueOf[int](p * faninCap)
			var wg sync.WaitGroup
			b.ReportAllocs()
			b.ResetTimer()
			for id := range p {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range faninShare(b.N, p, id) {
						for !q.TryEnqueue(i) {
							runtime.Gosched()
						}
					}
				}()
			}
			for range b.N {
				for {
					if _, ok := q.TryDequeue(); ok {
						break
					}
					runtime.Gosched()
				}
			}
			b.StopTimer()
			wg.Wait()
		})
	}
}

// benchFanInHandoff: p producers on cloned senders, item by item
// (batch 1: Send/Recv) or with SendBatch/RecvBatch of batch items.
func benchFanInHandoff(b *testing.B, p, batch int) {
	tx, rx := channel.Make[int](faninCap)
	senders := []*sender.Sender[int]{tx}
	for len(senders) < p {
		c, err := tx.Clone()
		if err != nil {
			b.Fatal(err)
		}
		senders = append(senders, c)
	}
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for id, s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.Close()
			n := faninShare(b.N, p, id)
			if batch == 1 {
				for i := range n {
					_ = s.Send(i)
				}
				return
			}
			buf := make([]int, batch)
			for sent := 0; sent < n; {
				k := min(batch, n-sent)
				m, _ := s.SendBatch(buf[:k])
				sent += m
			}
		}()
	}
	if batch == 1 {
		for range b.N {
			rx.Recv()
		}
	} else {
		dst := make([]int, batch)
		for got := 0; got < b.N; {
			n, _ := rx.RecvBatch(dst)
			got += n
		}
	}
	b.StopTimer()
	wg.Wait()
}

// BenchmarkSelect receives b.N ints in total with one Selector over k
// channels, each fed by one producer goroutine; the peer is a native Go
// select over k buffered chans. ns/op is ns per item.
func BenchmarkSelect(b *testing.B) {
	for _, k := range []int{2, 4} {
		b.Run(fmt.Sprintf("cases=%d/impl=handoff", k), func(b *testing.B) {
			dst := make([]int, k)
			cases := make([]channel.Case, k)
			var wg sync.WaitGroup
			b.ReportAllocs()
			b.ResetTimer()
			for j := range k {
				tx, rx := channel.Make[int](faninCap)
				cases[j] = channel.On(rx, &dst[j])
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer tx.Close()
					for i := range faninShare(b.N, k, j) {
						_ = tx.Send(i)
					}
				}()
			}
			sel := channel.NewSelector(cases...)
			ctx := context.Background()
			for got := 0; got < b.N; {
				if _, err := sel.Select(ctx); err == nil {
					got++
				}
			}
			b.StopTimer()
			wg.Wait()
		})
		b.Run(fmt.Sprintf("cases=%d/impl=chan", k), func(b *testing.B) {
			chs := make([]chan int, k)
			var wg sync.WaitGroup
			b.ReportAllocs()
			b.ResetTimer()
			for j := range k {
				ch := make(chan int, faninCap)
				chs[j] = ch
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range faninShare(b.N, k, j) {
						ch <- i
					}
				}()
			}
			if k == 2 {
				for range b.N {
					select {
					case <-chs[0]:
					case <-chs[1]:
					}
				}
			} else {
				for range b.N {
					select {
					case <-chs[0]:
					case <-chs[1]:
					case <-chs[2]:
					case <-chs[3]:
					}
				}
			}
			b.StopTimer()
			wg.Wait()
		})
	}
}
