/* test-websocket.c — the WebSocket hub over real connections
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"


#include "bourse-test-server.h"

typedef struct
{
  SoupWebsocketConnection *connection;
  GPtrArray               *messages;  /* JsonNode*, in arrival order */
  gboolean                 closed;
  GError                  *error;
} WsClient;

static void
ws_message_cb (SoupWebsocketConnection *connection,
               int                      type,
               GBytes                  *message,
               WsClient                *client)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_ptr_array_add (client->messages, node);
}

static void
ws_closed_cb (SoupWebsocketConnection *connection,
              WsClient                *client)
{
  client->closed = TRUE;
}

static void
ws_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WsClient *client = user_data;

  client->connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &client->error);
  if (client->connection != NULL)
    {
      g_signal_connect (client->connection, "message", G_CALLBACK (ws_message_cb), client);
      g_signal_connect (client->connection, "closed", G_CALLBACK (ws_closed_cb), client);
    }
}

static gboolean
ws_connected (gpointer data)
{
  WsClient *client = data;
  return client->connection != NULL || client->error != NULL;
}

static WsClient *
ws_connect (BourseTestServer *server)
{
  WsClient *client = g_new0 (WsClient, 1);
  g_autofree char *url = g_strconcat (server->base_url, "api/v1/ws?token=", server->token, NULL);
  g_autoptr(SoupMessage) message = NULL;

  url[0] = 'w', url[1] = 's', memmove (url + 2, url + 4, strlen (url + 4) + 1);  /* http → ws */
  message = soup_message_new ("GET", url);
  client->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  soup_session_websocket_connect_async (server->session, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, ws_connected_cb, client);
  bourse_test_wait_until (ws_connected, client, 5000, "WebSocket connection");
  g_assert_no_error (client->error);
  return client;
}

static gboolean
ws_is_closed (gpointer data)
{
  return ((WsClient *)data)->closed;
}

static void
ws_free (WsClient *client)
{
  if (soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      bourse_test_wait_until (ws_is_closed, client, 5000, "WebSocket close");
    }
  g_signal_handlers_disconnect_by_data (client->connection, client);
  g_clear_object (&client->connection);
  g_ptr_array_unref (client->messages);
  g_free (client);
}

static void
ws_send (WsClient   *client,
         const char *text)
{
  soup_websocket_connection_send_text (client->connection, text);
}

typedef struct
{
  WsClient   *client;
  const char *type;
  const char *topic;
  guint       count;
} Wanted;

static guint
count_messages (WsClient   *client,
                const char *type,
                const char *topic)
{
  guint n = 0;

  for (guint i = 0; i < client->messages->len; i++)
    {
      JsonObject *object = json_node_get_object (g_ptr_array_index (client->messages, i));

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "type", NULL), type) == 0
          && (topic == NULL || g_strcmp0 (json_object_get_string_member_with_default (object, "topic", NULL), topic) == 0))
        n++;
    }
  return n;
}

static gboolean
has_wanted (gpointer data)
{
  Wanted *wanted = data;
  return count_messages (wanted->client, wanted->type, wanted->topic) >= wanted->count;
}

static void
wait_for (WsClient   *client,
          const char *type,
          const char *topic,
          guint       count)
{
  Wanted wanted = { client, type, topic, count };
  bourse_test_wait_until (has_wanted, &wanted, 5000, type);
}

static JsonObject *
nth_message (WsClient   *client,
             const char *type,
             const char *topic,
             guint       nth)
{
  for (guint i = 0; i < client->messages->len; i++)
    {
      JsonObject *object = json_node_get_object (g_ptr_array_index (client->messages, i));

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "type", NULL), type) == 0
          && (topic == NULL || g_strcmp0 (json_object_get_string_member_with_default (object, "topic", NULL), topic) == 0)
          && nth-- == 0)
        return object;
    }
  g_assert_not_reached ();
}

static void
publish (BourseTestServer *server,
         const char       *topic,
         const char       *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  bourse_event_bus_publish (bourse_engine_get_event_bus (server->engine), topic, node);
}

static gboolean
no_clients (gpointer data)
{
  return bourse_server_get_n_websockets (data) == 0;
}

