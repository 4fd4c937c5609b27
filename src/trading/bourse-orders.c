/* bourse-orders.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-time.h"

#include "bourse-orders.h"

static const char * const sides[] = { "BUY", "SELL", NULL };
static const char * const types[] = { "MARKET", "LIMIT", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT", NULL };
static const char * const tifs[] = { "GTC", "IOC", "FOK", NULL };
static const char * const statuses[] = {
  "NEW", "PARTIALLY_FILLED", "FILLED", "CANCELED", "REJECTED", "EXPIRED", NULL
};

static gboolean
parse_word (const char         *text,
            const char * const *words,
            int                *out)
{
  for (int i = 0; words[i] != NULL; i++)
    if (g_strcmp0 (text, words[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char *
bourse_side_to_string (BourseSide side)
{
  return sides[side];
}

gboolean
bourse_side_parse (const char *text,
                   BourseSide *side)
{
  return parse_word (text, sides, (int *) side);
}

const char *
bourse_order_type_to_string (BourseOrderType type)
{
  return types[type];
}

gboolean
bourse_order_type_parse (const char      *text,
                         BourseOrderType *type)
{
  return parse_word (text, types, (int *) type);
}

const char *
bourse_time_in_force_to_string (BourseTimeInForce tif)
{
  return tifs[tif];
}

gboolean
bourse_time_in_force_parse (const char        *text,
                            BourseTimeInForce *tif)
{
  return parse_word (text, tifs, (int *) tif);
}

const char *
bourse_order_status_to_string (BourseOrderStatus status)
{
  return statuses[status];
}

gboolean
bourse_order_is_open (const BourseOrder *order)
{
  return order->status == BOURSE_ORDER_NEW || order->status == BOURSE_ORDER_PARTIALLY_FILLED;
}

gboolean
bourse_order_has_trigger (const BourseOrder *order)
{
  return order->type == BOURSE_ORDER_STOP_LOSS_LIMIT || order->type == BOURSE_ORDER_TAKE_PROFIT_LIMIT;
}

BourseOrder *
bourse_order_new (void)
{
  return g_new0 (BourseOrder, 1);
}

void
bourse_order_free (BourseOrder *order)
{
  if (order == NULL)
    return;
  g_free (order->mode);
  g_free (order->client_order_id);
  g_free (order->symbol);
  g_free (order->fee_asset);
  g_free (order->locked_asset);
  g_free (order->purpose);
  g_free (order->reason);
  g_free (order->exchange_order_id);
  g_free (order->cancel_requested_at);
  g_free (order->created_by_name);
  g_free (order->strategy_name);
  g_free (order->created_at);
  g_free (order->updated_at);
  g_free (order);
}

static void
add_id (JsonBuilder *builder,
        const char  *name,
        gint64       id)
{
  json_builder_set_member_name (builder, name);
  if (id > 0)
    json_builder_add_int_value (builder, id);
  else
    json_builder_add_null_value (builder);
}

static void
add_text (JsonBuilder *builder,
          const char  *name,
          const char  *text)
{
  json_builder_set_member_name (builder, name);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
bourse_order_to_json (const BourseOrder *order,
                      JsonNode          *fills)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  BourseDecimal average;
  gboolean has_average = order->filled_quantity.units > 0
                         && bourse_decimal_div (order->filled_notional, order->filled_quantity,
                                                BOURSE_ROUND_HALF_EVEN, &average, NULL);

  json_builder_begin_object (builder);
  add_id (builder, "id", order->id);
  add_text (builder, "client_order_id", order->client_order_id);
  add_text (builder, "symbol", order->symbol);
  add_text (builder, "side", bourse_side_to_string (order->side));
  add_text (builder, "type", bourse_order_type_to_string (order->type));
  add_text (builder, "time_in_force", bourse_time_in_force_to_string (order->time_in_force));
  add_text (builder, "status", bourse_order_status_to_string (order->status));
  bourse_json_builder_add_decimal (builder, "quantity", &order->quantity);
  bourse_json_builder_add_decimal (builder, "filled_quantity", &order->filled_quantity);
  bourse_json_builder_add_decimal (builder, "price", order->has_price ? &order->price : NULL);
  bourse_json_builder_add_decimal (builder, "stop_price", order->has_stop_price ? &order->stop_price : NULL);
  bourse_json_builder_add_decimal (builder, "average_price", has_average ? &average : NULL);
  bourse_json_builder_add_decimal (builder, "fee", &order->fee);
  add_text (builder, "fee_asset", order->fee_asset);
  add_text (builder, "mode", order->mode);
  add_id (builder, "parent_id", order->parent_id);
  add_id (builder, "oco_id", order->oco_id);
  add_id (builder, "approval_id", order->approval_id);
  add_id (builder, "strategy_id", order->strategy_id);
  add_text (builder, "strategy_name", order->strategy_name);
  bourse_json_builder_add_decimal (builder, "stop_loss", order->has_stop_loss ? &order->stop_loss : NULL);
  bourse_json_builder_add_decimal (builder, "take_profit", order->has_take_profit ? &order->take_profit : NULL);
  json_builder_set_member_name (builder, "reduce_only");
  json_builder_add_boolean_value (builder, order->reduce_only);
  add_text (builder, "purpose", order->purpose);
  add_text (builder, "reason", order->reason);
  add_text (builder, "exchange_order_id", order->exchange_order_id);
  json_builder_set_member_name (builder, "external");
  json_builder_add_boolean_value (builder, order->external);
  add_text (builder, "cancel_requested_at", order->cancel_requested_at);
  add_id (builder, "created_by", order->created_by);
  add_text (builder, "created_by_name", order->created_by_name);
  add_text (builder, "created_at", order->created_at);
  add_text (builder, "updated_at", order->updated_at);
  if (fills != NULL)
    {
      json_builder_set_member_name (builder, "fills");
      json_builder_add_value (builder, json_node_copy (fills));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Runs an INSERT or UPDATE of an order; a duplicate client_order_id is
 * CONFLICT. */
