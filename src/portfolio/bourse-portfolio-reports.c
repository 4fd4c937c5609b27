/* bourse-portfolio-reports.c — the ledger read for people: summary, PnL, equity, calendar, history
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-time.h"

#include "bourse-portfolio-private.h"

/* ----- JSON ----- */

void
_bourse_portfolio_add_position (JsonBuilder    *builder,
                                const Position *position)
{
  BourseDecimal average = BOURSE_DECIMAL_ZERO;
  gboolean has_average = position->quantity.units != 0
                         && bourse_decimal_div (position->cost, position->quantity, BOURSE_ROUND_HALF_EVEN,
                                                &average, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "symbol");
  json_builder_add_string_value (builder, position->symbol);
  bourse_json_builder_add_decimal (builder, "quantity", &position->quantity);
  bourse_json_builder_add_decimal (builder, "average_price", has_average ? &average : NULL);
  bourse_json_builder_add_decimal (builder, "cost", &position->cost);
  bourse_json_builder_add_decimal (builder, "realized_pnl", &position->realized_pnl);
  bourse_json_builder_add_decimal (builder, "fees", &position->fees);
  bourse_json_builder_add_decimal (builder, "last_price", position->has_price ? &position->last_price : NULL);
  bourse_json_builder_add_decimal (builder, "market_value", &position->market_value);
  bourse_json_builder_add_decimal (builder, "unrealized_pnl", &position->unrealized_pnl);
  json_builder_set_member_name (builder, "trade_id");
  if (position->trade_id > 0)
    json_builder_add_int_value (builder, position->trade_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "opened_at");
  if (position->opened_at != NULL)
    json_builder_add_string_value (builder, position->opened_at);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "updated_at");
  json_builder_add_string_value (builder, position->updated_at);
  json_builder_end_object (builder);
}

void
_bourse_portfolio_add_balance (JsonBuilder   *builder,
                               const char    *asset,
                               BourseDecimal  free,
                               BourseDecimal  locked)
{
  BourseDecimal total = BOURSE_DECIMAL_ZERO;

  bourse_decimal_add (free, locked, &total, NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "asset");
  json_builder_add_string_value (builder, asset);
  bourse_json_builder_add_decimal (builder, "free", &free);
  bourse_json_builder_add_decimal (builder, "locked", &locked);
  bourse_json_builder_add_decimal (builder, "total", &total);
  json_builder_end_object (builder);
}

static gboolean
add_balances (BoursePortfolio  *self,
              JsonBuilder      *builder,
              GError          **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  int rc;

  stmt = bourse_store_statement (self->store,
                               "SELECT asset, free, locked FROM balances WHERE account_id = ? "
                               "AND (free != 0 OR locked != 0 OR asset = ?) ORDER BY asset", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->account.id);
  sqlite3_bind_text (stmt, 2, self->account.currency, -1, SQLITE_TRANSIENT);
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    _bourse_portfolio_add_balance (builder, (const char *) sqlite3_column_text (stmt, 0),
                 (BourseDecimal) { sqlite3_column_int64 (stmt, 1) },
                 (BourseDecimal) { sqlite3_column_int64 (stmt, 2) });
  json_builder_end_array (builder);
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  return TRUE;
}

