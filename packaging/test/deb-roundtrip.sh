#!/usr/bin/env bash
# The .deb as an administrator meets it, on this machine, as root: lintian, install, the installed
# launcher, man pages, completion, systemd-analyze verify, the system manager with an example unit,
# access for the control group and refusal for others, logrotate with reopen-logs, stop, remove
# (only conffiles stay) and purge (nothing stays). It changes /usr, /etc, /var and /run and puts
# everything back: whatever it added (the package, a stand-in Java package, a test user, the group)
# is removed on exit, also on failure.
# Usage: packaging/test/deb-roundtrip.sh target/manage-procs_VERSION_ARCH.deb
# Run by PackageRoundTripIT (bin/test) when CI=true or -Dmanageprocs.packageTest=true.
set -euo pipefail
deb=$(readlink -f "$1")
pkg=manage-procs
op=mp-test-operator # a throwaway member of the control group
java_stub=manage-procs-test-java-runtime
work=$(mktemp -d /tmp/mp-deb-roundtrip.XXXXXX)
daemon_pid=

step() { printf '\n== %s\n' "$*"; }
fail() { echo "deb-roundtrip: FAILED: $*" >&2; exit 1; }
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

[ "$(id -u)" = 0 ] || fail "run as root: it installs the package"
[ -r "$deb" ] || fail "no package at $1; build it with bin/build"
if installed "$pkg" || dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'config-files'; then
  fail "$pkg is already installed here; this test would replace it, so it stops (dpkg -P $pkg first)"
fi
[ ! -e /run/manage-procs/control.sock ] || fail "a system manager runs here (/run/manage-procs/control.sock); stop it first"
had_group=no; getent group manage-procs >/dev/null && had_group=yes

cleanup() {
  set +e
  [ -n "$daemon_pid" ] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  rm -f /etc/manage-procs/units/demo-ioc.toml; rm -rf /etc/manage-procs/units/demo-ioc
  installed "$pkg" || dpkg-query -W "$pkg" >/dev/null 2>&1 && dpkg -P "$pkg" >/dev/null 2>&1
  dpkg-query -W "$java_stub" >/dev/null 2>&1 && dpkg -P "$java_stub" >/dev/null 2>&1
  getent passwd "$op" >/dev/null && userdel "$op"
  [ "$had_group" = no ] && getent group manage-procs >/dev/null && groupdel manage-procs
  rm -rf "$work"
}
trap cleanup EXIT

step "lintian"
if command -v lintian >/dev/null; then
  # root runs this; lintian only advises against it
  lintian --pedantic "$deb" 2>/dev/null > "$work/lintian.txt" || true
  if [ -s "$work/lintian.txt" ]; then cat "$work/lintian.txt"; else echo "no tags"; fi
  ! grep -q '^E:' "$work/lintian.txt" || fail "lintian reports errors"
else
  [ "${CI:-}" != true ] || fail "lintian is missing (apt-get install lintian)"
  echo "lintian not installed: skipped"
fi

step "Java runtime dependency"
# Depends: default-jre-headless (>= 2:1.21) | java21-runtime-headless. A JDK installed from a tarball
# (as on this build machine) satisfies the launcher but not dpkg; an administrator declares it with a
# local package that provides java21-runtime-headless (equivs does the same). This test does that.
java_installed() { # an installed package satisfies the Java alternative of Depends
  dpkg-query -W -f='${Status}\t${Package}\t${Version}\t${Provides}\n' 2>/dev/null | {
    while IFS=$'\t' read -r status name version provides; do
      [[ $status == *"ok installed"* ]] || continue
      [[ $provides == *java21-runtime-headless* ]] && exit 0
      [ "$name" = default-jre-headless ] && dpkg --compare-versions "$version" ge 2:1.21 && exit 0
    done
    exit 1
  }
}
if ! java_installed; then
  echo "no installed package provides java21-runtime-headless; installing the stand-in $java_stub"
  mkdir -p "$work/stub/DEBIAN"
  cat > "$work/stub/DEBIAN/control" <<EOF
Package: $java_stub
Version: 1
Architecture: all
Maintainer: manage-procs tests <root@localhost>
Provides: java21-runtime-headless
Description: stand-in for a Java >= 21 runtime installed outside dpkg (test only)
EOF
  dpkg-deb --build "$work/stub" "$work/stub.deb" >/dev/null
  dpkg -i "$work/stub.deb" >/dev/null
fi

