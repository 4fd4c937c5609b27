/* test-risk.c — limits, profiles, protections and the trading state
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One engine for the file. The engine's clock is frozen and moved by hand,
 * so protections trigger and lift without waiting on the wall clock; each
 * case starts from the defaults (reset ()).
 */

#include "config.h"

#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-time.h"
#include "server/bourse-request.h"

#include "desk-test-util.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define DAY_MS    G_GINT64_CONSTANT (86400000)

static BourseTestServer *server;
static gint64 clock_ms;
static gint64 tom_id;

/* Signal counts. */
static guint n_halted, n_state_changed;
static gboolean last_cancel_orders, last_flatten;
static char *last_halt_actor;

static BourseRisk *
risk (void)
{
  return bourse_engine_get_risk (server->engine);
}

static void
advance (gint64 ms)
{
  clock_ms += ms;
  bourse_time_freeze (clock_ms);
}

static BourseDecimal
dec (const char *text)
{
  BourseDecimal value;
  g_autoptr(GError) error = NULL;

  bourse_decimal_parse (text, &value, &error);
  g_assert_no_error (error);
  return value;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  return json_object_get_null_member (object, name) ? NULL : json_object_get_string_member (object, name);
}

static const char *
state_name (void)
{
  return bourse_trading_state_to_string (bourse_risk_get_state (risk ()));
}

static JsonNode *
put_global (const char *body)
{
  return desk_expect (server, "PUT", "/api/v1/risk/global", NULL, body, 200);
}

/* Defaults again, a resume, and a clock two days on (cooldowns over, the
 * windows empty). */
static void
reset (void)
{
  g_autoptr(JsonNode) global = NULL;
  g_autoptr(JsonNode) state = NULL;

  global = put_global ("{\"max_order_notional\":null,\"max_position_notional\":null,\"max_open_orders\":null,"
                       "\"max_daily_loss\":null,\"symbols_allowed\":[],\"protections\":{"
                       "\"cooldown\":{\"minutes\":0},"
                       "\"stoploss_guard\":{\"count\":0,\"window_minutes\":1440,\"lock_minutes\":60},"
                       "\"max_drawdown\":{\"fraction\":null,\"window_minutes\":1440,\"lock_minutes\":60,"
                       "\"state\":\"REDUCING\"},"
                       "\"daily_loss\":{\"halt\":true}}}");
  state = desk_expect (server, "POST", "/api/v1/risk/resume", NULL, NULL, 200);
  advance (2 * DAY_MS);
  bourse_risk_lift_expired (risk ());
  g_assert_cmpstr (state_name (), ==, "ACTIVE");
}

static BourseRiskOrder
order_of (const char *symbol,
          const char *notional)
{
  return (BourseRiskOrder) {
    .user_id = 0,
    .symbol = symbol,
    .reduces = FALSE,
    .notional = dec (notional),
    .position_notional = dec (notional),
    .open_orders = 0,
    .daily_pnl = BOURSE_DECIMAL_ZERO,
  };
}

static void
expect_ok (const BourseRiskOrder *order)
{
  g_autoptr(GError) error = NULL;

  bourse_risk_check_order (risk (), order, &error);
  g_assert_no_error (error);
}

/* A refusal with @code naming @field, whose message holds @text and
 * @text2 (either may be NULL). */
static void
expect_refused (const BourseRiskOrder *order,
                BourseErrorCode        code,
                const char            *field,
                const char            *text,
                const char            *text2)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (bourse_risk_check_order (risk (), order, &error));
  g_assert_error (error, BOURSE_ERROR, (gint)code);
  g_assert_cmpstr (bourse_error_get_field (error), ==, field);
  if (text != NULL && strstr (error->message, text) == NULL)
    g_error ("“%s” does not say “%s”", error->message, text);
  if (text2 != NULL && strstr (error->message, text2) == NULL)
    g_error ("“%s” does not say “%s”", error->message, text2);
}

/* The newest audit entry of @action. */
static JsonObject *
newest_audit (const char *action,
              JsonNode  **holder)
{
  JsonArray *items;

  g_clear_pointer (holder, json_node_unref);
  *holder = desk_audit (server, action);
  items = json_node_get_array (*holder);
  g_assert_cmpuint (json_array_get_length (items), >, 0);
  return json_array_get_object_element (items, 0);
}

static guint
count_audit (const char *action)
{
  g_autoptr(JsonNode) entries = desk_audit (server, action);

  return json_array_get_length (json_node_get_array (entries));
}

/* --- Limits ------------------------------------------------------------------------ */

