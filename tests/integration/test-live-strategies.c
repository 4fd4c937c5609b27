/* test-live-strategies.c — configured strategies, and their signals on the simulated market
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "desk/bourse-desk-live.h"

#include "desk-test-util.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)

static gint64
create_strategy (BourseTestServer *server,
                 const char       *token,
                 const char       *body)
{
  g_autoptr(JsonNode) node = desk_expect (server, "POST", "/api/v1/strategies", token, body, 201);

  return json_object_get_int_member (desk_object (node), "id");
}

static JsonNode *
get_strategy (BourseTestServer *server,
              gint64            id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/strategies/%" G_GINT64_FORMAT, id);

  return desk_expect (server, "GET", path, NULL, NULL, 200);
}

static JsonNode *
put_strategy (BourseTestServer *server,
              gint64            id,
              const char       *body,
              guint             expected)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/strategies/%" G_GINT64_FORMAT, id);

  return desk_expect (server, "PUT", path, NULL, body, expected);
}

static void
expect_field (BourseTestServer *server,
              const char       *method,
              const char       *path,
              const char       *body,
              const char       *field)
{
  desk_expect_field (server, method, path, NULL, body, 422, field);
}

static void
test_crud (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autofree char *tom = NULL;
  g_autofree char *vera = NULL;
  g_autofree char *path = NULL;
  g_autofree char *long_name = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) entries = NULL;
  JsonObject *object, *params;
  gint64 id, toms, tom_id;

  /* Weekly: nothing closes while the test runs, whatever the feed does. */
  node = desk_expect (server, "POST", "/api/v1/strategies", NULL,
                      "{\"name\":\"AR on BTC\",\"strategy\":\"A\",\"symbol\":\"BTCUSDT\",\"interval\":\"1w\","
                      "\"params\":{\"threshold\":0.01}}", 201);
  object = desk_object (node);
  id = json_object_get_int_member (object, "id");
  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "AR on BTC");
  g_assert_cmpstr (json_object_get_string_member (object, "strategy"), ==, "ar");
  g_assert_cmpstr (json_object_get_string_member (object, "symbol"), ==, "BTCUSDT");
  g_assert_cmpstr (json_object_get_string_member (object, "interval"), ==, "1w");
  g_assert_cmpstr (json_object_get_string_member (object, "policy"), ==, "manual");
  g_assert_true (json_object_get_boolean_member (object, "enabled"));
  g_assert_true (json_object_get_null_member (object, "model_id"));
  g_assert_true (json_object_get_null_member (object, "created_by"));
  g_assert_true (json_object_get_null_member (object, "last_signal_at"));
  g_assert_nonnull (json_object_get_string_member (object, "created_at"));
  g_assert_nonnull (json_object_get_string_member (object, "updated_at"));
  /* Every parameter, resolved against the type's description. */
  params = json_object_get_object_member (object, "params");
  g_assert_cmpfloat (json_object_get_double_member (params, "threshold"), ==, 0.01);
  g_assert_cmpint (json_object_get_int_member (params, "lags"), ==, 4);
  g_assert_cmpfloat (json_object_get_double_member (params, "stop_atr"), ==, 2);

  /* Each field checked on its own. */
  expect_field (server, "POST", "/api/v1/strategies", "{}", "name");
  long_name = g_strnfill (101, 'n');
  body = g_strdup_printf ("{\"name\":\"%s\",\"strategy\":\"A\",\"symbol\":\"BTCUSDT\",\"interval\":\"1h\"}", long_name);
  expect_field (server, "POST", "/api/v1/strategies", body, "name");
  expect_field (server, "POST", "/api/v1/strategies",
                "{\"name\":\"x\",\"symbol\":\"BTCUSDT\",\"interval\":\"1h\"}", "strategy");
  expect_field (server, "POST", "/api/v1/strategies",
                "{\"name\":\"x\",\"strategy\":\"Z\",\"symbol\":\"BTCUSDT\",\"interval\":\"1h\"}", "strategy");
  expect_field (server, "POST", "/api/v1/strategies",
                "{\"name\":\"x\",\"strategy\":\"A\",\"symbol\":\"NOPEUSDT\",\"interval\":\"1h\"}", "symbol");
  expect_field (server, "POST", "/api/v1/strategies", "{\"name\":\"x\",\"strategy\":\"A\",\"interval\":\"1h\"}",
                "symbol");
  expect_field (server, "POST", "/api/v1/strategies",
                "{\"name\":\"x\",\"strategy\":\"A\",\"symbol\":\"BTCUSDT\",\"interval\":\"7m\"}", "interval");
  expect_field (server, "POST", "/api/v1/strategies",
                "{\"name\":\"x\",\"strategy\":\"A\",\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"params\":[]}",
                "params");
  expect_field (server, "POST", "/api/v1/strategies",
                "{\"name\":\"x\",\"strategy\":\"A\",\"symbol\":\"BTCUSDT\",\"interval\":\"1h\","
                "\"params\":{\"lags\":99}}", "params.lags");
  expect_field (server, "POST", "/api/v1/strategies",
                "{\"name\":\"x\",\"strategy\":\"B\",\"symbol\":\"BTCUSDT\",\"interval\":\"1h\","
                "\"params\":{\"lags\":4}}", "params.lags");
  expect_field (server, "POST", "/api/v1/strategies",
                "{\"name\":\"x\",\"strategy\":\"A\",\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"policy\":\"yolo\"}",
                "policy");
  expect_field (server, "POST", "/api/v1/strategies",
                "{\"name\":\"x\",\"strategy\":\"A\",\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"enabled\":\"yes\"}",
                "enabled");

  /* Updates: what is given changes, the rest stays. */
  g_clear_pointer (&node, json_node_unref);
  node = put_strategy (server, id, "{\"policy\":\"notify-only\",\"enabled\":false}", 200);
  object = desk_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "policy"), ==, "notify-only");
  g_assert_false (json_object_get_boolean_member (object, "enabled"));
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "AR on BTC");
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (object, "params"), "threshold"),
                     ==, 0.01);

  /* Another type starts from its own defaults. */
  g_clear_pointer (&node, json_node_unref);
  node = put_strategy (server, id, "{\"strategy\":\"C\",\"name\":\"OU on BTC\"}", 200);
  params = json_object_get_object_member (desk_object (node), "params");
  g_assert_cmpstr (json_object_get_string_member (desk_object (node), "strategy"), ==, "ou");
  g_assert_cmpint (json_object_get_int_member (params, "window"), ==, 20);
  g_assert_false (json_object_has_member (params, "lags"));
  g_clear_pointer (&node, json_node_unref);
  node = put_strategy (server, id, "{\"params\":{\"window\":30}}", 200);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (desk_object (node), "params"), "window"),
                   ==, 30);
  path = g_strdup_printf ("/api/v1/strategies/%" G_GINT64_FORMAT, id);
  expect_field (server, "PUT", path, "{\"params\":{\"lags\":3}}", "params.lags");
  expect_field (server, "PUT", path, "{\"interval\":\"9h\"}", "interval");
  expect_field (server, "PUT", path, "{\"symbol\":\"NOPEUSDT\"}", "symbol");
  g_clear_pointer (&node, json_node_unref);
  node = put_strategy (server, 999, "{\"enabled\":true}", 404);
  /* A refused update changed nothing. */
  g_clear_pointer (&node, json_node_unref);
  node = get_strategy (server, id);
  g_assert_cmpstr (json_object_get_string_member (desk_object (node), "interval"), ==, "1w");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (desk_object (node), "params"), "window"),
                   ==, 30);

  /* Roles: traders configure, viewers look. */
  tom_id = desk_create_user (server, "tom", "trader");
  desk_create_user (server, "vera", "viewer");
  tom = desk_login (server, "tom", "trader");
  vera = desk_login (server, "vera", "viewer");
  toms = create_strategy (server, tom, "{\"name\":\"tom's\",\"strategy\":\"kalman\",\"symbol\":\"ETHUSDT\","
                                       "\"interval\":\"1w\",\"policy\":\"auto-paper\"}");
  g_clear_pointer (&node, json_node_unref);
  node = get_strategy (server, toms);
  g_assert_cmpint (json_object_get_int_member (desk_object (node), "created_by"), ==, tom_id);
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "POST", "/api/v1/strategies", vera,
                      "{\"name\":\"v\",\"strategy\":\"A\",\"symbol\":\"BTCUSDT\",\"interval\":\"1w\"}", 403);
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "GET", "/api/v1/strategies", vera, NULL, 200);
  {
    JsonArray *items = json_object_get_array_member (desk_object (node), "items");

    g_assert_cmpuint (json_array_get_length (items), ==, 2);
    /* Newest first. */
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "id"), ==, toms);
  }
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "GET", "/api/v1/strategies?limit=1", NULL, NULL, 200);
  g_assert_cmpint (g_ascii_strtoll (json_object_get_string_member (desk_object (node), "next_cursor"), NULL, 10), ==,
                   toms);
  {
    g_autofree char *next = g_strdup_printf ("/api/v1/strategies?limit=1&cursor=%" G_GINT64_FORMAT, toms);
    g_autoptr(JsonNode) page = desk_expect (server, "GET", next, NULL, NULL, 200);
    JsonArray *items = json_object_get_array_member (desk_object (page), "items");

    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "id"), ==, id);
    g_assert_true (json_object_get_null_member (desk_object (page), "next_cursor"));
  }

  /* Delete. */
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "DELETE", path, NULL, NULL, 204);
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "GET", path, NULL, NULL, 404);
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "DELETE", path, NULL, NULL, 404);

  /* Audited, each. */
  entries = desk_audit (server, "strategy.");
  {
    JsonArray *array = json_node_get_array (entries);
    guint creates = 0, updates = 0, deletes = 0;

    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        const char *action = json_object_get_string_member (json_array_get_object_element (array, i), "action");

        creates += g_str_equal (action, "strategy.create");
        updates += g_str_equal (action, "strategy.update");
        deletes += g_str_equal (action, "strategy.delete");
      }
    g_assert_cmpuint (creates, ==, 2);
    g_assert_cmpuint (updates, ==, 3);
    g_assert_cmpuint (deletes, ==, 1);
  }

  bourse_test_server_free (server);
}

