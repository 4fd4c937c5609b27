/* bourse-strategy.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every strategy shares goes through here, so that a plugin cannot get
 * it wrong: parameter validation against the strategy's own description, the
 * checks of the candles, the sanitising of what the model returns, and the
 * levels (entry, stop-loss, take-profit on the tick grid).
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "bourse-indicators.h"
#include "bourse-strategy-ar.h"
#include "bourse-strategy-kalman.h"
#include "bourse-strategy-ou.h"
#include "bourse-strategy-private.h"
#include "bourse-strategy-rsi.h"
#include "bourse-strategy-sma-cross.h"

G_DEFINE_QUARK (bourse-strategy-error-quark, bourse_strategy_error)

G_DEFINE_INTERFACE (BourseStrategy, bourse_strategy, G_TYPE_OBJECT)

static const BourseStrategyParam level_params[] = {
  { "stop_atr", BOURSE_PARAM_NUMBER, 2.0, 0.1, 100.0,
    N_("Distance of the stop-loss from the entry, in multiples of the 14-candle ATR"),
    N_("Stop-Loss (ATR)") },
  { "target_atr", BOURSE_PARAM_NUMBER, 3.0, 0.1, 100.0,
    N_("Distance of the take-profit from the entry, in multiples of the 14-candle ATR"),
    N_("Take-Profit (ATR)") },
};

static void
bourse_strategy_default_init (BourseStrategyInterface *iface)
{
}

const char *
bourse_strategy_get_id (BourseStrategy *self)
{
  g_return_val_if_fail (BOURSE_IS_STRATEGY (self), NULL);

  return BOURSE_STRATEGY_GET_IFACE (self)->get_id (self);
}

const char *
bourse_strategy_get_name (BourseStrategy *self)
{
  g_return_val_if_fail (BOURSE_IS_STRATEGY (self), NULL);

  return BOURSE_STRATEGY_GET_IFACE (self)->get_name (self);
}

const char *
bourse_strategy_get_version (BourseStrategy *self)
{
  g_return_val_if_fail (BOURSE_IS_STRATEGY (self), NULL);

  if (BOURSE_STRATEGY_GET_IFACE (self)->get_version == NULL)
    return "1";
  return BOURSE_STRATEGY_GET_IFACE (self)->get_version (self);
}

static const BourseStrategyParam *
own_parameters (BourseStrategy *self,
                guint          *n_params)
{
  const BourseStrategyParam *params = NULL;

  *n_params = 0;
  if (BOURSE_STRATEGY_GET_IFACE (self)->get_parameters != NULL)
    params = BOURSE_STRATEGY_GET_IFACE (self)->get_parameters (self, n_params);
  if (params == NULL)
    *n_params = 0;
  return params;
}

/* The strategy's parameters, then the levels'; @i runs over both. */
static const BourseStrategyParam *
parameter_at (const BourseStrategyParam *own,
              guint                      n_own,
              guint                      i)
{
  if (i < n_own)
    return &own[i];
  i -= n_own;
  return i < G_N_ELEMENTS (level_params) ? &level_params[i] : NULL;
}

static void
set_param_value (JsonObject                *object,
                 const char                *member,
                 const BourseStrategyParam *param,
                 double                     value)
{
  switch (param->type)
    {
    case BOURSE_PARAM_INTEGER:
      json_object_set_int_member (object, member, (gint64) value);
      break;
    case BOURSE_PARAM_BOOLEAN:
      json_object_set_boolean_member (object, member, value != 0);
      break;
    case BOURSE_PARAM_NUMBER:
    default:
      json_object_set_double_member (object, member, value);
      break;
    }
}