static void
test_limits (void)
{
  g_autoptr(JsonNode) global = NULL;
  g_autoptr(JsonNode) audit_holder = NULL;
  BourseRiskOrder order;
  JsonObject *object, *entry;

  reset ();
  global = put_global ("{\"max_order_notional\":\"1000\",\"max_position_notional\":\"5000\","
                       "\"max_open_orders\":3,\"max_daily_loss\":\"200\","
                       "\"symbols_allowed\":[\"BTCUSDT\",\"ETHUSDT\",\"BTCUSDT\"]}");
  object = desk_object (global);
  g_assert_cmpstr (member_string (object, "max_order_notional"), ==, "1000.00000000");
  g_assert_cmpstr (member_string (object, "max_position_notional"), ==, "5000.00000000");
  g_assert_cmpint (json_object_get_int_member (object, "max_open_orders"), ==, 3);
  g_assert_cmpstr (member_string (object, "max_daily_loss"), ==, "200.00000000");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "symbols_allowed")), ==, 2);
  g_assert_cmpstr (member_string (object, "updated_by"), ==, "local-owner");

  /* Audited with what was set. */
  entry = newest_audit ("risk.global.update", &audit_holder);
  g_assert_cmpstr (json_object_get_string_member (entry, "actor"), ==, "local-owner");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "details"),
                                                  "max_order_notional"), ==, "1000.00000000");

  order = order_of ("BTCUSDT", "1000");
  expect_ok (&order);

  order = order_of ("SOLUSDT", "10");
  expect_refused (&order, BOURSE_ERROR_INVALID, "risk.symbols_allowed", "SOLUSDT", NULL);

  order = order_of ("BTCUSDT", "1000.01");
  expect_refused (&order, BOURSE_ERROR_INVALID, "risk.max_order_notional", "1000.01", "1000");

  order = order_of ("ETHUSDT", "100");
  order.position_notional = dec ("5000.5");
  expect_refused (&order, BOURSE_ERROR_INVALID, "risk.max_position_notional", "5000.5", "5000");

  order = order_of ("ETHUSDT", "100");
  order.open_orders = 2;
  expect_ok (&order);
  order.open_orders = 3;
  expect_refused (&order, BOURSE_ERROR_INVALID, "risk.max_open_orders", "3", NULL);

  order = order_of ("ETHUSDT", "100");
  order.daily_pnl = dec ("-199.99");
  expect_ok (&order);
  order.daily_pnl = dec ("-200");
  expect_refused (&order, BOURSE_ERROR_INVALID, "risk.max_daily_loss", "200", NULL);

  /* Closing is never refused by a limit. */
  order = order_of ("SOLUSDT", "999999");
  order.reduces = TRUE;
  order.open_orders = 100;
  order.daily_pnl = dec ("-100000");
  expect_ok (&order);

  /* null clears a limit; what is absent stays. */
  g_clear_pointer (&global, json_node_unref);
  global = put_global ("{\"max_order_notional\":null,\"symbols_allowed\":[]}");
  object = desk_object (global);
  g_assert_true (json_object_get_null_member (object, "max_order_notional"));
  g_assert_cmpstr (member_string (object, "max_position_notional"), ==, "5000.00000000");
  order = order_of ("SOLUSDT", "4999");
  expect_ok (&order);
}

static void
test_global_validation (void)
{
  static const struct {
    const char *body;
    const char *field;
  } cases[] = {
    { "{\"max_order_notional\":1000}", "max_order_notional" },          /* never a JSON number */
    { "{\"max_order_notional\":\"-5\"}", "max_order_notional" },
    { "{\"max_order_notional\":\"0\"}", "max_order_notional" },
    { "{\"max_order_notional\":\"abc\"}", "max_order_notional" },
    { "{\"max_position_notional\":\"1e3\"}", "max_position_notional" },
    { "{\"max_daily_loss\":true}", "max_daily_loss" },
    { "{\"max_open_orders\":\"3\"}", "max_open_orders" },
    { "{\"max_open_orders\":0}", "max_open_orders" },
    { "{\"max_open_orders\":2.5}", "max_open_orders" },
    { "{\"symbols_allowed\":\"BTCUSDT\"}", "symbols_allowed" },
    { "{\"symbols_allowed\":[\"btcusdt\"]}", "symbols_allowed" },
    { "{\"symbols_allowed\":[1]}", "symbols_allowed" },
    { "{\"surprise\":1}", "surprise" },
    { "{\"protections\":[]}", "protections" },
    { "{\"protections\":{\"unknown\":{}}}", "protections.unknown" },
    { "{\"protections\":{\"cooldown\":{\"minutes\":-1}}}", "protections.cooldown.minutes" },
    { "{\"protections\":{\"cooldown\":{\"minutes\":50000}}}", "protections.cooldown.minutes" },
    { "{\"protections\":{\"cooldown\":{\"seconds\":5}}}", "protections.cooldown.seconds" },
    { "{\"protections\":{\"stoploss_guard\":{\"count\":\"2\"}}}", "protections.stoploss_guard.count" },
    { "{\"protections\":{\"stoploss_guard\":{\"window_minutes\":0}}}", "protections.stoploss_guard.window_minutes" },
    { "{\"protections\":{\"stoploss_guard\":{\"lock_minutes\":null}}}", "protections.stoploss_guard.lock_minutes" },
    { "{\"protections\":{\"max_drawdown\":{\"fraction\":\"1.5\"}}}", "protections.max_drawdown.fraction" },
    { "{\"protections\":{\"max_drawdown\":{\"fraction\":0.1}}}", "protections.max_drawdown.fraction" },
    { "{\"protections\":{\"max_drawdown\":{\"state\":\"ACTIVE\"}}}", "protections.max_drawdown.state" },
    { "{\"protections\":{\"daily_loss\":{\"halt\":\"yes\"}}}", "protections.daily_loss.halt" },
  };
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;

  reset ();
  before = desk_expect (server, "GET", "/api/v1/risk/global", NULL, NULL, 200);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    desk_expect_field (server, "PUT", "/api/v1/risk/global", NULL, cases[i].body, 422, cases[i].field);

  /* Nothing of it was kept. */
  after = desk_expect (server, "GET", "/api/v1/risk/global", NULL, NULL, 200);
  before_text = json_to_string (before, FALSE);
  after_text = json_to_string (after, FALSE);
  g_assert_cmpstr (before_text, ==, after_text);
}

