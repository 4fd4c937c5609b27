/* bourse-optimiser.c — searching a strategy's parameters over backtests, and walk-forward
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/BACKTESTS.md "Optimisation". The runs are bourse_backtest_run ()
 * unchanged: the optimiser only chooses windows and parameters, spreads the
 * runs over a thread pool and ranks what comes back, so that a candidate's
 * figures are exactly those of a backtest with its parameters.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"

#include "bourse-optimiser.h"

/* A range's values and a random draw's attempts are bounded so that no
 * request makes the parser or the draw loop run away. */
#define MAX_RANGE_VALUES 10000
#define MAX_MIN_TRADES   1000000

/* Names {{{ */

static const char * const method_names[] = { "grid", "random" };
static const char * const objective_names[] = { "sharpe", "sortino", "calmar", "profit", "profit_factor" };

const char *
bourse_optimiser_method_to_string (BourseOptimiserMethod method)
{
  g_return_val_if_fail ((guint) method < G_N_ELEMENTS (method_names), "grid");
  return method_names[method];
}

gboolean
bourse_optimiser_method_parse (const char            *text,
                               BourseOptimiserMethod *method)
{
  for (guint i = 0; i < G_N_ELEMENTS (method_names); i++)
    if (g_strcmp0 (text, method_names[i]) == 0)
      {
        *method = (BourseOptimiserMethod) i;
        return TRUE;
      }
  return FALSE;
}

const char *
bourse_optimiser_objective_to_string (BourseOptimiserObjective objective)
{
  g_return_val_if_fail ((guint) objective < G_N_ELEMENTS (objective_names), "sharpe");
  return objective_names[objective];
}

gboolean
bourse_optimiser_objective_parse (const char               *text,
                                  BourseOptimiserObjective *objective)
{
  for (guint i = 0; i < G_N_ELEMENTS (objective_names); i++)
    if (g_strcmp0 (text, objective_names[i]) == 0)
      {
        *objective = (BourseOptimiserObjective) i;
        return TRUE;
      }
  return FALSE;
}

double
bourse_optimiser_objective_value (BourseOptimiserObjective     objective,
                                  const BourseBacktestMetrics *metrics)
{
  switch (objective)
    {
    case BOURSE_OPTIMISER_SHARPE:        return metrics->sharpe;
    case BOURSE_OPTIMISER_SORTINO:       return metrics->sortino;
    case BOURSE_OPTIMISER_CALMAR:        return metrics->calmar;
    case BOURSE_OPTIMISER_PROFIT:        return metrics->total_return;
    case BOURSE_OPTIMISER_PROFIT_FACTOR: return metrics->profit_factor;
    default:                             g_return_val_if_reached (0);
    }
}

/* }}} */

/* Options {{{ */

void
bourse_optimiser_options_init (BourseOptimiserOptions *options)
{
  memset (options, 0, sizeof *options);
  options->space = json_object_new ();
  options->method = BOURSE_OPTIMISER_GRID;
  options->seed = g_random_int ();
  options->objective = BOURSE_OPTIMISER_SHARPE;
  options->min_trades = 1;
  options->train_fraction.units = BOURSE_DECIMAL_UNIT / 4 * 3;
}

void
bourse_optimiser_options_clear (BourseOptimiserOptions *options)
{
  g_clear_pointer (&options->space, json_object_unref);
}

/* A parameter as the strategy describes it (bourse_strategy_dup_parameters ()). */
typedef struct
{
  const char *type;   /* "integer", "number", "boolean" */
  double      minimum;
  double      maximum;
} ParamInfo;

static gboolean
lookup_param (JsonObject  *description,
              const char  *name,
              ParamInfo   *info)
{
  JsonObject *property = bourse_json_get_object (bourse_json_get_object (description, "properties"), name);
  JsonNode *node;

  if (property == NULL)
    return FALSE;
  info->type = bourse_json_get_string (property, "type");
  info->minimum = (node = json_object_get_member (property, "minimum")) != NULL ? json_node_get_double (node) : -G_MAXDOUBLE;
  info->maximum = (node = json_object_get_member (property, "maximum")) != NULL ? json_node_get_double (node) : G_MAXDOUBLE;
  return info->type != NULL;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* One value of the space for parameter @info, as the node the parameters
 * will hold, or NULL with the error naming @field. */
static JsonNode *
check_value (const ParamInfo  *info,
             const char       *name,
             const char       *field,
             JsonNode         *node,
             GError          **error)
{
  double value;

  if (g_strcmp0 (info->type, "boolean") == 0)
    {
      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, field,
                                  _("The values of “%s” must be true or false"), name);
          return NULL;
        }
      return json_node_copy (node);
    }
  if (!node_is_number (node))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, _("The values of “%s” must be numbers"), name);
      return NULL;
    }
  value = json_node_get_double (node);
  if (!isfinite (value))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, _("The values of “%s” must be numbers"), name);
      return NULL;
    }
  if (g_strcmp0 (info->type, "integer") == 0 && value != floor (value))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, _("The values of “%s” must be integers"), name);
      return NULL;
    }
  if (value < info->minimum || value > info->maximum)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, _("The values of “%s” must be between %g and %g"),
                              name, info->minimum, info->maximum);
      return NULL;
    }
  if (g_strcmp0 (info->type, "integer") == 0)
    return json_node_init_int (json_node_alloc (), (gint64) value);
  return json_node_init_double (json_node_alloc (), value);
}

static gboolean
array_has_value (JsonArray *values,
                 JsonNode  *node)
{
  for (guint i = 0; i < json_array_get_length (values); i++)
    if (json_node_equal (json_array_get_element (values, i), node))
      return TRUE;
  return FALSE;
}

/* {"min", "max", "step"}: min, min + step, … up to max included. A
 * number's steps are printed to 15 digits and read back, so that 0.1 × 3
 * is the 0.3 a person wrote, not 0.30000000000000004. */
