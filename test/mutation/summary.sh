#!/usr/bin/env bash
# make mutation's last lines: PIT's mutations.csv as a score per class, then each surviving or
# uncovered mutant, with its reason where test/mutation/explained.txt gives one.
# PIT's CSV columns: file, class, mutator, method, line, status, killing test.
set -euo pipefail
csv=$1
explained=$2
awk -F, '
  { cls = $2; sub(/^passsafe\./, "", cls); sub(/\$.*/, "", cls)
    all[cls]++; total++
    if ($6 != "NO_COVERAGE") { covered[cls]++; c++ }
    if ($6 == "KILLED" || $6 == "TIMED_OUT" || $6 == "MEMORY_ERROR" || $6 == "RUN_ERROR") { killed[cls]++; k++ } }
  END {
    printf "%-16s %7s %8s %8s %7s\n", "class", "killed", "covered", "mutants", "score"
    for (cls in all) printf "%-16s %7d %8d %8d %6.0f%%\n", cls, killed[cls], covered[cls], all[cls], 100 * killed[cls] / all[cls] | "sort"
    close("sort")
    printf "%-16s %7d %8d %8d %6.0f%%  (%.0f%% of the covered)\n", "all", k, c, total, 100 * k / total, (c ? 100 * k / c : 0)
  }' "$csv"
echo
echo "surviving (SURVIVED) and uncovered (NO_COVERAGE) mutants, class:line, with the reason where one is explained:"
awk -F, '$6 == "SURVIVED" || $6 == "NO_COVERAGE" {
    cls = $2; sub(/^passsafe\./, "", cls); sub(/\$.*/, "", cls); m = $3; sub(/.*\./, "", m); print cls ":" $5 " " $6 " " m " in " $4 }' "$csv" \
  | sort -t: -k1,1 -k2n | while read -r key rest; do
      reason=$(grep -F "$key " "$explained" 2>/dev/null | head -1 | cut -d' ' -f2- || true)
      echo "  $key $rest${reason:+ — $reason}"
    done
