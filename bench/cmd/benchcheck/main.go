// Command benchcheck validates a folder written by handoffbench: its
// results.json parses and holds every scenario its flags selected, its
// report is there, and every chart is a non-empty SVG with a PNG beside
// it. bench/check-output.sh runs it; so does CI.
//
//	usage: benchcheck OUTDIR
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/handoff-go/handoff/bench/internal/suite"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("benchcheck", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: benchcheck OUTDIR\n\n"+
			"Checks a folder written by handoffbench (-out): results.json, report.md\n"+
			"and the charts. Exit status 0 when it is complete, 1 when not, 2 for bad usage.\n")
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(fs.Output(), "benchcheck: want one OUTDIR, got %d arguments\n", fs.NArg())
		fs.Usage()
		return 2
	}
	dir := fs.Arg(0)
	if err := suite.CheckOutput(dir); err != nil {
		fmt.Fprintf(os.Stderr, "benchcheck: %v\n", err)
		return 1
	}
	fmt.Println("benchcheck: ok:", dir)
	return 0
}
