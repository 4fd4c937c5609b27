/* test-rate-limit.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "auth/bourse-rate-limit.h"

#define RANDOM_SEED 20260314

#define SEC    G_GINT64_CONSTANT (1000000)
#define MINUTE (60 * SEC)
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)

/* Monotonic clocks start anywhere; not at zero, to catch code that assumes so. */
#define T0 (123456 * SEC)

/* Tables are swept at least every this many takes (bourse-rate-limit.c). */
#define SWEEP_INTERVAL 1024

/* 0 when the take is allowed, else its Retry-After, which must be ≥ 1. */
static guint
take (BourseRateLimiter *limiter,
      const char        *key,
      guint              capacity,
      gint64             period_us,
      gint64             now_us)
{
  guint retry_after = 0;

  if (bourse_rate_limiter_take (limiter, key, capacity, period_us, now_us, &retry_after))
    return 0;

  g_assert_cmpuint (retry_after, >=, 1);
  return retry_after;
}

/* 0 when the attempt may go ahead, else its Retry-After, which must be ≥ 1. */
static guint
check (BourseLoginThrottle *throttle,
       const char          *account,
       gint64               now_us)
{
  guint retry_after = 0;

  if (bourse_login_throttle_check (throttle, account, now_us, &retry_after))
    return 0;

  g_assert_cmpuint (retry_after, >=, 1);
  return retry_after;
}

static void
test_bucket_exhausted (void)
{
  g_autoptr(BourseRateLimiter) limiter = bourse_rate_limiter_new ();

  /* 3 a minute: a token back every 20 s. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (take (limiter, "k", 3, MINUTE, T0), ==, 0);
  g_assert_cmpuint (take (limiter, "k", 3, MINUTE, T0), ==, 20);
  g_assert_cmpuint (take (limiter, "k", 3, MINUTE, T0 + 1 * SEC), ==, 19);
  g_assert_cmpuint (take (limiter, "k", 3, MINUTE, T0 + 19 * SEC), ==, 1);
  g_assert_cmpuint (take (limiter, "k", 3, MINUTE, T0 + 20 * SEC - 1), ==, 1);
  g_assert_cmpuint (take (limiter, "k", 3, MINUTE, T0 + 20 * SEC), ==, 0);
  g_assert_cmpuint (take (limiter, "k", 3, MINUTE, T0 + 20 * SEC), ==, 20);

  /* 3 per 10 s: a token every 3.33… s, so 4 s rounded up. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (take (limiter, "odd", 3, 10 * SEC, T0), ==, 0);
  g_assert_cmpuint (take (limiter, "odd", 3, 10 * SEC, T0), ==, 4);
  g_assert_cmpuint (take (limiter, "odd", 3, 10 * SEC, T0 + 3 * SEC), ==, 1);
  g_assert_cmpuint (take (limiter, "odd", 3, 10 * SEC, T0 + 3333333), ==, 1);
  g_assert_cmpuint (take (limiter, "odd", 3, 10 * SEC, T0 + 3333334), ==, 0);

  /* One an hour. */
  g_assert_cmpuint (take (limiter, "slow", 1, HOUR, T0), ==, 0);
  g_assert_cmpuint (take (limiter, "slow", 1, HOUR, T0), ==, 3600);
  g_assert_cmpuint (take (limiter, "slow", 1, HOUR, T0 + HOUR - SEC - 1), ==, 2);

  /* Retry-After is optional. */
  g_assert_false (bourse_rate_limiter_take (limiter, "slow", 1, HOUR, T0, NULL));
}

static void
test_bucket_refill (void)
{
  g_autoptr(BourseRateLimiter) limiter = bourse_rate_limiter_new ();
  guint allowed = 0;

  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (take (limiter, "k", 10, 10 * SEC, T0), ==, 0);
  g_assert_cmpuint (take (limiter, "k", 10, 10 * SEC, T0), ==, 1);

  /* Half a period brings back half the tokens, no more. */
  while (take (limiter, "k", 10, 10 * SEC, T0 + 5 * SEC) == 0)
    allowed++;
  g_assert_cmpuint (allowed, ==, 5);

  /* A bucket never holds more than its capacity, however long it rests. */
  allowed = 0;
  while (take (limiter, "k", 10, 10 * SEC, T0 + DAY) == 0)
    allowed++;
  g_assert_cmpuint (allowed, ==, 10);

  /* Refill is continuous: taking every 1/capacity of a period never runs out. */
  for (guint i = 1; i <= 1000; i++)
    g_assert_cmpuint (take (limiter, "k", 10, 10 * SEC, T0 + DAY + i * SEC), ==, 0);

  /* A clock that steps back refills nothing and takes nothing back. */
  allowed = 0;
  while (take (limiter, "back", 4, 4 * SEC, T0 + 10 * SEC) == 0)
    allowed++;
  g_assert_cmpuint (allowed, ==, 4);
  g_assert_cmpuint (take (limiter, "back", 4, 4 * SEC, T0), ==, 1);
  g_assert_cmpuint (take (limiter, "back", 4, 4 * SEC, T0 + 11 * SEC), ==, 0);
}

