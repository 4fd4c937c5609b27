/* bourse-error-status.h — the one table from domain errors to HTTP statuses
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The HTTP status a domain error answers with: 422 invalid, 404, 409,
 * 401, 403, 413, 429, 502, 503…; 500 for an error no row knows (ours: the
 * log has it). */
guint        bourse_error_status       (const GError *error);
/* The request field the error is about ("quantity", "file"), or NULL. */
const char  *bourse_error_field        (const GError *error);
/* Members of its own a problem+json answer carries for this error (a CSV
 * error's "line" and "column"), or NULL. */
JsonObject  *bourse_error_dup_members  (const GError *error);

G_END_DECLS
