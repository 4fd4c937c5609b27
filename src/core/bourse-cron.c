/* bourse-cron.c — cron-style schedules read in a time zone
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bourse-cron.h"
#include "bourse-error.h"

#define DAY_S            86400
#define SEARCH_DAYS      (366 * 8 + 2)


enum { F_MINUTE, F_HOUR, F_DAY, F_MONTH, F_WEEKDAY, N_FIELDS };

static const struct
{
  const char *name;
  guint       min;
  guint       max;
} fields[N_FIELDS] = {
  { N_("minute"),       0, 59 },
  { N_("hour"),         0, 23 },
  { N_("day-of-month"), 1, 31 },
  { N_("month"),        1, 12 },
  { N_("day-of-week"),  0,  7 },
};

struct _BourseSchedule
{
  guint64  bits[N_FIELDS];
  gboolean restricted[N_FIELDS];   /* not "*" */
};

static gboolean
parse_number (const char *text,
              guint       field,
              const char *expression,
              guint      *out,
              GError    **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "schedule",
                              _("The %s field of “%s” is not a number, a range, a step, a list or *: “%s”"),
                              _(fields[field].name), expression, text);
      return FALSE;
    }
  if (value < fields[field].min || value > fields[field].max)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "schedule",
                              _("The %s field of “%s” is out of range: %s is not within %u–%u"),
                              _(fields[field].name), expression, text, fields[field].min, fields[field].max);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

static gboolean
parse_item (BourseSchedule *self,
            guint           field,
            const char     *item,
            const char     *expression,
            GError        **error)
{
  g_auto(GStrv) step_parts = NULL;
  const char *range;
  guint first = fields[field].min, last = fields[field].max, step = 1;

  /* "1,,2": g_strsplit () gives nothing for an empty string. */
  if (item[0] == '\0')
    return parse_number (item, field, expression, &first, error);
  step_parts = g_strsplit (item, "/", 2);
  range = step_parts[0];

  if (step_parts[1] != NULL)
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (step_parts[1], 10, 1, fields[field].max, &value, NULL))
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "schedule",
                                  _("The %s field of “%s” has a step that is not a number from 1 to %u: “%s”"),
                                  _(fields[field].name), expression, fields[field].max, item);
          return FALSE;
        }
      step = (guint) value;
    }
  /* "*" and "*\/n" leave the field unrestricted, as in cron. */
  if (!g_str_equal (range, "*"))
    {
      g_auto(GStrv) ends = g_strsplit (range, "-", 2);

      self->restricted[field] = TRUE;
      if (!parse_number (ends[0], field, expression, &first, error))
        return FALSE;
      if (ends[1] != NULL)
        {
          if (!parse_number (ends[1], field, expression, &last, error))
            return FALSE;
          if (last < first)
            {
              bourse_set_field_error (error, BOURSE_ERROR_INVALID, "schedule",
                                      _("The %s field of “%s” has a range that runs backwards: “%s”"),
                                      _(fields[field].name), expression, item);
              return FALSE;
            }
        }
      else if (step_parts[1] == NULL)
        last = first;
    }
  for (guint v = first; v <= last; v += step)
    self->bits[field] |= G_GUINT64_CONSTANT (1) << v;
  return TRUE;
}

BourseSchedule *
bourse_schedule_parse (const char  *expression,
                       GError     **error)
{
  g_autoptr(BourseSchedule) self = g_new0 (BourseSchedule, 1);
  g_autofree char *stripped = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  g_return_val_if_fail (expression != NULL, NULL);

  /* Fields apart by blanks, any number; a text that is not UTF-8 (from a
   * file or the environment) has no field to offer. */
  stripped = g_strstrip (g_strdup (expression));
  {
    g_auto(GStrv) words = g_strsplit_set (stripped, " \t", -1);
    g_autoptr(GStrvBuilder) fields_found = g_strv_builder_new ();

    for (guint i = 0; words[i] != NULL; i++)
      if (words[i][0] != '\0')
        g_strv_builder_add (fields_found, words[i]);
    parts = g_strv_builder_end (fields_found);
  }
  if (!g_utf8_validate (expression, -1, NULL) || g_strv_length (parts) != N_FIELDS)
    {
      g_autofree char *shown = g_utf8_make_valid (expression, -1);

      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "schedule",
                              _("A schedule has five fields, minute hour day-of-month month day-of-week: “%s” does not"),
                              shown);
      return NULL;
    }
  for (guint field = 0; field < N_FIELDS; field++)
    {
      g_auto(GStrv) items = g_strsplit (parts[field], ",", -1);

      for (guint i = 0; items[i] != NULL; i++)
        if (!parse_item (self, field, items[i], expression, error))
          return NULL;
    }
  /* Sunday is 0 and 7. */
  if (self->bits[F_WEEKDAY] & (G_GUINT64_CONSTANT (1) << 7))
    self->bits[F_WEEKDAY] |= 1;
  /* "0 0 30 2 *" parses and never runs. */
  if (bourse_schedule_next (self, utc, 0) < 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "schedule", _("“%s” never runs"), expression);
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
bourse_schedule_free (BourseSchedule *self)
{
  g_free (self);
}

