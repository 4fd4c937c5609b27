/* bourse-backtest-routes.c — running, listing, noting, deleting and comparing backtests (docs/BACKTESTS.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "backtest/bourse-backtests.h"
#include "core/bourse-json.h"

#include "bourse-server-private.h"

#define DEFAULT_LIMIT 100
#define MAX_LIMIT     500

static BourseBacktests *
backtests_of (BourseRequest *request)
{
  return bourse_engine_get_backtests (bourse_request_get_engine (request));
}

BourseBacktestsCaller
_bourse_server_backtests_caller (BourseRequest     *request,
                                 BourseAuthContext *context)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);

  bourse_request_get_context (request, context);
  return (BourseBacktestsCaller) {
    principal->actor,
    principal->user_id,
    context,
    bourse_role_has_permission (principal->role, "backtests.manage"),
  };
}

static void
reply_record (BourseRequest              *request,
              guint                       status,
              const BourseBacktestRecord *record)
{
  g_autoptr(JsonNode) node = bourse_backtest_record_to_json (record);

  bourse_request_reply_json (request, status, node);
}

gboolean
_bourse_server_only_member (BourseRequest *request,
                            JsonObject    *body,
                            const char    *name)
{
  g_autoptr(GList) members = json_object_get_members (body);

  for (const GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, name))
      {
        bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, l->data,
                                          _("There is no such member of this request"));
        return FALSE;
      }
  return TRUE;
}

const char *
_bourse_server_note_member (BourseRequest *request,
                            JsonObject    *body)
{
  JsonNode *note;

  /* The note is all a record lets change; an empty one clears it. */
  if (!_bourse_server_only_member (request, body, "note"))
    return NULL;
  note = json_object_get_member (body, "note");
  if (note == NULL || !JSON_NODE_HOLDS_VALUE (note) || json_node_get_value_type (note) != G_TYPE_STRING)
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "note",
                                        _("The note must be a string"));
      return NULL;
    }
  return json_node_get_string (note);
}

