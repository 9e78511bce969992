# SPDX-License-Identifier: GPL-2.0
# Guest-side helpers, sourced by the scripts that run inside the VM.

: "${VM_OUT:?VM_OUT is set by scripts/vm.sh}"
GTOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KSFT=${KSFT:-$GTOP/build/kselftest}

guest_setup() {
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
	mountpoint -q /sys/kernel/tracing || mount -t tracefs none /sys/kernel/tracing 2>/dev/null || true
	mkdir -p /run/netns
	ip link set lo up
}

# Two scans: kmemleak reports an object only once it has looked
# unreferenced on two consecutive scans, after a minimum age.
guest_kmemleak() {
	[ -w /sys/kernel/debug/kmemleak ] || { echo "kmemleak: not available" > "$VM_OUT/kmemleak.txt"; return; }
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak > "$VM_OUT/kmemleak.txt"
}

guest_finish() {
	dmesg > "$VM_OUT/dmesg.txt"
}

# part NAME CMD...: run CMD and note its start and end (guest clock, s
# since boot) in $VM_OUT/timings.txt for the summary of make check.
part() {
	local name=$1 t rc=0
	shift
	t=$(cut -d' ' -f1 /proc/uptime)
	"$@" || rc=$?
	echo "$name $t $(cut -d' ' -f1 /proc/uptime)" >> "$VM_OUT/timings.txt"
	return $rc
}
