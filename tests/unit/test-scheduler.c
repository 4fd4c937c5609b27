/* test-scheduler.c — cron expressions, next runs across daylight saving, missed runs
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "core/bourse-error.h"
#include "core/bourse-time.h"
#include "ops/bourse-scheduler.h"

#define MINUTE_MS (60 * G_GINT64_CONSTANT (1000))
#define HOUR_MS   (60 * MINUTE_MS)
#define DAY_MS    (24 * HOUR_MS)
#define HEARTBEAT "0 2,8,14,20 * * *"
#define CHICAGO   "America/Chicago"

static gint64
at (const char *rfc3339)
{
  gint64 ms = 0;

  g_assert_true (bourse_time_parse_rfc3339 (rfc3339, &ms, NULL));
  return ms;
}

/* Parsing {{{ */

static void
test_parse_good (void)
{
  const char *good[] = {
    "* * * * *", "0 2,8,14,20 * * *", "*/15 * * * *", "5-10/2 1-3 1,15 */2 1-5", "0 0 * * 7",
    "  30  2  *  *  *  ", "59 23 31 12 0", "0 0 29 2 *", "0 12 * * 0,6", "10/20 * * * *",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BourseSchedule) schedule = bourse_schedule_parse (good[i], &error);

      g_assert_no_error (error);
      g_assert_nonnull (schedule);
    }
}

static void
test_parse_bad (void)
{
  static const struct { const char *expression; const char *says; } bad[] = {
    { "",                 "five fields" },
    { "* * * *",          "five fields" },
    { "* * * * * *",      "five fields" },
    { "60 * * * *",       "minute" },
    { "* 24 * * *",       "hour" },
    { "* * 0 * *",        "day-of-month" },
    { "* * 32 * *",       "day-of-month" },
    { "* * * 13 *",       "month" },
    { "* * * * 8",        "day-of-week" },
    { "*/0 * * * *",      "step" },
    { "*/x * * * *",      "step" },
    { "5-1 * * * *",      "backwards" },
    { "a * * * *",        "not a number" },
    { "1,,2 * * * *",     "not a number" },
    { "-1 * * * *",       "not a number" },
    { "0 0 30 2 *",       "never runs" },
    { "0 0 31 4,6,9,11 *", "never runs" },
    { "\xff 1 * * *",     "five fields" },    /* not UTF-8: the fuzzer's find */
    { "0\t2  * *\t*",     NULL },              /* blanks of any kind and number are fine */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BourseSchedule) schedule = bourse_schedule_parse (bad[i].expression, &error);

      if (bad[i].says == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (schedule);
          continue;
        }
      g_assert_null (schedule);
      g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_INVALID);
      g_assert_cmpstr (bourse_error_get_field (error), ==, "schedule");
      if (strstr (error->message, bad[i].says) == NULL)
        g_error ("“%s”: “%s” does not say %s", bad[i].expression, error->message, bad[i].says);
    }
}

static void
test_time_zones (void)
{
  /* "\xba": not UTF-8, and the message still is (the config fuzzer's find). */
  const char *bad[] = { "", "Mars/Olympus", "/etc/localtime", ":America/Chicago", "../../etc/passwd", "\xba", NULL };
  g_autoptr(GTimeZone) chicago = NULL;
  g_autoptr(GTimeZone) utc = NULL;

  chicago = bourse_time_zone_new (CHICAGO, NULL);
  g_assert_nonnull (chicago);
  utc = bourse_time_zone_new ("UTC", NULL);
  g_assert_nonnull (utc);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GTimeZone) tz = bourse_time_zone_new (bad[i], &error);

      g_assert_null (tz);
      g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_INVALID);
      g_assert_cmpstr (bourse_error_get_field (error), ==, "time_zone");
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

/* }}} */

/* Next runs {{{ */