/* The live cases share one simulated market at 60 minutes a minute (a
 * candle a second), started by the first of them. Only BTCUSDT trades, and
 * only while a case waits for signals: a sanitizer build spends most of its
 * time on the feed, and the checks afterwards should not wait for it. */
static BourseTestServer *sim;

static void
set_status (const char *symbol,
            const char *status)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/instruments/%s", symbol);
  g_autofree char *body = g_strdup_printf ("{\"status\":\"%s\"}", status);
  g_autoptr(JsonNode) node = desk_expect (sim, "PUT", path, NULL, body, 200);
}

static void
ensure_sim (void)
{
  if (sim != NULL)
    return;

  sim = desk_sim_server_new ("2", "60", NULL);
  set_status ("ETHUSDT", "halted");
  set_status ("SOLUSDT", "halted");
  set_status ("BTCUSDT", "halted");
}

static guint
count_items (const char *path)
{
  g_autoptr(JsonNode) node = desk_expect (sim, "GET", path, NULL, NULL, 200);

  return json_array_get_length (json_object_get_array_member (desk_object (node), "items"));
}

static JsonNode *
signals_of (gint64 strategy_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/signals?limit=500&strategy_id=%" G_GINT64_FORMAT, strategy_id);

  return desk_expect (sim, "GET", path, NULL, NULL, 200);
}

