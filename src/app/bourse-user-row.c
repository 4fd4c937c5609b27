/* bourse-user-row.c — an account in the Users page's lists
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row follows its BourseClientUser: the "users" topic updates the
 * object, the object's notify updates the row (a pending account's
 * buttons go once it is approved or declined).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-user-row.h"

struct _BourseUserRow
{
  AdwActionRow      parent_instance;

  BourseClientUser *user;

  AdwAvatar        *avatar;
  GtkLabel         *status_label;
  GtkButton        *approve_button;
  GtkButton        *decline_button;
  GtkMenuButton    *menu_button;
};

G_DEFINE_FINAL_TYPE (BourseUserRow, bourse_user_row, ADW_TYPE_ACTION_ROW)

static const char *
role_menu_label (const char *role)
{
  if (g_str_equal (role, "admin"))
    return _("Make _Administrator");
  if (g_str_equal (role, "trader"))
    return _("Make _Trader");
  return _("Make _Viewer");
}

static GMenuModel *
create_menu (gint64      id,
             const char *role,
             const char *status)
{
  static const char *roles[] = { "admin", "trader", "viewer" };
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) role_section = g_menu_new ();
  g_autoptr(GMenu) status_section = g_menu_new ();

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (g_strcmp0 (role, roles[i]) == 0)
        continue;

      item = g_menu_item_new (role_menu_label (roles[i]), NULL);
      g_menu_item_set_action_and_target_value (item, "users.set-role",
                                               g_variant_new ("(xs)", id, roles[i]));
      g_menu_append_item (role_section, item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (role_section));

  /* A pending account is approved with its own button, not enabled. */
  if (g_strcmp0 (status, "pending") != 0)
    {
      g_autoptr(GMenuItem) item = NULL;
      gboolean disabled = g_strcmp0 (status, "disabled") == 0;

      item = g_menu_item_new (disabled ? _("_Enable Account") : _("_Disable Account"), NULL);
      g_menu_item_set_action_and_target_value (item, "users.set-status",
                                               g_variant_new ("(xs)", id,
                                                              disabled ? "active" : "disabled"));
      g_menu_append_item (status_section, item);
      g_menu_append_section (menu, NULL, G_MENU_MODEL (status_section));
    }

  return G_MENU_MODEL (g_steal_pointer (&menu));
}

static void
bourse_user_row_sync (BourseUserRow *self)
{
  BourseClientUser *user = self->user;
  const char *username = bourse_client_user_get_username (user);
  const char *email = bourse_client_user_get_email (user);
  const char *role = bourse_client_user_get_role (user);
  const char *status = bourse_client_user_get_status (user);
  gint64 id = bourse_client_user_get_id (user);
  gboolean pending = g_strcmp0 (status, "pending") == 0;
  g_autoptr(GMenuModel) menu = create_menu (id, role, status);
  g_autofree char *name = g_strdup_printf ("user-row-%s", username ? username : "");
  g_autofree char *subtitle = NULL;
  GtkWidget *label = GTK_WIDGET (self->status_label);

  gtk_widget_set_name (GTK_WIDGET (self), name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), username ? username : "—");
  /* The role goes with the address rather than in a suffix of its own, so
   * that rows still fit a phone-narrow window. */
  /* Translators: an account's e-mail address, then its role */
  subtitle = g_strdup_printf (_("%s · %s"), email ? email : "", bourse_role_to_display (role));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  adw_avatar_set_text (self->avatar, username);

  gtk_label_set_label (self->status_label, bourse_user_status_to_display (status));
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "success");
  if (pending)
    gtk_widget_add_css_class (label, "warning");
  else if (g_strcmp0 (status, "disabled") == 0)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_add_css_class (label, "success");

  gtk_widget_set_visible (GTK_WIDGET (self->approve_button), pending);
  gtk_widget_set_visible (GTK_WIDGET (self->decline_button), pending);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->approve_button), g_variant_new_int64 (id));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->decline_button),
                                          g_variant_new ("(xs)", id, username ? username : ""));
  gtk_menu_button_set_menu_model (self->menu_button, menu);
}

GtkWidget *
bourse_user_row_new (BourseClientUser *user)
{
  BourseUserRow *self;

  g_return_val_if_fail (BOURSE_IS_CLIENT_USER (user), NULL);

  self = g_object_new (BOURSE_TYPE_USER_ROW, NULL);
  self->user = g_object_ref (user);
  bourse_user_row_sync (self);
  g_signal_connect_object (user, "notify", G_CALLBACK (bourse_user_row_sync), self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

BourseClientUser *
bourse_user_row_get_user (BourseUserRow *self)
{
  g_return_val_if_fail (BOURSE_IS_USER_ROW (self), NULL);

  return self->user;
}

static void
bourse_user_row_dispose (GObject *object)
{
  BourseUserRow *self = (BourseUserRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_USER_ROW);
  g_clear_object (&self->user);

  G_OBJECT_CLASS (bourse_user_row_parent_class)->dispose (object);
}

static void
bourse_user_row_class_init (BourseUserRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_user_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-user-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseUserRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, BourseUserRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, BourseUserRow, approve_button);
  gtk_widget_class_bind_template_child (widget_class, BourseUserRow, decline_button);
  gtk_widget_class_bind_template_child (widget_class, BourseUserRow, menu_button);
}

static void
bourse_user_row_init (BourseUserRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
