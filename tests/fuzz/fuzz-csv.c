/* fuzz-csv.c — the CSV parser of candle files
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a format byte, an interval byte, then the file. A refusal must name
 * a line and a column; an accepted file must hold valid candles in strictly
 * increasing order, and write back to a file that reads the same.
 */

#include <string.h>

#include "market/bourse-csv.h"

#include "fuzz-util.h"

static void
check_same (GArray *a,
            GArray *b)
{
  FUZZ_CHECK (a->len == b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const BourseCandle *x = &g_array_index (a, BourseCandle, i);
      const BourseCandle *y = &g_array_index (b, BourseCandle, i);

      FUZZ_CHECK (x->open_time == y->open_time);
      FUZZ_CHECK (x->open.units == y->open.units && x->high.units == y->high.units);
      FUZZ_CHECK (x->low.units == y->low.units && x->close.units == y->close.units);
      FUZZ_CHECK (x->volume.units == y->volume.units);
      FUZZ_CHECK (x->trades == y->trades && x->closed == y->closed);
    }
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
  g_autoptr(GArray) candles = NULL;
  g_autoptr(GArray) again = NULL;
  g_autoptr(GString) text = NULL;
  BourseCsvFormat format, detected = BOURSE_CSV_FORMAT_AUTO, detected_again = BOURSE_CSV_FORMAT_AUTO;
  BourseInterval interval;

  if (size < 2)
    return 0;
  format = data[0] % (BOURSE_CSV_FORMAT_GENERIC + 1);
  interval = data[1] % BOURSE_N_INTERVALS;
  data += 2, size -= 2;

  /* The parser takes a length: no terminator, so ASan sees a read past the end. */
  candles = bourse_csv_parse (size ? (const char *)data : NULL, size, format, interval, &detected, &error);
  if (candles == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == BOURSE_CSV_ERROR);
      FUZZ_CHECK (bourse_csv_error_get_line (error) >= 1);
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  FUZZ_CHECK (error == NULL && candles->len > 0);
  FUZZ_CHECK (detected == BOURSE_CSV_FORMAT_BINANCE || detected == BOURSE_CSV_FORMAT_GENERIC);
  FUZZ_CHECK (format == BOURSE_CSV_FORMAT_AUTO || detected == format);
  for (guint i = 0; i < candles->len; i++)
    {
      const BourseCandle *candle = &g_array_index (candles, BourseCandle, i);

      FUZZ_CHECK (bourse_candle_validate (candle, interval, NULL));
      if (i > 0)
        FUZZ_CHECK (candle->open_time > g_array_index (candles, BourseCandle, i - 1).open_time);
    }

  text = g_string_new (NULL);
  bourse_csv_append_header (text, detected);
  bourse_csv_append_candles (text, detected, interval, (const BourseCandle *)(gconstpointer)candles->data,
                             candles->len);
  again = bourse_csv_parse (text->str, text->len, detected, interval, &detected_again, &error);
  if (again == NULL)
    g_printerr ("Written back, the file is refused: %s\n", error->message);
  FUZZ_CHECK (again != NULL);
  check_same (candles, again);
  return 0;
}
