/* bourse-notifier-base.c — what the built-in channels share
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bourse-notifier-base.h"

/* A provider that takes longer than this is down, as far as a retry goes. */
#define HTTP_TIMEOUT_S 30

typedef struct
{
  BourseConfig   *config;
  BourseSecrets  *secrets;
  BourseEventBus *bus;
  SoupSession    *session;
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
};

static void
bourse_notifier_base_iface_init (BourseNotifierInterface *iface)
{
  /* The channels fill in the methods. */
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
    priv->session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_S, NULL);
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
        g_task_return_error (task, bourse_notifier_http_error (0, provider, error->message));
      return NULL;
    }
  *status = soup_message_get_status (message);
  return body;
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

  if (priv->session != NULL)
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
}

static void
bourse_notifier_base_init (BourseNotifierBase *self)
{
}
