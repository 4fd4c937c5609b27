/* bourse-store.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bourse-core-resources.h"
#include "bourse-json.h"
#include "bourse-store.h"

#define MIGRATIONS_PATH "/io/github/bourse/Bourse/migrations/"

struct _BourseStore
{
  GObject       parent_instance;
  sqlite3      *db;
  sqlite3_stmt *probe;   /* prepared once: /health runs it on every call */
  GHashTable   *statements;   /* SQL text → CachedStatement: bourse_store_statement () */
  char         *path;
  int           schema_version;
  gboolean      read_open;   /* a BEGIN of bourse_store_begin_read () is open */
};

G_DEFINE_FINAL_TYPE (BourseStore, bourse_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (bourse-store-error-quark, bourse_store_error)

/* A statement kept prepared for its store's life, lent to one user at a
 * time. The registry maps every lent statement to its entry, so a release
 * (which only has the statement) knows to reset it rather than finalize
 * it; a store per thread, one lock for all. */
typedef struct
{
  sqlite3_stmt *stmt;
  gboolean      lent;
} CachedStatement;

G_LOCK_DEFINE_STATIC (registry);
static GHashTable *registry;   /* sqlite3_stmt * → CachedStatement * */

static void
cached_statement_free (CachedStatement *cached)
{
  G_LOCK (registry);
  g_hash_table_remove (registry, cached->stmt);
  G_UNLOCK (registry);
  sqlite3_finalize (cached->stmt);
  g_free (cached);
}

static void
bourse_store_finalize (GObject *object)
{
  BourseStore *self = (BourseStore *)object;

  bourse_store_close (self);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->statements, g_hash_table_unref);

  G_OBJECT_CLASS (bourse_store_parent_class)->finalize (object);
}

static void
bourse_store_class_init (BourseStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bourse_store_finalize;
}

static void
bourse_store_init (BourseStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) cached_statement_free);
}

void
bourse_store_set_error (BourseStore  *self,
                        GError      **error)
{
  int code;

  g_return_if_fail (BOURSE_IS_STORE (self));

  code = sqlite3_errcode (self->db);
  g_set_error (error, BOURSE_STORE_ERROR,
               (code & 0xff) == SQLITE_CONSTRAINT ? BOURSE_STORE_ERROR_CONSTRAINT
                                                  : BOURSE_STORE_ERROR_SQL,
               "%s", sqlite3_errmsg (self->db));
}

gboolean
bourse_store_exec (BourseStore  *self,
                   const char   *sql,
                   GError      **error)
{
  char *message = NULL;

  g_return_val_if_fail (BOURSE_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->db != NULL, FALSE);

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, BOURSE_STORE_ERROR, BOURSE_STORE_ERROR_SQL, "%s",
                   message ? message : sqlite3_errmsg (self->db));
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

sqlite3_stmt *
bourse_store_prepare (BourseStore  *self,
                      const char   *sql,
                      GError      **error)
{
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (BOURSE_IS_STORE (self), NULL);

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      bourse_store_set_error (self, error);
      return NULL;
    }

  return stmt;
}

/* BEGIN and COMMIT run as often as anything: kept prepared like the rest. */
static gboolean
run_cached (BourseStore  *self,
            const char   *sql,
            GError      **error)
{
  g_autoptr(BourseStatement) stmt = bourse_store_statement (self, sql, error);

  return stmt != NULL && bourse_store_step_done (self, stmt, error);
}

gboolean
bourse_store_begin (BourseStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (BOURSE_IS_STORE (self), FALSE);

  /* A write inside a read scope ends the scope's snapshot first: the write
   * takes the lock on the newest state, and never fails with
   * SQLITE_BUSY_SNAPSHOT because another process wrote since the read. */
  if (self->read_open && !sqlite3_get_autocommit (self->db) && !run_cached (self, "COMMIT", error))
    return FALSE;
  self->read_open = FALSE;

  /* IMMEDIATE takes the write lock up front, so a transaction never fails
   * half-way with SQLITE_BUSY because a reader upgraded first. */
  return run_cached (self, "BEGIN IMMEDIATE", error);
}