static JsonArray *
parse_range (const ParamInfo  *info,
             const char       *name,
             const char       *field,
             JsonObject       *range,
             GError          **error)
{
  g_autoptr(JsonArray) values = json_array_new ();
  JsonNode *min_node = json_object_get_member (range, "min");
  JsonNode *max_node = json_object_get_member (range, "max");
  JsonNode *step_node = json_object_get_member (range, "step");
  double min, max, step, span;
  gsize n;

  if (g_strcmp0 (info->type, "boolean") == 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field,
                              _("“%s” is true or false: list its values instead of a range"), name);
      return NULL;
    }
  if (!node_is_number (min_node) || !node_is_number (max_node) || !node_is_number (step_node)
      || json_object_get_size (range) != 3)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field,
                              _("The range of “%s” must have exactly the numbers min, max and step"), name);
      return NULL;
    }
  min = json_node_get_double (min_node);
  max = json_node_get_double (max_node);
  step = json_node_get_double (step_node);
  if (!isfinite (min) || !isfinite (max) || !isfinite (step) || step <= 0 || min > max)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field,
                              _("The range of “%s” needs min ≤ max and a step above zero"), name);
      return NULL;
    }
  if (g_strcmp0 (info->type, "integer") == 0 && step != floor (step))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, _("The step of “%s” must be an integer"), name);
      return NULL;
    }
  /* A hair of tolerance so that max is reached despite the binary steps. */
  span = (max - min) / step + 1e-9;
  if (span >= MAX_RANGE_VALUES)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field,
                              _("The range of “%s” has more than %d values"), name, MAX_RANGE_VALUES);
      return NULL;
    }
  n = (gsize) floor (span) + 1;
  for (gsize k = 0; k < n; k++)
    {
      char text[G_ASCII_DTOSTR_BUF_SIZE];
      g_autoptr(JsonNode) raw = NULL;
      JsonNode *node;
      double value = min + (double) k * step;

      g_ascii_formatd (text, sizeof text, "%.15g", value);
      value = MIN (g_ascii_strtod (text, NULL), max);
      raw = json_node_init_double (json_node_alloc (), value);
      if ((node = check_value (info, name, field, raw, error)) == NULL)
        return NULL;
      json_array_add_element (values, node);
    }
  return g_steal_pointer (&values);
}

static JsonArray *
parse_list (const ParamInfo  *info,
            const char       *name,
            const char       *field,
            JsonArray        *list,
            GError          **error)
{
  g_autoptr(JsonArray) values = json_array_new ();
  guint n = json_array_get_length (list);

  if (n < 1 || n > BOURSE_OPTIMISER_MAX_LIST)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, _("The list of “%s” must have 1 to %d values"),
                              name, BOURSE_OPTIMISER_MAX_LIST);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = check_value (info, name, field, json_array_get_element (list, i), error);

      if (node == NULL)
        return NULL;
      /* A repeated value would be a repeated combination. */
      if (array_has_value (values, node))
        {
          json_node_unref (node);
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, _("The list of “%s” repeats a value"), name);
          return NULL;
        }
      json_array_add_element (values, node);
    }
  return g_steal_pointer (&values);
}

static JsonObject *
parse_space (BourseStrategy  *strategy,
             JsonNode        *node,
             GError         **error)
{
  g_autoptr(JsonNode) description = bourse_strategy_dup_parameters (strategy);
  g_autoptr(JsonObject) space = json_object_new ();
  JsonObject *request;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) || json_object_get_size (json_node_get_object (node)) == 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "space",
                              _("The space must be an object naming at least one parameter"));
      return NULL;
    }
  request = json_node_get_object (node);
  /* In the order written: the last member varies fastest, and the UIs show
   * the parameters in that order. */
  json_object_iter_init_ordered (&iter, request);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      g_autofree char *field = g_strdup_printf ("space.%s", name);
      JsonArray *values;
      ParamInfo info;

      if (!lookup_param (json_node_get_object (description), name, &info))
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, _("Strategy “%s” has no parameter “%s”"),
                                  bourse_strategy_get_id (strategy), name);
          return NULL;
        }
      if (JSON_NODE_HOLDS_ARRAY (member))
        values = parse_list (&info, name, field, json_node_get_array (member), error);
      else if (JSON_NODE_HOLDS_OBJECT (member))
        values = parse_range (&info, name, field, json_node_get_object (member), error);
      else
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, field,
                                  _("“%s” must be a list of values or a range {min, max, step}"), name);
          return NULL;
        }
      if (values == NULL)
        return NULL;
      json_object_set_array_member (space, name, values);
    }
  return g_steal_pointer (&space);
}

/* The number of combinations, G_MAXUINT64 when larger. */
static guint64
space_size (JsonObject *space)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  guint64 size = 1;

  json_object_iter_init (&iter, space);
  while (json_object_iter_next (&iter, &name, &member))
    {
      guint64 n = json_array_get_length (json_node_get_array (member));

      size = size > G_MAXUINT64 / n ? G_MAXUINT64 : size * n;
    }
  return size;
}

/* A fraction as "0.75" or 0.75, exact to 8 decimals. */
static gboolean
read_fraction (JsonNode      *node,
               BourseDecimal *value)
{
  if (node_is_number (node))
    {
      double d = json_node_get_double (node);
      char text[G_ASCII_DTOSTR_BUF_SIZE];

      if (!isfinite (d) || fabs (d) > 1e6)
        return FALSE;
      g_ascii_formatd (text, sizeof text, "%.8f", d);
      return bourse_decimal_parse (text, value, NULL);
    }
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return bourse_decimal_parse (json_node_get_string (node), value, NULL);
  return FALSE;
}