static void
assert_next (const char *expression,
             const char *zone,
             const char *after,
             const char *expected)
{
  g_autoptr(BourseSchedule) schedule = bourse_schedule_parse (expression, NULL);
  g_autoptr(GTimeZone) tz = bourse_time_zone_new (zone, NULL);
  g_autofree char *got = NULL;

  g_assert_nonnull (schedule);
  got = bourse_time_format_rfc3339 (bourse_schedule_next (schedule, tz, at (after)));
  if (g_strcmp0 (got, expected) != 0)
    g_error ("“%s” in %s after %s: %s, not %s", expression, zone, after, got, expected);
}

static void
test_next (void)
{
  assert_next ("* * * * *", "UTC", "2026-01-01T00:00:00.000Z", "2026-01-01T00:01:00.000Z");
  assert_next ("* * * * *", "UTC", "2026-01-01T00:00:30.500Z", "2026-01-01T00:01:00.000Z");
  assert_next ("*/15 * * * *", "UTC", "2026-01-01T00:15:00.000Z", "2026-01-01T00:30:00.000Z");
  assert_next ("0 0 1 1 *", "UTC", "2026-01-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z");
  assert_next ("0 0 29 2 *", "UTC", "2026-03-01T00:00:00.000Z", "2028-02-29T00:00:00.000Z");
  /* 2026-06-15 is a Monday; Sunday is 0 and 7. */
  assert_next ("0 9 * * 1-5", "UTC", "2026-06-13T12:00:00.000Z", "2026-06-15T09:00:00.000Z");
  assert_next ("0 9 * * 7", "UTC", "2026-06-15T12:00:00.000Z", "2026-06-21T09:00:00.000Z");
  /* Both day fields restricted: either one. The 1st of July 2026 is a Wednesday. */
  assert_next ("0 0 1 * 5", "UTC", "2026-06-27T00:00:00.000Z", "2026-07-01T00:00:00.000Z");
  assert_next ("0 0 1 * 5", "UTC", "2026-07-01T00:00:00.000Z", "2026-07-03T00:00:00.000Z");
  /* Local time: noon in Berlin in summer is 10:00 UTC, in winter 11:00. */
  assert_next ("0 12 * * *", "Europe/Berlin", "2026-07-01T00:00:00.000Z", "2026-07-01T10:00:00.000Z");
  assert_next ("0 12 * * *", "Europe/Berlin", "2026-12-01T00:00:00.000Z", "2026-12-01T11:00:00.000Z");
  /* Across midnight of UTC: 20:00 in Chicago is 01:00 or 02:00 UTC the next day. */
  assert_next (HEARTBEAT, CHICAGO, "2026-07-01T20:00:00.000Z", "2026-07-02T01:00:00.000Z");
  assert_next (HEARTBEAT, CHICAGO, "2026-12-01T20:00:00.000Z", "2026-12-02T02:00:00.000Z");
  /* The skipped 02:00–03:00 of 2026-03-08 in Chicago: 02:30 runs at 03:00 CDT. */
  assert_next ("30 2 * * *", CHICAGO, "2026-03-07T12:00:00.000Z", "2026-03-08T08:00:00.000Z");
  assert_next ("30 2 * * *", CHICAGO, "2026-03-08T08:00:00.000Z", "2026-03-09T07:30:00.000Z");
  /* Every quarter of the skipped hour: once, at its end. */
  assert_next ("*/15 2 * * *", CHICAGO, "2026-03-08T07:00:00.000Z", "2026-03-08T08:00:00.000Z");
  assert_next ("*/15 2 * * *", CHICAGO, "2026-03-08T08:00:00.000Z", "2026-03-09T07:00:00.000Z");
  /* The doubled 01:00–02:00 of 2026-11-01: 01:30 CDT (06:30 UTC) only. */
  assert_next ("30 1 * * *", CHICAGO, "2026-10-31T12:00:00.000Z", "2026-11-01T06:30:00.000Z");
  assert_next ("30 1 * * *", CHICAGO, "2026-11-01T06:30:00.000Z", "2026-11-02T07:30:00.000Z");
  /* Asked from within the second 01:xx, the first has passed. */
  assert_next ("30 1 * * *", CHICAGO, "2026-11-01T07:10:00.000Z", "2026-11-02T07:30:00.000Z");
  assert_next ("0 * * * *", CHICAGO, "2026-11-01T06:00:00.000Z", "2026-11-01T08:00:00.000Z");
}