/* --- Profiles ------------------------------------------------------------------------ */

static void
test_profile (void)
{
  g_autofree char *tom = NULL;
  g_autofree char *vera = NULL;
  g_autoptr(JsonNode) profile = NULL;
  g_autoptr(JsonNode) global = NULL;
  g_autoptr(JsonNode) audit_holder = NULL;
  g_autofree char *target = NULL;
  BourseRiskOrder order;
  JsonObject *object, *entry;

  reset ();
  tom = desk_login (server, "tom", "trader");
  vera = desk_login (server, "vera", "viewer");

  /* The defaults. */
  profile = desk_expect (server, "GET", "/api/v1/risk/profile", tom, NULL, 200);
  object = desk_object (profile);
  g_assert_cmpint (json_object_get_int_member (object, "user_id"), ==, tom_id);
  g_assert_cmpstr (member_string (object, "risk_per_trade"), ==, "0.01000000");
  g_assert_true (json_object_get_null_member (object, "max_order_notional"));
  g_assert_true (json_object_get_null_member (object, "max_daily_loss"));
  g_assert_cmpint (bourse_risk_get_risk_per_trade (risk (), tom_id).units, ==, 1000000);

  global = put_global ("{\"max_order_notional\":\"1000\",\"max_daily_loss\":\"300\"}");

  /* Within the global limits. */
  g_clear_pointer (&profile, json_node_unref);
  profile = desk_expect (server, "PUT", "/api/v1/risk/profile", tom,
                         "{\"risk_per_trade\":\"0.02\",\"max_order_notional\":\"500\",\"max_daily_loss\":\"100\"}",
                         200);
  object = desk_object (profile);
  g_assert_cmpstr (member_string (object, "risk_per_trade"), ==, "0.02000000");
  g_assert_cmpstr (member_string (object, "max_order_notional"), ==, "500.00000000");
  g_assert_cmpstr (member_string (json_object_get_object_member (object, "effective"), "max_daily_loss"), ==,
                   "100.00000000");
  g_assert_cmpint (bourse_risk_get_risk_per_trade (risk (), tom_id).units, ==, 2000000);
  target = g_strdup_printf ("user:%" G_GINT64_FORMAT, tom_id);
  entry = newest_audit ("risk.profile.update", &audit_holder);
  g_assert_cmpstr (json_object_get_string_member (entry, "target"), ==, target);
  g_assert_cmpstr (json_object_get_string_member (entry, "actor"), ==, target);

  /* Outside them: 422 naming the field, and nothing changes. */
  desk_expect_field (server, "PUT", "/api/v1/risk/profile", tom, "{\"max_order_notional\":\"1000.01\"}", 422,
                     "max_order_notional");
  desk_expect_field (server, "PUT", "/api/v1/risk/profile", tom, "{\"max_daily_loss\":\"301\"}", 422,
                     "max_daily_loss");
  desk_expect_field (server, "PUT", "/api/v1/risk/profile", tom, "{\"risk_per_trade\":\"1.5\"}", 422,
                     "risk_per_trade");
  desk_expect_field (server, "PUT", "/api/v1/risk/profile", tom, "{\"risk_per_trade\":0.02}", 422,
                     "risk_per_trade");
  desk_expect_field (server, "PUT", "/api/v1/risk/profile", tom, "{\"risk_per_trade\":\"0\"}", 422,
                     "risk_per_trade");
  desk_expect_field (server, "PUT", "/api/v1/risk/profile", tom, "{\"leverage\":\"2\"}", 422, "leverage");
  g_assert_cmpint (bourse_risk_get_risk_per_trade (risk (), tom_id).units, ==, 2000000);

  /* The stricter of the two applies, to tom's orders only. */
  order = order_of ("BTCUSDT", "600");
  expect_ok (&order);
  order.user_id = tom_id;
  expect_refused (&order, BOURSE_ERROR_INVALID, "risk.max_order_notional", "600", "500");
  order = order_of ("BTCUSDT", "100");
  order.user_id = tom_id;
  order.daily_pnl = dec ("-100");
  expect_refused (&order, BOURSE_ERROR_INVALID, "risk.max_daily_loss", "100", NULL);

  /* Viewers read theirs, and cannot write it. */
  g_clear_pointer (&profile, json_node_unref);
  profile = desk_expect (server, "GET", "/api/v1/risk/profile", vera, NULL, 200);
  g_clear_pointer (&profile, json_node_unref);
  profile = desk_expect (server, "PUT", "/api/v1/risk/profile", vera, "{\"risk_per_trade\":\"0.02\"}", 403);

  /* null: back to the default. */
  g_clear_pointer (&profile, json_node_unref);
  profile = desk_expect (server, "PUT", "/api/v1/risk/profile", tom,
                         "{\"risk_per_trade\":null,\"max_order_notional\":null,\"max_daily_loss\":null}", 200);
  g_assert_cmpstr (member_string (desk_object (profile), "risk_per_trade"), ==, "0.01000000");
}

