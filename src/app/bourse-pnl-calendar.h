/* bourse-pnl-calendar.h — a year of daily profit and loss as a heatmap
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BOURSE_TYPE_PNL_CALENDAR (bourse_pnl_calendar_get_type ())

G_DECLARE_FINAL_TYPE (BoursePnlCalendar, bourse_pnl_calendar, BOURSE, PNL_CALENDAR, GtkWidget)

GtkWidget  *bourse_pnl_calendar_new         (void);
/* Forgets the days and shows @year, weeks as columns from Monday. */
void        bourse_pnl_calendar_set_year    (BoursePnlCalendar *self,
                                             int                year);
/* @date is "YYYY-MM-DD"; @value only colours the cell (green above zero,
 * red below); @text is what its tooltip says, from the API's decimals. */
void        bourse_pnl_calendar_set_day     (BoursePnlCalendar *self,
                                             const char        *date,
                                             double             value,
                                             const char        *text);
guint       bourse_pnl_calendar_get_n_days  (BoursePnlCalendar *self);
/* The tooltip of @date, or NULL. */
const char *bourse_pnl_calendar_get_text    (BoursePnlCalendar *self,
                                             const char        *date);

G_END_DECLS
