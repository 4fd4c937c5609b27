/* test-server.c — the HTTP server end to end, over real sockets
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "server/bourse-request.h"

#include "bourse-test-server.h"

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static void
assert_problem (BourseTestResponse *response,
                guint               status)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *problem;

  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==,
                   "application/problem+json");
  node = bourse_test_response_json (response);
  problem = object_of (node);
  g_assert_cmpstr (json_object_get_string_member (problem, "type"), ==, "about:blank");
  g_assert_cmpint (json_object_get_int_member (problem, "status"), ==, status);
  g_assert_cmpstr (json_object_get_string_member (problem, "title"), ==, soup_status_get_phrase (status));
  g_assert_nonnull (json_object_get_string_member (problem, "detail"));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (problem, "errors")));
  g_assert_cmpstr (json_object_get_string_member (problem, "request_id"), ==,
                   bourse_test_response_header (response, "X-Request-ID"));
}

static void
test_health (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  g_autoptr(BourseTestResponse) response = bourse_test_fetch (server, "GET", "/health", NULL, NULL, NULL, 0);
  g_autoptr(JsonNode) node = bourse_test_response_json (response);
  JsonObject *health = object_of (node);
  JsonObject *database;

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==, "application/json");
  g_assert_cmpstr (json_object_get_string_member (health, "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (health, "version"), ==, PACKAGE_VERSION);
  g_assert_true (json_object_has_member (health, "uptime_seconds"));
  database = json_object_get_object_member (health, "database");
  g_assert_true (json_object_get_boolean_member (database, "ok"));
  g_assert_cmpint (json_object_get_int_member (database, "schema_version"), ==, bourse_store_get_latest_version ());

  bourse_test_server_free (server);
}

static void
test_live_ready_version (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  g_autoptr(BourseTestResponse) live = bourse_test_fetch (server, "GET", "/live", NULL, NULL, NULL, 0);
  g_autoptr(BourseTestResponse) ready = bourse_test_fetch (server, "GET", "/ready", NULL, NULL, NULL, 0);
  g_autoptr(BourseTestResponse) version = bourse_test_fetch (server, "GET", "/api/v1/version", NULL, NULL, NULL, 0);
  g_autoptr(JsonNode) version_json = bourse_test_response_json (version);

  g_assert_cmpuint (live->status, ==, 200);
  g_assert_cmpuint (ready->status, ==, 200);
  g_assert_cmpuint (version->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object_of (version_json), "version"), ==, PACKAGE_VERSION);
  g_assert_cmpstr (json_object_get_string_member (object_of (version_json), "api"), ==, "v1");

  bourse_test_server_free (server);
}

static void
test_health_reports_closed_database (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  g_autoptr(BourseTestResponse) health = NULL;
  g_autoptr(BourseTestResponse) ready = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* The database going away must show, not be papered over. */
  bourse_store_close (bourse_engine_get_store (server->engine));
  health = bourse_test_fetch (server, "GET", "/health", NULL, NULL, NULL, 0);
  ready = bourse_test_fetch (server, "GET", "/ready", NULL, NULL, NULL, 0);
  node = bourse_test_response_json (health);

  g_assert_cmpuint (health->status, ==, 503);
  g_assert_cmpuint (ready->status, ==, 503);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (object_of (node), "database"), "ok"));

  bourse_test_server_free (server);
}

static void
test_system_status (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (server, "GET", "/api/v1/system/status", NULL, NULL, NULL, 0);
  g_autoptr(JsonNode) node = bourse_test_response_json (response);
  JsonObject *status = object_of (node);
  JsonObject *engine = json_object_get_object_member (status, "engine");
  JsonObject *srv = json_object_get_object_member (status, "server");
  JsonObject *database = json_object_get_object_member (status, "database");
  g_autofree char *db_path = g_build_filename (server->data_dir, "bourse.db", NULL);

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (engine, "state"), ==, "running");
  g_assert_nonnull (json_object_get_string_member (engine, "started_at"));
  g_assert_cmpstr (json_object_get_string_member (srv, "url"), ==, server->base_url);
  g_assert_cmpint (json_object_get_int_member (srv, "websocket_clients"), ==, 0);
  g_assert_false (json_object_get_boolean_member (srv, "tls"));
  g_assert_cmpstr (json_object_get_string_member (database, "path"), ==, db_path);
  g_assert_cmpstr (json_object_get_string_member (status, "mode"), ==, "paper");

  bourse_test_server_free (server);
}

