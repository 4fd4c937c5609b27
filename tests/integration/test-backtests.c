/* test-backtests.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backtests through the API (docs/BACKTESTS.md "API"): a run as a job and
 * its result, which is bourse_backtest_run () on the same stored candles;
 * the list and its pages, notes, deletes, comparisons, every refusal
 * naming its member, the roles, a cancel, and a restart.
 *
 * A cancel and a shutdown have to find a run still going, whatever the
 * machine's speed: the "test-gate" strategy (desk-test-util's, a plugin as
 * strategies are) holds its first evaluation until the test opens the
 * gate.
 */

#include <string.h>

#include "backtest/bourse-backtests.h"
#include "core/bourse-json.h"
#include "market/bourse-candles.h"

#include "desk-test-util.h"

#define HOUR_MS     G_GINT64_CONSTANT (3600000)
#define MINUTE_MS   G_GINT64_CONSTANT (60000)
#define T0          G_GINT64_CONSTANT (1767225600000)   /* 2026-01-01T00:00:00Z */
#define SYMBOL      "BKTUSDT"
#define N_HOURS     400
#define N_MINUTES   6000    /* more than the run's cancel checks apart (4096) */

static BourseTestServer *server;
static char *trader_token;
static char *other_token;
static char *viewer_token;

/* Helpers {{{ */

static BourseDecimal
cents (gint64 hundredths)
{
  return (BourseDecimal) { hundredths * (BOURSE_DECIMAL_UNIT / 100) };
}

/* A seeded walk on the tick grid, trending up and down for the moving
 * averages to cross. */
static void
seed_candles (BourseInterval interval,
              gint64         step,
              guint          n,
              guint32        seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GArray) candles = g_array_sized_new (FALSE, TRUE, sizeof (BourseCandle), n);
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(GError) error = NULL;
  BourseStore *store = bourse_engine_get_store (server->engine);
  gint64 price = 10000;
  gsize changed = 0;

  instrument = bourse_instruments_find (store, SYMBOL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      BourseCandle c = { 0 };
      gint64 drift = (i / 25) % 2 == 0 ? 8 : -8;
      gint64 open = price, close = MAX (1000, price + drift + g_rand_int_range (rand, -40, 41));

      c.open_time = T0 + i * step;
      c.open = cents (open);
      c.close = cents (close);
      c.high = cents (MAX (open, close) + g_rand_int_range (rand, 0, 15));
      c.low = cents (MIN (open, close) - g_rand_int_range (rand, 0, 15));
      c.volume = cents (100);
      c.trades = 10;
      c.closed = TRUE;
      g_array_append_val (candles, c);
      price = close + g_rand_int_range (rand, -3, 4);
    }
  bourse_candles_upsert (store, instrument->id, interval, (const BourseCandle *) (gpointer) candles->data, n,
                         &changed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, n);
}

static char *
time_text (gint64 ms)
{
  return bourse_time_format_rfc3339 (ms);
}

/* A request of sma-cross 4/12 on the hours [50, 400), with @extra members
 * ("" or ",\"note\":\"…\""). */
static char *
sma_request (const char *extra)
{
  g_autofree char *start = time_text (T0 + 50 * HOUR_MS);
  g_autofree char *end = time_text (T0 + N_HOURS * HOUR_MS);

  return g_strdup_printf ("{\"strategy\":\"sma-cross\",\"params\":{\"fast\":4,\"slow\":12},\"symbol\":\"" SYMBOL "\","
                          "\"interval\":\"1h\",\"start\":\"%s\",\"end\":\"%s\",\"exits\":\"signals\"%s}",
                          start, end, extra);
}

/* A request whose answer is only its status. */
static void
expect (BourseTestServer *test_server,
        const char       *method,
        const char       *path,
        const char       *token,
        const char       *body,
        guint             status)
{
  g_autoptr(JsonNode) node = desk_expect (test_server, method, path, token, body, status);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  return json_object_get_object_member (object, name);
}

typedef struct
{
  gint64          id;
  BourseJobStatus status;
} Wanted;

/* Asks the engine, not the API, from inside the wait. */
static gboolean
has_status (gpointer data)
{
  Wanted *wanted = data;
  g_autoptr(BourseBacktestRecord) record =
    bourse_backtests_get (bourse_engine_get_backtests (server->engine), wanted->id, FALSE, NULL);

  return record != NULL && record->status == wanted->status;
}

