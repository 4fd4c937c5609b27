/* desk/bourse-desk-approvals.h — a person decides: pending → approved | rejected | expired
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-desk.h"
#include "desk/bourse-desk-recommendations.h"

G_BEGIN_DECLS

/* The longest reason a decision may give. */
#define BOURSE_APPROVAL_REASON_MAX 500

typedef enum
{
  BOURSE_APPROVAL_PENDING,
  BOURSE_APPROVAL_APPROVED,
  BOURSE_APPROVAL_REJECTED,
  BOURSE_APPROVAL_EXPIRED,
} BourseApprovalStatus;

typedef struct
{
  gint64                 id;
  gint64                 recommendation_id;
  BourseApprovalStatus   status;
  gint64                 requested_by;     /* a user id, 0 for none */
  char                  *requester;        /* the audit actor who asked */
  gint64                 decided_by;       /* a user id, 0 for none (the engine, the desktop owner) */
  char                  *decider;          /* the audit actor who decided, or NULL */
  char                  *reason;           /* or NULL */
  char                  *created_at;
  char                  *decided_at;       /* or NULL */
  char                  *expires_at;
  gint64                 order_id;         /* the entry order it was executed into, 0 for none */
  BourseRecommendation  *recommendation;   /* read with the approval */
  char                  *requested_by_name; /* the accounts' usernames, or NULL */
  char                  *decided_by_name;
} BourseApproval;

const char     *bourse_approval_status_to_string (BourseApprovalStatus   status);
gboolean        bourse_approval_status_parse     (const char            *text,
                                                  BourseApprovalStatus  *status);

void            bourse_approval_free             (BourseApproval        *approval);
/* The API's Approval object, with its recommendation. */
JsonNode       *bourse_approval_to_json          (const BourseApproval  *approval);

BourseApproval *bourse_approvals_get             (BourseStore           *store,
                                                  gint64                 id,
                                                  GError               **error);
/* Pending ones first, then the others, newest first in each; status < 0
 * for all. The cursor is opaque: pass back what *next_cursor says (0 when
 * nothing follows). A GPtrArray of BourseApproval. */
GPtrArray      *bourse_approvals_list            (BourseStore           *store,
                                                  int                    status,
                                                  gint64                 cursor,
                                                  guint                  limit,
                                                  gint64                *next_cursor,
                                                  GError               **error);

/* Approves or rejects a pending approval (a reject needs a reason of 1 to
 * BOURSE_APPROVAL_REASON_MAX characters), audited and published on
 * "approvals". CONFLICT naming "status" when it is no longer pending (an
 * overdue one is expired on the way), FORBIDDEN under the four-eyes rule
 * when @caller asked for it. */
BourseApproval *bourse_desk_decide               (BourseDesk            *self,
                                                  gint64                 id,
                                                  gboolean               approve,
                                                  const char            *reason,
                                                  const BourseDeskCaller *caller,
                                                  GError               **error);
/* Expires every pending approval past its time; what job approvals.expire runs.
 * Returns how many it expired. */
guint           bourse_desk_expire_approvals     (BourseDesk            *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseApproval, bourse_approval_free)

G_END_DECLS
