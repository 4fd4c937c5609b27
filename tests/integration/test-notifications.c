/* test-notifications.c — the notification outbox, its channels and routes, against real local servers
 *
 * A loopback SoupServer stands in for the webhook receiver and the ntfy
 * server and records what arrives; users sign up, reset passwords and
 * connect WebSockets over HTTP like any client.
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "core/bourse-json.h"
#include "core/bourse-time.h"

#include "desk-test-util.h"

#define PASSWORD    "a long and winding road 42"
#define SECRET      "hook-secret-of-the-test"
#define NTFY_TOKEN  "tk_ntfy_test_token"

/* A loopback HTTP server that records every request and answers with
 * the status the test sets. */
typedef struct
{
  SoupServer *server;
  GSocket    *listener;
  char       *url;
  guint       status;     /* what it answers */
  GPtrArray  *requests;   /* Request */
} Receiver;

typedef struct
{
  char               *path;
  SoupMessageHeaders *headers;
  char               *body;
  guint               answered;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_free (request->path);
  soup_message_headers_unref (request->headers);
  g_free (request->body);
  g_free (request);
}

static void
receiver_cb (SoupServer        *server,
             SoupServerMessage *message,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Receiver *receiver = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (message);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  Request *request = g_new0 (Request, 1);
  const char *answer = receiver->status == 200 ? "{\"ok\":true}" : "{\"error\":\"busy\"}";

  request->path = g_strdup (path);
  request->headers = soup_message_headers_ref (soup_server_message_get_request_headers (message));
  request->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  request->answered = receiver->status;
  g_ptr_array_add (receiver->requests, request);
  soup_server_message_set_status (message, receiver->status, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
}

/* On @port of the loopback, or any free one with 0. */
static Receiver *
receiver_new_on (guint16 port)
{
  Receiver *receiver = g_new0 (Receiver, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  receiver->status = 200;
  receiver->requests = g_ptr_array_new_with_free_func (request_free);
  receiver->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (receiver->server, NULL, receiver_cb, receiver, NULL);
  /* Our own socket: soup_server_get_uris () leaks in libsoup 3.2. */
  receiver->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (receiver->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (receiver->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (receiver->listener, &error);
  g_assert_no_error (error);
  soup_server_listen_socket (receiver->server, receiver->listener, 0, &error);
  g_assert_no_error (error);
  receiver->url = g_strdup_printf ("http://127.0.0.1:%u",
                                   g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  return receiver;
}

static Receiver *
receiver_new (void)
{
  return receiver_new_on (0);
}

static void
receiver_free (Receiver *receiver)
{
  soup_server_disconnect (receiver->server);
  g_clear_object (&receiver->server);
  g_socket_close (receiver->listener, NULL);
  g_clear_object (&receiver->listener);
  g_ptr_array_unref (receiver->requests);
  g_free (receiver->url);
  g_free (receiver);
}

/* Requests carrying X-Bourse-Delivery @delivery that were answered @status (0: any). */
static guint
count_deliveries (Receiver   *receiver,
                  const char *delivery,
                  guint       status)
{
  guint n = 0;

  for (guint i = 0; i < receiver->requests->len; i++)
    {
      Request *request = g_ptr_array_index (receiver->requests, i);

      if (g_strcmp0 (soup_message_headers_get_one (request->headers, "X-Bourse-Delivery"), delivery) == 0
          && (status == 0 || request->answered == status))
        n++;
    }
  return n;
}

/* HTTP helpers {{{ */

static const char * const anonymous[] = { "Authorization", "", NULL };

static BourseTestResponse *
send_json (BourseTestServer *server,
           const char       *method,
           const char       *path,
           const char       *token,
           const char       *body)
{
  g_autofree char *authorization = token ? g_strconcat ("Bearer ", token, NULL) : NULL;
  const char * const as_user[] = { "Authorization", authorization, NULL };

  /* token NULL: as the harness's local owner (an admin); "" anonymous. */
  return bourse_test_fetch (server, method, path,
                            token == NULL ? NULL : token[0] == '\0' ? anonymous : as_user,
                            body != NULL ? "application/json" : NULL, body, body != NULL ? -1 : 0);
}

static JsonNode *
expect_json (BourseTestServer *server,
             const char       *method,
             const char       *path,
             const char       *token,
             const char       *body,
             guint             status)
{
  g_autoptr(BourseTestResponse) response = send_json (server, method, path, token, body);

  if (response->status != status)
    g_test_message ("%s %s: %u %.*s", method, path, response->status,
                    (int)g_bytes_get_size (response->body), (const char *)g_bytes_get_data (response->body, NULL));
  g_assert_cmpuint (response->status, ==, status);
  return g_bytes_get_size (response->body) > 0 ? bourse_test_response_json (response) : NULL;
}

/* The field the 422's only error names. */
static char *
error_field (BourseTestServer *server,
             const char       *method,
             const char       *path,
             const char       *token,
             const char       *body)
{
  g_autoptr(JsonNode) node = expect_json (server, method, path, token, body, 422);
  JsonArray *errors = json_object_get_array_member (json_node_get_object (node), "errors");

  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (errors, 0), "field"));
}

static gint64
create_user (BourseTestServer *server,
             const char       *name,
             const char       *role)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.org\","
                                           "\"password\":\"" PASSWORD "\",\"role\":\"%s\"}", name, name, role);
  g_autoptr(JsonNode) node = expect_json (server, "POST", "/api/v1/users", NULL, body, 201);

  return json_object_get_int_member (json_node_get_object (node), "id");
}

static char *
login (BourseTestServer *server,
       const char       *name)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"" PASSWORD "\"}", name);
  g_autoptr(JsonNode) node = expect_json (server, "POST", "/api/v1/auth/login", "", body, 200);

  return g_strdup (json_object_get_string_member (json_node_get_object (node), "access_token"));
}

static void
sign_up (BourseTestServer *server,
         const char       *name)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.org\","
                                           "\"password\":\"" PASSWORD "\"}", name, name);
  g_autoptr(BourseTestResponse) response = send_json (server, "POST", "/api/v1/auth/register", "", body);

  g_assert_cmpuint (response->status, ==, 201);
}

