/* test-webhooks.c — signed external signals through the desk, over HTTP
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "desk-test-util.h"

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

typedef struct
{
  gint64  id;
  char   *secret;
  char   *url;
} Hook;

static void
hook_clear (Hook *hook)
{
  g_free (hook->secret);
  g_free (hook->url);
}

static void
create_hook (BourseTestServer *server,
             const char       *name,
             Hook             *hook)
{
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\"}", name);
  g_autoptr(JsonNode) node = desk_expect (server, "POST", "/api/v1/webhooks", NULL, body, 201);
  JsonObject *object = desk_object (node);

  hook->id = json_object_get_int_member (object, "id");
  hook->secret = g_strdup (json_object_get_string_member (object, "secret"));
  hook->url = g_strdup (json_object_get_string_member (object, "url"));
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, name);
  g_assert_true (json_object_get_null_member (object, "revoked_at"));
}

/* Posts with headers of one's own choosing. */
static guint
post_raw (BourseTestServer *server,
          gint64            id,
          const char       *timestamp,
          const char       *signature,
          const char       *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/signals/webhook/%" G_GINT64_FORMAT, id);
  const char * const headers[] = {
    "Authorization", "",
    "X-Bourse-Timestamp", timestamp ? timestamp : "",
    "X-Bourse-Signature", signature ? signature : "",
    NULL
  };
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (server, "POST", path, headers, "application/json", body, -1);

  return response->status;
}

static void
expect_signal_field (BourseTestServer *server,
                     const Hook       *hook,
                     const char       *body,
                     const char       *field)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *errors;
  guint status;

  node = desk_post_signal (server, hook->id, hook->secret, now_s (), body, &status);
  g_test_message ("%s → %u %s", body, status, json_object_get_string_member (desk_object (node), "detail"));
  g_assert_cmpuint (status, ==, 422);
  errors = json_object_get_array_member (desk_object (node), "errors");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (errors, 0), "field"), ==, field);
}

static void
test_create_and_list (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autofree char *trader = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *expected_url = NULL;
  g_autoptr(JsonNode) list = NULL;
  Hook hook = { 0 };

  create_hook (server, "TradingView BTC", &hook);
  g_assert_cmpint (hook.id, >, 0);
  /* 256 random bits as hex: what a sender pastes. */
  g_assert_cmpuint (strlen (hook.secret), ==, 64);
  expected_url = g_strdup_printf ("%sapi/v1/signals/webhook/%" G_GINT64_FORMAT, server->base_url, hook.id);
  g_assert_cmpstr (hook.url, ==, expected_url);

  desk_expect_field (server, "POST", "/api/v1/webhooks", NULL, "{}", 422, "name");
  desk_expect_field (server, "POST", "/api/v1/webhooks", NULL, "{\"name\":7}", 422, "name");

  /* Administrators only. */
  desk_create_user (server, "tom", "trader");
  trader = desk_login (server, "tom", "trader");
  g_clear_pointer (&list, json_node_unref);
  list = desk_expect (server, "POST", "/api/v1/webhooks", trader, "{\"name\":\"mine\"}", 403);
  g_clear_pointer (&list, json_node_unref);
  list = desk_expect (server, "GET", "/api/v1/webhooks", trader, NULL, 403);

  /* The list never shows the secret. */
  g_clear_pointer (&list, json_node_unref);
  list = desk_expect (server, "GET", "/api/v1/webhooks", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (list), "items")), ==, 1);
  g_assert_false (json_object_has_member (json_array_get_object_element (
                    json_object_get_array_member (desk_object (list), "items"), 0), "secret"));
  listing = json_to_string (list, FALSE);
  g_assert_null (strstr (listing, hook.secret));

  hook_clear (&hook);
  bourse_test_server_free (server);
}