/* --- The trading state --------------------------------------------------------------- */

static void
halted_cb (BourseRisk *self,
           gboolean    cancel_orders,
           gboolean    flatten,
           const char *actor,
           gpointer    user_data)
{
  n_halted++;
  last_cancel_orders = cancel_orders;
  last_flatten = flatten;
  g_free (last_halt_actor);
  last_halt_actor = g_strdup (actor);
}

static void
state_changed_cb (BourseRisk *self,
                  gpointer    user_data)
{
  n_state_changed++;
}

/* Waits for the next event on "risk" and checks its state. */
static JsonObject *
next_risk_event (DeskWs     *ws,
                 guint      *seen,
                 const char *state)
{
  JsonObject *data;

  desk_ws_wait (ws, "risk", *seen + 1);
  data = desk_ws_event (ws, "risk", (*seen)++);
  g_assert_cmpstr (json_object_get_string_member (data, "state"), ==, state);
  return data;
}

/* A route that runs the pre-trade check on the order in its body, so the
 * test sees the 409 and 422 a client gets from the order routes. */
static void
check_cb (BourseRequest *request,
          gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(GError) error = NULL;
  BourseRiskOrder order;
  gboolean reduces = FALSE;

  if (body == NULL)
    return;
  bourse_json_get_boolean (body, "reduces", &reduces);
  order = order_of (json_object_get_string_member (body, "symbol"), json_object_get_string_member (body, "notional"));
  order.reduces = reduces;
  if (!bourse_risk_check_order (risk (), &order, &error))
    bourse_request_reply_error (request, error, 0);
  else
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (node, json_object_new ());
      bourse_request_reply_json (request, SOUP_STATUS_OK, node);
    }
}

