/* desk/bourse-desk-live.c — configured strategies, their evaluation on closed candles, signals
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "bourse-desk-private.h"
#include "desk/bourse-desk-models.h"

#define NAME_MAX_CHARS 100

/* Helpers {{{ */

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *)sqlite3_column_text (stmt, column);
}

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

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

/* }}} */

/* Live strategies in the store {{{ */

#define STRATEGY_COLUMNS \
  "id, name, strategy, symbol, interval, params, policy, enabled, model_id, created_by, " \
  "created_at, updated_at, last_signal_at"

void
bourse_live_strategy_free (BourseLiveStrategy *strategy)
{
  if (strategy == NULL)
    return;

  g_free (strategy->name);
  g_free (strategy->strategy);
  g_free (strategy->symbol);
  g_clear_pointer (&strategy->params, json_object_unref);
  g_free (strategy->created_at);
  g_free (strategy->updated_at);
  g_free (strategy->last_signal_at);
  g_free (strategy);
}

JsonNode *
bourse_live_strategy_to_json (const BourseLiveStrategy *strategy)
{
  JsonObject *object = json_object_new ();

  g_return_val_if_fail (strategy != NULL, NULL);

  json_object_set_int_member (object, "id", strategy->id);
  json_object_set_string_member (object, "name", strategy->name);
  json_object_set_string_member (object, "strategy", strategy->strategy);
  json_object_set_string_member (object, "symbol", strategy->symbol);
  json_object_set_string_member (object, "interval", bourse_interval_to_string (strategy->interval));
  json_object_set_object_member (object, "params",
                                 strategy->params ? json_object_ref (strategy->params) : json_object_new ());
  json_object_set_string_member (object, "policy", bourse_approval_policy_to_string (strategy->policy));
  json_object_set_boolean_member (object, "enabled", strategy->enabled);
  _bourse_desk_json_set_id (object, "model_id", strategy->model_id);
  _bourse_desk_json_set_id (object, "created_by", strategy->created_by);
  json_object_set_string_member (object, "created_at", strategy->created_at);
  json_object_set_string_member (object, "updated_at", strategy->updated_at);
  _bourse_desk_json_set_text (object, "last_signal_at", strategy->last_signal_at);
  return object_node (object);
}

static BourseLiveStrategy *
strategy_from_row (sqlite3_stmt *stmt)
{
  BourseLiveStrategy *strategy = g_new0 (BourseLiveStrategy, 1);

  strategy->id = sqlite3_column_int64 (stmt, 0);
  strategy->name = g_strdup (column_text (stmt, 1));
  strategy->strategy = g_strdup (column_text (stmt, 2));
  strategy->symbol = g_strdup (column_text (stmt, 3));
  if (!bourse_interval_parse (column_text (stmt, 4), &strategy->interval, NULL))
    strategy->interval = BOURSE_INTERVAL_1M;
  strategy->params = _bourse_desk_object_from_text (column_text (stmt, 5));
  bourse_approval_policy_parse (column_text (stmt, 6), &strategy->policy);
  strategy->enabled = sqlite3_column_int (stmt, 7) != 0;
  strategy->model_id = sqlite3_column_int64 (stmt, 8);
  strategy->created_by = sqlite3_column_int64 (stmt, 9);
  strategy->created_at = g_strdup (column_text (stmt, 10));
  strategy->updated_at = g_strdup (column_text (stmt, 11));
  strategy->last_signal_at = g_strdup (column_text (stmt, 12));
  return strategy;
}

BourseLiveStrategy *
bourse_live_strategies_get (BourseStore  *store,
                            gint64        id,
                            GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);

  stmt = bourse_store_prepare (store, "SELECT " STRATEGY_COLUMNS " FROM live_strategies WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return strategy_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_NOT_FOUND, _("There is no live strategy %" PRId64), id);
  else
    bourse_store_set_error (store, error);
  return NULL;
}

