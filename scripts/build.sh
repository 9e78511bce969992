#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build the kernel in build/kout (O=), under ccache.
#
# The configuration is x86_64_defconfig plus configs/*.config (without
# debug.config for BUILD_NODEBUG=1, the benchmark kernel).  It is
# regenerated only when a fragment or the tree's Kconfig files change,
# so an unchanged run costs one 'make' that finds nothing to do.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -d "$TREE" ] || die "no kernel tree at $TREE: run 'make tree' first"
mkdir -p "$KOUT"
JOBS=${JOBS:-$(nproc)}

# Reproducible builds: the same inputs give the same bzImage, and ccache
# hits do not depend on the clock, the user or the machine.
export KBUILD_BUILD_TIMESTAMP="2026-01-01 00:00:00 UTC"
export KBUILD_BUILD_USER=ddi
export KBUILD_BUILD_HOST=series
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}
export CCACHE_BASEDIR=$TOP
export CCACHE_NOHASHDIR=true
export CCACHE_SLOPPINESS=time_macros,include_file_mtime,include_file_ctime
command -v ccache >/dev/null || die "ccache is not installed (.ci/run installs it)"
ccache -M 8G >/dev/null
ccache -z >/dev/null
KMAKE=(make -s -C "$TREE" O="$KOUT" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS")

# BUILD_NODEBUG=1 (make bench): without configs/debug.config, so no
# KASAN, lockdep, kmemleak or DMA-API debugging; give it its own KOUT.
frags=()
for f in "$TOP"/configs/*.config; do
	[ "${BUILD_NODEBUG:-0}" = 1 ] && [ "${f##*/}" = debug.config ] && continue
	frags+=("$f")
done
cfgsum=$( (cat "${frags[@]}"; git_tree ls-files -s -- '*Kconfig*' 'arch/x86/configs/x86_64_defconfig' 2>/dev/null ||
	find "$TREE" -name 'Kconfig*' -newer "$TREE/Makefile") | sha256sum | cut -d' ' -f1)

# Nothing to do when the tree, the configuration, this script and the
# compiler are what the last complete build had: a no-op kbuild run
# still walks the tree and reinstalls the modules.
bkey=$(key_of "$(tree_state)" "$cfgsum" "$0" "$(gcc --version | head -n1)")
if [ "${FORCE:-0}" != 1 ] && [ "$(cat "$KOUT/.ddi-build-key" 2>/dev/null)" = "$bkey" ] &&
   [ -f "$KOUT/arch/x86/boot/bzImage" ] && [ -d "$KOUT/modroot" ]; then
	stage "kernel $(cat "$KOUT/include/config/kernel.release") unchanged since its build (FORCE=1 rebuilds)"
	exit 0
fi
rm -f "$KOUT/.ddi-build-key"

if [ ! -f "$KOUT/.config" ] || [ "$(cat "$KOUT/.config.ddi-sum" 2>/dev/null)" != "$cfgsum" ]; then
	stage "configuring: x86_64_defconfig + ${frags[*]##*/}"
	rm -f "$KOUT/.config.ddi-sum"
	"${KMAKE[@]}" x86_64_defconfig >/dev/null
	(cd "$KOUT" && "$TREE/scripts/kconfig/merge_config.sh" -m -O "$KOUT" "$KOUT/.config" "${frags[@]}" >/dev/null)
	"${KMAKE[@]}" olddefconfig >/dev/null

	# olddefconfig silently drops what it cannot satisfy: list it all.
	missing=()
	while IFS= read -r line; do
		sym=${line%%=*}
		val=${line#*=}
		if [ "$val" = n ]; then
			grep -q "^$sym=" "$KOUT/.config" && missing+=("$sym=n (got $(grep "^$sym=" "$KOUT/.config" | cut -d= -f2))")
		else
			grep -qx "$sym=$val" "$KOUT/.config" || missing+=("$line (got $(grep "^$sym=" "$KOUT/.config" | cut -d= -f2 || echo unset))")
		fi
	done < <(grep -h '^CONFIG_' "${frags[@]}")
	if [ ${#missing[@]} -gt 0 ]; then
		echo "error: the final .config lacks requested symbols:" >&2
		printf '  %s\n' "${missing[@]}" >&2
		exit 1
	fi
	echo "$cfgsum" > "$KOUT/.config.ddi-sum"
fi

stage "building bzImage and modules (-j$JOBS, ccache)"
"${KMAKE[@]}" bzImage modules
stage "installing modules for the guest"
rm -rf "$KOUT/mod.tmp"
"${KMAKE[@]}" INSTALL_MOD_PATH="$KOUT/mod.tmp" INSTALL_MOD_STRIP=1 modules_install >/dev/null
rm -rf "$KOUT/modroot"
mv "$KOUT/mod.tmp" "$KOUT/modroot"
stage "kernel $(cat "$KOUT/include/config/kernel.release") built; ccache: $(ccache -s | awk '/Hits:/ {print $2 " hits"; exit}')"
echo "$bkey" > "$KOUT/.ddi-build-key"
