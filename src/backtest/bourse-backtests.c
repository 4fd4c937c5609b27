/* bourse-backtests.c — backtest requests, their jobs and their records
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

/* PRIu64 in translatable strings: xgettext understands it, not G_GUINT64_FORMAT. */
#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-time.h"
#include "market/bourse-instruments.h"
#include "strategy/bourse-strategy.h"

#include "bourse-backtests.h"
#include "bourse-record-table.h"

struct _BourseBacktests
{
  GObject          parent_instance;

  BourseStore     *store;
  BourseEventBus  *bus;
  BourseJobs      *jobs;
  BourseAuth      *auth;
  BourseRisk      *risk;
};

G_DEFINE_FINAL_TYPE (BourseBacktests, bourse_backtests, G_TYPE_OBJECT)

/* The life it shares with the other runs' table (bourse-record-table.c). */
static const BourseRecordTable record_table = {
  "backtests", "backtest", BOURSE_BACKTESTS_TOPIC,
  N_("Only the one who ran a backtest, or an administrator, may change it"),
};

/* Requests {{{ */

static const char * const request_members[] = {
  "strategy", "params", "symbol", "interval", "start", "end", "starting_cash", "fee_rate", "slippage_bps",
  "stake_fraction", "exits", "lookback", "allow_short", "protections", "note", NULL
};

static gboolean
is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
holds (JsonNode *node,
       GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* A string member; absent or null leaves *value NULL, or is refused when
 * @required. */
static gboolean
string_member (JsonObject  *object,
               const char  *name,
               gboolean     required,
               const char **value,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (is_null (node))
    {
      if (!required)
        return TRUE;
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, name, _("This member is required"));
      return FALSE;
    }
  if (!holds (node, G_TYPE_STRING))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, name, _("This member must be a string"));
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
time_member (JsonObject       *object,
             const char       *name,
             BourseTimeBound   bound,
             gint64           *value,
             GError          **error)
{
  const char *text;

  if (!string_member (object, name, TRUE, &text, error))
    return FALSE;
  if (!bourse_time_parse_instant (text, bound, value, NULL))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, name,
                              _("This member must be an RFC 3339 time, such as 2026-01-01T00:00:00Z, "
                                "or a date, such as 2026-01-01"));
      return FALSE;
    }
  return TRUE;
}

/* A decimal string; a JSON number is refused, since it may already have
 * lost digits on its way here. Absent or null keeps *value. */
static gboolean
decimal_member (JsonObject     *object,
                const char     *name,
                BourseDecimal  *value,
                GError        **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (is_null (node))
    return TRUE;
  if (!holds (node, G_TYPE_STRING) || !bourse_decimal_parse (json_node_get_string (node), value, NULL))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, name,
                              _("This member must be a decimal string, such as \"0.001\""));
      return FALSE;
    }
  return TRUE;
}

/* A whole number in [min, max]; absent or null keeps *value. */
static gboolean
int_member (JsonObject  *object,
            const char  *name,
            gint64       min,
            gint64       max,
            gint64      *value,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (is_null (node))
    return TRUE;
  if (!holds (node, G_TYPE_INT64) || json_node_get_int (node) < min || json_node_get_int (node) > max)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, name,
                              _("This member must be a whole number from %" PRId64 " to %" PRId64),
                              (gint64) min, (gint64) max);
      return FALSE;
    }
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
boolean_member (JsonObject  *object,
                const char  *name,
                gboolean    *value,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (is_null (node))
    return TRUE;
  if (!holds (node, G_TYPE_BOOLEAN))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, name, _("This member must be true or false"));
      return FALSE;
    }
  *value = json_node_get_boolean (node);
  return TRUE;
}

void
bourse_backtest_request_free (BourseBacktestRequest *request)
{
  if (request == NULL)
    return;

  g_clear_object (&request->spec.strategy);
  g_clear_pointer (&request->spec.params, json_object_unref);
  g_clear_pointer (&request->spec.risk_limits, json_object_unref);
  g_free (request->symbol);
  g_free (request->note);
  g_clear_pointer (&request->request, json_object_unref);
  g_free (request);
}

/* Whether the instrument has a closed candle of @interval in [start, end):
 * a window without one is the request's mistake, said before any job. */
