#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The demo: two linked netdevsim ports in two network namespaces, the
# Data Direct (DDI) control plane on one of them, then devmem TCP through
# both ports' DDI devices with ncdevmem, every byte checked.
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

# Devmem TCP over DDI end to end: an ncdevmem server in demo-b receives
# into a udmabuf through netdevsim102's DDI device, a client in demo-a
# sends from one through netdevsim101's, and the server validates every
# byte (a 256-byte pattern, -v 256).
ncd="$KSFT/drivers/net/hw/ncdevmem"
bufinfo=/sys/kernel/debug/dma_buf/bufinfo
nstat() {
	awk -v k="$2" '$1 == k { print $2 }' \
		"/sys/kernel/debug/netdevsim/netdevsim$1/ports/0/devmem_stats"
}
if [ -x "$ncd" ]; then
	lines=256
	sent=$((lines * 256))
	# netdevsim has no RSS or ntuple rules: the server binds both RX
	# queues and leaves the NIC alone (-n), header split turned on here
	# (Debian's ethtool predates tcp-data-split; the selftests' YNL does).
	ip netns exec demo-b python3 -c "
import sys
sys.path.insert(0, '$KSFT/drivers/net')
from lib.py import EthtoolFamily
EthtoolFamily().rings_set({'header': {'dev-name': '$b'},
                           'tcp-data-split': 'enabled', 'hds-thresh': 0})"
	ip netns exec demo-b "$ncd" -l -f "$b" -s 192.0.2.2 -p 5201 -v 256 --ddi \
		-n -t 0 -q 2 > "$VM_OUT/ncdevmem-server.txt" 2>&1 &
	srv=$!
	# Listening on 5201 (0x1451): the server has bound its dma-buf. It
	# listens on an IPv6 socket, v4-mapped.
	for _ in $(seq 300); do
		ip netns exec demo-b cat /proc/net/tcp6 |
			grep -q ':1451 [0-9A-F]*:0000 0A' && break
		kill -0 $srv 2>/dev/null || break
		sleep 0.5
	done
	rx_att=$(grep -o 'netdevsim10[12]\.0-d[a-z]*' $bufinfo | sort -u | tr '\n' ' ')
	# The client's binding lives as long as the client: sample bufinfo.
	(while :; do grep -o 'netdevsim101\.0-d[a-z]*' $bufinfo || :; sleep 0.1; done) \
		> "$VM_OUT/client-bufinfo.txt" 2>/dev/null &
	watch=$!
	set +e
	python3 -c "import sys; sys.stdout.buffer.write((bytes(range(1, 256)) + b'\n') * $lines)" |
		ip netns exec demo-a "$ncd" -f "$a" -s 192.0.2.2 -p 5201 --ddi \
		> "$VM_OUT/ncdevmem-client.txt" 2>&1
	crc=${PIPESTATUS[1]}
	wait $srv
	src=$?
	kill $watch 2>/dev/null
	wait $watch 2>/dev/null
	set -e
	got=$(grep -o 'total_received=[0-9]*' "$VM_OUT/ncdevmem-server.txt" | tail -n1 | cut -d= -f2)
	nval=$(grep -c '^Validated buffer' "$VM_OUT/ncdevmem-server.txt" || :)
	tx_att=$(sort -u "$VM_OUT/client-bufinfo.txt" | tr '\n' ' ')
	say "devmem: ncdevmem --ddi client (TX) demo-a/$a -> server (RX) demo-b/$b"
	say "devmem: sent $sent bytes (client exit $crc), received ${got:-0} bytes in $nval validated buffers (server exit $src)"
	say "devmem: bufinfo: server dma-buf attached to ${rx_att:-nothing}, client dma-buf to ${tx_att:-nothing}"
	say "devmem: netdevsim101 TX: $(nstat 101 tx_bytes) bytes from net_iovs, $(nstat 101 tx_ddi_bytes) via DDI, $(nstat 101 tx_dma_faults) DMA faults"
	say "devmem: netdevsim102 RX: $(nstat 102 rx_bytes) bytes into net_iovs, $(nstat 102 rx_ddi_bytes) via DDI, $(nstat 102 rx_dma_faults) DMA faults"
	if [ $crc = 0 ] && [ $src = 0 ] && [ "${got:-0}" = $sent ] &&
	   [ "$(nstat 102 rx_ddi_bytes)" = $sent ] && [ "$(nstat 101 tx_ddi_bytes)" = $sent ]; then
		say "devmem: OK, every byte moved through the DDI devices and verified"
	else
		say "devmem: FAILED (logs: build/vm/<run>/ncdevmem-{server,client}.txt)"
		rc=1
	fi
else
	say "devmem: SKIPPED, no $ncd (scripts/selftests.sh builds it)"
fi

ip netns del demo-a
ip netns del demo-b
echo 101 > /sys/bus/netdevsim/del_device
echo 102 > /sys/bus/netdevsim/del_device
guest_finish
exit $rc
