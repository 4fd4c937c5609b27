/* bourse-mini-chart.h — a small candle chart with a recommendation's levels
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_MINI_CHART (bourse_mini_chart_get_type ())

G_DECLARE_FINAL_TYPE (BourseMiniChart, bourse_mini_chart, BOURSE, MINI_CHART, GtkWidget)

/* At most this many candles are asked for: the newest of the window. */
#define BOURSE_MINI_CHART_MAX_CANDLES 120

GtkWidget *bourse_mini_chart_new           (void);
/* The three horizontal lines; NAN leaves one out (a NO_TRADE has none). */
void       bourse_mini_chart_set_levels    (BourseMiniChart *self,
                                            double           entry,
                                            double           stop_loss,
                                            double           take_profit);
void       bourse_mini_chart_get_levels    (BourseMiniChart *self,
                                            double          *entry,
                                            double          *stop_loss,
                                            double          *take_profit);
/* GET /api/v1/market/candles/{symbol} for the window [@start_ms, @end_ms];
 * a load in flight is cancelled. */
void       bourse_mini_chart_load          (BourseMiniChart *self,
                                            BourseClient    *client,
                                            const char      *symbol,
                                            const char      *interval,
                                            gint64           start_ms,
                                            gint64           end_ms);
/* Candles shown; -1 until a load finished (or after it failed). */
int        bourse_mini_chart_get_n_candles (BourseMiniChart *self);

/* Milliseconds in one candle of @interval ("1m" … "1M"), or 0. */
gint64     bourse_interval_to_ms           (const char      *interval);

G_END_DECLS
