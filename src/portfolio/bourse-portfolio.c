/* bourse-portfolio.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-source.h"
#include "core/bourse-time.h"
#include "market/bourse-instruments.h"
#include "market/bourse-ticker.h"

#include "bourse-ledger.h"
#include "bourse-portfolio-private.h"


G_DEFINE_FINAL_TYPE (BoursePortfolio, bourse_portfolio, G_TYPE_OBJECT)

static char *
now_text (void)
{
  return bourse_time_format_rfc3339 (bourse_time_now_ms ());
}

static void
bourse_portfolio_dispose (GObject *object)
{
  BoursePortfolio *self = (BoursePortfolio *)object;

  bourse_portfolio_stop (self);
  g_clear_object (&self->market);
  g_clear_object (&self->bus);
  g_clear_object (&self->config);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (bourse_portfolio_parent_class)->dispose (object);
}

static void
bourse_portfolio_finalize (GObject *object)
{
  BoursePortfolio *self = (BoursePortfolio *)object;

  g_free (self->account.mode);
  g_free (self->account.broker);
  g_free (self->account.currency);
  g_hash_table_unref (self->last_prices);
  g_hash_table_unref (self->open_symbols);
  g_hash_table_unref (self->dirty_symbols);
  g_hash_table_unref (self->dirty_assets);
  g_hash_table_unref (self->dirty_trades);

  G_OBJECT_CLASS (bourse_portfolio_parent_class)->finalize (object);
}

static void
bourse_portfolio_class_init (BoursePortfolioClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_portfolio_dispose;
  object_class->finalize = bourse_portfolio_finalize;
}

static void
bourse_portfolio_init (BoursePortfolio *self)
{
  self->last_prices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->open_symbols = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->dirty_symbols = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->dirty_assets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->dirty_trades = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/* ----- balances ----- */

gboolean
_bourse_portfolio_read_balance (BoursePortfolio  *self,
                                const char       *asset,
                                BourseDecimal    *free,
                                BourseDecimal    *locked,
                                GError          **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  int rc;

  stmt = bourse_store_statement (self->store,
                               "SELECT free, locked FROM balances WHERE account_id = ? AND asset = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->account.id);
  sqlite3_bind_text (stmt, 2, asset, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      free->units = sqlite3_column_int64 (stmt, 0);
      locked->units = sqlite3_column_int64 (stmt, 1);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  *free = *locked = BOURSE_DECIMAL_ZERO;
  return TRUE;
}

gboolean
bourse_portfolio_get_balance (BoursePortfolio  *self,
                              const char       *asset,
                              BourseDecimal    *free,
                              BourseDecimal    *locked,
                              GError          **error)
{
  BourseDecimal ignored;

  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), FALSE);

  return _bourse_portfolio_read_balance (self, asset, free, locked != NULL ? locked : &ignored, error);
}

