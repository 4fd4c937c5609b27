/* test-permissions.c — every route and every WebSocket topic against every kind of caller
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The routes come from the router's own table, so a new route is walked the
 * day it is added: a protected one must answer 401 to callers without valid
 * credentials, 403 to roles without its permission (src/auth/bourse-
 * permissions.c) and neither to roles with it; a public one must be on the
 * short list of routes DESIGN.md §7 allows to be public.
 */

#include "config.h"

#include "auth/bourse-jwt.h"
#include "core/bourse-time.h"

#include "server/bourse-hub.h"

#include "bourse-test-server.h"

#define PASSWORD "correct horse battery staple"

/* Cheap hashing keeps the suite fast under sanitizers; hundreds of requests
 * from one address must meet the permission check, not the rate limit. */
static const char * const settings[] = {
  "auth", "password_opslimit", "1",
  "auth", "password_memlimit_kib", "8",
  "auth", "secrets_backend", "file",
  "rate_limit", "enabled", "false",
  NULL
};

/* DESIGN.md §7 and API.md: the only routes anyone may call. */
static const char * const public_routes[] = {
  "GET /health",
  "GET /live",
  "GET /ready",
  "POST /api/v1/auth/login",
  "POST /api/v1/auth/register",
  "POST /api/v1/auth/refresh",
  "POST /api/v1/auth/password-reset/request",
  "POST /api/v1/auth/password-reset/confirm",
  "POST /api/v1/signals/webhook/{hook}",     /* signed with the hook's secret instead */
  "GET /api/v1/openapi.json",
  "GET /api/v1/docs",
  /* The seeds' aliases of the above (bourse-seed-routes.c). */
  "POST /auth/login",
  "POST /auth/register",
  "GET /api/health",
  "GET /docs",
  "GET /api/v1/setup",                       /* the first run: the one-time token guards the POST */
  "POST /api/v1/setup",
  NULL
};

/* Viewers are read-only (DESIGN.md §7): the only other routes they may call
 * act on their own account, or query with a body. */
static const char * const viewer_writes[] = {
  "POST /api/v1/auth/logout",
  "PATCH /api/v1/users/me",
  "DELETE /api/v1/sessions/{id}",
  "POST /api/v1/api-keys",
  "DELETE /api/v1/api-keys/{id}",
  "POST /api/v1/signals/filter",
  "POST /api/v1/backtests/compare",
  /* One's own notification preferences and push devices. */
  "PUT /api/v1/notifications/preferences",
  "POST /api/v1/devices",
  "DELETE /api/v1/devices/{id}",
  /* Seed 004's alias of POST /api/v1/signals/filter. */
  "POST /api/signals/filter",
  NULL
};

typedef enum
{
  CALLER_ANONYMOUS,
  CALLER_VIEWER,
  CALLER_TRADER,
  CALLER_ADMIN,
  CALLER_VIEWER_KEY,
  CALLER_TRADER_KEY,
  CALLER_ADMIN_KEY,
  CALLER_EXPIRED_TOKEN,   /* an admin's, signed with the server's key, past its exp */
  CALLER_EXPIRED_KEY,     /* an admin key past its expires_at */
  CALLER_REVOKED_KEY,     /* an admin key, revoked */
  N_CALLERS
} CallerKind;

static const char * const caller_names[] = {
  "anonymous", "viewer", "trader", "admin", "viewer API key", "trader API key", "admin API key",
  "expired token", "expired API key", "revoked API key",
};

typedef struct
{
  BourseTestServer *server;
  char             *token[N_CALLERS];   /* bearer token, or NULL */
  char             *key[N_CALLERS];     /* API key, or NULL */
  gint64            user_id[N_CALLERS];
} Callers;

/* Whether the caller is authenticated, and as which role. */
static gboolean
caller_role (CallerKind  kind,
             BourseRole *role)
{
  switch (kind)
    {
    case CALLER_VIEWER:
    case CALLER_VIEWER_KEY:
      *role = BOURSE_ROLE_VIEWER;
      return TRUE;
    case CALLER_TRADER:
    case CALLER_TRADER_KEY:
      *role = BOURSE_ROLE_TRADER;
      return TRUE;
    case CALLER_ADMIN:
    case CALLER_ADMIN_KEY:
      *role = BOURSE_ROLE_ADMIN;
      return TRUE;
    case CALLER_ANONYMOUS:
    case CALLER_EXPIRED_TOKEN:
    case CALLER_EXPIRED_KEY:
    case CALLER_REVOKED_KEY:
    case N_CALLERS:
    default:
      return FALSE;
    }
}

