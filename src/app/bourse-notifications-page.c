/* bourse-notifications-page.c — the caller's notification channels and devices
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/OPERATIONS.md, "Preferences and devices": the events the caller may
 * receive come from the server with the channels chosen (or the defaults),
 * so an event added there appears here without a change.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "client/bourse-client-store.h"
#include "core/bourse-json.h"

#include "bourse-app-util.h"
#include "bourse-desk-util.h"
#include "bourse-device-row.h"
#include "bourse-notifications-page.h"

/* The built-in channels (docs/OPERATIONS.md, "Channels"), offered for each
 * event unless the server lists others. Webhooks go to one URL for the
 * whole installation: not a personal choice. */
static const struct {
  const char *id;
  const char *name;
} channels[] = {
  { "desktop", N_("Desktop") },
  { "email",   N_("Email") },
  { "push",    N_("Push") },
  { "ntfy",    N_("ntfy") },
};

struct _BourseNotificationsPage
{
  AdwPreferencesPage   parent_instance;

  BourseClient        *client;
  GCancellable        *cancellable;
  int                  n_events;

  AdwPreferencesGroup *events_group;
  GtkWidget           *save_button;
  GPtrArray           *event_rows;     /* AdwActionRow, each with "bourse-event" */
  AdwEntryRow         *ntfy_row;

  AdwPreferencesGroup *devices_group;
  GtkListBox          *devices_list;
  BourseClientStore   *devices;        /* NULL without devices.write */
  AdwEntryRow         *device_name_row;
  AdwComboRow         *device_platform_row;
  AdwEntryRow         *device_token_row;
  GtkWidget           *add_device_button;
};

G_DEFINE_FINAL_TYPE (BourseNotificationsPage, bourse_notifications_page, ADW_TYPE_PREFERENCES_PAGE)

static void bourse_notifications_page_load_devices (BourseNotificationsPage *self);

static const char *
event_to_display (const char *event)
{
  static const BourseDisplayName events[] = {
    { "signup.pending",   N_("A sign-up awaits approval") },
    { "password.reset",   N_("A password reset was asked") },
    { "approval.pending", N_("A recommendation awaits a decision") },
    { "order.filled",     N_("An order filled") },
    { "risk.protection",  N_("A risk protection triggered") },
    { "risk.halted",      N_("Trading halted or resumed") },
    { "component.status", N_("A component's health changed") },
    { "job.finished",     N_("A job finished") },
    { "heartbeat",        N_("Heartbeat") },
    { "test",             N_("Test sends") },
  };

  return bourse_display_name_lookup (events, G_N_ELEMENTS (events), event);
}

static AdwEntryRow *
add_entry_row (AdwPreferencesGroup *group,
               const char          *name,
               const char          *title,
               GCallback            changed,
               gpointer             data)
{
  GtkWidget *row = adw_entry_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_signal_connect_swapped (row, "changed", changed, data);
  adw_preferences_group_add (group, row);

  return ADW_ENTRY_ROW (row);
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
set_row_error (GtkWidget  *row,
               const char *message)
{
  if (message != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
  gtk_widget_set_tooltip_text (row, message);
  if (ADW_IS_ACTION_ROW (row))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                 message ? message : g_object_get_data (G_OBJECT (row), "bourse-subtitle"));
}

static gboolean
array_has (JsonArray  *array,
           const char *text)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), text) == 0)
      return TRUE;

  return FALSE;
}

static void
bourse_notifications_page_changed_cb (BourseNotificationsPage *self)
{
  gtk_widget_set_sensitive (self->save_button,
                            bourse_client_has_permission (self->client, "notifications.write"));
}

/* Preferences {{{ */

