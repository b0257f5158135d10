// Command benchcheck validates a handoffbench output folder (see
// bench.CheckOutput); bench/check-output.sh runs it.
package main

import (
	"fmt"
	"os"

	"github.com/handoff-go/handoff/bench"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: benchcheck OUTDIR")
		os.Exit(2)
	}
	if err := bench.CheckOutput(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("benchcheck: ok:", os.Args[1])
}
