/* bourse-heatmap-grid.c — an optimisation's candidates binned on two of
 * their parameters, and the colour scale of their objective
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "bourse-heatmap-grid.h"

static gboolean
param_value (JsonObject *candidate,
             const char *name,
             double     *value)
{
  JsonObject *params;
  JsonNode *node;

  if (!json_object_has_member (candidate, "params"))
    return FALSE;
  node = json_object_get_member (candidate, "params");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  params = json_node_get_object (node);
  node = json_object_get_member (params, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *value = (double) json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *value = json_node_get_double (node);
      return isfinite (*value);
    default:
      return FALSE;
    }
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Sorted distinct values: the axis. */
static double *
axis_new (GArray *values,
          guint  *n)
{
  guint kept = 0;

  g_array_sort (values, compare_doubles);
  for (guint i = 0; i < values->len; i++)
    if (kept == 0 || g_array_index (values, double, i) != g_array_index (values, double, kept - 1))
      g_array_index (values, double, kept++) = g_array_index (values, double, i);

  *n = kept;
  return g_memdup2 (values->data, MAX (kept, 1) * sizeof (double));
}

static guint
axis_index (const double *axis,
            guint         n,
            double        value)
{
  const double *found = bsearch (&value, axis, n, sizeof (double), compare_doubles);

  return found != NULL ? (guint) (found - axis) : G_MAXUINT;
}

BourseHeatmapGrid *
bourse_heatmap_grid_new (JsonArray  *candidates,
                         const char *x,
                         const char *y)
{
  g_autoptr(GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ys = g_array_new (FALSE, FALSE, sizeof (double));
  BourseHeatmapGrid *grid = g_new0 (BourseHeatmapGrid, 1);
  guint n_candidates = candidates != NULL ? json_array_get_length (candidates) : 0;

  g_return_val_if_fail (x != NULL && y != NULL, grid);

  grid->low = INFINITY;
  grid->high = -INFINITY;

  for (guint i = 0; i < n_candidates; i++)
    {
      JsonNode *node = json_array_get_element (candidates, i);
      double a, b;

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          param_value (json_node_get_object (node), x, &a) && param_value (json_node_get_object (node), y, &b))
        {
          g_array_append_val (xs, a);
          g_array_append_val (ys, b);
        }
    }

  grid->x_values = axis_new (xs, &grid->n_x);
  grid->y_values = axis_new (ys, &grid->n_y);
  grid->cells = g_new (double, MAX (grid->n_x * grid->n_y, 1));
  grid->ranks = g_new0 (gint64, MAX (grid->n_x * grid->n_y, 1));
  for (guint i = 0; i < grid->n_x * grid->n_y; i++)
    grid->cells[i] = NAN;

  /* Best first: a cell keeps the first candidate to reach it, the best of
   * those that differ only in the other parameters. */
  for (guint i = 0; i < n_candidates; i++)
    {
      JsonNode *node = json_array_get_element (candidates, i);
      JsonObject *candidate = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *objective;
      double a, b, value;
      guint cell;

      if (candidate == NULL || !param_value (candidate, x, &a) || !param_value (candidate, y, &b))
        continue;

      cell = axis_index (grid->y_values, grid->n_y, b) * grid->n_x + axis_index (grid->x_values, grid->n_x, a);
      if (!isnan (grid->cells[cell]))
        continue;

      /* null: a profit factor without a loss, which ranks highest. */
      objective = json_object_get_member (candidate, "objective");
      if (objective == NULL || JSON_NODE_HOLDS_NULL (objective))
        value = INFINITY;
      else if (JSON_NODE_HOLDS_VALUE (objective) &&
               (json_node_get_value_type (objective) == G_TYPE_DOUBLE ||
                json_node_get_value_type (objective) == G_TYPE_INT64))
        value = json_node_get_double (objective);
      else
        continue;

      grid->cells[cell] = value;
      grid->ranks[cell] = json_object_get_int_member_with_default (candidate, "rank", 0);
      grid->n_filled++;
      if (isfinite (value))
        {
          grid->low = MIN (grid->low, value);
          grid->high = MAX (grid->high, value);
        }
    }

  return grid;
}

void
bourse_heatmap_grid_free (BourseHeatmapGrid *grid)
{
  if (grid == NULL)
    return;

  g_free (grid->x_values);
  g_free (grid->y_values);
  g_free (grid->cells);
  g_free (grid->ranks);
  g_free (grid);
}

double
bourse_heatmap_grid_get (const BourseHeatmapGrid *grid,
                         guint                    x,
                         guint                    y)
{
  g_return_val_if_fail (grid != NULL, NAN);

  if (x >= grid->n_x || y >= grid->n_y)
    return NAN;

  return grid->cells[y * grid->n_x + x];
}

double
bourse_heatmap_grid_scale (const BourseHeatmapGrid *grid,
                           double                   value)
{
  g_return_val_if_fail (grid != NULL, NAN);

  if (isnan (value))
    return NAN;
  if (value == INFINITY)
    return 1;
  if (!(grid->high > grid->low))
    return 0.5;

  return CLAMP ((value - grid->low) / (grid->high - grid->low), 0, 1);
}

void
bourse_heatmap_colour (double  t,
                       double *red,
                       double *green,
                       double *blue)
{
  /* Two straight stretches: red → amber → green, readable in light and
   * dark styles alike. */
  static const double stops[3][3] = {
    { 0.88, 0.11, 0.14 },  /* red */
    { 0.96, 0.76, 0.07 },  /* amber */
    { 0.18, 0.76, 0.49 },  /* green */
  };
  double s;
  guint i;

  t = isnan (t) ? 0 : CLAMP (t, 0, 1);
  i = t < 0.5 ? 0 : 1;
  s = t < 0.5 ? t * 2 : (t - 0.5) * 2;

  *red = stops[i][0] + (stops[i + 1][0] - stops[i][0]) * s;
  *green = stops[i][1] + (stops[i + 1][1] - stops[i][1]) * s;
  *blue = stops[i][2] + (stops[i + 1][2] - stops[i][2]) * s;
}