/* An integer member in [@min, @max]; absent or null leaves *value as it is. */
static gboolean
read_uint (JsonObject  *object,
           const char  *member,
           const char  *field,
           gint64       min,
           gint64       max,
           guint64     *value,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64 v;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!bourse_json_get_int (object, member, &v) || v < min || v > max)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field,
                              _("“%s” must be an integer from %.0f to %.0f"),
                              field, (double) min, (double) max);
      return FALSE;
    }
  *value = (guint64) v;
  return TRUE;
}

static gboolean
parse_walk_forward (BourseOptimiserOptions  *options,
                    JsonNode                *node,
                    GError                 **error)
{
  JsonObject *object;
  guint64 folds = 0;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      options->folds = 0;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "walk_forward",
                              _("walk_forward must be an object {folds, train_fraction} or null"));
      return FALSE;
    }
  object = json_node_get_object (node);
  if (json_object_get_member (object, "folds") == NULL)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "walk_forward.folds",
                              _("“%s” must be an integer from %.0f to %.0f"),
                              "walk_forward.folds", 1.0, (double) BOURSE_OPTIMISER_MAX_FOLDS);
      return FALSE;
    }
  if (!read_uint (object, "folds", "walk_forward.folds", 1, BOURSE_OPTIMISER_MAX_FOLDS, &folds, error))
    return FALSE;
  options->folds = (guint) folds;
  if (json_object_get_member (object, "train_fraction") != NULL
      && !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "train_fraction"))
      && (!read_fraction (json_object_get_member (object, "train_fraction"), &options->train_fraction)
          || options->train_fraction.units <= 0 || options->train_fraction.units >= BOURSE_DECIMAL_UNIT))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "walk_forward.train_fraction",
                              _("The training fraction must be a decimal above 0 and below 1"));
      return FALSE;
    }
  return TRUE;
}

gboolean
bourse_optimiser_options_parse (BourseOptimiserOptions  *options,
                                BourseStrategy          *strategy,
                                JsonObject              *request,
                                GError                 **error)
{
  g_autoptr(JsonObject) space = NULL;
  const char *text;
  JsonNode *node;
  guint64 value;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (BOURSE_IS_STRATEGY (strategy), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  if ((space = parse_space (strategy, json_object_get_member (request, "space"), error)) == NULL)
    return FALSE;
  g_clear_pointer (&options->space, json_object_unref);
  options->space = g_steal_pointer (&space);

  if ((node = json_object_get_member (request, "method")) != NULL && !JSON_NODE_HOLDS_NULL (node)
      && ((text = bourse_json_get_string (request, "method")) == NULL
          || !bourse_optimiser_method_parse (text, &options->method)))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "method", _("The method must be grid or random"));
      return FALSE;
    }
  value = 0;
  if (!read_uint (request, "samples", "samples", 1, BOURSE_OPTIMISER_MAX_SAMPLES, &value, error))
    return FALSE;
  options->samples = (guint) value;
  if (options->method == BOURSE_OPTIMISER_RANDOM && options->samples == 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "samples",
                              _("A random search needs samples, from 1 to %d"), BOURSE_OPTIMISER_MAX_SAMPLES);
      return FALSE;
    }
  value = options->seed;
  if (!read_uint (request, "seed", "seed", 0, G_MAXUINT32, &value, error))
    return FALSE;
  options->seed = (guint32) value;

  if ((node = json_object_get_member (request, "objective")) != NULL && !JSON_NODE_HOLDS_NULL (node)
      && ((text = bourse_json_get_string (request, "objective")) == NULL
          || !bourse_optimiser_objective_parse (text, &options->objective)))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "objective",
                              _("The objective must be sharpe, sortino, calmar, profit or profit_factor"));
      return FALSE;
    }
  value = options->min_trades;
  if (!read_uint (request, "min_trades", "min_trades", 0, MAX_MIN_TRADES, &value, error))
    return FALSE;
  options->min_trades = (guint) value;

  if (!parse_walk_forward (options, json_object_get_member (request, "walk_forward"), error))
    return FALSE;

  if (options->method == BOURSE_OPTIMISER_GRID && space_size (options->space) > BOURSE_OPTIMISER_MAX_COMBINATIONS)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "space",
                              _("A grid search takes at most %d combinations; this space has more: "
                                "narrow it or search it at random"), BOURSE_OPTIMISER_MAX_COMBINATIONS);
      return FALSE;
    }
  return TRUE;
}

JsonNode *
bourse_optimiser_options_to_json (const BourseOptimiserOptions *options)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (options != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "space");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), options->space));
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, bourse_optimiser_method_to_string (options->method));
  json_builder_set_member_name (builder, "samples");
  if (options->method == BOURSE_OPTIMISER_RANDOM)
    json_builder_add_int_value (builder, options->samples);
  else
    json_builder_add_null_value (builder);
  bourse_json_builder_add_int (builder, "seed", options->seed);
  json_builder_set_member_name (builder, "objective");
  json_builder_add_string_value (builder, bourse_optimiser_objective_to_string (options->objective));
  bourse_json_builder_add_int (builder, "min_trades", options->min_trades);
  json_builder_set_member_name (builder, "walk_forward");
  if (options->folds > 0)
    {
      json_builder_begin_object (builder);
      bourse_json_builder_add_int (builder, "folds", options->folds);
      bourse_json_builder_add_decimal (builder, "train_fraction", &options->train_fraction);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* }}} */

/* Candidates {{{ */

typedef struct
{
  BourseStrategy  *strategy;
  JsonObject      *params;
  JsonObject      *space;
  guint            n_params;
  const char     **names;      /* the space's members, in order */
  JsonArray      **values;
  GPtrArray       *candidates;
  guint            n_invalid;
  char            *blamed;     /* the space member the strategy blamed first */
  GError          *first_error;
} Lister;

/* Adds the combination whose value indices are @digits, if the strategy
 * accepts it. */
