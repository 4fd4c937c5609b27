/* test-market.c — instruments and candles over HTTP and in the store
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "auth/bourse-audit.h"
#include "market/bourse-candles.h"
#include "market/bourse-instruments.h"

#include "bourse-test-server.h"

#define VIEWER_PASSWORD "seven hundred red balloons"
#define MINUTE          G_GINT64_CONSTANT (60000)
/* 2024-01-01T00:00:00Z */
#define T0              G_GINT64_CONSTANT (1704067200000)

/* Cheap hashing keeps the suite fast under sanitizers. */
static const char * const fast_hashing[] = {
  "auth", "password_opslimit", "1",
  "auth", "password_memlimit_kib", "8",
  "auth", "secrets_backend", "file",
  NULL
};

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static BourseStore *
store_of (BourseTestServer *server)
{
  return bourse_auth_get_store (bourse_engine_get_auth (server->engine));
}

/* Sends a request as the owner (admin); returns the status, and the JSON body in *json if asked. */
static guint
request (BourseTestServer  *server,
         const char        *method,
         const char        *path,
         const char        *body,
         JsonNode         **json)
{
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (server, method, path, NULL, body ? "application/json" : NULL, body, -1);

  if (json != NULL)
    *json = bourse_test_response_json (response);
  return response->status;
}

/* A problem's first field name. */
static const char *
problem_field (JsonNode *problem)
{
  JsonArray *errors = json_object_get_array_member (object_of (problem), "errors");

  g_assert_nonnull (errors);
  g_assert_cmpuint (json_array_get_length (errors), >=, 1);
  return json_object_get_string_member (json_array_get_object_element (errors, 0), "field");
}

static void
assert_refused (BourseTestServer *server,
                const char       *method,
                const char       *path,
                const char       *body,
                guint             status,
                const char       *field)
{
  g_autoptr(JsonNode) problem = NULL;

  g_test_message ("%s %s %s", method, path, body ? body : "");
  g_assert_cmpuint (request (server, method, path, body, &problem), ==, status);
  g_assert_cmpstr (problem_field (problem), ==, field);
}

static void
test_demo_instruments (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) btc = NULL;
  JsonArray *instruments;
  JsonObject *o;

  g_assert_cmpuint (request (server, "GET", "/api/v1/instruments", NULL, &list), ==, 200);
  instruments = json_object_get_array_member (object_of (list), "items");
  g_assert_cmpuint (json_array_get_length (instruments), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (instruments, 0), "symbol"), ==,
                   "BTCUSDT");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (instruments, 1), "symbol"), ==,
                   "ETHUSDT");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (instruments, 2), "symbol"), ==,
                   "SOLUSDT");

  g_assert_cmpuint (request (server, "GET", "/api/v1/instruments/BTCUSDT", NULL, &btc), ==, 200);
  o = object_of (btc);
  g_assert_cmpstr (json_object_get_string_member (o, "base_asset"), ==, "BTC");
  g_assert_cmpstr (json_object_get_string_member (o, "quote_asset"), ==, "USDT");
  g_assert_cmpstr (json_object_get_string_member (o, "tick_size"), ==, "0.01000000");
  g_assert_cmpstr (json_object_get_string_member (o, "lot_step"), ==, "0.00001000");
  g_assert_cmpstr (json_object_get_string_member (o, "min_notional"), ==, "5.00000000");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "trading");
  g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "simulated");
  g_assert_true (json_object_get_boolean_member (o, "simulated"));

  bourse_test_server_free (server);
}

