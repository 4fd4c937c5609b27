/* test-indicators.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The indicators against published worked examples, and their properties
 * against naive, obviously right reimplementations.
 */

#include <math.h>

#include "strategy/bourse-indicators.h"

/* Wilder's RSI(14) worked example as StockCharts publishes it (ChartSchool,
 * "Relative Strength Index (RSI)", and its spreadsheet cs-rsi.xls): the
 * table shows the closes to two decimals, the spreadsheet computes with the
 * four below, and the published RSI values (two decimals) are those of the
 * four-decimal closes. The first RSI belongs to the 15th close. */
static const double rsi_closes[] = {
  44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826,
  45.8931, 46.0328, 45.6140, 46.2820, 46.2820, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439,
  46.2122, 46.2521, 45.7137, 46.4515, 45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672,
  43.4205, 42.6628, 43.1314,
};
static const double rsi_published[] = {
  70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38,
  54.71, 50.42, 39.99, 41.46, 41.87, 45.46, 37.30, 33.08, 37.77,
};

/* The 10-day EMA worked example of StockCharts (ChartSchool, "Moving
 * Averages - Simple and Exponential", spreadsheet cs-movavg.xls): seeded
 * with the 10-day SMA (22.22) on the 10th close. */
static const double ema_closes[] = {
  22.2734, 22.1940, 22.0847, 22.1741, 22.1840, 22.1344, 22.2337, 22.4323, 22.2436, 22.2933,
  22.1542, 22.3926, 22.3816, 22.6109, 23.3558, 24.0519, 23.7530, 23.8324, 23.9516, 23.6338,
  23.8225, 23.8722, 23.6537, 23.1870, 23.0976, 23.3260, 22.6805, 23.0976, 22.4025, 22.1725,
};
static const double ema_published[] = {
  22.22, 22.21, 22.24, 22.27, 22.33, 22.52, 22.80, 22.97, 23.13, 23.28, 23.34,
  23.43, 23.51, 23.54, 23.47, 23.40, 23.39, 23.26, 23.23, 23.08, 22.92,
};

/* The ATR(14) worked example of StockCharts (ChartSchool, "Average True
 * Range (ATR)", spreadsheet cs-atr.xls): the first true range is high − low,
 * the first ATR the mean of the first 14, on the 14th candle. The page's
 * prices are rounded to cents and its ATRs come from unrounded ones, so
 * ours, from the cents, may differ by a little more than half a cent. */
static const double atr_high[] = {
  48.70, 48.72, 48.90, 48.87, 48.82, 49.05, 49.20, 49.35, 49.92, 50.19,
  50.12, 49.66, 49.88, 50.19, 50.36, 50.57, 50.65, 50.43, 49.63, 50.33,
  50.29, 50.17, 49.32, 48.50, 48.32, 46.80, 47.80, 48.39, 48.66, 48.79,
};
static const double atr_low[] = {
  47.79, 48.14, 48.39, 48.37, 48.24, 48.64, 48.94, 48.86, 49.50, 49.87,
  49.20, 48.90, 49.43, 49.73, 49.26, 50.09, 50.30, 49.21, 48.98, 49.61,
  49.20, 49.43, 48.08, 47.64, 41.55, 44.28, 47.31, 47.20, 47.90, 47.73,
};
static const double atr_close[] = {
  48.16, 48.61, 48.75, 48.63, 48.74, 49.03, 49.07, 49.32, 49.91, 50.13,
  49.53, 49.50, 49.75, 50.03, 50.31, 50.52, 50.41, 49.34, 49.37, 50.23,
  49.24, 49.93, 48.43, 48.18, 46.57, 45.41, 47.77, 47.72, 48.62, 47.85,
};
static const double atr_published[] = {
  0.56, 0.59, 0.59, 0.57, 0.62, 0.62, 0.64, 0.67, 0.69, 0.78, 0.78, 1.21, 1.30, 1.38, 1.37, 1.34, 1.32,
};

