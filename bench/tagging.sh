#!/usr/bin/env bash
# What tagging costs: the 1,000-matter booklet written tagged (as always)
# and untagged (GUIDE_BENCH_UNTAGGED, for this measurement only), same
# binary, same corpus. Usage: bench/tagging.sh [N] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000}
runs=${2:-5}
guide=${GUIDE:-$here/target/release/guide}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/bench/gen_corpus.py" "$n" "$work/c" --seed 20260401 >/dev/null
export SOURCE_DATE_EPOCH=1780272000
hyperfine --warmup 1 --runs "$runs" \
  -n untagged "GUIDE_BENCH_UNTAGGED=1 $guide build --project $work/c --only booklet --out $work/u" \
  -n tagged "$guide build --project $work/c --only booklet --out $work/t"
for v in untagged tagged; do
  if [ $v = untagged ]; then e="GUIDE_BENCH_UNTAGGED=1"; else e="X=1"; fi
  env $e /usr/bin/time -f "$v: %e s wall, %U s user, %M KB peak" \
    "$guide" build --project "$work/c" --only booklet --out "$work/$v" 2>&1 >/dev/null | tail -1
  echo "$v: $(stat -c %s "$work/$v/booklet.pdf") bytes"
done