/* }}} */

/* The scheduler on a manual clock {{{ */

typedef struct
{
  BourseClock     *clock;
  BourseStore     *store;
  BourseScheduler *scheduler;
  GArray          *at;          /* the clock's time at each run */
  GArray          *scheduled;   /* each run's slot */
  gboolean         finish_later;
  BourseSchedulerRun *pending;
} Fixture;

static void
record_cb (BourseSchedulerRun *run,
           gpointer            user_data)
{
  Fixture *fixture = user_data;
  gint64 now = bourse_clock_now_ms (fixture->clock);
  gint64 slot = bourse_scheduler_run_get_scheduled_for (run);

  g_array_append_val (fixture->at, now);
  g_array_append_val (fixture->scheduled, slot);
  if (fixture->finish_later)
    fixture->pending = run;
  else
    bourse_scheduler_run_finish (run, BOURSE_RUN_OK, NULL);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *start = data;

  fixture->clock = bourse_clock_new_manual (at (start));
  fixture->store = bourse_store_open_memory (NULL);
  g_assert_nonnull (fixture->store);
  fixture->scheduler = bourse_scheduler_new (fixture->store, fixture->clock);
  fixture->at = g_array_new (FALSE, FALSE, sizeof (gint64));
  fixture->scheduled = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bourse_scheduler_stop (fixture->scheduler);
  g_assert_finalize_object (fixture->scheduler);
  g_assert_finalize_object (fixture->clock);
  bourse_store_close (fixture->store);
  g_clear_object (&fixture->store);
  g_array_unref (fixture->at);
  g_array_unref (fixture->scheduled);
}

static void
add_cron (Fixture    *fixture,
          const char *expression)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bourse_scheduler_add_cron (fixture->scheduler, "job", expression, CHICAGO,
                                            record_cb, fixture, NULL, &error));
  g_assert_no_error (error);
}

/* Each run happened at its slot, and the slots are the expected ones. */
static void
assert_runs (Fixture            *fixture,
             const char * const *expected)
{
  guint n = g_strv_length ((GStrv) expected);

  for (guint i = 0; i < MIN (n, fixture->at->len); i++)
    {
      g_autofree char *got = bourse_time_format_rfc3339 (g_array_index (fixture->at, gint64, i));

      if (!g_str_equal (got, expected[i]))
        g_error ("run %u at %s, not %s", i, got, expected[i]);
      g_assert_cmpint (g_array_index (fixture->scheduled, gint64, i), ==, g_array_index (fixture->at, gint64, i));
    }
  g_assert_cmpuint (fixture->at->len, ==, n);
}

/* Runs @expression in Chicago from the fixture's start to @until on an
 * awake machine: each run happens at its slot, the expected ones. */
static void
assert_schedule (Fixture            *fixture,
                 const char         *expression,
                 const char         *until,
                 const char * const *expected)
{
  add_cron (fixture, expression);
  g_assert_true (bourse_scheduler_start (fixture->scheduler, NULL));
  g_assert_cmpint (bourse_scheduler_get_next_run (fixture->scheduler, "job"), ==, at (expected[0]));
  bourse_clock_run_until (fixture->clock, at (until));
  assert_runs (fixture, expected);
  g_assert_cmpuint (bourse_scheduler_get_run_count (fixture->scheduler, "job", BOURSE_RUN_OK), ==,
                    g_strv_length ((GStrv) expected));
}

