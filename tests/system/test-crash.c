/* test-crash.c — kill -9 under a mixed write load loses nothing acknowledged
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real boursed on one data directory takes writes over the API — accounts
 * and sign-ups, roles, API keys, instruments, candle imports, strategies,
 * recommendations, webhooks, the signals they bring and the decisions on
 * them — and is killed with SIGKILL in the middle of them, round after round.
 * After each kill the database passes PRAGMA integrity_check (and its foreign
 * keys hold) and `boursed audit verify`, and once restarted it shows every
 * write it had acknowledged (a 2xx answer received whole), a webhook's
 * secret (kept outside the database) included. A write whose answer was lost
 * to the kill may have landed or not, but whole: both are accepted, and what
 * the server shows is then taken as the truth.
 *
 * The seed fixes the writes and where each kill falls in them (after the
 * K-th write, D µs into the next); only the server's speed decides what that
 * next write was doing when it died. It grows with every kind of write.
 */

#include "config.h"

#include <sqlite3.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>

#include "boursed-test-util.h"

#define SEED      20260801
#define N_ROUNDS  10
#define PASSWORD  "correct horse battery staple"

typedef enum
{
  KIND_USER,          /* name: username; value: role */
  KIND_SIGN_UP,       /* name: username; value: status */
  KIND_KEY,           /* secret: the key; value: active | revoked */
  KIND_INSTRUMENT,    /* name: symbol */
  KIND_CANDLES,       /* name: symbol; first: open time of the first; count */
  KIND_STRATEGY,      /* value: its name, or "deleted" */
  KIND_WEBHOOK,       /* secret; value: active | revoked */
  KIND_RECOMMENDATION,
  KIND_APPROVAL,      /* value: pending | approved | rejected */
} Kind;

static const char * const kind_names[] = {
  "user", "sign-up", "API key", "instrument", "candles", "strategy", "webhook", "recommendation", "approval",
};

typedef struct
{
  Kind      kind;
  gint64    id;
  char     *name;
  char     *value;
  char     *maybe;     /* a later change whose answer was lost: it may have landed */
  char     *secret;
  gint64    first;
  guint     count;
  gboolean  dirty;     /* written since the last check */
} Record;

static void
record_free (Record *record)
{
  g_free (record->name);
  g_free (record->value);
  g_free (record->maybe);
  g_free (record->secret);
  g_free (record);
}

typedef struct
{
  BoursedFixture *f;
  GRand          *rand;
  GPtrArray      *records;
  SoupSession    *session;
  BoursedDaemon  *daemon;
  char           *token;
  guint           serial;          /* makes every name unique */
  gint64          next_candle;     /* open time of the next imported candle */
  guint           acknowledged;    /* writes answered 2xx, over all rounds */
  guint           lost;            /* writes whose answer the kill took */
  guint           acknowledged_by_kind[KIND_APPROVAL + 1];
} Load;

/* --- the daemon ---------------------------------------------------------------------- */

/* Set once the kill is sent: a write started after it never reached a daemon. */
static gint killed;

static void
load_start (Load *load)
{
  const char *args[] = { "serve", "--port", "0", "--data-dir", load->f->data_dir, NULL };

  load->daemon = boursed_daemon_start (load->f, NULL, args);
  g_atomic_int_set (&killed, FALSE);
  /* A new session each time: the old one's connections died with the daemon. */
  g_clear_object (&load->session);
  load->session = soup_session_new_with_options ("timeout", 60, NULL);
  g_free (load->token);
  load->token = boursed_login (load->session, load->daemon->port, "owner", PASSWORD);
}

typedef struct
{
  GPid  pid;
  guint delay_us;
} Killer;

static gpointer
killer_thread (gpointer data)
{
  Killer *killer = data;

  g_usleep (killer->delay_us);
  kill (killer->pid, SIGKILL);
  g_atomic_int_set (&killed, TRUE);
  return NULL;
}

/* --- checks on the files --------------------------------------------------------------- */

