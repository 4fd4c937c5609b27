/* bourse-page-header.h — a page's actions in the window's content header bar
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A page keeps its toolbar — buttons for its own actions ("markets.import")
 * or the window's ("win.new-order") — as the object "header_actions" of its
 * template, outside its tree; its class keeps it with
 * bourse_page_class_bind_header_actions(), and its init hands it over
 * before it enables or disables any of @names:
 *
 *   bourse_page_init_header_actions (GTK_WIDGET (self), BOURSE_TYPE_MARKETS_PAGE,
 *                                    "markets", (const char *[]) { "import", NULL });
 *
 * The window shows the visible page's toolbar at the end of its header bar
 * (a menu of the same buttons when the window is too narrow for them). The
 * page's own actions (class actions, which only the page's descendants
 * reach) are offered to the toolbar as a group of the same names under the
 * same prefix: their activation runs the page's, and the page enables them
 * with bourse_page_action_set_enabled(). */
#define bourse_page_class_bind_header_actions(widget_class) \
  gtk_widget_class_bind_template_child_full (GTK_WIDGET_CLASS (widget_class), "header_actions", FALSE, 0)

void          bourse_page_init_header_actions (GtkWidget          *page,
                                               GType               page_type,
                                               const char         *prefix,
                                               const char * const *names);
GtkWidget    *bourse_page_get_header_actions (GtkWidget          *page);
/* The group of the page's actions offered to its toolbar, and its prefix;
 * NULL when the toolbar has only the window's. */
GActionGroup *bourse_page_get_header_group   (GtkWidget          *page,
                                              const char        **prefix);
/* gtk_widget_action_set_enabled() of @page's action @action_name
 * ("prefix.name"), and of the toolbar's copy. */
void          bourse_page_action_set_enabled (GtkWidget          *page,
                                              const char         *action_name,
                                              gboolean            enabled);

/* The window's side: the visible buttons of @actions as a menu (label or
 * tooltip, action and target), for the narrow window. */
GMenuModel   *bourse_page_header_menu_new    (GtkWidget          *actions);

G_END_DECLS
