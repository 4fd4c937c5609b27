/* bourse-hub.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-hub"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <string.h>
#include <sys/socket.h>

#include "core/bourse-json.h"
#include "core/bourse-source.h"
#include "core/bourse-time.h"
#include "market/bourse-instruments.h"

#include "bourse-hub.h"

/* How often a client whose socket is full is looked at again. */
#define FLUSH_RETRY_MS 20

/* Credentials are checked again at once on every change made through this
 * engine ("credentials-changed"), and at this interval for changes made by
 * another process (boursed's command line on the same database). */
#define REAUTH_INTERVAL_S 5


typedef struct
{
  guint64  seq;
  char    *last_data;     /* serialised payload, to drop identical repeats */
  GBytes  *last_message;  /* the whole envelope, replayed on subscribe */
} Topic;

typedef struct
{
  BourseHub               *hub;
  SoupWebsocketConnection *connection;
  GSocket                 *socket;
  GHashTable              *topics;
  BoursePrincipal         *principal;   /* who opened it; principal->role is kept current */
  GQueue                   pending;
  guint                    flush_source;
  gboolean                 closing;
} Client;

struct _BourseHub
{
  GObject         parent_instance;

  BourseEventBus *bus;
  BourseMetrics  *metrics;
  BourseAuth     *auth;
  BourseStore    *store;
  guint           queue_limit;
  guint           max_topics;     /* per socket: a flood of topic names is refused */
  gulong          event_handler;
  gulong          credentials_handler;
  guint           reauth_source;
  GHashTable     *topics;   /* name → Topic */
  GHashTable     *followed;   /* name → how many clients follow it (GUINT_TO_POINTER) */
  GPtrArray      *clients;
};

enum {
  CLIENTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BourseHub, bourse_hub, G_TYPE_OBJECT)

/* Every plain topic, the permission that reads it (at subscription and
 * again at every event, against the subscriber's current role: the server
 * log and account alerts — sign-ups, password-reset requests — are for
 * administrators), and what the OpenAPI document says of it: its events'
 * schema (a component of src/server/openapi/) and a sentence.
 * ticker: and candles: topics need stream.subscribe. */
static const BourseTopicDoc topic_docs[] = {
  { "system",          "stream.subscribe",     "SystemEvent",
    "The engine's state, mode and connected clients, at each change" },
  { "signals",         "signals.read",         "SignalEvent",        "Each signal a model or an intake produced" },
  { "recommendations", "recommendations.read", "RecommendationEvent", "Each recommendation made or changed" },
  { "approvals",       "approvals.read",       "ApprovalEvent",      "Each approval requested or decided" },
  { "instruments",     "market.read",          "InstrumentEvent",
    "Each instrument created, changed or deleted" },
  { "strategies",      "strategies.read",      "StrategyEvent",
    "Each live strategy created, changed (a signal too) or deleted" },
  { "orders",          "orders.read",          "OrderEvent",         "Each order's change of state" },
  { "fills",           "orders.read",          "FillEvent",          "Each fill of an order" },
  { "trades",          "portfolio.read",       "TradeEvent",         "Each trade opened or closed" },
  { "positions",       "portfolio.read",       "PositionEvent",      "Each position's change" },
  { "portfolio",       "portfolio.read",       "PortfolioEvent",     "Equity and PnL, at each change" },
  { "balances",        "portfolio.read",       "BalanceEvent",       "Each balance's change" },
  { "risk",            "risk.read",            "RiskEvent",          "Limits, protections and the kill switch" },
  { "jobs",            "jobs.read",            "JobEvent",           "Each job's progress and end" },
  { "backtests",       "backtests.read",       "BacktestEvent",      "Each backtest's progress and end" },
  { "optimisations",   "backtests.read",       "OptimisationEvent",  "Each optimisation's progress and end" },
  { "config",          "config.read",          "ConfigEvent",        "Each change of the configuration" },
  { "alerts",          "users.read",           "AlertEvent",
    "Sign-ups, password-reset requests, reconciliations and other alerts for administrators" },
  { "logs",            "logs.read",            "LogEvent",           "The server's log lines, info and above" },
  { "audit",           "audit.read",           "AuditEvent",         "Each entry appended to the audit trail" },
  { "users",           "users.read",           "UserEvent",          "Each account signed up, approved, declined, re-roled, disabled or deleted" },
  /* Per user: published as "notifications:<user id>", delivered as
   * "notifications" to that user's sockets alone. */
  { "notifications",   "notifications.read",   "NotificationEvent",  "The signed-in user's own notifications" },
  /* With a symbol (and an interval): checked by bourse_hub_topic_is_valid (). */
  { "ticker:{symbol}",             "stream.subscribe", "TickerEvent", "An instrument's ticker, at each trade" },
  { "candles:{symbol}:{interval}", "stream.subscribe", "CandleEvent", "An instrument's candles as they form" },
};