static void
assert_database_intact (Load *load)
{
  g_autofree char *path = g_build_filename (load->f->data_dir, "bourse.db", NULL);
  const char *args[] = { "audit", "verify", "--data-dir", load->f->data_dir, NULL };
  g_auto(BoursedCommand) verify = { 0 };
  g_autoptr(GString) result = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  /* Opened as the daemon would open it: a hot WAL is replayed first. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_busy_timeout (db, 10000), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (result, "%s%s", result->len ? "\n" : "", (const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  stmt = NULL;
  /* Foreign keys hold too (the store runs with foreign_keys=ON). */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (result, "\nforeign key broken in %s", (const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  if (!g_str_equal (result->str, "ok"))
    g_error ("PRAGMA integrity_check after a kill: %s", result->str);

  boursed_run (load->f, NULL, args, NULL, &verify);
  if (verify.status != 0 || strstr (verify.out, "intact") == NULL)
    g_error ("boursed audit verify after a kill: exit %d: %s%s", verify.status, verify.out, verify.err);
}

/* --- writes ---------------------------------------------------------------------------- */

typedef enum
{
  WRITE_DONE,       /* acknowledged */
  WRITE_LOST,       /* sent, but no whole answer: the daemon died */
  WRITE_REFUSED,    /* never reached a daemon: it was dead already */
} WriteResult;

/* One write; a 2xx answer returns its JSON (or NULL when empty) in *answer.
 * Any other answer is a failure of the test: every write here is valid. */
static WriteResult
write_request (Load               *load,
               const char         *method,
               const char         *path,
               const char * const *headers,
               const char         *content_type,
               const char         *body,
               gboolean            anonymous,
               JsonNode          **answer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status;

  if (g_atomic_int_get (&killed))
    return WRITE_REFUSED;
  node = boursed_http (load->session, load->daemon->port, method, path, headers, anonymous ? NULL : load->token,
                       content_type, body, &status, &error);
  /* libsoup sends a request again on a new connection when a reused one
   * dies under it: that the last try was refused says nothing of the first. */
  if (error != NULL)
    {
      g_test_message ("%s %s: no answer (%s)", method, path, error->message);
      load->lost++;
      return WRITE_LOST;
    }
  if (status < 200 || status > 299)
    {
      g_autofree char *text = node ? json_to_string (node, FALSE) : g_strdup ("");
      g_error ("%s %s → %u: %s", method, path, status, text);
    }
  load->acknowledged++;
  if (answer != NULL)
    *answer = g_steal_pointer (&node);
  return WRITE_DONE;
}

static Record *
record_add (Load       *load,
            Kind        kind,
            gint64      id,
            const char *name,
            const char *value)
{
  Record *record = g_new0 (Record, 1);

  record->kind = kind;
  record->id = id;
  record->name = g_strdup (name);
  record->value = g_strdup (value);
  record->dirty = TRUE;
  g_ptr_array_add (load->records, record);
  load->acknowledged_by_kind[kind]++;
  return record;
}

/* A create whose answer was lost: absent, or there whole. */
static Record *
record_lost (Load       *load,
             Kind        kind,
             const char *name,
             const char *value)
{
  Record *record = g_new0 (Record, 1);

  record->kind = kind;
  record->name = g_strdup (name);
  record->maybe = g_strdup (value);
  record->dirty = TRUE;
  g_ptr_array_add (load->records, record);
  return record;
}

/* A record of @kind, chosen by the seed, that @usable accepts; or NULL. */
static Record *
pick (Load      *load,
      Kind       kind,
      gboolean (*usable) (Record *))
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();

  for (guint i = 0; i < load->records->len; i++)
    {
      Record *record = g_ptr_array_index (load->records, i);

      /* A write whose answer was lost is settled at the next check; a
       * create it turned out not to have made is no record to use. */
      if (record->kind == kind && record->maybe == NULL && record->value != NULL
          && (usable == NULL || usable (record)))
        g_ptr_array_add (candidates, record);
    }
  if (candidates->len == 0)
    return NULL;
  return g_ptr_array_index (candidates, g_rand_int_range (load->rand, 0, candidates->len));
}

static gboolean
is_active (Record *record)
{
  return g_str_equal (record->value, "active");
}

static gboolean
is_pending (Record *record)
{
  return g_str_equal (record->value, "pending");
}

static gboolean
is_not_deleted (Record *record)
{
  return !g_str_equal (record->value, "deleted");
}

/* A change to a record: acknowledged, it is the new state; lost, it may be. */
static WriteResult
change (Load       *load,
        Record     *record,
        const char *value,
        const char *method,
        const char *path,
        const char *body)
{
  WriteResult result = write_request (load, method, path, NULL, NULL, body, FALSE, NULL);

  record->dirty = TRUE;
  if (result == WRITE_DONE)
    {
      g_free (record->value);
      record->value = g_strdup (value);
      load->acknowledged_by_kind[record->kind]++;
    }
  else if (result == WRITE_LOST)
    record->maybe = g_strdup (value);
  return result;
}

static const char *
random_role (Load *load)
{
  static const char * const roles[] = { "viewer", "trader", "admin" };

  return roles[g_rand_int_range (load->rand, 0, G_N_ELEMENTS (roles))];
}

static WriteResult
write_user (Load *load)
{
  g_autofree char *name = g_strdup_printf ("user%04u", ++load->serial);
  const char *role = random_role (load);
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.org\",\"password\":\"%s\","
                                           "\"role\":\"%s\"}", name, name, PASSWORD, role);
  g_autoptr(JsonNode) answer = NULL;
  WriteResult result;

  result = write_request (load, "POST", "/api/v1/users", NULL, NULL, body, FALSE, &answer);
  if (result == WRITE_LOST)
    record_lost (load, KIND_USER, name, role);
  if (result != WRITE_DONE)
    return result;
  record_add (load, KIND_USER, json_object_get_int_member (json_node_get_object (answer), "id"), name, role);
  return WRITE_DONE;
}