static void
test_states (void)
{
  g_autofree char *tom = NULL;
  g_autofree char *ada = NULL;
  g_autofree char *vera = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) audit_holder = NULL;
  g_autoptr(JsonNode) problem = NULL;
  BourseRiskOrder order = order_of ("BTCUSDT", "10");
  BourseRiskOrder closing = order_of ("BTCUSDT", "10");
  guint halted_before, changed_before, halts, seen;
  JsonObject *object, *entry;
  DeskWs *ws;

  reset ();
  closing.reduces = TRUE;
  ada = desk_login (server, "ada", "admin");
  tom = desk_login (server, "tom", "trader");
  vera = desk_login (server, "vera", "viewer");

  /* Viewers follow the state, starting with the latest. */
  ws = desk_ws_connect (server, vera);
  desk_ws_subscribe (ws, "[\"risk\"]");
  desk_ws_wait (ws, "risk", 1);
  seen = desk_ws_count (ws, "risk");
  g_assert_cmpstr (json_object_get_string_member (desk_ws_event (ws, "risk", seen - 1), "state"), ==, "ACTIVE");

  node = desk_expect (server, "GET", "/api/v1/risk/state", vera, NULL, 200);
  object = desk_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "ACTIVE");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "protections")), ==, 0);
  expect_ok (&order);

  /* The kill switch: anyone who trades may pull it. */
  halted_before = n_halted;
  changed_before = n_state_changed;
  halts = count_audit ("risk.halt");
  desk_expect_field (server, "POST", "/api/v1/risk/halt", tom, "{}", 422, "reason");
  desk_expect_field (server, "POST", "/api/v1/risk/halt", tom, "{\"reason\":\"x\",\"cancel_orders\":\"yes\"}", 422,
                     "cancel_orders");
  desk_expect_field (server, "POST", "/api/v1/risk/halt", tom, "{\"reason\":\"x\",\"flatten\":1}", 422, "flatten");
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "POST", "/api/v1/risk/halt", vera, "{\"reason\":\"no\"}", 403);
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "POST", "/api/v1/risk/halt", tom,
                      "{\"reason\":\"exchange outage\",\"cancel_orders\":true,\"flatten\":false}", 200);
  object = desk_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "HALTED");
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, "exchange outage");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "set_by"), "user:"));
  g_assert_cmpuint (n_halted, ==, halted_before + 1);
  g_assert_true (last_cancel_orders);
  g_assert_false (last_flatten);
  g_assert_cmpstr (last_halt_actor, ==, json_object_get_string_member (object, "set_by"));
  g_assert_cmpuint (n_state_changed, ==, changed_before + 1);
  g_assert_cmpuint (count_audit ("risk.halt"), ==, halts + 1);
  entry = newest_audit ("risk.halt", &audit_holder);
  object = json_object_get_object_member (entry, "details");
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, "exchange outage");
  g_assert_true (json_object_get_boolean_member (object, "cancel_orders"));
  next_risk_event (ws, &seen, "HALTED");

  /* Nothing new, not even a closing order: 409 naming the state. */
  expect_refused (&order, BOURSE_ERROR_CONFLICT, "risk.state", "HALTED", NULL);
  expect_refused (&closing, BOURSE_ERROR_CONFLICT, "risk.state", "HALTED", NULL);
  problem = desk_expect (server, "POST", "/api/v1/test/risk-check", NULL,
                         "{\"symbol\":\"BTCUSDT\",\"notional\":\"10\"}", 409);
  g_assert_nonnull (strstr (json_object_get_string_member (desk_object (problem), "detail"), "HALTED"));

  /* Only administrators resume, or reduce. */
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "POST", "/api/v1/risk/resume", tom, NULL, 403);
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "POST", "/api/v1/risk/reduce", tom, "{\"reason\":\"wind down\"}", 403);
  desk_expect_field (server, "POST", "/api/v1/risk/reduce", ada, "{}", 422, "reason");

  /* REDUCING: only what reduces a position goes through. */
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "POST", "/api/v1/risk/reduce", ada, "{\"reason\":\"wind down\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (node), "state"), ==, "REDUCING");
  g_assert_cmpuint (n_halted, ==, halted_before + 1);
  g_assert_cmpuint (n_state_changed, ==, changed_before + 2);
  next_risk_event (ws, &seen, "REDUCING");
  expect_refused (&order, BOURSE_ERROR_CONFLICT, "risk.state", "REDUCING", NULL);
  expect_ok (&closing);
  g_clear_pointer (&problem, json_node_unref);
  problem = desk_expect (server, "POST", "/api/v1/test/risk-check", NULL,
                         "{\"symbol\":\"BTCUSDT\",\"notional\":\"10\"}", 409);
  g_clear_pointer (&problem, json_node_unref);
  problem = desk_expect (server, "POST", "/api/v1/test/risk-check", NULL,
                         "{\"symbol\":\"BTCUSDT\",\"notional\":\"10\",\"reduces\":true}", 200);
  entry = newest_audit ("risk.reduce", &audit_holder);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "details"), "previous"), ==,
                   "HALTED");

  /* ACTIVE again. */
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "POST", "/api/v1/risk/resume", ada, "{\"reason\":\"all clear\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (node), "state"), ==, "ACTIVE");
  g_assert_cmpuint (n_state_changed, ==, changed_before + 3);
  next_risk_event (ws, &seen, "ACTIVE");
  expect_ok (&order);
  entry = newest_audit ("risk.resume", &audit_holder);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "details"), "reason"), ==,
                   "all clear");

  /* The state outlives the engine's memory of it: a new BourseRisk on the
   * same store reads it back. */
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "POST", "/api/v1/risk/halt", ada, "{\"reason\":\"persisted\"}", 200);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BourseRisk) other = bourse_risk_new (bourse_engine_get_store (server->engine), NULL, NULL, &error);
    g_autoptr(JsonNode) state = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (bourse_risk_get_state (other), ==, BOURSE_TRADING_STATE_HALTED);
    state = bourse_risk_state_to_json (other);
    g_assert_cmpstr (json_object_get_string_member (desk_object (state), "reason"), ==, "persisted");
    bourse_risk_stop (other);
  }

  desk_ws_free (ws);
}

/* --- Protections --------------------------------------------------------------------- */

static JsonObject *
state_json (JsonNode **holder)
{
  *holder = desk_expect (server, "GET", "/api/v1/risk/state", NULL, NULL, 200);
  return desk_object (*holder);
}

