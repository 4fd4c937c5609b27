/* bourse-binance-user-stream.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "core/bourse-json.h"
#include "core/bourse-source.h"
#include "core/bourse-time.h"

#include "bourse-binance-user-stream.h"

/* The longest wait between our own pings. The pongs are what a quiet
 * account's connection shows of life (libsoup answers Binance's pings
 * without telling us), so they come at least twice per idle timeout. */
#define KEEPALIVE_MAX_S 30
/* A user data event is a few hundred bytes; an outboundAccountPosition of
 * a large account some kilobytes. Anything near this is not Binance. */
#define MAX_MESSAGE_BYTES (1024 * 1024)
/* Events remembered from an old connection while its renewal subscribes. */
#define MAX_OVERLAP_EVENTS 4096

/* One WebSocket connection and its subscription. Reference-counted: the
 * handshake and the clock request hold one while they run. */
typedef struct
{
  BourseBinanceUserStream *self;            /* NULL once dropped */
  GCancellable            *cancellable;     /* the handshake and the clock request */
  SoupWebsocketConnection *connection;
  GSource                 *answer_source;   /* deadline of the handshake, the subscription or the clock */
  GSource                 *idle_source;
  char                    *request_id;
  gint64                   subscription_id;
  gboolean                 subscribed;
  gboolean                 resynced;        /* a -1021 measured the clock once already */
  char                    *error;           /* what the connection reported */
} Link;

struct _BourseBinanceUserStream
{
  GObject              parent_instance;

  GMainContext        *context;
  SoupSession         *session;
  BourseBinanceSigner *signer;
  char                *ws_api_url;
  char                *time_url;
  guint                lifetime_s;
  guint                idle_timeout_s;
  guint                request_timeout_s;
  guint                retry_base_ms;
  guint                retry_max_ms;
  gint64               clock_offset_ms;

  gboolean             running;
  Link                *current;         /* the connection events come from */
  Link                *renewal;         /* its successor, while it is being made */
  GSource             *retry_source;
  GSource             *renew_source;
  guint                attempt;         /* failures since the last subscription */
  guint                reconnects;
  gboolean             gap;             /* a subscription was lost since the last one began */
  gint64               last_event_at;   /* ms; 0: none yet */
  char                *last_error;
  /* Events the old connection delivered while its renewal subscribed, as
   * JSON text: the new connection may carry them again. */
  GHashTable          *overlap;
};

enum {
  EVENT,
  SUBSCRIBED,
  UNSUBSCRIBED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BourseBinanceUserStream, bourse_binance_user_stream, G_TYPE_OBJECT)

static void open_link (BourseBinanceUserStream *self,
                       gboolean                 renewal);

static void
set_last_error (BourseBinanceUserStream *self,
                const char              *message)
{
  char *copy = g_strdup (message);

  g_free (self->last_error);
  self->last_error = copy;
}

static guint
backoff_ms (BourseBinanceUserStream *self)
{
  return bourse_backoff_ms (self->retry_base_ms, self->retry_max_ms, self->attempt);
}

/* Links {{{ */

static void
link_clear (gpointer data)
{
  Link *link = data;

  g_clear_object (&link->cancellable);
  g_clear_object (&link->connection);
  g_free (link->request_id);
  g_free (link->error);
}

static Link *
link_new (BourseBinanceUserStream *self)
{
  Link *link = g_rc_box_new0 (Link);

  link->self = self;
  link->cancellable = g_cancellable_new ();
  return link;
}

static Link *
link_ref (Link *link)
{
  return g_rc_box_acquire (link);
}

