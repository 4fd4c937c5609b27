/* bourse-engine.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "auth/bourse-audit.h"
#include "auth/bourse-users.h"
#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-time.h"
#include "desk/bourse-desk-approvals.h"
#include "desk/bourse-desk-recommendations.h"
#include "exchange/bourse-binance-broker.h"
#include "exchange/bourse-exchange-keys.h"

#include "bourse-engine.h"
#include "bourse-health-monitor.h"
#include "bourse-engine-private.h"

struct _BourseEngine
{
  GObject            parent_instance;

  BourseConfig      *config;
  BourseStore       *store;
  BourseAuth        *auth;
  BourseRisk        *risk;
  BoursePortfolio   *portfolio;
  BourseTrading     *trading;
  gulong             halted_handler;
  gulong             event_handler;
  BourseMarket      *market;
  BourseJobs        *jobs;
  BourseNotifications *notifications;
  BourseDesk        *desk;
  BourseBacktests   *backtests;
  BourseOptimisations *optimisations;
  BourseEventBus    *bus;
  BourseHealth      *health;
  BourseHealthMonitor *health_monitor;
  BourseScheduler   *scheduler;
  BourseEngineState  state;
  gint64             started_at_ms;
  gint64             started_monotonic_us;
  gint64             audit_published;   /* the last audit entry on the "audit" topic */
};

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BourseEngine, bourse_engine, G_TYPE_OBJECT)

static void
set_state (BourseEngine      *self,
           BourseEngineState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_info ("Engine %s", bourse_engine_state_to_string (state));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
bourse_engine_dispose (GObject *object)
{
  BourseEngine *self = (BourseEngine *)object;

  bourse_engine_stop (self);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->optimisations);
  g_clear_object (&self->backtests);
  g_clear_object (&self->trading);
  g_clear_object (&self->portfolio);
  g_clear_object (&self->desk);
  g_clear_object (&self->market);
  g_clear_object (&self->jobs);
  g_clear_object (&self->risk);
  g_clear_object (&self->notifications);
  g_clear_object (&self->auth);
  g_clear_object (&self->store);
  g_clear_object (&self->bus);
  g_clear_object (&self->health);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (bourse_engine_parent_class)->dispose (object);
}