/* The summary, and with @lists the balances and positions too. */
JsonNode *
_bourse_portfolio_summary_json (BoursePortfolio  *self,
                                gboolean          lists,
                                GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) positions = NULL;
  BourseDecimal cash, positions_value, equity, start, today, peak;
  double drawdown;

  if (!_bourse_portfolio_compute_equity (self, &cash, &positions_value, &equity, error)
      || !_bourse_portfolio_equity_at_day_start (self, &start, error)
      || !bourse_decimal_sub (equity, start, &today, error))
    return NULL;
  peak = self->peak_equity;
  if (bourse_decimal_compare (equity, peak) > 0)
    peak = equity;
  drawdown = peak.units > 0 ? (double) (peak.units - equity.units) / (double) peak.units : 0.0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, self->account.mode);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, self->account.currency);
  bourse_json_builder_add_decimal (builder, "cash", &cash);
  bourse_json_builder_add_decimal (builder, "positions_value", &positions_value);
  bourse_json_builder_add_decimal (builder, "equity", &equity);
  bourse_json_builder_add_decimal (builder, "starting_equity", &self->account.starting_cash);
  bourse_json_builder_add_decimal (builder, "today_pnl", &today);
  bourse_json_builder_add_decimal (builder, "peak_equity", &peak);
  json_builder_set_member_name (builder, "drawdown");
  json_builder_add_double_value (builder, drawdown);
  /* The paper fill model's rates, for an order dialog's estimate. */
  json_builder_set_member_name (builder, "fees");
  json_builder_begin_object (builder);
  bourse_json_builder_add_decimal (builder, "maker", &(BourseDecimal) {
                                     bourse_config_get_decimal (self->config, "paper", "maker_fee").units });
  bourse_json_builder_add_decimal (builder, "taker", &(BourseDecimal) {
                                     bourse_config_get_decimal (self->config, "paper", "taker_fee").units });
  json_builder_end_object (builder);
  if (lists)
    {
      json_builder_set_member_name (builder, "balances");
      if (!add_balances (self, builder, error))
        return NULL;
      positions = _bourse_portfolio_list_positions (self, NULL, TRUE, error);
      if (positions == NULL)
        return NULL;
      json_builder_set_member_name (builder, "positions");
      json_builder_begin_array (builder);
      for (guint i = 0; i < positions->len; i++)
        _bourse_portfolio_add_position (builder, g_ptr_array_index (positions, i));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
bourse_portfolio_summary_json (BoursePortfolio  *self,
                               GError          **error)
{
  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), NULL);

  return _bourse_portfolio_summary_json (self, TRUE, error);
}

JsonNode *
bourse_portfolio_positions_json (BoursePortfolio  *self,
                                 GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) positions = NULL;

  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), NULL);

  positions = _bourse_portfolio_list_positions (self, NULL, TRUE, error);
  if (positions == NULL)
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < positions->len; i++)
    _bourse_portfolio_add_position (builder, g_ptr_array_index (positions, i));
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, FALSE, 0);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

#define TRADE_COLUMNS "id, symbol, side, status, entry_quantity, entry_notional, exit_quantity, " \
                      "exit_notional, gross_pnl, fees, exit_reason, approval_id, strategy_id, opened_at, closed_at"

static void
add_optional_int (JsonBuilder  *builder,
                  const char   *name,
                  sqlite3_stmt *stmt,
                  int           column)
{
  json_builder_set_member_name (builder, name);
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, column));
}

static void
add_optional_text (JsonBuilder  *builder,
                   const char   *name,
                   sqlite3_stmt *stmt,
                   int           column)
{
  json_builder_set_member_name (builder, name);
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, column));
}