#define N_PLAIN_TOPICS (G_N_ELEMENTS (topic_docs) - 2)

static const char *
topic_permission (const char *topic)
{
  for (guint i = 0; i < N_PLAIN_TOPICS; i++)
    if (g_str_equal (topic, topic_docs[i].topic))
      return topic_docs[i].permission;
  return "stream.subscribe";
}

static gboolean
symbol_is_valid (const char *symbol,
                 gsize       length)
{
  if (length < 2 || length > 20)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isupper (symbol[i]) && !g_ascii_isdigit (symbol[i]))
      return FALSE;
  return TRUE;
}

const char * const *
bourse_hub_get_plain_topics (void)
{
  static const char **names = NULL;

  if (g_once_init_enter (&names))
    {
      const char **list = g_new0 (const char *, N_PLAIN_TOPICS + 1);

      for (guint i = 0; i < N_PLAIN_TOPICS; i++)
        list[i] = topic_docs[i].topic;
      g_once_init_leave (&names, list);
    }
  return names;
}

const BourseTopicDoc *
bourse_hub_get_topic_docs (guint *n_docs)
{
  *n_docs = G_N_ELEMENTS (topic_docs);
  return topic_docs;
}

gboolean
bourse_hub_topic_is_valid (const char *topic)
{
  const char *colon;

  if (topic == NULL)
    return FALSE;
  if (g_strv_contains (bourse_hub_get_plain_topics (), topic))
    return TRUE;

  if (g_str_has_prefix (topic, "ticker:"))
    return symbol_is_valid (topic + 7, strlen (topic + 7));

  if (g_str_has_prefix (topic, "candles:") && (colon = strchr (topic + 8, ':')) != NULL)
    {
      BourseInterval interval;

      return symbol_is_valid (topic + 8, colon - (topic + 8))
          && bourse_interval_parse (colon + 1, &interval, NULL);
    }

  return FALSE;
}

static void
topic_free (gpointer data)
{
  Topic *topic = data;

  g_free (topic->last_data);
  g_clear_pointer (&topic->last_message, g_bytes_unref);
  g_free (topic);
}

/* Counts of followers, so that a producer with nobody listening (the
 * logs topic, fed one entry per request) skips building its events. */
static void
followed_add (BourseHub  *self,
              const char *name)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->followed, name));

  g_hash_table_replace (self->followed, g_strdup (name), GUINT_TO_POINTER (n + 1));
}

static void
followed_remove (BourseHub  *self,
                 const char *name)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->followed, name));

  if (n <= 1)
    g_hash_table_remove (self->followed, name);
  else
    g_hash_table_replace (self->followed, g_strdup (name), GUINT_TO_POINTER (n - 1));
}

static void
client_free (Client *client)
{
  GHashTableIter iter;
  const char *name;

  if (client->hub->followed != NULL)
    {
      g_hash_table_iter_init (&iter, client->topics);
      while (g_hash_table_iter_next (&iter, (gpointer *)&name, NULL))
        followed_remove (client->hub, name);
    }
  g_clear_handle_id (&client->flush_source, bourse_source_remove);
  g_queue_clear_full (&client->pending, (GDestroyNotify)g_bytes_unref);
  g_signal_handlers_disconnect_by_data (client->connection, client);
  g_clear_object (&client->connection);
  g_clear_object (&client->socket);
  g_clear_pointer (&client->topics, g_hash_table_unref);
  g_clear_pointer (&client->principal, bourse_principal_free);
  g_free (client);
}

/* Bytes the kernel still holds for the peer. Frames are handed to libsoup
 * only while this is low, so libsoup's own (unbounded) queue stays empty and
 * the bounded queue here is the only place a slow client's backlog grows. */
