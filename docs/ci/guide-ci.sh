#!/usr/bin/env bash
# 政策仓库的 CI 步骤，任何 CI 系统都可以调用：检查指南（每个问题一行 JSON），
# 生成全部输出到 dist/，并把自 BASE 以来对群众有影响的变化写成 Markdown。
# The policy repository's CI step: check (JSON lines), build into dist/, and
# write what changed for citizens since BASE as Markdown.
#
#   guide-ci.sh [BASE]     BASE：git 版本（默认上一次提交）
#
# 输出：check.jsonl、dist/、changes.md。指南有错误或生成失败时退出码非 0。
# `guide check --since BASE` 另外警告：内容改了、changelog 却没有新条目的事项
# （否则网站上的“本页更新于”和“最近变更”不会显示这次修改）。
set -euo pipefail
base=${1:-HEAD~1}
since=()
# The first commit has no previous one: nothing to compare with.
if git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    since=(--since "$base")
fi
status=0
guide check --format json "${since[@]}" >check.jsonl || status=$?
if [[ $status -ne 0 ]]; then
    echo "指南有错误，见 check.jsonl" >&2
    exit "$status"
fi
guide build
if ((${#since[@]})); then
    # `guide diff` exits 1 when there are changes: that is not a failure here.
    guide diff "$base" --format markdown >changes.md || [[ $? -eq 1 ]]
else
    echo "（没有可比较的上一个版本）" >changes.md
fi
