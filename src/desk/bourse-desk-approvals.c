/* desk/bourse-desk-approvals.c — the approval state machine: pending → approved | rejected | expired
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "core/bourse-outbox.h"

#include "bourse-desk-private.h"

/* What the engine writes when the auto-paper policy approves (docs/DESK.md). */
#define AUTO_PAPER_REASON "auto-paper policy"

static const BourseDeskCaller system_caller = { "system", 0, NULL };

const char *
bourse_approval_status_to_string (BourseApprovalStatus status)
{
  switch (status)
    {
    case BOURSE_APPROVAL_APPROVED: return "approved";
    case BOURSE_APPROVAL_REJECTED: return "rejected";
    case BOURSE_APPROVAL_EXPIRED:  return "expired";
    case BOURSE_APPROVAL_PENDING:
    default:                       return "pending";
    }
}

gboolean
bourse_approval_status_parse (const char           *text,
                              BourseApprovalStatus *status)
{
  for (int i = BOURSE_APPROVAL_PENDING; i <= BOURSE_APPROVAL_EXPIRED; i++)
    if (g_strcmp0 (text, bourse_approval_status_to_string (i)) == 0)
      {
        *status = i;
        return TRUE;
      }
  return FALSE;
}

void
bourse_approval_free (BourseApproval *approval)
{
  if (approval == NULL)
    return;

  g_free (approval->requester);
  g_free (approval->decider);
  g_free (approval->reason);
  g_free (approval->created_at);
  g_free (approval->decided_at);
  g_free (approval->expires_at);
  g_free (approval->requested_by_name);
  g_free (approval->decided_by_name);
  g_clear_pointer (&approval->recommendation, bourse_recommendation_free);
  g_free (approval);
}

/* @recommendation: the approval's, which it may not hold itself. */
static JsonNode *
approval_to_json (const BourseApproval       *approval,
                  const BourseRecommendation *recommendation)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;

  json_object_set_int_member (object, "id", approval->id);
  json_object_set_int_member (object, "recommendation_id", approval->recommendation_id);
  json_object_set_string_member (object, "status", bourse_approval_status_to_string (approval->status));
  _bourse_desk_json_set_id (object, "requested_by", approval->requested_by);
  _bourse_desk_json_set_text (object, "requested_by_name", approval->requested_by_name);
  _bourse_desk_json_set_id (object, "decided_by", approval->decided_by);
  _bourse_desk_json_set_text (object, "decided_by_name", approval->decided_by_name);
  _bourse_desk_json_set_text (object, "reason", approval->reason);
  json_object_set_string_member (object, "created_at", approval->created_at);
  _bourse_desk_json_set_text (object, "decided_at", approval->decided_at);
  json_object_set_string_member (object, "expires_at", approval->expires_at);
  _bourse_desk_json_set_id (object, "order_id", approval->order_id);
  if (recommendation != NULL)
    json_object_set_member (object, "recommendation", bourse_recommendation_to_json (recommendation));
  else
    json_object_set_null_member (object, "recommendation");

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

JsonNode *
bourse_approval_to_json (const BourseApproval *approval)
{
  g_return_val_if_fail (approval != NULL, NULL);

  return approval_to_json (approval, approval->recommendation);
}

/* The store {{{ */

/* The entry order an execution made (orders.approval_id, unique for
 * entries) shows on the approval, so the UIs know it executed. */
#define APPROVAL_COLUMNS \
  "a.id, a.recommendation_id, a.status, a.requested_by, a.requester, a.decided_by, a.decider, " \
  "a.reason, a.created_at, a.decided_at, a.expires_at, " \
  "(SELECT o.id FROM orders o WHERE o.approval_id = a.id AND o.parent_id IS NULL), " \
  "(SELECT username FROM users WHERE id = a.requested_by), " \
  "(SELECT username FROM users WHERE id = a.decided_by), "
#define APPROVAL_N_COLUMNS 14

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *)sqlite3_column_text (stmt, column);
}