static gboolean
client_socket_has_room (Client *client)
{
  int fd = g_socket_get_fd (client->socket);
  int unsent = 0;
  int sndbuf = 0;
  socklen_t len = sizeof sndbuf;

  if (ioctl (fd, SIOCOUTQ, &unsent) != 0
      || getsockopt (fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &len) != 0)
    return TRUE;

  return unsent < sndbuf / 2;
}

static void client_flush (Client *client);

static gboolean
client_flush_cb (gpointer data)
{
  Client *client = data;

  client->flush_source = 0;
  client_flush (client);
  return G_SOURCE_REMOVE;
}

static void
client_flush (Client *client)
{
  if (soup_websocket_connection_get_state (client->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  while (!g_queue_is_empty (&client->pending) && client_socket_has_room (client))
    {
      g_autoptr(GBytes) message = g_queue_pop_head (&client->pending);

      soup_websocket_connection_send_text (client->connection, g_bytes_get_data (message, NULL));
      bourse_metrics_count_websocket_message (client->hub->metrics, TRUE);
    }

  if (!g_queue_is_empty (&client->pending) && client->flush_source == 0)
    client->flush_source = bourse_timeout_add (FLUSH_RETRY_MS, client_flush_cb, client);
}

static void
client_close (Client     *client,
              gushort     code,
              const char *reason)
{
  if (client->closing)
    return;

  client->closing = TRUE;
  g_clear_handle_id (&client->flush_source, bourse_source_remove);
  g_queue_clear_full (&client->pending, (GDestroyNotify)g_bytes_unref);

  if (soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->connection, code, reason);
}

static void
client_enqueue (Client *client,
                GBytes *message)
{
  if (client->closing)
    return;

  if (g_queue_get_length (&client->pending) >= client->hub->queue_limit)
    {
      g_autofree char *reason =
        g_strdup_printf ("client too slow: %u messages waiting", client->hub->queue_limit);

      g_message ("Closing WebSocket client %p: %s", client, reason);
      bourse_metrics_count_websocket_slow_close (client->hub->metrics);
      client_close (client, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, reason);
      return;
    }

  g_queue_push_tail (&client->pending, g_bytes_ref (message));
  client_flush (client);
}

static GBytes *
serialize (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize length;
  char *text = bourse_json_to_string (root, &length);

  /* Keep the NUL: frames are sent as C strings. */
  return g_bytes_new_take (text, length + 1);
}

static void
client_reply (Client      *client,
              JsonBuilder *builder)
{
  g_autoptr(GBytes) message = serialize (builder);

  client_enqueue (client, message);
}

static void
client_reply_error (Client     *client,
                    const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "error");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  client_reply (client, builder);
}

/* ticker:<SYMBOL> and candles:<SYMBOL>:<interval> only for instruments
 * that exist. */
static gboolean
client_instrument_exists (Client     *client,
                          const char *topic)
{
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autofree char *symbol = NULL;
  const char *start, *end;

  if (client->hub->store == NULL)
    return TRUE;
  if (g_str_has_prefix (topic, "ticker:"))
    start = topic + 7;
  else if (g_str_has_prefix (topic, "candles:"))
    start = topic + 8;
  else
    return TRUE;

  end = strchr (start, ':');
  symbol = end ? g_strndup (start, end - start) : g_strdup (start);
  instrument = bourse_instruments_find (client->hub->store, symbol, NULL);
  return instrument != NULL;
}

static void
client_handle_subscription (Client    *client,
                            JsonArray *topics,
                            gboolean   subscribe)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) replays = g_ptr_array_new ();
  guint n = json_array_get_length (topics);

  /* Validate everything first: a request is applied whole or not at all. */
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (topics, i);
      const char *name = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;

      if (!bourse_hub_topic_is_valid (name))
        {
          g_autofree char *message =
            g_strdup_printf (_("Unknown topic “%s”"), name ? name : "(not a string)");
          client_reply_error (client, message);
          return;
        }
      if (subscribe && !bourse_role_has_permission (client->principal->role, topic_permission (name)))
        {
          g_autofree char *message = g_strdup_printf (_("The topic “%s” is for administrators"), name);
          client_reply_error (client, message);
          return;
        }
      if (subscribe && !client_instrument_exists (client, name))
        {
          g_autofree char *message = g_strdup_printf (_("No instrument for the topic “%s”"), name);
          client_reply_error (client, message);
          return;
        }
    }

  if (subscribe && g_hash_table_size (client->topics) + n > client->hub->max_topics)
    {
      g_autofree char *limit = g_strdup_printf ("%u", client->hub->max_topics);
      g_autofree char *message = g_strdup_printf (_("A connection may follow at most %s topics"), limit);
      client_reply_error (client, message);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, subscribe ? "subscribed" : "unsubscribed");
  json_builder_set_member_name (builder, "topics");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      const char *name = json_array_get_string_element (topics, i);

      if (subscribe)
        {
          Topic *topic = g_hash_table_lookup (client->hub->topics, name);

          if (g_hash_table_add (client->topics, g_strdup (name)))
            {
              followed_add (client->hub, name);
              if (topic && topic->last_message)
                g_ptr_array_add (replays, topic->last_message);
            }
        }
      else if (g_hash_table_remove (client->topics, name))
        followed_remove (client->hub, name);
      json_builder_add_string_value (builder, name);
    }
  json_builder_end_array (builder);

  /* Each topic's latest seq as of now: a list read over REST after this
   * answer holds every change up to it, so a client can tell the replay
   * (and anything older) from news. */
  if (subscribe)
    {
      json_builder_set_member_name (builder, "seq");
      json_builder_begin_object (builder);
      for (guint i = 0; i < n; i++)
        {
          const char *name = json_array_get_string_element (topics, i);
          Topic *topic = g_hash_table_lookup (client->hub->topics, name);

          json_builder_set_member_name (builder, name);
          json_builder_add_int_value (builder, topic != NULL ? (gint64) topic->seq : 0);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  client_reply (client, builder);

  /* The latest event of each new topic, so a client starts from the current state. */
  for (guint i = 0; i < replays->len; i++)
    client_enqueue (client, g_ptr_array_index (replays, i));
}

static void
client_message_cb (SoupWebsocketConnection *connection,
                   int                      type,
                   GBytes                  *message,
                   Client                  *client)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *kind;
  gsize length;
  const char *data = g_bytes_get_data (message, &length);

  bourse_metrics_count_websocket_message (client->hub->metrics, FALSE);

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    root = bourse_json_parse (data, length, 0, &error);

  /* A text nested beyond any message of ours is an attack, not a typo. */
  if (g_error_matches (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_TOO_DEEP))
    {
      client_close (client, SOUP_WEBSOCKET_CLOSE_TOO_BIG, "message nested too deeply");
      return;
    }
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      client_reply_error (client, _("Messages must be JSON objects"));
      return;
    }

  object = json_node_get_object (root);
  kind = bourse_json_get_string (object, "type");

  if (g_strcmp0 (kind, "subscribe") == 0 || g_strcmp0 (kind, "unsubscribe") == 0)
    {
      JsonNode *topics = json_object_get_member (object, "topics");

      if (topics == NULL || !JSON_NODE_HOLDS_ARRAY (topics))
        client_reply_error (client, _("“topics” must be an array of topic names"));
      else
        client_handle_subscription (client, json_node_get_array (topics),
                                    g_str_equal (kind, "subscribe"));
    }
  else if (g_strcmp0 (kind, "ping") == 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "pong");
      json_builder_end_object (builder);
      client_reply (client, builder);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Unknown message type “%s”"), kind ? kind : "");
      client_reply_error (client, text);
    }
}