static void
link_unref (Link *link)
{
  g_rc_box_release_full (link, link_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Link, link_unref)

/* Forgets a link: nothing of it reaches the stream any more. Takes the
 * stream's reference. */
static void
link_drop (Link *link)
{
  link->self = NULL;
  bourse_source_clear (&link->answer_source);
  bourse_source_clear (&link->idle_source);
  g_cancellable_cancel (link->cancellable);
  if (link->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (link->connection, link);
      if (soup_websocket_connection_get_state (link->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (link->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  link_unref (link);
}

static gboolean
retry_cb (gpointer data)
{
  BourseBinanceUserStream *self = data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  self->reconnects++;
  open_link (self, FALSE);
  return G_SOURCE_REMOVE;
}

static gboolean
renew_cb (gpointer data)
{
  BourseBinanceUserStream *self = data;

  g_clear_pointer (&self->renew_source, g_source_unref);
  /* Make before break: the old subscription delivers until the new one
   * is up, so nothing falls between them. */
  if (self->current != NULL && self->current->subscribed && self->renewal == NULL)
    {
      g_info ("Binance user data stream: renewing the connection");
      g_hash_table_remove_all (self->overlap);
      open_link (self, TRUE);
    }
  return G_SOURCE_REMOVE;
}

/* @link failed: a renewal is tried again later; the current connection is
 * replaced, by the renewal under way if there is one. */
static void
link_failed (Link       *link,
             const char *reason)
{
  BourseBinanceUserStream *self = link->self;
  /* @reason may be the link's own, which goes with it. */
  g_autofree char *why = g_strdup (reason);
  gboolean was_subscribed;
  guint delay;

  g_assert (BOURSE_IS_BINANCE_USER_STREAM (self));

  set_last_error (self, why);
  if (link == self->renewal)
    {
      g_info ("Binance user data stream: the renewal failed: %s", why);
      link_drop (g_steal_pointer (&self->renewal));
      self->attempt++;
      bourse_source_clear (&self->renew_source);
      self->renew_source = bourse_timeout_source_attach (self->context, backoff_ms (self), renew_cb, self);
      return;
    }

  g_assert (link == self->current);
  was_subscribed = link->subscribed;
  link_drop (g_steal_pointer (&self->current));
  bourse_source_clear (&self->renew_source);
  if (was_subscribed)
    self->gap = TRUE;

  if (self->renewal != NULL)
    {
      /* The renewal under way becomes the reconnect. */
      self->current = g_steal_pointer (&self->renewal);
      self->reconnects++;
    }
  else
    {
      self->attempt++;
      delay = backoff_ms (self);
      g_info ("Binance user data stream: reconnecting in %u ms (%s)", delay, why);
      bourse_source_clear (&self->retry_source);
      self->retry_source = bourse_timeout_source_attach (self->context, delay, retry_cb, self);
    }

  if (was_subscribed)
    g_signal_emit (self, signals[UNSUBSCRIBED], 0, why);
}

static void
stop_links (BourseBinanceUserStream *self)
{
  bourse_source_clear (&self->retry_source);
  bourse_source_clear (&self->renew_source);
  if (self->renewal != NULL)
    link_drop (g_steal_pointer (&self->renewal));
  if (self->current != NULL)
    link_drop (g_steal_pointer (&self->current));
  g_hash_table_remove_all (self->overlap);
}

/* Binance refused the keys: trying again cannot help, and would count
 * against the account. */
static void
give_up (BourseBinanceUserStream *self,
         const char              *why)
{
  g_message ("Binance user data stream stopped: %s", why);
  set_last_error (self, why);
  stop_links (self);
  self->running = FALSE;
  g_signal_emit (self, signals[UNSUBSCRIBED], 0, why);
}

static gboolean
answer_timeout_cb (gpointer data)
{
  Link *link = data;

  g_clear_pointer (&link->answer_source, g_source_unref);
  link_failed (link, _("Binance’s WebSocket API did not answer in time"));
  return G_SOURCE_REMOVE;
}

static void
arm_answer_timer (Link *link)
{
  bourse_source_clear (&link->answer_source);
  link->answer_source = bourse_timeout_source_attach (link->self->context, link->self->request_timeout_s * 1000,
                                                      answer_timeout_cb, link);
}

static gboolean
idle_timeout_cb (gpointer data)
{
  Link *link = data;
  g_autofree char *why = g_strdup_printf (_("Nothing came from Binance’s WebSocket API for %u s"),
                                          link->self->idle_timeout_s);

  g_clear_pointer (&link->idle_source, g_source_unref);
  link_failed (link, why);
  return G_SOURCE_REMOVE;
}

static void
restart_idle_timer (Link *link)
{
  bourse_source_clear (&link->idle_source);
  if (link->self->idle_timeout_s > 0)
    link->idle_source = bourse_timeout_source_attach (link->self->context, link->self->idle_timeout_s * 1000,
                                                      idle_timeout_cb, link);
}

/* }}} */

/* Subscribing {{{ */

/* userDataStream.subscribe.signature: the signature covers the other
 * parameters sorted by name, as a query string (apiKey, then timestamp). */
static void
send_subscribe (Link *link)
{
  BourseBinanceUserStream *self = link->self;
  const char *api_key = bourse_binance_signer_get_api_key (self->signer);
  gint64 timestamp = g_get_real_time () / 1000 + self->clock_offset_ms;
  g_autofree char *payload = g_strdup_printf ("apiKey=%s&timestamp=%" G_GINT64_FORMAT, api_key, timestamp);
  g_autofree char *signature = bourse_binance_signer_sign (self->signer, payload, -1);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  g_free (link->request_id);
  link->request_id = g_uuid_string_random ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, link->request_id);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "userDataStream.subscribe.signature");
  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "apiKey");
  json_builder_add_string_value (builder, api_key);
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_int_value (builder, timestamp);
  json_builder_set_member_name (builder, "signature");
  json_builder_add_string_value (builder, signature);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = bourse_json_to_string (root, NULL);

  soup_websocket_connection_send_text (link->connection, text);
  arm_answer_timer (link);
}

typedef struct
{
  Link        *link;
  SoupMessage *message;
  gint64       sent_us;
} ClockRequest;

static void
clock_request_free (ClockRequest *request)
{
  link_unref (request->link);
  g_object_unref (request->message);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClockRequest, clock_request_free)

static void
clock_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ClockRequest) request = user_data;
  Link *link = request->link;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 received_us = g_get_real_time ();
  gint64 server_time;
  const char *text;
  gsize length;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (link->self == NULL)
    return;   /* dropped meanwhile */

  if (body != NULL && soup_message_get_status (request->message) != SOUP_STATUS_OK)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP %u", soup_message_get_status (request->message));
  if (body != NULL && error == NULL)
    {
      text = g_bytes_get_data (body, &length);
      root = text != NULL ? bourse_json_parse (text, length, 4096, &error) : NULL;
      if (root != NULL
          && (!JSON_NODE_HOLDS_OBJECT (root)
              || !bourse_json_get_int (json_node_get_object (root), "serverTime", &server_time)))
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("no serverTime in the answer"));
      else if (root == NULL && error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("an empty answer"));
    }
  if (error != NULL)
    {
      g_autofree char *why = g_strdup_printf (_("Cannot read Binance’s clock: %s"), error->message);

      link_failed (link, why);
      return;
    }

  /* The server read its clock about halfway through the round trip. */
  link->self->clock_offset_ms = server_time - (request->sent_us + received_us) / 2000;
  g_info ("Binance user data stream: Binance's clock is %" G_GINT64_FORMAT " ms from ours",
          link->self->clock_offset_ms);
  send_subscribe (link);
}

