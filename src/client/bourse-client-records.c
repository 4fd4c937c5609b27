/* bourse-client-records.c — the API's records as typed objects
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bourse-client-records.h"

#include "core/bourse-decimal.h"

#define FIELD(Type, member, kind) { #member, BOURSE_CLIENT_FIELD_##kind, G_STRUCT_OFFSET (Type, member), NULL }
#define RECORD_FIELD(Type, member, get_type) \
  { #member, BOURSE_CLIENT_FIELD_RECORD, G_STRUCT_OFFSET (Type, member), get_type }

/* BourseClientStrategy {{{ */

struct _BourseClientStrategy
{
  BourseClientObject  parent_instance;

  gint64              id;
  char               *name;
  char               *strategy;
  char               *symbol;
  char               *interval;
  JsonObject         *params;
  char               *policy;
  gboolean            enabled;
  gint64              model_id;
  gint64              created_by;
  char               *created_at;
  char               *updated_at;
  char               *last_signal_at;
};

G_DEFINE_FINAL_TYPE (BourseClientStrategy, bourse_client_strategy, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField strategy_fields[] = {
  FIELD (BourseClientStrategy, id, INT64),
  FIELD (BourseClientStrategy, name, STRING),
  FIELD (BourseClientStrategy, strategy, STRING),
  FIELD (BourseClientStrategy, symbol, STRING),
  FIELD (BourseClientStrategy, interval, STRING),
  FIELD (BourseClientStrategy, params, OBJECT),
  FIELD (BourseClientStrategy, policy, STRING),
  FIELD (BourseClientStrategy, enabled, BOOLEAN),
  FIELD (BourseClientStrategy, model_id, INT64),
  FIELD (BourseClientStrategy, created_by, INT64),
  FIELD (BourseClientStrategy, created_at, STRING),
  FIELD (BourseClientStrategy, updated_at, STRING),
  FIELD (BourseClientStrategy, last_signal_at, STRING),
};

static void
bourse_client_strategy_class_init (BourseClientStrategyClass *klass)
{
  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "id",
                                      strategy_fields, G_N_ELEMENTS (strategy_fields));
}

static void
bourse_client_strategy_init (BourseClientStrategy *self)
{
}

