/* test-health.c — components' health: the listing, transitions as alerts and notifications
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>

#include "fake-exchange.h"
#include "desk-test-util.h"

/* The status of @component in GET /api/v1/health/components, or NULL. */
static char *
component_status (BourseTestServer *server,
                  const char       *component)
{
  g_autoptr(JsonNode) node = desk_expect (server, "GET", "/api/v1/health/components", NULL, NULL, 200);
  JsonArray *items = json_object_get_array_member (desk_object (node), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (item, "component"), component))
        return g_strdup (json_object_get_string_member (item, "status"));
    }
  return NULL;
}

typedef struct
{
  DeskWs     *ws;
  const char *component;
  const char *status;
  const char *previous;
} Wanted;

/* An alert of the component's transition to status, from previous. */
static gboolean
has_alert (gpointer data)
{
  Wanted *wanted = data;

  for (guint i = 0; i < desk_ws_count (wanted->ws, "alerts"); i++)
    {
      JsonObject *alert = desk_ws_event (wanted->ws, "alerts", i);

      if (g_strcmp0 (json_object_get_string_member_with_default (alert, "type", NULL), "component") == 0
          && g_strcmp0 (json_object_get_string_member_with_default (alert, "component", NULL), wanted->component) == 0
          && g_strcmp0 (json_object_get_string_member_with_default (alert, "status", NULL), wanted->status) == 0
          && g_strcmp0 (json_object_get_string_member_with_default (alert, "previous", NULL), wanted->previous) == 0)
        {
          g_assert_true (json_object_has_member (alert, "reason"));
          g_assert_true (json_object_has_member (alert, "since"));
          return TRUE;
        }
    }
  return FALSE;
}

static void
wait_alert (DeskWs     *ws,
            const char *component,
            const char *status,
            const char *previous)
{
  Wanted wanted = { ws, component, status, previous };
  g_autofree char *what = g_strdup_printf ("%s to go from %s to %s", component, previous, status);

  bourse_test_wait_until (has_alert, &wanted, 20000, what);
}

/* The component.status notification events stored for @component and @status. */
static guint
count_events (BourseTestServer *server,
              const char       *component,
              const char       *status)
{
  sqlite3 *db = bourse_store_get_db (bourse_engine_get_store (server->engine));
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT data FROM notification_events WHERE event = 'component.status'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) data = json_from_string ((const char *)sqlite3_column_text (stmt, 0), NULL);
      JsonObject *object = json_node_get_object (data);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "component", NULL), component) == 0
          && g_strcmp0 (json_object_get_string_member_with_default (object, "status", NULL), status) == 0)
        {
          g_assert_true (json_object_has_member (object, "previous"));
          g_assert_true (json_object_has_member (object, "since"));
          n++;
        }
    }
  sqlite3_finalize (stmt);
  return n;
}

typedef struct
{
  BourseTestServer *server;
  const char       *component;
  const char       *status;
} Status;

static gboolean
status_is (gpointer data)
{
  Status *wanted = data;
  g_autofree char *status = component_status (wanted->server, wanted->component);

  return g_strcmp0 (status, wanted->status) == 0;
}

static gboolean
stream_open (gpointer data)
{
  return fake_exchange_get_n_streams_open (data) > 0;
}

static void
test_components (void)
{
  FakeExchange *exchange = fake_exchange_new ();
  const char *settings[] = {
    "binance", "stream_url", fake_exchange_get_stream_url (exchange),
    "binance", "base_url", fake_exchange_get_url (exchange),
    "binance", "retry_base_ms", "50",
    "binance", "retry_max_ms", "200",
    "health", "check_interval", "1",
    /* Whatever the disk this runs on: the thresholds are the test's. */
    "health", "disk_warn_mb", "0",
    "health", "disk_min_mb", "0",
    NULL
  };
  BourseTestServer *server = desk_server_new (settings);
  g_autofree char *trader = NULL;
  g_autoptr(JsonNode) listing = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  g_autofree char *disk = NULL;
  Status feed_ok = { server, "feed:binance", "ok" };
  Status feed_degraded = { server, "feed:binance", "degraded" };
  DeskWs *ws;

  /* What the engine checks from the start; viewers and traders may read it. */
  desk_create_user (server, "tina", "trader");
  trader = desk_login (server, "tina", "trader");
  listing = desk_expect (server, "GET", "/api/v1/health/components", trader, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (listing), "status"), ==, "ok");
  database = component_status (server, "database");
  disk = component_status (server, "disk");
  g_assert_cmpstr (database, ==, "ok");
  g_assert_cmpstr (disk, ==, "ok");

  ws = desk_ws_connect (server, NULL);
  desk_ws_subscribe (ws, "[\"alerts\"]");

  /* A feed, once live, is a component. */
  created = desk_expect (server, "POST", "/api/v1/instruments", NULL,
                         "{\"symbol\":\"DOGEUSDT\",\"base_asset\":\"DOGE\",\"quote_asset\":\"USDT\","
                         "\"tick_size\":\"0.00001\",\"lot_step\":\"1\",\"source\":\"binance\"}", 201);
  bourse_test_wait_until (stream_open, exchange, 10000, "the kline stream to open");
  bourse_test_wait_until (status_is, &feed_ok, 20000, "feed:binance to be ok");

  /* The exchange goes away: degraded, told on alerts and stored for the notifications. */
  fake_exchange_set_refuse_streams (exchange, TRUE);
  fake_exchange_drop_streams (exchange);
  wait_alert (ws, "feed:binance", "degraded", "ok");
  bourse_test_wait_until (status_is, &feed_degraded, 20000, "feed:binance to be degraded");
  g_assert_cmpuint (count_events (server, "feed:binance", "degraded"), ==, 1);
  g_clear_pointer (&listing, json_node_unref);
  listing = desk_expect (server, "GET", "/api/v1/health/components", NULL, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (listing), "status"), ==, "degraded");

  /* And back. */
  fake_exchange_set_refuse_streams (exchange, FALSE);
  wait_alert (ws, "feed:binance", "ok", "degraded");
  g_assert_cmpuint (count_events (server, "feed:binance", "ok"), ==, 1);

  /* The disk's thresholds apply from the next check. */
  g_assert_true (bourse_config_set (server->config, "health", "disk_warn_mb", "1000000000",
                                    BOURSE_CONFIG_SOURCE_COMMAND_LINE, &error));
  g_assert_no_error (error);
  wait_alert (ws, "disk", "degraded", "ok");
  g_assert_true (bourse_config_set (server->config, "health", "disk_min_mb", "1000000000",
                                    BOURSE_CONFIG_SOURCE_COMMAND_LINE, &error));
  wait_alert (ws, "disk", "down", "degraded");
  g_assert_cmpuint (count_events (server, "disk", "down"), ==, 1);
  g_clear_pointer (&disk, g_free);
  disk = component_status (server, "disk");
  g_assert_cmpstr (disk, ==, "down");

  desk_ws_free (ws);
  bourse_test_server_free (server);
  fake_exchange_free (exchange);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/health/components", test_components);

  return g_test_run ();
}
