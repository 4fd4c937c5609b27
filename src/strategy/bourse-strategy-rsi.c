/* bourse-strategy-rsi.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The familiar baseline: Wilder's RSI of the closes below the oversold level
 * is a buy, above the overbought level a sell.
 */

#include "config.h"

#include <float.h>
#include <math.h>

#include <glib/gi18n-lib.h>

#include "bourse-indicators.h"
#include "bourse-strategy-private.h"
#include "bourse-strategy-rsi.h"

struct _BourseStrategyRsi
{
  GObject parent_instance;
};

static void bourse_strategy_rsi_iface_init (BourseStrategyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseStrategyRsi, bourse_strategy_rsi, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_STRATEGY, bourse_strategy_rsi_iface_init))

static const BourseStrategyParam parameters[] = {
  { "period", BOURSE_PARAM_INTEGER, 14, 2, 1000,
    N_("Candles in Wilder’s smoothing (the RSI period)"),
    N_("Period") },
  { "oversold", BOURSE_PARAM_NUMBER, 30, 0, 100, N_("RSI below which to buy"),
    N_("Oversold") },
  { "overbought", BOURSE_PARAM_NUMBER, 70, 0, 100, N_("RSI above which to sell"),
    N_("Overbought") },
};

static const char *
bourse_strategy_rsi_get_id (BourseStrategy *strategy)
{
  return "rsi";
}

static const char *
bourse_strategy_rsi_get_name (BourseStrategy *strategy)
{
  return _("RSI overbought/oversold");
}

static const char *
bourse_strategy_rsi_get_version (BourseStrategy *strategy)
{
  return "1";
}

static const BourseStrategyParam *
bourse_strategy_rsi_get_parameters (BourseStrategy *strategy,
                                    guint          *n_params)
{
  *n_params = G_N_ELEMENTS (parameters);
  return parameters;
}

static gboolean
bourse_strategy_rsi_check_parameters (BourseStrategy  *strategy,
                                      JsonObject      *params,
                                      char           **parameter,
                                      GError         **error)
{
  if (json_object_get_double_member (params, "oversold")
      >= json_object_get_double_member (params, "overbought"))
    {
      g_set_error (error, BOURSE_STRATEGY_ERROR, BOURSE_STRATEGY_ERROR_INVALID_PARAMETER,
                   _("Parameter “%s” must be smaller than “%s”"), "oversold", "overbought");
      if (parameter != NULL)
        *parameter = g_strdup ("oversold");
      return FALSE;
    }
  return TRUE;
}

static guint
bourse_strategy_rsi_get_min_candles (BourseStrategy *strategy,
                                     JsonObject     *params)
{
  /* period changes for the first value, and one more for the previous. */
  return _bourse_strategy_param_uint (params, "period") + 2;
}

static gboolean
bourse_strategy_rsi_evaluate (BourseStrategy             *strategy,
                              const BourseStrategyInput  *input,
                              JsonObject                 *params,
                              BourseSignal               *signal,
                              GError                    **error)
{
  gsize n = input->n_candles;
  guint period = _bourse_strategy_param_uint (params, "period");
  double oversold = json_object_get_double_member (params, "oversold");
  double overbought = json_object_get_double_member (params, "overbought");
  g_autofree double *rsi = g_new (double, n);
  double value;

  bourse_indicator_rsi (input->close, n, period, rsi);
  value = rsi[n - 1];
  json_object_set_double_member (signal->metrics, "rsi", value);
  json_object_set_double_member (signal->metrics, "previous_rsi", rsi[n - 2]);

  /* How far past the level, as a share of the room beyond it. */
  if (value < oversold)
    _bourse_signal_decide (signal, BOURSE_DECISION_BUY, (oversold - value) / oversold,
                           _("RSI(%u) is %.1f, below the oversold level of %.1f"),
                           period, value, oversold);
  else if (value > overbought)
    _bourse_signal_decide (signal, BOURSE_DECISION_SELL, (value - overbought) / (100 - overbought),
                           _("RSI(%u) is %.1f, above the overbought level of %.1f"),
                           period, value, overbought);
  else
    _bourse_signal_decide (signal, BOURSE_DECISION_NO_TRADE, 0,
                           _("RSI(%u) is %.1f, between %.1f and %.1f"),
                           period, value, oversold, overbought);
  return TRUE;
}