static gboolean
step_order (BourseStore   *store,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc == SQLITE_CONSTRAINT)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "client_order_id",
                              _("An order with this client_order_id exists already"));
      return FALSE;
    }
  bourse_store_set_error (store, error);
  return FALSE;
}

static void
bind_decimal_or_null (sqlite3_stmt  *stmt,
                      int            column,
                      gboolean       has,
                      BourseDecimal  value)
{
  if (has)
    sqlite3_bind_int64 (stmt, column, value.units);
  else
    sqlite3_bind_null (stmt, column);
}

static void
bind_id_or_null (sqlite3_stmt *stmt,
                 int           column,
                 gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, column, id);
  else
    sqlite3_bind_null (stmt, column);
}

/* The names a read finds in its query, for an order made in memory: its
 * event carries what GET answers. */
static gboolean
read_names (BourseStore  *store,
            BourseOrder  *order,
            GError      **error)
{
  g_autoptr(BourseStatement) stmt = NULL;

  stmt = bourse_store_statement (store,
                                 "SELECT (SELECT username FROM users WHERE id = ?1), "
                                 "(SELECT name FROM live_strategies WHERE id = ?2)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order->created_by);
  sqlite3_bind_int64 (stmt, 2, order->strategy_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  g_free (order->created_by_name);
  order->created_by_name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  g_free (order->strategy_name);
  order->strategy_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  return TRUE;
}

gboolean
bourse_orders_insert (BourseStore  *store,
                      BourseOrder  *order,
                      GError      **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());

  stmt = bourse_store_statement (store,
                               "INSERT INTO orders (account_id, client_order_id, symbol, side, type, time_in_force, "
                               "status, quantity, price, stop_price, fee_asset, locked, locked_asset, reduce_only, "
                               "stop_loss, take_profit, parent_id, oco_id, approval_id, strategy_id, purpose, "
                               "created_by, created_at, updated_at, filled_quantity, filled_notional, fee, "
                               "exchange_order_id, external) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                               "?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order->account_id);
  sqlite3_bind_text (stmt, 2, order->client_order_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, order->symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, bourse_side_to_string (order->side), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, bourse_order_type_to_string (order->type), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, bourse_time_in_force_to_string (order->time_in_force), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, bourse_order_status_to_string (order->status), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, order->quantity.units);
  bind_decimal_or_null (stmt, 9, order->has_price, order->price);
  bind_decimal_or_null (stmt, 10, order->has_stop_price, order->stop_price);
  sqlite3_bind_text (stmt, 11, order->fee_asset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 12, order->locked.units);
  sqlite3_bind_text (stmt, 13, order->locked_asset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 14, order->reduce_only);
  bind_decimal_or_null (stmt, 15, order->has_stop_loss, order->stop_loss);
  bind_decimal_or_null (stmt, 16, order->has_take_profit, order->take_profit);
  bind_id_or_null (stmt, 17, order->parent_id);
  bind_id_or_null (stmt, 18, order->oco_id);
  bind_id_or_null (stmt, 19, order->approval_id);
  bind_id_or_null (stmt, 20, order->strategy_id);
  if (order->purpose != NULL)
    sqlite3_bind_text (stmt, 21, order->purpose, -1, SQLITE_TRANSIENT);
  bind_id_or_null (stmt, 22, order->created_by);
  sqlite3_bind_text (stmt, 23, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 24, now, -1, SQLITE_TRANSIENT);
  /* An order adopted from a venue may come part-filled. */
  sqlite3_bind_int64 (stmt, 25, order->filled_quantity.units);
  sqlite3_bind_int64 (stmt, 26, order->filled_notional.units);
  sqlite3_bind_int64 (stmt, 27, order->fee.units);
  if (order->exchange_order_id != NULL)
    sqlite3_bind_text (stmt, 28, order->exchange_order_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 29, order->external);
  if (!step_order (store, stmt, error))
    return FALSE;
  order->id = sqlite3_last_insert_rowid (bourse_store_get_db (store));
  g_free (order->created_at);
  order->created_at = g_strdup (now);
  g_free (order->updated_at);
  order->updated_at = g_steal_pointer (&now);
  return read_names (store, order, error);
}

gboolean
bourse_orders_update (BourseStore  *store,
                      BourseOrder  *order,
                      GError      **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());

  stmt = bourse_store_statement (store,
                               "UPDATE orders SET status = ?, filled_quantity = ?, filled_notional = ?, fee = ?, "
                               "locked = ?, triggered = ?, reason = ?, updated_at = ?, exchange_order_id = ?, "
                               "cancel_requested_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bourse_order_status_to_string (order->status), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, order->filled_quantity.units);
  sqlite3_bind_int64 (stmt, 3, order->filled_notional.units);
  sqlite3_bind_int64 (stmt, 4, order->fee.units);
  sqlite3_bind_int64 (stmt, 5, order->locked.units);
  sqlite3_bind_int (stmt, 6, order->triggered);
  if (order->reason != NULL)
    sqlite3_bind_text (stmt, 7, order->reason, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_TRANSIENT);
  if (order->exchange_order_id != NULL)
    sqlite3_bind_text (stmt, 9, order->exchange_order_id, -1, SQLITE_TRANSIENT);
  if (order->cancel_requested_at != NULL)
    sqlite3_bind_text (stmt, 10, order->cancel_requested_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 11, order->id);
  if (!step_order (store, stmt, error))
    return FALSE;
  g_free (order->updated_at);
  order->updated_at = g_steal_pointer (&now);
  return TRUE;
}

#define ORDER_SELECT \
  "SELECT o.id, o.account_id, a.mode, o.client_order_id, o.symbol, o.side, o.type, o.time_in_force, " \
  "o.status, o.quantity, o.filled_quantity, o.filled_notional, o.price, o.stop_price, o.triggered, o.fee, " \
  "o.fee_asset, o.locked, o.locked_asset, o.reduce_only, o.stop_loss, o.take_profit, o.parent_id, " \
  "o.oco_id, o.approval_id, o.strategy_id, o.purpose, o.reason, o.created_by, u.username, " \
  "o.created_at, o.updated_at, o.exchange_order_id, o.external, o.cancel_requested_at, " \
  "(SELECT s.name FROM live_strategies s WHERE s.id = o.strategy_id) " \
  "FROM orders o JOIN accounts a ON a.id = o.account_id " \
  "LEFT JOIN users u ON u.id = o.created_by "

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
column_decimal (sqlite3_stmt  *stmt,
                int            column,
                BourseDecimal *value)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return FALSE;
  value->units = sqlite3_column_int64 (stmt, column);
  return TRUE;
}

