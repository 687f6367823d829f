#!/usr/bin/env bash
# Regenerates wordlist.txt from Debian's scowl lists (apt-get install scowl).
# Words come from the most common sizes first, so a passphrase reads as everyday English;
# plurals of listed words are dropped because "apple apples" is easy to mistype.
set -euo pipefail
dict=${SCOWL_DIR:-/usr/share/dict/scowl}
here=$(cd "$(dirname "$0")" && pwd)
want=7776
[ -r "$dict/english-words.10" ] || { echo "make-wordlist: error: no scowl lists in $dict" >&2; echo "make-wordlist: hint: apt-get install scowl" >&2; exit 1; }

exclude=$(mktemp); ranked=$(mktemp); trap 'rm -f "$exclude" "$ranked"' EXIT
sed -e '/^#/d' -e '/^$/d' "$here/exclude.txt" | LC_ALL=C sort -u > "$exclude"

# One "size<TAB>word" line for every candidate: lowercase a-z, 3 to 9 letters.
for size in 10 20 35; do
  cat "$dict/english-words.$size" "$dict/american-words.$size" 2>/dev/null |
    LC_ALL=C grep -E '^[a-z]{3,9}$' | sed "s/^/$size\t/"
done |
  awk -F'\t' -v ex="$exclude" '
    BEGIN { while ((getline w < ex) > 0) bad[w] = 1 }
    !($2 in size) || $1 < size[$2] { size[$2] = $1 }
    END {
      for (w in size) {
        if (w in bad) continue
        if (w ~ /s$/ && substr(w, 1, length(w) - 1) in size) continue
        if (w ~ /es$/ && substr(w, 1, length(w) - 2) in size) continue
        # most common size first, then shorter words, then alphabetical
        printf "%s\t%d\t%s\n", size[w], length(w), w
      }
    }' |
  LC_ALL=C sort -t$'\t' -k1,1n -k2,2n -k3,3 > "$ranked"
# Not head: under pipefail, the sort before it would die of SIGPIPE and fail the script.
count=$(wc -l < "$ranked")
[ "$count" -ge "$want" ] || { echo "make-wordlist: error: only $count candidate words, $want needed" >&2; exit 1; }
sed -n "1,${want}p" "$ranked" | cut -f3 | LC_ALL=C sort
