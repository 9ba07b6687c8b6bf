#!/usr/bin/env python3
"""Live re-exec (`manage-procs --user daemon-reexec`): how long a console stands still, and how long
the command takes, at N units.

One manager per size, in a private XDG tree, with N units: one `tick` unit whose child prints
`seq I` every 10 ms without forking (bash builtins only: `read -t 0.01` on a pipe that never has
data is the sleep), and N-1 units with a `sleep` child; every unit has the product's defaults, a
`unix:default` console socket and a console log. One console client on tick's socket
(<rundir>/tick/control) reads on a thread of its own and stamps every chunk as it arrives. Then
RUNS times `manage-procs --user daemon-reexec` (the CLI of this checkout, which returns once the
same pid answers ping as the new code), one second apart.
Per re-exec:
  gap       from the arrival of the last byte before the client's "@@@ manager re-executed" line
            to the arrival of the first child byte after it;
  silence   the longest pause between two chunks from the command's start to that first child byte
            (the freeze as the client saw it, whichever side of the @@@ line held-back bytes fell);
  manager   the "in N ms" of that @@@ line (the manager's own figure for how long consoles stood still);
  CLI       wall time of the daemon-reexec command (JVM start, preflight, exec, until ping answers).
The client's whole stream is checked for a gap or a repeat in the sequence numbers. The phases
come from the manager's log (timestamps to the ms, lines that are missing are left out): the CLI's
start, the audit line "re-exec ... requested" (after the preflight), "re-executing ... keeping K fds"
(just before the exec), "handed-over state of N units read", "manager re-executed ... consoles still"
(consoles flow again), the CLI's return.
Env: UNITS ("10 100 1000"), RUNS (5 re-execs per size; medians, min and max over them).
"""
import datetime
import os
import re
import socket
import subprocess
import threading
import time

from harness import LAUNCHER, Manager, Scratch, log, median, unit_toml, wait_for

UNITS = [int(n) for n in os.environ.get("UNITS", "10 100 1000").split()]
RUNS = int(os.environ.get("RUNS", "5"))
TICK = ["/bin/bash", "-c", "exec 3<> <(:); i=0; while :; do i=$((i+1)); echo seq $i; read -t 0.01 -u 3; done"]
SLEEP = ["/bin/sleep", "1000000"]
MARK = b"@@@ manager re-executed"
MARK_RE = re.compile(rb"@@@ manager re-executed \(version (\S+) \S+ (\S+)\) in (\d+) ms")
SEQ_RE = re.compile(rb"^seq (\d+)\r?$")


class Reader:
    """One console client; a thread appends every chunk with its arrival time (time.monotonic_ns)."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(None)  # quiet for as long as the re-exec takes
        self.sock.connect(path)
        self.buf = bytearray()
        self.starts = []  # (offset of the chunk's first byte in buf, arrival ns)
        self.closed = False
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            while True:
                data = self.sock.recv(1 << 16)
                t = time.monotonic_ns()
                if not data:
                    break
                with self.lock:
                    self.starts.append((len(self.buf), t))
                    self.buf += data
        except OSError:
            pass
        self.closed = True

    def snapshot(self):
        with self.lock:
            return bytes(self.buf), list(self.starts)

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self.thread.join(5)


def arrival(starts, i):
    """Arrival time (ns) of byte i: that of the chunk it came in."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid][0] <= i:
            lo = mid
        else:
            hi = mid - 1
    return starts[lo][1]


def line_end(buf, i):
    return buf.index(b"\n", i) + 1


def reexec_event(buf, starts, since, t0):
    """The first "@@@ manager re-executed" line at or after offset since with child output after it:
    (start, end, gap ms, manager's ms, versions, longest silence ms since t0), or None while incomplete."""
    s = buf.find(MARK, since)
    if s < 0 or b"\n" not in buf[s:]:
        return None
    e = line_end(buf, s)
    m = MARK_RE.match(buf, s)
    if not m:
        raise RuntimeError(f"unexpected re-exec line: {buf[s:e]!r}")
    pos = e
    while buf.startswith(b"@@@", pos) and b"\n" in buf[pos:]:  # any further manager line
        pos = line_end(buf, pos)
    if pos >= len(buf) or buf.startswith(b"@@@", pos):
        return None
    before = s - 1
    if buf[before - 1:before + 1] == b"\r\n" and not buf.startswith(b"seq", e):
        before -= 2  # "\r\n" the manager put before the line because the child's line was not finished
    gap = (arrival(starts, pos) - arrival(starts, before)) / 1e6
    # longest pause between chunks from the command's start (t0) to the child's first byte after the line
    times = [t for _, t in starts if t0 <= t <= arrival(starts, pos)]
    silence = max((b - a for a, b in zip(times, times[1:])), default=0) / 1e6
    return s, e, gap, int(m.group(3)), (m.group(1).decode(), m.group(2).decode()), silence, arrival(starts, s)