static void
bourse_notifications_page_apply (BourseNotificationsPage *self,
                                 JsonObject              *prefs)
{
  JsonObject *events = bourse_json_get_object (prefs, "events");
  JsonObject *defaults = bourse_json_get_object (prefs, "defaults");
  const char *topic = bourse_json_get_string (prefs, "ntfy_topic");
  g_autoptr(GList) names = events != NULL ? json_object_get_members (events) : NULL;

  clear_rows (self->events_group, self->event_rows);

  for (const GList *l = names; l != NULL; l = l->next)
    {
      const char *event = l->data;
      JsonNode *chosen = json_object_get_member (events, event);
      JsonArray *chosen_array = JSON_NODE_HOLDS_ARRAY (chosen) ? json_node_get_array (chosen) : NULL;
      JsonArray *default_array = bourse_json_get_array (defaults, event);
      g_autofree char *name = g_strdup_printf ("notify-%s", event);
      g_autoptr(GString) subtitle = g_string_new (event);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), event_to_display (event));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (default_array != NULL)
        {
          g_string_append (subtitle, " · ");
          /* Translators: followed by the channels an event goes to by default */
          g_string_append (subtitle, _("default:"));
          for (guint i = 0; i < json_array_get_length (default_array); i++)
            g_string_append_printf (subtitle, " %s", json_array_get_string_element (default_array, i));
        }
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      g_object_set_data_full (G_OBJECT (row), "bourse-subtitle", g_strdup (subtitle->str), g_free);
      g_object_set_data_full (G_OBJECT (row), "bourse-event", g_strdup (event), g_free);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);

      for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
        {
          g_autofree char *check_name = g_strdup_printf ("notify-%s-%s", event, channels[i].id);
          GtkWidget *check = gtk_check_button_new_with_label (_(channels[i].name));

          gtk_widget_set_name (check, check_name);
          g_object_set_data (G_OBJECT (check), "bourse-channel", (gpointer) channels[i].id);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), array_has (chosen_array, channels[i].id));
          g_signal_connect_object (check, "toggled", G_CALLBACK (bourse_notifications_page_changed_cb),
                                   self, G_CONNECT_SWAPPED);
          gtk_box_append (GTK_BOX (box), check);
        }
      g_object_set_data (G_OBJECT (row), "bourse-channels", box);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
      adw_preferences_group_add (self->events_group, row);
      g_ptr_array_add (self->event_rows, row);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->ntfy_row), topic != NULL ? topic : "");
  set_row_error (GTK_WIDGET (self->ntfy_row), NULL);
  gtk_widget_set_sensitive (self->save_button, FALSE);
  self->n_events = self->event_rows->len;
}

static void
bourse_notifications_page_load_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(BourseNotificationsPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          adw_preferences_group_set_description (self->events_group, error->message);
          g_message ("Could not load the notification preferences: %s", error->message);
        }
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (answer))
    bourse_notifications_page_apply (self, json_node_get_object (answer));
}

static void
bourse_notifications_page_saved_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(BourseNotificationsPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *errors;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result, &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    {
      bourse_notifications_page_apply (self, json_node_get_object (answer));
      bourse_widget_show_toast (GTK_WIDGET (self), _("Notification preferences saved"));
      return;
    }
  if (answer != NULL)
    {
      /* An answer without the preferences: read them back. */
      bourse_client_get_json_async (self->client, "/api/v1/notifications/preferences", self->cancellable,
                                    bourse_notifications_page_load_cb, g_object_ref (self));
      return;
    }

  /* "events.<event>" or "ntfy_topic": on the row it names. */
  errors = bourse_json_get_array (problem && JSON_NODE_HOLDS_OBJECT (problem) ? json_node_get_object (problem) : NULL,
                                  "errors");
  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonObject *field_error = json_array_get_object_element (errors, i);
      const char *field = bourse_json_get_string (field_error, "field");
      const char *message = bourse_json_get_string (field_error, "message");

      if (g_strcmp0 (field, "ntfy_topic") == 0)
        set_row_error (GTK_WIDGET (self->ntfy_row), message);
      for (guint j = 0; field != NULL && j < self->event_rows->len; j++)
        {
          GtkWidget *row = g_ptr_array_index (self->event_rows, j);
          g_autofree char *name = g_strdup_printf ("events.%s",
                                                   (char *) g_object_get_data (G_OBJECT (row), "bourse-event"));

          if (g_str_equal (name, field))
            set_row_error (row, message);
        }
    }

  {
    g_autofree char *text = bourse_problem_to_text (problem, error);
    /* Translators: the server's refusal of notification preferences */
    g_autofree char *message = g_strdup_printf (_("Not saved: %s"), text);

    /* Also under the title: a refusal of the whole (the local owner has no
     * account to keep them in) names no row. */
    adw_preferences_group_set_description (self->events_group, message);
    bourse_widget_show_toast (GTK_WIDGET (self), message);
  }
}

