#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Series hygiene, one verdict line per check on stdout:
# checkpatch --strict per patch, kernel-doc per touched C file (no new
# warnings against the base), the series applies with git am on a clean
# base, and 'make export' reproduces patches/ byte for byte.
#
# Each check is remembered (lib.sh's memo) by what it reads: a patch's
# checkpatch by the patch, a file's kernel-doc by the file at the base
# and at the tip, so a re-run after a small change redoes only what it
# touched.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

log="$BUILD/hygiene"
rm -rf "$log"
mkdir -p "$log"
mapfile -t patches < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/patches/series")

# checkpatch warns about every added file unless the patch also edits
# MAINTAINERS. Rather than add redundant F: lines, accept that one
# warning only when get_maintainer.pl puts every added file under an
# existing section other than THE REST; anything else fails.
covered() {
	local f sec
	for f in $(awk '/^diff --git /{f=$4; sub(/^b\//,"",f)} /^new file mode/{print f}' "$1"); do
		sec=$(cd "$TREE" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
			--no-rolestats --sections -f "$f" 2>/dev/null |
			grep -v -e '^[A-Z]:' -e '^$' -e '^THE REST$' | grep -c .)
		[ "${sec:-0}" -gt 0 ] || { echo "$f"; return 1; }
	done
}

# The tree has no upstream history, so checkpatch cannot find the ids a
# patch cites. Every cited id and subject must then be in
# scripts/fixes.verified, checked elsewhere; only then is that finding
# dropped (the format check, GIT_COMMIT_ID, still runs).
cited_verified() {
	local ref n=0
	while IFS= read -r ref; do
		n=$((n + 1))
		grep -qF -- "$ref" "$TOP/scripts/fixes.verified" || return 1
	done < <(sed -n '/^---$/q; p' "$1" | grep -oE '[0-9a-f]{12} \("[^"]+"\)')
	[ $n -gt 0 ]
}

checkpatch_one() {
	local p=$1 types uncovered= ignore=MISSING_SIGN_OFF
	# The sign-off is added by whoever posts the series.
	cited_verified "$TOP/patches/$p" && ignore+=,UNKNOWN_COMMIT_ID
	(cd "$TREE" && ./scripts/checkpatch.pl --strict --quiet --showfile --show-types \
		--ignore "$ignore" "$TOP/patches/$p") > "$log/$p.checkpatch" 2>&1
	types=$(grep -oE '(ERROR|WARNING|CHECK):[A-Z_]+' "$log/$p.checkpatch" | sort -u)
	if [ ! -s "$log/$p.checkpatch" ]; then
		echo "PASS checkpatch $p"
	elif [ "$types" = "WARNING:FILE_PATH_CHANGES" ] && ! grep -q 'Traceback' "$log/$p.checkpatch" &&
	     uncovered=$(covered "$TOP/patches/$p"); then
		echo "PASS checkpatch $p # new files covered by MAINTAINERS"
	else
		echo "FAIL checkpatch $p # $(grep -cE '(ERROR|WARNING|CHECK):' "$log/$p.checkpatch") findings ${uncovered:+(no MAINTAINERS entry for $uncovered)}"
		sed 's/^/    /' "$log/$p.checkpatch" >&2
	fi
}

# checkpatch and get_maintainer.pl are the base's; MAINTAINERS is the
# tip's.
cpkey=$(key_of "$(tools_sum)" "$0" "$TOP/scripts/fixes.verified" \
	"$(git_tree rev-parse HEAD:MAINTAINERS base:scripts/checkpatch.pl)")
for p in "${patches[@]}"; do
	memo "checkpatch-$(key_of "$cpkey" "$TOP/patches/$p")" checkpatch_one "$p"
done

mapfile -t files < <(git_tree diff --name-only --diff-filter=AM base..HEAD -- '*.c' '*.h')
# Compare without line numbers: the series moves the base's lines.
kd() {
	(cd "$TREE" && ./scripts/kernel-doc -none -Wall "$1" 2>&1) |
		sed -E -e "s|$1|$2|" -e 's/^(.*'"${2//\//\\/}"'):[0-9]+:?/\1/' | sort -u
}

kerneldoc_one() {
	local f=$1 new
	if git_tree cat-file -e "base:$f" 2>/dev/null; then
		git_tree show "base:$f" > "$log/base.${f//\//_}"
		kd "$log/base.${f//\//_}" "$f" > "$log/kd.base"
	else
		: > "$log/kd.base"
	fi
	kd "$f" "$f" > "$log/kd.head"
	new=$(comm -13 "$log/kd.base" "$log/kd.head")
	if [ -z "$new" ]; then
		echo "PASS kernel-doc $f"
	else
		echo "FAIL kernel-doc $f # $(echo "$new" | wc -l) new warnings"
		echo "$new" | sed 's/^/    /' >&2
	fi
}

kdkey=$(key_of "$(tools_sum)" "$0" "$(git_tree rev-parse base:scripts/kernel-doc)")
for f in "${files[@]}"; do
	memo "kernel-doc-$(key_of "$kdkey" "$f" "$(git_tree rev-parse "HEAD:$f" "base:$f" 2>/dev/null)")" \
		kerneldoc_one "$f"
done

# A fresh worktree at the base, and the series with git am: what a
# person applying patches/ to their own tree gets.
am_check() {
	local wt="$BUILD/am-check" ok p
	git_tree worktree remove --force "$wt" >/dev/null 2>&1 || rm -rf "$wt"
	git_tree worktree prune
	if git_tree worktree add -q --detach "$wt" base >/dev/null 2>&1; then
		ok=1
		for p in "${patches[@]}"; do
			if ! git -C "$wt" am --quiet "$TOP/patches/$p" > "$log/am.log" 2>&1; then
				echo "FAIL git-am $p # does not apply: $(grep -m1 -E 'error|failed' "$log/am.log")"
				ok=0
				break
			fi
		done
		[ $ok = 1 ] && echo "PASS git-am series (${#patches[@]} patches on base)"
		git_tree worktree remove --force "$wt" >/dev/null 2>&1
	else
		echo "FAIL git-am series # could not create a worktree at base"
	fi
}
memo "git-am-$(key_of "$(series_sum)" "$(tools_sum)" "$0")" am_check

export_check() {
	if "$TOP/scripts/export.sh" --compare > "$log/export.log" 2>&1; then
		echo "PASS export-idempotent"
	else
		echo "FAIL export-idempotent # patches/ differs from what 'make export' writes"
		sed 's/^/    /' "$log/export.log" >&2
	fi
}
memo "export-$(key_of "$(series_sum)" "$(tree_state)" "$TOP/scripts/export.sh" "$0")" export_check
