/* bourse-risk.c — limits, profiles, protections and the trading state
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>

#include "auth/bourse-audit.h"
#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-outbox.h"
#include "core/bourse-source.h"
#include "core/bourse-time.h"

#include "bourse-risk.h"

#define MINUTE_MS               G_GINT64_CONSTANT (60000)
#define DAY_MS                  G_GINT64_CONSTANT (86400000)
/* A window or a lock of at most 30 days. */
#define MAX_MINUTES             43200
#define MAX_REASON_CHARS        500
#define MAX_SYMBOLS             1000
#define DEFAULT_RISK_PER_TRADE  G_GINT64_CONSTANT (1000000)   /* 0.01 */
/* Equity samples kept for the drawdown window: a bound, not a target. */
#define MAX_EQUITY_SAMPLES      100000
/* The timer that lifts protections looks at least this often. */
#define MAX_TIMER_S             3600

typedef enum
{
  PROTECTION_COOLDOWN,
  PROTECTION_STOPLOSS_GUARD,
  PROTECTION_MAX_DRAWDOWN,
  PROTECTION_DAILY_LOSS,
  N_PROTECTION_KINDS
} ProtectionKind;

static const char * const protection_kinds[N_PROTECTION_KINDS] = {
  "cooldown", "stoploss_guard", "max_drawdown", "daily_loss",
};

/* A limit in decimal units; unset: no limit. */
typedef struct
{
  gboolean      set;
  BourseDecimal value;
} Limit;

typedef struct
{
  Limit               max_order_notional;
  Limit               max_position_notional;
  gint64              max_open_orders;        /* 0: no limit */
  Limit               max_daily_loss;
  GStrv               symbols_allowed;        /* empty: every symbol */
  gint64              cooldown_minutes;       /* 0: off */
  gint64              guard_count;            /* 0: off */
  gint64              guard_window_minutes;
  gint64              guard_lock_minutes;
  Limit               drawdown_fraction;      /* unset: off */
  gint64              drawdown_window_minutes;
  gint64              drawdown_lock_minutes;
  BourseTradingState  drawdown_state;
  gboolean            daily_loss_halt;
  char               *updated_at;
  char               *updated_by;
} Limits;

typedef struct
{
  BourseDecimal risk_per_trade;
  Limit         max_order_notional;
  Limit         max_daily_loss;
  char         *updated_at;
} Profile;

typedef struct
{
  gint64              id;
  ProtectionKind      kind;
  char               *symbol;         /* cooldowns only */
  BourseTradingState  state;          /* ACTIVE for a cooldown: it imposes none */
  char               *reason;
  gint64              triggered_at;
  gint64              until;
} Protection;

typedef struct
{
  gint64        time;
  BourseDecimal equity;
} EquitySample;

struct _BourseRisk
{
  GObject             parent_instance;

  BourseStore        *store;
  BourseConfig       *config;
  BourseEventBus     *bus;
  BourseRiskClock     clock;
  gpointer            clock_data;
  /* A backtest's: its own store and clock, no timer, no log lines. */
  gboolean            simulated;

  Limits              limits;
  GHashTable         *profiles;       /* user id → Profile */

  /* The state set by hand. */
  BourseTradingState  manual_state;
  char               *manual_reason;
  gint64              manual_since;
  char               *manual_set_by;

  GPtrArray          *protections;    /* Protection, in force (not lifted) */
  BourseTradingState  state;          /* in force, as last announced */
  /* The drawdown window's equity, newest last, each lower than the one
   * before it: the first is the window's peak. */
  GQueue              equity;
  gboolean            tx_nested;      /* the open transaction is a savepoint */
  guint               lift_source;
  gint64              lift_due;       /* when the timer is due; 0: none */
  gboolean            stopped;
};

enum {
  HALTED,
  STATE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const BourseRiskCaller system_caller = { "system", 0, NULL };

G_DEFINE_FINAL_TYPE (BourseRisk, bourse_risk, G_TYPE_OBJECT)

static void publish_if_changed (BourseRisk *self,
                                gboolean    always);
static void schedule_lift      (BourseRisk *self);

/* Helpers {{{ */

const char *
bourse_trading_state_to_string (BourseTradingState state)
{
  switch (state)
    {
    case BOURSE_TRADING_STATE_ACTIVE:   return "ACTIVE";
    case BOURSE_TRADING_STATE_REDUCING: return "REDUCING";
    case BOURSE_TRADING_STATE_HALTED:   return "HALTED";
    default:                            g_return_val_if_reached ("HALTED");
    }
}

gboolean
bourse_trading_state_parse (const char         *text,
                            BourseTradingState *state)
{
  for (BourseTradingState s = BOURSE_TRADING_STATE_ACTIVE; s <= BOURSE_TRADING_STATE_HALTED; s++)
    if (g_strcmp0 (text, bourse_trading_state_to_string (s)) == 0)
      {
        *state = s;
        return TRUE;
      }
  return FALSE;
}

static void
limits_clear (Limits *limits)
{
  g_clear_pointer (&limits->symbols_allowed, g_strfreev);
  g_clear_pointer (&limits->updated_at, g_free);
  g_clear_pointer (&limits->updated_by, g_free);
}

static void
limits_copy (const Limits *src,
             Limits       *dest)
{
  *dest = *src;
  dest->symbols_allowed = g_strdupv (src->symbols_allowed);
  dest->updated_at = g_strdup (src->updated_at);
  dest->updated_by = g_strdup (src->updated_by);
}

static void
profile_free (Profile *profile)
{
  g_free (profile->updated_at);
  g_free (profile);
}

static void
protection_free (Protection *protection)
{
  g_free (protection->symbol);
  g_free (protection->reason);
  g_free (protection);
}

static gint64
wall_clock (gpointer data)
{
  return bourse_time_now_ms ();
}

/* The risk's time: the wall clock live, the simulated one in a backtest. */
static gint64
now_ms (BourseRisk *self)
{
  return self->clock (self->clock_data);
}

static char *
now_text (BourseRisk *self)
{
  return bourse_time_format_rfc3339 (now_ms (self));
}

static gint64
parse_time (const char *text)
{
  gint64 ms = 0;

  if (text == NULL || !bourse_time_parse_rfc3339 (text, &ms, NULL))
    return 0;
  return ms;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *)sqlite3_column_text (stmt, column);
}

static Limit
column_limit (sqlite3_stmt *stmt,
              int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return (Limit) { FALSE, BOURSE_DECIMAL_ZERO };
  return (Limit) { TRUE, { sqlite3_column_int64 (stmt, column) } };
}

static void
bind_limit (sqlite3_stmt *stmt,
            int           index,
            const Limit  *limit)
{
  if (limit->set)
    sqlite3_bind_int64 (stmt, index, limit->value.units);
  else
    sqlite3_bind_null (stmt, index);
}

