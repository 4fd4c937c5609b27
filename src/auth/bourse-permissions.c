/* bourse-permissions.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bourse-permissions.h"

#define V (1 << BOURSE_ROLE_VIEWER)
#define T (1 << BOURSE_ROLE_TRADER)
#define A (1 << BOURSE_ROLE_ADMIN)

/* The one permission matrix (DESIGN.md §7): admin everything, trader trading
 * within limits, viewer read-only. Routes name these; later issues add rows.
 * "own" permissions act on the caller's own records; handlers widen them to
 * everyone's for admins. */
static const struct {
  const char *permission;
  guint       roles;
} matrix[] = {
  { "system.read",        V | T | A },
  { "stream.subscribe",   V | T | A },
  { "profile.read",       V | T | A },   /* own profile */
  { "profile.write",      V | T | A },
  { "sessions.read",      V | T | A },   /* own sessions; admins all */
  { "sessions.revoke",    V | T | A },
  { "api_keys.read",      V | T | A },   /* own keys */
  { "api_keys.write",     V | T | A },
  { "metrics.read",               A },
  { "users.read",                 A },
  { "users.write",                A },
  { "audit.read",                 A },
  { "market.read",        V | T | A },
  { "instruments.write",          A },
  { "market.download",        T | A },
  { "jobs.read",          V | T | A },   /* own jobs; admins all */
  { "jobs.write",             T | A },   /* cancel own jobs; admins any */
  { "market.import",              A },
  { "strategies.read",    V | T | A },
  { "strategies.write",       T | A },
  { "recommendations.read", V | T | A },
  { "recommendations.write",  T | A },
  { "signals.read",       V | T | A },
  { "approvals.read",     V | T | A },
  { "approvals.decide",       T | A },   /* four-eyes: never what one asked for oneself */
  { "webhooks.write",             A },
  { "models.read",        V | T | A },
  { "models.write",           T | A },
  { "orders.read",        V | T | A },   /* own orders; admins all */
  { "orders.write",           T | A },   /* place orders, cancel one's own */
  { "orders.manage",              A },   /* cancel anyone's orders */
  { "approvals.execute",      T | A },   /* turn an approved recommendation into orders */
  { "portfolio.read",     V | T | A },   /* balances, positions, trades, PnL, equity */
  { "risk.read",          V | T | A },   /* global limits, own profile, the trading state */
  { "risk.profile",           T | A },   /* one's own risk profile, within the global limits */
  { "risk.write",                 A },   /* global limits, protections */
  { "risk.halt",              T | A },   /* the kill switch: anyone who trades may stop trading */
  { "risk.resume",                A },   /* leaving HALTED or REDUCING */
  { "system.control",             A },   /* start, stop, restart the trading loop; back to paper */
  { "system.live",                A },   /* switch to live trading (with its typed confirmation) */
  { "exchange.read",              A },   /* the exchange's status, the keys' check, reconciliations */
  { "exchange.keys",              A },   /* enter and remove the exchange's API keys */
  { "backtests.read",     V | T | A },   /* everyone's backtests, and comparing them */
  { "backtests.run",          T | A },   /* run backtests; note and delete one's own */
  { "backtests.manage",           A },   /* note and delete anyone's backtests */
  { "logs.read",                  A },   /* the log ring: GET /api/v1/logs, the logs topic */
  { "scheduler.read",             A },   /* the scheduler's jobs and runs */
  { "config.read",                A },   /* the configuration, and the config topic */
  { "config.write",               A },   /* change, import and export the configuration */
  { "notifications.read",  V | T | A },  /* own history and preferences; the notifications topic */
  { "notifications.write", V | T | A },  /* own preferences */
  { "notifications.manage",       A },   /* defaults, test sends, everyone's history */
  { "devices.write",      V | T | A },   /* own push devices */
};

gboolean
bourse_role_parse (const char *text,
                   BourseRole *role)
{
  if (g_strcmp0 (text, "admin") == 0)
    *role = BOURSE_ROLE_ADMIN;
  else if (g_strcmp0 (text, "trader") == 0)
    *role = BOURSE_ROLE_TRADER;
  else if (g_strcmp0 (text, "viewer") == 0)
    *role = BOURSE_ROLE_VIEWER;
  else
    return FALSE;
  return TRUE;
}

const char *
bourse_role_to_string (BourseRole role)
{
  switch (role)
    {
    case BOURSE_ROLE_ADMIN:  return "admin";
    case BOURSE_ROLE_TRADER: return "trader";
    case BOURSE_ROLE_VIEWER: return "viewer";
    default:                 g_return_val_if_reached ("viewer");
    }
}

static int
find (const char *permission)
{
  for (guint i = 0; i < G_N_ELEMENTS (matrix); i++)
    if (g_strcmp0 (matrix[i].permission, permission) == 0)
      return i;
  return -1;
}

gboolean
bourse_permission_is_known (const char *permission)
{
  return find (permission) >= 0;
}

gboolean
bourse_role_has_permission (BourseRole  role,
                            const char *permission)
{
  int i = find (permission);

  return i >= 0 && (matrix[i].roles & (1u << role)) != 0;
}

const char * const *
bourse_permission_list (void)
{
  static const char **names = NULL;

  if (g_once_init_enter (&names))
    {
      const char **list = g_new0 (const char *, G_N_ELEMENTS (matrix) + 1);

      for (guint i = 0; i < G_N_ELEMENTS (matrix); i++)
        list[i] = matrix[i].permission;
      g_once_init_leave (&names, list);
    }
  return names;
}

static void
add_permissions_of (JsonBuilder *builder,
                    BourseRole   role)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (matrix); i++)
    if ((matrix[i].roles & (1u << role)) != 0)
      json_builder_add_string_value (builder, matrix[i].permission);
  json_builder_end_array (builder);
}

JsonNode *
bourse_permissions_to_json (BourseRole role)
{
  static const BourseRole roles[] = { BOURSE_ROLE_ADMIN, BOURSE_ROLE_TRADER, BOURSE_ROLE_VIEWER };
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, bourse_role_to_string (role));
  json_builder_set_member_name (builder, "permissions");
  add_permissions_of (builder, role);
  json_builder_set_member_name (builder, "matrix");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      json_builder_set_member_name (builder, bourse_role_to_string (roles[i]));
      add_permissions_of (builder, roles[i]);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
