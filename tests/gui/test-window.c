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
#include "client/bourse-client-records.h"

#include "bourse-audit-item.h"
#include "bourse-audit-page.h"
#include "bourse-backtests-page.h"
#include "bourse-candle-chart.h"
#include "bourse-download-dialog.h"
#include "bourse-local-engine.h"
#include "bourse-markets-page.h"
#include "bourse-owner-dialog.h"
#include "bourse-page-header.h"
#include "bourse-settings-page.h"
#include "bourse-strategies-page.h"
#include "bourse-system-page.h"
#include "bourse-users-page.h"
#include "bourse-window.h"

#include "gui-util.h"

static char *tmp_dir;
static gboolean have_display;
static BourseLocalEngine *engine;
static char *engine_url;

/* Helpers {{{ */

static void
ensure_engine (void)
{
  g_autofree char *data_dir = NULL;

  if (engine != NULL)
    return;

  data_dir = g_build_filename (tmp_dir, "data", NULL);
  engine = start_engine (data_dir, &engine_url);

  /* An installation with accounts: the first-run offer (test-first-run)
   * stays out of these tests' way. */
  {
    g_autoptr(BourseClient) owner = bourse_client_new (engine_url);

    bourse_client_set_token (owner, bourse_local_engine_get_token (engine));
    create_user (owner, "owner", "admin");
  }
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

/* The path comes in the REST answer only, which may land after the first
 * event has made the page live. */
static gboolean
database_path_shown (gpointer data)
{
  PageState *state = data;

  return g_str_has_prefix (label_text (state->window, "database-path-value"), tmp_dir);
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
  wait_until (database_path_shown, &state, "the System page to show the database's path");

  /* Pages report through the window's toasts. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-toast", "s", "Hello"));

  client = bourse_window_get_client (window);
  g_assert_nonnull (client);
  g_assert_true (bourse_client_get_connected (client));

  /* The window owns its connection: the client goes with it. */
  close_window (window);
}

/* Administration {{{ */

static BourseClient *
new_owner_client (void)
{
  BourseClient *client = bourse_client_new (engine_url);

  bourse_client_set_token (client, bourse_local_engine_get_token (engine));
  return client;
}

static BourseWindow *
open_local_window (void)
{
  BourseWindow *window = bourse_window_new (NULL);

  g_object_ref (window);
  bourse_window_set_token (window, bourse_local_engine_get_token (engine));
  bourse_window_set_server_url (window, engine_url);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

typedef struct
{
  GtkWidget  *root;
  const char *name;
  const char *child;        /* optional: a widget inside it… */
  const char *text;         /* …whose label must read this */
} ChildQuery;

typedef struct
{
  GtkWidget  *root;
  const char *name;
  const char *subtitle;
} SubtitleQuery;

static gboolean
row_subtitle_is (gpointer data)
{
  SubtitleQuery *query = data;
  GtkWidget *row = find_widget (query->root, query->name);

  return row != NULL &&
         g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), query->subtitle) == 0;
}

/* What a user's row says under the name: address and role. */
static void
wait_for_subtitle (GtkWidget  *root,
                   const char *name,
                   const char *subtitle)
{
  SubtitleQuery query = { root, name, subtitle };
  g_autofree char *what = g_strdup_printf ("“%s” to read “%s”", name, subtitle);

  wait_until (row_subtitle_is, &query, what);
}

static gboolean
widget_matches (gpointer data)
{
  ChildQuery *query = data;
  GtkWidget *widget = find_widget (query->root, query->name);

  if (widget == NULL)
    return FALSE;
  if (query->child == NULL)
    return TRUE;
  if (!(widget = find_widget (widget, query->child)))
    return FALSE;
  if (query->text == NULL)
    return TRUE;

  return GTK_IS_LABEL (widget) &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), query->text) == 0;
}

static void
wait_for_widget (GtkWidget  *root,
                 const char *name,
                 const char *child,
                 const char *text)
{
  ChildQuery query = { root, name, child, text };
  g_autofree char *what = g_strdup_printf ("“%s”%s%s%s%s", name,
                                           child ? " with " : "", child ? child : "",
                                           text ? " reading " : "", text ? text : "");

  wait_until (widget_matches, &query, what);
}

typedef struct
{
  BourseClient *client;
  const char   *username;
  const char   *member;
  const char   *value;
} UserQuery;

static gboolean
user_member_is (gpointer data)
{
  UserQuery *query = data;
  g_autofree char *value = dup_user_member (query->client, query->username, query->member);

  return g_strcmp0 (value, query->value) == 0;
}

static void
wait_for_user (BourseClient *client,
               const char   *username,
               const char   *member,
               const char   *value)
{
  UserQuery query = { client, username, member, value };
  g_autofree char *what = g_strdup_printf ("GET /api/v1/users to show %s’s %s as %s",
                                           username, member, value);

  wait_until (user_member_is, &query, what);
}

/* A row's button, which a row has whatever its state, and whether it is
 * offered. */
static gboolean
row_offers (GtkWidget  *page,
            const char *row_name,
            const char *button_name)
{
  GtkWidget *row = find_widget (page, row_name);
  GtkWidget *button = row != NULL ? find_widget (row, button_name) : NULL;

  g_assert_nonnull (button);
  return gtk_widget_get_visible (button);
}

static gboolean
user_is_listed_once (gpointer data)
{
  ChildQuery *query = data;
  BourseClientStore *store = bourse_users_page_get_store (BOURSE_USERS_PAGE (query->root));
  guint found = 0;

  for (guint i = 0; store != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(BourseClientUser) user = g_list_model_get_item (G_LIST_MODEL (store), i);

      found += g_strcmp0 (bourse_client_user_get_username (user), query->name) == 0;
    }
  return found == 1;
}

static void
test_window_users_page (void)
{
  g_autoptr(BourseClient) owner = NULL;
  BourseWindow *window;
  GtkWidget *page;
  GtkWidget *row;
  GtkWidget *button;
  gint64 alice_id;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  ensure_engine ();
  owner = new_owner_client ();
  alice_id = create_user (owner, "alice", "trader");
  register_user (engine_url, "bob");

  window = open_local_window ();

  /* The local owner is an administrator: the page is there. */
  wait_for_widget (GTK_WIDGET (window), "users-page", NULL, NULL);
  page = find_widget (GTK_WIDGET (window), "users-page");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "users"));

  wait_for_widget (page, "user-row-alice", "status-label", "Active");
  wait_for_subtitle (page, "user-row-alice", "alice@example.com · Trader");
  wait_for_widget (page, "user-row-bob", "status-label", "Pending");
  g_assert_true (row_offers (page, "user-row-bob", "approve-button"));
  g_assert_true (row_offers (page, "user-row-bob", "decline-button"));
  g_assert_false (row_offers (page, "user-row-alice", "approve-button"));
  g_assert_false (row_offers (page, "user-row-alice", "decline-button"));
  /* Pending sign-ups have a group of their own. */
  g_assert_nonnull (find_widget (find_widget (page, "pending-list"), "user-row-bob"));
  g_assert_null (find_widget (find_widget (page, "pending-list"), "user-row-alice"));

  /* Live ("users" topic): what is done through the API shows up by itself,
   * in the objects the rows are bound to, never read twice. */
  wait_for_topics (window, (const char * const []) { "users", NULL });
  register_user (engine_url, "carol");
  wait_for_widget (page, "user-row-carol", "status-label", "Pending");
  {
    ChildQuery once = { page, "carol", NULL, NULL };

    wait_until (user_is_listed_once, &once, "carol listed once");
  }
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, alice_id);
    g_autoptr(JsonNode) answer = request_json (owner, "PATCH", path, "{\"role\":\"admin\"}", NULL);

    g_assert_nonnull (answer);
  }
  wait_for_subtitle (page, "user-row-alice", "alice@example.com · Administrator");
  {
    gint64 frank_id = register_user (engine_url, "frank");
    g_autofree char *path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/approve", frank_id);
    g_autoptr(JsonNode) answer = NULL;

    wait_for_widget (page, "user-row-frank", "status-label", "Pending");
    answer = request_json (owner, "POST", path, NULL, NULL);
    g_assert_nonnull (answer);
    /* Approved elsewhere: it leaves the pending group for the accounts. */
    wait_for_widget (page, "user-row-frank", "status-label", "Active");
    g_assert_null (find_widget (find_widget (page, "pending-list"), "user-row-frank"));
    g_assert_nonnull (find_widget (find_widget (page, "accounts-list"), "user-row-frank"));
    g_assert_false (row_offers (page, "user-row-frank", "approve-button"));
  }

  /* Declining a sign-up asks why: no reason, no decline. */
  click (find_widget (find_widget (page, "user-row-carol"), "decline-button"));
  wait_until (named_toplevel_is_shown, (gpointer) "decline-dialog", "the decline dialog");
  {
    GtkWidget *dialog = find_named_toplevel ("decline-dialog");
    GtkWidget *entry = find_widget (dialog, "decline-reason-entry");

    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "decline"));
    gtk_editable_set_text (GTK_EDITABLE (entry), "Not on the desk's list");
    g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "decline"));
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "decline");
  }
  wait_until (named_toplevel_is_gone, (gpointer) "decline-dialog", "the decline dialog to close");
  wait_for_user (owner, "carol", "status", "disabled");
  wait_for_widget (page, "user-row-carol", "status-label", "Disabled");
  g_assert_false (row_offers (page, "user-row-carol", "decline-button"));

  /* Approving from the row's button. */
  row = find_widget (page, "user-row-bob");
  button = find_widget (row, "approve-button");
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  wait_for_user (owner, "bob", "status", "active");
  wait_for_widget (page, "user-row-bob", "status-label", "Active");
  g_assert_false (row_offers (page, "user-row-bob", "approve-button"));

  /* Role and status through the rows' menu actions. */
  g_assert_true (gtk_widget_activate_action (page, "users.set-role", "(xs)", alice_id, "viewer"));
  wait_for_user (owner, "alice", "role", "viewer");
  wait_for_subtitle (page, "user-row-alice", "alice@example.com · Viewer");

  g_assert_true (gtk_widget_activate_action (page, "users.set-status", "(xs)", alice_id, "disabled"));
  wait_for_user (owner, "alice", "status", "disabled");
  wait_for_widget (page, "user-row-alice", "status-label", "Disabled");

  g_assert_true (gtk_widget_activate_action (page, "users.set-status", "(xs)", alice_id, "active"));
  wait_for_user (owner, "alice", "status", "active");
  wait_for_widget (page, "user-row-alice", "status-label", "Active");

  close_window (window);
  g_assert_finalize_object (g_steal_pointer (&owner));
}

