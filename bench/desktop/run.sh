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
#
# Runs under a private Xvfb and D-Bus session, with the cairo renderer as
# the GUI tests (these machines have no GPU; GSK_RENDERER=gl to compare).
# The probe is src/app/bourse-probe.c (BOURSE_PROBE_FRAMES). About two
# minutes, most of it the 90 days' back-fill. Figures are reported, never
# asserted.
#
# 1. A fresh data directory with an administrator (boursed user add), and
#    `bourse --data-dir` on it: the simulated market back-fills 90 days
#    while the window is up (the first start of a new console). Then, in
#    the same window: 5 s of nothing (the baseline); the import of 90 days
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
PASSWORD="correct horse battery staple"
DEADLINE_S=300

die () { echo "run.sh: $*" >&2; exit 1; }

BOURSE="$BUILD_DIR/src/app/bourse"
BOURSED="$BUILD_DIR/src/daemon/boursed"
GEN="$BUILD_DIR/bench/market/bench-market-gen-candles"

[[ -x "$BOURSE" ]] || die "$BOURSE not found: build first (ninja -C $BUILD_DIR)"
[[ -x "$BOURSED" ]] || die "$BOURSED not found: build first (ninja -C $BUILD_DIR)"
[[ -x "$GEN" ]] || die "$GEN not found: is bench/market wired into the build?"
for tool in xvfb-run dbus-run-session gdbus curl python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

# Everything below runs on a display and a session bus of its own.
if [[ -z "${BOURSE_BENCH_DESKTOP_INNER:-}" ]]; then
  export BOURSE_BENCH_DESKTOP_INNER=1
  exec xvfb-run -a -s '-screen 0 1600x1000x24' dbus-run-session -- "$0" "$BUILD_DIR" "$RUNS"
fi

WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/bourse-bench-desktop.XXXXXX")
APP_PID=

# The application id and its object path (a development build is .Devel).
APP_ID=$(sed -n 's/^#define APPLICATION_ID "\(.*\)"$/\1/p' "$BUILD_DIR/config.h")
APP_PATH="/${APP_ID//./\/}"

stop_app () {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    gdbus call --session --dest "$APP_ID" --object-path "$APP_PATH" \
      --method org.freedesktop.Application.ActivateAction quit '[]' '{}' >/dev/null 2>&1 || true
    for _ in $(seq 1 300); do
      kill -0 "$APP_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -TERM "$APP_PID" 2>/dev/null || true
  fi
  [[ -z "$APP_PID" ]] || wait "$APP_PID" 2>/dev/null || true
  APP_PID=
}