static WriteResult
write_sign_up (Load *load)
{
  g_autofree char *name = g_strdup_printf ("signup%04u", ++load->serial);
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.org\",\"password\":\"%s\"}",
                                           name, name, PASSWORD);
  g_autoptr(JsonNode) answer = NULL;
  WriteResult result;

  result = write_request (load, "POST", "/api/v1/auth/register", NULL, NULL, body, TRUE, &answer);
  if (result == WRITE_LOST)
    record_lost (load, KIND_SIGN_UP, name, "pending");
  if (result != WRITE_DONE)
    return result;
  record_add (load, KIND_SIGN_UP, json_object_get_int_member (json_node_get_object (answer), "id"), name, "pending");
  return WRITE_DONE;
}

static WriteResult
write_approve_sign_up (Load *load)
{
  Record *record = pick (load, KIND_SIGN_UP, is_pending);
  g_autofree char *path = NULL;

  if (record == NULL)
    return write_sign_up (load);
  path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/approve", record->id);
  return change (load, record, "active", "POST", path, "{}");
}

static WriteResult
write_role (Load *load)
{
  Record *record = pick (load, KIND_USER, NULL);
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  const char *role;

  if (record == NULL)
    return write_user (load);
  role = random_role (load);
  path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, record->id);
  body = g_strdup_printf ("{\"role\":\"%s\"}", role);
  return change (load, record, role, "PATCH", path, body);
}

static WriteResult
write_key (Load *load)
{
  g_autofree char *name = g_strdup_printf ("key%04u", ++load->serial);
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"role\":\"viewer\"}", name);
  g_autoptr(JsonNode) answer = NULL;
  Record *record;
  WriteResult result;

  result = write_request (load, "POST", "/api/v1/api-keys", NULL, NULL, body, FALSE, &answer);
  if (result != WRITE_DONE)
    return result;
  record = record_add (load, KIND_KEY, json_object_get_int_member (json_node_get_object (answer), "id"), name,
                       "active");
  record->secret = g_strdup (json_object_get_string_member (json_node_get_object (answer), "key"));
  return WRITE_DONE;
}

static WriteResult
write_revoke_key (Load *load)
{
  Record *record = pick (load, KIND_KEY, is_active);
  g_autofree char *path = NULL;

  if (record == NULL)
    return write_key (load);
  path = g_strdup_printf ("/api/v1/api-keys/%" G_GINT64_FORMAT, record->id);
  return change (load, record, "revoked", "DELETE", path, NULL);
}