static void
lister_add (Lister      *lister,
            const guint *digits)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) resolved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *parameter = NULL;

  if (lister->params != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, lister->params);
      while (json_object_iter_next (&iter, &name, &node))
        json_object_set_member (params, name, json_node_copy (node));
    }
  for (guint i = 0; i < lister->n_params; i++)
    json_object_set_member (params, lister->names[i],
                            json_node_copy (json_array_get_element (lister->values[i], digits[i])));

  resolved = bourse_strategy_resolve_parameters (lister->strategy, params, &parameter, &error);
  if (resolved != NULL)
    {
      g_ptr_array_add (lister->candidates, g_steal_pointer (&resolved));
      return;
    }
  lister->n_invalid++;
  if (lister->first_error == NULL)
    {
      lister->first_error = g_steal_pointer (&error);
      lister->blamed = g_steal_pointer (&parameter);
    }
}

/* Index → one value per parameter, the last parameter varying fastest. */
static void
decode (const Lister *lister,
        guint64       index,
        guint        *digits)
{
  for (guint i = lister->n_params; i-- > 0;)
    {
      guint n = json_array_get_length (lister->values[i]);

      digits[i] = (guint) (index % n);
      index /= n;
    }
}

static guint64
draw_below (GRand   *rand,
            guint64  n)
{
  if (n <= G_MAXINT32)
    return (guint64) g_rand_int_range (rand, 0, (gint32) n);
  else
    {
      /* Two 32-bit draws, rejecting the tail that would bias the modulo. */
      guint64 limit = G_MAXUINT64 - G_MAXUINT64 % n, x;

      do
        x = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
      while (x >= limit);
      return x % n;
    }
}

static void
list_grid (Lister  *lister,
           guint64  size)
{
  g_autofree guint *digits = g_new0 (guint, MAX (lister->n_params, 1));

  for (guint64 index = 0; index < size; index++)
    {
      decode (lister, index, digits);
      lister_add (lister, digits);
    }
}

/* Distinct combinations in a seeded random order: a Fisher–Yates shuffle
 * of the indices, kept sparse (only the swapped positions are stored) so
 * that a space of billions costs no more than the samples drawn. Refused
 * combinations are passed over, so the draw ends with @samples accepted
 * ones or the whole space. Spaces beyond 2^64 draw one value per
 * parameter and pass over repeats, which are then vanishingly rare. */
static void
list_random (Lister  *lister,
             guint64  size,
             guint    samples,
             guint32  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint *digits = g_new0 (guint, MAX (lister->n_params, 1));

  if (size < G_MAXUINT64)
    {
      g_autoptr(GHashTable) swapped = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

      /* A space the strategy mostly refuses must not be walked to its end. */
      guint64 attempts = MIN (size, (guint64) samples * 100 + 10000);

      for (guint64 i = 0; i < attempts && lister->candidates->len < samples; i++)
        {
          guint64 j = i + draw_below (rand, size - i);
          gint64 *at_j = g_hash_table_lookup (swapped, &j);
          gint64 *at_i = g_hash_table_lookup (swapped, &i);
          gint64 chosen = at_j != NULL ? *at_j : (gint64) j;
          gint64 *key, *value;

          /* Position j now holds what position i held. */
          key = g_new (gint64, 1);
          value = g_new (gint64, 1);
          *key = (gint64) j;
          *value = at_i != NULL ? *at_i : (gint64) i;
          g_hash_table_replace (swapped, key, value);
          decode (lister, (guint64) chosen, digits);
          lister_add (lister, digits);
        }
    }
  else
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      guint64 attempts = (guint64) samples * 100;

      while (lister->candidates->len < samples && attempts-- > 0)
        {
          GString *key = g_string_new (NULL);

          for (guint k = 0; k < lister->n_params; k++)
            {
              digits[k] = g_rand_int_range (rand, 0, (gint32) json_array_get_length (lister->values[k]));
              g_string_append_printf (key, "%u,", digits[k]);
            }
          if (!g_hash_table_add (seen, g_string_free (key, FALSE)))
            continue;
          lister_add (lister, digits);
        }
    }
}

GPtrArray *
bourse_optimiser_list_candidates (BourseStrategy               *strategy,
                                  JsonObject                   *params,
                                  const BourseOptimiserOptions *options,
                                  guint64                      *combinations,
                                  guint                        *n_invalid,
                                  GError                      **error)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GList) members = NULL;
  g_autofree const char **names = NULL;
  g_autofree JsonArray **values = NULL;
  Lister lister = { 0 };
  guint64 size;
  guint i = 0;

  g_return_val_if_fail (BOURSE_IS_STRATEGY (strategy), NULL);
  g_return_val_if_fail (options != NULL && options->space != NULL, NULL);

  members = json_object_get_members (options->space);
  names = g_new0 (const char *, MAX (g_list_length (members), 1));
  values = g_new0 (JsonArray *, MAX (g_list_length (members), 1));
  for (const GList *l = members; l != NULL; l = l->next, i++)
    {
      names[i] = l->data;
      values[i] = json_object_get_array_member (options->space, l->data);
    }

  lister.strategy = strategy;
  lister.params = params;
  lister.space = options->space;
  lister.n_params = i;
  lister.names = names;
  lister.values = values;
  lister.candidates = candidates;

  size = space_size (options->space);
  if (options->method == BOURSE_OPTIMISER_GRID)
    {
      if (size > BOURSE_OPTIMISER_MAX_COMBINATIONS)
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "space",
                                  _("A grid search takes at most %d combinations; this space has more: "
                                    "narrow it or search it at random"), BOURSE_OPTIMISER_MAX_COMBINATIONS);
          return NULL;
        }
      list_grid (&lister, size);
    }
  else
    list_random (&lister, size, MAX (options->samples, 1), options->seed);

  if (candidates->len == 0)
    {
      g_autofree char *field = NULL;

      /* The strategy refused every one: a parameter outside the space
       * (params) or the space itself is to blame; name the space's member
       * when it is one of them. */
      if (lister.blamed != NULL && json_object_has_member (options->space, lister.blamed))
        field = g_strdup_printf ("space.%s", lister.blamed);
      else if (lister.blamed != NULL)
        field = g_strdup_printf ("params.%s", lister.blamed);
      else
        field = g_strdup ("space");
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, _("No combination of the space is valid: %s"),
                              lister.first_error != NULL ? lister.first_error->message : "");
      g_clear_error (&lister.first_error);
      g_free (lister.blamed);
      return NULL;
    }
  g_clear_error (&lister.first_error);
  g_free (lister.blamed);
  if (combinations != NULL)
    *combinations = size;
  if (n_invalid != NULL)
    *n_invalid = lister.n_invalid;
  return g_steal_pointer (&candidates);
}

