/* bourse-store.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define BOURSE_STORE_ERROR (bourse_store_error_quark ())

typedef enum
{
  BOURSE_STORE_ERROR_OPEN = 1,
  BOURSE_STORE_ERROR_TOO_NEW,
  BOURSE_STORE_ERROR_MIGRATION,
  BOURSE_STORE_ERROR_SQL,
  BOURSE_STORE_ERROR_CONSTRAINT,
} BourseStoreError;

#define BOURSE_TYPE_STORE (bourse_store_get_type ())

G_DECLARE_FINAL_TYPE (BourseStore, bourse_store, BOURSE, STORE, GObject)

GQuark       bourse_store_error_quark           (void);
/* The newest schema version this binary knows (the highest migration). */
int          bourse_store_get_latest_version    (void);

/* Opens (creating it and its directory if needed) and migrates the database.
 * A database written by a newer Bourse is refused, untouched. */
BourseStore *bourse_store_open                  (const char    *path,
                                                 GError       **error);
/* A private database in memory, migrated, gone when the store is: a
 * simulation's scratch state (a backtest's risk). */
BourseStore *bourse_store_open_memory           (GError       **error);
/* A read-only connection for worker threads (DESIGN.md §1); no migrations. */
BourseStore *bourse_store_open_readonly         (const char    *path,
                                                 GError       **error);
const char  *bourse_store_get_path              (BourseStore   *self);
sqlite3     *bourse_store_get_db                (BourseStore   *self);
int          bourse_store_get_schema_version    (BourseStore   *self);
char        *bourse_store_dup_journal_mode      (BourseStore   *self);
gboolean     bourse_store_check                 (BourseStore   *self,
                                                 GError       **error);
gboolean     bourse_store_exec                  (BourseStore   *self,
                                                 const char    *sql,
                                                 GError       **error);
gboolean     bourse_store_begin                 (BourseStore   *self,
                                                 GError       **error);
gboolean     bourse_store_commit                (BourseStore   *self,
                                                 GError       **error);
void         bourse_store_rollback              (BourseStore   *self);
/* A read scope: the reads until bourse_store_end_read () share one read
 * transaction (one snapshot, one lock) instead of one each, as a request
 * that authenticates and then reads does. A bourse_store_begin () inside
 * it ends the scope first; nothing happens when a transaction is open
 * already. Never spans a return to the main loop. */
void         bourse_store_begin_read            (BourseStore   *self);
void         bourse_store_end_read              (BourseStore   *self);
/* Whether a write transaction (or a caller's explicit one) is open; a read
 * scope does not count. For code that joins its caller's transaction. */
gboolean     bourse_store_in_transaction        (BourseStore   *self);
/* Prepares a statement, reporting SQL errors as GErrors. */
sqlite3_stmt *bourse_store_prepare              (BourseStore   *self,
                                                 const char    *sql,
                                                 GError       **error);
/* Runs a statement that returns no rows; its failure as a GError. */
gboolean     bourse_store_step_done             (BourseStore   *self,
                                                 sqlite3_stmt  *stmt,
                                                 GError       **error);
/* Steps a query for at most one row: *row says whether there was one (its
 * columns are then readable); FALSE with the failure as a GError. */
gboolean     bourse_store_step_row              (BourseStore   *self,
                                                 sqlite3_stmt  *stmt,
                                                 gboolean      *row,
                                                 GError       **error);
void         bourse_store_set_error             (BourseStore   *self,
                                                 GError       **error);
void         bourse_store_close                 (BourseStore   *self);

/* A statement the store keeps prepared and lends for one use, for the hot
 * paths (an order and its fill run some fifty statements): released with
 * bourse_statement_release () (g_autoptr (BourseStatement)), which resets
 * it for the next user. A statement already lent (a caller higher up still
 * stepping it) gives a fresh one instead. Never sqlite3_finalize () it. */
typedef sqlite3_stmt BourseStatement;

BourseStatement *bourse_store_statement         (BourseStore   *self,
                                                 const char    *sql,
                                                 GError       **error);
void             bourse_statement_release       (BourseStatement *stmt);

/* One page of a list, as the API answers lists (docs/API.md):
 * {"items":[…],"next_cursor"}. @stmt selects the id first, newest first,
 * and LIMIT @limit + 1 rows: the one more says whether another page
 * follows, and "next_cursor" is then the last id given (null otherwise,
 * or always when @paged is FALSE — a read forward with since_id). Each
 * of the first @limit rows becomes an item by @add_item, which adds one
 * value (an object) to the builder. */
typedef void (*BourseStoreItemFunc) (JsonBuilder  *builder,
                                     sqlite3_stmt *stmt,
                                     gpointer      data);

JsonNode        *bourse_store_read_page         (BourseStore          *self,
                                                 sqlite3_stmt         *stmt,
                                                 guint                 limit,
                                                 gboolean              paged,
                                                 BourseStoreItemFunc   add_item,
                                                 gpointer              data,
                                                 GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseStatement, bourse_statement_release)

G_END_DECLS
