package bench_test

import (
	"fmt"
	"io"

	"github.com/handoff-go/handoff/bench"
)

func ExampleMedian() {
	fmt.Println(bench.Median([]float64{12, 10, 400, 11, 13}))
	// Output: 12
}

func ExampleRatio() {
	// chan took 75 ns per item, handoff 25: handoff is 3x faster.
	fmt.Println(bench.Ratio(75, 25))
	// Output: 3
}

func ExampleFormatRate() {
	fmt.Println(bench.FormatRate(1e9/12.3), bench.FormatNS(12.34))
	// Output: 81.3M 12.3
}

func ExampleSelectScenarios() {
	scs, _ := bench.SelectScenarios([]string{"batch*", "pingpong"})
	for _, s := range scs {
		fmt.Println(s.Name)
	}
	// Output:
	// batch16
	// batch64
	// batch256
	// pingpong
}

func ExampleParseFlags() {
	cfg, err := bench.ParseFlags([]string{"-scenarios", "spsc,e1-*", "-reps", "7"}, io.Discard)
	fmt.Println(cfg.Scenarios, cfg.Reps, err)
	_, err = bench.ParseFlags([]string{"-reps", "0"}, io.Discard)
	fmt.Println(err)
	// Output:
	// [spsc e1-*] 7 <nil>
	// bench: usage: -reps must be between 1 and 1000, got 0
}

func ExampleCondQueue() {
	q := bench.NewCondQueue[string](2)
	q.Put("a")
	q.Put("b")
	q.Close()
	for {
		v, ok := q.Get()
		if !ok {
			break
		}
		fmt.Println(v)
	}
	// Output:
	// a
	// b
}
