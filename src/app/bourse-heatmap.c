/* bourse-heatmap.c — an optimisation's objective over two parameters,
 * drawn with GSK nodes
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The binning and the colour scale are bourse-heatmap-grid.c's; this
 * draws the cells, the axes' values and the legend, and says a cell's
 * values in its tooltip.
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>

#include <glib/gi18n.h>

#include "bourse-heatmap.h"

#define MARGIN_LEFT   56.0
#define MARGIN_BOTTOM 40.0
#define LEGEND_WIDTH  64.0
#define GAP           2.0
#define MIN_HEIGHT    220

struct _BourseHeatmap
{
  GtkWidget          parent_instance;

  BourseHeatmapGrid *grid;
  char              *x_title;
  char              *y_title;
};

G_DEFINE_FINAL_TYPE (BourseHeatmap, bourse_heatmap, GTK_TYPE_WIDGET)

static char *
format_axis_value (double value)
{
  return g_strdup_printf ("%g", value);
}

static char *
format_objective (double value)
{
  if (value == INFINITY)
    return g_strdup ("∞");
  return g_strdup_printf ("%.3f", value);
}

/* The cells' area: left of the legend, above the x axis's values. */
static graphene_rect_t
cells_area (BourseHeatmap *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  return GRAPHENE_RECT_INIT (MARGIN_LEFT, 0, MAX (width - MARGIN_LEFT - LEGEND_WIDTH, 0),
                             MAX (height - MARGIN_BOTTOM, 0));
}

static void
append_text (BourseHeatmap *self,
             GtkSnapshot   *snapshot,
             const char    *text,
             double         x,
             double         y,
             double         xalign)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  GdkRGBA colour;
  int width, height;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &colour);
  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x - width * xalign, y - height / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, &colour);
  gtk_snapshot_restore (snapshot);
}

static void
colour_of (const BourseHeatmapGrid *grid,
           double                   value,
           GdkRGBA                 *colour)
{
  double red, green, blue;

  bourse_heatmap_colour (bourse_heatmap_grid_scale (grid, value), &red, &green, &blue);
  *colour = (GdkRGBA) { red, green, blue, 1 };
}

static void
bourse_heatmap_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  BourseHeatmap *self = BOURSE_HEATMAP (widget);
  const BourseHeatmapGrid *grid = self->grid;
  graphene_rect_t area = cells_area (self);
  double cell_width, cell_height, legend_x;
  GdkRGBA blank = { 0.5, 0.5, 0.5, 0.12 };

  if (grid == NULL || grid->n_x == 0 || grid->n_y == 0 || area.size.width <= 0 || area.size.height <= 0)
    return;

  cell_width = area.size.width / grid->n_x;
  cell_height = area.size.height / grid->n_y;

  /* The second parameter upwards, as on a chart. */
  for (guint y = 0; y < grid->n_y; y++)
    for (guint x = 0; x < grid->n_x; x++)
      {
        double value = bourse_heatmap_grid_get (grid, x, y);
        GdkRGBA colour;

        if (isnan (value))
          colour = blank;
        else
          colour_of (grid, value, &colour);
        gtk_snapshot_append_color (snapshot, &colour,
                                   &GRAPHENE_RECT_INIT (area.origin.x + x * cell_width + GAP / 2,
                                                        area.origin.y + (grid->n_y - 1 - y) * cell_height + GAP / 2,
                                                        MAX (cell_width - GAP, 1), MAX (cell_height - GAP, 1)));
      }

  /* Every axis value when they fit, else about every 40 pixels. */
  for (guint x = 0; x < grid->n_x; x += MAX (1, (guint) ceil (40 / cell_width)))
    {
      g_autofree char *text = format_axis_value (grid->x_values[x]);

      append_text (self, snapshot, text, area.origin.x + (x + 0.5) * cell_width, area.size.height + 10, 0.5);
    }
  for (guint y = 0; y < grid->n_y; y += MAX (1, (guint) ceil (20 / cell_height)))
    {
      g_autofree char *text = format_axis_value (grid->y_values[y]);

      append_text (self, snapshot, text, MARGIN_LEFT - 6, (grid->n_y - 1 - y + 0.5) * cell_height, 1);
    }
  if (self->x_title != NULL)
    append_text (self, snapshot, self->x_title, area.origin.x + area.size.width / 2, area.size.height + 28, 0.5);
  if (self->y_title != NULL)
    append_text (self, snapshot, self->y_title, 4, area.size.height + 28, 0);

  /* The legend: the scale bottom to top, its bounds beside it. */
  legend_x = area.origin.x + area.size.width + 12;
  for (int i = 0; i < 32; i++)
    {
      double red, green, blue;
      double step = area.size.height / 32;

      bourse_heatmap_colour (i / 31.0, &red, &green, &blue);
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { red, green, blue, 1 },
                                 &GRAPHENE_RECT_INIT (legend_x, area.size.height - (i + 1) * step, 12, step + 0.5));
    }
  if (isfinite (grid->low))
    {
      g_autofree char *low = format_objective (grid->low);
      g_autofree char *high = format_objective (grid->high);

      append_text (self, snapshot, high, legend_x + 16, 8, 0);
      append_text (self, snapshot, low, legend_x + 16, area.size.height - 8, 0);
    }
}

