#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: everything 'make' does, then the tests, the series hygiene
# and the console scan.  Ends with 'N passed, N failed, N skipped'.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

res="$BUILD/check/results.txt"
mkdir -p "$BUILD/check"
: > "$res"

"$TOP/scripts/mktree.sh"
"$TOP/scripts/build.sh"
"$TOP/scripts/selftests.sh"

stage "series hygiene"
"$TOP/scripts/hygiene.sh" | tee -a "$res"
stage "W=1 and sparse on the files the series touches"
"$TOP/scripts/warnings.sh" | tee -a "$res"
stage "build matrix: mlx5 data direct under other configurations"
"$TOP/scripts/matrix.sh" | tee -a "$res"

# One boot for the demo and the tests: under TCG a boot is the
# expensive part.
vmrc=0
VM_TIMEOUT=${VM_TIMEOUT:-3000} "$TOP/scripts/vm.sh" check \
	"scripts/guest/demo.sh; echo \$? > \$VM_OUT/demo.rc; DDI_CHECK_FULL=${DDI_CHECK_FULL:-0} scripts/guest/tests.sh" || vmrc=$?
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
stage "done; console log: build/vm/check/console.log, results: build/check/results.txt"
"$TOP/scripts/results.py" total "$res"
