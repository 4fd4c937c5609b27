/* bourse-preferences-window.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_PREFERENCES_WINDOW (bourse_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (BoursePreferencesWindow, bourse_preferences_window, BOURSE, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* @client is the console window's own: the preferences speak for whoever it
 * is signed in as. */
GtkWidget    *bourse_preferences_window_new        (BourseClient            *client);
BourseClient *bourse_preferences_window_get_client (BoursePreferencesWindow *self);
/* Reloads the sessions and the API keys from the server. */
void          bourse_preferences_window_reload     (BoursePreferencesWindow *self);
/* How many sessions / API keys the window shows, once loaded (-1 before). */
int           bourse_preferences_window_get_n_sessions (BoursePreferencesWindow *self);
int           bourse_preferences_window_get_n_keys     (BoursePreferencesWindow *self);

G_END_DECLS
