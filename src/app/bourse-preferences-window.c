/* bourse-preferences-window.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bourse-api-key-row.h"
#include "bourse-app-util.h"
#include "bourse-desktop-settings.h"
#include "bourse-exchange-page.h"
#include "bourse-notifications-page.h"
#include "bourse-preferences-window.h"
#include "bourse-session-row.h"
#include "client/bourse-client-store.h"

struct _BoursePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  BourseClient         *client;
  GCancellable         *cancellable;   /* loads and actions; cancelled on dispose */

  BourseClientStore    *sessions;      /* NULL until the permissions say whose */
  gboolean              loading_permissions;
  GtkWidget            *no_sessions_row;
  BourseClientStore    *keys;
  GtkSorter            *keys_sorter;
  GtkWidget            *no_keys_row;
  gboolean              creating;      /* a POST /api/v1/api-keys is under way */
  gboolean              local_owner;   /* signed in without an account: this engine's owner */

  AdwPreferencesGroup  *sessions_group;
  GtkListBox           *sessions_list;
  AdwPreferencesGroup  *keys_group;
  GtkListBox           *keys_list;
  AdwEntryRow          *key_name_row;
  AdwComboRow          *key_role_row;

  GSettings            *settings;      /* NULL without the schema: no General page */
  GPtrArray            *server_rows;
  gboolean              updating_servers;
  AdwPreferencesPage   *general_page;
  AdwComboRow          *color_scheme_row;
  AdwComboRow          *time_zone_row;
  AdwComboRow          *interval_row;
  GtkSwitch            *desktop_notifications_switch;
  AdwPreferencesGroup  *servers_group;
  AdwComboRow          *start_row;
  AdwEntryRow          *server_name_row;
  AdwEntryRow          *server_url_row;
};

G_DEFINE_FINAL_TYPE (BoursePreferencesWindow, bourse_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* In the order of the role row's model. */
static const char *key_roles[] = { "viewer", "trader", "admin" };

static void bourse_preferences_window_load_sessions (BoursePreferencesWindow *self);
static void bourse_preferences_window_load_keys     (BoursePreferencesWindow *self);

static void
bourse_preferences_window_toast (BoursePreferencesWindow *self,
                                 const char              *message)
{
  g_assert (BOURSE_IS_PREFERENCES_WINDOW (self));

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

static void
bourse_preferences_window_clear_rows (GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      AdwPreferencesGroup *group;

      group = ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP));
      if (group != NULL)
        adw_preferences_group_remove (group, row);
    }
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
placeholder_row_new (const char *title,
                     const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "dim-label");

  return row;
}

/* A list box of @group bound to @model shows once there is something in
 * it; once @loaded and while it is empty, a placeholder row says why. */
static void
sync_list (AdwPreferencesGroup  *group,
           GtkListBox           *list,
           GListModel           *model,
           gboolean              loaded,
           GtkWidget           **placeholder,
           const char           *name,
           const char           *title,
           const char           *subtitle)
{
  guint n_items = g_list_model_get_n_items (model);
  gboolean empty = loaded && n_items == 0;

  gtk_widget_set_visible (GTK_WIDGET (list), n_items > 0);

  if (empty && *placeholder == NULL)
    {
      *placeholder = placeholder_row_new (title, subtitle);
      gtk_widget_set_name (*placeholder, name);
      adw_preferences_group_add (group, *placeholder);
    }
  else if (!empty && *placeholder != NULL)
    {
      adw_preferences_group_remove (group, *placeholder);
      *placeholder = NULL;
    }
}

/* General {{{ */

static const char * const color_schemes[] = { "default", "light", "dark", NULL };

/* Offered beside the system's; one chosen elsewhere is added to them. */
static const char * const common_time_zones[] = {
  "UTC", "America/New_York", "America/Chicago", "America/Los_Angeles", "America/Sao_Paulo",
  "Europe/London", "Europe/Berlin", "Europe/Zurich", "Asia/Dubai", "Asia/Kolkata", "Asia/Singapore",
  "Asia/Hong_Kong", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", NULL,
};

/* A string key ↔ a combo row's position in a NULL-terminated list of
 * values (@user_data); a value not in it is the first. */
