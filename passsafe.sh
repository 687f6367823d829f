#!/usr/bin/env bash
# Runs passsafe with every argument passed through, from a checkout (building build/passsafe.jar
# first when it is missing or older than the sources) or installed by make install (PREFIX/bin,
# with the jar in PREFIX/share/passsafe), also through symlinks. Starts the JVM so that no other
# process can attach to it or make it dump its heap, with core dumps off and a small, bounded
# memory footprint.
set -euo pipefail
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
name=$(basename "$0")
if [ ! -d "$here/src" ] && [ -f "$here/../share/passsafe/passsafe.jar" ]; then
  jar=$(readlink -f "$here/../share/passsafe/passsafe.jar")
else
  jar="$here/build/passsafe.jar"
fi

fail() {
  echo "passsafe: error: $1" >&2
  echo "passsafe: hint: $2" >&2
  exit 1
}

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
elif command -v java >/dev/null 2>&1; then
  java=$(command -v java)
else
  fail "no java found in JAVA_HOME or on PATH" "install a JDK 11 or newer (for example: apt-get install openjdk-17-jdk-headless), or set JAVA_HOME"
fi

stale() {
  [ ! -f "$jar" ] && return 0
  [ -d "$here/src" ] || return 1
  [ -n "$(find "$here/src" "$here/wordlist.txt" -newer "$jar" -print -quit)" ]
}
if stale; then
  command -v make >/dev/null 2>&1 || fail "$jar is missing or out of date and make is not installed" "install make and a JDK, then run $name again"
  make -s -C "$here" jar >&2 || fail "cannot build $jar" "run make in $here and read its errors"
fi

# Security: no attaching debuggers or heap dumps by other processes of this user, no core files,
# and no /tmp/hsperfdata file announcing the JVM.
flags=(-XX:+DisableAttachMechanism -XX:-HeapDumpOnOutOfMemoryError -XX:-UsePerfData)
# Footprint, each kept because make bench showed it: a small heap with the serial collector, and
# (on JDKs that have it: 17.0.9+, 21.0.1+, 22+) giving freed native memory back to the system, which
# drops the compiler's arenas once the key derivation is done.
flags+=(-Xms4m -Xmx32m -XX:+UseSerialGC)
# The server's only: a client command lives for a moment, and finding the JDK's version costs it
# processes of its own (make bench's notebook figure).
case "${1:-}" in
  get|exec|status|list|stop) ;;
  *)
    release="$(dirname "$(dirname "$(readlink -f "$java")")")/release"
    version=$(sed -n 's/^JAVA_VERSION="\([0-9.]*\).*/\1/p' "$release" 2>/dev/null || true)
    IFS=. read -r major _ update <<<"${version:-0.0.0}"
    if [ "${major:-0}" -ge 22 ] || { [ "${major:-0}" -eq 21 ] && [ "${update:-0}" -ge 1 ]; } \
        || { [ "${major:-0}" -eq 17 ] && [ "${update:-0}" -ge 9 ]; }; then
      flags+=(-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=1000)
    fi
    ;;
esac
export MALLOC_ARENA_MAX=2

# The passphrase and token leave the environment before the JVM starts: a command run by
# "passsafe exec" could otherwise read them in its parent's /proc/PID/environ. The JVM reads them
# once from an inherited pipe, which printf, a shell builtin, fills without a process of its own.
# Each value ends in a NUL, which no variable can hold, so any value passes whole, newlines and all.
if [ -n "${PASSSAFE_PASSPHRASE:-}${PASSSAFE_TOKEN:-}" ]; then
  exec 3< <(printf '%s\0%s\0' "${PASSSAFE_PASSPHRASE:-}" "${PASSSAFE_TOKEN:-}")
  unset PASSSAFE_PASSPHRASE PASSSAFE_TOKEN
  export PASSSAFE_CREDENTIALS_FD=3
fi

# How the user started passsafe, for the hints it prints: passsafe, passsafe.sh, ...
export PASSSAFE_LAUNCHER="$name"
ulimit -c 0
exec "$java" "${flags[@]}" -jar "$jar" "$@"
