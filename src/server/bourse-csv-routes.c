/* bourse-csv-routes.c — CSV import and export of candles (docs/MARKET-FILES.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "auth/bourse-audit.h"
#include "market/bourse-csv.h"
#include "market/bourse-instruments.h"

#include "bourse-request-private.h"
#include "bourse-server-private.h"

/* One import at a time: each holds SQLite's write lock for its whole
 * transaction anyway, and a second one waits here rather than on the
 * database's busy time-out. */
G_LOCK_DEFINE_STATIC (import);

static BourseStore *
store_of (BourseRequest *request)
{
  return bourse_auth_get_store (bourse_request_get_auth (request));
}

/* Query parameters {{{ */

/* ?symbol=: an instrument that exists, or NULL once a 422 is answered. */
static BourseInstrument *
instrument_query (BourseRequest *request)
{
  const char *symbol = NULL;
  g_autoptr(GError) error = NULL;
  BourseInstrument *instrument;

  if (!bourse_request_get_symbol_query (request, "symbol", TRUE, &symbol))
    return NULL;
  if ((instrument = bourse_instruments_find (store_of (request), symbol, &error)) == NULL)
    {
      if (g_error_matches (error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_NOT_FOUND))
        bourse_request_reply_query_error (request, "symbol", error->message);
      else
        bourse_request_reply_error (request, error, 0);
    }
  return instrument;
}

/* ?format=: auto only where a file is read. */
static gboolean
format_query (BourseRequest   *request,
              gboolean         allow_auto,
              BourseCsvFormat  fallback,
              BourseCsvFormat *format)
{
  static const char * const with_auto[] = { "auto", "binance", "generic", NULL };
  const char *text = NULL;

  *format = fallback;
  if (!bourse_request_get_enum_query (request, "format", allow_auto ? with_auto : with_auto + 1, &text))
    return FALSE;
  /* The list is the parser's own names: it cannot fail. */
  if (text != NULL)
    bourse_csv_format_parse (text, format);
  return TRUE;
}

/* }}} */
/* Import {{{ */

/* What the worker thread needs; it touches nothing of the main context. */
typedef struct
{
  char            *db_path;
  char            *symbol;
  BourseInterval   interval;
  BourseCsvFormat  format;
  GBytes          *body;
  char            *actor;
  char            *client_address;
  char            *request_id;
  BourseCsvImport  result;

  /* Main context only. request is NULL once the message is finished (the
   * client went away, or the server shut down). */
  SoupServerMessage *message;
  BourseRequest     *request;
  gulong             finished_handler;
  BourseMarket      *market;           /* held while the import writes */
} ImportJob;

/* Runs where the task data is freed, which may be the worker thread: only
 * the thread-safe half. The message is let go of by import_done_cb (); if
 * that never ran (the main loop stopped first), it is left alone rather
 * than touched from here. */
static void
import_job_free (gpointer data)
{
  ImportJob *job = data;

  g_free (job->db_path);
  g_free (job->symbol);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_free (job->actor);
  g_free (job->client_address);
  g_free (job->request_id);
  g_free (job);
}

static void
import_message_finished_cb (ImportJob *job)
{
  job->request = NULL;
}

/* The main-context half, let go of in the completion callback. */
static void
import_job_release_message (ImportJob *job)
{
  g_clear_signal_handler (&job->finished_handler, job->message);
  g_clear_object (&job->message);
  if (job->market != NULL)
    bourse_market_release (job->market);
  g_clear_object (&job->market);
}

