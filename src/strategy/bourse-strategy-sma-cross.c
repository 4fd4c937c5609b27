/* bourse-strategy-sma-cross.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The familiar baseline: buy when the fast simple moving average of the
 * closes crosses above the slow one on the last candle, sell when it crosses
 * below. A crossover is an event, so a strategy evaluated on every closed
 * candle proposes a trade once per crossing, not on every candle after it.
 */

#include "config.h"

#include <float.h>
#include <math.h>

#include <glib/gi18n-lib.h>

#include "bourse-indicators.h"
#include "bourse-strategy-private.h"
#include "bourse-strategy-sma-cross.h"

struct _BourseStrategySmaCross
{
  GObject parent_instance;
};

static void bourse_strategy_sma_cross_iface_init (BourseStrategyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseStrategySmaCross, bourse_strategy_sma_cross, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_STRATEGY,
                                                      bourse_strategy_sma_cross_iface_init))

static const BourseStrategyParam parameters[] = {
  { "fast", BOURSE_PARAM_INTEGER, 10, 1, 1000, N_("Candles in the fast moving average"),
    N_("Fast Average") },
  { "slow", BOURSE_PARAM_INTEGER, 30, 2, 5000, N_("Candles in the slow moving average"),
    N_("Slow Average") },
};

static const char *
bourse_strategy_sma_cross_get_id (BourseStrategy *strategy)
{
  return "sma-cross";
}

static const char *
bourse_strategy_sma_cross_get_name (BourseStrategy *strategy)
{
  return _("Moving-average crossover");
}

static const char *
bourse_strategy_sma_cross_get_version (BourseStrategy *strategy)
{
  return "1";
}

static const BourseStrategyParam *
bourse_strategy_sma_cross_get_parameters (BourseStrategy *strategy,
                                          guint          *n_params)
{
  *n_params = G_N_ELEMENTS (parameters);
  return parameters;
}

static gboolean
bourse_strategy_sma_cross_check_parameters (BourseStrategy  *strategy,
                                            JsonObject      *params,
                                            char           **parameter,
                                            GError         **error)
{
  if (json_object_get_int_member (params, "fast") >= json_object_get_int_member (params, "slow"))
    {
      g_set_error (error, BOURSE_STRATEGY_ERROR, BOURSE_STRATEGY_ERROR_INVALID_PARAMETER,
                   _("Parameter “%s” must be smaller than “%s”"), "fast", "slow");
      if (parameter != NULL)
        *parameter = g_strdup ("fast");
      return FALSE;
    }
  return TRUE;
}

static guint
bourse_strategy_sma_cross_get_min_candles (BourseStrategy *strategy,
                                           JsonObject     *params)
{
  /* Both averages on the last two candles. */
  return _bourse_strategy_param_uint (params, "slow") + 1;
}

static gboolean
bourse_strategy_sma_cross_evaluate (BourseStrategy             *strategy,
                                    const BourseStrategyInput  *input,
                                    JsonObject                 *params,
                                    BourseSignal               *signal,
                                    GError                    **error)
{
  gsize n = input->n_candles;
  guint fast_period = _bourse_strategy_param_uint (params, "fast");
  guint slow_period = _bourse_strategy_param_uint (params, "slow");
  g_autofree double *fast = g_new (double, n);
  g_autofree double *slow = g_new (double, n);
  g_autofree double *atr = g_new (double, n);
  double now, before, confidence;

  bourse_indicator_sma (input->close, n, fast_period, fast);
  bourse_indicator_sma (input->close, n, slow_period, slow);
  bourse_indicator_atr (input->high, input->low, input->close, n, BOURSE_STRATEGY_ATR_PERIOD, atr);
  now = fast[n - 1] - slow[n - 1];
  before = fast[n - 2] - slow[n - 2];

  json_object_set_double_member (signal->metrics, "fast_sma", fast[n - 1]);
  json_object_set_double_member (signal->metrics, "slow_sma", slow[n - 1]);
  json_object_set_double_member (signal->metrics, "previous_fast_sma", fast[n - 2]);
  json_object_set_double_member (signal->metrics, "previous_slow_sma", slow[n - 2]);

  /* The gap the cross opened, in ATRs: a bigger one is a clearer cross. */
  confidence = atr[n - 1] > 0 ? _bourse_strategy_confidence (now / atr[n - 1]) : 0;
  if (before <= 0 && now > 0)
    _bourse_signal_decide (signal, BOURSE_DECISION_BUY, confidence,
                           _("SMA(%u) crossed above SMA(%u) on the last candle"), fast_period, slow_period);
  else if (before >= 0 && now < 0)
    _bourse_signal_decide (signal, BOURSE_DECISION_SELL, confidence,
                           _("SMA(%u) crossed below SMA(%u) on the last candle"), fast_period, slow_period);
  else if (now > 0)
    _bourse_signal_decide (signal, BOURSE_DECISION_NO_TRADE, 0,
                           _("No crossover on the last candle: SMA(%u) stays above SMA(%u)"),
                           fast_period, slow_period);
  else
    _bourse_signal_decide (signal, BOURSE_DECISION_NO_TRADE, 0,
                           _("No crossover on the last candle: SMA(%u) stays at or below SMA(%u)"),
                           fast_period, slow_period);
  return TRUE;
}

