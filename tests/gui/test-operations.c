/* test-operations.c — Settings, Logs, component health on the System page,
 * and the notification preferences
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the real engine and server in this thread (tests/integration's
 * BourseTestServer), so that the test can log through the ring and move a
 * component's health in the engine's own registry. What the pages send is
 * checked by reading it back through the API.
 */

#include "config.h"

#include <string.h>

#include "core/bourse-health.h"
#include "core/bourse-log.h"

#include "bourse-logs-page.h"
#include "bourse-notifications-page.h"
#include "bourse-owner-dialog.h"
#include "bourse-preferences-window.h"
#include "bourse-settings-page.h"
#include "bourse-window.h"

#include "../integration/desk-test-util.h"
#include "gui-util.h"

static char *tmp_dir;

/* Helpers {{{ */

typedef struct
{
  BourseTestServer *server;
  const char       *section;
  const char       *key;
  const char       *value;    /* as text */
} ConfigQuery;

/* The value GET /api/v1/config/{section} gives a key, as text. */
static char *
dup_config_value (BourseTestServer *server,
                  const char       *section,
                  const char       *key)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/config/%s", section);
  g_autoptr(JsonNode) answer = desk_expect (server, "GET", path, NULL, NULL, 200);
  JsonArray *keys = json_object_get_array_member (desk_object (answer), "keys");

  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonObject *spec = json_array_get_object_element (keys, i);
      JsonNode *value = json_object_get_member (spec, "value");

      if (!g_str_equal (json_object_get_string_member (spec, "key"), key))
        continue;
      if (json_node_get_value_type (value) == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
      return g_strdup (json_node_get_string (value));
    }

  g_error ("No key %s.%s", section, key);
}

/* Conditions that ask the API do so at most every 100 ms: the server's
 * rate limit would refuse a request per turn of the main loop. */
static gboolean
asked_recently (void)
{
  static gint64 last_us = 0;
  gint64 now_us = g_get_monotonic_time ();

  if (now_us - last_us < 100 * 1000)
    return TRUE;
  last_us = now_us;
  return FALSE;
}

static gboolean
config_is (gpointer data)
{
  ConfigQuery *query = data;
  g_autofree char *value = NULL;

  if (asked_recently ())
    return FALSE;
  value = dup_config_value (query->server, query->section, query->key);

  return g_strcmp0 (value, query->value) == 0;
}

static gboolean
settings_are_loaded (gpointer data)
{
  GtkWidget *page = find_widget (data, "settings-page");

  return page != NULL && bourse_settings_page_get_n_sections (BOURSE_SETTINGS_PAGE (page)) > 0;
}

static gboolean
has_error_class (gpointer data)
{
  return gtk_widget_has_css_class (data, "error");
}

static gboolean
is_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

static gboolean
smtp_password_is_set (gpointer data)
{
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *keys;

  if (asked_recently ())
    return FALSE;
  answer = desk_expect (data, "GET", "/api/v1/config/notify", NULL, NULL, 200);
  keys = json_object_get_array_member (desk_object (answer), "keys");
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonObject *spec = json_array_get_object_element (keys, i);

      if (g_str_equal (json_object_get_string_member (spec, "key"), "smtp_password"))
        return json_object_get_boolean_member_with_default (spec, "set", FALSE);
    }

  return FALSE;
}

/* Empty again, its placeholder saying that it is set; never the value. */
static gboolean
secret_shows_set (gpointer data)
{
  GtkWidget *entry = find_widget (data, "config-value-notify.smtp_password");
  g_autofree char *placeholder = NULL;

  if (entry == NULL || gtk_editable_get_text (GTK_EDITABLE (entry))[0] != '\0')
    return FALSE;
  g_object_get (entry, "placeholder-text", &placeholder, NULL);

  return g_str_has_prefix (placeholder, "Set");
}

static gboolean
orders_limit_is_77 (gpointer data)
{
  GtkWidget *editor = find_widget (data, "config-value-rate_limit.orders_per_minute");

  return editor != NULL && gtk_spin_button_get_value (GTK_SPIN_BUTTON (editor)) == 77;
}

/* Written whole: a new file is written in place. */
static gboolean
file_is_written (gpointer data)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (data, &contents, NULL, NULL) && g_str_has_suffix (contents, "\n");
}

