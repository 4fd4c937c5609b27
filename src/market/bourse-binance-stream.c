/* bourse-binance-stream.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "core/bourse-json.h"
#include "core/bourse-source.h"

#include "bourse-binance-stream.h"

/* Seconds between our own pings: they keep NAT and proxies from dropping a
 * quiet connection and make a dead peer show as a write error. libsoup
 * answers Binance's pings by itself. */
#define KEEPALIVE_S 30

struct _BourseBinanceStream
{
  GObject                   parent_instance;

  GMainContext             *context;
  SoupSession              *session;
  char                     *stream_url;     /* without a trailing slash */
  guint                     lifetime_s;
  guint                     idle_timeout_s;
  guint                     connect_timeout_s;
  guint                     retry_base_ms;
  guint                     retry_max_ms;

  GPtrArray                *streams;        /* "btcusdt@kline_1m" */
  BourseBinanceStreamState  state;
  SoupWebsocketConnection  *connection;     /* the live one */
  GCancellable             *connecting;     /* the handshake under way, if any */
  gboolean                  renewing;       /* the handshake replaces a live connection */
  GSource                  *retry_source;
  GSource                  *renew_source;
  GSource                  *idle_source;
  GSource                  *connect_timeout_source;
  guint                     attempt;        /* failures since the last good message */
  guint                     n_connections;
  char                     *last_error;
  char                     *connection_error; /* reported by the live connection */
};

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

enum {
  KLINE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BourseBinanceStream, bourse_binance_stream, G_TYPE_OBJECT)

static void connect_now (BourseBinanceStream *self);