static gboolean
position_from_value (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  const char * const *values = user_data;
  const char *text = g_variant_get_string (variant, NULL);

  g_value_set_uint (value, 0);
  for (guint i = 0; values[i] != NULL; i++)
    if (g_str_equal (values[i], text))
      g_value_set_uint (value, i);
  return TRUE;
}

static GVariant *
value_from_position (const GValue       *value,
                     const GVariantType *type,
                     gpointer            user_data)
{
  const char * const *values = user_data;
  guint position = g_value_get_uint (value);

  if (position >= g_strv_length ((char **) values))
    return NULL;
  return g_variant_new_string (values[position]);
}

static void
bourse_preferences_window_bind_time_zones (BoursePreferencesWindow *self)
{
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *chosen = g_settings_get_string (self->settings, "time-zone");
  g_autofree char *system = NULL;

  /* Translators: the time zone of the computer, and its name */
  system = g_strdup_printf (_("System (%s)"), g_time_zone_get_identifier (local));
  g_strv_builder_add (values, "");
  gtk_string_list_append (names, system);
  for (guint i = 0; common_time_zones[i] != NULL; i++)
    {
      g_strv_builder_add (values, common_time_zones[i]);
      gtk_string_list_append (names, common_time_zones[i]);
    }
  if (chosen[0] != '\0' && !g_strv_contains (common_time_zones, chosen))
    {
      g_strv_builder_add (values, chosen);
      gtk_string_list_append (names, chosen);
    }

  adw_combo_row_set_model (self->time_zone_row, G_LIST_MODEL (names));
  /* The binding owns its values: it lives as long as the row does. */
  g_settings_bind_with_mapping (self->settings, "time-zone", self->time_zone_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, position_from_value, value_from_position,
                                g_strv_builder_end (values), (GDestroyNotify) g_strfreev);
}

/* The saved servers as rows, and the Start With choices: the built-in
 * engine, then each of them. */
static void
bourse_preferences_window_load_servers (BoursePreferencesWindow *self)
{
  g_autoptr(GVariant) saved = g_settings_get_value (self->settings, "saved-connections");
  g_autofree char *last = g_settings_get_string (self->settings, "last-connection");
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
  GVariantIter iter;
  const char *name, *url;
  guint selected = 0;
  guint n = 0;

  self->updating_servers = TRUE;
  bourse_preferences_window_clear_rows (self->server_rows);
  gtk_string_list_append (choices, _("Built-in Engine"));

  g_variant_iter_init (&iter, saved);
  while (g_variant_iter_next (&iter, "(&s&s)", &name, &url))
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *row_name = g_strdup_printf ("server-row-%u", n);

      gtk_widget_set_name (row, row_name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), url);
      gtk_widget_set_name (button, "remove-server-button");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Forget This Server"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Forget This Server"), -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "prefs.remove-server");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (url));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      g_ptr_array_add (self->server_rows, row);
      adw_preferences_group_add (self->servers_group, row);

      gtk_string_list_append (choices, name);
      n++;
      if (g_str_equal (url, last))
        selected = n;
    }

  adw_combo_row_set_model (self->start_row, G_LIST_MODEL (choices));
  adw_combo_row_set_selected (self->start_row, selected);
  self->updating_servers = FALSE;
}

static void
bourse_preferences_window_start_selected_cb (BoursePreferencesWindow *self)
{
  g_autoptr(GVariant) saved = NULL;
  guint selected = adw_combo_row_get_selected (self->start_row);
  const char *url = "";

  g_assert (BOURSE_IS_PREFERENCES_WINDOW (self));

  if (self->updating_servers || self->settings == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;

  saved = g_settings_get_value (self->settings, "saved-connections");
  if (selected > 0 && selected <= g_variant_n_children (saved))
    g_variant_get_child (saved, selected - 1, "(&s&s)", NULL, &url);
  /* The row already shows it: no rebuild (of the model under its own
   * selection's notification). */
  self->updating_servers = TRUE;
  g_settings_set_string (self->settings, "last-connection", url);
  self->updating_servers = FALSE;
}

/* An http or https address with a host, written as GLib reads it. */
static char *
dup_server_url (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0'
      || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0))
    return NULL;
  return g_uri_to_string (uri);
}

