/* desk/bourse-desk-recommendations.c — stored recommendations, and the analysis that makes them
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "market/bourse-download.h"

#include "bourse-desk-private.h"

#define DAY_MS G_GINT64_CONSTANT (86400000)

/* Names {{{ */

const char *
bourse_origin_to_string (BourseOrigin origin)
{
  switch (origin)
    {
    case BOURSE_ORIGIN_LIVE:     return "live";
    case BOURSE_ORIGIN_WEBHOOK:  return "webhook";
    case BOURSE_ORIGIN_ANALYSIS:
    default:                     return "analysis";
    }
}

gboolean
bourse_origin_parse (const char   *text,
                     BourseOrigin *origin)
{
  if (g_strcmp0 (text, "analysis") == 0)
    *origin = BOURSE_ORIGIN_ANALYSIS;
  else if (g_strcmp0 (text, "live") == 0)
    *origin = BOURSE_ORIGIN_LIVE;
  else if (g_strcmp0 (text, "webhook") == 0)
    *origin = BOURSE_ORIGIN_WEBHOOK;
  else
    return FALSE;
  return TRUE;
}

gboolean
bourse_decision_parse (const char     *text,
                       BourseDecision *decision)
{
  if (g_strcmp0 (text, "BUY") == 0)
    *decision = BOURSE_DECISION_BUY;
  else if (g_strcmp0 (text, "SELL") == 0)
    *decision = BOURSE_DECISION_SELL;
  else if (g_strcmp0 (text, "NO_TRADE") == 0)
    *decision = BOURSE_DECISION_NO_TRADE;
  else
    return FALSE;
  return TRUE;
}

/* }}} */

/* The record {{{ */

BourseRecommendation *
bourse_recommendation_new (void)
{
  BourseRecommendation *recommendation = g_new0 (BourseRecommendation, 1);

  recommendation->params = json_object_new ();
  recommendation->metrics = json_object_new ();
  return recommendation;
}

void
bourse_recommendation_free (BourseRecommendation *recommendation)
{
  if (recommendation == NULL)
    return;

  g_free (recommendation->symbol);
  g_free (recommendation->strategy);
  g_free (recommendation->strategy_version);
  g_clear_pointer (&recommendation->params, json_object_unref);
  g_free (recommendation->reason);
  g_clear_pointer (&recommendation->metrics, json_object_unref);
  g_free (recommendation->requester);
  g_free (recommendation->created_at);
  g_free (recommendation->created_by_name);
  g_free (recommendation->strategy_name);
  g_free (recommendation);
}

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

