#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: everything 'make' does, then the tests, the series hygiene
# and the console scan.  Ends with 'N passed, N failed, N skipped'.
#
# The deterministic steps (the build, hygiene, W=1 and sparse, the
# matrix, the postings check) reuse their last green result while their
# inputs are the same: the series, the tree, the configuration, the
# scripts and the tools' versions.  FORCE=1 runs them all.  The VM
# always runs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

res="$BUILD/check/results.txt"
timings="$BUILD/check/timings.txt"
mkdir -p "$BUILD/check"
: > "$res"
: > "$timings"

# timed NAME CMD...: run CMD, note its wall time for the summary.
timed() {
	local name=$1 t rc=0
	shift
	t=$(date +%s)
	"$@" || rc=$?
	echo "$name $(( $(date +%s) - t ))" >> "$timings"
	return $rc
}

# step NAME KEY SCRIPT: run a deterministic check script, its verdict
# lines into the results; reused while KEY is unchanged.
step() {
	local name=$1 m="step-$1-$2" script=$3
	if [ "${FORCE:-0}" != 1 ] && [ -f "$MEMO/$m" ]; then
		stage "$name: unchanged since $(cat "$MEMO/$m.rev" 2>/dev/null || echo unknown), $(grep -c . "$MEMO/$m") results reused (FORCE=1 runs it)"
	else
		stage "$name"
	fi
	memo "$m" "$script" | tee -a "$res" ||
		echo "FAIL $name # the script exited with ${PIPESTATUS[0]}" | tee -a "$res"
	[ ! -f "$MEMO/$m" ] || [ -f "$MEMO/$m.rev" ] || top_rev > "$MEMO/$m.rev"
}

timed tree "$TOP/scripts/mktree.sh"
timed build "$TOP/scripts/build.sh"
timed kselftests "$TOP/scripts/selftests.sh"

inputs=("$(series_sum)" "$(tree_state)" "$(tools_sum)" "$TOP/scripts/lib.sh")
timed hygiene step hygiene "$(key_of "${inputs[@]}" "$TOP"/scripts/{hygiene,export,mktree}.sh "$TOP/scripts/fixes.verified")" \
	"$TOP/scripts/hygiene.sh"
timed warnings step warnings "$(key_of "${inputs[@]}" "$KOUT/.config" "$TOP/scripts/warnings.sh")" \
	"$TOP/scripts/warnings.sh"
timed matrix step "matrix" "$(key_of "${inputs[@]}" "$KOUT/.config" "$TOP/scripts/matrix.sh")" \
	"$TOP/scripts/matrix.sh"
# Each posting applied on its own dependencies and built. It reads the
# patches, the split (postings/) and the configuration, not the tree.
timed postings step postings "$(key_of "$(series_sum)" "$(tools_sum)" "$KOUT/.config" \
	"$TOP"/scripts/{lib,postings-lib,postings-check}.sh "$TOP"/postings/map "$TOP"/postings/*.cover)" \
	"$TOP/scripts/postings-check.sh"

# One boot for the demo and the tests: under TCG a boot is the
# expensive part.
vmrc=0
VM_TIMEOUT=${VM_TIMEOUT:-3000} timed vm "$TOP/scripts/vm.sh" check \
	". scripts/guest/lib.sh; part demo scripts/guest/demo.sh; echo \$? > \$VM_OUT/demo.rc; DDI_CHECK_FULL=${DDI_CHECK_FULL:-0} scripts/guest/tests.sh" || vmrc=$?
out="$BUILD/vm/check"
stage "demo"
"$TOP/scripts/summary.sh" "$out" | tee "$BUILD/check/summary.txt"
if [ "$(cat "$out/demo.rc" 2>/dev/null)" = 0 ]; then
	echo "PASS demo" >> "$res"
else
	echo "FAIL demo # exit $(cat "$out/demo.rc" 2>/dev/null || echo none)" >> "$res"
fi

stage "results"
[ $vmrc = 0 ] || echo "FAIL vm # the VM exited with $vmrc" >> "$res"
"$TOP/scripts/results.py" kunit "$out/kunit.ktap" >> "$res" 2>&1 || true
"$TOP/scripts/results.py" ksft "$out/ksft.tap" >> "$res" 2>&1 || true
"$TOP/scripts/results.py" scan "$out/console.log" "$out/dmesg.txt" "$out/kmemleak.txt" >> "$res"
[ -s "$out/dmesg.txt" ] || echo "FAIL dmesg # the guest did not save its kernel log" >> "$res"

grep -v '^PASS' "$res" || true
# Wall time per step, and inside the VM per part (guest clock).
echo "$(( $(date +%s) - T0 ))" > "$BUILD/check/total-seconds"
"$TOP/scripts/results.py" timings "$timings" "$out/timings.txt" "$(( $(date +%s) - T0 ))"
stage "done; console log: build/vm/check/console.log, results: build/check/results.txt"
"$TOP/scripts/results.py" total "$res"