static void
add_limit_member (JsonBuilder *builder,
                  const char  *name,
                  const Limit *limit)
{
  json_builder_set_member_name (builder, name);
  if (limit->set)
    {
      g_autofree char *text = bourse_decimal_to_string (limit->value);
      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

static void
add_time_member (JsonBuilder *builder,
                 const char  *name,
                 gint64       ms)
{
  json_builder_set_member_name (builder, name);
  if (ms != 0)
    {
      g_autofree char *text = bourse_time_format_rfc3339 (ms);
      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The stricter of a global limit and a profile's. */
static Limit
stricter (const Limit *a,
          const Limit *b)
{
  if (!a->set)
    return *b;
  if (!b->set)
    return *a;
  return bourse_decimal_compare (a->value, b->value) <= 0 ? *a : *b;
}

static char *
decimal_text (BourseDecimal value)
{
  return bourse_decimal_to_string_trimmed (value);
}

/* Transactions: the risk module's own, or a savepoint inside the caller's
 * when one is open (the ledger may tell of a closed trade in the middle of
 * its fill), so that its changes commit with the caller's, and a failure
 * here undoes only what was done here. */
static gboolean
tx_begin (BourseRisk  *self,
          GError     **error)
{
  self->tx_nested = bourse_store_in_transaction (self->store);
  if (self->tx_nested)
    return bourse_store_exec (self->store, "SAVEPOINT bourse_risk", error);
  return bourse_store_begin (self->store, error);
}

static gboolean
tx_commit (BourseRisk  *self,
           GError     **error)
{
  if (self->tx_nested)
    return bourse_store_exec (self->store, "RELEASE bourse_risk", error);
  return bourse_store_commit (self->store, error);
}

static void
tx_rollback (BourseRisk *self)
{
  if (self->tx_nested)
    {
      bourse_store_exec (self->store, "ROLLBACK TO bourse_risk", NULL);
      bourse_store_exec (self->store, "RELEASE bourse_risk", NULL);
    }
  else
    bourse_store_rollback (self->store);
}

/* One audit entry, inside the caller's transaction. */
static gboolean
audit (BourseRisk             *self,
       const BourseRiskCaller *caller,
       const char             *action,
       const char             *target,
       JsonNode               *details,
       GError                **error)
{
  g_autoptr(BourseAuditEntry) entry = g_new0 (BourseAuditEntry, 1);

  entry->actor = g_strdup (caller->actor);
  entry->action = g_strdup (action);
  entry->target = g_strdup (target);
  entry->details = details ? json_node_ref (details) : NULL;
  if (caller->context != NULL)
    {
      entry->client_address = g_strdup (caller->context->client_address);
      entry->request_id = g_strdup (caller->context->request_id);
    }
  return bourse_audit_append (self->store, entry, error);
}

/* }}} */

/* Loading {{{ */

static gboolean
load_limits (BourseRisk  *self,
             GError     **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(JsonNode) symbols = NULL;
  Limits *limits = &self->limits;
  JsonArray *array;

  stmt = bourse_store_statement (self->store,
                               "SELECT max_order_notional, max_position_notional, max_open_orders, max_daily_loss, "
                               "symbols_allowed, cooldown_minutes, guard_count, guard_window_minutes, "
                               "guard_lock_minutes, drawdown_fraction, drawdown_window_minutes, "
                               "drawdown_lock_minutes, drawdown_state, daily_loss_halt, updated_at, updated_by "
                               "FROM risk_limits WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_set_field_error (error, BOURSE_ERROR_FAILED, NULL, "The risk limits are missing from the database");
      return FALSE;
    }

  limits_clear (limits);
  limits->max_order_notional = column_limit (stmt, 0);
  limits->max_position_notional = column_limit (stmt, 1);
  limits->max_open_orders = sqlite3_column_int64 (stmt, 2);
  limits->max_daily_loss = column_limit (stmt, 3);
  symbols = bourse_json_parse (column_text (stmt, 4), strlen (column_text (stmt, 4)), 0, NULL);
  array = symbols != NULL && JSON_NODE_HOLDS_ARRAY (symbols) ? json_node_get_array (symbols) : NULL;
  limits->symbols_allowed = g_new0 (char *, (array ? json_array_get_length (array) : 0) + 1);
  for (guint i = 0, n = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (json_node_get_value_type (element) == G_TYPE_STRING)
        limits->symbols_allowed[n++] = g_strdup (json_node_get_string (element));
    }
  limits->cooldown_minutes = sqlite3_column_int64 (stmt, 5);
  limits->guard_count = sqlite3_column_int64 (stmt, 6);
  limits->guard_window_minutes = sqlite3_column_int64 (stmt, 7);
  limits->guard_lock_minutes = sqlite3_column_int64 (stmt, 8);
  limits->drawdown_fraction = column_limit (stmt, 9);
  limits->drawdown_window_minutes = sqlite3_column_int64 (stmt, 10);
  limits->drawdown_lock_minutes = sqlite3_column_int64 (stmt, 11);
  if (!bourse_trading_state_parse (column_text (stmt, 12), &limits->drawdown_state))
    limits->drawdown_state = BOURSE_TRADING_STATE_REDUCING;
  limits->daily_loss_halt = sqlite3_column_int (stmt, 13) != 0;
  limits->updated_at = g_strdup (column_text (stmt, 14));
  limits->updated_by = g_strdup (column_text (stmt, 15));
  return TRUE;
}

static gboolean
load_state (BourseRisk  *self,
            GError     **error)
{
  g_autoptr(BourseStatement) stmt = NULL;

  stmt = bourse_store_statement (self->store, "SELECT state, reason, since, set_by FROM risk_state WHERE id = 1",
                               error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_set_field_error (error, BOURSE_ERROR_FAILED, NULL, "The trading state is missing from the database");
      return FALSE;
    }
  if (!bourse_trading_state_parse (column_text (stmt, 0), &self->manual_state))
    self->manual_state = BOURSE_TRADING_STATE_HALTED;
  g_free (self->manual_reason);
  self->manual_reason = g_strdup (column_text (stmt, 1));
  self->manual_since = parse_time (column_text (stmt, 2));
  g_free (self->manual_set_by);
  self->manual_set_by = g_strdup (column_text (stmt, 3));
  return TRUE;
}

static gboolean
load_protections (BourseRisk  *self,
                  GError     **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  int rc;

  stmt = bourse_store_statement (self->store,
                               "SELECT id, kind, symbol, state, reason, triggered_at, until FROM protections "
                               "WHERE lifted_at IS NULL ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  g_ptr_array_set_size (self->protections, 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Protection *protection = g_new0 (Protection, 1);
      const char *kind = column_text (stmt, 1);

      protection->id = sqlite3_column_int64 (stmt, 0);
      protection->kind = PROTECTION_DAILY_LOSS;
      for (guint k = 0; k < N_PROTECTION_KINDS; k++)
        if (g_strcmp0 (kind, protection_kinds[k]) == 0)
          protection->kind = k;
      protection->symbol = g_strdup (column_text (stmt, 2));
      if (!bourse_trading_state_parse (column_text (stmt, 3), &protection->state))
        protection->state = BOURSE_TRADING_STATE_ACTIVE;
      protection->reason = g_strdup (column_text (stmt, 4));
      protection->triggered_at = parse_time (column_text (stmt, 5));
      protection->until = parse_time (column_text (stmt, 6));
      g_ptr_array_add (self->protections, protection);
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  return TRUE;
}

static Profile *
load_profile (BourseRisk  *self,
              gint64       user_id,
              GError     **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  Profile *profile;
  int rc;

  if ((profile = g_hash_table_lookup (self->profiles, &user_id)) != NULL)
    return profile;

  stmt = bourse_store_statement (self->store,
                               "SELECT risk_per_trade, max_order_notional, max_daily_loss, updated_at "
                               "FROM risk_profiles WHERE user_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user_id);
  profile = g_new0 (Profile, 1);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      profile->risk_per_trade.units = sqlite3_column_int64 (stmt, 0);
      profile->max_order_notional = column_limit (stmt, 1);
      profile->max_daily_loss = column_limit (stmt, 2);
      profile->updated_at = g_strdup (column_text (stmt, 3));
    }
  else if (rc == SQLITE_DONE)
    profile->risk_per_trade.units = DEFAULT_RISK_PER_TRADE;
  else
    {
      bourse_store_set_error (self->store, error);
      profile_free (profile);
      return NULL;
    }

  g_hash_table_insert (self->profiles, g_memdup2 (&user_id, sizeof user_id), profile);
  return profile;
}

/* }}} */

/* The state in force {{{ */

static BourseTradingState
compute_state (BourseRisk *self,
               gint64      now)
{
  BourseTradingState state = self->manual_state;

  for (guint i = 0; i < self->protections->len; i++)
    {
      Protection *protection = g_ptr_array_index (self->protections, i);

      if (protection->until > now)
        state = MAX (state, protection->state);
    }
  return state;
}

/* The protection that imposes the state in force, or NULL when it is the
 * one set by hand. */
static Protection *
ruling_protection (BourseRisk *self,
                   gint64      now)
{
  Protection *ruling = NULL;

  for (guint i = 0; i < self->protections->len; i++)
    {
      Protection *protection = g_ptr_array_index (self->protections, i);

      if (protection->until > now && protection->state > self->manual_state
          && (ruling == NULL || protection->state > ruling->state
              || (protection->state == ruling->state && protection->until > ruling->until)))
        ruling = protection;
    }
  return ruling;
}

static JsonNode *
protection_to_json (const Protection *protection)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, protection->id);
  add_string_member (builder, "kind", protection_kinds[protection->kind]);
  add_string_member (builder, "symbol", protection->symbol);
  add_string_member (builder, "state",
                     protection->state != BOURSE_TRADING_STATE_ACTIVE
                       ? bourse_trading_state_to_string (protection->state) : NULL);
  add_string_member (builder, "reason", protection->reason);
  add_time_member (builder, "triggered_at", protection->triggered_at);
  add_time_member (builder, "until", protection->until);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
state_to_json (BourseRisk *self,
               gint64      now)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Protection *ruling = ruling_protection (self, now);

  json_builder_begin_object (builder);
  add_string_member (builder, "state", bourse_trading_state_to_string (compute_state (self, now)));
  if (ruling != NULL)
    {
      add_string_member (builder, "reason", ruling->reason);
      add_time_member (builder, "since", ruling->triggered_at);
      add_time_member (builder, "until", ruling->until);
      add_string_member (builder, "set_by", "system");
    }
  else
    {
      add_string_member (builder, "reason", self->manual_reason);
      add_time_member (builder, "since", self->manual_since);
      add_time_member (builder, "until", 0);
      add_string_member (builder, "set_by", self->manual_set_by);
    }
  /* What was set by hand, under what a protection imposes. */
  json_builder_set_member_name (builder, "manual");
  json_builder_begin_object (builder);
  add_string_member (builder, "state", bourse_trading_state_to_string (self->manual_state));
  add_string_member (builder, "reason", self->manual_reason);
  add_time_member (builder, "since", self->manual_since);
  add_string_member (builder, "set_by", self->manual_set_by);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "protections");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->protections->len; i++)
    {
      Protection *protection = g_ptr_array_index (self->protections, i);

      if (protection->until > now)
        json_builder_add_value (builder, protection_to_json (protection));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Publishes the state on "risk" (always, or only when the state in force
 * changed) and tells who listens when it changed. */
static void
publish_if_changed (BourseRisk *self,
                    gboolean    always)
{
  gint64 now = now_ms (self);
  BourseTradingState state = compute_state (self, now);
  gboolean changed = state != self->state;

  if (changed)
    g_info ("Trading state %s → %s", bourse_trading_state_to_string (self->state),
            bourse_trading_state_to_string (state));
  self->state = state;
  if ((changed || always) && self->bus != NULL)
    {
      g_autoptr(JsonNode) node = state_to_json (self, now);

      bourse_event_bus_publish (self->bus, "risk", node);
    }
  if (changed)
    g_signal_emit (self, signals[STATE_CHANGED], 0);
}

/* Marks the protections whose time is up as lifted (one transaction, each
 * audited) and publishes. Returns how many. */
static guint
lift_expired (BourseRisk *self,
              gint64      before)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lifted = g_ptr_array_new ();
  g_autofree char *now = now_text (self);

  for (guint i = 0; i < self->protections->len; i++)
    {
      Protection *protection = g_ptr_array_index (self->protections, i);

      if (protection->until <= before)
        g_ptr_array_add (lifted, protection);
    }
  if (lifted->len == 0)
    return 0;

  if (!tx_begin (self, &error))
    goto fail;
  for (guint i = 0; i < lifted->len; i++)
    {
      Protection *protection = g_ptr_array_index (lifted, i);
      g_autoptr(BourseStatement) stmt = NULL;
      g_autofree char *target = g_strdup_printf ("protection:%" G_GINT64_FORMAT, protection->id);
      g_autoptr(JsonNode) details = protection_to_json (protection);

      stmt = bourse_store_statement (self->store, "UPDATE protections SET lifted_at = ? WHERE id = ?", &error);
      if (stmt == NULL)
        goto rollback;
      sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, protection->id);
      if (!bourse_store_step_done (self->store, stmt, &error)
          || !audit (self, &system_caller, "risk.protection.lift", target, details, &error))
        goto rollback;
    }
  if (!tx_commit (self, &error))
    goto rollback;

  for (guint i = 0; i < lifted->len; i++)
    {
      Protection *protection = g_ptr_array_index (lifted, i);

      g_info ("Protection %s%s%s lifted", protection_kinds[protection->kind],
              protection->symbol ? " on " : "", protection->symbol ? protection->symbol : "");
      g_ptr_array_remove (self->protections, protection);
    }
  publish_if_changed (self, TRUE);
  return lifted->len;

rollback:
  tx_rollback (self);
fail:
  g_warning ("Protections were not lifted: %s", error->message);
  return 0;
}

static gboolean
lift_cb (gpointer data)
{
  BourseRisk *self = data;

  self->lift_source = 0;
  self->lift_due = 0;
  lift_expired (self, now_ms (self));
  schedule_lift (self);
  return G_SOURCE_REMOVE;
}

/* A timer for the next protection to end. Frozen clocks (tests) do not
 * move it: whoever looks at the state lifts what is over, timer or not. */
static void
schedule_lift (BourseRisk *self)
{
  gint64 next = 0, now = now_ms (self), delay_s;

  if (self->stopped || self->simulated)
    return;
  for (guint i = 0; i < self->protections->len; i++)
    {
      Protection *protection = g_ptr_array_index (self->protections, i);

      if (next == 0 || protection->until < next)
        next = protection->until;
    }
  if (next == self->lift_due && self->lift_source != 0)
    return;
  g_clear_handle_id (&self->lift_source, bourse_source_remove);
  self->lift_due = next;
  if (next == 0)
    return;
  delay_s = CLAMP ((next - now + 999) / 1000, 1, MAX_TIMER_S);
  self->lift_source = bourse_timeout_add_seconds ((guint)delay_s, lift_cb, self);
}

/* What every look at the state starts with. */
static void
refresh (BourseRisk *self)
{
  if (lift_expired (self, now_ms (self)) > 0)
    schedule_lift (self);
}

BourseTradingState
bourse_risk_get_state (BourseRisk *self)
{
  g_return_val_if_fail (BOURSE_IS_RISK (self), BOURSE_TRADING_STATE_HALTED);

  refresh (self);
  return compute_state (self, now_ms (self));
}

guint
bourse_risk_lift_expired (BourseRisk *self)
{
  guint n;

  g_return_val_if_fail (BOURSE_IS_RISK (self), 0);

  n = lift_expired (self, now_ms (self));
  schedule_lift (self);
  return n;
}

JsonNode *
bourse_risk_state_to_json (BourseRisk *self)
{
  g_return_val_if_fail (BOURSE_IS_RISK (self), NULL);

  refresh (self);
  return state_to_json (self, now_ms (self));
}

/* }}} */

/* Protections {{{ */

static gboolean
protection_active (BourseRisk     *self,
                   ProtectionKind  kind,
                   const char     *symbol,
                   gint64          now)
{
  for (guint i = 0; i < self->protections->len; i++)
    {
      Protection *protection = g_ptr_array_index (self->protections, i);

      if (protection->kind == kind && protection->until > now && g_strcmp0 (protection->symbol, symbol) == 0)
        return TRUE;
    }
  return FALSE;
}

/* A notification event (docs/OPERATIONS.md) in the open transaction, of
 * string members name, value…; none from a backtest's simulated risk. */
static gboolean
emit_event (BourseRisk  *self,
            const char  *event,
            const char  *first_name,
            ...)
{
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(JsonNode) node = NULL;
  GError **error;
  const char *name;
  va_list args;

  data = json_object_new ();
  va_start (args, first_name);
  for (name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      if (value != NULL)
        json_object_set_string_member (data, name, value);
      else
        json_object_set_null_member (data, name);
    }
  error = va_arg (args, GError **);
  va_end (args);
  if (self->simulated)
    return TRUE;
  node = json_node_init_object (json_node_alloc (), data);
  return bourse_outbox_emit (self->store, event, 0, node, error);
}

/* Starts a protection: stored and audited in one transaction, then
 * published; "halted" when it halts trading. */
static void
trigger (BourseRisk         *self,
         ProtectionKind      kind,
         const char         *symbol,
         BourseTradingState  state,
         gint64              until,
         const char         *reason)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *target = NULL;
  g_autofree char *now_s = now_text (self);
  g_autofree char *until_s = bourse_time_format_rfc3339 (until);
  BourseTradingState before = self->state;
  Protection *protection;

  if (!tx_begin (self, &error))
    goto fail;
  stmt = bourse_store_statement (self->store,
                               "INSERT INTO protections (kind, symbol, state, reason, triggered_at, until) "
                               "VALUES (?, ?, ?, ?, ?, ?)", &error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_text (stmt, 1, protection_kinds[kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, symbol, -1, SQLITE_STATIC);
  if (state != BOURSE_TRADING_STATE_ACTIVE)
    sqlite3_bind_text (stmt, 3, bourse_trading_state_to_string (state), -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 3);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, now_s, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, until_s, -1, SQLITE_STATIC);
  if (!bourse_store_step_done (self->store, stmt, &error))
    goto rollback;

  protection = g_new0 (Protection, 1);
  protection->id = sqlite3_last_insert_rowid (bourse_store_get_db (self->store));
  protection->kind = kind;
  protection->symbol = g_strdup (symbol);
  protection->state = state;
  protection->reason = g_strdup (reason);
  protection->triggered_at = parse_time (now_s);
  protection->until = until;
  target = g_strdup_printf ("protection:%" G_GINT64_FORMAT, protection->id);
  details = protection_to_json (protection);
  if (!audit (self, &system_caller, "risk.protection.trigger", target, details, &error)
      || !emit_event (self, "risk.protection", "protection", protection_kinds[kind], "symbol", symbol,
                      "until", until_s, "reason", reason, NULL, &error)
      || !tx_commit (self, &error))
    {
      protection_free (protection);
      goto rollback;
    }

  if (!self->simulated)
    g_message ("Protection %s triggered: %s", protection_kinds[kind], reason);
  g_ptr_array_add (self->protections, protection);
  schedule_lift (self);
  publish_if_changed (self, TRUE);
  /* The engine stops what runs; open orders (a position's stop-loss among
   * them) stay unless a person asks for more. */
  if (before != BOURSE_TRADING_STATE_HALTED && self->state == BOURSE_TRADING_STATE_HALTED)
    g_signal_emit (self, signals[HALTED], 0, FALSE, FALSE, "system");
  return;

rollback:
  tx_rollback (self);
fail:
  g_warning ("Protection %s did not trigger: %s", protection_kinds[kind], error->message);
}

/* How many stop-loss exits since @since; records this one first. */
static gint64
record_stop_loss (BourseRisk  *self,
                  const char  *symbol,
                  gint64       since,
                  GError     **error)
{
  g_autoptr(BourseStatement) insert = NULL;
  g_autoptr(BourseStatement) prune = NULL;
  g_autoptr(BourseStatement) count = NULL;
  g_autofree char *now = now_text (self);
  g_autofree char *since_s = bourse_time_format_rfc3339 (since);
  g_autofree char *oldest = bourse_time_format_rfc3339 (now_ms (self) - MAX_MINUTES * MINUTE_MS);

  if ((insert = bourse_store_statement (self->store, "INSERT INTO risk_stop_losses (symbol, at) VALUES (?, ?)",
                                      error)) == NULL
      || (prune = bourse_store_statement (self->store, "DELETE FROM risk_stop_losses WHERE at < ?", error)) == NULL
      || (count = bourse_store_statement (self->store, "SELECT count(*) FROM risk_stop_losses WHERE at > ?",
                                        error)) == NULL)
    return -1;
  sqlite3_bind_text (insert, 1, symbol, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (prune, 1, oldest, -1, SQLITE_STATIC);
  sqlite3_bind_text (count, 1, since_s, -1, SQLITE_STATIC);
  if (!bourse_store_step_done (self->store, insert, error) || !bourse_store_step_done (self->store, prune, error))
    return -1;
  if (sqlite3_step (count) != SQLITE_ROW)
    {
      bourse_store_set_error (self->store, error);
      return -1;
    }
  return sqlite3_column_int64 (count, 0);
}

void
bourse_risk_note_trade_closed (BourseRisk    *self,
                               const char    *symbol,
                               const char    *exit_reason,
                               BourseDecimal  net_pnl)
{
  const Limits *limits = &self->limits;
  g_autoptr(GError) error = NULL;
  gint64 now, exits;

  g_return_if_fail (BOURSE_IS_RISK (self));
  g_return_if_fail (symbol != NULL);

  if (self->stopped || g_strcmp0 (exit_reason, "stop_loss") != 0)
    return;

  refresh (self);
  now = now_ms (self);
  exits = record_stop_loss (self, symbol, now - limits->guard_window_minutes * MINUTE_MS, &error);
  if (exits < 0)
    g_warning ("A stop-loss exit on %s was not recorded: %s", symbol, error->message);

  if (limits->cooldown_minutes > 0)
    {
      g_autofree char *reason = g_strdup_printf (_("A stop-loss closed a trade on %s: new entries on it rest "
                                                   "for %" PRId64 " minutes"),
                                                 symbol, limits->cooldown_minutes);

      trigger (self, PROTECTION_COOLDOWN, symbol, BOURSE_TRADING_STATE_ACTIVE,
               now + limits->cooldown_minutes * MINUTE_MS, reason);
    }

  if (limits->guard_count > 0 && exits >= limits->guard_count
      && !protection_active (self, PROTECTION_STOPLOSS_GUARD, NULL, now))
    {
      g_autofree char *reason = g_strdup_printf (_("Stop-loss guard: %" PRId64 " stop-loss exits within %" PRId64
                                                   " minutes"),
                                                 exits, limits->guard_window_minutes);

      trigger (self, PROTECTION_STOPLOSS_GUARD, NULL, BOURSE_TRADING_STATE_HALTED,
               now + limits->guard_lock_minutes * MINUTE_MS, reason);
    }
}

/* Adds a sample to the drawdown window; returns the window's peak. */
static BourseDecimal
note_equity_sample (BourseRisk    *self,
                    gint64         now,
                    BourseDecimal  equity)
{
  gint64 start = now - self->limits.drawdown_window_minutes * MINUTE_MS;
  EquitySample *sample;

  /* Samples no higher than this one can never be the peak again. */
  while ((sample = g_queue_peek_tail (&self->equity)) != NULL
         && bourse_decimal_compare (sample->equity, equity) <= 0)
    g_free (g_queue_pop_tail (&self->equity));
  while ((sample = g_queue_peek_head (&self->equity)) != NULL
         && (sample->time < start || self->equity.length >= MAX_EQUITY_SAMPLES))
    g_free (g_queue_pop_head (&self->equity));

  sample = g_new (EquitySample, 1);
  sample->time = now;
  sample->equity = equity;
  g_queue_push_tail (&self->equity, sample);
  return ((EquitySample *)g_queue_peek_head (&self->equity))->equity;
}

static gint64
next_utc_day (gint64 ms)
{
  gint64 day = ms / DAY_MS - (ms < 0 && ms % DAY_MS != 0);

  return (day + 1) * DAY_MS;
}

/* Whether a daily-loss halt started today (it may have been lifted by a
 * resume: then it does not come back before tomorrow). */
static gboolean
daily_loss_triggered_today (BourseRisk *self,
                            gint64      now)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *day_start = bourse_time_format_rfc3339 (next_utc_day (now) - DAY_MS);

  stmt = bourse_store_statement (self->store,
                               "SELECT 1 FROM protections WHERE kind = 'daily_loss' AND triggered_at >= ? LIMIT 1",
                               &error);
  if (stmt == NULL)
    {
      g_warning ("%s", error->message);
      return TRUE;
    }
  sqlite3_bind_text (stmt, 1, day_start, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

void
bourse_risk_note_equity (BourseRisk    *self,
                         BourseDecimal  equity,
                         BourseDecimal  daily_pnl)
{
  const Limits *limits = &self->limits;
  BourseDecimal peak, loss, drawdown;
  gint64 now;

  g_return_if_fail (BOURSE_IS_RISK (self));

  if (self->stopped)
    return;

  refresh (self);
  now = now_ms (self);
  peak = note_equity_sample (self, now, equity);

  if (limits->drawdown_fraction.set && peak.units > 0
      && !protection_active (self, PROTECTION_MAX_DRAWDOWN, NULL, now)
      && bourse_decimal_sub (peak, equity, &loss, NULL)
      && bourse_decimal_div (loss, peak, BOURSE_ROUND_FLOOR, &drawdown, NULL)
      && bourse_decimal_compare (drawdown, limits->drawdown_fraction.value) >= 0)
    {
      g_autofree char *fraction = decimal_text (drawdown);
      g_autofree char *limit = decimal_text (limits->drawdown_fraction.value);
      g_autofree char *peak_s = decimal_text (peak);
      g_autofree char *equity_s = decimal_text (equity);
      g_autofree char *reason =
        g_strdup_printf (_("Max drawdown: equity fell from %s to %s, a drawdown of %s (limit %s)"),
                         peak_s, equity_s, fraction, limit);

      trigger (self, PROTECTION_MAX_DRAWDOWN, NULL, limits->drawdown_state,
               now + limits->drawdown_lock_minutes * MINUTE_MS, reason);
    }

  if (limits->daily_loss_halt && limits->max_daily_loss.set
      && bourse_decimal_neg (daily_pnl, &loss, NULL)
      && bourse_decimal_compare (loss, limits->max_daily_loss.value) >= 0
      && !protection_active (self, PROTECTION_DAILY_LOSS, NULL, now)
      && !daily_loss_triggered_today (self, now))
    {
      g_autofree char *loss_s = decimal_text (loss);
      g_autofree char *limit = decimal_text (limits->max_daily_loss.value);
      g_autofree char *reason =
        g_strdup_printf (_("Daily loss limit: today's loss of %s reached the limit of %s; trading halts until "
                           "the next UTC day"), loss_s, limit);

      trigger (self, PROTECTION_DAILY_LOSS, NULL, BOURSE_TRADING_STATE_HALTED, next_utc_day (now), reason);
    }
}

/* }}} */

/* The pre-trade check {{{ */

/* The notional limits: @position says which. */
static gboolean
check_notional (const Limit    *limit,
                BourseDecimal   value,
                gboolean        position,
                GError        **error)
{
  g_autofree char *limit_s = NULL;
  g_autofree char *value_s = NULL;

  if (!limit->set || bourse_decimal_compare (value, limit->value) <= 0)
    return TRUE;

  limit_s = decimal_text (limit->value);
  value_s = decimal_text (value);
  if (position)
    bourse_set_field_error (error, BOURSE_ERROR_INVALID, "risk.max_position_notional",
                            _("The position's notional once filled, %s, is above the limit of %s"),
                            value_s, limit_s);
  else
    bourse_set_field_error (error, BOURSE_ERROR_INVALID, "risk.max_order_notional",
                            _("The order's notional, %s, is above the limit of %s"), value_s, limit_s);
  return FALSE;
}

gboolean
bourse_risk_check_order (BourseRisk             *self,
                         const BourseRiskOrder  *order,
                         GError                **error)
{
  const Limits *limits = &self->limits;
  Profile *profile = NULL;
  BourseTradingState state;
  Limit limit;
  gint64 now;

  g_return_val_if_fail (BOURSE_IS_RISK (self), FALSE);
  g_return_val_if_fail (order != NULL && order->symbol != NULL, FALSE);

  state = bourse_risk_get_state (self);
  now = now_ms (self);
  if (state == BOURSE_TRADING_STATE_HALTED)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "risk.state",
                              _("Trading is HALTED: no new orders until it resumes"));
      return FALSE;
    }
  if (state == BOURSE_TRADING_STATE_REDUCING && !order->reduces)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "risk.state",
                              _("Trading is REDUCING: only orders that reduce a position are accepted"));
      return FALSE;
    }

  /* Closing is always possible: limits and protections guard new risk. */
  if (order->reduces)
    return TRUE;

  if (limits->symbols_allowed[0] != NULL && !g_strv_contains ((const char * const *)limits->symbols_allowed,
                                                              order->symbol))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "risk.symbols_allowed",
                              _("%s is not among the symbols allowed to trade"), order->symbol);
      return FALSE;
    }

  for (guint i = 0; i < self->protections->len; i++)
    {
      Protection *protection = g_ptr_array_index (self->protections, i);

      if (protection->kind == PROTECTION_COOLDOWN && protection->until > now
          && g_strcmp0 (protection->symbol, order->symbol) == 0)
        {
          g_autofree char *until = bourse_time_format_rfc3339 (protection->until);

          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "risk.cooldown",
                                  _("%s is cooling down after a stop-loss until %s"), order->symbol, until);
          return FALSE;
        }
    }

  /* User 0 (the engine, the local owner) has the global limits only. */
  if (order->user_id > 0 && (profile = load_profile (self, order->user_id, error)) == NULL)
    return FALSE;

  limit = profile ? stricter (&limits->max_order_notional, &profile->max_order_notional) : limits->max_order_notional;
  if (!check_notional (&limit, order->notional, FALSE, error)
      || !check_notional (&limits->max_position_notional, order->position_notional, TRUE, error))
    return FALSE;

  if (limits->max_open_orders > 0 && (gint64)order->open_orders >= limits->max_open_orders)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "risk.max_open_orders",
                              _("%u orders are open already, the limit is %" PRId64),
                              order->open_orders, limits->max_open_orders);
      return FALSE;
    }

  limit = profile ? stricter (&limits->max_daily_loss, &profile->max_daily_loss) : limits->max_daily_loss;
  if (limit.set)
    {
      BourseDecimal loss;

      if (bourse_decimal_neg (order->daily_pnl, &loss, NULL) && bourse_decimal_compare (loss, limit.value) >= 0)
        {
          g_autofree char *loss_s = decimal_text (loss);
          g_autofree char *limit_s = decimal_text (limit.value);

          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "risk.max_daily_loss",
                                  _("Today's loss of %s has reached the limit of %s"), loss_s, limit_s);
          return FALSE;
        }
    }

  return TRUE;
}

