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

  return g_test_run ();
}
