/* test-seed-aliases.c — the seeds' own paths, as their clients call them
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Seed 003's README and seed 004's endpoint list, request for request,
 * against a real server: each alias answers as the route it stands for,
 * with the same permission (a viewer refused where that route refuses
 * one), and seed 003's example of a date alone is accepted. A role chosen
 * at sign-up stays ignored.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "core/bourse-json.h"
#include "core/bourse-time.h"
#include "market/bourse-candles.h"
#include "market/bourse-instruments.h"
#include "server/bourse-openapi.h"

#include "desk-test-util.h"

#define HOUR_MS (G_GINT64_CONSTANT (3600) * 1000)
#define DAY_MS  (24 * HOUR_MS)

/* 2025-12-01T00:00:00Z and 2026-01-01T00:00:00Z */
#define DECEMBER_2025_MS G_GINT64_CONSTANT (1764547200000)
#define JANUARY_2026_MS  G_GINT64_CONSTANT (1767225600000)

static const char * const anonymous[] = { "Authorization", "", NULL };

/* Tokens are sent as "Authorization: Bearer <token>"; "" sends no token
 * at all, as an anonymous client does (public routes ignore the header). */
static void
expect_status (BourseTestServer *server,
               const char       *method,
               const char       *path,
               const char       *token,
               const char       *body,
               guint             expected)
{
  g_autoptr(JsonNode) node = desk_expect (server, method, path, token, body, expected);
}

/* @n closed candles of @interval on the existing @symbol, the last ending
 * before @end_ms: a steady rise from @price with a wobble, so that the AR
 * strategy forecasts a rise (a BUY) whatever the clock says. */
static void
add_rising_candles (BourseTestServer *server,
                    const char       *symbol,
                    BourseInterval    interval,
                    gint64            end_ms,
                    guint             n,
                    double            price)
{
  BourseStore *store = bourse_engine_get_store (server->engine);
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(GArray) candles = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  g_autoptr(GError) error = NULL;
  gint64 t = bourse_interval_align (interval, end_ms);

  instrument = bourse_instruments_find (store, symbol, &error);
  g_assert_no_error (error);
  g_assert_nonnull (instrument);

  for (guint i = 0; i < n; i++)
    t = bourse_interval_align (interval, t - 1);
  for (guint i = 0; i < n; i++)
    {
      BourseCandle candle = { 0 };
      double close = price * (1.002 + 0.001 * sin (i));

      candle.open_time = t;
      candle.open.units = (gint64) (price * 100) * 1000000;
      candle.close.units = (gint64) (close * 100) * 1000000;
      candle.high.units = candle.close.units + 100000000;
      candle.low.units = candle.open.units - 100000000;
      candle.volume.units = G_GINT64_CONSTANT (1000000000);
      candle.closed = TRUE;
      g_array_append_val (candles, candle);
      price = close;
      t = bourse_interval_next (interval, t);
    }

  bourse_candles_upsert (store, instrument->id, interval, (const BourseCandle *) (gpointer) candles->data,
                         candles->len, NULL, &error);
  g_assert_no_error (error);
}

/* Seed 003 "Create an Admin User", as written: anyone may ask for the
 * admin role, and gets a pending viewer's account. */
