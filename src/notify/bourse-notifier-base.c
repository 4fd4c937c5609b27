/* bourse-notifier-base.c — what every built-in channel shares
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bourse-notifier-base.h"

/* A provider that takes longer than this is down, as far as a retry goes. */
#define HTTP_TIMEOUT_S     30
#define HTTP_IDLE_S        60
/* Of a provider's answer, the history keeps this much: enough for FCM's
 * error and its details, not a whole error page. */
#define ANSWER_MAX_CHARS   500

typedef struct
{
  BourseConfig   *config;
  BourseSecrets  *secrets;
  BourseEventBus *bus;
  SoupSession    *session;
  /* Made here, not given: this channel alone sends through it. */
  gboolean        owns_session;
} BourseNotifierBasePrivate;

static void bourse_notifier_base_iface_init (BourseNotifierInterface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (BourseNotifierBase, bourse_notifier_base, G_TYPE_OBJECT,
                                  G_ADD_PRIVATE (BourseNotifierBase)
                                  G_IMPLEMENT_INTERFACE (BOURSE_TYPE_NOTIFIER,
                                                         bourse_notifier_base_iface_init))

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_SECRETS,
  PROP_BUS,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Every channel's send is a GTask on the channel returning the answer. */
static char *
bourse_notifier_base_send_finish (BourseNotifier  *notifier,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, notifier), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
bourse_notifier_base_iface_init (BourseNotifierInterface *iface)
{
  /* The channels fill in the others: a type that implements the interface
   * again starts from a copy of this table. */
  iface->send_finish = bourse_notifier_base_send_finish;
}

SoupSession *
bourse_notifier_session_new (void)
{
  return soup_session_new_with_options ("timeout", HTTP_TIMEOUT_S, "idle-timeout", HTTP_IDLE_S,
                                        "user-agent", "Bourse/" PACKAGE_VERSION " notifications", NULL);
}

BourseConfig *
bourse_notifier_base_get_config (BourseNotifierBase *self)
{
  BourseNotifierBasePrivate *priv = bourse_notifier_base_get_instance_private (self);

  g_return_val_if_fail (BOURSE_IS_NOTIFIER_BASE (self), NULL);

  return priv->config;
}

BourseSecrets *
bourse_notifier_base_get_secrets (BourseNotifierBase *self)
{
  BourseNotifierBasePrivate *priv = bourse_notifier_base_get_instance_private (self);

  g_return_val_if_fail (BOURSE_IS_NOTIFIER_BASE (self), NULL);

  return priv->secrets;
}

BourseEventBus *
bourse_notifier_base_get_bus (BourseNotifierBase *self)
{
  BourseNotifierBasePrivate *priv = bourse_notifier_base_get_instance_private (self);

  g_return_val_if_fail (BOURSE_IS_NOTIFIER_BASE (self), NULL);

  return priv->bus;
}

const char *
bourse_notifier_base_get_setting (BourseNotifierBase *self,
                                  const char         *key)
{
  BourseNotifierBasePrivate *priv = bourse_notifier_base_get_instance_private (self);

  g_return_val_if_fail (BOURSE_IS_NOTIFIER_BASE (self), NULL);

  return bourse_config_get_string (priv->config, "notify", key);
}

char *
bourse_notifier_base_dup_secret (BourseNotifierBase *self,
                                 const char         *name)
{
  BourseNotifierBasePrivate *priv = bourse_notifier_base_get_instance_private (self);

  g_return_val_if_fail (BOURSE_IS_NOTIFIER_BASE (self), NULL);

  return bourse_notifier_dup_secret (priv->config, priv->secrets, name);
}

SoupSession *
bourse_notifier_base_get_session (BourseNotifierBase *self)
{
  BourseNotifierBasePrivate *priv = bourse_notifier_base_get_instance_private (self);

  g_return_val_if_fail (BOURSE_IS_NOTIFIER_BASE (self), NULL);

  if (priv->session == NULL)
    {
      priv->session = bourse_notifier_session_new ();
      priv->owns_session = TRUE;
    }
  return priv->session;
}

GBytes *
bourse_notifier_base_read_finish (SoupSession  *session,
                                  GAsyncResult *result,
                                  GTask        *task,
                                  const char   *provider,
                                  guint        *status)
{
  SoupMessage *message = soup_session_get_async_result_message (session, result);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (G_IS_TASK (task), NULL);
  g_return_val_if_fail (status != NULL, NULL);

  body = soup_session_send_and_read_finish (session, result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, bourse_notifier_http_error (0, FALSE, provider, error->message));
      return NULL;
    }
  *status = soup_message_get_status (message);
  return body;
}

typedef struct
{
  GTask       *task;
  const char  *provider;
  const guint *recipient_gone;
} Send;

static void
bourse_notifier_base_send_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autofree Send *send = user_data;
  g_autoptr(GTask) task = send->task;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;
  gboolean gone = FALSE;
  GError *error;
  guint status = 0;

  body = bourse_notifier_base_read_finish (SOUP_SESSION (source), result, task, send->provider, &status);
  if (body == NULL)
    return;
  for (guint i = 0; send->recipient_gone != NULL && send->recipient_gone[i] != 0; i++)
    gone |= send->recipient_gone[i] == status;
  text = bourse_notifier_answer_text (body);
  if ((error = bourse_notifier_http_error (status, gone, send->provider, text)) != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bourse_notifier_describe_answer (status, body), g_free);
}

