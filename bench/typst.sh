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
. "$here/bench/lib.sh"
corpus "$n"
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
one() { # one NAME: prints "wall user peak-KB"
  case $1 in
    guide) rm -rf "$work/g"; /usr/bin/time -f "%e %U %M" "$guide" build --project "$work/c" --only booklet --out "$work/g" 2>&1 >/dev/null | tail -1 ;;
    typst) /usr/bin/time -f "%e %U %M" python3 "$work/run_typst.py" "$work/t.pdf" 2>&1 >/dev/null | tail -1 ;;
  esac
}
alternate guide typst "$runs" "$work/times"
echo "guide: $(pdfinfo "$work/g/booklet.pdf" 2>/dev/null | grep Pages)  typst: $(pdfinfo "$work/t.pdf" 2>/dev/null | grep Pages)"
