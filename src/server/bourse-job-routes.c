/* bourse-job-routes.c — jobs, and market downloads that run as jobs (docs/JOBS.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "backtest/bourse-backtests.h"
#include "core/bourse-jobs.h"
#include "core/bourse-json.h"
#include "market/bourse-download.h"
#include "market/bourse-instruments.h"
#include "desk/bourse-desk-models.h"

#include "bourse-server-private.h"

#define DEFAULT_JOB_LIMIT 100
#define MAX_JOB_LIMIT     500

static BourseJobs *
jobs_of (BourseRequest *request)
{
  return bourse_engine_get_jobs (bourse_request_get_engine (request));
}

static BourseStore *
store_of (BourseRequest *request)
{
  return bourse_auth_get_store (bourse_request_get_auth (request));
}

static void
reply_job (BourseRequest       *request,
           guint                status,
           const BourseJobInfo *info)
{
  g_autoptr(JsonNode) body = bourse_job_info_to_json (info);

  bourse_request_reply_json (request, status, body);
}

/* Whose jobs the caller sees: an administrator everyone's, others their own. */
static gboolean
may_see (BourseRequest       *request,
         const BourseJobInfo *info)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);

  return principal->role == BOURSE_ROLE_ADMIN || info->created_by == principal->user_id;
}

/* The job named by {id} if the caller may see it; else a 404, and NULL. */
static BourseJobInfo *
find_job (BourseRequest *request)
{
  g_autoptr(BourseJobInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return NULL;
  if ((info = bourse_jobs_get (jobs_of (request), id, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return NULL;
    }
  /* Someone else's job does not exist, as far as the caller can tell. */
  if (!may_see (request, info))
    {
      bourse_request_reply_problem (request, SOUP_STATUS_NOT_FOUND, _("There is no such job"), NULL, 0);
      return NULL;
    }
  return g_steal_pointer (&info);
}

/* Downloads {{{ */

/* What the job's end needs to write its audit entry, and the download. */
typedef struct
{
  BourseDownload *download;
  BourseAuth     *auth;
  char           *actor;
  char           *target;
  char           *client_address;
  char           *request_id;
  char           *user_agent;
} DownloadJob;

static void
download_job_free (gpointer data)
{
  DownloadJob *job = data;

  bourse_download_free (job->download);
  g_clear_object (&job->auth);
  g_free (job->actor);
  g_free (job->target);
  g_free (job->client_address);
  g_free (job->request_id);
  g_free (job->user_agent);
  g_free (job);
}

/* In the worker thread: only the download is touched there. */
static gboolean
download_job_run (BourseJob     *job,
                  gpointer       user_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  DownloadJob *data = user_data;

  /* A job's error is read by whoever started it. */
  if (!bourse_download_job_func (job, data->download, cancellable, error))
    {
      bourse_error_hide_paths (error);
      return FALSE;
    }
  return TRUE;
}

/* On the engine's context, in the transaction that stores the job's end. */
static gboolean
download_job_finish (const BourseJobInfo  *info,
                     BourseJob            *job,
                     BourseStore          *store,
                     gpointer              user_data,
                     GError              **error)
{
  DownloadJob *data = user_data;
  BourseAuthContext context = { data->client_address, data->request_id, data->user_agent };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  JsonNode *result = bourse_job_get_result (job);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "job");
  json_builder_add_int_value (builder, info->id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, bourse_job_status_to_string (info->status));
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, json_node_copy (info->params));
  if (result != NULL)
    {
      json_builder_set_member_name (builder, "result");
      json_builder_add_value (builder, json_node_copy (result));
    }
  if (info->error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, info->error);
    }
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  return bourse_auth_audit (data->auth, data->actor, BOURSE_DOWNLOAD_JOB_KIND, data->target, details, &context,
                            error);
}