typedef struct
{
  gint64 strategy_id;
  guint  count;
} SignalsWanted;

static guint stored_signals (gint64 strategy_id);

/* Asks the store, not the API: a request from inside the wait would spin
 * the main loop so busily that idle sources (a feed going live) starve. */
static gboolean
has_signals (gpointer data)
{
  SignalsWanted *wanted = data;

  return stored_signals (wanted->strategy_id) >= wanted->count;
}

static guint
stored_signals (gint64 strategy_id)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  BourseSignalFilter filter = { ids, NULL, NULL, G_MININT64, G_MAXINT64, 0, 500 };

  g_array_append_val (ids, strategy_id);
  list = bourse_signals_list (bourse_engine_get_store (sim->engine), &filter, &error);
  g_assert_no_error (error);
  return list->len;
}

static void
wait_for_signals (gint64 strategy_id,
                  guint  count)
{
  SignalsWanted wanted = { strategy_id, count };

  bourse_test_wait_until (has_signals, &wanted, 30000, "signals");
}

static void
disable (gint64 id)
{
  g_autoptr(JsonNode) node = put_strategy (sim, id, "{\"enabled\":false}", 200);
}

static gboolean
idle_desk (gpointer data)
{
  return bourse_desk_get_n_running (bourse_engine_get_desk (sim->engine)) == 0;
}

