/* fuzz-engine.h — one engine (and server) per fuzzing process
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "server/bourse-server.h"

G_BEGIN_DECLS

typedef struct
{
  char         *data_dir;
  BourseEngine *engine;
  BourseServer *server;     /* only with bourse_fuzz_server_new () */
  guint16       port;
  char         *token;      /* the local owner's bearer token: an administrator */
} BourseFuzzEngine;

/* An engine on a temporary data directory that is removed at exit, on the
 * calling thread's default context, with cheap password hashing and no
 * simulated market. @settings: "section", "key", "value" triples,
 * NULL-terminated (may be NULL). Created once per process: libFuzzer runs
 * millions of inputs against the same engine, as a daemon serves them. */
BourseFuzzEngine *bourse_fuzz_engine_new    (const char * const *settings);
/* Dispatches what the engine left on the calling thread's context. */
void              bourse_fuzz_engine_spin   (BourseFuzzEngine   *self);
/* An engine and its server on a thread and context of their own, so that a
 * harness can talk to it over blocking sockets on 127.0.0.1:port. */
BourseFuzzEngine *bourse_fuzz_server_new    (const char * const *settings);
/* Whether LeakSanitizer ignores what the engine's thread allocates from
 * now on. libsoup 3.2 leaks 336 bytes for each connection it accepts
 * (tests/lsan.supp); a suppression by function name needs slow unwinding
 * on every malloc, so a harness ignores the engine thread's allocations
 * instead while a new connection is accepted. */
void              bourse_fuzz_server_ignore_leaks (BourseFuzzEngine *self,
                                                   gboolean          ignore);

G_END_DECLS
