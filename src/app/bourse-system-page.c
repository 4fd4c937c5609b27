/* bourse-system-page.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "core/bourse-json.h"

#include "bourse-app-util.h"
#include "bourse-desk-util.h"
#include "bourse-reconciliation-dialog.h"
#include "bourse-system-page.h"

#define SYSTEM_TOPIC "system"
/* Component transitions come there, {"type":"component",…}. */
#define ALERTS_TOPIC "alerts"

struct _BourseSystemPage
{
  AdwPreferencesPage  parent_instance;

  BourseClient       *client;
  GSignalGroup       *client_signals;
  GCancellable       *cancellable;
  GCancellable       *action_cancellable;   /* the mode and reconciling; on dispose */
  guint               n_events;       /* WebSocket updates applied so far */
  guint               n_events_at_load;

  /* The server's uptime when it last told us, and when that was, so the
   * page can count on between updates. */
  gint64              uptime_s;
  gint64              uptime_stamp_us;
  gboolean            running;
  guint               tick_id;

  /* The trading mode, "paper" or "live" (NULL until known), and a request
   * that changes it, or reconciles, under way. */
  char               *mode;
  gboolean            mode_busy;
  GtkWidget          *live_dialog;     /* weak */

  GtkLabel           *state_label;
  GtkLabel           *uptime_label;
  GtkLabel           *mode_label;
  AdwActionRow       *mode_row;
  GtkWidget          *go_live_button;
  GtkWidget          *go_paper_button;
  GtkWidget          *reconcile_row;
  GtkLabel           *version_label;
  GtkLabel           *address_label;
  GtkLabel           *websocket_clients_label;
  GtkLabel           *connection_label;
  GtkLabel           *database_path_label;
  GtkLabel           *schema_version_label;
  GtkLabel           *database_status_label;

  /* Component health: a row per component, by name (owned by the group). */
  AdwPreferencesGroup *components_group;
  GHashTable         *component_rows;
  GCancellable       *components_cancellable;
  gboolean            alerts_subscribed;
};

G_DEFINE_FINAL_TYPE (BourseSystemPage, bourse_system_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
bourse_format_uptime (gint64 seconds)
{
  guint64 s = MAX (seconds, 0);

  if (s < 60)
    /* Translators: a duration in seconds */
    return g_strdup_printf (_("%u s"), (guint) s);
  if (s < 60 * 60)
    /* Translators: a duration in minutes and seconds */
    return g_strdup_printf (_("%u min %02u s"), (guint) (s / 60), (guint) (s % 60));
  if (s < 24 * 60 * 60)
    /* Translators: a duration in hours and minutes */
    return g_strdup_printf (_("%u h %02u min"), (guint) (s / 3600), (guint) (s / 60 % 60));

  /* Translators: a duration in days and hours */
  return g_strdup_printf (_("%u d %u h"), (guint) (s / 86400), (guint) (s / 3600 % 24));
}

static void
set_text (GtkLabel   *label,
          const char *text)
{
  gtk_label_set_label (label, text != NULL && text[0] != '\0' ? text : "—");
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text);
}

static void
set_int (GtkLabel   *label,
         JsonObject *object,
         const char *member)
{
  gint64 value;
  g_autofree char *text = NULL;

  if (bourse_json_get_int (object, member, &value))
    text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  set_text (label, text);
}

static const char *
state_to_display (const char *state)
{
  static const BourseDisplayName states[] = {
    { "stopped",  N_("Stopped") },
    { "starting", N_("Starting") },
    { "running",  N_("Running") },
    { "stopping", N_("Stopping") },
  };

  return bourse_display_name_lookup (states, G_N_ELEMENTS (states), state);
}

static const char *
mode_to_display (const char *mode)
{
  if (g_strcmp0 (mode, "paper") == 0)
    return _("Paper");
  if (g_strcmp0 (mode, "live") == 0)
    return _("Live");
  return mode;
}

