package suite

import (
	"runtime"

	"github.com/handoff-go/handoff/channel"
	"github.com/puzpuzpuz/xsync/v3"
)

// pingPongScenario: a round trip through two capacity-1 queues; the
// echoing goroutine sends back what it receives.
func pingPongScenario() Scenario {
	return Scenario{
		Name:     "pingpong",
		Kind:     Channel,
		Title:    "ping-pong round trip",
		Unit:     "round trip",
		Baseline: "chan",
		Cases: func(Env) []Case {
			return []Case{
				{Scenario: "pingpong", Impl: "handoff", Run: pingPongHandoff},
				{Scenario: "pingpong", Impl: "chan", Baseline: true, Run: pingPongChan},
				{Scenario: "pingpong", Impl: "xsync SPSCQueueOf", Run: pingPongXsync},
				{Scenario: "pingpong", Impl: "mutex+cond", Run: pingPongCond},
			}
		},
	}
}

func pingPongHandoff(t *Timer, n int) { pingPongHandoffCap(t, n, 1) }

// pingPongHandoffCap is the round trip over two handoff channels of the
// given capacity (pingpong0 runs it unbuffered).
func pingPongHandoffCap(t *Timer, n, capacity int) {
	pingTx, pingRx := channel.Make[int](capacity)
	pongTx, pongRx := channel.Make[int](capacity)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for v := range pingRx.All() {
			_ = pongTx.Send(v)
		}
	}()
	t.Start()
	for i := range n {
		_ = pingTx.Send(i)
		pongRx.Recv()
	}
	t.Stop()
	_ = pingTx.Close()
	<-done
}

func pingPongChan(t *Timer, n int) { pingPongChanCap(t, n, 1) }

// pingPongChanCap is pingPongHandoffCap on Go channels.
func pingPongChanCap(t *Timer, n, capacity int) {
	ping, pong := make(chan int, capacity), make(chan int, capacity)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for v := range ping {
			pong <- v
		}
	}()
	t.Start()
	for i := range n {
		ping <- i
		<-pong
	}
	t.Stop()
	close(ping)
	<-done
}

func pingPongXsync(t *Timer, n int) {
	ping, pong := xsync.NewSPSCQueueOf[int](1), xsync.NewSPSCQueueOf[int](1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range n {
			var v int
			for {
				var ok bool
				if v, ok = ping.TryDequeue(); ok {
					break
				}
				runtime.Gosched()
			}
			for !pong.TryEnqueue(v) {
				runtime.Gosched()
			}
		}
	}()
	t.Start()
	for i := range n {
		for !ping.TryEnqueue(i) {
			runtime.Gosched()
		}
		for {
			if _, ok := pong.TryDequeue(); ok {
				break
			}
			runtime.Gosched()
		}
	}
	t.Stop()
	<-done
}

func pingPongCond(t *Timer, n int) {
	ping, pong := NewCondQueue[int](1), NewCondQueue[int](1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			v, ok := ping.Get()
			if !ok {
				return
			}
			pong.Put(v)
		}
	}()
	t.Start()
	for i := range n {
		ping.Put(i)
		pong.Get()
	}
	t.Stop()
	ping.Close()
	<-done
}
