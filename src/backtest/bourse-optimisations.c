/* bourse-optimisations.c — optimisation requests, their jobs and their records
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same life as a backtest's (bourse-backtests.c): stored queued with
 * its job, ended in the transaction that stores the job's end, with its
 * audit entry, published on its topic at each change.
 */

#include "config.h"

/* PRIu64 in translatable strings: xgettext understands it, not G_GUINT64_FORMAT. */
#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-time.h"
#include "market/bourse-instruments.h"

#include "bourse-optimisations.h"
#include "bourse-record-table.h"

struct _BourseOptimisations
{
  GObject          parent_instance;

  BourseStore     *store;
  BourseEventBus  *bus;
  BourseJobs      *jobs;
  BourseAuth      *auth;
  BourseRisk      *risk;
};

G_DEFINE_FINAL_TYPE (BourseOptimisations, bourse_optimisations, G_TYPE_OBJECT)

/* The life it shares with the other runs' table (bourse-record-table.c). */
static const BourseRecordTable record_table = {
  "optimisations", "optimisation", BOURSE_OPTIMISATIONS_TOPIC,
  N_("Only the one who ran an optimisation, or an administrator, may change it"),
};

/* Requests {{{ */

/* The members an optimisation adds to a backtest request. */
static const char * const search_members[] = {
  "space", "method", "samples", "seed", "objective", "min_trades", "walk_forward", NULL
};

/* A request, validated: the backtest it searches around and the search. */
typedef struct
{
  BourseBacktestRequest  *backtest;
  BourseOptimiserOptions  options;
  guint                   history;   /* candles before start the candidates read */
  JsonObject             *request;   /* as stored */
} Request;