static void
wait_for (gint64          id,
          BourseJobStatus status)
{
  Wanted wanted = { id, status };
  g_autofree char *what = g_strdup_printf ("backtest %" G_GINT64_FORMAT " to be %s", id,
                                           bourse_job_status_to_string (status));

  bourse_test_wait_until (has_status, &wanted, 120000, what);
}

/* POSTs @body as @token, expecting 202; the backtest's id, and its job's. */
static gint64
post_backtest (const char *token,
               const char *body,
               gint64     *job_id)
{
  g_autoptr(JsonNode) node = desk_expect (server, "POST", "/api/v1/backtests", token, body, 202);
  JsonObject *backtest = member_object (desk_object (node), "backtest");
  JsonObject *job = member_object (desk_object (node), "job");

  g_assert_cmpstr (json_object_get_string_member (job, "kind"), ==, "backtest.run");
  g_assert_cmpint (json_object_get_int_member (backtest, "job_id"), ==, json_object_get_int_member (job, "id"));
  if (job_id != NULL)
    *job_id = json_object_get_int_member (job, "id");
  return json_object_get_int_member (backtest, "id");
}

static gint64
run_sma (const char *token,
         const char *extra)
{
  g_autofree char *body = sma_request (extra);
  gint64 id = post_backtest (token, body, NULL);

  wait_for (id, BOURSE_JOB_SUCCEEDED);
  return id;
}

static JsonNode *
get_backtest (gint64 id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/backtests/%" G_GINT64_FORMAT, id);

  return desk_expect (server, "GET", path, NULL, NULL, 200);
}

static void
assert_json_equal (JsonNode   *a,
                   JsonNode   *b,
                   const char *what)
{
  g_autofree char *text_a = bourse_json_to_string (a, NULL);
  g_autofree char *text_b = bourse_json_to_string (b, NULL);

  g_test_message ("%s: %.200s", what, text_a);
  g_assert_cmpstr (text_a, ==, text_b);
}

/* }}} */

