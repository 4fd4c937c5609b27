/* bourse-audit-page.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "client/bourse-client-records.h"
#include "client/bourse-client-store.h"

#include "bourse-app-util.h"
#include "bourse-audit-item.h"
#include "bourse-audit-page.h"
#include "bourse-tab-stop.h"

#define PAGE_SIZE 100
#define AUDIT_TOPIC "audit"

struct _BourseAuditPage
{
  GtkWidget       parent_instance;

  BourseClient   *client;
  GSignalGroup   *client_signals;
  GCancellable   *verify_cancellable;
  /* BourseClientAuditEntry, newest first, a page at a time; live by the
   * audit topic without a filter. Made again when the filter changes. */
  BourseClientStore *store;
  GListStore        *items;           /* the store's entries as BourseAuditItem, in its order */
  GtkSortListModel  *sorted;          /* …in the order the column view's headers ask */

  AdwActionRow   *verify_row;
  GtkImage       *verify_icon;
  GtkSearchEntry *action_entry;
  GtkSearchEntry *actor_entry;
  GtkStack       *content_stack;
  GtkColumnView  *column_view;
  GtkColumnViewColumn *time_column;
  GtkColumnViewColumn *actor_column;
  GtkColumnViewColumn *action_column;
  GtkColumnViewColumn *target_column;
  GtkLabel       *count_label;
  GtkButton      *more_button;
  GtkWidget      *details_dialog;     /* weak; the one open, if any */
};

G_DEFINE_FINAL_TYPE (BourseAuditPage, bourse_audit_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Verification {{{ */

static void
bourse_audit_page_set_verdict (BourseAuditPage *self,
                               const char      *icon_name,
                               const char      *style,
                               const char      *text)
{
  GtkWidget *row = GTK_WIDGET (self->verify_row);

  g_assert (BOURSE_IS_AUDIT_PAGE (self));

  gtk_image_set_from_icon_name (self->verify_icon, icon_name);
  adw_action_row_set_subtitle (self->verify_row, text);

  /* A good verdict only colours its icon; a broken chain, the whole row. */
  gtk_widget_remove_css_class (row, "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->verify_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->verify_icon), "error");
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->verify_icon), style);
  if (g_strcmp0 (style, "error") == 0)
    gtk_widget_add_css_class (row, "error");
}

static void
bourse_audit_page_verify_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(BourseAuditPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *verdict;
  gboolean ok = FALSE;
  gint64 checked = 0;
  gint64 first_bad = 0;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      text = g_strdup_printf (_("Could not check: %s"), error->message);
      bourse_audit_page_set_verdict (self, "dialog-warning-symbolic", NULL, text);
      return;
    }

  verdict = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  bourse_json_get_boolean (verdict, "ok", &ok);
  bourse_json_get_int (verdict, "checked", &checked);
  bourse_json_get_int (verdict, "first_bad_id", &first_bad);

  if (ok)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, checked);

      /* Translators: the audit trail's hash chain checked out */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Intact — %s entry checked",
                                           "Intact — %s entries checked",
                                           (gulong) MAX (checked, 0)),
                              number);
      bourse_audit_page_set_verdict (self, "emblem-ok-symbolic", "success", text);
    }
  else
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, first_bad);

      /* Translators: the entry where the audit trail's hash chain breaks:
       * it, or one before it, was altered or deleted */
      text = g_strdup_printf (_("Broken at entry %s: the trail was altered there"), number);
      bourse_audit_page_set_verdict (self, "dialog-error-symbolic", "error", text);
    }
}

static void
bourse_audit_page_verify (BourseAuditPage *self)
{
  g_assert (BOURSE_IS_AUDIT_PAGE (self));

  g_cancellable_cancel (self->verify_cancellable);
  g_clear_object (&self->verify_cancellable);

  if (self->client == NULL)
    {
      bourse_audit_page_set_verdict (self, "content-loading-symbolic", NULL, "");
      return;
    }

  bourse_audit_page_set_verdict (self, "content-loading-symbolic", NULL, _("Checking…"));
  self->verify_cancellable = g_cancellable_new ();
  bourse_client_get_json_async (self->client, "/api/v1/audit/verify", self->verify_cancellable,
                                bourse_audit_page_verify_cb, g_object_ref (self));
}

/* }}} */

/* Entries {{{ */

