#!/usr/bin/env bash
# CLI start-up: `manage-procs --version`, and `manage-procs status` with 100 units beside
# `supervisorctl status` with 100 programs, both managers running on this machine in the same run.
# Needs: hyperfine, supervisor (apt-get install hyperfine supervisor), python3. Run bin/build first.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar=$root/target/manage-procs.jar
if ! [ "$root/target/manage-procs-client.aot" -nt "$jar" ] && ! [ "$root/target/manage-procs-client.jsa" -nt "$jar" ]; then
  echo "note: no class-data archive newer than $jar (a test run rebuilds the jar); run bin/build first, or these are the figures of a CLI without it" >&2
fi
units=${UNITS:-100}
runs=${RUNS:-30}
rounds=${ROUNDS:-5} # the runs are split into rounds that alternate the commands, so a neighbour's burst
                    # of load falls on all of them alike instead of on whichever ran at the time
work=$(mktemp -d /tmp/mp-bench.XXXXXX)
cleanup() {
  [ -n "${mp_pid:-}" ] && kill "$mp_pid" 2>/dev/null && wait "$mp_pid" 2>/dev/null || true
  [ -f "$work/sv/sv.pid" ] && kill "$(cat "$work/sv/sv.pid")" 2>/dev/null || true
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT

# manage-procs: a user-mode manager in a private XDG tree, units running `sleep`
export XDG_RUNTIME_DIR=$work/run XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
mkdir -p "$work/units" "$work/run"
for i in $(seq -w 1 "$units"); do
  printf '[process]\ncommand = ["sleep", "1000000"]\n[console]\nlisten = []\n' > "$work/units/u$i.toml"
done
"$root/bin/manage-procs" --user daemon --unit-dir "$work/units" > "$work/manager.log" 2>&1 &
mp_pid=$!

# supervisord with the same programs
mkdir -p "$work/sv"
{
  printf '[unix_http_server]\nfile=%s/sv.sock\n[supervisord]\nlogfile=%s/sv.log\npidfile=%s/sv.pid\n' "$work/sv" "$work/sv" "$work/sv"
  printf '[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n'
  printf '[supervisorctl]\nserverurl=unix://%s/sv.sock\n' "$work/sv"
  for i in $(seq -w 1 "$units"); do
    printf '[program:p%s]\ncommand=sleep 1000000\nstdout_logfile=NONE\nstderr_logfile=NONE\n' "$i"
  done
} > "$work/sv/sv.conf"
supervisord -c "$work/sv/sv.conf"

for _ in $(seq 1 100); do
  n=$("$root/bin/manage-procs" --user status 2>/dev/null | grep -c RUNNING || true)
  m=$(supervisorctl -c "$work/sv/sv.conf" status 2>/dev/null | grep -c RUNNING || true)
  [ "$n" -ge "$units" ] && [ "$m" -ge "$units" ] && break
  sleep 0.2
done
echo "manage-procs units running: $n, supervisord programs running: $m"

per=$(((runs + rounds - 1) / rounds))
for r in $(seq 1 "$rounds"); do
  hyperfine -N --warmup 3 --runs "$per" --export-json "$work/round$r.json" \
    "$root/bin/manage-procs --version" \
    "$root/bin/manage-procs --user status" \
    "supervisorctl -c $work/sv/sv.conf status" >/dev/null
done
python3 - "$work"/round*.json <<'PY'
import json, statistics, sys
times = {}
for f in sys.argv[1:]:
    for r in json.load(open(f))["results"]:
        times.setdefault(r["command"], []).extend(t * 1e3 for t in r["times"])
print("| Command | Median [ms] | Mean ± σ [ms] | Min … Max [ms] | Runs |\n|:---|---:|---:|---:|---:|")
for c, t in times.items():
    print("| `%s` | %.1f | %.1f ± %.1f | %.1f … %.1f | %d |"
          % (c, statistics.median(t), statistics.mean(t), statistics.stdev(t), min(t), max(t), len(t)))
status, sv = (statistics.median(t) for c, t in list(times.items())[1:])
print("| status / supervisorctl status, medians | %.2f | | | |" % (status / sv))
PY
