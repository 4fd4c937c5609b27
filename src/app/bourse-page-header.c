/* bourse-page-header.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bourse-page-header.h"

typedef struct
{
  GtkWidget          *actions;  /* owned */
  GSimpleActionGroup *group;    /* owned; NULL without actions of the page */
  char               *prefix;
} PageHeader;

static void
page_header_free (gpointer data)
{
  PageHeader *header = data;

  g_clear_object (&header->actions);
  g_clear_object (&header->group);
  g_free (header->prefix);
  g_free (header);
}

static GQuark
page_header_quark (void)
{
  return g_quark_from_static_string ("bourse-page-header");
}

static PageHeader *
page_header_get (GtkWidget *page)
{
  return g_object_get_qdata (G_OBJECT (page), page_header_quark ());
}

/* The toolbar's copy of an action runs the page's own. */
static void
page_action_activate_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         GtkWidget     *page)
{
  PageHeader *header = page_header_get (page);
  g_autofree char *name = NULL;

  g_return_if_fail (header != NULL);

  name = g_strdup_printf ("%s.%s", header->prefix, g_action_get_name (G_ACTION (action)));
  gtk_widget_activate_action_variant (page, name, parameter);
}

void
bourse_page_init_header_actions (GtkWidget          *page,
                                 GType               page_type,
                                 const char         *prefix,
                                 const char * const *names)
{
  GObject *actions;
  PageHeader *header;

  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (page_header_get (page) == NULL);

  actions = gtk_widget_get_template_child (page, page_type, "header_actions");
  g_return_if_fail (GTK_IS_WIDGET (actions));

  header = g_new0 (PageHeader, 1);
  header->actions = g_object_ref (GTK_WIDGET (actions));
  header->prefix = g_strdup (prefix);

  if (prefix != NULL && names != NULL && names[0] != NULL)
    {
      header->group = g_simple_action_group_new ();
      for (guint i = 0; names[i] != NULL; i++)
        {
          g_autoptr(GSimpleAction) action = g_simple_action_new (names[i], NULL);

          /* The page owns the group: it cannot outlive the handler's data
           * while it is the page's, and a toolbar still holding it after
           * the page is gone runs nothing. */
          g_signal_connect_object (action, "activate", G_CALLBACK (page_action_activate_cb), page, 0);
          g_action_map_add_action (G_ACTION_MAP (header->group), G_ACTION (action));
        }
      gtk_widget_insert_action_group (header->actions, prefix, G_ACTION_GROUP (header->group));
    }

  g_object_set_qdata_full (G_OBJECT (page), page_header_quark (), header, page_header_free);
}

GtkWidget *
bourse_page_get_header_actions (GtkWidget *page)
{
  PageHeader *header;

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);

  header = page_header_get (page);
  return header != NULL ? header->actions : NULL;
}

GActionGroup *
bourse_page_get_header_group (GtkWidget   *page,
                              const char **prefix)
{
  PageHeader *header;

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);

  header = page_header_get (page);
  if (prefix != NULL)
    *prefix = header != NULL ? header->prefix : NULL;
  return header != NULL && header->group != NULL ? G_ACTION_GROUP (header->group) : NULL;
}

void
bourse_page_action_set_enabled (GtkWidget  *page,
                                const char *action_name,
                                gboolean    enabled)
{
  PageHeader *header;
  const char *dot;

  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (action_name != NULL);

  gtk_widget_action_set_enabled (page, action_name, enabled);

  header = page_header_get (page);
  dot = strchr (action_name, '.');
  if (header != NULL && header->group != NULL && dot != NULL &&
      strncmp (action_name, header->prefix, dot - action_name) == 0 &&
      header->prefix[dot - action_name] == '\0')
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (header->group), dot + 1);

      if (action != NULL)
        g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
    }
}

/* The words of a button: its label, its content's, or its tooltip (an
 * icon's button has one, and the same accessible name). */
static const char *
button_words (GtkWidget *button)
{
  GtkWidget *child;

  if (GTK_IS_BUTTON (button) && gtk_button_get_label (GTK_BUTTON (button)) != NULL &&
      gtk_button_get_icon_name (GTK_BUTTON (button)) == NULL)
    return gtk_button_get_label (GTK_BUTTON (button));
  if (GTK_IS_BUTTON (button) &&
      ADW_IS_BUTTON_CONTENT (child = gtk_button_get_child (GTK_BUTTON (button))))
    return adw_button_content_get_label (ADW_BUTTON_CONTENT (child));
  return gtk_widget_get_tooltip_text (button);
}

static void
add_menu_items (GMenu     *menu,
                GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget))
    return;

  if (GTK_IS_ACTIONABLE (widget) &&
      gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)) != NULL)
    {
      const char *words = button_words (widget);
      g_autoptr(GMenuItem) item = NULL;

      if (words == NULL)
        return;
      item = g_menu_item_new (words, NULL);
      g_menu_item_set_action_and_target_value (item,
                                               gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                                               gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget)));
      g_menu_append_item (menu, item);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    add_menu_items (menu, child);
}

GMenuModel *
bourse_page_header_menu_new (GtkWidget *actions)
{
  GMenu *menu = g_menu_new ();

  g_return_val_if_fail (GTK_IS_WIDGET (actions), NULL);

  add_menu_items (menu, actions);
  return G_MENU_MODEL (menu);
}
