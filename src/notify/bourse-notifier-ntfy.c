/* bourse-notifier-ntfy.c — notifications through an ntfy server
 *
 * POST {notify.ntfy_url}/{topic} with the text as body and Title, Priority
 * and Tags headers (ntfy's publishing API), the bearer token when one is
 * set. The topic is the recipient: the user's own or notify.ntfy_topic.
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"
#include "core/bourse-time.h"

#include "bourse-notifier-ntfy.h"

struct _BourseNotifierNtfy
{
  BourseNotifierBase parent_instance;
};

static void notifier_iface_init (BourseNotifierInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseNotifierNtfy, bourse_notifier_ntfy, BOURSE_TYPE_NOTIFIER_BASE,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_NOTIFIER, notifier_iface_init))

static const char *
get_id (BourseNotifier *notifier)
{
  return "ntfy";
}

static const char *
get_name (BourseNotifier *notifier)
{
  return _("ntfy");
}

static gboolean
is_configured (BourseNotifier *notifier)
{
  const char *url = bourse_notifier_base_get_setting (BOURSE_NOTIFIER_BASE (notifier), "ntfy_url");

  return url != NULL && *url != '\0';
}

/* ntfy reads UTF-8 header values in RFC 2047's encoded-word form; HTTP
 * headers themselves are ASCII. */
static char *
header_text (const char *text)
{
  g_autofree char *base64 = NULL;

  for (const char *p = text; *p != '\0'; p++)
    if ((guchar)*p >= 0x80 || *p == '\r' || *p == '\n')
      {
        base64 = g_base64_encode ((const guchar *)text, strlen (text));
        return g_strdup_printf ("=?UTF-8?B?%s?=", base64);
      }
  return g_strdup (text);
}

/* ntfy's priorities: 5 urgent … 3 default; tags are emoji short codes. */
static void
describe_event (const BourseNotification *notification,
                const char              **priority,
                const char              **tags)
{
  JsonObject *data = notification->data != NULL && JSON_NODE_HOLDS_OBJECT (notification->data)
                     ? json_node_get_object (notification->data) : NULL;
  const char *event = notification->event;

  *priority = "3";
  *tags = "bell";
  if (g_str_equal (event, "risk.halted"))
    *priority = "5", *tags = "rotating_light";
  else if (g_str_equal (event, "risk.protection"))
    *priority = "4", *tags = "warning";
  else if (g_str_equal (event, "component.status"))
    {
      const char *status = data != NULL ? bourse_json_get_string (data, "status") : NULL;

      *priority = g_strcmp0 (status, "ok") == 0 ? "3" : "4";
      *tags = g_strcmp0 (status, "ok") == 0 ? "white_check_mark" : "warning";
    }
  else if (g_str_equal (event, "approval.pending"))
    *priority = "4", *tags = "hourglass";
  else if (g_str_equal (event, "order.filled"))
    *tags = "moneybag";
  else if (g_str_equal (event, "heartbeat"))
    *priority = "2", *tags = "heartbeat";
  else if (g_str_equal (event, "job.finished"))
    *tags = "checkered_flag";
}

static void
send_async (BourseNotifier           *notifier,
            const BourseNotification *notification,
            GCancellable             *cancellable,
            GAsyncReadyCallback       callback,
            gpointer                  user_data)
{
  /* ntfy answers 404 for a topic it does not have, 410 for one gone. */
  static const guint recipient_gone[] = { SOUP_STATUS_NOT_FOUND, SOUP_STATUS_GONE, 0 };
  BourseNotifierNtfy *self = BOURSE_NOTIFIER_NTFY (notifier);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) message = NULL;
  g_auto(BourseNotifierSecret) token = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *title = NULL;
  g_autofree char *delivery = NULL;
  const char *base = bourse_notifier_base_get_setting (BOURSE_NOTIFIER_BASE (self), "ntfy_url");
  const char *topic = notification->recipient;
  const char *priority, *tags;
  SoupMessageHeaders *headers;

  g_task_set_source_tag (task, send_async);
  if (topic == NULL || *topic == '\0')
    topic = bourse_notifier_base_get_setting (BOURSE_NOTIFIER_BASE (self), "ntfy_topic");
  if (!is_configured (notifier) || topic == NULL || *topic == '\0')
    {
      g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED,
                               _("The ntfy channel needs notify.ntfy_url and a topic (the user’s or "
                                 "notify.ntfy_topic)"));
      return;
    }
  escaped = g_uri_escape_string (topic, NULL, FALSE);
  url = g_strdup_printf ("%s%s%s", base, g_str_has_suffix (base, "/") ? "" : "/", escaped);
  if ((message = soup_message_new (SOUP_METHOD_POST, url)) == NULL)
    {
      g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED,
                               _("notify.ntfy_url must be an http(s) address"));
      return;
    }

  describe_event (notification, &priority, &tags);
  title = header_text (notification->subject != NULL ? notification->subject : notification->event);
  delivery = g_strdup_printf ("%" G_GINT64_FORMAT, notification->id);
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Title", title);
  soup_message_headers_replace (headers, "Priority", priority);
  soup_message_headers_replace (headers, "Tags", tags);
  soup_message_headers_replace (headers, "X-Bourse-Delivery", delivery);
  if ((token = bourse_notifier_base_dup_secret (BOURSE_NOTIFIER_BASE (self), "notify.ntfy_token")) != NULL)
    {
      g_auto(BourseNotifierSecret) authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  body = g_bytes_new (notification->text, strlen (notification->text));
  soup_message_set_request_body_from_bytes (message, "text/plain; charset=utf-8", body);

  bourse_notifier_base_send (BOURSE_NOTIFIER_BASE (self), message, "ntfy", recipient_gone, task);
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
bourse_notifier_ntfy_class_init (BourseNotifierNtfyClass *klass)
{
}

static void
bourse_notifier_ntfy_init (BourseNotifierNtfy *self)
{
}