static void
add_trade_row (JsonBuilder  *builder,
               sqlite3_stmt *stmt)
{
  BourseDecimal entry_quantity = { sqlite3_column_int64 (stmt, 4) };
  BourseDecimal entry_notional = { sqlite3_column_int64 (stmt, 5) };
  BourseDecimal exit_quantity = { sqlite3_column_int64 (stmt, 6) };
  BourseDecimal exit_notional = { sqlite3_column_int64 (stmt, 7) };
  BourseDecimal gross = { sqlite3_column_int64 (stmt, 8) };
  BourseDecimal fees = { sqlite3_column_int64 (stmt, 9) };
  BourseDecimal entry_price, exit_price, net, open_quantity;
  gboolean has_entry = entry_quantity.units != 0
                       && bourse_decimal_div (entry_notional, entry_quantity, BOURSE_ROUND_HALF_EVEN,
                                              &entry_price, NULL);
  gboolean has_exit = exit_quantity.units != 0
                      && bourse_decimal_div (exit_notional, exit_quantity, BOURSE_ROUND_HALF_EVEN,
                                             &exit_price, NULL);
  const char *opened_at = (const char *) sqlite3_column_text (stmt, 13);

  net.units = gross.units - fees.units;
  open_quantity.units = entry_quantity.units - exit_quantity.units;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 0));
  json_builder_set_member_name (builder, "symbol");
  json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 1));
  json_builder_set_member_name (builder, "side");
  json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 2));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 3));
  bourse_json_builder_add_decimal (builder, "quantity", &entry_quantity);
  bourse_json_builder_add_decimal (builder, "open_quantity", &open_quantity);
  bourse_json_builder_add_decimal (builder, "entry_price", has_entry ? &entry_price : NULL);
  bourse_json_builder_add_decimal (builder, "exit_price", has_exit ? &exit_price : NULL);
  bourse_json_builder_add_decimal (builder, "gross_pnl", &gross);
  bourse_json_builder_add_decimal (builder, "fees", &fees);
  bourse_json_builder_add_decimal (builder, "net_pnl", &net);
  add_optional_text (builder, "exit_reason", stmt, 10);
  add_optional_int (builder, "approval_id", stmt, 11);
  add_optional_int (builder, "strategy_id", stmt, 12);
  json_builder_set_member_name (builder, "opened_at");
  json_builder_add_string_value (builder, opened_at);
  add_optional_text (builder, "closed_at", stmt, 14);
  json_builder_set_member_name (builder, "duration_s");
  if (sqlite3_column_type (stmt, 14) != SQLITE_NULL)
    {
      gint64 opened = 0, closed = 0;

      bourse_time_parse_rfc3339 (opened_at, &opened, NULL);
      bourse_time_parse_rfc3339 ((const char *) sqlite3_column_text (stmt, 14), &closed, NULL);
      json_builder_add_int_value (builder, (closed - opened) / 1000);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

JsonNode *
bourse_portfolio_trade_json (BoursePortfolio  *self,
                             gint64            id,
                             GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(BourseStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), NULL);

  stmt = bourse_store_statement (self->store, "SELECT " TRADE_COLUMNS " FROM trades WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      bourse_set_field_error (error, BOURSE_ERROR_NOT_FOUND, NULL, _("No such trade"));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      bourse_store_set_error (self->store, error);
      return NULL;
    }
  add_trade_row (builder, stmt);
  return json_builder_get_root (builder);
}

