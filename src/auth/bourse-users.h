/* bourse-users.h — user accounts in the store
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "core/bourse-store.h"

#include "bourse-permissions.h"

G_BEGIN_DECLS

#define BOURSE_AUTH_ERROR (bourse_auth_error_quark ())

/* The INVALID_* codes name the field that is wrong, for problem+json. */
typedef enum
{
  BOURSE_AUTH_ERROR_INVALID_USERNAME = 1,
  BOURSE_AUTH_ERROR_INVALID_EMAIL,
  BOURSE_AUTH_ERROR_INVALID_PASSWORD,
  BOURSE_AUTH_ERROR_INVALID_ROLE,
  BOURSE_AUTH_ERROR_INVALID_STATUS,
  BOURSE_AUTH_ERROR_INVALID_TIER,
  BOURSE_AUTH_ERROR_INVALID_NAME,
  BOURSE_AUTH_ERROR_INVALID_EXPIRY,
  BOURSE_AUTH_ERROR_CONFLICT,          /* username or e-mail taken */
  BOURSE_AUTH_ERROR_NOT_FOUND,
  BOURSE_AUTH_ERROR_UNAUTHENTICATED,   /* bad credentials or token */
  BOURSE_AUTH_ERROR_FORBIDDEN,
  BOURSE_AUTH_ERROR_THROTTLED,
  BOURSE_AUTH_ERROR_ACCOUNT_PENDING,
  BOURSE_AUTH_ERROR_ACCOUNT_DISABLED,
  BOURSE_AUTH_ERROR_TOKEN_REUSED,
  BOURSE_AUTH_ERROR_FAILED,
} BourseAuthError;

typedef struct
{
  gint64  id;
  char   *username;
  char   *email;
  char   *password_hash;
  char   *role;          /* admin | trader | viewer */
  char   *status;        /* pending | active | disabled */
  char   *tier;          /* free | pro | desk */
  char   *auth_source;   /* local | pam */
  char   *created_at;
  char   *last_login_at;
} BourseUser;

GQuark      bourse_auth_error_quark          (void);
/* The field an INVALID_* error is about ("username", "email"…), or NULL. */
const char *bourse_auth_error_field          (const GError *error);

gboolean    bourse_users_validate_username   (const char   *username,
                                              GError      **error);
gboolean    bourse_users_validate_email      (const char   *email,
                                              GError      **error);

/* Returns the new id, or 0 with CONFLICT naming the field that is taken. */
gint64      bourse_users_insert              (BourseStore  *store,
                                              const char   *username,
                                              const char   *email,
                                              const char   *password_hash,
                                              BourseRole    role,
                                              const char   *status,
                                              GError      **error);
/* auth_source: "local" (password_hash set) or "pam" (password_hash NULL:
 * the system checks the password). */
gint64      bourse_users_insert_with_source  (BourseStore  *store,
                                              const char   *username,
                                              const char   *email,
                                              const char   *password_hash,
                                              BourseRole    role,
                                              const char   *status,
                                              const char   *auth_source,
                                              GError      **error);
/* NULL without error when there is no such user. */
BourseUser *bourse_users_find_by_id          (BourseStore  *store,
                                              gint64        id,
                                              GError      **error);
BourseUser *bourse_users_find_by_login       (BourseStore  *store,
                                              const char   *username_or_email,
                                              GError      **error);
/* Pending accounts first, then by id. status NULL: all. */
GPtrArray  *bourse_users_list                (BourseStore  *store,
                                              const char   *status,
                                              GError      **error);
gint64      bourse_users_count               (BourseStore  *store,
                                              GError      **error);
/* Active administrators other than @except_id: a change that would leave
 * none (the last admin demoted, disabled or deleted) is refused. */
gint64      bourse_users_count_other_admins (BourseStore  *store,
                                             gint64        except_id,
                                             GError      **error);
/* column: one of "role", "status", "tier", "password_hash", "last_login_at",
 * "email" (checked against a fixed list; values are bound). */
gboolean    bourse_users_update              (BourseStore  *store,
                                              gint64        id,
                                              const char   *column,
                                              const char   *value,
                                              GError      **error);
gboolean    bourse_users_delete              (BourseStore  *store,
                                              gint64        id,
                                              GError      **error);
/* Never includes the password hash. */
JsonNode   *bourse_user_to_json              (const BourseUser *user);
void        bourse_user_free                 (BourseUser   *user);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseUser, bourse_user_free)

G_END_DECLS
