#!/usr/bin/env bash
# bench/strategy/run.sh — the strategies' evaluation on 10,000 candles, side
# by side with Python (statsmodels, numpy) doing the same fits in the same run.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench/strategy/run.sh [BUILD_DIR]     (default: _build; this script builds nothing)
#
# Needs Debian's python3-statsmodels and python3-numpy (/usr/bin/python3).
# bench-strategy makes the series and writes its closes to a file,
# reference.py fits the same closes, and the table shows both medians and
# their ratio (Python / C). Build with the default buildtype
# (debugoptimized); figures from a sanitizer build mean nothing. About a
# minute, most of it statsmodels' maximum likelihood. The figures are
# reported, never asserted: these machines are shared and noisy.

set -euo pipefail

BUILD_DIR=${1:-_build}
RUNS=${RUNS:-201}
PY_RUNS=${PY_RUNS:-51}
PYTHON=/usr/bin/python3
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH="$BUILD_DIR/bench/strategy/bench-strategy"

die () { echo "run.sh: $*" >&2; exit 1; }

[[ -x "$BENCH" ]] || die "$BENCH not found: build first (ninja -C $BUILD_DIR)"
"$PYTHON" -c 'import statsmodels, numpy' 2>/dev/null \
  || die "needs python3-statsmodels and python3-numpy (apt-get install python3-statsmodels python3-numpy)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bourse-bench-strategy.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

echo "bench/strategy: $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) CPUs," \
     "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
echo "statsmodels $("$PYTHON" -c 'import statsmodels; print(statsmodels.__version__)')," \
     "numpy $("$PYTHON" -c 'import numpy; print(numpy.__version__)')"
echo

"$BENCH" --runs "$RUNS" --series "$WORK/series.txt" > "$WORK/c.txt"
"$PYTHON" "$HERE/reference.py" "$WORK/series.txt" "$PY_RUNS" > "$WORK/python.txt"

awk '
  BEGIN {
    target["ar"] = 1; target["ou"] = 1; target["kalman-fixed"] = 2; target["kalman-ml"] = 50
    printf "%-14s %12s %9s %14s %16s %9s %8s\n", "case", "C median ms", "min ms", "decision",
           "Python median ms", "Python/C", "target"
  }
  FNR == NR { py[$1] = $2; next }
  {
    ratio = ($1 in py) ? sprintf("%.1f", py[$1] / $2) : "-"
    pyms = ($1 in py) ? sprintf("%.3f", py[$1]) : "-"
    goal = ($1 in target) ? sprintf("< %d ms", target[$1]) : "-"
    printf "%-14s %12.4f %9.4f %14s %16s %9s %8s\n", $1, $2, $3, $5, pyms, ratio, goal
  }
  END {
    if ("kalman-fixed-sm" in py)
      printf "%-14s %12s %9s %14s %16.3f %9s %8s\n", "(kalman-fixed,", "statsmodels", "filter)", "",
             py["kalman-fixed-sm"], "", ""
  }
' "$WORK/python.txt" "$WORK/c.txt"

echo
echo "C: bourse_strategy_evaluate () whole (input checks, fit, metrics, levels), median of $RUNS runs"
echo "(kalman-ml: of $((RUNS / 10 > 5 ? RUNS / 10 : 5))). Python: the fit alone, median of $PY_RUNS runs or fewer (reference.py)."
