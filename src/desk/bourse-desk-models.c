/* desk/bourse-desk-models.c — fitted parameter sets of strategy types (docs/STRATEGIES.md, "Models")
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>

#include <glib/gi18n-lib.h>

#include "market/bourse-candles.h"
#include "market/bourse-instruments.h"
#include "strategy/bourse-models.h"
#include "strategy/bourse-strategy.h"

#include "bourse-desk-private.h"
#include "desk/bourse-desk-models.h"

/* The kalman type refuses a fixed observation variance below this (its
 * check_parameters), and every variance parameter above 1. */
#define KALMAN_MIN_OBSERVATION_VARIANCE 1e-16
#define KALMAN_MAX_VARIANCE             1.0

struct _BourseModelTraining
{
  char           *strategy;        /* the type id, resolved */
  char           *symbol;
  gint64          instrument_id;
  BourseInterval  interval;
  gint64          start;
  gint64          end;             /* exclusive */
  char           *db_path;
};

/* Models in the store {{{ */

#define MODEL_COLUMNS \
  "id, strategy, symbol, interval, version, params, metrics, job_id, created_by, created_at"

void
bourse_model_free (BourseModel *model)
{
  if (model == NULL)
    return;
  g_free (model->strategy);
  g_free (model->symbol);
  g_clear_pointer (&model->params, json_object_unref);
  g_clear_pointer (&model->metrics, json_object_unref);
  g_free (model->created_at);
  g_free (model);
}

JsonNode *
bourse_model_to_json (const BourseModel *model)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_int_member (object, "id", model->id);
  json_object_set_string_member (object, "strategy", model->strategy);
  json_object_set_string_member (object, "symbol", model->symbol);
  json_object_set_string_member (object, "interval", bourse_interval_to_string (model->interval));
  json_object_set_int_member (object, "version", model->version);
  json_object_set_object_member (object, "params", json_object_ref (model->params));
  json_object_set_object_member (object, "metrics", json_object_ref (model->metrics));
  _bourse_desk_json_set_id (object, "job_id", model->job_id);
  _bourse_desk_json_set_id (object, "created_by", model->created_by);
  json_object_set_string_member (object, "created_at", model->created_at);
  json_node_take_object (node, object);
  return node;
}

static BourseModel *
model_from_row (sqlite3_stmt *stmt)
{
  BourseModel *model = g_new0 (BourseModel, 1);

  model->id = sqlite3_column_int64 (stmt, 0);
  model->strategy = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  model->symbol = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
  /* Only parsed intervals are stored. */
  if (!bourse_interval_parse ((const char *)sqlite3_column_text (stmt, 3), &model->interval, NULL))
    model->interval = BOURSE_INTERVAL_1M;
  model->version = sqlite3_column_int64 (stmt, 4);
  model->params = _bourse_desk_object_from_text ((const char *)sqlite3_column_text (stmt, 5));
  model->metrics = _bourse_desk_object_from_text ((const char *)sqlite3_column_text (stmt, 6));
  model->job_id = sqlite3_column_int64 (stmt, 7);
  model->created_by = sqlite3_column_int64 (stmt, 8);
  model->created_at = g_strdup ((const char *)sqlite3_column_text (stmt, 9));
  return model;
}

BourseModel *
bourse_models_get (BourseStore  *store,
                   gint64        id,
                   GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);

  stmt = bourse_store_prepare (store, "SELECT " MODEL_COLUMNS " FROM models WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return model_from_row (stmt);
  if (rc == SQLITE_DONE)
    _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_NOT_FOUND, "model_id", _("There is no model %" PRId64),
                                  id);
  else
    bourse_store_set_error (store, error);
  return NULL;
}