static void
test_good_signature (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) recommendation = NULL;
  g_autoptr(JsonNode) approval = NULL;
  g_autoptr(JsonNode) candles = NULL;
  g_autofree char *path = NULL;
  JsonObject *object, *rec;
  JsonArray *page;
  BourseDecimal entry, stop, target, last_close;
  gint64 recommendation_id, approval_id;
  guint status;
  Hook hook = { 0 };

  desk_add_instrument (server, "WHKUSDT", BOURSE_INTERVAL_1H, 100, 5);
  create_hook (server, "alerts", &hook);

  /* No levels: entry at the last close, stop and target at 2 and 3 ATRs. */
  answer = desk_post_signal (server, hook.id, hook.secret, now_s (),
                             "{\"symbol\":\"WHKUSDT\",\"action\":\"buy\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  object = desk_object (answer);
  recommendation_id = json_object_get_int_member (object, "recommendation_id");
  approval_id = json_object_get_int_member (object, "approval_id");
  g_assert_cmpint (recommendation_id, >, 0);
  g_assert_cmpint (approval_id, >, 0);

  path = g_strdup_printf ("/api/v1/recommendations/%" G_GINT64_FORMAT, recommendation_id);
  recommendation = desk_expect (server, "GET", path, NULL, NULL, 200);
  rec = desk_object (recommendation);
  g_assert_cmpstr (json_object_get_string_member (rec, "origin"), ==, "webhook");
  g_assert_cmpstr (json_object_get_string_member (rec, "strategy"), ==, "webhook");
  g_assert_cmpstr (json_object_get_string_member (rec, "decision"), ==, "BUY");
  g_assert_cmpstr (json_object_get_string_member (rec, "interval"), ==, "1h");
  g_assert_cmpint (json_object_get_int_member (rec, "approval_id"), ==, approval_id);
  g_assert_cmpint (json_object_get_int_member (rec, "webhook_id"), ==, hook.id);
  g_assert_true (json_object_get_null_member (rec, "created_by"));
  g_assert_false (json_object_get_boolean_member (rec, "simulated"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (rec, "window"), "candles"), ==, 100);

  candles = desk_expect (server, "GET", "/api/v1/market/candles/WHKUSDT?interval=1h&limit=5000", NULL, NULL, 200);
  page = json_object_get_array_member (desk_object (candles), "items");
  g_assert_true (bourse_decimal_parse (json_object_get_string_member (
                   json_array_get_object_element (page, json_array_get_length (page) - 1), "close"), &last_close, NULL));
  g_assert_true (bourse_decimal_parse (json_object_get_string_member (rec, "entry"), &entry, NULL));
  g_assert_true (bourse_decimal_parse (json_object_get_string_member (rec, "stop_loss"), &stop, NULL));
  g_assert_true (bourse_decimal_parse (json_object_get_string_member (rec, "take_profit"), &target, NULL));
  g_assert_cmpint (entry.units, ==, last_close.units);
  g_assert_cmpint (stop.units, <, entry.units);
  g_assert_cmpint (target.units, >, entry.units);
  /* 3 ATRs of reward for 2 of risk, less the rounding on the safe side. */
  g_assert_cmpfloat (json_object_get_double_member (rec, "risk_reward"), >, 1.45);
  g_assert_cmpfloat (json_object_get_double_member (rec, "risk_reward"), <=, 1.5);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (rec, "metrics"), "atr"), >, 0);

  g_free (path);
  path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT, approval_id);
  approval = desk_expect (server, "GET", path, NULL, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (approval), "status"), ==, "pending");
  g_assert_true (json_object_get_null_member (desk_object (approval), "requested_by"));

  /* Levels from the alert, the comment as the reason. */
  g_clear_pointer (&answer, json_node_unref);
  answer = desk_post_signal (server, hook.id, hook.secret, now_s (),
                             "{\"symbol\":\"WHKUSDT\",\"interval\":\"15m\",\"action\":\"SELL\",\"price\":\"105.00\","
                             "\"stop_loss\":\"110\",\"take_profit\":\"95.5\",\"comment\":\"RSI divergence\"}",
                             &status);
  g_assert_cmpuint (status, ==, 201);
  g_free (path);
  path = g_strdup_printf ("/api/v1/recommendations/%" G_GINT64_FORMAT,
                          json_object_get_int_member (desk_object (answer), "recommendation_id"));
  g_clear_pointer (&recommendation, json_node_unref);
  recommendation = desk_expect (server, "GET", path, NULL, NULL, 200);
  rec = desk_object (recommendation);
  g_assert_cmpstr (json_object_get_string_member (rec, "decision"), ==, "SELL");
  g_assert_cmpstr (json_object_get_string_member (rec, "entry"), ==, "105.00000000");
  g_assert_cmpstr (json_object_get_string_member (rec, "stop_loss"), ==, "110.00000000");
  g_assert_cmpstr (json_object_get_string_member (rec, "take_profit"), ==, "95.50000000");
  g_assert_cmpstr (json_object_get_string_member (rec, "reason"), ==, "RSI divergence");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (rec, "risk_reward"), 9.5 / 5, 1e-12);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (rec, "window"), "candles"), ==, 0);

  /* Both are in the listing by origin. */
  g_clear_pointer (&recommendation, json_node_unref);
  recommendation = desk_expect (server, "GET", "/api/v1/recommendations?origin=webhook", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (recommendation), "items")),
                    ==, 2);

  hook_clear (&hook);
  bourse_test_server_free (server);
}

