#!/usr/bin/env bash
# bench/market/run.sh — CSV import of candles against the sqlite3 command
# line's .import of the same rows, and GET /api/v1/market/candles latency.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench/market/run.sh [BUILD_DIR] [N]   (default: _build, 1000000; this script builds nothing)
#        MEMORY_SIZES="1000000 5000000" bench/market/run.sh …   (the sizes of step 5; default N and 5 × N)
#
# Needs sqlite3 and curl. Figures are reported, never asserted: the machines
# are shared and noisy, so each import runs RUNS times and the median counts.
#
# 1. N one-minute candles as a Binance kline file (bench-market-gen-candles).
# 2. `boursed market import FILE --symbol BTCUSDT --interval 1m` into a fresh
#    data directory: the code path of POST /api/v1/market/import (parse,
#    check, write, derive 3m … 1M, audit, one transaction). Its debug log
#    gives the phases. Then the same file again (nothing changes).
# 3. The same rows as the candles table's own columns, loaded by the sqlite3
#    command line's .import into a fresh database made by the migration that
#    makes Bourse's (src/core/migrations/0003-market.sql): the same table.
# 4. boursed serve on the data directory of step 2, and GET
#    /api/v1/market/candles/BTCUSDT?interval=1m&limit=5000 REQUESTS times
#    over one kept-alive connection (curl), after a warm-up: median and p95.
# 5. The peak resident set (wait4's ru_maxrss, bench-market-peak-rss) of
#    `boursed market import` of each of MEMORY_SIZES candles into a fresh
#    data directory: it must not grow with the file.

set -euo pipefail

BUILD_DIR=${1:-_build}
N=${2:-1000000}
RUNS=3
REQUESTS=200
WARMUP=20
START_TIMEOUT_S=15
SRC_DIR=$(cd "$(dirname "$0")/../.." && pwd)

BOURSED="$BUILD_DIR/src/daemon/boursed"
GEN="$BUILD_DIR/bench/market/bench-market-gen-candles"
PEAK_RSS="$BUILD_DIR/bench/market/bench-market-peak-rss"
MEMORY_SIZES=${MEMORY_SIZES:-"$N $((N * 5))"}
MIGRATION="$SRC_DIR/src/core/migrations/0003-market.sql"

die () { echo "run.sh: $*" >&2; exit 1; }

[[ -x "$BOURSED" ]] || die "$BOURSED not found: build first (ninja -C $BUILD_DIR)"
[[ -x "$GEN" ]] || die "$GEN not found: is bench/market wired into the build?"
[[ -x "$PEAK_RSS" ]] || die "$PEAK_RSS not found: build it (ninja -C $BUILD_DIR bench/market/bench-market-peak-rss)"
command -v sqlite3 >/dev/null || die "sqlite3 is not installed (apt-get install sqlite3)"
command -v curl >/dev/null || die "curl is not installed"

WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/bourse-bench-market.XXXXXX")
SERVER_PID=