static guint
count_audit (BourseTestServer *server,
             const char       *action,
             const char       *target)
{
  BourseAuditFilter filter = { .action = action, .target = target, .limit = 500 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = bourse_audit_list (store_of (server), &filter, &error);

  g_assert_no_error (error);
  return entries->len;
}

static void
test_instrument_crud (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(JsonNode) fetched = NULL;
  g_autoptr(JsonNode) list = NULL;
  JsonObject *o;

  g_assert_cmpuint (request (server, "POST", "/api/v1/instruments",
                             "{\"symbol\":\"ADAUSDT\",\"base_asset\":\"ADA\",\"quote_asset\":\"USDT\","
                             "\"tick_size\":\"0.0001\",\"lot_step\":\"0.1\",\"min_notional\":\"5\"}",
                             &created), ==, 201);
  o = object_of (created);
  g_assert_cmpstr (json_object_get_string_member (o, "symbol"), ==, "ADAUSDT");
  g_assert_cmpstr (json_object_get_string_member (o, "tick_size"), ==, "0.00010000");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "trading");
  g_assert_cmpstr (json_object_get_string_member (o, "source"), ==, "csv");
  g_assert_false (json_object_get_boolean_member (o, "simulated"));
  g_assert_cmpuint (count_audit (server, "instrument.create", "instrument:ADAUSDT"), ==, 1);

  g_assert_cmpuint (request (server, "GET", "/api/v1/instruments", NULL, &list), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (list), "items")), ==, 4);

  /* Duplicate: 409 naming the symbol, and nothing audited. */
  assert_refused (server, "POST", "/api/v1/instruments",
                  "{\"symbol\":\"ADAUSDT\",\"base_asset\":\"ADA\",\"quote_asset\":\"USDT\","
                  "\"tick_size\":\"0.0001\",\"lot_step\":\"0.1\"}", 409, "symbol");
  g_assert_cmpuint (count_audit (server, "instrument.create", "instrument:ADAUSDT"), ==, 1);

  g_assert_cmpuint (request (server, "PUT", "/api/v1/instruments/ADAUSDT",
                             "{\"tick_size\":\"0.001\",\"status\":\"halted\",\"symbol\":\"ADAUSDT\"}", &updated),
                    ==, 200);
  o = object_of (updated);
  g_assert_cmpstr (json_object_get_string_member (o, "tick_size"), ==, "0.00100000");
  g_assert_cmpstr (json_object_get_string_member (o, "lot_step"), ==, "0.10000000");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "halted");
  g_assert_cmpuint (count_audit (server, "instrument.update", "instrument:ADAUSDT"), ==, 1);

  g_assert_cmpuint (request (server, "GET", "/api/v1/instruments/ADAUSDT", NULL, &fetched), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object_of (fetched), "status"), ==, "halted");

  /* What identifies an instrument cannot change; a bad update changes nothing. */
  assert_refused (server, "PUT", "/api/v1/instruments/ADAUSDT", "{\"symbol\":\"ADAEUR\"}", 422, "symbol");
  assert_refused (server, "PUT", "/api/v1/instruments/ADAUSDT", "{\"quote_asset\":\"EUR\"}", 422, "quote_asset");
  assert_refused (server, "PUT", "/api/v1/instruments/ADAUSDT", "{\"source\":\"binance\"}", 422, "source");
  assert_refused (server, "PUT", "/api/v1/instruments/ADAUSDT", "{\"tick_size\":\"0\"}", 422, "tick_size");
  assert_refused (server, "PUT", "/api/v1/instruments/ADAUSDT", "{\"lot_step\":\"-1\"}", 422, "lot_step");
  assert_refused (server, "PUT", "/api/v1/instruments/ADAUSDT", "{\"min_notional\":\"x\"}", 422, "min_notional");
  assert_refused (server, "PUT", "/api/v1/instruments/ADAUSDT", "{\"status\":\"open\"}", 422, "status");
  g_assert_cmpuint (count_audit (server, "instrument.update", "instrument:ADAUSDT"), ==, 1);
  g_assert_cmpuint (request (server, "PUT", "/api/v1/instruments/NOPE", "{}", NULL), ==, 404);

  g_assert_cmpuint (request (server, "DELETE", "/api/v1/instruments/ADAUSDT", NULL, NULL), ==, 204);
  g_assert_cmpuint (count_audit (server, "instrument.delete", "instrument:ADAUSDT"), ==, 1);
  g_assert_cmpuint (request (server, "GET", "/api/v1/instruments/ADAUSDT", NULL, NULL), ==, 404);
  g_assert_cmpuint (request (server, "DELETE", "/api/v1/instruments/ADAUSDT", NULL, NULL), ==, 404);
  g_assert_cmpuint (count_audit (server, "instrument.", NULL), ==, 3);

  bourse_test_server_free (server);
}