static gboolean
has_candles (BourseStore     *store,
             gint64           instrument_id,
             BourseInterval   interval,
             gint64           start,
             gint64           end,
             gboolean        *found,
             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = bourse_store_prepare (store,
                               "SELECT 1 FROM candles WHERE instrument_id = ? AND interval = ? "
                               "AND open_time >= ? AND open_time < ? AND closed = 1 LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, instrument_id);
  sqlite3_bind_text (stmt, 2, bourse_interval_to_string (interval), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, start);
  sqlite3_bind_int64 (stmt, 4, end);
  return bourse_store_step_row (store, stmt, found, error);
}

static JsonObject *
request_to_json (const BourseBacktestRequest *request,
                 gboolean                     has_lookback)
{
  const BourseBacktestSpec *spec = &request->spec;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "strategy");
  json_builder_add_string_value (builder, bourse_strategy_get_id (spec->strategy));
  json_builder_set_member_name (builder, "params");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), spec->params));
  json_builder_set_member_name (builder, "symbol");
  json_builder_add_string_value (builder, request->symbol);
  json_builder_set_member_name (builder, "interval");
  json_builder_add_string_value (builder, bourse_interval_to_string (request->interval));
  bourse_json_builder_add_time (builder, "start", request->start);
  bourse_json_builder_add_time (builder, "end", request->end);
  bourse_json_builder_add_decimal (builder, "starting_cash", &spec->starting_cash);
  bourse_json_builder_add_decimal (builder, "fee_rate", &spec->fee_rate);
  bourse_json_builder_add_int (builder, "slippage_bps", spec->slippage_bps);
  bourse_json_builder_add_decimal (builder, "stake_fraction", &spec->stake_fraction);
  json_builder_set_member_name (builder, "exits");
  json_builder_add_string_value (builder, bourse_backtest_exits_to_string (spec->exits));
  json_builder_set_member_name (builder, "lookback");
  if (has_lookback)
    json_builder_add_int_value (builder, spec->lookback);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "allow_short");
  json_builder_add_boolean_value (builder, spec->allow_short);
  json_builder_set_member_name (builder, "protections");
  json_builder_add_boolean_value (builder, request->protections);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_object_ref (json_node_get_object (root));
}

BourseBacktestRequest *
bourse_backtest_request_parse (BourseStore         *store,
                               JsonObject          *object,
                               const char * const  *extra_members,
                               GError             **error)
{
  g_autoptr(BourseBacktestRequest) request = g_new0 (BourseBacktestRequest, 1);
  g_autoptr(BourseStrategy) strategy = NULL;
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(GError) local_error = NULL;
  BourseBacktestSpec *spec = &request->spec;
  const char *strategy_id, *symbol, *interval, *exits = NULL, *note = NULL;
  gint64 slippage, lookback = 0;
  JsonNode *params_node;
  gboolean found;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (object != NULL, NULL);

  /* A misspelt member would otherwise be a default silently taken. */
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (request_members, l->data)
        && (extra_members == NULL || !g_strv_contains (extra_members, l->data)))
      {
        bourse_set_field_error (error, BOURSE_ERROR_INVALID, l->data, _("There is no such member of a request"));
        return NULL;
      }

  if (!string_member (object, "strategy", TRUE, &strategy_id, error))
    return NULL;
  bourse_strategies_ensure ();
  if ((strategy = bourse_strategy_lookup (strategy_id)) == NULL)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "strategy",
                              _("There is no strategy “%s” (GET /api/v1/strategies lists them)"), strategy_id);
      return NULL;
    }

  params_node = json_object_get_member (object, "params");
  if (!is_null (params_node) && !JSON_NODE_HOLDS_OBJECT (params_node))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "params", _("This member must be an object"));
      return NULL;
    }
  {
    g_autofree char *parameter = NULL;
    g_autofree char *field = NULL;

    params = bourse_strategy_resolve_parameters (strategy, is_null (params_node) ? NULL
                                                 : json_node_get_object (params_node), &parameter, &local_error);
    if (params == NULL)
      {
        field = parameter != NULL ? g_strconcat ("params.", parameter, NULL) : g_strdup ("params");
        bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, "%s", local_error->message);
        return NULL;
      }
  }

  if (!string_member (object, "symbol", TRUE, &symbol, error))
    return NULL;
  if ((instrument = bourse_instruments_find (store, symbol, &local_error)) == NULL)
    {
      if (g_error_matches (local_error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_NOT_FOUND))
        bourse_set_field_error (error, BOURSE_ERROR_INVALID, "symbol", _("There is no instrument “%s”"), symbol);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!string_member (object, "interval", TRUE, &interval, error))
    return NULL;
  if (!bourse_interval_parse (interval, &request->interval, NULL))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "interval",
                              _("The interval must be one of 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M"));
      return NULL;
    }

  if (!time_member (object, "start", BOURSE_TIME_BOUND_START, &request->start, error)
      || !time_member (object, "end", BOURSE_TIME_BOUND_END, &request->end, error))
    return NULL;
  if (request->end <= request->start)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "end", _("The end must be after the start"));
      return NULL;
    }
  if (request->end - request->start > BOURSE_BACKTEST_MAX_SPAN_MS)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "end",
                              _("A backtest covers at most 10 years: bring the end closer to the start"));
      return NULL;
    }

  /* The strategy and its parameters now belong to the spec. */
  bourse_backtest_spec_init (spec, g_steal_pointer (&strategy), g_steal_pointer (&params));
  slippage = spec->slippage_bps;
  if (!decimal_member (object, "starting_cash", &spec->starting_cash, error)
      || !decimal_member (object, "fee_rate", &spec->fee_rate, error)
      || !int_member (object, "slippage_bps", 0, 1000, &slippage, error)
      || !decimal_member (object, "stake_fraction", &spec->stake_fraction, error)
      || !string_member (object, "exits", FALSE, &exits, error)
      || !boolean_member (object, "allow_short", &spec->allow_short, error)
      || !boolean_member (object, "protections", &request->protections, error)
      || !string_member (object, "note", FALSE, &note, error))
    return NULL;
  spec->slippage_bps = slippage;

  if (spec->starting_cash.units <= 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "starting_cash", _("The starting cash must be above zero"));
      return NULL;
    }
  if (spec->fee_rate.units < 0 || spec->fee_rate.units > BOURSE_DECIMAL_UNIT / 10)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "fee_rate", _("The fee rate must be between 0 and 0.1"));
      return NULL;
    }
  if (spec->stake_fraction.units <= 0 || spec->stake_fraction.units > BOURSE_DECIMAL_UNIT)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "stake_fraction",
                              _("The stake fraction must be above 0 and at most 1"));
      return NULL;
    }
  if (exits != NULL && !bourse_backtest_exits_parse (exits, &spec->exits))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "exits", _("Exits must be signals, levels or both"));
      return NULL;
    }
  if (!int_member (object, "lookback", bourse_strategy_get_min_candles (spec->strategy, spec->params),
                   BOURSE_BACKTEST_MAX_LOOKBACK, &lookback, error))
    return NULL;
  spec->lookback = lookback;
  if (note != NULL && g_utf8_strlen (note, -1) > BOURSE_BACKTEST_MAX_NOTE)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "note", _("A note holds at most %d characters"),
                              BOURSE_BACKTEST_MAX_NOTE);
      return NULL;
    }

  if (!has_candles (store, instrument->id, request->interval, request->start, request->end, &found, error))
    return NULL;
  if (!found)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "start",
                              _("There are no closed %s candles of %s between start and end"),
                              bourse_interval_to_string (request->interval), instrument->symbol);
      return NULL;
    }

  request->symbol = g_strdup (instrument->symbol);
  request->note = g_strdup (note != NULL ? note : "");
  request->request = request_to_json (request, lookback > 0);
  return g_steal_pointer (&request);
}