static void
test_bucket_independent_keys (void)
{
  g_autoptr(BourseRateLimiter) limiter = bourse_rate_limiter_new ();

  for (guint i = 0; i < 2; i++)
    g_assert_cmpuint (take (limiter, "203.0.113.9|orders", 2, MINUTE, T0), ==, 0);
  g_assert_cmpuint (take (limiter, "203.0.113.9|orders", 2, MINUTE, T0), ==, 30);

  /* Another client, or the same client on another route, has its own bucket. */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpuint (take (limiter, "203.0.113.10|orders", 2, MINUTE, T0), ==, 0);
      g_assert_cmpuint (take (limiter, "203.0.113.9|quotes", 2, MINUTE, T0), ==, 0);
    }
  g_assert_cmpuint (take (limiter, "203.0.113.10|orders", 2, MINUTE, T0), ==, 30);
  g_assert_cmpuint (take (limiter, "203.0.113.9|quotes", 2, MINUTE, T0), ==, 30);
  g_assert_cmpuint (bourse_rate_limiter_get_size (limiter), ==, 3);
}

static void
test_bucket_zero_capacity (void)
{
  g_autoptr(BourseRateLimiter) limiter = bourse_rate_limiter_new ();

  /* A closed key is refused for a minute and costs no memory. */
  g_assert_cmpuint (take (limiter, "closed", 0, SEC, T0), ==, 60);
  g_assert_cmpuint (take (limiter, "closed", 0, SEC, T0 + DAY), ==, 60);
  g_assert_cmpuint (bourse_rate_limiter_get_size (limiter), ==, 0);

  /* Closing a key for a while leaves its bucket as it was. */
  g_assert_cmpuint (take (limiter, "k", 2, MINUTE, T0), ==, 0);
  g_assert_cmpuint (take (limiter, "k", 0, MINUTE, T0), ==, 60);
  g_assert_cmpuint (take (limiter, "k", 2, MINUTE, T0), ==, 0);
  g_assert_cmpuint (take (limiter, "k", 2, MINUTE, T0), ==, 30);
}

static void
test_bucket_limits_change (void)
{
  g_autoptr(BourseRateLimiter) limiter = bourse_rate_limiter_new ();
  guint allowed = 0;

  /* A larger capacity applies from now on, to the tokens the bucket holds. */
  for (guint i = 0; i < 2; i++)
    g_assert_cmpuint (take (limiter, "up", 2, 10 * SEC, T0), ==, 0);
  g_assert_cmpuint (take (limiter, "up", 4, 10 * SEC, T0), ==, 3);
  g_assert_cmpuint (take (limiter, "up", 4, 10 * SEC, T0 + 2500000 - 1), ==, 1);
  g_assert_cmpuint (take (limiter, "up", 4, 10 * SEC, T0 + 2500000), ==, 0);

  /* A smaller one caps what is held. */
  g_assert_cmpuint (take (limiter, "down", 10, 10 * SEC, T0), ==, 0);
  while (take (limiter, "down", 2, 10 * SEC, T0) == 0)
    allowed++;
  g_assert_cmpuint (allowed, ==, 2);

  /* A longer period keeps the tokens held but refills them more slowly. */
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (take (limiter, "period", 10, 10 * SEC, T0), ==, 0);
  allowed = 0;
  while (take (limiter, "period", 10, 100 * SEC, T0) == 0)
    allowed++;
  g_assert_cmpuint (allowed, ==, 5);
  g_assert_cmpuint (take (limiter, "period", 10, 100 * SEC, T0), ==, 10);
}

