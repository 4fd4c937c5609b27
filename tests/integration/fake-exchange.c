/* fake-exchange.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fake-exchange.h"
#include "fake-exchange-private.h"
#include "fake-exchange-user-stream.h"
#include "exchange/bourse-binance-signer.h"

/* The weight Binance charges for one klines request. */
#define KLINES_WEIGHT 2

typedef struct
{
  SoupWebsocketConnection *connection;
  GSocket                 *socket;
  char                   **streams;    /* "btcusdt@kline_1m" */
  gboolean                 combined;
} Stream;

typedef struct
{
  FakeExchange      *self;
  SoupServerMessage *message;
  guint              status;
  char              *body;
  GSource           *timer;
  gboolean           finished;
} Pending;

struct _FakeExchange
{
  SoupServer *server;
  GSocket    *listener;
  char       *url;
  char       *stream_url;
  GPtrArray  *requests;      /* FakeRequest */
  GQueue      answers;       /* FakeAnswer, as pointers */
  guint       retry_after;
  guint       slow_ms;
  guint       delay_ms;
  guint       weight_base;
  gint64      weight_window_ms;
  gint64      weight_window;  /* index of the window counted in */
  guint       weight_used;
  gint64      now_ms;        /* 0: the real clock */
  GPtrArray  *pending;       /* Pending: answers still to send */
  GPtrArray  *streams;       /* Stream: open stream connections */
  guint       n_accepts;
  guint       n_refusals;
  gboolean    refuse_streams;
  char       *last_stream;
  /* The order side and the user data streams keep their own state
   * (fake-exchange-private.h). */
  FakeOrders      *orders;
  FakeUserStreams *user_streams;
  GHashTable      *keys;          /* API key → FakeKey */
  gint64           skew_ms;
  FakeUserEventFunc user_event_func;
  gpointer          user_event_data;
};

void
fake_exchange_set_user_event_func (FakeExchange      *self,
                                   FakeUserEventFunc  func,
                                   gpointer           user_data)
{
  self->user_event_func = func;
  self->user_event_data = user_data;
}

guint
fake_exchange_user_event (FakeExchange *self,
                          const char   *api_key,
                          JsonObject   *event)
{
  if (self->user_event_func == NULL)
    return 0;
  return self->user_event_func (self, api_key, event, self->user_event_data);
}

typedef struct
{
  BourseBinanceSigner *signer;
  gboolean             can_trade;
  gboolean             can_withdraw;
} FakeKey;

static void
fake_key_free (gpointer data)
{
  FakeKey *key = data;

  bourse_binance_signer_unref (key->signer);
  g_free (key);
}

void
fake_exchange_add_key (FakeExchange *self,
                       const char   *api_key,
                       const char   *secret,
                       gboolean      can_trade,
                       gboolean      can_withdraw)
{
  g_autoptr(GBytes) bytes = g_bytes_new (secret, strlen (secret));
  g_autoptr(GError) error = NULL;
  FakeKey *key = g_new0 (FakeKey, 1);

  key->signer = bourse_binance_signer_new (api_key, bytes, &error);
  g_assert_no_error (error);
  key->can_trade = can_trade;
  key->can_withdraw = can_withdraw;
  g_hash_table_replace (self->keys, g_strdup (api_key), key);
}

void
fake_exchange_set_clock_skew_ms (FakeExchange *self,
                                 gint64        skew_ms)
{
  self->skew_ms = skew_ms;
}

gint64
fake_exchange_clock_ms (FakeExchange *self)
{
  gint64 now = self->now_ms != 0 ? self->now_ms : g_get_real_time () / 1000;

  return now + self->skew_ms;
}

