#!/usr/bin/env bash
# check.sh: model-check the ownership protocol (steal.pml, and StealMany in
# stealmany.pml) with SPIN.
#
# Runs every verification below in its own temp dir (JOBS at a time,
# default 2), fails if any proof does not end with "errors: 0", and runs the
# mutants expecting SPIN to find their bug (so the checker has teeth). On a
# failure it prints the counterexample with `spin -t -p`. The driver is
# internal/spincheck/run.sh, shared with the lifecycle model.
# Needs spin and a C compiler on PATH; installs nothing.
#
#   ownership/model/check.sh            # all runs (see README.md for the time)
#   JOBS=1 ownership/model/check.sh     # sequential
#   ownership/model/check.sh steal-safety thaw-live   # selected runs
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
spin_label=ownership
spin_model=steal.pml
# The many-* runs check stealmany.pml; it is copied under the same name,
# so the counterexample replay serves both.
spin_source() {
	if [[ $1 == many-* ]]; then echo "$here/stealmany.pml"; else echo "$here/steal.pml"; fi
}
spin_depth=200000
spin_hash=24
spin_mutant_hash= # pan's default: mutants stop within a few thousand states
spin_memlim=

# name | kind | expect | spin -D flags | cc flags (see run.sh)
#   cc flags: -O2 pays for its ~14 s (CPU) compile of pan.c only on the
#             biggest searches (steal-safety; steal-live: 48 s CPU at -O2,
#             73 s at -O0); every other run compiles with -O0
runs=(
	"steal-safety|safety|ok|-DNO_FREEZE -DKV=1|-O2"
	"steal-live|liveness|ok|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT|-O2"
	"steal-notimeout|safety|ok|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT|"
	"thaw-safety|safety|ok|-DTHAW_ONLY -DKV=1|"
	"thaw-notimeout|safety|ok|-DTHAW_ONLY -DKV=2 -DNO_TIMEOUT -DPARK_AT_END|"
	"thaw-live|liveness|ok|-DTHAW_ONLY -DKV=2 -DNO_TIMEOUT|"
	"retire-safety|safety|ok|-DNO_FREEZE -DNOWN=2 -DKV=2 -DRETIRE=1|"
	"retire-thief-safety|safety|ok|-DNO_FREEZE -DNOWN=2 -DKV=1 -DRETIRE=2|"
	"retire-notimeout|safety|ok|-DNO_FREEZE -DNOWN=2 -DKV=2 -DRETIRE=1 -DNO_TIMEOUT|"
	"retire-live|liveness|ok|-DNO_FREEZE -DNOWN=2 -DKV=2 -DRETIRE=1 -DNO_TIMEOUT|"
	"thaw-retire-reader|safety|ok|-DTHAW_ONLY -DNOWN=2 -DKV=2 -DRETIRE=1|"
	"thaw-retire-thawer|safety|ok|-DTHAW_ONLY -DNOWN=2 -DKV=2 -DRETIRE=2|"
	"mutant-skip-wait|safety|assert|-DNO_FREEZE -DKV=1 -DBROKEN_SKIP_WAIT|"
	"mutant-late-chan|safety|deadlock|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT -DBROKEN_LATE_CHAN|"
	"mutant-late-chan-live|liveness|cycle|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT -DBROKEN_LATE_CHAN|"
	"mutant-nopark|safety|deadlock|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT -DBROKEN_NOPARK|"
	"mutant-thaw-early|safety|assert|-DTHAW_ONLY -DKV=2 -DNO_TIMEOUT -DBROKEN_THAW_EARLY|"
	"mutant-thaw-nowait|safety|assert|-DTHAW_ONLY -DKV=1 -DBROKEN_THAW_NOWAIT|"
	"mutant-tick-nowake|safety|deadlock|-DTHAW_ONLY -DKV=2 -DNO_TIMEOUT -DPARK_AT_END -DBROKEN_TICK_NOWAKE|"
	"mutant-retire-split|safety|assert|-DNO_FREEZE -DNOWN=2 -DKV=2 -DRETIRE=1 -DBROKEN_RETIRE_SPLIT|"
	"mutant-retire-eager|safety|assert|-DNO_FREEZE -DNOWN=2 -DKV=2 -DRETIRE=1 -DBROKEN_RETIRE_EAGER|"
	"mutant-retire-is-closed|safety|assert|-DNO_FREEZE -DNOWN=2 -DKV=2 -DRETIRE=1 -DBROKEN_RETIRE_IS_CLOSED|"
	"mutant-unpark-closed|safety|assert|-DNO_FREEZE -DNOWN=2 -DKV=2 -DRETIRE=1 -DBROKEN_UNPARK_CLOSED|"
	"mutant-closed-s5|safety|assert|-DNO_FREEZE -DNOWN=2 -DKV=1 -DRETIRE=2 -DBROKEN_CLOSED_S5|"
	# many-*: stealmany.pml (StealMany: two objects, two thieves)
	"many-safety|safety|ok||"
	"many-notimeout|safety|ok|-DNO_TIMEOUT|"
	"many-mutant-no-order|safety|deadlock|-DNO_TIMEOUT -DBROKEN_NO_ORDER|"
	"many-mutant-partial-rollback|safety|assert|-DBROKEN_PARTIAL_ROLLBACK|"
	"many-mutant-no-wait|safety|assert|-DBROKEN_NO_WAIT|"
)

# shellcheck source=../../internal/spincheck/run.sh
source "$here/../../internal/spincheck/run.sh"
spincheck_main "$@"
