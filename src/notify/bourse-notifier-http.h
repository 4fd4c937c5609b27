/* bourse-notifier-http.h — one HTTP send of a notifier, and what its answer means
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Sends @message through @session and classifies the outcome as
 * docs/OPERATIONS.md says: a 2xx is delivered ("HTTP 200 OK" and the start
 * of the body); no connection, a timeout, 429 or 5xx are
 * BOURSE_NOTIFIER_ERROR_TEMPORARY; other statuses are PERMANENT, except the
 * ones in @invalid_recipient (0-terminated, may be NULL: ntfy's 404 and 410),
 * which are INVALID_RECIPIENT. A cancelled send is G_IO_ERROR_CANCELLED. */
void  bourse_notifier_http_send_async  (SoupSession         *session,
                                        SoupMessage         *message,
                                        const guint         *invalid_recipient,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/* The provider's answer for the history, or NULL with the error. */
char *bourse_notifier_http_send_finish (GAsyncResult        *result,
                                        GError             **error);
/* A session for a notifier constructed without one (tests, plugins). */
SoupSession *bourse_notifier_http_session_new (void);

G_END_DECLS
