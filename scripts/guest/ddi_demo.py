#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Show the Data Direct (DDI) control plane on one netdevsim port.

  ddi_demo.py TREE IFNAME NSIM_ID PORT

Reads ddi_device from sysfs and the DDI report of dev-get, binds two
udmabufs for RX and TX with the ddi flag, shows from dma-buf debugfs which
device each is attached to, then takes the DDI device away and shows that
both bindings were revoked. Prints 'key: value' lines for the summary.
"""

import os
import sys

TREE, IFNAME, NSIM_ID, PORT = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
sys.path.append(os.path.join(TREE, "tools/net/ynl/pyynl"))
from lib import YnlFamily  # noqa: E402  pylint: disable=wrong-import-position
from dmabuf import udmabuf, attached  # noqa: E402  pylint: disable=wrong-import-position

SPECS = os.path.join(TREE, "Documentation/netlink/specs")
DFS = f"/sys/kernel/debug/netdevsim/netdevsim{NSIM_ID}/ports/{PORT}"


def main():
    # 'ip netns exec' gives us a fresh sysfs without debugfs on it.
    if not os.path.ismount("/sys/kernel/debug"):
        os.system("mount -t debugfs none /sys/kernel/debug")
    ifindex = int(open(f"/sys/class/net/{IFNAME}/ifindex").read())
    netdev = YnlFamily(os.path.join(SPECS, "netdev.yaml"), schema="")
    ethtool = YnlFamily(os.path.join(SPECS, "ethtool.yaml"), schema="")

    with open(f"/sys/class/net/{IFNAME}/ddi_device", encoding="utf-8") as f:
        print(f"sysfs ddi_device: {f.read().strip()}")
    dev = netdev.dev_get({"ifindex": ifindex})
    print(f"dev-get: ddi-capable={dev.get('ddi-capable', False)} "
          f"ddi-device={dev.get('ddi-device')}")

    # Devmem RX needs header split with a zero threshold.
    ethtool.rings_set({"header": {"dev-index": ifindex},
                       "tcp-data-split": "enabled", "hds-thresh": 0})
    rx_fd, tx_fd = udmabuf(4 << 20), udmabuf(4 << 20)
    rx = netdev.bind_rx({"ifindex": ifindex, "fd": rx_fd, "ddi": True,
                         "queues": [{"id": 1, "type": "rx"}]})
    tx = netdev.bind_tx({"ifindex": ifindex, "fd": tx_fd, "ddi": True})
    print(f"bind-rx ddi: binding {rx['id']} on queue 1, bufinfo attached to "
          f"{', '.join(attached(rx_fd))}")
    print(f"bind-tx ddi: binding {tx['id']}, bufinfo attached to "
          f"{', '.join(attached(tx_fd))}")
    queue = netdev.queue_get({"ifindex": ifindex, "id": 1, "type": "rx"})
    print(f"queue 1 dmabuf: {queue.get('dmabuf')}")

    with open(f"{DFS}/ddi_available", "w", encoding="utf-8") as f:
        f.write("N")
    queue = netdev.queue_get({"ifindex": ifindex, "id": 1, "type": "rx"})
    print(f"after ddi_available=N: rx attached to {attached(rx_fd) or 'nothing'}, "
          f"tx attached to {attached(tx_fd) or 'nothing'}, "
          f"queue 1 dmabuf {queue.get('dmabuf')}")
    with open(f"{DFS}/ddi_available", "w", encoding="utf-8") as f:
        f.write("Y")

    netdev.sock.close()
    os.close(rx_fd)
    os.close(tx_fd)


if __name__ == "__main__":
    main()