/* The history's items as @token sees them with @query. */
static JsonNode *
history (BourseTestServer *server,
         const char       *token,
         const char       *query)
{
  g_autofree char *path = g_strconcat ("/api/v1/notifications", query != NULL ? query : "", NULL);

  return expect_json (server, "GET", path, token, NULL, 200);
}

static JsonArray *
items_of (JsonNode *node)
{
  return json_object_get_array_member (json_node_get_object (node), "items");
}

typedef struct
{
  BourseTestServer *server;
  const char       *query;
  const char       *status;
  guint             count;
} HistoryWait;

/* At least @count deliveries of the query in @status (NULL: any). */
static gboolean
history_has (gpointer data)
{
  HistoryWait *wait = data;
  g_autoptr(JsonNode) node = history (wait->server, NULL, wait->query);
  JsonArray *items = items_of (node);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (wait->status == NULL
        || g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i), "status"),
                      wait->status) == 0)
      n++;
  return n >= wait->count;
}

static void
wait_history (BourseTestServer *server,
              const char       *query,
              const char       *status,
              guint             count)
{
  HistoryWait wait = { server, query, status, count };
  g_autofree char *what = g_strdup_printf ("%u deliveries %s in %s", count, status ? status : "", query);

  bourse_test_wait_until (history_has, &wait, 30000, what);
}

typedef struct
{
  Receiver *receiver;
  guint     count;
} ReceiverWait;

static gboolean
receiver_has (gpointer data)
{
  ReceiverWait *wait = data;

  return wait->receiver->requests->len >= wait->count;
}

static void
wait_requests (Receiver *receiver,
               guint     count)
{
  ReceiverWait wait = { receiver, count };

  bourse_test_wait_until (receiver_has, &wait, 30000, "requests at the receiver");
}

/* }}} */

static BourseTestServer *
server_new (const char *webhook_url,
            const char *ntfy_url,
            const char *retry_base_s)
{
  const char * const settings[] = {
    "auth", "password_opslimit", "1",
    "auth", "password_memlimit_kib", "8",
    "auth", "secrets_backend", "file",
    "rate_limit", "enabled", "false",
    "notify", "webhook_url", webhook_url != NULL ? webhook_url : "",
    "notify", "webhook_secret", SECRET,
    /* ntfy_url last: without one the default (ntfy.sh) stays. */
    "notify", "ntfy_token", NTFY_TOKEN,
    "notify", "retry_base_s", retry_base_s,
    "notify", "retry_max_s", "60",
    "notify", "max_attempts", "8",
    "notify", "public_url", "https://bourse.example/",
    ntfy_url != NULL ? "notify" : NULL, "ntfy_url", ntfy_url,
    NULL
  };

  return bourse_test_server_new (TRUE, settings);
}

static void
check_signature (Request *request)
{
  const char *timestamp = soup_message_headers_get_one (request->headers, "X-Bourse-Timestamp");
  const char *signature = soup_message_headers_get_one (request->headers, "X-Bourse-Signature");
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *)SECRET, strlen (SECRET));
  g_autofree char *expected = NULL;

  g_assert_nonnull (timestamp);
  g_assert_nonnull (signature);
  /* Independently of the code that signs: HMAC-SHA256 (secret, ts "." body). */
  g_hmac_update (hmac, (const guchar *)timestamp, strlen (timestamp));
  g_hmac_update (hmac, (const guchar *)".", 1);
  g_hmac_update (hmac, (const guchar *)request->body, strlen (request->body));
  expected = g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);
  g_assert_cmpstr (signature, ==, expected);
}

/* The webhook receiver down (503), the delivery retried with back-off,
 * then delivered once it answers; signed, with its id, and not again. */
static void
test_webhook_retries (void)
{
  Receiver *receiver = receiver_new ();
  BourseTestServer *server = server_new (receiver->url, NULL, "1");
  g_autofree char *alice = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) done = NULL;
  g_autofree char *delivery = NULL;
  JsonObject *item, *object;
  Request *request = NULL;

  create_user (server, "alice", "admin");
  alice = login (server, "alice");
  g_clear_pointer (&first, json_node_unref);
  first = expect_json (server, "PUT", "/api/v1/notifications/preferences", alice,
                       "{\"events\":{\"signup.pending\":[\"webhook\"]}}", 200);

  receiver->status = 503;
  sign_up (server, "bob");
  /* Two refused attempts: the first at once, the second after the back-off. */
  wait_requests (receiver, 2);
  g_clear_pointer (&first, json_node_unref);
  first = history (server, NULL, "?event=signup.pending&channel=webhook");
  g_assert_cmpuint (json_array_get_length (items_of (first)), ==, 1);
  item = json_array_get_object_element (items_of (first), 0);
  g_assert_cmpint (json_object_get_int_member (item, "attempts"), >=, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (item, "last_error"), "503"));
  g_assert_true (json_object_get_null_member (item, "user_id"));
  delivery = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (item, "id"));

  receiver->status = 200;
  wait_history (server, "?event=signup.pending&channel=webhook", "sent", 1);
  g_assert_cmpuint (count_deliveries (receiver, delivery, 200), ==, 1);
  g_assert_cmpuint (count_deliveries (receiver, delivery, 503), >=, 2);

  for (guint i = 0; i < receiver->requests->len; i++)
    if (((Request *)g_ptr_array_index (receiver->requests, i))->answered == 200)
      request = g_ptr_array_index (receiver->requests, i);
  g_assert_nonnull (request);
  g_assert_cmpstr (request->path, ==, "/");
  check_signature (request);
  body = json_from_string (request->body, NULL);
  object = json_node_get_object (body);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, g_ascii_strtoll (delivery, NULL, 10));
  g_assert_cmpstr (json_object_get_string_member (object, "event"), ==, "signup.pending");
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "New sign-up waiting for approval: bob");
  g_assert_nonnull (strstr (json_object_get_string_member (object, "text"), "bob@example.org"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "data"), "username"),
                   ==, "bob");

  /* A second event delivered is the sign that nothing else was due: the
   * first went exactly once. */
  sign_up (server, "carol");
  wait_history (server, "?event=signup.pending&channel=webhook", "sent", 2);
  g_assert_cmpuint (count_deliveries (receiver, delivery, 200), ==, 1);
  done = history (server, NULL, "?event=signup.pending&channel=webhook&status=sent");
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (items_of (done), 1),
                                                           "response"), "HTTP 200"));

  bourse_test_server_free (server);
  receiver_free (receiver);
}

