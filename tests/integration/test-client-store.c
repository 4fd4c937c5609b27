/* test-client-store.c — the client's typed, live lists against the real server
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A BourseClientStore of live strategies follows the "strategies" topic:
 * made, changed and deleted through the API, each shows as an insert, a
 * notify on the same object, a removal; events missed while the socket was
 * closed (a seq gap) make it read the list again. Everything runs on this
 * thread's main context, the server's too.
 */

#include "config.h"

#include <inttypes.h>

#include "client/bourse-client-records.h"
#include "client/bourse-client-store.h"

#include "desk-test-util.h"

#define TIMEOUT_MS 30000

static gint64
create_strategy (BourseTestServer *server,
                 const char       *name)
{
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"strategy\":\"ar\",\"symbol\":\"BTCUSDT\","
                                           "\"interval\":\"1w\"}", name);
  g_autoptr(JsonNode) node = desk_expect (server, "POST", "/api/v1/strategies", NULL, body, 201);

  return json_object_get_int_member (desk_object (node), "id");
}

static gboolean
is_connected (gpointer data)
{
  return bourse_client_get_connected (data);
}

static gboolean
is_disconnected (gpointer data)
{
  return !bourse_client_get_connected (data);
}

static gboolean
is_subscribed (gpointer data)
{
  return bourse_client_is_subscribed (data, "strategies");
}

typedef struct
{
  BourseClientStore *store;
  guint              n_items;
  guint              n_loads;   /* 0: any */
} StoreQuery;

static gboolean
store_is (gpointer data)
{
  StoreQuery *query = data;

  return bourse_client_store_get_loaded (query->store)
         && bourse_client_store_get_live (query->store)
         && g_list_model_get_n_items (G_LIST_MODEL (query->store)) == query->n_items
         && (query->n_loads == 0 || bourse_client_store_get_n_loads (query->store) == query->n_loads);
}

static gboolean
store_is_loaded (gpointer data)
{
  return bourse_client_store_get_loaded (data);
}

static gboolean
is_subscribed_to_instruments (gpointer data)
{
  return bourse_client_is_subscribed (data, "instruments");
}

static void
wait_for_store (BourseClientStore *store,
                guint              n_items,
                guint              n_loads)
{
  StoreQuery query = { store, n_items, n_loads };
  g_autofree char *what = g_strdup_printf ("%u items after %u loads", n_items, n_loads);

  bourse_test_wait_until (store_is, &query, TIMEOUT_MS, what);
}

static BourseClientStrategy *
strategy_at (BourseClientStore *store,
             guint              position)
{
  g_autoptr(BourseClientStrategy) strategy = g_list_model_get_item (G_LIST_MODEL (store), position);

  g_assert_nonnull (strategy);
  /* The store holds it. */
  return strategy;
}

/* Five made and one deleted while away. */
static gboolean
lists_fifth_first (gpointer data)
{
  g_autoptr(BourseClientStrategy) first = g_list_model_get_item (data, 0);

  return bourse_client_store_get_loaded (data) && first != NULL
         && g_str_equal (bourse_client_strategy_get_name (first), "five")
         && g_list_model_get_n_items (data) == 3;
}

static gboolean
is_disabled (gpointer data)
{
  return !bourse_client_strategy_get_enabled (data);
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
changed_cb (GListModel *model,
            guint       position,
            guint       removed,
            guint       added,
            GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u;", position, removed, added);
}

static void
client_connect (BourseClient *client)
{
  bourse_client_connect_async (client, NULL, NULL, NULL);
  bourse_test_wait_until (is_connected, client, TIMEOUT_MS, "the WebSocket to connect");
}

static void
test_strategies (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autoptr(BourseClient) client = bourse_client_new (server->base_url);
  g_autoptr(BourseClientStore) store = NULL;
  g_autoptr(GString) log = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;
  BourseClientStrategy *strategy;
  BourseClientStrategy *kept;
  guint n_enabled = 0, n_name = 0, n_loads;
  gint64 first, second, third, fourth, fifth;

  bourse_client_set_token (client, server->token);
  client_connect (client);

  first = create_strategy (server, "one");
  second = create_strategy (server, "two");
  third = create_strategy (server, "three");

  /* Two a page: every page is read, newest first. Once the server has
   * confirmed the subscription the list is read again (a reading still
   * under way is replaced): what changed before it is not missed. */
  store = bourse_client_store_new (client, BOURSE_TYPE_CLIENT_STRATEGY, "/api/v1/strategies?limit=2",
                                   "strategies");
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == BOURSE_TYPE_CLIENT_STRATEGY);
  bourse_test_wait_until (is_subscribed, client, TIMEOUT_MS, "the subscription");
  wait_for_store (store, 3, 0);
  n_loads = bourse_client_store_get_n_loads (store);
  g_assert_cmpuint (n_loads, >=, 1);
  g_assert_cmpint (bourse_client_strategy_get_id (strategy_at (store, 0)), ==, third);
  g_assert_cmpint (bourse_client_strategy_get_id (strategy_at (store, 2)), ==, first);
  strategy = strategy_at (store, 1);
  g_assert_cmpint (bourse_client_strategy_get_id (strategy), ==, second);
  g_assert_cmpstr (bourse_client_strategy_get_name (strategy), ==, "two");
  g_assert_cmpstr (bourse_client_strategy_get_strategy (strategy), ==, "ar");
  g_assert_cmpstr (bourse_client_strategy_get_symbol (strategy), ==, "BTCUSDT");
  g_assert_cmpstr (bourse_client_strategy_get_interval (strategy), ==, "1w");
  g_assert_cmpstr (bourse_client_strategy_get_policy (strategy), ==, "manual");
  g_assert_true (bourse_client_strategy_get_enabled (strategy));
  g_assert_null (bourse_client_strategy_get_last_signal_at (strategy));
  g_assert_true (json_object_has_member (bourse_client_strategy_get_params (strategy), "lags"));
  key = g_strdup_printf ("%" PRId64, second);
  g_assert_true (bourse_client_store_lookup (store, key) == BOURSE_CLIENT_OBJECT (strategy));
  {
    g_autofree char *name = NULL;
    gboolean enabled = FALSE;

    g_object_get (strategy, "name", &name, "enabled", &enabled, NULL);
    g_assert_cmpstr (name, ==, "two");
    g_assert_true (enabled);
  }

  g_signal_connect (store, "items-changed", G_CALLBACK (changed_cb), log);

  /* Made elsewhere: inserted first, without reading the list. */
  fourth = create_strategy (server, "four");
  wait_for_store (store, 4, n_loads);
  g_assert_cmpint (bourse_client_strategy_get_id (strategy_at (store, 0)), ==, fourth);
  g_assert_cmpstr (log->str, ==, "0-0+1;");

  /* Changed elsewhere: the same object, at the same place, notifies what
   * changed and nothing else. */
  kept = strategy_at (store, 2);
  g_assert_cmpint (bourse_client_strategy_get_id (kept), ==, second);
  g_signal_connect (kept, "notify::enabled", G_CALLBACK (count_cb), &n_enabled);
  g_signal_connect (kept, "notify::name", G_CALLBACK (count_cb), &n_name);
  path = g_strdup_printf ("/api/v1/strategies/%" PRId64, second);
  json_node_unref (desk_expect (server, "PUT", path, NULL, "{\"enabled\":false}", 200));
  bourse_test_wait_until (is_disabled, kept, TIMEOUT_MS, "the strategy to be switched off");
  g_assert_false (bourse_client_strategy_get_enabled (kept));
  g_assert_cmpuint (n_enabled, ==, 1);
  g_assert_cmpuint (n_name, ==, 0);
  g_assert_true (strategy_at (store, 2) == kept);
  g_assert_cmpstr (log->str, ==, "0-0+1;");

  /* Deleted elsewhere: removed from its place. */
  g_assert_null (desk_expect (server, "DELETE", path, NULL, NULL, 204));
  wait_for_store (store, 3, n_loads);
  g_assert_null (bourse_client_store_lookup (store, key));
  g_assert_cmpstr (log->str, ==, "0-0+1;2-1+0;");

  /* Away while two things happen: the seq jumps when the socket is back,
   * and the list is read again. */
  bourse_client_close (client);
  bourse_test_wait_until (is_disconnected, client, TIMEOUT_MS, "the WebSocket to close");
  fifth = create_strategy (server, "five");
  g_free (path);
  path = g_strdup_printf ("/api/v1/strategies/%" PRId64, first);
  g_assert_null (desk_expect (server, "DELETE", path, NULL, NULL, 204));
  client_connect (client);
  bourse_test_wait_until (lists_fifth_first, store, TIMEOUT_MS, "the list read again");
  g_assert_cmpuint (bourse_client_store_get_n_loads (store), >, n_loads);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  g_assert_cmpint (bourse_client_strategy_get_id (strategy_at (store, 0)), ==, fifth);
  g_assert_cmpint (bourse_client_strategy_get_id (strategy_at (store, 1)), ==, fourth);
  g_assert_cmpint (bourse_client_strategy_get_id (strategy_at (store, 2)), ==, third);

  g_clear_object (&store);
  bourse_client_close (client);
  bourse_test_server_free (server);
}

/* A list read before its subscription is confirmed is read again then, and
 * only then: the topic's latest event, sent again on subscribing, is
 * already in what is read after the confirmation. A second list of the
 * same topic is live at once. */