static void
test_cooldown (void)
{
  g_autoptr(JsonNode) global = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonNode) audit_holder = NULL;
  g_autofree char *until = NULL;
  BourseRiskOrder order = order_of ("BTCUSDT", "10");
  BourseRiskOrder other = order_of ("ETHUSDT", "10");
  BourseRiskOrder closing = order_of ("BTCUSDT", "10");
  guint triggers, lifts;
  JsonObject *object, *protection;
  JsonArray *protections;

  reset ();
  closing.reduces = TRUE;
  global = put_global ("{\"protections\":{\"cooldown\":{\"minutes\":30}}}");
  triggers = count_audit ("risk.protection.trigger");
  lifts = count_audit ("risk.protection.lift");

  /* Only a stop-loss exit starts it. */
  bourse_risk_note_trade_closed (risk (), "BTCUSDT", "take_profit", dec ("25"));
  bourse_risk_note_trade_closed (risk (), "BTCUSDT", "manual", dec ("-5"));
  expect_ok (&order);

  bourse_risk_note_trade_closed (risk (), "BTCUSDT", "stop_loss", dec ("-20"));
  until = bourse_time_format_rfc3339 (clock_ms + 30 * MINUTE_MS);
  expect_refused (&order, BOURSE_ERROR_INVALID, "risk.cooldown", "BTCUSDT", until);
  expect_ok (&other);
  expect_ok (&closing);
  g_assert_cmpstr (state_name (), ==, "ACTIVE");
  g_assert_cmpuint (count_audit ("risk.protection.trigger"), ==, triggers + 1);

  object = state_json (&state);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "ACTIVE");
  protections = json_object_get_array_member (object, "protections");
  g_assert_cmpuint (json_array_get_length (protections), ==, 1);
  protection = json_array_get_object_element (protections, 0);
  g_assert_cmpstr (json_object_get_string_member (protection, "kind"), ==, "cooldown");
  g_assert_cmpstr (json_object_get_string_member (protection, "symbol"), ==, "BTCUSDT");
  g_assert_cmpstr (json_object_get_string_member (protection, "until"), ==, until);
  g_assert_true (json_object_get_null_member (protection, "state"));

  /* A minute before it ends, and when it ends. */
  advance (29 * MINUTE_MS);
  expect_refused (&order, BOURSE_ERROR_INVALID, "risk.cooldown", "BTCUSDT", until);
  advance (MINUTE_MS);
  expect_ok (&order);
  g_assert_cmpuint (count_audit ("risk.protection.lift"), ==, lifts + 1);
  g_clear_pointer (&state, json_node_unref);
  object = state_json (&state);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "protections")), ==, 0);

  /* Off: a stop-loss starts nothing. */
  g_clear_pointer (&global, json_node_unref);
  global = put_global ("{\"protections\":{\"cooldown\":{\"minutes\":0}}}");
  bourse_risk_note_trade_closed (risk (), "BTCUSDT", "stop_loss", dec ("-20"));
  expect_ok (&order);
  g_assert_cmpuint (count_audit ("risk.protection.trigger"), ==, triggers + 1);

  /* Told in the middle of the ledger's own transaction: it commits with it. */
  g_clear_pointer (&global, json_node_unref);
  global = put_global ("{\"protections\":{\"cooldown\":{\"minutes\":10}}}");
  {
    BourseStore *store = bourse_engine_get_store (server->engine);
    g_autoptr(GError) error = NULL;

    bourse_store_begin (store, &error);
    g_assert_no_error (error);
    bourse_risk_note_trade_closed (risk (), "ETHUSDT", "stop_loss", dec ("-3"));
    expect_refused (&other, BOURSE_ERROR_INVALID, "risk.cooldown", "ETHUSDT", NULL);
    bourse_store_commit (store, &error);
    g_assert_no_error (error);
  }
  expect_refused (&other, BOURSE_ERROR_INVALID, "risk.cooldown", "ETHUSDT", NULL);
  g_assert_cmpuint (count_audit ("risk.protection.trigger"), ==, triggers + 2);
  advance (10 * MINUTE_MS);
  expect_ok (&other);
}

static void
test_stoploss_guard (void)
{
  g_autoptr(JsonNode) global = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonNode) audit_holder = NULL;
  g_autofree char *until = NULL;
  BourseRiskOrder order = order_of ("BTCUSDT", "10");
  guint halted_before;
  JsonObject *object, *entry;

  reset ();
  global = put_global ("{\"protections\":{\"stoploss_guard\":{\"count\":2,\"window_minutes\":60,"
                       "\"lock_minutes\":30}}}");
  halted_before = n_halted;

  /* Two stop-losses more than the window apart: nothing. */
  bourse_risk_note_trade_closed (risk (), "BTCUSDT", "stop_loss", dec ("-10"));
  advance (61 * MINUTE_MS);
  bourse_risk_note_trade_closed (risk (), "ETHUSDT", "stop_loss", dec ("-10"));
  g_assert_cmpstr (state_name (), ==, "ACTIVE");
  expect_ok (&order);

  /* Two within it: HALTED for the lock. */
  advance (10 * MINUTE_MS);
  bourse_risk_note_trade_closed (risk (), "SOLUSDT", "stop_loss", dec ("-10"));
  until = bourse_time_format_rfc3339 (clock_ms + 30 * MINUTE_MS);
  g_assert_cmpstr (state_name (), ==, "HALTED");
  expect_refused (&order, BOURSE_ERROR_CONFLICT, "risk.state", "HALTED", NULL);
  g_assert_cmpuint (n_halted, ==, halted_before + 1);
  g_assert_false (last_cancel_orders);
  g_assert_false (last_flatten);
  g_assert_cmpstr (last_halt_actor, ==, "system");

  object = state_json (&state);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "HALTED");
  g_assert_cmpstr (json_object_get_string_member (object, "until"), ==, until);
  g_assert_cmpstr (json_object_get_string_member (object, "set_by"), ==, "system");
  g_assert_nonnull (strstr (json_object_get_string_member (object, "reason"), "Stop-loss guard"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "manual"), "state"), ==,
                   "ACTIVE");
  entry = newest_audit ("risk.protection.trigger", &audit_holder);
  g_assert_cmpstr (json_object_get_string_member (entry, "actor"), ==, "system");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "details"), "kind"), ==,
                   "stoploss_guard");

  /* The lock ends by itself. */
  advance (30 * MINUTE_MS - 1);
  g_assert_cmpstr (state_name (), ==, "HALTED");
  advance (1);
  g_assert_cmpstr (state_name (), ==, "ACTIVE");
  expect_ok (&order);
  g_clear_pointer (&audit_holder, json_node_unref);
  entry = newest_audit ("risk.protection.lift", &audit_holder);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "details"), "kind"), ==,
                   "stoploss_guard");
}

