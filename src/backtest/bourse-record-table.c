/* bourse-record-table.c — what the backtests' and the optimisations' tables do alike
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-time.h"

#include "bourse-record-table.h"

/* What a crash or a shutdown leaves in the error of an unfinished run, as
 * in its job's. */
#define INTERRUPTED "interrupted"

gboolean
_bourse_record_table_mark_interrupted (const BourseRecordTable  *table,
                                       BourseStore              *store,
                                       GError                  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  int changed;

  /* Nobody runs them any more: a crash ended them, as it did their jobs. */
  sql = g_strdup_printf ("UPDATE %s SET status = 'failed', error = '" INTERRUPTED "', finished_at = ? "
                         "WHERE status IN ('queued', 'running')", table->table);
  if ((stmt = bourse_store_prepare (store, sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_done (store, stmt, error))
    return FALSE;
  if ((changed = sqlite3_changes (bourse_store_get_db (store))) > 0)
    g_message ("Marked %d unfinished %s as interrupted", changed, table->table);
  return TRUE;
}

gboolean
_bourse_record_table_check_owner (const BourseRecordTable      *table,
                                  const BourseRecordHead       *head,
                                  const BourseBacktestsCaller  *caller,
                                  GError                      **error)
{
  if (!caller->any && (caller->user_id <= 0 || head->created_by != caller->user_id))
    {
      bourse_set_field_error (error, BOURSE_ERROR_FORBIDDEN, "id", "%s", _(table->not_owner));
      return FALSE;
    }
  return TRUE;
}

static gboolean
audit_change (const BourseRecordTable      *table,
              BourseAuth                   *auth,
              const BourseBacktestsCaller  *caller,
              const char                   *change,
              const BourseRecordHead       *head,
              const char                   *note,
              GError                      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *action = g_strdup_printf ("%s.%s", table->kind, change);
  g_autofree char *target = g_strdup_printf ("%s:%" G_GINT64_FORMAT, table->kind, head->id);

  json_builder_begin_object (builder);
  bourse_json_builder_add_string (builder, "strategy", head->strategy);
  bourse_json_builder_add_string (builder, "symbol", head->symbol);
  bourse_json_builder_add_string (builder, "interval", head->interval);
  bourse_json_builder_add_string (builder, "status", bourse_job_status_to_string (head->status));
  if (note != NULL)
    bourse_json_builder_add_string (builder, "note", note);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);
  return bourse_auth_audit (auth, caller->actor, action, target, details, caller->context, error);
}

gboolean
_bourse_record_table_set_note (const BourseRecordTable      *table,
                               BourseStore                  *store,
                               BourseAuth                   *auth,
                               const BourseRecordHead       *head,
                               const char                   *note,
                               const BourseBacktestsCaller  *caller,
                               GError                      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET note = ? WHERE id = ?", table->table);

  if (!g_utf8_validate (note, -1, NULL) || g_utf8_strlen (note, -1) > BOURSE_BACKTEST_MAX_NOTE)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "note", _("A note holds at most %d characters"),
                              BOURSE_BACKTEST_MAX_NOTE);
      return FALSE;
    }

  if (!bourse_store_begin (store, error))
    return FALSE;
  if ((stmt = bourse_store_prepare (store, sql, error)) == NULL)
    {
      bourse_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, head->id);
  if (!bourse_store_step_done (store, stmt, error)
      || !audit_change (table, auth, caller, "note", head, note, error)
      || !bourse_store_commit (store, error))
    {
      bourse_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

gboolean
_bourse_record_table_delete (const BourseRecordTable      *table,
                             BourseStore                  *store,
                             BourseAuth                   *auth,
                             BourseEventBus               *bus,
                             BourseJobs                   *jobs,
                             const BourseRecordHead       *head,
                             const BourseBacktestsCaller  *caller,
                             GError                      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) event = NULL;
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?", table->table);

  /* Its worker stops at its next look at the cancellable; the job's end
   * then finds no record to write to. */
  if (head->job_id > 0 && (head->status == BOURSE_JOB_QUEUED || head->status == BOURSE_JOB_RUNNING))
    {
      g_autoptr(GError) local_error = NULL;

      if (!bourse_jobs_cancel (jobs, head->job_id, &local_error)
          && !g_error_matches (local_error, BOURSE_JOBS_ERROR, BOURSE_JOBS_ERROR_FINISHED)
          && !g_error_matches (local_error, BOURSE_JOBS_ERROR, BOURSE_JOBS_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (!bourse_store_begin (store, error))
    return FALSE;
  if ((stmt = bourse_store_prepare (store, sql, error)) == NULL)
    {
      bourse_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, head->id);
  if (!bourse_store_step_done (store, stmt, error)
      || !audit_change (table, auth, caller, "delete", head, NULL, error)
      || !bourse_store_commit (store, error))
    {
      bourse_store_rollback (store);
      return FALSE;
    }

  json_builder_begin_object (builder);
  bourse_json_builder_add_int (builder, "id", head->id);
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  event = json_builder_get_root (builder);
  bourse_event_bus_publish (bus, table->topic, event);
  return TRUE;
}

void
_bourse_record_author_init (BourseRecordAuthor          *author,
                            const BourseBacktestsCaller *caller)
{
  author->actor = g_strdup (caller->actor);
  if (caller->context != NULL)
    {
      author->client_address = g_strdup (caller->context->client_address);
      author->request_id = g_strdup (caller->context->request_id);
      author->user_agent = g_strdup (caller->context->user_agent);
    }
}

void
_bourse_record_author_clear (BourseRecordAuthor *author)
{
  g_clear_pointer (&author->actor, g_free);
  g_clear_pointer (&author->client_address, g_free);
  g_clear_pointer (&author->request_id, g_free);
  g_clear_pointer (&author->user_agent, g_free);
}

BourseAuthContext
_bourse_record_author_context (const BourseRecordAuthor *author)
{
  return (BourseAuthContext) { author->client_address, author->request_id, author->user_agent };
}
