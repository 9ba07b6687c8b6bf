#!/usr/bin/env bash
# The .deb under a real systemd: boots Debian bookworm in a container (systemd-nspawn, systemd as its
# PID 1), installs the package there and drives the service as an administrator does: enable --now
# (Type=notify: active only once the autostart units run), reload (synchronous, no unit restarted),
# a killed manager restarted by systemd, a reinstall that re-executes the manager (upgrade = "reexec")
# and one that restarts it with its units ("restart-units"), the journal, stop (units
# gone, service inactive), a manager that cannot start ending failed, and the per-user unit of a
# lingering user. Nothing is installed on this machine: the container's root is an overlay on a
# cached minimal root file system whose changes vanish with the container, and the container and
# everything it started are torn down on exit, also on failure.
# The first run downloads about 45 MB with debootstrap (250 MB unpacked) into
# $MANAGE_PROCS_ROOTFS_CACHE (default /var/cache/manage-procs-test); later runs reuse it. Needs root,
# debootstrap and systemd-nspawn (apt-get install debootstrap systemd-container).
# Usage: packaging/test/systemd-roundtrip.sh target/manage-procs_VERSION_ARCH.deb
# Run by PackageRoundTripIT (bin/test) with CI=true or -Dmanageprocs.systemdTest=true.
set -euo pipefail
deb=$(readlink -f "$1")
src=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../..
. "$src/packaging/test/installed-checks.sh" # step, fail
. "$src/packaging/test/java-stub.sh"
. "$src/bin/lib/find-java.sh"

suite=bookworm
packages=systemd,systemd-sysv,dbus,libpam-systemd,procps # libpam-systemd: a lingering user's systemd
cache=${MANAGE_PROCS_ROOTFS_CACHE:-/var/cache/manage-procs-test}
rootfs=$cache/$suite-$(echo "$packages" | cksum | cut -d' ' -f1) # another package list, another tree
machine=mp-systemd-test-$$
user=mp-test-user
work=$(mktemp -d /tmp/mp-systemd-roundtrip.XXXXXX)
nspawn_pid=
as_user=() # how in_ct runs a command as the test user; none: as root
started=$SECONDS

[ "$(id -u)" = 0 ] || fail "run as root: it boots a container"
[ -r "$deb" ] || fail "no package at $1; build it with bin/build"
for tool in debootstrap systemd-nspawn nsenter; do
  command -v "$tool" >/dev/null || fail "$tool is missing; install it with 'apt-get install debootstrap systemd-container'"
done
mp_find_java 21 jre # the container gets this machine's Java, read-only

# systemd-nspawn goes into cgroups of its own (cgroup v2, plus the v1 name=systemd hierarchy when the
# machine is hybrid): its container's cgroups are created under them, and the teardown can kill
# whatever is left in them at once.
if [ -d /sys/fs/cgroup/unified ]; then cg_v2=/sys/fs/cgroup/unified; else cg_v2=/sys/fs/cgroup; fi
cgroups=("$cg_v2/$machine")
[ -e /sys/fs/cgroup/systemd/cgroup.procs ] && cgroups+=("/sys/fs/cgroup/systemd/$machine")

cleanup() {
  set +e
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    kill -TERM "$nspawn_pid" # systemd-nspawn asks the container's systemd to power off
    for _ in $(seq 300); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  [ -e "$cg_v2/$machine/cgroup.kill" ] && echo 1 > "$cg_v2/$machine/cgroup.kill" # a container that did not stop
  [ -n "$nspawn_pid" ] && wait "$nspawn_pid" 2>/dev/null
  local cg
  for cg in "${cgroups[@]}"; do
    [ -d "$cg" ] || continue
    for _ in $(seq 100); do # cgroups of killed processes can be removed only once they are gone
      find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null
      [ -d "$cg" ] || break
      sleep 0.1
    done
    [ -d "$cg" ] && echo "systemd-roundtrip: could not remove the cgroup $cg" >&2
  done
  rm -rf "/run/systemd/nspawn/propagate/$machine" "$work"
}
trap cleanup EXIT

# $1 = seconds, $2 = what should happen (for the failure), the rest: a command that succeeds once it has
wait_for() {
  local seconds=$1 what=$2 deadline=$((SECONDS + $1))
  shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what did not happen within $seconds s"
    sleep 0.1
  done
}

