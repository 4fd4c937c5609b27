/* bench-backtest.c — how fast a backtest replays candles
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-backtest CASE [--candles N] [--runs N] [--series FILE]
 *
 *   sma   SMA(50) × SMA(200) crossover over N one-minute candles (default
 *         1,000,000), exits on the opposite signal, the default lookback
 *         (the live window, 500 candles), a fee of 0.01 % and 1 bp of
 *         slippage (at Binance's default 0.1 % and 2 bps the cash of a
 *         minute crossover is gone in fees long before a million candles). --series writes the candles
 *         (open, high, low, close per line) for reference.py to run the
 *         same rules in NumPy and in a plain Python loop.
 *   ar    AR(4) with a 500-candle lookback over N candles (default 100,000).
 *   optimise  1,000 SMA-crossover backtests (fast 5 … 54 × slow 60 … 250 by
 *         10, a grid; costs as for sma) over N one-minute candles (default a year, 525,600),
 *         on one thread and then on every core; prints both, with the CPU
 *         seconds the process spent in each (CPU ÷ wall is how many cores
 *         it really had: on a shared machine, fewer than its threads), and
 *         the speed-up.
 *
 * Makes a deterministic series (a log random walk near 65,000 on a 0.01
 * tick, lot 0.00001), runs the case --runs times (default 5) after one
 * warm-up, and prints: the case, the median and minimum seconds of a run,
 * candles per second at the median, the trades and the final equity (so a
 * reader can check the reference ran the same rules). run.sh runs it
 * beside reference.py. Figures are reported, never asserted.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "backtest/bourse-backtest.h"
#include "backtest/bourse-optimiser.h"

#define T0 G_GINT64_CONSTANT (1735689600000)   /* 2025-01-01T00:00:00Z */

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static BourseBacktestSeries *
make_series (gsize n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261206);
  g_autoptr(BourseInstrument) instrument = bourse_instrument_new ();
  g_autofree BourseCandle *candles = g_new0 (BourseCandle, n);
  gint64 price = 6500000;   /* hundredths */

  instrument->symbol = g_strdup ("BTCUSDT");
  instrument->base_asset = g_strdup ("BTC");
  instrument->quote_asset = g_strdup ("USDT");
  bourse_decimal_parse ("0.01", &instrument->tick_size, NULL);
  bourse_decimal_parse ("0.00001", &instrument->lot_step, NULL);
  bourse_decimal_parse ("5", &instrument->min_notional, NULL);
  for (gsize i = 0; i < n; i++)
    {
      BourseCandle *c = &candles[i];
      double step = 0;
      gint64 open = price, close, spread_high, spread_low;

      /* A normal step from the sum of four uniforms: 0.05 % a minute. */
      for (guint k = 0; k < 4; k++)
        step += g_rand_double_range (rand, -1, 1);
      close = (gint64) llround (open * exp (0.0005 * step * sqrt (3.0 / 4)));
      spread_high = (gint64) (MAX (open, close) * 0.0003 * g_rand_double (rand));
      spread_low = (gint64) (MIN (open, close) * 0.0003 * g_rand_double (rand));
      c->open_time = T0 + (gint64) i * 60000;
      c->open.units = open * (BOURSE_DECIMAL_UNIT / 100);
      c->close.units = close * (BOURSE_DECIMAL_UNIT / 100);
      c->high.units = (MAX (open, close) + spread_high) * (BOURSE_DECIMAL_UNIT / 100);
      c->low.units = (MIN (open, close) - spread_low) * (BOURSE_DECIMAL_UNIT / 100);
      c->volume.units = BOURSE_DECIMAL_UNIT;
      c->closed = TRUE;
      price = close;
    }
  return bourse_backtest_series_new (instrument, BOURSE_INTERVAL_1M, candles, n, 0);
}

static void
write_series (const BourseBacktestSeries *series,
              const char                 *path)
{
  FILE *file = fopen (path, "w");

  if (file == NULL)
    g_error ("cannot write %s", path);
  for (gsize i = 0; i < series->n_candles; i++)
    fprintf (file, "%.2f %.2f %.2f %.2f\n", series->open[i], series->high[i], series->low[i], series->close[i]);
  fclose (file);
}

