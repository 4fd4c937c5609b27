/* matching.c — paper matching with 10,000 open orders: the time of one price update
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-trading-matching --data-dir DIR [--orders N] [--updates N]
 *
 * Starts a real engine in-process on a fresh data directory DIR (it must
 * not exist yet; the caller removes it: run does) — no simulated market, no
 * server — and
 * creates two csv instruments, BENCHUSDT and IDLEUSDT, each given a price of
 * 100 by a one-minute candle. Through bourse_trading_place_order () it then
 * rests N paper LIMIT orders (default 10,000) on BENCHUSDT far from the
 * price: half BUYs at 40–50, half SELLs at 150–160 (the base they sell is
 * bought first by one MARKET order). Then, UPDATES times each (default
 * 1000), prices between 99 and 101 that match none of them:
 *
 *   evaluation   bourse_broker_on_price () of the paper broker alone: the
 *                scan of the book (what the trading loop's "price" handler
 *                calls);
 *   ingest       bourse_market_ingest () of a new closed one-minute candle of
 *                BENCHUSDT: the candle written (its own SQLite transaction),
 *                the higher intervals folded, candles and the ticker
 *                published, the "price" signal — portfolio and matching;
 *   ingest-idle  the same for IDLEUSDT, which has no open order: the ingest
 *                without matching. Interleaved with the one above.
 *
 * and prints, for each, the median, p99 and maximum time of one update, in
 * microseconds. The clock is frozen and moved a minute per update. Checks
 * at the end that all N orders still rest and none filled. Placing the N
 * orders is timed too (one transaction each): the in-process rate of
 * LIMIT orders on that disk.
 */

#include <stdio.h>
#include <stdlib.h>

#include "core/bourse-time.h"
#include "engine/bourse-engine.h"
#include "market/bourse-candles.h"
#include "market/bourse-instruments.h"
#include "trading/bourse-paper-broker.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define UNITS(x) ((gint64) (x) * BOURSE_DECIMAL_UNIT)
#define CENTS(x) ((gint64) (x) * (BOURSE_DECIMAL_UNIT / 100))

static const BourseTradingCaller caller = { "system", 0, NULL, TRUE };
static gint64 clock_ms;

