#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo: two linked netdevsim ports in two network namespaces, then the
# Data Direct (DDI) control plane on one of them.
set -eu
. "$(dirname "$0")/lib.sh"
guest_setup

sum="$VM_OUT/summary.txt"
: > "$sum"
say() { echo "$*" | tee -a "$sum"; }

modprobe netdevsim
echo "101 1 2" > /sys/bus/netdevsim/new_device
echo "102 1 2" > /sys/bus/netdevsim/new_device
udevadm settle 2>/dev/null || sleep 1
a=$(ls /sys/bus/netdevsim/devices/netdevsim101/net/)
b=$(ls /sys/bus/netdevsim/devices/netdevsim102/net/)

ip netns add demo-a
ip netns add demo-b
ip link set "$a" netns demo-a
ip link set "$b" netns demo-b
ia=$(ip -n demo-a -j link show dev "$a" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["ifindex"])')
ib=$(ip -n demo-b -j link show dev "$b" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["ifindex"])')
exec 5</run/netns/demo-a 6</run/netns/demo-b
echo "5:$ia 6:$ib" > /sys/bus/netdevsim/link_device
exec 5<&- 6<&-

ip -n demo-a addr add 192.0.2.1/24 dev "$a"
ip -n demo-b addr add 192.0.2.2/24 dev "$b"
ip -n demo-a link set "$a" up
ip -n demo-b link set "$b" up

if ip netns exec demo-a ping -q -c 5 -i 0.2 -W 2 192.0.2.2 > "$VM_OUT/ping.txt"; then
	say "ping: $(grep 'packets transmitted' "$VM_OUT/ping.txt")"
	rc=0
else
	say "ping: FAILED: $(cat "$VM_OUT/ping.txt")"
	rc=1
fi
say "netdevsim pair: demo-a/$a (ifindex $ia) <-> demo-b/$b (ifindex $ib)"
say "tx on $a: $(ip -n demo-a -s -j link show dev "$a" | python3 -c 'import json,sys; s=json.load(sys.stdin)[0]["stats64"]["tx"]; print(s["packets"], "packets,", s["bytes"], "bytes")')"

# The DDI part runs where the netdev is: in demo-a.
if [ -e "/sys/bus/netdevsim/devices/netdevsim101" ] && [ -e "$GTOP/build/linux/tools/net/ynl/pyynl/lib/ynl.py" ]; then
	if ip netns exec demo-a python3 "$GTOP/scripts/guest/ddi_demo.py" \
		"$GTOP/build/linux" "$a" 101 0 > "$VM_OUT/ddi.txt" 2>&1; then
		sed 's/^/ddi: /' "$VM_OUT/ddi.txt" | tee -a "$sum"
	else
		say "ddi: FAILED:"
		sed 's/^/  /' "$VM_OUT/ddi.txt" | tee -a "$sum"
		rc=1
	fi
fi

ip netns del demo-a
ip netns del demo-b
echo 101 > /sys/bus/netdevsim/del_device
echo 102 > /sys/bus/netdevsim/del_device
guest_finish
exit $rc
