#!/usr/bin/env bash
# make fuzz: runs every @FuzzTest under Jazzer in turn, then prints one line per target.
# $1: the directory for the logs; the rest: the JUnit console command that runs the targets.
set -uo pipefail
logs=$1
shift
mkdir -p "$logs"
cd "$(dirname "$0")/../.." || exit 1
targets=$(awk '/@FuzzTest/{want=1; next} want && /void /{sub(/\(.*/, ""); print FILENAME "#" $NF; want=0}' test/fuzz/passsafe/*FuzzTest.java \
  | sed 's|test/fuzz/passsafe/\(.*\)\.java#|passsafe.\1#|')
failed=0
summary=()
for target in $targets; do
  log="$logs/${target#passsafe.}.log"
  echo "== fuzzing $target"
  JAZZER_FUZZ=1 "$@" --select-method "$target(byte[])" > "$log" 2>&1
  status=$?
  runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log" | tail -1)
  cov=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 | sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\)\/.*/cov \1, features \2, corpus \3/p')
  # What libFuzzer wrote (crash-*, timeout-*, oom-*) goes beside the target, for make test to replay.
  class=${target#passsafe.}
  inputs="test/fuzz/passsafe/${class%%#*}Inputs/${class#*#}"
  stored=()
  for finding in "$logs"/crash-* "$logs"/timeout-* "$logs"/oom-*; do
    [ -f "$finding" ] || continue
    mkdir -p "$inputs"
    mv "$finding" "$inputs/"
    stored+=("$inputs/$(basename "$finding")")
  done
  if [ $status = 0 ]; then
    summary+=("$target: nothing found (${runs:-no runs}; ${cov:-no coverage line})")
  else
    failed=1
    found=$(grep -m1 -oE '(AssertionFailedError|FuzzerSecurityIssue[A-Za-z]*|[A-Za-z.]*Exception): .*' "$log" | head -1 | cut -c1-200)
    summary+=("$target: FOUND ${found:-a failure} (log: $log; input: ${stored[*]:-none written})")
  fi
done
echo "== fuzz results"
printf '%s\n' "${summary[@]}"
exit $failed
