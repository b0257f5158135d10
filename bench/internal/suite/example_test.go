package suite_test

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/handoff-go/handoff/bench/internal/suite"
)

func ExampleMedian() {
	fmt.Println(suite.Median([]float64{12, 10, 400, 11, 13}))
	// Output: 12
}

func ExampleRatio() {
	// chan took 75 ns per item, handoff 25: handoff is 3x faster.
	fmt.Println(suite.Ratio(75, 25))
	// Output: 3
}

func ExampleFormatRate() {
	fmt.Println(suite.FormatRate(1e9/12.3), suite.FormatNS(12.34))
	// Output: 81.3M 12.3
}

func ExampleSelectScenarios() {
	scs, _ := suite.SelectScenarios([]string{"batch*", "pingpong"})
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
	cfg, err := suite.ParseFlags([]string{"-scenarios", "spsc,e1-*", "-reps", "7"}, io.Discard)
	fmt.Println(cfg.Scenarios, cfg.Reps, err)
	_, err = suite.ParseFlags([]string{"-reps", "0"}, io.Discard)
	fmt.Println(err)
	// Output:
	// [spsc e1-*] 7 <nil>
	// usage: -reps must be between 1 and 1000, got 0
}

func ExampleCondQueue() {
	q := suite.NewCondQueue[string](2)
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

func ExampleMain() {
	// Bad flags: usage on stderr, exit code 2, as the command does.
	fmt.Println(suite.Main([]string{"-procs", "0"}, io.Discard, io.Discard))
	// Output: 2
}

func ExampleRun() {
	cfg := suite.DefaultConfig()
	cfg.Duration, cfg.Reps, cfg.Scenarios = time.Millisecond, 1, []string{"e1-tax"}
	res, err := suite.Run(cfg, suite.NoProgress{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Rows {
		fmt.Println(r.Impl, len(r.Samples), r.Ratio != nil)
	}
	// Output:
	// ownership Owns 1 true
	// ownership Preempt (none pending) 1 true
	// atomic.AddInt64 1 true
	// sync.Mutex Lock+Unlock 1 true
	// sync.RWMutex RLock+RUnlock 1 true
}

func ExampleWriteComparison() {
	mk := func(ns float64) *suite.Results {
		return &suite.Results{Rows: []suite.Row{{Scenario: "spsc", Impl: "handoff", Procs: 2, NSPerItem: ns}}}
	}
	_ = suite.WriteComparison(os.Stdout, mk(40), mk(20), "old.json")
	// Output:
	// ## Compared with old.json (0001-01-01 00:00 UTC)
	//
	// "new vs old" is the old time over the new (above 1: faster now).
	//
	// | scenario | implementation | P | old ns/item | new ns/item | new vs old |
	// |---|---|---:|---:|---:|---:|
	// | spsc | handoff | 2 | 40.0 | 20.0 | 2.00× |
}
