/* bourse-chart-axes.c — where a chart's axes put their ticks and labels
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Free of GTK so the choices are tested at every zoom (tests/unit/
 * test-chart-axes.c); the widget measures the text and draws.
 */

#include "config.h"

#include <math.h>

#include "bourse-chart-axes.h"

#define MS_PER_MINUTE G_GINT64_CONSTANT (60000)
#define MS_PER_HOUR   (60 * MS_PER_MINUTE)
#define MS_PER_DAY    (24 * MS_PER_HOUR)
/* Gaps in the data bunch ticks: closer than this share of the spacing, the later goes. */
#define TICK_THINNING 0.6

static inline gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static const BourseChartTimeStep time_steps[] = {
  { BOURSE_CHART_STEP_FIXED, 1 * MS_PER_MINUTE, 1 * MS_PER_MINUTE },
  { BOURSE_CHART_STEP_FIXED, 2 * MS_PER_MINUTE, 2 * MS_PER_MINUTE },
  { BOURSE_CHART_STEP_FIXED, 5 * MS_PER_MINUTE, 5 * MS_PER_MINUTE },
  { BOURSE_CHART_STEP_FIXED, 10 * MS_PER_MINUTE, 10 * MS_PER_MINUTE },
  { BOURSE_CHART_STEP_FIXED, 15 * MS_PER_MINUTE, 15 * MS_PER_MINUTE },
  { BOURSE_CHART_STEP_FIXED, 30 * MS_PER_MINUTE, 30 * MS_PER_MINUTE },
  { BOURSE_CHART_STEP_FIXED, 1 * MS_PER_HOUR, 1 * MS_PER_HOUR },
  { BOURSE_CHART_STEP_FIXED, 2 * MS_PER_HOUR, 2 * MS_PER_HOUR },
  { BOURSE_CHART_STEP_FIXED, 3 * MS_PER_HOUR, 3 * MS_PER_HOUR },
  { BOURSE_CHART_STEP_FIXED, 6 * MS_PER_HOUR, 6 * MS_PER_HOUR },
  { BOURSE_CHART_STEP_FIXED, 12 * MS_PER_HOUR, 12 * MS_PER_HOUR },
  { BOURSE_CHART_STEP_FIXED, MS_PER_DAY, MS_PER_DAY },
  { BOURSE_CHART_STEP_WEEK, 1, 7.0 * MS_PER_DAY },
  { BOURSE_CHART_STEP_MONTH, 1, 30.44 * MS_PER_DAY },
  { BOURSE_CHART_STEP_MONTH, 3, 91.3 * MS_PER_DAY },
  { BOURSE_CHART_STEP_MONTH, 6, 182.6 * MS_PER_DAY },
  { BOURSE_CHART_STEP_YEAR, 1, 365.25 * MS_PER_DAY },
  { BOURSE_CHART_STEP_YEAR, 2, 2 * 365.25 * MS_PER_DAY },
  { BOURSE_CHART_STEP_YEAR, 5, 5 * 365.25 * MS_PER_DAY },
  { BOURSE_CHART_STEP_YEAR, 10, 10 * 365.25 * MS_PER_DAY },
  { BOURSE_CHART_STEP_YEAR, 25, 25 * 365.25 * MS_PER_DAY },
  { BOURSE_CHART_STEP_YEAR, 50, 50 * 365.25 * MS_PER_DAY },
  { BOURSE_CHART_STEP_YEAR, 100, 100 * 365.25 * MS_PER_DAY },
};

struct _BourseChartTimeAxis
{
  GTimeZone *zone;
  gint64     tz_hour;        /* the UTC hour tz_offset_ms is for */
  gint64     tz_offset_ms;
  guint32    epoch_julian;
};

const BourseChartTimeStep *
bourse_chart_time_step_for (double ms_per_px)
{
  for (guint i = 0; i < G_N_ELEMENTS (time_steps); i++)
    if (time_steps[i].approx_ms >= ms_per_px * BOURSE_CHART_TIME_TICK_SPACING)
      return &time_steps[i];

  return &time_steps[G_N_ELEMENTS (time_steps) - 1];
}

