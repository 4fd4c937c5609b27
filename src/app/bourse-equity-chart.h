/* bourse-equity-chart.h — the account's equity over time, drawn with GSK nodes
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BOURSE_TYPE_EQUITY_CHART (bourse_equity_chart_get_type ())

G_DECLARE_FINAL_TYPE (BourseEquityChart, bourse_equity_chart, BOURSE, EQUITY_CHART, GtkWidget)

GtkWidget *bourse_equity_chart_new          (void);
/* Points in ascending time (ms since the epoch); doubles are for drawing
 * only, the figures people read come from the API's decimal strings. */
void       bourse_equity_chart_set_points   (BourseEquityChart *self,
                                             const gint64      *times,
                                             const double      *values,
                                             guint              n_points);
/* As set_points(), with a second line over the same times to compare
 * with (a backtest's buy and hold): @reference may be NULL, and its
 * non-finite values leave gaps. */
void       bourse_equity_chart_set_series   (BourseEquityChart *self,
                                             const gint64      *times,
                                             const double      *values,
                                             const double      *reference,
                                             guint              n_points);
guint      bourse_equity_chart_get_n_points (BourseEquityChart *self);
/* An underwater chart (a drawdown, 0 at the top): the area hangs from
 * the top down to the line, in the error colour. */
void       bourse_equity_chart_set_underwater (BourseEquityChart *self,
                                               gboolean           underwater);

G_END_DECLS