static void
test_register_role_ignored (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) tokens = NULL;
  g_autoptr(JsonNode) permissions = NULL;
  g_autoptr(JsonNode) with_email = NULL;
  g_autofree char *approve = NULL;
  JsonObject *account;
  const char *token;
  guint status;

  created = desk_fetch (server, "POST", "/auth/register", "",
                   "{\"username\":\"admin\",\"password\":\"strongpassword\",\"role\":\"admin\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  account = desk_object (created);
  g_assert_cmpstr (json_object_get_string_member (account, "role"), ==, "viewer");
  g_assert_cmpstr (json_object_get_string_member (account, "status"), ==, "pending");
  /* No e-mail in seed 003's sign-up: one that never resolves. */
  g_assert_cmpstr (json_object_get_string_member (account, "email"), ==, "admin@no-email.invalid");

  /* Seed 003 "Login", as written: pending, so refused. */
  refused = desk_fetch (server, "POST", "/auth/login", "", "{\"username\":\"admin\",\"password\":\"strongpassword\"}",
                   &status);
  g_assert_cmpuint (status, ==, 403);

  /* Approved by an administrator, still a viewer: no admin route. */
  approve = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/approve", json_object_get_int_member (account, "id"));
  expect_status (server, "POST", approve, NULL, NULL, 200);
  tokens = desk_fetch (server, "POST", "/auth/login", "", "{\"username\":\"admin\",\"password\":\"strongpassword\"}",
                  &status);
  g_assert_cmpuint (status, ==, 200);
  token = json_object_get_string_member (desk_object (tokens), "access_token");
  g_assert_nonnull (token);
  g_assert_cmpstr (json_object_get_string_member (desk_object (tokens), "token_type"), ==, "Bearer");
  permissions = desk_fetch (server, "GET", "/api/v1/permissions", token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (permissions), "role"), ==, "viewer");
  expect_status (server, "GET", "/api/v1/users", token, NULL, 403);
  expect_status (server, "GET", "/api/config", token, NULL, 403);

  /* An e-mail given is kept; the real route's checks apply (a taken name). */
  with_email = desk_fetch (server, "POST", "/auth/register", "",
                      "{\"username\":\"root\",\"email\":\"root@example.org\",\"password\":\"strongpassword\","
                      "\"role\":\"admin\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (desk_object (with_email), "email"), ==, "root@example.org");
  g_assert_cmpstr (json_object_get_string_member (desk_object (with_email), "role"), ==, "viewer");
  expect_status (server, "POST", "/auth/register", "", "{\"username\":\"admin\",\"password\":\"strongpassword\"}",
                 409);
  desk_expect_field (server, "POST", "/auth/register", "", "{\"password\":\"strongpassword\"}", 422, "username");

  bourse_test_server_free (server);
}

static char *
login (BourseTestServer *server,
       const char       *name,
       const char       *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", name, password);
  g_autoptr(JsonNode) tokens = NULL;
  guint status;

  tokens = desk_fetch (server, "POST", "/auth/login", "", body, &status);
  g_assert_cmpuint (status, ==, 200);
  return g_strdup (json_object_get_string_member (desk_object (tokens), "access_token"));
}

/* A server with an administrator, a trader and a viewer, each signed in
 * through seed 003's /auth/login. */
typedef struct
{
  BourseTestServer *server;
  char             *ada;
  char             *tom;
  char             *vera;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = desk_server_new (NULL);
  desk_create_user (f->server, "ada", "admin");
  desk_create_user (f->server, "tom", "trader");
  desk_create_user (f->server, "vera", "viewer");
  f->ada = login (f->server, "ada", DESK_ADMIN_PASSWORD);
  f->tom = login (f->server, "tom", DESK_TRADER_PASSWORD);
  f->vera = login (f->server, "vera", DESK_VIEWER_PASSWORD);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->ada);
  g_free (f->tom);
  g_free (f->vera);
  bourse_test_server_free (f->server);
}

/* Seed 003's approval flow, its README's curl commands in order: sign in,
 * ask for a recommendation, approve it, execute it on paper. */