static void
test_confirmation (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autoptr(BourseClient) client = bourse_client_new (server->base_url);
  g_autoptr(BourseClientStore) store = NULL;
  g_autoptr(BourseClientStore) second = NULL;
  gint64 late, later;

  bourse_client_set_token (client, server->token);
  create_strategy (server, "one");

  /* No socket yet: read once, not live. */
  store = bourse_client_store_new (client, BOURSE_TYPE_CLIENT_STRATEGY, "/api/v1/strategies", "strategies");
  bourse_test_wait_until (store_is_loaded, store, TIMEOUT_MS, "the first reading");
  g_assert_cmpuint (bourse_client_store_get_n_loads (store), ==, 1);
  g_assert_false (bourse_client_store_get_live (store));
  g_assert_cmpint (bourse_client_get_topic_seq (client, "strategies"), ==, -1);

  /* Made before the subscription: no event will tell of it. */
  late = create_strategy (server, "late");
  client_connect (client);
  wait_for_store (store, 2, 2);
  g_assert_cmpint (bourse_client_strategy_get_id (strategy_at (store, 0)), ==, late);
  g_assert_cmpint (bourse_client_get_topic_seq (client, "strategies"), >=, 2);

  /* From now on events, and no reading. */
  later = create_strategy (server, "later");
  wait_for_store (store, 3, 2);
  g_assert_cmpint (bourse_client_strategy_get_id (strategy_at (store, 0)), ==, later);

  second = bourse_client_store_new (client, BOURSE_TYPE_CLIENT_STRATEGY, "/api/v1/strategies", "strategies");
  g_assert_true (bourse_client_store_get_live (second));
  wait_for_store (second, 3, 1);
  g_assert_cmpuint (bourse_client_store_get_n_loads (store), ==, 2);

  g_clear_object (&second);
  g_clear_object (&store);
  bourse_client_close (client);
  bourse_test_server_free (server);
}

static gboolean
is_halted (gpointer data)
{
  return g_strcmp0 (bourse_client_instrument_get_status (data), "halted") == 0;
}

/* Instruments follow their own topic: made, changed and deleted through
 * the API, each reaches a list that was read once. */
static void
test_instruments (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autoptr(BourseClient) client = bourse_client_new (server->base_url);
  g_autoptr(BourseClientStore) store = NULL;
  BourseClientInstrument *instrument;
  guint n_before, n_loads;

  bourse_client_set_token (client, server->token);
  client_connect (client);

  store = bourse_client_store_new (client, BOURSE_TYPE_CLIENT_INSTRUMENT, "/api/v1/instruments", "instruments");
  bourse_test_wait_until (is_subscribed_to_instruments, client, TIMEOUT_MS, "the subscription");
  bourse_test_wait_until (store_is_loaded, store, TIMEOUT_MS, "the instruments read");
  n_before = g_list_model_get_n_items (G_LIST_MODEL (store));
  g_assert_null (bourse_client_store_lookup (store, "ADAUSDT"));

  /* Nothing was published on the topic before: its first event is news. */
  json_node_unref (desk_expect (server, "POST", "/api/v1/instruments", NULL,
                                "{\"symbol\":\"ADAUSDT\",\"base_asset\":\"ADA\",\"quote_asset\":\"USDT\","
                                "\"tick_size\":\"0.0001\",\"lot_step\":\"0.1\"}", 201));
  wait_for_store (store, n_before + 1, 0);
  n_loads = bourse_client_store_get_n_loads (store);
  instrument = BOURSE_CLIENT_INSTRUMENT (bourse_client_store_lookup (store, "ADAUSDT"));
  g_assert_nonnull (instrument);
  g_assert_cmpstr (bourse_client_instrument_get_base_asset (instrument), ==, "ADA");
  g_assert_cmpstr (bourse_client_instrument_get_status (instrument), ==, "trading");

  json_node_unref (desk_expect (server, "PUT", "/api/v1/instruments/ADAUSDT", NULL,
                                "{\"status\":\"halted\"}", 200));
  bourse_test_wait_until (is_halted, instrument, TIMEOUT_MS, "the instrument halted");
  g_assert_true (bourse_client_store_lookup (store, "ADAUSDT") == BOURSE_CLIENT_OBJECT (instrument));

  g_assert_null (desk_expect (server, "DELETE", "/api/v1/instruments/ADAUSDT", NULL, NULL, 204));
  wait_for_store (store, n_before, n_loads);
  g_assert_null (bourse_client_store_lookup (store, "ADAUSDT"));

  g_clear_object (&store);
  bourse_client_close (client);
  bourse_test_server_free (server);
}

static gboolean
store_has (gpointer data)
{
  StoreQuery *query = data;

  return bourse_client_store_get_loaded (query->store)
         && g_list_model_get_n_items (G_LIST_MODEL (query->store)) == query->n_items;
}

/* A page at a time: Load More appends the next, an event still goes on
 * top without a reading, and a reload starts again at the first page. */
static void
test_paged (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autoptr(BourseClient) client = bourse_client_new (server->base_url);
  g_autoptr(BourseClientStore) store = NULL;
  StoreQuery query;
  guint n_loads;
  gint64 first, third, fourth;

  bourse_client_set_token (client, server->token);
  client_connect (client);

  first = create_strategy (server, "one");
  create_strategy (server, "two");
  third = create_strategy (server, "three");

  store = bourse_client_store_new_paged (client, BOURSE_TYPE_CLIENT_STRATEGY, "/api/v1/strategies?limit=2",
                                         "strategies");
  bourse_test_wait_until (is_subscribed, client, TIMEOUT_MS, "the subscription");
  wait_for_store (store, 2, 0);
  g_assert_true (bourse_client_store_get_has_more (store));
  g_assert_cmpint (bourse_client_strategy_get_id (strategy_at (store, 0)), ==, third);

  n_loads = bourse_client_store_get_n_loads (store);
  bourse_client_store_load_more (store);
  query = (StoreQuery) { store, 3, 0 };
  bourse_test_wait_until (store_has, &query, TIMEOUT_MS, "the next page");
  g_assert_cmpuint (bourse_client_store_get_n_loads (store), ==, n_loads + 1);
  g_assert_false (bourse_client_store_get_has_more (store));
  g_assert_cmpint (bourse_client_strategy_get_id (strategy_at (store, 2)), ==, first);

  n_loads = bourse_client_store_get_n_loads (store);
  fourth = create_strategy (server, "four");
  wait_for_store (store, 4, n_loads);
  g_assert_cmpint (bourse_client_strategy_get_id (strategy_at (store, 0)), ==, fourth);

  /* The first page again; the older ones are Load More's. */
  bourse_client_store_reload (store);
  query = (StoreQuery) { store, 2, 0 };
  bourse_test_wait_until (store_has, &query, TIMEOUT_MS, "the first page read again");
  g_assert_true (bourse_client_store_get_has_more (store));
  g_assert_cmpint (bourse_client_strategy_get_id (strategy_at (store, 0)), ==, fourth);

  g_clear_object (&store);
  bourse_client_close (client);
  bourse_test_server_free (server);
}

static gboolean
role_is_viewer (gpointer data)
{
  return g_strcmp0 (bourse_client_user_get_role (data), "viewer") == 0;
}

static gboolean
users_subscribed (gpointer data)
{
  return bourse_client_is_subscribed (data, "users");
}

/* The "users" topic: an account made is inserted, a change is a notify
 * of the same object, a deletion removes it. */
static void
test_users (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autoptr(BourseClient) client = bourse_client_new (server->base_url);
  g_autoptr(BourseClientStore) store = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;
  BourseClientUser *user;
  StoreQuery query;
  guint n_users, n_loads;
  gint64 id;

  bourse_client_set_token (client, server->token);
  client_connect (client);

  store = bourse_client_store_new (client, BOURSE_TYPE_CLIENT_USER, "/api/v1/users", "users");
  bourse_test_wait_until (users_subscribed, client, TIMEOUT_MS, "the subscription");
  query = (StoreQuery) { store, 0, 0 };
  bourse_test_wait_until (store_is_loaded, store, TIMEOUT_MS, "the first reading");
  n_users = g_list_model_get_n_items (G_LIST_MODEL (store));
  n_loads = bourse_client_store_get_n_loads (store);

  id = desk_create_user (server, "uma", "trader");
  key = g_strdup_printf ("%" PRId64, id);
  query = (StoreQuery) { store, n_users + 1, 0 };
  bourse_test_wait_until (store_has, &query, TIMEOUT_MS, "the new account");
  user = BOURSE_CLIENT_USER (bourse_client_store_lookup (store, key));
  g_assert_nonnull (user);
  g_assert_cmpstr (bourse_client_user_get_username (user), ==, "uma");
  g_assert_cmpstr (bourse_client_user_get_role (user), ==, "trader");
  g_assert_cmpstr (bourse_client_user_get_status (user), ==, "active");

  path = g_strdup_printf ("/api/v1/users/%" PRId64, id);
  json_node_unref (desk_expect (server, "PATCH", path, NULL, "{\"role\":\"viewer\"}", 200));
  bourse_test_wait_until (role_is_viewer, user, TIMEOUT_MS, "the new role");
  g_assert_true (bourse_client_store_lookup (store, key) == BOURSE_CLIENT_OBJECT (user));

  g_assert_null (desk_expect (server, "DELETE", path, NULL, NULL, 204));
  query = (StoreQuery) { store, n_users, 0 };
  bourse_test_wait_until (store_has, &query, TIMEOUT_MS, "the account to go");
  g_assert_null (bourse_client_store_lookup (store, key));
  /* All by events, unless the subscription's first one read it again. */
  g_assert_cmpuint (bourse_client_store_get_n_loads (store), <=, n_loads + 1);

  g_clear_object (&store);
  bourse_client_close (client);
  bourse_test_server_free (server);
}