static gboolean
bourse_system_page_may (BourseSystemPage *self,
                        const char       *permission)
{
  return self->client != NULL && bourse_client_has_permission (self->client, permission);
}

static void bourse_system_page_follow_components (BourseSystemPage *self);
static void bourse_system_page_load_components   (BourseSystemPage *self);

/* Live needs system.live, paper and reconciling system.control: as the
 * server's matrix says, and it checks again. */
void
bourse_system_page_update_permissions (BourseSystemPage *self)
{
  gboolean live = g_strcmp0 (self->mode, "live") == 0;
  gboolean paper = g_strcmp0 (self->mode, "paper") == 0;
  gboolean may_control = bourse_system_page_may (self, "system.control");

  g_return_if_fail (BOURSE_IS_SYSTEM_PAGE (self));

  gtk_widget_set_visible (self->go_live_button, paper && bourse_system_page_may (self, "system.live"));
  gtk_widget_set_visible (self->go_paper_button, live && may_control);
  gtk_widget_set_visible (self->reconcile_row, live && may_control);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.go-live", paper && !self->mode_busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.go-paper", live && !self->mode_busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "system.reconcile", live && !self->mode_busy);

  gtk_widget_set_visible (GTK_WIDGET (self->components_group), bourse_system_page_may (self, "system.read"));
  bourse_system_page_follow_components (self);
}

static void
bourse_system_page_update_uptime (BourseSystemPage *self)
{
  g_autofree char *text = NULL;
  gint64 seconds = self->uptime_s;

  if (self->uptime_stamp_us == 0)
    {
      set_text (self->uptime_label, NULL);
      return;
    }

  if (self->running)
    seconds += (g_get_monotonic_time () - self->uptime_stamp_us) / G_USEC_PER_SEC;

  text = bourse_format_uptime (seconds);
  gtk_label_set_label (self->uptime_label, text);
}

static void
bourse_system_page_update_connection (BourseSystemPage *self)
{
  const char *text;

  if (self->client == NULL)
    text = _("Not connected");
  else if (bourse_client_get_connected (self->client))
    text = _("Connected");
  else
    text = _("Reconnecting…");

  set_text (self->connection_label, text);
}

static void
bourse_system_page_apply (BourseSystemPage *self,
                          JsonNode         *status)
{
  JsonObject *root;
  JsonObject *engine;
  JsonObject *server;
  JsonObject *database;
  const char *state;
  gboolean ok;

  g_assert (BOURSE_IS_SYSTEM_PAGE (self));

  if (status == NULL || !JSON_NODE_HOLDS_OBJECT (status))
    return;

  root = json_node_get_object (status);
  engine = bourse_json_get_object (root, "engine");
  server = bourse_json_get_object (root, "server");
  database = bourse_json_get_object (root, "database");

  state = bourse_json_get_string (engine, "state");
  set_text (self->state_label, state_to_display (state));
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "warning");
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label),
                            g_strcmp0 (state, "running") == 0 ? "success" : "warning");

  self->running = g_strcmp0 (state, "running") == 0;
  if (bourse_json_get_int (engine, "uptime_seconds", &self->uptime_s))
    self->uptime_stamp_us = g_get_monotonic_time ();
  bourse_system_page_update_uptime (self);

  if (bourse_json_get_string (root, "mode") != NULL &&
      g_strcmp0 (self->mode, bourse_json_get_string (root, "mode")) != 0)
    {
      g_free (self->mode);
      self->mode = g_strdup (bourse_json_get_string (root, "mode"));
      /* A refusal said before is about the mode that was. */
      adw_action_row_set_subtitle (self->mode_row, NULL);
      if (g_strcmp0 (self->mode, "live") == 0)
        bourse_clear_weak_window (&self->live_dialog);
    }
  set_text (self->mode_label, mode_to_display (self->mode));
  gtk_widget_remove_css_class (GTK_WIDGET (self->mode_label), "error");
  if (g_strcmp0 (self->mode, "live") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->mode_label), "error");
  bourse_system_page_update_permissions (self);
  set_text (self->version_label, bourse_json_get_string (root, "version"));

  set_text (self->address_label, bourse_json_get_string (server, "url"));
  set_int (self->websocket_clients_label, server, "websocket_clients");

  /* Only an administrator's REST answer has the path; events never do. */
  if (bourse_json_get_string (database, "path") != NULL)
    set_text (self->database_path_label, bourse_json_get_string (database, "path"));
  set_int (self->schema_version_label, database, "schema_version");
  if (bourse_json_get_boolean (database, "ok", &ok))
    set_text (self->database_status_label, ok ? _("OK") : _("Unavailable"));
  else
    set_text (self->database_status_label, NULL);
}

