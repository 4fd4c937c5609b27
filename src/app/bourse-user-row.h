/* bourse-user-row.h — an account in the Users page's lists
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client-records.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_USER_ROW (bourse_user_row_get_type ())

G_DECLARE_FINAL_TYPE (BourseUserRow, bourse_user_row, BOURSE, USER_ROW, AdwActionRow)

/* Named "user-row-USERNAME"; its buttons use the page's users.* actions. */
GtkWidget        *bourse_user_row_new      (BourseClientUser *user);
BourseClientUser *bourse_user_row_get_user (BourseUserRow    *self);

G_END_DECLS