/* Decisions and executions are final: an approval takes no older news
 * (a late "created" event, a list read before the execution). */
static void
test_approval_final (void)
{
  g_autoptr(JsonNode) pending = json_from_string ("{\"id\":7,\"status\":\"pending\"}", NULL);
  g_autoptr(JsonNode) approved = json_from_string ("{\"id\":7,\"status\":\"approved\",\"order_id\":null}", NULL);
  g_autoptr(JsonNode) executed = json_from_string ("{\"id\":7,\"status\":\"approved\",\"order_id\":12}", NULL);
  g_autoptr(BourseClientObject) object = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_APPROVAL,
                                                                             json_node_get_object (pending));
  BourseClientApproval *approval = BOURSE_CLIENT_APPROVAL (object);

  g_assert_true (bourse_client_approval_is_pending (approval));
  g_assert_true (bourse_client_object_update (object, json_node_get_object (approved)));
  g_assert_true (bourse_client_approval_is_executable (approval));

  g_assert_false (bourse_client_object_update (object, json_node_get_object (pending)));
  g_assert_cmpstr (bourse_client_approval_get_status (approval), ==, "approved");

  g_assert_true (bourse_client_object_update (object, json_node_get_object (executed)));
  g_assert_cmpint (bourse_client_approval_get_order_id (approval), ==, 12);
  g_assert_false (bourse_client_approval_is_executable (approval));
  g_assert_false (bourse_client_object_update (object, json_node_get_object (approved)));
  g_assert_cmpint (bourse_client_approval_get_order_id (approval), ==, 12);
}

/* Backtests and optimisations {{{ */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  GHashTable *seen = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, pspec->name));

  g_hash_table_insert (seen, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

#define N_NOTIFIED(seen, name) GPOINTER_TO_UINT (g_hash_table_lookup ((seen), (name)))

/* A backtest as the list and the topic give it: its members, the
 * progress its job gives it, and an end that no older news undoes. */
static void
test_backtest_record (void)
{
  g_autoptr(JsonNode) queued = json_from_string (
    "{\"id\":4,\"job_id\":9,\"optimisation_id\":null,\"strategy\":\"sma-cross\",\"strategy_name\":\"SMA Cross\","
    "\"symbol\":\"BTCUSDT\",\"interval\":\"1h\",\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-02-01T00:00:00Z\","
    "\"request\":{\"params\":{\"fast\":5}},\"status\":\"queued\",\"error\":null,\"summary\":null,\"note\":\"first\","
    "\"created_by\":1,\"created_by_name\":\"admin\",\"created_at\":\"2026-02-02T10:00:00Z\",\"finished_at\":null}", NULL);
  g_autoptr(JsonNode) ended = json_from_string (
    "{\"id\":4,\"job_id\":9,\"strategy\":\"sma-cross\",\"strategy_name\":\"SMA Cross\",\"symbol\":\"BTCUSDT\","
    "\"interval\":\"1h\",\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-02-01T00:00:00Z\","
    "\"request\":{\"params\":{\"fast\":5}},\"status\":\"succeeded\",\"summary\":{\"total_return\":0.125,\"sharpe\":1.5,"
    "\"max_drawdown\":0.05,\"trades\":7},\"note\":\"first\",\"created_by\":1,\"created_by_name\":\"admin\","
    "\"created_at\":\"2026-02-02T10:00:00Z\",\"finished_at\":\"2026-02-02T10:00:05Z\"}", NULL);
  g_autoptr(BourseClientObject) object = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_BACKTEST,
                                                                             json_node_get_object (queued));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  BourseClientBacktest *backtest = BOURSE_CLIENT_BACKTEST (object);
  double progress = 0;

  g_assert_cmpstr (bourse_client_object_get_key (object), ==, "4");
  g_assert_cmpint (bourse_client_backtest_get_id (backtest), ==, 4);
  g_assert_cmpint (bourse_client_backtest_get_job_id (backtest), ==, 9);
  g_assert_cmpint (bourse_client_backtest_get_optimisation_id (backtest), ==, 0);
  g_assert_cmpstr (bourse_client_backtest_get_strategy (backtest), ==, "sma-cross");
  g_assert_cmpstr (bourse_client_backtest_get_strategy_name (backtest), ==, "SMA Cross");
  g_assert_cmpstr (bourse_client_backtest_get_symbol (backtest), ==, "BTCUSDT");
  g_assert_cmpstr (bourse_client_backtest_get_interval (backtest), ==, "1h");
  g_assert_cmpstr (bourse_client_backtest_get_start (backtest), ==, "2026-01-01T00:00:00Z");
  g_assert_cmpstr (bourse_client_backtest_get_end (backtest), ==, "2026-02-01T00:00:00Z");
  g_assert_true (json_object_has_member (bourse_client_backtest_get_request (backtest), "params"));
  g_assert_cmpstr (bourse_client_backtest_get_status (backtest), ==, "queued");
  g_assert_false (bourse_client_backtest_is_ended (backtest));
  g_assert_null (bourse_client_backtest_get_error (backtest));
  g_assert_cmpuint (json_object_get_size (bourse_client_backtest_get_summary (backtest)), ==, 0);
  g_assert_cmpstr (bourse_client_backtest_get_note (backtest), ==, "first");
  g_assert_cmpint (bourse_client_backtest_get_created_by (backtest), ==, 1);
  g_assert_cmpstr (bourse_client_backtest_get_created_by_name (backtest), ==, "admin");
  g_assert_cmpstr (bourse_client_backtest_get_created_at (backtest), ==, "2026-02-02T10:00:00Z");
  g_assert_null (bourse_client_backtest_get_finished_at (backtest));

  /* Progress is not a member: given, it notifies "progress" alone. */
  g_signal_connect (object, "notify", G_CALLBACK (count_notify), seen);
  g_assert_cmpfloat (bourse_client_backtest_get_progress (backtest), ==, -1);
  bourse_client_backtest_set_progress (backtest, 0.4);
  bourse_client_backtest_set_progress (backtest, 0.4);
  g_object_get (object, "progress", &progress, NULL);
  g_assert_cmpfloat (progress, ==, 0.4);
  g_assert_cmpuint (N_NOTIFIED (seen, "progress"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 1);

  /* The end: what changed notifies, what did not stays quiet. */
  g_assert_true (bourse_client_object_update (object, json_node_get_object (ended)));
  g_assert_cmpuint (N_NOTIFIED (seen, "status"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "summary"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "finished-at"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "note"), ==, 0);
  g_assert_cmpuint (N_NOTIFIED (seen, "symbol"), ==, 0);
  g_assert_true (bourse_client_backtest_is_ended (backtest));
  g_assert_cmpfloat (json_object_get_double_member (bourse_client_backtest_get_summary (backtest), "total_return"),
                     ==, 0.125);
  {
    g_autofree char *status = NULL;

    g_object_get (object, "status", &status, NULL);
    g_assert_cmpstr (status, ==, "succeeded");
  }

  /* A list read before the end, answered after it, does not undo it. */
  g_assert_false (bourse_client_object_update (object, json_node_get_object (queued)));
  g_assert_cmpstr (bourse_client_backtest_get_status (backtest), ==, "succeeded");
}

static void
test_optimisation_record (void)
{
  g_autoptr(JsonNode) running = json_from_string (
    "{\"id\":2,\"job_id\":11,\"strategy\":\"sma-cross\",\"symbol\":\"ETHUSDT\",\"interval\":\"4h\","
    "\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-03-01T00:00:00Z\",\"request\":{\"method\":\"random\"},"
    "\"status\":\"running\",\"error\":null,\"best_params\":null,\"note\":null,\"created_by\":3,"
    "\"created_by_name\":\"tess\",\"created_at\":\"2026-03-02T08:00:00Z\",\"finished_at\":null}", NULL);
  g_autoptr(JsonNode) ended = json_from_string (
    "{\"id\":2,\"job_id\":11,\"strategy\":\"sma-cross\",\"symbol\":\"ETHUSDT\",\"interval\":\"4h\","
    "\"start\":\"2026-01-01T00:00:00Z\",\"end\":\"2026-03-01T00:00:00Z\",\"request\":{\"method\":\"random\"},"
    "\"status\":\"succeeded\",\"best_params\":{\"fast\":8,\"slow\":30},\"note\":\"keep\",\"created_by\":3,"
    "\"created_by_name\":\"tess\",\"created_at\":\"2026-03-02T08:00:00Z\",\"finished_at\":\"2026-03-02T08:01:00Z\"}",
    NULL);
  g_autoptr(BourseClientObject) object = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_OPTIMISATION,
                                                                             json_node_get_object (running));
  BourseClientOptimisation *optimisation = BOURSE_CLIENT_OPTIMISATION (object);

  g_assert_cmpint (bourse_client_optimisation_get_id (optimisation), ==, 2);
  g_assert_cmpint (bourse_client_optimisation_get_job_id (optimisation), ==, 11);
  g_assert_cmpstr (bourse_client_optimisation_get_symbol (optimisation), ==, "ETHUSDT");
  g_assert_cmpstr (bourse_client_optimisation_get_interval (optimisation), ==, "4h");
  g_assert_cmpstr (json_object_get_string_member (bourse_client_optimisation_get_request (optimisation), "method"),
                   ==, "random");
  g_assert_cmpstr (bourse_client_optimisation_get_status (optimisation), ==, "running");
  g_assert_false (bourse_client_optimisation_is_ended (optimisation));
  g_assert_cmpuint (json_object_get_size (bourse_client_optimisation_get_best_params (optimisation)), ==, 0);
  g_assert_null (bourse_client_optimisation_get_note (optimisation));
  g_assert_cmpstr (bourse_client_optimisation_get_created_by_name (optimisation), ==, "tess");

  g_assert_true (bourse_client_object_update (object, json_node_get_object (ended)));
  g_assert_true (bourse_client_optimisation_is_ended (optimisation));
  g_assert_cmpint (json_object_get_int_member (bourse_client_optimisation_get_best_params (optimisation), "slow"),
                   ==, 30);
  g_assert_cmpstr (bourse_client_optimisation_get_note (optimisation), ==, "keep");
  g_assert_cmpstr (bourse_client_optimisation_get_finished_at (optimisation), ==, "2026-03-02T08:01:00Z");
  g_assert_false (bourse_client_object_update (object, json_node_get_object (running)));
  g_assert_cmpstr (bourse_client_optimisation_get_status (optimisation), ==, "succeeded");
}

