#!/usr/bin/env bash
# Benchmark `guide` on generated corpora and print a Markdown table.
#
#   bench/run.sh
#
# Environment (all optional):
#   SIZES="1000 10000"   corpus sizes (number of matters) for `check`
#   BOOKLET_SIZES=1000   corpus sizes for the booklet build
#   SEED=20260401        generator seed
#   RUNS=10              timed runs per command (after 1 warm-up run)
#   BENCH_DIR=...        work dir for corpora, logs, outputs (default $TMPDIR/guide-bench)
#   SKIP_BUILD=1         do not run `cargo build --release`
#   GUIDE_BIN=...        binary to time (default target/release/guide)
#
# Timing uses hyperfine when installed (Debian package `hyperfine`), else a
# Python loop; both report the median wall time.  Peak RSS comes from GNU
# time (Debian package `time`, /usr/bin/time -v).  Corpora are cached in
# BENCH_DIR under a name that includes N, the seed and a hash of the
# generator, so they are regenerated only when the generator changes.
#
# To add a benchmark, add a `bench_cmd NAME N CMD...` line in main().  In
# CMD, `{corpus}` is replaced by the corpus directory and `{out}` by a fresh
# scratch directory for outputs (e.g. `build --out {out}`).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZES=${SIZES:-"1000 10000"}
SEED=${SEED:-20260401}
RUNS=${RUNS:-10}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/guide-bench}
BIN=${GUIDE_BIN:-$ROOT/target/release/guide}
DATE=$(date -u +%Y-%m-%d)
GEN="$ROOT/bench/gen_corpus.py"

RESULTS=()
NOTES=()
BOOKLET_SIZES=${BOOKLET_SIZES:-1000}

log() { echo "run.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

# corpus_dir N: print the directory of the corpus with N matters, generating it
# (atomically, via a temporary directory) if it is not there yet.
corpus_dir() {
    local n=$1 hash dir
    hash=$(sha256sum "$GEN" | cut -c1-12)
    dir="$BENCH_DIR/corpus-n$n-s$SEED-$hash"
    if [[ ! -f $dir/guide.yaml ]]; then
        log "generating corpus N=$n in $dir"
        rm -rf "$dir.tmp"
        python3 "$GEN" "$n" "$dir.tmp" --seed "$SEED" >&2
        mv "$dir.tmp" "$dir"
    fi
    echo "$dir"
}

# corpus_mb DIR: total size of the corpus files in MB (10^6 bytes).
corpus_mb() {
    python3 - "$1" <<'PY'
import os, sys
total = 0
for d, _, files in os.walk(sys.argv[1]):
    total += sum(os.path.getsize(os.path.join(d, f)) for f in files)
print(f"{total / 1e6:.1f}")
PY
}

# median_python RUNS CMD...: 1 warm-up + RUNS timed runs; prints the median in
# seconds; fails if any run fails.
median_python() {
    python3 - "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for i in range(runs + 1):
    t0 = time.perf_counter()
    rc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL).returncode
    dt = time.perf_counter() - t0
    if rc != 0:
        sys.exit(f"run {i} exited with {rc}")
    if i > 0:  # run 0 is the warm-up
        times.append(dt)
print(f"{statistics.median(times):.3f}")
PY
}

