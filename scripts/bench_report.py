#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn bench.json (scripts/guest/bench.py) into a table and a plot.

  bench_report.py bench.json OUTDIR

Writes OUTDIR/results.md and OUTDIR/bind-latency.png (gnuplot) and
prints the table. Medians over the repetitions; the linear fit of bind
plus unbind latency against size is a least-squares line.
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


def main():
    res = json.load(open(sys.argv[1], encoding="utf-8"))
    out = sys.argv[2]
    lines = []
    say = lines.append

    xfer = res["xfer_bytes"]
    say(f"Throughput: {xfer >> 20} MiB per run, {res['reps']} runs per mode, "
        "DDI and non-DDI interleaved, medians (MB/s, first to last byte "
        "through net_iovs)\n")
    say("| direction | non-DDI MB/s | DDI MB/s | DDI/non-DDI | target |")
    say("|---|---|---|---|---|")
    verdicts = []
    for d in ("rx", "tx"):
        rate = {}
        for ddi in (False, True):
            runs = [r for r in res["throughput"] if r["dir"] == d and r["ddi"] == ddi]
            rate[ddi] = statistics.median(xfer / r["secs"] / 1e6 for r in runs)
            # Every payload byte of a DDI run went through the DDI device.
            if ddi and any(r["ddi_bytes"] < xfer for r in runs):
                verdicts.append(f"{d}: a DDI run moved fewer than {xfer} bytes via DDI")
        ratio = rate[True] / rate[False]
        ok = ratio >= TP_RATIO_MIN
        verdicts.append(f"{d} throughput ratio {ratio:.3f} "
                        f"{'meets' if ok else 'MISSES'} >= {TP_RATIO_MIN}")
        say(f"| {d.upper()} | {rate[False]:.1f} | {rate[True]:.1f} | "
            f"{ratio:.3f} | >= {TP_RATIO_MIN} |")

    say("\nBind (bind-tx) plus unbind latency, medians (ms)\n")
    say("| udmabuf | non-DDI bind | non-DDI unbind | non-DDI total | "
        "DDI bind | DDI unbind | DDI total | DDI/non-DDI |")
    say("|---|---|---|---|---|---|---|---|")
    sizes = sorted({r["mib"] for r in res["bind"]})
    table = []
    for mib in sizes:
        row = {}
        for ddi in (False, True):
            runs = [r for r in res["bind"] if r["mib"] == mib and r["ddi"] == ddi]
            row[ddi] = (statistics.median(r["bind"] for r in runs) * 1e3,
                        statistics.median(r["unbind"] for r in runs) * 1e3,
                        statistics.median(r["bind"] + r["unbind"] for r in runs) * 1e3)
        ratio = row[True][2] / row[False][2]
        table.append((mib, row[False][2], row[True][2], ratio))
        say(f"| {mib} MiB | {row[False][0]:.1f} | {row[False][1]:.1f} | "
            f"{row[False][2]:.1f} | {row[True][0]:.1f} | {row[True][1]:.1f} | "
            f"{row[True][2]:.1f} | {ratio:.3f} |")
    worst = max(t[3] for t in table)
    verdicts.append(f"bind latency ratio worst {worst:.3f} "
                    f"{'meets' if worst <= BIND_RATIO_MAX else 'MISSES'} "
                    f"<= {BIND_RATIO_MAX}")
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
set title 'devmem bind-tx + unbind latency on netdevsim (TCG, KASAN)'
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
