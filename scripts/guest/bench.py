#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench, guest side: devmem over netdevsim, DDI against non-DDI.

  bench.py TREE KSFT OUT.json

Throughput: ncdevmem receives (RX) or sends (TX) a fixed amount over a
linked netdevsim pair, with and without --ddi, the two modes interleaved.
The rate is read off the port's devmem_stats counter (first byte to last
byte through net_iovs), so process start-up and the bind are not in it.

Bind latency: bind-tx of one udmabuf per size, then unbind (closing the
netlink socket, until dma-buf debugfs shows the buffer detached), with and
without ddi, interleaved. bind-tx maps the dma-buf without restarting a
queue, so the figure is the mapping cost alone.
"""

import ctypes
import json
import os
import statistics
import subprocess
import sys
import time

TREE, KSFT, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.append(os.path.join(TREE, "tools/net/ynl/pyynl"))
from lib import YnlFamily  # noqa: E402  pylint: disable=wrong-import-position
from dmabuf import udmabuf, attached  # noqa: E402  pylint: disable=wrong-import-position

NCDEVMEM = os.path.join(KSFT, "drivers/net/hw/ncdevmem")
SPEC = os.path.join(TREE, "Documentation/netlink/specs/netdev.yaml")
REPS = int(os.environ.get("BENCH_REPS", "3"))
XFER = int(os.environ.get("BENCH_XFER_MIB", "32")) << 20
SIZES_MIB = [int(x) for x in
             os.environ.get("BENCH_SIZES_MIB", "64 256 1024 2048 4096").split()]
# Wall-clock budget for the bind latency sweep: a size whose predicted
# cost (the last size's, scaled linearly) would overrun it is not run.
BIND_BUDGET = float(os.environ.get("BENCH_BIND_BUDGET_S", "1800"))
# Seconds of bind and unbind cycles the perf profile samples.
PROFILE_S = float(os.environ.get("BENCH_PROFILE_S", "10"))
A, B = 201, 202
NS_A, NS_B = "bench-a", "bench-b"
IP_B = "192.0.2.2"
CLONE_NEWNET = 0x40000000


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, text=True,
                          capture_output=True, **kw).stdout.strip()


def stats(nsim):
    path = f"/sys/kernel/debug/netdevsim/netdevsim{nsim}/ports/0/devmem_stats"
    with open(path, encoding="utf-8") as f:
        return {k: int(v) for k, v in (line.split() for line in f)}


def setup():
    sh("modprobe netdevsim")
    for nsim, ns in ((A, NS_A), (B, NS_B)):
        with open("/sys/bus/netdevsim/new_device", "w", encoding="utf-8") as f:
            f.write(f"{nsim} 1 2")
        time.sleep(0.5)
        ifname = os.listdir(f"/sys/bus/netdevsim/devices/netdevsim{nsim}/net")[0]
        sh(f"ip netns add {ns}; ip link set {ifname} netns {ns}")
    names, idx = {}, {}
    for nsim, ns in ((A, NS_A), (B, NS_B)):
        link = json.loads(sh(f"ip -n {ns} -j link show"))
        dev = [d for d in link if d["ifname"] != "lo"][0]
        names[nsim], idx[nsim] = dev["ifname"], dev["ifindex"]
    fa = os.open(f"/run/netns/{NS_A}", os.O_RDONLY)
    fb = os.open(f"/run/netns/{NS_B}", os.O_RDONLY)
    with open("/sys/bus/netdevsim/link_device", "w", encoding="utf-8") as f:
        f.write(f"{fa}:{idx[A]} {fb}:{idx[B]}")
    os.close(fa)
    os.close(fb)
    for nsim, ns, ip in ((A, NS_A, "192.0.2.1"), (B, NS_B, IP_B)):
        sh(f"ip -n {ns} addr add {ip}/24 dev {names[nsim]}; "
           f"ip -n {ns} link set {names[nsim]} up; ip -n {ns} link set lo up")
    sh(f"ip netns exec {NS_A} ping -q -c 1 -W 10 {IP_B}")
    # Devmem RX needs header split; netdevsim has no RSS or ntuple rules,
    # so the RX side binds both of its queues and leaves the NIC alone
    # (ncdevmem -n). Debian's ethtool predates tcp-data-split: use YNL.
    spec = os.path.join(TREE, "Documentation/netlink/specs/ethtool.yaml")
    run_in_netns(NS_B, lambda: YnlFamily(spec, schema="").rings_set(
        {"header": {"dev-index": idx[B]}, "tcp-data-split": "enabled",
         "hds-thresh": 0}))
    return names, idx


# ncdevmem logs every recvmsg and sendmsg to stderr: its output goes to
# /dev/null, since a pipe nobody reads would stall the transfer.
def wait_listen(ns, port, proc):
    pat = f":{port:04X} "
    for _ in range(1200):
        tcp = sh(f"ip netns exec {ns} cat /proc/net/tcp /proc/net/tcp6")
        if any(pat in line and line.split()[3] == "0A" for line in tcp.splitlines()):
            return
        if proc.poll() is not None:
            raise RuntimeError(f"listener exited: {proc.communicate()}")
        time.sleep(0.1)
    raise RuntimeError("listener did not come up")


def watch(nsim, key, base, total, proc):
    """Time from the first to the last of @total bytes on a counter."""
    t0 = None
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        now = stats(nsim)[key] - base
        t = time.monotonic()
        if now > 0 and t0 is None:
            t0 = t
        if now >= total:
            return t - t0 if t0 else float("nan")
        if proc.poll() is not None and proc.returncode != 0:
            raise RuntimeError(f"transfer failed: {proc.communicate()}")
        time.sleep(0.02)
    raise RuntimeError(f"{key}: {now} of {total} bytes after 600 s")


def rx_run(names, port, ddi):
    ddi_arg = " --ddi" if ddi else ""
    srv = subprocess.Popen(
        f"ip netns exec {NS_B} {NCDEVMEM} -l -f {names[B]} -s {IP_B} "
        f"-p {port} -n -t 0 -q 2{ddi_arg}", shell=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_listen(NS_B, port, srv)
    base = stats(B)
    snd = subprocess.Popen(
        f"head -c {XFER} /dev/zero | ip netns exec {NS_A} "
        f"socat -u - TCP4:{IP_B}:{port}", shell=True)
    secs = watch(B, "rx_bytes", base["rx_bytes"], XFER, snd)
    snd.wait()
    srv.wait(timeout=300)
    after = stats(B)
    return secs, after["rx_ddi_bytes"] - base["rx_ddi_bytes"]


def tx_run(names, port, ddi):
    ddi_arg = " --ddi" if ddi else ""
    rcv = subprocess.Popen(
        f"ip netns exec {NS_B} socat -u TCP4-LISTEN:{port},reuseaddr - "
        f"> /dev/null", shell=True)
    wait_listen(NS_B, port, rcv)
    base = stats(A)
    line = 256 << 10
    gen = (f"python3 -c \"import sys; sys.stdout.buffer.write("
           f"(b'a' * {line - 1} + b'\\n') * {XFER // line})\"")
    cli = subprocess.Popen(
        f"{gen} | ip netns exec {NS_A} {NCDEVMEM} -f {names[A]} -s {IP_B} "
        f"-p {port}{ddi_arg}", shell=True, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    secs = watch(A, "tx_bytes", base["tx_bytes"], XFER, cli)
    cli.wait(timeout=300)
    rcv.wait(timeout=60)
    after = stats(A)
    return secs, after["tx_ddi_bytes"] - base["tx_ddi_bytes"]


def bind_run(ifindex, fd, ddi, phases=None):
    """bind-tx then unbind; seconds of each. @phases, if a dict, also gets
    the close() call and the wait for the detach apart."""
    nl = YnlFamily(SPEC, schema="")
    req = {"ifindex": ifindex, "fd": fd}
    if ddi:
        req["ddi"] = True
    t0 = time.perf_counter()
    nl.bind_tx(req)
    t1 = time.perf_counter()
    nl.sock.close()
    tc = time.perf_counter()
    while attached(fd):
        time.sleep(0.002)
    t2 = time.perf_counter()
    if phases is not None:
        phases.update(bind=t1 - t0, close=tc - t1, detach_wait=t2 - tc)
    return t1 - t0, t2 - t1


def pair_order(rep):
    """Each repetition runs both modes back to back, one pair at a time,
    and alternates which goes first, so that a drift over the run (memory
    fragmentation, caches, a noisy host) weighs on both modes alike."""
    return (False, True) if rep % 2 == 0 else (True, False)


def profile_binds(idx, mib, out_dir):
    """perf (cpu-clock, all CPUs) over a few bind-tx and unbind cycles of
    @mib MiB, without ddi: where the time of a bind and an unbind goes."""
    perf = "/usr/bin/perf"
    if not os.access(perf, os.X_OK):
        print("no perf: bind profile skipped", flush=True)
        return None
    fd = udmabuf(mib << 20)
    # perf cannot write its data to the shared output directory (9p).
    data = "/tmp/bind-perf.data"
    rec = subprocess.Popen([perf, "record", "-q", "-a", "-g", "-e", "cpu-clock",
                            "-F", "499", "-o", data],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)
    phases = []
    t_end = time.monotonic() + PROFILE_S
    while time.monotonic() < t_end or len(phases) < 3:
        ph = {}
        run_in_ns(NS_A, idx[A], fd, False, ph)
        phases.append(ph)
    rec.send_signal(2)
    rec.wait(timeout=300)
    os.close(fd)
    report = subprocess.run(
        [perf, "report", "-i", data, "--stdio", "--no-children", "-g", "none",
         "--sort", "sym", "--percent-limit", "0.01"],
        text=True, capture_output=True, check=False)
    top = busy_share(report.stdout)
    with open(os.path.join(out_dir, "bind-profile.txt"), "w",
              encoding="utf-8") as f:
        f.write(f"# {len(phases)} bind-tx + unbind cycles of {mib} MiB; share "
                "of the busy samples (idle left out), symbols >= 0.5 %\n")
        for pct, sym in top:
            f.write(f"{pct:6.2f}%  {sym}\n")
        f.write(report.stderr)
    os.unlink(data)
    return {"mib": mib, "phases": phases, "top": top[:15]}


def busy_share(report):
    """(percent of non-idle samples, symbol) from perf report --sort sym,
    most first, without the idle loop."""
    rows = []
    for line in report.splitlines():
        parts = line.split(None, 2)
        if len(parts) < 3 or not parts[0].endswith("%") or line.startswith("#"):
            continue
        rows.append((float(parts[0][:-1]), parts[2].strip()))
    idle = sum(p for p, sym in rows
               if "safe_halt" in sym or "default_idle" in sym or
               "cpu_idle" in sym or "poll_idle" in sym)
    busy = sum(p for p, _ in rows) - idle
    if busy <= 0:
        return []
    return [(100 * p / busy, sym) for p, sym in rows
            if p * 100 / busy >= 0.5 and not ("safe_halt" in sym or
                                              "default_idle" in sym or
                                              "cpu_idle" in sym or
                                              "poll_idle" in sym)]


def main():
    if not os.path.ismount("/sys/kernel/debug"):
        os.system("mount -t debugfs none /sys/kernel/debug")
    names, idx = setup()
    res = {"reps": REPS, "xfer_bytes": XFER, "throughput": [], "bind": []}
    port = 6000
    for rep in range(REPS):
        for direction, run in (("rx", rx_run), ("tx", tx_run)):
            for ddi in pair_order(rep):
                port += 1
                secs, ddi_bytes = run(names, port, ddi)
                res["throughput"].append({"dir": direction, "ddi": ddi,
                                          "rep": rep, "secs": secs,
                                          "ddi_bytes": ddi_bytes})
                print(f"{direction} ddi={ddi} rep={rep}: "
                      f"{XFER / secs / 1e6:.1f} MB/s", flush=True)
    os.system(f"ip netns exec {NS_A} true")
    sweep0 = time.monotonic()
    last = None  # (MiB, seconds) of the last size swept
    for i, mib in enumerate(SIZES_MIB):
        spent = time.monotonic() - sweep0
        if last and spent + last[1] * mib / last[0] > BIND_BUDGET:
            res["bind_cut"] = {"sizes_mib": SIZES_MIB[i:],
                               "budget_s": BIND_BUDGET,
                               "spent_s": round(spent, 1)}
            print(f"{mib} MiB and up: over the {BIND_BUDGET:.0f} s budget "
                  f"(BENCH_BIND_BUDGET_S), stopping here", flush=True)
            break
        t_size = time.monotonic()
        try:
            fd = udmabuf(mib << 20)
        except OSError as e:
            print(f"{mib} MiB: no udmabuf ({e}), stopping here", flush=True)
            break
        for rep in range(REPS):
            for ddi in pair_order(rep):
                # netlink runs in the netns of the device
                bind, unbind = run_in_ns(NS_A, idx[A], fd, ddi)
                res["bind"].append({"mib": mib, "ddi": ddi, "rep": rep,
                                    "bind": bind, "unbind": unbind})
                print(f"{mib} MiB ddi={ddi} rep={rep}: bind {bind * 1e3:.1f} ms,"
                      f" unbind {unbind * 1e3:.1f} ms", flush=True)
        os.close(fd)
        last = (mib, time.monotonic() - t_size)
    if os.environ.get("BENCH_PROFILE", "1") == "1":
        res["bind_profile"] = profile_binds(idx, SIZES_MIB[0],
                                            os.path.dirname(OUT))
    res["kernel"] = {"release": os.uname().release,
                     "debug": os.path.exists("/sys/kernel/debug/kmemleak")}
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(res, f, indent=1)
    print("medians:", json.dumps({
        f"{d}{'-ddi' if m else ''}": statistics.median(
            r["secs"] for r in res["throughput"] if r["dir"] == d and r["ddi"] == m)
        for d in ("rx", "tx") for m in (False, True)}))


def run_in_netns(ns, func):
    """func() in network namespace @ns (netlink sockets it opens stay
    there), then back."""
    own = os.open("/proc/self/ns/net", os.O_RDONLY)
    target = os.open(f"/run/netns/{ns}", os.O_RDONLY)
    # os.setns() is Python 3.12; Debian 12 has 3.11.
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(target, CLONE_NEWNET):
        raise OSError(ctypes.get_errno(), "setns")
    try:
        return func()
    finally:
        libc.setns(own, CLONE_NEWNET)
        os.close(own)
        os.close(target)


def run_in_ns(ns, ifindex, fd, ddi, phases=None):
    """bind_run() with the netlink socket in @ns, where the netdev is."""
    return run_in_netns(ns, lambda: bind_run(ifindex, fd, ddi, phases))


if __name__ == "__main__":
    main()
