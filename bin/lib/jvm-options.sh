# Sourced by bin/manage-procs and bin/build: the JVM options of each kind of run, in one place
# (a class-data archive is only used when it was dumped with the same options).
# Native access (JNA) is granted by the jar manifest (Enable-Native-Access), not a flag: the flag
# would differ from the JDK base archive and disable class-data sharing.
# JVM messages go to stderr only: stdout is the command's output (status --json is read by scripts),
# and the JVM's default log output, which -Xlog:disable removes, is stdout.
MP_COMMON_OPTS=(-XX:+UseSerialGC -Xss512k -Xlog:disable -Xlog:all=warning:stderr)
# The daemon's heap starts small and is given back after the start-up garbage (parsing every unit
# file), so a thousand idle units stay small. C1 only: the hot paths are native calls and array
# copies, which C2 does not make faster (console throughput and echo latency measured the same,
# bench/README.md), while C2's compiler arenas and code cost ~14 MiB of the manager's memory.
MP_DAEMON_OPTS=("${MP_COMMON_OPTS[@]}" -XX:MaxRAMPercentage=25 -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30
  -XX:TieredStopAtLevel=1)
# The client's runs are short: C1 only, no perf data file. Reflection through native accessors: a
# unix socket's first use creates a SecureRandom, whose provider lookup otherwise spins method-handle
# classes for one constructor call (5 ms of a status call; the property exists from JDK 18 on).
MP_CLIENT_OPTS=("${MP_COMMON_OPTS[@]}" -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Djdk.reflect.useNativeAccessorOnly=true)
