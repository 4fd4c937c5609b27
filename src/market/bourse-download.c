/* bourse-download.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

/* PRIu64 in translatable strings: xgettext understands it, not G_GUINT64_FORMAT. */
#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bourse-binance-rest.h"
#include "bourse-download.h"

#define MS_PER_DAY G_GINT64_CONSTANT (86400000)

struct _BourseDownload
{
  BourseConfig   *config;
  char           *db_path;
  gint64          instrument_id;
  char           *symbol;
  BourseInterval  interval;
  gint64          start;    /* aligned */
  gint64          end;      /* exclusive */
};

/* A run of open times to ask Binance for: [first, last], @span candles. */
typedef struct
{
  gint64  first;
  gint64  last;
  guint64 span;
  guint64 missing;
  guint64 present_before;   /* stored candles between the previous range and this one */
} Range;

G_DEFINE_QUARK (bourse-download-error-quark, bourse_download_error)

const char *
bourse_download_error_field (const GError *error)
{
  if (error == NULL || error->domain != BOURSE_DOWNLOAD_ERROR)
    return NULL;

  switch ((BourseDownloadError)error->code)
    {
    case BOURSE_DOWNLOAD_ERROR_INVALID_START:  return "start";
    case BOURSE_DOWNLOAD_ERROR_INVALID_END:
    case BOURSE_DOWNLOAD_ERROR_INVALID_RANGE:  return "end";
    case BOURSE_DOWNLOAD_ERROR_INVALID_SYMBOL: return "symbol";
    default:                                   return NULL;
    }
}

/* The shortest a candle of @interval can be, so that a count from it is
 * an upper bound. */
static gint64
shortest_length (BourseInterval interval)
{
  switch (interval)
    {
    case BOURSE_INTERVAL_1W:  return 7 * MS_PER_DAY;
    case BOURSE_INTERVAL_1MO: return 28 * MS_PER_DAY;
    default:                  return bourse_interval_next (interval, 0);
    }
}

gboolean
bourse_download_validate (const BourseInstrument  *instrument,
                          BourseInterval           interval,
                          gint64                   start,
                          gint64                   end,
                          GError                 **error)
{
  g_return_val_if_fail (instrument != NULL, FALSE);

  if (g_strcmp0 (instrument->source, "binance") != 0)
    {
      g_set_error (error, BOURSE_DOWNLOAD_ERROR, BOURSE_DOWNLOAD_ERROR_INVALID_SYMBOL,
                   _("%s is fed from “%s”; only instruments whose source is “binance” are downloaded"),
                   instrument->symbol, instrument->source);
      return FALSE;
    }
  if (start < 0 || start > BOURSE_TIME_MAX_MS)
    {
      g_set_error_literal (error, BOURSE_DOWNLOAD_ERROR, BOURSE_DOWNLOAD_ERROR_INVALID_START,
                           _("must be a time from 1970 on"));
      return FALSE;
    }
  if (start > bourse_time_now_ms ())
    {
      g_set_error_literal (error, BOURSE_DOWNLOAD_ERROR, BOURSE_DOWNLOAD_ERROR_INVALID_START,
                           _("must not be in the future"));
      return FALSE;
    }
  if (end <= start)
    {
      g_set_error_literal (error, BOURSE_DOWNLOAD_ERROR, BOURSE_DOWNLOAD_ERROR_INVALID_START,
                           _("must be before “end”"));
      return FALSE;
    }
  if (end > BOURSE_TIME_MAX_MS)
    {
      g_set_error_literal (error, BOURSE_DOWNLOAD_ERROR, BOURSE_DOWNLOAD_ERROR_INVALID_END,
                           _("is too far in the future"));
      return FALSE;
    }
  if ((end - bourse_interval_align (interval, start)) / shortest_length (interval) > BOURSE_DOWNLOAD_MAX_CANDLES)
    {
      g_set_error (error, BOURSE_DOWNLOAD_ERROR, BOURSE_DOWNLOAD_ERROR_INVALID_RANGE,
                   _("is too far from “start”: one download covers at most %" PRId64 " candles "
                     "(five years of 1m); split the range"),
                   (gint64)BOURSE_DOWNLOAD_MAX_CANDLES);
      return FALSE;
    }
  return TRUE;
}

