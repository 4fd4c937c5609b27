/* bourse-approvals-page.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_APPROVALS_PAGE (bourse_approvals_page_get_type ())

G_DECLARE_FINAL_TYPE (BourseApprovalsPage, bourse_approvals_page, BOURSE, APPROVALS_PAGE, AdwPreferencesPage)

GtkWidget    *bourse_approvals_page_new             (void);
BourseClient *bourse_approvals_page_get_client      (BourseApprovalsPage *self);
void          bourse_approvals_page_set_client      (BourseApprovalsPage *self,
                                                     BourseClient        *client);
/* Whether the signed-in role may approve and reject (approvals.decide):
 * without it the list has no buttons. */
gboolean      bourse_approvals_page_get_can_decide  (BourseApprovalsPage *self);
/* Whether approved items offer Execute… (approvals.execute). */
void          bourse_approvals_page_set_can_execute (BourseApprovalsPage *self,
                                                     gboolean             can_execute);
void          bourse_approvals_page_set_can_decide  (BourseApprovalsPage *self,
                                                     gboolean             can_decide);
/* Approvals waiting for a decision. */
guint         bourse_approvals_page_get_n_pending   (BourseApprovalsPage *self);
/* Approvals listed, once loaded (-1 before). */
int           bourse_approvals_page_get_n_approvals (BourseApprovalsPage *self);
void          bourse_approvals_page_reload          (BourseApprovalsPage *self);
/* (transfer none) The BourseClientStore of BourseClientApproval the page
 * shows, or NULL without a client. */
gpointer      bourse_approvals_page_get_store       (BourseApprovalsPage *self);
/* Expands and focuses approval @id; with @decision "approve" or "reject"
 * also opens the dialog asking for the reason. Waits for the list when it
 * is still loading. */
void          bourse_approvals_page_show_approval   (BourseApprovalsPage *self,
                                                     gint64               id,
                                                     const char          *decision);

G_END_DECLS
