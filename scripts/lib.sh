# SPDX-License-Identifier: GPL-2.0
# Common settings for the harness scripts.  Sourced, never executed.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The tools come from Debian packages (scripts/install-deps.sh): make sure
# their python3, with ply, yaml and jinja2, wins over any other on PATH.
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
BUILD=${BUILD:-$TOP/build}
TREE=${KERNEL_SRC:-$BUILD/linux}
KOUT=${KOUT:-$BUILD/kout}
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/ddi-series

# One project identity for every commit the harness makes, so that the
# base commit id and the exported patches do not depend on who ran it.
export GIT_AUTHOR_NAME="DDI series"
export GIT_AUTHOR_EMAIL="ddi-series@localhost"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME"
export GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"

# shellcheck disable=SC1091
. "$TOP/BASE"

T0=${T0:-$(date +%s)}
export T0

stage() {
	printf '==> [%4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"
}

die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

git_tree() {
	git -C "$TREE" -c core.hooksPath=/dev/null -c commit.gpgsign=false "$@"
}

# The Debian mirror this machine's apt already uses (never hard-coded).
debian_mirror() {
	{
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) print $i }'
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
			awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }'
	} | grep -v -- '-security' | head -1
}

# apt options for a private, temporary view of one extra suite in DIR,
# leaving the machine's own apt configuration untouched.
apt_suite_opts() {
	local dir=$1 suite=$2 uri
	uri=$(debian_mirror)
	[ -n "$uri" ] || die "no Debian mirror found in the apt configuration"
	mkdir -p "$dir/lists/partial" "$dir/archives/partial"
	echo "deb $uri $suite main" > "$dir/sources.list"
	APT_OPTS=(-q -o "Dir::Etc::SourceList=$dir/sources.list"
		-o "Dir::Etc::SourceParts=-"
		-o "Dir::State::Lists=$dir/lists"
		-o "Dir::Cache::Archives=$dir/archives"
		-o "APT::Sandbox::User=root"
		-o "Debug::NoLocking=1"
		-o "Acquire::Languages=none")
}

# Debian's sparse (0.6.4) predates __typeof_unqual__, which the kernel
# uses under __CHECKER__; without it kbuild silently drops C=. Mapped to
# __typeof__, sparse runs; where the lost "unqual" makes it warn, the
# base warns too, and the callers count only what the series adds.
SPARSE_CHECK="sparse -D__typeof_unqual__=__typeof__"

# Sparse 0.6.4 cannot evaluate the __builtin_strlen() in the static_assert()
# that MODULE_INFO() contains, so every MODULE_LICENSE(), MODULE_AUTHOR(),
# module_param()... line of the kernel, base and series alike, gets
# "error: bad constant expression". Drop exactly those from the compiler
# output on stdin; sources are looked up under $1 for relative paths.
drop_modinfo_sparse() {
	local src=$1 w f l
	while IFS= read -r w; do
		if [[ $w == *": error: bad constant expression" ]]; then
			f=${w%%:*}
			l=$(cut -d: -f2 <<< "$w")
			[[ $f = /* ]] || f=$src/$f
			if sed -n "${l}p" "$f" 2>/dev/null |
				grep -qE '^[[:space:]]*(MODULE_[A-Z_]+|module_param[a-z_]*)\('; then
				continue
			fi
		fi
		printf '%s\n' "$w"
	done
}

# The series' content: BASE and every patch in series order.  The kernel
# tree is a function of this alone (scripts/mktree.sh).
series_sum() {
	(cd "$TOP" && cat BASE patches/series $(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' \
		patches/series 2>/dev/null | sed 's|^|patches/|') 2>/dev/null) |
		sha256sum | cut -d' ' -f1
}

# The versions of the tools whose output the checks compare.
tools_sum() {
	{ gcc --version | head -n1; sparse --version 2>/dev/null; git --version
	  perl -e 'print "$]\n"'; python3 --version; } 2>&1 | sha256sum | cut -c1-16
}

# A short hash of its arguments and of the files among them.
key_of() {
	local a
	for a in "$@"; do
		if [ -f "$a" ]; then sha256sum < "$a"; else printf '%s\n' "$a"; fi
	done | sha256sum | cut -c1-16
}

# memo KEY CMD...: run CMD and keep its stdout under KEY when it has no
# FAIL line; a later call with the same KEY prints that instead of
# running CMD.  KEY must name every input of CMD.  FORCE=1 runs CMD.
MEMO=$BUILD/memo
memo() {
	local f=$MEMO/$1 rc
	shift
	if [ "${FORCE:-0}" != 1 ] && [ -f "$f" ]; then
		cat "$f"
		return 0
	fi
	mkdir -p "$MEMO"
	"$@" > "$f.tmp.$$"
	rc=$?
	cat "$f.tmp.$$"
	if [ $rc = 0 ] && ! grep -q '^FAIL' "$f.tmp.$$"; then
		mv "$f.tmp.$$" "$f"
	else
		rm -f "$f.tmp.$$"
	fi
	return $rc
}

# Where the project's repository is, for "unchanged since" lines.
top_rev() {
	local r
	r=$(git -C "$TOP" rev-parse --short=12 HEAD 2>/dev/null) || { echo unknown; return; }
	[ -z "$(git -C "$TOP" status --porcelain -- patches configs scripts BASE 2>/dev/null)" ] || r="$r+changes"
	echo "$r"
}

# The kernel tree's content: its HEAD, or a value that matches nothing
# while it has uncommitted changes.
tree_state() {
	if [ -n "$(git_tree status --porcelain --untracked-files=no 2>/dev/null)" ]; then
		echo "dirty-$$-$(date +%s%N)"
	else
		git_tree rev-parse HEAD
	fi
}