static void
bourse_preferences_window_server_changed_cb (BoursePreferencesWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_name_row))));
  g_autofree char *url = dup_server_url (gtk_editable_get_text (GTK_EDITABLE (self->server_url_row)));

  g_assert (BOURSE_IS_PREFERENCES_WINDOW (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.add-server",
                                 self->settings != NULL && name[0] != '\0' && url != NULL);
}

/* @builder made with the saved servers but the one at @url. */
static void
init_servers_without (GSettings       *settings,
                      GVariantBuilder *builder,
                      const char      *url)
{
  g_autoptr(GVariant) saved = g_settings_get_value (settings, "saved-connections");
  GVariantIter iter;
  const char *saved_name, *saved_url;

  g_variant_builder_init (builder, G_VARIANT_TYPE ("a(ss)"));
  g_variant_iter_init (&iter, saved);
  while (g_variant_iter_next (&iter, "(&s&s)", &saved_name, &saved_url))
    if (!g_str_equal (saved_url, url))
      g_variant_builder_add (builder, "(ss)", saved_name, saved_url);
}

static void
bourse_preferences_window_add_server_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *param)
{
  BoursePreferencesWindow *self = BOURSE_PREFERENCES_WINDOW (widget);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_name_row))));
  g_autofree char *url = dup_server_url (gtk_editable_get_text (GTK_EDITABLE (self->server_url_row)));
  GVariantBuilder builder;

  if (self->settings == NULL || name[0] == '\0' || url == NULL)
    return;

  /* One entry an address: saving it again renames it. */
  init_servers_without (self->settings, &builder, url);
  g_variant_builder_add (&builder, "(ss)", name, url);
  g_settings_set_value (self->settings, "saved-connections", g_variant_builder_end (&builder));

  gtk_editable_set_text (GTK_EDITABLE (self->server_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->server_url_row), "");
}

