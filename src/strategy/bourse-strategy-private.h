/* bourse-strategy-private.h — what the built-in strategies share
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

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
gboolean    _bourse_strategy_price_valid  (double          price);
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

G_END_DECLS