/* GET /api/v1/<collection>/<id>. */
static JsonNode *
get_json (const char *collection,
          gint64      id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/%s/%" G_GINT64_FORMAT, collection, id);

  return desk_expect (sim, "GET", path, NULL, NULL, 200);
}

/* Signals on closed candles, and with the manual policy pending approvals. */
static void
test_manual (void)
{
  DeskWs *ws = (ensure_sim (), desk_ws_connect (sim, NULL));
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) strategy = NULL;
  g_autoptr(JsonNode) filtered = NULL;
  JsonArray *items;
  JsonObject *event;
  gint64 id, previous = G_MAXINT64;
  guint n;

  desk_ws_subscribe (ws, "[\"signals\"]");
  /* No threshold: every forecast is a trade. */
  id = create_strategy (sim, NULL, "{\"name\":\"manual\",\"strategy\":\"A\",\"symbol\":\"BTCUSDT\","
                                   "\"interval\":\"1m\",\"params\":{\"threshold\":0}}");
  set_status ("BTCUSDT", "trading");
  wait_for_signals (id, 3);
  disable (id);
  bourse_test_wait_until (idle_desk, NULL, 10000, "evaluations to end");

  /* Disabled, it says nothing more while the market goes on. */
  n = stored_signals (id);
  bourse_test_spin (3000);
  g_assert_cmpuint (stored_signals (id), ==, n);
  set_status ("BTCUSDT", "halted");
  bourse_test_wait_until (idle_desk, NULL, 10000, "evaluations to end");

  /* Published as stored. */
  desk_ws_wait (ws, "signals", 3);
  event = desk_ws_event (ws, "signals", 0);
  g_assert_cmpint (json_object_get_int_member (event, "strategy_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (event, "symbol"), ==, "BTCUSDT");

  node = signals_of (id);
  items = json_object_get_array_member (desk_object (node), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, n);
  g_assert_cmpuint (n, >=, 3);
  /* The three newest in detail. */
  for (guint i = 0; i < MIN (n, 3); i++)
    {
      JsonObject *signal = json_array_get_object_element (items, i);
      gint64 candle_time = json_object_get_int_member (signal, "candle_time");
      gint64 recommendation_id;
      g_autoptr(JsonNode) recommendation = NULL;
      g_autoptr(JsonNode) approval = NULL;
      JsonObject *rec;

      /* Newest first, one per closed minute at most. */
      g_assert_cmpint (candle_time % MINUTE_MS, ==, 0);
      g_assert_cmpint (candle_time, <, previous);
      previous = candle_time;
      g_assert_cmpstr (json_object_get_string_member (signal, "strategy"), ==, "ar");
      g_assert_cmpstr (json_object_get_string_member (signal, "interval"), ==, "1m");
      g_assert_true (json_object_has_member (json_object_get_object_member (signal, "metrics"), "expected_return"));

      /* A trade each: a live recommendation with a pending approval. */
      g_assert_cmpstr (json_object_get_string_member (signal, "decision"), !=, "NO_TRADE");
      recommendation_id = json_object_get_int_member (signal, "recommendation_id");
      recommendation = get_json ("recommendations", recommendation_id);
      rec = desk_object (recommendation);
      g_assert_cmpstr (json_object_get_string_member (rec, "origin"), ==, "live");
      g_assert_cmpint (json_object_get_int_member (rec, "strategy_id"), ==, id);
      g_assert_true (json_object_get_boolean_member (rec, "simulated"));
      g_assert_cmpstr (json_object_get_string_member (rec, "decision"), ==,
                       json_object_get_string_member (signal, "decision"));
      g_assert_cmpstr (json_object_get_string_member (rec, "entry"), ==, json_object_get_string_member (signal, "entry"));
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (rec, "window"), "end"), ==,
                       candle_time);
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (rec, "window"), "candles"), ==, 500);
      approval = get_json ("approvals", json_object_get_int_member (rec, "approval_id"));
      g_assert_cmpstr (json_object_get_string_member (desk_object (approval), "status"), ==, "pending");

      if (i == 0)
        {
          g_autoptr(JsonNode) one = get_json ("signals",
                                              json_object_get_int_member (signal, "id"));

          g_assert_true (json_object_equal (desk_object (one), signal));
        }
    }

  strategy = get_json ("strategies", id);
  g_assert_nonnull (json_object_get_string_member (desk_object (strategy), "last_signal_at"));

  /* The filter of seed 004. */
  {
    g_autofree char *body = g_strdup_printf ("{\"strategy_ids\":[%" G_GINT64_FORMAT "],\"symbols\":[\"BTCUSDT\"],"
                                             "\"decisions\":[\"BUY\",\"SELL\"],\"since\":%" G_GINT64_FORMAT
                                             ",\"limit\":500}", id, previous + MINUTE_MS);

    filtered = desk_expect (sim, "POST", "/api/v1/signals/filter", NULL, body, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (filtered), "items")), ==,
                      MIN (n, 3) - 1);
  }
  g_assert_cmpuint (count_items ("/api/v1/signals?symbol=ETHUSDT&decision=NO_TRADE"), ==, 0);
  desk_expect_field (sim, "POST", "/api/v1/signals/filter", NULL, "{\"decisions\":[\"HOLD\"]}", 422, "decisions");
  desk_expect_field (sim, "POST", "/api/v1/signals/filter", NULL, "{\"symbols\":\"BTCUSDT\"}", 422, "symbols");
  desk_expect_field (sim, "POST", "/api/v1/signals/filter", NULL, "{\"strategy_ids\":[0]}", 422, "strategy_ids");
  desk_expect_field (sim, "POST", "/api/v1/signals/filter", NULL, "{\"since\":\"later\"}", 422, "since");
  desk_expect_field (sim, "POST", "/api/v1/signals/filter", NULL, "{\"since\":5,\"until\":5}", 422, "since");
  desk_expect_field (sim, "POST", "/api/v1/signals/filter", NULL, "{\"limit\":0}", 422, "limit");
  desk_expect_field (sim, "GET", "/api/v1/signals?decision=HOLD", NULL, NULL, 422, "decision");
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (sim, "GET", "/api/v1/signals/999999", NULL, NULL, 404);

  desk_ws_free (ws);
}