static void
bourse_audit_page_update_footer (BourseAuditPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  g_autofree char *number = g_strdup_printf ("%u", n);
  g_autofree char *text = NULL;
  gboolean loaded = self->store != NULL && bourse_client_store_get_loaded (self->store);

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s entry", "%s entries", n), number);
  gtk_label_set_label (self->count_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->more_button),
                            self->store != NULL && bourse_client_store_get_has_more (self->store));
  /* "No entries" only once the server said so, not while it is asked. */
  gtk_stack_set_visible_child_name (self->content_stack, n > 0 || !loaded ? "entries" : "empty");
}

static char *
bourse_audit_page_build_path (BourseAuditPage *self)
{
  GString *path = g_string_new ("/api/v1/audit?limit=");
  const struct {
    const char *name;
    const char *value;
  } params[] = {
    { "action", gtk_editable_get_text (GTK_EDITABLE (self->action_entry)) },
    { "actor", gtk_editable_get_text (GTK_EDITABLE (self->actor_entry)) },
  };

  g_string_append_printf (path, "%u", PAGE_SIZE);
  for (guint i = 0; i < G_N_ELEMENTS (params); i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (params[i].value ? params[i].value : ""));

      if (trimmed[0] == '\0')
        continue;

      g_string_append_printf (path, "&%s=", params[i].name);
      g_string_append_uri_escaped (path, trimmed, NULL, FALSE);
    }

  return g_string_free (path, FALSE);
}

static gboolean
bourse_audit_page_is_filtered (BourseAuditPage *self)
{
  g_autofree char *action = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->action_entry))));
  g_autofree char *actor = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->actor_entry))));

  return action[0] != '\0' || actor[0] != '\0';
}

static void
bourse_audit_page_store_failed_cb (BourseAuditPage *self,
                                   const GError    *error)
{
  g_autofree char *message = g_strdup_printf (_("Could not load the audit trail: %s"), error->message);

  bourse_widget_show_toast (GTK_WIDGET (self), message);
}

/* The store's change, mirrored: an entry never changes, so only what
 * was inserted or removed is made or dropped. */
static void
bourse_audit_page_store_changed_cb (BourseAuditPage *self,
                                    guint            position,
                                    guint            removed,
                                    guint            added,
                                    GListModel      *store)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(BourseClientAuditEntry) entry = g_list_model_get_item (store, i);

      g_ptr_array_add (items, bourse_audit_item_new (entry));
    }
  g_list_store_splice (self->items, position, removed, items->pdata, items->len);
  bourse_audit_page_update_footer (self);
}

/* A store for the filter as typed. Without one, the audit topic keeps it
 * live: new entries come on top. With one, only the server knows whether
 * an entry matches: the page reads the first page again at each entry
 * (bourse_audit_page_event_cb). */
static void
bourse_audit_page_set_store (BourseAuditPage *self)
{
  g_autofree char *path = NULL;

  g_assert (BOURSE_IS_AUDIT_PAGE (self));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  if (self->client != NULL)
    {
      path = bourse_audit_page_build_path (self);
      self->store = bourse_client_store_new_paged (self->client, BOURSE_TYPE_CLIENT_AUDIT_ENTRY, path,
                                                   bourse_audit_page_is_filtered (self) ? NULL : AUDIT_TOPIC);
      g_signal_connect_object (self->store, "items-changed",
                               G_CALLBACK (bourse_audit_page_store_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "notify::has-more",
                               G_CALLBACK (bourse_audit_page_update_footer), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "notify::n-loads",
                               G_CALLBACK (bourse_audit_page_update_footer), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "failed",
                               G_CALLBACK (bourse_audit_page_store_failed_cb), self, G_CONNECT_SWAPPED);
    }

  g_list_store_remove_all (self->items);
  if (self->store != NULL)
    bourse_audit_page_store_changed_cb (self, 0, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                                        G_LIST_MODEL (self->store));
  bourse_audit_page_update_footer (self);
}

void
bourse_audit_page_reload (BourseAuditPage *self)
{
  g_return_if_fail (BOURSE_IS_AUDIT_PAGE (self));

  if (self->store != NULL)
    bourse_client_store_reload (self->store);
  bourse_audit_page_verify (self);
}

GListModel *
bourse_audit_page_get_entries (BourseAuditPage *self)
{
  g_return_val_if_fail (BOURSE_IS_AUDIT_PAGE (self), NULL);

  return G_LIST_MODEL (self->sorted);
}

BourseClientStore *
bourse_audit_page_get_store (BourseAuditPage *self)
{
  g_return_val_if_fail (BOURSE_IS_AUDIT_PAGE (self), NULL);

  return self->store;
}

void
bourse_audit_page_sort_by (BourseAuditPage *self,
                           const char      *column_id,
                           GtkSortType      direction)
{
  const struct {
    const char          *id;
    GtkColumnViewColumn *column;
  } columns[] = {
    { "time", self->time_column },
    { "actor", self->actor_column },
    { "action", self->action_column },
    { "target", self->target_column },
  };

  g_return_if_fail (BOURSE_IS_AUDIT_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    if (g_strcmp0 (columns[i].id, column_id) == 0)
      {
        gtk_column_view_sort_by_column (self->column_view, columns[i].column, direction);
        return;
      }
  g_return_if_reached ();
}

static void
bourse_audit_page_load_more_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  BourseAuditPage *self = BOURSE_AUDIT_PAGE (widget);

  if (self->store != NULL)
    bourse_client_store_load_more (self->store);
}

static void
bourse_audit_page_reload_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  bourse_audit_page_reload (BOURSE_AUDIT_PAGE (widget));
}