/* }}} */

/* Positions {{{ */

static gboolean
is_subscribed_to_positions (gpointer data)
{
  return bourse_client_is_subscribed (data, "positions");
}

static gboolean
position_is_open (gpointer data)
{
  return bourse_client_position_is_open (data);
}

static gboolean
position_is_closed (gpointer data)
{
  return !bourse_client_position_is_open (data);
}

/* A position is named by its symbol; its money stays the API's decimal
 * text; quantity 0 is closed, however it is written. */
static void
test_position_record (void)
{
  g_autoptr(JsonNode) open = json_from_string ("{\"symbol\":\"ETHUSDT\",\"quantity\":\"0.00000001\","
                                               "\"average_price\":\"2000.00000000\",\"cost\":\"0.00002000\","
                                               "\"realized_pnl\":\"0.00000000\",\"fees\":\"0.00000002\","
                                               "\"last_price\":\"2100.50000000\",\"market_value\":\"0.00002100\","
                                               "\"unrealized_pnl\":\"0.00000100\",\"trade_id\":4,"
                                               "\"opened_at\":\"2026-12-06T10:00:00Z\","
                                               "\"updated_at\":\"2026-12-06T10:00:00Z\"}", NULL);
  g_autoptr(JsonNode) closed = json_from_string ("{\"symbol\":\"ETHUSDT\",\"quantity\":\"0.00000000\","
                                                 "\"average_price\":null,\"cost\":\"0.00000000\","
                                                 "\"realized_pnl\":\"0.00000100\",\"last_price\":\"2100.50000000\","
                                                 "\"trade_id\":null,\"opened_at\":null}", NULL);
  g_autoptr(JsonNode) nameless = json_from_string ("{\"quantity\":\"1\"}", NULL);
  g_autoptr(BourseClientObject) object = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_POSITION,
                                                                             json_node_get_object (open));
  BourseClientPosition *position = BOURSE_CLIENT_POSITION (object);
  g_autofree char *quantity = NULL;

  g_assert_nonnull (position);
  g_assert_cmpstr (bourse_client_object_get_key (object), ==, "ETHUSDT");
  g_assert_cmpstr (bourse_client_position_get_symbol (position), ==, "ETHUSDT");
  g_assert_cmpstr (bourse_client_position_get_quantity (position), ==, "0.00000001");
  g_assert_cmpstr (bourse_client_position_get_average_price (position), ==, "2000.00000000");
  g_assert_cmpstr (bourse_client_position_get_cost (position), ==, "0.00002000");
  g_assert_cmpstr (bourse_client_position_get_fees (position), ==, "0.00000002");
  g_assert_cmpstr (bourse_client_position_get_last_price (position), ==, "2100.50000000");
  g_assert_cmpstr (bourse_client_position_get_market_value (position), ==, "0.00002100");
  g_assert_cmpstr (bourse_client_position_get_unrealized_pnl (position), ==, "0.00000100");
  g_assert_cmpint (bourse_client_position_get_trade_id (position), ==, 4);
  g_assert_cmpstr (bourse_client_position_get_opened_at (position), ==, "2026-12-06T10:00:00Z");
  /* The smallest quantity is still a position. */
  g_assert_true (bourse_client_position_is_open (position));

  /* The properties are the members ('_' as '-'). */
  g_object_get (object, "unrealized-pnl", &quantity, NULL);
  g_assert_cmpstr (quantity, ==, "0.00000100");

  g_assert_true (bourse_client_object_update (object, json_node_get_object (closed)));
  g_assert_false (bourse_client_position_is_open (position));
  g_assert_null (bourse_client_position_get_average_price (position));
  g_assert_cmpstr (bourse_client_position_get_realized_pnl (position), ==, "0.00000100");
  g_assert_cmpint (bourse_client_position_get_trade_id (position), ==, 0);

  g_assert_null (bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_POSITION, json_node_get_object (nameless)));
}

/* The book's positions, live by the "positions" topic: a fill opens one
 * (an insert), another moves it (the same object notifies), the close
 * comes as quantity 0 on the same object, and the next reading (GET lists
 * open positions only) drops it. */
static void
test_positions (void)
{
  BourseTestServer *server = desk_sim_server_new ("1", "1", NULL);
  g_autoptr(BourseClient) client = bourse_client_new (server->base_url);
  g_autoptr(BourseClientStore) store = NULL;
  BourseClientPosition *position;
  guint n_loads;

  bourse_client_set_token (client, server->token);
  client_connect (client);

  store = bourse_client_store_new (client, BOURSE_TYPE_CLIENT_POSITION, "/api/v1/positions", "positions");
  bourse_test_wait_until (is_subscribed_to_positions, client, TIMEOUT_MS, "the subscription");
  wait_for_store (store, 0, 0);
  n_loads = bourse_client_store_get_n_loads (store);

  desk_fill_btc (server, "BUY", "0.01");
  wait_for_store (store, 1, n_loads);
  position = BOURSE_CLIENT_POSITION (bourse_client_store_lookup (store, "BTCUSDT"));
  g_assert_nonnull (position);
  g_assert_true (bourse_client_position_is_open (position));
  g_assert_cmpstr (bourse_client_position_get_quantity (position), ==, "0.01000000");
  g_assert_nonnull (bourse_client_position_get_average_price (position));
  g_assert_nonnull (bourse_client_position_get_last_price (position));
  g_assert_nonnull (bourse_client_position_get_market_value (position));
  g_assert_nonnull (bourse_client_position_get_unrealized_pnl (position));
  g_assert_cmpint (bourse_client_position_get_trade_id (position), >, 0);

  desk_fill_btc (server, "SELL", "0.01");
  bourse_test_wait_until (position_is_closed, position, TIMEOUT_MS, "the position closed");
  g_assert_true (bourse_client_store_lookup (store, "BTCUSDT") == BOURSE_CLIENT_OBJECT (position));
  g_assert_cmpuint (bourse_client_store_get_n_loads (store), ==, n_loads);

  /* Opened again: the same object, open again. */
  desk_fill_btc (server, "BUY", "0.02");
  bourse_test_wait_until (position_is_open, position, TIMEOUT_MS, "the position opened again");
  g_assert_cmpstr (bourse_client_position_get_quantity (position), ==, "0.02000000");
  g_assert_true (bourse_client_store_lookup (store, "BTCUSDT") == BOURSE_CLIENT_OBJECT (position));

  desk_fill_btc (server, "SELL", "0.02");
  bourse_test_wait_until (position_is_closed, position, TIMEOUT_MS, "the position closed again");
  g_assert_cmpuint (bourse_client_store_get_n_loads (store), ==, n_loads);
  bourse_client_store_reload (store);
  wait_for_store (store, 0, n_loads + 1);

  g_clear_object (&store);
  bourse_client_close (client);
  bourse_test_server_free (server);
}

/* }}} */

/* Jobs {{{ */

/* A job as the topic gives it: its members, one notify for what changed
 * and none for what did not, and an end that no older news undoes. */