GPtrArray *
bourse_models_list (BourseStore  *store,
                    const char   *strategy,
                    const char   *symbol,
                    const char   *interval,
                    gint64        before_id,
                    guint         limit,
                    GError      **error)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_model_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);

  stmt = bourse_store_prepare (store,
                               "SELECT " MODEL_COLUMNS " FROM models"
                               " WHERE (?1 IS NULL OR strategy = ?1) AND (?2 IS NULL OR symbol = ?2)"
                               " AND (?3 IS NULL OR interval = ?3) AND (?4 = 0 OR id < ?4)"
                               " ORDER BY id DESC LIMIT ?5",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, strategy, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, symbol, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, interval, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, before_id);
  sqlite3_bind_int64 (stmt, 5, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (models, model_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&models);
}

/* }}} */

/* Training {{{ */

gboolean
bourse_model_type_is_trainable (const char *strategy)
{
  /* Only the Kalman trend has parameters that hold what its fit estimates
   * (the three variances); the others re-fit on every evaluation and have
   * no parameter a fitted value could go into (docs/STRATEGIES.md). */
  return g_strcmp0 (bourse_strategy_resolve_id (strategy), "kalman") == 0;
}

static gboolean
count_candles (BourseStore          *store,
               BourseModelTraining  *training,
               gint64               *count,
               GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = bourse_store_prepare (store,
                               "SELECT count(*) FROM candles WHERE instrument_id = ?1 AND interval = ?2"
                               " AND open_time >= ?3 AND open_time < ?4 AND closed = 1",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, training->instrument_id);
  sqlite3_bind_text (stmt, 2, bourse_interval_to_string (training->interval), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, training->start);
  sqlite3_bind_int64 (stmt, 4, training->end);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  *count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

void
bourse_model_training_free (BourseModelTraining *training)
{
  if (training == NULL)
    return;
  g_free (training->strategy);
  g_free (training->symbol);
  g_free (training->db_path);
  g_free (training);
}

BourseModelTraining *
bourse_model_training_new (BourseDesk  *desk,
                           const char  *strategy,
                           const char  *symbol,
                           const char  *interval,
                           gint64       start,
                           gint64       end,
                           GError     **error)
{
  g_autoptr(BourseModelTraining) training = g_new0 (BourseModelTraining, 1);
  g_autoptr(BourseStrategy) type = NULL;
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(GError) local_error = NULL;
  BourseStore *store;
  gint64 count;
  guint min_candles;

  g_return_val_if_fail (BOURSE_IS_DESK (desk), NULL);

  store = bourse_desk_get_store (desk);
  if (store == NULL)
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_STOPPED, _("The engine is stopping"));
      return NULL;
    }

  if ((type = bourse_strategy_lookup (strategy)) == NULL)
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "strategy",
                                    _("must be A, B, C or a strategy id (GET /api/v1/strategies/types)"));
      return NULL;
    }
  if (!bourse_model_type_is_trainable (strategy))
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "strategy",
                                    _("The strategy “%s” has no parameter a fit could set: it cannot be trained"),
                                    bourse_strategy_get_id (type));
      return NULL;
    }
  training->strategy = g_strdup (bourse_strategy_get_id (type));

  if (!bourse_interval_parse (interval, &training->interval, NULL))
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "interval",
                                    _("must be one of 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M"));
      return NULL;
    }

  if ((instrument = bourse_instruments_find (store, symbol, &local_error)) == NULL)
    {
      if (g_error_matches (local_error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_NOT_FOUND))
        _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "symbol", _("There is no instrument “%s”"),
                                      symbol);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  training->symbol = g_strdup (instrument->symbol);
  training->instrument_id = instrument->id;

  if (start >= end)
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "end", _("must be after “start”"));
      return NULL;
    }
  training->start = start;
  training->end = end;

  if (!count_candles (store, training, &count, error))
    return NULL;
  min_candles = bourse_strategy_get_min_candles (type, NULL);
  if (count < min_candles)
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "start",
                                    _("The window holds %" PRId64 " closed candles; the fit needs at least %u"),
                                    count, min_candles);
      return NULL;
    }
  if (count > BOURSE_MODEL_MAX_CANDLES)
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "start",
                                    _("The window holds %" PRId64 " closed candles; a fit reads at most %d"),
                                    count, BOURSE_MODEL_MAX_CANDLES);
      return NULL;
    }

  training->db_path = g_strdup (bourse_store_get_path (store));
  return g_steal_pointer (&training);
}

