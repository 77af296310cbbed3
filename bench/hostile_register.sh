#!/usr/bin/env bash
# Attacks on the notice register: each must end in a clear Chinese message
# (never a panic, a silent restart at 0001, a duplicate number or a wrong
# reprint). Builds the debug binary (whose GUIDE_TEST_NOW and
# GUIDE_TEST_LOCK_WAIT stand in for the clock and a long wait), or runs
# GUIDE_BIN. Needs python3 (its sqlite3 module plays "another program").
# Prints one line per attack: exit code and the first line of the message.
#
#   bench/hostile_register.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ -z ${GUIDE_BIN:-} ]]; then
    (cd "$ROOT" && cargo build --quiet --bin guide)
    BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug/guide
else
    BIN=$GUIDE_BIN
fi
W=$(mktemp -d)
trap 'chmod -R u+w "$W"; rm -rf "$W"' EXIT
cp -r "$ROOT/guides" "$W/p"
rm -rf "$W/p/dist" "$W/p"/notices.db*
mkdir -p "$W/out"
P=$W/p
DB=$P/notices.db
DAY=1780272000 # 2026-06-01 08:00 Beijing time
export NO_COLOR=1 SOURCE_DATE_EPOCH=$DAY GUIDE_TEST_NOW=$DAY
cd "$W"

g() { "$BIN" "$@" --project "$P"; }
issue() { # issue NAME|PATH [ARGS]: a notice saved as out/NAME.pdf (or PATH)
    local out=$1
    [[ $out == */* ]] || out=$W/out/$out.pdf
    g notice passport -m 1 --applicant 张三 -o "$out" "${@:2}"
}
sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit(); c.close()' "$DB" "$1"; }
attack() { # attack NAME COMMAND...: the exit code, the first (and last) line of stderr
    local name=$1 code
    shift
    set +e
    "$@" >"$W/stdout" 2>"$W/stderr"
    code=$?
    set -e
    local msg last
    msg=$(grep -v '^$' "$W/stderr" | head -n1 || true)
    last=$(grep -v '^$' "$W/stderr" | tail -n1 || true)
    [[ $last == "$msg" ]] || msg="$msg / $last"
    printf '| %s | %d | %s |\n' "$name" "$code" "${msg:-(stdout) $(head -n1 "$W/stdout")}"
}
fresh() { # a register with N notices (default 2)
    rm -f "$DB"* "$W"/out/*
    for ((i = 1; i <= ${1:-2}; i++)); do issue "n$i" >/dev/null 2>&1; done
}

echo "| attack | exit | first line of the message |"
echo "|---|---:|---|"

fresh 1
# Another program keeps the register open: the next notices stay in -wal.
python3 -c 'import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1]); c.execute("select count(*) from notices").fetchall(); print("ok", flush=True); time.sleep(30)' "$DB" >"$W/held" &
HOLD=$!
while [[ ! -s $W/held ]]; do sleep 0.05; done
issue n2 >/dev/null 2>&1
issue n3 >/dev/null 2>&1
rm -f "$DB-wal" "$DB-shm"
kill -9 "$HOLD"
wait "$HOLD" 2>/dev/null || true
attack "deleted -wal, then a notice" issue x
attack "list after the deleted -wal" g notice list

fresh
rm -f "$DB"
attack "register deleted, then a notice" issue x
: >"$DB"
attack "register emptied, then a notice" issue x

fresh
sql "UPDATE notices SET situations = '{bad' WHERE seq = 1"
attack "bad JSON in situations: show" g notice show '乌政服告〔2026〕0001号'
fresh
sql "UPDATE notices SET issued_at = '２０２６年六月一日上午' WHERE seq = 2"
attack "multibyte issued_at: list" g notice list
fresh
sql "UPDATE notices SET pdf = X'00FF00FF00FF' WHERE seq = 1"
attack "non-PDF blob: reprint" g notice reprint '乌政服告〔2026〕0001号' -o "$W/out/r.pdf"
sql "UPDATE notices SET pdf = (SELECT pdf FROM notices WHERE seq = 2) WHERE seq = 1"
attack "another notice's PDF: reprint" g notice reprint '乌政服告〔2026〕0001号' -o "$W/out/r.pdf"
sql "UPDATE notices SET issued_at = '2099-01-01 00:00:00' WHERE seq = 2"
attack "issued_at in the future, then a notice" issue x

fresh
chmod 444 "$DB"
attack "read-only register, then a notice" issue x
chmod 644 "$DB"

fresh
attack "clock a day behind the last notice" env GUIDE_TEST_NOW=$((DAY - 86400)) SOURCE_DATE_EPOCH=$((DAY - 86400)) "$BIN" notice passport -m 1 --applicant 张三 -o "$W/out/x.pdf" --project "$P"
attack "-o guide.yaml" issue "$P/guide.yaml"
attack "-o the register's -wal" issue "$DB-wal"
attack "reprint -o materials.yaml" g notice reprint '乌政服告〔2026〕0001号' -o "$P/materials.yaml"
attack "ESC in the applicant" g notice passport -m 1 --applicant $'张\e[2J三' -o "$W/out/x.pdf"
attack "RLO in the window" g notice passport -m 1 --applicant 张三 --window $'B\u202e21' -o "$W/out/x.pdf"
attack "--register :memory:" issue x --register :memory:
attack "--register file: URI" issue x --register 'file:n.db?mode=memory'

python3 -c 'import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None); c.execute("BEGIN IMMEDIATE"); print("ok", flush=True); time.sleep(6)' "$DB" >"$W/locked" &
LOCK=$!
while [[ ! -s $W/locked ]]; do sleep 0.05; done
attack "lock held 6 s, wait limit 4 s" env GUIDE_TEST_LOCK_WAIT=4 "$BIN" notice passport -m 1 --applicant 张三 -o "$W/out/x.pdf" --project "$P"
wait "$LOCK"

echo
printf 'numbers in the register at the end: %s\n' "$(g notice list 2>/dev/null | cut -f1 | tr '\n' ' ')"