static void
bourse_notifications_page_save_cb (BourseNotificationsPage *self)
{
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  JsonObject *root = json_object_new ();
  JsonObject *events = json_object_new ();
  const char *topic = gtk_editable_get_text (GTK_EDITABLE (self->ntfy_row));

  for (guint i = 0; i < self->event_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->event_rows, i);
      GtkWidget *box = g_object_get_data (G_OBJECT (row), "bourse-channels");
      JsonArray *chosen = json_array_new ();

      set_row_error (row, NULL);
      for (GtkWidget *check = gtk_widget_get_first_child (box); check != NULL;
           check = gtk_widget_get_next_sibling (check))
        if (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
          json_array_add_string_element (chosen, g_object_get_data (G_OBJECT (check), "bourse-channel"));

      json_object_set_array_member (events, g_object_get_data (G_OBJECT (row), "bourse-event"), chosen);
    }
  json_object_set_object_member (root, "events", events);
  if (topic[0] != '\0')
    json_object_set_string_member (root, "ntfy_topic", topic);
  else
    json_object_set_null_member (root, "ntfy_topic");
  json_node_take_object (body, root);

  set_row_error (GTK_WIDGET (self->ntfy_row), NULL);
  bourse_client_request_json_async (self->client, "PUT", "/api/v1/notifications/preferences", body,
                                    self->cancellable, bourse_notifications_page_saved_cb,
                                    g_object_ref (self));
}

/* }}} */

/* Devices {{{ */

static void
bourse_notifications_page_device_done_cb (GObject      *object,
                                          GAsyncResult *result,
                                          gpointer      user_data)
{
  g_autoptr(BourseNotificationsPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result, &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (answer == NULL)
    {
      g_autofree char *text = bourse_problem_to_text (problem, error);

      bourse_widget_show_toast (GTK_WIDGET (self), text);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->device_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->device_token_row), "");
  bourse_notifications_page_load_devices (self);
}

static void
bourse_notifications_page_remove_device_action (GtkWidget  *widget,
                                                const char *action_name,
                                                GVariant   *param)
{
  BourseNotificationsPage *self = BOURSE_NOTIFICATIONS_PAGE (widget);
  g_autofree char *path = g_strdup_printf ("/api/v1/devices/%" G_GINT64_FORMAT, g_variant_get_int64 (param));

  if (self->client == NULL)
    return;

  bourse_client_request_json_async (self->client, "DELETE", path, NULL, self->cancellable,
                                    bourse_notifications_page_device_done_cb, g_object_ref (self));
}

static GtkWidget *
bourse_notifications_page_create_device_row (gpointer item,
                                             gpointer user_data)
{
  BourseNotificationsPage *self = user_data;

  return bourse_device_row_new (BOURSE_CLIENT_DEVICE (item),
                                bourse_client_has_permission (self->client, "devices.write"));
}

static void
bourse_notifications_page_devices_changed_cb (BourseNotificationsPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->devices_list),
                          g_list_model_get_n_items (G_LIST_MODEL (self->devices)) > 0);
}

static void
bourse_notifications_page_devices_failed_cb (BourseNotificationsPage *self,
                                             const GError            *error)
{
  g_message ("Could not list the devices: %s", error->message);
}