#define GETTER(type, Type, TYPE, rtype, field)                  \
rtype                                                           \
bourse_client_##type##_get_##field (Type *self)                 \
{                                                               \
  g_return_val_if_fail (BOURSE_IS_CLIENT_##TYPE (self), 0);     \
  return (rtype) self->field;                                   \
}

GETTER (strategy, BourseClientStrategy, STRATEGY, gint64, id)
GETTER (strategy, BourseClientStrategy, STRATEGY, const char *, name)
GETTER (strategy, BourseClientStrategy, STRATEGY, const char *, strategy)
GETTER (strategy, BourseClientStrategy, STRATEGY, const char *, symbol)
GETTER (strategy, BourseClientStrategy, STRATEGY, const char *, interval)
GETTER (strategy, BourseClientStrategy, STRATEGY, JsonObject *, params)
GETTER (strategy, BourseClientStrategy, STRATEGY, const char *, policy)
GETTER (strategy, BourseClientStrategy, STRATEGY, gboolean, enabled)
GETTER (strategy, BourseClientStrategy, STRATEGY, gint64, model_id)
GETTER (strategy, BourseClientStrategy, STRATEGY, const char *, last_signal_at)

/* }}} */

/* BourseClientStrategyType {{{ */

struct _BourseClientStrategyType
{
  BourseClientObject  parent_instance;

  char               *id;
  char               *name;
  char               *version;
  char              **aliases;
  gint64              min_candles;
  JsonObject         *parameters;
};

G_DEFINE_FINAL_TYPE (BourseClientStrategyType, bourse_client_strategy_type, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField strategy_type_fields[] = {
  FIELD (BourseClientStrategyType, id, STRING),
  FIELD (BourseClientStrategyType, name, STRING),
  FIELD (BourseClientStrategyType, version, STRING),
  FIELD (BourseClientStrategyType, aliases, STRV),
  FIELD (BourseClientStrategyType, min_candles, INT64),
  FIELD (BourseClientStrategyType, parameters, OBJECT),
};

static void
bourse_client_strategy_type_class_init (BourseClientStrategyTypeClass *klass)
{
  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "id",
                                      strategy_type_fields, G_N_ELEMENTS (strategy_type_fields));
}

static void
bourse_client_strategy_type_init (BourseClientStrategyType *self)
{
}

GETTER (strategy_type, BourseClientStrategyType, STRATEGY_TYPE, const char *, id)
GETTER (strategy_type, BourseClientStrategyType, STRATEGY_TYPE, const char *, name)
GETTER (strategy_type, BourseClientStrategyType, STRATEGY_TYPE, const char *, version)
GETTER (strategy_type, BourseClientStrategyType, STRATEGY_TYPE, const char * const *, aliases)
GETTER (strategy_type, BourseClientStrategyType, STRATEGY_TYPE, gint64, min_candles)
GETTER (strategy_type, BourseClientStrategyType, STRATEGY_TYPE, JsonObject *, parameters)

guint
bourse_client_strategy_type_get_n_parameters (BourseClientStrategyType *self)
{
  JsonNode *node;

  g_return_val_if_fail (BOURSE_IS_CLIENT_STRATEGY_TYPE (self), 0);

  node = self->parameters != NULL ? json_object_get_member (self->parameters, "properties") : NULL;
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_object_get_size (json_node_get_object (node)) : 0;
}

/* }}} */

/* BourseClientInstrument {{{ */

struct _BourseClientInstrument
{
  BourseClientObject  parent_instance;

  char               *symbol;
  char               *base_asset;
  char               *quote_asset;
  char               *status;
  gboolean            simulated;
  char               *tick_size;
  char               *source;
};

G_DEFINE_FINAL_TYPE (BourseClientInstrument, bourse_client_instrument, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField instrument_fields[] = {
  FIELD (BourseClientInstrument, symbol, STRING),
  FIELD (BourseClientInstrument, base_asset, STRING),
  FIELD (BourseClientInstrument, quote_asset, STRING),
  FIELD (BourseClientInstrument, status, STRING),
  FIELD (BourseClientInstrument, simulated, BOOLEAN),
  FIELD (BourseClientInstrument, tick_size, STRING),
  FIELD (BourseClientInstrument, source, STRING),
};

static void
bourse_client_instrument_class_init (BourseClientInstrumentClass *klass)
{
  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "symbol",
                                      instrument_fields, G_N_ELEMENTS (instrument_fields));
}

static void
bourse_client_instrument_init (BourseClientInstrument *self)
{
}

GETTER (instrument, BourseClientInstrument, INSTRUMENT, const char *, symbol)
GETTER (instrument, BourseClientInstrument, INSTRUMENT, const char *, base_asset)
GETTER (instrument, BourseClientInstrument, INSTRUMENT, const char *, quote_asset)
GETTER (instrument, BourseClientInstrument, INSTRUMENT, const char *, status)
GETTER (instrument, BourseClientInstrument, INSTRUMENT, gboolean, simulated)
GETTER (instrument, BourseClientInstrument, INSTRUMENT, const char *, tick_size)
GETTER (instrument, BourseClientInstrument, INSTRUMENT, const char *, source)

/* }}} */

/* BourseClientApproval {{{ */

struct _BourseClientApproval
{
  BourseClientObject  parent_instance;

  gint64              id;
  gint64              recommendation_id;
  char               *status;
  gint64              requested_by;
  gint64              decided_by;
  char               *reason;
  char               *created_at;
  char               *decided_at;
  char               *expires_at;
  gint64              order_id;
  BourseClientRecommendation *recommendation;
  char               *requested_by_name;
  char               *decided_by_name;
};

G_DEFINE_FINAL_TYPE (BourseClientApproval, bourse_client_approval, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField approval_fields[] = {
  FIELD (BourseClientApproval, id, INT64),
  FIELD (BourseClientApproval, recommendation_id, INT64),
  FIELD (BourseClientApproval, status, STRING),
  FIELD (BourseClientApproval, requested_by, INT64),
  FIELD (BourseClientApproval, decided_by, INT64),
  FIELD (BourseClientApproval, reason, STRING),
  FIELD (BourseClientApproval, created_at, STRING),
  FIELD (BourseClientApproval, decided_at, STRING),
  FIELD (BourseClientApproval, expires_at, STRING),
  FIELD (BourseClientApproval, order_id, INT64),
  RECORD_FIELD (BourseClientApproval, recommendation, bourse_client_recommendation_get_type),
  FIELD (BourseClientApproval, requested_by_name, STRING),
  FIELD (BourseClientApproval, decided_by_name, STRING),
};

static gboolean
is_pending (const char *status)
{
  return g_strcmp0 (status, "pending") == 0;
}

/* Decisions and executions are final: a late "created" event, or a list
 * read before the execution, must not undo them. */
static gboolean
bourse_client_approval_accepts (BourseClientObject *object,
                                JsonObject         *json)
{
  BourseClientApproval *self = BOURSE_CLIENT_APPROVAL (object);
  JsonNode *order_id = json_object_get_member (json, "order_id");
  JsonNode *status = json_object_get_member (json, "status");
  gboolean now_pending = status != NULL && JSON_NODE_HOLDS_VALUE (status) &&
                         is_pending (json_node_get_string (status));
  gboolean now_executed = order_id != NULL && JSON_NODE_HOLDS_VALUE (order_id) &&
                          json_node_get_value_type (order_id) == G_TYPE_INT64;

  return !(!is_pending (self->status) && now_pending) && !(self->order_id != 0 && !now_executed);
}

static void
bourse_client_approval_class_init (BourseClientApprovalClass *klass)
{
  BOURSE_CLIENT_OBJECT_CLASS (klass)->accepts = bourse_client_approval_accepts;
  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "id",
                                      approval_fields, G_N_ELEMENTS (approval_fields));
}

static void
bourse_client_approval_init (BourseClientApproval *self)
{
}

GETTER (approval, BourseClientApproval, APPROVAL, gint64, id)
GETTER (approval, BourseClientApproval, APPROVAL, gint64, recommendation_id)
GETTER (approval, BourseClientApproval, APPROVAL, const char *, status)
GETTER (approval, BourseClientApproval, APPROVAL, const char *, reason)
GETTER (approval, BourseClientApproval, APPROVAL, const char *, expires_at)
GETTER (approval, BourseClientApproval, APPROVAL, const char *, decided_at)
GETTER (approval, BourseClientApproval, APPROVAL, BourseClientRecommendation *, recommendation)
GETTER (approval, BourseClientApproval, APPROVAL, gint64, requested_by)
GETTER (approval, BourseClientApproval, APPROVAL, gint64, decided_by)
GETTER (approval, BourseClientApproval, APPROVAL, const char *, created_at)
GETTER (approval, BourseClientApproval, APPROVAL, gint64, order_id)
GETTER (approval, BourseClientApproval, APPROVAL, const char *, requested_by_name)
GETTER (approval, BourseClientApproval, APPROVAL, const char *, decided_by_name)

gboolean
bourse_client_approval_is_pending (BourseClientApproval *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_APPROVAL (self), FALSE);

  return is_pending (self->status);
}

gboolean
bourse_client_approval_is_executable (BourseClientApproval *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_APPROVAL (self), FALSE);

  return g_strcmp0 (self->status, "approved") == 0 && self->order_id == 0;
}

const char *
bourse_client_approval_get_strategy_name (BourseClientApproval *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_APPROVAL (self), NULL);

  return self->recommendation != NULL
         ? bourse_client_recommendation_get_strategy_name (self->recommendation) : NULL;
}

/* }}} */

/* BourseClientOrder {{{ */

struct _BourseClientOrder
{
  BourseClientObject  parent_instance;

  gint64              id;
  char               *symbol;
  char               *side;
  char               *type;
  char               *status;
  char               *mode;
  char               *quantity;
  char               *price;
  char               *stop_price;
  char               *filled_quantity;
  char               *average_price;
  char               *reason;
  char               *exchange_order_id;
  gboolean            external;
  char               *cancel_requested_at;
  gint64              created_by;
  char               *created_by_name;
  char               *strategy_name;
  char               *created_at;
  char               *updated_at;
};

G_DEFINE_FINAL_TYPE (BourseClientOrder, bourse_client_order, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField order_fields[] = {
  FIELD (BourseClientOrder, id, INT64),
  FIELD (BourseClientOrder, symbol, STRING),
  FIELD (BourseClientOrder, side, STRING),
  FIELD (BourseClientOrder, type, STRING),
  FIELD (BourseClientOrder, status, STRING),
  FIELD (BourseClientOrder, mode, STRING),
  FIELD (BourseClientOrder, quantity, STRING),
  FIELD (BourseClientOrder, price, STRING),
  FIELD (BourseClientOrder, stop_price, STRING),
  FIELD (BourseClientOrder, filled_quantity, STRING),
  FIELD (BourseClientOrder, average_price, STRING),
  FIELD (BourseClientOrder, reason, STRING),
  FIELD (BourseClientOrder, exchange_order_id, STRING),
  FIELD (BourseClientOrder, external, BOOLEAN),
  FIELD (BourseClientOrder, cancel_requested_at, STRING),
  FIELD (BourseClientOrder, created_by, INT64),
  FIELD (BourseClientOrder, created_by_name, STRING),
  FIELD (BourseClientOrder, strategy_name, STRING),
  FIELD (BourseClientOrder, created_at, STRING),
  FIELD (BourseClientOrder, updated_at, STRING),
};

static void
bourse_client_order_class_init (BourseClientOrderClass *klass)
{
  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "id",
                                      order_fields, G_N_ELEMENTS (order_fields));
}

