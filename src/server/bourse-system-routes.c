/* bourse-system-routes.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"
#include "core/bourse-time.h"

#include "bourse-openapi.h"
#include "bourse-server-private.h"

/* How long a successful database probe stands for the next ones. A read
 * takes four file-lock system calls in WAL mode, as much again as the rest
 * of a /health answer; a probe a second is plenty for any orchestrator. */
#define PROBE_REUSE_US G_USEC_PER_SEC

/* Probes the database; the answer is then described by add_database. */
static gboolean
probe_database (BourseServer  *self,
                GError       **error)
{
  BourseStore *store = bourse_engine_get_store (self->engine);
  gint64 now = g_get_monotonic_time ();

  if (store == NULL)
    {
      g_set_error (error, BOURSE_STORE_ERROR, BOURSE_STORE_ERROR_OPEN, _("The database is not open"));
      return FALSE;
    }

  /* A closed database is reported at once: only success is reused. */
  if (bourse_store_get_db (store) != NULL && now - self->last_probe_ok_us < PROBE_REUSE_US)
    return TRUE;

  if (!bourse_store_check (store, error))
    return FALSE;

  self->last_probe_ok_us = now;
  return TRUE;
}

/* The path is for administrators only: where the data lives is no
 * viewer's business, and it tells an attacker the layout of the host. */
static void
add_database (BourseServer *self,
              JsonBuilder  *builder,
              gboolean      with_path,
              const GError *error)
{
  BourseStore *store = bourse_engine_get_store (self->engine);

  json_builder_set_member_name (builder, "database");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, error == NULL);
  if (store != NULL)
    {
      json_builder_set_member_name (builder, "schema_version");
      json_builder_add_int_value (builder, bourse_store_get_schema_version (store));
      if (with_path)
        {
          json_builder_set_member_name (builder, "path");
          json_builder_add_string_value (builder, bourse_store_get_path (store));
        }
    }
  if (error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error->message);
    }
  json_builder_end_object (builder);
}

/* What /api/v1/system/status and the system topic say; the database's path
 * only @with_path. */
static JsonNode *
build_status (BourseServer *self,
              gboolean      with_path)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *started_at = NULL;
  BourseEngineState state = bourse_engine_get_state (self->engine);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);

  json_builder_set_member_name (builder, "engine");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, bourse_engine_state_to_string (state));
  json_builder_set_member_name (builder, "started_at");
  if (bourse_engine_get_started_at (self->engine) > 0)
    {
      started_at = bourse_time_format_rfc3339 (bourse_engine_get_started_at (self->engine));
      json_builder_add_string_value (builder, started_at);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "uptime_seconds");
  json_builder_add_int_value (builder, bourse_engine_get_uptime_ms (self->engine) / 1000);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "server");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, self->url ? self->url : "");
  json_builder_set_member_name (builder, "websocket_clients");
  json_builder_add_int_value (builder, bourse_hub_get_n_clients (self->hub));
  json_builder_set_member_name (builder, "tls");
  json_builder_add_boolean_value (builder, self->certificate != NULL);
  json_builder_end_object (builder);

  probe_database (self, &error);
  add_database (self, builder, with_path, error);

  /* Which feeds run, and whether the market is simulated. */
  if (bourse_engine_get_market (self->engine) != NULL)
    {
      json_builder_set_member_name (builder, "market");
      json_builder_add_value (builder, bourse_market_get_status (bourse_engine_get_market (self->engine)));
    }

  /* Paper trading is the default; live trading is gated (docs/TRADING.md). */
  json_builder_set_member_name (builder, "mode");
  if (bourse_engine_get_trading (self->engine) != NULL)
    {
      BourseTrading *trading = bourse_engine_get_trading (self->engine);

      json_builder_add_string_value (builder, bourse_trading_get_mode (trading));
      json_builder_set_member_name (builder, "trading");
      json_builder_add_value (builder, bourse_trading_status_json (trading));
    }
  else
    json_builder_add_string_value (builder, "paper");
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Without the path: it goes to every subscriber of the system topic,
 * viewers included. */
JsonNode *
_bourse_server_build_status (BourseServer *self)
{
  return build_status (self, FALSE);
}

void
_bourse_server_publish_status (BourseServer *self)
{
  g_autoptr(JsonNode) status = NULL;

  if (self->url == NULL)
    return;

  status = _bourse_server_build_status (self);
  bourse_event_bus_publish (bourse_engine_get_event_bus (self->engine), "system", status);
}