static void
bourse_preferences_window_server_activated_cb (BoursePreferencesWindow *self)
{
  g_assert (BOURSE_IS_PREFERENCES_WINDOW (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "prefs.add-server", NULL);
}

static void
bourse_preferences_window_remove_server_action (GtkWidget  *widget,
                                                const char *action_name,
                                                GVariant   *param)
{
  BoursePreferencesWindow *self = BOURSE_PREFERENCES_WINDOW (widget);
  const char *url = g_variant_get_string (param, NULL);
  g_autofree char *last = NULL;
  GVariantBuilder builder;

  if (self->settings == NULL)
    return;

  init_servers_without (self->settings, &builder, url);
  /* A forgotten server is not where the next start goes. */
  last = g_settings_get_string (self->settings, "last-connection");
  if (g_str_equal (last, url))
    g_settings_set_string (self->settings, "last-connection", "");
  g_settings_set_value (self->settings, "saved-connections", g_variant_builder_end (&builder));
}

static void
bourse_preferences_window_settings_changed_cb (BoursePreferencesWindow *self,
                                               const char              *key,
                                               GSettings               *settings)
{
  g_assert (BOURSE_IS_PREFERENCES_WINDOW (self));

  if (!self->updating_servers)
    bourse_preferences_window_load_servers (self);
}

static void
bourse_preferences_window_setup_general (BoursePreferencesWindow *self)
{
  g_autoptr(GtkStringList) intervals = gtk_string_list_new ((const char * const *) bourse_settings_intervals);

  /* AdwPreferencesPage:name shadows the widget's own name in templates. */
  gtk_widget_set_name (GTK_WIDGET (self->general_page), "general-page");
  if ((self->settings = bourse_settings_new ()) == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->general_page), FALSE);
      return;
    }

  g_settings_bind_with_mapping (self->settings, "color-scheme", self->color_scheme_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, position_from_value, value_from_position,
                                (gpointer) color_schemes, NULL);
  adw_combo_row_set_model (self->interval_row, G_LIST_MODEL (intervals));
  g_settings_bind_with_mapping (self->settings, "default-interval", self->interval_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, position_from_value, value_from_position,
                                (gpointer) bourse_settings_intervals, NULL);
  bourse_preferences_window_bind_time_zones (self);
  g_settings_bind (self->settings, "desktop-notifications", self->desktop_notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  bourse_preferences_window_load_servers (self);
  g_signal_connect_object (self->settings, "changed::saved-connections",
                           G_CALLBACK (bourse_preferences_window_settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::last-connection",
                           G_CALLBACK (bourse_preferences_window_settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->start_row, "notify::selected",
                           G_CALLBACK (bourse_preferences_window_start_selected_cb), self, G_CONNECT_SWAPPED);
  bourse_preferences_window_server_changed_cb (self);
}

/* }}} */

/* Sessions {{{ */

static GtkWidget *
bourse_preferences_window_create_session_row (gpointer item,
                                              gpointer user_data)
{
  BoursePreferencesWindow *self = user_data;

  /* The owner sees every account's: say whose. */
  return bourse_session_row_new (BOURSE_CLIENT_SESSION (item), self->local_owner);
}

static void
bourse_preferences_window_sessions_changed_cb (BoursePreferencesWindow *self)
{
  sync_list (self->sessions_group, self->sessions_list, G_LIST_MODEL (self->sessions),
             bourse_client_store_get_n_loads (self->sessions) > 0, &self->no_sessions_row,
             "no-sessions-row", _("No Sessions"),
             self->local_owner
             ? _("Nobody is signed in to this engine from the web, the API or another "
                 "console; this desktop needs no session")
             : _("This account is not signed in anywhere else"));
}

static void
bourse_preferences_window_sessions_failed_cb (BoursePreferencesWindow *self,
                                              const GError            *error)
{
  g_autofree char *message = g_strdup_printf (_("Could not load the sessions: %s"), error->message);

  bourse_preferences_window_toast (self, message);
}

static void
bourse_preferences_window_permissions_cb (GObject      *object,
                                          GAsyncResult *result,
                                          gpointer      user_data)
{
  g_autoptr(BoursePreferencesWindow) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *permissions;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->loading_permissions = FALSE;
          g_autofree char *message = g_strdup_printf (_("Could not load the sessions: %s"), error->message);

          bourse_preferences_window_toast (self, message);
        }
      return;
    }

  /* The window was closed while the answer was on its way (an answer
   * already in hand is not cancelled): nothing is left to fill, and a
   * store made now would make rows for a window that is gone. */
  if (self->client == NULL)
    return;

  /* Your own, even for an administrator: these are account preferences.
   * The desktop's owner has no account, so no session of its own: as the
   * owner of this engine, it sees (and may end) everyone's. */
  permissions = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  self->local_owner = permissions != NULL && json_object_has_member (permissions, "user_id")
                      && json_object_get_null_member (permissions, "user_id");

  /* No topic carries sessions: the store is read now, and again after a
   * sign-out here or a Reload. */
  self->sessions = bourse_client_store_new (self->client, BOURSE_TYPE_CLIENT_SESSION,
                                            self->local_owner ? "/api/v1/sessions" : "/api/v1/sessions?scope=own",
                                            NULL);
  g_signal_connect_object (self->sessions, "items-changed",
                           G_CALLBACK (bourse_preferences_window_sessions_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sessions, "notify::n-loads",
                           G_CALLBACK (bourse_preferences_window_sessions_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sessions, "failed",
                           G_CALLBACK (bourse_preferences_window_sessions_failed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->sessions_list, G_LIST_MODEL (self->sessions),
                           bourse_preferences_window_create_session_row, self, NULL);
}

static void
bourse_preferences_window_load_sessions (BoursePreferencesWindow *self)
{
  g_assert (BOURSE_IS_PREFERENCES_WINDOW (self));

  if (self->client == NULL)
    return;

  /* Whose sessions to list waits for the permissions, once. */
  if (self->sessions != NULL)
    {
      bourse_client_store_reload (self->sessions);
      return;
    }
  if (self->loading_permissions)
    return;

  self->loading_permissions = TRUE;
  bourse_client_get_json_async (self->client, "/api/v1/permissions", self->cancellable,
                                bourse_preferences_window_permissions_cb, g_object_ref (self));
}

static void
bourse_preferences_window_session_deleted_cb (GObject      *object,
                                              GAsyncResult *result,
                                              gpointer      user_data)
{
  g_autoptr(BoursePreferencesWindow) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!(answer = bourse_client_request_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = g_strdup_printf (_("Could not sign out the session: %s"), error->message);
      bourse_preferences_window_toast (self, message);
    }
  else
    bourse_preferences_window_toast (self, _("Session signed out"));

  bourse_preferences_window_load_sessions (self);
}

static void
bourse_preferences_window_sign_out_session_action (GtkWidget  *widget,
                                                   const char *action_name,
                                                   GVariant   *param)
{
  BoursePreferencesWindow *self = BOURSE_PREFERENCES_WINDOW (widget);
  g_autofree char *path = NULL;

  if (self->client == NULL)
    return;

  path = g_strdup_printf ("/api/v1/sessions/%" G_GINT64_FORMAT, g_variant_get_int64 (param));
  bourse_client_request_json_async (self->client, "DELETE", path, NULL, self->cancellable,
                                    bourse_preferences_window_session_deleted_cb,
                                    g_object_ref (self));
}

/* }}} */

/* API keys {{{ */

static GtkWidget *
bourse_preferences_window_create_key_row (gpointer item,
                                          gpointer user_data)
{
  return bourse_api_key_row_new (BOURSE_CLIENT_API_KEY (item));
}

/* Live keys before revoked ones, each newest first as the server lists them. */
static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  BourseClientApiKey *key_a = BOURSE_CLIENT_API_KEY ((gpointer) a);
  BourseClientApiKey *key_b = BOURSE_CLIENT_API_KEY ((gpointer) b);
  gboolean revoked_a = bourse_client_api_key_is_revoked (key_a);
  gboolean revoked_b = bourse_client_api_key_is_revoked (key_b);
  gint64 id_a = bourse_client_api_key_get_id (key_a);
  gint64 id_b = bourse_client_api_key_get_id (key_b);

  if (revoked_a != revoked_b)
    return revoked_a ? 1 : -1;
  return id_a > id_b ? -1 : id_a < id_b ? 1 : 0;
}

static void
bourse_preferences_window_keys_changed_cb (BoursePreferencesWindow *self)
{
  sync_list (self->keys_group, self->keys_list, G_LIST_MODEL (self->keys),
             bourse_client_store_get_n_loads (self->keys) > 0, &self->no_keys_row,
             "no-keys-row", _("No API Keys"), _("Create one below for each program that needs one"));
}

/* A revocation changes a key in place, which the sort does not watch. */
static void
bourse_preferences_window_keys_loaded_cb (BoursePreferencesWindow *self)
{
  gtk_sorter_changed (self->keys_sorter, GTK_SORTER_CHANGE_DIFFERENT);
  bourse_preferences_window_keys_changed_cb (self);
}

static void
bourse_preferences_window_keys_failed_cb (BoursePreferencesWindow *self,
                                          const GError            *error)
{
  g_autofree char *message = g_strdup_printf (_("Could not load the API keys: %s"), error->message);

  bourse_preferences_window_toast (self, message);
}

/* No topic carries keys either: read now, and again after a change here
 * or a Reload. */
static void
bourse_preferences_window_load_keys (BoursePreferencesWindow *self)
{
  g_autoptr(GtkSortListModel) sorted = NULL;

  g_assert (BOURSE_IS_PREFERENCES_WINDOW (self));

  if (self->client == NULL)
    return;

  if (self->keys != NULL)
    {
      bourse_client_store_reload (self->keys);
      return;
    }

  self->keys = bourse_client_store_new (self->client, BOURSE_TYPE_CLIENT_API_KEY,
                                        "/api/v1/api-keys?scope=own", NULL);
  self->keys_sorter = GTK_SORTER (gtk_custom_sorter_new (compare_keys, NULL, NULL));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->keys)),
                                    g_object_ref (self->keys_sorter));
  g_signal_connect_object (self->keys, "items-changed",
                           G_CALLBACK (bourse_preferences_window_keys_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->keys, "notify::n-loads",
                           G_CALLBACK (bourse_preferences_window_keys_loaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->keys, "failed",
                           G_CALLBACK (bourse_preferences_window_keys_failed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->keys_list, G_LIST_MODEL (sorted),
                           bourse_preferences_window_create_key_row, self, NULL);
}

static void
bourse_preferences_window_update_create (BoursePreferencesWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->key_name_row));
  g_autofree char *name = g_strstrip (g_strdup (text));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.create-key",
                                 self->client != NULL && !self->creating && name[0] != '\0');
}

