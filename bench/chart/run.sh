#!/usr/bin/env bash
# bench/chart/run.sh — frame times of the candlestick chart with a year of
# one-minute candles (README.md says what is measured and what it means).
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench/chart/run.sh [BUILD_DIR] [bench-chart OPTION…]
#        (default: _build; this script builds nothing)
#
# Runs under a private Xvfb and D-Bus session with the cairo renderer, as
# the GUI tests do: these machines have no GPU. About 30 s. The figures are
# reported, never asserted.

set -euo pipefail

BUILD_DIR=${1:-_build}
shift || true
BENCH="$BUILD_DIR/bench/chart/bench-chart"

die () { echo "run.sh: $*" >&2; exit 1; }

[[ -x "$BENCH" ]] || die "$BENCH not found: build first (ninja -C $BUILD_DIR)"
command -v xvfb-run >/dev/null || die "xvfb-run is not installed (apt-get install xvfb xauth)"
command -v dbus-run-session >/dev/null || die "dbus-run-session is not installed (apt-get install dbus)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bourse-bench-chart.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Nothing of the developer's settings, and no accessibility bus.
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" XDG_CACHE_HOME="$WORK/cache"
export GSETTINGS_BACKEND=memory GTK_A11Y=none NO_AT_BRIDGE=1
export GSK_RENDERER=${GSK_RENDERER:-cairo} GDK_DEBUG=${GDK_DEBUG:-gl-disable}

echo "bench-chart on $(uname -n), $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ); GSK_RENDERER=$GSK_RENDERER" >&2
xvfb-run -a -s '-screen 0 1600x1000x24' dbus-run-session -- "$BENCH" "$@" 2> >(grep -v '^dbus-daemon' >&2)