static BourseApproval *
approval_from_row (sqlite3_stmt *stmt)
{
  BourseApproval *approval = g_new0 (BourseApproval, 1);

  approval->id = sqlite3_column_int64 (stmt, 0);
  approval->recommendation_id = sqlite3_column_int64 (stmt, 1);
  bourse_approval_status_parse (column_text (stmt, 2), &approval->status);
  approval->requested_by = sqlite3_column_int64 (stmt, 3);
  approval->requester = g_strdup (column_text (stmt, 4));
  approval->decided_by = sqlite3_column_int64 (stmt, 5);
  approval->decider = g_strdup (column_text (stmt, 6));
  approval->reason = g_strdup (column_text (stmt, 7));
  approval->created_at = g_strdup (column_text (stmt, 8));
  approval->decided_at = g_strdup (column_text (stmt, 9));
  approval->expires_at = g_strdup (column_text (stmt, 10));
  approval->order_id = sqlite3_column_int64 (stmt, 11);
  approval->requested_by_name = g_strdup (column_text (stmt, 12));
  approval->decided_by_name = g_strdup (column_text (stmt, 13));
  approval->recommendation = _bourse_recommendation_from_row (stmt, APPROVAL_N_COLUMNS);
  return approval;
}

BourseApproval *
bourse_approvals_get (BourseStore  *store,
                      gint64        id,
                      GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);

  stmt = bourse_store_prepare (store,
                               "SELECT " APPROVAL_COLUMNS BOURSE_RECOMMENDATION_COLUMNS " FROM approvals a "
                               "JOIN recommendations r ON r.id = a.recommendation_id WHERE a.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return approval_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_NOT_FOUND, _("There is no approval %" PRId64), id);
  else
    bourse_store_set_error (store, error);
  return NULL;
}

/*
 * Pending first, then the others, newest first in each. The cursor says
 * where the last page stopped: a positive id inside the pending ones, a
 * negative one inside the others.
 */
GPtrArray *
bourse_approvals_list (BourseStore  *store,
                       int           status,
                       gint64        cursor,
                       guint         limit,
                       gint64       *next_cursor,
                       GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_approval_free);
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  stmt = bourse_store_prepare (store,
                               "SELECT " APPROVAL_COLUMNS BOURSE_RECOMMENDATION_COLUMNS " FROM approvals a "
                               "JOIN recommendations r ON r.id = a.recommendation_id "
                               "WHERE (?1 IS NULL OR a.status = ?1) "
                               "AND (?2 = 0 "
                               "     OR (?2 > 0 AND (a.status <> 'pending' OR a.id < ?2)) "
                               "     OR (?2 < 0 AND a.status <> 'pending' AND a.id < -?2)) "
                               "ORDER BY a.status = 'pending' DESC, a.id DESC LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;
  if (status >= 0)
    sqlite3_bind_text (stmt, 1, bourse_approval_status_to_string (status), -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 2, cursor);
  /* One more says whether another page follows. */
  sqlite3_bind_int64 (stmt, 3, (gint64)limit + 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, approval_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }

  *next_cursor = 0;
  if (list->len > limit)
    {
      BourseApproval *last = g_ptr_array_index (list, limit - 1);

      *next_cursor = last->status == BOURSE_APPROVAL_PENDING ? last->id : -last->id;
      g_ptr_array_set_size (list, limit);
    }
  return g_steal_pointer (&list);
}

