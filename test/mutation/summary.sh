#!/usr/bin/env bash
# make mutation's last lines: PIT's mutations.csv as a score per class, then each surviving or
# uncovered mutant, marked with its reason where test/mutation/explained.txt gives one.
# CSV columns: file, class, mutator, method, line, status, killing test.
set -euo pipefail
csv=$1
explained=$2
awk -F, '
  { cls = $2; sub(/^passsafe\./, "", cls); sub(/\$.*/, "", cls); all[cls]++; total++
    if ($6 == "KILLED" || $6 == "TIMED_OUT" || $6 == "MEMORY_ERROR") { killed[cls]++; k++ }
    else if ($6 != "NO_COVERAGE") { covered[cls]++ } ; if ($6 != "NO_COVERAGE") { cov[cls]++; c++ } }
  END {
    printf "%-16s %7s %7s %7s\n", "class", "killed", "of", "score"
    for (cls in all) printf "%-16s %7d %7d %6.0f%%\n", cls, killed[cls], all[cls], 100 * killed[cls] / all[cls] | "sort"
    close("sort")
    printf "%-16s %7d %7d %6.0f%%  (%.0f%% of the %d covered)\n", "all", k, total, 100 * k / total, (c ? 100 * k / c : 0), c
  }' "$csv"
echo
echo "surviving and uncovered mutants (class:line mutator method — reason, where explained):"
awk -F, '$6 == "SURVIVED" || $6 == "NO_COVERAGE" {
    cls = $2; sub(/^passsafe\./, "", cls); m = $3; sub(/.*\./, "", m); print cls ":" $5 " " m " " $4 " " $6 }' "$csv" \
  | sort -t: -k1,1 -k2n | while read -r key rest; do
      reason=$(grep -F "$key " "$explained" 2>/dev/null | head -1 | cut -d' ' -f2- || true)
      echo "  $key $rest${reason:+ — $reason}"
    done
