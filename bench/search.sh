#!/usr/bin/env bash
# The site search on a generated corpus: index size (plain and gzipped), the
# time to build the page's postings when the index loads, and the time of each
# keystroke, in headless Chromium with the CPU slowed down like a phone's
# (CDP Emulation.setCPUThrottlingRate).
#
#   bench/search.sh
#
# Environment (all optional):
#   N=1000             matters in the corpus (bench/gen_corpus.py)
#   SEED=20260401      generator seed (the same corpora as bench/run.sh)
#   RATE=6             CPU throttling factor (4-6 is a mid-range phone)
#   RUNS=5             page loads; every query is typed once per load
#   BENCH_DIR=...      work dir (default $TMPDIR/guide-bench, shared with run.sh)
#   SKIP_BUILD=1       do not run `cargo build --release`
#   GUIDE_BIN=...      binary that builds the site (default target/release/guide;
#                      the index is the same bytes from a debug build)
#   CHROMIUM=...       browser (default /usr/bin/chromium)
# Needs node and `npm ci --prefix tests/browser` (playwright-core).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${N:-1000}
SEED=${SEED:-20260401}
RATE=${RATE:-6}
RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/guide-bench}
BIN=${GUIDE_BIN:-$ROOT/target/release/guide}
GEN="$ROOT/bench/gen_corpus.py"

log() { echo "search.sh: $*" >&2; }

hash=$(sha256sum "$GEN" | cut -c1-12)
corpus="$BENCH_DIR/corpus-n$N-s$SEED-$hash"
if [[ ! -f $corpus/guide.yaml ]]; then
    log "generating corpus N=$N in $corpus"
    rm -rf "$corpus.tmp"
    python3 "$GEN" "$N" "$corpus.tmp" --seed "$SEED" >&2
    mv "$corpus.tmp" "$corpus"
fi
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    (cd "$ROOT" && cargo build --release) >&2
fi
[[ -x $BIN ]] || { log "no executable at $BIN"; exit 1; }
[[ -d $ROOT/tests/browser/node_modules/playwright-core ]] || { log "run: npm ci --prefix tests/browser"; exit 1; }

out="$BENCH_DIR/out/search-n$N"
rm -rf "$out"
"$BIN" build --project "$corpus" --only site --out "$out" >&2
echo "Search benchmark of \`guide\` ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo uncommitted)), $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m); corpus N=$N seed $SEED"
node "$ROOT/bench/search.mjs" "$out/site" "$RATE" "$RUNS"
