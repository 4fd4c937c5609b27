/* bourse-client.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "core/bourse-json.h"

#include "bourse-client.h"

/* Frames above this are refused by libsoup (it closes with 1009): a bound
 * on what a misbehaving server can make us buffer. */
#define MAX_INCOMING_PAYLOAD (8 * 1024 * 1024)
#define KEEPALIVE_INTERVAL_S 20
#define BACKOFF_MIN_MS       500
#define BACKOFF_MAX_MS       10000
/* A connection that lived this long was a good one: start over from the
 * shortest delay. One that a server keeps cutting at once is not. */
#define STABLE_AFTER_US      (5 * G_USEC_PER_SEC)
/* A REST call whose server stops answering fails instead of hanging.
 * libsoup clears the time-out on the WebSocket's stolen socket. */
#define IO_TIMEOUT_S         30
/* Answers from this size on are parsed in a worker thread. */
#define PARSE_IN_THREAD_ABOVE (32 * 1024)

struct _BourseClient
{
  GObject                  parent_instance;

  GMainContext            *context;
  SoupSession             *session;
  GUri                    *base_uri;
  char                    *base_url;
  char                    *token;

  SoupWebsocketConnection *ws;
  GCancellable            *ws_cancellable;   /* the connection attempt in flight */
  SoupMessage             *ws_message;       /* its handshake */
  GPtrArray               *connect_waiters;  /* GTask waiting for that attempt */
  GSource                 *reconnect_source;
  guint                    backoff_ms;
  gint64                   connected_at_us;

  char                    *role;             /* GET /api/v1/permissions, for this token */
  GStrv                    permissions;      /* and its permissions */

  GHashTable              *topics;           /* topic → subscription count */
  GHashTable              *last_seq;         /* topic → gint64* last seq seen */
  GHashTable              *confirmed;        /* topic → gint64 *: the server sends it now, from
                                              * after this seq (its "subscribed" answer) */

  guint                    want_connected : 1;
  guint                    ever_connected : 1;
  guint                    connected : 1;
};

G_DEFINE_FINAL_TYPE (BourseClient, bourse_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (bourse-client-error-quark, bourse_client_error)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_CONNECTED,
  N_PROPS
};

enum {
  EVENT,
  RESYNC,
  SUBSCRIBED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void bourse_client_start_connect (BourseClient *self);

static void
bourse_client_set_connected (BourseClient *self,
                             gboolean      connected)
{
  g_assert (BOURSE_IS_CLIENT (self));

  connected = !!connected;
  if (self->connected == connected)
    return;

  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static void
bourse_client_clear_reconnect (BourseClient *self)
{
  if (self->reconnect_source != NULL)
    {
      g_source_destroy (self->reconnect_source);
      g_clear_pointer (&self->reconnect_source, g_source_unref);
    }
}

static GUri *
bourse_client_resolve (BourseClient  *self,
                       const char    *path,
                       GError       **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text = NULL;

  if (self->base_uri == NULL)
    {
      g_set_error (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_CONNECTION,
                   _("“%s” is not a valid server address"), self->base_url);
      return NULL;
    }

  /* Relative to the base, so a server published under a prefix
   * ("https://host/bourse/") keeps its prefix. */
  while (*path == '/')
    path++;

  if (!(uri = g_uri_parse_relative (self->base_uri, path, SOUP_HTTP_URI_FLAGS, error)))
    return NULL;

  /* Never send the token to another origin than the one we were given. */
  text = g_uri_to_string (uri);
  if (!g_str_has_prefix (text, self->base_url))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is outside of %s", path, self->base_url);
      return NULL;
    }

  return g_steal_pointer (&uri);
}

static void
bourse_client_authorize (BourseClient *self,
                         SoupMessage  *message)
{
  if (self->token != NULL && self->token[0] != '\0')
    {
      g_autofree char *value = g_strdup_printf ("Bearer %s", self->token);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", value);
    }
}

/* REST {{{ */

static BourseClientError
error_code_for_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST:
    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      return BOURSE_CLIENT_ERROR_INVALID;
    case SOUP_STATUS_UNAUTHORIZED:
      return BOURSE_CLIENT_ERROR_UNAUTHORIZED;
    case SOUP_STATUS_FORBIDDEN:
      return BOURSE_CLIENT_ERROR_FORBIDDEN;
    case SOUP_STATUS_NOT_FOUND:
      return BOURSE_CLIENT_ERROR_NOT_FOUND;
    case SOUP_STATUS_CONFLICT:
      return BOURSE_CLIENT_ERROR_CONFLICT;
    default:
      return BOURSE_CLIENT_ERROR_HTTP;
    }
}

