/* bourse-desk-routes.c — strategies, recommendations, approvals and signals (docs/DESK.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"

#include "desk/bourse-desk-approvals.h"
#include "desk/bourse-desk-live.h"
#include "desk/bourse-desk-recommendations.h"

#include "bourse-server-private.h"

#define DEFAULT_LIMIT 100
#define MAX_LIMIT     500
/* Entries of each list a signal filter takes. */
#define MAX_FILTER_VALUES 100

/* Helpers {{{ */

static BourseDesk *
desk_of (BourseRequest *request)
{
  return bourse_engine_get_desk (bourse_request_get_engine (request));
}

static BourseStore *
store_of (BourseRequest *request)
{
  return bourse_desk_get_store (desk_of (request));
}

/* Who asks, for the records and the audit entries; @context is filled. */
static BourseDeskCaller
caller_of (BourseRequest     *request,
           BourseAuthContext *context)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);

  bourse_request_get_context (request, context);
  return (BourseDeskCaller) { principal->actor, principal->user_id, context };
}

static void
reply_node (BourseRequest *request,
            guint          status,
            JsonNode      *node)
{
  g_autoptr(JsonNode) body = node;

  bourse_request_reply_json (request, status, body);
}

static void
set_location (BourseRequest *request,
              const char    *collection,
              gint64         id)
{
  g_autofree char *location = g_strdup_printf ("/api/v1/%s/%" G_GINT64_FORMAT, collection, id);

  soup_message_headers_replace (soup_server_message_get_response_headers (bourse_request_get_message (request)),
                                "Location", location);
}

/* What ?decision= may be: bourse_decision_parse ()'s names. */
static const char * const decision_names[] = { "BUY", "SELL", "NO_TRADE", NULL };

/* ?limit= (1–500, default 100) and ?cursor= (an id to page below). */
static gboolean
page_query (BourseRequest *request,
            gint64        *limit,
            gint64        *cursor)
{
  *limit = DEFAULT_LIMIT;
  *cursor = 0;
  return bourse_request_get_int_query (request, "limit", 1, MAX_LIMIT, limit)
      && bourse_request_get_cursor_query (request, cursor);
}

/* {"items": […], "next_cursor": the id of the last item when more follow}. */
typedef JsonNode *(*ToJsonFunc) (gconstpointer item);

static void
reply_page (BourseRequest *request,
            GPtrArray     *items,
            guint          limit,
            ToJsonFunc     to_json,
            gint64       (*id_of) (gconstpointer item))
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n = MIN (items->len, limit);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_value (builder, to_json (g_ptr_array_index (items, i)));
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, items->len > n,
                                       items->len > n ? id_of (g_ptr_array_index (items, n - 1)) : 0);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

/* An optional integer member; a 422 naming it for anything else. */
static gboolean
integer_member (BourseRequest *request,
                JsonObject    *body,
                const char    *field,
                gboolean      *present,
                gint64        *value)
{
  JsonNode *node = json_object_get_member (body, field);

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      *present = TRUE;
      return TRUE;
    }
  bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, _("must be a whole number"));
  return FALSE;
}

/* An optional object member ("params"); NULL when absent or null. */
static gboolean
object_member (BourseRequest  *request,
               JsonObject     *body,
               const char     *field,
               gboolean       *present,
               JsonObject    **value)
{
  JsonNode *node = json_object_get_member (body, field);

  *present = node != NULL;
  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      *value = json_node_get_object (node);
      return TRUE;
    }
  bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, _("must be an object"));
  return FALSE;
}

static gboolean
boolean_member (BourseRequest *request,
                JsonObject    *body,
                const char    *field,
                gboolean      *present,
                gboolean      *value)
{
  JsonNode *node = json_object_get_member (body, field);

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *value = json_node_get_boolean (node);
      *present = TRUE;
      return TRUE;
    }
  bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, _("must be true or false"));
  return FALSE;
}

/* }}} */

/* Strategy types {{{ */

