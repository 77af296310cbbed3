#!/usr/bin/env bash
# The whole build (booklet, notices, site, data) of N matters, two
# binaries alternated, in the three ways a build meets its output folder:
#   new      a new folder each run (a fresh clone's first build, CI)
#   replace  the same folder again, the same data
#   nextday  the same folder again, a day later (SOURCE_DATE_EPOCH): the
#            booklet, the site and the data change, the notices do not
# Usage: bench/whole.sh N RUNS BEFORE [AFTER]
#   BEFORE, AFTER: guide binaries (AFTER: this tree's release build)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000}
runs=${2:-9}
before=${3:?usage: bench/whole.sh N RUNS BEFORE [AFTER]}
after=${4:-$here/target/release/guide}
. "$here/bench/lib.sh"
corpus "$n"
# A day of the corpus's validity; in `nextday`, half a day later each
# call (each binary a day later each run). `one` runs in a subshell: what
# changes from call to call is kept in files.
day=1796083200
one() { # one before|after: prints "wall user peak-KB"
  local bin=$before out=$work/out-$1 when=$day
  [ "$1" = after ] && bin=$after
  case $(cat "$work/mode") in
    new) out=$(mktemp -u "$work/new-XXXXXX") ;;
    nextday)
      local calls
      calls=$(cat "$work/calls" 2>/dev/null || echo 0)
      echo $((calls + 1)) >"$work/calls"
      when=$((day + 43200 * (calls + 1)))
      ;;
  esac
  sync
  SOURCE_DATE_EPOCH=$when /usr/bin/time -f "%e %U %M" "$bin" build --project "$work/c" \
    --out "$out" 2>&1 >/dev/null | tail -1
}
for mode in new replace nextday; do
  echo "== $mode"
  echo "$mode" >"$work/mode"
  rm -rf "$work"/out-* "$work"/new-*
  alternate before after "$runs" "$work/times-$mode"
done