/* No topic carries devices: the store is read now, and again after an
 * addition or a removal here. */
static void
bourse_notifications_page_load_devices (BourseNotificationsPage *self)
{
  /* Gone: an answer already in hand arrived after the page's dispose. */
  if (self->client == NULL)
    return;

  if (self->devices != NULL)
    {
      bourse_client_store_reload (self->devices);
      return;
    }

  self->devices = bourse_client_store_new (self->client, BOURSE_TYPE_CLIENT_DEVICE, "/api/v1/devices", NULL);
  g_signal_connect_object (self->devices, "items-changed",
                           G_CALLBACK (bourse_notifications_page_devices_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->devices, "failed",
                           G_CALLBACK (bourse_notifications_page_devices_failed_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->devices_list, G_LIST_MODEL (self->devices),
                           bourse_notifications_page_create_device_row, self, NULL);
}

static void
bourse_notifications_page_add_device_cb (BourseNotificationsPage *self)
{
  static const char * const platforms[] = { "android", "ios", "web" };
  guint platform = adw_combo_row_get_selected (self->device_platform_row);
  g_autoptr(JsonNode) body = NULL;

  body = bourse_json_new_object ("platform", platforms[MIN (platform, G_N_ELEMENTS (platforms) - 1)],
                                 "token", gtk_editable_get_text (GTK_EDITABLE (self->device_token_row)),
                                 "name", gtk_editable_get_text (GTK_EDITABLE (self->device_name_row)),
                                 NULL);
  bourse_client_request_json_async (self->client, "POST", "/api/v1/devices", body, self->cancellable,
                                    bourse_notifications_page_device_done_cb, g_object_ref (self));
}

static void
bourse_notifications_page_device_form_changed_cb (BourseNotificationsPage *self)
{
  gtk_widget_set_sensitive (self->add_device_button,
                            gtk_editable_get_text (GTK_EDITABLE (self->device_token_row))[0] != '\0' &&
                            gtk_editable_get_text (GTK_EDITABLE (self->device_name_row))[0] != '\0');
}

/* }}} */

int
bourse_notifications_page_get_n_events (BourseNotificationsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_NOTIFICATIONS_PAGE (self), -1);

  return self->n_events;
}

int
bourse_notifications_page_get_n_devices (BourseNotificationsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_NOTIFICATIONS_PAGE (self), -1);

  if (self->devices == NULL || bourse_client_store_get_n_loads (self->devices) == 0)
    return -1;
  return g_list_model_get_n_items (G_LIST_MODEL (self->devices));
}

static void
bourse_notifications_page_dispose (GObject *object)
{
  BourseNotificationsPage *self = (BourseNotificationsPage *)object;

  g_cancellable_cancel (self->cancellable);
  /* A load under way may still end after the page, and the list box may
   * outlive it: no rows for it then. */
  if (self->devices_list != NULL)
    gtk_list_box_bind_model (self->devices_list, NULL, NULL, NULL, NULL);
  if (self->devices != NULL)
    g_signal_handlers_disconnect_by_data (self->devices, self);
  g_clear_object (&self->devices);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (bourse_notifications_page_parent_class)->dispose (object);
}

