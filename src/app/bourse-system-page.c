/* bourse-system-page.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "core/bourse-json.h"

#include "bourse-system-page.h"

#define SYSTEM_TOPIC "system"

struct _BourseSystemPage
{
  AdwPreferencesPage  parent_instance;

  BourseClient       *client;
  GSignalGroup       *client_signals;
  GCancellable       *cancellable;
  guint               n_events;       /* WebSocket updates applied so far */
  guint               n_events_at_load;

  /* The server's uptime when it last told us, and when that was, so the
   * page can count on between updates. */
  gint64              uptime_s;
  gint64              uptime_stamp_us;
  gboolean            running;
  guint               tick_id;

  GtkLabel           *state_label;
  GtkLabel           *uptime_label;
  GtkLabel           *mode_label;
  GtkLabel           *version_label;
  GtkLabel           *address_label;
  GtkLabel           *websocket_clients_label;
  GtkLabel           *connection_label;
  GtkLabel           *database_path_label;
  GtkLabel           *schema_version_label;
  GtkLabel           *database_status_label;
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
  static const struct {
    const char *state;
    const char *display;
  } states[] = {
    { "stopped",  N_("Stopped") },
    { "starting", N_("Starting") },
    { "running",  N_("Running") },
    { "stopping", N_("Stopping") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    if (g_strcmp0 (state, states[i].state) == 0)
      return _(states[i].display);

  return state;
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

  set_text (self->mode_label, mode_to_display (bourse_json_get_string (root, "mode")));
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

  g_set_object (&self->client, client);
  g_signal_group_set_target (self->client_signals, client);

  if (client != NULL)
    bourse_client_subscribe (client, SYSTEM_TOPIC);

  bourse_system_page_update_connection (self);
  bourse_system_page_load (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
bourse_system_page_dispose (GObject *object)
{
  BourseSystemPage *self = (BourseSystemPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);

  if (self->client != NULL)
    bourse_client_unsubscribe (self->client, SYSTEM_TOPIC);
  if (self->client_signals != NULL)
    g_signal_group_set_target (self->client_signals, NULL);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_SYSTEM_PAGE);

  G_OBJECT_CLASS (bourse_system_page_parent_class)->dispose (object);
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
  object_class->get_property = bourse_system_page_get_property;
  object_class->set_property = bourse_system_page_set_property;

  widget_class->map = bourse_system_page_map;
  widget_class->unmap = bourse_system_page_unmap;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-system-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, uptime_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, mode_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, version_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, address_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, websocket_clients_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, connection_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, database_path_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, schema_version_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSystemPage, database_status_label);
}

static void
bourse_system_page_init (BourseSystemPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->client_signals = g_signal_group_new (BOURSE_TYPE_CLIENT);
  g_signal_group_connect_object (self->client_signals, "event::" SYSTEM_TOPIC,
                                 G_CALLBACK (bourse_system_page_event_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "resync::" SYSTEM_TOPIC,
                                 G_CALLBACK (bourse_system_page_resync_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "notify::connected",
                                 G_CALLBACK (bourse_system_page_connected_cb),
                                 self, G_CONNECT_SWAPPED);

  bourse_system_page_update_connection (self);
}

GtkWidget *
bourse_system_page_new (void)
{
  return g_object_new (BOURSE_TYPE_SYSTEM_PAGE, NULL);
}