/* A run, its result, and the same run in-process. */
static void
test_run (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(JsonNode) audit = NULL;
  g_autoptr(BourseStrategy) sma = bourse_strategy_lookup ("sma-cross");
  g_autoptr(JsonObject) given = json_object_new ();
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(BourseBacktestSeries) series = NULL;
  g_autoptr(BourseBacktestResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  static const char * const metrics[] = {
    "total_return", "annualised_return", "volatility", "sharpe", "sortino", "calmar", "max_drawdown",
    "max_drawdown_duration_ms", "win_rate", "profit_factor", "expectancy", "exposure", "trades",
    "average_duration_ms", "fees", "buy_and_hold_return",
  };
  BourseBacktestSpec spec;
  JsonObject *backtest, *got, *summary, *request;
  JsonArray *audit_items;
  gint64 id;
  gboolean found = FALSE;

  id = run_sma (trader_token, ",\"note\":\"first\"");
  node = get_backtest (id);
  backtest = desk_object (node);

  g_assert_cmpstr (json_object_get_string_member (backtest, "status"), ==, "succeeded");
  g_assert_true (json_object_get_null_member (backtest, "error"));
  g_assert_cmpstr (json_object_get_string_member (backtest, "strategy"), ==, "sma-cross");
  g_assert_cmpstr (json_object_get_string_member (backtest, "symbol"), ==, SYMBOL);
  g_assert_cmpstr (json_object_get_string_member (backtest, "interval"), ==, "1h");
  g_assert_cmpstr (json_object_get_string_member (backtest, "start"), ==, "2026-01-03T02:00:00.000Z");
  g_assert_cmpstr (json_object_get_string_member (backtest, "note"), ==, "first");
  g_assert_cmpstr (json_object_get_string_member (backtest, "created_by_name"), ==, "trina");
  g_assert_true (json_object_get_null_member (backtest, "optimisation_id"));
  g_assert_nonnull (json_object_get_string_member (backtest, "finished_at"));
  /* The request as stored: every parameter, the defaults filled in. */
  request = member_object (backtest, "request");
  g_assert_cmpint (json_object_get_int_member (member_object (request, "params"), "fast"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (member_object (request, "params"), "slow"), ==, 12);
  g_assert_cmpstr (json_object_get_string_member (request, "exits"), ==, "signals");
  g_assert_cmpint (json_object_get_int_member (request, "slippage_bps"), ==, 2);
  g_assert_true (json_object_get_null_member (request, "lookback"));
  g_assert_false (json_object_has_member (request, "note"));

  got = member_object (backtest, "result");
  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    g_assert_true (json_object_has_member (member_object (got, "metrics"), metrics[i]));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (got, "trades")), >=, 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (got, "equity")), ==, N_HOURS - 50);
  g_assert_cmpint (json_object_get_int_member (got, "candles"), ==, N_HOURS - 50);
  summary = member_object (backtest, "summary");
  g_assert_cmpfloat (json_object_get_double_member (summary, "total_return"), ==,
                     json_object_get_double_member (member_object (got, "metrics"), "total_return"));
  g_assert_cmpint (json_object_get_int_member (summary, "trades"), ==,
                   json_object_get_int_member (member_object (got, "metrics"), "trades"));

  /* The same run in this process, on the same stored candles. */
  json_object_set_int_member (given, "fast", 4);
  json_object_set_int_member (given, "slow", 12);
  params = bourse_strategy_resolve_parameters (sma, given, NULL, &error);
  g_assert_no_error (error);
  bourse_backtest_spec_init (&spec, sma, params);
  spec.exits = BOURSE_BACKTEST_EXITS_SIGNALS;
  series = bourse_backtest_series_load (bourse_engine_get_store (server->engine), SYMBOL, BOURSE_INTERVAL_1H,
                                        T0 + 50 * HOUR_MS, T0 + N_HOURS * HOUR_MS,
                                        bourse_backtest_spec_get_lookback (&spec) - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (series->first, ==, 50);
  result = bourse_backtest_run (series, &spec, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  expected = bourse_backtest_result_to_json (result);
  assert_json_equal (json_object_get_member (got, "trades"),
                     json_object_get_member (json_node_get_object (expected), "trades"), "trades");
  assert_json_equal (json_object_get_member (got, "metrics"),
                     json_object_get_member (json_node_get_object (expected), "metrics"), "metrics");
  assert_json_equal (json_object_get_member (got, "equity"),
                     json_object_get_member (json_node_get_object (expected), "equity"), "equity");
  g_assert_cmpstr (json_object_get_string_member (got, "final_equity"), ==,
                   json_object_get_string_member (json_node_get_object (expected), "final_equity"));

  /* Audited once it ended, with what ran. */
  audit = desk_audit (server, "backtest.run");
  audit_items = json_node_get_array (audit);
  target = g_strdup_printf ("backtest:%" G_GINT64_FORMAT, id);
  for (guint i = 0; i < json_array_get_length (audit_items); i++)
    {
      JsonObject *entry = json_array_get_object_element (audit_items, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "target"), target) == 0)
        {
          found = TRUE;
          g_assert_cmpstr (json_object_get_string_member (member_object (entry, "details"), "status"), ==,
                           "succeeded");
        }
    }
  g_assert_true (found);
}

/* Changes on the backtests topic, for live lists. */
static void
test_topic (void)
{
  DeskWs *ws = desk_ws_connect (server, viewer_token);
  gboolean created = FALSE, ended = FALSE;
  gint64 id;

  desk_ws_subscribe (ws, "[\"backtests\"]");
  id = run_sma (trader_token, "");
  /* The topic may begin with the last event before this subscription. */
  for (guint n = 1; !ended; n++)
    {
      JsonObject *event;

      g_assert_cmpuint (n, <=, 10);
      desk_ws_wait (ws, "backtests", n);
      event = desk_ws_event (ws, "backtests", n - 1);
      if (json_object_get_int_member (event, "id") != id)
        continue;
      g_assert_false (json_object_has_member (event, "result"));
      if (g_str_equal (json_object_get_string_member (event, "status"), "succeeded"))
        ended = TRUE;
      else
        created = TRUE;
    }
  g_assert_true (created);
  desk_ws_free (ws);
}

