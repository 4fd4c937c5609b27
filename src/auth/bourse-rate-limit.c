/* bourse-rate-limit.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bourse-rate-limit.h"

/* Neither object is thread-safe, on purpose: the engine serves requests from
 * one main loop, and a lock would only hide a call from the wrong thread. */

#define USEC_PER_SEC G_GINT64_CONSTANT (1000000)

/* What a zero-capacity bucket answers: the route is closed, not busy, so
 * clients are told to come back much later rather than hammer it. */
#define CLOSED_RETRY_AFTER_S 60

/* Takes between sweeps, at least; the interval grows with the table so that
 * sweeping stays O(1) per take however many keys are active. */
#define SWEEP_INTERVAL 1024

/* A quiet account is forgotten after a day (or max_delay_s if longer, so that
 * forgetting never shortens a delay), and at most this many are remembered;
 * beyond that the one whose last failure is oldest goes first. */
#define THROTTLE_FORGET_AFTER_US (24 * 3600 * USEC_PER_SEC)
#define THROTTLE_MAX_ACCOUNTS    100000

/* Tokens are kept in fixed point as credit = tokens × period_us, which a
 * bucket regains at exactly `capacity` per microsecond: refills and takes
 * are integer operations, so no rounding ever lets one request too many
 * through. A token costs period_us of credit; a full bucket holds
 * capacity × period_us, which must fit in 63 bits (e.g. 10⁸ per day). */
typedef struct
{
  guint64 credit;
  gint64  updated_us;
  gint64  period_us;
  guint   capacity;
} Bucket;

struct _BourseRateLimiter
{
  GHashTable *buckets;            /* key → Bucket* */
  guint       takes_since_sweep;
  guint       sweep_after;
};

static inline guint64
bucket_full (const Bucket *bucket)
{
  return (guint64) bucket->capacity * (guint64) bucket->period_us;
}

/* Brings the credit up to now_us; TRUE when the bucket is full again, that is
 * indistinguishable from one that was never used. A clock that goes back
 * refills nothing rather than taking credit away. */
static gboolean
bucket_refill (Bucket *bucket,
               gint64  now_us)
{
  guint64 full = bucket_full (bucket);
  gint64 elapsed = now_us - bucket->updated_us;

  if (elapsed > 0)
    {
      /* Past a whole period any bucket is full; capping first also keeps
       * elapsed × capacity below full, so the sum cannot overflow. */
      if (elapsed >= bucket->period_us)
        bucket->credit = full;
      else
        bucket->credit = MIN (full, bucket->credit + (guint64) elapsed * bucket->capacity);
      bucket->updated_us = now_us;
    }

  return bucket->credit >= full;
}

/* Callers may change a key's capacity or period (a new configuration, or one
 * key shared by routes with different limits): the latest wins. The tokens
 * held carry over, rounded down and capped at the new capacity, so a change
 * never grants more than either limit would have. */
static void
bucket_reconfigure (Bucket *bucket,
                    guint   capacity,
                    gint64  period_us)
{
  bucket->capacity = capacity;
  if (bucket->period_us != period_us)
    {
      double tokens = (double) bucket->credit / (double) bucket->period_us;

      /* Capped before converting back, which must stay within 64 bits. */
      tokens = MIN (tokens, (double) capacity);
      bucket->credit = (guint64) (tokens * (double) period_us);
      bucket->period_us = period_us;
    }
  bucket->credit = MIN (bucket->credit, bucket_full (bucket));
}

/* A fresh bucket starts full, so dropping full ones changes no outcome. */
static void
bourse_rate_limiter_sweep (BourseRateLimiter *self,
                           gint64             now_us)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (bucket_refill (value, now_us))
      g_hash_table_iter_remove (&iter);

  self->takes_since_sweep = 0;
  self->sweep_after = MAX (SWEEP_INTERVAL, g_hash_table_size (self->buckets));
}

BourseRateLimiter *
bourse_rate_limiter_new (void)
{
  BourseRateLimiter *self = g_new0 (BourseRateLimiter, 1);

  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sweep_after = SWEEP_INTERVAL;
  return self;
}

void
bourse_rate_limiter_free (BourseRateLimiter *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->buckets);
  g_free (self);
}

/* Capacity 0 closes the key: always FALSE with a retry of 60 s, and no
 * bucket is kept for it. retry_after_s may be NULL. */
gboolean
bourse_rate_limiter_take (BourseRateLimiter *self,
                          const char        *key,
                          guint              capacity,
                          gint64             period_us,
                          gint64             now_us,
                          guint             *retry_after_s)
{
  Bucket *bucket;
  guint64 missing;
  guint64 per_second;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (period_us > 0, FALSE);
  g_return_val_if_fail (capacity <= G_MAXINT64 / period_us, FALSE);

  if (++self->takes_since_sweep >= self->sweep_after)
    bourse_rate_limiter_sweep (self, now_us);

  if (capacity == 0)
    {
      if (retry_after_s != NULL)
        *retry_after_s = CLOSED_RETRY_AFTER_S;
      return FALSE;
    }

  if ((bucket = g_hash_table_lookup (self->buckets, key)) == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->capacity = capacity;
      bucket->period_us = period_us;
      bucket->credit = bucket_full (bucket);
      bucket->updated_us = now_us;
      g_hash_table_insert (self->buckets, g_strdup (key), bucket);
    }
  else
    {
      bucket_refill (bucket, now_us);
      if (bucket->capacity != capacity || bucket->period_us != period_us)
        bucket_reconfigure (bucket, capacity, period_us);
    }

  if (bucket->credit >= (guint64) period_us)
    {
      bucket->credit -= (guint64) period_us;
      return TRUE;
    }

  /* The missing credit comes back at `capacity` per µs; whole seconds,
   * rounded up, so that a client retrying on time is never refused. */
  if (retry_after_s != NULL)
    {
      missing = (guint64) period_us - bucket->credit;
      per_second = (guint64) capacity * USEC_PER_SEC;
      *retry_after_s = (guint) CLAMP ((missing + per_second - 1) / per_second, 1, G_MAXUINT);
    }

  return FALSE;
}