static void
client_closed_cb (SoupWebsocketConnection *connection,
                  Client                  *client)
{
  BourseHub *self = client->hub;

  g_debug ("WebSocket client %p closed (%u)", client, soup_websocket_connection_get_close_code (connection));
  g_ptr_array_remove (self->clients, client);
  bourse_metrics_set_websocket_clients (self->metrics, self->clients->len);
  g_signal_emit (self, signals[CLIENTS_CHANGED], 0);
}

void
bourse_hub_add_client (BourseHub               *self,
                       SoupWebsocketConnection *connection,
                       GSocket                 *socket,
                       const BoursePrincipal   *principal)
{
  Client *client;

  g_return_if_fail (BOURSE_IS_HUB (self));
  g_return_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection));
  g_return_if_fail (G_IS_SOCKET (socket));
  g_return_if_fail (principal != NULL);

  client = g_new0 (Client, 1);
  client->hub = self;
  client->connection = g_object_ref (connection);
  client->socket = g_object_ref (socket);
  client->principal = g_new0 (BoursePrincipal, 1);
  client->principal->actor = g_strdup (principal->actor);
  client->principal->user_id = principal->user_id;
  client->principal->role = principal->role;
  client->principal->session_id = principal->session_id;
  client->principal->api_key_id = principal->api_key_id;
  client->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&client->pending);

  g_signal_connect (connection, "message", G_CALLBACK (client_message_cb), client);
  g_signal_connect (connection, "closed", G_CALLBACK (client_closed_cb), client);

  g_ptr_array_add (self->clients, client);
  bourse_metrics_set_websocket_clients (self->metrics, self->clients->len);
  g_signal_emit (self, signals[CLIENTS_CHANGED], 0);
}

