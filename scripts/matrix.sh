#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make matrix (and make check): build the directories the mlx5 data
# direct patches touch under the configurations a reviewer asks about,
# with W=1, and compare the W=1 and sparse warnings of the two mlx5
# directories with the base's.  One verdict line per configuration.
#
# Only the affected directories are built, each configuration in its own
# O= directory under build/matrix, so a re-run rebuilds only what changed
# (and ccache serves the rest).  The configurations start from build/kout's
# .config, so 'make build' must have run.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ -f "$KOUT/.config" ] || die "run 'make build' first: the matrix starts from its .config"
MX=$BUILD/matrix
mkdir -p "$MX" "$CACHE"
export KBUILD_BUILD_TIMESTAMP="2026-01-01 00:00:00 UTC" KBUILD_BUILD_USER=ddi KBUILD_BUILD_HOST=series
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}
export CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=true

MLX5=drivers/net/ethernet/mellanox/mlx5/core/
IB=drivers/infiniband/hw/mlx5/

# Sparse through lib.sh's __typeof_unqual__ mapping.
SPARSE=(C=1 CHECK="$SPARSE_CHECK")

# name | scripts/config arguments | symbols that must hold | directories
configs=(
	"y|-e MLX5_CORE -e INFINIBAND -e INFINIBAND_USER_ACCESS -e MLX5_INFINIBAND -e MLX5_DATA_DIRECT_KUNIT_TEST|MLX5_CORE=y MLX5_INFINIBAND=y MLX5_DATA_DIRECT_KUNIT_TEST=y|$MLX5 $IB"
	"en-off|-d MLX5_CORE_EN|MLX5_CORE=m MLX5_CORE_EN=n MLX5_INFINIBAND=m|$MLX5 $IB"
	"ib-off|-d INFINIBAND|MLX5_CORE=m INFINIBAND=n|$MLX5"
	"devmem-off|-d INFINIBAND -d UDMABUF -d DRM -d SYNC_FILE -d DMA_SHARED_BUFFER|MLX5_CORE=m NET_DEVMEM=n NETDEVSIM=m|$MLX5 net/core/ drivers/net/netdevsim/"
)