def sequence_problems(buf):
    """Gaps and repeats in the child's "seq I" lines after the history replay; [] when clean."""
    live = buf.find(b"end of replay, live output follows")
    text = buf[line_end(buf, live):] if live >= 0 else buf
    # take the manager's lines out; one that interrupted an unfinished child line took "\r\n" with it
    out, pos = bytearray(), 0
    for m in re.finditer(rb"(\r\n)?@@@[^\n]*\n", text):
        cut = m.start()
        if m.group(1) and text.startswith(b"seq", m.end()):
            cut += 2  # the "\r\n" ended the child's line; otherwise the manager put it there
        out += text[pos:cut]
        pos = m.end()
    out += text[pos:]
    seqs = []
    for line in out.split(b"\n")[1:-1]:  # the first and the last line may be partial
        m = SEQ_RE.match(line)
        if m:
            seqs.append(int(m.group(1)))
        elif line.strip():
            return [f"unexpected line {line[:80]!r}"], seqs
    problems = []
    for a, b in zip(seqs, seqs[1:]):
        if b == a + 1:
            continue
        problems.append(f"{'repeat' if b <= a else 'gap'}: seq {a} then {b}")
    return problems, seqs


LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) ")


def log_times(text, pattern):
    """Wall-clock times (s since the epoch) of the manager log lines matching pattern."""
    out = []
    for line in text.splitlines():
        m = LOG_TIME.match(line)
        if m and re.search(pattern, line):
            out.append(datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp())
    return out


def size(n):
    units = {"tick": unit_toml(TICK, log_file="default")}
    units.update({f"u{i:04d}": unit_toml(SLEEP, log_file="default") for i in range(n - 1)})
    rows = []
    with Scratch() as s:
        m = Manager(s, units).start()
        m.wait_running(n, timeout=180, pause=0.2)
        reader = Reader(m.console("tick"))
        clock = time.time_ns() - time.monotonic_ns()  # the reader's stamps as wall-clock time, like the log's
        try:
            wait_for("the tick unit's output", lambda: reader.snapshot()[0].count(b"seq ") > 50, 30)
            since = 0
            for run in range(RUNS):
                time.sleep(1)
                wall0 = time.time()
                t0 = time.monotonic_ns()
                p = subprocess.run([LAUNCHER, "--user", "daemon-reexec"], env=m.env, capture_output=True,
                                   text=True, timeout=180)
                cli = (time.monotonic_ns() - t0) / 1e6
                wall1 = time.time()
                if p.returncode != 0:
                    raise RuntimeError(f"daemon-reexec failed ({p.returncode}): {p.stdout}{p.stderr}\n"
                                       + m.output()[-3000:])
                if m.proc.poll() is not None:
                    raise RuntimeError("the manager exited:\n" + m.output()[-3000:])
                ev = wait_for("the re-exec line and child output after it on the console",
                              lambda: reexec_event(*reader.snapshot(), since, t0), 30, 0.02)
                start, end, gap, ours, versions, silence, t_mark = ev
                since = end
                rows.append({"gap": gap, "silence": silence, "manager": ours, "cli": cli, "wall0": wall0,
                             "wall1": wall1, "mark": (t_mark + clock) / 1e9, "versions": versions})
                log(f"{n} units, re-exec {run + 1}/{RUNS}: client gap {gap:.0f} ms, longest silence "
                    f"{silence:.0f} ms, manager {ours} ms, CLI {cli:.0f} ms ({p.stdout.strip().splitlines()[-1]})")
            time.sleep(0.5)
            buf, _ = reader.snapshot()
            problems, seqs = sequence_problems(buf)
            if reader.closed:
                problems.append("the console client was disconnected")
        finally:
            reader.close()
        out = m.output()
        phases = phase_times(out, rows)
        if len(log_times(out, r"manager re-executed .* consoles still")) != RUNS:
            problems.append("the manager log does not show every re-exec")
        m.stop()
    return rows, problems, seqs, phases


