/* bourse-event-bus.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bourse-event-bus.h"

struct _BourseEventBus
{
  GObject parent_instance;
};

enum {
  EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BourseEventBus, bourse_event_bus, G_TYPE_OBJECT)

static void
bourse_event_bus_class_init (BourseEventBusClass *klass)
{
  /* Detailed by topic, so a listener can connect to "event::system". */
  signals[EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  JSON_TYPE_NODE);
}

static void
bourse_event_bus_init (BourseEventBus *self)
{
}

BourseEventBus *
bourse_event_bus_new (void)
{
  return g_object_new (BOURSE_TYPE_EVENT_BUS, NULL);
}

void
bourse_event_bus_publish (BourseEventBus *self,
                          const char     *topic,
                          JsonNode       *data)
{
  g_return_if_fail (BOURSE_IS_EVENT_BUS (self));
  g_return_if_fail (topic != NULL);
  g_return_if_fail (data != NULL);

  g_signal_emit (self, signals[EVENT], g_quark_from_string (topic), topic, data);
}