static void
test_refusals (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  const char *body = "{\"symbol\":\"WHKUSDT\",\"action\":\"buy\",\"price\":\"100\",\"stop_loss\":\"99\","
                     "\"take_profit\":\"103\"}";
  g_autofree char *ts = g_strdup_printf ("%" G_GINT64_FORMAT, now_s ());
  g_autofree char *good = NULL;
  g_autofree char *wrong_key = NULL;
  g_autofree char *stale_ts = g_strdup_printf ("%" G_GINT64_FORMAT, now_s () - 400);
  g_autofree char *stale = NULL;
  g_autofree char *future_ts = g_strdup_printf ("%" G_GINT64_FORMAT, now_s () + 400);
  g_autofree char *future = NULL;
  g_autofree char *big = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) list = NULL;
  guint status;
  Hook hook = { 0 };

  desk_add_instrument (server, "WHKUSDT", BOURSE_INTERVAL_1H, 20, 6);
  create_hook (server, "refusals", &hook);
  good = desk_sign (hook.secret, ts, body);
  wrong_key = desk_sign ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", ts, body);
  stale = desk_sign (hook.secret, stale_ts, body);
  future = desk_sign (hook.secret, future_ts, body);

  /* Missing or malformed headers, a wrong key, a changed body. */
  g_assert_cmpuint (post_raw (server, hook.id, NULL, NULL, body), ==, 401);
  g_assert_cmpuint (post_raw (server, hook.id, ts, NULL, body), ==, 401);
  g_assert_cmpuint (post_raw (server, hook.id, NULL, good, body), ==, 401);
  g_assert_cmpuint (post_raw (server, hook.id, "yesterday", good, body), ==, 401);
  g_assert_cmpuint (post_raw (server, hook.id, ts, good + 7, body), ==, 401);          /* no "sha256=" */
  g_assert_cmpuint (post_raw (server, hook.id, ts, "sha256=zz", body), ==, 401);
  g_assert_cmpuint (post_raw (server, hook.id, ts, wrong_key, body), ==, 401);
  g_assert_cmpuint (post_raw (server, hook.id, ts, good,
                              "{\"symbol\":\"WHKUSDT\",\"action\":\"sell\",\"price\":\"100\"}"), ==, 401);
  /* Signed right, but outside the replay window either way. */
  g_assert_cmpuint (post_raw (server, hook.id, stale_ts, stale, body), ==, 401);
  g_assert_cmpuint (post_raw (server, hook.id, future_ts, future, body), ==, 401);

  /* Nothing of that reached the desk. */
  list = desk_expect (server, "GET", "/api/v1/recommendations", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (list), "items")), ==, 0);

  /* Once accepted, the very same request again is a replay. */
  g_assert_cmpuint (post_raw (server, hook.id, ts, good, body), ==, 201);
  g_assert_cmpuint (post_raw (server, hook.id, ts, good, body), ==, 401);

  /* Unknown hooks. */
  g_assert_cmpuint (post_raw (server, 999, ts, good, body), ==, 404);
  g_assert_cmpuint (post_raw (server, 0, ts, good, body), ==, 404);

  /* Bodies: each signed properly. */
  expect_signal_field (server, &hook, "not json", "body");
  expect_signal_field (server, &hook, "[1,2]", "body");
  expect_signal_field (server, &hook, "{\"action\":\"buy\"}", "symbol");
  expect_signal_field (server, &hook, "{\"symbol\":\"NOPEUSDT\",\"action\":\"buy\"}", "symbol");
  expect_signal_field (server, &hook, "{\"symbol\":\"WHKUSDT\",\"action\":\"hold\"}", "action");
  expect_signal_field (server, &hook, "{\"symbol\":\"WHKUSDT\"}", "action");
  expect_signal_field (server, &hook, "{\"symbol\":\"WHKUSDT\",\"action\":\"buy\",\"interval\":\"2m\"}", "interval");
  expect_signal_field (server, &hook, "{\"symbol\":\"WHKUSDT\",\"action\":\"buy\",\"price\":100}", "price");
  expect_signal_field (server, &hook, "{\"symbol\":\"WHKUSDT\",\"action\":\"buy\",\"price\":\"-1\"}", "price");
  expect_signal_field (server, &hook, "{\"symbol\":\"WHKUSDT\",\"action\":\"buy\",\"price\":\"100\","
                                      "\"stop_loss\":\"101\",\"take_profit\":\"105\"}", "stop_loss");
  expect_signal_field (server, &hook, "{\"symbol\":\"WHKUSDT\",\"action\":\"sell\",\"price\":\"100\","
                                      "\"stop_loss\":\"101\",\"take_profit\":\"105\"}", "take_profit");
  /* Only 20 candles: no ATR(14) for a stop the alert does not give... */
  expect_signal_field (server, &hook, "{\"symbol\":\"WHKUSDT\",\"action\":\"buy\",\"interval\":\"4h\"}", "price");
  expect_signal_field (server, &hook, "{\"symbol\":\"WHKUSDT\",\"action\":\"buy\",\"interval\":\"4h\","
                                      "\"price\":\"100\"}", "stop_loss");
  {
    g_autoptr(GString) comment = g_string_new ("{\"symbol\":\"WHKUSDT\",\"action\":\"buy\",\"comment\":\"");

    for (guint i = 0; i < 501; i++)
      g_string_append_c (comment, 'x');
    g_string_append (comment, "\"}");
    expect_signal_field (server, &hook, comment->str, "comment");
  }

  /* Over 16 KiB. */
  {
    g_autoptr(GString) text = g_string_new ("{\"symbol\":\"WHKUSDT\",\"action\":\"buy\",\"pad\":\"");

    while (text->len < 17 * 1024)
      g_string_append (text, "0123456789");
    g_string_append (text, "\"}");
    big = g_string_free (g_steal_pointer (&text), FALSE);
  }
  node = desk_post_signal (server, hook.id, hook.secret, now_s (), big, &status);
  g_assert_cmpuint (status, ==, 413);

  hook_clear (&hook);
  bourse_test_server_free (server);
}

