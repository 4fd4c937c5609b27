/* bourse-hub.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "core/bourse-event-bus.h"
#include "auth/bourse-permissions.h"

#include "bourse-metrics.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_HUB (bourse_hub_get_type ())

G_DECLARE_FINAL_TYPE (BourseHub, bourse_hub, BOURSE, HUB, GObject)

/* Fans engine events out to WebSocket clients (DESIGN.md §8): per-topic seq,
 * identical consecutive payloads dropped, a bounded queue per client. */
BourseHub *bourse_hub_new            (BourseEventBus          *bus,
                                      BourseMetrics           *metrics,
                                      guint                    queue_limit);
/* role decides which topics the client may subscribe to; session_id (0
 * for API keys and the local owner) lets a revoked session's sockets close. */
void       bourse_hub_add_client     (BourseHub               *self,
                                      SoupWebsocketConnection *connection,
                                      GSocket                 *socket,
                                      BourseRole               role,
                                      gint64                   session_id);
void       bourse_hub_close_session  (BourseHub               *self,
                                      gint64                   session_id);
void       bourse_hub_publish        (BourseHub               *self,
                                      const char              *topic,
                                      JsonNode                *data);
guint      bourse_hub_get_n_clients  (BourseHub               *self);
void       bourse_hub_close_all      (BourseHub               *self,
                                      gushort                  code,
                                      const char              *reason);
gboolean   bourse_hub_topic_is_valid (const char              *topic);

G_END_DECLS
