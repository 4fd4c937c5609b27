#!/usr/bin/env bash
# bench/web/run.sh — the web console's first load and bundle size, reported (not asserted).
#
# Usage: bench/web/run.sh [BUILD_DIR]     (default: _build; this script builds nothing)
#
# Needs the build's bundle (build-aux/web-build.py wrote it into
# BUILD_DIR/src/server/web/resource), Chromium and tests/web's playwright-core
# (npm ci --prefix tests/web). About half a minute.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=$(cd "${1:-$top/_build}" && pwd)
resources="$BUILD_DIR/src/server/web/resource"

[ -x "$BUILD_DIR/src/daemon/boursed" ] || { echo "No boursed in $BUILD_DIR: build first" >&2; exit 1; }
[ -f "$resources/index.html" ] || { echo "No bundle in $resources: configure with -Dweb_console=enabled" >&2; exit 1; }
[ -d "$top/tests/web/node_modules/playwright-core" ] ||
  { echo "playwright-core is missing: npm ci --prefix tests/web" >&2; exit 1; }

exec node "$top/bench/web/first-load.mjs" "$BUILD_DIR/src/daemon/boursed" "$resources" "$top/tests/web/node_modules"
