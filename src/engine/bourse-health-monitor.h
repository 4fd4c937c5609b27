/* bourse-health-monitor.h — what the engine knows of its components' health
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "core/bourse-config.h"
#include "core/bourse-event-bus.h"
#include "core/bourse-health.h"
#include "core/bourse-store.h"
#include "market/bourse-market.h"
#include "trading/bourse-trading.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_HEALTH_MONITOR (bourse_health_monitor_get_type ())

G_DECLARE_FINAL_TYPE (BourseHealthMonitor, bourse_health_monitor, BOURSE, HEALTH_MONITOR, GObject)

/* Checks, on the thread-default context and every health.check_interval
 * seconds, the components the engine can see (docs/OPERATIONS.md,
 * "Component health"): database, feed:<id> for each running feed, exchange
 * (the venue's connection, when trading goes through one) and disk (the
 * data directory's free space against health.disk_warn_mb and
 * health.disk_min_mb), and reports them to @health. Each transition of any
 * component of @health is published on "alerts" as {"type":"component",
 * "component","status","previous","reason","since"}, stored as a
 * "component.status" notification event and logged with BOURSE_COMPONENT
 * and BOURSE_STATUS. @trading may be NULL. */
BourseHealthMonitor *bourse_health_monitor_new   (BourseHealth    *health,
                                                  BourseConfig    *config,
                                                  BourseStore     *store,
                                                  BourseEventBus  *bus,
                                                  BourseMarket    *market,
                                                  BourseTrading   *trading);
/* Checks now (the timer goes on). */
void                 bourse_health_monitor_check (BourseHealthMonitor *self);
/* No checks and no alerts after it returns. */
void                 bourse_health_monitor_stop  (BourseHealthMonitor *self);

G_END_DECLS
