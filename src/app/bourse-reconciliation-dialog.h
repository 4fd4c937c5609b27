/* bourse-reconciliation-dialog.h — what a reconciliation with the exchange found and adopted
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

/* An AdwMessageDialog (named "reconciliation-dialog") listing a
 * Reconciliation of docs/LIVE.md: the orders adopted and updated, the fills
 * booked and the balances that differed. */
GtkWidget *bourse_reconciliation_dialog_new     (GtkWindow    *parent,
                                                 JsonObject   *reconciliation);
/* Fetches the newest reconciliation (GET /api/v1/system/reconciliations?limit=1)
 * and presents its dialog, or says in a toast why it cannot. @parent is not
 * kept alive for the answer: nothing is shown once it is gone, or once
 * @cancellable (the parent's, cancelled when it goes) is cancelled. */
void       bourse_reconciliation_dialog_present_latest (GtkWindow    *parent,
                                                        BourseClient *client,
                                                        GCancellable *cancellable);

G_END_DECLS
