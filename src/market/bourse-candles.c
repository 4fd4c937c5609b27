/* bourse-candles.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"

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
  bourse_json_builder_add_decimal (builder, "open", &candle->open);
  bourse_json_builder_add_decimal (builder, "high", &candle->high);
  bourse_json_builder_add_decimal (builder, "low", &candle->low);
  bourse_json_builder_add_decimal (builder, "close", &candle->close);
  bourse_json_builder_add_decimal (builder, "volume", &candle->volume);
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
 * changed to *changed. *full (may be NULL) keeps the statement of
 * ROWS_PER_INSERT rows for the next call; the caller finalizes it. */
static gboolean
write_rows (BourseStore         *store,
            gint64               instrument_id,
            BourseInterval       interval,
            const BourseCandle  *candles,
            gsize                n_candles,
            sqlite3_stmt       **full_cache,
            gsize               *changed,
            GError             **error)
{
  g_autoptr(sqlite3_stmt) own_full = NULL;
  g_autoptr(sqlite3_stmt) tail = NULL;
  sqlite3_stmt **full = full_cache != NULL ? full_cache : &own_full;
  sqlite3 *db = bourse_store_get_db (store);
  const char *interval_text = bourse_interval_to_string (interval);

  if ((n_candles >= ROWS_PER_INSERT && *full == NULL
       && (*full = prepare_upsert (store, ROWS_PER_INSERT, error)) == NULL)
      || (n_candles % ROWS_PER_INSERT != 0
          && (tail = prepare_upsert (store, n_candles % ROWS_PER_INSERT, error)) == NULL))
    return FALSE;

  for (gsize i = 0; i < n_candles;)
    {
      guint n_rows = MIN (ROWS_PER_INSERT, n_candles - i);
      sqlite3_stmt *stmt = n_rows == ROWS_PER_INSERT ? *full : tail;

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
  if (!write_rows (store, instrument_id, interval, candles, n_candles, NULL, &changed, error)
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

  if (!write_rows (store, instrument_id, interval, candles, n_candles, NULL, &changed, error))
    return FALSE;
  if (n_changed != NULL)
    *n_changed = changed;
  return TRUE;
}

static GArray *
query_page (BourseStore     *store,
            gint64           instrument_id,
            BourseInterval   interval,
            gint64           start,
            gint64           end,
            guint            limit,
            gboolean         newest_first,
            gboolean        *more,
            gint64          *next_cursor,
            GError         **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GArray) candles = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (limit >= 1 && limit <= BOURSE_CANDLES_MAX_LIMIT, NULL);

  *more = FALSE;
  *next_cursor = 0;
  /* The primary key (instrument_id, interval, open_time) serves both orders. */
  stmt = bourse_store_statement (store,
                                 newest_first
                                 ? "SELECT open_time, open, high, low, close, volume, trades, closed FROM candles "
                                   "WHERE instrument_id = ? AND interval = ? AND open_time >= ? AND open_time <= ? "
                                   "ORDER BY open_time DESC LIMIT ?"
                                 : "SELECT open_time, open, high, low, close, volume, trades, closed FROM candles "
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
  return query_page (store, instrument_id, interval, start, end, limit, FALSE, more, next_cursor, error);
}

GArray *
bourse_candles_query_newest (BourseStore     *store,
                             gint64           instrument_id,
                             BourseInterval   interval,
                             gint64           start,
                             gint64           end,
                             guint            limit,
                             gboolean        *more,
                             gint64          *next_cursor,
                             GError         **error)
{
  return query_page (store, instrument_id, interval, start, end, limit, TRUE, more, next_cursor, error);
}

gboolean
bourse_candles_foreach_closed (BourseStore      *store,
                               gint64            instrument_id,
                               BourseInterval    interval,
                               gint64            start,
                               gint64            end,
                               BourseCandleFunc  func,
                               gpointer          user_data,
                               GError          **error)
{
  gboolean more = TRUE;

  while (more && start <= end)
    {
      g_autoptr(GArray) page = NULL;
      gint64 next = 0;

      page = bourse_candles_query (store, instrument_id, interval, start, end, BOURSE_CANDLES_MAX_LIMIT,
                                   &more, &next, error);
      if (page == NULL)
        return FALSE;
      for (guint i = 0; i < page->len; i++)
        {
          const BourseCandle *candle = &g_array_index (page, BourseCandle, i);

          if (candle->closed && !func (candle, user_data, error))
            return FALSE;
        }
      start = next;
    }
  return TRUE;
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

/* Candles a writer's interval holds before writing them, and reads back
 * at a time: what bounds the memory of an import, whatever its size. A
 * multiple of ROWS_PER_INSERT. */
#define BATCH_CANDLES 4096

/* One interval of a writer: the source, or one folded from the coarsest
 * interval before it that nests in it (15m from 5m, 1M from 1d). */
typedef struct
{
  gboolean        active;
  gboolean        has_children;
  BourseInterval  parent;         /* the interval it is folded from; the source has none */
  gint64          first;          /* its range: the candles overlapping the source's range */
  gint64          last;
  BourseCandle    bucket;         /* the candle being folded */
  gboolean        has_bucket;
  gint64          bucket_next;
  GArray         *pending;        /* BourseCandle, made and not written yet */
  gint64          delivered;      /* the intervals folded from this one have every stored candle up to here */
  gboolean        fresh;          /* nothing was stored from its first open time on */
  sqlite3_stmt   *insert;         /* ROWS_PER_INSERT rows, prepared once */
} Node;

struct _BourseCandlesWriter
{
  BourseStore    *store;
  gint64          instrument_id;
  BourseInterval  source;
  gboolean        started;
  gint64          start;          /* the source's range */
  gint64          end;
  gsize           changed;
  sqlite3_stmt   *count;
  sqlite3_stmt   *select;
  Node            nodes[BOURSE_N_INTERVALS];
};

static gboolean flush (BourseCandlesWriter  *self,
                       BourseInterval        interval,
                       gboolean              final,
                       GError              **error);

BourseCandlesWriter *
bourse_candles_writer_new (BourseStore    *store,
                           gint64          instrument_id,
                           BourseInterval  source)
{
  BourseCandlesWriter *self;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail ((guint) source < BOURSE_N_INTERVALS, NULL);

  self = g_new0 (BourseCandlesWriter, 1);
  self->store = g_object_ref (store);
  self->instrument_id = instrument_id;
  self->source = source;
  self->nodes[source].active = TRUE;

  for (guint coarse = source + 1; coarse < BOURSE_N_INTERVALS; coarse++)
    {
      /* From the coarsest interval already made that fits: a month folds
       * its days, not its 44,640 minutes. */
      for (int fine = coarse - 1; fine >= (int) source; fine--)
        {
          if (!self->nodes[fine].active || !bourse_interval_nests_in (fine, coarse))
            continue;
          self->nodes[coarse].active = TRUE;
          self->nodes[coarse].parent = fine;
          self->nodes[fine].has_children = TRUE;
          break;
        }
    }

  for (guint i = source; i < BOURSE_N_INTERVALS; i++)
    if (self->nodes[i].active)
      self->nodes[i].pending = g_array_new (FALSE, FALSE, sizeof (BourseCandle));
  return self;
}

void
bourse_candles_writer_free (BourseCandlesWriter *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < BOURSE_N_INTERVALS; i++)
    {
      g_clear_pointer (&self->nodes[i].pending, g_array_unref);
      g_clear_pointer (&self->nodes[i].insert, sqlite3_finalize);
    }
  g_clear_pointer (&self->count, sqlite3_finalize);
  g_clear_pointer (&self->select, sqlite3_finalize);
  g_clear_object (&self->store);
  g_free (self);
}

static gboolean
count_stored (BourseCandlesWriter  *self,
              BourseInterval        interval,
              gint64                from,
              gint64                to,
              gint64               *count,
              GError              **error)
{
  if (self->count == NULL
      && (self->count = bourse_store_prepare (self->store,
                                              "SELECT count(*) FROM candles WHERE instrument_id = ? "
                                              "AND interval = ? AND open_time >= ? AND open_time <= ?",
                                              error)) == NULL)
    return FALSE;

  sqlite3_bind_int64 (self->count, 1, self->instrument_id);
  sqlite3_bind_text (self->count, 2, bourse_interval_to_string (interval), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (self->count, 3, from);
  sqlite3_bind_int64 (self->count, 4, to);
  if (sqlite3_step (self->count) != SQLITE_ROW)
    {
      bourse_store_set_error (self->store, error);
      sqlite3_reset (self->count);
      return FALSE;
    }
  *count = sqlite3_column_int64 (self->count, 0);
  sqlite3_reset (self->count);
  return TRUE;
}

static gboolean
any_stored_from (BourseCandlesWriter  *self,
                 BourseInterval        interval,
                 gint64                from,
                 gboolean             *any,
                 GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = bourse_store_prepare (self->store,
                                                       "SELECT EXISTS (SELECT 1 FROM candles WHERE instrument_id = ? "
                                                       "AND interval = ? AND open_time >= ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->instrument_id);
  sqlite3_bind_text (stmt, 2, bourse_interval_to_string (interval), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, from);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  *any = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

static gboolean
push (BourseCandlesWriter  *self,
      BourseInterval        interval,
      const BourseCandle   *candle,
      GError              **error)
{
  Node *node = &self->nodes[interval];

  g_array_append_vals (node->pending, candle, 1);
  return node->pending->len < BATCH_CANDLES || flush (self, interval, FALSE, error);
}

/* Folds @c, a candle of @coarse's parent, into @coarse. */
static gboolean
fold (BourseCandlesWriter  *self,
      BourseInterval        coarse,
      const BourseCandle   *c,
      GError              **error)
{
  Node *node = &self->nodes[coarse];
  BourseCandle *bucket = &node->bucket;

  if (!node->has_bucket || c->open_time >= node->bucket_next)
    {
      if (node->has_bucket && !push (self, coarse, bucket, error))
        return FALSE;
      *bucket = *c;
      bucket->open_time = bourse_interval_align (coarse, c->open_time);
      node->bucket_next = bourse_interval_next (coarse, c->open_time);
      node->has_bucket = TRUE;
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
  bucket->closed = c->closed && bourse_interval_next (node->parent, c->open_time) == node->bucket_next;
  return TRUE;
}

/* Hands @candles of @interval to the intervals folded from it, or to
 * @only_to alone when it is not @interval. */
static gboolean
deliver (BourseCandlesWriter  *self,
         BourseInterval        interval,
         BourseInterval        only_to,
         const BourseCandle   *candles,
         gsize                 n_candles,
         GError              **error)
{
  for (guint coarse = interval + 1; coarse < BOURSE_N_INTERVALS; coarse++)
    {
      if (!self->nodes[coarse].active || self->nodes[coarse].parent != interval
          || (only_to != interval && only_to != coarse))
        continue;
      for (gsize i = 0; i < n_candles; i++)
        if (!fold (self, coarse, &candles[i], error))
          return FALSE;
    }
  return TRUE;
}

/* Delivers the stored @interval candles with from <= open_time <= to, a
 * page at a time: each page is read to its end before it goes on, since
 * folding it writes. */
static gboolean
deliver_stored (BourseCandlesWriter  *self,
                BourseInterval        interval,
                BourseInterval        only_to,
                gint64                from,
                gint64                to,
                GError              **error)
{
  g_autoptr(GArray) page = g_array_new (FALSE, FALSE, sizeof (BourseCandle));

  if (self->select == NULL
      && (self->select = bourse_store_prepare (self->store,
                                               "SELECT open_time, open, high, low, close, volume, trades, closed "
                                               "FROM candles WHERE instrument_id = ? AND interval = ? "
                                               "AND open_time >= ? AND open_time <= ? ORDER BY open_time LIMIT ?",
                                               error)) == NULL)
    return FALSE;

  while (from <= to)
    {
      sqlite3_stmt *stmt = self->select;
      int rc;

      g_array_set_size (page, 0);
      sqlite3_bind_int64 (stmt, 1, self->instrument_id);
      sqlite3_bind_text (stmt, 2, bourse_interval_to_string (interval), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, from);
      sqlite3_bind_int64 (stmt, 4, to);
      sqlite3_bind_int64 (stmt, 5, BATCH_CANDLES);
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
          g_array_append_val (page, c);
        }
      if (rc != SQLITE_DONE)
        bourse_store_set_error (self->store, error);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return FALSE;

      if (page->len > 0
          && !deliver (self, interval, only_to, (const BourseCandle *) (gpointer) page->data, page->len, error))
        return FALSE;
      if (page->len < BATCH_CANDLES)
        break;
      from = g_array_index (page, BourseCandle, page->len - 1).open_time + 1;
    }
  return TRUE;
}

/* Writes the pending candles of @interval, and hands what is stored up
 * to them (up to the end of its range when @final) to the intervals
 * folded from it. */
static gboolean
flush (BourseCandlesWriter  *self,
       BourseInterval        interval,
       gboolean              final,
       GError              **error)
{
  Node *node = &self->nodes[interval];
  const BourseCandle *rows = (const BourseCandle *) (gpointer) node->pending->data;
  gsize n_rows = node->pending->len;
  gint64 to = final ? node->last : n_rows > 0 ? rows[n_rows - 1].open_time : node->delivered;
  gsize changed = 0;

  if (n_rows > 0
      && !write_rows (self->store, self->instrument_id, interval, rows, n_rows, &node->insert, &changed, error))
    return FALSE;
  if (interval == self->source)
    self->changed += changed;

  if (node->has_children && to > node->delivered)
    {
      gint64 stored = 0;

      /* Usually the store holds exactly the rows just written over their
       * range: then they stand in for reading them back. Otherwise, other
       * stored rows between them are folded in too. */
      if (node->fresh)
        stored = n_rows;
      else if (!count_stored (self, interval, node->delivered + 1, to, &stored, error))
        return FALSE;
      if (stored == (gint64) n_rows)
        {
          if (!deliver (self, interval, interval, rows, n_rows, error))
            return FALSE;
        }
      else if (!deliver_stored (self, interval, interval, node->delivered + 1, to, error))
        return FALSE;
    }

  node->delivered = MAX (node->delivered, to);
  g_array_set_size (node->pending, 0);
  return TRUE;
}

/* Sets the ranges once the source's first open time is known, and folds
 * the stored candles in front of it into the first candle of each
 * interval. */
static gboolean
begin (BourseCandlesWriter  *self,
       gint64                start,
       GError              **error)
{
  gboolean later = FALSE;

  self->started = TRUE;
  self->start = self->end = start;

  for (guint i = self->source; i < BOURSE_N_INTERVALS; i++)
    {
      Node *node = &self->nodes[i];

      if (!node->active)
        continue;
      node->first = i == self->source ? start : bourse_interval_align (i, start);
      node->delivered = node->first - 1;
      /* Then the rows written are all there is (an import into an empty
       * instrument, or of newer candles): no range needs counting. */
      if (node->has_children && !any_stored_from (self, i, node->first, &later, error))
        return FALSE;
      node->fresh = !later;
    }

  for (guint i = self->source + 1; i < BOURSE_N_INTERVALS; i++)
    {
      Node *node = &self->nodes[i];

      if (node->active
          && !deliver_stored (self, node->parent, i, node->first, self->nodes[node->parent].first - 1, error))
        return FALSE;
    }
  return TRUE;
}

/* Ends @interval's range: the stored candles of its parent after the
 * parent's range, the last candle, and then the intervals folded from it. */
static gboolean
finish_interval (BourseCandlesWriter  *self,
                 BourseInterval        interval,
                 GError              **error)
{
  Node *node = &self->nodes[interval];

  if (interval != self->source)
    {
      if (!deliver_stored (self, node->parent, interval, self->nodes[node->parent].last + 1, node->last, error))
        return FALSE;
      if (node->has_bucket && !push (self, interval, &node->bucket, error))
        return FALSE;
      node->has_bucket = FALSE;
    }
  if (!flush (self, interval, TRUE, error))
    return FALSE;

  for (guint coarse = interval + 1; coarse < BOURSE_N_INTERVALS; coarse++)
    if (self->nodes[coarse].active && self->nodes[coarse].parent == interval
        && !finish_interval (self, coarse, error))
      return FALSE;
  return TRUE;
}

gboolean
bourse_candles_writer_add (BourseCandlesWriter  *self,
                           const BourseCandle   *candles,
                           gsize                 n_candles,
                           GError              **error)
{
  Node *node;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (candles != NULL || n_candles == 0, FALSE);

  if (n_candles == 0)
    return TRUE;
  g_return_val_if_fail (!self->started || candles[0].open_time > self->end, FALSE);

  if (!self->started && !begin (self, candles[0].open_time, error))
    return FALSE;

  node = &self->nodes[self->source];
  while (n_candles > 0)
    {
      gsize n = MIN (n_candles, BATCH_CANDLES - node->pending->len);

      g_array_append_vals (node->pending, candles, n);
      self->end = candles[n - 1].open_time;
      candles += n;
      n_candles -= n;
      if (node->pending->len == BATCH_CANDLES && !flush (self, self->source, FALSE, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
bourse_candles_writer_finish (BourseCandlesWriter  *self,
                              gsize                *n_changed,
                              GError              **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->started)
    {
      for (guint i = self->source; i < BOURSE_N_INTERVALS; i++)
        if (self->nodes[i].active)
          self->nodes[i].last = i == self->source ? self->end : bourse_interval_next (i, self->end) - 1;
      if (!finish_interval (self, self->source, error))
        return FALSE;
      self->started = FALSE;
    }
  if (n_changed != NULL)
    *n_changed = self->changed;
  return TRUE;
}

/* Derives from the stored @source candles over [start, end]: the writer
 * with nothing to write reads them all back. */
static gboolean
aggregate_rows (BourseStore     *store,
                gint64           instrument_id,
                BourseInterval   source,
                gint64           start,
                gint64           end,
                GError         **error)
{
  g_autoptr(BourseCandlesWriter) writer = bourse_candles_writer_new (store, instrument_id, source);

  if (!begin (writer, start, error))
    return FALSE;
  writer->end = end;
  return bourse_candles_writer_finish (writer, NULL, error);
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
  if (!aggregate_rows (store, instrument_id, source, start, end, error)
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

  return aggregate_rows (store, instrument_id, source, start, end, error);
}

/* }}} */
