/* bourse-notifications-page.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_NOTIFICATIONS_PAGE (bourse_notifications_page_get_type ())

G_DECLARE_FINAL_TYPE (BourseNotificationsPage, bourse_notifications_page, BOURSE, NOTIFICATIONS_PAGE,
                      AdwPreferencesPage)

/* The caller's own notification preferences and devices, for the
 * Preferences window: a row per event with a check per channel
 * ("notify-EVENT-CHANNEL"), the ntfy topic, Save; the devices with Remove
 * and a form to add one. */
GtkWidget *bourse_notifications_page_new          (BourseClient            *client);
/* Events shown from GET /api/v1/notifications/preferences; -1 until
 * loaded. */
int        bourse_notifications_page_get_n_events (BourseNotificationsPage *self);
/* Devices listed; -1 until loaded. */
int        bourse_notifications_page_get_n_devices (BourseNotificationsPage *self);

G_END_DECLS