static void
test_seed003_flow (Fixture       *f,
                  gconstpointer  data)
{
  BourseTestServer *server = f->server;
  const char *ada = f->ada;
  const char *tom = f->tom;
  const char *vera = f->vera;
  g_autoptr(JsonNode) recommendation = NULL;
  g_autoptr(JsonNode) approved = NULL;
  g_autoptr(JsonNode) order = NULL;
  g_autoptr(JsonNode) rejected = NULL;
  g_autoptr(JsonNode) second = NULL;
  guint status;

  add_rising_candles (server, "BTCUSDT", BOURSE_INTERVAL_1H, bourse_time_now_ms (), 30 * 24, 50000);

  /* 2. Request a Recommendation: as the README, plus a threshold of 0 so
   * that the forecast rise is a BUY with an approval (the README's own
   * body is tested below). Viewers may not ask; nobody without a token. */
  expect_status (server, "POST", "/recommendation", vera,
                 "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"strategy\":\"A\",\"last_n_days\":7}", 403);
  expect_status (server, "POST", "/recommendation", "",
                 "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"strategy\":\"A\",\"last_n_days\":7}", 401);
  recommendation = desk_fetch (server, "POST", "/recommendation", tom,
                          "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"strategy\":\"A\",\"last_n_days\":7,"
                          "\"params\":{\"threshold\":0}}", &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (desk_object (recommendation), "decision"), ==, "BUY");
  /* The first approval of a fresh database: the README's "1". */
  g_assert_cmpint (json_object_get_int_member (desk_object (recommendation), "approval_id"), ==, 1);

  /* 3. Approve: by an administrator, as the README says; not by a viewer. */
  expect_status (server, "POST", "/approval/1/approve", vera,
                 "{\"reason\": \"Metrics look solid, proceed with paper test\"}", 403);
  approved = desk_fetch (server, "POST", "/approval/1/approve", ada,
                    "{\"reason\": \"Metrics look solid, proceed with paper test\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (approved), "status"), ==, "approved");
  g_assert_cmpstr (json_object_get_string_member (desk_object (approved), "reason"), ==,
                   "Metrics look solid, proceed with paper test");

  /* 4. Execute Trade (Paper): the quantity as the JSON number the README
   * sends; a viewer may not; more than 8 decimals is named. */
  expect_status (server, "POST", "/trade/execute", vera, "{\"approval_id\": 1, \"quantity\": 0.01}", 403);
  desk_expect_field (server, "POST", "/trade/execute", ada, "{\"approval_id\": 1, \"quantity\": 0.000000001}", 422,
                     "quantity");
  desk_expect_field (server, "POST", "/trade/execute", ada, "{\"approval_id\": 1, \"quantity\": 1e300}", 422,
                     "quantity");
  order = desk_fetch (server, "POST", "/trade/execute", ada, "{\"approval_id\": 1, \"quantity\": 0.01}", &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (desk_object (order), "quantity"), ==, "0.01000000");
  g_assert_cmpstr (json_object_get_string_member (desk_object (order), "side"), ==, "BUY");
  g_assert_cmpint (json_object_get_int_member (desk_object (order), "approval_id"), ==, 1);
  /* Executed once: the real route's rule, through the alias too. */
  desk_expect_field (server, "POST", "/trade/execute", ada, "{\"approval_id\": 1, \"quantity\": 0.01}", 409,
                     "status");

  /* Reject, with the route's own rule: a reason is required. */
  second = desk_fetch (server, "POST", "/recommendation", tom,
                  "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"strategy\":\"A\",\"last_n_days\":7,"
                  "\"params\":{\"threshold\":0}}", &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpint (json_object_get_int_member (desk_object (second), "approval_id"), ==, 2);
  desk_expect_field (server, "POST", "/approval/2/reject", ada, "{}", 422, "reason");
  expect_status (server, "POST", "/approval/2/reject", vera, "{\"reason\":\"no\"}", 403);
  rejected = desk_fetch (server, "POST", "/approval/2/reject", ada, "{\"reason\":\"Too risky\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (rejected), "status"), ==, "rejected");
  expect_status (server, "POST", "/approval/999999/approve", ada, "{}", 404);

}

/* Seed 003's two recommendation bodies exactly as its README writes them,
 * the second with dates alone: all of 2025-12-01 to all of 2025-12-31. */
static void
test_seed003_examples (Fixture       *f,
                      gconstpointer  data)
{
  BourseTestServer *server = f->server;
  const char *tom = f->tom;
  g_autoptr(JsonNode) last_days = NULL;
  g_autoptr(JsonNode) dates = NULL;
  JsonObject *window;
  guint status;

  add_rising_candles (server, "BTCUSDT", BOURSE_INTERVAL_1H, bourse_time_now_ms (), 10 * 24, 50000);
  /* November to January, so that only the window's bounds cut it. */
  add_rising_candles (server, "ETHUSDT", BOURSE_INTERVAL_4H, JANUARY_2026_MS + 7 * DAY_MS, 68 * 6, 3000);

  last_days = desk_fetch (server, "POST", "/recommendation", tom,
                     "{\n"
                     "    \"symbol\": \"BTCUSDT\",\n"
                     "    \"interval\": \"1h\",\n"
                     "    \"strategy\": \"A\",\n"
                     "    \"last_n_days\": 7\n"
                     "  }", &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (desk_object (last_days), "symbol"), ==, "BTCUSDT");

  dates = desk_fetch (server, "POST", "/recommendation", tom,
                 "{\n"
                 "    \"symbol\": \"ETHUSDT\",\n"
                 "    \"interval\": \"4h\",\n"
                 "    \"strategy\": \"B\",\n"
                 "    \"start\": \"2025-12-01\",\n"
                 "    \"end\": \"2025-12-31\"\n"
                 "  }", &status);
  g_assert_cmpuint (status, ==, 201);
  window = json_object_get_object_member (desk_object (dates), "window");
  g_assert_cmpint (json_object_get_int_member (window, "start"), ==, DECEMBER_2025_MS);
  /* The end's day is whole: its last 4h candle opens at 20:00. */
  g_assert_cmpint (json_object_get_int_member (window, "end"), ==, JANUARY_2026_MS - 4 * HOUR_MS);
  g_assert_cmpint (json_object_get_int_member (window, "candles"), ==, 31 * 6);

}

typedef struct
{
  const char *method;
  const char *seed;     /* as seed 004 writes it */
  const char *real;
  const char *body;
  gboolean    text;     /* not JSON: compared by status and type */
} Pair;

/* Seed 004's endpoint list: reads answer as the real route, caller for caller. */
static const Pair seed004_reads[] = {
  { "GET", "/api/system/status", "/api/v1/system/status", NULL },
  { "GET", "/api/config", "/api/v1/config", NULL },
  { "GET", "/api/config/server", "/api/v1/config/server", NULL },
  { "GET", "/api/config/nosuchsection", "/api/v1/config/nosuchsection", NULL },
  { "GET", "/api/instruments", "/api/v1/instruments", NULL },
  { "GET", "/api/instruments/BTCUSDT", "/api/v1/instruments/BTCUSDT", NULL },
  { "GET", "/api/instruments/NOSUCHUSDT", "/api/v1/instruments/NOSUCHUSDT", NULL },
  { "GET", "/api/signals", "/api/v1/signals", NULL },
  { "GET", "/api/signals?symbol=bad", "/api/v1/signals?symbol=bad", NULL },
  { "GET", "/api/signals/999999", "/api/v1/signals/999999", NULL },
  { "POST", "/api/signals/filter", "/api/v1/signals/filter", "{\"symbols\":[\"BTCUSDT\"]}" },
  { "GET", "/api/models", "/api/v1/models", NULL },
  { "GET", "/api/models/999999", "/api/v1/models/999999", NULL },
  { "POST", "/api/models/train", "/api/v1/models/train", "{}" },
  { "POST", "/api/models/deploy", "/api/v1/models/deploy", "{}" },
  { "GET", "/api/health", "/health", NULL },
  { "GET", "/api/health/components", "/api/v1/health/components", NULL },
  { "GET", "/api/metrics", "/metrics", NULL, TRUE },
  { "GET", "/docs", "/api/v1/docs", NULL, TRUE },
};

/* The members of an answer, and for a problem the fields it names: what
 * must agree (values such as uptimes and request ids move). */
static char *
shape_of (JsonNode *node)
{
  g_autoptr(GString) shape = g_string_new (NULL);
  g_autoptr(GList) members = NULL;
  JsonArray *errors;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("");
  members = g_list_sort (json_object_get_members (json_node_get_object (node)), (GCompareFunc) g_strcmp0);
  for (GList *l = members; l != NULL; l = l->next)
    g_string_append_printf (shape, "%s ", (const char *) l->data);
  if ((errors = bourse_json_get_array (json_node_get_object (node), "errors")) != NULL)
    for (guint i = 0; i < json_array_get_length (errors); i++)
      g_string_append_printf (shape, "field:%s ",
                              json_object_get_string_member_with_default (json_array_get_object_element (errors, i),
                                                                          "field", ""));
  return g_string_free (g_steal_pointer (&shape), FALSE);
}

static void
test_seed004_reads (Fixture       *f,
                   gconstpointer  data)
{
  BourseTestServer *server = f->server;
  const char *ada = f->ada;
  const char *tom = f->tom;
  const char *vera = f->vera;
  g_autoptr(GString) failures = g_string_new (NULL);


  for (guint i = 0; i < G_N_ELEMENTS (seed004_reads); i++)
    {
      const Pair *pair = &seed004_reads[i];
      const char *callers[] = { ada, tom, vera, "" };
      const char *names[] = { "admin", "trader", "viewer", "nobody" };

      for (guint c = 0; c < G_N_ELEMENTS (callers); c++)
        {
          g_autoptr(JsonNode) seed = NULL;
          g_autoptr(JsonNode) real = NULL;
          g_autofree char *seed_shape = NULL;
          g_autofree char *real_shape = NULL;
          guint seed_status, real_status;

          if (pair->text)
            {
              g_autofree char *authorization = callers[c][0] ? g_strconcat ("Bearer ", callers[c], NULL) : NULL;
              const char * const headers[] = { "Authorization", authorization ? authorization : "", NULL };
              g_autoptr(BourseTestResponse) a = bourse_test_fetch (server, "GET", pair->seed, headers, NULL, NULL, -1);
              g_autoptr(BourseTestResponse) b = bourse_test_fetch (server, "GET", pair->real, headers, NULL, NULL, -1);

              seed_status = a->status, real_status = b->status;
              seed_shape = g_strdup (bourse_test_response_header (a, "Content-Type"));
              real_shape = g_strdup (bourse_test_response_header (b, "Content-Type"));
            }
          else
            {
              seed = desk_fetch (server, pair->method, pair->seed, callers[c], pair->body, &seed_status);
              real = desk_fetch (server, pair->method, pair->real, callers[c], pair->body, &real_status);
              seed_shape = shape_of (seed);
              real_shape = shape_of (real);
            }
          g_test_message ("%s %s as %s: %u (%s %u)", pair->method, pair->seed, names[c], seed_status, pair->real,
                          real_status);
          if (seed_status != real_status || g_strcmp0 (seed_shape, real_shape) != 0)
            g_string_append_printf (failures, "%s %s as %s: %u {%s}, but %s: %u {%s}\n", pair->method, pair->seed,
                                    names[c], seed_status, seed_shape, pair->real, real_status, real_shape);
        }
    }

  /* Not an accident of every answer being a 401. */
  expect_status (server, "GET", "/api/system/status", vera, NULL, 200);
  expect_status (server, "GET", "/api/config", vera, NULL, 403);
  expect_status (server, "GET", "/api/config", ada, NULL, 200);
  expect_status (server, "GET", "/api/health", "", NULL, 200);
  expect_status (server, "GET", "/api/metrics", tom, NULL, 403);

  if (failures->len > 0)
    g_test_fail_printf ("Seed 004's paths answer otherwise than ours:\n%s", failures->str);
}

/* Seed 004's writes, each once, with the real route's rules. */
static void
test_seed004_writes (Fixture       *f,
                    gconstpointer  data)
{
  BourseTestServer *server = f->server;
  const char *ada = f->ada;
  const char *tom = f->tom;
  const char *vera = f->vera;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(JsonNode) stopped = NULL;
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) section = NULL;
  g_autoptr(JsonNode) imported = NULL;
  g_autoptr(BourseTestResponse) exported = NULL;
  const char *instrument = "{\"symbol\":\"SEEDUSDT\",\"base_asset\":\"SEED\",\"quote_asset\":\"USDT\","
                           "\"tick_size\":\"0.01\",\"lot_step\":\"0.001\"}";
  guint status;


  /* Instruments: create, read, change, delete; viewers and traders may not write. */
  expect_status (server, "POST", "/api/instruments", vera, instrument, 403);
  expect_status (server, "POST", "/api/instruments", tom, instrument, 403);
  created = desk_fetch (server, "POST", "/api/instruments", ada, instrument, &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (desk_object (created), "symbol"), ==, "SEEDUSDT");
  desk_expect_field (server, "POST", "/api/instruments", ada, instrument, 409, "symbol");
  expect_status (server, "GET", "/api/instruments/SEEDUSDT", vera, NULL, 200);
  expect_status (server, "PUT", "/api/instruments/SEEDUSDT", vera, "{\"status\":\"halted\"}", 403);
  updated = desk_fetch (server, "PUT", "/api/instruments/SEEDUSDT", ada, "{\"status\":\"halted\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (updated), "status"), ==, "halted");
  desk_expect_field (server, "PUT", "/api/instruments/SEEDUSDT", ada, "{\"tick_size\":\"0\"}", 422, "tick_size");
  expect_status (server, "DELETE", "/api/instruments/SEEDUSDT", vera, NULL, 403);
  expect_status (server, "DELETE", "/api/instruments/SEEDUSDT", ada, NULL, 204);
  expect_status (server, "GET", "/api/instruments/SEEDUSDT", ada, NULL, 404);

  /* The trading loop and the mode: administrators only. */
  expect_status (server, "POST", "/api/system/stop", tom, NULL, 403);
  stopped = desk_fetch (server, "POST", "/api/system/stop", ada, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (desk_object (stopped), "trading"),
                                                  "running"));
  started = desk_fetch (server, "POST", "/api/system/start", ada, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (desk_object (started), "trading"),
                                                 "running"));
  expect_status (server, "POST", "/api/system/restart", vera, NULL, 403);
  expect_status (server, "POST", "/api/system/restart", ada, NULL, 200);
  expect_status (server, "POST", "/api/system/mode", vera, "{\"mode\":\"paper\"}", 403);
  expect_status (server, "POST", "/api/system/mode", ada, "{\"mode\":\"paper\"}", 200);
  desk_expect_field (server, "POST", "/api/system/mode", ada, "{\"mode\":\"live\"}", 422, "confirm");

  /* Configuration: a section changed, the file exported and imported back as a dry run. */
  expect_status (server, "PUT", "/api/config/log", tom, "{\"level\":\"info\"}", 403);
  section = desk_fetch (server, "PUT", "/api/config/log", ada, "{\"level\":\"info\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (section), "name"), ==, "log");
  desk_expect_field (server, "PUT", "/api/config/log", ada, "{\"level\":\"loud\"}", 422, "log.level");
  expect_status (server, "POST", "/api/config/export", vera, NULL, 403);
  {
    g_autofree char *authorization = g_strconcat ("Bearer ", ada, NULL);
    const char * const headers[] = { "Authorization", authorization, NULL };

    exported = bourse_test_fetch (server, "POST", "/api/config/export", headers, NULL, NULL, -1);
    g_assert_cmpuint (exported->status, ==, 200);
    g_assert_true (g_str_has_prefix (bourse_test_response_header (exported, "Content-Type"), "text/plain"));
    {
      g_autoptr(BourseTestResponse) answer =
        bourse_test_fetch (server, "POST", "/api/config/import?dry_run=true", headers, "text/plain",
                           g_bytes_get_data (exported->body, NULL), g_bytes_get_size (exported->body));

      g_assert_cmpuint (answer->status, ==, 200);
      imported = bourse_test_response_json (answer);
      g_assert_true (json_object_get_boolean_member (desk_object (imported), "dry_run"));
    }
  }

  /* Signals and models: readers read, writers write. */
  expect_status (server, "POST", "/api/signals/filter", vera, "{}", 200);
  expect_status (server, "POST", "/api/models/train", vera, "{}", 403);
  desk_expect_field (server, "POST", "/api/models/train", tom, "{}", 422, "strategy");
  expect_status (server, "POST", "/api/models/deploy", vera, "{}", 403);

}

/* Seed 004's WebSocket at /ws: the same hub, topics and rules as /api/v1/ws. */
typedef struct
{
  SoupWebsocketConnection *connection;
  GError                  *error;
  GPtrArray               *messages;
} Ws;

static void
ws_message_cb (SoupWebsocketConnection *connection,
               int                      type,
               GBytes                  *message,
               Ws                      *ws)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));

  g_ptr_array_add (ws->messages, json_from_string (text, NULL));
}

