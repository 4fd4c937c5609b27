/* bourse-notifier.c — the notifier plugin type
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "bourse-notifier.h"
#include "bourse-notifier-base.h"
#include "bourse-notifier-desktop.h"
#include "bourse-notifier-email.h"
#include "bourse-notifier-ntfy.h"
#include "bourse-notifier-push.h"
#include "bourse-notifier-webhook.h"

G_DEFINE_QUARK (bourse-notifier-error-quark, bourse_notifier_error)
G_DEFINE_INTERFACE (BourseNotifier, bourse_notifier, G_TYPE_OBJECT)

static void
bourse_notifier_default_init (BourseNotifierInterface *iface)
{
  g_object_interface_install_property (iface,
    g_param_spec_object ("config", NULL, NULL, BOURSE_TYPE_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_object ("secrets", NULL, NULL, BOURSE_TYPE_SECRETS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  g_object_interface_install_property (iface,
    g_param_spec_object ("bus", NULL, NULL, BOURSE_TYPE_EVENT_BUS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

const char *
bourse_notifier_get_id (BourseNotifier *self)
{
  g_return_val_if_fail (BOURSE_IS_NOTIFIER (self), NULL);

  return BOURSE_NOTIFIER_GET_IFACE (self)->get_id (self);
}

const char *
bourse_notifier_get_name (BourseNotifier *self)
{
  g_return_val_if_fail (BOURSE_IS_NOTIFIER (self), NULL);

  return BOURSE_NOTIFIER_GET_IFACE (self)->get_name (self);
}

gboolean
bourse_notifier_is_configured (BourseNotifier *self)
{
  g_return_val_if_fail (BOURSE_IS_NOTIFIER (self), FALSE);

  return BOURSE_NOTIFIER_GET_IFACE (self)->is_configured (self);
}

void
bourse_notifier_send_async (BourseNotifier           *self,
                            const BourseNotification *notification,
                            GCancellable             *cancellable,
                            GAsyncReadyCallback       callback,
                            gpointer                  user_data)
{
  g_return_if_fail (BOURSE_IS_NOTIFIER (self));
  g_return_if_fail (notification != NULL);

  BOURSE_NOTIFIER_GET_IFACE (self)->send_async (self, notification, cancellable, callback, user_data);
}

char *
bourse_notifier_send_finish (BourseNotifier  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (BOURSE_IS_NOTIFIER (self), NULL);

  return BOURSE_NOTIFIER_GET_IFACE (self)->send_finish (self, result, error);
}

void
bourse_notifiers_ensure (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      GIOExtensionPoint *point = g_io_extension_point_register (BOURSE_NOTIFIER_EXTENSION_POINT_NAME);

      g_io_extension_point_set_required_type (point, BOURSE_TYPE_NOTIFIER);
      /* The built-ins go through the same door as modules. */
      g_io_extension_point_implement (BOURSE_NOTIFIER_EXTENSION_POINT_NAME, BOURSE_TYPE_NOTIFIER_EMAIL, "email", 100);
      g_io_extension_point_implement (BOURSE_NOTIFIER_EXTENSION_POINT_NAME, BOURSE_TYPE_NOTIFIER_PUSH, "push", 100);
      g_io_extension_point_implement (BOURSE_NOTIFIER_EXTENSION_POINT_NAME, BOURSE_TYPE_NOTIFIER_WEBHOOK, "webhook", 30);
      g_io_extension_point_implement (BOURSE_NOTIFIER_EXTENSION_POINT_NAME, BOURSE_TYPE_NOTIFIER_NTFY, "ntfy", 20);
      g_io_extension_point_implement (BOURSE_NOTIFIER_EXTENSION_POINT_NAME, BOURSE_TYPE_NOTIFIER_DESKTOP, "desktop", 10);
      bourse_plugins_load ();

      g_once_init_leave (&initialized, 1);
    }
}

GPtrArray *
bourse_notifiers_create_all (BourseConfig   *config,
                             BourseSecrets  *secrets,
                             BourseEventBus *bus)
{
  return bourse_notifiers_create_all_full (config, secrets, bus, NULL);
}

GPtrArray *
bourse_notifiers_create_all_full (BourseConfig   *config,
                                  BourseSecrets  *secrets,
                                  BourseEventBus *bus,
                                  SoupSession    *session)
{
  GPtrArray *notifiers = g_ptr_array_new_with_free_func (g_object_unref);
  GList *extensions;

  bourse_notifiers_ensure ();
  extensions = g_io_extension_point_get_extensions (g_io_extension_point_lookup (BOURSE_NOTIFIER_EXTENSION_POINT_NAME));
  for (GList *l = extensions; l != NULL; l = l->next)
    {
      GType type = g_io_extension_get_type (l->data);

      /* A plugin may implement the interface on its own, without "session". */
      if (session != NULL && g_type_is_a (type, BOURSE_TYPE_NOTIFIER_BASE))
        g_ptr_array_add (notifiers, g_object_new (type, "config", config, "secrets", secrets, "bus", bus,
                                                  "session", session, NULL));
      else
        g_ptr_array_add (notifiers, g_object_new (type, "config", config, "secrets", secrets, "bus", bus, NULL));
    }
  return notifiers;
}

char *
bourse_notifier_dup_secret (BourseConfig  *config,
                            BourseSecrets *secrets,
                            const char    *name)
{
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GError) error = NULL;
  const char *dot;
  const char *value;

  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);
  g_return_val_if_fail (name != NULL && strchr (name, '.') != NULL, NULL);

  if (secrets != NULL)
    stored = bourse_secrets_lookup (secrets, name, &error);
  if (error != NULL)
    g_warning ("Could not read the secret %s: %s", name, error->message);
  if (stored != NULL && g_bytes_get_size (stored) > 0)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (stored, &size);

      return g_strndup (data, size);
    }

  dot = strchr (name, '.');
  {
    g_autofree char *section = g_strndup (name, dot - name);

    value = bourse_config_get_string (config, section, dot + 1);
  }
  return (value != NULL && *value != '\0') ? g_strdup (value) : NULL;
}

void
bourse_notifier_secret_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

GError *
bourse_notifier_http_error (guint       status,
                            gboolean    recipient_invalid,
                            const char *provider,
                            const char *detail)
{
  g_return_val_if_fail (provider != NULL, NULL);

  if (detail == NULL)
    detail = "";
  if (status == 0)
    return g_error_new (BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_TEMPORARY,
                        _("Could not reach %s: %s"), provider, detail);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return NULL;
  if (recipient_invalid)
    return g_error_new (BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_INVALID_RECIPIENT,
                        _("%s does not know the recipient: HTTP %u: %s"), provider, status, detail);
  /* A request timeout is the provider's slowness, not our request's fault. */
  return g_error_new (BOURSE_NOTIFIER_ERROR,
                      status == SOUP_STATUS_REQUEST_TIMEOUT || status == 429
                      || status >= 500 ? BOURSE_NOTIFIER_ERROR_TEMPORARY : BOURSE_NOTIFIER_ERROR_PERMANENT,
                      _("%s answered HTTP %u: %s"), provider, status, detail);
}
