/* bourse-backtest-row.h — a backtest or an optimisation in the Backtests page's lists
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client-records.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_BACKTEST_ROW (bourse_backtest_row_get_type ())

G_DECLARE_FINAL_TYPE (BourseBacktestRow, bourse_backtest_row, BOURSE, BACKTEST_ROW, AdwActionRow)

/* Named "backtest-row-ID" for a BourseClientBacktest, "optimisation-row-ID"
 * for a BourseClientOptimisation; it follows @record (notify). Activating it
 * runs backtests.show (backtests.show-optimisation) with the id; with
 * @can_delete, its "delete-button" runs backtests.delete. @type_name is
 * the strategy type's name, or NULL for the record's own. */
GtkWidget          *bourse_backtest_row_new        (BourseClientObject *record,
                                                    const char         *type_name,
                                                    gboolean            can_delete);
BourseClientObject *bourse_backtest_row_get_record (BourseBacktestRow  *self);

/* Shared with the page: a run's state for people ("Finished"), and the
 * local day of an RFC 3339 time ("2026-03-05", "?" for none). */
const char         *bourse_run_status_to_display   (const char         *status);
char               *bourse_format_local_day        (const char         *rfc3339);

G_END_DECLS
