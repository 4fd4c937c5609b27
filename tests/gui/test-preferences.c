/* test-preferences.c — sessions and API keys in the preferences, against the
 * real embedded engine
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "bourse-app-util.h"
#include "bourse-desktop-settings.h"
#include "bourse-preferences-window.h"

#include "gui-util.h"

static char *tmp_dir;
static BourseLocalEngine *engine;
static char *engine_url;

/* Helpers {{{ */

static BourseClient *
owner_client (void)
{
  BourseClient *owner = bourse_client_new (engine_url);

  bourse_client_set_token (owner, bourse_local_engine_get_token (engine));

  return owner;
}

/* POST /api/v1/auth/login as @username; returns a client with its token. */
static BourseClient *
sign_in (const char *username)
{
  g_autoptr(BourseClient) anonymous = bourse_client_new (engine_url);
  g_autoptr(JsonNode) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  BourseClient *client;

  body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"" TEST_PASSWORD "\"}", username);
  tokens = request_json (anonymous, "POST", "/api/v1/auth/login", body, &error);
  g_assert_no_error (error);

  client = bourse_client_new (engine_url);
  bourse_client_set_token (client,
                           json_object_get_string_member (json_node_get_object (tokens),
                                                          "access_token"));

  return client;
}

/* The HTTP status of GET /api/v1/users/me sent with @key in X-API-Key. */
static guint
status_with_key (const char *key)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10, NULL);
  g_autofree char *uri = g_strconcat (engine_url, "api/v1/users/me", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", uri);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_suffix (engine_url, "/"));
  soup_message_headers_replace (soup_message_get_request_headers (message), "X-API-Key", key);
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL,
                                    store_result_cb, &result);
  wait_until (pointer_is_set, &result, "GET /api/v1/users/me with an API key");
  bytes = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);

  return soup_message_get_status (message);
}

/* Whether @client's token still works. */
static gboolean
token_works (BourseClient *client)
{
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(GError) error = NULL;

  me = get_json (client, "/api/v1/users/me", &error);
  if (me != NULL)
    return TRUE;

  g_assert_error (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_UNAUTHORIZED);
  return FALSE;
}

/* The key named @name in GET /api/v1/api-keys, or NULL. */
static JsonObject *
dup_key (BourseClient *client,
         const char   *name)
{
  g_autoptr(JsonNode) keys = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *items;

  keys = get_json (client, "/api/v1/api-keys", &error);
  g_assert_no_error (error);
  items = json_object_get_array_member (json_node_get_object (keys), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *key = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (key, "name"), name) == 0)
        return json_object_ref (key);
    }

  return NULL;
}

static BoursePreferencesWindow *
open_preferences (BourseClient *client)
{
  BoursePreferencesWindow *prefs;

  prefs = BOURSE_PREFERENCES_WINDOW (bourse_preferences_window_new (client));
  g_object_ref_sink (prefs);
  gtk_window_present (GTK_WINDOW (prefs));

  return prefs;
}

static void
close_preferences (BoursePreferencesWindow *prefs)
{
  g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *) &prefs);
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_object_unref (prefs);
  wait_until (pointer_is_null, &prefs, "the preferences to be finalized");
}

static gboolean
is_loaded (gpointer data)
{
  return bourse_preferences_window_get_n_sessions (data) >= 0
      && bourse_preferences_window_get_n_keys (data) >= 0;
}

typedef struct
{
  BoursePreferencesWindow *prefs;
  int                      n;
} Count;

static gboolean
has_n_sessions (gpointer data)
{
  Count *count = data;

  return bourse_preferences_window_get_n_sessions (count->prefs) == count->n;
}

static gboolean
has_n_keys (gpointer data)
{
  Count *count = data;

  return bourse_preferences_window_get_n_keys (count->prefs) == count->n;
}

static gboolean
widget_is_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

/* Clicks the dialog's response button, as the user would. */
static void
respond (const char *dialog_name,
         const char *label)
{
  GtkWidget *dialog;
  GtkWidget *button;

  wait_until (named_toplevel_is_shown, (gpointer) dialog_name, dialog_name);
  dialog = find_named_toplevel (dialog_name);
  button = find_button_labelled (dialog, label);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  wait_until (named_toplevel_is_gone, (gpointer) dialog_name, "the dialog to close");
}

/* }}} */

/* An account signed in twice: its sessions, one of them this one; signing
 * out the other ends it. */
