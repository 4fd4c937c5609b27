/* test-backtest-metrics.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backtest statistics (src/backtest/bourse-backtest-metrics.c) against
 * the NumPy references in tests/data/backtest/metrics.json (made by
 * make-metrics-fixtures.py there, whole-array arithmetic that shares nothing
 * with the one-pass accumulator), one test per case, plus the figures that
 * pin a definition by hand and the inputs that would make a NaN.
 */

#include <math.h>

#include "backtest/bourse-backtest-metrics.h"

#define RELATIVE 1e-9
#define ABSOLUTE 1e-12

#define DAY_MS G_GINT64_CONSTANT (86400000)

static JsonObject *fixtures;

static gboolean
close_enough (double actual,
              double expected)
{
  double error = fabs (actual - expected);

  return error <= ABSOLUTE || error <= RELATIVE * MAX (fabs (actual), fabs (expected));
}

/* Every mismatch of a case is reported, not only the first. */
static void
check_double (const char *name,
              const char *what,
              double      actual,
              double      expected)
{
  if (!close_enough (actual, expected))
    g_test_fail_printf ("%s: %s is %.17g, NumPy says %.17g", name, what, actual, expected);
}

static void
check_int (const char *name,
           const char *what,
           gint64      actual,
           gint64      expected)
{
  if (actual != expected)
    g_test_fail_printf ("%s: %s is %" G_GINT64_FORMAT ", NumPy says %" G_GINT64_FORMAT,
                        name, what, actual, expected);
}

static void
assert_finite_metrics (const BourseBacktestMetrics *metrics)
{
  g_assert_true (isfinite (metrics->total_return));
  g_assert_true (isfinite (metrics->annualised_return));
  g_assert_true (isfinite (metrics->volatility));
  g_assert_true (isfinite (metrics->sharpe));
  g_assert_true (isfinite (metrics->sortino));
  g_assert_true (isfinite (metrics->calmar));
  g_assert_true (isfinite (metrics->max_drawdown));
  g_assert_true (isfinite (metrics->win_rate));
  g_assert_true (!isnan (metrics->profit_factor));
  g_assert_true (isfinite (metrics->profit_factor) || metrics->profit_factor > 0);
  g_assert_true (isfinite (metrics->expectancy));
  g_assert_true (isfinite (metrics->exposure));
  g_assert_cmpint (metrics->max_drawdown_duration_ms, >=, 0);
  g_assert_cmpint (metrics->average_duration_ms, >=, 0);
}