static void
test_max_drawdown (void)
{
  g_autoptr(JsonNode) global = NULL;
  g_autoptr(JsonNode) state = NULL;
  BourseRiskOrder order = order_of ("BTCUSDT", "10");
  BourseRiskOrder closing = order_of ("BTCUSDT", "10");
  guint halted_before;
  JsonObject *object, *protection;

  reset ();
  closing.reduces = TRUE;
  global = put_global ("{\"protections\":{\"max_drawdown\":{\"fraction\":\"0.1\",\"window_minutes\":60,"
                       "\"lock_minutes\":15,\"state\":\"REDUCING\"}}}");

  /* A peak that left the window does not count. */
  bourse_risk_note_equity (risk (), dec ("20000"), BOURSE_DECIMAL_ZERO);
  advance (61 * MINUTE_MS);
  bourse_risk_note_equity (risk (), dec ("10000"), BOURSE_DECIMAL_ZERO);
  advance (MINUTE_MS);
  bourse_risk_note_equity (risk (), dec ("9500"), BOURSE_DECIMAL_ZERO);
  advance (MINUTE_MS);
  bourse_risk_note_equity (risk (), dec ("9000.01"), BOURSE_DECIMAL_ZERO);
  g_assert_cmpstr (state_name (), ==, "ACTIVE");

  /* 10 % down from 10000: REDUCING for 15 minutes. */
  advance (MINUTE_MS);
  bourse_risk_note_equity (risk (), dec ("9000"), BOURSE_DECIMAL_ZERO);
  g_assert_cmpstr (state_name (), ==, "REDUCING");
  expect_refused (&order, BOURSE_ERROR_CONFLICT, "risk.state", "REDUCING", NULL);
  expect_ok (&closing);
  object = state_json (&state);
  g_assert_nonnull (strstr (json_object_get_string_member (object, "reason"), "0.1"));
  protection = json_array_get_object_element (json_object_get_array_member (object, "protections"), 0);
  g_assert_cmpstr (json_object_get_string_member (protection, "kind"), ==, "max_drawdown");
  g_assert_cmpstr (json_object_get_string_member (protection, "state"), ==, "REDUCING");
  advance (15 * MINUTE_MS);
  g_assert_cmpstr (state_name (), ==, "ACTIVE");
  expect_ok (&order);

  /* HALTED when so configured; a resume forgives and measures afresh. */
  g_clear_pointer (&global, json_node_unref);
  global = put_global ("{\"protections\":{\"max_drawdown\":{\"state\":\"HALTED\"}}}");
  halted_before = n_halted;
  bourse_risk_note_equity (risk (), dec ("8000"), BOURSE_DECIMAL_ZERO);
  g_assert_cmpstr (state_name (), ==, "HALTED");
  g_assert_cmpuint (n_halted, ==, halted_before + 1);
  g_clear_pointer (&state, json_node_unref);
  state = desk_expect (server, "POST", "/api/v1/risk/resume", NULL, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (state), "state"), ==, "ACTIVE");
  bourse_risk_note_equity (risk (), dec ("7900"), BOURSE_DECIMAL_ZERO);
  g_assert_cmpstr (state_name (), ==, "ACTIVE");
}

static void
test_daily_loss (void)
{
  g_autoptr(JsonNode) global = NULL;
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *midnight = NULL;
  BourseRiskOrder closing = order_of ("BTCUSDT", "10");
  gint64 next_day;
  JsonObject *object;

  reset ();
  closing.reduces = TRUE;
  /* Noon UTC, so the day has room on both sides. */
  advance (DAY_MS - clock_ms % DAY_MS + DAY_MS / 2);
  next_day = clock_ms - clock_ms % DAY_MS + DAY_MS;
  midnight = bourse_time_format_rfc3339 (next_day);

  global = put_global ("{\"max_daily_loss\":\"100\"}");
  bourse_risk_note_equity (risk (), dec ("9901"), dec ("-99"));
  g_assert_cmpstr (state_name (), ==, "ACTIVE");

  /* The kill switch: HALTED until the next UTC day. */
  bourse_risk_note_equity (risk (), dec ("9900"), dec ("-100"));
  g_assert_cmpstr (state_name (), ==, "HALTED");
  expect_refused (&closing, BOURSE_ERROR_CONFLICT, "risk.state", "HALTED", NULL);
  object = state_json (&state);
  g_assert_cmpstr (json_object_get_string_member (object, "until"), ==, midnight);
  g_assert_nonnull (strstr (json_object_get_string_member (object, "reason"), "100"));

  /* An administrator's resume holds for the rest of the day. */
  g_clear_pointer (&state, json_node_unref);
  state = desk_expect (server, "POST", "/api/v1/risk/resume", NULL, "{\"reason\":\"checked\"}", 200);
  bourse_risk_note_equity (risk (), dec ("9850"), dec ("-150"));
  g_assert_cmpstr (state_name (), ==, "ACTIVE");

  /* The next day it triggers again, and lifts at the next midnight. */
  advance (next_day - clock_ms + MINUTE_MS);
  bourse_risk_note_equity (risk (), dec ("9700"), dec ("-120"));
  g_assert_cmpstr (state_name (), ==, "HALTED");
  advance (DAY_MS - 2 * MINUTE_MS);
  g_assert_cmpstr (state_name (), ==, "HALTED");
  advance (MINUTE_MS);
  g_assert_cmpstr (state_name (), ==, "ACTIVE");

  /* Off: the limit still refuses new orders, but nothing halts. */
  g_clear_pointer (&global, json_node_unref);
  global = put_global ("{\"protections\":{\"daily_loss\":{\"halt\":false}}}");
  advance (MINUTE_MS);
  bourse_risk_note_equity (risk (), dec ("9000"), dec ("-500"));
  g_assert_cmpstr (state_name (), ==, "ACTIVE");
}