static void
test_not_found_and_method_not_allowed (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  g_autoptr(BourseTestResponse) missing = bourse_test_fetch (server, "GET", "/api/v1/nothing-here", NULL, NULL, NULL, 0);
  g_autoptr(BourseTestResponse) wrong = bourse_test_fetch (server, "DELETE", "/health", NULL, NULL, NULL, 0);
  g_autoptr(BourseTestResponse) options = bourse_test_fetch (server, "OPTIONS", "/api/v1/system/status", NULL, NULL, NULL, 0);
  g_autoptr(BourseTestResponse) head = bourse_test_fetch (server, "HEAD", "/health", NULL, NULL, NULL, 0);

  assert_problem (missing, 404);
  assert_problem (wrong, 405);
  g_assert_cmpstr (bourse_test_response_header (wrong, "Allow"), ==, "GET, HEAD, OPTIONS");
  g_assert_cmpuint (options->status, ==, 204);
  g_assert_cmpstr (bourse_test_response_header (options, "Allow"), ==, "GET, HEAD, OPTIONS");
  g_assert_cmpuint (head->status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (head->body), ==, 0);

  bourse_test_server_free (server);
}

/* A route of the test's own, to exercise body handling and path parameters. */
static void
echo_cb (BourseRequest *request,
         gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(JsonBuilder) builder = NULL;

  if (body == NULL)
    return;

  if (!json_object_has_member (body, "name"))
    {
      const BourseFieldError errors[] = { { "name", "is required" } };
      bourse_request_reply_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "Invalid order", errors, 1);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, bourse_request_get_param (request, "id"));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, json_object_get_string_member (body, "name"));
  json_builder_set_member_name (builder, "request_id");
  json_builder_add_string_value (builder, bourse_request_get_request_id (request));
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_CREATED, builder);
}

static BourseTestServer *
new_echo_server (void)
{
  static const char * const settings[] = { "server", "max_body_bytes", "2048", NULL };
  BourseTestServer *server = bourse_test_server_new (FALSE, settings);

  bourse_router_add (bourse_server_get_router (server->server), "POST", "/api/v1/echo/{id}",
                     NULL, echo_cb, NULL);
  bourse_test_server_start (server);
  return server;
}

static void
test_json_bodies (void)
{
  BourseTestServer *server = new_echo_server ();
  g_autoptr(BourseTestResponse) ok =
    bourse_test_fetch (server, "POST", "/api/v1/echo/a%20b", NULL, "application/json", "{\"name\":\"x\"}", -1);
  g_autoptr(BourseTestResponse) bad_json =
    bourse_test_fetch (server, "POST", "/api/v1/echo/1", NULL, "application/json", "{\"name\":", -1);
  g_autoptr(BourseTestResponse) not_object =
    bourse_test_fetch (server, "POST", "/api/v1/echo/1", NULL, "application/json", "[1,2]", -1);
  g_autoptr(BourseTestResponse) wrong_type =
    bourse_test_fetch (server, "POST", "/api/v1/echo/1", NULL, "text/plain", "{\"name\":\"x\"}", -1);
  g_autoptr(BourseTestResponse) invalid =
    bourse_test_fetch (server, "POST", "/api/v1/echo/1", NULL, "application/json", "{}", -1);
  g_autoptr(JsonNode) ok_json = bourse_test_response_json (ok);
  g_autoptr(JsonNode) invalid_json = bourse_test_response_json (invalid);
  JsonObject *field;

  g_assert_cmpuint (ok->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (object_of (ok_json), "id"), ==, "a b");
  g_assert_cmpstr (json_object_get_string_member (object_of (ok_json), "name"), ==, "x");
  assert_problem (bad_json, 400);
  assert_problem (not_object, 400);
  assert_problem (wrong_type, 415);
  assert_problem (invalid, 422);
  field = json_array_get_object_element (json_object_get_array_member (object_of (invalid_json), "errors"), 0);
  g_assert_cmpstr (json_object_get_string_member (field, "field"), ==, "name");
  g_assert_cmpstr (json_object_get_string_member (field, "message"), ==, "is required");

  bourse_test_server_free (server);
}

