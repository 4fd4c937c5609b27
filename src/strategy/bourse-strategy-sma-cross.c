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
  { "fast", BOURSE_PARAM_INTEGER, 10, 1, 1000, N_("Candles in the fast moving average") },
  { "slow", BOURSE_PARAM_INTEGER, 30, 2, 5000, N_("Candles in the slow moving average") },
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
}

static void
bourse_strategy_sma_cross_class_init (BourseStrategySmaCrossClass *klass)
{
}

static void
bourse_strategy_sma_cross_init (BourseStrategySmaCross *self)
{
}