guint
bourse_optimiser_get_history (const BourseBacktestSpec *base,
                              GPtrArray                *candidates)
{
  guint longest = 1;

  g_return_val_if_fail (base != NULL && BOURSE_IS_STRATEGY (base->strategy), 0);
  g_return_val_if_fail (candidates != NULL, 0);

  for (guint i = 0; i < candidates->len; i++)
    {
      BourseBacktestSpec spec = *base;

      spec.params = g_ptr_array_index (candidates, i);
      longest = MAX (longest, bourse_backtest_spec_get_lookback (&spec));
    }
  return longest - 1;
}

gboolean
bourse_optimiser_split_folds (gsize           window_start,
                              gsize           window_end,
                              guint           folds,
                              BourseDecimal   train_fraction,
                              gsize          *train_start,
                              gsize          *test_start,
                              gsize          *test_end,
                              GError        **error)
{
  guint64 n = window_end > window_start ? window_end - window_start : 0;

  g_return_val_if_fail (folds > 0, FALSE);
  g_return_val_if_fail (train_fraction.units > 0 && train_fraction.units < BOURSE_DECIMAL_UNIT, FALSE);

  for (guint k = 0; k < folds; k++)
    {
      /* Stretch k is [⌊k·n/folds⌋, ⌊(k+1)·n/folds⌋): equal to a candle. */
      guint64 from = k * n / folds, to = (k + 1) * n / folds;
      /* Exact: n ≤ 2^32 candles and 10^8 units stay far inside 64 bits. */
      guint64 train = (to - from) * (guint64) train_fraction.units / BOURSE_DECIMAL_UNIT;

      if (to - from < 2)
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "walk_forward.folds",
                                  _("The window's %u candles are too few for %u folds: "
                                    "each needs a training and a test candle"), (guint) MIN (n, G_MAXUINT), folds);
          return FALSE;
        }
      if (train == 0)
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "walk_forward.train_fraction",
                                  _("The training fraction leaves a fold of %u candles without a training candle"),
                                  (guint) MIN (to - from, G_MAXUINT));
          return FALSE;
        }
      train_start[k] = window_start + from;
      test_start[k] = window_start + from + train;
      test_end[k] = window_start + to;
    }
  return TRUE;
}

/* }}} */

/* Running {{{ */

/* What a run leaves behind for the ranking. */
typedef struct
{
  BourseBacktestMetrics  metrics;
  BourseDecimal          fees;
} Outcome;

typedef struct _Optimiser Optimiser;

typedef struct
{
  Optimiser              *self;
  JsonObject             *params;        /* the candidate's, resolved (read only) */
  gsize                   window_start;
  gsize                   window_end;
  Outcome                *outcome;       /* where the figures go */
  BourseBacktestResult  **keep;          /* or NULL: where the whole result goes */
  gsize                   reported;      /* candles reported so far */
} Task;

struct _Optimiser
{
  const BourseBacktestSeries   *series;
  const BourseBacktestSpec     *base;
  const BourseOptimiserOptions *options;
  GCancellable                 *cancellable;
  BourseOptimiserProgressFunc   progress;
  gpointer                      progress_data;
  guint                         n_threads;

  GMutex                        lock;
  GError                       *error;       /* the first run's failure */
  gint                          failed;      /* atomic */
  guint64                       total;       /* candles over every run */
  guint64                       done;
  double                        reported;
};

static void
task_progress_cb (gsize    done,
                  gsize    total,
                  gpointer user_data)
{
  Task *task = user_data;
  Optimiser *self = task->self;
  double fraction;

  g_mutex_lock (&self->lock);
  self->done += done - task->reported;
  task->reported = done;
  fraction = self->total > 0 ? (double) self->done / (double) self->total : 1;
  /* Every thousandth is plenty for a progress bar, and keeps the job's
   * store writes few. */
  if (self->progress != NULL && (fraction - self->reported >= 0.001 || self->done == self->total))
    {
      self->reported = fraction;
      self->progress (MIN (fraction, 1.0), self->progress_data);
    }
  g_mutex_unlock (&self->lock);
}

/* A strategy instance of the run's own: plugins need not be reentrant
 * across runs, only thread-safe (STRATEGIES.md). */
static BourseStrategy *
new_strategy (BourseStrategy *base)
{
  BourseStrategy *strategy = bourse_strategy_lookup (bourse_strategy_get_id (base));

  /* A strategy that is not registered (a test's own type) is made as is. */
  if (strategy == NULL || G_OBJECT_TYPE (strategy) != G_OBJECT_TYPE (base))
    {
      g_clear_object (&strategy);
      strategy = g_object_new (G_OBJECT_TYPE (base), NULL);
    }
  return strategy;
}

