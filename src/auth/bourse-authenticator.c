/* bourse-authenticator.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-auth"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-plugins.h"

#include "bourse-authenticator.h"
#include "bourse-authenticator-local.h"
#include "bourse-authenticator-pam.h"

G_DEFINE_INTERFACE (BourseAuthenticator, bourse_authenticator, G_TYPE_OBJECT)

static void
bourse_authenticator_default_init (BourseAuthenticatorInterface *iface)
{
}

const char *
bourse_authenticator_get_id (BourseAuthenticator *self)
{
  g_return_val_if_fail (BOURSE_IS_AUTHENTICATOR (self), NULL);

  return BOURSE_AUTHENTICATOR_GET_IFACE (self)->get_id (self);
}

const char *
bourse_authenticator_get_name (BourseAuthenticator *self)
{
  BourseAuthenticatorInterface *iface;

  g_return_val_if_fail (BOURSE_IS_AUTHENTICATOR (self), NULL);

  iface = BOURSE_AUTHENTICATOR_GET_IFACE (self);
  return iface->get_name != NULL ? iface->get_name (self) : iface->get_id (self);
}

const char *
bourse_authenticator_get_parameters (BourseAuthenticator *self)
{
  BourseAuthenticatorInterface *iface;

  g_return_val_if_fail (BOURSE_IS_AUTHENTICATOR (self), NULL);

  iface = BOURSE_AUTHENTICATOR_GET_IFACE (self);
  return iface->get_parameters != NULL ? iface->get_parameters (self) : "{}";
}

gboolean
bourse_authenticator_verify (BourseAuthenticator  *self,
                             const BourseUser     *user,
                             const char           *password,
                             GError              **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (BOURSE_IS_AUTHENTICATOR (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (BOURSE_AUTHENTICATOR_GET_IFACE (self)->verify (self, user, password, &local_error))
    return TRUE;

  /* A third-party module that forgot the error still means "no". */
  if (local_error == NULL)
    local_error = g_error_new_literal (BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED,
                                       _("Wrong username or password"));
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

void
bourse_authenticators_ensure (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      GIOExtensionPoint *point = g_io_extension_point_register (BOURSE_AUTHENTICATOR_EXTENSION_POINT_NAME);

      g_io_extension_point_set_required_type (point, BOURSE_TYPE_AUTHENTICATOR);
      /* Built-ins go through the same door as modules. */
      g_io_extension_point_implement (BOURSE_AUTHENTICATOR_EXTENSION_POINT_NAME,
                                      BOURSE_TYPE_AUTHENTICATOR_LOCAL, "local", 100);
      g_io_extension_point_implement (BOURSE_AUTHENTICATOR_EXTENSION_POINT_NAME,
                                      BOURSE_TYPE_AUTHENTICATOR_PAM, "pam", 90);
      bourse_plugins_load ();

      g_once_init_leave (&initialized, 1);
    }
}

BourseAuthenticator *
bourse_authenticator_lookup (const char *id)
{
  GIOExtension *extension;

  g_return_val_if_fail (id != NULL, NULL);

  bourse_authenticators_ensure ();
  extension = g_io_extension_point_get_extension_by_name (
    g_io_extension_point_lookup (BOURSE_AUTHENTICATOR_EXTENSION_POINT_NAME), id);
  if (extension == NULL)
    return NULL;
  return g_object_new (g_io_extension_get_type (extension), NULL);
}

GPtrArray *
bourse_authenticators_list (void)
{
  GPtrArray *authenticators = g_ptr_array_new_with_free_func (g_object_unref);

  bourse_authenticators_ensure ();
  for (const GList *l = g_io_extension_point_get_extensions (
         g_io_extension_point_lookup (BOURSE_AUTHENTICATOR_EXTENSION_POINT_NAME)); l != NULL; l = l->next)
    g_ptr_array_add (authenticators, g_object_new (g_io_extension_get_type (l->data), NULL));
  return authenticators;
}