BourseDecimal
bourse_risk_get_risk_per_trade (BourseRisk *self,
                                gint64      user_id)
{
  g_autoptr(GError) error = NULL;
  Profile *profile;

  g_return_val_if_fail (BOURSE_IS_RISK (self), ((BourseDecimal) { DEFAULT_RISK_PER_TRADE }));

  if ((profile = load_profile (self, user_id, &error)) == NULL)
    {
      g_warning ("The risk profile of user %" G_GINT64_FORMAT " could not be read: %s", user_id, error->message);
      return (BourseDecimal) { DEFAULT_RISK_PER_TRADE };
    }
  return profile->risk_per_trade;
}

/* }}} */

/* The state by hand {{{ */

static gboolean
validate_reason (const char  *reason,
                 gboolean     required,
                 GError     **error)
{
  gboolean valid = reason == NULL || g_utf8_validate (reason, -1, NULL);
  glong length = reason != NULL && valid ? g_utf8_strlen (reason, -1) : 0;

  if (!valid || (required && length == 0) || length > MAX_REASON_CHARS)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "reason",
                              required ? _("is required, at most %d characters")
                                       : _("must be at most %d characters"),
                              MAX_REASON_CHARS);
      return FALSE;
    }
  return TRUE;
}

static const char *
state_action (BourseTradingState state)
{
  switch (state)
    {
    case BOURSE_TRADING_STATE_ACTIVE:   return "risk.resume";
    case BOURSE_TRADING_STATE_REDUCING: return "risk.reduce";
    case BOURSE_TRADING_STATE_HALTED:
    default:                            return "risk.halt";
    }
}

