/* bourse-chart-pyramid.h — low, high and volume of any run of candles in
 * O(log n), and the candles of a frame at any zoom
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "bourse-chart-candle.h"

G_BEGIN_DECLS

typedef struct
{
  double low;
  double high;
  double volume;
} BourseChartAggregate;

/* What one frame draws at one place: a candle, or the candles of one
 * pixel column folded into one. */
typedef struct
{
  double x;       /* centre, in plot coordinates */
  double open;
  double high;
  double low;
  double close;
  double volume;
  guint  first;   /* candle indices */
  guint  last;
} BourseChartItem;

/* Blocks of BOURSE_CHART_PYRAMID_FANOUT candles, blocks of those, and so
 * on. It does not own the candles: each call is given them, ascending. */
#define BOURSE_CHART_PYRAMID_FANOUT 16

typedef struct _BourseChartPyramid BourseChartPyramid;

BourseChartPyramid   *bourse_chart_pyramid_new          (void);
void                  bourse_chart_pyramid_free         (BourseChartPyramid      *self);
/* The candles were replaced, or some put before the first: built afresh
 * on the next query. */
void                  bourse_chart_pyramid_reset        (BourseChartPyramid      *self);
/* Candle @index changed or was appended (the live path): its blocks follow. */
void                  bourse_chart_pyramid_touch        (BourseChartPyramid      *self,
                                                         const BourseChartCandle *candles,
                                                         guint                    n_candles,
                                                         guint                    index);
/* Of the candles [from, to); { +inf, -inf, 0 } when empty. */
BourseChartAggregate  bourse_chart_pyramid_query        (BourseChartPyramid      *self,
                                                         const BourseChartCandle *candles,
                                                         guint                    n_candles,
                                                         guint                    from,
                                                         guint                    to);
guint                 bourse_chart_pyramid_get_n_levels (BourseChartPyramid      *self);

/* The items of a frame @plot_width wide whose right edge is at candle
 * index @right, @candle_width px per candle: every visible candle, or one
 * item per pixel column once candles are narrower than a pixel (open and
 * close from its ends, the rest from the pyramid). Replaces @items'
 * contents (of BourseChartItem). */
void                  bourse_chart_sample               (BourseChartPyramid      *pyramid,
                                                         const BourseChartCandle *candles,
                                                         guint                    n_candles,
                                                         double                   right,
                                                         double                   candle_width,
                                                         double                   plot_width,
                                                         GArray                  *items);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseChartPyramid, bourse_chart_pyramid_free)

G_END_DECLS