static void
test_subscribe_system (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  WsClient *client = ws_connect (server);
  JsonObject *event;
  JsonObject *data;

  ws_send (client, "{\"type\":\"subscribe\",\"topics\":[\"system\"]}");
  wait_for (client, "subscribed", NULL, 1);
  /* The current state arrives at once, without waiting for the next tick. */
  wait_for (client, "event", "system", 1);

  event = nth_message (client, "event", "system", 0);
  g_assert_cmpint (json_object_get_int_member (event, "seq"), >=, 1);
  /* "subscribed" numbered it: the replay is no news. */
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (nth_message (client, "subscribed", NULL, 0),
                                                                              "seq"), "system"),
                   ==, json_object_get_int_member (event, "seq"));
  g_assert_nonnull (json_object_get_string_member (event, "ts"));
  data = json_object_get_object_member (event, "data");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (data, "engine"), "state"), ==, "running");
  /* Our own connection is counted. */
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (data, "server"), "websocket_clients"), ==, 1);
  g_assert_cmpuint (bourse_server_get_n_websockets (server->server), ==, 1);

  ws_free (client);
  bourse_test_server_free (server);
}

static void
test_seq_and_deduplication (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  WsClient *client = ws_connect (server);
  JsonObject *first, *second, *third;

  ws_send (client, "{\"type\":\"subscribe\",\"topics\":[\"alerts\",\"jobs\"]}");
  wait_for (client, "subscribed", NULL, 1);
  {
    JsonObject *seqs = json_object_get_object_member (nth_message (client, "subscribed", NULL, 0), "seq");

    /* Nothing published on them yet. */
    g_assert_cmpint (json_object_get_int_member (seqs, "alerts"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (seqs, "jobs"), ==, 0);
  }

  publish (server, "alerts", "{\"n\":1}");
  publish (server, "alerts", "{\"n\":1}");   /* identical: not re-sent */
  publish (server, "jobs", "{\"job\":7}");    /* another topic, its own seq */
  publish (server, "alerts", "{\"n\":2}");
  publish (server, "alerts", "{\"n\":1}");   /* differs from the previous one: sent */
  wait_for (client, "event", "alerts", 3);
  wait_for (client, "event", "jobs", 1);
  bourse_test_spin (100);

  g_assert_cmpuint (count_messages (client, "event", "alerts"), ==, 3);
  first = nth_message (client, "event", "alerts", 0);
  second = nth_message (client, "event", "alerts", 1);
  third = nth_message (client, "event", "alerts", 2);
  g_assert_cmpint (json_object_get_int_member (first, "seq"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (second, "seq"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (third, "seq"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (second, "data"), "n"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (nth_message (client, "event", "jobs", 0), "seq"), ==, 1);

  /* After unsubscribing, nothing more arrives on that topic. */
  ws_send (client, "{\"type\":\"unsubscribe\",\"topics\":[\"alerts\"]}");
  wait_for (client, "unsubscribed", NULL, 1);
  publish (server, "alerts", "{\"n\":3}");
  publish (server, "jobs", "{\"job\":8}");
  wait_for (client, "event", "jobs", 2);
  g_assert_cmpuint (count_messages (client, "event", "alerts"), ==, 3);

  ws_free (client);
  bourse_test_server_free (server);
}

static void
test_late_subscriber_gets_latest (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  WsClient *client;
  JsonObject *event;

  publish (server, "jobs", "{\"n\":1}");
  publish (server, "jobs", "{\"n\":2}");
  /* Alerts are one-off notices (some carry reset tokens): never replayed. */
  publish (server, "alerts", "{\"kind\":\"user.pending\"}");
  client = ws_connect (server);
  ws_send (client, "{\"type\":\"subscribe\",\"topics\":[\"jobs\",\"alerts\"]}");
  wait_for (client, "event", "jobs", 1);
  bourse_test_spin (100);

  g_assert_cmpuint (count_messages (client, "event", "jobs"), ==, 1);
  g_assert_cmpuint (count_messages (client, "event", "alerts"), ==, 0);
  event = nth_message (client, "event", "jobs", 0);
  g_assert_cmpint (json_object_get_int_member (event, "seq"), ==, 2);

  ws_free (client);
  bourse_test_server_free (server);
}

static void
test_bad_messages (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  WsClient *client = ws_connect (server);

  ws_send (client, "not json");
  ws_send (client, "{\"type\":\"subscribe\",\"topics\":[\"system\",\"no-such-topic\"]}");
  ws_send (client, "{\"type\":\"subscribe\",\"topics\":\"system\"}");
  ws_send (client, "{\"type\":\"dance\"}");
  wait_for (client, "error", NULL, 4);

  g_assert_nonnull (strstr (json_object_get_string_member (nth_message (client, "error", NULL, 1), "message"), "no-such-topic"));
  g_assert_nonnull (strstr (json_object_get_string_member (nth_message (client, "error", NULL, 3), "message"), "dance"));
  /* The invalid subscription was refused whole: system was not subscribed. */
  g_assert_cmpuint (count_messages (client, "subscribed", NULL), ==, 0);

  ws_send (client, "{\"type\":\"ping\"}");
  wait_for (client, "pong", NULL, 1);

  ws_free (client);
  bourse_test_server_free (server);
}

static void
test_oversized_frame_closes (void)
{
  static const char * const settings[] = { "server", "ws_max_frame_bytes", "1024", NULL };
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  WsClient *client = ws_connect (server);
  g_autofree char *big = g_strnfill (4096, 'x');

  ws_send (client, big);
  bourse_test_wait_until (ws_is_closed, client, 5000, "close after an oversized frame");
  bourse_test_wait_until (no_clients, server->server, 5000, "oversized client dropped");

  ws_free (client);
  bourse_test_server_free (server);
}

/* A client that completes the handshake and then never reads. */
typedef struct
{
  GSocketConnection *connection;
  GByteArray        *received;
  gboolean           eof;
  guint8             buffer[65536];
} RawClient;

static void raw_read (RawClient *raw);

static void
raw_read_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RawClient *raw = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0)
    {
      raw->eof = TRUE;
      return;
    }
  g_byte_array_append (raw->received, raw->buffer, n);
  raw_read (raw);
}

static void
raw_read (RawClient *raw)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (raw->connection)),
                             raw->buffer, sizeof raw->buffer, G_PRIORITY_DEFAULT, NULL, raw_read_cb, raw);
}

