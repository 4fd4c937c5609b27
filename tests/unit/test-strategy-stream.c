/* test-strategy-stream.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Strategy streams (docs/STRATEGIES.md, "Streams") against
 * bourse_strategy_evaluate () on every candle of long seeded series: random
 * walks with trends, flat stretches, zigzags whose averages cross on
 * rounding noise alone, gaps, bad candles and times out of order, several
 * parameter sets and lookbacks. The decision, the levels and the
 * risk/reward must be the same on every candle, the confidence within
 * 10^-12 (the stream may take it from its own ATR, docs/STRATEGIES.md);
 * and the stream's bound on the distance between its ATR and the window's
 * must hold on every candle.
 */

#include <math.h>
#include <string.h>

#include "strategy/bourse-strategy-private.h"

typedef struct
{
  gsize           n;
  gint64         *open_time;
  double         *open;
  double         *high;
  double         *low;
  double         *close;
  double         *volume;
  BourseInterval  interval;
  BourseDecimal   tick_size;
} Series;

static void
series_free (Series *series)
{
  g_free (series->open_time);
  g_free (series->open);
  g_free (series->high);
  g_free (series->low);
  g_free (series->close);
  g_free (series->volume);
  g_free (series);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Series, series_free)

/* As stored candles reach the strategies; or, with @rand, off the grid by
 * up to 10^-7 relative: doubles whose sums round, unlike those of prices
 * on a decimal grid, so that evaluate ()'s order of additions shows. */
static double
price (gint64         ticks,
       BourseDecimal  tick_size,
       GRand         *rand)
{
  BourseDecimal value = { ticks * tick_size.units };

  if (rand != NULL)
    return bourse_decimal_to_double (value) * (1 + 1e-7 * g_rand_double (rand));
  return bourse_decimal_to_double (value);
}

typedef enum
{
  REGIME_WALK,
  REGIME_TREND,
  REGIME_FLAT,
  REGIME_ZIGZAG,
  N_REGIMES,
} Regime;

/*
 * @n candles from @seed, starting at @start_ticks ticks of @tick: stretches
 * of 20 to 400 candles of a random walk (by @step_ticks, or by a factor up
 * to e^-@step_ticks when it is negative), a trend, a flat price (high = low
 * = close) or a zigzag of period 2 (whose averages of even periods are
 * equal but for rounding); now and then a missing candle or thirty, or
 * three open times off the interval's grid (half an interval late: each
 * counts one missing before it), and rarely a bad candle (high below low, no
 * price, a negative volume) or an open time repeated. With @off_grid, prices are not on the tick grid.
 */
static Series *
make_series (guint32         seed,
             gsize           n,
             gint64          start_ticks,
             const char     *tick,
             BourseInterval  interval,
             double          step_ticks,
             gboolean        off_grid)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  Series *series = g_new0 (Series, 1);
  gint64 ticks = start_ticks, time;
  Regime regime = REGIME_WALK;
  guint left = 0, late = 0;
  int drift = 0;

  series->n = n;
  series->open_time = g_new (gint64, n);
  series->open = g_new (double, n);
  series->high = g_new (double, n);
  series->low = g_new (double, n);
  series->close = g_new (double, n);
  series->volume = g_new (double, n);
  series->interval = interval;
  g_assert_true (bourse_decimal_parse (tick, &series->tick_size, NULL));

  time = bourse_interval_align (interval, G_GINT64_CONSTANT (1767225600000));  /* 2026-01-01 */
  for (gsize i = 0; i < n; i++)
    {
      gint64 open_ticks = ticks, high_ticks, low_ticks;
      double event = g_rand_double (rand);

      if (left == 0)
        {
          regime = g_rand_int_range (rand, 0, N_REGIMES);
          left = g_rand_int_range (rand, 20, 401);
          drift = g_rand_boolean (rand) ? 1 : -1;
        }
      left--;

      switch (regime)
        {
        case REGIME_WALK:
          if (step_ticks < 0)
            ticks = (gint64) llround (ticks * exp (-step_ticks * g_rand_double_range (rand, -1, 1)));
          else
            ticks += (gint64) llround (step_ticks * g_rand_double_range (rand, -1, 1));
          break;
        case REGIME_TREND:
          ticks += (gint64) llround (step_ticks * g_rand_double_range (rand, -0.6, 1) * drift);
          break;
        case REGIME_ZIGZAG:
          ticks += (i % 2 == 0 ? 1 : -1) * MAX (1, (gint64) step_ticks);
          break;
        case REGIME_FLAT:
        case N_REGIMES:
        default:
          break;
        }
      ticks = CLAMP (ticks, MAX (start_ticks / 20, 10), start_ticks * 20);

      if (regime == REGIME_FLAT)
        open_ticks = high_ticks = low_ticks = ticks;
      else
        {
          high_ticks = MAX (open_ticks, ticks) + g_rand_int_range (rand, 0, 4);
          low_ticks = MAX (MIN (open_ticks, ticks) - g_rand_int_range (rand, 0, 4), 1);
        }

      if (i > 0)
        {
          time = bourse_interval_next (interval, time);
          if (event < 0.01)
            time = bourse_interval_next (interval, time);
          else if (event < 0.0105)
            for (guint k = 0; k < 30; k++)
              time = bourse_interval_next (interval, time);
          else if (event < 0.0125)
            late = 3;
        }
      series->open_time[i] = time;
      if (late > 0)
        {
          series->open_time[i] += (bourse_interval_next (interval, time) - time) / 2;
          late--;
        }
      series->close[i] = price (ticks, series->tick_size, off_grid ? rand : NULL);
      if (regime == REGIME_FLAT)
        series->open[i] = series->high[i] = series->low[i] = series->close[i];
      else
        {
          series->open[i] = price (open_ticks, series->tick_size, off_grid ? rand : NULL);
          series->high[i] = MAX (price (high_ticks, series->tick_size, off_grid ? rand : NULL),
                                 MAX (series->open[i], series->close[i]));
          series->low[i] = MIN (price (low_ticks, series->tick_size, off_grid ? rand : NULL),
                                MIN (series->open[i], series->close[i]));
        }
      series->volume[i] = g_rand_double_range (rand, 0, 100);

      if (event > 0.9995 && i > 0)
        series->open_time[i] = series->open_time[i - 1];
      else if (event > 0.9990)
        series->high[i] = series->low[i] * 0.999;
      else if (event > 0.9987)
        series->close[i] = NAN;
      else if (event > 0.9984)
        series->volume[i] = -1;
      else if (event > 0.9981)
        series->open[i] = 0;
    }
  return series;
}