typedef struct
{
  GtkWidget   *page;
  const char  *action_prefix;
  GString     *last;
} AuditQuery;

static gboolean
audit_page_is_ready (gpointer data)
{
  AuditQuery *query = data;
  GListModel *entries = bourse_audit_page_get_entries (BOURSE_AUDIT_PAGE (query->page));
  guint n = g_list_model_get_n_items (entries);
  GtkWidget *row = find_widget (query->page, "verify-row");
  const char *verdict = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

  g_string_printf (query->last, "%u entries, verdict “%s”", n, verdict);

  if (n == 0 || verdict == NULL || !g_str_has_prefix (verdict, "Intact — "))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BourseAuditItem) item = g_list_model_get_item (entries, i);

      if (query->action_prefix != NULL &&
          !g_str_has_prefix (bourse_audit_item_get_action (item), query->action_prefix))
        return FALSE;
    }

  return TRUE;
}

static gboolean
store_is_loaded (gpointer data)
{
  return bourse_client_store_get_loaded (data);
}

static gboolean
newest_names_erin (gpointer data)
{
  g_autoptr(BourseAuditItem) newest = g_list_model_get_item (data, 0);

  return newest != NULL && g_strcmp0 (bourse_audit_item_get_target_display (newest), "User erin") == 0;
}

static void activate_shortcut (GtkWidget       *window,
                               guint            keyval,
                               GdkModifierType  modifiers);

typedef gint64 (*AuditKey) (BourseAuditItem *a,
                            BourseAuditItem *b);

static gint64
compare_ids (BourseAuditItem *a,
             BourseAuditItem *b)
{
  return bourse_audit_item_get_id (a) - bourse_audit_item_get_id (b);
}

static gint64
compare_actors (BourseAuditItem *a,
                BourseAuditItem *b)
{
  g_autofree char *x = g_utf8_casefold (bourse_audit_item_get_actor_display (a), -1);
  g_autofree char *y = g_utf8_casefold (bourse_audit_item_get_actor_display (b), -1);

  return g_utf8_collate (x, y);
}

static gint64
compare_actions (BourseAuditItem *a,
                 BourseAuditItem *b)
{
  return g_utf8_collate (bourse_audit_item_get_action (a), bourse_audit_item_get_action (b));
}

/* Sorted as asked by @column (a header's click), every loaded entry: and
 * the order is not the one it was in (else the check proves nothing). */
static void
assert_sorted (GtkWidget   *page,
               const char  *column,
               GtkSortType  direction,
               AuditKey     compare)
{
  GListModel *entries = bourse_audit_page_get_entries (BOURSE_AUDIT_PAGE (page));
  guint n = g_list_model_get_n_items (entries);
  gboolean varied = FALSE;

  bourse_audit_page_sort_by (BOURSE_AUDIT_PAGE (page), column, direction);
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, n);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(BourseAuditItem) a = g_list_model_get_item (entries, i - 1);
      g_autoptr(BourseAuditItem) b = g_list_model_get_item (entries, i);
      gint64 order = compare (a, b);

      if (direction == GTK_SORT_DESCENDING)
        order = -order;
      g_assert_cmpint (order, <=, 0);
      varied |= order < 0;
    }
  g_assert_true (varied);
}

