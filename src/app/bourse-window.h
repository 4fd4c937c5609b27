/* bourse-window.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_WINDOW (bourse_window_get_type ())

G_DECLARE_FINAL_TYPE (BourseWindow, bourse_window, BOURSE, WINDOW, AdwApplicationWindow)

BourseWindow *bourse_window_new            (GtkApplication *application);
/* The connected client, or NULL while connecting or after a failure. */
BourseClient *bourse_window_get_client     (BourseWindow   *self);
const char   *bourse_window_get_server_url (BourseWindow   *self);
/* The bearer token the window's client sends; set before the URL. */
void          bourse_window_set_token      (BourseWindow   *self,
                                            const char     *token);
/* Connects to the API server at @url, showing progress, then the console. */
void          bourse_window_set_server_url (BourseWindow   *self,
                                            const char     *url);
void          bourse_window_show_progress  (BourseWindow   *self,
                                            const char     *title,
                                            const char     *description);
/* Shows a failure with a Retry button (win.retry). */
void          bourse_window_show_error     (BourseWindow   *self,
                                            const char     *title,
                                            const char     *message);
void          bourse_window_add_toast      (BourseWindow   *self,
                                            const char     *message);
/* Shows the Approvals page on approval @id; with @decision "approve" or
 * "reject", the dialog asking for the reason (win.show-approval,
 * win.decide-approval). Waits for the page when it is not there yet. */
void          bourse_window_show_approval  (BourseWindow   *self,
                                            gint64          id,
                                            const char     *decision);

G_END_DECLS
