/* test-time.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "core/bourse-time.h"

#define N_RANDOM 20000
#define RANDOM_SEED 20261121

#define MS_PER_MINUTE G_GINT64_CONSTANT (60000)
#define MS_PER_HOUR   (60 * MS_PER_MINUTE)
#define MS_PER_DAY    (24 * MS_PER_HOUR)

/* GDateTime is the independent reference; it covers years 1 to 9999. */
#define GDATETIME_MIN_MS G_GINT64_CONSTANT (-62135596800000)

static gint64
iso_ms (const char *text)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);

  if (dt == NULL)
    g_error ("GDateTime cannot parse the test value “%s”", text);

  return g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
}

static GDateTime *
ms_to_date_time (gint64 ms)
{
  gint64 seconds = ms / 1000 - (ms % 1000 < 0);
  gint64 rest = ms - seconds * 1000;
  g_autoptr(GDateTime) whole = g_date_time_new_from_unix_utc (seconds);

  g_assert_nonnull (whole);

  return g_date_time_add (whole, rest * G_TIME_SPAN_MILLISECOND);
}

static gint64
date_time_to_ms (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
}

static gint64
random_ms (GRand *rand)
{
  return (gint64) g_rand_double_range (rand, GDATETIME_MIN_MS, BOURSE_TIME_MAX_MS);
}

static void
test_now (void)
{
  gint64 before = g_get_real_time () / 1000;
  gint64 now = bourse_time_now_ms ();
  gint64 after = g_get_real_time () / 1000;

  g_assert_cmpint (before, <=, now);
  g_assert_cmpint (now, <=, after);
}

/* A clock tests can stop, for every thread, and start again. */
static gpointer
read_clock_thread (gpointer data)
{
  return GSIZE_TO_POINTER (bourse_time_now_ms () == *(gint64 *) data);
}

static void
test_freeze (void)
{
  gint64 instant = G_GINT64_CONSTANT (1704067230000);
  g_autoptr(GThread) thread = NULL;
  gint64 before;

  bourse_time_freeze (instant);
  g_assert_cmpint (bourse_time_now_ms (), ==, instant);
  g_usleep (2000);
  g_assert_cmpint (bourse_time_now_ms (), ==, instant);
  thread = g_thread_new ("clock", read_clock_thread, &instant);
  g_assert_true (GPOINTER_TO_SIZE (g_thread_join (g_steal_pointer (&thread))));
  bourse_time_freeze (instant + 60000);
  g_assert_cmpint (bourse_time_now_ms (), ==, instant + 60000);

  bourse_time_thaw ();
  before = g_get_real_time () / 1000;
  g_assert_cmpint (bourse_time_now_ms (), >=, before);
}