static void
types_cb (BourseRequest *request,
          gpointer       user_data)
{
  g_autoptr(GPtrArray) strategies = bourse_strategies_list ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  static const char * const aliases[] = { "A", "B", "C" };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < strategies->len; i++)
    {
      BourseStrategy *strategy = g_ptr_array_index (strategies, i);
      const char *id = bourse_strategy_get_id (strategy);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "aliases");
      json_builder_begin_array (builder);
      for (guint a = 0; a < G_N_ELEMENTS (aliases); a++)
        if (g_strcmp0 (bourse_strategy_resolve_id (aliases[a]), id) == 0)
          json_builder_add_string_value (builder, aliases[a]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, bourse_strategy_get_name (strategy));
      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, bourse_strategy_get_version (strategy));
      json_builder_set_member_name (builder, "min_candles");
      json_builder_add_int_value (builder, bourse_strategy_get_min_candles (strategy, NULL));
      json_builder_set_member_name (builder, "parameters");
      json_builder_add_value (builder, bourse_strategy_dup_parameters (strategy));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, FALSE, 0);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

/* }}} */

/* Live strategies {{{ */

static gint64
strategy_id_of (gconstpointer item)
{
  return ((const BourseLiveStrategy *)item)->id;
}

/* The members of a create or an update; FALSE once a 422 is answered. */
static gboolean
read_spec (BourseRequest          *request,
           JsonObject             *body,
           BourseLiveStrategySpec *spec)
{
  return bourse_request_get_string_member (request, body, "name", FALSE, &spec->name)
      && bourse_request_get_string_member (request, body, "strategy", FALSE, &spec->strategy)
      && bourse_request_get_string_member (request, body, "symbol", FALSE, &spec->symbol)
      && bourse_request_get_string_member (request, body, "interval", FALSE, &spec->interval)
      && object_member (request, body, "params", &spec->has_params, &spec->params)
      && bourse_request_get_string_member (request, body, "policy", FALSE, &spec->policy)
      && boolean_member (request, body, "enabled", &spec->has_enabled, &spec->enabled);
}

