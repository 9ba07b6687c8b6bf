#!/usr/bin/env bash
# Runs every benchmark in turn (about 40 minutes) and collects their tables in one markdown file:
# bench/all.sh [OUTPUT.md]. Run bin/build first; run on a quiet machine.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-/tmp/manage-procs-bench-$(date +%Y%m%d-%H%M%S).md}
{
  echo "# manage-procs benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, Linux $(uname -r)"
  for b in memory throughput latency idle startup restart reexec; do
    printf '\n## %s\n\n' "$b"
    python3 "$here/$b.py"
  done
  printf '\n## cli-startup\n\n'
  "$here/cli-startup.sh" 2>/dev/null | sed -n '/^|/p'
} | tee "$out"
echo "written to $out" >&2