static void
test_format (void)
{
  static const struct {
    gint64      ms;
    const char *expected;
  } cases[] = {
    { 0, "1970-01-01T00:00:00.000Z" },
    { 1, "1970-01-01T00:00:00.001Z" },
    { -1, "1969-12-31T23:59:59.999Z" },
    { -1000, "1969-12-31T23:59:59.000Z" },
    { -14182940000, "1969-07-20T20:17:40.000Z" },
    { 1795253356123, "2026-11-21T09:29:16.123Z" },
    { 1709208000000, "2024-02-29T12:00:00.000Z" },
    { 951782400000, "2000-02-29T00:00:00.000Z" },
    { 13574563200000, "2400-02-29T00:00:00.000Z" },
    { -2203891200000, "1900-03-01T00:00:00.000Z" },
    { -62135596800000, "0001-01-01T00:00:00.000Z" },
    { BOURSE_TIME_MIN_MS, "0000-01-01T00:00:00.000Z" },
    { BOURSE_TIME_MAX_MS, "9999-12-31T23:59:59.999Z" },
    /* beyond RFC 3339: ISO 8601 expanded years (values as java.time prints them) */
    { BOURSE_TIME_MAX_MS + 1, "+10000-01-01T00:00:00.000Z" },
    { BOURSE_TIME_MIN_MS - 1, "-0001-12-31T23:59:59.999Z" },
    { G_MAXINT64, "+292278994-08-17T07:12:55.807Z" },
    { G_MININT64, "-292275055-05-16T16:47:04.192Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *str = bourse_time_format_rfc3339 (cases[i].ms);

      g_assert_cmpstr (str, ==, cases[i].expected);
    }
}

static void
test_parse_valid (void)
{
  static const struct {
    const char *text;
    gint64      expected;
  } cases[] = {
    { "2026-11-21T09:29:16.123Z", 1795253356123 },
    { "2026-11-21T09:29:16.123+00:00", 1795253356123 },
    { "2026-11-21T09:29:16.123-00:00", 1795253356123 },
    { "2026-11-21t09:29:16.123z", 1795253356123 },
    { "2026-11-21 09:29:16.123Z", 1795253356123 },
    { "2026-11-21T09:29:16.123+05:30", 1795233556123 },
    { "2026-11-21T09:29:16.123-08:00", 1795282156123 },
    { "2026-11-21T00:00:00+23:59", 1795132860000 },
    { "2026-11-21T00:00:00-23:59", 1795305540000 },
    /* fractions of any length, truncated to the millisecond */
    { "2026-11-21T09:29:16Z", 1795253356000 },
    { "2026-11-21T09:29:16.1Z", 1795253356100 },
    { "2026-11-21T09:29:16.12Z", 1795253356120 },
    { "2026-11-21T09:29:16.1239Z", 1795253356123 },
    { "2026-11-21T09:29:16.123999999999Z", 1795253356123 },
    { "2026-11-21T09:29:16.000Z", 1795253356000 },
    /* before the epoch the truncation still floors */
    { "1969-12-31T23:59:59.9999Z", -1 },
    { "1969-12-31T23:59:59.999Z", -1 },
    { "1969-12-31T23:59:59Z", -1000 },
    { "1970-01-01T00:00:00Z", 0 },
    { "1970-01-01T01:00:00+01:00", 0 },
    { "1969-07-20T20:17:40Z", -14182940000 },
    { "2024-02-29T12:00:00Z", 1709208000000 },
    { "2000-02-29T00:00:00Z", 951782400000 },
    { "0001-01-01T00:00:00Z", -62135596800000 },
    { "0000-01-01T00:00:00Z", BOURSE_TIME_MIN_MS },
    { "9999-12-31T23:59:59.999Z", BOURSE_TIME_MAX_MS },
    /* an offset may carry the instant just outside 0000–9999 */
    { "0000-01-01T00:00:00+00:01", BOURSE_TIME_MIN_MS - MS_PER_MINUTE },
    { "9999-12-31T23:59:59.999-00:01", BOURSE_TIME_MAX_MS + MS_PER_MINUTE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 ms = 42;

      if (!bourse_time_parse_rfc3339 (cases[i].text, &ms, &error))
        g_test_fail_printf ("“%s”: %s", cases[i].text, error->message);
      else if (ms != cases[i].expected)
        g_test_fail_printf ("“%s”: expected %" G_GINT64_FORMAT ", got %" G_GINT64_FORMAT,
                            cases[i].text, cases[i].expected, ms);
    }
}

static void
test_parse_invalid (void)
{
  static const char * const cases[] = {
    "",
    "garbage",
    "2026",
    "2026-11-21",
    "09:29:16Z",
    "2026-11-21T09:29Z",
    "2026-11-21T09Z",
    "2026-11-21T09:29:16",            /* no zone */
    "2026-11-21T09:29:16.123",
    "2026-11-21T09:29:16.Z",
    "2026-11-21T09:29:16,123Z",
    "2026-11-21T09:29:16.123ZZ",
    "2026-11-21T09:29:16.123Z ",
    " 2026-11-21T09:29:16.123Z",
    "2026-11-21T09:29:16.123+05:30x",
    "2026-11-21T09:29:16+0530",
    "2026-11-21T09:29:16+05",
    "2026-11-21T09:29:16+5:30",
    "2026-11-21T09:29:16 +05:30",
    "2026-11-21T09:29:16UTC",
    "2026-11-21T09:29:16GMT+1",
    "2026-11-21_09:29:16Z",
    "2026-11-21TT09:29:16Z",
    "2026-11-21T9:29:16Z",
    "2026-1-21T09:29:16Z",
    "26-11-21T09:29:16Z",
    "+2026-11-21T09:29:16Z",
    "-2026-11-21T09:29:16Z",
    "12026-11-21T09:29:16Z",
    "20261121T092916Z",
    "2026-W47-6T09:29:16Z",
    "2026-325T09:29:16Z",
    "2026-11-21T09:29:16.123\xff",
    "2026-11-21T09:29:16.١٢٣Z",
    /* well formed but not a real date or time */
    "2026-13-01T00:00:00Z",
    "2026-00-10T00:00:00Z",
    "2026-01-00T00:00:00Z",
    "2026-01-32T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-06-31T00:00:00Z",
    "2026-09-31T00:00:00Z",
    "2026-11-31T00:00:00Z",
    "2026-11-21T24:00:00Z",
    "2026-11-21T23:60:00Z",
    "2026-11-21T23:59:61Z",
    "2026-12-31T23:59:60Z",           /* a leap second: Unix time cannot hold it */
    "2026-11-21T09:29:16+24:00",
    "2026-11-21T09:29:16+05:60",
    "2026-11-21T09:29:16-99:99",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 ms = 42;

      if (bourse_time_parse_rfc3339 (cases[i], &ms, &error))
        g_test_fail_printf ("“%s” parsed as %" G_GINT64_FORMAT, cases[i], ms);
      else if (!g_error_matches (error, BOURSE_TIME_ERROR, BOURSE_TIME_ERROR_INVALID))
        g_test_fail_printf ("“%s”: wrong error %s", cases[i], error->message);
      else if (ms != 42)
        g_test_fail_printf ("“%s”: the output changed on failure", cases[i]);
      else if (!g_utf8_validate (error->message, -1, NULL))
        g_test_fail_printf ("“%s”: the message is not valid UTF-8", cases[i]);
    }
}

static void
test_parse_leap_years (void)
{
  static const struct {
    const char *text;
    gboolean    valid;
  } cases[] = {
    { "2024-02-29T00:00:00Z", TRUE },
    { "2023-02-29T00:00:00Z", FALSE },
    { "2023-02-28T23:59:59.999Z", TRUE },
    { "2000-02-29T00:00:00Z", TRUE },     /* divisible by 400 */
    { "1900-02-29T00:00:00Z", FALSE },    /* divisible by 100 only */
    { "2100-02-29T00:00:00Z", FALSE },
    { "2400-02-29T00:00:00Z", TRUE },
    { "1996-02-29T00:00:00Z", TRUE },
    { "0000-02-29T00:00:00Z", TRUE },
    { "2024-02-30T00:00:00Z", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 ms = 0;
      gboolean ok = bourse_time_parse_rfc3339 (cases[i].text, &ms, &error);

      if (ok != cases[i].valid)
        g_test_fail_printf ("“%s”: expected %s",
                            cases[i].text, cases[i].valid ? "valid" : "invalid");
      else if (!ok)
        g_assert_error (error, BOURSE_TIME_ERROR, BOURSE_TIME_ERROR_INVALID);
    }

  /* A leap day sits between the 28th and March 1st, before and after the epoch. */
  for (guint i = 0; i < 2; i++)
    {
      static const char * const years[] = { "2024", "1968" };
      g_autofree char *feb28 = g_strdup_printf ("%s-02-28T00:00:00Z", years[i]);
      g_autofree char *feb29 = g_strdup_printf ("%s-02-29T00:00:00Z", years[i]);
      g_autofree char *mar01 = g_strdup_printf ("%s-03-01T00:00:00Z", years[i]);
      gint64 a, b, c;

      g_assert_true (bourse_time_parse_rfc3339 (feb28, &a, NULL));
      g_assert_true (bourse_time_parse_rfc3339 (feb29, &b, NULL));
      g_assert_true (bourse_time_parse_rfc3339 (mar01, &c, NULL));
      g_assert_cmpint (b - a, ==, MS_PER_DAY);
      g_assert_cmpint (c - b, ==, MS_PER_DAY);
      g_assert_cmpint (a, ==, iso_ms (feb28));
    }
}

static void
test_parse_messages (void)
{
  g_autoptr(GError) error = NULL;
  gint64 ms;

  g_assert_false (bourse_time_parse_rfc3339 ("yesterday", &ms, &error));
  g_assert_nonnull (strstr (error->message, "“yesterday”"));
  g_assert_nonnull (strstr (error->message, "RFC 3339"));
  g_clear_error (&error);

  g_assert_false (bourse_time_parse_rfc3339 ("2026-11-21T09:29:16", &ms, &error));
  g_assert_nonnull (strstr (error->message, "“2026-11-21T09:29:16”"));
  g_assert_nonnull (strstr (error->message, "time zone"));
  g_clear_error (&error);

  g_assert_false (bourse_time_parse_rfc3339 ("2023-02-29T00:00:00Z", &ms, &error));
  g_assert_nonnull (strstr (error->message, "“2023-02-29T00:00:00Z”"));
  g_assert_nonnull (strstr (error->message, "day"));
  g_clear_error (&error);

  g_assert_false (bourse_time_parse_rfc3339 ("2026-12-31T23:59:60Z", &ms, &error));
  g_assert_nonnull (strstr (error->message, "leap second"));
  g_clear_error (&error);

  g_assert_false (bourse_time_parse_rfc3339 ("2026-11-21T09:29:16Z\xff", &ms, &error));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_random_format (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED);

  for (guint i = 0; i < N_RANDOM; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 ms = random_ms (rand);
      g_autoptr(GDateTime) dt = ms_to_date_time (ms);
      g_autofree char *str = bourse_time_format_rfc3339 (ms);
      g_autofree char *expected = NULL;
      gint64 parsed = 0;

      expected = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                                  g_date_time_get_year (dt), g_date_time_get_month (dt),
                                  g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                                  g_date_time_get_minute (dt), g_date_time_get_second (dt),
                                  g_date_time_get_microsecond (dt) / 1000);
      g_assert_cmpstr (str, ==, expected);

      g_assert_true (bourse_time_parse_rfc3339 (str, &parsed, &error));
      g_assert_no_error (error);
      g_assert_cmpint (parsed, ==, ms);
    }
}

static void
test_random_parse (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED + 1);

  for (guint i = 0; i < N_RANDOM; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GTimeZone) tz = NULL;
      g_autoptr(GDateTime) dt = NULL;
      /* Years 2–9998 keep every offset's UTC instant inside GDateTime's range. */
      int year = g_rand_int_range (rand, 2, 9999);
      int month = g_rand_int_range (rand, 1, 13);
      int day = g_rand_int_range (rand, 1, g_date_get_days_in_month (month, year) + 1);
      int hour = g_rand_int_range (rand, 0, 24);
      int minute = g_rand_int_range (rand, 0, 60);
      int second = g_rand_int_range (rand, 0, 60);
      int n_fraction = g_rand_int_range (rand, 0, 10);
      int max_offset = 23 * 60 + 59;
      int offset = g_rand_boolean (rand) ? 0 : g_rand_int_range (rand, -max_offset, max_offset + 1);
      int ms_part = 0;
      gint64 parsed = 0;

      g_string_printf (text, "%04d-%02d-%02d%c%02d:%02d:%02d", year, month, day,
                       "Tt "[g_rand_int_range (rand, 0, 3)], hour, minute, second);

      if (n_fraction > 0)
        g_string_append_c (text, '.');
      for (int j = 0; j < n_fraction; j++)
        {
          int digit = g_rand_int_range (rand, 0, 10);

          if (j < 3)
            ms_part = ms_part * 10 + digit;
          g_string_append_c (text, '0' + digit);
        }
      for (int j = n_fraction; j < 3; j++)
        ms_part *= 10;

      if (offset == 0 && g_rand_boolean (rand))
        g_string_append_c (text, g_rand_boolean (rand) ? 'Z' : 'z');
      else
        g_string_append_printf (text, "%c%02d:%02d", offset < 0 ? '-' : '+',
                                ABS (offset) / 60, ABS (offset) % 60);

      tz = g_time_zone_new_offset (offset * 60);
      dt = g_date_time_new (tz, year, month, day, hour, minute, second);
      g_assert_nonnull (dt);

      if (!bourse_time_parse_rfc3339 (text->str, &parsed, &error))
        g_error ("“%s”: %s", text->str, error->message);
      if (parsed != g_date_time_to_unix (dt) * 1000 + ms_part)
        g_error ("“%s”: expected %" G_GINT64_FORMAT ", got %" G_GINT64_FORMAT,
                 text->str, g_date_time_to_unix (dt) * 1000 + ms_part, parsed);
    }
}