/* A deterministic random walk around @level with relative steps @step. */
static double *
random_walk (guint32 seed,
             gsize   n,
             double  level,
             double  step)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  double *values = g_new (double, n);

  values[0] = level;
  for (gsize i = 1; i < n; i++)
    values[i] = values[i - 1] * (1 + step * g_rand_double_range (rand, -1, 1));
  return values;
}

static void
assert_warm_up (const double *out,
                gsize         start)
{
  for (gsize i = 0; i < start; i++)
    g_assert_cmpfloat (out[i], ==, 0);
}

static void
assert_finite (const double *out,
               gsize         n)
{
  for (gsize i = 0; i < n; i++)
    g_assert_true (isfinite (out[i]));
}

static void
test_rsi_published (void)
{
  gsize n = G_N_ELEMENTS (rsi_closes);
  double out[G_N_ELEMENTS (rsi_closes)];
  gsize start = bourse_indicator_rsi (rsi_closes, n, 14, out);

  g_assert_cmpuint (start, ==, 14);
  g_assert_cmpuint (n - start, ==, G_N_ELEMENTS (rsi_published));
  assert_warm_up (out, start);
  for (gsize i = start; i < n; i++)
    g_assert_cmpfloat_with_epsilon (out[i], rsi_published[i - start], 0.005 + 1e-9);
}

static void
test_rsi_limits (void)
{
  double up[30], down[30], flat[30], out[30];

  for (guint i = 0; i < 30; i++)
    {
      up[i] = 10 + i;
      down[i] = 100 - i;
      flat[i] = 7;
    }
  bourse_indicator_rsi (up, 30, 14, out);
  g_assert_cmpfloat (out[29], ==, 100);
  bourse_indicator_rsi (down, 30, 14, out);
  g_assert_cmpfloat (out[29], ==, 0);
  bourse_indicator_rsi (flat, 30, 14, out);
  g_assert_cmpfloat (out[29], ==, 50);

  /* Too short: nothing valid, nothing but zeros. */
  for (guint i = 0; i < 30; i++)
    out[i] = -1;
  g_assert_cmpuint (bourse_indicator_rsi (up, 14, 14, out), ==, 14);
  assert_warm_up (out, 14);
  g_assert_cmpfloat (out[14], ==, -1);
}

static void
test_rsi_bounded (void)
{
  const gsize n = 2000;
  g_autofree double *close = random_walk (1, n, 100, 0.03);
  g_autofree double *out = g_new (double, n);

  bourse_indicator_rsi (close, n, 14, out);
  assert_finite (out, n);
  for (gsize i = 14; i < n; i++)
    g_assert_true (out[i] >= 0 && out[i] <= 100);
}

static void
test_ema_published (void)
{
  gsize n = G_N_ELEMENTS (ema_closes);
  double out[G_N_ELEMENTS (ema_closes)];
  gsize start = bourse_indicator_ema (ema_closes, n, 10, out);

  g_assert_cmpuint (start, ==, 9);
  g_assert_cmpuint (n - start, ==, G_N_ELEMENTS (ema_published));
  assert_warm_up (out, start);
  for (gsize i = start; i < n; i++)
    g_assert_cmpfloat_with_epsilon (out[i], ema_published[i - start], 0.005 + 1e-9);
}

static void
test_ema_linear (void)
{
  /* On a straight line an SMA-seeded EMA is exact from its seed on: it lags
   * by slope × (period − 1) / 2, which is also where the seed starts it. */
  double line[60], out[60];

  for (guint i = 0; i < 60; i++)
    line[i] = 3 + 0.25 * i;
  g_assert_cmpuint (bourse_indicator_ema (line, 60, 12, out), ==, 11);
  for (guint i = 11; i < 60; i++)
    g_assert_cmpfloat_with_epsilon (out[i], line[i] - 0.25 * 11 / 2, 1e-12);
}

static void
test_atr_published (void)
{
  gsize n = G_N_ELEMENTS (atr_close);
  double out[G_N_ELEMENTS (atr_close)];
  gsize start = bourse_indicator_atr (atr_high, atr_low, atr_close, n, 14, out);

  g_assert_cmpuint (start, ==, 13);
  g_assert_cmpuint (n - start, ==, G_N_ELEMENTS (atr_published));
  assert_warm_up (out, start);
  for (gsize i = start; i < n; i++)
    g_assert_cmpfloat_with_epsilon (out[i], atr_published[i - start], 0.006);
  /* The first is the plain mean of the first 14 true ranges. */
  g_assert_cmpfloat_with_epsilon (out[13], 7.76 / 14, 1e-12);
}

