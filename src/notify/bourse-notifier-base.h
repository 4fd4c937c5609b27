/* bourse-notifier-base.h — what every built-in channel shares
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "bourse-notifier.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_NOTIFIER_BASE (bourse_notifier_base_get_type ())

/* Implements BourseNotifier's "config", "secrets" and "bus" properties, and
 * "session" (SoupSession, construct-only: the one the notification service
 * shares between its channels, on the engine's context), and send_finish()
 * for a send that is a GTask on the channel returning the answer. A channel
 * derives from it and implements BourseNotifier's other methods itself
 * (G_IMPLEMENT_INTERFACE again, in its own type). */
G_DECLARE_DERIVABLE_TYPE (BourseNotifierBase, bourse_notifier_base, BOURSE, NOTIFIER_BASE, GObject)

struct _BourseNotifierBaseClass
{
  GObjectClass parent_class;
};

/* The session the service makes once and gives every channel ("session"). */
SoupSession    *bourse_notifier_session_new       (void);

BourseConfig   *bourse_notifier_base_get_config   (BourseNotifierBase *self);
BourseSecrets  *bourse_notifier_base_get_secrets  (BourseNotifierBase *self);
BourseEventBus *bourse_notifier_base_get_bus      (BourseNotifierBase *self);
/* A notify.* setting; never NULL for a key of the schema. */
const char     *bourse_notifier_base_get_setting  (BourseNotifierBase *self,
                                                   const char         *key);
/* bourse_notifier_dup_secret() for this channel's settings and secrets. */
char           *bourse_notifier_base_dup_secret   (BourseNotifierBase *self,
                                                   const char         *name);
/* The "session" given at construction; without one (a channel made on its
 * own, as tests do), one of its own, made on first use (on the
 * thread-default main context of that moment) and aborted on dispose. */
SoupSession    *bourse_notifier_base_get_session  (BourseNotifierBase *self);

/* Finishes soup_session_send_and_read_async() for a channel's @task: the
 * answer's body and *status, whatever the status, or NULL once @task has
 * returned the error (a cancellation as is, anything else TEMPORARY:
 * @provider was not reached). The status goes to bourse_notifier_http_error(). */
GBytes         *bourse_notifier_base_read_finish  (SoupSession        *session,
                                                   GAsyncResult       *result,
                                                   GTask              *task,
                                                   const char         *provider,
                                                   guint              *status);
/* Sends @message through the channel's session for a channel's @task and
 * returns its answer there: bourse_notifier_describe_answer() for a 2xx,
 * else bourse_notifier_http_error(), the recipient invalid when the status
 * is one of @recipient_gone (0-terminated, static, may be NULL: ntfy's 404
 * and 410). For channels that need nothing of the answer but its status;
 * @provider, static too, names the other end in the errors. */
void            bourse_notifier_base_send         (BourseNotifierBase *self,
                                                   SoupMessage        *message,
                                                   const char         *provider,
                                                   const guint        *recipient_gone,
                                                   GTask              *task);
/* A provider's answer for the history or an error's detail: valid UTF-8,
 * on one line, cut short. */
char           *bourse_notifier_answer_text       (GBytes             *body);
/* "HTTP 200 OK: <the answer's text>", what a channel without a richer
 * answer (a message id) keeps of a delivered send. */
char           *bourse_notifier_describe_answer   (guint               status,
                                                   GBytes             *body);

G_END_DECLS
