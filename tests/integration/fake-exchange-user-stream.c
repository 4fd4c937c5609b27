/* fake-exchange-user-stream.c — the fake exchange's WebSocket API and user data streams
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "core/bourse-json.h"

#include "fake-exchange-private.h"
#include "fake-exchange-user-stream.h"

/* Binance's default recvWindow, in ms, and how far ahead of its clock a
 * timestamp may be. */
#define RECV_WINDOW_MS 5000
#define AHEAD_MS       1000

typedef struct
{
  gint64  id;
  char   *api_key;
} Subscription;

/* One WebSocket API connection (a "session" in Binance's words). */
typedef struct
{
  FakeExchange            *exchange;
  SoupWebsocketConnection *connection;
  GSocket                 *socket;
  GArray                  *subscriptions;   /* Subscription */
  gint64                   next_id;         /* subscription ids count from 0 per session */
  GPtrArray               *held;            /* what is not sent yet, or NULL */
} Session;

struct _FakeUserStreams
{
  char      *url;
  GPtrArray *sessions;   /* Session */
  guint      n_accepts;
  guint      n_refusals;
  guint      n_subscribe_requests;
  int        last_error;
  gboolean   refuse;
  gboolean   hold_answers;
};

static FakeUserStreams *
streams_of (FakeExchange *self)
{
  FakeUserStreams *streams = *fake_exchange_user_streams_slot (self);

  g_assert_nonnull (streams);
  return streams;
}

static void
subscription_clear (gpointer data)
{
  g_free (((Subscription *)data)->api_key);
}

static void
session_free (gpointer data)
{
  Session *session = data;

  g_signal_handlers_disconnect_by_data (session->connection, session);
  if (soup_websocket_connection_get_state (session->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (session->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_clear_object (&session->connection);
  g_clear_object (&session->socket);
  g_array_unref (session->subscriptions);
  g_clear_pointer (&session->held, g_ptr_array_unref);
  g_free (session);
}

static gboolean
session_is_open (Session *session)
{
  return soup_websocket_connection_get_state (session->connection) == SOUP_WEBSOCKET_STATE_OPEN;
}

/* Everything a session sends goes here, to keep Binance's order (an
 * answer before the events of its subscription) while answers are held. */
static void
session_send (Session    *session,
              const char *text)
{
  if (session->held != NULL)
    g_ptr_array_add (session->held, g_strdup (text));
  else if (session_is_open (session))
    soup_websocket_connection_send_text (session->connection, text);
}

static void
send_node (Session  *session,
           JsonNode *node)
{
  g_autofree char *text = bourse_json_to_string (node, NULL);

  session_send (session, text);
}

/* {"id":…,"status":400,"error":{"code":…,"msg":…}} */
static void
send_error (Session    *session,
            JsonNode   *id,
            int         status,
            int         code,
            const char *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_value (builder, id != NULL ? json_node_copy (id) : json_node_new (JSON_NODE_NULL));
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "msg");
  json_builder_add_string_value (builder, msg);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  send_node (session, root);
}

/* {"id":…,"status":200,"result":{…},"rateLimits":[…]}; takes @result. */
static void
send_result (Session  *session,
             JsonNode *id,
             JsonNode *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_value (builder, json_node_copy (id));
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, 200);
  json_builder_set_member_name (builder, "result");
  json_builder_add_value (builder, result);
  json_builder_set_member_name (builder, "rateLimits");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rateLimitType");
  json_builder_add_string_value (builder, "REQUEST_WEIGHT");
  json_builder_set_member_name (builder, "interval");
  json_builder_add_string_value (builder, "MINUTE");
  json_builder_set_member_name (builder, "intervalNum");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "limit");
  json_builder_add_int_value (builder, 6000);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, 2);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  send_node (session, root);
}

static void
send_event (Session    *session,
            gint64      subscription_id,
            const char *event_text)
{
  g_autofree char *text = g_strdup_printf ("{\"subscriptionId\":%" G_GINT64_FORMAT ",\"event\":%s}",
                                           subscription_id, event_text);

  session_send (session, text);
}

