/* bourse-secrets.h — where secrets live: the keyring, or a 0600 file
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "core/bourse-config.h"

G_BEGIN_DECLS

#define BOURSE_SECRETS_ERROR (bourse_secrets_error_quark ())

typedef enum
{
  BOURSE_SECRETS_ERROR_FAILED = 1,
  BOURSE_SECRETS_ERROR_PERMISSIONS,
} BourseSecretsError;

typedef enum
{
  BOURSE_SECRETS_BACKEND_AUTO,     /* the Secret Service if it answers, else the file */
  BOURSE_SECRETS_BACKEND_KEYRING,
  BOURSE_SECRETS_BACKEND_FILE,
} BourseSecretsBackend;

#define BOURSE_TYPE_SECRETS (bourse_secrets_get_type ())

G_DECLARE_FINAL_TYPE (BourseSecrets, bourse_secrets, BOURSE, SECRETS, GObject)

GQuark         bourse_secrets_error_quark (void);
/* data_dir: where the fallback file (secrets.keyfile, mode 0600) lives and
 * which keyring items are scoped to (attribute "data-dir"), so two data
 * directories never share secrets. Falling back is logged once. */
BourseSecrets *bourse_secrets_new         (const char            *data_dir,
                                           BourseSecretsBackend   backend,
                                           GError               **error);
BourseSecretsBackend bourse_secrets_get_backend (BourseSecrets   *self);
/* name: e.g. "jwt-signing-key", "binance-api-secret". Synchronous: called
 * at start-up and on rare admin actions, never on a request path. */
gboolean       bourse_secrets_store       (BourseSecrets         *self,
                                           const char            *name,
                                           GBytes                *value,
                                           GError               **error);
/* NULL with no error when absent. */
GBytes        *bourse_secrets_lookup      (BourseSecrets         *self,
                                           const char            *name,
                                           GError               **error);
gboolean       bourse_secrets_delete      (BourseSecrets         *self,
                                           const char            *name,
                                           GError               **error);
/* A secret configuration key's value for the parts that use it (the
 * notifiers): the secrets store's item "section.key", else the value of the
 * file or the environment (headless deployments); NULL when neither has
 * one. @secrets may be NULL. */
/* The secrets store @config names (auth.secrets_backend, the data
 * directory): what the engine opens, and the admin commands too. */
BourseSecrets *bourse_secrets_new_for_config (BourseConfig       *config,
                                              GError            **error);
char          *bourse_config_dup_secret   (BourseConfig          *config,
                                           BourseSecrets         *secrets,
                                           const char            *section,
                                           const char            *key);

G_END_DECLS
