/* bourse-download-dialog.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_DOWNLOAD_DIALOG (bourse_download_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BourseDownloadDialog, bourse_download_dialog, BOURSE, DOWNLOAD_DIALOG, AdwWindow)

/* Starts a download job (POST /api/v1/market/download) for one of @symbols
 * (those fed from Binance: the server downloads no other) and follows it on the jobs topic, with a progress bar and a way to
 * cancel it. Emits "downloaded" (symbol, interval) when the job ends
 * having stored something (succeeded or cancelled). */
GtkWidget  *bourse_download_dialog_new        (GtkWindow            *parent,
                                               BourseClient         *client,
                                               const char * const   *symbols,
                                               const char           *symbol,
                                               const char           *interval);
/* The job's id once started, else NULL. */
const char *bourse_download_dialog_get_job_id (BourseDownloadDialog *self);
/* Its status as the server last said: "queued", "running", "succeeded",
 * "failed" or "cancelled"; NULL before. */
const char *bourse_download_dialog_get_status (BourseDownloadDialog *self);

G_END_DECLS