/* Changes a balance by (d_free, d_locked) and writes why into its history. */
static gboolean
move_balance (BoursePortfolio  *self,
              const char       *asset,
              BourseDecimal     d_free,
              BourseDecimal     d_locked,
              const char       *reason,
              gint64            order_id,
              GError          **error)
{
  g_autoptr(BourseStatement) upsert = NULL;
  g_autoptr(BourseStatement) history = NULL;
  g_autofree char *now = now_text ();
  BourseDecimal free, locked, change;

  if (!_bourse_portfolio_read_balance (self, asset, &free, &locked, error)
      || !bourse_decimal_add (free, d_free, &free, error)
      || !bourse_decimal_add (locked, d_locked, &locked, error)
      || !bourse_decimal_add (d_free, d_locked, &change, error))
    return FALSE;
  if (locked.units < 0 && g_strcmp0 (self->account.broker, "paper") != 0)
    {
      /* A venue's book takes the venue's balances as they come (its
       * reports, a reconciliation), so what an order locked may already be
       * gone from them when the order gives it back: only what is there
       * goes back, and the venue's next report is the truth anyway. */
      free.units += locked.units;
      change.units += locked.units;
      locked = BOURSE_DECIMAL_ZERO;
    }
  if (locked.units < 0)
    {
      /* A lock is only ever given back once: this is a bug, not input. */
      g_set_error (error, BOURSE_ERROR, BOURSE_ERROR_FAILED,
                   "Locked %s of account %" G_GINT64_FORMAT " would go below zero", asset, self->account.id);
      return FALSE;
    }

  upsert = bourse_store_statement (self->store,
                                 "INSERT INTO balances (account_id, asset, free, locked, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (account_id, asset) DO UPDATE "
                                 "SET free = ?3, locked = ?4, updated_at = ?5", error);
  history = bourse_store_statement (self->store,
                                  "INSERT INTO balance_changes (account_id, asset, free, locked, change, reason, "
                                  "order_id, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (upsert == NULL || history == NULL)
    return FALSE;
  sqlite3_bind_int64 (upsert, 1, self->account.id);
  sqlite3_bind_text (upsert, 2, asset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (upsert, 3, free.units);
  sqlite3_bind_int64 (upsert, 4, locked.units);
  sqlite3_bind_text (upsert, 5, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (history, 1, self->account.id);
  sqlite3_bind_text (history, 2, asset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (history, 3, free.units);
  sqlite3_bind_int64 (history, 4, locked.units);
  sqlite3_bind_int64 (history, 5, change.units);
  sqlite3_bind_text (history, 6, reason, -1, SQLITE_STATIC);
  if (order_id > 0)
    sqlite3_bind_int64 (history, 7, order_id);
  sqlite3_bind_text (history, 8, now, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (upsert) != SQLITE_DONE || sqlite3_step (history) != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  g_hash_table_add (self->dirty_assets, g_strdup (asset));
  return TRUE;
}

/* Moves @amount from free to locked, or back. */
static gboolean
shift_lock (BoursePortfolio  *self,
            const char       *asset,
            BourseDecimal     amount,
            gboolean          lock,
            gint64            order_id,
            GError          **error)
{
  BourseDecimal minus;

  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), FALSE);

  if (amount.units == 0)
    return TRUE;
  if (!bourse_decimal_neg (amount, &minus, error))
    return FALSE;
  return lock ? move_balance (self, asset, minus, amount, "lock", order_id, error)
              : move_balance (self, asset, amount, minus, "unlock", order_id, error);
}

gboolean
bourse_portfolio_lock (BoursePortfolio  *self,
                       const char       *asset,
                       BourseDecimal     amount,
                       gint64            order_id,
                       GError          **error)
{
  return shift_lock (self, asset, amount, TRUE, order_id, error);
}

gboolean
bourse_portfolio_unlock (BoursePortfolio  *self,
                         const char       *asset,
                         BourseDecimal     amount,
                         gint64            order_id,
                         GError          **error)
{
  return shift_lock (self, asset, amount, FALSE, order_id, error);
}

/* ----- prices and equity ----- */

void
_bourse_portfolio_position_free (Position *position)
{
  g_free (position->symbol);
  g_free (position->opened_at);
  g_free (position->updated_at);
  g_free (position);
}


gboolean
bourse_portfolio_last_price (BoursePortfolio  *self,
                             const char       *symbol,
                             BourseDecimal    *price,
                             GError          **error)
{
  g_autoptr(BourseInstrument) instrument = NULL;
  BourseDecimal *known = g_hash_table_lookup (self->last_prices, symbol);

  if (known != NULL)
    {
      *price = *known;
      return TRUE;
    }
  instrument = bourse_instruments_find (self->store, symbol, error);
  if (instrument == NULL)
    return FALSE;
  if (!bourse_ticker_last_price (self->store, instrument, price, NULL, error))
    return FALSE;
  g_hash_table_replace (self->last_prices, g_strdup (symbol), g_memdup2 (price, sizeof *price));
  return TRUE;
}


static void
value_position (BoursePortfolio *self,
                Position        *position)
{
  g_autoptr(GError) error = NULL;

  position->has_price = bourse_portfolio_last_price (self, position->symbol, &position->last_price, &error)
                        && bourse_decimal_mul (position->quantity, position->last_price,
                                               BOURSE_ROUND_HALF_EVEN, &position->market_value, NULL)
                        && bourse_decimal_sub (position->market_value, position->cost,
                                               &position->unrealized_pnl, NULL);
  if (!position->has_price)
    {
      /* No price yet (no candles): valued at what it cost. */
      position->market_value = position->cost;
      position->unrealized_pnl = BOURSE_DECIMAL_ZERO;
    }
}

static Position *
position_from_row (sqlite3_stmt *stmt)
{
  Position *position = g_new0 (Position, 1);

  position->symbol = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  position->quantity.units = sqlite3_column_int64 (stmt, 1);
  position->cost.units = sqlite3_column_int64 (stmt, 2);
  position->realized_pnl.units = sqlite3_column_int64 (stmt, 3);
  position->fees.units = sqlite3_column_int64 (stmt, 4);
  position->trade_id = sqlite3_column_int64 (stmt, 5);
  position->opened_at = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  position->updated_at = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  return position;
}

#define POSITION_COLUMNS "symbol, quantity, cost, realized_pnl, fees, trade_id, opened_at, updated_at"

/* The positions (@symbol: that one; @open_only: non-zero quantity), valued. */
GPtrArray *
_bourse_portfolio_list_positions (BoursePortfolio  *self,
                                  const char       *symbol,
                                  gboolean          open_only,
                                  GError          **error)
{
  g_autoptr(GPtrArray) positions = g_ptr_array_new_with_free_func ((GDestroyNotify) _bourse_portfolio_position_free);
  g_autoptr(BourseStatement) stmt = NULL;
  int rc;

  stmt = bourse_store_statement (self->store,
                               "SELECT " POSITION_COLUMNS " FROM positions WHERE account_id = ?1 "
                               "AND (?2 IS NULL OR symbol = ?2) AND (?3 = 0 OR quantity != 0) ORDER BY symbol",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, self->account.id);
  if (symbol != NULL)
    sqlite3_bind_text (stmt, 2, symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, open_only);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Position *position = position_from_row (stmt);

      value_position (self, position);
      g_ptr_array_add (positions, position);
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return NULL;
    }
  return g_steal_pointer (&positions);
}

gboolean
bourse_portfolio_get_position (BoursePortfolio  *self,
                               const char       *symbol,
                               BourseDecimal    *quantity,
                               GError          **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), FALSE);

  stmt = bourse_store_statement (self->store,
                               "SELECT quantity FROM positions WHERE account_id = ? AND symbol = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->account.id);
  sqlite3_bind_text (stmt, 2, symbol, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  quantity->units = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  return TRUE;
}

/* Cash (free + locked of the account's currency) and the open positions'
 * value at their last prices. */
gboolean
_bourse_portfolio_compute_equity (BoursePortfolio  *self,
                                  BourseDecimal    *cash,
                                  BourseDecimal    *positions_value,
                                  BourseDecimal    *equity,
                                  GError          **error)
{
  g_autoptr(GPtrArray) positions = NULL;
  BourseDecimal free, locked;

  if (!_bourse_portfolio_read_balance (self, self->account.currency, &free, &locked, error)
      || !bourse_decimal_add (free, locked, cash, error)
      || (positions = _bourse_portfolio_list_positions (self, NULL, TRUE, error)) == NULL)
    return FALSE;
  *positions_value = BOURSE_DECIMAL_ZERO;
  for (guint i = 0; i < positions->len; i++)
    {
      Position *position = g_ptr_array_index (positions, i);

      if (!bourse_decimal_add (*positions_value, position->market_value, positions_value, error))
        return FALSE;
    }
  return bourse_decimal_add (*cash, *positions_value, equity, error);
}

char *
_bourse_portfolio_day_start_text (gint64 now_ms)
{
  return bourse_time_format_rfc3339 (now_ms - (now_ms % MS_PER_DAY + MS_PER_DAY) % MS_PER_DAY);
}

/* The equity when today (UTC) began: the last snapshot before midnight, or
 * the starting cash for a book younger than today. */
gboolean
_bourse_portfolio_equity_at_day_start (BoursePortfolio  *self,
                                       BourseDecimal    *equity,
                                       GError          **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autofree char *midnight = _bourse_portfolio_day_start_text (bourse_time_now_ms ());
  int rc;

  stmt = bourse_store_statement (self->store,
                               "SELECT equity FROM equity_snapshots WHERE account_id = ? AND time < ? "
                               "ORDER BY time DESC, id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->account.id);
  sqlite3_bind_text (stmt, 2, midnight, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  equity->units = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : self->account.starting_cash.units;
  return TRUE;
}

gboolean
bourse_portfolio_get_equity (BoursePortfolio  *self,
                             BourseDecimal    *equity,
                             BourseDecimal    *today_pnl,
                             GError          **error)
{
  BourseDecimal cash, positions_value, start;

  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), FALSE);

  if (!_bourse_portfolio_compute_equity (self, &cash, &positions_value, equity, error))
    return FALSE;
  if (today_pnl == NULL)
    return TRUE;
  return _bourse_portfolio_equity_at_day_start (self, &start, error)
         && bourse_decimal_sub (*equity, start, today_pnl, error);
}

gboolean
bourse_portfolio_snapshot (BoursePortfolio  *self,
                           GError          **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autofree char *now = now_text ();
  BourseDecimal cash, positions_value, equity;

  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), FALSE);

  if (!_bourse_portfolio_compute_equity (self, &cash, &positions_value, &equity, error))
    return FALSE;
  stmt = bourse_store_statement (self->store,
                               "INSERT INTO equity_snapshots (account_id, time, cash, positions_value, equity) "
                               "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->account.id);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, cash.units);
  sqlite3_bind_int64 (stmt, 4, positions_value.units);
  sqlite3_bind_int64 (stmt, 5, equity.units);
  if (!bourse_store_step_done (self->store, stmt, error))
    return FALSE;
  if (bourse_decimal_compare (equity, self->peak_equity) > 0)
    self->peak_equity = equity;
  return TRUE;
}

/* ----- booking a fill ----- */

static gboolean
open_trade (BoursePortfolio      *self,
            const BourseFillSpec *fill,
            BourseDecimal         quantity,
            BourseDecimal         notional,
            BourseDecimal         fee,
            const char           *time,
            gint64               *trade_id,
            GError              **error)
{
  g_autoptr(BourseStatement) stmt = NULL;

  stmt = bourse_store_statement (self->store,
                               "INSERT INTO trades (account_id, symbol, side, entry_quantity, entry_notional, fees, "
                               "approval_id, strategy_id, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->account.id);
  sqlite3_bind_text (stmt, 2, fill->symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, fill->buy ? "LONG" : "SHORT", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, quantity.units);
  sqlite3_bind_int64 (stmt, 5, notional.units);
  sqlite3_bind_int64 (stmt, 6, fee.units);
  if (fill->approval_id > 0)
    sqlite3_bind_int64 (stmt, 7, fill->approval_id);
  if (fill->strategy_id > 0)
    sqlite3_bind_int64 (stmt, 8, fill->strategy_id);
  sqlite3_bind_text (stmt, 9, time, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_done (self->store, stmt, error))
    return FALSE;
  *trade_id = sqlite3_last_insert_rowid (bourse_store_get_db (self->store));
  g_hash_table_add (self->dirty_trades, g_memdup2 (trade_id, sizeof *trade_id));
  return TRUE;
}

static gboolean
add_to_trade (BoursePortfolio  *self,
              gint64            trade_id,
              gboolean          entry,
              BourseDecimal     quantity,
              BourseDecimal     notional,
              BourseDecimal     gross_pnl,
              BourseDecimal     fee,
              const char       *close_reason,   /* non-NULL: it closes */
              const char       *time,
              GError          **error)
{
  g_autoptr(BourseStatement) stmt = NULL;

  stmt = bourse_store_statement (self->store,
                               entry
                               ? "UPDATE trades SET entry_quantity = entry_quantity + ?2, "
                                 "entry_notional = entry_notional + ?3, gross_pnl = gross_pnl + ?4, "
                                 "fees = fees + ?5 WHERE id = ?1"
                               : "UPDATE trades SET exit_quantity = exit_quantity + ?2, "
                                 "exit_notional = exit_notional + ?3, gross_pnl = gross_pnl + ?4, "
                                 "fees = fees + ?5, status = CASE WHEN ?6 IS NULL THEN status ELSE 'closed' END, "
                                 "exit_reason = COALESCE (?6, exit_reason), "
                                 "closed_at = CASE WHEN ?6 IS NULL THEN closed_at ELSE ?7 END WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, trade_id);
  sqlite3_bind_int64 (stmt, 2, quantity.units);
  sqlite3_bind_int64 (stmt, 3, notional.units);
  sqlite3_bind_int64 (stmt, 4, gross_pnl.units);
  sqlite3_bind_int64 (stmt, 5, fee.units);
  if (!entry)
    {
      if (close_reason != NULL)
        sqlite3_bind_text (stmt, 6, close_reason, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, time, -1, SQLITE_TRANSIENT);
    }
  if (!bourse_store_step_done (self->store, stmt, error))
    return FALSE;
  g_hash_table_add (self->dirty_trades, g_memdup2 (&trade_id, sizeof trade_id));
  return TRUE;
}

static gboolean
trade_net_pnl (BoursePortfolio  *self,
               gint64            trade_id,
               BourseDecimal    *net,
               GError          **error)
{
  g_autoptr(BourseStatement) stmt = NULL;

  stmt = bourse_store_statement (self->store, "SELECT gross_pnl - fees FROM trades WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, trade_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  net->units = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* The position and its round trip. Quantities are signed (negative:
 * short); cost is signed the same way (what was paid for a long, what was
 * received for a short), so value − cost is the unrealised PnL of both. */
static gboolean
book_position (BoursePortfolio      *self,
               const BourseFillSpec *fill,
               const char           *time,
               BourseFillOutcome    *outcome,
               GError              **error)
{
  g_autoptr(BourseStatement) read = NULL;
  g_autoptr(BourseStatement) write = NULL;
  BourseLedgerPosition position = { { 0 }, { 0 }, { 0 }, { 0 } };
  BourseLedgerChange change;
  BourseDecimal q, cost, realized, fees;
  g_autofree char *opened_at = NULL;
  gint64 trade_id = 0;
  int rc;

  read = bourse_store_statement (self->store,
                               "SELECT quantity, cost, realized_pnl, fees, trade_id, opened_at FROM positions "
                               "WHERE account_id = ? AND symbol = ?", error);
  if (read == NULL)
    return FALSE;
  sqlite3_bind_int64 (read, 1, self->account.id);
  sqlite3_bind_text (read, 2, fill->symbol, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (read);
  if (rc == SQLITE_ROW)
    {
      position.quantity.units = sqlite3_column_int64 (read, 0);
      position.cost.units = sqlite3_column_int64 (read, 1);
      position.realized_pnl.units = sqlite3_column_int64 (read, 2);
      position.fees.units = sqlite3_column_int64 (read, 3);
      trade_id = sqlite3_column_int64 (read, 4);
      opened_at = g_strdup ((const char *) sqlite3_column_text (read, 5));
    }
  else if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }

  if (!bourse_ledger_book (&position, fill->buy, fill->quantity, fill->notional, fill->fee, &change, error))
    return FALSE;
  q = position.quantity;
  cost = position.cost;
  realized = position.realized_pnl;
  fees = position.fees;

  if (change.closed_quantity.units != 0)
    {
      if (trade_id > 0
          && !add_to_trade (self, trade_id, FALSE, change.closed_quantity, change.closed_notional, change.gross_pnl,
                            change.closed_fee,
                            change.closes ? (fill->exit_reason ? fill->exit_reason : "order") : NULL, time, error))
        return FALSE;
      outcome->trade_id = trade_id;
      if (change.closes)
        {
          outcome->trade_closed = TRUE;
          if (trade_id > 0 && !trade_net_pnl (self, trade_id, &outcome->trade_net_pnl, error))
            return FALSE;
          trade_id = 0;
          g_clear_pointer (&opened_at, g_free);
        }
    }

  if (change.opened_quantity.units != 0)
    {
      /* Opens or adds to a round trip on the side the position now has. */
      if (change.opens)
        {
          BourseFillSpec side = *fill;

          side.buy = q.units > 0;
          if (!open_trade (self, &side, change.opened_quantity, change.opened_notional, change.opened_fee, time,
                           &trade_id, error))
            return FALSE;
          opened_at = g_strdup (time);
        }
      else if (trade_id > 0
               && !add_to_trade (self, trade_id, TRUE, change.opened_quantity, change.opened_notional,
                                 BOURSE_DECIMAL_ZERO, change.opened_fee, NULL, time, error))
        return FALSE;
      outcome->trade_id = trade_id;
    }

  write = bourse_store_statement (self->store,
                                "INSERT INTO positions (account_id, symbol, quantity, cost, realized_pnl, fees, "
                                "trade_id, opened_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                                "ON CONFLICT (account_id, symbol) DO UPDATE SET quantity = ?3, cost = ?4, "
                                "realized_pnl = ?5, fees = ?6, trade_id = ?7, opened_at = ?8, updated_at = ?9",
                                error);
  if (write == NULL)
    return FALSE;
  sqlite3_bind_int64 (write, 1, self->account.id);
  sqlite3_bind_text (write, 2, fill->symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (write, 3, q.units);
  sqlite3_bind_int64 (write, 4, cost.units);
  sqlite3_bind_int64 (write, 5, realized.units);
  sqlite3_bind_int64 (write, 6, fees.units);
  if (trade_id > 0)
    sqlite3_bind_int64 (write, 7, trade_id);
  if (opened_at != NULL)
    sqlite3_bind_text (write, 8, opened_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (write, 9, time, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_done (self->store, write, error))
    return FALSE;

  if (q.units != 0)
    g_hash_table_add (self->open_symbols, g_strdup (fill->symbol));
  else
    g_hash_table_remove (self->open_symbols, fill->symbol);
  g_hash_table_add (self->dirty_symbols, g_strdup (fill->symbol));
  return TRUE;
}

gboolean
bourse_portfolio_apply_fill (BoursePortfolio      *self,
                             const BourseFillSpec *fill,
                             BourseFillOutcome    *outcome,
                             GError              **error)
{
  g_autoptr(BourseStatement) insert = NULL;
  g_autoptr(BourseStatement) link = NULL;
  const char *quote = self->account.currency;
  BourseDecimal zero = BOURSE_DECIMAL_ZERO, minus_quantity, minus_notional, minus_fee;

  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), FALSE);
  g_return_val_if_fail (fill != NULL && outcome != NULL, FALSE);

  memset (outcome, 0, sizeof *outcome);
  outcome->time = now_text ();

  insert = bourse_store_statement (self->store,
                                 "INSERT INTO fills (order_id, account_id, symbol, side, price, quantity, "
                                 "quote_quantity, fee, fee_asset, liquidity, external_id, time) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, fill->order_id);
  sqlite3_bind_int64 (insert, 2, self->account.id);
  sqlite3_bind_text (insert, 3, fill->symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 4, fill->buy ? "BUY" : "SELL", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 5, fill->price.units);
  sqlite3_bind_int64 (insert, 6, fill->quantity.units);
  sqlite3_bind_int64 (insert, 7, fill->notional.units);
  sqlite3_bind_int64 (insert, 8, fill->fee.units);
  sqlite3_bind_text (insert, 9, quote, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 10, fill->liquidity, -1, SQLITE_TRANSIENT);
  if (fill->external_id != NULL)
    sqlite3_bind_text (insert, 11, fill->external_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 12, outcome->time, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_done (self->store, insert, error))
    return FALSE;
  outcome->fill_id = sqlite3_last_insert_rowid (bourse_store_get_db (self->store));

  if (!bourse_decimal_neg (fill->quantity, &minus_quantity, error)
      || !bourse_decimal_neg (fill->notional, &minus_notional, error)
      || !bourse_decimal_neg (fill->fee, &minus_fee, error))
    return FALSE;

  /* The lock's share goes back to free first, then the fill pays from free. */
  if (fill->buy)
    {
      if (!bourse_portfolio_unlock (self, quote, fill->unlock, fill->order_id, error)
          || !move_balance (self, quote, minus_notional, zero, "fill", fill->order_id, error)
          || (fill->fee.units != 0 && !move_balance (self, quote, minus_fee, zero, "fee", fill->order_id, error))
          || !move_balance (self, fill->base_asset, fill->quantity, zero, "fill", fill->order_id, error))
        return FALSE;
    }
  else
    {
      if (!bourse_portfolio_unlock (self, fill->base_asset, fill->unlock, fill->order_id, error)
          || !move_balance (self, fill->base_asset, minus_quantity, zero, "fill", fill->order_id, error)
          || !move_balance (self, quote, fill->notional, zero, "fill", fill->order_id, error)
          || (fill->fee.units != 0 && !move_balance (self, quote, minus_fee, zero, "fee", fill->order_id, error)))
        return FALSE;
    }

  if (!book_position (self, fill, outcome->time, outcome, error))
    return FALSE;

  link = bourse_store_statement (self->store, "UPDATE fills SET trade_id = ? WHERE id = ?", error);
  if (link == NULL)
    return FALSE;
  if (outcome->trade_id > 0)
    sqlite3_bind_int64 (link, 1, outcome->trade_id);
  sqlite3_bind_int64 (link, 2, outcome->fill_id);
  return bourse_store_step_done (self->store, link, error) && bourse_portfolio_snapshot (self, error);
}

/* ----- publishing ----- */

static void
publish_position (BoursePortfolio *self,
                  const char      *symbol)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) positions = _bourse_portfolio_list_positions (self, symbol, FALSE, &error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  if (positions == NULL || positions->len == 0)
    {
      if (error != NULL)
        g_warning ("Could not publish the position in %s: %s", symbol, error->message);
      return;
    }
  _bourse_portfolio_add_position (builder, g_ptr_array_index (positions, 0));
  node = json_builder_get_root (builder);
  bourse_event_bus_publish (self->bus, "positions", node);
}

static void
publish_summary (BoursePortfolio *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = _bourse_portfolio_summary_json (self, FALSE, &error);

  if (node == NULL)
    g_warning ("Could not publish the portfolio: %s", error->message);
  else
    bourse_event_bus_publish (self->bus, "portfolio", node);
}

/* Publishes what changed since the last time, once per main-loop turn:
 * the fills, cancels and prices of one turn make one summary. */
static gboolean
publish_cb (gpointer user_data)
{
  BoursePortfolio *self = user_data;
  GHashTableIter iter;
  gpointer key;

  self->publish_source = 0;

  g_hash_table_iter_init (&iter, self->dirty_assets);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      BourseDecimal free, locked;

      if (!_bourse_portfolio_read_balance (self, key, &free, &locked, NULL))
        continue;
      _bourse_portfolio_add_balance (builder, key, free, locked);
      node = json_builder_get_root (builder);
      bourse_event_bus_publish (self->bus, "balances", node);
    }
  g_hash_table_iter_init (&iter, self->dirty_symbols);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    publish_position (self, key);
  g_hash_table_iter_init (&iter, self->dirty_trades);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(JsonNode) node = bourse_portfolio_trade_json (self, *(gint64 *) key, NULL);

      if (node != NULL)
        bourse_event_bus_publish (self->bus, "trades", node);
    }
  if (g_hash_table_size (self->dirty_assets) + g_hash_table_size (self->dirty_symbols) > 0)
    publish_summary (self);
  g_hash_table_remove_all (self->dirty_assets);
  g_hash_table_remove_all (self->dirty_symbols);
  g_hash_table_remove_all (self->dirty_trades);
  return G_SOURCE_REMOVE;
}

void
bourse_portfolio_publish (BoursePortfolio *self)
{
  g_return_if_fail (BOURSE_IS_PORTFOLIO (self));

  if (self->publish_source == 0
      && g_hash_table_size (self->dirty_assets) + g_hash_table_size (self->dirty_symbols)
         + g_hash_table_size (self->dirty_trades) > 0)
    self->publish_source = bourse_idle_add (G_PRIORITY_DEFAULT, publish_cb, self);
}

static void
price_cb (BourseMarket           *market,
          const BourseInstrument *instrument,
          const BourseDecimal    *price,
          gint64                  time,
          BoursePortfolio        *self)
{
  g_hash_table_replace (self->last_prices, g_strdup (instrument->symbol), g_memdup2 (price, sizeof *price));
  if (g_hash_table_contains (self->open_symbols, instrument->symbol))
    {
      /* The position's value moved: its row and the summary. */
      g_hash_table_add (self->dirty_symbols, g_strdup (instrument->symbol));
      bourse_portfolio_publish (self);
    }
}

/* ----- life ----- */

static gboolean
load_account (BoursePortfolio  *self,
              const char       *mode,
              const char       *broker,
              GError          **error)
{
  g_autoptr(BourseStatement) find = NULL;
  g_autoptr(BourseStatement) insert = NULL;
  g_autoptr(BourseStatement) open = NULL;
  g_autoptr(BourseStatement) peak = NULL;
  g_autofree char *now = NULL;
  int rc;

  g_clear_pointer (&self->account.mode, g_free);
  g_clear_pointer (&self->account.broker, g_free);
  g_clear_pointer (&self->account.currency, g_free);
  self->peak_equity = BOURSE_DECIMAL_ZERO;
  g_hash_table_remove_all (self->open_symbols);

  find = bourse_store_statement (self->store,
                               "SELECT id, broker, currency, starting_cash FROM accounts WHERE mode = ?", error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, mode, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (find);
  if (rc == SQLITE_ROW)
    {
      self->account.id = sqlite3_column_int64 (find, 0);
      self->account.broker = g_strdup ((const char *) sqlite3_column_text (find, 1));
      self->account.currency = g_strdup ((const char *) sqlite3_column_text (find, 2));
      self->account.starting_cash.units = sqlite3_column_int64 (find, 3);
    }
  else if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  else
    {
      /* The first start: the paper account and its deposit, together. A
       * live account starts empty: its balances are the venue's, which the
       * first reconciliation brings. */
      gboolean paper = g_str_equal (mode, "paper");

      self->account.broker = g_strdup (broker);
      self->account.currency = g_strdup (bourse_config_get_string (self->config, "paper", "currency"));
      self->account.starting_cash = paper ? bourse_config_get_decimal (self->config, "paper", "starting_balance")
                                          : BOURSE_DECIMAL_ZERO;
      now = now_text ();
      insert = bourse_store_statement (self->store,
                                     "INSERT INTO accounts (mode, broker, currency, starting_cash, created_at) "
                                     "VALUES (?, ?, ?, ?, ?)", error);
      if (insert == NULL || !bourse_store_begin (self->store, error))
        return FALSE;
      sqlite3_bind_text (insert, 1, mode, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 2, self->account.broker, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 3, self->account.currency, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (insert, 4, self->account.starting_cash.units);
      sqlite3_bind_text (insert, 5, now, -1, SQLITE_TRANSIENT);
      if (!bourse_store_step_done (self->store, insert, error))
        {
          bourse_store_rollback (self->store);
          return FALSE;
        }
      self->account.id = sqlite3_last_insert_rowid (bourse_store_get_db (self->store));
      if ((paper && !move_balance (self, self->account.currency, self->account.starting_cash,
                                   BOURSE_DECIMAL_ZERO, "deposit", 0, error))
          || !bourse_portfolio_snapshot (self, error)
          || !bourse_store_commit (self->store, error))
        {
          bourse_store_rollback (self->store);
          return FALSE;
        }
      if (paper)
        g_info ("Created the paper account with %s %s",
                bourse_config_get_string (self->config, "paper", "starting_balance"), self->account.currency);
      else
        g_info ("Created the %s account on %s", mode, broker);
      g_hash_table_remove_all (self->dirty_assets);
    }
  self->account.mode = g_strdup (mode);

  peak = bourse_store_statement (self->store, "SELECT MAX (equity) FROM equity_snapshots WHERE account_id = ?", error);
  if (peak == NULL)
    return FALSE;
  sqlite3_bind_int64 (peak, 1, self->account.id);
  if (sqlite3_step (peak) != SQLITE_ROW)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  if (sqlite3_column_type (peak, 0) != SQLITE_NULL)
    self->peak_equity.units = MAX (self->peak_equity.units, sqlite3_column_int64 (peak, 0));

  open = bourse_store_statement (self->store,
                               "SELECT symbol FROM positions WHERE account_id = ? AND quantity != 0", error);
  if (open == NULL)
    return FALSE;
  sqlite3_bind_int64 (open, 1, self->account.id);
  while ((rc = sqlite3_step (open)) == SQLITE_ROW)
    g_hash_table_add (self->open_symbols, g_strdup ((const char *) sqlite3_column_text (open, 0)));
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  return TRUE;
}

BoursePortfolio *
bourse_portfolio_new (BourseStore     *store,
                      BourseConfig    *config,
                      BourseEventBus  *bus,
                      BourseMarket    *market,
                      GError         **error)
{
  g_autoptr(BoursePortfolio) self = NULL;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);
  g_return_val_if_fail (BOURSE_IS_EVENT_BUS (bus), NULL);
  g_return_val_if_fail (BOURSE_IS_MARKET (market), NULL);

  self = g_object_new (BOURSE_TYPE_PORTFOLIO, NULL);
  self->store = g_object_ref (store);
  self->config = g_object_ref (config);
  self->bus = g_object_ref (bus);
  self->market = g_object_ref (market);
  if (!load_account (self, "paper", "paper", error))
    return NULL;
  self->price_handler = g_signal_connect (market, "price", G_CALLBACK (price_cb), self);
  return g_steal_pointer (&self);
}

void
bourse_portfolio_stop (BoursePortfolio *self)
{
  g_return_if_fail (BOURSE_IS_PORTFOLIO (self));

  g_clear_signal_handler (&self->price_handler, self->market);
  g_clear_handle_id (&self->publish_source, bourse_source_remove);
}

gboolean
bourse_portfolio_use_account (BoursePortfolio  *self,
                              const char       *mode,
                              const char       *broker,
                              GError          **error)
{
  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), FALSE);
  g_return_val_if_fail (mode != NULL && broker != NULL, FALSE);

  if (g_strcmp0 (self->account.mode, mode) == 0)
    return TRUE;
  g_hash_table_remove_all (self->dirty_symbols);
  g_hash_table_remove_all (self->dirty_assets);
  g_hash_table_remove_all (self->dirty_trades);
  if (!load_account (self, mode, broker, error))
    return FALSE;
  bourse_portfolio_publish (self);
  return TRUE;
}

gboolean
bourse_portfolio_set_balance (BoursePortfolio  *self,
                              const char       *asset,
                              BourseDecimal     free,
                              BourseDecimal     locked,
                              const char       *reason,
                              gboolean         *changed,
                              GError          **error)
{
  BourseDecimal old_free, old_locked, d_free, d_locked;

  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), FALSE);

  if (changed != NULL)
    *changed = FALSE;
  if (!_bourse_portfolio_read_balance (self, asset, &old_free, &old_locked, error)
      || !bourse_decimal_sub (free, old_free, &d_free, error)
      || !bourse_decimal_sub (locked, old_locked, &d_locked, error))
    return FALSE;
  if (d_free.units == 0 && d_locked.units == 0)
    return TRUE;
  if (changed != NULL)
    *changed = TRUE;
  return move_balance (self, asset, d_free, d_locked, reason, 0, error);
}

const BourseAccount *
bourse_portfolio_get_account (BoursePortfolio *self)
{
  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), NULL);

  return &self->account;
}

BourseStore *
bourse_portfolio_get_store (BoursePortfolio *self)
{
  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (self), NULL);

  return self->store;
}
