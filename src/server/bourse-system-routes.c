/* bourse-system-routes.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-time.h"

#include "bourse-server-private.h"

static void
add_database (BourseServer *self,
              JsonBuilder  *builder,
              gboolean      with_path)
{
  BourseStore *store = bourse_engine_get_store (self->engine);
  g_autoptr(GError) error = NULL;
  gboolean ok = store != NULL && bourse_store_check (store, &error);

  json_builder_set_member_name (builder, "database");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, ok);
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
  if (!ok)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error ? error->message : _("The database is not open"));
    }
  json_builder_end_object (builder);
}

JsonNode *
_bourse_server_build_status (BourseServer *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
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

  add_database (self, builder, TRUE);

  /* Paper trading is the default; live trading is gated (trading issue). */
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, "paper");
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
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

static void
health_cb (BourseRequest *request,
           gpointer       user_data)
{
  BourseServer *self = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  BourseStore *store = bourse_engine_get_store (self->engine);
  gboolean ok = store != NULL && bourse_store_check (store, NULL)
             && bourse_engine_get_state (self->engine) == BOURSE_ENGINE_STATE_RUNNING;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, ok ? "ok" : "unavailable");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "uptime_seconds");
  json_builder_add_int_value (builder, bourse_engine_get_uptime_ms (self->engine) / 1000);
  add_database (self, builder, FALSE);
  json_builder_end_object (builder);

  bourse_request_reply_builder (request, ok ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, builder);
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
  BourseStore *store = bourse_engine_get_store (self->engine);
  gboolean ready = self->shutdown_task == NULL
                && bourse_engine_get_state (self->engine) == BOURSE_ENGINE_STATE_RUNNING
                && store != NULL && bourse_store_check (store, NULL);

  reply_status_word (request, ready ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE,
                     ready ? "ready" : "not-ready");
}

static void
metrics_cb (BourseRequest *request,
            gpointer       user_data)
{
  BourseServer *self = user_data;
  char *text = bourse_metrics_render (self->metrics, bourse_engine_get_uptime_ms (self->engine) / 1000.0);
  SoupServerMessage *message = bourse_request_get_message (request);

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "text/plain; version=0.0.4; charset=utf-8",
                                    SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
version_cb (BourseRequest *request,
            gpointer       user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

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
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
system_status_cb (BourseRequest *request,
                  gpointer       user_data)
{
  g_autoptr(JsonNode) status = _bourse_server_build_status (user_data);

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

void
_bourse_server_add_system_routes (BourseServer *self)
{
  BourseRouter *router = self->router;

  bourse_router_add (router, "GET", "/health", NULL, health_cb, self);
  bourse_router_add (router, "GET", "/live", NULL, live_cb, self);
  bourse_router_add (router, "GET", "/ready", NULL, ready_cb, self);
  bourse_router_add (router, "GET", "/metrics", "metrics.read", metrics_cb, self);
  bourse_router_add (router, "GET", "/api/v1/version", "system.read", version_cb, self);
  bourse_router_add (router, "GET", "/api/v1/system/status", "system.read", system_status_cb, self);
  bourse_router_add (router, "GET", "/api/v1/ws", "stream.subscribe", websocket_without_upgrade_cb, self);
}
