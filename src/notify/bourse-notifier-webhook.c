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

#include "bourse-notifier-http.h"
#include "bourse-notifier-webhook.h"

struct _BourseNotifierWebhook
{
  GObject         parent_instance;

  BourseConfig   *config;
  BourseSecrets  *secrets;
  BourseEventBus *bus;
  SoupSession    *session;
};

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_SECRETS,
  PROP_BUS,
  PROP_SESSION,
  N_PROPS
};

static void notifier_iface_init (BourseNotifierInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseNotifierWebhook, bourse_notifier_webhook, G_TYPE_OBJECT,
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
  return bourse_config_get_string (self->config, "notify", "webhook_url");
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
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *answer = bourse_notifier_http_send_finish (result, &error);

  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, g_free);
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
  if ((secret = bourse_notifier_dup_secret (self->config, self->secrets, "notify.webhook_secret")) != NULL)
    {
      g_autofree char *signature = bourse_signature_header ((const guint8 *)secret, strlen (secret), timestamp,
                                                            g_bytes_get_data (payload, NULL),
                                                            g_bytes_get_size (payload));

      soup_message_headers_replace (headers, "X-Bourse-Signature", signature);
    }
  soup_message_set_request_body_from_bytes (message, "application/json", payload);

  if (self->session == NULL)
    self->session = bourse_notifier_http_session_new ();
  bourse_notifier_http_send_async (self->session, message, NULL, cancellable, sent_cb, g_steal_pointer (&task));
}

static char *
send_finish (BourseNotifier  *notifier,
             GAsyncResult    *result,
             GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
notifier_iface_init (BourseNotifierInterface *iface)
{
  iface->get_id = get_id;
  iface->get_name = get_name;
  iface->is_configured = is_configured;
  iface->send_async = send_async;
  iface->send_finish = send_finish;
}

static void
bourse_notifier_webhook_finalize (GObject *object)
{
  BourseNotifierWebhook *self = BOURSE_NOTIFIER_WEBHOOK (object);

  g_clear_object (&self->config);
  g_clear_object (&self->secrets);
  g_clear_object (&self->bus);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (bourse_notifier_webhook_parent_class)->finalize (object);
}

static void
bourse_notifier_webhook_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  BourseNotifierWebhook *self = BOURSE_NOTIFIER_WEBHOOK (object);

  switch (prop_id)
    {
    case PROP_CONFIG:  g_value_set_object (value, self->config); break;
    case PROP_SECRETS: g_value_set_object (value, self->secrets); break;
    case PROP_BUS:     g_value_set_object (value, self->bus); break;
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    default:           G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_notifier_webhook_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  BourseNotifierWebhook *self = BOURSE_NOTIFIER_WEBHOOK (object);

  switch (prop_id)
    {
    case PROP_CONFIG:  self->config = g_value_dup_object (value); break;
    case PROP_SECRETS: self->secrets = g_value_dup_object (value); break;
    case PROP_BUS:     self->bus = g_value_dup_object (value); break;
    case PROP_SESSION: self->session = g_value_dup_object (value); break;
    default:           G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_notifier_webhook_class_init (BourseNotifierWebhookClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bourse_notifier_webhook_finalize;
  object_class->get_property = bourse_notifier_webhook_get_property;
  object_class->set_property = bourse_notifier_webhook_set_property;

  g_object_class_override_property (object_class, PROP_CONFIG, "config");
  g_object_class_override_property (object_class, PROP_SECRETS, "secrets");
  g_object_class_override_property (object_class, PROP_BUS, "bus");
  g_object_class_install_property (object_class, PROP_SESSION,
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void
bourse_notifier_webhook_init (BourseNotifierWebhook *self)
{
}

void
bourse_notifier_webhook_register (void)
{
  g_io_extension_point_implement (BOURSE_NOTIFIER_EXTENSION_POINT_NAME, BOURSE_TYPE_NOTIFIER_WEBHOOK, "webhook", 30);
}