PHASES = {"requested": r"manager re-exec \(version .* requested by",
          "executing": r"re-executing .* keeping \d+ fds",
          "read": r"handed-over state of \d+ units read in",
          "logged": r"manager re-executed \(pid .* consoles still for"}


def phase_times(out, rows):
    """Per re-exec, ms: the CLI's start -> the audit line "requested" -> "re-executing" -> "handed-over state
    read" -> the @@@ line reaching the client -> "re-executed ... consoles still" logged -> the CLI's return;
    a phase whose line is missing is left out."""
    stamps = {k: log_times(out, v) for k, v in PHASES.items()}
    keeping = [int(k) for k in re.findall(r"re-executing .* keeping (\d+) fds", out)]
    reading = [int(k) for k in re.findall(r"handed-over state of \d+ units read in (\d+) ms", out)]
    phases = []
    for i, r in enumerate(rows):
        at = {"start": r["wall0"], "mark": r["mark"], "end": r["wall1"]}
        for k, times in stamps.items():  # the first such line logged while this command ran
            t = [x for x in times if r["wall0"] - 0.005 <= x <= r["wall1"] + 0.005]
            if t:
                at[k] = t[0]
        p = {"fds": keeping[i] if i < len(keeping) else None, "state_read": reading[i] if i < len(reading) else None}
        order = [k for k in ("start", "requested", "executing", "read", "mark", "logged", "end") if k in at]
        for a, b in zip(order, order[1:]):
            p[f"{a}-{b}"] = (at[b] - at[a]) * 1000
        phases.append(p)
    return phases


def spread(values, fmt="{:.0f}"):
    return f"{fmt.format(median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def main():
    # a manager whose event loop died still accepts on its control socket: let a request fail, not hang
    socket.setdefaulttimeout(60)
    results = {}
    for n in UNITS:
        results[n] = size(n)
        rows, problems, seqs, _ = results[n]
        log(f"{n} units: {len(seqs)} sequence numbers checked, " + ("; ".join(problems) or "no gap, no repeat"))
    print(f"Re-exec of a manager with N units, {RUNS} re-execs each; median (min–max), ms. Gap: the console "
          "client's last byte before the \"@@@ manager re-executed\" line to the child's first byte after it.\n")
    print("| units | console gap | longest silence | manager's figure (@@@ line) | `daemon-reexec` wall | sequence |")
    print("| --- | --- | --- | --- | --- | --- |")
    for n, (rows, problems, seqs, _) in results.items():
        seq = "; ".join(problems) if problems else f"no gap, no repeat ({len(seqs)} lines)"
        print(f"| {n} | {spread([r['gap'] for r in rows])} | {spread([r['silence'] for r in rows])} "
              f"| {spread([r['manager'] for r in rows])} | {spread([r['cli'] for r in rows])} | {seq} |")
    print("\nPhases (median (min–max), ms), from the manager's log (timestamps to the ms) and the client's clock:"
          " the CLI's start -> audit line \"re-exec ... requested\" (CLI JVM, ping, state file, preflight run of"
          " the new code) -> \"re-executing ... keeping K fds\" (marker, quiesce, final snapshot, state file) ->"
          " \"handed-over state of N units read\" (exec, the new JVM up to main, reading the state: its own figure"
          " in brackets) -> the @@@ line reaches the client (daemon set-up, adoption; consoles flow) -> \"manager"
          " re-executed ... consoles still\" logged (unit-file scan) -> the CLI's return (control socket bound,"
          " marker removed, the CLI's next ping).\n")
    cols = [("start-requested", "start → requested"), ("requested-executing", "requested → re-executing"),
            ("executing-read", "re-executing → state read"), ("read-mark", "state read → @@@ at client"),
            ("mark-logged", "@@@ → \"re-executed\" logged"), ("logged-end", "logged → CLI returns")]
    print("| units | fds kept | " + " | ".join(t for _, t in cols) + " |")
    print("| --- " * (len(cols) + 2) + "|")
    for n, (_, _, _, phases) in results.items():
        cells = []
        for k, _ in cols:
            v = [p[k] for p in phases if k in p]
            cell = spread(v) if v else "–"
            if k == "executing-read" and v:
                reads = [p["state_read"] for p in phases if p["state_read"] is not None]
                cell += f" [read {spread(reads)}]" if reads else ""
            cells.append(cell)
        fds = [p["fds"] for p in phases if p["fds"] is not None]
        print(f"| {n} | {int(median(fds)) if fds else '–'} | " + " | ".join(cells) + " |")
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