cleanup () {
  stop_app
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# No developer configuration, BOURSE_* variable or setting may leak into the run.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^BOURSE_' || true)
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/xdg-data" XDG_CACHE_HOME="$WORK/cache"
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$BUILD_DIR/data"
export GTK_A11Y=none NO_AT_BRIDGE=1 LC_ALL=C.UTF-8
# As bench/chart: no GPU here, so no GL (GDK_DEBUG= to let GTK probe Mesa's software GL).
export GSK_RENDERER=${GSK_RENDERER:-cairo} GDK_DEBUG=${GDK_DEBUG-gl-disable}
export BOURSE_AUTH_SECRETS_BACKEND=file BOURSE_RATE_LIMIT_ENABLED=false BOURSE_LOG_LEVEL=warning
mkdir -p "$XDG_CONFIG_HOME"

# wait_for FILE PATTERN: until a line of the probe's FILE matches.
wait_for () {
  local deadline=$((SECONDS + DEADLINE_S))
  until grep -q "$2" "$1" 2>/dev/null; do
    (( SECONDS < deadline )) || die "no '$2' in $1 after ${DEADLINE_S} s"
    kill -0 "$APP_PID" 2>/dev/null || die "bourse ended before '$2' ($(tail -n 3 "$WORK/app.err"))"
    sleep 0.05
  done
}

# start_app PROBE_FILE DATA_DIR
start_app () {
  BOURSE_PROBE_FRAMES="$1" "$BOURSE" --data-dir "$2" >>"$WORK/app.out" 2>>"$WORK/app.err" &
  APP_PID=$!
}

json () { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }

# api METHOD PATH [curl options…]: the answer's body; fails on an HTTP error.
api () {
  local method=$1 path=$2; shift 2
  curl -sf -X "$method" -H "Authorization: Bearer $TOKEN" "$@" "${BASE}api/v1/$path"
}

show_page () {
  gdbus call --session --dest "$APP_ID" --object-path "$APP_PATH" \
    --method org.freedesktop.Application.ActivateAction show-page "[<'$1'>]" '{}' >/dev/null
}

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
echo "$PASSWORD" | "$BOURSED" user add admin --role admin --password-stdin --data-dir "$DATA" >/dev/null

# --- 1. stalls: back-fill, idle, import, backtest ------------------------------------------

PROBE="$WORK/stalls.txt"
echo "Starting the console on a new data directory (the simulated market back-fills 90 days)…" >&2
start_app "$PROBE" "$DATA"
wait_for "$PROBE" '^engine '
BASE=$(awk '$1 == "engine" { print $3; exit }' "$PROBE")
TOKEN=$(curl -sf -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" "${BASE}api/v1/auth/login" | json 'd["access_token"]')

start=$(mark); t0=$SECONDS
until api GET system/status | json '" ".join(f["state"] for f in d["market"]["feeds"])' | grep -qv backfilling; do
  (( SECONDS - t0 < DEADLINE_S )) || die "the simulated market did not end its back-fill"
  sleep 0.2
done
BACKFILL_S=$((SECONDS - t0))
BACKFILLED=$(api GET system/status | json 'sum(f.get("backfilled", 0) for f in d["market"]["feeds"])')
phase_end "back-fill" "$start" "$t0"
echo "  back-fill: ${BACKFILL_S} s after the engine was up, $BACKFILLED candles" >&2

start=$(mark); t0=$SECONDS
sleep 5
phase_end "idle" "$start" "$t0"

echo "Importing 90 days of one-minute candles…" >&2
"$GEN" 129600 "$WORK/klines.csv" /dev/null
api POST instruments -H 'Content-Type: application/json' \
  -d '{"symbol":"BENCHUSDT","base_asset":"BENCH","quote_asset":"USDT","tick_size":"0.01","lot_step":"0.00001"}' >/dev/null
start=$(mark); t0=$SECONDS
IMPORTED=$(api POST 'market/import?symbol=BENCHUSDT&interval=1m' -H 'Content-Type: text/csv' \
  --data-binary "@$WORK/klines.csv" | json 'd["rows"]')
echo "  import: $IMPORTED rows in $((SECONDS - t0)) s" >&2
phase_end "import" "$start" "$t0"

echo "Running a backtest over 90 days of minutes…" >&2
show_page backtests
sleep 2
END_ISO=$(date -u -d '-5 minutes' +%Y-%m-%dT%H:%M:00Z)
START_ISO=$(date -u -d '-89 days' +%Y-%m-%dT%H:%M:00Z)
start=$(mark); t0=$SECONDS
BACKTEST=$(api POST backtests -H 'Content-Type: application/json' \
  -d "{\"strategy\":\"sma-cross\",\"symbol\":\"BTCUSDT\",\"interval\":\"1m\",\"params\":{\"fast\":50,\"slow\":200},\"start\":\"$START_ISO\",\"end\":\"$END_ISO\"}" |
  json 'd["backtest"]["id"]')
until api GET "backtests/$BACKTEST" | json 'd["status"]' | grep -qv 'queued\|running'; do
  (( SECONDS - t0 < DEADLINE_S )) || die "the backtest did not end"
  sleep 0.1
done
BACKTEST_STATUS=$(api GET "backtests/$BACKTEST" | json 'd["status"]')
echo "  backtest: $BACKTEST_STATUS in $((SECONDS - t0)) s" >&2
phase_end "backtest" "$start" "$t0"

stop_app
STALL_PROBE=$PROBE

# --- 2. cold starts with the history ----------------------------------------------------------

declare -a FIRST=() ENGINE=() ENGINE_FRAME=() MAIN=()
for run in $(seq 1 "$RUNS"); do
  PROBE="$WORK/start-$run.txt"
  start_app "$PROBE" "$DATA"
  wait_for "$PROBE" '^engine-frame '
  sleep 1  # the pages' first answers, before asking it to quit
  stop_app
  value () { awk -v e="$1" '$1 == e { print $2; exit }' "$PROBE"; }
  MAIN+=("$(value main)"); FIRST+=("$(value first-frame)")
  ENGINE+=("$(value engine)"); ENGINE_FRAME+=("$(value engine-frame)")
  echo "  start $run: main ${MAIN[-1]} ms, first frame ${FIRST[-1]} ms," \
       "engine ${ENGINE[-1]} ms, its frame ${ENGINE_FRAME[-1]} ms" >&2
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
  sed -n "$((from + 1)),${to}p" "$STALL_PROBE" | awk -v name="$name" -v s="$seconds" '
    $1 == "stall" { n++; total += $3; if ($3 > max) max = $3; list = list sprintf(" %.0f", $3) }
    $1 == "frame" { f++; if ($3 > fmax) fmax = $3 }
    END { printf "  %-10s %3d s: %d stalls, longest %.0f ms, %.0f ms in all; %d frames over 50 ms (longest %.0f ms)%s\n",
                 name, s, n, max, total, f, fmax, n ? " —" list : "" }'
done
echo "Cold starts' own stalls after their first frame (run: count, longest):"
for run in $(seq 1 "$RUNS"); do
  awk -v r="$run" '$1 == "stall" { n++; if ($3 > max) max = $3 } END { printf "  %s: %d, %.0f ms\n", r, n, max }' \
    "$WORK/start-$run.txt"
done
if [[ -n "${KEEP_PROBES:-}" ]]; then
  mkdir -p "$KEEP_PROBES" && cp "$WORK"/*.txt "$KEEP_PROBES"/
  echo "Probe files copied to $KEEP_PROBES"
fi