gboolean
bourse_hub_is_followed (BourseHub  *self,
                        const char *topic)
{
  g_return_val_if_fail (BOURSE_IS_HUB (self), FALSE);

  return g_hash_table_contains (self->followed, topic);
}

void
bourse_hub_publish (BourseHub  *self,
                    const char *topic_name,
                    JsonNode   *data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autofree char *serialized = NULL;
  g_autofree char *ts = NULL;
  const char *shown = topic_name;   /* the name subscribers know */
  gint64 only_user = -1;
  Topic *topic;

  g_return_if_fail (BOURSE_IS_HUB (self));
  g_return_if_fail (topic_name != NULL && data != NULL);

  /* A user's own topic: seen as "notifications", by that user alone. */
  if (g_str_has_prefix (topic_name, "notifications:"))
    {
      if (!g_ascii_string_to_signed (topic_name + strlen ("notifications:"), 10, 0, G_MAXINT64, &only_user, NULL))
        return;
      shown = "notifications";
    }

  if ((topic = g_hash_table_lookup (self->topics, topic_name)) == NULL)
    {
      topic = g_new0 (Topic, 1);
      g_hash_table_insert (self->topics, g_strdup (topic_name), topic);
    }

  serialized = json_to_string (data, FALSE);
  if (g_strcmp0 (serialized, topic->last_data) == 0)
    return;

  topic->seq++;
  g_free (topic->last_data);
  topic->last_data = g_steal_pointer (&serialized);

  ts = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "event");
  json_builder_set_member_name (builder, "topic");
  json_builder_add_string_value (builder, shown);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, topic->seq);
  json_builder_set_member_name (builder, "ts");
  json_builder_add_string_value (builder, ts);
  json_builder_set_member_name (builder, "data");
  json_builder_add_value (builder, json_node_copy (data));
  json_builder_end_object (builder);

  message = serialize (builder);
  g_clear_pointer (&topic->last_message, g_bytes_unref);
  /* State topics replay their latest event to new subscribers; alerts are
   * one-off notices about people and are never kept. */
  if (!g_str_equal (topic_name, "alerts") && only_user < 0)
    topic->last_message = g_bytes_ref (message);

  /* Closing a slow client here only starts the close handshake; it leaves
   * the array when libsoup reports "closed", so indices stay valid. */
  for (guint i = 0; i < self->clients->len; i++)
    {
      Client *client = g_ptr_array_index (self->clients, i);

      /* The role is current (see reauthorize): a demoted subscriber's
       * topics were dropped, and this check holds whatever else changes. */
      if (g_hash_table_contains (client->topics, shown)
          && bourse_role_has_permission (client->principal->role, topic_permission (shown))
          && (only_user < 0 || client->principal->user_id == only_user))
        client_enqueue (client, message);
    }
}

static void
bus_event_cb (BourseEventBus *bus,
              const char     *topic,
              JsonNode       *data,
              BourseHub      *self)
{
  bourse_hub_publish (self, topic, data);
}

void
bourse_hub_set_max_topics (BourseHub *self,
                           guint      max_topics)
{
  g_return_if_fail (BOURSE_IS_HUB (self));

  self->max_topics = MAX (max_topics, 1);
}

guint
bourse_hub_get_n_clients (BourseHub *self)
{
  g_return_val_if_fail (BOURSE_IS_HUB (self), 0);

  return self->clients->len;
}

/* Checks one client's credential again: closes the socket when it no
 * longer holds, and on a role change drops the topics the new role may not
 * see, telling the client which. */
