#!/usr/bin/env bash
# bench/http/run.sh — HTTP throughput and latency of boursed, side by side
# with a bare libsoup server (bench-bare-soup) on the same machine and run.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench/http/run.sh [BUILD_DIR]     (default: _build; this script builds nothing)
#
# Needs wrk. Loopback only, fixed durations: six runs of 5 s, each after a
# 1 s warm-up, about a minute in all with start-up and shutdown. The figures
# are reported, never asserted: these machines are shared and noisy, so read
# the ratios, which come from one run.
#
# boursed logs one line per request at level info, and logging has a cost, so
# it is measured twice: with the default level (what a deployment pays) and
# with BOURSE_LOG_LEVEL=warning (the serving path alone, comparable to the
# bare server, which logs nothing). stderr goes to a file in both cases.

set -euo pipefail

BUILD_DIR=${1:-_build}
THREADS=2
CONNECTIONS=50
DURATION=5s
WARMUP=1s
TARGET_PERCENT=80
START_TIMEOUT_S=15

BOURSED="$BUILD_DIR/src/daemon/boursed"
BARE="$BUILD_DIR/bench/http/bench-bare-soup"

die () { echo "run.sh: $*" >&2; exit 1; }

[[ -x "$BOURSED" ]] || die "$BOURSED not found: build first (ninja -C $BUILD_DIR)"
[[ -x "$BARE" ]] || die "$BARE not found: is bench/ wired into the build (subdir('bench'))?"
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bourse-bench-http.XXXXXX")
SERVER_PID=

stop_server () {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    # Bounded: a graceful stop, then a kill.
    for _ in $(seq 1 100); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}