static void
test_atr_properties (void)
{
  const gsize n = 500;
  g_autofree double *close = random_walk (2, n, 50, 0.02);
  g_autofree double *high = g_new (double, n);
  g_autofree double *low = g_new (double, n);
  g_autofree double *out = g_new (double, n);
  double range = 0;

  /* Candles that always contain the previous close: the true range is the
   * high − low, so the ATR is Wilder's smoothing of 2 × 0.01 × close. */
  for (gsize i = 0; i < n; i++)
    {
      double reach = MAX (close[i], i > 0 ? close[i - 1] : close[i]);
      double dip = MIN (close[i], i > 0 ? close[i - 1] : close[i]);

      high[i] = reach * 1.01;
      low[i] = dip * 0.99;
    }
  bourse_indicator_atr (high, low, close, n, 14, out);
  for (gsize i = 0; i < 14; i++)
    range += high[i] - low[i];
  range /= 14;
  g_assert_cmpfloat_with_epsilon (out[13], range, 1e-12);
  for (gsize i = 14; i < n; i++)
    {
      range = (range * 13 + high[i] - low[i]) / 14;
      g_assert_cmpfloat_with_epsilon (out[i], range, 1e-9);
      g_assert_cmpfloat (out[i], >, 0);
    }
}

static void
test_sma_precision (void)
{
  /* A price of 65,000 moving by cents over 10,000 candles: the running sums
   * must not drift from the plain mean. */
  const gsize n = 10000;
  const guint period = 50;
  g_autofree double *close = random_walk (3, n, 65000, 0.0005);
  g_autofree double *out = g_new (double, n);

  g_assert_cmpuint (bourse_indicator_sma (close, n, period, out), ==, period - 1);
  assert_warm_up (out, period - 1);
  for (gsize i = period - 1; i < n; i++)
    {
      double sum = 0;

      for (gsize j = i + 1 - period; j <= i; j++)
        sum += close[j];
      g_assert_cmpfloat_with_epsilon (out[i], sum / period, 1e-12 * close[i]);
    }
}

