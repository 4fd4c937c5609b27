/* bourse-instruments.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "core/bourse-time.h"

#include "bourse-candles.h"
#include "bourse-instruments.h"

G_DEFINE_QUARK (bourse-market-error-quark, bourse_market_error)

const char *
bourse_market_error_field (const GError *error)
{
  if (error == NULL || error->domain != BOURSE_MARKET_ERROR)
    return NULL;

  switch ((BourseMarketError)error->code)
    {
    case BOURSE_MARKET_ERROR_INVALID_SYMBOL:       return "symbol";
    case BOURSE_MARKET_ERROR_INVALID_BASE_ASSET:   return "base_asset";
    case BOURSE_MARKET_ERROR_INVALID_QUOTE_ASSET:  return "quote_asset";
    case BOURSE_MARKET_ERROR_INVALID_TICK_SIZE:    return "tick_size";
    case BOURSE_MARKET_ERROR_INVALID_LOT_STEP:     return "lot_step";
    case BOURSE_MARKET_ERROR_INVALID_MIN_NOTIONAL: return "min_notional";
    case BOURSE_MARKET_ERROR_INVALID_STATUS:       return "status";
    case BOURSE_MARKET_ERROR_INVALID_SOURCE:       return "source";
    case BOURSE_MARKET_ERROR_INVALID_INTERVAL:     return "interval";
    case BOURSE_MARKET_ERROR_INVALID_CANDLE:       return "candles";
    case BOURSE_MARKET_ERROR_CONFLICT:             return "symbol";
    case BOURSE_MARKET_ERROR_IN_USE:               return "symbol";
    case BOURSE_MARKET_ERROR_NOT_FOUND:
    default:                                       return NULL;
    }
}

BourseInstrument *
bourse_instrument_new (void)
{
  BourseInstrument *instrument = g_new0 (BourseInstrument, 1);

  instrument->status = g_strdup ("trading");
  instrument->source = g_strdup ("simulated");
  return instrument;
}

BourseInstrument *
bourse_instrument_copy (const BourseInstrument *instrument)
{
  BourseInstrument *copy;

  g_return_val_if_fail (instrument != NULL, NULL);

  copy = g_memdup2 (instrument, sizeof *instrument);
  copy->symbol = g_strdup (instrument->symbol);
  copy->base_asset = g_strdup (instrument->base_asset);
  copy->quote_asset = g_strdup (instrument->quote_asset);
  copy->status = g_strdup (instrument->status);
  copy->source = g_strdup (instrument->source);
  copy->created_at = g_strdup (instrument->created_at);
  copy->updated_at = g_strdup (instrument->updated_at);
  return copy;
}

void
bourse_instrument_free (BourseInstrument *instrument)
{
  if (instrument == NULL)
    return;
  g_free (instrument->symbol);
  g_free (instrument->base_asset);
  g_free (instrument->quote_asset);
  g_free (instrument->status);
  g_free (instrument->source);
  g_free (instrument->created_at);
  g_free (instrument->updated_at);
  g_free (instrument);
}

/* min_len … max_len of A-Z 0-9. */
static gboolean
is_code (const char *text,
         gsize       min_len,
         gsize       max_len)
{
  gsize len = text ? strlen (text) : 0;

  if (len < min_len || len > max_len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isupper (text[i]) && !g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

gboolean
bourse_instrument_validate (const BourseInstrument  *instrument,
                            GError                 **error)
{
  g_return_val_if_fail (instrument != NULL, FALSE);

  if (!is_code (instrument->symbol, 2, 20))
    g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_SYMBOL,
                         _("A symbol is 2 to 20 capital letters and digits, such as “BTCUSDT”"));
  else if (!is_code (instrument->base_asset, 1, 10))
    g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_BASE_ASSET,
                         _("An asset is 1 to 10 capital letters and digits, such as “BTC”"));
  else if (!is_code (instrument->quote_asset, 1, 10))
    g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_QUOTE_ASSET,
                         _("An asset is 1 to 10 capital letters and digits, such as “BTC”"));
  else if (instrument->tick_size.units <= 0)
    g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_TICK_SIZE,
                         _("The tick size must be greater than zero"));
  else if (instrument->lot_step.units <= 0)
    g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_LOT_STEP,
                         _("The lot step must be greater than zero"));
  else if (instrument->min_notional.units < 0)
    g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_MIN_NOTIONAL,
                         _("The minimum notional must not be negative"));
  else if (g_strcmp0 (instrument->status, "trading") != 0 && g_strcmp0 (instrument->status, "halted") != 0)
    g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_STATUS,
                         _("The status must be “trading” or “halted”"));
  else if (g_strcmp0 (instrument->source, "simulated") != 0 && g_strcmp0 (instrument->source, "binance") != 0
           && g_strcmp0 (instrument->source, "csv") != 0)
    g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_SOURCE,
                         _("The source must be “simulated”, “binance” or “csv”"));
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

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

