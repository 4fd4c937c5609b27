/* test-trading-durability.c — orders and the ledger across restarts and kills
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real boursed processes on one data directory (issue 9, "restart with open
 * orders; a crash between order and fill loses no acknowledged order and
 * leaves the ledger consistent"):
 *
 * - restart-open-orders: resting LIMIT orders outlive a clean stop with
 *   their locks, and a later price that crosses them fills them.
 * - killed-before-fill: a boursed that kills itself (SIGKILL, through the
 *   preloaded die-on-sql.c) just as it books a fill. An order the paper
 *   broker fills when placed is one transaction with its fill: nothing of it
 *   stays, and the client's retry makes it. A resting order whose fill a
 *   later price brings stays NEW with its lock, rests again after the
 *   restart and fills at the next price through it.
 * - kill-under-orders: SIGKILL at seeded moments while clients place a stream
 *   of MARKET and LIMIT orders of both sides over several connections and the
 *   price moves under them: every acknowledged order (201 received whole) is
 *   there after the kill, as it was acknowledged or further along; a lost
 *   answer's order, sent again with its client_order_id, is found (200) or
 *   made (201), never twice; no MARKET order is ever on the file without its
 *   fill (a broker's later answer would leave one NEW: it is EXPIRED at the
 *   next start with its lock back).
 *
 * After every stop and kill the SQLite file itself is checked, before any
 * engine opens it again (assert_ledger): cash = starting cash + Σ sell
 * notionals − Σ buy notionals − Σ fees, to the unit; each asset's locked =
 * Σ locked of its open orders, and a closed order holds nothing; each order's
 * fills sum to its filled quantity, notional and fee (a FILLED one's to its
 * quantity); base balances = positions = Σ filled buys − sells; every
 * balance's history ends at the balance; every order and fill has its audit
 * entry. The seed fixes the orders and where each kill falls among them; the
 * assertions hold wherever it falls.
 */

#include "config.h"

#include <sqlite3.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>

#include "core/bourse-decimal.h"

#include "boursed-test-util.h"

#define SEED        20261207
#define N_ROUNDS    12
#define N_WORKERS   4
#define PASSWORD    "correct horse battery staple"
#define SYMBOL      "DURUSDT"
#define BASE        "DUR"
#define MINUTE_MS   G_GINT64_CONSTANT (60000)
/* 2024-01-01 00:00 UTC: candles go forward a minute at a time from there. */
#define FIRST_CANDLE G_GINT64_CONSTANT (1704067200000)

/* --- small things ------------------------------------------------------------------ */

static gint64
units (const char *text)
{
  g_autoptr(GError) error = NULL;
  BourseDecimal value;

  if (!bourse_decimal_parse (text, &value, &error))
    g_error ("'%s' is not a decimal: %s", text, error->message);
  return value.units;
}

static gint64
member_units (JsonObject *object,
              const char *member)
{
  return units (json_object_get_string_member (object, member));
}

/* --- one engine -------------------------------------------------------------------- */

typedef struct
{
  BoursedFixture *f;
  BoursedDaemon  *daemon;
  SoupSession    *session;
  char           *token;
  gint64          next_candle;   /* open time of the next candle imported */
} Engine;

static void
engine_start (Engine             *e,
              const char * const *extra_env)
{
  const char *args[] = { "serve", "--port", "0", "--data-dir", e->f->data_dir, NULL };

  e->daemon = boursed_daemon_start (e->f, extra_env, args);
  g_clear_object (&e->session);
  e->session = soup_session_new_with_options ("timeout", 60, NULL);
  g_free (e->token);
  e->token = boursed_login (e->session, e->daemon->port, "owner", PASSWORD);
}

static void
engine_stop (Engine *e)
{
  boursed_daemon_stop (e->daemon, SIGTERM);
  g_clear_pointer (&e->daemon, boursed_daemon_free);
}

static void
engine_clear (Engine *e)
{
  g_clear_pointer (&e->daemon, boursed_daemon_free);
  g_clear_object (&e->session);
  g_clear_pointer (&e->token, g_free);
}

static JsonNode *
api (Engine     *e,
     const char *method,
     const char *path,
     const char *body,
     guint       expected)
{
  return boursed_http_expect (e->session, e->daemon->port, method, path, e->token, body, expected);
}

static void
create_instrument (Engine *e)
{
  g_autoptr(JsonNode) created = api (e, "POST", "/api/v1/instruments",
                                     "{\"symbol\":\"" SYMBOL "\",\"base_asset\":\"" BASE "\",\"quote_asset\":\"USDT\","
                                     "\"tick_size\":\"0.01\",\"lot_step\":\"0.001\",\"min_notional\":\"1\","
                                     "\"source\":\"csv\"}", 201);
}

/* A Binance kline file of one closed minute at @price, after the last one. */
static char *
candle_csv (gint64      open_time,
            const char *price)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ",%s,%s,%s,%s,1.0,%" G_GINT64_FORMAT ",0,1,0,0,0\n",
                          open_time, price, price, price, price, open_time + MINUTE_MS - 1);
}

#define IMPORT_PATH "/api/v1/market/import?symbol=" SYMBOL "&interval=1m&format=binance"

/* The next minute's candle at @price, through the import route: a new last
 * price, which the paper broker matches its resting orders against before
 * the import answers. */
static void
set_price (Engine     *e,
           const char *price)
{
  g_autofree char *csv = candle_csv (e->next_candle, price);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  e->next_candle += MINUTE_MS;
  answer = boursed_http (e->session, e->daemon->port, "POST", IMPORT_PATH, NULL, e->token, "text/csv", csv, &status,
                         &error);
  g_assert_no_error (error);
  if (status != 200)
    {
      g_autofree char *text = answer ? json_to_string (answer, FALSE) : g_strdup ("");
      g_error ("import at %s: %u: %s", price, status, text);
    }
}

static JsonNode *
place (Engine     *e,
       const char *body,
       guint       expected)
{
  return api (e, "POST", "/api/v1/orders", body, expected);
}

static JsonNode *
get_order (Engine *e,
           gint64  id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/orders/%" G_GINT64_FORMAT, id);

  return api (e, "GET", path, NULL, 200);
}

static const char *
order_status (JsonNode *order)
{
  return json_object_get_string_member (json_node_get_object (order), "status");
}

/* Free and locked of @asset, as GET /api/v1/portfolio shows them (0 when absent). */
static void
portfolio_balance (Engine     *e,
                   const char *asset,
                   gint64     *free_units,
                   gint64     *locked_units)
{
  g_autoptr(JsonNode) portfolio = api (e, "GET", "/api/v1/portfolio", NULL, 200);
  JsonArray *balances = json_object_get_array_member (json_node_get_object (portfolio), "balances");

  *free_units = *locked_units = 0;
  for (guint i = 0; i < json_array_get_length (balances); i++)
    {
      JsonObject *balance = json_array_get_object_element (balances, i);

      if (g_str_equal (json_object_get_string_member (balance, "asset"), asset))
        {
          *free_units = member_units (balance, "free");
          *locked_units = member_units (balance, "locked");
        }
    }
}