static void
bourse_audit_page_filter_changed_cb (BourseAuditPage *self,
                                     GtkSearchEntry  *entry)
{
  g_assert (BOURSE_IS_AUDIT_PAGE (self));

  bourse_audit_page_set_store (self);
}

/* Details {{{ */

static void
bourse_audit_page_close_details (BourseAuditPage *self)
{
  GtkWidget *dialog = g_steal_pointer (&self->details_dialog);

  if (dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->details_dialog);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

static char *
dup_pretty_details (BourseAuditItem *item)
{
  const char *details = bourse_audit_item_get_details (item);
  g_autoptr(JsonNode) node = details != NULL ? json_from_string (details, NULL) : NULL;

  if (node == NULL)
    return g_strdup (_("No details"));
  return json_to_string (node, TRUE);
}

/* Enter (or a double click) on an entry: everything it says, readable and
 * selectable, where the table's tooltips reach only a pointer. */
static void
bourse_audit_page_entry_activate_cb (BourseAuditPage *self,
                                     guint            position)
{
  g_autoptr(BourseAuditItem) item = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = NULL;
  g_autofree char *number = NULL;
  g_autofree char *body = NULL;
  g_autofree char *details = NULL;
  GtkWidget *dialog;
  GtkWidget *label;
  GtkWidget *scrolled;

  g_assert (BOURSE_IS_AUDIT_PAGE (self));

  if (item == NULL)
    return;

  bourse_audit_page_close_details (self);

  /* Translators: the number of an entry of the audit trail */
  number = g_strdup_printf ("%" G_GINT64_FORMAT, bourse_audit_item_get_id (item));
  heading = g_strdup_printf (_("Entry %s"), number);
  /* Translators: an audit entry's time, actor (and their id), action and
   * target (and its id) */
  body = g_strdup_printf (_("%s\n%s (%s)\n%s\n%s (%s)"),
                          bourse_audit_item_get_time (item) ?: "—",
                          bourse_audit_item_get_actor_display (item),
                          bourse_audit_item_get_actor (item) ?: "—",
                          bourse_audit_item_get_action (item) ?: "—",
                          bourse_audit_item_get_target_display (item),
                          bourse_audit_item_get_target (item) ?: "—");
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  gtk_widget_set_name (dialog, "audit-details-dialog");
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));

  details = dup_pretty_details (item);
  label = gtk_label_new (details);
  gtk_widget_set_name (label, "audit-details-label");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "monospace");
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);

  self->details_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->details_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* }}} */

/* Live {{{ */

/* The store follows the topic by itself; the verdict is checked again,
 * and a filtered list is read again (the server says what matches). */
static void
bourse_audit_page_event_cb (BourseAuditPage *self,
                            const char      *topic,
                            gint64           seq,
                            JsonNode        *data,
                            BourseClient    *client)
{
  g_assert (BOURSE_IS_AUDIT_PAGE (self));

  if (!JSON_NODE_HOLDS_OBJECT (data))
    return;
  if (self->store != NULL && bourse_audit_page_is_filtered (self))
    bourse_client_store_reload (self->store);
  bourse_audit_page_verify (self);
}

static void
bourse_audit_page_resync_cb (BourseAuditPage *self,
                             const char      *topic,
                             BourseClient    *client)
{
  g_assert (BOURSE_IS_AUDIT_PAGE (self));

  bourse_audit_page_reload (self);
}

/* }}} */

/* The trail grows with every sign-in: show it as it is now. */
static void
bourse_audit_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (bourse_audit_page_parent_class)->map (widget);

  bourse_audit_page_reload (BOURSE_AUDIT_PAGE (widget));
}

BourseClient *
bourse_audit_page_get_client (BourseAuditPage *self)
{
  g_return_val_if_fail (BOURSE_IS_AUDIT_PAGE (self), NULL);

  return self->client;
}

void
bourse_audit_page_set_client (BourseAuditPage *self,
                              BourseClient    *client)
{
  g_return_if_fail (BOURSE_IS_AUDIT_PAGE (self));
  g_return_if_fail (!client || BOURSE_IS_CLIENT (client));

  if (self->client == client)
    return;

  if (self->client != NULL)
    bourse_client_unsubscribe (self->client, AUDIT_TOPIC);
  g_set_object (&self->client, client);
  g_signal_group_set_target (self->client_signals, client);
  if (client != NULL)
    bourse_client_subscribe (client, AUDIT_TOPIC);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.reload", client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.load-more", client != NULL);
  bourse_audit_page_set_store (self);
  bourse_audit_page_verify (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
bourse_audit_page_dispose (GObject *object)
{
  BourseAuditPage *self = (BourseAuditPage *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->verify_cancellable);
  g_clear_object (&self->verify_cancellable);
  bourse_audit_page_close_details (self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  if (self->client != NULL)
    bourse_client_unsubscribe (self->client, AUDIT_TOPIC);
  if (self->client_signals != NULL)
    g_signal_group_set_target (self->client_signals, NULL);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_AUDIT_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  g_clear_object (&self->sorted);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (bourse_audit_page_parent_class)->dispose (object);
}

static void
bourse_audit_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BourseAuditPage *self = BOURSE_AUDIT_PAGE (object);

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
bourse_audit_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BourseAuditPage *self = BOURSE_AUDIT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bourse_audit_page_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_audit_page_class_init (BourseAuditPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_audit_page_dispose;
  object_class->get_property = bourse_audit_page_get_property;
  object_class->set_property = bourse_audit_page_set_property;

  widget_class->map = bourse_audit_page_map;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "audit.reload", NULL,
                                   bourse_audit_page_reload_action);
  gtk_widget_class_install_action (widget_class, "audit.load-more", NULL,
                                   bourse_audit_page_load_more_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-audit-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseAuditPage, verify_row);
  gtk_widget_class_bind_template_child (widget_class, BourseAuditPage, verify_icon);
  gtk_widget_class_bind_template_child (widget_class, BourseAuditPage, action_entry);
  gtk_widget_class_bind_template_child (widget_class, BourseAuditPage, actor_entry);
  gtk_widget_class_bind_template_child (widget_class, BourseAuditPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BourseAuditPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, BourseAuditPage, time_column);
  gtk_widget_class_bind_template_child (widget_class, BourseAuditPage, actor_column);
  gtk_widget_class_bind_template_child (widget_class, BourseAuditPage, action_column);
  gtk_widget_class_bind_template_child (widget_class, BourseAuditPage, target_column);
  gtk_widget_class_bind_template_child (widget_class, BourseAuditPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, BourseAuditPage, more_button);
  gtk_widget_class_bind_template_callback (widget_class, bourse_audit_page_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_audit_page_entry_activate_cb);

  g_type_ensure (BOURSE_TYPE_AUDIT_ITEM);
  g_type_ensure (BOURSE_TYPE_TAB_STOP);
}

static void
bourse_audit_page_init (BourseAuditPage *self)
{
  g_autoptr(GtkSelectionModel) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (BOURSE_TYPE_AUDIT_ITEM);
  /* The headers sort what is loaded; with no sort column the store's
   * order stands (newest first). Time sorts by the entry's number: two
   * entries of the same second keep the order they were written in. */
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->items)),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  /* A single selection shows where the keyboard is; Enter opens it. */
  selection = GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sorted))));
  gtk_single_selection_set_autoselect (GTK_SINGLE_SELECTION (selection), FALSE);
  gtk_single_selection_set_can_unselect (GTK_SINGLE_SELECTION (selection), TRUE);
  gtk_column_view_set_model (self->column_view, selection);
  gtk_column_view_sort_by_column (self->column_view, self->time_column, GTK_SORT_DESCENDING);

  self->client_signals = g_signal_group_new (BOURSE_TYPE_CLIENT);
  g_signal_group_connect_object (self->client_signals, "event::" AUDIT_TOPIC,
                                 G_CALLBACK (bourse_audit_page_event_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "resync::" AUDIT_TOPIC,
                                 G_CALLBACK (bourse_audit_page_resync_cb), self, G_CONNECT_SWAPPED);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.reload", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.load-more", FALSE);
  bourse_audit_page_update_footer (self);
}

GtkWidget *
bourse_audit_page_new (void)
{
  return g_object_new (BOURSE_TYPE_AUDIT_PAGE, NULL);
}