static WriteResult
write_instrument (Load *load)
{
  guint n = ++load->serial;
  g_autofree char *symbol = g_strdup_printf ("C%04uUSDT", n);
  g_autofree char *body = g_strdup_printf ("{\"symbol\":\"%s\",\"base_asset\":\"C%04u\",\"quote_asset\":\"USDT\","
                                           "\"tick_size\":\"0.01\",\"lot_step\":\"0.001\"}", symbol, n);
  WriteResult result;

  result = write_request (load, "POST", "/api/v1/instruments", NULL, NULL, body, FALSE, NULL);
  if (result == WRITE_LOST)
    record_lost (load, KIND_INSTRUMENT, symbol, "present");
  if (result != WRITE_DONE)
    return result;
  record_add (load, KIND_INSTRUMENT, 0, symbol, "present");
  return WRITE_DONE;
}

/* A Binance kline file of @count one-minute candles from the next free minute. */
static WriteResult
write_candles (Load *load)
{
  Record *instrument = pick (load, KIND_INSTRUMENT, NULL);
  const char *symbol = instrument ? instrument->name : "BTCUSDT";
  guint count = g_rand_int_range (load->rand, 50, 4000);
  gint64 first = load->next_candle;
  g_autoptr(GString) csv = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/market/import?symbol=%s&interval=1m&format=binance", symbol);
  Record *record;
  WriteResult result;

  load->next_candle += (gint64)count * 60000;
  csv = g_string_sized_new (count * 80);
  for (guint i = 0; i < count; i++)
    {
      gint64 open = first + (gint64)i * 60000;
      guint price = 100 + (i % 17);
      char row[128];

      g_snprintf (row, sizeof row, "%" G_GINT64_FORMAT ",%u.00,%u.50,%u.00,%u.25,1.5,%" G_GINT64_FORMAT
                  ",0,3,0,0,0\n", open, price, price + 1, price - 1, price, open + 59999);
      g_string_append (csv, row);
    }
  result = write_request (load, "POST", path, NULL, "text/csv", csv->str, FALSE, NULL);
  if (result == WRITE_LOST)
    record = record_lost (load, KIND_CANDLES, symbol, "present");
  else if (result == WRITE_DONE)
    record = record_add (load, KIND_CANDLES, 0, symbol, "present");
  else
    return result;
  record->first = first;
  record->count = count;
  return result;
}

static WriteResult
write_strategy (Load *load)
{
  g_autofree char *name = g_strdup_printf ("strategy%04u", ++load->serial);
  /* Weekly candles: no evaluation runs while the test does. */
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"strategy\":\"A\",\"symbol\":\"BTCUSDT\","
                                           "\"interval\":\"1w\"}", name);
  g_autoptr(JsonNode) answer = NULL;
  WriteResult result;

  result = write_request (load, "POST", "/api/v1/strategies", NULL, NULL, body, FALSE, &answer);
  if (result != WRITE_DONE)
    return result;
  record_add (load, KIND_STRATEGY, json_object_get_int_member (json_node_get_object (answer), "id"), NULL, name);
  return WRITE_DONE;
}

static WriteResult
write_strategy_change (Load *load)
{
  Record *record = pick (load, KIND_STRATEGY, is_not_deleted);
  g_autofree char *path = NULL;

  if (record == NULL)
    return write_strategy (load);
  path = g_strdup_printf ("/api/v1/strategies/%" G_GINT64_FORMAT, record->id);
  if (g_rand_int_range (load->rand, 0, 4) == 0)
    return change (load, record, "deleted", "DELETE", path, NULL);
  else
    {
      g_autofree char *name = g_strdup_printf ("strategy%04u", ++load->serial);
      g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\"}", name);

      return change (load, record, name, "PUT", path, body);
    }
}

static gboolean
is_long (Record *record)
{
  return record->count >= 200;
}

/* An analysis in a worker thread, stored back on the engine's context. */
static WriteResult
write_recommendation (Load *load)
{
  Record *candles = pick (load, KIND_CANDLES, is_long);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *object;
  WriteResult result;

  if (candles == NULL)
    return write_candles (load);
  body = g_strdup_printf ("{\"symbol\":\"%s\",\"interval\":\"1m\",\"strategy\":\"A\",\"start\":%" G_GINT64_FORMAT
                          ",\"end\":%" G_GINT64_FORMAT "}", candles->name, candles->first,
                          candles->first + (gint64)candles->count * 60000);
  result = write_request (load, "POST", "/api/v1/recommendations", NULL, NULL, body, FALSE, &answer);
  if (result != WRITE_DONE)
    return result;
  object = json_node_get_object (answer);
  record_add (load, KIND_RECOMMENDATION, json_object_get_int_member (object, "id"), NULL, "present");
  /* A BUY or a SELL opens an approval with it. */
  if (!json_object_get_null_member (object, "approval_id"))
    record_add (load, KIND_APPROVAL, json_object_get_int_member (object, "approval_id"), NULL, "pending");
  return WRITE_DONE;
}

