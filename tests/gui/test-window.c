/* test-window.c — the console and its client against the real embedded engine
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "client/bourse-client.h"

#include "bourse-local-engine.h"
#include "bourse-system-page.h"
#include "bourse-window.h"

#define TIMEOUT_MS 30000

static char *tmp_dir;
static gboolean have_display;
static BourseLocalEngine *engine;
static char *engine_url;

/* Helpers {{{ */

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Spins the default context until @condition holds; a time-out fails the
 * test instead of hanging it. */
static void
wait_until (gboolean  (*condition) (gpointer),
            gpointer    data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  guint wake_id = g_timeout_add (50, wake_cb, NULL);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %d ms waiting for %s", TIMEOUT_MS, what);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (wake_id);
}

static gboolean
pointer_is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
ensure_engine (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;

  if (engine != NULL)
    return;

  data_dir = g_build_filename (tmp_dir, "data", NULL);
  engine = bourse_local_engine_new (data_dir);
  bourse_local_engine_start_async (engine, NULL, store_result_cb, &result);
  wait_until (pointer_is_set, &result, "the engine to start");

  engine_url = bourse_local_engine_start_finish (engine, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (engine_url, "http://127.0.0.1:"));
  g_assert_cmpstr (bourse_local_engine_get_url (engine), ==, engine_url);
}

/* A data directory that cannot exist: the engine thread reports why and
 * ends, and the object can be started again or dropped. */
static void
test_local_engine_failure (void)
{
  g_autoptr(BourseLocalEngine) failing = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (tmp_dir, "a-file", NULL);
  g_autofree char *data_dir = g_build_filename (file, "data", NULL);
  g_autofree char *url = NULL;

  g_assert_true (g_file_set_contents (file, "", 0, NULL));

  failing = bourse_local_engine_new (data_dir);
  bourse_local_engine_start_async (failing, NULL, store_result_cb, &result);
  wait_until (pointer_is_set, &result, "the engine to fail");

  url = bourse_local_engine_start_finish (failing, result, &error);
  g_assert_null (url);
  g_assert_nonnull (error);
  g_test_message ("Start failed: %s", error->message);
  g_assert_null (bourse_local_engine_get_url (failing));
  g_clear_object (&result);

  bourse_local_engine_stop (failing);
  g_assert_finalize_object (g_steal_pointer (&failing));
}

static JsonNode *
get_json (BourseClient  *client,
          const char    *path,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bourse_client_get_json_async (client, path, NULL, store_result_cb, &result);
  wait_until (pointer_is_set, &result, path);

  return bourse_client_get_json_finish (client, result, error);
}

static GtkWidget *
find_widget (GtkWidget  *root,
             const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static const char *
label_text (GtkWidget  *root,
            const char *name)
{
  GtkWidget *label = find_widget (root, name);

  g_assert_nonnull (label);
  g_assert_true (GTK_IS_LABEL (label));

  return gtk_label_get_label (GTK_LABEL (label));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}

/* }}} */

static void
test_format_uptime (void)
{
  static const struct {
    gint64      seconds;
    const char *text;
  } cases[] = {
    { -5,     "0 s" },
    { 0,      "0 s" },
    { 59,     "59 s" },
    { 61,     "1 min 01 s" },
    { 3599,   "59 min 59 s" },
    { 7500,   "2 h 05 min" },
    { 90000,  "1 d 1 h" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = bourse_format_uptime (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_client_base_url (void)
{
  g_autoptr(BourseClient) client = bourse_client_new ("http://127.0.0.1:8470/prefix");
  g_autoptr(BourseClient) bad = bourse_client_new ("not a url");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* A base without a trailing slash still keeps its prefix. */
  g_assert_cmpstr (bourse_client_get_base_url (client), ==, "http://127.0.0.1:8470/prefix/");

  node = get_json (bad, "/health", &error);
  g_assert_null (node);
  g_assert_error (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_CONNECTION);

  bourse_client_set_token (client, "secret");
  g_assert_cmpstr (bourse_client_get_token (client), ==, "secret");
}

static void
test_client_rest (void)
{
  g_autoptr(BourseClient) client = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(JsonNode) health = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  ensure_engine ();
  client = bourse_client_new (engine_url);
  bourse_client_set_token (client, bourse_local_engine_get_token (engine));

  health = get_json (client, "/health", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (health), "status"),
                   ==, "ok");

  status = get_json (client, "/api/v1/system/status", &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (status));
  object = json_node_get_object (status);
  g_assert_cmpstr (json_object_get_string_member (object, "version"), ==, PACKAGE_VERSION);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "engine"),
                                                  "state"), ==, "running");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "server"),
                                                  "url"), ==, engine_url);

  g_clear_pointer (&status, json_node_unref);
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_client_problem (void)
{
  g_autoptr(BourseClient) client = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  ensure_engine ();
  client = bourse_client_new (engine_url);
  bourse_client_set_token (client, bourse_local_engine_get_token (engine));

  node = get_json (client, "/api/v1/does-not-exist", &error);
  g_assert_null (node);
  g_assert_error (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_NOT_FOUND);
  /* The problem's own words, not just the status line. */
  g_assert_cmpstr (error->message, !=, "");
  g_test_message ("404 problem: %s", error->message);

  g_assert_finalize_object (g_steal_pointer (&client));
}

