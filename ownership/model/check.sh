#!/usr/bin/env bash
# check.sh: model-check the ownership protocol (steal.pml) with SPIN.
#
# Runs every verification below in its own temp dir (JOBS at a time,
# default 2), fails if any proof does not end with "errors: 0", and runs the
# mutants expecting SPIN to find their bug (so the checker has teeth). On a
# failure it prints the counterexample with `spin -t -p`.
# Needs spin and a C compiler on PATH; installs nothing.
#
#   ownership/model/check.sh            # all runs (65-85 s on 2 cores)
#   JOBS=1 ownership/model/check.sh     # sequential
#   ownership/model/check.sh steal-safety thaw-live   # selected runs
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
model="$here/steal.pml"
jobs=${JOBS:-2}
cc=${CC:-gcc}

command -v spin >/dev/null || { echo "check.sh: spin not found (apt-get install spin)" >&2; exit 2; }
command -v "$cc" >/dev/null || { echo "check.sh: $cc not found" >&2; exit 2; }

# name | kind | expect | spin -D flags
#   kind:   safety   (-DSAFETY: assertions, invalid end states)
#           liveness (acceptance cycles of the ltl claim, weak fairness)
#   expect: ok | assert (mutant: assertion violated) | deadlock (mutant: invalid end state)
runs=(
	"steal-safety|safety|ok|-DNO_FREEZE -DKV=1"
	"steal-live|liveness|ok|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT"
	"steal-notimeout|safety|ok|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT"
	"thaw-safety|safety|ok|-DTHAW_ONLY -DKV=1"
	"thaw-notimeout|safety|ok|-DTHAW_ONLY -DKV=2 -DNO_TIMEOUT"
	"thaw-live|liveness|ok|-DTHAW_ONLY -DKV=2 -DNO_TIMEOUT"
	"mutant-skip-wait|safety|assert|-DNO_FREEZE -DKV=1 -DBROKEN_SKIP_WAIT"
	"mutant-late-chan|safety|deadlock|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT -DBROKEN_LATE_CHAN"
	"mutant-late-chan-live|liveness|cycle|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT -DBROKEN_LATE_CHAN"
	"mutant-nopark|safety|deadlock|-DNO_FREEZE -DKV=1 -DNO_TIMEOUT -DBROKEN_NOPARK"
)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ownership-model.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# verify NAME KIND EXPECT FLAGS: writes $tmp/NAME/{pan.out,result}
verify() {
	local name=$1 kind=$2 expect=$3 flags=$4
	local dir="$tmp/$name"
	mkdir -p "$dir"
	cp "$model" "$dir/steal.pml"
	(
		cd "$dir"
		local start end
		start=$(date +%s.%N)
		# shellcheck disable=SC2086 # flags are words on purpose
		spin $flags -a steal.pml >spin.out 2>&1 || { echo "spin -a failed" >result; exit 0; }
		# Proofs explore millions of states: optimise. Mutants stop within
		# a few thousand: compile fast (-O0 compiles pan.c 5x faster).
		local opt=-O2 cflags=() panflags=(-m200000 -w24)
		[[ $expect != ok ]] && opt=-O0 && panflags=(-m200000)
		if [[ $kind == safety ]]; then
			cflags=(-DSAFETY -DNOCLAIM)
		else
			panflags+=(-a -f)
		fi
		"$cc" "$opt" "${cflags[@]}" -o pan pan.c >cc.out 2>&1 || { echo "cc failed" >result; exit 0; }
		./pan "${panflags[@]}" >pan.out 2>&1 || true
		end=$(date +%s.%N)
		local stored errs secs
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
		printf '%s|%s|%s|%s|%s\n' "$verdict" "${stored:-?}" "$secs" "$errs" "$why" >result
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
	IFS='|' read -r name kind expect flags <<<"$r"
	want "$name" || continue
	names+=("$name|$kind|$expect|$flags")
	verify "$name" "$kind" "$expect" "$flags" &
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
printf '%-24s %-8s %-9s %14s %8s\n' run kind expect "states stored" seconds
for r in "${names[@]}"; do
	IFS='|' read -r name kind expect flags <<<"$r"
	res=$(cat "$tmp/$name/result" 2>/dev/null || echo "FAIL|?|?|?|no result")
	IFS='|' read -r verdict stored secs errs why <<<"$res"
	printf '%-24s %-8s %-9s %14s %8s  %s %s\n' "$name" "$kind" "$expect" "$stored" "$secs" "$verdict" "$why"
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