static GPtrArray *
strategies_from (BourseStore   *store,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_live_strategy_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, strategy_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

GPtrArray *
bourse_live_strategies_list (BourseStore  *store,
                             gint64        before_id,
                             guint         limit,
                             GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);

  stmt = bourse_store_prepare (store,
                               "SELECT " STRATEGY_COLUMNS " FROM live_strategies "
                               "WHERE ?1 = 0 OR id < ?1 ORDER BY id DESC LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, MAX (before_id, 0));
  sqlite3_bind_int64 (stmt, 2, limit);
  return strategies_from (store, stmt, error);
}

/* Those that evaluate on a closed candle of (symbol, interval). */
static GPtrArray *
list_enabled (BourseStore     *store,
              const char      *symbol,
              BourseInterval   interval,
              GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = bourse_store_prepare (store,
                               "SELECT " STRATEGY_COLUMNS " FROM live_strategies "
                               "WHERE symbol = ?1 AND interval = ?2 AND enabled = 1 ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, symbol, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, bourse_interval_to_string (interval), -1, SQLITE_STATIC);
  return strategies_from (store, stmt, error);
}

static gboolean
write_strategy (BourseStore         *store,
                BourseLiveStrategy  *strategy,
                gboolean             insert,
                GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *params = _bourse_desk_object_to_text (strategy->params);
  g_autofree char *now = _bourse_desk_now_text ();

  stmt = bourse_store_prepare (store,
                               insert
                                 ? "INSERT INTO live_strategies (name, strategy, symbol, interval, params, policy, "
                                   "enabled, created_by, created_at, updated_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)"
                                 : "UPDATE live_strategies SET name = ?1, strategy = ?2, symbol = ?3, interval = ?4, "
                                   "params = ?5, policy = ?6, enabled = ?7, updated_at = ?9 WHERE id = ?10",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, strategy->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, strategy->strategy, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, strategy->symbol, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, bourse_interval_to_string (strategy->interval), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, params, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, bourse_approval_policy_to_string (strategy->policy), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 7, strategy->enabled ? 1 : 0);
  if (insert)
    bind_optional_int (stmt, 8, strategy->created_by);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_STATIC);
  if (!insert)
    sqlite3_bind_int64 (stmt, 10, strategy->id);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  if (insert)
    strategy->id = sqlite3_last_insert_rowid (bourse_store_get_db (store));
  return TRUE;
}

/* }}} */

/* Create, update, delete {{{ */

/* The type, instrument, interval, parameters and policy of @strategy,
 * each a 422 naming its field. @spec's params replace the stored ones
 * when given, or when the type changed. */
static gboolean
apply_spec (BourseDesk                    *self,
            BourseLiveStrategy            *strategy,
            const BourseLiveStrategySpec  *spec,
            gboolean                       create,
            GError                       **error)
{
  g_autoptr(BourseStrategy) type = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *parameter = NULL;
  JsonObject *resolved;
  gboolean type_changed = FALSE;

  if (spec->name != NULL || create)
    {
      glong length = spec->name ? g_utf8_strlen (spec->name, -1) : 0;

      if (length < 1 || length > NAME_MAX_CHARS)
        {
          _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "name",
                                        _("must be 1 to %d characters"), NAME_MAX_CHARS);
          return FALSE;
        }
      g_free (strategy->name);
      strategy->name = g_strdup (spec->name);
    }

  if (spec->strategy != NULL || create)
    {
      const char *id = spec->strategy ? bourse_strategy_resolve_id (spec->strategy) : NULL;

      if (id == NULL)
        {
          _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "strategy",
                                        _("must be A, B, C or a strategy id (GET /api/v1/strategies/types)"));
          return FALSE;
        }
      type_changed = g_strcmp0 (strategy->strategy, id) != 0;
      g_free (strategy->strategy);
      strategy->strategy = g_strdup (id);
    }

  if (spec->symbol != NULL || create)
    {
      g_autoptr(BourseInstrument) instrument = NULL;

      if (spec->symbol == NULL)
        {
          _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "symbol", _("“symbol” is required"));
          return FALSE;
        }
      instrument = bourse_instruments_find (self->store, spec->symbol, &local_error);
      if (instrument == NULL)
        {
          if (g_error_matches (local_error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_NOT_FOUND))
            _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "symbol",
                                          _("There is no instrument “%s”"), spec->symbol);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_free (strategy->symbol);
      strategy->symbol = g_strdup (instrument->symbol);
    }

  if (spec->interval != NULL || create)
    {
      if (spec->interval == NULL || !bourse_interval_parse (spec->interval, &strategy->interval, NULL))
        {
          _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "interval",
                                        _("must be one of 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M"));
          return FALSE;
        }
    }

  if (spec->has_params || type_changed || create)
    {
      type = bourse_strategy_lookup (strategy->strategy);
      resolved = bourse_strategy_resolve_parameters (type, spec->has_params ? spec->params : NULL,
                                                     &parameter, &local_error);
      if (resolved == NULL)
        {
          g_autofree char *field = parameter ? g_strconcat ("params.", parameter, NULL) : g_strdup ("params");

          _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, field, "%s", local_error->message);
          return FALSE;
        }
      g_clear_pointer (&strategy->params, json_object_unref);
      strategy->params = resolved;
    }

  if (spec->policy != NULL)
    {
      if (!bourse_approval_policy_parse (spec->policy, &strategy->policy))
        {
          _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "policy",
                                        _("must be “manual”, “auto-paper” or “notify-only”"));
          return FALSE;
        }
    }
  else if (create)
    strategy->policy = BOURSE_POLICY_MANUAL;

  if (spec->has_enabled)
    strategy->enabled = spec->enabled;
  else if (create)
    strategy->enabled = TRUE;

  return TRUE;
}

