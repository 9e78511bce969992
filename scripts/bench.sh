#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: devmem throughput and bind latency over netdevsim, DDI
# against non-DDI, in the VM. Prints a table and writes
# build/bench/{bench.json,results.md,bind-latency.png}. Not run by CI:
# figures from TCG say what the emulation costs, not what hardware does.
# The kernel is built without KASAN, lockdep, kmemleak and DMA-API
# debugging (configs/debug.config left out), in build/kout-bench, so that
# the debug kernel of make check stays as it is; BENCH_DEBUG=1 runs on
# that one instead. BENCH_REPS (pairs of runs), BENCH_XFER_MIB,
# BENCH_SIZES_MIB, BENCH_BIND_BUDGET_S (seconds for the bind sweep;
# larger sizes that would overrun it are skipped and reported) and
# BENCH_PROFILE=0 (no perf profile of bind and unbind) override the
# defaults.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "${BENCH_DEBUG:-0}" != 1 ]; then
	export KOUT=$BUILD/kout-bench
	BUILD_NODEBUG=1 "$TOP/scripts/build.sh"
fi
"$TOP/scripts/selftests.sh"
out="$BUILD/bench"
mkdir -p "$out"
# Bind latency up to 4 GiB of udmabuf: the guest's memory has to hold it.
VM_MEM=${VM_MEM:-8G} VM_TIMEOUT=${VM_TIMEOUT:-5400} \
	"$TOP/scripts/vm.sh" bench \
	"BENCH_PROFILE=${BENCH_PROFILE:-1} BENCH_REPS=${BENCH_REPS:-5} BENCH_XFER_MIB=${BENCH_XFER_MIB:-32} BENCH_SIZES_MIB='${BENCH_SIZES_MIB:-64 256 1024 2048 4096}' BENCH_BIND_BUDGET_S=${BENCH_BIND_BUDGET_S:-1800} python3 scripts/guest/bench.py $TREE $BUILD/kselftest \$VM_OUT/bench.json" ||
	die "the benchmark failed: build/vm/bench/console.log"
cp "$BUILD/vm/bench/bench.json" "$out/bench.json"
[ -f "$BUILD/vm/bench/bind-profile.txt" ] && cp "$BUILD/vm/bench/bind-profile.txt" "$out/"
"$TOP/scripts/bench_report.py" "$out/bench.json" "$out"