static void
bourse_engine_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BourseEngine *self = BOURSE_ENGINE (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;

    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_engine_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BourseEngine *self = BOURSE_ENGINE (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      self->config = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_engine_class_init (BourseEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_engine_dispose;
  object_class->get_property = bourse_engine_get_property;
  object_class->set_property = bourse_engine_set_property;

  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL,
                         BOURSE_TYPE_CONFIG,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      BOURSE_ENGINE_STATE_STOPPED, BOURSE_ENGINE_STATE_STOPPING,
                      BOURSE_ENGINE_STATE_STOPPED,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bourse_engine_init (BourseEngine *self)
{
  self->bus = bourse_event_bus_new ();
  self->health = bourse_health_new ();
  self->state = BOURSE_ENGINE_STATE_STOPPED;
}

BourseEngine *
bourse_engine_new (BourseConfig *config)
{
  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);

  return g_object_new (BOURSE_TYPE_ENGINE, "config", config, NULL);
}

const char *
bourse_engine_state_to_string (BourseEngineState state)
{
  switch (state)
    {
    case BOURSE_ENGINE_STATE_STOPPED:  return "stopped";
    case BOURSE_ENGINE_STATE_STARTING: return "starting";
    case BOURSE_ENGINE_STATE_RUNNING:  return "running";
    case BOURSE_ENGINE_STATE_STOPPING: return "stopping";
    default:                           g_return_val_if_reached ("unknown");
    }
}

/* Approval → order {{{ */

static const BourseTradingCaller engine_caller = { "system", 0, NULL, TRUE };

/* How much an approval buys: risk per trade × equity ÷ the distance to the
 * stop, down to the lot, and for a BUY no more than the free cash buys. */
static gboolean
size_entry (BourseEngine                *self,
            const BourseRecommendation  *recommendation,
            gint64                       user_id,
            BourseDecimal               *quantity,
            GError                     **error)
{
  BourseDecimal equity, risk_amount, distance, free, affordable;
  BourseDecimal per_trade = bourse_risk_get_risk_per_trade (self->risk, user_id);
  const BourseAccount *account = bourse_portfolio_get_account (self->portfolio);

  if (!bourse_portfolio_get_equity (self->portfolio, &equity, NULL, error)
      || !bourse_decimal_mul (equity, per_trade, BOURSE_ROUND_FLOOR, &risk_amount, error)
      || !bourse_decimal_sub (recommendation->entry, recommendation->stop_loss, &distance, error))
    return FALSE;
  distance.units = ABS (distance.units);
  if (distance.units == 0 || recommendation->entry.units <= 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "quantity",
                              _("The recommendation has no distance to its stop: give a quantity"));
      return FALSE;
    }
  if (!bourse_decimal_div (risk_amount, distance, BOURSE_ROUND_FLOOR, quantity, error))
    return FALSE;
  if (recommendation->decision == BOURSE_DECISION_BUY)
    {
      /* What the free cash buys, fees included, at the entry. */
      if (!bourse_portfolio_get_balance (self->portfolio, account->currency, &free, NULL, error)
          || !bourse_decimal_div (free, recommendation->entry, BOURSE_ROUND_FLOOR, &affordable, error))
        return FALSE;
      affordable.units -= affordable.units / 100;   /* room for the fee and the slippage */
      if (bourse_decimal_compare (affordable, *quantity) < 0)
        *quantity = affordable;
    }
  return TRUE;
}

BourseOrder *
bourse_engine_execute_approval (BourseEngine              *self,
                                gint64                     approval_id,
                                const BourseDecimal       *quantity,
                                const BourseTradingCaller *caller,
                                BourseOrderEstimate       *estimate,
                                GError                   **error)
{
  g_autoptr(BourseApproval) approval = NULL;
  g_autoptr(BourseOrder) order = NULL;
  g_autofree char *client_id = g_strdup_printf ("approval-%" G_GINT64_FORMAT, approval_id);
  const BourseRecommendation *recommendation;
  BourseOrderRequest request = { 0 };
  gint64 now = bourse_time_now_ms (), expires = 0;
  gboolean created = FALSE;

  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);
  g_return_val_if_fail (self->trading != NULL, NULL);

  approval = bourse_approvals_get (self->store, approval_id, error);
  if (approval == NULL)
    return NULL;
  recommendation = approval->recommendation;
  {
    g_autoptr(BourseOrder) existing = bourse_orders_find_client (self->store,
                                                                 bourse_portfolio_get_account (self->portfolio)->id,
                                                                 client_id, NULL);

    if (existing != NULL)
      {
        g_autofree char *order_id = g_strdup_printf ("%" G_GINT64_FORMAT, existing->id);

        bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "status",
                                _("The approval was executed already: order %s"), order_id);
        return NULL;
      }
  }
  if (approval->status != BOURSE_APPROVAL_APPROVED)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "status",
                              _("Only an approved recommendation executes; this one is %s"),
                              bourse_approval_status_to_string (approval->status));
      return NULL;
    }
  if (bourse_time_parse_rfc3339 (approval->expires_at, &expires, NULL) && expires <= now)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "status", _("The approval expired at %s"),
                              approval->expires_at);
      return NULL;
    }
  /* Four eyes on live: whoever approved does not also send it out. */
  if (estimate == NULL && g_str_equal (bourse_trading_get_mode (self->trading), "live")
      && bourse_desk_get_four_eyes (self->desk) && approval->decider != NULL
      && g_strcmp0 (approval->decider, caller->actor) == 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_FORBIDDEN, "approval",
                              _("On live, with four eyes, someone other than its approver executes an approval"));
      return NULL;
    }
  if (recommendation == NULL || recommendation->decision == BOURSE_DECISION_NO_TRADE)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "status", _("A NO-TRADE recommendation has nothing to execute"));
      return NULL;
    }

  request.symbol = recommendation->symbol;
  request.type = BOURSE_ORDER_MARKET;
  request.has_quantity = TRUE;
  request.client_order_id = client_id;
  request.approval_id = approval->id;
  request.strategy_id = recommendation->strategy_id;
  request.purpose = "signal";
  if (recommendation->decision == BOURSE_DECISION_BUY)
    {
      request.side = BOURSE_SIDE_BUY;
      request.has_stop_loss = recommendation->stop_loss.units > 0;
      request.stop_loss = recommendation->stop_loss;
      request.has_take_profit = recommendation->take_profit.units > 0;
      request.take_profit = recommendation->take_profit;
      if (quantity != NULL)
        request.quantity = *quantity;
      else if (!size_entry (self, recommendation, caller->user_id, &request.quantity, error))
        return NULL;
    }
  else
    {
      /* Spot: a SELL closes or reduces the long. */
      BourseDecimal position;

      request.side = BOURSE_SIDE_SELL;
      if (!bourse_portfolio_get_position (self->portfolio, recommendation->symbol, &position, error))
        return NULL;
      if (position.units <= 0)
        {
          bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "status",
                                  _("There is no long position in %s for this SELL to close"),
                                  recommendation->symbol);
          return NULL;
        }
      request.quantity = quantity != NULL && bourse_decimal_compare (*quantity, position) < 0 ? *quantity : position;
    }

  if (estimate != NULL)
    return bourse_trading_check_order (self->trading, &request, caller, estimate, error);
  order = bourse_trading_place_order (self->trading, &request, caller, &created, error);
  if (order != NULL && created)
    {
      /* The approval now shows its order. */
      g_autoptr(BourseApproval) executed = bourse_approvals_get (self->store, approval_id, NULL);
      g_autoptr(JsonNode) node = executed != NULL ? bourse_approval_to_json (executed) : NULL;

      if (node != NULL)
        bourse_event_bus_publish (self->bus, "approvals", node);
    }
  if (order != NULL && !created)
    {
      g_autofree char *order_id = g_strdup_printf ("%" G_GINT64_FORMAT, order->id);

      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "status",
                              _("The approval was executed already: order %s"), order_id);
      return NULL;
    }
  return g_steal_pointer (&order);
}

