/* bourse-audit.c — the tamper-evident audit trail
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-audit"

#include "config.h"

/* PRId64 in translatable strings: xgettext understands it, not G_GINT64_FORMAT. */
#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "core/bourse-json.h"
#include "core/bourse-source.h"
#include "core/bourse-time.h"

#include "bourse-audit.h"

/*
 * The hash chain
 * ==============
 *
 * Each row of audit_log stores
 *
 *   hash = lowercase hex SHA-256 (prev_hash + "\n" + canonical)
 *
 * over the UTF-8 bytes, where prev_hash is the hash of the row with the next
 * lower id (64 × "0" for id 1) and canonical is this one-line JSON array, in
 * exactly this order:
 *
 *   [id,ts,actor,action,target,details,client_address,request_id]
 *
 * - id is a decimal integer; the other members are JSON strings, or null for
 *   a SQL NULL (an empty string stays ""); details is an object ({} if none).
 * - No whitespace anywhere outside strings.
 * - Object members are sorted by name, byte-wise on their UTF-8 (strcmp, which
 *   is Unicode code point order), recursively; array elements keep their order.
 * - Strings: '"' → \"  '\' → \\  U+0008 → \b  U+000C → \f  U+000A → \n
 *   U+000D → \r  U+0009 → \t, any other code point below U+0020 → \u00xx
 *   (lowercase hex); everything else, non-ASCII and U+007F included, is written
 *   as its raw UTF-8 bytes ('/' is not escaped).
 * - Integers in decimal; other numbers as C printf ("%.17g") in the C locale,
 *   with ".0" appended when the result has neither '.' nor 'e' (1.0 → "1.0",
 *   1e20 → "1e+20"); a non-finite number as null. true, false, null.
 *
 * The details hashed are those parsed back from the details column, so a
 * verifier needs nothing but the row. Outside floating-point members, this is
 * Python's
 *
 *   json.dumps ([id, ts, actor, action, target, json.loads (details),
 *                client_address, request_id],
 *               ensure_ascii=False, separators=(",", ":"), sort_keys=True)
 *
 * The writer is our own rather than JsonGenerator: the canonical text must
 * never change with a json-glib release (1.6 writes 1e20 as "1e+20.0" and
 * escapes U+007F), and bourse_json_append_string serves other purposes.
 */

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define REDACTED     "[redacted]"

#define SELECT_ENTRY                                                                         \
  "SELECT id, ts, actor, action, target, details, client_address, request_id, prev_hash, hash " \
  "FROM audit_log"

/* What an actor or a target ("user:42", "approval:7") is called, read in
 * the list's own query: a correlated lookup by primary key per kind. */
#define NAME_OF(column)                                                                       \
  "CASE "                                                                                      \
  "WHEN " column " GLOB 'user:[0-9]*' THEN "                                                   \
  "  (SELECT username FROM users WHERE id = CAST (substr (" column ", 6) AS INTEGER)) "         \
  "WHEN " column " GLOB 'api-key:[0-9]*' THEN "                                                \
  "  (SELECT u.username || ' (' || k.name || ')' FROM api_keys k JOIN users u ON u.id = k.user_id " \
  "   WHERE k.id = CAST (substr (" column ", 9) AS INTEGER)) "                                  \
  "WHEN " column " GLOB 'strategy:[0-9]*' THEN "                                               \
  "  (SELECT name FROM live_strategies WHERE id = CAST (substr (" column ", 10) AS INTEGER)) " \
  "WHEN " column " GLOB 'webhook:[0-9]*' THEN "                                                \
  "  (SELECT name FROM webhooks WHERE id = CAST (substr (" column ", 9) AS INTEGER)) "         \
  "WHEN " column " GLOB 'approval:[0-9]*' THEN "                                               \
  "  (SELECT r.decision || ' ' || r.symbol FROM approvals p "                                  \
  "   JOIN recommendations r ON r.id = p.recommendation_id "                                   \
  "   WHERE p.id = CAST (substr (" column ", 10) AS INTEGER)) "                                \
  "WHEN " column " GLOB 'recommendation:[0-9]*' THEN "                                         \
  "  (SELECT decision || ' ' || symbol FROM recommendations "                                  \
  "   WHERE id = CAST (substr (" column ", 16) AS INTEGER)) "                                  \
  "WHEN " column " GLOB 'order:[0-9]*' THEN "                                                  \
  "  (SELECT side || ' ' || symbol FROM orders WHERE id = CAST (substr (" column ", 7) AS INTEGER)) " \
  "END"