# a command in the container, as root, with a clean environment
in_ct() {
  nsenter --target "$leader" --all --root --wd \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
}
show() { in_ct systemctl show --value -p "$1" manage-procs; } # a property of the system service
pid_of() { in_ct cat "/run/manage-procs/$1/pid"; }             # the pid file of a running unit
journal() { in_ct journalctl -u manage-procs -o cat --no-pager; }
iocs() { # pids of the demo IOCs in the container: the manager makes each child a session leader
  in_ct ps -eo pid=,sid=,args= | awk '$1 == $2 && $3 == "/bin/bash" && $4 == "./ioc.sh" {print $1}'
}
status_is() { # $1 = unit, $2 = state, $3 = manage-procs's mode: the unit's row in `manage-procs status`
  local out
  out=$(in_ct "${as_user[@]}" manage-procs "--$3" status "$1" 2>&1) || true
  [[ $(awk -v u="$1" '$1 == u {print $2}' <<< "$out") == "$2" ]] || { echo "$out"; return 1; }
}
before_in_journal() { # $1 comes before $2 in the service's journal (both grep patterns, first match)
  local first second
  journal > "$work/journal"
  first=$(grep -n -m1 -e "$1" "$work/journal" | cut -d: -f1)
  second=$(grep -n -m1 -e "$2" "$work/journal" | cut -d: -f1)
  [ -n "$first" ] && [ -n "$second" ] && [ "$first" -lt "$second" ] ||
    { cat "$work/journal"; echo "the journal above lacks '$1', then '$2'"; return 1; }
}

step "root file system ($rootfs)"
if [ -x "$rootfs/lib/systemd/systemd" ]; then
  echo "cached"
else
  mkdir -p "$cache"
  exec 9> "$cache/.lock"
  flock 9 # another run may be making it
  if [ ! -x "$rootfs/lib/systemd/systemd" ]; then
    rm -rf "$rootfs.partial"
    t=$SECONDS
    debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs.partial" \
      "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" > "$work/debootstrap.log" 2>&1 ||
      { tail -20 "$work/debootstrap.log"; fail "debootstrap failed (log above)"; }
    mv "$rootfs.partial" "$rootfs"
    echo "made with debootstrap in $((SECONDS - t)) s"
  fi
  exec 9>&-
fi

step "boot"
t=$SECONDS
binds=(--bind-ro="$MP_JAVA_HOME:/usr/lib/jvm/host-java" --bind-ro="$deb:/root/manage-procs.deb")
# Debian's own JDKs link their configuration from /etc
[ -d "/etc/java-$MP_JAVA_MAJOR-openjdk" ] && binds+=(--bind-ro="/etc/java-$MP_JAVA_MAJOR-openjdk")
for cg in "${cgroups[@]}"; do mkdir "$cg"; done
(
  for cg in "${cgroups[@]}"; do echo "$BASHPID" > "$cg/cgroup.procs"; done
  # --volatile=overlay: changes go to a tmpfs over the cached tree; --keep-unit, --register=no: no
  # systemd needed on this machine; --private-network: the units' consoles cannot meet this machine's
  exec systemd-nspawn --directory="$rootfs" --volatile=overlay --machine="$machine" --keep-unit \
    --register=no --private-network --console=read-only "${binds[@]}" --boot
) < /dev/null > "$work/console.log" 2>&1 &
nspawn_pid=$!
container_init() {
  kill -0 "$nspawn_pid" 2>/dev/null || { cat "$work/console.log"; fail "systemd-nspawn exited (output above)"; }
  leader=$(pgrep -P "$nspawn_pid" -x systemd)
}
wait_for 30 "the container's systemd to start" container_init
booted() {
  local state
  state=$(in_ct systemctl is-system-running 2>/dev/null) || true
  case $state in
    running | degraded) return 0 ;;
    initializing | starting | offline | "") return 1 ;; # offline: its systemctl cannot reach it yet
    *) fail "the container's systemd is $state" ;;
  esac
}
wait_for 90 "booting the container" booted
echo "$(in_ct systemctl is-system-running || true) after $((SECONDS - t)) s"

