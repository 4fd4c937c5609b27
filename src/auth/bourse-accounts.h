/* bourse-accounts.h — what an administrator or the account holder changes
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-auth.h"

G_BEGIN_DECLS

/* Each change lands in one transaction with its audit entry, whoever makes
 * it: the API's handlers and boursed's user command call these alike. A
 * change that would leave no active administrator is a CONFLICT; an
 * unknown account NOT_FOUND. After a commit, open WebSockets are checked
 * again (BourseAuth::credentials-changed). */

/* A pending account becomes active ("user.approve"). */
gboolean  bourse_accounts_approve         (BourseAuth               *auth,
                                           const char               *actor,
                                           gint64                    user_id,
                                           const BourseAuthContext  *context,
                                           GError                  **error);
/* The longest reason a declined sign-up may be given. */
#define BOURSE_ACCOUNTS_DECLINE_REASON_MAX 500

/* A pending sign-up is declined ("user.decline"): the account is disabled
 * (its username and address stay taken), and the person is told why by
 * the "signup.declined" notification, stored in the same transaction.
 * INVALID naming "reason" without one (1–500 characters), CONFLICT naming
 * "status" unless the account is pending. */
gboolean  bourse_accounts_decline         (BourseAuth               *auth,
                                           const char               *actor,
                                           gint64                    user_id,
                                           const char               *reason,
                                           const BourseAuthContext  *context,
                                           GError                  **error);
gboolean  bourse_accounts_set_role        (BourseAuth               *auth,
                                           const char               *actor,
                                           gint64                    user_id,
                                           BourseRole                role,
                                           const BourseAuthContext  *context,
                                           GError                  **error);
/* "user.enable" or "user.disable"; a disabled account's sessions end. */
gboolean  bourse_accounts_set_enabled     (BourseAuth               *auth,
                                           const char               *actor,
                                           gint64                    user_id,
                                           gboolean                  enabled,
                                           const BourseAuthContext  *context,
                                           GError                  **error);
gboolean  bourse_accounts_delete          (BourseAuth               *auth,
                                           const char               *actor,
                                           gint64                    user_id,
                                           const BourseAuthContext  *context,
                                           GError                  **error);
/* A new password set by an operator (boursed user reset-password): the
 * policy, the hash, every session of the account ended. CONFLICT for an
 * account whose password is the system's. */
gboolean  bourse_accounts_set_password    (BourseAuth               *auth,
                                           const char               *actor,
                                           gint64                    user_id,
                                           const char               *password,
                                           const BourseAuthContext  *context,
                                           GError                  **error);

/* The account holder's own changes ("user.profile"): a new address and/or
 * a new password already hashed; the account's other sessions than
 * @keep_session_id end with a new password. */
gboolean  bourse_accounts_check_new_email (BourseAuth               *auth,
                                           gint64                    user_id,
                                           const char               *email,
                                           GError                  **error);
gboolean  bourse_accounts_update_profile  (BourseAuth               *auth,
                                           const char               *actor,
                                           gint64                    user_id,
                                           const char               *email,
                                           const char               *password_hash,
                                           gint64                    keep_session_id,
                                           const BourseAuthContext  *context,
                                           GError                  **error);

/* Live sessions, newest first: @principal's own, or everyone's; a JSON
 * array of {id, user_id, username, created_at, expires_at, client_address,
 * user_agent, current}. */
JsonNode *bourse_accounts_list_sessions   (BourseAuth               *auth,
                                           const BoursePrincipal    *principal,
                                           gboolean                  everyone,
                                           GError                  **error);
/* Ends a session of @principal's, or anyone's for an administrator;
 * someone else's is NOT_FOUND to anyone else. */
gboolean  bourse_accounts_revoke_session  (BourseAuth               *auth,
                                           const BoursePrincipal    *principal,
                                           gint64                    session_id,
                                           const BourseAuthContext  *context,
                                           GError                  **error);

G_END_DECLS
