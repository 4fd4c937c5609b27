/* bourse-authenticator-local.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-auth"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bourse-authenticator-local.h"
#include "bourse-password.h"

struct _BourseAuthenticatorLocal
{
  GObject parent_instance;
};

static void authenticator_iface_init (BourseAuthenticatorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseAuthenticatorLocal, bourse_authenticator_local, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_AUTHENTICATOR, authenticator_iface_init))

static const char *
bourse_authenticator_local_get_id (BourseAuthenticator *authenticator)
{
  return "local";
}

static const char *
bourse_authenticator_local_get_name (BourseAuthenticator *authenticator)
{
  return _("Bourse password");
}

static const char *
bourse_authenticator_local_get_parameters (BourseAuthenticator *authenticator)
{
  /* The hashing cost lives in the [auth] settings, shared with sign-up. */
  return "{\"type\":\"object\",\"properties\":{}}";
}

static gboolean
bourse_authenticator_local_verify (BourseAuthenticator  *authenticator,
                                   const BourseUser     *user,
                                   const char           *password,
                                   GError              **error)
{
  g_assert (BOURSE_IS_AUTHENTICATOR_LOCAL (authenticator));

  if (user->password_hash != NULL && bourse_password_verify (user->password_hash, password))
    return TRUE;

  g_set_error_literal (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED, _("Wrong username or password"));
  return FALSE;
}

static void
authenticator_iface_init (BourseAuthenticatorInterface *iface)
{
  iface->get_id = bourse_authenticator_local_get_id;
  iface->get_name = bourse_authenticator_local_get_name;
  iface->get_parameters = bourse_authenticator_local_get_parameters;
  iface->verify = bourse_authenticator_local_verify;
}

static void
bourse_authenticator_local_class_init (BourseAuthenticatorLocalClass *klass)
{
}

static void
bourse_authenticator_local_init (BourseAuthenticatorLocal *self)
{
}
