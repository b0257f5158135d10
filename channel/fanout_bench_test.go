package channel_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/handoff-go/handoff/channel"
)

// BenchmarkFanOut moves b.N ints from the benchmark goroutine to P
// consumer goroutines that each take the next item (a worker pool):
// ns/op is ns per item. handoff gives each consumer a Receiver clone; chan
// is shared by all.
func BenchmarkFanOut(b *testing.B) {
	for _, p := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("P=%d/impl=handoff", p), func(b *testing.B) { benchFanOutHandoff(b, p, 1) })
		b.Run(fmt.Sprintf("P=%d/impl=handoff-batch%d", p, faninBatch), func(b *testing.B) {
			benchFanOutHandoff(b, p, faninBatch)
		})
		b.Run(fmt.Sprintf("P=%d/impl=chan", p), func(b *testing.B) {
			ch := make(chan int, faninCap)
			var wg sync.WaitGroup
			b.ReportAllocs()
			b.ResetTimer()
			for range p {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range ch {
					}
				}()
			}
			for i := range b.N {
				ch <- i
			}
			close(ch)
			wg.Wait()
		})
	}
}

func benchFanOutHandoff(b *testing.B, p, batch int) {
	tx, rx := channel.Make[int](faninCap)
	rxs := []*channel.Receiver[int]{rx}
	for len(rxs) < p {
		c, err := rx.Clone()
		if err != nil {
			b.Fatal(err)
		}
		rxs = append(rxs, c)
	}
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for _, r := range rxs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if batch == 1 {
				for range r.All() {
				}
				return
			}
			dst := make([]int, batch)
			for {
				if _, ok := r.RecvBatch(dst); !ok {
					return
				}
			}
		}()
	}
	if batch == 1 {
		for i := range b.N {
			_ = tx.Send(i)
		}
	} else {
		buf := make([]int, batch)
		for sent := 0; sent < b.N; {
			k, _ := tx.SendBatch(buf[:min(batch, b.N-sent)])
			sent += k
		}
	}
	_ = tx.Close()
	wg.Wait()
}
