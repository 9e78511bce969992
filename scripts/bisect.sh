#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bisect: show that every patch builds on its own.  For each commit
# of the series, in order, build the objects of the C files it touches
# and the directories they live in, with the configuration of the full
# series (symbols a commit does not know yet are dropped by olddefconfig).
# Uses its own worktree and O= directory, so the main build is untouched.
# A commit that built is remembered (by commit id and configuration) and
# not rebuilt on the next run: appending patches costs only the new ones.
# FROM=<rev> builds only the commits after <rev> (make bisect FROM=...).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -f "$KOUT/.config" ] || die "run 'make build' first: bisect reuses its .config"
wt="$BUILD/bisect"
bout="$BUILD/bisect-out"
export KBUILD_BUILD_TIMESTAMP="2026-01-01 00:00:00 UTC" KBUILD_BUILD_USER=ddi KBUILD_BUILD_HOST=series
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}
export CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=true
if [ -z "$(git -C "$wt" rev-parse -q --verify HEAD 2>/dev/null)" ]; then
	rm -rf "$wt"
	git_tree worktree prune
	git_tree worktree add -q --detach "$wt" base
fi
mkdir -p "$bout/ok"
cfgsum=$(sha256sum < "$KOUT/.config" | cut -c1-16)
BMAKE=(make -s -C "$wt" O="$bout" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" -j"$(nproc)")

fail=0
n=0
from=base
[ -z "${FROM:-}" ] || from=$(git_tree rev-parse --verify "$FROM^{commit}") || die "FROM=$FROM is not a commit"
for c in $(git_tree rev-list --reverse "$from"..HEAD); do
	n=$((n + 1))
	subj=$(git_tree log -1 --format=%s "$c")
	if [ -f "$bout/ok/$c-$cfgsum" ]; then
		stage "[$n] $subj: built before"
		continue
	fi
	git -C "$wt" checkout -q --detach "$c"
	cp "$KOUT/.config" "$bout/.config"
	"${BMAKE[@]}" olddefconfig >/dev/null
	objs=()
	dirs=()
	while read -r f; do
		case "$f" in
		tools/*)
			# User space (ncdevmem): built by selftests.sh for the
			# whole series, not per patch.
			;;
		*.c)
			[ -f "$wt/$f" ] || continue
			objs+=("${f%.c}.o")
			# kbuild builds a directory only from its own Makefile
			# (mlx5's lib/ files are listed in core/Makefile): use
			# the nearest directory that has one.
			d=$(dirname "$f")
			while [ "$d" != . ] && [ ! -f "$wt/$d/Makefile" ] && [ ! -f "$wt/$d/Kbuild" ]; do
				d=$(dirname "$d")
			done
			dirs+=("$d/")
			;;
		esac
	done < <(git_tree diff-tree --no-commit-id --name-only -r "$c")
	mapfile -t dirs < <(printf '%s\n' "${dirs[@]}" | sort -u | sed '/^$/d')
	stage "[$n] $subj: ${#objs[@]} objects, dirs: ${dirs[*]:-none}"
	if ! "${BMAKE[@]}" prepare >/dev/null 2>"$bout/err.log" ||
	   { [ ${#dirs[@]} -gt 0 ] && ! "${BMAKE[@]}" W=1 "${dirs[@]}" "${objs[@]}" 2>"$bout/err.log"; }; then
		echo "FAIL: [$n] $subj does not build:" >&2
		tail -n 20 "$bout/err.log" >&2
		fail=1
	else
		touch "$bout/ok/$c-$cfgsum"
	fi
done
[ $fail = 0 ] && stage "all $n patches build (after $(git_tree log -1 --format='%h %s' "$from"))" || exit 1