static void
test_sessions (void)
{
  g_autoptr(BourseClient) client = NULL;
  g_autoptr(BourseClient) other = NULL;
  g_autoptr(GError) error = NULL;
  BoursePreferencesWindow *prefs;
  GtkWidget *current;
  GtkWidget *row;
  Count count;

  client = sign_in ("alice");
  other = sign_in ("alice");

  prefs = open_preferences (client);
  wait_until (is_loaded, prefs, "the sessions and keys to load");

  g_assert_cmpint (bourse_preferences_window_get_n_sessions (prefs), ==, 2);
  g_assert_null (find_widget (GTK_WIDGET (prefs), "no-sessions-row"));
  current = find_shown (GTK_WIDGET (prefs), "current-session-label");
  g_assert_nonnull (current);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (current)), ==, "This session");

  /* The current session's row has no Sign Out; the other one has. */
  row = gtk_widget_get_ancestor (current, ADW_TYPE_ACTION_ROW);
  g_assert_null (find_shown (row, "sign-out-button"));
  click (find_shown (GTK_WIDGET (prefs), "sign-out-button"));

  count = (Count) { prefs, 1 };
  wait_until (has_n_sessions, &count, "the other session to be signed out");
  /* The list went current: the one row left is this session's, the same row. */
  g_assert_true (find_shown (GTK_WIDGET (prefs), "current-session-label") == current);
  g_assert_null (find_shown (GTK_WIDGET (prefs), "sign-out-button"));
  g_assert_false (token_works (other));
  g_assert_true (token_works (client));

  close_preferences (prefs);

  /* Out of the next test's way. */
  {
    g_autoptr(JsonNode) answer = request_json (client, "POST", "/api/v1/auth/logout", NULL, &error);

    g_assert_no_error (error);
  }
}

/* A key made through the form is shown once, listed, and refused once
 * revoked through the page. */
static void
test_api_keys (void)
{
  g_autoptr(BourseClient) client = NULL;
  g_autoptr(JsonObject) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *row_name = NULL;
  BoursePreferencesWindow *prefs;
  GtkWidget *dialog;
  GtkWidget *row;
  Count count;

  client = sign_in ("alice");
  prefs = open_preferences (client);
  wait_until (is_loaded, prefs, "the sessions and keys to load");
  g_assert_cmpint (bourse_preferences_window_get_n_sessions (prefs), ==, 1);
  g_assert_cmpint (bourse_preferences_window_get_n_keys (prefs), ==, 0);
  g_assert_nonnull (find_widget (GTK_WIDGET (prefs), "no-keys-row"));

  /* No name, no key. */
  g_assert_false (gtk_widget_get_sensitive (find_widget (GTK_WIDGET (prefs), "create-key-button")));

  gtk_editable_set_text (GTK_EDITABLE (find_widget (GTK_WIDGET (prefs), "key-name-row")), "ci-bot");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_widget (GTK_WIDGET (prefs), "key-role-row")), 1);
  click (find_widget (GTK_WIDGET (prefs), "create-key-button"));

  wait_until (named_toplevel_is_shown, (gpointer) "new-key-dialog", "the new key to be shown");
  dialog = find_named_toplevel ("new-key-dialog");
  key = g_strdup (label_text (dialog, "new-key-label"));
  g_assert_true (g_str_has_prefix (key, "bk_"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "it will not be shown again"));
  g_assert_nonnull (find_widget (dialog, "copy-key-button"));
  respond ("new-key-dialog", "_Done");

  /* The form is ready for the next one. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_widget (GTK_WIDGET (prefs),
                                                                     "key-name-row"))), ==, "");

  listed = dup_key (client, "ci-bot");
  g_assert_nonnull (listed);
  g_assert_cmpstr (json_object_get_string_member (listed, "role"), ==, "trader");
  g_assert_true (g_str_has_prefix (key, json_object_get_string_member (listed, "prefix")));
  g_assert_true (json_object_get_null_member (listed, "revoked_at"));
  g_assert_cmpuint (status_with_key (key), ==, SOUP_STATUS_OK);

  count = (Count) { prefs, 1 };
  wait_until (has_n_keys, &count, "the new key's row");
  row_name = g_strdup_printf ("api-key-row-%" G_GINT64_FORMAT,
                              json_object_get_int_member (listed, "id"));
  row = find_widget (GTK_WIDGET (prefs), row_name);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "ci-bot");

  /* Revoking asks first; cancelling keeps the key. */
  click (find_shown (row, "revoke-button"));
  respond ("revoke-key-dialog", "_Cancel");
  spin (200);
  g_assert_cmpuint (status_with_key (key), ==, SOUP_STATUS_OK);

  row = find_widget (GTK_WIDGET (prefs), row_name);
  click (find_shown (row, "revoke-button"));
  respond ("revoke-key-dialog", "_Revoke");

  /* The page reloads: the row stays, greyed, without its button. */
  {
    gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

    while ((row = find_widget (GTK_WIDGET (prefs), row_name)) == NULL
           || find_shown (row, "revoke-button") != NULL)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        spin (50);
      }
  }
  g_assert_true (gtk_widget_has_css_class (row, "dim-label"));
  g_assert_cmpuint (status_with_key (key), ==, SOUP_STATUS_UNAUTHORIZED);

  close_preferences (prefs);

  /* An administrator sees everyone's sessions: leave none for the next test. */
  {
    g_autoptr(JsonNode) answer = request_json (client, "POST", "/api/v1/auth/logout", NULL, &error);

    g_assert_no_error (error);
  }
}

