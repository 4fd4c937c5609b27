/* bourse-strategy-stream.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A strategy evaluated candle after candle, as a backtest evaluates it:
 * each push gives what bourse_strategy_evaluate () gives on the window of
 * the last lookback candles. The stream keeps that window in one array (so
 * the plugin and the levels read it as an input), and the common checks as
 * rolling state, so that a push costs O(1) plus what the model needs.
 */

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "bourse-indicators.h"
#include "bourse-strategy-private.h"

struct _BourseStrategyStream
{
  BourseStrategy      *strategy;
  gpointer             state;        /* the plugin's */
  /* The plugin's, looked up once: a push is a few nanoseconds. */
  void               (*stream_push) (BourseStrategy       *self,
                                     BourseStrategyStream *stream,
                                     gpointer              state,
                                     gboolean              decide,
                                     BourseDecision       *decision,
                                     double               *confidence);
  guint                lookback;
  guint                min_candles;
  /* A gap is counted up to this many missing candles: more than any
   * window of lookback candles tolerates. */
  guint                gap_cap;
  double               stop_atr;
  double               target_atr;

  /* The last candles pushed, oldest first, at most capacity; the window is
   * the last window.n_candles of them. */
  gsize                capacity;
  gsize                held;
  gint64              *open_time;
  double              *open;
  double              *high;
  double              *low;
  double              *close;
  double              *volume;
  guint               *gap;          /* candles missing before each one */
  BourseStrategyInput  window;       /* points into the arrays above */

  /* The common checks, with candles counted from 1 since the start, 0 for
   * none: the last candle that fails on its own, the last one not after the
   * one before it, the last close unlike the one before it. */
  guint64              pushed;
  guint64              last_bad;
  guint64              last_disorder;
  guint64              last_move;
  gsize                missing;      /* Σ gap over the window but its first candle */
  /* The open time of a candle that follows the last one with none
   * missing, when known; the interval's length when it has one. */
  gboolean             next_known;
  gint64               next_open;
  gint64               length;

  double              *atr_values;   /* lookback */
  double               atr;
  gboolean             atr_known;

  /* The stream's own Wilder ATR, run from its first candle (restarted
   * after a non-finite one), beside the candles: the window's ATR starts
   * at the window's start and runs the same recursion, so the two draw
   * together as (13/14)^n. */
  double              *running_atr;
  guint64              atr_restart;  /* the last candle it restarted at, from 1 */
  gsize                decay_candles;
  double               decay;        /* (13/14)^(decay_candles − 14) */
  BourseRollingMax     range_max;    /* of the true ranges in the window */
};