JsonNode *
bourse_strategy_dup_parameters (BourseStrategy *self)
{
  g_autoptr(JsonObject) schema = json_object_new ();
  g_autoptr(JsonObject) properties = json_object_new ();
  const BourseStrategyParam *own, *param;
  JsonNode *node;
  guint n_own;

  g_return_val_if_fail (BOURSE_IS_STRATEGY (self), NULL);

  own = own_parameters (self, &n_own);
  for (guint i = 0; (param = parameter_at (own, n_own, i)) != NULL; i++)
    {
      g_autoptr(JsonObject) property = json_object_new ();
      static const char * const types[] = { "number", "integer", "boolean" };

      json_object_set_string_member (property, "type", types[param->type]);
      set_param_value (property, "default", param, param->default_value);
      if (param->type != BOURSE_PARAM_BOOLEAN)
        {
          set_param_value (property, "minimum", param, param->minimum);
          set_param_value (property, "maximum", param, param->maximum);
        }
      if (param->title != NULL)
        json_object_set_string_member (property, "title", _(param->title));
      if (param->description != NULL)
        json_object_set_string_member (property, "description", _(param->description));
      json_object_set_object_member (properties, param->name, g_steal_pointer (&property));
    }

  json_object_set_string_member (schema, "type", "object");
  json_object_set_object_member (schema, "properties", g_steal_pointer (&properties));
  json_object_set_boolean_member (schema, "additionalProperties", FALSE);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, g_steal_pointer (&schema));
  return node;
}

static gboolean
param_error (char       **parameter,
             GError     **error,
             const char  *name,
             const char  *message)
{
  g_set_error_literal (error, BOURSE_STRATEGY_ERROR, BOURSE_STRATEGY_ERROR_INVALID_PARAMETER, message);
  if (parameter != NULL)
    *parameter = g_strdup (name);
  return FALSE;
}

/* Reads @node as @param's type into *value; FALSE with the error otherwise. */
static gboolean
read_param (const BourseStrategyParam  *param,
            JsonNode                   *node,
            double                     *value,
            char                      **parameter,
            GError                    **error)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  g_autofree char *message = NULL;

  switch (param->type)
    {
    case BOURSE_PARAM_BOOLEAN:
      if (type != G_TYPE_BOOLEAN)
        {
          message = g_strdup_printf (_("Parameter “%s” must be true or false"), param->name);
          return param_error (parameter, error, param->name, message);
        }
      *value = json_node_get_boolean (node) ? 1 : 0;
      return TRUE;

    case BOURSE_PARAM_INTEGER:
      if (type == G_TYPE_INT64)
        *value = (double) json_node_get_int (node);
      else if (type == G_TYPE_DOUBLE && json_node_get_double (node) == floor (json_node_get_double (node)))
        *value = json_node_get_double (node);
      else
        {
          message = g_strdup_printf (_("Parameter “%s” must be an integer"), param->name);
          return param_error (parameter, error, param->name, message);
        }
      break;

    case BOURSE_PARAM_NUMBER:
    default:
      if (type == G_TYPE_INT64)
        *value = (double) json_node_get_int (node);
      else if (type == G_TYPE_DOUBLE)
        *value = json_node_get_double (node);
      else
        {
          message = g_strdup_printf (_("Parameter “%s” must be a number"), param->name);
          return param_error (parameter, error, param->name, message);
        }
      break;
    }

  if (!isfinite (*value) || *value < param->minimum || *value > param->maximum)
    {
      /* Translators: a strategy parameter's name, then its smallest and largest values. */
      message = g_strdup_printf (_("Parameter “%s” must be between %g and %g"),
                                 param->name, param->minimum, param->maximum);
      return param_error (parameter, error, param->name, message);
    }
  return TRUE;
}

JsonObject *
bourse_strategy_resolve_parameters (BourseStrategy  *self,
                                    JsonObject      *params,
                                    char           **parameter,
                                    GError         **error)
{
  g_autoptr(JsonObject) resolved = json_object_new ();
  const BourseStrategyParam *own, *param;
  guint n_own;

  g_return_val_if_fail (BOURSE_IS_STRATEGY (self), NULL);
  g_return_val_if_fail (parameter == NULL || *parameter == NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  own = own_parameters (self, &n_own);

  if (params != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, params);
      while (json_object_iter_next (&iter, &name, &node))
        {
          gboolean known = FALSE;

          for (guint i = 0; !known && (param = parameter_at (own, n_own, i)) != NULL; i++)
            known = strcmp (param->name, name) == 0;
          if (!known)
            {
              g_autofree char *message = g_strdup_printf (_("Unknown parameter “%s”"), name);

              param_error (parameter, error, name, message);
              return NULL;
            }
        }
    }

  for (guint i = 0; (param = parameter_at (own, n_own, i)) != NULL; i++)
    {
      JsonNode *node = params != NULL ? json_object_get_member (params, param->name) : NULL;
      double value = param->default_value;

      /* null asks for the default, as an emptied form field does. */
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node)
          && !read_param (param, node, &value, parameter, error))
        return NULL;
      set_param_value (resolved, param->name, param, value);
    }

  if (BOURSE_STRATEGY_GET_IFACE (self)->check_parameters != NULL
      && !BOURSE_STRATEGY_GET_IFACE (self)->check_parameters (self, resolved, parameter, error))
    return NULL;

  return g_steal_pointer (&resolved);
}

