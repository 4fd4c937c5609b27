/* bourse-market-routes.c — instruments and candles (docs/MARKET.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"

#include "market/bourse-candles.h"
#include "market/bourse-instruments.h"

#include "bourse-server-private.h"

/* A page of candles when the client names no limit. */
#define DEFAULT_CANDLE_LIMIT 1000

/* The audit trail lives on this connection: a write and its entry share a transaction. */
static BourseStore *
store_of (BourseRequest *request)
{
  return bourse_auth_get_store (bourse_request_get_auth (request));
}

/* bourse_request_reply_json () leaves the body to the caller. */
static void
reply_instrument (BourseRequest          *request,
                  guint                   status,
                  const BourseInstrument *instrument)
{
  g_autoptr(JsonNode) body = bourse_instrument_to_json (instrument);

  bourse_request_reply_json (request, status, body);
}

static BourseMarket *
market_of (BourseRequest *request)
{
  return bourse_engine_get_market (bourse_request_get_engine (request));
}

static void
instruments_list_cb (BourseRequest *request,
                     gpointer       user_data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;

  if ((list = bourse_instruments_list (store_of (request), &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  /* Every instrument fits on one page: a handful per market, not thousands. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    json_builder_add_value (builder, bourse_instrument_to_json (g_ptr_array_index (list, i)));
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, FALSE, 0);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

/* The instrument named by {symbol}, or NULL once a 404 is answered. */
static BourseInstrument *
find_instrument (BourseRequest *request)
{
  g_autoptr(GError) error = NULL;
  BourseInstrument *instrument;

  instrument = bourse_instruments_find (store_of (request), bourse_request_get_param (request, "symbol"), &error);
  if (instrument == NULL)
    bourse_request_reply_error (request, error, 0);
  return instrument;
}

static void
instruments_get_cb (BourseRequest *request,
                    gpointer       user_data)
{
  g_autoptr(BourseInstrument) instrument = find_instrument (request);

  if (instrument != NULL)
    reply_instrument (request, SOUP_STATUS_OK, instrument);
}

static void
instruments_create_cb (BourseRequest *request,
                       gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(BourseInstrument) instrument = bourse_instrument_new ();
  g_autoptr(GError) error = NULL;
  const char *symbol, *base, *quote, *status, *source;
  gboolean present;

  if (body == NULL
      || !bourse_request_get_string_member (request, body, "symbol", TRUE, &symbol)
      || !bourse_request_get_string_member (request, body, "base_asset", TRUE, &base)
      || !bourse_request_get_string_member (request, body, "quote_asset", TRUE, &quote)
      || !bourse_request_get_decimal_member (request, body, "tick_size", TRUE, &present, &instrument->tick_size)
      || !bourse_request_get_decimal_member (request, body, "lot_step", TRUE, &present, &instrument->lot_step)
      || !bourse_request_get_decimal_member (request, body, "min_notional", FALSE, &present, &instrument->min_notional)
      || !bourse_request_get_string_member (request, body, "status", FALSE, &status)
      || !bourse_request_get_string_member (request, body, "source", FALSE, &source))
    return;

  instrument->symbol = g_strdup (symbol);
  instrument->base_asset = g_strdup (base);
  instrument->quote_asset = g_strdup (quote);
  g_free (instrument->status);
  instrument->status = g_strdup (status ? status : "trading");
  /* An instrument added by hand is filled by an import unless it says otherwise. */
  g_free (instrument->source);
  instrument->source = g_strdup (source ? source : "csv");

  if (!bourse_market_create_instrument (market_of (request), instrument, bourse_request_audit_cb, request, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_instrument (request, SOUP_STATUS_CREATED, instrument);
}

/* A member that names something PUT cannot change: equal is fine, else a 422. */
static gboolean
check_unchanged (BourseRequest *request,
                 JsonObject    *body,
                 const char    *field,
                 const char    *current)
{
  const char *value;

  if (!bourse_request_get_string_member (request, body, field, FALSE, &value))
    return FALSE;
  if (value != NULL && g_strcmp0 (value, current) != 0)
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, field,
                         _("cannot be changed; create a new instrument instead"));
      return FALSE;
    }
  return TRUE;
}

static void
instruments_update_cb (BourseRequest *request,
                       gpointer       user_data)
{
  g_autoptr(BourseInstrument) instrument = find_instrument (request);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  const char *status;
  gboolean tick, lot, notional;

  if (instrument == NULL || (body = bourse_request_get_json_object (request)) == NULL)
    return;
  if (!check_unchanged (request, body, "symbol", instrument->symbol)
      || !check_unchanged (request, body, "base_asset", instrument->base_asset)
      || !check_unchanged (request, body, "quote_asset", instrument->quote_asset)
      || !check_unchanged (request, body, "source", instrument->source)
      || !bourse_request_get_decimal_member (request, body, "tick_size", FALSE, &tick, &instrument->tick_size)
      || !bourse_request_get_decimal_member (request, body, "lot_step", FALSE, &lot, &instrument->lot_step)
      || !bourse_request_get_decimal_member (request, body, "min_notional", FALSE, &notional, &instrument->min_notional)
      || !bourse_request_get_string_member (request, body, "status", FALSE, &status))
    return;
  if (status != NULL)
    {
      g_free (instrument->status);
      instrument->status = g_strdup (status);
    }

  fields = g_ptr_array_new ();
  if (tick)
    g_ptr_array_add (fields, (gpointer) "tick_size");
  if (lot)
    g_ptr_array_add (fields, (gpointer) "lot_step");
  if (notional)
    g_ptr_array_add (fields, (gpointer) "min_notional");
  if (status != NULL)
    g_ptr_array_add (fields, (gpointer) "status");
  g_ptr_array_add (fields, NULL);
  if (!bourse_market_update_instrument (market_of (request), instrument, (const char * const *) fields->pdata,
                                        bourse_request_audit_cb, request, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_instrument (request, SOUP_STATUS_OK, instrument);
}

static void
instruments_delete_cb (BourseRequest *request,
                       gpointer       user_data)
{
  g_autoptr(BourseInstrument) instrument = find_instrument (request);
  g_autoptr(GError) error = NULL;
  gboolean purge = FALSE;

  if (instrument == NULL || !bourse_request_get_boolean_query (request, "purge", &purge))
    return;

  if (!bourse_market_delete_instrument (market_of (request), instrument, purge, NULL, bourse_request_audit_cb, request,
                                        &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  soup_server_message_set_status (bourse_request_get_message (request), SOUP_STATUS_NO_CONTENT, NULL);
}

/* ?before=: a time (exclusive), or "latest" for after everything stored —
 * the newest page, which no clock can name (a simulated market runs ahead
 * of it, an import may end years ago). */
static gboolean
get_before_query (BourseRequest *request,
                  gboolean      *present,
                  gint64        *last)
{
  const char *text = bourse_request_get_query (request, "before");
  gint64 before = BOURSE_TIME_MAX_MS;

  *present = text != NULL;
  if (g_strcmp0 (text, "latest") == 0)
    {
      *last = BOURSE_TIME_MAX_MS;
      return TRUE;
    }
  if (!bourse_request_get_time_query (request, "before", BOURSE_TIME_BOUND_START, &before))
    return FALSE;
  *last = before - 1;
  return TRUE;
}

static void
candles_cb (BourseRequest *request,
            gpointer       user_data)
{
  g_autoptr(BourseInstrument) instrument = find_instrument (request);
  g_autoptr(GString) body = NULL;
  g_autoptr(GArray) candles = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  BourseInterval interval;
  gint64 start = BOURSE_TIME_MIN_MS, end = BOURSE_TIME_MAX_MS, cursor = G_MININT64, last = BOURSE_TIME_MAX_MS;
  gint64 limit = DEFAULT_CANDLE_LIMIT, next_cursor = 0;
  gboolean more = FALSE, backwards = FALSE;

  if (instrument == NULL)
    return;

  /* The cursor is the open time next_cursor gave, in milliseconds: where
   * the next page starts, going forwards or (with before) backwards. */
  if (!bourse_request_get_interval_query (request, "interval", TRUE, &interval)
      || !bourse_request_get_time_query (request, "start", BOURSE_TIME_BOUND_START, &start)
      || !bourse_request_get_time_query (request, "end", BOURSE_TIME_BOUND_END, &end)
      || !get_before_query (request, &backwards, &last)
      || !bourse_request_get_int_query (request, "limit", 1, BOURSE_CANDLES_MAX_LIMIT, &limit)
      || !bourse_request_get_int_query (request, "cursor", BOURSE_TIME_MIN_MS, BOURSE_TIME_MAX_MS, &cursor))
    return;
  if (start > end)
    {
      bourse_request_reply_query_error (request, "start", _("must not be after “end”"));
      return;
    }

  if (backwards)
    candles = bourse_candles_query_newest (store_of (request), instrument->id, interval, start,
                                          MIN (MIN (end, last), cursor == G_MININT64 ? end : cursor),
                                          (guint)limit, &more, &next_cursor, &error);
  else
    candles = bourse_candles_query (store_of (request), instrument->id, interval, MAX (start, cursor), end,
                                    (guint)limit, &more, &next_cursor, &error);
  if (candles == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  /* Written straight into the answer: a page of 5000 candles through
   * JsonBuilder is 45,000 nodes and most of the time of the request
   * (bench/market). Symbols are A-Z and 0-9 only, nothing to escape. */
  body = g_string_sized_new (128 + candles->len * 200);
  g_string_append_printf (body, "{\"symbol\":\"%s\",\"interval\":\"%s\",\"simulated\":%s,\"items\":",
                          instrument->symbol, bourse_interval_to_string (interval),
                          g_str_equal (instrument->source, "simulated") ? "true" : "false");
  bourse_candles_append_json (body, (const BourseCandle *) (gpointer) candles->data, candles->len, interval);
  if (more)
    g_string_append_printf (body, ",\"next_cursor\":\"%" G_GINT64_FORMAT "\"}", next_cursor);
  else
    g_string_append (body, ",\"next_cursor\":null}");

  length = body->len;
  soup_server_message_set_status (bourse_request_get_message (request), SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (bourse_request_get_message (request), "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (g_steal_pointer (&body), FALSE), length);
}

static void
ticker_cb (BourseRequest *request,
           gpointer       user_data)
{
  g_autoptr(BourseInstrument) instrument = find_instrument (request);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  BourseTicker ticker;

  if (instrument == NULL)
    return;
  if (!bourse_ticker_compute (store_of (request), instrument, &ticker, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  body = bourse_ticker_to_json (&ticker, instrument);
  bourse_request_reply_json (request, SOUP_STATUS_OK, body);
}

static const BourseParamDoc symbol_param[] = {
  { "symbol", BOURSE_PARAM_PATH, "Symbol", "The instrument's symbol" },
  { NULL }
};

static const BourseParamDoc delete_params[] = {
  { "symbol", BOURSE_PARAM_PATH, "Symbol", "The instrument's symbol" },
  { "purge", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"enum\":[\"true\",\"false\"],\"default\":\"false\"}",
    "true deletes its stored candles too; without, an instrument with candles is a 409" },
  { NULL }
};

static const BourseParamDoc candles_params[] = {
  { "symbol", BOURSE_PARAM_PATH, "Symbol", "The instrument's symbol" },
  { "interval", BOURSE_PARAM_QUERY, "Interval", NULL, TRUE },
  { "start", BOURSE_PARAM_QUERY, "TimeInput", "The first open time wanted (inclusive); default: the first stored" },
  { "end", BOURSE_PARAM_QUERY, "TimeInput",
    "The last open time wanted (inclusive; a date alone is that day's end); default: the last stored" },
  { "limit", BOURSE_PARAM_QUERY, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":5000,\"default\":1000}",
    "How many candles a page holds at most" },
  { "before", BOURSE_PARAM_QUERY, "{\"anyOf\":[{\"$ref\":\"#/components/schemas/TimeInput\"},"
                                   "{\"type\":\"string\",\"const\":\"latest\"}]}",
    "Pages backwards: the candles that open before this time (exclusive; a date alone is that day's start), "
    "newest first; latest: the newest candles stored" },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page, with the same other parameters" },
  { NULL }
};

static const BourseRouteSpec market_routes[] = {
  { "GET", "/api/v1/instruments", "market.read", instruments_list_cb, {
      .id = "listInstruments", .tag = "Market", .summary = "List the instruments",
      .description = "Every instrument, by symbol, on one page.",
      .response = "page:Instrument" } },
  { "POST", "/api/v1/instruments", "instruments.write", instruments_create_cb, {
      .id = "createInstrument", .tag = "Market", .summary = "Add an instrument",
      .description = "Audited as instrument.create. A symbol that exists already is a 409 naming symbol.",
      .request = "InstrumentCreate", .status = 201, .response = "Instrument", .errors = "409 422" } },
  { "GET", "/api/v1/instruments/{symbol}", "market.read", instruments_get_cb, {
      .id = "getInstrument", .tag = "Market", .summary = "Read an instrument",
      .params = symbol_param, .response = "Instrument", .errors = "404" } },
  { "PUT", "/api/v1/instruments/{symbol}", "instruments.write", instruments_update_cb, {
      .id = "updateInstrument", .tag = "Market", .summary = "Change an instrument",
      .description = "Audited as instrument.update.",
      .params = symbol_param, .request = "InstrumentUpdate", .response = "Instrument", .errors = "404 422" } },
  { "DELETE", "/api/v1/instruments/{symbol}", "instruments.write", instruments_delete_cb, {
      .id = "deleteInstrument", .tag = "Market", .summary = "Delete an instrument",
      .description = "Audited as instrument.delete. While candles are stored, a 409 naming symbol unless "
                     "purge=true.",
      .params = delete_params, .status = 204, .errors = "404 409 422" } },
  { "GET", "/api/v1/market/candles/{symbol}", "market.read", candles_cb, {
      .id = "listCandles", .tag = "Market", .summary = "List an instrument's stored candles",
      .description = "Oldest first from start; with before, newest first, paging back in time. "
                     "start after end is a 422 naming start.",
      .params = candles_params, .response = "CandlePage", .errors = "404 422" } },
  { "GET", "/api/v1/market/ticker/{symbol}", "market.read", ticker_cb, {
      .id = "getTicker", .tag = "Market", .summary = "Read an instrument's 24-hour ticker",
      .params = symbol_param, .response = "Ticker", .errors = "404" } },
};

void
_bourse_server_add_market_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, market_routes, G_N_ELEMENTS (market_routes), self);
}
