/* test-chart-axes.c — the chart's time ticks at every zoom, in UTC and in
 * a zone with daylight saving, and where the axes' labels go
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "bourse-chart-axes.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS   (60 * MINUTE_MS)
#define DAY_MS    (24 * HOUR_MS)
/* 2024-01-01T00:00:00Z */
#define T0        G_GINT64_CONSTANT (1704067200000)

static GArray *
make_candles (gint64 start,
              gint64 spacing,
              guint  n)
{
  GArray *candles = g_array_sized_new (FALSE, FALSE, sizeof (BourseChartCandle), n);

  for (guint i = 0; i < n; i++)
    {
      BourseChartCandle c = { start + i * spacing, 100, 101, 99, 100, 1, TRUE };

      g_array_append_val (candles, c);
    }
  return candles;
}

/* The ticks and their labels of a frame @plot_width wide showing @candles
 * up to the last at @candle_width px each. */
static GStrv
frame_labels (BourseChartTimeAxis        *axis,
              GArray                     *candles,
              double                      candle_width,
              double                      plot_width,
              GArray                     *ticks,
              const BourseChartTimeStep **step)
{
  g_autoptr(BourseChartPyramid) pyramid = bourse_chart_pyramid_new ();
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (BourseChartItem));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const BourseChartCandle *data = (const BourseChartCandle *) candles->data;

  bourse_chart_sample (pyramid, data, candles->len, candles->len - 1, candle_width, plot_width, items);
  *step = bourse_chart_time_axis_ticks (axis, data, (const BourseChartItem *) items->data, items->len,
                                        60000 / candle_width, plot_width, ticks);
  for (guint i = 0; i < ticks->len; i++)
    {
      g_autofree char *label = bourse_chart_time_axis_label (axis, *step,
                                                             g_array_index (ticks, BourseChartTick, i).bucket);

      g_strv_builder_add (builder, label);
    }
  return g_strv_builder_end (builder);
}

/* The step follows the zoom: the finest that leaves room for a label. */
static void
test_step_for_zoom (void)
{
  const struct {
    double              ms_per_px;
    BourseChartStepKind kind;
    gint64              length;
  } cases[] = {
    { 1, BOURSE_CHART_STEP_FIXED, MINUTE_MS },
    { 60000 / 8.0, BOURSE_CHART_STEP_FIXED, 15 * MINUTE_MS },   /* 1m candles, 8 px each */
    { 60000, BOURSE_CHART_STEP_FIXED, 2 * HOUR_MS },
    { HOUR_MS / 8.0, BOURSE_CHART_STEP_FIXED, DAY_MS },
    { HOUR_MS, BOURSE_CHART_STEP_WEEK, 1 },
    { DAY_MS / 8.0, BOURSE_CHART_STEP_MONTH, 1 },
    { DAY_MS, BOURSE_CHART_STEP_MONTH, 6 },
    { 7 * DAY_MS, BOURSE_CHART_STEP_YEAR, 5 },
    { 1e15, BOURSE_CHART_STEP_YEAR, 100 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const BourseChartTimeStep *step = bourse_chart_time_step_for (cases[i].ms_per_px);

      g_assert_cmpint (step->kind, ==, cases[i].kind);
      g_assert_cmpint (step->length, ==, cases[i].length);
      g_assert_cmpfloat (step->approx_ms, >=, MIN (cases[i].ms_per_px * BOURSE_CHART_TIME_TICK_SPACING,
                                                  100 * 365.25 * DAY_MS));
    }
}

/* Minutes zoomed from 8 px a candle out to a few days on 800 px: each tick
 * where its step's bucket changes, labelled with that bucket's start, and
 * never closer than the labels need. */
static void
test_ticks_each_zoom (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(BourseChartTimeAxis) axis = bourse_chart_time_axis_new (utc);
  g_autoptr(GArray) candles = make_candles (T0, MINUTE_MS, 6 * 24 * 60);
  g_autoptr(GArray) ticks = g_array_new (FALSE, FALSE, sizeof (BourseChartTick));
  const double widths[] = { 8, 2, 0.5, 0.12 };
  const char *expected[][7] = {
    { "22:30", "22:45", "23:00", "23:15", "23:30", "23:45", NULL },
    { "18:00", "19:00", "20:00", "21:00", "22:00", "23:00", NULL },
    /* The day's label where 00:00 would be. */
    { "6 Jan", "06:00", "12:00", "18:00", NULL },
    { "3 Jan", "4 Jan", "5 Jan", "6 Jan", NULL },
  };
  const gint64 lengths[] = { 15 * MINUTE_MS, HOUR_MS, 6 * HOUR_MS, DAY_MS };

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      const BourseChartTimeStep *step;
      g_auto(GStrv) labels = frame_labels (axis, candles, widths[w], 800, ticks, &step);

      g_assert_true (step->kind == BOURSE_CHART_STEP_FIXED);
      g_assert_cmpint (step->length, ==, lengths[w]);
      g_assert_cmpstrv (labels, expected[w]);
      for (guint i = 0; i < ticks->len; i++)
        {
          const BourseChartTick *tick = &g_array_index (ticks, BourseChartTick, i);

          g_assert_cmpfloat (tick->x, >=, 0);
          g_assert_cmpfloat (tick->x, <, 800);
          if (i > 0)
            g_assert_cmpfloat (tick->x - g_array_index (ticks, BourseChartTick, i - 1).x, >=,
                               BOURSE_CHART_TIME_TICK_SPACING * 0.6);
        }
    }
}

