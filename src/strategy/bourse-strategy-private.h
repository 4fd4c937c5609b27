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

G_END_DECLS
