/* bourse-log.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

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
void         bourse_log_set_max_level       (GLogLevelFlags   max_level);
gboolean     bourse_log_parse_format        (const char      *text,
                                             BourseLogFormat *format);
gboolean     bourse_log_parse_level         (const char      *text,
                                             GLogLevelFlags  *level);
/* Whether a message at this level would be written: callers skip building
 * expensive messages (the access log) that would be dropped. */
gboolean     bourse_log_is_enabled          (GLogLevelFlags   level);
/* The request id of the request being handled on this thread, added to
 * every message logged meanwhile as REQUEST_ID. */
void         bourse_log_set_request_id      (const char      *request_id);
const char  *bourse_log_get_request_id      (void);
GLogWriterOutput bourse_log_writer          (GLogLevelFlags   log_level,
                                             const GLogField *fields,
                                             gsize            n_fields,
                                             gpointer         user_data);

/* The ring (docs/OPERATIONS.md, "Logs"): every message the writer writes
 * is also kept in memory, the newest log.ring_size of them, for the logs
 * API and topic. Entries are immutable and shared; secret fields are not
 * kept, and bearer tokens and keys in a message are masked. */
typedef struct
{
  guint64          id;           /* increasing from 1, never reused */
  gint64           ts_ms;
  GLogLevelFlags   level;        /* one of G_LOG_LEVEL_* */
  char            *domain;       /* or NULL */
  char            *message;
  char            *request_id;   /* or NULL */
  char           **fields;       /* KEY, value, … NULL-terminated: the structured fields kept */
} BourseLogEntry;

typedef struct
{
  GLogLevelFlags   min_level;    /* the lowest level shown: G_LOG_LEVEL_DEBUG shows all */
  const char      *domain;       /* or NULL for every domain */
  gint64           since_ms;     /* entries at or after it; 0 for all */
  guint64          before_id;    /* entries older than it (a cursor); 0 for the newest */
  guint            limit;
} BourseLogQuery;

/* Called on the watch's context with each new entry, in order. Entries
 * that fell out of the ring before the context ran are skipped: a burst
 * never blocks the thread that logs, nor grows memory. */
typedef void (*BourseLogWatchFunc) (const BourseLogEntry *entry,
                                    gpointer              user_data);

GType           bourse_log_entry_get_type   (void) G_GNUC_CONST;
BourseLogEntry *bourse_log_entry_ref        (BourseLogEntry  *entry);
void            bourse_log_entry_unref      (BourseLogEntry  *entry);
/* {"id","ts","level","domain","message","request_id","fields"?} */
JsonNode       *bourse_log_entry_to_json    (const BourseLogEntry *entry);
const char     *bourse_log_level_to_string  (GLogLevelFlags   level);
/* Also "critical", which bourse_log_parse_level () refuses as the level
 * written: the lowest level a reader asks to see. */
gboolean        bourse_log_parse_min_level  (const char      *text,
                                             GLogLevelFlags  *level);
/* Keeps the newest @size entries (at least 1); 5000 until called. */
void            bourse_log_set_ring_size    (guint            size);
guint           bourse_log_get_ring_size    (void);
/* Matching entries, newest first, at most query->limit (BourseLogEntry *,
 * owned); *more says whether older ones match too. */
GPtrArray      *bourse_log_ring_query       (const BourseLogQuery *query,
                                             gboolean        *more);
/* Drops every entry (the ids go on). */
void            bourse_log_ring_clear       (void);
/* From any thread; @context must be running for entries to arrive. */
guint           bourse_log_watch            (GMainContext    *context,
                                             BourseLogWatchFunc func,
                                             gpointer         user_data,
                                             GDestroyNotify   notify);
void            bourse_log_unwatch          (guint            id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseLogEntry, bourse_log_entry_unref)

G_END_DECLS