static void
test_heartbeat_march (Fixture       *fixture,
                      gconstpointer  data)
{
  /* CST (−6) until 2026-03-08 02:00, then CDT (−5): the 02:00 of that day
   * does not exist and runs at 03:00 CDT, 08:00 UTC. */
  static const char * const expected[] = {
    "2026-03-07T08:00:00.000Z", "2026-03-07T14:00:00.000Z", "2026-03-07T20:00:00.000Z",
    "2026-03-08T02:00:00.000Z",
    "2026-03-08T08:00:00.000Z", "2026-03-08T13:00:00.000Z", "2026-03-08T19:00:00.000Z",
    "2026-03-09T01:00:00.000Z",
    "2026-03-09T07:00:00.000Z", "2026-03-09T13:00:00.000Z", "2026-03-09T19:00:00.000Z",
    "2026-03-10T01:00:00.000Z",
    NULL
  };

  assert_schedule (fixture, HEARTBEAT, "2026-03-10T06:00:00.000Z", expected);
}

static void
test_heartbeat_november (Fixture       *fixture,
                         gconstpointer  data)
{
  /* CDT (−5) until 2026-11-01 02:00 CDT, then CST (−6). */
  static const char * const expected[] = {
    "2026-10-31T07:00:00.000Z", "2026-10-31T13:00:00.000Z", "2026-10-31T19:00:00.000Z",
    "2026-11-01T01:00:00.000Z",
    "2026-11-01T08:00:00.000Z", "2026-11-01T14:00:00.000Z", "2026-11-01T20:00:00.000Z",
    "2026-11-02T02:00:00.000Z",
    "2026-11-02T08:00:00.000Z", "2026-11-02T14:00:00.000Z", "2026-11-02T20:00:00.000Z",
    "2026-11-03T02:00:00.000Z",
    NULL
  };

  assert_schedule (fixture, HEARTBEAT, "2026-11-03T06:00:00.000Z", expected);
}

/* 02:30 on the spring-forward day: once, at 03:00 CDT. */
static void
test_skipped_hour (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const expected[] = {
    "2026-03-07T08:30:00.000Z", "2026-03-08T08:00:00.000Z", "2026-03-09T07:30:00.000Z", NULL
  };

  assert_schedule (fixture, "30 2 * * *", "2026-03-10T00:00:00.000Z", expected);
}

/* 01:30 on the fall-back day: once, at its first occurrence (CDT). */
static void
test_doubled_hour (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const expected[] = {
    "2026-10-31T06:30:00.000Z", "2026-11-01T06:30:00.000Z", "2026-11-02T07:30:00.000Z", NULL
  };

  assert_schedule (fixture, "30 1 * * *", "2026-11-03T00:00:00.000Z", expected);
}

static void
test_missed (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonNode) runs = NULL;
  JsonArray *items;

  /* Started 2026-05-04 12:00 UTC (07:00 CDT): the first run is 08:00 CDT. */
  add_cron (fixture, HEARTBEAT);
  g_assert_true (bourse_scheduler_start (fixture->scheduler, NULL));
  bourse_clock_run_until (fixture->clock, at ("2026-05-04T13:00:00.000Z"));
  g_assert_cmpuint (fixture->at->len, ==, 1);

  /* Asleep for three days: twelve slots pass, one run on waking, for the
   * latest slot (2026-05-07 08:00 CDT). */
  bourse_clock_advance (fixture->clock, 3 * DAY_MS);
  g_assert_cmpuint (fixture->at->len, ==, 2);
  g_assert_cmpint (g_array_index (fixture->at, gint64, 1), ==, at ("2026-05-07T13:00:00.000Z"));
  g_assert_cmpint (g_array_index (fixture->scheduled, gint64, 1), ==, at ("2026-05-07T13:00:00.000Z"));
  /* Then the schedule goes on: 14:00 CDT. */
  g_assert_cmpint (bourse_scheduler_get_next_run (fixture->scheduler, "job"), ==, at ("2026-05-07T19:00:00.000Z"));

  /* Asleep again, woken between slots: the latest passed slot is run. */
  bourse_clock_advance (fixture->clock, 3 * DAY_MS + 8 * HOUR_MS);
  g_assert_cmpuint (fixture->at->len, ==, 3);
  g_assert_cmpint (g_array_index (fixture->scheduled, gint64, 2), ==, at ("2026-05-10T19:00:00.000Z"));
  g_assert_cmpint (g_array_index (fixture->at, gint64, 2), ==, at ("2026-05-10T21:00:00.000Z"));
  bourse_clock_run_until (fixture->clock, at ("2026-05-11T21:00:00.000Z"));
  g_assert_cmpuint (fixture->at->len, ==, 7);

  runs = bourse_scheduler_list_runs (fixture->scheduler, NULL, 0, 100, NULL);
  items = json_object_get_array_member (json_node_get_object (runs), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 7);
}