/* A delivery left "sending" by a process that died during the send is
 * sent by the next one, with the same delivery id. */
static void
test_restart_retries_sending (void)
{
  Receiver *receiver = receiver_new ();
  /* A long back-off: nothing but the restart can bring the retry. */
  BourseTestServer *server = server_new (receiver->url, NULL, "3600");
  g_autofree char *alice = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *delivery = NULL;
  g_autoptr(JsonNode) pending = NULL;
  g_autoptr(JsonNode) ignored = NULL;
  g_autoptr(JsonNode) sent = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;
  gint64 id;

  create_user (server, "alice", "admin");
  alice = login (server, "alice");
  ignored = expect_json (server, "PUT", "/api/v1/notifications/preferences", alice,
                         "{\"events\":{\"signup.pending\":[\"webhook\"]}}", 200);
  receiver->status = 503;
  sign_up (server, "bob");
  wait_requests (receiver, 1);
  wait_history (server, "?channel=webhook", "pending", 1);
  pending = history (server, NULL, "?channel=webhook");
  id = json_object_get_int_member (json_array_get_object_element (items_of (pending), 0), "id");
  delivery = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  /* As if the process died during its second send, due by now. */
  db_path = g_build_filename (server->data_dir, "bourse.db", NULL);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE notifications SET status = 'sending', attempts = 2, "
                                     "next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE channel = 'webhook'",
                                 NULL, NULL, &message), ==, SQLITE_OK);
  sqlite3_close (db);

  receiver->status = 200;
  bourse_test_server_restart (server);
  wait_history (server, "?channel=webhook", "sent", 1);
  sent = history (server, NULL, "?channel=webhook");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items_of (sent), 0), "attempts"),
                   ==, 3);
  g_assert_cmpuint (count_deliveries (receiver, delivery, 200), ==, 1);

  bourse_test_server_free (server);
  receiver_free (receiver);
}

/* ntfy: the topic in the path, Title, Priority, Tags, the bearer token;
 * a topic the server does not know (404) drops the delivery; test sends. */
static void
test_ntfy (void)
{
  Receiver *receiver = receiver_new ();
  BourseTestServer *server = server_new (NULL, receiver->url, "1");
  g_autofree char *alice = NULL;
  g_autoptr(JsonNode) ignored = NULL;
  g_autoptr(JsonNode) tested = NULL;
  g_autoptr(JsonNode) dropped = NULL;
  g_autoptr(BourseTestResponse) failed = NULL;
  g_autofree char *field = NULL;
  Request *request;

  create_user (server, "alice", "admin");
  alice = login (server, "alice");
  ignored = expect_json (server, "PUT", "/api/v1/notifications/preferences", alice,
                         "{\"events\":{\"signup.pending\":[\"ntfy\"]},\"ntfy_topic\":\"alice-alerts\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ignored), "ntfy_topic"), ==,
                   "alice-alerts");
  sign_up (server, "bob");
  wait_history (server, "?channel=ntfy", "sent", 1);
  g_assert_cmpuint (receiver->requests->len, ==, 1);
  request = g_ptr_array_index (receiver->requests, 0);
  g_assert_cmpstr (request->path, ==, "/alice-alerts");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Title"), ==,
                   "New sign-up waiting for approval: bob");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Priority"), ==, "3");
  g_assert_nonnull (soup_message_headers_get_one (request->headers, "Tags"));
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==, "Bearer " NTFY_TOKEN);
  g_assert_nonnull (soup_message_headers_get_one (request->headers, "X-Bourse-Delivery"));
  g_assert_nonnull (strstr (request->body, "bob@example.org"));

  /* ntfy's 404: the topic is not there; dropped, not retried. */
  receiver->status = 404;
  sign_up (server, "carol");
  wait_history (server, "?channel=ntfy", "dropped", 1);
  dropped = history (server, NULL, "?channel=ntfy&status=dropped");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items_of (dropped), 0), "attempts"),
                   ==, 1);

  /* Test sends: the provider's answer, 502 when it refuses, 422 unconfigured. */
  receiver->status = 200;
  tested = expect_json (server, "POST", "/api/v1/notifications/test", alice, "{\"channel\":\"ntfy\"}", 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (tested), "delivered"));
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (tested), "response"), "HTTP 200"));
  g_assert_cmpstr (((Request *)g_ptr_array_index (receiver->requests, receiver->requests->len - 1))->path, ==,
                   "/alice-alerts");
  receiver->status = 500;
  failed = send_json (server, "POST", "/api/v1/notifications/test", alice, "{\"channel\":\"ntfy\"}");
  g_assert_cmpuint (failed->status, ==, 502);
  field = error_field (server, "POST", "/api/v1/notifications/test", alice, "{\"channel\":\"webhook\"}");
  g_assert_cmpstr (field, ==, "channel");
  g_clear_pointer (&field, g_free);
  field = error_field (server, "POST", "/api/v1/notifications/test", alice, "{\"channel\":\"pigeon\"}");
  g_assert_cmpstr (field, ==, "channel");

  bourse_test_server_free (server);
  receiver_free (receiver);
}