stop_server () {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
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
export BOURSE_AUTH_SECRETS_BACKEND=file LC_ALL=C.UTF-8
mkdir -p "$XDG_CONFIG_HOME"

# timed FILE COMMAND…: runs it; FILE gets "wall user+sys" seconds. CPU time
# is less disturbed than the wall clock by whatever else shares the cores.
TIMEFORMAT='%R %U %S'
timed () {
  local file=$1; shift
  exec 3>&2
  { time "$@" 2>&3 ; } 2>"$file.time"
  exec 3>&-
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$file.time" >"$file"
}
median () { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# The peak RSS that bench-market-peak-rss wrote into FILE, in MiB.
peak_mib () { awk '$1 == "peak_rss_kib" { printf "%.1f", $2 / 1024 }' "$1"; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "Generating $N one-minute candles…" >&2
"$GEN" "$N" "$WORK/klines.csv" "$WORK/rows.csv"
echo "  $(du -h "$WORK/klines.csv" | cut -f1) Binance CSV, $(du -h "$WORK/rows.csv" | cut -f1) of table rows" >&2

# --- boursed market import ------------------------------------------------------------------

declare -a IMPORT_S=() IMPORT_CPU=()
for run in $(seq 1 "$RUNS"); do
  data="$WORK/data-$run"
  # The store and its first admin exist before the clock starts, as on a real server.
  echo "correct horse battery staple" |
    BOURSE_LOG_LEVEL=warning "$BOURSED" user add admin --role admin --password-stdin --data-dir "$data" >/dev/null
  sync
  BOURSE_LOG_FORMAT=text timed "$WORK/import-$run.t" "$PEAK_RSS" "$BOURSED" market import "$WORK/klines.csv" \
    --symbol BTCUSDT --interval 1m --data-dir "$data" --log-level debug \
    >"$WORK/import-$run.out" 2>"$WORK/import-$run.err"
  read -r wall cpu <"$WORK/import-$run.t"
  IMPORT_S+=("$wall")
  IMPORT_CPU+=("$cpu")
  echo "  import run $run: $wall s ($cpu s CPU), peak RSS $(peak_mib "$WORK/import-$run.err") MiB" \
       "— $(cat "$WORK/import-$run.out")" >&2
  grep -h 'bourse-market' "$WORK/import-$run.err" | sed 's/^.*bourse-market: /      /' >&2 || true
  [[ $run == 1 ]] || rm -rf "$data"
done
IMPORT_MEDIAN=$(printf '%s\n' "${IMPORT_S[@]}" | median)
IMPORT_CPU_MEDIAN=$(printf '%s\n' "${IMPORT_CPU[@]}" | median)

BOURSE_LOG_LEVEL=warning timed "$WORK/reimport.t" "$BOURSED" market import "$WORK/klines.csv" \
  --symbol BTCUSDT --interval 1m --data-dir "$WORK/data-1" >"$WORK/reimport.out"
read -r REIMPORT_S _ <"$WORK/reimport.t"
echo "  re-import: $REIMPORT_S s — $(cat "$WORK/reimport.out")" >&2

# --- sqlite3 .import of the same rows into the same table --------------------------------

declare -a CLI_S=() CLI_CPU=()
for run in $(seq 1 "$RUNS"); do
  db="$WORK/cli-$run.db"
  sqlite3 "$db" <"$MIGRATION"
  sync
  timed "$WORK/cli-$run.t" sqlite3 "$db" -cmd ".mode csv" ".import $WORK/rows.csv candles"
  read -r wall cpu <"$WORK/cli-$run.t"
  CLI_S+=("$wall")
  CLI_CPU+=("$cpu")
  rows=$(sqlite3 "$db" "SELECT count(*) FROM candles")
  [[ "$rows" == "$N" ]] || die "sqlite3 .import loaded $rows rows, not $N"
  echo "  sqlite3 .import run $run: $wall s ($cpu s CPU)" >&2
  rm -f "$db"
done
CLI_MEDIAN=$(printf '%s\n' "${CLI_S[@]}" | median)
CLI_CPU_MEDIAN=$(printf '%s\n' "${CLI_CPU[@]}" | median)

# The two tables hold the same minutes (the import also derives 3m … 1M).
sqlite3 "$WORK/cli-check.db" <"$MIGRATION"
sqlite3 "$WORK/cli-check.db" -cmd ".mode csv" ".import $WORK/rows.csv candles"
diff_rows=$(sqlite3 "$WORK/data-1/bourse.db" "ATTACH '$WORK/cli-check.db' AS cli;
  SELECT count(*) FROM (SELECT open_time, open, high, low, close, volume, trades FROM main.candles
                        WHERE interval = '1m'
                        EXCEPT SELECT open_time, open, high, low, close, volume, trades FROM cli.candles)")
[[ "$diff_rows" == 0 ]] || die "the import and sqlite3 .import differ in $diff_rows rows"

# --- GET /api/v1/market/candles?limit=5000 --------------------------------------------------

out="$WORK/serve.out"
# No simulated market: its back-fill at the first start would compete with the requests.
BOURSE_LOG_LEVEL=warning BOURSE_RATE_LIMIT_ENABLED=false BOURSE_SIMULATED_ENABLED=false \
  "$BOURSED" serve --port 0 --data-dir "$WORK/data-1" >"$out" 2>"$WORK/serve.err" &
SERVER_PID=$!
line=
for _ in $(seq 1 $((START_TIMEOUT_S * 10))); do
  line=$(head -n 1 "$out" 2>/dev/null || true)
  [[ -n "$line" ]] && break
  sleep 0.1
done
[[ "$line" =~ ^Listening\ on\ (http://127\.0\.0\.1:[0-9]+/)$ ]] || die "boursed serve did not start: $(tail -n 5 "$WORK/serve.err")"
BASE=${BASH_REMATCH[1]}

TOKEN=$(curl -sf -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"correct horse battery staple"}' "${BASE}api/v1/auth/login" |
  sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[[ -n "$TOKEN" ]] || die "could not sign in"

# Pages across the whole history, one connection, one curl.
config="$WORK/curl.conf"
: >"$config"
for i in $(seq 0 $((WARMUP + REQUESTS - 1))); do
  start_ms=$((1577836800000 + (i * 5000 % (N - 5000 + 1)) * 60000))
  printf 'url = "%sapi/v1/market/candles/BTCUSDT?interval=1m&limit=5000&start=%s"\noutput = "/dev/null"\n' \
    "$BASE" "$start_ms" >>"$config"
done
curl -s -H "Authorization: Bearer $TOKEN" -K "$config" \
  -w '%{http_code} %{time_total} %{size_download}\n' >"$WORK/latency.txt"
stop_server

bad=$(awk '$1 != 200' "$WORK/latency.txt" | wc -l)
[[ "$bad" == 0 ]] || die "$bad requests did not answer 200"
BYTES=$(awk 'NR == 1 { print $3 }' "$WORK/latency.txt")
tail -n "$REQUESTS" "$WORK/latency.txt" | awk '{ print $2 * 1000 }' | sort -n >"$WORK/latency-ms.txt"
P50=$(awk '{ v[NR] = $1 } END { printf "%.1f", v[int(NR * 0.50 + 0.5)] }' "$WORK/latency-ms.txt")
P95=$(awk '{ v[NR] = $1 } END { printf "%.1f", v[int(NR * 0.95 + 0.5)] }' "$WORK/latency-ms.txt")
MAX=$(tail -n 1 "$WORK/latency-ms.txt")

# --- peak memory of the import, by size -------------------------------------------------------

declare -a MEMORY_REPORT=()
for size in $MEMORY_SIZES; do
  file="$WORK/klines-$size.csv"
  if [[ "$size" == "$N" ]]; then
    file="$WORK/klines.csv"
  else
    echo "Generating $size one-minute candles…" >&2
    "$GEN" "$size" "$file" /dev/null
  fi
  data="$WORK/memory-$size"
  BOURSE_LOG_LEVEL=warning timed "$WORK/memory-$size.t" "$PEAK_RSS" "$BOURSED" market import "$file" \
    --symbol BTCUSDT --interval 1m --data-dir "$data" >"$WORK/memory-$size.out" 2>"$WORK/memory-$size.err"
  read -r wall _ <"$WORK/memory-$size.t"
  bytes=$(stat -c %s "$file")
  MEMORY_REPORT+=("$(printf 'boursed market import, %s candles (%s MB file): peak RSS %s MiB, %s s' \
    "$size" "$((bytes / 1000000))" "$(peak_mib "$WORK/memory-$size.err")" "$wall")")
  echo "  ${MEMORY_REPORT[-1]}" >&2
  [[ "$size" == "$N" ]] || rm -f "$file"
  rm -rf "$data"
done

# --- report ----------------------------------------------------------------------------------

echo
echo "$(date -u +%Y-%m-%d) on $(nproc) × $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)," \
     "sqlite $(sqlite3 --version | cut -d' ' -f1), load average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after"
rate () { awk -v n="$N" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
printf 'boursed market import, %s candles (median of %s): %s s = %s candles/s (target >= 500000); CPU %s s = %s candles/CPU-s\n' \
  "$N" "$RUNS" "$IMPORT_MEDIAN" "$(rate "$IMPORT_MEDIAN")" "$IMPORT_CPU_MEDIAN" "$(rate "$IMPORT_CPU_MEDIAN")"
printf 'sqlite3 .import of the same rows (median of %s): %s s = %s rows/s; CPU %s s\n' \
  "$RUNS" "$CLI_MEDIAN" "$(rate "$CLI_MEDIAN")" "$CLI_CPU_MEDIAN"
printf 'import / sqlite3 .import: %s wall, %s CPU (target <= 2)\n' \
  "$(awk -v a="$IMPORT_MEDIAN" -v b="$CLI_MEDIAN" 'BEGIN { printf "%.2f", a / b }')" \
  "$(awk -v a="$IMPORT_CPU_MEDIAN" -v b="$CLI_CPU_MEDIAN" 'BEGIN { printf "%.2f", a / b }')"
printf 're-import of the same file (nothing changes): %s s\n' "$REIMPORT_S"
printf 'GET /api/v1/market/candles limit=5000 (%s bytes), %s requests: median %s ms, p95 %s ms, max %s ms (target < 20 ms)\n' \
  "$BYTES" "$REQUESTS" "$P50" "$P95" "$MAX"
printf '%s\n' "${MEMORY_REPORT[@]}"