typedef struct
{
  BourseLogsPage *page;
  const char     *text;
} LogQuery;

static gboolean
log_is_shown (gpointer data)
{
  LogQuery *query = data;

  return bourse_logs_page_find_message (query->page, query->text) != NULL;
}

typedef struct
{
  GtkWidget  *root;
  const char *name;
  const char *css_class;
} ClassQuery;

static gboolean
named_has_class (gpointer data)
{
  ClassQuery *query = data;
  GtkWidget *widget = find_widget (query->root, query->name);
  GtkWidget *label = widget ? find_widget (widget, "component-status") : NULL;

  return label != NULL && gtk_widget_has_css_class (label, query->css_class);
}

static void
show_page (BourseWindow *window,
           const char   *name)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", name));
}

/* With BOURSE_TEST_SCREENSHOTS=DIR, the screen as it is now, for a person
 * to look at (`import -window root`); nothing otherwise. */
static void
screenshot (const char *name)
{
  const char *dir = g_getenv ("BOURSE_TEST_SCREENSHOTS");
  g_autofree char *path = NULL;
  g_autofree char *command = NULL;
  GtkWidget *owner;

  if (dir == NULL)
    return;

  /* The first-run offer of an owner account would cover the page. */
  spin (1500);
  if ((owner = find_toplevel (BOURSE_TYPE_OWNER_DIALOG)) != NULL)
    gtk_window_destroy (GTK_WINDOW (owner));
  spin (500);
  path = g_build_filename (dir, name, NULL);
  command = g_strdup_printf ("import -window root %s", path);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
}

/* }}} */

/* Settings: the sections from the real API, an edit applied, a refusal on
 * its row, import with its dry run, export. */