#define SELECT_NAMED_ENTRY                                                                   \
  "SELECT id, ts, actor, action, target, details, client_address, request_id, prev_hash, hash, " \
  NAME_OF ("actor") ", " NAME_OF ("target") " FROM audit_log"

#define DEFAULT_LIMIT 100
#define MAX_LIMIT     500

static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *)text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char)*p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_nullable_string (GString    *out,
                        const char *text)
{
  if (text == NULL)
    g_string_append (out, "null");
  else
    append_string (out, text);
}

static void
append_double (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }

  g_ascii_formatd (buffer, sizeof buffer, "%.17g", value);
  g_string_append (out, buffer);
  /* Keeps a double a double when the text is parsed again. */
  if (strpbrk (buffer, ".e") == NULL)
    g_string_append (out, ".0");
}

static gboolean
name_is_secret (const char *name)
{
  static const char * const needles[] = { "password", "secret", "token", "key" };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
    if (strstr (lower, needles[i]) != NULL)
      return TRUE;

  return FALSE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (a, b);
}

/* Writes node canonically; with redact, the value of every member named like
 * a secret, at any depth, is written as "[redacted]" instead. */
static void
append_node (GString  *out,
             JsonNode *node,
             gboolean  redact)
{
  if (node == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        GList *names = g_list_sort (json_object_get_members (object), compare_names);

        g_string_append_c (out, '{');
        for (const GList *l = names; l != NULL; l = l->next)
          {
            const char *name = l->data;

            if (l != names)
              g_string_append_c (out, ',');
            append_string (out, name);
            g_string_append_c (out, ':');
            if (redact && name_is_secret (name))
              append_string (out, REDACTED);
            else
              append_node (out, json_object_get_member (object, name), redact);
          }
        g_string_append_c (out, '}');
        g_list_free (names);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint length = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < length; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_node (out, json_array_get_element (array, i), redact);
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          append_nullable_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
    }
}

char *
bourse_audit_canonical (const BourseAuditEntry *entry)
{
  GString *out;

  g_return_val_if_fail (entry != NULL, NULL);

  out = g_string_new ("[");
  g_string_append_printf (out, "%" G_GINT64_FORMAT ",", entry->id);
  append_nullable_string (out, entry->ts);
  g_string_append_c (out, ',');
  append_nullable_string (out, entry->actor);
  g_string_append_c (out, ',');
  append_nullable_string (out, entry->action);
  g_string_append_c (out, ',');
  append_nullable_string (out, entry->target);
  g_string_append_c (out, ',');
  if (entry->details == NULL)
    g_string_append (out, "{}");
  else
    append_node (out, entry->details, FALSE);
  g_string_append_c (out, ',');
  append_nullable_string (out, entry->client_address);
  g_string_append_c (out, ',');
  append_nullable_string (out, entry->request_id);
  g_string_append_c (out, ']');

  return g_string_free (out, FALSE);
}

static char *
compute_hash (const char *prev_hash,
              const char *canonical)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *)prev_hash, -1);
  g_checksum_update (checksum, (const guchar *)"\n", 1);
  g_checksum_update (checksum, (const guchar *)canonical, -1);

  return g_strdup (g_checksum_get_string (checksum));
}

static void
entry_clear (BourseAuditEntry *entry)
{
  g_clear_pointer (&entry->ts, g_free);
  g_clear_pointer (&entry->actor, g_free);
  g_clear_pointer (&entry->action, g_free);
  g_clear_pointer (&entry->target, g_free);
  g_clear_pointer (&entry->details, json_node_unref);
  g_clear_pointer (&entry->client_address, g_free);
  g_clear_pointer (&entry->request_id, g_free);
  g_clear_pointer (&entry->prev_hash, g_free);
  g_clear_pointer (&entry->hash, g_free);
  g_clear_pointer (&entry->actor_name, g_free);
  g_clear_pointer (&entry->target_name, g_free);
}