static void
test_interval_strings (void)
{
  static const char * const names[] = {
    "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (names) == BOURSE_N_INTERVALS);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      BourseInterval interval = BOURSE_N_INTERVALS;

      g_assert_true (bourse_interval_parse (names[i], &interval, &error));
      g_assert_no_error (error);
      g_assert_cmpint (interval, ==, i);
      g_assert_cmpstr (bourse_interval_to_string (interval), ==, names[i]);
    }

  /* Binance's own spelling: a lowercase m is a minute, an uppercase M a month. */
  g_assert_cmpstr (bourse_interval_to_string (BOURSE_INTERVAL_1M), ==, "1m");
  g_assert_cmpstr (bourse_interval_to_string (BOURSE_INTERVAL_1MO), ==, "1M");
}

static void
test_interval_parse_invalid (void)
{
  static const char * const cases[] = {
    "", "m", "1", "1s", "2m", "10m", "60m", "1H", "1D", "1W", "3M", "1mo", "1min", "1 m",
    " 1m", "1m ", "1d\n", "01m", "+1m", "1h1m", "week", "1y",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      BourseInterval interval = BOURSE_INTERVAL_3D;

      if (bourse_interval_parse (cases[i], &interval, &error))
        g_test_fail_printf ("“%s” parsed as %d", cases[i], interval);
      else
        {
          g_assert_error (error, BOURSE_TIME_ERROR, BOURSE_TIME_ERROR_INVALID);
          g_assert_cmpint (interval, ==, BOURSE_INTERVAL_3D);
        }
    }

  {
    g_autoptr(GError) error = NULL;
    BourseInterval interval;

    g_assert_false (bourse_interval_parse ("1H", &interval, &error));
    g_assert_nonnull (strstr (error->message, "“1H”"));
    g_assert_nonnull (strstr (error->message,
                              "1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M"));
  }
}

