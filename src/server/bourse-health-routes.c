/* bourse-health-routes.c — the components' health through the API
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include "bourse-server-private.h"

/* GET /api/v1/health/components */
static void
health_components_cb (BourseRequest *request,
                      gpointer       user_data)
{
  BourseServer *self = user_data;
  g_autoptr(JsonNode) node = bourse_health_to_json (bourse_engine_get_health (self->engine));

  bourse_request_reply_json (request, SOUP_STATUS_OK, node);
}

void
_bourse_server_add_health_routes (BourseServer *self)
{
  bourse_router_add (self->router, "GET", "/api/v1/health/components", "system.read", health_components_cb, self);
}
