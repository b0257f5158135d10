package main

import (
	"fmt"
	"time"

	"github.com/handoff-go/handoff/channel"
)

func main() {
	const N = 5_000_000
	for r := 0; r < 3; r++ {
		tx, rx := channel.Make[int](1024)
		start := time.Now()
		go func() {
			for i := 0; i < N; i++ {
				_ = tx.Send(i)
			}
		}()
		for i := 0; i < N; i++ {
			rx.Recv()
		}
		el := time.Since(start)
		s := rx.Stats()
		fmt.Printf("%.1f ns/item  %+v\n", float64(el.Nanoseconds())/N, s)
		ch := make(chan int, 1024)
		start = time.Now()
		go func() {
			for i := 0; i < N; i++ {
				ch <- i
			}
		}()
		for i := 0; i < N; i++ {
			<-ch
		}
		fmt.Printf("chan %.1f ns/item\n", float64(time.Since(start).Nanoseconds())/N)
	}
}