JsonNode *
bourse_recommendation_to_json (const BourseRecommendation *recommendation)
{
  JsonObject *object = json_object_new ();
  JsonObject *window = json_object_new ();
  g_autoptr(JsonNode) metrics = NULL;
  g_autofree char *strategy_name = NULL;
  BourseDecision decision;

  g_return_val_if_fail (recommendation != NULL, NULL);

  decision = recommendation->decision;
  json_object_set_int_member (object, "id", recommendation->id);
  json_object_set_string_member (object, "symbol", recommendation->symbol);
  json_object_set_string_member (object, "interval", bourse_interval_to_string (recommendation->interval));
  json_object_set_string_member (object, "strategy", recommendation->strategy);
  json_object_set_string_member (object, "strategy_version", recommendation->strategy_version);
  _bourse_desk_json_set_id (object, "strategy_id", recommendation->strategy_id);
  strategy_name = _bourse_desk_strategy_name (recommendation->strategy_name, recommendation->strategy);
  _bourse_desk_json_set_text (object, "strategy_name", strategy_name);
  json_object_set_string_member (object, "decision", bourse_decision_to_string (decision));
  _bourse_desk_json_set_level (object, "entry", decision, recommendation->entry);
  _bourse_desk_json_set_level (object, "stop_loss", decision, recommendation->stop_loss);
  _bourse_desk_json_set_level (object, "take_profit", decision, recommendation->take_profit);
  if (decision == BOURSE_DECISION_NO_TRADE)
    json_object_set_null_member (object, "risk_reward");
  else
    json_object_set_double_member (object, "risk_reward", _bourse_desk_json_double (recommendation->risk_reward));
  json_object_set_double_member (object, "confidence", _bourse_desk_json_double (recommendation->confidence));
  json_object_set_string_member (object, "reason", recommendation->reason ? recommendation->reason : "");

  /* Sanitised in place: harmless, and what is sent is valid JSON whatever
   * the model put there. */
  metrics = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (metrics, recommendation->metrics);
  _bourse_desk_sanitize_json (metrics);
  json_object_set_object_member (object, "metrics", json_object_ref (recommendation->metrics));
  json_object_set_object_member (object, "params", json_object_ref (recommendation->params));

  json_object_set_int_member (window, "start", recommendation->window_start);
  json_object_set_int_member (window, "end", recommendation->window_end);
  json_object_set_int_member (window, "candles", recommendation->window_candles);
  json_object_set_object_member (object, "window", window);

  _bourse_desk_json_set_id (object, "approval_id", recommendation->approval_id);
  json_object_set_string_member (object, "origin", bourse_origin_to_string (recommendation->origin));
  if (recommendation->origin == BOURSE_ORIGIN_WEBHOOK)
    _bourse_desk_json_set_id (object, "webhook_id", recommendation->webhook_id);
  json_object_set_boolean_member (object, "simulated", recommendation->simulated);
  _bourse_desk_json_set_id (object, "created_by", recommendation->created_by);
  _bourse_desk_json_set_text (object, "created_by_name", recommendation->created_by_name);
  json_object_set_string_member (object, "created_at", recommendation->created_at);

  return object_node (object);
}

/* }}} */

/* The store {{{ */

static void
bind_optional_int (sqlite3_stmt *stmt,
                   int           column,
                   gint64        value)
{
  if (value > 0)
    sqlite3_bind_int64 (stmt, column, value);
  else
    sqlite3_bind_null (stmt, column);
}

static void
bind_level (sqlite3_stmt   *stmt,
            int             column,
            BourseDecision  decision,
            BourseDecimal   value)
{
  if (decision == BOURSE_DECISION_NO_TRADE)
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_int64 (stmt, column, value.units);
}

/* The names a read finds in its query, for one made in memory: its
 * events carry what GET answers. */
