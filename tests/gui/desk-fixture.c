/* desk-fixture.c — THE CONTRACT'S FIXTURE: a stand-in for the approval desk's API
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See desk-fixture.h: what issue 5's API contract promises, served from
 * memory until the engine has it.
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "desk-fixture.h"

#define HOUR_MS ((gint64) 3600 * 1000)

static const char * const intervals[] = {
  "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M", NULL
};
static const char * const policies[] = { "manual", "auto-paper", "notify-only", NULL };

typedef struct
{
  gint64  seq;
  char   *last;   /* the whole envelope, replayed on subscribe */
} Topic;

static void
topic_free (Topic *topic)
{
  g_free (topic->last);
  g_free (topic);
}

static void
desk_request_free (DeskRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request->body);
  g_free (request);
}

/* Data {{{ */

static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (ms / 1000);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

/* Creation times one minute apart by id: "newest first" is by id too. */
static char *
created_at (DeskFixture *fixture,
            gint64       id)
{
  return format_time (fixture->window_start + DESK_FIXTURE_CANDLES * HOUR_MS + id * 60 * 1000);
}

/* A gentle wave with a drift: enough shape for a chart. */
static double
close_at (gint64 k)
{
  return 100 + 3 * sin (k / 5.0) + k * 0.02;
}

static void
set_decimal (JsonObject *object,
             const char *member,
             double      value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  json_object_set_string_member (object, member, g_ascii_formatd (text, sizeof text, "%.8f", value));
}

static JsonObject *
new_recommendation (DeskFixture *fixture,
                    gint64       id,
                    const char  *symbol,
                    const char  *interval,
                    const char  *strategy,
                    const char  *decision,
                    gint64       approval_id,
                    const char  *origin)
{
  JsonObject *recommendation = json_object_new ();
  g_autoptr(JsonObject) window = json_object_new ();
  g_autoptr(JsonObject) metrics = json_object_new ();
  g_autoptr(JsonArray) forecast = json_array_new ();
  g_autofree char *created = created_at (fixture, id);
  gboolean buy = g_strcmp0 (decision, "SELL") != 0;
  double entry = round (close_at (DESK_FIXTURE_CANDLES - 1) * 100) / 100;

  json_object_set_int_member (recommendation, "id", id);
  json_object_set_string_member (recommendation, "symbol", symbol);
  json_object_set_string_member (recommendation, "interval", interval);
  json_object_set_string_member (recommendation, "strategy", strategy);
  json_object_set_null_member (recommendation, "strategy_id");
  json_object_set_string_member (recommendation, "decision", decision);
  set_decimal (recommendation, "entry", entry);
  set_decimal (recommendation, "stop_loss", buy ? entry - 2 : entry + 2);
  set_decimal (recommendation, "take_profit", buy ? entry + 3 : entry - 3);
  json_object_set_double_member (recommendation, "risk_reward", 1.5);
  json_object_set_double_member (recommendation, "confidence", 0.72);
  json_object_set_string_member (recommendation, "reason",
                                 buy ? "AR(4) forecasts +0.8% over 5 candles"
                                     : "AR(4) forecasts -0.8% over 5 candles");
  for (guint i = 1; i <= 5; i++)
    json_array_add_double_element (forecast, entry + (buy ? 0.16 : -0.16) * i);
  json_object_set_array_member (metrics, "forecast", g_steal_pointer (&forecast));
  json_object_set_double_member (metrics, "expected_return", buy ? 0.008 : -0.008);
  json_object_set_double_member (metrics, "sigma2", 0.25);
  json_object_set_object_member (recommendation, "metrics", g_steal_pointer (&metrics));
  json_object_set_int_member (window, "start", fixture->window_start);
  json_object_set_int_member (window, "end", fixture->window_start + DESK_FIXTURE_CANDLES * HOUR_MS - 1);
  json_object_set_int_member (window, "candles", DESK_FIXTURE_CANDLES);
  json_object_set_object_member (recommendation, "window", g_steal_pointer (&window));
  if (approval_id > 0)
    json_object_set_int_member (recommendation, "approval_id", approval_id);
  else
    json_object_set_null_member (recommendation, "approval_id");
  json_object_set_string_member (recommendation, "origin", origin);
  json_object_set_boolean_member (recommendation, "simulated", TRUE);
  json_object_set_int_member (recommendation, "created_by", DESK_FIXTURE_USER_ID);
  json_object_set_string_member (recommendation, "created_at", created);

  return recommendation;
}

