package suite

import (
	"strconv"
	"sync"

	"github.com/handoff-go/handoff/channel"
	"github.com/puzpuzpuz/xsync/v3"
)

// faninScenario: P producers, one consumer. handoff gives each producer a
// lane of its own (Sender.Clone); chan and xsync's MPMCQueueOf are shared
// by all producers. Every implementation buffers queueCap items per
// producer.
func faninScenario() Scenario {
	return Scenario{
		Name:     "fanin",
		Kind:     Channel,
		Title:    "P producers -> 1 consumer (fan-in)",
		Unit:     "item",
		Baseline: "chan",
		Cases: func(env Env) []Case {
			var cases []Case
			for _, p := range faninCounts(env.NumCPU) {
				p := p
				label := " P=" + strconv.Itoa(p)
				cases = append(cases,
					Case{Scenario: "fanin", Impl: "handoff" + label, Series: "handoff", Param: float64(p), MinItems: p,
						Run: func(t *Timer, n int) { runFanIn(t, handoffFanIn(1), p, n) }},
					Case{Scenario: "fanin", Impl: "handoff batch 64" + label, Series: "handoff batch 64", Param: float64(p), MinItems: p,
						Run: func(t *Timer, n int) { runFanIn(t, handoffFanIn(64), p, n) }},
					Case{Scenario: "fanin", Impl: "chan" + label, Series: "chan", Param: float64(p), MinItems: p, Baseline: true,
						Run: func(t *Timer, n int) { runFanIn(t, chanFanIn, p, n) }},
					Case{Scenario: "fanin", Impl: "xsync MPMCQueueOf" + label, Series: "xsync MPMCQueueOf", Param: float64(p), MinItems: p,
						Run: func(t *Timer, n int) { runFanIn(t, xsyncFanIn, p, n) }},
				)
			}
			return cases
		},
	}
}

// faninCounts is 1, 2, 4 and, on bigger machines, cpus-1 (one core left
// for the consumer).
func faninCounts(cpus int) []int {
	out := []int{1, 2, 4}
	if cpus-1 > 4 {
		out = append(out, cpus-1)
	}
	return out
}

// fanIn is a set-up fan-in: produce[i] sends its share, consume receives
// the total.
type fanIn struct {
	produce []func(n int)
	consume func(n int)
}

type fanInMaker func(p int) fanIn

func handoffFanIn(batch int) fanInMaker {
	return func(p int) fanIn {
		tx, rx := channel.Make[int](queueCap)
		senders := []*channel.Sender[int]{tx}
		for len(senders) < p {
			c, err := tx.Clone()
			if err != nil {
				panic(err) // a fresh, open channel: cannot happen
			}
			senders = append(senders, c)
		}
		f := fanIn{consume: func(n int) {
			if batch > 1 {
				recvBatches(rx, batch, n)
				return
			}
			s := 0
			for range n {
				v, _ := rx.Recv()
				s += v
			}
			sink.Add(int64(s))
		}}
		for _, tx := range senders {
			f.produce = append(f.produce, func(n int) {
				if batch > 1 {
					sendBatches(tx, batch, n)
					return
				}
				for i := range n {
					_ = tx.Send(i)
				}
			})
		}
		return f
	}
}

func chanFanIn(p int) fanIn {
	ch := make(chan int, queueCap*p)
	f := fanIn{consume: func(n int) {
		s := 0
		for range n {
			s += <-ch
		}
		sink.Add(int64(s))
	}}
	for range p {
		f.produce = append(f.produce, func(n int) {
			for i := range n {
				ch <- i
			}
		})
	}
	return f
}

func xsyncFanIn(p int) fanIn {
	q := xsync.NewMPMCQueueOf[int](queueCap * p)
	f := fanIn{consume: func(n int) {
		s := 0
		for range n {
			s += dequeueSpin(q)
		}
		sink.Add(int64(s))
	}}
	for range p {
		f.produce = append(f.produce, func(n int) {
			for i := range n {
				enqueueSpin(q, i)
			}
		})
	}
	return f
}

// runFanIn times p producers sending n items in all to one consumer.
func runFanIn(t *Timer, mk fanInMaker, p, n int) {
	f := mk(p)
	gate := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(p + 1)
	for i, produce := range f.produce {
		m := n / p
		if i < n%p {
			m++
		}
		go func() { defer wg.Done(); <-gate; produce(m) }()
	}
	go func() { defer wg.Done(); <-gate; f.consume(n) }()
	t.Start()
	close(gate)
	wg.Wait()
	t.Stop()
}