static void
strategies_create_cb (BourseRequest *request,
                      gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(BourseLiveStrategy) strategy = NULL;
  g_autoptr(GError) error = NULL;
  BourseLiveStrategySpec spec = { 0 };
  BourseAuthContext context;
  BourseDeskCaller caller;

  if (body == NULL || !read_spec (request, body, &spec))
    return;
  caller = caller_of (request, &context);
  if ((strategy = bourse_desk_create_strategy (desk_of (request), &spec, &caller, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  set_location (request, "strategies", strategy->id);
  reply_node (request, SOUP_STATUS_CREATED, bourse_live_strategy_to_json (strategy));
}

static void
strategies_list_cb (BourseRequest *request,
                    gpointer       user_data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 limit, cursor;

  if (!page_query (request, &limit, &cursor))
    return;
  if ((list = bourse_live_strategies_list (store_of (request), cursor, limit + 1, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_page (request, list, limit, (ToJsonFunc)bourse_live_strategy_to_json, strategy_id_of);
}

static void
strategies_get_cb (BourseRequest *request,
                   gpointer       user_data)
{
  g_autoptr(BourseLiveStrategy) strategy = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  if ((strategy = bourse_live_strategies_get (store_of (request), id, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_node (request, SOUP_STATUS_OK, bourse_live_strategy_to_json (strategy));
}

static void
strategies_update_cb (BourseRequest *request,
                      gpointer       user_data)
{
  g_autoptr(BourseLiveStrategy) strategy = NULL;
  g_autoptr(GError) error = NULL;
  BourseLiveStrategySpec spec = { 0 };
  BourseAuthContext context;
  BourseDeskCaller caller;
  gint64 id = bourse_request_get_id_param (request);
  JsonObject *body;

  if (id == 0 || (body = bourse_request_get_json_object (request)) == NULL || !read_spec (request, body, &spec))
    return;
  caller = caller_of (request, &context);
  if ((strategy = bourse_desk_update_strategy (desk_of (request), id, &spec, &caller, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_node (request, SOUP_STATUS_OK, bourse_live_strategy_to_json (strategy));
}

static void
strategies_delete_cb (BourseRequest *request,
                      gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  BourseDeskCaller caller;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  caller = caller_of (request, &context);
  if (!bourse_desk_delete_strategy (desk_of (request), id, &caller, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  soup_server_message_set_status (bourse_request_get_message (request), SOUP_STATUS_NO_CONTENT, NULL);
}

/* }}} */

/* Recommendations {{{ */

static gint64
recommendation_id_of (gconstpointer item)
{
  return ((const BourseRecommendation *)item)->id;
}

/* A request answered when the analysis ends, in a worker thread; the
 * client may have gone by then. */
typedef struct
{
  SoupServerMessage *message;
  BourseRequest     *request;    /* valid while the message is not finished */
  gulong             finished_id;
  gboolean           gone;
} PendingReply;

static void
pending_finished_cb (SoupServerMessage *message,
                     PendingReply      *pending)
{
  pending->gone = TRUE;
}

static void
analyse_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PendingReply *pending = user_data;
  g_autoptr(BourseRecommendation) recommendation = NULL;
  g_autoptr(GError) error = NULL;

  /* Stored whether or not anyone still waits: the client finds it in the list. */
  recommendation = bourse_desk_analyse_finish (BOURSE_DESK (object), result, &error);
  if (!pending->gone)
    {
      if (recommendation == NULL)
        bourse_request_reply_error (pending->request, error, 0);
      else
        {
          set_location (pending->request, "recommendations", recommendation->id);
          reply_node (pending->request, SOUP_STATUS_CREATED, bourse_recommendation_to_json (recommendation));
        }
      bourse_request_unpause (pending->request);
    }

  g_clear_signal_handler (&pending->finished_id, pending->message);
  g_object_unref (pending->message);
  g_free (pending);
}

static void
recommendations_create_cb (BourseRequest *request,
                           gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  BourseAnalysisRequest analysis = { 0 };
  BourseAuthContext context;
  BourseDeskCaller caller;
  PendingReply *pending;
  gboolean has_days, has_params;

  if (body == NULL
      || !bourse_request_get_string_member (request, body, "symbol", FALSE, &analysis.symbol)
      || !bourse_request_get_string_member (request, body, "interval", FALSE, &analysis.interval)
      || !bourse_request_get_string_member (request, body, "strategy", FALSE, &analysis.strategy)
      || !integer_member (request, body, "last_n_days", &has_days, &analysis.last_n_days)
      || !bourse_request_get_time_member (request, body, "start", BOURSE_TIME_BOUND_START, &analysis.has_start, &analysis.start)
      || !bourse_request_get_time_member (request, body, "end", BOURSE_TIME_BOUND_END, &analysis.has_end, &analysis.end)
      || !object_member (request, body, "params", &has_params, &analysis.params))
    return;
  if (has_days && analysis.last_n_days <= 0)
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "last_n_days",
                                        _("must be a whole number of days from 1 to 365"));
      return;
    }

  pending = g_new0 (PendingReply, 1);
  pending->message = g_object_ref (bourse_request_get_message (request));
  pending->request = request;
  pending->finished_id = g_signal_connect (pending->message, "finished", G_CALLBACK (pending_finished_cb), pending);
  bourse_request_pause (request);

  caller = caller_of (request, &context);
  bourse_desk_analyse_async (desk_of (request), &analysis, &caller, NULL, analyse_done_cb, pending);
}

static void
recommendations_list_cb (BourseRequest *request,
                         gpointer       user_data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const origins[] = { "analysis", "live", "webhook", NULL };
  BourseRecommendationFilter filter = { 0 };
  const char *strategy = NULL;
  gint64 limit, cursor;

  if (!page_query (request, &limit, &cursor)
      || !bourse_request_get_name_query (request, "strategy", &strategy)
      || !bourse_request_get_symbol_query (request, "symbol", FALSE, &filter.symbol)
      || !bourse_request_get_enum_query (request, "decision", decision_names, &filter.decision)
      || !bourse_request_get_enum_query (request, "origin", origins, &filter.origin))
    return;
  /* An alias names its id; anything else ("webhook", a removed plugin) as is. */
  filter.strategy = strategy != NULL && bourse_strategy_resolve_id (strategy) != NULL
                      ? bourse_strategy_resolve_id (strategy) : strategy;
  filter.before_id = cursor;
  filter.limit = limit + 1;

  if ((list = bourse_recommendations_list (store_of (request), &filter, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_page (request, list, limit, (ToJsonFunc)bourse_recommendation_to_json, recommendation_id_of);
}

static void
recommendations_get_cb (BourseRequest *request,
                        gpointer       user_data)
{
  g_autoptr(BourseRecommendation) recommendation = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  if ((recommendation = bourse_recommendations_get (store_of (request), id, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_node (request, SOUP_STATUS_OK, bourse_recommendation_to_json (recommendation));
}

/* }}} */

/* Approvals {{{ */

static void
approvals_list_cb (BourseRequest *request,
                   gpointer       user_data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  static const char * const statuses[] = { "pending", "approved", "rejected", "expired", NULL };
  const char *status_text = NULL;
  BourseApprovalStatus status = 0;
  gint64 limit = DEFAULT_LIMIT, cursor = 0, next_cursor = 0;

  /* The cursor is negative inside the decided ones (bourse_approvals_list ()). */
  if (!bourse_request_get_int_query (request, "limit", 1, MAX_LIMIT, &limit)
      || !bourse_request_get_int_query (request, "cursor", -G_MAXINT64, G_MAXINT64, &cursor)
      || !bourse_request_get_enum_query (request, "status", statuses, &status_text))
    return;
  /* The list is the parser's own names: it cannot fail. */
  if (status_text != NULL)
    bourse_approval_status_parse (status_text, &status);

  list = bourse_approvals_list (store_of (request), status_text != NULL ? (int)status : -1, cursor, limit,
                                &next_cursor, &error);
  if (list == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    json_builder_add_value (builder, bourse_approval_to_json (g_ptr_array_index (list, i)));
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, next_cursor != 0, next_cursor);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
approvals_get_cb (BourseRequest *request,
                  gpointer       user_data)
{
  g_autoptr(BourseApproval) approval = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  if ((approval = bourse_approvals_get (store_of (request), id, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_node (request, SOUP_STATUS_OK, bourse_approval_to_json (approval));
}

static void
decide (BourseRequest *request,
        gboolean       approve)
{
  g_autoptr(BourseApproval) approval = NULL;
  g_autoptr(GBytes) raw = bourse_request_dup_body (request);
  g_autoptr(GError) error = NULL;
  const char *reason = NULL;
  BourseAuthContext context;
  BourseDeskCaller caller;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  /* Approving needs no body at all; anything sent must be JSON. */
  if (approve ? g_bytes_get_size (raw) > 0 : TRUE)
    {
      JsonObject *body = bourse_request_get_json_object (request);

      if (body == NULL || !bourse_request_get_string_member (request, body, "reason", !approve, &reason))
        return;
    }

  caller = caller_of (request, &context);
  if ((approval = bourse_desk_decide (desk_of (request), id, approve, reason, &caller, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_node (request, SOUP_STATUS_OK, bourse_approval_to_json (approval));
}

static void
approve_cb (BourseRequest *request,
            gpointer       user_data)
{
  decide (request, TRUE);
}

static void
reject_cb (BourseRequest *request,
           gpointer       user_data)
{
  decide (request, FALSE);
}

/* }}} */

/* Signals {{{ */

static gint64
signal_id_of (gconstpointer item)
{
  return ((const BourseSignalRecord *)item)->id;
}

static void
reply_signals (BourseRequest      *request,
               BourseSignalFilter *filter,
               guint               limit)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  filter->limit = limit + 1;
  if ((list = bourse_signals_list (store_of (request), filter, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_page (request, list, limit, (ToJsonFunc)bourse_signal_record_to_json, signal_id_of);
}

static void
signals_list_cb (BourseRequest *request,
                 gpointer       user_data)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) symbols = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  BourseSignalFilter filter = { NULL, NULL, NULL, G_MININT64, G_MAXINT64, 0, 0 };
  const char *symbol = NULL;
  const char *decision = NULL;
  gint64 limit, cursor, strategy_id = 0;

  if (!page_query (request, &limit, &cursor)
      || !bourse_request_get_int_query (request, "strategy_id", 1, G_MAXINT64, &strategy_id)
      || !bourse_request_get_symbol_query (request, "symbol", FALSE, &symbol)
      || !bourse_request_get_enum_query (request, "decision", decision_names, &decision))
    return;
  if (strategy_id > 0)
    {
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (ids, strategy_id);
      filter.strategy_ids = ids;
    }
  if (symbol != NULL)
    {
      symbols = g_ptr_array_new ();
      g_ptr_array_add (symbols, (gpointer)symbol);
      filter.symbols = symbols;
    }
  if (decision != NULL)
    {
      decisions = g_ptr_array_new ();
      g_ptr_array_add (decisions, (gpointer)decision);
      filter.decisions = decisions;
    }
  filter.before_id = cursor;
  reply_signals (request, &filter, limit);
}

/* An optional array member of strings (or, with @ids, positive integers). */
static gboolean
array_member (BourseRequest  *request,
              JsonObject     *body,
              const char     *field,
              gboolean        ids,
              GPtrArray     **strings,
              GArray        **numbers)
{
  JsonNode *node = json_object_get_member (body, field);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length ((array = json_node_get_array (node))) > MAX_FILTER_VALUES)
    goto bad;

  if (ids)
    *numbers = g_array_new (FALSE, FALSE, sizeof (gint64));
  else
    *strings = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      GType type = JSON_NODE_HOLDS_VALUE (element) ? json_node_get_value_type (element) : G_TYPE_INVALID;

      if (ids && type == G_TYPE_INT64 && json_node_get_int (element) > 0)
        {
          gint64 id = json_node_get_int (element);
          g_array_append_val (*numbers, id);
        }
      else if (!ids && type == G_TYPE_STRING)
        g_ptr_array_add (*strings, (gpointer)json_node_get_string (element));
      else
        goto bad;
    }
  return TRUE;

bad:
  {
    g_autofree char *message = g_strdup_printf (ids ? _("must be an array of at most %d ids")
                                                    : _("must be an array of at most %d strings"),
                                                MAX_FILTER_VALUES);
    bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, message);
  }
  return FALSE;
}

/* "cursor": the next_cursor of an earlier page as given (a string), or
 * the same id as a number, as it was before lists gave strings. */
static gboolean
cursor_member (BourseRequest *request,
               JsonObject    *body,
               gboolean      *present,
               gint64        *cursor)
{
  JsonNode *node = json_object_get_member (body, "cursor");
  GType type = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (type == G_TYPE_INT64 && json_node_get_int (node) > 0)
    *cursor = json_node_get_int (node);
  else if (type != G_TYPE_STRING
           || !g_ascii_string_to_signed (json_node_get_string (node), 10, 1, G_MAXINT64, cursor, NULL))
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "cursor",
                                        _("must be the next_cursor of an earlier page"));
      return FALSE;
    }
  *present = TRUE;
  return TRUE;
}

static void
signals_filter_cb (BourseRequest *request,
                   gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) symbols = NULL;
  g_autoptr(GPtrArray) decisions = NULL;
  BourseSignalFilter filter = { NULL, NULL, NULL, G_MININT64, G_MAXINT64, 0, 0 };
  gboolean has_since, has_until, has_limit, has_cursor;
  gint64 limit = DEFAULT_LIMIT, cursor = 0;

  if (body == NULL
      || !array_member (request, body, "strategy_ids", TRUE, NULL, &ids)
      || !array_member (request, body, "symbols", FALSE, &symbols, NULL)
      || !array_member (request, body, "decisions", FALSE, &decisions, NULL)
      || !bourse_request_get_time_member (request, body, "since", BOURSE_TIME_BOUND_START, &has_since, &filter.since)
      || !bourse_request_get_time_member (request, body, "until", BOURSE_TIME_BOUND_END, &has_until, &filter.until)
      || !integer_member (request, body, "limit", &has_limit, &limit)
      || !cursor_member (request, body, &has_cursor, &cursor))
    return;
  for (guint i = 0; decisions != NULL && i < decisions->len; i++)
    {
      BourseDecision parsed;

      if (!bourse_decision_parse (g_ptr_array_index (decisions, i), &parsed))
        {
          bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "decisions",
                                            _("must hold only BUY, SELL and NO_TRADE"));
          return;
        }
    }
  if (limit < 1 || limit > MAX_LIMIT)
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "limit",
                                        _("must be a whole number from 1 to 500"));
      return;
    }
  if (has_since && has_until && filter.since >= filter.until)
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "since",
                                        _("must be before “until”"));
      return;
    }

  filter.strategy_ids = ids;
  filter.symbols = symbols;
  filter.decisions = decisions;
  filter.before_id = cursor;
  reply_signals (request, &filter, limit);
}

static void
signals_get_cb (BourseRequest *request,
                gpointer       user_data)
{
  g_autoptr(BourseSignalRecord) signal = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  if ((signal = bourse_signals_get (store_of (request), id, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_node (request, SOUP_STATUS_OK, bourse_signal_record_to_json (signal));
}

/* }}} */

#define LIMIT_SCHEMA "{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"default\":100}"
#define DECISION_SCHEMA "{\"type\":\"string\",\"enum\":[\"BUY\",\"SELL\",\"NO_TRADE\"]}"
#define NAME_SCHEMA "{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9._-]{1,64}$\"}"

static const BourseParamDoc id_param[] = {
  { "id", BOURSE_PARAM_PATH, "Id", NULL },
  { NULL }
};

static const BourseParamDoc page_params[] = {
  { "limit", BOURSE_PARAM_QUERY, LIMIT_SCHEMA, NULL },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseParamDoc recommendations_params[] = {
  { "symbol", BOURSE_PARAM_QUERY, "Symbol", NULL },
  { "strategy", BOURSE_PARAM_QUERY, NAME_SCHEMA, "A strategy type's id or alias, or webhook" },
  { "decision", BOURSE_PARAM_QUERY, DECISION_SCHEMA, NULL },
  { "origin", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"enum\":[\"analysis\",\"live\",\"webhook\"]}", NULL },
  { "limit", BOURSE_PARAM_QUERY, LIMIT_SCHEMA, NULL },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseParamDoc approvals_params[] = {
  { "status", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"enum\":[\"pending\",\"approved\",\"rejected\",\"expired\"]}",
    NULL },
  { "limit", BOURSE_PARAM_QUERY, LIMIT_SCHEMA, NULL },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page, as given (it may be negative)" },
  { NULL }
};

static const BourseParamDoc signals_params[] = {
  { "strategy_id", BOURSE_PARAM_QUERY, "Id", "The live strategy's" },
  { "symbol", BOURSE_PARAM_QUERY, "Symbol", NULL },
  { "decision", BOURSE_PARAM_QUERY, DECISION_SCHEMA, NULL },
  { "limit", BOURSE_PARAM_QUERY, LIMIT_SCHEMA, NULL },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseRouteSpec desk_routes[] = {
  { "GET", "/api/v1/strategies/types", "strategies.read", types_cb, {
      .id = "listStrategyTypes", .tag = "Strategies", .summary = "List the strategy types",
      .description = "Every type the engine can run, with the JSON Schema of its parameters, on one page.",
      .response = "page:StrategyType" } },
  { "POST", "/api/v1/strategies", "strategies.write", strategies_create_cb, {
      .id = "createLiveStrategy", .tag = "Strategies", .summary = "Start a live strategy",
      .request = "LiveStrategyCreate", .status = 201, .response = "LiveStrategy", .errors = "422 503" } },
  { "GET", "/api/v1/strategies", "strategies.read", strategies_list_cb, {
      .id = "listLiveStrategies", .tag = "Strategies", .summary = "List the live strategies",
      .description = "Newest first.",
      .params = page_params, .response = "page:LiveStrategy", .errors = "422" } },
  { "GET", "/api/v1/strategies/{id}", "strategies.read", strategies_get_cb, {
      .id = "getLiveStrategy", .tag = "Strategies", .summary = "Read a live strategy",
      .params = id_param, .response = "LiveStrategy", .errors = "404" } },
  { "PUT", "/api/v1/strategies/{id}", "strategies.write", strategies_update_cb, {
      .id = "updateLiveStrategy", .tag = "Strategies", .summary = "Change a live strategy",
      .params = id_param, .request = "LiveStrategyUpdate", .response = "LiveStrategy",
      .errors = "404 422 503" } },
  { "DELETE", "/api/v1/strategies/{id}", "strategies.write", strategies_delete_cb, {
      .id = "deleteLiveStrategy", .tag = "Strategies", .summary = "Delete a live strategy",
      .description = "Its signals and recommendations stay, with strategy_id null.",
      .params = id_param, .status = 204, .errors = "404 503" } },

  { "POST", "/api/v1/recommendations", "recommendations.write", recommendations_create_cb, {
      .id = "createRecommendation", .tag = "Desk", .summary = "Analyse now and recommend",
      .description = "Runs the strategy over the window and answers when it is done. A BUY or SELL opens a "
                     "pending approval (published on approvals).",
      .request = "RecommendationRequest", .status = 201, .response = "Recommendation",
      .errors = "422 503" } },
  { "GET", "/api/v1/recommendations", "recommendations.read", recommendations_list_cb, {
      .id = "listRecommendations", .tag = "Desk", .summary = "List recommendations",
      .description = "Newest first.",
      .params = recommendations_params, .response = "page:Recommendation", .errors = "422" } },
  { "GET", "/api/v1/recommendations/{id}", "recommendations.read", recommendations_get_cb, {
      .id = "getRecommendation", .tag = "Desk", .summary = "Read a recommendation",
      .params = id_param, .response = "Recommendation", .errors = "404" } },

  { "GET", "/api/v1/approvals", "approvals.read", approvals_list_cb, {
      .id = "listApprovals", .tag = "Desk", .summary = "List approvals",
      .description = "Pending ones first, then the others, newest first in each.",
      .params = approvals_params, .response = "page:Approval", .errors = "422" } },
  { "GET", "/api/v1/approvals/{id}", "approvals.read", approvals_get_cb, {
      .id = "getApproval", .tag = "Desk", .summary = "Read an approval",
      .params = id_param, .response = "Approval", .errors = "404" } },
  { "POST", "/api/v1/approvals/{id}/approve", "approvals.decide", approve_cb, {
      .id = "approveApproval", .tag = "Desk", .summary = "Approve a recommendation",
      .description = "The body may be empty. 409 naming status when it is no longer pending (or expired on the "
                     "way); 403 under the four-eyes rule for whoever asked for it.",
      .params = id_param, .request = "ApproveRequest", .response = "Approval",
      .errors = "403 404 409 422 503" } },
  { "POST", "/api/v1/approvals/{id}/reject", "approvals.decide", reject_cb, {
      .id = "rejectApproval", .tag = "Desk", .summary = "Reject a recommendation",
      .description = "As approve, with a reason required.",
      .params = id_param, .request = "RejectRequest", .response = "Approval",
      .errors = "403 404 409 422 503" } },

  { "GET", "/api/v1/signals", "signals.read", signals_list_cb, {
      .id = "listSignals", .tag = "Strategies", .summary = "List signals",
      .description = "Newest first.",
      .params = signals_params, .response = "page:Signal", .errors = "422" } },
  { "POST", "/api/v1/signals/filter", "signals.read", signals_filter_cb, {
      .id = "filterSignals", .tag = "Strategies", .summary = "List signals by a filter",
      .description = "The list as GET /api/v1/signals answers it, for filters too long for a query. since after "
                     "until is a 422 naming since.",
      .request = "SignalFilter", .response = "page:Signal", .errors = "422" } },
  { "GET", "/api/v1/signals/{id}", "signals.read", signals_get_cb, {
      .id = "getSignal", .tag = "Strategies", .summary = "Read a signal",
      .params = id_param, .response = "Signal", .errors = "404" } },
};

void
_bourse_server_add_desk_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, desk_routes, G_N_ELEMENTS (desk_routes), self);
}