/* The last @n candles up to @last, as the backtest hands them to evaluate (). */
static BourseStrategyInput *
window_input (const Series *series,
              gsize         last,
              gsize         n)
{
  BourseStrategyInput *input = bourse_strategy_input_new (n);
  gsize first = last + 1 - n;

  input->open_time = g_new (gint64, n);
  memcpy (input->open_time, series->open_time + first, n * sizeof (gint64));
  memcpy (input->open, series->open + first, n * sizeof (double));
  memcpy (input->high, series->high + first, n * sizeof (double));
  memcpy (input->low, series->low + first, n * sizeof (double));
  memcpy (input->close, series->close + first, n * sizeof (double));
  memcpy (input->volume, series->volume + first, n * sizeof (double));
  input->interval = series->interval;
  input->tick_size = series->tick_size;
  return input;
}

static JsonObject *
params_from (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

typedef struct
{
  guint trades;       /* BUY or SELL */
  guint noise;        /* of which crossings by rounding alone */
  guint checked_out;  /* NO_TRADE from the common checks (empty metrics) */
  guint model;        /* NO_TRADE from the model or the levels */
  guint atr_estimated;  /* windows whose ATR the stream's gives within 10^-12 */
} Counts;

static void
compare_stream (const char   *strategy_id,
                const char   *params_json,
                guint         lookback,
                const Series *series,
                const char   *label,
                Counts       *counts)
{
  g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup (strategy_id);
  g_autoptr(JsonObject) params = params_from (params_json);
  g_autoptr(BourseStrategyStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = bourse_strategy_stream_new (strategy, params, lookback, series->interval,
                                       series->tick_size, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stream);

  for (gsize i = 0; i < series->n; i++)
    {
      g_autoptr(BourseStrategyInput) input = window_input (series, i, MIN (i + 1, lookback));
      g_auto(BourseSignal) expected = BOURSE_SIGNAL_INIT;
      BourseStreamSignal got;

      bourse_strategy_stream_push (stream, series->open_time[i], series->open[i], series->high[i],
                                   series->low[i], series->close[i], series->volume[i], &got);
      g_assert_true (bourse_strategy_evaluate (strategy, input, params, &expected, &error));
      g_assert_no_error (error);

      if (got.decision != expected.decision
          || got.entry.units != expected.entry.units
          || got.stop_loss.units != expected.stop_loss.units
          || got.take_profit.units != expected.take_profit.units
          || !(fabs (got.confidence - expected.confidence) <= 1e-12)
          || got.risk_reward != expected.risk_reward)
        g_error ("%s %s lookback %u, %s, candle %" G_GSIZE_FORMAT ": the stream gives %s %"
                 G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %.17g %.17g, "
                 "evaluate () %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                 " %.17g %.17g (%s)",
                 strategy_id, params_json, lookback, label, i,
                 bourse_decision_to_string (got.decision), got.entry.units, got.stop_loss.units,
                 got.take_profit.units, got.confidence, got.risk_reward,
                 bourse_decision_to_string (expected.decision), expected.entry.units,
                 expected.stop_loss.units, expected.take_profit.units, expected.confidence,
                 expected.risk_reward, expected.reason);

      if (input->n_candles >= 15)
        {
          double bound, estimate = _bourse_strategy_stream_estimate_atr (stream, &bound);
          double atr = bourse_strategy_stream_get_atr (stream);

          if (!(fabs (estimate - atr) <= bound) && isfinite (atr) && isfinite (bound))
            g_error ("%s %s lookback %u, %s, candle %" G_GSIZE_FORMAT ": the stream's ATR %.17g "
                     "is further than %.3g from the window's %.17g", strategy_id, params_json,
                     lookback, label, i, estimate, bound, atr);
          counts->atr_estimated += bound <= 1e-12 * atr;
        }

      if (expected.decision != BOURSE_DECISION_NO_TRADE)
        {
          counts->trades++;
          counts->noise += expected.confidence < 1e-9;
        }
      else if (json_object_get_size (expected.metrics) == 0)
        counts->checked_out++;
      else
        counts->model++;
    }
}

typedef struct
{
  const char *params;
  guint       lookbacks[4];   /* 0 ends */
} Case;

static void
compare_cases (const char *strategy_id,
               const Case *cases,
               gsize       n_cases)
{
  /* Prices of every size: a coin at cents, BTC at cents (moves tiny beside
   * the price), a token at 10^-8; months, whose lengths differ; and prices
   * off the grid. */
  static const struct
  {
    guint32         seed;
    gsize           n;
    gint64          start_ticks;
    const char     *tick;
    BourseInterval  interval;
    double          step_ticks;
    gboolean        off_grid;
  } series_specs[] = {
    { 1, 2500, 10000, "0.01", BOURSE_INTERVAL_1M, 8, FALSE },
    { 2, 2000, 6500000, "0.01", BOURSE_INTERVAL_1M, 300, FALSE },
    { 3, 2000, 12345, "0.00000001", BOURSE_INTERVAL_1H, 40, FALSE },
    { 4, 1200, 2000, "0.5", BOURSE_INTERVAL_1MO, 3, FALSE },
    { 5, 2000, 10000, "0.01", BOURSE_INTERVAL_1M, 8, TRUE },
    /* Wild: steps of up to 50% make windows span several binades. */
    { 6, 2500, 100000, "0.0001", BOURSE_INTERVAL_1M, -0.4, TRUE },
  };
  Series *series[G_N_ELEMENTS (series_specs)];
  Counts counts = { 0 };
  guint k = 0;

  for (gsize s = 0; s < G_N_ELEMENTS (series_specs); s++)
    series[s] = make_series (series_specs[s].seed, series_specs[s].n, series_specs[s].start_ticks,
                             series_specs[s].tick, series_specs[s].interval,
                             series_specs[s].step_ticks, series_specs[s].off_grid);

  /* Each parameter set and lookback on two of the series, in turn: every
   * pair on all of them would take minutes under the sanitizers. */
  for (gsize c = 0; c < n_cases; c++)
    for (guint l = 0; l < G_N_ELEMENTS (cases[c].lookbacks) && cases[c].lookbacks[l] > 0; l++, k++)
      for (guint j = 0; j < 2; j++)
        {
          gsize s = (k + j * 3) % G_N_ELEMENTS (series_specs);
          g_autofree char *label = g_strdup_printf ("series %u", series_specs[s].seed);

          compare_stream (strategy_id, cases[c].params, cases[c].lookbacks[l], series[s], label,
                          &counts);
        }

  for (gsize s = 0; s < G_N_ELEMENTS (series_specs); s++)
    series_free (series[s]);

  g_test_message ("%s: %u trades (%u on rounding noise), %u windows refused by the checks, "
                  "%u model NO_TRADE, %u ATRs estimated", strategy_id, counts.trades, counts.noise,
                  counts.checked_out, counts.model, counts.atr_estimated);
  /* The series must reach every path, or the comparison proves little. */
  g_assert_cmpuint (counts.trades, >, 200);
  g_assert_cmpuint (counts.checked_out, >, 200);
  g_assert_cmpuint (counts.model, >, 1000);
  g_assert_cmpuint (counts.atr_estimated, >, 500);
}

static void
test_sma_cross (void)
{
  static const Case cases[] = {
    { "{}", { 31, 32, 100, 500 } },
    { "{\"fast\": 2, \"slow\": 4}", { 10, 15, 61, 0 } },
    { "{\"fast\": 1, \"slow\": 2}", { 16, 40, 0 } },
    { "{\"fast\": 6, \"slow\": 50, \"stop_atr\": 1.5, \"target_atr\": 4}", { 51, 77, 0 } },
    { "{\"fast\": 20, \"slow\": 120, \"stop_atr\": 0.1, \"target_atr\": 0.1}", { 121, 250, 0 } },
  };

  compare_cases ("sma-cross", cases, G_N_ELEMENTS (cases));
}

static void
test_rsi (void)
{
  static const Case cases[] = {
    { "{}", { 16, 17, 100, 500 } },
    { "{\"period\": 2, \"oversold\": 10, \"overbought\": 90}", { 15, 60, 400, 0 } },
    { "{\"period\": 5, \"oversold\": 45, \"overbought\": 55, \"stop_atr\": 0.5}", { 30, 300, 0 } },
    { "{\"period\": 40, \"oversold\": 0, \"overbought\": 100}", { 42, 0 } },
    { "{\"period\": 30, \"oversold\": 35, \"overbought\": 65}", { 32, 1000, 0 } },
  };

  compare_cases ("rsi", cases, G_N_ELEMENTS (cases));
}

/* Candles as the store gives them, through push_candle (). */
static void
test_push_candle (void)
{
  g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup ("sma-cross");
  g_autoptr(Series) series = make_series (7, 2000, 10000, "0.01", BOURSE_INTERVAL_1M, 8, FALSE);
  g_autoptr(BourseStrategyStream) stream = NULL;
  g_autofree BourseCandle *candles = g_new0 (BourseCandle, series->n);
  g_autoptr(GError) error = NULL;
  guint trades = 0;

  for (gsize i = 0; i < series->n; i++)
    {
      candles[i].open_time = (gint64) i * 60000;
      candles[i].open.units = (gint64) llround (series->open[i] * 1e8);
      candles[i].high.units = (gint64) llround (series->high[i] * 1e8);
      candles[i].low.units = (gint64) llround (series->low[i] * 1e8);
      candles[i].close.units = isfinite (series->close[i]) ? (gint64) llround (series->close[i] * 1e8) : 1;
      candles[i].volume.units = 100000000;
      candles[i].closed = TRUE;
    }

  stream = bourse_strategy_stream_new (strategy, NULL, 40, BOURSE_INTERVAL_1M, series->tick_size, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < series->n; i++)
    {
      gsize n = MIN (i + 1, 40);
      g_autoptr(BourseStrategyInput) input = bourse_strategy_input_new_from_candles (candles + i + 1 - n, n,
                                                                                    BOURSE_INTERVAL_1M,
                                                                                    series->tick_size);
      g_auto(BourseSignal) expected = BOURSE_SIGNAL_INIT;
      BourseStreamSignal got;

      bourse_strategy_stream_push_candle (stream, &candles[i], &got);
      g_assert_true (bourse_strategy_evaluate (strategy, input, NULL, &expected, &error));
      g_assert_cmpint (got.decision, ==, expected.decision);
      g_assert_cmpint (got.entry.units, ==, expected.entry.units);
      g_assert_cmpint (got.stop_loss.units, ==, expected.stop_loss.units);
      g_assert_cmpint (got.take_profit.units, ==, expected.take_profit.units);
      g_assert_cmpfloat_with_epsilon (got.confidence, expected.confidence, 1e-12);
      trades += got.decision != BOURSE_DECISION_NO_TRADE;
    }
  g_assert_cmpuint (trades, >, 5);
}

static void
test_no_stream (void)
{
  g_autoptr(BourseStrategy) ar = bourse_strategy_lookup ("ar");
  g_autoptr(BourseStrategy) sma = bourse_strategy_lookup ("sma-cross");
  g_autoptr(JsonObject) bad = params_from ("{\"fast\": 30, \"slow\": 10}");
  g_autoptr(GError) error = NULL;
  BourseDecimal tick = { 1000000 };

  /* No stream: NULL without an error, and the caller evaluates. */
  g_assert_null (bourse_strategy_stream_new (ar, NULL, 100, BOURSE_INTERVAL_1M, tick, &error));
  g_assert_no_error (error);

  /* Parameters evaluate () would refuse. */
  g_assert_null (bourse_strategy_stream_new (sma, bad, 100, BOURSE_INTERVAL_1M, tick, &error));
  g_assert_error (error, BOURSE_STRATEGY_ERROR, BOURSE_STRATEGY_ERROR_INVALID_PARAMETER);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/strategy-stream/sma-cross", test_sma_cross);
  g_test_add_func ("/strategy-stream/rsi", test_rsi);
  g_test_add_func ("/strategy-stream/push-candle", test_push_candle);
  g_test_add_func ("/strategy-stream/no-stream", test_no_stream);

  return g_test_run ();
}
