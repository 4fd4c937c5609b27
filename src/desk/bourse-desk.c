/* bourse-desk.c — what the desk's parts share: life cycle, errors, events, JSON
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"

#include "bourse-desk-private.h"

/* The field a BOURSE_DESK_ERROR is about travels with the error. */
typedef struct
{
  char *field;
} BourseDeskErrorPrivate;

static void
bourse_desk_error_private_init (BourseDeskErrorPrivate *priv)
{
  priv->field = NULL;
}

static void
bourse_desk_error_private_copy (const BourseDeskErrorPrivate *src,
                                BourseDeskErrorPrivate       *dest)
{
  dest->field = g_strdup (src->field);
}

static void
bourse_desk_error_private_clear (BourseDeskErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (BourseDeskError, bourse_desk_error)

G_DEFINE_FINAL_TYPE (BourseDesk, bourse_desk, G_TYPE_OBJECT)

const char *
bourse_desk_error_get_field (const GError *error)
{
  BourseDeskErrorPrivate *priv;

  if (error == NULL || error->domain != BOURSE_DESK_ERROR)
    return NULL;
  priv = bourse_desk_error_get_private (error);
  return priv != NULL ? priv->field : NULL;
}

void
_bourse_desk_set_field_error (GError          **error,
                              BourseDeskError   code,
                              const char       *field,
                              const char       *format,
                              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, BOURSE_DESK_ERROR, code, message);
  if (field != NULL)
    bourse_desk_error_get_private (*error)->field = g_strdup (field);
}

const char *
bourse_approval_policy_to_string (BourseApprovalPolicy policy)
{
  switch (policy)
    {
    case BOURSE_POLICY_AUTO_PAPER:  return "auto-paper";
    case BOURSE_POLICY_NOTIFY_ONLY: return "notify-only";
    case BOURSE_POLICY_MANUAL:
    default:                        return "manual";
    }
}

gboolean
bourse_approval_policy_parse (const char           *text,
                              BourseApprovalPolicy *policy)
{
  if (g_strcmp0 (text, "manual") == 0)
    *policy = BOURSE_POLICY_MANUAL;
  else if (g_strcmp0 (text, "auto-paper") == 0)
    *policy = BOURSE_POLICY_AUTO_PAPER;
  else if (g_strcmp0 (text, "notify-only") == 0)
    *policy = BOURSE_POLICY_NOTIFY_ONLY;
  else
    return FALSE;
  return TRUE;
}

/* Workers {{{ */

static BourseDeskWorkers *
workers_ref (BourseDeskWorkers *workers)
{
  g_atomic_ref_count_inc (&workers->ref_count);
  return workers;
}

static void
workers_unref (BourseDeskWorkers *workers)
{
  if (g_atomic_ref_count_dec (&workers->ref_count))
    {
      g_mutex_clear (&workers->lock);
      g_cond_clear (&workers->cond);
      g_free (workers);
    }
}

BourseDeskWorkers *
_bourse_desk_workers_enter (BourseDesk *self)
{
  g_mutex_lock (&self->workers->lock);
  self->workers->n_running++;
  g_mutex_unlock (&self->workers->lock);
  return workers_ref (self->workers);
}

void
_bourse_desk_workers_leave (BourseDeskWorkers *workers)
{
  g_mutex_lock (&workers->lock);
  workers->n_running--;
  g_cond_broadcast (&workers->cond);
  g_mutex_unlock (&workers->lock);
  workers_unref (workers);
}

/* }}} */

/* Events {{{ */

typedef struct
{
  char     *topic;
  JsonNode *data;
} Event;

static void
event_free (gpointer data)
{
  Event *event = data;

  g_free (event->topic);
  json_node_unref (event->data);
  g_free (event);
}

BourseDeskEvents *
_bourse_desk_events_new (void)
{
  return g_ptr_array_new_with_free_func (event_free);
}

void
_bourse_desk_events_add (BourseDeskEvents *events,
                         const char       *topic,
                         JsonNode         *data)
{
  Event *event = g_new0 (Event, 1);

  event->topic = g_strdup (topic);
  event->data = data;
  g_ptr_array_add (events, event);
}

void
_bourse_desk_publish (BourseDesk       *self,
                      BourseDeskEvents *events)
{
  for (guint i = 0; i < events->len; i++)
    {
      Event *event = g_ptr_array_index (events, i);

      if (self->bus != NULL)
        bourse_event_bus_publish (self->bus, event->topic, event->data);
    }
  g_ptr_array_set_size (events, 0);
}

/* }}} */

/* JSON {{{ */

