package channel_test

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"

	"github.com/handoff-go/handoff/channel"
	"github.com/handoff-go/handoff/ownership"
	"github.com/puzpuzpuz/xsync/v3"
)

// benchCap is the capacity of every queue in these benchmarks, so that the
// implementations are compared at the same buffering.
const benchCap = 1024

// BenchmarkSPSC moves b.N ints from one producer goroutine to the
// benchmark goroutine: ns/op is ns per item. The peers are a buffered chan
// and xsync's SPSCQueueOf (which has no blocking form: its side spins
// with runtime.Gosched when full or empty, the fairest wait it offers).
func BenchmarkSPSC(b *testing.B) {
	b.Run("impl=chan/batch=1", func(b *testing.B) {
		ch := make(chan int, benchCap)
		b.ReportAllocs()
		go func() {
			for i := 0; i < b.N; i++ {
				ch <- i
			}
		}()
		for i := 0; i < b.N; i++ {
			<-ch
		}
	})
	b.Run("impl=xsync/batch=1", func(b *testing.B) {
		q := xsync.NewSPSCQueueOf[int](benchCap)
		b.ReportAllocs()
		go func() {
			for i := 0; i < b.N; i++ {
				for !q.TryEnqueue(i) {
					runtime.Gosched()
				}
			}
		}()
		for i := 0; i < b.N; i++ {
			for {
				if _, ok := q.TryDequeue(); ok {
					break
				}
				runtime.Gosched()
			}
		}
	})
	b.Run("impl=handoff/batch=1", func(b *testing.B) {
		tx, rx := channel.Make[int](benchCap)
		b.ReportAllocs()
		go func() {
			for i := 0; i < b.N; i++ {
				_ = tx.Send(i)
			}
		}()
		for i := 0; i < b.N; i++ {
			rx.Recv()
		}
	})
	for _, batch := range []int{16, 64, 256} {
		b.Run("impl=handoff/batch="+strconv.Itoa(batch), func(b *testing.B) {
			tx, rx := channel.Make[int](benchCap)
			b.ReportAllocs()
			go func() {
				buf := make([]int, batch)
				for sent := 0; sent < b.N; {
					n := min(batch, b.N-sent)
					_, _ = tx.SendBatch(buf[:n])
					sent += n
				}
			}()
			dst := make([]int, batch)
			for got := 0; got < b.N; {
				n, _ := rx.RecvBatch(dst)
				got += n
			}
		})
	}
}

// Buf is an owned buffer: *Buf carries an ownership header, so a send
// moves its ownership.
type Buf struct {
	ownership.Header
	n    int
	data []byte
}

// plainBuf is the same buffer without a header: sends copy the pointer.
type plainBuf struct {
	n    int
	data []byte
}

// BenchmarkOwnership measures the cost of ownership transfer: buffers
// circulate producer -> consumer -> producer over two channels, and each
// side writes a buffer (its counter, then payload bytes) before sending it
// on. ns/op is per buffer round (two sends, two receives). "off" is the
// same circulation with a header-less type. The transfer is one CAS on the
// header, which sits on a cache line the other side wrote last: with no
// payload, that exposed line transfer is most of the difference; with a
// payload both sides pay for moving the buffer's lines anyway.
func BenchmarkOwnership(b *testing.B) {
	const pool = 256
	for _, payload := range []int{0, 1 << 10, 16 << 10} {
		src := make([]byte, payload)
		b.Run(fmt.Sprintf("payload=%d/transfer=off", payload), func(b *testing.B) {
			fwdTx, fwdRx := channel.Make[*plainBuf](pool)
			backTx, backRx := channel.Make[*plainBuf](pool)
			for range pool {
				_ = backTx.Send(&plainBuf{data: make([]byte, payload)})
			}
			circulate(b, fwdTx, fwdRx, backTx, backRx, func(p *plainBuf) { p.n++; copy(p.data, src) })
		})
		b.Run(fmt.Sprintf("payload=%d/transfer=on", payload), func(b *testing.B) {
			prod, cons := ownership.NewOwner(), ownership.NewOwner()
			defer prod.Close()
			defer cons.Close()
			fwdTx, fwdRx := channel.Make[*Buf](pool, channel.WithSenderOwner(prod), channel.WithReceiverOwner(cons))
			backTx, backRx := channel.Make[*Buf](pool, channel.WithSenderOwner(cons), channel.WithReceiverOwner(prod))
			for range pool {
				p := &Buf{data: make([]byte, payload)}
				if err := cons.Adopt(&p.Header); err != nil {
					b.Fatal(err)
				}
				if err := backTx.Send(p); err != nil {
					b.Fatal(err)
				}
			}
			circulate(b, fwdTx, fwdRx, backTx, backRx, func(p *Buf) { p.n++; copy(p.data, src) })
		})
	}
}

// circulate runs b.N buffer rounds: the benchmark goroutine takes a buffer
// from back, touches it and sends it on fwd; a second goroutine takes it
// from fwd, touches it and sends it back. It returns once the second
// goroutine is done, so that owners closed by the caller are no longer in
// use.
func circulate[T any](b *testing.B, fwdTx *channel.Sender[T], fwdRx *channel.Receiver[T],
	backTx *channel.Sender[T], backRx *channel.Receiver[T], touch func(T)) {
	b.ReportAllocs()
	b.ResetTimer()
	done := make(chan error)
	go func() {
		for i := 0; i < b.N; i++ {
			p, _ := fwdRx.Recv()
			touch(p)
			if err := backTx.Send(p); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for i := 0; i < b.N; i++ {
		p, _ := backRx.Recv()
		touch(p)
		if err := fwdTx.Send(p); err != nil {
			b.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPingPong measures a round trip: the benchmark goroutine sends
// one item and waits for the echo. ns/op is ns per round trip.
func BenchmarkPingPong(b *testing.B) {
	b.Run("impl=chan", func(b *testing.B) {
		ping, pong := make(chan int, 1), make(chan int, 1)
		b.ReportAllocs()
		go func() {
			for v := range ping {
				pong <- v
			}
		}()
		for i := 0; i < b.N; i++ {
			ping <- i
			<-pong
		}
		close(ping)
	})
	b.Run("impl=handoff", func(b *testing.B) {
		pingTx, pingRx := channel.Make[int](1)
		pongTx, pongRx := channel.Make[int](1)
		b.ReportAllocs()
		go func() {
			for v := range pingRx.All() {
				_ = pongTx.Send(v)
			}
		}()
		for i := 0; i < b.N; i++ {
			_ = pingTx.Send(i)
			pongRx.Recv()
		}
		_ = pingTx.Close()
	})
}
