/* bourse-notifications.h — the notification service: outbox worker, preferences, devices, history
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "auth/bourse-permissions.h"
#include "auth/bourse-secrets.h"
#include "core/bourse-config.h"
#include "core/bourse-event-bus.h"
#include "core/bourse-health.h"
#include "core/bourse-store.h"

#include "bourse-notifier.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_NOTIFICATIONS (bourse_notifications_get_type ())

G_DECLARE_FINAL_TYPE (BourseNotifications, bourse_notifications, BOURSE, NOTIFICATIONS, GObject)

/* Created by the engine on its context (docs/OPERATIONS.md, Notifications).
 * @secrets may be NULL (secret keys then come from the configuration only).
 * Its notifiers are every registered one, HTTP ones sharing one session. */
BourseNotifications *bourse_notifications_new             (BourseStore          *store,
                                                           BourseConfig         *config,
                                                           BourseSecrets        *secrets,
                                                           BourseEventBus       *bus);
/* Where the "notifications" component is reported (NULL: nowhere). */
void                 bourse_notifications_set_health      (BourseNotifications  *self,
                                                           BourseHealth         *health);
/* A desktop's embedded engine: its local owner (an admin without an
 * account, user id 0) gets what admins get, on the desktop channel only,
 * by the defaults (docs/OPERATIONS.md). */
void                 bourse_notifications_set_local_owner (BourseNotifications  *self,
                                                           gboolean              local_owner);
/* The worker: woken by bourse_outbox_emit () and by a timer at the earliest
 * retry; a delivery found "sending" is retried once its back-off passes. */
void                 bourse_notifications_start           (BourseNotifications  *self);
/* Cancels the sends under way (their deliveries stay "sending", retried at
 * the next start) and stops waking. */
void                 bourse_notifications_stop            (BourseNotifications  *self);
/* The channel's notifier, or NULL. */
BourseNotifier      *bourse_notifications_get_notifier    (BourseNotifications  *self,
                                                           const char           *channel);
/* Every channel's id, in the extension point's order (NULL-terminated, owned). */
char               **bourse_notifications_dup_channels    (BourseNotifications  *self);

/* History, newest first: {"items":[…],"next_cursor"}. @user_id 0: everyone's.
 * @status, @event, @channel filter when not NULL. */
JsonNode            *bourse_notifications_list            (BourseNotifications  *self,
                                                           gint64                user_id,
                                                           const char           *status,
                                                           const char           *event,
                                                           const char           *channel,
                                                           guint                 limit,
                                                           gint64                cursor,
                                                           GError              **error);
/* {"events":{event:[channel…]},"ntfy_topic","defaults":{event:[channel…]}}
 * for the events @role may receive. @user_id 0 (the local owner): defaults. */
JsonNode            *bourse_notifications_get_preferences (BourseNotifications  *self,
                                                           gint64                user_id,
                                                           BourseRole            role,
                                                           GError              **error);
/* {"events":{…},"ntfy_topic"?}: events not named stay as they were.
 * BOURSE_ERROR_INVALID naming "events.<event>" or "ntfy_topic". */
gboolean             bourse_notifications_set_preferences (BourseNotifications  *self,
                                                           gint64                user_id,
                                                           BourseRole            role,
                                                           JsonObject           *body,
                                                           GError              **error);
/* The same shape, for everyone who chose nothing. */
gboolean             bourse_notifications_set_defaults    (BourseNotifications  *self,
                                                           JsonObject           *body,
                                                           GError              **error);
/* Registers (or re-registers: a token is unique) a push device:
 * {"id","user_id","platform","token":"…<last 6>","name","created_at","last_used_at"}. */
JsonNode            *bourse_notifications_add_device      (BourseNotifications  *self,
                                                           gint64                user_id,
                                                           const char           *platform,
                                                           const char           *token,
                                                           const char           *name,
                                                           GError              **error);
/* {"items":[…]}; @user_id 0: everyone's. */
JsonNode            *bourse_notifications_list_devices    (BourseNotifications  *self,
                                                           gint64                user_id,
                                                           GError              **error);
/* NOT_FOUND unless it is @user_id's (0: anyone's). */
gboolean             bourse_notifications_delete_device   (BourseNotifications  *self,
                                                           gint64                id,
                                                           gint64                user_id,
                                                           GError              **error);
/* Sends a "test" event on @channel at once, past the outbox. @recipient
 * NULL: the caller's own (address, topic, first device, desktop).
 * INVALID naming "channel" when it does not exist or is not configured. */
void                 bourse_notifications_test_async      (BourseNotifications  *self,
                                                           const char           *channel,
                                                           const char           *recipient,
                                                           gint64                user_id,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
/* The provider's answer, or NULL: BOURSE_NOTIFIER_ERROR from the channel
 * (the caller answers 502), or BOURSE_ERROR. */
char                *bourse_notifications_test_finish     (BourseNotifications  *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* The events (docs/OPERATIONS.md's table), NULL-terminated. */
const char * const  *bourse_notifications_get_events      (void);

G_END_DECLS