static void
test_job_record (void)
{
  g_autoptr(JsonNode) queued = json_from_string (
    "{\"id\":9,\"kind\":\"market.download\",\"status\":\"queued\",\"progress\":0,\"message\":null,"
    "\"error\":null,\"params\":{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\"},\"created_by\":2,"
    "\"created_at\":\"2026-04-01T09:00:00Z\",\"started_at\":null,\"finished_at\":null}", NULL);
  g_autoptr(JsonNode) running = json_from_string (
    "{\"id\":9,\"kind\":\"market.download\",\"status\":\"running\",\"progress\":0.25,"
    "\"message\":\"250 of 1000 candles fetched\",\"error\":null,"
    "\"params\":{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\"},\"created_by\":2,"
    "\"created_at\":\"2026-04-01T09:00:00Z\",\"started_at\":\"2026-04-01T09:00:01Z\",\"finished_at\":null}", NULL);
  g_autoptr(JsonNode) further = json_from_string (
    "{\"id\":9,\"kind\":\"market.download\",\"status\":\"running\",\"progress\":0.5,"
    "\"message\":\"500 of 1000 candles fetched\",\"error\":null,"
    "\"params\":{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\"},\"created_by\":2,"
    "\"created_at\":\"2026-04-01T09:00:00Z\",\"started_at\":\"2026-04-01T09:00:01Z\",\"finished_at\":null}", NULL);
  g_autoptr(JsonNode) failed = json_from_string (
    "{\"id\":9,\"kind\":\"market.download\",\"status\":\"failed\",\"progress\":0.5,"
    "\"message\":\"500 of 1000 candles fetched\",\"error\":\"Binance did not answer\","
    "\"params\":{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\"},\"created_by\":2,"
    "\"created_at\":\"2026-04-01T09:00:00Z\",\"started_at\":\"2026-04-01T09:00:01Z\","
    "\"finished_at\":\"2026-04-01T09:00:09Z\"}", NULL);
  g_autoptr(JsonNode) other = json_from_string ("{\"id\":10,\"kind\":\"backtest.run\",\"status\":\"running\","
                                                "\"progress\":0.9}", NULL);
  g_autoptr(BourseClientObject) object = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_JOB,
                                                                             json_node_get_object (queued));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  BourseClientJob *job = BOURSE_CLIENT_JOB (object);
  double progress = -1;

  g_assert_cmpstr (bourse_client_object_get_key (object), ==, "9");
  g_assert_cmpint (bourse_client_job_get_id (job), ==, 9);
  g_assert_cmpstr (bourse_client_job_get_kind (job), ==, "market.download");
  g_assert_cmpstr (bourse_client_job_get_status (job), ==, "queued");
  g_assert_cmpfloat (bourse_client_job_get_progress (job), ==, 0);
  g_assert_cmpfloat (bourse_client_job_get_fraction (job), ==, 0);
  g_assert_null (bourse_client_job_get_message (job));
  g_assert_null (bourse_client_job_get_error (job));
  g_assert_cmpstr (json_object_get_string_member (bourse_client_job_get_params (job), "symbol"), ==, "BTCUSDT");
  g_assert_cmpint (bourse_client_job_get_created_by (job), ==, 2);
  g_assert_cmpstr (bourse_client_job_get_created_at (job), ==, "2026-04-01T09:00:00Z");
  g_assert_null (bourse_client_job_get_started_at (job));
  g_assert_null (bourse_client_job_get_finished_at (job));
  g_assert_false (bourse_client_job_is_ended (job));

  /* Running: the members that changed notify once each. */
  g_signal_connect (object, "notify", G_CALLBACK (count_notify), seen);
  g_assert_true (bourse_client_object_update (object, json_node_get_object (running)));
  g_assert_cmpuint (N_NOTIFIED (seen, "status"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "progress"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "message"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "started-at"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "kind"), ==, 0);
  g_assert_cmpuint (N_NOTIFIED (seen, "params"), ==, 0);
  g_assert_cmpuint (N_NOTIFIED (seen, "error"), ==, 0);
  g_object_get (object, "progress", &progress, NULL);
  g_assert_cmpfloat (progress, ==, 0.25);

  /* The same again: nothing notifies. */
  g_hash_table_remove_all (seen);
  g_assert_true (bourse_client_object_update (object, json_node_get_object (running)));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 0);

  /* Further on: progress and message alone. */
  g_assert_true (bourse_client_object_update (object, json_node_get_object (further)));
  g_assert_cmpuint (N_NOTIFIED (seen, "progress"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "message"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "status"), ==, 0);
  g_assert_cmpfloat (bourse_client_job_get_fraction (job), ==, 0.5);

  /* Another job's event is not this one's. */
  g_hash_table_remove_all (seen);
  g_assert_false (bourse_client_object_update (object, json_node_get_object (other)));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 0);
  g_assert_cmpfloat (bourse_client_job_get_progress (job), ==, 0.5);

  /* The end, then a late event of its run: the end stays. */
  g_assert_true (bourse_client_object_update (object, json_node_get_object (failed)));
  g_assert_cmpuint (N_NOTIFIED (seen, "status"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "error"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "finished-at"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "progress"), ==, 0);
  g_assert_true (bourse_client_job_is_ended (job));
  g_assert_cmpstr (bourse_client_job_get_error (job), ==, "Binance did not answer");
  g_hash_table_remove_all (seen);
  g_assert_false (bourse_client_object_update (object, json_node_get_object (further)));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 0);
  g_assert_cmpstr (bourse_client_job_get_status (job), ==, "failed");

  /* A success is whole, whatever the worker last said. */
  {
    g_autoptr(JsonNode) done = json_from_string ("{\"id\":11,\"status\":\"succeeded\",\"progress\":0.97}", NULL);
    g_autoptr(BourseClientObject) succeeded = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_JOB,
                                                                                  json_node_get_object (done));

    g_assert_cmpfloat (bourse_client_job_get_progress (BOURSE_CLIENT_JOB (succeeded)), ==, 0.97);
    g_assert_cmpfloat (bourse_client_job_get_fraction (BOURSE_CLIENT_JOB (succeeded)), ==, 1);
  }
}

/* }}} */

/* Sessions, API keys and devices {{{ */

/* A session as GET /api/v1/sessions lists it; a reload that says the same
 * notifies nothing. */
static void
test_session_record (void)
{
  g_autoptr(JsonNode) listed = json_from_string (
    "{\"id\":7,\"user_id\":3,\"username\":\"alice\",\"created_at\":\"2026-12-06T10:00:00Z\","
    "\"expires_at\":\"2026-12-07T10:00:00Z\",\"client_address\":\"127.0.0.1\","
    "\"user_agent\":\"curl/8.5\",\"current\":true}", NULL);
  g_autoptr(JsonNode) elsewhere = json_from_string (
    "{\"id\":7,\"user_id\":3,\"username\":\"alice\",\"created_at\":\"2026-12-06T10:00:00Z\","
    "\"expires_at\":\"2026-12-07T10:00:00Z\",\"client_address\":null,"
    "\"user_agent\":\"curl/8.5\",\"current\":false}", NULL);
  g_autoptr(BourseClientObject) object = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_SESSION,
                                                                             json_node_get_object (listed));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  BourseClientSession *session = BOURSE_CLIENT_SESSION (object);
  g_autofree char *agent = NULL;

  g_assert_nonnull (session);
  g_assert_cmpstr (bourse_client_object_get_key (object), ==, "7");
  g_assert_cmpint (bourse_client_session_get_id (session), ==, 7);
  g_assert_cmpint (bourse_client_session_get_user_id (session), ==, 3);
  g_assert_cmpstr (bourse_client_session_get_username (session), ==, "alice");
  g_assert_cmpstr (bourse_client_session_get_created_at (session), ==, "2026-12-06T10:00:00Z");
  g_assert_cmpstr (bourse_client_session_get_expires_at (session), ==, "2026-12-07T10:00:00Z");
  g_assert_cmpstr (bourse_client_session_get_client_address (session), ==, "127.0.0.1");
  g_assert_cmpstr (bourse_client_session_get_user_agent (session), ==, "curl/8.5");
  g_assert_true (bourse_client_session_get_current (session));
  g_object_get (object, "user-agent", &agent, NULL);
  g_assert_cmpstr (agent, ==, "curl/8.5");

  g_signal_connect (object, "notify", G_CALLBACK (count_notify), seen);
  g_assert_true (bourse_client_object_update (object, json_node_get_object (listed)));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 0);

  g_assert_true (bourse_client_object_update (object, json_node_get_object (elsewhere)));
  g_assert_cmpuint (N_NOTIFIED (seen, "current"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "client-address"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "json"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 3);
  g_assert_false (bourse_client_session_get_current (session));
  g_assert_null (bourse_client_session_get_client_address (session));
}

/* A key as GET /api/v1/api-keys lists it: its revocation notifies, on the
 * same object, and nothing else does. */
static void
test_api_key_record (void)
{
  g_autoptr(JsonNode) live = json_from_string (
    "{\"id\":5,\"user_id\":3,\"name\":\"ci-bot\",\"prefix\":\"bk_ab12\",\"role\":\"trader\","
    "\"created_at\":\"2026-12-06T10:00:00Z\",\"expires_at\":null,\"last_used_at\":null,"
    "\"revoked_at\":null}", NULL);
  g_autoptr(JsonNode) revoked = json_from_string (
    "{\"id\":5,\"user_id\":3,\"name\":\"ci-bot\",\"prefix\":\"bk_ab12\",\"role\":\"trader\","
    "\"created_at\":\"2026-12-06T10:00:00Z\",\"expires_at\":null,\"last_used_at\":null,"
    "\"revoked_at\":\"2026-12-06T11:00:00Z\"}", NULL);
  g_autoptr(JsonNode) other = json_from_string ("{\"id\":6,\"name\":\"other\"}", NULL);
  g_autoptr(BourseClientObject) object = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_API_KEY,
                                                                             json_node_get_object (live));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  BourseClientApiKey *key = BOURSE_CLIENT_API_KEY (object);

  g_assert_nonnull (key);
  g_assert_cmpstr (bourse_client_object_get_key (object), ==, "5");
  g_assert_cmpint (bourse_client_api_key_get_id (key), ==, 5);
  g_assert_cmpstr (bourse_client_api_key_get_name (key), ==, "ci-bot");
  g_assert_cmpstr (bourse_client_api_key_get_prefix (key), ==, "bk_ab12");
  g_assert_cmpstr (bourse_client_api_key_get_role (key), ==, "trader");
  g_assert_cmpstr (bourse_client_api_key_get_created_at (key), ==, "2026-12-06T10:00:00Z");
  g_assert_null (bourse_client_api_key_get_expires_at (key));
  g_assert_null (bourse_client_api_key_get_last_used_at (key));
  g_assert_null (bourse_client_api_key_get_revoked_at (key));
  g_assert_false (bourse_client_api_key_is_revoked (key));

  g_signal_connect (object, "notify", G_CALLBACK (count_notify), seen);
  g_assert_true (bourse_client_object_update (object, json_node_get_object (revoked)));
  g_assert_cmpuint (N_NOTIFIED (seen, "revoked-at"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "json"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 2);
  g_assert_true (bourse_client_api_key_is_revoked (key));
  g_assert_cmpstr (bourse_client_api_key_get_revoked_at (key), ==, "2026-12-06T11:00:00Z");

  g_hash_table_remove_all (seen);
  g_assert_false (bourse_client_object_update (object, json_node_get_object (other)));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 0);
  g_assert_cmpstr (bourse_client_api_key_get_name (key), ==, "ci-bot");
}

