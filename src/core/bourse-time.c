/* bourse-time.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-time"

#include <string.h>

#include "bourse-time.h"

#define MS_PER_SECOND G_GINT64_CONSTANT (1000)
#define MS_PER_MINUTE (60 * MS_PER_SECOND)
#define MS_PER_HOUR   (60 * MS_PER_MINUTE)
#define MS_PER_DAY    (24 * MS_PER_HOUR)
#define MS_PER_WEEK   (7 * MS_PER_DAY)

/* 1970-01-01 was a Thursday; Binance weeks open on the Monday four days later. */
#define FIRST_MONDAY_MS (4 * MS_PER_DAY)

G_DEFINE_QUARK (bourse-time-error-quark, bourse_time_error)

static const struct
{
  const char *name;
  gint64      length_ms;   /* 0 for calendar months, which vary */
} intervals[] = {
  [BOURSE_INTERVAL_1M]  = { "1m", MS_PER_MINUTE },
  [BOURSE_INTERVAL_3M]  = { "3m", 3 * MS_PER_MINUTE },
  [BOURSE_INTERVAL_5M]  = { "5m", 5 * MS_PER_MINUTE },
  [BOURSE_INTERVAL_15M] = { "15m", 15 * MS_PER_MINUTE },
  [BOURSE_INTERVAL_30M] = { "30m", 30 * MS_PER_MINUTE },
  [BOURSE_INTERVAL_1H]  = { "1h", MS_PER_HOUR },
  [BOURSE_INTERVAL_2H]  = { "2h", 2 * MS_PER_HOUR },
  [BOURSE_INTERVAL_4H]  = { "4h", 4 * MS_PER_HOUR },
  [BOURSE_INTERVAL_6H]  = { "6h", 6 * MS_PER_HOUR },
  [BOURSE_INTERVAL_8H]  = { "8h", 8 * MS_PER_HOUR },
  [BOURSE_INTERVAL_12H] = { "12h", 12 * MS_PER_HOUR },
  [BOURSE_INTERVAL_1D]  = { "1d", MS_PER_DAY },
  [BOURSE_INTERVAL_3D]  = { "3d", 3 * MS_PER_DAY },
  [BOURSE_INTERVAL_1W]  = { "1w", MS_PER_WEEK },
  [BOURSE_INTERVAL_1MO] = { "1M", 0 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (intervals) == BOURSE_N_INTERVALS);

/* Floor division and its remainder, for b > 0: times before 1970 must round down, not to zero. */
static gint64
floor_mod (gint64 a,
           gint64 b)
{
  gint64 r = a % b;

  return r < 0 ? r + b : r;
}

static gint64
floor_div (gint64 a,
           gint64 b)
{
  return a / b - (a % b < 0);
}

/*
 * Days since 1970-01-01 in the proleptic Gregorian calendar and back, after Howard Hinnant's
 * "chrono-compatible low-level date algorithms": 400-year eras starting on March 1st put the
 * leap day at the end of each year, so no table of month lengths is needed.
 */
static gint64
days_from_civil (gint64 year,
                 int    month,
                 int    day)
{
  gint64 era;
  gint64 year_of_era;
  gint64 day_of_year;
  gint64 day_of_era;

  year -= month <= 2;
  era = floor_div (year, 400);
  year_of_era = year - era * 400;
  day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;

  return era * 146097 + day_of_era - 719468;
}

static void
civil_from_days (gint64  days,
                 gint64 *year,
                 int    *month,
                 int    *day)
{
  gint64 era;
  gint64 day_of_era;
  gint64 year_of_era;
  gint64 day_of_year;
  gint64 mp;

  days += 719468;
  era = floor_div (days, 146097);
  day_of_era = days - era * 146097;
  year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  mp = (5 * day_of_year + 2) / 153;

  *day = (int) (day_of_year - (153 * mp + 2) / 5 + 1);
  *month = (int) (mp < 10 ? mp + 3 : mp - 9);
  *year = year_of_era + era * 400 + (*month <= 2);
}

static gboolean
is_leap_year (int year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int
days_in_month (int year,
               int month)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  return month == 2 && is_leap_year (year) ? 29 : days[month - 1];
}

/* G_MININT64: the system's clock. Read from any thread. */
static gint64 frozen_ms = G_MININT64;

gint64
bourse_time_now_ms (void)
{
  gint64 frozen = __atomic_load_n (&frozen_ms, __ATOMIC_ACQUIRE);

  return frozen != G_MININT64 ? frozen : g_get_real_time () / 1000;
}

void
bourse_time_freeze (gint64 ms)
{
  g_return_if_fail (ms >= BOURSE_TIME_MIN_MS && ms <= BOURSE_TIME_MAX_MS);

  __atomic_store_n (&frozen_ms, ms, __ATOMIC_RELEASE);
}

void
bourse_time_thaw (void)
{
  __atomic_store_n (&frozen_ms, G_MININT64, __ATOMIC_RELEASE);
}

/*
 * Always UTC with exactly three fractional digits, so strings sort like the instants they name.
 * Years outside 0000–9999 cannot be written in RFC 3339; rather than fail on a corrupt value,
 * they come out in ISO 8601's expanded form ("+10000-…", "-0001-…"), which the parser rejects.
 */
char *
bourse_time_format_rfc3339 (gint64 ms)
{
  gint64 days = floor_div (ms, MS_PER_DAY);
  gint64 ms_of_day = floor_mod (ms, MS_PER_DAY);
  gint64 year;
  int month;
  int day;

  civil_from_days (days, &year, &month, &day);

  return g_strdup_printf (year >= 0 && year <= 9999
                            ? "%04" G_GINT64_FORMAT "-%02d-%02dT%02d:%02d:%02d.%03dZ"
                            : "%+05" G_GINT64_FORMAT "-%02d-%02dT%02d:%02d:%02d.%03dZ",
                          year, month, day,
                          (int) (ms_of_day / MS_PER_HOUR),
                          (int) (ms_of_day / MS_PER_MINUTE % 60),
                          (int) (ms_of_day / MS_PER_SECOND % 60),
                          (int) (ms_of_day % MS_PER_SECOND));
}

/* Reads exactly @n_digits ASCII digits. */
static gboolean
read_number (const char **p,
             int          n_digits,
             int         *out)
{
  int value = 0;

  for (int i = 0; i < n_digits; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      value = value * 10 + ((*p)[i] - '0');
    }

  *p += n_digits;
  *out = value;

  return TRUE;
}

static gboolean
read_char (const char **p,
           const char  *accepted)
{
  if (**p == '\0' || strchr (accepted, **p) == NULL)
    return FALSE;

  (*p)++;
  return TRUE;
}

/*
 * RFC 3339 section 5.6 date-time, parsed by hand because GDateTime's ISO 8601 parser also
 * accepts forms RFC 3339 forbids (week dates, ordinal dates, missing separators). As the RFC
 * allows, 't' and 'z' may be lowercase and a space may separate date and time. Digits past
 * the millisecond are truncated, which is a floor since the fraction is never negative.
 * Leap seconds (":60") are rejected: Unix time, and so the engine, cannot represent them.
 */
gboolean
bourse_time_parse_rfc3339 (const char  *text,
                           gint64      *out_ms,
                           GError     **error)
{
  const char *p = text;
  const char *problem = NULL;
  int year, month, day, hour, minute, second;
  int millisecond = 0;
  int offset_minutes = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_ms != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!read_number (&p, 4, &year) || !read_char (&p, "-") ||
      !read_number (&p, 2, &month) || !read_char (&p, "-") ||
      !read_number (&p, 2, &day) || !read_char (&p, "Tt ") ||
      !read_number (&p, 2, &hour) || !read_char (&p, ":") ||
      !read_number (&p, 2, &minute) || !read_char (&p, ":") ||
      !read_number (&p, 2, &second))
    goto syntax_error;

  if (read_char (&p, "."))
    {
      int place = 100;

      if (!g_ascii_isdigit (*p))
        goto syntax_error;

      for (; g_ascii_isdigit (*p); p++, place /= 10)
        millisecond += (*p - '0') * place;
    }

  if (*p == '\0')
    {
      g_autofree char *shown = g_utf8_make_valid (text, -1);

      /* Guessing a zone is how a timestamp silently shifts by hours, so say what is missing. */
      g_set_error (error, BOURSE_TIME_ERROR, BOURSE_TIME_ERROR_INVALID,
                   "“%s” has no time zone: add Z for UTC or an offset such as +01:00",
                   shown);
      return FALSE;
    }

  if (!read_char (&p, "Zz"))
    {
      char sign = *p;
      int offset_hour;
      int offset_minute;

      if (!read_char (&p, "+-") ||
          !read_number (&p, 2, &offset_hour) || !read_char (&p, ":") ||
          !read_number (&p, 2, &offset_minute))
        goto syntax_error;

      if (offset_hour > 23 || offset_minute > 59)
        problem = "the time zone offset is out of range";

      offset_minutes = (offset_hour * 60 + offset_minute) * (sign == '-' ? -1 : 1);
    }

  if (*p != '\0')
    goto syntax_error;

  if (month < 1 || month > 12)
    problem = "the month does not exist";
  else if (day < 1 || day > days_in_month (year, month))
    problem = "the day does not exist in that month";
  else if (hour > 23 || minute > 59)
    problem = "the time of day does not exist";
  else if (second == 60)
    problem = "leap seconds are not supported";
  else if (second > 59)
    problem = "the time of day does not exist";

  if (problem != NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (text, -1);

      g_set_error (error, BOURSE_TIME_ERROR, BOURSE_TIME_ERROR_INVALID,
                   "“%s” is not a valid date and time: %s", shown, problem);
      return FALSE;
    }

  *out_ms = days_from_civil (year, month, day) * MS_PER_DAY
            + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND
            + millisecond - offset_minutes * MS_PER_MINUTE;

  return TRUE;

syntax_error:
  {
    g_autofree char *shown = g_utf8_make_valid (text, -1);

    g_set_error (error, BOURSE_TIME_ERROR, BOURSE_TIME_ERROR_INVALID,
                 "“%s” is not an RFC 3339 date and time such as 2026-11-21T09:29:16.123Z",
                 shown);
    return FALSE;
  }
}