static JsonNode *
parse_json (GBytes  *bytes,
            GError **error)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len == 0)
    return json_node_new (JSON_NODE_NULL);

  /* A remote server is outside: its answers get the same checks. */
  return bourse_json_parse (data, len, 0, error);
}

static const char *
problem_text (JsonNode *problem)
{
  JsonObject *object;

  if (problem == NULL || !JSON_NODE_HOLDS_OBJECT (problem))
    return NULL;

  object = json_node_get_object (problem);
  for (guint i = 0; i < 2; i++)
    {
      const char *member = i == 0 ? "detail" : "title";
      JsonNode *node = json_object_get_member (object, member);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING &&
          json_node_get_string (node)[0] != '\0')
        return json_node_get_string (node);
    }

  return NULL;
}

/* What the answer's parse needs, handed to a worker thread: the message
 * itself stays on the caller's thread (libsoup is not thread-safe). */
typedef struct
{
  GBytes *bytes;
  guint   status;
} Answer;

static void
answer_free (Answer *answer)
{
  g_bytes_unref (answer->bytes);
  g_free (answer);
}

/* Parses an answer and completes @task with it; on either thread. */
static void
bourse_client_return_answer (GTask  *task,
                             GBytes *bytes,
                             guint   status)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = parse_json (bytes, &error);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      const char *text = problem_text (node);

      /* For bourse_client_request_json_finish_problem(): a 422's field errors. */
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        g_object_set_data_full (G_OBJECT (task), "bourse-problem",
                                json_node_ref (node), (GDestroyNotify) json_node_unref);

      g_task_return_new_error (task, BOURSE_CLIENT_ERROR, error_code_for_status (status),
                               "%s", text != NULL ? text : soup_status_get_phrase (status));
      return;
    }

  if (node == NULL)
    {
      g_task_return_new_error (task, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_PROTOCOL,
                               _("The server sent an invalid answer: %s"), error->message);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&node), (GDestroyNotify) json_node_unref);
}

static void
bourse_client_parse_thread (GTask        *task,
                            gpointer      source_object,
                            gpointer      task_data,
                            GCancellable *cancellable)
{
  Answer *answer = task_data;

  bourse_client_return_answer (task, answer->bytes, answer->status);
}

