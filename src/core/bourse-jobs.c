/* bourse-jobs.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-jobs"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "bourse-jobs.h"
#include "bourse-json.h"
#include "bourse-outbox.h"
#include "bourse-time.h"

/* What a crash or a shutdown leaves in the error of an unfinished job. */
#define INTERRUPTED "interrupted"

/* Counts the workers inside a job function, so that shutdown can wait for
 * them; shared with the workers, which may outlive a BourseJobs' last
 * reference by a moment. */
typedef struct
{
  gatomicrefcount ref_count;
  GMutex          lock;
  GCond           cond;
  guint           n_running;
} Workers;

struct _BourseJob
{
  gatomicrefcount      ref_count;
  gint64               id;
  GWeakRef             jobs;
  GMainContext        *context;      /* the engine's */
  Workers             *workers;
  GCancellable        *cancellable;
  BourseJobFunc        func;
  BourseJobFinishFunc  finish;
  gpointer             user_data;
  GDestroyNotify       destroy;

  /* Written by the worker, read on the engine's context. */
  GMutex               lock;
  gboolean             started;
  gboolean             abandoned;    /* cancelled before it started: the worker must not run */
  gboolean             done;         /* the function has returned */
  gint64               started_at_ms;
  double               progress;
  char                *message;
  char                *result_message;
  JsonNode            *result;
  GError              *error;
  gboolean             update_pending;

  /* The engine's context only. */
  gboolean             user_cancelled;
  gboolean             running_stored;
  gboolean             ended;
};

struct _BourseJobs
{
  GObject          parent_instance;

  GMainContext    *context;
  BourseStore     *store;
  BourseEventBus  *bus;
  GHashTable      *active;   /* id → BourseJob */
  Workers         *workers;
  gboolean         stopped;
};

G_DEFINE_FINAL_TYPE (BourseJobs, bourse_jobs, G_TYPE_OBJECT)
G_DEFINE_QUARK (bourse-jobs-error-quark, bourse_jobs_error)

static const char * const status_names[] = { "queued", "running", "succeeded", "failed", "cancelled" };

const char *
bourse_job_status_to_string (BourseJobStatus status)
{
  g_return_val_if_fail ((guint)status < G_N_ELEMENTS (status_names), "failed");

  return status_names[status];
}

gboolean
bourse_job_status_parse (const char      *text,
                         BourseJobStatus *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (text, status_names[i]) == 0)
      {
        *status = i;
        return TRUE;
      }
  return FALSE;
}

static Workers *
workers_ref (Workers *workers)
{
  g_atomic_ref_count_inc (&workers->ref_count);
  return workers;
}

static void
workers_unref (Workers *workers)
{
  if (g_atomic_ref_count_dec (&workers->ref_count))
    {
      g_mutex_clear (&workers->lock);
      g_cond_clear (&workers->cond);
      g_free (workers);
    }
}

static BourseJob *
job_ref (BourseJob *job)
{
  g_atomic_ref_count_inc (&job->ref_count);
  return job;
}

static void
job_unref (BourseJob *job)
{
  if (!g_atomic_ref_count_dec (&job->ref_count))
    return;

  /* user_data is destroyed when the job ends, on the engine's context;
   * a job that never ended (its BourseJobs went first) lets it go here. */
  if (job->destroy != NULL && job->user_data != NULL)
    job->destroy (job->user_data);
  g_weak_ref_clear (&job->jobs);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_pointer (&job->workers, workers_unref);
  g_clear_object (&job->cancellable);
  g_mutex_clear (&job->lock);
  g_free (job->message);
  g_free (job->result_message);
  g_clear_pointer (&job->result, json_node_unref);
  g_clear_error (&job->error);
  g_free (job);
}

void
bourse_job_info_free (BourseJobInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->kind);
  g_free (info->message);
  g_free (info->error);
  g_clear_pointer (&info->params, json_node_unref);
  g_free (info->created_at);
  g_free (info->started_at);
  g_free (info->finished_at);
  g_free (info);
}

