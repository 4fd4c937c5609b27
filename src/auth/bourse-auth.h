/* bourse-auth.h — accounts, sessions and tokens
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "core/bourse-config.h"
#include "core/bourse-store.h"

#include "bourse-permissions.h"
#include "bourse-secrets.h"
#include "bourse-users.h"

G_BEGIN_DECLS

/* Who is asking: a signed-in user, an API key, or the desktop's local owner. */
typedef struct
{
  char       *actor;        /* "user:42", "api-key:7", "local-owner": the audit actor */
  gint64      user_id;      /* 0 for the local owner */
  char       *username;
  char       *tier;         /* free | pro | desk: the rate-limit class */
  BourseRole  role;
  gint64      session_id;   /* 0 unless signed in with a session */
  gint64      api_key_id;   /* 0 unless signed in with an API key */
} BoursePrincipal;

typedef struct
{
  char   *access_token;
  char   *refresh_token;
  gint64  expires_in;       /* seconds */
  gint64  session_id;
  gint64  user_id;
} BourseTokens;

/* Request context carried into audit entries. */
typedef struct
{
  const char *client_address;
  const char *request_id;
  const char *user_agent;
} BourseAuthContext;

#define BOURSE_TYPE_AUTH (bourse_auth_get_type ())

G_DECLARE_FINAL_TYPE (BourseAuth, bourse_auth, BOURSE, AUTH, GObject)

/* Loads the token-signing key from the keyring (or the 0600 file of a
 * headless daemon), creating it on first start. */
BourseAuth      *bourse_auth_new                 (BourseStore              *store,
                                                  BourseConfig             *config,
                                                  GError                  **error);
/* Sign-up: a pending account an admin approves. Returns the id. */
gint64           bourse_auth_register            (BourseAuth               *self,
                                                  const char               *username,
                                                  const char               *email,
                                                  const char               *password,
                                                  const BourseAuthContext  *context,
                                                  GError                  **error);
/* The same, with the password hashed in a worker: for the public sign-up
 * route, so that anyone signing up costs the engine's context nothing. */
void             bourse_auth_register_async      (BourseAuth               *self,
                                                  const char               *username,
                                                  const char               *email,
                                                  const char               *password,
                                                  const BourseAuthContext  *context,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data);
gint64           bourse_auth_register_finish     (BourseAuth               *self,
                                                  GAsyncResult             *result,
                                                  GError                  **error);
/* An active account, made by an admin or `boursed user add`. */
gint64           bourse_auth_create_user         (BourseAuth               *self,
                                                  const char               *actor,
                                                  const char               *username,
                                                  const char               *email,
                                                  const char               *password,
                                                  BourseRole                role,
                                                  const BourseAuthContext  *context,
                                                  GError                  **error);
/* The same for an account that signs in with its system password (PAM):
 * Bourse never holds one. */
gint64           bourse_auth_create_pam_user     (BourseAuth               *self,
                                                  const char               *actor,
                                                  const char               *username,
                                                  const char               *email,
                                                  BourseRole                role,
                                                  const BourseAuthContext  *context,
                                                  GError                  **error);
/* Signs in: throttled per typed name, the password checked in a worker
 * (an unknown name against a dummy hash, for the same time), the session
 * made on the caller's context. retry_after_s is set on THROTTLED. */
void             bourse_auth_login_async         (BourseAuth               *self,
                                                  const char               *login,
                                                  const char               *password,
                                                  const BourseAuthContext  *context,
                                                  GCancellable             *cancellable,
                                                  GAsyncReadyCallback       callback,
                                                  gpointer                  user_data);
BourseTokens    *bourse_auth_login_finish        (BourseAuth               *self,
                                                  GAsyncResult             *result,
                                                  guint                    *retry_after_s,
                                                  GError                  **error);
/* First run: the first administrator (active), made only while no account
 * exists (else BOURSE_AUTH_ERROR_CONFLICT), in one transaction with its
 * audit entry "user.setup", then signed in as bourse_auth_login_async ()
 * signs in. The password is hashed in a worker. Who may call this (the
 * setup token) is the caller's to check. */