static char *
bearer (const char *token)
{
  return g_strconcat ("Bearer ", token, NULL);
}

/* A request as @kind: headers that send its credentials and no others. */
static BourseTestResponse *
fetch_as (Callers    *callers,
          CallerKind  kind,
          const char *method,
          const char *path,
          const char *body)
{
  g_autofree char *authorization = callers->token[kind] ? bearer (callers->token[kind]) : g_strdup ("");
  const char * const headers[] = {
    "Authorization", authorization,
    callers->key[kind] ? "X-API-Key" : NULL, callers->key[kind],
    NULL
  };

  return bourse_test_fetch (callers->server, method, path, headers, body ? "application/json" : NULL, body, -1);
}

/* As the local owner (an admin), expecting @status; returns the JSON answer. */
static JsonNode *
owner_expect (BourseTestServer *server,
              const char       *method,
              const char       *path,
              const char       *body,
              guint             status)
{
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (server, method, path, NULL, body ? "application/json" : NULL, body, -1);

  if (response->status != status)
    g_error ("%s %s: %u, expected %u: %.*s", method, path, response->status, status,
             (int)g_bytes_get_size (response->body), (const char *)g_bytes_get_data (response->body, NULL));
  return g_bytes_get_size (response->body) > 0 ? bourse_test_response_json (response) : NULL;
}

static gint64
create_user (BourseTestServer *server,
             const char       *name,
             const char       *role)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.org\",\"password\":\"%s\","
                                           "\"role\":\"%s\"}", name, name, PASSWORD, role);
  g_autoptr(JsonNode) node = owner_expect (server, "POST", "/api/v1/users", body, 201);

  return json_object_get_int_member (json_node_get_object (node), "id");
}

static char *
login (BourseTestServer *server,
       const char       *name)
{
  const char * const anonymous[] = { "Authorization", "", NULL };
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", name, PASSWORD);
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (server, "POST", "/api/v1/auth/login", anonymous, "application/json", body, -1);
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpuint (response->status, ==, 200);
  node = bourse_test_response_json (response);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "access_token"));
}

/* An API key of @role made by the holder of @token; its id in *id. */
static char *
create_key (BourseTestServer *server,
            const char       *token,
            const char       *role,
            gint64           *id)
{
  g_autofree char *authorization = bearer (token);
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s key\",\"role\":\"%s\"}", role, role);
  const char * const headers[] = { "Authorization", authorization, NULL };
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (server, "POST", "/api/v1/api-keys", headers, "application/json", body, -1);
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpuint (response->status, ==, 201);
  node = bourse_test_response_json (response);
  if (id != NULL)
    *id = json_object_get_int_member (json_node_get_object (node), "id");
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "key"));
}

/* The same token, signed with the server's own key, an hour past its exp. */
static char *
expire_token (BourseTestServer *server,
              const char       *token)
{
  BourseSecrets *secrets = bourse_auth_get_secrets (bourse_engine_get_auth (server->engine));
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) key = bourse_secrets_lookup (secrets, "jwt-signing-key", &error);
  g_autoptr(BourseJwtClaims) claims = NULL;
  gint64 now = bourse_time_now_ms () / 1000;

  g_assert_no_error (error);
  g_assert_nonnull (key);
  claims = bourse_jwt_decode (token, key, now, 0, &error);
  g_assert_no_error (error);
  claims->iat = now - 2 * 3600;
  claims->exp = now - 3600;
  return bourse_jwt_encode (claims, key);
}