static void
bourse_client_request_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (object);
  g_autoptr(GTask) task = user_data;
  BourseClient *self = g_task_get_source_object (task);
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  Answer *answer;
  guint status;

  if (!(bytes = soup_session_send_and_read_finish (session, result, &error)))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_CONNECTION,
                                 _("%s is not reachable: %s"), self->base_url, error->message);
      return;
    }

  status = soup_message_get_status (message);

  /* A file the server hands out (a configuration export) comes whole, as
   * a JSON string, so that one finish function serves every answer. */
  if (SOUP_STATUS_IS_SUCCESSFUL (status) &&
      g_strcmp0 (soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL),
                 "text/plain") == 0)
    {
      g_autoptr(JsonNode) node = NULL;
      gsize len = 0;
      const char *data = g_bytes_get_data (bytes, &len);
      g_autofree char *text = g_strndup (data, len);

      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, text);
      g_task_return_pointer (task, g_steal_pointer (&node), (GDestroyNotify) json_node_unref);
      return;
    }

  /* A small answer parses in microseconds: a thread would cost more than it
   * saves. A big one (a chart's thousands of candles, a long list) takes
   * the main loop tens to hundreds of ms, every frame of which the window
   * could not draw (bench/desktop): it parses in a worker thread, and GTask
   * hands the result back on the caller's context as before. */
  if (g_bytes_get_size (bytes) < PARSE_IN_THREAD_ABOVE)
    {
      bourse_client_return_answer (task, bytes, status);
      return;
    }

  answer = g_new0 (Answer, 1);
  answer->bytes = g_steal_pointer (&bytes);
  answer->status = status;
  /* The message is not needed any more; the thread gets the answer instead. */
  g_task_set_task_data (task, answer, (GDestroyNotify) answer_free);
  /* Cancelled, the caller hears so at once; the parse runs out unheeded. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, bourse_client_parse_thread);
}

static void
bourse_client_send (BourseClient        *self,
                    const char          *method,
                    const char          *path,
                    const char          *content_type,
                    GBytes              *body,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessage *message;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_client_request_json_async);

  if (!(uri = bourse_client_resolve (self, path, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  message = soup_message_new_from_uri (method, uri);
  g_task_set_task_data (task, message, g_object_unref);

  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/json, application/problem+json");
  bourse_client_authorize (self, message);

  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, content_type, body);

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                                    bourse_client_request_cb, g_steal_pointer (&task));
}

void
bourse_client_request_json_async (BourseClient        *self,
                                  const char          *method,
                                  const char          *path,
                                  JsonNode            *body,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (BOURSE_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);

      bytes = g_bytes_new_take (text, strlen (text));
    }

  bourse_client_send (self, method, path, "application/json", bytes,
                      cancellable, callback, user_data);
}

void
bourse_client_request_bytes_async (BourseClient        *self,
                                   const char          *method,
                                   const char          *path,
                                   const char          *content_type,
                                   GBytes              *body,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (BOURSE_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (content_type != NULL);
  g_return_if_fail (body != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  bourse_client_send (self, method, path, content_type, body, cancellable, callback, user_data);
}

JsonNode *
bourse_client_request_json_finish (BourseClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonNode *
bourse_client_request_json_finish_problem (BourseClient  *self,
                                           GAsyncResult  *result,
                                           JsonNode     **problem,
                                           GError       **error)
{
  JsonNode *node;

  g_return_val_if_fail (BOURSE_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (problem != NULL)
    {
      JsonNode *body = g_object_get_data (G_OBJECT (result), "bourse-problem");

      *problem = body != NULL ? json_node_ref (body) : NULL;
    }

  node = g_task_propagate_pointer (G_TASK (result), error);

  if (node != NULL && problem != NULL)
    g_clear_pointer (problem, json_node_unref);

  return node;
}

void
bourse_client_get_json_async (BourseClient        *self,
                              const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  bourse_client_request_json_async (self, SOUP_METHOD_GET, path, NULL,
                                    cancellable, callback, user_data);
}

JsonNode *
bourse_client_get_json_finish (BourseClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return bourse_client_request_json_finish (self, result, error);
}

/* Permissions {{{ */

static void
bourse_client_permissions_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  BourseClient *self = BOURSE_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GStrvBuilder) permissions = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object_answer;
  JsonArray *list;
  const char *role;

  if ((answer = bourse_client_get_json_finish (self, result, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  object_answer = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  role = bourse_json_get_string (object_answer, "role");
  list = bourse_json_get_array (object_answer, "permissions");
  if (role == NULL || list == NULL)
    {
      g_task_return_new_error (task, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_PROTOCOL,
                               _("The server did not say what this account may do"));
      return;
    }

  permissions = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *element = json_array_get_element (list, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (permissions, json_node_get_string (element));
    }

  /* Only for the token that asked. */
  if (g_strcmp0 (g_task_get_task_data (task), self->token) == 0)
    {
      g_free (self->role);
      self->role = g_strdup (role);
      g_clear_pointer (&self->permissions, g_strfreev);
      self->permissions = g_strv_builder_end (permissions);
    }
  g_task_return_boolean (task, TRUE);
}

void
bourse_client_load_permissions_async (BourseClient        *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BOURSE_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_client_load_permissions_async);
  g_task_set_task_data (task, g_strdup (self->token), g_free);
  bourse_client_get_json_async (self, "/api/v1/permissions", cancellable, bourse_client_permissions_cb,
                                g_steal_pointer (&task));
}

gboolean
bourse_client_load_permissions_finish (BourseClient  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
bourse_client_get_role (BourseClient *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT (self), NULL);

  return self->role;
}

gboolean
bourse_client_has_permission (BourseClient *self,
                              const char   *permission)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (permission != NULL, FALSE);

  return self->permissions != NULL && g_strv_contains ((const char * const *) self->permissions, permission);
}

