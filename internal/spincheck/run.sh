#!/usr/bin/env bash
# run.sh: the driver the SPIN model checks share (ownership/model/check.sh,
# internal/endpoint/model/check.sh). A check.sh sets the variables below,
# sources this file and calls spincheck_main "$@".
#
# It runs every selected verification in its own temp dir (JOBS at a time,
# default 2), fails if any proof does not end with "errors: 0", and runs
# the mutants (and hazards) expecting SPIN to find their bug, so that the
# checker is shown to have teeth. On a failure it prints the counterexample
# with `spin -t -p`. Needs spin and a C compiler (CC, default gcc) on PATH;
# installs nothing.
#
# The caller sets:
#
#   spin_label    what is checked, for messages and the temp dir ("ownership")
#   spin_model    the model's file name in each run's dir ("steal.pml"); the
#                 counterexample is replayed under that name
#   spin_source   function NAME: prints the path of the model to copy for
#                 run NAME (optional; default: $here/$spin_model)
#   spin_depth    pan -m, the search depth (a truncated search fails)
#   spin_hash     pan -w for the proofs (log2 of the hash table's slots)
#   spin_mutant_hash
#                 pan -w for the mutants, which stop at their first error;
#                 empty: pan's default
#   spin_memlim   MiB each pan run may use (-DMEMLIM; MEMLIM overrides it);
#                 empty: no bound
#   runs          one line per verification:
#                   name | kind | expect | spin -D flags | cc flags
#                 kind:   safety   (-DSAFETY: assertions, invalid end states)
#                         liveness (acceptance cycles of the ltl claim, weak
#                                  fairness)
#                         stuck    (-DSAFETY, pan -E: assertions only)
#                 expect: ok | assert (assertion violated) | deadlock
#                         (invalid end state) | cycle (acceptance cycle)
#                 cc flags: added after OPT (default -O0), so "-O2" there
#                         wins; empty for most runs
#
# Arguments select runs by name; none selects all.

# spincheck_verify NAME KIND EXPECT FLAGS CCFLAGS: writes $tmp/NAME/result
spincheck_verify() {
	local name=$1 kind=$2 expect=$3 flags=$4 ccflags=$5
	local dir="$tmp/$name"
	mkdir -p "$dir"
	cp "$(spincheck_source "$name")" "$dir/$spin_model"
	(
		cd "$dir"
		local start end
		start=$(date +%s.%N)
		# shellcheck disable=SC2086 # flags are words on purpose
		spin $flags -a "$spin_model" >spin.out 2>&1 || { echo "FAIL|?|?|?|spin -a failed|?" >result; exit 0; }
		local opt=${OPT:--O0} cflags=() panflags=(-m"$spin_depth" -w"$spin_hash")
		[[ -n $memlim ]] && cflags+=("-DMEMLIM=$memlim")
		# shellcheck disable=SC2206 # words on purpose
		[[ -n $ccflags ]] && cflags+=($ccflags)
		if [[ $expect != ok ]]; then
			panflags=(-m"$spin_depth")
			[[ -n ${spin_mutant_hash:-} ]] && panflags+=(-w"$spin_mutant_hash")
		fi
		case $kind in
		safety) cflags+=(-DSAFETY -DNOCLAIM) ;;
		stuck)
			cflags+=(-DSAFETY -DNOCLAIM)
			panflags+=(-E)
			;;
		liveness) panflags+=(-a -f) ;;
		*)
			echo "FAIL|?|?|?|unknown kind $kind|?" >result
			exit 0
			;;
		esac
		# CPU seconds (user+sys) of compile and search: unlike the wall
		# time, this does not grow when the machine is shared.
		local TIMEFORMAT='%U %S'
		{ time {
			"$cc" "$opt" "${cflags[@]}" -o pan pan.c >cc.out 2>&1 || { echo "FAIL|?|?|?|cc failed|?" >result; exit 0; }
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
		elif grep -qi 'out of memory\|MEMLIM bound' pan.out; then
			why="pan ran out of memory (MEMLIM=$memlim MiB): the search was truncated"
		elif [[ -z $errs ]]; then
			why="no 'errors:' line in the pan output"
		elif [[ $expect == ok ]]; then
			if [[ $errs == 0 ]] && grep -q 'errors: 0' pan.out; then verdict=PASS; else why="expected errors: 0"; fi
		else
			local pat=""
			case $expect in
			assert) pat='assertion violated' ;;
			deadlock) pat='invalid end state' ;;
			cycle) pat='acceptance cycle' ;;
			esac
			if [[ -n $pat && $errs -gt 0 ]] && grep -q "$pat" pan.out; then
				verdict=PASS
			else
				why="mutant/hazard: expected SPIN to report '${pat:-$expect}'"
			fi
		fi
		printf '%s|%s|%s|%s|%s|%s\n' "$verdict" "${stored:-?}" "$secs" "$errs" "$why" "$cpu" >result
	)
}