static void
callers_init (Callers          *callers,
              BourseTestServer *server)
{
  gint64 expired_id = 0, revoked_id = 0;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) ignored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *callers = (Callers) { server };
  callers->user_id[CALLER_VIEWER] = create_user (server, "vera", "viewer");
  callers->user_id[CALLER_TRADER] = create_user (server, "tom", "trader");
  callers->user_id[CALLER_ADMIN] = create_user (server, "ada", "admin");
  callers->token[CALLER_VIEWER] = login (server, "vera");
  callers->token[CALLER_TRADER] = login (server, "tom");
  callers->token[CALLER_ADMIN] = login (server, "ada");

  /* Keys are made by an admin, of each role: a key can hold any role up to its maker's. */
  callers->key[CALLER_VIEWER_KEY] = create_key (server, callers->token[CALLER_ADMIN], "viewer", NULL);
  callers->key[CALLER_TRADER_KEY] = create_key (server, callers->token[CALLER_ADMIN], "trader", NULL);
  callers->key[CALLER_ADMIN_KEY] = create_key (server, callers->token[CALLER_ADMIN], "admin", NULL);
  callers->key[CALLER_EXPIRED_KEY] = create_key (server, callers->token[CALLER_ADMIN], "admin", &expired_id);
  callers->key[CALLER_REVOKED_KEY] = create_key (server, callers->token[CALLER_ADMIN], "admin", &revoked_id);
  callers->token[CALLER_EXPIRED_TOKEN] = expire_token (server, callers->token[CALLER_ADMIN]);

  /* The API refuses an expiry in the past: the clock of this key is moved instead. */
  stmt = bourse_store_prepare (bourse_engine_get_store (server->engine),
                               "UPDATE api_keys SET expires_at = '2001-01-01T00:00:00.000Z' WHERE id = ?", &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, expired_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);

  path = g_strdup_printf ("/api/v1/api-keys/%" G_GINT64_FORMAT, revoked_id);
  ignored = owner_expect (server, "DELETE", path, NULL, 204);

  /* Each caller is who it should be. */
  for (CallerKind kind = CALLER_VIEWER; kind < N_CALLERS; kind++)
    {
      g_autoptr(BourseTestResponse) me = fetch_as (callers, kind, "GET", "/api/v1/users/me", NULL);
      BourseRole role;

      if (!caller_role (kind, &role))
        {
          g_assert_cmpuint (me->status, ==, 401);
          continue;
        }
      g_assert_cmpuint (me->status, ==, 200);
    }
}

static void
callers_clear (Callers *callers)
{
  for (guint i = 0; i < N_CALLERS; i++)
    {
      g_free (callers->token[i]);
      g_free (callers->key[i]);
    }
}

/* "/api/v1/orders/{id}" → "/api/v1/orders/999999": a value no row has, as
 * permission is checked before existence. */
static char *
fill_pattern (const char *pattern)
{
  g_autoptr(GString) path = g_string_new (NULL);
  g_auto(GStrv) segments = g_strsplit (pattern, "/", -1);

  for (guint s = 0; segments[s] != NULL; s++)
    {
      const char *segment = segments[s];

      if (segment[0] == '\0')
        continue;
      g_string_append_c (path, '/');
      if (segment[0] != '{')
        g_string_append (path, segment);
      else if (g_str_equal (segment, "{symbol}"))
        g_string_append (path, "NOSUCHUSDT");
      else
        g_string_append (path, "999999");
    }
  return g_string_free (g_steal_pointer (&path), FALSE);
}

static gboolean
is_listed (const BourseRoute  *route,
           const char * const *list)
{
  g_autofree char *name = g_strdup_printf ("%s %s", route->method, route->pattern);

  return g_strv_contains (list, name);
}