/* -1021: our clock is off Binance's by more than the window allows. */
static void
sync_clock (Link *link)
{
  BourseBinanceUserStream *self = link->self;
  ClockRequest *request = g_new0 (ClockRequest, 1);

  link->resynced = TRUE;
  request->link = link_ref (link);
  request->message = soup_message_new (SOUP_METHOD_GET, self->time_url);
  if (request->message == NULL)
    {
      g_autofree char *why = g_strdup_printf (_("Cannot read Binance’s clock: %s is not a valid URL"),
                                              self->time_url);

      g_free (request);
      link_unref (link);
      link_failed (link, why);
      return;
    }
  request->sent_us = g_get_real_time ();
  arm_answer_timer (link);
  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT, link->cancellable,
                                    clock_cb, request);
}

static void
link_subscribed (Link   *link,
                 gint64  subscription_id)
{
  BourseBinanceUserStream *self = link->self;
  gboolean after_gap;

  link->subscribed = TRUE;
  link->subscription_id = subscription_id;
  self->attempt = 0;
  if (link == self->renewal)
    {
      /* The old connection's events from now on come on this one too. */
      link_drop (g_steal_pointer (&self->current));
      self->current = g_steal_pointer (&self->renewal);
      after_gap = FALSE;
    }
  else
    {
      after_gap = self->gap;
      g_hash_table_remove_all (self->overlap);
    }
  self->gap = FALSE;

  bourse_source_clear (&self->renew_source);
  self->renew_source = bourse_timeout_source_attach (self->context, self->lifetime_s * 1000, renew_cb, self);
  g_info ("Binance user data stream subscribed (subscription %" G_GINT64_FORMAT "%s)",
          subscription_id, after_gap ? ", after a gap" : "");
  g_signal_emit (self, signals[SUBSCRIBED], 0, after_gap);
}

