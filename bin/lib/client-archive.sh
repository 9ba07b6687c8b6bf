# Sourced by bin/build and the package's postinst (after find-java.sh and jvm-options.sh, with
# MP_JAVA_HOME set): writes the class-data archive that makes the CLI start fast. It records the
# classes a client run loads (a status call that no manager answers) and is valid only for this JVM
# build and this jar (path, size and time), so it is made where the jar is run, never shipped.
mp_dump_client_archive() { # $1 = the jar, $2 = the archive to write
  rm -f "$2"
  XDG_RUNTIME_DIR=/nonexistent "$MP_JAVA_HOME/bin/java" "${MP_CLIENT_OPTS[@]}" \
    -XX:ArchiveClassesAtExit="$2" -jar "$1" --user status >/dev/null 2>&1 || true
}
