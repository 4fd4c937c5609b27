/* gen-candles.c — the rows bench/market/run.sh imports, in two files
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-market-gen-candles N BINANCE.csv ROWS.csv
 *
 * N one-minute candles from 2020-01-01, a random walk from a fixed seed,
 * written twice: as a Binance kline file (what `boursed market import`
 * reads) and as the candles table's own columns (instrument_id, interval,
 * open_time, open … closed, values in units of 10^-8), which the sqlite3
 * command line's .import loads into the same table. The same rows, so the
 * two imports compare.
 */

#include <stdio.h>
#include <stdlib.h>

#include "market/bourse-csv.h"

#define START_MS G_GINT64_CONSTANT (1577836800000)  /* 2020-01-01T00:00:00Z */
#define MINUTE   G_GINT64_CONSTANT (60000)
#define BATCH    10000

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261121);
  g_autoptr(GString) binance = g_string_new (NULL);
  g_autoptr(GString) rows = g_string_new (NULL);
  BourseCandle batch[BATCH];
  FILE *binance_file, *rows_file;
  gint64 price = 720000000000;  /* 7200.00000000 */
  guint64 n;

  if (argc != 4 || (n = g_ascii_strtoull (argv[1], NULL, 10)) == 0)
    {
      fprintf (stderr, "Usage: %s N BINANCE.csv ROWS.csv\n", argv[0]);
      return 2;
    }
  if ((binance_file = fopen (argv[2], "w")) == NULL || (rows_file = fopen (argv[3], "w")) == NULL)
    {
      perror ("bench-market-gen-candles");
      return 1;
    }

  for (guint64 done = 0; done < n;)
    {
      guint count = MIN (BATCH, n - done);

      for (guint i = 0; i < count; i++)
        {
          BourseCandle *c = &batch[i];
          /* Moves of up to ±0.1 %, wicks of up to 0.05 %, all in whole units. */
          gint64 move = price / 1000 * g_rand_int_range (rand, -1000, 1001) / 1000;
          gint64 open = price;
          gint64 close = MAX (price + move, 100000000);

          c->open_time = START_MS + (gint64) (done + i) * MINUTE;
          c->open.units = open;
          c->close.units = close;
          c->high.units = MAX (open, close) + MAX (open, close) / 2000 * g_rand_int_range (rand, 0, 1000) / 1000;
          c->low.units = MIN (open, close) - MIN (open, close) / 2000 * g_rand_int_range (rand, 0, 1000) / 1000;
          c->volume.units = (gint64) g_rand_int_range (rand, 0, 100000) * 100000 + g_rand_int_range (rand, 0, 100000);
          c->trades = g_rand_int_range (rand, 1, 5000);
          c->closed = TRUE;
          price = close;

          g_string_append_printf (rows, "1,1m,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
                                  ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
                                  ",%" G_GINT64_FORMAT ",1\n",
                                  c->open_time, c->open.units, c->high.units, c->low.units, c->close.units,
                                  c->volume.units, c->trades);
        }
      bourse_csv_append_candles (binance, BOURSE_CSV_FORMAT_BINANCE, BOURSE_INTERVAL_1M, batch, count);
      if (fwrite (binance->str, 1, binance->len, binance_file) != binance->len
          || fwrite (rows->str, 1, rows->len, rows_file) != rows->len)
        {
          perror ("bench-market-gen-candles");
          return 1;
        }
      g_string_truncate (binance, 0);
      g_string_truncate (rows, 0);
      done += count;
    }

  if (fclose (binance_file) != 0 || fclose (rows_file) != 0)
    {
      perror ("bench-market-gen-candles");
      return 1;
    }
  return 0;
}