typedef struct
{
  guint     n_events;
  gint64    seq;
  JsonNode *data;
} EventState;

static void
client_event_cb (BourseClient *client,
                 const char   *topic,
                 gint64        seq,
                 JsonNode     *data,
                 EventState   *state)
{
  g_assert_cmpstr (topic, ==, "system");

  state->n_events++;
  state->seq = seq;
  g_clear_pointer (&state->data, json_node_unref);
  state->data = json_node_ref (data);
}

static gboolean
client_is_disconnected (gpointer data)
{
  return !bourse_client_get_connected (data);
}

static void
test_client_websocket (void)
{
  g_autoptr(BourseClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EventState state = { 0 };
  JsonObject *engine_object;

  ensure_engine ();
  client = bourse_client_new (engine_url);
  bourse_client_set_token (client, bourse_local_engine_get_token (engine));
  g_signal_connect (client, "event::system", G_CALLBACK (client_event_cb), &state);

  /* Subscribed before connecting: sent once the socket is open. */
  bourse_client_subscribe (client, "system");

  bourse_client_connect_async (client, NULL, store_result_cb, &result);
  wait_until (pointer_is_set, &result, "the WebSocket to connect");
  g_assert_true (bourse_client_connect_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_true (bourse_client_get_connected (client));
  g_clear_object (&result);   /* it holds the client */

  wait_until (pointer_is_set, &state.data, "a system event");
  g_assert_cmpint (state.seq, >=, 1);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (state.data));
  engine_object = json_object_get_object_member (json_node_get_object (state.data), "engine");
  g_assert_cmpstr (json_object_get_string_member (engine_object, "state"), ==, "running");

  bourse_client_unsubscribe (client, "system");
  bourse_client_close (client);
  wait_until (client_is_disconnected, client, "the WebSocket to close");

  g_clear_pointer (&state.data, json_node_unref);
  g_assert_finalize_object (g_steal_pointer (&client));
}

/* A bare WebSocket endpoint that the test drives by hand, for what the
 * real server will not do on demand: drop clients and skip sequence
 * numbers. */
typedef struct
{
  SoupServer *server;
  char       *url;
  GPtrArray  *connections;
  guint       n_accepted;
  guint       n_subscribes;
  gint64      next_seq;
  char       *last_query;
  char       *last_authorization;
} FakeServer;

static void
fake_send_event (SoupWebsocketConnection *connection,
                 gint64                   seq)
{
  g_autofree char *text = g_strdup_printf ("{\"type\":\"event\",\"topic\":\"system\",\"seq\":%"
                                           G_GINT64_FORMAT ",\"ts\":\"2026-11-21T09:29:16Z\","
                                           "\"data\":{\"engine\":{\"state\":\"running\"}}}",
                                           seq);

  soup_websocket_connection_send_text (connection, text);
}

static void
fake_message_cb (SoupWebsocketConnection *connection,
                 SoupWebsocketDataType    type,
                 GBytes                  *bytes,
                 FakeServer              *fake)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  /* Like the real server: the latest event right after a subscribe,
   * here behind frames a client must shrug off. */
  if (strstr (text, "\"subscribe\"") != NULL)
    {
      static const char *junk[] = {
        "not json", "[1,2]", "{\"type\":5}", "{\"type\":{}}", "{\"type\":\"error\"}",
        "{\"type\":\"event\",\"topic\":\"system\",\"seq\":\"7\",\"data\":{}}",
        "{\"type\":\"event\",\"topic\":[],\"seq\":7,\"data\":{}}",
        "{\"type\":\"event\",\"topic\":\"orders\",\"seq\":7,\"data\":{}}",
      };

      fake->n_subscribes++;
      for (guint i = 0; i < G_N_ELEMENTS (junk); i++)
        soup_websocket_connection_send_text (connection, junk[i]);
      fake_send_event (connection, fake->next_seq);
    }
}

