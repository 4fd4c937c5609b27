/* bourse-hub.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "core/bourse-event-bus.h"
#include "core/bourse-store.h"
#include "auth/bourse-auth.h"
#include "auth/bourse-permissions.h"

#include "bourse-metrics.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_HUB (bourse_hub_get_type ())

G_DECLARE_FINAL_TYPE (BourseHub, bourse_hub, BOURSE, HUB, GObject)

/* Fans engine events out to WebSocket clients (DESIGN.md §8): per-topic seq,
 * identical consecutive payloads dropped, a bounded queue per client. With
 * @auth, each client's credential is checked again whenever credentials
 * change; with @store, candle and ticker topics need an instrument. */
BourseHub *bourse_hub_new            (BourseEventBus          *bus,
                                      BourseMetrics           *metrics,
                                      guint                    queue_limit,
                                      BourseAuth              *auth,
                                      BourseStore             *store);
/* @principal (copied) decides which topics the client may follow, for as
 * long as its session, API key and account hold. */
void       bourse_hub_add_client     (BourseHub               *self,
                                      SoupWebsocketConnection *connection,
                                      GSocket                 *socket,
                                      const BoursePrincipal   *principal);
/* Topics one socket may follow (256 unless set). */
void       bourse_hub_set_max_topics (BourseHub               *self,
                                      guint                    max_topics);
/* Checks every client's credential again (see bourse_hub_new). */
void       bourse_hub_reauthorize    (BourseHub               *self);
void       bourse_hub_publish        (BourseHub               *self,
                                      const char              *topic,
                                      JsonNode                *data);
/* Whether any client follows @topic now: a producer whose events cost
 * (the logs topic) need not make them for nobody. */
gboolean   bourse_hub_is_followed    (BourseHub               *self,
                                      const char              *topic);
guint      bourse_hub_get_n_clients  (BourseHub               *self);
void       bourse_hub_close_all      (BourseHub               *self,
                                      gushort                  code,
                                      const char              *reason);
gboolean   bourse_hub_topic_is_valid (const char              *topic);
/* The topics without a symbol, NULL-terminated (for tests that must cover
 * every topic the hub knows). */
const char * const *bourse_hub_get_plain_topics (void);

/* What the OpenAPI document's x-websocket-topics says of each topic. */
typedef struct
{
  const char *topic;       /* "orders", or "ticker:{symbol}" */
  const char *permission;
  const char *event;       /* the schema of an event's "data" */
  const char *description;
} BourseTopicDoc;

const BourseTopicDoc *bourse_hub_get_topic_docs (guint *n_docs);

G_END_DECLS
