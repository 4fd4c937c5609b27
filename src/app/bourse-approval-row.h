/* bourse-approval-row.h — an approval in the Approvals page
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"
#include "client/bourse-client-records.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_APPROVAL_ROW (bourse_approval_row_get_type ())

G_DECLARE_FINAL_TYPE (BourseApprovalRow, bourse_approval_row, BOURSE, APPROVAL_ROW, AdwExpanderRow)

/* A pending one comes expanded, its chart loading from @client; a decided
 * one loads it when opened. Approve… and Reject… only with @can_decide,
 * Execute… only with @can_execute. */
GtkWidget            *bourse_approval_row_new          (BourseClientApproval *approval,
                                                        BourseClient         *client,
                                                        gboolean              can_decide,
                                                        gboolean              can_execute);
BourseClientApproval *bourse_approval_row_get_approval (BourseApprovalRow    *self);

/* Who asked, for a person: an account's name, or what the engine acted on. */
char                 *bourse_approval_dup_requester    (BourseClientApproval *approval);
/* “BUY BTCUSDT” */
char                 *bourse_approval_dup_title        (BourseClientApproval *approval);

G_END_DECLS