/* Writes the state set by hand with its audit entry; a resume also lifts
 * the protections that impose a state, in the same transaction. */
static gboolean
write_state (BourseRisk             *self,
             BourseTradingState      state,
             const char             *reason,
             JsonNode               *details,
             const BourseRiskCaller *caller,
             GPtrArray              *lifted,
             GError                **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autofree char *now = now_text (self);

  if (!tx_begin (self, error))
    return FALSE;
  stmt = bourse_store_statement (self->store,
                               "UPDATE risk_state SET state = ?, reason = ?, since = ?, until = NULL, set_by = ? "
                               "WHERE id = 1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, bourse_trading_state_to_string (state), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, caller->actor, -1, SQLITE_STATIC);
  if (!bourse_store_step_done (self->store, stmt, error))
    goto fail;

  for (guint i = 0; lifted != NULL && i < lifted->len; i++)
    {
      Protection *protection = g_ptr_array_index (lifted, i);
      g_autoptr(BourseStatement) lift = NULL;

      lift = bourse_store_statement (self->store, "UPDATE protections SET lifted_at = ? WHERE id = ?", error);
      if (lift == NULL)
        goto fail;
      sqlite3_bind_text (lift, 1, now, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (lift, 2, protection->id);
      if (!bourse_store_step_done (self->store, lift, error))
        goto fail;
    }

  if (!audit (self, caller, state_action (state), "risk:state", details, error)
      || (state != BOURSE_TRADING_STATE_ACTIVE
          && !emit_event (self, "risk.halted", "state", bourse_trading_state_to_string (state),
                          "actor", caller->actor, "reason", reason, NULL, error))
      || !tx_commit (self, error))
    goto fail;

  self->manual_state = state;
  g_free (self->manual_reason);
  self->manual_reason = g_strdup (reason);
  self->manual_since = parse_time (now);
  g_free (self->manual_set_by);
  self->manual_set_by = g_strdup (caller->actor);
  return TRUE;

fail:
  tx_rollback (self);
  return FALSE;
}

static gboolean
change_state (BourseRisk             *self,
              BourseTradingState      state,
              const char             *reason,
              gboolean                cancel_orders,
              gboolean                flatten,
              const BourseRiskCaller *caller,
              GError                **error)
{
  g_autoptr(GPtrArray) lifted = g_ptr_array_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  gint64 now;

  if (self->stopped)
    {
      bourse_set_field_error (error, BOURSE_ERROR_UNAVAILABLE, NULL, _("The engine is stopping"));
      return FALSE;
    }
  if (!validate_reason (reason, state != BOURSE_TRADING_STATE_ACTIVE, error))
    return FALSE;

  refresh (self);
  now = now_ms (self);
  /* A resume forgives: the protections that impose a state end with it. */
  if (state == BOURSE_TRADING_STATE_ACTIVE)
    for (guint i = 0; i < self->protections->len; i++)
      {
        Protection *protection = g_ptr_array_index (self->protections, i);

        if (protection->state != BOURSE_TRADING_STATE_ACTIVE)
          g_ptr_array_add (lifted, protection);
      }

  json_builder_begin_object (builder);
  add_string_member (builder, "state", bourse_trading_state_to_string (state));
  add_string_member (builder, "previous", bourse_trading_state_to_string (compute_state (self, now)));
  add_string_member (builder, "reason", reason);
  if (state == BOURSE_TRADING_STATE_HALTED)
    {
      json_builder_set_member_name (builder, "cancel_orders");
      json_builder_add_boolean_value (builder, cancel_orders);
      json_builder_set_member_name (builder, "flatten");
      json_builder_add_boolean_value (builder, flatten);
    }
  if (lifted->len > 0)
    {
      json_builder_set_member_name (builder, "lifted");
      json_builder_begin_array (builder);
      for (guint i = 0; i < lifted->len; i++)
        json_builder_add_int_value (builder, ((Protection *)g_ptr_array_index (lifted, i))->id);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  if (!write_state (self, state, reason, details, caller, lifted, error))
    return FALSE;

  if (!self->simulated)
    g_message ("Trading state set to %s by %s%s%s", bourse_trading_state_to_string (state), caller->actor,
               reason ? ": " : "", reason ? reason : "");
  for (guint i = 0; i < lifted->len; i++)
    g_ptr_array_remove (self->protections, g_ptr_array_index (lifted, i));
  if (lifted->len > 0)
    {
      /* The drawdown is measured afresh from here. */
      g_queue_clear_full (&self->equity, g_free);
      schedule_lift (self);
    }
  publish_if_changed (self, TRUE);
  return TRUE;
}

gboolean
bourse_risk_halt (BourseRisk             *self,
                  const char             *reason,
                  gboolean                cancel_orders,
                  gboolean                flatten,
                  const BourseRiskCaller *caller,
                  GError                **error)
{
  g_return_val_if_fail (BOURSE_IS_RISK (self), FALSE);
  g_return_val_if_fail (caller != NULL && caller->actor != NULL, FALSE);

  if (!change_state (self, BOURSE_TRADING_STATE_HALTED, reason, cancel_orders, flatten, caller, error))
    return FALSE;
  g_signal_emit (self, signals[HALTED], 0, cancel_orders, flatten, caller->actor);
  return TRUE;
}

gboolean
bourse_risk_set_state (BourseRisk             *self,
                       BourseTradingState      state,
                       const char             *reason,
                       const BourseRiskCaller *caller,
                       GError                **error)
{
  g_return_val_if_fail (BOURSE_IS_RISK (self), FALSE);
  g_return_val_if_fail (caller != NULL && caller->actor != NULL, FALSE);

  if (state == BOURSE_TRADING_STATE_HALTED)
    return bourse_risk_halt (self, reason, FALSE, FALSE, caller, error);
  return change_state (self, state, reason, FALSE, FALSE, caller, error);
}

/* }}} */

/* Settings from JSON {{{ */

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  return object != NULL && json_object_has_member (object, name) ? json_object_get_member (object, name) : NULL;
}

static gboolean
refuse_unknown (JsonObject          *object,
                const char * const  *known,
                const char          *prefix,
                GError             **error)
{
  g_autoptr(GList) names = json_object_get_members (object);

  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_autofree char *field = g_strconcat (prefix, l->data, NULL);

        bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, _("is not a member of this object"));
        return FALSE;
      }
  return TRUE;
}