/* Written by hand rather than with json-glib: load balancers and
 * orchestrators call /health constantly, and the builder would cost more
 * than everything else the request does. A healthy answer only changes
 * with the second of uptime: it is kept (with the ETag of its bytes, see
 * _bourse_request_finish_body) and written again only when it changes;
 * an unhealthy one is written each time. */
static void
health_cb (BourseRequest *request,
           gpointer       user_data)
{
  BourseServer *self = user_data;
  BourseStore *store = bourse_engine_get_store (self->engine);
  g_autoptr(GError) error = NULL;
  gboolean ok = probe_database (self, &error)
             && bourse_engine_get_state (self->engine) == BOURSE_ENGINE_STATE_RUNNING;
  SoupServerMessage *message = bourse_request_get_message (request);
  gint64 uptime_s = bourse_engine_get_uptime_ms (self->engine) / 1000;
  int schema_version = store != NULL ? bourse_store_get_schema_version (store) : 0;
  g_autoptr(GBytes) answer = NULL;

  if (error == NULL && store != NULL && self->health_body != NULL && self->health_ok == ok
      && self->health_uptime_s == uptime_s && self->health_schema_version == schema_version)
    answer = g_bytes_ref (self->health_body);
  else
    {
      GString *body = g_string_sized_new (160);

      g_string_append_printf (body,
                              "{\"status\":\"%s\",\"version\":\"%s\",\"uptime_seconds\":%" G_GINT64_FORMAT
                              ",\"database\":{\"ok\":%s",
                              ok ? "ok" : "unavailable", PACKAGE_VERSION, uptime_s,
                              error == NULL ? "true" : "false");
      if (store != NULL)
        g_string_append_printf (body, ",\"schema_version\":%d", schema_version);
      if (error != NULL)
        {
          g_string_append (body, ",\"error\":");
          bourse_json_append_string (body, error->message, -1);
        }
      g_string_append (body, "}}");
      answer = g_string_free_to_bytes (body);

      if (error == NULL && store != NULL)
        {
          g_clear_pointer (&self->health_body, g_bytes_unref);
          self->health_body = g_bytes_ref (answer);
          self->health_ok = ok;
          self->health_uptime_s = uptime_s;
          self->health_schema_version = schema_version;
        }
    }

  soup_server_message_set_status (message, ok ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
  /* Appended: nothing has set a type or a body on this message. */
  soup_message_headers_append (soup_server_message_get_response_headers (message), "Content-Type",
                               "application/json");
  soup_message_body_append_bytes (soup_server_message_get_response_body (message), answer);
}

static void
reply_status_word (BourseRequest *request,
                   guint          status,
                   const char    *word)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, word);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, status, builder);
}

/* Liveness: the process answers. Readiness: it can do useful work now. */
static void
live_cb (BourseRequest *request,
         gpointer       user_data)
{
  reply_status_word (request, SOUP_STATUS_OK, "alive");
}

static void
ready_cb (BourseRequest *request,
          gpointer       user_data)
{
  BourseServer *self = user_data;
  gboolean ready = self->shutdown_task == NULL
                && bourse_engine_get_state (self->engine) == BOURSE_ENGINE_STATE_RUNNING
                && probe_database (self, NULL);

  reply_status_word (request, ready ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE,
                     ready ? "ready" : "not-ready");
}

static void
metrics_cb (BourseRequest *request,
            gpointer       user_data)
{
  BourseServer *self = user_data;
  g_autofree char *rendered = bourse_metrics_render (self->metrics, bourse_engine_get_uptime_ms (self->engine) / 1000.0);
  GString *text = g_string_new (rendered);
  BourseScheduler *scheduler = bourse_engine_get_scheduler (self->engine);
  SoupServerMessage *message = bourse_request_get_message (request);
  gsize length;

  if (scheduler != NULL)
    bourse_metrics_append_scheduler_runs (text, scheduler);
  length = text->len;
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "text/plain; version=0.0.4; charset=utf-8",
                                    SOUP_MEMORY_TAKE, g_string_free (text, FALSE), length);
}