/* Each user's choice, the defaults admins set, and the 422s. */
static void
test_preferences (void)
{
  BourseTestServer *server = server_new (NULL, NULL, "30");
  g_autofree char *trader = NULL;
  g_autoptr(JsonNode) mine = NULL;
  g_autoptr(JsonNode) changed = NULL;
  g_autoptr(JsonNode) defaults = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(BourseTestResponse) forbidden = NULL;
  JsonObject *events;
  static const struct {
    const char *body;
    const char *field;
  } bad[] = {
    { "{\"events\":{\"nope\":[\"desktop\"]}}", "events.nope" },
    { "{\"events\":{\"order.filled\":[\"pigeon\"]}}", "events.order.filled" },
    { "{\"events\":{\"order.filled\":\"desktop\"}}", "events.order.filled" },
    { "{\"events\":{\"signup.pending\":[\"desktop\"]}}", "events.signup.pending" },
    { "{\"events\":{\"password.reset\":[\"desktop\"]}}", "events.password.reset" },
    { "{\"events\":{},\"ntfy_topic\":\"no spaces\"}", "ntfy_topic" },
    { "{\"events\":[]}", "events" },
  };

  create_user (server, "tina", "trader");
  trader = login (server, "tina");
  mine = expect_json (server, "GET", "/api/v1/notifications/preferences", trader, NULL, 200);
  events = json_object_get_object_member (json_node_get_object (mine), "events");
  g_assert_true (json_object_has_member (events, "approval.pending"));
  g_assert_true (json_object_has_member (events, "password.reset"));
  g_assert_false (json_object_has_member (events, "signup.pending"));
  g_assert_false (json_object_has_member (events, "heartbeat"));
  /* Built-in defaults: desktop for all but the reset, e-mail for a halt. */
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (events, "approval.pending"), 0),
                   ==, "desktop");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (events, "risk.halted")), ==, 2);
  g_assert_true (json_object_get_null_member (json_node_get_object (mine), "ntfy_topic"));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *field = error_field (server, "PUT", "/api/v1/notifications/preferences", trader,
                                            bad[i].body);

      g_assert_cmpstr (field, ==, bad[i].field);
    }

  changed = expect_json (server, "PUT", "/api/v1/notifications/preferences", trader,
                         "{\"events\":{\"order.filled\":[\"ntfy\",\"desktop\",\"ntfy\"]},\"ntfy_topic\":\"tina-1\"}",
                         200);
  events = json_object_get_object_member (json_node_get_object (changed), "events");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (events, "order.filled")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (changed), "ntfy_topic"), ==, "tina-1");

  /* Defaults: administrators only; they apply where the user chose nothing. */
  forbidden = send_json (server, "PUT", "/api/v1/notifications/defaults", trader,
                         "{\"events\":{\"job.finished\":[\"webhook\"]}}");
  g_assert_cmpuint (forbidden->status, ==, 403);
  defaults = expect_json (server, "PUT", "/api/v1/notifications/defaults", NULL,
                          "{\"events\":{\"job.finished\":[\"webhook\"],\"order.filled\":[]}}", 200);
  after = expect_json (server, "GET", "/api/v1/notifications/preferences", trader, NULL, 200);
  events = json_object_get_object_member (json_node_get_object (after), "events");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (events, "job.finished"), 0),
                   ==, "webhook");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (events, "order.filled")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (json_node_get_object (after), "defaults"), "order.filled")),
                    ==, 0);

  bourse_test_server_free (server);
}

/* Devices: one's own, listed by the token's end; admins everyone's. */
static void
test_devices (void)
{
  BourseTestServer *server = server_new (NULL, NULL, "30");
  g_autofree char *tina = NULL;
  g_autofree char *vera = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) own = NULL;
  g_autoptr(JsonNode) other = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) gone = NULL;
  g_autoptr(BourseTestResponse) response = NULL;
  g_autofree char *path = NULL;
  g_autofree char *field = NULL;
  JsonObject *device;
  gint64 id;

  create_user (server, "tina", "trader");
  create_user (server, "vera", "viewer");
  tina = login (server, "tina");
  vera = login (server, "vera");

  created = expect_json (server, "POST", "/api/v1/devices", tina,
                         "{\"platform\":\"android\",\"token\":\"fcm-token-abcdef123456\",\"name\":\"Pixel\"}", 201);
  device = json_node_get_object (created);
  id = json_object_get_int_member (device, "id");
  g_assert_cmpstr (json_object_get_string_member (device, "token"), ==, "…123456");
  g_assert_cmpstr (json_object_get_string_member (device, "name"), ==, "Pixel");
  /* The same token again: the same device, renamed. */
  again = expect_json (server, "POST", "/api/v1/devices", tina,
                       "{\"platform\":\"android\",\"token\":\"fcm-token-abcdef123456\",\"name\":\"Phone\"}", 201);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (again), "id"), ==, id);

  field = error_field (server, "POST", "/api/v1/devices", tina, "{\"platform\":\"palm\",\"token\":\"x\"}");
  g_assert_cmpstr (field, ==, "platform");
  g_clear_pointer (&field, g_free);
  field = error_field (server, "POST", "/api/v1/devices", tina, "{\"platform\":\"ios\",\"token\":\"\"}");
  g_assert_cmpstr (field, ==, "token");

  own = expect_json (server, "GET", "/api/v1/devices", tina, NULL, 200);
  g_assert_cmpuint (json_array_get_length (items_of (own)), ==, 1);
  other = expect_json (server, "GET", "/api/v1/devices", vera, NULL, 200);
  g_assert_cmpuint (json_array_get_length (items_of (other)), ==, 0);
  response = send_json (server, "GET", "/api/v1/devices?all=true", vera, NULL);
  g_assert_cmpuint (response->status, ==, 422);
  all = expect_json (server, "GET", "/api/v1/devices?all=true", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (items_of (all)), ==, 1);

  path = g_strdup_printf ("/api/v1/devices/%" G_GINT64_FORMAT, id);
  g_clear_pointer (&response, bourse_test_response_free);
  response = send_json (server, "DELETE", path, vera, NULL);
  g_assert_cmpuint (response->status, ==, 404);
  g_clear_pointer (&response, bourse_test_response_free);
  response = send_json (server, "DELETE", path, tina, NULL);
  g_assert_cmpuint (response->status, ==, 204);
  gone = expect_json (server, "GET", "/api/v1/devices", tina, NULL, 200);
  g_assert_cmpuint (json_array_get_length (items_of (gone)), ==, 0);
  /* A viewer has devices too. */
  g_clear_pointer (&created, json_node_unref);
  created = expect_json (server, "POST", "/api/v1/devices", vera, "{\"platform\":\"web\",\"token\":\"w1\"}", 201);

  bourse_test_server_free (server);
}