JsonNode *
bourse_model_training_to_params (BourseModelTraining *training)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "strategy", training->strategy);
  json_object_set_string_member (object, "symbol", training->symbol);
  json_object_set_string_member (object, "interval", bourse_interval_to_string (training->interval));
  json_object_set_int_member (object, "start", training->start);
  json_object_set_int_member (object, "end", training->end);
  json_node_take_object (node, object);
  return node;
}

char *
bourse_model_training_dup_target (BourseModelTraining *training)
{
  return g_strdup_printf ("%s:%s:%s", training->strategy, training->symbol,
                          bourse_interval_to_string (training->interval));
}

/* The local linear trend's ML variances become its fixed variance
 * parameters: a live evaluation then only filters. */
static gboolean
fit_kalman (GArray      *candles,
            JsonObject  *params,
            JsonObject  *metrics,
            GError     **error)
{
  g_autofree double *y = g_new (double, candles->len);
  g_autoptr(JsonArray) values = json_array_new ();
  BourseLltVariances variances;
  BourseLltState state;
  guint n_evaluations = 0;

  for (guint i = 0; i < candles->len; i++)
    y[i] = log (bourse_decimal_to_double (g_array_index (candles, BourseCandle, i).close));

  if (!bourse_llt_fit (y, candles->len, &variances, &state, &n_evaluations))
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_INVALID,
                   _("The trend model cannot be fitted to these prices"));
      return FALSE;
    }
  /* The strategy refuses fixed variances outside its ranges; a fit that
   * lands there has nothing it could deploy. */
  if (!(variances.observation >= KALMAN_MIN_OBSERVATION_VARIANCE)
      || !(variances.observation <= KALMAN_MAX_VARIANCE)
      || !(variances.level >= 0 && variances.level <= KALMAN_MAX_VARIANCE)
      || !(variances.slope >= 0 && variances.slope <= KALMAN_MAX_VARIANCE))
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_INVALID,
                   _("The fitted variances (%g, %g, %g) are outside what the strategy accepts"),
                   variances.observation, variances.level, variances.slope);
      return FALSE;
    }

  json_object_set_double_member (params, "observation_variance", variances.observation);
  json_object_set_double_member (params, "level_variance", variances.level);
  json_object_set_double_member (params, "slope_variance", variances.slope);

  json_array_add_double_element (values, variances.observation);
  json_array_add_double_element (values, variances.level);
  json_array_add_double_element (values, variances.slope);
  json_object_set_array_member (metrics, "variances", g_steal_pointer (&values));
  json_object_set_double_member (metrics, "loglik", state.loglik);
  json_object_set_int_member (metrics, "n_evaluations", n_evaluations);
  json_object_set_double_member (metrics, "level", state.level);
  json_object_set_double_member (metrics, "slope", state.slope);
  return TRUE;
}

