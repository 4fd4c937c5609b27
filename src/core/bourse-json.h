/* bourse-json.h — small JSON helpers for hot paths
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Appends text as a quoted JSON string (length -1: NUL-terminated). For the
 * few answers built with GString rather than json-glib, such as /health,
 * which load balancers call constantly, and for log lines. */
void bourse_json_append_string (GString    *out,
                                const char *text,
                                gssize      length);

/* @node as compact JSON text (*length without the NUL, may be NULL).
 * Every JSON text Bourse sends goes through here: json-glib 1.6 writes a
 * double whose shortest form has an exponent but no point, such as 1e-08,
 * as "1e-08.0", which is not JSON; this writes "1e-08". */
char *bourse_json_to_string      (JsonNode   *node,
                                  gsize      *length);

G_END_DECLS