static void
test_body_limit (void)
{
  BourseTestServer *server = new_echo_server ();
  g_autofree char *big = g_strnfill (4096, 'x');
  g_autoptr(BourseTestResponse) too_large =
    bourse_test_fetch (server, "POST", "/api/v1/echo/1", NULL, "application/json", big, -1);
  g_autofree char *chunked = NULL;
  g_autofree char *raw = NULL;
  g_autoptr(BourseTestResponse) still_fine = NULL;

  assert_problem (too_large, 413);

  /* Chunked bodies have no Content-Length up front: counted as they arrive. */
  chunked = g_strdup_printf ("POST /api/v1/echo/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                             "800\r\n%s\r\n800\r\n%s\r\n0\r\n\r\n", big + 2048, big + 2048);
  raw = bourse_test_raw_request (server, chunked);
  g_assert_true (g_str_has_prefix (raw, "HTTP/1.1 413"));

  still_fine = bourse_test_fetch (server, "POST", "/api/v1/echo/1", NULL, "application/json", "{\"name\":\"y\"}", -1);
  g_assert_cmpuint (still_fine->status, ==, 201);

  bourse_test_server_free (server);
}

static void
test_request_ids (void)
{
  BourseTestServer *server = new_echo_server ();
  const char * const given[] = { "X-Request-ID", "client-chosen.42", NULL };
  const char * const hostile[] = { "X-Request-ID", "bad id\" with spaces", NULL };
  g_autoptr(BourseTestResponse) echoed = bourse_test_fetch (server, "GET", "/health", given, NULL, NULL, 0);
  g_autoptr(BourseTestResponse) replaced = bourse_test_fetch (server, "GET", "/health", hostile, NULL, NULL, 0);
  g_autoptr(BourseTestResponse) made = bourse_test_fetch (server, "GET", "/health", NULL, NULL, NULL, 0);
  g_autoptr(BourseTestResponse) handler =
    bourse_test_fetch (server, "POST", "/api/v1/echo/1", given, "application/json", "{\"name\":\"x\"}", -1);
  g_autoptr(JsonNode) handler_json = bourse_test_response_json (handler);

  g_assert_cmpstr (bourse_test_response_header (echoed, "X-Request-ID"), ==, "client-chosen.42");
  g_assert_true (g_uuid_string_is_valid (bourse_test_response_header (replaced, "X-Request-ID")));
  g_assert_true (g_uuid_string_is_valid (bourse_test_response_header (made, "X-Request-ID")));
  g_assert_cmpstr (bourse_test_response_header (made, "X-Request-ID"), !=,
                   bourse_test_response_header (replaced, "X-Request-ID"));
  g_assert_cmpstr (json_object_get_string_member (object_of (handler_json), "request_id"), ==, "client-chosen.42");

  bourse_test_server_free (server);
}

static void
test_cors (void)
{
  static const char * const settings[] = { "server", "cors_origins", "https://desk.example, https://other.example", NULL };
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  const char * const allowed[] = { "Origin", "https://desk.example", NULL };
  const char * const refused[] = { "Origin", "https://evil.example", NULL };
  const char * const preflight[] = { "Origin", "https://desk.example", "Access-Control-Request-Method", "GET",
                                     "Access-Control-Request-Headers", "authorization", NULL };
  const char * const evil_preflight[] = { "Origin", "https://evil.example", "Access-Control-Request-Method", "GET", NULL };
  g_autoptr(BourseTestResponse) a = bourse_test_fetch (server, "GET", "/api/v1/system/status", allowed, NULL, NULL, 0);
  g_autoptr(BourseTestResponse) r = bourse_test_fetch (server, "GET", "/api/v1/system/status", refused, NULL, NULL, 0);
  g_autoptr(BourseTestResponse) p = bourse_test_fetch (server, "OPTIONS", "/api/v1/system/status", preflight, NULL, NULL, 0);
  g_autoptr(BourseTestResponse) e = bourse_test_fetch (server, "OPTIONS", "/api/v1/system/status", evil_preflight, NULL, NULL, 0);

  g_assert_cmpstr (bourse_test_response_header (a, "Access-Control-Allow-Origin"), ==, "https://desk.example");
  g_assert_nonnull (strstr (bourse_test_response_header (a, "Access-Control-Expose-Headers"), "X-Request-ID"));
  g_assert_null (bourse_test_response_header (r, "Access-Control-Allow-Origin"));
  g_assert_cmpuint (p->status, ==, 204);
  g_assert_cmpstr (bourse_test_response_header (p, "Access-Control-Allow-Origin"), ==, "https://desk.example");
  g_assert_cmpstr (bourse_test_response_header (p, "Access-Control-Allow-Methods"), ==, "GET");
  g_assert_nonnull (strstr (bourse_test_response_header (p, "Access-Control-Allow-Headers"), "Authorization"));
  assert_problem (e, 403);
  g_assert_null (bourse_test_response_header (e, "Access-Control-Allow-Origin"));

  bourse_test_server_free (server);
}

/* The value of the attribute @attribute of the first element of @html that
 * starts with @element ("<script type=\"module\""), or NULL. */
static char *
element_attribute (const char *html,
                   const char *element,
                   const char *attribute)
{
  g_autofree char *needle = g_strdup_printf (" %s=\"", attribute);
  const char *start = strstr (html, element);
  const char *end;

  if (start == NULL || (end = strchr (start, '>')) == NULL)
    return NULL;
  if ((start = g_strstr_len (start, end - start, needle)) == NULL)
    return NULL;
  start += strlen (needle);
  end = strchr (start, '"');
  return end != NULL ? g_strndup (start, end - start) : NULL;
}

static char *
fetch_file (BourseTestServer *server,
            const char       *path,
            const char       *type)
{
  g_autoptr(BourseTestResponse) response = bourse_test_fetch (server, "GET", path, NULL, NULL, NULL, 0);

  g_test_message ("GET %s", path);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==, type);
  g_assert_cmpstr (bourse_test_response_header (response, "X-Content-Type-Options"), ==, "nosniff");
  return g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
}

/* The page, and the bundle it names: esbuild's names carry a hash of the
 * content (build-aux/web-build.py), so they are read from index.html. */
