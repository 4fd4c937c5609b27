/* bourse-optimisation-routes.c — running, listing, noting, deleting and applying optimisations (docs/BACKTESTS.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "backtest/bourse-optimisations.h"
#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "desk/bourse-desk-live.h"

#include "bourse-server-private.h"

#define DEFAULT_LIMIT 100
#define MAX_LIMIT     500

static BourseOptimisations *
optimisations_of (BourseRequest *request)
{
  return bourse_engine_get_optimisations (bourse_request_get_engine (request));
}

static void
reply_record (BourseRequest                  *request,
              guint                           status,
              const BourseOptimisationRecord *record)
{
  g_autoptr(JsonNode) node = bourse_optimisation_record_to_json (record);

  bourse_request_reply_json (request, status, node);
}

static void
run_cb (BourseRequest *request,
        gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(BourseOptimisationRecord) record = NULL;
  g_autoptr(BourseJobInfo) job = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  BourseBacktestsCaller caller;

  if (body == NULL)
    return;
  caller = _bourse_server_backtests_caller (request, &context);
  if ((record = bourse_optimisations_submit (optimisations_of (request), body, &caller, &job, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "optimisation");
  json_builder_add_value (builder, bourse_optimisation_record_to_json (record));
  json_builder_set_member_name (builder, "job");
  json_builder_add_value (builder, bourse_job_info_to_json (job));
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_ACCEPTED, builder);
}

static void
list_cb (BourseRequest *request,
         gpointer       user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  BourseOptimisationFilter filter = { 0 };
  gint64 limit = DEFAULT_LIMIT, cursor = 0;
  guint n;

  if (!bourse_request_get_int_query (request, "limit", 1, MAX_LIMIT, &limit)
      || !bourse_request_get_cursor_query (request, &cursor)
      || !bourse_request_get_name_query (request, "strategy", &filter.strategy)
      || !bourse_request_get_symbol_query (request, "symbol", FALSE, &filter.symbol))
    return;

  /* One more than asked for says whether another page follows. */
  filter.before_id = cursor;
  filter.limit = (guint) limit + 1;
  if ((list = bourse_optimisations_list (optimisations_of (request), &filter, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  n = MIN (list->len, (guint) limit);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_value (builder, bourse_optimisation_record_to_json (g_ptr_array_index (list, i)));
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, list->len > n,
                                       n > 0 ? ((BourseOptimisationRecord *) g_ptr_array_index (list, n - 1))->id
                                             : 0);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
get_cb (BourseRequest *request,
        gpointer       user_data)
{
  g_autoptr(BourseOptimisationRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  if ((record = bourse_optimisations_get (optimisations_of (request), id, TRUE, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_record (request, SOUP_STATUS_OK, record);
}

static void
note_cb (BourseRequest *request,
         gpointer       user_data)
{
  JsonObject *body;
  g_autoptr(BourseOptimisationRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);
  BourseAuthContext context;
  BourseBacktestsCaller caller;
  const char *note;

  /* The path first: a bad id and a bad body would otherwise answer twice. */
  if (id == 0 || (body = bourse_request_get_json_object (request)) == NULL
      || (note = _bourse_server_note_member (request, body)) == NULL)
    return;
  caller = _bourse_server_backtests_caller (request, &context);
  record = bourse_optimisations_set_note (optimisations_of (request), id, note, &caller, &error);
  if (record == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_record (request, SOUP_STATUS_OK, record);
}

static void
delete_cb (BourseRequest *request,
           gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);
  BourseAuthContext context;
  BourseBacktestsCaller caller;

  if (id == 0)
    return;
  caller = _bourse_server_backtests_caller (request, &context);
  if (!bourse_optimisations_delete (optimisations_of (request), id, &caller, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  soup_server_message_set_status (bourse_request_get_message (request), SOUP_STATUS_NO_CONTENT, NULL);
}

/* The winner's parameters become the live strategy's, through the desk's
 * own update: checked, stored and audited (strategy.update) as any edit. */
static void
apply_cb (BourseRequest *request,
          gpointer       user_data)
{
  JsonObject *body;
  BourseDesk *desk = bourse_engine_get_desk (bourse_request_get_engine (request));
  g_autoptr(BourseOptimisationRecord) record = NULL;
  g_autoptr(BourseLiveStrategy) live = NULL;
  g_autoptr(BourseLiveStrategy) updated = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);
  BourseLiveStrategySpec spec = { 0 };
  BourseAuthContext context;
  BourseDeskCaller caller;
  JsonNode *member;
  gint64 live_id;

  if (id == 0 || (body = bourse_request_get_json_object (request)) == NULL
      || !_bourse_server_only_member (request, body, "live_strategy_id"))
    return;
  member = json_object_get_member (body, "live_strategy_id");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64
      || (live_id = json_node_get_int (member)) <= 0)
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "live_strategy_id",
                                        _("The id of a live strategy is required, as a positive whole number"));
      return;
    }

  if ((record = bourse_optimisations_get (optimisations_of (request), id, FALSE, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  if (record->status != BOURSE_JOB_SUCCEEDED || record->best_params == NULL)
    {
      bourse_set_field_error (&error, BOURSE_ERROR_CONFLICT, "id",
                              _("The optimisation has not succeeded (it is %s): it has no winner to apply"),
                              bourse_job_status_to_string (record->status));
      bourse_request_reply_error (request, error, 0);
      return;
    }
  if ((live = bourse_live_strategies_get (bourse_desk_get_store (desk), live_id, &error)) == NULL)
    {
      bourse_request_reply_reference_error (request, error, "live_strategy_id");
      return;
    }
  /* Another type's parameters would mean nothing to it. */
  if (g_strcmp0 (live->strategy, record->strategy) != 0)
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "live_strategy_id",
                                        _("The live strategy runs another strategy type than the optimisation"));
      return;
    }

  spec.has_params = TRUE;
  spec.params = record->best_params;
  bourse_request_get_context (request, &context);
  caller = (BourseDeskCaller) {
    bourse_request_get_principal (request)->actor,
    bourse_request_get_principal (request)->user_id,
    &context,
  };
  if ((updated = bourse_desk_update_strategy (desk, live_id, &spec, &caller, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  node = bourse_live_strategy_to_json (updated);
  bourse_request_reply_json (request, SOUP_STATUS_OK, node);
}

static const BourseParamDoc id_params[] = {
  { "id", BOURSE_PARAM_PATH, "Id", "The optimisation's id" },
  { NULL }
};

static const BourseParamDoc list_params[] = {
  { "strategy", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9._-]{1,64}$\"}",
    "Only this strategy type's (an alias filters as its type does)" },
  { "symbol", BOURSE_PARAM_QUERY, "Symbol", "Only this instrument's" },
  { "limit", BOURSE_PARAM_QUERY, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"default\":100}",
    "How many at most" },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseRouteSpec optimisation_routes[] = {
  { "POST", "/api/v1/optimisations", "backtests.run", run_cb, {
      .id = "runOptimisation", .tag = "Backtests", .summary = "Search a strategy's parameters",
      .description = "A grid or random search, with walk-forward when asked, as a job (kind backtest.optimise). "
                     "Every refusal is a 422 naming the member (space.<param>, walk_forward.folds).",
      .request = "OptimisationRequest", .status = 202, .response = "OptimisationRun", .errors = "415 422" } },
  { "GET", "/api/v1/optimisations", "backtests.read", list_cb, {
      .id = "listOptimisations", .tag = "Backtests", .summary = "List optimisations",
      .description = "Everyone's, newest first, without their result.",
      .params = list_params, .response = "page:Optimisation", .errors = "422" } },
  { "GET", "/api/v1/optimisations/{id}", "backtests.read", get_cb, {
      .id = "getOptimisation", .tag = "Backtests", .summary = "Read an optimisation",
      .description = "With its result once it succeeded.",
      .params = id_params, .response = "Optimisation", .errors = "404" } },
  { "PATCH", "/api/v1/optimisations/{id}", "backtests.run", note_cb, {
      .id = "noteOptimisation", .tag = "Backtests", .summary = "Note an optimisation",
      .description = "One's own (admins: any), else 403 naming id; audited optimisation.note.",
      .params = id_params, .request = "NoteUpdate", .response = "Optimisation", .errors = "404 415 422" } },
  { "DELETE", "/api/v1/optimisations/{id}", "backtests.run", delete_cb, {
      .id = "deleteOptimisation", .tag = "Backtests", .summary = "Delete an optimisation",
      .description = "One's own (admins: any), else 403 naming id; a running one's job is cancelled first; "
                     "audited optimisation.delete.",
      .params = id_params, .status = 204, .errors = "404" } },
  { "POST", "/api/v1/optimisations/{id}/apply", "strategies.write", apply_cb, {
      .id = "applyOptimisation", .tag = "Backtests", .summary = "Give a live strategy the winner's parameters",
      .description = "Through the desk's own update (checked, stored, audited strategy.update). 409 naming id "
                     "before the optimisation succeeded; 422 naming live_strategy_id when there is no such "
                     "live strategy or it runs another type.",
      .params = id_params, .request = "OptimisationApplyRequest", .response = "LiveStrategy",
      .errors = "404 409 415 422" } },
};

void
_bourse_server_add_optimisation_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, optimisation_routes, G_N_ELEMENTS (optimisation_routes), self);
}