static gboolean
import_audit_cb (BourseStore  *store,
                 const char   *action,
                 const char   *target,
                 JsonNode     *details,
                 gpointer      user_data,
                 GError      **error)
{
  ImportJob *job = user_data;
  g_autoptr(BourseAuditEntry) entry = g_new0 (BourseAuditEntry, 1);

  entry->actor = g_strdup (job->actor);
  entry->action = g_strdup (action);
  entry->target = g_strdup (target);
  entry->details = json_node_ref (details);
  entry->client_address = g_strdup (job->client_address);
  entry->request_id = g_strdup (job->request_id);
  return bourse_audit_append (store, entry, error);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  G_LOCK (import);
  {
    /* A connection of its own to the same file: SQLite in WAL mode lets the
     * engine keep reading on its connection while this one writes. */
    g_autoptr(BourseStore) store = bourse_store_open (job->db_path, &error);

    ok = store != NULL
      && bourse_csv_import (store, job->symbol, job->interval, job->format,
                            g_bytes_get_data (job->body, NULL), g_bytes_get_size (job->body),
                            import_audit_cb, job, &job->result, &error);
  }
  G_UNLOCK (import);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
import_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ImportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  BourseRequest *request = job->request;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (request != NULL)
        /* NOT_FOUND: deleted while the file was on its way. */
        bourse_request_reply_reference_error (request, error, "symbol");
      else
        g_info ("Import into %s ended after its client left: %s", job->symbol, error->message);
    }
  else
    {
      g_autoptr(BourseInstrument) instrument = bourse_instruments_find (bourse_market_get_store (job->market),
                                                                        job->symbol, NULL);

      /* Subscribers see the new last price. */
      if (instrument != NULL)
        bourse_market_changed (job->market, instrument);
      if (request != NULL)
        {
          g_autoptr(JsonNode) body = bourse_csv_import_to_json (&job->result, job->symbol, job->interval);

          bourse_request_reply_json (request, SOUP_STATUS_OK, body);
        }
    }

  import_job_release_message (job);
  if (request != NULL)
    bourse_request_unpause (request);
}

/* Files that are CSV by name in the usual clients; anything else (a form,
 * JSON) is a mistake worth a 415. */
static gboolean
is_csv_content_type (BourseRequest *request)
{
  static const char * const accepted[] = {
    "text/csv", "text/plain", "application/csv", "application/octet-stream", NULL
  };
  const char *type = soup_message_headers_get_content_type (
      soup_server_message_get_request_headers (bourse_request_get_message (request)), NULL);

  /* Media types are compared without regard to case (RFC 9110 §8.3.1). */
  for (guint i = 0; type != NULL && accepted[i] != NULL; i++)
    if (g_ascii_strcasecmp (type, accepted[i]) == 0)
      return TRUE;
  bourse_request_reply_problem (request, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                _("The request body must be a CSV file (Content-Type: text/csv)"), NULL, 0);
  return FALSE;
}

static void
import_cb (BourseRequest *request,
           gpointer       user_data)
{
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(GTask) task = NULL;
  SoupServerMessage *message = bourse_request_get_message (request);
  BourseAuthContext context;
  BourseInterval interval;
  BourseCsvFormat format;
  ImportJob *job;

  if ((instrument = instrument_query (request)) == NULL
      || !bourse_request_get_interval_query (request, "interval", TRUE, &interval)
      || !format_query (request, TRUE, BOURSE_CSV_FORMAT_AUTO, &format)
      || !is_csv_content_type (request))
    return;

  bourse_request_get_context (request, &context);
  job = g_new0 (ImportJob, 1);
  job->db_path = g_strdup (bourse_store_get_path (store_of (request)));
  job->symbol = g_strdup (instrument->symbol);
  job->interval = interval;
  job->format = format;
  job->body = bourse_request_steal_body (request);
  job->actor = g_strdup (bourse_request_get_principal (request)->actor);
  job->client_address = g_strdup (context.client_address);
  job->request_id = g_strdup (context.request_id);
  job->message = g_object_ref (message);
  job->request = request;
  job->finished_handler = g_signal_connect_swapped (message, "finished",
                                                    G_CALLBACK (import_message_finished_cb), job);

  /* Parsing and writing a big file takes seconds: in a worker, so that the
   * engine's main context keeps serving meanwhile. No source object, so
   * that nothing of the main context can be let go of in the worker. */
  /* The import holds the database's write lock for seconds: feeds would
   * stall the engine's context waiting for it. They stop meanwhile. */
  job->market = g_object_ref (bourse_engine_get_market (bourse_request_get_engine (request)));
  bourse_market_hold (job->market);

  task = g_task_new (NULL, NULL, import_done_cb, NULL);
  g_task_set_source_tag (task, import_cb);
  g_task_set_name (task, "market import");
  g_task_set_task_data (task, job, import_job_free);
  bourse_request_pause (request);
  g_task_run_in_thread (task, import_thread);
}