static void
bourse_preferences_window_key_name_changed_cb (BoursePreferencesWindow *self,
                                               AdwEntryRow             *row)
{
  g_assert (BOURSE_IS_PREFERENCES_WINDOW (self));

  bourse_preferences_window_update_create (self);
}

static void
bourse_preferences_window_key_name_activated_cb (BoursePreferencesWindow *self,
                                                 AdwEntryRow             *row)
{
  g_assert (BOURSE_IS_PREFERENCES_WINDOW (self));

  gtk_widget_activate_action (GTK_WIDGET (self), "prefs.create-key", NULL);
}

static void
bourse_preferences_window_copy_key_cb (GtkButton *button,
                                       GtkLabel  *label)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          gtk_label_get_label (label));
  gtk_button_set_label (button, _("Copied"));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
}

/* The key itself goes into this dialog and nowhere else: not a toast, not
 * a log. Closing the dialog forgets it. */
static void
bourse_preferences_window_show_key (BoursePreferencesWindow *self,
                                    const char              *key_name,
                                    const char              *key)
{
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *card;
  GtkWidget *label;
  GtkWidget *button;

  g_assert (BOURSE_IS_PREFERENCES_WINDOW (self));

  heading = g_strdup_printf (_("Key “%s” Created"), key_name);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Copy it now: it will not be shown again"));
  gtk_widget_set_name (dialog, "new-key-dialog");
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Done"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (card, "card");
  label = gtk_label_new (key);
  gtk_widget_set_name (label, "new-key-label");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_CHAR);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_box_append (GTK_BOX (card), label);
  gtk_box_append (GTK_BOX (box), card);

  button = gtk_button_new_with_mnemonic (_("_Copy to Clipboard"));
  gtk_widget_set_name (button, "copy-key-button");
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect_object (button, "clicked", G_CALLBACK (bourse_preferences_window_copy_key_cb),
                           label, 0);
  gtk_box_append (GTK_BOX (box), button);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bourse_preferences_window_key_created_cb (GObject      *object,
                                          GAsyncResult *result,
                                          gpointer      user_data)
{
  g_autoptr(BoursePreferencesWindow) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *created;
  const char *key;

  answer = bourse_client_request_json_finish (BOURSE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->creating = FALSE;
  bourse_preferences_window_update_create (self);

  created = answer != NULL && JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  key = bourse_json_get_string (created, "key");

  /* The API's own words: e.g. that the desktop owner has no account to
   * hold a key, or that the role is above the account's. */
  if (key == NULL)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("Could not create the key: %s"),
                                 error != NULL ? error->message : _("the server sent no key"));
      bourse_preferences_window_toast (self, message);
      return;
    }

  bourse_preferences_window_show_key (self, bourse_json_get_string (created, "name"), key);
  gtk_editable_set_text (GTK_EDITABLE (self->key_name_row), "");
  bourse_preferences_window_load_keys (self);
}