/* A sign-up reaches the administrators (not traders), by their defaults. */
static void
test_signup_to_admins (void)
{
  BourseTestServer *server = server_new (NULL, NULL, "30");
  g_autofree char *tina = NULL;
  g_autoptr(JsonNode) admin_view = NULL;
  g_autoptr(JsonNode) trader_view = NULL;
  gint64 alice;
  JsonArray *items;
  gboolean email = FALSE, desktop = FALSE;

  alice = create_user (server, "alice", "admin");
  create_user (server, "tina", "trader");
  tina = login (server, "tina");
  sign_up (server, "newcomer");
  /* Built-in defaults for signup.pending: e-mail and desktop. */
  wait_history (server, "?event=signup.pending", NULL, 2);
  admin_view = history (server, NULL, "?event=signup.pending");
  items = items_of (admin_view);
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *channel = json_object_get_string_member (item, "channel");

      g_assert_cmpint (json_object_get_int_member (item, "user_id"), ==, alice);
      g_assert_cmpstr (json_object_get_string_member (item, "subject"), ==,
                       "New sign-up waiting for approval: newcomer");
      if (g_str_equal (channel, "email"))
        {
          email = TRUE;
          g_assert_cmpstr (json_object_get_string_member (item, "recipient"), ==, "alice@example.org");
        }
      if (g_str_equal (channel, "desktop"))
        desktop = TRUE;
    }
  g_assert_true (email && desktop);
  wait_history (server, "?event=signup.pending&channel=desktop", "sent", 1);
  trader_view = history (server, tina, NULL);
  g_assert_cmpuint (json_array_get_length (items_of (trader_view)), ==, 0);

  bourse_test_server_free (server);
}

/* @sql over the store's file, read-only, with @event bound to its one
 * parameter; the caller finalizes the statement and closes *db. */
static sqlite3_stmt *
query_events (BourseTestServer  *server,
              const char        *sql,
              const char        *event,
              sqlite3          **db)
{
  g_autofree char *db_path = g_build_filename (server->data_dir, "bourse.db", NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (*db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (*db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, event, -1, SQLITE_STATIC);
  return stmt;
}

static char *
event_data (BourseTestServer *server,
            const char       *event)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = query_events (server, "SELECT group_concat (data, '|') FROM notification_events "
                                             "WHERE event = ?", event, &db);
  char *data = NULL;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  data = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return data;
}

/* An administrator's reset, and the user's own request: each an e-mail
 * delivery to the user, its text with the link and the token masked. */
static void
test_password_reset (void)
{
  BourseTestServer *server = server_new (NULL, NULL, "30");
  g_autofree char *dave_token = NULL;
  g_autofree char *tina = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(JsonNode) reset = NULL;
  g_autoptr(JsonNode) own = NULL;
  g_autoptr(JsonNode) others = NULL;
  g_autoptr(JsonNode) admin_own = NULL;
  g_autoptr(JsonNode) requested = NULL;
  g_autoptr(JsonNode) both = NULL;
  JsonObject *item;
  const char *text;
  gint64 dave;

  dave = create_user (server, "dave", "trader");
  create_user (server, "tina", "trader");
  dave_token = login (server, "dave");
  tina = login (server, "tina");

  path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/reset-password", dave);
  reset = expect_json (server, "POST", path, NULL, NULL, 201);
  token = g_strdup (json_object_get_string_member (json_node_get_object (reset), "reset_token"));

  wait_history (server, "?event=password.reset", NULL, 1);
  own = history (server, dave_token, "?event=password.reset");
  g_assert_cmpuint (json_array_get_length (items_of (own)), ==, 1);
  item = json_array_get_object_element (items_of (own), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "channel"), ==, "email");
  g_assert_cmpstr (json_object_get_string_member (item, "recipient"), ==, "dave@example.org");
  g_assert_cmpint (json_object_get_int_member (item, "user_id"), ==, dave);
  text = json_object_get_string_member (item, "text");
  g_assert_null (strstr (text, token));
  g_assert_nonnull (strstr (text, "https://bourse.example/#/reset?token=••••"));
  /* Not sent (no mail here) or sent: either way no token stays behind. */
  if (!g_str_equal (json_object_get_string_member (item, "status"), "pending")
      && !g_str_equal (json_object_get_string_member (item, "status"), "sending"))
    {
      stored = event_data (server, "password.reset");
      g_assert_null (strstr (stored, token));
    }

  /* History: one's own; administrators everyone's, ?scope=own theirs. */
  others = history (server, tina, NULL);
  g_assert_cmpuint (json_array_get_length (items_of (others)), ==, 0);
  admin_own = history (server, NULL, "?scope=own");
  g_assert_cmpuint (json_array_get_length (items_of (admin_own)), ==, 0);

  /* The user's own request from the sign-in page makes one too. */
  requested = expect_json (server, "POST", "/api/v1/auth/password-reset/request", "", "{\"username\":\"dave\"}", 202);
  wait_history (server, "?event=password.reset", NULL, 2);
  both = history (server, dave_token, "?event=password.reset&channel=email");
  g_assert_cmpuint (json_array_get_length (items_of (both)), ==, 2);

  bourse_test_server_free (server);
}


