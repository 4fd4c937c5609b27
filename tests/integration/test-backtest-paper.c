/* test-backtest-paper.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A backtest and a paper run fed the same candles agree trade for trade
 * and to the unit of the ledger (docs/BACKTESTS.md). The paper run is the
 * engine as users run it: the candles arrive through the market one by
 * one, a live strategy evaluates each closed candle in the desk and stores
 * its signal, and a trader acts on each signal at the next candle's open
 * with MARKET orders through the API, sizing the entry by the backtest's
 * stake rule computed here from the book's free cash and the broker's own
 * estimate of the fill price. The paper broker fills them; the ledger
 * books them. The backtest replays the same stored candles in-process.
 */

#include <string.h>

#include "backtest/bourse-backtest.h"
#include "desk/bourse-desk-live.h"
#include "market/bourse-market.h"

#include "desk-test-util.h"

#define MINUTE_MS  G_GINT64_CONSTANT (60000)
#define T0         G_GINT64_CONSTANT (1781481600000)   /* 2026-06-15T00:00:00Z */
#define N_CANDLES  240
#define N_HISTORY  40

static BourseTestServer *server;

typedef struct
{
  BourseCandle candles[N_CANDLES];
} Walk;

static BourseDecimal
cents (gint64 hundredths)
{
  return (BourseDecimal) { hundredths * (BOURSE_DECIMAL_UNIT / 100) };
}

/* A seeded walk on the tick grid with trends long enough for the moving
 * averages to cross both ways a few times. */
static void
make_walk (Walk *walk)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261206);
  gint64 price = 10000;   /* 100.00 */

  memset (walk, 0, sizeof *walk);

  for (guint i = 0; i < N_CANDLES; i++)
    {
      BourseCandle *c = &walk->candles[i];
      gint64 drift = (i / 30) % 2 == 0 ? 6 : -6;
      gint64 open = price, close = MAX (1000, price + drift + g_rand_int_range (rand, -40, 41));

      c->open_time = T0 + i * MINUTE_MS;
      c->open = cents (open);
      c->close = cents (close);
      c->high = cents (MAX (open, close) + g_rand_int_range (rand, 0, 15));
      c->low = cents (MIN (open, close) - g_rand_int_range (rand, 0, 15));
      c->volume = cents (100);
      c->trades = 10;
      c->closed = TRUE;
      /* The next opens a little away from this close. */
      price = close + g_rand_int_range (rand, -3, 4);
    }
}

static BourseInstrument *
find_instrument (void)
{
  g_autoptr(GError) error = NULL;
  BourseInstrument *instrument = bourse_instruments_find (bourse_engine_get_store (server->engine), "PARUSDT",
                                                          &error);

  g_assert_no_error (error);
  return instrument;
}

static void
ingest (const BourseCandle *candles,
        gsize               n)
{
  g_autoptr(BourseInstrument) instrument = find_instrument ();
  g_autoptr(GError) error = NULL;

  bourse_market_ingest (bourse_engine_get_market (server->engine), instrument, BOURSE_INTERVAL_1M, candles, n,
                        &error);
  g_assert_no_error (error);
}

typedef struct
{
  gint64 strategy_id;
  gint64 candle_time;
} SignalWanted;

static BourseSignalRecord *
newest_signal (gint64 strategy_id)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  BourseSignalFilter filter = { ids, NULL, NULL, G_MININT64, G_MAXINT64, 0, 1 };

  g_array_append_val (ids, strategy_id);
  list = bourse_signals_list (bourse_engine_get_store (server->engine), &filter, &error);
  g_assert_no_error (error);
  return list->len > 0 ? g_ptr_array_steal_index (list, 0) : NULL;
}

/* Asks the store, not the API: a request from inside the wait would spin
 * the main loop without letting the evaluation's result come back. */
static gboolean
has_signal (gpointer data)
{
  SignalWanted *wanted = data;
  BourseSignalRecord *signal = newest_signal (wanted->strategy_id);
  gboolean found = signal != NULL && signal->candle_time == wanted->candle_time;

  g_clear_pointer (&signal, bourse_signal_record_free);
  return found;
}

static BourseDecimal
decimal_member (JsonObject *object,
                const char *member)
{
  BourseDecimal value;

  g_assert_true (bourse_decimal_parse (json_object_get_string_member (object, member), &value, NULL));
  return value;
}