static void
test_list (void)
{
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) filtered = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autofree char *path = NULL;
  JsonArray *items;
  gint64 a, b, c, next;

  a = run_sma (trader_token, "");
  b = run_sma (other_token, "");
  c = run_sma (trader_token, "");

  first = desk_expect (server, "GET", "/api/v1/backtests?limit=2", viewer_token, NULL, 200);
  items = json_object_get_array_member (desk_object (first), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "id"), ==, c);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 1), "id"), ==, b);
  g_assert_false (json_object_has_member (json_array_get_object_element (items, 0), "result"));
  next = g_ascii_strtoll (json_object_get_string_member (desk_object (first), "next_cursor"), NULL, 10);
  g_assert_cmpint (next, ==, b);

  path = g_strdup_printf ("/api/v1/backtests?limit=1&cursor=%" G_GINT64_FORMAT, next);
  second = desk_expect (server, "GET", path, viewer_token, NULL, 200);
  items = json_object_get_array_member (desk_object (second), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "id"), ==, a);

  /* An alias filters as its type does. */
  filtered = desk_expect (server, "GET", "/api/v1/backtests?strategy=sma-cross&symbol=" SYMBOL "&limit=500",
                          NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (filtered), "items")), >=, 3);
  g_assert_true (json_object_get_null_member (desk_object (filtered), "next_cursor"));
  none = desk_expect (server, "GET", "/api/v1/backtests?optimisation_id=1", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (none), "items")), ==, 0);

  desk_expect_field (server, "GET", "/api/v1/backtests?limit=0", NULL, NULL, 422, "limit");
  desk_expect_field (server, "GET", "/api/v1/backtests?symbol=bad!", NULL, NULL, 422, "symbol");
}

static void
test_note (void)
{
  g_autoptr(JsonNode) noted = NULL;
  g_autoptr(JsonNode) by_admin = NULL;
  g_autoptr(JsonNode) audit = NULL;
  g_autofree char *path = NULL;
  g_autofree char *long_note = NULL;
  g_autofree char *body = NULL;
  gint64 id = run_sma (trader_token, "");

  path = g_strdup_printf ("/api/v1/backtests/%" G_GINT64_FORMAT, id);
  noted = desk_expect (server, "PATCH", path, trader_token, "{\"note\":\"fast 4 looks good\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (noted), "note"), ==, "fast 4 looks good");
  /* Another trader's is not theirs to change; an admin's is. */
  desk_expect_field (server, "PATCH", path, other_token, "{\"note\":\"mine now\"}", 403, "id");
  by_admin = desk_expect (server, "PATCH", path, NULL, "{\"note\":\"\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (by_admin), "note"), ==, "");
  expect (server, "PATCH", path, viewer_token, "{\"note\":\"x\"}", 403);

  long_note = g_strnfill (2001, 'n');
  body = g_strdup_printf ("{\"note\":\"%s\"}", long_note);
  desk_expect_field (server, "PATCH", path, trader_token, body, 422, "note");
  desk_expect_field (server, "PATCH", path, trader_token, "{\"note\":5}", 422, "note");
  desk_expect_field (server, "PATCH", path, trader_token, "{\"note\":\"a\",\"strategy\":\"rsi\"}", 422, "strategy");
  expect (server, "PATCH", "/api/v1/backtests/999999", trader_token, "{\"note\":\"a\"}", 404);

  audit = desk_audit (server, "backtest.note");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (audit)), >=, 2);
}

static void
test_delete (void)
{
  g_autoptr(JsonNode) audit = NULL;
  g_autofree char *path = NULL;
  gint64 id = run_sma (trader_token, "");

  path = g_strdup_printf ("/api/v1/backtests/%" G_GINT64_FORMAT, id);
  desk_expect_field (server, "DELETE", path, other_token, NULL, 403, "id");
  expect (server, "DELETE", path, viewer_token, NULL, 403);
  expect (server, "DELETE", path, trader_token, NULL, 204);
  expect (server, "GET", path, NULL, NULL, 404);
  expect (server, "DELETE", path, trader_token, NULL, 404);
  audit = desk_audit (server, "backtest.delete");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (audit)), ==, 1);
}

/* A run held at the gate: the backtest's id, and its job's. */
static gint64
start_gated (gint64 *job_id)
{
  g_autofree char *start = time_text (T0 + 600 * MINUTE_MS);
  g_autofree char *end = time_text (T0 + N_MINUTES * MINUTE_MS);
  g_autofree char *body = g_strdup_printf ("{\"strategy\":\"test-gate\",\"symbol\":\"" SYMBOL "\",\"interval\":\"1m\","
                                           "\"start\":\"%s\",\"end\":\"%s\"}", start, end);
  gint64 id;

  desk_gate_reset ();
  id = post_backtest (trader_token, body, job_id);
  bourse_test_wait_until (desk_gate_is_entered, NULL, 120000, "the run to reach the gate");
  return id;
}

