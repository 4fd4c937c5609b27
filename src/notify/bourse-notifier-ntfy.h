/* bourse-notifier-ntfy.h — notifications through an ntfy server
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-notifier.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_NOTIFIER_NTFY (bourse_notifier_ntfy_get_type ())

G_DECLARE_FINAL_TYPE (BourseNotifierNtfy, bourse_notifier_ntfy, BOURSE, NOTIFIER_NTFY, GObject)

/* On the extension point as "ntfy"; bourse_notifiers_ensure () calls it. */
void bourse_notifier_ntfy_register (void);

G_END_DECLS
