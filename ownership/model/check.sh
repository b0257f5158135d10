#!/usr/bin/env bash
# check.sh: model-check the ownership protocol (steal.pml, and StealMany in
# stealmany.pml) with SPIN.
#
# Runs every verification below in its own temp dir (JOBS at a time,
# default 2), fails if any proof does not end with "errors: 0", and runs the
# mutants expecting SPIN to find their bug (so the checker has teeth). On a
# failure it prints the counterexample with `spin -t -p`.
# Needs spin and a C compiler on PATH; installs nothing.
#
#   ownership/model/check.sh            # all runs (see README.md for the time)
#   JOBS=1 ownership/model/check.sh     # sequential
#   ownership/model/check.sh steal-safety thaw-live   # selected runs
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
model="$here/steal.pml"
jobs=${JOBS:-2}
cc=${CC:-gcc}

command -v spin >/dev/null || { echo "check.sh: spin not found (apt-get install spin)" >&2; exit 2; }
command -v "$cc" >/dev/null || { echo "check.sh: $cc not found" >&2; exit 2; }

# name | kind | expect | cc opt | spin -D flags
#   kind:   safety   (-DSAFETY: assertions, invalid end states)
#           liveness (acceptance cycles of the ltl claim, weak fairness)
#   expect: ok | assert (mutant: assertion violated) | deadlock (mutant: invalid end state)
#           | cycle (mutant: acceptance cycle)
#   cc opt: -O2 pays for its ~14 s (CPU) compile of pan.c only on the
#           biggest searches (steal-safety; steal-live: 48 s CPU at -O2,
#           73 s at -O0); every other run compiles with -O0
runs=(
	"steal-safety|safety|ok|-O2|-DNO_FREEZE -DKV=1"
	"steal-live|liveness|ok|-O2|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT"
	"steal-notimeout|safety|ok|-O0|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT"
	"thaw-safety|safety|ok|-O0|-DTHAW_ONLY -DKV=1"
	"thaw-notimeout|safety|ok|-O0|-DTHAW_ONLY -DKV=2 -DNO_TIMEOUT -DPARK_AT_END"
	"thaw-live|liveness|ok|-O0|-DTHAW_ONLY -DKV=2 -DNO_TIMEOUT"
	"retire-safety|safety|ok|-O0|-DNO_FREEZE -DNOWN=2 -DKV=2 -DRETIRE=1"
	"retire-thief-safety|safety|ok|-O0|-DNO_FREEZE -DNOWN=2 -DKV=1 -DRETIRE=2"
	"retire-notimeout|safety|ok|-O0|-DNO_FREEZE -DNOWN=2 -DKV=2 -DRETIRE=1 -DNO_TIMEOUT"
	"retire-live|liveness|ok|-O0|-DNO_FREEZE -DNOWN=2 -DKV=2 -DRETIRE=1 -DNO_TIMEOUT"
	"thaw-retire-reader|safety|ok|-O0|-DTHAW_ONLY -DNOWN=2 -DKV=2 -DRETIRE=1"
	"thaw-retire-thawer|safety|ok|-O0|-DTHAW_ONLY -DNOWN=2 -DKV=2 -DRETIRE=2"
	"mutant-skip-wait|safety|assert|-O0|-DNO_FREEZE -DKV=1 -DBROKEN_SKIP_WAIT"
	"mutant-late-chan|safety|deadlock|-O0|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT -DBROKEN_LATE_CHAN"
	"mutant-late-chan-live|liveness|cycle|-O0|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT -DBROKEN_LATE_CHAN"
	"mutant-nopark|safety|deadlock|-O0|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT -DBROKEN_NOPARK"
	"mutant-thaw-early|safety|assert|-O0|-DTHAW_ONLY -DKV=2 -DNO_TIMEOUT -DBROKEN_THAW_EARLY"
	"mutant-thaw-nowait|safety|assert|-O0|-DTHAW_ONLY -DKV=1 -DBROKEN_THAW_NOWAIT"
	"mutant-tick-nowake|safety|deadlock|-O0|-DTHAW_ONLY -DKV=2 -DNO_TIMEOUT -DPARK_AT_END -DBROKEN_TICK_NOWAKE"
	"mutant-retire-split|safety|assert|-O0|-DNO_FREEZE -DNOWN=2 -DKV=2 -DRETIRE=1 -DBROKEN_RETIRE_SPLIT"
	"mutant-retire-eager|safety|assert|-O0|-DNO_FREEZE -DNOWN=2 -DKV=2 -DRETIRE=1 -DBROKEN_RETIRE_EAGER"
	"mutant-retire-is-closed|safety|assert|-O0|-DNO_FREEZE -DNOWN=2 -DKV=2 -DRETIRE=1 -DBROKEN_RETIRE_IS_CLOSED"
	"mutant-unpark-closed|safety|assert|-O0|-DNO_FREEZE -DNOWN=2 -DKV=2 -DRETIRE=1 -DBROKEN_UNPARK_CLOSED"
	"mutant-closed-s5|safety|assert|-O0|-DNO_FREEZE -DNOWN=2 -DKV=1 -DRETIRE=2 -DBROKEN_CLOSED_S5"
	# many-*: stealmany.pml (StealMany: two objects, two thieves)
	"many-safety|safety|ok|-O0|"
	"many-notimeout|safety|ok|-O0|-DNO_TIMEOUT"
	"many-mutant-no-order|safety|deadlock|-O0|-DNO_TIMEOUT -DBROKEN_NO_ORDER"
	"many-mutant-partial-rollback|safety|assert|-O0|-DBROKEN_PARTIAL_ROLLBACK"
	"many-mutant-no-wait|safety|assert|-O0|-DBROKEN_NO_WAIT"
)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ownership-model.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# verify NAME KIND EXPECT OPT FLAGS: writes $tmp/NAME/{pan.out,result}
verify() {
	local name=$1 kind=$2 expect=$3 opt=$4 flags=$5
	local dir="$tmp/$name"
	mkdir -p "$dir"
	# The many-* runs check stealmany.pml; it is copied under the same name,
	# so the counterexample replay below serves both.
	if [[ $name == many-* ]]; then cp "$here/stealmany.pml" "$dir/steal.pml"; else cp "$model" "$dir/steal.pml"; fi
	(
		cd "$dir"
		local start end
		start=$(date +%s.%N)
		# shellcheck disable=SC2086 # flags are words on purpose
		spin $flags -a steal.pml >spin.out 2>&1 || { echo "spin -a failed" >result; exit 0; }
		# Mutants stop within a few thousand states: a small hash table.
		local cflags=() panflags=(-m200000 -w24)
		[[ $expect != ok ]] && panflags=(-m200000)
		if [[ $kind == safety ]]; then
			cflags=(-DSAFETY -DNOCLAIM)
		else
			panflags+=(-a -f)
		fi
		# CPU seconds (user+sys) of compile and search: unlike the wall
		# time, this does not grow when the machine is shared.
		local TIMEFORMAT='%U %S'
		{ time {
			"$cc" "$opt" "${cflags[@]}" -o pan pan.c >cc.out 2>&1 || { echo "cc failed" >result; exit 0; }
			./pan "${panflags[@]}" >pan.out 2>&1 || true
		}; } 2>cpu.out
		end=$(date +%s.%N)
		local stored errs secs cpu
		cpu=$(awk '{ printf "%.1f", $1 + $2 }' cpu.out)
		stored=$(grep -Eo '^ *[0-9.e+]+ states, stored' pan.out | grep -Eo '[0-9.e+]+' | head -1 || true)
		errs=$(grep -Eo 'errors: [0-9]+' pan.out | grep -Eo '[0-9]+' | head -1 || true)
		secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
		local verdict=FAIL why=""
		if grep -qi 'depth too small' pan.out; then
			why="search depth too small: the search was truncated"
		elif [[ -z $errs ]]; then
			why="no 'errors:' line in the pan output"
		elif [[ $expect == ok ]]; then
			if [[ $errs == 0 ]] && grep -q 'errors: 0' pan.out; then verdict=PASS; else why="expected errors: 0"; fi
		else
			local pat
			case $expect in
			assert) pat='assertion violated' ;;
			deadlock) pat='invalid end state' ;;
			cycle) pat='acceptance cycle' ;;
			esac
			if [[ $errs -gt 0 ]] && grep -q "$pat" pan.out; then
				verdict=PASS
			else
				why="mutant: expected SPIN to report '$pat'"
			fi
		fi
		printf '%s|%s|%s|%s|%s|%s\n' "$verdict" "${stored:-?}" "$secs" "$errs" "$why" "$cpu" >result
	)
}