static void
version_cb (BourseRequest *request,
            gpointer       user_data)
{
  /* Nothing in it changes while the process runs: written once, and
   * answered as the same bytes, so that its ETag is computed once too. */
  static GBytes *body = NULL;
  SoupServerMessage *message = bourse_request_get_message (request);

  if (g_once_init_enter (&body))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      char *text;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, PACKAGE_VERSION);
      json_builder_set_member_name (builder, "api");
      json_builder_add_string_value (builder, "v1");
      json_builder_set_member_name (builder, "profile");
      json_builder_add_string_value (builder, PROFILE);
      json_builder_set_member_name (builder, "schema_version");
      json_builder_add_int_value (builder, bourse_store_get_latest_version ());
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      text = bourse_json_to_string (root, NULL);
      g_once_init_leave (&body, g_bytes_new_take (text, strlen (text)));
    }
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_message_headers_append (soup_server_message_get_response_headers (message), "Content-Type",
                               "application/json");
  soup_message_body_append_bytes (soup_server_message_get_response_body (message), body);
}

static void
system_status_cb (BourseRequest *request,
                  gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(JsonNode) status = build_status (user_data, principal->role == BOURSE_ROLE_ADMIN);

  bourse_request_reply_json (request, SOUP_STATUS_OK, status);
}

/* Reached only by a GET that is not a WebSocket handshake. */
static void
websocket_without_upgrade_cb (BourseRequest *request,
                              gpointer       user_data)
{
  bourse_request_reply_problem (request, SOUP_STATUS_BAD_REQUEST,
                                _("This endpoint speaks WebSocket: send an Upgrade request"), NULL, 0);
}

/* The routes never change once the server is made, so the document is
 * built once. What is missing from it (test-openapi fails on it long
 * before a user could see it) is logged, and the rest served. */
static void
openapi_cb (BourseRequest *request,
            gpointer       user_data)
{
  BourseServer *self = user_data;
  SoupServerMessage *message = bourse_request_get_message (request);

  if (self->openapi == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *problems = NULL;
      g_autoptr(JsonNode) document = bourse_openapi_build (self->router, PACKAGE_VERSION, &problems, &error);
      char *text;
      gsize length;

      if (document == NULL)
        {
          bourse_request_reply_error (request, error, 0);
          return;
        }
      if (problems != NULL)
        g_message ("The API document is not whole:\n%s", problems);
      text = bourse_json_to_string (document, &length);
      self->openapi = g_bytes_new_take (text, length);
    }

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (self->openapi, NULL), g_bytes_get_size (self->openapi));
}

static const BourseRouteSpec system_routes[] = {
  { "GET", "/health", NULL, health_cb, {
      .id = "getHealth", .tag = "System", .summary = "Check the server's health",
      .description = "For load balancers and monitors: 200 while the engine runs and the database answers.",
      .response = "Health", .errors = "503:Health" } },
  { "GET", "/live", NULL, live_cb, {
      .id = "getLiveness", .tag = "System", .summary = "Check that the process answers",
      .response = "ProbeStatus" } },
  { "GET", "/ready", NULL, ready_cb, {
      .id = "getReadiness", .tag = "System", .summary = "Check that the server can do useful work",
      .response = "ProbeStatus", .errors = "503:ProbeStatus" } },
  { "GET", "/metrics", "metrics.read", metrics_cb, {
      .id = "getMetrics", .tag = "System", .summary = "Read the Prometheus metrics",
      .response = "string", .response_type = "text/plain" } },
  { "GET", "/api/v1/openapi.json", NULL, openapi_cb, {
      .id = "getOpenApi", .tag = "System", .summary = "Read this document",
      .response = "object" } },
  { "GET", "/api/v1/version", "system.read", version_cb, {
      .id = "getVersion", .tag = "System", .summary = "Read the server's version",
      .response = "Version" } },
  { "GET", "/api/v1/system/status", "system.read", system_status_cb, {
      .id = "getSystemStatus", .tag = "System", .summary = "Read the engine's status",
      .description = "The same object the system topic publishes at each change.",
      .response = "SystemStatus" } },
  { "GET", "/api/v1/ws", "stream.subscribe", websocket_without_upgrade_cb, {
      .id = "openWebSocket", .tag = "System", .summary = "Open the live event stream (WebSocket)",
      .description = "Upgrade to a WebSocket, authenticated like every other route, then send "
                     "{\"type\":\"subscribe\",\"topics\":[…]}. The topics, their permissions and their events "
                     "are listed in x-websocket-topics. A GET without an Upgrade is answered 400.",
      .status = 101, .errors = "400" } },
};

void
_bourse_server_add_system_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, system_routes, G_N_ELEMENTS (system_routes), self);
}