static BourseOrder *
order_from_row (sqlite3_stmt *stmt)
{
  BourseOrder *order = bourse_order_new ();
  g_autofree char *side = column_dup (stmt, 5);
  g_autofree char *type = column_dup (stmt, 6);
  g_autofree char *tif = column_dup (stmt, 7);
  g_autofree char *status = column_dup (stmt, 8);

  order->id = sqlite3_column_int64 (stmt, 0);
  order->account_id = sqlite3_column_int64 (stmt, 1);
  order->mode = column_dup (stmt, 2);
  order->client_order_id = column_dup (stmt, 3);
  order->symbol = column_dup (stmt, 4);
  /* The table's CHECKs keep these to the known words. */
  bourse_side_parse (side, &order->side);
  bourse_order_type_parse (type, &order->type);
  bourse_time_in_force_parse (tif, &order->time_in_force);
  parse_word (status, statuses, (int *) &order->status);
  order->quantity.units = sqlite3_column_int64 (stmt, 9);
  order->filled_quantity.units = sqlite3_column_int64 (stmt, 10);
  order->filled_notional.units = sqlite3_column_int64 (stmt, 11);
  order->has_price = column_decimal (stmt, 12, &order->price);
  order->has_stop_price = column_decimal (stmt, 13, &order->stop_price);
  order->triggered = sqlite3_column_int (stmt, 14) != 0;
  order->fee.units = sqlite3_column_int64 (stmt, 15);
  order->fee_asset = column_dup (stmt, 16);
  order->locked.units = sqlite3_column_int64 (stmt, 17);
  order->locked_asset = column_dup (stmt, 18);
  order->reduce_only = sqlite3_column_int (stmt, 19) != 0;
  order->has_stop_loss = column_decimal (stmt, 20, &order->stop_loss);
  order->has_take_profit = column_decimal (stmt, 21, &order->take_profit);
  order->parent_id = sqlite3_column_int64 (stmt, 22);
  order->oco_id = sqlite3_column_int64 (stmt, 23);
  order->approval_id = sqlite3_column_int64 (stmt, 24);
  order->strategy_id = sqlite3_column_int64 (stmt, 25);
  order->purpose = column_dup (stmt, 26);
  order->reason = column_dup (stmt, 27);
  order->created_by = sqlite3_column_int64 (stmt, 28);
  order->created_by_name = column_dup (stmt, 29);
  order->created_at = column_dup (stmt, 30);
  order->updated_at = column_dup (stmt, 31);
  order->exchange_order_id = column_dup (stmt, 32);
  order->external = sqlite3_column_int (stmt, 33) != 0;
  order->cancel_requested_at = column_dup (stmt, 34);
  order->strategy_name = column_dup (stmt, 35);
  return order;
}