selected=("$@")
want() {
	[[ ${#selected[@]} -eq 0 ]] && return 0
	local s
	for s in "${selected[@]}"; do [[ $s == "$1" ]] && return 0; done
	return 1
}

names=()
running=0
for r in "${runs[@]}"; do
	IFS='|' read -r name kind expect opt flags <<<"$r"
	want "$name" || continue
	names+=("$name|$kind|$expect|$flags")
	verify "$name" "$kind" "$expect" "$opt" "$flags" &
	running=$((running + 1))
	if ((running >= jobs)); then
		wait -n
		running=$((running - 1))
	fi
done
wait

if [[ ${#names[@]} -eq 0 ]]; then
	echo "check.sh: no run selected" >&2
	exit 2
fi

fail=0
printf '%-24s %-8s %-9s %14s %8s %8s\n' run kind expect "states stored" "wall s" "cpu s"
for r in "${names[@]}"; do
	IFS='|' read -r name kind expect flags <<<"$r"
	res=$(cat "$tmp/$name/result" 2>/dev/null || echo "FAIL|?|?|?|no result|?")
	IFS='|' read -r verdict stored secs errs why cpu <<<"$res"
	printf '%-24s %-8s %-9s %14s %8s %8s  %s %s\n' "$name" "$kind" "$expect" "$stored" "$secs" "$cpu" "$verdict" "$why"
	if [[ $verdict != PASS ]]; then
		fail=1
		echo "---- $name: spin $flags ($kind) ----"
		cat "$tmp/$name/spin.out" "$tmp/$name/cc.out" 2>/dev/null | tail -20 || true
		sed -n '1,40p' "$tmp/$name/pan.out" 2>/dev/null || true
		if [[ -f $tmp/$name/steal.pml.trail ]]; then
			echo "---- counterexample: spin -t -p $flags steal.pml ----"
			# shellcheck disable=SC2086
			(cd "$tmp/$name" && spin -t -p -g -l $flags steal.pml 2>&1 | tail -300) || true
		fi
	fi
done

if ((fail)); then
	echo "check.sh: FAILED" >&2
	exit 1
fi
echo "check.sh: all ownership model checks passed"
