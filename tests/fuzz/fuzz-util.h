/* fuzz-util.h — what every harness of tests/fuzz shares
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdint.h>
#include <stdlib.h>

#include <glib.h>

G_BEGIN_DECLS

/* The entry points of libFuzzer, or of fuzz-replay.c in builds without it. */
int  LLVMFuzzerInitialize   (int             *argc,
                             char          ***argv);
int  LLVMFuzzerTestOneInput (const uint8_t   *data,
                             size_t           size);

/* A property the code under test must keep, whatever the input: a broken
 * one is a finding, reported like a crash (abort), so libFuzzer keeps the
 * input. Not g_assert: G_DISABLE_ASSERT must not turn the checks off. */
#define FUZZ_CHECK(expr)                                                          \
  G_STMT_START {                                                                  \
    if (G_UNLIKELY (!(expr)))                                                     \
      {                                                                           \
        g_printerr ("%s:%d: property broken: %s\n", __FILE__, __LINE__, #expr);   \
        abort ();                                                                 \
      }                                                                           \
  } G_STMT_END

/* Criticals are bugs that an input reached (a g_return_if_fail on the way):
 * fatal, so libFuzzer reports them with the input. */
void bourse_fuzz_init_logging (void);

G_END_DECLS
