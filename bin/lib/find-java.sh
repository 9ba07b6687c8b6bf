# Sourced by bin/manage-procs, bin/build and bin/test: finds a Java >= 21.
# Order: $JAVA_HOME, `java` on PATH, then the newest JDK/JRE under /usr/lib/jvm.
# Sets MP_JAVA_HOME and MP_JAVA_MAJOR, or prints one sentence on what to install and exits 2.
# Bash builtins only on the usual path, no subshells either: the launcher runs before every CLI
# command, and each fork or exec cost it 0.4-1.7 ms.

mp_java_major() { # $1 = java home; sets MP_JAVA_MAJOR to its feature version ("" when unknown)
  local home=$1 line v=
  if [ -r "$home/release" ]; then
    while IFS= read -r line; do
      case $line in JAVA_VERSION=*) v=${line#JAVA_VERSION=}; v=${v//\"/}; break ;; esac
    done < "$home/release"
  fi
  if [ -z "$v" ] && [ -x "$home/bin/java" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9.]*\).*/\1/p' | head -n 1)
  fi
  case $v in 1.*) v=${v#1.} ;; esac
  MP_JAVA_MAJOR=${v%%.*}
}

mp_usable() { # $1 = java home, $2 = "jdk" when javac is needed; sets MP_JAVA_MAJOR
  [ -x "$1/bin/java" ] || return 1
  [ "$2" = jdk ] && [ ! -x "$1/bin/javac" ] && return 1
  mp_java_major "$1"
  [ -n "$MP_JAVA_MAJOR" ] && [ "$MP_JAVA_MAJOR" -ge "$MP_MIN_JAVA" ] 2>/dev/null
}

mp_path_java_home() { # sets MP_PATH_JAVA_HOME to the home of `java` on PATH ("" when there is none)
  MP_PATH_JAVA_HOME=
  hash java 2>/dev/null || return 0
  local cand=${BASH_CMDS[java]} home
  if [ -L "$cand" ]; then
    # Debian's alternatives link to a JDK under /usr/lib/jvm: find it by file identity, not readlink
    for home in /usr/lib/jvm/*/; do
      home=${home%/}
      [ -L "$home" ] && continue # an alias of another entry, as below
      if [ "$home/bin/java" -ef "$cand" ]; then MP_PATH_JAVA_HOME=$home; return 0; fi
    done
    cand=$(readlink -f "$cand")
  fi
  MP_PATH_JAVA_HOME=${cand%/bin/java}
}

mp_find_java() { # $1 = minimum feature version, $2 = "jdk" when javac is needed too
  MP_MIN_JAVA=$1
  local need=$2 cand best= best_major=0
  if [ -n "${JAVA_HOME:-}" ] && mp_usable "$JAVA_HOME" "$need"; then MP_JAVA_HOME=$JAVA_HOME; return 0; fi
  mp_path_java_home
  if [ -n "$MP_PATH_JAVA_HOME" ] && mp_usable "$MP_PATH_JAVA_HOME" "$need"; then
    MP_JAVA_HOME=$MP_PATH_JAVA_HOME
    return 0
  fi
  for cand in /usr/lib/jvm/*/; do
    cand=${cand%/}
    [ -L "$cand" ] && continue # Debian's alias links name the same JDKs again
    if mp_usable "$cand" "$need" && [ "$MP_JAVA_MAJOR" -gt "$best_major" ]; then
      best=$cand best_major=$MP_JAVA_MAJOR
    fi
  done
  if [ -n "$best" ]; then MP_JAVA_HOME=$best MP_JAVA_MAJOR=$best_major; return 0; fi
  local what="Java runtime"; [ "$need" = jdk ] && what="JDK"
  echo "manage-procs: no $what >= $MP_MIN_JAVA found (looked at \$JAVA_HOME, java on PATH and /usr/lib/jvm); install one, e.g. 'apt-get install openjdk-21-jdk-headless' on Debian/Ubuntu or 'dnf install java-21-openjdk-devel' on RHEL, or set JAVA_HOME." >&2
  exit 2
}

mp_maven_env() { # Maven's bundled guava calls sun.misc.Unsafe; JDK >= 24 warns loudly about it.
  export JAVA_HOME=$MP_JAVA_HOME
  if [ "$MP_JAVA_MAJOR" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}
