#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] — build the libFuzzer targets of tests/fuzz/
# (./configure --enable-fuzzing, clang, ASan+UBSan+LSan) in a build directory
# of their own and run each for SECONDS (default 60; 0 = only replay the
# committed corpus). Any crash, leak, timeout (> 1 s for one input), memory
# blow-up (> 2 GB) or sanitizer report fails the target; the reproducer is
# printed (path, size, base64) with the command that replays it. A timeout
# counts only when its input is slow again replayed alone (on a loaded
# machine a millisecond input can miss a 1 s deadline once).
#
# One TAP-ish line per target, then "N passed, N failed"; exit 1 on failure.
#
# Environment:
#   FUZZ_BUILD_DIR  build directory (default: <top>/build-fuzz)
#   FUZZ_JOBS       targets run at once (default 1; CI uses 2)
#   FUZZ_ONLY       regex on target names (cfg, normalize, ...): run only those
#   FUZZ_SEED       libFuzzer's -seed (default 1). A fixed seed makes a run a
#                   prefix of any longer run with that seed, so a gate (CI) is
#                   reproducible and a long local run at the same seed covers
#                   it; FUZZ_SEED=0 draws a new seed each run, to explore.
set -uo pipefail

secs=${1:-60}
case $secs in ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$top/build-fuzz}
jobs=${FUZZ_JOBS:-1}
only=${FUZZ_ONLY:-.}
seed=${FUZZ_SEED:-1}
case $seed in ''|*[!0-9]*) echo "FUZZ_SEED must be a number" >&2; exit 2 ;; esac

# ---- build --------------------------------------------------------------
[ -x "$top/configure" ] || (cd "$top" && autoreconf -fi >/dev/null 2>&1) || {
	echo "Bail out! autoreconf failed"; exit 1; }
mkdir -p "$build"
if [ ! -f "$build/Makefile" ]; then
	(cd "$build" && "$top/configure" --enable-fuzzing >"$build/configure.log" 2>&1) || {
		tail -n 20 "$build/configure.log"
		echo "Bail out! configure --enable-fuzzing failed (clang and libclang-rt-14-dev installed?)"
		exit 1
	}
fi
targets=()
for src in "$top"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	[[ $name =~ $only ]] && targets+=("$name")
done
if [ "${#targets[@]}" -eq 0 ]; then
	echo "Bail out! no fuzz target matches FUZZ_ONLY=$only"
	exit 1
fi
bins=()
for t in "${targets[@]}"; do bins+=("tests/fuzz/fuzz_$t"); done
if ! make -C "$build" -j2 "${bins[@]}" >"$build/make-fuzz.log" 2>&1; then
	grep -E 'error|Error' "$build/make-fuzz.log" | head -n 30
	echo "Bail out! building the fuzz targets failed (see $build/make-fuzz.log)"
	exit 1
fi

# ---- run ----------------------------------------------------------------
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
out=$build/tests/fuzz/out
mkdir -p "$out"

# run_one NAME: fuzz (or replay) one target; its verdict goes to out/NAME.result
run_one() {
	local t=$1 bin=$build/tests/fuzz/fuzz_$1 work=$out/$1/corpus art=$out/$1/artifacts
	local log=$out/$1.log seeds=$top/tests/fuzz/corpus/$1 dict=() mode rc t0=$SECONDS
	rm -rf "$art"
	mkdir -p "$work" "$art"
	[ -f "$top/tests/fuzz/$t.dict" ] && dict=(-dict="$top/tests/fuzz/$t.dict")
	if [ "$secs" -eq 0 ]; then	# replay: every committed input once
		mode=(-runs=0)
	else
		mode=(-max_total_time="$secs" "$work")
	fi
	"$bin" "${mode[@]}" "$seeds" "${dict[@]}" -seed="$seed" -timeout=1 -rss_limit_mb=2048 \
		-detect_leaks=1 -print_final_stats=1 -artifact_prefix="$art/" >"$log" 2>&1
	rc=$?
	{
		echo "rc=$rc"
		echo "secs=$((SECONDS - t0))"
		echo "runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
	} >"$out/$t.result"
}

# only_slow_once NAME: true when the run's one finding is a timeout that
# does not happen again when its input is replayed alone, three times: on a
# loaded machine an input of a few milliseconds can miss the 1 s deadline.
# A real slow input takes over a second every time and still fails.
only_slow_once() {
	local t=$1 f
	set -- "$out/$t/artifacts"/*
	[ $# -eq 1 ] && [[ $(basename "$1") == timeout-* ]] || return 1
	grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$out/$t.log" && return 1
	for f in 1 2 3; do
		"$build/tests/fuzz/fuzz_$t" -timeout=1 -rss_limit_mb=2048 "$1" \
			>>"$out/$t.replay.log" 2>&1 || return 1
	done
	return 0
}

report() {	# report N NAME: the TAP line, and the reproducer on failure
	local n=$1 t=$2 rc secs runs f bad=0
	rc=$(sed -n 's/^rc=//p' "$out/$t.result")
	secs=$(sed -n 's/^secs=//p' "$out/$t.result")
	runs=$(sed -n 's/^runs=//p' "$out/$t.result")
	for f in "$out/$t/artifacts"/*; do [ -e "$f" ] && bad=1; done
	if [ "$rc" -eq 0 ] && [ "$bad" -eq 0 ] &&
	   ! grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$out/$t.log"; then
		echo "ok $n - fuzz_$t: ${secs} s, ${runs:-?} inputs, clean"
		return 0
	fi
	if only_slow_once "$t"; then
		f=$(echo "$out/$t/artifacts"/*)
		echo "ok $n - fuzz_$t: ${secs} s, ${runs:-?} inputs, clean (a timeout under load, not reproduced alone: $(base64 -w0 "$f" | head -c 200))"
		return 0
	fi
	echo "not ok $n - fuzz_$t: exit $rc after ${secs} s, ${runs:-?} inputs (log: $out/$t.log)"
	grep -aE 'ERROR:|SUMMARY:|runtime error:|not a fixed point|^  (in|out|again):' "$out/$t.log" |
		head -n 12 | cut -c1-300 | sed 's/^/#   /'
	for f in "$out/$t/artifacts"/*; do
		[ -e "$f" ] || continue
		echo "#   reproducer: $f ($(wc -c <"$f") bytes)"
		echo "#   base64: $(base64 -w0 "$f" | head -c 4096)"
		echo "#   replay: $build/tests/fuzz/fuzz_$t $f"
	done
	return 1
}

echo "1..${#targets[@]}"
passed=0 failed=0 n=0
running=()
for t in "${targets[@]}"; do
	run_one "$t" &
	running+=($!)
	if [ "${#running[@]}" -ge "$jobs" ]; then
		wait "${running[0]}"
		running=("${running[@]:1}")
	fi
done
wait
for t in "${targets[@]}"; do
	n=$((n + 1))
	if report "$n" "$t"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