guint
_bourse_strategy_min_candles (BourseStrategy *self,
                              JsonObject     *resolved)
{
  guint min = BOURSE_STRATEGY_ATR_PERIOD + 1;

  if (BOURSE_STRATEGY_GET_IFACE (self)->get_min_candles != NULL)
    min = MAX (min, BOURSE_STRATEGY_GET_IFACE (self)->get_min_candles (self, resolved));
  return min;
}

guint
bourse_strategy_get_min_candles (BourseStrategy *self,
                                 JsonObject     *params)
{
  g_autoptr(JsonObject) resolved = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (BOURSE_IS_STRATEGY (self), 0);

  resolved = bourse_strategy_resolve_parameters (self, params, NULL, &error);
  g_return_val_if_fail (resolved != NULL, 0);
  return _bourse_strategy_min_candles (self, resolved);
}

void
_bourse_signal_set_reason (BourseSignal *signal,
                           const char   *format,
                           ...)
{
  va_list args;

  va_start (args, format);
  g_free (signal->reason);
  signal->reason = g_strdup_vprintf (format, args);
  va_end (args);
}

void
_bourse_signal_decide (BourseSignal   *signal,
                       BourseDecision  decision,
                       double          confidence,
                       const char     *format,
                       ...)
{
  va_list args;

  signal->decision = decision;
  signal->confidence = decision == BOURSE_DECISION_NO_TRADE ? 0 : confidence;
  va_start (args, format);
  g_free (signal->reason);
  signal->reason = g_strdup_vprintf (format, args);
  va_end (args);
}

void
_bourse_metrics_set_doubles (JsonObject   *metrics,
                             const char   *name,
                             const double *values,
                             gsize         n_values)
{
  JsonArray *array = json_array_sized_new (n_values);

  for (gsize i = 0; i < n_values; i++)
    json_array_add_double_element (array, values[i]);
  json_object_set_array_member (metrics, name, array);
}

double
_bourse_strategy_confidence (double score)
{
  double confidence = erf (fabs (score) / G_SQRT2);

  return isfinite (confidence) ? CLAMP (confidence, 0, 1) : (isnan (score) ? 0 : 1);
}

guint
_bourse_strategy_param_uint (JsonObject *params,
                             const char *name)
{
  return (guint) json_object_get_int_member (params, name);
}

double
_bourse_strategy_sample_sd (const double *values,
                            gsize         n)
{
  double mean = 0, ss = 0;

  if (n < 2)
    return 0;
  for (gsize i = 0; i < n; i++)
    mean += values[i];
  mean /= n;
  for (gsize i = 0; i < n; i++)
    ss += (values[i] - mean) * (values[i] - mean);
  return sqrt (ss / (n - 1));
}

/* The common checks; FALSE with the signal's reason set when the input is
 * not one a model can use. */
