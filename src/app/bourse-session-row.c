/* bourse-session-row.c — a signed-in session in the Preferences
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row follows its BourseClientSession through notify: a reload of
 * the list updates the object, and the row with it.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-session-row.h"

struct _BourseSessionRow
{
  AdwActionRow         parent_instance;

  BourseClientSession *session;
  gboolean             show_username;

  GtkImage            *icon;
  GtkLabel            *current_label;
  GtkButton           *sign_out_button;
};

G_DEFINE_FINAL_TYPE (BourseSessionRow, bourse_session_row, ADW_TYPE_ACTION_ROW)

static void
bourse_session_row_sync (BourseSessionRow *self)
{
  BourseClientSession *session = self->session;
  const char *address = bourse_client_session_get_client_address (session);
  const char *agent = bourse_client_session_get_user_agent (session);
  const char *username = bourse_client_session_get_username (session);
  gboolean current = bourse_client_session_get_current (session);
  gint64 id = bourse_client_session_get_id (session);
  g_autofree char *created = bourse_format_local_time (bourse_client_session_get_created_at (session));
  g_autofree char *expires = bourse_format_local_time (bourse_client_session_get_expires_at (session));
  g_autofree char *name = g_strdup_printf ("session-row-%" G_GINT64_FORMAT, id);
  g_autofree char *subtitle = NULL;

  gtk_widget_set_name (GTK_WIDGET (self), name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 agent != NULL && agent[0] != '\0' ? agent : _("Unknown Program"));
  /* Translators: a session's client address, when it signed in, when it expires */
  subtitle = g_strdup_printf (_("%s · Signed in %s · Expires %s"),
                              address != NULL && address[0] != '\0' ? address : _("unknown address"),
                              created != NULL ? created : "—",
                              expires != NULL ? expires : "—");
  if (self->show_username && username != NULL)
    {
      g_autofree char *whose = g_strdup_printf ("%s · %s", username, subtitle);

      g_free (subtitle);
      subtitle = g_steal_pointer (&whose);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_image_set_from_icon_name (self->icon, current ? "computer-symbolic" : "network-server-symbolic");

  /* This session is signed out with the window's own Sign Out, not here. */
  gtk_widget_set_visible (GTK_WIDGET (self->current_label), current);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_out_button), !current);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->sign_out_button), g_variant_new_int64 (id));
}

GtkWidget *
bourse_session_row_new (BourseClientSession *session,
                        gboolean             show_username)
{
  BourseSessionRow *self;

  g_return_val_if_fail (BOURSE_IS_CLIENT_SESSION (session), NULL);

  self = g_object_new (BOURSE_TYPE_SESSION_ROW, NULL);
  self->session = g_object_ref (session);
  self->show_username = show_username;
  bourse_session_row_sync (self);
  g_signal_connect_object (session, "notify", G_CALLBACK (bourse_session_row_sync), self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

BourseClientSession *
bourse_session_row_get_session (BourseSessionRow *self)
{
  g_return_val_if_fail (BOURSE_IS_SESSION_ROW (self), NULL);

  return self->session;
}

static void
bourse_session_row_dispose (GObject *object)
{
  BourseSessionRow *self = (BourseSessionRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_SESSION_ROW);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (bourse_session_row_parent_class)->dispose (object);
}

static void
bourse_session_row_class_init (BourseSessionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_session_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-session-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseSessionRow, icon);
  gtk_widget_class_bind_template_child (widget_class, BourseSessionRow, current_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSessionRow, sign_out_button);
}

static void
bourse_session_row_init (BourseSessionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