/* The row of the column view whose labels show @text. */
static GtkWidget *
find_entry_row (GtkWidget  *widget,
                const char *text)
{
  if (g_str_equal (gtk_widget_get_css_name (widget), "row") && !GTK_IS_LIST_BOX_ROW (widget))
    {
      g_autoptr(GString) labels = g_string_new (NULL);

      for (GtkWidget *cell = gtk_widget_get_first_child (widget); cell; cell = gtk_widget_get_next_sibling (cell))
        {
          GtkWidget *label = find_widget_of_type (cell, GTK_TYPE_LABEL);

          if (label != NULL)
            g_string_append_printf (labels, "%s\n", gtk_label_get_label (GTK_LABEL (label)));
        }
      return strstr (labels->str, text) != NULL ? widget : NULL;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry_row (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
entry_row_shown (gpointer data)
{
  WidgetQuery *query = data;

  return find_entry_row (query->root, query->name) != NULL;
}

static void
test_window_audit_page (void)
{
  g_autoptr(GString) last = g_string_new (NULL);
  BourseWindow *window;
  GtkWidget *page;
  GListModel *entries;
  AuditQuery query;
  gint64 previous_id = G_MAXINT64;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  ensure_engine ();
  {
    g_autoptr(BourseClient) owner = new_owner_client ();

    create_user (owner, "dave", "viewer");
  }
  /* Another actor (a sign-up is its own) and another action, for the
   * sorting to have something to order. */
  register_user (engine_url, "gina");

  window = open_local_window ();
  page = show_listed_page (window, "audit", "audit-page");
  wait_until ((gboolean (*) (gpointer)) gtk_widget_get_mapped, page, "the Audit Trail page to be shown");

  query = (AuditQuery) { page, NULL, last };
  wait_until (audit_page_is_ready, &query, "the audit trail and its verdict");
  g_test_message ("Audit page: %s", last->str);

  /* Newest first, with what the user reads in each column. */
  entries = bourse_audit_page_get_entries (BOURSE_AUDIT_PAGE (page));
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(BourseAuditItem) item = g_list_model_get_item (entries, i);

      g_assert_cmpint (bourse_audit_item_get_id (item), <, previous_id);
      previous_id = bourse_audit_item_get_id (item);
      g_assert_nonnull (bourse_audit_item_get_time (item));
      g_assert_nonnull (bourse_audit_item_get_action (item));
    }
  {
    g_autoptr(BourseAuditItem) newest = g_list_model_get_item (entries, 0);

    g_assert_cmpstr (bourse_audit_item_get_action (newest), ==, "user.register");
  }
  {
    g_autoptr(BourseAuditItem) created = g_list_model_get_item (entries, 1);

    g_assert_cmpstr (bourse_audit_item_get_action (created), ==, "user.create");
    g_assert_cmpstr (bourse_audit_item_get_actor (created), ==, "local-owner");
    /* Names, not ids: the API's, and words for the engine's own actors. */
    g_assert_cmpstr (bourse_audit_item_get_actor_display (created), ==, "The local owner");
    g_assert_cmpstr (bourse_audit_item_get_target_display (created), ==, "User dave");
    /* Local time, to the second. */
    g_assert_cmpuint (strlen (bourse_audit_item_get_time (created)), ==, strlen ("2026-11-21 10:29:16"));
  }

  /* Sortable by its headers: what is loaded, in the order asked. */
  assert_sorted (page, "actor", GTK_SORT_ASCENDING, compare_actors);
  assert_sorted (page, "action", GTK_SORT_DESCENDING, compare_actions);
  assert_sorted (page, "time", GTK_SORT_ASCENDING, compare_ids);
  assert_sorted (page, "time", GTK_SORT_DESCENDING, compare_ids);

  /* Live: an entry made elsewhere comes on top by itself (the audit topic),
   * in the store's object: the list is not read again. */
  wait_for_topics (window, (const char * const []) { "audit", NULL });
  {
    g_autoptr(BourseClient) owner = new_owner_client ();
    BourseClientStore *store = bourse_audit_page_get_store (BOURSE_AUDIT_PAGE (page));
    guint n_loads;

    /* Confirmed, the store reads the list once more: after that, news. */
    g_assert_true (bourse_client_store_get_live (store));
    wait_until (store_is_loaded, store, "the audit trail read since the subscription");
    n_loads = bourse_client_store_get_n_loads (store);
    create_user (owner, "erin", "viewer");
    wait_until (newest_names_erin, entries, "the new entry on top");
    g_assert_cmpuint (bourse_client_store_get_n_loads (store), ==, n_loads);
  }

  /* By the keyboard alone: the row that shows the entry (its target by
   * name), focused, and Enter, as GTK's own binding on a row runs it. */
  {
    WidgetQuery row_query = { find_widget (page, "audit-entries"), "User erin" };
    GtkWidget *row;

    wait_until (entry_row_shown, &row_query, "the row of erin’s entry");
    row = find_entry_row (row_query.root, "User erin");
    g_assert_true (gtk_widget_grab_focus (row));
    activate_shortcut (row, GDK_KEY_Return, 0);
  }
  wait_until (named_toplevel_is_shown, (gpointer) "audit-details-dialog", "the entry's details");
  {
    GtkWidget *dialog = find_named_toplevel ("audit-details-dialog");

    g_assert_nonnull (strstr (label_text (dialog, "audit-details-label"), "erin"));
    /* Who and what by name, the ids beside them. */
    g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "The local owner (local-owner)"));
    g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "User erin (user:"));
    gtk_window_close (GTK_WINDOW (dialog));
  }
  wait_until (named_toplevel_is_gone, (gpointer) "audit-details-dialog", "the details to close");

  /* The action filter is a prefix when it ends with a dot. */
  gtk_editable_set_text (GTK_EDITABLE (find_widget (page, "action-filter")), "user.");
  query.action_prefix = "user.";
  wait_until (audit_page_is_ready, &query, "the filtered audit trail");
  g_test_message ("Filtered: %s", last->str);

  /* An actor that never acted: nothing, and the page says so. */
  gtk_editable_set_text (GTK_EDITABLE (find_widget (page, "actor-filter")), "user:99999");
  {
    gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

    while (g_list_model_get_n_items (entries) != 0)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        spin (50);
      }
  }
  g_assert_cmpstr (label_text (page, "audit-count"), ==, "0 entries");

  close_window (window);
}

/* }}} */

/* The window {{{ */

/* A window with every page the owner has, an instrument on Markets, and
 * no approvals yet. */
static BourseWindow *
open_full_window (int width)
{
  BourseWindow *window;

  ensure_engine ();
  {
    g_autoptr(BourseClient) owner = new_owner_client ();
    g_autoptr(JsonNode) instruments = get_json (owner, "/api/v1/instruments", NULL);
    g_autofree char *listed = json_to_string (instruments, FALSE);
    g_autoptr(JsonNode) created = NULL;
    g_autoptr(GError) error = NULL;

    /* Once per engine: the tests share one. */
    if (strstr (listed, "\"WIDEUSDT\"") == NULL)
      {
        created = request_json (owner, "POST", "/api/v1/instruments",
                                "{\"symbol\":\"WIDEUSDT\",\"base_asset\":\"WIDE\","
                                "\"quote_asset\":\"USDT\",\"tick_size\":\"0.01\","
                                "\"lot_step\":\"0.001\",\"source\":\"csv\"}", &error);
        g_assert_no_error (error);
      }
  }

  /* Sized before it is shown: without a window manager, X leaves a
   * mapped window's size as it is. */
  window = bourse_window_new (NULL);
  g_object_ref (window);
  gtk_window_set_default_size (GTK_WINDOW (window), width, 800);
  bourse_window_set_token (window, bourse_local_engine_get_token (engine));
  bourse_window_set_server_url (window, engine_url);
  gtk_window_present (GTK_WINDOW (window));
  /* Listed once the permissions are in; most are made when first shown. */
  for (guint i = 0; i < 4; i++)
    {
      static const char *pages[] = { "approvals", "users", "backtests", "settings" };

      wait_for_listed_page (window, pages[i]);
    }
  wait_for_widget (GTK_WIDGET (window), "instrument-row-WIDEUSDT", NULL, NULL);

  return window;
}

static GtkWidget *
visible_page (BourseWindow *window)
{
  return adw_view_stack_get_visible_child (ADW_VIEW_STACK (find_widget_of_type (GTK_WIDGET (window),
                                                                              ADW_TYPE_VIEW_STACK)));
}

static gboolean
visible_page_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (visible_page (data));
}

typedef struct
{
  GtkWidget *window;
  int        width;
} WidthQuery;

typedef struct
{
  GtkWidget *leaflet;
  gboolean   folded;
} FoldQuery;

/* The leaflet folds at its next allocation, which may come a frame after
 * the window took its width. */
static gboolean
leaflet_is_folded_as (gpointer data)
{
  FoldQuery *query = data;

  return adw_leaflet_get_folded (ADW_LEAFLET (query->leaflet)) == query->folded;
}

/* The size asked for, but above the window's minimum (360 px), where the
 * window's frame takes a few of them: its shadow, as on a screen-wide
 * window (Xvfb's 1280 px), and 10 px of a laptop's 1024. */
static gboolean
window_has_width (gpointer data)
{
  WidthQuery *query = data;
  int width = gtk_widget_get_width (query->window);

  return width == query->width || (query->width > 360 && width >= query->width - 20 &&
                                   width <= query->width);
}

static int
min_width (GtkWidget *widget)
{
  int min;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}

/* The innermost widgets that ask for more than @limit: the culprits, for
 * the failure's message. */
static gboolean
describe_wide (GtkWidget *widget,
               int        limit,
               GString   *out)
{
  gboolean inner = FALSE;
  int min;

  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return FALSE;
  if ((min = min_width (widget)) <= limit)
    return FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    inner |= describe_wide (child, limit, out);

  if (!inner)
    {
      g_string_append_printf (out, " %s “%s” (%d px", G_OBJECT_TYPE_NAME (widget),
                              gtk_widget_get_name (widget), min);
      for (GtkWidget *child = gtk_widget_get_first_child (widget);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        if (gtk_widget_get_visible (child))
          g_string_append_printf (out, ", %s %d", G_OBJECT_TYPE_NAME (child), min_width (child));
      g_string_append (out, ");");
    }
  return TRUE;
}

/* Issue 14's checks: narrow toolbars, a laptop's width {{{ */

static gboolean squeezer_shows (gpointer data);

static const char *describe_focus (GtkWidget *widget,
                                   GString   *out);

/* The first leaflet, stack or squeezer on screen that is moving, or NULL:
 * while one is, both of its children are on screen. (A revealer's child is
 * on screen either way; a page's may come and go with the engine's
 * events.) */
static GtkWidget *
moving_widget (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (ADW_IS_LEAFLET (widget) && adw_leaflet_get_child_transition_running (ADW_LEAFLET (widget)))
    return widget;
  /* A folded leaflet lets go of the child it left at the allocation after
   * its transition. */
  if (ADW_IS_LEAFLET (widget) && adw_leaflet_get_folded (ADW_LEAFLET (widget)))
    for (GtkWidget *child = gtk_widget_get_first_child (widget);
         child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if (child != adw_leaflet_get_visible_child (ADW_LEAFLET (widget)) && gtk_widget_get_mapped (child))
        return widget;
  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return widget;
  if (ADW_IS_SQUEEZER (widget) && adw_squeezer_get_transition_running (ADW_SQUEEZER (widget)))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *moving = moving_widget (child);

      if (moving != NULL)
        return moving;
    }

  return NULL;
}

static gboolean
transitions_are_done (gpointer data)
{
  return moving_widget (data) == NULL;
}

typedef struct
{
  GtkWidget *window;
  guint      ticks;
} StillQuery;

static gboolean
count_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  ((StillQuery *) data)->ticks++;
  return G_SOURCE_CONTINUE;
}

