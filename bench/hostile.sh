#!/usr/bin/env bash
# Time `guide check` on hostile inputs: an alias flood, a billion-laughs
# bomb, 10,000-level nesting, a 50 MB file, 1.9 MB of emoji or combining
# marks, a flood of control characters, 1.7 MB of `[` in a text, a
# 100,000-character word, and files that must never be read (a symlink out
# of the project, a FIFO among the matters, a blank form in .git or the
# register). Each must end in a clear error within a second and bounded
# memory, quoting nothing of a file it must not read.
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
# A complete matter, so that only the attack is reported; extra keys
# follow it.
matter() {
    printf 'id: x\nname: 事项\nkind: 公共服务\ndepartment: 部门\ncategory: 类\n'
    printf 'steps: [{name: 受理}]\ntime_limit: {promised: {value: 1, unit: 工作日}, type: 承诺件}\n'
    printf 'fees: {charged: false}\nhandling: {visits: 0}\neffective: 2026-01-01\n'
    cat
}
python3 -c "print('summary: \"' + '😀' * 470000 + '\"')" | matter | mk emoji
python3 -c "print('summary: \"' + 'e\u0301\u0302\u0303' * 240000 + '\"')" | matter | mk combining
python3 -c "print('aliases:\n' + '  - \"a\x1b[2J\"\n' * 150000)" | matter | mk controls
python3 -c "print('summary: \"' + '[' * 1700000 + '\"')" | matter | mk brackets
python3 -c "print('summary: ' + 'w' * 100000)" | matter | mk word
# Files that must not be read: the secret must never appear in the output.
echo 'SECRET-TOKEN-123' > "$W/secret.txt"
form() { # form NAME PATH: a matter whose blank form is PATH
    printf 'materials:\n  - name: 申请表\n    form: 原件\n    blank_form: "%s"\n' "$2" | matter | mk "$1"
}
form symlink forms/a.pdf
mkdir -p "$W/symlink/forms" && ln -s "$W/secret.txt" "$W/symlink/forms/a.pdf"
form gitconfig .git/config
mkdir -p "$W/gitconfig/.git" && cp "$W/secret.txt" "$W/gitconfig/.git/config"
form register notices.db
printf 'SQLite format 3\000SECRET-TOKEN-123' > "$W/register/notices.db"
form fifo forms/a.pdf
mkdir -p "$W/fifo/forms" && printf '%%PDF' > "$W/fifo/forms/a.pdf"
mkfifo "$W/fifo/guides/pipe.yaml"
form linked forms/a.pdf
mkdir -p "$W/linked/forms" && printf '%%PDF' > "$W/linked/forms/a.pdf"
ln -s "$W/secret.txt" "$W/linked/guides/y.yaml"
echo "| input | exit | wall s | peak RSS MB | diagnostic | secret quoted |"
echo "|---|---:|---:|---:|---|---|"
for case in laughs flood nesting huge emoji combining controls brackets word symlink gitconfig register fifo linked; do
    set +e
    /usr/bin/time -f '%e %M' -o "$W/time" "$BIN" check --project "$W/$case" > /dev/null 2> "$W/err"
    code=$?
    set -e
    read -r secs kb < <(tail -n1 "$W/time")
    diag=$(grep -o 'error\[[a-z-]*\]' "$W/err" | sort | uniq -c | sort -rn | head -2 | awk '{printf "%s%s×%s", (NR>1?", ":""), $2, $1}' || true)
    leaked=$(grep -c 'SECRET-TOKEN' "$W/err" || true)
    echo "| $case | $code | $secs | $((kb / 1024)) | $diag | $([[ $leaked == 0 ]] && echo no || echo YES) |"
done
