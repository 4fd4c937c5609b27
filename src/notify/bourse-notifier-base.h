/* bourse-notifier-base.h — what the built-in channels share
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "bourse-notifier.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_NOTIFIER_BASE (bourse_notifier_base_get_type ())

/* Implements BourseNotifier's "config", "secrets" and "bus" properties; a
 * channel derives from it and implements BourseNotifier's methods itself
 * (G_IMPLEMENT_INTERFACE again, in its own type). */
G_DECLARE_DERIVABLE_TYPE (BourseNotifierBase, bourse_notifier_base, BOURSE, NOTIFIER_BASE, GObject)

struct _BourseNotifierBaseClass
{
  GObjectClass parent_class;
};

BourseConfig   *bourse_notifier_base_get_config  (BourseNotifierBase *self);
BourseSecrets  *bourse_notifier_base_get_secrets (BourseNotifierBase *self);
BourseEventBus *bourse_notifier_base_get_bus     (BourseNotifierBase *self);
/* A notify.* setting; never NULL for a key of the schema. */
const char     *bourse_notifier_base_get_setting (BourseNotifierBase *self,
                                                  const char         *key);
/* bourse_notifier_dup_secret() for this channel's settings and secrets. */
char           *bourse_notifier_base_dup_secret  (BourseNotifierBase *self,
                                                  const char         *name);
/* The channel's HTTP session, made on first use (on the thread-default
 * main context of that moment, the engine's), aborted on dispose. */
SoupSession    *bourse_notifier_base_get_session (BourseNotifierBase *self);

/* Finishes soup_session_send_and_read_async() for a channel's @task: the
 * answer's body and *status, or NULL once @task has returned the error (a
 * cancellation as is, anything else TEMPORARY: @provider was not reached). */
GBytes         *bourse_notifier_base_read_finish (SoupSession        *session,
                                                  GAsyncResult       *result,
                                                  GTask              *task,
                                                  const char         *provider,
                                                  guint              *status);

G_END_DECLS