void             bourse_auth_create_first_admin_async  (BourseAuth              *self,
                                                        const char              *username,
                                                        const char              *email,
                                                        const char              *password,
                                                        const BourseAuthContext *context,
                                                        GCancellable            *cancellable,
                                                        GAsyncReadyCallback      callback,
                                                        gpointer                 user_data);
BourseTokens    *bourse_auth_create_first_admin_finish (BourseAuth              *self,
                                                        GAsyncResult            *result,
                                                        GError                 **error);
/* Checks @current_password of a local account, under the same throttle as
 * signing in, and hashes @new_password, both in a worker. Returns the new
 * hash; UNAUTHENTICATED when the current password is wrong. */
void             bourse_auth_change_password_async  (BourseAuth            *self,
                                                     const BourseUser      *user,
                                                     const char            *current_password,
                                                     const char            *new_password,
                                                     GCancellable          *cancellable,
                                                     GAsyncReadyCallback    callback,
                                                     gpointer               user_data);
char            *bourse_auth_change_password_finish (BourseAuth            *self,
                                                     GAsyncResult          *result,
                                                     guint                 *retry_after_s,
                                                     GError               **error);
/* Rotates: the presented token is spent; presenting a spent one revokes
 * the whole session (BOURSE_AUTH_ERROR_TOKEN_REUSED). */
BourseTokens    *bourse_auth_refresh             (BourseAuth               *self,
                                                  const char               *refresh_token,
                                                  const BourseAuthContext  *context,
                                                  GError                  **error);
gboolean         bourse_auth_revoke_session      (BourseAuth               *self,
                                                  const char               *actor,
                                                  gint64                    session_id,
                                                  const char               *reason,
                                                  const BourseAuthContext  *context,
                                                  GError                  **error);
/* Every live session of a user but one (0: all), e.g. on disable. */
gboolean         bourse_auth_revoke_user_sessions (BourseAuth             *self,
                                                  const char               *actor,
                                                  gint64                    user_id,
                                                  gint64                    except_session_id,
                                                  const char               *reason,
                                                  const BourseAuthContext  *context,
                                                  GError                  **error);
/* Verifies an access token (JWT, or the local owner's token) and that its
 * session is still live: a revoked session's tokens stop at once. */
BoursePrincipal *bourse_auth_authenticate_bearer (BourseAuth               *self,
                                                  const char               *token,
                                                  GError                  **error);
/* Whether a principal that signed in earlier (a WebSocket's) still holds:
 * its session live, its API key unrevoked and unexpired, its account
 * active; and its role now. The local owner always holds. */
gboolean         bourse_auth_recheck_principal   (BourseAuth               *self,
                                                  const BoursePrincipal    *principal,
                                                  BourseRole               *role);
/* Tells listeners ("credentials-changed") that sessions, keys, roles or
 * account states changed, so that long-lived connections are checked again
 * at once. Called after the change commits. */
void             bourse_auth_credentials_changed (BourseAuth               *self);
/* A random token for this process's desktop owner; never stored. */
const char      *bourse_auth_get_local_token     (BourseAuth               *self);
/* Audit helper for handlers: one entry, in the caller's transaction if any. */
gboolean         bourse_auth_audit               (BourseAuth               *self,
                                                  const char               *actor,
                                                  const char               *action,
                                                  const char               *target,
                                                  JsonNode                 *details,
                                                  const BourseAuthContext  *context,
                                                  GError                  **error);
/* A new signing key: every access token issued so far stops working. */
gboolean         bourse_auth_rotate_signing_key  (BourseAuth               *self,
                                                  GError                  **error);
BourseStore     *bourse_auth_get_store           (BourseAuth               *self);
/* Where the signing key lives; other services keep their secrets there too
 * (webhook secrets, exchange keys). */
BourseSecrets   *bourse_auth_get_secrets         (BourseAuth               *self);

void             bourse_principal_free           (BoursePrincipal          *principal);
void             bourse_tokens_free              (BourseTokens             *tokens);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoursePrincipal, bourse_principal_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseTokens, bourse_tokens_free)

G_END_DECLS
