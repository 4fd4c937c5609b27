#!/usr/bin/env bash
# build-aux/screenshots.sh — the AppStream screenshots, taken from the real
# console against its built-in engine with some data.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: build-aux/screenshots.sh [BUILD_DIR] [OUT_DIR]
#        (default: _build, data/screenshots; this script builds nothing)
#
# Under a private Xvfb and D-Bus session, with no settings of the
# developer's (light style, English), it makes a data directory with an
# administrator, starts `bourse --data-dir` on it at 1200 × 760 (the
# simulated market back-fills a week), and through the engine's own API
# adds live strategies, two pending approvals (RSI analyses whose levels
# fix the decision), filled orders and a resting one. Then it
# shows pages with app.show-page and has the console render its window
# into a PNG (app.probe-snapshot, src/app/bourse-probe.c): the same widgets
# and renderer as on screen. The files are referenced from
# data/io.github.bourse.Bourse.metainfo.xml.in; run it again when the
# console's look changes, and commit what it wrote.

set -euo pipefail

SRC_DIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=$(cd "${1:-$SRC_DIR/_build}" && pwd)
OUT_DIR=$(mkdir -p "${2:-$SRC_DIR/data/screenshots}" && cd "${2:-$SRC_DIR/data/screenshots}" && pwd)
SIZE=1210x770  # the window with its frame: 1200 × 760 pixels of PNG
PASSWORD="correct horse battery staple"
DEADLINE_S=120

die () { echo "screenshots.sh: $*" >&2; exit 1; }

BOURSE="$BUILD_DIR/src/app/bourse"
BOURSED="$BUILD_DIR/src/daemon/boursed"
[[ -x "$BOURSE" && -x "$BOURSED" ]] || die "bourse or boursed not found in $BUILD_DIR: build first"
for tool in xvfb-run dbus-run-session gdbus curl python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

if [[ -z "${BOURSE_SCREENSHOTS_INNER:-}" ]]; then
  export BOURSE_SCREENSHOTS_INNER=1
  exec xvfb-run -a -s '-screen 0 1600x1000x24' dbus-run-session -- "$0" "$BUILD_DIR" "$OUT_DIR"
fi

WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/bourse-screenshots.XXXXXX")
APP_PID=
APP_ID=$(sed -n 's/^#define APPLICATION_ID "\(.*\)"$/\1/p' "$BUILD_DIR/config.h")
APP_PATH="/${APP_ID//./\/}"
[[ "$APP_ID" != *.Devel ]] || die "a development build draws a striped header bar: use a stable build"

action () {  # NAME [GVARIANT]
  gdbus call --session --dest "$APP_ID" --object-path "$APP_PATH" \
    --method org.freedesktop.Application.ActivateAction "$1" "[${2:-}]" '{}' >/dev/null
}

cleanup () {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    action quit || true
    for _ in $(seq 1 300); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^BOURSE_' || true)
unset LANGUAGE
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/xdg-data" XDG_CACHE_HOME="$WORK/cache"
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$BUILD_DIR/data"
export GTK_A11Y=none NO_AT_BRIDGE=1 LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
export GSK_RENDERER=${GSK_RENDERER:-cairo} GDK_DEBUG=gl-disable
export BOURSE_AUTH_SECRETS_BACKEND=file BOURSE_RATE_LIMIT_ENABLED=false BOURSE_LOG_LEVEL=warning
export BOURSE_SIMULATED_BACKFILL_DAYS=7
mkdir -p "$XDG_CONFIG_HOME"

PROBE="$WORK/probe.txt"
DATA="$WORK/data"
echo "$PASSWORD" | "$BOURSED" user add admin --role admin --password-stdin --data-dir "$DATA" >/dev/null

BOURSE_PROBE_FRAMES="$PROBE" BOURSE_PROBE_SNAPSHOTS=1 BOURSE_PROBE_SIZE=$SIZE \
  "$BOURSE" --data-dir "$DATA" >"$WORK/app.out" 2>"$WORK/app.err" &
APP_PID=$!

deadline=$((SECONDS + DEADLINE_S))
until grep -q '^engine ' "$PROBE" 2>/dev/null; do
  (( SECONDS < deadline )) || die "the console did not start: $(tail -n 5 "$WORK/app.err")"
  sleep 0.1
done
BASE=$(awk '$1 == "engine" { print $3; exit }' "$PROBE")

json () { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
TOKEN=$(curl -sf -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" "${BASE}api/v1/auth/login" | json 'd["access_token"]')
api () {  # METHOD PATH [JSON]
  curl -sf -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "${BASE}api/v1/$2"
}

until api GET system/status | json '" ".join(f["state"] for f in d["market"]["feeds"])' | grep -qv backfilling; do
  (( SECONDS < deadline )) || die "the simulated market did not end its back-fill"
  sleep 0.2
done

# The desk: strategies, approvals waiting, orders.
api POST strategies '{"name":"Bitcoin trend","strategy":"sma-cross","symbol":"BTCUSDT","interval":"1h","params":{"fast":10,"slow":30}}' >/dev/null
api POST strategies '{"name":"Ether mean reversion","strategy":"ou","symbol":"ETHUSDT","interval":"15m","policy":"notify-only"}' >/dev/null
api POST strategies '{"name":"Bitcoin RSI","strategy":"rsi","symbol":"BTCUSDT","interval":"15m","enabled":false}' >/dev/null
api POST recommendations '{"symbol":"ETHUSDT","interval":"15m","strategy":"rsi","last_n_days":2,"params":{"oversold":0,"overbought":0.1}}' >/dev/null
api POST recommendations '{"symbol":"BTCUSDT","interval":"15m","strategy":"rsi","last_n_days":2,"params":{"oversold":99.9,"overbought":100}}' >/dev/null
api POST orders '{"symbol":"BTCUSDT","side":"BUY","type":"MARKET","quantity":"0.05"}' >/dev/null
api POST orders '{"symbol":"ETHUSDT","side":"BUY","type":"MARKET","quantity":"1.5"}' >/dev/null
LAST=$(api GET market/ticker/BTCUSDT | json 'd["last_price"]')
LIMIT=$(python3 -c "print(f'{float(\"$LAST\") * 0.97:.2f}')")
api POST orders "{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"0.02\",\"price\":\"$LIMIT\"}" >/dev/null

# snap PAGE NAME: show the page, let it load and settle, render it.
snap () {
  local file="$OUT_DIR/$2.png"
  rm -f "$file"
  action show-page "<'$1'>"
  sleep 4
  action probe-snapshot "<'$file'>"
  for _ in $(seq 1 100); do [[ -f "$file" ]] && break; sleep 0.1; done
  [[ -f "$file" ]] || die "no $file: $(tail -n 5 "$WORK/app.err")"
  echo "$file" >&2
}

snap markets markets
snap approvals approvals
snap portfolio portfolio
snap strategies strategies