static void
test_static_files (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  g_autofree char *root = fetch_file (server, "/", "text/html");
  g_autofree char *index = fetch_file (server, "/index.html", "text/html");
  g_autofree char *icon = fetch_file (server, "/icon.svg", "image/svg+xml");
  g_autofree char *script = element_attribute (index, "<script type=\"module\"", "src");
  g_autofree char *style = element_attribute (index, "<link rel=\"stylesheet\"", "href");

  g_assert_nonnull (strstr (root, "<title>Bourse</title>"));
  g_assert_cmpstr (root, ==, index);
  g_assert_nonnull (strstr (icon, "<svg"));

  /* A build without the console serves a page that says so, and no bundle. */
  if (strstr (index, "The web console was not built") != NULL)
    g_test_message ("the web console was not built: no bundle to fetch");
  else
    {
      g_autofree char *js = NULL;
      g_autofree char *css = NULL;

      g_assert_nonnull (script);
      g_assert_nonnull (style);
      g_autoptr(GString) code = g_string_new (NULL);
      g_autoptr(GRegex) imports = g_regex_new ("\"\\./([A-Za-z0-9_-]+\\.js)\"", 0, 0, NULL);
      g_autoptr(GMatchInfo) match = NULL;

      js = fetch_file (server, script, "text/javascript");
      css = fetch_file (server, style, "text/css");
      g_assert_nonnull (strstr (css, ":root"));

      /* The entry loads the translations, then the console from its chunks
       * (the same hashed names, next to it). */
      g_string_append (code, js);
      g_regex_match (imports, js, 0, &match);
      for (; g_match_info_matches (match); g_match_info_next (match, NULL))
        {
          g_autofree char *name = g_match_info_fetch (match, 1);
          g_autofree char *path = g_strconcat ("/", name, NULL);
          g_autofree char *chunk = fetch_file (server, path, "text/javascript");

          g_string_append (code, chunk);
        }
      g_assert_nonnull (strstr (code->str, "/api/v1/ws"));
    }

  {
    g_autoptr(BourseTestResponse) missing = bourse_test_fetch (server, "GET", "/nope.html", NULL, NULL, NULL, 0);
    assert_problem (missing, 404);
  }

  bourse_test_server_free (server);
}

static void
test_path_traversal (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  /* The migrations live in the same resource bundle family; none may leak. */
  static const char * const attempts[] = {
    "/../migrations/0001-initial.sql",
    "/%2e%2e/migrations/0001-initial.sql",
    "/..%2fmigrations%2f0001-initial.sql",
    "/.%2e/.%2e/io/github/bourse/Bourse/migrations/0001-initial.sql",
    "/%2e%2e%5cmigrations%5c0001-initial.sql",
    "/index.html%00.css",
    "//io/github/bourse/Bourse/migrations/0001-initial.sql",
  };

  for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
    {
      g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                                                  attempts[i]);
      g_autofree char *raw = bourse_test_raw_request (server, request);

      g_test_message ("%s → %.*s", attempts[i], (int)MIN (strlen (raw), 20), raw);
      g_assert_false (g_str_has_prefix (raw, "HTTP/1.1 200"));
      g_assert_null (strstr (raw, "CREATE TABLE"));
    }

  bourse_test_server_free (server);
}

static void
test_metrics (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  g_autoptr(BourseTestResponse) health = bourse_test_fetch (server, "GET", "/health", NULL, NULL, NULL, 0);
  g_autoptr(BourseTestResponse) missing = bourse_test_fetch (server, "GET", "/api/v1/missing", NULL, NULL, NULL, 0);
  g_autoptr(BourseTestResponse) metrics = bourse_test_fetch (server, "GET", "/metrics", NULL, NULL, NULL, 0);
  g_autofree char *text = g_strndup (g_bytes_get_data (metrics->body, NULL), g_bytes_get_size (metrics->body));
  g_autoptr(GSubprocess) promtool = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpuint (metrics->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (metrics->headers, "Content-Type"), "text/plain; version=0.0.4"));
  g_assert_nonnull (strstr (text, "bourse_http_requests_total{route=\"/health\",method=\"GET\",status=\"200\"} 1\n"));
  g_assert_nonnull (strstr (text, "bourse_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"));
  g_assert_nonnull (strstr (text, "bourse_http_request_duration_seconds_count{route=\"/health\",method=\"GET\"} 1\n"));
  g_assert_nonnull (strstr (text, "bourse_build_info{version=\"" PACKAGE_VERSION "\""));
  g_assert_nonnull (strstr (text, "bourse_websocket_clients 0\n"));

  if (!g_file_test ("/usr/bin/promtool", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("promtool is not installed");
      bourse_test_server_free (server);
      return;
    }

  promtool = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error, "/usr/bin/promtool", "check", "metrics", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (promtool, text, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("promtool: %s%s", out, err);
  g_assert_true (g_subprocess_get_successful (promtool));
  g_assert_cmpstr (g_strstrip (err), ==, "");

  bourse_test_server_free (server);
}

static gboolean slow_answered;

/* A handler that answers later, like a slow query would. */
static gboolean
finish_slow_cb (gpointer data)
{
  BourseRequest *request = data;

  slow_answered = TRUE;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "slow");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
  bourse_request_unpause (request);
  return G_SOURCE_REMOVE;
}