static void
test_bucket_forget_idle (void)
{
  g_autoptr(BourseRateLimiter) limiter = bourse_rate_limiter_new ();
  guint calls = 0;

  for (guint i = 0; i < 100; i++)
    {
      char key[32];

      g_snprintf (key, sizeof key, "client-%u", i);
      g_assert_cmpuint (take (limiter, key, 5, 10 * SEC, T0), ==, 0);
      calls++;
    }
  /* Full at T0 + 6 s and T0 + 2 s respectively. */
  for (guint i = 0; i < 3; i++, calls++)
    g_assert_cmpuint (take (limiter, "three", 5, 10 * SEC, T0), ==, 0);
  g_assert_cmpuint (take (limiter, "one", 5, 10 * SEC, T0), ==, 0);
  calls++;
  g_assert_cmpuint (bourse_rate_limiter_get_size (limiter), ==, 102);

  /* At T0 + 5 s only "three" is not full yet; "busy" never rests. */
  while (calls < SWEEP_INTERVAL)
    {
      take (limiter, "busy", 1000, SEC, T0 + 5 * SEC);
      calls++;
    }
  g_assert_cmpuint (bourse_rate_limiter_get_size (limiter), ==, 2);

  /* "three" kept its 4.5 tokens; forgotten keys start again full, as they
   * would have been. */
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (take (limiter, "three", 5, 10 * SEC, T0 + 5 * SEC), ==, 0);
  g_assert_cmpuint (take (limiter, "three", 5, 10 * SEC, T0 + 5 * SEC), ==, 1);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (take (limiter, "client-7", 5, 10 * SEC, T0 + 5 * SEC), ==, 0);
  g_assert_cmpuint (take (limiter, "client-7", 5, 10 * SEC, T0 + 5 * SEC), ==, 2);
}

/* The same requests to a limiter that sweeps all the time and to one that
 * never does get the same answers. */
static void
test_bucket_forget_unobservable (void)
{
  g_autoptr(BourseRateLimiter) quiet = bourse_rate_limiter_new ();
  g_autoptr(BourseRateLimiter) swept = bourse_rate_limiter_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED);
  gint64 now_us = T0;
  guint forgotten = 0;

  for (guint step = 0; step < 500; step++)
    {
      guint k = g_rand_int_range (rand, 0, 8);
      guint capacity = 1 + k % 4;
      gint64 period_us = (1 + k % 3) * SEC;
      char key[16];

      if (g_rand_boolean (rand))
        now_us += g_rand_int_range (rand, 0, 3 * SEC);
      if (g_rand_int_range (rand, 0, 20) == 0)
        now_us += g_rand_int_range (rand, 0, 10 * SEC);

      /* Enough other traffic for at least one sweep before each request. */
      for (guint i = 0; i < SWEEP_INTERVAL; i++)
        take (swept, "noise", 1000000, SEC, now_us);
      if (bourse_rate_limiter_get_size (swept) < bourse_rate_limiter_get_size (quiet))
        forgotten++;

      g_snprintf (key, sizeof key, "key-%u", k);
      g_assert_cmpuint (take (swept, key, capacity, period_us, now_us),
                        ==,
                        take (quiet, key, capacity, period_us, now_us));
    }

  /* Fewer calls than the sweep interval: the quiet one kept every key. */
  g_assert_cmpuint (bourse_rate_limiter_get_size (quiet), ==, 8);
  g_assert_cmpuint (forgotten, >, 100);
}

/* Random takes at random times: for every two allowed takes i ≤ j, the
 * takes allowed from t_i to t_j number at most capacity plus what refills in
 * between, and every Retry-After is exact to the second. */