JsonNode *
bourse_job_info_to_json (const BourseJobInfo *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (info != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, info->id);
  bourse_json_builder_add_string (builder, "kind", info->kind);
  bourse_json_builder_add_string (builder, "status", bourse_job_status_to_string (info->status));
  json_builder_set_member_name (builder, "progress");
  json_builder_add_double_value (builder, info->progress);
  bourse_json_builder_add_string (builder, "message", info->message);
  bourse_json_builder_add_string (builder, "error", info->error);
  json_builder_set_member_name (builder, "params");
  if (info->params != NULL)
    json_builder_add_value (builder, json_node_copy (info->params));
  else
    {
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "created_by");
  if (info->created_by > 0)
    json_builder_add_int_value (builder, info->created_by);
  else
    json_builder_add_null_value (builder);
  bourse_json_builder_add_string (builder, "created_at", info->created_at);
  bourse_json_builder_add_string (builder, "started_at", info->started_at);
  bourse_json_builder_add_string (builder, "finished_at", info->finished_at);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Storage {{{ */

#define INFO_COLUMNS \
  "id, kind, status, progress, message, error, params, created_by, created_at, started_at, finished_at"

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *)text) : NULL;
}

static BourseJobInfo *
read_info (sqlite3_stmt *stmt)
{
  BourseJobInfo *info = g_new0 (BourseJobInfo, 1);
  g_autofree char *status = column_text (stmt, 2);
  g_autofree char *params = column_text (stmt, 6);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->kind = column_text (stmt, 1);
  if (!bourse_job_status_parse (status, &info->status))
    info->status = BOURSE_JOB_FAILED;
  info->progress = sqlite3_column_double (stmt, 3);
  info->message = column_text (stmt, 4);
  info->error = column_text (stmt, 5);
  info->params = params != NULL ? bourse_json_parse (params, strlen (params), 0, NULL) : NULL;
  if (info->params == NULL || !JSON_NODE_HOLDS_OBJECT (info->params))
    {
      g_clear_pointer (&info->params, json_node_unref);
      info->params = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (info->params, json_object_new ());
    }
  info->created_by = sqlite3_column_int64 (stmt, 7);
  info->created_at = column_text (stmt, 8);
  info->started_at = column_text (stmt, 9);
  info->finished_at = column_text (stmt, 10);
  return info;
}

static BourseJobInfo *
load (BourseJobs  *self,
      gint64       id,
      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = bourse_store_prepare (self->store, "SELECT " INFO_COLUMNS " FROM jobs WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return read_info (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, BOURSE_JOBS_ERROR, BOURSE_JOBS_ERROR_NOT_FOUND, _("There is no such job"));
  else
    bourse_store_set_error (self->store, error);
  return NULL;
}

static void
publish (BourseJobs *self,
         gint64      id)
{
  g_autoptr(BourseJobInfo) info = load (self, id, NULL);
  g_autoptr(JsonNode) node = NULL;

  if (info == NULL)
    return;
  node = bourse_job_info_to_json (info);
  bourse_event_bus_publish (self->bus, "jobs", node);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           column,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, column);
}

/* }}} */

/* The engine's side {{{ */

/* The worker's latest progress, stored and published; a stale update (the
 * job has ended meanwhile) does nothing. */
static gboolean
apply_update_cb (gpointer data)
{
  BourseJob *job = data;
  g_autoptr(BourseJobs) self = g_weak_ref_get (&job->jobs);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *started_at = NULL;
  gboolean started;
  double progress;

  g_mutex_lock (&job->lock);
  job->update_pending = FALSE;
  started = job->started;
  progress = job->progress;
  message = g_strdup (job->message);
  if (started)
    started_at = bourse_time_format_rfc3339 (job->started_at_ms);
  g_mutex_unlock (&job->lock);

  if (self == NULL || job->ended || self->stopped || !started)
    return G_SOURCE_REMOVE;

  stmt = bourse_store_prepare (self->store,
                               "UPDATE jobs SET status = 'running', started_at = coalesce (started_at, ?), "
                               "progress = ?, message = coalesce (?, message) "
                               "WHERE id = ? AND status IN ('queued', 'running')", &error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, started_at, -1, SQLITE_TRANSIENT);
      sqlite3_bind_double (stmt, 2, progress);
      bind_text_or_null (stmt, 3, message);
      sqlite3_bind_int64 (stmt, 4, job->id);
      bourse_store_step_done (self->store, stmt, &error);
    }
  if (error != NULL)
    g_message ("Cannot store the progress of job %" G_GINT64_FORMAT ": %s", job->id, error->message);

  job->running_stored = TRUE;
  publish (self, job->id);
  return G_SOURCE_REMOVE;
}