/* Wakes the loop to look at the deadline, should no frame come. */
static gboolean
keep_looking_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Two frames' ticks have a layout between them: what was just shown or
 * hidden has been allocated, and a leaflet has folded or started to move.
 * A transition that starts again and again (under ASan, a page that follows
 * the engine's events) does not hold the check up for ever: after 60
 * frames, a second at 60 frames a second and longer than any one of the
 * window's transitions, the window is taken as it is. Counted in frames,
 * not time, so a busy machine's slow frames change nothing. */
static void
wait_until_still (BourseWindow *window,
                  const char   *what)
{
  StillQuery query = { GTK_WIDGET (window), 0 };
  guint id = gtk_widget_add_tick_callback (GTK_WIDGET (window), count_tick_cb, &query, NULL);
  guint wake_id = g_timeout_add (50, keep_looking_cb, NULL);
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  while (query.ticks < 2 || (!transitions_are_done (window) && query.ticks < 60))
    {
      if (g_get_monotonic_time () > deadline)
        {
          GtkWidget *moving = moving_widget (GTK_WIDGET (window));
          g_autoptr(GString) where = g_string_new (NULL);

          g_error ("Timed out after %d ms waiting for %s: %u frames, %s", TIMEOUT_MS, what, query.ticks,
                   moving != NULL ? describe_focus (moving, where) : "nothing moving");
        }
      g_main_context_iteration (NULL, TRUE);
    }

  gtk_widget_remove_tick_callback (GTK_WIDGET (window), id);
  g_source_remove (wake_id);
}

static gboolean
settings_are_listed (gpointer data)
{
  return bourse_settings_page_get_n_sections (data) > 0;
}

/* Shows the page @name through the window and waits until it is on
 * screen, filled and still; returns it. */
static GtkWidget *
show_page_still (BourseWindow *window,
                 const char   *name)
{
  GtkWidget *page;
  GtkWidget *settings;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", name));
  wait_until (visible_page_is_mapped, window, "the page to be shown");
  page = visible_page (window);
  /* The one page that reads its content only once shown. */
  if ((settings = find_widget_of_type (page, BOURSE_TYPE_SETTINGS_PAGE)) != NULL)
    wait_until (settings_are_listed, settings, "the Settings page to list the sections");
  wait_until_still (window, "the window's transitions to end");

  return page;
}

/* The Markets page's chart of WIDEUSDT, as a user opens it on a narrow
 * window: the row activated takes the list's place. */
static GtkWidget *
show_markets_chart (BourseWindow *window)
{
  GtkWidget *markets = show_page_still (window, "markets");
  GtkWidget *row = wait_for_widget_named (markets, "instrument-row-WIDEUSDT");
  GtkWidget *dropdown = find_widget (markets, "interval-dropdown");

  gtk_list_box_select_row (GTK_LIST_BOX (find_widget (markets, "instrument-list")), GTK_LIST_BOX_ROW (row));
  gtk_widget_activate (row);
  g_assert_nonnull (dropdown);
  wait_until (visible_page_is_mapped, window, "the page to be shown");
  wait_until_still (window, "the chart to take the list's place");
  g_assert_cmpstr (bourse_markets_page_get_symbol (BOURSE_MARKETS_PAGE (markets)), ==, "WIDEUSDT");

  return markets;
}

/* The width @leaflet needs for its children side by side. */
static int
leaflet_unfolded_width (GtkWidget *leaflet)
{
  int width = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (leaflet);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      width += min_width (child);

  return width;
}

/* At 360 px the intervals are a drop-down, not the toggles, and what is
 * chosen there is the chart's interval. */
static void
assert_narrow_intervals (BourseWindow *window)
{
  GtkWidget *markets = show_markets_chart (window);
  GtkWidget *dropdown = find_widget (markets, "interval-dropdown");
  GtkWidget *pair[2] = { gtk_widget_get_ancestor (dropdown, ADW_TYPE_SQUEEZER), dropdown };
  GListModel *names = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
  g_autofree char *before = g_strdup (bourse_markets_page_get_interval (BOURSE_MARKETS_PAGE (markets)));
  const char *other = g_str_equal (before, "4h") ? "1d" : "4h";
  guint position = GTK_INVALID_LIST_POSITION;

  g_assert_nonnull (pair[0]);
  wait_until (squeezer_shows, pair, "the interval drop-down in the toolbar's place");
  g_assert_true (gtk_widget_get_mapped (dropdown));
  g_assert_false (gtk_widget_get_mapped (find_widget (markets, "interval-box")));

  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), other))
      position = i;
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), position);
  g_assert_cmpstr (bourse_markets_page_get_interval (BOURSE_MARKETS_PAGE (markets)), ==, other);
  {
    g_autofree char *toggle = g_strdup_printf ("interval-%s", other);

    /* The toggles (hidden here) follow the same state. */
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_widget (markets, toggle))));
  }

  /* Back as it was: the interval is remembered for the next window. */
  bourse_markets_page_set_interval (BOURSE_MARKETS_PAGE (markets), before);
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (gtk_drop_down_get_selected_item (GTK_DROP_DOWN (dropdown)))),
                   ==, before);
}

/* }}} */

/* From GNOME's smallest window to a wide one, every page fits: nothing
 * asks for more width than the window has, and the sidebar folds only
 * when it must. */
static void
test_window_adaptive (void)
{
  /* A phone's, a laptop's (issue 14: the sidebar stays) and a wide one. */
  static const int widths[] = { 360, 1024, 1280 };
  g_autoptr(GString) faults = g_string_new (NULL);

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      BourseWindow *window = open_full_window (widths[w]);
      WidthQuery query = { GTK_WIDGET (window), widths[w] };
      FoldQuery fold;
      GtkWidget *leaflet = find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_LEAFLET);
      g_autoptr(GListModel) pages = NULL;
      guint n_pages;

      pages = G_LIST_MODEL (adw_view_stack_get_pages (ADW_VIEW_STACK (find_widget_of_type (GTK_WIDGET (window),
                                                                                           ADW_TYPE_VIEW_STACK))));
      n_pages = g_list_model_get_n_items (pages);
      g_assert_cmpuint (n_pages, >=, 9);

      for (guint i = 0; i < n_pages; i++)
        {
          g_autoptr(AdwViewStackPage) page = g_list_model_get_item (pages, i);
          GtkWidget *child = gtk_window_get_child (GTK_WINDOW (window));
          int min;

          gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s",
                                      adw_view_stack_page_get_name (page));
          wait_until (visible_page_is_mapped, window, "the page to be shown");

          if ((min = min_width (child)) > widths[w])
            {
              g_string_append_printf (faults, "\n%s at %d px asks for %d px:",
                                      adw_view_stack_page_get_name (page), widths[w], min);
              describe_wide (child, widths[w], faults);
            }
          /* The sidebar beside every page from a laptop's width: the
           * leaflet folds when its children's minimum widths do not fit. */
          if (widths[w] >= 1024 && (min = leaflet_unfolded_width (leaflet)) > widths[w])
            {
              g_string_append_printf (faults, "\n%s at %d px folds the sidebar (%d px beside it):",
                                      adw_view_stack_page_get_name (page), widths[w], min);
              describe_wide (visible_page (window), widths[w] - min + min_width (visible_page (window)),
                             faults);
            }
        }
      if (faults->len > 0)
        g_error ("Too wide:%s", faults->str);

      wait_until (window_has_width, &query, "the window to take its width");

      /* The sidebar beside the page on a wide screen; folded away on a
       * phone's. */
      fold = (FoldQuery) { leaflet, widths[w] < 600 };
      wait_until (leaflet_is_folded_as, &fold, "the sidebar to fold (or unfold) for the width");
      if (widths[w] < 600)
        assert_narrow_intervals (window);
      g_clear_object (&pages);
      close_window (window);
    }
}

