#!/usr/bin/env bash
# Time `guide check` on hostile inputs: an alias flood, a billion-laughs
# bomb, 10,000-level nesting and a 50 MB file. Each must end in a clear
# error within a second and bounded memory.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${GUIDE_BIN:-$ROOT/target/release/guide}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mk() { # mk NAME: a project with one matter file from stdin
    mkdir -p "$W/$1/guides"
    printf 'title: t\norganization: o\ncontact: {consult: "1", complaint: "2"}\n' > "$W/$1/guide.yaml"
    cat > "$W/$1/guides/x.yaml"
}
python3 - <<'PY' | mk laughs
print('id: x')
print('aliases: &a0 [' + ', '.join(['"lol"'] * 10) + ']')
for i in range(1, 10):
    print(f'k{i}: &a{i} [' + ', '.join([f'*a{i-1}'] * 10) + ']')
print('summary: *a9')
PY
python3 - <<'PY' | mk flood
print('id: x\nfaq:\n  - &m {q: q, a: a}')
print('  - *m\n' * 250000, end='')
PY
python3 -c "print('[' * 10000)" | mk nesting
mk huge < /dev/null
truncate -s 50M "$W/huge/guides/x.yaml"
echo "| input | exit | wall s | peak RSS MB | diagnostic |"
echo "|---|---:|---:|---:|---|"
for case in laughs flood nesting huge; do
    set +e
    /usr/bin/time -f '%e %M' -o "$W/time" "$BIN" check --project "$W/$case" > /dev/null 2> "$W/err"
    code=$?
    set -e
    read -r secs kb < <(tail -n1 "$W/time")
    diag=$(grep -m1 -o 'error\[[a-z-]*\]' "$W/err" || true)
    echo "| $case | $code | $secs | $((kb / 1024)) | $diag |"
done
