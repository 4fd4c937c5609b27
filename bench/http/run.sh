#!/usr/bin/env bash
# bench/http/run.sh — the speed of the API from outside: boursed, a bare
# libsoup server (bench-bare-soup) and the seeds' stack (FastAPI + uvicorn +
# PyJWT + sqlite3, bench/http/fastapi_service.py) side by side, interleaved
# in one run, on the real authenticated path; then a WebSocket burst.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench/http/run.sh [BUILD_DIR]     (default: _build; this script builds nothing)
#
# Environment: BENCH_ROUNDS (3), BENCH_DURATION (4s), BENCH_CONNECTIONS (50),
# BENCH_WS_CLIENTS (10000), BENCH_CALLGRIND (1; 0 skips the instruction
# counts), BENCH_PYTHON (a python3 that has fastapi, uvicorn and jwt).
#
# Needs wrk and curl. Every server runs at once, each idle while another
# is measured; every round measures every server on every route, so a
# noisy minute on this shared machine hits all of them alike. The medians
# of the rounds are reported, with their ratios. Nothing is asserted: the
# figures are reported (DESIGN.md §10). See bench/http/README.md.
#
# boursed runs twice: at the default log level (info, one access-log line
# per request: what a deployment pays) and at warning (the serving path
# alone). Its simulated market is off and the candles are a fixed file
# imported before the start, so no backfill runs while it is measured.

set -euo pipefail

BUILD_DIR=${1:-_build}
HERE=$(cd "$(dirname "$0")" && pwd)
THREADS=2
CONNECTIONS=${BENCH_CONNECTIONS:-50}
DURATION=${BENCH_DURATION:-4s}
WARMUP=1s
ROUNDS=${BENCH_ROUNDS:-3}
WS_CLIENTS=${BENCH_WS_CLIENTS:-10000}
START_TIMEOUT_S=20
SYMBOL=BENCHUSDT
N_CANDLES=100
PASSWORD=bench-password-not-secret

BOURSED="$BUILD_DIR/src/daemon/boursed"
BARE="$BUILD_DIR/bench/http/bench-bare-soup"

die () { echo "run.sh: $*" >&2; exit 1; }

[[ -x "$BOURSED" ]] || die "$BOURSED not found: build first (ninja -C $BUILD_DIR)"
[[ -x "$BARE" ]] || die "$BARE not found: is bench/ wired into the build (subdir('bench'))?"
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
command -v curl >/dev/null || die "curl is not installed (apt-get install curl)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bourse-bench-http.XXXXXX")
declare -A PIDS=() PORTS=()

stop_server () {
  local name=$1 pid=${PIDS[$1]:-}

  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    # Bounded: a graceful stop, then a kill.
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  unset "PIDS[$name]"
}

