#!/bin/sh
# tests/data/check-flatpak-manifest.sh — check a flatpak-builder manifest without building it
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-flatpak-manifest.sh MANIFEST
#
# flatpak-builder --show-manifest fails on malformed JSON but only warns about keys it does not
# know, so its stderr is searched for "Unknown property" too. Exit 77 (skipped) without it.

set -u

if [ "$#" -ne 1 ]; then
  echo "usage: $0 MANIFEST" >&2
  exit 2
fi
manifest=$1

if ! command -v flatpak-builder >/dev/null 2>&1; then
  echo "flatpak-builder is not installed: skipping the check of $manifest"
  exit 77
fi

errfile=$(mktemp "${TMPDIR:-/tmp}/check-flatpak-manifest.XXXXXX") || exit 1
trap 'rm -f "$errfile"' EXIT

flatpak-builder --show-manifest "$manifest" >/dev/null 2>"$errfile"
status=$?
cat "$errfile" >&2

if [ "$status" -ne 0 ]; then
  echo "FAIL: flatpak-builder --show-manifest exited with status $status" >&2
  exit 1
fi
if grep -q "Unknown property" "$errfile"; then
  echo "FAIL: $manifest has properties flatpak-builder does not know" >&2
  exit 1
fi

echo "OK: $manifest"
exit 0