/*
 * The stream (docs/STRATEGIES.md, "Streams"). The window's RSI runs
 * Wilder's averages from the window's start; the stream runs its own from
 * its first candle, which draw together with the window's as
 * ((period − 1) / period)^n. With a bound on how far apart they can be,
 * the RSI of the window lies between the RSIs of the bounds' corners (it
 * rises with the gains and falls with the losses, rounding included):
 * when that interval is on one side of each level, the decision is known;
 * otherwise (near a level, or a window too short for the averages to have
 * met) the stream computes the window's RSI as evaluate () does.
 */

typedef struct
{
  guint             period;
  double            oversold;
  double            overbought;
  guint             lookback;
  /* The stream's averages after each of the last lookback candles, by
   * count % lookback, and the last candle (from 1) they restarted at. */
  double           *gain;
  double           *loss;
  guint64           count;
  gsize             position;   /* count % lookback */
  guint64           restart;
  BourseRollingMax  largest;    /* |change of close| */
  gsize             decay_candles;
  double            decay;      /* ((period − 1) / period)^(decay_candles − 1 − period) */
  double           *scratch;    /* lookback */
} RsiStream;

static gpointer
bourse_strategy_rsi_stream_new (BourseStrategy *strategy,
                                JsonObject     *params,
                                guint           lookback)
{
  RsiStream *self = g_new0 (RsiStream, 1);

  self->period = _bourse_strategy_param_uint (params, "period");
  self->oversold = json_object_get_double_member (params, "oversold");
  self->overbought = json_object_get_double_member (params, "overbought");
  self->lookback = lookback;
  self->gain = g_new (double, lookback);
  self->loss = g_new (double, lookback);
  _bourse_rolling_max_init (&self->largest, lookback);
  self->scratch = g_new (double, lookback);
  return self;
}

static void
bourse_strategy_rsi_stream_free (BourseStrategy *strategy,
                                 gpointer        state)
{
  RsiStream *self = state;

  g_free (self->gain);
  g_free (self->loss);
  _bourse_rolling_max_clear (&self->largest);
  g_free (self->scratch);
  g_free (self);
}

/* The decision and confidence for an RSI of @value, as evaluate () has them. */
static BourseDecision
rsi_decide (RsiStream *self,
            double     value,
            double    *confidence)
{
  if (value < self->oversold)
    {
      *confidence = (self->oversold - value) / self->oversold;
      return BOURSE_DECISION_BUY;
    }
  if (value > self->overbought)
    {
      *confidence = (value - self->overbought) / (100 - self->overbought);
      return BOURSE_DECISION_SELL;
    }
  return BOURSE_DECISION_NO_TRADE;
}

/* The window's decision from the stream's averages, or FALSE when they
 * cannot tell it. */
