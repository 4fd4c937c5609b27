/* bourse-clock.h — the time the scheduler goes by, replaceable in tests
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BOURSE_TYPE_CLOCK (bourse_clock_get_type ())

G_DECLARE_FINAL_TYPE (BourseClock, bourse_clock, BOURSE, CLOCK, GObject)

/* The real clock reads bourse_time_now_ms () and waits with timeouts on the
 * thread-default context of its creation. A manual clock stands still
 * until a test moves it; alarms then fire on the caller's stack. */
BourseClock *bourse_clock_new             (void);
BourseClock *bourse_clock_new_manual      (gint64          now_ms);
gboolean     bourse_clock_is_manual       (BourseClock    *self);
/* UTC milliseconds since the epoch. */
gint64       bourse_clock_now_ms          (BourseClock    *self);
/* Calls @func once, when the clock reads @at_ms or later. The real clock
 * wakes at least once a minute to look, so that a suspended machine or a
 * clock set forward is noticed within a minute of waking. Returns an id
 * for bourse_clock_remove_alarm (); never 0. */
guint        bourse_clock_add_alarm       (BourseClock    *self,
                                           gint64          at_ms,
                                           GSourceFunc     func,
                                           gpointer        data);
void         bourse_clock_remove_alarm    (BourseClock    *self,
                                           guint           id);
/* Manual clocks only. A jump, as a machine that slept: the clock moves
 * @ms at once and then fires every alarm now due, earliest first. */
void         bourse_clock_advance         (BourseClock    *self,
                                           gint64          ms);
/* Manual clocks only. Time passing on an awake machine: the clock moves
 * to each alarm due up to @until_ms in turn and fires it at its own
 * instant (alarms that these add are honoured), then to @until_ms. */
void         bourse_clock_run_until       (BourseClock    *self,
                                           gint64          until_ms);

G_END_DECLS
