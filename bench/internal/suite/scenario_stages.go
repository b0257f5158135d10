package suite

import (
	"strconv"

	"github.com/handoff-go/handoff/channel"
)

// stageCount is the length of the stages pipeline.
const stageCount = 1000

// stagesScenario: a pipeline of stageCount forwarding stages, one
// goroutine each, joined by capacity-1 channels; a source pushes the
// items in and a sink takes them out. One item is one item through all
// the stages. The pipeline is built before the timer starts and torn down
// (closed from the source, drained stage by stage) inside it, since its
// end is the last item's arrival. Each case runs at GOMAXPROCS 1 and at
// the pass's GOMAXPROCS (Param).
func stagesScenario() Scenario {
	return Scenario{
		Name:     "stages",
		Kind:     Channel,
		Title:    strconv.Itoa(stageCount) + " forwarding stages, capacity 1",
		Unit:     "item",
		Baseline: "chan",
		About: "Every stage receives and sends each item on, so every item wakes every stage: " +
			"like the sieve, a measure of waiting, not of moving.",
		Cases: casesByProcs("stages", stagesHandoff, stagesChan),
	}
}

func stagesHandoff(t *Timer, n int) {
	first, in := channel.Make[int](1)
	for range stageCount {
		out, next := channel.Make[int](1)
		go func(in *channel.Receiver[int], out *channel.Sender[int]) {
			for v := range in.All() {
				_ = out.Send(v)
			}
			_ = out.Close()
		}(in, out)
		in = next
	}
	t.Start()
	go func() {
		for i := range n {
			_ = first.Send(i)
		}
		_ = first.Close()
	}()
	s := 0
	for v := range in.All() {
		s += v
	}
	t.Stop()
	sink.Add(int64(s))
}

func stagesChan(t *Timer, n int) {
	first := make(chan int, 1)
	in := first
	for range stageCount {
		out := make(chan int, 1)
		go func(in <-chan int, out chan<- int) {
			for v := range in {
				out <- v
			}
			close(out)
		}(in, out)
		in = out
	}
	t.Start()
	go func() {
		for i := range n {
			first <- i
		}
		close(first)
	}()
	s := 0
	for v := range in {
		s += v
	}
	t.Stop()
	sink.Add(int64(s))
}