/* A desktop notification reaches its user's sockets and nobody else's. */
static void
test_desktop_only_its_user (void)
{
  BourseTestServer *server = server_new (NULL, NULL, "30");
  g_autofree char *alice = NULL;
  g_autofree char *adam = NULL;
  g_autofree char *tina = NULL;
  g_autoptr(JsonNode) ignored = NULL;
  g_autoptr(JsonNode) tested = NULL;
  g_autoptr(JsonNode) emails = NULL;
  DeskWs *alice_ws, *adam_ws, *tina_ws, *owner_ws;
  JsonObject *data;
  gint64 alice_id;

  alice_id = create_user (server, "alice", "admin");
  create_user (server, "adam", "admin");
  create_user (server, "tina", "trader");
  alice = login (server, "alice");
  adam = login (server, "adam");
  tina = login (server, "tina");
  alice_ws = desk_ws_connect (server, alice);
  adam_ws = desk_ws_connect (server, adam);
  tina_ws = desk_ws_connect (server, tina);
  owner_ws = desk_ws_connect (server, server->token);
  desk_ws_subscribe (alice_ws, "[\"notifications\"]");
  desk_ws_subscribe (adam_ws, "[\"notifications\"]");
  desk_ws_subscribe (tina_ws, "[\"notifications\"]");
  desk_ws_subscribe (owner_ws, "[\"notifications\"]");

  /* Through the outbox: a sign-up, which adam chose not to see on the desktop. */
  ignored = expect_json (server, "PUT", "/api/v1/notifications/preferences", adam,
                         "{\"events\":{\"signup.pending\":[]}}", 200);
  sign_up (server, "newcomer");
  desk_ws_wait (alice_ws, "notifications", 1);
  data = desk_ws_event (alice_ws, "notifications", desk_ws_count (alice_ws, "notifications") - 1);
  g_assert_cmpstr (json_object_get_string_member (data, "event"), ==, "signup.pending");
  g_assert_cmpstr (json_object_get_string_member (data, "title"), ==, "New sign-up waiting for approval: newcomer");
  g_assert_cmpint (json_object_get_int_member (data, "id"), >, 0);

  /* A test send goes to the caller alone. */
  tested = expect_json (server, "POST", "/api/v1/notifications/test", alice, "{\"channel\":\"desktop\"}", 200);
  desk_ws_wait (alice_ws, "notifications", 2);

  /* Whatever the others were sent came before the answer to this. */
  desk_ws_subscribe (adam_ws, "[\"system\"]");
  desk_ws_subscribe (tina_ws, "[\"system\"]");
  desk_ws_subscribe (owner_ws, "[\"system\"]");
  g_assert_cmpuint (desk_ws_count (adam_ws, "notifications"), ==, 0);
  g_assert_cmpuint (desk_ws_count (tina_ws, "notifications"), ==, 0);
  g_assert_cmpuint (desk_ws_count (owner_ws, "notifications"), ==, 0);
  g_assert_cmpuint (desk_ws_count (alice_ws, "notifications"), ==, 2);
  (void)alice_id;

  /* A desktop's engine: its owner, an admin without an account, gets what
   * admins get on the desktop — and no other channel. */
  bourse_notifications_set_local_owner (bourse_engine_get_notifications (server->engine), TRUE);
  sign_up (server, "second");
  desk_ws_wait (owner_ws, "notifications", 1);
  data = desk_ws_event (owner_ws, "notifications", desk_ws_count (owner_ws, "notifications") - 1);
  g_assert_cmpstr (json_object_get_string_member (data, "title"), ==, "New sign-up waiting for approval: second");
  wait_history (server, "?event=signup.pending&channel=desktop&status=sent", "sent", 3);
  emails = history (server, NULL, "?event=signup.pending&channel=email");
  g_assert_cmpuint (json_array_get_length (items_of (emails)), ==, 2);   /* alice's two; adam opted out */

  desk_ws_free (alice_ws);
  desk_ws_free (adam_ws);
  desk_ws_free (tina_ws);
  desk_ws_free (owner_ws);
  bourse_test_server_free (server);
}

/* Producers {{{ */

/* The newest stored event @event: its data (parsed), id and user. */
static JsonNode *
stored_event (BourseTestServer *server,
              const char       *event,
              gint64           *id,
              gint64           *user_id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = query_events (server, "SELECT id, user_id, data FROM notification_events WHERE event = ? "
                                             "ORDER BY id DESC LIMIT 1", event, &db);
  JsonNode *data = NULL;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *id = sqlite3_column_int64 (stmt, 0);
      *user_id = sqlite3_column_int64 (stmt, 1);
      data = json_from_string ((const char *)sqlite3_column_text (stmt, 2), NULL);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  if (data == NULL)
    g_error ("no %s event is stored", event);
  return data;
}

/* Exactly the members docs/OPERATIONS.md lists for the event, and "ts". */
static void
assert_members (JsonObject         *data,
                const char * const *names)
{
  guint n = 0;

  for (; names[n] != NULL; n++)
    if (!json_object_has_member (data, names[n]))
      g_error ("the event's data has no %s", names[n]);
  g_assert_true (json_object_has_member (data, "ts"));
  g_assert_cmpuint (json_object_get_size (data), ==, n + 1);
}

static void
assert_same_decimal (const char *have,
                     const char *want)
{
  BourseDecimal a, b;

  g_assert_true (bourse_decimal_parse (have, &a, NULL));
  g_assert_true (bourse_decimal_parse (want, &b, NULL));
  if (a.units != b.units)
    g_error ("%s is not %s", have, want);
}

/* The event stored with @id reached the webhook once, sent, with its data. */
static void
assert_webhook_sent (BourseTestServer *server,
                     Receiver         *receiver,
                     const char       *event,
                     gint64            event_id,
                     JsonNode         *data)
{
  g_autofree char *query = g_strdup_printf ("?event=%s&channel=webhook", event);
  g_autoptr(JsonNode) sent = NULL;
  g_autofree char *delivery = NULL;
  g_autofree char *want = bourse_json_to_string (data, NULL);
  JsonObject *item;
  guint found = 0;

  wait_history (server, query, "sent", 1);
  sent = history (server, NULL, query);
  g_assert_cmpuint (json_array_get_length (items_of (sent)), ==, 1);
  item = json_array_get_object_element (items_of (sent), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "sent");
  g_assert_cmpint (json_object_get_int_member (item, "event_id"), ==, event_id);
  delivery = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (item, "id"));
  g_assert_cmpuint (count_deliveries (receiver, delivery, 0), ==, 1);

  for (guint i = 0; i < receiver->requests->len; i++)
    {
      Request *request = g_ptr_array_index (receiver->requests, i);
      g_autoptr(JsonNode) body = NULL;
      g_autofree char *have = NULL;
      JsonObject *object;

      if (g_strcmp0 (soup_message_headers_get_one (request->headers, "X-Bourse-Delivery"), delivery) != 0)
        continue;
      check_signature (request);
      body = json_from_string (request->body, NULL);
      object = json_node_get_object (body);
      g_assert_cmpstr (json_object_get_string_member (object, "event"), ==, event);
      have = bourse_json_to_string (json_object_get_member (object, "data"), NULL);
      g_assert_cmpstr (have, ==, want);
      found++;
    }
  g_assert_cmpuint (found, ==, 1);
}

typedef struct
{
  BourseTestServer *server;
  const char       *path;
} JobWait;

static gboolean
job_has_ended (gpointer data)
{
  JobWait *wait = data;
  g_autoptr(JsonNode) job = expect_json (wait->server, "GET", wait->path, NULL, NULL, 200);
  const char *status = json_object_get_string_member (json_node_get_object (job), "status");

  return g_strcmp0 (status, "succeeded") == 0 || g_strcmp0 (status, "failed") == 0
      || g_strcmp0 (status, "canceled") == 0;
}