static JsonObject *
new_approval (DeskFixture *fixture,
              JsonObject  *recommendation,
              const char  *status,
              gint64       requested_by)
{
  JsonObject *approval = json_object_new ();
  gint64 id = fixture->next_id++;
  g_autofree char *created = created_at (fixture, id);
  g_autofree char *expires = format_time (fixture->window_start + DESK_FIXTURE_CANDLES * HOUR_MS +
                                          id * 60 * 1000 + HOUR_MS);

  json_object_set_int_member (recommendation, "approval_id", id);

  json_object_set_int_member (approval, "id", id);
  json_object_set_int_member (approval, "recommendation_id",
                              json_object_get_int_member (recommendation, "id"));
  json_object_set_string_member (approval, "status", status);
  if (requested_by > 0)
    json_object_set_int_member (approval, "requested_by", requested_by);
  else
    json_object_set_null_member (approval, "requested_by");
  json_object_set_null_member (approval, "decided_by");
  json_object_set_null_member (approval, "reason");
  json_object_set_string_member (approval, "created_at", created);
  json_object_set_null_member (approval, "decided_at");
  json_object_set_string_member (approval, "expires_at", expires);
  json_object_set_object_member (approval, "recommendation", json_object_ref (recommendation));

  if (g_strcmp0 (status, "pending") != 0)
    {
      json_object_set_int_member (approval, "decided_by", 3);
      json_object_set_string_member (approval, "decided_at", expires);
      if (g_strcmp0 (status, "expired") != 0)
        json_object_set_string_member (approval, "reason", "Seen elsewhere");
    }

  return approval;
}

JsonObject *
desk_fixture_add_approval (DeskFixture *fixture,
                           const char  *symbol,
                           const char  *decision,
                           const char  *status,
                           gint64       requested_by)
{
  g_autoptr(JsonObject) recommendation = NULL;
  JsonObject *approval;

  recommendation = new_recommendation (fixture, fixture->next_id++, symbol, "1h", "ar", decision, 0,
                                       requested_by > 0 ? "analysis" : "live");
  approval = new_approval (fixture, recommendation, status, requested_by);
  g_ptr_array_add (fixture->approvals, approval);

  return approval;
}

JsonObject *
desk_fixture_find_approval (DeskFixture *fixture,
                            gint64       id)
{
  for (guint i = 0; i < fixture->approvals->len; i++)
    {
      JsonObject *approval = g_ptr_array_index (fixture->approvals, i);

      if (json_object_get_int_member (approval, "id") == id)
        return approval;
    }

  return NULL;
}

static void
decide (DeskFixture *fixture,
        JsonObject  *approval,
        const char  *status,
        gint64       decided_by,
        const char  *reason)
{
  g_autofree char *now = format_time (g_get_real_time () / 1000);

  json_object_set_string_member (approval, "status", status);
  json_object_set_int_member (approval, "decided_by", decided_by);
  json_object_set_string_member (approval, "decided_at", now);
  if (reason != NULL)
    json_object_set_string_member (approval, "reason", reason);
  else
    json_object_set_null_member (approval, "reason");

  desk_fixture_publish (fixture, "approvals", approval);
}

void
desk_fixture_settle (DeskFixture *fixture,
                     gint64       id,
                     const char  *status,
                     const char  *reason)
{
  JsonObject *approval = desk_fixture_find_approval (fixture, id);

  g_assert_nonnull (approval);
  decide (fixture, approval, status, 3, reason);
}

void
desk_fixture_refuse (DeskFixture *fixture,
                     gint64       id,
                     guint        status)
{
  g_hash_table_insert (fixture->refusals, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (status));
}

static JsonObject *
add_type (JsonArray  *types,
          const char *id,
          const char *alias,
          const char *name)
{
  JsonObject *type = json_object_new ();
  g_autoptr(JsonArray) aliases = json_array_new ();
  g_autoptr(JsonObject) schema = json_object_new ();

  json_object_set_string_member (type, "id", id);
  if (alias != NULL)
    json_array_add_string_element (aliases, alias);
  json_object_set_array_member (type, "aliases", g_steal_pointer (&aliases));
  json_object_set_string_member (type, "name", name);
  json_object_set_string_member (type, "version", "1");
  json_object_set_string_member (schema, "type", "object");
  json_object_set_object_member (schema, "properties", json_object_new ());
  json_object_set_boolean_member (schema, "additionalProperties", FALSE);
  json_object_set_object_member (type, "parameters", g_steal_pointer (&schema));
  json_array_add_object_element (types, type);

  return type;
}

static void
add_parameter (JsonObject *type,
               const char *json)
{
  JsonObject *props = json_object_get_object_member (json_object_get_object_member (type, "parameters"),
                                                     "properties");
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  JsonObject *property;

  g_assert_nonnull (node);
  property = json_node_get_object (node);
  json_object_set_member (props, json_object_get_string_member (property, "name"),
                          json_node_copy (node));
  json_object_remove_member (json_node_get_object (json_object_get_member (props,
                                                     json_object_get_string_member (property, "name"))),
                             "name");
}

