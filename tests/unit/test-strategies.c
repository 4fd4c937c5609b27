/* test-strategies.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The built-in strategies: their models against the statsmodels references
 * in tests/data/strategy (made by make-fixtures.py there), their decisions on
 * constructed series, the levels and their rounding, parameter validation,
 * and every degenerate input.
 */

#include <math.h>
#include <string.h>

#include "strategy/bourse-models.h"
#include "strategy/bourse-strategy.h"

static const char * const builtin_ids[] = { "ar", "kalman", "ou", "sma-cross", "rsi" };

/* ---- helpers ---------------------------------------------------------- */

static JsonObject *
load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "strategy", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static double *
array_doubles (JsonObject *object,
               const char *member,
               gsize      *n)
{
  JsonArray *array = json_object_get_array_member (object, member);
  double *values;

  g_assert_nonnull (array);
  *n = json_array_get_length (array);
  values = g_new (double, MAX (*n, 1));
  for (gsize i = 0; i < *n; i++)
    values[i] = json_array_get_double_element (array, i);
  return values;
}

static void
assert_relative (double      actual,
                 double      expected,
                 double      tolerance,
                 const char *what)
{
  double error = fabs (actual - expected);

  if (!(error <= tolerance * fabs (expected)))
    g_error ("%s: %.17g, expected %.17g (relative error %.3g > %.3g)",
             what, actual, expected, error / fabs (expected), tolerance);
}

static void
assert_close (double      actual,
              double      expected,
              double      tolerance,
              const char *what)
{
  /* Relative for numbers of size, absolute near zero. */
  if (!(fabs (actual - expected) <= tolerance * MAX (1, fabs (expected))))
    g_error ("%s: %.17g, expected %.17g", what, actual, expected);
}

static double
metric (const BourseSignal *signal,
        const char         *name)
{
  g_assert_true (json_object_has_member (signal->metrics, name));
  return json_object_get_double_member (signal->metrics, name);
}

/* Candles around the closes: the open is the previous close, high and low
 * 0.2% beyond the body, so ATR and the checks have something to work on. */
static BourseStrategyInput *
input_from_closes (const double *close,
                   gsize         n,
                   const char   *tick)
{
  BourseStrategyInput *input = bourse_strategy_input_new (n);

  for (gsize i = 0; i < n; i++)
    {
      double open = i > 0 ? close[i - 1] : close[i];

      input->open[i] = open;
      input->close[i] = close[i];
      input->high[i] = MAX (open, close[i]) * 1.002;
      input->low[i] = MIN (open, close[i]) * 0.998;
      input->volume[i] = 1;
    }
  g_assert_true (bourse_decimal_parse (tick, &input->tick_size, NULL));
  return input;
}

static BourseStrategyInput *
input_from_fixture (JsonObject *fixture_case)
{
  gsize n;
  g_autofree double *close = array_doubles (fixture_case, "close", &n);

  return input_from_closes (close, n, "0.00000001");
}

/* A deterministic random walk: relative steps of ±step, plus drift. */
static double *
walk (guint32 seed,
      gsize   n,
      double  start,
      double  drift,
      double  step)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  double *close = g_new (double, n);

  close[0] = start;
  for (gsize i = 1; i < n; i++)
    close[i] = close[i - 1] * (1 + drift + step * g_rand_double_range (rand, -1, 1));
  return close;
}

static JsonObject *
params_from (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_node_finite (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        assert_node_finite (member);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        assert_node_finite (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    g_assert_true (isfinite (json_node_get_double (node)));
}

/* What every signal must be, whatever the input: finite, in range, levels
 * consistent with the decision, and valid JSON. */
static void
assert_signal_sane (const BourseSignal *signal)
{
  g_autoptr(JsonNode) node = bourse_signal_to_json (signal);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (signal->reason);
  g_assert_cmpstr (signal->reason, !=, "");
  g_assert_nonnull (signal->metrics);
  g_assert_true (isfinite (signal->confidence));
  g_assert_cmpfloat (signal->confidence, >=, 0);
  g_assert_cmpfloat (signal->confidence, <=, 1);
  g_assert_true (isfinite (signal->risk_reward));
  g_assert_cmpfloat (signal->risk_reward, >=, 0);

  switch (signal->decision)
    {
    case BOURSE_DECISION_BUY:
      g_assert_cmpint (signal->stop_loss.units, >, 0);
      g_assert_cmpint (signal->stop_loss.units, <, signal->entry.units);
      g_assert_cmpint (signal->entry.units, <, signal->take_profit.units);
      g_assert_cmpfloat (signal->risk_reward, >, 0);
      break;
    case BOURSE_DECISION_SELL:
      g_assert_cmpint (signal->take_profit.units, >, 0);
      g_assert_cmpint (signal->take_profit.units, <, signal->entry.units);
      g_assert_cmpint (signal->entry.units, <, signal->stop_loss.units);
      g_assert_cmpfloat (signal->risk_reward, >, 0);
      break;
    case BOURSE_DECISION_NO_TRADE:
      g_assert_true (bourse_decimal_is_zero (signal->entry));
      g_assert_true (bourse_decimal_is_zero (signal->stop_loss));
      g_assert_true (bourse_decimal_is_zero (signal->take_profit));
      g_assert_cmpfloat (signal->confidence, ==, 0);
      g_assert_cmpfloat (signal->risk_reward, ==, 0);
      break;
    default:
      g_assert_not_reached ();
    }

  assert_node_finite (node);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  json_parser_load_from_data (parser, text, -1, &error);
  if (error != NULL)
    g_error ("%s: %s", error->message, text);
}

static void
evaluate_ok (const char                *id,
             const BourseStrategyInput *input,
             const char                *params_json,
             BourseSignal              *signal)
{
  g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup (id);
  g_autoptr(JsonObject) params = params_json != NULL ? params_from (params_json) : NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (strategy);
  g_assert_true (bourse_strategy_evaluate (strategy, input, params, signal, &error));
  g_assert_no_error (error);
  assert_signal_sane (signal);
}

/* ---- a strategy of the test's own, on the extension point -------------- */

#define TEST_TYPE_FIXED_STRATEGY (test_fixed_strategy_get_type ())
G_DECLARE_FINAL_TYPE (TestFixedStrategy, test_fixed_strategy, TEST, FIXED_STRATEGY, GObject)

struct _TestFixedStrategy
{
  GObject parent_instance;
};

static void test_fixed_strategy_iface_init (BourseStrategyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestFixedStrategy, test_fixed_strategy, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_STRATEGY, test_fixed_strategy_iface_init))

enum { FAULT_NONE, FAULT_NAN_METRIC, FAULT_CONFIDENCE, FAULT_ERROR };

static const BourseStrategyParam fixed_parameters[] = {
  { "decision", BOURSE_PARAM_INTEGER, 0, 0, 2, "0 no trade, 1 buy, 2 sell" },
  { "fault", BOURSE_PARAM_INTEGER, 0, 0, 3, "what to get wrong" },
  { "flag", BOURSE_PARAM_BOOLEAN, 1, 0, 0, "a boolean" },
};

static const char *
fixed_get_id (BourseStrategy *strategy)
{
  return "test-fixed";
}

static const char *
fixed_get_name (BourseStrategy *strategy)
{
  return "Fixed";
}

static const BourseStrategyParam *
fixed_get_parameters (BourseStrategy *strategy,
                      guint          *n_params)
{
  *n_params = G_N_ELEMENTS (fixed_parameters);
  return fixed_parameters;
}

static gboolean
fixed_evaluate (BourseStrategy             *strategy,
                const BourseStrategyInput  *input,
                JsonObject                 *params,
                BourseSignal               *signal,
                GError                    **error)
{
  gint64 fault = json_object_get_int_member (params, "fault");

  if (fault == FAULT_ERROR)
    {
      g_set_error_literal (error, BOURSE_STRATEGY_ERROR, BOURSE_STRATEGY_ERROR_FAILED, "the model broke");
      return FALSE;
    }
  signal->decision = (BourseDecision) json_object_get_int_member (params, "decision");
  signal->confidence = fault == FAULT_CONFIDENCE ? 1.5 : 0.5;
  signal->reason = g_strdup ("fixed");
  json_object_set_double_member (signal->metrics, "value", fault == FAULT_NAN_METRIC ? NAN : 1.0);
  return TRUE;
}

static void
test_fixed_strategy_iface_init (BourseStrategyInterface *iface)
{
  iface->get_id = fixed_get_id;
  iface->get_name = fixed_get_name;
  iface->get_parameters = fixed_get_parameters;
  iface->evaluate = fixed_evaluate;
}

static void
test_fixed_strategy_class_init (TestFixedStrategyClass *klass)
{
}

static void
test_fixed_strategy_init (TestFixedStrategy *self)
{
}

/* ---- registry ------------------------------------------------------------ */

static void
test_registry (void)
{
  g_autoptr(GPtrArray) strategies = bourse_strategies_list ();
  static const struct { const char *name; const char *id; } names[] = {
    { "A", "ar" }, { "a", "ar" }, { "B", "kalman" }, { "b", "kalman" }, { "C", "ou" },
    { "ar", "ar" }, { "kalman", "kalman" }, { "ou", "ou" }, { "sma-cross", "sma-cross" },
    { "rsi", "rsi" }, { "test-fixed", "test-fixed" },
  };

  /* The built-ins first, by priority, then the test's own (priority 10). */
  g_assert_cmpuint (strategies->len, ==, G_N_ELEMENTS (builtin_ids) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (builtin_ids); i++)
    {
      BourseStrategy *strategy = g_ptr_array_index (strategies, i);

      g_assert_cmpstr (bourse_strategy_get_id (strategy), ==, builtin_ids[i]);
      g_assert_cmpstr (bourse_strategy_get_name (strategy), !=, "");
      g_assert_cmpstr (bourse_strategy_get_version (strategy), ==, "1");
    }
  g_assert_cmpstr (bourse_strategy_get_id (g_ptr_array_index (strategies, 5)), ==, "test-fixed");
  /* Without get_version, a plugin is version 1. */
  g_assert_cmpstr (bourse_strategy_get_version (g_ptr_array_index (strategies, 5)), ==, "1");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup (names[i].name);

      g_assert_cmpstr (bourse_strategy_resolve_id (names[i].name), ==, names[i].id);
      g_assert_nonnull (strategy);
      g_assert_cmpstr (bourse_strategy_get_id (strategy), ==, names[i].id);
    }
  g_assert_null (bourse_strategy_lookup ("D"));
  g_assert_null (bourse_strategy_lookup ("AR"));
  g_assert_null (bourse_strategy_lookup (""));
  g_assert_null (bourse_strategy_resolve_id ("arima"));
}

