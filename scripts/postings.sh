#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make postings [V=n]: the series as the mails to send, one directory a
# posting, build/postings/<n>-<tree>-<topic>/:
#   git format-patch output, subject prefix "[PATCH <tree> v<n>]", the
#   cover letter from postings/<name>.cover with its figures filled in
#   from the last make check and make bench (scripts/postings-figures.py),
#   To:/Cc: from get_maintainer.pl on the posting's patches; a posting of
#   one patch has no cover letter, its text goes below the patch's '---';
#   for V>=2, the 'Changes in v<n>:' of postings/<name>.changes and a
#   range-diff against postings/v<n-1>/<name>/, the version sent before.
# Which patch goes where is postings/map; see README.md, "Workflow:
# cutting and sending a version".
#   scripts/postings.sh --record   keep build/postings as postings/v<n>/
#                                  (after sending it), for the next range-diff
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/postings-lib.sh"

V=${V:-1}
[[ $V =~ ^[1-9][0-9]*$ ]] || die "V=$V: the version is a number"
out=$BUILD/postings
fwt=$BUILD/postings-wt/fmt

if [ "${1:-}" = --record ]; then
	[ -f "$out/VERSION" ] || die "nothing to record: run 'make postings V=$V' first"
	got=$(cat "$out/VERSION")
	[ "$got" = "$V" ] || die "build/postings holds v$got, not v$V: run 'make postings V=$V' first"
	[ ! -e "$PDIR/v$V" ] || [ "${FORCE:-0}" = 1 ] ||
		die "postings/v$V exists: a version is recorded once, when it is sent (FORCE=1 replaces it)"
	rm -rf "$PDIR/v$V"
	mkdir -p "$PDIR/v$V"
	for d in "$out"/[0-9]*-*/; do
		cp -r "$d" "$PDIR/v$V/"
	done
	stage "recorded v$V: postings/v$V/ ($(ls "$PDIR/v$V" | tr '\n' ' ')); commit it"
	exit 0
fi

[ -d "$TREE/.git" ] || die "no kernel tree at $TREE: run 'make tree' first"
pl_assign
verdicts=$(pl_validate) || true
printf '%s\n' "$verdicts"
if grep '^FAIL' <<< "$verdicts" | grep -vq '^FAIL postings order'; then
	die "the split is broken (above): fix postings/map or postings/*.cover"
fi
grep -q '^FAIL postings order' <<< "$verdicts" &&
	echo "warning: the series is not in send order; each posting is still cut on its own" >&2

prev=$((V - 1))
if [ "$V" -gt 1 ] && [ ! -d "$PDIR/v$prev" ]; then
	die "no postings/v$prev/: record the version you sent with 'scripts/postings.sh --record' (make postings-record V=$prev)"
fi

# The worktree the postings are cut in (no build there).
if [ -z "$(git -C "$fwt" rev-parse -q --verify HEAD 2>/dev/null)" ]; then
	rm -rf "$fwt"
	mkdir -p "$(dirname "$fwt")"
	git_tree worktree prune
	git_tree worktree add -q --detach "$fwt" base