static void
bourse_client_order_init (BourseClientOrder *self)
{
}

GETTER (order, BourseClientOrder, ORDER, gint64, id)
GETTER (order, BourseClientOrder, ORDER, const char *, symbol)
GETTER (order, BourseClientOrder, ORDER, const char *, side)

/* Not _get_type: that is the GType's. */
const char *
bourse_client_order_get_order_type (BourseClientOrder *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_ORDER (self), NULL);

  return self->type;
}

GETTER (order, BourseClientOrder, ORDER, const char *, status)
GETTER (order, BourseClientOrder, ORDER, const char *, mode)
GETTER (order, BourseClientOrder, ORDER, const char *, quantity)
GETTER (order, BourseClientOrder, ORDER, const char *, price)
GETTER (order, BourseClientOrder, ORDER, const char *, stop_price)
GETTER (order, BourseClientOrder, ORDER, const char *, filled_quantity)
GETTER (order, BourseClientOrder, ORDER, const char *, average_price)
GETTER (order, BourseClientOrder, ORDER, const char *, reason)
GETTER (order, BourseClientOrder, ORDER, const char *, exchange_order_id)
GETTER (order, BourseClientOrder, ORDER, gboolean, external)
GETTER (order, BourseClientOrder, ORDER, const char *, cancel_requested_at)
GETTER (order, BourseClientOrder, ORDER, gint64, created_by)
GETTER (order, BourseClientOrder, ORDER, const char *, strategy_name)
GETTER (order, BourseClientOrder, ORDER, const char *, created_at)

/* }}} */

/* BourseClientUser {{{ */

struct _BourseClientUser
{
  BourseClientObject  parent_instance;

  gint64              id;
  char               *username;
  char               *email;
  char               *role;
  char               *status;
  char               *tier;
  char               *auth_source;
  char               *created_at;
  char               *last_login_at;
};

G_DEFINE_FINAL_TYPE (BourseClientUser, bourse_client_user, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField user_fields[] = {
  FIELD (BourseClientUser, id, INT64),
  FIELD (BourseClientUser, username, STRING),
  FIELD (BourseClientUser, email, STRING),
  FIELD (BourseClientUser, role, STRING),
  FIELD (BourseClientUser, status, STRING),
  FIELD (BourseClientUser, tier, STRING),
  FIELD (BourseClientUser, auth_source, STRING),
  FIELD (BourseClientUser, created_at, STRING),
  FIELD (BourseClientUser, last_login_at, STRING),
};

static void
bourse_client_user_class_init (BourseClientUserClass *klass)
{
  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "id",
                                      user_fields, G_N_ELEMENTS (user_fields));
}

static void
bourse_client_user_init (BourseClientUser *self)
{
}

GETTER (user, BourseClientUser, USER, gint64, id)
GETTER (user, BourseClientUser, USER, const char *, username)
GETTER (user, BourseClientUser, USER, const char *, email)
GETTER (user, BourseClientUser, USER, const char *, role)
GETTER (user, BourseClientUser, USER, const char *, status)
GETTER (user, BourseClientUser, USER, const char *, last_login_at)

/* }}} */

/* BourseClientAuditEntry {{{ */

struct _BourseClientAuditEntry
{
  BourseClientObject  parent_instance;

  gint64              id;
  char               *ts;
  char               *actor;
  char               *actor_name;
  char               *action;
  char               *target;
  char               *target_name;
  JsonObject         *details;
  char               *client_address;
  char               *request_id;
};

G_DEFINE_FINAL_TYPE (BourseClientAuditEntry, bourse_client_audit_entry, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField audit_entry_fields[] = {
  FIELD (BourseClientAuditEntry, id, INT64),
  FIELD (BourseClientAuditEntry, ts, STRING),
  FIELD (BourseClientAuditEntry, actor, STRING),
  FIELD (BourseClientAuditEntry, actor_name, STRING),
  FIELD (BourseClientAuditEntry, action, STRING),
  FIELD (BourseClientAuditEntry, target, STRING),
  FIELD (BourseClientAuditEntry, target_name, STRING),
  FIELD (BourseClientAuditEntry, details, OBJECT),
  FIELD (BourseClientAuditEntry, client_address, STRING),
  FIELD (BourseClientAuditEntry, request_id, STRING),
};

static void
bourse_client_audit_entry_class_init (BourseClientAuditEntryClass *klass)
{
  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "id",
                                      audit_entry_fields, G_N_ELEMENTS (audit_entry_fields));
}

static void
bourse_client_audit_entry_init (BourseClientAuditEntry *self)
{
}

GETTER (audit_entry, BourseClientAuditEntry, AUDIT_ENTRY, gint64, id)
GETTER (audit_entry, BourseClientAuditEntry, AUDIT_ENTRY, const char *, ts)
GETTER (audit_entry, BourseClientAuditEntry, AUDIT_ENTRY, const char *, actor)
GETTER (audit_entry, BourseClientAuditEntry, AUDIT_ENTRY, const char *, actor_name)
GETTER (audit_entry, BourseClientAuditEntry, AUDIT_ENTRY, const char *, action)
GETTER (audit_entry, BourseClientAuditEntry, AUDIT_ENTRY, const char *, target)
GETTER (audit_entry, BourseClientAuditEntry, AUDIT_ENTRY, const char *, target_name)
GETTER (audit_entry, BourseClientAuditEntry, AUDIT_ENTRY, JsonObject *, details)

/* }}} */

/* Backtests and optimisations {{{ */

static gboolean
run_status_is_ended (const char *status)
{
  return g_strcmp0 (status, "succeeded") == 0 || g_strcmp0 (status, "failed") == 0
         || g_strcmp0 (status, "cancelled") == 0;
}

/* A run ends once: an end is never followed by a queued or running state
 * (a list read before the end, answered after its event). */
static gboolean
run_accepts (const char *status,
             JsonObject *json)
{
  JsonNode *node = json_object_get_member (json, "status");
  const char *now = node != NULL && JSON_NODE_HOLDS_VALUE (node)
                    && json_node_get_value_type (node) == G_TYPE_STRING
                  ? json_node_get_string (node) : NULL;

  return !run_status_is_ended (status) || run_status_is_ended (now);
}

struct _BourseClientBacktest
{
  BourseClientObject  parent_instance;

