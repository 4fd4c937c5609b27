/* bourse-jwt.h — access tokens: JSON Web Tokens signed with HMAC-SHA256
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BOURSE_JWT_ERROR (bourse_jwt_error_quark ())

typedef enum
{
  BOURSE_JWT_ERROR_MALFORMED = 1,
  BOURSE_JWT_ERROR_ALGORITHM,   /* anything but HS256, "none" included */
  BOURSE_JWT_ERROR_SIGNATURE,
  BOURSE_JWT_ERROR_EXPIRED,
  BOURSE_JWT_ERROR_NOT_YET_VALID,
} BourseJwtError;

typedef struct
{
  char   *sub;   /* user id, as a string */
  char   *role;  /* admin | trader | viewer */
  char   *sid;   /* session id, as a string */
  char   *jti;   /* random token id */
  gint64  iat;   /* seconds since the epoch */
  gint64  exp;
} BourseJwtClaims;

GQuark           bourse_jwt_error_quark  (void);
/* key: the signing secret, at least 32 bytes. */
char            *bourse_jwt_encode       (const BourseJwtClaims *claims,
                                          GBytes                *key);
/* Verifies header (typ JWT, alg HS256 only), signature (constant time),
 * exp/iat against now (seconds, with leeway seconds of clock skew). */
BourseJwtClaims *bourse_jwt_decode       (const char            *token,
                                          GBytes                *key,
                                          gint64                 now,
                                          gint64                 leeway,
                                          GError               **error);
void             bourse_jwt_claims_free  (BourseJwtClaims       *claims);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseJwtClaims, bourse_jwt_claims_free)

G_END_DECLS
