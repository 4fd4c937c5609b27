/* bourse-backtest-metrics.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/BACKTESTS.md "Metrics" is the definition; this follows it figure by
 * figure. add_period () runs once per candle of every run of an
 * optimisation, so it does no more than a division and a few comparisons:
 * everything that needs the span (the annualising) waits for finish ().
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "bourse-backtest-metrics.h"

/* The year has 365 days: crypto trades every day. */
#define YEAR_MS G_GINT64_CONSTANT (31536000000)

/* No figure is NaN or infinite (profit_factor's +∞ aside): a 0.1 % gain
 * over a one-minute window annualises to 1.001^525600, beyond any double,
 * and the largest double is the honest answer a JSON number can carry. */
static double
bounded (double value)
{
  if (isnan (value))
    return 0;
  if (isinf (value))
    return value > 0 ? G_MAXDOUBLE : -G_MAXDOUBLE;
  return value;
}

static void
stretch_underwater (BourseBacktestStats *stats,
                    gint64               close_time)
{
  stats->max_drawdown_duration_ms = MAX (stats->max_drawdown_duration_ms,
                                         close_time - stats->peak_time);
}

void
bourse_backtest_stats_init (BourseBacktestStats *stats,
                            double               starting_equity)
{
  g_return_if_fail (stats != NULL);

  memset (stats, 0, sizeof *stats);
  stats->starting_equity = starting_equity;
  stats->previous_equity = starting_equity;
  stats->peak = starting_equity;
}

double
bourse_backtest_stats_add_period (BourseBacktestStats *stats,
                                  gint64               time,
                                  gint64               close_time,
                                  double               equity,
                                  gboolean             exposed)
{
  double r = 0;
  double delta;
  double drawdown = 0;

  g_return_val_if_fail (stats != NULL, 0);
  g_return_val_if_fail (isfinite (equity), 0);
  g_return_val_if_fail (close_time >= time, 0);

  if (stats->n_periods == 0)
    {
      stats->first_time = time;
      stats->peak_time = time;
    }
  stats->n_periods++;
  if (exposed)
    stats->n_exposed++;
  stats->period_end = close_time;

  /* An account at or below zero has nothing left to earn a return on
   * (a short can take it there): its next returns are 0, not ±∞. An
   * unchanged equity (flat, mostly) returns exactly 0 without dividing. */
  if (equity != stats->previous_equity && stats->previous_equity > 0)
    r = equity / stats->previous_equity - 1;

  delta = r - stats->mean;
  stats->mean += delta / (double) stats->n_periods;
  stats->m2 += delta * (r - stats->mean);
  if (r < 0)
    stats->downside_sq += r * r;

  if (equity < stats->peak)
    {
      /* The same equity under the same peak: the same drawdown. */
      if (equity == stats->previous_equity)
        drawdown = stats->drawdown;
      else if (stats->peak > 0)
        drawdown = (stats->peak - equity) / stats->peak;
      stats->max_drawdown = MAX (stats->max_drawdown, drawdown);
      stretch_underwater (stats, close_time);
    }
  else
    {
      /* A close back at the peak ends the drawdown (its duration counts
       * up to this close) and is the peak's new time: a flat equity at
       * its high is never "under water". */
      if (stats->previous_equity < stats->peak)
        stretch_underwater (stats, close_time);
      stats->peak = equity;
      stats->peak_time = close_time;
    }

  stats->previous_equity = equity;
  stats->drawdown = drawdown;
  return drawdown;
}

void
bourse_backtest_stats_add_trade (BourseBacktestStats *stats,
                                 double               net_pnl,
                                 gint64               duration_ms)
{
  g_return_if_fail (stats != NULL);
  g_return_if_fail (isfinite (net_pnl));
  g_return_if_fail (duration_ms >= 0);

  stats->trades++;
  if (net_pnl > 0)
    {
      stats->wins++;
      stats->gross_profit += net_pnl;
    }
  else if (net_pnl < 0)
    stats->gross_loss -= net_pnl;
  stats->duration_sum_ms += duration_ms;
}

void
bourse_backtest_stats_finish (const BourseBacktestStats *stats,
                              BourseBacktestMetrics     *metrics)
{
  double n;
  gint64 span;
  double periods_per_year = 0;
  double root_p;
  double deviation = 0;
  double downside = 0;
  double annualised = 0;

  g_return_if_fail (stats != NULL);
  g_return_if_fail (metrics != NULL);

  n = (double) stats->n_periods;
  span = stats->n_periods > 0 ? stats->period_end - stats->first_time : 0;
  if (span > 0)
    periods_per_year = n * (double) YEAR_MS / (double) span;
  root_p = sqrt (periods_per_year);

  if (stats->starting_equity > 0)
    {
      metrics->total_return = bounded (stats->previous_equity / stats->starting_equity - 1);
      if (stats->previous_equity <= 0)
        annualised = -1;
      else if (span > 0)
        annualised = bounded (pow (stats->previous_equity / stats->starting_equity,
                                   (double) YEAR_MS / (double) span) - 1);
    }
  else
    metrics->total_return = 0;
  metrics->annualised_return = annualised;

  if (stats->n_periods >= 2)
    deviation = sqrt (stats->m2 / (n - 1));
  metrics->volatility = bounded (deviation * root_p);
  metrics->sharpe = deviation > 0 ? bounded (stats->mean / deviation * root_p) : 0;

  if (stats->n_periods > 0)
    downside = sqrt (stats->downside_sq / n);
  metrics->sortino = downside > 0 ? bounded (stats->mean / downside * root_p) : 0;

  metrics->max_drawdown = stats->max_drawdown;
  metrics->max_drawdown_duration_ms = stats->max_drawdown_duration_ms;
  metrics->calmar = stats->max_drawdown > 0 ? bounded (annualised / stats->max_drawdown) : 0;

  metrics->exposure = stats->n_periods > 0 ? (double) stats->n_exposed / n : 0;

  metrics->trades = stats->trades;
  if (stats->trades > 0)
    {
      metrics->win_rate = (double) stats->wins / stats->trades;
      /* Σ net PnL as the difference of two sums of one sign each: winners
       * and losers do not cancel along the way. */
      metrics->expectancy = bounded ((stats->gross_profit - stats->gross_loss) / stats->trades);
      /* Halves up: durations are never negative. */
      metrics->average_duration_ms = (stats->duration_sum_ms + stats->trades / 2) / stats->trades;
    }
  else
    {
      metrics->win_rate = 0;
      metrics->expectancy = 0;
      metrics->average_duration_ms = 0;
    }

  if (stats->gross_profit <= 0)
    metrics->profit_factor = 0;
  else if (stats->gross_loss <= 0)
    metrics->profit_factor = INFINITY;
  else
    metrics->profit_factor = bounded (stats->gross_profit / stats->gross_loss);
}