/* The answer to our subscription request. */
static void
handle_response (Link       *link,
                 JsonObject *object)
{
  BourseBinanceUserStream *self = link->self;
  JsonObject *error;
  gint64 status = 0, code = 0, subscription_id;
  const char *msg;
  g_autofree char *why = NULL;

  if (g_strcmp0 (bourse_json_get_string (object, "id"), link->request_id) != 0 || link->subscribed)
    return;

  bourse_source_clear (&link->answer_source);
  bourse_json_get_int (object, "status", &status);
  if (status == 200)
    {
      if (bourse_json_get_int (bourse_json_get_object (object, "result"), "subscriptionId", &subscription_id))
        link_subscribed (link, subscription_id);
      else
        link_failed (link, _("Binance’s answer to the user data stream subscription has no subscriptionId"));
      return;
    }

  error = bourse_json_get_object (object, "error");
  bourse_json_get_int (error, "code", &code);
  msg = bourse_json_get_string (error, "msg");
  why = g_strdup_printf (_("Binance refused the user data stream subscription (HTTP %d, code %d): %s"),
                         (int)CLAMP (status, 0, 999), (int)CLAMP (code, G_MININT, G_MAXINT),
                         msg != NULL ? msg : _("no reason given"));
  if (code == -1021 && !link->resynced)
    {
      g_info ("%s; measuring Binance's clock", why);
      sync_clock (link);
    }
  else if (code == -2014 || code == -2015 || code == -1022)
    give_up (self, why);
  else
    link_failed (link, why);
}

/* }}} */

/* Messages {{{ */

static gboolean
is_delivered (const char *type)
{
  static const char * const types[] = {
    "executionReport", "outboundAccountPosition", "balanceUpdate", "listStatus", NULL
  };

  return type != NULL && g_strv_contains (types, type);
}

static void
handle_event (Link       *link,
              JsonObject *event)
{
  BourseBinanceUserStream *self = link->self;
  const char *type = bourse_json_get_string (event, "e");
  g_autoptr(JsonNode) node = NULL;

  if (g_strcmp0 (type, "eventStreamTerminated") == 0)
    {
      link_failed (link, _("Binance ended the user data stream subscription"));
      return;
    }
  if (!is_delivered (type))
    {
      g_debug ("Binance user data stream: ignoring a %s event", type != NULL ? type : "nameless");
      return;
    }
  if (link != self->current)
    return;

  /* Across a renewal both connections carry the events of the moment. */
  if (self->renewal != NULL || g_hash_table_size (self->overlap) > 0)
    {
      g_autofree char *text = NULL;

      node = json_node_init_object (json_node_alloc (), event);
      text = bourse_json_to_string (node, NULL);
      if (self->renewal != NULL)
        {
          if (g_hash_table_size (self->overlap) < MAX_OVERLAP_EVENTS)
            g_hash_table_add (self->overlap, g_steal_pointer (&text));
        }
      else if (g_hash_table_remove (self->overlap, text))
        return;
      else
        {
          /* The new connection's events come in Binance's order: past
           * the first new one, none was delivered before. */
          g_hash_table_remove_all (self->overlap);
        }
    }

  self->last_event_at = bourse_time_now_ms ();
  g_signal_emit (self, signals[EVENT], 0, event);
}

/* {"id":…,"status":…,"result"|"error":…} answers a request;
 * {"subscriptionId":N,"event":{…}} is a subscription's event;
 * {"event":{"e":"serverShutdown"}} says the server is about to go. */