/* ---- parameters ------------------------------------------------------------ */

static void
test_parameters_schema (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (builtin_ids); i++)
    {
      g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup (builtin_ids[i]);
      g_autoptr(JsonNode) schema = bourse_strategy_dup_parameters (strategy);
      g_autoptr(JsonObject) defaults = bourse_strategy_resolve_parameters (strategy, NULL, NULL, NULL);
      JsonObject *object = json_node_get_object (schema);
      JsonObject *properties = json_object_get_object_member (object, "properties");
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "object");
      g_assert_false (json_object_get_boolean_member (object, "additionalProperties"));
      g_assert_cmpfloat (json_object_get_double_member (
        json_object_get_object_member (properties, "stop_atr"), "default"), ==, 2);
      g_assert_cmpfloat (json_object_get_double_member (
        json_object_get_object_member (properties, "target_atr"), "default"), ==, 3);

      json_object_iter_init (&iter, properties);
      while (json_object_iter_next (&iter, &name, &node))
        {
          JsonObject *property = json_node_get_object (node);
          const char *type = json_object_get_string_member (property, "type");
          double value = json_object_get_double_member (property, "default");

          g_assert_true (g_str_equal (type, "number") || g_str_equal (type, "integer"));
          g_assert_cmpstr (json_object_get_string_member (property, "description"), !=, "");
          g_assert_cmpfloat (value, >=, json_object_get_double_member (property, "minimum"));
          g_assert_cmpfloat (value, <=, json_object_get_double_member (property, "maximum"));
          /* The defaults resolve to the described defaults. */
          g_assert_cmpfloat (json_object_get_double_member (defaults, name), ==, value);
        }
      g_assert_cmpuint (json_object_get_size (defaults), ==, json_object_get_size (properties));
    }

  {
    g_autoptr(BourseStrategy) fixed = bourse_strategy_lookup ("test-fixed");
    g_autoptr(JsonNode) schema = bourse_strategy_dup_parameters (fixed);
    JsonObject *flag = json_object_get_object_member (
      json_object_get_object_member (json_node_get_object (schema), "properties"), "flag");

    g_assert_cmpstr (json_object_get_string_member (flag, "type"), ==, "boolean");
    g_assert_true (json_object_get_boolean_member (flag, "default"));
    g_assert_false (json_object_has_member (flag, "minimum"));
  }
}

static void
assert_invalid (const char *id,
                const char *params_json,
                const char *parameter)
{
  g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup (id);
  g_autoptr(JsonObject) params = params_from (params_json);
  g_autoptr(GError) error = NULL;
  g_autofree char *blamed = NULL;
  g_autoptr(JsonObject) resolved = bourse_strategy_resolve_parameters (strategy, params, &blamed, &error);
  g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;
  g_autoptr(BourseStrategyInput) input = NULL;
  g_autofree double *close = walk (1, 300, 100, 0, 0.01);

  g_assert_null (resolved);
  g_assert_error (error, BOURSE_STRATEGY_ERROR, BOURSE_STRATEGY_ERROR_INVALID_PARAMETER);
  g_assert_cmpstr (blamed, ==, parameter);
  g_assert_nonnull (strstr (error->message, parameter));
  g_clear_error (&error);

  /* Evaluate refuses them too, and leaves a usable NO_TRADE behind. */
  input = input_from_closes (close, 300, "0.01");
  g_assert_false (bourse_strategy_evaluate (strategy, input, params, &signal, &error));
  g_assert_error (error, BOURSE_STRATEGY_ERROR, BOURSE_STRATEGY_ERROR_INVALID_PARAMETER);
  g_assert_cmpint (signal.decision, ==, BOURSE_DECISION_NO_TRADE);
  g_assert_cmpstr (signal.reason, ==, error->message);
  g_assert_nonnull (signal.metrics);
}