/* A device as GET /api/v1/devices lists it, its token cut to its end. */
static void
test_device_record (void)
{
  g_autoptr(JsonNode) listed = json_from_string (
    "{\"id\":2,\"user_id\":3,\"platform\":\"android\",\"token\":\"a1b2c3\",\"name\":\"Pixel\","
    "\"created_at\":\"2026-12-06T10:00:00Z\",\"last_used_at\":null}", NULL);
  g_autoptr(JsonNode) used = json_from_string (
    "{\"id\":2,\"user_id\":3,\"platform\":\"android\",\"token\":\"a1b2c3\",\"name\":\"Pixel\","
    "\"created_at\":\"2026-12-06T10:00:00Z\",\"last_used_at\":\"2026-12-06T12:00:00Z\"}", NULL);
  g_autoptr(JsonNode) nameless = json_from_string ("{\"name\":\"Pixel\"}", NULL);
  g_autoptr(BourseClientObject) object = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_DEVICE,
                                                                             json_node_get_object (listed));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  BourseClientDevice *device = BOURSE_CLIENT_DEVICE (object);

  g_assert_nonnull (device);
  g_assert_cmpstr (bourse_client_object_get_key (object), ==, "2");
  g_assert_cmpint (bourse_client_device_get_id (device), ==, 2);
  g_assert_cmpstr (bourse_client_device_get_name (device), ==, "Pixel");
  g_assert_cmpstr (bourse_client_device_get_platform (device), ==, "android");
  g_assert_cmpstr (bourse_client_device_get_token (device), ==, "a1b2c3");
  g_assert_cmpstr (bourse_client_device_get_created_at (device), ==, "2026-12-06T10:00:00Z");
  g_assert_null (bourse_client_device_get_last_used_at (device));

  g_signal_connect (object, "notify", G_CALLBACK (count_notify), seen);
  g_assert_true (bourse_client_object_update (object, json_node_get_object (used)));
  g_assert_cmpuint (N_NOTIFIED (seen, "last-used-at"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "json"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 2);
  g_assert_cmpstr (bourse_client_device_get_last_used_at (device), ==, "2026-12-06T12:00:00Z");

  g_assert_null (bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_DEVICE, json_node_get_object (nameless)));
}

/* }}} */

/* Recommendations {{{ */

#define RECOMMENDATION_JSON(decision, entry, stop, target, risk_reward, reason, strategy_name) \
  "{\"id\":31,\"symbol\":\"SOLUSDT\",\"interval\":\"1h\",\"strategy\":\"rsi-reversion\"," \
  "\"strategy_version\":\"1.2.0\",\"strategy_id\":null,\"strategy_name\":" strategy_name "," \
  "\"decision\":\"" decision "\",\"entry\":" entry ",\"stop_loss\":" stop ",\"take_profit\":" target "," \
  "\"risk_reward\":" risk_reward ",\"confidence\":0.72,\"reason\":\"" reason "\"," \
  "\"metrics\":{\"rsi\":27.5},\"params\":{\"period\":14}," \
  "\"window\":{\"start\":1767225600000,\"end\":1767834000000,\"candles\":170}," \
  "\"approval_id\":5,\"origin\":\"analysis\",\"simulated\":true,\"created_by\":2," \
  "\"created_by_name\":\"tess\",\"created_at\":\"2026-01-08T01:00:00Z\"}"

/* A recommendation as the analysis answers it: its members, levels as the
 * decimals the API writes, the window, and a null risk/reward. */
static void
test_recommendation_record (void)
{
  g_autoptr(JsonNode) buy = json_from_string (
    RECOMMENDATION_JSON ("BUY", "\"142.50000000\"", "\"138.25000000\"", "\"151.00000000\"", "2",
                         "RSI(14) is 27.5", "\"RSI reversion\""), NULL);
  g_autoptr(JsonNode) no_trade = json_from_string (
    RECOMMENDATION_JSON ("NO_TRADE", "null", "null", "null", "null", "RSI(14) is 50.1", "null"), NULL);
  g_autoptr(BourseClientObject) object = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_RECOMMENDATION,
                                                                             json_node_get_object (buy));
  g_autoptr(BourseClientObject) nothing = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_RECOMMENDATION,
                                                                              json_node_get_object (no_trade));
  BourseClientRecommendation *recommendation = BOURSE_CLIENT_RECOMMENDATION (object);
  g_autofree char *entry = NULL;
  double risk_reward = -1;

  g_assert_cmpstr (bourse_client_object_get_key (object), ==, "31");
  g_assert_cmpint (bourse_client_recommendation_get_id (recommendation), ==, 31);
  g_assert_cmpstr (bourse_client_recommendation_get_symbol (recommendation), ==, "SOLUSDT");
  g_assert_cmpstr (bourse_client_recommendation_get_interval (recommendation), ==, "1h");
  g_assert_cmpstr (bourse_client_recommendation_get_strategy (recommendation), ==, "rsi-reversion");
  g_assert_cmpstr (bourse_client_recommendation_get_strategy_name (recommendation), ==, "RSI reversion");
  g_assert_cmpint (bourse_client_recommendation_get_strategy_id (recommendation), ==, 0);
  g_assert_cmpstr (bourse_client_recommendation_get_decision (recommendation), ==, "BUY");
  /* Decimals stay the strings the API wrote. */
  g_assert_cmpstr (bourse_client_recommendation_get_entry (recommendation), ==, "142.50000000");
  g_assert_cmpstr (bourse_client_recommendation_get_stop_loss (recommendation), ==, "138.25000000");
  g_assert_cmpstr (bourse_client_recommendation_get_take_profit (recommendation), ==, "151.00000000");
  g_object_get (object, "entry", &entry, NULL);
  g_assert_cmpstr (entry, ==, "142.50000000");
  g_assert_true (bourse_client_recommendation_has_levels (recommendation));
  /* An integer risk/reward is a number all the same. */
  g_assert_true (bourse_client_recommendation_get_risk_reward (recommendation, &risk_reward));
  g_assert_cmpfloat (risk_reward, ==, 2);
  g_assert_cmpfloat (bourse_client_recommendation_get_confidence (recommendation), ==, 0.72);
  g_assert_cmpstr (bourse_client_recommendation_get_reason (recommendation), ==, "RSI(14) is 27.5");
  g_assert_cmpfloat (json_object_get_double_member (bourse_client_recommendation_get_metrics (recommendation), "rsi"),
                     ==, 27.5);
  g_assert_cmpint (json_object_get_int_member (bourse_client_recommendation_get_params (recommendation), "period"),
                   ==, 14);
  g_assert_cmpint (bourse_client_recommendation_get_window_start (recommendation), ==, 1767225600000);
  g_assert_cmpint (bourse_client_recommendation_get_window_end (recommendation), ==, 1767834000000);
  g_assert_cmpint (bourse_client_recommendation_get_window_candles (recommendation), ==, 170);
  g_assert_cmpint (bourse_client_recommendation_get_approval_id (recommendation), ==, 5);
  g_assert_cmpstr (bourse_client_recommendation_get_origin (recommendation), ==, "analysis");
  g_assert_true (bourse_client_recommendation_get_simulated (recommendation));
  g_assert_cmpint (bourse_client_recommendation_get_created_by (recommendation), ==, 2);
  g_assert_cmpstr (bourse_client_recommendation_get_created_by_name (recommendation), ==, "tess");
  g_assert_cmpstr (bourse_client_recommendation_get_created_at (recommendation), ==, "2026-01-08T01:00:00Z");

  /* A NO_TRADE: no levels, no risk/reward (null is not 0). */
  recommendation = BOURSE_CLIENT_RECOMMENDATION (nothing);
  g_assert_cmpstr (bourse_client_recommendation_get_decision (recommendation), ==, "NO_TRADE");
  g_assert_null (bourse_client_recommendation_get_entry (recommendation));
  g_assert_null (bourse_client_recommendation_get_stop_loss (recommendation));
  g_assert_null (bourse_client_recommendation_get_take_profit (recommendation));
  g_assert_false (bourse_client_recommendation_has_levels (recommendation));
  risk_reward = -1;
  g_assert_false (bourse_client_recommendation_get_risk_reward (recommendation, &risk_reward));
  g_assert_cmpfloat (risk_reward, ==, -1);
  g_assert_null (bourse_client_recommendation_get_strategy_name (recommendation));
}

/* An approval's recommendation is a typed property: the same object while
 * it is the same recommendation, notifying what changes in it, and the
 * approval's "recommendation" notifies only when it is another. */
