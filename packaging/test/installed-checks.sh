# Sourced by deb-roundtrip.sh and rpm-roundtrip.sh: the checks of an installed manage-procs that do
# not depend on how it was installed, as an administrator meets it, as root. The caller sets `work`
# (a scratch directory) and `reinstall` (the command that installs the package again over itself, as
# an upgrade does) and calls cleanup_installed_checks, then remove_test_group, from its EXIT trap.
op=mp-test-operator # a throwaway member of the control group
daemon_pid=
had_group=no; getent group manage-procs >/dev/null && had_group=yes

step() { printf '\n== %s\n' "$*"; }
fail() { echo "${0##*/}: FAILED: $*" >&2; exit 1; }

cleanup_installed_checks() { # undoes check_system_manager, also when it failed half-way
  [ -n "$daemon_pid" ] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  [ -e "$work/manager.toml.saved" ] && cp "$work/manager.toml.saved" /etc/manage-procs/manager.toml
  rm -f /etc/manage-procs/units/demo-ioc.toml; rm -rf /etc/manage-procs/units/demo-ioc
  getent passwd "$op" >/dev/null && userdel "$op"
  return 0
}

remove_test_group() { # last, once the package is gone: the group stays on removal by design
  [ "$had_group" = no ] && getent group manage-procs >/dev/null && groupdel manage-procs
  return 0
}

check_not_installed() { # $1 = how to remove an earlier installation
  [ ! -e /usr/bin/manage-procs ] || fail "/usr/bin/manage-procs exists: manage-procs is already installed here; this test would replace it, so it stops ($1 first)"
  [ ! -e /run/manage-procs/control.sock ] || fail "a system manager runs here (/run/manage-procs/control.sock); stop it first"
}

# The system manager's answer to ping, "manage-procs manager pid N version V generation G" (the
# generation counts its live re-execs), sent as the control protocol's netstring by socat.
manager_ping() {
  printf '23:1:1,4:ping,1:0,1:0,1:0,,' | socat -t 5 - UNIX-CONNECT:/run/manage-procs/control.sock |
    grep -ao 'manage-procs manager pid [0-9]* version [^ ]* generation [0-9]*'
}

# $1 = pid, $2 = version, $3 = generation: the running system manager answers ping with them
check_ping() {
  if command -v socat >/dev/null; then
    local got
    got=$(manager_ping) || fail "the manager does not answer ping"
    [ "$got" = "manage-procs manager pid $1 version $2 generation $3" ] ||
      fail "ping answered '$got', expected pid $1, version $2, generation $3"
    echo "$got"
  else
    [ "${CI:-}" != true ] || fail "socat is missing (apt-get install socat)"
    echo "socat not installed: ping not checked"
  fi
}

check_installed_tree() {
  getent group manage-procs >/dev/null || fail "the manage-procs group was not created"
  [ -d /run/manage-procs ] && [ -d /var/log/manage-procs ] || fail "runtime or log directory missing"
  [ "$(stat -c '%a %G' /var/log/manage-procs)" = "750 manage-procs" ] || fail "log directory mode/group: $(stat -c '%a %G' /var/log/manage-procs)"
}

check_launcher() { # $1 = the package's version
  step "the installed launcher"
  local out err
  out=$(/usr/bin/manage-procs --version)
  [ "$out" = "manage-procs $1" ] || fail "--version printed '$out', expected 'manage-procs $1'"
  echo "$out"
  [ -s /usr/share/manage-procs/manage-procs-client.aot ] || [ -s /usr/share/manage-procs/manage-procs-client.jsa ] || echo "note: no class-data archive was made (no Java found by the package's scripts)"
  err=$(XDG_RUNTIME_DIR="$work" /usr/bin/manage-procs --user status 2>&1 >/dev/null || true)
  case $err in *"no manager is running"*) ;; *) fail "a client call printed unexpected output: $err" ;; esac
}

