/* bourse-audit-item.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "client/bourse-client-records.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_AUDIT_ITEM (bourse_audit_item_get_type ())

G_DECLARE_FINAL_TYPE (BourseAuditItem, bourse_audit_item, BOURSE, AUDIT_ITEM, GObject)

/* One entry of GET /api/v1/audit, as the Audit page's table shows it:
 * made from the typed record, with what a person reads in each column. */
BourseAuditItem *bourse_audit_item_new                (BourseClientAuditEntry *entry);
gint64           bourse_audit_item_get_id             (BourseAuditItem *self);
/* Local time, "2026-11-21 10:29:16". */
const char      *bourse_audit_item_get_time           (BourseAuditItem *self);
const char      *bourse_audit_item_get_actor          (BourseAuditItem *self);
const char      *bourse_audit_item_get_action         (BourseAuditItem *self);
const char      *bourse_audit_item_get_target         (BourseAuditItem *self);
/* What a person reads: "ada", "The engine"; "User ada", "Approval BUY
 * BTCUSDT", "Order #12" (the API's names, words for the kinds). */
const char      *bourse_audit_item_get_actor_display  (BourseAuditItem *self);
const char      *bourse_audit_item_get_target_display (BourseAuditItem *self);
/* The details object as compact JSON, or NULL when empty. */
const char      *bourse_audit_item_get_details        (BourseAuditItem *self);

G_END_DECLS