gboolean
bourse_time_parse_instant (const char       *text,
                           BourseTimeBound   bound,
                           gint64           *out_ms,
                           GError          **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_ms != NULL, FALSE);

  /* YYYY-MM-DD and nothing else: the RFC 3339 parser checks the date. */
  if (strlen (text) == 10 && text[4] == '-' && text[7] == '-')
    {
      g_autofree char *midnight = g_strconcat (text, "T00:00:00Z", NULL);
      gint64 start;

      if (!bourse_time_parse_rfc3339 (midnight, &start, error))
        return FALSE;
      *out_ms = bound == BOURSE_TIME_BOUND_END ? start + 86400000 - 1 : start;
      return TRUE;
    }
  return bourse_time_parse_rfc3339 (text, out_ms, error);
}

gboolean
bourse_interval_parse (const char      *text,
                       BourseInterval  *out,
                       GError         **error)
{
  g_autoptr(GString) allowed = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* Case matters: "1m" is a minute and "1M" a month, as on Binance. */
  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    {
      if (strcmp (text, intervals[i].name) == 0)
        {
          *out = (BourseInterval) i;
          return TRUE;
        }
    }

  allowed = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    g_string_append_printf (allowed, "%s%s", i > 0 ? ", " : "", intervals[i].name);

  shown = g_utf8_make_valid (text, -1);
  g_set_error (error, BOURSE_TIME_ERROR, BOURSE_TIME_ERROR_INVALID,
               "“%s” is not a candle interval: use one of %s (m is minutes, M months)",
               shown, allowed->str);

  return FALSE;
}