static void
test_bollinger (void)
{
  const double values[] = { 1, 2, 3, 4, 5, 5, 5, 5, 5 };
  double lower[9], middle[9], upper[9];
  const gsize n = 3000;
  const guint period = 20;
  g_autofree double *close = random_walk (4, n, 30000, 0.001);
  g_autofree double *lo = g_new (double, n);
  g_autofree double *mid = g_new (double, n);
  g_autofree double *up = g_new (double, n);

  /* By hand: 1 … 5 has mean 3 and population deviation √2. */
  g_assert_cmpuint (bourse_indicator_bollinger (values, 9, 5, 2, lower, middle, upper), ==, 4);
  assert_warm_up (middle, 4);
  g_assert_cmpfloat_with_epsilon (middle[4], 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (upper[4], 3 + 2 * G_SQRT2, 1e-12);
  g_assert_cmpfloat_with_epsilon (lower[4], 3 - 2 * G_SQRT2, 1e-12);
  /* A constant window collapses the bands onto the mean. */
  g_assert_cmpfloat (middle[8], ==, 5);
  g_assert_cmpfloat (upper[8], ==, 5);
  g_assert_cmpfloat (lower[8], ==, 5);

  bourse_indicator_bollinger (close, n, period, 2.5, lo, mid, up);
  for (gsize i = period - 1; i < n; i++)
    {
      double mean = 0, ss = 0;

      for (gsize j = i + 1 - period; j <= i; j++)
        mean += close[j];
      mean /= period;
      for (gsize j = i + 1 - period; j <= i; j++)
        ss += (close[j] - mean) * (close[j] - mean);
      g_assert_cmpfloat_with_epsilon (mid[i], mean, 1e-12 * mean);
      g_assert_cmpfloat_with_epsilon (up[i] - mid[i], 2.5 * sqrt (ss / period),
                                      1e-9 * sqrt (ss / period) + 1e-9);
      g_assert_cmpfloat_with_epsilon (mid[i] - lo[i], up[i] - mid[i], 1e-9);
    }
}

static void
test_macd (void)
{
  const gsize n = 400;
  g_autofree double *close = random_walk (5, n, 200, 0.01);
  g_autofree double *line = g_new (double, n);
  g_autofree double *signal = g_new (double, n);
  g_autofree double *histogram = g_new (double, n);
  g_autofree double *fast = g_new (double, n);
  g_autofree double *slow = g_new (double, n);
  double straight[80], l[80], s[80], h[80], ema_signal = 0;
  gsize start;

  /* 12/26/9: the line from the 26th close, the signal 8 closes later. */
  start = bourse_indicator_macd (close, n, 12, 26, 9, line, signal, histogram);
  g_assert_cmpuint (start, ==, 33);
  assert_warm_up (line, start);
  assert_warm_up (signal, start);
  assert_warm_up (histogram, start);

  bourse_indicator_ema (close, n, 12, fast);
  bourse_indicator_ema (close, n, 26, slow);
  for (gsize i = 25; i < 34; i++)
    ema_signal += fast[i] - slow[i];
  ema_signal /= 9;
  for (gsize i = start; i < n; i++)
    {
      if (i > start)
        ema_signal += 0.2 * ((fast[i] - slow[i]) - ema_signal);
      g_assert_cmpfloat_with_epsilon (line[i], fast[i] - slow[i], 1e-12);
      g_assert_cmpfloat_with_epsilon (signal[i], ema_signal, 1e-9);
      g_assert_cmpfloat_with_epsilon (histogram[i], line[i] - signal[i], 1e-12);
    }

  /* On a straight line the EMAs lag by slope × (period − 1) / 2, so the
   * line is slope × (25 − 11) / 2 and the histogram 0. */
  for (guint i = 0; i < 80; i++)
    straight[i] = 10 + 0.5 * i;
  bourse_indicator_macd (straight, 80, 12, 26, 9, l, s, h);
  for (guint i = 33; i < 80; i++)
    {
      g_assert_cmpfloat_with_epsilon (l[i], 3.5, 1e-9);
      g_assert_cmpfloat_with_epsilon (s[i], 3.5, 1e-9);
      g_assert_cmpfloat_with_epsilon (h[i], 0, 1e-9);
    }

  g_assert_cmpuint (bourse_indicator_macd (straight, 33, 12, 26, 9, l, s, h), ==, 33);
  assert_warm_up (h, 33);
}

static void
test_zscore (void)
{
  const gsize n = 1000;
  const guint window = 20;
  g_autofree double *close = random_walk (6, n, 65000, 0.002);
  g_autofree double *out = g_new (double, n);
  double constant[30], z[30];

  g_assert_cmpuint (bourse_indicator_zscore (close, n, window, out), ==, window - 1);
  assert_warm_up (out, window - 1);
  for (gsize i = window - 1; i < n; i++)
    {
      double mean = 0, ss = 0, sd;

      for (gsize j = i + 1 - window; j <= i; j++)
        mean += close[j];
      mean /= window;
      for (gsize j = i + 1 - window; j <= i; j++)
        ss += (close[j] - mean) * (close[j] - mean);
      sd = sqrt (ss / (window - 1));
      g_assert_cmpfloat_with_epsilon (out[i], (close[i] - mean) / sd, 1e-8);
      /* |z| of one of w values is at most (w − 1)/√w with the sample deviation. */
      g_assert_cmpfloat (fabs (out[i]), <=, (window - 1) / sqrt (window) + 1e-9);
    }

  for (guint i = 0; i < 30; i++)
    constant[i] = 42;
  bourse_indicator_zscore (constant, 30, 10, z);
  for (guint i = 0; i < 30; i++)
    g_assert_cmpfloat (z[i], ==, 0);
}

static void
test_realized_volatility (void)
{
  const gsize n = 600;
  const guint window = 30;
  g_autofree double *close = random_walk (7, n, 100, 0.01);
  g_autofree double *out = g_new (double, n);
  double growth[50], vol[50];

  g_assert_cmpuint (bourse_indicator_realized_volatility (close, n, window, out), ==, window);
  assert_warm_up (out, window);
  for (gsize i = window; i < n; i++)
    {
      double r[30], mean = 0, ss = 0;

      for (guint k = 0; k < window; k++)
        {
          r[k] = log (close[i + 1 - window + k] / close[i - window + k]);
          mean += r[k];
        }
      mean /= window;
      for (guint k = 0; k < window; k++)
        ss += (r[k] - mean) * (r[k] - mean);
      g_assert_cmpfloat_with_epsilon (out[i], sqrt (ss / (window - 1)), 1e-12);
    }

  /* Constant growth is no volatility at all. */
  for (guint i = 0; i < 50; i++)
    growth[i] = 100 * pow (1.01, i);
  bourse_indicator_realized_volatility (growth, 50, 10, vol);
  for (guint i = 10; i < 50; i++)
    g_assert_cmpfloat_with_epsilon (vol[i], 0, 1e-12);
}

static void
test_short_inputs (void)
{
  double values[5] = { 1, 2, 3, 4, 5 };
  double a[5], b[5], c[5];

  /* Every indicator on too few values: n returned, zeros only, no reads
   * beyond the input (the sanitizer run would see them). */
  g_assert_cmpuint (bourse_indicator_sma (values, 5, 6, a), ==, 5);
  assert_warm_up (a, 5);
  g_assert_cmpuint (bourse_indicator_ema (values, 5, 6, a), ==, 5);
  assert_warm_up (a, 5);
  g_assert_cmpuint (bourse_indicator_rsi (values, 5, 5, a), ==, 5);
  assert_warm_up (a, 5);
  g_assert_cmpuint (bourse_indicator_atr (values, values, values, 5, 6, a), ==, 5);
  assert_warm_up (a, 5);
  g_assert_cmpuint (bourse_indicator_bollinger (values, 5, 6, 2, a, b, c), ==, 5);
  assert_warm_up (b, 5);
  g_assert_cmpuint (bourse_indicator_macd (values, 5, 2, 3, 4, a, b, c), ==, 5);
  assert_warm_up (c, 5);
  g_assert_cmpuint (bourse_indicator_zscore (values, 5, 6, a), ==, 5);
  assert_warm_up (a, 5);
  g_assert_cmpuint (bourse_indicator_realized_volatility (values, 5, 5, a), ==, 5);
  assert_warm_up (a, 5);
  g_assert_cmpuint (bourse_indicator_sma (values, 0, 3, NULL), ==, 0);

  /* Period 1 is the series itself. */
  g_assert_cmpuint (bourse_indicator_sma (values, 5, 1, a), ==, 0);
  g_assert_cmpuint (bourse_indicator_ema (values, 5, 1, b), ==, 0);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpfloat (a[i], ==, values[i]);
      g_assert_cmpfloat (b[i], ==, values[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/indicators/rsi/published", test_rsi_published);
  g_test_add_func ("/indicators/rsi/limits", test_rsi_limits);
  g_test_add_func ("/indicators/rsi/bounded", test_rsi_bounded);
  g_test_add_func ("/indicators/ema/published", test_ema_published);
  g_test_add_func ("/indicators/ema/linear", test_ema_linear);
  g_test_add_func ("/indicators/atr/published", test_atr_published);
  g_test_add_func ("/indicators/atr/properties", test_atr_properties);
  g_test_add_func ("/indicators/sma/precision", test_sma_precision);
  g_test_add_func ("/indicators/bollinger", test_bollinger);
  g_test_add_func ("/indicators/macd", test_macd);
  g_test_add_func ("/indicators/zscore", test_zscore);
  g_test_add_func ("/indicators/realized-volatility", test_realized_volatility);
  g_test_add_func ("/indicators/short-inputs", test_short_inputs);

  return g_test_run ();
}
