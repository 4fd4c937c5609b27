/* bourse-remote-session.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BOURSE_TYPE_REMOTE_SESSION (bourse_remote_session_get_type ())

G_DECLARE_FINAL_TYPE (BourseRemoteSession, bourse_remote_session, BOURSE, REMOTE_SESSION, GObject)

/* Being signed in to a remote boursed: the access token for BourseClient,
 * kept fresh with the (rotating) refresh token before it expires, and
 * optionally remembered in the keyring (schema
 * "io.github.bourse.Bourse.Connection", attribute "url") for the next
 * launch. Tokens are never logged. */
BourseRemoteSession *bourse_remote_session_new                (const char           *url);
const char          *bourse_remote_session_get_url            (BourseRemoteSession  *self);
/* Who signed in last (also what the keyring remembered), or NULL. */
const char          *bourse_remote_session_get_username       (BourseRemoteSession  *self);
/* The current access token, or NULL while signed out. */
const char          *bourse_remote_session_get_access_token   (BourseRemoteSession  *self);
gboolean             bourse_remote_session_get_remember       (BourseRemoteSession  *self);

/* POST /api/v1/auth/login with a username or an e-mail address. */
void                 bourse_remote_session_login_async        (BourseRemoteSession  *self,
                                                               const char           *login,
                                                               const char           *password,
                                                               gboolean              remember,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean             bourse_remote_session_login_finish       (BourseRemoteSession  *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
/* Signs in again with what the keyring remembers for this URL. FALSE
 * without an error when it remembers nothing (or there is no keyring). */
void                 bourse_remote_session_restore_async      (BourseRemoteSession  *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean             bourse_remote_session_restore_finish     (BourseRemoteSession  *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
/* Trades the refresh token for new tokens now (it is also done by itself
 * before the access token expires). */
void                 bourse_remote_session_refresh_async      (BourseRemoteSession  *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean             bourse_remote_session_refresh_finish     (BourseRemoteSession  *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
/* Forgets the tokens, and the keyring's entry for this URL. */
void                 bourse_remote_session_sign_out           (BourseRemoteSession  *self);

G_END_DECLS
