#!/usr/bin/env bash
# bench/backtest/memory.sh — the peak memory of a backtest of five years of
# one-minute candles (2.6 M), through `boursed backtest run`.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench/backtest/memory.sh [BUILD_DIR] [N]   (default: _build, 2628000; builds nothing)
#
# Makes N one-minute candles from 2020-01-01 (bench-market-gen-candles),
# imports them with `boursed market import` into a fresh data directory (a
# few minutes: the import also folds 3m … 1M), then runs `boursed backtest
# run` over all of them — SMA(50) × SMA(200), the default lookback — under
# bench-market-peak-rss, which reports the peak resident set (wait4's
# ru_maxrss) of that process alone. The goal is under 200 MB. Reported,
# never asserted.

set -euo pipefail

BUILD_DIR=${1:-_build}
N=${2:-2628000}
BOURSED="$BUILD_DIR/src/daemon/boursed"
GEN="$BUILD_DIR/bench/market/bench-market-gen-candles"
PEAK_RSS="$BUILD_DIR/bench/market/bench-market-peak-rss"

die () { echo "memory.sh: $*" >&2; exit 1; }
for tool in "$BOURSED" "$GEN" "$PEAK_RSS"; do
  [[ -x "$tool" ]] || die "$tool not found: build first (ninja -C $BUILD_DIR)"
done

WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/bourse-bench-backtest-memory.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# No developer configuration or BOURSE_* variable may leak into the run.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^BOURSE_' || true)
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/xdg-data"
export BOURSE_AUTH_SECRETS_BACKEND=file BOURSE_LOG_LEVEL=warning LC_ALL=C.UTF-8
mkdir -p "$XDG_CONFIG_HOME"

echo "bench/backtest memory: $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Generating and importing $N one-minute candles…" >&2
"$GEN" "$N" "$WORK/klines.csv" "$WORK/rows.csv"
rm -f "$WORK/rows.csv"
"$BOURSED" market import "$WORK/klines.csv" --symbol BTCUSDT --interval 1m --data-dir "$WORK/data" >/dev/null
rm -f "$WORK/klines.csv"

START=2020-01-01T00:00:00Z
END=$(date -u -d "@$(( 1577836800 + N * 60 ))" +%Y-%m-%dT%H:%M:%SZ)
TIMEFORMAT='%R'
{ time "$PEAK_RSS" "$BOURSED" backtest run --strategy sma-cross --param fast=50 --param slow=200 \
    --symbol BTCUSDT --interval 1m --start "$START" --end "$END" --exits signals \
    --data-dir "$WORK/data" >"$WORK/run.out" 2>"$WORK/run.err" ; } 2>"$WORK/run.time"

awk -v n="$N" -v s="$(cat "$WORK/run.time")" '$1 == "peak_rss_kib" {
  printf "boursed backtest run over %d one-minute candles: peak RSS %.1f MiB (goal < 200 MB), %.1f s\n", n, $2 / 1024, s }' \
  "$WORK/run.err"
head -n 30 "$WORK/run.out"