static void
test_parameters_validation (void)
{
  assert_invalid ("ar", "{\"lag\": 4}", "lag");
  assert_invalid ("ar", "{\"lags\": \"4\"}", "lags");
  assert_invalid ("ar", "{\"lags\": 0}", "lags");
  assert_invalid ("ar", "{\"lags\": 21}", "lags");
  assert_invalid ("ar", "{\"lags\": 4.5}", "lags");
  assert_invalid ("ar", "{\"lags\": true}", "lags");
  assert_invalid ("ar", "{\"threshold\": -0.1}", "threshold");
  assert_invalid ("ar", "{\"threshold\": [1]}", "threshold");
  assert_invalid ("ar", "{\"stop_atr\": 0}", "stop_atr");
  assert_invalid ("ou", "{\"target_atr\": 1000}", "target_atr");
  assert_invalid ("kalman", "{\"trend_threshold\": \"high\"}", "trend_threshold");
  assert_invalid ("kalman", "{\"level_variance\": 0.0001}", "observation_variance");
  assert_invalid ("kalman", "{\"volatility_window\": 1}", "volatility_window");
  assert_invalid ("ou", "{\"short_window\": 100, \"long_window\": 100}", "short_window");
  assert_invalid ("sma-cross", "{\"fast\": 30, \"slow\": 20}", "fast");
  assert_invalid ("rsi", "{\"oversold\": 70, \"overbought\": 30}", "oversold");
  assert_invalid ("test-fixed", "{\"flag\": 1}", "flag");

  /* Accepted: integers written as 4.0, numbers as integers, null for the
   * default. */
  {
    g_autoptr(BourseStrategy) ar = bourse_strategy_lookup ("ar");
    g_autoptr(JsonObject) params = params_from ("{\"lags\": 6.0, \"threshold\": 1, \"horizon\": null}");
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonObject) resolved = bourse_strategy_resolve_parameters (ar, params, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (json_object_get_int_member (resolved, "lags"), ==, 6);
    g_assert_cmpfloat (json_object_get_double_member (resolved, "threshold"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (resolved, "horizon"), ==, 5);
    g_assert_cmpfloat (json_object_get_double_member (resolved, "stop_atr"), ==, 2);
  }
}

static void
test_min_candles (void)
{
  static const struct { const char *id; const char *params; guint min; } cases[] = {
    { "ar", NULL, 30 },                                   /* 1 + 4 + 5 × 5 */
    { "ar", "{\"lags\": 1}", 15 },                        /* the ATR's 15 */
    { "kalman", NULL, 51 },
    { "ou", NULL, 101 },
    { "sma-cross", NULL, 31 },
    { "rsi", NULL, 16 },
    { "rsi", "{\"period\": 2}", 15 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup (cases[i].id);
      g_autoptr(JsonObject) params = cases[i].params != NULL ? params_from (cases[i].params) : NULL;
      guint min = bourse_strategy_get_min_candles (strategy, params);
      g_autofree double *close = walk (i + 1, min, 100, 0, 0.01);
      g_autoptr(BourseStrategyInput) enough = input_from_closes (close, min, "0.01");
      g_autoptr(BourseStrategyInput) short_ = input_from_closes (close, min - 1, "0.01");
      g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;

      g_assert_cmpuint (min, ==, cases[i].min);
      /* With exactly the minimum the model runs (it fills its metrics); one
       * less is a NO_TRADE before it does. */
      evaluate_ok (cases[i].id, enough, cases[i].params, &signal);
      g_assert_cmpuint (json_object_get_size (signal.metrics), >, 1);
      evaluate_ok (cases[i].id, short_, cases[i].params, &signal);
      g_assert_cmpint (signal.decision, ==, BOURSE_DECISION_NO_TRADE);
      g_assert_cmpuint (json_object_get_size (signal.metrics), ==, 0);
    }
}

/* ---- the models against the references ---------------------------------- */

static void
test_ar_reference (void)
{
  g_autoptr(JsonObject) fixture = load_fixture ("ar.json");
  JsonArray *cases = json_object_get_array_member (fixture, "cases");

  g_assert_cmpuint (json_array_get_length (cases), >=, 5);
  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *fc = json_array_get_object_element (cases, c);
      const char *name = json_object_get_string_member (fc, "name");
      guint lags = json_object_get_int_member (fc, "lags");
      guint horizon = json_object_get_int_member (fc, "horizon");
      gsize n, n_coefficients, n_forecast;
      g_autofree double *close = array_doubles (fc, "close", &n);
      g_autofree double *coefficients = array_doubles (fc, "coefficients", &n_coefficients);
      g_autofree double *forecast = array_doubles (fc, "forecast", &n_forecast);
      g_autoptr(BourseStrategyInput) input = input_from_fixture (fc);
      g_autofree char *params = g_strdup_printf ("{\"lags\": %u, \"horizon\": %u}", lags, horizon);
      g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;
      JsonArray *metric_coefficients, *metric_forecast;
      BourseArFit fit;

      g_test_message ("AR case %s", name);
      g_assert_true (bourse_ar_fit (close, n, lags, horizon, &fit));
      g_assert_cmpuint (fit.nobs, ==, json_object_get_int_member (fc, "nobs"));
      g_assert_cmpuint (n_coefficients, ==, lags + 1);
      for (guint i = 0; i <= lags; i++)
        assert_relative (fit.coefficients[i], coefficients[i], 1e-8, "AR coefficient");
      assert_relative (fit.sigma2, json_object_get_double_member (fc, "sigma2"), 1e-8, "AR sigma2");
      g_assert_cmpuint (n_forecast, ==, horizon);
      for (guint j = 0; j < horizon; j++)
        assert_relative (fit.forecast[j], forecast[j], 1e-8, "AR forecast");

      /* The same numbers through the plugin. */
      evaluate_ok ("ar", input, params, &signal);
      metric_coefficients = json_object_get_array_member (signal.metrics, "coefficients");
      metric_forecast = json_object_get_array_member (signal.metrics, "forecast");
      g_assert_cmpuint (json_array_get_length (metric_coefficients), ==, lags + 1);
      g_assert_cmpuint (json_array_get_length (metric_forecast), ==, horizon);
      for (guint i = 0; i <= lags; i++)
        assert_relative (json_array_get_double_element (metric_coefficients, i), coefficients[i], 1e-8,
                         "AR coefficient metric");
      for (guint j = 0; j < horizon; j++)
        assert_relative (json_array_get_double_element (metric_forecast, j), forecast[j], 1e-8,
                         "AR forecast metric");
      assert_relative (metric (&signal, "sigma2"), json_object_get_double_member (fc, "sigma2"), 1e-8,
                       "AR sigma2 metric");
      assert_close (metric (&signal, "expected_return"), forecast[horizon - 1] / close[n - 1] - 1, 1e-12,
                    "AR expected return");
    }
}

static void
test_kalman_reference (void)
{
  g_autoptr(JsonObject) fixture = load_fixture ("kalman.json");
  JsonArray *cases = json_object_get_array_member (fixture, "cases");

  g_assert_cmpuint (json_array_get_length (cases), >=, 3);
  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *fc = json_array_get_object_element (cases, c);
      gsize n, k;
      g_autofree double *close = array_doubles (fc, "close", &n);
      g_autofree double *v = array_doubles (fc, "variances", &k);
      g_autofree double *level = array_doubles (fc, "level", &k);
      g_autofree double *slope = array_doubles (fc, "slope", &k);
      g_autofree double *covariance = array_doubles (fc, "final_covariance", &k);
      g_autofree double *y = g_new (double, n);
      g_autofree double *level_path = g_new (double, n);
      g_autofree double *slope_path = g_new (double, n);
      g_autoptr(BourseStrategyInput) input = input_from_fixture (fc);
      g_autofree char *params = NULL;
      g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;
      BourseLltVariances variances = { v[0], v[1], v[2] };
      BourseLltState state;
      JsonArray *metric_variances;

      g_test_message ("Kalman case %s", json_object_get_string_member (fc, "name"));
      for (gsize i = 0; i < n; i++)
        y[i] = log (close[i]);
      g_assert_true (bourse_llt_filter (y, n, &variances, level_path, slope_path, &state));
      for (gsize i = 0; i < n; i++)
        {
          assert_close (level_path[i], level[i], 1e-9, "filtered level");
          assert_close (slope_path[i], slope[i], 1e-9, "filtered slope");
        }
      assert_relative (state.level_var, covariance[0], 1e-8, "level variance");
      assert_relative (state.covariance, covariance[1], 1e-8, "level-slope covariance");
      assert_relative (state.slope_var, covariance[2], 1e-8, "slope variance");
      assert_relative (state.loglik, json_object_get_double_member (fc, "loglik"), 1e-10, "log-likelihood");

      /* Through the plugin with the same fixed variances. */
      params = g_strdup_printf ("{\"observation_variance\": %.17g, \"level_variance\": %.17g, "
                                "\"slope_variance\": %.17g, \"volatility_cap\": 10}", v[0], v[1], v[2]);
      evaluate_ok ("kalman", input, params, &signal);
      assert_close (metric (&signal, "level"), level[n - 1], 1e-9, "level metric");
      assert_close (metric (&signal, "slope"), slope[n - 1], 1e-9, "slope metric");
      assert_relative (metric (&signal, "slope_sd"), sqrt (covariance[2]), 1e-8, "slope_sd metric");
      assert_relative (metric (&signal, "trend_strength"), slope[n - 1] / sqrt (covariance[2]), 1e-8,
                       "trend_strength metric");
      assert_relative (metric (&signal, "loglik"), json_object_get_double_member (fc, "loglik"), 1e-10,
                       "loglik metric");
      metric_variances = json_object_get_array_member (signal.metrics, "variances");
      /* Equal but for the ulp that keeps 1e-08 writable as JSON. */
      for (guint i = 0; i < 3; i++)
        assert_relative (json_array_get_double_element (metric_variances, i), v[i], 1e-15, "variance metric");
      g_assert_false (json_object_get_boolean_member (signal.metrics, "variances_estimated"));

      /* Maximum likelihood: at least as likely as what statsmodels'
       * optimiser found (it may stop a little short; we must not). */
      if (json_object_has_member (fc, "ml"))
        {
          JsonObject *ml = json_object_get_object_member (fc, "ml");
          double reference = json_object_get_double_member (ml, "loglik");
          g_auto(BourseSignal) estimated = BOURSE_SIGNAL_INIT;
          guint evaluations;

          g_assert_true (bourse_llt_fit (y, n, &variances, &state, &evaluations));
          g_test_message ("ML: %u evaluations, log-likelihood %.10g (statsmodels %.10g)",
                          evaluations, state.loglik, reference);
          g_assert_cmpfloat (state.loglik, >=, reference - 1e-6 * fabs (reference));
          g_assert_cmpuint (evaluations, <, 1000);

          evaluate_ok ("kalman", input, "{\"volatility_cap\": 10}", &estimated);
          g_assert_true (json_object_get_boolean_member (estimated.metrics, "variances_estimated"));
          assert_relative (metric (&estimated, "loglik"), state.loglik, 1e-12, "ML loglik metric");
        }
    }
}