/* --- Permissions --------------------------------------------------------------------- */

static void
test_permissions (void)
{
  static const struct {
    const char *method;
    const char *path;
    const char *body;
    guint       viewer, trader, admin;
  } routes[] = {
    { "GET", "/api/v1/risk/global", NULL, 200, 200, 200 },
    { "PUT", "/api/v1/risk/global", "{}", 403, 403, 200 },
    { "GET", "/api/v1/risk/profile", NULL, 200, 200, 200 },
    { "PUT", "/api/v1/risk/profile", "{}", 403, 200, 200 },
    { "GET", "/api/v1/risk/state", NULL, 200, 200, 200 },
    { "POST", "/api/v1/risk/halt", "{\"reason\":\"drill\"}", 403, 200, 200 },
    { "POST", "/api/v1/risk/reduce", "{\"reason\":\"drill\"}", 403, 403, 200 },
    { "POST", "/api/v1/risk/resume", NULL, 403, 403, 200 },
  };
  g_autofree char *viewer = NULL;
  g_autofree char *trader = NULL;
  g_autofree char *admin = NULL;

  reset ();
  viewer = desk_login (server, "vera", "viewer");
  trader = desk_login (server, "tom", "trader");
  admin = desk_login (server, "ada", "admin");

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      const char *tokens[] = { viewer, trader, admin };
      guint expected[] = { routes[i].viewer, routes[i].trader, routes[i].admin };

      for (guint r = 0; r < G_N_ELEMENTS (tokens); r++)
        {
          guint status;
          g_autoptr(JsonNode) node = desk_fetch (server, routes[i].method, routes[i].path, tokens[r], routes[i].body,
                                                 &status);

          if (status != expected[r])
            g_error ("%s %s as %s: %u, expected %u", routes[i].method, routes[i].path,
                     (const char *[]) { "viewer", "trader", "admin" }[r], status, expected[r]);
        }
    }
  g_assert_cmpstr (state_name (), ==, "ACTIVE");
}

int
main (int   argc,
      char *argv[])
{
  static const char * const settings[] = {
    "auth", "password_opslimit", "1",
    "auth", "password_memlimit_kib", "8",
    "auth", "secrets_backend", "file",
    NULL
  };
  int status;

  g_test_init (&argc, &argv, NULL);

  /* A whole minute, so times print without milliseconds to spare. */
  clock_ms = bourse_time_now_ms () / MINUTE_MS * MINUTE_MS;
  bourse_time_freeze (clock_ms);

  server = bourse_test_server_new (FALSE, settings);
  bourse_router_add (bourse_server_get_router (server->server), "POST", "/api/v1/test/risk-check", "risk.read",
                     check_cb, NULL);
  bourse_test_server_start (server);
  tom_id = desk_create_user (server, "tom", "trader");
  desk_create_user (server, "vera", "viewer");
  desk_create_user (server, "ada", "admin");
  g_signal_connect (risk (), "halted", G_CALLBACK (halted_cb), NULL);
  g_signal_connect (risk (), "state-changed", G_CALLBACK (state_changed_cb), NULL);

  g_test_add_func ("/risk/limits", test_limits);
  g_test_add_func ("/risk/global-validation", test_global_validation);
  g_test_add_func ("/risk/profile", test_profile);
  g_test_add_func ("/risk/states", test_states);
  g_test_add_func ("/risk/cooldown", test_cooldown);
  g_test_add_func ("/risk/stoploss-guard", test_stoploss_guard);
  g_test_add_func ("/risk/max-drawdown", test_max_drawdown);
  g_test_add_func ("/risk/daily-loss", test_daily_loss);
  g_test_add_func ("/risk/permissions", test_permissions);

  status = g_test_run ();

  g_signal_handlers_disconnect_by_func (risk (), halted_cb, NULL);
  g_signal_handlers_disconnect_by_func (risk (), state_changed_cb, NULL);
  bourse_test_server_free (server);
  g_free (last_halt_actor);
  bourse_time_thaw ();
  return status;
}
