/* fuzz-replay.c — runs a harness over files, in builds without libFuzzer
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The gcc builds (and their ASan + UBSan run) link every harness with this
 * instead of libFuzzer, and replay the committed corpus: each input that
 * once crashed stays a test where libFuzzer is not installed.
 *
 *   fuzz-NAME FILE-OR-DIRECTORY…
 */

#include "config.h"

#include <string.h>

#include "fuzz-util.h"

static guint n_inputs;

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

static void
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree uint8_t *data = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);

  /* Exactly the input's size, so that a read past its end is seen. */
  data = g_malloc (MAX (length, 1));
  memcpy (data, contents, length);
  LLVMFuzzerTestOneInput (data, length);
  n_inputs++;
}

static void
replay (const char *path)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      replay_file (path);
      return;
    }

  /* In a stable order, so that a failure is reproduced the same way. */
  dir = g_dir_open (path, 0, NULL);
  names = g_ptr_array_new_with_free_func (g_free);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    replay (g_ptr_array_index (names, i));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *name = g_path_get_basename (argv[0]);

  if (argc < 2)
    {
      g_printerr ("Usage: %s FILE-OR-DIRECTORY…\n", name);
      return 2;
    }

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    replay (argv[i]);
  g_print ("%s: %u inputs replayed\n", name, n_inputs);
  return 0;
}
