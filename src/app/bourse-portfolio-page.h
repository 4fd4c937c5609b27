/* bourse-portfolio-page.h — the book's dashboard: equity, balances,
 * positions, profit and loss
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"
#include "client/bourse-client-store.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_PORTFOLIO_PAGE (bourse_portfolio_page_get_type ())

G_DECLARE_FINAL_TYPE (BoursePortfolioPage, bourse_portfolio_page, BOURSE, PORTFOLIO_PAGE, AdwPreferencesPage)

GtkWidget    *bourse_portfolio_page_new             (void);
BourseClient *bourse_portfolio_page_get_client      (BoursePortfolioPage *self);
void          bourse_portfolio_page_set_client      (BoursePortfolioPage *self,
                                                     BourseClient        *client);
/* Shows what the client's permissions allow; the window calls it once
 * they are loaded. */
void          bourse_portfolio_page_update_permissions (BoursePortfolioPage *self);
void          bourse_portfolio_page_reload          (BoursePortfolioPage *self);
/* How many answers of GET /api/v1/portfolio the page has shown. */
guint         bourse_portfolio_page_get_n_loads     (BoursePortfolioPage *self);
/* (transfer none) The open positions' BourseClientStore (of
 * BourseClientPosition, closed ones included until the next reading), or
 * NULL without a client. */
BourseClientStore *bourse_portfolio_page_get_positions (BoursePortfolioPage *self);

G_END_DECLS