BourseStrategyStream *
bourse_strategy_stream_new (BourseStrategy  *self,
                            JsonObject      *params,
                            guint            lookback,
                            BourseInterval   interval,
                            BourseDecimal    tick_size,
                            GError         **error)
{
  BourseStrategyInterface *iface;
  g_autoptr(JsonObject) resolved = NULL;
  BourseStrategyStream *stream;
  gpointer state;

  g_return_val_if_fail (BOURSE_IS_STRATEGY (self), NULL);
  g_return_val_if_fail (lookback > 0, NULL);
  g_return_val_if_fail ((guint) interval < BOURSE_N_INTERVALS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iface = BOURSE_STRATEGY_GET_IFACE (self);
  if ((resolved = bourse_strategy_resolve_parameters (self, params, NULL, error)) == NULL)
    return NULL;
  if (iface->stream_new == NULL || iface->stream_push == NULL || iface->stream_free == NULL
      || iface->evaluate == NULL)
    return NULL;
  if ((state = iface->stream_new (self, resolved, lookback)) == NULL)
    return NULL;

  stream = g_new0 (BourseStrategyStream, 1);
  stream->strategy = g_object_ref (self);
  stream->state = state;
  stream->stream_push = iface->stream_push;
  stream->lookback = lookback;
  stream->min_candles = _bourse_strategy_min_candles (self, resolved);
  stream->gap_cap = (guint) (BOURSE_STRATEGY_MAX_MISSING_SHARE * lookback) + 1;
  stream->stop_atr = json_object_get_double_member (resolved, "stop_atr");
  stream->target_atr = json_object_get_double_member (resolved, "target_atr");

  /* Twice the window: the window (and so the candle before each new one)
   * moves back to the start once every lookback candles, one copy per
   * candle on average. */
  stream->capacity = 2 * (gsize) lookback;
  stream->open_time = g_new (gint64, stream->capacity);
  stream->open = g_new (double, stream->capacity);
  stream->high = g_new (double, stream->capacity);
  stream->low = g_new (double, stream->capacity);
  stream->close = g_new (double, stream->capacity);
  stream->volume = g_new (double, stream->capacity);
  stream->gap = g_new (guint, stream->capacity);
  stream->running_atr = g_new (double, stream->capacity);
  stream->atr_values = g_new (double, lookback);
  _bourse_rolling_max_init (&stream->range_max, lookback);
  stream->window.interval = interval;
  stream->window.tick_size = tick_size;
  if (interval != BOURSE_INTERVAL_1MO)
    {
      gint64 start = bourse_interval_align (interval, 0);

      stream->length = bourse_interval_next (interval, start) - start;
    }
  return stream;
}

void
bourse_strategy_stream_free (BourseStrategyStream *stream)
{
  if (stream == NULL)
    return;
  BOURSE_STRATEGY_GET_IFACE (stream->strategy)->stream_free (stream->strategy, stream->state);
  g_object_unref (stream->strategy);
  g_free (stream->open_time);
  g_free (stream->open);
  g_free (stream->high);
  g_free (stream->low);
  g_free (stream->close);
  g_free (stream->volume);
  g_free (stream->gap);
  g_free (stream->running_atr);
  g_free (stream->atr_values);
  _bourse_rolling_max_clear (&stream->range_max);
  g_free (stream);
}

const BourseStrategyInput *
bourse_strategy_stream_get_window (BourseStrategyStream *stream)
{
  g_return_val_if_fail (stream != NULL, NULL);

  return &stream->window;
}

double
bourse_strategy_stream_get_atr (BourseStrategyStream *stream)
{
  gsize n;

  g_return_val_if_fail (stream != NULL, 0);
  g_return_val_if_fail (stream->window.n_candles >= BOURSE_STRATEGY_ATR_PERIOD, 0);

  if (!stream->atr_known)
    {
      n = stream->window.n_candles;
      bourse_indicator_atr (stream->window.high, stream->window.low, stream->window.close, n,
                            BOURSE_STRATEGY_ATR_PERIOD, stream->atr_values);
      stream->atr = stream->atr_values[n - 1];
      stream->atr_known = TRUE;
    }
  return stream->atr;
}

/* The candles missing between two open times, as check_input () counts
 * them, up to the cap. */
static guint
count_missing (BourseInterval interval,
               gint64         previous,
               gint64         open_time,
               guint          cap)
{
  gint64 next = bourse_interval_next (interval, previous);
  guint missing = 0;

  while (next < open_time && missing < cap)
    {
      missing++;
      next = bourse_interval_next (interval, next);
    }
  return missing;
}

static gboolean
time_valid (gint64 open_time)
{
  return open_time >= BOURSE_TIME_MIN_MS && open_time <= BOURSE_TIME_MAX_MS;
}

/* check_input () on the window, from the rolling state: the same rules,
 * in O(1). */
static gboolean
window_passes (BourseStrategyStream *stream)
{
  gsize n = stream->window.n_candles;
  guint64 first = stream->pushed - n + 1;       /* the window's first candle, counted from 1 */

  return n >= stream->min_candles
         && stream->last_bad < first
         && stream->last_disorder <= first
         && stream->last_move > first
         && stream->missing <= (gsize) (BOURSE_STRATEGY_MAX_MISSING_SHARE * n);
}

double
_bourse_strategy_stream_estimate_atr (BourseStrategyStream *stream,
                                      double               *bound)
{
  const guint atr_period = BOURSE_STRATEGY_ATR_PERIOD;
  gsize n = stream->window.n_candles;
  guint64 first = stream->pushed - n + 1;
  double estimate;

  g_assert (n >= atr_period);

  estimate = stream->running_atr[stream->held - 1];
  *bound = INFINITY;
  /* Both recursions must have run unbroken from the window's first ATR on. */
  if (stream->atr_restart > first + atr_period - 1 || !isfinite (estimate))
    return estimate;

  if (stream->decay_candles != n)
    {
      stream->decay = pow ((atr_period - 1.0) / atr_period, n - atr_period);
      stream->decay_candles = n;
    }
  /* The window's first ATR is a mean of true ranges in the window. */
  *bound = _bourse_wilder_bound (atr_period, stream->decay,
                                 MAX (stream->running_atr[stream->held - n + atr_period - 1],
                                      _bourse_rolling_max_get (&stream->range_max)));
  return estimate;
}

/*
 * The levels from the stream's own ATR when they are the window's: they
 * move monotonically with the ATR (the stop one way, the target the other,
 * each a rounding down or up of a monotonic function of it), so if both
 * ends of the interval the window's ATR lies in give the same levels, it
 * gives them too. FALSE: the caller places them from the window's ATR.
 */
static gboolean
place_levels_estimated (BourseStrategyStream *stream,
                        BourseDecision        decision,
                        BourseStreamSignal   *signal)
{
  double bound, estimate = _bourse_strategy_stream_estimate_atr (stream, &bound);
  double close = stream->window.close[stream->window.n_candles - 1];
  BourseStreamSignal high = { 0 };
  double low_atr, high_atr;

  /* Far from the start of the window, the bound is around 10^-14 of it. */
  if (!(bound <= 1e-9 * estimate))
    return FALSE;
  low_atr = (estimate - bound) * (1 - DBL_EPSILON);
  high_atr = (estimate + bound) * (1 + DBL_EPSILON);
  if (!(low_atr > 0)
      || _bourse_strategy_place_levels (decision, close, low_atr, stream->window.tick_size,
                                        stream->stop_atr, stream->target_atr, &signal->entry,
                                        &signal->stop_loss, &signal->take_profit,
                                        &signal->risk_reward) != NULL
      || _bourse_strategy_place_levels (decision, close, high_atr, stream->window.tick_size,
                                        stream->stop_atr, stream->target_atr, &high.entry,
                                        &high.stop_loss, &high.take_profit, &high.risk_reward) != NULL)
    return FALSE;
  return high.stop_loss.units == signal->stop_loss.units
         && high.take_profit.units == signal->take_profit.units;
}

void
bourse_strategy_stream_push (BourseStrategyStream *stream,
                             gint64                open_time,
                             double                open,
                             double                high,
                             double                low,
                             double                close,
                             double                volume,
                             BourseStreamSignal   *signal)
{
  const guint atr_period = BOURSE_STRATEGY_ATR_PERIOD;
  gsize n, last;
  gboolean decide, follows;
  double range, previous_atr;
  double confidence = 0;
  BourseDecision decision = BOURSE_DECISION_NO_TRADE;
  const char *no_levels;

  g_return_if_fail (stream != NULL);
  g_return_if_fail (signal != NULL);

  n = stream->window.n_candles;

  /* The window's first candle leaves, and with it the gap after it. */
  if (n == stream->lookback && n >= 2)
    stream->missing -= stream->gap[stream->held - n + 1];
  if (stream->held == stream->capacity)
    {
      gsize keep = stream->lookback;
      gsize from = stream->held - keep;

      memmove (stream->open_time, stream->open_time + from, keep * sizeof (gint64));
      memmove (stream->open, stream->open + from, keep * sizeof (double));
      memmove (stream->high, stream->high + from, keep * sizeof (double));
      memmove (stream->low, stream->low + from, keep * sizeof (double));
      memmove (stream->close, stream->close + from, keep * sizeof (double));
      memmove (stream->volume, stream->volume + from, keep * sizeof (double));
      memmove (stream->gap, stream->gap + from, keep * sizeof (guint));
      memmove (stream->running_atr, stream->running_atr + from, keep * sizeof (double));
      stream->held = keep;
    }

  last = stream->held;
  stream->open_time[last] = open_time;
  stream->open[last] = open;
  stream->high[last] = high;
  stream->low[last] = low;
  stream->close[last] = close;
  stream->volume[last] = volume;
  stream->gap[last] = 0;
  stream->held++;
  stream->pushed++;

  if (!_bourse_strategy_price_valid (open) || !_bourse_strategy_price_valid (high)
      || !_bourse_strategy_price_valid (low) || !_bourse_strategy_price_valid (close)
      || high < low || !(isfinite (volume) && volume >= 0) || !time_valid (open_time))
    stream->last_bad = stream->pushed;
  range = high - low;
  /* The candle the last one's close opens: none missing. It is on the
   * interval's grid, so the next such candle opens a length later. */
  follows = stream->next_known && open_time == stream->next_open;
  if (follows && stream->length > 0)
    stream->next_open += stream->length;
  else if ((stream->next_known = time_valid (open_time)))
    stream->next_open = bourse_interval_next (stream->window.interval, open_time);
  if (stream->pushed > 1)
    {
      gint64 previous = stream->open_time[last - 1];

      if (open_time <= previous)
        stream->last_disorder = stream->pushed;
      else if (!follows && time_valid (previous) && time_valid (open_time))
        stream->gap[last] = count_missing (stream->window.interval, previous, open_time, stream->gap_cap);
      /* != as check_input () compares: NaN moves, and fails anyway. */
      if (close != stream->close[last - 1])
        stream->last_move = stream->pushed;
      /* The true range as bourse_indicator_atr () has it. */
      range = MAX (range, fabs (high - stream->close[last - 1]));
      range = MAX (range, fabs (low - stream->close[last - 1]));
    }
  previous_atr = stream->pushed > 1 ? stream->running_atr[last - 1] : NAN;
  if (isfinite (previous_atr))
    stream->running_atr[last] = (previous_atr * (atr_period - 1) + range) / atr_period;
  else
    {
      stream->running_atr[last] = range;
      stream->atr_restart = stream->pushed;
    }
  _bourse_rolling_max_push (&stream->range_max, range);

  n = MIN (n + 1, stream->lookback);
  if (n >= 2)
    stream->missing += stream->gap[last];

  stream->window.n_candles = n;
  stream->window.open_time = stream->open_time + stream->held - n;
  stream->window.open = stream->open + stream->held - n;
  stream->window.high = stream->high + stream->held - n;
  stream->window.low = stream->low + stream->held - n;
  stream->window.close = stream->close + stream->held - n;
  stream->window.volume = stream->volume + stream->held - n;
  stream->atr_known = FALSE;

  decide = window_passes (stream);
  stream->stream_push (stream->strategy, stream, stream->state, decide, &decision, &confidence);

  memset (signal, 0, sizeof *signal);
  signal->decision = BOURSE_DECISION_NO_TRADE;
  if (!decide || (decision != BOURSE_DECISION_BUY && decision != BOURSE_DECISION_SELL))
    return;

  /* What evaluate () does after the model, but the metrics. */
  if (!isfinite (confidence) || confidence < 0 || confidence > 1)
    confidence = isfinite (confidence) ? CLAMP (confidence, 0, 1) : 0;
  if (!place_levels_estimated (stream, decision, signal))
    no_levels = _bourse_strategy_place_levels (decision, close, bourse_strategy_stream_get_atr (stream),
                                               stream->window.tick_size, stream->stop_atr,
                                               stream->target_atr, &signal->entry, &signal->stop_loss,
                                               &signal->take_profit, &signal->risk_reward);
  else
    no_levels = NULL;
  if (no_levels != NULL)
    {
      memset (signal, 0, sizeof *signal);
      signal->decision = BOURSE_DECISION_NO_TRADE;
      return;
    }
  signal->decision = decision;
  signal->confidence = confidence;
}

void
bourse_strategy_stream_push_candle (BourseStrategyStream *stream,
                                    const BourseCandle   *candle,
                                    BourseStreamSignal   *signal)
{
  g_return_if_fail (candle != NULL);

  bourse_strategy_stream_push (stream, candle->open_time,
                               bourse_decimal_to_double (candle->open),
                               bourse_decimal_to_double (candle->high),
                               bourse_decimal_to_double (candle->low),
                               bourse_decimal_to_double (candle->close),
                               bourse_decimal_to_double (candle->volume),
                               signal);
}

void
_bourse_rolling_max_init (BourseRollingMax *self,
                          guint             span)
{
  g_assert (span > 0);

  memset (self, 0, sizeof *self);
  self->block = MAX (1, span / 8);
  self->n_blocks = (span + self->block - 1) / self->block;
  /* Zeros before the first values: every value counted is ≥ 0. */
  self->blocks = g_new0 (double, self->n_blocks);
}

void
_bourse_rolling_max_clear (BourseRollingMax *self)
{
  g_clear_pointer (&self->blocks, g_free);
}

double
_bourse_wilder_bound (guint  period,
                      double decay,
                      double largest)
{
  double bound = (decay + (6.0 * period + 8) * (DBL_EPSILON / 2) * 1.001) * largest;

  return isfinite (bound) ? 1.01 * bound : INFINITY;
}

void
_bourse_rolling_max_push (BourseRollingMax *self,
                          double            value)
{
  value = isnan (value) ? INFINITY : fabs (value);
  self->filling = MAX (self->filling, value);
  if (++self->filled < self->block)
    return;
  /* The block is complete: it replaces the oldest one kept. */
  self->blocks[self->next] = self->filling;
  self->next = self->next + 1 == self->n_blocks ? 0 : self->next + 1;
  self->filling = 0;
  self->filled = 0;
  self->complete = 0;
  for (guint i = 0; i < self->n_blocks; i++)
    self->complete = MAX (self->complete, self->blocks[i]);
}

double
_bourse_rolling_max_get (const BourseRollingMax *self)
{
  return MAX (self->complete, self->filling);
}
