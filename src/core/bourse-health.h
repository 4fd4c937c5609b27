/* bourse-health.h — the components' health (docs/OPERATIONS.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  BOURSE_HEALTH_OK,
  BOURSE_HEALTH_DEGRADED,
  BOURSE_HEALTH_DOWN,
} BourseHealthStatus;

#define BOURSE_TYPE_HEALTH (bourse_health_get_type ())

G_DECLARE_FINAL_TYPE (BourseHealth, bourse_health, BOURSE, HEALTH, GObject)

/* One registry per engine, used on the engine's context. A part reports
 * its component ("database", "feed:simulated", "scheduler",
 * "notifications", "disk", "audit", "exchange") whenever it knows better;
 * the registry emits ::changed (component, status, previous, reason) on a
 * transition only, which the engine publishes on "alerts" and stores as a
 * "component.status" notification event. A component reported for the
 * first time as ok is no transition. */
BourseHealth       *bourse_health_new            (void);
void                bourse_health_set            (BourseHealth       *self,
                                                  const char         *component,
                                                  BourseHealthStatus  status,
                                                  const char         *reason);
void                bourse_health_remove         (BourseHealth       *self,
                                                  const char         *component);
BourseHealthStatus  bourse_health_get            (BourseHealth       *self,
                                                  const char         *component,
                                                  const char        **reason);
/* The worst status of all; OK when there are none. */
BourseHealthStatus  bourse_health_get_overall    (BourseHealth       *self);
/* {"status","items":[{"component","status","reason","since"}]}, sorted by component. */
JsonNode           *bourse_health_to_json        (BourseHealth       *self);
const char         *bourse_health_status_to_string (BourseHealthStatus status);

G_END_DECLS
