#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# One screen on what was built and what the demo showed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
out=$1
n=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$TOP/patches/series" | wc -l)
echo "------------------------------------------------------------------"
echo " base     : $PKG $VERSION ($SUITE), tree $(git_tree rev-parse --short=12 base)"
echo " series   : $n patches applied, HEAD $(git_tree rev-parse --short=12 HEAD)"
echo " kernel   : $(cat "$KOUT/include/config/kernel.release" 2>/dev/null) ($(stat -c %s "$KOUT/arch/x86/boot/bzImage" 2>/dev/null) bytes bzImage)"
echo " vm       : $(grep -m1 -o 'Linux version [^ ]*' "$out/console.log" 2>/dev/null || echo 'did not boot')"
echo " demo     :"
sed 's/^/   /' "$out/summary.txt" 2>/dev/null || echo "   (no summary: see $out/console.log)"
echo "------------------------------------------------------------------"