/* What the built-ins declare (bourse_strategy_dup_parameters()), plus a
 * type with a choice and a switch, which the form must handle too. */
static JsonArray *
new_types (void)
{
  JsonArray *types = json_array_new ();
  JsonObject *type;

  type = add_type (types, "ar", "A", "AR forecast");
  add_parameter (type, "{\"name\":\"lags\",\"type\":\"integer\",\"default\":4,\"minimum\":1,"
                       "\"maximum\":20,\"description\":\"Order p of the autoregression\"}");
  add_parameter (type, "{\"name\":\"horizon\",\"type\":\"integer\",\"default\":5,\"minimum\":1,"
                       "\"maximum\":50,\"description\":\"How many candles ahead to forecast\"}");
  add_parameter (type, "{\"name\":\"threshold\",\"type\":\"number\",\"default\":0.002,"
                       "\"minimum\":0,\"maximum\":1,\"description\":\"Expected return to act on\"}");
  add_parameter (type, "{\"name\":\"stop_atr\",\"type\":\"number\",\"default\":2,"
                       "\"minimum\":0.1,\"maximum\":100,\"description\":\"Stop-loss in ATRs\"}");

  type = add_type (types, "kalman", "B", "Kalman trend");
  add_parameter (type, "{\"name\":\"estimate\",\"type\":\"string\",\"enum\":[\"mle\",\"fixed\"],"
                       "\"default\":\"fixed\",\"description\":\"How the variances are found\"}");
  add_parameter (type, "{\"name\":\"gate\",\"type\":\"boolean\",\"default\":true,"
                       "\"description\":\"Stay out when volatility is high\"}");
  add_parameter (type, "{\"name\":\"k\",\"type\":\"number\",\"default\":1.5,\"minimum\":0.5,"
                       "\"maximum\":5}");

  return types;
}

/* }}} */

/* WebSocket {{{ */

void
desk_fixture_publish (DeskFixture *fixture,
                      const char  *topic_name,
                      JsonObject  *data)
{
  g_autoptr(JsonObject) envelope = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *ts = format_time (g_get_real_time () / 1000);
  Topic *topic = g_hash_table_lookup (fixture->topics, topic_name);

  if (topic == NULL)
    {
      topic = g_new0 (Topic, 1);
      g_hash_table_insert (fixture->topics, g_strdup (topic_name), topic);
    }

  topic->seq++;
  json_object_set_string_member (envelope, "type", "event");
  json_object_set_string_member (envelope, "topic", topic_name);
  json_object_set_int_member (envelope, "seq", topic->seq);
  json_object_set_string_member (envelope, "ts", ts);
  json_object_set_object_member (envelope, "data", json_object_ref (data));
  node = json_node_init_object (json_node_alloc (), envelope);
  g_free (topic->last);
  topic->last = json_to_string (node, FALSE);

  for (guint i = 0; i < fixture->connections->len; i++)
    {
      SoupWebsocketConnection *connection = g_ptr_array_index (fixture->connections, i);
      GHashTable *subscribed = g_object_get_data (G_OBJECT (connection), "topics");

      if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN &&
          g_hash_table_contains (subscribed, topic_name))
        soup_websocket_connection_send_text (connection, topic->last);
    }
}

guint
desk_fixture_n_subscribers (DeskFixture *fixture,
                            const char  *topic)
{
  guint n = 0;

  for (guint i = 0; i < fixture->connections->len; i++)
    {
      SoupWebsocketConnection *connection = g_ptr_array_index (fixture->connections, i);
      GHashTable *subscribed = g_object_get_data (G_OBJECT (connection), "topics");

      if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN &&
          g_hash_table_contains (subscribed, topic))
        n++;
    }

  return n;
}

static void
websocket_message_cb (SoupWebsocketConnection *connection,
                      SoupWebsocketDataType    type,
                      GBytes                  *bytes,
                      DeskFixture             *fixture)
{
  GHashTable *subscribed = g_object_get_data (G_OBJECT (connection), "topics");
  g_autoptr(JsonNode) node = NULL;
  JsonObject *message;
  JsonArray *topics;
  const char *kind;
  gboolean subscribe;

  node = json_from_string (g_bytes_get_data (bytes, NULL) ? (const char *) g_bytes_get_data (bytes, NULL) : "",
                           NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;

  message = json_node_get_object (node);
  kind = json_object_get_string_member_with_default (message, "type", "");
  subscribe = g_str_equal (kind, "subscribe");
  if ((!subscribe && !g_str_equal (kind, "unsubscribe")) ||
      !json_object_has_member (message, "topics"))
    return;

  topics = json_object_get_array_member (message, "topics");
  for (guint i = 0; i < json_array_get_length (topics); i++)
    {
      const char *name = json_array_get_string_element (topics, i);
      Topic *topic = g_hash_table_lookup (fixture->topics, name);

      if (!subscribe)
        {
          g_hash_table_remove (subscribed, name);
          continue;
        }

      /* Like the hub: the latest event again for a new subscriber. */
      if (g_hash_table_add (subscribed, g_strdup (name)) && topic != NULL && topic->last != NULL)
        soup_websocket_connection_send_text (connection, topic->last);
    }
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *message,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  DeskFixture *fixture = user_data;
  const char *query = g_uri_get_query (soup_server_message_get_uri (message));

  if (g_strcmp0 (query, "token=" DESK_FIXTURE_TOKEN) != 0)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "token");
      return;
    }

  g_object_set_data_full (G_OBJECT (connection), "topics",
                          g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
                          (GDestroyNotify) g_hash_table_unref);
  g_signal_connect (connection, "message", G_CALLBACK (websocket_message_cb), fixture);
  g_ptr_array_add (fixture->connections, g_object_ref (connection));
}