double
_bourse_desk_json_double (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    return 0;
  g_ascii_dtostr (buffer, sizeof buffer, value);
  if (strchr (buffer, 'e') != NULL && strchr (buffer, '.') == NULL)
    return nextafter (value, 0);
  return value;
}

void
_bourse_desk_sanitize_json (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        _bourse_desk_sanitize_json (member);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        _bourse_desk_sanitize_json (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      if (!isfinite (value))
        json_node_init_null (node);
      else if (_bourse_desk_json_double (value) != value)
        json_node_set_double (node, _bourse_desk_json_double (value));
    }
}

char *
_bourse_desk_object_to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  if (object == NULL)
    return g_strdup ("{}");
  json_node_set_object (node, object);
  _bourse_desk_sanitize_json (node);
  return json_to_string (node, FALSE);
}

JsonObject *
_bourse_desk_object_from_text (const char *text)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (text != NULL)
    node = bourse_json_parse (text, strlen (text), 0, &error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      if (error != NULL)
        g_message ("A stored JSON object does not parse: %s", error->message);
      return json_object_new ();
    }
  _bourse_desk_sanitize_json (node);
  return json_object_ref (json_node_get_object (node));
}

char *
_bourse_desk_user_name (BourseStore *store,
                        gint64       user_id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (user_id <= 0
      || (stmt = bourse_store_prepare (store, "SELECT username FROM users WHERE id = ?1", NULL)) == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

char *
_bourse_desk_strategy_name (const char *name,
                            const char *type)
{
  g_autoptr(BourseStrategy) strategy = NULL;

  if (name != NULL)
    return g_strdup (name);
  if (type == NULL || (strategy = bourse_strategy_lookup (type)) == NULL)
    return NULL;
  return g_strdup (bourse_strategy_get_name (strategy));
}

char *
_bourse_desk_now_text (void)
{
  return bourse_time_format_rfc3339 (bourse_time_now_ms ());
}

gboolean
_bourse_desk_audit (BourseDesk             *self,
                    const BourseDeskCaller *caller,
                    const char             *action,
                    const char             *target,
                    JsonNode               *details,
                    GError                **error)
{
  return bourse_auth_audit (self->auth, caller->actor, action, target, details, caller->context, error);
}

/* }}} */

/* Candles {{{ */

typedef struct
{
  GArray *all;
  guint   max;
} ReadCandles;

static gboolean
keep_candle (const BourseCandle  *candle,
             gpointer             user_data,
             GError             **error)
{
  ReadCandles *read = user_data;

  g_array_append_val (read->all, *candle);
  /* Keep the newest: a window reads from its start on. Trimmed in
   * batches, so a long read does not move the array at every candle. */
  if (read->max > 0 && read->all->len >= 2 * read->max)
    g_array_remove_range (read->all, 0, read->all->len - read->max);
  return TRUE;
}

GArray *
_bourse_desk_read_candles (BourseStore     *store,
                           gint64           instrument_id,
                           BourseInterval   interval,
                           gint64           start,
                           gint64           end,
                           guint            max,
                           GError         **error)
{
  g_autoptr(GArray) all = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  ReadCandles read = { all, max };

  if (!bourse_candles_foreach_closed (store, instrument_id, interval, start, end, keep_candle, &read, error))
    return NULL;
  if (max > 0 && all->len > max)
    g_array_remove_range (all, 0, all->len - max);
  return g_steal_pointer (&all);
}

/* }}} */

/* Life cycle {{{ */

static void
bourse_desk_dispose (GObject *object)
{
  BourseDesk *self = (BourseDesk *)object;

  bourse_desk_stop (self);

  G_OBJECT_CLASS (bourse_desk_parent_class)->dispose (object);
}

static void
bourse_desk_finalize (GObject *object)
{
  BourseDesk *self = (BourseDesk *)object;

  g_clear_pointer (&self->live_runs, g_hash_table_unref);
  g_clear_pointer (&self->live_feeds, g_hash_table_unref);
  g_clear_pointer (&self->secrets, g_hash_table_unref);
  g_clear_pointer (&self->replays, g_hash_table_unref);
  g_queue_clear_full (&self->replay_order, g_free);
  g_clear_pointer (&self->workers, workers_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->db_path, g_free);

  G_OBJECT_CLASS (bourse_desk_parent_class)->finalize (object);
}

static void
bourse_desk_class_init (BourseDeskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_desk_dispose;
  object_class->finalize = bourse_desk_finalize;
}

static void
bourse_desk_init (BourseDesk *self)
{
  self->workers = g_new0 (BourseDeskWorkers, 1);
  g_atomic_ref_count_init (&self->workers->ref_count);
  g_mutex_init (&self->workers->lock);
  g_cond_init (&self->workers->cond);
  self->cancellable = g_cancellable_new ();
  self->paper = TRUE;
  self->live_runs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->live_feeds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->secrets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)g_bytes_unref);
  self->replays = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->replay_order);
}

