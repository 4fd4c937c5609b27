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

/* Writes @candles inside the caller's transaction; adds the rows really
 * changed to *changed. */
static gboolean
write_rows (BourseStore         *store,
            gint64               instrument_id,
            BourseInterval       interval,
            const BourseCandle  *candles,
            gsize                n_candles,
            gsize               *changed,
            GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db = bourse_store_get_db (store);

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
  if (stmt == NULL)
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
          return FALSE;
        }
      *changed += sqlite3_changes (db);
    }

  return TRUE;
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

  if (!bourse_store_begin (store, error))
    return FALSE;
  if (!write_rows (store, instrument_id, interval, candles, n_candles, &changed, error)
      || !bourse_store_commit (store, error))
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

/* Aggregation {{{ */

/* Folds the @fine candles of the @coarse candles overlapping [start, end]
 * into those, and writes them. */
static gboolean
fold (BourseStore     *store,
      gint64           instrument_id,
      BourseInterval   fine,
      BourseInterval   coarse,
      gint64           start,
      gint64           end,
      GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) folded = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  BourseCandle *bucket = NULL;
  gint64 bucket_next = 0;
  gsize changed = 0;
  int rc;

  stmt = bourse_store_prepare (store,
                               "SELECT open_time, open, high, low, close, volume, trades, closed FROM candles "
                               "WHERE instrument_id = ? AND interval = ? AND open_time >= ? AND open_time <= ? "
                               "ORDER BY open_time", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_text (stmt, 2, bourse_interval_to_string (fine), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, bourse_interval_align (coarse, start));
  sqlite3_bind_int64 (stmt, 4, bourse_interval_next (coarse, end) - 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BourseCandle c = { 0 };

      c.open_time = sqlite3_column_int64 (stmt, 0);
      c.open.units = sqlite3_column_int64 (stmt, 1);
      c.high.units = sqlite3_column_int64 (stmt, 2);
      c.low.units = sqlite3_column_int64 (stmt, 3);
      c.close.units = sqlite3_column_int64 (stmt, 4);
      c.volume.units = sqlite3_column_int64 (stmt, 5);
      c.trades = sqlite3_column_int64 (stmt, 6);
      c.closed = sqlite3_column_int (stmt, 7) != 0;

      if (bucket == NULL || c.open_time >= bucket_next)
        {
          g_array_append_val (folded, c);
          bucket = &g_array_index (folded, BourseCandle, folded->len - 1);
          bucket->open_time = bourse_interval_align (coarse, c.open_time);
          bucket_next = bourse_interval_next (coarse, c.open_time);
        }
      else
        {
          if (bourse_decimal_compare (c.high, bucket->high) > 0)
            bucket->high = c.high;
          if (bourse_decimal_compare (c.low, bucket->low) < 0)
            bucket->low = c.low;
          bucket->close = c.close;
          if (!bourse_decimal_add (bucket->volume, c.volume, &bucket->volume, error))
            return FALSE;
          bucket->trades += c.trades;
        }
      /* Closed once its last part is closed and ends where it ends. */
      bucket->closed = c.closed && bourse_interval_next (fine, c.open_time) == bucket_next;
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }

  return write_rows (store, instrument_id, coarse,
                     (const BourseCandle *) (gpointer) folded->data, folded->len, &changed, error);
}

gboolean
bourse_candles_aggregate (BourseStore     *store,
                          gint64           instrument_id,
                          BourseInterval   source,
                          gint64           start,
                          gint64           end,
                          GError         **error)
{
  gboolean derived[BOURSE_N_INTERVALS] = { FALSE };

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail ((guint) source < BOURSE_N_INTERVALS, FALSE);
  g_return_val_if_fail (start <= end, FALSE);

  if (!bourse_store_begin (store, error))
    return FALSE;

  derived[source] = TRUE;
  for (guint coarse = source + 1; coarse < BOURSE_N_INTERVALS; coarse++)
    {
      /* From the coarsest interval already made that fits: a month reads
       * its days, not its 44,640 minutes. */
      for (int fine = coarse - 1; fine >= (int) source; fine--)
        {
          if (!derived[fine] || !bourse_interval_nests_in (fine, coarse))
            continue;

          if (!fold (store, instrument_id, fine, coarse, start, end, error))
            {
              bourse_store_rollback (store);
              return FALSE;
            }
          derived[coarse] = TRUE;
          break;
        }
    }

  if (!bourse_store_commit (store, error))
    {
      bourse_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/* }}} */
