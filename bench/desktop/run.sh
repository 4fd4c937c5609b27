#!/usr/bin/env bash
# bench/desktop/run.sh — the console's cold start to its first painted frame
# on the built-in engine with 90 days of history, and the main loop's stalls
# while the engine back-fills, imports and runs a backtest (README.md says
# what is measured and what it means).
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench/desktop/run.sh [BUILD_DIR] [RUNS]   (default: _build, 10; this script builds nothing)
#        BEFORE=OTHER_BUILD_DIR SETTLE_S=3 bench/desktop/run.sh …   (cold starts alternate the two
#        builds' bourse on the same data; the stalls counted to SETTLE_S after the engine's frame)
#
# Runs under a private Xvfb and D-Bus session, with the cairo renderer as
# the GUI tests (these machines have no GPU; GSK_RENDERER=gl to compare).
# The probe is src/app/bourse-probe.c (BOURSE_PROBE_FRAMES). About two
# minutes, most of it the 90 days' back-fill. Figures are reported, never
# asserted.
#
# 1. A fresh data directory with an administrator (boursed user add), and
#    `bourse --data-dir` on it: the simulated market back-fills 90 days
#    while the window is up (the first start of a new console): the first
#    5 s after the engine is up (the pages' first loads, with the back-fill
#    going on), then the rest of the back-fill. Then, in the same window:
#    5 s of nothing (the baseline); the import of 90 days
#    of one-minute candles (bench-market-gen-candles, 129,600 rows) into a
#    new instrument (POST /api/v1/market/import); a backtest of SMA(50) ×
#    SMA(200) over the 90 days of BTCUSDT's minutes with the Backtests page
#    shown (POST /api/v1/backtests, to its end). Each stall is counted in
#    the phase during which the probe wrote it.
# 2. RUNS cold starts of `bourse --data-dir` on that directory (history made
#    beforehand, as every start after the first): the process's start to
#    the window's first painted frame, to the engine being up, and to the
#    first frame after that; median, minimum and maximum. Each run quits
#    through app.quit once its engine's frame is painted.

set -euo pipefail

BUILD_DIR=${1:-_build}
RUNS=${2:-10}
SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)

die () { echo "run.sh: $*" >&2; exit 1; }

# shellcheck source=../../build-aux/console-session.sh
. "$SRC_DIR/build-aux/console-session.sh"
# Everything below runs on a display and a session bus of its own.
session_enter BOURSE_BENCH_DESKTOP_INNER "$BUILD_DIR" "$RUNS"

WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/bourse-bench-desktop.XXXXXX")
session_init
GEN="$BUILD_DIR/bench/market/bench-market-gen-candles"
[[ -x "$GEN" ]] || die "$GEN not found: is bench/market wired into the build?"