BourseDesk *
bourse_desk_new (BourseStore     *store,
                 BourseConfig    *config,
                 BourseEventBus  *bus,
                 BourseAuth      *auth,
                 BourseMarket    *market,
                 GError         **error)
{
  g_autoptr(BourseDesk) self = NULL;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);
  g_return_val_if_fail (BOURSE_IS_EVENT_BUS (bus), NULL);
  g_return_val_if_fail (BOURSE_IS_AUTH (auth), NULL);
  g_return_val_if_fail (BOURSE_IS_MARKET (market), NULL);

  bourse_strategies_ensure ();

  self = g_object_new (BOURSE_TYPE_DESK, NULL);
  self->store = g_object_ref (store);
  self->config = g_object_ref (config);
  self->bus = g_object_ref (bus);
  self->auth = g_object_ref (auth);
  self->market = g_object_ref (market);
  self->db_path = g_strdup (bourse_store_get_path (store));
  self->context = g_main_context_ref_thread_default ();

  if (!_bourse_desk_webhooks_load (self, error))
    {
      bourse_desk_stop (self);
      return NULL;
    }

  /* What expired while the engine was not running goes first; then the
   * engine's scheduler runs the check (job approvals.expire). */
  bourse_desk_expire_approvals (self);

  _bourse_desk_live_start (self);

  return g_steal_pointer (&self);
}

void
bourse_desk_stop (BourseDesk *self)
{
  g_return_if_fail (BOURSE_IS_DESK (self));

  if (self->stopped)
    return;
  self->stopped = TRUE;

  _bourse_desk_live_stop (self);

  /* Downloads stop at once on cancel, evaluations are short: none of them
   * waits on this thread. Their results, arriving later, find the desk
   * stopped and are dropped. */
  g_cancellable_cancel (self->cancellable);
  g_mutex_lock (&self->workers->lock);
  while (self->workers->n_running > 0)
    g_cond_wait (&self->workers->cond, &self->workers->lock);
  g_mutex_unlock (&self->workers->lock);

  g_hash_table_remove_all (self->secrets);
  g_clear_object (&self->market);
  g_clear_object (&self->auth);
  g_clear_object (&self->bus);
  g_clear_object (&self->config);
  g_clear_object (&self->store);
}

BourseStore *
bourse_desk_get_store (BourseDesk *self)
{
  g_return_val_if_fail (BOURSE_IS_DESK (self), NULL);

  return self->store;
}

gboolean
bourse_desk_get_four_eyes (BourseDesk *self)
{
  g_return_val_if_fail (BOURSE_IS_DESK (self), TRUE);

  return self->config == NULL || bourse_config_get_boolean (self->config, "approvals", "four_eyes");
}

gboolean
bourse_desk_is_paper (BourseDesk *self)
{
  g_return_val_if_fail (BOURSE_IS_DESK (self), FALSE);

  return self->paper;
}

void
bourse_desk_set_paper (BourseDesk *self,
                       gboolean    paper)
{
  g_return_if_fail (BOURSE_IS_DESK (self));

  self->paper = paper;
}

void
bourse_desk_set_live_paused (BourseDesk *self,
                             gboolean    paused)
{
  g_return_if_fail (BOURSE_IS_DESK (self));

  self->live_paused = paused;
}

guint
bourse_desk_get_n_running (BourseDesk *self)
{
  g_return_val_if_fail (BOURSE_IS_DESK (self), 0);

  return g_hash_table_size (self->live_runs);
}

/* }}} */

void
_bourse_desk_json_set_id (JsonObject *object,
                          const char *member,
                          gint64      id)
{
  if (id > 0)
    json_object_set_int_member (object, member, id);
  else
    json_object_set_null_member (object, member);
}

void
_bourse_desk_json_set_text (JsonObject *object,
                            const char *member,
                            const char *text)
{
  if (text != NULL)
    json_object_set_string_member (object, member, text);
  else
    json_object_set_null_member (object, member);
}

void
_bourse_desk_json_set_level (JsonObject     *object,
                             const char     *member,
                             BourseDecision  decision,
                             BourseDecimal   value)
{
  g_autofree char *text = NULL;

  if (decision == BOURSE_DECISION_NO_TRADE)
    {
      json_object_set_null_member (object, member);
      return;
    }
  text = bourse_decimal_to_string (value);
  json_object_set_string_member (object, member, text);
}