/* A decimal string above zero (at most @max when given), or null for no
 * limit when @nullable; absent leaves *out alone. Never a JSON number:
 * binary floating point has no place near money. */
static gboolean
read_decimal (JsonObject           *object,
              const char           *name,
              const char           *field,
              gboolean              nullable,
              const BourseDecimal  *max,
              Limit                *out,
              GError              **error)
{
  JsonNode *node = member (object, name);
  BourseDecimal value;

  if (node == NULL)
    return TRUE;
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = (Limit) { FALSE, BOURSE_DECIMAL_ZERO };
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_STRING
      && bourse_decimal_parse (json_node_get_string (node), &value, NULL)
      && value.units > 0
      && (max == NULL || bourse_decimal_compare (value, *max) <= 0))
    {
      *out = (Limit) { TRUE, value };
      return TRUE;
    }

  if (max != NULL)
    {
      g_autofree char *max_s = decimal_text (*max);

      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field,
                              nullable ? _("must be a decimal string above 0 and at most %s, such as “0.05”, "
                                           "or null")
                                       : _("must be a decimal string above 0 and at most %s, such as “0.05”"),
                              max_s);
    }
  else
    bourse_set_field_error (error, BOURSE_ERROR_INVALID, field,
                            _("must be a decimal string above 0, such as “1000”, or null for no limit"));
  return FALSE;
}