static gboolean
check_input (const BourseStrategyInput *input,
             guint                      min_candles,
             BourseSignal              *signal)
{
  gsize n = input->n_candles;
  gsize missing = 0, max_missing;
  gboolean moves = FALSE;

  if (n < min_candles)
    {
      /* Translators: the first number is the fewest candles the model needs. */
      _bourse_signal_set_reason (signal, _("The model needs at least %u candles; the window has %u"),
                                 min_candles, (guint) MIN (n, G_MAXUINT));
      return FALSE;
    }

  for (gsize i = 0; i < n; i++)
    {
      if (!_bourse_strategy_price_valid (input->open[i]) || !_bourse_strategy_price_valid (input->high[i])
          || !_bourse_strategy_price_valid (input->low[i]) || !_bourse_strategy_price_valid (input->close[i])
          || input->high[i] < input->low[i])
        {
          _bourse_signal_set_reason (signal, _("Candle %u of %u has a missing or invalid price"),
                                     (guint) i + 1, (guint) n);
          return FALSE;
        }
      if (input->volume != NULL && !(isfinite (input->volume[i]) && input->volume[i] >= 0))
        {
          _bourse_signal_set_reason (signal, _("Candle %u of %u has an invalid volume"),
                                     (guint) i + 1, (guint) n);
          return FALSE;
        }
      if (input->close[i] != input->close[0])
        moves = TRUE;
    }

  if (input->open_time != NULL)
    {
      max_missing = (gsize) (BOURSE_STRATEGY_MAX_MISSING_SHARE * n);
      for (gsize i = 0; i < n; i++)
        {
          gint64 t = input->open_time[i];
          gint64 next;

          if (t < BOURSE_TIME_MIN_MS || t > BOURSE_TIME_MAX_MS
              || (i > 0 && t <= input->open_time[i - 1]))
            {
              _bourse_signal_set_reason (signal,
                                         _("The candles are not in time order, or one is repeated"));
              return FALSE;
            }
          if (i == 0)
            continue;
          /* Bounded: it stops counting once there are too many. */
          next = bourse_interval_next (input->interval, input->open_time[i - 1]);
          while (next < t && missing <= max_missing)
            {
              missing++;
              next = bourse_interval_next (input->interval, next);
            }
          if (missing > max_missing)
            {
              _bourse_signal_set_reason (signal,
                                         _("Too many candles are missing in the window (more than 5%%)"));
              return FALSE;
            }
        }
    }

  if (!moves)
    {
      _bourse_signal_set_reason (signal, _("The price does not move: there is nothing to model"));
      return FALSE;
    }
  return TRUE;
}

/*
 * json-glib 1.6 writes a double whose shortest form has an exponent but no
 * point, such as 1e-08, as "1e-08.0", which no JSON parser reads. One ulp
 * towards zero (9.9999999999999995e-09) is the same number for every
 * purpose and is written correctly.
 */
static double
json_safe_double (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (buffer, sizeof buffer, value);
  if (strchr (buffer, 'e') != NULL && strchr (buffer, '.') == NULL)
    return nextafter (value, 0);
  return value;
}

/* Replaces every non-finite number in @node by null, TRUE if there was
 * one, and makes the others safe to write. */
static gboolean
sanitize_node (JsonNode *node)
{
  gboolean found = FALSE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        found |= sanitize_node (member);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        found |= sanitize_node (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      if (!isfinite (value))
        {
          json_node_init_null (node);
          found = TRUE;
        }
      else if (json_safe_double (value) != value)
        json_node_set_double (node, json_safe_double (value));
    }
  return found;
}

static gboolean
decimal_from_double (double          value,
                     BourseRounding  rounding,
                     BourseDecimal  *out)
{
  double units = value * (double) BOURSE_DECIMAL_UNIT;

  units = rounding == BOURSE_ROUND_FLOOR ? floor (units)
        : rounding == BOURSE_ROUND_CEILING ? ceil (units)
        : round (units);
  if (!isfinite (units) || fabs (units) >= 9.0e18)
    return FALSE;
  out->units = (gint64) units;
  return TRUE;
}

/*
 * Entry at the last close (to the nearest tick); stop-loss and take-profit
 * at stop_atr and target_atr ATRs from it, rounded on the safe side: so the
 * risk is never shown smaller, nor the reward larger, than the model's. For
 * a BUY both round down (the stop further, the target nearer), for a SELL
 * both round up.
 */