static gboolean
read_names (BourseStore           *store,
            BourseRecommendation  *recommendation,
            GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = bourse_store_prepare (store,
                               "SELECT (SELECT username FROM users WHERE id = ?1), "
                               "COALESCE ((SELECT name FROM live_strategies WHERE id = ?2), "
                               "          (SELECT name FROM webhooks WHERE id = ?3))", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, recommendation->created_by);
  sqlite3_bind_int64 (stmt, 2, recommendation->strategy_id);
  sqlite3_bind_int64 (stmt, 3, recommendation->webhook_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  g_free (recommendation->created_by_name);
  recommendation->created_by_name = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  g_free (recommendation->strategy_name);
  recommendation->strategy_name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  return TRUE;
}

gboolean
bourse_recommendations_insert (BourseStore           *store,
                               BourseRecommendation  *recommendation,
                               GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *params = NULL;
  g_autofree char *metrics = NULL;
  g_autofree char *now = _bourse_desk_now_text ();
  BourseDecision decision = recommendation->decision;

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail (recommendation != NULL, FALSE);

  stmt = bourse_store_prepare (store,
                               "INSERT INTO recommendations (symbol, interval, strategy, strategy_version, "
                               "strategy_id, webhook_id, params, decision, entry, stop_loss, take_profit, "
                               "risk_reward, confidence, reason, metrics, window_start, window_end, "
                               "window_candles, origin, simulated, created_by, requester, created_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
                               "?17, ?18, ?19, ?20, ?21, ?22, ?23)", error);
  if (stmt == NULL)
    return FALSE;

  params = _bourse_desk_object_to_text (recommendation->params);
  metrics = _bourse_desk_object_to_text (recommendation->metrics);
  sqlite3_bind_text (stmt, 1, recommendation->symbol, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, bourse_interval_to_string (recommendation->interval), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, recommendation->strategy, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, recommendation->strategy_version ? recommendation->strategy_version : "1", -1,
                     SQLITE_STATIC);
  bind_optional_int (stmt, 5, recommendation->strategy_id);
  bind_optional_int (stmt, 6, recommendation->webhook_id);
  sqlite3_bind_text (stmt, 7, params, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, bourse_decision_to_string (decision), -1, SQLITE_STATIC);
  bind_level (stmt, 9, decision, recommendation->entry);
  bind_level (stmt, 10, decision, recommendation->stop_loss);
  bind_level (stmt, 11, decision, recommendation->take_profit);
  if (decision == BOURSE_DECISION_NO_TRADE)
    sqlite3_bind_null (stmt, 12);
  else
    sqlite3_bind_double (stmt, 12, recommendation->risk_reward);
  sqlite3_bind_double (stmt, 13, CLAMP (recommendation->confidence, 0.0, 1.0));
  sqlite3_bind_text (stmt, 14, recommendation->reason ? recommendation->reason : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 15, metrics, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 16, recommendation->window_start);
  sqlite3_bind_int64 (stmt, 17, recommendation->window_end);
  sqlite3_bind_int64 (stmt, 18, recommendation->window_candles);
  sqlite3_bind_text (stmt, 19, bourse_origin_to_string (recommendation->origin), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 20, recommendation->simulated ? 1 : 0);
  bind_optional_int (stmt, 21, recommendation->created_by);
  sqlite3_bind_text (stmt, 22, recommendation->requester ? recommendation->requester : "system", -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, 23, now, -1, SQLITE_STATIC);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }

  recommendation->id = sqlite3_last_insert_rowid (bourse_store_get_db (store));
  g_free (recommendation->created_at);
  recommendation->created_at = g_steal_pointer (&now);
  return read_names (store, recommendation, error);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *)sqlite3_column_text (stmt, column);
}

static BourseDecimal
column_decimal (sqlite3_stmt *stmt,
                int           column)
{
  return (BourseDecimal) { sqlite3_column_int64 (stmt, column) };
}

BourseRecommendation *
_bourse_recommendation_from_row (sqlite3_stmt *stmt,
                                 int           first)
{
  BourseRecommendation *recommendation = g_new0 (BourseRecommendation, 1);
  int c = first;

  recommendation->id = sqlite3_column_int64 (stmt, c++);
  recommendation->symbol = g_strdup (column_text (stmt, c++));
  if (!bourse_interval_parse (column_text (stmt, c++), &recommendation->interval, NULL))
    recommendation->interval = BOURSE_INTERVAL_1M;
  recommendation->strategy = g_strdup (column_text (stmt, c++));
  recommendation->strategy_version = g_strdup (column_text (stmt, c++));
  recommendation->strategy_id = sqlite3_column_int64 (stmt, c++);
  recommendation->webhook_id = sqlite3_column_int64 (stmt, c++);
  recommendation->params = _bourse_desk_object_from_text (column_text (stmt, c++));
  bourse_decision_parse (column_text (stmt, c++), &recommendation->decision);
  recommendation->entry = column_decimal (stmt, c++);
  recommendation->stop_loss = column_decimal (stmt, c++);
  recommendation->take_profit = column_decimal (stmt, c++);
  recommendation->risk_reward = sqlite3_column_double (stmt, c++);
  recommendation->confidence = sqlite3_column_double (stmt, c++);
  recommendation->reason = g_strdup (column_text (stmt, c++));
  recommendation->metrics = _bourse_desk_object_from_text (column_text (stmt, c++));
  recommendation->window_start = sqlite3_column_int64 (stmt, c++);
  recommendation->window_end = sqlite3_column_int64 (stmt, c++);
  recommendation->window_candles = sqlite3_column_int64 (stmt, c++);
  bourse_origin_parse (column_text (stmt, c++), &recommendation->origin);
  recommendation->simulated = sqlite3_column_int (stmt, c++) != 0;
  recommendation->created_by = sqlite3_column_int64 (stmt, c++);
  recommendation->requester = g_strdup (column_text (stmt, c++));
  recommendation->created_at = g_strdup (column_text (stmt, c++));
  recommendation->approval_id = sqlite3_column_int64 (stmt, c++);
  recommendation->created_by_name = g_strdup (column_text (stmt, c++));
  recommendation->strategy_name = g_strdup (column_text (stmt, c++));
  g_assert (c - first == BOURSE_RECOMMENDATION_N_COLUMNS);

  return recommendation;
}