/* The desktop's own owner has no account, hence no session of its own:
 * as the engine's owner it sees everyone's, by whose they are; and a key is
 * refused with the API's reason rather than a dialog. */
static void
test_local_owner (void)
{
  g_autoptr(BourseClient) owner = owner_client ();
  g_autoptr(BourseClient) alice = sign_in ("alice");
  g_autoptr(JsonNode) sessions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *row_name = NULL;
  BoursePreferencesWindow *prefs;
  GtkWidget *button;
  GtkWidget *row;

  sessions = get_json (alice, "/api/v1/sessions?scope=own", &error);
  g_assert_no_error (error);
  row_name = g_strdup_printf ("session-row-%" G_GINT64_FORMAT,
                              json_object_get_int_member (json_array_get_object_element (
                                json_object_get_array_member (json_node_get_object (sessions), "items"), 0), "id"));

  prefs = open_preferences (owner);
  wait_until (is_loaded, prefs, "the sessions and keys to load");

  g_assert_cmpint (bourse_preferences_window_get_n_sessions (prefs), ==, 1);
  g_assert_null (find_widget (GTK_WIDGET (prefs), "no-sessions-row"));
  row = find_widget (GTK_WIDGET (prefs), row_name);
  g_assert_nonnull (row);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "alice · "));
  g_assert_nonnull (find_shown (row, "sign-out-button"));

  gtk_editable_set_text (GTK_EDITABLE (find_widget (GTK_WIDGET (prefs), "key-name-row")), "mine");
  button = find_widget (GTK_WIDGET (prefs), "create-key-button");
  click (find_widget (GTK_WIDGET (prefs), "create-key-button"));
  /* Insensitive while the request is under way, sensitive once answered. */
  wait_until (widget_is_sensitive, button, "the refusal");
  spin (100);
  g_assert_null (find_named_toplevel ("new-key-dialog"));
  /* The name stays, to correct and try again. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_widget (GTK_WIDGET (prefs),
                                                                     "key-name-row"))), ==, "mine");

  close_preferences (prefs);

  {
    g_autoptr(JsonNode) answer = request_json (alice, "POST", "/api/v1/auth/logout", NULL, &error);

    g_assert_no_error (error);
  }
}

static gboolean
color_scheme_is_dark (gpointer data)
{
  return adw_style_manager_get_color_scheme (adw_style_manager_get_default ()) == ADW_COLOR_SCHEME_FORCE_DARK;
}

/* The General page: each choice lands in GSettings, and what follows the
 * settings (as the application does) applies it. */