static void
bourse_system_page_load_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(BourseSystemPage) self = user_data;
  g_autoptr(JsonNode) status = NULL;
  g_autoptr(GError) error = NULL;

  if (!(status = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Could not load the system status: %s", error->message);
      return;
    }

  /* A WebSocket update that overtook this answer is newer: keep it, but
   * take what events never carry, the database's path (the API gives it
   * to administrators, in this answer only). */
  if (self->n_events != self->n_events_at_load)
    {
      JsonObject *root = JSON_NODE_HOLDS_OBJECT (status) ? json_node_get_object (status) : NULL;
      const char *path = bourse_json_get_string (bourse_json_get_object (root, "database"), "path");

      if (path != NULL)
        set_text (self->database_path_label, path);
      return;
    }

  bourse_system_page_apply (self, status);
}

static void
bourse_system_page_load (BourseSystemPage *self)
{
  g_assert (BOURSE_IS_SYSTEM_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->client == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  self->n_events_at_load = self->n_events;
  bourse_client_get_json_async (self->client, "/api/v1/system/status", self->cancellable,
                                bourse_system_page_load_cb, g_object_ref (self));
}

static void
bourse_system_page_event_cb (BourseSystemPage *self,
                             const char       *topic,
                             gint64            seq,
                             JsonNode         *data,
                             BourseClient     *client)
{
  g_assert (BOURSE_IS_SYSTEM_PAGE (self));

  self->n_events++;
  bourse_system_page_apply (self, data);
}

/* Each event carries the whole status, so a missed one needs no reload;
 * a REST load covers the case where the next event is far away. */
static void
bourse_system_page_resync_cb (BourseSystemPage *self,
                              const char       *topic,
                              BourseClient     *client)
{
  g_assert (BOURSE_IS_SYSTEM_PAGE (self));

  bourse_system_page_load (self);
  bourse_system_page_load_components (self);
}

static void
bourse_system_page_connected_cb (BourseSystemPage *self,
                                 GParamSpec       *pspec,
                                 BourseClient     *client)
{
  g_assert (BOURSE_IS_SYSTEM_PAGE (self));

  bourse_system_page_update_connection (self);
}

static gboolean
bourse_system_page_tick_cb (gpointer user_data)
{
  BourseSystemPage *self = user_data;

  bourse_system_page_update_uptime (self);

  return G_SOURCE_CONTINUE;
}

/* Count only while someone can see it. */
static void
bourse_system_page_map (GtkWidget *widget)
{
  BourseSystemPage *self = (BourseSystemPage *)widget;

  GTK_WIDGET_CLASS (bourse_system_page_parent_class)->map (widget);

  bourse_system_page_update_uptime (self);
  if (self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, bourse_system_page_tick_cb, self);
}

static void
bourse_system_page_unmap (GtkWidget *widget)
{
  BourseSystemPage *self = (BourseSystemPage *)widget;

  g_clear_handle_id (&self->tick_id, g_source_remove);

  GTK_WIDGET_CLASS (bourse_system_page_parent_class)->unmap (widget);
}

/* Component health {{{ */

static void
set_component_row (BourseSystemPage *self,
                   JsonObject       *item)
{
  const char *component = bourse_json_get_string (item, "component");
  const char *status = bourse_json_get_string (item, "status");
  const char *reason = bourse_json_get_string (item, "reason");
  const char *since = bourse_json_get_string (item, "since");
  g_autofree char *since_text = NULL;
  g_autofree char *subtitle = NULL;
  const char *icon_name;
  const char *style;
  const char *display;
  GtkWidget *row;
  GtkWidget *icon;
  GtkWidget *label;

  if (component == NULL)
    return;

  row = g_hash_table_lookup (self->component_rows, component);
  if (row == NULL)
    {
      g_autofree char *name = g_strdup_printf ("component-%s", component);

      row = adw_action_row_new ();
      gtk_widget_set_name (row, name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), component);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      icon = gtk_image_new ();
      gtk_widget_set_name (icon, "component-icon");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      label = gtk_label_new (NULL);
      gtk_widget_set_name (label, "component-status");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      g_object_set_data (G_OBJECT (row), "bourse-icon", icon);
      g_object_set_data (G_OBJECT (row), "bourse-label", label);
      adw_preferences_group_add (self->components_group, row);
      g_hash_table_insert (self->component_rows, g_strdup (component), row);
    }
  icon = g_object_get_data (G_OBJECT (row), "bourse-icon");
  label = g_object_get_data (G_OBJECT (row), "bourse-label");

  if (g_strcmp0 (status, "ok") == 0)
    icon_name = "emblem-ok-symbolic", style = "success", display = _("OK");
  else if (g_strcmp0 (status, "degraded") == 0)
    icon_name = "dialog-warning-symbolic", style = "warning", display = _("Degraded");
  else if (g_strcmp0 (status, "down") == 0)
    icon_name = "dialog-error-symbolic", style = "error", display = _("Down");
  else
    icon_name = "dialog-question-symbolic", style = NULL, display = status;

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_name);
  gtk_widget_set_tooltip_text (icon, display);
  gtk_label_set_label (GTK_LABEL (label), display);
  for (guint i = 0; i < 3; i++)
    {
      const char *classes[] = { "success", "warning", "error" };

      gtk_widget_remove_css_class (icon, classes[i]);
      gtk_widget_remove_css_class (label, classes[i]);
    }
  if (style != NULL)
    {
      gtk_widget_add_css_class (icon, style);
      gtk_widget_add_css_class (label, style);
    }

  since_text = since != NULL ? bourse_format_local_time (since) : NULL;
  if (reason != NULL && reason[0] != '\0' && since_text != NULL)
    /* Translators: a component's state's reason, and since when */
    subtitle = g_strdup_printf (_("%s — since %s"), reason, since_text);
  else if (since_text != NULL)
    /* Translators: since when a component is in its state */
    subtitle = g_strdup_printf (_("Since %s"), since_text);
  else
    subtitle = g_strdup (reason);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
}