static void
slow_cb (BourseRequest *request,
         gpointer       user_data)
{
  bourse_request_pause (request);
  g_timeout_add (300, finish_slow_cb, request);
}

typedef struct
{
  GBytes       *body;
  SoupMessage  *message;
  gboolean      response_done;
  gboolean      shutdown_done;
} ShutdownState;

static void
slow_response_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ShutdownState *state = user_data;

  state->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  state->response_done = TRUE;
}

static void
graceful_shutdown_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ShutdownState *state = user_data;

  g_assert_true (bourse_server_shutdown_finish (BOURSE_SERVER (object), result, NULL));
  /* In-flight work finished before the server called it done. */
  g_assert_true (slow_answered);
  state->shutdown_done = TRUE;
}

static gboolean
response_done (gpointer data)
{
  return ((ShutdownState *)data)->response_done;
}

static gboolean
shutdown_done (gpointer data)
{
  return ((ShutdownState *)data)->shutdown_done;
}

static void
test_graceful_shutdown (void)
{
  BourseTestServer *server = bourse_test_server_new (FALSE, NULL);
  ShutdownState state = { 0 };
  g_autofree char *url = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) late = NULL;
  g_autoptr(GError) error = NULL;

  bourse_router_add (bourse_server_get_router (server->server), "GET", "/api/v1/slow", NULL, slow_cb, NULL);
  bourse_test_server_start (server);

  url = g_strconcat (server->base_url, "api/v1/slow", NULL);
  state.message = soup_message_new ("GET", url);
  soup_session_send_and_read_async (server->session, state.message, G_PRIORITY_DEFAULT, NULL,
                                    slow_response_cb, &state);
  /* Let the request reach the handler, then shut down while it waits. */
  bourse_test_spin (150);
  g_assert_false (state.response_done);
  g_assert_false (slow_answered);

  bourse_server_shutdown_async (server->server, NULL, graceful_shutdown_cb, &state);

  /* New connections are refused from the moment shutdown starts. */
  late = g_socket_client_connect_to_host (client, "127.0.0.1", bourse_server_get_port (server->server), NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);

  bourse_test_wait_until (shutdown_done, &state, 5000, "graceful shutdown");
  bourse_test_wait_until (response_done, &state, 5000, "slow response");
  g_assert_cmpuint (soup_message_get_status (state.message), ==, 200);
  g_assert_nonnull (state.body);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (state.body, NULL), g_bytes_get_size (state.body), "\"slow\":true"));

  g_clear_pointer (&state.body, g_bytes_unref);
  g_clear_object (&state.message);
  bourse_test_server_free (server);
}

static void
test_insecure_bind_refused (void)
{
  static const char * const settings[] = { "server", "bind", "0.0.0.0", NULL };
  BourseTestServer *server = bourse_test_server_new (FALSE, settings);
  g_autoptr(GError) error = NULL;

  g_assert_false (bourse_server_start (server->server, &error));
  g_assert_error (error, BOURSE_SERVER_ERROR, BOURSE_SERVER_ERROR_INSECURE_BIND);
  g_assert_nonnull (strstr (error->message, "--insecure-bind"));

  bourse_test_server_free (server);
}

/* Many clients at once {{{ */

/* One client of the burst: connects, writes its request, reads until it
 * has the answer's head (a WebSocket's 101, which then stays open) or the
 * end of the stream (plain HTTP, with Connection: close). */
typedef struct
{
  struct Burst      *burst;
  GSocketConnection *connection;
  char              *request;
  GString           *received;
  char               buffer[4096];
  gboolean           websocket;
  gboolean           done;
} BurstClient;

typedef struct Burst
{
  GPtrArray *clients;
  guint      done;
  guint      failed;
} Burst;

static void
burst_client_free (BurstClient *client)
{
  if (client->connection != NULL)
    g_io_stream_close (G_IO_STREAM (client->connection), NULL, NULL);
  g_clear_object (&client->connection);
  g_free (client->request);
  g_string_free (client->received, TRUE);
  g_free (client);
}

static void
burst_client_finish (BurstClient *client,
                     GError      *error)
{
  if (client->done)
    return;
  client->done = TRUE;
  client->burst->done++;
  if (error != NULL)
    {
      g_test_message ("A client of the burst failed: %s", error->message);
      client->burst->failed++;
    }
}

static void burst_read_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      data);

static void
burst_read_more (BurstClient *client)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (client->connection)), client->buffer,
                             sizeof client->buffer, G_PRIORITY_DEFAULT, NULL, burst_read_cb, client);
}

