/* bourse-logs-page.c — the engine's log, newest first, and its live tail
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GET /api/v1/logs gives the ring's entries at or above a level (and of a
 * domain), newest first, by cursor; the logs topic carries each new one.
 * The level and the domain are asked of the server; the search filters
 * what is held here.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "core/bourse-json.h"

#include "bourse-app-util.h"
#include "bourse-logs-page.h"
#include "bourse-tab-stop.h"

#define LOGS_TOPIC  "logs"
#define PAGE_SIZE   200
/* Held at most; the oldest go, and Show Older brings them back. */
#define MAX_ENTRIES 5000

struct _BourseLogsPage
{
  AdwBin          parent_instance;

  BourseClient   *client;
  GSignalGroup   *client_signals;
  GCancellable   *cancellable;
  gboolean        subscribed;

  gboolean        loading;         /* the first page is on its way */
  gint64          newest_id;       /* the newest entry held: the topic's overlap is dropped */
  gint64          oldest_id;       /* the cursor of Show Older; 0 without more */
  guint           n_entries;
  GPtrArray      *waiting;         /* entries from the topic held while loading or paused */

  GtkDropDown    *level_dropdown;
  GtkEditable    *domain_entry;
  GtkEditable    *search_entry;
  GtkLabel       *pending_label;
  GtkToggleButton *pause_button;
  GtkListBox     *list_box;
  GtkWidget      *older_button;
};

G_DEFINE_FINAL_TYPE (BourseLogsPage, bourse_logs_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* In the order of the level drop-down. */
static const char * const levels[] = { "debug", "info", "message", "warning", "critical", "error" };

static guint
level_rank (const char *level)
{
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    if (g_strcmp0 (level, levels[i]) == 0)
      return i;

  return 0;
}

static const char *
level_to_display (const char *level)
{
  static const char * const display[] = { N_("Debug"), N_("Info"), N_("Message"), N_("Warning"),
                                          N_("Critical"), N_("Error") };

  return _(display[level_rank (level)]);
}

static guint
bourse_logs_page_min_rank (BourseLogsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->level_dropdown);

  return selected < G_N_ELEMENTS (levels) ? selected : 0;
}

static const char *
bourse_logs_page_domain (BourseLogsPage *self)
{
  const char *domain = gtk_editable_get_text (self->domain_entry);

  return domain[0] != '\0' ? domain : NULL;
}

/* Whether an entry from the topic passes the filters the server applied
 * to the list. */
static gboolean
bourse_logs_page_wants (BourseLogsPage *self,
                        JsonObject     *entry)
{
  const char *domain = bourse_logs_page_domain (self);

  return level_rank (bourse_json_get_string (entry, "level")) >= bourse_logs_page_min_rank (self) &&
         (domain == NULL || g_strcmp0 (domain, bourse_json_get_string (entry, "domain")) == 0);
}

static GtkWidget *
create_row (JsonObject *entry)
{
  const char *level = bourse_json_get_string (entry, "level");
  const char *message = bourse_json_get_string (entry, "message");
  const char *request_id = bourse_json_get_string (entry, "request_id");
  g_autofree char *time = NULL;
  g_autofree char *name = NULL;
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *label;
  gint64 id = 0;

  bourse_json_get_int (entry, "id", &id);
  row = gtk_list_box_row_new ();
  name = g_strdup_printf ("log-%" G_GINT64_FORMAT, id);
  gtk_widget_set_name (row, name);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data_full (G_OBJECT (row), "bourse-message", g_strdup (message ? message : ""), g_free);
  g_object_set_data (G_OBJECT (row), "bourse-id", GINT_TO_POINTER ((int) id));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  time = bourse_format_local_time (bourse_json_get_string (entry, "ts"));
  label = gtk_label_new (time);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), label);

  label = gtk_label_new (level_to_display (level));
  gtk_widget_set_name (label, "log-level");
  gtk_label_set_width_chars (GTK_LABEL (label), 8);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  if (level_rank (level) >= level_rank ("critical"))
    gtk_widget_add_css_class (label, "error");
  else if (level_rank (level) == level_rank ("warning"))
    gtk_widget_add_css_class (label, "warning");
  gtk_box_append (GTK_BOX (box), label);

  label = gtk_label_new (bourse_json_get_string (entry, "domain"));
  gtk_label_set_width_chars (GTK_LABEL (label), 16);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 16);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_widget_set_tooltip_text (label, bourse_json_get_string (entry, "domain"));
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  label = gtk_label_new (message);
  gtk_widget_set_name (label, "log-message");
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (request_id != NULL)
    {
      /* Translators: the request a log message was written for */
      g_autofree char *tooltip = g_strdup_printf (_("Request %s"), request_id);

      gtk_widget_set_tooltip_text (label, tooltip);
    }
  gtk_box_append (GTK_BOX (box), label);

  return row;
}

