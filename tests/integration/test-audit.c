/* test-audit.c — the audit hash chain on a real store: append, verify, tampering, redaction, list
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "auth/bourse-audit.h"
#include "core/bourse-store.h"
#include "core/bourse-time.h"

#define ZEROS "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct
{
  char        *dir;
  char        *path;
  BourseStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("bourse-audit-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "bourse.db", NULL);
  fixture->store = bourse_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_assert_finalize_object (fixture->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Raw SQL on the store's connection, as an attacker with file access would do. */
static void
raw_exec (Fixture    *fixture,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (bourse_store_get_db (fixture->store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* sql has one parameter, bound to value. */
static void
raw_set (Fixture    *fixture,
         const char *sql,
         const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = bourse_store_prepare (fixture->store, sql, &error);

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
}

static char *
raw_text (Fixture    *fixture,
          const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = bourse_store_prepare (fixture->store, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

static gint64
row_count (Fixture *fixture)
{
  g_autofree char *count = raw_text (fixture, "SELECT count(*) FROM audit_log");

  return g_ascii_strtoll (count, NULL, 10);
}

static JsonNode *
json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

/* Appends one entry; returns it as filled in by append. details is JSON text or NULL. */
static BourseAuditEntry *
append (Fixture    *fixture,
        const char *ts,
        const char *actor,
        const char *action,
        const char *target,
        const char *details)
{
  g_autoptr(GError) error = NULL;
  BourseAuditEntry *entry = g_new0 (BourseAuditEntry, 1);

  entry->ts = g_strdup (ts);
  entry->actor = g_strdup (actor);
  entry->action = g_strdup (action);
  entry->target = g_strdup (target);
  entry->details = details != NULL ? json (details) : NULL;
  entry->client_address = g_strdup ("127.0.0.1");
  entry->request_id = g_strdup_printf ("req-%s", action);

  g_assert_true (bourse_audit_append (fixture->store, entry, &error));
  g_assert_no_error (error);
  return entry;
}

static void
append_n (Fixture *fixture,
          guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *details = g_strdup_printf ("{\"n\":%u,\"amount\":\"1.50000000\"}", i);
      g_autoptr(BourseAuditEntry) entry = append (fixture, NULL, "user:1", "order.create",
                                                  "order:1", details);
    }
}

static void
assert_verdict (Fixture  *fixture,
                gboolean  ok,
                gint64    checked,
                gint64    first_bad_id)
{
  g_autoptr(GError) error = NULL;
  BourseAuditVerdict verdict;

  g_assert_true (bourse_audit_verify (fixture->store, &verdict, &error));
  g_assert_no_error (error);
  g_assert_cmpint (verdict.ok, ==, ok);
  g_assert_cmpint (verdict.checked, ==, checked);
  g_assert_cmpint (verdict.first_bad_id, ==, first_bad_id);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = bourse_audit_list (fixture->store, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);
  assert_verdict (fixture, TRUE, 0, 0);
}

static void
test_append_chain (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_audit_entry_free);
  g_ptr_array_add (entries, append (fixture, NULL, "system", "engine.start", NULL, NULL));
  g_ptr_array_add (entries, append (fixture, NULL, "user:1", "auth.login", "user:1",
                                    "{\"method\":\"password\"}"));
  g_ptr_array_add (entries, append (fixture, NULL, NULL, "config.change", "config:risk",
                                    "{\"old\":1,\"new\":2}"));
  g_ptr_array_add (entries, append (fixture, NULL, "user:1", "order.create", "order:7", "{}"));

  for (guint i = 0; i < entries->len; i++)
    {
      BourseAuditEntry *entry = g_ptr_array_index (entries, i);
      BourseAuditEntry *previous = i > 0 ? g_ptr_array_index (entries, i - 1) : NULL;
      gint64 ms;

      g_assert_cmpint (entry->id, ==, i + 1);
      /* ts defaults to now, RFC 3339 UTC with milliseconds. */
      g_assert_cmpuint (strlen (entry->ts), ==, strlen ("2026-01-02T03:04:05.678Z"));
      g_assert_true (g_str_has_suffix (entry->ts, "Z"));
      g_assert_true (bourse_time_parse_rfc3339 (entry->ts, &ms, NULL));
      g_assert_cmpuint (strlen (entry->hash), ==, 64);
      g_assert_nonnull (entry->details);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (entry->details));
      g_assert_cmpstr (entry->prev_hash, ==, previous == NULL ? ZEROS : previous->hash);
    }
  assert_verdict (fixture, TRUE, 4, 0);

  /* Inside the caller's transaction: nothing commits on its own, and a
   * rollback leaves neither the rows nor a fork in the chain. */
  g_assert_true (bourse_store_begin (fixture->store, &error));
  g_assert_no_error (error);
  {
    g_autoptr(BourseAuditEntry) a = append (fixture, NULL, "user:2", "order.create", "order:8",
                                            NULL);
    g_autoptr(BourseAuditEntry) b = append (fixture, NULL, "user:2", "order.cancel", "order:8",
                                            NULL);

    g_assert_cmpint (a->id, ==, 5);
    g_assert_cmpint (b->id, ==, 6);
    g_assert_cmpstr (b->prev_hash, ==, a->hash);
    g_assert_false (sqlite3_get_autocommit (bourse_store_get_db (fixture->store)));
  }
  bourse_store_rollback (fixture->store);
  g_assert_cmpint (row_count (fixture), ==, 4);
  assert_verdict (fixture, TRUE, 4, 0);

  /* The next append takes the id and the chain up where the committed rows end. */
  {
    g_autoptr(BourseAuditEntry) c = append (fixture, NULL, "user:2", "order.create", "order:9",
                                            NULL);
    BourseAuditEntry *last = g_ptr_array_index (entries, 3);

    g_assert_cmpint (c->id, ==, 5);
    g_assert_cmpstr (c->prev_hash, ==, last->hash);
  }

  /* A committed caller transaction keeps its entries. */
  g_assert_true (bourse_store_begin (fixture->store, &error));
  {
    g_autoptr(BourseAuditEntry) d = append (fixture, NULL, "user:2", "order.fill", "order:9", NULL);
    g_assert_cmpint (d->id, ==, 6);
  }
  g_assert_true (bourse_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (row_count (fixture), ==, 6);
  assert_verdict (fixture, TRUE, 6, 0);
}

/* The hash recomputed here from a hand-written canonical text, without the code under test. */
static void
test_independent_hash (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *expected_canonical =
    "[1,\"2026-01-02T03:04:05.678Z\",\"user:42\",\"auth.login\",null,"
    "{\"a\":{\"y\":null,\"z\":[true,1.5,-3]},\"b\":\"line\\nbreak \\\"quoted\\\" \\u0001 é\"},"
    "\"127.0.0.1\",\"req-auth.login\"]";
  g_autoptr(BourseAuditEntry) entry =
    append (fixture, "2026-01-02T04:04:05.678+01:00", "user:42", "auth.login", NULL,
            "{\"b\": \"line\\nbreak \\\"quoted\\\" \\u0001 é\", "
            "\"a\": {\"z\": [true, 1.5, -3], \"y\": null}}");
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *canonical = bourse_audit_canonical (entry);
  g_autofree char *stored_hash = raw_text (fixture, "SELECT hash FROM audit_log WHERE id = 1");
  g_autofree char *stored_prev = raw_text (fixture, "SELECT prev_hash FROM audit_log WHERE id = 1");
  g_autofree char *stored_ts = raw_text (fixture, "SELECT ts FROM audit_log WHERE id = 1");

  /* The caller's offset is normalised to UTC, so ts compares as text. */
  g_assert_cmpstr (stored_ts, ==, "2026-01-02T03:04:05.678Z");
  g_assert_cmpstr (canonical, ==, expected_canonical);
  g_assert_cmpstr (stored_prev, ==, ZEROS);

  g_checksum_update (checksum, (const guchar *)ZEROS "\n", -1);
  g_checksum_update (checksum, (const guchar *)expected_canonical, -1);
  g_assert_cmpstr (g_checksum_get_string (checksum), ==, stored_hash);
  g_assert_cmpstr (entry->hash, ==, stored_hash);
}

static void
test_tamper_edit (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *original = NULL;
  g_autofree char *original_ts = NULL;

  append_n (fixture, 5);
  assert_verdict (fixture, TRUE, 5, 0);

  original = raw_text (fixture, "SELECT details FROM audit_log WHERE id = 3");
  original_ts = raw_text (fixture, "SELECT ts FROM audit_log WHERE id = 4");
  raw_exec (fixture,
            "UPDATE audit_log SET details = '{\"n\":2,\"amount\":\"9.50000000\"}' WHERE id = 3");
  assert_verdict (fixture, FALSE, 3, 3);

  /* Details are re-serialised canonically: member order and white space in
   * the column are not part of what is hashed, only the values. */
  raw_exec (fixture,
            "UPDATE audit_log SET details = '{ \"amount\" : \"1.50000000\", \"n\" : 2 }' "
            "WHERE id = 3");
  assert_verdict (fixture, TRUE, 5, 0);

  raw_set (fixture, "UPDATE audit_log SET details = ? WHERE id = 3", original);
  assert_verdict (fixture, TRUE, 5, 0);

  /* Every hashed column counts, NULL versus "" included. */
  raw_exec (fixture, "UPDATE audit_log SET actor = 'user:2' WHERE id = 2");
  assert_verdict (fixture, FALSE, 2, 2);
  raw_exec (fixture, "UPDATE audit_log SET actor = 'user:1' WHERE id = 2");
  raw_exec (fixture, "UPDATE audit_log SET ts = '2020-01-01T00:00:00.000Z' WHERE id = 4");
  assert_verdict (fixture, FALSE, 4, 4);
  raw_set (fixture, "UPDATE audit_log SET ts = ? WHERE id = 4", original_ts);
  assert_verdict (fixture, TRUE, 5, 0);
  raw_exec (fixture, "UPDATE audit_log SET target = '' WHERE id = 1");
  assert_verdict (fixture, FALSE, 1, 1);
  raw_exec (fixture, "UPDATE audit_log SET target = 'order:1' WHERE id = 1");

  /* Not JSON at all. */
  raw_exec (fixture, "UPDATE audit_log SET details = 'not json' WHERE id = 5");
  assert_verdict (fixture, FALSE, 5, 5);
}

static void
test_tamper_rehash (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(BourseAuditEntry) forged = g_new0 (BourseAuditEntry, 1);
  g_autofree char *canonical = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  append_n (fixture, 4);

  /* An attacker who edits row 2 and recomputes its own hash still breaks the
   * link to row 3, whose prev_hash names the original row 2. */
  forged->id = 2;
  forged->ts = raw_text (fixture, "SELECT ts FROM audit_log WHERE id = 2");
  forged->actor = g_strdup ("user:1");
  forged->action = g_strdup ("order.create");
  forged->target = g_strdup ("order:1");
  forged->details = json ("{\"amount\":\"1000.00000000\",\"n\":1}");
  forged->client_address = g_strdup ("127.0.0.1");
  forged->request_id = g_strdup ("req-order.create");
  forged->prev_hash = raw_text (fixture, "SELECT prev_hash FROM audit_log WHERE id = 2");
  canonical = bourse_audit_canonical (forged);
  g_checksum_update (checksum, (const guchar *)forged->prev_hash, -1);
  g_checksum_update (checksum, (const guchar *)"\n", 1);
  g_checksum_update (checksum, (const guchar *)canonical, -1);
  hash = g_strdup (g_checksum_get_string (checksum));
  sql = g_strdup_printf ("UPDATE audit_log SET details = '{\"amount\":\"1000.00000000\",\"n\":1}', "
                         "hash = '%s' WHERE id = 2", hash);
  raw_exec (fixture, sql);
  assert_verdict (fixture, FALSE, 3, 3);
}

static void
test_tamper_delete (Fixture       *fixture,
                    gconstpointer  data)
{
  append_n (fixture, 5);

  /* A middle row: the row after the gap no longer chains. */
  raw_exec (fixture, "DELETE FROM audit_log WHERE id = 3");
  assert_verdict (fixture, FALSE, 3, 4);
}

static void
test_tamper_delete_first (Fixture       *fixture,
                          gconstpointer  data)
{
  append_n (fixture, 3);
  raw_exec (fixture, "DELETE FROM audit_log WHERE id = 1");
  assert_verdict (fixture, FALSE, 1, 2);
}

static void
test_delete_tail (Fixture       *fixture,
                  gconstpointer  data)
{
  append_n (fixture, 5);

  /* Deleting the newest rows leaves a shorter chain that is intact in itself:
   * a chain alone cannot tell "truncated" from "never written". Verify says
   * ok with one row fewer; catching this needs an anchor kept elsewhere (the
   * last id and hash, e.g. in the keyring or with an external witness),
   * which the accounts work may add. */
  raw_exec (fixture, "DELETE FROM audit_log WHERE id = 5");
  assert_verdict (fixture, TRUE, 4, 0);

  /* The next entry reuses id 5 and chains to row 4: still consistent. */
  {
    g_autoptr(BourseAuditEntry) entry = append (fixture, NULL, "system", "engine.stop", NULL, NULL);
    g_assert_cmpint (entry->id, ==, 5);
  }
  assert_verdict (fixture, TRUE, 5, 0);
}

static void
test_tamper_ids (Fixture       *fixture,
                 gconstpointer  data)
{
  append_n (fixture, 4);

  /* Renumbering the last row leaves its hash chained but the id is hashed
   * and no longer consecutive. */
  raw_exec (fixture, "UPDATE audit_log SET id = 10 WHERE id = 4");
  assert_verdict (fixture, FALSE, 4, 10);
  raw_exec (fixture, "UPDATE audit_log SET id = 4 WHERE id = 10");
  assert_verdict (fixture, TRUE, 4, 0);

  /* Swapping two rows. */
  raw_exec (fixture, "UPDATE audit_log SET id = -2 WHERE id = 2;"
                     "UPDATE audit_log SET id = 2 WHERE id = 3;"
                     "UPDATE audit_log SET id = 3 WHERE id = -2");
  assert_verdict (fixture, FALSE, 2, 2);
}

static gboolean
node_contains_text (JsonNode   *node,
                    const char *text)
{
  g_autofree char *serialised = json_to_string (node, FALSE);

  return strstr (serialised, text) != NULL;
}

static void
test_redaction (Fixture       *fixture,
                gconstpointer  data)
{
  static const char * const secrets[] = {
    "hunter2", "AKIA-EXAMPLE", "s3cr3t-value", "tok-123", "Bearer-xyz", "sk-live-1", "old-pw",
  };
  g_autoptr(JsonNode) original =
    json ("{\"user\":\"bob\",\"password\":\"hunter2\",\"amount\":\"1.00000000\","
          "\"exchange\":{\"name\":\"binance\",\"apiKey\":\"AKIA-EXAMPLE\","
          "\"auth\":{\"Client_Secret\":\"s3cr3t-value\",\"region\":\"eu\"}},"
          "\"sessions\":[{\"REFRESH_TOKEN\":\"tok-123\",\"id\":4}],"
          "\"headers\":{\"authorization_token\":{\"value\":\"Bearer-xyz\"}},"
          "\"PRIVATE_KEY\":[\"sk-live-1\"],\"old_password\":\"old-pw\"}");
  g_autoptr(BourseAuditEntry) entry = g_new0 (BourseAuditEntry, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autofree char *stored = NULL;
  BourseAuditEntry *first_listed;
  JsonObject *details;

  entry->actor = g_strdup ("user:1");
  entry->action = g_strdup ("exchange.connect");
  entry->details = json_node_ref (original);
  g_assert_true (bourse_audit_append (fixture->store, entry, &error));
  g_assert_no_error (error);

  /* Neither the stored column, nor the entry handed back, nor a listed entry
   * holds any secret value. */
  stored = raw_text (fixture, "SELECT details FROM audit_log WHERE id = 1");
  listed = bourse_audit_list (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  first_listed = g_ptr_array_index (listed, 0);
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_assert_null (strstr (stored, secrets[i]));
      g_assert_false (node_contains_text (entry->details, secrets[i]));
      g_assert_false (node_contains_text (first_listed->details, secrets[i]));
    }

  details = json_node_get_object (entry->details);
  g_assert_cmpstr (json_object_get_string_member (details, "password"), ==, "[redacted]");
  g_assert_cmpstr (json_object_get_string_member (details, "old_password"), ==, "[redacted]");
  g_assert_cmpstr (json_object_get_string_member (details, "PRIVATE_KEY"), ==, "[redacted]");
  g_assert_cmpstr (json_object_get_string_member (details, "user"), ==, "bob");
  g_assert_cmpstr (json_object_get_string_member (details, "amount"), ==, "1.00000000");
  {
    JsonObject *exchange = json_object_get_object_member (details, "exchange");
    JsonObject *auth = json_object_get_object_member (exchange, "auth");
    JsonObject *headers = json_object_get_object_member (details, "headers");
    JsonArray *sessions = json_object_get_array_member (details, "sessions");
    JsonObject *session = json_array_get_object_element (sessions, 0);

    g_assert_cmpstr (json_object_get_string_member (exchange, "name"), ==, "binance");
    g_assert_cmpstr (json_object_get_string_member (exchange, "apiKey"), ==, "[redacted]");
    g_assert_cmpstr (json_object_get_string_member (auth, "Client_Secret"), ==, "[redacted]");
    g_assert_cmpstr (json_object_get_string_member (auth, "region"), ==, "eu");
    g_assert_cmpstr (json_object_get_string_member (headers, "authorization_token"), ==,
                     "[redacted]");
    g_assert_cmpstr (json_object_get_string_member (session, "REFRESH_TOKEN"), ==, "[redacted]");
    g_assert_cmpint (json_object_get_int_member (session, "id"), ==, 4);
  }

  /* The caller's own node, which it may share, is not modified. */
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (original), "password"), ==,
                   "hunter2");

  /* What was hashed is the redacted form: the chain verifies. */
  assert_verdict (fixture, TRUE, 1, 0);
}

static void
test_invalid_entries (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseAuditEntry) entry = g_new0 (BourseAuditEntry, 1);
  g_autofree char *details = NULL;

  /* No action. */
  g_assert_false (bourse_audit_append (fixture->store, entry, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Details that are not an object. */
  entry->action = g_strdup ("test.array");
  entry->details = json ("[1,2]");
  g_assert_false (bourse_audit_append (fixture->store, entry, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_clear_pointer (&entry->details, json_node_unref);
  entry->details = json ("\"text\"");
  g_assert_false (bourse_audit_append (fixture->store, entry, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_clear_pointer (&entry->details, json_node_unref);

  /* A time without a zone, and text that is not UTF-8. */
  entry->ts = g_strdup ("2026-01-02T03:04:05");
  g_assert_false (bourse_audit_append (fixture->store, entry, &error));
  g_assert_error (error, BOURSE_TIME_ERROR, BOURSE_TIME_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&entry->ts, g_free);
  entry->actor = g_strdup ("user:\xff");
  g_assert_false (bourse_audit_append (fixture->store, entry, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_clear_pointer (&entry->actor, g_free);

  /* Failed appends changed neither the table nor the entry. */
  g_assert_cmpint (row_count (fixture), ==, 0);
  g_assert_cmpint (entry->id, ==, 0);
  g_assert_null (entry->hash);

  /* NULL details are stored as {}. */
  g_assert_true (bourse_audit_append (fixture->store, entry, &error));
  g_assert_no_error (error);
  details = raw_text (fixture, "SELECT details FROM audit_log WHERE id = 1");
  g_assert_cmpstr (details, ==, "{}");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (entry->details));
  assert_verdict (fixture, TRUE, 1, 0);
}

static char *
canonical_of (const char *details)
{
  BourseAuditEntry entry = {
    .id = 7,
    .ts = (char *)"2026-01-02T03:04:05.678Z",
    .action = (char *)"test.canonical",
  };
  char *canonical;

  entry.details = details != NULL ? json (details) : NULL;
  canonical = bourse_audit_canonical (&entry);
  g_clear_pointer (&entry.details, json_node_unref);

  return canonical;
}

static void
test_canonical (void)
{
  g_autofree char *a =
    canonical_of ("{\"b\":{\"y\":2,\"x\":[{\"q\":1,\"p\":0}]},\"a\":\"1\",\"é\":0,\"Z\":true}");
  g_autofree char *b =
    canonical_of ("{\"Z\":true,\"é\":0,\"a\":\"1\",\"b\":{\"x\":[{\"p\":0,\"q\":1}],\"y\":2}}");
  g_autofree char *numbers =
    canonical_of ("{\"i\":-42,\"half\":0.5,\"one\":1.0,\"big\":1e20,\"tenth\":0.1,\"f\":false}");
  g_autofree char *control = canonical_of ("{\"s\":\"tab\\there\\u007f/\\u001f\\b\\f\\r\"}");
  g_autofree char *empty = canonical_of (NULL);
  g_autofree char *empty_object = canonical_of ("{}");
  BourseAuditEntry nulls = { .id = 1, .action = (char *)"x" };
  g_autofree char *null_fields = bourse_audit_canonical (&nulls);

  /* Member order is not significant; names sort by UTF-8 bytes ("Z" < "a" < "é"). */
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==,
                   "[7,\"2026-01-02T03:04:05.678Z\",null,\"test.canonical\",null,"
                   "{\"Z\":true,\"a\":\"1\",\"b\":{\"x\":[{\"p\":0,\"q\":1}],\"y\":2},\"é\":0},"
                   "null,null]");

  g_assert_true (strstr (numbers, "{\"big\":1e+20,\"f\":false,\"half\":0.5,\"i\":-42,\"one\":1.0,"
                                  "\"tenth\":0.10000000000000001}") != NULL);
  g_assert_true (strstr (control, "{\"s\":\"tab\\there\x7f/\\u001f\\b\\f\\r\"}") != NULL);
  g_assert_cmpstr (empty, ==, empty_object);
  g_assert_cmpstr (null_fields, ==, "[1,null,null,\"x\",null,{},null,null]");
}

/* Entries: 1 auth.login user:1, 2 auth.logout user:1, 3 order.create user:2,
 * 4 authx.thing user:2, 5 auth user:3, 6 auth.login user:2 — one a day. */
static void
append_listing (Fixture *fixture)
{
  static const struct { const char *actor, *action, *target; } rows[] = {
    { "user:1", "auth.login", "user:1" },
    { "user:1", "auth.logout", "user:1" },
    { "user:2", "order.create", "order:5" },
    { "user:2", "authx.thing", NULL },
    { "user:3", "auth", NULL },
    { "user:2", "auth.login", "user:2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *ts = g_strdup_printf ("2026-03-%02uT12:00:00.000Z", i + 1);
      g_autoptr(BourseAuditEntry) entry = append (fixture, ts, rows[i].actor, rows[i].action,
                                                  rows[i].target, NULL);
    }
}

/* The ids listed for filter, as "6,2,1". */
static char *
listed_ids (Fixture                 *fixture,
            const BourseAuditFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = bourse_audit_list (fixture->store, filter, &error);
  GString *ids = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            ((BourseAuditEntry *)g_ptr_array_index (entries, i))->id);

  return g_string_free (ids, FALSE);
}

#define assert_listed(filter_, expected_)                              \
  G_STMT_START {                                                       \
    BourseAuditFilter filter__ = filter_;                              \
    g_autofree char *ids__ = listed_ids (fixture, &filter__);          \
    g_assert_cmpstr (ids__, ==, expected_);                            \
  } G_STMT_END

static void
test_list_filters (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  append_listing (fixture);

  assert_listed (((BourseAuditFilter) { 0 }), "6,5,4,3,2,1");
  {
    g_autofree char *ids = listed_ids (fixture, NULL);
    g_assert_cmpstr (ids, ==, "6,5,4,3,2,1");
  }
  assert_listed (((BourseAuditFilter) { .actor = "user:2" }), "6,4,3");
  assert_listed (((BourseAuditFilter) { .actor = "user:" }), "");
  assert_listed (((BourseAuditFilter) { .action = "auth.login" }), "6,1");
  /* A prefix ending in '.', but not "auth" itself nor "authx.". */
  assert_listed (((BourseAuditFilter) { .action = "auth." }), "6,2,1");
  assert_listed (((BourseAuditFilter) { .action = "auth" }), "5");
  assert_listed (((BourseAuditFilter) { .action = "auth%" }), "");
  assert_listed (((BourseAuditFilter) { .target = "user:1" }), "2,1");
  assert_listed (((BourseAuditFilter) { .actor = "user:2", .action = "auth." }), "6");
  /* since inclusive, until exclusive, offsets understood. */
  assert_listed (((BourseAuditFilter) { .since = "2026-03-02T12:00:00Z",
                                        .until = "2026-03-05T12:00:00.000Z" }),
                 "4,3,2");
  assert_listed (((BourseAuditFilter) { .since = "2026-03-02T13:00:00+01:00" }), "6,5,4,3,2");
  assert_listed (((BourseAuditFilter) { .until = "2026-03-02T12:00:00.001Z" }), "2,1");
  /* An injection attempt is only a value that matches nothing. */
  assert_listed (((BourseAuditFilter) { .actor = "x' OR '1'='1" }), "");
  /* Empty members do not filter. */
  assert_listed (((BourseAuditFilter) { .actor = "", .action = "" }), "6,5,4,3,2,1");

  /* Cursor paging: before_id is the last id of the previous page. */
  assert_listed (((BourseAuditFilter) { .limit = 2 }), "6,5");
  assert_listed (((BourseAuditFilter) { .limit = 2, .before_id = 5 }), "4,3");
  assert_listed (((BourseAuditFilter) { .limit = 2, .before_id = 3 }), "2,1");
  assert_listed (((BourseAuditFilter) { .limit = 2, .before_id = 1 }), "");
  assert_listed (((BourseAuditFilter) { .action = "auth.", .limit = 1, .before_id = 6 }), "2");

  {
    BourseAuditFilter filter = { .since = "yesterday" };
    GPtrArray *entries = bourse_audit_list (fixture->store, &filter, &error);

    g_assert_null (entries);
    g_assert_error (error, BOURSE_TIME_ERROR, BOURSE_TIME_ERROR_INVALID);
  }
}

static void
test_list_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  static const struct { guint limit; guint expected; } cases[] = {
    { 0, 100 }, { 1, 1 }, { 250, 250 }, { 500, 500 }, { 501, 500 }, { G_MAXUINT, 500 },
  };
  g_autoptr(GError) error = NULL;

  /* One transaction for speed; each append runs inside it. */
  g_assert_true (bourse_store_begin (fixture->store, &error));
  append_n (fixture, 510);
  g_assert_true (bourse_store_commit (fixture->store, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      BourseAuditFilter filter = { .limit = cases[i].limit };
      g_autoptr(GPtrArray) entries = bourse_audit_list (fixture->store, &filter, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (entries->len, ==, cases[i].expected);
      g_assert_cmpint (((BourseAuditEntry *)g_ptr_array_index (entries, 0))->id, ==, 510);
    }

  assert_verdict (fixture, TRUE, 510, 0);
}

static void
test_entry_to_json (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(BourseAuditEntry) entry = append (fixture, "2026-01-02T03:04:05.678Z", "user:1",
                                              "user.approve", NULL, "{\"role\":\"trader\"}");
  g_autoptr(JsonNode) node = bourse_audit_entry_to_json (entry);
  JsonObject *object = json_node_get_object (node);
  JsonObject *details;
  static const char * const members[] = {
    "id", "ts", "actor", "actor_name", "action", "target", "target_name", "details",
    "client_address", "request_id", "prev_hash", "hash",
  };

  g_assert_cmpuint (json_object_get_size (object), ==, G_N_ELEMENTS (members));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_true (json_object_has_member (object, members[i]));

  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "ts"), ==, "2026-01-02T03:04:05.678Z");
  g_assert_cmpstr (json_object_get_string_member (object, "actor"), ==, "user:1");
  g_assert_cmpstr (json_object_get_string_member (object, "action"), ==, "user.approve");
  g_assert_true (json_object_get_null_member (object, "target"));
  details = json_object_get_object_member (object, "details");
  g_assert_cmpstr (json_object_get_string_member (details, "role"), ==, "trader");
  g_assert_cmpstr (json_object_get_string_member (object, "client_address"), ==, "127.0.0.1");
  g_assert_cmpstr (json_object_get_string_member (object, "request_id"), ==, "req-user.approve");
  g_assert_cmpstr (json_object_get_string_member (object, "prev_hash"), ==, ZEROS);
  g_assert_cmpstr (json_object_get_string_member (object, "hash"), ==, entry->hash);
}

/* Two connections to one file take turns: each append reads the tail under
 * the write lock, so neither forks the chain. */
static void
test_two_connections (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BourseStore *other = bourse_store_open (fixture->path, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(BourseAuditEntry) entry = g_new0 (BourseAuditEntry, 1);

      entry->action = g_strdup ("test.turn");
      g_assert_true (bourse_audit_append (i % 2 == 0 ? fixture->store : other, entry, &error));
      g_assert_no_error (error);
      g_assert_cmpint (entry->id, ==, i + 1);
    }
  g_assert_finalize_object (other);

  assert_verdict (fixture, TRUE, 6, 0);
}

#define add_test(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  add_test ("/audit/empty", test_empty);
  add_test ("/audit/append-chain", test_append_chain);
  add_test ("/audit/independent-hash", test_independent_hash);
  add_test ("/audit/tamper/edit", test_tamper_edit);
  add_test ("/audit/tamper/rehash", test_tamper_rehash);
  add_test ("/audit/tamper/delete", test_tamper_delete);
  add_test ("/audit/tamper/delete-first", test_tamper_delete_first);
  add_test ("/audit/tamper/delete-tail", test_delete_tail);
  add_test ("/audit/tamper/ids", test_tamper_ids);
  add_test ("/audit/redaction", test_redaction);
  add_test ("/audit/invalid", test_invalid_entries);
  g_test_add_func ("/audit/canonical", test_canonical);
  add_test ("/audit/list/filters", test_list_filters);
  add_test ("/audit/list/limit", test_list_limit);
  add_test ("/audit/entry-to-json", test_entry_to_json);
  add_test ("/audit/two-connections", test_two_connections);

  return g_test_run ();
}
