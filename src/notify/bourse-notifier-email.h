/* bourse-notifier-email.h — the "email" channel (docs/OPERATIONS.md, Channels)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-notifier-base.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_NOTIFIER_EMAIL (bourse_notifier_email_get_type ())

/* Besides the notifier's properties, "tls-database" (GTlsDatabase): the
 * certificates an SMTP server's is checked against, instead of the
 * system's (a private CA; the tests' self-signed certificate). */
G_DECLARE_FINAL_TYPE (BourseNotifierEmail, bourse_notifier_email, BOURSE, NOTIFIER_EMAIL, BourseNotifierBase)

G_END_DECLS
