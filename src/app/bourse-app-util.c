/* bourse-app-util.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-desktop-settings.h"

/* An object of string members: name, value, …, NULL. */
JsonNode *
bourse_json_new_object (const char *first_member,
                        ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *member = first_member;
  va_list args;

  va_start (args, first_member);
  json_builder_begin_object (builder);
  while (member != NULL)
    {
      json_builder_set_member_name (builder, member);
      json_builder_add_string_value (builder, va_arg (args, const char *));
      member = va_arg (args, const char *);
    }
  json_builder_end_object (builder);
  va_end (args);

  return json_builder_get_root (builder);
}

char *
bourse_format_local_time (const char *rfc3339)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (rfc3339 == NULL)
    return NULL;

  if (!(utc = g_date_time_new_from_iso8601 (rfc3339, NULL)) ||
      !(local = g_date_time_to_timezone (utc, bourse_settings_get_time_zone ())))
    return g_strdup (rfc3339);

  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

const char *
bourse_role_to_display (const char *role)
{
  if (g_strcmp0 (role, "admin") == 0)
    return _("Administrator");
  if (g_strcmp0 (role, "trader") == 0)
    return _("Trader");
  if (g_strcmp0 (role, "viewer") == 0)
    return _("Viewer");
  return role;
}

const char *
bourse_user_status_to_display (const char *status)
{
  if (g_strcmp0 (status, "pending") == 0)
    return _("Pending");
  if (g_strcmp0 (status, "active") == 0)
    return _("Active");
  if (g_strcmp0 (status, "disabled") == 0)
    return _("Disabled");
  return status;
}

void
bourse_widget_show_toast (GtkWidget  *widget,
                          const char *message)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (message != NULL);

  if (!gtk_widget_activate_action (widget, "win.show-toast", "s", message))
    g_message ("%s", message);
}

gboolean
bourse_parse_local_day (const char *text,
                        int         days_later,
                        gint64     *ms)
{
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) later = NULL;
  int year, month, mday;
  char tail;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &year, &month, &mday, &tail) != 3 ||
      !g_date_valid_dmy (mday, month, year))
    return FALSE;

  if (!(day = g_date_time_new_local (year, month, mday, 0, 0, 0)) ||
      !(later = g_date_time_add_days (day, days_later)))
    return FALSE;

  *ms = g_date_time_to_unix (later) * 1000;
  return TRUE;
}

GtkWidget *
bourse_delete_dialog_new (GtkWidget  *widget,
                          const char *name,
                          const char *heading,
                          const char *body)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  gtk_widget_set_name (dialog, name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  return dialog;
}

const char *
bourse_display_name_lookup (const BourseDisplayName *names,
                            gsize                    n_names,
                            const char              *value)
{
  for (gsize i = 0; i < n_names; i++)
    if (g_strcmp0 (value, names[i].value) == 0)
      return _(names[i].display);

  return value;
}

void
bourse_clear_weak_window (GtkWidget **dialog)
{
  GtkWidget *window;

  g_return_if_fail (dialog != NULL);

  window = *dialog;
  g_clear_weak_pointer (dialog);
  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
}

/* The children the page hid itself: only those come back when it is shown. */
#define HIDDEN_BY_PAGE "bourse-hidden-by-page"

static void
page_mapped_cb (GtkWidget *page)
{
  for (GtkWidget *child = gtk_widget_get_first_child (page);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_object_steal_data (G_OBJECT (child), HIDDEN_BY_PAGE) != NULL)
      gtk_widget_set_visible (child, TRUE);
}

static void
page_unmapped_cb (GtkWidget *page)
{
  for (GtkWidget *child = gtk_widget_get_first_child (page);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      {
        g_object_set_data (G_OBJECT (child), HIDDEN_BY_PAGE, GINT_TO_POINTER (TRUE));
        gtk_widget_set_visible (child, FALSE);
      }
}

void
bourse_page_measure_when_shown (GtkWidget *page)
{
  g_return_if_fail (GTK_IS_WIDGET (page));

  g_signal_connect (page, "map", G_CALLBACK (page_mapped_cb), NULL);
  g_signal_connect (page, "unmap", G_CALLBACK (page_unmapped_cb), NULL);
  if (!gtk_widget_get_mapped (page))
    page_unmapped_cb (page);
}

static void
page_first_mapped_cb (GtkWidget *page)
{
  g_signal_handlers_disconnect_by_func (page, page_first_mapped_cb, NULL);
  page_mapped_cb (page);
}

void
bourse_page_show_content_when_shown (GtkWidget *page)
{
  g_return_if_fail (GTK_IS_WIDGET (page));

  if (gtk_widget_get_mapped (page))
    return;

  page_unmapped_cb (page);
  g_signal_connect (page, "map", G_CALLBACK (page_first_mapped_cb), NULL);
}

static void
append_labels (GtkWidget *widget,
               GString   *text)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    append_labels (child, text);
}

