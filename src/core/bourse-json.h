/* bourse-json.h — small JSON helpers for hot paths
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bourse-decimal.h"

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

/* Adds member @name to the object being built: @value as a decimal
 * string ("0.01500000", DESIGN.md §4), or null when @value is NULL. */
void  bourse_json_builder_add_decimal (JsonBuilder         *builder,
                                       const char          *name,
                                       const BourseDecimal *value);

/* Adds member @name: @ms as an RFC 3339 time (DESIGN.md §4). */
void  bourse_json_builder_add_time    (JsonBuilder         *builder,
                                       const char          *name,
                                       gint64               ms);
/* Adds member @name: @value, or null when it is NaN or infinite (which
 * JSON has no number for). */
void  bourse_json_builder_add_finite  (JsonBuilder         *builder,
                                       const char          *name,
                                       double               value);
void  bourse_json_builder_add_int     (JsonBuilder         *builder,
                                       const char          *name,
                                       gint64               value);
/* Adds member @name: @value, or null when it is NULL. */
void  bourse_json_builder_add_string  (JsonBuilder         *builder,
                                       const char          *name,
                                       const char          *value);

/* A list's "next_cursor": @last_id written as a string when @more (cursors
 * are opaque to clients, docs/API.md "One shape everywhere"), else null. */
void  bourse_json_builder_add_next_cursor (JsonBuilder   *builder,
                                           gboolean       more,
                                           gint64         last_id);

/* The deepest nesting accepted in a JSON text from outside: our documents
 * need a handful of levels; 64 leaves room and keeps the stack safe. */
#define BOURSE_JSON_MAX_DEPTH 64

#define BOURSE_JSON_ERROR (bourse_json_error_quark ())

typedef enum
{
  BOURSE_JSON_ERROR_SYNTAX = 1,
  BOURSE_JSON_ERROR_TOO_DEEP,
  BOURSE_JSON_ERROR_TOO_LARGE,
  BOURSE_JSON_ERROR_NUL,
} BourseJsonError;

GQuark    bourse_json_error_quark (void);

/* The one way a JSON text from outside (request bodies, WebSocket
 * messages, configuration files, exchange answers, stored details) is
 * parsed: refused before json-glib sees it when longer than @max_length
 * (0: no limit), nested deeper than BOURSE_JSON_MAX_DEPTH, or holding a NUL
 * character. Returns the root (owned) or NULL with @error set. */
JsonNode *bourse_json_parse       (const char  *data,
                                   gsize        length,
                                   gsize        max_length,
                                   GError     **error);

/* Members of a JSON text from outside, read defensively: a missing or
 * mistyped one gives NULL / FALSE, never a critical (json-glib's own
 * getters complain when a member has another type). @object may be NULL. */
JsonObject *bourse_json_get_object  (JsonObject  *object,
                                     const char  *member);
JsonArray  *bourse_json_get_array   (JsonObject  *object,
                                     const char  *member);
const char *bourse_json_get_string  (JsonObject  *object,
                                     const char  *member);
gboolean    bourse_json_get_int     (JsonObject  *object,
                                     const char  *member,
                                     gint64      *value);
gboolean    bourse_json_get_boolean (JsonObject  *object,
                                     const char  *member,
                                     gboolean    *value);

G_END_DECLS