static void
test_route_matrix (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  BourseRouter *router = bourse_server_get_router (server->server);
  g_autoptr(GPtrArray) routes = g_ptr_array_new ();
  g_autoptr(GString) failures = g_string_new (NULL);
  const BourseRoute *logout = NULL;
  guint checked = 0, n_public = 0;
  Callers callers;

  callers_init (&callers, server);

  /* Signing out ends the session the walk runs on: walk it last. */
  for (guint i = 0; i < bourse_router_get_n_routes (router); i++)
    {
      const BourseRoute *route = bourse_router_get_route (router, i);

      if (g_str_equal (route->pattern, "/api/v1/auth/logout"))
        logout = route;
      else
        g_ptr_array_add (routes, (gpointer)route);
    }
  g_assert_nonnull (logout);
  g_ptr_array_add (routes, (gpointer)logout);

  for (guint i = 0; i < routes->len; i++)
    {
      const BourseRoute *route = g_ptr_array_index (routes, i);
      g_autofree char *path = fill_pattern (route->pattern);
      gboolean with_body = !g_str_equal (route->method, "GET") && !g_str_equal (route->method, "DELETE");

      if (route->permission == NULL)
        {
          /* Public: allowed to be, and credentials change nothing. */
          g_autoptr(BourseTestResponse) anonymous = NULL;
          g_autoptr(BourseTestResponse) expired = NULL;

          n_public++;
          if (!is_listed (route, public_routes))
            {
              g_string_append_printf (failures, "; %s %s has no permission but is not one of the public routes",
                                      route->method, route->pattern);
              continue;
            }
          anonymous = fetch_as (&callers, CALLER_ANONYMOUS, route->method, path, with_body ? "{}" : NULL);
          expired = fetch_as (&callers, CALLER_EXPIRED_TOKEN, route->method, path, with_body ? "{}" : NULL);
          g_test_message ("%s %s (public): anonymous → %u, expired token → %u", route->method, path,
                          anonymous->status, expired->status);
          if (anonymous->status != expired->status)
            g_string_append_printf (failures, "; %s %s is public, yet answers %u to an expired token and %u to "
                                    "nobody", route->method, path, expired->status, anonymous->status);
          continue;
        }

      if (!bourse_permission_is_known (route->permission))
        {
          g_string_append_printf (failures, "; %s %s declares the permission “%s”, which the matrix does not know",
                                  route->method, route->pattern, route->permission);
          continue;
        }

      if (!g_str_equal (route->method, "GET") && bourse_role_has_permission (BOURSE_ROLE_VIEWER, route->permission)
          && !is_listed (route, viewer_writes))
        g_string_append_printf (failures, "; viewers are read-only, yet %s %s needs only “%s”, which they hold",
                                route->method, route->pattern, route->permission);

      for (CallerKind kind = 0; kind < N_CALLERS; kind++)
        {
          g_autoptr(BourseTestResponse) response =
            fetch_as (&callers, kind, route->method, path, with_body ? "{}" : NULL);
          BourseRole role;
          const char *expected;

          if (!caller_role (kind, &role))
            expected = "401";
          else if (!bourse_role_has_permission (role, route->permission))
            expected = "403";
          else
            expected = "neither 401 nor 403";

          g_test_message ("%s %s (%s) as %s → %u", route->method, path, route->permission, caller_names[kind],
                          response->status);
          checked++;

          if ((g_str_equal (expected, "401") && response->status != 401)
              || (g_str_equal (expected, "403") && response->status != 403)
              || (expected[0] == 'n' && (response->status == 401 || response->status == 403)))
            g_string_append_printf (failures, "; %s %s (%s) as %s: %u, expected %s", route->method, path,
                                    route->permission, caller_names[kind], response->status, expected);
          else if (response->status == 401
                   && bourse_test_response_header (response, "WWW-Authenticate") == NULL)
            g_string_append_printf (failures, "; %s %s as %s: a 401 without WWW-Authenticate", route->method, path,
                                    caller_names[kind]);
        }
    }

  if (failures->len > 0)
    g_test_fail_printf ("The permission matrix does not hold%s", failures->str);

  /* Not an accident of an empty table. */
  g_test_message ("%u routes (%u public), %u answers checked", routes->len, n_public, checked);
  g_assert_cmpuint (routes->len, >=, 60);
  g_assert_cmpuint (checked, ==, (routes->len - n_public) * N_CALLERS);

  callers_clear (&callers);
  bourse_test_server_free (server);
}

/* --- WebSocket topics ---------------------------------------------------------------- */

/* Which permission each topic needs: what the REST route of the same
 * resource needs to read it, and the server's log and account alerts
 * (sign-ups, password resets) for those who manage users. The hub keeps its
 * own table; this one is what DESIGN.md §8 promises. */
static const struct {
  const char *topic;
  const char *permission;
} topics[] = {
  { "system", "stream.subscribe" },
  { "ticker:BTCUSDT", "stream.subscribe" },
  { "candles:BTCUSDT:1m", "stream.subscribe" },
  { "signals", "signals.read" },
  { "recommendations", "recommendations.read" },
  { "approvals", "approvals.read" },
  { "instruments", "market.read" },
  { "strategies", "strategies.read" },
  { "orders", "orders.read" },
  { "fills", "orders.read" },
  { "trades", "portfolio.read" },
  { "positions", "portfolio.read" },
  { "portfolio", "portfolio.read" },
  { "balances", "portfolio.read" },
  { "risk", "risk.read" },
  { "jobs", "jobs.read" },
  { "backtests", "backtests.read" },
  { "optimisations", "backtests.read" },
  { "config", "config.read" },
  { "alerts", "users.read" },
  { "logs", "logs.read" },
  { "audit", "audit.read" },
  { "users", "users.read" },
  { "notifications", "notifications.read" },
};

typedef struct
{
  SoupWebsocketConnection *connection;
  GPtrArray               *messages;   /* JsonObject*, in arrival order */
  GError                  *error;
  gboolean                 done;
  gboolean                 closed;
} Socket;

static void
socket_message_cb (SoupWebsocketConnection *connection,
                   int                      type,
                   GBytes                  *message,
                   Socket                  *socket)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_ptr_array_add (socket->messages, json_object_ref (json_node_get_object (node)));
}

static void
socket_closed_cb (SoupWebsocketConnection *connection,
                  Socket                  *socket)
{
  socket->closed = TRUE;
}

