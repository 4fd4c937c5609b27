/* bourse-api-key-row.h — an API key in the Preferences
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client-records.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_API_KEY_ROW (bourse_api_key_row_get_type ())

G_DECLARE_FINAL_TYPE (BourseApiKeyRow, bourse_api_key_row, BOURSE, API_KEY_ROW, AdwActionRow)

/* Named "api-key-row-ID"; Revoke uses the window's prefs.revoke-key. */
GtkWidget          *bourse_api_key_row_new     (BourseClientApiKey *key);
BourseClientApiKey *bourse_api_key_row_get_key (BourseApiKeyRow    *self);

G_END_DECLS