static void
fake_websocket_cb (SoupServer              *server,
                   SoupServerMessage       *message,
                   const char              *path,
                   SoupWebsocketConnection *connection,
                   gpointer                 user_data)
{
  FakeServer *fake = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);

  fake->n_accepted++;
  g_free (fake->last_query);
  fake->last_query = g_strdup (g_uri_get_query (soup_server_message_get_uri (message)));
  g_free (fake->last_authorization);
  fake->last_authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));

  g_signal_connect (connection, "message", G_CALLBACK (fake_message_cb), fake);
  g_ptr_array_add (fake->connections, g_object_ref (connection));
}

static FakeServer *
fake_server_new (void)
{
  FakeServer *fake = g_new0 (FakeServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  fake->connections = g_ptr_array_new_with_free_func (g_object_unref);
  fake->next_seq = 1;
  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_websocket_handler (fake->server, "/api/v1/ws", NULL, NULL,
                                     fake_websocket_cb, fake, NULL);

  /* Our own socket: soup_server_listen_local() and soup_server_get_uris()
   * leak in libsoup 3.2. */
  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                           &error);
  g_assert_no_error (error);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  soup_server_listen_socket (fake->server, listener, 0, &error);
  g_assert_no_error (error);

  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  fake->url = g_strdup_printf ("http://127.0.0.1:%u/",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  return fake;
}

static void
fake_server_free (FakeServer *fake)
{
  soup_server_disconnect (fake->server);
  g_clear_object (&fake->server);
  g_ptr_array_unref (fake->connections);
  g_free (fake->url);
  g_free (fake->last_query);
  g_free (fake->last_authorization);
  g_free (fake);
}

static void
fake_drop_all (FakeServer *fake)
{
  for (guint i = 0; i < fake->connections->len; i++)
    {
      SoupWebsocketConnection *connection = g_ptr_array_index (fake->connections, i);

      if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
}

static gboolean
client_is_connected (gpointer data)
{
  return bourse_client_get_connected (data);
}

static gboolean
has_two_events (gpointer data)
{
  return ((EventState *) data)->n_events >= 2;
}

static void
count_resync_cb (BourseClient *client,
                 const char   *topic,
                 guint        *n_resyncs)
{
  g_assert_cmpstr (topic, ==, "system");
  (*n_resyncs)++;
}

static void
test_client_reconnect (void)
{
  FakeServer *fake = fake_server_new ();
  g_autoptr(BourseClient) client = bourse_client_new (fake->url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  EventState state = { 0 };
  guint n_resyncs = 0;

  bourse_client_set_token (client, "s3cret");
  g_signal_connect (client, "event::system", G_CALLBACK (client_event_cb), &state);
  g_signal_connect (client, "resync::system", G_CALLBACK (count_resync_cb), &n_resyncs);
  bourse_client_subscribe (client, "system");

  bourse_client_connect_async (client, NULL, store_result_cb, &result);
  wait_until (pointer_is_set, &result, "the WebSocket to connect");
  g_assert_true (bourse_client_connect_finish (client, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* The token travels both ways the server accepts it. */
  g_assert_cmpstr (fake->last_query, ==, "token=s3cret");
  g_assert_cmpstr (fake->last_authorization, ==, "Bearer s3cret");

  wait_until (pointer_is_set, &state.data, "the first event");
  g_assert_cmpint (state.seq, ==, 1);

  /* The server goes away; meanwhile events 2‥4 happen. */
  fake->next_seq = 5;
  fake_drop_all (fake);
  wait_until (client_is_disconnected, client, "the client to notice");
  wait_until (client_is_connected, client, "the client to reconnect");
  g_assert_cmpuint (fake->n_accepted, ==, 2);

  /* It subscribed again by itself, and saw that it missed events. */
  wait_until (has_two_events, &state, "the event after reconnecting");
  g_assert_cmpuint (fake->n_subscribes, ==, 2);
  g_assert_cmpint (state.seq, ==, 5);
  g_assert_cmpuint (n_resyncs, ==, 1);

  /* After close(), no more reconnecting. */
  bourse_client_close (client);
  wait_until (client_is_disconnected, client, "the WebSocket to close");
  {
    gint64 until = g_get_monotonic_time () + 1500 * G_TIME_SPAN_MILLISECOND;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpuint (fake->n_accepted, ==, 2);

  g_clear_pointer (&state.data, json_node_unref);
  g_assert_finalize_object (g_steal_pointer (&client));
  fake_server_free (fake);
}

typedef struct
{
  GtkWidget *window;
  GString   *last;
} PageState;

/* What the user must see once the page is live. */
static gboolean
system_page_is_live (gpointer data)
{
  PageState *state = data;
  const char *clients = label_text (state->window, "websocket-clients-value");
  gboolean live;

  live = g_strcmp0 (label_text (state->window, "state-value"), "Running") == 0 &&
         g_str_has_prefix (label_text (state->window, "address-value"), "http://127.0.0.1:") &&
         g_ascii_isdigit (clients[0]) && g_ascii_strtoull (clients, NULL, 10) >= 1 &&
         g_strcmp0 (label_text (state->window, "connection-value"), "Connected") == 0;

  g_string_printf (state->last, "state “%s”, address “%s”, clients “%s”, connection “%s”",
                   label_text (state->window, "state-value"),
                   label_text (state->window, "address-value"),
                   clients,
                   label_text (state->window, "connection-value"));

  return live;
}

static void
test_window_system_page (void)
{
  g_autoptr(GString) last = g_string_new (NULL);
  BourseClient *client;
  BourseWindow *window;
  PageState state;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  ensure_engine ();

  window = bourse_window_new (NULL);
  g_object_ref (window);
  bourse_window_set_token (window, bourse_local_engine_get_token (engine));
  bourse_window_set_server_url (window, engine_url);
  gtk_window_present (GTK_WINDOW (window));

  state.window = GTK_WIDGET (window);
  state.last = last;
  if (!system_page_is_live (&state))
    g_test_message ("Before: %s", last->str);
  wait_until (system_page_is_live, &state, "the System page to show the running engine");
  g_test_message ("Shown: %s", last->str);

  g_assert_cmpstr (label_text (GTK_WIDGET (window), "version-value"), ==, PACKAGE_VERSION);
  g_assert_cmpstr (label_text (GTK_WIDGET (window), "uptime-value"), !=, "—");
  g_assert_true (g_str_has_prefix (label_text (GTK_WIDGET (window), "database-path-value"),
                                   tmp_dir));

  /* Pages report through the window's toasts. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-toast", "s", "Hello"));

  client = bourse_window_get_client (window);
  g_assert_nonnull (client);
  g_assert_true (bourse_client_get_connected (client));
  g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);

  /* The window owns its connection: the client goes with it. */
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  wait_until (pointer_is_null, &client, "the window's client to go");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Before anything reads them: neither the user's configuration nor their
   * data may leak into the test. */
  tmp_dir = g_dir_make_tmp ("bourse-gui-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      static const char *vars[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME" };
      g_autofree char *dir = g_build_filename (tmp_dir, vars[i], NULL);

      g_setenv (vars[i], dir, TRUE);
    }

  g_test_init (&argc, &argv, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  g_test_add_func ("/format/uptime", test_format_uptime);
  g_test_add_func ("/local-engine/failure", test_local_engine_failure);
  g_test_add_func ("/client/base-url", test_client_base_url);
  g_test_add_func ("/client/rest", test_client_rest);
  g_test_add_func ("/client/problem", test_client_problem);
  g_test_add_func ("/client/websocket", test_client_websocket);
  g_test_add_func ("/client/reconnect", test_client_reconnect);
  g_test_add_func ("/window/system-page", test_window_system_page);

  ret = g_test_run ();

  if (engine != NULL)
    {
      bourse_local_engine_stop (engine);
      g_assert_null (bourse_local_engine_get_url (engine));
      g_assert_finalize_object (g_steal_pointer (&engine));
    }
  g_clear_pointer (&engine_url, g_free);

  remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return ret;
}