static gboolean
audit_strategy (BourseDesk               *self,
                const BourseDeskCaller   *caller,
                const char               *action,
                const BourseLiveStrategy *strategy,
                GError                  **error)
{
  g_autofree char *target = g_strdup_printf ("strategy:%" G_GINT64_FORMAT, strategy->id);
  g_autoptr(JsonNode) details = bourse_live_strategy_to_json (strategy);

  return _bourse_desk_audit (self, caller, action, target, details, error);
}

void
_bourse_desk_publish_strategy (BourseDesk               *self,
                               gint64                    id,
                               const BourseLiveStrategy *strategy)
{
  g_autoptr(JsonNode) node = NULL;

  if (self->bus == NULL)
    return;

  if (strategy != NULL)
    node = bourse_live_strategy_to_json (strategy);
  else
    {
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "id", id);
      json_object_set_boolean_member (object, "deleted", TRUE);
      node = json_node_init_object (json_node_alloc (), object);
      json_object_unref (object);
    }
  bourse_event_bus_publish (self->bus, "strategies", node);
}

/* Writes, audits and commits; returns the strategy as stored. */
static BourseLiveStrategy *
store_strategy (BourseDesk             *self,
                BourseLiveStrategy     *strategy,
                gboolean                insert,
                const BourseDeskCaller *caller,
                GError                **error)
{
  BourseLiveStrategy *stored;

  if (!bourse_store_begin (self->store, error))
    return NULL;
  if (!write_strategy (self->store, strategy, insert, error)
      || (stored = bourse_live_strategies_get (self->store, strategy->id, error)) == NULL)
    {
      bourse_store_rollback (self->store);
      return NULL;
    }
  if (!audit_strategy (self, caller, insert ? "strategy.create" : "strategy.update", stored, error)
      || !bourse_store_commit (self->store, error))
    {
      bourse_store_rollback (self->store);
      bourse_live_strategy_free (stored);
      return NULL;
    }
  _bourse_desk_live_refresh (self);
  _bourse_desk_publish_strategy (self, stored->id, stored);
  return stored;
}

static gboolean
check_running (BourseDesk  *self,
               GError     **error)
{
  if (self->stopped)
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_STOPPED, _("The engine is stopping"));
      return FALSE;
    }
  return TRUE;
}

BourseLiveStrategy *
bourse_desk_create_strategy (BourseDesk                   *self,
                             const BourseLiveStrategySpec *spec,
                             const BourseDeskCaller       *caller,
                             GError                      **error)
{
  g_autoptr(BourseLiveStrategy) strategy = g_new0 (BourseLiveStrategy, 1);

  g_return_val_if_fail (BOURSE_IS_DESK (self), NULL);
  g_return_val_if_fail (spec != NULL && caller != NULL, NULL);

  if (!check_running (self, error) || !apply_spec (self, strategy, spec, TRUE, error))
    return NULL;
  strategy->created_by = caller->user_id;
  return store_strategy (self, strategy, TRUE, caller, error);
}

BourseLiveStrategy *
bourse_desk_update_strategy (BourseDesk                   *self,
                             gint64                        id,
                             const BourseLiveStrategySpec *spec,
                             const BourseDeskCaller       *caller,
                             GError                      **error)
{
  g_autoptr(BourseLiveStrategy) strategy = NULL;

  g_return_val_if_fail (BOURSE_IS_DESK (self), NULL);
  g_return_val_if_fail (spec != NULL && caller != NULL, NULL);

  if (!check_running (self, error)
      || (strategy = bourse_live_strategies_get (self->store, id, error)) == NULL
      || !apply_spec (self, strategy, spec, FALSE, error))
    return NULL;
  return store_strategy (self, strategy, FALSE, caller, error);
}