void
bourse_backtest_request_take_risk_limits (BourseBacktestRequest *request,
                                          BourseRisk            *risk)
{
  g_autoptr(JsonNode) limits = NULL;

  g_return_if_fail (request != NULL);
  g_return_if_fail (risk == NULL || BOURSE_IS_RISK (risk));

  if (!request->protections || risk == NULL)
    return;
  limits = bourse_risk_get_global (risk);
  if (limits != NULL && JSON_NODE_HOLDS_OBJECT (limits))
    {
      g_clear_pointer (&request->spec.risk_limits, json_object_unref);
      request->spec.risk_limits = json_object_ref (json_node_get_object (limits));
    }
}

guint
bourse_backtest_request_get_history (const BourseBacktestRequest *request)
{
  g_return_val_if_fail (request != NULL, 0);

  return bourse_backtest_spec_get_lookback (&request->spec) - 1;
}

BourseBacktestResult *
bourse_backtest_request_run (const BourseBacktestRequest  *request,
                             BourseStore                  *store,
                             BourseBacktestProgressFunc    progress,
                             gpointer                      progress_data,
                             GCancellable                 *cancellable,
                             GError                      **error)
{
  g_autoptr(BourseBacktestSeries) series = NULL;

  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);

  series = bourse_backtest_series_load (store, request->symbol, request->interval, request->start, request->end,
                                        bourse_backtest_request_get_history (request), error);
  if (series == NULL)
    return NULL;
  return bourse_backtest_run (series, &request->spec, progress, progress_data, cancellable, error);
}

/* }}} */

/* Records {{{ */

#define RECORD_COLUMNS                                                                          \
  "b.id, b.job_id, b.optimisation_id, b.strategy, b.symbol, b.interval, b.start_time, "         \
  "b.end_time, b.request, "                                                                     \
  /* Until its end is stored, a backtest is what its job is: running, or ended on its own */    \
  /* when the finishing transaction failed. */                                                  \
  "CASE WHEN b.status IN ('queued', 'running') AND j.status IS NOT NULL THEN j.status "          \
  "ELSE b.status END, "                                                                         \
  "CASE WHEN b.status IN ('queued', 'running') THEN j.error ELSE b.error END, "                 \
  "b.total_return, b.sharpe, b.max_drawdown, b.trades, b.note, b.created_by, u.username, "      \
  "b.created_at, "                                                                              \
  "CASE WHEN b.status IN ('queued', 'running') THEN j.finished_at ELSE b.finished_at END"

#define RECORD_FROM \
  " FROM backtests b LEFT JOIN jobs j ON j.id = b.job_id LEFT JOIN users u ON u.id = b.created_by"

/* The column after RECORD_COLUMNS, when the result is read. */
#define RESULT_COLUMN 20

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static JsonNode *
column_json (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  /* Stored by us; a row edited by hand into nonsense reads as none. */
  return text != NULL ? bourse_json_parse (text, strlen (text), 0, NULL) : NULL;
}

