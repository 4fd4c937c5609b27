/* test-recommendations.c — POST /api/v1/recommendations on the simulated market
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "desk-test-util.h"

static BourseTestServer *server;

static JsonNode *
analyse (const char *token,
         const char *body)
{
  return desk_expect (server, "POST", "/api/v1/recommendations", token, body, 201);
}

static void
assert_decimal_or_null (JsonObject *object,
                        const char *member,
                        gboolean    null)
{
  JsonNode *node = json_object_get_member (object, member);
  BourseDecimal value;

  g_assert_nonnull (node);
  if (null)
    {
      g_assert_true (JSON_NODE_HOLDS_NULL (node));
      return;
    }
  g_assert_true (bourse_decimal_parse (json_node_get_string (node), &value, NULL));
  g_assert_cmpint (value.units, >, 0);
  /* On BTCUSDT's 0.01 tick. */
  g_assert_cmpint (value.units % 1000000, ==, 0);
}

/* Every member of the contract, with its type. */
static void
assert_shape (JsonObject *rec,
              const char *symbol,
              const char *interval,
              const char *strategy)
{
  const char *decision = json_object_get_string_member (rec, "decision");
  gboolean trade = !g_str_equal (decision, "NO_TRADE");
  JsonObject *window = json_object_get_object_member (rec, "window");
  BourseDecimal entry, stop, target;
  double confidence;

  g_assert_cmpint (json_object_get_int_member (rec, "id"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (rec, "symbol"), ==, symbol);
  g_assert_cmpstr (json_object_get_string_member (rec, "interval"), ==, interval);
  g_assert_cmpstr (json_object_get_string_member (rec, "strategy"), ==, strategy);
  g_assert_true (json_object_get_null_member (rec, "strategy_id"));
  g_assert_true (g_str_equal (decision, "BUY") || g_str_equal (decision, "SELL") || g_str_equal (decision, "NO_TRADE"));
  assert_decimal_or_null (rec, "entry", !trade);
  assert_decimal_or_null (rec, "stop_loss", !trade);
  assert_decimal_or_null (rec, "take_profit", !trade);
  confidence = json_object_get_double_member (rec, "confidence");
  g_assert_cmpfloat (confidence, >=, 0);
  g_assert_cmpfloat (confidence, <=, 1);
  g_assert_cmpstr (json_object_get_string_member (rec, "reason"), !=, "");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (rec, "metrics")));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (rec, "params")));
  g_assert_cmpstr (json_object_get_string_member (rec, "origin"), ==, "analysis");
  g_assert_true (json_object_get_boolean_member (rec, "simulated"));
  g_assert_nonnull (json_object_get_string_member (rec, "created_at"));
  g_assert_cmpint (json_object_get_int_member (window, "start"), <, json_object_get_int_member (window, "end"));
  g_assert_cmpint (json_object_get_int_member (window, "candles"), >, 30);

  if (trade)
    {
      g_assert_true (bourse_decimal_parse (json_object_get_string_member (rec, "entry"), &entry, NULL));
      g_assert_true (bourse_decimal_parse (json_object_get_string_member (rec, "stop_loss"), &stop, NULL));
      g_assert_true (bourse_decimal_parse (json_object_get_string_member (rec, "take_profit"), &target, NULL));
      if (g_str_equal (decision, "BUY"))
        g_assert_true (stop.units < entry.units && entry.units < target.units);
      else
        g_assert_true (target.units < entry.units && entry.units < stop.units);
      g_assert_cmpfloat (json_object_get_double_member (rec, "risk_reward"), >, 0);
      g_assert_cmpint (json_object_get_int_member (rec, "approval_id"), >, 0);
    }
  else
    {
      g_assert_true (json_object_get_null_member (rec, "risk_reward"));
      g_assert_true (json_object_get_null_member (rec, "approval_id"));
      g_assert_cmpfloat (confidence, ==, 0);
    }
}