static void
bourse_logs_page_clear (BourseLogsPage *self)
{
  GtkListBoxRow *row;

  /* By index: the placeholder is a child too. */
  while ((row = gtk_list_box_get_row_at_index (self->list_box, 0)) != NULL)
    gtk_list_box_remove (self->list_box, GTK_WIDGET (row));

  self->n_entries = 0;
  self->newest_id = 0;
  self->oldest_id = 0;
  g_ptr_array_set_size (self->waiting, 0);
  gtk_widget_set_visible (self->older_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_label), FALSE);
}

/* Drops the oldest beyond MAX_ENTRIES; Show Older reads them again. */
static void
bourse_logs_page_trim (BourseLogsPage *self)
{
  while (self->n_entries > MAX_ENTRIES)
    {
      GtkListBoxRow *last = gtk_list_box_get_row_at_index (self->list_box, self->n_entries - 1);
      GtkListBoxRow *kept = gtk_list_box_get_row_at_index (self->list_box, self->n_entries - 2);

      gtk_list_box_remove (self->list_box, GTK_WIDGET (last));
      self->n_entries--;
      self->oldest_id = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (kept), "bourse-id"));
      gtk_widget_set_visible (self->older_button, TRUE);
    }
}

static void
bourse_logs_page_add_live (BourseLogsPage *self,
                           JsonNode       *node)
{
  JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  gint64 id = 0;

  if (entry == NULL || !bourse_json_get_int (entry, "id", &id) || id <= self->newest_id ||
      !bourse_logs_page_wants (self, entry))
    return;

  gtk_list_box_prepend (self->list_box, create_row (entry));
  self->newest_id = id;
  self->n_entries++;
  bourse_logs_page_trim (self);
}

static void
bourse_logs_page_update_pending (BourseLogsPage *self)
{
  gboolean paused = gtk_toggle_button_get_active (self->pause_button);

  gtk_widget_set_visible (GTK_WIDGET (self->pending_label), paused && self->waiting->len > 0);
  if (paused && self->waiting->len > 0)
    {
      /* Translators: how many messages wait while the log is paused */
      g_autofree char *text = g_strdup_printf (_("Waiting: %u"), self->waiting->len);

      gtk_label_set_label (self->pending_label, text);
    }
}

static void
bourse_logs_page_flush (BourseLogsPage *self)
{
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);

  self->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < waiting->len; i++)
    bourse_logs_page_add_live (self, g_ptr_array_index (waiting, i));
  bourse_logs_page_update_pending (self);
}

static void
bourse_logs_page_load_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(BourseLogsPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *items;
  gboolean first_page = self->loading;
  gint64 cursor = 0;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: the server's answer to a request for the log */
          g_autofree char *message = g_strdup_printf (_("Could not load the log: %s"), error->message);

          self->loading = FALSE;
          bourse_widget_show_toast (GTK_WIDGET (self), message);
        }
      return;
    }

  root = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  items = bourse_json_get_array (root, "items");
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonObject *entry = json_array_get_object_element (items, i);
      gint64 id = 0;

      if (entry == NULL || !bourse_json_get_int (entry, "id", &id))
        continue;
      gtk_list_box_append (self->list_box, create_row (entry));
      self->n_entries++;
      if (first_page && i == 0)
        self->newest_id = id;
    }

  /* The cursor is a string (the id of the oldest entry shown). */
  if (bourse_json_get_string (root, "next_cursor") != NULL)
    cursor = g_ascii_strtoll (bourse_json_get_string (root, "next_cursor"), NULL, 10);
  self->oldest_id = cursor;
  gtk_widget_set_visible (self->older_button, cursor > 0);

  if (first_page)
    {
      self->loading = FALSE;
      if (!gtk_toggle_button_get_active (self->pause_button))
        bourse_logs_page_flush (self);
    }
}

