#!/usr/bin/env bash
# The policy repository's CI step, for any CI system: check the guides
# (annotations as JSON lines), build every output into dist/, and write what
# changed for citizens since BASE as Markdown.
#
#   guide-ci.sh [BASE]     BASE: a git revision (default: the previous commit)
#
# Outputs: check.jsonl, dist/, changes.md. Exit non-zero if the guides have
# errors or the build fails.
set -euo pipefail
base=${1:-HEAD~1}
status=0
guide check --format json >check.jsonl || status=$?
if [[ $status -ne 0 ]]; then
    echo "指南有错误，见 check.jsonl" >&2
    exit "$status"
fi
guide build
# `guide diff` exits 1 when there are changes: that is not a failure here.
guide diff "$base" --format markdown >changes.md || [[ $? -eq 1 ]]
