#!/usr/bin/env python3
"""Idle CPU: N idle units (children `sleep`); CPU the server uses over WINDOW seconds, from
utime + stime in /proc/PID/stat, as a percentage of one core. For procServ the figure is the sum
over its N processes. Measured after every child runs and SETTLE seconds more.
Env: UNITS (100), WINDOW (30 s), SETTLE (5 s), RUNS (3).
"""
import os
import time

from harness import TICKS, Manager, ProcServ, Scratch, Supervisord, cpu_ticks, log, median, unit_toml, wait_for

UNITS = int(os.environ.get("UNITS", "100"))
WINDOW = float(os.environ.get("WINDOW", "30"))
SETTLE = float(os.environ.get("SETTLE", "5"))
RUNS = int(os.environ.get("RUNS", "3"))
SLEEP = ["/bin/sleep", "1000000"]


def cpu_percent(pids):
    before = sum(cpu_ticks(p) for p in pids)
    t0 = time.monotonic()
    time.sleep(WINDOW)
    used = (sum(cpu_ticks(p) for p in pids) - before) / TICKS
    return 100 * used / (time.monotonic() - t0)


def ours():
    with Scratch() as s:
        m = Manager(s, {f"u{i:04d}": unit_toml(SLEEP, log_file="default") for i in range(UNITS)}).start()
        m.wait_running(UNITS, timeout=60, pause=0.5)
        time.sleep(SETTLE)
        return cpu_percent([m.pid])


def procserv():
    with Scratch() as s:
        servers = [ProcServ(s, f"u{i:04d}", SLEEP) for i in range(UNITS)]
        wait_for(f"{UNITS} procServ children", lambda: all(p.ready() for p in servers), 60, 0.2)
        time.sleep(SETTLE)
        return cpu_percent([p.pid for p in servers])


def supervisord():
    with Scratch() as s:
        sv = Supervisord(s, {f"u{i:04d}": " ".join(SLEEP) for i in range(UNITS)}).start()
        wait_for(f"{UNITS} programs", lambda: sv.running() >= UNITS, 60, 0.5)
        time.sleep(SETTLE)
        return cpu_percent([sv.pid])


def main():
    results = {"ours": [], "procServ": [], "supervisord": []}
    for run in range(RUNS):
        for name, fn in (("ours", ours), ("procServ", procserv), ("supervisord", supervisord)):
            results[name].append(fn())
            log(f"run {run + 1}/{RUNS}, {name}: {results[name][-1]:.3f} % of one core")
    print(f"| {UNITS} idle units, {WINDOW:.0f} s | manage-procs | procServ (sum of {UNITS}) | supervisord |")
    print("| --- | --- | --- | --- |")
    print("| CPU, % of one core | " + " | ".join(f"{median(results[k]):.3f} %" for k in results) + " |")


if __name__ == "__main__":
    main()