/* Binance's rule for signed WebSocket API requests: every parameter but
 * the signature, sorted by name, as name=value joined with '&'. */
static char *
signature_payload (JsonObject *params)
{
  g_autoptr(GList) names = g_list_sort (json_object_get_members (params), (GCompareFunc)strcmp);
  g_autoptr(GString) payload = g_string_new (NULL);

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (params, l->data);

      if (g_str_equal (l->data, "signature"))
        continue;
      if (payload->len > 0)
        g_string_append_c (payload, '&');
      g_string_append_printf (payload, "%s=", (const char *)l->data);
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_string_append (payload, json_node_get_string (node));
      else
        {
          g_autofree char *text = bourse_json_to_string (node, NULL);

          g_string_append (payload, text);
        }
    }
  return g_string_free (g_steal_pointer (&payload), FALSE);
}

static void
subscribe (Session    *session,
           JsonNode   *id,
           JsonObject *params)
{
  FakeUserStreams *streams = streams_of (session->exchange);
  const char *api_key = bourse_json_get_string (params, "apiKey");
  const char *signature = bourse_json_get_string (params, "signature");
  g_autofree char *payload = NULL;
  gint64 timestamp, recv_window = RECV_WINDOW_MS, now;
  Subscription subscription;
  JsonObject *result;
  int code;

  streams->n_subscribe_requests++;
  streams->last_error = 0;
  if (api_key == NULL || signature == NULL || !bourse_json_get_int (params, "timestamp", &timestamp))
    {
      streams->last_error = -1102;
      send_error (session, id, 400, -1102,
                  "Mandatory parameter was not sent, was empty/null, or malformed.");
      return;
    }
  if (json_object_has_member (params, "recvWindow")
      && (!bourse_json_get_int (params, "recvWindow", &recv_window) || recv_window <= 0 || recv_window > 60000))
    {
      streams->last_error = -1131;
      send_error (session, id, 400, -1131, "recvWindow must be less than 60000");
      return;
    }

  payload = signature_payload (params);
  code = fake_exchange_check_signature (session->exchange, api_key, payload, signature);
  if (code != 0)
    {
      streams->last_error = code;
      send_error (session, id, 400, code,
                  code == -2014 ? "API-key format invalid."
                  : code == -2015 ? "Invalid API-key, IP, or permissions for action."
                  : "Signature for this request is not valid.");
      return;
    }

  now = fake_exchange_clock_ms (session->exchange);
  if (timestamp > now + AHEAD_MS || now - timestamp > recv_window)
    {
      streams->last_error = -1021;
      send_error (session, id, 400, -1021,
                  timestamp > now + AHEAD_MS ? "Timestamp for this request was 1000ms ahead of the server's time."
                  : "Timestamp for this request is outside of the recvWindow.");
      return;
    }

  subscription.id = session->next_id++;
  subscription.api_key = g_strdup (api_key);
  g_array_append_val (session->subscriptions, subscription);
  if (streams->hold_answers && session->held == NULL)
    session->held = g_ptr_array_new_with_free_func (g_free);
  result = json_object_new ();
  json_object_set_int_member (result, "subscriptionId", subscription.id);
  send_result (session, id, json_node_init_object (json_node_alloc (), result));
  json_object_unref (result);
}

/* Without a subscriptionId: every subscription of the session. */
static void
unsubscribe (Session    *session,
             JsonNode   *id,
             JsonObject *params)
{
  gint64 subscription_id;
  gboolean all = !bourse_json_get_int (params, "subscriptionId", &subscription_id);
  JsonObject *result;

  for (guint i = session->subscriptions->len; i > 0; i--)
    if (all || g_array_index (session->subscriptions, Subscription, i - 1).id == subscription_id)
      g_array_remove_index (session->subscriptions, i - 1);
  result = json_object_new ();
  send_result (session, id, json_node_init_object (json_node_alloc (), result));
  json_object_unref (result);
}