/* A restart after a stretch down: the stored last run tells. */
static void
test_missed_at_start (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(BourseScheduler) second = NULL;
  g_autoptr(BourseScheduler) third = NULL;

  add_cron (fixture, HEARTBEAT);
  g_assert_true (bourse_scheduler_start (fixture->scheduler, NULL));
  bourse_clock_run_until (fixture->clock, at ("2026-05-04T13:00:00.000Z"));
  g_assert_cmpuint (fixture->at->len, ==, 1);
  bourse_scheduler_stop (fixture->scheduler);

  /* Down for three days. */
  bourse_clock_advance (fixture->clock, 3 * DAY_MS);
  g_assert_cmpuint (fixture->at->len, ==, 1);
  second = bourse_scheduler_new (fixture->store, fixture->clock);
  g_assert_true (bourse_scheduler_add_cron (second, "job", HEARTBEAT, CHICAGO, record_cb, fixture, NULL, NULL));
  g_assert_true (bourse_scheduler_start (second, NULL));
  g_assert_cmpuint (fixture->at->len, ==, 2);
  g_assert_cmpint (g_array_index (fixture->scheduled, gint64, 1), ==, at ("2026-05-07T13:00:00.000Z"));
  bourse_scheduler_stop (second);

  /* Restarted before the next slot: nothing was missed. */
  third = bourse_scheduler_new (fixture->store, fixture->clock);
  g_assert_true (bourse_scheduler_add_cron (third, "job", HEARTBEAT, CHICAGO, record_cb, fixture, NULL, NULL));
  g_assert_true (bourse_scheduler_start (third, NULL));
  g_assert_cmpuint (fixture->at->len, ==, 2);
  bourse_scheduler_stop (third);
}