/* The job cancelled: the run stops at its next look, and the backtest ends
 * cancelled. */
static gint64
cancelled_backtest (void)
{
  g_autoptr(JsonNode) running = NULL;
  g_autoptr(JsonNode) cancelled = NULL;
  g_autofree char *cancel = NULL;
  gint64 job_id, id;

  id = start_gated (&job_id);
  running = get_backtest (id);
  g_assert_cmpstr (json_object_get_string_member (desk_object (running), "status"), ==, "running");
  g_assert_true (json_object_get_null_member (desk_object (running), "summary"));

  cancel = g_strdup_printf ("/api/v1/jobs/%" G_GINT64_FORMAT "/cancel", job_id);
  expect (server, "POST", cancel, trader_token, NULL, 202);
  desk_gate_release (FALSE);
  wait_for (id, BOURSE_JOB_CANCELLED);
  cancelled = get_backtest (id);
  g_assert_cmpstr (json_object_get_string_member (desk_object (cancelled), "status"), ==, "cancelled");
  g_assert_true (json_object_get_null_member (desk_object (cancelled), "summary"));
  g_assert_false (json_object_has_member (desk_object (cancelled), "result"));
  return id;
}

static void
test_cancel (void)
{
  cancelled_backtest ();
}

static void
test_compare (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  g_autofree char *conflict = NULL;
  g_autofree char *missing = NULL;
  JsonArray *items;
  JsonObject *item;
  gint64 a = run_sma (trader_token, "");
  gint64 b = run_sma (other_token, "");
  gint64 cancelled = cancelled_backtest ();

  /* A read: viewers compare too, in the order asked. */
  body = g_strdup_printf ("{\"ids\":[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "]}", b, a);
  node = desk_expect (server, "POST", "/api/v1/backtests/compare", viewer_token, body, 200);
  items = json_object_get_array_member (desk_object (node), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  item = json_array_get_object_element (items, 0);
  g_assert_cmpint (json_object_get_int_member (item, "id"), ==, b);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 1), "id"), ==, a);
  g_assert_cmpint (json_object_get_int_member (member_object (item, "params"), "slow"), ==, 12);
  g_assert_true (json_object_has_member (member_object (item, "metrics"), "sharpe"));
  g_assert_cmpstr (json_object_get_string_member (item, "interval"), ==, "1h");

  conflict = g_strdup_printf ("{\"ids\":[%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "]}", a, cancelled);
  desk_expect_field (server, "POST", "/api/v1/backtests/compare", NULL, conflict, 409, "ids");
  missing = g_strdup_printf ("{\"ids\":[%" G_GINT64_FORMAT ",999999]}", a);
  desk_expect_field (server, "POST", "/api/v1/backtests/compare", NULL, missing, 422, "ids");
  desk_expect_field (server, "POST", "/api/v1/backtests/compare", NULL, "{\"ids\":[1]}", 422, "ids");
  desk_expect_field (server, "POST", "/api/v1/backtests/compare", NULL,
                     "{\"ids\":[1,2,3,4,5,6,7,8,9,10,11]}", 422, "ids");
  desk_expect_field (server, "POST", "/api/v1/backtests/compare", NULL, "{\"ids\":[1,\"2\"]}", 422, "ids");
  desk_expect_field (server, "POST", "/api/v1/backtests/compare", NULL, "{}", 422, "ids");
  desk_expect_field (server, "POST", "/api/v1/backtests/compare", NULL, "{\"ids\":[1,2],\"x\":1}", 422, "x");
}

