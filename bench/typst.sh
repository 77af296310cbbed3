#!/usr/bin/env bash
# Speed of the booklet against Typst on the same corpus, fonts and machine.
# Typst is run through its Python package (PyPI `typst`, which embeds the
# Typst compiler of the same version; no Rust build of typst-cli needed):
#   pip install typst==0.15.2
# Usage: bench/typst.sh N [RUNS]   (needs a release build of guide)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000}
runs=${2:-5}
guide=${GUIDE:-$here/target/release/guide}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/bench/gen_corpus.py" "$n" "$work/c" --seed 20260401 >/dev/null
# The Typst side reads the same YAML: an index of the matter files, and
# the template beside them.
(cd "$work/c" && find guides -name '*.yaml' | LC_ALL=C sort | sed 's/^/- /' >typst-index.yaml)
cp "$here/bench/typst/booklet.typ" "$work/c/"
cat >"$work/run_typst.py" <<PY
import sys, typst
typst.compile("$work/c/booklet.typ", output=sys.argv[1], root="$work/c",
              font_paths=["$here/fonts"], ignore_system_fonts=True)
PY
python3 -c "import typst; print('typst (PyPI)', typst.__version__)"
# The two are run alternately (one warm-up each), so that a machine whose
# speed drifts affects both alike; medians of wall and user time.
one() { # one NAME: prints "wall user peak-KB"
  case $1 in
    guide) rm -rf "$work/g"; /usr/bin/time -f "%e %U %M" "$guide" build --project "$work/c" --only booklet --out "$work/g" 2>&1 >/dev/null | tail -1 ;;
    typst) /usr/bin/time -f "%e %U %M" python3 "$work/run_typst.py" "$work/t.pdf" 2>&1 >/dev/null | tail -1 ;;
  esac
}
one guide >/dev/null
one typst >/dev/null
for i in $(seq "$runs"); do
  echo "guide $(one guide)" >>"$work/times"
  echo "typst $(one typst)" >>"$work/times"
done
python3 - "$work/times" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for v in ("guide", "typst"):
    w = [float(r[1]) for r in rows if r[0] == v]
    u = [float(r[2]) for r in rows if r[0] == v]
    m = max(int(r[3]) for r in rows if r[0] == v)
    med[v] = statistics.median(w)
    print(f"{v}: median {med[v]:.2f} s wall (range {min(w):.2f}-{max(w):.2f}), {statistics.median(u):.2f} s user, peak {m / 1024:.0f} MB ({len(w)} runs)")
print(f"guide is {med['typst'] / med['guide']:.2f}x faster than Typst (medians)")
PY
echo "guide: $(pdfinfo "$work/g/booklet.pdf" 2>/dev/null | grep Pages)  typst: $(pdfinfo "$work/t.pdf" 2>/dev/null | grep Pages)"