static void
activate_shortcut (GtkWidget       *window,
                   guint            keyval,
                   GdkModifierType  modifiers)
{
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      GListModel *shortcuts;

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      shortcuts = G_LIST_MODEL (controller);
      for (guint j = 0; j < g_list_model_get_n_items (shortcuts); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, j);

          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          /* GtkWindow binds Tab and the keypad's Tab together. */
          if (GTK_IS_ALTERNATIVE_TRIGGER (trigger) &&
              gtk_shortcut_trigger_equal (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)),
                                          wanted))
            trigger = wanted;
          if (gtk_shortcut_trigger_equal (trigger, wanted))
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                           window, gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }

  g_error ("no shortcut %s", gtk_accelerator_name (keyval, modifiers));
}

static const char *
visible_page_name (BourseWindow *window)
{
  return gtk_widget_get_name (visible_page (window));
}

static gboolean
search_has_focus (gpointer data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (data));

  return focus != NULL && gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY) != NULL &&
         gtk_widget_is_ancestor (focus, visible_page (data));
}

/* Adds each key of an accelerator list ("plus equal", "<alt>1...<alt>9")
 * to @keys as gtk_accelerator_name() writes it. */
static void
add_listed_keys (GHashTable *keys,
                 const char *accelerators)
{
  g_auto(GStrv) tokens = g_strsplit (accelerators, " ", -1);

  for (guint i = 0; tokens[i] != NULL; i++)
    {
      g_auto(GStrv) range = g_strsplit (tokens[i], "...", 2);
      guint first, last;
      GdkModifierType modifiers;

      if (!gtk_accelerator_parse (range[0], &first, &modifiers))
        continue;
      last = first;
      if (range[1] != NULL)
        g_assert_true (gtk_accelerator_parse (range[1], &last, NULL));
      for (guint keyval = first; keyval <= last; keyval++)
        g_hash_table_add (keys, gtk_accelerator_name (keyval, modifiers));
    }
}

/* Every key shortcut of @widget's controllers (its own and its class's)
 * is in the shortcuts window. The keypad's + and − are the same keys. */
static void
assert_shortcuts_listed (GtkShortcutsWindow *overlay,
                         GtkWidget          *widget)
{
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GQueue queue = G_QUEUE_INIT;
  guint checked = 0;

  g_queue_push_tail (&queue, overlay);
  while (!g_queue_is_empty (&queue))
    {
      GtkWidget *child = g_queue_pop_head (&queue);

      if (GTK_IS_SHORTCUTS_SHORTCUT (child))
        {
          g_autofree char *accelerator = NULL;

          g_object_get (child, "accelerator", &accelerator, NULL);
          if (accelerator != NULL)
            add_listed_keys (listed, accelerator);
        }
      for (GtkWidget *c = gtk_widget_get_first_child (child); c != NULL; c = gtk_widget_get_next_sibling (c))
        g_queue_push_tail (&queue, c);
    }

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          g_autofree char *name = NULL;
          guint keyval;

          /* GtkWindow's class bindings (Tab, arrows, F10…) are GTK's:
           * listed where they matter, not checked one by one. The
           * chart's are its class's. */
          if (!GTK_IS_KEYVAL_TRIGGER (trigger) ||
              (GTK_IS_WINDOW (widget) &&
               g_str_has_prefix (gtk_event_controller_get_name (controller) ?: "", "gtk-")))
            continue;
          keyval = gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger));
          if (keyval == GDK_KEY_KP_Add || keyval == GDK_KEY_KP_Subtract)
            continue;
          name = gtk_accelerator_name (keyval, gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)));
          if (!g_hash_table_contains (listed, name))
            g_error ("%s's shortcut %s is not in the shortcuts window", G_OBJECT_TYPE_NAME (widget), name);
          checked++;
        }
    }
  g_assert_cmpuint (checked, >, 0);
}

/* Alt+number and Ctrl+Page Up/Down between the pages, Ctrl+F into the
 * list's search; the shortcuts window lists them in words. */
static void
test_window_keyboard (void)
{
  BourseWindow *window;
  GtkShortcutsWindow *overlay;
  g_autoptr(GString) keys = g_string_new (NULL);
  gboolean has_pages_group = FALSE;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  window = open_full_window (1280);

  activate_shortcut (GTK_WIDGET (window), GDK_KEY_2, GDK_ALT_MASK);
  g_assert_cmpstr (visible_page_name (window), ==, "portfolio-page");
  activate_shortcut (GTK_WIDGET (window), GDK_KEY_Page_Down, GDK_CONTROL_MASK);
  g_assert_cmpstr (visible_page_name (window), ==, "orders-page");
  activate_shortcut (GTK_WIDGET (window), GDK_KEY_Page_Up, GDK_CONTROL_MASK);
  activate_shortcut (GTK_WIDGET (window), GDK_KEY_Page_Up, GDK_CONTROL_MASK);
  g_assert_cmpstr (visible_page_name (window), ==, "markets-page");
  /* Round: before the first comes the last. */
  activate_shortcut (GTK_WIDGET (window), GDK_KEY_Page_Up, GDK_CONTROL_MASK);
  activate_shortcut (GTK_WIDGET (window), GDK_KEY_Page_Down, GDK_CONTROL_MASK);
  g_assert_cmpstr (visible_page_name (window), ==, "markets-page");
  /* A page that is not there changes nothing. */
  activate_shortcut (GTK_WIDGET (window), GDK_KEY_9, GDK_ALT_MASK);
  activate_shortcut (GTK_WIDGET (window), GDK_KEY_1, GDK_ALT_MASK);
  g_assert_cmpstr (visible_page_name (window), ==, "markets-page");

  /* Ctrl+F reaches the search of every list. */
  for (guint i = 0; i < 5; i++)
    {
      static const char *pages[] = { "markets", "strategies", "audit", "users", "orders" };
      g_autofree char *what = g_strdup_printf ("the search of %s to take the focus", pages[i]);

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", pages[i]));
      wait_until (visible_page_is_mapped, window, "the page to be shown");
      activate_shortcut (GTK_WIDGET (window), GDK_KEY_f, GDK_CONTROL_MASK);
      wait_until (search_has_focus, window, what);
    }

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  {
    /* Every key as the user reads it: no keysym names. */
    GQueue queue = G_QUEUE_INIT;

    g_queue_push_tail (&queue, overlay);
    while (!g_queue_is_empty (&queue))
      {
        GtkWidget *widget = g_queue_pop_head (&queue);

        if (GTK_IS_LABEL (widget) && gtk_widget_get_ancestor (widget, GTK_TYPE_SHORTCUT_LABEL))
          g_string_append_printf (keys, "%s ", gtk_label_get_label (GTK_LABEL (widget)));
        if (GTK_IS_SHORTCUTS_GROUP (widget))
          {
            g_autofree char *title = NULL;

            g_object_get (widget, "title", &title, NULL);
            has_pages_group |= g_strcmp0 (title, "Pages") == 0;
          }
        for (GtkWidget *child = gtk_widget_get_first_child (widget);
             child != NULL;
             child = gtk_widget_get_next_sibling (child))
          g_queue_push_tail (&queue, child);
      }
  }
  g_test_message ("Keys shown: %s", keys->str);
  g_assert_true (has_pages_group);
  assert_shortcuts_listed (overlay, GTK_WIDGET (window));
  {
    /* The chart's keys, from its class. */
    GtkWidget *chart = g_object_ref_sink (g_object_new (BOURSE_TYPE_CANDLE_CHART, NULL));

    assert_shortcuts_listed (overlay, chart);
    g_object_unref (chart);
  }
  g_assert_null (strchr (keys->str, '_'));
  g_assert_nonnull (strstr (keys->str, "Page Up"));

  close_window (window);
}

static gboolean
squeezer_shows (gpointer data)
{
  GtkWidget **pair = data;

  return adw_squeezer_get_visible_child (ADW_SQUEEZER (pair[0])) == pair[1];
}

