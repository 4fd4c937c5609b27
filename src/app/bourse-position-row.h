/* bourse-position-row.h — an open position in the Portfolio page
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client-records.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_POSITION_ROW (bourse_position_row_get_type ())

G_DECLARE_FINAL_TYPE (BoursePositionRow, bourse_position_row, BOURSE, POSITION_ROW, AdwActionRow)

/* Named "position-row-SYMBOL"; money in @currency (the account's, or NULL
 * before the summary says it). */
GtkWidget            *bourse_position_row_new          (BourseClientPosition *position,
                                                        const char           *currency);
BourseClientPosition *bourse_position_row_get_position (BoursePositionRow    *self);
void                  bourse_position_row_set_currency (BoursePositionRow    *self,
                                                        const char           *currency);

G_END_DECLS
