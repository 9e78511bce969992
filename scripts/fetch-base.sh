#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the pinned base package once per machine and verify it.
#
# Prints the path of the verified linux-source tarball on stdout.
# LINUX_SOURCE_DEB=/path.deb uses a local package instead of apt; it is
# verified against BASE all the same.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

deb_name="${PKG}_${VERSION//\~/%7e}_all.deb"
mkdir -p "$CACHE"
tar="$CACHE/$TAR_NAME.$TAR_SHA256"

sha() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$tar" ]; then
	echo "$tar"
	exit 0
fi

if [ -n "${LINUX_SOURCE_DEB:-}" ]; then
	deb=$LINUX_SOURCE_DEB
	[ -f "$deb" ] || die "LINUX_SOURCE_DEB=$deb: no such file"
else
	deb="$CACHE/$deb_name"
fi

if [ ! -f "$deb" ]; then
	stage "downloading $PKG $VERSION from $SUITE with apt" >&2
	tmp=$(mktemp -d "$CACHE/apt.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	apt_suite_opts "$tmp" "$SUITE"
	apt-get "${APT_OPTS[@]}" update >&2 ||
		die "apt could not reach $SUITE on the configured mirror"
	(cd "$tmp" && apt-get "${APT_OPTS[@]}" download "$PKG=$VERSION" >&2) ||
		die "apt could not download $PKG=$VERSION from $SUITE"
	got=$(ls "$tmp"/"${PKG}"_*.deb 2>/dev/null | head -1)
	[ -n "$got" ] || die "apt reported success but left no $PKG package"
	mv "$got" "$deb.part"
	size=$(stat -c %s "$deb.part")
	if [ "$size" != "$DEB_SIZE" ] || [ "$(sha "$deb.part")" != "$DEB_SHA256" ]; then
		rm -f "$deb.part"
		die "downloaded $deb_name does not match BASE (size $size, expected $DEB_SIZE)"
	fi
	mv "$deb.part" "$deb"
fi

stage "verifying $deb" >&2
if [ "$(stat -c %s "$deb")" != "$DEB_SIZE" ] || [ "$(sha "$deb")" != "$DEB_SHA256" ]; then
	# A bad file in our cache is removed so that the next run fetches
	# it again; a file the user named is theirs to keep.
	[ -z "${LINUX_SOURCE_DEB:-}" ] && rm -f "$deb"
	die "$deb: size or sha256 differs from BASE (DEB_SHA256=$DEB_SHA256)"
fi

# Extract only the tarball; dpkg-deb streams the data member.
tmpd=$(mktemp -d "$CACHE/x.XXXXXX")
if ! dpkg-deb --fsys-tarfile "$deb" |
	tar -x -C "$tmpd" --wildcards "*/$TAR_NAME"; then
	rm -rf "$tmpd"
	die "$deb does not contain $TAR_NAME"
fi
inner=$(find "$tmpd" -name "$TAR_NAME" | head -1)
if [ "$(sha "$inner")" != "$TAR_SHA256" ]; then
	rm -rf "$tmpd"
	die "$TAR_NAME inside $deb: sha256 differs from BASE (TAR_SHA256=$TAR_SHA256)"
fi
mv "$inner" "$tar"
rm -rf "$tmpd"
echo "$tar"