static void
message_cb (SoupWebsocketConnection *connection,
            int                      type,
            GBytes                  *message,
            Link                    *link)
{
  g_autoptr(BourseBinanceUserStream) self = g_object_ref (link->self);
  g_autoptr(Link) hold = link_ref (link);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *event;
  gint64 subscription_id;
  gsize length;
  const char *text = g_bytes_get_data (message, &length);

  restart_idle_timer (link);
  if (type != SOUP_WEBSOCKET_DATA_TEXT || text == NULL
      || (root = bourse_json_parse (text, length, MAX_MESSAGE_BYTES, NULL)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("Binance user data stream: ignoring a message that is not a JSON object");
      return;
    }
  object = json_node_get_object (root);

  if (json_object_has_member (object, "status"))
    handle_response (link, object);
  else if ((event = bourse_json_get_object (object, "event")) != NULL)
    {
      if (bourse_json_get_int (object, "subscriptionId", &subscription_id))
        {
          if (link->subscribed && subscription_id == link->subscription_id)
            handle_event (link, event);
        }
      else if (g_strcmp0 (bourse_json_get_string (event, "e"), "serverShutdown") == 0
               && link == self->current && self->renewal == NULL)
        {
          g_info ("Binance user data stream: the server is shutting down");
          bourse_source_clear (&self->renew_source);
          renew_cb (self);
        }
    }
}

static void
pong_cb (SoupWebsocketConnection *connection,
         GBytes                  *message,
         Link                    *link)
{
  restart_idle_timer (link);
}

static void
error_cb (SoupWebsocketConnection *connection,
          GError                  *error,
          Link                    *link)
{
  g_free (link->error);
  link->error = g_strdup_printf (_("Binance’s WebSocket API: %s"), error->message);
}

static void
closed_cb (SoupWebsocketConnection *connection,
           Link                    *link)
{
  g_autoptr(BourseBinanceUserStream) self = g_object_ref (link->self);
  g_autofree char *why = NULL;
  const char *data = soup_websocket_connection_get_close_data (connection);
  gushort code = soup_websocket_connection_get_close_code (connection);

  if (code == 0 || code == SOUP_WEBSOCKET_CLOSE_ABNORMAL)
    why = g_strdup (_("The connection to Binance’s WebSocket API was cut"));
  else
    why = g_strdup_printf (_("The connection to Binance’s WebSocket API closed (code %u%s%s)"), code,
                           data != NULL && *data != '\0' ? ": " : "", data != NULL ? data : "");
  /* An error reported on this connection says more than the close code. */
  link_failed (link, link->error != NULL ? link->error : why);
}

/* }}} */

/* Connecting {{{ */

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Link) link = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;
  BourseBinanceUserStream *self = link->self;
  guint keepalive_s;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (self == NULL)
    {
      /* Dropped meanwhile (stopped, timed out, superseded). */
      if (connection != NULL)
        {
          soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
          g_object_unref (connection);
        }
      return;
    }
  if (connection == NULL)
    {
      g_autofree char *why = g_strdup_printf (_("Cannot connect to Binance’s WebSocket API: %s"), error->message);

      link_failed (link, why);
      return;
    }

  link->connection = connection;
  soup_websocket_connection_set_max_incoming_payload_size (connection, MAX_MESSAGE_BYTES);
  /* Twice per idle timeout; a timeout of one second leaves no room for
   * whole-second pings, and silence decides. */
  keepalive_s = self->idle_timeout_s == 0 ? KEEPALIVE_MAX_S : MIN (KEEPALIVE_MAX_S, self->idle_timeout_s / 2);
  soup_websocket_connection_set_keepalive_interval (connection, keepalive_s);
  g_signal_connect (connection, "message", G_CALLBACK (message_cb), link);
  g_signal_connect (connection, "pong", G_CALLBACK (pong_cb), link);
  g_signal_connect (connection, "error", G_CALLBACK (error_cb), link);
  g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), link);
  restart_idle_timer (link);
  send_subscribe (link);
}

static void
open_link (BourseBinanceUserStream *self,
           gboolean                 renewal)
{
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, self->ws_api_url);
  Link *link;

  if (message == NULL)
    {
      g_autofree char *why = g_strdup_printf (_("Cannot connect to Binance’s WebSocket API: %s is not a valid URL"),
                                              self->ws_api_url);

      give_up (self, why);
      return;
    }

  link = link_new (self);
  if (renewal)
    self->renewal = link;
  else
    self->current = link;
  arm_answer_timer (link);
  soup_session_websocket_connect_async (self->session, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        link->cancellable, connected_cb, link_ref (link));
}

/* }}} */

static void
bourse_binance_user_stream_dispose (GObject *object)
{
  BourseBinanceUserStream *self = (BourseBinanceUserStream *)object;

  stop_links (self);
  self->running = FALSE;

  G_OBJECT_CLASS (bourse_binance_user_stream_parent_class)->dispose (object);
}

static void
bourse_binance_user_stream_finalize (GObject *object)
{
  BourseBinanceUserStream *self = (BourseBinanceUserStream *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->signer, bourse_binance_signer_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->overlap, g_hash_table_unref);
  g_clear_pointer (&self->ws_api_url, g_free);
  g_clear_pointer (&self->time_url, g_free);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (bourse_binance_user_stream_parent_class)->finalize (object);
}

