#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The postings check (a step of make check), one verdict line each:
#   the split: every patch in a posting (postings/map), at most 15 a
#   posting, dependencies only on earlier postings, the series in send
#   order (scripts/postings-lib.sh);
#   each posting on its own: in a scratch worktree at the base, 'git am'
#   (no fuzz) of the postings it depends on (its cover's Depends:, in
#   send order), then of its own patches, then a build of what its
#   changes can break (build_targets), with the test kernel's
#   configuration.
# One worktree and one O= directory serve every posting, so a posting
# rebuilds only what differs from the one before; ccache does the rest.
# A posting's verdict is remembered by its patches, its dependencies'
# patches, the configuration and these scripts: an unchanged posting
# costs nothing.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/postings-lib.sh"

[ -f "$KOUT/.config" ] || die "run 'make build' first: the postings check builds with its .config"
pwt=$BUILD/postings-wt
# linux/ and kout/ side by side as build/linux and build/kout are, so
# that the compiler sees the same relative paths and ccache can hit.
wt=$pwt/linux
pout=$pwt/kout
log=$pwt/log
mkdir -p "$log"
export KBUILD_BUILD_TIMESTAMP="2026-01-01 00:00:00 UTC" KBUILD_BUILD_USER=ddi KBUILD_BUILD_HOST=series
export CCACHE_DIR=${CCACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ccache}
export CCACHE_BASEDIR=$TOP CCACHE_NOHASHDIR=true
PMAKE=(nice -n 10 make -s -C "$wt" O="$pout" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc"
	-j"${POSTINGS_JOBS:-$(nproc)}")

pl_assign
pl_validate
split_ok=$?

# The worktree, made once (a checkout of the base costs a minute).
wt_ready() {
	if [ -z "$(git -C "$wt" rev-parse -q --verify HEAD 2>/dev/null)" ]; then
		rm -rf "$wt"
		git_tree worktree prune
		git_tree worktree add -q --detach "$wt" base || return 1
	fi
	git -C "$wt" am --abort >/dev/null 2>&1
	git -C "$wt" checkout -q -f --detach base && git -C "$wt" clean -q -fdx >/dev/null
}

# am_all WHAT PATCH...: apply with 'git am', exactly (no fuzz, no 3-way).
am_all() {
	local what=$1 p
	shift
	for p in "$@"; do
		if ! git -C "$wt" am -q --committer-date-is-author-date "$PATCHDIR/$p" > "$log/am.txt" 2>&1; then
			echo "$p ($what) does not apply: $(grep -m1 -E 'error|failed' "$log/am.txt")"
			git -C "$wt" am --abort >/dev/null 2>&1
			return 1
		fi
	done
}

# What a posting's changes (from commit $1 to HEAD) can break, as kbuild
# targets, one a line: the object of each C file it adds or changes, and
# the objects of the C files that include a local header it changes (one
# outside include/), found by their #include lines under that header's
# directory, through the local headers that include it in turn. Only
# what the test kernel builds: a C file of the series' tree with no
# object in its build is left out (its option is off); one the series
# removes later is left to its directory (its nearest one with a
# Makefile), which builds it if the configuration does. The last line
# says what that is, for the verdict.
# Files that only include a changed header under include/ are not built:
# that would be every directory the posting touches, for what 'make
# bisect' (every directory a patch touches, patch by patch) and the build
# of the whole series cover; what is left to this check is what only it
# can see, a posting that needs one sent after it.
build_targets() {
	python3 - "$wt" "$TREE" "$KOUT" "$1" <<'PY'
import os, re, subprocess, sys
wt, tree, kout, base = sys.argv[1:]
out = subprocess.run(["git", "-C", wt, "diff", "--name-only", "--diff-filter=AMR",
                      base, "HEAD"], capture_output=True, text=True, check=True).stdout
files = [f for f in out.split() if not re.match(r"(tools|Documentation|scripts|samples)/", f)]


def mkdir_of(path):
    d = os.path.dirname(path)
    while d and not any(os.path.exists(os.path.join(wt, d, m)) for m in ("Makefile", "Kbuild")):
        d = os.path.dirname(d)
    return d


cfiles = [f for f in files if f.endswith(".c")]
todo = [f for f in files if f.endswith(".h") and
        not re.match(r"(include|arch/[^/]+/include)/", f)]
seen = set()
while todo:
    h = todo.pop()
    if h in seen:
        continue
    seen.add(h)
    inc = re.compile(r'^\s*#\s*include\s+"(?:[^"]*/)?' +
                     re.escape(os.path.basename(h)) + '"', re.M)
    for root, _, names in os.walk(os.path.join(wt, mkdir_of(h) or ".")):
        for n in names:
            if not n.endswith((".c", ".h")):
                continue
            p = os.path.join(root, n)
            with open(p, errors="replace") as f:
                if inc.search(f.read()):
                    (cfiles if n.endswith(".c") else todo).append(os.path.relpath(p, wt))
objs, dirs = set(), set()
for c in set(cfiles):
    o = c[:-2] + ".o"
    if not os.path.exists(os.path.join(wt, c)):
        continue
    if os.path.exists(os.path.join(kout, o)):
        objs.add(o)
    elif not os.path.exists(os.path.join(tree, c)):
        dirs.add(mkdir_of(c) + "/")
dirs.discard("/")
objs = sorted(o for o in objs if not any(o.startswith(d) for d in dirs))
for t in sorted(dirs) + objs:
    print(t)
what = [", ".join(sorted(dirs))] if dirs else []
if objs:
    what.append(f"{len(objs)} object(s) in " +
                ", ".join(sorted({mkdir_of(o) + "/" for o in objs})))
print("; ".join(what))
PY
}