static gint64
offset_at (GTimeZone *tz,
           gint64     utc_s)
{
  return g_time_zone_get_offset (tz, g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, utc_s));
}

/* The instant (UTC seconds) of local wall time @local_s (seconds since the
 * epoch as if local time were UTC): its first occurrence, or the end of
 * the gap it falls in. */
static gint64
resolve_local (GTimeZone *tz,
               gint64     local_s)
{
  gint64 before = offset_at (tz, local_s - DAY_S);
  gint64 after = offset_at (tz, local_s + DAY_S);
  gint64 u1 = local_s - before, u2 = local_s - after;
  gboolean valid1 = offset_at (tz, u1) == before, valid2 = offset_at (tz, u2) == after;
  gint64 lo, hi;

  if (valid1 && valid2)
    return MIN (u1, u2);
  if (valid1)
    return u1;
  if (valid2)
    return u2;
  /* In a gap: the instant the new offset begins lies between the two. */
  lo = MIN (u1, u2);
  hi = MAX (u1, u2);
  while (lo < hi)
    {
      gint64 mid = lo + (hi - lo) / 2;

      if (offset_at (tz, mid) == after)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

static gboolean
has (const BourseSchedule *self,
     guint                 field,
     guint                 value)
{
  return (self->bits[field] >> value) & 1;
}

gint64
bourse_schedule_next (const BourseSchedule *self,
                      GTimeZone            *tz,
                      gint64                after_ms)
{
  gint64 after_s, local_after, first_day;
  GDate date;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (tz != NULL, -1);

  after_s = after_ms >= 0 ? after_ms / 1000 : -((-after_ms + 999) / 1000);
  local_after = after_s + offset_at (tz, after_s);
  first_day = local_after / DAY_S - (local_after < 0);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_JANUARY, 1970);
  if (first_day >= 0)
    g_date_add_days (&date, (guint) first_day);
  else
    g_date_subtract_days (&date, (guint) -first_day);

  for (gint64 day = first_day; day < first_day + SEARCH_DAYS; day++, g_date_add_days (&date, 1))
    {
      guint mday = g_date_get_day (&date);
      guint weekday = g_date_get_weekday (&date) % 7;   /* Monday 1 … Sunday 0 */
      gboolean day_ok;

      if (!has (self, F_MONTH, g_date_get_month (&date)))
        continue;
      if (self->restricted[F_DAY] && self->restricted[F_WEEKDAY])
        day_ok = has (self, F_DAY, mday) || has (self, F_WEEKDAY, weekday);
      else
        day_ok = has (self, F_DAY, mday) && has (self, F_WEEKDAY, weekday);
      if (!day_ok)
        continue;

      for (guint hour = 0; hour < 24; hour++)
        {
          if (!has (self, F_HOUR, hour))
            continue;
          for (guint minute = 0; minute < 60; minute++)
            {
              gint64 local_s = day * DAY_S + hour * 3600 + minute * 60;
              gint64 at_s;

              /* Local times resolve in order (a doubled one to its first
               * occurrence), and local_after itself resolves to after_s
               * or before: nothing up to it can be later. */
              if (!has (self, F_MINUTE, minute) || local_s <= local_after)
                continue;
              at_s = resolve_local (tz, local_s);
              if (at_s * 1000 > after_ms)
                return at_s * 1000;
            }
        }
    }
  return -1;
}

GTimeZone *
bourse_time_zone_new (const char  *name,
                      GError     **error)
{
  GTimeZone *tz = NULL;

  /* An empty name or a path would mean the local zone or a file. */
  if (name != NULL && name[0] != '\0' && name[0] != '/' && name[0] != ':' && strstr (name, "..") == NULL)
    tz = g_time_zone_new_identifier (name);
  if (tz == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (name != NULL ? name : "", -1);

      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "time_zone",
                              _("“%s” is not a time zone: give an IANA name such as Europe/Berlin"), shown);
    }
  return tz;
}