/* The words of a menu's items, "|"-separated. */
static char *
menu_words (GMenuModel *menu)
{
  GString *words = g_string_new (NULL);

  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;

      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
      g_string_append_printf (words, "%s%s", i > 0 ? "|" : "", label);
    }

  return g_string_free (words, FALSE);
}

/* The visible page's actions sit in the window's header bar: the page's
 * toolbar while it fits, the same as a menu at 360 px; a page without
 * actions shows none. */
static void
test_window_page_actions (void)
{
  static const int widths[] = { 1280, 360 };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      BourseWindow *window = open_full_window (widths[w]);
      GtkWidget *actions = find_widget (GTK_WIDGET (window), "page-actions");
      GtkWidget *menu_button = find_widget (GTK_WIDGET (window), "page-menu-button");
      GtkWidget *markets = find_widget (GTK_WIDGET (window), "markets-page");
      GtkWidget *toolbar = bourse_page_get_header_actions (markets);
      GtkWidget *pair[2] = { actions, widths[w] < 600 ? menu_button : gtk_widget_get_parent (toolbar) };
      GtkWidget *dialog;
      GMenuModel *menu;
      g_autofree char *words = NULL;

      g_assert_nonnull (actions);
      g_assert_nonnull (toolbar);

      /* Markets: the owner may import and download, from the header. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "markets"));
      wait_until (visible_page_is_mapped, window, "the page to be shown");
      g_assert_true (gtk_widget_is_ancestor (toolbar, actions));
      g_assert_false (gtk_widget_is_ancestor (toolbar, markets));
      g_assert_true (gtk_widget_get_visible (actions));
      g_assert_true (gtk_widget_get_visible (find_widget (toolbar, "import-button")));
      g_assert_true (gtk_widget_get_visible (find_widget (toolbar, "download-button")));
      wait_until (squeezer_shows, pair, widths[w] < 600 ? "the actions' menu" : "the actions' toolbar");

      /* The menu is the toolbar's buttons, and reaches the page's actions. */
      gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
      menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
      g_assert_nonnull (menu);
      words = menu_words (menu);
      g_assert_cmpstr (words, ==, "Import Candles From a CSV File…|Download History From Binance…");
      gtk_menu_button_popdown (GTK_MENU_BUTTON (menu_button));
      g_assert_true (gtk_widget_activate_action (menu_button, "markets.download", NULL));
      dialog = find_toplevel (BOURSE_TYPE_DOWNLOAD_DIALOG);
      g_assert_nonnull (dialog);
      gtk_window_destroy (GTK_WINDOW (dialog));

      /* Orders: its own Cancel All (off while nothing is open) and the
       * window's New Order. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "orders"));
      wait_until (visible_page_is_mapped, window, "the page to be shown");
      g_assert_true (gtk_widget_is_ancestor (find_widget (actions, "cancel-all-button"), actions));
      g_assert_true (gtk_widget_get_visible (find_widget (actions, "new-order-button")));
      g_assert_false (gtk_widget_is_ancestor (toolbar, actions));
      gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
      g_clear_pointer (&words, g_free);
      words = menu_words (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)));
      g_assert_cmpstr (words, ==, "Cancel _All…|_New Order…");
      gtk_menu_button_popdown (GTK_MENU_BUTTON (menu_button));
      g_assert_false (gtk_widget_is_sensitive (find_widget (actions, "cancel-all-button")));

      /* System: none. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "system"));
      wait_until (visible_page_is_mapped, window, "the page to be shown");
      g_assert_false (gtk_widget_get_visible (actions));

      close_window (window);
    }
}

/* A list a keyboard user moves in with the arrows (the sidebar, the
 * instruments, the audit trail, the log): a single tab stop. Boxed lists
 * (preferences, rows with their own switches and buttons) are walked row
 * by row, as GNOME does. */
static GtkWidget *
selecting_list_of (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if ((GTK_IS_LIST_BOX (w) && !gtk_widget_has_css_class (w, "boxed-list")) ||
        GTK_IS_LIST_VIEW (w) || GTK_IS_COLUMN_VIEW (w) || GTK_IS_GRID_VIEW (w))
      return w;
  return NULL;
}

/* The widget and its nearest named ancestor: "GtkButton “” in
 * GtkListBoxRow “instrument-row-BTCUSDT”". */
static const char *
describe_focus (GtkWidget *widget,
                GString   *out)
{
  GtkWidget *named = gtk_widget_get_parent (widget);

  while (named != NULL && g_str_equal (gtk_widget_get_name (named), G_OBJECT_TYPE_NAME (named)))
    named = gtk_widget_get_parent (named);

  g_string_printf (out, "%s “%s”", G_OBJECT_TYPE_NAME (widget), gtk_widget_get_name (widget));
  if (named != NULL)
    g_string_append_printf (out, " in %s “%s”", G_OBJECT_TYPE_NAME (named), gtk_widget_get_name (named));
  return out->str;
}

static gboolean
stack_transition_is_done (gpointer data)
{
  return !gtk_stack_get_transition_running (GTK_STACK (data));
}

/* Tab from the sidebar through each page at 1280 px, as GtkWindow moves
 * the focus: it reaches the header's page actions and the page's content,
 * leaves each selecting list in one step (changing neither the page nor
 * the chart), never lands where nobody sees it or could use it, and comes
 * round to the sidebar (no trap). */
static void
test_window_tab_chain (void)
{
  BourseWindow *window;
  GtkWidget *sidebar;
  GtkWidget *actions;
  g_autoptr(GListModel) pages = NULL;
  g_autoptr(GString) chain = g_string_new (NULL);
  g_autoptr(GString) where = g_string_new (NULL);

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  window = open_full_window (1280);
  sidebar = find_widget (GTK_WIDGET (window), "sidebar-list");
  /* The console crossfades in over the starting status page: until it
   * is done, both are there. */
  wait_until (stack_transition_is_done, find_widget_of_type (GTK_WIDGET (window), GTK_TYPE_STACK),
              "the console to be shown");
  actions = find_widget (GTK_WIDGET (window), "page-actions");
  pages = G_LIST_MODEL (adw_view_stack_get_pages (ADW_VIEW_STACK (find_widget_of_type (GTK_WIDGET (window),
                                                                                       ADW_TYPE_VIEW_STACK))));

  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (pages, i);
      const char *name = adw_view_stack_page_get_name (page);
      GtkWidget *content = adw_view_stack_page_get_child (page);
      GtkWidget *instruments = find_widget (content, "instrument-list");
      GtkListBoxRow *selected = NULL;
      GtkWidget *previous_list = NULL;
      gboolean in_content = FALSE;
      gboolean in_actions = FALSE;
      gboolean round = FALSE;
      gboolean seen_sidebar = FALSE;
      gboolean left_sidebar = FALSE;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", name));
      wait_until (visible_page_is_mapped, window, "the page to be shown");
      if (instruments != NULL)
        selected = gtk_list_box_get_selected_row (GTK_LIST_BOX (instruments));
      /* From the top: the sidebar's menu button, the sidebar, … */
      gtk_root_set_focus (GTK_ROOT (window), NULL);
      g_string_printf (chain, "%s:", name);

      for (guint step = 0; step < 1000 && !round; step++)
        {
          GtkWidget *focus;
          GtkWidget *list;

          activate_shortcut (GTK_WIDGET (window), GDK_KEY_Tab, 0);
          /* Past the last widget the window lets go of the focus; the
           * next Tab starts again from the first. */
          if ((focus = gtk_root_get_focus (GTK_ROOT (window))) == NULL)
            {
              g_string_append (chain, " → (round)");
              continue;
            }
          g_string_append_printf (chain, " → %s", describe_focus (focus, where));

          if (!gtk_widget_get_mapped (focus) || !gtk_widget_is_sensitive (focus))
            g_error ("Tab on %s landed on %s, which is %s:%s", name, where->str,
                     gtk_widget_get_mapped (focus) ? "insensitive" : "not shown", chain->str);

          list = selecting_list_of (focus);
          if (list != NULL && list == previous_list)
            g_error ("Tab on %s walked through the rows of %s:%s", name,
                     describe_focus (list, where), chain->str);
          previous_list = list;

          in_content |= gtk_widget_is_ancestor (focus, content);
          in_actions |= gtk_widget_is_ancestor (focus, actions);
          /* Round when the sidebar has the focus again. */
          round = left_sidebar && list == sidebar;
          if (list == sidebar)
            seen_sidebar = TRUE;
          else if (seen_sidebar)
            left_sidebar = TRUE;
        }

      g_test_message ("%s", chain->str);
      if (!round)
        g_error ("Tab on %s never came back to the sidebar (a trap):%s", name, chain->str);
      if (!in_content)
        g_error ("Tab on %s never reached the page:%s", name, chain->str);
      if (gtk_widget_get_visible (actions) && !in_actions)
        g_error ("Tab on %s never reached the page's actions:%s", name, chain->str);
      /* Nothing chosen on the way. */
      g_assert_true (visible_page (window) == content);
      if (instruments != NULL)
        g_assert_true (gtk_list_box_get_selected_row (GTK_LIST_BOX (instruments)) == selected);
    }

  close_window (window);
}