static void
test_ou_reference (void)
{
  g_autoptr(JsonObject) fixture = load_fixture ("ou.json");
  JsonArray *cases = json_object_get_array_member (fixture, "cases");

  g_assert_cmpuint (json_array_get_length (cases), >=, 3);
  for (guint c = 0; c < json_array_get_length (cases); c++)
    {
      JsonObject *fc = json_array_get_object_element (cases, c);
      gsize n;
      g_autofree double *close = array_doubles (fc, "close", &n);
      g_autofree double *x = g_new (double, n);
      g_autoptr(BourseStrategyInput) input = input_from_fixture (fc);
      g_autofree char *params = g_strdup_printf (
        "{\"window\": %" G_GINT64_FORMAT ", \"short_window\": %" G_GINT64_FORMAT ", "
        "\"long_window\": %" G_GINT64_FORMAT "}",
        json_object_get_int_member (fc, "window"), json_object_get_int_member (fc, "short_window"),
        json_object_get_int_member (fc, "long_window"));
      g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;
      BourseOuFit fit;

      g_test_message ("OU case %s", json_object_get_string_member (fc, "name"));
      for (gsize i = 0; i < n; i++)
        x[i] = log (close[i]);
      g_assert_true (bourse_ou_fit (x, n, &fit));
      assert_relative (fit.a, json_object_get_double_member (fc, "a"), 1e-8, "OU a");
      assert_relative (fit.b, json_object_get_double_member (fc, "b"), 1e-8, "OU b");
      assert_relative (fit.residual_variance, json_object_get_double_member (fc, "residual_variance"), 1e-8,
                       "OU residual variance");
      g_assert_cmpint (fit.mean_reverting, ==, json_object_get_boolean_member (fc, "mean_reverting"));

      evaluate_ok ("ou", input, params, &signal);
      assert_relative (metric (&signal, "z"), json_object_get_double_member (fc, "z"), 1e-8, "z");
      assert_relative (metric (&signal, "vol_ratio"), json_object_get_double_member (fc, "vol_ratio"), 1e-8,
                       "vol_ratio");
      if (fit.mean_reverting)
        {
          static const char * const names[] = { "theta", "mu", "sigma", "half_life" };
          double fitted[] = { fit.theta, fit.mu, fit.sigma, fit.half_life };

          for (guint i = 0; i < G_N_ELEMENTS (names); i++)
            {
              assert_relative (fitted[i], json_object_get_double_member (fc, names[i]), 1e-8, names[i]);
              assert_relative (metric (&signal, names[i]), json_object_get_double_member (fc, names[i]), 1e-8,
                               names[i]);
            }
        }
    }
}

