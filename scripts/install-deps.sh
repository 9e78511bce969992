#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the harness needs on Debian 12 (root or sudo), from the
# machine's Debian mirror.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

pkgs=(
	# kernel build, and checkpatch's SPDX check (ply, git)
	build-essential bc bison flex libelf-dev libssl-dev dwarves cpio kmod
	xz-utils zstd ccache sparse git python3
	# kselftest build (BPF objects, YNL) and install (rsync)
	clang llvm pkg-config python3-yaml python3-jinja2 python3-jsonschema rsync
	# the VM (QEMU, a static busybox for its initramfs) and what the
	# guest runs from the host filesystem
	qemu-system-x86 iproute2 ethtool iputils-ping socat netcat-openbsd
	procps file busybox-static python3-ply python3-git
	# udevadm, which the kselftest netdevsim library runs (udevadm settle)
	udev
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	stage "apt-get install ${missing[*]}"
	$SUDO apt-get update -q
	$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

stage "dependencies installed"
