/* bourse-authenticator.h — plugins that check a user's password
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "core/bourse-plugins.h"

#include "bourse-users.h"

G_BEGIN_DECLS

/* The GIO extension point; an extension's name is the id users.auth_source
 * names. A module in a plugin directory implements it from g_io_module_load(). */
#define BOURSE_AUTHENTICATOR_EXTENSION_POINT_NAME BOURSE_PLUGIN_AUTHENTICATOR

#define BOURSE_TYPE_AUTHENTICATOR (bourse_authenticator_get_type ())

G_DECLARE_INTERFACE (BourseAuthenticator, bourse_authenticator, BOURSE, AUTHENTICATOR, GObject)

struct _BourseAuthenticatorInterface
{
  GTypeInterface parent_iface;

  /* "local", "pam": stable, stored in users.auth_source. */
  const char *(*get_id)         (BourseAuthenticator  *self);
  /* Translated, for people. */
  const char *(*get_name)       (BourseAuthenticator  *self);
  /* A JSON Schema object describing the settings, for the UIs' forms. */
  const char *(*get_parameters) (BourseAuthenticator  *self);
  /* Blocks the caller (PAM may take its time). FALSE with
   * BOURSE_AUTH_ERROR_UNAUTHENTICATED for wrong credentials, any other
   * error when the method itself failed. Must never log the password. */
  gboolean    (*verify)         (BourseAuthenticator  *self,
                                 const BourseUser     *user,
                                 const char           *password,
                                 GError              **error);
};

const char          *bourse_authenticator_get_id         (BourseAuthenticator  *self);
const char          *bourse_authenticator_get_name       (BourseAuthenticator  *self);
const char          *bourse_authenticator_get_parameters (BourseAuthenticator  *self);
gboolean             bourse_authenticator_verify         (BourseAuthenticator  *self,
                                                          const BourseUser     *user,
                                                          const char           *password,
                                                          GError              **error);

/* Registers the extension point and the built-ins, then loads the modules of
 * PKGLIBDIR/plugins and of each directory in $BOURSE_PLUGIN_PATH (colon-
 * separated), once per process. The functions below call it. */
void                 bourse_authenticators_ensure        (void);
/* A new instance of the authenticator with this id, or NULL. */
BourseAuthenticator *bourse_authenticator_lookup         (const char           *id);
/* A new instance of each, highest priority first. */
GPtrArray           *bourse_authenticators_list          (void);

G_END_DECLS
