// Package cli holds the command-line handling the example programs share:
// parsing with the exit codes a Go command is expected to use (0 for -h,
// 2 for bad usage), usage errors, and telling which flags were set (so a
// -smoke default does not override an explicit flag).
package cli

import (
	"errors"
	"flag"
	"fmt"
)

// Parse parses args with fs, whose output must be set. ok is false when
// the program should exit with code: 0 after -h, 2 after a bad flag (the
// flag package has printed the error and the usage) or a stray argument.
func Parse(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	if fs.NArg() > 0 {
		return Usage(fs, "unexpected argument %q", fs.Arg(0)), false
	}
	return 0, true
}

// Usage prints "NAME: message" and the usage to fs's output and returns
// the exit code for bad usage, 2.
func Usage(fs *flag.FlagSet, format string, a ...any) int {
	fmt.Fprintf(fs.Output(), fs.Name()+": "+format+"\n", a...)
	fs.Usage()
	return 2
}

// Set reports which flags were given on the command line.
func Set(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// SetUsage makes fs's usage message "usage: NAME [flags]", the given
// description, and the flags with their defaults.
func SetUsage(fs *flag.FlagSet, description string) {
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s [flags]\n\n%s\n\nflags:\n", fs.Name(), description)
		fs.PrintDefaults()
	}
}
