/* bourse-backtests-page.h — backtests: run one, follow it, read its result
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_BACKTESTS_PAGE (bourse_backtests_page_get_type ())

G_DECLARE_FINAL_TYPE (BourseBacktestsPage, bourse_backtests_page, BOURSE, BACKTESTS_PAGE, AdwPreferencesPage)

GtkWidget    *bourse_backtests_page_new            (void);
BourseClient *bourse_backtests_page_get_client     (BourseBacktestsPage *self);
void          bourse_backtests_page_set_client     (BourseBacktestsPage *self,
                                                    BourseClient        *client);
/* Whether the signed-in role may run backtests, delete and annotate them
 * (backtests.run): without it, the list and the results only. */
gboolean      bourse_backtests_page_get_can_run    (BourseBacktestsPage *self);
void          bourse_backtests_page_set_can_run    (BourseBacktestsPage *self,
                                                    gboolean             can_run);
void          bourse_backtests_page_reload         (BourseBacktestsPage *self);
/* Loads backtest @id and shows its result. */
void          bourse_backtests_page_show_backtest  (BourseBacktestsPage *self,
                                                    gint64               id);
/* Backtests listed once loaded, -1 before. */
int           bourse_backtests_page_get_n_backtests (BourseBacktestsPage *self);
/* The backtest whose result is shown, once it is, or 0. */
gint64        bourse_backtests_page_get_shown_id   (BourseBacktestsPage *self);
/* Loads optimisation @id and shows its result. */
void          bourse_backtests_page_show_optimisation (BourseBacktestsPage *self,
                                                       gint64               id);
/* Optimisations listed once loaded, -1 before. */
int           bourse_backtests_page_get_n_optimisations (BourseBacktestsPage *self);
/* The optimisation whose result is shown, once it is, or 0. */
gint64        bourse_backtests_page_get_shown_optimisation_id (BourseBacktestsPage *self);
/* The job of the run (backtest or optimisation) this page started and
 * follows, or 0. */
gint64        bourse_backtests_page_get_job_id     (BourseBacktestsPage *self);

G_END_DECLS
