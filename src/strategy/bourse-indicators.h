/* bourse-indicators.h — technical indicators on double series
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Pure functions for analytics (DESIGN.md §4: doubles, never the ledger).
 *
 * Every function reads n finite inputs, oldest first, and writes outputs of
 * length n aligned with them: out[i] belongs to input i. It returns the
 * first index whose output is valid (the warm-up); the entries before it are
 * 0, so no output ever holds a NaN. When n is too short for one valid value
 * it returns n. Outputs may not alias inputs. Non-finite inputs are the
 * caller's to refuse (the strategies do, before they get here).
 *
 * Conventions, which follow the textbook definitions quoted in
 * docs/STRATEGIES.md:
 * - sma:   mean of the last period values; first valid period − 1.
 * - ema:   alpha 2 / (period + 1), seeded with the SMA of the first period
 *          values; first valid period − 1.
 * - rsi:   Wilder: first averages of gains and losses are the means of the
 *          first period changes, then avg = (avg × (period − 1) + x) / period;
 *          100 when there are no losses, 50 when there is no change at all;
 *          first valid period.
 * - atr:   Wilder-smoothed true range; the first candle's true range is its
 *          high − low, the first ATR the mean of the first period true
 *          ranges; first valid period − 1.
 * - bollinger: SMA ± k × population standard deviation; first valid period − 1.
 * - macd:  EMA(fast) − EMA(slow), signal = EMA(signal) of that line, histogram
 *          = line − signal; all three are valid from slow + signal − 2.
 * - zscore: (x − mean) / sample standard deviation of the last window values,
 *          0 when they are all equal; first valid window − 1.
 * - realized_volatility: sample standard deviation of the last window log
 *          returns ln(c_i / c_{i−1}), per candle (annualising is the
 *          caller's); first valid window.
 */

gsize bourse_indicator_sma                 (const double *values,
                                            gsize         n,
                                            guint         period,
                                            double       *out);
gsize bourse_indicator_ema                 (const double *values,
                                            gsize         n,
                                            guint         period,
                                            double       *out);
gsize bourse_indicator_rsi                 (const double *close,
                                            gsize         n,
                                            guint         period,
                                            double       *out);
/* One RSI value from Wilder's averages of the gains and the losses, as
 * bourse_indicator_rsi () computes each (100 without losses, 50 without
 * any change); rounding keeps it monotonic in both. */
double bourse_indicator_rsi_from_averages  (double        gain,
                                            double        loss);
gsize bourse_indicator_atr                 (const double *high,
                                            const double *low,
                                            const double *close,
                                            gsize         n,
                                            guint         period,
                                            double       *out);
gsize bourse_indicator_bollinger           (const double *values,
                                            gsize         n,
                                            guint         period,
                                            double        k,
                                            double       *lower,
                                            double       *middle,
                                            double       *upper);
gsize bourse_indicator_macd                (const double *values,
                                            gsize         n,
                                            guint         fast,
                                            guint         slow,
                                            guint         signal,
                                            double       *line,
                                            double       *signal_line,
                                            double       *histogram);
gsize bourse_indicator_zscore              (const double *values,
                                            gsize         n,
                                            guint         window,
                                            double       *out);
gsize bourse_indicator_realized_volatility (const double *close,
                                            gsize         n,
                                            guint         window,
                                            double       *out);

G_END_DECLS
