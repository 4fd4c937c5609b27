/* bourse-json.h — small JSON helpers for hot paths
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends text as a quoted JSON string (length -1: NUL-terminated). For the
 * few answers built with GString rather than json-glib, such as /health,
 * which load balancers call constantly, and for log lines. */
void bourse_json_append_string (GString    *out,
                                const char *text,
                                gssize      length);

G_END_DECLS
