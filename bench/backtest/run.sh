#!/usr/bin/env bash
# bench/backtest/run.sh — backtests over a million candles, beside the same
# rules in NumPy and in a plain Python loop, in the same run.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench/backtest/run.sh [BUILD_DIR]     (default: _build; this script builds nothing)
#
# Needs Debian's python3-numpy (/usr/bin/python3). Build with the default
# buildtype (debugoptimized); figures from a sanitizer build mean nothing.
# The figures are reported, never asserted: these machines are shared.

set -euo pipefail

BUILD_DIR=${1:-_build}
CANDLES=${CANDLES:-1000000}
AR_CANDLES=${AR_CANDLES:-100000}
OPT_CANDLES=${OPT_CANDLES:-525600}
RUNS=${RUNS:-5}
PYTHON=/usr/bin/python3
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH="$BUILD_DIR/bench/backtest/bench-backtest"

die () { echo "run.sh: $*" >&2; exit 1; }

[[ -x "$BENCH" ]] || die "$BENCH not found: build first (ninja -C $BUILD_DIR)"
"$PYTHON" -c 'import numpy' 2>/dev/null || die "needs python3-numpy (apt-get install python3-numpy)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bourse-bench-backtest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

echo "bench/backtest: $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) CPUs," \
     "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
echo "numpy $("$PYTHON" -c 'import numpy; print(numpy.__version__)'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo

{
  "$BENCH" sma --candles "$CANDLES" --runs "$RUNS" --series "$WORK/series.txt"
  "$PYTHON" "$HERE/reference.py" "$WORK/series.txt" "$RUNS"
  "$BENCH" ar --candles "$AR_CANDLES" --runs 1
} | awk '
  BEGIN { printf "%-12s %10s %10s %14s %8s %14s\n", "case", "median s", "min s", "candles/s", "trades", "final equity" }
  { printf "%-12s %10.4f %10.4f %14.0f %8d %14.2f\n", $1, $2, $3, $4, $5, $6 }'
echo
echo "sma, numpy, python-loop: SMA(50) × SMA(200) over $CANDLES one-minute candles, exits on the"
echo "opposite signal, 0.01 % fees, 1 bp slippage (docs/BACKTESTS.md); ar: AR(4), 500-candle lookback,"
echo "every forecast a signal, over $AR_CANDLES candles."
echo
echo "Optimisation: 1,000 SMA-crossover backtests (a grid) over $OPT_CANDLES one-minute candles"
"$BENCH" optimise --candles "$OPT_CANDLES" | awk '
  /^optimise/ { printf "%-3s thread(s): %d backtests in %.1f s (CPU %.1f s, %.2f cores busy), %.0f candles/s\n",
                       $5, $2, $3, $6, $6 / $3, $4 }
  /^speed-up/ { printf "speed-up from 1 to all cores: %.2f\n", $2 }'
echo
echo "Memory (five years of one-minute candles through boursed backtest run): bench/backtest/memory.sh"