static void
bourse_logs_page_request (BourseLogsPage *self,
                          gint64          cursor)
{
  g_autoptr(GString) path = g_string_new ("/api/v1/logs?limit=");
  const char *domain = bourse_logs_page_domain (self);

  g_string_append_printf (path, "%d&level=%s", PAGE_SIZE, levels[bourse_logs_page_min_rank (self)]);
  if (domain != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (domain, NULL, FALSE);

      g_string_append_printf (path, "&domain=%s", escaped);
    }
  if (cursor > 0)
    g_string_append_printf (path, "&cursor=%" G_GINT64_FORMAT, cursor);

  bourse_client_get_json_async (self->client, path->str, self->cancellable,
                                bourse_logs_page_load_cb, g_object_ref (self));
}

static void
bourse_logs_page_reload (BourseLogsPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  bourse_logs_page_clear (self);
  if (self->client == NULL)
    return;

  /* The topic's entries that come meanwhile wait for the list. */
  self->loading = TRUE;
  bourse_logs_page_request (self, 0);
}

static void
bourse_logs_page_event_cb (BourseLogsPage *self,
                           const char     *topic,
                           gint64          seq,
                           JsonNode       *data,
                           BourseClient   *client)
{
  /* Hidden (another page shown), new rows would only cost layout: the
   * window's stack measures every page, a long list at each new line. */
  if (self->loading || gtk_toggle_button_get_active (self->pause_button)
      || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      /* At most what the list can hold: a long pause keeps the newest. */
      if (self->waiting->len >= MAX_ENTRIES)
        g_ptr_array_remove_index (self->waiting, 0);
      g_ptr_array_add (self->waiting, json_node_ref (data));
      bourse_logs_page_update_pending (self);
      return;
    }

  bourse_logs_page_add_live (self, data);
}

/* Entries missed meanwhile: the ring still has them. */
static void
bourse_logs_page_resync_cb (BourseLogsPage *self,
                            const char     *topic,
                            BourseClient   *client)
{
  bourse_logs_page_reload (self);
}

static void
bourse_logs_page_filter_changed_cb (BourseLogsPage *self)
{
  bourse_logs_page_reload (self);
}

static void
bourse_logs_page_search_changed_cb (BourseLogsPage *self)
{
  gtk_list_box_invalidate_filter (self->list_box);
}

static void
bourse_logs_page_pause_toggled_cb (BourseLogsPage *self)
{
  gboolean paused = gtk_toggle_button_get_active (self->pause_button);

  gtk_button_set_icon_name (GTK_BUTTON (self->pause_button),
                            paused ? "media-playback-start-symbolic" : "media-playback-pause-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->pause_button),
                               paused ? _("Follow: show new messages as they come")
                                      : _("Pause: new messages wait until you follow again"));
  if (!paused && !self->loading)
    bourse_logs_page_flush (self);
  bourse_logs_page_update_pending (self);
}

static void
bourse_logs_page_older_clicked_cb (BourseLogsPage *self)
{
  if (self->client != NULL && self->oldest_id > 0)
    bourse_logs_page_request (self, self->oldest_id);
}

static gboolean
bourse_logs_page_filter_func (GtkListBoxRow *row,
                              gpointer       user_data)
{
  BourseLogsPage *self = user_data;
  const char *search = gtk_editable_get_text (self->search_entry);
  const char *message = g_object_get_data (G_OBJECT (row), "bourse-message");
  g_autofree char *folded_search = NULL;
  g_autofree char *folded_message = NULL;

  if (search[0] == '\0')
    return TRUE;

  folded_search = g_utf8_casefold (search, -1);
  folded_message = g_utf8_casefold (message ? message : "", -1);

  return strstr (folded_message, folded_search) != NULL;
}

BourseClient *
bourse_logs_page_get_client (BourseLogsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_LOGS_PAGE (self), NULL);

  return self->client;
}