JsonNode *
bourse_portfolio_trades_json (BoursePortfolio          *self,
                              const BourseTradeFilter  *filter,
                              GError                  **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(BourseStatement) stmt = NULL;
  gint64 last_id = 0;
  guint n = 0;
  gboolean more = FALSE;
  int rc;

  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), NULL);

  stmt = bourse_store_statement (self->store,
                               filter->since_id > 0
                               ? "SELECT " TRADE_COLUMNS " FROM trades WHERE account_id = ?1 "
                                 "AND (?2 IS NULL OR symbol = ?2) AND (?3 IS NULL OR status = ?3) AND id > ?4 "
                                 "ORDER BY id ASC LIMIT ?5"
                               : "SELECT " TRADE_COLUMNS " FROM trades WHERE account_id = ?1 "
                                 "AND (?2 IS NULL OR symbol = ?2) AND (?3 IS NULL OR status = ?3) "
                                 "AND (?4 = 0 OR id < ?4) ORDER BY id DESC LIMIT ?5",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, self->account.id);
  if (filter->symbol != NULL)
    sqlite3_bind_text (stmt, 2, filter->symbol, -1, SQLITE_TRANSIENT);
  if (filter->status != NULL)
    sqlite3_bind_text (stmt, 3, filter->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, filter->since_id > 0 ? filter->since_id : filter->before_id);
  sqlite3_bind_int64 (stmt, 5, (gint64) filter->limit + 1);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (n == filter->limit)
        {
          more = TRUE;
          break;
        }
      add_trade_row (builder, stmt);
      last_id = sqlite3_column_int64 (stmt, 0);
      n++;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return NULL;
    }
  json_builder_end_array (builder);
  /* Incremental sync goes on with since_id = the last id; pages with the cursor. */
  bourse_json_builder_add_next_cursor (builder, more && filter->since_id == 0, last_id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

typedef struct
{
  gint64 trades, wins, losses;
  gint64 net, gross, fees, won, lost;   /* units */
} PnlFigures;

static gboolean
pnl_since (BoursePortfolio  *self,
           const char       *since,      /* NULL: all */
           PnlFigures       *out,
           double           *max_drawdown,
           GError          **error)
{
  g_autoptr(BourseStatement) trades = NULL;
  g_autoptr(BourseStatement) equity = NULL;
  double peak = 0;
  int rc;

  memset (out, 0, sizeof *out);
  trades = bourse_store_statement (self->store,
                                 "SELECT gross_pnl, fees FROM trades WHERE account_id = ?1 AND status = 'closed' "
                                 "AND (?2 IS NULL OR closed_at >= ?2)", error);
  equity = bourse_store_statement (self->store,
                                 "SELECT equity FROM equity_snapshots WHERE account_id = ?1 "
                                 "AND (?2 IS NULL OR time >= ?2) ORDER BY time, id", error);
  if (trades == NULL || equity == NULL)
    return FALSE;
  sqlite3_bind_int64 (trades, 1, self->account.id);
  sqlite3_bind_int64 (equity, 1, self->account.id);
  if (since != NULL)
    {
      sqlite3_bind_text (trades, 2, since, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (equity, 2, since, -1, SQLITE_TRANSIENT);
    }
  while ((rc = sqlite3_step (trades)) == SQLITE_ROW)
    {
      gint64 gross = sqlite3_column_int64 (trades, 0);
      gint64 fees = sqlite3_column_int64 (trades, 1);
      gint64 net = gross - fees;

      out->trades++;
      out->gross += gross;
      out->fees += fees;
      out->net += net;
      if (net > 0)
        {
          out->wins++;
          out->won += net;
        }
      else if (net < 0)
        {
          out->losses++;
          out->lost -= net;
        }
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  *max_drawdown = 0;
  while ((rc = sqlite3_step (equity)) == SQLITE_ROW)
    {
      double value = (double) sqlite3_column_int64 (equity, 0);

      peak = MAX (peak, value);
      if (peak > 0)
        *max_drawdown = MAX (*max_drawdown, (peak - value) / peak);
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  return TRUE;
}

JsonNode *
bourse_portfolio_pnl_json (BoursePortfolio  *self,
                           GError          **error)
{
  static const struct { const char *name; gint64 days; } windows[] = {
    { "today", 0 }, { "7d", 7 }, { "30d", 30 }, { "all", -1 },
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 now = bourse_time_now_ms ();

  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), NULL);

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      g_autofree char *since = windows[i].days == 0 ? _bourse_portfolio_day_start_text (now)
                               : windows[i].days > 0 ? bourse_time_format_rfc3339 (now - windows[i].days * MS_PER_DAY)
                               : NULL;
      PnlFigures figures;
      double max_drawdown;

      if (!pnl_since (self, since, &figures, &max_drawdown, error))
        return NULL;
      json_builder_set_member_name (builder, windows[i].name);
      json_builder_begin_object (builder);
      bourse_json_builder_add_decimal (builder, "net_pnl", &(BourseDecimal) { figures.net });
      bourse_json_builder_add_decimal (builder, "gross_pnl", &(BourseDecimal) { figures.gross });
      bourse_json_builder_add_decimal (builder, "fees", &(BourseDecimal) { figures.fees });
      json_builder_set_member_name (builder, "trades");
      json_builder_add_int_value (builder, figures.trades);
      json_builder_set_member_name (builder, "wins");
      json_builder_add_int_value (builder, figures.wins);
      json_builder_set_member_name (builder, "losses");
      json_builder_add_int_value (builder, figures.losses);
      json_builder_set_member_name (builder, "win_rate");
      if (figures.trades > 0)
        json_builder_add_double_value (builder, (double) figures.wins / (double) figures.trades);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "profit_factor");
      if (figures.lost > 0)
        json_builder_add_double_value (builder, (double) figures.won / (double) figures.lost);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "max_drawdown");
      json_builder_add_double_value (builder, max_drawdown);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
bourse_portfolio_equity_json (BoursePortfolio  *self,
                              gint64            start_ms,
                              gint64            end_ms,
                              gint64            step_ms,
                              GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(BourseStatement) stmt = NULL;
  g_autofree char *start = bourse_time_format_rfc3339 (start_ms);
  g_autofree char *end = bourse_time_format_rfc3339 (end_ms);
  gint64 bucket = G_MININT64, time = 0;
  BourseDecimal cash = BOURSE_DECIMAL_ZERO, value = BOURSE_DECIMAL_ZERO, equity = BOURSE_DECIMAL_ZERO;
  gboolean pending = FALSE;
  int rc;

  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), NULL);
  g_return_val_if_fail (step_ms > 0, NULL);

  stmt = bourse_store_statement (self->store,
                               "SELECT time, cash, positions_value, equity FROM equity_snapshots "
                               "WHERE account_id = ? AND time >= ? AND time < ? ORDER BY time, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, self->account.id);
  sqlite3_bind_text (stmt, 2, start, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, end, -1, SQLITE_TRANSIENT);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  /* The last snapshot of each step. */
  for (;;)
    {
      gint64 row_time = 0, row_bucket;

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          bourse_time_parse_rfc3339 ((const char *) sqlite3_column_text (stmt, 0), &row_time, NULL);
          row_bucket = row_time - ((row_time - start_ms) % step_ms);
        }
      if (pending && (rc != SQLITE_ROW || row_bucket != bucket))
        {
          g_autofree char *text = bourse_time_format_rfc3339 (time);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "time");
          json_builder_add_string_value (builder, text);
          bourse_json_builder_add_decimal (builder, "equity", &equity);
          bourse_json_builder_add_decimal (builder, "cash", &cash);
          bourse_json_builder_add_decimal (builder, "positions_value", &value);
          json_builder_end_object (builder);
          pending = FALSE;
        }
      if (rc != SQLITE_ROW)
        break;
      bucket = row_bucket;
      time = row_time;
      cash.units = sqlite3_column_int64 (stmt, 1);
      value.units = sqlite3_column_int64 (stmt, 2);
      equity.units = sqlite3_column_int64 (stmt, 3);
      pending = TRUE;
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return NULL;
    }
  json_builder_end_array (builder);
  /* One page, in the shape of every list. */
  bourse_json_builder_add_next_cursor (builder, FALSE, 0);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, self->account.currency);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
