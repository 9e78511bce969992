#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# PID 1 of the test VM, started by guest/initramfs-init. The host's
# filesystem is bound in read-only; /tmp, /run and an overlay on /usr are
# tmpfs, and $VM_OUT is a 9p share of build/vm/<name> that the host reads
# back. Kept minimal on purpose: under TCG with KASAN, lockdep and
# kmemleak every process costs, so no udev and no systemd.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t configfs configfs /sys/kernel/config 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
# What udev would create: the kselftest runner logs to /dev/stdout.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr

arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p"; }
TOP=$(arg ddi.top)
KOUT=$(arg ddi.kout)
export VM_OUT TOP

# Results go to a share of build/vm/<name>, mounted on our tmpfs.
VM_OUT=/run/ddi-out
mkdir -p "$VM_OUT"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 ddiout "$VM_OUT"

# Modules from the build, where modprobe looks for them: /usr becomes
# an overlay with a writable tmpfs on top of the host's.
rel=$(uname -r)
mkdir -p /run/ovl/upper /run/ovl/work
mount -t overlay overlay -o lowerdir=/usr,upperdir=/run/ovl/upper,workdir=/run/ovl/work /usr
mkdir -p /usr/lib/modules
rm -rf "/usr/lib/modules/$rel"
ln -s "$KOUT/modroot/lib/modules/$rel" "/usr/lib/modules/$rel"

hostname ddi-vm
ip link set lo up
# Boot-time kmemleak reports belong to the base kernel and its early
# allocations, not to what we run: start from a clean slate, once.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	echo clear > /sys/kernel/debug/kmemleak
fi
# DMA-API debugging warns once per driver by default: every report, for
# the driver of netdevsim's DMA and DDI devices (faux_driver). udmabuf's
# own misc device has no DMA parameters, so its cache-maintenance
# mappings of large folios are reported as segments over 64 KiB: a
# udmabuf issue outside the series, left out of the scan.
if [ -w /sys/kernel/debug/dma-api/all_errors ]; then
	echo 1 > /sys/kernel/debug/dma-api/all_errors
	echo faux_driver > /sys/kernel/debug/dma-api/driver_filter
fi
echo "ddi-init: ready" > /dev/kmsg
# The boot, for the timings of make check (guest clock).
echo "boot 0 $(cut -d' ' -f1 /proc/uptime)" > "$VM_OUT/timings.txt"

cd "$TOP" || exit 1
arg ddi.cmd | base64 -d > /tmp/ddi-cmd
bash /tmp/ddi-cmd
echo $? > "$VM_OUT/rc"
sync
echo "ddi-init: done" > /dev/kmsg
echo o > /proc/sysrq-trigger
sleep 10
