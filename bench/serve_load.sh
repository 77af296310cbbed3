#!/usr/bin/env bash
# Load test of `guide serve` on loopback: WINDOWS simulated windows issue
# NOTICES notices through the JSON API at once. Checks that none is lost,
# none is numbered twice and the numbers are consecutive; prints p50/p99
# latency and notices per second. With KILL_AFTER=N the server is killed
# with SIGKILL after N seconds, restarted, and every notice the API
# acknowledged (201) must be in the register.
#
#   GUIDE=target/release/guide WINDOWS=50 NOTICES=2000 bash bench/serve_load.sh
#   KILL_AFTER=5 bash bench/serve_load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
GUIDE=${GUIDE:-target/release/guide}
WINDOWS=${WINDOWS:-50}
NOTICES=${NOTICES:-2000}
KILL_AFTER=${KILL_AFTER:-}
PROJECT=${PROJECT:-guides}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/notices.db"

"$GUIDE" serve --project "$PROJECT" --register "$db" --new-register token add load \
    >"$work/token" 2>/dev/null
token=$(cat "$work/token")

start_server() {
    "$GUIDE" serve --project "$PROJECT" --register "$db" --bind 127.0.0.1:0 \
        >"$work/addr" 2>"$work/server.log" &
    pid=$!
    for _ in $(seq 100); do
        [[ -s "$work/addr" ]] && break
        sleep 0.1
    done
    addr=$(head -1 "$work/addr")
}
start_server

body='{"matter":"passport","missing":["1"],"applicant":"张三","phone":"13800000000","window":"B12","clerk":"李娜"}'
one() {
    # Prints: HTTP status, seconds, number (when issued).
    local out
    out=$(curl -sS -o "$work/r.$1" -w '%{http_code} %{time_total}' -X POST "${addr}api/notices" \
        -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" 2>/dev/null || echo "000 0")
    local number=""
    if [[ $out == 201* ]]; then
        number=$(sed -n 's/^  "number": "\(.*\)",$/\1/p' "$work/r.$1")
    fi
    rm -f "$work/r.$1"
    echo "$out $number"
}
export -f one
export addr token body work

if [[ -n $KILL_AFTER ]]; then
    (sleep "$KILL_AFTER"; kill -9 "$pid") &
fi
t0=$(date +%s.%N)
seq "$NOTICES" | xargs -P "$WINDOWS" -I{} bash -c 'one {}' >"$work/results"
t1=$(date +%s.%N)

ok=$(grep -c '^201 ' "$work/results" || true)
if [[ -n $KILL_AFTER ]]; then
    wait "$pid" 2>/dev/null || true
    start_server
fi
kill -TERM "$pid"; wait "$pid" || true

"$GUIDE" notice --project "$PROJECT" --register "$db" list | cut -f1 >"$work/numbers"
stored=$(wc -l <"$work/numbers")
dupes=$(sort "$work/numbers" | uniq -d | wc -l)
lost=0
while read -r status _ number; do
    [[ $status == 201 ]] || continue
    grep -qxF "$number" "$work/numbers" || lost=$((lost + 1))
done <"$work/results"
# Consecutive: the sequence numbers (the digits before 号) run 1..stored.
gaps=$(sed 's/.*〕\([0-9]*\)号$/\1/' "$work/numbers" | sort -n | awk '{ if ($1 != NR) bad++ } END { print bad + 0 }')

awk '$1 == 201 { print $2 }' "$work/results" | sort -n >"$work/times"
p() { awk -v q="$1" '{ a[NR] = $1 } END { if (NR == 0) { print "-"; exit } i = int(NR * q); if (i < 1) i = 1; printf "%.1f", a[i] * 1000 }' "$work/times"; }
rate=$(awk -v n="$ok" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / (b - a) }')
echo "windows=$WINDOWS asked=$NOTICES acknowledged=$ok stored=$stored lost=$lost duplicates=$dupes gaps=$gaps"
echo "latency p50=$(p 0.5) ms p99=$(p 0.99) ms; $rate notices/s"
[[ $lost == 0 && $dupes == 0 && $gaps == 0 ]] || { echo "FAILED"; exit 1; }
[[ -n $KILL_AFTER || $ok == "$NOTICES" ]] || { echo "FAILED: not every notice was issued"; exit 1; }