/*
 * The stream (docs/STRATEGIES.md, "Streams"). evaluate () restarts the
 * averages' running sums every period candles counted from the window's
 * start, so its averages at a candle depend on where the window starts, to
 * the last bits. The stream keeps cheaper running sums of its own and an
 * upper bound of the difference between its fast − slow and evaluate ()'s
 * at the last two candles; when both of its differences are further from
 * zero than that, on the same side, evaluate () sees the same signs: no
 * crossing, NO_TRADE. Otherwise (near or at a crossing) it computes the
 * averages exactly as evaluate () does, from the window.
 */

typedef struct
{
  guint     period;
  gboolean  valid;
  guint     age;        /* values added since the sum was computed afresh */
  double    sum;        /* of the last period closes */
} RollingSum;

typedef struct
{
  RollingSum        fast;
  RollingSum        slow;
  gboolean          previous_valid;
  double            previous;  /* fast − slow of the stream's sums, the candle before */

  BourseRollingMax  largest;   /* |close| */
  double           *scratch;   /* 2 slow */
} SmaCrossStream;

static void
rolling_sum_push (RollingSum   *rolling,
                  const double *close,
                  gsize         n)
{
  if (n < rolling->period)
    {
      rolling->valid = FALSE;
      return;
    }
  /* Afresh every period values: the error never builds up. */
  if (!rolling->valid || rolling->age >= rolling->period)
    {
      rolling->sum = 0;
      for (gsize i = n - rolling->period; i < n; i++)
        rolling->sum += close[i];
      rolling->age = 0;
      rolling->valid = TRUE;
      return;
    }
  rolling->sum += close[n - 1] - close[n - 1 - rolling->period];
  rolling->age++;
}

/* SMA(period) at the last two of close[0..n), n > period, exactly as
 * bourse_indicator_sma () over all n gives them: its sums restart every
 * period values from the first, so a suffix starting at a multiple of
 * period restarts at the same places and adds the same numbers. */
static void
sma_last_two (const double *close,
              gsize         n,
              guint         period,
              double       *scratch,
              double       *last,
              double       *previous)
{
  gsize skip = (n - 1 - period) / period * period;

  bourse_indicator_sma (close + skip, n - skip, period, scratch);
  *last = scratch[n - skip - 1];
  *previous = scratch[n - skip - 2];
}

static gpointer
bourse_strategy_sma_cross_stream_new (BourseStrategy *strategy,
                                      JsonObject     *params,
                                      guint           lookback)
{
  SmaCrossStream *self = g_new0 (SmaCrossStream, 1);

  self->fast.period = _bourse_strategy_param_uint (params, "fast");
  self->slow.period = _bourse_strategy_param_uint (params, "slow");
  /* Every close either side's sums or evaluate ()'s have used for the last
   * two candles is among the last 2 slow + 2. */
  _bourse_rolling_max_init (&self->largest, 2 * self->slow.period + 2);
  self->scratch = g_new (double, 2 * self->slow.period);
  return self;
}

static void
bourse_strategy_sma_cross_stream_free (BourseStrategy *strategy,
                                       gpointer        state)
{
  SmaCrossStream *self = state;

  _bourse_rolling_max_clear (&self->largest);
  g_free (self->scratch);
  g_free (self);
}

