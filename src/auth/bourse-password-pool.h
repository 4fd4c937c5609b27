/* bourse-password-pool.h — password hashing and checking off the engine's context
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bourse-authenticator.h"
#include "bourse-users.h"

G_BEGIN_DECLS

typedef struct _BoursePasswordPool BoursePasswordPool;

typedef struct
{
  gboolean  checked;        /* a password was given and it matched */
  GError   *check_error;    /* why not, when the sign-in method itself failed (PAM) */
  char     *hash;           /* the new password's hash, or a fresh one of a stale-cost hash */
} BoursePasswordOutcome;

/* argon2id costs ~50 ms of a core each time: a few workers do it, so the
 * engine's context keeps serving, and at most @max_waiting jobs wait (more
 * are refused as BOURSE_AUTH_ERROR_THROTTLED: the server is busy). */
BoursePasswordPool    *bourse_password_pool_new      (guint64              opslimit,
                                                      gsize                memlimit,
                                                      guint                max_threads,
                                                      guint                max_waiting);
void                   bourse_password_pool_free     (BoursePasswordPool  *self);
/* Checks @password (if not NULL) for @user with @authenticator, or against
 * a dummy hash when @user is NULL, so that an unknown account takes as
 * long to refuse as a wrong password; then hashes @new_password if given,
 * or @password again when the check passed on a local hash of an older
 * cost. @user is copied. Completes in the caller's thread-default context. */
void                   bourse_password_pool_run_async  (BoursePasswordPool  *self,
                                                        const BourseUser    *user,
                                                        BourseAuthenticator *authenticator,
                                                        const char          *password,
                                                        const char          *new_password,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BoursePasswordOutcome *bourse_password_pool_run_finish (GAsyncResult        *result,
                                                        GError             **error);
void                   bourse_password_outcome_free    (BoursePasswordOutcome *outcome);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoursePasswordOutcome, bourse_password_outcome_free)

G_END_DECLS
