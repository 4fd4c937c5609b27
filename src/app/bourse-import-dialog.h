/* bourse-import-dialog.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_IMPORT_DIALOG (bourse_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BourseImportDialog, bourse_import_dialog, BOURSE, IMPORT_DIALOG, AdwWindow)

/* Imports a CSV file of candles (POST /api/v1/market/import) for one of
 * @symbols at an interval; @symbol and @interval are preselected. Emits
 * "imported" (symbol, interval) once the server took it. */
GtkWidget *bourse_import_dialog_new      (GtkWindow          *parent,
                                          BourseClient       *client,
                                          const char * const *symbols,
                                          const char         *symbol,
                                          const char         *interval);
GFile     *bourse_import_dialog_get_file (BourseImportDialog *self);
void       bourse_import_dialog_set_file (BourseImportDialog *self,
                                          GFile              *file);

/* The intervals the API knows, for the dialogs' choosers. */
extern const char * const bourse_all_intervals[];

G_END_DECLS
