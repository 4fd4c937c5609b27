/* bourse-candle-chart.h — a candlestick chart drawn with GSK nodes
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "chart/bourse-chart-axes.h"
#include "chart/bourse-chart-candle.h"
#include "chart/bourse-chart-pyramid.h"

G_BEGIN_DECLS

/* What the account did and has resting on the displayed symbol. */
typedef struct
{
  gint64   time;        /* ms since the epoch, UTC */
  double   price;
  gboolean buy;
} BourseChartMarker;

typedef enum
{
  BOURSE_CHART_LINE_ORDER,
  BOURSE_CHART_LINE_STOP_LOSS,
  BOURSE_CHART_LINE_TAKE_PROFIT,
} BourseChartLineKind;

typedef struct
{
  double               price;
  BourseChartLineKind  kind;
} BourseChartLine;

#define BOURSE_TYPE_CANDLE_CHART (bourse_candle_chart_get_type ())

G_DECLARE_FINAL_TYPE (BourseCandleChart, bourse_candle_chart, BOURSE, CANDLE_CHART, GtkWidget)

GtkWidget               *bourse_candle_chart_new                (void);

/* Data. Candles are in ascending open time. set_candles() replaces them
 * all and follows the latest; prepend_candles() adds older history
 * (those not older than the first candle are ignored) and keeps the view
 * on the same candles; update_candle() is the live path: it replaces the
 * candle with the same open time, or appends a newer one. */
void                     bourse_candle_chart_set_candles        (BourseCandleChart       *self,
                                                                 const BourseChartCandle *candles,
                                                                 gsize                    n_candles);
void                     bourse_candle_chart_prepend_candles    (BourseCandleChart       *self,
                                                                 const BourseChartCandle *candles,
                                                                 gsize                    n_candles);
gboolean                 bourse_candle_chart_update_candle      (BourseCandleChart       *self,
                                                                 const BourseChartCandle *candle);
guint                    bourse_candle_chart_get_n_candles      (BourseCandleChart       *self);
const BourseChartCandle *bourse_candle_chart_get_candle         (BourseCandleChart       *self,
                                                                 guint                    index);

/* Overlays: fills as markers on their candle, open orders, stop-losses and
 * take-profits as lines across. Each call replaces what was there. */
void                     bourse_candle_chart_set_markers        (BourseCandleChart       *self,
                                                                 const BourseChartMarker *markers,
                                                                 gsize                    n_markers);
void                     bourse_candle_chart_set_lines          (BourseCandleChart       *self,
                                                                 const BourseChartLine   *lines,
                                                                 gsize                    n_lines);
guint                    bourse_candle_chart_get_n_markers      (BourseCandleChart       *self);
guint                    bourse_candle_chart_get_n_lines        (BourseCandleChart       *self);

/* Prices are shown with this many decimals; -1 (the default) picks them
 * from the price level. */
int                      bourse_candle_chart_get_price_decimals (BourseCandleChart       *self);
void                     bourse_candle_chart_set_price_decimals (BourseCandleChart       *self,
                                                                 int                      decimals);

/* The view. Positions are candle indices: candle i is centred on i and
 * spans [i - 0.5, i + 0.5]; x is in widget coordinates. */
double                   bourse_candle_chart_get_candle_width   (BourseCandleChart       *self);
void                     bourse_candle_chart_set_candle_width   (BourseCandleChart       *self,
                                                                 double                   width);
/* Multiplies the candle width by @factor, keeping the candle under @x in
 * place; a negative @x zooms around the right edge. While following, the
 * latest candle stays in view. */
void                     bourse_candle_chart_zoom               (BourseCandleChart       *self,
                                                                 double                   factor,
                                                                 double                   x);
/* Moves the view by @n_candles (positive: towards newer ones). */
void                     bourse_candle_chart_pan                (BourseCandleChart       *self,
                                                                 double                   n_candles);
/* Shows the latest candle and follows new ones. */
void                     bourse_candle_chart_follow             (BourseCandleChart       *self);
gboolean                 bourse_candle_chart_get_following      (BourseCandleChart       *self);
/* The fractional indices at the left and right edges of the plot. */
void                     bourse_candle_chart_get_visible_range  (BourseCandleChart       *self,
                                                                 double                  *left,
                                                                 double                  *right);
/* The first and last candle at least partly in view; -1 without data. */
int                      bourse_candle_chart_get_first_visible  (BourseCandleChart       *self);
int                      bourse_candle_chart_get_last_visible   (BourseCandleChart       *self);
double                   bourse_candle_chart_index_to_x         (BourseCandleChart       *self,
                                                                 double                   index);
double                   bourse_candle_chart_x_to_index         (BourseCandleChart       *self,
                                                                 double                   x);

/* The candle under the crosshair, or -1 when the pointer is elsewhere. */
int                      bourse_candle_chart_get_crosshair_index (BourseCandleChart      *self);
/* "2026-03-05 14:32  O 1.00  H 2.00  L 0.50  C 1.50  V 1.20K": the
 * candle under the crosshair, else the latest one; "" without data. */
const char              *bourse_candle_chart_get_readout        (BourseCandleChart       *self);
/* The labels of the last frame drawn, left to right or top to bottom:
 * GTK_ORIENTATION_HORIZONTAL for the time axis, VERTICAL for prices. */
GStrv                    bourse_candle_chart_dup_axis_labels    (BourseCandleChart       *self,
                                                                 GtkOrientation           axis);

/* "1.23K", "4.50M": a volume in a few characters. */
char                    *bourse_chart_format_volume             (double                   volume);

G_END_DECLS