static BourseDecimal
free_cash (void)
{
  g_autoptr(JsonNode) node = desk_expect (server, "GET", "/api/v1/portfolio", NULL, NULL, 200);
  JsonArray *balances = json_object_get_array_member (desk_object (node), "balances");

  for (guint i = 0; i < json_array_get_length (balances); i++)
    {
      JsonObject *balance = json_array_get_object_element (balances, i);

      if (g_str_equal (json_object_get_string_member (balance, "asset"), "USDT"))
        return decimal_member (balance, "free");
    }
  g_assert_not_reached ();
}

static void
place (const char    *side,
       BourseDecimal  quantity)
{
  g_autofree char *text = bourse_decimal_to_string (quantity);
  g_autofree char *body = g_strdup_printf ("{\"symbol\":\"PARUSDT\",\"side\":\"%s\",\"type\":\"MARKET\","
                                           "\"quantity\":\"%s\"}", side, text);
  g_autoptr(JsonNode) node = desk_expect (server, "POST", "/api/v1/orders", NULL, body, 201);

  g_assert_cmpstr (json_object_get_string_member (desk_object (node), "status"), ==, "FILLED");
}

/* The backtest's stake, worked here on its own: all the free cash ÷
 * (price × 1.001), exactly, down to the lot of 0.001. */
static BourseDecimal
stake_quantity (BourseDecimal price)
{
  BourseDecimal cash = free_cash ();
  __int128 units = (__int128) cash.units * BOURSE_DECIMAL_UNIT * BOURSE_DECIMAL_UNIT
                   / ((__int128) price.units * (BOURSE_DECIMAL_UNIT + BOURSE_DECIMAL_UNIT / 1000));

  units -= units % (BOURSE_DECIMAL_UNIT / 1000);
  return (BourseDecimal) { (gint64) units };
}

static BourseDecimal
estimated_buy_price (void)
{
  g_autoptr(JsonNode) node = desk_expect (server, "POST", "/api/v1/orders?dry_run=true", NULL,
                                          "{\"symbol\":\"PARUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\","
                                          "\"quantity\":\"1\"}", 200);

  return decimal_member (json_object_get_object_member (desk_object (node), "estimate"), "price");
}

