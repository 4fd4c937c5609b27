/* bourse-device-row.c — a device receiving push notifications
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row follows its BourseClientDevice through notify.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bourse-device-row.h"

struct _BourseDeviceRow
{
  AdwActionRow        parent_instance;

  BourseClientDevice *device;

  GtkButton          *remove_button;
};

G_DEFINE_FINAL_TYPE (BourseDeviceRow, bourse_device_row, ADW_TYPE_ACTION_ROW)

static void
bourse_device_row_sync (BourseDeviceRow *self)
{
  BourseClientDevice *device = self->device;
  const char *platform = bourse_client_device_get_platform (device);
  const char *token = bourse_client_device_get_token (device);
  const char *device_name = bourse_client_device_get_name (device);
  g_autofree char *name = g_strdup_printf ("device-%" G_GINT64_FORMAT, bourse_client_device_get_id (device));
  g_autofree char *subtitle = NULL;

  gtk_widget_set_name (GTK_WIDGET (self), name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), device_name != NULL ? device_name : "—");
  /* Translators: a device's platform and the end of its token */
  subtitle = g_strdup_printf (_("%s · token …%s"), platform != NULL ? platform : "", token != NULL ? token : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
}

static void
bourse_device_row_remove_clicked_cb (BourseDeviceRow *self,
                                     GtkButton       *button)
{
  /* Once: the row goes with the list read after the removal. */
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  gtk_widget_activate_action (GTK_WIDGET (self), "notifications.remove-device", "x",
                              bourse_client_device_get_id (self->device));
}

GtkWidget *
bourse_device_row_new (BourseClientDevice *device,
                       gboolean            removable)
{
  BourseDeviceRow *self;

  g_return_val_if_fail (BOURSE_IS_CLIENT_DEVICE (device), NULL);

  self = g_object_new (BOURSE_TYPE_DEVICE_ROW, NULL);
  self->device = g_object_ref (device);
  gtk_widget_set_visible (GTK_WIDGET (self->remove_button), removable);
  bourse_device_row_sync (self);
  g_signal_connect_object (device, "notify", G_CALLBACK (bourse_device_row_sync), self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

BourseClientDevice *
bourse_device_row_get_device (BourseDeviceRow *self)
{
  g_return_val_if_fail (BOURSE_IS_DEVICE_ROW (self), NULL);

  return self->device;
}

static void
bourse_device_row_dispose (GObject *object)
{
  BourseDeviceRow *self = (BourseDeviceRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_DEVICE_ROW);
  g_clear_object (&self->device);

  G_OBJECT_CLASS (bourse_device_row_parent_class)->dispose (object);
}

static void
bourse_device_row_class_init (BourseDeviceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_device_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-device-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseDeviceRow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, bourse_device_row_remove_clicked_cb);
}

static void
bourse_device_row_init (BourseDeviceRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