static void
socket_connected_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Socket *socket = user_data;

  socket->connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &socket->error);
  if (socket->connection != NULL)
    {
      g_signal_connect (socket->connection, "message", G_CALLBACK (socket_message_cb), socket);
      g_signal_connect (socket->connection, "closed", G_CALLBACK (socket_closed_cb), socket);
    }
  socket->done = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *)data;
}

/* Opens /api/v1/ws as @kind: ?token= for a bearer token, X-API-Key for a key.
 * Returns NULL when the handshake is refused, with its status in *status. */
static Socket *
socket_open (Callers    *callers,
             CallerKind  kind,
             guint      *status)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) message = NULL;
  Socket *socket = g_new0 (Socket, 1);

  url = g_strdup_printf ("ws://127.0.0.1:%u/api/v1/ws%s%s", bourse_server_get_port (callers->server->server),
                         callers->token[kind] ? "?token=" : "", callers->token[kind] ? callers->token[kind] : "");
  message = soup_message_new ("GET", url);
  if (callers->key[kind] != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "X-API-Key", callers->key[kind]);
  socket->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  soup_session_websocket_connect_async (callers->server->session, message, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        socket_connected_cb, socket);
  bourse_test_wait_until (flag_is_set, &socket->done, 10000, "the WebSocket handshake");
  *status = soup_message_get_status (message);
  if (socket->connection == NULL)
    {
      g_ptr_array_unref (socket->messages);
      g_clear_error (&socket->error);
      g_free (socket);
      return NULL;
    }
  return socket;
}