static gboolean
store_final_state (BourseJobs       *self,
                   BourseJob        *job,
                   BourseJobStatus   status,
                   double            progress,
                   const char       *message,
                   const char       *error_text,
                   GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autofree char *started_at = NULL;

  g_mutex_lock (&job->lock);
  if (job->started)
    started_at = bourse_time_format_rfc3339 (job->started_at_ms);
  g_mutex_unlock (&job->lock);

  stmt = bourse_store_prepare (self->store,
                               "UPDATE jobs SET status = ?, progress = ?, message = ?, error = ?, "
                               "started_at = coalesce (started_at, ?), finished_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bourse_job_status_to_string (status), -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 2, CLAMP (progress, 0.0, 1.0));
  bind_text_or_null (stmt, 3, message);
  bind_text_or_null (stmt, 4, error_text);
  bind_text_or_null (stmt, 5, started_at);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, job->id);
  return bourse_store_step_done (self->store, stmt, error);
}

/* The owner hears of the end (job.finished), in the same transaction;
 * jobs of the engine or the desktop owner have no one to tell. */
static gboolean
emit_finished (BourseJobs           *self,
               const BourseJobInfo  *info,
               const char           *summary,
               GError              **error)
{
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (info->created_by <= 0)
    return TRUE;
  data = json_object_new ();
  json_object_set_int_member (data, "job_id", info->id);
  json_object_set_string_member (data, "kind", info->kind);
  json_object_set_string_member (data, "status", bourse_job_status_to_string (info->status));
  json_object_set_string_member (data, "summary", summary != NULL ? summary : "");
  node = json_node_init_object (json_node_alloc (), data);
  return bourse_outbox_emit (self->store, "job.finished", info->created_by, node, error);
}

/* Stores the job's end with its finish hook in one transaction, publishes
 * it, and lets the job go. */
static void
end_job (BourseJobs      *self,
         BourseJob       *job,
         BourseJobStatus  status,
         const char      *error_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseJobInfo) info = NULL;
  g_autofree char *message = NULL;
  double progress;

  g_assert (!job->ended);
  job->ended = TRUE;

  g_mutex_lock (&job->lock);
  progress = status == BOURSE_JOB_SUCCEEDED ? 1.0 : job->progress;
  message = g_strdup (job->result_message != NULL ? job->result_message : job->message);
  g_mutex_unlock (&job->lock);
  if (status == BOURSE_JOB_CANCELLED && message == NULL)
    message = g_strdup (_("Cancelled"));

  if (!bourse_store_begin (self->store, &error)
      || !store_final_state (self, job, status, progress, message, error_text, &error)
      || (info = load (self, job->id, &error)) == NULL
      || (job->finish != NULL && !job->finish (info, job, self->store, job->user_data, &error))
      || !emit_finished (self, info, error_text != NULL ? error_text : message, &error)
      || !bourse_store_commit (self->store, &error))
    {
      g_autoptr(GError) second = NULL;

      /* The state matters more than the hook: store it on its own. */
      bourse_store_rollback (self->store);
      g_message ("Job %" G_GINT64_FORMAT " ended, but its record failed: %s", job->id, error->message);
      if (!store_final_state (self, job, status, progress, message, error_text, &second))
        g_message ("Cannot store the end of job %" G_GINT64_FORMAT ": %s", job->id, second->message);
    }

  g_info ("Job %" G_GINT64_FORMAT " %s%s%s", job->id, bourse_job_status_to_string (status),
          error_text ? ": " : "", error_text ? error_text : "");
  publish (self, job->id);

  if (job->destroy != NULL && job->user_data != NULL)
    job->destroy (job->user_data);
  job->user_data = NULL;
  g_hash_table_remove (self->active, &job->id);
}

/* The outcome the worker left: cancelled by its user, or interrupted by a
 * shutdown (or never run), or what the function said. */
