/* bourse-indicators.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "bourse-indicators.h"

static void
zero (double *out,
      gsize   count)
{
  if (out != NULL && count > 0)
    memset (out, 0, count * sizeof (double));
}

/*
 * The mean and variance (sum of squared deviations over window − ddof) of
 * every window of @values ending at i ≥ window − 1.
 *
 * Running sums are cheap but cancel badly when the level is large next to
 * the spread (a price of 65,000 moving by cents), so the sums are of
 * values − shift, and every @window steps they are recomputed from scratch
 * with the shift moved to the window's first value: the error never builds
 * up and the shifted values stay of the size of the spread.
 */
static void
rolling_moments (const double *values,
                 gsize         n,
                 guint         window,
                 guint         ddof,
                 double       *mean,
                 double       *variance)
{
  double shift = 0, s1 = 0, s2 = 0;
  guint since = 0;   /* steps since the sums were recomputed, counted without a division */

  g_assert (window > ddof);

  for (gsize i = window - 1; i < n; i++)
    {
      gsize first = i + 1 - window;

      if (i == window - 1 || ++since == window)
        {
          since = 0;
          shift = values[first];
          s1 = s2 = 0;
          for (gsize j = first; j <= i; j++)
            {
              double d = values[j] - shift;

              s1 += d;
              s2 += d * d;
            }
        }
      else
        {
          double in = values[i] - shift;
          double out = values[first - 1] - shift;

          s1 += in - out;
          s2 += in * in - out * out;
        }

      if (mean != NULL)
        mean[i] = shift + s1 / window;
      if (variance != NULL)
        {
          double ss = s2 - s1 * s1 / window;

          /* Rounding can leave a tiny negative for a constant window. */
          variance[i] = ss > 0 ? ss / (window - ddof) : 0;
        }
    }
}

gsize
bourse_indicator_sma (const double *values,
                      gsize         n,
                      guint         period,
                      double       *out)
{
  g_return_val_if_fail (period > 0, n);
  g_return_val_if_fail (n == 0 || (values != NULL && out != NULL), n);

  if (n < period)
    {
      zero (out, n);
      return n;
    }

  zero (out, period - 1);
  rolling_moments (values, n, period, 0, out, NULL);
  return period - 1;
}

gsize
bourse_indicator_ema (const double *values,
                      gsize         n,
                      guint         period,
                      double       *out)
{
  double alpha, sum = 0;

  g_return_val_if_fail (period > 0, n);
  g_return_val_if_fail (n == 0 || (values != NULL && out != NULL), n);

  if (n < period)
    {
      zero (out, n);
      return n;
    }

  alpha = 2.0 / (period + 1.0);
  zero (out, period - 1);
  for (guint i = 0; i < period; i++)
    sum += values[i];
  out[period - 1] = sum / period;
  for (gsize i = period; i < n; i++)
    out[i] = out[i - 1] + alpha * (values[i] - out[i - 1]);
  return period - 1;
}

double
bourse_indicator_rsi_from_averages (double gain,
                                    double loss)
{
  if (loss <= 0)
    return gain > 0 ? 100.0 : 50.0;
  return 100.0 - 100.0 / (1.0 + gain / loss);
}

gsize
bourse_indicator_rsi (const double *close,
                      gsize         n,
                      guint         period,
                      double       *out)
{
  double gain = 0, loss = 0;

  g_return_val_if_fail (period > 0, n);
  g_return_val_if_fail (n == 0 || (close != NULL && out != NULL), n);

  if (n <= period)
    {
      zero (out, n);
      return n;
    }

  zero (out, period);
  for (guint i = 1; i <= period; i++)
    {
      double change = close[i] - close[i - 1];

      if (change > 0)
        gain += change;
      else
        loss -= change;
    }
  gain /= period;
  loss /= period;
  out[period] = bourse_indicator_rsi_from_averages (gain, loss);

  for (gsize i = period + 1; i < n; i++)
    {
      double change = close[i] - close[i - 1];

      gain = (gain * (period - 1) + (change > 0 ? change : 0)) / period;
      loss = (loss * (period - 1) + (change < 0 ? -change : 0)) / period;
      out[i] = bourse_indicator_rsi_from_averages (gain, loss);
    }
  return period;
}

static double
true_range (const double *high,
            const double *low,
            const double *close,
            gsize         i)
{
  double range = high[i] - low[i];

  if (i > 0)
    {
      range = MAX (range, fabs (high[i] - close[i - 1]));
      range = MAX (range, fabs (low[i] - close[i - 1]));
    }
  return range;
}