/* ---- decisions on constructed series --------------------------------- */

static BourseDecision
decide (const char   *id,
        const double *close,
        gsize         n,
        const char   *params,
        BourseSignal *signal)
{
  g_autoptr(BourseStrategyInput) input = input_from_closes (close, n, "0.01");

  evaluate_ok (id, input, params, signal);
  g_test_message ("%s %s: %s", id, params != NULL ? params : "{}", signal->reason);
  return signal->decision;
}

static void
test_ar_decisions (void)
{
  const gsize n = 200;
  g_autofree double *up = walk (11, n, 100, 0.004, 0.002);
  g_autofree double *down = walk (12, n, 100, -0.004, 0.002);
  g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;

  g_assert_cmpint (decide ("ar", up, n, NULL, &signal), ==, BOURSE_DECISION_BUY);
  g_assert_cmpfloat (metric (&signal, "expected_return"), >, 0.002);
  g_assert_cmpfloat (signal.confidence, >, 0);
  g_assert_cmpint (decide ("ar", down, n, NULL, &signal), ==, BOURSE_DECISION_SELL);
  g_assert_cmpfloat (metric (&signal, "expected_return"), <, -0.002);
  /* A threshold the forecast cannot reach. */
  g_assert_cmpint (decide ("ar", up, n, "{\"threshold\": 0.5}", &signal), ==, BOURSE_DECISION_NO_TRADE);
  g_assert_cmpfloat (metric (&signal, "expected_return"), >, 0.002);
}

static void
test_kalman_decisions (void)
{
  const gsize n = 300;
  g_autofree double *up = walk (21, n, 100, 0.003, 0.004);
  g_autofree double *down = walk (22, n, 100, -0.003, 0.004);
  g_autofree double *flat = g_new (double, n);
  g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;
  const char *fixed = "{\"observation_variance\": 1e-6, \"level_variance\": 1e-5, \"slope_variance\": 1e-8}";

  /* A zigzag around 100: no trend at all. */
  for (gsize i = 0; i < n; i++)
    flat[i] = i % 2 ? 100.2 : 99.8;

  g_assert_cmpint (decide ("kalman", up, n, NULL, &signal), ==, BOURSE_DECISION_BUY);
  g_assert_cmpfloat (metric (&signal, "trend_strength"), >, 2);
  g_assert_cmpint (decide ("kalman", down, n, NULL, &signal), ==, BOURSE_DECISION_SELL);
  g_assert_cmpfloat (metric (&signal, "trend_strength"), <, -2);
  g_assert_cmpint (decide ("kalman", up, n, fixed, &signal), ==, BOURSE_DECISION_BUY);
  g_assert_cmpint (decide ("kalman", flat, n, fixed, &signal), ==, BOURSE_DECISION_NO_TRADE);
  g_assert_cmpfloat (fabs (metric (&signal, "trend_strength")), <=, 2);

  /* The same clear trend, with the volatility cap below its volatility. */
  g_assert_cmpint (decide ("kalman", up, n, "{\"volatility_cap\": 0.001}", &signal), ==,
                   BOURSE_DECISION_NO_TRADE);
  g_assert_cmpfloat (metric (&signal, "volatility"), >, 0.001);
  g_assert_cmpfloat (metric (&signal, "trend_strength"), >, 2);
}

static void
test_ou_decisions (void)
{
  const gsize n = 400;
  g_autoptr(GRand) rand = g_rand_new_with_seed (31);
  g_autofree double *close = g_new (double, n);
  g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;
  double x = 0;

  /* A fast mean-reverting log price, then a last candle far from it. */
  for (gsize i = 0; i < n; i++)
    {
      x = 0.7 * x + 0.01 * g_rand_double_range (rand, -1, 1);
      close[i] = 100 * exp (x);
    }
  close[n - 1] = 100 * exp (-0.03);
  g_assert_cmpint (decide ("ou", close, n, NULL, &signal), ==, BOURSE_DECISION_BUY);
  g_assert_cmpfloat (metric (&signal, "z"), <, -2);
  g_assert_cmpfloat (metric (&signal, "half_life"), <, 5);
  g_assert_cmpfloat (signal.confidence, >, 0.95);

  close[n - 1] = 100 * exp (0.03);
  g_assert_cmpint (decide ("ou", close, n, NULL, &signal), ==, BOURSE_DECISION_SELL);
  g_assert_cmpfloat (metric (&signal, "z"), >, 2);

  /* Each gate on its own turns the same SELL into NO_TRADE. */
  g_assert_cmpint (decide ("ou", close, n, "{\"max_half_life\": 0.5}", &signal), ==, BOURSE_DECISION_NO_TRADE);
  g_assert_cmpint (decide ("ou", close, n, "{\"vol_ratio_cap\": 0.5}", &signal), ==, BOURSE_DECISION_NO_TRADE);
  g_assert_cmpfloat (metric (&signal, "vol_ratio"), >, 0.5);
  g_assert_cmpint (decide ("ou", close, n, "{\"entry_z\": 50}", &signal), ==, BOURSE_DECISION_NO_TRADE);

  /* Exponential growth with a little noise has no mean to revert to. */
  for (gsize i = 0; i < n; i++)
    close[i] = 100 * exp (0.01 * i + 0.0001 * (i % 3));
  g_assert_cmpint (decide ("ou", close, n, NULL, &signal), ==, BOURSE_DECISION_NO_TRADE);
  if (!json_object_get_null_member (signal.metrics, "theta"))
    g_assert_cmpfloat (metric (&signal, "half_life"), >, 100);
}

static void
test_sma_cross_decisions (void)
{
  double close[40];
  g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;

  /* Down for 39 candles, then a jump that lifts SMA(10) over SMA(30). */
  for (guint i = 0; i < 40; i++)
    close[i] = 100 - 0.1 * i;
  close[39] = 120;
  g_assert_cmpint (decide ("sma-cross", close, 40, NULL, &signal), ==, BOURSE_DECISION_BUY);
  g_assert_cmpfloat (metric (&signal, "previous_fast_sma"), <=, metric (&signal, "previous_slow_sma"));
  g_assert_cmpfloat (metric (&signal, "fast_sma"), >, metric (&signal, "slow_sma"));

  for (guint i = 0; i < 40; i++)
    close[i] = 100 + 0.1 * i;
  close[39] = 80;
  g_assert_cmpint (decide ("sma-cross", close, 40, NULL, &signal), ==, BOURSE_DECISION_SELL);

  /* Still rising: the averages are apart but nothing crossed. */
  close[39] = 104;
  g_assert_cmpint (decide ("sma-cross", close, 40, NULL, &signal), ==, BOURSE_DECISION_NO_TRADE);
  g_assert_cmpfloat (metric (&signal, "fast_sma"), >, metric (&signal, "slow_sma"));
}

