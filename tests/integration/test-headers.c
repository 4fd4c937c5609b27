/* test-headers.c — nosniff and no-store on API answers, media types in any case, no file paths for non-admins
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "bourse-test-server.h"

#define PASSWORD "a long and winding road 42"

static const char * const settings[] = {
  "auth", "password_opslimit", "1",
  "auth", "password_memlimit_kib", "8",
  "auth", "secrets_backend", "file",
  NULL
};

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

/* An active account with @role, made by the local owner; signs in as it. */
static char *
sign_in_as (BourseTestServer *server,
            const char       *name,
            const char       *role)
{
  const char * const anonymous[] = { "Authorization", "", NULL };
  g_autofree char *create = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.org\","
                                             "\"password\":\"" PASSWORD "\",\"role\":\"%s\"}", name, name, role);
  g_autofree char *login = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"" PASSWORD "\"}", name);
  g_autoptr(BourseTestResponse) created = bourse_test_fetch (server, "POST", "/api/v1/users", NULL,
                                                             "application/json", create, -1);
  g_autoptr(BourseTestResponse) signed_in = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpuint (created->status, ==, 201);
  signed_in = bourse_test_fetch (server, "POST", "/api/v1/auth/login", anonymous, "application/json", login, -1);
  g_assert_cmpuint (signed_in->status, ==, 200);
  node = bourse_test_response_json (signed_in);
  return g_strdup (json_object_get_string_member (object_of (node), "access_token"));
}

static BourseTestResponse *
fetch_as (BourseTestServer *server,
          const char       *token,
          const char       *method,
          const char       *path)
{
  g_autofree char *bearer = token != NULL ? g_strconcat ("Bearer ", token, NULL) : NULL;
  const char * const headers[] = { "Authorization", bearer != NULL ? bearer : "", NULL };

  return bourse_test_fetch (server, method, path, headers, NULL, NULL, 0);
}

/* Every answer under /api/, whoever gives it (a route, the router, the
 * authentication, a handler writing its own body) and whatever its status. */