static void
test_parity (void)
{
  Walk walk;
  g_autoptr(JsonNode) instrument = NULL;
  g_autoptr(JsonNode) strategy = NULL;
  g_autoptr(JsonNode) trades = NULL;
  g_autoptr(BourseBacktestSeries) series = NULL;
  g_autoptr(BourseBacktestResult) result = NULL;
  g_autoptr(BourseStrategy) sma = bourse_strategy_lookup ("sma-cross");
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(JsonObject) given = json_object_new ();
  g_autoptr(GError) error = NULL;
  BourseBacktestSpec spec;
  BourseDecision pending = BOURSE_DECISION_NO_TRADE;
  BourseDecimal position = { 0 };
  JsonArray *items;
  gint64 strategy_id;
  guint n_orders = 0;

  make_walk (&walk);
  instrument = desk_expect (server, "POST", "/api/v1/instruments", NULL,
                            "{\"symbol\":\"PARUSDT\",\"base_asset\":\"PAR\",\"quote_asset\":\"USDT\",\"tick_size\":\"0.01\","
                            "\"lot_step\":\"0.001\",\"min_notional\":\"5\",\"source\":\"csv\"}", 201);
  bourse_time_freeze (walk.candles[N_HISTORY - 1].open_time + MINUTE_MS);
  ingest (walk.candles, N_HISTORY);

  strategy = desk_expect (server, "POST", "/api/v1/strategies", NULL,
                          "{\"name\":\"parity\",\"strategy\":\"sma-cross\",\"symbol\":\"PARUSDT\",\"interval\":\"1m\","
                          "\"params\":{\"fast\":4,\"slow\":12},\"policy\":\"notify-only\"}", 201);
  strategy_id = json_object_get_int_member (desk_object (strategy), "id");

  for (guint i = N_HISTORY; i < N_CANDLES; i++)
    {
      const BourseCandle *candle = &walk.candles[i];
      BourseCandle forming = *candle;
      SignalWanted wanted = { strategy_id, candle->open_time };
      BourseSignalRecord *signal;

      /* The candle opens: its first price is the market's last. */
      bourse_time_freeze (candle->open_time + 1000);
      forming.high = forming.low = forming.close = forming.open;
      forming.closed = FALSE;
      ingest (&forming, 1);

      /* The signal of the candle before acts at this open. */
      if (pending == BOURSE_DECISION_BUY && position.units == 0)
        {
          position = stake_quantity (estimated_buy_price ());
          place ("BUY", position);
          n_orders++;
        }
      else if (pending == BOURSE_DECISION_SELL && position.units > 0)
        {
          place ("SELL", position);
          position = BOURSE_DECIMAL_ZERO;
          n_orders++;
        }

      /* It closes; the live strategy evaluates it. */
      bourse_time_freeze (candle->open_time + MINUTE_MS);
      ingest (candle, 1);
      bourse_test_wait_until (has_signal, &wanted, 30000, "the live strategy's signal");
      signal = newest_signal (strategy_id);
      pending = signal->decision;
      bourse_signal_record_free (signal);
    }
  /* Enough to mean something: several round trips. */
  g_assert_cmpuint (n_orders, >=, 6);

  /* The backtest of the same stored candles. */
  json_object_set_int_member (given, "fast", 4);
  json_object_set_int_member (given, "slow", 12);
  params = bourse_strategy_resolve_parameters (sma, given, NULL, &error);
  g_assert_no_error (error);
  bourse_backtest_spec_init (&spec, sma, params);
  spec.exits = BOURSE_BACKTEST_EXITS_SIGNALS;
  series = bourse_backtest_series_load (bourse_engine_get_store (server->engine), "PARUSDT", BOURSE_INTERVAL_1M,
                                        walk.candles[N_HISTORY].open_time,
                                        walk.candles[N_CANDLES - 1].open_time + MINUTE_MS,
                                        bourse_backtest_spec_get_lookback (&spec) - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (series->first, ==, N_HISTORY);
  g_assert_cmpuint (series->n_candles, ==, N_CANDLES);
  result = bourse_backtest_run (series, &spec, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Trade for trade: the ledger's round trips, oldest first. */
  trades = desk_expect (server, "GET", "/api/v1/trades?symbol=PARUSDT&limit=500", NULL, NULL, 200);
  items = json_object_get_array_member (desk_object (trades), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, result->trades->len);
  for (guint k = 0; k < result->trades->len; k++)
    {
      const BourseBacktestTrade *bt = &g_array_index (result->trades, BourseBacktestTrade, k);
      JsonObject *paper = json_array_get_object_element (items, result->trades->len - 1 - k);
      g_autofree char *entry_time = bourse_time_format_rfc3339 (bt->entry_time + 1000);

      g_test_message ("trade %u: %s", k, json_object_get_string_member (paper, "opened_at"));
      g_assert_cmpstr (json_object_get_string_member (paper, "opened_at"), ==, entry_time);
      g_assert_cmpint (decimal_member (paper, "quantity").units, ==, bt->quantity.units);
      g_assert_cmpint (decimal_member (paper, "entry_price").units, ==, bt->entry_price.units);
      g_assert_cmpint (decimal_member (paper, "fees").units, ==, bt->fees.units);
      if (bt->exit_reason != NULL)
        {
          g_autofree char *exit_time = bourse_time_format_rfc3339 (bt->exit_time + 1000);

          g_assert_cmpstr (json_object_get_string_member (paper, "status"), ==, "closed");
          g_assert_cmpstr (json_object_get_string_member (paper, "closed_at"), ==, exit_time);
          g_assert_cmpint (decimal_member (paper, "exit_price").units, ==, bt->exit_price.units);
          g_assert_cmpint (decimal_member (paper, "net_pnl").units, ==, bt->pnl.units);
        }
      else
        g_assert_cmpstr (json_object_get_string_member (paper, "status"), ==, "open");
    }
  /* And the cash, to the unit. */
  g_assert_cmpint (free_cash ().units, ==, result->final_cash.units);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  bourse_time_freeze (T0);
  server = desk_server_new (NULL);

  g_test_add_func ("/backtest/paper-parity", test_parity);

  status = g_test_run ();
  bourse_test_server_free (server);
  return status;
}
