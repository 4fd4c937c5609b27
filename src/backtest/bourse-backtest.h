/* bourse-backtest.h — replaying stored candles through a strategy, the paper fill model and the ledger
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/BACKTESTS.md states the rules exactly; this is their one
 * implementation. A run reads nothing but its series and its spec, so any
 * number of runs share one series from any number of threads (the
 * optimiser's worker pool).
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "core/bourse-decimal.h"
#include "core/bourse-store.h"
#include "core/bourse-time.h"
#include "market/bourse-candles.h"
#include "market/bourse-instruments.h"
#include "strategy/bourse-strategy.h"

G_BEGIN_DECLS

typedef enum
{
  BOURSE_BACKTEST_EXITS_SIGNALS,   /* the opposite signal only */
  BOURSE_BACKTEST_EXITS_LEVELS,    /* the entry signal's stop-loss and take-profit only */
  BOURSE_BACKTEST_EXITS_BOTH,
} BourseBacktestExits;

/* The candles of one instrument and interval, oldest first, as the doubles
 * strategies read (DESIGN.md §4); prices go back to exact decimals for the
 * fill model (bourse_backtest_series_price ()). Immutable once made, and
 * reference-counted: one loaded array serves every run of an optimisation. */
typedef struct
{
  char           *symbol;
  char           *base_asset;
  char           *quote_asset;
  BourseDecimal   tick_size;
  BourseDecimal   lot_step;
  BourseDecimal   min_notional;
  BourseInterval  interval;
  gsize           n_candles;
  gint64         *open_time;     /* ms since the epoch */
  double         *open;
  double         *high;
  double         *low;
  double         *close;
  double         *volume;
  /* The first candle of the test window: those before it are history for
   * the lookback only. */
  gsize           first;
} BourseBacktestSeries;

/* What one run does. Every member is set (bourse_backtest_spec_init ()
 * gives the defaults); @params is the strategy's resolved parameters. */
typedef struct
{
  BourseStrategy      *strategy;
  JsonObject          *params;
  BourseDecimal        starting_cash;
  BourseDecimal        fee_rate;        /* of the notional, rounded up */
  gint64               slippage_bps;    /* against the taker, MARKET fills */
  BourseDecimal        stake_fraction;  /* (0, 1] of the free cash */
  BourseBacktestExits  exits;
  guint                lookback;        /* candles per evaluation; 0: the default */
  gboolean             allow_short;
  /* NULL: no risk limits nor protections. Otherwise the global limits and
   * protections as GET /api/v1/risk/global answers them, applied as they
   * are live, in the backtest's own time (docs/BACKTESTS.md). */
  JsonObject          *risk_limits;
  /* The candles [window_start, window_end) of the series it trades; 0, 0
   * is [series->first, n_candles). Walk-forward folds are windows. */
  gsize                window_start;
  gsize                window_end;
} BourseBacktestSpec;

/* One round trip. exit_reason: "signal", "stop_loss", "take_profit", or
 * NULL while it is open at the end (valued at the last close, not sold). */
typedef struct
{
  gboolean       is_short;
  gint64         entry_time;      /* ms: the open of the candle it entered at */
  BourseDecimal  entry_price;
  gint64         exit_time;       /* ms: the open of the exit candle (signal) or that candle's open
                                   * time for a level; 0 while open */
  BourseDecimal  exit_price;      /* the last close while open */
  BourseDecimal  quantity;
  BourseDecimal  entry_notional;
  BourseDecimal  exit_notional;
  BourseDecimal  fees;            /* entry and exit */
  BourseDecimal  pnl;             /* net of fees; unrealised while open */
  const char    *exit_reason;
} BourseBacktestTrade;

/* One point of the equity curve: at a candle's close. */
typedef struct
{
  gint64  time;         /* the candle's open time */
  double  equity;
  double  buy_and_hold; /* the starting cash held in the base asset from the window's first open */
  double  drawdown;     /* fraction below the peak so far, ≥ 0 */
} BourseBacktestPoint;

/* docs/BACKTESTS.md "Metrics" defines each. Fractions are fractions
 * (0.05 is 5 %); none is NaN or infinite except profit_factor, which is
 * +∞ for gains without a loss (null in JSON). */
typedef struct
{
  double  total_return;
  double  annualised_return;
  double  volatility;           /* annualised */
  double  sharpe;
  double  sortino;
  double  calmar;
  double  max_drawdown;
  gint64  max_drawdown_duration_ms;
  double  win_rate;
  double  profit_factor;
  double  expectancy;           /* mean net PnL per closed trade, quote currency */
  double  exposure;             /* fraction of candles closed with a position */
  guint   trades;               /* closed round trips */
  gint64  average_duration_ms;  /* of the closed round trips */
  double  buy_and_hold_return;
} BourseBacktestMetrics;