const char * const *
bourse_client_get_permissions (BourseClient *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT (self), NULL);

  return (const char * const *) self->permissions;
}

/* }}} */

/* WebSocket {{{ */

/* Hands @ws over to itself so the close handshake can finish after we
 * let go of it: dropping the last reference would cut the TCP connection. */
static void
release_websocket (SoupWebsocketConnection *ws)
{
  if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);

  if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_CLOSED)
    g_object_unref (ws);
  else
    g_signal_connect (ws, "closed", G_CALLBACK (g_object_unref), NULL);
}

static void
bourse_client_send_topics (BourseClient       *self,
                           const char         *type,
                           const char * const *topics)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  if (self->ws == NULL ||
      soup_websocket_connection_get_state (self->ws) != SOUP_WEBSOCKET_STATE_OPEN ||
      topics == NULL || topics[0] == NULL)
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "topics");
  json_builder_begin_array (builder);
  for (guint i = 0; topics[i] != NULL; i++)
    json_builder_add_string_value (builder, topics[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  soup_websocket_connection_send_text (self->ws, text);
}

/* The server's answer to a subscribe or an unsubscribe: from then on, its
 * topics' events come (or stop). */
static void
bourse_client_confirm_topics (BourseClient *self,
                              JsonObject   *envelope,
                              gboolean      subscribed)
{
  JsonNode *node = json_object_get_member (envelope, "topics");
  JsonArray *topics = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  JsonObject *seqs = NULL;

  node = json_object_get_member (envelope, "seq");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    seqs = json_node_get_object (node);

  for (guint i = 0; topics != NULL && i < json_array_get_length (topics); i++)
    {
      JsonNode *element = json_array_get_element (topics, i);
      const char *topic;
      JsonNode *seq_node;
      gint64 *seq;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        continue;
      topic = json_node_get_string (element);
      if (!subscribed)
        {
          g_hash_table_remove (self->confirmed, topic);
          continue;
        }

      /* A server without it: every event is news. */
      seq = g_new0 (gint64, 1);
      seq_node = seqs != NULL ? json_object_get_member (seqs, topic) : NULL;
      if (seq_node != NULL && json_node_get_value_type (seq_node) == G_TYPE_INT64)
        *seq = MAX (json_node_get_int (seq_node), 0);
      g_hash_table_insert (self->confirmed, g_strdup (topic), seq);
      g_signal_emit (self, signals[SUBSCRIBED], g_quark_from_string (topic), topic, *seq);
    }
}

/* Frames come from the network: no member is trusted to have its type. */
static const char *
get_string_member (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static void
bourse_client_dispatch_event (BourseClient *self,
                              JsonObject   *envelope)
{
  const char *topic = get_string_member (envelope, "topic");
  JsonNode *seq_node = json_object_get_member (envelope, "seq");
  JsonNode *data = json_object_get_member (envelope, "data");
  gint64 seq;
  gint64 *last;

  if (topic == NULL || data == NULL ||
      seq_node == NULL || json_node_get_value_type (seq_node) != G_TYPE_INT64)
    {
      g_debug ("Ignoring a malformed event");
      return;
    }

  seq = json_node_get_int (seq_node);

  /* Late events of a topic we just left. */
  if (!g_hash_table_contains (self->topics, topic))
    return;

  last = g_hash_table_lookup (self->last_seq, topic);
  if (last != NULL)
    {
      /* The latest event is sent again on every subscribe: nothing new. */
      if (seq == *last)
        return;

      /* A jump means events were missed (we were away); going back means
       * the server restarted. Either way, what we hold is stale. */
      if (seq != *last + 1)
        g_signal_emit (self, signals[RESYNC], g_quark_from_string (topic), topic);
    }
  else
    {
      last = g_new (gint64, 1);
      g_hash_table_insert (self->last_seq, g_strdup (topic), last);
    }
  *last = seq;

  g_signal_emit (self, signals[EVENT], g_quark_from_string (topic), topic, seq, data);
}

static void
bourse_client_ws_message_cb (BourseClient            *self,
                             SoupWebsocketDataType    type,
                             GBytes                  *bytes,
                             SoupWebsocketConnection *ws)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *envelope;
  const char *kind;
  gsize len = 0;
  const char *data;

  g_assert (BOURSE_IS_CLIENT (self));

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  data = g_bytes_get_data (bytes, &len);
  if ((root = bourse_json_parse (data, len, 0, &error)) == NULL)
    {
      g_debug ("Ignoring a frame that is not JSON: %s", error->message);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return;

  envelope = json_node_get_object (root);
  kind = get_string_member (envelope, "type");

  if (g_strcmp0 (kind, "event") == 0)
    bourse_client_dispatch_event (self, envelope);
  else if (g_strcmp0 (kind, "subscribed") == 0 || g_strcmp0 (kind, "unsubscribed") == 0)
    bourse_client_confirm_topics (self, envelope, g_str_equal (kind, "subscribed"));
  else if (g_strcmp0 (kind, "error") == 0)
    g_message ("The server reported: %s", get_string_member (envelope, "message") ?: "?");
  else
    g_debug ("WebSocket message of type “%s”", kind ?: "?");
}

static gboolean
bourse_client_reconnect_cb (gpointer user_data)
{
  BourseClient *self = user_data;

  g_assert (BOURSE_IS_CLIENT (self));

  g_clear_pointer (&self->reconnect_source, g_source_unref);
  bourse_client_start_connect (self);

  return G_SOURCE_REMOVE;
}

static void
bourse_client_schedule_reconnect (BourseClient *self)
{
  guint delay;

  g_assert (BOURSE_IS_CLIENT (self));

  if (self->reconnect_source != NULL)
    return;

  /* A little jitter, so that many clients do not all come back in step
   * after a server restart. */
  delay = self->backoff_ms + g_random_int_range (0, self->backoff_ms / 4 + 1);
  self->backoff_ms = MIN (self->backoff_ms * 2, BACKOFF_MAX_MS);

  g_debug ("Reconnecting in %u ms", delay);

  self->reconnect_source = g_timeout_source_new (delay);
  g_source_set_callback (self->reconnect_source, bourse_client_reconnect_cb, self, NULL);
  g_source_set_static_name (self->reconnect_source, "[bourse-client] reconnect");
  g_source_attach (self->reconnect_source, self->context);
}

static void
bourse_client_ws_closed_cb (BourseClient            *self,
                            SoupWebsocketConnection *ws)
{
  g_assert (BOURSE_IS_CLIENT (self));
  g_assert (ws == self->ws);

  g_debug ("WebSocket closed (%u %s)",
           soup_websocket_connection_get_close_code (ws),
           soup_websocket_connection_get_close_data (ws) ?: "");

  g_signal_handlers_disconnect_by_data (ws, self);
  g_clear_object (&self->ws);
  g_hash_table_remove_all (self->confirmed);

  if (g_get_monotonic_time () - self->connected_at_us > STABLE_AFTER_US)
    self->backoff_ms = BACKOFF_MIN_MS;

  bourse_client_set_connected (self, FALSE);

  if (self->want_connected)
    bourse_client_schedule_reconnect (self);
}

static void
bourse_client_complete_waiters (BourseClient *self,
                                const GError *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->connect_waiters);

  self->connect_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
bourse_client_ws_connect_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(BourseClient) self = user_data;
  g_autoptr(SoupWebsocketConnection) ws = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char **topics = NULL;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);

  /* bourse_client_close() already answered the waiters. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->ws_cancellable);

  if (ws == NULL)
    {
      guint status = self->ws_message ? soup_message_get_status (self->ws_message) : 0;
      g_autoptr(GError) wrapped = NULL;

      /* An answer that is not an upgrade (401, 404…) says more than
       * libsoup's "not a WebSocket". */
      if (status >= 300)
        wrapped = g_error_new (BOURSE_CLIENT_ERROR, error_code_for_status (status),
                               _("The server refused the live connection: %s"),
                               soup_status_get_phrase (status));
      else
        wrapped = g_error_new (BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_CONNECTION,
                               _("%s is not reachable: %s"),
                               self->base_url, error->message);
      g_clear_object (&self->ws_message);

      g_debug ("%s", wrapped->message);
      bourse_client_complete_waiters (self, wrapped);

      /* Once we have been connected, a lost server is expected to come
       * back; a first attempt that fails is the caller's to handle. */
      if (self->ever_connected && self->want_connected)
        bourse_client_schedule_reconnect (self);
      else
        self->want_connected = FALSE;
      return;
    }

  g_clear_object (&self->ws_message);

  if (!self->want_connected || self->ws != NULL)
    {
      release_websocket (g_steal_pointer (&ws));
      return;
    }

  soup_websocket_connection_set_max_incoming_payload_size (ws, MAX_INCOMING_PAYLOAD);
  soup_websocket_connection_set_keepalive_interval (ws, KEEPALIVE_INTERVAL_S);
  g_signal_connect_object (ws, "message", G_CALLBACK (bourse_client_ws_message_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ws, "closed", G_CALLBACK (bourse_client_ws_closed_cb),
                           self, G_CONNECT_SWAPPED);
  self->ws = g_steal_pointer (&ws);
  self->ever_connected = TRUE;
  self->connected_at_us = g_get_monotonic_time ();

  topics = (char **) g_hash_table_get_keys_as_array (self->topics, NULL);
  bourse_client_send_topics (self, "subscribe", (const char * const *) topics);

  bourse_client_set_connected (self, TRUE);
  bourse_client_complete_waiters (self, NULL);
}

