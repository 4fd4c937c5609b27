/* test-market-feed.c — the simulated feed through the real engine and server
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>

#include "market/bourse-sim-feed.h"

#include "bourse-test-server.h"
#include "fake-exchange.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define DAY_MS    (1440 * MINUTE_MS)

/* Helpers {{{ */

static BourseMarket *
market_of (BourseTestServer *server)
{
  return bourse_engine_get_market (server->engine);
}

static const char *
feed_state (BourseTestServer *server)
{
  g_autoptr(JsonNode) status = bourse_market_get_status (market_of (server));
  JsonArray *feeds = json_object_get_array_member (json_node_get_object (status), "feeds");
  static char state[32];

  if (json_array_get_length (feeds) == 0)
    return "none";
  g_strlcpy (state, json_object_get_string_member (json_array_get_object_element (feeds, 0), "state"),
             sizeof state);
  return state;
}

static gboolean
feed_is_live (gpointer data)
{
  return g_str_equal (feed_state (data), "live");
}

/* A server running the simulated market from @start (or the default
 * backfill of @days before now when start is NULL). */
static BourseTestServer *
sim_server (const char *seed,
            const char *start,
            const char *days,
            const char *speed)
{
  const char *settings[] = {
    "simulated", "enabled", "true",
    "simulated", "seed", seed,
    "simulated", "backfill_days", days,
    "simulated", "speed", speed,
    "simulated", "start", start != NULL ? start : "",
    NULL
  };
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);

  bourse_test_wait_until (feed_is_live, server, 60000, "the simulated market to go live");
  return server;
}

static BourseInstrument *
find (BourseTestServer *server,
      const char       *symbol)
{
  g_autoptr(GError) error = NULL;
  BourseInstrument *instrument = bourse_instruments_find (bourse_engine_get_store (server->engine), symbol, &error);

  g_assert_no_error (error);
  return instrument;
}

static GArray *
candles (BourseTestServer *server,
         const char       *symbol,
         BourseInterval    interval,
         gint64            start,
         gint64            end)
{
  g_autoptr(BourseInstrument) instrument = find (server, symbol);
  g_autoptr(GError) error = NULL;
  GArray *all = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(GArray) page = NULL;
      gint64 next = 0;

      page = bourse_candles_query (bourse_engine_get_store (server->engine), instrument->id, interval,
                                   start, end, BOURSE_CANDLES_MAX_LIMIT, &more, &next, &error);
      g_assert_no_error (error);
      g_array_append_vals (all, page->data, page->len);
      start = next;
    }
  return all;
}

static void
assert_same (const BourseCandle *a,
             const BourseCandle *b)
{
  g_assert_cmpint (a->open_time, ==, b->open_time);
  g_assert_cmpint (a->open.units, ==, b->open.units);
  g_assert_cmpint (a->high.units, ==, b->high.units);
  g_assert_cmpint (a->low.units, ==, b->low.units);
  g_assert_cmpint (a->close.units, ==, b->close.units);
  g_assert_cmpint (a->volume.units, ==, b->volume.units);
  g_assert_cmpint (a->closed, ==, b->closed);
}

static char *
day_before_today (void)
{
  gint64 today = bourse_interval_align (BOURSE_INTERVAL_1D, bourse_time_now_ms ());

  return bourse_time_format_rfc3339 (today - DAY_MS);
}

/* }}} */

/* At first start: a day of minutes for every demo instrument, on the
 * instrument's tick and lot grids, closed up to the current minute,
 * higher intervals folded, the ticker made of them, labelled simulated. */