static void
test_general (void)
{
  g_autoptr(BourseClient) owner = owner_client ();
  g_autoptr(GSettings) settings = bourse_settings_new ();
  g_autoptr(GVariant) saved = NULL;
  g_autofree char *value = NULL;
  g_autofree char *shown = NULL;
  BoursePreferencesWindow *prefs;
  GtkWidget *page;
  GtkWidget *row;

  g_assert_nonnull (settings);
  bourse_settings_follow (settings);
  prefs = open_preferences (owner);
  page = find_widget (GTK_WIDGET (prefs), "general-page");
  g_assert_nonnull (page);
  g_assert_true (gtk_widget_get_visible (page));

  /* Appearance: Dark. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_widget (page, "color-scheme-row")), 2);
  value = g_settings_get_string (settings, "color-scheme");
  g_assert_cmpstr (value, ==, "dark");
  wait_until (color_scheme_is_dark, NULL, "the dark style");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_widget (page, "color-scheme-row")), 0);
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_DEFAULT);

  /* The time zone times are shown in. */
  row = find_widget (page, "time-zone-row");
  for (guint i = 0; i < g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (row))); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (ADW_COMBO_ROW (row))), i),
                   "Asia/Tokyo") == 0)
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
  g_free (value);
  value = g_settings_get_string (settings, "time-zone");
  g_assert_cmpstr (value, ==, "Asia/Tokyo");
  shown = bourse_format_local_time ("2026-01-02T12:00:00.000Z");
  g_assert_cmpstr (shown, ==, "2026-01-02 21:00:00");
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);
  g_free (value);
  value = g_settings_get_string (settings, "time-zone");
  g_assert_cmpstr (value, ==, "");

  /* Desktop notifications: on by default, and the switch is the setting. */
  g_assert_true (bourse_settings_get_desktop_notifications ());
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (find_widget (page, "desktop-notifications-switch"))));
  gtk_switch_set_active (GTK_SWITCH (find_widget (page, "desktop-notifications-switch")), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "desktop-notifications"));
  g_assert_false (bourse_settings_get_desktop_notifications ());
  gtk_switch_set_active (GTK_SWITCH (find_widget (page, "desktop-notifications-switch")), TRUE);
  g_assert_true (bourse_settings_get_desktop_notifications ());

  /* The chart's default interval. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_widget (page, "interval-row")), 3);
  g_free (value);
  value = bourse_settings_dup_default_interval ();
  g_assert_cmpstr (value, ==, "1h");

  /* A saved server: only a real address may be added; it becomes a row
   * and a choice to start with, and forgetting it forgets that too. */
  gtk_editable_set_text (GTK_EDITABLE (find_widget (page, "server-name-row")), "Desk");
  gtk_editable_set_text (GTK_EDITABLE (find_widget (page, "server-url-row")), "not a url");
  g_assert_false (gtk_widget_get_sensitive (find_widget (page, "add-server-button")));
  gtk_editable_set_text (GTK_EDITABLE (find_widget (page, "server-url-row")), "https://desk.example.com:8470/");
  g_assert_true (gtk_widget_get_sensitive (find_widget (page, "add-server-button")));
  click (find_widget (page, "add-server-button"));
  saved = g_settings_get_value (settings, "saved-connections");
  g_assert_cmpuint (g_variant_n_children (saved), ==, 1);
  row = find_widget (page, "server-row-0");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Desk");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_widget (page, "server-name-row"))), ==, "");

  adw_combo_row_set_selected (ADW_COMBO_ROW (find_widget (page, "start-row")), 1);
  g_free (value);
  value = g_settings_get_string (settings, "last-connection");
  g_assert_cmpstr (value, ==, "https://desk.example.com:8470/");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "prefs.remove-server", "s",
                                             "https://desk.example.com:8470/"));
  g_clear_pointer (&saved, g_variant_unref);
  saved = g_settings_get_value (settings, "saved-connections");
  g_assert_cmpuint (g_variant_n_children (saved), ==, 0);
  g_free (value);
  value = g_settings_get_string (settings, "last-connection");
  g_assert_cmpstr (value, ==, "");
  g_assert_null (find_widget (page, "server-row-0"));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find_widget (page, "start-row"))), ==, 0);

  close_preferences (prefs);
  g_settings_reset (settings, "default-interval");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("bourse-gui-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      static const char *vars[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME" };
      g_autofree char *dir = g_build_filename (tmp_dir, vars[i], NULL);

      g_setenv (vars[i], dir, TRUE);
    }

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("No display");
      remove_tree (tmp_dir);
      g_clear_pointer (&tmp_dir, g_free);
      return 77;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  data_dir = g_build_filename (tmp_dir, "data", NULL);
  engine = start_engine (data_dir, &engine_url);
  {
    g_autoptr(BourseClient) owner = owner_client ();

    create_user (owner, "alice", "trader");
  }

  g_test_add_func ("/preferences/sessions", test_sessions);
  g_test_add_func ("/preferences/api-keys", test_api_keys);
  g_test_add_func ("/preferences/local-owner", test_local_owner);
  g_test_add_func ("/preferences/general", test_general);

  ret = g_test_run ();

  stop_engine (g_steal_pointer (&engine));
  g_clear_pointer (&engine_url, g_free);

  remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return ret;
}