BourseDownload *
bourse_download_new (BourseConfig           *config,
                     const char             *db_path,
                     const BourseInstrument *instrument,
                     BourseInterval          interval,
                     gint64                  start,
                     gint64                  end)
{
  BourseDownload *self;

  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);
  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (instrument != NULL, NULL);
  g_return_val_if_fail ((guint)interval < BOURSE_N_INTERVALS, NULL);

  self = g_new0 (BourseDownload, 1);
  /* A copy: the worker thread reads it while the engine's may change. */
  self->config = bourse_config_copy (config);
  self->db_path = g_strdup (db_path);
  self->instrument_id = instrument->id;
  self->symbol = g_strdup (instrument->symbol);
  self->interval = interval;
  self->start = bourse_interval_align (interval, start);
  self->end = end;
  return self;
}

void
bourse_download_free (BourseDownload *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->config);
  g_free (self->db_path);
  g_free (self->symbol);
  g_free (self);
}

JsonNode *
bourse_download_to_params (BourseDownload *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "symbol");
  json_builder_add_string_value (builder, self->symbol);
  json_builder_set_member_name (builder, "interval");
  json_builder_add_string_value (builder, bourse_interval_to_string (self->interval));
  json_builder_set_member_name (builder, "start");
  json_builder_add_int_value (builder, self->start);
  json_builder_set_member_name (builder, "end");
  json_builder_add_int_value (builder, self->end);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Missing ranges {{{ */

static guint64
pages (guint64 n)
{
  return (n + BOURSE_BINANCE_KLINES_LIMIT - 1) / BOURSE_BINANCE_KLINES_LIMIT;
}

/* The gaps among the stored closed candles of [start, end) up to now; a
 * forming (not closed) candle counts as missing, so it is fetched again. */
static GArray *
find_gaps (BourseDownload       *self,
           BourseStore          *store,
           BourseDownloadStats  *stats,
           GCancellable         *cancellable,
           GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) gaps = g_array_new (FALSE, TRUE, sizeof (Range));
  gint64 now = bourse_time_now_ms ();
  gint64 stored = G_MAXINT64;
  guint64 present = 0;
  Range *gap = NULL;
  int rc = SQLITE_ROW;

  stmt = bourse_store_prepare (store,
                               "SELECT open_time FROM candles WHERE instrument_id = ? AND interval = ? "
                               "AND open_time >= ? AND open_time < ? AND closed = 1 ORDER BY open_time", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, self->instrument_id);
  sqlite3_bind_text (stmt, 2, bourse_interval_to_string (self->interval), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, self->start);
  sqlite3_bind_int64 (stmt, 4, self->end);

#define NEXT_STORED()                                                        \
  G_STMT_START {                                                             \
    rc = sqlite3_step (stmt);                                                \
    stored = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : G_MAXINT64; \
  } G_STMT_END

  NEXT_STORED ();
  /* Walks the open times the range should hold, alongside the stored ones. */
  for (gint64 t = self->start; t < self->end && t <= now; t = bourse_interval_next (self->interval, t))
    {
      while (stored < t)
        NEXT_STORED ();
      /* Five years of minutes take a moment: stay responsive to a cancel. */
      if ((++stats->expected & 0xffff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (stored == t)
        {
          present++;
          gap = NULL;
          continue;
        }
      if (gap == NULL)
        {
          Range fresh = { .first = t, .present_before = present };

          g_array_append_val (gaps, fresh);
          gap = &g_array_index (gaps, Range, gaps->len - 1);
          present = 0;
        }
      gap->last = t;
      gap->span++;
      gap->missing++;
      stats->missing++;
    }
#undef NEXT_STORED

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&gaps);
}

/* Joins neighbouring gaps when asking for the stored candles between them
 * costs no extra request: fewer round trips, and the stored rows come back
 * unchanged, so nothing is written twice. */
static GArray *
merge_gaps (GArray *gaps)
{
  GArray *ranges = g_array_new (FALSE, TRUE, sizeof (Range));

  for (guint i = 0; i < gaps->len; i++)
    {
      Range *gap = &g_array_index (gaps, Range, i);
      Range *last = ranges->len > 0 ? &g_array_index (ranges, Range, ranges->len - 1) : NULL;

      if (last != NULL
          && pages (last->span + gap->present_before + gap->span) <= pages (last->span) + pages (gap->span))
        {
          last->last = gap->last;
          last->span += gap->present_before + gap->span;
          last->missing += gap->missing;
        }
      else
        g_array_append_val (ranges, *gap);
    }
  return ranges;
}

/* }}} */

/* Running {{{ */

typedef struct
{
  BourseDownload             *download;
  BourseStore                *store;
  BourseBinanceRest          *rest;
  BourseDownloadStats        *stats;
  BourseDownloadProgressFunc  progress;
  gpointer                    progress_data;
  guint64                     done_before;   /* candles of the ranges already fetched */
  guint64                     fetched_here;  /* … and of the current one */
  const Range                *range;
  gboolean                    finished;
  gboolean                    ok;
  GError                     *error;
} Run;

static void
report (Run *run)
{
  guint64 position = run->done_before + MIN (run->fetched_here, run->range ? run->range->span : 0);

  run->stats->n_requests = bourse_binance_rest_get_n_requests (run->rest);
  if (run->progress != NULL)
    run->progress (run->stats,
                   run->stats->to_fetch > 0 ? (double)position / (double)run->stats->to_fetch : 1.0,
                   run->progress_data);
}

static gboolean
page_cb (const BourseCandle  *candles,
         gsize                n_candles,
         gpointer             user_data,
         GError             **error)
{
  Run *run = user_data;
  BourseDownload *self = run->download;
  gsize changed = 0;

  /* Page by page, each in its own transaction: a cancel or a crash keeps
   * every page written so far, and a re-download skips them. */
  if (!bourse_candles_upsert (run->store, self->instrument_id, self->interval, candles, n_candles, &changed, error))
    return FALSE;
  if (changed > 0
      && !bourse_candles_aggregate (run->store, self->instrument_id, self->interval,
                                    candles[0].open_time, candles[n_candles - 1].open_time, error))
    return FALSE;

  run->stats->fetched += n_candles;
  run->stats->written += changed;
  run->fetched_here += n_candles;
  report (run);
  return TRUE;
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Run *run = user_data;

  run->ok = bourse_binance_rest_fetch_klines_finish (BOURSE_BINANCE_REST (object), result, NULL, &run->error);
  run->finished = TRUE;
}

gboolean
bourse_download_run (BourseDownload              *self,
                     BourseDownloadProgressFunc   progress,
                     gpointer                     user_data,
                     GCancellable                *cancellable,
                     BourseDownloadStats         *stats,
                     GError                     **error)
{
  g_autoptr(BourseStore) store = NULL;
  g_autoptr(GArray) gaps = NULL;
  g_autoptr(GArray) ranges = NULL;
  g_autoptr(GMainContext) context = NULL;
  BourseDownloadStats local_stats = { 0 };
  Run run = { 0 };

  g_return_val_if_fail (self != NULL, FALSE);

  if (stats == NULL)
    stats = &local_stats;
  memset (stats, 0, sizeof *stats);

  /* Its own connection: this runs in a worker thread, and SQLite
   * connections are not shared between threads here. */
  if ((store = bourse_store_open (self->db_path, error)) == NULL
      || (gaps = find_gaps (self, store, stats, cancellable, error)) == NULL)
    return FALSE;
  ranges = merge_gaps (gaps);
  g_clear_pointer (&gaps, g_array_unref);
  stats->n_ranges = ranges->len;
  for (guint i = 0; i < ranges->len; i++)
    stats->to_fetch += g_array_index (ranges, Range, i).span;
  g_debug ("Download of %s %s: %" G_GUINT64_FORMAT " expected, %" G_GUINT64_FORMAT " missing in %u ranges",
           self->symbol, bourse_interval_to_string (self->interval), stats->expected, stats->missing, ranges->len);

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);

  run.download = self;
  run.store = store;
  run.rest = bourse_binance_rest_new (self->config);
  run.stats = stats;
  run.progress = progress;
  run.progress_data = user_data;
  run.ok = TRUE;
  report (&run);

  for (guint i = 0; i < ranges->len && run.ok; i++)
    {
      const Range *range = &g_array_index (ranges, Range, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, &run.error))
        {
          run.ok = FALSE;
          break;
        }
      run.range = range;
      run.fetched_here = 0;
      run.finished = FALSE;
      bourse_binance_rest_fetch_klines_async (run.rest, self->symbol, self->interval, range->first, range->last,
                                              page_cb, &run, cancellable, fetched_cb, &run);
      while (!run.finished)
        g_main_context_iteration (context, TRUE);
      run.done_before += range->span;
    }
  if (run.ok)
    {
      run.range = NULL;
      report (&run);
    }

  stats->n_requests = bourse_binance_rest_get_n_requests (run.rest);
  g_clear_object (&run.rest);
  /* Let libsoup finish with its connections on this context. */
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);

  if (!run.ok)
    {
      g_propagate_error (error, run.error);
      return FALSE;
    }
  return TRUE;
}

