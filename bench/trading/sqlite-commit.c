/* sqlite-commit.c — the bare SQLite durable-commit rate: the physical limit of an acknowledged order
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-trading-sqlite-commit DATABASE SECONDS
 *
 * Opens (or creates) DATABASE with the pragmas BourseStore uses for its
 * writer (src/core/bourse-store.c: foreign_keys ON, journal_mode WAL,
 * synchronous FULL; the default WAL auto-checkpoint), then for SECONDS
 * commits one transaction after another — BEGIN IMMEDIATE, one INSERT of a
 * row about the size of an order's, COMMIT — on one connection, as the
 * engine's single writer does. Prints one line of key=value pairs: commits,
 * seconds, commits_per_s, p50_ms, p99_ms, max_ms (the latency of one
 * BEGIN…COMMIT) and cpu_us (user + system CPU time per commit). Put
 * DATABASE on the disk whose limit you want: next to the bourse.db being
 * measured.
 */

#include <glib.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

static int
compare_int64 (const void *a,
               const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Microseconds of CPU time (user + system) of the process so far. */
static gint64
cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC
         + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static gboolean
exec (sqlite3    *db,
      const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_printerr ("bench-trading-sqlite-commit: %s: %s\n", sql, message != NULL ? message : sqlite3_errmsg (db));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* About what an order row holds: symbol, side, type, decimals, times, a UUID. */
  static const char payload[] = "BENCHUSDT|BUY|MARKET|GTC|100000000|0|10002000000|bourse-3f2b1c9a-7d4e-4b8a-9c1d|"
                                "2026-12-05T22:24:20.767Z|2026-12-05T22:24:20.768Z";
  double seconds;
  gint64 start, deadline, now, cpu_start;
  guint n;

  if (argc != 3 || (seconds = g_ascii_strtod (argv[2], NULL)) <= 0)
    {
      g_printerr ("Usage: %s DATABASE SECONDS\n", argv[0]);
      return 2;
    }

  if (sqlite3_open_v2 (argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
    {
      g_printerr ("bench-trading-sqlite-commit: cannot open %s: %s\n", argv[1], sqlite3_errmsg (db));
      return 1;
    }
  sqlite3_busy_timeout (db, 5000);
  if (!exec (db, "PRAGMA foreign_keys = ON")
      || !exec (db, "PRAGMA journal_mode = WAL")
      || !exec (db, "PRAGMA synchronous = FULL")
      || !exec (db, "CREATE TABLE IF NOT EXISTS commits (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, "
                    "payload TEXT NOT NULL)"))
    return 1;
  if (sqlite3_prepare_v2 (db, "INSERT INTO commits (time, payload) VALUES (?, ?)", -1, &insert, NULL) != SQLITE_OK)
    {
      g_printerr ("bench-trading-sqlite-commit: %s\n", sqlite3_errmsg (db));
      return 1;
    }

  cpu_start = cpu_us ();
  start = g_get_monotonic_time ();
  deadline = start + (gint64) (seconds * G_USEC_PER_SEC);
  do
    {
      gint64 begun = g_get_monotonic_time (), latency;

      if (!exec (db, "BEGIN IMMEDIATE"))
        return 1;
      sqlite3_bind_int64 (insert, 1, g_get_real_time ());
      sqlite3_bind_text (insert, 2, payload, -1, SQLITE_STATIC);
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          g_printerr ("bench-trading-sqlite-commit: INSERT: %s\n", sqlite3_errmsg (db));
          return 1;
        }
      sqlite3_reset (insert);
      if (!exec (db, "COMMIT"))
        return 1;
      now = g_get_monotonic_time ();
      latency = now - begun;
      g_array_append_val (latencies, latency);
    }
  while (now < deadline);

  cpu_start = cpu_us () - cpu_start;
  sqlite3_finalize (insert);
  sqlite3_close (db);

  n = latencies->len;
  qsort (latencies->data, n, sizeof (gint64), compare_int64);
  printf ("commits=%u seconds=%.3f commits_per_s=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f cpu_us=%.1f\n",
          n, (now - start) / 1e6, n / ((now - start) / 1e6),
          g_array_index (latencies, gint64, n / 2) / 1e3,
          g_array_index (latencies, gint64, MIN (n - 1, (guint) (n * 0.99))) / 1e3,
          g_array_index (latencies, gint64, n - 1) / 1e3, (double) cpu_start / n);
  return 0;
}
