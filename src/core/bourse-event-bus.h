/* bourse-event-bus.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BOURSE_TYPE_EVENT_BUS (bourse_event_bus_get_type ())

G_DECLARE_FINAL_TYPE (BourseEventBus, bourse_event_bus, BOURSE, EVENT_BUS, GObject)

/* The engine publishes what happens on topics (DESIGN.md §8 names them);
 * the WebSocket hub, notifiers and the audit trail listen through the
 * "event" signal: (BourseEventBus *bus, const char *topic, JsonNode *data). */
BourseEventBus *bourse_event_bus_new     (void);
void            bourse_event_bus_publish (BourseEventBus *self,
                                          const char     *topic,
                                          JsonNode       *data);

G_END_DECLS
