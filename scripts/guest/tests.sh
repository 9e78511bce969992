#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the KUnit modules and kselftests named in scripts/tests.list.
# Raw results go to $VM_OUT for scripts/results.py to count.
set -u
. "$(dirname "$0")/lib.sh"
guest_setup

list="$GTOP/scripts/tests.list"
: > "$VM_OUT/kunit.ktap"
: > "$VM_OUT/ksft.tap"

run_one() {
	local kind=$1 what=$2
	case "$kind" in
	kunit)
		echo "== kunit $what"
		before=$(ls /sys/kernel/debug/kunit 2>/dev/null)
		if ! modprobe "$what"; then
			echo "not ok 1 $what # module failed to load" >> "$VM_OUT/kunit.ktap"
			return
		fi
		# Module suites run at load time; debugfs keeps each suite's
		# log until the module goes.  Take only the suites it added.
		for s in $(ls /sys/kernel/debug/kunit); do
			echo "$before" | grep -qx "$s" && continue
			cat "/sys/kernel/debug/kunit/$s/results" >> "$VM_OUT/kunit.ktap"
		done
		modprobe -r "$what"
		;;
	ksft)
		echo "== kselftest $what"
		# TCG with a debug kernel is many times slower than the hardware
		# the settings file and the tests' own waits were written for.
		export KSFT_MACHINE_SLOW=yes
		set -- $what
		# 'make check-full' drops the filters.
		if [ $# = 1 ] || [ "${DDI_CHECK_FULL:-0}" = 1 ]; then
			(cd "$KSFT" && ./run_kselftest.sh -o 1800 -t "$1") 2>&1 | tee -a "$VM_OUT/ksft.tap"
			return
		fi
		# With arguments for the test (case filters), run it as the
		# runner would and print what the runner prints.
		dir=${1%%:*} prog=${1#*:}
		shift
		{
			echo "# selftests: $dir: $prog $*"
			(cd "$KSFT/$dir" && timeout -k 10 1800 "./$prog" "$@") 2>&1 | sed 's/^/# /'
			rc=${PIPESTATUS[0]}
			if [ "$rc" = 0 ]; then
				echo "ok 1 selftests: $dir: $prog"
			else
				echo "not ok 1 selftests: $dir: $prog # exit=$rc"
			fi
		} 2>&1 | tee -a "$VM_OUT/ksft.tap"
		;;
	esac
}

while read -r kind what; do
	part "$kind ${what%% *}" run_one "$kind" "$what" < /dev/null
done < <(grep -v '^[[:space:]]*\(#\|$\)' "$list")

part kmemleak-scan guest_kmemleak
guest_finish
echo "== guest tests done"