static void
burst_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      data)
{
  BurstClient *client = data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (n < 0)
    {
      burst_client_finish (client, error);
      return;
    }
  g_string_append_len (client->received, client->buffer, n);
  if (n == 0 || (client->websocket && strstr (client->received->str, "\r\n\r\n") != NULL))
    burst_client_finish (client, NULL);
  else
    burst_read_more (client);
}

static void
burst_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  BurstClient *client = data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    burst_client_finish (client, error);
  else
    burst_read_more (client);
}

static void
burst_connected_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      data)
{
  BurstClient *client = data;
  g_autoptr(GError) error = NULL;

  client->connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (client->connection == NULL)
    {
      burst_client_finish (client, error);
      return;
    }
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (client->connection)),
                                   client->request, strlen (client->request), G_PRIORITY_DEFAULT, NULL,
                                   burst_written_cb, client);
}

static gboolean
burst_done (gpointer data)
{
  Burst *burst = data;

  return burst->done == burst->clients->len;
}

static gboolean
websockets_closed (gpointer data)
{
  return bourse_server_get_n_websockets (data) == 0;
}

#define BURST_HTTP       200
#define BURST_WEBSOCKETS 200

/* Every client connects before the server's main loop runs again, so the
 * listen queue holds hundreds at once: the server accepts them in batches
 * (bourse-connections.c) and answers every one. */
static void
test_many_connections (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  Burst burst = { g_ptr_array_new_with_free_func ((GDestroyNotify)burst_client_free), 0, 0 };
  guint16 port = bourse_server_get_port (server->server);

  for (guint i = 0; i < BURST_HTTP + BURST_WEBSOCKETS; i++)
    {
      BurstClient *client = g_new0 (BurstClient, 1);

      client->burst = &burst;
      client->received = g_string_new (NULL);
      client->websocket = i >= BURST_HTTP;
      client->request = client->websocket
        ? g_strdup_printf ("GET /api/v1/ws?token=%s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nUpgrade: websocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n", server->token, port)
        : g_strdup_printf ("GET /health HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n\r\n", port);
      g_ptr_array_add (burst.clients, client);
      g_socket_client_connect_to_host_async (socket_client, "127.0.0.1", port, NULL, burst_connected_cb, client);
    }

  bourse_test_wait_until (burst_done, &burst, 60000, "every client of the burst answered");
  g_assert_cmpuint (burst.failed, ==, 0);
  for (guint i = 0; i < burst.clients->len; i++)
    {
      BurstClient *client = g_ptr_array_index (burst.clients, i);

      if (client->websocket)
        g_assert_true (g_str_has_prefix (client->received->str, "HTTP/1.1 101 "));
      else
        {
          g_assert_true (g_str_has_prefix (client->received->str, "HTTP/1.1 200 "));
          g_assert_nonnull (strstr (client->received->str, "\"status\":\"ok\""));
        }
    }
  /* Upgraded and handed to the hub, all at once. */
  g_assert_cmpuint (bourse_server_get_n_websockets (server->server), ==, BURST_WEBSOCKETS);

  g_ptr_array_unref (burst.clients);
  bourse_test_wait_until (websockets_closed, server->server, 30000, "the burst's WebSockets closed");
  bourse_test_server_free (server);
}

/* A connection the server accepted itself is kept alive between requests
 * (libsoup 3.2 closes it after one answer when the server has no listener
 * of its own): two requests in one write get two answers. */
static void
test_keep_alive (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, NULL);
  g_autofree char *received = bourse_test_raw_request (server,
                                                       "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                                       "GET /live HTTP/1.1\r\nHost: localhost\r\n"
                                                       "Connection: close\r\n\r\n");
  g_auto(GStrv) answers = g_strsplit (received, "HTTP/1.1 200 OK\r\n", -1);

  g_assert_cmpuint (g_strv_length (answers), ==, 3);
  g_assert_nonnull (strstr (answers[1], "\"database\""));
  bourse_test_server_free (server);
}

/* }}} */
/* The router's index {{{ */

/* The linear scan the index replaced, as the reference for its answers:
 * every route in the table's order, the most literal segments winning
 * and the first of equals. */