static void
test_bucket_property (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED);
  g_autoptr(GArray) allowed = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(BourseRateLimiter) limiter = bourse_rate_limiter_new ();
      guint capacity = g_rand_int_range (rand, 1, 21);
      gint64 period_us = g_rand_int_range (rand, 1, 10 * SEC);
      /* Arrivals at about twice the sustained rate, so both answers occur. */
      gint64 max_step_us = MAX (1, period_us / capacity);
      gint64 now_us = T0 + g_rand_int_range (rand, 0, 10 * SEC);
      guint refused = 0;

      g_array_set_size (allowed, 0);

      for (guint n = 0; n < 3000; n++)
        {
          guint retry_after;

          now_us += g_rand_int_range (rand, 0, max_step_us);
          if ((retry_after = take (limiter, "k", capacity, period_us, now_us)) == 0)
            {
              g_array_append_val (allowed, now_us);
              continue;
            }

          refused++;
          if (g_rand_int_range (rand, 0, 4) != 0)
            continue;

          /* A second early is still too early; on time is always in time. */
          if (retry_after > 1)
            g_assert_cmpuint (take (limiter, "k", capacity, period_us,
                                    now_us + (retry_after - 1) * SEC), >=, 1);
          now_us += retry_after * SEC;
          g_assert_cmpuint (take (limiter, "k", capacity, period_us, now_us), ==, 0);
          g_array_append_val (allowed, now_us);
        }

      g_assert_cmpuint (allowed->len, >, 0);
      g_assert_cmpuint (refused, >, 0);

      for (guint j = 0; j < allowed->len; j++)
        {
          gint64 t_j = g_array_index (allowed, gint64, j);

          for (guint i = 0; i <= j; i++)
            {
              gint64 t_i = g_array_index (allowed, gint64, i);
              guint64 refilled = (guint64) (t_j - t_i) * capacity / (guint64) period_us;

              if ((guint64) (j - i + 1) > capacity + refilled)
                g_error ("capacity %u, period %" G_GINT64_FORMAT " µs: %u takes allowed in "
                         "%" G_GINT64_FORMAT " µs",
                         capacity, period_us, j - i + 1, t_j - t_i);
            }
        }
    }
}

static void
test_throttle_free_failures (void)
{
  g_autoptr(BourseLoginThrottle) throttle = bourse_login_throttle_new (3, 60);

  g_assert_cmpuint (check (throttle, "alice", T0), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      bourse_login_throttle_failed (throttle, "alice", T0);
      g_assert_cmpuint (check (throttle, "alice", T0), ==, 0);
    }

  /* The first throttled attempt waits one second after the last failure. */
  bourse_login_throttle_failed (throttle, "alice", T0);
  g_assert_cmpuint (check (throttle, "alice", T0), ==, 1);
  g_assert_cmpuint (check (throttle, "alice", T0 + SEC - 1), ==, 1);
  g_assert_cmpuint (check (throttle, "alice", T0 + SEC), ==, 0);

  /* Retry-After is optional. */
  g_assert_false (bourse_login_throttle_check (throttle, "alice", T0, NULL));

  /* Without free failures the 1 s step is the first attempt, which has no
   * failure to wait after: the first failure costs 2 s. */
  {
    g_autoptr(BourseLoginThrottle) strict = bourse_login_throttle_new (0, 60);

    g_assert_cmpuint (check (strict, "bob", T0), ==, 0);
    bourse_login_throttle_failed (strict, "bob", T0);
    g_assert_cmpuint (check (strict, "bob", T0), ==, 2);
    g_assert_cmpuint (check (strict, "bob", T0 + SEC), ==, 1);
    g_assert_cmpuint (check (strict, "bob", T0 + 2 * SEC), ==, 0);
  }
}

static void
test_throttle_backoff (void)
{
  g_autoptr(BourseLoginThrottle) throttle = bourse_login_throttle_new (3, 8);
  static const guint delays[] = { 1, 2, 4, 8, 8, 8 };
  gint64 last_us = T0;

  for (guint i = 0; i < 3; i++)
    bourse_login_throttle_failed (throttle, "alice", last_us);

  for (guint i = 0; i < G_N_ELEMENTS (delays); i++)
    {
      gint64 delay_us = delays[i] * SEC;

      g_assert_cmpuint (check (throttle, "alice", last_us), ==, delays[i]);
      g_assert_cmpuint (check (throttle, "alice", last_us + 1), ==, delays[i]);
      g_assert_cmpuint (check (throttle, "alice", last_us + delay_us / 2), ==, (delays[i] + 1) / 2);
      g_assert_cmpuint (check (throttle, "alice", last_us + delay_us - SEC), ==, 1);
      g_assert_cmpuint (check (throttle, "alice", last_us + delay_us - 1), ==, 1);
      g_assert_cmpuint (check (throttle, "alice", last_us + delay_us), ==, 0);

      /* The wait counts from the failure, not from the attempts refused. */
      last_us += delay_us + 250000;
      bourse_login_throttle_failed (throttle, "alice", last_us);
    }

  /* 4 s with half a second gone: 3.5 s, so 4 rounded up. */
  {
    g_autoptr(BourseLoginThrottle) other = bourse_login_throttle_new (0, 60);

    for (guint i = 0; i < 2; i++)
      bourse_login_throttle_failed (other, "bob", T0);
    g_assert_cmpuint (check (other, "bob", T0 + SEC / 2), ==, 4);
    g_assert_cmpuint (check (other, "bob", T0 + 3 * SEC), ==, 1);
  }

  /* A long run of failures stays at the cap. */
  {
    g_autoptr(BourseLoginThrottle) other = bourse_login_throttle_new (0, 900);

    for (guint i = 0; i < 100; i++)
      bourse_login_throttle_failed (other, "mallory", T0 + i * 900 * SEC);
    g_assert_cmpuint (check (other, "mallory", T0 + 99 * 900 * SEC), ==, 900);
  }

  /* max_delay_s = 0 never throttles. */
  {
    g_autoptr(BourseLoginThrottle) other = bourse_login_throttle_new (0, 0);

    for (guint i = 0; i < 10; i++)
      bourse_login_throttle_failed (other, "carol", T0);
    g_assert_cmpuint (check (other, "carol", T0), ==, 0);
  }
}