static WriteResult
write_webhook (Load *load)
{
  g_autofree char *name = g_strdup_printf ("hook%04u", ++load->serial);
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\"}", name);
  g_autoptr(JsonNode) answer = NULL;
  Record *record;
  WriteResult result;

  result = write_request (load, "POST", "/api/v1/webhooks", NULL, NULL, body, FALSE, &answer);
  if (result != WRITE_DONE)
    return result;
  record = record_add (load, KIND_WEBHOOK, json_object_get_int_member (json_node_get_object (answer), "id"), name,
                       "active");
  record->secret = g_strdup (json_object_get_string_member (json_node_get_object (answer), "secret"));
  return WRITE_DONE;
}

/* A signed alert on a webhook: a recommendation and its pending approval. */
static WriteResult
post_signal (Load   *load,
             Record *hook)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/signals/webhook/%" G_GINT64_FORMAT, hook->id);
  g_autofree char *body = g_strdup_printf ("{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"action\":\"buy\","
                                           "\"price\":\"100.00\",\"stop_loss\":\"90.00\",\"take_profit\":\"120.00\","
                                           "\"comment\":\"signal %u\"}", ++load->serial);
  /* The server checks the timestamp against its clock, within a window. */
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *)hook->secret, strlen (hook->secret));
  g_autofree char *signature = NULL;
  g_autoptr(JsonNode) answer = NULL;

  g_hmac_update (hmac, (const guchar *)timestamp, -1);
  g_hmac_update (hmac, (const guchar *)".", 1);
  g_hmac_update (hmac, (const guchar *)body, -1);
  signature = g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);
  {
    const char * const headers[] = { "X-Bourse-Timestamp", timestamp, "X-Bourse-Signature", signature, NULL };

    WriteResult result = write_request (load, "POST", path, headers, "text/plain", body, TRUE, &answer);

    if (result != WRITE_DONE)
      return result;
  }
  record_add (load, KIND_APPROVAL, json_object_get_int_member (json_node_get_object (answer), "approval_id"), NULL,
              "pending");
  return WRITE_DONE;
}

static WriteResult
write_signal (Load *load)
{
  Record *hook = pick (load, KIND_WEBHOOK, is_active);

  return hook != NULL ? post_signal (load, hook) : write_webhook (load);
}

static WriteResult
write_decision (Load *load)
{
  Record *record = pick (load, KIND_APPROVAL, is_pending);
  g_autofree char *path = NULL;

  if (record == NULL)
    return write_signal (load);
  if (g_rand_boolean (load->rand))
    {
      path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT "/approve", record->id);
      return change (load, record, "approved", "POST", path, "{\"reason\":\"looks right\"}");
    }
  path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT "/reject", record->id);
  return change (load, record, "rejected", "POST", path, "{\"reason\":\"not now\"}");
}

static WriteResult
write_revoke_webhook (Load *load)
{
  Record *record = pick (load, KIND_WEBHOOK, is_active);
  g_autofree char *path = NULL;

  /* Keep one hook for the signals. */
  if (record == NULL || load->acknowledged_by_kind[KIND_WEBHOOK] < 3)
    return write_webhook (load);
  path = g_strdup_printf ("/api/v1/webhooks/%" G_GINT64_FORMAT, record->id);
  return change (load, record, "revoked", "DELETE", path, NULL);
}

static const struct {
  WriteResult (*write) (Load *load);
  guint         weight;
} writes[] = {
  { write_user, 4 },
  { write_sign_up, 2 },
  { write_approve_sign_up, 2 },
  { write_role, 4 },
  { write_key, 3 },
  { write_revoke_key, 2 },
  { write_instrument, 2 },
  { write_candles, 3 },
  { write_strategy, 3 },
  { write_strategy_change, 3 },
  { write_webhook, 1 },
  { write_recommendation, 2 },
  { write_signal, 4 },
  { write_decision, 3 },
  { write_revoke_webhook, 1 },
};