gboolean
bourse_model_training_run (BourseModelTraining  *training,
                           BourseJob            *job,
                           GCancellable         *cancellable,
                           GError              **error)
{
  g_autoptr(BourseStore) store = NULL;
  g_autoptr(GArray) candles = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonObject) metrics = json_object_new ();
  g_autoptr(JsonObject) result = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *message = NULL;
  const BourseCandle *first, *last;

  bourse_job_set_progress (job, 0, _("Reading the candles"));
  if ((store = bourse_store_open_readonly (training->db_path, error)) == NULL
      || (candles = _bourse_desk_read_candles (store, training->instrument_id, training->interval, training->start,
                                               training->end - 1, BOURSE_MODEL_MAX_CANDLES, error)) == NULL
      || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  /* Checked when submitted; candles may have gone since. */
  if (candles->len < 3)
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_INVALID,
                   _("The window holds %u closed candles; too few to fit"), candles->len);
      return FALSE;
    }

  bourse_job_set_progress (job, 0.1, _("Fitting"));
  if (!fit_kalman (candles, params, metrics, error)
      || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  first = &g_array_index (candles, BourseCandle, 0);
  last = &g_array_index (candles, BourseCandle, candles->len - 1);
  json_object_set_int_member (metrics, "candles", candles->len);
  json_object_set_int_member (metrics, "window_start", first->open_time);
  json_object_set_int_member (metrics, "window_end", last->open_time);

  json_object_set_object_member (result, "params", g_steal_pointer (&params));
  json_object_set_object_member (result, "metrics", g_steal_pointer (&metrics));
  json_node_set_object (node, result);
  /* As they will be stored: the result and the model agree to the bit. */
  _bourse_desk_sanitize_json (node);
  bourse_job_set_result (job, node);

  /* Translators: a strategy id, a count of candles. */
  message = g_strdup_printf (_("Fitted %s to %u candles"), training->strategy, candles->len);
  bourse_job_set_result_message (job, message);
  bourse_job_set_progress (job, 1, message);
  return TRUE;
}

BourseModel *
bourse_model_training_store (BourseModelTraining  *training,
                             const BourseJobInfo  *info,
                             BourseJob            *job,
                             BourseStore          *store,
                             GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *params = NULL;
  g_autofree char *metrics = NULL;
  g_autofree char *now = _bourse_desk_now_text ();
  JsonNode *result = bourse_job_get_result (job);
  JsonObject *object;
  const char *interval = bourse_interval_to_string (training->interval);

  if (result == NULL || !JSON_NODE_HOLDS_OBJECT (result))
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_INVALID, _("The training left no result"));
      return NULL;
    }
  object = json_node_get_object (result);
  params = _bourse_desk_object_to_text (json_object_get_object_member (object, "params"));
  metrics = _bourse_desk_object_to_text (json_object_get_object_member (object, "metrics"));

  /* The version is counted inside the job's transaction: two trainings
   * ending together cannot take the same one. */
  stmt = bourse_store_prepare (store,
                               "INSERT INTO models (strategy, symbol, interval, version, params, metrics, job_id,"
                               " created_by, created_at)"
                               " SELECT ?1, ?2, ?3, COALESCE (MAX (version), 0) + 1, ?4, ?5, ?6, ?7, ?8"
                               " FROM models WHERE strategy = ?1 AND symbol = ?2 AND interval = ?3",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, training->strategy, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, training->symbol, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, interval, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, params, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, metrics, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, info->id);
  if (info->created_by > 0)
    sqlite3_bind_int64 (stmt, 7, info->created_by);
  else
    sqlite3_bind_null (stmt, 7);
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }
  return bourse_models_get (store, sqlite3_last_insert_rowid (bourse_store_get_db (store)), error);
}

/* }}} */

/* Deployment {{{ */

static JsonObject *
merge_params (JsonObject *own,
              JsonObject *model)
{
  JsonObject *merged = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, own);
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (merged, name, json_node_copy (member));
  json_object_iter_init (&iter, model);
  while (json_object_iter_next (&iter, &name, &member))
    json_object_set_member (merged, name, json_node_copy (member));
  return merged;
}

static gboolean
model_fits (const BourseModel        *model,
            const BourseLiveStrategy *strategy)
{
  return g_strcmp0 (model->strategy, strategy->strategy) == 0
         && g_strcmp0 (model->symbol, strategy->symbol) == 0
         && model->interval == strategy->interval;
}

