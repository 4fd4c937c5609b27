/* bourse-rate-limit.h — token buckets and login throttling
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BourseRateLimiter BourseRateLimiter;
typedef struct _BourseLoginThrottle BourseLoginThrottle;

/* Token buckets keyed by any string (e.g. "203.0.113.9|orders"). A bucket
 * holds `capacity` tokens and refills `capacity` per `period_us`. Buckets
 * idle long enough to be full again are forgotten, so memory stays bounded
 * by the active keys. Times are monotonic microseconds, passed in so tests
 * control the clock. */
BourseRateLimiter *bourse_rate_limiter_new      (void);
void               bourse_rate_limiter_free     (BourseRateLimiter *self);
/* TRUE and one token taken, or FALSE with *retry_after_s (rounded up,
 * ≥ 1) until a token is back. */
gboolean           bourse_rate_limiter_take     (BourseRateLimiter *self,
                                                 const char        *key,
                                                 guint              capacity,
                                                 gint64             period_us,
                                                 gint64             now_us,
                                                 guint             *retry_after_s);
guint              bourse_rate_limiter_get_size (BourseRateLimiter *self);

/* Per-account failed logins: after `free_failures` failures in a row, each
 * further attempt must wait 1 s, 2 s, 4 s … (capped at max_delay_s) after
 * the previous failure. A success resets the account. */
BourseLoginThrottle *bourse_login_throttle_new        (guint                free_failures,
                                                       guint                max_delay_s);
void                 bourse_login_throttle_free       (BourseLoginThrottle *self);
/* FALSE with *retry_after_s when the account must wait. */
gboolean             bourse_login_throttle_check      (BourseLoginThrottle *self,
                                                       const char          *account,
                                                       gint64               now_us,
                                                       guint               *retry_after_s);
void                 bourse_login_throttle_failed     (BourseLoginThrottle *self,
                                                       const char          *account,
                                                       gint64               now_us);
void                 bourse_login_throttle_succeeded  (BourseLoginThrottle *self,
                                                       const char          *account);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseRateLimiter, bourse_rate_limiter_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseLoginThrottle, bourse_login_throttle_free)

G_END_DECLS