static void
bourse_client_start_connect (BourseClient *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) http_uri = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *query = NULL;

  g_assert (BOURSE_IS_CLIENT (self));

  if (self->ws != NULL || self->ws_cancellable != NULL)
    return;

  bourse_client_clear_reconnect (self);

  if (!(http_uri = bourse_client_resolve (self, "api/v1/ws", &error)))
    {
      bourse_client_complete_waiters (self, error);
      self->want_connected = FALSE;
      return;
    }

  if (self->token != NULL && self->token[0] != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (self->token, NULL, FALSE);

      query = g_strconcat ("token=", escaped, NULL);
    }

  /* libsoup takes http(s) URIs for the handshake and speaks ws(s) itself. */
  uri = g_uri_build (g_uri_get_flags (http_uri),
                     g_uri_get_scheme (http_uri), NULL,
                     g_uri_get_host (http_uri), g_uri_get_port (http_uri),
                     g_uri_get_path (http_uri), query, NULL);
  message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  bourse_client_authorize (self, message);

  self->ws_cancellable = g_cancellable_new ();
  g_set_object (&self->ws_message, message);
  soup_session_websocket_connect_async (self->session, message, NULL, NULL,
                                        G_PRIORITY_DEFAULT, self->ws_cancellable,
                                        bourse_client_ws_connect_cb, g_object_ref (self));
}

