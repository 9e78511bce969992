#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make: fetch, tree, build (kernel and kselftests), boot, demo, summary.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
"$TOP/scripts/mktree.sh"
"$TOP/scripts/build.sh"
# ncdevmem, for the devmem part of the demo.
"$TOP/scripts/selftests.sh"
rc=0
"$TOP/scripts/vm.sh" demo scripts/guest/demo.sh || rc=$?
"$TOP/scripts/summary.sh" "$BUILD/vm/demo"
exit $rc