static gboolean
insert_approval (BourseStore     *store,
                 BourseApproval  *approval,
                 gint64           ttl_s,
                 GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 now = bourse_time_now_ms ();

  stmt = bourse_store_prepare (store,
                               "INSERT INTO approvals (recommendation_id, status, requested_by, requester, "
                               "created_at, expires_at) VALUES (?1, 'pending', ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;

  approval->status = BOURSE_APPROVAL_PENDING;
  approval->created_at = bourse_time_format_rfc3339 (now);
  approval->expires_at = bourse_time_format_rfc3339 (now + ttl_s * 1000);
  sqlite3_bind_int64 (stmt, 1, approval->recommendation_id);
  if (approval->requested_by > 0)
    sqlite3_bind_int64 (stmt, 2, approval->requested_by);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, approval->requester, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, approval->created_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, approval->expires_at, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  approval->id = sqlite3_last_insert_rowid (bourse_store_get_db (store));
  g_free (approval->requested_by_name);
  approval->requested_by_name = _bourse_desk_user_name (store, approval->requested_by);
  return TRUE;
}

/* pending → @status, only from pending: FALSE with CONFLICT when another
 * transition came first. */
static gboolean
finish_approval (BourseStore            *store,
                 BourseApproval         *approval,
                 BourseApprovalStatus    status,
                 const BourseDeskCaller *decider,
                 const char             *reason,
                 GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = _bourse_desk_now_text ();

  stmt = bourse_store_prepare (store,
                               "UPDATE approvals SET status = ?1, decided_by = ?2, decider = ?3, reason = ?4, "
                               "decided_at = ?5 WHERE id = ?6 AND status = 'pending'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bourse_approval_status_to_string (status), -1, SQLITE_STATIC);
  if (decider->user_id > 0)
    sqlite3_bind_int64 (stmt, 2, decider->user_id);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, decider->actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, approval->id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  if (sqlite3_changes (bourse_store_get_db (store)) != 1)
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_CONFLICT, "status",
                                    _("The approval is no longer pending"));
      return FALSE;
    }

  approval->status = status;
  approval->decided_by = decider->user_id;
  g_free (approval->decided_by_name);
  approval->decided_by_name = _bourse_desk_user_name (store, decider->user_id);
  g_free (approval->decider);
  approval->decider = g_strdup (decider->actor);
  g_free (approval->reason);
  approval->reason = g_strdup (reason);
  g_free (approval->decided_at);
  approval->decided_at = g_steal_pointer (&now);
  return TRUE;
}

/* }}} */

/* Transitions {{{ */

static JsonNode *
transition_details (const BourseApproval *approval,
                    const char           *reason)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "recommendation_id", approval->recommendation_id);
  json_object_set_string_member (object, "status", bourse_approval_status_to_string (approval->status));
  if (reason != NULL)
    json_object_set_string_member (object, "reason", reason);
  json_node_take_object (node, object);
  return node;
}

static gboolean
audit_transition (BourseDesk             *self,
                  const BourseDeskCaller *caller,
                  const char             *action,
                  const BourseApproval   *approval,
                  const char             *reason,
                  GError                **error)
{
  g_autofree char *target = g_strdup_printf ("approval:%" G_GINT64_FORMAT, approval->id);
  g_autoptr(JsonNode) details = transition_details (approval, reason);

  return _bourse_desk_audit (self, caller, action, target, details, error);
}

static void
set_decimal_member (JsonObject    *object,
                    const char    *name,
                    BourseDecimal  value)
{
  g_autofree char *text = bourse_decimal_to_string_trimmed (value);

  json_object_set_string_member (object, name, text);
}

/* In the transaction that opens the approval (docs/OPERATIONS.md). */
static gboolean
emit_pending (BourseDesk                 *self,
              const BourseApproval       *approval,
              const BourseRecommendation *recommendation,
              GError                    **error)
{
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(JsonNode) event = json_node_init_object (json_node_alloc (), data);

  json_object_set_int_member (data, "approval_id", approval->id);
  json_object_set_string_member (data, "symbol", recommendation->symbol);
  json_object_set_string_member (data, "decision", bourse_decision_to_string (recommendation->decision));
  set_decimal_member (data, "entry", recommendation->entry);
  set_decimal_member (data, "stop_loss", recommendation->stop_loss);
  set_decimal_member (data, "take_profit", recommendation->take_profit);
  json_object_set_string_member (data, "strategy", recommendation->strategy);
  json_object_set_string_member (data, "expires_at", approval->expires_at);
  return bourse_outbox_emit (self->store, "approval.pending", approval->requested_by, event, error);
}