static void
bourse_binance_user_stream_class_init (BourseBinanceUserStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_binance_user_stream_dispose;
  object_class->finalize = bourse_binance_user_stream_finalize;

  signals[EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  JSON_TYPE_OBJECT | G_SIGNAL_TYPE_STATIC_SCOPE);

  signals[SUBSCRIBED] =
    g_signal_new ("subscribed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_BOOLEAN);

  signals[UNSUBSCRIBED] =
    g_signal_new ("unsubscribed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
bourse_binance_user_stream_init (BourseBinanceUserStream *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->overlap = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

BourseBinanceUserStream *
bourse_binance_user_stream_new (BourseConfig        *config,
                                BourseBinanceSigner *signer)
{
  BourseBinanceUserStream *self;
  g_autofree char *base_url = NULL;

  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);
  g_return_val_if_fail (signer != NULL, NULL);

  self = g_object_new (BOURSE_TYPE_BINANCE_USER_STREAM, NULL);
  self->signer = bourse_binance_signer_ref (signer);
  self->ws_api_url = g_strdup (bourse_config_get_string (config, "binance", "ws_api_url"));
  base_url = g_strdup (bourse_config_get_string (config, "binance", "base_url"));
  while (g_str_has_suffix (base_url, "/"))
    base_url[strlen (base_url) - 1] = '\0';
  self->time_url = g_strconcat (base_url, "/api/v3/time", NULL);
  self->lifetime_s = bourse_config_get_int (config, "binance", "stream_lifetime");
  self->idle_timeout_s = bourse_config_get_int (config, "binance", "stream_idle_timeout");
  self->request_timeout_s = bourse_config_get_int (config, "binance", "request_timeout");
  self->retry_base_ms = bourse_config_get_int (config, "binance", "retry_base_ms");
  self->retry_max_ms = bourse_config_get_int (config, "binance", "retry_max_ms");
  /* No I/O timeout: a quiet account's stream has nothing to say for hours;
   * the idle timer and the answer timers watch it instead. */
  self->session = soup_session_new_with_options ("timeout", 0, NULL);
  return self;
}

void
bourse_binance_user_stream_start (BourseBinanceUserStream *self)
{
  g_return_if_fail (BOURSE_IS_BINANCE_USER_STREAM (self));

  if (self->running)
    return;

  self->running = TRUE;
  self->attempt = 0;
  self->gap = FALSE;
  open_link (self, FALSE);
}

void
bourse_binance_user_stream_stop (BourseBinanceUserStream *self)
{
  g_return_if_fail (BOURSE_IS_BINANCE_USER_STREAM (self));

  stop_links (self);
  self->running = FALSE;
}

gboolean
bourse_binance_user_stream_is_subscribed (BourseBinanceUserStream *self)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_USER_STREAM (self), FALSE);

  return self->current != NULL && self->current->subscribed;
}

void
bourse_binance_user_stream_set_clock_offset (BourseBinanceUserStream *self,
                                             gint64                   offset_ms)
{
  g_return_if_fail (BOURSE_IS_BINANCE_USER_STREAM (self));

  self->clock_offset_ms = offset_ms;
}

gint64
bourse_binance_user_stream_get_clock_offset (BourseBinanceUserStream *self)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_USER_STREAM (self), 0);

  return self->clock_offset_ms;
}

JsonNode *
bourse_binance_user_stream_status_json (BourseBinanceUserStream *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Link *current;

  g_return_val_if_fail (BOURSE_IS_BINANCE_USER_STREAM (self), NULL);

  current = self->current;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "running");
  json_builder_add_boolean_value (builder, self->running);
  json_builder_set_member_name (builder, "connected");
  json_builder_add_boolean_value (builder, current != NULL && current->connection != NULL
                                  && soup_websocket_connection_get_state (current->connection)
                                     == SOUP_WEBSOCKET_STATE_OPEN);
  json_builder_set_member_name (builder, "subscribed");
  json_builder_add_boolean_value (builder, current != NULL && current->subscribed);
  json_builder_set_member_name (builder, "last_event_at");
  if (self->last_event_at != 0)
    {
      g_autofree char *text = bourse_time_format_rfc3339 (self->last_event_at);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "reconnects");
  json_builder_add_int_value (builder, self->reconnects);
  json_builder_set_member_name (builder, "last_error");
  if (self->last_error != NULL)
    json_builder_add_string_value (builder, self->last_error);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
