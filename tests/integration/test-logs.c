/* test-logs.c — the log ring through GET /api/v1/logs and the logs topic
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-logs"

#include "config.h"

#include "core/bourse-log.h"

#include "desk-test-util.h"

static JsonArray *
items (JsonNode *node)
{
  return json_object_get_array_member (desk_object (node), "items");
}

static const char *
item_message (JsonNode *node,
              guint     index)
{
  return json_object_get_string_member (json_array_get_object_element (items (node), index), "message");
}

static void
test_filters_and_cursor (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autofree char *trader = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) messages = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) later = NULL;
  g_autoptr(JsonNode) access = NULL;
  g_autofree char *next = NULL;
  g_autofree char *future = NULL;
  g_autoptr(BourseTestResponse) response = NULL;
  const char * const request_id[] = { "X-Request-ID", "logs-test-request-1", NULL };
  JsonObject *entry;

  desk_create_user (server, "tina", "trader");
  trader = desk_login (server, "tina", "trader");

  g_info ("alpha");
  g_message ("beta");
  g_info ("gamma");

  /* Newest first, every field of an entry. */
  all = desk_expect (server, "GET", "/api/v1/logs?domain=test-logs", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (items (all)), ==, 3);
  g_assert_cmpstr (item_message (all, 0), ==, "gamma");
  g_assert_cmpstr (item_message (all, 2), ==, "alpha");
  entry = json_array_get_object_element (items (all), 1);
  g_assert_cmpstr (json_object_get_string_member (entry, "level"), ==, "message");
  g_assert_cmpstr (json_object_get_string_member (entry, "domain"), ==, "test-logs");
  g_assert_true (json_object_has_member (entry, "ts"));
  g_assert_true (json_object_has_member (entry, "request_id"));
  g_assert_cmpint (json_object_get_int_member (entry, "id"), <,
                   json_object_get_int_member (json_array_get_object_element (items (all), 0), "id"));
  g_assert_true (json_object_get_null_member (desk_object (all), "next_cursor"));

  /* The lowest level shown. */
  messages = desk_expect (server, "GET", "/api/v1/logs?domain=test-logs&level=message", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (items (messages)), ==, 1);
  g_assert_cmpstr (item_message (messages, 0), ==, "beta");

  /* Pages. */
  first = desk_expect (server, "GET", "/api/v1/logs?domain=test-logs&limit=2", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (items (first)), ==, 2);
  g_assert_cmpstr (item_message (first, 1), ==, "beta");
  next = g_strdup_printf ("/api/v1/logs?domain=test-logs&limit=2&cursor=%s",
                          json_object_get_string_member (desk_object (first), "next_cursor"));
  second = desk_expect (server, "GET", next, NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (items (second)), ==, 1);
  g_assert_cmpstr (item_message (second, 0), ==, "alpha");
  g_assert_true (json_object_get_null_member (desk_object (second), "next_cursor"));

  /* Nothing since a minute from now. */
  future = g_strdup_printf ("/api/v1/logs?domain=test-logs&since=%" G_GINT64_FORMAT,
                            g_get_real_time () / 1000 + 60000);
  later = desk_expect (server, "GET", future, NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (items (later)), ==, 0);

  /* The access log carries the request's id and its HTTP fields. */
  response = bourse_test_fetch (server, "GET", "/api/v1/version", request_id, NULL, NULL, 0);
  g_assert_cmpuint (response->status, ==, 200);
  access = desk_expect (server, "GET", "/api/v1/logs?domain=bourse-server&limit=20", NULL, NULL, 200);
  {
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (items (access)); i++)
      {
        JsonObject *line = json_array_get_object_element (items (access), i);

        if (g_strcmp0 (json_object_get_string_member_with_default (line, "request_id", NULL),
                       "logs-test-request-1") == 0)
          {
            JsonObject *fields = json_object_get_object_member (line, "fields");

            g_assert_cmpstr (json_object_get_string_member (fields, "HTTP_ROUTE"), ==, "/api/v1/version");
            found = TRUE;
          }
      }
    g_assert_true (found);
  }

  /* Each bad parameter named; administrators only. */
  desk_expect_field (server, "GET", "/api/v1/logs?level=loud", NULL, NULL, 422, "level");
  desk_expect_field (server, "GET", "/api/v1/logs?since=yesterday", NULL, NULL, 422, "since");
  desk_expect_field (server, "GET", "/api/v1/logs?limit=0", NULL, NULL, 422, "limit");
  desk_expect_field (server, "GET", "/api/v1/logs?limit=1001", NULL, NULL, 422, "limit");
  desk_expect_field (server, "GET", "/api/v1/logs?cursor=-3", NULL, NULL, 422, "cursor");
  desk_expect_field (server, "GET", "/api/v1/logs?domain=%20", NULL, NULL, 422, "domain");
  g_clear_pointer (&later, json_node_unref);
  later = desk_expect (server, "GET", "/api/v1/logs", trader, NULL, 403);

  bourse_test_server_free (server);
}

static gboolean
tail_has (gpointer data)
{
  gpointer *args = data;
  DeskWs *ws = args[0];

  for (guint i = 0; i < desk_ws_count (ws, "logs"); i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (desk_ws_event (ws, "logs", i), "message", NULL),
                   args[1]) == 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  const char *message;
  guint       n;
} ThreadLog;

static gpointer
log_from_thread (gpointer data)
{
  ThreadLog *log = data;

  for (guint i = 0; i < log->n; i++)
    g_message ("%s", log->message);
  return NULL;
}