static void
bourse_preferences_window_create_key_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *param)
{
  BoursePreferencesWindow *self = BOURSE_PREFERENCES_WINDOW (widget);
  g_autofree char *name = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint selected;

  if (self->client == NULL || self->creating)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key_name_row))));
  if (name[0] == '\0')
    return;

  selected = adw_combo_row_get_selected (self->key_role_row);
  if (selected >= G_N_ELEMENTS (key_roles))
    selected = 0;

  body = bourse_json_new_object ("name", name, "role", key_roles[selected], NULL);
  self->creating = TRUE;
  bourse_preferences_window_update_create (self);
  bourse_client_request_json_async (self->client, "POST", "/api/v1/api-keys", body,
                                    self->cancellable,
                                    bourse_preferences_window_key_created_cb,
                                    g_object_ref (self));
}

typedef struct
{
  BoursePreferencesWindow *self;
  char                    *name;
} Revocation;

static void
revocation_free (Revocation *revocation)
{
  g_clear_object (&revocation->self);
  g_clear_pointer (&revocation->name, g_free);
  g_free (revocation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Revocation, revocation_free)

static void
bourse_preferences_window_key_revoked_cb (GObject      *object,
                                          GAsyncResult *result,
                                          gpointer      user_data)
{
  g_autoptr(Revocation) revocation = user_data;
  BoursePreferencesWindow *self = revocation->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!(answer = bourse_client_request_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = g_strdup_printf (_("Could not revoke “%s”: %s"), revocation->name, error->message);
    }
  else
    message = g_strdup_printf (_("“%s” is revoked"), revocation->name);

  bourse_preferences_window_toast (self, message);
  bourse_preferences_window_load_keys (self);
}

static void
bourse_preferences_window_revoke_response_cb (AdwMessageDialog *dialog,
                                              const char       *response,
                                              gpointer          user_data)
{
  Revocation *revocation = user_data;
  BoursePreferencesWindow *self = revocation->self;
  g_autofree char *path = NULL;
  gint64 id;

  id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "key-id"));

  if (!g_str_equal (response, "revoke") || self->client == NULL)
    {
      revocation_free (revocation);
      return;
    }

  path = g_strdup_printf ("/api/v1/api-keys/%" G_GINT64_FORMAT, id);
  bourse_client_request_json_async (self->client, "DELETE", path, NULL, self->cancellable,
                                    bourse_preferences_window_key_revoked_cb, revocation);
}

