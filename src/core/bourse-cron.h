/* bourse-cron.h — cron-style schedules read in a time zone
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In core so that the configuration checks scheduler.heartbeat and
 * scheduler.time_zone with the very parser the scheduler (src/ops) runs.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A parsed "minute hour day-of-month month day-of-week": each field "*",
 * a number, a range "a-b", a step "*\/n", "a/n" or "a-b/n", or a list of
 * these separated by commas; day-of-week 0 or 7 is Sunday. As in cron,
 * when both day fields are restricted a day matching either runs. An
 * expression that is malformed, out of range or never runs is refused
 * with a BOURSE_ERROR_INVALID about "schedule" that says which field. */
typedef struct _BourseSchedule BourseSchedule;

BourseSchedule *bourse_schedule_parse         (const char            *expression,
                                               GError               **error);
void            bourse_schedule_free          (BourseSchedule        *self);
/* The first instant strictly after @after_ms at which @self runs, its
 * local times read in @tz: a local time skipped by a change to summer
 * time runs at the first instant after the gap; one that occurs twice
 * runs at its first occurrence only. -1 if none within eight years. */
gint64          bourse_schedule_next          (const BourseSchedule  *self,
                                               GTimeZone             *tz,
                                               gint64                 after_ms);
/* A GTimeZone from an IANA name ("America/Chicago", "UTC"); anything else
 * is a BOURSE_ERROR_INVALID about "time_zone". */
GTimeZone      *bourse_time_zone_new          (const char            *name,
                                               GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseSchedule, bourse_schedule_free)

G_END_DECLS
