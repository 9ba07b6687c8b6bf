#!/usr/bin/env python3
"""Start-up: time from starting the server to all N units running (children `sleep`).

manage-procs: from starting `manage-procs --user daemon` (the launcher, so JVM start counts) until
`status` over the control socket shows N units RUNNING (polled every 100 ms).
supervisord: from starting `supervisord -n` with N programs (startsecs=0) until `supervisorctl
status` shows N RUNNING (polled every 100 ms; each poll costs ~0.2 s, so its figure has that grain).
procServ: from starting the first of N procServ processes until every one has a child.
Env: UNITS (1000), RUNS (3), SERVERS ("ours procServ supervisord": which to measure), RUNTIME
(tmpfs; "disk" puts the runtime files, sockets, pid and info files, in TMPDIR).
"""
import os
import time

from harness import Manager, ProcServ, Scratch, Supervisord, log, median, unit_toml, wait_for

UNITS = int(os.environ.get("UNITS", "1000"))
RUNS = int(os.environ.get("RUNS", "3"))
SERVERS = os.environ.get("SERVERS", "ours procServ supervisord").split()
SLEEP = ["/bin/sleep", "1000000"]


def ours():
    with Scratch() as s:
        m = Manager(s, {f"u{i:04d}": unit_toml(SLEEP, log_file="default") for i in range(UNITS)})
        m.start()
        m.wait_running(UNITS, timeout=120, pause=0.1)
        return time.monotonic() - m.started


def procserv():
    with Scratch() as s:
        t0 = time.monotonic()
        servers = [ProcServ(s, f"u{i:04d}", SLEEP) for i in range(UNITS)]
        pending = list(servers)

        def all_children():
            pending[:] = [p for p in pending if p.child() is None]
            return not pending
        wait_for("every procServ's child", all_children, 120, 0.1)
        return time.monotonic() - t0


def supervisord():
    with Scratch() as s:
        sv = Supervisord(s, {f"u{i:04d}": " ".join(SLEEP) for i in range(UNITS)}).start()
        wait_for(f"{UNITS} programs", lambda: sv.running() >= UNITS, 300, 0.1)
        return time.monotonic() - sv.started


def main():
    measured = [(name, fn) for name, fn in (("ours", ours), ("procServ", procserv), ("supervisord", supervisord))
                if name in SERVERS]
    results = {name: [] for name, _ in measured}
    for run in range(RUNS):
        for name, fn in measured:
            results[name].append(fn())
            log(f"run {run + 1}/{RUNS}, {name}: {results[name][-1]:.2f} s")
    titles = {"ours": "manage-procs", "procServ": f"procServ ({UNITS} processes)", "supervisord": "supervisord"}
    print(f"| {UNITS} units to running | " + " | ".join(titles[k] for k in results) + " |")
    print("| --- " * (len(results) + 1) + "|")
    print("| median | " + " | ".join(f"{median(results[k]):.2f} s" for k in results) + " |")


if __name__ == "__main__":
    main()