static void
download_cb (BourseRequest *request,
             gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(BourseJobInfo) info = NULL;
  g_autoptr(JsonNode) params = NULL;
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  DownloadJob *job;
  const char *symbol, *interval_text;
  BourseInterval interval;
  gint64 start, end;

  if (body == NULL
      || !bourse_request_get_string_member (request, body, "symbol", TRUE, &symbol)
      || !bourse_request_get_string_member (request, body, "interval", TRUE, &interval_text))
    return;
  if (!bourse_interval_parse (interval_text, &interval, NULL))
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "interval",
                                        _("must be one of 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M"));
      return;
    }
  if (!bourse_request_get_time_member (request, body, "start", BOURSE_TIME_BOUND_START, NULL, &start) || !bourse_request_get_time_member (request, body, "end", BOURSE_TIME_BOUND_END, NULL, &end))
    return;

  if ((instrument = bourse_instruments_find (store_of (request), symbol, &error)) == NULL)
    {
      bourse_request_reply_reference_error (request, error, "symbol");
      return;
    }
  if (!bourse_download_validate (instrument, interval, start, end, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  job = g_new0 (DownloadJob, 1);
  job->download = bourse_download_new (bourse_engine_get_config (bourse_request_get_engine (request)),
                                       bourse_store_get_path (store_of (request)), instrument, interval, start, end);
  job->auth = g_object_ref (bourse_request_get_auth (request));
  job->actor = g_strdup (principal->actor);
  job->target = g_strconcat ("instrument:", instrument->symbol, NULL);
  bourse_request_get_context (request, &context);
  job->client_address = g_strdup (context.client_address);
  job->request_id = g_strdup (context.request_id);
  job->user_agent = g_strdup (context.user_agent);
  params = bourse_download_to_params (job->download);

  info = bourse_jobs_submit (jobs_of (request), BOURSE_DOWNLOAD_JOB_KIND, params, principal->user_id,
                             download_job_run, download_job_finish, job, download_job_free, &error);
  if (info == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_job (request, SOUP_STATUS_ACCEPTED, info);
}

/* }}} */

/* Jobs {{{ */

static void
jobs_list_cb (BourseRequest *request,
              gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  /* The kinds of job there are; a new kind of job adds itself here. */
  static const char * const kinds[] = { BOURSE_DOWNLOAD_JOB_KIND, BOURSE_MODEL_TRAIN_JOB_KIND,
                                        BOURSE_BACKTEST_JOB_KIND, NULL };
  const char *kind = NULL;
  gboolean everyone;
  gint64 limit = DEFAULT_JOB_LIMIT, cursor = 0;
  guint n;

  if (!bourse_request_get_scope_query (request, &everyone)
      || !bourse_request_get_enum_query (request, "kind", kinds, &kind)
      || !bourse_request_get_int_query (request, "limit", 1, MAX_JOB_LIMIT, &limit)
      || !bourse_request_get_cursor_query (request, &cursor))
    return;

  /* One more than asked for says whether another page follows. */
  list = bourse_jobs_list (jobs_of (request), everyone ? -1 : principal->user_id,
                           kind, cursor, (guint)limit + 1, &error);
  if (list == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  n = MIN (list->len, (guint)limit);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_value (builder, bourse_job_info_to_json (g_ptr_array_index (list, i)));
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, list->len > n,
                                       list->len > n ? ((BourseJobInfo *)g_ptr_array_index (list, n - 1))->id : 0);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
jobs_get_cb (BourseRequest *request,
             gpointer       user_data)
{
  g_autoptr(BourseJobInfo) info = find_job (request);

  if (info != NULL)
    reply_job (request, SOUP_STATUS_OK, info);
}

static void
jobs_cancel_cb (BourseRequest *request,
                gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(BourseJobInfo) info = find_job (request);
  g_autoptr(BourseJobInfo) current = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  BourseAuthContext context;

  if (info == NULL)
    return;
  if (!bourse_jobs_cancel (jobs_of (request), info->id, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  /* The request is the state change here; the job's end is audited when
   * its worker has stopped. */
  target = g_strdup_printf ("job:%" G_GINT64_FORMAT, info->id);
  bourse_request_get_context (request, &context);
  if (!bourse_auth_audit (bourse_request_get_auth (request), principal->actor, "job.cancel", target, NULL,
                          &context, &error)
      || (current = bourse_jobs_get (jobs_of (request), info->id, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_job (request, SOUP_STATUS_ACCEPTED, current);
}

/* }}} */

static const BourseParamDoc job_id_param[] = {
  { "id", BOURSE_PARAM_PATH, "Id", "The job's id" },
  { NULL }
};

static const BourseParamDoc jobs_list_params[] = {
  { "kind", BOURSE_PARAM_QUERY,
    "{\"type\":\"string\",\"enum\":[\"" BOURSE_DOWNLOAD_JOB_KIND "\",\"" BOURSE_MODEL_TRAIN_JOB_KIND "\",\""
    BOURSE_BACKTEST_JOB_KIND "\"]}", "Only jobs of this kind" },
  { "scope", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"enum\":[\"own\",\"all\"]}",
    "own: the caller's jobs only; administrators see everyone's otherwise" },
  { "limit", BOURSE_PARAM_QUERY, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"default\":100}", NULL },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseRouteSpec job_routes[] = {
  { "POST", "/api/v1/market/download", "market.download", download_cb, {
      .id = "downloadCandles", .tag = "Data", .summary = "Download candles from Binance, as a job",
      .description = "Answers the job, queued; its progress is on the jobs topic. symbol names an instrument "
                     "whose source is binance (else a 422 naming symbol). The audit entry market.download "
                     "records the outcome when it ends.",
      .request = "DownloadRequest", .status = 202, .response = "Job", .errors = "422 503" } },
  { "GET", "/api/v1/jobs", "jobs.read", jobs_list_cb, {
      .id = "listJobs", .tag = "Jobs", .summary = "List jobs",
      .description = "Newest first: the caller's own (administrators: everyone's, unless scope=own).",
      .params = jobs_list_params, .response = "page:Job", .errors = "422" } },
  { "GET", "/api/v1/jobs/{id}", "jobs.read", jobs_get_cb, {
      .id = "getJob", .tag = "Jobs", .summary = "Read a job",
      .description = "Someone else's job is a 404 unless the caller is an administrator.",
      .params = job_id_param, .response = "Job", .errors = "404" } },
  { "POST", "/api/v1/jobs/{id}/cancel", "jobs.write", jobs_cancel_cb, {
      .id = "cancelJob", .tag = "Jobs", .summary = "Cancel a job",
      .description = "A queued job is cancelled at once, a running one shortly after (watch the jobs topic). "
                     "Audited as job.cancel; 409 once it has ended.",
      .params = job_id_param, .status = 202, .response = "Job", .errors = "404 409" } },
};

void
_bourse_server_add_job_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, job_routes, G_N_ELEMENTS (job_routes), self);
}
