/* bourse-audit-page.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

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
/* The entries shown, newest first (a GListModel of BourseAuditItem). */
GListModel   *bourse_audit_page_get_entries (BourseAuditPage *self);

G_END_DECLS
