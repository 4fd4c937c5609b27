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
# fix the decision), filled orders and a resting one. Then it shows pages
# with app.show-page and has the console render its window into a PNG
# (app.probe-snapshot, src/app/bourse-probe.c): the same widgets and
# renderer as on screen. The files are referenced from
# data/io.github.bourse.Bourse.metainfo.xml.in; run it again when the
# console's look changes, and commit what it wrote.

set -euo pipefail

SRC_DIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=$(cd "${1:-$SRC_DIR/_build}" && pwd)
OUT_DIR=$(mkdir -p "${2:-$SRC_DIR/data/screenshots}" && cd "${2:-$SRC_DIR/data/screenshots}" && pwd)
SIZE=1210x770  # the window with its frame: 1200 × 760 pixels of PNG

die () { echo "screenshots.sh: $*" >&2; exit 1; }

# shellcheck source=console-session.sh
. "$SRC_DIR/build-aux/console-session.sh"
session_enter BOURSE_SCREENSHOTS_INNER "$BUILD_DIR" "$OUT_DIR"

WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/bourse-screenshots.XXXXXX")
session_init
[[ "$APP_ID" != *.Devel ]] || die "a development build draws a striped header bar: use a stable build"
export TZ=UTC BOURSE_SIMULATED_BACKFILL_DAYS=7

PROBE="$WORK/probe.txt"
DATA="$WORK/data"
session_admin "$DATA"
session_start "$PROBE" "$DATA" BOURSE_PROBE_SNAPSHOTS=1 BOURSE_PROBE_SIZE=$SIZE
session_sign_in "$PROBE"
session_wait_live

# The desk: strategies, approvals waiting, orders.
post () { session_api POST "$1" -H 'Content-Type: application/json' -d "$2" >/dev/null; }
post strategies '{"name":"Bitcoin trend","strategy":"sma-cross","symbol":"BTCUSDT","interval":"1h","params":{"fast":10,"slow":30}}'
post strategies '{"name":"Ether mean reversion","strategy":"ou","symbol":"ETHUSDT","interval":"15m","policy":"notify-only"}'
post strategies '{"name":"Bitcoin RSI","strategy":"rsi","symbol":"BTCUSDT","interval":"15m","enabled":false}'
post recommendations '{"symbol":"ETHUSDT","interval":"15m","strategy":"rsi","last_n_days":2,"params":{"oversold":0,"overbought":0.1}}'
post recommendations '{"symbol":"BTCUSDT","interval":"15m","strategy":"rsi","last_n_days":2,"params":{"oversold":99.9,"overbought":100}}'
post orders '{"symbol":"BTCUSDT","side":"BUY","type":"MARKET","quantity":"0.05"}'
post orders '{"symbol":"ETHUSDT","side":"BUY","type":"MARKET","quantity":"1.5"}'
LAST=$(session_api GET market/ticker/BTCUSDT | json 'd["last_price"]')
LIMIT=$(python3 -c "print(f'{float(\"$LAST\") * 0.97:.2f}')")
post orders "{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"0.02\",\"price\":\"$LIMIT\"}"

# snap PAGE NAME: show the page, let it load and settle, render it.
snap () {
  local file="$OUT_DIR/$2.png"
  rm -f "$file"
  session_action show-page "<'$1'>"
  sleep 4
  session_action probe-snapshot "<'$file'>"
  for _ in $(seq 1 100); do [[ -f "$file" ]] && break; sleep 0.1; done
  [[ -f "$file" ]] || die "no $file: $(tail -n 5 "$WORK/app.err")"
  echo "$file" >&2
}

snap markets markets
snap approvals approvals
snap portfolio portfolio
snap strategies strategies