static void
test_throttle_success_resets (void)
{
  g_autoptr(BourseLoginThrottle) throttle = bourse_login_throttle_new (2, 60);

  for (guint i = 0; i < 5; i++)
    bourse_login_throttle_failed (throttle, "alice", T0);
  g_assert_cmpuint (check (throttle, "alice", T0), ==, 8);

  bourse_login_throttle_succeeded (throttle, "alice");
  g_assert_cmpuint (check (throttle, "alice", T0), ==, 0);

  /* The free failures are free again, and the backoff starts over. */
  bourse_login_throttle_failed (throttle, "alice", T0);
  g_assert_cmpuint (check (throttle, "alice", T0), ==, 0);
  bourse_login_throttle_failed (throttle, "alice", T0);
  g_assert_cmpuint (check (throttle, "alice", T0), ==, 1);

  /* Succeeding on an unknown account is harmless. */
  bourse_login_throttle_succeeded (throttle, "nobody");
  g_assert_cmpuint (check (throttle, "nobody", T0), ==, 0);
}

static void
test_throttle_independent_accounts (void)
{
  g_autoptr(BourseLoginThrottle) throttle = bourse_login_throttle_new (0, 60);

  for (guint i = 0; i < 3; i++)
    bourse_login_throttle_failed (throttle, "alice", T0);
  bourse_login_throttle_failed (throttle, "bob", T0);

  g_assert_cmpuint (check (throttle, "alice", T0), ==, 8);
  g_assert_cmpuint (check (throttle, "bob", T0), ==, 2);
  g_assert_cmpuint (check (throttle, "carol", T0), ==, 0);

  bourse_login_throttle_succeeded (throttle, "bob");
  g_assert_cmpuint (check (throttle, "alice", T0), ==, 8);
  g_assert_cmpuint (check (throttle, "bob", T0), ==, 0);
}

/* Failures in a row, each as soon as allowed, until the delay is max_delay_s. */
static gint64
fail_until_capped (BourseLoginThrottle *throttle,
                   const char          *account,
                   guint                max_delay_s,
                   gint64               now_us)
{
  guint retry_after;

  bourse_login_throttle_failed (throttle, account, now_us);
  while ((retry_after = check (throttle, account, now_us)) < max_delay_s)
    {
      now_us += retry_after * SEC;
      bourse_login_throttle_failed (throttle, account, now_us);
    }
  return now_us;
}