/* approvals.execute_on_approve: "on", "off", or "auto" — what the engine
 * approved itself under auto-paper, on paper. */
static void
event_cb (BourseEventBus *bus,
          const char     *topic,
          JsonNode       *data,
          BourseEngine   *self)
{
  const char *setting = bourse_config_get_string (self->config, "approvals", "execute_on_approve");
  g_autoptr(BourseOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  gint64 id = 0;

  if (!g_str_equal (topic, "approvals") || JSON_NODE_TYPE (data) != JSON_NODE_OBJECT
      || g_str_equal (setting, "off"))
    return;
  object = json_node_get_object (data);
  if (g_strcmp0 (bourse_json_get_string (object, "status"), "approved") != 0
      || !bourse_json_get_int (object, "id", &id)
      || bourse_json_get_int (object, "order_id", &(gint64) { 0 }))   /* executed already */
    return;
  /* Four eyes on live: an approval waits for a second person. */
  if (g_str_equal (bourse_trading_get_mode (self->trading), "live") && bourse_desk_get_four_eyes (self->desk))
    return;
  if (g_str_equal (setting, "auto"))
    {
      g_autoptr(BourseApproval) approval = bourse_approvals_get (self->store, id, NULL);

      if (approval == NULL || g_strcmp0 (approval->decider, "system") != 0 || !bourse_desk_is_paper (self->desk))
        return;
    }
  order = bourse_engine_execute_approval (self, id, NULL, &engine_caller, NULL, &error);
  if (order == NULL)
    g_message ("Approval %" G_GINT64_FORMAT " was not executed: %s", id, error->message);
}

/* The kill switch's two wishes. */
static void
halted_cb (BourseRisk   *risk,
           gboolean      cancel_orders,
           gboolean      flatten,
           const char   *actor,
           BourseEngine *self)
{
  BourseTradingCaller caller = { actor != NULL ? actor : "system", 0, NULL, TRUE };
  g_autoptr(GError) error = NULL;

  if (flatten)
    {
      if (!bourse_trading_flatten (self->trading, &caller, &error))
        g_warning ("Could not flatten on halt: %s", error->message);
    }
  else if (cancel_orders)
    {
      g_autoptr(GArray) canceled = bourse_trading_cancel_all (self->trading, NULL, &caller, &error);

      if (canceled == NULL)
        g_warning ("Could not cancel the open orders on halt: %s", error->message);
    }
}

gboolean
bourse_engine_set_trading (BourseEngine              *self,
                           gboolean                   running,
                           const BourseTradingCaller *caller,
                           GError                   **error)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (self->trading != NULL, FALSE);

  if (!bourse_trading_set_running (self->trading, running, caller, error))
    return FALSE;
  bourse_desk_set_live_paused (self->desk, !running);
  return TRUE;
}