static void
message_cb (SoupWebsocketConnection *connection,
            int                      type,
            GBytes                  *message,
            Session                 *session)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *request, *params;
  const char *method;
  gsize length;
  const char *text = g_bytes_get_data (message, &length);

  if (type != SOUP_WEBSOCKET_DATA_TEXT || text == NULL
      || (root = bourse_json_parse (text, length, 0, NULL)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      send_error (session, NULL, 400, -1000, "Invalid JSON.");
      return;
    }
  request = json_node_get_object (root);
  method = bourse_json_get_string (request, "method");
  params = bourse_json_get_object (request, "params");
  if (!json_object_has_member (request, "id") || method == NULL)
    send_error (session, json_object_get_member (request, "id"), 400, -1000, "Invalid request.");
  else if (g_str_equal (method, "userDataStream.subscribe.signature"))
    {
      g_autoptr(JsonObject) empty = json_object_new ();

      subscribe (session, json_object_get_member (request, "id"), params != NULL ? params : empty);
    }
  else if (g_str_equal (method, "userDataStream.unsubscribe"))
    unsubscribe (session, json_object_get_member (request, "id"), params);
  else
    send_error (session, json_object_get_member (request, "id"), 400, -1020, "Unsupported operation.");
}

static void
closed_cb (SoupWebsocketConnection *connection,
           Session                 *session)
{
  g_ptr_array_remove (streams_of (session->exchange)->sessions, session);
}

static void
gate_cb (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  FakeUserStreams *streams = streams_of (user_data);
  const char *body;
  guint status;

  /* Setting a status here stops the WebSocket handshake. */
  if (streams->refuse)
    {
      streams->n_refusals++;
      status = SOUP_STATUS_SERVICE_UNAVAILABLE;
      body = "{\"code\":-1001,\"msg\":\"Service unavailable.\"}";
    }
  else if (soup_message_headers_get_one (soup_server_message_get_request_headers (message), "Upgrade") == NULL)
    {
      status = SOUP_STATUS_BAD_REQUEST;
      body = "{\"code\":-1000,\"msg\":\"A WebSocket is expected.\"}";
    }
  else
    return;
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *message,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  FakeExchange *self = user_data;
  FakeUserStreams *streams = streams_of (self);
  Session *session = g_new0 (Session, 1);

  streams->n_accepts++;
  session->exchange = self;
  session->connection = g_object_ref (connection);
  session->socket = g_object_ref (soup_server_message_get_socket (message));
  session->subscriptions = g_array_new (FALSE, TRUE, sizeof (Subscription));
  g_array_set_clear_func (session->subscriptions, subscription_clear);
  g_signal_connect (connection, "message", G_CALLBACK (message_cb), session);
  g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), session);
  g_ptr_array_add (streams->sessions, session);
}

static guint
deliver (FakeExchange *self,
         const char   *api_key,
         JsonObject   *event,
         gpointer      user_data)
{
  FakeUserStreams *streams = streams_of (self);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), event);
  g_autofree char *text = bourse_json_to_string (node, NULL);
  guint sent = 0;

  for (guint i = 0; i < streams->sessions->len; i++)
    {
      Session *session = g_ptr_array_index (streams->sessions, i);

      if (!session_is_open (session))
        continue;
      for (guint j = 0; j < session->subscriptions->len; j++)
        {
          Subscription *subscription = &g_array_index (session->subscriptions, Subscription, j);

          if (g_strcmp0 (subscription->api_key, api_key) == 0)
            {
              send_event (session, subscription->id, text);
              sent++;
            }
        }
    }
  return sent;
}

void
fake_exchange_user_stream_install (FakeExchange *self)
{
  FakeUserStreams *streams = g_new0 (FakeUserStreams, 1);
  SoupServer *server = fake_exchange_get_server (self);

  streams->url = g_strconcat (fake_exchange_get_stream_url (self), "/ws-api/v3", NULL);
  streams->sessions = g_ptr_array_new_with_free_func (session_free);
  *fake_exchange_user_streams_slot (self) = streams;

  soup_server_add_handler (server, "/ws-api/v3", gate_cb, self, NULL);
  soup_server_add_websocket_handler (server, "/ws-api/v3", NULL, NULL, websocket_cb, self, NULL);
  fake_exchange_set_user_event_func (self, deliver, NULL);
}