static void
test_fixture (gconstpointer data)
{
  JsonObject *fixture = (JsonObject *) data;
  const char *name = json_object_get_string_member (fixture, "name");
  JsonObject *periods = json_object_get_object_member (fixture, "periods");
  JsonArray *time = json_object_get_array_member (periods, "time");
  JsonArray *close_time = json_object_get_array_member (periods, "close_time");
  JsonArray *equity = json_object_get_array_member (periods, "equity");
  JsonArray *exposed = json_object_get_array_member (periods, "exposed");
  JsonArray *drawdown = json_object_get_array_member (fixture, "drawdown");
  JsonObject *trades = json_object_get_object_member (fixture, "trades");
  JsonArray *net_pnl = json_object_get_array_member (trades, "net_pnl");
  JsonArray *duration = json_object_get_array_member (trades, "duration_ms");
  JsonObject *expected = json_object_get_object_member (fixture, "metrics");
  guint n = json_array_get_length (equity);
  BourseBacktestStats stats;
  BourseBacktestMetrics metrics;

  g_assert_cmpuint (json_array_get_length (time), ==, n);
  g_assert_cmpuint (json_array_get_length (close_time), ==, n);
  g_assert_cmpuint (json_array_get_length (exposed), ==, n);
  g_assert_cmpuint (json_array_get_length (drawdown), ==, n);
  g_assert_cmpuint (json_array_get_length (duration), ==, json_array_get_length (net_pnl));

  bourse_backtest_stats_init (&stats, json_object_get_double_member (fixture, "starting_equity"));
  for (guint i = 0; i < n; i++)
    {
      double point = bourse_backtest_stats_add_period (&stats,
                                                       json_array_get_int_element (time, i),
                                                       json_array_get_int_element (close_time, i),
                                                       json_array_get_double_element (equity, i),
                                                       json_array_get_boolean_element (exposed, i));

      if (!close_enough (point, json_array_get_double_element (drawdown, i)))
        g_test_fail_printf ("%s: the drawdown at period %u is %.17g, NumPy says %.17g", name, i,
                            point, json_array_get_double_element (drawdown, i));
    }
  for (guint i = 0; i < json_array_get_length (net_pnl); i++)
    bourse_backtest_stats_add_trade (&stats, json_array_get_double_element (net_pnl, i),
                                     json_array_get_int_element (duration, i));

  metrics.buy_and_hold_return = 0.25;
  bourse_backtest_stats_finish (&stats, &metrics);

#define CHECK_DOUBLE(member) \
  check_double (name, #member, metrics.member, json_object_get_double_member (expected, #member))
#define CHECK_INT(member) \
  check_int (name, #member, metrics.member, json_object_get_int_member (expected, #member))
  CHECK_DOUBLE (total_return);
  CHECK_DOUBLE (annualised_return);
  CHECK_DOUBLE (volatility);
  CHECK_DOUBLE (sharpe);
  CHECK_DOUBLE (sortino);
  CHECK_DOUBLE (calmar);
  CHECK_DOUBLE (max_drawdown);
  CHECK_INT (max_drawdown_duration_ms);
  CHECK_DOUBLE (win_rate);
  CHECK_DOUBLE (expectancy);
  CHECK_DOUBLE (exposure);
  CHECK_INT (trades);
  CHECK_INT (average_duration_ms);
#undef CHECK_DOUBLE
#undef CHECK_INT

  /* null in JSON is +∞: gains without a loss. */
  if (json_object_get_null_member (expected, "profit_factor"))
    {
      if (!(isinf (metrics.profit_factor) && metrics.profit_factor > 0))
        g_test_fail_printf ("%s: profit_factor is %.17g, NumPy says +∞", name, metrics.profit_factor);
    }
  else
    check_double (name, "profit_factor", metrics.profit_factor,
                  json_object_get_double_member (expected, "profit_factor"));

  g_assert_cmpfloat (metrics.buy_and_hold_return, ==, 0.25);
  assert_finite_metrics (&metrics);
}

/* +10 % then −5 % over two days: the sample deviation divides by N − 1 = 1,
 * √2 times the population one; a volatility or Sharpe computed with N fails
 * here by 41 %, far outside any rounding. */
static void
test_sample_deviation (void)
{
  gint64 t0 = G_GINT64_CONSTANT (1767225600000);
  double mean = (0.1 - 0.05) / 2;
  double sample = sqrt ((pow (0.1 - mean, 2) + pow (-0.05 - mean, 2)) / 1);
  double population = sqrt ((pow (0.1 - mean, 2) + pow (-0.05 - mean, 2)) / 2);
  BourseBacktestStats stats;
  BourseBacktestMetrics metrics;

  bourse_backtest_stats_init (&stats, 100);
  bourse_backtest_stats_add_period (&stats, t0, t0 + DAY_MS, 110, TRUE);
  bourse_backtest_stats_add_period (&stats, t0 + DAY_MS, t0 + 2 * DAY_MS, 104.5, TRUE);
  bourse_backtest_stats_finish (&stats, &metrics);

  /* Two daily candles: P = 365 a year. */
  g_assert_true (close_enough (metrics.volatility, sample * sqrt (365)));
  g_assert_false (close_enough (metrics.volatility, population * sqrt (365)));
  g_assert_true (close_enough (metrics.sharpe, mean / sample * sqrt (365)));
  /* Only −5 % is below zero, over both returns. */
  g_assert_true (close_enough (metrics.sortino, mean / sqrt (0.05 * 0.05 / 2) * sqrt (365)));
  g_assert_true (close_enough (metrics.annualised_return, pow (1.045, 365.0 / 2) - 1));
}

/* Durations: a close back exactly at the peak ends a drawdown and is the
 * peak's new time, so a flat equity at its high never counts as under water. */
static void
test_drawdown_duration (void)
{
  gint64 t0 = G_GINT64_CONSTANT (1767225600000);
  const double equity[] = { 100, 100, 100, 99, 100, 100, 100, 100, 97 };
  BourseBacktestStats stats;
  BourseBacktestMetrics metrics;

  bourse_backtest_stats_init (&stats, 100);
  for (guint i = 0; i < G_N_ELEMENTS (equity); i++)
    bourse_backtest_stats_add_period (&stats, t0 + i * DAY_MS, t0 + (i + 1) * DAY_MS, equity[i],
                                      FALSE);
  bourse_backtest_stats_finish (&stats, &metrics);

  /* Below from the close of day 3 to that of day 5 (2 days), then from the
   * close of day 8 to the end, the close of day 9 (1 day). */
  g_assert_cmpint (metrics.max_drawdown_duration_ms, ==, 2 * DAY_MS);
  g_assert_cmpfloat (metrics.max_drawdown, ==, 0.03);
}

/* Inputs no backtest should produce still give numbers, never a NaN. */
static void
test_degenerate (void)
{
  gint64 t0 = G_GINT64_CONSTANT (1767225600000);
  BourseBacktestStats stats;
  BourseBacktestMetrics metrics;

  /* Nothing at all. */
  bourse_backtest_stats_init (&stats, 10000);
  bourse_backtest_stats_finish (&stats, &metrics);
  assert_finite_metrics (&metrics);
  g_assert_cmpfloat (metrics.annualised_return, ==, 0);
  g_assert_cmpfloat (metrics.profit_factor, ==, 0);

  /* No starting equity, and candles without length (a zero span). */
  bourse_backtest_stats_init (&stats, 0);
  bourse_backtest_stats_add_period (&stats, t0, t0, 5, TRUE);
  bourse_backtest_stats_add_period (&stats, t0, t0, 0, TRUE);
  bourse_backtest_stats_add_trade (&stats, 0, 0);
  bourse_backtest_stats_finish (&stats, &metrics);
  assert_finite_metrics (&metrics);
  g_assert_cmpfloat (metrics.total_return, ==, 0);
  g_assert_cmpfloat (metrics.volatility, ==, 0);
  g_assert_cmpfloat (metrics.win_rate, ==, 0);
  g_assert_cmpfloat (metrics.profit_factor, ==, 0);

  /* A return beyond any double (from a denormal equity) and back. */
  bourse_backtest_stats_init (&stats, 1e-310);
  bourse_backtest_stats_add_period (&stats, t0, t0 + DAY_MS, 1e300, TRUE);
  g_assert_true (isfinite (bourse_backtest_stats_add_period (&stats, t0 + DAY_MS, t0 + 2 * DAY_MS,
                                                             1e-300, TRUE)));
  bourse_backtest_stats_add_period (&stats, t0 + 2 * DAY_MS, t0 + 3 * DAY_MS, -1e300, TRUE);
  bourse_backtest_stats_add_trade (&stats, 1e308, DAY_MS);
  bourse_backtest_stats_add_trade (&stats, 1e308, DAY_MS);
  bourse_backtest_stats_add_trade (&stats, -5e-324, DAY_MS);
  bourse_backtest_stats_finish (&stats, &metrics);
  assert_finite_metrics (&metrics);
  g_assert_cmpfloat (metrics.profit_factor, ==, G_MAXDOUBLE);
  g_assert_cmpfloat (metrics.expectancy, ==, G_MAXDOUBLE);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *cases;
  int status;

  g_test_init (&argc, &argv, NULL);

  path = g_test_build_filename (G_TEST_DIST, "data", "backtest", "metrics.json", NULL);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  fixtures = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  cases = json_object_get_array_member (fixtures, "cases");
  g_assert_cmpuint (json_array_get_length (cases), >=, 10);

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *fixture = json_array_get_object_element (cases, i);
      g_autofree char *test_path =
        g_strconcat ("/backtest-metrics/numpy/", json_object_get_string_member (fixture, "name"), NULL);

      g_test_add_data_func (test_path, fixture, test_fixture);
    }
  g_test_add_func ("/backtest-metrics/sample-deviation", test_sample_deviation);
  g_test_add_func ("/backtest-metrics/drawdown-duration", test_drawdown_duration);
  g_test_add_func ("/backtest-metrics/degenerate", test_degenerate);

  status = g_test_run ();
  json_object_unref (fixtures);
  return status;
}