static void
test_interval (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(JsonNode) jobs = NULL;
  JsonObject *job;

  g_assert_true (bourse_scheduler_add_interval (fixture->scheduler, "job", 30, record_cb, fixture, NULL, NULL));
  g_assert_true (bourse_scheduler_start (fixture->scheduler, NULL));
  g_assert_cmpuint (fixture->at->len, ==, 0);
  bourse_clock_run_until (fixture->clock, at ("2026-01-01T00:02:00.000Z"));
  g_assert_cmpuint (fixture->at->len, ==, 4);
  g_assert_cmpint (g_array_index (fixture->at, gint64, 3), ==, at ("2026-01-01T00:02:00.000Z"));
  /* A jump: once, then every 30 s from the latest slot. */
  bourse_clock_advance (fixture->clock, HOUR_MS + 10000);
  g_assert_cmpuint (fixture->at->len, ==, 5);
  g_assert_cmpint (g_array_index (fixture->scheduled, gint64, 4), ==, at ("2026-01-01T01:02:00.000Z"));
  g_assert_cmpint (bourse_scheduler_get_next_run (fixture->scheduler, "job"), ==, at ("2026-01-01T01:02:30.000Z"));

  jobs = bourse_scheduler_jobs_to_json (fixture->scheduler, NULL);
  job = json_array_get_object_element (json_object_get_array_member (json_node_get_object (jobs), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (job, "name"), ==, "job");
  g_assert_cmpstr (json_object_get_string_member (job, "schedule"), ==, "@every 30s");
  g_assert_true (json_object_get_null_member (job, "time_zone"));
  g_assert_cmpstr (json_object_get_string_member (job, "next_run"), ==, "2026-01-01T01:02:30.000Z");
  g_assert_cmpstr (json_object_get_string_member (job, "last_run"), ==, "2026-01-01T01:02:10.000Z");
  g_assert_cmpstr (json_object_get_string_member (job, "last_outcome"), ==, "ok");
}

/* An asynchronous run still under way when its next slot comes: skipped. */
static void
test_overlap (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JsonNode) runs = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *items;

  fixture->finish_later = TRUE;
  g_assert_true (bourse_scheduler_add_interval (fixture->scheduler, "job", 60, record_cb, fixture, NULL, NULL));
  g_assert_true (bourse_scheduler_start (fixture->scheduler, NULL));
  bourse_clock_run_until (fixture->clock, at ("2026-01-01T00:02:00.000Z"));
  g_assert_cmpuint (fixture->at->len, ==, 1);
  g_assert_false (bourse_scheduler_run_now (fixture->scheduler, "job", &error));
  g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_CONFLICT);
  bourse_scheduler_run_finish (fixture->pending, BOURSE_RUN_FAILED, "it broke");
  g_assert_cmpuint (bourse_scheduler_get_run_count (fixture->scheduler, "job", BOURSE_RUN_SKIPPED), ==, 1);
  g_assert_cmpuint (bourse_scheduler_get_run_count (fixture->scheduler, "job", BOURSE_RUN_FAILED), ==, 1);

  runs = bourse_scheduler_list_runs (fixture->scheduler, "job", 0, 1, NULL);
  items = json_object_get_array_member (json_node_get_object (runs), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "outcome"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "detail"), ==, "it broke");
  g_assert_false (json_object_get_null_member (json_node_get_object (runs), "next_cursor"));
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scheduler/parse/good", test_parse_good);
  g_test_add_func ("/scheduler/parse/bad", test_parse_bad);
  g_test_add_func ("/scheduler/time-zones", test_time_zones);
  g_test_add_func ("/scheduler/next", test_next);
  g_test_add ("/scheduler/heartbeat/march", Fixture, "2026-03-07T06:00:00.000Z",
              fixture_set_up, test_heartbeat_march, fixture_tear_down);
  g_test_add ("/scheduler/heartbeat/november", Fixture, "2026-10-31T06:00:00.000Z",
              fixture_set_up, test_heartbeat_november, fixture_tear_down);
  g_test_add ("/scheduler/skipped-hour", Fixture, "2026-03-07T06:00:00.000Z",
              fixture_set_up, test_skipped_hour, fixture_tear_down);
  g_test_add ("/scheduler/doubled-hour", Fixture, "2026-10-30T12:00:00.000Z",
              fixture_set_up, test_doubled_hour, fixture_tear_down);
  g_test_add ("/scheduler/missed", Fixture, "2026-05-04T12:00:00.000Z",
              fixture_set_up, test_missed, fixture_tear_down);
  g_test_add ("/scheduler/missed-at-start", Fixture, "2026-05-04T12:00:00.000Z",
              fixture_set_up, test_missed_at_start, fixture_tear_down);
  g_test_add ("/scheduler/interval", Fixture, "2026-01-01T00:00:00.000Z",
              fixture_set_up, test_interval, fixture_tear_down);
  g_test_add ("/scheduler/overlap", Fixture, "2026-01-01T00:00:00.000Z",
              fixture_set_up, test_overlap, fixture_tear_down);

  return g_test_run ();
}
