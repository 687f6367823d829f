#!/usr/bin/env bash
# Runs passsafe with every argument passed through: builds build/passsafe.jar first when it is
# missing or older than the sources, and starts the JVM so that no other process can attach to it
# or make it dump its heap, and with core dumps off.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jar="$here/build/passsafe.jar"

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
  command -v make >/dev/null 2>&1 || fail "$jar is missing or out of date and make is not installed" "install make and a JDK, then run ./passsafe.sh again"
  make -s -C "$here" jar >&2 || fail "cannot build $jar" "run make in $here and read its errors"
fi

ulimit -c 0
exec "$java" -XX:+DisableAttachMechanism -XX:-HeapDumpOnOutOfMemoryError -Xmx64m -jar "$jar" "$@"