gboolean
bourse_desk_delete_strategy (BourseDesk             *self,
                             gint64                  id,
                             const BourseDeskCaller *caller,
                             GError                **error)
{
  g_autoptr(BourseLiveStrategy) strategy = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BOURSE_IS_DESK (self), FALSE);
  g_return_val_if_fail (caller != NULL, FALSE);

  if (!check_running (self, error) || !bourse_store_begin (self->store, error))
    return FALSE;
  if ((strategy = bourse_live_strategies_get (self->store, id, error)) == NULL
      || (stmt = bourse_store_prepare (self->store, "DELETE FROM live_strategies WHERE id = ?1", error)) == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      goto fail;
    }
  if (!audit_strategy (self, caller, "strategy.delete", strategy, error)
      || !bourse_store_commit (self->store, error))
    goto fail;
  _bourse_desk_live_refresh (self);
  _bourse_desk_publish_strategy (self, id, NULL);
  return TRUE;

fail:
  bourse_store_rollback (self->store);
  return FALSE;
}

/* }}} */

/* Signals in the store {{{ */

#define SIGNAL_COLUMNS \
  "id, strategy_id, strategy, symbol, interval, decision, entry, stop_loss, take_profit, risk_reward, " \
  "confidence, reason, metrics, candle_time, recommendation_id, created_at, " \
  "(SELECT s.name FROM live_strategies s WHERE s.id = signals.strategy_id)"

void
bourse_signal_record_free (BourseSignalRecord *signal)
{
  if (signal == NULL)
    return;

  g_free (signal->strategy);
  g_free (signal->symbol);
  g_free (signal->reason);
  g_clear_pointer (&signal->metrics, json_object_unref);
  g_free (signal->created_at);
  g_free (signal->strategy_name);
  g_free (signal);
}

JsonNode *
bourse_signal_record_to_json (const BourseSignalRecord *signal)
{
  JsonObject *object = json_object_new ();
  g_autoptr(JsonNode) metrics = NULL;
  g_autofree char *strategy_name = NULL;

  g_return_val_if_fail (signal != NULL, NULL);

  json_object_set_int_member (object, "id", signal->id);
  _bourse_desk_json_set_id (object, "strategy_id", signal->strategy_id);
  json_object_set_string_member (object, "strategy", signal->strategy);
  strategy_name = _bourse_desk_strategy_name (signal->strategy_name, signal->strategy);
  _bourse_desk_json_set_text (object, "strategy_name", strategy_name);
  json_object_set_string_member (object, "symbol", signal->symbol);
  json_object_set_string_member (object, "interval", bourse_interval_to_string (signal->interval));
  json_object_set_string_member (object, "decision", bourse_decision_to_string (signal->decision));
  _bourse_desk_json_set_level (object, "entry", signal->decision, signal->entry);
  _bourse_desk_json_set_level (object, "stop_loss", signal->decision, signal->stop_loss);
  _bourse_desk_json_set_level (object, "take_profit", signal->decision, signal->take_profit);
  if (signal->decision == BOURSE_DECISION_NO_TRADE)
    json_object_set_null_member (object, "risk_reward");
  else
    json_object_set_double_member (object, "risk_reward", _bourse_desk_json_double (signal->risk_reward));
  json_object_set_double_member (object, "confidence", _bourse_desk_json_double (signal->confidence));
  json_object_set_string_member (object, "reason", signal->reason ? signal->reason : "");
  metrics = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (metrics, signal->metrics);
  _bourse_desk_sanitize_json (metrics);
  json_object_set_object_member (object, "metrics", json_object_ref (signal->metrics));
  json_object_set_int_member (object, "candle_time", signal->candle_time);
  _bourse_desk_json_set_id (object, "recommendation_id", signal->recommendation_id);
  json_object_set_string_member (object, "created_at", signal->created_at);
  return object_node (object);
}