static void
bourse_strategy_sma_cross_stream_push (BourseStrategy        *strategy,
                                       BourseStrategyStream  *stream,
                                       gpointer               state,
                                       gboolean               decide,
                                       BourseDecision        *decision,
                                       double                *confidence)
{
  SmaCrossStream *self = state;
  const BourseStrategyInput *window = bourse_strategy_stream_get_window (stream);
  const double *close = window->close;
  gsize n = window->n_candles;
  guint fast_period = self->fast.period;
  guint slow_period = self->slow.period;
  gboolean now_valid;
  double now = 0, before, fast, slow, previous_fast, previous_slow, atr, atr_bound, bound;

  _bourse_rolling_max_push (&self->largest, close[n - 1]);
  rolling_sum_push (&self->fast, close, n);
  rolling_sum_push (&self->slow, close, n);
  now_valid = self->fast.valid && self->slow.valid;
  if (now_valid)
    now = self->fast.sum / fast_period - self->slow.sum / slow_period;

  if (decide)
    {
      /*
       * With M the largest |close| involved and u = 2^-53, evaluate ()'s
       * average of p differs from the true mean by at most (4p + 9) u M
       * (its sums of differences from a shift, at most p restarted and
       * p − 1 moved), the stream's by (2p + 3) u M, each difference by
       * 2 u M more: under (6 (fast + slow) + 24) u M in all. The bound
       * leaves room over that for the rounding of the bound itself.
       */
      bound = (8.0 * (fast_period + slow_period) + 32) * (DBL_EPSILON / 2)
              * _bourse_rolling_max_get (&self->largest);

      if (now_valid && self->previous_valid
          && fabs (now) > bound && fabs (self->previous) > bound
          && (now > 0) == (self->previous > 0))
        *decision = BOURSE_DECISION_NO_TRADE;
      else
        {
          sma_last_two (close, n, fast_period, self->scratch, &fast, &previous_fast);
          sma_last_two (close, n, slow_period, self->scratch, &slow, &previous_slow);
          now = fast - slow;
          before = previous_fast - previous_slow;
          if ((before <= 0 && now > 0) || (before >= 0 && now < 0))
            {
              /* The stream's own ATR when it is within 10^-12 of the
               * window's: the confidence moves by less than half that
               * (the slope of erf (x / √2) times x is at most 0.49). */
              atr = _bourse_strategy_stream_estimate_atr (stream, &atr_bound);
              if (!(atr_bound <= 1e-12 * atr))
                atr = bourse_strategy_stream_get_atr (stream);
              *decision = now > 0 ? BOURSE_DECISION_BUY : BOURSE_DECISION_SELL;
              *confidence = atr > 0 ? _bourse_strategy_confidence (now / atr) : 0;
            }
          else
            *decision = BOURSE_DECISION_NO_TRADE;
          /* The stream's own difference, not evaluate ()'s, is the next
           * candle's previous: the bound is about the stream's sums. */
          now = self->fast.sum / fast_period - self->slow.sum / slow_period;
        }
    }

  self->previous = now;
  self->previous_valid = now_valid;
}

static void
bourse_strategy_sma_cross_iface_init (BourseStrategyInterface *iface)
{
  iface->get_id = bourse_strategy_sma_cross_get_id;
  iface->get_name = bourse_strategy_sma_cross_get_name;
  iface->get_version = bourse_strategy_sma_cross_get_version;
  iface->get_parameters = bourse_strategy_sma_cross_get_parameters;
  iface->check_parameters = bourse_strategy_sma_cross_check_parameters;
  iface->get_min_candles = bourse_strategy_sma_cross_get_min_candles;
  iface->evaluate = bourse_strategy_sma_cross_evaluate;
  iface->stream_new = bourse_strategy_sma_cross_stream_new;
  iface->stream_push = bourse_strategy_sma_cross_stream_push;
  iface->stream_free = bourse_strategy_sma_cross_stream_free;
}

static void
bourse_strategy_sma_cross_class_init (BourseStrategySmaCrossClass *klass)
{
}

static void
bourse_strategy_sma_cross_init (BourseStrategySmaCross *self)
{
}