/* A whole number in [min, max]; null is @null_value when @nullable. */
static gboolean
read_integer (JsonObject  *object,
              const char  *name,
              const char  *field,
              gint64       min,
              gint64       max,
              gboolean     nullable,
              gint64       null_value,
              gint64      *out,
              GError     **error)
{
  JsonNode *node = member (object, name);

  if (node == NULL)
    return TRUE;
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      *out = null_value;
      return TRUE;
    }
  if (json_node_get_value_type (node) == G_TYPE_INT64
      && json_node_get_int (node) >= min && json_node_get_int (node) <= max)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  bourse_set_field_error (error, BOURSE_ERROR_INVALID, field,
                          nullable ? _("must be a whole number from %" PRId64 " to %" PRId64 ", or null for no limit")
                                   : _("must be a whole number from %" PRId64 " to %" PRId64),
                          min, max);
  return FALSE;
}

/* An object member whose own members are all @known; *out is NULL when
 * it is absent. */
static gboolean
read_object (JsonObject          *object,
             const char          *name,
             const char          *field,
             const char * const  *known,
             JsonObject         **out,
             GError             **error)
{
  JsonNode *node = member (object, name);
  g_autofree char *prefix = NULL;

  *out = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, _("must be an object"));
      return FALSE;
    }
  prefix = g_strconcat (field, ".", NULL);
  if (!refuse_unknown (json_node_get_object (node), known, prefix, error))
    return FALSE;
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
symbol_is_valid (const char *symbol)
{
  gsize length = strlen (symbol);

  if (length < 2 || length > 20)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isupper (symbol[i]) && !g_ascii_isdigit (symbol[i]))
      return FALSE;
  return TRUE;
}

static gboolean
read_symbols (JsonObject  *object,
              GStrv       *out,
              GError     **error)
{
  JsonNode *node = member (object, "symbols_allowed");
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GHashTable) seen = NULL;
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_strfreev (*out);
      *out = g_new0 (char *, 1);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) > MAX_SYMBOLS)
    goto invalid;

  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *symbol;

      if (json_node_get_value_type (element) != G_TYPE_STRING
          || !symbol_is_valid ((symbol = json_node_get_string (element))))
        goto invalid;
      if (g_hash_table_add (seen, (gpointer)symbol))
        g_strv_builder_add (builder, symbol);
    }
  g_strfreev (*out);
  *out = g_strv_builder_end (builder);
  return TRUE;

invalid:
  bourse_set_field_error (error, BOURSE_ERROR_INVALID, "symbols_allowed",
                          _("must be a list of at most %d symbols such as “BTCUSDT” (empty: every symbol)"),
                          MAX_SYMBOLS);
  return FALSE;
}

