/* bourse-download.h — fill the gaps of stored candles from Binance
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "core/bourse-config.h"
#include "core/bourse-jobs.h"

#include "bourse-candles.h"
#include "bourse-instruments.h"

G_BEGIN_DECLS

#define BOURSE_DOWNLOAD_ERROR (bourse_download_error_quark ())

/* The INVALID_* codes name a request field; see bourse_download_error_field (). */
typedef enum
{
  BOURSE_DOWNLOAD_ERROR_INVALID_START = 1,
  BOURSE_DOWNLOAD_ERROR_INVALID_END,
  BOURSE_DOWNLOAD_ERROR_INVALID_RANGE,     /* too many candles: field "end" */
  BOURSE_DOWNLOAD_ERROR_INVALID_SYMBOL,    /* an instrument not fed from Binance */
} BourseDownloadError;

/* The most candles one download may cover: five years of 1m. */
#define BOURSE_DOWNLOAD_MAX_CANDLES G_GINT64_CONSTANT (2629800)

/* The kind of the job, and the action of its audit entry. */
#define BOURSE_DOWNLOAD_JOB_KIND "market.download"

typedef struct
{
  guint64 expected;     /* candles the range holds (up to now) */
  guint64 missing;      /* of those, not stored (or not closed) before */
  guint64 to_fetch;     /* candles the requests cover (gaps, merged) */
  guint64 fetched;      /* klines Binance sent */
  guint64 written;      /* rows inserted or changed */
  guint   n_ranges;
  guint   n_requests;
} BourseDownloadStats;

typedef struct _BourseDownload BourseDownload;

typedef void (*BourseDownloadProgressFunc) (const BourseDownloadStats *stats,
                                            double                     fraction,
                                            gpointer                   user_data);

GQuark          bourse_download_error_quark   (void);
const char     *bourse_download_error_field   (const GError               *error);

/* Checks a request: an instrument fed from Binance, start before end, start
 * not in the future, at most BOURSE_DOWNLOAD_MAX_CANDLES. */
gboolean        bourse_download_validate      (const BourseInstrument     *instrument,
                                               BourseInterval              interval,
                                               gint64                      start,
                                               gint64                      end,
                                               GError                    **error);

/* The candles of @instrument with open times in [start, end) (start is
 * aligned down to the interval), into the database at @db_path. */
BourseDownload *bourse_download_new           (BourseConfig               *config,
                                               const char                 *db_path,
                                               const BourseInstrument     *instrument,
                                               BourseInterval              interval,
                                               gint64                      start,
                                               gint64                      end);
void            bourse_download_free          (BourseDownload             *self);
/* {"symbol","interval","start","end"}: the job's params. */
JsonNode       *bourse_download_to_params     (BourseDownload             *self);

/* Blocking: opens its own connection to the database and its own
 * GMainContext, finds what is missing, fetches only that, writes it page by
 * page (with the derived intervals) and reports progress after each page.
 * On cancel it stops at once; what was written stays. */
gboolean        bourse_download_run           (BourseDownload             *self,
                                               BourseDownloadProgressFunc  progress,
                                               gpointer                    user_data,
                                               GCancellable               *cancellable,
                                               BourseDownloadStats        *stats,
                                               GError                    **error);
/* A BourseJobFunc whose user_data is a BourseDownload: runs it, reports
 * progress, and leaves the stats as the job's result
 * {"expected","missing","fetched","written","requests"}. */
gboolean        bourse_download_job_func      (BourseJob                  *job,
                                               gpointer                    user_data,
                                               GCancellable               *cancellable,
                                               GError                    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseDownload, bourse_download_free)

G_END_DECLS
