/* bourse-strategy-rsi.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The familiar baseline: Wilder's RSI of the closes below the oversold level
 * is a buy, above the overbought level a sell.
 */

#include "config.h"

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
    N_("Candles in Wilder’s smoothing (the RSI period)") },
  { "oversold", BOURSE_PARAM_NUMBER, 30, 0, 100, N_("RSI below which to buy") },
  { "overbought", BOURSE_PARAM_NUMBER, 70, 0, 100, N_("RSI above which to sell") },
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
}

static void
bourse_strategy_rsi_class_init (BourseStrategyRsiClass *klass)
{
}

static void
bourse_strategy_rsi_init (BourseStrategyRsi *self)
{
}
