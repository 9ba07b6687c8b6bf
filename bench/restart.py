#!/usr/bin/env python3
"""Restart latency with no holdoff: SIGKILL the child, time until its replacement runs.

manage-procs: a unit with holdoff "0s"; the new child is seen when the unit's pid file names
another live process. procServ: --holdoff 0; supervisord: autorestart, startsecs=0; for both the
new child is seen as a new child process of the server (/proc/PID/task/*/children). Polled every
0.2 ms. ROUNDS kills each, alternating between the servers.
Env: ROUNDS (50).
"""
import os
import signal
import time

from harness import (Manager, ProcServ, Scratch, Supervisord, alive, children_of, log, median, percentile,
                     unit_toml, wait_for)

ROUNDS = int(os.environ.get("ROUNDS", "50"))
SLEEP = ["/bin/sleep", "1000000"]
POLL = 0.0002


def pid_from(path):
    try:
        with open(path) as f:
            return int(f.read().strip() or 0)
    except (OSError, ValueError):
        return 0


def measure(current, what):
    """Kills current(); seconds until current() returns another live pid."""
    old = wait_for(f"{what}'s child", current, 10, 0.01)
    t0 = time.monotonic()
    os.kill(old, signal.SIGKILL)
    deadline = t0 + 10
    while True:
        pid = current()
        if pid and pid != old and alive(pid):
            return time.monotonic() - t0
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not restart its child within 10 s")
        time.sleep(POLL)


def main():
    with Scratch() as s:
        m = Manager(s, {"r": unit_toml(SLEEP, holdoff="0s", log_file="default")}).start()
        m.wait_running(1, timeout=60)
        ps = ProcServ(s, "r", SLEEP, holdoff=0)
        sv = Supervisord(s, {"r": " ".join(SLEEP)}, extra="startsecs=0\nautorestart=true\n").start()
        wait_for("procServ", ps.ready, 30)
        wait_for("supervisord", lambda: sv.running() == 1, 30, 0.2)

        def ours():
            p = pid_from(m.pid_file("r"))
            return p if alive(p) else 0

        def procserv():
            kids = children_of(ps.pid)
            return kids[0] if kids else 0

        def supervisord():
            kids = [k for k in children_of(sv.pid) if alive(k)]
            return kids[0] if kids else 0
        probes = {"manage-procs": ours, "procServ": procserv, "supervisord": supervisord}
        results = {k: [] for k in probes}
        for i in range(ROUNDS):
            for name, probe in probes.items():
                results[name].append(measure(probe, name) * 1000)
            time.sleep(0.05)
        for name, v in results.items():
            log(f"{name}: median {median(v):.1f} ms, p90 {percentile(v, 90):.1f} ms, max {max(v):.1f} ms")
    print("| restart latency, holdoff 0 | manage-procs | procServ | supervisord |")
    print("| --- | --- | --- | --- |")
    print("| median | " + " | ".join(f"{median(v):.1f} ms" for v in results.values()) + " |")
    print("| p90 | " + " | ".join(f"{percentile(v, 90):.1f} ms" for v in results.values()) + " |")


if __name__ == "__main__":
    main()