static void
test_api_answers (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  const char * const anonymous[] = { "Authorization", "", NULL };
  const struct
  {
    gboolean    anonymous;
    const char *method;
    const char *path;
    guint       status;
  } answers[] = {
    { FALSE, "GET", "/api/v1/users/me", 200 },
    { FALSE, "GET", "/api/v1/audit", 200 },
    { FALSE, "GET", "/api/v1/market/candles/BTCUSDT?interval=1h", 200 },
    { FALSE, "GET", "/api/v1/market/export?symbol=BTCUSDT&interval=1h", 200 },
    { FALSE, "GET", "/api/v1/audit?since=garbage", 422 },
    { FALSE, "GET", "/api/v1/nothing-here", 404 },
    { FALSE, "DELETE", "/api/v1/sessions/999999", 404 },
    { FALSE, "PUT", "/api/v1/audit", 405 },
    { FALSE, "GET", "/metrics", 200 },
    { TRUE, "GET", "/api/v1/users/me", 401 },
    { TRUE, "GET", "/api/v1/system/status", 401 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(BourseTestResponse) response =
        bourse_test_fetch (server, answers[i].method, answers[i].path, answers[i].anonymous ? anonymous : NULL,
                           NULL, NULL, 0);

      g_test_message ("%s %s", answers[i].method, answers[i].path);
      g_assert_cmpuint (response->status, ==, answers[i].status);
      g_assert_cmpstr (bourse_test_response_header (response, "X-Content-Type-Options"), ==, "nosniff");
      g_assert_cmpstr (bourse_test_response_header (response, "Cache-Control"), ==, "no-store");
    }

  /* Sign-in answers carry tokens: no-store, as before. */
  {
    g_autoptr(BourseTestResponse) refused =
      bourse_test_fetch (server, "POST", "/api/v1/auth/login", anonymous, "application/json",
                         "{\"username\":\"nobody\",\"password\":\"wrong password here\"}", -1);

    g_assert_cmpuint (refused->status, ==, 401);
    g_assert_cmpstr (bourse_test_response_header (refused, "X-Content-Type-Options"), ==, "nosniff");
    g_assert_cmpstr (bourse_test_response_header (refused, "Cache-Control"), ==, "no-store");
  }

  /* The public probes keep their caching: nothing personal in them. */
  {
    g_autoptr(BourseTestResponse) health = bourse_test_fetch (server, "GET", "/health", anonymous, NULL, NULL, 0);

    g_assert_cmpuint (health->status, ==, 200);
    g_assert_cmpstr (bourse_test_response_header (health, "X-Content-Type-Options"), ==, "nosniff");
    g_assert_null (bourse_test_response_header (health, "Cache-Control"));
  }

  bourse_test_server_free (server);
}

/* "Application/JSON; charset=UTF-8" is application/json (RFC 9110 §8.3.1). */
static void
test_media_type_case (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  const char * const anonymous[] = { "Authorization", "", NULL };
  const char * const json_types[] = { "Application/JSON; charset=UTF-8", "APPLICATION/JSON", "application/json" };
  const char * const csv_types[] = { "Text/CSV", "TEXT/PLAIN; charset=utf-8", "Application/Octet-Stream" };

  g_free (sign_in_as (server, "olivia", "viewer"));

  for (guint i = 0; i < G_N_ELEMENTS (json_types); i++)
    {
      g_autoptr(BourseTestResponse) response =
        bourse_test_fetch (server, "POST", "/api/v1/auth/login", anonymous, json_types[i],
                           "{\"username\":\"olivia\",\"password\":\"" PASSWORD "\"}", -1);

      g_test_message ("%s", json_types[i]);
      g_assert_cmpuint (response->status, ==, 200);
    }

  for (guint i = 0; i < G_N_ELEMENTS (csv_types); i++)
    {
      g_autofree char *body = g_strdup_printf ("time,open,high,low,close,volume\n%" G_GINT64_FORMAT ",1,2,0.5,1.5,10\n",
                                               G_GINT64_CONSTANT (1704067200000) + i * 60000);
      g_autoptr(BourseTestResponse) response =
        bourse_test_fetch (server, "POST", "/api/v1/market/import?symbol=BTCUSDT&interval=1m", NULL, csv_types[i],
                           body, -1);

      g_test_message ("%s", csv_types[i]);
      g_assert_cmpuint (response->status, ==, 200);
    }

  /* Still refused: what is not JSON at all. */
  {
    g_autoptr(BourseTestResponse) form =
      bourse_test_fetch (server, "POST", "/api/v1/auth/login", anonymous, "application/x-www-form-urlencoded",
                         "username=olivia", -1);
    g_autoptr(BourseTestResponse) json_csv =
      bourse_test_fetch (server, "POST", "/api/v1/market/import?symbol=BTCUSDT&interval=1m", NULL,
                         "Application/JSON", "{}", -1);

    g_assert_cmpuint (form->status, ==, 415);
    g_assert_cmpuint (json_csv->status, ==, 415);
  }

  bourse_test_server_free (server);
}

static void
system_event_cb (GObject     *bus,
                 const char  *topic,
                 JsonNode    *data,
                 GPtrArray   *events)
{
  if (g_str_equal (topic, "system"))
    g_ptr_array_add (events, json_node_copy (data));
}

static gboolean
has_event (gpointer data)
{
  return ((GPtrArray *) data)->len > 0;
}

/* Where the data lives is for administrators: the system status shows it
 * to them only, and the system topic, which viewers read, never. */
static void
test_no_paths_for_viewers (void)
{
  BourseTestServer *server = bourse_test_server_new (FALSE, settings);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *viewer = NULL;
  g_autofree char *trader = NULL;
  g_autoptr(JsonNode) text = NULL;
  gulong handler;

  handler = g_signal_connect (bourse_engine_get_event_bus (server->engine), "event",
                              G_CALLBACK (system_event_cb), events);
  bourse_test_server_start (server);
  bourse_test_wait_until (has_event, events, 10000, "a system event");
  g_signal_handler_disconnect (bourse_engine_get_event_bus (server->engine), handler);
  for (guint i = 0; i < events->len; i++)
    {
      g_autofree char *event = json_to_string (g_ptr_array_index (events, i), FALSE);

      g_assert_null (strstr (event, server->data_dir));
      g_assert_false (json_object_has_member (json_object_get_object_member (object_of (g_ptr_array_index (events, i)),
                                                                             "database"), "path"));
    }

  viewer = sign_in_as (server, "victor", "viewer");
  trader = sign_in_as (server, "tess", "trader");

  {
    const char *tokens[] = { viewer, trader, server->token };
    const char *paths[] = { "/api/v1/system/status", "/health", "/api/v1/version", "/api/v1/users/me" };

    for (guint t = 0; t < G_N_ELEMENTS (tokens); t++)
      for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
        {
          g_autoptr(BourseTestResponse) response = fetch_as (server, tokens[t], "GET", paths[p]);
          gsize length;
          const char *body = g_bytes_get_data (response->body, &length);
          g_autofree char *copy = g_strndup (body, length);
          gboolean admin = tokens[t] == server->token;

          g_test_message ("%s as %s", paths[p], admin ? "admin" : t == 0 ? "viewer" : "trader");
          g_assert_cmpuint (response->status, ==, 200);
          /* The administrator's system status is where the path is shown. */
          if (admin && g_str_equal (paths[p], "/api/v1/system/status"))
            g_assert_nonnull (strstr (copy, server->data_dir));
          else
            g_assert_null (strstr (copy, server->data_dir));
        }
  }

  bourse_test_server_free (server);
}

static gboolean
job_ended (gpointer data)
{
  BourseTestServer *server = ((gpointer *) data)[0];
  const char *path = ((gpointer *) data)[1];
  JsonNode **job = ((gpointer *) data)[2];
  g_autoptr(BourseTestResponse) response = bourse_test_fetch (server, "GET", path, NULL, NULL, NULL, 0);
  const char *status;

  g_clear_pointer (job, json_node_unref);
  *job = bourse_test_response_json (response);
  status = json_object_get_string_member (object_of (*job), "status");
  return g_str_equal (status, "failed") || g_str_equal (status, "succeeded") || g_str_equal (status, "cancelled");
}

/* A job's error is read by whoever started it: a database that cannot be
 * opened is reported without its path (the server log has it). */
static void
test_job_error_without_path (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  g_autofree char *trader = sign_in_as (server, "tom", "trader");
  g_autofree char *bearer = g_strconcat ("Bearer ", trader, NULL);
  const char * const as_trader[] = { "Authorization", bearer, NULL };
  g_autofree char *moved = g_strconcat (server->data_dir, ".moved", NULL);
  g_autoptr(BourseTestResponse) instrument = NULL;
  g_autoptr(BourseTestResponse) submitted = NULL;
  g_autoptr(JsonNode) job = NULL;
  g_autoptr(JsonNode) ended = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  GLogLevelFlags fatal;
  gpointer state[3];

  instrument = bourse_test_fetch (server, "POST", "/api/v1/instruments", NULL, "application/json",
                                  "{\"symbol\":\"XRPUSDT\",\"base_asset\":\"XRP\",\"quote_asset\":\"USDT\","
                                  "\"tick_size\":\"0.0001\",\"lot_step\":\"0.1\",\"source\":\"binance\"}", -1);
  g_assert_cmpuint (instrument->status, ==, 201);

  /* The engine keeps its open database; a worker's new connection finds a
   * file where the data directory was. */
  g_assert_cmpint (g_rename (server->data_dir, moved), ==, 0);
  g_assert_true (g_file_set_contents (server->data_dir, "", 0, NULL));
  /* The worker logs the real error as a warning. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  submitted = bourse_test_fetch (server, "POST", "/api/v1/market/download", as_trader, "application/json",
                                 "{\"symbol\":\"XRPUSDT\",\"interval\":\"1h\",\"start\":\"2024-01-01T00:00:00Z\","
                                 "\"end\":\"2024-01-02T00:00:00Z\"}", -1);
  g_assert_cmpuint (submitted->status, ==, 202);
  job = bourse_test_response_json (submitted);
  path = g_strdup_printf ("/api/v1/jobs/%" G_GINT64_FORMAT, json_object_get_int_member (object_of (job), "id"));
  state[0] = server;
  state[1] = path;
  state[2] = &ended;
  bourse_test_wait_until (job_ended, state, 10000, "the download to fail");

  g_log_set_always_fatal (fatal);
  g_assert_cmpint (g_unlink (server->data_dir), ==, 0);
  g_assert_cmpint (g_rename (moved, server->data_dir), ==, 0);

  text = json_to_string (ended, FALSE);
  g_test_message ("%s", text);
  g_assert_cmpstr (json_object_get_string_member (object_of (ended), "status"), ==, "failed");
  g_assert_null (strstr (text, server->data_dir));
  g_assert_nonnull (json_object_get_string_member (object_of (ended), "error"));

  bourse_test_server_free (server);
}

/* GET @path with If-None-Match: @tag (none when NULL), as the local owner. */
static BourseTestResponse *
fetch_if_none_match (BourseTestServer *server,
                     const char       *path,
                     const char       *tag)
{
  const char * const headers[] = { "If-None-Match", tag, NULL };

  return bourse_test_fetch (server, "GET", path, tag != NULL ? headers : NULL, NULL, NULL, 0);
}

/* The big reads answer 304 without a body to a client that has them
 * already; a change of the data is a new tag. */
static void
test_etag (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  const char *paths[] = {
    "/api/v1/market/candles/BTCUSDT?interval=1m&start=2025-12-01",
    "/api/v1/portfolio",
    "/api/v1/openapi.json",
    "/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(BourseTestResponse) first = fetch_if_none_match (server, paths[i], NULL);
      g_autoptr(BourseTestResponse) again = NULL;
      g_autoptr(BourseTestResponse) other = NULL;
      g_autoptr(BourseTestResponse) listed = NULL;
      g_autofree char *weak = NULL;
      g_autofree char *list = NULL;
      const char *tag;

      g_test_message ("GET %s", paths[i]);
      g_assert_cmpuint (first->status, ==, 200);
      tag = bourse_test_response_header (first, "ETag");
      g_assert_nonnull (tag);
      g_assert_true (tag[0] == '"' && g_str_has_suffix (tag, "\""));

      again = fetch_if_none_match (server, paths[i], tag);
      g_assert_cmpuint (again->status, ==, 304);
      g_assert_cmpuint (g_bytes_get_size (again->body), ==, 0);
      g_assert_cmpstr (bourse_test_response_header (again, "ETag"), ==, tag);
      g_assert_null (bourse_test_response_header (again, "Content-Length"));

      /* Weak comparison, and a list of tags. */
      weak = g_strconcat ("W/", tag, NULL);
      list = g_strconcat ("\"elsewhere\", ", weak, NULL);
      listed = fetch_if_none_match (server, paths[i], list);
      g_assert_cmpuint (listed->status, ==, 304);

      other = fetch_if_none_match (server, paths[i], "\"not-this-one\"");
      g_assert_cmpuint (other->status, ==, 200);
      g_assert_cmpstr (bourse_test_response_header (other, "ETag"), ==, tag);
      g_assert_cmpuint (g_bytes_get_size (other->body), ==, g_bytes_get_size (first->body));
    }

  {
    g_autoptr(BourseTestResponse) before = fetch_if_none_match (server, "/api/v1/instruments", NULL);
    g_autoptr(BourseTestResponse) created = NULL;
    g_autoptr(BourseTestResponse) after = NULL;
    const char *tag = bourse_test_response_header (before, "ETag");

    created = bourse_test_fetch (server, "POST", "/api/v1/instruments", NULL, "application/json",
                                 "{\"symbol\":\"ADAUSDT\",\"base_asset\":\"ADA\",\"quote_asset\":\"USDT\","
                                 "\"tick_size\":\"0.0001\",\"lot_step\":\"0.1\"}", -1);
    g_assert_cmpuint (created->status, ==, 201);
    g_assert_null (bourse_test_response_header (created, "ETag"));   /* GETs only */
    after = fetch_if_none_match (server, "/api/v1/instruments", tag);
    g_assert_cmpuint (after->status, ==, 200);
    g_assert_cmpstr (bourse_test_response_header (after, "ETag"), !=, tag);
  }

  {
    g_autoptr(BourseTestResponse) missing = fetch_if_none_match (server, "/api/v1/instruments/NOPE", "*");

    g_assert_cmpuint (missing->status, ==, 404);   /* errors carry none, and are never 304 */
    g_assert_null (bourse_test_response_header (missing, "ETag"));
  }

  bourse_test_server_free (server);
}

/* The path of a bundle's file index.html names by @attribute ("src" for
 * the script, "href" for the style sheet; a hash of its content in the
 * name), or NULL in a build without the console. */
static char *
bundle_path (BourseTestServer *server,
             const char       *attribute)
{
  g_autoptr(BourseTestResponse) index = bourse_test_fetch (server, "GET", "/", NULL, NULL, NULL, 0);
  g_autofree char *html = g_strndup (g_bytes_get_data (index->body, NULL), g_bytes_get_size (index->body));
  g_autofree char *pattern = g_strdup_printf ("%s=\"(/[^\"]+-[A-Za-z0-9]{8,}\\.(?:js|css))\"", attribute);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  return g_regex_match (regex, html, 0, &match) ? g_match_info_fetch (match, 1) : NULL;
}

/* The bundle's hashed files are kept a year; the rest, index.html first,
 * are asked about each time (and answered 304 by their ETag). */
static void
test_static_caching (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  const char *files[] = { "/", "/index.html", "/setup", "/icon.svg" };
  g_autofree char *bundle = bundle_path (server, "src");

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(BourseTestResponse) response = fetch_if_none_match (server, files[i], NULL);

      g_test_message ("GET %s", files[i]);
      g_assert_cmpuint (response->status, ==, 200);
      g_assert_cmpstr (bourse_test_response_header (response, "Cache-Control"), ==, "no-cache");
      g_assert_nonnull (bourse_test_response_header (response, "ETag"));
    }

  /* Built without the console (no npm), the page has no bundle to name. */
  if (bundle != NULL)
    {
      g_autoptr(BourseTestResponse) response = fetch_if_none_match (server, bundle, NULL);

      g_test_message ("GET %s", bundle);
      g_assert_cmpuint (response->status, ==, 200);
      g_assert_cmpstr (bourse_test_response_header (response, "Cache-Control"), ==,
                       "public, max-age=31536000, immutable");
      g_assert_nonnull (bourse_test_response_header (response, "ETag"));
    }

  bourse_test_server_free (server);
}

static GBytes *
gunzip_bytes (GBytes *bytes)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) source = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GInputStream) plain = g_converter_input_stream_new (source, G_CONVERTER (decompressor));
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (sink, plain, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

static gboolean
header_lists (BourseTestResponse *response,
              const char         *name,
              const char         *token)
{
  const char *list = soup_message_headers_get_list (response->headers, name);

  return list != NULL && soup_header_contains (list, token);
}

/* Big text answers travel gzipped to a client that takes it, as another
 * representation (its own tag); small ones, refusals of gzip, answers to
 * POST and images go as they are. */
static void
test_gzip (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  g_autofree char *style = bundle_path (server, "href");
  const char *paths[] = {
    "/api/v1/openapi.json",
    "/api/v1/strategies/types",
    style,     /* NULL without the console (no npm): the list ends before it */
  };
  const char * const gzip[] = { "Accept-Encoding", "gzip, deflate, br", NULL };
  const char * const identity[] = { "Accept-Encoding", "identity", NULL };
  const char * const refused[] = { "Accept-Encoding", "br, gzip;q=0", NULL };

  /* The raw bytes: no decoding on the test's side. */
  soup_session_remove_feature_by_type (server->session, SOUP_TYPE_CONTENT_DECODER);

  for (guint i = 0; i < G_N_ELEMENTS (paths) && paths[i] != NULL; i++)
    {
      g_autoptr(BourseTestResponse) plain = bourse_test_fetch (server, "GET", paths[i], identity, NULL, NULL, 0);
      g_autoptr(BourseTestResponse) zipped = bourse_test_fetch (server, "GET", paths[i], gzip, NULL, NULL, 0);
      g_autoptr(BourseTestResponse) not_zipped = bourse_test_fetch (server, "GET", paths[i], refused, NULL, NULL, 0);
      g_autoptr(BourseTestResponse) again = NULL;
      g_autoptr(GBytes) unzipped = NULL;
      const char * const if_none_match[] = { "Accept-Encoding", "gzip",
                                             "If-None-Match", bourse_test_response_header (zipped, "ETag"),
                                             NULL };

      g_test_message ("GET %s", paths[i]);
      g_assert_cmpuint (plain->status, ==, 200);
      g_assert_cmpuint (zipped->status, ==, 200);
      g_assert_cmpuint (g_bytes_get_size (plain->body), >=, 1024);
      g_assert_null (bourse_test_response_header (plain, "Content-Encoding"));
      g_assert_true (header_lists (plain, "Vary", "Accept-Encoding"));

      g_assert_cmpstr (bourse_test_response_header (zipped, "Content-Encoding"), ==, "gzip");
      g_assert_true (header_lists (zipped, "Vary", "Accept-Encoding"));
      g_assert_cmpuint (g_bytes_get_size (zipped->body), <, g_bytes_get_size (plain->body) / 2);
      unzipped = gunzip_bytes (zipped->body);
      g_assert_true (g_bytes_equal (unzipped, plain->body));
      g_assert_cmpstr (bourse_test_response_header (zipped, "ETag"), !=,
                       bourse_test_response_header (plain, "ETag"));

      g_assert_null (bourse_test_response_header (not_zipped, "Content-Encoding"));
      g_assert_true (g_bytes_equal (not_zipped->body, plain->body));

      again = bourse_test_fetch (server, "GET", paths[i], if_none_match, NULL, NULL, 0);
      g_assert_cmpuint (again->status, ==, 304);
    }

  {
    /* Small: not worth it. */
    g_autoptr(BourseTestResponse) small = bourse_test_fetch (server, "GET", "/api/v1/version", gzip, NULL, NULL, 0);

    g_assert_cmpuint (small->status, ==, 200);
    g_assert_null (bourse_test_response_header (small, "Content-Encoding"));
  }

  {
    /* An answer to a POST is never compressed, however big. */
    g_autoptr(GString) body = g_string_new ("{\"symbol\":\"");
    g_autoptr(BourseTestResponse) created = NULL;

    for (guint i = 0; i < 600; i++)
      g_string_append_c (body, 'A');
    g_string_append (body, "\"}");
    created = bourse_test_fetch (server, "POST", "/api/v1/instruments", gzip, "application/json", body->str, -1);
    g_assert_cmpuint (created->status, ==, 422);
    g_assert_null (bourse_test_response_header (created, "Content-Encoding"));
  }

  soup_session_add_feature_by_type (server->session, SOUP_TYPE_CONTENT_DECODER);
  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/headers/api-answers", test_api_answers);
  g_test_add_func ("/headers/media-type-case", test_media_type_case);
  g_test_add_func ("/headers/no-paths-for-viewers", test_no_paths_for_viewers);
  g_test_add_func ("/headers/job-error-without-path", test_job_error_without_path);
  g_test_add_func ("/headers/etag", test_etag);
  g_test_add_func ("/headers/static-caching", test_static_caching);
  g_test_add_func ("/headers/gzip", test_gzip);

  return g_test_run ();
}