static WriteResult
write_one (Load *load)
{
  guint total = 0, choice;

  for (guint i = 0; i < G_N_ELEMENTS (writes); i++)
    total += writes[i].weight;
  choice = g_rand_int_range (load->rand, 0, total);
  for (guint i = 0; i < G_N_ELEMENTS (writes); i++)
    {
      if (choice < writes[i].weight)
        return writes[i].write (load);
      choice -= writes[i].weight;
    }
  g_assert_not_reached ();
}

/* --- what the restarted daemon shows ----------------------------------------------------- */

static JsonNode *
get (Load       *load,
     const char *path,
     guint       expected_status)
{
  return boursed_http_expect (load->session, load->daemon->port, "GET", path, load->token, NULL, expected_status);
}

/* Every item of a list, page after page when it is paged: an array of the
 * pages' item arrays (copying thousands of nodes is slow under ASan). */
static GPtrArray *
get_all (Load       *load,
         const char *path,
         const char *member,
         gboolean    paged)
{
  GPtrArray *pages = g_ptr_array_new_with_free_func ((GDestroyNotify)json_array_unref);
  g_autofree char *cursor = NULL;

  do
    {
      g_autofree char *url = paged ? g_strdup_printf ("%s?limit=500%s%s", path, cursor ? "&cursor=" : "",
                                                      cursor ? cursor : "")
                                   : g_strdup (path);
      g_autoptr(JsonNode) page = get (load, url, 200);
      JsonObject *object = json_node_get_object (page);

      g_ptr_array_add (pages, json_array_ref (json_object_get_array_member (object, member)));
      g_clear_pointer (&cursor, g_free);
      if (paged && !json_object_get_null_member (object, "next_cursor"))
        cursor = g_strdup (json_object_get_string_member (object, "next_cursor"));
    }
  while (cursor != NULL);

  return pages;
}

static JsonObject *
find (GPtrArray  *pages,
      const char *member,
      gint64      id,
      const char *name)
{
  for (guint p = 0; p < pages->len; p++)
    {
      JsonArray *items = g_ptr_array_index (pages, p);

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);

          if (name != NULL ? g_strcmp0 (json_object_get_string_member (item, member), name) == 0
                           : json_object_get_int_member (item, "id") == id)
            return item;
        }
    }
  return NULL;
}

/* Lost writes that had landed before the kill, as the checks found them. */
static guint n_landed;

/* The state the server shows must be the acknowledged one, or the lost
 * change after it; it is then the state from here on. NULL: not there. */
static void
settle (Record     *record,
        const char *shown)
{
  if (record->maybe != NULL && g_strcmp0 (shown, record->maybe) == 0 && g_strcmp0 (shown, record->value) != 0)
    n_landed++;
  if (g_strcmp0 (shown, record->value) != 0
      && (record->maybe == NULL || g_strcmp0 (shown, record->maybe) != 0))
    g_error ("%s %" G_GINT64_FORMAT " %s: the server shows “%s”; acknowledged was “%s”%s%s%s",
             kind_names[record->kind], record->id, record->name ? record->name : "", shown ? shown : "nothing",
             record->value ? record->value : "nothing", record->maybe ? " (or, unacknowledged, “" : "",
             record->maybe ? record->maybe : "", record->maybe ? "”)" : "");
  g_free (record->value);
  record->value = g_strdup (shown);
  g_clear_pointer (&record->maybe, g_free);
}

/* Present with the acknowledged state, or, for an unacknowledged create,
 * absent (settled as NULL) or present whole. */
static void
check_listed (Record     *record,
              JsonObject *item,
              const char *member)
{
  if (item == NULL)
    {
      if (record->value != NULL)
        g_error ("the acknowledged %s %" G_GINT64_FORMAT " %s is gone", kind_names[record->kind], record->id,
                 record->name ? record->name : "");
      settle (record, NULL);
      return;
    }
  if (record->id == 0 && json_object_has_member (item, "id"))
    record->id = json_object_get_int_member (item, "id");
  if (member == NULL)
    settle (record, "present");
  else if (g_str_equal (member, "revoked_at"))
    settle (record, json_object_get_null_member (item, "revoked_at") ? "active" : "revoked");
  else
    settle (record, json_object_get_string_member (item, member));
}

