// Command handoffbench measures handoff channels side by side with a
// buffered chan, xsync's queues, a mutex+cond queue and (where g++ and
// boost's headers are installed) C++ boost::lockfree::spsc_queue, then the cost
// experiments of the ownership protocol, and prints a Markdown report;
// results.json, report.md and the charts (SVG and PNG) go to -out.
//
//	usage: handoffbench [flags]
//
// Run it with -h for the flags. From the repository root:
//
//	go run ./bench/cmd/handoffbench
package main

import (
	"os"

	"github.com/handoff-go/handoff/bench/internal/suite"
)

func main() {
	os.Exit(suite.Main(os.Args[1:], os.Stdout, os.Stderr))
}