void
bourse_audit_entry_free (BourseAuditEntry *entry)
{
  if (entry == NULL)
    return;

  entry_clear (entry);
  g_free (entry);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

/* Reads a row of SELECT_ENTRY; details stays NULL when the column does not
 * hold a JSON object, which only a hand-edited database does. */
static BourseAuditEntry *
entry_from_row (sqlite3_stmt *stmt)
{
  BourseAuditEntry *entry = g_new0 (BourseAuditEntry, 1);
  const char *details = (const char *)sqlite3_column_text (stmt, 5);
  JsonNode *node = details != NULL ? bourse_json_parse (details, strlen (details), 0, NULL) : NULL;

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->ts = dup_column (stmt, 1);
  entry->actor = dup_column (stmt, 2);
  entry->action = dup_column (stmt, 3);
  entry->target = dup_column (stmt, 4);
  entry->client_address = dup_column (stmt, 6);
  entry->request_id = dup_column (stmt, 7);
  entry->prev_hash = dup_column (stmt, 8);
  entry->hash = dup_column (stmt, 9);
  if (sqlite3_column_count (stmt) > 10)
    {
      entry->actor_name = dup_column (stmt, 10);
      entry->target_name = dup_column (stmt, 11);
    }

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    entry->details = node;
  else
    g_clear_pointer (&node, json_node_unref);

  return entry;
}

static gboolean
check_text (const char  *field,
            const char  *value,
            gboolean     required,
            GError     **error)
{
  if (required && (value == NULL || *value == '\0'))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("An audit entry needs a “%s”"), field);
      return FALSE;
    }

  if (value != NULL && !g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The “%s” of an audit entry is not valid UTF-8"), field);
      return FALSE;
    }

  return TRUE;
}

/* Stores every ts in one form, UTC with milliseconds, so that comparing the
 * text (list's since/until, the ts index) compares the instants. */
static char *
normalize_ts (const char  *text,
              GError     **error)
{
  gint64 ms;

  if (!bourse_time_parse_rfc3339 (text, &ms, error))
    return NULL;

  return bourse_time_format_rfc3339 (ms);
}

/* The part of append that runs inside the write transaction: read the tail,
 * chain to it, insert. row->id, prev_hash and hash are filled in. */
static gboolean
append_to_chain (BourseStore       *store,
                 BourseAuditEntry  *row,
                 const char        *details_text,
                 GError           **error)
{
  g_autoptr(BourseStatement) last = NULL;
  g_autoptr(BourseStatement) insert = NULL;
  g_autofree char *canonical = NULL;
  int rc;

  last = bourse_store_statement (store, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
                               error);
  if (last == NULL)
    return FALSE;

  rc = sqlite3_step (last);
  if (rc == SQLITE_ROW)
    {
      gint64 last_id = sqlite3_column_int64 (last, 0);

      if (last_id < 0 || last_id == G_MAXINT64 || sqlite3_column_type (last, 1) != SQLITE_TEXT)
        {
          g_set_error (error, BOURSE_STORE_ERROR, BOURSE_STORE_ERROR_SQL,
                       _("The last audit entry (id %" PRId64 ") is damaged; "
                         "run “boursed audit verify”"), last_id);
          return FALSE;
        }
      row->id = last_id + 1;
      row->prev_hash = g_strdup ((const char *)sqlite3_column_text (last, 1));
    }
  else if (rc == SQLITE_DONE)
    {
      row->id = 1;
      row->prev_hash = g_strdup (GENESIS_HASH);
    }
  else
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }

  canonical = bourse_audit_canonical (row);
  row->hash = compute_hash (row->prev_hash, canonical);

  insert = bourse_store_statement (store,
                                 "INSERT INTO audit_log (id, ts, actor, action, target, details, "
                                 "client_address, request_id, prev_hash, hash) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 error);
  if (insert == NULL)
    return FALSE;

  /* A NULL text binds SQL NULL. */
  sqlite3_bind_int64 (insert, 1, row->id);
  sqlite3_bind_text (insert, 2, row->ts, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, row->actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, row->action, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 5, row->target, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 6, details_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 7, row->client_address, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 8, row->request_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 9, row->prev_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 10, row->hash, -1, SQLITE_STATIC);

  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }

  return TRUE;
}

#define WATCH_KEY "bourse-audit-watch"

void
bourse_audit_watch (BourseStore *store,
                    GSourceFunc  func,
                    gpointer     data)
{
  g_return_if_fail (BOURSE_IS_STORE (store));

  bourse_wake_set (G_OBJECT (store), WATCH_KEY, func, data);
}

