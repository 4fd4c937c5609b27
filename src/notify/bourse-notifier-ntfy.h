/* bourse-notifier-ntfy.h — notifications through an ntfy server
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-notifier-base.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_NOTIFIER_NTFY (bourse_notifier_ntfy_get_type ())

G_DECLARE_FINAL_TYPE (BourseNotifierNtfy, bourse_notifier_ntfy, BOURSE, NOTIFIER_NTFY, BourseNotifierBase)

G_END_DECLS