/* }}} */

/* REST {{{ */

static void
reply_json (SoupServerMessage *message,
            guint              status,
            JsonNode          *node)
{
  g_autofree char *text = node != NULL ? json_to_string (node, FALSE) : NULL;

  soup_server_message_set_status (message, status, NULL);
  if (text != NULL)
    soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                      text, strlen (text));
}

static void
reply_object (SoupServerMessage *message,
              guint              status,
              JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  reply_json (message, status, node);
}

static void
reply_list (SoupServerMessage *message,
            GPtrArray         *objects)
{
  g_autoptr(JsonObject) list = json_object_new ();
  g_autoptr(JsonArray) items = json_array_new ();

  for (guint i = 0; i < objects->len; i++)
    json_array_add_object_element (items, json_object_ref (g_ptr_array_index (objects, i)));
  json_object_set_array_member (list, "items", g_steal_pointer (&items));
  json_object_set_null_member (list, "next_cursor");
  reply_object (message, SOUP_STATUS_OK, list);
}

static void
reply_problem (SoupServerMessage *message,
               guint              status,
               const char        *detail,
               const char        *field,
               const char        *field_message)
{
  g_autoptr(JsonObject) problem = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  json_object_set_string_member (problem, "type", "about:blank");
  json_object_set_string_member (problem, "title", soup_status_get_phrase (status));
  json_object_set_int_member (problem, "status", status);
  json_object_set_string_member (problem, "detail", detail);
  if (field != NULL)
    {
      g_autoptr(JsonArray) errors = json_array_new ();
      JsonObject *error = json_object_new ();

      json_object_set_string_member (error, "field", field);
      json_object_set_string_member (error, "message", field_message);
      json_array_add_object_element (errors, error);
      json_object_set_array_member (problem, "errors", g_steal_pointer (&errors));
    }

  node = json_node_init_object (json_node_alloc (), problem);
  text = json_to_string (node, FALSE);
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "application/problem+json", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static int
compare_approvals (gconstpointer a,
                   gconstpointer b)
{
  JsonObject *first = *(JsonObject **) a;
  JsonObject *second = *(JsonObject **) b;
  gboolean first_pending = g_str_equal (json_object_get_string_member (first, "status"), "pending");
  gboolean second_pending = g_str_equal (json_object_get_string_member (second, "status"), "pending");
  gint64 first_id = json_object_get_int_member (first, "id");
  gint64 second_id = json_object_get_int_member (second, "id");

  if (first_pending != second_pending)
    return first_pending ? -1 : 1;

  return first_id > second_id ? -1 : first_id < second_id;
}

static void
approvals_list (DeskFixture       *fixture,
                SoupServerMessage *message,
                GHashTable        *query)
{
  const char *status = query ? g_hash_table_lookup (query, "status") : NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new ();

  for (guint i = 0; i < fixture->approvals->len; i++)
    {
      JsonObject *approval = g_ptr_array_index (fixture->approvals, i);

      if (status == NULL || g_str_equal (json_object_get_string_member (approval, "status"), status))
        g_ptr_array_add (listed, approval);
    }

  /* Pending first, then the newest. */
  g_ptr_array_sort (listed, compare_approvals);
  reply_list (message, listed);
}

static void
approvals_decide (DeskFixture       *fixture,
                  SoupServerMessage *message,
                  JsonObject        *approval,
                  const char        *verb,
                  JsonObject        *body)
{
  gint64 id = json_object_get_int_member (approval, "id");
  gboolean approve = g_str_equal (verb, "approve");
  JsonNode *reason_node = body ? json_object_get_member (body, "reason") : NULL;
  const char *reason = NULL;
  gpointer refusal;

  if (reason_node != NULL && !JSON_NODE_HOLDS_NULL (reason_node))
    {
      if (json_node_get_value_type (reason_node) != G_TYPE_STRING)
        {
          reply_problem (message, 422, "Invalid request", "reason", "must be a string");
          return;
        }
      reason = json_node_get_string (reason_node);
    }

  if (!approve && (reason == NULL || reason[0] == '\0'))
    {
      reply_problem (message, 422, "A rejection needs a reason", "reason", "must not be empty");
      return;
    }
  if (reason != NULL && g_utf8_strlen (reason, -1) > 500)
    {
      reply_problem (message, 422, "Invalid request", "reason", "must be at most 500 characters");
      return;
    }

  if (g_hash_table_lookup_extended (fixture->refusals, &id, NULL, &refusal))
    {
      g_hash_table_remove (fixture->refusals, &id);
      if (GPOINTER_TO_UINT (refusal) == SOUP_STATUS_CONFLICT)
        reply_problem (message, SOUP_STATUS_CONFLICT, "The approval was decided meanwhile",
                       "status", "is no longer pending");
      else
        reply_problem (message, GPOINTER_TO_UINT (refusal),
                       "Four-eyes rule: someone else must decide what you requested", NULL, NULL);
      return;
    }

  if (!g_str_equal (json_object_get_string_member (approval, "status"), "pending"))
    {
      reply_problem (message, SOUP_STATUS_CONFLICT, "The approval is no longer pending",
                     "status", json_object_get_string_member (approval, "status"));
      return;
    }

  if (fixture->four_eyes && !json_object_get_null_member (approval, "requested_by") &&
      json_object_get_int_member (approval, "requested_by") == DESK_FIXTURE_USER_ID)
    {
      reply_problem (message, SOUP_STATUS_FORBIDDEN,
                     "Four-eyes rule: someone else must decide what you requested", NULL, NULL);
      return;
    }

  decide (fixture, approval, approve ? "approved" : "rejected", DESK_FIXTURE_USER_ID, reason);
  reply_object (message, SOUP_STATUS_OK, approval);
}

/* Only what the candle route of the market API gives the chart. */
static void
candles_get (DeskFixture       *fixture,
             SoupServerMessage *message,
             const char        *symbol,
             GHashTable        *query)
{
  const char *interval = query ? g_hash_table_lookup (query, "interval") : NULL;
  const char *start_text = query ? g_hash_table_lookup (query, "start") : NULL;
  const char *end_text = query ? g_hash_table_lookup (query, "end") : NULL;
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  gint64 start = start_text ? g_ascii_strtoll (start_text, NULL, 10) : 0;
  gint64 end = end_text ? g_ascii_strtoll (end_text, NULL, 10) : G_MAXINT64;
  gint64 limit = limit_text ? g_ascii_strtoll (limit_text, NULL, 10) : 1000;
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(JsonArray) candles = json_array_new ();

  if (g_strcmp0 (interval, "1h") != 0)
    {
      reply_problem (message, 422, "Invalid request", "interval", "has no candles here");
      return;
    }

  for (gint64 k = 0; k < DESK_FIXTURE_CANDLES && json_array_get_length (candles) < limit; k++)
    {
      gint64 open_time = fixture->window_start + k * HOUR_MS;
      double open = k > 0 ? close_at (k - 1) : close_at (0) - 0.1;
      double close = close_at (k);
      JsonObject *candle;

      if (open_time < start || open_time > end)
        continue;

      candle = json_object_new ();
      json_object_set_int_member (candle, "open_time", open_time);
      json_object_set_int_member (candle, "close_time", open_time + HOUR_MS - 1);
      set_decimal (candle, "open", open);
      set_decimal (candle, "high", MAX (open, close) + 0.4);
      set_decimal (candle, "low", MIN (open, close) - 0.4);
      set_decimal (candle, "close", close);
      set_decimal (candle, "volume", 12.5);
      json_object_set_int_member (candle, "trades", 42);
      json_object_set_boolean_member (candle, "closed", TRUE);
      json_array_add_object_element (candles, candle);
    }

  json_object_set_string_member (answer, "symbol", symbol);
  json_object_set_string_member (answer, "interval", interval);
  json_object_set_boolean_member (answer, "simulated", TRUE);
  json_object_set_array_member (answer, "candles", g_steal_pointer (&candles));
  json_object_set_null_member (answer, "next_cursor");
  reply_object (message, SOUP_STATUS_OK, answer);
}

static gboolean
type_exists (DeskFixture *fixture,
             const char  *id)
{
  for (guint i = 0; id != NULL && i < json_array_get_length (fixture->types); i++)
    {
      JsonObject *type = json_array_get_object_element (fixture->types, i);
      JsonArray *aliases = json_object_get_array_member (type, "aliases");

      if (g_str_equal (json_object_get_string_member (type, "id"), id))
        return TRUE;
      for (guint j = 0; j < json_array_get_length (aliases); j++)
        if (g_ascii_strcasecmp (json_array_get_string_element (aliases, j), id) == 0)
          return TRUE;
    }

  return FALSE;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* The checks a live strategy's configuration gets; FALSE once answered. */
static gboolean
strategy_valid (DeskFixture       *fixture,
                SoupServerMessage *message,
                JsonObject        *body)
{
  const char *name = string_member (body, "name");
  const char *symbol = string_member (body, "symbol");
  const char *interval = string_member (body, "interval");
  const char *policy = string_member (body, "policy");
  JsonNode *params = body ? json_object_get_member (body, "params") : NULL;

  if (body == NULL)
    reply_problem (message, 400, "The body must be a JSON object", NULL, NULL);
  else if (name == NULL || name[0] == '\0')
    reply_problem (message, 422, "Invalid strategy", "name", "must not be empty");
  else if (!type_exists (fixture, string_member (body, "strategy")))
    reply_problem (message, 422, "Invalid strategy", "strategy", "is not a known strategy type");
  else if (symbol == NULL || symbol[0] == '\0' || g_str_equal (symbol, "NOPE"))
    reply_problem (message, 422, "Invalid strategy", "symbol", "is not a known instrument");
  else if (interval == NULL || !g_strv_contains (intervals, interval))
    reply_problem (message, 422, "Invalid strategy", "interval", "must be one of 1m … 1M");
  else if (policy == NULL || !g_strv_contains (policies, policy))
    reply_problem (message, 422, "Invalid strategy", "policy",
                   "must be manual, auto-paper or notify-only");
  else if (params != NULL && !JSON_NODE_HOLDS_OBJECT (params))
    reply_problem (message, 422, "Invalid strategy", "params", "must be an object");
  else
    return TRUE;

  return FALSE;
}

static JsonObject *
find_strategy (DeskFixture *fixture,
               gint64       id)
{
  for (guint i = 0; i < fixture->strategies->len; i++)
    {
      JsonObject *strategy = g_ptr_array_index (fixture->strategies, i);

      if (json_object_get_int_member (strategy, "id") == id)
        return strategy;
    }

  return NULL;
}

static void
strategy_write (JsonObject *strategy,
                JsonObject *body)
{
  static const char * const members[] = { "name", "strategy", "symbol", "interval", "policy" };
  JsonNode *params = json_object_get_member (body, "params");
  JsonNode *enabled = json_object_get_member (body, "enabled");
  g_autofree char *now = format_time (g_get_real_time () / 1000);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    json_object_set_string_member (strategy, members[i], string_member (body, members[i]));
  if (params != NULL)
    json_object_set_member (strategy, "params", json_node_copy (params));
  else
    json_object_set_object_member (strategy, "params", json_object_new ());
  json_object_set_boolean_member (strategy, "enabled",
                                  enabled == NULL || json_node_get_boolean (enabled));
  json_object_set_string_member (strategy, "updated_at", now);
}

static void
strategies_create (DeskFixture       *fixture,
                   SoupServerMessage *message,
                   JsonObject        *body)
{
  JsonObject *strategy;
  g_autofree char *now = format_time (g_get_real_time () / 1000);

  if (!strategy_valid (fixture, message, body))
    return;

  strategy = json_object_new ();
  json_object_set_int_member (strategy, "id", fixture->next_id++);
  strategy_write (strategy, body);
  json_object_set_null_member (strategy, "model_id");
  json_object_set_int_member (strategy, "created_by", DESK_FIXTURE_USER_ID);
  json_object_set_string_member (strategy, "created_at", now);
  json_object_set_null_member (strategy, "last_signal_at");
  g_ptr_array_add (fixture->strategies, strategy);

  reply_object (message, SOUP_STATUS_CREATED, strategy);
}

static void
recommendations_create (DeskFixture       *fixture,
                        SoupServerMessage *message,
                        JsonObject        *body)
{
  const char *symbol = string_member (body, "symbol");
  const char *interval = string_member (body, "interval");
  const char *strategy = string_member (body, "strategy");
  JsonNode *days = body ? json_object_get_member (body, "last_n_days") : NULL;
  JsonNode *params = body ? json_object_get_member (body, "params") : NULL;
  g_autoptr(JsonObject) recommendation = NULL;
  JsonObject *approval;

  if (body == NULL)
    {
      reply_problem (message, 400, "The body must be a JSON object", NULL, NULL);
      return;
    }
  if (symbol == NULL || g_str_equal (symbol, "NOPE"))
    {
      reply_problem (message, 422, "Invalid analysis", "symbol", "is not a known instrument");
      return;
    }
  if (interval == NULL || !g_strv_contains (intervals, interval))
    {
      reply_problem (message, 422, "Invalid analysis", "interval", "must be one of 1m … 1M");
      return;
    }
  if (!type_exists (fixture, strategy))
    {
      reply_problem (message, 422, "Invalid analysis", "strategy", "is not a known strategy");
      return;
    }
  if (days == NULL || json_node_get_value_type (days) != G_TYPE_INT64 ||
      json_node_get_int (days) < 1 || json_node_get_int (days) > 365)
    {
      reply_problem (message, 422, "Invalid analysis", "last_n_days", "must be from 1 to 365");
      return;
    }
  if (params != NULL && !JSON_NODE_HOLDS_OBJECT (params))
    {
      reply_problem (message, 422, "Invalid analysis", "params", "must be an object");
      return;
    }

  /* Every analysis of the fixture says BUY, and asks for approval. */
  recommendation = new_recommendation (fixture, fixture->next_id++, symbol, interval, strategy,
                                       "BUY", 0, "analysis");
  approval = new_approval (fixture, recommendation, "pending", DESK_FIXTURE_USER_ID);
  g_ptr_array_add (fixture->approvals, approval);

  desk_fixture_publish (fixture, "recommendations", recommendation);
  desk_fixture_publish (fixture, "approvals", approval);
  reply_object (message, SOUP_STATUS_CREATED, recommendation);
}

static gint64
parse_id (const char *text)
{
  guint64 id = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &id, NULL))
    return 0;

  return id;
}