/* Each producer stores its event with its cause (once the cause can be
 * seen, so can the event), and the event reaches a delivery with the data
 * docs/OPERATIONS.md lists. */
static void
test_producers (void)
{
  static const char * const approval_members[] = {
    "approval_id", "symbol", "decision", "entry", "stop_loss", "take_profit", "strategy", "expires_at", NULL
  };
  static const char * const filled_members[] = {
    "order_id", "symbol", "side", "price", "quantity", "fee", "mode", NULL
  };
  static const char * const protection_members[] = { "protection", "symbol", "until", "reason", NULL };
  static const char * const halted_members[] = { "state", "actor", "reason", NULL };
  static const char * const job_members[] = { "job_id", "kind", "status", "summary", NULL };
  Receiver *receiver = receiver_new ();
  BourseTestServer *server = server_new (receiver->url, NULL, "1");
  g_autofree char *tina = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *backtest = NULL;
  g_autofree char *job_path = NULL;
  g_autoptr(JsonNode) ignored = NULL;
  g_autoptr(JsonNode) recommended = NULL;
  g_autoptr(JsonNode) approval = NULL;
  g_autoptr(JsonNode) order = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) job = NULL;
  g_autoptr(JsonNode) data = NULL;
  BourseDecimal loss;
  JsonObject *object, *cause, *protection;
  gint64 tina_id, event_id, user_id, approval_id, order_id, job_id;
  gint64 hour;

  /* Everyone hears of these by the webhook alone. */
  ignored = expect_json (server, "PUT", "/api/v1/notifications/defaults", NULL,
                         "{\"events\":{\"approval.pending\":[\"webhook\"],\"order.filled\":[\"webhook\"],"
                         "\"risk.halted\":[\"webhook\"],\"risk.protection\":[\"webhook\"],"
                         "\"job.finished\":[\"webhook\"]}}", 200);
  tina_id = create_user (server, "tina", "trader");
  tina = login (server, "tina");
  desk_add_instrument (server, "NTFUSDT", BOURSE_INTERVAL_1H, 200, 1);

  /* approval.pending: an actionable recommendation waits for a decision. */
  recommended = expect_json (server, "POST", "/api/v1/recommendations", tina,
                             "{\"symbol\":\"NTFUSDT\",\"interval\":\"1h\",\"strategy\":\"A\",\"last_n_days\":30,"
                             "\"params\":{\"threshold\":0}}", 201);
  object = json_node_get_object (recommended);
  approval_id = json_object_get_int_member (object, "approval_id");
  g_assert_cmpint (approval_id, >, 0);
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT, approval_id);

    approval = expect_json (server, "GET", path, NULL, NULL, 200);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (approval), "status"), ==, "pending");
  }
  data = stored_event (server, "approval.pending", &event_id, &user_id);
  cause = json_node_get_object (data);
  assert_members (cause, approval_members);
  g_assert_cmpint (user_id, ==, tina_id);
  g_assert_cmpint (json_object_get_int_member (cause, "approval_id"), ==, approval_id);
  g_assert_cmpstr (json_object_get_string_member (cause, "symbol"), ==, "NTFUSDT");
  g_assert_cmpstr (json_object_get_string_member (cause, "decision"), ==,
                   json_object_get_string_member (object, "decision"));
  g_assert_cmpstr (json_object_get_string_member (cause, "expires_at"), ==,
                   json_object_get_string_member (json_node_get_object (approval), "expires_at"));
  assert_same_decimal (json_object_get_string_member (cause, "entry"), json_object_get_string_member (object, "entry"));
  assert_webhook_sent (server, receiver, "approval.pending", event_id, data);
  g_clear_pointer (&data, json_node_unref);

  /* order.filled: a paper market order fills as it is placed. */
  order = expect_json (server, "POST", "/api/v1/orders", tina,
                       "{\"symbol\":\"NTFUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\"}", 201);
  object = json_node_get_object (order);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "FILLED");
  order_id = json_object_get_int_member (object, "id");
  data = stored_event (server, "order.filled", &event_id, &user_id);
  cause = json_node_get_object (data);
  assert_members (cause, filled_members);
  g_assert_cmpint (user_id, ==, tina_id);
  g_assert_cmpint (json_object_get_int_member (cause, "order_id"), ==, order_id);
  g_assert_cmpstr (json_object_get_string_member (cause, "symbol"), ==, "NTFUSDT");
  g_assert_cmpstr (json_object_get_string_member (cause, "side"), ==, "BUY");
  g_assert_cmpstr (json_object_get_string_member (cause, "mode"), ==, "paper");
  assert_same_decimal (json_object_get_string_member (cause, "price"),
                       json_object_get_string_member (object, "average_price"));
  assert_same_decimal (json_object_get_string_member (cause, "quantity"), "1");
  assert_same_decimal (json_object_get_string_member (cause, "fee"), json_object_get_string_member (object, "fee"));
  assert_webhook_sent (server, receiver, "order.filled", event_id, data);
  g_clear_pointer (&data, json_node_unref);

  /* risk.protection: a stop-loss exit starts a cooldown, as in test-risk. */
  g_clear_pointer (&ignored, json_node_unref);
  ignored = expect_json (server, "PUT", "/api/v1/risk/global", NULL,
                         "{\"protections\":{\"cooldown\":{\"minutes\":30}}}", 200);
  g_assert_true (bourse_decimal_parse ("-20", &loss, NULL));
  bourse_risk_note_trade_closed (bourse_engine_get_risk (server->engine), "NTFUSDT", "stop_loss", loss);
  state = expect_json (server, "GET", "/api/v1/risk/state", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (state),
                                                                         "protections")), ==, 1);
  protection = json_array_get_object_element (json_object_get_array_member (json_node_get_object (state),
                                                                            "protections"), 0);
  data = stored_event (server, "risk.protection", &event_id, &user_id);
  cause = json_node_get_object (data);
  assert_members (cause, protection_members);
  g_assert_cmpint (user_id, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (cause, "protection"), ==, "cooldown");
  g_assert_cmpstr (json_object_get_string_member (cause, "symbol"), ==, "NTFUSDT");
  g_assert_cmpstr (json_object_get_string_member (cause, "until"), ==,
                   json_object_get_string_member (protection, "until"));
  g_assert_nonnull (json_object_get_string_member (cause, "reason"));
  assert_webhook_sent (server, receiver, "risk.protection", event_id, data);
  g_clear_pointer (&data, json_node_unref);

  /* risk.halted: POST /api/v1/risk/halt. */
  g_clear_pointer (&state, json_node_unref);
  state = expect_json (server, "POST", "/api/v1/risk/halt", NULL, "{\"reason\":\"notify test\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (state), "state"), ==, "HALTED");
  data = stored_event (server, "risk.halted", &event_id, &user_id);
  cause = json_node_get_object (data);
  assert_members (cause, halted_members);
  g_assert_cmpstr (json_object_get_string_member (cause, "state"), ==, "HALTED");
  g_assert_cmpstr (json_object_get_string_member (cause, "reason"), ==, "notify test");
  g_assert_nonnull (json_object_get_string_member (cause, "actor"));
  g_assert_cmpstr (json_object_get_string_member (cause, "actor"), !=, "");
  assert_webhook_sent (server, receiver, "risk.halted", event_id, data);
  g_clear_pointer (&data, json_node_unref);

  /* job.finished: tina's backtest over the stored candles. */
  hour = bourse_interval_align (BOURSE_INTERVAL_1H, bourse_time_now_ms ());
  start = bourse_time_format_rfc3339 (hour - 150 * G_GINT64_CONSTANT (3600000));
  end = bourse_time_format_rfc3339 (hour - 2 * G_GINT64_CONSTANT (3600000));
  backtest = g_strdup_printf ("{\"strategy\":\"sma-cross\",\"params\":{\"fast\":4,\"slow\":12},"
                              "\"symbol\":\"NTFUSDT\",\"interval\":\"1h\",\"start\":\"%s\",\"end\":\"%s\","
                              "\"exits\":\"signals\"}", start, end);
  started = expect_json (server, "POST", "/api/v1/backtests", tina, backtest, 202);
  job_id = json_object_get_int_member (json_object_get_object_member (json_node_get_object (started), "job"), "id");
  job_path = g_strdup_printf ("/api/v1/jobs/%" G_GINT64_FORMAT, job_id);
  {
    JobWait wait = { server, job_path };

    bourse_test_wait_until (job_has_ended, &wait, 120000, "the backtest to end");
  }
  job = expect_json (server, "GET", job_path, NULL, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (job), "status"), ==, "succeeded");
  data = stored_event (server, "job.finished", &event_id, &user_id);
  cause = json_node_get_object (data);
  assert_members (cause, job_members);
  g_assert_cmpint (user_id, ==, tina_id);
  g_assert_cmpint (json_object_get_int_member (cause, "job_id"), ==, job_id);
  g_assert_cmpstr (json_object_get_string_member (cause, "kind"), ==, "backtest.run");
  g_assert_cmpstr (json_object_get_string_member (cause, "status"), ==, "succeeded");
  assert_webhook_sent (server, receiver, "job.finished", event_id, data);

  bourse_test_server_free (server);
  receiver_free (receiver);
}