static void
bourse_notifications_page_finalize (GObject *object)
{
  BourseNotificationsPage *self = (BourseNotificationsPage *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->event_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (bourse_notifications_page_parent_class)->finalize (object);
}

static void
bourse_notifications_page_class_init (BourseNotificationsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_notifications_page_dispose;
  object_class->finalize = bourse_notifications_page_finalize;

  gtk_widget_class_install_action (GTK_WIDGET_CLASS (klass), "notifications.remove-device", "x",
                                   bourse_notifications_page_remove_device_action);
}

static void
bourse_notifications_page_init (BourseNotificationsPage *self)
{
  GtkWidget *group;
  GtkWidget *row;
  g_autoptr(GtkStringList) platforms = gtk_string_list_new ((const char * const[]) { "Android", "iOS", "Web", NULL });

  self->cancellable = g_cancellable_new ();
  self->event_rows = g_ptr_array_new ();
  self->n_events = -1;

  gtk_widget_set_name (GTK_WIDGET (self), "notifications-page");
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Notifications"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "preferences-system-notifications-symbolic");

  group = adw_preferences_group_new ();
  self->events_group = ADW_PREFERENCES_GROUP (group);
  adw_preferences_group_set_title (self->events_group, _("Events"));
  adw_preferences_group_set_description (self->events_group,
                                         _("Where each event reaches you; an event left as it is follows the defaults"));
  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_set_name (self->save_button, "notify-save-button");
  gtk_widget_set_valign (self->save_button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (self->save_button, FALSE);
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (bourse_notifications_page_save_cb), self);
  adw_preferences_group_set_header_suffix (self->events_group, self->save_button);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->events_group);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("ntfy"));
  self->ntfy_row = add_entry_row (ADW_PREFERENCES_GROUP (group), "ntfy-topic-row", _("Your ntfy Topic"),
                                  G_CALLBACK (bourse_notifications_page_changed_cb), self);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));

  group = adw_preferences_group_new ();
  self->devices_group = ADW_PREFERENCES_GROUP (group);
  gtk_widget_set_name (group, "devices-group");
  adw_preferences_group_set_title (self->devices_group, _("Devices"));
  adw_preferences_group_set_description (self->devices_group, _("Phones and browsers that receive push notifications"));
  /* Bound to the devices' BourseClientStore; shown when it has any. */
  self->devices_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->devices_list), "devices-list");
  gtk_list_box_set_selection_mode (self->devices_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->devices_list), "boxed-list");
  gtk_widget_set_visible (GTK_WIDGET (self->devices_list), FALSE);
  adw_preferences_group_add (self->devices_group, GTK_WIDGET (self->devices_list));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->devices_group);

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Add a Device"));
  self->device_name_row = add_entry_row (ADW_PREFERENCES_GROUP (group), "device-name-row", _("Name"),
                                         G_CALLBACK (bourse_notifications_page_device_form_changed_cb), self);
  row = adw_combo_row_new ();
  self->device_platform_row = ADW_COMBO_ROW (row);
  gtk_widget_set_name (row, "device-platform-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Platform"));
  adw_combo_row_set_model (self->device_platform_row, G_LIST_MODEL (platforms));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  self->device_token_row = add_entry_row (ADW_PREFERENCES_GROUP (group), "device-token-row", _("Push Token"),
                                          G_CALLBACK (bourse_notifications_page_device_form_changed_cb), self);
  self->add_device_button = gtk_button_new_with_mnemonic (_("_Add"));
  gtk_widget_set_name (self->add_device_button, "add-device-button");
  gtk_widget_set_valign (self->add_device_button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (self->add_device_button, FALSE);
  g_signal_connect_swapped (self->add_device_button, "clicked",
                            G_CALLBACK (bourse_notifications_page_add_device_cb), self);
  adw_entry_row_add_suffix (self->device_token_row, self->add_device_button);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (group));
  g_object_set_data (G_OBJECT (self), "bourse-add-group", group);
}

GtkWidget *
bourse_notifications_page_new (BourseClient *client)
{
  BourseNotificationsPage *self;

  g_return_val_if_fail (BOURSE_IS_CLIENT (client), NULL);

  self = g_object_new (BOURSE_TYPE_NOTIFICATIONS_PAGE, NULL);
  self->client = g_object_ref (client);

  bourse_client_get_json_async (client, "/api/v1/notifications/preferences", self->cancellable,
                                bourse_notifications_page_load_cb, g_object_ref (self));
  if (bourse_client_has_permission (client, "devices.write"))
    bourse_notifications_page_load_devices (self);
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->devices_group), FALSE);
      gtk_widget_set_visible (g_object_get_data (G_OBJECT (self), "bourse-add-group"), FALSE);
    }

  return GTK_WIDGET (self);
}
