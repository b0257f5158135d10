#!/usr/bin/env bash
# check.sh: model-check the channel lifecycle (lifecycle.pml) with SPIN.
#
# Runs every verification below in its own temp dir (JOBS at a time,
# default 2), fails if any proof does not end with "errors: 0", and runs the
# mutants expecting SPIN to find their bug (so the checker has teeth), and
# the hazards expecting SPIN to find the known defect they describe. On a
# failure it prints the counterexample with `spin -t -p`.
# Needs spin and a C compiler on PATH; installs nothing. Each pan run is
# capped at MEMLIM MiB (default 2048): two at a time stay within ~4.5 GB.
#
#   internal/endpoint/model/check.sh            # all runs (see README.md for times)
#   JOBS=1 internal/endpoint/model/check.sh     # sequential
#   internal/endpoint/model/check.sh one-lane-safety mutant-dec-first   # selected runs
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
model="$here/lifecycle.pml"
jobs=${JOBS:-2}
cc=${CC:-gcc}
memlim=${MEMLIM:-2048}

command -v spin >/dev/null || { echo "check.sh: spin not found (apt-get install spin)" >&2; exit 2; }
command -v "$cc" >/dev/null || { echo "check.sh: $cc not found" >&2; exit 2; }

# name | kind | expect | spin -D flags [| extra cc flags]
#   kind:   safety   (-DSAFETY: assertions, invalid end states)
#           liveness (acceptance cycles of the ltl claim, weak fairness)
#           stuck    (-DSAFETY, pan -E: assertions only; with RX_STOP the
#                    Monitor's assertion says when a blocked end is wrong)
#   expect: ok | assert (mutant: assertion violated) | deadlock (mutant:
#           invalid end state) | cycle (mutant: acceptance cycle)
#   cc:     -O2 for the runs whose search outweighs the compile (the LTL
#           ones, the largest); -DCOLLAPSE near 10^7 states (half the
#           memory, a third more time)
# Longest runs first, so that two jobs finish together.
runs=(
	"one-lane-live|liveness|ok|-DNO_TIMEOUT|-O2"
	"one-lane-safety|safety|ok||-O2 -DCOLLAPSE"
	"one-lane-notimeout|safety|ok|-DNO_TIMEOUT|-DCOLLAPSE"
	"owned-safety|safety|ok|-DOWNED_SEND"
	"clone-close|safety|ok|-DNL=2 -DK=1 -DCLONE -DCO_CLOSE -DP_NOCLOSE -DNO_TIMEOUT"
	"release-publish|safety|ok|-DRELEASE_PUBLISH -DFULL_AFTER_ANNOUNCE -DOWNED_SEND -DNO_TIMEOUT"
	"two-lane-close|safety|ok|-DNL=2 -DK=1 -DCO_CLOSE -DP_NOCLOSE -DNO_TIMEOUT"
	"owned-notimeout|safety|ok|-DOWNED_SEND -DNO_TIMEOUT"
	"two-lane-disc|safety|ok|-DNL=2 -DK=1 -DCO_DISC -DP_NOCLOSE -DNO_TIMEOUT"
	"fanin-live|liveness|ok|-DNL=2 -DK=1 -DNO_COORD -DNO_TIMEOUT|-O2"
	"old-parker|safety|ok|-DOLD_PARKER -DOWNED_SEND -DNO_TIMEOUT"
	"one-lane-cap2|safety|ok|-DCAP=2 -DK=2 -DNO_TIMEOUT"
	"rx-stop-release|stuck|ok|-DRX_STOP=1 -DRELEASE_PUBLISH -DFULL_AFTER_ANNOUNCE -DNO_TIMEOUT"
	"rx-stop|stuck|ok|-DRX_STOP=1 -DNO_TIMEOUT"
	"one-lane-rxclose|safety|ok|-DRX_CLOSE -DCO_CLOSE -DNO_TIMEOUT"
	"mutant-offer-noseq|safety|assert|-DBROKEN_OFFER_NOSEQ -DK=3"
	"hazard-stats-fold|safety|assert|-DHAZARD_STATS_FOLD -DOWNED_SEND -DNL=2 -DK=2 -DCO_CLOSE -DP_NOCLOSE -DNO_TIMEOUT"
	"mutant-lanes-first|safety|assert|-DBROKEN_LANES_FIRST -DNL=2 -DK=1 -DCLONE -DNO_COORD"
	"mutant-offer-noempty|safety|assert|-DBROKEN_OFFER_NOEMPTY"
	"mutant-withdraw-nowait|safety|assert|-DBROKEN_WITHDRAW_NOWAIT"
	"mutant-store-publish|safety|assert|-DBROKEN_STORE_PUBLISH"
	"mutant-no-mark-check|safety|assert|-DBROKEN_NO_MARK_CHECK"
	"mutant-dec-first|safety|assert|-DBROKEN_DEC_FIRST"
	"mutant-empty-first|safety|assert|-DBROKEN_EMPTY_FIRST"
	"mutant-rc-first|safety|assert|-DBROKEN_RC_FIRST -DCO_DISC"
	"mutant-no-recheck|safety|deadlock|-DBROKEN_NO_RECHECK -DNO_TIMEOUT"
	"mutant-no-recheck-live|liveness|cycle|-DBROKEN_NO_RECHECK -DNO_TIMEOUT"
	"mutant-old-no-wake-cas|safety|deadlock|-DOLD_PARKER -DOWNED_SEND -DBROKEN_NO_WAKE_CAS -DNO_TIMEOUT"
	"mutant-old-no-cancel|safety|assert|-DOLD_PARKER -DOWNED_SEND -DBROKEN_NO_CANCEL -DNO_TIMEOUT"
	"mutant-old-sleep-no-cancel|safety|assert|-DOLD_PARKER -DOWNED_SEND -DBROKEN_SLEEP_NO_CANCEL"
	"mutant-rx-no-disc|safety|deadlock|-DBROKEN_RX_NO_DISC -DCO_DISC -DP_NOCLOSE -DNO_TIMEOUT"
	"mutant-reclaim-empty|safety|assert|-DBROKEN_RECLAIM_EMPTY -DNL=2 -DK=1 -DCO_CLOSE -DP_NOCLOSE"
	"mutant-clone-unlocked|safety|assert|-DBROKEN_CLONE_UNLOCKED -DNL=2 -DK=1 -DCLONE -DCO_CLOSE -DP_NOCLOSE"
	"mutant-release-no-barrier|safety|deadlock|-DRELEASE_PUBLISH -DOWNED_SEND -DNO_COORD -DNO_TIMEOUT"
	"mutant-release-offer|stuck|assert|-DRX_STOP=1 -DRELEASE_PUBLISH -DNO_COORD -DNO_TIMEOUT"
)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lifecycle-model.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# verify NAME KIND EXPECT FLAGS CCFLAGS: writes $tmp/NAME/{pan.out,result}
verify() {
	local name=$1 kind=$2 expect=$3 flags=$4 ccflags=$5
	local dir="$tmp/$name"
	mkdir -p "$dir"
	cp "$model" "$dir/lifecycle.pml"
	(
		cd "$dir"
		local start end
		start=$(date +%s.%N)
		# shellcheck disable=SC2086 # flags are words on purpose
		spin $flags -a lifecycle.pml >spin.out 2>&1 || { echo "FAIL|?|?|?|spin -a failed" >result; exit 0; }
		# -O0: this model's pan.c takes ~8 s of CPU to compile at -O2 and
		# ~1.5 s at -O0, and -O2 wins that back only above ~10^7 states;
		# OPT=-O2 for bigger runs by hand. Proofs start with 2^24 hash slots
		# (pan grows the table when it fills),
		# mutants (which stop at their first error) 2^22.
		local opt=${OPT:--O0} cflags=("-DMEMLIM=$memlim") panflags=(-m1000000 -w24)
		# shellcheck disable=SC2206 # words on purpose
		[[ -n $ccflags ]] && cflags+=($ccflags)
		[[ $expect != ok ]] && panflags=(-m1000000 -w22)
		if [[ $kind == safety ]]; then
			cflags+=(-DSAFETY -DNOCLAIM)
		elif [[ $kind == stuck ]]; then
			cflags+=(-DSAFETY -DNOCLAIM)
			panflags+=(-E)
		else
			panflags+=(-a -f)
		fi
		"$cc" "$opt" "${cflags[@]}" -o pan pan.c >cc.out 2>&1 || { echo "FAIL|?|?|?|cc failed" >result; exit 0; }
		./pan "${panflags[@]}" >pan.out 2>&1 || true
		end=$(date +%s.%N)
		local stored errs secs
		stored=$(grep -Eo '^ *[0-9.e+]+ states, stored' pan.out | grep -Eo '[0-9.e+]+' | head -1 || true)
		errs=$(grep -Eo 'errors: [0-9]+' pan.out | grep -Eo '[0-9]+' | head -1 || true)
		secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
		local verdict=FAIL why=""
		if grep -qi 'depth too small' pan.out; then
			why="search depth too small: the search was truncated"
		elif grep -qi 'out of memory\|MEMLIM bound' pan.out; then
			why="pan ran out of memory (MEMLIM=$memlim MiB): the search was truncated"
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
				why="mutant/hazard: expected SPIN to report '$pat'"
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
t0=$(date +%s)
for r in "${runs[@]}"; do
	IFS='|' read -r name kind expect flags ccflags <<<"$r"
	want "$name" || continue
	names+=("$name|$kind|$expect|$flags")
	verify "$name" "$kind" "$expect" "$flags" "${ccflags:-}" &
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
printf '%-26s %-8s %-9s %14s %8s\n' run kind expect "states stored" seconds
for r in "${names[@]}"; do
	IFS='|' read -r name kind expect flags <<<"$r"
	res=$(cat "$tmp/$name/result" 2>/dev/null || echo "FAIL|?|?|?|no result")
	IFS='|' read -r verdict stored secs errs why <<<"$res"
	printf '%-26s %-8s %-9s %14s %8s  %s %s\n' "$name" "$kind" "$expect" "$stored" "$secs" "$verdict" "$why"
	if [[ $verdict != PASS ]]; then
		fail=1
		echo "---- $name: spin $flags ($kind) ----"
		cat "$tmp/$name/spin.out" "$tmp/$name/cc.out" 2>/dev/null | tail -20 || true
		sed -n '1,40p' "$tmp/$name/pan.out" 2>/dev/null || true
		if [[ -f $tmp/$name/lifecycle.pml.trail ]]; then
			echo "---- counterexample: spin -t -p $flags lifecycle.pml ----"
			# shellcheck disable=SC2086
			(cd "$tmp/$name" && spin -t -p -g -l $flags lifecycle.pml 2>&1 | tail -300) || true
		fi
	fi
done
echo "check.sh: $(($(date +%s) - t0)) s wall, JOBS=$jobs"

if ((fail)); then
	echo "check.sh: FAILED" >&2
	exit 1
fi
echo "check.sh: all lifecycle model checks passed"
