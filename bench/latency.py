#!/usr/bin/env python3
"""Keystroke echo latency through a `cat` child: one byte to the console, wait for its echo.

The child is `stty raw -echo; exec cat` on its PTY, so the only echo is cat's own copy of each byte
(the path a keystroke takes to an IOC shell and back: client -> server -> PTY -> child -> PTY ->
server -> client). One client on the console's unix socket sends one byte, waits until that byte
comes back, and repeats; p50 and p99 over ROUNDS round trips, manage-procs and procServ alternating
in blocks of 100 so both see the same machine load. The first 100 round trips of each are warm-up.
Both write a console log (manage-procs its default log, procServ -L FILE); LOG=0 turns both off.
Env: ROUNDS (2000), RUNS (3; the figures are the medians of the runs' percentiles), LOG (1).
"""
import os
import select
import socket
import time

from harness import Manager, ProcServ, Scratch, log, median, percentile, unit_toml, wait_for

ROUNDS = int(os.environ.get("ROUNDS", "2000"))
RUNS = int(os.environ.get("RUNS", "3"))
ARGV = ["/bin/sh", "-c", "stty raw -echo; exec cat"]
WITH_LOG = os.environ.get("LOG", "1") == "1"
BLOCK = 100


class EchoClient:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        while select.select([self.sock], [], [], 0.3)[0]:  # banner, negotiation, history
            self.sock.recv(1 << 16)
        self.next = 0

    def round_trip(self):
        b = b"abcdefghijklmnopqrstuvwxyz"[self.next % 26:self.next % 26 + 1]
        self.next += 1
        t0 = time.perf_counter_ns()
        self.sock.sendall(b)
        while True:
            data = self.sock.recv(4096)
            if not data:
                raise RuntimeError("console closed")
            if b in data:
                return (time.perf_counter_ns() - t0) / 1000

    def block(self, n):
        return [self.round_trip() for _ in range(n)]


def main():
    results = {"ours": {"p50": [], "p99": []}, "procServ": {"p50": [], "p99": []}}
    with Scratch() as s:
        m = Manager(s, {"echo": unit_toml(ARGV, log_file="default" if WITH_LOG else "")}).start()
        m.wait_running(1, timeout=60)
        ps = ProcServ(s, "echo", ARGV, extra=["-L", s.path("procServ.log")] if WITH_LOG else [])
        wait_for("procServ", ps.ready, 30)
        time.sleep(0.5)  # stty ran
        for run in range(RUNS):
            clients = {"ours": EchoClient(m.console("echo")), "procServ": EchoClient(ps.sock)}
            samples = {k: [] for k in clients}
            for c in clients.values():
                c.block(BLOCK)  # warm-up
            for _ in range(ROUNDS // BLOCK):
                for k, c in clients.items():
                    samples[k] += c.block(BLOCK)
            for k, v in samples.items():
                results[k]["p50"].append(percentile(v, 50))
                results[k]["p99"].append(percentile(v, 99))
            log(f"run {run + 1}/{RUNS}: " + ", ".join(
                f"{k} p50 {results[k]['p50'][-1]:.0f} us p99 {results[k]['p99'][-1]:.0f} us" for k in results))
            for c in clients.values():
                c.sock.close()
    print("| server | p50 | p99 |")
    print("| --- | --- | --- |")
    for k, name in (("ours", "manage-procs"), ("procServ", "procServ")):
        print(f"| {name} | {median(results[k]['p50']):.0f} µs | {median(results[k]['p99']):.0f} µs |")
    ratio = median([a / b for a, b in zip(results["ours"]["p99"], results["procServ"]["p99"])])
    print(f"\nmanage-procs p99 / procServ p99 = {ratio:.2f} (median of the runs' ratios)")


if __name__ == "__main__":
    main()
