#!/usr/bin/env bash
# Lays out the installed tree of a package in BUILD_DIR/LAYOUT-root, from the source tree and the
# built jar: for jdeb to pack (deb) or for rpmbuild (rpm, packaging/rpm/build.sh). Maven runs it in
# the package phase, after the jar is shaded. The two layouts differ only where the distributions do:
# systemd's system unit directory, zsh's completion directory and how documentation is shipped.
# Usage: packaging/stage.sh deb|rpm BUILD_DIR JAVA VERSION MAINTAINER
set -euo pipefail
layout=$1 build=$2 java=$3 version=$4 maintainer=$5
src=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/..
case $layout in
  deb) systemd_system=/lib/systemd/system zsh_completion=/usr/share/zsh/vendor-completions ;;
  rpm) systemd_system=/usr/lib/systemd/system zsh_completion=/usr/share/zsh/site-functions ;;
  *) echo "stage.sh: unknown layout '$layout'; use deb or rpm." >&2; exit 2 ;;
esac
root=$build/$layout-root
rm -rf "$root"
doc=$root/usr/share/doc/manage-procs
install -d "$root/usr/bin" "$root/usr/share/manage-procs" "$root/usr/share/man/man1" "$root/usr/share/man/man5" \
  "$root/usr/share/bash-completion/completions" "$root$zsh_completion" \
  "$root$systemd_system" "$root/usr/lib/systemd/user" "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d" \
  "$root/etc/logrotate.d" "$root/etc/manage-procs/units" "$doc/examples/units/demo-ioc"

install -m 0755 "$src/bin/manage-procs" "$root/usr/bin/manage-procs"
install -m 0644 "$build/manage-procs.jar" "$src/bin/lib/find-java.sh" "$src/bin/lib/jvm-options.sh" \
  "$src/bin/lib/client-archive.sh" "$src/packaging/update-client-archive.sh" "$src/packaging/upgrade-running-manager.sh" \
  "$root/usr/share/manage-procs/"
gzip -9n -c "$src/man/manage-procs.1" > "$root/usr/share/man/man1/manage-procs.1.gz"
gzip -9n -c "$src/man/manage-procs.toml.5" > "$root/usr/share/man/man5/manage-procs.toml.5.gz"

# bash completion from the command's own model; zsh runs it through bashcompinit
"$java" --enable-native-access=ALL-UNNAMED -cp "$build/manage-procs.jar" picocli.AutoComplete --force \
  --name=manage-procs --completionScript="$root/usr/share/bash-completion/completions/manage-procs" \
  dev.manageprocs.cli.Main
# sourced by bash-completion, never run: no #! line (Debian policy)
sed -i '1{/^#!/d}' "$root/usr/share/bash-completion/completions/manage-procs"
chmod 0644 "$root/usr/share/bash-completion/completions/manage-procs"
install -m 0644 "$src/packaging/completion/_manage-procs" "$root$zsh_completion/"

install -m 0644 "$src/packaging/systemd/manage-procs.service" "$root$systemd_system/"
install -m 0644 "$src/packaging/systemd/user/manage-procs.service" "$root/usr/lib/systemd/user/"
install -m 0644 "$src/packaging/sysusers.d/manage-procs.conf" "$root/usr/lib/sysusers.d/"
install -m 0644 "$src/packaging/tmpfiles.d/manage-procs.conf" "$root/usr/lib/tmpfiles.d/"
install -m 0644 "$src/packaging/logrotate/manage-procs" "$root/etc/logrotate.d/"
install -m 0644 "$src/packaging/etc/manager.toml" "$root/etc/manage-procs/"

if [ "$layout" = deb ]; then
  # Debian policy: copyright and a changelog beside the compressed documentation
  install -m 0644 "$src/packaging/copyright" "$doc/"
  gzip -9n -c "$src/README.md" > "$doc/README.md.gz"
  {
    printf 'manage-procs (%s) unstable; urgency=medium\n\n' "$version"
    printf '  * Built from the manage-procs source tree; see README.md.gz.\n\n'
    printf ' -- %s  %s\n' "$maintainer" "$(date -R -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}")"
  } | gzip -9n > "$doc/changelog.gz"
else
  # RPM: the licence under /usr/share/licenses (the spec marks it %license), the changelog in the spec
  install -d "$root/usr/share/licenses/manage-procs"
  install -m 0644 "$src/packaging/copyright" "$root/usr/share/licenses/manage-procs/"
  install -m 0644 "$src/README.md" "$doc/"
fi
install -m 0644 "$src/units/demo-ioc.toml" "$src/units/softioc-template.toml" "$doc/examples/units/"
install -m 0755 "$src/units/demo-ioc/ioc.sh" "$doc/examples/units/demo-ioc/"
# installed scripts name their interpreter by path, not through env (Fedora and Debian policy)
sed -i '1s|^#!/usr/bin/env bash$|#!/bin/bash|' "$root/usr/bin/manage-procs" "$doc/examples/units/demo-ioc/ioc.sh"