static gboolean
raw_eof (gpointer data)
{
  return ((RawClient *)data)->eof;
}

static gboolean
one_client (gpointer data)
{
  return bourse_server_get_n_websockets (data) == 1;
}

/* Finds the close frame among unmasked server frames; returns its code. */
static guint
find_close_code (GByteArray  *data,
                 char       **reason)
{
  gsize at = 0;
  gsize header_end;

  /* Skip the HTTP 101 response. */
  for (header_end = 0; header_end + 3 < data->len; header_end++)
    if (memcmp (data->data + header_end, "\r\n\r\n", 4) == 0)
      break;
  at = header_end + 4;

  while (at + 2 <= data->len)
    {
      guint opcode = data->data[at] & 0x0f;
      guint64 length = data->data[at + 1] & 0x7f;
      gsize header = 2;

      if (length == 126)
        {
          length = (data->data[at + 2] << 8) | data->data[at + 3];
          header = 4;
        }
      else if (length == 127)
        {
          length = 0;
          for (guint i = 0; i < 8; i++)
            length = (length << 8) | data->data[at + 2 + i];
          header = 10;
        }

      if (at + header + length > data->len)
        break;
      if (opcode == 0x8 && length >= 2)
        {
          const guint8 *payload = data->data + at + header;
          *reason = g_strndup ((const char *)payload + 2, length - 2);
          return (payload[0] << 8) | payload[1];
        }
      at += header + length;
    }

  return 0;
}

static void
test_slow_consumer_closed (void)
{
  static const char * const settings[] = { "server", "ws_queue_limit", "8", NULL };
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  RawClient raw = { 0 };
  GOutputStream *output;
  g_autofree char *handshake = NULL;
  /* A masked text frame: {"type":"subscribe","topics":["alerts"]} */
  const char *subscribe = "{\"type\":\"subscribe\",\"topics\":[\"alerts\"]}";
  guint8 frame[128];
  gsize length = strlen (subscribe);
  const guint8 mask[4] = { 1, 2, 3, 4 };
  g_autofree char *payload_text = g_strnfill (32 * 1024, 'p');
  g_autofree char *reason = NULL;
  g_autoptr(BourseTestResponse) metrics = NULL;
  guint code;

  raw.connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1",
                                                    bourse_server_get_port (server->server), NULL, &error);
  g_assert_no_error (error);
  output = g_io_stream_get_output_stream (G_IO_STREAM (raw.connection));

  handshake = g_strdup_printf ("GET /api/v1/ws?token=%s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                               "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                               "Sec-WebSocket-Version: 13\r\n\r\n", server->token);
  g_output_stream_write_all (output, handshake, strlen (handshake), NULL, NULL, &error);
  g_assert_no_error (error);

  frame[0] = 0x81;
  frame[1] = 0x80 | length;
  memcpy (frame + 2, mask, 4);
  for (gsize i = 0; i < length; i++)
    frame[6 + i] = subscribe[i] ^ mask[i % 4];
  g_output_stream_write_all (output, frame, 6 + length, NULL, NULL, &error);
  g_assert_no_error (error);

  bourse_test_wait_until (one_client, server->server, 5000, "raw client registered");
  bourse_test_spin (100);

  /* Flood the topic; the client reads nothing. */
  for (guint i = 0; i < 2000 && bourse_server_get_n_websockets (server->server) == 1; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"i\":%u,\"pad\":\"%s\"}", i, payload_text);
      publish (server, "alerts", json);
      if (i % 50 == 0)
        g_main_context_iteration (NULL, FALSE);
    }

  /* The server gives up on it rather than buffering without bound. */
  raw.received = g_byte_array_new ();
  raw_read (&raw);
  bourse_test_wait_until (no_clients, server->server, 20000, "slow client dropped");
  bourse_test_wait_until (raw_eof, &raw, 20000, "slow client connection closed");

  code = find_close_code (raw.received, &reason);
  g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
  g_assert_nonnull (strstr (reason, "too slow"));

  metrics = bourse_test_fetch (server, "GET", "/metrics", NULL, NULL, NULL, 0);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (metrics->body, NULL), g_bytes_get_size (metrics->body),
                                  "bourse_websocket_slow_closes_total 1\n"));

  g_byte_array_unref (raw.received);
  g_clear_object (&raw.connection);
  bourse_test_server_free (server);
}

static void
shutdown_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_assert_true (bourse_server_shutdown_finish (BOURSE_SERVER (object), result, NULL));
  *(gboolean *)user_data = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *)data;
}

static void
test_shutdown_closes_with_going_away (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  WsClient *client = ws_connect (server);
  gboolean stopped = FALSE;

  bourse_test_wait_until (one_client, server->server, 5000, "client registered");
  soup_session_abort (server->session);
  bourse_server_shutdown_async (server->server, NULL, shutdown_done_cb, &stopped);
  bourse_test_wait_until (ws_is_closed, client, 5000, "close on shutdown");
  /* The server lets go of itself only once its shutdown completes. */
  bourse_test_wait_until (flag_is_set, &stopped, 15000, "shutdown to complete");
  g_assert_cmpuint (soup_websocket_connection_get_close_code (client->connection), ==,
                    SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  ws_free (client);
  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/websocket/subscribe-system", test_subscribe_system);
  g_test_add_func ("/websocket/seq-and-deduplication", test_seq_and_deduplication);
  g_test_add_func ("/websocket/late-subscriber", test_late_subscriber_gets_latest);
  g_test_add_func ("/websocket/bad-messages", test_bad_messages);
  g_test_add_func ("/websocket/oversized-frame", test_oversized_frame_closes);
  g_test_add_func ("/websocket/slow-consumer", test_slow_consumer_closed);
  g_test_add_func ("/websocket/shutdown-going-away", test_shutdown_closes_with_going_away);

  return g_test_run ();
}