void
bourse_client_connect_async (BourseClient        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BOURSE_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_client_connect_async);

  if (self->connected)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  self->want_connected = TRUE;
  g_ptr_array_add (self->connect_waiters, g_steal_pointer (&task));
  bourse_client_start_connect (self);
}

gboolean
bourse_client_connect_finish (BourseClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bourse_client_close (BourseClient *self)
{
  g_return_if_fail (BOURSE_IS_CLIENT (self));

  self->want_connected = FALSE;
  bourse_client_clear_reconnect (self);

  if (self->ws_cancellable != NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     _("The connection was closed"));

      g_cancellable_cancel (self->ws_cancellable);
      g_clear_object (&self->ws_cancellable);
      g_clear_object (&self->ws_message);
      bourse_client_complete_waiters (self, error);
    }

  /* "closed" follows once the server has answered, and clears self->ws. */
  if (self->ws != NULL &&
      soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
}

void
bourse_client_subscribe (BourseClient *self,
                         const char   *topic)
{
  guint count;

  g_return_if_fail (BOURSE_IS_CLIENT (self));
  g_return_if_fail (topic != NULL);

  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->topics, topic));
  g_hash_table_insert (self->topics, g_strdup (topic), GUINT_TO_POINTER (count + 1));

  if (count == 0)
    bourse_client_send_topics (self, "subscribe", (const char * const []) { topic, NULL });
}

