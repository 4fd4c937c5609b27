/* die-on-sql.c — a crash at an exact point, for test-trading-durability
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preloaded into a real boursed (LD_PRELOAD), it lets every SQLite statement
 * run, except that the process kills itself with SIGKILL the moment it is
 * about to step a statement whose SQL starts with $BOURSE_TEST_DIE_ON_SQL:
 * the crash a random kill lands on only sometimes, on purpose and every
 * time. Nothing of the engine is replaced: what it wrote before is on disk
 * as it left it, what it was writing is lost with its open transaction.
 */

#define _GNU_SOURCE

#include <dlfcn.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
sqlite3_step (sqlite3_stmt *stmt)
{
  static int (*real_step) (sqlite3_stmt *);
  const char *prefix = getenv ("BOURSE_TEST_DIE_ON_SQL");
  const char *sql;

  if (real_step == NULL)
    real_step = (int (*) (sqlite3_stmt *)) dlsym (RTLD_NEXT, "sqlite3_step");
  if (prefix != NULL && *prefix != '\0' && (sql = sqlite3_sql (stmt)) != NULL
      && strncmp (sql, prefix, strlen (prefix)) == 0)
    kill (getpid (), SIGKILL);
  return real_step (stmt);
}