# The probe's lines so far: a phase's stalls are the lines written during it.
mark () { wc -l <"$PROBE"; }
declare -a PHASES=()
phase_end () {  # NAME START_LINE START_SECONDS
  local seconds=$((SECONDS - $3))
  sleep 2  # what the last events started in the window
  PHASES+=("$1 $2 $(mark) $seconds")
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
DATA="$WORK/data"
session_admin "$DATA"

# --- 1. stalls: back-fill, idle, import, backtest ------------------------------------------

PROBE="$WORK/stalls.txt"
echo "Starting the console on a new data directory (the simulated market back-fills 90 days)…" >&2
session_start "$PROBE" "$DATA"
session_sign_in "$PROBE"

# The window's first loads (every page asks for its data) come first.
start=$(mark); t0=$SECONDS
sleep 3
phase_end "first-load" "$start" "$t0"

start=$(mark); t0=$SECONDS
session_wait_live
BACKFILL_S=$((SECONDS - t0))
BACKFILLED=$(session_api GET system/status | json 'sum(f.get("backfilled", 0) for f in d["market"]["feeds"])')
phase_end "back-fill" "$start" "$t0"
echo "  back-fill: ${BACKFILL_S} s more after the first loads, $BACKFILLED candles" >&2

start=$(mark); t0=$SECONDS
sleep 5
phase_end "idle" "$start" "$t0"

echo "Importing 90 days of one-minute candles…" >&2
"$GEN" 129600 "$WORK/klines.csv" /dev/null
session_api POST instruments -H 'Content-Type: application/json' \
  -d '{"symbol":"BENCHUSDT","base_asset":"BENCH","quote_asset":"USDT","tick_size":"0.01","lot_step":"0.00001"}' >/dev/null
start=$(mark); t0=$SECONDS
IMPORTED=$(session_api POST 'market/import?symbol=BENCHUSDT&interval=1m' -H 'Content-Type: text/csv' \
  --data-binary "@$WORK/klines.csv" | json 'd["rows"]')
echo "  import: $IMPORTED rows in $((SECONDS - t0)) s" >&2
phase_end "import" "$start" "$t0"

echo "Running a backtest over 90 days of minutes…" >&2
session_action show-page "<'backtests'>"
sleep 2
END_ISO=$(date -u -d '-5 minutes' +%Y-%m-%dT%H:%M:00Z)
START_ISO=$(date -u -d '-89 days' +%Y-%m-%dT%H:%M:00Z)
start=$(mark); t0=$SECONDS
BACKTEST=$(session_api POST backtests -H 'Content-Type: application/json' \
  -d "{\"strategy\":\"sma-cross\",\"symbol\":\"BTCUSDT\",\"interval\":\"1m\",\"params\":{\"fast\":50,\"slow\":200},\"start\":\"$START_ISO\",\"end\":\"$END_ISO\"}" |
  json 'd["backtest"]["id"]')
until session_api GET "backtests/$BACKTEST" | json 'd["status"]' | grep -qv 'queued\|running'; do
  (( SECONDS - t0 < SESSION_DEADLINE_S )) || die "the backtest did not end"
  sleep 0.1
done
BACKTEST_STATUS=$(session_api GET "backtests/$BACKTEST" | json 'd["status"]')
echo "  backtest: $BACKTEST_STATUS in $((SECONDS - t0)) s" >&2
phase_end "backtest" "$start" "$t0"

session_stop
STALL_PROBE=$PROBE

# --- 2. cold starts with the history ----------------------------------------------------------

declare -a FIRST=() ENGINE=() ENGINE_FRAME=() MAIN=()
AFTER_BOURSE=$BOURSE
for run in $(seq 1 "$RUNS"); do
  # BEFORE=DIR: DIR's bourse first, then this build's, on the same data: a
  # change's figures under the same load (the machine's moves more).
  for side in ${BEFORE:+before} after; do
    PROBE="$WORK/start-$run${BEFORE:+-$side}.txt"
    if [[ $side == before ]]; then BOURSE="$BEFORE/src/app/bourse"; else BOURSE=$AFTER_BOURSE; fi
    session_start "$PROBE" "$DATA"
    session_wait "$PROBE" '^engine-frame '
    sleep "${SETTLE_S:-1}"  # the pages' first answers, before asking it to quit
    session_stop
    [[ $side == after ]] || continue
    value () { awk -v e="$1" '$1 == e { print $2; exit }' "$PROBE"; }
    MAIN+=("$(value main)"); FIRST+=("$(value first-frame)")
    ENGINE+=("$(value engine)"); ENGINE_FRAME+=("$(value engine-frame)")
    echo "  start $run: main ${MAIN[-1]} ms, first frame ${FIRST[-1]} ms," \
         "engine ${ENGINE[-1]} ms, its frame ${ENGINE_FRAME[-1]} ms" >&2
  done
done

# --- report ----------------------------------------------------------------------------------

stats () {  # values… → "median (min–max)"
  printf '%s\n' "$@" | sort -n |
    awk '{ v[NR] = $1 } END { printf "%.0f ms (%.0f–%.0f)", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

echo
echo "$(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) × $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)," \
     "GSK_RENDERER=$GSK_RENDERER GDK_DEBUG=$GDK_DEBUG, load average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after"
echo "Cold start with 90 days of history, $RUNS runs: median (min–max) since the process started"
echo "  main ():                    $(stats "${MAIN[@]}")"
echo "  first painted frame:        $(stats "${FIRST[@]}")   (goal < 400 ms)"
echo "  engine up:                  $(stats "${ENGINE[@]}")"
echo "  first frame with the engine: $(stats "${ENGINE_FRAME[@]}")"
echo "Main-loop stalls over 50 ms (goal: none), first run ($BACKFILLED candles back-filled, $IMPORTED imported, backtest $BACKTEST_STATUS):"
for phase in "${PHASES[@]}"; do
  read -r name from to seconds <<<"$phase"
  awk -v from="$from" -v to="$to" -v name="$name" -v s="$seconds" '
    NR <= from || NR > to { next }
    $1 == "stall" { n++; total += $3; if ($3 > max) max = $3; list = list sprintf(" %.0f", $3) }
    $1 == "frame" { f++; if ($3 > fmax) fmax = $3 }
    END { printf "  %-10s %3d s: %d stalls, longest %.0f ms, %.0f ms in all; %d frames over 50 ms (longest %.0f ms)%s\n",
                 name, s, n, max, total, f, fmax, n ? " —" list : "" }' "$STALL_PROBE"
done
echo "Cold starts' own stalls, to ${SETTLE_S:-1} s after the engine's first frame (run: count, longest, in all):"
for run in $(seq 1 "$RUNS"); do
  for side in ${BEFORE:+before} after; do
    awk -v r="$run${BEFORE:+ $side}" '$1 == "stall" { n++; t += $3; if ($3 > max) max = $3 }
      END { printf "  %s: %d, %.0f ms, %.0f ms\n", r, n, max, t }' "$WORK/start-$run${BEFORE:+-$side}.txt"
  done
done
if [[ -n "${BEFORE:-}" ]]; then
  for side in before after; do
    cat "$WORK"/start-*-"$side".txt | awk -v s="$side" -v r="$RUNS" '$1 == "stall" { n++; t += $3; if ($3 > max) max = $3 }
      END { printf "  %s, %d starts: %d stalls, %.0f ms in all, the longest %.0f ms\n", s, r, n, t, max }'
  done
fi
if [[ -n "${KEEP_PROBES:-}" ]]; then
  mkdir -p "$KEEP_PROBES" && cp "$WORK"/*.txt "$KEEP_PROBES"/
  echo "Probe files copied to $KEEP_PROBES"
fi
