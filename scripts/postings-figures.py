#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the cover text of a posting with its figures filled in.

  postings-figures.py NAME [VERSION]

Reads postings/NAME.cover (the text after its headers) and replaces:

  @DATE@            the date of the last make check (build/check/results.txt)
  @TESTS@           what that make check ran and its counts, per kind
  @TESTS:<ERE>@     the counts of the results whose "<kind> <name>" matches
                    the regular expression, with the skipped and failed ones
  @TESTLIST:<ERE>@  the same results, one line each
  @TIMINGS@         the wall time of that make check, per step
  @BENCH@           the DDI/non-DDI ratios of the last make bench, dated
                    (build/bench/, else docs/bench/), or "not measured"
  @BENCH:<ERE>@     only the lines of it that match
  @POSTING@         the postings check verdict for NAME (make check)
  @SCAN@            the kernel log scan of that make check
  @DEPENDS@         the postings NAME depends on (its Depends: header)

For VERSION >= 2 it appends the 'Changes in vN:' sections of
postings/NAME.changes, newest first.  Nothing is made up: a figure that
no result file holds is printed as "not measured".
"""

import datetime
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))
PDIR = os.path.join(TOP, "postings")
NOT = "not measured"


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def mdate(path):
    return datetime.datetime.fromtimestamp(
        os.path.getmtime(path), datetime.timezone.utc).strftime("%Y-%m-%d")


def cover(name):
    """(headers, body) of postings/NAME.cover."""
    text = read(os.path.join(PDIR, name + ".cover"))
    if text is None:
        sys.exit(f"error: no postings/{name}.cover")
    head, _, body = text.partition("\n\n")
    hdr = {}
    for line in head.splitlines():
        k, _, v = line.partition(":")
        hdr[k.strip()] = v.strip()
    return hdr, body


RES = os.path.join(BUILD, "check", "results.txt")


def results():
    text = read(RES)
    if not text:
        return None
    out = []
    for line in text.splitlines():
        m = re.match(r"(PASS|FAIL|SKIP) (\S+) ?([^#]*?)\s*(?:# (.*))?$", line)
        if m:
            out.append(m.groups())
    return out


def check_date():
    return mdate(RES) if os.path.exists(RES) else None


def series_line():
    s = read(os.path.join(BUILD, "check", "summary.txt")) or ""
    m = re.search(r"series\s*:\s*(\d+) patches applied, HEAD (\w+)", s)
    return f"{m.group(1)} patches, HEAD {m.group(2)}" if m else "the series"


def counts(rows):
    n = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    for r in rows:
        n[r[0]] += 1
    parts = [f"{n['PASS']} passed"]
    if n["FAIL"]:
        parts.append(f"{n['FAIL']} failed")
    if n["SKIP"]:
        parts.append(f"{n['SKIP']} skipped")
    odd = [f"{r[2]} ({'failed' if r[0] == 'FAIL' else 'skipped'}"
           f"{': ' + r[3].removeprefix('SKIP ') if r[3] else ''})"
           for r in rows if r[0] != "PASS"]
    return ", ".join(parts) + (": " + "; ".join(odd) if odd else "")


KINDS = [
    ("kunit", "KUnit cases"),
    ("ksft", "kselftest cases"),
    ("checkpatch", "checkpatch --strict, patches"),
    ("kernel-doc", "kernel-doc, files (no new warnings)"),
    ("warnings", "W=1 and sparse, files (no new warnings)"),
    ("matrix", "mlx5 build matrix configurations"),
    ("posting", "postings applied and built on their own"),
]


def tests_all(rows):
    if rows is None:
        return "make check: " + NOT
    lines = [f"make check of {check_date()} ({series_line()}), the kernel "
             "in a QEMU guest (TCG) with KASAN, lockdep, kmemleak and "
             "DEBUG_NET:"]
    for kind, label in KINDS:
        sel = [r for r in rows if r[1] == kind]
        if sel:
            lines.append(f"  {label}: {counts(sel)}")
    scan = [r for r in rows if r[1] == "console-scan"]
    if scan:
        lines.append("  kernel log scan (BUG, WARNING, KASAN, lockdep, RCU, "
                     "kmemleak, Call Trace): "
                     + ("clean" if scan[0][0] == "PASS" else "FAILED"))
    return "\n".join(lines)


def select(rows, ere):
    rx = re.compile(ere)
    return [r for r in rows if rx.search(f"{r[1]} {r[2]}")]


def tests_some(rows, ere):
    if rows is None:
        return NOT
    sel = select(rows, ere)
    return counts(sel) if sel else NOT


def test_list(rows, ere):
    if rows is None:
        return "  " + NOT
    sel = select(rows, ere)
    if not sel:
        return "  " + NOT
    word = {"PASS": "passed", "FAIL": "FAILED", "SKIP": "skipped"}
    return "\n".join(f"    {r[1]} {r[2]}: {word[r[0]]}" + (f"; {r[3]}" if r[3] else "")
                     for r in sel)


def timings():
    t = read(os.path.join(BUILD, "check", "timings.txt"))
    total = read(os.path.join(BUILD, "check", "total-seconds"))
    if not t or not total:
        return "make check wall time: " + NOT
    mins = lambda s: f"{int(s) // 60} min {int(s) % 60} s"
    steps = ", ".join(f"{a} {mins(b)}" for a, b in
                      (line.split() for line in t.splitlines() if line.strip()))
    build = dict(line.split() for line in t.splitlines() if line.strip()).get("build")
    reused = (" The kernel build and the static checks were reused from an "
              "earlier run, their inputs unchanged; the VM part always runs."
              if build is not None and int(build) < 60 else "")
    return (f"make check of {check_date()}: {mins(total.strip())} wall on a "
            f"2-CPU machine ({steps}).{reused}")


def bench(ere=None):
    for d in (os.path.join(BUILD, "bench"), os.path.join(TOP, "docs", "bench")):
        p = os.path.join(d, "results.md")
        text = read(p)
        if not text:
            continue
        date = mdate(p)
        if d.startswith(TOP + "/docs"):
            # A committed copy: date it by its commit, not by the checkout.
            r = subprocess.run(["git", "-C", TOP, "log", "-1", "--format=%cs",
                                "--", p], capture_output=True, text=True)
            date = r.stdout.strip() or date
        lines = [l[2:] for l in text.splitlines() if l.startswith("- ")]
        if ere:
            lines = [l for l in lines if re.search(ere, l)]
        m = re.search(r"Throughput: (\d+ MiB per run, \d+ runs per mode)", text)
        return (f"make bench of {date}, medians"
                + (f" ({m.group(1)})" if m else "")
                + ", netdevsim in a TCG guest:\n"
                + "\n".join("  " + l for l in lines))
    return "make bench: " + NOT


def posting(rows, name):
    if rows is None or not any(r[1] == "posting" for r in rows):
        return ("Applied and built on its own: " + NOT
                + " (the last make check had no postings check).")
    sel = [r for r in rows if r[1] == "posting" and r[2] == name]
    if not sel:
        return "Applied and built on its own: " + NOT + "."
    r = sel[0]
    verdict = "checked" if r[0] == "PASS" else r[0]
    return f"Postings check ({verdict}, {check_date()}): {r[3] or ''}."


def scan(rows):
    sel = [r for r in rows or [] if r[1] == "console-scan"]
    if not sel:
        return "kernel log scan: " + NOT
    return ("kernel log (BUG, WARNING, KASAN, UBSAN, lockdep, RCU, kmemleak, "
            "Call Trace): " + ("clean" if all(r[0] == "PASS" for r in sel)
                               else "REPORTS FOUND"))


def depends(hdr):
    deps = hdr.get("Depends", "").split()
    if not deps:
        return "None: it applies to the base on its own."
    out = []
    for d in deps:
        h, _ = cover(d)
        empty = d in os.environ.get("POSTINGS_EMPTY", "").split()
        out.append(f"  {d}: [PATCH {h.get('Tree', '?')}] {h.get('Subject', '?')}"
                   + (" (not written yet)" if empty else ""))
    return ("It applies on top of these postings, which go first:\n"
            + "\n".join(out))


def changes(name, version):
    text = read(os.path.join(PDIR, name + ".changes")) or ""
    blocks = {}
    cur = None
    for line in text.splitlines():
        m = re.match(r"Changes in v(\d+):", line)
        if m:
            cur = int(m.group(1))
            blocks[cur] = [line]
        elif cur is not None:
            blocks[cur].append(line)
    out = []
    for v in range(version, 1, -1):
        if v in blocks:
            out.append("\n".join(blocks[v]).rstrip())
    return "\n\n".join(out)


def main():
    name = sys.argv[1]
    version = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    hdr, body = cover(name)
    rows = results()
    date = check_date() or NOT
    subs = {
        "@DATE@": lambda: date,
        "@TESTS@": lambda: tests_all(rows),
        "@TIMINGS@": timings,
        "@BENCH@": bench,
        "@POSTING@": lambda: posting(rows, name),
        "@SCAN@": lambda: scan(rows),
        "@DEPENDS@": lambda: depends(hdr),
    }
    for k, f in subs.items():
        if k in body:
            body = body.replace(k, f())
    body = re.sub(r"@TESTS:([^@]+)@", lambda m: tests_some(rows, m.group(1)), body)
    body = re.sub(r"@BENCH:([^@]+)@", lambda m: bench(m.group(1)), body)
    body = re.sub(r"@TESTLIST:([^@]+)@", lambda m: test_list(rows, m.group(1)), body)
    left = re.findall(r"@[A-Z]+(?::[^@]*)?@", body)
    if left:
        sys.exit(f"error: postings/{name}.cover: unknown placeholders {left}")
    body = body.rstrip("\n")
    if version > 1:
        ch = changes(name, version)
        if ch:
            body += "\n\n" + ch
    print(body)


if __name__ == "__main__":
    main()