gsize
bourse_indicator_atr (const double *high,
                      const double *low,
                      const double *close,
                      gsize         n,
                      guint         period,
                      double       *out)
{
  double atr = 0;

  g_return_val_if_fail (period > 0, n);
  g_return_val_if_fail (n == 0 || (high != NULL && low != NULL
                                   && close != NULL && out != NULL), n);

  if (n < period)
    {
      zero (out, n);
      return n;
    }

  zero (out, period - 1);
  for (guint i = 0; i < period; i++)
    atr += true_range (high, low, close, i);
  atr /= period;
  out[period - 1] = atr;
  for (gsize i = period; i < n; i++)
    {
      atr = (atr * (period - 1) + true_range (high, low, close, i)) / period;
      out[i] = atr;
    }
  return period - 1;
}

gsize
bourse_indicator_bollinger (const double *values,
                            gsize         n,
                            guint         period,
                            double        k,
                            double       *lower,
                            double       *middle,
                            double       *upper)
{
  g_autofree double *variance = NULL;

  g_return_val_if_fail (period > 0, n);
  g_return_val_if_fail (n == 0 || (values != NULL && lower != NULL
                                   && middle != NULL && upper != NULL), n);

  if (n < period)
    {
      zero (lower, n);
      zero (middle, n);
      zero (upper, n);
      return n;
    }

  variance = g_new (double, n);
  zero (lower, period - 1);
  zero (middle, period - 1);
  zero (upper, period - 1);
  rolling_moments (values, n, period, 0, middle, variance);
  for (gsize i = period - 1; i < n; i++)
    {
      double width = k * sqrt (variance[i]);

      lower[i] = middle[i] - width;
      upper[i] = middle[i] + width;
    }
  return period - 1;
}

gsize
bourse_indicator_macd (const double *values,
                       gsize         n,
                       guint         fast,
                       guint         slow,
                       guint         signal,
                       double       *line,
                       double       *signal_line,
                       double       *histogram)
{
  g_autofree double *slow_ema = NULL;
  gsize line_start, start;

  g_return_val_if_fail (fast > 0 && slow > 0 && signal > 0, n);
  g_return_val_if_fail (n == 0 || (values != NULL && line != NULL
                                   && signal_line != NULL && histogram != NULL), n);

  line_start = MAX (fast, slow) - 1;
  start = line_start + signal - 1;
  if (n <= start)
    {
      zero (line, n);
      zero (signal_line, n);
      zero (histogram, n);
      return n;
    }

  slow_ema = g_new (double, n);
  bourse_indicator_ema (values, n, fast, line);
  bourse_indicator_ema (values, n, slow, slow_ema);
  for (gsize i = line_start; i < n; i++)
    line[i] = line[i] - slow_ema[i];

  /* The signal is the EMA of the line from its first valid value on. */
  bourse_indicator_ema (line + line_start, n - line_start, signal, signal_line + line_start);
  zero (line, start);
  zero (signal_line, start);
  zero (histogram, start);
  for (gsize i = start; i < n; i++)
    histogram[i] = line[i] - signal_line[i];
  return start;
}

gsize
bourse_indicator_zscore (const double *values,
                         gsize         n,
                         guint         window,
                         double       *out)
{
  g_autofree double *mean = NULL;
  g_autofree double *variance = NULL;

  g_return_val_if_fail (window >= 2, n);
  g_return_val_if_fail (n == 0 || (values != NULL && out != NULL), n);

  if (n < window)
    {
      zero (out, n);
      return n;
    }

  mean = g_new (double, n);
  variance = g_new (double, n);
  rolling_moments (values, n, window, 1, mean, variance);
  zero (out, window - 1);
  for (gsize i = window - 1; i < n; i++)
    {
      double sd = sqrt (variance[i]);

      out[i] = sd > 0 ? (values[i] - mean[i]) / sd : 0;
    }
  return window - 1;
}

gsize
bourse_indicator_realized_volatility (const double *close,
                                      gsize         n,
                                      guint         window,
                                      double       *out)
{
  g_autofree double *returns = NULL;

  g_return_val_if_fail (window >= 2, n);
  g_return_val_if_fail (n == 0 || (close != NULL && out != NULL), n);

  if (n <= window)
    {
      zero (out, n);
      return n;
    }

  /* returns[i − 1] is the return into candle i, so the window of returns
   * ending at candle i ends at returns[i − 1]. */
  returns = g_new (double, n - 1);
  for (gsize i = 1; i < n; i++)
    returns[i - 1] = log (close[i] / close[i - 1]);
  zero (out, window);
  rolling_moments (returns, n - 1, window, 1, NULL, out + 1);
  for (gsize i = window; i < n; i++)
    out[i] = sqrt (out[i]);
  return window;
}
