/* bourse-chart-axes.h — where a chart's axes put their ticks and labels
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "bourse-chart-pyramid.h"

G_BEGIN_DECLS

/* Pixels a time label is given: the time step is the finest that leaves
 * this much between ticks. */
#define BOURSE_CHART_TIME_TICK_SPACING 110.0

typedef enum
{
  BOURSE_CHART_STEP_FIXED,   /* minutes, hours, days: a fixed length of the display zone's time */
  BOURSE_CHART_STEP_WEEK,    /* Mondays */
  BOURSE_CHART_STEP_MONTH,
  BOURSE_CHART_STEP_YEAR,
} BourseChartStepKind;

typedef struct
{
  BourseChartStepKind kind;
  gint64              length;   /* ms for BOURSE_CHART_STEP_FIXED, else months or years */
  double              approx_ms;
} BourseChartTimeStep;

typedef struct
{
  double x;
  gint64 bucket;   /* of the time step: what the label says */
} BourseChartTick;

/* The step for @ms_per_px: the finest whose ticks are at least
 * BOURSE_CHART_TIME_TICK_SPACING apart. */
const BourseChartTimeStep *bourse_chart_time_step_for        (double                      ms_per_px);

/* Times as the display zone shows them: ticks fall on its hours, days and
 * months, and follow its daylight saving changes. */
typedef struct _BourseChartTimeAxis BourseChartTimeAxis;

BourseChartTimeAxis       *bourse_chart_time_axis_new        (GTimeZone                  *zone);
void                       bourse_chart_time_axis_free       (BourseChartTimeAxis        *self);
GTimeZone                 *bourse_chart_time_axis_get_zone   (BourseChartTimeAxis        *self);
gint64                     bourse_chart_time_axis_to_local   (BourseChartTimeAxis        *self,
                                                              gint64                      utc_ms);
/* Which bucket of @step the instant @utc_ms is in. */
gint64                     bourse_chart_time_axis_bucket     (BourseChartTimeAxis        *self,
                                                              const BourseChartTimeStep  *step,
                                                              gint64                      utc_ms);
/* The label of the bucket's start: "14:30", "3 Mar" (a day), "Mar" (a
 * month), "2025" (a year). */
char                      *bourse_chart_time_axis_label      (BourseChartTimeAxis        *self,
                                                              const BourseChartTimeStep  *step,
                                                              gint64                      bucket);
/* The ticks of a frame (@items from bourse_chart_sample ()): an item
 * where a new bucket of the step starts, thinned where gaps in the data
 * bunch them. @fallback_ms_per_px serves when the items span no time.
 * Replaces @ticks' contents (of BourseChartTick); returns the step. */
const BourseChartTimeStep *bourse_chart_time_axis_ticks      (BourseChartTimeAxis        *self,
                                                              const BourseChartCandle    *candles,
                                                              const BourseChartItem      *items,
                                                              guint                       n_items,
                                                              double                      fallback_ms_per_px,
                                                              double                      plot_width,
                                                              GArray                     *ticks);

/* Where the time labels go: @lefts[i] is the left edge of label i (@widths[i]
 * wide, centred under @centres[i]), or NAN when it is left out — it would
 * overlap the one before (with @padding between) or run past @plot_width.
 * One that would be cut at the left edge starts at 0 instead. */
void                       bourse_chart_place_time_labels    (const double               *centres,
                                                              const double               *widths,
                                                              guint                       n,
                                                              double                      plot_width,
                                                              double                      padding,
                                                              double                     *lefts);
/* Whether a price label @height tall centred at @y fits in a pane @pane_height
 * tall without touching the tag (@tag_top, @tag_height; a negative height:
 * none) that marks the latest price on the same axis. */
gboolean                   bourse_chart_price_label_fits     (double                      y,
                                                              double                      height,
                                                              double                      pane_height,
                                                              double                      tag_top,
                                                              double                      tag_height);

/* A 1-2-5 step of at least @raw, and the decimals its multiples need. */
double                     bourse_chart_nice_step            (double                      raw,
                                                              int                        *decimals);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseChartTimeAxis, bourse_chart_time_axis_free)

G_END_DECLS