# bench_cmd NAME N CMD...: run CMD once under GNU time (checks it succeeds,
# records peak RSS), then time it; append a row to RESULTS.
bench_cmd() {
    local name=$1 n=$2
    shift 2
    local corpus out logf timef json md a rss_kb rss median mb shown
    corpus=$(corpus_dir "$n")
    out="$BENCH_DIR/out/$name-n$n"
    logf="$BENCH_DIR/logs/$name-n$n.log"
    timef="$BENCH_DIR/logs/$name-n$n.time"
    json="$BENCH_DIR/logs/$name-n$n.json"
    md="$BENCH_DIR/logs/$name-n$n.md"
    mkdir -p "$BENCH_DIR/out" "$BENCH_DIR/logs"
    rm -rf "$out"

    local args=()
    for a in "$@"; do
        a=${a//\{corpus\}/$corpus}
        a=${a//\{out\}/$out}
        args+=("$a")
    done
    shown="${*}"
    shown=${shown//"$BIN"/guide}
    shown=${shown//\{corpus\}/DIR}
    shown=${shown//\{out\}/OUT}

    log "$name N=$n: $shown"
    # 1. one checked run, with peak RSS
    if [[ -x /usr/bin/time ]]; then
        if ! /usr/bin/time -v -o "$timef" "${args[@]}" >"$logf" 2>&1; then
            tail -n 40 "$logf" >&2
            die "$name N=$n failed (see $logf)"
        fi
        rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/[^0-9]/, "", $2); print $2}' "$timef")
        rss=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
    else
        log "no /usr/bin/time: peak RSS not measured (apt-get install time)"
        if ! "${args[@]}" >"$logf" 2>&1; then
            tail -n 40 "$logf" >&2
            die "$name N=$n failed (see $logf)"
        fi
        rss="n/a"
    fi
    if [[ -s $logf ]]; then
        log "$name N=$n printed $(wc -l <"$logf") line(s), first ones (full output in $logf):"
        head -n 5 "$logf" >&2
    fi

    # 2. timing
    if command -v hyperfine >/dev/null 2>&1; then
        rm -rf "$out"
        hyperfine --shell=bash --warmup 1 --runs "$RUNS" --style basic \
            --export-json "$json" --export-markdown "$md" \
            -- "$(printf '%q ' "${args[@]}")" >&2
        median=$(python3 -c 'import json, sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$json")
    else
        log "hyperfine not installed (apt-get install hyperfine); timing with a Python loop"
        rm -rf "$out"
        median=$(median_python "$RUNS" "${args[@]}") || die "$name N=$n failed while timing"
    fi

    mb=$(corpus_mb "$corpus")
    RESULTS+=("| $name | \`$shown\` | $n | $mb | $median | $rss | $DATE |")
    log "$name N=$n: median ${median}s, peak RSS ${rss} MB"
}

build() {
    if [[ ${SKIP_BUILD:-0} == 1 ]]; then
        log "SKIP_BUILD=1: not building"
    else
        log "cargo build --release"
        (cd "$ROOT" && cargo build --release) >&2
    fi
    [[ -x $BIN ]] || die "no executable at $BIN"
}

print_table() {
    local report="$BENCH_DIR/results-$DATE.md" rev
    rev=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "uncommitted")
    {
        echo "Benchmark of \`guide\` ($rev), $DATE, $(nproc) cores, $(uname -m); median of $RUNS runs after 1 warm-up."
        echo
        echo "| benchmark | command | N (matters) | corpus MB | median s | peak RSS MB | date |"
        echo "|---|---|---:|---:|---:|---:|---|"
        printf '%s\n' "${RESULTS[@]}"
        if ((${#NOTES[@]})); then
            echo
            printf -- '- %s\n' "${NOTES[@]}"
        fi
    } | tee "$report"
    log "table saved to $report"
}

main() {
    command -v python3 >/dev/null 2>&1 || die "python3 is required"
    mkdir -p "$BENCH_DIR"
    local n
    for n in $SIZES; do
        corpus_dir "$n" >/dev/null
    done
    build
    # the corpus must be clean: a warning means the generator and the tool disagree
    for n in $SIZES; do
        "$BIN" check --deny-warnings --project "$(corpus_dir "$n")" >"$BENCH_DIR/verify-n$n.log" 2>&1 ||
            { tail -n 40 "$BENCH_DIR/verify-n$n.log" >&2; die "corpus N=$n is not clean (see $BENCH_DIR/verify-n$n.log)"; }
    done
    for n in $SIZES; do
        bench_cmd check "$n" "$BIN" check --project '{corpus}'
    done
    for n in $BOOKLET_SIZES; do
        bench_cmd notices "$n" "$BIN" build --project '{corpus}' --only notices --out '{out}'
        local first
        first=$(find "$(corpus_dir "$n")/guides" -name '*.yaml' | sort | awk 'NR == 1')
        first=$(basename "$first" .yaml)
        mkdir -p "$BENCH_DIR/register"
        bench_cmd notice "$n" "$BIN" notice "$first" --missing 1 --applicant 张三 --project '{corpus}' --register "$BENCH_DIR/register/notices-n$n.db" --new-register -o "$BENCH_DIR/register/notice.pdf"
        bench_cmd site "$n" "$BIN" build --project '{corpus}' --only site,data --out '{out}'
        NOTES+=("site N=$n: $(du -sh --apparent-size "$BENCH_DIR/out/site-n$n/site" | cut -f1) in $(find "$BENCH_DIR/out/site-n$n/site" -type f | wc -l) files; search index $(python3 -c 'import os,sys; print("%.2f MB" % (os.path.getsize(sys.argv[1]) / 1e6))' "$BENCH_DIR/out/site-n$n/site/assets/search-index.js")")
        bench_cmd booklet "$n" "$BIN" build --project '{corpus}' --only booklet --out '{out}'
        local pdf="$BENCH_DIR/out/booklet-n$n/booklet.pdf"
        NOTES+=("booklet N=$n: $(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}') pages, $(python3 -c 'import os,sys; print("%.1f MB" % (os.path.getsize(sys.argv[1]) / 1e6))' "$pdf")")
    done
    print_table
}

main "$@"
