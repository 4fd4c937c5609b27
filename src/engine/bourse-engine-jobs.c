/* bourse-engine-jobs.c — the scheduler's jobs: the heartbeat and the housekeeping
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "auth/bourse-audit.h"
#include "core/bourse-health.h"
#include "core/bourse-json.h"
#include "core/bourse-outbox.h"
#include "core/bourse-time.h"
#include "desk/bourse-desk-approvals.h"
#include "exchange/bourse-binance-broker.h"

#include "bourse-engine-private.h"

/* Daily housekeeping, at quiet hours of scheduler.time_zone, apart. */
#define EXCHANGE_INFO_SCHEDULE     "15 3 * * *"
#define DATABASE_OPTIMIZE_SCHEDULE "30 3 * * *"
#define AUDIT_VERIFY_SCHEDULE      "45 3 * * *"

/* The heartbeat {{{ */

static gboolean
add_open_positions (BourseEngine  *self,
                    JsonBuilder   *builder,
                    GError       **error)
{
  BourseStore *store = bourse_engine_get_store (self);
  const BourseAccount *account = bourse_portfolio_get_account (bourse_engine_get_portfolio (self));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint n = 0;
  int rc;

  stmt = bourse_store_prepare (store, "SELECT symbol FROM positions WHERE account_id = ? AND quantity != 0 "
                               "ORDER BY symbol", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account->id);
  json_builder_set_member_name (builder, "open_positions");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "symbols");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 0));
      n++;
    }
  json_builder_end_array (builder);
  bourse_json_builder_add_int (builder, "count", n);
  json_builder_end_object (builder);
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
count_pending_approvals (BourseEngine  *self,
                         gint64        *count,
                         GError       **error)
{
  BourseStore *store = bourse_engine_get_store (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean row;

  stmt = bourse_store_prepare (store, "SELECT COUNT(*) FROM approvals WHERE status = 'pending'", error);
  if (stmt == NULL || !bourse_store_step_row (store, stmt, &row, error))
    return FALSE;
  *count = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

JsonNode *
_bourse_engine_heartbeat (BourseEngine  *self,
                          GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) market = NULL;
  BourseTrading *trading = bourse_engine_get_trading (self);
  BourseDecimal equity, pnl_today;
  gint64 pending = 0;

  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  if (!bourse_portfolio_get_equity (bourse_engine_get_portfolio (self), &equity, &pnl_today, error)
      || !count_pending_approvals (self, &pending, error))
    return NULL;

  json_builder_begin_object (builder);
  bourse_json_builder_add_time (builder, "ts", bourse_time_now_ms ());
  bourse_json_builder_add_string (builder, "mode", bourse_trading_get_mode (trading));
  bourse_json_builder_add_string (builder, "engine", bourse_engine_state_to_string (bourse_engine_get_state (self)));
  bourse_json_builder_add_string (builder, "trading",
                                  bourse_trading_state_to_string (bourse_risk_get_state (bourse_engine_get_risk (self))));
  bourse_json_builder_add_decimal (builder, "equity", &equity);
  bourse_json_builder_add_decimal (builder, "pnl_today", &pnl_today);
  bourse_json_builder_add_string (builder, "currency", bourse_portfolio_get_account (bourse_engine_get_portfolio (self))->currency);
  if (!add_open_positions (self, builder, error))
    return NULL;
  bourse_json_builder_add_int (builder, "pending_approvals", pending);
  /* Each feed's status as GET /api/v1/market/status shows it. */
  market = bourse_market_get_status (bourse_engine_get_market (self));
  json_builder_set_member_name (builder, "feeds");
  json_builder_add_value (builder, json_node_copy (json_object_get_member (json_node_get_object (market), "feeds")));
  bourse_json_builder_add_int (builder, "uptime_s", bourse_engine_get_uptime_ms (self) / 1000);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
heartbeat_run (BourseSchedulerRun *run,
               gpointer            user_data)
{
  BourseEngine *self = user_data;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(JsonNode) message = NULL;
  g_autoptr(GError) error = NULL;

  /* Off, the slots still pass, on the record: the runs say why nothing came. */
  if (!bourse_config_get_boolean (bourse_engine_get_config (self), "scheduler", "enabled"))
    {
      bourse_scheduler_run_finish (run, BOURSE_RUN_SKIPPED, _("scheduler.enabled is off"));
      return;
    }
  if ((data = _bourse_engine_heartbeat (self, &error)) == NULL
      || !bourse_outbox_emit (bourse_engine_get_store (self), "heartbeat", 0, data, &error))
    {
      bourse_scheduler_run_finish (run, BOURSE_RUN_FAILED, error->message);
      return;
    }
  message = json_node_copy (data);
  json_object_set_string_member (json_node_get_object (message), "type", "heartbeat");
  bourse_event_bus_publish (bourse_engine_get_event_bus (self), "system", message);
  bourse_scheduler_run_finish (run, BOURSE_RUN_OK, NULL);
}

/* }}} */

/* Housekeeping {{{ */

static void
approvals_expire_run (BourseSchedulerRun *run,
                      gpointer            user_data)
{
  BourseEngine *self = user_data;
  guint n = bourse_desk_expire_approvals (bourse_engine_get_desk (self));
  g_autofree char *detail = n > 0 ? g_strdup_printf ("%u expired", n) : NULL;

  bourse_scheduler_run_finish (run, BOURSE_RUN_OK, detail);
}

static void
equity_snapshot_run (BourseSchedulerRun *run,
                     gpointer            user_data)
{
  BourseEngine *self = user_data;
  g_autoptr(GError) error = NULL;

  if (bourse_portfolio_snapshot (bourse_engine_get_portfolio (self), &error))
    bourse_scheduler_run_finish (run, BOURSE_RUN_OK, NULL);
  else
    bourse_scheduler_run_finish (run, BOURSE_RUN_FAILED, error->message);
}

static void
exchange_info_run (BourseSchedulerRun *run,
                   gpointer            user_data)
{
  BourseEngine *self = user_data;
  BourseBroker *broker = bourse_trading_get_broker (bourse_engine_get_trading (self));

  /* The broker notes a failure in its own status, and retries. */
  if (broker != NULL && BOURSE_IS_BINANCE_BROKER (broker))
    {
      bourse_binance_broker_refresh_exchange_info (BOURSE_BINANCE_BROKER (broker));
      bourse_scheduler_run_finish (run, BOURSE_RUN_OK, "requested");
    }
  else
    bourse_scheduler_run_finish (run, BOURSE_RUN_SKIPPED, "no exchange connected");
}

static void
database_optimize_run (BourseSchedulerRun *run,
                       gpointer            user_data)
{
  BourseEngine *self = user_data;
  g_autoptr(GError) error = NULL;

  /* A passive checkpoint waits for no reader; the WAL is truncated when
   * nothing reads it at the moment. */
  if (bourse_store_exec (bourse_engine_get_store (self), "PRAGMA optimize", &error)
      && bourse_store_exec (bourse_engine_get_store (self), "PRAGMA wal_checkpoint(TRUNCATE)", &error))
    bourse_scheduler_run_finish (run, BOURSE_RUN_OK, NULL);
  else
    bourse_scheduler_run_finish (run, BOURSE_RUN_FAILED, error->message);
}

static void
audit_verify_run (BourseSchedulerRun *run,
                  gpointer            user_data)
{
  BourseEngine *self = user_data;
  BourseHealth *health = bourse_engine_get_health (self);
  BourseAuditVerdict verdict = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;

  if (!bourse_audit_verify (bourse_engine_get_store (self), &verdict, &error))
    {
      bourse_health_set (health, "audit", BOURSE_HEALTH_DOWN, error->message);
      bourse_scheduler_run_finish (run, BOURSE_RUN_FAILED, error->message);
      return;
    }
  if (verdict.first_bad_id != 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, verdict.first_bad_id);

      detail = g_strdup_printf (_("The audit chain is broken at entry %s"), id);
      bourse_health_set (health, "audit", BOURSE_HEALTH_DOWN, detail);
      bourse_scheduler_run_finish (run, BOURSE_RUN_FAILED, detail);
      return;
    }
  detail = g_strdup_printf ("%" G_GINT64_FORMAT " entries verified", verdict.checked);
  bourse_health_set (health, "audit", BOURSE_HEALTH_OK, NULL);
  bourse_scheduler_run_finish (run, BOURSE_RUN_OK, detail);
}

/* }}} */

/* Health {{{ */

/* The jobs whose last run failed make the scheduler degraded. */
static void
run_finished_cb (BourseScheduler *scheduler,
                 const char      *job,
                 int              outcome,
                 const char      *detail,
                 BourseEngine    *self)
{
  GHashTable *failing = g_object_get_data (G_OBJECT (scheduler), "bourse-failing-jobs");
  g_autoptr(GString) reason = NULL;
  g_autoptr(GList) names = NULL;

  if (outcome == BOURSE_RUN_FAILED)
    g_hash_table_insert (failing, g_strdup (job), g_strdup (detail != NULL ? detail : ""));
  else if (outcome == BOURSE_RUN_OK)
    g_hash_table_remove (failing, job);

  if (g_hash_table_size (failing) == 0)
    {
      bourse_health_set (bourse_engine_get_health (self), "scheduler", BOURSE_HEALTH_OK, NULL);
      return;
    }
  reason = g_string_new (NULL);
  names = g_list_sort (g_hash_table_get_keys (failing), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    g_string_append_printf (reason, "%s%s: %s", reason->len > 0 ? "; " : "", (const char *) l->data,
                            (const char *) g_hash_table_lookup (failing, l->data));
  bourse_health_set (bourse_engine_get_health (self), "scheduler", BOURSE_HEALTH_DEGRADED, reason->str);
}

/* }}} */

/* scheduler.heartbeat and scheduler.time_zone apply at once: the
 * configuration checked them with the same parser, so they take. */
static void
config_changed_cb (BourseConfig    *config,
                   GStrv            fields,
                   BourseScheduler *scheduler)
{
  static const struct { const char *job; const char *expression; } cron_jobs[] = {
    { "heartbeat", NULL },   /* scheduler.heartbeat */
    { "exchange.info", EXCHANGE_INFO_SCHEDULE },
    { "database.optimize", DATABASE_OPTIMIZE_SCHEDULE },
    { "audit.verify", AUDIT_VERIFY_SCHEDULE },
  };
  const char *zone = bourse_config_get_string (config, "scheduler", "time_zone");

  if (!g_strv_contains ((const char * const *)fields, "scheduler.heartbeat")
      && !g_strv_contains ((const char * const *)fields, "scheduler.time_zone"))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (cron_jobs); i++)
    {
      g_autoptr(GError) error = NULL;
      const char *expression = cron_jobs[i].expression != NULL ? cron_jobs[i].expression
                             : bourse_config_get_string (config, "scheduler", "heartbeat");

      if (!bourse_scheduler_set_schedule (scheduler, cron_jobs[i].job, expression, zone, &error))
        g_warning ("The %s job keeps its schedule: %s", cron_jobs[i].job, error->message);
    }
}

BourseScheduler *
_bourse_engine_scheduler_new (BourseEngine  *self,
                              GError       **error)
{
  BourseConfig *config = bourse_engine_get_config (self);
  const char *zone = bourse_config_get_string (config, "scheduler", "time_zone");
  g_autoptr(BourseClock) clock = bourse_clock_new ();
  g_autoptr(BourseScheduler) scheduler = NULL;
  GHashTable *failing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  scheduler = bourse_scheduler_new (bourse_engine_get_store (self), clock);
  g_object_set_data_full (G_OBJECT (scheduler), "bourse-failing-jobs", failing,
                          (GDestroyNotify) g_hash_table_unref);
  /* The jobs reach the engine through its getters, and the engine owns
   * the scheduler: they hold no reference. */
  if (!bourse_scheduler_add_cron (scheduler, "heartbeat",
                                  bourse_config_get_string (config, "scheduler", "heartbeat"), zone,
                                  heartbeat_run, self, NULL, error)
      || !bourse_scheduler_add_interval (scheduler, "approvals.expire",
                                         bourse_config_get_int (config, "approvals", "expiry_check"),
                                         approvals_expire_run, self, NULL, error)
      || !bourse_scheduler_add_interval (scheduler, "equity.snapshot",
                                         bourse_config_get_int (config, "paper", "equity_snapshot_s"),
                                         equity_snapshot_run, self, NULL, error)
      || !bourse_scheduler_add_cron (scheduler, "exchange.info", EXCHANGE_INFO_SCHEDULE, zone,
                                     exchange_info_run, self, NULL, error)
      || !bourse_scheduler_add_cron (scheduler, "database.optimize", DATABASE_OPTIMIZE_SCHEDULE, zone,
                                     database_optimize_run, self, NULL, error)
      || !bourse_scheduler_add_cron (scheduler, "audit.verify", AUDIT_VERIFY_SCHEDULE, zone,
                                     audit_verify_run, self, NULL, error))
    {
      /* The configuration's key, so the message says what to fix. */
      if (error != NULL && *error != NULL)
        g_prefix_error (error, "scheduler: ");
      return NULL;
    }
  g_signal_connect (scheduler, "run-finished", G_CALLBACK (run_finished_cb), self);
  g_signal_connect_object (config, "changed", G_CALLBACK (config_changed_cb), scheduler, 0);
  bourse_health_set (bourse_engine_get_health (self), "scheduler", BOURSE_HEALTH_OK, NULL);
  return g_steal_pointer (&scheduler);
}
