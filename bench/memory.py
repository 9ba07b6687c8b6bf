#!/usr/bin/env python3
"""Memory: the manager's PSS with N units (children `sleep`) beside the summed PSS of N procServ
processes (one per unit, console on a unix socket) and of a supervisord with N programs.

Each server runs alone, one after the other, in the same run; PSS is read from
/proc/PID/smaps_rollup after the last child runs and SETTLE seconds more. Children are not counted.
Env: RUNS (3), UNITS ("10 100 1000"), SETTLE (10 s), SERVERS ("ours procServ supervisord": which to
measure), MANAGE_PROCS_JAVA_OPTS (passed to the manager).
"""
import os
import time

from harness import Manager, ProcServ, Scratch, Supervisord, log, median, pss_kb, unit_toml, wait_for

RUNS = int(os.environ.get("RUNS", "3"))
UNITS = [int(n) for n in os.environ.get("UNITS", "10 100 1000").split()]
SETTLE = float(os.environ.get("SETTLE", "10"))
SERVERS = os.environ.get("SERVERS", "ours procServ supervisord").split()
SLEEP = ["/bin/sleep", "1000000"]


def ours(n):
    with Scratch() as s:
        # the product's defaults: a unix console and a console log per unit
        units = {f"u{i:04d}": unit_toml(SLEEP, log_file="default") for i in range(n)}
        m = Manager(s, units, java_opts=os.environ.get("MANAGE_PROCS_JAVA_OPTS")).start()
        m.wait_running(n, timeout=120, pause=0.5)
        time.sleep(SETTLE)
        return pss_kb(m.pid)


def procserv(n):
    with Scratch() as s:
        servers = [ProcServ(s, f"u{i:04d}", SLEEP) for i in range(n)]
        wait_for(f"{n} procServ children", lambda: all(p.ready() for p in servers), 120, 0.2)
        time.sleep(SETTLE)
        return sum(pss_kb(p.pid) for p in servers)


def supervisord(n):
    with Scratch() as s:
        sv = Supervisord(s, {f"u{i:04d}": " ".join(SLEEP) for i in range(n)}).start()
        wait_for(f"{n} supervisord programs", lambda: sv.running() >= n, 120, 0.5)
        time.sleep(SETTLE)
        return pss_kb(sv.pid)


def main():
    measured = [(name, fn) for name, fn in (("ours", ours), ("procServ", procserv), ("supervisord", supervisord))
                if name in SERVERS]
    results = {n: {name: [] for name, _ in measured} for n in UNITS}
    for run in range(RUNS):
        for n in UNITS:
            for name, fn in measured:
                kb = fn(n)
                results[n][name].append(kb)
                log(f"run {run + 1}/{RUNS}, {n} units, {name}: {kb / 1024:.1f} MiB PSS")
    titles = {"ours": "manage-procs PSS", "procServ": "procServ PSS (sum of N)", "supervisord": "supervisord PSS"}
    ratio = "ours" in SERVERS and "procServ" in SERVERS
    print("| units | " + " | ".join(titles[k] for k, _ in measured) + (" | manage-procs / procServ |" if ratio else " |"))
    print("| --- " * (1 + len(measured) + ratio) + "|")
    for n in UNITS:
        cells = [f"{median(results[n][k]) / 1024:.1f} MiB" for k, _ in measured]
        if ratio:
            cells.append(f"{median([a / b for a, b in zip(results[n]['ours'], results[n]['procServ'])]):.2f}")
        print(f"| {n} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