static void
bourse_preferences_window_revoke_key_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *param)
{
  BoursePreferencesWindow *self = BOURSE_PREFERENCES_WINDOW (widget);
  g_autofree char *heading = NULL;
  Revocation *revocation;
  const char *name;
  GtkWidget *dialog;
  gint64 id;

  g_variant_get (param, "(x&s)", &id, &name);

  heading = g_strdup_printf (_("Revoke “%s”?"), name);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Programs using this key are refused from now on. "
                                     "This cannot be undone."));
  gtk_widget_set_name (dialog, "revoke-key-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "revoke", _("_Revoke"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revoke",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  revocation = g_new0 (Revocation, 1);
  revocation->self = g_object_ref (self);
  revocation->name = g_strdup (name);
  g_object_set_data (G_OBJECT (dialog), "key-id", GSIZE_TO_POINTER ((gsize) id));
  g_signal_connect (dialog, "response", G_CALLBACK (bourse_preferences_window_revoke_response_cb),
                    revocation);

  gtk_window_present (GTK_WINDOW (dialog));
}

/* }}} */

static void
bourse_preferences_window_refresh_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *param)
{
  bourse_preferences_window_reload (BOURSE_PREFERENCES_WINDOW (widget));
}

void
bourse_preferences_window_reload (BoursePreferencesWindow *self)
{
  g_return_if_fail (BOURSE_IS_PREFERENCES_WINDOW (self));

  bourse_preferences_window_load_sessions (self);
  bourse_preferences_window_load_keys (self);
}

BourseClient *
bourse_preferences_window_get_client (BoursePreferencesWindow *self)
{
  g_return_val_if_fail (BOURSE_IS_PREFERENCES_WINDOW (self), NULL);

  return self->client;
}

int
bourse_preferences_window_get_n_sessions (BoursePreferencesWindow *self)
{
  g_return_val_if_fail (BOURSE_IS_PREFERENCES_WINDOW (self), -1);

  if (self->sessions == NULL || bourse_client_store_get_n_loads (self->sessions) == 0)
    return -1;
  return g_list_model_get_n_items (G_LIST_MODEL (self->sessions));
}

int
bourse_preferences_window_get_n_keys (BoursePreferencesWindow *self)
{
  g_return_val_if_fail (BOURSE_IS_PREFERENCES_WINDOW (self), -1);

  if (self->keys == NULL || bourse_client_store_get_n_loads (self->keys) == 0)
    return -1;
  return g_list_model_get_n_items (G_LIST_MODEL (self->keys));
}