static void
test_settings (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  BourseWindow *window = open_signed_in_window (server->base_url, server->token);
  static const char * const topics[] = { "config", NULL };
  g_autofree char *import_path = g_build_filename (tmp_dir, "import.conf", NULL);
  g_autofree char *export_path = g_build_filename (tmp_dir, "export.conf", NULL);
  g_autofree char *exported = NULL;
  g_autoptr(GFile) import_file = g_file_new_for_path (import_path);
  g_autoptr(GFile) export_file = g_file_new_for_path (export_path);
  g_autoptr(JsonNode) config = NULL;
  BourseSettingsPage *page;
  GtkWidget *row;
  GtkWidget *dialog;
  ConfigQuery query;

  /* The page and its rows are made when it is first shown; its place in
   * the sidebar once the permissions are in. */
  page = BOURSE_SETTINGS_PAGE (show_listed_page (window, "settings", "settings-page"));
  wait_until (settings_are_loaded, window, "the Settings page to list the sections");

  /* Every section of the API is a group. */
  config = desk_expect (server, "GET", "/api/v1/config", NULL, NULL, 200);
  g_assert_cmpuint (bourse_settings_page_get_n_sections (page), ==,
                    json_array_get_length (json_object_get_array_member (desk_object (config), "sections")));
  g_assert_nonnull (find_required (page, "section-rate_limit"));
  g_assert_true (GTK_IS_SPIN_BUTTON (find_required (page, "config-value-rate_limit.auth_per_minute")));
  g_assert_true (GTK_IS_SWITCH (find_required (page, "config-value-rate_limit.enabled")));
  g_assert_true (GTK_IS_ENTRY (find_required (page, "config-value-paper.taker_fee")));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_required (find_required (page, "config-rate_limit.auth_per_minute"),
                                                                  "config-source"))), ==, "Default");
  g_assert_false (gtk_widget_get_sensitive (find_required (page, "apply-rate_limit")));
  wait_for_topics (window, topics);

  /* An edit applied reaches the API. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_required (page, "config-value-rate_limit.auth_per_minute")), 42);
  click (find_required (page, "apply-rate_limit"));
  query = (ConfigQuery) { server, "rate_limit", "auth_per_minute", "42" };
  wait_until (config_is, &query, "rate_limit.auth_per_minute to be 42");
  row = wait_for_widget_named (page, "config-rate_limit.auth_per_minute");
  g_assert_false (gtk_widget_get_sensitive (find_required (page, "apply-rate_limit")));

  /* A bad value: the server's words on its row. */
  gtk_editable_set_text (GTK_EDITABLE (find_required (page, "config-value-paper.taker_fee")), "5");
  wait_until (is_sensitive, find_required (page, "apply-paper"), "Apply to be offered");
  click (find_required (page, "apply-paper"));
  row = find_required (page, "config-paper.taker_fee");
  wait_until (has_error_class, row, "the refused fee's row to turn red");
  screenshot ("settings-refused.png");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), !=, NULL);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), !=,
                   gtk_widget_get_tooltip_text (find_required (row, "config-source")));
  {
    g_autofree char *fee = dup_config_value (server, "paper", "taker_fee");

    g_assert_cmpstr (fee, ==, "0.001");
  }

  /* A secret: typed, applied, then shown only as set. */
  g_assert_true (GTK_IS_PASSWORD_ENTRY (find_required (page, "config-value-notify.smtp_password")));
  gtk_editable_set_text (GTK_EDITABLE (find_required (page, "config-value-notify.smtp_password")), "hunter2-gui");
  click (find_required (page, "apply-notify"));
  wait_until (smtp_password_is_set, server, "the secret to be set");
  wait_until (secret_shows_set, page, "the secret's row to say it is set");

  /* A change made elsewhere comes on the config topic. */
  g_clear_pointer (&config, json_node_unref);
  config = desk_expect (server, "PUT", "/api/v1/config/rate_limit", NULL, "{\"orders_per_minute\":77}", 200);
  wait_until (orders_limit_is_77, page, "the change made elsewhere to be shown");

  /* Import: the dry run's changes first, then applied. */
  g_assert_true (g_file_set_contents (import_path, "[rate_limit]\nmarket_per_minute = 333\n", -1, NULL));
  bourse_settings_page_import_file (page, import_file);
  wait_until (named_toplevel_is_shown, (gpointer) "config-import-dialog", "the import's changes");
  dialog = find_named_toplevel ("config-import-dialog");
  screenshot ("settings-import.png");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "rate_limit.market_per_minute"));
  {
    g_autofree char *before = dup_config_value (server, "rate_limit", "market_per_minute");

    g_assert_cmpstr (before, ==, "200");
  }
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "import");
  query = (ConfigQuery) { server, "rate_limit", "market_per_minute", "333" };
  wait_until (config_is, &query, "the import to apply");

  /* Export: the server's file, written where asked. */
  bourse_settings_page_export_file (page, export_file);
  wait_until (file_is_written, export_path, "the export to be written");
  g_assert_true (g_file_get_contents (export_path, &exported, NULL, NULL));
  g_assert_nonnull (strstr (exported, "auth_per_minute=42"));

  close_window (window);
  bourse_test_server_free (server);
}

/* Logs: a message logged by the engine's process is listed; new ones follow,
 * wait while paused, and are found by the search. */