cleanup () {
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# No developer configuration or BOURSE_* variable may leak into the run.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^BOURSE_' || true)
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/xdg-data"
mkdir -p "$XDG_CONFIG_HOME"

PORT=

# start_server NAME COMMAND…: runs it in the background and reads the port
# from its "Listening on http://127.0.0.1:PORT/" line.
start_server () {
  local name=$1; shift
  local out="$WORK/$name.out" err="$WORK/$name.err" line=

  "$@" >"$out" 2>"$err" &
  SERVER_PID=$!

  for _ in $(seq 1 $((START_TIMEOUT_S * 10))); do
    line=$(head -n 1 "$out" 2>/dev/null || true)
    [[ -n "$line" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done

  if [[ ! "$line" =~ ^Listening\ on\ http://127\.0\.0\.1:([0-9]+)/$ ]]; then
    echo "run.sh: $name did not start; its stderr:" >&2
    tail -n 20 "$err" >&2
    exit 1
  fi
  PORT=${BASH_REMATCH[1]}
}

# Latency as wrk prints it (123.45us, 1.23ms, 1.02s) → milliseconds.
to_ms () {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000
    else if (v ~ /ms$/) n = n
    else if (v ~ /[0-9]s$/) n *= 1000
    else if (v ~ /m$/) n *= 60000
    printf "%.3f", n
  }'
}

declare -a ROWS=()
declare -A RPS=()

# bench LABEL URL [WRK OPTION…]: a warm-up, then the measured run.
bench () {
  local label=$1 url=$2; shift 2
  local report="$WORK/wrk-${#ROWS[@]}.txt"
  local rps p50 p90 p99 errors

  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$@" "$url" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$report"

  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$report")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$report")")
  p90=$(to_ms "$(awk '$1 == "90%" { print $2 }' "$report")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$report")")

  # Socket errors (connect, read, write, timeout) and non-2xx answers. Read
  # errors are connections the server closed while wrk meant to reuse them.
  errors=$(awk '
    /Non-2xx or 3xx responses:/ { n += $NF }
    /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 }
    END { print n + 0 }' "$report")
  [[ "$errors" == 0 ]] || grep -E 'Non-2xx|Socket errors' "$report" | sed "s|^|  $label: |" >&2

  RPS["$label"]=$rps
  ROWS+=("$(printf '%-44s %9.0f %8s %8s %8s %8s' "$label" "$rps" "$p50" "$p90" "$p99" "$errors")")
  echo "  $label: $rps req/s" >&2
}

echo "Benchmarking on loopback: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency" \
     "(after a $WARMUP warm-up)" >&2

start_server boursed-info "$BOURSED" serve --port 0 --data-dir "$WORK/data-info"
bench "boursed /health (log level info)" "http://127.0.0.1:$PORT/health"
bench "boursed /api/v1/system/status (info)" "http://127.0.0.1:$PORT/api/v1/system/status"
stop_server

BOURSE_LOG_LEVEL=warning start_server boursed-warning \
  "$BOURSED" serve --port 0 --data-dir "$WORK/data-warning"
bench "boursed /health (log level warning)" "http://127.0.0.1:$PORT/health"
bench "boursed /api/v1/system/status (warning)" "http://127.0.0.1:$PORT/api/v1/system/status"
stop_server

start_server bare-soup "$BARE"
bench "bare libsoup /health" "http://127.0.0.1:$PORT/health"
# What a new connection per request costs, for comparison.
bench "bare libsoup /health (Connection: close)" "http://127.0.0.1:$PORT/health" -H "Connection: close"
stop_server

echo
printf '%-44s %9s %8s %8s %8s %8s\n' "endpoint" "req/s" "p50 ms" "p90 ms" "p99 ms" "errors"
printf '%s\n' "${ROWS[@]}"
echo

ratio () {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }'
}

BARE_RPS=${RPS["bare libsoup /health"]}
for level in warning info; do
  key="boursed /health (log level $level)"
  percent=$(ratio "${RPS[$key]}" "$BARE_RPS")
  verdict=$(awk -v p="$percent" -v t="$TARGET_PERCENT" 'BEGIN { print (p >= t ? "meets" : "below") }')
  printf 'boursed/bare for /health, log level %-7s: %5s %%  (%s the target of >= %s %%)\n' \
    "$level" "$percent" "$verdict" "$TARGET_PERCENT"
done
echo "The target applies to the serving path (log level warning); info adds one log line per request."

# Wall-clock ratios swing by tens of percent on a shared 2-core machine,
# with wrk competing for the same cores. Instructions per request, counted
# by callgrind over a window that starts after start-up, repeat exactly.
if ! command -v valgrind >/dev/null || ! command -v callgrind_control >/dev/null; then
  echo "valgrind is not installed: no instruction counts."
  exit 0
fi

# instructions NAME URL COMMAND…: prints instructions per request.
instructions () {
  local name=$1 url=$2; shift 2
  local out="$WORK/$name.callgrind" requests total

  START_TIMEOUT_S=30 start_server "$name" valgrind --tool=callgrind --callgrind-out-file="$out" "$@"
  url=${url/PORT/$PORT}
  wrk -t1 -c4 -d1s "$url" >/dev/null 2>&1 || true
  callgrind_control -z "$SERVER_PID" >/dev/null 2>&1
  requests=$(wrk -t1 -c4 -d5s "$url" | awk '/requests in/ { print $1 }')
  callgrind_control -d "$SERVER_PID" >/dev/null 2>&1
  total=$(cat "$out".* 2>/dev/null | awk '/^totals:|^summary:/ { sum += $2 } END { print sum + 0 }')
  stop_server
  awk -v t="$total" -v r="$requests" 'BEGIN { printf "%.0f", (r > 0 ? t / r : 0) }'
}

echo
BOURSED_IR=$(BOURSE_LOG_LEVEL=warning instructions boursed-callgrind "http://127.0.0.1:PORT/health" \
               "$BOURSED" serve --port 0 --data-dir "$WORK/data-callgrind")
BARE_IR=$(instructions bare-callgrind "http://127.0.0.1:PORT/health" "$BARE")
printf 'instructions per /health request: boursed %s, bare libsoup %s; bare/boursed = %s %%\n' \
  "$BOURSED_IR" "$BARE_IR" "$(ratio "$BARE_IR" "$BOURSED_IR")"
