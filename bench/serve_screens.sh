#!/usr/bin/env bash
# Every screen of the clerks' desk, timed one request at a time on
# loopback (a clerk waits for one screen, not for fifty): the login page,
# logging in, the matter search, the matter's form, issuing (the POST that
# renders and registers the PDF), the notice page, its PDF, the lookup by
# short number and by scanned desk code, the second-visit POST, the
# register search, the statistics and the status page. Prints the median
# and the 95th percentile per screen, in milliseconds.
#
# With BULK=N, N more notices are then issued through the API and the
# screens that read the whole register (home, search, statistics) are
# timed again on it.
#
#   GUIDE=target/release/guide ROUNDS=200 BULK=5000 bash bench/serve_screens.sh
set -euo pipefail
cd "$(dirname "$0")/.."
GUIDE=${GUIDE:-target/release/guide}
ROUNDS=${ROUNDS:-200}
BULK=${BULK:-0}
PROJECT=${PROJECT:-guides}
PASSWORD=correct-horse-battery
work=$(mktemp -d)
pid=
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/notices.db"

for who in "李娜 --window B12 --role clerk" "王主任 --window A1 --role supervisor"; do
    # shellcheck disable=SC2086
    echo "$PASSWORD" | "$GUIDE" serve --project "$PROJECT" --register "$db" --new-register \
        user add $who >/dev/null 2>&1
done
"$GUIDE" serve --project "$PROJECT" --register "$db" --bind 127.0.0.1:0 \
    >"$work/addr" 2>"$work/server.log" &
pid=$!
for _ in $(seq 100); do
    [[ -s "$work/addr" ]] && break
    sleep 0.1
done
base=$(head -1 "$work/addr")
base=${base%/}

# Logs NAME in with the cookie jar JAR; prints the session's CSRF token.
login() {
    local jar=$1 name=$2 token
    token=$(curl -sS -c "$jar" "$base/desk/login" | sed -n 's/.*name="login" value="\([0-9a-f]*\)".*/\1/p')
    curl -sS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "login=$token" \
        --data-urlencode "name=$name" --data-urlencode "password=$PASSWORD" "$base/desk/login"
    curl -sS -b "$jar" "$base/desk/" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1
}

# time NAME METHOD PATH [curl args...]: one request, its seconds to $work/t.NAME.
time_one() {
    local name=$1 jar=$2
    shift 2
    curl -sS -b "$jar" -o /dev/null -w '%{http_code} %{time_total}\n' "$@" >>"$work/t.$name"
}

clerk="$work/clerk.jar"
boss="$work/boss.jar"
csrf=$(login "$clerk" 李娜)
login "$boss" 王主任 >/dev/null
enc() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g'; }
year=$(date -u -d @$(( $(date +%s) + 8 * 3600 )) +%Y)

issue_args=(--data-urlencode "csrf=$csrf" -d situation=renew -d missing=1 -d defect=2
    --data-urlencode "reason2=申请人签名不清" --data-urlencode "applicant=张三" -d phone=13800000000)
for i in $(seq "$ROUNDS"); do
    # The notice this round issues (the register is new).
    number_path=$(enc "乌政服告〔$year〕${i}号")
    time_one login-page /dev/null "$base/desk/login"
    time_one find "$clerk" -G --data-urlencode "q=护照" "$base/desk/find"
    time_one matter "$clerk" "$base/desk/matter/passport?situation=renew"
    time_one issue "$clerk" "${issue_args[@]}" "$base/desk/matter/passport"
    time_one notice "$clerk" "$base/desk/notice/$number_path"
    time_one pdf "$clerk" "$base/desk/notice/$number_path/pdf"
    time_one lookup-number "$clerk" "$base/desk/lookup?number=$i"
    time_one lookup-scanned "$clerk" -G --data-urlencode "number=https://dating.example.gov.cn/desk/n/$year-$i" "$base/desk/lookup"
    time_one visit "$clerk" --data-urlencode "csrf=$csrf" -d brought=1 --data-urlencode "result=仍缺" \
        "$base/desk/notice/$number_path/visit"
    time_one search "$clerk" -G --data-urlencode "text=张三" "$base/desk/search"
    time_one stats "$boss" "$base/desk/stats"
    time_one stats-week "$boss" "$base/desk/stats?period=week"
    time_one status "$boss" "$base/desk/status"
done
# Logging in hashes a password (argon2id, by design slow): fewer rounds.
for _ in $(seq 20); do
    t0=$(date +%s.%N)
    login "$work/l.jar" 李娜 >/dev/null
    t1=$(date +%s.%N)
    echo "200 $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" >>"$work/t.login-3-requests"
done
bulk_names=
if (( BULK > 0 )); then
    "$GUIDE" serve --project "$PROJECT" --register "$db" token add bench >"$work/token" 2>/dev/null
    token=$(cat "$work/token")
    body='{"matter":"passport","missing":["1"],"applicant":"王五","phone":"13900000000","window":"B12","clerk":"李娜"}'
    seq "$BULK" | xargs -P 4 -I{} curl -sS -o /dev/null -X POST "$base/api/notices" \
        -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body"
    n=$(( ROUNDS + BULK ))
    for _ in $(seq 50); do
        time_one "home@$n" "$clerk" "$base/desk/"
        time_one "search@$n" "$clerk" -G --data-urlencode "text=张三" "$base/desk/search"
        time_one "stats@$n" "$boss" "$base/desk/stats"
        time_one "stats-week@$n" "$boss" "$base/desk/stats?period=week"
    done
    bulk_names="home@$n search@$n stats@$n stats-week@$n"
fi
kill -TERM "$pid"
wait "$pid" || true

printf '%-20s %6s %8s %8s %s\n' screen n median p95 statuses
for name in login-page login-3-requests find matter issue notice pdf lookup-number lookup-scanned visit search stats stats-week status $bulk_names; do
    f="$work/t.$name"
    statuses=$(cut -d' ' -f1 "$f" | sort | uniq -c | awk '{ printf "%s×%s ", $2, $1 }')
    cut -d' ' -f2 "$f" | sort -n | awk -v name="$name" -v st="$statuses" '
        { a[NR] = $1 }
        END {
            m = a[int((NR + 1) / 2)]; i = int(NR * 0.95); if (i < 1) i = 1
            printf "%-20s %6d %8.1f %8.1f %s\n", name, NR, m * 1000, a[i] * 1000, st
        }'
done
echo "notices issued: $("$GUIDE" notice --project "$PROJECT" --register "$db" list | wc -l)"