static gboolean
read_limits (JsonObject  *body,
             Limits      *limits,
             GError     **error)
{
  static const char * const known[] = {
    "max_order_notional", "max_position_notional", "max_open_orders", "max_daily_loss", "symbols_allowed",
    "protections", NULL
  };
  static const char * const protection_members[] = {
    "cooldown", "stoploss_guard", "max_drawdown", "daily_loss", NULL
  };
  static const char * const cooldown_members[] = { "minutes", NULL };
  static const char * const guard_members[] = { "count", "window_minutes", "lock_minutes", NULL };
  static const char * const drawdown_members[] = { "fraction", "window_minutes", "lock_minutes", "state", NULL };
  static const char * const daily_members[] = { "halt", NULL };
  const BourseDecimal one = { BOURSE_DECIMAL_UNIT };
  JsonObject *protections, *cooldown, *guard, *drawdown, *daily;
  JsonNode *node;

  if (!refuse_unknown (body, known, "", error)
      || !read_decimal (body, "max_order_notional", "max_order_notional", TRUE, NULL,
                        &limits->max_order_notional, error)
      || !read_decimal (body, "max_position_notional", "max_position_notional", TRUE, NULL,
                        &limits->max_position_notional, error)
      || !read_integer (body, "max_open_orders", "max_open_orders", 1, 1000000, TRUE, 0,
                        &limits->max_open_orders, error)
      || !read_decimal (body, "max_daily_loss", "max_daily_loss", TRUE, NULL, &limits->max_daily_loss, error)
      || !read_symbols (body, &limits->symbols_allowed, error))
    return FALSE;

  if (!read_object (body, "protections", "protections", protection_members, &protections, error)
      || !read_object (protections, "cooldown", "protections.cooldown", cooldown_members, &cooldown, error)
      || !read_object (protections, "stoploss_guard", "protections.stoploss_guard", guard_members, &guard, error)
      || !read_object (protections, "max_drawdown", "protections.max_drawdown", drawdown_members, &drawdown,
                       error)
      || !read_object (protections, "daily_loss", "protections.daily_loss", daily_members, &daily, error)
      || !read_integer (cooldown, "minutes", "protections.cooldown.minutes", 0, MAX_MINUTES, FALSE, 0,
                     &limits->cooldown_minutes, error)
      || !read_integer (guard, "count", "protections.stoploss_guard.count", 0, 1000, FALSE, 0,
                        &limits->guard_count, error)
      || !read_integer (guard, "window_minutes", "protections.stoploss_guard.window_minutes", 1, MAX_MINUTES,
                        FALSE, 0, &limits->guard_window_minutes, error)
      || !read_integer (guard, "lock_minutes", "protections.stoploss_guard.lock_minutes", 1, MAX_MINUTES,
                        FALSE, 0, &limits->guard_lock_minutes, error)
      || !read_decimal (drawdown, "fraction", "protections.max_drawdown.fraction", TRUE, &one,
                        &limits->drawdown_fraction, error)
      || !read_integer (drawdown, "window_minutes", "protections.max_drawdown.window_minutes", 1, MAX_MINUTES,
                        FALSE, 0, &limits->drawdown_window_minutes, error)
      || !read_integer (drawdown, "lock_minutes", "protections.max_drawdown.lock_minutes", 1, MAX_MINUTES,
                        FALSE, 0, &limits->drawdown_lock_minutes, error))
    return FALSE;

  if ((node = member (drawdown, "state")) != NULL)
    {
      BourseTradingState state;

      if (json_node_get_value_type (node) != G_TYPE_STRING
          || !bourse_trading_state_parse (json_node_get_string (node), &state)
          || state == BOURSE_TRADING_STATE_ACTIVE)
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "protections.max_drawdown.state",
                                  _("must be “REDUCING” or “HALTED”"));
          return FALSE;
        }
      limits->drawdown_state = state;
    }
  if ((node = member (daily, "halt")) != NULL)
    {
      if (json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "protections.daily_loss.halt",
                                  _("must be true or false"));
          return FALSE;
        }
      limits->daily_loss_halt = json_node_get_boolean (node);
    }
  return TRUE;
}

static JsonNode *
limits_to_json (const Limits *limits)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_limit_member (builder, "max_order_notional", &limits->max_order_notional);
  add_limit_member (builder, "max_position_notional", &limits->max_position_notional);
  json_builder_set_member_name (builder, "max_open_orders");
  if (limits->max_open_orders > 0)
    json_builder_add_int_value (builder, limits->max_open_orders);
  else
    json_builder_add_null_value (builder);
  add_limit_member (builder, "max_daily_loss", &limits->max_daily_loss);
  json_builder_set_member_name (builder, "symbols_allowed");
  json_builder_begin_array (builder);
  for (guint i = 0; limits->symbols_allowed[i] != NULL; i++)
    json_builder_add_string_value (builder, limits->symbols_allowed[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "protections");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cooldown");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "minutes");
  json_builder_add_int_value (builder, limits->cooldown_minutes);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "stoploss_guard");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, limits->guard_count);
  json_builder_set_member_name (builder, "window_minutes");
  json_builder_add_int_value (builder, limits->guard_window_minutes);
  json_builder_set_member_name (builder, "lock_minutes");
  json_builder_add_int_value (builder, limits->guard_lock_minutes);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "max_drawdown");
  json_builder_begin_object (builder);
  add_limit_member (builder, "fraction", &limits->drawdown_fraction);
  json_builder_set_member_name (builder, "window_minutes");
  json_builder_add_int_value (builder, limits->drawdown_window_minutes);
  json_builder_set_member_name (builder, "lock_minutes");
  json_builder_add_int_value (builder, limits->drawdown_lock_minutes);
  add_string_member (builder, "state", bourse_trading_state_to_string (limits->drawdown_state));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "daily_loss");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "halt");
  json_builder_add_boolean_value (builder, limits->daily_loss_halt);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  add_string_member (builder, "updated_at", limits->updated_at);
  add_string_member (builder, "updated_by", limits->updated_by);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
bourse_risk_get_global (BourseRisk *self)
{
  g_return_val_if_fail (BOURSE_IS_RISK (self), NULL);

  return limits_to_json (&self->limits);
}

static gboolean
write_limits (BourseRisk    *self,
              const Limits  *limits,
              GError       **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) symbols = NULL;
  g_autofree char *symbols_text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; limits->symbols_allowed[i] != NULL; i++)
    json_builder_add_string_value (builder, limits->symbols_allowed[i]);
  json_builder_end_array (builder);
  symbols = json_builder_get_root (builder);
  symbols_text = bourse_json_to_string (symbols, NULL);

  stmt = bourse_store_statement (self->store,
                               "UPDATE risk_limits SET max_order_notional = ?, max_position_notional = ?, "
                               "max_open_orders = ?, max_daily_loss = ?, symbols_allowed = ?, cooldown_minutes = ?, "
                               "guard_count = ?, guard_window_minutes = ?, guard_lock_minutes = ?, "
                               "drawdown_fraction = ?, drawdown_window_minutes = ?, drawdown_lock_minutes = ?, "
                               "drawdown_state = ?, daily_loss_halt = ?, updated_at = ?, updated_by = ? "
                               "WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  bind_limit (stmt, 1, &limits->max_order_notional);
  bind_limit (stmt, 2, &limits->max_position_notional);
  if (limits->max_open_orders > 0)
    sqlite3_bind_int64 (stmt, 3, limits->max_open_orders);
  else
    sqlite3_bind_null (stmt, 3);
  bind_limit (stmt, 4, &limits->max_daily_loss);
  sqlite3_bind_text (stmt, 5, symbols_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, limits->cooldown_minutes);
  sqlite3_bind_int64 (stmt, 7, limits->guard_count);
  sqlite3_bind_int64 (stmt, 8, limits->guard_window_minutes);
  sqlite3_bind_int64 (stmt, 9, limits->guard_lock_minutes);
  bind_limit (stmt, 10, &limits->drawdown_fraction);
  sqlite3_bind_int64 (stmt, 11, limits->drawdown_window_minutes);
  sqlite3_bind_int64 (stmt, 12, limits->drawdown_lock_minutes);
  sqlite3_bind_text (stmt, 13, bourse_trading_state_to_string (limits->drawdown_state), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 14, limits->daily_loss_halt ? 1 : 0);
  sqlite3_bind_text (stmt, 15, limits->updated_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 16, limits->updated_by, -1, SQLITE_STATIC);
  return bourse_store_step_done (self->store, stmt, error);
}

gboolean
bourse_risk_set_global (BourseRisk             *self,
                        JsonObject             *body,
                        const BourseRiskCaller *caller,
                        GError                **error)
{
  Limits limits;
  g_autoptr(JsonNode) details = NULL;

  g_return_val_if_fail (BOURSE_IS_RISK (self), FALSE);
  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (caller != NULL && caller->actor != NULL, FALSE);

  limits_copy (&self->limits, &limits);
  if (!read_limits (body, &limits, error))
    goto fail;
  g_free (limits.updated_at);
  limits.updated_at = now_text (self);
  g_free (limits.updated_by);
  limits.updated_by = g_strdup (caller->actor);

  details = limits_to_json (&limits);
  if (!tx_begin (self, error))
    goto fail;
  if (!write_limits (self, &limits, error)
      || !audit (self, caller, "risk.global.update", "risk:global", details, error)
      || !tx_commit (self, error))
    {
      tx_rollback (self);
      goto fail;
    }

  if (!self->simulated)
    g_message ("Risk limits changed by %s", caller->actor);
  limits_clear (&self->limits);
  self->limits = limits;
  return TRUE;

fail:
  limits_clear (&limits);
  return FALSE;
}

static JsonNode *
profile_to_json (BourseRisk    *self,
                 gint64         user_id,
                 const Profile *profile)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *risk_per_trade = bourse_decimal_to_string (profile->risk_per_trade);
  Limit order = stricter (&self->limits.max_order_notional, &profile->max_order_notional);
  Limit daily = stricter (&self->limits.max_daily_loss, &profile->max_daily_loss);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user_id");
  json_builder_add_int_value (builder, user_id);
  add_string_member (builder, "risk_per_trade", risk_per_trade);
  add_limit_member (builder, "max_order_notional", &profile->max_order_notional);
  add_limit_member (builder, "max_daily_loss", &profile->max_daily_loss);
  add_string_member (builder, "updated_at", profile->updated_at);
  /* What applies: the stricter of the profile and the global limit. */
  json_builder_set_member_name (builder, "effective");
  json_builder_begin_object (builder);
  add_limit_member (builder, "max_order_notional", &order);
  add_limit_member (builder, "max_daily_loss", &daily);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