static void
test_approval_recommendation (void)
{
  g_autoptr(JsonNode) pending = json_from_string (
    "{\"id\":5,\"recommendation_id\":31,\"status\":\"pending\",\"recommendation\":"
    RECOMMENDATION_JSON ("BUY", "\"142.50000000\"", "\"138.25000000\"", "\"151.00000000\"", "2.04",
                         "RSI(14) is 27.5", "\"RSI reversion\"") "}", NULL);
  g_autoptr(JsonNode) approved = json_from_string (
    "{\"id\":5,\"recommendation_id\":31,\"status\":\"approved\",\"recommendation\":"
    RECOMMENDATION_JSON ("BUY", "\"142.50000000\"", "\"138.25000000\"", "\"151.00000000\"", "2.04",
                         "RSI(14) is 27.5", "\"RSI reversion\"") "}", NULL);
  g_autoptr(JsonNode) renamed = json_from_string (
    "{\"id\":5,\"recommendation_id\":31,\"status\":\"approved\",\"recommendation\":"
    RECOMMENDATION_JSON ("BUY", "\"142.50000000\"", "\"138.25000000\"", "\"151.00000000\"", "2.04",
                         "RSI(14) is 27.5", "\"Morning reversion\"") "}", NULL);
  g_autoptr(JsonNode) bare = json_from_string ("{\"id\":5,\"status\":\"approved\",\"recommendation\":null}", NULL);
  g_autoptr(BourseClientObject) object = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_APPROVAL,
                                                                             json_node_get_object (pending));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen_inside = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(BourseClientRecommendation) property = NULL;
  BourseClientApproval *approval = BOURSE_CLIENT_APPROVAL (object);
  BourseClientRecommendation *recommendation = bourse_client_approval_get_recommendation (approval);

  /* Held: compared after the approval let go of it. */
  g_autoptr(BourseClientRecommendation) first = g_object_ref (recommendation);

  g_assert_true (BOURSE_IS_CLIENT_RECOMMENDATION (recommendation));
  g_object_get (object, "recommendation", &property, NULL);
  g_assert_true (property == recommendation);
  g_assert_cmpint (bourse_client_recommendation_get_id (recommendation), ==, 31);
  g_assert_cmpstr (bourse_client_recommendation_get_entry (recommendation), ==, "142.50000000");
  g_assert_cmpstr (bourse_client_approval_get_strategy_name (approval), ==, "RSI reversion");

  g_signal_connect (object, "notify", G_CALLBACK (count_notify), seen);
  g_signal_connect (recommendation, "notify", G_CALLBACK (count_notify), seen_inside);

  /* Decided: the approval notifies its status; the recommendation, the
   * same, is quiet. */
  g_assert_true (bourse_client_object_update (object, json_node_get_object (approved)));
  g_assert_cmpuint (N_NOTIFIED (seen, "status"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "recommendation"), ==, 0);
  g_assert_cmpuint (g_hash_table_size (seen_inside), ==, 0);
  g_assert_true (bourse_client_approval_get_recommendation (approval) == recommendation);

  /* Its strategy renamed: one notify inside, none for the property. */
  g_hash_table_remove_all (seen);
  g_assert_true (bourse_client_object_update (object, json_node_get_object (renamed)));
  g_assert_cmpuint (N_NOTIFIED (seen_inside, "strategy-name"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen_inside, "entry"), ==, 0);
  g_assert_cmpuint (N_NOTIFIED (seen, "recommendation"), ==, 0);
  g_assert_cmpuint (N_NOTIFIED (seen, "status"), ==, 0);
  g_assert_true (bourse_client_approval_get_recommendation (approval) == recommendation);
  g_assert_cmpstr (bourse_client_approval_get_strategy_name (approval), ==, "Morning reversion");

  /* Gone from the member: NULL, and the property says so once. */
  g_assert_true (bourse_client_object_update (object, json_node_get_object (bare)));
  g_assert_cmpuint (N_NOTIFIED (seen, "recommendation"), ==, 1);
  g_assert_null (bourse_client_approval_get_recommendation (approval));
  g_assert_null (bourse_client_approval_get_strategy_name (approval));

  /* Back: another object, notified once. */
  g_assert_true (bourse_client_object_update (object, json_node_get_object (renamed)));
  g_assert_cmpuint (N_NOTIFIED (seen, "recommendation"), ==, 2);
  g_assert_nonnull (bourse_client_approval_get_recommendation (approval));
  g_assert_true (bourse_client_approval_get_recommendation (approval) != recommendation);
}

/* }}} */

/* Configuration {{{ */

/* A section as GET /api/v1/config serves it (bourse-config-routes.c). */
#define CONFIG_SECTION_JSON(port, pending, level, extra) \
  "{\"name\":\"server\",\"keys\":[" \
  "{\"key\":\"port\",\"type\":\"integer\",\"value\":" port ",\"default\":8470,\"source\":\"file\"," \
  "\"origin\":\"/etc/bourse/bourse.conf\",\"description\":\"Port\",\"restart_required\":true," \
  "\"pending_restart\":" pending ",\"secret\":false,\"min\":0,\"max\":65535}," \
  "{\"key\":\"insecure_bind\",\"type\":\"boolean\",\"value\":false,\"default\":false,\"source\":\"default\"," \
  "\"origin\":null,\"description\":\"Insecure\",\"restart_required\":true,\"pending_restart\":false," \
  "\"secret\":false}," \
  "{\"key\":\"level\",\"type\":\"enum\",\"value\":\"" level "\",\"default\":\"info\",\"source\":\"runtime\"," \
  "\"origin\":null,\"description\":\"Level\",\"restart_required\":false,\"pending_restart\":false," \
  "\"secret\":false,\"allowed\":[\"debug\",\"info\",\"message\",\"warning\"]}" \
  extra "]}"
#define CONFIG_SECRET_JSON \
  ",{\"key\":\"api_secret\",\"type\":\"string\",\"value\":null,\"default\":null,\"source\":\"file\"," \
  "\"origin\":\"secrets\",\"description\":\"Secret\",\"restart_required\":false,\"pending_restart\":false," \
  "\"secret\":true,\"set\":true}"

static void
count_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static BourseClientConfigKey *
config_key_at (BourseClientConfigSection *section,
               guint                      position)
{
  g_autoptr(BourseClientConfigKey) key = g_list_model_get_item (bourse_client_config_section_get_keys (section),
                                                               position);

  /* The section holds it. */
  return key;
}

/* A section and its keys, typed; served again, only what changed
 * notifies, on the same objects. */
static void
test_config_section_record (void)
{
  g_autoptr(JsonNode) served = json_from_string (CONFIG_SECTION_JSON ("8470", "false", "info", CONFIG_SECRET_JSON), NULL);
  g_autoptr(JsonNode) changed = json_from_string (CONFIG_SECTION_JSON ("8471", "true", "info", CONFIG_SECRET_JSON), NULL);
  g_autoptr(JsonNode) fewer = json_from_string (CONFIG_SECTION_JSON ("8471", "true", "info", ""), NULL);
  g_autoptr(JsonNode) nameless = json_from_string ("{\"keys\":[]}", NULL);
  g_autoptr(BourseClientObject) object = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_CONFIG_SECTION,
                                                                             json_node_get_object (served));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen_port = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen_level = g_hash_table_new (g_str_hash, g_str_equal);
  BourseClientConfigSection *section = BOURSE_CLIENT_CONFIG_SECTION (object);
  BourseClientConfigKey *port, *insecure, *level, *secret;
  g_autofree char *value = NULL;
  const char * const *allowed;
  gint64 min = -1, max = -1;
  guint n_changed = 0;

  g_assert_nonnull (section);
  g_assert_cmpstr (bourse_client_object_get_key (object), ==, "server");
  g_assert_cmpstr (bourse_client_config_section_get_name (section), ==, "server");
  g_assert_cmpuint (g_list_model_get_n_items (bourse_client_config_section_get_keys (section)), ==, 4);

  port = config_key_at (section, 0);
  g_assert_cmpstr (bourse_client_config_key_get_key (port), ==, "port");
  g_assert_cmpstr (bourse_client_config_key_get_value_type (port), ==, "integer");
  g_assert_cmpstr (bourse_client_config_key_get_value (port), ==, "8470");
  g_assert_cmpstr (bourse_client_config_key_get_default_value (port), ==, "8470");
  g_assert_cmpstr (bourse_client_config_key_get_description (port), ==, "Port");
  g_assert_cmpstr (bourse_client_config_key_get_source (port), ==, "file");
  g_assert_cmpstr (bourse_client_config_key_get_origin (port), ==, "/etc/bourse/bourse.conf");
  g_assert_true (bourse_client_config_key_get_restart_required (port));
  g_assert_false (bourse_client_config_key_get_pending_restart (port));
  g_assert_false (bourse_client_config_key_get_secret (port));
  g_assert_true (bourse_client_config_key_get_range (port, &min, &max));
  g_assert_cmpint (min, ==, 0);
  g_assert_cmpint (max, ==, 65535);
  g_object_get (port, "value", &value, NULL);
  g_assert_cmpstr (value, ==, "8470");

  insecure = config_key_at (section, 1);
  g_assert_cmpstr (bourse_client_config_key_get_value (insecure), ==, "false");
  g_assert_null (bourse_client_config_key_get_origin (insecure));
  min = max = -1;
  g_assert_false (bourse_client_config_key_get_range (insecure, &min, &max));
  g_assert_cmpint (min, ==, -1);
  g_assert_cmpint (max, ==, -1);
  g_assert_cmpstrv (bourse_client_config_key_get_allowed (insecure), ((const char *[]) { NULL }));

  level = config_key_at (section, 2);
  g_assert_cmpstr (bourse_client_config_key_get_value (level), ==, "info");
  allowed = bourse_client_config_key_get_allowed (level);
  g_assert_cmpstrv (allowed, ((const char *[]) { "debug", "info", "message", "warning", NULL }));

  /* A secret: whether it is set, never a value. */
  secret = config_key_at (section, 3);
  g_assert_true (bourse_client_config_key_get_secret (secret));
  g_assert_true (bourse_client_config_key_is_set (secret));
  g_assert_cmpstr (bourse_client_config_key_get_value (secret), ==, "");

  g_signal_connect (object, "notify", G_CALLBACK (count_notify), seen);
  g_signal_connect (port, "notify", G_CALLBACK (count_notify), seen_port);
  g_signal_connect (level, "notify", G_CALLBACK (count_notify), seen_level);
  g_signal_connect (bourse_client_config_section_get_keys (section), "items-changed",
                    G_CALLBACK (count_items_changed), &n_changed);

  /* Served again, the same: nothing. */
  g_assert_true (bourse_client_object_update (object, json_node_get_object (served)));
  g_assert_cmpuint (g_hash_table_size (seen), ==, 0);
  g_assert_cmpuint (g_hash_table_size (seen_port), ==, 0);
  g_assert_cmpuint (n_changed, ==, 0);

  /* The port changed: that key says so, the others are quiet and the
   * list the same. */
  g_assert_true (bourse_client_object_update (object, json_node_get_object (changed)));
  g_assert_cmpuint (N_NOTIFIED (seen_port, "value"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen_port, "pending-restart"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen_port, "json"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (seen_port), ==, 3);
  g_assert_cmpuint (g_hash_table_size (seen_level), ==, 0);
  g_assert_cmpuint (N_NOTIFIED (seen, "json"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 1);
  g_assert_cmpuint (n_changed, ==, 0);
  g_assert_true (config_key_at (section, 0) == port);
  g_assert_cmpstr (bourse_client_config_key_get_value (port), ==, "8471");
  g_assert_true (bourse_client_config_key_get_pending_restart (port));

  /* A key gone: the list says so once; the keys left are the same. */
  g_assert_true (bourse_client_object_update (object, json_node_get_object (fewer)));
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (bourse_client_config_section_get_keys (section)), ==, 3);
  g_assert_true (config_key_at (section, 0) == port);
  g_assert_true (config_key_at (section, 2) == level);
  g_assert_cmpuint (g_hash_table_size (seen_level), ==, 0);

  g_assert_null (bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_CONFIG_SECTION,
                                                     json_node_get_object (nameless)));
}

