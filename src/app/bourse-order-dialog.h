/* bourse-order-dialog.h — a new order, with its cost before it is sent
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_ORDER_DIALOG (bourse_order_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BourseOrderDialog, bourse_order_dialog, BOURSE, ORDER_DIALOG, AdwWindow)

/* @symbol: the instrument to start with, or NULL. */
GtkWidget *bourse_order_dialog_new          (GtkWindow         *parent,
                                             BourseClient      *client,
                                             const char        *symbol);
/* Whether the instruments are loaded and @symbol is selected. */
gboolean   bourse_order_dialog_is_ready     (BourseOrderDialog *self);

G_END_DECLS