static void
ws_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Ws *ws = user_data;

  ws->connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &ws->error);
  if (ws->connection != NULL)
    g_signal_connect (ws->connection, "message", G_CALLBACK (ws_message_cb), ws);
}

static gboolean
ws_connected (gpointer data)
{
  Ws *ws = data;

  return ws->connection != NULL || ws->error != NULL;
}

static void
ws_connect (BourseTestServer *server,
            const char       *path_and_query,
            Ws               *ws)
{
  g_autofree char *url = g_strconcat ("ws", server->base_url + strlen ("http"), path_and_query + 1, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);

  ws->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  soup_session_websocket_connect_async (server->session, message, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        ws_connected_cb, ws);
  bourse_test_wait_until (ws_connected, ws, 10000, "the WebSocket's handshake");
}

static gboolean
ws_has_system_event (gpointer data)
{
  Ws *ws = data;

  for (guint i = 0; i < ws->messages->len; i++)
    {
      JsonObject *message = json_node_get_object (g_ptr_array_index (ws->messages, i));

      if (g_strcmp0 (json_object_get_string_member_with_default (message, "type", NULL), "event") == 0
          && g_strcmp0 (json_object_get_string_member_with_default (message, "topic", NULL), "system") == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
ws_has_error (gpointer data)
{
  Ws *ws = data;

  for (guint i = 0; i < ws->messages->len; i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (g_ptr_array_index (ws->messages, i)),
                                                               "type", NULL), "error") == 0)
      return TRUE;
  return FALSE;
}

static gboolean
ws_is_closed (gpointer data)
{
  return soup_websocket_connection_get_state (data) == SOUP_WEBSOCKET_STATE_CLOSED;
}

static void
ws_clear (Ws *ws)
{
  if (ws->connection != NULL && soup_websocket_connection_get_state (ws->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (ws->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      bourse_test_wait_until (ws_is_closed, ws->connection, 10000, "the WebSocket to close");
    }
  g_clear_object (&ws->connection);
  g_clear_error (&ws->error);
  g_clear_pointer (&ws->messages, g_ptr_array_unref);
}

static gboolean
no_websockets (gpointer data)
{
  BourseTestServer *server = data;

  return bourse_server_get_n_websockets (server->server) == 0;
}

static void
test_seed004_websocket (Fixture       *f,
                       gconstpointer  data)
{
  BourseTestServer *server = f->server;
  const char *vera = f->vera;
  g_autofree char *path = NULL;
  Ws viewer = { 0 }, nobody = { 0 };


  /* Without a token: the handshake is refused (401), as on /api/v1/ws. */
  ws_connect (server, "/ws", &nobody);
  g_assert_null (nobody.connection);
  g_assert_nonnull (nobody.error);
  ws_clear (&nobody);

  /* A viewer subscribes to the system topic and gets its latest event;
   * a topic the role may not see is refused, as on /api/v1/ws. */
  path = g_strconcat ("/ws?token=", vera, NULL);
  ws_connect (server, path, &viewer);
  g_assert_no_error (viewer.error);
  g_assert_cmpuint (bourse_server_get_n_websockets (server->server), ==, 1);
  soup_websocket_connection_send_text (viewer.connection, "{\"type\":\"subscribe\",\"topics\":[\"system\"]}");
  bourse_test_wait_until (ws_has_system_event, &viewer, 10000, "a system event on /ws");
  soup_websocket_connection_send_text (viewer.connection, "{\"type\":\"subscribe\",\"topics\":[\"logs\"]}");
  bourse_test_wait_until (ws_has_error, &viewer, 10000, "the refusal of the logs topic on /ws");
  ws_clear (&viewer);
  bourse_test_wait_until (no_websockets, server, 10000, "the hub to let the client go");

  /* A GET without an Upgrade is the route's 400; a path below it is none. */
  expect_status (server, "GET", "/ws", vera, NULL, 400);
  expect_status (server, "GET", "/ws/more", vera, NULL, 404);
  expect_status (server, "POST", "/ws", vera, "{}", 405);

}

/* An alias keeps its real route's budget and caching: seed 003's sign-in
 * cannot be used to guess passwords faster than ours. */
static void
test_limits_shared (void)
{
  static const char * const settings[] = {
    "rate_limit", "enabled", "true",
    "rate_limit", "auth_per_minute", "3",
    NULL
  };
  BourseTestServer *server = desk_server_new (settings);
  const char *wrong = "{\"username\":\"nobody\",\"password\":\"not the password\"}";
  g_autoptr(BourseTestResponse) login = NULL;
  g_autoptr(BourseTestResponse) status = NULL;

  expect_status (server, "POST", "/auth/login", "", wrong, 401);
  expect_status (server, "POST", "/api/v1/auth/login", "", wrong, 401);
  expect_status (server, "POST", "/auth/login", "", wrong, 401);
  expect_status (server, "POST", "/auth/login", "", wrong, 429);
  expect_status (server, "POST", "/api/v1/auth/login", "", wrong, 429);
  expect_status (server, "POST", "/auth/register", "", "{}", 429);

  /* Outside /api/, the answers are still kept from caches. */
  login = bourse_test_fetch (server, "POST", "/auth/login", anonymous, "application/json", wrong, -1);
  g_assert_cmpstr (bourse_test_response_header (login, "Cache-Control"), ==, "no-store");
  status = bourse_test_fetch (server, "POST", "/recommendation", NULL, "application/json", "{}", -1);
  g_assert_cmpuint (status->status, ==, 422);
  g_assert_cmpstr (bourse_test_response_header (status, "Cache-Control"), ==, "no-store");

  bourse_test_server_free (server);
}

/* What every alias must be: its route's permission, user data and limit,
 * its handler unless it adapts the request, deprecated in its doc and
 * pointing at the route. And the document shows each, without a fault. */
static void
test_aliases_in_router_and_document (void)
{
  static const char * const adapted[] = { "POST /auth/register", "POST /trade/execute", NULL };
  static const char * const seed_paths[] = {
    "POST /auth/register", "POST /auth/login", "POST /recommendation", "POST /approval/{id}/approve",
    "POST /approval/{id}/reject", "POST /trade/execute",
    "GET /api/system/status", "POST /api/system/mode", "POST /api/system/start", "POST /api/system/stop",
    "POST /api/system/restart", "GET /api/config", "GET /api/config/{section}", "PUT /api/config/{section}",
    "POST /api/config/export", "POST /api/config/import", "GET /api/instruments", "POST /api/instruments",
    "PUT /api/instruments/{symbol}", "DELETE /api/instruments/{symbol}", "GET /api/signals",
    "GET /api/signals/{id}", "POST /api/signals/filter", "GET /api/models", "POST /api/models/train",
    "POST /api/models/deploy", "GET /api/health", "GET /api/health/components", "GET /api/metrics", "GET /ws",
    "GET /docs", NULL
  };
  BourseTestServer *server = desk_server_new (NULL);
  BourseRouter *router = bourse_server_get_router (server->server);
  g_autoptr(GHashTable) aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *problems = NULL;
  g_autoptr(JsonNode) document = bourse_openapi_build (router, PACKAGE_VERSION, &problems, &error);
  JsonObject *paths;

  g_assert_no_error (error);
  paths = json_object_get_object_member (json_node_get_object (document), "paths");

  for (guint i = 0; i < bourse_router_get_n_routes (router); i++)
    {
      const BourseRoute *route = bourse_router_get_route (router, i);
      const BourseRoute *real = route->alias_of;
      g_autofree char *name = g_strdup_printf ("%s %s", route->method, route->pattern);
      g_autofree char *method = g_ascii_strdown (route->method, -1);
      g_autofree char *fault = g_strconcat (name, ":", NULL);
      JsonObject *operation;

      if (real == NULL)
        continue;
      g_hash_table_add (aliases, g_strdup (name));
      g_assert_cmpstr (route->permission, ==, real->permission);
      g_assert_true (route->user_data == real->user_data);
      g_assert_cmpuint (route->max_body, ==, real->max_body);
      g_assert_true (g_strv_contains (adapted, name) || route->handler == real->handler);
      g_assert_true (g_strv_contains (adapted, name) == (route->handler != real->handler));
      g_assert_nonnull (route->doc);
      g_assert_true (route->doc->deprecated);
      g_assert_cmpstr (route->doc->replaced_by, ==, real->pattern);
      g_assert_true (g_str_has_prefix (route->doc->id, "seed003") || g_str_has_prefix (route->doc->id, "seed004"));

      /* In the document: deprecated, the real route's permission, naming it. */
      operation = json_object_get_object_member (json_object_get_object_member (paths, route->pattern), method);
      g_assert_nonnull (operation);
      g_assert_true (json_object_get_boolean_member (operation, "deprecated"));
      g_assert_cmpstr (json_object_get_string_member_with_default (operation, "x-permission", NULL), ==,
                       real->permission);
      g_assert_nonnull (strstr (json_object_get_string_member (operation, "description"), real->pattern));
      if (problems != NULL)
        {
          g_autofree char *lines = g_strconcat ("\n", problems, NULL);
          g_autofree char *line = g_strconcat ("\n", fault, NULL);

          if (strstr (lines, line) != NULL)
            g_error ("The document has a fault for the alias %s:\n%s", name, problems);
        }
    }

  /* What the alias's doc leaves out is its real route's (documented already). */
  {
    JsonObject *status = json_object_get_object_member (json_object_get_object_member (paths, "/api/system/status"),
                                                        "get");
    JsonObject *health = json_object_get_object_member (json_object_get_object_member (paths, "/api/health"), "get");
    JsonObject *ok = json_object_get_object_member (json_object_get_object_member (status, "responses"), "200");
    JsonObject *schema = json_object_get_object_member (json_object_get_object_member (
      json_object_get_object_member (ok, "content"), "application/json"), "schema");

    g_assert_cmpstr (json_object_get_string_member (schema, "$ref"), ==, "#/components/schemas/SystemStatus");
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (status, "tags"), 0), ==, "System");
    g_assert_true (json_object_has_member (json_object_get_object_member (health, "responses"), "503"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (health, "security")), ==, 0);
  }

  for (guint i = 0; seed_paths[i] != NULL; i++)
    if (!g_hash_table_contains (aliases, seed_paths[i]))
      g_error ("The seed's %s is not an alias", seed_paths[i]);

  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seed-aliases/003/register-role-ignored", test_register_role_ignored);
  g_test_add ("/seed-aliases/003/flow", Fixture, NULL, fixture_set_up, test_seed003_flow, fixture_tear_down);
  g_test_add ("/seed-aliases/003/examples", Fixture, NULL, fixture_set_up, test_seed003_examples, fixture_tear_down);
  g_test_add ("/seed-aliases/004/reads", Fixture, NULL, fixture_set_up, test_seed004_reads, fixture_tear_down);
  g_test_add ("/seed-aliases/004/writes", Fixture, NULL, fixture_set_up, test_seed004_writes, fixture_tear_down);
  g_test_add ("/seed-aliases/004/websocket", Fixture, NULL, fixture_set_up, test_seed004_websocket, fixture_tear_down);
  g_test_add_func ("/seed-aliases/limits-shared", test_limits_shared);
  g_test_add_func ("/seed-aliases/router-and-document", test_aliases_in_router_and_document);

  return g_test_run ();
}