static void
run_cb (BourseRequest *request,
        gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(BourseBacktestRecord) record = NULL;
  g_autoptr(BourseJobInfo) job = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  BourseBacktestsCaller caller;

  if (body == NULL)
    return;
  caller = _bourse_server_backtests_caller (request, &context);
  if ((record = bourse_backtests_submit (backtests_of (request), body, &caller, &job, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "backtest");
  json_builder_add_value (builder, bourse_backtest_record_to_json (record));
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
  BourseBacktestFilter filter = { 0 };
  gint64 limit = DEFAULT_LIMIT, cursor = 0, optimisation_id = 0;
  guint n;

  if (!bourse_request_get_int_query (request, "limit", 1, MAX_LIMIT, &limit)
      || !bourse_request_get_cursor_query (request, &cursor)
      || !bourse_request_get_name_query (request, "strategy", &filter.strategy)
      || !bourse_request_get_symbol_query (request, "symbol", FALSE, &filter.symbol)
      || !bourse_request_get_int_query (request, "optimisation_id", 1, G_MAXINT64, &optimisation_id))
    return;

  /* One more than asked for says whether another page follows. */
  filter.optimisation_id = optimisation_id;
  filter.before_id = cursor;
  filter.limit = (guint) limit + 1;
  if ((list = bourse_backtests_list (backtests_of (request), &filter, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  n = MIN (list->len, (guint) limit);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_value (builder, bourse_backtest_record_to_json (g_ptr_array_index (list, i)));
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, list->len > n,
                                       n > 0 ? ((BourseBacktestRecord *) g_ptr_array_index (list, n - 1))->id : 0);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
get_cb (BourseRequest *request,
        gpointer       user_data)
{
  g_autoptr(BourseBacktestRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  if ((record = bourse_backtests_get (backtests_of (request), id, TRUE, &error)) == NULL)
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
  g_autoptr(BourseBacktestRecord) record = NULL;
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
  record = bourse_backtests_set_note (backtests_of (request), id, note, &caller, &error);
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
  if (!bourse_backtests_delete (backtests_of (request), id, &caller, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  soup_server_message_set_status (bourse_request_get_message (request), SOUP_STATUS_NO_CONTENT, NULL);
}

static void
compare_cb (BourseRequest *request,
            gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  if (body == NULL || !_bourse_server_only_member (request, body, "ids"))
    return;
  if ((array = bourse_json_get_array (body, "ids")) == NULL)
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "ids",
                                        _("The ids of 2 to 10 backtests are required, as an array"));
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gint64 id;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_INT64
          || (id = json_node_get_int (element)) <= 0)
        {
          bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "ids",
                                            _("Each id must be a positive whole number"));
          return;
        }
      g_array_append_val (ids, id);
    }

  node = bourse_backtests_compare (backtests_of (request), (const gint64 *) (gpointer) ids->data, ids->len,
                                   &error);
  if (node == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  bourse_request_reply_json (request, SOUP_STATUS_OK, node);
}

/* A run's id in the path; one that is not a positive whole number is a 404. */
static const BourseParamDoc id_params[] = {
  { "id", BOURSE_PARAM_PATH, "Id", "The backtest's id" },
  { NULL }
};

static const BourseParamDoc list_params[] = {
  { "strategy", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9._-]{1,64}$\"}",
    "Only this strategy type's (an alias filters as its type does)" },
  { "symbol", BOURSE_PARAM_QUERY, "Symbol", "Only this instrument's" },
  { "optimisation_id", BOURSE_PARAM_QUERY, "Id", "Only the runs of this optimisation" },
  { "limit", BOURSE_PARAM_QUERY, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"default\":100}",
    "How many at most" },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseRouteSpec backtest_routes[] = {
  { "POST", "/api/v1/backtests", "backtests.run", run_cb, {
      .id = "runBacktest", .tag = "Backtests", .summary = "Run a backtest",
      .description = "Replays a strategy over stored candles as a job (kind backtest.run): its progress is on the "
                     "jobs topic, its end on backtests. Every refusal is a 422 naming the member "
                     "(params.<name> for a parameter).",
      .request = "BacktestRequest", .status = 202, .response = "BacktestRun", .errors = "415 422" } },
  { "GET", "/api/v1/backtests", "backtests.read", list_cb, {
      .id = "listBacktests", .tag = "Backtests", .summary = "List backtests",
      .description = "Everyone's, newest first, without their result.",
      .params = list_params, .response = "page:Backtest", .errors = "422" } },
  /* A read that takes its ids in a body. */
  { "POST", "/api/v1/backtests/compare", "backtests.read", compare_cb, {
      .id = "compareBacktests", .tag = "Backtests", .summary = "Compare backtests",
      .description = "The settings and metrics of 2 to 10 succeeded backtests, in the order asked. One unknown is a "
                     "422 naming ids, one that has not succeeded a 409 naming ids.",
      .request = "BacktestCompareRequest", .response = "page:BacktestComparisonItem", .errors = "409 415 422" } },
  { "GET", "/api/v1/backtests/{id}", "backtests.read", get_cb, {
      .id = "getBacktest", .tag = "Backtests", .summary = "Read a backtest",
      .description = "With its result once it succeeded.",
      .params = id_params, .response = "Backtest", .errors = "404" } },
  { "PATCH", "/api/v1/backtests/{id}", "backtests.run", note_cb, {
      .id = "noteBacktest", .tag = "Backtests", .summary = "Note a backtest",
      .description = "One's own (admins: any), else 403 naming id; audited backtest.note.",
      .params = id_params, .request = "NoteUpdate", .response = "Backtest", .errors = "404 415 422" } },
  { "DELETE", "/api/v1/backtests/{id}", "backtests.run", delete_cb, {
      .id = "deleteBacktest", .tag = "Backtests", .summary = "Delete a backtest",
      .description = "One's own (admins: any), else 403 naming id; a running one's job is cancelled first; "
                     "audited backtest.delete.",
      .params = id_params, .status = 204, .errors = "404" } },
};

void
_bourse_server_add_backtest_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, backtest_routes, G_N_ELEMENTS (backtest_routes), self);
}