# spincheck_source NAME: the model file for run NAME.
spincheck_source() {
	if declare -F spin_source >/dev/null; then
		spin_source "$1"
	else
		echo "$here/$spin_model"
	fi
}

spincheck_main() {
	jobs=${JOBS:-2}
	cc=${CC:-gcc}
	memlim=${MEMLIM:-${spin_memlim:-}}
	command -v spin >/dev/null || { echo "check.sh: spin not found (apt-get install spin)" >&2; exit 2; }
	command -v "$cc" >/dev/null || { echo "check.sh: $cc not found" >&2; exit 2; }

	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$spin_label-model.XXXXXX")
	# shellcheck disable=SC2064 # expand now: tmp is this run's dir
	trap "rm -rf '$tmp'" EXIT

	local selected=("$@")
	local names=() running=0 t0 r s name kind expect flags ccflags want
	t0=$(date +%s)
	for r in "${runs[@]}"; do
		IFS='|' read -r name kind expect flags ccflags <<<"$r"
		want=$((${#selected[@]} == 0))
		for s in "${selected[@]}"; do [[ $s == "$name" ]] && want=1; done
		((want)) || continue
		names+=("$name|$kind|$expect|$flags")
		spincheck_verify "$name" "$kind" "$expect" "$flags" "${ccflags:-}" &
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

	local fail=0 res verdict stored secs errs why cpu
	printf '%-26s %-8s %-9s %14s %8s %8s\n' run kind expect "states stored" "wall s" "cpu s"
	for r in "${names[@]}"; do
		IFS='|' read -r name kind expect flags <<<"$r"
		res=$(cat "$tmp/$name/result" 2>/dev/null || echo "FAIL|?|?|?|no result|?")
		IFS='|' read -r verdict stored secs errs why cpu <<<"$res"
		printf '%-26s %-8s %-9s %14s %8s %8s  %s %s\n' "$name" "$kind" "$expect" "$stored" "$secs" "$cpu" "$verdict" "$why"
		if [[ $verdict != PASS ]]; then
			fail=1
			echo "---- $name: spin $flags ($kind) ----"
			cat "$tmp/$name/spin.out" "$tmp/$name/cc.out" 2>/dev/null | tail -20 || true
			sed -n '1,40p' "$tmp/$name/pan.out" 2>/dev/null || true
			if [[ -f $tmp/$name/$spin_model.trail ]]; then
				echo "---- counterexample: spin -t -p $flags $spin_model ----"
				# shellcheck disable=SC2086
				(cd "$tmp/$name" && spin -t -p -g -l $flags "$spin_model" 2>&1 | tail -300) || true
			fi
		fi
	done
	echo "check.sh: $(($(date +%s) - t0)) s wall, JOBS=$jobs"

	if ((fail)); then
		echo "check.sh: FAILED" >&2
		exit 1
	fi
	echo "check.sh: all $spin_label model checks passed"
}