static void
bourse_heatmap_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = MARGIN_LEFT + LEGEND_WIDTH + 120;
  else
    *minimum = *natural = MIN_HEIGHT;
}

char *
bourse_heatmap_dup_cell_text (BourseHeatmap *self,
                              double         x,
                              double         y)
{
  const BourseHeatmapGrid *grid;
  graphene_rect_t area;
  g_autofree char *x_value = NULL;
  g_autofree char *y_value = NULL;
  g_autofree char *objective = NULL;
  double value;
  guint column, row;

  g_return_val_if_fail (BOURSE_IS_HEATMAP (self), NULL);

  grid = self->grid;
  area = cells_area (self);
  if (grid == NULL || grid->n_x == 0 || grid->n_y == 0 || !graphene_rect_contains_point (&area, &GRAPHENE_POINT_INIT (x, y)))
    return NULL;

  column = MIN ((guint) ((x - area.origin.x) / (area.size.width / grid->n_x)), grid->n_x - 1);
  row = grid->n_y - 1 - MIN ((guint) ((y - area.origin.y) / (area.size.height / grid->n_y)), grid->n_y - 1);
  x_value = format_axis_value (grid->x_values[column]);
  y_value = format_axis_value (grid->y_values[row]);
  value = bourse_heatmap_grid_get (grid, column, row);

  if (isnan (value))
    /* Translators: two parameters and their values, for which no candidate ran */
    return g_strdup_printf (_("%s = %s, %s = %s: no candidate"), self->x_title, x_value, self->y_title, y_value);

  objective = format_objective (value);
  /* Translators: two parameters and their values, the objective and the candidate's rank */
  return g_strdup_printf (_("%s = %s, %s = %s: objective %s (rank %" PRId64 ")"),
                          self->x_title, x_value, self->y_title, y_value, objective,
                          grid->ranks[row * grid->n_x + column]);
}

static gboolean
bourse_heatmap_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard,
                              GtkTooltip *tooltip)
{
  g_autofree char *text = bourse_heatmap_dup_cell_text (BOURSE_HEATMAP (widget), x, y);

  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
bourse_heatmap_finalize (GObject *object)
{
  BourseHeatmap *self = (BourseHeatmap *)object;

  g_clear_pointer (&self->grid, bourse_heatmap_grid_free);
  g_clear_pointer (&self->x_title, g_free);
  g_clear_pointer (&self->y_title, g_free);

  G_OBJECT_CLASS (bourse_heatmap_parent_class)->finalize (object);
}

static void
bourse_heatmap_class_init (BourseHeatmapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bourse_heatmap_finalize;
  widget_class->snapshot = bourse_heatmap_snapshot;
  widget_class->measure = bourse_heatmap_measure;
  widget_class->query_tooltip = bourse_heatmap_query_tooltip;
}

static void
bourse_heatmap_init (BourseHeatmap *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
bourse_heatmap_new (void)
{
  return g_object_new (BOURSE_TYPE_HEATMAP, NULL);
}

void
bourse_heatmap_set_grid (BourseHeatmap     *self,
                         BourseHeatmapGrid *grid,
                         const char        *x_title,
                         const char        *y_title)
{
  g_return_if_fail (BOURSE_IS_HEATMAP (self));

  g_clear_pointer (&self->grid, bourse_heatmap_grid_free);
  self->grid = grid;
  g_free (self->x_title);
  self->x_title = g_strdup (x_title);
  g_free (self->y_title);
  self->y_title = g_strdup (y_title);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
bourse_heatmap_get_n_filled (BourseHeatmap *self)
{
  g_return_val_if_fail (BOURSE_IS_HEATMAP (self), 0);

  return self->grid != NULL ? self->grid->n_filled : 0;
}