const char *
_bourse_strategy_place_levels (BourseDecision  decision,
                               double          last_close,
                               double          atr,
                               BourseDecimal   tick_size,
                               double          stop_atr,
                               double          target_atr,
                               BourseDecimal  *entry_out,
                               BourseDecimal  *stop_out,
                               BourseDecimal  *target_out,
                               double         *risk_reward)
{
  gboolean buy = decision == BOURSE_DECISION_BUY;
  BourseRounding rounding = buy ? BOURSE_ROUND_FLOOR : BOURSE_ROUND_CEILING;
  BourseDecimal entry, stop, target, risk, reward;
  double entry_value;

  if (tick_size.units <= 0)
    return _("The instrument has no tick size to place the levels on");
  if (!(atr > 0))
    return _("The candles have no range to place a stop-loss and take-profit from");

  if (!decimal_from_double (last_close, BOURSE_ROUND_HALF_EVEN, &entry)
      || !bourse_decimal_round_to_step (entry, tick_size, BOURSE_ROUND_HALF_EVEN, &entry, NULL)
      || entry.units <= 0)
    return _("The last price cannot be placed on the instrument’s tick grid");
  entry_value = bourse_decimal_to_double (entry);

  if (!decimal_from_double (buy ? entry_value - stop_atr * atr : entry_value + stop_atr * atr,
                            rounding, &stop)
      || !bourse_decimal_round_to_step (stop, tick_size, rounding, &stop, NULL)
      || !decimal_from_double (buy ? entry_value + target_atr * atr : entry_value - target_atr * atr,
                               rounding, &target)
      || !bourse_decimal_round_to_step (target, tick_size, rounding, &target, NULL))
    return _("The stop-loss or take-profit is out of the range of prices");

  if (buy && stop.units <= 0)
    return _("The stop-loss would be at or below zero");
  if (!buy && target.units <= 0)
    return _("The take-profit would be at or below zero");

  if (!bourse_decimal_sub (entry, stop, &risk, NULL) || !bourse_decimal_sub (target, entry, &reward, NULL))
    return _("The stop-loss or take-profit is out of the range of prices");
  if (risk.units == 0 || reward.units == 0)
    return _("The stop-loss or take-profit falls on the entry at this tick size");

  *entry_out = entry;
  *stop_out = stop;
  *target_out = target;
  *risk_reward = fabs (bourse_decimal_to_double (reward)) / fabs (bourse_decimal_to_double (risk));
  return NULL;
}

/* The levels from the window's ATR(14); NULL, or why none can be placed. */
static const char *
set_levels (const BourseStrategyInput *input,
            JsonObject                *params,
            BourseSignal              *signal)
{
  gsize n = input->n_candles;
  g_autofree double *atr_values = g_new (double, n);
  double atr;

  bourse_indicator_atr (input->high, input->low, input->close, n, BOURSE_STRATEGY_ATR_PERIOD, atr_values);
  atr = atr_values[n - 1];
  json_object_set_double_member (signal->metrics, "atr", atr);

  return _bourse_strategy_place_levels (signal->decision, input->close[n - 1], atr, input->tick_size,
                                        json_object_get_double_member (params, "stop_atr"),
                                        json_object_get_double_member (params, "target_atr"),
                                        &signal->entry, &signal->stop_loss, &signal->take_profit,
                                        &signal->risk_reward);
}

