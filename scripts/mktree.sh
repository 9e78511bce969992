#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Materialise the kernel tree: the pinned base as one reproducible commit,
# with patches/ applied on top by 'git am' (no fuzz, no three-way merge).
#
# The tree is reused when neither BASE nor patches/ changed since it was
# last built, so that an unchanged 'make check' does not touch mtimes.
# KERNEL_SRC=/path applies the series to a git tree the user already has,
# on a new branch, and never resets it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

BASE_DATE="2026-01-01T00:00:00Z"
BASE_MSG="Linux $VERSION ($PKG)"
stampf() { echo "$(git_tree rev-parse --git-dir)/ddi-series.stamp"; }

series_files() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/patches/series" 2>/dev/null |
		sed 's|^|patches/|'
}

apply_series() {
	local p n=0 total
	total=$(series_files | wc -l)
	for p in $(series_files); do
		[ -f "$TOP/$p" ] || die "patches/series names $p, which does not exist"
		if ! git_tree am --quiet --keep-cr --committer-date-is-author-date "$TOP/$p" >/tmp/am.$$ 2>&1; then
			echo "error: $p does not apply:" >&2
			grep -E 'error:|patch failed|does not (exist|match)|already exists' /tmp/am.$$ >&2 || cat /tmp/am.$$ >&2
			rm -f /tmp/am.$$
			git_tree am --abort >/dev/null 2>&1 || true
			# Leave no half-applied state behind: the next run rebuilds.
			rm -f "$(stampf)"
			exit 1
		fi
		rm -f /tmp/am.$$
		n=$((n + 1))
	done
	stage "applied $n/$total patches"
}

if [ -n "${KERNEL_SRC:-}" ]; then
	[ -d "$TREE/.git" ] || die "KERNEL_SRC=$TREE is not a git tree"
	[ -z "$(git_tree status --porcelain --untracked-files=no)" ] ||
		die "KERNEL_SRC=$TREE has uncommitted changes"
	branch=ddi-series
	git_tree rev-parse -q --verify "refs/heads/$branch" >/dev/null &&
		die "KERNEL_SRC=$TREE already has a '$branch' branch; delete it to re-apply"
	git_tree checkout -q -b "$branch"
	stage "applying the series to $TREE on branch $branch"
	apply_series
	exit 0
fi

sum=$(series_sum)
if [ -d "$TREE/.git" ] && git_tree rev-parse -q --verify refs/tags/base >/dev/null; then
	if [ -n "$(git_tree status --porcelain --untracked-files=no)" ]; then
		die "build/linux has uncommitted changes: commit them and run 'make export', or 'git -C build/linux reset --hard'"
	fi
	read -r old_sum old_head < "$(stampf)" 2>/dev/null || true
	head=$(git_tree rev-parse HEAD)
	if [ "${old_sum:-}" = "$sum" ] && [ "${old_head:-}" = "$head" ]; then
		stage "tree up to date ($(git_tree rev-list --count base..HEAD) patches on base)"
		exit 0
	fi
	if [ -n "${old_head:-}" ] && [ "$old_head" != "$head" ]; then
		# The tree moved since it was built: somebody committed in it.
		# That is fine if patches/ already says the same; otherwise it
		# is unexported work that a reset would destroy.
		if "$TOP/scripts/export.sh" --compare >/dev/null 2>&1; then
			echo "$sum $head" > "$(stampf)"
			stage "tree has new commits, already exported"
			exit 0
		fi
		die "build/linux has commits that are not in patches/: run 'make export' (or reset build/linux to what you want)"
	fi
	stage "patches/ changed: re-applying on base"
	git_tree reset -q --hard base
else
	tar=$("$TOP/scripts/fetch-base.sh")
	stage "extracting $(basename "$tar" | cut -d. -f1-3) into ${TREE#"$TOP"/}"
	rm -rf "$TREE" "$TREE.tmp"
	mkdir -p "$TREE.tmp"
	tar -xf "$tar" -C "$TREE.tmp" --strip-components=1
	(
		cd "$TREE.tmp"
		git init -q -b base-import
		git config core.autocrlf false
		git config core.hooksPath /dev/null
		git config commit.gpgsign false
		git config gc.auto 0
		git config user.name "$GIT_AUTHOR_NAME"
		git config user.email "$GIT_AUTHOR_EMAIL"
		stage "committing the base (reproducible)"
		git add -A -f .
		GIT_AUTHOR_DATE=$BASE_DATE GIT_COMMITTER_DATE=$BASE_DATE \
			git commit -q --no-verify -m "$BASE_MSG" \
			-m "Imported from $TAR_NAME, sha256 $TAR_SHA256."
		git tag base
		git checkout -q -b series
	)
	mv "$TREE.tmp" "$TREE"
	stage "base commit $(git_tree rev-parse --short=12 base)"
fi

apply_series
echo "$sum $(git_tree rev-parse HEAD)" > "$(stampf)"