static gboolean
row_matches_search (GtkListBoxRow *row,
                    gpointer       user_data)
{
  const char *words = gtk_editable_get_text (GTK_EDITABLE (user_data));
  g_autoptr(GString) text = NULL;
  g_autofree char *folded_text = NULL;
  g_autofree char *folded_words = NULL;

  if (words[0] == '\0')
    return TRUE;

  /* A row's title may be a property drawn by a label not yet made. */
  text = g_string_new (ADW_IS_PREFERENCES_ROW (row)
                       ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) : NULL);
  g_string_append_c (text, '\n');
  append_labels (GTK_WIDGET (row), text);
  folded_text = g_utf8_casefold (text->str, -1);
  folded_words = g_utf8_casefold (words, -1);

  return strstr (folded_text, folded_words) != NULL;
}

static void
collect_list_boxes (GtkWidget *widget,
                    GPtrArray *boxes)
{
  if (GTK_IS_LIST_BOX (widget))
    g_ptr_array_add (boxes, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_list_boxes (child, boxes);
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   GtkWidget      *container)
{
  g_autoptr(GPtrArray) boxes = g_ptr_array_new ();

  collect_list_boxes (container, boxes);
  for (guint i = 0; i < boxes->len; i++)
    {
      GtkListBox *box = g_ptr_array_index (boxes, i);

      gtk_list_box_set_filter_func (box, row_matches_search, entry, NULL);
      gtk_list_box_invalidate_filter (box);
    }
}

void
bourse_search_filter_lists (GtkWidget      *container,
                            GtkSearchEntry *entry)
{
  g_return_if_fail (GTK_IS_WIDGET (container));
  g_return_if_fail (GTK_IS_SEARCH_ENTRY (entry));

  /* The lists are found at each change: groups made since are included. */
  g_signal_connect_object (entry, "search-changed", G_CALLBACK (search_changed_cb), container, 0);
}

void
bourse_empty_state_update (GtkWidget *empty,
                           gboolean   loaded,
                           guint      n_items,
                           ...)
{
  va_list args;
  GtkWidget *content;

  g_return_if_fail (GTK_IS_WIDGET (empty));

  gtk_widget_set_visible (empty, loaded && n_items == 0);

  va_start (args, n_items);
  while ((content = va_arg (args, GtkWidget *)) != NULL)
    gtk_widget_set_visible (content, n_items > 0);
  va_end (args);
}

/* Filters following their items {{{ */

typedef struct
{
  GtkFilter *filter;    /* watched by the closure */
  char      *signal;    /* "notify::PROPERTY" */
  GQuark     mark;      /* on an item: the filter already told of it */
} FollowData;

static void
follow_data_free (gpointer  data,
                  GClosure *closure)
{
  FollowData *follow = data;

  g_free (follow->signal);
  g_free (follow);
}

static void
follow_notify_cb (GObject    *item,
                  GParamSpec *pspec,
                  GtkFilter  *filter)
{
  gtk_filter_changed (filter, GTK_FILTER_CHANGE_DIFFERENT);
}

/* A reading announces again items already held: each is connected once. */
static void
follow_items_changed_cb (GListModel *model,
                         guint       position,
                         guint       removed,
                         guint       added,
                         FollowData *follow)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (g_object_get_qdata (item, follow->mark) != follow->filter)
        {
          g_object_set_qdata (item, follow->mark, follow->filter);
          g_signal_connect_object (item, follow->signal, G_CALLBACK (follow_notify_cb), follow->filter, 0);
        }
    }
}

void
bourse_filter_follow_property (GtkFilter  *filter,
                               GListModel *model,
                               const char *property)
{
  g_autofree char *mark = NULL;
  FollowData *follow;
  GClosure *closure;

  g_return_if_fail (GTK_IS_FILTER (filter));
  g_return_if_fail (G_IS_LIST_MODEL (model));
  g_return_if_fail (property != NULL);

  mark = g_strconcat ("bourse-filter-follows::", property, NULL);
  follow = g_new0 (FollowData, 1);
  follow->filter = filter;
  follow->signal = g_strconcat ("notify::", property, NULL);
  follow->mark = g_quark_from_string (mark);

  /* Gone with the model's handlers, or with the filter. */
  closure = g_cclosure_new (G_CALLBACK (follow_items_changed_cb), follow, follow_data_free);
  g_object_watch_closure (G_OBJECT (filter), closure);
  g_signal_connect_closure (model, "items-changed", closure, FALSE);

  follow_items_changed_cb (model, 0, 0, g_list_model_get_n_items (model), follow);
}

/* }}} */
