/* bourse-metrics.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ops/bourse-scheduler.h"

G_BEGIN_DECLS

typedef struct _BourseMetrics BourseMetrics;

BourseMetrics *bourse_metrics_new                 (void);
void           bourse_metrics_free                (BourseMetrics *self);
/* route is the route pattern (bounded label set), or "unmatched". */
void           bourse_metrics_observe_request     (BourseMetrics *self,
                                                   const char    *route,
                                                   const char    *method,
                                                   guint          status,
                                                   double         seconds);
void           bourse_metrics_set_websocket_clients (BourseMetrics *self,
                                                   guint          n_clients);
void           bourse_metrics_count_websocket_message (BourseMetrics *self,
                                                   gboolean       outgoing);
void           bourse_metrics_count_websocket_slow_close (BourseMetrics *self);
/* The Prometheus text exposition format, version 0.0.4. */
char          *bourse_metrics_render              (BourseMetrics *self,
                                                   double         uptime_seconds);

/* Appends bourse_scheduler_runs_total{job,outcome}: every job's finished
 * runs by outcome, zeros included, since the scheduler was created. */
void           bourse_metrics_append_scheduler_runs (GString       *out,
                                                   BourseScheduler *scheduler);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseMetrics, bourse_metrics_free)

G_END_DECLS