static void
test_policies (void)
{
  g_autoptr(JsonNode) auto_signals = NULL;
  g_autoptr(JsonNode) notify_signals = NULL;
  g_autoptr(JsonNode) quiet_signals = NULL;
  g_autoptr(JsonNode) entries = NULL;
  gint64 auto_id, notify_id, quiet_id;
  JsonArray *items;
  guint system_approvals = 0;

  ensure_sim ();
  auto_id = create_strategy (sim, NULL, "{\"name\":\"auto\",\"strategy\":\"A\",\"symbol\":\"BTCUSDT\","
                                        "\"interval\":\"1m\",\"policy\":\"auto-paper\",\"params\":{\"threshold\":0}}");
  notify_id = create_strategy (sim, NULL, "{\"name\":\"notify\",\"strategy\":\"A\",\"symbol\":\"BTCUSDT\","
                                          "\"interval\":\"1m\",\"policy\":\"notify-only\","
                                          "\"params\":{\"threshold\":0}}");
  /* A 100% move in five minutes: never. */
  quiet_id = create_strategy (sim, NULL, "{\"name\":\"quiet\",\"strategy\":\"A\",\"symbol\":\"BTCUSDT\","
                                         "\"interval\":\"1m\",\"params\":{\"threshold\":1}}");
  set_status ("BTCUSDT", "trading");
  wait_for_signals (auto_id, 2);
  wait_for_signals (notify_id, 2);
  wait_for_signals (quiet_id, 2);
  set_status ("BTCUSDT", "halted");
  bourse_test_wait_until (idle_desk, NULL, 10000, "evaluations to end");

  /* auto-paper: approved at once by the engine, no person named. */
  auto_signals = signals_of (auto_id);
  items = json_object_get_array_member (desk_object (auto_signals), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *signal = json_array_get_object_element (items, i);
      g_autoptr(JsonNode) rec = get_json ("recommendations",
                                          json_object_get_int_member (signal, "recommendation_id"));
      g_autoptr(JsonNode) approval = get_json ("approvals",
                                               json_object_get_int_member (desk_object (rec), "approval_id"));
      JsonObject *object = desk_object (approval);

      g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "approved");
      g_assert_true (json_object_get_null_member (object, "decided_by"));
      g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, "auto-paper policy");
    }
  entries = desk_audit (sim, "approval.approve");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (entries)); i++)
    system_approvals += g_str_equal (json_object_get_string_member (
                                       json_array_get_object_element (json_node_get_array (entries), i), "actor"),
                                     "system");
  g_assert_cmpuint (system_approvals, ==, json_array_get_length (items));

  /* notify-only: recommendations, no approval. */
  notify_signals = signals_of (notify_id);
  items = json_object_get_array_member (desk_object (notify_signals), "items");
  g_assert_cmpuint (json_array_get_length (items), >=, 2);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *signal = json_array_get_object_element (items, i);
      g_autoptr(JsonNode) rec = get_json ("recommendations",
                                          json_object_get_int_member (signal, "recommendation_id"));

      g_assert_cmpstr (json_object_get_string_member (desk_object (rec), "decision"), !=, "NO_TRADE");
      g_assert_true (json_object_get_null_member (desk_object (rec), "approval_id"));
    }

  /* NO_TRADE: a signal, nothing more. */
  quiet_signals = signals_of (quiet_id);
  items = json_object_get_array_member (desk_object (quiet_signals), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *signal = json_array_get_object_element (items, i);

      g_assert_cmpstr (json_object_get_string_member (signal, "decision"), ==, "NO_TRADE");
      g_assert_true (json_object_get_null_member (signal, "recommendation_id"));
      g_assert_true (json_object_get_null_member (signal, "entry"));
    }
  g_assert_cmpuint (count_items ("/api/v1/recommendations?origin=live&decision=NO_TRADE"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/live/crud", test_crud);
  g_test_add_func ("/live/manual", test_manual);
  g_test_add_func ("/live/policies", test_policies);

  status = g_test_run ();
  g_clear_pointer (&sim, bourse_test_server_free);
  return status;
}