/* An API key signs in, or not, as its state says. */
static void
check_key_signs_in (Load   *load,
                    Record *record)
{
  const char * const headers[] = { "X-API-Key", record->secret, NULL };
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  me = boursed_http (load->session, load->daemon->port, "GET", "/api/v1/users/me", headers, NULL, NULL, NULL,
                     &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, is_active (record) ? 200 : 401);
}

/* Whether the candle opening at @open_time is stored. */
static gboolean
has_candle (Load       *load,
            const char *symbol,
            gint64      open_time)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/market/candles/%s?interval=1m&start=%" G_GINT64_FORMAT
                                           "&end=%" G_GINT64_FORMAT, symbol, open_time, open_time);
  g_autoptr(JsonNode) page = get (load, path, 200);
  JsonArray *candles = json_object_get_array_member (json_node_get_object (page), "items");

  g_assert_cmpuint (json_array_get_length (candles), <=, 1);
  return json_array_get_length (candles) == 1;
}

/* An import is one transaction: all of its candles, or (lost) none. The
 * first, the middle and the last stand for all of them. */
static void
check_candles (Load   *load,
               Record *record)
{
  gint64 last = record->first + (gint64)(record->count - 1) * 60000;
  gint64 middle = record->first + (gint64)(record->count / 2) * 60000;
  guint shown = has_candle (load, record->name, record->first) + has_candle (load, record->name, middle)
                + has_candle (load, record->name, last);

  if (shown != 0 && shown != 3)
    g_error ("an import of %u candles into %s from %" G_GINT64_FORMAT " is there in part", record->count,
             record->name, record->first);
  settle (record, shown ? "present" : NULL);
}

static gboolean
newer_with_same_id (Load   *load,
                    Record *record)
{
  gboolean after = FALSE;

  for (guint i = 0; i < load->records->len; i++)
    {
      Record *other = g_ptr_array_index (load->records, i);

      if (other == record)
        after = TRUE;
      else if (after && other->kind == record->kind && other->id == record->id)
        return TRUE;
    }
  return FALSE;
}

static void
check_strategy (Load      *load,
                Record    *record,
                GPtrArray *strategies)
{
  JsonObject *strategy = find (strategies, NULL, record->id, NULL);

  /* The id of the newest strategy is given again once it is deleted (a
   * rowid without AUTOINCREMENT): then it is another's, checked as such. */
  if (strategy != NULL && g_strcmp0 (record->value, "deleted") == 0 && record->maybe == NULL
      && newer_with_same_id (load, record))
    return;
  settle (record, strategy ? json_object_get_string_member (strategy, "name") : "deleted");
}

/* Lists are read whole every time; what needs a request of its own (a
 * key signing in, a range of candles) only when it changed since the last
 * check, and all of it at the end. */
static void
check_acknowledged (Load     *load,
                    gboolean  everything)
{
  g_autoptr(GPtrArray) users = get_all (load, "/api/v1/users", "items", FALSE);
  g_autoptr(GPtrArray) keys = get_all (load, "/api/v1/api-keys", "items", FALSE);
  g_autoptr(GPtrArray) instruments = get_all (load, "/api/v1/instruments", "items", FALSE);
  g_autoptr(GPtrArray) strategies = get_all (load, "/api/v1/strategies", "items", TRUE);
  g_autoptr(GPtrArray) hooks = get_all (load, "/api/v1/webhooks", "items", TRUE);
  g_autoptr(GPtrArray) recommendations = get_all (load, "/api/v1/recommendations", "items", TRUE);
  g_autoptr(GPtrArray) approvals = get_all (load, "/api/v1/approvals", "items", TRUE);

  for (guint i = 0; i < load->records->len; i++)
    {
      Record *record = g_ptr_array_index (load->records, i);
      gboolean probe = everything || record->dirty;

      switch (record->kind)
        {
        case KIND_USER:
          check_listed (record, find (users, "username", 0, record->name), "role");
          break;
        case KIND_SIGN_UP:
          check_listed (record, find (users, "username", 0, record->name), "status");
          break;
        case KIND_KEY:
          check_listed (record, find (keys, NULL, record->id, NULL), "revoked_at");
          if (probe)
            check_key_signs_in (load, record);
          break;
        case KIND_INSTRUMENT:
          check_listed (record, find (instruments, "symbol", 0, record->name), NULL);
          break;
        case KIND_CANDLES:
          if (probe)
            check_candles (load, record);
          break;
        case KIND_STRATEGY:
          check_strategy (load, record, strategies);
          break;
        case KIND_WEBHOOK:
          check_listed (record, find (hooks, NULL, record->id, NULL), "revoked_at");
          break;
        case KIND_RECOMMENDATION:
          check_listed (record, find (recommendations, NULL, record->id, NULL), NULL);
          break;
        case KIND_APPROVAL:
          check_listed (record, find (approvals, NULL, record->id, NULL), "status");
          break;
        default:
          g_assert_not_reached ();
        }
      record->dirty = FALSE;
    }

  /* A webhook's secret lives outside the database: it survived too. */
  {
    Record *hook = pick (load, KIND_WEBHOOK, is_active);

    if (hook != NULL)
      g_assert_cmpint (post_signal (load, hook), ==, WRITE_DONE);
  }
}