static void
test_backfill (void)
{
  /* The engine's clock stands still half-way through a minute: what the
   * backfill made is compared with the minute it stands in, wherever the
   * wall clock is (reading it apart from the engine failed when a minute
   * turned in between). */
  gint64 now = bourse_interval_align (BOURSE_INTERVAL_1M, bourse_time_now_ms ()) + 30 * 1000;
  const char *symbols[] = { "BTCUSDT", "ETHUSDT", "SOLUSDT" };
  BourseTestServer *server;

  bourse_time_freeze (now);
  server = sim_server ("7", NULL, "1", "1");

  for (guint s = 0; s < G_N_ELEMENTS (symbols); s++)
    {
      g_autoptr(BourseInstrument) instrument = find (server, symbols[s]);
      g_autoptr(GArray) minutes = candles (server, symbols[s], BOURSE_INTERVAL_1M, BOURSE_TIME_MIN_MS,
                                           BOURSE_TIME_MAX_MS);
      g_autoptr(GArray) hours = candles (server, symbols[s], BOURSE_INTERVAL_1H, BOURSE_TIME_MIN_MS,
                                         BOURSE_TIME_MAX_MS);
      g_autofree char *path = g_strdup_printf ("/api/v1/market/ticker/%s", symbols[s]);
      g_autoptr(BourseTestResponse) response = NULL;
      g_autoptr(JsonNode) json = NULL;
      const BourseCandle *last_closed = NULL;
      JsonObject *ticker;
      double first_close;

      /* 1440 closed minutes, and the current one forming (or just closed). */
      g_assert_cmpuint (minutes->len, >=, 1440);
      g_assert_cmpuint (minutes->len, <=, 1442);
      g_assert_cmpint (g_array_index (minutes, BourseCandle, 0).open_time, ==,
                       bourse_interval_align (BOURSE_INTERVAL_1M, now) - DAY_MS);
      for (guint i = 0; i < minutes->len; i++)
        {
          const BourseCandle *c = &g_array_index (minutes, BourseCandle, i);
          g_autoptr(GError) error = NULL;

          g_assert_true (bourse_candle_validate (c, BOURSE_INTERVAL_1M, &error));
          g_assert_no_error (error);
          if (i > 0)
            g_assert_cmpint (c->open_time, ==, g_array_index (minutes, BourseCandle, i - 1).open_time + MINUTE_MS);
          g_assert_cmpint (c->open.units % instrument->tick_size.units, ==, 0);
          g_assert_cmpint (c->high.units % instrument->tick_size.units, ==, 0);
          g_assert_cmpint (c->low.units % instrument->tick_size.units, ==, 0);
          g_assert_cmpint (c->close.units % instrument->tick_size.units, ==, 0);
          g_assert_cmpint (c->volume.units % instrument->lot_step.units, ==, 0);
          if (c->open_time < bourse_interval_align (BOURSE_INTERVAL_1M, now))
            {
              g_assert_true (c->closed);
              g_assert_cmpint (c->volume.units, >, 0);
              last_closed = c;
            }
          /* The next candle opens where this one closed. */
          if (i > 0 && c->closed)
            g_assert_cmpint (c->open.units, ==, g_array_index (minutes, BourseCandle, i - 1).close.units);
        }
      g_assert_nonnull (last_closed);

      /* A realistic level: within a band around the demo start price. */
      first_close = bourse_decimal_to_double (g_array_index (minutes, BourseCandle, 0).close);
      g_assert_cmpfloat (first_close, >, 0.5 * bourse_sim_feed_initial_price (symbols[s]));
      g_assert_cmpfloat (first_close, <, 2.0 * bourse_sim_feed_initial_price (symbols[s]));

      /* Hours folded from the minutes. */
      g_assert_cmpuint (hours->len, >=, 24);
      g_assert_cmpuint (hours->len, <=, 26);
      g_assert_cmpint (g_array_index (hours, BourseCandle, 1).open.units, ==,
                       g_array_index (minutes, BourseCandle,
                                      (g_array_index (hours, BourseCandle, 1).open_time
                                       - g_array_index (minutes, BourseCandle, 0).open_time) / MINUTE_MS).open.units);

      response = bourse_test_fetch (server, "GET", path, NULL, NULL, NULL, 0);
      g_assert_cmpuint (response->status, ==, SOUP_STATUS_OK);
      json = bourse_test_response_json (response);
      ticker = json_node_get_object (json);
      g_assert_true (json_object_get_boolean_member (ticker, "simulated"));
      g_assert_cmpstr (json_object_get_string_member (ticker, "source"), ==, "simulated");
      {
        BourseDecimal last_price, high, low, open_price, change;

        g_assert_true (bourse_decimal_parse (json_object_get_string_member (ticker, "last_price"), &last_price, NULL));
        g_assert_true (bourse_decimal_parse (json_object_get_string_member (ticker, "high"), &high, NULL));
        g_assert_true (bourse_decimal_parse (json_object_get_string_member (ticker, "low"), &low, NULL));
        g_assert_true (bourse_decimal_parse (json_object_get_string_member (ticker, "open_price"), &open_price, NULL));
        g_assert_true (bourse_decimal_parse (json_object_get_string_member (ticker, "change"), &change, NULL));
        g_assert_cmpint (last_price.units, ==,
                         g_array_index (minutes, BourseCandle, minutes->len - 1).close.units);
        g_assert_cmpint (high.units, >=, last_price.units);
        g_assert_cmpint (low.units, <=, last_price.units);
        g_assert_cmpint (change.units, ==, last_price.units - open_price.units);
        g_assert_nonnull (json_object_get_string_member (ticker, "change_percent"));
      }
    }

  /* The system status says so. */
  {
    g_autoptr(BourseTestResponse) response = bourse_test_fetch (server, "GET", "/api/v1/system/status",
                                                                NULL, NULL, NULL, 0);
    g_autoptr(JsonNode) json = bourse_test_response_json (response);
    JsonObject *market = json_object_get_object_member (json_node_get_object (json), "market");
    JsonObject *feed = json_array_get_object_element (json_object_get_array_member (market, "feeds"), 0);

    g_assert_cmpstr (json_object_get_string_member (feed, "id"), ==, "simulated");
    g_assert_true (json_object_get_boolean_member (feed, "simulated"));
    g_assert_cmpint (json_object_get_int_member (feed, "instruments"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (feed, "backfilled"), >=, 3 * 1440);
  }

  bourse_test_server_free (server);
  bourse_time_thaw ();
}

/* The same seed and start give the same market; another seed another. */
static void
test_reproducible (void)
{
  g_autofree char *start = day_before_today ();
  BourseTestServer *first = sim_server ("42", start, "0", "1");
  BourseTestServer *second = sim_server ("42", start, "0", "1");
  BourseTestServer *other = sim_server ("43", start, "0", "1");
  gint64 origin = 0;
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;
  g_autoptr(GArray) c = NULL;
  guint differ = 0;

  g_assert_true (bourse_time_parse_rfc3339 (start, &origin, NULL));
  a = candles (first, "ETHUSDT", BOURSE_INTERVAL_1M, origin, origin + 1439 * MINUTE_MS);
  b = candles (second, "ETHUSDT", BOURSE_INTERVAL_1M, origin, origin + 1439 * MINUTE_MS);
  c = candles (other, "ETHUSDT", BOURSE_INTERVAL_1M, origin, origin + 1439 * MINUTE_MS);
  g_assert_cmpuint (a->len, ==, 1440);
  g_assert_cmpuint (b->len, ==, 1440);
  g_assert_cmpuint (c->len, ==, 1440);
  for (guint i = 0; i < a->len; i++)
    {
      assert_same (&g_array_index (a, BourseCandle, i), &g_array_index (b, BourseCandle, i));
      differ += g_array_index (a, BourseCandle, i).close.units != g_array_index (c, BourseCandle, i).close.units;
    }
  g_assert_cmpuint (differ, >, 1400);

  bourse_test_server_free (other);
  bourse_test_server_free (second);
  bourse_test_server_free (first);
}

/* A gap (the engine was not running) is filled with exactly the candles a
 * run without the gap made. */
static void
test_gap_refilled (void)
{
  g_autofree char *start = day_before_today ();
  BourseTestServer *server = sim_server ("5", start, "0", "1");
  g_autoptr(BourseInstrument) instrument = find (server, "SOLUSDT");
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 origin = 0;
  sqlite3 *db = bourse_store_get_db (bourse_engine_get_store (server->engine));
  sqlite3_stmt *stmt = NULL;

  g_assert_true (bourse_time_parse_rfc3339 (start, &origin, NULL));
  before = candles (server, "SOLUSDT", BOURSE_INTERVAL_1M, origin, origin + 1439 * MINUTE_MS);
  g_assert_cmpuint (before->len, ==, 1440);

  /* The feed stops, the last 300 minutes of the range go. */
  bourse_market_stop (market_of (server));
  g_assert_cmpint (sqlite3_prepare_v2 (db, "DELETE FROM candles WHERE instrument_id = ? AND interval = '1m' "
                                           "AND open_time > ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, instrument->id);
  sqlite3_bind_int64 (stmt, 2, origin + 1139 * MINUTE_MS);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  g_assert_true (bourse_market_start (market_of (server), &error));
  g_assert_no_error (error);
  bourse_test_wait_until (feed_is_live, server, 60000, "the simulated market to go live again");

  after = candles (server, "SOLUSDT", BOURSE_INTERVAL_1M, origin, origin + 1439 * MINUTE_MS);
  g_assert_cmpuint (after->len, ==, 1440);
  for (guint i = 0; i < before->len; i++)
    assert_same (&g_array_index (before, BourseCandle, i), &g_array_index (after, BourseCandle, i));

  bourse_test_server_free (server);
}

/* Live: the forming candle on candles:<SYMBOL>:1m as it changes, then the
 * same candle closed, as stored; 5-minute candles and the ticker too. */
typedef struct
{
  GPtrArray *minutes;   /* JsonNode * */
  guint      five;
  guint      tickers;
  GArray    *closed;    /* gint64: open times announced by "candle-closed" for BTCUSDT 1m */
} Heard;

static void
candle_closed_cb (BourseMarket           *market,
                  const BourseInstrument *instrument,
                  int                     interval,
                  const BourseCandle     *candle,
                  Heard                  *heard)
{
  g_assert_true (candle->closed);
  if (g_str_equal (instrument->symbol, "BTCUSDT") && interval == BOURSE_INTERVAL_1M)
    g_array_append_val (heard->closed, candle->open_time);
}

static void
event_cb (BourseEventBus *bus,
          const char     *topic,
          JsonNode       *data,
          Heard          *heard)
{
  if (g_str_equal (topic, "candles:BTCUSDT:1m"))
    g_ptr_array_add (heard->minutes, json_node_copy (data));
  else if (g_str_equal (topic, "candles:BTCUSDT:5m"))
    heard->five++;
  else if (g_str_equal (topic, "ticker:BTCUSDT"))
    heard->tickers++;
}

static gboolean
heard_enough (gpointer data)
{
  Heard *heard = data;
  guint closed = 0;

  for (guint i = 0; i < heard->minutes->len; i++)
    closed += json_object_get_boolean_member (json_node_get_object (g_ptr_array_index (heard->minutes, i)),
                                              "closed");
  return closed >= 3 && heard->five > 0 && heard->tickers > 0;
}

static void
test_live (void)
{
  /* 120 times real time: a simulated minute every half second. */
  BourseTestServer *server = sim_server ("9", NULL, "0", "120");
  Heard heard = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref), 0, 0,
                  g_array_new (FALSE, FALSE, sizeof (gint64)) };
  gulong handler, closed_handler;
  gint64 previous_open = 0;
  guint forming = 0;
  guint closed = 0;

  handler = g_signal_connect (bourse_engine_get_event_bus (server->engine), "event",
                              G_CALLBACK (event_cb), &heard);
  closed_handler = g_signal_connect (market_of (server), "candle-closed", G_CALLBACK (candle_closed_cb), &heard);
  bourse_test_wait_until (heard_enough, &heard, 30000, "live candles");
  g_signal_handler_disconnect (bourse_engine_get_event_bus (server->engine), handler);
  g_signal_handler_disconnect (market_of (server), closed_handler);

  /* Closed minutes announced once each, in order, for live strategies (a
   * tick that closes two at once on a slow machine announces the last). */
  g_assert_cmpuint (heard.closed->len, >=, 3);
  for (guint i = 1; i < heard.closed->len; i++)
    {
      g_assert_cmpint (g_array_index (heard.closed, gint64, i), >, g_array_index (heard.closed, gint64, i - 1));
      g_assert_cmpint (g_array_index (heard.closed, gint64, i) % MINUTE_MS, ==, 0);
    }

  for (guint i = 0; i < heard.minutes->len; i++)
    {
      JsonObject *candle = json_node_get_object (g_ptr_array_index (heard.minutes, i));
      gint64 open_time = json_object_get_int_member (candle, "open_time");

      g_assert_cmpstr (json_object_get_string_member (candle, "symbol"), ==, "BTCUSDT");
      g_assert_cmpstr (json_object_get_string_member (candle, "interval"), ==, "1m");
      g_assert_cmpstr (json_object_get_string_member (candle, "source"), ==, "simulated");
      g_assert_cmpint (open_time, >=, previous_open);
      previous_open = open_time;

      if (!json_object_get_boolean_member (candle, "closed"))
        {
          forming++;
          continue;
        }

      /* A closed candle is the stored one. */
      closed++;
      {
        g_autoptr(GArray) stored = candles (server, "BTCUSDT", BOURSE_INTERVAL_1M, open_time, open_time);
        g_autofree char *close = NULL;

        g_assert_cmpuint (stored->len, ==, 1);
        g_assert_true (g_array_index (stored, BourseCandle, 0).closed);
        close = bourse_decimal_to_string (g_array_index (stored, BourseCandle, 0).close);
        g_assert_cmpstr (json_object_get_string_member (candle, "close"), ==, close);
      }
    }
  g_assert_cmpuint (closed, >=, 3);
  /* Each minute was shown forming before it closed (sub-steps come every
   * 42 ms here; how many are shown depends on the machine's speed). */
  g_assert_cmpuint (forming, >=, closed);

  g_ptr_array_unref (heard.minutes);
  g_array_unref (heard.closed);
  bourse_test_server_free (server);
}

/* An instrument added on the simulated source gets a market of its own;
 * one on csv gets none. */
static void
test_instrument_added (void)
{
  BourseTestServer *server = sim_server ("3", NULL, "1", "1");
  g_autoptr(BourseTestResponse) created = NULL;
  g_autoptr(BourseTestResponse) csv = NULL;
  g_autoptr(GArray) minutes = NULL;
  g_autoptr(GArray) none = NULL;

  created = bourse_test_fetch (server, "POST", "/api/v1/instruments", NULL, "application/json",
                               "{\"symbol\":\"ADAUSDT\",\"base_asset\":\"ADA\",\"quote_asset\":\"USDT\","
                               "\"tick_size\":\"0.0001\",\"lot_step\":\"0.1\",\"source\":\"simulated\"}", -1);
  g_assert_cmpuint (created->status, ==, SOUP_STATUS_CREATED);
  csv = bourse_test_fetch (server, "POST", "/api/v1/instruments", NULL, "application/json",
                           "{\"symbol\":\"XRPUSDT\",\"base_asset\":\"XRP\",\"quote_asset\":\"USDT\","
                           "\"tick_size\":\"0.0001\",\"lot_step\":\"0.1\"}", -1);
  g_assert_cmpuint (csv->status, ==, SOUP_STATUS_CREATED);
  bourse_test_wait_until (feed_is_live, server, 60000, "the simulated market to go live again");

  minutes = candles (server, "ADAUSDT", BOURSE_INTERVAL_1M, BOURSE_TIME_MIN_MS, BOURSE_TIME_MAX_MS);
  g_assert_cmpuint (minutes->len, >=, 1440);
  g_assert_cmpint (bourse_decimal_to_double (g_array_index (minutes, BourseCandle, 0).open), >, 50.0);
  none = candles (server, "XRPUSDT", BOURSE_INTERVAL_1M, BOURSE_TIME_MIN_MS, BOURSE_TIME_MAX_MS);
  g_assert_cmpuint (none->len, ==, 0);

  bourse_test_server_free (server);
}

/* Turned off: no feed and no candles; the ticker says there is no data. */
static void
test_disabled (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  g_autoptr(BourseTestResponse) response = NULL;
  g_autoptr(JsonNode) json = NULL;
  JsonObject *ticker;

  g_assert_cmpstr (feed_state (server), ==, "none");
  response = bourse_test_fetch (server, "GET", "/api/v1/market/ticker/BTCUSDT", NULL, NULL, NULL, 0);
  g_assert_cmpuint (response->status, ==, SOUP_STATUS_OK);
  json = bourse_test_response_json (response);
  ticker = json_node_get_object (json);
  g_assert_true (json_object_get_null_member (ticker, "last_price"));
  g_assert_true (json_object_get_null_member (ticker, "change_percent"));
  g_assert_true (json_object_get_null_member (ticker, "time"));

  {
    g_autoptr(BourseTestResponse) missing = bourse_test_fetch (server, "GET", "/api/v1/market/ticker/NOPEUSDT",
                                                               NULL, NULL, NULL, 0);

    g_assert_cmpuint (missing->status, ==, SOUP_STATUS_NOT_FOUND);
  }

  bourse_test_server_free (server);
}

/* An instrument on the binance source is fed live from the (fake)
 * exchange's kline stream: forming, then closed, stored and published. */
static gboolean
candle_stored (gpointer data)
{
  gpointer *args = data;
  g_autoptr(GArray) stored = candles (args[0], "DOGEUSDT", BOURSE_INTERVAL_1M, *(gint64 *) args[1],
                                      *(gint64 *) args[1]);

  return stored->len == 1 && g_array_index (stored, BourseCandle, 0).closed;
}

static gboolean
stream_open (gpointer data)
{
  return fake_exchange_get_n_streams_open (data) > 0;
}

static void
test_binance_live (void)
{
  FakeExchange *exchange = fake_exchange_new ();
  const char *settings[] = {
    "binance", "stream_url", fake_exchange_get_stream_url (exchange),
    "binance", "base_url", fake_exchange_get_url (exchange),
    NULL
  };
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  g_autoptr(BourseTestResponse) created = NULL;
  gint64 open_time = bourse_interval_align (BOURSE_INTERVAL_1M, bourse_time_now_ms ()) - 5 * MINUTE_MS;
  gpointer args[] = { server, &open_time };
  g_autoptr(GArray) stored = NULL;
  BourseCandle expected;

  created = bourse_test_fetch (server, "POST", "/api/v1/instruments", NULL, "application/json",
                               "{\"symbol\":\"DOGEUSDT\",\"base_asset\":\"DOGE\",\"quote_asset\":\"USDT\","
                               "\"tick_size\":\"0.00001\",\"lot_step\":\"1\",\"source\":\"binance\"}", -1);
  g_assert_cmpuint (created->status, ==, SOUP_STATUS_CREATED);
  bourse_test_wait_until (stream_open, exchange, 10000, "the kline stream to open");
  bourse_test_wait_until (feed_is_live, server, 10000, "the feed to be live");

  g_assert_cmpuint (fake_exchange_push_kline (exchange, "DOGEUSDT", BOURSE_INTERVAL_1M, open_time, FALSE), ==, 1);
  g_assert_cmpuint (fake_exchange_push_kline (exchange, "DOGEUSDT", BOURSE_INTERVAL_1M, open_time, TRUE), ==, 1);
  bourse_test_wait_until (candle_stored, args, 10000, "the closed candle to be stored");

  /* Exactly what the exchange sent, and folded upward. */
  fake_exchange_kline ("DOGEUSDT", BOURSE_INTERVAL_1M, open_time, &expected);
  expected.closed = TRUE;
  stored = candles (server, "DOGEUSDT", BOURSE_INTERVAL_1M, open_time, open_time);
  assert_same (&g_array_index (stored, BourseCandle, 0), &expected);
  {
    g_autoptr(GArray) hour = candles (server, "DOGEUSDT", BOURSE_INTERVAL_1H,
                                      bourse_interval_align (BOURSE_INTERVAL_1H, open_time),
                                      bourse_interval_align (BOURSE_INTERVAL_1H, open_time));

    g_assert_cmpuint (hour->len, ==, 1);
  }

  bourse_test_server_free (server);
  fake_exchange_free (exchange);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/market-feed/backfill", test_backfill);
  g_test_add_func ("/market-feed/reproducible", test_reproducible);
  g_test_add_func ("/market-feed/gap-refilled", test_gap_refilled);
  g_test_add_func ("/market-feed/live", test_live);
  g_test_add_func ("/market-feed/instrument-added", test_instrument_added);
  g_test_add_func ("/market-feed/disabled", test_disabled);
  g_test_add_func ("/market-feed/binance-live", test_binance_live);

  return g_test_run ();
}