static void
bourse_preferences_window_constructed (GObject *object)
{
  BoursePreferencesWindow *self = (BoursePreferencesWindow *)object;

  G_OBJECT_CLASS (bourse_preferences_window_parent_class)->constructed (object);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.refresh", self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.sign-out-session", self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.revoke-key", self->client != NULL);
  bourse_preferences_window_update_create (self);

  /* Fresh on every opening: the window is made anew each time. */
  bourse_preferences_window_reload (self);

  /* The caller's own notifications: where each event reaches them. */
  if (self->client != NULL && bourse_client_has_permission (self->client, "notifications.read"))
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (bourse_notifications_page_new (self->client)));

  /* The venue and its keys, for those the server lets read them. */
  if (self->client != NULL && bourse_client_has_permission (self->client, "exchange.read"))
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (bourse_exchange_page_new (self->client)));
}

static void
bourse_preferences_window_dispose (GObject *object)
{
  BoursePreferencesWindow *self = (BoursePreferencesWindow *)object;

  g_cancellable_cancel (self->cancellable);
  /* A load under way may still end after the window: the list boxes,
   * which may outlive it, must not make rows for it then. */
  if (self->sessions_list != NULL)
    gtk_list_box_bind_model (self->sessions_list, NULL, NULL, NULL, NULL);
  if (self->keys_list != NULL)
    gtk_list_box_bind_model (self->keys_list, NULL, NULL, NULL, NULL);
  if (self->sessions != NULL)
    g_signal_handlers_disconnect_by_data (self->sessions, self);
  g_clear_object (&self->sessions);
  if (self->keys != NULL)
    g_signal_handlers_disconnect_by_data (self->keys, self);
  g_clear_object (&self->keys);
  g_clear_object (&self->keys_sorter);
  g_clear_object (&self->client);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (bourse_preferences_window_parent_class)->dispose (object);
}

static void
bourse_preferences_window_finalize (GObject *object)
{
  BoursePreferencesWindow *self = (BoursePreferencesWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->server_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (bourse_preferences_window_parent_class)->finalize (object);
}

static void
bourse_preferences_window_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  BoursePreferencesWindow *self = BOURSE_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_preferences_window_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  BoursePreferencesWindow *self = BOURSE_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_preferences_window_class_init (BoursePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bourse_preferences_window_constructed;
  object_class->dispose = bourse_preferences_window_dispose;
  object_class->finalize = bourse_preferences_window_finalize;
  object_class->get_property = bourse_preferences_window_get_property;
  object_class->set_property = bourse_preferences_window_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "prefs.refresh", NULL,
                                   bourse_preferences_window_refresh_action);
  gtk_widget_class_install_action (widget_class, "prefs.sign-out-session", "x",
                                   bourse_preferences_window_sign_out_session_action);
  gtk_widget_class_install_action (widget_class, "prefs.create-key", NULL,
                                   bourse_preferences_window_create_key_action);
  gtk_widget_class_install_action (widget_class, "prefs.revoke-key", "(xs)",
                                   bourse_preferences_window_revoke_key_action);
  gtk_widget_class_install_action (widget_class, "prefs.add-server", NULL,
                                   bourse_preferences_window_add_server_action);
  gtk_widget_class_install_action (widget_class, "prefs.remove-server", "s",
                                   bourse_preferences_window_remove_server_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, sessions_group);
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, sessions_list);
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, keys_group);
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, keys_list);
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, key_name_row);
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, key_role_row);
  gtk_widget_class_bind_template_callback (widget_class, bourse_preferences_window_key_name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_preferences_window_key_name_activated_cb);
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, general_page);
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, color_scheme_row);
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, time_zone_row);
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, interval_row);
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, desktop_notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, servers_group);
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, start_row);
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, server_name_row);
  gtk_widget_class_bind_template_child (widget_class, BoursePreferencesWindow, server_url_row);
  gtk_widget_class_bind_template_callback (widget_class, bourse_preferences_window_server_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_preferences_window_server_activated_cb);
}

static void
bourse_preferences_window_init (BoursePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->server_rows = g_ptr_array_new ();

  bourse_preferences_window_setup_general (self);
}

GtkWidget *
bourse_preferences_window_new (BourseClient *client)
{
  g_return_val_if_fail (!client || BOURSE_IS_CLIENT (client), NULL);

  return g_object_new (BOURSE_TYPE_PREFERENCES_WINDOW,
                       "client", client,
                       NULL);
}