int
fake_exchange_check_signature (FakeExchange *self,
                               const char   *api_key,
                               const char   *payload,
                               const char   *signature)
{
  g_autofree char *expected = NULL;
  FakeKey *key;

  if (api_key == NULL || *api_key == '\0' || strlen (api_key) > 256)
    return -2014;
  key = g_hash_table_lookup (self->keys, api_key);
  if (key == NULL)
    return -2015;
  /* HMAC and Ed25519 are both deterministic: signing again is checking. */
  expected = bourse_binance_signer_sign (key->signer, payload, -1);
  if (signature == NULL || !g_str_equal (expected, signature))
    return -1022;
  return 0;
}

gboolean
fake_exchange_key_permissions (FakeExchange *self,
                               const char   *api_key,
                               gboolean     *can_trade,
                               gboolean     *can_withdraw)
{
  FakeKey *key = g_hash_table_lookup (self->keys, api_key);

  if (key == NULL)
    return FALSE;
  *can_trade = key->can_trade;
  *can_withdraw = key->can_withdraw;
  return TRUE;
}

SoupServer *
fake_exchange_get_server (FakeExchange *self)
{
  return self->server;
}

FakeOrders **
fake_exchange_orders_slot (FakeExchange *self)
{
  return &self->orders;
}

FakeUserStreams **
fake_exchange_user_streams_slot (FakeExchange *self)
{
  return &self->user_streams;
}

static void
request_free (gpointer data)
{
  FakeRequest *request = data;

  g_free (request->path);
  g_free (request->symbol);
  g_free (request->interval);
  g_free (request);
}

