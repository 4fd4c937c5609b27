/* bourse-strategy-ou.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Model C of seed 003: Ornstein–Uhlenbeck mean reversion. A log price far
 * from its rolling mean (|z| above the entry level) is expected to come
 * back, if the AR(1) fit of the log price says it reverts at all and fast
 * enough, and unless volatility has just jumped (short-window over
 * long-window volatility above its cap).
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "bourse-models.h"
#include "bourse-strategy-ou.h"
#include "bourse-strategy-private.h"

struct _BourseStrategyOu
{
  GObject parent_instance;
};

static void bourse_strategy_ou_iface_init (BourseStrategyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseStrategyOu, bourse_strategy_ou, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_STRATEGY, bourse_strategy_ou_iface_init))

static const BourseStrategyParam parameters[] = {
  { "window", BOURSE_PARAM_INTEGER, 20, 2, 10000,
    N_("Candles in the rolling mean and deviation the z-score is measured against"),
    N_("Window") },
  { "entry_z", BOURSE_PARAM_NUMBER, 2.0, 0, 100,
    N_("Z-score beyond which to trade against the move"),
    N_("Entry Z-Score") },
  { "max_half_life", BOURSE_PARAM_NUMBER, 100, 0, 1e6,
    N_("Longest half-life of a deviation, in candles, that still counts as mean reversion"),
    N_("Maximum Half-Life") },
  { "short_window", BOURSE_PARAM_INTEGER, 20, 2, 10000,
    N_("Candles in the short volatility window"),
    N_("Short Window") },
  { "long_window", BOURSE_PARAM_INTEGER, 100, 3, 100000,
    N_("Candles in the long volatility window"),
    N_("Long Window") },
  { "vol_ratio_cap", BOURSE_PARAM_NUMBER, 1.5, 0, 100,
    N_("Short over long volatility above which no trade is proposed"),
    N_("Volatility Ratio Cap") },
};

static const char *
bourse_strategy_ou_get_id (BourseStrategy *strategy)
{
  return "ou";
}

static const char *
bourse_strategy_ou_get_name (BourseStrategy *strategy)
{
  return _("Mean reversion (Ornstein–Uhlenbeck)");
}

static const char *
bourse_strategy_ou_get_version (BourseStrategy *strategy)
{
  return "1";
}

static const BourseStrategyParam *
bourse_strategy_ou_get_parameters (BourseStrategy *strategy,
                                   guint          *n_params)
{
  *n_params = G_N_ELEMENTS (parameters);
  return parameters;
}

static gboolean
bourse_strategy_ou_check_parameters (BourseStrategy  *strategy,
                                     JsonObject      *params,
                                     char           **parameter,
                                     GError         **error)
{
  if (json_object_get_int_member (params, "short_window")
      >= json_object_get_int_member (params, "long_window"))
    {
      g_set_error (error, BOURSE_STRATEGY_ERROR, BOURSE_STRATEGY_ERROR_INVALID_PARAMETER,
                   _("Parameter “%s” must be smaller than “%s”"), "short_window", "long_window");
      if (parameter != NULL)
        *parameter = g_strdup ("short_window");
      return FALSE;
    }
  return TRUE;
}

static guint
bourse_strategy_ou_get_min_candles (BourseStrategy *strategy,
                                    JsonObject     *params)
{
  guint window = _bourse_strategy_param_uint (params, "window");
  guint long_window = _bourse_strategy_param_uint (params, "long_window");

  return MAX (30, MAX (window, long_window + 1));
}

/* The sample standard deviation of the last @window log returns of @x. */
static double
returns_sd (const double *x,
            gsize         n,
            guint         window)
{
  g_autofree double *returns = g_new (double, window);

  for (guint i = 0; i < window; i++)
    returns[i] = x[n - window + i] - x[n - window + i - 1];
  return _bourse_strategy_sample_sd (returns, window);
}

