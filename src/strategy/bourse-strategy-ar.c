/* bourse-strategy-ar.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Model A of seed 003: an AR(p) on the differenced closes forecasts the next
 * h prices; the expected return to the last of them against a threshold
 * makes the decision.
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "bourse-models.h"
#include "bourse-strategy-ar.h"
#include "bourse-strategy-private.h"

struct _BourseStrategyAr
{
  GObject parent_instance;
};

static void bourse_strategy_ar_iface_init (BourseStrategyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseStrategyAr, bourse_strategy_ar, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_STRATEGY, bourse_strategy_ar_iface_init))

static const BourseStrategyParam parameters[] = {
  { "lags", BOURSE_PARAM_INTEGER, 4, 1, BOURSE_AR_MAX_LAGS,
    N_("Order p of the autoregression on the price changes"),
    N_("Lags") },
  { "horizon", BOURSE_PARAM_INTEGER, 5, 1, BOURSE_AR_MAX_HORIZON,
    N_("How many candles ahead to forecast"),
    N_("Horizon") },
  { "threshold", BOURSE_PARAM_NUMBER, 0.002, 0, 1,
    N_("Expected return over the horizon beyond which to buy or sell (0.002 is 0.2%)"),
    N_("Threshold") },
};

static const char *
bourse_strategy_ar_get_id (BourseStrategy *strategy)
{
  return "ar";
}

static const char *
bourse_strategy_ar_get_name (BourseStrategy *strategy)
{
  return _("AR forecast");
}

static const char *
bourse_strategy_ar_get_version (BourseStrategy *strategy)
{
  return "1";
}

static const BourseStrategyParam *
bourse_strategy_ar_get_parameters (BourseStrategy *strategy,
                                   guint          *n_params)
{
  *n_params = G_N_ELEMENTS (parameters);
  return parameters;
}

static guint
bourse_strategy_ar_get_min_candles (BourseStrategy *strategy,
                                    JsonObject     *params)
{
  guint lags = _bourse_strategy_param_uint (params, "lags");

  /* Five observations per coefficient, after the p differences the lags use up. */
  return 1 + lags + 5 * (lags + 1);
}

static gboolean
bourse_strategy_ar_evaluate (BourseStrategy             *strategy,
                             const BourseStrategyInput  *input,
                             JsonObject                 *params,
                             BourseSignal               *signal,
                             GError                    **error)
{
  guint lags = _bourse_strategy_param_uint (params, "lags");
  guint horizon = _bourse_strategy_param_uint (params, "horizon");
  double threshold = json_object_get_double_member (params, "threshold");
  double last = input->close[input->n_candles - 1];
  double expected_return, score, confidence;
  BourseArFit fit;

  if (!bourse_ar_fit (input->close, input->n_candles, lags, horizon, &fit))
    {
      _bourse_signal_set_reason (signal, _("The price changes do not vary enough to fit the AR model"));
      return TRUE;
    }

  expected_return = fit.forecast[horizon - 1] / last - 1;
  _bourse_metrics_set_doubles (signal->metrics, "coefficients", fit.coefficients, lags + 1);
  json_object_set_double_member (signal->metrics, "sigma2", fit.sigma2);
  _bourse_metrics_set_doubles (signal->metrics, "forecast", fit.forecast, horizon);
  json_object_set_double_member (signal->metrics, "expected_return", expected_return);
  json_object_set_double_member (signal->metrics, "forecast_sd", fit.forecast_sd);
  json_object_set_int_member (signal->metrics, "nobs", (gint64) fit.nobs);

  /* How many forecast standard deviations the predicted move is. */
  score = fit.forecast[horizon - 1] - last;
  confidence = fit.forecast_sd > 0 ? _bourse_strategy_confidence (score / fit.forecast_sd)
                                   : (score != 0 ? 1 : 0);

  if (expected_return > threshold)
    _bourse_signal_decide (signal, BOURSE_DECISION_BUY, confidence,
                           /* Translators: percentages with their sign, the number of candles ahead. */
                           _("Expected return of %+.2f%% over %u candles is above the %.2f%% threshold"),
                           100 * expected_return, horizon, 100 * threshold);
  else if (expected_return < -threshold)
    _bourse_signal_decide (signal, BOURSE_DECISION_SELL, confidence,
                           _("Expected return of %+.2f%% over %u candles is below the −%.2f%% threshold"),
                           100 * expected_return, horizon, 100 * threshold);
  else
    _bourse_signal_decide (signal, BOURSE_DECISION_NO_TRADE, 0,
                           _("Expected return of %+.2f%% over %u candles is within the ±%.2f%% threshold"),
                           100 * expected_return, horizon, 100 * threshold);
  return TRUE;
}

static void
bourse_strategy_ar_iface_init (BourseStrategyInterface *iface)
{
  iface->get_id = bourse_strategy_ar_get_id;
  iface->get_name = bourse_strategy_ar_get_name;
  iface->get_version = bourse_strategy_ar_get_version;
  iface->get_parameters = bourse_strategy_ar_get_parameters;
  iface->get_min_candles = bourse_strategy_ar_get_min_candles;
  iface->evaluate = bourse_strategy_ar_evaluate;
}

static void
bourse_strategy_ar_class_init (BourseStrategyArClass *klass)
{
}

static void
bourse_strategy_ar_init (BourseStrategyAr *self)
{
}