static void
request_free (Request *request)
{
  if (request == NULL)
    return;
  bourse_backtest_request_free (request->backtest);
  bourse_optimiser_options_clear (&request->options);
  g_clear_pointer (&request->request, json_object_unref);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* The closed candles of the window, for the walk-forward folds' check. */
static gboolean
count_candles (BourseStore            *store,
               const BourseBacktestRequest *backtest,
               gint64                 *count,
               GError                **error)
{
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean row;

  if ((instrument = bourse_instruments_find (store, backtest->symbol, error)) == NULL)
    return FALSE;
  stmt = bourse_store_prepare (store,
                               "SELECT count(*) FROM candles WHERE instrument_id = ? AND interval = ? "
                               "AND open_time >= ? AND open_time < ? AND closed = 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument->id);
  sqlite3_bind_text (stmt, 2, bourse_interval_to_string (backtest->interval), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, backtest->start);
  sqlite3_bind_int64 (stmt, 4, backtest->end);
  if (!bourse_store_step_row (store, stmt, &row, error))
    return FALSE;
  *count = row ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

static Request *
request_parse (BourseStore  *store,
               JsonObject   *object,
               GError      **error)
{
  g_autoptr(Request) request = g_new0 (Request, 1);
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(JsonNode) options = NULL;
  BourseBacktestSpec *spec;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  bourse_optimiser_options_init (&request->options);
  request->backtest = bourse_backtest_request_parse (store, object, search_members, error);
  if (request->backtest == NULL)
    return NULL;
  spec = &request->backtest->spec;
  if (!bourse_optimiser_options_parse (&request->options, spec->strategy, object, error))
    return NULL;
  /* Every refusal before the job: the space's combinations, then the folds. */
  candidates = bourse_optimiser_list_candidates (spec->strategy, spec->params, &request->options, NULL, NULL, error);
  if (candidates == NULL)
    return NULL;
  request->history = bourse_optimiser_get_history (spec, candidates);
  if (request->options.folds > 0)
    {
      g_autofree gsize *train_start = g_new (gsize, request->options.folds);
      g_autofree gsize *test_start = g_new (gsize, request->options.folds);
      g_autofree gsize *test_end = g_new (gsize, request->options.folds);
      gint64 n = 0;

      if (!count_candles (store, request->backtest, &n, error)
          || !bourse_optimiser_split_folds (0, (gsize) n, request->options.folds, request->options.train_fraction,
                                            train_start, test_start, test_end, error))
        return NULL;
    }

  /* The backtest's members, then the search's (the seed drawn is kept, so
   * that the run can be repeated). */
  request->request = json_object_new ();
  json_object_iter_init_ordered (&iter, request->backtest->request);
  while (json_object_iter_next_ordered (&iter, &name, &node))
    json_object_set_member (request->request, name, json_node_copy (node));
  options = bourse_optimiser_options_to_json (&request->options);
  json_object_iter_init_ordered (&iter, json_node_get_object (options));
  while (json_object_iter_next_ordered (&iter, &name, &node))
    json_object_set_member (request->request, name, json_node_copy (node));
  return g_steal_pointer (&request);
}

/* }}} */

/* Records {{{ */

#define RECORD_COLUMNS                                                                          \
  "o.id, o.job_id, o.strategy, o.symbol, o.interval, o.start_time, o.end_time, o.request, "     \
  /* Until its end is stored, an optimisation is what its job is. */                           \
  "CASE WHEN o.status IN ('queued', 'running') AND j.status IS NOT NULL THEN j.status "          \
  "ELSE o.status END, "                                                                         \
  "CASE WHEN o.status IN ('queued', 'running') THEN j.error ELSE o.error END, "                 \
  "o.best_params, o.note, o.created_by, u.username, o.created_at, "                             \
  "CASE WHEN o.status IN ('queued', 'running') THEN j.finished_at ELSE o.finished_at END"

#define RECORD_FROM \
  " FROM optimisations o LEFT JOIN jobs j ON j.id = o.job_id LEFT JOIN users u ON u.id = o.created_by"

/* The column after RECORD_COLUMNS, when the result is read. */
#define RESULT_COLUMN 16

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* An object stored by us; a row edited by hand into nonsense reads as none. */
static JsonObject *
column_object (sqlite3_stmt *stmt,
               int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  g_autoptr(JsonNode) node = text != NULL ? bourse_json_parse (text, strlen (text), 0, NULL) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_object_ref (json_node_get_object (node)) : NULL;
}

static BourseOptimisationRecord *
read_record (sqlite3_stmt *stmt,
             gboolean      with_result)
{
  BourseOptimisationRecord *record = g_new0 (BourseOptimisationRecord, 1);
  g_autofree char *status = column_text (stmt, 8);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->job_id = sqlite3_column_int64 (stmt, 1);
  record->strategy = column_text (stmt, 2);
  record->symbol = column_text (stmt, 3);
  record->interval = column_text (stmt, 4);
  record->start = column_text (stmt, 5);
  record->end = column_text (stmt, 6);
  if ((record->request = column_object (stmt, 7)) == NULL)
    record->request = json_object_new ();
  if (!bourse_job_status_parse (status, &record->status))
    record->status = BOURSE_JOB_FAILED;
  record->error = column_text (stmt, 9);
  record->best_params = column_object (stmt, 10);
  record->note = column_text (stmt, 11);
  record->created_by = sqlite3_column_int64 (stmt, 12);
  record->created_by_name = column_text (stmt, 13);
  record->created_at = column_text (stmt, 14);
  record->finished_at = column_text (stmt, 15);
  if (with_result)
    {
      JsonObject *result = column_object (stmt, RESULT_COLUMN);

      if (result != NULL)
        record->result = json_node_init_object (json_node_alloc (), result);
      g_clear_pointer (&result, json_object_unref);
    }
  return record;
}

static BourseOptimisationRecord *
load_record (BourseStore  *store,
             gint64        id,
             gboolean      with_result,
             GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean row;

  stmt = bourse_store_prepare (store,
                               with_result ? "SELECT " RECORD_COLUMNS ", o.result" RECORD_FROM " WHERE o.id = ?"
                                           : "SELECT " RECORD_COLUMNS RECORD_FROM " WHERE o.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!bourse_store_step_row (store, stmt, &row, error))
    return NULL;
  if (!row)
    {
      bourse_set_field_error (error, BOURSE_ERROR_NOT_FOUND, NULL, _("There is no such optimisation"));
      return NULL;
    }
  return read_record (stmt, with_result);
}

void
bourse_optimisation_record_free (BourseOptimisationRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->strategy);
  g_free (record->symbol);
  g_free (record->interval);
  g_free (record->start);
  g_free (record->end);
  g_clear_pointer (&record->request, json_object_unref);
  g_free (record->error);
  g_clear_pointer (&record->best_params, json_object_unref);
  g_clear_pointer (&record->result, json_node_unref);
  g_free (record->note);
  g_free (record->created_by_name);
  g_free (record->created_at);
  g_free (record->finished_at);
  g_free (record);
}

static void
add_id_or_null (JsonBuilder *builder,
                const char  *name,
                gint64       id)
{
  json_builder_set_member_name (builder, name);
  if (id > 0)
    json_builder_add_int_value (builder, id);
  else
    json_builder_add_null_value (builder);
}

static void
add_object_or_null (JsonBuilder *builder,
                    const char  *name,
                    JsonObject  *object)
{
  json_builder_set_member_name (builder, name);
  if (object != NULL)
    json_builder_add_value (builder, json_node_init_object (json_node_alloc (), object));
  else
    json_builder_add_null_value (builder);
}

JsonNode *
bourse_optimisation_record_to_json (const BourseOptimisationRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (record != NULL, NULL);

  json_builder_begin_object (builder);
  bourse_json_builder_add_int (builder, "id", record->id);
  add_id_or_null (builder, "job_id", record->job_id);
  bourse_json_builder_add_string (builder, "strategy", record->strategy);
  bourse_json_builder_add_string (builder, "symbol", record->symbol);
  bourse_json_builder_add_string (builder, "interval", record->interval);
  bourse_json_builder_add_string (builder, "start", record->start);
  bourse_json_builder_add_string (builder, "end", record->end);
  add_object_or_null (builder, "request", record->request);
  bourse_json_builder_add_string (builder, "status", bourse_job_status_to_string (record->status));
  bourse_json_builder_add_string (builder, "error", record->error);
  add_object_or_null (builder, "best_params", record->best_params);
  bourse_json_builder_add_string (builder, "note", record->note);
  add_id_or_null (builder, "created_by", record->created_by);
  bourse_json_builder_add_string (builder, "created_by_name", record->created_by_name);
  bourse_json_builder_add_string (builder, "created_at", record->created_at);
  bourse_json_builder_add_string (builder, "finished_at", record->finished_at);
  if (record->result != NULL)
    {
      json_builder_set_member_name (builder, "result");
      json_builder_add_value (builder, json_node_copy (record->result));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The winner's parameters in a result, or NULL. */
static JsonObject *
best_params_of (JsonNode *result)
{
  JsonObject *best = result != NULL && JSON_NODE_HOLDS_OBJECT (result)
                       ? bourse_json_get_object (json_node_get_object (result), "best") : NULL;

  return bourse_json_get_object (best, "params");
}

/* The end of a run: its state, its result and the winner's parameters. */
static gboolean
store_end (BourseStore      *store,
           gint64            id,
           BourseJobStatus   status,
           const char       *error_text,
           JsonNode         *result,
           GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autofree char *text = NULL;
  g_autofree char *best_text = NULL;
  JsonObject *best = best_params_of (result);
  gsize length = 0;

  stmt = bourse_store_prepare (store,
                               "UPDATE optimisations SET status = ?, error = ?, result = ?, best_params = ?, "
                               "finished_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bourse_job_status_to_string (status), -1, SQLITE_STATIC);
  if (error_text != NULL)
    sqlite3_bind_text (stmt, 2, error_text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  if (result != NULL && JSON_NODE_HOLDS_OBJECT (result))
    {
      text = bourse_json_to_string (result, &length);
      sqlite3_bind_text (stmt, 3, text, length, SQLITE_STATIC);
    }
  if (best != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), best);

      best_text = bourse_json_to_string (node, NULL);
      sqlite3_bind_text (stmt, 4, best_text, -1, SQLITE_STATIC);
    }
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, id);
  return bourse_store_step_done (store, stmt, error);
}

static gint64
insert_record (BourseStore   *store,
               const Request *request,
               gint64         job_id,
               gint64         created_by,
               GError       **error)
{
  const BourseBacktestRequest *backtest = request->backtest;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), request->request);
  g_autofree char *text = bourse_json_to_string (node, NULL);
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autofree char *start = bourse_time_format_rfc3339 (backtest->start);
  g_autofree char *end = bourse_time_format_rfc3339 (backtest->end);

  stmt = bourse_store_prepare (store,
                               "INSERT INTO optimisations (job_id, strategy, symbol, interval, start_time, end_time, "
                               "request, status, note, created_by, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_text (stmt, 2, bourse_strategy_get_id (backtest->spec.strategy), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, backtest->symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, bourse_interval_to_string (backtest->interval), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, start, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, end, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, backtest->note, -1, SQLITE_TRANSIENT);
  if (created_by > 0)
    sqlite3_bind_int64 (stmt, 9, created_by);
  else
    sqlite3_bind_null (stmt, 9);
  sqlite3_bind_text (stmt, 10, now, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_done (store, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (bourse_store_get_db (store));
}

/* The audit entry of a run's end: what ran, how it ended, the winner. */
static gboolean
audit_run (BourseAuth              *auth,
           const char              *actor,
           const BourseAuthContext *context,
           gint64                   id,
           gint64                   job_id,
           JsonObject              *request,
           BourseJobStatus          status,
           const char              *error_text,
           JsonNode                *result,
           GError                 **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *target = g_strdup_printf ("optimisation:%" G_GINT64_FORMAT, id);
  JsonObject *best = best_params_of (result);

  json_builder_begin_object (builder);
  bourse_json_builder_add_int (builder, "job", job_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, bourse_job_status_to_string (status));
  add_object_or_null (builder, "request", request);
  if (best != NULL)
    add_object_or_null (builder, "best_params", best);
  if (error_text != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error_text);
    }
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);
  return bourse_auth_audit (auth, actor, BOURSE_OPTIMISATION_JOB_KIND, target, details, context, error);
}

/* }}} */

/* The job {{{ */

/* What the worker runs and what the job's end writes; the worker reads
 * only @request and @db_path. */
typedef struct
{
  BourseOptimisations *optimisations;
  Request             *request;
  char                *db_path;
  gint64               optimisation_id;
  BourseRecordAuthor   author;
  gboolean             ended;
} RunJob;

static void publish (BourseOptimisations *self,
                     gint64               id);

/* On the engine's context, after the transaction of the job's end: the
 * record is published only once it is stored. */
static void
run_job_free (gpointer data)
{
  RunJob *job = data;

  if (job->ended && job->optimisation_id > 0)
    publish (job->optimisations, job->optimisation_id);
  g_clear_object (&job->optimisations);
  request_free (job->request);
  g_free (job->db_path);
  _bourse_record_author_clear (&job->author);
  g_free (job);
}

static void
run_progress_cb (double   fraction,
                 gpointer user_data)
{
  bourse_job_set_progress (user_data, fraction, _("Running the candidates’ backtests"));
}

/* In the worker thread. */
static gboolean
run_job_func (BourseJob     *job,
              gpointer       user_data,
              GCancellable  *cancellable,
              GError       **error)
{
  RunJob *data = user_data;
  const BourseBacktestRequest *backtest = data->request->backtest;
  g_autoptr(BourseStore) store = NULL;
  g_autoptr(BourseBacktestSeries) series = NULL;
  g_autoptr(BourseOptimiserResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message = NULL;

  /* Its own connection: SQLite connections stay in their thread here. */
  if ((store = bourse_store_open_readonly (data->db_path, &local_error)) == NULL)
    {
      /* Whoever started it reads the job's error: no file names there. */
      g_message ("Optimisation %" G_GINT64_FORMAT ": %s", data->optimisation_id, local_error->message);
      g_set_error_literal (error, BOURSE_ERROR, BOURSE_ERROR_FAILED, _("The database cannot be read"));
      return FALSE;
    }
  bourse_job_set_progress (job, 0, _("Loading the candles"));
  /* Loaded once; every candidate's run reads it from the pool's threads. */
  series = bourse_backtest_series_load (store, backtest->symbol, backtest->interval, backtest->start, backtest->end,
                                        data->request->history, error);
  if (series == NULL)
    return FALSE;
  result = bourse_optimiser_run (series, &backtest->spec, &data->request->options, 0, run_progress_cb, job,
                                 cancellable, error);
  if (result == NULL)
    return FALSE;

  node = bourse_optimiser_result_to_json (result);
  bourse_job_set_result (job, node);
  message = g_strdup_printf (_("%u candidates over %" PRIu64 " candles"), result->candidates->len,
                             (guint64) (series->n_candles - series->first));
  bourse_job_set_result_message (job, message);
  return TRUE;
}

/* On the engine's context, in the transaction that stores the job's end. */
static gboolean
run_job_finish (const BourseJobInfo  *info,
                BourseJob            *job,
                BourseStore          *store,
                gpointer              user_data,
                GError              **error)
{
  RunJob *data = user_data;
  BourseAuthContext context = _bourse_record_author_context (&data->author);
  JsonNode *result = info->status == BOURSE_JOB_SUCCEEDED ? bourse_job_get_result (job) : NULL;

  data->ended = TRUE;
  if (data->optimisation_id == 0)
    return TRUE;
  /* Deleted while it ran: its job's end is still audited. */
  return store_end (store, data->optimisation_id, info->status, info->error, result, error)
         && audit_run (data->optimisations->auth, data->author.actor, &context, data->optimisation_id, info->id,
                       data->request->request, info->status, info->error, result, error);
}

/* }}} */

/* The service {{{ */

static void
publish (BourseOptimisations *self,
         gint64               id)
{
  g_autoptr(BourseOptimisationRecord) record = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (bourse_store_get_db (self->store) == NULL
      || (record = load_record (self->store, id, FALSE, NULL)) == NULL)
    return;
  node = bourse_optimisation_record_to_json (record);
  bourse_event_bus_publish (self->bus, BOURSE_OPTIMISATIONS_TOPIC, node);
}

static void
bourse_optimisations_finalize (GObject *object)
{
  BourseOptimisations *self = (BourseOptimisations *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->bus);
  g_clear_object (&self->jobs);
  g_clear_object (&self->auth);
  g_clear_object (&self->risk);

  G_OBJECT_CLASS (bourse_optimisations_parent_class)->finalize (object);
}

static void
bourse_optimisations_class_init (BourseOptimisationsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bourse_optimisations_finalize;
}

static void
bourse_optimisations_init (BourseOptimisations *self)
{
}

BourseOptimisations *
bourse_optimisations_new (BourseStore     *store,
                          BourseEventBus  *bus,
                          BourseJobs      *jobs,
                          BourseAuth      *auth,
                          BourseRisk      *risk,
                          GError         **error)
{
  g_autoptr(BourseOptimisations) self = NULL;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (BOURSE_IS_EVENT_BUS (bus), NULL);
  g_return_val_if_fail (BOURSE_IS_JOBS (jobs), NULL);
  g_return_val_if_fail (BOURSE_IS_AUTH (auth), NULL);
  g_return_val_if_fail (risk == NULL || BOURSE_IS_RISK (risk), NULL);

  self = g_object_new (BOURSE_TYPE_OPTIMISATIONS, NULL);
  self->store = g_object_ref (store);
  self->bus = g_object_ref (bus);
  self->jobs = g_object_ref (jobs);
  self->auth = g_object_ref (auth);
  self->risk = risk != NULL ? g_object_ref (risk) : NULL;

  if (!_bourse_record_table_mark_interrupted (&record_table, store, error))
    return NULL;

  return g_steal_pointer (&self);
}

BourseOptimisationRecord *
bourse_optimisations_submit (BourseOptimisations          *self,
                             JsonObject                   *object,
                             const BourseBacktestsCaller  *caller,
                             BourseJobInfo               **job,
                             GError                      **error)
{
  g_autoptr(Request) request = NULL;
  g_autoptr(BourseJobInfo) info = NULL;
  g_autoptr(JsonNode) params = NULL;
  g_autoptr(GError) local_error = NULL;
  RunJob *data;
  gint64 id;

  g_return_val_if_fail (BOURSE_IS_OPTIMISATIONS (self), NULL);
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (caller != NULL, NULL);

  if ((request = request_parse (self->store, object, error)) == NULL)
    return NULL;
  bourse_backtest_request_take_risk_limits (request->backtest, self->risk);
  params = json_node_init_object (json_node_alloc (), request->request);

  data = g_new0 (RunJob, 1);
  data->optimisations = g_object_ref (self);
  data->db_path = g_strdup (bourse_store_get_path (self->store));
  _bourse_record_author_init (&data->author, caller);
  data->request = g_steal_pointer (&request);

  /* The job first, for its id: its end runs on this context, so not
   * before the record below exists. */
  info = bourse_jobs_submit (self->jobs, BOURSE_OPTIMISATION_JOB_KIND, params, caller->user_id, run_job_func,
                             run_job_finish, data, run_job_free, error);
  if (info == NULL)
    return NULL;
  if ((id = insert_record (self->store, data->request, info->id, caller->user_id, error)) == 0)
    {
      if (!bourse_jobs_cancel (self->jobs, info->id, &local_error))
        g_message ("Cannot cancel job %" G_GINT64_FORMAT ": %s", info->id, local_error->message);
      return NULL;
    }
  data->optimisation_id = id;
  publish (self, id);

  if (job != NULL)
    *job = g_steal_pointer (&info);
  return load_record (self->store, id, FALSE, error);
}

BourseOptimisationRecord *
bourse_optimisations_get (BourseOptimisations  *self,
                          gint64                id,
                          gboolean              with_result,
                          GError              **error)
{
  g_return_val_if_fail (BOURSE_IS_OPTIMISATIONS (self), NULL);

  return load_record (self->store, id, with_result, error);
}

GPtrArray *
bourse_optimisations_list (BourseOptimisations             *self,
                           const BourseOptimisationFilter  *filter,
                           GError                         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) bourse_optimisation_record_free);
  const char *strategy = NULL;
  int rc;

  g_return_val_if_fail (BOURSE_IS_OPTIMISATIONS (self), NULL);
  g_return_val_if_fail (filter != NULL && filter->limit >= 1, NULL);

  if (filter->strategy != NULL)
    {
      strategy = bourse_strategy_resolve_id (filter->strategy);
      if (strategy == NULL)
        strategy = filter->strategy;
    }

  stmt = bourse_store_prepare (self->store,
                               "SELECT " RECORD_COLUMNS RECORD_FROM
                               " WHERE (?1 IS NULL OR o.strategy = ?1) AND (?2 IS NULL OR o.symbol = ?2) "
                               "AND (?3 <= 0 OR o.id < ?3) ORDER BY o.id DESC LIMIT ?4", error);
  if (stmt == NULL)
    return NULL;
  if (strategy != NULL)
    sqlite3_bind_text (stmt, 1, strategy, -1, SQLITE_TRANSIENT);
  if (filter->symbol != NULL)
    sqlite3_bind_text (stmt, 2, filter->symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, filter->before_id);
  sqlite3_bind_int64 (stmt, 4, filter->limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, read_record (stmt, FALSE));
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static BourseRecordHead
head_of (const BourseOptimisationRecord *record)
{
  return (BourseRecordHead) {
    record->id, record->job_id, record->strategy, record->symbol, record->interval, record->status,
    record->created_by,
  };
}

/* The record, if @caller may change it. */
static BourseOptimisationRecord *
find_own (BourseOptimisations          *self,
          gint64                        id,
          const BourseBacktestsCaller  *caller,
          GError                      **error)
{
  g_autoptr(BourseOptimisationRecord) record = load_record (self->store, id, FALSE, error);
  BourseRecordHead head;

  if (record == NULL)
    return NULL;
  head = head_of (record);
  if (!_bourse_record_table_check_owner (&record_table, &head, caller, error))
    return NULL;
  return g_steal_pointer (&record);
}

BourseOptimisationRecord *
bourse_optimisations_set_note (BourseOptimisations          *self,
                               gint64                        id,
                               const char                   *note,
                               const BourseBacktestsCaller  *caller,
                               GError                      **error)
{
  g_autoptr(BourseOptimisationRecord) record = NULL;
  BourseRecordHead head;

  g_return_val_if_fail (BOURSE_IS_OPTIMISATIONS (self), NULL);
  g_return_val_if_fail (note != NULL && caller != NULL, NULL);

  if ((record = find_own (self, id, caller, error)) == NULL)
    return NULL;
  head = head_of (record);
  if (!_bourse_record_table_set_note (&record_table, self->store, self->auth, &head, note, caller, error))
    return NULL;
  publish (self, id);
  return load_record (self->store, id, FALSE, error);
}

gboolean
bourse_optimisations_delete (BourseOptimisations          *self,
                             gint64                        id,
                             const BourseBacktestsCaller  *caller,
                             GError                      **error)
{
  g_autoptr(BourseOptimisationRecord) record = NULL;
  BourseRecordHead head;

  g_return_val_if_fail (BOURSE_IS_OPTIMISATIONS (self), FALSE);
  g_return_val_if_fail (caller != NULL, FALSE);

  if ((record = find_own (self, id, caller, error)) == NULL)
    return FALSE;
  head = head_of (record);
  return _bourse_record_table_delete (&record_table, self->store, self->auth, self->bus, self->jobs, &head, caller,
                                      error);
}

/* }}} */