typedef struct
{
  GArray                *trades;          /* BourseBacktestTrade, the open one last */
  GArray                *curve;           /* BourseBacktestPoint, at most BOURSE_BACKTEST_CURVE_POINTS */
  BourseBacktestMetrics  metrics;
  BourseDecimal          starting_cash;
  BourseDecimal          final_cash;
  BourseDecimal          final_equity;    /* cash + the open position at the last close */
  BourseDecimal          fees;            /* Σ of every fill's fee */
  gsize                  n_candles;       /* in the window */
  gsize                  n_signals;       /* BUY or SELL evaluations */
  gsize                  n_skipped;       /* signals that could not trade (below the minimum notional) */
  gint64                 start_time;      /* the window's first open time */
  gint64                 end_time;        /* its last candle's close time */
  /* With spec->risk_limits: the orders the risk check refused (entries,
   * and signal exits while HALTED), and how many by the error field that
   * refused them ("risk.cooldown" → 2); refusals is NULL without. */
  gboolean               protections_applied;
  gsize                  n_refused;
  GHashTable            *refusals;        /* char * → GUINT_TO_POINTER (count) */
} BourseBacktestResult;

/* The curve is downsampled to this many points (each the last candle of its
 * stretch, the worst drawdown kept); the metrics use every candle. */
#define BOURSE_BACKTEST_CURVE_POINTS 2000

/* Reports progress from inside the run (the worker's thread): @done of
 * @total candles. */
typedef void (*BourseBacktestProgressFunc) (gsize     done,
                                            gsize     total,
                                            gpointer  user_data);

const char           *bourse_backtest_exits_to_string (BourseBacktestExits        exits);
gboolean              bourse_backtest_exits_parse   (const char                  *text,
                                                     BourseBacktestExits         *exits);

/* Reads the instrument's candles with open_time in [@start_ms, @end_ms),
 * and up to @history candles before @start_ms for the lookback, from
 * @store (any connection: the workers use read-only ones). */
BourseBacktestSeries *bourse_backtest_series_load   (BourseStore                 *store,
                                                     const char                  *symbol,
                                                     BourseInterval               interval,
                                                     gint64                       start_ms,
                                                     gint64                       end_ms,
                                                     guint                        history,
                                                     GError                     **error);
/* From candles in memory (tests, benches); @first as in the struct. */
BourseBacktestSeries *bourse_backtest_series_new    (const BourseInstrument      *instrument,
                                                     BourseInterval               interval,
                                                     const BourseCandle          *candles,
                                                     gsize                        n_candles,
                                                     gsize                        first);
BourseBacktestSeries *bourse_backtest_series_ref    (BourseBacktestSeries        *series);
void                  bourse_backtest_series_unref  (BourseBacktestSeries        *series);
/* A price of the series as the exact decimal it was stored as. */
BourseDecimal         bourse_backtest_series_price  (const BourseBacktestSeries  *series,
                                                     double                       price);

/* Defaults: 10000 cash, the paper broker's taker fee (0.001) and slippage
 * (2 bps), the whole free cash, exits both, no shorts, the default lookback. */
void                  bourse_backtest_spec_init     (BourseBacktestSpec          *spec,
                                                     BourseStrategy              *strategy,
                                                     JsonObject                  *params);
/* The candles one evaluation sees: @lookback, or the strategy's minimum for
 * its parameters, or the live window (BOURSE_STRATEGY_LIVE_WINDOW) where larger. */
guint                 bourse_backtest_spec_get_lookback (const BourseBacktestSpec *spec);

/* Runs @spec over @series. NULL with @error when the spec is invalid or
 * the window holds no candle (BOURSE_ERROR_INVALID naming the member, as
 * the API's 422), or @cancellable was cancelled. */
BourseBacktestResult *bourse_backtest_run           (const BourseBacktestSeries  *series,
                                                     const BourseBacktestSpec    *spec,
                                                     BourseBacktestProgressFunc   progress,
                                                     gpointer                     progress_data,
                                                     GCancellable                *cancellable,
                                                     GError                     **error);
void                  bourse_backtest_result_free   (BourseBacktestResult        *result);

/* {"trades":[…], "equity":[…], "metrics":{…}, "starting_cash", "final_cash",
 * "final_equity", "fees", "candles", "signals", "skipped", "start", "end",
 * "protections_applied", "refused", "refusals":{…}}:
 * docs/BACKTESTS.md "The result". */
JsonNode             *bourse_backtest_result_to_json (const BourseBacktestResult *result);
JsonNode             *bourse_backtest_metrics_to_json (const BourseBacktestMetrics *metrics,
                                                      BourseDecimal               fees);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseBacktestSeries, bourse_backtest_series_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseBacktestResult, bourse_backtest_result_free)

G_END_DECLS
