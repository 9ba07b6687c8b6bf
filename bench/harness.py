"""Shared parts of the benchmark scripts: a scratch directory that cleans up after itself, and the
three servers measured side by side (a manage-procs manager, procServ instances, a supervisord).

Everything listens on unix sockets or loopback only. Every process a script starts is killed when
the script ends, also on an error or ^C: the servers first get SIGTERM (each stops its children),
then whatever is left of them and of their descendants gets SIGKILL, process group by process group.
"""
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(ROOT, "bin", "manage-procs")


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def children_of(pid):
    """Direct children of every thread of pid (the JVM spawns from its event-loop thread)."""
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return kids


def descendants(pid):
    out, todo = [], [pid]
    while todo:
        for kid in children_of(todo.pop()):
            out.append(kid)
            todo.append(kid)
    return out


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def pss_kb(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    raise RuntimeError(f"no Pss for {pid}")


def cpu_ticks(pid):
    """utime + stime of pid in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


TICKS = os.sysconf("SC_CLK_TCK")


def wait_for(what, predicate, timeout, pause=0.05):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(pause)


def median(values):
    return statistics.median(values)


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


class Scratch:
    """A temporary directory and the processes started in it; `with Scratch() as s:` cleans both."""

    def __init__(self, keep=False):
        self.dir = tempfile.mkdtemp(prefix="mp-bench.")
        # runtime files (sockets, pid and info files) on a tmpfs, as /run and /run/user/UID are on
        # a real host; logs stay on disk. RUNTIME=disk puts them in TMPDIR instead (check with df).
        on_disk = os.environ.get("RUNTIME") == "disk"
        shm = "/dev/shm" if os.path.isdir("/dev/shm") and not on_disk else None
        self.run = tempfile.mkdtemp(prefix="mp-bench-run.", dir=shm)
        self.keep = keep or os.environ.get("KEEP") == "1"
        self.procs = []
        self.extra_pids = []

    def __enter__(self):
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        return self

    def __exit__(self, *exc):
        self.cleanup()
        return False

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def run_path(self, *parts):
        """A path on the tmpfs for runtime files."""
        return os.path.join(self.run, *parts)

    def popen(self, argv, **kw):
        kw.setdefault("stdin", subprocess.DEVNULL)
        p = subprocess.Popen(argv, **kw)
        self.procs.append(p)
        return p

    def stop(self, pids, grace=10.0):
        """SIGTERM to pids, then SIGKILL to anything left of them and their descendants."""
        pids = [p for p in pids if alive(p)]
        tree = set()
        for p in pids:
            tree.update(descendants(p))
        for p in pids:
            try:
                os.kill(p, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(alive(p) for p in pids):
            for proc in self.procs:
                proc.poll()
            time.sleep(0.05)
        for p in list(tree) + pids:
            if alive(p):
                try:
                    os.killpg(os.getpgid(p), signal.SIGKILL)
                except OSError:
                    pass
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
        for proc in self.procs:
            proc.poll()

    def cleanup(self):
        self.stop([p.pid for p in self.procs if p.poll() is None] + self.extra_pids)
        for p in self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)
            shutil.rmtree(self.run, ignore_errors=True)
        else:
            log(f"kept {self.dir}")


# ---- manage-procs ----------------------------------------------------------------------------


def _ns(b):
    return str(len(b)).encode() + b":" + b + b","


def _read_ns(data, pos):
    colon = data.index(b":", pos)
    n = int(data[pos:colon])
    return data[colon + 1:colon + 1 + n], colon + 2 + n


def unit_toml(command, holdoff="15s", listen=('unix:default',), log_file="", autostart=True, history=None):
    argv = ", ".join(json.dumps(a) for a in command)
    text = f"[process]\ncommand = [{argv}]\nstop_timeout = \"5s\"\n"
    text += f"[restart]\nholdoff = \"{holdoff}\"\nautostart = {str(autostart).lower()}\n"
    text += "[console]\nlisten = [" + ", ".join(json.dumps(e) for e in listen) + "]\n"
    if history is not None:
        text += f"history = {json.dumps(history)}\n"
    text += f"[log]\nfile = {json.dumps(log_file)}\n"
    return text


class Manager:
    """A user-mode manager (the real launcher) in a private XDG tree under the scratch dir."""

    def __init__(self, scratch, units, java_opts=None, name="mp"):
        self.scratch = scratch
        self.home = scratch.path(name)
        self.unit_dir = os.path.join(self.home, "config", "manage-procs", "units")
        self.runtime = scratch.run_path(name)
        self.run_dir = os.path.join(self.runtime, "manage-procs")
        self.log_dir = os.path.join(self.home, "state", "manage-procs", "log")
        os.makedirs(self.unit_dir)
        os.makedirs(self.runtime, mode=0o700)
        for unit, text in units.items():
            with open(os.path.join(self.unit_dir, unit + ".toml"), "w") as f:
                f.write(text)
        self.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.home, "config"),
                        XDG_STATE_HOME=os.path.join(self.home, "state"),
                        XDG_RUNTIME_DIR=self.runtime)
        if java_opts is not None:
            self.env["MANAGE_PROCS_JAVA_OPTS"] = java_opts
        self.proc = None
        self.started = None

    def start(self):
        self.started = time.monotonic()
        out = open(os.path.join(self.home, "manager.out"), "wb")
        self.proc = self.scratch.popen([LAUNCHER, "--user", "daemon"], env=self.env, stdout=out,
                                       stderr=subprocess.STDOUT)
        wait_for("the manager's control socket", lambda: os.path.exists(self.socket()) or self.proc.poll() is not None,
                 60, 0.01)
        if self.proc.poll() is not None:
            raise RuntimeError("the manager exited at start:\n" + self.output())
        return self

    @property
    def pid(self):
        return self.proc.pid

    def socket(self):
        return os.path.join(self.run_dir, "control.sock")

    def output(self):
        with open(os.path.join(self.home, "manager.out"), errors="replace") as f:
            return f.read()

    def request(self, verb, args=(), options=None):
        """One control request over the socket (docs/control-protocol.md); (exit, stdout, stderr)."""
        options = options or {}
        body = _ns(b"1") + _ns(verb.encode()) + _ns(str(len(args)).encode())
        body += b"".join(_ns(a.encode()) for a in args)
        body += _ns(str(len(options)).encode())
        body += b"".join(_ns(k.encode()) + _ns(v.encode()) for k, v in options.items())
        body += _ns(b"0")
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            for attempt in range(100):  # the socket file exists a moment before it listens
                try:
                    s.connect(self.socket())
                    break
                except ConnectionRefusedError:
                    if attempt == 99:
                        raise
                    time.sleep(0.01)
            s.sendall(_ns(body))
            s.shutdown(socket.SHUT_WR)
            data = b""
            while chunk := s.recv(1 << 16):
                data += chunk
        payload, _ = _read_ns(data, 0)
        fields, pos = [], 0
        while pos < len(payload):
            f, pos = _read_ns(payload, pos)
            fields.append(f)
        return int(fields[1]), fields[2].decode(), fields[3].decode()

    def status(self):
        code, out, err = self.request("status", options={"json": "true"})
        if code not in (0, 3):
            raise RuntimeError(f"status failed ({code}): {err}")
        return json.loads(out)

    def running(self):
        return sum(1 for u in self.status() if u["state"] == "RUNNING")

    def wait_running(self, n, timeout=120, pause=0.1):
        return wait_for(f"{n} units RUNNING", lambda: self.running() >= n, timeout, pause)

    def console(self, unit):
        return os.path.join(self.run_dir, unit, "control")

    def pid_file(self, unit):
        return os.path.join(self.run_dir, unit, "pid")

    def stop(self):
        self.scratch.stop([self.pid], grace=30)


# ---- procServ --------------------------------------------------------------------------------


class ProcServ:
    """One procServ 2.7.0 in the foreground (it stays our child), console on a unix socket."""

    def __init__(self, scratch, name, command, holdoff=None, extra=()):
        self.dir = scratch.run_path("ps", name)
        os.makedirs(self.dir)
        self.sock = os.path.join(self.dir, "control")
        argv = ["procServ", "-f", "-q", "-n", name, "-I", os.path.join(self.dir, "info"), "-P", "unix:" + self.sock]
        if holdoff is not None:
            argv += ["--holdoff", str(holdoff)]
        argv += list(extra) + list(command)
        self.proc = scratch.popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.dir)

    @property
    def pid(self):
        return self.proc.pid

    def child(self):
        kids = children_of(self.pid)
        return kids[0] if kids else None

    def ready(self):
        return os.path.exists(self.sock) and self.child() is not None


# ---- supervisord -----------------------------------------------------------------------------


class Supervisord:
    """supervisord 4.2.5 with the given programs (name -> command line), in the foreground."""

    def __init__(self, scratch, programs, extra="startsecs=0\n"):
        self.dir = scratch.run_path("sv")
        os.makedirs(self.dir)
        self.conf = os.path.join(self.dir, "sv.conf")
        with open(self.conf, "w") as f:
            f.write(f"[unix_http_server]\nfile={self.dir}/sv.sock\n"
                    f"[supervisord]\nlogfile={self.dir}/sv.log\npidfile={self.dir}/sv.pid\nnodaemon=true\n"
                    "[rpcinterface:supervisor]\n"
                    "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n"
                    f"[supervisorctl]\nserverurl=unix://{self.dir}/sv.sock\n")
            for name, command in programs.items():
                f.write(f"[program:{name}]\ncommand={command}\nstdout_logfile=NONE\nstderr_logfile=NONE\n{extra}")
        self.scratch = scratch
        self.proc = None
        self.started = None

    def start(self):
        self.started = time.monotonic()
        self.proc = self.scratch.popen(["supervisord", "-c", self.conf], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
        return self

    @property
    def pid(self):
        return self.proc.pid

    def running(self):
        r = subprocess.run(["supervisorctl", "-c", self.conf, "status"], capture_output=True, text=True)
        return sum(1 for line in r.stdout.splitlines() if " RUNNING " in line)


def fmt_ratio(ours, theirs):
    return f"{ours / theirs:.2f}" if theirs else "n/a"
