/* bourse-settings-page.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_SETTINGS_PAGE (bourse_settings_page_get_type ())

G_DECLARE_FINAL_TYPE (BourseSettingsPage, bourse_settings_page, BOURSE, SETTINGS_PAGE, AdwPreferencesPage)

GtkWidget    *bourse_settings_page_new            (void);
BourseClient *bourse_settings_page_get_client     (BourseSettingsPage *self);
void          bourse_settings_page_set_client     (BourseSettingsPage *self,
                                                   BourseClient       *client);
/* The sections shown, from GET /api/v1/config; 0 until loaded. */
guint         bourse_settings_page_get_n_sections (BourseSettingsPage *self);
/* What Import… and Export… do with the file chosen: the import's dry run
 * first, its changes in a dialog ("config-import-dialog") that applies
 * them; the export written to @file. */
void          bourse_settings_page_import_file    (BourseSettingsPage *self,
                                                   GFile              *file);
void          bourse_settings_page_export_file    (BourseSettingsPage *self,
                                                   GFile              *file);

G_END_DECLS