static void
bourse_system_page_components_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(BourseSystemPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *items;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Could not load the components' health: %s", error->message);
      return;
    }

  items = bourse_json_get_array (JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL, "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (item != NULL)
        set_component_row (self, item);
    }
}

static void
bourse_system_page_load_components (BourseSystemPage *self)
{
  g_cancellable_cancel (self->components_cancellable);
  g_clear_object (&self->components_cancellable);

  if (self->client == NULL)
    return;

  self->components_cancellable = g_cancellable_new ();
  bourse_client_get_json_async (self->client, "/api/v1/health/components", self->components_cancellable,
                                bourse_system_page_components_cb, g_object_ref (self));
}

static void
bourse_system_page_clear_components (BourseSystemPage *self)
{
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->component_rows);
  while (g_hash_table_iter_next (&iter, NULL, &row))
    adw_preferences_group_remove (self->components_group, row);
  g_hash_table_remove_all (self->component_rows);
}

/* A transition: the component's row turns at once. */
static void
bourse_system_page_alert_cb (BourseSystemPage *self,
                             const char       *topic,
                             gint64            seq,
                             JsonNode         *data,
                             BourseClient     *client)
{
  JsonObject *object = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;

  if (g_strcmp0 (bourse_json_get_string (object, "type"), "component") == 0)
    set_component_row (self, object);
}

