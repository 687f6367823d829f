#!/usr/bin/env bash
# Runs passsafe with every argument passed through, from a checkout (building build/passsafe.jar
# first when it is missing or older than the sources) or installed by make install (PREFIX/bin,
# with the jar in PREFIX/share/passsafe), also through symlinks. Starts the JVM so that no other
# process can attach to it or make it dump its heap, with core dumps off and a small, bounded
# memory footprint.
set -euo pipefail
# Parameter expansion, not dirname and basename, and readlink only to follow a link to this file:
# a process each, on every notebook call.
self=${BASH_SOURCE[0]}
if [ -L "$self" ]; then self=$(readlink -f "$self"); fi
case $self in /*) ;; *) self=$PWD/${self#./} ;; esac
here=${self%/*}
name=${0##*/}
if [ ! -d "$here/src" ] && [ -f "$here/../share/passsafe/passsafe.jar" ]; then
  jar="$here/../share/passsafe/passsafe.jar"
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

# Start-up: the JVM maps passsafe's classes from a cache that a client command wrote once for this
# jar and this JDK: a class-data archive (CDS, base.jsa), or on JDK 24 and later an AOT cache
# (JEP 483, base.aot), which also keeps the classes linked and is faster still (make bench). A JVM
# maps what such a file holds, so it is kept only in the user's own cache directory, 0700 and no
# link, and is used only when it is the user's, a regular file, and newer than both the jar and the
# java binary; otherwise it is written again. Either holds class metadata, never objects of the
# program, so no secret (make test searches them). A stale or corrupt one costs speed only: the JVM
# passes over it, and its messages are off (the JVM's other warnings go to stderr, never into
# get's output).
flags+=(-Xlog:disable -Xlog:all=warning,cds*=off:stderr)
aot_quiet=-Xlog:aot*=off:stderr  # a tag older JDKs refuse: given only with an AOT cache, which only 24 and later make
# The directory is trusted as OpenSSH's safe_path trusts one: yours and 0700, and every directory
# above it, links resolved first, root's or yours and writable by no one else unless sticky (as
# /tmp is), so no one else can swap it for her own between this check and the JVM's mapping. One
# stat reads the directory and all above it.
safe_path() {
  local dir=$1 paths=() lines uid mode
  while [ -n "$dir" ]; do paths+=("$dir"); dir=${dir%/*}; done
  paths+=(/)
  lines=$(exec stat -c '%u %a' "${paths[@]}" 2>/dev/null) || return 1
  { read -r uid mode && [ "$uid" = "$EUID" ] && [ "$mode" = 700 ] || return 1
    while read -r uid mode; do
      [ "$uid" = 0 ] || [ "$uid" = "$EUID" ] || return 1
      case $mode in 1???) ;; *) (( (8#$mode & 022) == 0 )) || return 1 ;; esac
    done; } <<< "$lines"
}
# The cache's path with links resolved: itself, unless a link or a . or .. is on the way (a
# subshell's cd -P then).
real_path() {
  local dir=$1
  case /$1/ in */./*|*/../*) real=$(cd -P -- "$1" 2>/dev/null && pwd -P); return ;; esac
  while [ -n "$dir" ]; do
    if [ -L "$dir" ]; then real=$(cd -P -- "$1" 2>/dev/null && pwd -P); return; fi
    dir=${dir%/*}
  done
  real=$1
}
base=
cache="${XDG_CACHE_HOME:-${HOME:-}/.cache}/passsafe"
case "$cache" in
  /*)
    if [ ! -d "$cache" ]; then
      mkdir -p "${cache%/*}" 2>/dev/null && mkdir -m 700 "$cache" 2>/dev/null || true
    fi
    if [ -d "$cache" ] && [ ! -L "$cache" ] && real_path "$cache" && safe_path "$real"; then
      base="$real/${java//[^A-Za-z0-9._-]/_}"
    fi
    ;;
esac
for kind in aot jsa; do
  file="$base.$kind"
  if [ -n "$base" ] && [ -f "$file" ] && [ ! -L "$file" ] && [ -O "$file" ] && [ "$file" -nt "$jar" ] && [ "$file" -nt "$java" ]; then
    if [ "$kind" = aot ]; then flags+=("$aot_quiet" -XX:AOTCache="$file"); else flags+=(-XX:SharedArchiveFile="$file"); fi
    base=
  fi
done

# The JDK's major version from its release file, beside bin/: asked only when there is no cache
# yet, and read by bash itself (readlink runs only for a java found on PATH).
major() {
  local home line
  if [ -n "${JAVA_HOME:-}" ] && [ "$java" = "$JAVA_HOME/bin/java" ]; then home=$JAVA_HOME; else home=$(readlink -f "$java"); home=${home%/bin/java}; fi
  while IFS= read -r line; do
    case $line in JAVA_VERSION=*) line=${line#*\"}; line=${line%%[!0-9]*}; echo "${line:-0}"; return ;; esac
  done < "$home/release" 2>/dev/null || true
  echo 0
}

# How the user started passsafe, for the hints it prints: passsafe, passsafe.sh, ...
export PASSSAFE_LAUNCHER="$name"
ulimit -c 0
case "${1:-}" in
  get|status|list|stop)
    # No cache to use: this short command records one as it runs, under a name of its own, then
    # puts it in place whole, so a concurrent command never maps half of one. On JDK 24 and later
    # the run records a configuration (its own output silenced, so none of it reaches get's) and a
    # second JVM, which runs no passsafe code, makes the AOT cache from it; earlier JDKs dump a
    # class-data archive at exit (JDK 11 has none, and passes over the option).
    if [ -n "$base" ]; then
      status=0
      if [ "$(major)" -ge 24 ]; then
        flags+=("$aot_quiet")
        "$java" "${flags[@]}" -XX:+UnlockDiagnosticVMOptions -XX:-DisplayVMOutput -XX:AOTMode=record \
          -XX:AOTConfiguration="$base.$$.conf" -jar "$jar" "$@" || status=$?
        if [ -f "$base.$$.conf" ] && "$java" "${flags[@]}" -XX:AOTMode=create -XX:AOTConfiguration="$base.$$.conf" \
            -XX:AOTCache="$base.$$.aot" -jar "$jar" </dev/null >/dev/null 2>&1 && [ -f "$base.$$.aot" ]; then
          mv -f "$base.$$.aot" "$base.aot" 2>/dev/null || true
        fi
      else
        "$java" "${flags[@]}" -XX:+IgnoreUnrecognizedVMOptions -XX:ArchiveClassesAtExit="$base.$$.jsa" -jar "$jar" "$@" || status=$?
        [ -f "$base.$$.jsa" ] && mv -f "$base.$$.jsa" "$base.jsa" 2>/dev/null
      fi
      rm -f "$base.$$.conf" "$base.$$.aot" "$base.$$.jsa"
      exit "$status"
    fi
    ;;
esac
exec "$java" "${flags[@]}" -jar "$jar" "$@"