  gint64              id;
  gint64              job_id;
  gint64              optimisation_id;
  char               *strategy;
  char               *strategy_name;
  char               *symbol;
  char               *interval;
  char               *start;
  char               *end;
  JsonObject         *request;
  char               *status;
  char               *error;
  JsonObject         *summary;
  char               *note;
  gint64              created_by;
  char               *created_by_name;
  char               *created_at;
  char               *finished_at;

  double              progress;      /* not a member: from the jobs topic */
};

G_DEFINE_FINAL_TYPE (BourseClientBacktest, bourse_client_backtest, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField backtest_fields[] = {
  FIELD (BourseClientBacktest, id, INT64),
  FIELD (BourseClientBacktest, job_id, INT64),
  FIELD (BourseClientBacktest, optimisation_id, INT64),
  FIELD (BourseClientBacktest, strategy, STRING),
  FIELD (BourseClientBacktest, strategy_name, STRING),
  FIELD (BourseClientBacktest, symbol, STRING),
  FIELD (BourseClientBacktest, interval, STRING),
  FIELD (BourseClientBacktest, start, STRING),
  FIELD (BourseClientBacktest, end, STRING),
  FIELD (BourseClientBacktest, request, OBJECT),
  FIELD (BourseClientBacktest, status, STRING),
  FIELD (BourseClientBacktest, error, STRING),
  FIELD (BourseClientBacktest, summary, OBJECT),
  FIELD (BourseClientBacktest, note, STRING),
  FIELD (BourseClientBacktest, created_by, INT64),
  FIELD (BourseClientBacktest, created_by_name, STRING),
  FIELD (BourseClientBacktest, created_at, STRING),
  FIELD (BourseClientBacktest, finished_at, STRING),
};

/* After the members' properties. */
#define BACKTEST_PROP_PROGRESS (G_N_ELEMENTS (backtest_fields) + 1)

static GParamSpec *backtest_progress_pspec;
static GObjectGetPropertyFunc backtest_members_get_property;

static void
bourse_client_backtest_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  if (pspec == backtest_progress_pspec)
    g_value_set_double (value, BOURSE_CLIENT_BACKTEST (object)->progress);
  else
    backtest_members_get_property (object, prop_id, value, pspec);
}

static gboolean
bourse_client_backtest_accepts (BourseClientObject *object,
                                JsonObject         *json)
{
  return run_accepts (BOURSE_CLIENT_BACKTEST (object)->status, json);
}

static void
bourse_client_backtest_class_init (BourseClientBacktestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  BourseClientObjectClass *client_object_class = BOURSE_CLIENT_OBJECT_CLASS (klass);

  bourse_client_object_class_install (client_object_class, "id",
                                      backtest_fields, G_N_ELEMENTS (backtest_fields));
  client_object_class->accepts = bourse_client_backtest_accepts;

  /* The members are read by the base class; progress here. */
  backtest_members_get_property = object_class->get_property;
  object_class->get_property = bourse_client_backtest_get_property;
  backtest_progress_pspec =
    g_param_spec_double ("progress", NULL, NULL, -1, 1, -1,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, BACKTEST_PROP_PROGRESS, backtest_progress_pspec);
}

static void
bourse_client_backtest_init (BourseClientBacktest *self)
{
  self->progress = -1;
}

GETTER (backtest, BourseClientBacktest, BACKTEST, gint64, id)
GETTER (backtest, BourseClientBacktest, BACKTEST, gint64, job_id)
GETTER (backtest, BourseClientBacktest, BACKTEST, gint64, optimisation_id)
GETTER (backtest, BourseClientBacktest, BACKTEST, const char *, strategy)
GETTER (backtest, BourseClientBacktest, BACKTEST, const char *, strategy_name)
GETTER (backtest, BourseClientBacktest, BACKTEST, const char *, symbol)
GETTER (backtest, BourseClientBacktest, BACKTEST, const char *, interval)
GETTER (backtest, BourseClientBacktest, BACKTEST, const char *, start)
GETTER (backtest, BourseClientBacktest, BACKTEST, const char *, end)
GETTER (backtest, BourseClientBacktest, BACKTEST, JsonObject *, request)
GETTER (backtest, BourseClientBacktest, BACKTEST, const char *, status)
GETTER (backtest, BourseClientBacktest, BACKTEST, const char *, error)
GETTER (backtest, BourseClientBacktest, BACKTEST, JsonObject *, summary)
GETTER (backtest, BourseClientBacktest, BACKTEST, const char *, note)
GETTER (backtest, BourseClientBacktest, BACKTEST, gint64, created_by)
GETTER (backtest, BourseClientBacktest, BACKTEST, const char *, created_by_name)
GETTER (backtest, BourseClientBacktest, BACKTEST, const char *, created_at)
GETTER (backtest, BourseClientBacktest, BACKTEST, const char *, finished_at)
GETTER (backtest, BourseClientBacktest, BACKTEST, double, progress)

gboolean
bourse_client_backtest_is_ended (BourseClientBacktest *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_BACKTEST (self), FALSE);

  return run_status_is_ended (self->status);
}

void
bourse_client_backtest_set_progress (BourseClientBacktest *self,
                                     double                progress)
{
  g_return_if_fail (BOURSE_IS_CLIENT_BACKTEST (self));

  progress = progress < 0 ? -1 : MIN (progress, 1);
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), backtest_progress_pspec);
}

struct _BourseClientOptimisation
{
  BourseClientObject  parent_instance;

  gint64              id;
  gint64              job_id;
  char               *strategy;
  char               *symbol;
  char               *interval;
  char               *start;
  char               *end;
  JsonObject         *request;
  char               *status;
  char               *error;
  JsonObject         *best_params;
  char               *note;
  gint64              created_by;
  char               *created_by_name;
  char               *created_at;
  char               *finished_at;
};