/* }}} */
/* Export {{{ */

/* Pages go out one at a time: the next is read when the last has been
 * written, so an export of millions of candles never sits in memory. */
typedef struct
{
  BourseStore     *store;
  GSocket         *socket;   /* to cut the answer short; NULL once the client has gone */
  gint64           instrument_id;
  BourseInterval   interval;
  BourseCsvFormat  format;
  gint64           cursor;
  gint64           end;
  gboolean         done;
} ExportJob;

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_clear_object (&job->store);
  g_clear_object (&job->socket);
  g_free (job);
}

/* Appends the next page, or completes the body. */
static void
export_next_page (SoupServerMessage *message,
                  ExportJob         *job)
{
  SoupMessageBody *body = soup_server_message_get_response_body (message);
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) error = NULL;

  if (job->done)
    return;

  text = g_string_sized_new (BOURSE_CANDLES_MAX_LIMIT * 64);
  if (!bourse_csv_export_page (job->store, job->instrument_id, job->interval, job->format, &job->cursor, job->end,
                               text, NULL, &job->done, &error))
    {
      /* The status has gone out already: ending the connection without the
       * last chunk tells the client that the file is cut short. */
      g_warning ("Export failed half-way: %s", error->message);
      job->done = TRUE;
      if (job->socket != NULL)
        g_socket_shutdown (job->socket, TRUE, TRUE, NULL);
      soup_message_body_complete (body);
      return;
    }

  /* An empty chunk would end a chunked body. */
  if (text->len > 0)
    {
      gsize length = text->len;

      soup_message_body_append (body, SOUP_MEMORY_TAKE, g_string_free (g_steal_pointer (&text), FALSE), length);
    }
  if (job->done)
    soup_message_body_complete (body);
}

static void
export_wrote_chunk_cb (SoupServerMessage *message,
                       ExportJob         *job)
{
  export_next_page (message, job);
}