void
bourse_client_unsubscribe (BourseClient *self,
                           const char   *topic)
{
  guint count;

  g_return_if_fail (BOURSE_IS_CLIENT (self));
  g_return_if_fail (topic != NULL);

  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->topics, topic));
  g_return_if_fail (count > 0);

  if (count > 1)
    {
      g_hash_table_insert (self->topics, g_strdup (topic), GUINT_TO_POINTER (count - 1));
      return;
    }

  g_hash_table_remove (self->topics, topic);
  g_hash_table_remove (self->last_seq, topic);
  g_hash_table_remove (self->confirmed, topic);
  bourse_client_send_topics (self, "unsubscribe", (const char * const []) { topic, NULL });
}

gboolean
bourse_client_is_subscribed (BourseClient *self,
                             const char   *topic)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (topic != NULL, FALSE);

  return self->connected && g_hash_table_contains (self->confirmed, topic);
}

/* The newest event of @topic known to be accounted for: the seq of the
 * server's "subscribed" answer, or of a later event since; -1 while the
 * subscription is not confirmed. */
gint64
bourse_client_get_topic_seq (BourseClient *self,
                             const char   *topic)
{
  gint64 *confirmed, *last;

  g_return_val_if_fail (BOURSE_IS_CLIENT (self), -1);
  g_return_val_if_fail (topic != NULL, -1);

  if (!self->connected || (confirmed = g_hash_table_lookup (self->confirmed, topic)) == NULL)
    return -1;
  last = g_hash_table_lookup (self->last_seq, topic);

  return last != NULL ? MAX (*last, *confirmed) : *confirmed;
}

/* }}} */

const char *
bourse_client_get_base_url (BourseClient *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT (self), NULL);

  return self->base_url;
}

const char *
bourse_client_get_token (BourseClient *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT (self), NULL);

  return self->token;
}