G_DEFINE_FINAL_TYPE (BourseClientOptimisation, bourse_client_optimisation, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField optimisation_fields[] = {
  FIELD (BourseClientOptimisation, id, INT64),
  FIELD (BourseClientOptimisation, job_id, INT64),
  FIELD (BourseClientOptimisation, strategy, STRING),
  FIELD (BourseClientOptimisation, symbol, STRING),
  FIELD (BourseClientOptimisation, interval, STRING),
  FIELD (BourseClientOptimisation, start, STRING),
  FIELD (BourseClientOptimisation, end, STRING),
  FIELD (BourseClientOptimisation, request, OBJECT),
  FIELD (BourseClientOptimisation, status, STRING),
  FIELD (BourseClientOptimisation, error, STRING),
  FIELD (BourseClientOptimisation, best_params, OBJECT),
  FIELD (BourseClientOptimisation, note, STRING),
  FIELD (BourseClientOptimisation, created_by, INT64),
  FIELD (BourseClientOptimisation, created_by_name, STRING),
  FIELD (BourseClientOptimisation, created_at, STRING),
  FIELD (BourseClientOptimisation, finished_at, STRING),
};

static gboolean
bourse_client_optimisation_accepts (BourseClientObject *object,
                                    JsonObject         *json)
{
  return run_accepts (BOURSE_CLIENT_OPTIMISATION (object)->status, json);
}

static void
bourse_client_optimisation_class_init (BourseClientOptimisationClass *klass)
{
  BourseClientObjectClass *client_object_class = BOURSE_CLIENT_OBJECT_CLASS (klass);

  bourse_client_object_class_install (client_object_class, "id",
                                      optimisation_fields, G_N_ELEMENTS (optimisation_fields));
  client_object_class->accepts = bourse_client_optimisation_accepts;
}

static void
bourse_client_optimisation_init (BourseClientOptimisation *self)
{
}

GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, gint64, id)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, gint64, job_id)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, const char *, strategy)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, const char *, symbol)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, const char *, interval)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, const char *, start)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, const char *, end)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, JsonObject *, request)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, const char *, status)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, const char *, error)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, JsonObject *, best_params)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, const char *, note)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, gint64, created_by)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, const char *, created_by_name)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, const char *, created_at)
GETTER (optimisation, BourseClientOptimisation, OPTIMISATION, const char *, finished_at)

gboolean
bourse_client_optimisation_is_ended (BourseClientOptimisation *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_OPTIMISATION (self), FALSE);

  return run_status_is_ended (self->status);
}

/* }}} */

/* BourseClientPosition {{{ */

struct _BourseClientPosition
{
  BourseClientObject  parent_instance;

  char               *symbol;
  char               *quantity;
  char               *average_price;
  char               *cost;
  char               *realized_pnl;
  char               *fees;
  char               *last_price;
  char               *market_value;
  char               *unrealized_pnl;
  gint64              trade_id;
  char               *opened_at;
  char               *updated_at;
};

G_DEFINE_FINAL_TYPE (BourseClientPosition, bourse_client_position, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField position_fields[] = {
  FIELD (BourseClientPosition, symbol, STRING),
  FIELD (BourseClientPosition, quantity, STRING),
  FIELD (BourseClientPosition, average_price, STRING),
  FIELD (BourseClientPosition, cost, STRING),
  FIELD (BourseClientPosition, realized_pnl, STRING),
  FIELD (BourseClientPosition, fees, STRING),
  FIELD (BourseClientPosition, last_price, STRING),
  FIELD (BourseClientPosition, market_value, STRING),
  FIELD (BourseClientPosition, unrealized_pnl, STRING),
  FIELD (BourseClientPosition, trade_id, INT64),
  FIELD (BourseClientPosition, opened_at, STRING),
  FIELD (BourseClientPosition, updated_at, STRING),
};

static void
bourse_client_position_class_init (BourseClientPositionClass *klass)
{
  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "symbol",
                                      position_fields, G_N_ELEMENTS (position_fields));
}

static void
bourse_client_position_init (BourseClientPosition *self)
{
}

GETTER (position, BourseClientPosition, POSITION, const char *, symbol)
GETTER (position, BourseClientPosition, POSITION, const char *, quantity)
GETTER (position, BourseClientPosition, POSITION, const char *, average_price)
GETTER (position, BourseClientPosition, POSITION, const char *, cost)
GETTER (position, BourseClientPosition, POSITION, const char *, realized_pnl)
GETTER (position, BourseClientPosition, POSITION, const char *, fees)
GETTER (position, BourseClientPosition, POSITION, const char *, last_price)
GETTER (position, BourseClientPosition, POSITION, const char *, market_value)
GETTER (position, BourseClientPosition, POSITION, const char *, unrealized_pnl)
GETTER (position, BourseClientPosition, POSITION, gint64, trade_id)
GETTER (position, BourseClientPosition, POSITION, const char *, opened_at)
GETTER (position, BourseClientPosition, POSITION, const char *, updated_at)

gboolean
bourse_client_position_is_open (BourseClientPosition *self)
{
  BourseDecimal quantity;

  g_return_val_if_fail (BOURSE_IS_CLIENT_POSITION (self), FALSE);

  /* Read exactly: "0.00000000" is flat, a dust of 1e-8 is not. */
  return self->quantity != NULL
         && bourse_decimal_parse (self->quantity, &quantity, NULL)
         && !bourse_decimal_is_zero (quantity);
}

/* }}} */

/* BourseClientJob {{{ */

struct _BourseClientJob
{
  BourseClientObject  parent_instance;

  gint64              id;
  char               *kind;
  char               *status;
  double              progress;
  char               *message;
  char               *error;
  JsonObject         *params;
  gint64              created_by;
  char               *created_at;
  char               *started_at;
  char               *finished_at;
};

G_DEFINE_FINAL_TYPE (BourseClientJob, bourse_client_job, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField job_fields[] = {
  FIELD (BourseClientJob, id, INT64),
  FIELD (BourseClientJob, kind, STRING),
  FIELD (BourseClientJob, status, STRING),
  FIELD (BourseClientJob, progress, DOUBLE),
  FIELD (BourseClientJob, message, STRING),
  FIELD (BourseClientJob, error, STRING),
  FIELD (BourseClientJob, params, OBJECT),
  FIELD (BourseClientJob, created_by, INT64),
  FIELD (BourseClientJob, created_at, STRING),
  FIELD (BourseClientJob, started_at, STRING),
  FIELD (BourseClientJob, finished_at, STRING),
};

/* A job's states are a run's: it ends once. */
static gboolean
bourse_client_job_accepts (BourseClientObject *object,
                           JsonObject         *json)
{
  return run_accepts (BOURSE_CLIENT_JOB (object)->status, json);
}

static void
bourse_client_job_class_init (BourseClientJobClass *klass)
{
  BourseClientObjectClass *client_object_class = BOURSE_CLIENT_OBJECT_CLASS (klass);

  bourse_client_object_class_install (client_object_class, "id",
                                      job_fields, G_N_ELEMENTS (job_fields));
  client_object_class->accepts = bourse_client_job_accepts;
}

static void
bourse_client_job_init (BourseClientJob *self)
{
}

GETTER (job, BourseClientJob, JOB, gint64, id)
GETTER (job, BourseClientJob, JOB, const char *, kind)
GETTER (job, BourseClientJob, JOB, const char *, status)
GETTER (job, BourseClientJob, JOB, double, progress)
GETTER (job, BourseClientJob, JOB, const char *, message)
GETTER (job, BourseClientJob, JOB, const char *, error)
GETTER (job, BourseClientJob, JOB, JsonObject *, params)
GETTER (job, BourseClientJob, JOB, gint64, created_by)
GETTER (job, BourseClientJob, JOB, const char *, created_at)
GETTER (job, BourseClientJob, JOB, const char *, started_at)
GETTER (job, BourseClientJob, JOB, const char *, finished_at)

gboolean
bourse_client_job_is_ended (BourseClientJob *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_JOB (self), FALSE);

  return run_status_is_ended (self->status);
}

