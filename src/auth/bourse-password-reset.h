/* bourse-password-reset.h — one-time password reset tokens
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-auth.h"

G_BEGIN_DECLS

/* How long a reset token stays valid. */
#define BOURSE_PASSWORD_RESET_TTL_S (30 * 60)

/* A new one-time token for user_id, valid BOURSE_PASSWORD_RESET_TTL_S; the
 * user's earlier unused tokens stop working. Only its hash is stored, and it
 * never reaches the audit trail or a log. requested_by: "self" for a
 * request from the sign-in page, else the admin's actor; actor NULL audits
 * the account itself. Refused (CONFLICT) for accounts that sign in through
 * the system (PAM). */
char     *bourse_password_reset_create        (BourseAuth               *auth,
                                               const char               *actor,
                                               gint64                    user_id,
                                               const char               *requested_by,
                                               const BourseAuthContext  *context,
                                               GError                  **error);
/* When a live (unused, unexpired) token stops working, RFC 3339. */
char     *bourse_password_reset_dup_expiry    (BourseAuth               *auth,
                                               const char               *token,
                                               GError                  **error);
/* Spends the token: the new password is set and every session of the
 * account ends, in one transaction. UNAUTHENTICATED for an unknown, used or
 * expired token; INVALID_PASSWORD when new_password breaks the policy. */
gboolean  bourse_password_reset_confirm       (BourseAuth               *auth,
                                               const char               *token,
                                               const char               *new_password,
                                               const BourseAuthContext  *context,
                                               GError                  **error);

/* Shared with the profile route. CONFLICT when the account's password is
 * the system's (PAM), not ours to set. */
gboolean  bourse_password_reset_check_account (const BourseUser         *user,
                                               GError                  **error);
/* Checks the policy (INVALID_PASSWORD) and hashes; call it before opening a
 * transaction, as hashing is slow. */
char     *bourse_password_reset_hash          (BourseAuth               *auth,
                                               const char               *password,
                                               GError                  **error);
/* Inside the caller's transaction: stores the hash and ends the account's
 * live sessions but keep_session_id (0: all). Returns the ids of the ended
 * sessions, for bourse_password_reset_announce once committed; NULL on error. */
GArray   *bourse_password_reset_replace       (BourseAuth               *auth,
                                               gint64                    user_id,
                                               const char               *password_hash,
                                               gint64                    keep_session_id,
                                               GError                  **error);
/* After the commit: BourseAuth::session-revoked for each ended session, so
 * the server closes their WebSockets. */
void      bourse_password_reset_announce      (BourseAuth               *auth,
                                               GArray                   *ended_sessions);

G_END_DECLS
