/* bourse-notifier-push.h — the "push" channel (docs/OPERATIONS.md, Channels)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-notifier-base.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_NOTIFIER_PUSH (bourse_notifier_push_get_type ())

G_DECLARE_FINAL_TYPE (BourseNotifierPush, bourse_notifier_push, BOURSE, NOTIFIER_PUSH, BourseNotifierBase)

G_END_DECLS