/* Alerts are for those the server lets read them; the others see the
 * components as loaded, and again on reconnection. */
static void
bourse_system_page_follow_components (BourseSystemPage *self)
{
  if (self->client != NULL && !self->alerts_subscribed &&
      bourse_system_page_may (self, "users.read") && bourse_system_page_may (self, "system.read"))
    {
      self->alerts_subscribed = TRUE;
      bourse_client_subscribe (self->client, ALERTS_TOPIC);
      bourse_system_page_load_components (self);
    }
}

/* }}} */

/* The mode switch {{{ */

static void
bourse_system_page_mode_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(BourseSystemPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->mode_busy = FALSE;

  if (answer != NULL)
    {
      /* The answer is the new status; the topic tells everyone else. */
      self->n_events++;
      bourse_system_page_apply (self, answer);
      bourse_system_page_update_permissions (self);
      return;
    }

  /* The server's words stay on the row (no keys that passed the check,
   * paper orders still open…) as well as in a toast. */
  text = bourse_problem_to_text (problem, error);
  /* Translators: the server's answer to a change of the trading mode */
  message = g_strdup_printf (_("The trading mode did not change: %s"), text);
  adw_action_row_set_subtitle (self->mode_row, message);
  gtk_widget_add_css_class (GTK_WIDGET (self->mode_row), "error");
  bourse_widget_show_toast (GTK_WIDGET (self), message);
  bourse_system_page_update_permissions (self);
}

static void
bourse_system_page_set_mode (BourseSystemPage *self,
                             const char       *mode,
                             const char       *confirm)
{
  g_autoptr(JsonNode) body = NULL;

  g_assert (BOURSE_IS_SYSTEM_PAGE (self));

  if (self->client == NULL || self->mode_busy)
    return;

  if (confirm != NULL)
    body = bourse_json_new_object ("mode", mode, "confirm", confirm, NULL);
  else
    body = bourse_json_new_object ("mode", mode, NULL);
  self->mode_busy = TRUE;
  adw_action_row_set_subtitle (self->mode_row, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->mode_row), "error");
  bourse_system_page_update_permissions (self);
  bourse_client_request_json_async (self->client, "POST", "/api/v1/system/mode", body,
                                    self->action_cancellable, bourse_system_page_mode_cb,
                                    g_object_ref (self));
}

/* The word to type, as the API wants it: not translated. */
#define LIVE_CONFIRMATION "LIVE"

static void
bourse_system_page_live_changed_cb (AdwMessageDialog *dialog,
                                    GtkEditable      *entry)
{
  adw_message_dialog_set_response_enabled (dialog, "live",
                                           g_strcmp0 (gtk_editable_get_text (entry),
                                                      LIVE_CONFIRMATION) == 0);
}

static void
bourse_system_page_live_response_cb (BourseSystemPage *self,
                                     const char       *response,
                                     AdwMessageDialog *dialog)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "confirm-entry");

  g_assert (BOURSE_IS_SYSTEM_PAGE (self));

  /* What was typed goes as typed: the server checks it again. */
  if (g_strcmp0 (response, "live") == 0)
    bourse_system_page_set_mode (self, "live", gtk_editable_get_text (entry));
}