static void
test_throttle_forget_quiet (void)
{
  g_autoptr(BourseLoginThrottle) throttle = bourse_login_throttle_new (0, 3600);
  gint64 last_us;

  /* After a quiet day the account starts over, as a new one would… */
  last_us = fail_until_capped (throttle, "alice", 3600, T0);
  g_assert_cmpuint (check (throttle, "alice", last_us + DAY), ==, 0);
  bourse_login_throttle_failed (throttle, "alice", last_us + DAY);
  bourse_login_throttle_failed (throttle, "carol", last_us + DAY);
  g_assert_cmpuint (check (throttle, "alice", last_us + DAY), ==, 2);
  g_assert_cmpuint (check (throttle, "carol", last_us + DAY), ==, 2);

  /* …but not a second earlier. */
  last_us = fail_until_capped (throttle, "bob", 3600, T0);
  bourse_login_throttle_failed (throttle, "bob", last_us + DAY - SEC);
  g_assert_cmpuint (check (throttle, "bob", last_us + DAY - SEC), ==, 3600);

  /* A cap above a day is never cut short by forgetting. */
  {
    g_autoptr(BourseLoginThrottle) patient = bourse_login_throttle_new (0, 48 * 3600);

    last_us = fail_until_capped (patient, "mallory", 48 * 3600, T0);
    g_assert_cmpuint (check (patient, "mallory", last_us + DAY + SEC), ==, 24 * 3600 - 1);
    bourse_login_throttle_failed (patient, "eve", last_us + DAY + SEC);
    g_assert_cmpuint (check (patient, "mallory", last_us + DAY + SEC), ==, 24 * 3600 - 1);
    g_assert_cmpuint (check (patient, "mallory", last_us + 2 * DAY - 1), ==, 1);
    g_assert_cmpuint (check (patient, "mallory", last_us + 2 * DAY), ==, 0);
    bourse_login_throttle_failed (patient, "mallory", last_us + 2 * DAY);
    g_assert_cmpuint (check (patient, "mallory", last_us + 2 * DAY), ==, 2);
  }
}

/* At most 100,000 accounts are remembered; the one whose last failure is
 * oldest is forgotten first. */
static void
test_throttle_cap (void)
{
  g_autoptr(BourseLoginThrottle) throttle = bourse_login_throttle_new (0, 60);
  const guint cap = 100000;
  char account[32];

  bourse_login_throttle_failed (throttle, "victim", T0);
  for (guint i = 0; i < cap - 1; i++)
    {
      g_snprintf (account, sizeof account, "account-%u", i);
      bourse_login_throttle_failed (throttle, account, T0 + 1 + i);
    }

  /* A new failure makes "victim" the most recent again. */
  bourse_login_throttle_failed (throttle, "victim", T0 + SEC / 5);
  g_snprintf (account, sizeof account, "account-%u", cap - 1);
  bourse_login_throttle_failed (throttle, account, T0 + SEC / 5 + 1);

  g_assert_cmpuint (check (throttle, "victim", T0 + SEC / 2), ==, 4);
  g_assert_cmpuint (check (throttle, "account-0", T0 + SEC / 2), ==, 0);
  g_assert_cmpuint (check (throttle, "account-1", T0 + SEC / 2), ==, 2);
  g_assert_cmpuint (check (throttle, account, T0 + SEC / 2), ==, 2);

  bourse_login_throttle_failed (throttle, "newcomer", T0 + SEC / 2);
  g_assert_cmpuint (check (throttle, "account-1", T0 + SEC / 2), ==, 0);
  g_assert_cmpuint (check (throttle, "account-2", T0 + SEC / 2), ==, 2);
  g_assert_cmpuint (check (throttle, "victim", T0 + SEC / 2), ==, 4);
  g_assert_cmpuint (check (throttle, "newcomer", T0 + SEC / 2), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rate-limit/bucket/exhausted", test_bucket_exhausted);
  g_test_add_func ("/rate-limit/bucket/refill", test_bucket_refill);
  g_test_add_func ("/rate-limit/bucket/independent-keys", test_bucket_independent_keys);
  g_test_add_func ("/rate-limit/bucket/zero-capacity", test_bucket_zero_capacity);
  g_test_add_func ("/rate-limit/bucket/limits-change", test_bucket_limits_change);
  g_test_add_func ("/rate-limit/bucket/forget-idle", test_bucket_forget_idle);
  g_test_add_func ("/rate-limit/bucket/forget-unobservable", test_bucket_forget_unobservable);
  g_test_add_func ("/rate-limit/bucket/property", test_bucket_property);
  g_test_add_func ("/rate-limit/throttle/free-failures", test_throttle_free_failures);
  g_test_add_func ("/rate-limit/throttle/backoff", test_throttle_backoff);
  g_test_add_func ("/rate-limit/throttle/success-resets", test_throttle_success_resets);
  g_test_add_func ("/rate-limit/throttle/independent-accounts", test_throttle_independent_accounts);
  g_test_add_func ("/rate-limit/throttle/forget-quiet", test_throttle_forget_quiet);
  g_test_add_func ("/rate-limit/throttle/cap", test_throttle_cap);

  return g_test_run ();
}