step "dpkg -i"
dpkg -i "$deb"
dpkg-query -L "$pkg" > "$work/files"
dpkg-query -W -f='${Conffiles}\n' "$pkg" | awk 'NF {print $1}' > "$work/conffiles"
getent group manage-procs >/dev/null || fail "the manage-procs group was not created"
[ -d /run/manage-procs ] && [ -d /var/log/manage-procs ] || fail "runtime or log directory missing"

step "the installed launcher"
version=$(dpkg-deb -f "$deb" Version)
out=$(/usr/bin/manage-procs --version)
[ "$out" = "manage-procs $version" ] || fail "--version printed '$out', expected 'manage-procs $version'"
echo "$out"
[ -r /usr/share/manage-procs/manage-procs-client.aot ] || [ -r /usr/share/manage-procs/manage-procs-client.jsa ] || echo "note: no class-data archive was made (no Java found by postinst)"
err=$(XDG_RUNTIME_DIR="$work" /usr/bin/manage-procs --user status 2>&1 >/dev/null || true)
case $err in *"no manager is running"*) ;; *) fail "a client call printed unexpected output: $err" ;; esac

step "man pages"
for page in /usr/share/man/man1/manage-procs.1.gz /usr/share/man/man5/manage-procs.toml.5.gz; do
  warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
  [ -z "$warnings" ] || fail "man reports for $page: $warnings"
  MANWIDTH=80 man -l "$page" 2>/dev/null | grep -q 'manage-procs' || fail "$page renders empty"
done
echo ok

step "completion"
words=$(bash -c 'source /usr/share/bash-completion/completions/manage-procs
  COMP_WORDS=(manage-procs re); COMP_CWORD=1; _complete_manage-procs 2>/dev/null; echo "${COMPREPLY[*]}"')
for w in reload remove restart reopen-logs; do
  [[ " $words " == *" $w "* ]] || fail "bash completion of 're' lacks $w: $words"
done
echo "bash: $words"
if command -v zsh >/dev/null; then
  spec=$(zsh -f -c 'autoload -U compinit && compinit -u -D
    fpath=(/usr/share/zsh/vendor-completions $fpath); autoload -U _manage-procs
    source /usr/share/bash-completion/completions/manage-procs; print -r -- ${_comps[manage-procs]}')
  [[ $spec == *_complete_manage-procs* ]] || fail "zsh did not register the completion: $spec"
  echo "zsh: $spec"
else
  [ "${CI:-}" != true ] || fail "zsh is missing (apt-get install zsh)"
  echo "zsh not installed: skipped"
fi

step "systemd-analyze verify"
systemd-analyze verify /lib/systemd/system/manage-procs.service
mkdir -p "$work/xdg" && XDG_RUNTIME_DIR="$work/xdg" systemd-analyze --user verify /usr/lib/systemd/user/manage-procs.service
echo ok

step "the system manager with an example unit"
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

step "logrotate, then reopen-logs"
if command -v logrotate >/dev/null; then
  log=/var/log/manage-procs/demo-ioc.log
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
kill -TERM "$daemon_pid"
wait "$daemon_pid" || { cat "$work/daemon.log"; fail "the manager exited with $? on SIGTERM"; }
daemon_pid=
[ ! -e /run/manage-procs/control.sock ] || fail "the control socket is left after the stop"
rm -rf /etc/manage-procs/units/demo-ioc.toml /etc/manage-procs/units/demo-ioc

step "dpkg -r: only conffiles stay"
dpkg -r "$pkg"
left=()
while IFS= read -r f; do
  [ -d "$f" ] && continue # shared directories (/usr/bin) stay; ours are checked below
  grep -qxF "$f" "$work/conffiles" && continue
  [ -e "$f" ] && left+=("$f")
done < "$work/files"
[ -e /usr/share/manage-procs ] && left+=(/usr/share/manage-procs)
[ ${#left[@]} -eq 0 ] || fail "dpkg -r left: ${left[*]}"
while IFS= read -r f; do [ -e "$f" ] || fail "dpkg -r removed the conffile $f"; done < "$work/conffiles"
echo ok

step "dpkg -P: nothing stays"
dpkg -P "$pkg"
for f in /etc/manage-procs /etc/logrotate.d/manage-procs /var/log/manage-procs /run/manage-procs; do
  [ ! -e "$f" ] || fail "dpkg -P left $f"
done
! ls /var/lib/systemd/deb-systemd-helper-enabled/ 2>/dev/null | grep -q manage-procs || fail "deb-systemd-helper state left"
echo ok
echo
echo "deb-roundtrip: all passed"
