# SPDX-License-Identifier: GPL-2.0
"""udmabuf and dma-buf debugfs helpers for the guest scripts."""

import fcntl
import os
import struct

BUFINFO = "/sys/kernel/debug/dma_buf/bufinfo"


def udmabuf(size, name="ddi"):
    """A dma-buf fd backed by a sealed memfd of @size bytes."""
    memfd = os.memfd_create(name, os.MFD_ALLOW_SEALING)
    os.ftruncate(memfd, size)
    fcntl.fcntl(memfd, 1033, 0x0002)            # F_ADD_SEALS, F_SEAL_SHRINK
    dev = os.open("/dev/udmabuf", os.O_RDWR)
    # A mutable buffer makes ioctl() return the new dma-buf fd.
    arg = bytearray(struct.pack("IIQQ", memfd, 0, 0, size))
    fd = fcntl.ioctl(dev, 0x40187542, arg, True)    # UDMABUF_CREATE
    os.close(dev)
    os.close(memfd)
    return fd


def attached(fd):
    """Names of the devices the dma-buf behind @fd is attached to."""
    ino, devs = os.fstat(fd).st_ino, None
    with open(BUFINFO, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if devs is None:
                if len(fields) >= 6 and fields[5].isdigit() and \
                   int(fields[5]) == ino:
                    devs = []
            elif line.startswith("Total"):
                break
            elif "Attached Devices" not in line:
                devs.append(line.strip())
    return devs or []