step "dpkg -i"
# Depends: default-jre-headless (>= 2:1.21) | java21-runtime-headless; this machine's Java is bound in
java_stub_control | in_ct sh -c 'mkdir -p /root/stub/DEBIAN && cat > /root/stub/DEBIAN/control &&
  dpkg-deb --build /root/stub /root/stub.deb >/dev/null && dpkg -i /root/stub.deb >/dev/null'
in_ct dpkg -i /root/manage-procs.deb
[ "$(in_ct systemctl is-enabled manage-procs || true)" = disabled ] || fail "the installation enabled the service"
[ "$(in_ct systemctl is-active manage-procs || true)" = inactive ] || fail "the installation started the service"
echo "installed, neither enabled nor started"

step "systemctl enable --now: active only once the autostart units run (Type=notify)"
in_ct cp -r /usr/share/doc/manage-procs/examples/units/demo-ioc.toml \
  /usr/share/doc/manage-procs/examples/units/demo-ioc /etc/manage-procs/units/
in_ct timeout 60 systemctl enable --now manage-procs || { journal; fail "systemctl enable --now failed (journal above)"; }
# no waiting: systemctl start returns once the manager sent READY=1
[ "$(in_ct systemctl is-active manage-procs || true)" = active ] || fail "the service is not active after start"
status_is demo-ioc RUNNING system || fail "demo-ioc is not RUNNING when systemctl start returned"
before_in_journal "demo-ioc: STARTING -> RUNNING" "Started manage-procs.service" ||
  fail "systemd reported the service started before demo-ioc ran"
[ "$(show StatusText)" = "running; control socket /run/manage-procs/control.sock" ] ||
  fail "systemctl status shows the status text '$(show StatusText)'"
in_ct manage-procs status

step "systemctl reload: waits for the reload, restarts nothing"
main_pid=$(show MainPID) demo_pid=$(pid_of demo-ioc)
in_ct cp /etc/manage-procs/units/demo-ioc.toml /etc/manage-procs/units/demo-second.toml
in_ct timeout 60 systemctl reload manage-procs || { journal; fail "systemctl reload failed (journal above)"; }
# no waiting: the reload is done when systemctl returns
status_is demo-second RUNNING system ||
  fail "the unit added before the reload is not RUNNING when systemctl reload returned"
before_in_journal "reload by [^:]*: 1 added" "Reloaded manage-procs.service" ||
  fail "systemd reported the reload done before the manager had reloaded"
status_is demo-ioc RUNNING system || fail "demo-ioc is not RUNNING after the reload"
[ "$(pid_of demo-ioc)" = "$demo_pid" ] || fail "the reload restarted demo-ioc (pid $demo_pid, now $(pid_of demo-ioc))"
[ "$(show MainPID)" = "$main_pid" ] || fail "the reload restarted the manager"
[ "$(show SubState)" = running ] || fail "the service is $(show SubState) after the reload"
echo "demo-second added, demo-ioc still pid $demo_pid, manager still pid $main_pid"

step "systemctl reload with a broken unit file: the reload fails, the service runs on"
echo 'command = ' | in_ct tee /etc/manage-procs/units/broken.toml >/dev/null
! in_ct timeout 60 systemctl reload manage-procs 2>/dev/null ||
  fail "systemctl reload succeeded with a broken unit file"
[ "$(show SubState)" = running ] && [ "$(show MainPID)" = "$main_pid" ] ||
  fail "the failed reload changed the service: $(show SubState), pid $(show MainPID)"
journal | grep -F broken.toml || fail "the journal does not name the broken unit file"
in_ct rm /etc/manage-procs/units/broken.toml

step "SIGHUP by hand: RELOADING=1, then READY=1"
in_ct rm /etc/manage-procs/units/demo-second.toml
in_ct systemctl kill --kill-who=main -s HUP manage-procs
removed() { ! status_is demo-second RUNNING system >/dev/null; }
wait_for 20 "the reload on SIGHUP dropping demo-second" removed
back_to_running() { [ "$(show SubState)" = running ]; }
wait_for 20 "the service coming back from reloading (READY=1)" back_to_running
echo ok