gboolean
bourse_audit_append (BourseStore       *store,
                     BourseAuditEntry  *entry,
                     GError           **error)
{
  BourseAuditEntry row = { 0 };
  g_autoptr(GString) details_text = NULL;
  gboolean own_transaction;

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_text ("action", entry->action, TRUE, error)
      || !check_text ("ts", entry->ts, FALSE, error)
      || !check_text ("actor", entry->actor, FALSE, error)
      || !check_text ("target", entry->target, FALSE, error)
      || !check_text ("client_address", entry->client_address, FALSE, error)
      || !check_text ("request_id", entry->request_id, FALSE, error))
    return FALSE;

  if (entry->details != NULL && !JSON_NODE_HOLDS_OBJECT (entry->details))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The details of an audit entry must be a JSON object"));
      return FALSE;
    }

  /* Redacted on the way out, so the caller's node (perhaps shared) is left
   * as it was; the entry gets the parsed stored text, exactly what verify
   * will hash later. */
  details_text = g_string_new (NULL);
  if (entry->details == NULL)
    g_string_append (details_text, "{}");
  else
    append_node (details_text, entry->details, TRUE);

  if (!g_utf8_validate (details_text->str, details_text->len, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The details of an audit entry are not valid UTF-8"));
      return FALSE;
    }

  row.details = bourse_json_parse (details_text->str, details_text->len, 0, error);
  if (row.details == NULL)
    return FALSE;

  if (entry->ts != NULL)
    {
      row.ts = normalize_ts (entry->ts, error);
      if (row.ts == NULL)
        {
          g_prefix_error (error, _("Invalid time of an audit entry: "));
          entry_clear (&row);
          return FALSE;
        }
    }
  else
    row.ts = bourse_time_format_rfc3339 (bourse_time_now_ms ());

  row.actor = g_strdup (entry->actor);
  row.action = g_strdup (entry->action);
  row.target = g_strdup (entry->target);
  row.client_address = g_strdup (entry->client_address);
  row.request_id = g_strdup (entry->request_id);

  /* Inside the caller's transaction the entry commits, or rolls back, with
   * the change it records. Our own is BEGIN IMMEDIATE: the write lock is
   * taken before the tail is read, so two writers cannot fork the chain. */
  own_transaction = !bourse_store_in_transaction (store);
  if (own_transaction && !bourse_store_begin (store, error))
    {
      entry_clear (&row);
      return FALSE;
    }

  if (!append_to_chain (store, &row, details_text->str, error)
      || (own_transaction && !bourse_store_commit (store, error)))
    {
      if (own_transaction)
        bourse_store_rollback (store);
      entry_clear (&row);
      return FALSE;
    }

  entry_clear (entry);
  *entry = row;

  bourse_wake_up (G_OBJECT (store), WATCH_KEY);
  return TRUE;
}

/* Whether row is the entry expected_id chained to prev_hash. */
static gboolean
row_is_intact (const BourseAuditEntry *row,
               gint64                  expected_id,
               const char             *prev_hash)
{
  g_autofree char *canonical = NULL;
  g_autofree char *hash = NULL;

  if (row->id != expected_id || row->details == NULL || row->hash == NULL
      || g_strcmp0 (row->prev_hash, prev_hash) != 0)
    return FALSE;

  canonical = bourse_audit_canonical (row);
  hash = compute_hash (prev_hash, canonical);

  return strcmp (hash, row->hash) == 0;
}

gboolean
bourse_audit_verify (BourseStore         *store,
                     BourseAuditVerdict  *verdict,
                     GError             **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autofree char *prev_hash = g_strdup (GENESIS_HASH);
  gint64 expected_id = 1;
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail (verdict != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *verdict = (BourseAuditVerdict) { .ok = TRUE };

  /* One statement is one read snapshot; rows are hashed as they are stepped
   * through, so memory does not grow with the table. */
  stmt = bourse_store_statement (store, SELECT_ENTRY " ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(BourseAuditEntry) row = entry_from_row (stmt);

      verdict->checked++;

      /* A deleted row shows at the next one: its id is not the expected one
       * and its prev_hash is not the hash recomputed so far. */
      if (!row_is_intact (row, expected_id, prev_hash))
        {
          verdict->ok = FALSE;
          verdict->first_bad_id = row->id;
          return TRUE;
        }

      g_free (prev_hash);
      prev_hash = g_steal_pointer (&row->hash);
      /* Unsigned, so G_MAXINT64 wraps instead of overflowing; ids are
       * unique, so no row follows that one anyway. */
      expected_id = (gint64)((guint64)row->id + 1);
    }

  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      *verdict = (BourseAuditVerdict) { 0 };
      return FALSE;
    }

  return TRUE;
}