/* Most pages are made when first shown, not when the permissions come
 * (issue 14: making them all stalled the start); the sidebar lists them
 * all the same. A page made later is told what the role may do at once. */
static void
test_window_pages_made_when_shown (void)
{
  static const char *later[][2] = {
    { "strategies", "strategies-page" }, { "backtests", "backtests-page" },
    { "settings", "settings-page" }, { "logs", "logs-page" }, { "audit", "audit-page" },
  };
  BourseWindow *window;
  g_autoptr(GListModel) pages = NULL;
  GtkWidget *backtests;
  GtkWidget *strategies;
  int position = -1;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  window = open_full_window (1280);
  /* Their badge, notifications and sign-ups need them unseen. */
  g_assert_nonnull (find_widget (GTK_WIDGET (window), "approvals-page"));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), "users-page"));
  for (guint i = 0; i < G_N_ELEMENTS (later); i++)
    {
      wait_for_listed_page (window, later[i][0]);
      g_assert_null (find_widget (GTK_WIDGET (window), later[i][1]));
    }

  /* Shown: made, shown, and the owner may run backtests. */
  backtests = show_listed_page (window, "backtests", "backtests-page");
  wait_until (visible_page_is_mapped, window, "the Backtests page to be shown");
  g_assert_true (gtk_widget_is_ancestor (backtests, visible_page (window)));
  g_assert_true (bourse_backtests_page_get_can_run (BOURSE_BACKTESTS_PAGE (backtests)));
  for (guint i = 0; i < G_N_ELEMENTS (later); i++)
    if (!g_str_equal (later[i][0], "backtests"))
      g_assert_null (find_widget (GTK_WIDGET (window), later[i][1]));

  /* Alt+n makes one too; its header actions are the window's. */
  pages = G_LIST_MODEL (adw_view_stack_get_pages (ADW_VIEW_STACK (find_widget_of_type (GTK_WIDGET (window),
                                                                                       ADW_TYPE_VIEW_STACK))));
  for (guint i = 0; i < g_list_model_get_n_items (pages) && position < 0; i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (pages, i);

      if (g_str_equal (adw_view_stack_page_get_name (page), "strategies"))
        position = i;
    }
  g_assert_cmpint (position, >=, 0);
  g_assert_cmpint (position, <, 9);
  activate_shortcut (GTK_WIDGET (window), GDK_KEY_1 + position, GDK_ALT_MASK);
  strategies = find_widget (GTK_WIDGET (window), "strategies-page");
  g_assert_nonnull (strategies);
  g_assert_true (gtk_widget_is_ancestor (strategies, visible_page (window)));
  g_assert_true (bourse_strategies_page_get_can_write (BOURSE_STRATEGIES_PAGE (strategies)));
  g_assert_true (gtk_widget_is_ancestor (bourse_page_get_header_actions (strategies),
                                         find_widget (GTK_WIDGET (window), "page-actions")));

  /* Shown again: the same page, not a new one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "backtests"));
  g_assert_true (find_widget (GTK_WIDGET (window), "backtests-page") == backtests);

  close_window (window);
}

/* Nothing to decide: a status page says so, not a dim row. */
static void
test_window_empty_approvals (void)
{
  BourseWindow *window;
  GtkWidget *page;
  GtkWidget *status;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  window = open_full_window (1280);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "approvals"));
  page = find_widget (GTK_WIDGET (window), "approvals-page");
  status = wait_for_widget_named (page, "approvals-empty");
  g_assert_true (ADW_IS_STATUS_PAGE (status));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "Nothing Awaits a Decision");
  wait_until (visible_page_is_mapped, window, "the page to be shown");
  g_assert_true (gtk_widget_get_mapped (status));
  /* No refresh to press: the page follows its topic. */
  g_assert_null (find_widget_of_type (page, GTK_TYPE_BUTTON));

  close_window (window);
}

static gboolean
has_visible_words (GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && gtk_label_get_text (GTK_LABEL (widget))[0] != '\0')
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_visible_words (child))
      return TRUE;

  return FALSE;
}

static gboolean
is_control (GtkWidget *widget)
{
  static GType types[11];

  if (types[0] == 0)
    {
      GType known[] = {
        GTK_TYPE_BUTTON, GTK_TYPE_MENU_BUTTON, GTK_TYPE_SWITCH, GTK_TYPE_DROP_DOWN,
        GTK_TYPE_SPIN_BUTTON, GTK_TYPE_SEARCH_ENTRY, GTK_TYPE_ENTRY, GTK_TYPE_PASSWORD_ENTRY,
        GTK_TYPE_SCALE, GTK_TYPE_CHECK_BUTTON, ADW_TYPE_SPLIT_BUTTON,
      };

      memcpy (types, known, sizeof types);
    }

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (G_TYPE_CHECK_INSTANCE_TYPE (widget, types[i]))
      return TRUE;

  return FALSE;
}

/* The controls the user can see that say nothing to a screen reader: no
 * words of their own, and no accessible label. */
static void
collect_unnamed (GtkWidget *widget,
                 GString   *out)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget) ||
      GTK_IS_WINDOW_CONTROLS (widget))
    return;

  if (is_control (widget))
    {
      GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

      if (!gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL) &&
          !gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY) &&
          (GTK_IS_EDITABLE (widget) || GTK_IS_SWITCH (widget) || !has_visible_words (widget)))
        g_string_append_printf (out, "\n  %s “%s” (tooltip “%s”)", G_OBJECT_TYPE_NAME (widget),
                                gtk_widget_get_name (widget),
                                gtk_widget_get_tooltip_text (widget));
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, out);
}

/* Issue 14: the HIG's buttons and mnemonics, the places a page hides {{{ */

typedef void (*PlaceCheck) (GtkWidget  *window,
                            const char *where,
                            GString    *faults);

static void
collect_unnamed_at (GtkWidget  *window,
                    const char *where,
                    GString    *faults)
{
  g_autoptr(GString) found = g_string_new (NULL);

  collect_unnamed (window, found);
  if (found->len > 0)
    g_string_append_printf (faults, "\n%s:%s", where, found->str);
}

static gboolean
editor_is_shown (gpointer data)
{
  GtkWidget *page = data;

  return adw_leaflet_get_visible_child (ADW_LEAFLET (find_widget (page, "strategies-leaflet"))) ==
         find_widget (page, "strategies-editor-page");
}

/* Runs @check on what the window's pages show only when asked: the
 * Strategies editor (the leaflet's other child) and, at 360 px, the
 * sidebar (the folded window's first place) and the Markets chart (the
 * list's). */
static void
each_hidden_place (BourseWindow *window,
                   int           width,
                   PlaceCheck    check,
                   GString      *faults)
{
  /* The stack's child is the page's place; the page, made in it when
   * shown, has the actions. */
  GtkWidget *strategies = find_widget (show_page_still (window, "strategies"), "strategies-page");
  g_autofree char *where = NULL;

  g_assert_nonnull (strategies);

  g_assert_true (gtk_widget_activate_action (strategies, "strategies.new", NULL));
  wait_until (editor_is_shown, strategies, "the Strategies editor");
  wait_until_still (window, "the editor to slide in");
  where = g_strdup_printf ("the Strategies editor at %d px", width);
  check (GTK_WIDGET (window), where, faults);
  g_assert_true (gtk_widget_activate_action (strategies, "strategies.back", NULL));
  wait_until_still (window, "the editor to slide out");

  if (width < 600)
    {
      GtkWidget *leaflet = find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_LEAFLET);

      show_markets_chart (window);
      g_free (where);
      where = g_strdup_printf ("the Markets chart at %d px", width);
      check (GTK_WIDGET (window), where, faults);

      adw_leaflet_navigate (ADW_LEAFLET (leaflet), ADW_NAVIGATION_DIRECTION_BACK);
      wait_until_still (window, "the sidebar to slide in");
      g_assert_true (gtk_widget_get_mapped (find_widget (GTK_WIDGET (window), "sidebar-list")));
      g_free (where);
      where = g_strdup_printf ("the sidebar at %d px", width);
      check (GTK_WIDGET (window), where, faults);
    }
}

