#!/usr/bin/env bash
# Several windows sharing one notice register: P processes issue N notices
# each at once; all P×N numbers must be distinct and consecutive, with no
# error. Prints the wall time and the check's result.
#
#   bench/concurrency.sh [PROCS=20] [EACH=50]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${GUIDE_BIN:-$ROOT/target/release/guide}
PROCS=${1:-20}
EACH=${2:-50}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
window() {
    local w=$1 i
    for ((i = 0; i < EACH; i++)); do
        if ! "$BIN" notice passport --missing 1 --applicant 张三 --window "$w" \
            --project "$ROOT/guides" --register "$W/notices.db" --new-register -o "$W/$w-$i.pdf" \
            >>"$W/numbers-$w" 2>>"$W/log-$w"; then
            echo "window $w notice $i failed: $(tail -n 3 "$W/log-$w" | tr '\n' ' ')" >>"$W/errors"
        fi
    done
}
start=$(date +%s.%N)
for ((w = 1; w <= PROCS; w++)); do
    window "$w" &
done
wait
end=$(date +%s.%N)
total=$((PROCS * EACH))
distinct=$(cat "$W"/numbers-* | sort -u | wc -l)
errors=0
if [[ -f $W/errors ]]; then errors=$(wc -l <"$W/errors"); fi
expected=$(for ((i = 1; i <= total; i++)); do printf '%04d\n' "$i"; done | md5sum)
got=$(cat "$W"/numbers-* | sed -E 's/.*〕([0-9]+)号/\1/' | sort | md5sum)
consecutive=no
[[ $expected == "$got" ]] && consecutive=yes
printf '%d processes × %d notices: %d issued, %d distinct, consecutive 1..%d: %s, errors: %d, wall %.1f s\n' \
    "$PROCS" "$EACH" "$(cat "$W"/numbers-* | wc -l)" "$distinct" "$total" "$consecutive" "$errors" "$(python3 -c "print($end - $start)")"
if [[ -s $W/errors ]]; then head -n 5 "$W/errors"; fi
[[ $distinct == "$total" && $consecutive == yes && $errors == 0 ]]