const char *
bourse_interval_to_string (BourseInterval interval)
{
  g_return_val_if_fail ((guint) interval < BOURSE_N_INTERVALS, NULL);

  return intervals[interval].name;
}

gint64
bourse_interval_align (BourseInterval interval,
                       gint64         ms)
{
  g_return_val_if_fail ((guint) interval < BOURSE_N_INTERVALS, ms);
  g_return_val_if_fail (ms >= BOURSE_TIME_MIN_MS && ms <= BOURSE_TIME_MAX_MS, ms);

  switch (interval)
    {
    case BOURSE_INTERVAL_1W:
      return ms - floor_mod (ms - FIRST_MONDAY_MS, MS_PER_WEEK);

    case BOURSE_INTERVAL_1MO:
      {
        gint64 year;
        int month;
        int day;

        civil_from_days (floor_div (ms, MS_PER_DAY), &year, &month, &day);
        return days_from_civil (year, month, 1) * MS_PER_DAY;
      }

    default:
      /* 1m to 3d have fixed lengths and count from the epoch, as Binance's open times do. */
      return ms - floor_mod (ms, intervals[interval].length_ms);
    }
}

gint64
bourse_interval_next (BourseInterval interval,
                      gint64         open_ms)
{
  gint64 open;

  g_return_val_if_fail ((guint) interval < BOURSE_N_INTERVALS, open_ms);
  g_return_val_if_fail (open_ms >= BOURSE_TIME_MIN_MS && open_ms <= BOURSE_TIME_MAX_MS, open_ms);

  /* Aligning first makes a time inside a candle give the following candle's open. */
  open = bourse_interval_align (interval, open_ms);

  if (interval == BOURSE_INTERVAL_1MO)
    {
      gint64 year;
      int month;
      int day;

      civil_from_days (floor_div (open, MS_PER_DAY), &year, &month, &day);
      if (month == 12)
        return days_from_civil (year + 1, 1, 1) * MS_PER_DAY;

      return days_from_civil (year, month + 1, 1) * MS_PER_DAY;
    }

  return open + intervals[interval].length_ms;
}