double
bourse_client_job_get_fraction (BourseClientJob *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_JOB (self), 0);

  if (g_strcmp0 (self->status, "succeeded") == 0)
    return 1;
  return CLAMP (self->progress, 0, 1);
}

/* }}} */

/* Sessions, API keys and devices {{{ */

struct _BourseClientSession
{
  BourseClientObject  parent_instance;

  gint64              id;
  gint64              user_id;
  char               *username;
  char               *created_at;
  char               *expires_at;
  char               *client_address;
  char               *user_agent;
  gboolean            current;
};

G_DEFINE_FINAL_TYPE (BourseClientSession, bourse_client_session, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField session_fields[] = {
  FIELD (BourseClientSession, id, INT64),
  FIELD (BourseClientSession, user_id, INT64),
  FIELD (BourseClientSession, username, STRING),
  FIELD (BourseClientSession, created_at, STRING),
  FIELD (BourseClientSession, expires_at, STRING),
  FIELD (BourseClientSession, client_address, STRING),
  FIELD (BourseClientSession, user_agent, STRING),
  FIELD (BourseClientSession, current, BOOLEAN),
};

static void
bourse_client_session_class_init (BourseClientSessionClass *klass)
{
  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "id",
                                      session_fields, G_N_ELEMENTS (session_fields));
}

static void
bourse_client_session_init (BourseClientSession *self)
{
}

GETTER (session, BourseClientSession, SESSION, gint64, id)
GETTER (session, BourseClientSession, SESSION, gint64, user_id)
GETTER (session, BourseClientSession, SESSION, const char *, username)
GETTER (session, BourseClientSession, SESSION, const char *, created_at)
GETTER (session, BourseClientSession, SESSION, const char *, expires_at)
GETTER (session, BourseClientSession, SESSION, const char *, client_address)
GETTER (session, BourseClientSession, SESSION, const char *, user_agent)
GETTER (session, BourseClientSession, SESSION, gboolean, current)

struct _BourseClientApiKey
{
  BourseClientObject  parent_instance;

  gint64              id;
  gint64              user_id;
  char               *name;
  char               *prefix;
  char               *role;
  char               *created_at;
  char               *expires_at;
  char               *last_used_at;
  char               *revoked_at;
};

G_DEFINE_FINAL_TYPE (BourseClientApiKey, bourse_client_api_key, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField api_key_fields[] = {
  FIELD (BourseClientApiKey, id, INT64),
  FIELD (BourseClientApiKey, user_id, INT64),
  FIELD (BourseClientApiKey, name, STRING),
  FIELD (BourseClientApiKey, prefix, STRING),
  FIELD (BourseClientApiKey, role, STRING),
  FIELD (BourseClientApiKey, created_at, STRING),
  FIELD (BourseClientApiKey, expires_at, STRING),
  FIELD (BourseClientApiKey, last_used_at, STRING),
  FIELD (BourseClientApiKey, revoked_at, STRING),
};

static void
bourse_client_api_key_class_init (BourseClientApiKeyClass *klass)
{
  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "id",
                                      api_key_fields, G_N_ELEMENTS (api_key_fields));
}

static void
bourse_client_api_key_init (BourseClientApiKey *self)
{
}

GETTER (api_key, BourseClientApiKey, API_KEY, gint64, id)
GETTER (api_key, BourseClientApiKey, API_KEY, const char *, name)
GETTER (api_key, BourseClientApiKey, API_KEY, const char *, prefix)
GETTER (api_key, BourseClientApiKey, API_KEY, const char *, role)
GETTER (api_key, BourseClientApiKey, API_KEY, const char *, created_at)
GETTER (api_key, BourseClientApiKey, API_KEY, const char *, expires_at)
GETTER (api_key, BourseClientApiKey, API_KEY, const char *, last_used_at)
GETTER (api_key, BourseClientApiKey, API_KEY, const char *, revoked_at)

gboolean
bourse_client_api_key_is_revoked (BourseClientApiKey *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_API_KEY (self), FALSE);

  return self->revoked_at != NULL;
}

struct _BourseClientDevice
{
  BourseClientObject  parent_instance;

  gint64              id;
  gint64              user_id;
  char               *name;
  char               *platform;
  char               *token;
  char               *created_at;
  char               *last_used_at;
};

G_DEFINE_FINAL_TYPE (BourseClientDevice, bourse_client_device, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField device_fields[] = {
  FIELD (BourseClientDevice, id, INT64),
  FIELD (BourseClientDevice, user_id, INT64),
  FIELD (BourseClientDevice, name, STRING),
  FIELD (BourseClientDevice, platform, STRING),
  FIELD (BourseClientDevice, token, STRING),
  FIELD (BourseClientDevice, created_at, STRING),
  FIELD (BourseClientDevice, last_used_at, STRING),
};

static void
bourse_client_device_class_init (BourseClientDeviceClass *klass)
{
  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "id",
                                      device_fields, G_N_ELEMENTS (device_fields));
}

static void
bourse_client_device_init (BourseClientDevice *self)
{
}

GETTER (device, BourseClientDevice, DEVICE, gint64, id)
GETTER (device, BourseClientDevice, DEVICE, const char *, name)
GETTER (device, BourseClientDevice, DEVICE, const char *, platform)
GETTER (device, BourseClientDevice, DEVICE, const char *, token)
GETTER (device, BourseClientDevice, DEVICE, const char *, created_at)
GETTER (device, BourseClientDevice, DEVICE, const char *, last_used_at)

/* }}} */

/* BourseClientRecommendation {{{ */

struct _BourseClientRecommendation
{
  BourseClientObject  parent_instance;

  gint64              id;
  char               *symbol;
  char               *interval;
  char               *strategy;
  char               *strategy_version;
  gint64              strategy_id;
  char               *strategy_name;
  char               *decision;
  char               *entry;
  char               *stop_loss;
  char               *take_profit;
  double              risk_reward;
  double              confidence;
  char               *reason;
  JsonObject         *metrics;
  JsonObject         *params;
  JsonObject         *window;
  gint64              approval_id;
  char               *origin;
  gint64              webhook_id;
  gboolean            simulated;
  gint64              created_by;
  char               *created_by_name;
  char               *created_at;
};