static BourseBacktestRecord *
read_record (sqlite3_stmt *stmt,
             gboolean      with_result)
{
  BourseBacktestRecord *record = g_new0 (BourseBacktestRecord, 1);
  g_autoptr(JsonNode) request = column_json (stmt, 8);
  g_autofree char *status = column_text (stmt, 9);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->job_id = sqlite3_column_int64 (stmt, 1);
  record->optimisation_id = sqlite3_column_int64 (stmt, 2);
  record->strategy = column_text (stmt, 3);
  record->symbol = column_text (stmt, 4);
  record->interval = column_text (stmt, 5);
  record->start = column_text (stmt, 6);
  record->end = column_text (stmt, 7);
  record->request = request != NULL && JSON_NODE_HOLDS_OBJECT (request)
                      ? json_object_ref (json_node_get_object (request)) : json_object_new ();
  if (!bourse_job_status_parse (status, &record->status))
    record->status = BOURSE_JOB_FAILED;
  record->error = column_text (stmt, 10);
  record->has_summary = sqlite3_column_type (stmt, 11) != SQLITE_NULL;
  record->total_return = sqlite3_column_double (stmt, 11);
  record->sharpe = sqlite3_column_double (stmt, 12);
  record->max_drawdown = sqlite3_column_double (stmt, 13);
  record->trades = sqlite3_column_int64 (stmt, 14);
  record->note = column_text (stmt, 15);
  record->created_by = sqlite3_column_int64 (stmt, 16);
  record->created_by_name = column_text (stmt, 17);
  record->created_at = column_text (stmt, 18);
  record->finished_at = column_text (stmt, 19);
  if (with_result)
    record->result = column_json (stmt, RESULT_COLUMN);
  return record;
}

static BourseBacktestRecord *
load_record (BourseStore  *store,
             gint64        id,
             gboolean      with_result,
             GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean row;

  stmt = bourse_store_prepare (store,
                               with_result ? "SELECT " RECORD_COLUMNS ", b.result" RECORD_FROM " WHERE b.id = ?"
                                           : "SELECT " RECORD_COLUMNS RECORD_FROM " WHERE b.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!bourse_store_step_row (store, stmt, &row, error))
    return NULL;
  if (!row)
    {
      bourse_set_field_error (error, BOURSE_ERROR_NOT_FOUND, NULL, _("There is no such backtest"));
      return NULL;
    }
  return read_record (stmt, with_result);
}

void
bourse_backtest_record_free (BourseBacktestRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->strategy);
  g_free (record->symbol);
  g_free (record->interval);
  g_free (record->start);
  g_free (record->end);
  g_clear_pointer (&record->request, json_object_unref);
  g_free (record->error);
  g_clear_pointer (&record->result, json_node_unref);
  g_free (record->note);
  g_free (record->created_by_name);
  g_free (record->created_at);
  g_free (record->finished_at);
  g_free (record);
}

