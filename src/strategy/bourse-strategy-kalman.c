/* bourse-strategy-kalman.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Model B of seed 003: a local linear trend on the log closes, filtered by
 * Kalman; the filtered slope over its standard deviation is the trend
 * strength, and the signal is off while realised volatility is above its cap.
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "bourse-indicators.h"
#include "bourse-models.h"
#include "bourse-strategy-kalman.h"
#include "bourse-strategy-private.h"

struct _BourseStrategyKalman
{
  GObject parent_instance;
};

static void bourse_strategy_kalman_iface_init (BourseStrategyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseStrategyKalman, bourse_strategy_kalman, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_STRATEGY,
                                                      bourse_strategy_kalman_iface_init))

static const BourseStrategyParam parameters[] = {
  { "trend_threshold", BOURSE_PARAM_NUMBER, 2.0, 0, 100,
    N_("Trend strength (slope over its standard deviation) beyond which to buy or sell"),
    N_("Trend Threshold") },
  { "observation_variance", BOURSE_PARAM_NUMBER, 0, 0, 1,
    N_("Variance of the noise around the level, in squared log price; all three variances 0: estimated"),
    N_("Observation Variance") },
  { "level_variance", BOURSE_PARAM_NUMBER, 0, 0, 1,
    N_("Variance of the level’s steps, in squared log price; all three 0: estimated"),
    N_("Level Variance") },
  { "slope_variance", BOURSE_PARAM_NUMBER, 0, 0, 1,
    N_("Variance of the slope’s steps, in squared log price; all three 0: estimated"),
    N_("Slope Variance") },
  { "volatility_window", BOURSE_PARAM_INTEGER, 50, 2, 10000,
    N_("Candles over which realised volatility is measured"),
    N_("Volatility Window") },
  { "volatility_cap", BOURSE_PARAM_NUMBER, 0.05, 0.0001, 10,
    N_("Realised volatility per candle above which no trade is proposed (0.05 is 5%)"),
    N_("Volatility Cap") },
};

/* A fixed observation variance below this would make the filter's
 * likelihood terms overflow their blocks; it is 10⁻⁶ of a basis point. */
#define MIN_FIXED_OBSERVATION_VARIANCE 1e-16

static const char *
bourse_strategy_kalman_get_id (BourseStrategy *strategy)
{
  return "kalman";
}

static const char *
bourse_strategy_kalman_get_name (BourseStrategy *strategy)
{
  return _("Kalman trend");
}

static const char *
bourse_strategy_kalman_get_version (BourseStrategy *strategy)
{
  return "1";
}

static const BourseStrategyParam *
bourse_strategy_kalman_get_parameters (BourseStrategy *strategy,
                                       guint          *n_params)
{
  *n_params = G_N_ELEMENTS (parameters);
  return parameters;
}

static gboolean
variances_estimated (JsonObject *params)
{
  return json_object_get_double_member (params, "observation_variance") == 0
         && json_object_get_double_member (params, "level_variance") == 0
         && json_object_get_double_member (params, "slope_variance") == 0;
}

static gboolean
bourse_strategy_kalman_check_parameters (BourseStrategy  *strategy,
                                         JsonObject      *params,
                                         char           **parameter,
                                         GError         **error)
{
  if (!variances_estimated (params)
      && json_object_get_double_member (params, "observation_variance") < MIN_FIXED_OBSERVATION_VARIANCE)
    {
      g_set_error (error, BOURSE_STRATEGY_ERROR, BOURSE_STRATEGY_ERROR_INVALID_PARAMETER,
                   _("Parameter “%s” must be at least %g when the variances are fixed"),
                   "observation_variance", MIN_FIXED_OBSERVATION_VARIANCE);
      if (parameter != NULL)
        *parameter = g_strdup ("observation_variance");
      return FALSE;
    }
  return TRUE;
}

static guint
bourse_strategy_kalman_get_min_candles (BourseStrategy *strategy,
                                        JsonObject     *params)
{
  return MAX (30, _bourse_strategy_param_uint (params, "volatility_window") + 1);
}