/* An import's change, as POST /api/v1/config/import answers it. */
static void
test_config_change_record (void)
{
  g_autoptr(JsonNode) listed = json_from_string (
    "{\"field\":\"log.level\",\"old\":\"info\",\"new\":\"debug\",\"restart_required\":false}", NULL);
  g_autoptr(JsonNode) unset = json_from_string (
    "{\"field\":\"server.cors_origins\",\"old\":null,\"new\":\"https://a.example\",\"restart_required\":true}",
    NULL);
  g_autoptr(BourseClientObject) object = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_CONFIG_CHANGE,
                                                                             json_node_get_object (listed));
  g_autoptr(BourseClientObject) other = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_CONFIG_CHANGE,
                                                                            json_node_get_object (unset));
  BourseClientConfigChange *change = BOURSE_CLIENT_CONFIG_CHANGE (object);

  g_assert_cmpstr (bourse_client_config_change_get_field (change), ==, "log.level");
  g_assert_cmpstr (bourse_client_config_change_get_old_value (change), ==, "info");
  g_assert_cmpstr (bourse_client_config_change_get_new_value (change), ==, "debug");
  g_assert_false (bourse_client_config_change_get_restart_required (change));

  change = BOURSE_CLIENT_CONFIG_CHANGE (other);
  g_assert_cmpstr (bourse_client_config_change_get_old_value (change), ==, "");
  g_assert_cmpstr (bourse_client_config_change_get_new_value (change), ==, "https://a.example");
  g_assert_true (bourse_client_config_change_get_restart_required (change));
}

static BourseClientConfigSection *
config_section_named (JsonNode   *config,
                      const char *name)
{
  JsonArray *sections = json_object_get_array_member (desk_object (config), "sections");

  for (guint i = 0; i < json_array_get_length (sections); i++)
    {
      JsonObject *object = json_array_get_object_element (sections, i);

      if (g_strcmp0 (json_object_get_string_member (object, "name"), name) == 0)
        return BOURSE_CLIENT_CONFIG_SECTION (bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_CONFIG_SECTION,
                                                                                 object));
    }
  return NULL;
}

/* The section's key of that name, held by the section. */
static BourseClientConfigKey *
config_key_named (BourseClientConfigSection *section,
                  const char                *name)
{
  GListModel *keys = bourse_client_config_section_get_keys (section);

  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr(BourseClientConfigKey) key = g_list_model_get_item (keys, i);

      if (g_str_equal (bourse_client_config_key_get_key (key), name))
        return key;
    }
  return NULL;
}

/* The server's own: every section and key of GET /api/v1/config reads
 * into a record, secrets without a value; a key changed through the API
 * is notified on its own object, alone. */
static void
test_config_served (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autoptr(JsonNode) config = desk_expect (server, "GET", "/api/v1/config", NULL, NULL, 200);
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(BourseClientConfigSection) log = NULL;
  g_autoptr(BourseClientConfigSection) server_section = NULL;
  g_autoptr(BourseClientConfigSection) binance = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen_other = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *sections = json_object_get_array_member (desk_object (config), "sections");
  BourseClientConfigKey *level, *format, *body_limit;
  GListModel *keys;
  gint64 min = -1, max = -1;
  guint n_secrets = 0;

  g_assert_cmpuint (json_array_get_length (sections), >, 0);
  for (guint i = 0; i < json_array_get_length (sections); i++)
    {
      JsonObject *spec = json_array_get_object_element (sections, i);
      g_autoptr(BourseClientObject) object = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_CONFIG_SECTION,
                                                                                 spec);

      g_assert_nonnull (object);
      keys = bourse_client_config_section_get_keys (BOURSE_CLIENT_CONFIG_SECTION (object));
      g_assert_cmpuint (g_list_model_get_n_items (keys), ==,
                        json_array_get_length (json_object_get_array_member (spec, "keys")));
      for (guint j = 0; j < g_list_model_get_n_items (keys); j++)
        {
          g_autoptr(BourseClientConfigKey) key = g_list_model_get_item (keys, j);

          g_assert_nonnull (bourse_client_config_key_get_value_type (key));
          g_assert_nonnull (bourse_client_config_key_get_source (key));
          g_assert_nonnull (bourse_client_config_key_get_value (key));
          if (bourse_client_config_key_get_secret (key))
            {
              g_assert_cmpstr (bourse_client_config_key_get_value (key), ==, "");
              n_secrets++;
            }
        }
    }
  g_assert_cmpuint (n_secrets, >, 0);

  server_section = config_section_named (config, "server");
  g_assert_nonnull (server_section);
  body_limit = config_key_named (server_section, "max_body_bytes");
  g_assert_nonnull (body_limit);
  g_assert_true (bourse_client_config_key_get_range (body_limit, &min, &max));
  g_assert_cmpint (min, ==, 1024);
  g_assert_cmpint (max, ==, 268435456);

  binance = config_section_named (config, "binance");
  g_assert_nonnull (binance);
  g_assert_true (bourse_client_config_key_get_secret (config_key_named (binance, "api_secret")));

  log = config_section_named (config, "log");
  g_assert_nonnull (log);
  level = config_key_named (log, "level");
  format = config_key_named (log, "format");
  g_assert_nonnull (level);
  g_assert_nonnull (format);
  g_assert_cmpstr (bourse_client_config_key_get_value_type (level), ==, "enum");
  g_assert_true (g_strv_contains (bourse_client_config_key_get_allowed (level), "debug"));
  g_assert_cmpstr (bourse_client_config_key_get_value (level), !=, "debug");

  g_signal_connect (level, "notify", G_CALLBACK (count_notify), seen);
  g_signal_connect (format, "notify", G_CALLBACK (count_notify), seen_other);
  json_node_unref (desk_expect (server, "PUT", "/api/v1/config/log", NULL, "{\"level\":\"debug\"}", 200));
  again = desk_expect (server, "GET", "/api/v1/config/log", NULL, NULL, 200);
  g_assert_true (bourse_client_object_update (BOURSE_CLIENT_OBJECT (log), desk_object (again)));
  g_assert_cmpuint (N_NOTIFIED (seen, "value"), ==, 1);
  g_assert_cmpuint (N_NOTIFIED (seen, "source"), ==, 1);
  g_assert_cmpuint (g_hash_table_size (seen_other), ==, 0);
  g_assert_cmpstr (bourse_client_config_key_get_value (level), ==, "debug");
  g_assert_cmpstr (bourse_client_config_key_get_source (level), ==, "runtime");

  bourse_test_server_free (server);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client-store/strategies", test_strategies);
  g_test_add_func ("/client-store/confirmation", test_confirmation);
  g_test_add_func ("/client-store/instruments", test_instruments);
  g_test_add_func ("/client-store/paged", test_paged);
  g_test_add_func ("/client-store/users", test_users);
  g_test_add_func ("/client-store/approval-final", test_approval_final);
  g_test_add_func ("/client-store/backtest-record", test_backtest_record);
  g_test_add_func ("/client-store/optimisation-record", test_optimisation_record);
  g_test_add_func ("/client-store/position-record", test_position_record);
  g_test_add_func ("/client-store/positions", test_positions);
  g_test_add_func ("/client-store/job-record", test_job_record);
  g_test_add_func ("/client-store/session-record", test_session_record);
  g_test_add_func ("/client-store/api-key-record", test_api_key_record);
  g_test_add_func ("/client-store/device-record", test_device_record);
  g_test_add_func ("/client-store/recommendation-record", test_recommendation_record);
  g_test_add_func ("/client-store/approval-recommendation", test_approval_recommendation);
  g_test_add_func ("/client-store/config-section-record", test_config_section_record);
  g_test_add_func ("/client-store/config-change-record", test_config_change_record);
  g_test_add_func ("/client-store/config-served", test_config_served);

  return g_test_run ();
}
