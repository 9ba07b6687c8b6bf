#!/usr/bin/env bash
# The .rpm on this (Debian) machine, as root: rpmlint, what the package declares, install with
# Debian's rpm, the checks of installed-checks.sh (launcher, man pages, completion, systemd-analyze
# verify, the system manager with an example unit, access for the control group and refusal for
# others, logrotate with reopen-logs, stop), then erase: nothing of the package stays but the console
# logs and an edited config file saved as .rpmsave. Everything it added is removed on exit, also on
# failure.
# Debian's rpm has its own empty database, so nothing the package requires (a shell, a Java runtime,
# shadow-utils) is known to it: the install uses --nodeps, and this test checks the requirements as
# declared instead. --force-debian acknowledges that rpm, not dpkg, installs here.
# Usage: packaging/test/rpm-roundtrip.sh target/manage-procs-VERSION-1.ARCH.rpm
# Run by PackageRoundTripIT (bin/test) when CI=true or -Dmanageprocs.packageTest=true.
set -euo pipefail
rpmfile=$(readlink -f "$1")
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
pkg=manage-procs
work=$(mktemp -d /tmp/mp-rpm-roundtrip.XXXXXX)
. "$here/installed-checks.sh"
rpm_() { rpm --force-debian "$@" 2> >(grep -v -e 'use Alien instead' -e 'assuming you know what you are doing' >&2); }

[ "$(id -u)" = 0 ] || fail "run as root: it installs the package"
[ -r "$rpmfile" ] || fail "no package at $1; build it with bin/build (after 'apt-get install rpm')"
! rpm -q "$pkg" >/dev/null 2>&1 || fail "$pkg is already installed with rpm here; this test would replace it, so it stops (rpm -e $pkg first)"
check_not_installed "dpkg -P $pkg"

cleanup() {
  set +e
  cleanup_installed_checks
  rpm -q "$pkg" >/dev/null 2>&1 && rpm_ -e --nodeps "$pkg"
  rm -f /etc/manage-procs/manager.toml.rpmsave /etc/logrotate.d/manage-procs.rpmsave
  rmdir /etc/manage-procs/units /etc/manage-procs 2>/dev/null
  rm -rf /var/log/manage-procs /run/manage-procs
  remove_test_group
  rm -rf "$work"
}
trap cleanup EXIT

step "rpmlint"
if command -v rpmlint >/dev/null; then
  # deliberate findings are filtered, each with its reason, in packaging/rpm/manage-procs.rpmlintrc
  rpmlint -r "$here/../rpm/manage-procs.rpmlintrc" "$rpmfile" > "$work/rpmlint.txt" 2>&1 || true
  grep -E ': [EW]: |checked' "$work/rpmlint.txt" || cat "$work/rpmlint.txt"
  ! grep -q ': E: ' "$work/rpmlint.txt" || fail "rpmlint reports errors"
  grep -q ' 0 errors' "$work/rpmlint.txt" || fail "rpmlint did not run: $(cat "$work/rpmlint.txt")"
else
  [ "${CI:-}" != true ] || fail "rpmlint is missing (apt-get install rpmlint)"
  echo "rpmlint not installed: skipped"
fi

step "what the package declares"
requires=$(rpm -qp --requires "$rpmfile" 2>/dev/null)
grep -qx 'jre-headless >= 1:21' <<<"$requires" || fail "no Java >= 21 among the requirements: $requires"
config=$(rpm -qp --configfiles "$rpmfile" 2>/dev/null | sort | tr '\n' ' ')
[ "$config" = "/etc/logrotate.d/manage-procs /etc/manage-procs/manager.toml " ] || fail "config files: $config"
rpm -qp --queryformat '[%{FILENAMES} %{FILEFLAGS:fflags}\n]' "$rpmfile" 2>/dev/null | grep '^/etc/.* c' > "$work/cfg" || true
[ "$(grep -c 'cn$' "$work/cfg" || true)" = 2 ] || fail "config files are not %config(noreplace): $(cat "$work/cfg")"
echo "requires: $(tr '\n' ' ' <<<"$requires")"

step "rpm -i"
rpm_ -i --nodeps "$rpmfile"
rpm -ql "$pkg" > "$work/files"
version=$(rpm -q --queryformat '%{VERSION}' "$pkg")

reinstall=(rpm_ -U --replacepkgs --nodeps "$rpmfile")
check_installed "$version" /usr/lib/systemd/system/manage-procs.service /usr/share/zsh/site-functions

step "rpm -e: an edited config file is kept as .rpmsave; the console logs stay; nothing else"
echo "# edited by the administrator" >> /etc/manage-procs/manager.toml
rpm_ -e --nodeps "$pkg"
! rpm -q "$pkg" >/dev/null 2>&1 || fail "rpm -e left the package installed"
[ -e /etc/manage-procs/manager.toml.rpmsave ] || fail "the edited manager.toml was not saved as manager.toml.rpmsave"
left=()
while IFS= read -r f; do
  [ -e "$f" ] || continue
  case $f in /var/log/manage-procs) continue ;; esac # the console logs stay
  [ -d "$f" ] && [ "$f" = /etc/manage-procs ] && [ "$(ls -A /etc/manage-procs)" = manager.toml.rpmsave ] && continue
  left+=("$f")
done < "$work/files"
[ ${#left[@]} -eq 0 ] || fail "rpm -e left: ${left[*]}"
[ ! -e /run/manage-procs ] || fail "rpm -e left /run/manage-procs"
ls /var/log/manage-procs/demo-ioc.log >/dev/null || fail "rpm -e removed the console logs"
echo ok
echo
echo "rpm-roundtrip: all passed"