/* }}} */

/* As a job {{{ */

static void
job_progress_cb (const BourseDownloadStats *stats,
                 double                     fraction,
                 gpointer                   user_data)
{
  BourseJob *job = user_data;
  g_autofree char *message = NULL;

  if (stats->to_fetch == 0)
    message = g_strdup (_("Nothing to download"));
  else
    message = g_strdup_printf (_("%" PRIu64 " of %" PRIu64 " candles fetched"),
                               (guint64)MIN (stats->fetched, stats->to_fetch), (guint64)stats->to_fetch);
  bourse_job_set_progress (job, fraction, message);
}

static JsonNode *
stats_to_json (const BourseDownloadStats *stats)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "expected");
  json_builder_add_int_value (builder, stats->expected);
  json_builder_set_member_name (builder, "missing");
  json_builder_add_int_value (builder, stats->missing);
  json_builder_set_member_name (builder, "fetched");
  json_builder_add_int_value (builder, stats->fetched);
  json_builder_set_member_name (builder, "written");
  json_builder_add_int_value (builder, stats->written);
  json_builder_set_member_name (builder, "requests");
  json_builder_add_int_value (builder, stats->n_requests);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

gboolean
bourse_download_job_func (BourseJob     *job,
                          gpointer       user_data,
                          GCancellable  *cancellable,
                          GError       **error)
{
  BourseDownload *self = user_data;
  BourseDownloadStats stats = { 0 };
  g_autoptr(JsonNode) result = NULL;
  g_autofree char *message = NULL;
  gboolean ok;

  ok = bourse_download_run (self, job_progress_cb, job, cancellable, &stats, error);

  /* Also after a failure or a cancel: the audit entry says what got in. */
  result = stats_to_json (&stats);
  bourse_job_set_result (job, result);
  if (stats.missing == 0)
    message = g_strdup_printf (_("Nothing to download: all %" PRIu64 " candles are stored"), (guint64)stats.expected);
  else
    message = g_strdup_printf (_("Candles fetched: %" PRIu64 ", new or changed: %" PRIu64 ", requests: %u"),
                               (guint64)stats.fetched, (guint64)stats.written, stats.n_requests);
  bourse_job_set_result_message (job, message);
  return ok;
}

/* }}} */