BourseRecommendation *
bourse_recommendations_get (BourseStore  *store,
                            gint64        id,
                            GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);

  stmt = bourse_store_prepare (store,
                               "SELECT " BOURSE_RECOMMENDATION_COLUMNS " FROM recommendations r "
                               "LEFT JOIN approvals a ON a.recommendation_id = r.id WHERE r.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return _bourse_recommendation_from_row (stmt, 0);
  if (rc == SQLITE_DONE)
    g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_NOT_FOUND,
                 _("There is no recommendation %" PRId64), id);
  else
    bourse_store_set_error (store, error);
  return NULL;
}

GPtrArray *
bourse_recommendations_list (BourseStore                       *store,
                             const BourseRecommendationFilter  *filter,
                             GError                           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_recommendation_free);
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  stmt = bourse_store_prepare (store,
                               "SELECT " BOURSE_RECOMMENDATION_COLUMNS " FROM recommendations r "
                               "LEFT JOIN approvals a ON a.recommendation_id = r.id "
                               "WHERE (?1 IS NULL OR r.symbol = ?1) AND (?2 IS NULL OR r.strategy = ?2) "
                               "AND (?3 IS NULL OR r.decision = ?3) AND (?4 IS NULL OR r.origin = ?4) "
                               "AND (?5 = 0 OR r.id < ?5) ORDER BY r.id DESC LIMIT ?6", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, filter->symbol, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, filter->strategy, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, filter->decision, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, filter->origin, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, MAX (filter->before_id, 0));
  sqlite3_bind_int64 (stmt, 6, filter->limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, _bourse_recommendation_from_row (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* }}} */

/* Analysis {{{ */

typedef struct
{
  /* Set on the engine's context; the worker reads them. */
  BourseInstrument   *instrument;
  BourseInterval      interval;
  BourseStrategy     *strategy;
  JsonObject         *params;          /* resolved */
  gint64              start;           /* the window: [start, end) */
  gint64              end;
  const char         *range_field;     /* blamed for too few candles */
  guint               min_candles;
  BourseConfig       *config;          /* a copy: the worker may outlive the engine's */
  char               *db_path;
  BourseDeskWorkers  *workers;

  char               *actor;
  gint64              user_id;
  char               *client_address;
  char               *request_id;
  char               *user_agent;

  /* Set by the worker. */
  BourseSignal        signal;
  gint64              window_start;
  gint64              window_end;
  gint64              n_candles;
} Analysis;

static void
analysis_free (gpointer data)
{
  Analysis *analysis = data;

  g_clear_pointer (&analysis->instrument, bourse_instrument_free);
  g_clear_object (&analysis->strategy);
  g_clear_pointer (&analysis->params, json_object_unref);
  g_clear_object (&analysis->config);
  g_free (analysis->db_path);
  g_clear_pointer (&analysis->workers, _bourse_desk_workers_leave);
  g_free (analysis->actor);
  g_free (analysis->client_address);
  g_free (analysis->request_id);
  g_free (analysis->user_agent);
  bourse_signal_clear (&analysis->signal);
  g_free (analysis);
}