static void
run_task (Task *task)
{
  Optimiser *self = task->self;
  g_autoptr(BourseStrategy) strategy = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(BourseBacktestResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BourseBacktestSpec spec;

  if (g_atomic_int_get (&self->failed) || g_cancellable_is_cancelled (self->cancellable))
    return;

  strategy = new_strategy (self->base->strategy);
  params = bourse_strategy_resolve_parameters (strategy, task->params, NULL, &error);
  if (params != NULL)
    {
      spec = *self->base;
      spec.strategy = strategy;
      spec.params = params;
      spec.window_start = task->window_start;
      spec.window_end = task->window_end;
      result = bourse_backtest_run (self->series, &spec, task_progress_cb, task, self->cancellable, &error);
    }
  if (result == NULL)
    {
      g_mutex_lock (&self->lock);
      if (self->error == NULL)
        self->error = g_steal_pointer (&error);
      g_mutex_unlock (&self->lock);
      g_atomic_int_set (&self->failed, 1);
      return;
    }
  task->outcome->metrics = result->metrics;
  task->outcome->fees = result->fees;
  if (task->keep != NULL)
    *task->keep = g_steal_pointer (&result);
}

static void
pool_func (gpointer data,
           gpointer user_data)
{
  run_task (data);
}

/* Runs @tasks, on the pool's threads or (one thread) on this one. */
static gboolean
run_tasks (Optimiser  *self,
           Task       *tasks,
           gsize       n_tasks,
           GError    **error)
{
  if (self->n_threads <= 1 || n_tasks <= 1)
    for (gsize i = 0; i < n_tasks; i++)
      run_task (&tasks[i]);
  else
    {
      GThreadPool *pool = g_thread_pool_new (pool_func, self, (gint) MIN (self->n_threads, n_tasks), TRUE, error);

      if (pool == NULL)
        return FALSE;
      for (gsize i = 0; i < n_tasks; i++)
        if (!g_thread_pool_push (pool, &tasks[i], error))
          {
            g_atomic_int_set (&self->failed, 1);
            g_thread_pool_free (pool, FALSE, TRUE);
            return FALSE;
          }
      /* Waits for every task pushed. */
      g_thread_pool_free (pool, FALSE, TRUE);
    }
  if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
    return FALSE;
  if (self->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      return FALSE;
    }
  return TRUE;
}

/* Best first: those with min_trades before the others, then the higher
 * objective (+∞ highest), then the one listed first. */
static int
compare_outcomes (const BourseOptimiserOptions *options,
                  const Outcome                *a,
                  guint                         a_index,
                  const Outcome                *b,
                  guint                         b_index)
{
  gboolean a_ok = a->metrics.trades >= options->min_trades;
  gboolean b_ok = b->metrics.trades >= options->min_trades;
  double av = bourse_optimiser_objective_value (options->objective, &a->metrics);
  double bv = bourse_optimiser_objective_value (options->objective, &b->metrics);

  if (a_ok != b_ok)
    return a_ok ? -1 : 1;
  /* NaN, which the metrics never give, would rank last. */
  if (isnan (av) != isnan (bv))
    return isnan (av) ? 1 : -1;
  if (av > bv)
    return -1;
  if (av < bv)
    return 1;
  return a_index < b_index ? -1 : a_index > b_index;
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const BourseOptimiserCandidate *ca = a, *cb = b;
  Outcome oa = { ca->metrics, ca->fees }, ob = { cb->metrics, cb->fees };

  return compare_outcomes (user_data, &oa, ca->index, &ob, cb->index);
}

static void
candidate_clear (gpointer data)
{
  BourseOptimiserCandidate *candidate = data;

  g_clear_pointer (&candidate->params, json_object_unref);
}

static void
fold_clear (gpointer data)
{
  BourseOptimiserFold *fold = data;

  g_clear_pointer (&fold->params, json_object_unref);
  g_clear_pointer (&fold->out_of_sample, bourse_backtest_result_free);
}

/* The test parts' curves end to end, each scaled by the growth of those
 * before it, then thinned to BOURSE_BACKTEST_CURVE_POINTS as a run's is
 * (each point the last of its stretch, with the stretch's worst drawdown). */
static void
chain_curves (BourseOptimiserResult *result)
{
  g_autoptr(GArray) all = g_array_new (FALSE, TRUE, sizeof (BourseBacktestPoint));
  double factor = 1, peak = 0, worst = 0;
  guint stretch;

  for (guint k = 0; k < result->folds->len; k++)
    {
      const BourseOptimiserFold *fold = &g_array_index (result->folds, BourseOptimiserFold, k);
      const GArray *curve = fold->out_of_sample->curve;

      for (guint i = 0; i < curve->len; i++)
        {
          BourseBacktestPoint point = g_array_index (curve, BourseBacktestPoint, i);

          point.equity *= factor;
          point.buy_and_hold = 0;
          peak = MAX (peak, point.equity);
          point.drawdown = peak > 0 ? (peak - point.equity) / peak : 0;
          g_array_append_val (all, point);
        }
      factor *= 1 + fold->out_of_sample->metrics.total_return;
    }

  stretch = MAX ((all->len + BOURSE_BACKTEST_CURVE_POINTS - 1) / BOURSE_BACKTEST_CURVE_POINTS, 1);
  for (guint i = 0; i < all->len; i++)
    {
      BourseBacktestPoint point = g_array_index (all, BourseBacktestPoint, i);

      worst = MAX (worst, point.drawdown);
      if ((i + 1) % stretch == 0 || i + 1 == all->len)
        {
          point.drawdown = worst;
          g_array_append_val (result->out_of_sample_curve, point);
          worst = 0;
        }
    }
}

BourseOptimiserResult *
bourse_optimiser_run (const BourseBacktestSeries   *series,
                      const BourseBacktestSpec     *base,
                      const BourseOptimiserOptions *options,
                      guint                         n_threads,
                      BourseOptimiserProgressFunc   progress,
                      gpointer                      progress_data,
                      GCancellable                 *cancellable,
                      GError                      **error)
{
  g_autoptr(BourseOptimiserResult) result = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autofree Outcome *outcomes = NULL;
  g_autofree Outcome *test_outcomes = NULL;
  g_autofree Task *tasks = NULL;
  g_autofree gsize *train_start = NULL, *test_start = NULL, *test_end = NULL;
  guint folds = options->folds, n, n_tasks = 0;
  gsize ws, we;
  Optimiser self = { 0 };
  guint64 combinations = 0;
  guint n_invalid = 0;
  gboolean ok;

  g_return_val_if_fail (series != NULL, NULL);
  g_return_val_if_fail (base != NULL && BOURSE_IS_STRATEGY (base->strategy), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  candidates = bourse_optimiser_list_candidates (base->strategy, base->params, options, &combinations, &n_invalid,
                                                 error);
  if (candidates == NULL)
    return NULL;
  n = candidates->len;

  /* The window as bourse_backtest_run () reads it. */
  ws = base->window_start > 0 || base->window_end > 0 ? base->window_start : series->first;
  we = base->window_end > 0 ? MIN (base->window_end, series->n_candles) : series->n_candles;
  /* An empty window: the runs refuse it, naming start, as a backtest does. */
  we = MAX (ws, we);
  if (folds > 0)
    {
      train_start = g_new (gsize, folds);
      test_start = g_new (gsize, folds);
      test_end = g_new (gsize, folds);
      if (!bourse_optimiser_split_folds (ws, we, folds, options->train_fraction, train_start, test_start, test_end,
                                         error))
        return NULL;
    }

  self.series = series;
  self.base = base;
  self.options = options;
  self.cancellable = cancellable;
  self.progress = progress;
  self.progress_data = progress_data;
  self.n_threads = n_threads > 0 ? n_threads : g_get_num_processors ();
  g_mutex_init (&self.lock);

  result = g_new0 (BourseOptimiserResult, 1);
  result->method = options->method;
  result->objective = options->objective;
  result->min_trades = options->min_trades;
  result->seed = options->seed;
  result->combinations = combinations;
  result->n_invalid = n_invalid;
  result->train_fraction = options->train_fraction;
  result->candidates = g_array_sized_new (FALSE, TRUE, sizeof (BourseOptimiserCandidate), n);
  g_array_set_clear_func (result->candidates, candidate_clear);
  result->folds = g_array_sized_new (FALSE, TRUE, sizeof (BourseOptimiserFold), folds);
  g_array_set_clear_func (result->folds, fold_clear);
  result->out_of_sample_curve = g_array_new (FALSE, TRUE, sizeof (BourseBacktestPoint));

  /* Every candidate over the window and over each fold's training part,
   * then each fold's winner over its test part: the work, in candles. */
  self.total = (guint64) n * (we - ws);
  for (guint k = 0; k < folds; k++)
    self.total += (guint64) n * (test_start[k] - train_start[k]) + (test_end[k] - test_start[k]);

  /* Outcome c is candidate c over the window; n + k·n + c over fold k's training part. */
  outcomes = g_new0 (Outcome, (gsize) n * (folds + 1));
  tasks = g_new0 (Task, (gsize) n * (folds + 1) + folds);
  for (guint k = 0; k <= folds; k++)
    for (guint c = 0; c < n; c++)
      {
        Task *task = &tasks[n_tasks];

        task->self = &self;
        task->params = g_ptr_array_index (candidates, c);
        task->window_start = k == 0 ? ws : train_start[k - 1];
        task->window_end = k == 0 ? we : test_start[k - 1];
        task->outcome = &outcomes[n_tasks];
        n_tasks++;
      }
  ok = run_tasks (&self, tasks, n_tasks, error);

  if (ok)
    {
      for (guint c = 0; c < n; c++)
        {
          BourseOptimiserCandidate candidate = {
            .params = json_object_ref (g_ptr_array_index (candidates, c)),
            .index = c,
            .metrics = outcomes[c].metrics,
            .fees = outcomes[c].fees,
          };

          g_array_append_val (result->candidates, candidate);
        }
      g_array_sort_with_data (result->candidates, compare_candidates, (gpointer) options);
      for (guint r = 0; r < n; r++)
        g_array_index (result->candidates, BourseOptimiserCandidate, r).rank = r + 1;

      /* Each fold's winner on its training part, then on its test part. */
      for (guint k = 0; k < folds; k++)
        {
          const Outcome *train = &outcomes[(gsize) n * (k + 1)];
          BourseOptimiserFold fold = { 0 };
          guint best = 0;

          for (guint c = 1; c < n; c++)
            if (compare_outcomes (options, &train[c], c, &train[best], best) < 0)
              best = c;
          fold.train_start = train_start[k];
          fold.test_start = test_start[k];
          fold.test_end = test_end[k];
          fold.train_start_time = series->open_time[train_start[k]];
          fold.train_end_time = bourse_interval_next (series->interval, series->open_time[test_start[k] - 1]);
          fold.test_start_time = series->open_time[test_start[k]];
          fold.test_end_time = bourse_interval_next (series->interval, series->open_time[test_end[k] - 1]);
          fold.params = json_object_ref (g_ptr_array_index (candidates, best));
          fold.in_sample = train[best].metrics;
          fold.in_sample_fees = train[best].fees;
          g_array_append_val (result->folds, fold);
        }
      test_outcomes = g_new0 (Outcome, MAX (folds, 1));
      for (guint k = 0; k < folds; k++)
        {
          BourseOptimiserFold *fold = &g_array_index (result->folds, BourseOptimiserFold, k);
          Task *task = &tasks[n_tasks + k];

          task->self = &self;
          task->params = fold->params;
          task->window_start = fold->test_start;
          task->window_end = fold->test_end;
          task->outcome = &test_outcomes[k];
          task->keep = &fold->out_of_sample;
        }
      ok = run_tasks (&self, &tasks[n_tasks], folds, error);
    }

  g_mutex_clear (&self.lock);
  g_clear_error (&self.error);
  if (!ok)
    return NULL;

  if (folds > 0)
    {
      double in_growth = 1, out_growth = 1;

      for (guint k = 0; k < folds; k++)
        {
          const BourseOptimiserFold *fold = &g_array_index (result->folds, BourseOptimiserFold, k);

          in_growth *= 1 + fold->in_sample.total_return;
          out_growth *= 1 + fold->out_of_sample->metrics.total_return;
          result->in_sample_trades += fold->in_sample.trades;
          result->out_of_sample_trades += fold->out_of_sample->metrics.trades;
        }
      result->in_sample_return = in_growth - 1;
      result->out_of_sample_return = out_growth - 1;
      chain_curves (result);
    }
  if (progress != NULL)
    progress (1.0, progress_data);
  return g_steal_pointer (&result);
}

void
bourse_optimiser_result_free (BourseOptimiserResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->candidates, g_array_unref);
  g_clear_pointer (&result->folds, g_array_unref);
  g_clear_pointer (&result->out_of_sample_curve, g_array_unref);
  g_free (result);
}

/* }}} */

/* JSON {{{ */

static void
add_object (JsonBuilder *builder,
            const char  *name,
            JsonObject  *object)
{
  JsonNode *node = json_node_alloc ();

  json_node_init_object (node, object);
  json_builder_set_member_name (builder, name);
  json_builder_add_value (builder, node);
}

static void
add_metrics (JsonBuilder                 *builder,
             const char                  *name,
             const BourseBacktestMetrics *metrics,
             BourseDecimal                fees)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_value (builder, bourse_backtest_metrics_to_json (metrics, fees));
}

