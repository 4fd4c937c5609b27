/* bourse-session-row.h — a signed-in session in the Preferences
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client-records.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_SESSION_ROW (bourse_session_row_get_type ())

G_DECLARE_FINAL_TYPE (BourseSessionRow, bourse_session_row, BOURSE, SESSION_ROW, AdwActionRow)

/* Named "session-row-ID"; Sign Out uses the window's
 * prefs.sign-out-session. With @show_username the subtitle says whose it
 * is (the engine's owner sees every account's). */
GtkWidget           *bourse_session_row_new         (BourseClientSession *session,
                                                     gboolean             show_username);
BourseClientSession *bourse_session_row_get_session (BourseSessionRow    *self);

G_END_DECLS