static void
client_reauthorize (Client *client)
{
  BourseHub *self = client->hub;
  g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) builder = NULL;
  GHashTableIter iter;
  const char *name;
  BourseRole role;

  if (client->closing || self->auth == NULL)
    return;

  if (!bourse_auth_recheck_principal (self->auth, client->principal, &role))
    {
      g_message ("Closing WebSocket client %p: its credentials no longer hold", client);
      client_close (client, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                    client->principal->api_key_id > 0 ? "API key no longer valid" : "session ended");
      return;
    }
  if (role == client->principal->role)
    return;

  client->principal->role = role;
  g_hash_table_iter_init (&iter, client->topics);
  while (g_hash_table_iter_next (&iter, (gpointer *)&name, NULL))
    if (!bourse_role_has_permission (role, topic_permission (name)))
      {
        g_ptr_array_add (dropped, g_strdup (name));
        followed_remove (self, name);
        g_hash_table_iter_remove (&iter);
      }
  if (dropped->len == 0)
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "unsubscribed");
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, "permission");
  json_builder_set_member_name (builder, "topics");
  json_builder_begin_array (builder);
  for (guint i = 0; i < dropped->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (dropped, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  client_reply (client, builder);
}

void
bourse_hub_reauthorize (BourseHub *self)
{
  g_return_if_fail (BOURSE_IS_HUB (self));

  /* Closing only starts the handshake: clients leave the array later. */
  for (guint i = 0; i < self->clients->len; i++)
    client_reauthorize (g_ptr_array_index (self->clients, i));
}

static gboolean
reauth_tick_cb (gpointer data)
{
  bourse_hub_reauthorize (data);
  return G_SOURCE_CONTINUE;
}

void
bourse_hub_close_all (BourseHub  *self,
                      gushort     code,
                      const char *reason)
{
  g_return_if_fail (BOURSE_IS_HUB (self));

  for (guint i = 0; i < self->clients->len; i++)
    client_close (g_ptr_array_index (self->clients, i), code, reason);
}

static void
bourse_hub_dispose (GObject *object)
{
  BourseHub *self = (BourseHub *)object;

  g_clear_signal_handler (&self->event_handler, self->bus);
  g_clear_object (&self->bus);
  g_clear_handle_id (&self->reauth_source, bourse_source_remove);
  if (self->auth != NULL)
    g_clear_signal_handler (&self->credentials_handler, self->auth);
  g_clear_object (&self->auth);
  g_clear_object (&self->store);
  if (self->clients != NULL)
    g_ptr_array_set_size (self->clients, 0);

  G_OBJECT_CLASS (bourse_hub_parent_class)->dispose (object);
}

static void
bourse_hub_finalize (GObject *object)
{
  BourseHub *self = (BourseHub *)object;

  g_clear_pointer (&self->clients, g_ptr_array_unref);
  g_clear_pointer (&self->topics, g_hash_table_unref);
  g_clear_pointer (&self->followed, g_hash_table_unref);

  G_OBJECT_CLASS (bourse_hub_parent_class)->finalize (object);
}

static void
bourse_hub_class_init (BourseHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_hub_dispose;
  object_class->finalize = bourse_hub_finalize;

  signals[CLIENTS_CHANGED] =
    g_signal_new ("clients-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
bourse_hub_init (BourseHub *self)
{
  self->topics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, topic_free);
  self->followed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->clients = g_ptr_array_new_with_free_func ((GDestroyNotify)client_free);
}

BourseHub *
bourse_hub_new (BourseEventBus *bus,
                BourseMetrics  *metrics,
                guint           queue_limit,
                BourseAuth     *auth,
                BourseStore    *store)
{
  BourseHub *self;

  g_return_val_if_fail (BOURSE_IS_EVENT_BUS (bus), NULL);
  g_return_val_if_fail (metrics != NULL, NULL);

  self = g_object_new (BOURSE_TYPE_HUB, NULL);
  self->bus = g_object_ref (bus);
  self->metrics = metrics;
  self->queue_limit = MAX (queue_limit, 1);
  self->max_topics = 256;
  self->event_handler = g_signal_connect (bus, "event", G_CALLBACK (bus_event_cb), self);
  if (store != NULL)
    self->store = g_object_ref (store);
  if (auth != NULL)
    {
      self->auth = g_object_ref (auth);
      self->credentials_handler = g_signal_connect_swapped (auth, "credentials-changed",
                                                            G_CALLBACK (bourse_hub_reauthorize), self);
      self->reauth_source = bourse_timeout_add_seconds (REAUTH_INTERVAL_S, reauth_tick_cb, self);
    }
  return self;
}