static void
bourse_system_page_go_live_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  BourseSystemPage *self = BOURSE_SYSTEM_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  if (self->live_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->live_dialog));
      return;
    }

  body = g_strdup_printf (_("Orders will go to Binance and trade real money with the keys in "
                            "Preferences → Exchange. Open paper orders must be closed first; "
                            "the paper book stays as it is. Type %s to confirm."),
                          LIVE_CONFIRMATION);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Trade Live with Real Money?"), body);
  gtk_widget_set_name (dialog, "live-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "live", _("Trade _Live"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "live",
                                              ADW_RESPONSE_DESTRUCTIVE);
  /* Not a click away: the word must be typed first. */
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "live", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "live-confirm-entry");
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), LIVE_CONFIRMATION);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Confirmation"),
                                  -1);
  g_signal_connect_object (entry, "changed",
                           G_CALLBACK (bourse_system_page_live_changed_cb),
                           dialog, G_CONNECT_SWAPPED);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_object_set_data (G_OBJECT (dialog), "confirm-entry", entry);

  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (bourse_system_page_live_response_cb),
                           self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->live_dialog, dialog);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
bourse_system_page_paper_response_cb (BourseSystemPage *self,
                                      const char       *response,
                                      AdwMessageDialog *dialog)
{
  g_assert (BOURSE_IS_SYSTEM_PAGE (self));

  if (g_strcmp0 (response, "paper") == 0)
    bourse_system_page_set_mode (self, "paper", NULL);
}

static void
bourse_system_page_go_paper_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  BourseSystemPage *self = BOURSE_SYSTEM_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Back to Paper Trading?"),
                                   _("New orders trade the paper account again. Open live orders "
                                     "must be canceled first: they stay on the exchange otherwise."));
  gtk_widget_set_name (dialog, "paper-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "paper", _("Trade _Paper"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "paper",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "paper");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (bourse_system_page_paper_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bourse_system_page_reconcile_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(BourseSystemPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  GtkRoot *root;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->mode_busy = FALSE;
  bourse_system_page_update_permissions (self);

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_autofree char *text = bourse_problem_to_text (problem, error);
      /* Translators: the server's answer to “Reconcile Now” */
      g_autofree char *message = g_strdup_printf (_("Could not reconcile: %s"), text);

      bourse_widget_show_toast (GTK_WIDGET (self), message);
      return;
    }

  /* The request keeps the page, not its window: one closed meanwhile
   * gets no report over it, nor a report without it. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (!GTK_IS_WINDOW (root) || !gtk_widget_get_visible (GTK_WIDGET (root)))
    return;

  gtk_window_present (GTK_WINDOW (bourse_reconciliation_dialog_new (GTK_WINDOW (root),
                                                                    json_node_get_object (answer))));
}

static void
bourse_system_page_reconcile_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  BourseSystemPage *self = BOURSE_SYSTEM_PAGE (widget);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);

  if (self->client == NULL || self->mode_busy)
    return;

  json_node_take_object (body, json_object_new ());
  self->mode_busy = TRUE;
  bourse_system_page_update_permissions (self);
  bourse_client_request_json_async (self->client, "POST", "/api/v1/system/reconcile", body,
                                    self->action_cancellable, bourse_system_page_reconcile_cb,
                                    g_object_ref (self));
}

/* }}} */

BourseClient *
bourse_system_page_get_client (BourseSystemPage *self)
{
  g_return_val_if_fail (BOURSE_IS_SYSTEM_PAGE (self), NULL);

  return self->client;
}