/* The shortest a candle of @interval can be: a count from it is an upper bound. */
static gint64
shortest_length (BourseInterval interval)
{
  switch (interval)
    {
    case BOURSE_INTERVAL_1W:  return 7 * DAY_MS;
    case BOURSE_INTERVAL_1MO: return 28 * DAY_MS;
    default:                  return bourse_interval_next (interval, 0);
    }
}

/* Everything that can be checked before any candle is read. */
static Analysis *
analysis_new (BourseDesk                  *self,
              const BourseAnalysisRequest *request,
              GError                     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *parameter = NULL;
  Analysis *analysis = g_new0 (Analysis, 1);
  const char *id;
  gint64 span, expected;

  analysis->instrument = request->symbol != NULL ? bourse_instruments_find (self->store, request->symbol, &local_error)
                                                 : NULL;
  if (analysis->instrument == NULL)
    {
      if (request->symbol == NULL)
        _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "symbol", _("“symbol” is required"));
      else if (g_error_matches (local_error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_NOT_FOUND))
        _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "symbol",
                                      _("There is no instrument “%s”"), request->symbol);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      goto fail;
    }

  if (request->interval == NULL || !bourse_interval_parse (request->interval, &analysis->interval, NULL))
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "interval",
                                    _("must be one of 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M"));
      goto fail;
    }

  if (request->strategy == NULL || (id = bourse_strategy_resolve_id (request->strategy)) == NULL
      || (analysis->strategy = bourse_strategy_lookup (id)) == NULL)
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "strategy",
                                    _("must be A, B, C or a strategy id (GET /api/v1/strategies/types)"));
      goto fail;
    }

  analysis->params = bourse_strategy_resolve_parameters (analysis->strategy, request->params, &parameter, &local_error);
  if (analysis->params == NULL)
    {
      g_autofree char *field = parameter ? g_strconcat ("params.", parameter, NULL) : g_strdup ("params");

      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, field, "%s", local_error->message);
      goto fail;
    }
  analysis->min_candles = bourse_strategy_get_min_candles (analysis->strategy, analysis->params);

  /* The window: the last n days up to now, or [start, end). */
  if (request->last_n_days != 0 || (!request->has_start && !request->has_end))
    {
      if (request->has_start || request->has_end)
        {
          _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "last_n_days",
                                        _("give either “last_n_days”, or “start” and “end”"));
          goto fail;
        }
      if (request->last_n_days < 1 || request->last_n_days > BOURSE_ANALYSIS_MAX_LAST_N_DAYS)
        {
          _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "last_n_days",
                                        _("must be a whole number of days from 1 to %d (or give “start” and “end”)"),
                                        BOURSE_ANALYSIS_MAX_LAST_N_DAYS);
          goto fail;
        }
      analysis->end = bourse_time_now_ms ();
      analysis->start = analysis->end - request->last_n_days * DAY_MS;
      analysis->range_field = "last_n_days";
    }
  else
    {
      if (!request->has_start || !request->has_end)
        {
          _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, request->has_start ? "end" : "start",
                                        _("is required with the other bound (or give “last_n_days”)"));
          goto fail;
        }
      if (request->start < BOURSE_TIME_MIN_MS || request->start > BOURSE_TIME_MAX_MS)
        {
          _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "start", _("is out of range"));
          goto fail;
        }
      if (request->end < BOURSE_TIME_MIN_MS || request->end > BOURSE_TIME_MAX_MS)
        {
          _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "end", _("is out of range"));
          goto fail;
        }
      if (request->start >= request->end)
        {
          _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "start", _("must be before “end”"));
          goto fail;
        }
      analysis->start = request->start;
      analysis->end = request->end;
      analysis->range_field = "start";
    }

  span = analysis->end - analysis->start;
  if (span > BOURSE_ANALYSIS_MAX_DAYS * DAY_MS)
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID,
                                    request->last_n_days ? "last_n_days" : "end",
                                    _("The window is longer than %d days"), BOURSE_ANALYSIS_MAX_DAYS);
      goto fail;
    }
  expected = (analysis->end - bourse_interval_align (analysis->interval, analysis->start))
             / shortest_length (analysis->interval);
  if (expected > BOURSE_ANALYSIS_MAX_CANDLES)
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID,
                                    request->last_n_days ? "last_n_days" : "end",
                                    _("The window holds up to %" PRId64 " candles of %s; at most %d are "
                                      "analysed: shorten it or take a longer interval"),
                                    expected, bourse_interval_to_string (analysis->interval),
                                    BOURSE_ANALYSIS_MAX_CANDLES);
      goto fail;
    }

  return analysis;