JsonNode *
bourse_instrument_to_json (const BourseInstrument *instrument)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (instrument != NULL, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "symbol", instrument->symbol);
  add_string (builder, "base_asset", instrument->base_asset);
  add_string (builder, "quote_asset", instrument->quote_asset);
  add_decimal (builder, "tick_size", instrument->tick_size);
  add_decimal (builder, "lot_step", instrument->lot_step);
  add_decimal (builder, "min_notional", instrument->min_notional);
  add_string (builder, "status", instrument->status);
  add_string (builder, "source", instrument->source);
  /* Clients label these everywhere (issue 4): never mistake them for a market. */
  json_builder_set_member_name (builder, "simulated");
  json_builder_add_boolean_value (builder, g_strcmp0 (instrument->source, "simulated") == 0);
  add_string (builder, "created_at", instrument->created_at);
  add_string (builder, "updated_at", instrument->updated_at);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

#define INSTRUMENT_COLUMNS "id, symbol, base_asset, quote_asset, tick_size, lot_step, min_notional, " \
                           "status, source, created_at, updated_at"

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

static BourseInstrument *
instrument_from_row (sqlite3_stmt *stmt)
{
  BourseInstrument *instrument = g_new0 (BourseInstrument, 1);

  instrument->id = sqlite3_column_int64 (stmt, 0);
  instrument->symbol = column_text (stmt, 1);
  instrument->base_asset = column_text (stmt, 2);
  instrument->quote_asset = column_text (stmt, 3);
  instrument->tick_size.units = sqlite3_column_int64 (stmt, 4);
  instrument->lot_step.units = sqlite3_column_int64 (stmt, 5);
  instrument->min_notional.units = sqlite3_column_int64 (stmt, 6);
  instrument->status = column_text (stmt, 7);
  instrument->source = column_text (stmt, 8);
  instrument->created_at = column_text (stmt, 9);
  instrument->updated_at = column_text (stmt, 10);
  return instrument;
}

GPtrArray *
bourse_instruments_list (BourseStore  *store,
                         GError      **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_instrument_free);
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);

  stmt = bourse_store_statement (store, "SELECT " INSTRUMENT_COLUMNS " FROM instruments ORDER BY symbol", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, instrument_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

BourseInstrument *
bourse_instruments_find (BourseStore  *store,
                         const char   *symbol,
                         GError      **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);

  stmt = bourse_store_statement (store, "SELECT " INSTRUMENT_COLUMNS " FROM instruments WHERE symbol = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, symbol ? symbol : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return instrument_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_NOT_FOUND,
                 _("There is no instrument “%s”"), symbol ? symbol : "");
  else
    bourse_store_set_error (store, error);
  return NULL;
}

gboolean
bourse_instruments_insert (BourseStore       *store,
                           BourseInstrument  *instrument,
                           GError           **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);

  if (!bourse_instrument_validate (instrument, error))
    return FALSE;

  stmt = bourse_store_statement (store,
                               "INSERT INTO instruments (symbol, base_asset, quote_asset, tick_size, lot_step, "
                               "min_notional, status, source, created_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, instrument->symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, instrument->base_asset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, instrument->quote_asset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, instrument->tick_size.units);
  sqlite3_bind_int64 (stmt, 5, instrument->lot_step.units);
  sqlite3_bind_int64 (stmt, 6, instrument->min_notional.units);
  sqlite3_bind_text (stmt, 7, instrument->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, instrument->source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_CONFLICT,
                   _("The instrument “%s” already exists"), instrument->symbol);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }

  instrument->id = sqlite3_last_insert_rowid (bourse_store_get_db (store));
  g_free (instrument->created_at);
  instrument->created_at = g_strdup (now);
  g_free (instrument->updated_at);
  instrument->updated_at = g_strdup (now);
  return TRUE;
}

gboolean
bourse_instruments_update (BourseStore       *store,
                           BourseInstrument  *instrument,
                           GError           **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);

  if (!bourse_instrument_validate (instrument, error))
    return FALSE;

  stmt = bourse_store_statement (store,
                               "UPDATE instruments SET tick_size = ?, lot_step = ?, min_notional = ?, "
                               "status = ?, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument->tick_size.units);
  sqlite3_bind_int64 (stmt, 2, instrument->lot_step.units);
  sqlite3_bind_int64 (stmt, 3, instrument->min_notional.units);
  sqlite3_bind_text (stmt, 4, instrument->status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, instrument->id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  if (sqlite3_changes (bourse_store_get_db (store)) == 0)
    {
      g_set_error (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_NOT_FOUND,
                   _("There is no instrument “%s”"), instrument->symbol ? instrument->symbol : "");
      return FALSE;
    }
  g_free (instrument->updated_at);
  instrument->updated_at = g_strdup (now);
  return TRUE;
}

gboolean
bourse_instruments_delete (BourseStore  *store,
                           gint64        id,
                           gboolean      purge,
                           gint64       *n_candles,
                           GError      **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 count;

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);

  count = bourse_candles_count (store, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* History is not thrown away by accident: halting is the usual way out. */
  if (count > 0 && !purge)
    {
      g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_IN_USE,
                           _("This instrument has stored candles; halt it instead, or delete it with "
                             "“purge=true” to delete its candles as well"));
      return FALSE;
    }

  stmt = bourse_store_statement (store, "DELETE FROM instruments WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  if (sqlite3_changes (bourse_store_get_db (store)) == 0)
    {
      g_set_error_literal (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_NOT_FOUND,
                           _("There is no such instrument"));
      return FALSE;
    }
  if (n_candles != NULL)
    *n_candles = count;
  return TRUE;
}