BourseChartTimeAxis *
bourse_chart_time_axis_new (GTimeZone *zone)
{
  BourseChartTimeAxis *self = g_new0 (BourseChartTimeAxis, 1);
  GDate epoch;

  self->zone = zone != NULL ? g_time_zone_ref (zone) : g_time_zone_new_local ();
  self->tz_hour = G_MININT64;
  g_date_clear (&epoch, 1);
  g_date_set_dmy (&epoch, 1, G_DATE_JANUARY, 1970);
  self->epoch_julian = g_date_get_julian (&epoch);

  return self;
}

void
bourse_chart_time_axis_free (BourseChartTimeAxis *self)
{
  if (self == NULL)
    return;
  g_time_zone_unref (self->zone);
  g_free (self);
}

GTimeZone *
bourse_chart_time_axis_get_zone (BourseChartTimeAxis *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->zone;
}

/* Offsets change on whole hours, so one lookup an hour is enough. */
gint64
bourse_chart_time_axis_to_local (BourseChartTimeAxis *self,
                                 gint64               utc_ms)
{
  gint64 hour = floor_div (utc_ms, MS_PER_HOUR);

  g_return_val_if_fail (self != NULL, utc_ms);

  if (hour != self->tz_hour)
    {
      int interval = g_time_zone_find_interval (self->zone, G_TIME_TYPE_UNIVERSAL, floor_div (utc_ms, 1000));

      self->tz_offset_ms = interval >= 0
                         ? g_time_zone_get_offset (self->zone, interval) * G_GINT64_CONSTANT (1000)
                         : 0;
      self->tz_hour = hour;
    }

  return utc_ms + self->tz_offset_ms;
}

static void
civil (BourseChartTimeAxis *self,
       gint64               days,
       int                 *year,
       int                 *month,
       int                 *day)
{
  GDate date;
  gint64 julian = (gint64) self->epoch_julian + days;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) CLAMP (julian, 1, G_MAXUINT32 / 2));
  *year = g_date_get_year (&date);
  *month = g_date_get_month (&date);
  *day = g_date_get_day (&date);
}

gint64
bourse_chart_time_axis_bucket (BourseChartTimeAxis       *self,
                               const BourseChartTimeStep *step,
                               gint64                     utc_ms)
{
  gint64 local_ms, days;
  int year, month, day;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (step != NULL, 0);

  local_ms = bourse_chart_time_axis_to_local (self, utc_ms);
  switch (step->kind)
    {
    case BOURSE_CHART_STEP_FIXED:
      return floor_div (local_ms, step->length);

    case BOURSE_CHART_STEP_WEEK:
      /* 1970-01-05 was a Monday. */
      return floor_div (floor_div (local_ms, MS_PER_DAY) - 4, 7);

    case BOURSE_CHART_STEP_MONTH:
    case BOURSE_CHART_STEP_YEAR:
    default:
      days = floor_div (local_ms, MS_PER_DAY);
      civil (self, days, &year, &month, &day);
      if (step->kind == BOURSE_CHART_STEP_MONTH)
        return floor_div ((gint64) year * 12 + month - 1, step->length);
      return floor_div (year, step->length);
    }
}

static char *
format_date (int         year,
             int         month,
             int         day,
             const char *format)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (year, month, day, 0, 0, 0);

  return date != NULL ? g_date_time_format (date, format) : g_strdup ("—");
}

char *
bourse_chart_time_axis_label (BourseChartTimeAxis       *self,
                              const BourseChartTimeStep *step,
                              gint64                     bucket)
{
  gint64 start, days, of_day;
  int year, month, day;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (step != NULL, NULL);

  switch (step->kind)
    {
    case BOURSE_CHART_STEP_FIXED:
      start = bucket * step->length;
      days = floor_div (start, MS_PER_DAY);
      of_day = start - days * MS_PER_DAY;
      civil (self, days, &year, &month, &day);
      if (of_day != 0)
        return g_strdup_printf ("%02d:%02d", (int) (of_day / MS_PER_HOUR), (int) (of_day / MS_PER_MINUTE % 60));
      if (day == 1 && month == 1)
        return g_strdup_printf ("%d", year);
      if (day == 1)
        return format_date (year, month, day, "%b");
      return format_date (year, month, day, "%-d %b");

    case BOURSE_CHART_STEP_WEEK:
      civil (self, bucket * 7 + 4, &year, &month, &day);
      return format_date (year, month, day, "%-d %b");

    case BOURSE_CHART_STEP_MONTH:
      year = (int) floor_div (bucket * step->length, 12);
      month = (int) (bucket * step->length - (gint64) year * 12) + 1;
      if (month == 1)
        return g_strdup_printf ("%d", year);
      return format_date (year, month, 1, "%b");

    case BOURSE_CHART_STEP_YEAR:
    default:
      return g_strdup_printf ("%" G_GINT64_FORMAT, bucket * step->length);
    }
}

