#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make matrix (and make check): build the directories the mlx5 data
# direct patches touch under the configurations a reviewer asks about,
# with W=1, and compare the W=1 and sparse warnings of the mlx5 files the
# series can affect with the base's.  One verdict line per configuration.
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

# name | scripts/config arguments | symbols that must hold | what to
# build: directories, or SET for the mlx5 files the series can affect.
# Built in, every mlx5 object is compiled with other flags than as a
# module, so 'y' builds only those; the other configurations share most
# objects with each other through ccache.
configs=(
	"y|-e MLX5_CORE -e INFINIBAND -e INFINIBAND_USER_ACCESS -e MLX5_INFINIBAND -e MLX5_DATA_DIRECT_KUNIT_TEST -e MLX5_EN_DDI_KUNIT_TEST|MLX5_CORE=y MLX5_INFINIBAND=y MLX5_DATA_DIRECT_KUNIT_TEST=y MLX5_EN_DDI_KUNIT_TEST=y|SET"
	"en-off|-d MLX5_CORE_EN|MLX5_CORE=m MLX5_CORE_EN=n MLX5_INFINIBAND=m|$MLX5 $IB"
	"en-opts-off|-d MLX5_EN_ARFS -d MLX5_EN_RXNFC -d MLX5_MPFS|MLX5_CORE_EN=y MLX5_EN_ARFS=n MLX5_EN_RXNFC=n MLX5_MPFS=n|$MLX5"
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

# Build targets $4.. (directories or objects) in O=$1 from tree $2 with
# W=1, plus sparse on every object when $3 is "sparse"; the log is
# $1/build.log.  An up-to-date object prints no warning, so after a run
# that was not clean (no $1/.clean) the objects are removed first;
# ccache replays the compiler's warnings with the object, so that costs
# little.  After a clean run kbuild rebuilds only what changed, and the
# objects it keeps are known to be warning-free.
build_dirs() {
	local out=$1 tree=$2 check=() d
	[ "$3" = sparse ] && check=(C=2 CHECK="$SPARSE_CHECK")
	shift 3
	if [ ! -f "$out/.clean" ] || [ ${#check[@]} -gt 0 ]; then
		for d in "$@"; do
			if [ -d "$out/$d" ]; then
				find "$out/$d" -name '*.o' -delete
			else
				rm -f "$out/$d"
			fi
		done
	fi
	rm -f "$out/.clean"
	make -s -C "$tree" O="$out" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" \
		-j"$(nproc)" W=1 "${check[@]}" "$@" > "$out/build.log" 2>&1
}

# Built in, mlx5_core and mlx5_ib link into one vmlinux: a global symbol
# that both modules of build/kout define (the VUID query used to live
# in mlx5_ib) would fail that link.  Print such symbols; fail if any.
duplicate_symbols() {
	local core ib d
	core=$(find "$KOUT/$MLX5" -name mlx5_core.ko | head -n1)
	ib=$(find "$KOUT/$IB" -name mlx5_ib.ko | head -n1)
	[ -n "$core" ] && [ -n "$ib" ] || { echo "(modules not built)"; return 1; }
	d=$(comm -12 <(globals "$core") <(globals "$ib") | tr '\n' ' ')
	echo "$d"
	[ -z "$d" ]
}
globals() {
	nm --defined-only "$1" | awk '$2 ~ /^[A-Z]$/ { print $3 }' |
		grep -v -x -e init_module -e cleanup_module -e __this_module | sort -u
}

# The warnings of a log as "file: warning: text", without line numbers,
# so that lines moving within a file do not count as new warnings.
warnings_of() {
	grep -E '^[^ ]+:[0-9]+:([0-9]+:)? (warning|error)' "$1" |
		drop_modinfo_sparse "$2" | sed -E -e "s|^$TREE/||" -e "s|^$MX/base-src/||" \
			-e 's/^([^:]+):[0-9]+:([0-9]+:)? /\1: /' | sort -u
}

# The mlx5 files the series can affect: the files it changes and the
# ones that include an mlx5 header it changes (from build/kout's
# dependency files).  A change to a generic header (netdevice.h) would
# pull in every file; its own lines are checked by warnings.sh wherever
# a touched file includes it, and part 1 builds every mlx5 file with W=1
# in the configurations other than 'y'.
mapfile -t touched_h < <(git_tree diff --name-only --diff-filter=AM base..HEAD -- \
	"$MLX5" "$IB" include/linux/mlx5/ | grep '\.h$')
files=$( {
	git_tree diff --name-only --diff-filter=AM base..HEAD -- "$MLX5" "$IB" | grep '\.c$'
	for cmd in $(find "$KOUT/$MLX5" "$KOUT/$IB" -name '.*.o.cmd'); do
		# Paths there are relative to build/kout, or absolute; a
		# file the series has since removed leaves a stale one.
		src=$(sed -n 's/^source_[^ ]* := //p' "$cmd")
		[ -n "$src" ] || continue
		src=$(cd "$KOUT" && realpath -m --relative-to="$TREE" "$src")
		[ -f "$TREE/$src" ] || continue
		for h in "${touched_h[@]}"; do
			if grep -qF "/$h" "$cmd"; then
				echo "$src"
				break
			fi
		done
	done
} | sort -u)
objs=$(echo "$files" | sed 's/\.c$/.o/')

# 1. Every configuration builds, with no W=1 warning (the base's mlx5
#    directories build W=1-clean on this compiler).
for c in "${configs[@]}"; do
	IFS='|' read -r name changes want dirs <<< "$c"
	what=$dirs
	if [ "$dirs" = SET ]; then
		dirs=$(echo $objs)
		what="$(echo "$objs" | grep -c .) mlx5 files"
	fi
	out=$MX/$name
	t0=$(date +%s)
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
	if [ "$name" = y ] && ! dups=$(duplicate_symbols); then
		echo "FAIL matrix $name # mlx5_core and mlx5_ib both define: $dups"
		continue
	fi
	touch "$out/.clean"
	echo "PASS matrix $name # $what ($(( $(date +%s) - t0 )) s)"
done

# 2. W=1 and sparse at the base and at the series' tip (build/kout's
#    configuration, both drivers as modules): no warning the base does
#    not have, in the mlx5 files the series can affect (above).  Each
#    side's list is cached, keyed by what it is computed from.
t0=$(date +%s)
base=$(git_tree rev-parse base)
cfgsum=$(sha256sum < "$KOUT/.config" | cut -c1-16)
# The base side: only files the base has.
bobjs=$(for o in $objs; do git_tree cat-file -e "base:${o%.o}.c" 2>/dev/null && echo "$o"; done)
blist=$CACHE/matrix-warnings-$(key_of "$base" "$cfgsum" "$(tools_sum)" "$bobjs" "$0").txt
if [ ! -f "$blist" ]; then
	bsrc=$MX/base-src
	if [ "$(git -C "$bsrc" rev-parse HEAD 2>/dev/null)" != "$base" ]; then
		rm -rf "$bsrc"
		git_tree worktree prune
		git_tree worktree add -q --detach "$bsrc" base
	fi
	# shellcheck disable=SC2086
	if configure "$MX/base" "$bsrc" "" "" >/dev/null &&
	   build_dirs "$MX/base" "$bsrc" sparse $bobjs; then
		warnings_of "$MX/base/build.log" "$bsrc" > "$blist.tmp" && mv "$blist.tmp" "$blist"
	fi
fi
out=$MX/tip
tlist=$MX/tip-warnings-$(key_of "$(tree_state)" "$cfgsum" "$(tools_sum)" "$objs" "$0").txt
nfiles=$(echo "$objs" | grep -c .)
if [ ! -f "$blist" ]; then
	echo "FAIL matrix warnings # the base's files did not build, see build/matrix/base/build.log"
elif [ ! -f "$tlist" ] &&
     { ! configure "$out" "$TREE" "" "" >/dev/null ||
       ! build_dirs "$out" "$TREE" sparse $objs; }; then
	echo "FAIL matrix warnings # the tip's files do not build, see build/matrix/tip/build.log"
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
		echo "PASS matrix warnings # W=1 + sparse on $nfiles mlx5 files: none new ($(wc -l < "$blist") at the base; $(( $(date +%s) - t0 )) s)"
	fi
fi