/* A, B and C by alias and by id, on two days of the simulated BTCUSDT. */
static void
test_models (void)
{
  static const struct
  {
    const char *name;
    const char *id;
    const char *metric;
  } models[] = {
    { "A", "ar", "coefficients" },
    { "ar", "ar", "coefficients" },
    { "B", "kalman", "trend_strength" },
    { "kalman", "kalman", "trend_strength" },
    { "c", "ou", "z" },
    { "ou", "ou", "z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"%s\","
                                               "\"last_n_days\":2}", models[i].name);
      g_autoptr(JsonNode) node = analyse (NULL, body);
      g_autoptr(JsonNode) again = NULL;
      g_autoptr(JsonNode) candles = NULL;
      g_autofree char *path = NULL;
      JsonObject *rec = desk_object (node);
      JsonObject *window = json_object_get_object_member (rec, "window");

      g_test_message ("%s: %s %s", models[i].name, json_object_get_string_member (rec, "decision"),
                      json_object_get_string_member (rec, "reason"));
      assert_shape (rec, "BTCUSDT", "15m", models[i].id);
      g_assert_true (json_object_has_member (json_object_get_object_member (rec, "metrics"), models[i].metric));
      /* The local owner is no user. */
      g_assert_true (json_object_get_null_member (rec, "created_by"));

      /* The window is the closed 15m candles of the two days. */
      path = g_strdup_printf ("/api/v1/market/candles/BTCUSDT?interval=15m&start=%" G_GINT64_FORMAT
                              "&end=%" G_GINT64_FORMAT "&limit=5000",
                              json_object_get_int_member (window, "start"), json_object_get_int_member (window, "end"));
      candles = desk_expect (server, "GET", path, NULL, NULL, 200);
      g_assert_cmpint (json_array_get_length (json_object_get_array_member (desk_object (candles), "items")), ==,
                       json_object_get_int_member (window, "candles"));
      g_assert_cmpint (json_object_get_int_member (window, "candles"), >=, 2 * 96 - 2);
      g_assert_cmpint (json_object_get_int_member (window, "candles"), <=, 2 * 96);

      /* Stored as answered (and both answers parsed as JSON: json-glib 1.6
       * would write a double like 1e-08 as the invalid "1e-08.0"). */
      g_free (path);
      path = g_strdup_printf ("/api/v1/recommendations/%" G_GINT64_FORMAT, json_object_get_int_member (rec, "id"));
      again = desk_expect (server, "GET", path, NULL, NULL, 200);
      g_assert_true (json_node_equal (node, again));
    }
}

/* NO_TRADE opens no approval; a trade does, and names its asker. */
static void
test_approval_or_not (void)
{
  g_autofree char *tom = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autoptr(JsonNode) trade = NULL;
  g_autoptr(JsonNode) approval = NULL;
  g_autoptr(JsonNode) approvals = NULL;
  g_autofree char *path = NULL;
  gint64 tom_id;
  JsonObject *rec;

  tom_id = desk_create_user (server, "tom", "trader");
  tom = desk_login (server, "tom", "trader");

  /* A forecast can hardly move 50% in five quarters of an hour. */
  none = analyse (tom, "{\"symbol\":\"ETHUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"last_n_days\":2,"
                       "\"params\":{\"threshold\":0.5}}");
  rec = desk_object (none);
  assert_shape (rec, "ETHUSDT", "15m", "ar");
  g_assert_cmpstr (json_object_get_string_member (rec, "decision"), ==, "NO_TRADE");
  g_assert_true (json_object_get_null_member (rec, "approval_id"));
  g_assert_cmpint (json_object_get_int_member (rec, "created_by"), ==, tom_id);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (rec, "params"), "threshold"),
                     ==, 0.5);

  /* Any forecast at all is a trade without a threshold. */
  trade = analyse (tom, "{\"symbol\":\"ETHUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"last_n_days\":2,"
                        "\"params\":{\"threshold\":0}}");
  rec = desk_object (trade);
  assert_shape (rec, "ETHUSDT", "15m", "ar");
  g_assert_cmpstr (json_object_get_string_member (rec, "decision"), !=, "NO_TRADE");

  path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT, json_object_get_int_member (rec, "approval_id"));
  approval = desk_expect (server, "GET", path, NULL, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (approval), "status"), ==, "pending");
  g_assert_cmpint (json_object_get_int_member (desk_object (approval), "requested_by"), ==, tom_id);
  g_assert_cmpint (json_object_get_int_member (desk_object (approval), "recommendation_id"), ==,
                   json_object_get_int_member (rec, "id"));

  /* The NO_TRADE is in no approval. */
  approvals = desk_expect (server, "GET", "/api/v1/approvals?limit=500", NULL, NULL, 200);
  {
    JsonArray *items = json_object_get_array_member (desk_object (approvals), "items");

    for (guint i = 0; i < json_array_get_length (items); i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, i), "recommendation_id"),
                       !=, json_object_get_int_member (desk_object (none), "id"));
  }

  /* Start and end as RFC 3339 work as well as milliseconds. */
  {
    gint64 now = bourse_time_now_ms ();
    g_autofree char *start = bourse_time_format_rfc3339 (now - 36 * 3600 * 1000);
    g_autofree char *body = g_strdup_printf ("{\"symbol\":\"SOLUSDT\",\"interval\":\"5m\",\"strategy\":\"C\","
                                             "\"start\":\"%s\",\"end\":%" G_GINT64_FORMAT "}", start, now);
    g_autoptr(JsonNode) node = analyse (tom, body);
    JsonObject *window = json_object_get_object_member (desk_object (node), "window");

    assert_shape (desk_object (node), "SOLUSDT", "5m", "ou");
    g_assert_cmpint (json_object_get_int_member (window, "start"), >=, now - 36 * 3600 * 1000);
    g_assert_cmpint (json_object_get_int_member (window, "end"), <, now);
  }
}