void
bourse_logs_page_set_client (BourseLogsPage *self,
                             BourseClient   *client)
{
  g_return_if_fail (BOURSE_IS_LOGS_PAGE (self));
  g_return_if_fail (!client || BOURSE_IS_CLIENT (client));

  if (self->client == client)
    return;

  if (self->client != NULL && self->subscribed)
    bourse_client_unsubscribe (self->client, LOGS_TOPIC);
  self->subscribed = FALSE;

  g_set_object (&self->client, client);
  g_signal_group_set_target (self->client_signals, client);

  if (client != NULL)
    {
      bourse_client_subscribe (client, LOGS_TOPIC);
      self->subscribed = TRUE;
    }
  bourse_logs_page_reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

guint
bourse_logs_page_get_n_entries (BourseLogsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_LOGS_PAGE (self), 0);

  return self->n_entries;
}

GtkWidget *
bourse_logs_page_find_message (BourseLogsPage *self,
                               const char     *text)
{
  g_return_val_if_fail (BOURSE_IS_LOGS_PAGE (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  for (guint i = 0; i < self->n_entries; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list_box, i);
      const char *message = row ? g_object_get_data (G_OBJECT (row), "bourse-message") : NULL;

      if (message != NULL && strstr (message, text) != NULL && gtk_widget_get_child_visible (GTK_WIDGET (row)))
        return GTK_WIDGET (row);
    }

  return NULL;
}

static void
bourse_logs_page_dispose (GObject *object)
{
  BourseLogsPage *self = (BourseLogsPage *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->client != NULL && self->subscribed)
    bourse_client_unsubscribe (self->client, LOGS_TOPIC);
  self->subscribed = FALSE;
  if (self->client_signals != NULL)
    g_signal_group_set_target (self->client_signals, NULL);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_LOGS_PAGE);

  G_OBJECT_CLASS (bourse_logs_page_parent_class)->dispose (object);
}

static void
bourse_logs_page_finalize (GObject *object)
{
  BourseLogsPage *self = (BourseLogsPage *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);

  G_OBJECT_CLASS (bourse_logs_page_parent_class)->finalize (object);
}

static void
bourse_logs_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BourseLogsPage *self = BOURSE_LOGS_PAGE (object);

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
bourse_logs_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BourseLogsPage *self = BOURSE_LOGS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bourse_logs_page_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Shown again: what came meanwhile, unless paused. */
static void
bourse_logs_page_map (GtkWidget *widget)
{
  BourseLogsPage *self = BOURSE_LOGS_PAGE (widget);

  GTK_WIDGET_CLASS (bourse_logs_page_parent_class)->map (widget);
  if (!self->loading && !gtk_toggle_button_get_active (self->pause_button) && self->waiting->len > 0)
    bourse_logs_page_flush (self);
}

static void
bourse_logs_page_class_init (BourseLogsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_logs_page_dispose;
  object_class->finalize = bourse_logs_page_finalize;
  object_class->get_property = bourse_logs_page_get_property;
  object_class->set_property = bourse_logs_page_set_property;
  widget_class->map = bourse_logs_page_map;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-logs-page.ui");
  g_type_ensure (BOURSE_TYPE_TAB_STOP);
  gtk_widget_class_bind_template_child (widget_class, BourseLogsPage, level_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BourseLogsPage, domain_entry);
  gtk_widget_class_bind_template_child (widget_class, BourseLogsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BourseLogsPage, pending_label);
  gtk_widget_class_bind_template_child (widget_class, BourseLogsPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, BourseLogsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, BourseLogsPage, older_button);
  gtk_widget_class_bind_template_callback (widget_class, bourse_logs_page_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_logs_page_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_logs_page_pause_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_logs_page_older_clicked_cb);
}

static void
bourse_logs_page_init (BourseLogsPage *self)
{
  self->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  gtk_widget_init_template (GTK_WIDGET (self));
  bourse_page_measure_when_shown (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  gtk_list_box_set_filter_func (self->list_box, bourse_logs_page_filter_func, self, NULL);
  self->client_signals = g_signal_group_new (BOURSE_TYPE_CLIENT);
  g_signal_group_connect_object (self->client_signals, "event::" LOGS_TOPIC,
                                 G_CALLBACK (bourse_logs_page_event_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "resync::" LOGS_TOPIC,
                                 G_CALLBACK (bourse_logs_page_resync_cb),
                                 self, G_CONNECT_SWAPPED);
}

GtkWidget *
bourse_logs_page_new (void)
{
  return g_object_new (BOURSE_TYPE_LOGS_PAGE, NULL);
}
