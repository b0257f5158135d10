package suite

import (
	"context"

	"github.com/handoff-go/handoff/channel"
)

// pingPong0Scenario: the ping-pong round trip over two unbuffered
// channels (handoff's Make(0), Go's make(chan int)): each send completes
// only together with its receive, so every item is one rendezvous.
func pingPong0Scenario() Scenario {
	return Scenario{
		Name:     "pingpong0",
		Kind:     Channel,
		Title:    "ping-pong round trip, unbuffered",
		Unit:     "round trip",
		Baseline: "chan",
		About: "Both channels unbuffered (capacity 0): a send returns only once the receiver " +
			"has taken the item, so each round trip is two rendezvous.",
		Cases: func(Env) []Case {
			return []Case{
				{Scenario: "pingpong0", Impl: "handoff", Run: pingPong0Handoff},
				{Scenario: "pingpong0", Impl: "chan", Baseline: true, Run: pingPong0Chan},
			}
		},
	}
}

func pingPong0Handoff(t *Timer, n int) { pingPongHandoffCap(t, n, 0) }

func pingPong0Chan(t *Timer, n int) { pingPongChanCap(t, n, 0) }

// selectSendScenario: a producer that sends every item through a select
// with a send case and a receive case that never becomes ready (the usual
// "send, or stop when told" loop), to a consumer that receives item by
// item, over a buffered channel of capacity 64.
func selectSendScenario() Scenario {
	return Scenario{
		Name:     "selectsend",
		Kind:     Channel,
		Title:    "select with a send case (send or stop), capacity 64",
		Unit:     "item",
		Baseline: "chan",
		About: "Each item is sent by a select with two cases: the send, and a receive from a " +
			"stop channel that stays empty; the consumer receives item by item.",
		Cases: func(Env) []Case {
			return []Case{
				{Scenario: "selectsend", Impl: "handoff Selector", Run: selectSendHandoff},
				{Scenario: "selectsend", Impl: "chan select", Baseline: true, Run: selectSendChan},
			}
		},
	}
}

func selectSendHandoff(t *Timer, n int) {
	tx, rx := channel.Make[int](64)
	stopTx, stopRx := channel.Make[struct{}](1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range n {
			rx.Recv()
		}
	}()
	var v int
	var stop struct{}
	sel := channel.NewSelector(channel.SendTo(tx, &v), channel.On(stopRx, &stop))
	t.Start()
	for i := range n {
		v = i
		if k, err := sel.Select(context.Background()); err != nil || k != 0 {
			panic("selectsend: the send case must be chosen")
		}
	}
	<-done
	t.Stop()
	_ = tx.Close()
	_ = stopTx.Close()
}

func selectSendChan(t *Timer, n int) {
	ch, stop := make(chan int, 64), make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range n {
			<-ch
		}
	}()
	t.Start()
	for i := range n {
		select {
		case ch <- i:
		case <-stop:
			panic("selectsend: stop is never closed")
		}
	}
	<-done
	t.Stop()
}