static void
test_interval_align (void)
{
  static const struct {
    const char *interval;
    const char *time;
    const char *open;
    const char *next;
  } cases[] = {
    { "1m", "2026-11-21T09:29:16.123Z", "2026-11-21T09:29:00Z", "2026-11-21T09:30:00Z" },
    { "3m", "2026-11-21T09:29:16.123Z", "2026-11-21T09:27:00Z", "2026-11-21T09:30:00Z" },
    { "5m", "2026-11-21T09:29:16.123Z", "2026-11-21T09:25:00Z", "2026-11-21T09:30:00Z" },
    { "15m", "2026-11-21T09:29:16.123Z", "2026-11-21T09:15:00Z", "2026-11-21T09:30:00Z" },
    { "30m", "2026-11-21T09:29:16.123Z", "2026-11-21T09:00:00Z", "2026-11-21T09:30:00Z" },
    { "1h", "2026-11-21T09:29:16.123Z", "2026-11-21T09:00:00Z", "2026-11-21T10:00:00Z" },
    { "2h", "2026-11-21T09:29:16.123Z", "2026-11-21T08:00:00Z", "2026-11-21T10:00:00Z" },
    { "4h", "2026-11-21T09:29:16.123Z", "2026-11-21T08:00:00Z", "2026-11-21T12:00:00Z" },
    { "6h", "2026-11-21T09:29:16.123Z", "2026-11-21T06:00:00Z", "2026-11-21T12:00:00Z" },
    { "8h", "2026-11-21T09:29:16.123Z", "2026-11-21T08:00:00Z", "2026-11-21T16:00:00Z" },
    { "12h", "2026-11-21T09:29:16.123Z", "2026-11-21T00:00:00Z", "2026-11-21T12:00:00Z" },
    { "1d", "2026-11-21T09:29:16.123Z", "2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z" },
    /* 2026-11-21 is day 20778 after the epoch, a multiple of 3 */
    { "3d", "2026-11-21T09:29:16.123Z", "2026-11-21T00:00:00Z", "2026-11-24T00:00:00Z" },
    { "3d", "2026-11-23T23:59:59.999Z", "2026-11-21T00:00:00Z", "2026-11-24T00:00:00Z" },
    { "3d", "2026-11-20T23:59:59.999Z", "2026-11-18T00:00:00Z", "2026-11-21T00:00:00Z" },
    { "3d", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1970-01-04T00:00:00Z" },
    /* Saturday 2026-11-21 belongs to the week that opened on Monday 2026-11-16 */
    { "1w", "2026-11-21T09:29:16.123Z", "2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z" },
    { "1w", "2026-11-16T00:00:00Z", "2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z" },
    { "1w", "2026-11-15T23:59:59.999Z", "2026-11-09T00:00:00Z", "2026-11-16T00:00:00Z" },
    { "1w", "2026-11-22T23:59:59.999Z", "2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z" },
    { "1w", "2026-12-31T12:00:00Z", "2026-12-28T00:00:00Z", "2027-01-04T00:00:00Z" },
    { "1w", "1970-01-01T00:00:00Z", "1969-12-29T00:00:00Z", "1970-01-05T00:00:00Z" },
    { "1w", "1970-01-05T00:00:00Z", "1970-01-05T00:00:00Z", "1970-01-12T00:00:00Z" },
    { "1M", "2026-11-21T09:29:16.123Z", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z" },
    { "1M", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z" },
    { "1M", "2026-10-31T23:59:59.999Z", "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z" },
    { "1M", "2026-12-31T23:59:59.999Z", "2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z" },
    { "1M", "2027-01-31T12:00:00Z", "2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z" },
    { "1M", "2026-02-28T12:00:00Z", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z" },
    { "1M", "2024-02-29T23:59:59.999Z", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z" },
    { "1M", "2026-04-30T12:00:00Z", "2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z" },
    /* before the epoch */
    { "1m", "1969-12-31T23:59:59.999Z", "1969-12-31T23:59:00Z", "1970-01-01T00:00:00Z" },
    { "4h", "1969-12-31T21:00:00Z", "1969-12-31T20:00:00Z", "1970-01-01T00:00:00Z" },
    { "1d", "1969-07-20T20:17:40Z", "1969-07-20T00:00:00Z", "1969-07-21T00:00:00Z" },
    { "3d", "1969-12-31T23:59:59.999Z", "1969-12-29T00:00:00Z", "1970-01-01T00:00:00Z" },
    { "3d", "1969-12-28T23:59:59.999Z", "1969-12-26T00:00:00Z", "1969-12-29T00:00:00Z" },
    { "1w", "1969-12-28T23:59:59.999Z", "1969-12-22T00:00:00Z", "1969-12-29T00:00:00Z" },
    { "1M", "1969-12-31T23:59:59.999Z", "1969-12-01T00:00:00Z", "1970-01-01T00:00:00Z" },
    { "1M", "1900-02-15T00:00:00Z", "1900-02-01T00:00:00Z", "1900-03-01T00:00:00Z" },
    /* the ends of the range */
    { "1M", "9999-12-31T23:59:59.999Z", "9999-12-01T00:00:00Z", NULL },
    { "1w", "0001-01-03T00:00:00Z", "0001-01-01T00:00:00Z", "0001-01-08T00:00:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BourseInterval interval;
      gint64 ms = iso_ms (cases[i].time);
      gint64 open;
      gint64 next = cases[i].next != NULL ? iso_ms (cases[i].next) : 0;

      g_assert_true (bourse_interval_parse (cases[i].interval, &interval, NULL));
      open = bourse_interval_align (interval, ms);

      if (open != iso_ms (cases[i].open))
        {
          g_autofree char *got = bourse_time_format_rfc3339 (open);

          g_test_fail_printf ("%s: %s opens at %s, not %s",
                              cases[i].interval, cases[i].time, got, cases[i].open);
          continue;
        }

      /* the open time aligns to itself, and any time in the candle has the same next open */
      g_assert_cmpint (bourse_interval_align (interval, open), ==, open);
      if (cases[i].next != NULL)
        {
          g_assert_cmpint (bourse_interval_next (interval, open), ==, next);
          g_assert_cmpint (bourse_interval_next (interval, ms), ==, next);
          g_assert_cmpint (bourse_interval_align (interval, next), ==, next);
          g_assert_cmpint (bourse_interval_align (interval, next - 1), ==, open);
        }
    }

  /* 10000-01-01 is past RFC 3339, but the last month still has a next open. */
  g_assert_cmpint (bourse_interval_next (BOURSE_INTERVAL_1MO, BOURSE_TIME_MAX_MS), ==,
                   BOURSE_TIME_MAX_MS + 1);
  g_assert_cmpint (bourse_interval_align (BOURSE_INTERVAL_1MO, BOURSE_TIME_MIN_MS), ==,
                   BOURSE_TIME_MIN_MS);
  g_assert_cmpint (bourse_interval_align (BOURSE_INTERVAL_1D, BOURSE_TIME_MIN_MS), ==,
                   BOURSE_TIME_MIN_MS);
}

static void
test_interval_fixed_before_epoch (void)
{
  static const gint64 lengths[] = {
    [BOURSE_INTERVAL_1M] = MS_PER_MINUTE,
    [BOURSE_INTERVAL_3M] = 3 * MS_PER_MINUTE,
    [BOURSE_INTERVAL_5M] = 5 * MS_PER_MINUTE,
    [BOURSE_INTERVAL_15M] = 15 * MS_PER_MINUTE,
    [BOURSE_INTERVAL_30M] = 30 * MS_PER_MINUTE,
    [BOURSE_INTERVAL_1H] = MS_PER_HOUR,
    [BOURSE_INTERVAL_2H] = 2 * MS_PER_HOUR,
    [BOURSE_INTERVAL_4H] = 4 * MS_PER_HOUR,
    [BOURSE_INTERVAL_6H] = 6 * MS_PER_HOUR,
    [BOURSE_INTERVAL_8H] = 8 * MS_PER_HOUR,
    [BOURSE_INTERVAL_12H] = 12 * MS_PER_HOUR,
    [BOURSE_INTERVAL_1D] = MS_PER_DAY,
    [BOURSE_INTERVAL_3D] = 3 * MS_PER_DAY,
  };

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      gint64 len = lengths[i];

      /* the candle just before the epoch, and the epoch itself */
      g_assert_cmpint (bourse_interval_align (i, -1), ==, -len);
      g_assert_cmpint (bourse_interval_align (i, -len), ==, -len);
      g_assert_cmpint (bourse_interval_align (i, -len - 1), ==, -2 * len);
      g_assert_cmpint (bourse_interval_next (i, -1), ==, 0);
      g_assert_cmpint (bourse_interval_align (i, 0), ==, 0);
      g_assert_cmpint (bourse_interval_align (i, len - 1), ==, 0);
      g_assert_cmpint (bourse_interval_next (i, 0), ==, len);
    }
}

/* Every interval, at random instants, against GDateTime's calendar. */
static void
test_random_interval (void)
{
  static const gint64 lengths[] = {
    [BOURSE_INTERVAL_1M] = MS_PER_MINUTE,
    [BOURSE_INTERVAL_3M] = 3 * MS_PER_MINUTE,
    [BOURSE_INTERVAL_5M] = 5 * MS_PER_MINUTE,
    [BOURSE_INTERVAL_15M] = 15 * MS_PER_MINUTE,
    [BOURSE_INTERVAL_30M] = 30 * MS_PER_MINUTE,
    [BOURSE_INTERVAL_1H] = MS_PER_HOUR,
    [BOURSE_INTERVAL_2H] = 2 * MS_PER_HOUR,
    [BOURSE_INTERVAL_4H] = 4 * MS_PER_HOUR,
    [BOURSE_INTERVAL_6H] = 6 * MS_PER_HOUR,
    [BOURSE_INTERVAL_8H] = 8 * MS_PER_HOUR,
    [BOURSE_INTERVAL_12H] = 12 * MS_PER_HOUR,
    [BOURSE_INTERVAL_1D] = MS_PER_DAY,
    [BOURSE_INTERVAL_3D] = 3 * MS_PER_DAY,
    [BOURSE_INTERVAL_1W] = 7 * MS_PER_DAY,
    [BOURSE_INTERVAL_1MO] = 0,
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED + 2);

  for (guint i = 0; i < N_RANDOM; i++)
    {
      BourseInterval interval = g_rand_int_range (rand, 0, BOURSE_N_INTERVALS);
      gint64 ms = random_ms (rand);
      gint64 open;
      gint64 next;
      g_autoptr(GDateTime) dt = NULL;
      g_autoptr(GDateTime) expected_open = NULL;
      g_autoptr(GDateTime) expected_next = NULL;

      /* Stay a week inside GDateTime's years so the reference's week can start in year 1. */
      ms = MAX (ms, GDATETIME_MIN_MS + 7 * MS_PER_DAY);
      open = bourse_interval_align (interval, ms);
      next = bourse_interval_next (interval, ms);
      dt = ms_to_date_time (ms);

      if (interval == BOURSE_INTERVAL_1MO)
        {
          expected_open = g_date_time_new_utc (g_date_time_get_year (dt),
                                               g_date_time_get_month (dt), 1, 0, 0, 0);
          expected_next = g_date_time_add_months (expected_open, 1);
        }
      else if (interval == BOURSE_INTERVAL_1W)
        {
          g_autoptr(GDateTime) midnight =
            g_date_time_new_utc (g_date_time_get_year (dt), g_date_time_get_month (dt),
                                 g_date_time_get_day_of_month (dt), 0, 0, 0);

          /* GDateTime numbers Monday 1 */
          expected_open = g_date_time_add_days (midnight,
                                                1 - g_date_time_get_day_of_week (midnight));
          expected_next = g_date_time_add_weeks (expected_open, 1);
        }

      if (expected_open != NULL)
        {
          g_assert_cmpint (open, ==, date_time_to_ms (expected_open));
          if (expected_next != NULL)
            g_assert_cmpint (next, ==, date_time_to_ms (expected_next));
        }
      else
        {
          /* Fixed lengths count from the epoch; C's % keeps the sign, hence both checks. */
          g_assert_cmpint (open % lengths[interval], ==, 0);
          g_assert_cmpint (open, <=, ms);
          g_assert_cmpint (ms - open, <, lengths[interval]);
          g_assert_cmpint (next, ==, open + lengths[interval]);
        }

      g_assert_cmpint (bourse_interval_align (interval, open), ==, open);
    }
}

static void
test_interval_out_of_range (void)
{
  /* Outside 0000–9999 is a caller's mistake: it is reported and the input comes back. */
  g_test_expect_message ("bourse-time", G_LOG_LEVEL_CRITICAL, "*BOURSE_TIME_MAX_MS*");
  g_assert_cmpint (bourse_interval_align (BOURSE_INTERVAL_1D, G_MAXINT64), ==, G_MAXINT64);
  g_test_assert_expected_messages ();

  g_test_expect_message ("bourse-time", G_LOG_LEVEL_CRITICAL, "*BOURSE_TIME_MIN_MS*");
  g_assert_cmpint (bourse_interval_next (BOURSE_INTERVAL_1W, G_MININT64), ==, G_MININT64);
  g_test_assert_expected_messages ();

  g_test_expect_message ("bourse-time", G_LOG_LEVEL_CRITICAL, "*BOURSE_N_INTERVALS*");
  g_assert_null (bourse_interval_to_string (BOURSE_N_INTERVALS));
  g_test_assert_expected_messages ();
}

/* A date alone is a whole UTC day: its first millisecond as a start, its
 * last as an end; anything else goes to the RFC 3339 parser, and a date
 * that does not exist is refused whichever end is asked for. */
static void
test_parse_instant (void)
{
  g_autoptr(GError) error = NULL;
  gint64 ms = 0;

  g_assert_true (bourse_time_parse_instant ("2025-12-01", BOURSE_TIME_BOUND_START, &ms, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1764547200000));
  g_assert_true (bourse_time_parse_instant ("2025-12-01", BOURSE_TIME_BOUND_END, &ms, &error));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1764547200000) + 86400000 - 1);
  g_assert_true (bourse_time_parse_instant ("2024-02-29", BOURSE_TIME_BOUND_END, &ms, &error));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1709251199999));
  g_assert_true (bourse_time_parse_instant ("2025-12-01T10:00:00Z", BOURSE_TIME_BOUND_END, &ms, &error));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1764583200000));

  g_assert_false (bourse_time_parse_instant ("2025-02-29", BOURSE_TIME_BOUND_START, &ms, &error));
  g_assert_error (error, BOURSE_TIME_ERROR, BOURSE_TIME_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (bourse_time_parse_instant ("2025-12-1", BOURSE_TIME_BOUND_START, &ms, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (bourse_time_parse_instant ("2025-12-01T10:00:00", BOURSE_TIME_BOUND_START, &ms, &error));
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/time/now", test_now);
  g_test_add_func ("/time/freeze", test_freeze);
  g_test_add_func ("/time/format", test_format);
  g_test_add_func ("/time/parse/valid", test_parse_valid);
  g_test_add_func ("/time/parse/invalid", test_parse_invalid);
  g_test_add_func ("/time/parse/instant", test_parse_instant);
  g_test_add_func ("/time/parse/leap-years", test_parse_leap_years);
  g_test_add_func ("/time/parse/messages", test_parse_messages);
  g_test_add_func ("/time/random/format", test_random_format);
  g_test_add_func ("/time/random/parse", test_random_parse);
  g_test_add_func ("/time/interval/strings", test_interval_strings);
  g_test_add_func ("/time/interval/parse-invalid", test_interval_parse_invalid);
  g_test_add_func ("/time/interval/align", test_interval_align);
  g_test_add_func ("/time/interval/fixed-before-epoch", test_interval_fixed_before_epoch);
  g_test_add_func ("/time/interval/out-of-range", test_interval_out_of_range);
  g_test_add_func ("/time/random/interval", test_random_interval);

  return g_test_run ();
}
