/* bourse-strategy-private.h — what the built-in strategies share
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <math.h>

#include "bourse-strategy.h"

G_BEGIN_DECLS

/* The period of the ATR the levels are placed with. */
#define BOURSE_STRATEGY_ATR_PERIOD 14

/* Prices above this do not fit a BourseDecimal (about 9.2 × 10^10). */
#define BOURSE_STRATEGY_MAX_PRICE 9.0e10

/* More missing candles than this share of the window is a NO_TRADE: the
 * models treat candles as equally spaced. */
#define BOURSE_STRATEGY_MAX_MISSING_SHARE 0.05

void   _bourse_signal_set_reason        (BourseSignal *signal,
                                         const char   *format,
                                         ...) G_GNUC_PRINTF (2, 3);
/* Sets decision and reason; a BUY or SELL also its confidence. */
void   _bourse_signal_decide            (BourseSignal   *signal,
                                         BourseDecision  decision,
                                         double          confidence,
                                         const char     *format,
                                         ...) G_GNUC_PRINTF (4, 5);
void   _bourse_metrics_set_doubles      (JsonObject   *metrics,
                                         const char   *name,
                                         const double *values,
                                         gsize         n_values);
/* 2Φ(|score|) − 1: the confidence a standardised statistic gives, 0.95 at 1.96. */
double _bourse_strategy_confidence      (double        score);
guint  _bourse_strategy_param_uint      (JsonObject   *params,
                                         const char   *name);
/* Sample standard deviation (n − 1) of values, two-pass; 0 for n < 2. */
double _bourse_strategy_sample_sd       (const double *values,
                                         gsize         n);

/* A finite price above zero that a BourseDecimal holds. */
static inline gboolean
_bourse_strategy_price_valid (double price)
{
  return isfinite (price) && price > 0 && price <= BOURSE_STRATEGY_MAX_PRICE;
}

/* get_min_candles () for resolved @params, never under the levels' ATR. */
guint       _bourse_strategy_min_candles  (BourseStrategy *self,
                                           JsonObject     *resolved);
/* The levels of a BUY or SELL from the last close and the window's ATR, on
 * the tick grid (docs/STRATEGIES.md, Levels): NULL, or why none can be
 * placed (translated). evaluate () and the streams share it. */
const char *_bourse_strategy_place_levels (BourseDecision  decision,
                                           double          last_close,
                                           double          atr,
                                           BourseDecimal   tick_size,
                                           double          stop_atr,
                                           double          target_atr,
                                           BourseDecimal  *entry,
                                           BourseDecimal  *stop_loss,
                                           BourseDecimal  *take_profit,
                                           double         *risk_reward);

/* At least the largest |value| of the last span pushed (NaN counts as
 * infinite), and at most the largest of the last span + 2 span / 8: the
 * maxima of blocks of span / 8 values, the last n_blocks complete ones
 * and the one filling. The streams need an upper bound for their error
 * bounds, never the exact maximum, and this costs a comparison a push. */
typedef struct
{
  guint     block;        /* values a block */
  guint     n_blocks;     /* complete blocks kept: they cover any span values but the filling block's */
  guint     filled;       /* values in the filling block */
  guint     next;         /* the ring's oldest block, replaced next */
  double    filling;      /* the filling block's maximum */
  double    complete;     /* the maximum of the kept blocks */
  double   *blocks;       /* n_blocks, a ring */
} BourseRollingMax;

void        _bourse_rolling_max_init      (BourseRollingMax *self,
                                           guint             span);
void        _bourse_rolling_max_clear     (BourseRollingMax *self);
void        _bourse_rolling_max_push      (BourseRollingMax *self,
                                           double            value);
/* 0 before the first push. */
double      _bourse_rolling_max_get       (const BourseRollingMax *self);

/* How far apart two runs of Wilder's recursion a = (a (p − 1) + x) / p
 * over the same values x ≥ 0 can be after n steps, @decay being
 * ((p − 1) / p)^n, when their starts and the values are at most @largest:
 * the exact difference starts under @largest (both starts are ≥ 0) and
 * shrinks by (p − 1) / p a step; each step's rounding adds at most
 * 3 u largest (u = 2^-53) to each run, which the recursion damps to
 * 3 p u largest in all. With room for the rounding of the bound itself;
 * infinite when @largest is. */
double      _bourse_wilder_bound          (guint            period,
                                           double           decay,
                                           double           largest);

/* The stream's own running ATR(14) at the last candle, O(1), and in *bound
 * how far at most the window's ATR (bourse_strategy_stream_get_atr ()) is
 * from it: infinite when the stream cannot tell. */
double      _bourse_strategy_stream_estimate_atr (BourseStrategyStream *stream,
                                                  double               *bound);

G_END_DECLS