static gboolean
bourse_strategy_ou_evaluate (BourseStrategy             *strategy,
                             const BourseStrategyInput  *input,
                             JsonObject                 *params,
                             BourseSignal               *signal,
                             GError                    **error)
{
  gsize n = input->n_candles;
  guint window = _bourse_strategy_param_uint (params, "window");
  double entry_z = json_object_get_double_member (params, "entry_z");
  double max_half_life = json_object_get_double_member (params, "max_half_life");
  guint short_window = _bourse_strategy_param_uint (params, "short_window");
  guint long_window = _bourse_strategy_param_uint (params, "long_window");
  double cap = json_object_get_double_member (params, "vol_ratio_cap");
  g_autofree double *x = g_new (double, n);
  double mean = 0, sd, z, short_sd, long_sd, vol_ratio;
  BourseOuFit fit;

  for (gsize i = 0; i < n; i++)
    x[i] = log (input->close[i]);

  if (!bourse_ou_fit (x, n, &fit))
    {
      _bourse_signal_set_reason (signal,
                                 _("The log price does not vary enough to fit the mean-reversion model"));
      return TRUE;
    }

  for (gsize i = n - window; i < n; i++)
    mean += x[i];
  mean /= window;
  sd = _bourse_strategy_sample_sd (x + n - window, window);
  z = sd > 0 ? (x[n - 1] - mean) / sd : 0;
  short_sd = returns_sd (x, n, short_window);
  long_sd = returns_sd (x, n, long_window);
  vol_ratio = long_sd > 0 ? short_sd / long_sd : 0;

  json_object_set_double_member (signal->metrics, "z", z);
  /* Without mean reversion (b ≤ 0 or b ≥ 1) the OU parameters do not exist. */
  if (fit.mean_reverting)
    {
      json_object_set_double_member (signal->metrics, "theta", fit.theta);
      json_object_set_double_member (signal->metrics, "mu", fit.mu);
      json_object_set_double_member (signal->metrics, "sigma", fit.sigma);
      json_object_set_double_member (signal->metrics, "half_life", fit.half_life);
    }
  else
    {
      json_object_set_null_member (signal->metrics, "theta");
      json_object_set_null_member (signal->metrics, "mu");
      json_object_set_null_member (signal->metrics, "sigma");
      json_object_set_null_member (signal->metrics, "half_life");
    }
  json_object_set_double_member (signal->metrics, "vol_ratio", vol_ratio);
  json_object_set_double_member (signal->metrics, "ar1", fit.b);

  if (!(long_sd > 0))
    _bourse_signal_decide (signal, BOURSE_DECISION_NO_TRADE, 0,
                           _("The price did not move over the last %u candles"), long_window);
  else if (!fit.mean_reverting)
    _bourse_signal_decide (signal, BOURSE_DECISION_NO_TRADE, 0,
                           /* Translators: %.4f is the fitted AR(1) coefficient b. */
                           _("No mean reversion: the log price’s AR(1) coefficient is %.4f"), fit.b);
  else if (fit.half_life > max_half_life)
    _bourse_signal_decide (signal, BOURSE_DECISION_NO_TRADE, 0,
                           _("Mean reversion is too slow: a half-life of %.1f candles is above %.1f"),
                           fit.half_life, max_half_life);
  else if (vol_ratio > cap)
    _bourse_signal_decide (signal, BOURSE_DECISION_NO_TRADE, 0,
                           _("Short-window volatility is %.2f× the long-window one, "
                             "above the cap of %.2f"),
                           vol_ratio, cap);
  else if (z < -entry_z)
    _bourse_signal_decide (signal, BOURSE_DECISION_BUY, _bourse_strategy_confidence (z),
                           _("Z-score %.2f is below −%.2f: the price is expected to revert up"),
                           z, entry_z);
  else if (z > entry_z)
    _bourse_signal_decide (signal, BOURSE_DECISION_SELL, _bourse_strategy_confidence (z),
                           _("Z-score %.2f is above %.2f: the price is expected to revert down"),
                           z, entry_z);
  else
    _bourse_signal_decide (signal, BOURSE_DECISION_NO_TRADE, 0,
                           _("Z-score %.2f is within ±%.2f"), z, entry_z);
  return TRUE;
}

static void
bourse_strategy_ou_iface_init (BourseStrategyInterface *iface)
{
  iface->get_id = bourse_strategy_ou_get_id;
  iface->get_name = bourse_strategy_ou_get_name;
  iface->get_version = bourse_strategy_ou_get_version;
  iface->get_parameters = bourse_strategy_ou_get_parameters;
  iface->check_parameters = bourse_strategy_ou_check_parameters;
  iface->get_min_candles = bourse_strategy_ou_get_min_candles;
  iface->evaluate = bourse_strategy_ou_evaluate;
}

static void
bourse_strategy_ou_class_init (BourseStrategyOuClass *klass)
{
}

static void
bourse_strategy_ou_init (BourseStrategyOu *self)
{
}
