/* bourse-heatmap-grid.h — an optimisation's candidates binned on two of
 * their parameters, and the colour scale of their objective
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Free of GTK so that the binning is tested on its own (test-heatmap-grid).
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint   n_x;       /* distinct values of the first parameter, ascending */
  guint   n_y;       /* of the second */
  double *x_values;
  double *y_values;
  /* n_x × n_y, row y then column x: the objective of the best-ranked
   * candidate with those two values, +∞ for an infinite one, NAN where
   * no candidate has them. */
  double *cells;
  gint64 *ranks;     /* the rank of that candidate, 0 where none */
  guint   n_filled;
  double  low;       /* finite objectives' bounds over the filled cells */
  double  high;
} BourseHeatmapGrid;

/* The cells of @candidates (an optimisation result's, best first: each
 * {"rank", "params", "objective"}) on parameters @x and @y. Candidates
 * that do not have both as numbers are left out. */
BourseHeatmapGrid *bourse_heatmap_grid_new    (JsonArray               *candidates,
                                               const char              *x,
                                               const char              *y);
void               bourse_heatmap_grid_free   (BourseHeatmapGrid       *grid);
double             bourse_heatmap_grid_get    (const BourseHeatmapGrid *grid,
                                               guint                    x,
                                               guint                    y);
/* Where @value stands between the lowest and highest objective, in
 * [0, 1]: +∞ is 1, a grid of one value 0.5, NAN stays NAN. */
double             bourse_heatmap_grid_scale  (const BourseHeatmapGrid *grid,
                                               double                   value);
/* The colour of @t in [0, 1]: red (worst) through amber to green (best),
 * each component in [0, 1]. */
void               bourse_heatmap_colour      (double                   t,
                                               double                  *red,
                                               double                  *green,
                                               double                  *blue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseHeatmapGrid, bourse_heatmap_grid_free)

G_END_DECLS