static BourseSignalRecord *
signal_from_row (sqlite3_stmt *stmt)
{
  BourseSignalRecord *signal = g_new0 (BourseSignalRecord, 1);

  signal->id = sqlite3_column_int64 (stmt, 0);
  signal->strategy_id = sqlite3_column_int64 (stmt, 1);
  signal->strategy = g_strdup (column_text (stmt, 2));
  signal->symbol = g_strdup (column_text (stmt, 3));
  if (!bourse_interval_parse (column_text (stmt, 4), &signal->interval, NULL))
    signal->interval = BOURSE_INTERVAL_1M;
  bourse_decision_parse (column_text (stmt, 5), &signal->decision);
  signal->entry.units = sqlite3_column_int64 (stmt, 6);
  signal->stop_loss.units = sqlite3_column_int64 (stmt, 7);
  signal->take_profit.units = sqlite3_column_int64 (stmt, 8);
  signal->risk_reward = sqlite3_column_double (stmt, 9);
  signal->confidence = sqlite3_column_double (stmt, 10);
  signal->reason = g_strdup (column_text (stmt, 11));
  signal->metrics = _bourse_desk_object_from_text (column_text (stmt, 12));
  signal->candle_time = sqlite3_column_int64 (stmt, 13);
  signal->recommendation_id = sqlite3_column_int64 (stmt, 14);
  signal->created_at = g_strdup (column_text (stmt, 15));
  signal->strategy_name = g_strdup (column_text (stmt, 16));
  return signal;
}

BourseSignalRecord *
bourse_signals_get (BourseStore  *store,
                    gint64        id,
                    GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);

  stmt = bourse_store_prepare (store, "SELECT " SIGNAL_COLUMNS " FROM signals WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return signal_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_NOT_FOUND, _("There is no signal %" PRId64), id);
  else
    bourse_store_set_error (store, error);
  return NULL;
}

/* A JSON array of the filter's values, for json_each (); NULL for any. */
static char *
strings_to_json (GPtrArray *values)
{
  g_autoptr(JsonArray) array = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (values == NULL)
    return NULL;
  array = json_array_new ();
  for (guint i = 0; i < values->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (values, i));
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, array);
  return json_to_string (node, FALSE);
}

static char *
ids_to_json (GArray *values)
{
  g_autoptr(JsonArray) array = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (values == NULL)
    return NULL;
  array = json_array_new ();
  for (guint i = 0; i < values->len; i++)
    json_array_add_int_element (array, g_array_index (values, gint64, i));
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, array);
  return json_to_string (node, FALSE);
}

