#!/usr/bin/env bash
# What tagging costs: the 1,000-matter booklet written tagged (as always)
# and untagged (GUIDE_BENCH_UNTAGGED, for this measurement only), same
# binary, same corpus, run alternately (bench/lib.sh).
# Usage: bench/tagging.sh [N] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000}
runs=${2:-9}
guide=${GUIDE:-$here/target/release/guide}
. "$here/bench/lib.sh"
corpus "$n"
export SOURCE_DATE_EPOCH=1780272000
one() { # one VARIANT: prints "wall user"
  local e=X=1
  [ "$1" = untagged ] && e=GUIDE_BENCH_UNTAGGED=1
  rm -rf "$work/$1"
  env $e /usr/bin/time -f "%e %U %M" "$guide" build --project "$work/c" \
    --only booklet --out "$work/$1" 2>&1 >/dev/null | tail -1
}
alternate untagged tagged "$runs" "$work/times"
for v in untagged tagged; do echo "$v: $(stat -c %s "$work/$v/booklet.pdf") bytes"; done