gint64
bourse_interval_step_back (BourseInterval interval,
                           gint64         open_ms,
                           guint          n)
{
  gint64 t = bourse_interval_align (interval, open_ms);

  /* The open time before t is the aligned instant just before it; months
   * and weeks have no fixed length, so step one by one. */
  for (guint i = 0; i < n && t > BOURSE_TIME_MIN_MS; i++)
    t = bourse_interval_align (interval, t - 1);
  return t;
}

/* The length of the intervals that have one (1m … 3d count from the epoch,
 * so the candle that opens at 0 is a whole one); 0 for weeks and months. */
static gint64
fixed_length (BourseInterval interval)
{
  return interval < BOURSE_INTERVAL_1W ? intervals[interval].length_ms : 0;
}

gboolean
bourse_interval_nests_in (BourseInterval fine,
                          BourseInterval coarse)
{
  gint64 fine_length;
  gint64 coarse_length;

  g_return_val_if_fail ((guint) fine < BOURSE_N_INTERVALS, FALSE);
  g_return_val_if_fail ((guint) coarse < BOURSE_N_INTERVALS, FALSE);

  fine_length = fixed_length (fine);
  coarse_length = fixed_length (coarse);
  if (fine >= coarse || fine_length == 0)
    return FALSE;
  if (coarse_length != 0)
    return coarse_length % fine_length == 0;
  /* Weeks start on a Monday and months on the first, at midnight: whole
   * days, and what divides a day, fit both. */
  return fine_length <= MS_PER_DAY && MS_PER_DAY % fine_length == 0;
}
