/* bourse-app-util.h — small helpers shared by the console's pages
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "core/bourse-json.h"

G_BEGIN_DECLS

JsonNode   *bourse_json_new_object       (const char  *first_member,
                                          ...) G_GNUC_NULL_TERMINATED;

/* "2026-11-21 10:29:16" in the time zone of the preferences (the system's
 * by default), from an RFC 3339 stamp. */
char       *bourse_format_local_time     (const char  *rfc3339);
const char *bourse_role_to_display       (const char  *role);
const char *bourse_user_status_to_display (const char *status);

/* The local midnight that starts the day @text ("YYYY-MM-DD") names, or
 * the one @days_later, in ms since the epoch; FALSE for anything else. */
gboolean    bourse_parse_local_day       (const char  *text,
                                          int          days_later,
                                          gint64      *ms);

/* “Delete …?” over @widget's window, with Cancel (the default and the
 * close response, "cancel") and a destructive Delete ("delete"), named
 * @name for tests; not yet presented. */
GtkWidget  *bourse_delete_dialog_new     (GtkWidget   *widget,
                                          const char  *name,
                                          const char  *heading,
                                          const char  *body);

/* A value the API sends (a state, a source, an event) and the words shown
 * for it, marked with N_(). */
typedef struct
{
  const char *value;
  const char *display;
} BourseDisplayName;

/* The translated words for @value in @names, or @value itself. */
const char *bourse_display_name_lookup   (const BourseDisplayName *names,
                                          gsize        n_names,
                                          const char  *value);

/* Through the window's win.show-toast, wherever @widget sits. */
void        bourse_widget_show_toast     (GtkWidget   *widget,
                                          const char  *message);

/* Forgets *@dialog, a window followed with g_set_weak_pointer (), and
 * destroys it. The weak pointer goes first: a dialog inside its own
 * response emission outlives gtk_window_destroy (), and would otherwise
 * clear *@dialog later, inside an owner that may be freed by then. */
void        bourse_clear_weak_window     (GtkWidget  **dialog);

/* For a page of the window's stack with much in it (Settings, Logs): its
 * content is hidden while the page is, because the stack measures every
 * page at each change of any, and a hidden widget is not measured. */
void        bourse_page_measure_when_shown (GtkWidget *page);

/* For every page of the window's stack: its content is hidden until the
 * page is first shown. A hidden widget is neither styled, measured nor laid
 * out, so the pages filled by their first answers while the console starts
 * cost no layout until someone looks (the stack measures every page at each
 * change of any). Shown once, it stays: hiding it again at each change of
 * page would take the focus from it. The page's own children it hid
 * itself stay hidden. */
void        bourse_page_show_content_when_shown (GtkWidget *page);

/* Ctrl+F on a page: the rows of every list below @container that do not
 * hold the words of @entry (in any of their labels, case aside) are
 * hidden, rows added later too. */
void        bourse_search_filter_lists   (GtkWidget      *container,
                                          GtkSearchEntry *entry);

/* A list's empty state, as the HIG has it: @empty (an AdwStatusPage saying
 * what will appear and how, or the group that holds one) stands in for the
 * list's widgets — the NULL-terminated widgets that follow, e.g. its
 * group — once the list was read (@loaded) and has no items. Before it
 * was read neither shows: an empty boxed list would still draw its frame. */
void        bourse_empty_state_update    (GtkWidget      *empty,
                                          gboolean        loaded,
                                          guint           n_items,
                                          ...) G_GNUC_NULL_TERMINATED;

/* Runs @filter again whenever an item of @model (those there now and those
 * to come) notifies @property: a filter on a live store's objects, whose
 * fields change in place (an order's status, a position's quantity). For
 * as long as both live; one filter a property. */
void        bourse_filter_follow_property (GtkFilter     *filter,
                                           GListModel    *model,
                                           const char    *property);

G_END_DECLS