static void
test_rsi_decisions (void)
{
  double close[40];
  g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;

  for (guint i = 0; i < 40; i++)
    close[i] = 100 - 0.5 * i + (i % 2 ? 0.3 : 0);
  g_assert_cmpint (decide ("rsi", close, 40, NULL, &signal), ==, BOURSE_DECISION_BUY);
  g_assert_cmpfloat (metric (&signal, "rsi"), <, 30);

  for (guint i = 0; i < 40; i++)
    close[i] = 100 + 0.5 * i - (i % 2 ? 0.3 : 0);
  g_assert_cmpint (decide ("rsi", close, 40, NULL, &signal), ==, BOURSE_DECISION_SELL);
  g_assert_cmpfloat (metric (&signal, "rsi"), >, 70);

  for (guint i = 0; i < 40; i++)
    close[i] = 100 + (i % 2 ? 1 : -1);
  g_assert_cmpint (decide ("rsi", close, 40, NULL, &signal), ==, BOURSE_DECISION_NO_TRADE);
  g_assert_cmpfloat (fabs (metric (&signal, "rsi") - 50), <, 5);
}

/* ---- levels -------------------------------------------------------------- */

/* Candles whose ATR(14) we know: closes alternating 100.00 and 100.10, highs
 * and lows 5 cents beyond. */
static BourseStrategyInput *
level_input (const char *tick)
{
  BourseStrategyInput *input = bourse_strategy_input_new (30);

  for (guint i = 0; i < 30; i++)
    {
      input->close[i] = i % 2 ? 100.10 : 100.00;
      input->open[i] = input->close[i];
      input->high[i] = input->close[i] + 0.05;
      input->low[i] = input->close[i] - 0.05;
    }
  g_assert_true (bourse_decimal_parse (tick, &input->tick_size, NULL));
  return input;
}

static BourseDecimal
dec (const char *text)
{
  BourseDecimal value;

  g_assert_true (bourse_decimal_parse (text, &value, NULL));
  return value;
}

static void
assert_decimal (BourseDecimal  value,
                const char    *expected)
{
  g_autofree char *text = bourse_decimal_to_string_trimmed (value);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_levels (void)
{
  g_autoptr(BourseStrategyInput) input = level_input ("0.01");
  g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  double atr;

  /* True ranges: 0.10 first, then 0.15 each (the gap to the previous close
   * plus 5 cents): ATR(14) = (0.10 + 13 × 0.15) / 14, then Wilder-smoothed
   * towards 0.15 for 16 candles, 0.148908… The last close is 100.10. */
  evaluate_ok ("test-fixed", input, "{\"decision\": 1}", &signal);
  atr = metric (&signal, "atr");
  {
    double expected = (0.10 + 13 * 0.15) / 14;

    for (guint i = 14; i < 30; i++)
      expected = (expected * 13 + 0.15) / 14;
    g_assert_cmpfloat_with_epsilon (atr, expected, 1e-12);
  }

  /* BUY: entry 100.10; stop 100.10 − 2 × 0.1489… = 99.802… rounds down to
   * 99.80, target 100.10 + 3 × 0.1489… = 100.546… rounds down to 100.54. */
  g_assert_cmpint (signal.decision, ==, BOURSE_DECISION_BUY);
  assert_decimal (signal.entry, "100.1");
  assert_decimal (signal.stop_loss, "99.8");
  assert_decimal (signal.take_profit, "100.54");
  g_assert_cmpfloat (bourse_decimal_to_double (signal.stop_loss), <=, 100.10 - 2 * atr);
  g_assert_cmpfloat (bourse_decimal_to_double (signal.take_profit), <=, 100.10 + 3 * atr);
  g_assert_cmpfloat_with_epsilon (signal.risk_reward, 0.44 / 0.30, 1e-12);
  g_assert_cmpfloat (signal.confidence, ==, 0.5);

  node = bourse_signal_to_json (&signal);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "decision"), ==, "BUY");
  g_assert_cmpstr (json_object_get_string_member (object, "entry"), ==, "100.10000000");
  g_assert_cmpstr (json_object_get_string_member (object, "stop_loss"), ==, "99.80000000");
  g_assert_cmpstr (json_object_get_string_member (object, "take_profit"), ==, "100.54000000");
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, "fixed");
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (object, "metrics"), "value"),
                     ==, 1);
  g_clear_pointer (&node, json_node_unref);

  /* SELL: both round up: stop 100.397… → 100.40, target 99.653… → 99.66. */
  evaluate_ok ("test-fixed", input, "{\"decision\": 2}", &signal);
  g_assert_cmpint (signal.decision, ==, BOURSE_DECISION_SELL);
  assert_decimal (signal.entry, "100.1");
  assert_decimal (signal.stop_loss, "100.4");
  assert_decimal (signal.take_profit, "99.66");
  g_assert_cmpfloat (bourse_decimal_to_double (signal.stop_loss), >=, 100.10 + 2 * atr);
  g_assert_cmpfloat (bourse_decimal_to_double (signal.take_profit), >=, 100.10 - 3 * atr);
  g_assert_cmpfloat_with_epsilon (signal.risk_reward, 0.44 / 0.30, 1e-12);

  /* Other multiples. */
  evaluate_ok ("test-fixed", input, "{\"decision\": 1, \"stop_atr\": 1, \"target_atr\": 4}", &signal);
  assert_decimal (signal.stop_loss, "99.95");
  assert_decimal (signal.take_profit, "100.69");

  /* NO_TRADE carries no levels, and JSON says null. */
  evaluate_ok ("test-fixed", input, "{\"decision\": 0}", &signal);
  node = bourse_signal_to_json (&signal);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "decision"), ==, "NO_TRADE");
  g_assert_true (json_object_get_null_member (object, "entry"));
  g_assert_true (json_object_get_null_member (object, "stop_loss"));
  g_assert_true (json_object_get_null_member (object, "take_profit"));
  g_assert_cmpfloat (json_object_get_double_member (object, "confidence"), ==, 0);
}

