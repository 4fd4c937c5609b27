/* fuzz-util.c — what every harness of tests/fuzz shares
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include "fuzz-util.h"

static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  static guint n_warnings;
  static gboolean verbose = -1;

  if (verbose == -1)
    verbose = g_getenv ("BOURSE_FUZZ_VERBOSE") != NULL;

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }

  /* Millions of inputs: a warning an input may cause would fill the log. */
  if (verbose || ((log_level & G_LOG_LEVEL_WARNING) && n_warnings++ < 10))
    return g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

void
bourse_fuzz_init_logging (void)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}
