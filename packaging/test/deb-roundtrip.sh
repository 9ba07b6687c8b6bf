#!/usr/bin/env bash
# The .deb as an administrator meets it, on this machine, as root: lintian, install, then the checks
# of installed-checks.sh (launcher, man pages, completion, systemd-analyze verify, the system manager
# with an example unit, access for the control group and refusal for others, reinstalls, logrotate
# with reopen-logs, stop), an upgrade to a newer version while the manager runs (a live re-exec: the
# same manager and IOC pids, the new version answering), remove (only conffiles stay) and purge
# (nothing stays). It changes /usr, /etc,
# /var and /run and puts everything back: whatever it added (the package, a stand-in Java package, a
# test user, the group) is removed on exit, also on failure.
# Usage: packaging/test/deb-roundtrip.sh target/manage-procs_VERSION_ARCH.deb
# Run by PackageRoundTripIT (bin/test) when CI=true or -Dmanageprocs.packageTest=true.
set -euo pipefail
deb=$(readlink -f "$1")
pkg=manage-procs
work=$(mktemp -d /tmp/mp-deb-roundtrip.XXXXXX)
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/installed-checks.sh"
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/java-stub.sh"
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../../bin/lib/find-java.sh"
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

[ "$(id -u)" = 0 ] || fail "run as root: it installs the package"
[ -r "$deb" ] || fail "no package at $1; build it with bin/build"
if installed "$pkg" || dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'config-files'; then
  fail "$pkg is already installed here; this test would replace it, so it stops (dpkg -P $pkg first)"
fi
check_not_installed "dpkg -P $pkg"

cleanup() {
  set +e
  cleanup_installed_checks
  installed "$pkg" || dpkg-query -W "$pkg" >/dev/null 2>&1 && dpkg -P "$pkg" >/dev/null 2>&1
  dpkg-query -W "$java_stub" >/dev/null 2>&1 && dpkg -P "$java_stub" >/dev/null 2>&1
  remove_test_group
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
  java_stub_control > "$work/stub/DEBIAN/control"
  dpkg-deb --build "$work/stub" "$work/stub.deb" >/dev/null
  dpkg -i "$work/stub.deb" >/dev/null
fi

step "dpkg -i"
dpkg -i "$deb"
dpkg-query -L "$pkg" > "$work/files"
dpkg-query -W -f='${Conffiles}\n' "$pkg" | awk 'NF {print $1}' > "$work/conffiles"

reinstall=(dpkg -i "$deb")
version=$(dpkg-deb -f "$deb" Version)
check_installed "$version" /lib/systemd/system/manage-procs.service /usr/share/zsh/vendor-completions

# $1 = version, $2 = output: this .deb as version $1, whose jar says $1 (what the manager reports)
make_next_deb() {
  local tree=$work/next jar=usr/share/manage-procs/manage-procs.jar
  rm -rf "$tree" "$work/props"
  dpkg-deb -R "$deb" "$tree"
  sed -i "s/^Version: .*/Version: $1/" "$tree/DEBIAN/control"
  mkdir -p "$work/props/dev/manageprocs"
  printf 'version=%s\n' "$1" > "$work/props/dev/manageprocs/version.properties"
  "$MP_JAVA_HOME/bin/jar" uf "$tree/$jar" -C "$work/props" dev/manageprocs/version.properties
  sed -i "\| $jar\$|d" "$tree/DEBIAN/md5sums"
  (cd "$tree" && md5sum "$jar" >> DEBIAN/md5sums)
  dpkg-deb --build --root-owner-group "$tree" "$2" >/dev/null
}

step "an upgrade to a newer version while the manager runs: the new code takes over, nothing restarts"
mp_find_java 21 jdk # its jar tool makes the newer version
next=$version+upgradetest
make_next_deb "$next" "$work/next.deb"
start_system_manager
demo_pid=$(cat /run/manage-procs/demo-ioc/pid)
check_ping "$daemon_pid" "$version" 0
dpkg -i "$work/next.deb" > "$work/upgrade.out" 2>&1 || { cat "$work/upgrade.out"; fail "the upgrade failed"; }
cat "$work/upgrade.out"
grep -q "^manager pid $daemon_pid runs version $next now; the re-exec took " "$work/upgrade.out" ||
  fail "the upgrade did not re-execute the manager into version $next"
kill -0 "$daemon_pid" 2>/dev/null || fail "the upgrade stopped the manager"
[ "$(cat /run/manage-procs/demo-ioc/pid 2>&1)" = "$demo_pid" ] || fail "the upgrade restarted demo-ioc (pid $demo_pid)"
check_ping "$daemon_pid" "$next" 1
[ "$(/usr/bin/manage-procs --version)" = "manage-procs $next" ] || fail "the installed client is not version $next"
/usr/bin/manage-procs --system status demo-ioc || fail "the upgraded manager does not show demo-ioc"
stop_system_manager
echo "manager pid and demo-ioc pid $demo_pid kept from $version to $next"

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