static void
socket_free (Socket *socket)
{
  if (socket == NULL)
    return;
  if (soup_websocket_connection_get_state (socket->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (socket->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      bourse_test_wait_until (flag_is_set, &socket->closed, 10000, "the WebSocket to close");
    }
  g_signal_handlers_disconnect_by_data (socket->connection, socket);
  g_clear_object (&socket->connection);
  g_ptr_array_unref (socket->messages);
  g_free (socket);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Socket, socket_free)

typedef struct
{
  Socket *socket;
  guint   from;     /* messages before this index are not looked at */
} Answer;

static gboolean
has_answer (gpointer data)
{
  Answer *answer = data;

  return answer->socket->closed || answer->socket->messages->len > answer->from;
}

static const char *
type_of (JsonObject *message)
{
  return json_object_get_string_member_with_default (message, "type", "");
}

/* Sends a request and returns the first answer that is not an event, or NULL
 * when the socket is closing or closes first. Events that arrive meanwhile stay in the list. */
static JsonObject *
socket_ask (Socket     *socket,
            const char *request)
{
  Answer answer = { socket, socket->messages->len };

  /* The server may have started to close it already. */
  if (soup_websocket_connection_get_state (socket->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return NULL;
  soup_websocket_connection_send_text (socket->connection, request);
  for (;;)
    {
      bourse_test_wait_until (has_answer, &answer, 10000, request);
      while (answer.from < socket->messages->len)
        {
          JsonObject *message = g_ptr_array_index (socket->messages, answer.from++);

          if (!g_str_equal (type_of (message), "event"))
            return message;
        }
      if (socket->closed)
        return NULL;
    }
}

/* Events of @topic carrying {"marker": marker} since message @from. */
static guint
count_marked (Socket     *socket,
              guint       from,
              const char *topic,
              gint64      marker)
{
  guint n = 0;

  for (guint i = from; i < socket->messages->len; i++)
    {
      JsonObject *message = g_ptr_array_index (socket->messages, i);
      JsonObject *data;

      if (!g_str_equal (type_of (message), "event")
          || g_strcmp0 (json_object_get_string_member_with_default (message, "topic", NULL), topic) != 0)
        continue;
      data = json_object_get_object_member (message, "data");
      if (data != NULL && json_object_get_int_member_with_default (data, "marker", -1) == marker)
        n++;
    }
  return n;
}

static void
publish_marker (BourseTestServer *server,
                const char       *topic,
                gint64            marker)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) data = json_object_new ();

  json_object_set_int_member (data, "marker", marker);
  json_node_set_object (node, data);
  bourse_event_bus_publish (bourse_engine_get_event_bus (server->engine), topic, node);
}

static void
test_topic_matrix (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  g_autoptr(GString) failures = g_string_new (NULL);
  Callers callers;
  gint64 marker = 1000;

  callers_init (&callers, server);

  for (guint i = 0; i < G_N_ELEMENTS (topics); i++)
    {
      g_assert_true (bourse_hub_topic_is_valid (topics[i].topic));
      g_assert_true (bourse_permission_is_known (topics[i].permission));
    }
  /* A topic the hub learns must be described here before it ships. */
  for (const char * const *known = bourse_hub_get_plain_topics (); *known != NULL; known++)
    {
      gboolean described = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (topics); i++)
        described |= g_str_equal (topics[i].topic, *known);
      if (!described)
        g_test_fail_printf ("The hub's topic “%s” is not in this test's table", *known);
    }

  for (CallerKind kind = 0; kind < N_CALLERS; kind++)
    {
      g_autoptr(Socket) socket = NULL;
      gboolean allowed[G_N_ELEMENTS (topics)];
      BourseRole role;
      guint status, from;
      JsonObject *pong;

      socket = socket_open (&callers, kind, &status);
      if (!caller_role (kind, &role))
        {
          if (socket != NULL || status != 401)
            g_string_append_printf (failures, "; the WebSocket handshake as %s: %u, expected 401",
                                    caller_names[kind], status);
          continue;
        }
      if (socket == NULL)
        {
          g_string_append_printf (failures, "; the WebSocket handshake as %s: %u", caller_names[kind], status);
          continue;
        }

      /* One topic at a time: a subscription is granted or refused whole. */
      for (guint i = 0; i < G_N_ELEMENTS (topics); i++)
        {
          g_autofree char *request = g_strdup_printf ("{\"type\":\"subscribe\",\"topics\":[\"%s\"]}", topics[i].topic);
          JsonObject *answer = socket_ask (socket, request);
          const char *type = answer ? type_of (answer) : "(closed)";

          allowed[i] = bourse_role_has_permission (role, topics[i].permission);
          g_test_message ("subscribe %s as %s → %s", topics[i].topic, caller_names[kind], type);
          if (!g_str_equal (type, allowed[i] ? "subscribed" : "error"))
            g_string_append_printf (failures, "; subscribing to %s as %s: “%s”, expected “%s”", topics[i].topic,
                                    caller_names[kind], type, allowed[i] ? "subscribed" : "error");
          if (!allowed[i] && answer != NULL && !json_object_has_member (answer, "message"))
            g_string_append_printf (failures, "; the refusal of %s as %s says nothing", topics[i].topic,
                                    caller_names[kind]);
        }
      if (socket->closed)
        continue;

      /* An event on every topic, then a ping: the pong comes after them all. */
      from = socket->messages->len;
      marker++;
      for (guint i = 0; i < G_N_ELEMENTS (topics); i++)
        publish_marker (server, topics[i].topic, marker);
      pong = socket_ask (socket, "{\"type\":\"ping\"}");
      g_assert_nonnull (pong);
      g_assert_cmpstr (type_of (pong), ==, "pong");
      for (guint i = 0; i < G_N_ELEMENTS (topics); i++)
        {
          guint n = count_marked (socket, from, topics[i].topic, marker);

          if (n != (allowed[i] ? 1 : 0))
            g_string_append_printf (failures, "; as %s, %u events of %s arrived, expected %u", caller_names[kind],
                                    n, topics[i].topic, allowed[i] ? 1 : 0);
        }
    }

  if (failures->len > 0)
    g_test_fail_printf ("The topic matrix does not hold%s", failures->str);

  callers_clear (&callers);
  bourse_test_server_free (server);
}

/* --- a caller's rights change while its socket is open -------------------------------- */

typedef enum
{
  CHANGE_DEMOTE,     /* PATCH /api/v1/users/{id} {"role":"trader"} */
  CHANGE_DISABLE,    /* PATCH /api/v1/users/{id} {"status":"disabled"} */
  CHANGE_REVOKE_KEY, /* DELETE /api/v1/api-keys/{id} */
} Change;

/* The administrators' topics must stop at once for a socket whose rights went:
 * it is closed, or it stays open without them and refuses them again. */
static void
assert_admin_topics_stopped (BourseTestServer *server,
                             Socket           *socket,
                             const char       *who,
                             gint64            marker,
                             GString          *failures)
{
  guint from = socket->messages->len;
  JsonObject *answer;

  publish_marker (server, "alerts", marker);
  publish_marker (server, "logs", marker);
  /* Whatever came before the answer to this was sent before it. */
  answer = socket->closed ? NULL : socket_ask (socket, "{\"type\":\"ping\"}");
  if (count_marked (socket, from, "alerts", marker) + count_marked (socket, from, "logs", marker) > 0)
    g_string_append_printf (failures, "; %s still received events of alerts or logs", who);
  if (answer == NULL)
    return;

  for (guint i = 0; i < 2; i++)
    {
      const char *request = i == 0 ? "{\"type\":\"subscribe\",\"topics\":[\"alerts\"]}"
                                   : "{\"type\":\"subscribe\",\"topics\":[\"logs\"]}";

      if ((answer = socket_ask (socket, request)) == NULL)
        return;
      if (!g_str_equal (type_of (answer), "error") || !json_object_has_member (answer, "message"))
        {
          g_string_append_printf (failures, "; %s subscribed to %s again: “%s”", who, i == 0 ? "alerts" : "logs",
                                  type_of (answer));
          return;
        }
    }

  /* Nor does anything of them arrive after the refused subscriptions. */
  from = socket->messages->len;
  publish_marker (server, "alerts", marker + 1);
  if (socket_ask (socket, "{\"type\":\"ping\"}") != NULL && count_marked (socket, from, "alerts", marker + 1) > 0)
    g_string_append_printf (failures, "; %s received alerts after its subscription was refused", who);
}

static void
test_rights_change (gconstpointer data)
{
  Change change = GPOINTER_TO_INT (data);
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autoptr(Socket) by_token = NULL;
  g_autoptr(Socket) by_key = NULL;
  g_autoptr(JsonNode) ignored = NULL;
  g_autofree char *path = NULL;
  Callers callers = { server };
  gint64 user_id, key_id;
  guint status;

  /* An administrator signed in twice over: a session and an admin API key;
   * and another one, as the last administrator may not be demoted. */
  create_user (server, "root", "admin");
  user_id = create_user (server, "ada", "admin");
  callers.token[CALLER_ADMIN] = login (server, "ada");
  callers.key[CALLER_ADMIN_KEY] = create_key (server, callers.token[CALLER_ADMIN], "admin", &key_id);
  by_token = socket_open (&callers, CALLER_ADMIN, &status);
  g_assert_nonnull (by_token);
  by_key = socket_open (&callers, CALLER_ADMIN_KEY, &status);
  g_assert_nonnull (by_key);

  for (guint i = 0; i < 2; i++)
    {
      Socket *socket = i == 0 ? by_token : by_key;
      JsonObject *answer = socket_ask (socket, "{\"type\":\"subscribe\",\"topics\":[\"alerts\",\"logs\",\"system\"]}");
      guint from = socket->messages->len;

      g_assert_nonnull (answer);
      g_assert_cmpstr (type_of (answer), ==, "subscribed");
      /* They do get the administrators' topics now (identical events
       * in a row are sent once: each its own marker). */
      publish_marker (server, "alerts", 1 + i);
      g_assert_nonnull (socket_ask (socket, "{\"type\":\"ping\"}"));
      g_assert_cmpuint (count_marked (socket, from, "alerts", 1 + i), ==, 1);
    }

  switch (change)
    {
    case CHANGE_DEMOTE:
      path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, user_id);
      ignored = owner_expect (server, "PATCH", path, "{\"role\":\"trader\"}", 200);
      break;
    case CHANGE_DISABLE:
      path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, user_id);
      ignored = owner_expect (server, "PATCH", path, "{\"status\":\"disabled\"}", 200);
      break;
    case CHANGE_REVOKE_KEY:
      path = g_strdup_printf ("/api/v1/api-keys/%" G_GINT64_FORMAT, key_id);
      ignored = owner_expect (server, "DELETE", path, NULL, 204);
      break;
    default:
      g_assert_not_reached ();
    }

  /* REST sees the change at once (the account's role and status are read on every request)… */
  {
    g_autoptr(BourseTestResponse) users = fetch_as (&callers, CALLER_ADMIN_KEY, "GET", "/api/v1/users", NULL);

    g_assert_cmpuint (users->status, ==, change == CHANGE_DEMOTE ? 403 : 401);
  }
  /* …and so must the sockets. A revoked key leaves the session's socket alone. */
  if (change != CHANGE_REVOKE_KEY)
    assert_admin_topics_stopped (server, by_token, "the socket of the session", 10, failures);
  assert_admin_topics_stopped (server, by_key, "the socket of the API key", 20, failures);
  if (change == CHANGE_REVOKE_KEY)
    {
      guint from = by_token->messages->len;

      publish_marker (server, "alerts", 30);
      g_assert_nonnull (socket_ask (by_token, "{\"type\":\"ping\"}"));
      g_assert_cmpuint (count_marked (by_token, from, "alerts", 30), ==, 1);
    }

  if (failures->len > 0)
    g_test_fail_printf ("%s%s", change == CHANGE_DEMOTE ? "After a demotion"
                                 : change == CHANGE_DISABLE ? "After the account was disabled"
                                 : "After the API key was revoked", failures->str);

  g_clear_pointer (&by_token, socket_free);
  g_clear_pointer (&by_key, socket_free);
  callers_clear (&callers);
  bourse_test_server_free (server);
}