static void
set_state (BourseBinanceStream      *self,
           BourseBinanceStreamState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_info ("Binance stream %s", bourse_binance_stream_state_to_string (state));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_error (BourseBinanceStream *self,
                const char          *message)
{
  char *copy = g_strdup (message);

  g_free (self->last_error);
  self->last_error = copy;
}

/* Forgets a connection: no more of its events reach us. */
static void
drop_connection (BourseBinanceStream     *self,
                 SoupWebsocketConnection *connection)
{
  if (self != NULL)
    g_signal_handlers_disconnect_by_data (connection, self);
  if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_object_unref (connection);
}

static void
cancel_connecting (BourseBinanceStream *self)
{
  bourse_source_clear (&self->connect_timeout_source);
  if (self->connecting != NULL)
    {
      /* Cleared first: the handshake's callback sees it is not current. */
      g_autoptr(GCancellable) cancellable = g_steal_pointer (&self->connecting);

      g_cancellable_cancel (cancellable);
    }
}

static guint
backoff_ms (BourseBinanceStream *self)
{
  return bourse_backoff_ms (self->retry_base_ms, self->retry_max_ms, self->attempt);
}

static gboolean
retry_cb (gpointer data)
{
  BourseBinanceStream *self = data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  connect_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (BourseBinanceStream *self)
{
  guint delay;

  bourse_source_clear (&self->retry_source);
  bourse_source_clear (&self->renew_source);
  bourse_source_clear (&self->idle_source);
  set_state (self, BOURSE_BINANCE_STREAM_RECONNECTING);
  if (self->connecting != NULL)
    return;   /* a renewal under way becomes the reconnect */

  self->attempt++;
  delay = backoff_ms (self);
  g_info ("Binance stream: reconnecting in %u ms (%s)", delay, self->last_error ? self->last_error : "");
  self->retry_source = bourse_timeout_source_attach (self->context, delay, retry_cb, self);
}

static void
lose_connection (BourseBinanceStream *self,
                 const char          *why)
{
  set_last_error (self, why);
  if (self->connection != NULL)
    drop_connection (self, g_steal_pointer (&self->connection));
  schedule_reconnect (self);
}

/* Messages {{{ */

static gboolean
decimal_member (JsonObject    *object,
                const char    *name,
                BourseDecimal *value)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
      && bourse_decimal_parse (json_node_get_string (node), value, NULL);
}

static gboolean
int_member (JsonObject *object,
            const char *name,
            gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

/* {"stream":"bnbbtc@kline_1m","data":{"e":"kline",…,"k":{…}}}, or the bare
 * event of a raw stream. Anything else is ignored. */
static void
handle_message (BourseBinanceStream *self,
                GBytes              *message)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *symbol = NULL;
  BourseCandle candle = { 0 };
  BourseInterval interval;
  JsonObject *data, *k;
  JsonNode *node;
  gsize length;
  const char *text = g_bytes_get_data (message, &length);
  gint64 close_time;

  if (text == NULL || (root = bourse_json_parse (text, length, 0, NULL)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("Binance stream: ignoring a message that is not a JSON object");
      return;
    }
  data = json_node_get_object (root);
  if ((node = json_object_get_member (data, "data")) != NULL && JSON_NODE_HOLDS_OBJECT (node))
    data = json_node_get_object (node);
  if (g_strcmp0 (bourse_json_get_string (data, "e"), "kline") != 0
      || (node = json_object_get_member (data, "k")) == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_debug ("Binance stream: ignoring an event that is not a kline");
      return;
    }
  k = json_node_get_object (node);

  if (!int_member (k, "t", &candle.open_time)
      || !int_member (k, "T", &close_time)
      || bourse_json_get_string (k, "i") == NULL
      || !bourse_interval_parse (bourse_json_get_string (k, "i"), &interval, NULL)
      || !decimal_member (k, "o", &candle.open)
      || !decimal_member (k, "h", &candle.high)
      || !decimal_member (k, "l", &candle.low)
      || !decimal_member (k, "c", &candle.close)
      || !decimal_member (k, "v", &candle.volume)
      || !int_member (k, "n", &candle.trades)
      || (node = json_object_get_member (k, "x")) == NULL
      || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN
      || !bourse_candle_validate (&candle, interval, NULL)
      || close_time != bourse_interval_next (interval, candle.open_time) - 1)
    {
      g_debug ("Binance stream: ignoring a malformed kline");
      return;
    }
  candle.closed = json_node_get_boolean (node);
  symbol = g_ascii_strup (bourse_json_get_string (k, "s") != NULL ? bourse_json_get_string (k, "s") : "", -1);
  if (symbol[0] == '\0')
    return;

  g_signal_emit (self, signals[KLINE], 0, symbol, (int)interval, &candle);
}

static gboolean
idle_timeout_cb (gpointer data)
{
  BourseBinanceStream *self = data;
  g_autofree char *why = g_strdup_printf (_("No message from the Binance stream for %u s"), self->idle_timeout_s);

  g_clear_pointer (&self->idle_source, g_source_unref);
  lose_connection (self, why);
  return G_SOURCE_REMOVE;
}

static void
restart_idle_timer (BourseBinanceStream *self)
{
  bourse_source_clear (&self->idle_source);
  if (self->idle_timeout_s > 0)
    self->idle_source = bourse_timeout_source_attach (self->context, self->idle_timeout_s * 1000,
                                                      idle_timeout_cb, self);
}

static void
message_cb (SoupWebsocketConnection *connection,
            int                      type,
            GBytes                  *message,
            BourseBinanceStream     *self)
{
  /* A message proves the connection: the next failure starts the back-off over. */
  self->attempt = 0;
  restart_idle_timer (self);
  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    handle_message (self, message);
}

static void
error_cb (SoupWebsocketConnection *connection,
          GError                  *error,
          BourseBinanceStream     *self)
{
  g_free (self->connection_error);
  self->connection_error = g_strdup (error->message);
}

static void
closed_cb (SoupWebsocketConnection *connection,
           BourseBinanceStream     *self)
{
  g_autofree char *why = NULL;

  if (connection != self->connection)
    return;

  why = g_strdup_printf (_("The Binance stream closed (code %u%s%s)"),
                         soup_websocket_connection_get_close_code (connection),
                         soup_websocket_connection_get_close_data (connection) ? ": " : "",
                         soup_websocket_connection_get_close_data (connection)
                           ? soup_websocket_connection_get_close_data (connection) : "");
  g_info ("%s", why);
  /* An error reported on this connection says more than the close code. */
  if (self->connection_error != NULL)
    lose_connection (self, self->connection_error);
  else
    lose_connection (self, why);
}

/* }}} */

/* Connecting {{{ */

static gboolean
renew_cb (gpointer data)
{
  BourseBinanceStream *self = data;

  g_clear_pointer (&self->renew_source, g_source_unref);
  /* Make before break: the old connection carries on until the new one is
   * up, so no closing kline is missed at the 24-hour cut. */
  if (self->connection != NULL && self->connecting == NULL)
    {
      g_info ("Binance stream: renewing the connection");
      connect_now (self);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
connect_timeout_cb (gpointer data)
{
  BourseBinanceStream *self = data;

  g_clear_pointer (&self->connect_timeout_source, g_source_unref);
  /* Cancelled but still current: the callback reports it as a failure. */
  if (self->connecting != NULL)
    g_cancellable_cancel (self->connecting);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  GWeakRef      stream;
  GCancellable *cancellable;
} Handshake;

static void
handshake_free (Handshake *handshake)
{
  g_weak_ref_clear (&handshake->stream);
  g_clear_object (&handshake->cancellable);
  g_free (handshake);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Handshake, handshake_free)

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Handshake) handshake = user_data;
  g_autoptr(BourseBinanceStream) self = g_weak_ref_get (&handshake->stream);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;
  gboolean renewing;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (self == NULL || self->connecting != handshake->cancellable)
    {
      /* Stopped, or superseded by a newer handshake. */
      if (connection != NULL)
        drop_connection (self, connection);
      return;
    }

  bourse_source_clear (&self->connect_timeout_source);
  g_clear_object (&self->connecting);
  renewing = self->renewing;
  self->renewing = FALSE;

  if (connection == NULL)
    {
      g_autofree char *why = g_strdup_printf (_("Cannot connect to the Binance stream: %s"),
                                              g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                                ? _("no answer in time") : error->message);

      set_last_error (self, why);
      g_info ("%s", why);
      if (renewing && self->connection != NULL)
        {
          /* The old connection still works: try the renewal again later. */
          self->attempt++;
          self->renew_source = bourse_timeout_source_attach (self->context, backoff_ms (self),
                                                             renew_cb, self);
        }
      else
        schedule_reconnect (self);
      return;
    }

  if (self->connection != NULL)
    drop_connection (self, g_steal_pointer (&self->connection));
  self->connection = connection;
  g_clear_pointer (&self->connection_error, g_free);
  soup_websocket_connection_set_keepalive_interval (connection, KEEPALIVE_S);
  g_signal_connect (connection, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (connection, "error", G_CALLBACK (error_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), self);

  bourse_source_clear (&self->retry_source);
  bourse_source_clear (&self->renew_source);
  self->renew_source = bourse_timeout_source_attach (self->context, self->lifetime_s * 1000, renew_cb, self);
  restart_idle_timer (self);
  set_state (self, BOURSE_BINANCE_STREAM_CONNECTED);
}

static void
connect_now (BourseBinanceStream *self)
{
  g_autofree char *url = bourse_binance_stream_dup_url (self);
  g_autoptr(SoupMessage) message = NULL;
  Handshake *handshake;

  if (url == NULL)
    return;   /* nothing to stream yet: bourse_binance_stream_add connects */

  cancel_connecting (self);
  if ((message = soup_message_new (SOUP_METHOD_GET, url)) == NULL)
    {
      g_autofree char *why = g_strdup_printf (_("Cannot connect to the Binance stream: %s is not a valid URL"), url);

      set_last_error (self, why);
      schedule_reconnect (self);
      return;
    }

  self->connecting = g_cancellable_new ();
  self->renewing = self->connection != NULL;
  self->n_connections++;
  handshake = g_new0 (Handshake, 1);
  g_weak_ref_init (&handshake->stream, self);
  handshake->cancellable = g_object_ref (self->connecting);
  self->connect_timeout_source = bourse_timeout_source_attach (self->context, self->connect_timeout_s * 1000,
                                                               connect_timeout_cb, self);
  soup_session_websocket_connect_async (self->session, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->connecting, connected_cb, handshake);
}

/* }}} */

static void
bourse_binance_stream_dispose (GObject *object)
{
  BourseBinanceStream *self = (BourseBinanceStream *)object;

  bourse_binance_stream_stop (self);

  G_OBJECT_CLASS (bourse_binance_stream_parent_class)->dispose (object);
}

static void
bourse_binance_stream_finalize (GObject *object)
{
  BourseBinanceStream *self = (BourseBinanceStream *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->streams, g_ptr_array_unref);
  g_clear_pointer (&self->stream_url, g_free);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->connection_error, g_free);

  G_OBJECT_CLASS (bourse_binance_stream_parent_class)->finalize (object);
}

static void
bourse_binance_stream_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BourseBinanceStream *self = BOURSE_BINANCE_STREAM (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_binance_stream_class_init (BourseBinanceStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_binance_stream_dispose;
  object_class->finalize = bourse_binance_stream_finalize;
  object_class->get_property = bourse_binance_stream_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      BOURSE_BINANCE_STREAM_STOPPED, BOURSE_BINANCE_STREAM_RECONNECTING,
                      BOURSE_BINANCE_STREAM_STOPPED,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[KLINE] =
    g_signal_new ("kline",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_INT,
                  G_TYPE_POINTER);
}

static void
bourse_binance_stream_init (BourseBinanceStream *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->streams = g_ptr_array_new_with_free_func (g_free);
  self->state = BOURSE_BINANCE_STREAM_STOPPED;
}

BourseBinanceStream *
bourse_binance_stream_new (BourseConfig *config)
{
  BourseBinanceStream *self;

  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);

  self = g_object_new (BOURSE_TYPE_BINANCE_STREAM, NULL);
  self->stream_url = g_strdup (bourse_config_get_string (config, "binance", "stream_url"));
  while (g_str_has_suffix (self->stream_url, "/"))
    self->stream_url[strlen (self->stream_url) - 1] = '\0';
  self->lifetime_s = bourse_config_get_int (config, "binance", "stream_lifetime");
  self->idle_timeout_s = bourse_config_get_int (config, "binance", "stream_idle_timeout");
  self->connect_timeout_s = bourse_config_get_int (config, "binance", "request_timeout");
  self->retry_base_ms = bourse_config_get_int (config, "binance", "retry_base_ms");
  self->retry_max_ms = bourse_config_get_int (config, "binance", "retry_max_ms");
  /* No I/O timeout: a stream is quiet between events by design; the idle
   * timer and the handshake timer above watch it instead. */
  self->session = soup_session_new_with_options ("timeout", 0, NULL);
  return self;
}

static char *
stream_name (const char     *symbol,
             BourseInterval  interval)
{
  g_autofree char *lower = g_ascii_strdown (symbol, -1);

  return g_strdup_printf ("%s@kline_%s", lower, bourse_interval_to_string (interval));
}

static gboolean
find_stream (BourseBinanceStream *self,
             const char          *name,
             guint               *index)
{
  return g_ptr_array_find_with_equal_func (self->streams, name, g_str_equal, index);
}

/* The set changed: a running stream reconnects with it, making the new
 * connection before it breaks the old one. */
static void
streams_changed (BourseBinanceStream *self)
{
  if (self->state == BOURSE_BINANCE_STREAM_STOPPED)
    return;

  if (self->streams->len == 0)
    {
      cancel_connecting (self);
      bourse_source_clear (&self->retry_source);
      bourse_source_clear (&self->renew_source);
      bourse_source_clear (&self->idle_source);
      if (self->connection != NULL)
        drop_connection (self, g_steal_pointer (&self->connection));
      set_state (self, BOURSE_BINANCE_STREAM_CONNECTING);
      return;
    }

  bourse_source_clear (&self->retry_source);
  connect_now (self);
}

gboolean
bourse_binance_stream_add (BourseBinanceStream *self,
                           const char          *symbol,
                           BourseInterval       interval)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (BOURSE_IS_BINANCE_STREAM (self), FALSE);
  g_return_val_if_fail (symbol != NULL && symbol[0] != '\0', FALSE);
  g_return_val_if_fail ((guint)interval < BOURSE_N_INTERVALS, FALSE);

  name = stream_name (symbol, interval);
  if (find_stream (self, name, NULL))
    return FALSE;
  g_ptr_array_add (self->streams, g_steal_pointer (&name));
  streams_changed (self);
  return TRUE;
}

gboolean
bourse_binance_stream_remove (BourseBinanceStream *self,
                              const char          *symbol,
                              BourseInterval       interval)
{
  g_autofree char *name = NULL;
  guint index;

  g_return_val_if_fail (BOURSE_IS_BINANCE_STREAM (self), FALSE);
  g_return_val_if_fail (symbol != NULL, FALSE);

  name = stream_name (symbol, interval);
  if (!find_stream (self, name, &index))
    return FALSE;
  g_ptr_array_remove_index (self->streams, index);
  streams_changed (self);
  return TRUE;
}

void
bourse_binance_stream_start (BourseBinanceStream *self)
{
  g_return_if_fail (BOURSE_IS_BINANCE_STREAM (self));

  if (self->state != BOURSE_BINANCE_STREAM_STOPPED)
    return;

  self->attempt = 0;
  set_state (self, BOURSE_BINANCE_STREAM_CONNECTING);
  connect_now (self);
}

void
bourse_binance_stream_stop (BourseBinanceStream *self)
{
  g_return_if_fail (BOURSE_IS_BINANCE_STREAM (self));

  cancel_connecting (self);
  bourse_source_clear (&self->retry_source);
  bourse_source_clear (&self->renew_source);
  bourse_source_clear (&self->idle_source);
  if (self->connection != NULL)
    drop_connection (self, g_steal_pointer (&self->connection));
  set_state (self, BOURSE_BINANCE_STREAM_STOPPED);
}

BourseBinanceStreamState
bourse_binance_stream_get_state (BourseBinanceStream *self)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_STREAM (self), BOURSE_BINANCE_STREAM_STOPPED);

  return self->state;
}