static void
add_candidate (JsonBuilder                    *builder,
               const BourseOptimiserResult    *result,
               const BourseOptimiserCandidate *candidate)
{
  json_builder_begin_object (builder);
  bourse_json_builder_add_int (builder, "rank", candidate->rank);
  add_object (builder, "params", candidate->params);
  /* profit_factor's +∞ has no JSON number: null, as in the metrics. */
  bourse_json_builder_add_finite (builder, "objective", bourse_optimiser_objective_value (result->objective, &candidate->metrics));
  json_builder_set_member_name (builder, "qualified");
  json_builder_add_boolean_value (builder, candidate->metrics.trades >= result->min_trades);
  add_metrics (builder, "metrics", &candidate->metrics, candidate->fees);
  json_builder_end_object (builder);
}

static void
add_window (JsonBuilder *builder,
            const char  *name,
            gint64       start,
            gint64       end,
            gsize        n_candles)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  bourse_json_builder_add_time (builder, "start", start);
  bourse_json_builder_add_time (builder, "end", end);
  bourse_json_builder_add_int (builder, "candles", (gint64) n_candles);
  json_builder_end_object (builder);
}

JsonNode *
bourse_optimiser_result_to_json (const BourseOptimiserResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean walk_forward;

  g_return_val_if_fail (result != NULL, NULL);

  walk_forward = result->folds->len > 0;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, bourse_optimiser_method_to_string (result->method));
  json_builder_set_member_name (builder, "objective");
  json_builder_add_string_value (builder, bourse_optimiser_objective_to_string (result->objective));
  bourse_json_builder_add_int (builder, "min_trades", result->min_trades);
  bourse_json_builder_add_int (builder, "seed", result->seed);
  json_builder_set_member_name (builder, "combinations");
  if (result->combinations < G_MAXUINT64 && result->combinations <= (guint64) G_MAXINT64)
    json_builder_add_int_value (builder, (gint64) result->combinations);
  else
    json_builder_add_null_value (builder);
  bourse_json_builder_add_int (builder, "invalid", result->n_invalid);

  json_builder_set_member_name (builder, "candidates");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->candidates->len; i++)
    add_candidate (builder, result, &g_array_index (result->candidates, BourseOptimiserCandidate, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "best");
  if (result->candidates->len > 0)
    add_candidate (builder, result, &g_array_index (result->candidates, BourseOptimiserCandidate, 0));
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "walk_forward");
  if (walk_forward)
    {
      json_builder_begin_object (builder);
      bourse_json_builder_add_int (builder, "folds", result->folds->len);
      bourse_json_builder_add_decimal (builder, "train_fraction", &result->train_fraction);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "folds");
  json_builder_begin_array (builder);
  for (guint k = 0; k < result->folds->len; k++)
    {
      const BourseOptimiserFold *fold = &g_array_index (result->folds, BourseOptimiserFold, k);

      json_builder_begin_object (builder);
      bourse_json_builder_add_int (builder, "fold", k + 1);
      add_window (builder, "train", fold->train_start_time, fold->train_end_time,
                  fold->test_start - fold->train_start);
      add_window (builder, "test", fold->test_start_time, fold->test_end_time, fold->test_end - fold->test_start);
      add_object (builder, "params", fold->params);
      add_metrics (builder, "in_sample", &fold->in_sample, fold->in_sample_fees);
      add_metrics (builder, "out_of_sample", &fold->out_of_sample->metrics, fold->out_of_sample->fees);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "in_sample");
  if (walk_forward)
    {
      json_builder_begin_object (builder);
      bourse_json_builder_add_finite (builder, "total_return", result->in_sample_return);
      bourse_json_builder_add_int (builder, "trades", result->in_sample_trades);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "out_of_sample");
  if (walk_forward)
    {
      json_builder_begin_object (builder);
      bourse_json_builder_add_finite (builder, "total_return", result->out_of_sample_return);
      bourse_json_builder_add_int (builder, "trades", result->out_of_sample_trades);
      json_builder_set_member_name (builder, "equity");
      json_builder_begin_array (builder);
      for (guint i = 0; i < result->out_of_sample_curve->len; i++)
        {
          const BourseBacktestPoint *point = &g_array_index (result->out_of_sample_curve, BourseBacktestPoint, i);

          json_builder_begin_object (builder);
          bourse_json_builder_add_time (builder, "time", point->time);
          bourse_json_builder_add_finite (builder, "equity", point->equity);
          bourse_json_builder_add_finite (builder, "drawdown", point->drawdown);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* }}} */