/* Runs @check on every page at 1280 and at 360 px, and on what the pages
 * show only when asked. */
static void
check_every_place (PlaceCheck  check,
                   GString    *faults)
{
  static const int widths[] = { 1280, 360 };

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      BourseWindow *window = open_full_window (widths[w]);
      g_autoptr(GListModel) pages = NULL;

      /* The console crossfades in over the starting status page (and its
       * Retry). */
      wait_until (stack_transition_is_done, find_widget_of_type (GTK_WIDGET (window), GTK_TYPE_STACK),
                  "the console to be shown");
      pages = G_LIST_MODEL (adw_view_stack_get_pages (ADW_VIEW_STACK (find_widget_of_type (GTK_WIDGET (window),
                                                                                           ADW_TYPE_VIEW_STACK))));
      for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
        {
          g_autoptr(AdwViewStackPage) page = g_list_model_get_item (pages, i);
          g_autofree char *where = g_strdup_printf ("%s at %d px", adw_view_stack_page_get_name (page), widths[w]);

          show_page_still (window, adw_view_stack_page_get_name (page));
          check (GTK_WIDGET (window), where, faults);
        }

      each_hidden_place (window, widths[w], check, faults);
      close_window (window);
    }
}

/* The widget and its nearest named ancestor, for a failure's message. */
static char *
describe_widget (GtkWidget *widget)
{
  g_autoptr(GString) out = g_string_new (NULL);

  return g_strdup (describe_focus (widget, out));
}

/* What is on screen: suggested actions, and the window's mnemonics by
 * their (lower-case) key. */
static void
collect_decisions (GtkWidget  *widget,
                   GPtrArray  *suggested,
                   GHashTable *mnemonics,
                   GString    *faults)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (gtk_widget_has_css_class (widget, "suggested-action"))
    g_ptr_array_add (suggested, describe_widget (widget));

  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)) &&
      gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)) != GDK_KEY_VoidSymbol)
    {
      guint key = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
      g_autofree char *owner = describe_widget (gtk_widget_get_parent (widget));
      g_autofree char *here = g_strdup_printf ("“%s” (%s)", gtk_label_get_label (GTK_LABEL (widget)), owner);
      const char *first = g_hash_table_lookup (mnemonics, GUINT_TO_POINTER (key));

      if (first != NULL)
        g_string_append_printf (faults, "\n    Alt+%s twice: %s and %s", gdk_keyval_name (key), first, here);
      else
        g_hash_table_insert (mnemonics, GUINT_TO_POINTER (key), g_steal_pointer (&here));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_decisions (child, suggested, mnemonics, faults);
}

static void
collect_decisions_at (GtkWidget  *window,
                      const char *where,
                      GString    *faults)
{
  g_autoptr(GPtrArray) suggested = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) mnemonics = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GString) found = g_string_new (NULL);

  collect_decisions (window, suggested, mnemonics, found);
  if (suggested->len > 1)
    {
      g_string_append_printf (found, "\n    %u suggested actions:", suggested->len);
      for (guint i = 0; i < suggested->len; i++)
        g_string_append_printf (found, " %s;", (char *) g_ptr_array_index (suggested, i));
    }
  if (found->len > 0)
    g_string_append_printf (faults, "\n  %s:%s", where, found->str);
}

/* The HIG's decisive buttons: at most one suggested action on screen (the
 * visible page and the window's header bars), and no mnemonic twice among
 * what is visible, on every page at 1280 and 360 px and in what pages
 * show only when asked. */
static void
test_window_hig (void)
{
  g_autoptr(GString) faults = g_string_new (NULL);

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  check_every_place (collect_decisions_at, faults);

  if (faults->len > 0)
    g_error ("Against the HIG:%s", faults->str);
}

/* }}} */

/* Every control without a visible label has an accessible name, on every
 * page, in the window's header bars and in what pages show only when
 * asked, at 1280 and 360 px. */
static void
test_window_accessible_names (void)
{
  g_autoptr(GString) faults = g_string_new (NULL);

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  check_every_place (collect_unnamed_at, faults);

  if (faults->len > 0)
    g_error ("Controls without a name:%s", faults->str);
}

/* }}} */

/* The Users page's empty state {{{ */

static gboolean
owner_offer_is_shown (gpointer data)
{
  return find_toplevel (BOURSE_TYPE_OWNER_DIALOG) != NULL;
}

/* An installation without accounts: a status page, not a dim row. The
 * first sign-up through the API takes its place, in its own group; the
 * accounts, still none, are not shown. */
static void
test_window_empty_users (void)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *url = NULL;
  BourseLocalEngine *bare;
  BourseWindow *window;
  GtkWidget *page;
  GtkWidget *status;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  data_dir = g_build_filename (tmp_dir, "data-without-accounts", NULL);
  bare = start_engine (data_dir, &url);
  window = open_signed_in_window (url, bourse_local_engine_get_token (bare));

  /* The first-run offer of an owner account (test-first-run): later. */
  wait_until (owner_offer_is_shown, NULL, "the owner account offer");
  g_assert_true (gtk_widget_activate_action (find_required (find_toplevel (BOURSE_TYPE_OWNER_DIALOG),
                                                            "later-button"),
                                             "window.close", NULL));

  wait_for_widget (GTK_WIDGET (window), "users-page", NULL, NULL);
  page = find_widget (GTK_WIDGET (window), "users-page");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "users"));
  status = wait_for_status_page (page, "users-empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)), ==, "No Accounts Yet");
  g_assert_false (gtk_widget_is_visible (find_required (page, "accounts-list")));
  g_assert_false (gtk_widget_is_visible (find_required (page, "pending-list")));

  wait_for_topics (window, (const char * const []) { "users", NULL });
  register_user (url, "dora");
  wait_for_widget (page, "user-row-dora", "status-label", "Pending");
  wait_for_status_page_gone (page, "users-empty");
  g_assert_true (gtk_widget_get_mapped (find_required (page, "user-row-dora")));
  g_assert_false (gtk_widget_is_visible (find_required (page, "accounts-list")));

  close_window (window);
  stop_engine (bare);
}

/* }}} */

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

  /* GTK's test context keeps what the widgets tell assistive technology,
   * for /window/accessible-names to read, and needs no bus. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      /* A blinking cursor in a window that has no X focus (no window
       * manager here) makes GTK 4.8 warn "did not receive a focus-out event". */
      g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
    }

  g_test_add_func ("/format/uptime", test_format_uptime);
  g_test_add_func ("/local-engine/failure", test_local_engine_failure);
  g_test_add_func ("/client/base-url", test_client_base_url);
  g_test_add_func ("/client/rest", test_client_rest);
  g_test_add_func ("/client/problem", test_client_problem);
  g_test_add_func ("/client/websocket", test_client_websocket);
  g_test_add_func ("/client/reconnect", test_client_reconnect);
  g_test_add_func ("/window/system-page", test_window_system_page);
  g_test_add_func ("/window/users-page", test_window_users_page);
  g_test_add_func ("/window/audit-page", test_window_audit_page);
  g_test_add_func ("/window/adaptive", test_window_adaptive);
  g_test_add_func ("/window/keyboard", test_window_keyboard);
  g_test_add_func ("/window/page-actions", test_window_page_actions);
  g_test_add_func ("/window/tab-chain", test_window_tab_chain);
  g_test_add_func ("/window/empty-approvals", test_window_empty_approvals);
  g_test_add_func ("/window/empty-users", test_window_empty_users);
  g_test_add_func ("/window/pages-made-when-shown", test_window_pages_made_when_shown);
  g_test_add_func ("/window/accessible-names", test_window_accessible_names);
  g_test_add_func ("/window/hig", test_window_hig);

  ret = g_test_run ();

  if (engine != NULL)
    stop_engine (g_steal_pointer (&engine));
  g_clear_pointer (&engine_url, g_free);

  remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return ret;
}
