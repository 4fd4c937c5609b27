/* bourse-pnl-calendar.c — a year of daily profit and loss as a heatmap
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "bourse-pnl-calendar.h"

#define CELL   12
#define GAP    2
#define WEEKS  54

typedef struct
{
  double  value;
  char   *text;
} Day;

struct _BoursePnlCalendar
{
  GtkWidget   parent_instance;

  int         year;
  GHashTable *days;      /* "YYYY-MM-DD" → Day */
};

G_DEFINE_FINAL_TYPE (BoursePnlCalendar, bourse_pnl_calendar, GTK_TYPE_WIDGET)

static void
day_free (Day *day)
{
  g_free (day->text);
  g_free (day);
}

/* The cell of the @n-th day of the year (0-based): its week column and
 * weekday row. */
static void
cell_of (int      year,
         guint    n,
         int     *column,
         int     *row)
{
  GDate date;
  int first_weekday;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_JANUARY, year);
  first_weekday = g_date_get_weekday (&date) - 1;   /* Monday 0 */

  *column = (first_weekday + n) / 7;
  *row = (first_weekday + n) % 7;
}

/* "YYYY-MM-DD" of the @n-th day of @year (0-based). */
static char *
day_key (int   year,
         guint n)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_JANUARY, year);
  g_date_add_days (&date, n);

  return g_strdup_printf ("%04d-%02d-%02d", year, g_date_get_month (&date), g_date_get_day (&date));
}

static void
bourse_pnl_calendar_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  BoursePnlCalendar *self = BOURSE_PNL_CALENDAR (widget);
  GdkRGBA foreground, empty, gain, loss;
  double largest = 0;
  GHashTableIter iter;
  gpointer value;
  guint n_days;

  if (self->year <= 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &foreground);
  empty = foreground;
  empty.alpha = 0.08;
  gdk_rgba_parse (&gain, "#26a269");
  gdk_rgba_parse (&loss, "#c01c28");

  g_hash_table_iter_init (&iter, self->days);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    largest = MAX (largest, fabs (((Day *) value)->value));

  n_days = g_date_is_leap_year (self->year) ? 366 : 365;
  for (guint n = 0; n < n_days; n++)
    {
      g_autofree char *key = day_key (self->year, n);
      GdkRGBA colour = empty;
      Day *day;
      int column, row;

      if ((day = g_hash_table_lookup (self->days, key)) != NULL && largest > 0 && day->value != 0)
        {
          colour = day->value > 0 ? gain : loss;
          /* Every traded day shows; the largest in full colour. */
          colour.alpha = 0.3 + 0.7 * fabs (day->value) / largest;
        }

      cell_of (self->year, n, &column, &row);
      gtk_snapshot_append_color (snapshot, &colour,
                                 &GRAPHENE_RECT_INIT (column * (CELL + GAP), row * (CELL + GAP),
                                                      CELL, CELL));
    }
}

static void
bourse_pnl_calendar_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL
                      ? WEEKS * (CELL + GAP) : 7 * (CELL + GAP);
}

static gboolean
bourse_pnl_calendar_query_tooltip (GtkWidget  *widget,
                                   int         x,
                                   int         y,
                                   gboolean    keyboard,
                                   GtkTooltip *tooltip)
{
  BoursePnlCalendar *self = BOURSE_PNL_CALENDAR (widget);
  int column = x / (CELL + GAP), row = y / (CELL + GAP);
  int first_column, first_row, n;
  g_autofree char *key = NULL;
  g_autofree char *shown = NULL;
  Day *day;

  if (self->year <= 0 || row > 6)
    return FALSE;

  cell_of (self->year, 0, &first_column, &first_row);
  n = column * 7 + row - first_row;
  if (n < 0 || n >= (g_date_is_leap_year (self->year) ? 366 : 365))
    return FALSE;

  key = day_key (self->year, n);
  day = g_hash_table_lookup (self->days, key);

  /* Translators: a day without any closed trade */
  shown = g_strdup_printf ("%s\n%s", key, day != NULL ? day->text : _("No trades"));
  gtk_tooltip_set_text (tooltip, shown);
  return TRUE;
}

void
bourse_pnl_calendar_set_year (BoursePnlCalendar *self,
                              int                year)
{
  g_return_if_fail (BOURSE_IS_PNL_CALENDAR (self));

  self->year = year;
  g_hash_table_remove_all (self->days);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
bourse_pnl_calendar_set_day (BoursePnlCalendar *self,
                             const char        *date,
                             double             value,
                             const char        *text)
{
  Day *day;

  g_return_if_fail (BOURSE_IS_PNL_CALENDAR (self));
  g_return_if_fail (date != NULL);

  day = g_new0 (Day, 1);
  day->value = isfinite (value) ? value : 0;
  day->text = g_strdup (text);
  g_hash_table_replace (self->days, g_strdup (date), day);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
bourse_pnl_calendar_get_n_days (BoursePnlCalendar *self)
{
  g_return_val_if_fail (BOURSE_IS_PNL_CALENDAR (self), 0);

  return g_hash_table_size (self->days);
}

const char *
bourse_pnl_calendar_get_text (BoursePnlCalendar *self,
                              const char        *date)
{
  Day *day;

  g_return_val_if_fail (BOURSE_IS_PNL_CALENDAR (self), NULL);

  day = date != NULL ? g_hash_table_lookup (self->days, date) : NULL;
  return day != NULL ? day->text : NULL;
}

static void
bourse_pnl_calendar_finalize (GObject *object)
{
  BoursePnlCalendar *self = (BoursePnlCalendar *)object;

  g_clear_pointer (&self->days, g_hash_table_unref);

  G_OBJECT_CLASS (bourse_pnl_calendar_parent_class)->finalize (object);
}

static void
bourse_pnl_calendar_class_init (BoursePnlCalendarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bourse_pnl_calendar_finalize;
  widget_class->snapshot = bourse_pnl_calendar_snapshot;
  widget_class->measure = bourse_pnl_calendar_measure;
  widget_class->query_tooltip = bourse_pnl_calendar_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "pnlcalendar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bourse_pnl_calendar_init (BoursePnlCalendar *self)
{
  self->days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) day_free);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_START);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Daily profit and loss"),
                                  -1);
}

GtkWidget *
bourse_pnl_calendar_new (void)
{
  return g_object_new (BOURSE_TYPE_PNL_CALENDAR, NULL);
}
