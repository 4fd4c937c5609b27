/* bourse-backtest-metrics.h — the statistics of a backtest, computed as it runs
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/BACKTESTS.md "Metrics" defines each figure; tests/data/backtest/
 * make-metrics-fixtures.py computes the same with NumPy, independently.
 * One pass, constant memory: a five-year minute series is never held as
 * an equity array.
 */

#pragma once

#include "bourse-backtest.h"

G_BEGIN_DECLS

/* On the stack of a run; every member private. */
typedef struct
{
  double  starting_equity;
  double  previous_equity;      /* Eᵢ₋₁ for the next period */
  gsize   n_periods;
  gsize   n_exposed;
  /* Welford's running mean and sum of squared deviations of the returns. */
  double  mean;
  double  m2;
  double  downside_sq;          /* Σ min (r, 0)² */
  double  peak;
  double  drawdown;             /* below it at the last period */
  gint64  peak_time;            /* the latest close at the peak (the span's start for E₀) */
  double  max_drawdown;
  gint64  max_drawdown_duration_ms;
  gint64  first_time;           /* the first period's open time */
  gint64  period_end;           /* the last period's close time */
  /* Closed round trips. */
  guint   trades;
  guint   wins;
  double  gross_profit;
  double  gross_loss;           /* ≥ 0 */
  gint64  duration_sum_ms;
} BourseBacktestStats;

/* Before the first period: @starting_equity is the equity "before" it. */
void  bourse_backtest_stats_init      (BourseBacktestStats    *stats,
                                       double                  starting_equity);
/* One period (a candle) ends: @time is its open time, @close_time the
 * time it closes (for durations and the span), @equity the equity at its
 * close, @exposed whether a position was open at its close. Returns the
 * drawdown from the peak, ≥ 0, for the curve. */
double bourse_backtest_stats_add_period (BourseBacktestStats  *stats,
                                       gint64                  time,
                                       gint64                  close_time,
                                       double                  equity,
                                       gboolean                exposed);
/* One closed round trip. */
void  bourse_backtest_stats_add_trade (BourseBacktestStats    *stats,
                                       double                  net_pnl,
                                       gint64                  duration_ms);
/* Fills every member of @metrics but buy_and_hold_return. */
void  bourse_backtest_stats_finish    (const BourseBacktestStats *stats,
                                       BourseBacktestMetrics  *metrics);

G_END_DECLS
