#!/usr/bin/env bash
# What tagging costs: the 1,000-matter booklet written tagged (as always)
# and untagged (GUIDE_BENCH_UNTAGGED, for this measurement only), same
# binary, same corpus. The two are run alternately, so that a machine
# whose speed drifts affects both alike; medians of wall and user time.
# Usage: bench/tagging.sh [N] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000}
runs=${2:-9}
guide=${GUIDE:-$here/target/release/guide}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/bench/gen_corpus.py" "$n" "$work/c" --seed 20260401 >/dev/null
export SOURCE_DATE_EPOCH=1780272000
one() { # one VARIANT: prints "wall user"
  local e=X=1
  [ "$1" = untagged ] && e=GUIDE_BENCH_UNTAGGED=1
  rm -rf "$work/$1"
  env $e /usr/bin/time -f "%e %U %M" "$guide" build --project "$work/c" \
    --only booklet --out "$work/$1" 2>&1 >/dev/null | tail -1
}
one untagged >/dev/null
one tagged >/dev/null
for i in $(seq "$runs"); do
  echo "untagged $(one untagged)" >>"$work/times"
  echo "tagged $(one tagged)" >>"$work/times"
done
python3 - "$work/times" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for v in ("untagged", "tagged"):
    w = [float(r[1]) for r in rows if r[0] == v]
    u = [float(r[2]) for r in rows if r[0] == v]
    m = max(int(r[3]) for r in rows if r[0] == v)
    med[v] = (statistics.median(w), statistics.median(u))
    print(f"{v}: median {med[v][0]:.2f} s wall, {med[v][1]:.2f} s user, peak {m / 1024:.0f} MB ({len(w)} runs)")
print(f"tagging costs {100 * (med['tagged'][0] / med['untagged'][0] - 1):+.0f} % wall, "
      f"{100 * (med['tagged'][1] / med['untagged'][1] - 1):+.0f} % user CPU")
PY
for v in untagged tagged; do echo "$v: $(stat -c %s "$work/$v/booklet.pdf") bytes"; done