JsonObject *
bourse_live_strategy_dup_effective_params (BourseStore              *store,
                                           const BourseLiveStrategy *strategy)
{
  g_autoptr(BourseModel) model = NULL;
  g_autoptr(GError) error = NULL;

  if (strategy->model_id <= 0)
    return json_object_ref (strategy->params);
  if ((model = bourse_models_get (store, strategy->model_id, &error)) == NULL)
    {
      g_message ("Live strategy %" G_GINT64_FORMAT ": its model is not used: %s", strategy->id, error->message);
      return json_object_ref (strategy->params);
    }
  /* A strategy changed to another type, symbol or interval since the
   * deployment keeps the model_id on record but not its parameters. */
  if (!model_fits (model, strategy))
    return json_object_ref (strategy->params);
  return merge_params (strategy->params, model->params);
}

BourseLiveStrategy *
bourse_desk_deploy_model (BourseDesk             *self,
                          gint64                  model_id,
                          gint64                  strategy_id,
                          const BourseDeskCaller *caller,
                          GError                **error)
{
  g_autoptr(BourseModel) model = NULL;
  g_autoptr(BourseLiveStrategy) strategy = NULL;
  g_autoptr(BourseStrategy) type = NULL;
  g_autoptr(JsonObject) merged = NULL;
  g_autoptr(JsonObject) resolved = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *target = NULL;
  g_autofree char *now = NULL;
  g_autofree char *parameter = NULL;
  BourseLiveStrategy *stored = NULL;

  g_return_val_if_fail (BOURSE_IS_DESK (self), NULL);
  g_return_val_if_fail (caller != NULL, NULL);

  if (self->stopped)
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_STOPPED, _("The engine is stopping"));
      return NULL;
    }
  if (!bourse_store_begin (self->store, error))
    return NULL;
  if ((model = bourse_models_get (self->store, model_id, error)) == NULL
      || (strategy = bourse_live_strategies_get (self->store, strategy_id, error)) == NULL)
    goto fail;

  if (g_strcmp0 (model->strategy, strategy->strategy) != 0)
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_CONFLICT, "model_id",
                                    _("The model is for the strategy type “%s”, the live strategy is “%s”"),
                                    model->strategy, strategy->strategy);
      goto fail;
    }
  if (g_strcmp0 (model->symbol, strategy->symbol) != 0 || model->interval != strategy->interval)
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_CONFLICT, "model_id",
                                    _("The model was fitted to %s %s, the live strategy trades %s %s"),
                                    model->symbol, bourse_interval_to_string (model->interval), strategy->symbol,
                                    bourse_interval_to_string (strategy->interval));
      goto fail;
    }

  /* The parameters it will evaluate with must pass the type's checks. */
  if ((type = bourse_strategy_lookup (strategy->strategy)) != NULL)
    {
      g_autoptr(GError) invalid = NULL;

      merged = merge_params (strategy->params, model->params);
      if ((resolved = bourse_strategy_resolve_parameters (type, merged, &parameter, &invalid)) == NULL)
        {
          _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_CONFLICT, "model_id", "%s", invalid->message);
          goto fail;
        }
    }

  now = _bourse_desk_now_text ();
  stmt = bourse_store_prepare (self->store, "UPDATE live_strategies SET model_id = ?1, updated_at = ?2 WHERE id = ?3",
                               error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, model->id);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, strategy->id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      goto fail;
    }
  if ((stored = bourse_live_strategies_get (self->store, strategy->id, error)) == NULL)
    goto fail;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_value (builder, bourse_model_to_json (model));
  json_builder_set_member_name (builder, "previous_model_id");
  if (strategy->model_id > 0)
    json_builder_add_int_value (builder, strategy->model_id);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);
  target = g_strdup_printf ("strategy:%" G_GINT64_FORMAT, strategy->id);
  if (!_bourse_desk_audit (self, caller, "model.deploy", target, details, error)
      || !bourse_store_commit (self->store, error))
    goto fail;
  _bourse_desk_publish_strategy (self, stored->id, stored);
  return stored;

fail:
  g_clear_pointer (&stored, bourse_live_strategy_free);
  bourse_store_rollback (self->store);
  return NULL;
}

/* }}} */
