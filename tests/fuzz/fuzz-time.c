/* fuzz-time.c — the RFC 3339 and interval parsers, and candle alignment
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: an interval byte, then a text. An accepted date and time must
 * print back to the same instant; alignment must give the open of the
 * candle holding it, and the next open after it.
 */

#include <string.h>

#include "core/bourse-time.h"

#include "fuzz-util.h"

#define DAY_MS G_GINT64_CONSTANT (86400000)

static void
check_alignment (BourseInterval interval,
                 gint64         ms)
{
  gint64 open, next;

  if (ms < BOURSE_TIME_MIN_MS || ms > BOURSE_TIME_MAX_MS)
    return;

  open = bourse_interval_align (interval, ms);
  FUZZ_CHECK (open <= ms);
  next = bourse_interval_next (interval, ms);
  FUZZ_CHECK (next > ms);
  /* The week holding 0000-01-01 opens before the range. */
  if (open >= BOURSE_TIME_MIN_MS)
    {
      FUZZ_CHECK (bourse_interval_align (interval, open) == open);
      FUZZ_CHECK (next == bourse_interval_next (interval, open));
    }
  if (next <= BOURSE_TIME_MAX_MS)
    FUZZ_CHECK (bourse_interval_align (interval, next) == next);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  bourse_fuzz_init_logging ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  BourseInterval interval, parsed;
  gint64 ms, again;

  if (size < 1)
    return 0;
  interval = data[0] % BOURSE_N_INTERVALS;
  text = g_malloc (size);
  memcpy (text, data + 1, size - 1);
  text[size - 1] = '\0';

  if (bourse_time_parse_rfc3339 (text, &ms, &error))
    {
      g_autofree char *printed = NULL;

      /* An offset may carry the instant a day at most outside 0000–9999
       * (the callers check the range); inside, it prints back the same. */
      FUZZ_CHECK (ms >= BOURSE_TIME_MIN_MS - DAY_MS && ms <= BOURSE_TIME_MAX_MS + DAY_MS);
      printed = bourse_time_format_rfc3339 (ms);
      if (ms >= BOURSE_TIME_MIN_MS && ms <= BOURSE_TIME_MAX_MS)
        FUZZ_CHECK (bourse_time_parse_rfc3339 (printed, &again, NULL) && again == ms);
      check_alignment (interval, ms);
    }
  else
    FUZZ_CHECK (error != NULL && g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  if (bourse_interval_parse (text, &parsed, &error))
    FUZZ_CHECK (g_str_equal (bourse_interval_to_string (parsed), text));
  else
    FUZZ_CHECK (error != NULL && g_utf8_validate (error->message, -1, NULL));

  /* The bytes as an instant too, so alignment sees every part of the range. */
  if (size >= 9)
    {
      guint64 bits;

      memcpy (&bits, data + 1, sizeof bits);
      ms = BOURSE_TIME_MIN_MS + (gint64)(bits % (guint64)(BOURSE_TIME_MAX_MS - BOURSE_TIME_MIN_MS + 1));
      check_alignment (interval, ms);
      {
        g_autofree char *printed = bourse_time_format_rfc3339 (ms);

        FUZZ_CHECK (bourse_time_parse_rfc3339 (printed, &again, NULL) && again == ms);
      }
    }
  return 0;
}