/* Every refusal is a 422 naming the member. */
static void
test_invalid (void)
{
  g_autofree char *start = time_text (T0 + 50 * HOUR_MS);
  g_autofree char *end = time_text (T0 + N_HOURS * HOUR_MS);
  g_autofree char *base = g_strdup_printf ("\"symbol\":\"" SYMBOL "\",\"interval\":\"1h\",\"start\":\"%s\","
                                           "\"end\":\"%s\"", start, end);
  g_autofree char *long_note = g_strnfill (2001, 'n');
  const struct
  {
    const char *members;   /* the request: {"strategy":"sma-cross", base, members} unless it starts with '!' */
    const char *field;
  } cases[] = {
    { "!{\"symbol\":\"" SYMBOL "\"}", "strategy" },
    { "!{\"strategy\":\"no-such\"}", "strategy" },
    { ",\"params\":{\"fast\":0}", "params.fast" },
    { ",\"params\":{\"slow\":\"thirty\"}", "params.slow" },
    { ",\"params\":{\"bogus\":1}", "params.bogus" },
    { ",\"params\":[1]", "params" },
    { ",\"starting_cash\":10000", "starting_cash" },
    { ",\"starting_cash\":\"0\"", "starting_cash" },
    { ",\"starting_cash\":\"lots\"", "starting_cash" },
    { ",\"fee_rate\":0.001", "fee_rate" },
    { ",\"fee_rate\":\"0.2\"", "fee_rate" },
    { ",\"slippage_bps\":1001", "slippage_bps" },
    { ",\"slippage_bps\":\"2\"", "slippage_bps" },
    { ",\"slippage_bps\":2.5", "slippage_bps" },
    { ",\"stake_fraction\":\"1.5\"", "stake_fraction" },
    { ",\"stake_fraction\":\"0\"", "stake_fraction" },
    { ",\"exits\":\"sometimes\"", "exits" },
    { ",\"lookback\":3", "lookback" },
    { ",\"lookback\":5001", "lookback" },
    { ",\"allow_short\":\"yes\"", "allow_short" },
    { ",\"protections\":1", "protections" },
    { ",\"note\":7", "note" },
    { ",\"colour\":\"blue\"", "colour" },
  };
  const struct
  {
    const char *body;
    const char *field;
  } windows[] = {
    { "{\"strategy\":\"sma-cross\",\"symbol\":\"NOSUCHUSDT\",\"interval\":\"1h\",\"start\":\"2026-01-01T00:00:00Z\","
      "\"end\":\"2026-02-01T00:00:00Z\"}", "symbol" },
    { "{\"strategy\":\"sma-cross\",\"interval\":\"1h\",\"start\":\"2026-01-01T00:00:00Z\","
      "\"end\":\"2026-02-01T00:00:00Z\"}", "symbol" },
    { "{\"strategy\":\"sma-cross\",\"symbol\":\"" SYMBOL "\",\"interval\":\"2m\",\"start\":\"2026-01-01T00:00:00Z\","
      "\"end\":\"2026-02-01T00:00:00Z\"}", "interval" },
    { "{\"strategy\":\"sma-cross\",\"symbol\":\"" SYMBOL "\",\"interval\":\"1h\",\"start\":\"yesterday\","
      "\"end\":\"2026-02-01T00:00:00Z\"}", "start" },
    { "{\"strategy\":\"sma-cross\",\"symbol\":\"" SYMBOL "\",\"interval\":\"1h\",\"start\":1767225600000,"
      "\"end\":\"2026-02-01T00:00:00Z\"}", "start" },
    { "{\"strategy\":\"sma-cross\",\"symbol\":\"" SYMBOL "\",\"interval\":\"1h\",\"start\":\"2026-01-01T00:00:00Z\"}",
      "end" },
    { "{\"strategy\":\"sma-cross\",\"symbol\":\"" SYMBOL "\",\"interval\":\"1h\",\"start\":\"2026-02-01T00:00:00Z\","
      "\"end\":\"2026-02-01T00:00:00Z\"}", "end" },
    { "{\"strategy\":\"sma-cross\",\"symbol\":\"" SYMBOL "\",\"interval\":\"1h\",\"start\":\"2026-02-01T00:00:00Z\","
      "\"end\":\"2026-01-01T00:00:00Z\"}", "end" },
    { "{\"strategy\":\"sma-cross\",\"symbol\":\"" SYMBOL "\",\"interval\":\"1h\",\"start\":\"2016-01-01T00:00:00Z\","
      "\"end\":\"2026-02-01T00:00:00Z\"}", "end" },
    /* No candle in the window: said now, not by a failed job. */
    { "{\"strategy\":\"sma-cross\",\"symbol\":\"" SYMBOL "\",\"interval\":\"1h\",\"start\":\"2025-01-01T00:00:00Z\","
      "\"end\":\"2025-02-01T00:00:00Z\"}", "start" },
  };
  g_autofree char *noted = g_strdup_printf ("{\"strategy\":\"sma-cross\",%s,\"note\":\"%s\"}", base, long_note);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = cases[i].members[0] == '!'
                                ? g_strdup (cases[i].members + 1)
                                : g_strdup_printf ("{\"strategy\":\"sma-cross\",%s%s}", base, cases[i].members);

      desk_expect_field (server, "POST", "/api/v1/backtests", trader_token, body, 422, cases[i].field);
    }
  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    desk_expect_field (server, "POST", "/api/v1/backtests", trader_token, windows[i].body, 422, windows[i].field);
  desk_expect_field (server, "POST", "/api/v1/backtests", trader_token, noted, 422, "note");
  /* Not a JSON object at all. */
  expect (server, "POST", "/api/v1/backtests", trader_token, "[]", 400);
}