guint
bourse_rate_limiter_get_size (BourseRateLimiter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->buckets);
}

/* Accounts are also queued by last failure, oldest first, so that forgetting
 * stale ones and evicting the oldest at the cap cost O(1) each. */
typedef struct
{
  GList  link;               /* in BourseLoginThrottle.by_age; data is self */
  guint  failures;           /* in a row */
  gint64 last_failure_us;
  char   account[];
} Account;

struct _BourseLoginThrottle
{
  GHashTable *accounts;      /* Account.account → Account* */
  GQueue      by_age;
  gint64      forget_after_us;
  guint       free_failures;
  guint       max_delay_s;
};

static void
bourse_login_throttle_forget (BourseLoginThrottle *self,
                              Account             *account)
{
  g_queue_unlink (&self->by_age, &account->link);
  /* Frees the account too: the table owns the values. */
  g_hash_table_remove (self->accounts, account->account);
}

/* Keeps the table bounded: quiet accounts go after forget_after_us, and the
 * oldest goes when a new one would exceed the cap. An attacker can push an
 * account out by failing on 100,000 others, but the per-client rate limits
 * make that take far longer than the delays it would skip. */
static void
bourse_login_throttle_sweep (BourseLoginThrottle *self,
                             gint64               now_us,
                             guint                room)
{
  Account *oldest;

  while ((oldest = g_queue_peek_head (&self->by_age)) != NULL)
    {
      if (now_us - oldest->last_failure_us < self->forget_after_us
          && g_hash_table_size (self->accounts) + room <= THROTTLE_MAX_ACCOUNTS)
        break;
      bourse_login_throttle_forget (self, oldest);
    }
}

BourseLoginThrottle *
bourse_login_throttle_new (guint free_failures,
                           guint max_delay_s)
{
  BourseLoginThrottle *self = g_new0 (BourseLoginThrottle, 1);

  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_queue_init (&self->by_age);
  self->free_failures = free_failures;
  self->max_delay_s = max_delay_s;
  self->forget_after_us = MAX (THROTTLE_FORGET_AFTER_US, (gint64) max_delay_s * USEC_PER_SEC);
  return self;
}

void
bourse_login_throttle_free (BourseLoginThrottle *self)
{
  if (self == NULL)
    return;

  /* The queue links live inside the accounts, which the table frees. */
  g_hash_table_unref (self->accounts);
  g_free (self);
}

/* Seconds to wait after the last failure: none while failures are free, then
 * 1, 2, 4 … up to max_delay_s (so max_delay_s = 0 never throttles). */
static gint64
required_delay_s (BourseLoginThrottle *self,
                  const Account       *account)
{
  guint excess;

  if (account->failures < self->free_failures)
    return 0;

  excess = account->failures - self->free_failures;
  if (excess >= 31)
    return self->max_delay_s;
  return MIN (self->max_delay_s, 1u << excess);
}

/* Callers check before each attempt and report its failure only when it was
 * allowed to go ahead; a refused attempt does not count as a failure. */
gboolean
bourse_login_throttle_check (BourseLoginThrottle *self,
                             const char          *account,
                             gint64               now_us,
                             guint               *retry_after_s)
{
  Account *entry;
  gint64 allowed_at_us;
  gint64 remaining_us;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (account != NULL, FALSE);

  if ((entry = g_hash_table_lookup (self->accounts, account)) == NULL)
    return TRUE;

  allowed_at_us = entry->last_failure_us + required_delay_s (self, entry) * USEC_PER_SEC;
  if (now_us >= allowed_at_us)
    return TRUE;

  remaining_us = allowed_at_us - now_us;
  if (retry_after_s != NULL)
    *retry_after_s = (guint) ((remaining_us + USEC_PER_SEC - 1) / USEC_PER_SEC);
  return FALSE;
}

void
bourse_login_throttle_failed (BourseLoginThrottle *self,
                              const char          *account,
                              gint64               now_us)
{
  Account *entry;
  gsize length;

  g_return_if_fail (self != NULL);
  g_return_if_fail (account != NULL);

  if ((entry = g_hash_table_lookup (self->accounts, account)) != NULL)
    {
      /* Decided here rather than left to the sweep, so that when an account
       * is forgotten never changes what it is told. */
      if (now_us - entry->last_failure_us >= self->forget_after_us)
        entry->failures = 0;
      g_queue_unlink (&self->by_age, &entry->link);
    }
  else
    {
      bourse_login_throttle_sweep (self, now_us, 1);

      length = strlen (account) + 1;
      entry = g_malloc0 (sizeof *entry + length);
      memcpy (entry->account, account, length);
      entry->link.data = entry;
      g_hash_table_insert (self->accounts, entry->account, entry);
    }

  if (entry->failures < G_MAXUINT)
    entry->failures++;
  entry->last_failure_us = now_us;
  g_queue_push_tail_link (&self->by_age, &entry->link);
}

void
bourse_login_throttle_succeeded (BourseLoginThrottle *self,
                                 const char          *account)
{
  Account *entry;

  g_return_if_fail (self != NULL);
  g_return_if_fail (account != NULL);

  if ((entry = g_hash_table_lookup (self->accounts, account)) != NULL)
    bourse_login_throttle_forget (self, entry);
}