static BourseRouteMatch
scan_routes (BourseRouter        *router,
             const char          *method,
             const char          *path,
             const BourseRoute  **found,
             char               **allow)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) segments = NULL;
  g_autoptr(GString) methods = g_string_new (NULL);
  const BourseRoute *best = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);
  segments = g_strv_builder_end (builder);

  for (guint r = 0; r < bourse_router_get_n_routes (router); r++)
    {
      const BourseRoute *route = bourse_router_get_route (router, r);
      guint i;

      for (i = 0; route->segments[i] != NULL && segments[i] != NULL; i++)
        if (route->segments[i][0] != '{' && !g_str_equal (route->segments[i], segments[i]))
          break;
      if (route->segments[i] != NULL || segments[i] != NULL)
        continue;

      if (g_str_equal (route->method, method) || (g_str_equal (method, "HEAD") && g_str_equal (route->method, "GET")))
        {
          if (best == NULL || route->n_literals > best->n_literals)
            best = route;
        }
      else
        {
          g_autofree char *listed = g_strconcat (",", methods->str, ",", NULL);
          g_autofree char *needle = g_strconcat (",", route->method, ",", NULL);

          if (strstr (listed, needle) == NULL)
            g_string_append_printf (methods, "%s%s", methods->len ? "," : "", route->method);
        }
    }

  /* A parameter that does not decode (a bad %-escape, a NUL) matches nothing. */
  for (guint i = 0; best != NULL && segments[i] != NULL; i++)
    {
      g_autofree char *decoded = best->segments[i][0] == '{' ? g_uri_unescape_string (segments[i], NULL) : NULL;

      if (best->segments[i][0] == '{' && decoded == NULL)
        {
          *found = NULL;
          *allow = NULL;
          return BOURSE_ROUTE_NOT_FOUND;
        }
    }

  *found = best;
  *allow = g_string_free (g_steal_pointer (&methods), FALSE);
  return best != NULL ? BOURSE_ROUTE_FOUND : (*allow)[0] != '\0' ? BOURSE_ROUTE_METHOD_NOT_ALLOWED
                                                                 : BOURSE_ROUTE_NOT_FOUND;
}

/* The router's Allow header lists the methods as the scan found them, then
 * HEAD (with GET) and OPTIONS. */
static void
assert_same_as_scan (BourseRouter *router,
                     const char   *method,
                     const char   *path)
{
  const BourseRoute *route = NULL, *expected = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *allow = NULL;
  g_autofree char *scanned = NULL;
  BourseRouteMatch match = bourse_router_match (router, method, path, &route, &params, &allow);
  BourseRouteMatch reference = scan_routes (router, method, path, &expected, &scanned);

  if (match != reference || route != expected)
    g_error ("%s %s: the index answers %d (%s), the scan %d (%s)", method, path, match,
             route ? route->pattern : "-", reference, expected ? expected->pattern : "-");
  if (match == BOURSE_ROUTE_METHOD_NOT_ALLOWED)
    {
      g_auto(GStrv) listed = g_strsplit (scanned, ",", -1);
      g_autofree char *prefix = g_strjoinv (", ", listed);

      g_assert_true (g_str_has_prefix (allow, prefix));
    }
}