/* Daily candles over the turn of the year: months by name, the year in January. */
static void
test_month_boundary (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(BourseChartTimeAxis) axis = bourse_chart_time_axis_new (utc);
  /* 2023-11-02 on, 160 days; the last 100 in view: 2023-12-31 … 2024-04-09. */
  g_autoptr(GArray) candles = make_candles (T0 - 60 * DAY_MS, DAY_MS, 160);
  g_autoptr(GArray) ticks = g_array_new (FALSE, FALSE, sizeof (BourseChartTick));
  const char *expected[] = { "2024", "Feb", "Mar", "Apr", NULL };
  const BourseChartTimeStep *step;
  g_auto(GStrv) labels = frame_labels (axis, candles, 8, 800, ticks, &step);

  g_assert_true (step->kind == BOURSE_CHART_STEP_MONTH);
  g_assert_cmpstrv (labels, expected);
  /* "Feb" is drawn at 1 February's candle, index 91. */
  g_assert_cmpfloat (g_array_index (ticks, BourseChartTick, 1).x, ==, 800 - (159 - 91) * 8.0);
}

/* A zone with daylight saving: ticks on its hours and days, which are not
 * UTC's, and the spring-forward hour skipped, the autumn one told once. */
static void
test_display_zone (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(BourseChartTimeAxis) local = NULL;
  g_autoptr(BourseChartTimeAxis) universal = bourse_chart_time_axis_new (utc);
  const BourseChartTimeStep *hours = bourse_chart_time_step_for ((HOUR_MS - 1) / BOURSE_CHART_TIME_TICK_SPACING);
  const BourseChartTimeStep *days = bourse_chart_time_step_for ((DAY_MS - 1) / BOURSE_CHART_TIME_TICK_SPACING);
  /* 2024-03-31T00:00:00Z, the night Berlin goes from +01:00 to +02:00 at 01:00 UTC. */
  const gint64 spring = G_GINT64_CONSTANT (1711843200000);
  /* 2024-10-27T00:00:00Z; back from +02:00 to +01:00 at 01:00 UTC. */
  const gint64 autumn = G_GINT64_CONSTANT (1729987200000);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *midnight = NULL;
  g_autofree char *utc_midnight = NULL;

  if (berlin == NULL)
    {
      g_test_skip ("no time zone data for Europe/Berlin");
      return;
    }
  local = bourse_chart_time_axis_new (berlin);
  g_assert_cmpint (hours->length, ==, HOUR_MS);
  g_assert_cmpint (days->length, ==, DAY_MS);

  before = bourse_chart_time_axis_label (local, hours, bourse_chart_time_axis_bucket (local, hours, spring));
  after = bourse_chart_time_axis_label (local, hours,
                                        bourse_chart_time_axis_bucket (local, hours, spring + HOUR_MS));
  g_assert_cmpstr (before, ==, "01:00");
  g_assert_cmpstr (after, ==, "03:00");
  g_assert_cmpint (bourse_chart_time_axis_bucket (local, hours, autumn),
                   ==, bourse_chart_time_axis_bucket (local, hours, autumn + HOUR_MS));

  /* Berlin's 31 March starts at 23:00 UTC the day before. */
  g_assert_cmpint (bourse_chart_time_axis_bucket (local, days, spring - HOUR_MS),
                   !=, bourse_chart_time_axis_bucket (local, days, spring - 2 * HOUR_MS));
  midnight = bourse_chart_time_axis_label (local, days, bourse_chart_time_axis_bucket (local, days, spring - HOUR_MS));
  g_assert_cmpstr (midnight, ==, "31 Mar");
  g_assert_cmpint (bourse_chart_time_axis_bucket (universal, days, spring - HOUR_MS),
                   ==, bourse_chart_time_axis_bucket (universal, days, spring - 2 * HOUR_MS));
  utc_midnight = bourse_chart_time_axis_label (universal, days, bourse_chart_time_axis_bucket (universal, days, spring));
  g_assert_cmpstr (utc_midnight, ==, "31 Mar");
}

