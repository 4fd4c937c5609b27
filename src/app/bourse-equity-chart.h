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
guint      bourse_equity_chart_get_n_points (BourseEquityChart *self);

G_END_DECLS
