/* bourse-candles.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bourse-candles.h"
#include "bourse-candles-private.h"

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

/* Rows per INSERT: per-statement costs dominate a one-row INSERT, and
 * one statement of many rows writes a candle in about half the time
 * (bench/market). 64 × 10 parameters stay far below SQLite's limit. */
#define ROWS_PER_INSERT 64
#define COLUMNS         10

/* The WHERE leaves identical rows untouched, so a re-import changes
 * nothing and sqlite3_changes () counts only real changes. */
static sqlite3_stmt *
prepare_upsert (BourseStore  *store,
                guint         n_rows,
                GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("INSERT INTO candles (instrument_id, interval, open_time, open, high, "
                                         "low, close, volume, trades, closed) VALUES ");

  for (guint i = 0; i < n_rows; i++)
    g_string_append (sql, i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  g_string_append (sql,
                   " ON CONFLICT (instrument_id, interval, open_time) DO UPDATE SET "
                   "open = excluded.open, high = excluded.high, low = excluded.low, "
                   "close = excluded.close, volume = excluded.volume, trades = excluded.trades, "
                   "closed = excluded.closed "
                   "WHERE (open, high, low, close, volume, trades, closed) IS NOT "
                   "(excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume, "
                   "excluded.trades, excluded.closed)");
  return bourse_store_prepare (store, sql->str, error);
}

/* Number writers {{{ */

static char *
put_unsigned (char    *out,
              guint64  value)
{
  char digits[24];
  int n = 0;

  do
    digits[n++] = '0' + value % 10;
  while ((value /= 10) != 0);
  while (n > 0)
    *out++ = digits[--n];
  return out;
}

char *
_bourse_candles_put_signed (char   *out,
                            gint64  value)
{
  if (value < 0)
    {
      *out++ = '-';
      /* Negating as unsigned is what makes G_MININT64 printable. */
      return put_unsigned (out, 0 - (guint64) value);
    }
  return put_unsigned (out, value);
}

char *
_bourse_candles_put_decimal (char          *out,
                             BourseDecimal  value,
                             gboolean       trimmed)
{
  guint64 magnitude = value.units < 0 ? 0 - (guint64) value.units : (guint64) value.units;
  guint64 frac = magnitude % BOURSE_DECIMAL_UNIT;
  int n_frac = BOURSE_DECIMAL_SCALE;

  if (value.units < 0)
    *out++ = '-';
  out = put_unsigned (out, magnitude / BOURSE_DECIMAL_UNIT);
  if (trimmed)
    {
      if (frac == 0)
        return out;
      while (frac % 10 == 0)
        frac /= 10, n_frac--;
    }
  *out++ = '.';
  for (int i = n_frac - 1; i >= 0; i--)
    {
      out[i] = '0' + frac % 10;
      frac /= 10;
    }
  return out + n_frac;
}

/* }}} */

void
bourse_candles_append_json (GString             *out,
                            const BourseCandle  *candles,
                            gsize                n_candles,
                            BourseInterval       interval)
{
  static const char * const names[] = { ",\"open\":\"", "\",\"high\":\"", "\",\"low\":\"",
                                        "\",\"close\":\"", "\",\"volume\":\"" };

  g_return_if_fail (out != NULL);
  g_return_if_fail (candles != NULL || n_candles == 0);
  g_return_if_fail ((guint) interval < BOURSE_N_INTERVALS);

  g_string_append_c (out, '[');
  for (gsize i = 0; i < n_candles; i++)
    {
      const BourseCandle *c = &candles[i];
      const BourseDecimal values[] = { c->open, c->high, c->low, c->close, c->volume };
      /* Nine members of at most 21 characters each, and their names. */
      char object[320];
      char *p = object;

      if (i > 0)
        *p++ = ',';
      p = g_stpcpy (p, "{\"open_time\":");
      p = _bourse_candles_put_signed (p, c->open_time);
      p = g_stpcpy (p, ",\"close_time\":");
      p = _bourse_candles_put_signed (p, bourse_interval_next (interval, c->open_time) - 1);
      for (guint v = 0; v < G_N_ELEMENTS (values); v++)
        {
          p = g_stpcpy (p, names[v]);
          p = _bourse_candles_put_decimal (p, values[v], FALSE);
        }
      p = g_stpcpy (p, "\",\"trades\":");
      p = _bourse_candles_put_signed (p, c->trades);
      p = g_stpcpy (p, c->closed ? ",\"closed\":true}" : ",\"closed\":false}");
      g_string_append_len (out, object, p - object);
    }
  g_string_append_c (out, ']');
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
  g_autoptr(sqlite3_stmt) full = NULL;
  g_autoptr(sqlite3_stmt) tail = NULL;
  sqlite3 *db = bourse_store_get_db (store);
  const char *interval_text = bourse_interval_to_string (interval);

  if ((n_candles >= ROWS_PER_INSERT && (full = prepare_upsert (store, ROWS_PER_INSERT, error)) == NULL)
      || (n_candles % ROWS_PER_INSERT != 0
          && (tail = prepare_upsert (store, n_candles % ROWS_PER_INSERT, error)) == NULL))
    return FALSE;

  for (gsize i = 0; i < n_candles;)
    {
      guint n_rows = MIN (ROWS_PER_INSERT, n_candles - i);
      sqlite3_stmt *stmt = n_rows == ROWS_PER_INSERT ? full : tail;

      sqlite3_reset (stmt);
      for (guint row = 0; row < n_rows; row++)
        {
          const BourseCandle *c = &candles[i + row];
          int at = row * COLUMNS;

          sqlite3_bind_int64 (stmt, at + 1, instrument_id);
          sqlite3_bind_text (stmt, at + 2, interval_text, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, at + 3, c->open_time);
          sqlite3_bind_int64 (stmt, at + 4, c->open.units);
          sqlite3_bind_int64 (stmt, at + 5, c->high.units);
          sqlite3_bind_int64 (stmt, at + 6, c->low.units);
          sqlite3_bind_int64 (stmt, at + 7, c->close.units);
          sqlite3_bind_int64 (stmt, at + 8, c->volume.units);
          sqlite3_bind_int64 (stmt, at + 9, c->trades);
          sqlite3_bind_int (stmt, at + 10, c->closed ? 1 : 0);
        }
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          bourse_store_set_error (store, error);
          return FALSE;
        }
      *changed += sqlite3_changes (db);
      i += n_rows;
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

gboolean
bourse_candles_upsert_in_transaction (BourseStore         *store,
                                      gint64               instrument_id,
                                      BourseInterval       interval,
                                      const BourseCandle  *candles,
                                      gsize                n_candles,
                                      gsize               *n_changed,
                                      GError             **error)
{
  gsize changed = 0;

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail ((guint) interval < BOURSE_N_INTERVALS, FALSE);
  g_return_val_if_fail (candles != NULL || n_candles == 0, FALSE);
  g_return_val_if_fail (!sqlite3_get_autocommit (bourse_store_get_db (store)), FALSE);

  if (!write_rows (store, instrument_id, interval, candles, n_candles, &changed, error))
    return FALSE;
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

/* Folds @fine candles, in order, into @coarse ones. */
typedef struct
{
  BourseInterval  fine;
  BourseInterval  coarse;
  GArray         *folded;
  BourseCandle   *bucket;
  gint64          bucket_next;
} Folder;

static void
folder_init (Folder         *folder,
             BourseInterval  fine,
             BourseInterval  coarse)
{
  folder->fine = fine;
  folder->coarse = coarse;
  folder->folded = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  folder->bucket = NULL;
  folder->bucket_next = 0;
}

static void
folder_clear (Folder *folder)
{
  g_clear_pointer (&folder->folded, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Folder, folder_clear)

static gboolean
folder_add (Folder              *folder,
            const BourseCandle  *c,
            GError             **error)
{
  BourseCandle *bucket = folder->bucket;

  if (bucket == NULL || c->open_time >= folder->bucket_next)
    {
      g_array_append_vals (folder->folded, c, 1);
      bucket = folder->bucket = &g_array_index (folder->folded, BourseCandle, folder->folded->len - 1);
      bucket->open_time = bourse_interval_align (folder->coarse, c->open_time);
      folder->bucket_next = bourse_interval_next (folder->coarse, c->open_time);
    }
  else
    {
      if (bourse_decimal_compare (c->high, bucket->high) > 0)
        bucket->high = c->high;
      if (bourse_decimal_compare (c->low, bucket->low) < 0)
        bucket->low = c->low;
      bucket->close = c->close;
      if (!bourse_decimal_add (bucket->volume, c->volume, &bucket->volume, error))
        return FALSE;
      bucket->trades += c->trades;
    }
  /* Closed once its last part is closed and ends where it ends. */
  bucket->closed = c->closed && bourse_interval_next (folder->fine, c->open_time) == folder->bucket_next;
  return TRUE;
}

/* Adds the stored @fine candles with from <= open_time <= to. */
static gboolean
folder_add_stored (Folder       *folder,
                   BourseStore  *store,
                   gint64        instrument_id,
                   gint64        from,
                   gint64        to,
                   GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (from > to)
    return TRUE;

  stmt = bourse_store_prepare (store,
                               "SELECT open_time, open, high, low, close, volume, trades, closed FROM candles "
                               "WHERE instrument_id = ? AND interval = ? AND open_time >= ? AND open_time <= ? "
                               "ORDER BY open_time", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_text (stmt, 2, bourse_interval_to_string (folder->fine), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, from);
  sqlite3_bind_int64 (stmt, 4, to);

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
      if (!folder_add (folder, &c, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  return TRUE;
}

/* Folds the @fine candles of the @coarse candles overlapping [start, end]
 * into those, and writes them. @written (may be NULL) are @fine candles
 * just written, exactly the stored ones of their range: they are used as
 * they are, and only the stored candles around them are read. *folded
 * (if asked for) gets the @coarse candles written. */
static gboolean
fold (BourseStore         *store,
      gint64               instrument_id,
      BourseInterval       fine,
      BourseInterval       coarse,
      gint64               start,
      gint64               end,
      const BourseCandle  *written,
      gsize                n_written,
      GArray             **folded,
      GError             **error)
{
  g_auto(Folder) folder = { 0 };
  gint64 from = bourse_interval_align (coarse, start);
  gint64 to = bourse_interval_next (coarse, end) - 1;
  gsize changed = 0;

  folder_init (&folder, fine, coarse);
  if (written == NULL || n_written == 0)
    {
      if (!folder_add_stored (&folder, store, instrument_id, from, to, error))
        return FALSE;
    }
  else
    {
      if (!folder_add_stored (&folder, store, instrument_id, from, written[0].open_time - 1, error))
        return FALSE;
      for (gsize i = 0; i < n_written; i++)
        if (!folder_add (&folder, &written[i], error))
          return FALSE;
      if (!folder_add_stored (&folder, store, instrument_id, written[n_written - 1].open_time + 1, to, error))
        return FALSE;
    }

  if (!write_rows (store, instrument_id, coarse,
                   (const BourseCandle *) (gpointer) folder.folded->data, folder.folded->len, &changed, error))
    return FALSE;
  if (folded != NULL)
    *folded = g_steal_pointer (&folder.folded);
  return TRUE;
}

/* Whether the stored @interval candles over the range of @candles (ascending)
 * are exactly those: then they can stand in for reading them back. */
static gboolean
stored_exactly (BourseStore         *store,
                gint64               instrument_id,
                BourseInterval       interval,
                const BourseCandle  *candles,
                gsize                n_candles,
                gboolean            *exactly,
                GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *exactly = FALSE;
  if (n_candles == 0)
    return TRUE;

  stmt = bourse_store_prepare (store,
                               "SELECT count(*) FROM candles "
                               "WHERE instrument_id = ? AND interval = ? AND open_time >= ? AND open_time <= ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_text (stmt, 2, bourse_interval_to_string (interval), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, candles[0].open_time);
  sqlite3_bind_int64 (stmt, 4, candles[n_candles - 1].open_time);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  /* Every one of them is stored; no other one is in between. */
  *exactly = (guint64) sqlite3_column_int64 (stmt, 0) == n_candles;
  return TRUE;
}

/* Every interval coarser than @source, inside the caller's transaction.
 * @written (may be NULL) are the @source candles just written over
 * [start, end]; each interval derived is then kept in memory for the next
 * one, as long as the store holds exactly it over its range. */
static gboolean
aggregate_rows (BourseStore         *store,
                gint64               instrument_id,
                BourseInterval       source,
                gint64               start,
                gint64               end,
                const BourseCandle  *written,
                gsize                n_written,
                GError             **error)
{
  gboolean derived[BOURSE_N_INTERVALS] = { FALSE };
  /* In memory, interval by interval: rows[i] (n_rows[i] of them), owned by owned[i] when derived here. */
  const BourseCandle *rows[BOURSE_N_INTERVALS] = { NULL };
  gsize n_rows[BOURSE_N_INTERVALS] = { 0 };
  GArray *owned[BOURSE_N_INTERVALS] = { NULL };
  gboolean exactly = FALSE;
  gboolean ok = TRUE;

  if (written != NULL && n_written > 0
      && !stored_exactly (store, instrument_id, source, written, n_written, &exactly, error))
    return FALSE;
  if (exactly)
    {
      rows[source] = written;
      n_rows[source] = n_written;
    }
  derived[source] = TRUE;

  for (guint coarse = source + 1; ok && coarse < BOURSE_N_INTERVALS; coarse++)
    {
      /* From the coarsest interval already made that fits: a month reads
       * its days, not its 44,640 minutes. */
      for (int fine = coarse - 1; fine >= (int) source; fine--)
        {
          if (!derived[fine] || !bourse_interval_nests_in (fine, coarse))
            continue;

          exactly = FALSE;
          ok = fold (store, instrument_id, fine, coarse, start, end, rows[fine], n_rows[fine], &owned[coarse], error)
            && stored_exactly (store, instrument_id, coarse, (const BourseCandle *) (gpointer) owned[coarse]->data,
                               owned[coarse]->len, &exactly, error);
          if (ok && exactly)
            {
              rows[coarse] = (const BourseCandle *) (gpointer) owned[coarse]->data;
              n_rows[coarse] = owned[coarse]->len;
            }
          derived[coarse] = TRUE;
          break;
        }
    }

  for (guint i = 0; i < BOURSE_N_INTERVALS; i++)
    g_clear_pointer (&owned[i], g_array_unref);
  return ok;
}

gboolean
bourse_candles_aggregate (BourseStore     *store,
                          gint64           instrument_id,
                          BourseInterval   source,
                          gint64           start,
                          gint64           end,
                          GError         **error)
{
  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail ((guint) source < BOURSE_N_INTERVALS, FALSE);
  g_return_val_if_fail (start <= end, FALSE);

  if (!bourse_store_begin (store, error))
    return FALSE;
  if (!aggregate_rows (store, instrument_id, source, start, end, NULL, 0, error)
      || !bourse_store_commit (store, error))
    {
      bourse_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

gboolean
bourse_candles_aggregate_in_transaction (BourseStore     *store,
                                         gint64           instrument_id,
                                         BourseInterval   source,
                                         gint64           start,
                                         gint64           end,
                                         GError         **error)
{
  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail ((guint) source < BOURSE_N_INTERVALS, FALSE);
  g_return_val_if_fail (start <= end, FALSE);
  g_return_val_if_fail (!sqlite3_get_autocommit (bourse_store_get_db (store)), FALSE);

  return aggregate_rows (store, instrument_id, source, start, end, NULL, 0, error);
}

gboolean
bourse_candles_aggregate_written_in_transaction (BourseStore         *store,
                                                 gint64               instrument_id,
                                                 BourseInterval       source,
                                                 const BourseCandle  *candles,
                                                 gsize                n_candles,
                                                 GError             **error)
{
  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail ((guint) source < BOURSE_N_INTERVALS, FALSE);
  g_return_val_if_fail (candles != NULL && n_candles > 0, FALSE);
  g_return_val_if_fail (!sqlite3_get_autocommit (bourse_store_get_db (store)), FALSE);

  /* Reading a million rows back costs more than folding them where they are. */
  return aggregate_rows (store, instrument_id, source, candles[0].open_time, candles[n_candles - 1].open_time,
                         candles, n_candles, error);
}

/* }}} */
