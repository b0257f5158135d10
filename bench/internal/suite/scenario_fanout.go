package suite

import (
	"strconv"
	"sync"

	"github.com/handoff-go/handoff/channel"
	"github.com/puzpuzpuz/xsync/v3"
	xsync4 "github.com/puzpuzpuz/xsync/v4"
)

// fanoutScenario: one producer, P consumers that each take the next item
// (a worker pool on one jobs channel, issue 14). handoff gives each worker
// a receiver of its own (Receiver.Clone); chan, xsync's MPMC queues (v3's
// MPMCQueueOf and v4's MPMCQueue) and the mutex+cond queue are shared by
// all consumers. Every implementation buffers queueCap items.
func fanoutScenario() Scenario {
	return Scenario{
		Name:     "fanout",
		Kind:     Channel,
		Title:    "1 producer -> P consumers (fan-out, a worker pool)",
		Unit:     "item",
		Baseline: "chan",
		About: "Each item goes to exactly one consumer. handoff's consumers are Receiver clones that " +
			"claim the lanes under a lock among themselves (the producer never takes it); " +
			"\"batch 64\" sends with SendBatch and receives with RecvBatch, so one claim takes up " +
			"to 64 items (chan has no batch form). xsync's queues have no blocking form: their " +
			"consumers yield while the queue is empty.",
		Cases: func(env Env) []Case {
			var cases []Case
			for _, p := range []int{2, 4, 8} {
				cases = append(cases, multiCases("fanout", 1, p)...)
			}
			return cases
		},
	}
}

// mpmcScenario: P producers, P consumers, one channel.
func mpmcScenario() Scenario {
	return Scenario{
		Name:     "mpmc",
		Kind:     Channel,
		Title:    "P producers -> P consumers (MPMC)",
		Unit:     "item",
		Baseline: "chan",
		About: "handoff: a Sender clone per producer (a lane each) and a Receiver clone per consumer; " +
			"the peers share one queue of queueCap×P items.",
		Cases: func(env Env) []Case { return multiCases("mpmc", 4, 4) },
	}
}

// multiCases are the cases of p producers and c consumers.
func multiCases(scenario string, p, c int) []Case {
	label := " P=" + strconv.Itoa(c)
	param := float64(c)
	minItems := 64 * max(p, c)
	mk := func(impl, series string, base bool, mk multiMaker) Case {
		return Case{Scenario: scenario, Impl: impl + label, Series: series, Param: param, MinItems: minItems, Baseline: base,
			Run: func(t *Timer, n int) { runMulti(t, mk(p, c), n) }}
	}
	return []Case{
		mk("handoff", "handoff", false, handoffMulti(1)),
		mk("handoff batch 64", "handoff batch 64", false, handoffMulti(64)),
		mk("chan", "chan", true, chanMulti),
		mk("xsync v3 MPMCQueueOf", "xsync v3 MPMCQueueOf", false, func(p, c int) multi {
			return spinMulti(xsync.NewMPMCQueueOf[int](queueCap*p), p, c)
		}),
		mk("xsync v4 MPMCQueue", "xsync v4 MPMCQueue", false, func(p, c int) multi {
			return spinMulti(xsync4.NewMPMCQueue[int](queueCap*p), p, c)
		}),
		mk("mutex+cond", "mutex+cond", false, condMulti),
	}
}

// multi is a set-up many-to-many link: produce[i] sends its share, each
// consume[j] receives until the producers are done (the channel closed,
// or a stop value for the queues that cannot close), and done, if set,
// runs once every producer has finished.
type multi struct {
	produce []func(n int)
	consume []func()
	done    func()
}

type multiMaker func(p, c int) multi

// stop ends a consumer of a queue that cannot be closed: the producers'
// items are never negative.
const stop = -1

func handoffMulti(batch int) multiMaker {
	return func(p, c int) multi {
		tx, rx := channel.Make[int](queueCap)
		var m multi
		senders := []*channel.Sender[int]{tx}
		for len(senders) < p {
			s, err := tx.Clone()
			if err != nil {
				panic(err) // a fresh, open channel: cannot happen
			}
			senders = append(senders, s)
		}
		receivers := []*channel.Receiver[int]{rx}
		for len(receivers) < c {
			r, err := rx.Clone()
			if err != nil {
				panic(err)
			}
			receivers = append(receivers, r)
		}
		for _, tx := range senders {
			m.produce = append(m.produce, func(n int) {
				if batch > 1 {
					sendBatches(tx, batch, n)
				} else {
					for i := range n {
						_ = tx.Send(i)
					}
				}
				_ = tx.Close()
			})
		}
		for _, rx := range receivers {
			m.consume = append(m.consume, func() {
				s := 0
				if batch > 1 {
					dst := make([]int, batch)
					for {
						k, ok := rx.RecvBatch(dst)
						if !ok {
							break
						}
						for _, v := range dst[:k] {
							s += v
						}
					}
				} else {
					for {
						v, ok := rx.Recv()
						if !ok {
							break
						}
						s += v
					}
				}
				sink.Add(int64(s))
			})
		}
		return m
	}
}

func chanMulti(p, c int) multi {
	ch := make(chan int, queueCap*p)
	m := multi{done: func() { close(ch) }}
	for range p {
		m.produce = append(m.produce, func(n int) {
			for i := range n {
				ch <- i
			}
		})
	}
	for range c {
		m.consume = append(m.consume, func() {
			s := 0
			for v := range ch {
				s += v
			}
			sink.Add(int64(s))
		})
	}
	return m
}

func spinMulti[Q tryQueue](q Q, p, c int) multi {
	m := multi{done: func() {
		for range c {
			enqueueSpin(q, stop)
		}
	}}
	for range p {
		m.produce = append(m.produce, func(n int) {
			for i := range n {
				enqueueSpin(q, i)
			}
		})
	}
	for range c {
		m.consume = append(m.consume, func() {
			s := 0
			for {
				v := dequeueSpin(q)
				if v == stop {
					break
				}
				s += v
			}
			sink.Add(int64(s))
		})
	}
	return m
}

func condMulti(p, c int) multi {
	q := NewCondQueue[int](queueCap * p)
	m := multi{done: q.Close}
	for range p {
		m.produce = append(m.produce, func(n int) {
			for i := range n {
				q.Put(i)
			}
		})
	}
	for range c {
		m.consume = append(m.consume, func() {
			s := 0
			for {
				v, ok := q.Get()
				if !ok {
					break
				}
				s += v
			}
			sink.Add(int64(s))
		})
	}
	return m
}

// runMulti times the producers sending n items in all until every
// consumer has seen the end.
func runMulti(t *Timer, m multi, n int) {
	p := len(m.produce)
	gate := make(chan struct{})
	var producers, consumers sync.WaitGroup
	producers.Add(p)
	consumers.Add(len(m.consume))
	for i, produce := range m.produce {
		k := n / p
		if i < n%p {
			k++
		}
		go func() { defer producers.Done(); <-gate; produce(k) }()
	}
	for _, consume := range m.consume {
		go func() { defer consumers.Done(); <-gate; consume() }()
	}
	t.Start()
	close(gate)
	producers.Wait()
	if m.done != nil {
		m.done()
	}
	consumers.Wait()
	t.Stop()
}
