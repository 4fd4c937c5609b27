/* bourse-test-server.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "bourse-test-server.h"

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

BourseTestServer *
bourse_test_server_new (gboolean            start,
                        const char * const *settings)
{
  BourseTestServer *self = g_new0 (BourseTestServer, 1);
  g_autoptr(GError) error = NULL;

  self->data_dir = g_dir_make_tmp ("bourse-test-XXXXXX", &error);
  g_assert_no_error (error);

  self->config = bourse_config_new ();
  {
    /* As boursed does: the suite's environment (BOURSE_AUTH_SECRETS_BACKEND…) applies. */
    g_auto(GStrv) environment = g_get_environ ();
    bourse_config_load_environment (self->config, (const char * const *)environment, &error);
    g_assert_no_error (error);
  }
  bourse_config_set (self->config, "store", "data_dir", self->data_dir, BOURSE_CONFIG_SOURCE_COMMAND_LINE, &error);
  g_assert_no_error (error);
  bourse_config_set (self->config, "server", "port", "0", BOURSE_CONFIG_SOURCE_COMMAND_LINE, &error);
  g_assert_no_error (error);
  for (guint i = 0; settings != NULL && settings[i] != NULL; i += 3)
    {
      bourse_config_set (self->config, settings[i], settings[i + 1], settings[i + 2],
                         BOURSE_CONFIG_SOURCE_COMMAND_LINE, &error);
      g_assert_no_error (error);
    }

  self->engine = bourse_engine_new (self->config);
  bourse_engine_start (self->engine, &error);
  g_assert_no_error (error);

  self->token = g_strdup (bourse_auth_get_local_token (bourse_engine_get_auth (self->engine)));
  self->server = bourse_server_new (self->engine);
  self->session = soup_session_new ();

  if (start)
    bourse_test_server_start (self);

  return self;
}

void
bourse_test_server_start (BourseTestServer *self)
{
  g_autoptr(GError) error = NULL;

  bourse_server_start (self->server, &error);
  g_assert_no_error (error);
  self->base_url = g_strdup (bourse_server_get_url (self->server));
  g_assert_true (g_str_has_prefix (self->base_url, "http://127.0.0.1:"));
}

static void
shutdown_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (bourse_server_shutdown_finish (BOURSE_SERVER (object), result, NULL));
  *done = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *)data;
}

/* The server shut down and the engine stopped and gone, as when boursed
 * exits; the configuration and the data directory stay. */
static void
stop_engine (BourseTestServer *self)
{
  gboolean done = FALSE;

  soup_session_abort (self->session);
  bourse_server_shutdown_async (self->server, NULL, shutdown_cb, &done);
  bourse_test_wait_until (flag_is_set, &done, 15000, "server shutdown");
  bourse_engine_stop (self->engine);

  g_clear_object (&self->session);
  g_assert_finalize_object (self->server);
  g_assert_finalize_object (self->engine);
  self->server = NULL;
  self->engine = NULL;
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);
}

void
bourse_test_server_restart (BourseTestServer *self)
{
  g_autoptr(GError) error = NULL;

  stop_engine (self);
  self->engine = bourse_engine_new (self->config);
  bourse_engine_start (self->engine, &error);
  g_assert_no_error (error);
  self->token = g_strdup (bourse_auth_get_local_token (bourse_engine_get_auth (self->engine)));
  self->server = bourse_server_new (self->engine);
  self->session = soup_session_new ();
  bourse_test_server_start (self);
}

void
bourse_test_server_free (BourseTestServer *self)
{
  stop_engine (self);
  g_assert_finalize_object (self->config);

  /* Let libsoup drop its closed connections before the next test. */
  bourse_test_spin (20);

  remove_tree (self->data_dir);
  g_free (self->data_dir);
  g_free (self->base_url);
  g_free (self->token);
  g_free (self);
}

typedef struct
{
  GBytes  *body;
  GError  *error;
  gboolean done;
} FetchState;

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  FetchState *state = user_data;

  state->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &state->error);
  state->done = TRUE;
}

static gboolean
fetch_done (gpointer data)
{
  return ((FetchState *)data)->done;
}

BourseTestResponse *
bourse_test_fetch (BourseTestServer   *self,
                   const char         *method,
                   const char         *path,
                   const char * const *headers,
                   const char         *content_type,
                   const char         *body,
                   gssize              body_length)
{
  g_autofree char *url = g_strconcat (self->base_url, path[0] == '/' ? path + 1 : path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  BourseTestResponse *response;
  FetchState state = { 0 };

  g_assert_nonnull (message);
  if (self->token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    {
      if (headers[i + 1][0] == '\0')
        soup_message_headers_remove (soup_message_get_request_headers (message), headers[i]);
      else
        soup_message_headers_replace (soup_message_get_request_headers (message), headers[i], headers[i + 1]);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_length < 0 ? strlen (body) : (gsize)body_length);
      soup_message_set_request_body_from_bytes (message, content_type, bytes);
    }

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, NULL, fetch_cb, &state);
  bourse_test_wait_until (fetch_done, &state, 10000, path);
  g_assert_no_error (state.error);

  response = g_new0 (BourseTestResponse, 1);
  response->status = soup_message_get_status (message);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (message));
  response->body = state.body;
  return response;
}

JsonNode *
bourse_test_response_json (BourseTestResponse *response)
{
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (response->body, &length);
  g_autofree char *text = g_strndup (data, length);
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

const char *
bourse_test_response_header (BourseTestResponse *response,
                             const char         *name)
{
  return soup_message_headers_get_one (response->headers, name);
}

void
bourse_test_response_free (BourseTestResponse *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

typedef struct
{
  GString  *received;
  GError   *error;
  gboolean  done;
  char      buffer[4096];
} RawState;

static void read_more (GInputStream *input, RawState *state);

static void
raw_read_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RawState *state = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &state->error);

  if (n <= 0)
    {
      state->done = TRUE;
      return;
    }
  g_string_append_len (state->received, state->buffer, n);
  read_more (G_INPUT_STREAM (object), state);
}

static void
read_more (GInputStream *input,
           RawState     *state)
{
  g_input_stream_read_async (input, state->buffer, sizeof state->buffer, G_PRIORITY_DEFAULT,
                             NULL, raw_read_cb, state);
}

static gboolean
raw_done (gpointer data)
{
  return ((RawState *)data)->done;
}

char *
bourse_test_raw_request (BourseTestServer *self,
                         const char       *request)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  RawState state = { 0 };

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", bourse_server_get_port (self->server),
                                                NULL, &error);
  g_assert_no_error (error);
  /* Small and on loopback: a blocking write cannot stall here. */
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  state.received = g_string_new (NULL);
  read_more (g_io_stream_get_input_stream (G_IO_STREAM (connection)), &state);
  bourse_test_wait_until (raw_done, &state, 10000, "raw response");
  g_assert_no_error (state.error);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  return g_string_free (state.received, FALSE);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

void
bourse_test_wait_until (gboolean  (*condition) (gpointer),
                        gpointer    data,
                        guint       timeout_ms,
                        const char *what)
{
  gboolean timed_out = FALSE;
  guint source;

  /* Three times as long under AddressSanitizer, as meson's own
   * --timeout-multiplier 3 for that run: a bound, never a guess. */
#if defined(__SANITIZE_ADDRESS__)
  timeout_ms *= 3;
#endif
  source = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out after %u ms waiting for %s", timeout_ms, what);
  g_source_remove (source);
}

void
bourse_test_spin (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}
