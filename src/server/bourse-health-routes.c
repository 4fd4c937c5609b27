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

  /* A list like every other (docs/API.md, "One shape"), though one page holds it all. */
  json_object_set_null_member (json_node_get_object (node), "next_cursor");
  bourse_request_reply_json (request, SOUP_STATUS_OK, node);
}

static const BourseRouteSpec health_routes[] = {
  { "GET", "/api/v1/health/components", "system.read", health_components_cb, {
      .id = "listHealthComponents", .tag = "System", .summary = "List the components' health",
      .description = "Each component ok, degraded or down, with why and since when; status is the worst "
                     "(docs/OPERATIONS.md, \"Component health\").",
      .response = "HealthComponents" } },
};

void
_bourse_server_add_health_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, health_routes, G_N_ELEMENTS (health_routes), self);
}