void
fake_exchange_user_stream_clear (FakeExchange *self)
{
  FakeUserStreams *streams = g_steal_pointer (fake_exchange_user_streams_slot (self));

  if (streams == NULL)
    return;
  fake_exchange_set_user_event_func (self, NULL, NULL);
  g_ptr_array_unref (streams->sessions);
  g_free (streams->url);
  g_free (streams);
}

const char *
fake_exchange_get_ws_api_url (FakeExchange *self)
{
  return streams_of (self)->url;
}

guint
fake_exchange_get_n_user_subscriptions (FakeExchange *self)
{
  FakeUserStreams *streams = streams_of (self);
  guint n = 0;

  for (guint i = 0; i < streams->sessions->len; i++)
    n += ((Session *)g_ptr_array_index (streams->sessions, i))->subscriptions->len;
  return n;
}

guint
fake_exchange_get_n_user_stream_accepts (FakeExchange *self)
{
  return streams_of (self)->n_accepts;
}

guint
fake_exchange_get_n_user_stream_refusals (FakeExchange *self)
{
  return streams_of (self)->n_refusals;
}

guint
fake_exchange_get_n_user_subscribe_requests (FakeExchange *self)
{
  return streams_of (self)->n_subscribe_requests;
}

int
fake_exchange_get_last_user_subscribe_error (FakeExchange *self)
{
  return streams_of (self)->last_error;
}

void
fake_exchange_drop_user_streams (FakeExchange *self)
{
  FakeUserStreams *streams = streams_of (self);

  /* No close frame: the client sees the connection vanish (1006). */
  for (guint i = 0; i < streams->sessions->len; i++)
    g_socket_shutdown (((Session *)g_ptr_array_index (streams->sessions, i))->socket, TRUE, TRUE, NULL);
}

void
fake_exchange_set_refuse_user_streams (FakeExchange *self,
                                       gboolean      refuse)
{
  streams_of (self)->refuse = refuse;
}

guint
fake_exchange_terminate_user_streams (FakeExchange *self,
                                      const char   *api_key)
{
  FakeUserStreams *streams = streams_of (self);
  g_autofree char *event = g_strdup_printf ("{\"e\":\"eventStreamTerminated\",\"E\":%" G_GINT64_FORMAT "}",
                                            fake_exchange_clock_ms (self));
  guint ended = 0;

  for (guint i = 0; i < streams->sessions->len; i++)
    {
      Session *session = g_ptr_array_index (streams->sessions, i);

      for (guint j = session->subscriptions->len; j > 0; j--)
        {
          Subscription *subscription = &g_array_index (session->subscriptions, Subscription, j - 1);

          if (api_key != NULL && g_strcmp0 (subscription->api_key, api_key) != 0)
            continue;
          send_event (session, subscription->id, event);
          g_array_remove_index (session->subscriptions, j - 1);
          ended++;
        }
    }
  return ended;
}

void
fake_exchange_announce_user_stream_shutdown (FakeExchange *self)
{
  FakeUserStreams *streams = streams_of (self);
  g_autofree char *text = g_strdup_printf ("{\"event\":{\"e\":\"serverShutdown\",\"E\":%" G_GINT64_FORMAT "}}",
                                           fake_exchange_clock_ms (self));

  for (guint i = 0; i < streams->sessions->len; i++)
    {
      session_send (g_ptr_array_index (streams->sessions, i), text);
    }
}

void
fake_exchange_set_hold_user_answers (FakeExchange *self,
                                     gboolean      hold)
{
  FakeUserStreams *streams = streams_of (self);

  streams->hold_answers = hold;
  if (hold)
    return;
  for (guint i = 0; i < streams->sessions->len; i++)
    {
      Session *session = g_ptr_array_index (streams->sessions, i);
      g_autoptr(GPtrArray) held = g_steal_pointer (&session->held);

      for (guint j = 0; held != NULL && j < held->len; j++)
        session_send (session, g_ptr_array_index (held, j));
    }
}

guint
fake_exchange_push_user_event (FakeExchange *self,
                               const char   *api_key,
                               const char   *event_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = bourse_json_parse (event_json, strlen (event_json), 0, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return fake_exchange_user_event (self, api_key, json_node_get_object (root));
}