static void
expect_field (const char *token,
              const char *body,
              const char *field)
{
  desk_expect_field (server, "POST", "/api/v1/recommendations", token, body, 422, field);
}

static void
test_validation (void)
{
  g_autofree char *vera = NULL;
  g_autofree char *far = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 now = bourse_time_now_ms ();

  expect_field (NULL, "{\"interval\":\"15m\",\"strategy\":\"A\",\"last_n_days\":2}", "symbol");
  expect_field (NULL, "{\"symbol\":\"NOPEUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"last_n_days\":2}", "symbol");
  expect_field (NULL, "{\"symbol\":12,\"interval\":\"15m\",\"strategy\":\"A\",\"last_n_days\":2}", "symbol");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"strategy\":\"A\",\"last_n_days\":2}", "interval");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"2m\",\"strategy\":\"A\",\"last_n_days\":2}", "interval");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"last_n_days\":2}", "strategy");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"Z\",\"last_n_days\":2}", "strategy");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"last_n_days\":2,"
                      "\"params\":[1]}", "params");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"last_n_days\":2,"
                      "\"params\":{\"nope\":1}}", "params.nope");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"last_n_days\":2,"
                      "\"params\":{\"lags\":0}}", "params.lags");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"last_n_days\":2,"
                      "\"params\":{\"lags\":\"four\"}}", "params.lags");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"C\",\"last_n_days\":2,"
                      "\"params\":{\"short_window\":200,\"long_window\":100}}", "params.short_window");

  /* The window. */
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"A\"}", "last_n_days");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"last_n_days\":0}",
                "last_n_days");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"last_n_days\":366}",
                "last_n_days");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"last_n_days\":\"2\"}",
                "last_n_days");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"last_n_days\":2,"
                      "\"start\":0,\"end\":1}", "last_n_days");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"start\":0}", "end");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"end\":0}", "start");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"start\":\"yesterday\","
                      "\"end\":0}", "start");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"A\","
                      "\"start\":\"2026-01-02T00:00:00Z\",\"end\":\"2026-01-01T00:00:00Z\"}", "start");
  /* Too long a range, too many candles. */
  far = g_strdup_printf ("{\"symbol\":\"BTCUSDT\",\"interval\":\"1d\",\"strategy\":\"A\",\"start\":%" G_GINT64_FORMAT
                         ",\"end\":%" G_GINT64_FORMAT "}", now - G_GINT64_CONSTANT (400) * 86400000, now);
  expect_field (NULL, far, "end");
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"1m\",\"strategy\":\"A\",\"last_n_days\":100}",
                "last_n_days");
  /* Too few candles for the model: three days, three daily candles at most. */
  expect_field (NULL, "{\"symbol\":\"BTCUSDT\",\"interval\":\"1d\",\"strategy\":\"A\",\"last_n_days\":3}",
                "last_n_days");
  {
    g_autofree char *narrow = g_strdup_printf ("{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"strategy\":\"C\","
                                               "\"start\":%" G_GINT64_FORMAT ",\"end\":%" G_GINT64_FORMAT "}",
                                               now - 20 * 3600000, now);
    expect_field (NULL, narrow, "start");
  }

  /* Viewers read but do not ask. */
  desk_create_user (server, "vera", "viewer");
  vera = desk_login (server, "vera", "viewer");
  node = desk_expect (server, "POST", "/api/v1/recommendations", vera,
                      "{\"symbol\":\"BTCUSDT\",\"interval\":\"15m\",\"strategy\":\"A\",\"last_n_days\":2}", 403);
}

static guint
count_items (const char *path)
{
  g_autoptr(JsonNode) node = desk_expect (server, "GET", path, NULL, NULL, 200);

  return json_array_get_length (json_object_get_array_member (desk_object (node), "items"));
}