static void
test_logs (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  static const char * const topics[] = { "logs", NULL };
  BourseWindow *window;
  BourseLogsPage *page;
  LogQuery query;

  g_log ("Bourse-Test", G_LOG_LEVEL_MESSAGE, "logged before the window opened");

  window = open_signed_in_window (server->base_url, server->token);
  page = BOURSE_LOGS_PAGE (show_listed_page (window, "logs", "logs-page"));
  query = (LogQuery) { page, "logged before the window opened" };
  wait_until (log_is_shown, &query, "the earlier message to be listed");
  wait_for_topics (window, topics);

  g_log ("Bourse-Test", G_LOG_LEVEL_MESSAGE, "logged while the page follows");
  query = (LogQuery) { page, "logged while the page follows" };
  wait_until (log_is_shown, &query, "the new message to be followed");
  /* Newest first. */
  g_assert_true (bourse_logs_page_find_message (page, "logged while the page follows") ==
                 bourse_logs_page_find_message (page, "logged"));

  /* Paused, a new message waits, counted. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_required (page, "logs-pause")), TRUE);
  g_log ("Bourse-Test", G_LOG_LEVEL_MESSAGE, "logged while paused");
  wait_until ((gboolean (*) (gpointer)) gtk_widget_get_visible, find_required (page, "logs-pending"),
              "the waiting message to be counted");
  g_assert_null (bourse_logs_page_find_message (page, "logged while paused"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_required (page, "logs-pause")), FALSE);
  g_assert_nonnull (bourse_logs_page_find_message (page, "logged while paused"));
  screenshot ("logs.png");

  /* Another page shown, a new message waits for the page to be shown. */
  show_page (window, "system");
  g_log ("Bourse-Test", G_LOG_LEVEL_MESSAGE, "logged while hidden");
  query = (LogQuery) { page, "logged while hidden" };
  spin (300);
  g_assert_null (bourse_logs_page_find_message (page, "logged while hidden"));
  show_page (window, "logs");
  wait_until (log_is_shown, &query, "the message logged while hidden, once shown");
  query = (LogQuery) { page, "logged while the page follows" };

  /* Another level asks the server again: the list is made anew. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_required (page, "logs-level")), 2);
  wait_until (log_is_shown, &query, "the list at Message and above");
  g_assert_null (bourse_logs_page_find_message (page, "GET /api/v1/"));

  /* The search hides the others. */
  gtk_editable_set_text (GTK_EDITABLE (find_required (page, "logs-search")), "BEFORE THE WINDOW");
  gtk_list_box_invalidate_filter (GTK_LIST_BOX (find_required (page, "logs-list")));
  spin (50);
  g_assert_null (bourse_logs_page_find_message (page, "logged while paused"));
  g_assert_nonnull (bourse_logs_page_find_message (page, "logged before the window opened"));

  close_window (window);
  bourse_test_server_free (server);
}

/* Component health: listed from the API, turned by the alerts topic. */
static void
test_components (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  BourseHealth *health = bourse_engine_get_health (server->engine);
  static const char * const topics[] = { "alerts", NULL };
  BourseWindow *window;
  GtkWidget *page;
  GtkWidget *row;
  ClassQuery query;

  bourse_health_set (health, "gui-test", BOURSE_HEALTH_OK, NULL);

  window = open_signed_in_window (server->base_url, server->token);
  show_page (window, "system");
  page = find_required (window, "components-group");
  query = (ClassQuery) { page, "component-gui-test", "success" };
  wait_until (named_has_class, &query, "the component to be listed as OK");
  wait_for_topics (window, topics);

  bourse_health_set (health, "gui-test", BOURSE_HEALTH_DOWN, "unplugged by the test");
  query = (ClassQuery) { page, "component-gui-test", "error" };
  wait_until (named_has_class, &query, "the component to turn down");
  row = find_required (page, "component-gui-test");
  screenshot ("components.png");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "unplugged by the test"));

  close_window (window);
  bourse_test_server_free (server);
}

static gboolean
prefs_are_loaded (gpointer data)
{
  return bourse_notifications_page_get_n_events (data) > 0 &&
         bourse_notifications_page_get_n_devices (data) >= 0;
}

static gboolean
device_count_is_one (gpointer data)
{
  return bourse_notifications_page_get_n_devices (data) == 1;
}

static gboolean
device_count_is_zero (gpointer data)
{
  return bourse_notifications_page_get_n_devices (data) == 0;
}

typedef struct
{
  BourseTestServer *server;
  const char       *token;
  const char       *topic;
} TopicQuery;

static gboolean
ntfy_topic_is (gpointer data)
{
  TopicQuery *query = data;
  g_autoptr(JsonNode) prefs = NULL;

  if (asked_recently ())
    return FALSE;
  prefs = desk_expect (query->server, "GET", "/api/v1/notifications/preferences",
                       query->token, NULL, 200);

  return g_strcmp0 (json_object_get_string_member_with_default (desk_object (prefs), "ntfy_topic", NULL),
                    query->topic) == 0;
}

