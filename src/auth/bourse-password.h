/* bourse-password.h — password hashing (argon2id) and policy
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BOURSE_PASSWORD_ERROR (bourse_password_error_quark ())

typedef enum
{
  BOURSE_PASSWORD_ERROR_TOO_SHORT = 1,
  BOURSE_PASSWORD_ERROR_TOO_LONG,
  BOURSE_PASSWORD_ERROR_COMMON,
  BOURSE_PASSWORD_ERROR_INTERNAL,
  BOURSE_PASSWORD_ERROR_INVALID,    /* not valid UTF-8 */
} BoursePasswordError;

#define BOURSE_PASSWORD_MIN_LENGTH 12
#define BOURSE_PASSWORD_MAX_LENGTH 1024

GQuark    bourse_password_error_quark   (void);
/* Must be called once before hashing (sodium_init); safe to call again. */
gboolean  bourse_password_init          (GError     **error);
/* Length (in characters) and the shipped list of common passwords. */
gboolean  bourse_password_check_policy  (const char  *password,
                                         GError     **error);
/* An argon2id string ("$argon2id$v=19$m=…"), crypto_pwhash_str with the
 * configured cost (opslimit/memlimit; 0 = libsodium's INTERACTIVE). */
char     *bourse_password_hash          (const char  *password,
                                         guint64      opslimit,
                                         gsize        memlimit,
                                         GError     **error);
gboolean  bourse_password_verify        (const char  *hash,
                                         const char  *password);
/* TRUE when hash was made with other cost settings: rehash on login. */
gboolean  bourse_password_needs_rehash  (const char  *hash,
                                         guint64      opslimit,
                                         gsize        memlimit);

G_END_DECLS