static void
test_router_index (void)
{
  static const struct
  {
    const char       *method;
    const char       *path;
    BourseRouteMatch  match;
    const char       *pattern;   /* the route found, or the Allow header */
    const char       *alias_of;  /* a seed's path: the real route's pattern */
    const char       *param;     /* "name=value" */
  } table[] = {
    { "GET", "/health", BOURSE_ROUTE_FOUND, "/health" },
    { "HEAD", "/health", BOURSE_ROUTE_FOUND, "/health" },
    { "GET", "//health/", BOURSE_ROUTE_FOUND, "/health" },
    { "GET", "/api/v1/version", BOURSE_ROUTE_FOUND, "/api/v1/version" },
    /* More literal segments win, whatever the order of registration. */
    { "GET", "/api/v1/users/me", BOURSE_ROUTE_FOUND, "/api/v1/users/me" },
    { "PATCH", "/api/v1/users/me", BOURSE_ROUTE_FOUND, "/api/v1/users/me" },
    { "PATCH", "/api/v1/users/42", BOURSE_ROUTE_FOUND, "/api/v1/users/{id}", NULL, "id=42" },
    { "POST", "/api/v1/users/42/approve", BOURSE_ROUTE_FOUND, "/api/v1/users/{id}/approve", NULL, "id=42" },
    { "GET", "/api/v1/orders/7", BOURSE_ROUTE_FOUND, "/api/v1/orders/{id}", NULL, "id=7" },
    { "DELETE", "/api/v1/orders/7", BOURSE_ROUTE_FOUND, "/api/v1/orders/{id}", NULL, "id=7" },
    { "GET", "/api/v1/orders/a%20b", BOURSE_ROUTE_FOUND, "/api/v1/orders/{id}", NULL, "id=a b" },
    /* Seeds' paths. */
    { "GET", "/api/health", BOURSE_ROUTE_FOUND, "/api/health", "/health" },
    { "GET", "/api/instruments/BTCUSDT", BOURSE_ROUTE_FOUND, "/api/instruments/{symbol}",
      "/api/v1/instruments/{symbol}", "symbol=BTCUSDT" },
    { "POST", "/approval/9/approve", BOURSE_ROUTE_FOUND, "/approval/{id}/approve",
      "/api/v1/approvals/{id}/approve", "id=9" },
    { "POST", "/api/config/export", BOURSE_ROUTE_FOUND, "/api/config/export", "/api/v1/config/export" },
    { "GET", "/api/config/export", BOURSE_ROUTE_FOUND, "/api/config/{section}", "/api/v1/config/{section}",
      "section=export" },
    { "GET", "/ws", BOURSE_ROUTE_FOUND, "/ws", "/api/v1/ws" },
    /* The wrong method: 405 with what the path takes. */
    { "DELETE", "/health", BOURSE_ROUTE_METHOD_NOT_ALLOWED, "GET, HEAD, OPTIONS" },
    { "POST", "/api/config/other", BOURSE_ROUTE_METHOD_NOT_ALLOWED, "GET, PUT, HEAD, OPTIONS" },
    { "PUT", "/api/v1/orders", BOURSE_ROUTE_METHOD_NOT_ALLOWED, "POST, GET, DELETE, HEAD, OPTIONS" },
    /* Nothing there. */
    { "GET", "/api/v1/nothing-here", BOURSE_ROUTE_NOT_FOUND },
    { "GET", "/api/v1/orders/7/extra/more", BOURSE_ROUTE_NOT_FOUND },
    { "GET", "/api/v1", BOURSE_ROUTE_NOT_FOUND },
    { "GET", "/api/v1/orders/bad%00id", BOURSE_ROUTE_NOT_FOUND },
  };
  BourseTestServer *server = bourse_test_server_new (FALSE, NULL);
  BourseRouter *router = bourse_server_get_router (server->server);

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      const BourseRoute *route = NULL;
      g_autoptr(GHashTable) params = NULL;
      g_autofree char *allow = NULL;
      BourseRouteMatch match = bourse_router_match (router, table[i].method, table[i].path, &route, &params, &allow);

      g_test_message ("%s %s", table[i].method, table[i].path);
      g_assert_cmpint (match, ==, table[i].match);
      if (match == BOURSE_ROUTE_FOUND)
        {
          g_assert_cmpstr (route->pattern, ==, table[i].pattern);
          g_assert_cmpstr (route->alias_of ? route->alias_of->pattern : NULL, ==, table[i].alias_of);
          if (table[i].param != NULL)
            {
              g_auto(GStrv) pair = g_strsplit (table[i].param, "=", 2);

              g_assert_cmpstr (g_hash_table_lookup (params, pair[0]), ==, pair[1]);
            }
          else
            g_assert_cmpuint (g_hash_table_size (params), ==, 0);
        }
      else if (match == BOURSE_ROUTE_METHOD_NOT_ALLOWED)
        g_assert_cmpstr (allow, ==, table[i].pattern);
      assert_same_as_scan (router, table[i].method, table[i].path);
    }

  /* Every route of the server, reached by a path of its pattern, with its
   * method, HEAD and one no route takes, with a segment more and one
   * less: the index answers as the scan of the whole table does. */
  for (guint r = 0; r < bourse_router_get_n_routes (router); r++)
    {
      const BourseRoute *route = bourse_router_get_route (router, r);
      g_autoptr(GString) path = g_string_new (NULL);
      g_autofree char *longer = NULL;
      g_autofree char *shorter = NULL;

      for (guint i = 0; route->segments[i] != NULL; i++)
        g_string_append_printf (path, "/%s", route->segments[i][0] == '{' ? "p1" : route->segments[i]);
      if (path->len == 0)
        g_string_append_c (path, '/');
      longer = g_strconcat (path->str, "/x", NULL);
      shorter = g_strndup (path->str, strrchr (path->str, '/') - path->str);

      assert_same_as_scan (router, route->method, path->str);
      assert_same_as_scan (router, "HEAD", path->str);
      assert_same_as_scan (router, "PURGE", path->str);
      assert_same_as_scan (router, route->method, longer);
      assert_same_as_scan (router, route->method, shorter[0] != '\0' ? shorter : "/");
    }

  bourse_test_server_free (server);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/health", test_health);
  g_test_add_func ("/server/live-ready-version", test_live_ready_version);
  g_test_add_func ("/server/health-database-closed", test_health_reports_closed_database);
  g_test_add_func ("/server/system-status", test_system_status);
  g_test_add_func ("/server/not-found-method-not-allowed", test_not_found_and_method_not_allowed);
  g_test_add_func ("/server/json-bodies", test_json_bodies);
  g_test_add_func ("/server/body-limit", test_body_limit);
  g_test_add_func ("/server/request-ids", test_request_ids);
  g_test_add_func ("/server/cors", test_cors);
  g_test_add_func ("/server/static-files", test_static_files);
  g_test_add_func ("/server/path-traversal", test_path_traversal);
  g_test_add_func ("/server/metrics", test_metrics);
  g_test_add_func ("/server/graceful-shutdown", test_graceful_shutdown);
  g_test_add_func ("/server/insecure-bind-refused", test_insecure_bind_refused);
  g_test_add_func ("/server/many-connections", test_many_connections);
  g_test_add_func ("/server/keep-alive", test_keep_alive);
  g_test_add_func ("/server/router-index", test_router_index);

  return g_test_run ();
}
