#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn bench.json (scripts/guest/bench.py) into a table and a plot.

  bench_report.py bench.json OUTDIR

Writes OUTDIR/results.md and OUTDIR/bind-latency.png (gnuplot) and
prints the table. Medians over the repetitions, DDI/non-DDI ratios taken
within each back-to-back pair and given with their range, so that a
difference inside the run-to-run noise reads as such; the linear fit of
bind plus unbind latency against size is a least-squares line.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys

# Targets from the issue: DDI may cost at most this much.
TP_RATIO_MIN = 0.97
BIND_RATIO_MAX = 1.05


def fit(xs, ys):
    """Least squares y = a + b x, and R^2."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    b = sxy / sxx if sxx else float("nan")
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys))
    return a, b, (1 - ss_res / ss_tot) if ss_tot else float("nan")


def spread(vals):
    """'median (min-max)' of a list of ratios."""
    return (f"{statistics.median(vals):.3f} "
            f"({min(vals):.3f}-{max(vals):.3f})")


def noise(vals):
    """Whether paired ratios disagree on which mode is faster."""
    return min(vals) <= 1.0 <= max(vals)


def judge(name, vals, ok, target):
    """A verdict that says when the spread, not the median, decides."""
    med = statistics.median(vals)
    line = f"{name} ratio {spread(vals)} "
    if all(ok(v) for v in vals):
        line += f"meets {target} in every pair"
    elif not any(ok(v) for v in vals):
        line += f"MISSES {target} in every pair"
    else:
        line += (f"{'meets' if ok(med) else 'misses'} {target} at the median, "
                 f"but not in every pair: undecided by this run")
    if noise(vals):
        line += "; the pairs disagree on which mode is faster: inside the noise"
    return line


def paired(runs, key):
    """{rep: {ddi: value}} -> list of DDI/non-DDI ratios of each rep."""
    by_rep = {}
    for r in runs:
        by_rep.setdefault(r["rep"], {})[r["ddi"]] = key(r)
    return [v[True] / v[False] for v in by_rep.values()
            if True in v and False in v]


def main():
    res = json.load(open(sys.argv[1], encoding="utf-8"))
    out = sys.argv[2]
    lines = []
    say = lines.append
    kern = res.get("kernel", {})
    kind = ("debug kernel (KASAN, lockdep, kmemleak)" if kern.get("debug")
            else "kernel without KASAN, lockdep and kmemleak")
    say(f"Kernel {kern.get('release', '?')}, {kind}, under TCG.\n")

    xfer = res["xfer_bytes"]
    say(f"Throughput: {xfer >> 20} MiB per run, {res['reps']} pairs of runs "
        "(DDI and non-DDI back to back, the first of the pair alternating), "
        "MB/s from first to last byte through net_iovs: median (min-max); "
        "the ratio is taken in each pair\n")
    say("| direction | non-DDI MB/s | DDI MB/s | DDI/non-DDI | target |")
    say("|---|---|---|---|---|")
    verdicts = []
    for d in ("rx", "tx"):
        runs = [r for r in res["throughput"] if r["dir"] == d]
        rates = {}
        for ddi in (False, True):
            mine = [xfer / r["secs"] / 1e6 for r in runs if r["ddi"] == ddi]
            rates[ddi] = (f"{statistics.median(mine):.1f} "
                          f"({min(mine):.1f}-{max(mine):.1f})")
            # Every payload byte of a DDI run went through the DDI device.
            if ddi and any(r["ddi_bytes"] < xfer for r in runs if r["ddi"]):
                verdicts.append(f"{d}: a DDI run moved fewer than {xfer} bytes via DDI")
        ratios = paired(runs, lambda r: xfer / r["secs"])
        verdicts.append(judge(f"{d} throughput", ratios,
                              lambda v: v >= TP_RATIO_MIN, f">= {TP_RATIO_MIN}"))
        say(f"| {d.upper()} | {rates[False]} | {rates[True]} | "
            f"{spread(ratios)} | >= {TP_RATIO_MIN} |")

    say("\nBind (bind-tx) plus unbind latency (ms), medians; the ratio of the "
        "totals is taken in each pair: median (min-max)\n")
    say("| udmabuf | non-DDI bind | non-DDI unbind | non-DDI total | "
        "DDI bind | DDI unbind | DDI total | DDI/non-DDI |")
    say("|---|---|---|---|---|---|---|---|")
    sizes = sorted({r["mib"] for r in res["bind"]})
    table = []
    all_ratios = []
    for mib in sizes:
        row = {}
        runs = [r for r in res["bind"] if r["mib"] == mib]
        for ddi in (False, True):
            mine = [r for r in runs if r["ddi"] == ddi]
            row[ddi] = (statistics.median(r["bind"] for r in mine) * 1e3,
                        statistics.median(r["unbind"] for r in mine) * 1e3,
                        statistics.median(r["bind"] + r["unbind"] for r in mine) * 1e3)
        ratios = paired(runs, lambda r: r["bind"] + r["unbind"])
        all_ratios += ratios
        table.append((mib, row[False][2], row[True][2], ratios))
        say(f"| {mib} MiB | {row[False][0]:.1f} | {row[False][1]:.1f} | "
            f"{row[False][2]:.1f} | {row[True][0]:.1f} | {row[True][1]:.1f} | "
            f"{row[True][2]:.1f} | {spread(ratios)} |")
    verdicts.append(judge("bind latency (all sizes)", all_ratios,
                          lambda v: v <= BIND_RATIO_MAX, f"<= {BIND_RATIO_MAX}"))
    for ddi, col in ((False, 1), (True, 2)):
        name = 'DDI' if ddi else 'non-DDI'
        if len(table) < 3:
            # Two points always fit a line: say how the cost grew instead.
            if len(table) == 2:
                lo, hi = table
                verdicts.append(f"{name} bind+unbind: x{hi[col] / lo[col]:.1f} "
                                f"from {lo[0]} to {hi[0]} MiB (x{hi[0] / lo[0]:.0f} in size); "
                                f"linearity needs at least 3 sizes")
            continue
        a, b, r2 = fit([t[0] / 1024 for t in table], [t[col] for t in table])
        verdicts.append(f"{name} bind+unbind: "
                        f"{b:.0f} ms per GiB + {a:.0f} ms, R^2 {r2:.4f}")
    cut = res.get("bind_cut")
    if cut:
        verdicts.append(f"not measured: {', '.join(map(str, cut['sizes_mib']))} "
                        f"MiB, predicted to overrun the {cut['budget_s']:.0f} s "
                        f"bind budget ({cut['spent_s']:.0f} s spent)")
    prof = res.get("bind_profile")
    if prof:
        ph = prof["phases"]
        verdicts.append(
            f"profiled {len(ph)} non-DDI cycles of {prof['mib']} MiB, medians: "
            f"bind-tx {statistics.median(p['bind'] for p in ph) * 1e3:.0f} ms, "
            f"close() {statistics.median(p['close'] for p in ph) * 1e3:.0f} ms, "
            "wait for the detach "
            f"{statistics.median(p['detach_wait'] for p in ph) * 1e3:.0f} ms "
            "(perf report: bind-profile.txt)")
    say("\n" + "\n".join(f"- {v}" for v in verdicts))

    text = "\n".join(lines) + "\n"
    with open(os.path.join(out, "results.md"), "w", encoding="utf-8") as f:
        f.write(text)
    print(text)

    dat = os.path.join(out, "bind-latency.dat")
    with open(dat, "w", encoding="utf-8") as f:
        for mib, plain, ddi, _ in table:
            f.write(f"{mib} {plain} {ddi}\n")
    if not shutil.which("gnuplot"):
        print("no gnuplot: no plot (apt-get install gnuplot-nox)")
        return
    png = os.path.join(out, "bind-latency.png")
    subprocess.run(["gnuplot"], check=True, text=True, input=f"""
set terminal pngcairo size 800,500
set output '{png}'
set title 'devmem bind-tx + unbind latency on netdevsim (TCG, {"debug" if kern.get("debug") else "no debug"} kernel)'
set xlabel 'udmabuf size (MiB)'
set ylabel 'latency (ms), median of {res["reps"]}'
set key top left
set grid
plot '{dat}' using 1:2 with linespoints title 'non-DDI', \\
     '{dat}' using 1:3 with linespoints title 'DDI'
""")
    print(f"plot: {png}")


if __name__ == "__main__":
    main()