/* Preferences → Notifications: the rows load, and save. */
static void
test_notification_prefs (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autoptr(BourseClient) client = bourse_client_new (server->base_url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) prefs = NULL;
  g_autofree char *token = NULL;
  g_autofree char *device_row = NULL;
  BourseNotificationsPage *page;
  GtkWidget *window;
  TopicQuery query;
  guint status = 0;

  prefs = desk_fetch (server, "GET", "/api/v1/notifications/preferences", NULL, NULL, &status);
  if (status == 404)
    {
      g_test_skip ("No notification preferences in this server yet");
      bourse_test_server_free (server);
      return;
    }

  /* The local owner has no account to keep preferences in: a trader's. */
  desk_create_user (server, "tess", "trader");
  token = desk_login (server, "tess", "trader");
  bourse_client_set_token (client, token);
  bourse_client_load_permissions_async (client, NULL, store_result_cb, &result);
  wait_until (pointer_is_set, &result, "the permissions");
  g_assert_true (bourse_client_load_permissions_finish (client, result, &error));

  window = bourse_preferences_window_new (client);
  gtk_window_present (GTK_WINDOW (window));
  page = BOURSE_NOTIFICATIONS_PAGE (wait_for_widget_named (window, "notifications-page"));
  wait_until (prefs_are_loaded, page, "the notification preferences");
  g_assert_nonnull (find_required (page, "notify-approval.pending-desktop"));
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  screenshot ("notifications.png");

  /* Email off for approvals, and a topic of one's own. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_required (page, "notify-approval.pending-email")), FALSE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_required (page, "notify-approval.pending-desktop")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (find_required (page, "ntfy-topic-row")), "bourse-gui-test");
  click (find_required (page, "notify-save-button"));
  query = (TopicQuery) { server, token, "bourse-gui-test" };
  wait_until (ntfy_topic_is, &query, "the ntfy topic to be saved");
  {
    g_autoptr(JsonNode) saved = desk_expect (server, "GET", "/api/v1/notifications/preferences", token, NULL, 200);
    JsonArray *chosen = json_object_get_array_member (json_object_get_object_member (desk_object (saved), "events"),
                                                      "approval.pending");
    gboolean email = FALSE, desktop = FALSE;

    for (guint i = 0; i < json_array_get_length (chosen); i++)
      {
        email |= g_str_equal (json_array_get_string_element (chosen, i), "email");
        desktop |= g_str_equal (json_array_get_string_element (chosen, i), "desktop");
      }
    g_assert_false (email);
    g_assert_true (desktop);
  }

  /* A device added, listed, removed. */
  gtk_editable_set_text (GTK_EDITABLE (find_required (page, "device-name-row")), "Test phone");
  gtk_editable_set_text (GTK_EDITABLE (find_required (page, "device-token-row")), "fcm-token-for-the-gui-test-123456");
  click (find_required (page, "add-device-button"));
  wait_until (device_count_is_one, page, "the device to be listed");
  /* The list went current: the row is the device the server has. */
  {
    g_autoptr(JsonNode) devices = desk_expect (server, "GET", "/api/v1/devices", token, NULL, 200);
    JsonArray *items = json_object_get_array_member (desk_object (devices), "items");
    GtkWidget *row;

    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    device_row = g_strdup_printf ("device-%" G_GINT64_FORMAT,
                                  json_object_get_int_member (json_array_get_object_element (items, 0), "id"));
    row = find_required (page, device_row);
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Test phone");
    g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "…123456"));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_required (page, "device-name-row"))), ==, "");
    click (find_required (row, "remove-device-button"));
  }
  wait_until (device_count_is_zero, page, "the device to be removed");
  g_assert_null (find_widget (GTK_WIDGET (page), device_row));

  gtk_window_destroy (GTK_WINDOW (window));
  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!gui_test_init (&argc, &argv, &tmp_dir))
    return 0;

  /* As the application does for its engine: messages go through the ring. */
  bourse_log_init (BOURSE_LOG_FORMAT_TEXT, G_LOG_LEVEL_INFO);
  /* GLib's tests print debug messages, which the writer then keeps too:
   * libsoup's for each WebSocket frame would feed the logs topic its own
   * deliveries without end. Info and above, as the application logs. */
  g_log_set_debug_enabled (FALSE);
  /* Screenshots show pages, not half-way through a cross-fade. */
  if (g_getenv ("BOURSE_TEST_SCREENSHOTS") != NULL)
    g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/operations/settings", test_settings);
  g_test_add_func ("/operations/logs", test_logs);
  g_test_add_func ("/operations/components", test_components);
  g_test_add_func ("/operations/notification-prefs", test_notification_prefs);

  ret = g_test_run ();

  gui_test_cleanup (&tmp_dir);

  return ret;
}