fi
fgit() { git -C "$fwt" -c core.hooksPath=/dev/null "$@"; }
at_base() {
	fgit am --abort >/dev/null 2>&1 || true
	fgit checkout -q -f --detach base
}
am_files() {
	local f
	for f in "$@"; do
		fgit am -q --committer-date-is-author-date "$f" > /dev/null 2>&1 || {
			fgit am --abort >/dev/null 2>&1 || true
			echo "$f"
			return 1
		}
	done
}
own_files() { local p; for p in ${PL_OF_NAME[$1]}; do echo "$PATCHDIR/$p"; done; }
# The patches of a recorded version of a posting (not its cover letter).
old_files() {
	local f
	for f in "$PDIR/v$prev/$1"/*.patch; do
		case "$f" in *-0000-cover-letter.patch) continue ;; esac
		[ ! -f "$f" ] || echo "$f"
	done
}

# addresses ROLE FILE...: get_maintainer.pl on the patches, from the
# series' tree (its MAINTAINERS). ROLE m: maintainers, o: the others.
addresses() {
	local role=$1 opts
	shift
	if [ "$role" = m ]; then opts=(--m --no-r --no-l); else opts=(--no-m --r --l); fi
	(cd "$TREE" && ./scripts/get_maintainer.pl --no-rolestats --no-git --no-git-fallback \
		--no-s --no-tree --no-moderated "${opts[@]}" "$@" 2>/dev/null) | sed '/^$/d'
}

if [ "$V" -gt 1 ]; then
	for n in $(pl_postings); do
		[ "$(pl_count "$n")" = 0 ] || [ -n "$(pl_changes "$n" "$V")" ] ||
			die "postings/$n.changes has no 'Changes in v$V:' section: say what changed since v$prev"
	done
fi

rm -rf "$out"
mkdir -p "$out"
echo "$V" > "$out/VERSION"
summary=()
failed=()
POSTINGS_EMPTY=$(for n in $(pl_postings); do [ "$(pl_count "$n")" != 0 ] || echo "$n"; done)
export POSTINGS_EMPTY
for n in $(pl_postings); do
	cnt=$(pl_count "$n")
	if [ "$cnt" = 0 ]; then
		stage "$n: no patch in it yet, skipped"
		summary+=("$n: empty, not cut")
		continue
	fi
	tree=$(pl_header "$n" Tree)
	deps=$(pl_deps "$n")
	mapfile -t own < <(own_files "$n")
	dir=$out/$n


	# The previous version, as commits, for the range-diff.
	rd=()
	if [ "$V" -gt 1 ]; then
		mapfile -t old < <(old_files "$n")
		if [ ${#old[@]} = 0 ]; then
			stage "$n: no v$prev in postings/v$prev/$n, so no range-diff"
		else
			at_base
			for d in $deps; do
				mapfile -t dp < <(old_files "$d")
				[ ${#dp[@]} = 0 ] || am_files "${dp[@]}" >/dev/null ||
					{ failed+=("$n: v$prev of its dependency $d does not apply"); continue 2; }
			done
			obase=$(fgit rev-parse HEAD)
			bad=$(am_files "${old[@]}") ||
				{ failed+=("$n: v$prev does not apply on its v$prev dependencies ($(basename "$bad"))"); continue; }
			rd=(--range-diff="$obase..$(fgit rev-parse HEAD)" --creation-factor=80)
		fi
	fi

	at_base
	for d in $deps; do
		mapfile -t dp < <(own_files "$d")
		[ ${#dp[@]} = 0 ] || bad=$(am_files "${dp[@]}") ||
			{ failed+=("$n: $(basename "$bad") of its dependency $d does not apply"); continue 2; }
	done
	dtip=$(fgit rev-parse HEAD)
	bad=$(am_files "${own[@]}") ||
		{ failed+=("$n: $(basename "$bad") does not apply on base${deps:+ + $(echo $deps)}"); continue; }

	to=()
	cc=()
	while read -r a; do
		printf '%s\n' "${to[@]}" | grep -qxF -- "--to=$a" || to+=(--to="$a")
	done < <(pl_header "$n" To | tr ',' '\n' | sed 's/^ *//;/^$/d'; addresses m "${own[@]}")
	while read -r a; do
		printf '%s\n' "${to[@]}" "${cc[@]}" | grep -qxF -e "--to=$a" -e "--cc=$a" || cc+=(--cc="$a")
	done < <(addresses o "${own[@]}"; pl_header "$n" Cc | tr ',' '\n' | sed 's/^ *//;/^$/d')

	cover=()
	[ "$cnt" -gt 1 ] && cover=(--cover-letter)
	fgit format-patch -q -o "$dir" --zero-commit --no-signature --base=base \
		-v "$V" --subject-prefix="PATCH $tree" "${cover[@]}" "${rd[@]}" \
		"${to[@]}" "${cc[@]}" "$dtip..HEAD" > /dev/null

	# The cover text, figures filled in, and the changelog.
	text=$(mktemp)
	"$TOP/scripts/postings-figures.py" "$n" "$V" > "$text"
	if [ "$cnt" -gt 1 ]; then
		cl=$(ls "$dir"/*-0000-cover-letter.patch)
		python3 - "$cl" "$text" "$(pl_header "$n" Subject)" <<-'EOF'
		import sys
		path, text, subject = sys.argv[1], open(sys.argv[2]).read().rstrip("\n"), sys.argv[3]
		s = open(path).read()
		s = s.replace("*** SUBJECT HERE ***", subject, 1).replace("*** BLURB HERE ***", text, 1)
		open(path, "w").write(s)
		EOF
	else
		# One patch: the text goes below its '---', where git am drops it.
		p=$(ls "$dir"/*.patch)
		python3 - "$p" "$text" <<-'EOF'
		import sys
		path, text = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
		s = open(path).read()
		i = s.index("\n---\n") + len("\n---\n")
		open(path, "w").write(s[:i] + text + "\n\n" + s[i:])
		EOF
	fi
	rm -f "$text"
	if [ ${#rd[@]} -gt 0 ]; then
		git -C "$fwt" range-diff --creation-factor=80 "${rd[0]#--range-diff=}" "$dtip..HEAD" \
			> "$dir/range-diff-v$prev-v$V.txt" || true
	fi
	echo "$deps" | tr ' ' '\n' | sed '/^$/d' > "$dir/DEPENDS"
	summary+=("$n: $cnt patch(es), [PATCH $tree v$V], ${#to[@]} To, ${#cc[@]} Cc${deps:+, after $(echo $deps)}")
	stage "$n: $cnt patches, [PATCH $tree v$V]${deps:+, on $(echo $deps)}"
done
at_base
{
	echo "v$V of the series as postings, in send order (make postings V=$V)."
	echo "Send each with: git send-email build/postings/<posting>/*.patch"
	echo "(To: and Cc: are in the files), then: make postings-record V=$V"
	echo
	printf '%s\n' "${summary[@]}"
} > "$out/SUMMARY"
cat "$out/SUMMARY"
if [ ${#failed[@]} -gt 0 ]; then
	printf 'error: not cut: %s\n' "${failed[@]}" >&2
	exit 1
fi