gboolean
bourse_store_commit (BourseStore  *self,
                     GError      **error)
{
  g_return_val_if_fail (BOURSE_IS_STORE (self), FALSE);

  return run_cached (self, "COMMIT", error);
}

void
bourse_store_begin_read (BourseStore *self)
{
  g_return_if_fail (BOURSE_IS_STORE (self));

  /* Inside a caller's transaction already, or a failed BEGIN: the reads
   * then run as they would have without the scope. */
  if (self->db == NULL || !sqlite3_get_autocommit (self->db))
    return;
  self->read_open = run_cached (self, "BEGIN", NULL);
}

void
bourse_store_end_read (BourseStore *self)
{
  g_return_if_fail (BOURSE_IS_STORE (self));

  if (!self->read_open)
    return;
  self->read_open = FALSE;
  /* Ended already by a write's bourse_store_begin () or a rollback. */
  if (!sqlite3_get_autocommit (self->db) && !run_cached (self, "COMMIT", NULL))
    bourse_store_rollback (self);
}

gboolean
bourse_store_in_transaction (BourseStore *self)
{
  g_return_val_if_fail (BOURSE_IS_STORE (self), FALSE);

  return self->db != NULL && !self->read_open && !sqlite3_get_autocommit (self->db);
}

gboolean
bourse_store_step_done (BourseStore   *self,
                        sqlite3_stmt  *stmt,
                        GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (self, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
bourse_store_step_row (BourseStore   *self,
                       sqlite3_stmt  *stmt,
                       gboolean      *row,
                       GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      bourse_store_set_error (self, error);
      return FALSE;
    }
  *row = rc == SQLITE_ROW;
  return TRUE;
}

void
bourse_store_rollback (BourseStore *self)
{
  g_return_if_fail (BOURSE_IS_STORE (self));

  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
read_user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return version;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

/* Migrations are "NNNN-description.sql"; the number is the schema version
 * the file brings the database to. */
static char **
list_migrations (void)
{
  char **names;

  /* Referencing the resource keeps its object file, whose constructor
   * registers it, in every program linking the static library. */
  (void)bourse_core_get_resource ();
  names = g_resources_enumerate_children (MIGRATIONS_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (names == NULL)
    return g_new0 (char *, 1);

  qsort (names, g_strv_length (names), sizeof (char *), compare_names);
  return names;
}

static int
migration_version (const char *name)
{
  return (int)g_ascii_strtoll (name, NULL, 10);
}

int
bourse_store_get_latest_version (void)
{
  /* The migrations are compiled in: listing them once is enough, and
   * GET /api/v1/version asks on every call. */
  static gsize latest_plus_one = 0;

  if (g_once_init_enter (&latest_plus_one))
    {
      g_auto(GStrv) names = list_migrations ();
      guint n = g_strv_length (names);

      g_once_init_leave (&latest_plus_one, (gsize)(n == 0 ? 0 : migration_version (names[n - 1])) + 1);
    }
  return (int)(latest_plus_one - 1);
}

static gboolean
migrate (BourseStore  *self,
         GError      **error)
{
  g_auto(GStrv) names = list_migrations ();
  int current = read_user_version (self->db);
  int latest = bourse_store_get_latest_version ();

  if (current > latest)
    {
      g_set_error (error, BOURSE_STORE_ERROR, BOURSE_STORE_ERROR_TOO_NEW,
                   _("The database %s has schema version %d, but this version of Bourse (%s) "
                     "only knows up to %d. Upgrade Bourse, or use another data directory."),
                   self->path, current, PACKAGE_VERSION, latest);
      return FALSE;
    }

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *resource = g_strconcat (MIGRATIONS_PATH, names[i], NULL);
      g_autofree char *pragma = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *sql = NULL;
      int version = migration_version (names[i]);

      if (version <= current)
        continue;

      bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return FALSE;
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      pragma = g_strdup_printf ("PRAGMA user_version = %d", version);

      /* Each migration and its version bump commit together or not at all. */
      if (!bourse_store_begin (self, &local_error)
          || !bourse_store_exec (self, sql, &local_error)
          || !bourse_store_exec (self, pragma, &local_error)
          || !bourse_store_commit (self, &local_error))
        {
          bourse_store_rollback (self);
          g_set_error (error, BOURSE_STORE_ERROR, BOURSE_STORE_ERROR_MIGRATION,
                       _("Migration %s of %s failed: %s"), names[i], self->path, local_error->message);
          return FALSE;
        }

      g_info ("Applied migration %s to %s", names[i], self->path);
      current = version;
    }

  self->schema_version = current;
  return TRUE;
}

/* Paths already said to be readable by others: every worker opens its own
 * connection, and once is enough. */
G_LOCK_DEFINE_STATIC (warned);
static GHashTable *warned;

static void
warn_if_shared (const char *path,
                gboolean    is_dir)
{
  GStatBuf st;
  gboolean first;

  if (g_stat (path, &st) != 0 || (st.st_mode & (S_IRWXG | S_IRWXO)) == 0)
    return;

  G_LOCK (warned);
  if (warned == NULL)
    warned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  first = g_hash_table_add (warned, g_strdup (path));
  G_UNLOCK (warned);
  if (!first)
    return;

  if (is_dir)
    g_message (_("The data directory %s can be read by other users (mode %03o): make it yours alone with "
                 "chmod 700 %s"), path, (guint) (st.st_mode & 0777), path);
  else
    g_message (_("The database %s can be read by other users (mode %03o): make it yours alone with "
                 "chmod 600 %s"), path, (guint) (st.st_mode & 0777), path);
}

/* SQLite makes a database 0644 (less the umask), and its -wal and -shm
 * take the database's mode: made here first, 0600, all three are the
 * owner's alone. An empty file is an empty database to SQLite. */
static gboolean
create_private (const char  *path,
                GError     **error)
{
  int fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  int saved_errno = errno;

  if (fd >= 0)
    return g_close (fd, error);
  if (saved_errno == EEXIST)
    {
      warn_if_shared (path, FALSE);
      return TRUE;
    }
  g_set_error (error, BOURSE_STORE_ERROR, BOURSE_STORE_ERROR_OPEN, _("Cannot create the database %s: %s"), path,
               g_strerror (saved_errno));
  return FALSE;
}

static BourseStore *
open_database (const char  *path,
               gboolean     read_only,
               GError     **error)
{
  g_autoptr(BourseStore) self = g_object_new (BOURSE_TYPE_STORE, NULL);
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  gboolean memory = g_strcmp0 (path, ":memory:") == 0;

  self->path = g_strdup (path);

  if (!read_only && !memory)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, BOURSE_STORE_ERROR, BOURSE_STORE_ERROR_OPEN,
                       _("Cannot create the data directory %s: %s"), dir, g_strerror (saved_errno));
          return NULL;
        }
      warn_if_shared (dir, TRUE);
      if (!create_private (path, error))
        return NULL;
    }

  if (sqlite3_open_v2 (path, &self->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, BOURSE_STORE_ERROR, BOURSE_STORE_ERROR_OPEN,
                   _("Cannot open the database %s: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);

  /* Reading user_version is the first real read: it reports a file that is
   * not a database at all, before any pragma tries to change it. */
  if (read_user_version (self->db) < 0)
    {
      g_set_error (error, BOURSE_STORE_ERROR, BOURSE_STORE_ERROR_OPEN,
                   _("Cannot open the database %s: %s"), path, sqlite3_errmsg (self->db));
      return NULL;
    }

  /* WAL lets worker threads read while the engine writes; FULL makes an
   * acknowledged ledger write survive a power cut (DESIGN.md §5). */
  if (!bourse_store_exec (self, "PRAGMA foreign_keys = ON", error))
    return NULL;
  if (!read_only && !memory
      && (!bourse_store_exec (self, "PRAGMA journal_mode = WAL", error)
          || !bourse_store_exec (self, "PRAGMA synchronous = FULL", error)))
    return NULL;

  if (read_only)
    self->schema_version = read_user_version (self->db);
  else if (!migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

BourseStore *
bourse_store_open (const char  *path,
                   GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return open_database (path, FALSE, error);
}

BourseStore *
bourse_store_open_memory (GError **error)
{
  return open_database (":memory:", FALSE, error);
}

BourseStore *
bourse_store_open_readonly (const char  *path,
                            GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return open_database (path, TRUE, error);
}

const char *
bourse_store_get_path (BourseStore *self)
{
  g_return_val_if_fail (BOURSE_IS_STORE (self), NULL);

  return self->path;
}

sqlite3 *
bourse_store_get_db (BourseStore *self)
{
  g_return_val_if_fail (BOURSE_IS_STORE (self), NULL);

  return self->db;
}

int
bourse_store_get_schema_version (BourseStore *self)
{
  g_return_val_if_fail (BOURSE_IS_STORE (self), -1);

  return self->schema_version;
}

char *
bourse_store_dup_journal_mode (BourseStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BOURSE_IS_STORE (self), NULL);

  stmt = bourse_store_prepare (self, "PRAGMA journal_mode", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

gboolean
bourse_store_check (BourseStore  *self,
                    GError      **error)
{
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (self), FALSE);

  if (self->db == NULL)
    {
      g_set_error (error, BOURSE_STORE_ERROR, BOURSE_STORE_ERROR_OPEN, _("The database is closed"));
      return FALSE;
    }

  /* A real read of the schema, cheap enough for every /health call. */
  if (self->probe == NULL
      && (self->probe = bourse_store_prepare (self, "SELECT count(*) FROM sqlite_schema", error)) == NULL)
    return FALSE;

  rc = sqlite3_step (self->probe);
  sqlite3_reset (self->probe);
  if (rc != SQLITE_ROW)
    {
      bourse_store_set_error (self, error);
      return FALSE;
    }

  return TRUE;
}

BourseStatement *
bourse_store_statement (BourseStore  *self,
                        const char   *sql,
                        GError      **error)
{
  CachedStatement *cached;
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (BOURSE_IS_STORE (self), NULL);

  cached = g_hash_table_lookup (self->statements, sql);
  if (cached != NULL && !cached->lent)
    {
      cached->lent = TRUE;
      return cached->stmt;
    }
  if (cached != NULL)
    return bourse_store_prepare (self, sql, error);   /* in use higher up: one of its own */

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      bourse_store_set_error (self, error);
      return NULL;
    }
  cached = g_new0 (CachedStatement, 1);
  cached->stmt = stmt;
  cached->lent = TRUE;
  G_LOCK (registry);
  if (registry == NULL)
    registry = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (registry, stmt, cached);
  G_UNLOCK (registry);
  g_hash_table_insert (self->statements, g_strdup (sql), cached);
  return stmt;
}

void
bourse_statement_release (BourseStatement *stmt)
{
  CachedStatement *cached;

  if (stmt == NULL)
    return;
  G_LOCK (registry);
  cached = registry != NULL ? g_hash_table_lookup (registry, stmt) : NULL;
  G_UNLOCK (registry);
  if (cached == NULL)
    {
      sqlite3_finalize (stmt);
      return;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  cached->lent = FALSE;
}

void
bourse_store_close (BourseStore *self)
{
  g_return_if_fail (BOURSE_IS_STORE (self));

  g_clear_pointer (&self->probe, sqlite3_finalize);
  if (self->statements != NULL)
    g_hash_table_remove_all (self->statements);
  if (self->db != NULL)
    {
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
}

JsonNode *
bourse_store_read_page (BourseStore          *self,
                        sqlite3_stmt         *stmt,
                        guint                 limit,
                        gboolean              paged,
                        BourseStoreItemFunc   add_item,
                        gpointer              data,
                        GError              **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean more = FALSE;
  gint64 last_id = 0;
  guint n = 0;
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (self), NULL);
  g_return_val_if_fail (stmt != NULL && add_item != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (n == limit)
        {
          more = TRUE;
          break;
        }
      add_item (builder, stmt, data);
      last_id = sqlite3_column_int64 (stmt, 0);
      n++;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      bourse_store_set_error (self, error);
      return NULL;
    }
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, more && paged, last_id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
