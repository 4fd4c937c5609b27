/* bourse-notifier-webhook.h — notifications posted as signed JSON
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-notifier-base.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_NOTIFIER_WEBHOOK (bourse_notifier_webhook_get_type ())

G_DECLARE_FINAL_TYPE (BourseNotifierWebhook, bourse_notifier_webhook, BOURSE, NOTIFIER_WEBHOOK, BourseNotifierBase)

G_END_DECLS
