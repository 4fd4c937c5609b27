/* bourse-log-routes.c — the log ring through the API and the logs topic
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"
#include "core/bourse-log.h"
#include "core/bourse-time.h"

#include "bourse-server-private.h"

static const char * const levels[] = { "debug", "info", "message", "warning", "critical", NULL };

/* GET /api/v1/logs?level=&domain=&since=&limit=&cursor= */
static void
logs_cb (BourseRequest *request,
         gpointer       user_data)
{
  BourseLogQuery query = { G_LOG_LEVEL_DEBUG, NULL, 0, 0, 0 };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) entries = NULL;
  const char *level = "debug";
  gint64 limit = 100, cursor = 0, since = 0;
  gboolean more = FALSE;

  if (!bourse_request_get_enum_query (request, "level", levels, &level)
      || !bourse_request_get_name_query (request, "domain", &query.domain)
      || !bourse_request_get_time_query (request, "since", BOURSE_TIME_BOUND_START, &since)
      || !bourse_request_get_int_query (request, "limit", 1, 1000, &limit)
      || !bourse_request_get_cursor_query (request, &cursor))
    return;
  bourse_log_parse_min_level (level, &query.min_level);
  query.since_ms = since;
  query.before_id = cursor;
  query.limit = limit;

  entries = bourse_log_ring_query (&query, &more);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    json_builder_add_value (builder, bourse_log_entry_to_json (g_ptr_array_index (entries, i)));
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, more && entries->len > 0,
                                       entries->len > 0
                                       ? (gint64)((BourseLogEntry *)g_ptr_array_index (entries, entries->len - 1))->id
                                       : 0);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

/* On the engine's context, after the ring took the entry on whichever
 * thread logged it. */
static void
log_entry_cb (const BourseLogEntry *entry,
              gpointer              user_data)
{
  BourseServer *self = user_data;
  g_autoptr(JsonNode) node = NULL;

  /* Debug messages stay in the ring for GET /api/v1/logs, not on the live
   * tail: sending an entry writes WebSocket frames, which libsoup reports
   * at debug level, which would be entries to send — a loop that never
   * lets the context rest. Nothing at info or above is logged per frame. */
  if ((entry->level & G_LOG_LEVEL_MASK) >= G_LOG_LEVEL_DEBUG)
    return;
  /* An entry per request at level info: made into an event only when
   * someone follows the topic (a new follower gets the ring's tail from
   * GET /api/v1/logs, not a replay of the last line). */
  if (self->hub != NULL && !bourse_hub_is_followed (self->hub, "logs"))
    return;
  node = bourse_log_entry_to_json (entry);
  bourse_event_bus_publish (bourse_engine_get_event_bus (self->engine), "logs", node);
}

static const BourseParamDoc log_params[] = {
  { "level", BOURSE_PARAM_QUERY,
    "{\"type\":\"string\",\"enum\":[\"debug\",\"info\",\"message\",\"warning\",\"critical\"],\"default\":\"debug\"}",
    "The lowest level shown" },
  { "domain", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9._-]{1,64}$\"}",
    "Only this log domain's lines (bourse-server, bourse-trading…)" },
  { "since", BOURSE_PARAM_QUERY, "TimeInput", "Only the lines logged at or after it" },
  { "limit", BOURSE_PARAM_QUERY, "Limit", "How many at most" },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseRouteSpec log_routes[] = {
  { "GET", "/api/v1/logs", "logs.read", logs_cb, {
      .id = "listLogs", .tag = "Operations", .summary = "Read the server's recent log",
      .description = "Newest first, from the in-memory ring (docs/OPERATIONS.md, Logs); the logs topic carries "
                     "each new line at info and above.",
      .params = log_params, .response = "page:LogEntry", .errors = "422" } },
};

void
_bourse_server_add_log_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, log_routes, G_N_ELEMENTS (log_routes), self);
  self->log_watch = bourse_log_watch (g_main_context_get_thread_default (), log_entry_cb, self, NULL);
}
