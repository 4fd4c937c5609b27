/* bourse-notifier-desktop.h — notifications to the user's own desktop
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-notifier-base.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_NOTIFIER_DESKTOP (bourse_notifier_desktop_get_type ())

G_DECLARE_FINAL_TYPE (BourseNotifierDesktop, bourse_notifier_desktop, BOURSE, NOTIFIER_DESKTOP, BourseNotifierBase)

G_END_DECLS
