#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build and install the kselftests the VM runs into build/kselftest.
# Reused while the tree's HEAD and scripts/tests.list are unchanged.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

targets=$(sed -n 's/^ksft \([^:]*\):.*/\1/p' "$TOP/scripts/tests.list" | sort -u | tr '\n' ' ')
key="$(git_tree rev-parse HEAD) $targets"
dest="$BUILD/kselftest"
if [ "$(cat "$dest/.ddi-key" 2>/dev/null)" = "$key" ]; then
	stage "kselftests up to date ($targets)"
	exit 0
fi
stage "building kselftests: $targets"
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}
make -s -C "$TREE" O="$KOUT" headers >/dev/null
rm -rf "$dest"
make -s -C "$TREE/tools/testing/selftests" O="$KOUT/kselftest-build" \
	TARGETS="$targets" KHDR_INCLUDES="-isystem $KOUT/usr/include" \
	INSTALL_PATH="$dest" -j"$(nproc)" install >"$BUILD/kselftest-build.log" 2>&1 || {
	tail -n 30 "$BUILD/kselftest-build.log" >&2
	die "kselftest build failed (log: build/kselftest-build.log)"
}
# The kselftest install carries on past a target that failed to build
# ("Skipping non-existent dir"), so check that every test is there.
for t in $(sed -n 's/^ksft \([^ ]*\).*/\1/p' "$TOP/scripts/tests.list"); do
	grep -qx "$t" "$dest/kselftest-list.txt" 2>/dev/null || {
		grep -n 'Error\|error:\|Skipping' "$BUILD/kselftest-build.log" | tail -n 20 >&2
		die "kselftest $t was not built (log: build/kselftest-build.log)"
	}
done
echo "$key" > "$dest/.ddi-key"