static gint
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The ids of the open orders, every page of GET /api/v1/orders?status=open, ascending. */
static GArray *
open_order_ids (Engine *e)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *cursor = NULL;

  do
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/orders?status=open&limit=500%s%s",
                                               cursor ? "&cursor=" : "", cursor ? cursor : "");
      g_autoptr(JsonNode) page = api (e, "GET", path, NULL, 200);
      JsonObject *object = json_node_get_object (page);
      JsonArray *items = json_object_get_array_member (object, "items");
      JsonNode *next = json_object_get_member (object, "next_cursor");

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *order = json_array_get_object_element (items, i);
          gint64 id = json_object_get_int_member (order, "id");
          const char *status = json_object_get_string_member (order, "status");

          g_assert_true (g_str_equal (status, "NEW") || g_str_equal (status, "PARTIALLY_FILLED"));
          g_array_append_val (ids, id);
        }
      g_clear_pointer (&cursor, g_free);
      if (next != NULL && !JSON_NODE_HOLDS_NULL (next))
        cursor = JSON_NODE_TYPE (next) == JSON_NODE_VALUE && json_node_get_value_type (next) == G_TYPE_STRING
                 ? g_strdup (json_node_get_string (next))
                 : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (next));
    }
  while (cursor != NULL);

  g_array_sort (ids, compare_ids);
  return ids;
}

/* Waits (spinning the main context) for order @id to reach @status. */
typedef struct
{
  Engine     *e;
  gint64      id;
  const char *status;
} OrderWait;

static gboolean
order_has_status (gpointer data)
{
  OrderWait *wait = data;
  g_autoptr(JsonNode) order = get_order (wait->e, wait->id);

  return g_str_equal (order_status (order), wait->status);
}

static void
wait_order_status (Engine     *e,
                   gint64      id,
                   const char *status)
{
  OrderWait wait = { e, id, status };

  if (!boursed_poll (order_has_status, &wait, 30))
    {
      g_autoptr(JsonNode) order = get_order (e, id);
      g_autofree char *text = json_to_string (order, FALSE);

      g_error ("order %" G_GINT64_FORMAT " did not become %s within 30 s: %s", id, status, text);
    }
}

/* --- the SQLite file, checked directly ------------------------------------------------- */

typedef struct
{
  sqlite3 *db;
} Db;

