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