fail:
  analysis_free (analysis);
  return NULL;
}

/* In the worker thread: only the analysis and its own connections are touched. */
static gboolean
analysis_run (Analysis      *analysis,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(BourseStore) store = NULL;
  g_autoptr(GArray) candles = NULL;
  g_autoptr(BourseStrategyInput) input = NULL;
  gint64 now = bourse_time_now_ms ();

  /* What a Binance instrument lacks is fetched first (only the gaps). */
  if (g_strcmp0 (analysis->instrument->source, "binance") == 0 && analysis->start < now)
    {
      g_autoptr(BourseDownload) download = bourse_download_new (analysis->config, analysis->db_path,
                                                                analysis->instrument, analysis->interval,
                                                                analysis->start, MIN (analysis->end, now));
      g_autoptr(GError) local_error = NULL;

      if (!bourse_download_run (download, NULL, NULL, cancellable, NULL, &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_DOWNLOAD,
                         _("The missing candles of %s could not be downloaded: %s"),
                         analysis->instrument->symbol, local_error->message);
          return FALSE;
        }
    }

  if ((store = bourse_store_open_readonly (analysis->db_path, error)) == NULL)
    return FALSE;
  candles = _bourse_desk_read_candles (store, analysis->instrument->id, analysis->interval,
                                       analysis->start, analysis->end - 1, 0, error);
  if (candles == NULL)
    return FALSE;

  if (candles->len < analysis->min_candles)
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, analysis->range_field,
                                    _("The window holds %u closed candles of %s %s; strategy “%s” needs at "
                                      "least %u: widen it or take a shorter interval"),
                                    candles->len, analysis->instrument->symbol,
                                    bourse_interval_to_string (analysis->interval),
                                    bourse_strategy_get_id (analysis->strategy), analysis->min_candles);
      return FALSE;
    }

  input = bourse_strategy_input_new_from_candles ((const BourseCandle *)(gpointer)candles->data, candles->len,
                                                  analysis->interval, analysis->instrument->tick_size);
  analysis->window_start = g_array_index (candles, BourseCandle, 0).open_time;
  analysis->window_end = g_array_index (candles, BourseCandle, candles->len - 1).open_time;
  analysis->n_candles = candles->len;
  return bourse_strategy_evaluate (analysis->strategy, input, analysis->params, &analysis->signal, error);
}

static void
analysis_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Analysis *analysis = task_data;
  BourseDeskWorkers *workers = g_steal_pointer (&analysis->workers);
  GError *error = NULL;

  if (analysis_run (analysis, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);

  /* Last: stopping the desk waits for this. */
  _bourse_desk_workers_leave (workers);
}

