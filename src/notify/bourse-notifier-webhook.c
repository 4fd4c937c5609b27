/* bourse-notifier-webhook.c — notifications posted as signed JSON
 *
 * POST notify.webhook_url {"id","event","ts","title","text","data"} with
 * X-Bourse-Timestamp, X-Bourse-Signature (the scheme of our own signal
 * intake, src/core/bourse-signature.h) and X-Bourse-Delivery, so that a
 * receiver can check who sent it and drop a duplicate after a crash.
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"
#include "core/bourse-signature.h"
#include "core/bourse-time.h"

#include "bourse-notifier-webhook.h"

struct _BourseNotifierWebhook
{
  BourseNotifierBase parent_instance;
};

static void notifier_iface_init (BourseNotifierInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseNotifierWebhook, bourse_notifier_webhook, BOURSE_TYPE_NOTIFIER_BASE,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_NOTIFIER, notifier_iface_init))

static const char *
get_id (BourseNotifier *notifier)
{
  return "webhook";
}

static const char *
get_name (BourseNotifier *notifier)
{
  return _("Webhook");
}

static const char *
url_of (BourseNotifierWebhook *self)
{
  return bourse_notifier_base_get_setting (BOURSE_NOTIFIER_BASE (self), "webhook_url");
}

static gboolean
is_configured (BourseNotifier *notifier)
{
  BourseNotifierWebhook *self = BOURSE_NOTIFIER_WEBHOOK (notifier);
  const char *url = url_of (self);

  return url != NULL && *url != '\0';
}

static char *
build_body (const BourseNotification *notification)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, notification->id);
  bourse_json_builder_add_string (builder, "event", notification->event);
  bourse_json_builder_add_string (builder, "ts", now);
  bourse_json_builder_add_string (builder, "title", notification->subject);
  bourse_json_builder_add_string (builder, "text", notification->text);
  json_builder_set_member_name (builder, "data");
  if (notification->data != NULL)
    json_builder_add_value (builder, json_node_copy (notification->data));
  else
    {
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return bourse_json_to_string (root, NULL);
}

static void
send_async (BourseNotifier           *notifier,
            const BourseNotification *notification,
            GCancellable             *cancellable,
            GAsyncReadyCallback       callback,
            gpointer                  user_data)
{
  BourseNotifierWebhook *self = BOURSE_NOTIFIER_WEBHOOK (notifier);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) message = NULL;
  g_auto(BourseNotifierSecret) secret = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *body = NULL;
  g_autofree char *timestamp = NULL;
  g_autofree char *delivery = NULL;
  SoupMessageHeaders *headers;
  gsize length;

  g_task_set_source_tag (task, send_async);
  if (!is_configured (notifier)
      || (message = soup_message_new (SOUP_METHOD_POST, url_of (self))) == NULL)
    {
      g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED,
                               _("The webhook channel needs notify.webhook_url, an http(s) address"));
      return;
    }

  body = build_body (notification);
  length = strlen (body);
  payload = g_bytes_new_take (g_steal_pointer (&body), length);
  timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, bourse_time_now_ms () / 1000);
  delivery = g_strdup_printf ("%" G_GINT64_FORMAT, notification->id);
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "X-Bourse-Timestamp", timestamp);
  soup_message_headers_replace (headers, "X-Bourse-Delivery", delivery);
  soup_message_headers_replace (headers, "X-Bourse-Event", notification->event);
  /* Unsigned without a secret: the receiver decides whether it accepts that. */
  if ((secret = bourse_notifier_base_dup_secret (BOURSE_NOTIFIER_BASE (self), "notify.webhook_secret")) != NULL)
    {
      g_autofree char *signature = bourse_signature_header ((const guint8 *)secret, strlen (secret), timestamp,
                                                            g_bytes_get_data (payload, NULL),
                                                            g_bytes_get_size (payload));

      soup_message_headers_replace (headers, "X-Bourse-Signature", signature);
    }
  soup_message_set_request_body_from_bytes (message, "application/json", payload);

  bourse_notifier_base_send (BOURSE_NOTIFIER_BASE (self), message, "Webhook", NULL, task);
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
bourse_notifier_webhook_class_init (BourseNotifierWebhookClass *klass)
{
}

static void
bourse_notifier_webhook_init (BourseNotifierWebhook *self)
{
}