static void
test_topic (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autofree char *trader = NULL;
  DeskWs *admin_ws = NULL;
  DeskWs *trader_ws = NULL;
  ThreadLog log = { "logged from a worker thread", 1 };
  gpointer args[2];
  GThread *thread;

  desk_create_user (server, "tina", "trader");
  trader = desk_login (server, "tina", "trader");

  admin_ws = desk_ws_connect (server, NULL);
  desk_ws_subscribe (admin_ws, "[\"logs\"]");
  trader_ws = desk_ws_connect (server, trader);
  g_assert_false (desk_ws_try_subscribe (trader_ws, "[\"logs\"]"));

  /* A message from another thread reaches the admin's tail. */
  thread = g_thread_new ("logger", log_from_thread, &log);
  g_thread_join (thread);
  args[0] = admin_ws;
  args[1] = (gpointer)log.message;
  bourse_test_wait_until (tail_has, args, 10000, "the message on the logs topic");
  g_assert_cmpuint (desk_ws_count (trader_ws, "logs"), ==, 0);

  /* A burst larger than the ring: the thread that logs never waits, and
   * the tail gets at most the ring. */
  bourse_log_set_ring_size (100);
  log.message = "a burst";
  log.n = 2000;
  thread = g_thread_new ("logger", log_from_thread, &log);
  g_thread_join (thread);
  g_message ("after the burst");
  args[1] = (gpointer)"after the burst";
  bourse_test_wait_until (tail_has, args, 10000, "the message after the burst");
  bourse_log_set_ring_size (5000);

  /* At debug level the ring keeps debug messages, but the tail carries
   * none: sending makes libsoup log each frame at debug, which would be
   * sent in turn, for ever. The message after it arrives alone. */
  bourse_log_set_max_level (G_LOG_LEVEL_DEBUG);
  g_debug ("a debug message");
  g_message ("after the debug message");
  args[1] = (gpointer)"after the debug message";
  bourse_test_wait_until (tail_has, args, 10000, "the message after the debug one");
  args[1] = (gpointer)"a debug message";
  g_assert_false (tail_has (args));
  bourse_log_set_max_level (G_LOG_LEVEL_INFO);
  {
    g_autoptr(JsonNode) kept = desk_expect (server, "GET", "/api/v1/logs?level=debug&limit=50", NULL, NULL, 200);
    g_autofree char *text = json_to_string (kept, FALSE);

    g_assert_nonnull (strstr (text, "a debug message"));
  }

  desk_ws_free (trader_ws);
  desk_ws_free (admin_ws);
  bourse_test_server_free (server);
}

/* Nothing a client sends to prove who it is reaches the ring, whatever
 * level it logs at. */
static void
test_no_secret (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) key = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(JsonNode) dump = NULL;
  g_autoptr(BourseTestResponse) response = NULL;
  g_autoptr(BourseTestResponse) refused = NULL;
  g_autofree char *text = NULL;
  g_autofree char *ring_text = NULL;
  const char *api_key;
  const char * const anonymous[] = { "Authorization", "", NULL };

  bourse_log_ring_clear ();
  desk_create_user (server, "tina", "trader");
  token = desk_login (server, "tina", "trader");
  refused = bourse_test_fetch (server, "POST", "/api/v1/auth/login", anonymous, "application/json",
                               "{\"username\":\"tina\",\"password\":\"not her password at all\"}", -1);
  g_assert_cmpuint (refused->status, ==, 401);
  key = desk_expect (server, "POST", "/api/v1/api-keys", token, "{\"name\":\"script\"}", 201);
  api_key = json_object_get_string_member (desk_object (key), "key");
  {
    const char * const headers[] = { "Authorization", "", "X-API-Key", api_key, NULL };

    response = bourse_test_fetch (server, "GET", "/api/v1/users/me", headers, NULL, NULL, 0);
    g_assert_cmpuint (response->status, ==, 200);
  }
  me = desk_expect (server, "GET", "/api/v1/users/me", token, NULL, 200);

  /* Through the API, and the ring itself. */
  dump = desk_expect (server, "GET", "/api/v1/logs?limit=1000", NULL, NULL, 200);
  text = json_to_string (dump, FALSE);
  g_assert_cmpuint (json_array_get_length (items (dump)), >, 0);
  {
    BourseLogQuery query = { G_LOG_LEVEL_DEBUG, NULL, 0, 0, G_MAXUINT };
    g_autoptr(GPtrArray) entries = bourse_log_ring_query (&query, NULL);
    g_autoptr(GString) all = g_string_new (NULL);

    for (guint i = 0; i < entries->len; i++)
      {
        g_autoptr(JsonNode) node = bourse_log_entry_to_json (g_ptr_array_index (entries, i));
        g_autofree char *line = json_to_string (node, FALSE);

        g_string_append (all, line);
      }
    ring_text = g_string_free (g_steal_pointer (&all), FALSE);
  }
  for (guint i = 0; i < 2; i++)
    {
      const char *haystack = i == 0 ? text : ring_text;

      g_assert_null (strstr (haystack, DESK_TRADER_PASSWORD));
      g_assert_null (strstr (haystack, DESK_ADMIN_PASSWORD));
      g_assert_null (strstr (haystack, "not her password"));
      g_assert_null (strstr (haystack, token));
      g_assert_null (strstr (haystack, server->token));
      g_assert_null (strstr (haystack, api_key + 11));   /* past what lists show */
      g_assert_null (strstr (haystack, "Bearer ey"));
    }

  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* As boursed does: the ring takes what the writer writes. */
  bourse_log_init (BOURSE_LOG_FORMAT_TEXT, G_LOG_LEVEL_INFO);

  g_test_add_func ("/logs/filters-and-cursor", test_filters_and_cursor);
  g_test_add_func ("/logs/topic", test_topic);
  g_test_add_func ("/logs/no-secret", test_no_secret);

  return g_test_run ();
}