static void
db_open (Db         *db,
         const char *data_dir)
{
  g_autofree char *path = g_build_filename (data_dir, "bourse.db", NULL);

  /* Read-write, as the daemon opens it: a hot WAL left by a kill is replayed. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db->db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_busy_timeout (db->db, 10000), ==, SQLITE_OK);
}

static void
db_close (Db *db)
{
  g_assert_cmpint (sqlite3_close (db->db), ==, SQLITE_OK);
  db->db = NULL;
}

static sqlite3_stmt *
db_prepare (Db         *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db->db));
  return stmt;
}

/* The one integer a query gives. */
static gint64
db_int (Db         *db,
        const char *sql,
        gint64      bind)
{
  sqlite3_stmt *stmt = db_prepare (db, sql);
  gint64 value;

  if (strchr (sql, '?') != NULL)
    sqlite3_bind_int64 (stmt, 1, bind);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("%s: no row (%s)", sql, sqlite3_errmsg (db->db));
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

typedef struct
{
  gint64  id;
  char   *status;
  char   *type;
  gint64  locked;
  gint64  filled;
  gboolean has_reason;
} DbOrder;

static void
db_order_clear (DbOrder *order)
{
  g_clear_pointer (&order->status, g_free);
  g_clear_pointer (&order->type, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DbOrder, db_order_clear)

/* The order of @client_order_id, or FALSE when there is none. */
static gboolean
db_find_order (Db         *db,
               const char *client_order_id,
               gint64      id,
               DbOrder    *out)
{
  sqlite3_stmt *stmt = db_prepare (db, client_order_id != NULL
                                       ? "SELECT id, status, type, locked, filled_quantity, reason FROM orders "
                                         "WHERE client_order_id = ?"
                                       : "SELECT id, status, type, locked, filled_quantity, reason FROM orders "
                                         "WHERE id = ?");
  gboolean found;

  if (client_order_id != NULL)
    sqlite3_bind_text (stmt, 1, client_order_id, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, id);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found)
    {
      out->id = sqlite3_column_int64 (stmt, 0);
      out->status = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      out->type = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      out->locked = sqlite3_column_int64 (stmt, 3);
      out->filled = sqlite3_column_int64 (stmt, 4);
      out->has_reason = sqlite3_column_type (stmt, 5) != SQLITE_NULL;
    }
  sqlite3_finalize (stmt);
  return found;
}

#define OPEN "('NEW', 'PARTIALLY_FILLED')"

/* Every identity of the book, on the file as the last process left it.
 * Returns the ids of the MARKET orders it left open (a crash between the
 * order and its fill), for the caller to follow. */
static GArray *
assert_ledger (BoursedFixture *f,
               const char     *when)
{
  GArray *open_markets = g_array_new (FALSE, FALSE, sizeof (gint64));
  Db db = { 0 };
  sqlite3_stmt *stmt;
  gint64 account, starting, cash, fills_cash;
  g_autofree char *currency = NULL;
  guint n_orders = 0, n_fills;

  db_open (&db, f->data_dir);

  stmt = db_prepare (&db, "PRAGMA integrity_check");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  if (!g_str_equal ((const char *) sqlite3_column_text (stmt, 0), "ok"))
    g_error ("%s: integrity_check: %s", when, sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  stmt = db_prepare (&db, "PRAGMA foreign_key_check");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    g_error ("%s: a foreign key is broken in %s", when, sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  /* One snapshot for all of it, should the engine be running. */
  g_assert_cmpint (sqlite3_exec (db.db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  stmt = db_prepare (&db, "SELECT id, currency, starting_cash FROM accounts WHERE mode = 'paper'");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  account = sqlite3_column_int64 (stmt, 0);
  currency = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  starting = sqlite3_column_int64 (stmt, 2);
  sqlite3_finalize (stmt);

  /* Cash: the deposit, the fills' notionals and fees, nothing else. */
  fills_cash = db_int (&db, "SELECT COALESCE (SUM (CASE side WHEN 'SELL' THEN quote_quantity ELSE -quote_quantity END "
                            "- fee), 0) FROM fills WHERE account_id = ?", account);
  stmt = db_prepare (&db, "SELECT free + locked FROM balances WHERE account_id = ? AND asset = ?");
  sqlite3_bind_int64 (stmt, 1, account);
  sqlite3_bind_text (stmt, 2, currency, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  cash = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (cash != starting + fills_cash)
    g_error ("%s: cash is %" G_GINT64_FORMAT " units, the deposit and the fills make %" G_GINT64_FORMAT, when, cash,
             starting + fills_cash);

  /* Each asset: locked is what its open orders hold; nothing is negative. */
  stmt = db_prepare (&db, "SELECT b.asset, b.free, b.locked, (SELECT COALESCE (SUM (o.locked), 0) FROM orders o "
                          "WHERE o.account_id = b.account_id AND o.locked_asset = b.asset AND o.status IN " OPEN ") "
                          "FROM balances b WHERE b.account_id = ?");
  sqlite3_bind_int64 (stmt, 1, account);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *asset = (const char *) sqlite3_column_text (stmt, 0);

      if (sqlite3_column_int64 (stmt, 2) != sqlite3_column_int64 (stmt, 3))
        g_error ("%s: %s locked is %" G_GINT64_FORMAT " units, its open orders hold %" G_GINT64_FORMAT, when, asset,
                 (gint64) sqlite3_column_int64 (stmt, 2), (gint64) sqlite3_column_int64 (stmt, 3));
      if (sqlite3_column_int64 (stmt, 1) < 0)
        g_error ("%s: %s free is negative (%" G_GINT64_FORMAT ")", when, asset, (gint64) sqlite3_column_int64 (stmt, 1));
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (db_int (&db, "SELECT COUNT (*) FROM orders WHERE account_id = ? AND status IN " OPEN
                                " AND locked > 0 AND locked_asset NOT IN (SELECT asset FROM balances "
                                "WHERE account_id = orders.account_id)", account), ==, 0);
  if (db_int (&db, "SELECT COUNT (*) FROM orders WHERE account_id = ? AND status NOT IN " OPEN " AND locked != 0",
              account) != 0)
    g_error ("%s: a closed order still holds a lock", when);

  /* Each order: its fills make its filled quantity, notional and fee; a
   * FILLED one's make its quantity; and it was audited as created, and
   * once for each fill. */
  stmt = db_prepare (&db, "SELECT o.id, o.status, o.type, o.quantity, o.filled_quantity, o.filled_notional, o.fee, "
                          "COALESCE (f.quantity, 0), COALESCE (f.quote_quantity, 0), COALESCE (f.fee, 0), "
                          "COALESCE (f.n, 0), COALESCE (a.creates, 0), COALESCE (a.fills, 0) "
                          "FROM orders o "
                          "LEFT JOIN (SELECT order_id, SUM (quantity) AS quantity, SUM (quote_quantity) AS quote_quantity, "
                          "           SUM (fee) AS fee, COUNT (*) AS n FROM fills GROUP BY order_id) f "
                          "  ON f.order_id = o.id "
                          "LEFT JOIN (SELECT target, SUM (action = 'order.create') AS creates, "
                          "           SUM (action = 'order.fill') AS fills FROM audit_log "
                          "           WHERE action IN ('order.create', 'order.fill') GROUP BY target) a "
                          "  ON a.target = 'order:' || o.id "
                          "WHERE o.account_id = ? ORDER BY o.id");
  sqlite3_bind_int64 (stmt, 1, account);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *status = (const char *) sqlite3_column_text (stmt, 1);
      const char *type = (const char *) sqlite3_column_text (stmt, 2);

      n_orders++;
      if (sqlite3_column_int64 (stmt, 4) != sqlite3_column_int64 (stmt, 7)
          || sqlite3_column_int64 (stmt, 5) != sqlite3_column_int64 (stmt, 8)
          || sqlite3_column_int64 (stmt, 6) != sqlite3_column_int64 (stmt, 9))
        g_error ("%s: order %" G_GINT64_FORMAT " (%s) says filled %" G_GINT64_FORMAT ", notional %" G_GINT64_FORMAT
                 ", fee %" G_GINT64_FORMAT "; its fills make %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %"
                 G_GINT64_FORMAT, when, id, status, (gint64) sqlite3_column_int64 (stmt, 4),
                 (gint64) sqlite3_column_int64 (stmt, 5), (gint64) sqlite3_column_int64 (stmt, 6),
                 (gint64) sqlite3_column_int64 (stmt, 7), (gint64) sqlite3_column_int64 (stmt, 8),
                 (gint64) sqlite3_column_int64 (stmt, 9));
      if (g_str_equal (status, "FILLED") && sqlite3_column_int64 (stmt, 7) != sqlite3_column_int64 (stmt, 3))
        g_error ("%s: order %" G_GINT64_FORMAT " is FILLED but its fills make %" G_GINT64_FORMAT " of %"
                 G_GINT64_FORMAT, when, id, (gint64) sqlite3_column_int64 (stmt, 7),
                 (gint64) sqlite3_column_int64 (stmt, 3));
      if (sqlite3_column_int64 (stmt, 11) != 1 || sqlite3_column_int64 (stmt, 12) != sqlite3_column_int64 (stmt, 10))
        g_error ("%s: order %" G_GINT64_FORMAT " has %" G_GINT64_FORMAT " order.create and %" G_GINT64_FORMAT
                 " order.fill audit entries for %" G_GINT64_FORMAT " fills", when, id,
                 (gint64) sqlite3_column_int64 (stmt, 11), (gint64) sqlite3_column_int64 (stmt, 12),
                 (gint64) sqlite3_column_int64 (stmt, 10));
      if (g_str_equal (type, "MARKET") && (g_str_equal (status, "NEW") || g_str_equal (status, "PARTIALLY_FILLED")))
        g_array_append_val (open_markets, id);
    }
  sqlite3_finalize (stmt);
  n_fills = db_int (&db, "SELECT COUNT (*) FROM fills WHERE account_id = ?", account);
  g_assert_cmpint (db_int (&db, "SELECT COUNT (*) FROM fills f WHERE f.account_id = ? AND NOT EXISTS "
                                "(SELECT 1 FROM orders o WHERE o.id = f.order_id)", account), ==, 0);

  /* Base assets: balance = position = Σ filled buys − sells, both ways round. */
  stmt = db_prepare (&db, "SELECT p.symbol, p.quantity, "
                          "COALESCE ((SELECT b.free + b.locked FROM balances b WHERE b.account_id = p.account_id "
                          "           AND b.asset = i.base_asset), 0), "
                          "(SELECT COALESCE (SUM (CASE f.side WHEN 'BUY' THEN f.quantity ELSE -f.quantity END), 0) "
                          " FROM fills f WHERE f.account_id = p.account_id AND f.symbol = p.symbol) "
                          "FROM positions p JOIN instruments i ON i.symbol = p.symbol WHERE p.account_id = ?");
  sqlite3_bind_int64 (stmt, 1, account);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (sqlite3_column_int64 (stmt, 1) != sqlite3_column_int64 (stmt, 2)
        || sqlite3_column_int64 (stmt, 1) != sqlite3_column_int64 (stmt, 3))
      g_error ("%s: %s: position %" G_GINT64_FORMAT ", base balance %" G_GINT64_FORMAT ", fills %" G_GINT64_FORMAT,
               when, sqlite3_column_text (stmt, 0), (gint64) sqlite3_column_int64 (stmt, 1),
               (gint64) sqlite3_column_int64 (stmt, 2), (gint64) sqlite3_column_int64 (stmt, 3));
  sqlite3_finalize (stmt);
  stmt = db_prepare (&db, "SELECT b.asset, b.free + b.locked, "
                          "COALESCE ((SELECT SUM (p.quantity) FROM positions p JOIN instruments i ON i.symbol = p.symbol "
                          "           WHERE p.account_id = b.account_id AND i.base_asset = b.asset), 0) "
                          "FROM balances b WHERE b.account_id = ? AND b.asset != ?");
  sqlite3_bind_int64 (stmt, 1, account);
  sqlite3_bind_text (stmt, 2, currency, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (sqlite3_column_int64 (stmt, 1) != sqlite3_column_int64 (stmt, 2))
      g_error ("%s: %s balance %" G_GINT64_FORMAT ", positions %" G_GINT64_FORMAT, when, sqlite3_column_text (stmt, 0),
               (gint64) sqlite3_column_int64 (stmt, 1), (gint64) sqlite3_column_int64 (stmt, 2));
  sqlite3_finalize (stmt);

  /* The history of each balance ends where the balance is. */
  stmt = db_prepare (&db, "SELECT b.asset, b.free, b.locked, c.free, c.locked FROM balances b "
                          "LEFT JOIN balance_changes c ON c.id = (SELECT MAX (id) FROM balance_changes "
                          "  WHERE account_id = b.account_id AND asset = b.asset) WHERE b.account_id = ?");
  sqlite3_bind_int64 (stmt, 1, account);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (sqlite3_column_type (stmt, 3) == SQLITE_NULL
        || sqlite3_column_int64 (stmt, 1) != sqlite3_column_int64 (stmt, 3)
        || sqlite3_column_int64 (stmt, 2) != sqlite3_column_int64 (stmt, 4))
      g_error ("%s: the history of %s does not end at its balance", when, sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_exec (db.db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  db_close (&db);
  g_test_message ("%s: the ledger holds (%u orders, %u fills, %u MARKET orders left open)", when, n_orders, n_fills,
                  open_markets->len);
  return open_markets;
}

/* MARKET orders a crash left open: EXPIRED now, with a reason, nothing
 * filled and nothing locked (the ledger check saw the lock go back to free). */
static void
assert_expired (Engine *e,
                GArray *open_markets)
{
  Db db = { 0 };

  for (guint i = 0; i < open_markets->len; i++)
    wait_order_status (e, g_array_index (open_markets, gint64, i), "EXPIRED");
  db_open (&db, e->f->data_dir);
  for (guint i = 0; i < open_markets->len; i++)
    {
      DbOrder order = { 0 };

      g_assert_true (db_find_order (&db, NULL, g_array_index (open_markets, gint64, i), &order));
      g_assert_cmpstr (order.status, ==, "EXPIRED");
      g_assert_cmpint (order.locked, ==, 0);
      g_assert_cmpint (order.filled, ==, 0);
      g_assert_true (order.has_reason);
      db_order_clear (&order);
    }
  db_close (&db);
}

/* --- restart with open orders ------------------------------------------------------------ */

static void
assert_ids_equal (GArray *a,
                  GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpint (g_array_index (a, gint64, i), ==, g_array_index (b, gint64, i));
}

static void
test_restart_open_orders (BoursedFixture *f,
                          gconstpointer   data)
{
  Engine e = { f, .next_candle = FIRST_CANDLE };
  g_autoptr(JsonNode) bought = NULL;
  g_autoptr(JsonNode) buy = NULL;
  g_autoptr(JsonNode) sell = NULL;
  g_autoptr(JsonNode) filled = NULL;
  g_autoptr(GArray) open_before = NULL;
  g_autoptr(GArray) open_after = NULL;
  g_autoptr(GArray) left = NULL;
  gint64 buy_id, sell_id, free_usdt, locked_usdt, free_base, locked_base, free_usdt_before;
  JsonObject *order;

  boursed_add_user (f, "owner", "admin", PASSWORD);
  engine_start (&e, NULL);
  create_instrument (&e);
  set_price (&e, "100");

  /* Some of the base to sell: 2 at 100.02 (2 bps up, to the tick). */
  bought = place (&e, "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"2\"}", 201);
  g_assert_cmpstr (order_status (bought), ==, "FILLED");
  g_assert_cmpint (member_units (json_node_get_object (bought), "average_price"), ==, units ("100.02"));

  /* A BUY below and a SELL above: both rest, each with its lock. */
  buy = place (&e, "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"1\","
                   "\"price\":\"90\",\"client_order_id\":\"rest-buy\"}", 201);
  sell = place (&e, "{\"symbol\":\"" SYMBOL "\",\"side\":\"SELL\",\"type\":\"LIMIT\",\"quantity\":\"1.5\","
                    "\"price\":\"110\",\"client_order_id\":\"rest-sell\"}", 201);
  g_assert_cmpstr (order_status (buy), ==, "NEW");
  g_assert_cmpstr (order_status (sell), ==, "NEW");
  buy_id = json_object_get_int_member (json_node_get_object (buy), "id");
  sell_id = json_object_get_int_member (json_node_get_object (sell), "id");

  /* A BUY locks its notional at its limit and the taker fee on it: 90 + 0.09. */
  portfolio_balance (&e, "USDT", &free_usdt_before, &locked_usdt);
  g_assert_cmpint (locked_usdt, ==, units ("90.09"));
  portfolio_balance (&e, BASE, &free_base, &locked_base);
  g_assert_cmpint (locked_base, ==, units ("1.5"));
  g_assert_cmpint (free_base, ==, units ("0.5"));
  open_before = open_order_ids (&e);
  g_assert_cmpuint (open_before->len, ==, 2);

  engine_stop (&e);
  left = assert_ledger (f, "after a clean stop with open orders");
  g_assert_cmpuint (left->len, ==, 0);

  /* Again on the same data: the same orders open, the same locks. */
  engine_start (&e, NULL);
  open_after = open_order_ids (&e);
  assert_ids_equal (open_before, open_after);
  portfolio_balance (&e, "USDT", &free_usdt, &locked_usdt);
  g_assert_cmpint (locked_usdt, ==, units ("90.09"));
  g_assert_cmpint (free_usdt, ==, free_usdt_before);
  portfolio_balance (&e, BASE, &free_base, &locked_base);
  g_assert_cmpint (locked_base, ==, units ("1.5"));
  {
    g_autoptr(JsonNode) again = get_order (&e, buy_id);

    g_assert_cmpstr (order_status (again), ==, "NEW");
  }

  /* A price that does not reach either leaves them resting. */
  set_price (&e, "95");
  {
    g_autoptr(GArray) still = open_order_ids (&e);

    assert_ids_equal (open_before, still);
  }

  /* The resumed BUY fills when the price falls through it: at its limit, as maker. */
  set_price (&e, "89.5");
  wait_order_status (&e, buy_id, "FILLED");
  filled = get_order (&e, buy_id);
  order = json_node_get_object (filled);
  g_assert_cmpint (member_units (order, "average_price"), ==, units ("90"));
  g_assert_cmpint (member_units (order, "fee"), ==, units ("0.09"));
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (order, "fills"), 0), "liquidity"),
                   ==, "maker");
  portfolio_balance (&e, "USDT", &free_usdt, &locked_usdt);
  g_assert_cmpint (locked_usdt, ==, 0);
  g_clear_pointer (&filled, json_node_unref);

  /* And once more across a restart, the SELL alone. */
  engine_stop (&e);
  g_clear_pointer (&left, g_array_unref);
  left = assert_ledger (f, "after a clean stop with the SELL open");
  engine_start (&e, NULL);
  g_clear_pointer (&open_after, g_array_unref);
  open_after = open_order_ids (&e);
  g_assert_cmpuint (open_after->len, ==, 1);
  g_assert_cmpint (g_array_index (open_after, gint64, 0), ==, sell_id);

  set_price (&e, "111");
  wait_order_status (&e, sell_id, "FILLED");
  filled = get_order (&e, sell_id);
  order = json_node_get_object (filled);
  g_assert_cmpint (member_units (order, "average_price"), ==, units ("110"));
  g_assert_cmpint (member_units (order, "fee"), ==, units ("0.165"));

  /* To the unit: 10000 − 200.04 − 0.20004 − 90 − 0.09 + 165 − 0.165, and
   * 2 + 1 − 1.5 of the base, nothing locked. */
  portfolio_balance (&e, "USDT", &free_usdt, &locked_usdt);
  g_assert_cmpint (free_usdt, ==, units ("9874.50496"));
  g_assert_cmpint (locked_usdt, ==, 0);
  portfolio_balance (&e, BASE, &free_base, &locked_base);
  g_assert_cmpint (free_base, ==, units ("1.5"));
  g_assert_cmpint (locked_base, ==, 0);
  g_clear_pointer (&open_after, g_array_unref);
  open_after = open_order_ids (&e);
  g_assert_cmpuint (open_after->len, ==, 0);

  engine_stop (&e);
  g_clear_pointer (&left, g_array_unref);
  left = assert_ledger (f, "at the end");
  engine_clear (&e);
}

/* --- killed between order and fill ------------------------------------------------------------ */

static const char *die_on_sql_module;

/* A boursed that kills itself as it is about to store a fill. */
static void
engine_start_dying (Engine *e)
{
  g_autofree char *preload = g_strconcat ("LD_PRELOAD=", die_on_sql_module, NULL);
  /* The module comes before the sanitizer's runtime in a sanitized build. */
  g_autofree char *asan = g_strconcat ("ASAN_OPTIONS=", g_getenv ("ASAN_OPTIONS") ? g_getenv ("ASAN_OPTIONS") : "",
                                       g_getenv ("ASAN_OPTIONS") ? ":" : "", "verify_asan_link_order=0", NULL);
  const char *env[] = { preload, asan, "BOURSE_TEST_DIE_ON_SQL=INSERT INTO fills", NULL };

  engine_start (e, env);
}

static void
exited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* Sends a request that kills the process before its answer, waits for the
 * SIGKILL and checks the ledger the file holds then. */
static void
request_and_die (Engine     *e,
                 const char *what,
                 const char *path,
                 const char *content_type,
                 const char *body)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) open_markets = NULL;
  gboolean exited = FALSE;
  guint status;

  answer = boursed_http (e->session, e->daemon->port, "POST", path, NULL, e->token, content_type, body, &status,
                         &error);
  if (error == NULL)
    {
      g_autofree char *text = answer ? json_to_string (answer, FALSE) : g_strdup ("");
      g_error ("%s was answered (%u: %s): the fill was stored without the crash", what, status, text);
    }
  g_test_message ("%s: no answer (%s)", what, error->message);

  g_subprocess_wait_async (e->daemon->process, NULL, exited_cb, &exited);
  boursed_wait_for (&exited, BOURSED_EXIT_TIMEOUT_S, "boursed to die storing a fill");
  g_assert_true (g_subprocess_get_if_signaled (e->daemon->process));
  g_assert_cmpint (g_subprocess_get_term_sig (e->daemon->process), ==, SIGKILL);
  g_clear_pointer (&e->daemon, boursed_daemon_free);

  open_markets = assert_ledger (e->f, what);
  g_assert_cmpuint (open_markets->len, ==, 0);
}

static void
test_killed_before_fill (BoursedFixture *f,
                         gconstpointer   data)
{
  static const char *market_sell = "{\"symbol\":\"" SYMBOL "\",\"side\":\"SELL\",\"type\":\"MARKET\","
                                   "\"quantity\":\"2\",\"client_order_id\":\"die-market-sell\"}";
  static const char *market_buy = "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"MARKET\","
                                  "\"quantity\":\"1\",\"client_order_id\":\"die-market-buy\"}";
  static const char *limit_buy = "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"LIMIT\","
                                 "\"quantity\":\"1\",\"price\":\"101\",\"client_order_id\":\"die-limit-buy\"}";
  Engine e = { f, .next_candle = FIRST_CANDLE };
  gint64 free_usdt, locked_usdt, free_base, locked_base, free_usdt0, free_base0;

  if (die_on_sql_module == NULL)
    {
      g_test_skip ("DIE_ON_SQL_MODULE is not set");
      return;
    }

  boursed_add_user (f, "owner", "admin", PASSWORD);
  engine_start (&e, NULL);
  create_instrument (&e);
  set_price (&e, "100");
  {
    g_autoptr(JsonNode) bought = place (&e, "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"MARKET\","
                                            "\"quantity\":\"5\"}", 201);

    g_assert_cmpstr (order_status (bought), ==, "FILLED");
  }
  portfolio_balance (&e, "USDT", &free_usdt0, &locked_usdt);
  portfolio_balance (&e, BASE, &free_base0, &locked_base);
  engine_stop (&e);

  /* A MARKET SELL, a MARKET BUY and a marketable LIMIT, each killed as its
   * fill is stored: the order and its fill are one transaction, so nothing
   * of it is on the file — it was never acknowledged — and the client's
   * retry with its client_order_id makes it then (201), filled. */
  for (guint i = 0; i < 3; i++)
    {
      const char *body = i == 0 ? market_sell : i == 1 ? market_buy : limit_buy;
      const char *client_id = i == 0 ? "die-market-sell" : i == 1 ? "die-market-buy" : "die-limit-buy";
      g_auto(DbOrder) stored = { 0 };
      g_autoptr(GArray) left = NULL;
      g_autoptr(JsonNode) again = NULL;
      Db db = { 0 };

      engine_start_dying (&e);
      request_and_die (&e, client_id, "/api/v1/orders", NULL, body);
      db_open (&db, f->data_dir);
      g_assert_false (db_find_order (&db, client_id, 0, &stored));
      db_close (&db);

      engine_start (&e, NULL);
      portfolio_balance (&e, "USDT", &free_usdt, &locked_usdt);
      portfolio_balance (&e, BASE, &free_base, &locked_base);
      g_assert_cmpint (free_usdt, ==, free_usdt0);
      g_assert_cmpint (locked_usdt, ==, 0);
      g_assert_cmpint (free_base, ==, free_base0);
      g_assert_cmpint (locked_base, ==, 0);
      again = place (&e, body, 201);
      g_assert_cmpstr (order_status (again), ==, "FILLED");
      portfolio_balance (&e, "USDT", &free_usdt0, &locked_usdt);
      portfolio_balance (&e, BASE, &free_base0, &locked_base);
      engine_stop (&e);
      left = assert_ledger (f, "after the retry");
      g_assert_cmpuint (left->len, ==, 0);
    }

  /* A resting LIMIT whose fill a later price brings, killed as that fill is
   * stored: on the file it is NEW with its lock and no fill; after the
   * restart it rests again and fills at the next price through it. */
  {
    g_auto(DbOrder) stored = { 0 };
    g_autoptr(GArray) left = NULL;
    g_autoptr(JsonNode) resting = NULL;
    g_autoptr(JsonNode) filled = NULL;
    g_autofree char *csv = NULL;
    gint64 id;
    Db db = { 0 };

    engine_start (&e, NULL);
    resting = place (&e, "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"1\","
                         "\"price\":\"99\",\"client_order_id\":\"die-resting-buy\"}", 201);
    g_assert_cmpstr (order_status (resting), ==, "NEW");
    id = json_object_get_int_member (json_node_get_object (resting), "id");
    engine_stop (&e);

    engine_start_dying (&e);
    csv = candle_csv (e.next_candle, "98.5");
    e.next_candle += MINUTE_MS;
    request_and_die (&e, "the price through die-resting-buy", IMPORT_PATH, "text/csv", csv);
    db_open (&db, f->data_dir);
    g_assert_true (db_find_order (&db, "die-resting-buy", 0, &stored));
    g_assert_cmpint (db_int (&db, "SELECT COUNT (*) FROM fills WHERE order_id = ?", stored.id), ==, 0);
    db_close (&db);
    g_assert_cmpstr (stored.status, ==, "NEW");
    g_assert_cmpint (stored.locked, ==, units ("99.099"));

    engine_start (&e, NULL);
    set_price (&e, "98.4");
    wait_order_status (&e, id, "FILLED");
    filled = get_order (&e, id);
    g_assert_cmpint (member_units (json_node_get_object (filled), "average_price"), ==, units ("99"));
    portfolio_balance (&e, "USDT", &free_usdt, &locked_usdt);
    g_assert_cmpint (locked_usdt, ==, 0);
    g_assert_cmpint (free_usdt, ==, free_usdt0 - units ("99.099"));
    portfolio_balance (&e, BASE, &free_base, &locked_base);
    g_assert_cmpint (free_base, ==, free_base0 + units ("1"));
    engine_stop (&e);
    left = assert_ledger (f, "after the LIMIT filled");
    g_assert_cmpuint (left->len, ==, 0);
  }
  engine_clear (&e);
}

/* --- SIGKILL under a stream of orders ------------------------------------------------------------ */

typedef struct
{
  char     *client_order_id;
  char     *body;
  gboolean  market;
  gint64    id;            /* 0 while unknown: the answer was lost */
  char     *status;        /* as acknowledged */
  gint64    filled;        /* as acknowledged */
} Placed;

static void
placed_free (Placed *placed)
{
  g_free (placed->client_order_id);
  g_free (placed->body);
  g_free (placed->status);
  g_free (placed);
}

static gboolean
is_final (const char *status)
{
  return !g_str_equal (status, "NEW") && !g_str_equal (status, "PARTIALLY_FILLED");
}

typedef struct
{
  GMutex      mutex;
  GCond       cond;
  guint       port;
  const char *token;
  guint       round;
  GPtrArray  *acknowledged;   /* Placed, answered 201 */
  GPtrArray  *lost;           /* Placed, sent without a whole answer */
  guint       n_acknowledged; /* this round */
  gint64      price_cents;    /* the last price set, for the limits */
  gint64      next_candle;
  guint       n_imports;
  gboolean    dead;           /* the daemon stopped answering */
  GString    *failures;
} Stream;

typedef struct
{
  Stream  *stream;
  guint    worker;
  guint32  seed;
} Worker;

static void
fail (Stream     *stream,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
fail (Stream     *stream,
      const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_mutex_lock (&stream->mutex);
  g_string_append_vprintf (stream->failures, format, args);
  g_string_append_c (stream->failures, '\n');
  stream->dead = TRUE;
  g_cond_broadcast (&stream->cond);
  g_mutex_unlock (&stream->mutex);
  va_end (args);
}

/* Places orders one after another on a connection of its own until the
 * daemon stops answering: MARKET and LIMIT in turn, BUY and SELL in turn. */
static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  Stream *stream = worker->stream;
  g_autoptr(GRand) rand = g_rand_new_with_seed (worker->seed);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);

  for (guint n = 0; n < 100000; n++)
    {
      gboolean market = n % 2 == 0;
      gboolean buy = (n / 2 + worker->worker) % 2 == 0;
      g_autofree char *client_id = g_strdup_printf ("r%u-w%u-%u", stream->round, worker->worker, n);
      g_autofree char *quantity = g_strdup_printf ("0.%03d", g_rand_int_range (rand, 20, 200));
      g_autofree char *price = NULL;
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(GError) error = NULL;
      Placed *placed;
      guint status;
      gint64 cents;

      g_mutex_lock (&stream->mutex);
      cents = stream->price_cents;
      if (stream->dead)
        {
          g_mutex_unlock (&stream->mutex);
          break;
        }
      g_mutex_unlock (&stream->mutex);
      /* Mostly resting, some marketable: a BUY from 5 % below to 1 % above. */
      cents = buy ? cents * g_rand_int_range (rand, 950, 1011) / 1000 : cents * g_rand_int_range (rand, 990, 1051) / 1000;
      price = g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", cents / 100, (int) (cents % 100));

      placed = g_new0 (Placed, 1);
      placed->client_order_id = g_strdup (client_id);
      placed->market = market;
      placed->body = market
        ? g_strdup_printf ("{\"symbol\":\"" SYMBOL "\",\"side\":\"%s\",\"type\":\"MARKET\",\"quantity\":\"%s\","
                           "\"client_order_id\":\"%s\"}", buy ? "BUY" : "SELL", quantity, client_id)
        : g_strdup_printf ("{\"symbol\":\"" SYMBOL "\",\"side\":\"%s\",\"type\":\"LIMIT\",\"quantity\":\"%s\","
                           "\"price\":\"%s\",\"client_order_id\":\"%s\"}", buy ? "BUY" : "SELL", quantity, price,
                           client_id);

      answer = boursed_http (session, stream->port, "POST", "/api/v1/orders", NULL, stream->token, NULL,
                             placed->body, &status, &error);
      if (error != NULL)
        {
          g_mutex_lock (&stream->mutex);
          g_ptr_array_add (stream->lost, placed);
          stream->dead = TRUE;
          g_cond_broadcast (&stream->cond);
          g_mutex_unlock (&stream->mutex);
          break;
        }
      if (status != 201 || answer == NULL)
        {
          g_autofree char *text = answer ? json_to_string (answer, FALSE) : g_strdup ("");

          fail (stream, "%s: %u: %s", placed->body, status, text);
          placed_free (placed);
          break;
        }
      placed->id = json_object_get_int_member (json_node_get_object (answer), "id");
      placed->status = g_strdup (order_status (answer));
      placed->filled = member_units (json_node_get_object (answer), "filled_quantity");
      /* The fill model: a MARKET order fills at once, whole. */
      if (market && !g_str_equal (placed->status, "FILLED"))
        fail (stream, "%s was acknowledged %s", client_id, placed->status);
      g_mutex_lock (&stream->mutex);
      g_ptr_array_add (stream->acknowledged, placed);
      stream->n_acknowledged++;
      g_cond_broadcast (&stream->cond);
      g_mutex_unlock (&stream->mutex);
    }
  return NULL;
}

/* Moves the price, a candle every 8 acknowledged orders, so that resting
 * orders fill (and their fills meet the kill too). */
static gpointer
importer_thread (gpointer data)
{
  Worker *worker = data;
  Stream *stream = worker->stream;
  g_autoptr(GRand) rand = g_rand_new_with_seed (worker->seed);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  guint next = 8;

  for (;;)
    {
      g_autoptr(JsonNode) answer = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *csv = NULL;
      g_autofree char *price = NULL;
      gint64 cents, open_time;
      guint status;

      g_mutex_lock (&stream->mutex);
      while (!stream->dead && stream->n_acknowledged < next)
        g_cond_wait (&stream->cond, &stream->mutex);
      if (stream->dead)
        {
          g_mutex_unlock (&stream->mutex);
          break;
        }
      /* A walk between 95 and 105. */
      cents = CLAMP (stream->price_cents + g_rand_int_range (rand, -150, 151), 9500, 10500);
      open_time = stream->next_candle;
      stream->next_candle += MINUTE_MS;
      g_mutex_unlock (&stream->mutex);
      next += 8;

      price = g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", cents / 100, (int) (cents % 100));
      csv = candle_csv (open_time, price);
      answer = boursed_http (session, stream->port, "POST", IMPORT_PATH, NULL, stream->token, "text/csv", csv, &status,
                             &error);
      if (error != NULL)
        {
          g_test_message ("import at %s: %s", price, error->message);
          break;
        }
      if (status != 200)
        {
          fail (stream, "import at %s: %u", price, status);
          break;
        }
      g_mutex_lock (&stream->mutex);
      stream->price_cents = cents;
      stream->n_imports++;
      g_mutex_unlock (&stream->mutex);
    }
  return NULL;
}

/* Every acknowledged order on the file, as acknowledged or further along. */
static void
assert_acknowledged_on_file (BoursedFixture *f,
                             Stream         *stream)
{
  Db db = { 0 };

  db_open (&db, f->data_dir);
  for (guint i = 0; i < stream->acknowledged->len; i++)
    {
      Placed *placed = g_ptr_array_index (stream->acknowledged, i);
      g_auto(DbOrder) stored = { 0 };

      if (!db_find_order (&db, placed->client_order_id, 0, &stored))
        g_error ("order %s (id %" G_GINT64_FORMAT ", acknowledged %s) is not on the file after the kill",
                 placed->client_order_id, placed->id, placed->status);
      g_assert_cmpint (stored.id, ==, placed->id);
      if (is_final (placed->status) && (!g_str_equal (stored.status, placed->status) || stored.filled != placed->filled))
        g_error ("order %s was acknowledged %s, the file says %s", placed->client_order_id, placed->status,
                 stored.status);
      g_assert_cmpint (stored.filled, >=, placed->filled);
    }
  db_close (&db);
}

/* And through the API of the restarted engine. */
static void
assert_acknowledged_served (Engine  *e,
                            Stream  *stream,
                            guint    from)
{
  for (guint i = from; i < stream->acknowledged->len; i++)
    {
      Placed *placed = g_ptr_array_index (stream->acknowledged, i);
      g_autoptr(JsonNode) order = get_order (e, placed->id);
      JsonObject *object = json_node_get_object (order);
      const char *status = order_status (order);

      g_assert_cmpstr (json_object_get_string_member (object, "client_order_id"), ==, placed->client_order_id);
      if (is_final (placed->status))
        g_assert_cmpstr (status, ==, placed->status);
      /* Nobody cancels here, and resting LIMITs never expire. */
      else if (!g_str_equal (status, "NEW") && !g_str_equal (status, "PARTIALLY_FILLED")
               && !g_str_equal (status, "FILLED"))
        g_error ("resting order %s is %s after the restart", placed->client_order_id, status);
    }
}

static void
stream_free_lists (Stream *stream)
{
  g_ptr_array_unref (stream->acknowledged);
  g_ptr_array_unref (stream->lost);
}

static void
test_kill_under_orders (BoursedFixture *f,
                        gconstpointer   data)
{
  /* Plenty of cash and base, so that no order is refused for want of it. */
  static const char * const env[] = { "BOURSE_PAPER_STARTING_BALANCE=1000000", NULL };
  Engine e = { f, .next_candle = FIRST_CANDLE };
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  Stream stream = { 0 };
  guint checked = 0, n_expired = 0, n_landed = 0, n_lost = 0;
  gint64 started = g_get_monotonic_time ();

  g_mutex_init (&stream.mutex);
  g_cond_init (&stream.cond);
  stream.acknowledged = g_ptr_array_new_with_free_func ((GDestroyNotify) placed_free);
  stream.lost = g_ptr_array_new_with_free_func ((GDestroyNotify) placed_free);
  stream.failures = g_string_new (NULL);

  boursed_add_user (f, "owner", "admin", PASSWORD);
  engine_start (&e, env);
  create_instrument (&e);
  set_price (&e, "100");
  stream.price_cents = 10000;
  {
    g_autoptr(JsonNode) bought = place (&e, "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"MARKET\","
                                            "\"quantity\":\"1000\"}", 201);

    g_assert_cmpstr (order_status (bought), ==, "FILLED");
  }
  stream.next_candle = e.next_candle;

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      guint before_kill = g_rand_int_range (rand, 5, 60);
      guint delay_us = g_rand_int_range (rand, 0, 5000);
      GThread *threads[N_WORKERS + 1];
      Worker workers[N_WORKERS + 1];
      g_autoptr(GArray) open_markets = NULL;
      gint64 deadline;

      stream.round = round;
      stream.port = e.daemon->port;
      stream.token = e.token;
      stream.n_acknowledged = 0;
      stream.dead = FALSE;
      for (guint w = 0; w <= N_WORKERS; w++)
        {
          workers[w] = (Worker) { &stream, w, g_rand_int (rand) };
          threads[w] = g_thread_new (w < N_WORKERS ? "orders" : "prices",
                                     w < N_WORKERS ? worker_thread : importer_thread, &workers[w]);
        }

      /* The kill: after the seed's number of acknowledged orders, and the
       * seed's microseconds into what comes next. */
      deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
      g_mutex_lock (&stream.mutex);
      while (!stream.dead && stream.n_acknowledged < before_kill)
        if (!g_cond_wait_until (&stream.cond, &stream.mutex, deadline))
          break;
      g_mutex_unlock (&stream.mutex);
      if (stream.n_acknowledged < before_kill && stream.failures->len == 0)
        g_error ("round %u: %u orders acknowledged in 60 s, waiting for %u; the daemon's log:\n%s", round,
                 stream.n_acknowledged, before_kill, boursed_daemon_log (e.daemon));
      g_usleep (delay_us);
      kill (e.daemon->pid, SIGKILL);
      g_mutex_lock (&stream.mutex);
      stream.dead = TRUE;
      g_cond_broadcast (&stream.cond);
      g_mutex_unlock (&stream.mutex);
      for (guint w = 0; w <= N_WORKERS; w++)
        g_thread_join (threads[w]);
      boursed_daemon_kill (e.daemon);
      g_clear_pointer (&e.daemon, boursed_daemon_free);
      if (stream.failures->len > 0)
        g_error ("round %u: %s", round, stream.failures->str);
      g_test_message ("round %u: killed %u us after %u acknowledged orders (%u in all, %u lost, %u prices)", round,
                      delay_us, before_kill, stream.acknowledged->len, stream.lost->len, stream.n_imports);

      /* The file as the kill left it: consistent, every acknowledged order there. */
      {
        g_autofree char *when = g_strdup_printf ("after kill %u", round);

        open_markets = assert_ledger (f, when);
      }
      /* A paper MARKET order and its fill are one transaction: none is on
       * the file without it. */
      g_assert_cmpuint (open_markets->len, ==, 0);
      assert_acknowledged_on_file (f, &stream);

      /* Restarted: MARKET orders left open are EXPIRED, locks back. */
      engine_start (&e, env);
      assert_expired (&e, open_markets);
      n_expired += open_markets->len;
      assert_acknowledged_served (&e, &stream, checked);
      checked = stream.acknowledged->len;

      /* The lost answers, asked again with their client_order_id: found
       * when they had landed, made now when not, never twice. */
      while (stream.lost->len > 0)
        {
          Placed *placed = g_ptr_array_steal_index (stream.lost, 0);
          g_autoptr(JsonNode) answer = NULL;
          g_autoptr(GError) error = NULL;
          guint status;

          answer = boursed_http (e.session, e.daemon->port, "POST", "/api/v1/orders", NULL, e.token, NULL, placed->body,
                                 &status, &error);
          g_assert_no_error (error);
          if (status != 200 && status != 201)
            {
              g_autofree char *text = answer ? json_to_string (answer, FALSE) : g_strdup ("");
              g_error ("%s again: %u: %s", placed->body, status, text);
            }
          n_lost++;
          if (status == 200)
            n_landed++;
          placed->id = json_object_get_int_member (json_node_get_object (answer), "id");
          placed->status = g_strdup (order_status (answer));
          placed->filled = member_units (json_node_get_object (answer), "filled_quantity");
          if (placed->market && !g_str_equal (placed->status, "FILLED") && !g_str_equal (placed->status, "EXPIRED"))
            g_error ("%s again: %s", placed->client_order_id, placed->status);
          g_ptr_array_add (stream.acknowledged, placed);
        }
      e.next_candle = stream.next_candle;
      /* The engine's own writes since the restart keep the ledger too. */
      {
        g_autoptr(GArray) after = NULL;
        g_autofree char *when = g_strdup_printf ("after restart %u", round);

        after = assert_ledger (f, when);
        g_assert_cmpuint (after->len, ==, 0);
      }
    }

  /* Everything once more, then a clean stop. */
  assert_acknowledged_served (&e, &stream, 0);
  engine_stop (&e);
  {
    g_autoptr(GArray) left = assert_ledger (f, "at the end");

    g_assert_cmpuint (left->len, ==, 0);
  }
  g_test_message ("%u kills: %u orders acknowledged, %u answers lost (%u of them had landed), %u MARKET orders "
                  "expired at a restart, %u prices; %.1f s", N_ROUNDS, stream.acknowledged->len, n_lost, n_landed,
                  n_expired, stream.n_imports, (g_get_monotonic_time () - started) / 1e6);
  g_assert_cmpuint (stream.acknowledged->len, >, N_ROUNDS * 5);

  engine_clear (&e);
  stream_free_lists (&stream);
  g_string_free (stream.failures, TRUE);
  g_cond_clear (&stream.cond);
  g_mutex_clear (&stream.mutex);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (boursed_test_init () == NULL)
    return 1;
  die_on_sql_module = g_getenv ("DIE_ON_SQL_MODULE");

  g_test_add ("/trading-durability/restart-open-orders", BoursedFixture, NULL, boursed_fixture_set_up,
              test_restart_open_orders, boursed_fixture_tear_down);
  g_test_add ("/trading-durability/killed-before-fill", BoursedFixture, NULL, boursed_fixture_set_up,
              test_killed_before_fill, boursed_fixture_tear_down);
  g_test_add ("/trading-durability/kill-under-orders", BoursedFixture, NULL, boursed_fixture_set_up,
              test_kill_under_orders, boursed_fixture_tear_down);

  return g_test_run ();
}
