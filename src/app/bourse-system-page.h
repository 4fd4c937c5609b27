/* bourse-system-page.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_SYSTEM_PAGE (bourse_system_page_get_type ())

G_DECLARE_FINAL_TYPE (BourseSystemPage, bourse_system_page, BOURSE, SYSTEM_PAGE, AdwPreferencesPage)

GtkWidget    *bourse_system_page_new        (void);
BourseClient *bourse_system_page_get_client (BourseSystemPage *self);
void          bourse_system_page_set_client (BourseSystemPage *self,
                                             BourseClient     *client);
/* Offers what the caller's permissions allow: Trade Live… (system.live),
 * Back to Paper… and Reconcile Now (system.control). */
void          bourse_system_page_update_permissions (BourseSystemPage *self);
/* "2 h 05 min": how the page shows a duration. */
char         *bourse_format_uptime          (gint64            seconds);

G_END_DECLS