static void
add_id_or_null (JsonBuilder *builder,
                const char  *name,
                gint64       id)
{
  json_builder_set_member_name (builder, name);
  if (id > 0)
    json_builder_add_int_value (builder, id);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
bourse_backtest_record_to_json (const BourseBacktestRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(BourseStrategy) strategy = NULL;

  g_return_val_if_fail (record != NULL, NULL);

  /* A backtest runs a strategy type: its human name, while installed. */
  if (record->strategy != NULL)
    strategy = bourse_strategy_lookup (record->strategy);

  json_builder_begin_object (builder);
  bourse_json_builder_add_int (builder, "id", record->id);
  add_id_or_null (builder, "job_id", record->job_id);
  add_id_or_null (builder, "optimisation_id", record->optimisation_id);
  bourse_json_builder_add_string (builder, "strategy", record->strategy);
  bourse_json_builder_add_string (builder, "strategy_name",
                                  strategy != NULL ? bourse_strategy_get_name (strategy) : NULL);
  bourse_json_builder_add_string (builder, "symbol", record->symbol);
  bourse_json_builder_add_string (builder, "interval", record->interval);
  bourse_json_builder_add_string (builder, "start", record->start);
  bourse_json_builder_add_string (builder, "end", record->end);
  json_builder_set_member_name (builder, "request");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), record->request));
  bourse_json_builder_add_string (builder, "status", bourse_job_status_to_string (record->status));
  bourse_json_builder_add_string (builder, "error", record->error);
  json_builder_set_member_name (builder, "summary");
  if (record->has_summary)
    {
      json_builder_begin_object (builder);
      bourse_json_builder_add_finite (builder, "total_return", record->total_return);
      bourse_json_builder_add_finite (builder, "sharpe", record->sharpe);
      bourse_json_builder_add_finite (builder, "max_drawdown", record->max_drawdown);
      bourse_json_builder_add_int (builder, "trades", record->trades);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  bourse_json_builder_add_string (builder, "note", record->note);
  add_id_or_null (builder, "created_by", record->created_by);
  bourse_json_builder_add_string (builder, "created_by_name", record->created_by_name);
  bourse_json_builder_add_string (builder, "created_at", record->created_at);
  bourse_json_builder_add_string (builder, "finished_at", record->finished_at);
  if (record->result != NULL)
    {
      json_builder_set_member_name (builder, "result");
      json_builder_add_value (builder, json_node_copy (record->result));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* A figure of a result's metrics; 0 when it is null (an infinite profit
 * factor is not among the columns). */
static double
metric (JsonObject *metrics,
        const char *name)
{
  JsonNode *node = metrics != NULL ? json_object_get_member (metrics, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  return json_node_get_double (node);
}

/* The end of a run: its state, its result and the headline figures. */
static gboolean
store_end (BourseStore      *store,
           gint64            id,
           BourseJobStatus   status,
           const char       *error_text,
           JsonNode         *result,
           GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autofree char *text = NULL;
  JsonObject *metrics = NULL;
  gsize length = 0;

  stmt = bourse_store_prepare (store,
                               "UPDATE backtests SET status = ?, error = ?, result = ?, total_return = ?, sharpe = ?, "
                               "max_drawdown = ?, trades = ?, finished_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bourse_job_status_to_string (status), -1, SQLITE_STATIC);
  if (error_text != NULL)
    sqlite3_bind_text (stmt, 2, error_text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 2);
  if (result != NULL && JSON_NODE_HOLDS_OBJECT (result))
    {
      text = bourse_json_to_string (result, &length);
      metrics = bourse_json_get_object (json_node_get_object (result), "metrics");
      sqlite3_bind_text (stmt, 3, text, length, SQLITE_STATIC);
      sqlite3_bind_double (stmt, 4, metric (metrics, "total_return"));
      sqlite3_bind_double (stmt, 5, metric (metrics, "sharpe"));
      sqlite3_bind_double (stmt, 6, metric (metrics, "max_drawdown"));
      sqlite3_bind_int64 (stmt, 7, (gint64) metric (metrics, "trades"));
    }
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 9, id);
  return bourse_store_step_done (store, stmt, error);
}

static gint64
insert_record (BourseStore                  *store,
               const BourseBacktestRequest  *request,
               gint64                        job_id,
               gint64                        created_by,
               GError                      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), request->request);
  g_autofree char *text = bourse_json_to_string (node, NULL);
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autofree char *start = bourse_time_format_rfc3339 (request->start);
  g_autofree char *end = bourse_time_format_rfc3339 (request->end);

  stmt = bourse_store_prepare (store,
                               "INSERT INTO backtests (job_id, strategy, symbol, interval, start_time, end_time, "
                               "request, status, note, created_by, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  if (job_id > 0)
    sqlite3_bind_int64 (stmt, 1, job_id);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_text (stmt, 2, bourse_strategy_get_id (request->spec.strategy), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, request->symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, bourse_interval_to_string (request->interval), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, start, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, end, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, request->note, -1, SQLITE_TRANSIENT);
  if (created_by > 0)
    sqlite3_bind_int64 (stmt, 9, created_by);
  else
    sqlite3_bind_null (stmt, 9);
  sqlite3_bind_text (stmt, 10, now, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_done (store, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (bourse_store_get_db (store));
}

/* The audit entry of a run's end: what ran, how it ended, its figures. */
static gboolean
audit_run (BourseAuth              *auth,
           const char              *actor,
           const BourseAuthContext *context,
           gint64                   id,
           gint64                   job_id,
           JsonObject              *request,
           BourseJobStatus          status,
           const char              *error_text,
           JsonNode                *result,
           GError                 **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *target = g_strdup_printf ("backtest:%" G_GINT64_FORMAT, id);
  JsonObject *metrics = NULL;

  if (result != NULL && JSON_NODE_HOLDS_OBJECT (result))
    metrics = bourse_json_get_object (json_node_get_object (result), "metrics");

  json_builder_begin_object (builder);
  if (job_id > 0)
    bourse_json_builder_add_int (builder, "job", job_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, bourse_job_status_to_string (status));
  json_builder_set_member_name (builder, "request");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), request));
  if (metrics != NULL)
    {
      json_builder_set_member_name (builder, "summary");
      json_builder_begin_object (builder);
      bourse_json_builder_add_finite (builder, "total_return", metric (metrics, "total_return"));
      bourse_json_builder_add_finite (builder, "sharpe", metric (metrics, "sharpe"));
      bourse_json_builder_add_finite (builder, "max_drawdown", metric (metrics, "max_drawdown"));
      bourse_json_builder_add_int (builder, "trades", (gint64) metric (metrics, "trades"));
      json_builder_end_object (builder);
    }
  if (error_text != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error_text);
    }
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);
  return bourse_auth_audit (auth, actor, BOURSE_BACKTEST_JOB_KIND, target, details, context, error);
}