/* Applies to the next request and the next WebSocket connection. */
void
bourse_client_set_token (BourseClient *self,
                         const char   *token)
{
  g_return_if_fail (BOURSE_IS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;

  g_free (self->token);
  self->token = g_strdup (token);
  /* Someone else, perhaps: what they may do is asked again. */
  g_clear_pointer (&self->role, g_free);
  g_clear_pointer (&self->permissions, g_strfreev);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

gboolean
bourse_client_get_connected (BourseClient *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT (self), FALSE);

  return self->connected;
}

static void
bourse_client_set_base_url (BourseClient *self,
                            const char   *base_url)
{
  g_autoptr(GUri) uri = NULL;

  g_assert (self->base_url == NULL);

  uri = base_url != NULL ? g_uri_parse (base_url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;

  if (uri != NULL &&
      (g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 ||
       g_strcmp0 (g_uri_get_scheme (uri), "https") == 0) &&
      g_uri_get_host (uri) != NULL)
    {
      const char *path = g_uri_get_path (uri);
      g_autofree char *dir = g_str_has_suffix (path, "/") ? g_strdup (path)
                                                          : g_strconcat (path, "/", NULL);

      /* Without the trailing slash, relative paths would replace the last
       * segment instead of going under it. */
      self->base_uri = g_uri_build (g_uri_get_flags (uri), g_uri_get_scheme (uri), NULL,
                                    g_uri_get_host (uri), g_uri_get_port (uri),
                                    dir, NULL, NULL);
      self->base_url = g_uri_to_string (self->base_uri);
    }
  else
    {
      self->base_url = g_strdup (base_url ? base_url : "");
    }
}

static void
bourse_client_dispose (GObject *object)
{
  BourseClient *self = (BourseClient *)object;

  bourse_client_close (self);

  if (self->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->ws, self);
      release_websocket (g_steal_pointer (&self->ws));
    }

  g_clear_object (&self->ws_message);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (bourse_client_parent_class)->dispose (object);
}

static void
bourse_client_finalize (GObject *object)
{
  BourseClient *self = (BourseClient *)object;

  g_clear_pointer (&self->connect_waiters, g_ptr_array_unref);
  g_clear_pointer (&self->topics, g_hash_table_unref);
  g_clear_pointer (&self->confirmed, g_hash_table_unref);
  g_clear_pointer (&self->last_seq, g_hash_table_unref);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->role, g_free);
  g_clear_pointer (&self->permissions, g_strfreev);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (bourse_client_parent_class)->finalize (object);
}

static void
bourse_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BourseClient *self = BOURSE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;

    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BourseClient *self = BOURSE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      bourse_client_set_base_url (self, g_value_get_string (value));
      break;

    case PROP_TOKEN:
      bourse_client_set_token (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_client_class_init (BourseClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_client_dispose;
  object_class->finalize = bourse_client_finalize;
  object_class->get_property = bourse_client_get_property;
  object_class->set_property = bourse_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BourseClient::event:
   * @topic: the topic, also the signal's detail ("event::system")
   * @seq: the topic's sequence number
   * @data: (transfer none): the immutable event payload
   */
  signals[EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_INT64,
                  JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * BourseClient::subscribed:
   * @topic: the topic, also the signal's detail
   * @seq: the topic's latest seq when the server subscribed us: events up
   *   to it are in what a REST read made from now on returns
   *
   * The server confirmed a subscription (again, after a reconnection).
   */
  signals[SUBSCRIBED] =
    g_signal_new ("subscribed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_INT64);

  /**
   * BourseClient::resync:
   * @topic: the topic, also the signal's detail
   *
   * Events of @topic were missed: reload its state over REST.
   */
  signals[RESYNC] =
    g_signal_new ("resync",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
bourse_client_init (BourseClient *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->session = soup_session_new ();
  soup_session_set_user_agent (self->session, "Bourse/" PACKAGE_VERSION " ");
  soup_session_set_timeout (self->session, IO_TIMEOUT_S);
  self->connect_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->confirmed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->last_seq = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->backoff_ms = BACKOFF_MIN_MS;
}

BourseClient *
bourse_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (BOURSE_TYPE_CLIENT,
                       "base-url", base_url,
                       NULL);
}

/**
 * bourse_client_local_text:
 * @server_text: a text the server wrote for people, such as a strategy
 *   type's name or a parameter's title
 *
 * The server translates such texts in its own locale, which is not the
 * desktop's when boursed runs elsewhere (a daemon's is usually C). Those
 * that are this project's own strings (N_() and _() in src/strategy) are
 * looked up in the desktop's catalogue; a text the server already
 * translated, or a plugin's, is no msgid and comes back as it is.
 *
 * Returns: the text in the desktop's language where known
 */
const char *
bourse_client_local_text (const char *server_text)
{
  if (server_text == NULL || server_text[0] == '\0')
    return server_text;

  return g_dgettext (GETTEXT_PACKAGE, server_text);
}
