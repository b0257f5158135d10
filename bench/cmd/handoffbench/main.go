// Command handoffbench runs handoff side by side with chan, xsync's
// queues and a mutex+cond queue, plus the seed's cost experiments, and
// prints a Markdown report. See package bench for what it measures and
// how; run it with -h for the flags.
package main

import (
	"os"

	"github.com/handoff-go/handoff/bench"
)

func main() {
	os.Exit(bench.Main(os.Args[1:], os.Stdout, os.Stderr))
}