BourseBacktestRecord *
bourse_backtests_store_result (BourseStore                  *store,
                               BourseAuth                   *auth,
                               const BourseBacktestRequest  *request,
                               const BourseBacktestResult   *result,
                               const BourseBacktestsCaller  *caller,
                               GError                      **error)
{
  g_autoptr(JsonNode) node = NULL;
  gint64 id;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (BOURSE_IS_AUTH (auth), NULL);
  g_return_val_if_fail (request != NULL && result != NULL && caller != NULL, NULL);

  node = bourse_backtest_result_to_json (result);
  if (!bourse_store_begin (store, error))
    return NULL;
  if ((id = insert_record (store, request, 0, caller->user_id, error)) == 0
      || !store_end (store, id, BOURSE_JOB_SUCCEEDED, NULL, node, error)
      || !audit_run (auth, caller->actor, caller->context, id, 0, request->request, BOURSE_JOB_SUCCEEDED, NULL, node,
                     error)
      || !bourse_store_commit (store, error))
    {
      bourse_store_rollback (store);
      return NULL;
    }
  return load_record (store, id, TRUE, error);
}

/* }}} */

/* The job {{{ */

/* What the worker runs and what the job's end writes; the worker reads
 * only @request and @db_path. */
typedef struct
{
  BourseBacktests       *backtests;
  BourseBacktestRequest *request;
  char                  *db_path;
  gint64                 backtest_id;
  BourseRecordAuthor     author;
  gboolean               ended;
} RunJob;

static void publish (BourseBacktests *self,
                     gint64           id);

/* On the engine's context, after the transaction of the job's end: the
 * record is published only once it is stored. */
static void
run_job_free (gpointer data)
{
  RunJob *job = data;

  if (job->ended && job->backtest_id > 0)
    publish (job->backtests, job->backtest_id);
  g_clear_object (&job->backtests);
  bourse_backtest_request_free (job->request);
  g_free (job->db_path);
  _bourse_record_author_clear (&job->author);
  g_free (job);
}

static void
run_progress_cb (gsize    done,
                 gsize    total,
                 gpointer user_data)
{
  g_autofree char *message = g_strdup_printf (_("%" PRIu64 " of %" PRIu64 " candles"), (guint64) done,
                                              (guint64) total);

  bourse_job_set_progress (user_data, total > 0 ? (double) done / (double) total : 0, message);
}