static void
test_levels_degenerate (void)
{
  g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;

  /* A tick of 1: the target (45 cents away) falls back onto the entry. */
  {
    g_autoptr(BourseStrategyInput) input = level_input ("1");

    evaluate_ok ("test-fixed", input, "{\"decision\": 1}", &signal);
    g_assert_cmpint (signal.decision, ==, BOURSE_DECISION_NO_TRADE);
    g_assert_nonnull (strstr (signal.reason, "entry"));
  }
  /* The entry itself is rounded to the nearest tick. */
  {
    g_autoptr(BourseStrategyInput) input = level_input ("0.25");

    evaluate_ok ("test-fixed", input, "{\"decision\": 2, \"target_atr\": 5}", &signal);
    g_assert_cmpint (signal.decision, ==, BOURSE_DECISION_SELL);
    assert_decimal (signal.entry, "100");
    assert_decimal (signal.stop_loss, "100.5");
    assert_decimal (signal.take_profit, "99.5");
  }
  /* A stop below zero. */
  {
    g_autoptr(BourseStrategyInput) input = level_input ("0.01");

    evaluate_ok ("test-fixed", input, "{\"decision\": 1, \"stop_atr\": 100, \"target_atr\": 1}", &signal);
    g_assert_cmpint (signal.decision, ==, BOURSE_DECISION_BUY);
    for (guint i = 0; i < 30; i++)
      {
        input->close[i] /= 100;
        input->open[i] /= 100;
        input->high[i] = input->close[i] + 0.05;
        input->low[i] = input->close[i] - 0.05;
      }
    evaluate_ok ("test-fixed", input, "{\"decision\": 1, \"stop_atr\": 100}", &signal);
    g_assert_cmpint (signal.decision, ==, BOURSE_DECISION_NO_TRADE);
    g_assert_nonnull (strstr (signal.reason, "zero"));
    /* The same distance up is no problem for a SELL's stop. */
    evaluate_ok ("test-fixed", input, "{\"decision\": 2, \"stop_atr\": 100, \"target_atr\": 0.5}", &signal);
    g_assert_cmpint (signal.decision, ==, BOURSE_DECISION_SELL);
    /* … but a SELL's target below zero is refused. */
    evaluate_ok ("test-fixed", input, "{\"decision\": 2, \"target_atr\": 100}", &signal);
    g_assert_cmpint (signal.decision, ==, BOURSE_DECISION_NO_TRADE);
  }
  /* No tick size. */
  {
    g_autoptr(BourseStrategyInput) input = level_input ("0.01");

    input->tick_size = BOURSE_DECIMAL_ZERO;
    evaluate_ok ("test-fixed", input, "{\"decision\": 1}", &signal);
    g_assert_cmpint (signal.decision, ==, BOURSE_DECISION_NO_TRADE);
  }
  /* Flat candles (high = low = close) still have a true range when the
   * close moves: the gap from the previous close. */
  {
    g_autoptr(BourseStrategyInput) input = bourse_strategy_input_new (20);

    for (guint i = 0; i < 20; i++)
      input->open[i] = input->high[i] = input->low[i] = input->close[i] = i % 2 ? 101 : 100;
    input->tick_size = dec ("0.01");
    evaluate_ok ("test-fixed", input, "{\"decision\": 1}", &signal);
    g_assert_cmpint (signal.decision, ==, BOURSE_DECISION_BUY);
    /* (13 × 1 + 0) / 14, then six steps towards 1. */
    g_assert_cmpfloat_with_epsilon (metric (&signal, "atr"), 1 - pow (13.0 / 14, 6) / 14, 1e-12);
    assert_decimal (signal.stop_loss, "99.09");
    assert_decimal (signal.take_profit, "103.86");
  }
}

static void
test_plugin_faults (void)
{
  g_autoptr(BourseStrategyInput) input = level_input ("0.01");
  g_autoptr(BourseStrategy) fixed = bourse_strategy_lookup ("test-fixed");
  g_autoptr(JsonObject) params = params_from ("{\"decision\": 1, \"fault\": 3}");
  g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;
  g_autoptr(GError) error = NULL;

  /* A failing plugin: FALSE with its error, and a usable NO_TRADE. */
  g_assert_false (bourse_strategy_evaluate (fixed, input, params, &signal, &error));
  g_assert_error (error, BOURSE_STRATEGY_ERROR, BOURSE_STRATEGY_ERROR_FAILED);
  g_assert_cmpint (signal.decision, ==, BOURSE_DECISION_NO_TRADE);
  g_assert_cmpstr (signal.reason, ==, "the model broke");
  g_assert_nonnull (signal.metrics);

  /* A NaN metric or a confidence out of range is a bug worth a warning,
   * which the test framework makes fatal: so in a subprocess. */
  if (g_test_subprocess ())
    {
      g_autoptr(JsonObject) nan_params = params_from ("{\"decision\": 1, \"fault\": 1}");
      g_autoptr(JsonObject) confidence_params = params_from ("{\"decision\": 1, \"fault\": 2}");

      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
      g_assert_true (bourse_strategy_evaluate (fixed, input, nan_params, &signal, NULL));
      g_assert_true (json_object_get_null_member (signal.metrics, "value"));
      assert_signal_sane (&signal);
      g_assert_true (bourse_strategy_evaluate (fixed, input, confidence_params, &signal, NULL));
      g_assert_cmpfloat (signal.confidence, ==, 1);
      assert_signal_sane (&signal);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*non-finite metrics*confidence out of*");
}

/* ---- degenerate inputs, for every strategy ---------------------------- */

typedef enum
{
  BAD_EMPTY,
  BAD_TOO_FEW,
  BAD_CONSTANT,
  BAD_NAN_CLOSE,
  BAD_INF_HIGH,
  BAD_NEGATIVE,
  BAD_ZERO,
  BAD_HIGH_BELOW_LOW,
  BAD_NAN_VOLUME,
  BAD_HUGE,
  BAD_GAPS,
  BAD_UNORDERED,
  BAD_REPEATED,
  N_BAD
} Bad;

static const char * const bad_names[] = {
  "empty", "too few", "constant", "NaN close", "infinite high", "negative price", "zero price",
  "high below low", "NaN volume", "huge price", "gaps", "unordered times", "repeated time",
};

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define T0        G_GINT64_CONSTANT (1767225600000) /* 2026-01-01T00:00:00Z */

static BourseStrategyInput *
bad_input (Bad bad)
{
  const gsize n = 300;
  g_autofree double *close = walk (41, n, 100, 0, 0.01);
  BourseStrategyInput *input;
  gsize k = n / 2;

  switch (bad)
    {
    case BAD_EMPTY:
      return input_from_closes (close, 0, "0.01");
    case BAD_TOO_FEW:
      return input_from_closes (close, 10, "0.01");
    case BAD_CONSTANT:
      for (gsize i = 0; i < n; i++)
        close[i] = 42.5;
      return input_from_closes (close, n, "0.01");
    default:
      break;
    }

  input = input_from_closes (close, n, "0.01");
  input->open_time = g_new (gint64, n);
  input->interval = BOURSE_INTERVAL_1M;
  for (gsize i = 0; i < n; i++)
    input->open_time[i] = T0 + (gint64) i * MINUTE_MS;

  switch (bad)
    {
    case BAD_NAN_CLOSE:
      input->close[k] = NAN;
      break;
    case BAD_INF_HIGH:
      input->high[n - 1] = INFINITY;
      break;
    case BAD_NEGATIVE:
      input->low[k] = -1;
      break;
    case BAD_ZERO:
      input->open[0] = 0;
      break;
    case BAD_HIGH_BELOW_LOW:
      input->high[k] = input->low[k] - 1;
      break;
    case BAD_NAN_VOLUME:
      input->volume[k] = NAN;
      break;
    case BAD_HUGE:
      input->close[n - 1] = input->high[n - 1] = 1e12;
      break;
    case BAD_GAPS:
      /* 20 minutes missing in 300: more than 5%. */
      for (gsize i = k; i < n; i++)
        input->open_time[i] += 20 * MINUTE_MS;
      break;
    case BAD_UNORDERED:
      input->open_time[k] = input->open_time[k - 2];
      break;
    case BAD_REPEATED:
      input->open_time[k] = input->open_time[k - 1];
      break;
    default:
      g_assert_not_reached ();
    }
  return input;
}

static void
test_degenerate (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (builtin_ids); i++)
    for (Bad bad = 0; bad < N_BAD; bad++)
      {
        g_autoptr(BourseStrategyInput) input = bad_input (bad);
        g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;

        g_test_message ("%s: %s", builtin_ids[i], bad_names[bad]);
        evaluate_ok (builtin_ids[i], input, NULL, &signal);
        g_assert_cmpint (signal.decision, ==, BOURSE_DECISION_NO_TRADE);
        /* Refused before the model ran: nothing but the reason. */
        g_assert_cmpuint (json_object_get_size (signal.metrics), ==, 0);
      }
}

