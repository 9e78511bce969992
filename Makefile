# SPDX-License-Identifier: GPL-2.0
# The DDI series harness.  See README.md.

.PHONY: all tree export build check check-full matrix bench bisect postings postings-check postings-record clean distclean

# Fetch the base, apply the series, build, boot and run the demo.
all:
	@scripts/run.sh

# build/linux: the pinned base plus patches/ (git am, no fuzz).
tree:
	@scripts/mktree.sh

# patches/ from the commits in build/linux.
export:
	@scripts/export.sh

build: tree
	@scripts/build.sh

# Everything 'make' does, then KUnit, kselftests, hygiene, console scan.
# The build, hygiene, W=1/sparse and the matrix reuse their last green
# result while their inputs are unchanged; FORCE=1 runs them all.
check:
	@scripts/check.sh

# check, with the long test cases tests.list filters out (not in CI).
check-full:
	@DDI_CHECK_FULL=1 scripts/check.sh

# The mlx5 patches under other configurations, and their W=1 and sparse
# warnings against the base's (part of check).
matrix: build
	@scripts/matrix.sh

# Throughput and bind latency, DDI against non-DDI, on a kernel without
# the debug options, built in build/kout-bench (not in CI).
bench: tree
	@scripts/bench.sh

# Build the objects each patch touches, patch by patch (not in CI).
bisect: tree
	@scripts/bisect.sh

# The series as postings to send, one directory each under
# build/postings/ (format-patch, cover letter, To/Cc), split by
# postings/map; V=2 cuts a second version, with changelog and range-diff
# against postings/v1/.  Needs build/linux (make tree).
postings:
	@V=$(V) scripts/postings.sh

# Each posting applied on its own dependencies and built (part of check).
postings-check:
	@scripts/postings-check.sh

# Keep the postings just sent as postings/v$(V)/, for the next range-diff.
postings-record:
	@V=$(V) scripts/postings.sh --record

clean:
	rm -rf build/kout build/kout-bench build/vm build/check build/kselftest build/hygiene build/matrix build/memo build/wout build/warnings

distclean:
	rm -rf build