# Configure $1's O= directory: kout's .config, the changes, olddefconfig;
# fail when a symbol the configuration is about did not stick.
configure() {
	local out=$1 tree=$2 changes=$3 want=$4 sym val got
	mkdir -p "$out"
	cp "$KOUT/.config" "$out/.config"
	# shellcheck disable=SC2086
	[ -z "$changes" ] || "$tree/scripts/config" --file "$out/.config" $changes
	make -s -C "$tree" O="$out" ARCH=x86_64 olddefconfig >/dev/null 2>&1 || return 1
	for w in $want; do
		sym=${w%%=*}
		val=${w#*=}
		got=$(grep "^CONFIG_$sym=" "$out/.config" | cut -d= -f2)
		[ "${got:-n}" = "$val" ] || { echo "CONFIG_$sym=${got:-n}, wanted $val"; return 1; }
	done
}

# Build directories $4.. in O=$1 from tree $2 with W=1, plus sparse when
# $3 is "sparse"; the log is $1/build.log.  Their objects are removed
# first: an up-to-date object prints no warning, and ccache replays the
# compiler's warnings with the object, so the rebuild stays cheap.
build_dirs() {
	local out=$1 tree=$2 check=() d
	[ "$3" = sparse ] && check=("${SPARSE[@]}")
	shift 3
	for d in "$@"; do
		[ -d "$out/$d" ] && find "$out/$d" -name '*.o' -delete
	done
	make -s -C "$tree" O="$out" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" \
		-j"$(nproc)" W=1 "${check[@]}" "$@" > "$out/build.log" 2>&1
}

# The warnings of a log as "file: warning: text", without line numbers,
# so that lines moving within a file do not count as new warnings.
warnings_of() {
	grep -E '^[^ ]+:[0-9]+:([0-9]+:)? (warning|error)' "$1" |
		drop_modinfo_sparse "$2" | sed -E -e "s|^$TREE/||" -e "s|^$MX/base-src/||" \
			-e 's/^([^:]+):[0-9]+:([0-9]+:)? /\1: /' | sort -u
}

# 1. Every configuration builds, with no W=1 warning (the base's mlx5
#    directories build W=1-clean on this compiler).
for c in "${configs[@]}"; do
	IFS='|' read -r name changes want dirs <<< "$c"
	out=$MX/$name
	# shellcheck disable=SC2086
	if ! why=$(configure "$out" "$TREE" "$changes" "$want"); then
		echo "FAIL matrix $name # configuration: ${why:-olddefconfig failed}"
		continue
	fi
	# shellcheck disable=SC2086
	if ! build_dirs "$out" "$TREE" - $dirs; then
		echo "FAIL matrix $name # does not build, see build/matrix/$name/build.log"
		tail -n 20 "$out/build.log" | sed 's/^/    /' >&2
		continue
	fi
	w=$(warnings_of "$out/build.log" "$TREE")
	if [ -n "$w" ]; then
		echo "FAIL matrix $name # $(echo "$w" | wc -l) W=1 warnings, see build/matrix/$name/build.log"
		echo "$w" | sed 's/^/    /' >&2
		continue
	fi
	if [ "$name" = y ]; then
		# Both drivers built in: any symbol defined twice (the VUID
		# query used to live in mlx5_ib) fails this partial link, as it
		# would fail vmlinux.
		if ! ld -m elf_x86_64 -r -o "$out/mlx5-both.o" --whole-archive \
			"$out/$MLX5/built-in.a" "$out/$IB/built-in.a" > "$out/link.log" 2>&1; then
			echo "FAIL matrix $name # mlx5_core and mlx5_ib do not link together, see build/matrix/$name/link.log"
			continue
		fi
	fi
	echo "PASS matrix $name # $(echo $dirs)"
done

# 2. W=1 and sparse on both mlx5 directories at the base and at the
#    series' tip (build/kout's configuration, both drivers as modules):
#    no warning the base does not have.  The base's list is kept in the
#    cache, keyed by the base commit and the configuration.
base=$(git_tree rev-parse base)
cfgsum=$(sha256sum < "$KOUT/.config" | cut -c1-16)
blist=$CACHE/matrix-warnings-${base:0:12}-$cfgsum.txt
if [ ! -f "$blist" ]; then
	bsrc=$MX/base-src
	if [ "$(git -C "$bsrc" rev-parse HEAD 2>/dev/null)" != "$base" ]; then
		rm -rf "$bsrc"
		git_tree worktree prune
		git_tree worktree add -q --detach "$bsrc" base
	fi
	if configure "$MX/base" "$bsrc" "" "" >/dev/null &&
	   build_dirs "$MX/base" "$bsrc" sparse $MLX5 $IB; then
		warnings_of "$MX/base/build.log" "$bsrc" > "$blist.tmp" && mv "$blist.tmp" "$blist"
	fi
fi
out=$MX/tip
# The tip's list is reused while the series and the configuration stay
# the same: sparse over both directories costs minutes.
tlist=$MX/tip-warnings-$(git_tree rev-parse --short=12 HEAD)-$cfgsum.txt
if [ ! -f "$blist" ]; then
	echo "FAIL matrix warnings # the base's mlx5 directories did not build, see build/matrix/base/build.log"
elif [ ! -f "$tlist" ] &&
     { ! configure "$out" "$TREE" "" "" >/dev/null ||
       ! build_dirs "$out" "$TREE" sparse $MLX5 $IB; }; then
	echo "FAIL matrix warnings # the mlx5 directories do not build, see build/matrix/tip/build.log"
else
	if [ ! -f "$tlist" ]; then
		rm -f "$MX"/tip-warnings-*.txt
		warnings_of "$out/build.log" "$TREE" > "$tlist"
	fi
	new=$(comm -13 "$blist" "$tlist")
	if [ -n "$new" ]; then
		echo "FAIL matrix warnings # $(echo "$new" | wc -l) W=1/sparse warnings the base does not have"
		echo "$new" | sed 's/^/    /' >&2
	else
		echo "PASS matrix warnings # W=1 + sparse on $MLX5 $IB: none new ($(wc -l < "$blist") at the base)"
	fi
fi