static void
end_job_from_outcome (BourseJobs *self,
                      BourseJob  *job)
{
  g_autoptr(GError) error = NULL;
  gboolean done;

  g_mutex_lock (&job->lock);
  done = job->done;
  error = job->error ? g_error_copy (job->error) : NULL;
  g_mutex_unlock (&job->lock);

  if (!done)
    end_job (self, job, job->user_cancelled ? BOURSE_JOB_CANCELLED : BOURSE_JOB_FAILED,
             job->user_cancelled ? NULL : INTERRUPTED);
  else if (error == NULL)
    end_job (self, job, BOURSE_JOB_SUCCEEDED, NULL);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    end_job (self, job, job->user_cancelled ? BOURSE_JOB_CANCELLED : BOURSE_JOB_FAILED,
             job->user_cancelled ? NULL : INTERRUPTED);
  else
    end_job (self, job, BOURSE_JOB_FAILED, error->message);
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  BourseJob *job = user_data;
  g_autoptr(BourseJobs) self = g_weak_ref_get (&job->jobs);

  /* The outcome is in the job: shutdown may have had to read it first. */
  if (self != NULL && !job->ended)
    end_job_from_outcome (self, job);
  job_unref (job);
}

/* }}} */

/* The worker's side {{{ */

static void
schedule_update (BourseJob *job)
{
  g_autoptr(GSource) source = NULL;
  gboolean needed;

  g_mutex_lock (&job->lock);
  needed = !job->update_pending;
  job->update_pending = TRUE;
  g_mutex_unlock (&job->lock);
  if (!needed)
    return;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, apply_update_cb, job_ref (job), (GDestroyNotify)job_unref);
  g_source_attach (source, job->context);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  BourseJob *job = task_data;
  Workers *workers = job->workers;
  GError *error = NULL;
  gboolean run;

  g_mutex_lock (&workers->lock);
  workers->n_running++;
  g_mutex_unlock (&workers->lock);

  g_mutex_lock (&job->lock);
  run = !job->abandoned && !g_cancellable_is_cancelled (cancellable);
  if (run)
    {
      job->started = TRUE;
      job->started_at_ms = bourse_time_now_ms ();
    }
  g_mutex_unlock (&job->lock);

  if (run)
    {
      schedule_update (job);
      if (!job->func (job, job->user_data, cancellable, &error) && error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, _("The job failed"));
    }
  else
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));

  g_mutex_lock (&job->lock);
  job->done = TRUE;
  job->error = error;
  g_mutex_unlock (&job->lock);

  g_task_return_boolean (task, TRUE);

  /* Last: shutdown waits for this, and then reads the outcome above. */
  g_mutex_lock (&workers->lock);
  workers->n_running--;
  g_cond_broadcast (&workers->cond);
  g_mutex_unlock (&workers->lock);
}

void
bourse_job_set_progress (BourseJob  *job,
                         double      fraction,
                         const char *message)
{
  g_return_if_fail (job != NULL);

  g_mutex_lock (&job->lock);
  job->progress = CLAMP (fraction, 0.0, 1.0);
  if (message != NULL)
    {
      g_free (job->message);
      job->message = g_strdup (message);
    }
  g_mutex_unlock (&job->lock);
  schedule_update (job);
}

void
bourse_job_set_result_message (BourseJob  *job,
                               const char *message)
{
  g_return_if_fail (job != NULL);

  g_mutex_lock (&job->lock);
  g_free (job->result_message);
  job->result_message = g_strdup (message);
  g_mutex_unlock (&job->lock);
}

void
bourse_job_set_result (BourseJob *job,
                       JsonNode  *result)
{
  g_return_if_fail (job != NULL);

  g_mutex_lock (&job->lock);
  g_clear_pointer (&job->result, json_node_unref);
  job->result = result ? json_node_ref (result) : NULL;
  g_mutex_unlock (&job->lock);
}

JsonNode *
bourse_job_get_result (BourseJob *job)
{
  JsonNode *result;

  g_return_val_if_fail (job != NULL, NULL);

  /* Set by the worker, read by finish once it has returned. */
  g_mutex_lock (&job->lock);
  result = job->result;
  g_mutex_unlock (&job->lock);
  return result;
}

gint64
bourse_job_get_id (BourseJob *job)
{
  g_return_val_if_fail (job != NULL, 0);

  return job->id;
}

/* }}} */

