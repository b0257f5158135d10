package suite

import "github.com/handoff-go/handoff/channel"

// makeScenario: the life of a small channel that a program makes per
// request, per call or per goroutine (a result channel, a done signal):
// make it with capacity 1, send one item, receive it, drop it. One item
// is one channel; the allocation columns are its bytes and allocations.
// Each case runs at GOMAXPROCS 1 and at the pass's GOMAXPROCS (Param).
func makeScenario() Scenario {
	return Scenario{
		Name:     "make",
		Kind:     Channel,
		Title:    "make a capacity-1 channel, send one, receive one, drop it",
		Unit:     "channel",
		Baseline: "chan",
		Cases:    casesByProcs("make", makeHandoff, makeChan),
	}
}

func makeHandoff(t *Timer, n int) {
	s := 0
	t.Start()
	for i := range n {
		tx, rx := channel.Make[int](1)
		_ = tx.Send(i)
		v, _ := rx.Recv()
		s += v
	}
	t.Stop()
	sink.Add(int64(s))
}

func makeChan(t *Timer, n int) {
	s := 0
	t.Start()
	for i := range n {
		ch := make(chan int, 1)
		ch <- i
		s += <-ch
	}
	t.Stop()
	sink.Add(int64(s))
}
