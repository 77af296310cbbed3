#!/usr/bin/env bash
# Load test of `guide serve` on loopback: WINDOWS simulated windows per
# server issue NOTICES notices in all through the JSON API at once. Checks
# that none is lost, none is numbered twice and the numbers are consecutive
# in each sequence; prints p50/p99 latency and notices per second.
#
#   GUIDE=target/release/guide WINDOWS=50 NOTICES=2000 bash bench/serve_load.sh
#   KILL_AFTER=5 bash bench/serve_load.sh
#
# A city: SERVERS halls' servers sharing one register. STORE=postgres starts
# a throwaway PostgreSQL (scripts/test-postgres; or uses PG_URL) and runs
# `guide serve migrate` first; each server gets a --hall (Wuhai's three
# districts: 海勃湾区, 乌达区, 海南区; then 第4区, …); with
# PER_HALL=1 the number pattern has {hall} (each hall its own sequence),
# else the city has one sequence.
#
#   SERVERS=3 STORE=postgres WINDOWS=50 NOTICES=6000 bash bench/serve_load.sh
#   SERVERS=3 STORE=postgres PER_HALL=1 WINDOWS=50 NOTICES=6000 bash bench/serve_load.sh
#
# With KILL_AFTER=N the first server is killed with SIGKILL after N seconds
# and started again at once on the same address; every notice the API
# acknowledged (201) must be in the register.
set -euo pipefail
cd "$(dirname "$0")/.."
GUIDE=${GUIDE:-target/release/guide}
WINDOWS=${WINDOWS:-50}
NOTICES=${NOTICES:-2000}
KILL_AFTER=${KILL_AFTER:-}
PROJECT=${PROJECT:-guides}
SERVERS=${SERVERS:-1}
STORE=${STORE:-sqlite}
PER_HALL=${PER_HALL:-}
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}" $(cat "$work"/pid.* 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    [[ -n ${pgdir:-} ]] && scripts/test-postgres stop "$pgdir" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

if [[ -n $PER_HALL ]]; then
    cp -r "$PROJECT" "$work/project"
    PROJECT="$work/project"
    sed -i 's/number_pattern: .*/number_pattern: "乌政服告〔{year}〕{hall}{seq}号"/' "$PROJECT/guide.yaml"
fi

if [[ $STORE == postgres ]]; then
    if [[ -z ${PG_URL:-} ]]; then
        pgdir="$work/pg"
        PG_URL=$(scripts/test-postgres start "$pgdir")
    fi
    register=$PG_URL
    "$GUIDE" serve --project "$PROJECT" --register "$register" migrate
else
    register="$work/notices.db"
    "$GUIDE" serve --project "$PROJECT" --register "$register" --new-register migrate
fi

"$GUIDE" serve --project "$PROJECT" --register "$register" token add load \
    >"$work/token" 2>/dev/null
token=$(cat "$work/token")

halls=(海勃湾区 乌达区 海南区)
# start_server I [ADDR]: server I (its hall), on ADDR or a free port.
start_server() {
    local i=$1 bind=${2:-127.0.0.1:0}
    local hall=${halls[$((i - 1))]:-第${i}区}
    : >"$work/addr.$i"
    "$GUIDE" serve --project "$PROJECT" --register "$register" --hall "$hall" --bind "$bind" \
        >"$work/addr.$i" 2>>"$work/server.$i.log" &
    echo $! >"$work/pid.$i"
    for _ in $(seq 200); do
        [[ -s "$work/addr.$i" ]] && break
        sleep 0.05
    done
}
addrs=""
for i in $(seq "$SERVERS"); do
    start_server "$i"
    addrs+="$(head -1 "$work/addr.$i") "
done

body='{"matter":"passport","missing":["1"],"applicant":"张三","phone":"13800000000","window":"B12","clerk":"李娜"}'
one() {
    # Prints: HTTP status, seconds, number (when issued). Notice N goes to
    # server N mod SERVERS.
    local out a
    read -r -a a <<<"$addrs"
    local addr=${a[$(($1 % ${#a[@]}))]}
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
export addrs token body work

if [[ -n $KILL_AFTER ]]; then
    (
        sleep "$KILL_AFTER"
        kill -9 "$(cat "$work/pid.1")"
        echo "killed server 1 (SIGKILL) after ${KILL_AFTER}s" >&2
        addr1=$(head -1 "$work/addr.1" | sed 's|^http://||; s|/$||')
        start_server 1 "$addr1"
    ) &
    killer=$!
fi
t0=$(date +%s.%N)
seq "$NOTICES" | xargs -P "$((WINDOWS * SERVERS))" -I{} bash -c 'one {}' >"$work/results"
t1=$(date +%s.%N)
[[ -n $KILL_AFTER ]] && wait "$killer"

ok=$(grep -c '^201 ' "$work/results" || true)
for i in $(seq "$SERVERS"); do
    kill -TERM "$(cat "$work/pid.$i")" 2>/dev/null || true
done
wait 2>/dev/null || true

"$GUIDE" notice --project "$PROJECT" --register "$register" list | cut -f1 >"$work/numbers"
stored=$(wc -l <"$work/numbers")
dupes=$(sort "$work/numbers" | uniq -d | wc -l)
lost=0
while read -r status _ number; do
    [[ $status == 201 ]] || continue
    grep -qxF "$number" "$work/numbers" || lost=$((lost + 1))
done <"$work/results"
# Consecutive: in each sequence (the number without its digits before 号),
# the sequence numbers run 1..count.
gaps=$(sed 's/^\(.*[^0-9]\)\([0-9]*\)号$/\1 \2/' "$work/numbers" | sort -k1,1 -k2n |
    awk '{ if ($1 != key) { key = $1; n = 0 } n++; if ($2 != n) bad++ } END { print bad + 0 }')
sequences=$(sed 's/^\(.*[^0-9]\)\([0-9]*\)号$/\1/' "$work/numbers" | sort -u | wc -l)

awk '$1 == 201 { print $2 }' "$work/results" | sort -n >"$work/times"
p() { awk -v q="$1" '{ a[NR] = $1 } END { if (NR == 0) { print "-"; exit } i = int(NR * q); if (i < 1) i = 1; printf "%.1f", a[i] * 1000 }' "$work/times"; }
rate=$(awk -v n="$ok" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / (b - a) }')
echo "store=$STORE servers=$SERVERS windows=$((WINDOWS * SERVERS)) asked=$NOTICES acknowledged=$ok stored=$stored lost=$lost duplicates=$dupes gaps=$gaps sequences=$sequences"
echo "latency p50=$(p 0.5) ms p99=$(p 0.99) ms; $rate notices/s"
[[ $lost == 0 && $dupes == 0 && $gaps == 0 ]] || { echo "FAILED"; exit 1; }
[[ -n $KILL_AFTER || $ok == "$NOTICES" ]] || { echo "FAILED: not every notice was issued"; exit 1; }
