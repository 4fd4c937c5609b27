/* bourse-audit-page.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client-store.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_AUDIT_PAGE (bourse_audit_page_get_type ())

G_DECLARE_FINAL_TYPE (BourseAuditPage, bourse_audit_page, BOURSE, AUDIT_PAGE, GtkWidget)

GtkWidget    *bourse_audit_page_new         (void);
BourseClient *bourse_audit_page_get_client  (BourseAuditPage *self);
void          bourse_audit_page_set_client  (BourseAuditPage *self,
                                             BourseClient    *client);
/* Loads the newest entries again, with the current filters, and checks
 * the chain. */
void          bourse_audit_page_reload      (BourseAuditPage *self);
/* The entries shown, in the order shown (a GListModel of BourseAuditItem):
 * newest first until a column header says otherwise. */
GListModel   *bourse_audit_page_get_entries (BourseAuditPage *self);
/* The BourseClientAuditEntry read so far, newest first (another one when
 * the filter changes). */
BourseClientStore *bourse_audit_page_get_store (BourseAuditPage *self);
/* As a click on a column's header: "time", "actor", "action" or "target". */
void          bourse_audit_page_sort_by     (BourseAuditPage *self,
                                             const char      *column_id,
                                             GtkSortType      direction);

G_END_DECLS