static void
export_cb (BourseRequest *request,
           gpointer       user_data)
{
  BourseServer *server = user_data;
  g_autoptr(BourseInstrument) instrument = NULL;
  SoupServerMessage *message = bourse_request_get_message (request);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  SoupMessageBody *body = soup_server_message_get_response_body (message);
  GSocket *socket = bourse_connections_get_socket (server->connections, message, request->connection);
  g_autofree char *filename = NULL;
  g_autoptr(GHashTable) disposition = NULL;
  gint64 start = BOURSE_TIME_MIN_MS, end = BOURSE_TIME_MAX_MS;
  BourseInterval interval;
  BourseCsvFormat format;
  ExportJob *job;

  if ((instrument = instrument_query (request)) == NULL
      || !bourse_request_get_interval_query (request, "interval", TRUE, &interval)
      || !format_query (request, FALSE, BOURSE_CSV_FORMAT_GENERIC, &format)
      || !bourse_request_get_time_query (request, "start", BOURSE_TIME_BOUND_START, &start)
      || !bourse_request_get_time_query (request, "end", BOURSE_TIME_BOUND_END, &end))
    return;
  if (start > end)
    {
      bourse_request_reply_query_error (request, "start", _("must not be after “end”"));
      return;
    }

  job = g_new0 (ExportJob, 1);
  job->store = g_object_ref (store_of (request));
  /* libsoup knows no socket for a connection the server accepted itself. */
  job->socket = socket != NULL ? g_object_ref (socket) : NULL;
  job->instrument_id = instrument->id;
  job->interval = interval;
  job->format = format;
  job->cursor = start;
  job->end = end;
  g_object_set_data_full (G_OBJECT (message), "bourse-export", job, export_job_free);

  filename = g_strdup_printf ("%s-%s.csv", instrument->symbol, bourse_interval_to_string (interval));
  disposition = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (disposition, (gpointer) "filename", filename);
  soup_message_headers_set_content_disposition (headers, "attachment", disposition);
  soup_message_headers_set_content_type (headers, "text/csv; charset=utf-8", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  /* Written chunks are let go of, not kept for a body nobody reads. */
  soup_message_body_set_accumulate (body, FALSE);

  {
    g_autoptr(GString) header = g_string_new (NULL);

    bourse_csv_append_header (header, format);
    if (header->len > 0)
      soup_message_body_append (body, SOUP_MEMORY_COPY, header->str, header->len);
  }
  g_signal_connect (message, "wrote-chunk", G_CALLBACK (export_wrote_chunk_cb), job);
  export_next_page (message, job);
}

/* }}} */

static const BourseParamDoc import_params[] = {
  { "symbol", BOURSE_PARAM_QUERY, "Symbol", "An instrument that exists (else a 422 naming symbol)", TRUE },
  { "interval", BOURSE_PARAM_QUERY, "Interval", NULL, TRUE },
  { "format", BOURSE_PARAM_QUERY,
    "{\"type\":\"string\",\"enum\":[\"auto\",\"binance\",\"generic\"],\"default\":\"auto\"}",
    "Binance's kline files, or time,open,high,low,close,volume with a header; auto tells them apart" },
  { NULL }
};

static const BourseParamDoc export_params[] = {
  { "symbol", BOURSE_PARAM_QUERY, "Symbol", "An instrument that exists (else a 422 naming symbol)", TRUE },
  { "interval", BOURSE_PARAM_QUERY, "Interval", NULL, TRUE },
  { "start", BOURSE_PARAM_QUERY, "TimeInput", "The first open time wanted (inclusive); default: the first stored" },
  { "end", BOURSE_PARAM_QUERY, "TimeInput", "The last open time wanted (inclusive); default: the last stored" },
  { "format", BOURSE_PARAM_QUERY,
    "{\"type\":\"string\",\"enum\":[\"generic\",\"binance\"],\"default\":\"generic\"}",
    "generic has a header and a trades column; binance has 12 columns and no header" },
  { NULL }
};

/* The import's own limit, market.import_max_bytes, is set from the
 * configuration when the routes are added. */
static const BourseRouteSpec csv_routes[] = {
  { "POST", "/api/v1/market/import", "market.import", import_cb, {
      .id = "importCandles", .tag = "Data", .summary = "Import candles from a CSV file",
      .description = "The body is the file itself (text/csv, text/plain, application/csv or "
                     "application/octet-stream; anything else is a 415), up to market.import_max_bytes. The "
                     "candles, the higher intervals derived from them and the audit entry market.import are one "
                     "transaction: a bad line rolls back the whole file, answered as a 422 naming file, with "
                     "line and column as numbers.",
      .params = import_params, .request = "string", .request_type = "text/csv",
      .response = "CsvImport", .errors = "415 422" } },
  { "GET", "/api/v1/market/export", "market.read", export_cb, {
      .id = "exportCandles", .tag = "Data", .summary = "Export candles as a CSV file",
      .description = "Streamed (chunked), as an attachment named SYMBOL-INTERVAL.csv; what is exported imports "
                     "back to the same rows. start after end is a 422 naming start.",
      .params = export_params, .response = "string", .response_type = "text/csv", .errors = "422" } },
};

void
_bourse_server_add_csv_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, csv_routes, G_N_ELEMENTS (csv_routes), self);
  bourse_router_set_max_body (self->router, "POST", "/api/v1/market/import",
                              bourse_config_get_int (self->config, "market", "import_max_bytes"));
}