const BourseChartTimeStep *
bourse_chart_time_axis_ticks (BourseChartTimeAxis     *self,
                              const BourseChartCandle *candles,
                              const BourseChartItem   *items,
                              guint                    n_items,
                              double                   fallback_ms_per_px,
                              double                   plot_width,
                              GArray                  *ticks)
{
  const BourseChartTimeStep *step;
  double ms_per_px, last_x = -G_MAXDOUBLE;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (ticks != NULL, NULL);

  g_array_set_size (ticks, 0);
  if (n_items == 0)
    return &time_steps[G_N_ELEMENTS (time_steps) - 1];

  /* Index space is not linear in time (gaps), but near enough to pick a
   * step that leaves room for the labels. */
  if (n_items >= 2 && items[n_items - 1].x - items[0].x >= 1)
    ms_per_px = (double) (candles[items[n_items - 1].last].open_time - candles[items[0].first].open_time)
              / (items[n_items - 1].x - items[0].x);
  else
    ms_per_px = fallback_ms_per_px;
  step = bourse_chart_time_step_for (ms_per_px);

  for (guint i = 0; i < n_items; i++)
    {
      BourseChartTick tick;

      if (items[i].first == 0)
        continue;

      /* A boundary anywhere in this item, or right before it. */
      tick.bucket = bourse_chart_time_axis_bucket (self, step, candles[items[i].last].open_time);
      if (tick.bucket == bourse_chart_time_axis_bucket (self, step, candles[items[i].first - 1].open_time))
        continue;

      tick.x = floor (items[i].x);
      if (tick.x < 0 || tick.x >= plot_width || tick.x - last_x < BOURSE_CHART_TIME_TICK_SPACING * TICK_THINNING)
        continue;
      last_x = tick.x;
      g_array_append_val (ticks, tick);
    }

  return step;
}

void
bourse_chart_place_time_labels (const double *centres,
                                const double *widths,
                                guint         n,
                                double        plot_width,
                                double        padding,
                                double       *lefts)
{
  double last_end = -G_MAXDOUBLE;

  g_return_if_fail (n == 0 || (centres != NULL && widths != NULL && lefts != NULL));

  for (guint i = 0; i < n; i++)
    {
      /* Near the left edge a label is moved in rather than cut: it still
       * reads as its tick's, the nearest. */
      double left = MAX (0, centres[i] - widths[i] / 2.0);

      lefts[i] = NAN;
      if (left < last_end + padding || left + widths[i] > plot_width)
        continue;
      lefts[i] = left;
      last_end = left + widths[i];
    }
}

gboolean
bourse_chart_price_label_fits (double y,
                               double height,
                               double pane_height,
                               double tag_top,
                               double tag_height)
{
  double top = y - height / 2.0;
  double bottom = y + height / 2.0;

  if (top < 0 || bottom > pane_height)
    return FALSE;

  /* Under the tag it would show as a sliver of another number. */
  return tag_height < 0 || bottom <= tag_top || top >= tag_top + tag_height;
}

double
bourse_chart_nice_step (double  raw,
                        int    *decimals)
{
  double magnitude, fraction, step;
  int places;

  if (!isfinite (raw) || raw <= 0)
    {
      if (decimals != NULL)
        *decimals = 0;
      return 1;
    }

  magnitude = pow (10, floor (log10 (raw)));
  fraction = raw / magnitude;
  if (fraction <= 1 + 1e-9)
    step = magnitude;
  else if (fraction <= 2 + 1e-9)
    step = 2 * magnitude;
  else if (fraction <= 5 + 1e-9)
    step = 5 * magnitude;
  else
    step = 10 * magnitude;

  places = (int) -floor (log10 (step) + 1e-9);
  if (decimals != NULL)
    *decimals = CLAMP (places, 0, 12);

  return step;
}