GPtrArray *
bourse_signals_list (BourseStore               *store,
                     const BourseSignalFilter  *filter,
                     GError                   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_signal_record_free);
  g_autofree char *strategy_ids = NULL;
  g_autofree char *symbols = NULL;
  g_autofree char *decisions = NULL;
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  /* Bound parameters all the way: the lists travel as JSON arrays. */
  stmt = bourse_store_prepare (store,
                               "SELECT " SIGNAL_COLUMNS " FROM signals "
                               "WHERE (?1 IS NULL OR strategy_id IN (SELECT value FROM json_each (?1))) "
                               "AND (?2 IS NULL OR symbol IN (SELECT value FROM json_each (?2))) "
                               "AND (?3 IS NULL OR decision IN (SELECT value FROM json_each (?3))) "
                               "AND candle_time >= ?4 AND candle_time < ?5 AND (?6 = 0 OR id < ?6) "
                               "ORDER BY id DESC LIMIT ?7", error);
  if (stmt == NULL)
    return NULL;
  strategy_ids = ids_to_json (filter->strategy_ids);
  symbols = strings_to_json (filter->symbols);
  decisions = strings_to_json (filter->decisions);
  sqlite3_bind_text (stmt, 1, strategy_ids, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, symbols, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, decisions, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, filter->since);
  sqlite3_bind_int64 (stmt, 5, filter->until);
  sqlite3_bind_int64 (stmt, 6, MAX (filter->before_id, 0));
  sqlite3_bind_int64 (stmt, 7, filter->limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, signal_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gboolean
insert_signal (BourseStore         *store,
               BourseSignalRecord  *signal,
               GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *metrics = _bourse_desk_object_to_text (signal->metrics);
  gboolean trade = signal->decision != BOURSE_DECISION_NO_TRADE;

  stmt = bourse_store_prepare (store,
                               "INSERT INTO signals (strategy_id, strategy, symbol, interval, decision, entry, "
                               "stop_loss, take_profit, risk_reward, confidence, reason, metrics, candle_time, "
                               "recommendation_id, created_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)", error);
  if (stmt == NULL)
    return FALSE;
  bind_optional_int (stmt, 1, signal->strategy_id);
  sqlite3_bind_text (stmt, 2, signal->strategy, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, signal->symbol, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, bourse_interval_to_string (signal->interval), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, bourse_decision_to_string (signal->decision), -1, SQLITE_STATIC);
  if (trade)
    {
      sqlite3_bind_int64 (stmt, 6, signal->entry.units);
      sqlite3_bind_int64 (stmt, 7, signal->stop_loss.units);
      sqlite3_bind_int64 (stmt, 8, signal->take_profit.units);
      sqlite3_bind_double (stmt, 9, signal->risk_reward);
    }
  sqlite3_bind_double (stmt, 10, CLAMP (signal->confidence, 0.0, 1.0));
  sqlite3_bind_text (stmt, 11, signal->reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, metrics, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 13, signal->candle_time);
  bind_optional_int (stmt, 14, signal->recommendation_id);
  sqlite3_bind_text (stmt, 15, signal->created_at, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  signal->id = sqlite3_last_insert_rowid (bourse_store_get_db (store));
  return TRUE;
}

static gboolean
touch_strategy (BourseStore  *store,
                gint64        id,
                const char   *now,
                GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = bourse_store_prepare (store, "UPDATE live_strategies SET last_signal_at = ?1 WHERE id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  return TRUE;
}

/* }}} */

/* Evaluation on closed candles {{{ */

/* A strategy with an evaluation in flight; a candle that closes meanwhile
 * is remembered (the newest only) and evaluated next. */
typedef struct
{
  gint64 next_candle;     /* 0: none waiting */
} LiveRun;

typedef struct
{
  gint64               strategy_id;
  BourseStrategy      *strategy;
  JsonObject          *params;
  BourseStrategyInput *input;
  char                *symbol;
  BourseInterval       interval;
  gint64               candle_time;
  gint64               window_start;
  gboolean             simulated;
  BourseDeskWorkers   *workers;
  BourseSignal         signal;
} LiveJob;

static void
live_job_free (gpointer data)
{
  LiveJob *job = data;

  g_clear_object (&job->strategy);
  g_clear_pointer (&job->params, json_object_unref);
  g_clear_pointer (&job->input, bourse_strategy_input_free);
  g_free (job->symbol);
  g_clear_pointer (&job->workers, _bourse_desk_workers_leave);
  bourse_signal_clear (&job->signal);
  g_free (job);
}

/* In a worker thread: a Kalman fit by maximum likelihood must not hold up
 * the engine's context. Only the job's own copies are touched. */
static void
live_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LiveJob *job = task_data;
  BourseDeskWorkers *workers = g_steal_pointer (&job->workers);
  GError *error = NULL;

  if (bourse_strategy_evaluate (job->strategy, job->input, job->params, &job->signal, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);

  _bourse_desk_workers_leave (workers);
}

static void live_evaluate (BourseDesk               *self,
                           const BourseLiveStrategy *strategy,
                           const BourseInstrument   *instrument,
                           gint64                    candle_time);

static BourseRecommendation *
recommendation_from_job (LiveJob                  *job,
                         const BourseLiveStrategy *strategy)
{
  BourseRecommendation *recommendation = bourse_recommendation_new ();
  const BourseSignal *signal = &job->signal;

  recommendation->symbol = g_strdup (job->symbol);
  recommendation->interval = job->interval;
  recommendation->strategy = g_strdup (bourse_strategy_get_id (job->strategy));
  recommendation->strategy_version = g_strdup (bourse_strategy_get_version (job->strategy));
  recommendation->strategy_id = job->strategy_id;
  json_object_unref (recommendation->params);
  recommendation->params = json_object_ref (job->params);
  recommendation->decision = signal->decision;
  recommendation->entry = signal->entry;
  recommendation->stop_loss = signal->stop_loss;
  recommendation->take_profit = signal->take_profit;
  recommendation->risk_reward = signal->risk_reward;
  recommendation->confidence = signal->confidence;
  recommendation->reason = g_strdup (signal->reason);
  json_object_unref (recommendation->metrics);
  recommendation->metrics = json_object_ref (signal->metrics);
  recommendation->window_start = job->window_start;
  recommendation->window_end = job->candle_time;
  recommendation->window_candles = job->input->n_candles;
  recommendation->origin = BOURSE_ORIGIN_LIVE;
  recommendation->simulated = job->simulated;
  recommendation->created_by = strategy->created_by;
  recommendation->requester = g_strdup ("system");
  return recommendation;
}

/* On the engine's context: the signal, and for a BUY or SELL its
 * recommendation under the strategy's policy, in one transaction. */
static gboolean
store_result (BourseDesk  *self,
              LiveJob     *job,
              GError     **error)
{
  g_autoptr(BourseLiveStrategy) strategy = NULL;
  g_autoptr(BourseRecommendation) recommendation = NULL;
  g_autoptr(BourseSignalRecord) record = g_new0 (BourseSignalRecord, 1);
  g_autoptr(BourseDeskEvents) events = _bourse_desk_events_new ();
  g_autoptr(GError) local_error = NULL;
  const BourseSignal *signal = &job->signal;

  /* Changed while it was evaluated: a deleted or disabled strategy says
   * nothing more. */
  strategy = bourse_live_strategies_get (self->store, job->strategy_id, &local_error);
  if (strategy == NULL || !strategy->enabled)
    return TRUE;

  record->strategy_id = job->strategy_id;
  record->strategy = g_strdup (bourse_strategy_get_id (job->strategy));
  record->symbol = g_strdup (job->symbol);
  record->interval = job->interval;
  record->decision = signal->decision;
  record->entry = signal->entry;
  record->stop_loss = signal->stop_loss;
  record->take_profit = signal->take_profit;
  record->risk_reward = signal->risk_reward;
  record->confidence = signal->confidence;
  record->reason = g_strdup (signal->reason);
  record->metrics = json_object_ref (signal->metrics);
  record->candle_time = job->candle_time;
  record->created_at = _bourse_desk_now_text ();
  record->strategy_name = g_strdup (strategy->name);

  if (!bourse_store_begin (self->store, error))
    return FALSE;
  if (signal->decision != BOURSE_DECISION_NO_TRADE)
    {
      /* The engine asks on behalf of the strategy's owner: under the
       * four-eyes rule the owner does not approve it. */
      BourseDeskCaller caller = { "system", strategy->created_by, NULL };

      recommendation = recommendation_from_job (job, strategy);
      if (!_bourse_desk_open_recommendation (self, recommendation, strategy->policy, &caller, events, error))
        goto fail;
      record->recommendation_id = recommendation->id;
    }
  if (!insert_signal (self->store, record, error)
      || !touch_strategy (self->store, job->strategy_id, record->created_at, error)
      || !bourse_store_commit (self->store, error))
    goto fail;

  _bourse_desk_events_add (events, "signals", bourse_signal_record_to_json (record));
  /* Its last signal changed: a list showing it stays true. */
  g_free (strategy->last_signal_at);
  strategy->last_signal_at = g_strdup (record->created_at);
  _bourse_desk_events_add (events, "strategies", bourse_live_strategy_to_json (strategy));
  _bourse_desk_publish (self, events);
  return TRUE;

fail:
  bourse_store_rollback (self->store);
  return FALSE;
}

static void
live_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  BourseDesk *self = BOURSE_DESK (object);
  LiveJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  LiveRun *run;
  gint64 next = 0;

  run = g_hash_table_lookup (self->live_runs, &job->strategy_id);
  if (run != NULL)
    {
      next = run->next_candle;
      g_hash_table_remove (self->live_runs, &job->strategy_id);
    }
  if (self->stopped)
    return;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_message ("Live strategy %" G_GINT64_FORMAT " (%s on %s %s) failed: %s", job->strategy_id,
               bourse_strategy_get_id (job->strategy), job->symbol, bourse_interval_to_string (job->interval),
               error->message);
  else if (!store_result (self, job, &error))
    g_warning ("The signal of live strategy %" G_GINT64_FORMAT " was not stored: %s", job->strategy_id,
               error->message);

  /* Candles that closed meanwhile: the newest is evaluated now. */
  if (next > job->candle_time)
    {
      g_autoptr(BourseLiveStrategy) strategy = bourse_live_strategies_get (self->store, job->strategy_id, NULL);
      g_autoptr(BourseInstrument) instrument = NULL;

      if (strategy != NULL && strategy->enabled && strategy->interval == job->interval
          && g_strcmp0 (strategy->symbol, job->symbol) == 0
          && (instrument = bourse_instruments_find (self->store, job->symbol, NULL)) != NULL)
        live_evaluate (self, strategy, instrument, next);
    }
}

static void
live_evaluate (BourseDesk               *self,
               const BourseLiveStrategy *strategy,
               const BourseInstrument   *instrument,
               gint64                    candle_time)
{
  g_autoptr(BourseStrategy) type = NULL;
  g_autoptr(GArray) candles = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  LiveRun *run;
  LiveJob *job;
  guint n;

  /* One evaluation at a time per strategy: a fast market (a catch-up, a
   * simulated speed-up) evaluates the newest candle, not every one. */
  if ((run = g_hash_table_lookup (self->live_runs, &strategy->id)) != NULL)
    {
      run->next_candle = MAX (run->next_candle, candle_time);
      return;
    }

  if ((type = bourse_strategy_lookup (strategy->strategy)) == NULL)
    {
      g_message ("Live strategy %" G_GINT64_FORMAT ": the strategy type “%s” is not installed", strategy->id,
                 strategy->strategy);
      return;
    }

  n = MAX (bourse_strategy_get_min_candles (type, strategy->params), BOURSE_LIVE_WINDOW);
  candles = _bourse_desk_read_candles (self->store, instrument->id, strategy->interval,
                                       bourse_interval_step_back (strategy->interval, candle_time, n - 1),
                                       candle_time, n, &error);
  if (candles == NULL)
    {
      g_warning ("Live strategy %" G_GINT64_FORMAT ": the candles were not read: %s", strategy->id, error->message);
      return;
    }

  job = g_new0 (LiveJob, 1);
  job->strategy_id = strategy->id;
  job->strategy = g_steal_pointer (&type);
  /* A deployed model's fitted parameters over the strategy's own. */
  job->params = bourse_live_strategy_dup_effective_params (self->store, strategy);
  job->input = bourse_strategy_input_new_from_candles ((const BourseCandle *)(gpointer)candles->data, candles->len,
                                                       strategy->interval, instrument->tick_size);
  job->symbol = g_strdup (instrument->symbol);
  job->interval = strategy->interval;
  job->candle_time = candle_time;
  job->window_start = candles->len > 0 ? g_array_index (candles, BourseCandle, 0).open_time : candle_time;
  job->simulated = g_strcmp0 (instrument->source, "simulated") == 0;
  job->workers = _bourse_desk_workers_enter (self);

  run = g_new0 (LiveRun, 1);
  g_hash_table_insert (self->live_runs, g_memdup2 (&strategy->id, sizeof (gint64)), run);

  task = g_task_new (self, self->cancellable, live_done_cb, NULL);
  g_task_set_source_tag (task, live_evaluate);
  g_task_set_task_data (task, job, live_job_free);
  g_task_run_in_thread (task, live_thread);
}

static char *
feed_key (const char     *symbol,
          BourseInterval  interval)
{
  return g_strconcat (symbol, " ", bourse_interval_to_string (interval), NULL);
}

void
_bourse_desk_live_refresh (BourseDesk *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  int rc = SQLITE_DONE;

  g_hash_table_remove_all (self->live_feeds);
  stmt = bourse_store_prepare (self->store, "SELECT DISTINCT symbol, interval FROM live_strategies WHERE enabled = 1",
                               &error);
  while (stmt != NULL && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (self->live_feeds, g_strconcat (column_text (stmt, 0), " ", column_text (stmt, 1), NULL));
  if (stmt == NULL || rc != SQLITE_DONE)
    {
      if (error == NULL)
        bourse_store_set_error (self->store, &error);
      g_warning ("The live strategies were not read: %s", error->message);
    }
}

static void
candle_closed_cb (BourseMarket           *market,
                  const BourseInstrument *instrument,
                  int                     interval,
                  const BourseCandle     *candle,
                  BourseDesk             *self)
{
  g_autoptr(GPtrArray) strategies = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  if (self->stopped || self->live_paused)
    return;
  /* Every closed candle of every interval comes here: most have no
   * strategy, and the feed must not wait for the store to say so. */
  key = feed_key (instrument->symbol, interval);
  if (!g_hash_table_contains (self->live_feeds, key))
    return;

  strategies = list_enabled (self->store, instrument->symbol, interval, &error);
  if (strategies == NULL)
    {
      g_warning ("The live strategies of %s were not read: %s", instrument->symbol, error->message);
      return;
    }
  for (guint i = 0; i < strategies->len; i++)
    live_evaluate (self, g_ptr_array_index (strategies, i), instrument, candle->open_time);
}

void
_bourse_desk_live_start (BourseDesk *self)
{
  _bourse_desk_live_refresh (self);
  self->candle_handler = g_signal_connect (self->market, "candle-closed", G_CALLBACK (candle_closed_cb), self);
}

void
_bourse_desk_live_stop (BourseDesk *self)
{
  if (self->market != NULL)
    g_clear_signal_handler (&self->candle_handler, self->market);
}

/* }}} */
