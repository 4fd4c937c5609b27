/* test-security.c — what an outside probe found, kept fixed (issue 8)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One engine for the whole file. The attacking client runs in a thread of
 * its own with blocking sockets, as a separate program would, while the
 * main thread runs the server's main loop.
 */

#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "bourse-test-server.h"

static BourseTestServer *server;

/* {{{ A raw client in a thread */

typedef void (*ClientFunc) (gpointer data);

typedef struct
{
  ClientFunc func;
  gpointer   data;
  gboolean   done;
} ClientRun;

static gpointer
client_thread (gpointer data)
{
  ClientRun *run = data;

  run->func (run->data);
  g_atomic_int_set (&run->done, TRUE);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* Runs func in a thread while the server's loop turns; fails the test if
 * the client has not finished within timeout_ms. */
static void
run_client (ClientFunc func,
            gpointer   data,
            guint      timeout_ms)
{
  ClientRun run = { func, data, FALSE };
  GThread *thread = g_thread_new ("client", client_thread, &run);
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64)1000;

  while (!g_atomic_int_get (&run.done))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the client did not finish within %u ms", timeout_ms);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (200);
    }
  g_thread_join (thread);
}

static GSocket *
raw_connect (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, bourse_server_get_port (server->server));
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_socket_set_timeout (socket, 20);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);
  return socket;
}

static void
raw_send (GSocket      *socket,
          const guint8 *data,
          gsize         length)
{
  while (length > 0)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (socket, (const char *)data, length, NULL, &error);

      g_assert_no_error (error);
      data += n, length -= n;
    }
}

/* Reads one HTTP response (headers and a Content-Length body); returns its
 * status, 0 on the end of the stream. */
static guint
raw_read_response (GSocket  *socket,
                   GString **body_out)
{
  g_autoptr(GString) data = g_string_new (NULL);
  const char *end, *length_header;
  gsize body_length = 0;
  char buffer[16384];
  guint status = 0;

  while ((end = strstr (data->str, "\r\n\r\n")) == NULL)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        return 0;
      g_string_append_len (data, buffer, n);
    }

  length_header = g_strstr_len (data->str, end - data->str, "Content-Length: ");
  if (length_header != NULL)
    body_length = g_ascii_strtoull (length_header + 16, NULL, 10);
  while (data->len < (gsize)(end + 4 - data->str) + body_length)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        return 0;
      g_string_append_len (data, buffer, n);
      end = strstr (data->str, "\r\n\r\n");
    }

  sscanf (data->str, "HTTP/1.1 %u", &status);
  if (body_out != NULL)
    *body_out = g_string_new_len (end + 4, body_length);
  return status;
}

/* TRUE when the server closes the connection within the socket's time-out. */
static gboolean
raw_wait_closed (GSocket *socket)
{
  char buffer[4096];
  gssize n;

  while ((n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL)) > 0)
    ;
  return n == 0;
}

/* A masked client frame (RFC 6455 §5.2). */
static GByteArray *
ws_frame (guint8      opcode,
          gboolean    fin,
          const char *payload,
          gsize       length)
{
  static const guint8 mask[4] = { 0x12, 0x34, 0x56, 0x78 };
  GByteArray *frame = g_byte_array_new ();
  guint8 header[14];
  gsize at = 0;

  header[at++] = (fin ? 0x80 : 0) | opcode;
  if (length < 126)
    header[at++] = 0x80 | length;
  else if (length < 65536)
    {
      header[at++] = 0x80 | 126;
      header[at++] = length >> 8;
      header[at++] = length & 0xff;
    }
  else
    {
      header[at++] = 0x80 | 127;
      for (int i = 7; i >= 0; i--)
        header[at++] = (guint64)length >> (8 * i);
    }
  memcpy (header + at, mask, 4);
  at += 4;
  g_byte_array_append (frame, header, at);
  for (gsize i = 0; i < length; i++)
    {
      guint8 byte = payload[i] ^ mask[i % 4];
      g_byte_array_append (frame, &byte, 1);
    }
  return frame;
}

static GSocket *
ws_open (const char *token)
{
  GSocket *socket = raw_connect ();
  g_autofree char *handshake =
    g_strdup_printf ("GET /api/v1/ws?token=%s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n", token);
  g_autoptr(GString) response = g_string_new (NULL);
  char byte;

  raw_send (socket, (const guint8 *)handshake, strlen (handshake));
  /* Byte by byte up to the end of the headers: frames may follow. */
  while (!g_str_has_suffix (response->str, "\r\n\r\n"))
    {
      g_assert_cmpint (g_socket_receive (socket, &byte, 1, NULL, NULL), ==, 1);
      g_string_append_c (response, byte);
    }
  g_assert_true (g_str_has_prefix (response->str, "HTTP/1.1 101"));
  return socket;
}

/* Reads server frames until a close frame; returns its code (0 if the
 * stream ends without one). */
static guint
ws_read_close_code (GSocket *socket)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  char buffer[16384];

  for (;;)
    {
      gsize at = 0;
      gssize n;

      while (at + 2 <= data->len)
        {
          guint opcode = data->data[at] & 0x0f;
          guint64 length = data->data[at + 1] & 0x7f;
          gsize header = 2;

          if (length == 126)
            {
              if (at + 4 > data->len)
                break;
              length = (data->data[at + 2] << 8) | data->data[at + 3];
              header = 4;
            }
          else if (length == 127)
            {
              if (at + 10 > data->len)
                break;
              length = 0;
              for (guint i = 0; i < 8; i++)
                length = (length << 8) | data->data[at + 2 + i];
              header = 10;
            }
          if (at + header + length > data->len)
            break;
          if (opcode == 0x8)
            return length >= 2 ? (data->data[at + header] << 8) | data->data[at + header + 1] : 1005;
          at += header + length;
        }

      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);
      if (n <= 0)
        return 0;
      g_byte_array_append (data, (guint8 *)buffer, n);
    }
}

/* FALSE once the server has stopped taking data (it may hang up on us). */
static gboolean
raw_send_lenient (GSocket      *socket,
                  const guint8 *data,
                  gsize         length)
{
  while (length > 0)
    {
      gssize n = g_socket_send_with_blocking (socket, (const char *)data, length, TRUE, NULL, NULL);

      if (n <= 0)
        return FALSE;
      data += n, length -= n;
    }
  return TRUE;
}

/* One server frame (unfragmented, as ours are): its opcode and payload;
 * FALSE at the end of the stream. */
static gboolean
ws_read_frame (GSocket  *socket,
               guint    *opcode,
               GString **payload)
{
  guint8 header[10];
  guint64 length;

  if (g_socket_receive (socket, (char *)header, 1, NULL, NULL) != 1
      || g_socket_receive (socket, (char *)header + 1, 1, NULL, NULL) != 1)
    return FALSE;
  *opcode = header[0] & 0x0f;
  length = header[1] & 0x7f;
  if (length >= 126)
    {
      guint n = length == 126 ? 2 : 8;

      length = 0;
      for (guint i = 0; i < n; i++)
        {
          if (g_socket_receive (socket, (char *)header + 2 + i, 1, NULL, NULL) != 1)
            return FALSE;
          length = (length << 8) | header[2 + i];
        }
    }
  *payload = g_string_sized_new (length);
  while ((*payload)->len < length)
    {
      char buffer[4096];
      gssize n = g_socket_receive (socket, buffer, MIN (sizeof buffer, length - (*payload)->len), NULL, NULL);

      if (n <= 0)
        return FALSE;
      g_string_append_len (*payload, buffer, n);
    }
  return TRUE;
}

static void
ws_send_text (GSocket    *socket,
              const char *text)
{
  g_autoptr(GByteArray) frame = ws_frame (0x1, TRUE, text, strlen (text));

  raw_send (socket, frame->data, frame->len);
}

/* Reads text messages until one whose "type" is @type; returns it. Events
 * of @forbidden_topic on the way fail the test. On a close frame, returns
 * NULL and sets *close_code. */
static JsonObject *
ws_wait_for (GSocket    *socket,
             const char *type,
             const char *forbidden_topic,
             guint      *close_code)
{
  for (;;)
    {
      g_autoptr(GString) payload = NULL;
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object;
      guint opcode;

      if (!ws_read_frame (socket, &opcode, &payload))
        {
          if (close_code != NULL)
            *close_code = 0;
          return NULL;
        }
      if (opcode == 0x8)
        {
          if (close_code != NULL)
            *close_code = payload->len >= 2 ? ((guint8)payload->str[0] << 8) | (guint8)payload->str[1] : 1005;
          return NULL;
        }
      if (opcode != 0x1)
        continue;

      node = json_from_string (payload->str, NULL);
      g_assert_nonnull (node);
      object = json_node_get_object (node);
      if (forbidden_topic != NULL
          && g_strcmp0 (json_object_get_string_member_with_default (object, "topic", NULL), forbidden_topic) == 0)
        g_error ("an event of “%s” reached a client who may not see it", forbidden_topic);
      if (g_strcmp0 (json_object_get_string_member_with_default (object, "type", NULL), type) == 0)
        return json_object_ref (object);
    }
}

/* A request from the client thread; the answer's JSON (or NULL). */
static JsonNode *
http_json (const char *method,
           const char *path,
           const char *token,
           const char *body,
           guint      *status)
{
  g_autoptr(GSocket) socket = raw_connect ();
  g_autofree char *authorization = token ? g_strdup_printf ("Authorization: Bearer %s\r\n", token) : g_strdup ("");
  g_autofree char *request =
    g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s"
                     "Content-Type: application/json\r\nContent-Length: %" G_GSIZE_FORMAT "\r\n\r\n%s",
                     method, path, authorization, body ? strlen (body) : 0, body ? body : "");
  g_autoptr(GString) answer = NULL;

  raw_send (socket, (const guint8 *)request, strlen (request));
  *status = raw_read_response (socket, &answer);
  return answer != NULL && answer->len > 0 ? json_from_string (answer->str, NULL) : NULL;
}

static guint
count_descriptors (void)
{
  DIR *dir = opendir ("/proc/self/fd");
  guint n = 0;

  g_assert_nonnull (dir);
  while (readdir (dir) != NULL)
    n++;
  closedir (dir);
  return n;
}

/* }}} */

/* {{{ Nesting (issue 8, high 1) */

static char *
repeat (const char *unit,
        guint       times)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (text, unit);
  return g_string_free (text, FALSE);
}

static void
test_deep_json_bodies (void)
{
  static const char * const public_routes[] = {
    "/api/v1/auth/login", "/api/v1/auth/register", "/api/v1/auth/refresh",
    "/api/v1/auth/password-reset/request", "/api/v1/auth/password-reset/confirm",
  };
  static const char * const units[] = { "[", "{\"a\":" };
  static const char * const anonymous[] = { "Authorization", "", NULL };

  for (guint u = 0; u < G_N_ELEMENTS (units); u++)
    {
      /* Under the body limit, so that the depth check is what refuses it. */
      g_autofree char *deep = repeat (units[u], 900000 / strlen (units[u]) / 10);

      for (guint i = 0; i < G_N_ELEMENTS (public_routes); i++)
        {
          g_autoptr(BourseTestResponse) response =
            bourse_test_fetch (server, "POST", public_routes[i], anonymous, "application/json", deep, -1);
          g_autoptr(JsonNode) problem = bourse_test_response_json (response);

          g_test_message ("%s with %s…", public_routes[i], units[u]);
          g_assert_cmpuint (response->status, ==, 400);
          g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (problem), "detail"),
                                    "nested deeper"));
        }

      /* And behind authentication, as the owner. */
      {
        g_autoptr(BourseTestResponse) response =
          bourse_test_fetch (server, "PATCH", "/api/v1/users/me", NULL, "application/json", deep, -1);

        g_assert_cmpuint (response->status, ==, 400);
      }
    }

  {
    g_autoptr(BourseTestResponse) health = bourse_test_fetch (server, "GET", "/health", NULL, NULL, NULL, 0);

    g_assert_cmpuint (health->status, ==, 200);
  }
}

/* "password":"<correct>\u0000junk" must not sign in as "<correct>". */
static void
test_nul_in_text_refused (void)
{
  static const char * const anonymous[] = { "Authorization", "", NULL };
  const char *body = "{\"username\":\"owner\\u0000x\",\"password\":\"whatever\\u0000junk\"}";
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (server, "POST", "/api/v1/auth/login", anonymous, "application/json", body, -1);
  g_autoptr(JsonNode) problem = bourse_test_response_json (response);

  g_assert_cmpuint (response->status, ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (problem), "detail"), "NUL"));
}

static void
deep_websocket_client (gpointer data)
{
  g_autoptr(GSocket) socket = ws_open (server->token);
  g_autofree char *deep = repeat ("[", 60000);
  g_autoptr(GByteArray) frame = ws_frame (0x1, TRUE, deep, strlen (deep));

  raw_send (socket, frame->data, frame->len);
  *(guint *)data = ws_read_close_code (socket);
}

static void
test_deep_websocket_message (void)
{
  guint code = 0;

  run_client (deep_websocket_client, &code, 30000);
  g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
}

/* }}} */

/* {{{ WebSocket messages in fragments (issue 8, high 3) */

static void
fragmented_client (gpointer data)
{
  g_autoptr(GSocket) socket = ws_open (server->token);
  g_autofree char *chunk = g_strnfill (16 * 1024, ' ');
  const char *subscribe[] = { "{\"type\":\"subscr", "ibe\",\"topics\"", ":[\"system\"]}" };
  g_autoptr(JsonObject) subscribed = NULL;
  guint code = 0;

  /* Within the limit, fragments make one message, answered as usual. */
  for (guint i = 0; i < G_N_ELEMENTS (subscribe); i++)
    {
      g_autoptr(GByteArray) frame = ws_frame (i == 0 ? 0x1 : 0x0, i == G_N_ELEMENTS (subscribe) - 1,
                                              subscribe[i], strlen (subscribe[i]));
      raw_send (socket, frame->data, frame->len);
    }
  subscribed = ws_wait_for (socket, "subscribed", NULL, NULL);
  g_assert_nonnull (subscribed);

  /* 4 MiB in 16 KiB fragments, each well under the limit of 64 KiB. The
   * server may hang up before it has all: that is the point. */
  for (guint i = 0; i < 256; i++)
    {
      g_autoptr(GByteArray) frame = ws_frame (i == 0 ? 0x1 : 0x0, i == 255, chunk, strlen (chunk));

      if (!raw_send_lenient (socket, frame->data, frame->len))
        break;
    }
  ws_wait_for (socket, "never", NULL, &code);
  *(guint *)data = code;
}

static void
test_fragmented_message_over_limit (void)
{
  guint code = 0;

  run_client (fragmented_client, &code, 60000);
  g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);
}

/* At most ws_max_topics (8 here) topics a socket, and candle or ticker
 * topics only for instruments that exist. */
static void
topic_flood_client (gpointer data)
{
  g_autoptr(GSocket) socket = ws_open (server->token);
  g_autoptr(JsonObject) unknown = NULL;
  g_autoptr(JsonObject) flood = NULL;
  g_autoptr(JsonObject) fine = NULL;
  GString *topics = g_string_new ("{\"type\":\"subscribe\",\"topics\":[");

  ws_send_text (socket, "{\"type\":\"subscribe\",\"topics\":[\"ticker:NOSUCHCOIN\"]}");
  unknown = ws_wait_for (socket, "error", NULL, NULL);
  g_assert_nonnull (strstr (json_object_get_string_member (unknown, "message"), "NOSUCHCOIN"));

  /* Nine valid topics, one more than the limit. */
  g_string_append (topics, "\"system\",\"signals\",\"recommendations\",\"approvals\",\"orders\","
                           "\"trades\",\"positions\",\"portfolio\",\"balances\"]}");
  ws_send_text (socket, topics->str);
  flood = ws_wait_for (socket, "error", NULL, NULL);
  g_assert_nonnull (strstr (json_object_get_string_member (flood, "message"), "at most 8"));

  ws_send_text (socket, "{\"type\":\"subscribe\",\"topics\":[\"system\",\"jobs\"]}");
  fine = ws_wait_for (socket, "subscribed", NULL, NULL);
  g_assert_nonnull (fine);
  g_string_free (topics, TRUE);
}

static void
test_topic_flood_refused (void)
{
  run_client (topic_flood_client, NULL, 30000);
}

/* }}} */

/* {{{ Sockets follow their credentials (issue 8, high 2) */

#define PASSWORD "a long and winding road 42"

static gint64
create_user (const char *name,
             const char *role)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.org\","
                                           "\"password\":\"" PASSWORD "\",\"role\":\"%s\"}", name, name, role);
  guint status = 0;
  g_autoptr(JsonNode) node = http_json ("POST", "/api/v1/users", server->token, body, &status);

  g_assert_cmpuint (status, ==, 201);
  return json_object_get_int_member (json_node_get_object (node), "id");
}

static char *
sign_in (const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"" PASSWORD "\"}", name);
  guint status = 0;
  g_autoptr(JsonNode) node = http_json ("POST", "/api/v1/auth/login", NULL, body, &status);

  g_assert_cmpuint (status, ==, 200);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "access_token"));
}

static void
patch_user (gint64      id,
            const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, id);
  guint status = 0;
  g_autoptr(JsonNode) node = http_json ("PATCH", path, server->token, body, &status);

  g_assert_cmpuint (status, ==, 200);
}

static void
demoted_admin_client (gpointer data)
{
  gint64 eve;
  g_autofree char *token = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(JsonObject) subscribed = NULL;
  g_autoptr(JsonObject) dropped = NULL;
  g_autoptr(JsonObject) refused = NULL;
  g_autoptr(JsonObject) pong = NULL;
  JsonArray *topics;
  guint status = 0;
  guint code = 0;

  /* Another administrator, so that eve is not the last one. */
  create_user ("anchor", "admin");
  eve = create_user ("eve", "admin");
  token = sign_in ("eve");
  socket = ws_open (token);
  ws_send_text (socket, "{\"type\":\"subscribe\",\"topics\":[\"alerts\",\"logs\",\"system\"]}");
  subscribed = ws_wait_for (socket, "subscribed", NULL, NULL);
  g_assert_nonnull (subscribed);

  /* Demoted: the admin topics go at once, and the client is told. */
  patch_user (eve, "{\"role\":\"viewer\"}");
  dropped = ws_wait_for (socket, "unsubscribed", NULL, NULL);
  g_assert_nonnull (dropped);
  g_assert_cmpstr (json_object_get_string_member (dropped, "reason"), ==, "permission");
  topics = json_object_get_array_member (dropped, "topics");
  g_assert_cmpuint (json_array_get_length (topics), ==, 2);

  ws_send_text (socket, "{\"type\":\"subscribe\",\"topics\":[\"logs\"]}");
  refused = ws_wait_for (socket, "error", NULL, NULL);
  g_assert_nonnull (refused);

  /* A sign-up alerts the administrators; the pong comes after any event
   * the sign-up caused, so none reached this socket. */
  {
    g_autoptr(JsonNode) registered =
      http_json ("POST", "/api/v1/auth/register", NULL,
                 "{\"username\":\"mallory\",\"email\":\"mallory@example.org\",\"password\":\"" PASSWORD "\"}",
                 &status);
    g_assert_cmpuint (status, ==, 201);
  }
  ws_send_text (socket, "{\"type\":\"ping\"}");
  pong = ws_wait_for (socket, "pong", "alerts", NULL);
  g_assert_nonnull (pong);

  /* Disabled: the socket closes. */
  patch_user (eve, "{\"status\":\"disabled\"}");
  g_assert_null (ws_wait_for (socket, "never", NULL, &code));
  g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
}

static void
test_demoted_and_disabled_sockets (void)
{
  run_client (demoted_admin_client, NULL, 60000);
}

static void
revoked_key_client (gpointer data)
{
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autofree char *handshake = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GString) response = g_string_new (NULL);
  g_autoptr(JsonObject) subscribed = NULL;
  guint status = 0;
  guint code = 0;
  char byte;

  create_user ("kay", "trader");
  token = sign_in ("kay");
  created = http_json ("POST", "/api/v1/api-keys", token, "{\"name\":\"bot\",\"role\":\"trader\"}", &status);
  g_assert_cmpuint (status, ==, 201);

  /* A WebSocket opened with the key, as a bot would. */
  socket = raw_connect ();
  handshake = g_strdup_printf ("GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                               "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                               "Sec-WebSocket-Version: 13\r\nX-API-Key: %s\r\n\r\n",
                               json_object_get_string_member (json_node_get_object (created), "key"));
  raw_send (socket, (const guint8 *)handshake, strlen (handshake));
  while (!g_str_has_suffix (response->str, "\r\n\r\n"))
    {
      g_assert_cmpint (g_socket_receive (socket, &byte, 1, NULL, NULL), ==, 1);
      g_string_append_c (response, byte);
    }
  g_assert_true (g_str_has_prefix (response->str, "HTTP/1.1 101"));
  ws_send_text (socket, "{\"type\":\"subscribe\",\"topics\":[\"system\"]}");
  subscribed = ws_wait_for (socket, "subscribed", NULL, NULL);
  g_assert_nonnull (subscribed);

  path = g_strdup_printf ("/api/v1/api-keys/%" G_GINT64_FORMAT,
                          json_object_get_int_member (json_node_get_object (created), "id"));
  g_clear_pointer (&created, json_node_unref);
  created = http_json ("DELETE", path, token, NULL, &status);
  g_assert_cmpuint (status, ==, 204);

  g_assert_null (ws_wait_for (socket, "never", NULL, &code));
  g_assert_cmpuint (code, ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
}

static void
test_revoked_key_socket (void)
{
  run_client (revoked_key_client, NULL, 60000);
}

/* The only administrator can neither demote nor disable themselves. */
static void
last_admin_client (gpointer data)
{
  gint64 solo = create_user ("solo", "admin");
  g_autofree char *token = sign_in ("solo");
  g_autofree char *path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, solo);
  g_autoptr(JsonNode) users = NULL;
  JsonArray *items;
  guint status = 0;

  /* Every other administrator account becomes a trader. */
  users = http_json ("GET", "/api/v1/users", token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  items = json_object_get_array_member (json_node_get_object (users), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *user = json_array_get_object_element (items, i);
      gint64 id = json_object_get_int_member (user, "id");

      if (id != solo && g_str_equal (json_object_get_string_member (user, "role"), "admin"))
        patch_user (id, "{\"role\":\"trader\"}");
    }

  {
    g_autoptr(JsonNode) answer = http_json ("PATCH", path, token, "{\"role\":\"viewer\"}", &status);
    g_assert_cmpuint (status, ==, 409);
  }
  {
    g_autoptr(JsonNode) answer = http_json ("PATCH", path, token, "{\"status\":\"disabled\"}", &status);
    g_assert_cmpuint (status, ==, 409);
  }
  /* With a second administrator, the change is allowed. */
  create_user ("second", "admin");
  {
    g_autoptr(JsonNode) answer = http_json ("PATCH", path, token, "{\"role\":\"trader\"}", &status);
    g_assert_cmpuint (status, ==, 200);
  }
}

static void
test_last_admin_kept (void)
{
  run_client (last_admin_client, NULL, 60000);
}

/* {{{ Password checks (issue 8, medium 5 and low) */

/* Guessing the current password through a profile change counts against
 * the account's sign-in throttle, like guessing at the sign-in. */
static void
profile_guessing_client (gpointer data)
{
  g_autofree char *token = NULL;
  guint status = 0;

  create_user ("guessed", "trader");
  token = sign_in ("guessed");
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *body =
        g_strdup_printf ("{\"password\":\"a brand new passphrase 77\",\"current_password\":\"guess number %u\"}", i);
      g_autoptr(JsonNode) answer = http_json ("PATCH", "/api/v1/users/me", token, body, &status);

      g_assert_cmpuint (status, ==, 403);
    }
  {
    g_autoptr(JsonNode) answer =
      http_json ("PATCH", "/api/v1/users/me", token,
                 "{\"password\":\"a brand new passphrase 77\",\"current_password\":\"" PASSWORD "\"}", &status);

    /* Even the right password waits now. */
    g_assert_cmpuint (status, ==, 429);
  }
}

static void
test_profile_guessing_throttled (void)
{
  run_client (profile_guessing_client, NULL, 60000);
}

/* A password typed into the name field must not stay in the audit chain. */
static void
typed_name_client (gpointer data)
{
  const char *typed = "Sup3r-secret typed in the wrong field";
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"x\"}", typed);
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) audit = NULL;
  g_autofree char *audit_text = NULL;
  guint status = 0;

  refused = http_json ("POST", "/api/v1/auth/login", NULL, body, &status);
  g_assert_cmpuint (status, ==, 401);
  /* A failed sign-in of an existing account still names it. */
  g_clear_pointer (&refused, json_node_unref);
  create_user ("tess", "viewer");
  refused = http_json ("POST", "/api/v1/auth/login", NULL, "{\"username\":\"tess\",\"password\":\"wrong one\"}",
                       &status);
  g_assert_cmpuint (status, ==, 401);

  audit = http_json ("GET", "/api/v1/audit?action=auth.login.failed&limit=500", server->token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  audit_text = json_to_string (audit, FALSE);
  g_assert_null (strstr (audit_text, "Sup3r-secret"));
  g_assert_nonnull (strstr (audit_text, "unknown-account"));
  g_assert_nonnull (strstr (audit_text, "\"tess\""));
}

static void
test_failed_login_keeps_no_typed_name (void)
{
  run_client (typed_name_client, NULL, 60000);
}

/* }}} */

/* {{{ Connections (issue 8, high 4) */

#define N_CONNECTIONS 300

static void
keep_alive_then_close_client (gpointer data)
{
  const char *request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  for (guint i = 0; i < N_CONNECTIONS; i++)
    {
      g_autoptr(GSocket) socket = raw_connect ();

      /* Two requests on one connection, then the client hangs up. */
      for (guint r = 0; r < 2; r++)
        {
          raw_send (socket, (const guint8 *)request, strlen (request));
          g_assert_cmpuint (raw_read_response (socket, NULL), ==, 200);
        }
      g_socket_close (socket, NULL);
    }
}

typedef struct
{
  guint limit;
} DescriptorBound;

static gboolean
descriptors_within (gpointer data)
{
  return count_descriptors () <= ((DescriptorBound *)data)->limit;
}

/* libsoup 3.2 kept every keep-alive connection the client closed, in
 * CLOSE-WAIT, with its descriptor. */
static void
test_closed_keep_alive_connections_released (void)
{
  guint before = count_descriptors ();
  DescriptorBound bound = { before + 5 };

  run_client (keep_alive_then_close_client, NULL, 120000);
  bourse_test_wait_until (descriptors_within, &bound, 20000, "descriptors of closed connections released");
}

typedef struct
{
  guint    n;
  gboolean all_closed;
} SlowClients;

static void
slowloris_client (gpointer data)
{
  SlowClients *slow = data;
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);
  const char *partial = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

  for (guint i = 0; i < slow->n; i++)
    {
      GSocket *socket = raw_connect ();

      raw_send (socket, (const guint8 *)partial, strlen (partial));
      g_ptr_array_add (sockets, socket);
    }
  /* Never finish the headers: the server must hang up on each. */
  slow->all_closed = TRUE;
  for (guint i = 0; i < sockets->len; i++)
    slow->all_closed &= raw_wait_closed (g_ptr_array_index (sockets, i));
}

static void
test_slow_headers_closed (void)
{
  guint before = count_descriptors ();
  DescriptorBound bound = { before + 5 };
  SlowClients slow = { 100, FALSE };

  run_client (slowloris_client, &slow, 60000);
  g_assert_true (slow.all_closed);
  bourse_test_wait_until (descriptors_within, &bound, 20000, "descriptors of slow connections released");
}

/* libsoup refuses a request head over 64 KiB by closing the connection
 * (it has no 431 to send): the client learns nothing of the server and
 * the next connection is served as usual. */
static void
oversized_head_client (gpointer data)
{
  const char *health = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  g_autofree char *padding = g_strnfill (70 * 1024, 'a');
  g_autofree char *long_line = g_strdup_printf ("GET /api/v1/instruments?%s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                                                padding);
  g_autofree char *long_header = g_strdup_printf ("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: %s\r\n\r\n",
                                                  padding);
  const char *requests[] = { long_line, long_header };
  gboolean *all_closed = data;

  *all_closed = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autoptr(GSocket) socket = raw_connect ();
      g_autoptr(GSocket) next = NULL;

      char buffer[256];
      g_autoptr(GError) error = NULL;
      gssize n;

      /* The server may close before it has read everything: the end of
       * the stream, or a reset; never an answer, never a time-out. */
      g_socket_send (socket, requests[i], strlen (requests[i]), NULL, NULL);
      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
      *all_closed &= n == 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
                     || (error != NULL && error->code == G_IO_ERROR_BROKEN_PIPE);
      if (n < 0 && !*all_closed)
        g_printerr ("oversized head: %s\n", error->message);

      next = raw_connect ();
      raw_send (next, (const guint8 *)health, strlen (health));
      g_assert_cmpuint (raw_read_response (next, NULL), ==, 200);
    }
}

static void
test_oversized_head_closed (void)
{
  gboolean all_closed = FALSE;

  run_client (oversized_head_client, &all_closed, 60000);
  g_assert_true (all_closed);
}

static void
idle_client (gpointer data)
{
  const char *request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  g_autoptr(GSocket) socket = raw_connect ();

  raw_send (socket, (const guint8 *)request, strlen (request));
  g_assert_cmpuint (raw_read_response (socket, NULL), ==, 200);
  /* Then nothing: the idle time-out ends it. */
  *(gboolean *)data = raw_wait_closed (socket);
}

/* A keep-alive connection in use is never idle: requests back to back
 * on one connection for longer than twice the idle time-out (3 s here)
 * are all answered on it. The connections our accept loop hands to
 * libsoup were followed only for their first request, so the idle
 * time-out, counted from its answer, cut them in use (the API suite's
 * clients saw "other side closed" under ASan). */
static void
busy_keep_alive_client (gpointer data)
{
  const char *request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  g_autoptr(GSocket) socket = raw_connect ();
  gint64 end = g_get_monotonic_time () + 7 * G_USEC_PER_SEC;
  guint *answered = data;

  while (g_get_monotonic_time () < end)
    {
      raw_send (socket, (const guint8 *)request, strlen (request));
      g_assert_cmpuint (raw_read_response (socket, NULL), ==, 200);
      (*answered)++;
      g_usleep (20 * 1000);  /* a client's pace, not a flood of log lines */
    }
}

static void
test_busy_keep_alive_kept (void)
{
  guint answered = 0;

  run_client (busy_keep_alive_client, &answered, 60000);
  g_assert_cmpuint (answered, >, 1);
}

static guint
raw_request_on (GSocket    *socket,
                const char *method,
                const char *path,
                const char *token)
{
  g_autofree char *request =
    g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n",
                     method, path, token);

  raw_send (socket, (const guint8 *)request, strlen (request));
  return raw_read_response (socket, NULL);
}

/* A 204 (revoking a session or a key) kept the connection that carried
 * it, even when another user's requests share it behind a proxy. */
static void
no_content_client (gpointer data)
{
  gint64 nora = create_user ("nora", "trader");
  g_autofree char *token = sign_in ("nora");
  g_autoptr(JsonNode) key = NULL;
  g_autoptr(JsonNode) sessions = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *session_path = NULL;
  JsonArray *items;
  guint status = 0;

  key = http_json ("POST", "/api/v1/api-keys", token, "{\"name\":\"proxy\",\"role\":\"viewer\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  key_path = g_strdup_printf ("/api/v1/api-keys/%" G_GINT64_FORMAT,
                              json_object_get_int_member (json_node_get_object (key), "id"));
  sessions = http_json ("GET", "/api/v1/sessions", server->token, NULL, &status);
  items = json_object_get_array_member (json_node_get_object (sessions), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (json_object_get_int_member (json_array_get_object_element (items, i), "user_id") == nora)
      session_path = g_strdup_printf ("/api/v1/sessions/%" G_GINT64_FORMAT,
                                      json_object_get_int_member (json_array_get_object_element (items, i), "id"));
  g_assert_nonnull (session_path);

  /* One connection, two users, as behind a pooling proxy; opened now, as
   * this file's idle time-out is short. */
  socket = raw_connect ();
  g_assert_cmpuint (raw_request_on (socket, "GET", "/api/v1/users/me", token), ==, 200);
  g_assert_cmpuint (raw_request_on (socket, "DELETE", key_path, token), ==, 204);
  g_assert_cmpuint (raw_request_on (socket, "DELETE", session_path, server->token), ==, 204);
  g_assert_cmpuint (raw_request_on (socket, "GET", "/api/v1/users/me", server->token), ==, 200);
  /* The session ended; its token no longer works, on the same connection. */
  g_assert_cmpuint (raw_request_on (socket, "GET", "/api/v1/users/me", token), ==, 401);
}

static void
test_no_content_keeps_connection (void)
{
  run_client (no_content_client, NULL, 60000);
}

static void
test_idle_connection_closed (void)
{
  gboolean closed = FALSE;

  run_client (idle_client, &closed, 60000);
  g_assert_true (closed);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  static const char * const settings[] = {
    "server", "header_timeout", "2",
    "server", "idle_timeout", "3",
    "server", "ws_max_topics", "8",
    "auth", "password_opslimit", "1",
    "auth", "password_memlimit_kib", "8",
    NULL
  };
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/security/json/deep-bodies", test_deep_json_bodies);
  g_test_add_func ("/security/json/nul-refused", test_nul_in_text_refused);
  g_test_add_func ("/security/json/deep-websocket-message", test_deep_websocket_message);
  g_test_add_func ("/security/websocket/fragmented-over-limit", test_fragmented_message_over_limit);
  g_test_add_func ("/security/websocket/topic-flood", test_topic_flood_refused);
  g_test_add_func ("/security/websocket/demoted-and-disabled", test_demoted_and_disabled_sockets);
  g_test_add_func ("/security/websocket/revoked-key", test_revoked_key_socket);
  g_test_add_func ("/security/accounts/last-admin", test_last_admin_kept);
  g_test_add_func ("/security/passwords/profile-guessing", test_profile_guessing_throttled);
  g_test_add_func ("/security/connections/closed-keep-alive", test_closed_keep_alive_connections_released);
  g_test_add_func ("/security/connections/slow-headers", test_slow_headers_closed);
  g_test_add_func ("/security/connections/idle", test_idle_connection_closed);
  g_test_add_func ("/security/connections/busy-keep-alive", test_busy_keep_alive_kept);
  g_test_add_func ("/security/connections/oversized-head", test_oversized_head_closed);
  g_test_add_func ("/security/connections/no-content-keeps-alive", test_no_content_keeps_connection);
  g_test_add_func ("/security/passwords/typed-name-not-audited", test_failed_login_keeps_no_typed_name);

  server = bourse_test_server_new (TRUE, settings);
  status = g_test_run ();
  bourse_test_server_free (server);
  return status;
}
