package suite

import (
	"runtime"
	"strconv"

	"github.com/handoff-go/handoff/channel"
)

// sieveLimit bounds the sieve: the primes below it (2,262 of them, so
// 2,262 filter goroutines at the end), as in issue 12.
const sieveLimit = 20000

// sieveSmokeLimit is the bound in smoke mode (95 primes).
const sieveSmokeLimit = 500

// sieveScenario is the Go distribution's classic concurrent prime sieve
// (test/chan/sieve1.go): a generator sends 2, 3, 4, ...; each prime found
// starts a filter goroutine that forwards what its prime does not divide,
// daisy-chained, so the program is mostly goroutines waiting for each
// other. Bounded: the generator stops below sieveLimit and closes, each
// filter closes its output when its input is drained, and the main
// goroutine counts the primes until its channel closes. One item is one
// whole sieve. Capacity 1 and 16, each at GOMAXPROCS 1 and at the pass's
// GOMAXPROCS (see gomaxprocsCases); Param keys each row to its chan
// baseline (capacity*10 + GOMAXPROCS).
func sieveScenario() Scenario {
	return Scenario{
		Name:     "sieve",
		Kind:     Channel,
		Title:    "prime sieve below " + strconv.Itoa(sieveLimit) + " (daisy-chained filters, test/chan/sieve1.go)",
		Unit:     "sieve",
		Baseline: "chan",
		About: "One filter goroutine per prime, each forwarding to the next what its prime does " +
			"not divide: thousands of goroutines, nearly all of them waiting, so the figure is " +
			"the cost of parking and waking, not of moving items.",
		Cases: func(env Env) []Case {
			limit := sieveLimit
			if env.Smoke {
				limit = sieveSmokeLimit
			}
			var cases []Case
			for _, capacity := range []int{1, 16} {
				for _, procs := range gomaxprocsCases(env) {
					label := " cap " + strconv.Itoa(capacity) + " GOMAXPROCS=" + strconv.Itoa(procs)
					param := float64(capacity*10 + procs)
					cases = append(cases,
						Case{Scenario: "sieve", Impl: "handoff" + label, Series: "handoff", Param: param, MinItems: 1,
							Run: withProcs(procs, func(t *Timer, n int) { runSieves(t, n, func() int { return sieveHandoff(capacity, limit) }) })},
						Case{Scenario: "sieve", Impl: "chan" + label, Series: "chan", Param: param, MinItems: 1, Baseline: true,
							Run: withProcs(procs, func(t *Timer, n int) { runSieves(t, n, func() int { return sieveChan(capacity, limit) }) })},
					)
				}
			}
			return cases
		},
	}
}

// gomaxprocsCases is the GOMAXPROCS values the waiting-heavy scenarios
// (sieve, stages, make) run each case at: 1, and the pass's own when it
// is more than 1. So a default run (one pass at GOMAXPROCS 2 on two
// cores) shows both.
func gomaxprocsCases(env Env) []int {
	if env.Procs > 1 {
		return []int{1, env.Procs}
	}
	return []int{1}
}

// casesByProcs is the Cases of a scenario that runs handoff against its
// chan baseline at each GOMAXPROCS of gomaxprocsCases (stages, make):
// two cases per GOMAXPROCS, keyed to each other by Param (the GOMAXPROCS),
// at MinItems 1.
func casesByProcs(scenario string, handoff, ch func(t *Timer, n int)) func(env Env) []Case {
	return func(env Env) []Case {
		var cases []Case
		for _, procs := range gomaxprocsCases(env) {
			label := " GOMAXPROCS=" + strconv.Itoa(procs)
			cases = append(cases,
				Case{Scenario: scenario, Impl: "handoff" + label, Series: "handoff", Param: float64(procs), MinItems: 1,
					Run: withProcs(procs, handoff)},
				Case{Scenario: scenario, Impl: "chan" + label, Series: "chan", Param: float64(procs), MinItems: 1, Baseline: true,
					Run: withProcs(procs, ch)},
			)
		}
		return cases
	}
}

// withProcs runs run at GOMAXPROCS procs, and restores the pass's value.
func withProcs(procs int, run func(t *Timer, n int)) func(t *Timer, n int) {
	return func(t *Timer, n int) {
		prev := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(prev)
		run(t, n)
	}
}

// runSieves times n whole sieves.
func runSieves(t *Timer, n int, sieve func() int) {
	primes := 0
	t.Start()
	for range n {
		primes += sieve()
	}
	t.Stop()
	sink.Add(int64(primes))
}

// sieveHandoff is the sieve on handoff channels of the given capacity; it
// returns the number of primes below limit.
func sieveHandoff(capacity, limit int) int {
	tx, rx := channel.Make[int](capacity)
	go func() {
		for i := 2; i < limit; i++ {
			_ = tx.Send(i)
		}
		_ = tx.Close()
	}()
	primes := 0
	for {
		prime, ok := rx.Recv()
		if !ok {
			return primes
		}
		primes++
		out, next := channel.Make[int](capacity)
		go func(in *channel.Receiver[int], out *channel.Sender[int], prime int) {
			for v := range in.All() {
				if v%prime != 0 {
					_ = out.Send(v)
				}
			}
			_ = out.Close()
		}(rx, out, prime)
		rx = next
	}
}

// sieveChan is the same sieve on buffered chans.
func sieveChan(capacity, limit int) int {
	ch := make(chan int, capacity)
	go func(ch chan<- int) {
		for i := 2; i < limit; i++ {
			ch <- i
		}
		close(ch)
	}(ch)
	primes := 0
	for {
		prime, ok := <-ch
		if !ok {
			return primes
		}
		primes++
		out := make(chan int, capacity)
		go func(in <-chan int, out chan<- int, prime int) {
			for v := range in {
				if v%prime != 0 {
					out <- v
				}
			}
			close(out)
		}(ch, out, prime)
		ch = out
	}
}