/* With protections, the run gets the global limits in force and applies them. */
static void
test_protections (void)
{
  g_autoptr(JsonNode) node = NULL;
  gint64 id = run_sma (trader_token, ",\"protections\":true");

  node = get_backtest (id);
  g_assert_true (json_object_get_boolean_member (member_object (desk_object (node), "request"), "protections"));
  g_assert_true (json_object_get_boolean_member (member_object (desk_object (node), "result"),
                                                 "protections_applied"));
}

static void
test_roles (void)
{
  g_autofree char *body = sma_request ("");
  g_autoptr(JsonNode) list = NULL;

  expect (server, "POST", "/api/v1/backtests", viewer_token, body, 403);
  list = desk_expect (server, "GET", "/api/v1/backtests", viewer_token, NULL, 200);
  g_assert_true (json_object_has_member (desk_object (list), "items"));
}

/* What a stop finds running, and what a crash left running, are failed
 * ("interrupted") after the restart. */
static void
test_restart (void)
{
  g_autoptr(JsonNode) stopped = NULL;
  g_autoptr(JsonNode) crashed = NULL;
  gint64 finished = run_sma (trader_token, "");
  gint64 job_id, running;

  desk_mark_running (server, "backtests", finished);

  running = start_gated (&job_id);
  desk_gate_release_on_stop (server);
  bourse_test_server_restart (server);

  stopped = get_backtest (running);
  desk_assert_interrupted (stopped);
  crashed = get_backtest (finished);
  desk_assert_interrupted (crashed);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  bourse_strategies_ensure ();
  desk_gate_register ();

  server = desk_server_new (NULL);
  desk_create_user (server, "trina", "trader");
  desk_create_user (server, "otto", "trader");
  desk_create_user (server, "vic", "viewer");
  trader_token = desk_login (server, "trina", "trader");
  other_token = desk_login (server, "otto", "trader");
  viewer_token = desk_login (server, "vic", "viewer");
  expect (server, "POST", "/api/v1/instruments", NULL,
               "{\"symbol\":\"" SYMBOL "\",\"base_asset\":\"BKT\",\"quote_asset\":\"USDT\",\"tick_size\":\"0.01\","
               "\"lot_step\":\"0.001\",\"min_notional\":\"5\",\"source\":\"csv\"}", 201);
  seed_candles (BOURSE_INTERVAL_1H, HOUR_MS, N_HOURS, 20260101);
  seed_candles (BOURSE_INTERVAL_1M, MINUTE_MS, N_MINUTES, 20260102);

  g_test_add_func ("/backtests/run", test_run);
  g_test_add_func ("/backtests/topic", test_topic);
  g_test_add_func ("/backtests/list", test_list);
  g_test_add_func ("/backtests/note", test_note);
  g_test_add_func ("/backtests/delete", test_delete);
  g_test_add_func ("/backtests/cancel", test_cancel);
  g_test_add_func ("/backtests/compare", test_compare);
  g_test_add_func ("/backtests/invalid", test_invalid);
  g_test_add_func ("/backtests/protections", test_protections);
  g_test_add_func ("/backtests/roles", test_roles);
  g_test_add_func ("/backtests/restart", test_restart);

  status = g_test_run ();
  g_free (trader_token);
  g_free (other_token);
  g_free (viewer_token);
  bourse_test_server_free (server);
  return status;
}
