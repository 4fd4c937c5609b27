/* test-market-import.c — the memory of `boursed market import` does not
 * grow with the file
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boursed-test-util.h"
#include "market/bourse-csv.h"

#if defined(__SANITIZE_ADDRESS__)
# define UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define UNDER_ASAN 1
# endif
#endif

#define MINUTE            G_GINT64_CONSTANT (60000)
/* 2020-01-01T00:00:00Z */
#define START_MS          G_GINT64_CONSTANT (1577836800000)
#define COMMAND_TIMEOUT_S 120

/* A Binance kline file of this many candles is 54 MB. The import that
 * held every candle (and mapped the file) peaked ~137 MiB above the
 * import of a thousand; streaming, it needs its page cache (64 MiB at
 * most, ~35 MiB here) and a few MiB of batches, whatever the size. */
#define BIG_FILE_CANDLES  400000
#define MAX_GROWTH_KIB    (80 * 1024)

static const char *boursed;

/* @n one-minute candles, a random walk, as Binance writes them. */
static char *
write_file (BoursedFixture *f,
            const char     *name,
            guint           n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261205);
  g_autoptr(GString) text = g_string_new (NULL);
  char *path = g_build_filename (f->dir, name, NULL);
  FILE *file = fopen (path, "w");
  gint64 price = 720000000000;

  g_assert_nonnull (file);
  for (guint done = 0; done < n;)
    {
      BourseCandle batch[1000];
      guint count = MIN (G_N_ELEMENTS (batch), n - done);

      for (guint i = 0; i < count; i++)
        {
          gint64 close = MAX (price + price / 1000 * g_rand_int_range (rand, -1000, 1001) / 1000, 100000000);

          batch[i] = (BourseCandle) {
            .open_time = START_MS + (gint64) (done + i) * MINUTE,
            .open = { price },
            .high = { MAX (price, close) + g_rand_int_range (rand, 0, 100000000) },
            .low = { MIN (price, close) - g_rand_int_range (rand, 0, 100000000) },
            .close = { close },
            .volume = { g_rand_int_range (rand, 1, 1000000000) },
            .trades = g_rand_int_range (rand, 1, 5000),
            .closed = TRUE,
          };
          price = close;
        }
      g_string_truncate (text, 0);
      bourse_csv_append_candles (text, BOURSE_CSV_FORMAT_BINANCE, BOURSE_INTERVAL_1M, batch, count);
      g_assert_cmpuint (fwrite (text->str, 1, text->len, file), ==, text->len);
      done += count;
    }
  g_assert_cmpint (fclose (file), ==, 0);
  return path;
}

/* Runs `boursed market import FILE` into @data_dir to its end; returns the
 * child's own peak resident set (ru_maxrss of wait4 (), in KiB). */
static glong
import_peak_kib (BoursedFixture *f,
                 const char     *path,
                 const char     *data_dir,
                 guint           expected_rows)
{
  g_autofree char *out_path = g_build_filename (f->dir, "import.out", NULL);
  g_autofree char *err_path = g_build_filename (f->dir, "import.err", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = g_strdup_printf ("Imported %u candles", expected_rows);
  const char *log_level[] = { "BOURSE_LOG_LEVEL=warning", NULL };
  g_auto(GStrv) env = boursed_child_environ (f, log_level);
  const char *argv[] = { boursed, "market", "import", path, "--symbol", "BTCUSDT", "--interval", "1m",
                         "--data-dir", data_dir, NULL };
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + COMMAND_TIMEOUT_S * G_USEC_PER_SEC;
  struct rusage usage = { 0 };
  int out_fd = open (out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int err_fd = open (err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int status = 0;
  GPid pid = 0;
  pid_t waited;

  g_assert_cmpint (out_fd, >=, 0);
  g_assert_cmpint (err_fd, >=, 0);
  g_test_message ("$ boursed market import %s --data-dir %s", path, data_dir);
  g_spawn_async_with_fds (f->dir, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD, boursed_child_setup, NULL, &pid,
                          -1, out_fd, err_fd, &error);
  g_assert_no_error (error);
  close (out_fd);
  close (err_fd);

  /* wait4 () gives this child's own usage, not that of every child. */
  while ((waited = wait4 (pid, &status, WNOHANG, &usage)) == 0 && g_get_monotonic_time () < deadline)
    g_usleep (20000);
  if (waited == 0)
    {
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      g_error ("boursed market import did not end within %d s", COMMAND_TIMEOUT_S);
    }
  g_assert_cmpint (waited, ==, pid);

  g_file_get_contents (out_path, &out, NULL, NULL);
  g_file_get_contents (err_path, &err, NULL, NULL);
  g_test_message ("exit %d, peak RSS %ld KiB\nstdout: %s\nstderr: %s", WIFEXITED (status) ? WEXITSTATUS (status) : -1,
                  usage.ru_maxrss, out, err);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_nonnull (strstr (out, expected));
  return usage.ru_maxrss;
}

/* A big file imports in about the memory of a small one: the import
 * streams its candles through in batches instead of holding them all. */
static void
test_flat_memory (BoursedFixture *f,
                  gconstpointer   data)
{
  g_autofree char *small = write_file (f, "small.csv", 1000);
  g_autofree char *big = write_file (f, "big.csv", BIG_FILE_CANDLES);
  g_autofree char *small_dir = g_build_filename (f->dir, "small", NULL);
  g_autofree char *big_dir = g_build_filename (f->dir, "big", NULL);
  glong small_kib = import_peak_kib (f, small, small_dir, 1000);
  glong big_kib = import_peak_kib (f, big, big_dir, BIG_FILE_CANDLES);

  g_test_message ("Peak RSS: %ld KiB for 1000 candles, %ld KiB for %u (%+ld KiB)", small_kib, big_kib,
                  BIG_FILE_CANDLES, big_kib - small_kib);
#ifdef UNDER_ASAN
  /* ASan's shadow memory and its quarantine of freed blocks are part of
   * the resident set: the figure says nothing about the import. */
  g_test_message ("Peak RSS not checked under AddressSanitizer");
#else
  g_assert_cmpint (big_kib - small_kib, <, MAX_GROWTH_KIB);
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  boursed = boursed_test_init ();
  if (boursed == NULL)
    return 1;

  g_test_add ("/market-import/flat-memory", BoursedFixture, NULL, boursed_fixture_set_up, test_flat_memory,
              boursed_fixture_tear_down);

  return g_test_run ();
}
