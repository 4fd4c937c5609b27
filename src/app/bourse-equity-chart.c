/* bourse-equity-chart.c — the account's equity over time, drawn with GSK nodes
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "bourse-equity-chart.h"

#define CHART_HEIGHT 160
#define LINE_WIDTH   2.0

struct _BourseEquityChart
{
  GtkWidget  parent_instance;

  GArray    *times;      /* gint64 */
  GArray    *values;     /* double */
  GArray    *reference;  /* double, as many as values, or none */
  gboolean   underwater;
};

G_DEFINE_FINAL_TYPE (BourseEquityChart, bourse_equity_chart, GTK_TYPE_WIDGET)

/* A segment as a thin rectangle turned along it: GTK 4.8 has no paths. */
static void
append_segment (GtkSnapshot   *snapshot,
                const GdkRGBA *colour,
                double         x1,
                double         y1,
                double         x2,
                double         y2)
{
  double length = hypot (x2 - x1, y2 - y1);

  if (length <= 0)
    return;

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x1, y1));
  gtk_snapshot_rotate (snapshot, atan2 (y2 - y1, x2 - x1) * 180 / G_PI);
  gtk_snapshot_append_color (snapshot, colour,
                             &GRAPHENE_RECT_INIT (0, -LINE_WIDTH / 2, length, LINE_WIDTH));
  gtk_snapshot_restore (snapshot);
}

static void
bourse_equity_chart_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  BourseEquityChart *self = BOURSE_EQUITY_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double low = INFINITY, high = -INFINITY;
  gint64 first, last;
  GdkRGBA colour, area, grid, reference;
  guint n = self->values->len;
  gboolean has_reference = self->reference->len == n;
  double prev_x = 0, prev_y = 0;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &colour);
  grid = colour;
  grid.alpha = 0.1;
  reference = colour;
  reference.alpha = 0.45;
  for (int i = 1; i < 4; i++)
    gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (0, height * i / 4, width, 1));

  if (n < 2)
    return;

  for (guint i = 0; i < n; i++)
    {
      double other = has_reference ? g_array_index (self->reference, double, i) : NAN;

      low = MIN (low, g_array_index (self->values, double, i));
      high = MAX (high, g_array_index (self->values, double, i));
      if (isfinite (other))
        {
          low = MIN (low, other);
          high = MAX (high, other);
        }
    }
  /* Under water, the top is no loss at all. */
  if (self->underwater)
    high = MAX (high, 0);
  if (high - low < 1e-9)
    {
      low -= 1;
      high += 1;
    }
  first = g_array_index (self->times, gint64, 0);
  last = MAX (g_array_index (self->times, gint64, n - 1), first + 1);

#define X_OF(i) ((double) (g_array_index (self->times, gint64, (i)) - first) / (last - first) * width)
#define Y_OF(v) (height - 4 - ((v) - low) / (high - low) * (height - 8))

  /* The comparison first, under the line that matters. */
  for (guint i = 1; has_reference && i < n; i++)
    {
      double from = g_array_index (self->reference, double, i - 1);
      double to = g_array_index (self->reference, double, i);

      if (isfinite (from) && isfinite (to))
        append_segment (snapshot, &reference, X_OF (i - 1), Y_OF (from), X_OF (i), Y_OF (to));
    }

  /* The accent, as the sidebar's selection: the line, and under it a
   * light area down to the lowest value; a drawdown in the error colour,
   * its area hanging from the top. */
  gdk_rgba_parse (&colour, self->underwater ? "#e01b24" : "#3584e4");
  area = colour;
  area.alpha = 0.15;

  for (guint i = 0; i < n; i++)
    {
      double x = X_OF (i);
      double y = Y_OF (g_array_index (self->values, double, i));

      if (i > 0)
        {
          if (self->underwater)
            gtk_snapshot_append_color (snapshot, &area,
                                       &GRAPHENE_RECT_INIT (prev_x, 0, MAX (x - prev_x, 1), MIN (prev_y, y)));
          else
            gtk_snapshot_append_color (snapshot, &area,
                                       &GRAPHENE_RECT_INIT (prev_x, MAX (prev_y, y) , MAX (x - prev_x, 1),
                                                            height - MAX (prev_y, y)));
          append_segment (snapshot, &colour, prev_x, prev_y, x, y);
        }
      prev_x = x;
      prev_y = y;
    }

#undef X_OF
#undef Y_OF
}

static void
bourse_equity_chart_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_VERTICAL ? CHART_HEIGHT : 120;
  *natural = orientation == GTK_ORIENTATION_VERTICAL ? CHART_HEIGHT : 600;
}

void
bourse_equity_chart_set_series (BourseEquityChart *self,
                                const gint64      *times,
                                const double      *values,
                                const double      *reference,
                                guint              n_points)
{
  g_return_if_fail (BOURSE_IS_EQUITY_CHART (self));
  g_return_if_fail (n_points == 0 || (times != NULL && values != NULL));

  g_array_set_size (self->times, 0);
  g_array_set_size (self->values, 0);
  g_array_set_size (self->reference, 0);
  for (guint i = 0; i < n_points; i++)
    if (isfinite (values[i]))
      {
        g_array_append_val (self->times, times[i]);
        g_array_append_val (self->values, values[i]);
        if (reference != NULL)
          g_array_append_val (self->reference, reference[i]);
      }

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
bourse_equity_chart_set_points (BourseEquityChart *self,
                                const gint64      *times,
                                const double      *values,
                                guint              n_points)
{
  bourse_equity_chart_set_series (self, times, values, NULL, n_points);
}

void
bourse_equity_chart_set_underwater (BourseEquityChart *self,
                                    gboolean           underwater)
{
  g_return_if_fail (BOURSE_IS_EQUITY_CHART (self));

  self->underwater = !!underwater;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
bourse_equity_chart_get_n_points (BourseEquityChart *self)
{
  g_return_val_if_fail (BOURSE_IS_EQUITY_CHART (self), 0);

  return self->values->len;
}

static void
bourse_equity_chart_finalize (GObject *object)
{
  BourseEquityChart *self = (BourseEquityChart *)object;

  g_clear_pointer (&self->times, g_array_unref);
  g_clear_pointer (&self->values, g_array_unref);
  g_clear_pointer (&self->reference, g_array_unref);

  G_OBJECT_CLASS (bourse_equity_chart_parent_class)->finalize (object);
}

static void
bourse_equity_chart_class_init (BourseEquityChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bourse_equity_chart_finalize;
  widget_class->snapshot = bourse_equity_chart_snapshot;
  widget_class->measure = bourse_equity_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "equitychart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bourse_equity_chart_init (BourseEquityChart *self)
{
  self->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->values = g_array_new (FALSE, FALSE, sizeof (double));
  self->reference = g_array_new (FALSE, FALSE, sizeof (double));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Equity over time"),
                                  -1);
}

GtkWidget *
bourse_equity_chart_new (void)
{
  return g_object_new (BOURSE_TYPE_EQUITY_CHART, NULL);
}
