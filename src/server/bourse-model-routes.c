/* bourse-model-routes.c — training, listing and deploying models (docs/STRATEGIES.md, "Models")
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-jobs.h"
#include "core/bourse-json.h"
#include "desk/bourse-desk-models.h"

#include "bourse-server-private.h"

#define DEFAULT_LIMIT 100
#define MAX_LIMIT     500

static BourseDesk *
desk_of (BourseRequest *request)
{
  return bourse_engine_get_desk (bourse_request_get_engine (request));
}

/* A required positive id member. */
static gboolean
id_member (BourseRequest *request,
           JsonObject    *body,
           const char    *field,
           gint64        *value)
{
  JsonNode *node = json_object_get_member (body, field);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
      && json_node_get_int (node) > 0)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }
  bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, field,
                                    node == NULL || JSON_NODE_HOLDS_NULL (node)
                                      ? _("is required")
                                      : _("must be a positive whole number"));
  return FALSE;
}

/* Training {{{ */

/* What the job's end needs: the training, and who asked for the audit entry. */
typedef struct
{
  BourseModelTraining *training;
  BourseAuth          *auth;
  char                *actor;
  char                *client_address;
  char                *request_id;
  char                *user_agent;
} TrainJob;

static void
train_job_free (gpointer data)
{
  TrainJob *job = data;

  bourse_model_training_free (job->training);
  g_clear_object (&job->auth);
  g_free (job->actor);
  g_free (job->client_address);
  g_free (job->request_id);
  g_free (job->user_agent);
  g_free (job);
}

/* In the worker thread: only the training is touched there. */
static gboolean
train_job_run (BourseJob     *job,
               gpointer       user_data,
               GCancellable  *cancellable,
               GError       **error)
{
  TrainJob *data = user_data;

  /* A job's error is read by whoever started it. */
  if (!bourse_model_training_run (data->training, job, cancellable, error))
    {
      bourse_error_hide_paths (error);
      return FALSE;
    }
  return TRUE;
}

/* On the engine's context, in the transaction that stores the job's end:
 * the model (when it succeeded) and the audit entry commit together. */
static gboolean
train_job_finish (const BourseJobInfo  *info,
                  BourseJob            *job,
                  BourseStore          *store,
                  gpointer              user_data,
                  GError              **error)
{
  TrainJob *data = user_data;
  BourseAuthContext context = { data->client_address, data->request_id, data->user_agent };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(BourseModel) model = NULL;
  g_autofree char *target = bourse_model_training_dup_target (data->training);

  if (info->status == BOURSE_JOB_SUCCEEDED
      && (model = bourse_model_training_store (data->training, info, job, store, error)) == NULL)
    return FALSE;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "job");
  json_builder_add_int_value (builder, info->id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, bourse_job_status_to_string (info->status));
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, json_node_copy (info->params));
  if (model != NULL)
    {
      json_builder_set_member_name (builder, "model");
      json_builder_add_value (builder, bourse_model_to_json (model));
    }
  if (info->error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, info->error);
    }
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  return bourse_auth_audit (data->auth, data->actor, BOURSE_MODEL_TRAIN_JOB_KIND, target, details, &context, error);
}

