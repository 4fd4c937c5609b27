/* bourse-users-page.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client-store.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_USERS_PAGE (bourse_users_page_get_type ())

G_DECLARE_FINAL_TYPE (BourseUsersPage, bourse_users_page, BOURSE, USERS_PAGE, AdwPreferencesPage)

GtkWidget    *bourse_users_page_new        (void);
BourseClient *bourse_users_page_get_client (BourseUsersPage *self);
void          bourse_users_page_set_client (BourseUsersPage *self,
                                            BourseClient    *client);
/* Reads the accounts again (the "users" topic keeps them live otherwise). */
void          bourse_users_page_reload     (BourseUsersPage *self);
/* The BourseClientUser shown, or NULL without a client. */
BourseClientStore *bourse_users_page_get_store (BourseUsersPage *self);
/* How many accounts the page shows, once loaded (-1 before). */
int           bourse_users_page_get_n_users (BourseUsersPage *self);

G_END_DECLS