static void
test_instrument_validation (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  static const struct {
    const char *body;
    const char *field;
  } cases[] = {
    { "{}", "symbol" },
    { "{\"symbol\":\"X\",\"base_asset\":\"X\",\"quote_asset\":\"Y\",\"tick_size\":\"1\",\"lot_step\":\"1\"}",
      "symbol" },
    { "{\"symbol\":\"btcusdt\",\"base_asset\":\"BTC\",\"quote_asset\":\"USDT\",\"tick_size\":\"1\","
      "\"lot_step\":\"1\"}", "symbol" },
    { "{\"symbol\":\"ABCDEFGHIJKLMNOPQRSTU\",\"base_asset\":\"A\",\"quote_asset\":\"B\",\"tick_size\":\"1\","
      "\"lot_step\":\"1\"}", "symbol" },
    { "{\"symbol\":42,\"base_asset\":\"A\",\"quote_asset\":\"B\",\"tick_size\":\"1\",\"lot_step\":\"1\"}",
      "symbol" },
    { "{\"symbol\":\"NEWUSD\",\"quote_asset\":\"USD\",\"tick_size\":\"1\",\"lot_step\":\"1\"}", "base_asset" },
    { "{\"symbol\":\"NEWUSD\",\"base_asset\":\"NE-W\",\"quote_asset\":\"USD\",\"tick_size\":\"1\","
      "\"lot_step\":\"1\"}", "base_asset" },
    { "{\"symbol\":\"NEWUSD\",\"base_asset\":\"NEW\",\"quote_asset\":\"ABCDEFGHIJK\",\"tick_size\":\"1\","
      "\"lot_step\":\"1\"}", "quote_asset" },
    { "{\"symbol\":\"NEWUSD\",\"base_asset\":\"NEW\",\"quote_asset\":\"USD\",\"tick_size\":\"0\","
      "\"lot_step\":\"1\"}", "tick_size" },
    { "{\"symbol\":\"NEWUSD\",\"base_asset\":\"NEW\",\"quote_asset\":\"USD\",\"tick_size\":\"-0.01\","
      "\"lot_step\":\"1\"}", "tick_size" },
    { "{\"symbol\":\"NEWUSD\",\"base_asset\":\"NEW\",\"quote_asset\":\"USD\",\"tick_size\":0.01,"
      "\"lot_step\":\"1\"}", "tick_size" },
    { "{\"symbol\":\"NEWUSD\",\"base_asset\":\"NEW\",\"quote_asset\":\"USD\",\"tick_size\":\"0.000000001\","
      "\"lot_step\":\"1\"}", "tick_size" },
    { "{\"symbol\":\"NEWUSD\",\"base_asset\":\"NEW\",\"quote_asset\":\"USD\",\"tick_size\":\"1\","
      "\"lot_step\":\"0\"}", "lot_step" },
    { "{\"symbol\":\"NEWUSD\",\"base_asset\":\"NEW\",\"quote_asset\":\"USD\",\"tick_size\":\"1\","
      "\"lot_step\":\"abc\"}", "lot_step" },
    { "{\"symbol\":\"NEWUSD\",\"base_asset\":\"NEW\",\"quote_asset\":\"USD\",\"tick_size\":\"1\","
      "\"lot_step\":\"1\",\"min_notional\":\"-5\"}", "min_notional" },
    { "{\"symbol\":\"NEWUSD\",\"base_asset\":\"NEW\",\"quote_asset\":\"USD\",\"tick_size\":\"1\","
      "\"lot_step\":\"1\",\"min_notional\":\"1.2.3\"}", "min_notional" },
    { "{\"symbol\":\"NEWUSD\",\"base_asset\":\"NEW\",\"quote_asset\":\"USD\",\"tick_size\":\"1\","
      "\"lot_step\":\"1\",\"status\":\"closed\"}", "status" },
    { "{\"symbol\":\"NEWUSD\",\"base_asset\":\"NEW\",\"quote_asset\":\"USD\",\"tick_size\":\"1\","
      "\"lot_step\":\"1\",\"source\":\"kraken\"}", "source" },
  };
  g_autoptr(JsonNode) list = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (server, "POST", "/api/v1/instruments", cases[i].body, 422, cases[i].field);

  /* Zero is a valid minimum notional. */
  g_assert_cmpuint (request (server, "POST", "/api/v1/instruments",
                             "{\"symbol\":\"NEWUSD\",\"base_asset\":\"NEW\",\"quote_asset\":\"USD\","
                             "\"tick_size\":\"1\",\"lot_step\":\"1\",\"min_notional\":\"0\","
                             "\"source\":\"binance\"}", NULL), ==, 201);
  g_assert_cmpuint (request (server, "GET", "/api/v1/instruments", NULL, &list), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (list), "items")), ==, 4);
  g_assert_cmpuint (count_audit (server, "instrument.", NULL), ==, 1);

  bourse_test_server_free (server);
}

static gint64
instrument_id (BourseTestServer *server,
               const char       *symbol)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseInstrument) instrument = bourse_instruments_find (store_of (server), symbol, &error);

  g_assert_no_error (error);
  return instrument->id;
}

/* n 1-minute candles from T0 + first minutes, with prices that depend on the minute and on salt. */
static GArray *
make_candles (guint first,
              guint n,
              guint salt)
{
  GArray *candles = g_array_sized_new (FALSE, TRUE, sizeof (BourseCandle), n);

  for (guint i = first; i < first + n; i++)
    {
      BourseCandle c = { 0 };
      gint64 base = (40000 + i % 997 + salt) * BOURSE_DECIMAL_UNIT + i;

      c.open_time = T0 + i * MINUTE;
      c.open.units = base;
      c.close.units = base + 3 * BOURSE_DECIMAL_UNIT;
      c.high.units = base + 5 * BOURSE_DECIMAL_UNIT;
      c.low.units = base - 2 * BOURSE_DECIMAL_UNIT;
      c.volume.units = 12345678 + i;
      c.trades = i;
      c.closed = TRUE;
      g_array_append_val (candles, c);
    }
  return candles;
}

static GArray *
query_all (BourseTestServer *server,
           gint64            id)
{
  g_autoptr(GError) error = NULL;
  gboolean more = FALSE;
  gint64 next = 0;
  GArray *candles = bourse_candles_query (store_of (server), id, BOURSE_INTERVAL_1M, BOURSE_TIME_MIN_MS,
                                          BOURSE_TIME_MAX_MS, BOURSE_CANDLES_MAX_LIMIT, &more, &next, &error);

  g_assert_no_error (error);
  g_assert_false (more);
  return candles;
}

static void
assert_same_candles (GArray *a,
                     GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const BourseCandle *x = &g_array_index (a, BourseCandle, i);
      const BourseCandle *y = &g_array_index (b, BourseCandle, i);

      g_assert_cmpint (x->open_time, ==, y->open_time);
      g_assert_cmpint (x->open.units, ==, y->open.units);
      g_assert_cmpint (x->high.units, ==, y->high.units);
      g_assert_cmpint (x->low.units, ==, y->low.units);
      g_assert_cmpint (x->close.units, ==, y->close.units);
      g_assert_cmpint (x->volume.units, ==, y->volume.units);
      g_assert_cmpint (x->trades, ==, y->trades);
      g_assert_cmpint (x->closed, ==, y->closed);
    }
}

static void
test_candles_upsert (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  gint64 id = instrument_id (server, "BTCUSDT");
  g_autoptr(GArray) batch = make_candles (0, 500, 0);
  g_autoptr(GArray) first = NULL;
  g_autoptr(GArray) second = NULL;
  g_autoptr(GArray) third = NULL;
  g_autoptr(GError) error = NULL;
  gsize changed = 0;

  g_assert_true (bourse_candles_upsert (store_of (server), id, BOURSE_INTERVAL_1M, (BourseCandle *)batch->data,
                                        batch->len, &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 500);
  first = query_all (server, id);
  g_assert_cmpuint (first->len, ==, 500);

  /* The same rows again: nothing changes. */
  g_assert_true (bourse_candles_upsert (store_of (server), id, BOURSE_INTERVAL_1M, (BourseCandle *)batch->data,
                                        batch->len, &changed, &error));
  g_assert_cmpuint (changed, ==, 0);
  second = query_all (server, id);
  g_assert_cmpuint (second->len, ==, 500);
  assert_same_candles (first, second);
  assert_same_candles (batch, second);
  g_assert_cmpint (bourse_candles_count (store_of (server), id, NULL), ==, 500);

  /* A later value for the same key replaces it; new keys are added. */
  g_array_index (batch, BourseCandle, 7).close.units += 1;
  g_array_index (batch, BourseCandle, 7).high.units += 1;
  {
    g_autoptr(GArray) more = make_candles (500, 10, 0);

    g_array_append_vals (batch, more->data, more->len);
  }
  g_assert_true (bourse_candles_upsert (store_of (server), id, BOURSE_INTERVAL_1M, (BourseCandle *)batch->data,
                                        batch->len, &changed, &error));
  g_assert_cmpuint (changed, ==, 11);
  third = query_all (server, id);
  g_assert_cmpuint (third->len, ==, 510);
  assert_same_candles (batch, third);

  /* Other intervals and instruments are other keys. */
  g_assert_cmpint (bourse_candles_count (store_of (server), instrument_id (server, "ETHUSDT"), NULL), ==, 0);

  bourse_test_server_free (server);
}

/* Higher intervals folded from minutes: across a month's end, exact, closed
 * only when whole, and idempotent. */
static GArray *
query_interval (BourseTestServer *server,
                gint64            id,
                BourseInterval    interval)
{
  g_autoptr(GError) error = NULL;
  gboolean more = FALSE;
  gint64 next = 0;
  GArray *candles = bourse_candles_query (store_of (server), id, interval, BOURSE_TIME_MIN_MS,
                                          BOURSE_TIME_MAX_MS, BOURSE_CANDLES_MAX_LIMIT, &more, &next, &error);

  g_assert_no_error (error);
  return candles;
}

/* The candle folded by hand from minutes [first, first + n). */
static BourseCandle
fold_minutes (GArray *minutes,
              guint   first,
              guint   n)
{
  BourseCandle folded = g_array_index (minutes, BourseCandle, first);

  for (guint i = first + 1; i < first + n; i++)
    {
      const BourseCandle *c = &g_array_index (minutes, BourseCandle, i);

      folded.high.units = MAX (folded.high.units, c->high.units);
      folded.low.units = MIN (folded.low.units, c->low.units);
      folded.close = c->close;
      folded.volume.units += c->volume.units;
      folded.trades += c->trades;
    }
  return folded;
}

static void
assert_candle (const BourseCandle *got,
               const BourseCandle *expected,
               gint64              open_time,
               gboolean            closed)
{
  g_assert_cmpint (got->open_time, ==, open_time);
  g_assert_cmpint (got->open.units, ==, expected->open.units);
  g_assert_cmpint (got->high.units, ==, expected->high.units);
  g_assert_cmpint (got->low.units, ==, expected->low.units);
  g_assert_cmpint (got->close.units, ==, expected->close.units);
  g_assert_cmpint (got->volume.units, ==, expected->volume.units);
  g_assert_cmpint (got->trades, ==, expected->trades);
  g_assert_cmpint (got->closed, ==, closed);
}

static void
test_candles_aggregate (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  gint64 id = instrument_id (server, "ETHUSDT");
  g_autoptr(GArray) minutes = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  g_autoptr(GError) error = NULL;
  gint64 jan31_22h = 0;
  gint64 feb1 = 0;
  gint64 jan1 = 0;
  guint n = 120 + 1440 + 61;  /* Jan 31 22:00 … Feb 2 01:00, the last one forming */

  g_assert_true (bourse_time_parse_rfc3339 ("2026-01-31T22:00:00Z", &jan31_22h, NULL));
  g_assert_true (bourse_time_parse_rfc3339 ("2026-02-01T00:00:00Z", &feb1, NULL));
  g_assert_true (bourse_time_parse_rfc3339 ("2026-01-01T00:00:00Z", &jan1, NULL));
  for (guint i = 0; i < n; i++)
    {
      BourseCandle c = { 0 };
      gint64 base = (3000 + (i * 7919) % 500) * BOURSE_DECIMAL_UNIT;

      c.open_time = jan31_22h + i * MINUTE;
      c.open.units = base;
      c.high.units = base + (i % 13) * BOURSE_DECIMAL_UNIT;
      c.low.units = base - (i % 11) * BOURSE_DECIMAL_UNIT;
      c.close.units = base + (i % 5) * BOURSE_DECIMAL_UNIT / 2;
      c.high.units = MAX (c.high.units, c.close.units);
      c.volume.units = 100000000 + i;
      c.trades = i % 17;
      c.closed = i < n - 1;
      g_array_append_val (minutes, c);
    }
  g_assert_true (bourse_candles_upsert (store_of (server), id, BOURSE_INTERVAL_1M, (BourseCandle *) minutes->data,
                                        minutes->len, NULL, &error));
  g_assert_no_error (error);

  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(GArray) hours = NULL;
      g_autoptr(GArray) days = NULL;
      g_autoptr(GArray) months = NULL;
      g_autoptr(GArray) weeks = NULL;
      BourseCandle expected;

      g_assert_true (bourse_candles_aggregate (store_of (server), id, BOURSE_INTERVAL_1M,
                                               jan31_22h, jan31_22h + (n - 1) * MINUTE, &error));
      g_assert_no_error (error);

      hours = query_interval (server, id, BOURSE_INTERVAL_1H);
      g_assert_cmpuint (hours->len, ==, 2 + 24 + 2);
      expected = fold_minutes (minutes, 60, 60);
      assert_candle (&g_array_index (hours, BourseCandle, 1), &expected, jan31_22h + 60 * MINUTE, TRUE);
      /* The last hour holds the forming minute alone. */
      expected = fold_minutes (minutes, n - 1, 1);
      assert_candle (&g_array_index (hours, BourseCandle, hours->len - 1), &expected,
                     jan31_22h + (n - 1) * MINUTE, FALSE);

      days = query_interval (server, id, BOURSE_INTERVAL_1D);
      g_assert_cmpuint (days->len, ==, 3);
      expected = fold_minutes (minutes, 120, 1440);
      assert_candle (&g_array_index (days, BourseCandle, 1), &expected, feb1, TRUE);

      /* January's last two hours end January: closed. February is not over. */
      months = query_interval (server, id, BOURSE_INTERVAL_1MO);
      g_assert_cmpuint (months->len, ==, 2);
      expected = fold_minutes (minutes, 0, 120);
      assert_candle (&g_array_index (months, BourseCandle, 0), &expected, jan1, TRUE);
      expected = fold_minutes (minutes, 120, n - 120);
      assert_candle (&g_array_index (months, BourseCandle, 1), &expected, feb1, FALSE);

      /* Weeks start on Mondays: 2026-01-26 and 2026-02-02. */
      weeks = query_interval (server, id, BOURSE_INTERVAL_1W);
      g_assert_cmpuint (weeks->len, ==, 2);
      {
        gint64 monday = 0;

        g_assert_true (bourse_time_parse_rfc3339 ("2026-01-26T00:00:00Z", &monday, NULL));
        expected = fold_minutes (minutes, 0, 120 + 1440);
        assert_candle (&g_array_index (weeks, BourseCandle, 0), &expected, monday, TRUE);
        expected = fold_minutes (minutes, 120 + 1440, 61);
        assert_candle (&g_array_index (weeks, BourseCandle, 1), &expected, feb1 + 1440 * MINUTE, FALSE);
      }
    }

  bourse_test_server_free (server);
}

static void
test_candles_invalid (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  gint64 id = instrument_id (server, "ETHUSDT");
  enum { HIGH_BELOW_OPEN, HIGH_BELOW_CLOSE, LOW_ABOVE_OPEN, LOW_ABOVE_CLOSE, NEGATIVE_VOLUME, MISALIGNED,
         MISALIGNED_HOUR, N_CASES };
  static const char *reasons[] = { "high", "high", "low", "low", "volume", "open time", "open time" };

  for (int kind = 0; kind < N_CASES; kind++)
    {
      g_autoptr(GArray) batch = make_candles (0, 10, 0);
      BourseCandle *bad = &g_array_index (batch, BourseCandle, 4);
      BourseInterval interval = BOURSE_INTERVAL_1M;
      g_autoptr(GError) error = NULL;
      gsize changed = 99;

      switch (kind)
        {
        case HIGH_BELOW_OPEN:  bad->high.units = bad->open.units - 1; break;
        case HIGH_BELOW_CLOSE: bad->high.units = bad->close.units - 1; break;
        case LOW_ABOVE_OPEN:   bad->low.units = bad->open.units + 1; break;
        case LOW_ABOVE_CLOSE:  bad->low.units = bad->close.units + 1; bad->high.units = bad->low.units; break;
        case NEGATIVE_VOLUME:  bad->volume.units = -1; break;
        case MISALIGNED:       bad->open_time += 1000; break;
        case MISALIGNED_HOUR:  interval = BOURSE_INTERVAL_1H; break;
        default:               g_assert_not_reached ();
        }

      g_assert_false (bourse_candles_upsert (store_of (server), id, interval, (BourseCandle *)batch->data,
                                             batch->len, &changed, &error));
      g_assert_error (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_CANDLE);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, reasons[kind]));
      g_assert_cmpuint (changed, ==, 99);
      /* Nothing of a refused batch is written. */
      g_assert_cmpint (bourse_candles_count (store_of (server), id, NULL), ==, 0);
    }

  bourse_test_server_free (server);
}

/* A server whose SOLUSDT (@id, when not NULL) holds @batch as 1-minute candles. */
static BourseTestServer *
server_with_candles (GArray *batch,
                     gint64 *id)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autoptr(GError) error = NULL;
  gint64 solusdt = instrument_id (server, "SOLUSDT");

  g_assert_true (bourse_candles_upsert (store_of (server), solusdt, BOURSE_INTERVAL_1M,
                                        (BourseCandle *)batch->data, batch->len, NULL, &error));
  g_assert_no_error (error);
  if (id != NULL)
    *id = solusdt;
  return server;
}

static void
test_candles_api (void)
{
  g_autoptr(GArray) batch = make_candles (0, 1234, 0);
  gint64 id;
  BourseTestServer *server = server_with_candles (batch, &id);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) path = g_string_new (NULL);
  gint64 cursor = BOURSE_TIME_MIN_MS;
  guint seen = 0, pages = 0;
  gboolean done = FALSE;

  /* Paging with the cursor returns every candle once, in order. */
  while (!done)
    {
      g_autoptr(JsonNode) page = NULL;
      JsonObject *o;
      JsonArray *candles;

      g_string_printf (path, "/api/v1/market/candles/SOLUSDT?interval=1m&limit=100&cursor=%" G_GINT64_FORMAT,
                       cursor);
      g_assert_cmpuint (request (server, "GET", path->str, NULL, &page), ==, 200);
      o = object_of (page);
      g_assert_cmpstr (json_object_get_string_member (o, "symbol"), ==, "SOLUSDT");
      g_assert_cmpstr (json_object_get_string_member (o, "interval"), ==, "1m");
      g_assert_true (json_object_get_boolean_member (o, "simulated"));
      candles = json_object_get_array_member (o, "items");
      for (guint i = 0; i < json_array_get_length (candles); i++)
        {
          JsonObject *c = json_array_get_object_element (candles, i);
          const BourseCandle *expected = &g_array_index (batch, BourseCandle, seen);
          g_autofree char *open = bourse_decimal_to_string (expected->open);
          g_autofree char *volume = bourse_decimal_to_string (expected->volume);

          g_assert_cmpint (json_object_get_int_member (c, "open_time"), ==, expected->open_time);
          g_assert_cmpint (json_object_get_int_member (c, "close_time"), ==, expected->open_time + MINUTE - 1);
          g_assert_cmpstr (json_object_get_string_member (c, "open"), ==, open);
          g_assert_cmpstr (json_object_get_string_member (c, "volume"), ==, volume);
          g_assert_true (json_object_get_boolean_member (c, "closed"));
          seen++;
        }
      pages++;
      if (json_object_get_null_member (o, "next_cursor"))
        done = TRUE;
      else
        cursor = g_ascii_strtoll (json_object_get_string_member (o, "next_cursor"), NULL, 10);
      g_assert_cmpuint (pages, <=, 13);
    }
  g_assert_cmpuint (seen, ==, 1234);
  g_assert_cmpuint (pages, ==, 13);

  /* Range filters are inclusive at both ends. */
  {
    g_autoptr(JsonNode) page = NULL;
    JsonArray *candles;

    g_string_printf (path, "/api/v1/market/candles/SOLUSDT?interval=1m&start=%" G_GINT64_FORMAT
                     "&end=%" G_GINT64_FORMAT, T0 + 10 * MINUTE, T0 + 19 * MINUTE);
    g_assert_cmpuint (request (server, "GET", path->str, NULL, &page), ==, 200);
    candles = json_object_get_array_member (object_of (page), "items");
    g_assert_cmpuint (json_array_get_length (candles), ==, 10);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (candles, 0), "open_time"), ==,
                     T0 + 10 * MINUTE);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (candles, 9), "open_time"), ==,
                     T0 + 19 * MINUTE);
    g_assert_true (json_object_get_null_member (object_of (page), "next_cursor"));
  }
  {
    g_autoptr(JsonNode) page = NULL;

    /* Another interval has no rows; a range before the data neither. */
    g_assert_cmpuint (request (server, "GET", "/api/v1/market/candles/SOLUSDT?interval=1h", NULL, &page), ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (page), "items")), ==, 0);
  }
  {
    g_autoptr(JsonNode) page = NULL;

    g_string_printf (path, "/api/v1/market/candles/SOLUSDT?interval=1m&end=%" G_GINT64_FORMAT, T0 - 1);
    g_assert_cmpuint (request (server, "GET", path->str, NULL, &page), ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (page), "items")), ==, 0);
  }

  /* Bad parameters name themselves; an unknown symbol is a 404. */
  assert_refused (server, "GET", "/api/v1/market/candles/SOLUSDT", NULL, 422, "interval");
  assert_refused (server, "GET", "/api/v1/market/candles/SOLUSDT?interval=7m", NULL, 422, "interval");
  assert_refused (server, "GET", "/api/v1/market/candles/SOLUSDT?interval=1m&start=10&end=5", NULL, 422, "start");
  assert_refused (server, "GET", "/api/v1/market/candles/SOLUSDT?interval=1m&start=abc", NULL, 422, "start");
  assert_refused (server, "GET", "/api/v1/market/candles/SOLUSDT?interval=1m&end=1e9", NULL, 422, "end");
  assert_refused (server, "GET", "/api/v1/market/candles/SOLUSDT?interval=1m&limit=0", NULL, 422, "limit");
  assert_refused (server, "GET", "/api/v1/market/candles/SOLUSDT?interval=1m&limit=5001", NULL, 422, "limit");
  assert_refused (server, "GET", "/api/v1/market/candles/SOLUSDT?interval=1m&cursor=x", NULL, 422, "cursor");
  g_assert_cmpuint (request (server, "GET", "/api/v1/market/candles/SOLUSDT?interval=1m&limit=5000", NULL, NULL),
                    ==, 200);
  g_assert_cmpuint (request (server, "GET", "/api/v1/market/candles/NOSUCH?interval=1m", NULL, NULL), ==, 404);

  /* An instrument with history is not deleted by accident. */
  assert_refused (server, "DELETE", "/api/v1/instruments/SOLUSDT", NULL, 409, "symbol");
  assert_refused (server, "DELETE", "/api/v1/instruments/SOLUSDT?purge=maybe", NULL, 422, "purge");
  g_assert_cmpint (bourse_candles_count (store_of (server), id, NULL), ==, 1234);
  g_assert_cmpuint (request (server, "DELETE", "/api/v1/instruments/SOLUSDT?purge=true", NULL, NULL), ==, 204);
  g_assert_cmpint (bourse_candles_count (store_of (server), id, NULL), ==, 0);
  {
    BourseAuditFilter filter = { .action = "instrument.delete", .limit = 10 };
    g_autoptr(GPtrArray) entries = bourse_audit_list (store_of (server), &filter, &error);
    BourseAuditEntry *entry;

    g_assert_no_error (error);
    g_assert_cmpuint (entries->len, ==, 1);
    entry = g_ptr_array_index (entries, 0);
    g_assert_cmpstr (entry->target, ==, "instrument:SOLUSDT");
    g_assert_cmpint (json_object_get_int_member (object_of (entry->details), "candles_deleted"), ==, 1234);
  }

  bourse_test_server_free (server);
}

/* The open times of a page's items, and its next_cursor (-1 for null). */
static GArray *
page_times (BourseTestServer *server,
            const char       *path,
            gint64           *next_cursor)
{
  g_autoptr(JsonNode) page = NULL;
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonArray *items;

  g_assert_cmpuint (request (server, "GET", path, NULL, &page), ==, 200);
  items = json_object_get_array_member (object_of (page), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      gint64 t = json_object_get_int_member (json_array_get_object_element (items, i), "open_time");

      g_array_append_val (times, t);
    }
  *next_cursor = json_object_get_null_member (object_of (page), "next_cursor")
                 ? -1 : g_ascii_strtoll (json_object_get_string_member (object_of (page), "next_cursor"), NULL, 10);
  return times;
}

static void
test_candles_before (void)
{
  g_autoptr(GArray) batch = make_candles (0, 1234, 0);
  BourseTestServer *server = server_with_candles (batch, NULL);
  g_autoptr(GString) path = g_string_new (NULL);
  gint64 cursor = -1, next = 0, expected = T0 + 1233 * MINUTE;
  guint pages = 0;

  /* From the newest back to the first, each once, newest first. */
  do
    {
      g_autoptr(GArray) times = NULL;

      g_string_assign (path, "/api/v1/market/candles/SOLUSDT?interval=1m&limit=100&before=latest");
      if (cursor >= 0)
        g_string_append_printf (path, "&cursor=%" G_GINT64_FORMAT, cursor);
      times = page_times (server, path->str, &cursor);
      g_assert_cmpuint (times->len, ==, pages < 12 ? 100 : 34);
      for (guint i = 0; i < times->len; i++, expected -= MINUTE)
        g_assert_cmpint (g_array_index (times, gint64, i), ==, expected);
      if (cursor >= 0)
        g_assert_cmpint (cursor, ==, expected);
      g_assert_cmpuint (++pages, <=, 13);
    }
  while (cursor >= 0);
  g_assert_cmpuint (pages, ==, 13);
  g_assert_cmpint (expected, ==, T0 - MINUTE);

  /* before is exclusive, in each form a time takes; the oldest held as the
   * next before gives the same page as the cursor. */
  {
    const char *forms[] = { "1704097200000", "2024-01-01T08:20:00Z", "2024-01-01T09:20:00%2B01:00" };

    for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
      {
        g_autoptr(GArray) times = NULL;
        g_autoptr(GArray) again = NULL;
        gint64 by_before;

        g_string_printf (path, "/api/v1/market/candles/SOLUSDT?interval=1m&limit=10&before=%s", forms[f]);
        times = page_times (server, path->str, &next);
        g_assert_cmpuint (times->len, ==, 10);
        g_assert_cmpint (g_array_index (times, gint64, 0), ==, T0 + 499 * MINUTE);
        g_assert_cmpint (g_array_index (times, gint64, 9), ==, T0 + 490 * MINUTE);
        g_assert_cmpint (next, ==, T0 + 489 * MINUTE);

        g_string_printf (path, "/api/v1/market/candles/SOLUSDT?interval=1m&limit=10&before=%" G_GINT64_FORMAT,
                         g_array_index (times, gint64, 9));
        again = page_times (server, path->str, &by_before);
        g_assert_cmpint (g_array_index (again, gint64, 0), ==, next);
      }
  }

  /* start still bounds it; a date alone is its day's start; nothing before the first. */
  {
    g_autoptr(GArray) times = NULL;

    g_string_printf (path, "/api/v1/market/candles/SOLUSDT?interval=1m&before=latest&start=%" G_GINT64_FORMAT,
                     T0 + 1230 * MINUTE);
    times = page_times (server, path->str, &next);
    g_assert_cmpuint (times->len, ==, 4);
    g_assert_cmpint (next, ==, -1);
  }
  {
    g_autoptr(GArray) times = page_times (server, "/api/v1/market/candles/SOLUSDT?interval=1m&limit=1"
                                                  "&before=2024-01-02", &next);

    g_assert_cmpuint (times->len, ==, 1);
    g_assert_cmpint (g_array_index (times, gint64, 0), ==, T0 + 1233 * MINUTE);
    g_assert_cmpint (next, ==, T0 + 1232 * MINUTE);
  }
  {
    g_autoptr(GArray) times = page_times (server, "/api/v1/market/candles/SOLUSDT?interval=1m&before=2024-01-01",
                                          &next);

    g_assert_cmpuint (times->len, ==, 0);
    g_assert_cmpint (next, ==, -1);
  }

  assert_refused (server, "GET", "/api/v1/market/candles/SOLUSDT?interval=1m&before=abc", NULL, 422, "before");
  assert_refused (server, "GET", "/api/v1/market/candles/SOLUSDT?interval=1m&before=", NULL, 422, "before");
  assert_refused (server, "GET", "/api/v1/market/candles/SOLUSDT?interval=1m&before=Latest", NULL, 422, "before");

  bourse_test_server_free (server);
}

static void
test_permissions (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autofree char *authorization = NULL;
  static const struct {
    const char *method;
    const char *path;
    const char *body;
    guint       status;
  } cases[] = {
    { "GET", "/api/v1/instruments", NULL, 200 },
    { "GET", "/api/v1/instruments/BTCUSDT", NULL, 200 },
    { "GET", "/api/v1/market/candles/BTCUSDT?interval=1m", NULL, 200 },
    { "POST", "/api/v1/instruments", "{\"symbol\":\"XRPUSDT\",\"base_asset\":\"XRP\",\"quote_asset\":\"USDT\","
      "\"tick_size\":\"0.0001\",\"lot_step\":\"1\"}", 403 },
    { "PUT", "/api/v1/instruments/BTCUSDT", "{\"status\":\"halted\"}", 403 },
    { "DELETE", "/api/v1/instruments/BTCUSDT", NULL, 403 },
  };

  {
    g_autoptr(BourseTestResponse) created =
      bourse_test_fetch (server, "POST", "/api/v1/users", NULL, "application/json",
                         "{\"username\":\"vera\",\"email\":\"vera@example.org\",\"password\":\"" VIEWER_PASSWORD
                         "\",\"role\":\"viewer\"}", -1);
    const char * const anonymous[] = { "Authorization", "", NULL };
    g_autoptr(BourseTestResponse) login =
      bourse_test_fetch (server, "POST", "/api/v1/auth/login", anonymous, "application/json",
                         "{\"username\":\"vera\",\"password\":\"" VIEWER_PASSWORD "\"}", -1);
    g_autoptr(JsonNode) tokens = bourse_test_response_json (login);

    g_assert_cmpuint (created->status, ==, 201);
    g_assert_cmpuint (login->status, ==, 200);
    authorization = g_strconcat ("Bearer ", json_object_get_string_member (object_of (tokens), "access_token"),
                                 NULL);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char * const headers[] = { "Authorization", authorization, NULL };
      g_autoptr(BourseTestResponse) response =
        bourse_test_fetch (server, cases[i].method, cases[i].path, headers,
                           cases[i].body ? "application/json" : NULL, cases[i].body, -1);

      g_test_message ("%s %s as viewer → %u", cases[i].method, cases[i].path, response->status);
      g_assert_cmpuint (response->status, ==, cases[i].status);
    }

  /* Nothing the viewer tried got through. */
  g_assert_cmpuint (count_audit (server, "instrument.", NULL), ==, 0);
  g_assert_cmpuint (request (server, "GET", "/api/v1/instruments/XRPUSDT", NULL, NULL), ==, 404);

  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/market/demo-instruments", test_demo_instruments);
  g_test_add_func ("/market/instrument-crud", test_instrument_crud);
  g_test_add_func ("/market/instrument-validation", test_instrument_validation);
  g_test_add_func ("/market/candles-upsert", test_candles_upsert);
  g_test_add_func ("/market/candles-aggregate", test_candles_aggregate);
  g_test_add_func ("/market/candles-invalid", test_candles_invalid);
  g_test_add_func ("/market/candles-api", test_candles_api);
  g_test_add_func ("/market/candles-before", test_candles_before);
  g_test_add_func ("/market/permissions", test_permissions);

  return g_test_run ();
}