gboolean
bourse_engine_set_mode (BourseEngine              *self,
                        const char                *mode,
                        const char                *confirm,
                        const BourseTradingCaller *caller,
                        GError                   **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) alert = NULL;
  gboolean live;

  g_return_val_if_fail (BOURSE_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (self->trading != NULL, FALSE);

  live = g_strcmp0 (mode, "live") == 0;
  if (live && g_strcmp0 (bourse_trading_get_mode (self->trading), "live") != 0)
    {
      gboolean passed;
      g_autoptr(GError) keys_error = NULL;

      /* Typed, not clicked: a careless click cannot open live trading. */
      if (g_strcmp0 (confirm, "LIVE") != 0)
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "confirm",
                                  _("Type LIVE in “confirm” to trade live with real money"));
          return FALSE;
        }
      passed = bourse_exchange_keys_passed (self->store, &keys_error);
      if (keys_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&keys_error));
          return FALSE;
        }
      if (!passed)
        {
          bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "keys",
                                  _("Live trading needs Binance keys that passed the check: enter them first"));
          return FALSE;
        }
    }
  if (!bourse_trading_set_mode (self->trading, mode, "binance", caller, error))
    return FALSE;
  bourse_desk_set_paper (self->desk, !live);

  /* Everyone watching learns of it (the desktop notifies). */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "system.mode");
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, mode);
  json_builder_set_member_name (builder, "actor");
  json_builder_add_string_value (builder, caller->actor);
  json_builder_end_object (builder);
  alert = json_builder_get_root (builder);
  bourse_event_bus_publish (self->bus, "alerts", alert);
  return TRUE;
}

/* }}} */

/* The audit topic {{{ */

/* An account's change is audited in its own transaction: once the entry
 * is there, the change committed, and the account as GET /api/v1/users
 * lists it now goes on the "users" topic (or {"id","deleted":true}). */
static void
publish_user (BourseEngine     *self,
              BourseAuditEntry *entry)
{
  static const char * const actions[] = {
    "user.register", "user.create", "user.setup", "user.approve", "user.decline",
    "user.role", "user.enable", "user.disable", "user.delete", "user.profile",
  };
  g_autoptr(BourseUser) user = NULL;
  g_autoptr(JsonNode) node = NULL;
  gboolean known = FALSE;
  gint64 id;

  if (entry->action == NULL || entry->target == NULL || !g_str_has_prefix (entry->target, "user:"))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    known |= g_str_equal (entry->action, actions[i]);
  if (!known || (id = g_ascii_strtoll (entry->target + sizeof "user:" - 1, NULL, 10)) <= 0)
    return;

  if ((user = bourse_users_find_by_id (self->store, id, NULL)) != NULL)
    node = bourse_user_to_json (user);
  else
    {
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, json_object_new ());
      json_object_set_int_member (json_node_get_object (node), "id", id);
      json_object_set_boolean_member (json_node_get_object (node), "deleted", TRUE);
    }
  bourse_event_bus_publish (self->bus, "users", node);
}

/* Publishes the entries appended since the last time, oldest first, as
 * GET /api/v1/audit shows them (with their names). */
static gboolean
audit_appended_cb (gpointer data)
{
  BourseEngine *self = data;
  BourseAuditFilter filter = { .after_id = self->audit_published, .limit = 500 };
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  do
    {
      g_clear_pointer (&entries, g_ptr_array_unref);
      filter.after_id = self->audit_published;
      if ((entries = bourse_audit_list (self->store, &filter, &error)) == NULL)
        {
          g_warning ("Cannot read the new audit entries: %s", error->message);
          break;
        }
      for (guint i = entries->len; i > 0; i--)
        {
          BourseAuditEntry *entry = g_ptr_array_index (entries, i - 1);
          g_autoptr(JsonNode) node = bourse_audit_entry_to_json (entry);

          bourse_event_bus_publish (self->bus, "audit", node);
          publish_user (self, entry);
          self->audit_published = entry->id;
        }
    }
  while (entries->len == filter.limit);
  return G_SOURCE_REMOVE;
}

