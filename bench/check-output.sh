#!/usr/bin/env bash
# Validates a handoffbench output folder: results.json parses and holds
# every scenario its flags selected, report.md is there, every SVG chart
# is non-empty, looks like SVG and has its PNG beside it.
# usage: bash bench/check-output.sh OUTDIR
set -euo pipefail
if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: $0 OUTDIR" >&2
	exit 2
fi
out=$(cd "$1" && pwd)
cd "$(dirname "$0")"

[ -s "$out/results.json" ] || { echo "check-output: $out/results.json missing or empty" >&2; exit 1; }
[ -s "$out/report.md" ] || { echo "check-output: $out/report.md missing or empty" >&2; exit 1; }
shopt -s nullglob
svgs=("$out"/*.svg)
[ ${#svgs[@]} -gt 0 ] || { echo "check-output: no SVG chart in $out" >&2; exit 1; }
for f in "${svgs[@]}"; do
	[ -s "$f" ] || { echo "check-output: $f is empty" >&2; exit 1; }
	[ -s "${f%.svg}.png" ] || { echo "check-output: ${f%.svg}.png missing or empty" >&2; exit 1; }
done
# JSON structure, scenarios, SVG and PNG headers: the Go checker (CI has
# only Go). It is in the bench module, run from its folder.
go run ./cmd/benchcheck "$out"
echo "check-output: ${#svgs[@]} charts ok"