check_man_pages() {
  step "man pages"
  local page warnings
  for page in /usr/share/man/man1/manage-procs.1.gz /usr/share/man/man5/manage-procs.toml.5.gz; do
    warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "man reports for $page: $warnings"
    MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q 'manage-procs' || fail "$page renders empty"
  done
  echo ok
}

check_completion() { # $1 = the directory zsh's completion functions are installed in
  step "completion"
  local words w spec
  words=$(bash -c 'source /usr/share/bash-completion/completions/manage-procs
    COMP_WORDS=(manage-procs re); COMP_CWORD=1; _complete_manage-procs 2>/dev/null; echo "${COMPREPLY[*]}"')
  for w in reload remove restart reopen-logs; do
    [[ " $words " == *" $w "* ]] || fail "bash completion of 're' lacks $w: $words"
  done
  echo "bash: $words"
  if command -v zsh >/dev/null; then
    spec=$(zsh -f -c "autoload -U compinit && compinit -u -D
      fpath=($1 \$fpath); autoload -U _manage-procs
      source /usr/share/bash-completion/completions/manage-procs; print -r -- \${_comps[manage-procs]}")
    [[ $spec == *_complete_manage-procs* ]] || fail "zsh did not register the completion from $1: $spec"
    echo "zsh: $spec"
  else
    [ "${CI:-}" != true ] || fail "zsh is missing (apt-get install zsh)"
    echo "zsh not installed: skipped"
  fi
}

check_systemd_units() { # $1 = the installed system unit file
  step "systemd-analyze verify"
  systemd-analyze verify "$1"
  mkdir -p "$work/xdg" && XDG_RUNTIME_DIR="$work/xdg" systemd-analyze --user verify /usr/lib/systemd/user/manage-procs.service
  echo ok
}

# The installed system manager in the background (as root, outside systemd) with the packaged example
# unit, once demo-ioc runs; its pid in daemon_pid.
start_system_manager() {
  cp -r /usr/share/doc/manage-procs/examples/units/demo-ioc.toml /usr/share/doc/manage-procs/examples/units/demo-ioc \
    /etc/manage-procs/units/
  setsid /usr/bin/manage-procs --system daemon > "$work/daemon.log" 2>&1 < /dev/null &
  daemon_pid=$!
  for _ in $(seq 300); do
    /usr/bin/manage-procs --system status demo-ioc >/dev/null 2>&1 && break
    kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/daemon.log"; fail "the manager exited"; }
    sleep 0.1
  done
  /usr/bin/manage-procs --system status demo-ioc || { cat "$work/daemon.log"; fail "demo-ioc is not running"; }
}

# SIGTERM (what systemctl stop sends): the manager exits 0 and leaves no control socket.
stop_system_manager() {
  kill -TERM "$daemon_pid"
  local rc=0
  wait "$daemon_pid" || rc=$?
  [ "$rc" = 0 ] || { cat "$work/daemon.log"; fail "the manager exited with $rc on SIGTERM"; }
  daemon_pid=
  [ ! -e /run/manage-procs/control.sock ] || fail "the control socket is left after the stop"
  rm -rf /etc/manage-procs/units/demo-ioc.toml /etc/manage-procs/units/demo-ioc
}

# The installed system manager with the packaged example unit: status for a control group member,
# refusal for nobody, reinstalls that re-execute it (and, with upgrade = "none", leave it), logrotate
# with reopen-logs, then SIGTERM (what systemctl stop sends).
check_system_manager() { # $1 = the package's version (what the manager reports)
  step "the system manager with an example unit"
  start_system_manager
  [ "$(stat -c '%a %G' /run/manage-procs/control.sock)" = "660 manage-procs" ] || fail "control socket mode/group: $(stat -c '%a %G' /run/manage-procs/control.sock)"

  step "control group member may, nobody may not"
  useradd --system --no-create-home --shell /usr/sbin/nologin -G manage-procs "$op"
  runuser -u "$op" -- /usr/bin/manage-procs --system status > "$work/op.out" 2>&1 || { cat "$work/op.out"; fail "a control group member was refused"; }
  grep -q '^demo-ioc ' "$work/op.out" || fail "status of a group member lacks demo-ioc: $(cat "$work/op.out")"
  cat "$work/op.out"
  if runuser -u nobody -- /usr/bin/manage-procs --system status > "$work/nobody.out" 2>&1; then
    fail "nobody was allowed: $(cat "$work/nobody.out")"
  fi
  grep -qi 'permission denied' "$work/nobody.out" || fail "nobody's refusal does not say why: $(cat "$work/nobody.out")"
  cat "$work/nobody.out"

  step "reinstalling the package (as an upgrade does) while the manager runs: it re-executes, nothing restarts"
  local demo_pid
  demo_pid=$(cat /run/manage-procs/demo-ioc/pid)
  "${reinstall[@]}" > "$work/reinstall.out" 2>&1 || { cat "$work/reinstall.out"; fail "the reinstall failed"; }
  cat "$work/reinstall.out"
  grep -q "^manager pid $daemon_pid runs version $1 now; the re-exec took " "$work/reinstall.out" ||
    fail "the reinstall did not re-execute the manager (upgrade = \"reexec\", the default)"
  kill -0 "$daemon_pid" 2>/dev/null || fail "the re-exec stopped the manager"
  [ "$(cat /run/manage-procs/demo-ioc/pid 2>&1)" = "$demo_pid" ] ||
    fail "the re-exec restarted demo-ioc or removed its pid file (pid $demo_pid)"
  /usr/bin/manage-procs --system status demo-ioc >/dev/null || fail "the manager does not answer after the re-exec"
  check_ping "$daemon_pid" "$1" 1
  echo "manager pid $daemon_pid and demo-ioc pid $demo_pid unchanged"

  step "reinstalling with upgrade = \"none\": the old code keeps running, and the reinstall says so"
  cp /etc/manage-procs/manager.toml "$work/manager.toml.saved"
  echo 'upgrade = "none"' >> /etc/manage-procs/manager.toml
  [ "$(/usr/bin/manage-procs --system config upgrade)" = none ] || fail "manage-procs config does not show upgrade = \"none\""
  "${reinstall[@]}" > "$work/reinstall.out" 2>&1 || { cat "$work/reinstall.out"; fail "the reinstall failed"; }
  cat "$work/reinstall.out"
  grep -q 'keeps running the old code until its next restart (upgrade = "none"' "$work/reinstall.out" ||
    fail "the reinstall did not tell that the running manager keeps its old code"
  [ "$(cat /run/manage-procs/demo-ioc/pid 2>&1)" = "$demo_pid" ] || fail "the reinstall restarted demo-ioc (pid $demo_pid)"
  check_ping "$daemon_pid" "$1" 1
  cp "$work/manager.toml.saved" /etc/manage-procs/manager.toml && rm "$work/manager.toml.saved"

  step "logrotate, then reopen-logs"
  if command -v logrotate >/dev/null; then
    local log=/var/log/manage-procs/demo-ioc.log
    [ -s "$log" ] || fail "$log is empty"
    logrotate --force --state "$work/logrotate.state" /etc/logrotate.d/manage-procs
    ls /var/log/manage-procs/
    ls /var/log/manage-procs/demo-ioc.log-* >/dev/null 2>&1 || fail "logrotate did not rotate $log"
    [ -e "$log" ] || fail "reopen-logs did not start a fresh $log"
    grep -q 'reopened, requested by' "$work/daemon.log" || fail "the manager did not log the reopen"
  else
    [ "${CI:-}" != true ] || fail "logrotate is missing (apt-get install logrotate)"
    echo "logrotate not installed: skipped"
  fi

  step "stop"
  stop_system_manager
}

check_installed() { # $1 = version, $2 = system unit file, $3 = zsh completion directory
  check_installed_tree
  check_launcher "$1"
  check_man_pages
  check_completion "$3"
  check_systemd_units "$2"
  check_system_manager "$1"
}