static BourseRecommendation *
recommendation_from_analysis (Analysis *analysis)
{
  BourseRecommendation *recommendation = bourse_recommendation_new ();
  const BourseSignal *signal = &analysis->signal;

  recommendation->symbol = g_strdup (analysis->instrument->symbol);
  recommendation->interval = analysis->interval;
  recommendation->strategy = g_strdup (bourse_strategy_get_id (analysis->strategy));
  recommendation->strategy_version = g_strdup (bourse_strategy_get_version (analysis->strategy));
  json_object_unref (recommendation->params);
  recommendation->params = json_object_ref (analysis->params);
  recommendation->decision = signal->decision;
  recommendation->entry = signal->entry;
  recommendation->stop_loss = signal->stop_loss;
  recommendation->take_profit = signal->take_profit;
  recommendation->risk_reward = signal->risk_reward;
  recommendation->confidence = signal->confidence;
  recommendation->reason = g_strdup (signal->reason);
  if (signal->metrics != NULL)
    {
      json_object_unref (recommendation->metrics);
      recommendation->metrics = json_object_ref (signal->metrics);
    }
  recommendation->window_start = analysis->window_start;
  recommendation->window_end = analysis->window_end;
  recommendation->window_candles = analysis->n_candles;
  recommendation->origin = BOURSE_ORIGIN_ANALYSIS;
  recommendation->simulated = g_strcmp0 (analysis->instrument->source, "simulated") == 0;
  recommendation->created_by = analysis->user_id;
  recommendation->requester = g_strdup (analysis->actor);
  return recommendation;
}

/* Back on the engine's context: store, audit, publish. */
static void
analysis_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BourseDesk *self = BOURSE_DESK (object);
  g_autoptr(GTask) task = user_data;
  Analysis *analysis = g_task_get_task_data (G_TASK (result));
  g_autoptr(BourseRecommendation) recommendation = NULL;
  g_autoptr(BourseDeskEvents) events = NULL;
  g_autoptr(GError) error = NULL;
  BourseAuthContext context = { analysis->client_address, analysis->request_id, analysis->user_agent };
  BourseDeskCaller caller = { analysis->actor, analysis->user_id, &context };

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_new_error (task, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_STOPPED, _("The engine is stopping"));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->stopped)
    {
      g_task_return_new_error (task, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_STOPPED, _("The engine is stopping"));
      return;
    }

  recommendation = recommendation_from_analysis (analysis);
  events = _bourse_desk_events_new ();
  if (!bourse_store_begin (self->store, &error)
      || !_bourse_desk_open_recommendation (self, recommendation, BOURSE_POLICY_MANUAL, &caller, events, &error)
      || !bourse_store_commit (self->store, &error))
    {
      bourse_store_rollback (self->store);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  _bourse_desk_publish (self, events);
  g_task_return_pointer (task, g_steal_pointer (&recommendation), (GDestroyNotify)bourse_recommendation_free);
}

void
bourse_desk_analyse_async (BourseDesk                  *self,
                           const BourseAnalysisRequest *request,
                           const BourseDeskCaller      *caller,
                           GCancellable                *cancellable,
                           GAsyncReadyCallback          callback,
                           gpointer                     user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GError) error = NULL;
  Analysis *analysis;

  g_return_if_fail (BOURSE_IS_DESK (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (caller != NULL && caller->actor != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_desk_analyse_async);

  if (self->stopped)
    {
      g_task_return_new_error (task, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_STOPPED, _("The engine is stopping"));
      return;
    }
  if ((analysis = analysis_new (self, request, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  analysis->config = bourse_config_copy (self->config);
  analysis->db_path = g_strdup (self->db_path);
  analysis->actor = g_strdup (caller->actor);
  analysis->user_id = caller->user_id;
  if (caller->context != NULL)
    {
      analysis->client_address = g_strdup (caller->context->client_address);
      analysis->request_id = g_strdup (caller->context->request_id);
      analysis->user_agent = g_strdup (caller->context->user_agent);
    }
  analysis->workers = _bourse_desk_workers_enter (self);

  worker = g_task_new (self, self->cancellable, analysis_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, analysis_thread);
  g_task_set_task_data (worker, analysis, analysis_free);
  g_task_run_in_thread (worker, analysis_thread);
}

BourseRecommendation *
bourse_desk_analyse_finish (BourseDesk    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (BOURSE_IS_DESK (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */
