/* bourse-notifier-desktop.c — notifications to the user's own desktop
 *
 * Published on the bus as "notifications:<user id>"; the hub delivers that
 * to the user's WebSockets subscribed to "notifications" and to nobody
 * else, and the desktop app shows it as a GNotification.
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"

#include "bourse-notifier-desktop.h"

struct _BourseNotifierDesktop
{
  BourseNotifierBase parent_instance;
};

static void notifier_iface_init (BourseNotifierInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseNotifierDesktop, bourse_notifier_desktop, BOURSE_TYPE_NOTIFIER_BASE,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_NOTIFIER, notifier_iface_init))

static const char *
get_id (BourseNotifier *notifier)
{
  return "desktop";
}

static const char *
get_name (BourseNotifier *notifier)
{
  return _("Desktop");
}

static gboolean
is_configured (BourseNotifier *notifier)
{
  return bourse_notifier_base_get_bus (BOURSE_NOTIFIER_BASE (notifier)) != NULL;
}

static void
send_async (BourseNotifier           *notifier,
            const BourseNotification *notification,
            GCancellable             *cancellable,
            GAsyncReadyCallback       callback,
            gpointer                  user_data)
{
  BourseNotifierDesktop *self = BOURSE_NOTIFIER_DESKTOP (notifier);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *topic = NULL;
  BourseEventBus *bus = bourse_notifier_base_get_bus (BOURSE_NOTIFIER_BASE (self));
  gint64 user_id = 0;

  g_task_set_source_tag (task, send_async);
  if (bus == NULL)
    {
      g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED,
                               _("The desktop channel has no event bus"));
      return;
    }
  if (notification->recipient == NULL
      || !g_ascii_string_to_signed (notification->recipient, 10, 0, G_MAXINT64, &user_id, NULL))
    {
      g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_PERMANENT,
                               _("A desktop notification goes to a user, by id"));
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, notification->id);
  bourse_json_builder_add_string (builder, "event", notification->event);
  bourse_json_builder_add_string (builder, "title", notification->subject);
  bourse_json_builder_add_string (builder, "text", notification->text);
  /* A reset's token travels by e-mail only. */
  if (notification->data != NULL && !g_str_equal (notification->event, "password.reset"))
    {
      json_builder_set_member_name (builder, "data");
      json_builder_add_value (builder, json_node_copy (notification->data));
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  topic = g_strdup_printf ("notifications:%" G_GINT64_FORMAT, user_id);
  bourse_event_bus_publish (bus, topic, node);
  g_task_return_pointer (task, g_strdup ("published"), g_free);
}

static void
notifier_iface_init (BourseNotifierInterface *iface)
{
  iface->get_id = get_id;
  iface->get_name = get_name;
  iface->is_configured = is_configured;
  iface->send_async = send_async;
}

static void
bourse_notifier_desktop_class_init (BourseNotifierDesktopClass *klass)
{
}

static void
bourse_notifier_desktop_init (BourseNotifierDesktop *self)
{
}
