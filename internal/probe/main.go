package main

import (
	"fmt"
	"time"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
)

type Buf struct {
	ownership.Header
	n int
}

func main() {
	const N = 2_000_000
	const pool = 256
	for r := 0; r < 2; r++ {
		prod, cons := ownership.NewOwner(), ownership.NewOwner()
		fwdTx, fwdRx := channel.Make[*Buf](pool, channel.WithSenderOwner(prod), channel.WithReceiverOwner(cons))
		backTx, backRx := channel.Make[*Buf](pool, channel.WithSenderOwner(cons), channel.WithReceiverOwner(prod))
		for range pool {
			p := &Buf{}
			_ = cons.Adopt(&p.Header)
			_ = backTx.Send(p)
		}
		done := make(chan struct{})
		start := time.Now()
		go func() {
			for i := 0; i < N; i++ {
				p, _ := fwdRx.Recv()
				p.n++
				_ = backTx.Send(p)
			}
			close(done)
		}()
		for i := 0; i < N; i++ {
			p, _ := backRx.Recv()
			p.n++
			_ = fwdTx.Send(p)
		}
		<-done
		fmt.Printf("%.1f ns/round fwd %+v\n back %+v\n", float64(time.Since(start).Nanoseconds())/N, fwdRx.Stats(), backRx.Stats())
	}
}