static gboolean
bourse_strategy_kalman_evaluate (BourseStrategy             *strategy,
                                 const BourseStrategyInput  *input,
                                 JsonObject                 *params,
                                 BourseSignal               *signal,
                                 GError                    **error)
{
  gsize n = input->n_candles;
  double threshold = json_object_get_double_member (params, "trend_threshold");
  guint window = _bourse_strategy_param_uint (params, "volatility_window");
  double cap = json_object_get_double_member (params, "volatility_cap");
  gboolean estimated = variances_estimated (params);
  g_autofree double *y = g_new (double, n);
  g_autofree double *volatility = g_new (double, n);
  BourseLltVariances variances;
  BourseLltState state;
  double slope_sd, strength, vol, variance_values[3];
  gboolean fitted;

  for (gsize i = 0; i < n; i++)
    y[i] = log (input->close[i]);

  if (estimated)
    fitted = bourse_llt_fit (y, n, &variances, &state, NULL);
  else
    {
      variances.observation = json_object_get_double_member (params, "observation_variance");
      variances.level = json_object_get_double_member (params, "level_variance");
      variances.slope = json_object_get_double_member (params, "slope_variance");
      fitted = bourse_llt_filter (y, n, &variances, NULL, NULL, &state);
    }
  if (!fitted)
    {
      _bourse_signal_set_reason (signal, _("The trend model cannot be fitted to these prices"));
      return TRUE;
    }

  bourse_indicator_realized_volatility (input->close, n, window, volatility);
  vol = volatility[n - 1];
  slope_sd = sqrt (state.slope_var);
  strength = slope_sd > 0 ? state.slope / slope_sd : 0;
  variance_values[0] = variances.observation;
  variance_values[1] = variances.level;
  variance_values[2] = variances.slope;

  json_object_set_double_member (signal->metrics, "level", state.level);
  json_object_set_double_member (signal->metrics, "slope", state.slope);
  json_object_set_double_member (signal->metrics, "slope_sd", slope_sd);
  json_object_set_double_member (signal->metrics, "trend_strength", strength);
  _bourse_metrics_set_doubles (signal->metrics, "variances", variance_values, 3);
  json_object_set_boolean_member (signal->metrics, "variances_estimated", estimated);
  json_object_set_double_member (signal->metrics, "loglik", state.loglik);
  json_object_set_double_member (signal->metrics, "volatility", vol);

  if (!(slope_sd > 0))
    _bourse_signal_decide (signal, BOURSE_DECISION_NO_TRADE, 0,
                           _("The slope has no uncertainty to weigh it against"));
  else if (vol > cap)
    _bourse_signal_decide (signal, BOURSE_DECISION_NO_TRADE, 0,
                           /* Translators: percentages per candle. */
                           _("Realised volatility %.2f%% per candle is above the cap of %.2f%%: "
                             "no trend signal"),
                           100 * vol, 100 * cap);
  else if (strength > threshold)
    _bourse_signal_decide (signal, BOURSE_DECISION_BUY, _bourse_strategy_confidence (strength),
                           _("Trend strength %.2f is above %.2f: the filtered trend is up"),
                           strength, threshold);
  else if (strength < -threshold)
    _bourse_signal_decide (signal, BOURSE_DECISION_SELL, _bourse_strategy_confidence (strength),
                           _("Trend strength %.2f is below −%.2f: the filtered trend is down"),
                           strength, threshold);
  else
    _bourse_signal_decide (signal, BOURSE_DECISION_NO_TRADE, 0,
                           _("Trend strength %.2f is within ±%.2f"), strength, threshold);
  return TRUE;
}

static void
bourse_strategy_kalman_iface_init (BourseStrategyInterface *iface)
{
  iface->get_id = bourse_strategy_kalman_get_id;
  iface->get_name = bourse_strategy_kalman_get_name;
  iface->get_version = bourse_strategy_kalman_get_version;
  iface->get_parameters = bourse_strategy_kalman_get_parameters;
  iface->check_parameters = bourse_strategy_kalman_check_parameters;
  iface->get_min_candles = bourse_strategy_kalman_get_min_candles;
  iface->evaluate = bourse_strategy_kalman_evaluate;
}

static void
bourse_strategy_kalman_class_init (BourseStrategyKalmanClass *klass)
{
}

static void
bourse_strategy_kalman_init (BourseStrategyKalman *self)
{
}