/* In the worker thread. */
static gboolean
run_job_func (BourseJob     *job,
              gpointer       user_data,
              GCancellable  *cancellable,
              GError       **error)
{
  RunJob *data = user_data;
  g_autoptr(BourseStore) store = NULL;
  g_autoptr(BourseBacktestResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *percent = NULL;

  /* Its own connection: SQLite connections stay in their thread here. */
  if ((store = bourse_store_open_readonly (data->db_path, &local_error)) == NULL)
    {
      /* Whoever started it reads the job's error: no file names there. */
      g_message ("Backtest %" G_GINT64_FORMAT ": %s", data->backtest_id, local_error->message);
      g_set_error_literal (error, BOURSE_ERROR, BOURSE_ERROR_FAILED, _("The database cannot be read"));
      return FALSE;
    }
  bourse_job_set_progress (job, 0, _("Loading the candles"));
  result = bourse_backtest_request_run (data->request, store, run_progress_cb, job, cancellable, error);
  if (result == NULL)
    return FALSE;

  node = bourse_backtest_result_to_json (result);
  bourse_job_set_result (job, node);
  /* A percent sign last would end the msgid at a format directive. */
  percent = g_strdup_printf ("%+.2f%%", result->metrics.total_return * 100);
  message = g_strdup_printf (_("%u trades over %" PRIu64 " candles, a total return of %s"), result->metrics.trades,
                             (guint64) result->n_candles, percent);
  bourse_job_set_result_message (job, message);
  return TRUE;
}

/* On the engine's context, in the transaction that stores the job's end. */
static gboolean
run_job_finish (const BourseJobInfo  *info,
                BourseJob            *job,
                BourseStore          *store,
                gpointer              user_data,
                GError              **error)
{
  RunJob *data = user_data;
  BourseAuthContext context = _bourse_record_author_context (&data->author);
  JsonNode *result = info->status == BOURSE_JOB_SUCCEEDED ? bourse_job_get_result (job) : NULL;

  data->ended = TRUE;
  if (data->backtest_id == 0)
    return TRUE;
  /* Deleted while it ran: its job's end is still audited. */
  return store_end (store, data->backtest_id, info->status, info->error, result, error)
         && audit_run (data->backtests->auth, data->author.actor, &context, data->backtest_id, info->id,
                       data->request->request, info->status, info->error, result, error);
}

/* }}} */

/* The service {{{ */

static void
publish (BourseBacktests *self,
         gint64           id)
{
  g_autoptr(BourseBacktestRecord) record = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (bourse_store_get_db (self->store) == NULL
      || (record = load_record (self->store, id, FALSE, NULL)) == NULL)
    return;
  node = bourse_backtest_record_to_json (record);
  bourse_event_bus_publish (self->bus, BOURSE_BACKTESTS_TOPIC, node);
}

static void
bourse_backtests_finalize (GObject *object)
{
  BourseBacktests *self = (BourseBacktests *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->bus);
  g_clear_object (&self->jobs);
  g_clear_object (&self->auth);
  g_clear_object (&self->risk);

  G_OBJECT_CLASS (bourse_backtests_parent_class)->finalize (object);
}

static void
bourse_backtests_class_init (BourseBacktestsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bourse_backtests_finalize;
}

static void
bourse_backtests_init (BourseBacktests *self)
{
}

BourseBacktests *
bourse_backtests_new (BourseStore     *store,
                      BourseEventBus  *bus,
                      BourseJobs      *jobs,
                      BourseAuth      *auth,
                      BourseRisk      *risk,
                      GError         **error)
{
  g_autoptr(BourseBacktests) self = NULL;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (BOURSE_IS_EVENT_BUS (bus), NULL);
  g_return_val_if_fail (BOURSE_IS_JOBS (jobs), NULL);
  g_return_val_if_fail (BOURSE_IS_AUTH (auth), NULL);
  g_return_val_if_fail (risk == NULL || BOURSE_IS_RISK (risk), NULL);

  self = g_object_new (BOURSE_TYPE_BACKTESTS, NULL);
  self->store = g_object_ref (store);
  self->bus = g_object_ref (bus);
  self->jobs = g_object_ref (jobs);
  self->auth = g_object_ref (auth);
  self->risk = risk != NULL ? g_object_ref (risk) : NULL;

  if (!_bourse_record_table_mark_interrupted (&record_table, store, error))
    return NULL;

  return g_steal_pointer (&self);
}

BourseBacktestRecord *
bourse_backtests_submit (BourseBacktests              *self,
                         JsonObject                   *object,
                         const BourseBacktestsCaller  *caller,
                         BourseJobInfo               **job,
                         GError                      **error)
{
  g_autoptr(BourseBacktestRequest) request = NULL;
  g_autoptr(BourseJobInfo) info = NULL;
  g_autoptr(JsonNode) params = NULL;
  g_autoptr(GError) local_error = NULL;
  RunJob *data;
  gint64 id;

  g_return_val_if_fail (BOURSE_IS_BACKTESTS (self), NULL);
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (caller != NULL, NULL);

  if ((request = bourse_backtest_request_parse (self->store, object, NULL, error)) == NULL)
    return NULL;
  bourse_backtest_request_take_risk_limits (request, self->risk);
  params = json_node_init_object (json_node_alloc (), request->request);

  data = g_new0 (RunJob, 1);
  data->backtests = g_object_ref (self);
  data->db_path = g_strdup (bourse_store_get_path (self->store));
  _bourse_record_author_init (&data->author, caller);
  data->request = g_steal_pointer (&request);

  /* The job first, for its id: its end runs on this context, so not
   * before the record below exists. */
  info = bourse_jobs_submit (self->jobs, BOURSE_BACKTEST_JOB_KIND, params, caller->user_id, run_job_func,
                             run_job_finish, data, run_job_free, error);
  if (info == NULL)
    return NULL;
  if ((id = insert_record (self->store, data->request, info->id, caller->user_id, error)) == 0)
    {
      if (!bourse_jobs_cancel (self->jobs, info->id, &local_error))
        g_message ("Cannot cancel job %" G_GINT64_FORMAT ": %s", info->id, local_error->message);
      return NULL;
    }
  data->backtest_id = id;
  publish (self, id);

  if (job != NULL)
    *job = g_steal_pointer (&info);
  return load_record (self->store, id, FALSE, error);
}

BourseBacktestRecord *
bourse_backtests_get (BourseBacktests  *self,
                      gint64            id,
                      gboolean          with_result,
                      GError          **error)
{
  g_return_val_if_fail (BOURSE_IS_BACKTESTS (self), NULL);

  return load_record (self->store, id, with_result, error);
}

GPtrArray *
bourse_backtests_list (BourseBacktests             *self,
                       const BourseBacktestFilter  *filter,
                       GError                     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) bourse_backtest_record_free);
  const char *strategy = NULL;
  int rc;

  g_return_val_if_fail (BOURSE_IS_BACKTESTS (self), NULL);
  g_return_val_if_fail (filter != NULL && filter->limit >= 1, NULL);

  if (filter->strategy != NULL)
    {
      strategy = bourse_strategy_resolve_id (filter->strategy);
      if (strategy == NULL)
        strategy = filter->strategy;
    }

  stmt = bourse_store_prepare (self->store,
                               "SELECT " RECORD_COLUMNS RECORD_FROM
                               " WHERE (?1 IS NULL OR b.strategy = ?1) AND (?2 IS NULL OR b.symbol = ?2) "
                               "AND (?3 <= 0 OR b.optimisation_id = ?3) AND (?4 <= 0 OR b.id < ?4) "
                               "ORDER BY b.id DESC LIMIT ?5", error);
  if (stmt == NULL)
    return NULL;
  if (strategy != NULL)
    sqlite3_bind_text (stmt, 1, strategy, -1, SQLITE_TRANSIENT);
  if (filter->symbol != NULL)
    sqlite3_bind_text (stmt, 2, filter->symbol, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, filter->optimisation_id);
  sqlite3_bind_int64 (stmt, 4, filter->before_id);
  sqlite3_bind_int64 (stmt, 5, filter->limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, read_record (stmt, FALSE));
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static BourseRecordHead
head_of (const BourseBacktestRecord *record)
{
  return (BourseRecordHead) {
    record->id, record->job_id, record->strategy, record->symbol, record->interval, record->status,
    record->created_by,
  };
}