static void
test_revoke (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  const char *body = "{\"symbol\":\"WHKUSDT\",\"action\":\"buy\",\"price\":\"100\",\"stop_loss\":\"99\","
                     "\"take_profit\":\"103\"}";
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *path = NULL;
  guint status;
  Hook hook = { 0 }, other = { 0 };

  desk_add_instrument (server, "WHKUSDT", BOURSE_INTERVAL_1H, 20, 7);
  create_hook (server, "to revoke", &hook);
  create_hook (server, "to keep", &other);

  node = desk_post_signal (server, hook.id, hook.secret, now_s (), body, &status);
  g_assert_cmpuint (status, ==, 201);

  path = g_strdup_printf ("/api/v1/webhooks/%" G_GINT64_FORMAT, hook.id);
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "DELETE", path, NULL, NULL, 204);
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "DELETE", path, NULL, NULL, 409);
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "DELETE", "/api/v1/webhooks/999", NULL, NULL, 404);

  /* A revoked hook is gone for senders, even with a valid signature. */
  g_clear_pointer (&node, json_node_unref);
  node = desk_post_signal (server, hook.id, hook.secret, now_s () - 1, body, &status);
  g_assert_cmpuint (status, ==, 404);
  /* Its secret is gone from the secret store too. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *name = g_strdup_printf ("webhook:%" G_GINT64_FORMAT, hook.id);
    g_autoptr(GBytes) secret = bourse_secrets_lookup (bourse_auth_get_secrets (bourse_engine_get_auth (server->engine)),
                                                      name, &error);

    g_assert_no_error (error);
    g_assert_null (secret);
  }

  /* The other one still works. */
  g_clear_pointer (&node, json_node_unref);
  node = desk_post_signal (server, other.id, other.secret, now_s (), body, &status);
  g_assert_cmpuint (status, ==, 201);

  list = desk_expect (server, "GET", "/api/v1/webhooks", NULL, NULL, 200);
  {
    JsonArray *items = json_object_get_array_member (desk_object (list), "items");

    g_assert_cmpuint (json_array_get_length (items), ==, 2);
    /* Newest first. */
    g_assert_true (json_object_get_null_member (json_array_get_object_element (items, 0), "revoked_at"));
    g_assert_nonnull (json_object_get_string_member (json_array_get_object_element (items, 1), "revoked_at"));
  }

  hook_clear (&hook);
  hook_clear (&other);
  bourse_test_server_free (server);
}