/* The first label starts at the plot's edge rather than past it; one that
 * would overlap the one before or run past the right edge is left out. */
static void
test_place_time_labels (void)
{
  const double centres[] = { 10, 40, 200, 790 };
  const double widths[] = { 60, 60, 60, 60 };
  double lefts[4];

  bourse_chart_place_time_labels (centres, widths, 4, 800, 6, lefts);
  g_assert_cmpfloat (lefts[0], ==, 0);
  g_assert_true (isnan (lefts[1]));
  g_assert_cmpfloat (lefts[2], ==, 170);
  g_assert_true (isnan (lefts[3]));

  bourse_chart_place_time_labels (centres + 2, widths, 1, 800, 6, lefts);
  g_assert_cmpfloat (lefts[0], ==, 170);
}

/* A price label clear of the latest price's tag, and inside its pane. */
static void
test_price_label_fits (void)
{
  /* The tag spans [100, 116). */
  g_assert_false (bourse_chart_price_label_fits (108, 14, 300, 100, 16));
  g_assert_false (bourse_chart_price_label_fits (95, 14, 300, 100, 16));
  g_assert_true (bourse_chart_price_label_fits (93, 14, 300, 100, 16));
  g_assert_true (bourse_chart_price_label_fits (123, 14, 300, 100, 16));
  g_assert_false (bourse_chart_price_label_fits (5, 14, 300, 100, 16));
  g_assert_false (bourse_chart_price_label_fits (295, 14, 300, 100, 16));
  /* No tag (the latest price is off the pane). */
  g_assert_true (bourse_chart_price_label_fits (108, 14, 300, 100, -1));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chart/axes/step-for-zoom", test_step_for_zoom);
  g_test_add_func ("/chart/axes/ticks-each-zoom", test_ticks_each_zoom);
  g_test_add_func ("/chart/axes/month-boundary", test_month_boundary);
  g_test_add_func ("/chart/axes/display-zone", test_display_zone);
  g_test_add_func ("/chart/axes/place-time-labels", test_place_time_labels);
  g_test_add_func ("/chart/axes/price-label-fits", test_price_label_fits);

  return g_test_run ();
}
