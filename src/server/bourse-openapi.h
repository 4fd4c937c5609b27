/* bourse-openapi.h — the OpenAPI 3.1 document, built from the router's own table
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "bourse-router.h"

G_BEGIN_DECLS

/* The document of every route @router holds, with the shared components of
 * the files of src/server/openapi/ and the WebSocket topics (x-websocket-topics).
 * What is wrong with it — a route without a doc (left out), a schema name
 * that is no component — goes to *@problems, a line each (NULL when whole):
 * what test-openapi checks. NULL only when the compiled-in parts are
 * unreadable (@error). */
JsonNode *bourse_openapi_build (BourseRouter  *router,
                                const char    *version,
                                char         **problems,
                                GError       **error);

G_END_DECLS
