#!/usr/bin/env python3
"""Console throughput: a child writes 50 MB of 79-column lines; how fast do console clients get it?

The same child runs under a bare PTY reader (the ceiling: this script reading the master with
os.read, no server), under manage-procs and under procServ. Each client is a separate process on
the console's unix socket. All clients connect and read away the banner and history; then the first
one sends a token line, on which the child (`while read t; do cat FILE; echo END-$t; done`, terminal
echo off) writes the file. A client's time ends when it has read END-token. With ten clients the
figure is the slowest client's rate. Rates are MB (10^6 bytes) of the file per second.
Env: RUNS (5), MB (50), CLIENTS ("1 10"), LOG=1 (manage-procs with a console log, procServ with -L).
"""
import os
import pty
import select
import socket
import subprocess
import sys
import time

from harness import Manager, ProcServ, Scratch, log, median, unit_toml, wait_for

RUNS = int(os.environ.get("RUNS", "5"))
MB = int(os.environ.get("MB", "50"))
CLIENTS = [int(n) for n in os.environ.get("CLIENTS", "1 10").split()]
WITH_LOG = os.environ.get("LOG") == "1"
LINE = 79


def flood_file(path):
    lines = MB * 1_000_000 // LINE
    with open(path, "wb") as f:
        for i in range(lines):
            f.write(b"%08d " % i + b"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-+=_.,:"[:LINE - 10] + b"\n")
    return lines * LINE


def child_argv(flood):
    return ["/bin/sh", "-c", f"stty -echo; while read t; do cat {flood}; echo END-$t; done"]


def read_until(fileno_read, marker):
    """Reads until marker; returns (monotonic end time, bytes read)."""
    tail, total = b"", 0
    while True:
        chunk = fileno_read()
        if not chunk:
            raise RuntimeError("connection closed before the end marker")
        total += len(chunk)
        seen = tail + chunk[-len(marker) - 2:]
        if marker in seen:
            return time.monotonic(), total
        tail = seen[-len(marker):]


def drain(sock):
    """Reads away the banner, negotiation and history replay: until 0.3 s of silence."""
    while select.select([sock], [], [], 0.3)[0]:
        if not sock.recv(1 << 16):
            raise RuntimeError("console closed while draining")


def reader(path, first):
    """One client process: connect, drain, 'ready'; on 'go TOKEN' (first sends it) read to END-TOKEN."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    drain(s)
    print("ready", flush=True)
    token = sys.stdin.readline().split()[1]
    if first:
        s.sendall(token.encode() + b"\n")
    buf = bytearray(1 << 18)
    view = memoryview(buf)

    def chunk():
        n = s.recv_into(buf)
        return bytes(view[:n]) if n else b""
    end, total = read_until(chunk, b"END-" + token.encode())
    print(f"done {end} {total}", flush=True)


def clients_run(path, n, token):
    procs = [subprocess.Popen([sys.executable, __file__, "--reader", path, "1" if i == 0 else "0"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for i in range(n)]
    try:
        for p in procs:
            if p.stdout.readline().strip() != "ready":
                raise RuntimeError("a reader did not get ready")
        for p in procs[1:] + procs[:1]:  # the first (which sends the token) last
            t0 = time.monotonic()
            p.stdin.write(f"go {token}\n")
            p.stdin.flush()
        ends = []
        for p in procs:
            _, end, total = p.stdout.readline().split()
            ends.append(float(end))
        return max(ends) - t0
    finally:
        for p in procs:
            p.kill()
            p.wait()


def ceiling_setup(flood):
    master, slave = pty.openpty()
    child = subprocess.Popen(child_argv(flood), stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    time.sleep(0.3)
    return master, child


def ceiling_run(master, token):
    os.write(master, token.encode() + b"\n")
    t0 = time.monotonic()
    end, _ = read_until(lambda: os.read(master, 1 << 18), b"END-" + token.encode())
    return end - t0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--reader":
        reader(sys.argv[2], sys.argv[3] == "1")
        return
    with Scratch() as s:
        flood = s.path("flood.txt")
        size = flood_file(flood)
        log(f"flood file: {size} bytes of {LINE}-column lines")
        argv = child_argv(flood)
        logfile = "default" if WITH_LOG else ""
        m = Manager(s, {"flood": unit_toml(argv, log_file=logfile)}).start()
        m.wait_running(1, timeout=60)
        ps = ProcServ(s, "flood", argv, extra=["-L", s.path("procServ.log")] if WITH_LOG else [])
        wait_for("procServ", ps.ready, 30)
        master, child = ceiling_setup(flood)
        s.extra_pids.append(child.pid)
        rates = {"ceiling": []}
        for n in CLIENTS:
            rates[f"ours{n}"], rates[f"procServ{n}"] = [], []
        mb = size / 1e6
        for run in range(RUNS):
            token = f"r{run}x{os.getpid()}"
            rates["ceiling"].append(mb / ceiling_run(master, "c" + token))
            for n in CLIENTS:
                rates[f"ours{n}"].append(mb / clients_run(m.console("flood"), n, f"m{n}{token}"))
                rates[f"procServ{n}"].append(mb / clients_run(ps.sock, n, f"p{n}{token}"))
            log(f"run {run + 1}/{RUNS}: " + ", ".join(f"{k} {v[-1]:.0f} MB/s" for k, v in rates.items()))
        ceiling = median(rates["ceiling"])
        print(f"| clients | bare PTY reader (ceiling) | manage-procs (slowest client) | procServ (slowest client) "
              f"| manage-procs / ceiling | procServ / ceiling | manage-procs / procServ |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for n in CLIENTS:
            o, p = median(rates[f"ours{n}"]), median(rates[f"procServ{n}"])
            per_run_o = median([a / c for a, c in zip(rates[f"ours{n}"], rates["ceiling"])])
            per_run_p = median([a / c for a, c in zip(rates[f"procServ{n}"], rates["ceiling"])])
            per_run_op = median([a / b for a, b in zip(rates[f"ours{n}"], rates[f"procServ{n}"])])
            print(f"| {n} | {ceiling:.0f} MB/s | {o:.0f} MB/s | {p:.0f} MB/s | {per_run_o:.2f} | {per_run_p:.2f} "
                  f"| {per_run_op:.2f} |")


if __name__ == "__main__":
    main()