gboolean
_bourse_desk_open_recommendation (BourseDesk             *self,
                                  BourseRecommendation   *recommendation,
                                  BourseApprovalPolicy    policy,
                                  const BourseDeskCaller *caller,
                                  BourseDeskEvents       *events,
                                  GError                **error)
{
  g_autoptr(BourseApproval) approval = NULL;
  g_autoptr(BourseDeskEvents) approval_events = _bourse_desk_events_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *target = NULL;
  JsonObject *object;
  gboolean actionable = recommendation->decision != BOURSE_DECISION_NO_TRADE;

  if (!bourse_recommendations_insert (self->store, recommendation, error))
    return FALSE;

  object = json_object_new ();
  json_object_set_string_member (object, "symbol", recommendation->symbol);
  json_object_set_string_member (object, "interval", bourse_interval_to_string (recommendation->interval));
  json_object_set_string_member (object, "strategy", recommendation->strategy);
  json_object_set_string_member (object, "decision", bourse_decision_to_string (recommendation->decision));
  json_object_set_string_member (object, "origin", bourse_origin_to_string (recommendation->origin));
  if (recommendation->strategy_id > 0)
    json_object_set_int_member (object, "strategy_id", recommendation->strategy_id);
  details = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (details, object);
  target = g_strdup_printf ("recommendation:%" G_GINT64_FORMAT, recommendation->id);
  if (!_bourse_desk_audit (self, caller, "recommendation.create", target, details, error))
    return FALSE;

  if (actionable && policy != BOURSE_POLICY_NOTIFY_ONLY)
    {
      approval = g_new0 (BourseApproval, 1);
      approval->recommendation_id = recommendation->id;
      approval->requested_by = caller->user_id;
      approval->requester = g_strdup (caller->actor);
      if (!insert_approval (self->store, approval, bourse_config_get_int (self->config, "approvals", "ttl"), error)
          || !audit_transition (self, caller, "approval.create", approval, NULL, error))
        return FALSE;
      recommendation->approval_id = approval->id;
      _bourse_desk_events_add (approval_events, "approvals", approval_to_json (approval, recommendation));

      /* The engine approves for the policy, and only on paper: real money
       * always waits for a person. */
      if (policy == BOURSE_POLICY_AUTO_PAPER && bourse_desk_is_paper (self))
        {
          if (!finish_approval (self->store, approval, BOURSE_APPROVAL_APPROVED, &system_caller,
                                AUTO_PAPER_REASON, error)
              || !audit_transition (self, &system_caller, "approval.approve", approval, AUTO_PAPER_REASON, error))
            return FALSE;
          _bourse_desk_events_add (approval_events, "approvals", approval_to_json (approval, recommendation));
        }
      /* Waiting for a person: the approval.pending notification. */
      if (approval->status == BOURSE_APPROVAL_PENDING && !emit_pending (self, approval, recommendation, error))
        return FALSE;
    }

  /* The recommendation goes out first, with its approval's id. */
  _bourse_desk_events_add (events, "recommendations", bourse_recommendation_to_json (recommendation));
  g_ptr_array_extend_and_steal (events, g_steal_pointer (&approval_events));
  return TRUE;
}

/* Expires @approval in the open transaction; the event goes to @events. */
static gboolean
expire_one (BourseDesk       *self,
            BourseApproval   *approval,
            BourseDeskEvents *events,
            GError          **error)
{
  if (!finish_approval (self->store, approval, BOURSE_APPROVAL_EXPIRED, &system_caller, NULL, error)
      || !audit_transition (self, &system_caller, "approval.expire", approval, NULL, error))
    return FALSE;
  _bourse_desk_events_add (events, "approvals", bourse_approval_to_json (approval));
  return TRUE;
}

