#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# W=1 (and sparse, where it can run) on every kernel C file the series
# touches, one verdict line per file. A warning counts against the series
# when it points at a line the series added or changed; what the base
# already warns about elsewhere in the file is not ours to fix here.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

log="$BUILD/warnings"
rm -rf "$log"
mkdir -p "$log"
export KBUILD_BUILD_TIMESTAMP="2026-01-01 00:00:00 UTC" KBUILD_BUILD_USER=ddi KBUILD_BUILD_HOST=series
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}

# A build directory of its own, so that the W=1 objects never replace
# the ones in build/kout and force a relink there.
WOUT=$BUILD/wout
mkdir -p "$WOUT"
WMAKE=(make -s -C "$TREE" O="$WOUT" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" -j"$(nproc)")
if ! cmp -s "$KOUT/.config" "$WOUT/.config"; then
	cp "$KOUT/.config" "$WOUT/.config"
	"${WMAKE[@]}" olddefconfig >/dev/null
fi
"${WMAKE[@]}" prepare >/dev/null 2>"$log/prepare.log" || {
	echo "FAIL warnings prepare # see build/warnings/prepare.log"
	exit 0
}

# Sparse through lib.sh's __typeof_unqual__ mapping; only warnings on
# lines the series added count.
sparse=(C=2 CHECK="$SPARSE_CHECK")
if [ "$(cd "$TREE" && ./scripts/checker-valid.sh $SPARSE_CHECK -m64 2>/dev/null)" != 1 ]; then
	echo "SKIP sparse # $(sparse --version 2>/dev/null || echo 'no sparse'): does not run on this kernel"
	sparse=()
fi

# Lines added by the series, as "file:line".
git_tree diff -U0 base..HEAD -- '*.c' '*.h' | awk '
	/^\+\+\+ b\// { f = substr($2, 3) }
	/^@@/ { split($3, a, ","); l = substr(a[1], 2); n = (a[2] == "") ? 1 : a[2];
		for (i = 0; i < n; i++) print f ":" l + i }' | sort -u > "$log/added"

mapfile -t files < <(git_tree diff --name-only --diff-filter=AM base..HEAD -- '*.c' |
	grep -v -e '^tools/' -e '^samples/' -e '^scripts/')
warn_one() {
	local f=$1 obj=${1%.c}.o rc new
	# C=2 runs sparse even when the object is up to date.
	"${WMAKE[@]}" W=1 "${sparse[@]}" "$obj" \
		> "$log/${f//\//_}.log" 2>&1
	rc=$?
	new=$(grep -E '^[^ ]+:[0-9]+:([0-9]+:)? (warning|error)' "$log/${f//\//_}.log" |
		drop_modinfo_sparse "$TREE" | sed -e "s|^$TREE/||" -e 's|^\.\./linux/||' | while IFS= read -r w; do
			loc=$(echo "$w" | cut -d: -f1,2)
			grep -qx "$loc" "$log/added" && echo "$w"
		done)
	if [ $rc != 0 ]; then
		echo "FAIL warnings $f # does not build with W=1"
		tail -n 20 "$log/${f//\//_}.log" | sed 's/^/    /' >&2
	elif [ -n "$new" ]; then
		echo "FAIL warnings $f # $(echo "$new" | wc -l) new warnings"
		echo "$new" | sed 's/^/    /' >&2
	else
		echo "PASS warnings $f"
	fi
}

# A file's result depends on it, on the base's version of it (which
# lines are added), on the headers the series changes, the configuration,
# the tools and this script: remembered by those (lib.sh's memo).
wkey=$(key_of "$(tools_sum)" "$0" "$WOUT/.config" "${sparse[*]}" \
	"$(git_tree diff --name-only --diff-filter=AM base..HEAD -- '*.h' | sed 's/^/HEAD:/' | xargs -r git -C "$TREE" rev-parse)")
for f in "${files[@]}"; do
	memo "warnings-$(key_of "$wkey" "$f" "$(git_tree rev-parse "HEAD:$f" "base:$f" 2>/dev/null)")" \
		warn_one "$f"
done