static void
rest_cb (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  DeskFixture *fixture = user_data;
  const char *method = soup_server_message_get_method (message);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  SoupMessageBody *request_body = soup_server_message_get_request_body (message);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  g_auto(GStrv) parts = NULL;
  g_autoptr(JsonNode) body_node = NULL;
  JsonObject *body = NULL;
  DeskRequest *request;
  guint n_parts;

  request = g_new0 (DeskRequest, 1);
  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->query = g_strdup (g_uri_get_query (soup_server_message_get_uri (message)));
  request->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_ptr_array_add (fixture->requests, request);

  if (g_strcmp0 (soup_message_headers_get_one (headers, "Authorization"),
                 "Bearer " DESK_FIXTURE_TOKEN) != 0)
    {
      reply_problem (message, SOUP_STATUS_UNAUTHORIZED, "Sign in first", NULL, NULL);
      return;
    }

  if (g_bytes_get_size (bytes) > 0)
    {
      body_node = json_from_string (request->body, NULL);
      if (body_node == NULL || !JSON_NODE_HOLDS_OBJECT (body_node))
        {
          reply_problem (message, 400, "The body must be a JSON object", NULL, NULL);
          return;
        }
      body = json_node_get_object (body_node);
    }

  g_assert_true (g_str_has_prefix (path, "/api/v1/"));
  parts = g_strsplit (path + strlen ("/api/v1/"), "/", -1);
  n_parts = g_strv_length (parts);

  if (g_str_equal (method, "GET") && g_strcmp0 (path, "/api/v1/users/me") == 0)
    {
      g_autoptr(JsonObject) me = json_object_new ();

      json_object_set_int_member (me, "id", DESK_FIXTURE_USER_ID);
      json_object_set_string_member (me, "username", "tess");
      json_object_set_string_member (me, "role", fixture->role);
      reply_object (message, SOUP_STATUS_OK, me);
      return;
    }

  if (g_str_equal (parts[0], "approvals"))
    {
      JsonObject *approval = n_parts >= 2 ? desk_fixture_find_approval (fixture, parse_id (parts[1]))
                                          : NULL;

      if (n_parts == 1 && g_str_equal (method, "GET"))
        {
          approvals_list (fixture, message, query);
          return;
        }
      if (n_parts >= 2 && approval == NULL)
        {
          reply_problem (message, SOUP_STATUS_NOT_FOUND, "No such approval", NULL, NULL);
          return;
        }
      if (n_parts == 2 && g_str_equal (method, "GET"))
        {
          reply_object (message, SOUP_STATUS_OK, approval);
          return;
        }
      if (n_parts == 3 && g_str_equal (method, "POST") && g_strcmp0 (fixture->role, "viewer") == 0)
        {
          reply_problem (message, SOUP_STATUS_FORBIDDEN, "Viewers may not decide", NULL, NULL);
          return;
        }
      if (n_parts == 3 && g_str_equal (method, "POST") &&
          (g_str_equal (parts[2], "approve") || g_str_equal (parts[2], "reject")))
        {
          approvals_decide (fixture, message, approval, parts[2], body);
          return;
        }
    }
  else if (g_str_equal (parts[0], "market") && n_parts == 3 && g_str_equal (parts[1], "candles") &&
           g_str_equal (method, "GET"))
    {
      candles_get (fixture, message, parts[2], query);
      return;
    }
  else if (g_str_equal (parts[0], "strategies"))
    {
      /* strategies.write: traders and administrators. */
      if (!g_str_equal (method, "GET") && g_strcmp0 (fixture->role, "viewer") == 0)
        {
          reply_problem (message, SOUP_STATUS_FORBIDDEN, "Viewers may not change strategies",
                         NULL, NULL);
          return;
        }
      if (n_parts == 2 && g_str_equal (parts[1], "types") && g_str_equal (method, "GET"))
        {
          g_autoptr(JsonObject) list = json_object_new ();

          json_object_set_array_member (list, "items", json_array_ref (fixture->types));
          {
            reply_object (message, SOUP_STATUS_OK, list);
            return;
          }
        }
      if (n_parts == 1 && g_str_equal (method, "GET"))
        {
          reply_list (message, fixture->strategies);
          return;
        }
      if (n_parts == 1 && g_str_equal (method, "POST"))
        {
          strategies_create (fixture, message, body);
          return;
        }
      if (n_parts == 2)
        {
          JsonObject *strategy = find_strategy (fixture, parse_id (parts[1]));

          if (strategy == NULL)
            {
              reply_problem (message, SOUP_STATUS_NOT_FOUND, "No such strategy", NULL, NULL);
              return;
            }
          if (g_str_equal (method, "GET"))
            {
              reply_object (message, SOUP_STATUS_OK, strategy);
              return;
            }
          if (g_str_equal (method, "PUT"))
            {
              if (strategy_valid (fixture, message, body))
                {
                  strategy_write (strategy, body);
                  reply_object (message, SOUP_STATUS_OK, strategy);
                }
              return;
            }
          if (g_str_equal (method, "DELETE"))
            {
              g_ptr_array_remove (fixture->strategies, strategy);
              soup_server_message_set_status (message, SOUP_STATUS_NO_CONTENT, NULL);
              return;
            }
        }
    }
  else if (g_str_equal (parts[0], "recommendations") && n_parts == 1 && g_str_equal (method, "POST"))
    {
      recommendations_create (fixture, message, body);
      return;
    }

  reply_problem (message, SOUP_STATUS_NOT_FOUND, "Not served by the desk fixture", NULL, NULL);
}

