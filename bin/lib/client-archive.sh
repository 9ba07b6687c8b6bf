# Sourced by bin/build and the package's postinst (after find-java.sh and jvm-options.sh, with
# MP_JAVA_HOME and MP_JAVA_MAJOR set): writes the class-data archive that makes the CLI start fast.
# From JDK 24 on it is an AOT cache (STEM.aot: the classes loaded and linked ahead of time; a status
# call takes 16 ms less than with a dynamic archive), before that a dynamic CDS archive (STEM.jsa).
# Either records what a training run loads: a `status` answered by a manager with no units, started
# for it in a temporary directory, so the connect, request and reply path is in the archive too.
# It is valid only for this JVM build and this jar (path, size and time), so it is made where the
# jar is run, never shipped.
mp_dump_client_archive() { # $1 = the jar, $2 = the archive's path less its extension (STEM)
  local jar=$1 stem=$2 tmp manager i
  rm -f "$stem.aot" "$stem.jsa" "$stem.part"
  tmp=$(mktemp -d) || return 0
  (
    export XDG_RUNTIME_DIR=$tmp/run XDG_CONFIG_HOME=$tmp/config XDG_STATE_HOME=$tmp/state
    mkdir -p "$tmp/run" "$tmp/units"
    "$MP_JAVA_HOME/bin/java" "${MP_DAEMON_OPTS[@]}" -jar "$jar" --user daemon --unit-dir "$tmp/units" \
      </dev/null >/dev/null 2>&1 &
    manager=$!
    # without a manager the training still runs, up to the failed connect
    for ((i = 0; i < 100; i++)); do
      [ -S "$tmp/run/manage-procs/control.sock" ] && break
      sleep 0.1
    done
    # each step may fail (the caller may run under set -e): the manager is stopped all the same
    if [ "$MP_JAVA_MAJOR" -ge 24 ]; then
      "$MP_JAVA_HOME/bin/java" "${MP_CLIENT_OPTS[@]}" -XX:AOTMode=record -XX:AOTConfiguration="$tmp/client.aotconf" \
        -jar "$jar" --user status >/dev/null 2>&1 || :
      "$MP_JAVA_HOME/bin/java" "${MP_CLIENT_OPTS[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$tmp/client.aotconf" \
        -XX:AOTCache="$stem.part" -jar "$jar" >/dev/null 2>&1 || :
      if [ -s "$stem.part" ]; then mv "$stem.part" "$stem.aot" || :; fi
    else
      "$MP_JAVA_HOME/bin/java" "${MP_CLIENT_OPTS[@]}" -XX:ArchiveClassesAtExit="$stem.part" \
        -jar "$jar" --user status >/dev/null 2>&1 || :
      if [ -s "$stem.part" ]; then mv "$stem.part" "$stem.jsa" || :; fi
    fi
    kill "$manager" 2>/dev/null || :
    wait "$manager" || :
  ) || true
  rm -rf "$tmp" "$stem.part" # written beside the archive, so that the archive appears whole or not at all
}