cleanup () {
  local name
  for name in "${!PIDS[@]}"; do stop_server "$name"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# No developer configuration or BOURSE_* variable may leak into the run.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^BOURSE_' || true)
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/xdg-data"
mkdir -p "$XDG_CONFIG_HOME"
# A headless run: the signing key in a file, no simulated market, and rate
# limits far above what wrk sends (a 429 is not the path measured).
export BOURSE_AUTH_SECRETS_BACKEND=file BOURSE_SIMULATED_ENABLED=false
export BOURSE_RATE_LIMIT_MARKET_PER_MINUTE=1000000 BOURSE_RATE_LIMIT_DEFAULT_PER_MINUTE=1000000

# The seeds' stack: Debian's python3 when it has the packages, else a venv
# in the user's cache with them from PyPI, else Debian's packages (root).
python_has_stack () {
  "$1" -c 'import fastapi, uvicorn, jwt' 2>/dev/null
}

find_python () {
  local venv="${XDG_CACHE_HOME:-$HOME/.cache}/bourse-bench-http-venv" candidate

  for candidate in ${BENCH_PYTHON:-} /usr/bin/python3 "$venv/bin/python3"; do
    if [[ -x "$candidate" ]] && python_has_stack "$candidate"; then
      PYTHON=$candidate
      return
    fi
  done
  echo "run.sh: installing FastAPI, uvicorn and PyJWT into $venv" >&2
  if /usr/bin/python3 -m venv "$venv" >&2 \
     && "$venv/bin/pip" install --quiet 'fastapi' 'uvicorn[standard]' 'PyJWT' >&2 \
     && python_has_stack "$venv/bin/python3"; then
    PYTHON=$venv/bin/python3
    return
  fi
  rm -rf "$venv"
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "run.sh: PyPI is not reachable; installing Debian's packages instead" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3-fastapi python3-uvicorn python3-jwt python3-httptools python3-uvloop >&2
    if python_has_stack /usr/bin/python3; then
      PYTHON=/usr/bin/python3
      return
    fi
  fi
  die "no python3 with fastapi, uvicorn and jwt: set BENCH_PYTHON"
}
PYTHON=
find_python

# start_server NAME COMMAND…: runs it in the background and reads the port
# from its "Listening on http://127.0.0.1:PORT/" line.
start_server () {
  local name=$1; shift
  local out="$WORK/$name.out" err="$WORK/$name.err" line=

  "$@" >"$out" 2>"$err" &
  PIDS[$name]=$!

  for _ in $(seq 1 $((START_TIMEOUT_S * 10))); do
    line=$(head -n 1 "$out" 2>/dev/null || true)
    [[ -n "$line" ]] && break
    kill -0 "${PIDS[$name]}" 2>/dev/null || break
    sleep 0.1
  done

  if [[ ! "$line" =~ ^Listening\ on\ http://127\.0\.0\.1:([0-9]+)/$ ]]; then
    echo "run.sh: $name did not start; its stderr:" >&2
    tail -n 20 "$err" >&2
    exit 1
  fi
  PORTS[$name]=${BASH_REMATCH[1]}
}

# A fixed candle set: N_CANDLES one-minute candles from 2024-01-01.
CSV="$WORK/candles.csv"
awk -v n="$N_CANDLES" 'BEGIN {
  print "time,open,high,low,close,volume,trades"
  for (i = 0; i < n; i++) {
    o = 42000 + (i * 37 % 101) / 4
    c = o + ((i * 13 % 17) - 8) / 8
    h = (o > c ? o : c) + 0.5
    l = (o < c ? o : c) - 0.25
    printf "%.0f,%.2f,%.2f,%.2f,%.2f,%.5f,%d\n", 1704067200000 + i * 60000, o, h, l, c,
           1 + (i * 7 % 50) / 8, 100 + i
  }
}' >"$CSV"

# One data directory per boursed, with an admin made offline.
prepare_boursed () {
  local dir=$1
  printf '%s' "$PASSWORD" | "$BOURSED" user add bench --role admin --password-stdin --data-dir "$dir" \
    >"$WORK/setup.log" 2>&1 || { cat "$WORK/setup.log" >&2; die "boursed user add failed"; }
}

declare -A TOKENS=()

sign_in () {
  local name=$1 answer

  answer=$(curl -sS --fail-with-body -H 'Content-Type: application/json' \
                -d "{\"username\":\"bench\",\"password\":\"$PASSWORD\"}" \
                "http://127.0.0.1:${PORTS[$name]}/api/v1/auth/login") || die "$name: sign-in failed: $answer"
  TOKENS[$name]=$("$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["access_token"])' <<<"$answer")
}

# The instrument and its candles, through the API as a user would.
load_candles () {
  local name=$1 url="http://127.0.0.1:${PORTS[$1]}/api/v1" answer

  answer=$(curl -sS --fail-with-body -H "Authorization: Bearer ${TOKENS[$name]}" -H 'Content-Type: application/json' \
                -d "{\"symbol\":\"$SYMBOL\",\"base_asset\":\"BENCH\",\"quote_asset\":\"USDT\",\"tick_size\":\"0.01\",\"lot_step\":\"0.00001\"}" \
                "$url/instruments") || die "$name: creating $SYMBOL failed: $answer"
  answer=$(curl -sS --fail-with-body -H "Authorization: Bearer ${TOKENS[$name]}" -H 'Content-Type: text/csv' \
                --data-binary "@$CSV" "$url/market/import?symbol=$SYMBOL&interval=1m") \
    || die "$name: importing the candles failed: $answer"
}

prepare_boursed "$WORK/data-info"
prepare_boursed "$WORK/data-warning"

start_server boursed-info "$BOURSED" serve --port 0 --data-dir "$WORK/data-info"
BOURSE_LOG_LEVEL=warning start_server boursed-warning "$BOURSED" serve --port 0 --data-dir "$WORK/data-warning"
# The floor answers boursed's own /health bytes: its body, and the header
# fields boursed sends (bench-bare-soup --same-bytes).
HEALTH_BODY=$(curl -sS --fail "http://127.0.0.1:${PORTS[boursed-warning]}/health")
start_server bare-soup "$BARE" --same-bytes "$HEALTH_BODY"
sign_in boursed-info
sign_in boursed-warning
load_candles boursed-info
load_candles boursed-warning

VERSION_JSON=$(curl -sS --fail -H "Authorization: Bearer ${TOKENS[boursed-info]}" \
                    "http://127.0.0.1:${PORTS[boursed-info]}/api/v1/version")
read -r V_VERSION V_PROFILE V_SCHEMA < <("$PYTHON" -c '
import json, sys
v = json.load(sys.stdin)
print(v["version"], v["profile"], v["schema_version"])' <<<"$VERSION_JSON")

mkdir -p "$WORK/fastapi"
start_server fastapi "$PYTHON" "$HERE/fastapi_service.py" --csv "$CSV" --symbol "$SYMBOL" \
  --data-dir "$WORK/fastapi" --version "$V_VERSION" --profile "$V_PROFILE" --schema-version "$V_SCHEMA"
TOKENS[fastapi]=$(cat "$WORK/fastapi/token")

CANDLES_PATH="/api/v1/market/candles/$SYMBOL?interval=1m&limit=$N_CANDLES"

# The same bytes from both, or the comparison means nothing. /health's
# uptime differs by when each started: compared with it set to 0.
same_answer () {
  local path=$1 a b
  a=$(curl -sS --fail -H "Authorization: Bearer ${TOKENS[boursed-info]}" "http://127.0.0.1:${PORTS[boursed-info]}$path" \
      | sed 's/"uptime_seconds":[0-9]*/"uptime_seconds":0/')
  b=$(curl -sS --fail -H "Authorization: Bearer ${TOKENS[fastapi]}" "http://127.0.0.1:${PORTS[fastapi]}$path" \
      | sed 's/"uptime_seconds":[0-9]*/"uptime_seconds":0/')
  if [[ "$a" != "$b" ]]; then
    echo "run.sh: boursed and FastAPI answer $path differently:" >&2
    diff <(printf '%s\n' "$a" | fold -w 120) <(printf '%s\n' "$b" | fold -w 120) | head -n 10 >&2
    die "the FastAPI service must return byte-identical JSON"
  fi
}
same_answer /health
same_answer /api/v1/version
same_answer "$CANDLES_PATH"
echo "boursed and FastAPI answer byte-identical JSON ($(curl -sS -o /dev/null -w '%{size_download}' \
  -H "Authorization: Bearer ${TOKENS[fastapi]}" "http://127.0.0.1:${PORTS[fastapi]}$CANDLES_PATH") bytes of candles)" >&2

# The kernel's count of connections dropped because a listen queue was full
# (TcpExt ListenOverflows), for this network namespace.
listen_overflows () {
  awk '/^TcpExt:/ { if (!n) { for (i = 2; i <= NF; i++) col[$i] = i; n = 1 } else print $col["ListenOverflows"] }' \
    /proc/net/netstat
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

RESULTS="$WORK/results.tsv"
: >"$RESULTS"

# How often the kernel took the CPU from PID's main thread (the one that
# serves, for every server here) while it could still run: on a machine
# shared by more runnable tasks than cores, each time is a scheduler
# slice during which every request in flight waits, whatever the server.
preemptions () {
  awk '/^nonvoluntary_ctxt_switches:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}

# measure ROUTE SERVER PATH: one wrk run after a warm-up; appends
# route, server, req/s, p50, p99, errors, listen overflows and the
# server's preemptions a second.
measure () {
  local route=$1 server=$2 path=$3 report="$WORK/wrk.txt" header=() before after
  local rps p50 p99 errors preempted_before preempted_after

  [[ $route == health ]] || header=(-H "Authorization: Bearer ${TOKENS[$server]}")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "${header[@]}" "http://127.0.0.1:${PORTS[$server]}$path" >/dev/null
  before=$(listen_overflows)
  preempted_before=$(preemptions "${PIDS[$server]}")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${header[@]}" \
    "http://127.0.0.1:${PORTS[$server]}$path" >"$report"
  preempted_after=$(preemptions "${PIDS[$server]}")
  after=$(listen_overflows)

  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$report")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$report")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$report")")
  # Socket errors (connect, read, write, timeout) and non-2xx answers.
  errors=$(awk '
    /Non-2xx or 3xx responses:/ { n += $NF }
    /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 }
    END { print n + 0 }' "$report")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$route" "$server" "$rps" "$p50" "$p99" "$errors" "$((after - before))" \
    "$(( (preempted_after - preempted_before) / ${DURATION%s} ))" >>"$RESULTS"
  echo "  $route $server: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $errors," \
       "preempted $(( (preempted_after - preempted_before) / ${DURATION%s} ))/s" >&2
}

PLAN=(
  "health boursed-info /health"
  "health boursed-warning /health"
  "health bare-soup /health"
  "health fastapi /health"
  "version boursed-info /api/v1/version"
  "version boursed-warning /api/v1/version"
  "version fastapi /api/v1/version"
  "candles boursed-info $CANDLES_PATH"
  "candles boursed-warning $CANDLES_PATH"
  "candles fastapi $CANDLES_PATH"
)

echo "Interleaved: $ROUNDS rounds of wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency per server and route" \
     "(each after a $WARMUP warm-up)" >&2
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round of $ROUNDS" >&2
  # Each round starts one further along the plan, so no server is always
  # measured right after the same other one.
  for i in "${!PLAN[@]}"; do
    # shellcheck disable=SC2086
    measure ${PLAN[$(((i + round - 1) % ${#PLAN[@]}))]}
  done
done

# Medians over the rounds, each column on its own; errors and overflows summed.
SUMMARY="$WORK/summary.tsv"
"$PYTHON" - "$RESULTS" >"$SUMMARY" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    route, server, *values = line.rstrip("\n").split("\t")
    rows.setdefault((route, server), []).append([float(v) for v in values])
for (route, server), runs in rows.items():
    columns = list(zip(*runs))
    print(route, server, *(f"{statistics.median(c):.3f}" for c in columns[:3]),
          int(sum(columns[3])), int(sum(columns[4])), int(statistics.median(columns[5])), sep="\t")
EOF

value () {
  awk -v r="$1" -v s="$2" -v c="$3" '$1 == r && $2 == s { print $c }' "$SUMMARY"
}

ratio () {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}

echo
printf '%-8s %-16s %9s %8s %8s %7s %7s %9s %11s\n' route server "req/s" "p50 ms" "p99 ms" "p99/p50" errors overflows \
  "preempted/s"
while IFS=$'\t' read -r route server rps p50 p99 errors overflows preempted; do
  printf '%-8s %-16s %9.0f %8.3f %8.3f %7s %7s %9s %11s\n' "$route" "$server" "$rps" "$p50" "$p99" \
    "$(ratio "$p99" "$p50")" "$errors" "$overflows" "$preempted"
done <"$SUMMARY"
echo
for route in version candles; do
  for server in boursed-info boursed-warning; do
    printf '%-8s %-16s / fastapi: req/s %5sx, p50 %5sx, p99 %5sx  (goal: >= 10x req/s)\n' \
      "$route" "$server" "$(ratio "$(value "$route" "$server" 3)" "$(value "$route" fastapi 3)")" \
      "$(ratio "$(value "$route" "$server" 4)" "$(value "$route" fastapi 4)")" \
      "$(ratio "$(value "$route" "$server" 5)" "$(value "$route" fastapi 5)")"
  done
done
for server in boursed-info boursed-warning fastapi; do
  printf 'health   %-16s / bare libsoup: req/s %5s  (goal for boursed: >= 0.90)\n' \
    "$server" "$(ratio "$(value health "$server" 3)" "$(value health bare-soup 3)")"
done

# The WebSocket burst: WS_CLIENTS clients connecting at once to boursed.
echo
before=$(listen_overflows)
burst=$("$PYTHON" "$HERE/ws_burst.py" "${PORTS[boursed-warning]}" \
          "/api/v1/ws?token=${TOKENS[boursed-warning]}" "$WS_CLIENTS" 120)
after=$(listen_overflows)
echo "WebSocket burst, $WS_CLIENTS clients at once on boursed: $burst listen_overflows=$((after - before))"

stop_server fastapi
stop_server bare-soup
stop_server boursed-warning
stop_server boursed-info

# Wall-clock ratios swing by tens of percent on a shared 2-core machine,
# with wrk competing for the same cores. Instructions per request, counted
# by callgrind over a window that starts after start-up, repeat exactly.
if [[ ${BENCH_CALLGRIND:-1} == 0 ]]; then
  exit 0
fi
if ! command -v valgrind >/dev/null || ! command -v callgrind_control >/dev/null; then
  echo "valgrind is not installed: no instruction counts."
  exit 0
fi

# instructions NAME PATH TOKEN COMMAND…: prints instructions per request.
instructions () {
  local name=$1 path=$2 token=$3; shift 3
  local out="$WORK/$name.callgrind" requests total header=()

  [[ -z "$token" ]] || header=(-H "Authorization: Bearer $token")
  START_TIMEOUT_S=60 start_server "$name" valgrind --tool=callgrind --callgrind-out-file="$out" "$@"
  wrk -t1 -c4 -d2s "${header[@]}" "http://127.0.0.1:${PORTS[$name]}$path" >/dev/null 2>&1 || true
  callgrind_control -z "${PIDS[$name]}" >/dev/null 2>&1
  requests=$(wrk -t1 -c4 -d5s "${header[@]}" "http://127.0.0.1:${PORTS[$name]}$path" \
             | awk '/requests in/ { print $1 }')
  callgrind_control -d "${PIDS[$name]}" >/dev/null 2>&1
  # Each dump says its count twice (summary: and totals:): one of them.
  total=$(cat "$out".* 2>/dev/null | awk '/^summary:/ { sum += $2 } END { print sum + 0 }')
  stop_server "$name"
  rm -f "$out" "$out".*
  awk -v t="$total" -v r="$requests" 'BEGIN { printf "%.0f", (r > 0 ? t / r : 0) }'
}

# The data directory of the stopped boursed-warning, its session still
# live: the same token signs in without a password hash under valgrind.
echo
export BOURSE_LOG_LEVEL=warning
HEALTH_IR=$(instructions callgrind-health /health "" "$BOURSED" serve --port 0 --data-dir "$WORK/data-warning")
VERSION_IR=$(instructions callgrind-version /api/v1/version "${TOKENS[boursed-warning]}" \
               "$BOURSED" serve --port 0 --data-dir "$WORK/data-warning")
CANDLES_IR=$(instructions callgrind-candles "$CANDLES_PATH" "${TOKENS[boursed-warning]}" \
               "$BOURSED" serve --port 0 --data-dir "$WORK/data-warning")
BARE_IR=$(instructions bare-callgrind /health "" "$BARE" --same-bytes "$HEALTH_BODY")
BARE_PLAIN_IR=$(instructions bare-plain-callgrind /health "" "$BARE")
printf 'instructions per request (callgrind, log level warning): /health boursed %s, bare libsoup %s (bare/boursed %s);\n' \
  "$HEALTH_IR" "$BARE_IR" "$(ratio "$BARE_IR" "$HEALTH_IR")"
printf '  bare libsoup without the header fields boursed adds %s (bare/boursed %s);\n' \
  "$BARE_PLAIN_IR" "$(ratio "$BARE_PLAIN_IR" "$HEALTH_IR")"
printf '  /api/v1/version %s; candles (%d rows) %s\n' "$VERSION_IR" "$N_CANDLES" "$CANDLES_IR"
