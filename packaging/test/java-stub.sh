# Sourced by deb-roundtrip.sh and systemd-roundtrip.sh. The .deb Depends on default-jre-headless
# (>= 2:1.21) | java21-runtime-headless; a JDK installed from a tarball (as on the build machine)
# satisfies the launcher but not dpkg. An administrator declares it with a local package that provides
# java21-runtime-headless (equivs does the same); the tests install this stand-in.
java_stub=manage-procs-test-java-runtime

java_stub_control() { # the stand-in's DEBIAN/control, on stdout
  cat <<STUB
Package: $java_stub
Version: 1
Architecture: all
Maintainer: manage-procs tests <root@localhost>
Provides: java21-runtime-headless
Description: stand-in for a Java >= 21 runtime installed outside dpkg (test only)
STUB
}
