/* test-store.c — the SQLite store: pragmas, migrations, version guard
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "core/bourse-store.h"

#include "bourse-test-server.h"

/* What the store logs: g_test_expect_message () does not see structured
 * logging in GLib 2.74. */
static GString *log_text;

static GLogWriterOutput
record_log_writer (GLogLevelFlags   level,
                   const GLogField *fields,
                   gsize            n_fields,
                   gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
      g_string_append_printf (log_text, "%s\n", (const char *) fields[i].value);
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static guint
count_logged (const char *pattern)
{
  g_auto(GStrv) lines = g_strsplit (log_text->str, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_pattern_match_simple (pattern, lines[i]);
  return n;
}

static char *
temp_db (char **dir)
{
  g_autoptr(GError) error = NULL;

  *dir = g_dir_make_tmp ("bourse-store-XXXXXX", &error);
  g_assert_no_error (error);
  /* A nested directory that does not exist yet: open must create it. */
  return g_build_filename (*dir, "nested", "bourse.db", NULL);
}

static void
remove_db (const char *dir,
           const char *path)
{
  g_autofree char *nested = g_path_get_dirname (path);
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (nested);
  g_rmdir (dir);
}

static char *
query_text (BourseStore *store,
            const char  *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = bourse_store_prepare (store, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

static void
test_fresh_database (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_db (&dir);
  g_autoptr(GError) error = NULL;
  BourseStore *store = bourse_store_open (path, &error);
  static const char * const tables[] = { "users", "sessions", "audit_log", "config", "statistics" };
  g_autofree char *journal = NULL;
  g_autofree char *foreign_keys = NULL;
  g_autofree char *synchronous = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (bourse_store_get_latest_version (), >=, 1);
  g_assert_cmpint (bourse_store_get_schema_version (store), ==, bourse_store_get_latest_version ());

  journal = bourse_store_dup_journal_mode (store);
  g_assert_cmpstr (journal, ==, "wal");
  foreign_keys = query_text (store, "PRAGMA foreign_keys");
  g_assert_cmpstr (foreign_keys, ==, "1");
  synchronous = query_text (store, "PRAGMA synchronous");
  g_assert_cmpstr (synchronous, ==, "2");  /* FULL */

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autoptr(sqlite3_stmt) stmt =
        bourse_store_prepare (store, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", &error);
      g_assert_no_error (error);
      sqlite3_bind_text (stmt, 1, tables[i], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    }

  /* Foreign keys are enforced, not just declared. */
  g_assert_false (bourse_store_exec (store,
                                     "INSERT INTO sessions (user_id, refresh_token_hash, created_at, expires_at) "
                                     "VALUES (42, 'h', 'now', 'later')", &error));
  g_assert_error (error, BOURSE_STORE_ERROR, BOURSE_STORE_ERROR_SQL);
  g_clear_error (&error);

  g_assert_true (bourse_store_check (store, &error));
  g_assert_no_error (error);

  g_assert_finalize_object (store);
  remove_db (dir, path);
}

static void
test_reopen_keeps_data (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_db (&dir);
  g_autoptr(GError) error = NULL;
  BourseStore *store = bourse_store_open (path, &error);
  g_autofree char *value = NULL;

  g_assert_no_error (error);
  g_assert_true (bourse_store_exec (store, "INSERT INTO config (key, value, updated_at) VALUES ('k', 'v', 't')", &error));
  g_assert_finalize_object (store);

  store = bourse_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bourse_store_get_schema_version (store), ==, bourse_store_get_latest_version ());
  value = query_text (store, "SELECT value FROM config WHERE key = 'k'");
  g_assert_cmpstr (value, ==, "v");
  g_assert_finalize_object (store);

  store = bourse_store_open_readonly (path, &error);
  g_assert_no_error (error);
  g_assert_false (bourse_store_exec (store, "DELETE FROM config", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_finalize_object (store);

  remove_db (dir, path);
}

static void
test_newer_database_refused (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_db (&dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %d", bourse_store_get_latest_version () + 1);
  g_autofree char *version = NULL;
  BourseStore *store = bourse_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (bourse_store_exec (store, pragma, &error));
  g_assert_finalize_object (store);

  store = bourse_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, BOURSE_STORE_ERROR, BOURSE_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "only knows up to"));
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  /* Refused means untouched. */
  store = bourse_store_open_readonly (path, &error);
  g_assert_no_error (error);
  version = query_text (store, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, bourse_store_get_latest_version () + 1);
  g_assert_finalize_object (store);

  remove_db (dir, path);
}

static void
test_not_a_database (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_db (&dir);
  g_autofree char *nested = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  BourseStore *store;

  g_mkdir_with_parents (nested, 0700);
  g_file_set_contents (path, "this is not SQLite, just some text that is long enough to have a header", -1, &error);
  g_assert_no_error (error);

  store = bourse_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, BOURSE_STORE_ERROR, BOURSE_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, path));

  remove_db (dir, path);
}

static void
test_transactions (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_db (&dir);
  g_autoptr(GError) error = NULL;
  BourseStore *store = bourse_store_open (path, &error);
  g_autofree char *count = NULL;

  g_assert_no_error (error);
  g_assert_true (bourse_store_begin (store, &error));
  g_assert_true (bourse_store_exec (store, "INSERT INTO config (key, value, updated_at) VALUES ('a', '1', 't')", &error));
  bourse_store_rollback (store);
  count = query_text (store, "SELECT count(*) FROM config");
  g_assert_cmpstr (count, ==, "0");

  g_assert_finalize_object (store);
  remove_db (dir, path);
}

static guint
mode_of (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

/* The database holds password hashes and the audit: it, its -wal and -shm
 * and the data directory made for them are the owner's alone, whatever
 * the umask. */
static void
test_private_files (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_db (&dir);
  g_autofree char *nested = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  mode_t umask_was = umask (022);
  BourseStore *store = bourse_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (bourse_store_exec (store, "INSERT INTO config (key, value, updated_at) VALUES ('a', '1', 'now')",
                                    &error));
  g_assert_no_error (error);

  g_assert_cmpuint (mode_of (nested), ==, 0700);
  g_assert_cmpuint (mode_of (path), ==, 0600);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (mode_of (wal), ==, 0600);
  g_assert_cmpuint (mode_of (shm), ==, 0600);

  g_assert_finalize_object (store);
  umask (umask_was);
  remove_db (dir, path);
}

/* A data directory, or a database, that others can read is said, once a
 * path, naming the fix: they were made so on purpose, or by an older
 * version, and are left as they are. */
static void
test_readable_warned (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = temp_db (&dir);
  g_autofree char *nested = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  mode_t umask_was = umask (022);
  BourseStore *store;
  BourseStore *again;

  g_assert_cmpint (g_mkdir (nested, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  g_string_truncate (log_text, 0);
  store = bourse_store_open (path, &error);
  g_assert_no_error (error);
  /* Not twice for the same files (workers open their own connections). */
  again = bourse_store_open (path, &error);
  g_assert_no_error (error);
  g_test_message ("%s", log_text->str);
  g_assert_cmpuint (count_logged ("The data directory *nested can be read by other users (mode 755)*chmod 700*"),
                    ==, 1);
  g_assert_cmpuint (count_logged ("The database *bourse.db can be read by other users (mode 644)*chmod 600*"), ==, 1);

  g_assert_cmpuint (mode_of (nested), ==, 0755);
  g_assert_cmpuint (mode_of (path), ==, 0644);

  g_assert_finalize_object (again);
  g_assert_finalize_object (store);
  umask (umask_was);
  remove_db (dir, path);
}

int
main (int   argc,
      char *argv[])
{
  log_text = g_string_new (NULL);
  g_log_set_writer_func (record_log_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/fresh", test_fresh_database);
  g_test_add_func ("/store/reopen", test_reopen_keeps_data);
  g_test_add_func ("/store/newer-refused", test_newer_database_refused);
  g_test_add_func ("/store/not-a-database", test_not_a_database);
  g_test_add_func ("/store/transactions", test_transactions);
  g_test_add_func ("/store/private-files", test_private_files);
  g_test_add_func ("/store/readable-warned", test_readable_warned);

  return g_test_run ();
}