/* }}} */

typedef struct
{
  BourseTestServer *server;
  gint64            attempts;
} RefusedWait;

/* The webhook delivery is pending again after @attempts refused sends. */
static gboolean
refused_enough (gpointer data)
{
  RefusedWait *wait = data;
  g_autoptr(JsonNode) node = history (wait->server, NULL, "?channel=webhook");
  JsonObject *item;

  if (json_array_get_length (items_of (node)) == 0)
    return FALSE;
  item = json_array_get_object_element (items_of (node), 0);
  return g_strcmp0 (json_object_get_string_member (item, "status"), "pending") == 0
      && json_object_get_int_member (item, "attempts") >= wait->attempts;
}

/* Nothing listens where the webhook points: a temporary failure, retried,
 * and delivered once when a receiver listens there. */
static void
test_receiver_not_listening (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ignored = NULL;
  g_autoptr(JsonNode) pending = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autofree char *url = NULL;
  g_autofree char *alice = NULL;
  g_autofree char *delivery = NULL;
  BourseTestServer *server;
  Receiver *receiver;
  RefusedWait wait;
  JsonObject *item;
  guint16 port;

  /* A port that was free a moment ago, closed again: connections refused. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  server = server_new (url, NULL, "1");
  create_user (server, "alice", "admin");
  alice = login (server, "alice");
  ignored = expect_json (server, "PUT", "/api/v1/notifications/preferences", alice,
                         "{\"events\":{\"signup.pending\":[\"webhook\"]}}", 200);
  sign_up (server, "bob");

  wait = (RefusedWait) { server, 2 };
  bourse_test_wait_until (refused_enough, &wait, 30000, "two refused sends");
  pending = history (server, NULL, "?channel=webhook");
  item = json_array_get_object_element (items_of (pending), 0);
  g_assert_nonnull (strstr (json_object_get_string_member (item, "last_error"), "Could not reach"));
  g_assert_false (json_object_get_null_member (item, "next_attempt_at"));
  delivery = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (item, "id"));

  receiver = receiver_new_on (port);
  wait_history (server, "?channel=webhook", "sent", 1);
  sent = history (server, NULL, "?channel=webhook");
  g_assert_cmpuint (json_array_get_length (items_of (sent)), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items_of (sent), 0), "attempts"),
                   >=, 3);
  g_assert_cmpuint (receiver->requests->len, ==, 1);
  g_assert_cmpuint (count_deliveries (receiver, delivery, 200), ==, 1);
  check_signature (g_ptr_array_index (receiver->requests, 0));

  bourse_test_server_free (server);
  receiver_free (receiver);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/notifications/webhook-retries", test_webhook_retries);
  g_test_add_func ("/notifications/restart-retries-sending", test_restart_retries_sending);
  g_test_add_func ("/notifications/ntfy", test_ntfy);
  g_test_add_func ("/notifications/preferences", test_preferences);
  g_test_add_func ("/notifications/devices", test_devices);
  g_test_add_func ("/notifications/signup-to-admins", test_signup_to_admins);
  g_test_add_func ("/notifications/password-reset", test_password_reset);
  g_test_add_func ("/notifications/desktop-only-its-user", test_desktop_only_its_user);
  g_test_add_func ("/notifications/producers", test_producers);
  g_test_add_func ("/notifications/receiver-not-listening", test_receiver_not_listening);

  return g_test_run ();
}
