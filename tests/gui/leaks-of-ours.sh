#!/bin/bash
# leaks-of-ours.sh — run a GUI test and fail on the leaks that are ours
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: leaks-of-ours.sh COMMAND [ARG...]
#
# A GUI test runs GTK, libadwaita, fontconfig, D-Bus and Xvfb, whose caches
# and one-time allocations differ from machine to machine and from run to
# run, so no suppression list can name them all in advance. The rule here
# is the project's rule: no leaks of ours. A leak is ours when its
# allocation stack passes through the project's code under src/; one whose
# stack reaches the project only through the test's main loop is a
# library's, and is printed but does not fail the test. Any other sanitizer
# report fails it.

set -u

log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT

# exitcode=23 tells a leak-only ending apart from a failing test (1, or a
# signal); log_path keeps the reports apart from the TAP stream.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:exitcode=23:log_path=$log_dir/report"

"$@"
status=$?

shopt -s nullglob
reports=("$log_dir"/report.*)
[ ${#reports[@]} -eq 0 ] && exit "$status"

cat "${reports[@]}" >&2

if grep -q "ERROR: AddressSanitizer" "${reports[@]}"; then
  echo "# AddressSanitizer found an error" >&2
  exit 1
fi

# Each leak is a paragraph: "Direct leak of …" then its frames. Ours: a
# frame in a source file of ours, an unsymbolised frame in the test
# binary (which holds src/ as well; a named _start or main does not count),
# or memory the test's own code asked for: the first frame past the
# allocator and GLib's allocating helpers is in tests/ (the test code is
# ours too; a library's cache reached from a test's call is not).
ours=$(awk '
  /^(Direct|Indirect) leak of/ { block = $0; in_block = 1; mine = 0; allocating = 1; next }
  in_block && /^ *#[0-9]+ / {
    if ($0 ~ /src\/[a-z]+\/bourse[-a-z0-9_]*\.c:/) mine = 1
    if ($0 ~ /^ *#[0-9]+ 0x[0-9a-f]+  \(.*\/tests\/gui\/test-[a-z-]+\+0x/) mine = 1
    if (allocating && $0 !~ / in (__interceptor_[a-z_]+|malloc|calloc|realloc|strdup|g_(malloc0?|realloc|try_malloc0?|malloc_n|malloc0_n|strdup|strndup|strdup_printf|strdup_vprintf|vasprintf|strconcat|strjoinv?|strsplit|memdup2?|slice_alloc0?|slice_copy|string_[a-z_]+|ptr_array_[a-z_]+|array_[a-z_]+|byte_array_[a-z_]+|hash_table_[a-z_]+|list_[a-z_]+|slist_[a-z_]+)) /) {
      allocating = 0
      if ($0 ~ / \.\.\/tests\/[a-z\/-]+\.c:/) mine = 1
    }
    block = block "\n" $0
    next
  }
  in_block { if (mine) print block; in_block = 0 }
  END { if (in_block && mine) print block }
' "${reports[@]}")

if [ -n "$ours" ]; then
  echo "# Leaks of ours:" >&2
  printf '%s\n' "$ours" >&2
  exit 1
fi

if [ "$status" -eq 23 ]; then
  echo "# Only leaks inside libraries, reached from the main loop: not ours" >&2
  exit 0
fi
exit "$status"
