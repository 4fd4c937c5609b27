/* bourse-chart-overlay.h — the account's fills and resting orders on a
 * candlestick chart
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "client/bourse-client.h"

#include "bourse-candle-chart.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_CHART_OVERLAY (bourse_chart_overlay_get_type ())

G_DECLARE_FINAL_TYPE (BourseChartOverlay, bourse_chart_overlay, BOURSE, CHART_OVERLAY, GObject)

/* Follows the chart's symbol: its fills (GET /api/v1/fills and the fills
 * topic) become markers, its open orders, stop-losses and take-profits
 * lines. */
BourseChartOverlay *bourse_chart_overlay_new        (BourseCandleChart  *chart);
void                bourse_chart_overlay_set_client (BourseChartOverlay *self,
                                                     BourseClient       *client);
void                bourse_chart_overlay_set_symbol (BourseChartOverlay *self,
                                                     const char         *symbol);

G_END_DECLS