G_DEFINE_FINAL_TYPE (BourseClientRecommendation, bourse_client_recommendation, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField recommendation_fields[] = {
  FIELD (BourseClientRecommendation, id, INT64),
  FIELD (BourseClientRecommendation, symbol, STRING),
  FIELD (BourseClientRecommendation, interval, STRING),
  FIELD (BourseClientRecommendation, strategy, STRING),
  FIELD (BourseClientRecommendation, strategy_version, STRING),
  FIELD (BourseClientRecommendation, strategy_id, INT64),
  FIELD (BourseClientRecommendation, strategy_name, STRING),
  FIELD (BourseClientRecommendation, decision, STRING),
  FIELD (BourseClientRecommendation, entry, STRING),
  FIELD (BourseClientRecommendation, stop_loss, STRING),
  FIELD (BourseClientRecommendation, take_profit, STRING),
  FIELD (BourseClientRecommendation, risk_reward, DOUBLE),
  FIELD (BourseClientRecommendation, confidence, DOUBLE),
  FIELD (BourseClientRecommendation, reason, STRING),
  FIELD (BourseClientRecommendation, metrics, OBJECT),
  FIELD (BourseClientRecommendation, params, OBJECT),
  FIELD (BourseClientRecommendation, window, OBJECT),
  FIELD (BourseClientRecommendation, approval_id, INT64),
  FIELD (BourseClientRecommendation, origin, STRING),
  FIELD (BourseClientRecommendation, webhook_id, INT64),
  FIELD (BourseClientRecommendation, simulated, BOOLEAN),
  FIELD (BourseClientRecommendation, created_by, INT64),
  FIELD (BourseClientRecommendation, created_by_name, STRING),
  FIELD (BourseClientRecommendation, created_at, STRING),
};

static void
bourse_client_recommendation_class_init (BourseClientRecommendationClass *klass)
{
  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "id",
                                      recommendation_fields, G_N_ELEMENTS (recommendation_fields));
}

static void
bourse_client_recommendation_init (BourseClientRecommendation *self)
{
}

GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, gint64, id)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, const char *, symbol)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, const char *, interval)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, const char *, strategy)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, const char *, strategy_name)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, gint64, strategy_id)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, const char *, decision)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, const char *, entry)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, const char *, stop_loss)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, const char *, take_profit)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, double, confidence)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, const char *, reason)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, JsonObject *, metrics)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, JsonObject *, params)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, gint64, approval_id)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, const char *, origin)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, gboolean, simulated)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, gint64, created_by)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, const char *, created_by_name)
GETTER (recommendation, BourseClientRecommendation, RECOMMENDATION, const char *, created_at)

gboolean
bourse_client_recommendation_get_risk_reward (BourseClientRecommendation *self,
                                              double                     *value)
{
  JsonObject *json;
  JsonNode *node;

  g_return_val_if_fail (BOURSE_IS_CLIENT_RECOMMENDATION (self), FALSE);

  /* null is not 0: the member says which. */
  json = bourse_client_object_get_json (BOURSE_CLIENT_OBJECT (self));
  node = json != NULL ? json_object_get_member (json, "risk_reward") : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || (json_node_get_value_type (node) != G_TYPE_DOUBLE && json_node_get_value_type (node) != G_TYPE_INT64))
    return FALSE;
  if (value != NULL)
    *value = self->risk_reward;
  return TRUE;
}

static gint64
window_member (BourseClientRecommendation *self,
               const char                 *member)
{
  JsonNode *node = self->window != NULL ? json_object_get_member (self->window, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
         ? json_node_get_int (node) : 0;
}

gint64
bourse_client_recommendation_get_window_start (BourseClientRecommendation *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_RECOMMENDATION (self), 0);

  return window_member (self, "start");
}

gint64
bourse_client_recommendation_get_window_end (BourseClientRecommendation *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_RECOMMENDATION (self), 0);

  return window_member (self, "end");
}

gint64
bourse_client_recommendation_get_window_candles (BourseClientRecommendation *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_RECOMMENDATION (self), 0);

  return window_member (self, "candles");
}

gboolean
bourse_client_recommendation_has_levels (BourseClientRecommendation *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_RECOMMENDATION (self), FALSE);

  return g_strcmp0 (self->decision, "NO_TRADE") != 0 && self->entry != NULL;
}

/* }}} */

/* Configuration {{{ */

struct _BourseClientConfigKey
{
  BourseClientObject  parent_instance;

  char               *type;
  char               *value;
  char               *default_value;
  char               *description;
  char               *source;
  char               *origin;
  gboolean            restart_required;
  gboolean            pending_restart;
  gboolean            secret;
  gboolean            set;
  gint64              min;
  gint64              max;
  char              **allowed;
};

G_DEFINE_FINAL_TYPE (BourseClientConfigKey, bourse_client_config_key, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField config_key_fields[] = {
  FIELD (BourseClientConfigKey, type, STRING),
  FIELD (BourseClientConfigKey, value, TEXT),
  /* "default" is C's: the property is "default" all the same. */
  { "default", BOURSE_CLIENT_FIELD_TEXT, G_STRUCT_OFFSET (BourseClientConfigKey, default_value), NULL },
  FIELD (BourseClientConfigKey, description, STRING),
  FIELD (BourseClientConfigKey, source, STRING),
  FIELD (BourseClientConfigKey, origin, STRING),
  FIELD (BourseClientConfigKey, restart_required, BOOLEAN),
  FIELD (BourseClientConfigKey, pending_restart, BOOLEAN),
  FIELD (BourseClientConfigKey, secret, BOOLEAN),
  FIELD (BourseClientConfigKey, set, BOOLEAN),
  FIELD (BourseClientConfigKey, min, INT64),
  FIELD (BourseClientConfigKey, max, INT64),
  FIELD (BourseClientConfigKey, allowed, STRV),
};

static void
bourse_client_config_key_class_init (BourseClientConfigKeyClass *klass)
{
  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "key",
                                      config_key_fields, G_N_ELEMENTS (config_key_fields));
}

static void
bourse_client_config_key_init (BourseClientConfigKey *self)
{
}

GETTER (config_key, BourseClientConfigKey, CONFIG_KEY, const char *, default_value)
GETTER (config_key, BourseClientConfigKey, CONFIG_KEY, const char *, description)
GETTER (config_key, BourseClientConfigKey, CONFIG_KEY, const char *, source)
GETTER (config_key, BourseClientConfigKey, CONFIG_KEY, const char *, origin)
GETTER (config_key, BourseClientConfigKey, CONFIG_KEY, gboolean, restart_required)
GETTER (config_key, BourseClientConfigKey, CONFIG_KEY, gboolean, pending_restart)
GETTER (config_key, BourseClientConfigKey, CONFIG_KEY, gboolean, secret)
GETTER (config_key, BourseClientConfigKey, CONFIG_KEY, const char * const *, allowed)

const char *
bourse_client_config_key_get_key (BourseClientConfigKey *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_CONFIG_KEY (self), NULL);

  return bourse_client_object_get_key (BOURSE_CLIENT_OBJECT (self));
}