BourseOrder *
bourse_orders_get (BourseStore  *store,
                   gint64        id,
                   GError      **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  int rc;

  stmt = bourse_store_statement (store, ORDER_SELECT "WHERE o.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return order_from_row (stmt);
  if (rc == SQLITE_DONE)
    bourse_set_field_error (error, BOURSE_ERROR_NOT_FOUND, NULL, _("No such order"));
  else
    bourse_store_set_error (store, error);
  return NULL;
}

/* The account's order that @sql (account id, then @value) finds, or NULL. */
static BourseOrder *
find_by (BourseStore  *store,
         const char   *sql,
         gint64        account_id,
         const char   *value,
         GError      **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  gboolean found = FALSE;

  stmt = bourse_store_statement (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_row (store, stmt, &found, error) || !found)
    return NULL;
  return order_from_row (stmt);
}

BourseOrder *
bourse_orders_find_client (BourseStore  *store,
                           gint64        account_id,
                           const char   *client_order_id,
                           GError      **error)
{
  return find_by (store, ORDER_SELECT "WHERE o.account_id = ? AND o.client_order_id = ?", account_id,
                  client_order_id, error);
}

BourseOrder *
bourse_orders_find_exchange (BourseStore  *store,
                             gint64        account_id,
                             const char   *exchange_order_id,
                             GError      **error)
{
  return find_by (store, ORDER_SELECT "WHERE o.account_id = ? AND o.exchange_order_id = ?", account_id,
                  exchange_order_id, error);
}

GPtrArray *
bourse_orders_list (BourseStore              *store,
                    const BourseOrderFilter  *filter,
                    gboolean                 *more,
                    GError                  **error)
{
  g_autoptr(GPtrArray) orders = g_ptr_array_new_with_free_func ((GDestroyNotify) bourse_order_free);
  g_autoptr(BourseStatement) stmt = NULL;
  int rc;

  stmt = bourse_store_statement (store,
                               filter->since_id > 0
                               ? ORDER_SELECT "WHERE o.account_id = ?1 AND (?2 IS NULL OR o.symbol = ?2) "
                                 "AND (?3 IS NULL OR (?3 = 'open') = (o.status IN ('NEW', 'PARTIALLY_FILLED'))) "
                                 "AND (?4 = 0 OR o.parent_id = ?4) AND o.id > ?5 ORDER BY o.id ASC LIMIT ?6"
                               : ORDER_SELECT "WHERE o.account_id = ?1 AND (?2 IS NULL OR o.symbol = ?2) "
                                 "AND (?3 IS NULL OR (?3 = 'open') = (o.status IN ('NEW', 'PARTIALLY_FILLED'))) "
                                 "AND (?4 = 0 OR o.parent_id = ?4) AND (?5 = 0 OR o.id < ?5) "
                                 "ORDER BY o.id DESC LIMIT ?6",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, filter->account_id);
  if (filter->symbol != NULL)
    sqlite3_bind_text (stmt, 2, filter->symbol, -1, SQLITE_TRANSIENT);
  if (filter->status != NULL)
    sqlite3_bind_text (stmt, 3, filter->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, filter->parent_id);
  sqlite3_bind_int64 (stmt, 5, filter->since_id > 0 ? filter->since_id : filter->before_id);
  sqlite3_bind_int64 (stmt, 6, filter->limit > 0 ? (gint64) filter->limit + 1 : -1);
  if (more != NULL)
    *more = FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (filter->limit > 0 && orders->len == filter->limit)
        {
          if (more != NULL)
            *more = TRUE;
          break;
        }
      g_ptr_array_add (orders, order_from_row (stmt));
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&orders);
}