/* The names in @array are exactly @role's permissions in the matrix. */
static void
assert_permissions_of (JsonArray  *array,
                       BourseRole  role)
{
  const char * const *all = bourse_permission_list ();
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  guint expected = 0;

  g_assert_nonnull (array);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *name = json_array_get_string_element (array, i);

      g_assert_true (bourse_permission_is_known (name));
      g_assert_true (g_hash_table_add (listed, (gpointer) name));
    }
  for (guint i = 0; all[i] != NULL; i++)
    if (bourse_role_has_permission (role, all[i]))
      {
        g_assert_true (g_hash_table_contains (listed, all[i]));
        expected++;
      }
  g_assert_cmpuint (g_hash_table_size (listed), ==, expected);
}

/* GET /api/v1/permissions: what the UIs show is decided by the matrix the
 * server answers, for every kind of caller and after a role changes. */
static void
test_permissions_route (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  Callers callers;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) ignored = NULL;

  callers_init (&callers, server);
  for (CallerKind kind = CALLER_ANONYMOUS; kind < N_CALLERS; kind++)
    {
      g_autoptr(BourseTestResponse) response = fetch_as (&callers, kind, "GET", "/api/v1/permissions", NULL);
      g_autoptr(JsonNode) answer = NULL;
      JsonObject *object, *matrix;
      BourseRole role;

      g_test_message ("as %s: %u", caller_names[kind], response->status);
      if (!caller_role (kind, &role))
        {
          g_assert_cmpuint (response->status, ==, 401);
          continue;
        }
      g_assert_cmpuint (response->status, ==, 200);
      answer = bourse_test_response_json (response);
      object = json_node_get_object (answer);
      g_assert_cmpstr (json_object_get_string_member (object, "role"), ==, bourse_role_to_string (role));
      assert_permissions_of (json_object_get_array_member (object, "permissions"), role);

      matrix = json_object_get_object_member (object, "matrix");
      g_assert_cmpuint (json_object_get_size (matrix), ==, 3);
      assert_permissions_of (json_object_get_array_member (matrix, "admin"), BOURSE_ROLE_ADMIN);
      assert_permissions_of (json_object_get_array_member (matrix, "trader"), BOURSE_ROLE_TRADER);
      assert_permissions_of (json_object_get_array_member (matrix, "viewer"), BOURSE_ROLE_VIEWER);
    }

  /* A demoted trader's next answer is a viewer's. */
  path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, callers.user_id[CALLER_TRADER]);
  ignored = owner_expect (server, "PATCH", path, "{\"role\":\"viewer\"}", 200);
  {
    g_autoptr(BourseTestResponse) response = fetch_as (&callers, CALLER_TRADER, "GET", "/api/v1/permissions", NULL);
    g_autoptr(JsonNode) answer = bourse_test_response_json (response);
    JsonObject *object = json_node_get_object (answer);

    g_assert_cmpuint (response->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (object, "role"), ==, "viewer");
    assert_permissions_of (json_object_get_array_member (object, "permissions"), BOURSE_ROLE_VIEWER);
  }

  /* The desktop's local owner is an administrator. */
  {
    g_autoptr(BourseTestResponse) response =
      bourse_test_fetch (server, "GET", "/api/v1/permissions", NULL, NULL, NULL, -1);
    g_autoptr(JsonNode) answer = bourse_test_response_json (response);

    g_assert_cmpuint (response->status, ==, 200);
    assert_permissions_of (json_object_get_array_member (json_node_get_object (answer), "permissions"),
                           BOURSE_ROLE_ADMIN);
  }

  callers_clear (&callers);
  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/permissions/routes", test_route_matrix);
  g_test_add_func ("/permissions/route", test_permissions_route);
  g_test_add_func ("/permissions/topics", test_topic_matrix);
  g_test_add_data_func ("/permissions/topics-after-demotion", GINT_TO_POINTER (CHANGE_DEMOTE), test_rights_change);
  g_test_add_data_func ("/permissions/topics-after-disable", GINT_TO_POINTER (CHANGE_DISABLE), test_rights_change);
  g_test_add_data_func ("/permissions/topics-after-key-revoked", GINT_TO_POINTER (CHANGE_REVOKE_KEY),
                        test_rights_change);

  return g_test_run ();
}