# check_one NAME DEPS...: the verdict for one posting.
check_one() {
	local n=$1 d deptip err out what tgts on="base"
	shift
	local own
	read -ra own <<< "${PL_OF_NAME[$n]}"
	wt_ready || { echo "FAIL posting $n # could not prepare the worktree $wt"; return 0; }
	for d in "$@"; do
		local dp
		read -ra dp <<< "${PL_OF_NAME[$d]}"
		[ ${#dp[@]} -gt 0 ] || continue
		err=$(am_all "$d" "${dp[@]}") ||
			{ echo "FAIL posting $n # dependency $err on $on"; return 0; }
		on+=" + $d"
	done
	deptip=$(git -C "$wt" rev-parse HEAD)
	err=$(am_all "$n" "${own[@]}") || { echo "FAIL posting $n # $err on $on"; return 0; }
	out=$(build_targets "$deptip") ||
		{ echo "FAIL posting $n # applies on $on, but what to build could not be listed"; return 0; }
	mapfile -t tgts < <(sed '$d; /^$/d' <<< "$out")
	what=$(tail -n1 <<< "$out")
	if [ ${#tgts[@]} = 0 ]; then
		echo "PASS posting $n # ${#own[@]} patch(es) apply on $on; no kernel C file to build"
		return 0
	fi
	cp "$KOUT/.config" "$pout/.config"
	if ! "${PMAKE[@]}" olddefconfig > "$log/$n.log" 2>&1 ||
	   ! "${PMAKE[@]}" prepare >> "$log/$n.log" 2>&1 ||
	   ! "${PMAKE[@]}" "${tgts[@]}" >> "$log/$n.log" 2>&1; then
		echo "FAIL posting $n # applies on $on, but does not build ($what): $(grep -m1 -E 'error|Error' "$log/$n.log" | sed "s|$wt/||") (build/postings-wt/log/$n.log)"
		return 0
	fi
	echo "PASS posting $n # ${#own[@]} patch(es) apply on $on and build ($what)"
}

mkdir -p "$pout"
kkey=$(key_of "$0" "$TOP/scripts/lib.sh" "$TOP/scripts/postings-lib.sh" "$KOUT/.config" "$(gcc --version | head -n1)")
for n in $(pl_postings); do
	if [ "$(pl_count "$n")" = 0 ]; then
		echo "SKIP posting $n # no patch of the series is in it yet"
		continue
	fi
	if ! deps=$(pl_deps "$n" 2>&1); then
		echo "FAIL posting $n # $deps"
		continue
	fi
	files=()
	for d in $deps $n; do
		for p in ${PL_OF_NAME[$d]}; do files+=("$PATCHDIR/$p"); done
	done
	stage "posting $n: $(pl_count "$n") patches on base${deps:+ + $(echo $deps | sed 's/ / + /g')}" >&2
	# shellcheck disable=SC2086
	memo "posting-$n-$(key_of "$kkey" $deps "${files[@]}")" check_one "$n" $deps
done
# Leave the worktree at the base: nothing in it is kept.
wt_ready >/dev/null 2>&1 || true
[ $split_ok = 0 ]
exit 0