void
bourse_notifier_base_send (BourseNotifierBase *self,
                           SoupMessage        *message,
                           const char         *provider,
                           const guint        *recipient_gone,
                           GTask              *task)
{
  Send *send;

  g_return_if_fail (BOURSE_IS_NOTIFIER_BASE (self));
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (provider != NULL);
  g_return_if_fail (G_IS_TASK (task));

  send = g_new0 (Send, 1);
  send->task = g_object_ref (task);
  send->provider = provider;
  send->recipient_gone = recipient_gone;
  soup_session_send_and_read_async (bourse_notifier_base_get_session (self), message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), bourse_notifier_base_send_cb, send);
}

char *
bourse_notifier_answer_text (GBytes *body)
{
  g_autofree char *text = NULL;
  const char *data;
  gsize size = 0;

  if (body == NULL)
    return g_strdup ("");
  data = g_bytes_get_data (body, &size);
  /* Four bytes a character at most: enough to cut at ANSWER_MAX_CHARS. */
  text = g_utf8_make_valid (data != NULL ? data : "", MIN (size, ANSWER_MAX_CHARS * 4));
  g_strdelimit (text, "\r\n\t", ' ');
  g_strstrip (text);
  if (g_utf8_strlen (text, -1) <= ANSWER_MAX_CHARS)
    return g_steal_pointer (&text);
  return g_utf8_substring (text, 0, ANSWER_MAX_CHARS);
}

char *
bourse_notifier_describe_answer (guint   status,
                                 GBytes *body)
{
  g_autofree char *text = bourse_notifier_answer_text (body);
  const char *reason = soup_status_get_phrase (status);

  return g_strdup_printf ("HTTP %u%s%s%s%s", status,
                          reason != NULL ? " " : "", reason != NULL ? reason : "",
                          *text != '\0' ? ": " : "", text);
}

static void
bourse_notifier_base_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BourseNotifierBasePrivate *priv = bourse_notifier_base_get_instance_private (BOURSE_NOTIFIER_BASE (object));

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, priv->config);
      break;
    case PROP_SECRETS:
      g_value_set_object (value, priv->secrets);
      break;
    case PROP_BUS:
      g_value_set_object (value, priv->bus);
      break;
    case PROP_SESSION:
      g_value_set_object (value, priv->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_notifier_base_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BourseNotifierBasePrivate *priv = bourse_notifier_base_get_instance_private (BOURSE_NOTIFIER_BASE (object));

  switch (prop_id)
    {
    case PROP_CONFIG:
      priv->config = g_value_dup_object (value);
      break;
    case PROP_SECRETS:
      priv->secrets = g_value_dup_object (value);
      break;
    case PROP_BUS:
      priv->bus = g_value_dup_object (value);
      break;
    case PROP_SESSION:
      priv->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_notifier_base_constructed (GObject *object)
{
  BourseNotifierBasePrivate *priv = bourse_notifier_base_get_instance_private (BOURSE_NOTIFIER_BASE (object));

  G_OBJECT_CLASS (bourse_notifier_base_parent_class)->constructed (object);

  /* Made without settings (a test of the type alone): every key's default. */
  if (priv->config == NULL)
    priv->config = bourse_config_new ();
}

static void
bourse_notifier_base_dispose (GObject *object)
{
  BourseNotifierBasePrivate *priv = bourse_notifier_base_get_instance_private (BOURSE_NOTIFIER_BASE (object));

  /* A shared session is the service's to abort: other channels send
   * through it. */
  if (priv->session != NULL && priv->owns_session)
    soup_session_abort (priv->session);
  g_clear_object (&priv->session);

  G_OBJECT_CLASS (bourse_notifier_base_parent_class)->dispose (object);
}

static void
bourse_notifier_base_finalize (GObject *object)
{
  BourseNotifierBasePrivate *priv = bourse_notifier_base_get_instance_private (BOURSE_NOTIFIER_BASE (object));

  g_clear_object (&priv->config);
  g_clear_object (&priv->secrets);
  g_clear_object (&priv->bus);

  G_OBJECT_CLASS (bourse_notifier_base_parent_class)->finalize (object);
}

static void
bourse_notifier_base_class_init (BourseNotifierBaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bourse_notifier_base_get_property;
  object_class->set_property = bourse_notifier_base_set_property;
  object_class->constructed = bourse_notifier_base_constructed;
  object_class->dispose = bourse_notifier_base_dispose;
  object_class->finalize = bourse_notifier_base_finalize;

  g_object_class_override_property (object_class, PROP_CONFIG, "config");
  g_object_class_override_property (object_class, PROP_SECRETS, "secrets");
  g_object_class_override_property (object_class, PROP_BUS, "bus");

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_SESSION, properties[PROP_SESSION]);
}

static void
bourse_notifier_base_init (BourseNotifierBase *self)
{
}