/* The secret is in one answer only, and never in the audit trail. */
static void
test_secret_stays_secret (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  const char *body = "{\"symbol\":\"WHKUSDT\",\"action\":\"buy\",\"price\":\"100\",\"stop_loss\":\"99\","
                     "\"take_profit\":\"103\"}";
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) revoked = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  const char *paths[3];
  guint status;
  Hook hook = { 0 };

  desk_add_instrument (server, "WHKUSDT", BOURSE_INTERVAL_1H, 20, 8);
  create_hook (server, "audited", &hook);
  answer = desk_post_signal (server, hook.id, hook.secret, now_s (), body, &status);
  g_assert_cmpuint (status, ==, 201);
  text = json_to_string (answer, FALSE);
  g_assert_null (strstr (text, hook.secret));

  path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT,
                          json_object_get_int_member (desk_object (answer), "approval_id"));
  paths[0] = "/api/v1/webhooks";
  paths[1] = "/api/v1/recommendations";
  paths[2] = path;
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(JsonNode) node = desk_expect (server, "GET", paths[i], NULL, NULL, 200);
      g_autofree char *shown = json_to_string (node, FALSE);

      g_assert_null (strstr (shown, hook.secret));
    }

  {
    g_autofree char *delete_path = g_strdup_printf ("/api/v1/webhooks/%" G_GINT64_FORMAT, hook.id);
    g_autoptr(JsonNode) node = desk_expect (server, "DELETE", delete_path, NULL, NULL, 204);
  }

  /* Created, used and revoked, all audited, none with the secret. */
  created = desk_audit (server, "webhook.create");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (created)), ==, 1);
  revoked = desk_audit (server, "webhook.revoke");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (revoked)), ==, 1);
  audit = desk_audit_text (server);
  g_assert_nonnull (strstr (audit, "\"actor\":\"webhook:"));
  g_assert_null (strstr (audit, hook.secret));

  hook_clear (&hook);
  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/webhooks/create-and-list", test_create_and_list);
  g_test_add_func ("/webhooks/good-signature", test_good_signature);
  g_test_add_func ("/webhooks/refusals", test_refusals);
  g_test_add_func ("/webhooks/revoke", test_revoke);
  g_test_add_func ("/webhooks/secret-stays-secret", test_secret_stays_secret);

  return g_test_run ();
}