guint
bourse_desk_expire_approvals (BourseDesk *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(BourseDeskEvents) events = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = NULL;
  int rc;

  g_return_val_if_fail (BOURSE_IS_DESK (self), 0);

  if (self->stopped)
    return 0;

  now = _bourse_desk_now_text ();
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  stmt = bourse_store_prepare (self->store,
                               "SELECT id FROM approvals WHERE status = 'pending' AND expires_at <= ?1 "
                               "ORDER BY id", &error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, &error);
      goto fail;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (ids->len == 0)
    return 0;

  events = _bourse_desk_events_new ();
  if (!bourse_store_begin (self->store, &error))
    goto fail;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(BourseApproval) approval = bourse_approvals_get (self->store, g_array_index (ids, gint64, i), &error);

      if (approval == NULL || !expire_one (self, approval, events, &error))
        {
          bourse_store_rollback (self->store);
          goto fail;
        }
    }
  if (!bourse_store_commit (self->store, &error))
    {
      bourse_store_rollback (self->store);
      goto fail;
    }
  g_info ("Expired %u approvals", ids->len);
  _bourse_desk_publish (self, events);
  return ids->len;

fail:
  g_message ("Overdue approvals were not expired: %s", error->message);
  return 0;
}

BourseApproval *
bourse_desk_decide (BourseDesk             *self,
                    gint64                  id,
                    gboolean                approve,
                    const char             *reason,
                    const BourseDeskCaller *caller,
                    GError                **error)
{
  g_autoptr(BourseApproval) approval = NULL;
  g_autoptr(BourseDeskEvents) events = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *now = NULL;
  glong length;

  g_return_val_if_fail (BOURSE_IS_DESK (self), NULL);
  g_return_val_if_fail (caller != NULL && caller->actor != NULL, NULL);

  if (self->stopped)
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_STOPPED, _("The engine is stopping"));
      return NULL;
    }

  length = reason != NULL ? g_utf8_strlen (reason, -1) : 0;
  if ((!approve && length == 0) || length > BOURSE_APPROVAL_REASON_MAX)
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "reason",
                                    approve ? _("must be at most %d characters")
                                            : _("is required to reject, and at most %d characters"),
                                    BOURSE_APPROVAL_REASON_MAX);
      return NULL;
    }

  events = _bourse_desk_events_new ();
  if (!bourse_store_begin (self->store, error))
    return NULL;
  if ((approval = bourse_approvals_get (self->store, id, error)) == NULL)
    goto fail;

  if (approval->status != BOURSE_APPROVAL_PENDING)
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_CONFLICT, "status",
                                    _("The approval is %s already: only a pending one can be decided"),
                                    bourse_approval_status_to_string (approval->status));
      goto fail;
    }

  /* Overdue but not yet seen by the timer: it expires now, and the
   * decision comes too late. */
  now = _bourse_desk_now_text ();
  if (g_strcmp0 (approval->expires_at, now) <= 0)
    {
      if (!expire_one (self, approval, events, error) || !bourse_store_commit (self->store, error))
        goto fail;
      _bourse_desk_publish (self, events);
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_CONFLICT, "status",
                                    _("The approval expired at %s"), approval->expires_at);
      return NULL;
    }

  /* Four eyes: whoever asked may not decide, by account or by actor (an
   * API key of the same account is the same person). */
  if (bourse_desk_get_four_eyes (self)
      && ((approval->requested_by > 0 && approval->requested_by == caller->user_id)
          || g_strcmp0 (approval->requester, caller->actor) == 0))
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_FORBIDDEN,
                   _("Four eyes: a recommendation you asked for must be decided by someone else"));
      goto fail;
    }

  if (!finish_approval (self->store, approval, approve ? BOURSE_APPROVAL_APPROVED : BOURSE_APPROVAL_REJECTED,
                        caller, reason, error)
      || !audit_transition (self, caller, approve ? "approval.approve" : "approval.reject", approval, reason, error)
      || !bourse_store_commit (self->store, error))
    goto fail;

  _bourse_desk_events_add (events, "approvals", bourse_approval_to_json (approval));
  _bourse_desk_publish (self, events);
  return g_steal_pointer (&approval);

fail:
  bourse_store_rollback (self->store);
  return NULL;
}

/* }}} */