static void
test_listing (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gint64 cursor = 0, previous = G_MAXINT64;
  guint total, pages = 0;

  /* What the tests before made: six on BTCUSDT, three on ETHUSDT and SOLUSDT. */
  total = count_items ("/api/v1/recommendations?limit=500");
  g_assert_cmpuint (total, ==, 9);
  g_assert_cmpuint (count_items ("/api/v1/recommendations?symbol=BTCUSDT"), ==, 6);
  g_assert_cmpuint (count_items ("/api/v1/recommendations?strategy=A"), ==, 4);
  g_assert_cmpuint (count_items ("/api/v1/recommendations?strategy=ar"), ==, 4);
  g_assert_cmpuint (count_items ("/api/v1/recommendations?strategy=kalman"), ==, 2);
  g_assert_cmpuint (count_items ("/api/v1/recommendations?strategy=C&symbol=SOLUSDT"), ==, 1);
  g_assert_cmpuint (count_items ("/api/v1/recommendations?origin=analysis"), ==, 9);
  g_assert_cmpuint (count_items ("/api/v1/recommendations?origin=live"), ==, 0);
  g_assert_cmpuint (count_items ("/api/v1/recommendations?decision=NO_TRADE")
                    + count_items ("/api/v1/recommendations?decision=BUY")
                    + count_items ("/api/v1/recommendations?decision=SELL"), ==, 9);
  g_assert_cmpuint (count_items ("/api/v1/recommendations?decision=NO_TRADE&symbol=ETHUSDT"), >=, 1);

  desk_expect_field (server, "GET", "/api/v1/recommendations?decision=MAYBE", NULL, NULL, 422, "decision");
  desk_expect_field (server, "GET", "/api/v1/recommendations?origin=mars", NULL, NULL, 422, "origin");
  desk_expect_field (server, "GET", "/api/v1/recommendations?limit=501", NULL, NULL, 422, "limit");
  desk_expect_field (server, "GET", "/api/v1/recommendations?cursor=x", NULL, NULL, 422, "cursor");
  node = desk_expect (server, "GET", "/api/v1/recommendations/99999", NULL, NULL, 404);

  /* Two at a time, newest first, each once. */
  do
    {
      g_autofree char *path = cursor ? g_strdup_printf ("/api/v1/recommendations?limit=2&cursor=%" G_GINT64_FORMAT,
                                                        cursor)
                                     : g_strdup ("/api/v1/recommendations?limit=2");
      g_autoptr(JsonNode) page = desk_expect (server, "GET", path, NULL, NULL, 200);
      JsonArray *items = json_object_get_array_member (desk_object (page), "items");

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          gint64 id = json_object_get_int_member (json_array_get_object_element (items, i), "id");

          g_assert_cmpint (id, <, previous);
          previous = id;
          g_assert_true (g_hash_table_add (seen, g_memdup2 (&id, sizeof id)));
        }
      cursor = json_object_get_null_member (desk_object (page), "next_cursor")
                 ? 0 : g_ascii_strtoll (json_object_get_string_member (desk_object (page), "next_cursor"), NULL, 10);
      pages++;
    }
  while (cursor != 0);
  g_assert_cmpuint (g_hash_table_size (seen), ==, total);
  g_assert_cmpuint (pages, ==, (total + 1) / 2);

  /* Each analysis is audited. */
  {
    g_autoptr(JsonNode) entries = desk_audit (server, "recommendation.create");

    g_assert_cmpuint (json_array_get_length (json_node_get_array (entries)), ==, total);
  }
}

/* The types the forms are built from. */
static void
test_types (void)
{
  g_autoptr(JsonNode) node = desk_expect (server, "GET", "/api/v1/strategies/types", NULL, NULL, 200);
  JsonArray *items = json_object_get_array_member (desk_object (node), "items");
  gboolean found_ar = FALSE;

  g_assert_cmpuint (json_array_get_length (items), >=, 5);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *type = json_array_get_object_element (items, i);
      JsonObject *parameters = json_object_get_object_member (type, "parameters");

      g_assert_nonnull (json_object_get_string_member (type, "name"));
      g_assert_nonnull (json_object_get_string_member (type, "version"));
      g_assert_cmpstr (json_object_get_string_member (parameters, "type"), ==, "object");
      g_assert_true (json_object_has_member (json_object_get_object_member (parameters, "properties"), "stop_atr"));
      if (g_str_equal (json_object_get_string_member (type, "id"), "ar"))
        {
          JsonArray *aliases = json_object_get_array_member (type, "aliases");
          JsonObject *lags = json_object_get_object_member (json_object_get_object_member (parameters, "properties"),
                                                            "lags");

          found_ar = TRUE;
          g_assert_cmpuint (json_array_get_length (aliases), ==, 1);
          g_assert_cmpstr (json_array_get_string_element (aliases, 0), ==, "A");
          g_assert_cmpint (json_object_get_int_member (lags, "default"), ==, 4);
          g_assert_cmpint (json_object_get_int_member (lags, "minimum"), ==, 1);
        }
    }
  g_assert_true (found_ar);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  /* One simulated market for the whole file: its backfill is the slow part.
   * The cases run in order, and the listing counts what the others made. */
  g_test_add_func ("/recommendations/types", test_types);
  g_test_add_func ("/recommendations/models", test_models);
  g_test_add_func ("/recommendations/approval-or-not", test_approval_or_not);
  g_test_add_func ("/recommendations/validation", test_validation);
  g_test_add_func ("/recommendations/listing", test_listing);

  server = desk_sim_server_new ("3", "1", NULL);
  status = g_test_run ();
  bourse_test_server_free (server);
  return status;
}