bourse_risk_get_profile (BourseRisk *self,
                         gint64      user_id)
{
  g_autoptr(GError) error = NULL;
  Profile *profile;

  g_return_val_if_fail (BOURSE_IS_RISK (self), NULL);

  if ((profile = load_profile (self, user_id, &error)) == NULL)
    {
      g_warning ("The risk profile of user %" G_GINT64_FORMAT " could not be read: %s", user_id, error->message);
      return NULL;
    }
  return profile_to_json (self, user_id, profile);
}

/* A profile's limit may be stricter than the global one, never looser. */
static gboolean
within_global (const Limit  *global,
               const Limit  *value,
               const char   *field,
               GError      **error)
{
  g_autofree char *global_s = NULL;

  if (!global->set || !value->set || bourse_decimal_compare (value->value, global->value) <= 0)
    return TRUE;
  global_s = decimal_text (global->value);
  bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, _("must be at most the global limit of %s"), global_s);
  return FALSE;
}

gboolean
bourse_risk_set_profile (BourseRisk             *self,
                         gint64                  user_id,
                         JsonObject             *body,
                         const BourseRiskCaller *caller,
                         GError                **error)
{
  static const char * const known[] = { "risk_per_trade", "max_order_notional", "max_daily_loss", NULL };
  const BourseDecimal one = { BOURSE_DECIMAL_UNIT };
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *target = NULL;
  Profile *current, update;
  Limit risk_per_trade;

  g_return_val_if_fail (BOURSE_IS_RISK (self), FALSE);
  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (caller != NULL && caller->actor != NULL, FALSE);

  if ((current = load_profile (self, user_id, error)) == NULL)
    return FALSE;
  update = *current;
  risk_per_trade = (Limit) { TRUE, current->risk_per_trade };
  if (!refuse_unknown (body, known, "", error)
      || !read_decimal (body, "risk_per_trade", "risk_per_trade", TRUE, &one, &risk_per_trade, error)
      || !read_decimal (body, "max_order_notional", "max_order_notional", TRUE, NULL, &update.max_order_notional,
                        error)
      || !read_decimal (body, "max_daily_loss", "max_daily_loss", TRUE, NULL, &update.max_daily_loss, error)
      || !within_global (&self->limits.max_order_notional, &update.max_order_notional, "max_order_notional", error)
      || !within_global (&self->limits.max_daily_loss, &update.max_daily_loss, "max_daily_loss", error))
    return FALSE;
  /* null: back to the default. */
  update.risk_per_trade.units = risk_per_trade.set ? risk_per_trade.value.units : DEFAULT_RISK_PER_TRADE;
  update.updated_at = now_text (self);

  target = user_id > 0 ? g_strdup_printf ("user:%" G_GINT64_FORMAT, user_id) : g_strdup ("local-owner");
  details = profile_to_json (self, user_id, &update);
  if (!tx_begin (self, error))
    goto fail;
  stmt = bourse_store_statement (self->store,
                               "INSERT INTO risk_profiles (user_id, risk_per_trade, max_order_notional, "
                               "max_daily_loss, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                               "ON CONFLICT (user_id) DO UPDATE SET risk_per_trade = ?2, max_order_notional = ?3, "
                               "max_daily_loss = ?4, updated_at = ?5", error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_int64 (stmt, 2, update.risk_per_trade.units);
  bind_limit (stmt, 3, &update.max_order_notional);
  bind_limit (stmt, 4, &update.max_daily_loss);
  sqlite3_bind_text (stmt, 5, update.updated_at, -1, SQLITE_STATIC);
  if (!bourse_store_step_done (self->store, stmt, error)
      || !audit (self, caller, "risk.profile.update", target, details, error)
      || !tx_commit (self, error))
    goto rollback;

  g_free (current->updated_at);
  *current = update;
  return TRUE;

rollback:
  tx_rollback (self);
fail:
  g_free (update.updated_at);
  return FALSE;
}

/* }}} */

/* GObject {{{ */

static void
bourse_risk_finalize (GObject *object)
{
  BourseRisk *self = (BourseRisk *)object;

  g_clear_handle_id (&self->lift_source, bourse_source_remove);
  limits_clear (&self->limits);
  g_clear_pointer (&self->profiles, g_hash_table_unref);
  g_clear_pointer (&self->protections, g_ptr_array_unref);
  g_queue_clear_full (&self->equity, g_free);
  g_clear_pointer (&self->manual_reason, g_free);
  g_clear_pointer (&self->manual_set_by, g_free);
  g_clear_object (&self->store);
  g_clear_object (&self->config);
  g_clear_object (&self->bus);

  G_OBJECT_CLASS (bourse_risk_parent_class)->finalize (object);
}

static void
bourse_risk_class_init (BourseRiskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bourse_risk_finalize;

  signals[HALTED] =
    g_signal_new ("halted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_BOOLEAN, G_TYPE_BOOLEAN, G_TYPE_STRING);
  signals[STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
bourse_risk_init (BourseRisk *self)
{
  self->profiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)profile_free);
  self->protections = g_ptr_array_new_with_free_func ((GDestroyNotify)protection_free);
  self->limits.symbols_allowed = g_new0 (char *, 1);
  g_queue_init (&self->equity);
  self->clock = wall_clock;
}

BourseRisk *
bourse_risk_new (BourseStore     *store,
                 BourseConfig    *config,
                 BourseEventBus  *bus,
                 GError         **error)
{
  g_autoptr(BourseRisk) self = NULL;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (config == NULL || BOURSE_IS_CONFIG (config), NULL);
  g_return_val_if_fail (bus == NULL || BOURSE_IS_EVENT_BUS (bus), NULL);

  self = g_object_new (BOURSE_TYPE_RISK, NULL);
  self->store = g_object_ref (store);
  self->config = config ? g_object_ref (config) : NULL;
  self->bus = bus ? g_object_ref (bus) : NULL;

  if (!load_limits (self, error) || !load_state (self, error) || !load_protections (self, error))
    return NULL;

  /* What ended while the engine was down ends now. */
  lift_expired (self, now_ms (self));
  self->state = compute_state (self, now_ms (self));
  if (self->state != BOURSE_TRADING_STATE_ACTIVE)
    g_message ("Trading is %s", bourse_trading_state_to_string (self->state));
  schedule_lift (self);
  return g_steal_pointer (&self);
}

/* GET /risk/global answers what PUT does not take: who changed it last. */
static JsonObject *
settable_limits (JsonObject *limits)
{
  JsonObject *body = json_object_new ();
  g_autoptr(GList) names = json_object_get_members (limits);

  for (GList *l = names; l != NULL; l = l->next)
    if (g_strcmp0 (l->data, "updated_at") != 0 && g_strcmp0 (l->data, "updated_by") != 0)
      json_object_set_member (body, l->data, json_node_copy (json_object_get_member (limits, l->data)));
  return body;
}

BourseRisk *
bourse_risk_new_simulated (JsonObject       *global_limits,
                           BourseRiskClock   clock,
                           gpointer          clock_data,
                           GError          **error)
{
  static const BourseRiskCaller simulation = { "backtest", 0, NULL };
  g_autoptr(BourseRisk) self = NULL;
  g_autoptr(BourseStore) store = NULL;
  g_autoptr(JsonObject) body = NULL;

  g_return_val_if_fail (global_limits != NULL, NULL);
  g_return_val_if_fail (clock != NULL, NULL);

  if ((store = bourse_store_open_memory (error)) == NULL)
    return NULL;
  self = g_object_new (BOURSE_TYPE_RISK, NULL);
  self->store = g_steal_pointer (&store);
  self->clock = clock;
  self->clock_data = clock_data;
  self->simulated = TRUE;
  if (!load_limits (self, error) || !load_state (self, error) || !load_protections (self, error))
    return NULL;
  self->state = compute_state (self, now_ms (self));

  body = settable_limits (global_limits);
  if (!bourse_risk_set_global (self, body, &simulation, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
bourse_risk_stop (BourseRisk *self)
{
  g_return_if_fail (BOURSE_IS_RISK (self));

  self->stopped = TRUE;
  g_clear_handle_id (&self->lift_source, bourse_source_remove);
  self->lift_due = 0;
}

/* }}} */
