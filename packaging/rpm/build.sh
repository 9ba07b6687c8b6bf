#!/usr/bin/env bash
# Builds BUILD_DIR/manage-procs-VERSION-1.ARCH.rpm with rpmbuild (Debian/Ubuntu: `apt-get install rpm`;
# RHEL: `dnf install rpm-build`): lays out the tree with packaging/stage.sh, fills in the spec and
# packs the tree as it is. Maven runs it in the package phase when rpmbuild is installed.
# Usage: packaging/rpm/build.sh BUILD_DIR JAVA VERSION MAINTAINER
set -euo pipefail
build=$(readlink -f "$1") java=$2 version=$3 maintainer=$4
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
command -v rpmbuild >/dev/null || {
  echo "packaging/rpm/build.sh: rpmbuild is missing; install it with 'apt-get install rpm' (Debian/Ubuntu) or 'dnf install rpm-build' (RHEL)." >&2
  exit 2
}
"$here/../stage.sh" rpm "$build" "$java" "$version" "$maintainer"
top=$build/rpmbuild
rm -rf "$top"
mkdir -p "$top/SPECS"
# rpm versions may not contain '-' (a Maven -SNAPSHOT becomes ~SNAPSHOT, which sorts before the release)
rpm_version=${version//-/\~}
changelog_date=$(LC_ALL=C date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" '+%a %b %d %Y')
sed -e "s|@VERSION@|$rpm_version|g" -e "s|@MAINTAINER@|$maintainer|g" -e "s|@DATE@|$changelog_date|g" \
  "$here/manage-procs.spec" > "$top/SPECS/manage-procs.spec"
rpmbuild --quiet -bb --define "_topdir $top" --define "mp_stage $build/rpm-root" \
  --define "_build_id_links none" --define "_rpmdir $build" --define "_rpmfilename %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
  "$top/SPECS/manage-procs.spec"