step "a killed manager is restarted by systemd, its unit runs again"
main_pid=$(show MainPID) demo_pid=$(pid_of demo-ioc) restarts=$(show NRestarts)
in_ct systemctl kill --kill-who=main -s KILL manage-procs # the JVM crashed: only the manager dies
restarted() {
  [ "$(show NRestarts)" = $((restarts + 1)) ] && [ "$(in_ct systemctl is-active manage-procs)" = active ] &&
    status_is demo-ioc RUNNING system >/dev/null
}
wait_for 30 "the restart of the manager with demo-ioc running" restarted
[ "$(show MainPID)" != "$main_pid" ] || fail "the manager still has pid $main_pid"
! in_ct kill -0 "$demo_pid" 2>/dev/null || fail "demo-ioc of the killed manager (pid $demo_pid) is still running"
[ "$(iocs)" = "$(pid_of demo-ioc)" ] || fail "not exactly the one demo IOC runs: pids $(iocs)"
echo "manager pid $main_pid -> $(show MainPID), demo-ioc pid $demo_pid -> $(pid_of demo-ioc)"

step "dpkg -i again (as an upgrade does) under systemd: the manager re-executes as the same MainPID, its units run on"
main_pid=$(show MainPID) demo_pid=$(pid_of demo-ioc) restarts=$(show NRestarts)
in_ct dpkg -i /root/manage-procs.deb > "$work/reinstall.out" 2>&1 || { cat "$work/reinstall.out"; fail "the reinstall failed"; }
cat "$work/reinstall.out"
grep -q "^manager pid $main_pid runs version .* now; the re-exec took " "$work/reinstall.out" ||
  fail "the reinstall did not re-execute the manager (upgrade = \"reexec\", the default)"
[ "$(in_ct systemctl is-active manage-procs || true)" = active ] && [ "$(show MainPID)" = "$main_pid" ] &&
  [ "$(show NRestarts)" = "$restarts" ] ||
  fail "the re-exec restarted or stopped the service (pid $main_pid, now $(show MainPID), $(show NRestarts) restarts)"
[ "$(show SubState)" = running ] || fail "the service is $(show SubState) after the re-exec (READY=1 missing?)"
[ "$(pid_of demo-ioc)" = "$demo_pid" ] || fail "the re-exec restarted demo-ioc (pid $demo_pid, now $(pid_of demo-ioc))"
status_is demo-ioc RUNNING system || fail "demo-ioc is not RUNNING after the re-exec"
echo "manager pid $main_pid and demo-ioc pid $demo_pid unchanged"

step "dpkg -i again with upgrade = \"restart-units\": the service restarts, and its units with it"
in_ct cp /etc/manage-procs/manager.toml /root/manager.toml.saved
echo 'upgrade = "restart-units"' | in_ct tee -a /etc/manage-procs/manager.toml >/dev/null
in_ct dpkg -i /root/manage-procs.deb > "$work/reinstall.out" 2>&1 || { cat "$work/reinstall.out"; fail "the reinstall failed"; }
cat "$work/reinstall.out"
grep -q 'restarting the manager and every unit' "$work/reinstall.out" || fail "the reinstall did not say it restarts the service"
[ "$(in_ct systemctl is-active manage-procs || true)" = active ] && [ "$(show MainPID)" != "$main_pid" ] ||
  fail "the reinstall did not restart the service (pid $main_pid, now $(show MainPID))"
running_again() { status_is demo-ioc RUNNING system >/dev/null; }
wait_for 30 "demo-ioc running under the restarted manager" running_again
[ "$(pid_of demo-ioc)" != "$demo_pid" ] || fail "demo-ioc kept pid $demo_pid through the restart"
in_ct cp /root/manager.toml.saved /etc/manage-procs/manager.toml
echo "manager pid $main_pid -> $(show MainPID), demo-ioc pid $demo_pid -> $(pid_of demo-ioc)"

step "systemctl stop"
t=$SECONDS
in_ct timeout 100 systemctl stop manage-procs || { journal; fail "systemctl stop failed (journal above)"; }
[ "$(in_ct systemctl is-active manage-procs || true)" = inactive ] ||
  fail "the service is $(in_ct systemctl is-active manage-procs) after stop, not inactive"