void
bourse_system_page_set_client (BourseSystemPage *self,
                               BourseClient     *client)
{
  g_return_if_fail (BOURSE_IS_SYSTEM_PAGE (self));
  g_return_if_fail (!client || BOURSE_IS_CLIENT (client));

  if (self->client == client)
    return;

  if (self->client != NULL)
    bourse_client_unsubscribe (self->client, SYSTEM_TOPIC);
  if (self->client != NULL && self->alerts_subscribed)
    bourse_client_unsubscribe (self->client, ALERTS_TOPIC);
  self->alerts_subscribed = FALSE;
  bourse_system_page_clear_components (self);

  g_set_object (&self->client, client);
  g_signal_group_set_target (self->client_signals, client);

  if (client != NULL)
    bourse_client_subscribe (client, SYSTEM_TOPIC);

  g_clear_pointer (&self->mode, g_free);
  self->mode_busy = FALSE;
  bourse_system_page_update_permissions (self);
  bourse_system_page_update_connection (self);
  bourse_system_page_load (self);
  bourse_system_page_load_components (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
bourse_system_page_dispose (GObject *object)
{
  BourseSystemPage *self = (BourseSystemPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->action_cancellable);
  g_clear_object (&self->action_cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  bourse_clear_weak_window (&self->live_dialog);

  g_cancellable_cancel (self->components_cancellable);
  g_clear_object (&self->components_cancellable);
  if (self->client != NULL)
    bourse_client_unsubscribe (self->client, SYSTEM_TOPIC);
  if (self->client != NULL && self->alerts_subscribed)
    bourse_client_unsubscribe (self->client, ALERTS_TOPIC);
  self->alerts_subscribed = FALSE;
  if (self->client_signals != NULL)
    g_signal_group_set_target (self->client_signals, NULL);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_SYSTEM_PAGE);

  G_OBJECT_CLASS (bourse_system_page_parent_class)->dispose (object);
}

static void
bourse_system_page_finalize (GObject *object)
{
  BourseSystemPage *self = (BourseSystemPage *)object;

  g_clear_pointer (&self->mode, g_free);
  g_clear_pointer (&self->component_rows, g_hash_table_unref);

  G_OBJECT_CLASS (bourse_system_page_parent_class)->finalize (object);
}

static void
bourse_system_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BourseSystemPage *self = BOURSE_SYSTEM_PAGE (object);

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
bourse_system_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BourseSystemPage *self = BOURSE_SYSTEM_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bourse_system_page_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_system_page_class_init (BourseSystemPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_system_page_dispose;
  object_class->finalize = bourse_system_page_finalize;
  object_class->get_property = bourse_system_page_get_property;
  object_class->set_property = bourse_system_page_set_property;

  widget_class->map = bourse_system_page_map;
  widget_class->unmap = bourse_system_page_unmap;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "system.go-live", NULL,
                                   bourse_system_page_go_live_action);
  gtk_widget_class_install_action (widget_class, "system.go-paper", NULL,
                                   bourse_system_page_go_paper_action);
  gtk_widget_class_install_action (widget_class, "system.reconcile", NULL,
                                   bourse_system_page_reconcile_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-system-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, uptime_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, mode_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, mode_row);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, go_live_button);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, go_paper_button);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, reconcile_row);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, version_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, address_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, websocket_clients_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, connection_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, database_path_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, schema_version_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, database_status_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, components_group);
}

static void
bourse_system_page_init (BourseSystemPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->component_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->action_cancellable = g_cancellable_new ();
  self->client_signals = g_signal_group_new (BOURSE_TYPE_CLIENT);
  g_signal_group_connect_object (self->client_signals, "event::" SYSTEM_TOPIC,
                                 G_CALLBACK (bourse_system_page_event_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "resync::" SYSTEM_TOPIC,
                                 G_CALLBACK (bourse_system_page_resync_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "event::" ALERTS_TOPIC,
                                 G_CALLBACK (bourse_system_page_alert_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "resync::" ALERTS_TOPIC,
                                 G_CALLBACK (bourse_system_page_resync_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "notify::connected",
                                 G_CALLBACK (bourse_system_page_connected_cb),
                                 self, G_CONNECT_SWAPPED);

  bourse_system_page_update_connection (self);
  bourse_system_page_update_permissions (self);
}

GtkWidget *
bourse_system_page_new (void)
{
  return g_object_new (BOURSE_TYPE_SYSTEM_PAGE, NULL);
}