/* The record, if @caller may change it. */
static BourseBacktestRecord *
find_own (BourseBacktests              *self,
          gint64                        id,
          const BourseBacktestsCaller  *caller,
          GError                      **error)
{
  g_autoptr(BourseBacktestRecord) record = load_record (self->store, id, FALSE, error);
  BourseRecordHead head;

  if (record == NULL)
    return NULL;
  head = head_of (record);
  if (!_bourse_record_table_check_owner (&record_table, &head, caller, error))
    return NULL;
  return g_steal_pointer (&record);
}

BourseBacktestRecord *
bourse_backtests_set_note (BourseBacktests              *self,
                           gint64                        id,
                           const char                   *note,
                           const BourseBacktestsCaller  *caller,
                           GError                      **error)
{
  g_autoptr(BourseBacktestRecord) record = NULL;
  BourseRecordHead head;

  g_return_val_if_fail (BOURSE_IS_BACKTESTS (self), NULL);
  g_return_val_if_fail (note != NULL && caller != NULL, NULL);

  if ((record = find_own (self, id, caller, error)) == NULL)
    return NULL;
  head = head_of (record);
  if (!_bourse_record_table_set_note (&record_table, self->store, self->auth, &head, note, caller, error))
    return NULL;
  publish (self, id);
  return load_record (self->store, id, FALSE, error);
}

gboolean
bourse_backtests_delete (BourseBacktests              *self,
                         gint64                        id,
                         const BourseBacktestsCaller  *caller,
                         GError                      **error)
{
  g_autoptr(BourseBacktestRecord) record = NULL;
  BourseRecordHead head;

  g_return_val_if_fail (BOURSE_IS_BACKTESTS (self), FALSE);
  g_return_val_if_fail (caller != NULL, FALSE);

  if ((record = find_own (self, id, caller, error)) == NULL)
    return FALSE;
  head = head_of (record);
  return _bourse_record_table_delete (&record_table, self->store, self->auth, self->bus, self->jobs, &head, caller,
                                      error);
}

JsonNode *
bourse_backtests_compare (BourseBacktests  *self,
                          const gint64     *ids,
                          guint             n_ids,
                          GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (BOURSE_IS_BACKTESTS (self), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

  if (n_ids < 2 || n_ids > BOURSE_BACKTEST_MAX_COMPARE)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "ids", _("Compare from 2 to %d backtests"),
                              BOURSE_BACKTEST_MAX_COMPARE);
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_ids; i++)
    {
      g_autoptr(BourseBacktestRecord) record = NULL;
      g_autoptr(GError) local_error = NULL;
      JsonObject *result, *metrics;

      if ((record = load_record (self->store, ids[i], TRUE, &local_error)) == NULL)
        {
          if (g_error_matches (local_error, BOURSE_ERROR, BOURSE_ERROR_NOT_FOUND))
            bourse_set_field_error (error, BOURSE_ERROR_INVALID, "ids",
                                    _("There is no backtest %" PRId64), (gint64) ids[i]);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      result = record->result != NULL && JSON_NODE_HOLDS_OBJECT (record->result)
                 ? json_node_get_object (record->result) : NULL;
      metrics = bourse_json_get_object (result, "metrics");
      if (record->status != BOURSE_JOB_SUCCEEDED || metrics == NULL)
        {
          bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "ids",
                                  _("Backtest %" PRId64 " has not succeeded (it is %s)"), (gint64) ids[i],
                                  bourse_job_status_to_string (record->status));
          return NULL;
        }

      json_builder_begin_object (builder);
      bourse_json_builder_add_int (builder, "id", record->id);
      bourse_json_builder_add_string (builder, "strategy", record->strategy);
      json_builder_set_member_name (builder, "params");
      if (bourse_json_get_object (record->request, "params") != NULL)
        json_builder_add_value (builder, json_node_copy (json_object_get_member (record->request, "params")));
      else
        json_builder_add_null_value (builder);
      bourse_json_builder_add_string (builder, "symbol", record->symbol);
      bourse_json_builder_add_string (builder, "interval", record->interval);
      bourse_json_builder_add_string (builder, "start", record->start);
      bourse_json_builder_add_string (builder, "end", record->end);
      json_builder_set_member_name (builder, "metrics");
      json_builder_add_value (builder, json_node_copy (json_object_get_member (result, "metrics")));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  /* The list's shape, though never more than one page. */
  bourse_json_builder_add_next_cursor (builder, FALSE, 0);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* }}} */