static void
die (const char *what,
     GError     *error)
{
  g_printerr ("bench-trading-matching: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static int
compare_int64 (const void *a,
               const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* "name median_us=… p99_us=… max_us=… n=…" of the times in ns. */
static void
report (const char *name,
        GArray     *times)
{
  guint n = times->len;

  qsort (times->data, n, sizeof (gint64), compare_int64);
  printf ("%s median_us=%.2f p99_us=%.2f max_us=%.2f n=%u\n", name,
          g_array_index (times, gint64, n / 2) / 1e3,
          g_array_index (times, gint64, MIN (n - 1, (guint) (n * 0.99))) / 1e3,
          g_array_index (times, gint64, n - 1) / 1e3, n);
}

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static BourseInstrument *
add_instrument (BourseStore *store,
                const char  *symbol,
                const char  *base)
{
  g_autoptr(BourseInstrument) instrument = bourse_instrument_new ();
  g_autoptr(GError) error = NULL;

  instrument->symbol = g_strdup (symbol);
  instrument->base_asset = g_strdup (base);
  instrument->quote_asset = g_strdup ("USDT");
  instrument->tick_size.units = CENTS (1);
  instrument->lot_step.units = BOURSE_DECIMAL_UNIT / 1000;
  instrument->min_notional.units = UNITS (5);
  g_free (instrument->status);
  instrument->status = g_strdup ("trading");
  g_free (instrument->source);
  instrument->source = g_strdup ("csv");
  if (!bourse_instruments_insert (store, instrument, &error))
    die ("instrument", error);
  return g_steal_pointer (&instrument);
}

/* A closed one-minute candle at @price_units, for the minute before the
 * (frozen) clock. */
static void
ingest (BourseMarket           *market,
        const BourseInstrument *instrument,
        gint64                  price_units)
{
  g_autoptr(GError) error = NULL;
  BourseCandle candle = { 0 };

  candle.open_time = bourse_interval_align (BOURSE_INTERVAL_1M, clock_ms - MINUTE_MS);
  candle.open.units = candle.high.units = candle.low.units = candle.close.units = price_units;
  candle.volume.units = UNITS (1);
  candle.trades = 1;
  candle.closed = TRUE;
  if (!bourse_market_ingest (market, instrument, BOURSE_INTERVAL_1M, &candle, 1, &error))
    die ("ingest", error);
}

static void
tick (void)
{
  clock_ms += MINUTE_MS;
  bourse_time_freeze (clock_ms);
}

int
main (int   argc,
      char *argv[])
{
  gint orders = 10000, updates = 1000;
  g_autofree char *data_dir = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— paper matching per price update");
  GOptionEntry entries[] = {
    { "orders", 0, 0, G_OPTION_ARG_INT, &orders, "Open orders on the book (10000)", "N" },
    { "updates", 0, 0, G_OPTION_ARG_INT, &updates, "Price updates timed, each way (1000)", "N" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "A new data directory (required)", "DIR" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseConfig) config = NULL;
  g_autoptr(BourseEngine) engine = NULL;
  g_autoptr(BourseInstrument) bench = NULL;
  g_autoptr(BourseInstrument) idle = NULL;
  g_autoptr(GArray) evaluation = NULL;
  g_autoptr(GArray) ingest_busy = NULL;
  g_autoptr(GArray) ingest_idle = NULL;
  BourseTrading *trading;
  BourseMarket *market;
  BourseBroker *broker;
  gint64 start;
  double placing_s;
  guint resting;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || orders < 2 || updates < 1 || data_dir == NULL)
    {
      g_printerr ("%s\n", error != NULL ? error->message
                                       : "--data-dir is required, --orders must be at least 2, --updates at least 1");
      return 2;
    }
  if (g_file_test (data_dir, G_FILE_TEST_EXISTS))
    {
      g_printerr ("bench-trading-matching: %s exists: give a new directory\n", data_dir);
      return 2;
    }

  config = bourse_config_new ();
  {
    static const char * const settings[] = {
      "store", "data_dir", NULL,
      "simulated", "enabled", "false",
      "rate_limit", "enabled", "false",
      "auth", "secrets_backend", "file",
      "log", "level", "warning",
      /* Enough for N/2 BUY locks near 50 and the base of N/2 SELLs near 100. */
      "paper", "starting_balance", "100000000",
      NULL,
    };

    for (guint i = 0; settings[i] != NULL; i += 3)
      if (!bourse_config_set (config, settings[i], settings[i + 1], settings[i + 2] != NULL ? settings[i + 2] : data_dir,
                              BOURSE_CONFIG_SOURCE_COMMAND_LINE, &error))
        die (settings[i + 1], error);
  }

  clock_ms = bourse_interval_align (BOURSE_INTERVAL_1M, g_get_real_time () / 1000);
  bourse_time_freeze (clock_ms);
  engine = bourse_engine_new (config);
  if (!bourse_engine_start (engine, &error))
    die ("engine", error);
  trading = bourse_engine_get_trading (engine);
  market = bourse_engine_get_market (engine);
  broker = bourse_trading_get_broker (trading);
  if (!BOURSE_IS_PAPER_BROKER (broker) || !bourse_trading_is_running (trading))
    die ("the paper broker is not the one trading, or the trading loop is stopped", NULL);

  bench = add_instrument (bourse_engine_get_store (engine), "BENCHUSDT", "BENCH");
  idle = add_instrument (bourse_engine_get_store (engine), "IDLEUSDT", "IDLE");
  ingest (market, bench, UNITS (100));
  ingest (market, idle, UNITS (100));

  /* The base the SELLs sell. */
  {
    BourseOrderRequest request = {
      .symbol = "BENCHUSDT", .side = BOURSE_SIDE_BUY, .type = BOURSE_ORDER_MARKET,
      .has_quantity = TRUE, .quantity.units = UNITS (orders - orders / 2),
    };
    g_autoptr(BourseOrder) order = bourse_trading_place_order (trading, &request, &caller, NULL, &error);

    if (order == NULL)
      die ("the MARKET BUY", error);
    if (order->status != BOURSE_ORDER_FILLED)
      die ("the MARKET BUY did not fill", NULL);
  }

  start = now_ns ();
  for (gint i = 0; i < orders; i++)
    {
      gboolean buy = i % 2 == 0;
      /* BUYs at 50.00 down to 40.01, SELLs at 150.00 up to 159.99. */
      BourseOrderRequest request = {
        .symbol = "BENCHUSDT", .side = buy ? BOURSE_SIDE_BUY : BOURSE_SIDE_SELL, .type = BOURSE_ORDER_LIMIT,
        .has_quantity = TRUE, .quantity.units = UNITS (1),
        .has_price = TRUE, .price.units = buy ? UNITS (50) - CENTS ((i / 2) % 1000) : UNITS (150) + CENTS ((i / 2) % 1000),
      };
      g_autoptr(BourseOrder) order = bourse_trading_place_order (trading, &request, &caller, NULL, &error);

      if (order == NULL)
        die ("a LIMIT order", error);
      if (order->status != BOURSE_ORDER_NEW)
        die ("a LIMIT order far from the price did not rest", NULL);
    }
  placing_s = (now_ns () - start) / 1e9;
  resting = bourse_paper_broker_get_n_resting (BOURSE_PAPER_BROKER (broker));
  if (resting != (guint) orders)
    die ("the book does not hold every order", NULL);

  /* Warm-up, then the scan alone. */
  evaluation = g_array_sized_new (FALSE, FALSE, sizeof (gint64), updates);
  for (gint k = -updates / 10; k < updates; k++)
    {
      BourseDecimal price = { UNITS (99) + CENTS ((k + updates) % 201) };
      gint64 begun = now_ns (), took;

      bourse_broker_on_price (broker, bench, price);
      took = now_ns () - begun;
      if (k >= 0)
        g_array_append_val (evaluation, took);
    }

  /* The whole ingest, with the book and without, interleaved. */
  ingest_busy = g_array_sized_new (FALSE, FALSE, sizeof (gint64), updates);
  ingest_idle = g_array_sized_new (FALSE, FALSE, sizeof (gint64), updates);
  for (gint k = -updates / 10; k < updates; k++)
    {
      gint64 price = UNITS (99) + CENTS ((k + updates) % 201);
      gint64 begun, took;

      tick ();
      begun = now_ns ();
      ingest (market, bench, price);
      took = now_ns () - begun;
      if (k >= 0)
        g_array_append_val (ingest_busy, took);

      begun = now_ns ();
      ingest (market, idle, price);
      took = now_ns () - begun;
      if (k >= 0)
        g_array_append_val (ingest_idle, took);
    }

  resting = bourse_paper_broker_get_n_resting (BOURSE_PAPER_BROKER (broker));
  if (resting != (guint) orders)
    die ("an order filled: the prices were meant to match none", NULL);

  printf ("data_dir=%s\n", data_dir);
  printf ("placed n=%d seconds=%.3f orders_per_s=%.0f\n", orders, placing_s, orders / placing_s);
  printf ("resting n=%u\n", resting);
  report ("evaluation", evaluation);
  report ("ingest", ingest_busy);
  report ("ingest-idle", ingest_idle);

  bourse_engine_stop (engine);
  g_clear_object (&engine);
  bourse_time_thaw ();
  return 0;
}