static void
bourse_jobs_dispose (GObject *object)
{
  BourseJobs *self = (BourseJobs *)object;

  bourse_jobs_shutdown (self);

  G_OBJECT_CLASS (bourse_jobs_parent_class)->dispose (object);
}

static void
bourse_jobs_finalize (GObject *object)
{
  BourseJobs *self = (BourseJobs *)object;

  g_clear_pointer (&self->active, g_hash_table_unref);
  g_clear_pointer (&self->workers, workers_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->bus);

  G_OBJECT_CLASS (bourse_jobs_parent_class)->finalize (object);
}

static void
bourse_jobs_class_init (BourseJobsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_jobs_dispose;
  object_class->finalize = bourse_jobs_finalize;
}

static void
bourse_jobs_init (BourseJobs *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->active = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify)job_unref);
  self->workers = g_new0 (Workers, 1);
  g_atomic_ref_count_init (&self->workers->ref_count);
  g_mutex_init (&self->workers->lock);
  g_cond_init (&self->workers->cond);
}

BourseJobs *
bourse_jobs_new (BourseStore     *store,
                 BourseEventBus  *bus,
                 GError         **error)
{
  g_autoptr(BourseJobs) self = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  sqlite3 *db;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (BOURSE_IS_EVENT_BUS (bus), NULL);

  self = g_object_new (BOURSE_TYPE_JOBS, NULL);
  self->store = g_object_ref (store);
  self->bus = g_object_ref (bus);

  /* Nobody runs them any more: a crash ended them. */
  stmt = bourse_store_prepare (store,
                               "UPDATE jobs SET status = 'failed', error = '" INTERRUPTED "', "
                               "message = ?, finished_at = ? WHERE status IN ('queued', 'running')", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, _("Bourse stopped before the job finished"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_done (store, stmt, error))
    return NULL;
  db = bourse_store_get_db (store);
  if (sqlite3_changes (db) > 0)
    g_message ("Marked %d unfinished jobs as interrupted", sqlite3_changes (db));

  return g_steal_pointer (&self);
}

BourseJobInfo *
bourse_jobs_submit (BourseJobs           *self,
                    const char           *kind,
                    JsonNode             *params,
                    gint64                created_by,
                    BourseJobFunc         func,
                    BourseJobFinishFunc   finish,
                    gpointer              user_data,
                    GDestroyNotify        destroy,
                    GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *params_text = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  BourseJobInfo *info;
  BourseJob *job;

  g_return_val_if_fail (BOURSE_IS_JOBS (self), NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (params == NULL || JSON_NODE_HOLDS_OBJECT (params), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  if (self->stopped)
    {
      g_set_error_literal (error, BOURSE_JOBS_ERROR, BOURSE_JOBS_ERROR_STOPPED, _("Bourse is shutting down"));
      if (destroy != NULL && user_data != NULL)
        destroy (user_data);
      return NULL;
    }

  params_text = params != NULL ? json_to_string (params, FALSE) : g_strdup ("{}");
  stmt = bourse_store_prepare (self->store,
                               "INSERT INTO jobs (kind, status, params, progress, created_by, created_at) "
                               "VALUES (?, 'queued', ?, 0, ?, ?)", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, params_text, -1, SQLITE_TRANSIENT);
  if (created_by > 0)
    sqlite3_bind_int64 (stmt, 3, created_by);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_done (self->store, stmt, error))
    goto failed;

  job = g_new0 (BourseJob, 1);
  g_atomic_ref_count_init (&job->ref_count);
  job->id = sqlite3_last_insert_rowid (bourse_store_get_db (self->store));
  g_weak_ref_init (&job->jobs, self);
  job->context = g_main_context_ref (self->context);
  job->workers = workers_ref (self->workers);
  job->cancellable = g_cancellable_new ();
  job->func = func;
  job->finish = finish;
  job->user_data = user_data;
  job->destroy = destroy;
  g_mutex_init (&job->lock);
  g_hash_table_insert (self->active, &job->id, job);

  if ((info = load (self, job->id, error)) == NULL)
    {
      g_hash_table_remove (self->active, &job->id);
      return NULL;
    }
  publish (self, job->id);

  /* The task is made here, so that its callback runs on this context. */
  task = g_task_new (NULL, job->cancellable, job_done_cb, job_ref (job));
  g_task_set_source_tag (task, bourse_jobs_submit);
  g_task_set_task_data (task, job_ref (job), (GDestroyNotify)job_unref);
  /* The worker's own outcome decides, even when a cancel came too late. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, job_thread);
  return info;

failed:
  if (destroy != NULL && user_data != NULL)
    destroy (user_data);
  return NULL;
}

gboolean
bourse_jobs_cancel (BourseJobs  *self,
                    gint64       id,
                    GError     **error)
{
  g_autoptr(BourseJobInfo) info = NULL;
  BourseJob *job;
  gboolean abandoned;

  g_return_val_if_fail (BOURSE_IS_JOBS (self), FALSE);

  if ((job = g_hash_table_lookup (self->active, &id)) == NULL || job->ended)
    {
      if ((info = load (self, id, error)) == NULL)
        return FALSE;
      g_set_error (error, BOURSE_JOBS_ERROR, BOURSE_JOBS_ERROR_FINISHED,
                   _("The job has already ended (%s)"), bourse_job_status_to_string (info->status));
      return FALSE;
    }

  job->user_cancelled = TRUE;
  g_mutex_lock (&job->lock);
  abandoned = job->abandoned = !job->started;
  g_mutex_unlock (&job->lock);
  g_cancellable_cancel (job->cancellable);

  /* A job still waiting for a thread ends at once; a running one when its
   * worker notices. */
  if (abandoned)
    end_job (self, job, BOURSE_JOB_CANCELLED, NULL);
  return TRUE;
}

BourseJobInfo *
bourse_jobs_get (BourseJobs  *self,
                 gint64       id,
                 GError     **error)
{
  g_return_val_if_fail (BOURSE_IS_JOBS (self), NULL);

  return load (self, id, error);
}

GPtrArray *
bourse_jobs_list (BourseJobs  *self,
                  gint64       created_by,
                  const char  *kind,
                  gint64       before_id,
                  guint        limit,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_job_info_free);
  int rc;

  g_return_val_if_fail (BOURSE_IS_JOBS (self), NULL);
  g_return_val_if_fail (limit >= 1, NULL);

  /* ?1 < 0: everyone's; 0: no user's; else that user's. */
  stmt = bourse_store_prepare (self->store,
                               "SELECT " INFO_COLUMNS " FROM jobs "
                               "WHERE (?1 < 0 OR (?1 = 0 AND created_by IS NULL) OR created_by = ?1) "
                               "AND (?2 IS NULL OR kind = ?2) AND (?3 <= 0 OR id < ?3) "
                               "ORDER BY id DESC LIMIT ?4", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, created_by);
  bind_text_or_null (stmt, 2, kind);
  sqlite3_bind_int64 (stmt, 3, before_id);
  sqlite3_bind_int64 (stmt, 4, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, read_info (stmt));
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

guint
bourse_jobs_get_n_active (BourseJobs *self)
{
  g_return_val_if_fail (BOURSE_IS_JOBS (self), 0);

  return g_hash_table_size (self->active);
}

void
bourse_jobs_shutdown (BourseJobs *self)
{
  g_autoptr(GPtrArray) jobs = NULL;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (BOURSE_IS_JOBS (self));

  if (self->stopped)
    return;
  self->stopped = TRUE;

  jobs = g_ptr_array_new_with_free_func ((GDestroyNotify)job_unref);
  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BourseJob *job = value;

      g_mutex_lock (&job->lock);
      job->abandoned = !job->started;
      g_mutex_unlock (&job->lock);
      g_cancellable_cancel (job->cancellable);
      g_ptr_array_add (jobs, job_ref (job));
    }

  /* Workers stop promptly on cancel; none waits on this thread. */
  g_mutex_lock (&self->workers->lock);
  while (self->workers->n_running > 0)
    g_cond_wait (&self->workers->cond, &self->workers->lock);
  g_mutex_unlock (&self->workers->lock);

  for (guint i = 0; i < jobs->len; i++)
    {
      BourseJob *job = g_ptr_array_index (jobs, i);

      if (!job->ended && self->store != NULL && bourse_store_get_db (self->store) != NULL)
        end_job_from_outcome (self, job);
    }
}