gint64
bourse_orders_count_open (BourseStore  *store,
                          gint64        account_id,
                          GError      **error)
{
  g_autoptr(BourseStatement) stmt = NULL;

  stmt = bourse_store_statement (store,
                               "SELECT COUNT (*) FROM orders WHERE account_id = ? "
                               "AND status IN ('NEW', 'PARTIALLY_FILLED')", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_store_set_error (store, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

#define FILL_SELECT \
  "SELECT id, order_id, symbol, side, price, quantity, quote_quantity, fee, fee_asset, liquidity, " \
  "trade_id, time FROM fills "

static void
add_fill_row (JsonBuilder  *builder,
              sqlite3_stmt *stmt,
              const char   *mode)
{
  json_builder_begin_object (builder);
  add_id (builder, "id", sqlite3_column_int64 (stmt, 0));
  add_id (builder, "order_id", sqlite3_column_int64 (stmt, 1));
  add_text (builder, "symbol", (const char *) sqlite3_column_text (stmt, 2));
  add_text (builder, "side", (const char *) sqlite3_column_text (stmt, 3));
  bourse_json_builder_add_decimal (builder, "price", &(BourseDecimal) { sqlite3_column_int64 (stmt, 4) });
  bourse_json_builder_add_decimal (builder, "quantity", &(BourseDecimal) { sqlite3_column_int64 (stmt, 5) });
  bourse_json_builder_add_decimal (builder, "quote_quantity", &(BourseDecimal) { sqlite3_column_int64 (stmt, 6) });
  bourse_json_builder_add_decimal (builder, "fee", &(BourseDecimal) { sqlite3_column_int64 (stmt, 7) });
  add_text (builder, "fee_asset", (const char *) sqlite3_column_text (stmt, 8));
  add_text (builder, "liquidity", (const char *) sqlite3_column_text (stmt, 9));
  add_id (builder, "trade_id", sqlite3_column_int64 (stmt, 10));
  add_text (builder, "mode", mode);
  add_text (builder, "time", (const char *) sqlite3_column_text (stmt, 11));
  json_builder_end_object (builder);
}

static void
add_fill_item (JsonBuilder  *builder,
               sqlite3_stmt *stmt,
               gpointer      mode)
{
  add_fill_row (builder, stmt, mode);
}

JsonNode *
bourse_fills_json (BourseStore  *store,
                   gint64        order_id,
                   const char   *mode,
                   GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(BourseStatement) stmt = NULL;
  int rc;

  stmt = bourse_store_statement (store, FILL_SELECT "WHERE order_id = ? ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_fill_row (builder, stmt, mode);
  json_builder_end_array (builder);
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }
  return json_builder_get_root (builder);
}

JsonNode *
bourse_fill_json (BourseStore  *store,
                  gint64        fill_id,
                  const char   *mode,
                  GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(BourseStatement) stmt = NULL;

  stmt = bourse_store_statement (store, FILL_SELECT "WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, fill_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_set_field_error (error, BOURSE_ERROR_NOT_FOUND, NULL, _("No such fill"));
      return NULL;
    }
  add_fill_row (builder, stmt, mode);
  return json_builder_get_root (builder);
}

JsonNode *
bourse_fills_list_json (BourseStore  *store,
                        gint64        account_id,
                        const char   *mode,
                        const char   *symbol,
                        gint64        since_id,
                        gint64        before_id,
                        guint         limit,
                        GError      **error)
{
  g_autoptr(BourseStatement) stmt = NULL;

  stmt = bourse_store_statement (store,
                               since_id > 0
                               ? FILL_SELECT "WHERE account_id = ?1 AND (?2 IS NULL OR symbol = ?2) AND id > ?3 "
                                 "ORDER BY id ASC LIMIT ?4"
                               : FILL_SELECT "WHERE account_id = ?1 AND (?2 IS NULL OR symbol = ?2) "
                                 "AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?4",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (symbol != NULL)
    sqlite3_bind_text (stmt, 2, symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, since_id > 0 ? since_id : before_id);
  sqlite3_bind_int64 (stmt, 4, (gint64) limit + 1);
  /* Read forward (since_id), a page has no cursor: the caller asks again from its last id. */
  return bourse_store_read_page (store, stmt, limit, since_id == 0, add_fill_item, (gpointer) mode, error);
}
