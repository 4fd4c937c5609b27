/* bourse-log.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  BOURSE_LOG_FORMAT_AUTO,
  BOURSE_LOG_FORMAT_TEXT,
  BOURSE_LOG_FORMAT_JSON,
  BOURSE_LOG_FORMAT_JOURNAL,
} BourseLogFormat;

/* Installs the structured log writer. Messages go to stderr (stdout is for
 * program output such as boursed's "Listening on …" line). */
void         bourse_log_init                (BourseLogFormat  format,
                                             GLogLevelFlags   max_level);
gboolean     bourse_log_parse_format        (const char      *text,
                                             BourseLogFormat *format);
gboolean     bourse_log_parse_level         (const char      *text,
                                             GLogLevelFlags  *level);
/* The request id of the request being handled on this thread, added to
 * every message logged meanwhile as REQUEST_ID. */
/* Whether a message at this level would be written: callers skip building
 * expensive messages (the access log) that would be dropped. */
gboolean     bourse_log_is_enabled          (GLogLevelFlags   level);
void         bourse_log_set_request_id      (const char      *request_id);
const char  *bourse_log_get_request_id      (void);
GLogWriterOutput bourse_log_writer          (GLogLevelFlags   log_level,
                                             const GLogField *fields,
                                             gsize            n_fields,
                                             gpointer         user_data);

G_END_DECLS