const char *
bourse_binance_stream_state_to_string (BourseBinanceStreamState state)
{
  switch (state)
    {
    case BOURSE_BINANCE_STREAM_STOPPED:      return "stopped";
    case BOURSE_BINANCE_STREAM_CONNECTING:   return "connecting";
    case BOURSE_BINANCE_STREAM_CONNECTED:    return "connected";
    case BOURSE_BINANCE_STREAM_RECONNECTING: return "reconnecting";
    default:                                 g_return_val_if_reached ("unknown");
    }
}

char *
bourse_binance_stream_dup_url (BourseBinanceStream *self)
{
  g_autoptr(GString) url = NULL;

  g_return_val_if_fail (BOURSE_IS_BINANCE_STREAM (self), NULL);

  if (self->streams->len == 0)
    return NULL;

  /* Always the combined form: every message names its stream. */
  url = g_string_new (self->stream_url);
  g_string_append (url, "/stream?streams=");
  for (guint i = 0; i < self->streams->len; i++)
    {
      if (i > 0)
        g_string_append_c (url, '/');
      g_string_append (url, g_ptr_array_index (self->streams, i));
    }
  return g_string_free (g_steal_pointer (&url), FALSE);
}

guint
bourse_binance_stream_get_n_connections (BourseBinanceStream *self)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_STREAM (self), 0);

  return self->n_connections;
}

const char *
bourse_binance_stream_get_last_error (BourseBinanceStream *self)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_STREAM (self), NULL);

  return self->last_error;
}