static void
stream_free (gpointer data)
{
  Stream *stream = data;

  g_signal_handlers_disconnect_by_data (stream->connection, stream);
  if (soup_websocket_connection_get_state (stream->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (stream->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_clear_object (&stream->connection);
  g_clear_object (&stream->socket);
  g_strfreev (stream->streams);
  g_free (stream);
}

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  if (pending->timer != NULL)
    {
      g_source_destroy (pending->timer);
      g_source_unref (pending->timer);
    }
  g_signal_handlers_disconnect_by_data (pending->message, pending);
  g_object_unref (pending->message);
  g_free (pending->body);
  g_free (pending);
}

static guint32
symbol_hash (const char *symbol)
{
  guint32 hash = 5381;

  for (const char *p = symbol; *p != '\0'; p++)
    hash = hash * 33 + (guchar)*p;
  return hash;
}

void
fake_exchange_kline (const char     *symbol,
                     BourseInterval  interval,
                     gint64          open_time,
                     BourseCandle   *candle)
{
  guint32 hash = symbol_hash (symbol);
  gint64 i = open_time / 60000 + interval;
  gint64 base = 1000 + hash % 9000;
  /* In cents, then in units of 10^-8. */
  gint64 open = base * 100 + (i * 7919 + hash) % 1000;
  gint64 close = base * 100 + ((i + 1) * 7919 + hash) % 1000;
  gint64 high = MAX (open, close) + i % 7;
  gint64 low = MIN (open, close) - i % 5;

  memset (candle, 0, sizeof *candle);
  candle->open_time = open_time;
  candle->open.units = open * 1000000;
  candle->high.units = high * 1000000;
  candle->low.units = low * 1000000;
  candle->close.units = close * 1000000;
  /* Every one of the eight decimals is used, so a lossy parse shows. */
  candle->volume.units = (i % 997) * 100000000 + (i * 12345 + hash) % 100000000;
  candle->trades = i % 500;
  candle->closed = TRUE;
}

static gint64
exchange_now (FakeExchange *self)
{
  return self->now_ms != 0 ? self->now_ms : g_get_real_time () / 1000;
}

static void
append_decimal (GString       *out,
                BourseDecimal  value)
{
  g_autofree char *text = bourse_decimal_to_string (value);

  g_string_append_printf (out, "\"%s\"", text);
}

static void
append_row (GString        *out,
            const char     *symbol,
            BourseInterval  interval,
            gint64          open_time)
{
  BourseCandle c;

  fake_exchange_kline (symbol, interval, open_time, &c);
  g_string_append_printf (out, "[%" G_GINT64_FORMAT ",", c.open_time);
  append_decimal (out, c.open);
  g_string_append_c (out, ',');
  append_decimal (out, c.high);
  g_string_append_c (out, ',');
  append_decimal (out, c.low);
  g_string_append_c (out, ',');
  append_decimal (out, c.close);
  g_string_append_c (out, ',');
  append_decimal (out, c.volume);
  g_string_append_printf (out, ",%" G_GINT64_FORMAT ",\"123.45000000\",%" G_GINT64_FORMAT
                          ",\"1.00000000\",\"61.72500000\",\"0\"]",
                          bourse_interval_next (interval, c.open_time) - 1, c.trades);
}

/* Binance's semantics: open times from startTime (inclusive) up to endTime
 * (inclusive) and the exchange's now, oldest first, at most limit; with no
 * startTime, the last limit klines up to endTime (or now). */
static char *
klines_body (FakeExchange   *self,
             const char     *symbol,
             BourseInterval  interval,
             gint64          start_time,
             gint64          end_time,
             int             limit,
             guint          *n_klines)
{
  g_autoptr(GArray) opens = g_array_new (FALSE, FALSE, sizeof (gint64));
  GString *out = g_string_new ("[");
  gint64 now = exchange_now (self);
  gint64 last = end_time >= 0 ? MIN (end_time, now) : now;

  if (start_time >= 0)
    {
      gint64 t = bourse_interval_align (interval, start_time);

      if (t < start_time)
        t = bourse_interval_next (interval, t);
      for (; t <= last && opens->len < (guint)limit; t = bourse_interval_next (interval, t))
        g_array_append_val (opens, t);
    }
  else
    {
      gint64 t = bourse_interval_align (interval, last);

      for (; opens->len < (guint)limit && t >= 0; t = bourse_interval_align (interval, t - 1))
        g_array_prepend_val (opens, t);
    }

  for (guint i = 0; i < opens->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_row (out, symbol, interval, g_array_index (opens, gint64, i));
    }
  g_string_append_c (out, ']');
  *n_klines = opens->len;
  return g_string_free (out, FALSE);
}

static void
set_json (SoupServerMessage *message,
          guint              status,
          const char        *body)
{
  soup_server_message_set_status (message, status, status == 418 ? "I'm a teapot" : NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
add_weight_header (FakeExchange      *self,
                   SoupServerMessage *message)
{
  gint64 window = (g_get_real_time () / 1000) / self->weight_window_ms;
  g_autofree char *used = NULL;

  if (window != self->weight_window)
    {
      self->weight_window = window;
      self->weight_used = 0;
    }
  self->weight_used += KLINES_WEIGHT;
  used = g_strdup_printf ("%u", self->weight_base + self->weight_used);
  soup_message_headers_replace (soup_server_message_get_response_headers (message), "X-MBX-USED-WEIGHT-1m", used);
}

static void
pending_finished_cb (SoupServerMessage *message,
                     Pending           *pending)
{
  pending->finished = TRUE;
}

static gboolean
pending_timer_cb (gpointer data)
{
  Pending *pending = data;

  g_clear_pointer (&pending->timer, g_source_unref);
  if (!pending->finished)
    {
      set_json (pending->message, pending->status, pending->body);
      soup_server_message_unpause (pending->message);
    }
  g_ptr_array_remove (pending->self->pending, pending);
  return G_SOURCE_REMOVE;
}

/* Answers after @delay_ms, unless the client has gone by then. */
static void
answer_later (FakeExchange      *self,
              SoupServerMessage *message,
              guint              status,
              char              *body,
              guint              delay_ms)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->self = self;
  pending->message = g_object_ref (message);
  pending->status = status;
  pending->body = body;
  g_signal_connect (message, "finished", G_CALLBACK (pending_finished_cb), pending);
  soup_server_message_pause (message);
  pending->timer = g_timeout_source_new (delay_ms);
  g_source_set_callback (pending->timer, pending_timer_cb, pending, NULL);
  g_source_attach (pending->timer, g_main_context_get_thread_default ());
  g_ptr_array_add (self->pending, pending);
}

/* Headers that promise more than the body that follows; then the
 * connection goes. */
static void
answer_truncated (SoupServerMessage *message,
                  const char        *body)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (message);
  g_autofree char *head = NULL;
  gsize half = strlen (body) / 2;

  head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", strlen (body));
  /* Small, on loopback: a blocking write cannot stall. */
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (g_io_stream_get_output_stream (stream), body, half, NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static gint64
query_int (GHashTable *query,
           const char *name,
           gboolean   *bad)
{
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;
  gint64 value;

  if (text == NULL)
    return -1;
  if (!g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &value, NULL))
    {
      *bad = TRUE;
      return -1;
    }
  return value;
}

static void
klines_cb (SoupServer        *server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  FakeExchange *self = user_data;
  FakeRequest *request = g_new0 (FakeRequest, 1);
  g_autofree char *retry_after = g_strdup_printf ("%u", self->retry_after);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  BourseInterval interval;
  gboolean bad = FALSE;
  char *body;

  request->path = g_strdup (path);
  request->symbol = g_strdup (query ? g_hash_table_lookup (query, "symbol") : NULL);
  request->interval = g_strdup (query ? g_hash_table_lookup (query, "interval") : NULL);
  request->start_time = query_int (query, "startTime", &bad);
  request->end_time = query_int (query, "endTime", &bad);
  request->limit = (int)query_int (query, "limit", &bad);
  request->at_us = g_get_monotonic_time ();
  request->at_ms = g_get_real_time () / 1000;
  request->answer = GPOINTER_TO_UINT (g_queue_pop_head (&self->answers));
  g_ptr_array_add (self->requests, request);

  if (!g_str_equal (soup_server_message_get_method (message), "GET"))
    {
      request->status = SOUP_STATUS_METHOD_NOT_ALLOWED;
      set_json (message, request->status, "{\"code\":-1000,\"msg\":\"Method not allowed.\"}");
      return;
    }

  add_weight_header (self, message);
  switch (request->answer)
    {
    case FAKE_ANSWER_429:
      request->status = 429;
      soup_message_headers_replace (headers, "Retry-After", retry_after);
      set_json (message, 429, "{\"code\":-1003,\"msg\":\"Too many requests; current limit is 6000 request "
                              "weight per 1 MINUTE.\"}");
      return;
    case FAKE_ANSWER_418:
      request->status = 418;
      soup_message_headers_replace (headers, "Retry-After", retry_after);
      set_json (message, 418, "{\"code\":-1003,\"msg\":\"Way too many requests; IP banned.\"}");
      return;
    case FAKE_ANSWER_500:
    case FAKE_ANSWER_503:
      request->status = request->answer == FAKE_ANSWER_500 ? 500 : 503;
      set_json (message, request->status, "{\"code\":-1001,\"msg\":\"Internal error; unable to process your "
                                          "request. Please try again.\"}");
      return;
    case FAKE_ANSWER_MALFORMED:
      request->status = 200;
      set_json (message, 200, "[[1704067200000,\"42000.00000000\",\"42010.0");
      return;
    case FAKE_ANSWER_OK:
    case FAKE_ANSWER_TRUNCATED:
    case FAKE_ANSWER_SLOW:
    default:
      break;
    }

  if (request->symbol == NULL || request->symbol[0] == '\0')
    {
      request->status = 400;
      set_json (message, 400, "{\"code\":-1102,\"msg\":\"Mandatory parameter 'symbol' was not sent.\"}");
      return;
    }
  if (request->interval == NULL || !bourse_interval_parse (request->interval, &interval, NULL))
    {
      request->status = 400;
      set_json (message, 400, "{\"code\":-1120,\"msg\":\"Invalid interval.\"}");
      return;
    }
  if (bad || (request->limit != -1 && (request->limit < 1 || request->limit > 1000)))
    {
      request->status = 400;
      set_json (message, 400, "{\"code\":-1130,\"msg\":\"Data sent for parameter 'limit' is not valid.\"}");
      return;
    }

  body = klines_body (self, request->symbol, interval, request->start_time, request->end_time,
                      request->limit == -1 ? 500 : request->limit, &request->n_klines);
  if (request->answer == FAKE_ANSWER_TRUNCATED)
    {
      answer_truncated (message, body);
      g_free (body);
      return;
    }
  request->status = 200;
  if (request->answer == FAKE_ANSWER_SLOW || self->delay_ms > 0)
    answer_later (self, message, 200, body,
                  request->answer == FAKE_ANSWER_SLOW ? self->slow_ms : self->delay_ms);
  else
    {
      set_json (message, 200, body);
      g_free (body);
    }
}

/* Streams {{{ */

static void
stream_gate_cb (SoupServer        *server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  FakeExchange *self = user_data;

  /* Setting a status here stops the WebSocket handshake. */
  if (self->refuse_streams)
    {
      self->n_refusals++;
      set_json (message, SOUP_STATUS_SERVICE_UNAVAILABLE, "{\"code\":-1001,\"msg\":\"Service unavailable.\"}");
    }
  else if (soup_message_headers_get_one (soup_server_message_get_request_headers (message), "Upgrade") == NULL)
    set_json (message, SOUP_STATUS_BAD_REQUEST, "{\"code\":-1000,\"msg\":\"A WebSocket is expected.\"}");
}

static void
stream_closed_cb (SoupWebsocketConnection *connection,
                  Stream                  *stream)
{
  FakeExchange *self = g_object_get_data (G_OBJECT (connection), "fake-exchange");

  g_ptr_array_remove (self->streams, stream);
}

static void
stream_cb (SoupServer              *server,
           SoupServerMessage       *message,
           const char              *path,
           SoupWebsocketConnection *connection,
           gpointer                 user_data)
{
  FakeExchange *self = user_data;
  GUri *uri = soup_server_message_get_uri (message);
  const char *query = g_uri_get_query (uri);
  Stream *stream = g_new0 (Stream, 1);

  g_free (self->last_stream);
  self->last_stream = query ? g_strconcat (path, "?", query, NULL) : g_strdup (path);
  self->n_accepts++;

  stream->connection = g_object_ref (connection);
  stream->socket = g_object_ref (soup_server_message_get_socket (message));
  if (g_str_has_prefix (path, "/ws/"))
    stream->streams = g_strsplit (path + 4, "/", -1);
  else
    {
      g_autoptr(GHashTable) params = query ? g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL) : NULL;
      const char *names = params ? g_hash_table_lookup (params, "streams") : NULL;

      stream->streams = g_strsplit (names ? names : "", "/", -1);
      stream->combined = TRUE;
    }
  g_object_set_data (G_OBJECT (connection), "fake-exchange", self);
  g_signal_connect (connection, "closed", G_CALLBACK (stream_closed_cb), stream);
  g_ptr_array_add (self->streams, stream);
}

guint
fake_exchange_push_kline (FakeExchange   *self,
                          const char     *symbol,
                          BourseInterval  interval,
                          gint64          open_time,
                          gboolean        closed)
{
  g_autofree char *lower = g_ascii_strdown (symbol, -1);
  g_autofree char *name = g_strdup_printf ("%s@kline_%s", lower, bourse_interval_to_string (interval));
  g_autoptr(GString) event = g_string_new (NULL);
  BourseCandle c;
  guint sent = 0;

  fake_exchange_kline (symbol, interval, open_time, &c);
  g_string_append_printf (event, "{\"e\":\"kline\",\"E\":%" G_GINT64_FORMAT ",\"s\":\"%s\",\"k\":{\"t\":%"
                          G_GINT64_FORMAT ",\"T\":%" G_GINT64_FORMAT ",\"s\":\"%s\",\"i\":\"%s\",\"f\":100,"
                          "\"L\":200,\"o\":",
                          g_get_real_time () / 1000, symbol, open_time,
                          bourse_interval_next (interval, open_time) - 1, symbol,
                          bourse_interval_to_string (interval));
  append_decimal (event, c.open);
  g_string_append (event, ",\"c\":");
  append_decimal (event, c.close);
  g_string_append (event, ",\"h\":");
  append_decimal (event, c.high);
  g_string_append (event, ",\"l\":");
  append_decimal (event, c.low);
  g_string_append (event, ",\"v\":");
  append_decimal (event, c.volume);
  g_string_append_printf (event, ",\"n\":%" G_GINT64_FORMAT ",\"x\":%s,\"q\":\"1.00000000\",\"V\":\"0.50000000\","
                          "\"Q\":\"0.60000000\",\"B\":\"0\"}}", c.trades, closed ? "true" : "false");

  for (guint i = 0; i < self->streams->len; i++)
    {
      Stream *stream = g_ptr_array_index (self->streams, i);

      if (!g_strv_contains ((const char * const *)stream->streams, name)
          || soup_websocket_connection_get_state (stream->connection) != SOUP_WEBSOCKET_STATE_OPEN)
        continue;
      if (stream->combined)
        {
          g_autofree char *wrapped = g_strdup_printf ("{\"stream\":\"%s\",\"data\":%s}", name, event->str);
          soup_websocket_connection_send_text (stream->connection, wrapped);
        }
      else
        soup_websocket_connection_send_text (stream->connection, event->str);
      sent++;
    }
  return sent;
}

void
fake_exchange_drop_streams (FakeExchange *self)
{
  /* No close frame: the client sees the connection vanish (1006). */
  for (guint i = 0; i < self->streams->len; i++)
    g_socket_shutdown (((Stream *)g_ptr_array_index (self->streams, i))->socket, TRUE, TRUE, NULL);
}

void
fake_exchange_set_refuse_streams (FakeExchange *self,
                                  gboolean      refuse)
{
  self->refuse_streams = refuse;
}

guint
fake_exchange_get_n_stream_accepts (FakeExchange *self)
{
  return self->n_accepts;
}

guint
fake_exchange_get_n_streams_open (FakeExchange *self)
{
  return self->streams->len;
}

guint
fake_exchange_get_n_stream_refusals (FakeExchange *self)
{
  return self->n_refusals;
}

const char *
fake_exchange_get_last_stream (FakeExchange *self)
{
  return self->last_stream;
}

/* }}} */

FakeExchange *
fake_exchange_new (void)
{
  FakeExchange *self = g_new0 (FakeExchange, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  self->requests = g_ptr_array_new_with_free_func (request_free);
  self->pending = g_ptr_array_new_with_free_func (pending_free);
  self->streams = g_ptr_array_new_with_free_func (stream_free);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, fake_key_free);
  g_queue_init (&self->answers);
  self->retry_after = 1;
  self->slow_ms = 2000;
  self->weight_window_ms = 60000;
  self->weight_window = -1;

  /* Our own socket: libsoup 3.2's soup_server_get_uris () leaks. */
  self->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (self->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (self->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (self->listener, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  self->server = soup_server_new ("server-header", "fake-binance ", NULL);
  soup_server_add_handler (self->server, "/api/v3/klines", klines_cb, self, NULL);
  soup_server_add_handler (self->server, "/ws", stream_gate_cb, self, NULL);
  soup_server_add_handler (self->server, "/stream", stream_gate_cb, self, NULL);
  soup_server_add_websocket_handler (self->server, "/ws", NULL, NULL, stream_cb, self, NULL);
  soup_server_add_websocket_handler (self->server, "/stream", NULL, NULL, stream_cb, self, NULL);
  soup_server_listen_socket (self->server, self->listener, 0, &error);
  g_assert_no_error (error);

  self->url = g_strdup_printf ("http://127.0.0.1:%u", port);
  self->stream_url = g_strdup_printf ("ws://127.0.0.1:%u", port);
  fake_exchange_orders_install (self);

  fake_exchange_user_stream_install (self);
  return self;
}

void
fake_exchange_free (FakeExchange *self)
{
  fake_exchange_orders_clear (self);

  fake_exchange_user_stream_clear (self);

  g_ptr_array_unref (self->pending);
  g_ptr_array_unref (self->streams);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_socket_close (self->listener, NULL);
  g_clear_object (&self->listener);
  g_ptr_array_unref (self->requests);
  g_queue_clear (&self->answers);
  g_free (self->url);
  g_free (self->stream_url);
  g_free (self->last_stream);
  g_hash_table_unref (self->keys);
  g_free (self);
}

const char *
fake_exchange_get_url (FakeExchange *self)
{
  return self->url;
}

const char *
fake_exchange_get_stream_url (FakeExchange *self)
{
  return self->stream_url;
}

guint
fake_exchange_get_n_requests (FakeExchange *self)
{
  return self->requests->len;
}

const FakeRequest *
fake_exchange_get_request (FakeExchange *self,
                           guint         index)
{
  g_assert_cmpuint (index, <, self->requests->len);
  return g_ptr_array_index (self->requests, index);
}

void
fake_exchange_clear_requests (FakeExchange *self)
{
  g_ptr_array_set_size (self->requests, 0);
}

void
fake_exchange_answer (FakeExchange *self,
                      FakeAnswer    answer,
                      guint         times)
{
  for (guint i = 0; i < times; i++)
    g_queue_push_tail (&self->answers, GUINT_TO_POINTER (answer));
}

void
fake_exchange_set_retry_after (FakeExchange *self,
                               guint         seconds)
{
  self->retry_after = seconds;
}

void
fake_exchange_set_slow_ms (FakeExchange *self,
                           guint         ms)
{
  self->slow_ms = ms;
}

void
fake_exchange_set_delay_ms (FakeExchange *self,
                            guint         ms)
{
  self->delay_ms = ms;
}

void
fake_exchange_set_weight_base (FakeExchange *self,
                               guint         weight)
{
  self->weight_base = weight;
}

void
fake_exchange_set_weight_window (FakeExchange *self,
                                 guint         seconds)
{
  self->weight_window_ms = (gint64)seconds * 1000;
  self->weight_window = -1;
}

void
fake_exchange_set_now (FakeExchange *self,
                       gint64        now_ms)
{
  self->now_ms = now_ms;
}

BourseConfig *
fake_exchange_make_config (FakeExchange       *self,
                           const char * const *settings)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  const char * const defaults[] = {
    "binance", "base_url", self->url,
    "binance", "stream_url", self->stream_url,
    "binance", "ws_api_url", fake_exchange_get_ws_api_url (self),
    "binance", "retry_base_ms", "50",
    "binance", "retry_max_ms", "2000",
    "binance", "max_retries", "4",
    "binance", "request_timeout", "5",
    NULL
  };

  for (guint pass = 0; pass < 2; pass++)
    {
      const char * const *list = pass == 0 ? defaults : settings;

      for (guint i = 0; list != NULL && list[i] != NULL; i += 3)
        {
          g_autoptr(GError) error = NULL;

          bourse_config_set (config, list[i], list[i + 1], list[i + 2], BOURSE_CONFIG_SOURCE_COMMAND_LINE, &error);
          g_assert_no_error (error);
        }
    }
  return g_steal_pointer (&config);
}
