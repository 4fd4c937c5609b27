/* bourse-candles.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bourse-candles.h"

gboolean
bourse_candle_validate (const BourseCandle  *candle,
                        BourseInterval       interval,
                        GError             **error)
{
  g_return_val_if_fail (candle != NULL, FALSE);

  if ((guint)interval >= BOURSE_N_INTERVALS)
    {
      g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_INTERVAL,
                           _("Unknown interval"));
      return FALSE;
    }

  if (candle->open_time < BOURSE_TIME_MIN_MS || candle->open_time > BOURSE_TIME_MAX_MS
      || bourse_interval_align (interval, candle->open_time) != candle->open_time)
    g_set_error (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_CANDLE,
                 _("The open time is not the start of a %s interval"), bourse_interval_to_string (interval));
  else if (bourse_decimal_compare (candle->high, candle->open) < 0
           || bourse_decimal_compare (candle->high, candle->close) < 0)
    g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_CANDLE,
                         _("The high is below the open or the close"));
  else if (bourse_decimal_compare (candle->low, candle->open) > 0
           || bourse_decimal_compare (candle->low, candle->close) > 0)
    g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_CANDLE,
                         _("The low is above the open or the close"));
  else if (candle->volume.units < 0)
    g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_CANDLE,
                         _("The volume is negative"));
  else if (candle->trades < 0)
    g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_CANDLE,
                         _("The number of trades is negative"));
  else
    return TRUE;
  return FALSE;
}

static void
add_decimal (JsonBuilder   *builder,
             const char    *name,
             BourseDecimal  value)
{
  g_autofree char *text = bourse_decimal_to_string (value);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

JsonNode *
bourse_candle_to_json (const BourseCandle *candle,
                       BourseInterval      interval)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (candle != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "open_time");
  json_builder_add_int_value (builder, candle->open_time);
  /* The last millisecond inside the candle, as Binance writes it. */
  json_builder_set_member_name (builder, "close_time");
  json_builder_add_int_value (builder, bourse_interval_next (interval, candle->open_time) - 1);
  add_decimal (builder, "open", candle->open);
  add_decimal (builder, "high", candle->high);
  add_decimal (builder, "low", candle->low);
  add_decimal (builder, "close", candle->close);
  add_decimal (builder, "volume", candle->volume);
  json_builder_set_member_name (builder, "trades");
  json_builder_add_int_value (builder, candle->trades);
  json_builder_set_member_name (builder, "closed");
  json_builder_add_boolean_value (builder, candle->closed);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

gboolean
bourse_candles_upsert (BourseStore         *store,
                       gint64               instrument_id,
                       BourseInterval       interval,
                       const BourseCandle  *candles,
                       gsize                n_candles,
                       gsize               *n_changed,
                       GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  gsize changed = 0;

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail (candles != NULL || n_candles == 0, FALSE);

  /* All or nothing: a bad row refuses the batch before anything is written. */
  for (gsize i = 0; i < n_candles; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!bourse_candle_validate (&candles[i], interval, &local_error))
        {
          /* The number, not a date: it is what the caller sent. */
          g_autofree char *when = g_strdup_printf ("%" G_GINT64_FORMAT, candles[i].open_time);

          g_set_error (error, local_error->domain, local_error->code,
                       _("Candle %u (open time %s): %s"), (guint)i + 1, when, local_error->message);
          return FALSE;
        }
    }

  db = bourse_store_get_db (store);
  /* The WHERE leaves identical rows untouched, so a re-import changes
   * nothing and sqlite3_changes () counts only real changes. */
  stmt = bourse_store_prepare (store,
                               "INSERT INTO candles (instrument_id, interval, open_time, open, high, low, close, "
                               "volume, trades, closed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                               "ON CONFLICT (instrument_id, interval, open_time) DO UPDATE SET "
                               "open = excluded.open, high = excluded.high, low = excluded.low, "
                               "close = excluded.close, volume = excluded.volume, trades = excluded.trades, "
                               "closed = excluded.closed "
                               "WHERE (open, high, low, close, volume, trades, closed) IS NOT "
                               "(excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume, "
                               "excluded.trades, excluded.closed)", error);
  if (stmt == NULL || !bourse_store_begin (store, error))
    return FALSE;

  for (gsize i = 0; i < n_candles; i++)
    {
      const BourseCandle *c = &candles[i];

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, instrument_id);
      sqlite3_bind_text (stmt, 2, bourse_interval_to_string (interval), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, c->open_time);
      sqlite3_bind_int64 (stmt, 4, c->open.units);
      sqlite3_bind_int64 (stmt, 5, c->high.units);
      sqlite3_bind_int64 (stmt, 6, c->low.units);
      sqlite3_bind_int64 (stmt, 7, c->close.units);
      sqlite3_bind_int64 (stmt, 8, c->volume.units);
      sqlite3_bind_int64 (stmt, 9, c->trades);
      sqlite3_bind_int (stmt, 10, c->closed ? 1 : 0);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          bourse_store_set_error (store, error);
          bourse_store_rollback (store);
          return FALSE;
        }
      changed += sqlite3_changes (db);
    }

  if (!bourse_store_commit (store, error))
    {
      bourse_store_rollback (store);
      return FALSE;
    }
  if (n_changed != NULL)
    *n_changed = changed;
  return TRUE;
}

GArray *
bourse_candles_query (BourseStore     *store,
                      gint64           instrument_id,
                      BourseInterval   interval,
                      gint64           start,
                      gint64           end,
                      guint            limit,
                      gboolean        *more,
                      gint64          *next_cursor,
                      GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) candles = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (limit >= 1 && limit <= BOURSE_CANDLES_MAX_LIMIT, NULL);

  *more = FALSE;
  *next_cursor = 0;
  stmt = bourse_store_prepare (store,
                               "SELECT open_time, open, high, low, close, volume, trades, closed FROM candles "
                               "WHERE instrument_id = ? AND interval = ? AND open_time >= ? AND open_time <= ? "
                               "ORDER BY open_time LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_text (stmt, 2, bourse_interval_to_string (interval), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, start);
  sqlite3_bind_int64 (stmt, 4, end);
  /* One more than asked for says whether another page follows, and where. */
  sqlite3_bind_int64 (stmt, 5, (gint64)limit + 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BourseCandle c = { 0 };

      c.open_time = sqlite3_column_int64 (stmt, 0);
      if (candles->len == limit)
        {
          *more = TRUE;
          *next_cursor = c.open_time;
          break;
        }
      c.open.units = sqlite3_column_int64 (stmt, 1);
      c.high.units = sqlite3_column_int64 (stmt, 2);
      c.low.units = sqlite3_column_int64 (stmt, 3);
      c.close.units = sqlite3_column_int64 (stmt, 4);
      c.volume.units = sqlite3_column_int64 (stmt, 5);
      c.trades = sqlite3_column_int64 (stmt, 6);
      c.closed = sqlite3_column_int (stmt, 7) != 0;
      g_array_append_val (candles, c);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&candles);
}

gint64
bourse_candles_count (BourseStore  *store,
                      gint64        instrument_id,
                      GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BOURSE_IS_STORE (store), -1);

  stmt = bourse_store_prepare (store, "SELECT count(*) FROM candles WHERE instrument_id = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_store_set_error (store, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}
