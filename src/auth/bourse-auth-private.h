/* bourse-auth-private.h — helpers shared inside src/auth
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-auth.h"

G_BEGIN_DECLS

/* 256 random bits, base64url without padding. */
char     *_bourse_auth_random_token (void);
/* Tokens and keys are stored only as this hex SHA-256. */
char     *_bourse_auth_token_hash   (const char *token);
/* argon2id with the configured cost (auth.password_opslimit/memlimit). */
char     *_bourse_auth_hash_password (BourseAuth  *self,
                                      const char  *password,
                                      GError     **error);
/* The configuration the service was made with (notify.public_url…). */
BourseConfig *_bourse_auth_get_config (BourseAuth *self);
/* A JSON object of string members: key, value, …, NULL. */
JsonNode *_bourse_auth_details_new  (const char *first_key,
                                     ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