static void
test_degenerate_reasons (void)
{
  static const struct { Bad bad; const char *words; } cases[] = {
    { BAD_EMPTY, "*at least 31 candles*has 0*" },
    { BAD_TOO_FEW, "*at least 31 candles*has 10*" },
    { BAD_CONSTANT, "*does not move*" },
    { BAD_NAN_CLOSE, "*Candle 151 of 300*" },
    { BAD_GAPS, "*missing*" },
    { BAD_UNORDERED, "*time order*" },
    { BAD_NAN_VOLUME, "*volume*" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BourseStrategyInput) input = bad_input (cases[i].bad);
      g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;

      evaluate_ok ("sma-cross", input, NULL, &signal);
      if (!g_pattern_match_simple (cases[i].words, signal.reason))
        g_error ("%s: reason “%s”", bad_names[cases[i].bad], signal.reason);
    }
}

static void
test_tolerated_gaps (void)
{
  /* A few missing candles (under 5%) are not a reason to stop: the signal
   * is the one of the same candles without times. */
  for (guint i = 0; i < G_N_ELEMENTS (builtin_ids); i++)
    {
      g_autoptr(BourseStrategyInput) timed = bad_input (BAD_GAPS);
      g_autoptr(BourseStrategyInput) untimed = bad_input (BAD_GAPS);
      g_auto(BourseSignal) a = BOURSE_SIGNAL_INIT;
      g_auto(BourseSignal) b = BOURSE_SIGNAL_INIT;

      for (gsize k = timed->n_candles / 2; k < timed->n_candles; k++)
        timed->open_time[k] -= 10 * MINUTE_MS;
      g_clear_pointer (&untimed->open_time, g_free);
      evaluate_ok (builtin_ids[i], timed, NULL, &a);
      evaluate_ok (builtin_ids[i], untimed, NULL, &b);
      g_assert_cmpint (a.decision, ==, b.decision);
      g_assert_cmpstr (a.reason, ==, b.reason);
      g_assert_cmpuint (json_object_get_size (a.metrics), >, 0);
    }
}

static void
test_hard_but_valid (void)
{
  /* Inputs a model may choke on although the candles are valid: every
   * strategy must give a sane signal, whichever. */
  const gsize n = 400;
  g_autofree double *close = g_new (double, n);

  for (guint shape = 0; shape < 6; shape++)
    {
      for (gsize i = 0; i < n; i++)
        switch (shape)
          {
          case 0: /* wild alternation over six orders of magnitude */
            close[i] = i % 2 ? 1e-2 : 1e4;
            break;
          case 1: /* a straight line: the AR's changes are collinear */
            close[i] = 100 + 0.5 * i;
            break;
          case 2: /* exponential growth */
            close[i] = 1 * exp (0.02 * i);
            break;
          case 3: /* a single step */
            close[i] = i < n / 2 ? 100 : 200;
            break;
          case 4: /* constant but for the last candle */
            close[i] = i < n - 1 ? 100 : 100.01;
            break;
          case 5: /* prices of a few ticks */
            close[i] = 0.01 * (1 + i % 3);
            break;
          default:
            g_assert_not_reached ();
          }

      for (guint i = 0; i < G_N_ELEMENTS (builtin_ids); i++)
        {
          g_autoptr(BourseStrategyInput) input = input_from_closes (close, n, "0.01");
          g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;

          g_test_message ("%s: shape %u", builtin_ids[i], shape);
          evaluate_ok (builtin_ids[i], input, NULL, &signal);
        }
    }
}

static void
test_input_from_candles (void)
{
  BourseCandle candles[3] = { 0 };
  g_autoptr(BourseStrategyInput) input = NULL;

  for (guint i = 0; i < 3; i++)
    {
      candles[i].open_time = T0 + i * MINUTE_MS;
      candles[i].open = dec ("65000.01");
      candles[i].high = dec ("65010.5");
      candles[i].low = dec ("64990.25");
      candles[i].close = dec ("65005.99");
      candles[i].volume = dec ("1.5");
    }
  input = bourse_strategy_input_new_from_candles (candles, 3, BOURSE_INTERVAL_1M, dec ("0.01"));
  g_assert_cmpuint (input->n_candles, ==, 3);
  g_assert_cmpint (input->open_time[2], ==, T0 + 2 * MINUTE_MS);
  g_assert_cmpfloat (input->open[0], ==, 65000.01);
  g_assert_cmpfloat (input->high[1], ==, 65010.5);
  g_assert_cmpfloat (input->low[2], ==, 64990.25);
  g_assert_cmpfloat (input->close[0], ==, 65005.99);
  g_assert_cmpfloat (input->volume[0], ==, 1.5);
  g_assert_cmpint (input->interval, ==, BOURSE_INTERVAL_1M);
  g_assert_cmpint (input->tick_size.units, ==, 1000000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* The test's own strategy, registered exactly as a module would. */
  bourse_strategies_ensure ();
  g_io_extension_point_implement (BOURSE_STRATEGY_EXTENSION_POINT_NAME, TEST_TYPE_FIXED_STRATEGY,
                                  "test-fixed", 10);

  g_test_add_func ("/strategy/registry", test_registry);
  g_test_add_func ("/strategy/parameters/schema", test_parameters_schema);
  g_test_add_func ("/strategy/parameters/validation", test_parameters_validation);
  g_test_add_func ("/strategy/min-candles", test_min_candles);
  g_test_add_func ("/strategy/ar/reference", test_ar_reference);
  g_test_add_func ("/strategy/kalman/reference", test_kalman_reference);
  g_test_add_func ("/strategy/ou/reference", test_ou_reference);
  g_test_add_func ("/strategy/ar/decisions", test_ar_decisions);
  g_test_add_func ("/strategy/kalman/decisions", test_kalman_decisions);
  g_test_add_func ("/strategy/ou/decisions", test_ou_decisions);
  g_test_add_func ("/strategy/sma-cross/decisions", test_sma_cross_decisions);
  g_test_add_func ("/strategy/rsi/decisions", test_rsi_decisions);
  g_test_add_func ("/strategy/levels", test_levels);
  g_test_add_func ("/strategy/levels/degenerate", test_levels_degenerate);
  g_test_add_func ("/strategy/plugin-faults", test_plugin_faults);
  g_test_add_func ("/strategy/degenerate", test_degenerate);
  g_test_add_func ("/strategy/degenerate/reasons", test_degenerate_reasons);
  g_test_add_func ("/strategy/tolerated-gaps", test_tolerated_gaps);
  g_test_add_func ("/strategy/hard-but-valid", test_hard_but_valid);
  g_test_add_func ("/strategy/input-from-candles", test_input_from_candles);

  return g_test_run ();
}
