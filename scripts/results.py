#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the VM's raw results into one verdict line per check.

  results.py kunit FILE         KTAP from KUnit debugfs, one line per leaf case
  results.py ksft FILE          run_kselftest.sh output, one line per ksft case
  results.py scan FILE...       console/dmesg/kmemleak scan, one line in all
  results.py total FILE         the closing 'N passed, N failed, N skipped'
  results.py timings STEPS GUEST TOTAL
                                wall time per step, and per part in the VM

Verdict lines are 'PASS|FAIL|SKIP <name>[ # detail]'.
"""
import re
import sys

RESULT = re.compile(r'^(\s*)(not ok|ok) (\d+)(?: -)? ?([^#]*?)\s*(?:#\s*(.*))?$')


def verdict(ok, directive):
    d = (directive or '').upper()
    if d.startswith('SKIP'):
        return 'SKIP'
    if d.startswith('XFAIL'):
        return 'PASS'
    return 'PASS' if ok else 'FAIL'


def kunit(path):
    """Count leaf results. In KTAP a parent's result line comes right
    after its children's, which are indented deeper, so a result is a
    leaf unless the result line before it is indented deeper."""
    out = []
    prev = None
    for line in open(path, errors='replace'):
        m = RESULT.match(line.rstrip('\n'))
        if not m:
            continue
        indent = len(m.group(1).expandtabs())
        parent = prev is not None and prev > indent
        prev = indent
        if parent:
            continue
        name = m.group(4).strip()
        out.append('%s kunit %s%s' % (verdict(m.group(2) == 'ok', m.group(5)),
                                      name, ' # ' + m.group(5) if m.group(5) else ''))
    return out


def ksft(path):
    out = []
    inner = []
    for line in open(path, errors='replace'):
        line = line.rstrip('\n')
        m = re.match(r'^# (not ok|ok) \d+ (\S+)\s*(?:#\s*(.*))?$', line)
        if m:
            inner.append((verdict(m.group(1) == 'ok', m.group(3)), m.group(2), m.group(3)))
            continue
        m = re.match(r'^(not ok|ok) \d+ selftests: (\S+): (\S+)\s*(?:#\s*(.*))?$', line)
        if m:
            prog = '%s/%s' % (m.group(2), m.group(3))
            top = verdict(m.group(1) == 'ok', m.group(4))
            for v, name, d in inner:
                out.append('%s ksft %s%s' % (v, name, ' # ' + d if d else ''))
            if top == 'FAIL' and not any(v == 'FAIL' for v, _, _ in inner):
                out.append('FAIL ksft %s # %s' % (prog, m.group(4) or 'exited non-zero'))
            elif not inner:
                out.append('%s ksft %s%s' % (top, prog, ' # ' + m.group(4) if m.group(4) else ''))
            inner = []
    if inner:
        out.append('FAIL ksft incomplete-run # the runner stopped before reporting')
    return out


# Kernel splats.  Console lines carry a printk timestamp, which keeps the
# scan off test programs' own output; dmesg is all kernel.
SPLAT = re.compile(r'BUG:|WARNING:|KASAN:|UBSAN:|Oops|Kernel panic|'
                   r'possible recursive locking|possible circular locking|'
                   r'inconsistent lock state|suspicious RCU usage|'
                   r'INFO: possible|INFO: task .* blocked|INFO: rcu|'
                   r'unreferenced object|Call Trace:|'
                   r'general protection fault|kernel BUG')
STAMP = re.compile(r'^\s*(<\d+>)?\[\s*\d+\.\d+\]')
# Messages that match the patterns but are not splats.
BENIGN = re.compile(r'^$')


def scan(paths):
    hits = []
    for p in paths:
        try:
            f = open(p, errors='replace')
        except OSError:
            continue
        kmemleak = p.endswith('kmemleak.txt')
        for line in f:
            line = line.rstrip('\n')
            if not kmemleak and not STAMP.match(line):
                continue
            if SPLAT.search(line) and not BENIGN.search(line):
                hits.append('%s: %s' % (p.rsplit('/', 1)[-1], line))
    return hits


def mmss(s):
    return '%d:%02d' % (s // 60, s % 60)


def timings(steps, guest, total):
    """Print 'name m:ss' per step of make check and, under the VM's step,
    its parts from the guest's own clock ('name start end' lines)."""
    try:
        parts = [line.split() for line in open(guest)]
    except OSError:
        parts = []
    print('wall time per step (m:ss):')
    for line in open(steps):
        name, sec = line.split()
        print('  %-40s %s' % (name, mmss(int(sec))))
        if name != 'vm':
            continue
        for fields in parts:
            if len(fields) < 3:
                continue
            what = ' '.join(fields[:-2])
            print('    %-38s %s' % (what, mmss(int(float(fields[-1]) - float(fields[-2])))))
    print('  %-40s %s' % ('total', mmss(int(total))))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'kunit':
        lines = kunit(args[0])
        if not lines:
            lines = ['FAIL kunit no-results # no KTAP case lines in ' + args[0]]
        print('\n'.join(lines))
    elif cmd == 'ksft':
        lines = ksft(args[0])
        if not lines:
            lines = ['FAIL ksft no-results # no TAP lines in ' + args[0]]
        print('\n'.join(lines))
    elif cmd == 'scan':
        hits = scan(args)
        if hits:
            sys.stderr.write('console scan found kernel splats:\n')
            for h in hits[:60]:
                sys.stderr.write('  ' + h + '\n')
            print('FAIL console-scan # %d lines' % len(hits))
        else:
            print('PASS console-scan')
    elif cmd == 'timings':
        timings(args[0], args[1], args[2])
    elif cmd == 'total':
        n = {'PASS': 0, 'FAIL': 0, 'SKIP': 0}
        for line in open(args[0]):
            v = line.split(' ', 1)[0]
            if v in n:
                n[v] += 1
        print('%d passed, %d failed, %d skipped' % (n['PASS'], n['FAIL'], n['SKIP']))
        sys.exit(1 if n['FAIL'] else 0)


if __name__ == '__main__':
    main()