static void
audit_watch_start (BourseEngine *self)
{
  BourseAuditFilter last = { .limit = 1 };
  g_autoptr(GPtrArray) entries = bourse_audit_list (self->store, &last, NULL);

  /* What was there before this start is history, not news. */
  self->audit_published = entries != NULL && entries->len > 0
                          ? ((BourseAuditEntry *) g_ptr_array_index (entries, 0))->id : 0;
  bourse_audit_watch (self->store, audit_appended_cb, self);
}

/* }}} */

gboolean
bourse_engine_start (BourseEngine  *self,
                     GError       **error)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *db_path = NULL;

  g_return_val_if_fail (BOURSE_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (self->state == BOURSE_ENGINE_STATE_STOPPED, FALSE);

  set_state (self, BOURSE_ENGINE_STATE_STARTING);

  /* Stopped ones from an earlier run. */
  g_clear_object (&self->scheduler);
  g_clear_object (&self->optimisations);
  g_clear_object (&self->backtests);
  g_clear_object (&self->trading);
  g_clear_object (&self->portfolio);
  g_clear_object (&self->desk);
  g_clear_object (&self->market);
  g_clear_object (&self->jobs);
  g_clear_object (&self->risk);
  data_dir = bourse_config_dup_data_dir (self->config);
  db_path = g_build_filename (data_dir, "bourse.db", NULL);
  self->store = bourse_store_open (db_path, error);
  /* The built-in venue goes through the brokers' door, as plugins do. */
  bourse_brokers_ensure ();
  bourse_binance_broker_register ();
  if (self->store == NULL
      || (self->auth = bourse_auth_new (self->store, self->config, error)) == NULL
      || (self->risk = bourse_risk_new (self->store, self->config, self->bus, error)) == NULL
      || (self->jobs = bourse_jobs_new (self->store, self->bus, error)) == NULL
      || !bourse_market_start ((self->market = bourse_market_new (self->store, self->config, self->bus)),
                               error)
      || (self->desk = bourse_desk_new (self->store, self->config, self->bus, self->auth, self->market,
                                        error)) == NULL
      || (self->portfolio = bourse_portfolio_new (self->store, self->config, self->bus, self->market,
                                                  error)) == NULL
      || (self->trading = bourse_trading_new (self->store, self->config, self->bus, self->auth, self->market,
                                              self->portfolio, self->risk, error)) == NULL
      || (self->backtests = bourse_backtests_new (self->store, self->bus, self->jobs, self->auth, self->risk,
                                                  error)) == NULL
      || (self->optimisations = bourse_optimisations_new (self->store, self->bus, self->jobs, self->auth,
                                                          self->risk, error)) == NULL)
    {
      g_clear_object (&self->optimisations);
      g_clear_object (&self->backtests);
      g_clear_object (&self->trading);
      if (self->portfolio != NULL)
        bourse_portfolio_stop (self->portfolio);
      g_clear_object (&self->portfolio);
      if (self->desk != NULL)
        bourse_desk_stop (self->desk);
      g_clear_object (&self->desk);
      if (self->market != NULL)
        bourse_market_stop (self->market);
      g_clear_object (&self->market);
      if (self->jobs != NULL)
        bourse_jobs_shutdown (self->jobs);
      g_clear_object (&self->jobs);
      g_clear_object (&self->risk);
      g_clear_object (&self->auth);
      g_clear_object (&self->store);
      set_state (self, BOURSE_ENGINE_STATE_STOPPED);
      return FALSE;
    }

  audit_watch_start (self);

  /* The notification outbox's worker, on this context. */
  g_clear_object (&self->notifications);
  self->notifications = bourse_notifications_new (self->store, self->config, bourse_auth_get_secrets (self->auth),
                                                  self->bus);
  bourse_notifications_set_health (self->notifications, self->health);
  bourse_notifications_start (self->notifications);

  /* The engine wires what its parts do not know of each other. */
  bourse_desk_set_paper (self->desk, g_str_equal (bourse_trading_get_mode (self->trading), "paper"));
  bourse_desk_set_live_paused (self->desk, !bourse_trading_is_running (self->trading));
  self->halted_handler = g_signal_connect (self->risk, "halted", G_CALLBACK (halted_cb), self);
  self->event_handler = g_signal_connect (self->bus, "event", G_CALLBACK (event_cb), self);
  self->health_monitor = bourse_health_monitor_new (self->health, self->config, self->store, self->bus,
                                                    self->market, self->trading);

  self->started_at_ms = bourse_time_now_ms ();
  self->started_monotonic_us = g_get_monotonic_time ();
  set_state (self, BOURSE_ENGINE_STATE_RUNNING);

  /* Last: a missed heartbeat runs at once and reads everything above. */
  {
    g_autoptr(GError) scheduler_error = NULL;

    self->scheduler = _bourse_engine_scheduler_new (self, &scheduler_error);
    if (self->scheduler == NULL || !bourse_scheduler_start (self->scheduler, &scheduler_error))
      {
        g_warning ("The scheduler does not run: %s", scheduler_error->message);
        bourse_health_set (self->health, "scheduler", BOURSE_HEALTH_DOWN, scheduler_error->message);
      }
  }

  return TRUE;
}