/* Not get_type: that is the GType's. */
const char *
bourse_client_config_key_get_value_type (BourseClientConfigKey *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_CONFIG_KEY (self), NULL);

  return self->type;
}

const char *
bourse_client_config_key_get_value (BourseClientConfigKey *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_CONFIG_KEY (self), "");

  /* The server sends null for a secret; this says so whatever it sends. */
  return self->secret ? "" : self->value;
}

gboolean
bourse_client_config_key_is_set (BourseClientConfigKey *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_CONFIG_KEY (self), FALSE);

  return self->set;
}

gboolean
bourse_client_config_key_get_range (BourseClientConfigKey *self,
                                    gint64                *min,
                                    gint64                *max)
{
  JsonObject *json;
  gboolean has_min, has_max;

  g_return_val_if_fail (BOURSE_IS_CLIENT_CONFIG_KEY (self), FALSE);

  /* An absent bound is not 0: the members say which. */
  json = bourse_client_object_get_json (BOURSE_CLIENT_OBJECT (self));
  has_min = json != NULL && json_object_has_member (json, "min") && !json_object_get_null_member (json, "min");
  has_max = json != NULL && json_object_has_member (json, "max") && !json_object_get_null_member (json, "max");
  if (has_min && min != NULL)
    *min = self->min;
  if (has_max && max != NULL)
    *max = self->max;
  return has_min && has_max;
}

struct _BourseClientConfigSection
{
  BourseClientObject  parent_instance;

  char               *name;
  GListStore         *keys;
};

G_DEFINE_FINAL_TYPE (BourseClientConfigSection, bourse_client_config_section, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField config_section_fields[] = {
  FIELD (BourseClientConfigSection, name, STRING),
};

static BourseClientConfigKey *
find_config_key (GListModel *keys,
                 const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr(BourseClientConfigKey) key = g_list_model_get_item (keys, i);

      if (g_strcmp0 (bourse_client_config_key_get_key (key), name) == 0)
        return key;
    }
  return NULL;
}

/* The keys follow the section as served: a key served again is updated
 * in place, and the list says only which keys came, went or moved. */
static void
bourse_client_config_section_sync_keys (BourseClientConfigSection *self)
{
  JsonObject *json = bourse_client_object_get_json (BOURSE_CLIENT_OBJECT (self));
  JsonNode *node = json != NULL ? json_object_get_member (json, "keys") : NULL;
  JsonArray *array = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->keys));
  gboolean same;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      g_autofree char *name = object != NULL ? bourse_client_object_dup_key_of (BOURSE_TYPE_CLIENT_CONFIG_KEY, object) : NULL;
      BourseClientConfigKey *key;

      if (name == NULL)
        continue;
      /* A key the section names twice is shown once. */
      for (guint j = 0; j < keys->len; j++)
        if (g_str_equal (bourse_client_config_key_get_key (g_ptr_array_index (keys, j)), name))
          g_clear_pointer (&name, g_free);
      if (name == NULL)
        continue;
      if ((key = find_config_key (G_LIST_MODEL (self->keys), name)) != NULL)
        {
          bourse_client_object_update (BOURSE_CLIENT_OBJECT (key), object);
          g_ptr_array_add (keys, g_object_ref (key));
        }
      else
        g_ptr_array_add (keys, bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_CONFIG_KEY, object));
    }

  same = keys->len == n_old;
  for (guint i = 0; same && i < n_old; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->keys), i);

      same = item == g_ptr_array_index (keys, i);
    }
  if (!same)
    g_list_store_splice (self->keys, 0, n_old, keys->pdata, keys->len);
}

static void
bourse_client_config_section_notify (GObject    *object,
                                     GParamSpec *pspec)
{
  if (g_str_equal (pspec->name, "json"))
    bourse_client_config_section_sync_keys (BOURSE_CLIENT_CONFIG_SECTION (object));

  if (G_OBJECT_CLASS (bourse_client_config_section_parent_class)->notify != NULL)
    G_OBJECT_CLASS (bourse_client_config_section_parent_class)->notify (object, pspec);
}

static void
bourse_client_config_section_finalize (GObject *object)
{
  BourseClientConfigSection *self = BOURSE_CLIENT_CONFIG_SECTION (object);

  g_clear_object (&self->keys);

  G_OBJECT_CLASS (bourse_client_config_section_parent_class)->finalize (object);
}

static void
bourse_client_config_section_class_init (BourseClientConfigSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bourse_client_config_section_finalize;
  object_class->notify = bourse_client_config_section_notify;

  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "name",
                                      config_section_fields, G_N_ELEMENTS (config_section_fields));
}

static void
bourse_client_config_section_init (BourseClientConfigSection *self)
{
  self->keys = g_list_store_new (BOURSE_TYPE_CLIENT_CONFIG_KEY);
}

GETTER (config_section, BourseClientConfigSection, CONFIG_SECTION, const char *, name)

GListModel *
bourse_client_config_section_get_keys (BourseClientConfigSection *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_CONFIG_SECTION (self), NULL);

  return G_LIST_MODEL (self->keys);
}

struct _BourseClientConfigChange
{
  BourseClientObject  parent_instance;

  char               *old_value;
  char               *new_value;
  gboolean            restart_required;
};

G_DEFINE_FINAL_TYPE (BourseClientConfigChange, bourse_client_config_change, BOURSE_TYPE_CLIENT_OBJECT)

static const BourseClientField config_change_fields[] = {
  { "old", BOURSE_CLIENT_FIELD_TEXT, G_STRUCT_OFFSET (BourseClientConfigChange, old_value), NULL },
  { "new", BOURSE_CLIENT_FIELD_TEXT, G_STRUCT_OFFSET (BourseClientConfigChange, new_value), NULL },
  FIELD (BourseClientConfigChange, restart_required, BOOLEAN),
};

static void
bourse_client_config_change_class_init (BourseClientConfigChangeClass *klass)
{
  bourse_client_object_class_install (BOURSE_CLIENT_OBJECT_CLASS (klass), "field",
                                      config_change_fields, G_N_ELEMENTS (config_change_fields));
}

static void
bourse_client_config_change_init (BourseClientConfigChange *self)
{
}

GETTER (config_change, BourseClientConfigChange, CONFIG_CHANGE, const char *, old_value)
GETTER (config_change, BourseClientConfigChange, CONFIG_CHANGE, const char *, new_value)
GETTER (config_change, BourseClientConfigChange, CONFIG_CHANGE, gboolean, restart_required)

const char *
bourse_client_config_change_get_field (BourseClientConfigChange *self)
{
  g_return_val_if_fail (BOURSE_IS_CLIENT_CONFIG_CHANGE (self), NULL);

  return bourse_client_object_get_key (BOURSE_CLIENT_OBJECT (self));
}

/* }}} */
