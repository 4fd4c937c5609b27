/* bourse-record-table.h — what the backtests' and the optimisations' tables do alike
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to src/backtest: both records are a run with a job, an author, a
 * note and a delete; the life around those is the same code.
 */

#pragma once

#include "bourse-backtests.h"

G_BEGIN_DECLS

/* One table of runs. */
typedef struct
{
  const char *table;           /* "backtests" */
  const char *kind;            /* "backtest": audit targets "backtest:<id>", actions "backtest.note" */
  const char *topic;           /* where its changes are published */
  const char *not_owner;       /* N_(): the refusal of someone else's record */
} BourseRecordTable;

/* What the shared code reads of a record. */
typedef struct
{
  gint64           id;
  gint64           job_id;
  const char      *strategy;
  const char      *symbol;
  const char      *interval;
  BourseJobStatus  status;
  gint64           created_by;
} BourseRecordHead;

/* Who asked for a job, kept for its audit entry at the end. */
typedef struct
{
  char *actor;
  char *client_address;
  char *request_id;
  char *user_agent;
} BourseRecordAuthor;

/* Marks the runs a crash or a stop left queued or running as failed
 * ("interrupted"), as BourseJobs does their jobs. */
gboolean  _bourse_record_table_mark_interrupted (const BourseRecordTable     *table,
                                                 BourseStore                 *store,
                                                 GError                     **error);
/* FORBIDDEN naming "id" unless @caller made the record or may change any. */
gboolean  _bourse_record_table_check_owner      (const BourseRecordTable     *table,
                                                 const BourseRecordHead      *head,
                                                 const BourseBacktestsCaller *caller,
                                                 GError                     **error);
/* Sets the note (INVALID naming "note" beyond BOURSE_BACKTEST_MAX_NOTE
 * characters) and audits "<kind>.note", in one transaction. */
gboolean  _bourse_record_table_set_note         (const BourseRecordTable     *table,
                                                 BourseStore                 *store,
                                                 BourseAuth                  *auth,
                                                 const BourseRecordHead      *head,
                                                 const char                  *note,
                                                 const BourseBacktestsCaller *caller,
                                                 GError                     **error);
/* Cancels the record's job if it still runs, deletes the record and audits
 * "<kind>.delete" in one transaction, then publishes {"id","deleted"}. */
gboolean  _bourse_record_table_delete           (const BourseRecordTable     *table,
                                                 BourseStore                 *store,
                                                 BourseAuth                  *auth,
                                                 BourseEventBus              *bus,
                                                 BourseJobs                  *jobs,
                                                 const BourseRecordHead      *head,
                                                 const BourseBacktestsCaller *caller,
                                                 GError                     **error);

void      _bourse_record_author_init            (BourseRecordAuthor          *author,
                                                 const BourseBacktestsCaller *caller);
void      _bourse_record_author_clear           (BourseRecordAuthor          *author);
/* The author's request context, borrowing its strings. */
BourseAuthContext _bourse_record_author_context (const BourseRecordAuthor    *author);

G_END_DECLS