GPtrArray *
bourse_audit_list (BourseStore              *store,
                   const BourseAuditFilter  *filter,
                   GError                  **error)
{
  static const BourseAuditFilter no_filter = { 0 };
  g_autoptr(GString) sql = g_string_new (SELECT_NAMED_ENTRY " WHERE 1 = 1");
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *action_end = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  guint limit;
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (filter == NULL)
    filter = &no_filter;

  limit = filter->limit == 0 ? DEFAULT_LIMIT : MIN (filter->limit, MAX_LIMIT);

  if (filter->since != NULL && *filter->since != '\0'
      && (since = normalize_ts (filter->since, error)) == NULL)
    return NULL;
  if (filter->until != NULL && *filter->until != '\0'
      && (until = normalize_ts (filter->until, error)) == NULL)
    return NULL;

  /* Only fixed fragments go into the SQL; every value is a named parameter,
   * bound below when its fragment is present. A NULL or empty filter member
   * does not filter. */
  if (filter->actor != NULL && *filter->actor != '\0')
    g_string_append (sql, " AND actor = :actor");
  if (filter->action != NULL && *filter->action != '\0')
    {
      if (g_str_has_suffix (filter->action, "."))
        {
          /* "auth." matches the actions in ["auth.", "auth/"): '/' follows
           * '.', and BINARY collation compares bytes. Unlike LIKE, no
           * character of the prefix is a wildcard. */
          action_end = g_strdup (filter->action);
          action_end[strlen (action_end) - 1] = '/';
          g_string_append (sql, " AND action >= :action AND action < :action_end");
        }
      else
        g_string_append (sql, " AND action = :action");
    }
  if (filter->target != NULL && *filter->target != '\0')
    g_string_append (sql, " AND target = :target");
  if (since != NULL)
    g_string_append (sql, " AND ts >= :since");
  if (until != NULL)
    g_string_append (sql, " AND ts < :until");
  if (filter->before_id > 0)
    g_string_append (sql, " AND id < :before_id");
  if (filter->after_id > 0)
    g_string_append (sql, " AND id > :after_id");
  g_string_append (sql, " ORDER BY id DESC LIMIT :limit");

  stmt = bourse_store_statement (store, sql->str, error);
  if (stmt == NULL)
    return NULL;

  {
    const struct { const char *name; const char *value; } texts[] = {
      { ":actor", filter->actor },
      { ":action", filter->action },
      { ":action_end", action_end },
      { ":target", filter->target },
      { ":since", since },
      { ":until", until },
    };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        int index = sqlite3_bind_parameter_index (stmt, texts[i].name);

        if (index > 0)
          sqlite3_bind_text (stmt, index, texts[i].value, -1, SQLITE_STATIC);
      }
  }
  if (filter->before_id > 0)
    sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":before_id"), filter->before_id);
  if (filter->after_id > 0)
    sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":after_id"), filter->after_id);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), limit);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_audit_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BourseAuditEntry *entry = entry_from_row (stmt);

      if (entry->details == NULL)
        g_warning ("The details of audit entry %" G_GINT64_FORMAT " are not a JSON object; "
                   "the audit log was edited outside Bourse", entry->id);
      g_ptr_array_add (entries, entry);
    }

  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&entries);
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
bourse_audit_entry_to_json (const BourseAuditEntry *entry)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, entry->id);
  add_nullable_string (builder, "ts", entry->ts);
  add_nullable_string (builder, "actor", entry->actor);
  add_nullable_string (builder, "actor_name", entry->actor_name);
  add_nullable_string (builder, "action", entry->action);
  add_nullable_string (builder, "target", entry->target);
  add_nullable_string (builder, "target_name", entry->target_name);
  json_builder_set_member_name (builder, "details");
  if (entry->details != NULL)
    json_builder_add_value (builder, json_node_copy (entry->details));
  else
    {
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  add_nullable_string (builder, "client_address", entry->client_address);
  add_nullable_string (builder, "request_id", entry->request_id);
  add_nullable_string (builder, "prev_hash", entry->prev_hash);
  add_nullable_string (builder, "hash", entry->hash);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
