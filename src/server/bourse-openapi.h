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
 * Fails, naming each, on a route without a doc and on a schema name that is
 * no component: what test-openapi checks. */
JsonNode *bourse_openapi_build (BourseRouter  *router,
                                const char    *version,
                                GError       **error);

G_END_DECLS