static void
train_cb (BourseRequest *request,
          gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(BourseModelTraining) training = NULL;
  g_autoptr(BourseJobInfo) info = NULL;
  g_autoptr(JsonNode) params = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  const char *strategy, *symbol, *interval;
  gint64 start, end;
  TrainJob *job;

  if (body == NULL
      || !bourse_request_get_string_member (request, body, "strategy", TRUE, &strategy)
      || !bourse_request_get_string_member (request, body, "symbol", TRUE, &symbol)
      || !bourse_request_get_string_member (request, body, "interval", TRUE, &interval)
      || !bourse_request_get_time_member (request, body, "start", BOURSE_TIME_BOUND_START, NULL, &start)
      || !bourse_request_get_time_member (request, body, "end", BOURSE_TIME_BOUND_END, NULL, &end))
    return;

  training = bourse_model_training_new (desk_of (request), strategy, symbol, interval, start, end, &error);
  if (training == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  params = bourse_model_training_to_params (training);
  job = g_new0 (TrainJob, 1);
  job->training = g_steal_pointer (&training);
  job->auth = g_object_ref (bourse_request_get_auth (request));
  job->actor = g_strdup (principal->actor);
  bourse_request_get_context (request, &context);
  job->client_address = g_strdup (context.client_address);
  job->request_id = g_strdup (context.request_id);
  job->user_agent = g_strdup (context.user_agent);

  info = bourse_jobs_submit (bourse_engine_get_jobs (bourse_request_get_engine (request)),
                             BOURSE_MODEL_TRAIN_JOB_KIND, params, principal->user_id, train_job_run,
                             train_job_finish, job, train_job_free, &error);
  if (info == NULL)
    {
      /* Submitting fails only once the jobs service has stopped. */
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply = bourse_job_info_to_json (info);
  bourse_request_reply_json (request, SOUP_STATUS_ACCEPTED, reply);
}

/* }}} */

/* Listing {{{ */

static void
models_list_cb (BourseRequest *request,
                gpointer       user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  const char *strategy = NULL;
  const char *symbol = NULL;
  BourseInterval interval = BOURSE_N_INTERVALS;
  gint64 limit = DEFAULT_LIMIT, cursor = 0;
  guint n;

  if (!bourse_request_get_int_query (request, "limit", 1, MAX_LIMIT, &limit)
      || !bourse_request_get_cursor_query (request, &cursor)
      || !bourse_request_get_name_query (request, "strategy", &strategy)
      || !bourse_request_get_symbol_query (request, "symbol", FALSE, &symbol)
      || !bourse_request_get_interval_query (request, "interval", FALSE, &interval))
    return;
  /* An alias ("B") lists the type's models. */
  if (strategy != NULL && bourse_strategy_resolve_id (strategy) != NULL)
    strategy = bourse_strategy_resolve_id (strategy);

  /* One more than asked for says whether another page follows. */
  models = bourse_models_list (bourse_desk_get_store (desk_of (request)), strategy, symbol,
                               interval != BOURSE_N_INTERVALS ? bourse_interval_to_string (interval) : NULL,
                               cursor, (guint)limit + 1, &error);
  if (models == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  n = MIN (models->len, (guint)limit);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_value (builder, bourse_model_to_json (g_ptr_array_index (models, i)));
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, models->len > n,
                                       models->len > n ? ((BourseModel *)g_ptr_array_index (models, n - 1))->id : 0);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
models_get_cb (BourseRequest *request,
               gpointer       user_data)
{
  g_autoptr(BourseModel) model = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  if ((model = bourse_models_get (bourse_desk_get_store (desk_of (request)), id, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  node = bourse_model_to_json (model);
  bourse_request_reply_json (request, SOUP_STATUS_OK, node);
}

/* }}} */

/* Deploying {{{ */

static void
deploy_cb (BourseRequest *request,
           gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(BourseLiveStrategy) strategy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  BourseDeskCaller caller;
  gint64 model_id, strategy_id;

  if (body == NULL
      || !id_member (request, body, "model_id", &model_id)
      || !id_member (request, body, "strategy_id", &strategy_id))
    return;

  bourse_request_get_context (request, &context);
  caller = (BourseDeskCaller) { principal->actor, principal->user_id, &context };
  strategy = bourse_desk_deploy_model (desk_of (request), model_id, strategy_id, &caller, &error);
  if (strategy == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  node = bourse_live_strategy_to_json (strategy);
  bourse_request_reply_json (request, SOUP_STATUS_OK, node);
}

/* }}} */

static const BourseParamDoc model_id_param[] = {
  { "id", BOURSE_PARAM_PATH, "Id", "The model's id" },
  { NULL }
};

static const BourseParamDoc models_list_params[] = {
  { "strategy", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9._-]{1,64}$\"}",
    "A strategy type's id or alias" },
  { "symbol", BOURSE_PARAM_QUERY, "Symbol", NULL },
  { "interval", BOURSE_PARAM_QUERY, "Interval", NULL },
  { "limit", BOURSE_PARAM_QUERY, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"default\":100}", NULL },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseRouteSpec model_routes[] = {
  { "POST", "/api/v1/models/train", "models.write", train_cb, {
      .id = "trainModel", .tag = "Strategies", .summary = "Train a model, as a job",
      .description = "Answers the job (kind model.train); the model is stored, with the audit entry "
                     "model.train, when it succeeds. A 422 names strategy (unknown, or not trainable), symbol, "
                     "interval, start (fewer closed candles than the type needs, or more than 100,000) or end "
                     "(not after start).",
      .request = "TrainRequest", .status = 202, .response = "Job", .errors = "422 503" } },
  { "POST", "/api/v1/models/deploy", "models.write", deploy_cb, {
      .id = "deployModel", .tag = "Strategies", .summary = "Deploy a model to a live strategy",
      .description = "Answers the live strategy with its model_id set; audited as model.deploy. A 409 when the "
                     "model's strategy type, symbol or interval differ from the live strategy's.",
      .request = "DeployRequest", .response = "LiveStrategy", .errors = "404 409 422 503" } },
  { "GET", "/api/v1/models", "models.read", models_list_cb, {
      .id = "listModels", .tag = "Strategies", .summary = "List models",
      .description = "Newest first.",
      .params = models_list_params, .response = "page:Model", .errors = "422" } },
  { "GET", "/api/v1/models/{id}", "models.read", models_get_cb, {
      .id = "getModel", .tag = "Strategies", .summary = "Read a model",
      .params = model_id_param, .response = "Model", .errors = "404" } },
};

void
_bourse_server_add_model_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, model_routes, G_N_ELEMENTS (model_routes), self);
}
