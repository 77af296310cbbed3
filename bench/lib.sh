# Shared by the bench scripts that compare two commands (sourced, not run).

# A temporary folder `work` (removed on exit) with the generated corpus of
# N matters in $work/c (seed fixed). Usage: corpus N
corpus() {
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  python3 "$here/bench/gen_corpus.py" "$1" "$work/c" --seed 20260401 >/dev/null
}

# Run `one A` and `one B` (defined by the caller, each printing
# "wall user peak-KB") alternately RUNS times after a warm-up each, so
# that a machine whose speed drifts affects both alike, and print the
# medians. Usage: alternate A B RUNS TIMES-FILE
alternate() {
  local a=$1 b=$2 runs=$3 times=$4
  one "$a" >/dev/null
  one "$b" >/dev/null
  for _ in $(seq "$runs"); do
    echo "$a $(one "$a")" >>"$times"
    echo "$b $(one "$b")" >>"$times"
  done
  python3 - "$times" "$a" "$b" <<'PY'
import statistics, sys
path, a, b = sys.argv[1:]
rows = [l.split() for l in open(path)]
med = {}
for v in (a, b):
    w = [float(r[1]) for r in rows if r[0] == v]
    u = [float(r[2]) for r in rows if r[0] == v]
    m = max(int(r[3]) for r in rows if r[0] == v)
    med[v] = (statistics.median(w), statistics.median(u))
    print(f"{v}: median {med[v][0]:.2f} s wall (range {min(w):.2f}-{max(w):.2f}), "
          f"{med[v][1]:.2f} s user, peak {m / 1024:.0f} MB ({len(w)} runs)")
print(f"{b} / {a}: {med[b][0] / med[a][0]:.2f}x wall, {med[b][1] / med[a][1]:.2f}x user CPU (medians)")
PY
}
