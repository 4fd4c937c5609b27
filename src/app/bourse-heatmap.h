/* bourse-heatmap.h — an optimisation's objective over two parameters
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bourse-heatmap-grid.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_HEATMAP (bourse_heatmap_get_type ())

G_DECLARE_FINAL_TYPE (BourseHeatmap, bourse_heatmap, BOURSE, HEATMAP, GtkWidget)

GtkWidget *bourse_heatmap_new          (void);
/* Takes @grid (may be NULL: nothing drawn); @x_title and @y_title name
 * its axes. */
void       bourse_heatmap_set_grid     (BourseHeatmap     *self,
                                        BourseHeatmapGrid *grid,
                                        const char        *x_title,
                                        const char        *y_title);
/* Cells with a candidate. */
guint      bourse_heatmap_get_n_filled (BourseHeatmap     *self);
/* The text of the cell under (@x, @y), as its tooltip, or NULL. */
char      *bourse_heatmap_dup_cell_text (BourseHeatmap    *self,
                                         double            x,
                                         double            y);

G_END_DECLS
