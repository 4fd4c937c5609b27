/* bourse-scheduler-routes.c — the scheduler's jobs and runs (docs/OPERATIONS.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bourse-server-private.h"

#define DEFAULT_RUN_LIMIT 100
#define MAX_RUN_LIMIT     500

/* The scheduler, or a 503 and NULL while the engine has none. */
static BourseScheduler *
scheduler_of (BourseRequest *request)
{
  BourseScheduler *scheduler = bourse_engine_get_scheduler (bourse_request_get_engine (request));

  if (scheduler == NULL)
    bourse_request_reply_problem (request, SOUP_STATUS_SERVICE_UNAVAILABLE,
                                  _("The scheduler is not running"), NULL, 0);
  return scheduler;
}

/* The scheduler's answer, or its error. */
static void
reply (BourseRequest *request,
       JsonNode      *body,
       GError        *error)
{
  if (body == NULL)
    bourse_request_reply_error (request, error, 0);
  else
    bourse_request_reply_json (request, SOUP_STATUS_OK, body);
}

static void
runs_cb (BourseRequest *request,
         gpointer       user_data)
{
  BourseScheduler *scheduler;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *job = NULL;
  gint64 limit = DEFAULT_RUN_LIMIT, cursor = 0;

  if (!bourse_request_get_name_query (request, "job", &job)
      || !bourse_request_get_int_query (request, "limit", 1, MAX_RUN_LIMIT, &limit)
      || !bourse_request_get_cursor_query (request, &cursor)
      || (scheduler = scheduler_of (request)) == NULL)
    return;
  body = bourse_scheduler_list_runs (scheduler, job, cursor, (guint) limit, &error);
  reply (request, body, error);
}

static void
jobs_cb (BourseRequest *request,
         gpointer       user_data)
{
  BourseScheduler *scheduler = scheduler_of (request);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;

  if (scheduler == NULL)
    return;
  body = bourse_scheduler_jobs_to_json (scheduler, &error);
  reply (request, body, error);
}

static const BourseParamDoc runs_params[] = {
  { "job", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9._-]{1,64}$\"}",
    "Only this job's runs" },
  { "limit", BOURSE_PARAM_QUERY, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"default\":100}",
    "How many at most" },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseRouteSpec scheduler_routes[] = {
  { "GET", "/api/v1/scheduler/runs", "scheduler.read", runs_cb, {
      .id = "listSchedulerRuns", .tag = "Operations", .summary = "List the scheduler's runs",
      .description = "Newest first. 503 while the engine has no scheduler.",
      .params = runs_params, .response = "page:SchedulerRun", .errors = "422 503" } },
  { "GET", "/api/v1/scheduler/jobs", "scheduler.read", jobs_cb, {
      .id = "listSchedulerJobs", .tag = "Operations", .summary = "List the scheduler's jobs",
      .description = "Each job's schedule, next run and last outcome; one page holds them all. 503 while the "
                     "engine has no scheduler.",
      .response = "page:SchedulerJob", .errors = "503" } },
};

void
_bourse_server_add_scheduler_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, scheduler_routes, G_N_ELEMENTS (scheduler_routes), self);
}
