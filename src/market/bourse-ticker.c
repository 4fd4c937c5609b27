/* bourse-ticker.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include <sqlite3.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"

#include "bourse-ticker.h"

#define MS_PER_DAY G_GINT64_CONSTANT (86400000)

/* The finest interval that has candles: minutes for a live feed, whatever
 * a file brought for an imported instrument. */
static gboolean
finest_interval (BourseStore             *store,
                 const BourseInstrument  *instrument,
                 BourseInterval          *out,
                 gint64                  *last_open,
                 GError                 **error)
{
  g_autoptr(BourseStatement) stmt = NULL;

  stmt = bourse_store_statement (store,
                               "SELECT open_time FROM candles WHERE instrument_id = ? AND interval = ? "
                               "ORDER BY open_time DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < BOURSE_N_INTERVALS; i++)
    {
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, instrument->id);
      sqlite3_bind_text (stmt, 2, bourse_interval_to_string (i), -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out = i;
          *last_open = sqlite3_column_int64 (stmt, 0);
          return TRUE;
        }
      if (rc != SQLITE_DONE)
        {
          bourse_store_set_error (store, error);
          return FALSE;
        }
    }

  *last_open = G_MININT64;
  return TRUE;
}

gboolean
bourse_ticker_last_price (BourseStore             *store,
                          const BourseInstrument  *instrument,
                          BourseDecimal           *price,
                          gint64                  *time,
                          GError                 **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  BourseInterval interval = BOURSE_INTERVAL_1M;
  gint64 last_open = 0;

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail (instrument != NULL, FALSE);

  if (!finest_interval (store, instrument, &interval, &last_open, error))
    return FALSE;
  if (last_open == G_MININT64)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "symbol",
                              _("%s has no price yet: no candles are stored"), instrument->symbol);
      return FALSE;
    }
  stmt = bourse_store_statement (store,
                               "SELECT close FROM candles WHERE instrument_id = ? AND interval = ? AND open_time = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument->id);
  sqlite3_bind_text (stmt, 2, bourse_interval_to_string (interval), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, last_open);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  price->units = sqlite3_column_int64 (stmt, 0);
  if (time != NULL)
    *time = last_open;
  return TRUE;
}

gboolean
bourse_ticker_compute (BourseStore             *store,
                       const BourseInstrument  *instrument,
                       BourseTicker            *out,
                       GError                 **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  BourseInterval interval = BOURSE_INTERVAL_1M;
  gint64 last_open = 0;
  gboolean first = TRUE;
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail (instrument != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (!finest_interval (store, instrument, &interval, &last_open, error))
    return FALSE;
  if (last_open == G_MININT64)
    return TRUE;

  /* The last candle and those that opened less than 24 hours before it:
   * 1440 minutes, or 24 hours, or one day. */
  stmt = bourse_store_statement (store,
                               "SELECT open_time, open, high, low, close, volume FROM candles "
                               "WHERE instrument_id = ? AND interval = ? AND open_time > ? AND open_time <= ? "
                               "ORDER BY open_time", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument->id);
  sqlite3_bind_text (stmt, 2, bourse_interval_to_string (interval), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, last_open - MS_PER_DAY);
  sqlite3_bind_int64 (stmt, 4, last_open);

  out->interval = interval;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BourseDecimal high = { sqlite3_column_int64 (stmt, 2) };
      BourseDecimal low = { sqlite3_column_int64 (stmt, 3) };
      BourseDecimal volume = { sqlite3_column_int64 (stmt, 5) };

      if (first)
        {
          out->open_price.units = sqlite3_column_int64 (stmt, 1);
          out->high = high;
          out->low = low;
          first = FALSE;
        }
      if (bourse_decimal_compare (high, out->high) > 0)
        out->high = high;
      if (bourse_decimal_compare (low, out->low) < 0)
        out->low = low;
      /* A day of volume cannot overflow 92 billion units of a real market;
       * if it did, the sum stops there rather than wrapping. */
      if (!bourse_decimal_add (out->volume, volume, &out->volume, NULL))
        out->volume.units = G_MAXINT64;
      out->time = sqlite3_column_int64 (stmt, 0);
      out->last_price.units = sqlite3_column_int64 (stmt, 4);
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }

  out->has_data = !first;
  return TRUE;
}

JsonNode *
bourse_ticker_to_json (const BourseTicker      *ticker,
                       const BourseInstrument  *instrument)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  BourseDecimal change = BOURSE_DECIMAL_ZERO;
  BourseDecimal percent = BOURSE_DECIMAL_ZERO;
  gboolean has_change = ticker->has_data;
  gboolean has_percent = FALSE;

  if (has_change)
    has_change = bourse_decimal_sub (ticker->last_price, ticker->open_price, &change, NULL);
  if (has_change && !bourse_decimal_is_zero (ticker->open_price))
    {
      BourseDecimal hundred = { 100 * BOURSE_DECIMAL_UNIT };
      BourseDecimal ratio;

      /* Two decimals, as exchanges show it. */
      has_percent = bourse_decimal_div (change, ticker->open_price, BOURSE_ROUND_HALF_EVEN, &ratio, NULL)
                    && bourse_decimal_mul (ratio, hundred, BOURSE_ROUND_HALF_EVEN, &percent, NULL)
                    && bourse_decimal_round_to_step (percent, (BourseDecimal) { BOURSE_DECIMAL_UNIT / 100 },
                                                     BOURSE_ROUND_HALF_UP, &percent, NULL);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "symbol");
  json_builder_add_string_value (builder, instrument->symbol);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, instrument->source);
  json_builder_set_member_name (builder, "simulated");
  json_builder_add_boolean_value (builder, g_strcmp0 (instrument->source, "simulated") == 0);
  bourse_json_builder_add_decimal (builder, "last_price", ticker->has_data ? &ticker->last_price : NULL);
  bourse_json_builder_add_decimal (builder, "open_price", ticker->has_data ? &ticker->open_price : NULL);
  bourse_json_builder_add_decimal (builder, "change", has_change ? &change : NULL);
  json_builder_set_member_name (builder, "change_percent");
  if (has_percent)
    {
      g_autofree char *text = bourse_decimal_to_string (percent);
      char *point = strchr (text, '.');

      /* "-1.23", not "-1.23000000". */
      if (point != NULL && strlen (point) > 3)
        point[3] = '\0';
      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
  bourse_json_builder_add_decimal (builder, "high", ticker->has_data ? &ticker->high : NULL);
  bourse_json_builder_add_decimal (builder, "low", ticker->has_data ? &ticker->low : NULL);
  bourse_json_builder_add_decimal (builder, "volume", ticker->has_data ? &ticker->volume : NULL);
  json_builder_set_member_name (builder, "time");
  if (ticker->has_data)
    json_builder_add_int_value (builder, ticker->time);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
