/* bourse-exchange-page.h — Preferences → Exchange: the venue, its keys and their check
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_EXCHANGE_PAGE (bourse_exchange_page_get_type ())

G_DECLARE_FINAL_TYPE (BourseExchangePage, bourse_exchange_page, BOURSE, EXCHANGE_PAGE, AdwPreferencesPage)

/* Reads GET /api/v1/exchange; the keys' form shows with exchange.keys. */
GtkWidget    *bourse_exchange_page_new         (BourseClient       *client);
BourseClient *bourse_exchange_page_get_client  (BourseExchangePage *self);
void          bourse_exchange_page_reload      (BourseExchangePage *self);
/* How many answers of GET /api/v1/exchange were shown, and how many
 * requests that change the keys were answered (for tests). */
guint         bourse_exchange_page_get_n_loads (BourseExchangePage *self);
guint         bourse_exchange_page_get_n_saves (BourseExchangePage *self);

G_END_DECLS
