/* bourse-api-key-row.c — an API key in the Preferences
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row follows its BourseClientApiKey through notify: once the list
 * read after a revocation says so, the same row greys and loses Revoke.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bourse-api-key-row.h"
#include "bourse-app-util.h"

struct _BourseApiKeyRow
{
  AdwActionRow        parent_instance;

  BourseClientApiKey *key;

  GtkButton          *revoke_button;
};

G_DEFINE_FINAL_TYPE (BourseApiKeyRow, bourse_api_key_row, ADW_TYPE_ACTION_ROW)

static void
bourse_api_key_row_sync (BourseApiKeyRow *self)
{
  BourseClientApiKey *key = self->key;
  const char *key_name = bourse_client_api_key_get_name (key);
  const char *prefix = bourse_client_api_key_get_prefix (key);
  const char *role = bourse_client_api_key_get_role (key);
  const char *revoked_at = bourse_client_api_key_get_revoked_at (key);
  gint64 id = bourse_client_api_key_get_id (key);
  g_autofree char *last_used = bourse_format_local_time (bourse_client_api_key_get_last_used_at (key));
  g_autofree char *name = g_strdup_printf ("api-key-row-%" G_GINT64_FORMAT, id);
  g_autofree char *used = NULL;
  g_autofree char *subtitle = NULL;

  gtk_widget_set_name (GTK_WIDGET (self), name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), key_name != NULL ? key_name : "—");

  if (revoked_at != NULL)
    {
      g_autofree char *when = bourse_format_local_time (revoked_at);

      /* Translators: %s is when the key was revoked */
      used = g_strdup_printf (_("Revoked %s"), when != NULL ? when : revoked_at);
    }
  else if (last_used != NULL)
    /* Translators: %s is when the key was last used */
    used = g_strdup_printf (_("Last used %s"), last_used);
  else
    used = g_strdup (_("Never used"));

  /* Translators: a key's first characters, its role, and when it was last used */
  subtitle = g_strdup_printf (_("%s… · %s · %s"), prefix != NULL ? prefix : "",
                              role != NULL ? bourse_role_to_display (role) : "—", used);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  /* A revoked key is kept in sight, for the record, but out of the way. */
  if (revoked_at != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->revoke_button), revoked_at == NULL);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->revoke_button),
                                          g_variant_new ("(xs)", id, key_name != NULL ? key_name : ""));
}

GtkWidget *
bourse_api_key_row_new (BourseClientApiKey *key)
{
  BourseApiKeyRow *self;

  g_return_val_if_fail (BOURSE_IS_CLIENT_API_KEY (key), NULL);

  self = g_object_new (BOURSE_TYPE_API_KEY_ROW, NULL);
  self->key = g_object_ref (key);
  bourse_api_key_row_sync (self);
  g_signal_connect_object (key, "notify", G_CALLBACK (bourse_api_key_row_sync), self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

BourseClientApiKey *
bourse_api_key_row_get_key (BourseApiKeyRow *self)
{
  g_return_val_if_fail (BOURSE_IS_API_KEY_ROW (self), NULL);

  return self->key;
}

static void
bourse_api_key_row_dispose (GObject *object)
{
  BourseApiKeyRow *self = (BourseApiKeyRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_API_KEY_ROW);
  g_clear_object (&self->key);

  G_OBJECT_CLASS (bourse_api_key_row_parent_class)->dispose (object);
}

static void
bourse_api_key_row_class_init (BourseApiKeyRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_api_key_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-api-key-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseApiKeyRow, revoke_button);
}

static void
bourse_api_key_row_init (BourseApiKeyRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