[ "$(show Result)" = success ] || fail "the stop ended with result $(show Result)"
! in_ct pgrep -f ioc.sh >/dev/null || fail "a demo IOC outlived the stop: $(in_ct pgrep -af ioc.sh)"
! in_ct test -e /run/manage-procs/control.sock || fail "the control socket is left after the stop"
echo "stopped in $((SECONDS - t)) s, inactive, no unit left"

step "journalctl -u manage-procs"
journal > "$work/journal"
for line in 'manager started (pid' 'demo-ioc: STARTING -> RUNNING' 'reload requested by' 'reload by SIGHUP' \
  'stopping: stopping every unit' 'demo-ioc: STOPPING -> STOPPED' 'manager stopped'; do
  grep -qF "$line" "$work/journal" ||
    { cat "$work/journal"; fail "the journal lacks the manager's '$line' (journal above)"; }
done
echo "the manager's lines are there ($(wc -l < "$work/journal") lines)"

step "a manager that cannot start ends failed, not restarting for ever"
in_ct cp /etc/manage-procs/manager.toml /root/manager.toml
echo 'unit_dirs = = 1' | in_ct tee -a /etc/manage-procs/manager.toml >/dev/null
in_ct systemctl reset-failed manage-procs # the earlier starts would count towards the limit
! in_ct timeout 60 systemctl start manage-procs 2>/dev/null || fail "the manager started with a broken manager.toml"
gave_up() { # between restarts the service is briefly "failed" too
  journal | grep -q 'Start request repeated too quickly' && [ "$(show ActiveState)" = failed ]
}
wait_for 60 "systemd giving up on the broken manager.toml" gave_up
echo "failed: start request repeated too quickly"
in_ct cp /root/manager.toml /etc/manage-procs/manager.toml
in_ct systemctl reset-failed manage-procs
in_ct timeout 60 systemctl start manage-procs || { journal; fail "the fixed manager did not start (journal above)"; }
in_ct timeout 100 systemctl stop manage-procs
echo "started again once fixed and reset-failed"

step "systemctl --user for a lingering user"
in_ct useradd --create-home "$user"
uid=$(in_ct id -u "$user")
in_ct loginctl enable-linger "$user"
user_manager() { [ "$(in_ct systemctl is-active "user@$uid.service")" = active ]; }
wait_for 30 "the start of $user's systemd" user_manager
as_user=(runuser -u "$user" -- env HOME="/home/$user" XDG_RUNTIME_DIR="/run/user/$uid")
units=/home/$user/.config/manage-procs/units
in_ct "${as_user[@]}" mkdir -p "$units"
in_ct "${as_user[@]}" cp -r /usr/share/doc/manage-procs/examples/units/demo-ioc.toml \
  /usr/share/doc/manage-procs/examples/units/demo-ioc "$units/"
in_ct "${as_user[@]}" timeout 60 systemctl --user enable --now manage-procs ||
  { in_ct journalctl --no-pager -n 40; fail "systemctl --user enable --now failed (journal above)"; }
status_is demo-ioc RUNNING user || fail "$user's demo-ioc is not RUNNING when systemctl --user start returned"
in_ct "${as_user[@]}" cp "$units/demo-ioc.toml" "$units/demo-second.toml"
in_ct "${as_user[@]}" timeout 60 systemctl --user reload manage-procs || fail "systemctl --user reload failed"
status_is demo-second RUNNING user ||
  fail "$user's unit added before the reload is not RUNNING when systemctl --user reload returned"
in_ct "${as_user[@]}" timeout 100 systemctl --user stop manage-procs || fail "systemctl --user stop failed"
[ "$(in_ct "${as_user[@]}" systemctl --user is-active manage-procs || true)" = inactive ] ||
  fail "$user's service is not inactive after stop"
! in_ct pgrep -u "$user" -f ioc.sh >/dev/null || fail "$user's demo IOC outlived the stop"
in_ct journalctl _SYSTEMD_USER_UNIT=manage-procs.service -o cat --no-pager | grep -q 'manager started (pid' ||
  fail "the journal lacks the lines of $user's manager"
echo "started, reloaded and stopped as $user"

echo
echo "systemd-roundtrip: all passed in $((SECONDS - started)) s"
