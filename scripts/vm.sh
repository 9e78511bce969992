#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot build/kout in QEMU and run one guest command.
#
#   scripts/vm.sh NAME 'command'
#
# The guest sees the host filesystem read-only and build/vm/NAME read-write
# (as $VM_OUT).  The whole console goes to build/vm/NAME/console.log; the
# guest's exit code is the script's.  KVM is used only where a probe boot
# proved it works on this machine, so a broken nested KVM cannot hang us.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=$1
cmd=$2
VM_TIMEOUT=${VM_TIMEOUT:-2400}
VM_MEM=${VM_MEM:-4G}
VM_CPUS=${VM_CPUS:-$(nproc)}
out="$BUILD/vm/$name"
kimg="$KOUT/arch/x86/boot/bzImage"

[ -f "$kimg" ] || die "no kernel at $kimg: run 'make build' first"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86 is not installed (.ci/run installs it)"
rm -rf "$out"
mkdir -p "$out"

# KVM probe: boot the kernel with no root and wait for the panic that
# says it got all the way through.  Cached per host boot.
kvm_ok() {
	local f="$CACHE/kvm.$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)"
	if [ -n "${VM_KVM:-}" ]; then
		[ "$VM_KVM" = 1 ]
		return
	fi
	[ -f "$f" ] && { [ "$(cat "$f")" = yes ]; return; }
	local r=no
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		if timeout -k 2 25 qemu-system-x86_64 -enable-kvm -cpu host -m 512 \
			-nographic -no-reboot -kernel "$kimg" \
			-append "console=ttyS0 panic=-1 root=/dev/nonexistent" \
			</dev/null 2>/dev/null | grep -q -m1 'Kernel panic'; then
			r=yes
		fi
	fi
	mkdir -p "$CACHE"
	echo $r > "$f"
	[ $r = yes ]
}

# qemu64 rather than max: user space then takes SSE code paths, which TCG
# runs much faster than the AVX ones it would pick otherwise.
accel=(-machine q35,accel=tcg -cpu qemu64,+ssse3,+sse4.1,+sse4.2,+popcnt)
kvm_ok && accel=(-machine q35,accel=kvm -cpu host)
stage "booting the kernel ($([ "${accel[1]}" = q35,accel=kvm ] && echo KVM || echo TCG), $VM_CPUS cpus, $VM_MEM): $name"

# A tiny initramfs (static busybox and guest/initramfs-init) assembles
# the guest's root from the host's filesystem, then runs
# scripts/guest/init.sh as PID 1. The command travels on the kernel
# command line, base64-encoded.
initrd="$BUILD/vm/initramfs.cpio"
bb=$(command -v busybox || true)
[ -n "$bb" ] && file -L "$bb" | grep -q 'statically linked' ||
	die "a static busybox is needed for the VM's initramfs (busybox-static)"
if [ ! -f "$initrd" ] || [ "$TOP/scripts/guest/initramfs-init" -nt "$initrd" ]; then
	stage_dir=$(mktemp -d)
	mkdir -p "$stage_dir/bin"
	cp -L "$bb" "$stage_dir/bin/busybox"
	cp "$TOP/scripts/guest/initramfs-init" "$stage_dir/init"
	chmod 0755 "$stage_dir/init"
	(cd "$stage_dir" && find . | cpio -o -H newc --quiet) > "$initrd.tmp"
	mv "$initrd.tmp" "$initrd"
	rm -rf "$stage_dir"
fi
enc=$(printf '%s' "$cmd" | base64 -w0)
append="console=ttyS0 printk.time=1 log_buf_len=16M panic=-1 oops=panic"
append+=" kmemleak=on rdinit=/init ddi.init=$TOP/scripts/guest/init.sh"
append+=" ddi.top=$TOP ddi.kout=$KOUT ddi.cmd=$enc"

set +e
timeout -k 15 "$VM_TIMEOUT" qemu-system-x86_64 "${accel[@]}" \
	-smp "$VM_CPUS" -m "$VM_MEM" -nographic -no-reboot \
	-kernel "$kimg" -initrd "$initrd" -append "$append" \
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=root,mount_tag=hostroot \
	-fsdev local,id=out,path="$out",security_model=none \
	-device virtio-9p-pci,fsdev=out,mount_tag=ddiout \
	-device virtio-rng-pci \
	</dev/null > "$out/console.log" 2>&1
qrc=$?
set -e

if [ $qrc = 124 ] || [ $qrc = 137 ]; then
	echo "error: the VM did not finish within ${VM_TIMEOUT}s; console tail:" >&2
	tail -n 40 "$out/console.log" >&2
	exit 1
fi
if ! grep -q 'ddi-init: ready' "$out/console.log"; then
	echo "error: the kernel did not boot to the test script (qemu exit $qrc); console tail:" >&2
	tail -n 40 "$out/console.log" >&2
	exit 1
fi
if [ ! -f "$out/rc" ]; then
	echo "error: the guest stopped before its command finished; console tail:" >&2
	tail -n 40 "$out/console.log" >&2
	exit 1
fi
exit "$(cat "$out/rc")"
