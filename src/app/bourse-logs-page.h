/* bourse-logs-page.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_LOGS_PAGE (bourse_logs_page_get_type ())

G_DECLARE_FINAL_TYPE (BourseLogsPage, bourse_logs_page, BOURSE, LOGS_PAGE, AdwBin)

GtkWidget    *bourse_logs_page_new            (void);
BourseClient *bourse_logs_page_get_client     (BourseLogsPage *self);
void          bourse_logs_page_set_client     (BourseLogsPage *self,
                                               BourseClient   *client);
/* The entries held (shown or hidden by the search), newest first. */
guint         bourse_logs_page_get_n_entries  (BourseLogsPage *self);
/* The row of the newest entry whose message contains @text and that the
 * search lets through, or NULL. */
GtkWidget    *bourse_logs_page_find_message   (BourseLogsPage *self,
                                               const char     *text);

G_END_DECLS