void
bourse_engine_stop (BourseEngine *self)
{
  g_return_if_fail (BOURSE_IS_ENGINE (self));

  if (self->state == BOURSE_ENGINE_STATE_STOPPED)
    return;

  set_state (self, BOURSE_ENGINE_STATE_STOPPING);
  if (self->scheduler != NULL)
    bourse_scheduler_stop (self->scheduler);
  g_clear_signal_handler (&self->halted_handler, self->risk);
  g_clear_signal_handler (&self->event_handler, self->bus);
  if (self->health_monitor != NULL)
    bourse_health_monitor_stop (self->health_monitor);
  g_clear_object (&self->health_monitor);
  /* Feeds and workers first: nothing writes once the store closes. The
   * desk and the book go before the market whose candles and prices they
   * follow. */
  if (self->trading != NULL)
    bourse_trading_stop (self->trading);
  if (self->portfolio != NULL)
    bourse_portfolio_stop (self->portfolio);
  if (self->desk != NULL)
    bourse_desk_stop (self->desk);
  if (self->market != NULL)
    bourse_market_stop (self->market);
  if (self->notifications != NULL)
    bourse_notifications_stop (self->notifications);
  if (self->jobs != NULL)
    bourse_jobs_shutdown (self->jobs);
  if (self->risk != NULL)
    bourse_risk_stop (self->risk);
  if (self->store != NULL)
    {
      bourse_audit_watch (self->store, NULL, NULL);
      bourse_store_close (self->store);
    }
  set_state (self, BOURSE_ENGINE_STATE_STOPPED);
}

BourseEngineState
bourse_engine_get_state (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), BOURSE_ENGINE_STATE_STOPPED);

  return self->state;
}

BourseConfig *
bourse_engine_get_config (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->config;
}

BourseNotifications *
bourse_engine_get_notifications (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->notifications;
}

BourseStore *
bourse_engine_get_store (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->store;
}

BourseAuth *
bourse_engine_get_auth (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->auth;
}

BourseMarket *
bourse_engine_get_market (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->market;
}

BourseJobs *
bourse_engine_get_jobs (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->jobs;
}

BourseDesk *
bourse_engine_get_desk (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->desk;
}

BourseRisk *
bourse_engine_get_risk (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->risk;
}

BoursePortfolio *
bourse_engine_get_portfolio (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->portfolio;
}

BourseTrading *
bourse_engine_get_trading (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->trading;
}

BourseBacktests *
bourse_engine_get_backtests (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->backtests;
}

BourseOptimisations *
bourse_engine_get_optimisations (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->optimisations;
}

BourseHealth *
bourse_engine_get_health (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->health;
}

BourseEventBus *
bourse_engine_get_event_bus (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->bus;
}

BourseScheduler *
bourse_engine_get_scheduler (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->scheduler;
}

gint64
bourse_engine_get_started_at (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), 0);

  return self->started_at_ms;
}

gint64
bourse_engine_get_uptime_ms (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), 0);

  if (self->state != BOURSE_ENGINE_STATE_RUNNING)
    return 0;

  /* Monotonic, so a clock change does not make uptime jump. */
  return (g_get_monotonic_time () - self->started_monotonic_us) / 1000;
}
