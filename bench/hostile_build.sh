#!/usr/bin/env bash
# `guide build` and `guide check` against hostile templates and output
# folders: each must end quickly in a clear error (or a recovery) and leave
# the previous output intact. One line per attack: exit code, wall seconds,
# the first line of the message.
#
#   bench/hostile_build.sh        (GUIDE_BIN=... to time another binary)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${GUIDE_BIN:-$ROOT/target/release/guide}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export SOURCE_DATE_EPOCH=1780272000 NO_COLOR=1 LC_ALL=C.UTF-8

# The demo project with its output built, copied for each attack.
cp -r "$ROOT/guides" "$W/demo"
rm -rf "$W/demo/dist" "$W/demo"/.dist.*
"$BIN" build --project "$W/demo" 2>/dev/null
fresh() { # fresh NAME: a copy of the built demo project
    cp -r "$W/demo" "$W/$1"
}
page() { # page BODY: a page template on the built-in base
    printf '{%% extends "base.html" %%}{%% block content %%}\n%s{%% endblock content %%}' "$1"
}
# attack NAME CMD...: runs CMD, prints exit, seconds, first line of message
attack() {
    local name=$1 code start end msg
    shift
    start=$(date +%s.%N)
    set +e
    "$@" >/dev/null 2>"$W/err"
    code=$?
    set -e
    end=$(date +%s.%N)
    # Skip the progress line and the generic "build failed" line.
    msg=$(grep -v -e '^按 ' -e '^错误：生成失败' "$W/err" | head -n 1 | sed -e 's/^ *原因：//' -e "s|$W/||g")
    printf '%-28s exit %-3s %5.1f s  %s\n' "$name" "$code" "$(echo "$end - $start" | bc)" "${msg:0:90}"
}
intact() { # intact NAME: the demo's previous output is all there
    [[ -f $W/$1/dist/booklet.pdf && -f $W/$1/dist/site/index.html && -f $W/$1/dist/data/guides.json ]] ||
        echo "  !! $1: the previous output is gone"
}

fresh loop
mkdir -p "$W/loop/templates"
page '{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}' >"$W/loop/templates/matter.html"
attack "endless loop template" "$BIN" build --project "$W/loop"
intact loop
attack "  … the same, guide check" "$BIN" check --project "$W/loop"

fresh huge
mkdir -p "$W/huge/templates"
page "{% for i in range(end=100000) %}{% for j in range(end=100000) %}$(printf 'x%.0s' {1..1024}){% endfor %}{% endfor %}" >"$W/huge/templates/index.html"
attack "huge output template" "$BIN" build --project "$W/huge"
intact huge

fresh double
mkdir -p "$W/double/templates"
page '{% set s = "ab" %}{% for i in range(end=64) %}{% set_global s = s ~ s %}{% endfor %}' >"$W/double/templates/index.html"
attack "doubling variable template" "$BIN" build --project "$W/double"
intact double

fresh memory
mkdir -p "$W/memory/templates"
page '{% set a = "ab" %}{% set b = "ab" %}{% for i in range(end=64) %}{% set_global a = b ~ b %}{% set_global b = a ~ a %}{% endfor %}' >"$W/memory/templates/index.html"
attack "memory bomb template" "$BIN" build --project "$W/memory"
intact memory

fresh undefined
mkdir -p "$W/undefined/templates"
page '{{ m.no_such_field }}' >"$W/undefined/templates/matter.html"
attack "undefined field, check" "$BIN" check --project "$W/undefined"

fresh foreign
echo "keep me" >"$W/foreign/dist/报告.docx"
attack "foreign file in dist/" "$BIN" build --project "$W/foreign"
rm "$W/foreign/dist/报告.docx"
echo "keep me" >"$W/foreign/dist/data/统计.xlsx"
attack "foreign file in dist/data/" "$BIN" build --project "$W/foreign" --only data
[[ -f $W/foreign/dist/data/统计.xlsx ]] || echo "  !! the foreign file is gone"

fresh aside
mv "$W/aside/dist" "$W/aside/.dist.old-1234"
attack "killed mid-swap (by hand)" "$BIN" build --project "$W/aside" --only data
intact aside

fresh killed
for delay in 0.05 0.1 0.2 0.3 0.5 0.8; do
    "$BIN" build --project "$W/killed" 2>/dev/null &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    attack "killed after ${delay} s, rerun" "$BIN" build --project "$W/killed" --only data
    intact killed
done