bourse_portfolio_calendar_json (BoursePortfolio  *self,
                                int               year,
                                const char       *tz,
                                GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) last = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *day = NULL;
  gint64 net = 0, trades = 0;
  int rc;

  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), NULL);

  /* An IANA name only: letters, digits, '/', '_', '+', '-', no "..", so
   * it can only name a file of the zone database. */
  if (tz != NULL && (strstr (tz, "..") != NULL || tz[0] == '/'
                     || strspn (tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-")
                        != strlen (tz)))
    tz = "-";
  zone = tz != NULL && g_str_equal (tz, "-") ? NULL : g_time_zone_new_identifier (tz != NULL ? tz : "UTC");
  if (zone == NULL)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "tz",
                              _("“tz” must be an IANA time zone such as Europe/Berlin"));
      return NULL;
    }
  if (year < 1970 || year > 9999)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "year", _("“year” must be from 1970 to 9999"));
      return NULL;
    }
  first = g_date_time_new (zone, year, 1, 1, 0, 0, 0);
  last = g_date_time_new (zone, year + 1, 1, 1, 0, 0, 0);
  from = bourse_time_format_rfc3339 (g_date_time_to_unix (first) * 1000);
  to = bourse_time_format_rfc3339 (g_date_time_to_unix (last) * 1000);

  stmt = bourse_store_statement (self->store,
                               "SELECT closed_at, gross_pnl - fees FROM trades WHERE account_id = ? "
                               "AND status = 'closed' AND closed_at >= ? AND closed_at < ? ORDER BY closed_at", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, self->account.id);
  sqlite3_bind_text (stmt, 2, from, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, to, -1, SQLITE_TRANSIENT);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "year");
  json_builder_add_int_value (builder, year);
  json_builder_set_member_name (builder, "tz");
  json_builder_add_string_value (builder, tz != NULL ? tz : "UTC");
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, self->account.currency);
  json_builder_set_member_name (builder, "days");
  json_builder_begin_array (builder);
  /* Ordered by close time, so each local day's trades come together. */
  for (;;)
    {
      g_autofree char *row_day = NULL;

      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          gint64 ms = 0;
          g_autoptr(GDateTime) utc = NULL;
          g_autoptr(GDateTime) local = NULL;

          bourse_time_parse_rfc3339 ((const char *) sqlite3_column_text (stmt, 0), &ms, NULL);
          utc = g_date_time_new_from_unix_utc (ms / 1000);
          local = g_date_time_to_timezone (utc, zone);
          row_day = g_date_time_format (local, "%Y-%m-%d");
        }
      if (day != NULL && (rc != SQLITE_ROW || g_strcmp0 (row_day, day) != 0))
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "date");
          json_builder_add_string_value (builder, day);
          bourse_json_builder_add_decimal (builder, "net_pnl", &(BourseDecimal) { net });
          json_builder_set_member_name (builder, "trades");
          json_builder_add_int_value (builder, trades);
          json_builder_end_object (builder);
          g_clear_pointer (&day, g_free);
          net = trades = 0;
        }
      if (rc != SQLITE_ROW)
        break;
      if (day == NULL)
        day = g_steal_pointer (&row_day);
      net += sqlite3_column_int64 (stmt, 1);
      trades++;
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return NULL;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
add_balance_change (JsonBuilder  *builder,
                    sqlite3_stmt *stmt,
                    gpointer      data)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 0));
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 1));
  json_builder_set_member_name (builder, "asset");
  json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 2));
  bourse_json_builder_add_decimal (builder, "free", &(BourseDecimal) { sqlite3_column_int64 (stmt, 3) });
  bourse_json_builder_add_decimal (builder, "locked", &(BourseDecimal) { sqlite3_column_int64 (stmt, 4) });
  bourse_json_builder_add_decimal (builder, "change", &(BourseDecimal) { sqlite3_column_int64 (stmt, 5) });
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 6));
  add_optional_int (builder, "order_id", stmt, 7);
  json_builder_end_object (builder);
}

JsonNode *
bourse_portfolio_balance_history_json (BoursePortfolio  *self,
                                       const char       *asset,
                                       gint64            start_ms,
                                       gint64            end_ms,
                                       gint64            before_id,
                                       guint             limit,
                                       GError          **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autofree char *start = bourse_time_format_rfc3339 (start_ms);
  g_autofree char *end = bourse_time_format_rfc3339 (end_ms);

  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), NULL);

  stmt = bourse_store_statement (self->store,
                               "SELECT id, time, asset, free, locked, change, reason, order_id FROM balance_changes "
                               "WHERE account_id = ?1 AND (?2 IS NULL OR asset = ?2) AND time >= ?3 AND time < ?4 "
                               "AND (?5 = 0 OR id < ?5) ORDER BY id DESC LIMIT ?6", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, self->account.id);
  if (asset != NULL)
    sqlite3_bind_text (stmt, 2, asset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, start, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, end, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, before_id);
  sqlite3_bind_int64 (stmt, 6, (gint64) limit + 1);

  return bourse_store_read_page (self->store, stmt, limit, TRUE, add_balance_change, NULL, error);
}