gboolean
bourse_strategy_evaluate (BourseStrategy             *self,
                          const BourseStrategyInput  *input,
                          JsonObject                 *params,
                          BourseSignal               *signal,
                          GError                    **error)
{
  g_autoptr(JsonObject) resolved = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) metrics_node = NULL;
  const char *no_levels;
  gboolean ok = TRUE;

  g_return_val_if_fail (BOURSE_IS_STRATEGY (self), FALSE);
  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (input->n_candles == 0
                        || (input->open != NULL && input->high != NULL
                            && input->low != NULL && input->close != NULL), FALSE);
  g_return_val_if_fail ((guint) input->interval < BOURSE_N_INTERVALS, FALSE);
  g_return_val_if_fail (signal != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bourse_signal_clear (signal);
  signal->metrics = json_object_new ();

  resolved = bourse_strategy_resolve_parameters (self, params, NULL, &local_error);
  if (resolved == NULL)
    ok = FALSE;
  else if (BOURSE_STRATEGY_GET_IFACE (self)->evaluate == NULL)
    ok = FALSE;
  else if (check_input (input, _bourse_strategy_min_candles (self, resolved), signal))
    ok = BOURSE_STRATEGY_GET_IFACE (self)->evaluate (self, input, resolved, signal, &local_error);

  if (!ok)
    {
      if (local_error == NULL)
        g_set_error (&local_error, BOURSE_STRATEGY_ERROR, BOURSE_STRATEGY_ERROR_FAILED,
                     _("Strategy “%s” failed"), bourse_strategy_get_id (self));
      bourse_signal_clear (signal);
      signal->metrics = json_object_new ();
      signal->reason = g_strdup (local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* A plugin's bug must not reach the API as NaN (invalid JSON) or as an
   * out-of-range value; the built-ins are tested never to need this. */
  if (signal->metrics == NULL)
    signal->metrics = json_object_new ();
  metrics_node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (metrics_node, signal->metrics);
  if (sanitize_node (metrics_node))
    g_warning ("Strategy %s returned non-finite metrics; they are null", bourse_strategy_get_id (self));
  if (signal->decision != BOURSE_DECISION_BUY && signal->decision != BOURSE_DECISION_SELL)
    signal->decision = BOURSE_DECISION_NO_TRADE;
  if (!isfinite (signal->confidence) || signal->confidence < 0 || signal->confidence > 1)
    {
      g_warning ("Strategy %s returned a confidence out of [0, 1]", bourse_strategy_get_id (self));
      signal->confidence = isfinite (signal->confidence) ? CLAMP (signal->confidence, 0, 1) : 0;
    }
  if (signal->reason == NULL)
    signal->reason = g_strdup (signal->decision == BOURSE_DECISION_NO_TRADE ? _("No trade") : "");

  if (signal->decision != BOURSE_DECISION_NO_TRADE
      && (no_levels = set_levels (input, resolved, signal)) != NULL)
    {
      signal->decision = BOURSE_DECISION_NO_TRADE;
      g_free (signal->reason);
      signal->reason = g_strdup (no_levels);
    }

  if (signal->decision == BOURSE_DECISION_NO_TRADE)
    {
      signal->entry = signal->stop_loss = signal->take_profit = BOURSE_DECIMAL_ZERO;
      signal->confidence = 0;
      signal->risk_reward = 0;
    }
  return TRUE;
}

static const struct
{
  const char *alias;
  const char *id;
} aliases[] = {
  { "A", "ar" },
  { "B", "kalman" },
  { "C", "ou" },
};

void
bourse_strategies_ensure (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      GIOExtensionPoint *point = g_io_extension_point_register (BOURSE_STRATEGY_EXTENSION_POINT_NAME);

      g_io_extension_point_set_required_type (point, BOURSE_TYPE_STRATEGY);
      /* Built-ins go through the same door as modules. */
      g_io_extension_point_implement (BOURSE_STRATEGY_EXTENSION_POINT_NAME,
                                      BOURSE_TYPE_STRATEGY_AR, "ar", 100);
      g_io_extension_point_implement (BOURSE_STRATEGY_EXTENSION_POINT_NAME,
                                      BOURSE_TYPE_STRATEGY_KALMAN, "kalman", 90);
      g_io_extension_point_implement (BOURSE_STRATEGY_EXTENSION_POINT_NAME,
                                      BOURSE_TYPE_STRATEGY_OU, "ou", 80);
      g_io_extension_point_implement (BOURSE_STRATEGY_EXTENSION_POINT_NAME,
                                      BOURSE_TYPE_STRATEGY_SMA_CROSS, "sma-cross", 70);
      g_io_extension_point_implement (BOURSE_STRATEGY_EXTENSION_POINT_NAME,
                                      BOURSE_TYPE_STRATEGY_RSI, "rsi", 60);
      bourse_plugins_load ();

      g_once_init_leave (&initialized, 1);
    }
}

const char *
bourse_strategy_resolve_id (const char *id_or_alias)
{
  GIOExtension *extension;

  g_return_val_if_fail (id_or_alias != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (aliases[i].alias, id_or_alias) == 0)
      return aliases[i].id;

  bourse_strategies_ensure ();
  extension = g_io_extension_point_get_extension_by_name (
    g_io_extension_point_lookup (BOURSE_STRATEGY_EXTENSION_POINT_NAME), id_or_alias);
  return extension != NULL ? g_io_extension_get_name (extension) : NULL;
}

BourseStrategy *
bourse_strategy_lookup (const char *id_or_alias)
{
  GIOExtension *extension;
  const char *id;

  g_return_val_if_fail (id_or_alias != NULL, NULL);

  if ((id = bourse_strategy_resolve_id (id_or_alias)) == NULL)
    return NULL;
  extension = g_io_extension_point_get_extension_by_name (
    g_io_extension_point_lookup (BOURSE_STRATEGY_EXTENSION_POINT_NAME), id);
  return g_object_new (g_io_extension_get_type (extension), NULL);
}

GPtrArray *
bourse_strategies_list (void)
{
  GPtrArray *strategies = g_ptr_array_new_with_free_func (g_object_unref);

  bourse_strategies_ensure ();
  for (const GList *l = g_io_extension_point_get_extensions (
         g_io_extension_point_lookup (BOURSE_STRATEGY_EXTENSION_POINT_NAME)); l != NULL; l = l->next)
    g_ptr_array_add (strategies, g_object_new (g_io_extension_get_type (l->data), NULL));
  return strategies;
}

BourseStrategyInput *
bourse_strategy_input_new (gsize n_candles)
{
  BourseStrategyInput *input = g_new0 (BourseStrategyInput, 1);

  input->n_candles = n_candles;
  input->open = g_new0 (double, MAX (n_candles, 1));
  input->high = g_new0 (double, MAX (n_candles, 1));
  input->low = g_new0 (double, MAX (n_candles, 1));
  input->close = g_new0 (double, MAX (n_candles, 1));
  input->volume = g_new0 (double, MAX (n_candles, 1));
  input->interval = BOURSE_INTERVAL_1M;
  return input;
}

BourseStrategyInput *
bourse_strategy_input_new_from_candles (const BourseCandle *candles,
                                        gsize               n_candles,
                                        BourseInterval      interval,
                                        BourseDecimal       tick_size)
{
  BourseStrategyInput *input;

  g_return_val_if_fail (candles != NULL || n_candles == 0, NULL);

  input = bourse_strategy_input_new (n_candles);
  input->open_time = g_new (gint64, MAX (n_candles, 1));
  input->interval = interval;
  input->tick_size = tick_size;
  for (gsize i = 0; i < n_candles; i++)
    {
      input->open_time[i] = candles[i].open_time;
      input->open[i] = bourse_decimal_to_double (candles[i].open);
      input->high[i] = bourse_decimal_to_double (candles[i].high);
      input->low[i] = bourse_decimal_to_double (candles[i].low);
      input->close[i] = bourse_decimal_to_double (candles[i].close);
      input->volume[i] = bourse_decimal_to_double (candles[i].volume);
    }
  return input;
}

void
bourse_strategy_input_free (BourseStrategyInput *input)
{
  if (input == NULL)
    return;
  g_free (input->open_time);
  g_free (input->open);
  g_free (input->high);
  g_free (input->low);
  g_free (input->close);
  g_free (input->volume);
  g_free (input);
}

const char *
bourse_decision_to_string (BourseDecision decision)
{
  switch (decision)
    {
    case BOURSE_DECISION_BUY:
      return "BUY";
    case BOURSE_DECISION_SELL:
      return "SELL";
    case BOURSE_DECISION_NO_TRADE:
    default:
      return "NO_TRADE";
    }
}

void
bourse_signal_clear (BourseSignal *signal)
{
  g_return_if_fail (signal != NULL);

  g_clear_pointer (&signal->reason, g_free);
  g_clear_pointer (&signal->metrics, json_object_unref);
  signal->decision = BOURSE_DECISION_NO_TRADE;
  signal->entry = signal->stop_loss = signal->take_profit = BOURSE_DECIMAL_ZERO;
  signal->confidence = 0;
  signal->risk_reward = 0;
}

static void
set_level (JsonObject         *object,
           const char         *name,
           const BourseSignal *signal,
           BourseDecimal       value)
{
  g_autofree char *text = NULL;

  if (signal->decision == BOURSE_DECISION_NO_TRADE)
    {
      json_object_set_null_member (object, name);
      return;
    }
  text = bourse_decimal_to_string (value);
  json_object_set_string_member (object, name, text);
}

JsonNode *
bourse_signal_to_json (const BourseSignal *signal)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node;

  g_return_val_if_fail (signal != NULL, NULL);

  json_object_set_string_member (object, "decision", bourse_decision_to_string (signal->decision));
  set_level (object, "entry", signal, signal->entry);
  set_level (object, "stop_loss", signal, signal->stop_loss);
  set_level (object, "take_profit", signal, signal->take_profit);
  json_object_set_double_member (object, "confidence", json_safe_double (signal->confidence));
  json_object_set_double_member (object, "risk_reward", json_safe_double (signal->risk_reward));
  json_object_set_string_member (object, "reason", signal->reason != NULL ? signal->reason : "");
  if (signal->metrics != NULL)
    json_object_set_object_member (object, "metrics", json_object_ref (signal->metrics));
  else
    json_object_set_object_member (object, "metrics", json_object_new ());

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, g_steal_pointer (&object));
  return node;
}