static gboolean
rsi_decide_estimated (RsiStream      *self,
                      gsize           n,
                      BourseDecision *decision,
                      double         *confidence)
{
  guint period = self->period;
  guint64 first = self->count - n + 1;          /* the window's first candle, from 1 */
  double largest, gain_bound, loss_bound, low, high, room;
  gsize at = (first - 1 + period) % self->lookback;
  gsize last = (self->count - 1) % self->lookback;

  /* Both averages must have run unbroken from the window's first RSI on. */
  if (self->restart > first + period)
    return FALSE;

  if (self->decay_candles != n)
    {
      self->decay = pow ((period - 1.0) / period, n - 1 - period);
      self->decay_candles = n;
    }
  /* The window's first averages are means of its changes. */
  largest = _bourse_rolling_max_get (&self->largest);
  gain_bound = _bourse_wilder_bound (period, self->decay, MAX (self->gain[at], largest));
  loss_bound = _bourse_wilder_bound (period, self->decay, MAX (self->loss[at], largest));
  if (!(self->loss[last] - loss_bound > 0))
    return FALSE;
  low = bourse_indicator_rsi_from_averages (MAX (self->gain[last] - gain_bound, 0),
                                            self->loss[last] + loss_bound);
  high = bourse_indicator_rsi_from_averages (self->gain[last] + gain_bound,
                                             self->loss[last] - loss_bound);

  if (low >= self->oversold && high <= self->overbought)
    {
      *decision = BOURSE_DECISION_NO_TRADE;
      return TRUE;
    }
  /* A trade's confidence is taken from the stream's RSI, within 10^-12 of
   * the window's: the interval is at most that share of the room past
   * the level. */
  if (high < self->oversold)
    room = self->oversold;
  else if (low > self->overbought)
    room = 100 - self->overbought;
  else
    return FALSE;
  if (!(high - low <= 1e-12 * room))
    return FALSE;
  *decision = rsi_decide (self, bourse_indicator_rsi_from_averages (self->gain[last], self->loss[last]),
                          confidence);
  return TRUE;
}

static void
bourse_strategy_rsi_stream_push (BourseStrategy        *strategy,
                                 BourseStrategyStream  *stream,
                                 gpointer               state,
                                 gboolean               decide,
                                 BourseDecision        *decision,
                                 double                *confidence)
{
  RsiStream *self = state;
  const BourseStrategyInput *window = bourse_strategy_stream_get_window (stream);
  const double *close = window->close;
  gsize n = window->n_candles;
  guint period = self->period;
  gsize at = self->position;
  gsize before = at > 0 ? at - 1 : self->lookback - 1;
  double change = n >= 2 ? close[n - 1] - close[n - 2] : NAN;

  /* As bourse_indicator_rsi () runs them, restarted when they are not
   * finite (a bad candle's; the windows holding it are refused anyway). */
  if (self->count > 0 && isfinite (self->gain[before]) && isfinite (self->loss[before]))
    {
      self->gain[at] = (self->gain[before] * (period - 1) + (change > 0 ? change : 0)) / period;
      self->loss[at] = (self->loss[before] * (period - 1) + (change < 0 ? -change : 0)) / period;
    }
  else
    {
      self->gain[at] = change > 0 ? change : isnan (change) ? NAN : 0;
      self->loss[at] = change < 0 ? -change : isnan (change) ? NAN : 0;
      self->restart = self->count + 1;
    }
  _bourse_rolling_max_push (&self->largest, n >= 2 ? change : 0);
  self->count++;
  self->position = at + 1 < self->lookback ? at + 1 : 0;

  if (!decide || rsi_decide_estimated (self, n, decision, confidence))
    return;

  bourse_indicator_rsi (close, n, period, self->scratch);
  *decision = rsi_decide (self, self->scratch[n - 1], confidence);
}

static void
bourse_strategy_rsi_iface_init (BourseStrategyInterface *iface)
{
  iface->get_id = bourse_strategy_rsi_get_id;
  iface->get_name = bourse_strategy_rsi_get_name;
  iface->get_version = bourse_strategy_rsi_get_version;
  iface->get_parameters = bourse_strategy_rsi_get_parameters;
  iface->check_parameters = bourse_strategy_rsi_check_parameters;
  iface->get_min_candles = bourse_strategy_rsi_get_min_candles;
  iface->evaluate = bourse_strategy_rsi_evaluate;
  iface->stream_new = bourse_strategy_rsi_stream_new;
  iface->stream_push = bourse_strategy_rsi_stream_push;
  iface->stream_free = bourse_strategy_rsi_stream_free;
}

static void
bourse_strategy_rsi_class_init (BourseStrategyRsiClass *klass)
{
}

static void
bourse_strategy_rsi_init (BourseStrategyRsi *self)
{
}