/* User and system seconds of every thread of the process so far. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* The grid on one thread, then on every core: seconds of each. */
static int
optimise (BourseBacktestSeries *series)
{
  g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup ("sma-cross");
  g_autoptr(JsonObject) params = bourse_strategy_resolve_parameters (strategy, NULL, NULL, NULL);
  g_autoptr(JsonNode) request = json_from_string ("{\"space\": {\"fast\": {\"min\": 5, \"max\": 54, \"step\": 1},"
                                                  " \"slow\": {\"min\": 60, \"max\": 250, \"step\": 10}},"
                                                  " \"method\": \"grid\", \"objective\": \"sharpe\"}", NULL);
  g_auto(BourseOptimiserOptions) options = { 0 };
  g_autoptr(GError) error = NULL;
  guint threads[2] = { 1, g_get_num_processors () };
  double seconds[2];
  BourseBacktestSpec spec;

  bourse_optimiser_options_init (&options);
  if (!bourse_optimiser_options_parse (&options, strategy, json_node_get_object (request), &error))
    g_error ("%s", error->message);
  bourse_backtest_spec_init (&spec, strategy, params);
  spec.exits = BOURSE_BACKTEST_EXITS_SIGNALS;
  spec.fee_rate.units = BOURSE_DECIMAL_UNIT / 10000;
  spec.slippage_bps = 1;
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(BourseOptimiserResult) result = NULL;
      gint64 start = g_get_monotonic_time ();
      double cpu = cpu_seconds ();

      result = bourse_optimiser_run (series, &spec, &options, threads[k], NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      seconds[k] = (g_get_monotonic_time () - start) / 1e6;
      cpu = cpu_seconds () - cpu;
      printf ("optimise-%u %u %.2f %.0f %u %.2f\n", threads[k], result->candidates->len, seconds[k],
              result->candidates->len * (double) series->n_candles / seconds[k], threads[k], cpu);
    }
  printf ("speed-up %.2f\n", seconds[0] / seconds[1]);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BourseBacktestSeries) series = NULL;
  g_autoptr(BourseStrategy) strategy = NULL;
  g_autoptr(JsonObject) given = json_object_new ();
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *seconds = NULL;
  g_autofree char *series_path = NULL;
  const char *name;
  BourseBacktestSpec spec;
  gsize n = 0;
  guint runs = 5;
  guint trades = 0;
  double equity = 0;

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-backtest sma|ar [--candles N] [--runs N] [--series FILE]\n");
      return 2;
    }
  name = argv[1];
  for (int i = 2; i + 1 < argc; i += 2)
    {
      if (g_str_equal (argv[i], "--candles"))
        n = strtoull (argv[i + 1], NULL, 10);
      else if (g_str_equal (argv[i], "--runs"))
        runs = MAX (1, atoi (argv[i + 1]));
      else if (g_str_equal (argv[i], "--series"))
        series_path = g_strdup (argv[i + 1]);
    }

  bourse_strategies_ensure ();
  if (g_str_equal (name, "sma"))
    {
      strategy = bourse_strategy_lookup ("sma-cross");
      json_object_set_int_member (given, "fast", 50);
      json_object_set_int_member (given, "slow", 200);
      n = n > 0 ? n : 1000000;
    }
  else if (g_str_equal (name, "ar"))
    {
      strategy = bourse_strategy_lookup ("ar");
      /* Every forecast a signal: the trades are part of the cost. */
      json_object_set_double_member (given, "threshold", 0);
      n = n > 0 ? n : 100000;
    }
  else if (g_str_equal (name, "optimise"))
    {
      series = make_series (n > 0 ? n : 525600);
      return optimise (series);
    }
  else
    g_error ("unknown case %s", name);

  params = bourse_strategy_resolve_parameters (strategy, given, NULL, &error);
  g_assert_no_error (error);
  series = make_series (n);
  if (series_path != NULL)
    write_series (series, series_path);
  bourse_backtest_spec_init (&spec, strategy, params);
  spec.exits = BOURSE_BACKTEST_EXITS_SIGNALS;
  spec.fee_rate.units = BOURSE_DECIMAL_UNIT / 10000;
  spec.slippage_bps = 1;
  if (g_str_equal (name, "ar"))
    spec.lookback = 500;

  seconds = g_new (double, runs);
  for (guint r = 0; r <= runs; r++)
    {
      g_autoptr(BourseBacktestResult) result = NULL;
      gint64 start = g_get_monotonic_time ();

      result = bourse_backtest_run (series, &spec, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      /* The first is the warm-up. */
      if (r > 0)
        seconds[r - 1] = (g_get_monotonic_time () - start) / 1e6;
      trades = result->metrics.trades;
      equity = bourse_decimal_to_double (result->final_equity);
    }
  qsort (seconds, runs, sizeof *seconds, compare_doubles);
  printf ("%s %.4f %.4f %.0f %u %.2f\n", name, seconds[runs / 2], seconds[0], n / seconds[runs / 2], trades,
          equity);
  return 0;
}
