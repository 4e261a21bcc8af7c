#!/usr/bin/env bash
# Makes kiln.sqlite: a tracking store written by Kiln at commit 141786f, the last commit whose
# store ran on its earlier SQLite library (before KilnSQLite), so that the tests prove such
# stores open unchanged.
#
# Usage: make-store.sh WORKER OUTPUT_DIRECTORY
#   WORKER is KilnTrackingStressWorker built from commit 141786f:
#     git worktree add /tmp/kiln-141786f 141786f && (cd /tmp/kiln-141786f && swift build --product KilnTrackingStressWorker)
#     make-store.sh /tmp/kiln-141786f/.build/debug/KilnTrackingStressWorker Tests/Fixtures/tracking-store-v4
set -euo pipefail
worker=$1
output=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# Two finished runs of 20 metric points each, flushed every 5 points: experiments, runs, metrics,
# latest metrics and the audit log's chained events, under all four migrations (v1–v4).
"$worker" "$scratch" adult 20 5 > /dev/null
"$worker" "$scratch" adult 20 5 > /dev/null
# The worker's last connection checkpointed the write-ahead log into the file and removed it.
test ! -e "$scratch/kiln.sqlite-wal"
cp "$scratch/kiln.sqlite" "$output/kiln.sqlite"
