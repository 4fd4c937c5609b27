/* bourse-orders-page.h — open orders, the order history, fills and trades
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_ORDERS_PAGE (bourse_orders_page_get_type ())

G_DECLARE_FINAL_TYPE (BourseOrdersPage, bourse_orders_page, BOURSE, ORDERS_PAGE, GtkBox)

GtkWidget    *bourse_orders_page_new             (void);
BourseClient *bourse_orders_page_get_client      (BourseOrdersPage   *self);
void          bourse_orders_page_set_client      (BourseOrdersPage   *self,
                                                  BourseClient       *client);
/* Shows what the client's permissions allow; the window calls it once
 * they are loaded. */
void          bourse_orders_page_update_permissions (BourseOrdersPage *self);
void          bourse_orders_page_reload          (BourseOrdersPage   *self);
/* How many open orders the page lists; -1 before the first answer. */
int           bourse_orders_page_get_n_open      (BourseOrdersPage   *self);

G_END_DECLS
