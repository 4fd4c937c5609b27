/* bourse-order-row.h — an order in the Orders page
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client-records.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_ORDER_ROW (bourse_order_row_get_type ())

G_DECLARE_FINAL_TYPE (BourseOrderRow, bourse_order_row, BOURSE, ORDER_ROW, AdwActionRow)

/* With @may_cancel, a Cancel button while the order is open and no cancel
 * is on its way. */
GtkWidget         *bourse_order_row_new       (BourseClientOrder *order,
                                               gboolean           may_cancel);
BourseClientOrder *bourse_order_row_get_order (BourseOrderRow    *self);

G_END_DECLS