/* }}} */

DeskRequest *
desk_fixture_last_request (DeskFixture *fixture,
                           const char  *method,
                           const char  *path)
{
  for (guint i = fixture->requests->len; i > 0; i--)
    {
      DeskRequest *request = g_ptr_array_index (fixture->requests, i - 1);

      if (g_str_equal (request->method, method) && g_str_equal (request->path, path))
        return request;
    }

  return NULL;
}

guint
desk_fixture_count_requests (DeskFixture *fixture,
                             const char  *method,
                             const char  *path)
{
  guint n = 0;

  for (guint i = 0; i < fixture->requests->len; i++)
    {
      DeskRequest *request = g_ptr_array_index (fixture->requests, i);

      if (g_str_equal (request->method, method) && g_str_equal (request->path, path))
        n++;
    }

  return n;
}

DeskFixture *
desk_fixture_new (void)
{
  DeskFixture *fixture = g_new0 (DeskFixture, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 11, 19, 0, 0, 0);

  fixture->role = g_strdup ("trader");
  fixture->approvals = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  fixture->strategies = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  fixture->types = new_types ();
  fixture->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_request_free);
  fixture->connections = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) topic_free);
  fixture->refusals = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  fixture->next_id = 1;
  fixture->window_start = g_date_time_to_unix (start) * 1000;

  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, "/api/v1", rest_cb, fixture, NULL);
  soup_server_add_websocket_handler (fixture->server, "/api/v1/ws", NULL, NULL,
                                     websocket_cb, fixture, NULL);

  /* Our own socket: soup_server_listen_local() and soup_server_get_uris()
   * leak in libsoup 3.2 (../shared/TOOLCHAIN.md). */
  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  soup_server_listen_socket (fixture->server, listener, 0, &error);
  g_assert_no_error (error);

  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  fixture->url = g_strdup_printf ("http://127.0.0.1:%u/",
                                  g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  return fixture;
}

void
desk_fixture_free (DeskFixture *fixture)
{
  for (guint i = 0; i < fixture->connections->len; i++)
    {
      SoupWebsocketConnection *connection = g_ptr_array_index (fixture->connections, i);

      g_signal_handlers_disconnect_by_data (connection, fixture);
    }

  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_ptr_array_unref (fixture->connections);
  g_ptr_array_unref (fixture->approvals);
  g_ptr_array_unref (fixture->strategies);
  json_array_unref (fixture->types);
  g_ptr_array_unref (fixture->requests);
  g_hash_table_unref (fixture->topics);
  g_hash_table_unref (fixture->refusals);
  g_free (fixture->role);
  g_free (fixture->url);
  g_free (fixture);
}
