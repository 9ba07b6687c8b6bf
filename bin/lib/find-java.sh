# Sourced by bin/manage-procs, bin/build and bin/test: finds a Java >= 21.
# Order: $JAVA_HOME, `java` on PATH, then every JDK/JRE under /usr/lib/jvm (newest first).
# Sets MP_JAVA_HOME or prints one sentence on what to install and exits 2.

mp_java_major() { # $1 = java home; prints its feature version, reading the release file when there is one
  local home=$1 v
  if [ -r "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9.]*\).*/\1/p' "$home/release")
  fi
  if [ -z "$v" ] && [ -x "$home/bin/java" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9.]*\).*/\1/p' | head -n 1)
  fi
  case $v in 1.*) v=${v#1.} ;; esac
  echo "${v%%.*}"
}

mp_find_java() { # $1 = minimum feature version, $2 = "jdk" when javac is needed too
  local min=$1 need=$2 cand home major
  local -a cands=()
  [ -n "${JAVA_HOME:-}" ] && cands+=("$JAVA_HOME")
  if cand=$(command -v java 2>/dev/null); then
    cand=$(readlink -f "$cand") && cands+=("${cand%/bin/java}")
  fi
  for cand in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do cands+=("${cand%/}"); done
  for home in "${cands[@]}"; do
    [ -x "$home/bin/java" ] || continue
    [ "$need" = jdk ] && [ ! -x "$home/bin/javac" ] && continue
    major=$(mp_java_major "$home")
    if [ -n "$major" ] && [ "$major" -ge "$min" ] 2>/dev/null; then
      MP_JAVA_HOME=$home
      MP_JAVA_MAJOR=$major
      return 0
    fi
  done
  local what="Java runtime"; [ "$need" = jdk ] && what="JDK"
  echo "manage-procs: no $what >= $min found (looked at \$JAVA_HOME, java on PATH and /usr/lib/jvm); install one, e.g. 'apt-get install openjdk-21-jdk-headless' on Debian/Ubuntu or 'dnf install java-21-openjdk-devel' on RHEL, or set JAVA_HOME." >&2
  exit 2
}

mp_maven_env() { # Maven's bundled guava calls sun.misc.Unsafe; JDK >= 24 warns loudly about it.
  export JAVA_HOME=$MP_JAVA_HOME
  if [ "$MP_JAVA_MAJOR" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}