/* --- the test ------------------------------------------------------------------------------ */

static void
test_kill_under_writes (BoursedFixture *f,
                        gconstpointer   data)
{
  Load load = { f, g_rand_new_with_seed (SEED), g_ptr_array_new_with_free_func ((GDestroyNotify)record_free) };
  gint64 started = g_get_monotonic_time ();
  g_autoptr(GString) counts = g_string_new (NULL);

  /* 2024-01-01: imports go forward a minute at a time from there. */
  load.next_candle = G_GINT64_CONSTANT (1704067200000);
  boursed_add_user (f, "owner", "admin", PASSWORD);

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      guint before_kill = g_rand_int_range (load.rand, 10, 60);
      Killer killer = { 0, g_rand_int_range (load.rand, 0, 20000) };
      g_autoptr(GThread) thread = NULL;
      guint done = 0;

      load_start (&load);
      if (round > 0)
        check_acknowledged (&load, FALSE);

      for (; done < before_kill; done++)
        if (write_one (&load) != WRITE_DONE)
          g_error ("the daemon died on its own, %u writes into round %u; its log:\n%s", done, round,
                   boursed_daemon_log (load.daemon));

      /* The kill lands during the next writes, the seed says how far in. */
      killer.pid = load.daemon->pid;
      thread = g_thread_new ("killer", killer_thread, &killer);
      while (write_one (&load) == WRITE_DONE)
        if (++done > before_kill + 100000)
          g_error ("the daemon outlived SIGKILL");
      g_thread_join (g_steal_pointer (&thread));
      boursed_daemon_kill (load.daemon);
      g_test_message ("round %u: killed %u us into write %u", round, killer.delay_us, done + 1);
      g_clear_pointer (&load.daemon, boursed_daemon_free);

      assert_database_intact (&load);
    }

  /* The last restart: everything there, then a clean stop, still intact. */
  load_start (&load);
  check_acknowledged (&load, TRUE);
  boursed_daemon_stop (load.daemon, SIGTERM);
  g_clear_pointer (&load.daemon, boursed_daemon_free);
  assert_database_intact (&load);

  for (guint kind = 0; kind < G_N_ELEMENTS (kind_names); kind++)
    g_string_append_printf (counts, "%s%u %s", kind ? ", " : "", load.acknowledged_by_kind[kind], kind_names[kind]);
  g_test_message ("%u kills, %u acknowledged writes (%s), %u lost to a kill (%u of them had landed), in %.1f s",
                  N_ROUNDS, load.acknowledged, counts->str, load.lost, n_landed,
                  (g_get_monotonic_time () - started) / 1e6);
  /* Not an accident of a load that wrote nothing. */
  for (guint kind = 0; kind < G_N_ELEMENTS (kind_names); kind++)
    g_assert_cmpuint (load.acknowledged_by_kind[kind], >, 0);

  g_clear_object (&load.session);
  g_free (load.token);
  g_ptr_array_unref (load.records);
  g_rand_free (load.rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (boursed_test_init () == NULL)
    return 1;

  g_test_add ("/crash/kill-under-writes", BoursedFixture, NULL, boursed_fixture_set_up, test_kill_under_writes,
              boursed_fixture_tear_down);

  return g_test_run ();
}
