/* test-accounts.c — sign-up to sign-out over HTTP, and every route against every role
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "auth/bourse-audit.h"

#include "bourse-test-server.h"

#define ADMIN_PASSWORD   "correct horse battery staple"
#define TRADER_PASSWORD  "a long and winding road 42"
#define VIEWER_PASSWORD  "seven hundred red balloons"

/* Cheap hashing keeps the suite fast under sanitizers; the cost settings
 * themselves are tested in test-password. */
static const char * const fast_hashing[] = {
  "auth", "password_opslimit", "1",
  "auth", "password_memlimit_kib", "8",
  "auth", "secrets_backend", "file",
  NULL
};

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static BourseTestResponse *
post_json (BourseTestServer   *server,
           const char         *path,
           const char         *body,
           const char * const *headers)
{
  return bourse_test_fetch (server, "POST", path, headers, "application/json", body, -1);
}

static char *
bearer (const char *token)
{
  return g_strconcat ("Bearer ", token, NULL);
}

static gint64
create_user (BourseTestServer *server,
             const char       *name,
             const char       *role,
             const char       *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.org\","
                                           "\"password\":\"%s\",\"role\":\"%s\"}", name, name, password, role);
  g_autoptr(BourseTestResponse) response = post_json (server, "/api/v1/users", body, NULL);
  g_autoptr(JsonNode) node = bourse_test_response_json (response);

  g_assert_cmpuint (response->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (object_of (node), "status"), ==, "active");
  return json_object_get_int_member (object_of (node), "id");
}

/* Signs in; returns the response's JSON object (owned node in *node). */
static JsonNode *
login (BourseTestServer *server,
       const char       *name,
       const char       *password,
       guint             expected_status)
{
  const char * const anonymous[] = { "Authorization", "", NULL };
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", name, password);
  g_autoptr(BourseTestResponse) response = post_json (server, "/api/v1/auth/login", body, anonymous);

  g_assert_cmpuint (response->status, ==, expected_status);
  return bourse_test_response_json (response);
}

static char *
access_token_of (JsonNode *tokens)
{
  return g_strdup (json_object_get_string_member (object_of (tokens), "access_token"));
}

static guint
get_as (BourseTestServer *server,
        const char       *path,
        const char       *token)
{
  g_autofree char *authorization = token ? bearer (token) : g_strdup ("");
  const char * const headers[] = { "Authorization", authorization, NULL };
  g_autoptr(BourseTestResponse) response = bourse_test_fetch (server, "GET", path, headers, NULL, NULL, 0);

  return response->status;
}

static void
test_lifecycle (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  const char * const anonymous[] = { "Authorization", "", NULL };
  g_autoptr(BourseTestResponse) registered = NULL;
  g_autoptr(BourseTestResponse) approved = NULL;
  g_autoptr(BourseTestResponse) refreshed = NULL;
  g_autoptr(BourseTestResponse) reused = NULL;
  g_autoptr(BourseTestResponse) after_reuse = NULL;
  g_autoptr(JsonNode) registered_json = NULL;
  g_autoptr(JsonNode) pending = NULL;
  g_autoptr(JsonNode) tokens = NULL;
  g_autoptr(JsonNode) refreshed_json = NULL;
  g_autofree char *approve_path = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh_body = NULL;
  g_autofree char *second_refresh_body = NULL;
  g_autofree char *new_access = NULL;
  gint64 id;

  /* 1. Sign-up makes a pending account. */
  registered = post_json (server, "/api/v1/auth/register",
                          "{\"username\":\"alice\",\"email\":\"alice@example.org\",\"password\":\"" VIEWER_PASSWORD "\"}",
                          anonymous);
  g_assert_cmpuint (registered->status, ==, 201);
  registered_json = bourse_test_response_json (registered);
  g_assert_cmpstr (json_object_get_string_member (object_of (registered_json), "status"), ==, "pending");
  g_assert_false (json_object_has_member (object_of (registered_json), "password_hash"));
  id = json_object_get_int_member (object_of (registered_json), "id");

  /* 2. Pending accounts cannot sign in. */
  pending = login (server, "alice", VIEWER_PASSWORD, 403);

  /* 3. An admin approves. */
  approve_path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/approve", id);
  approved = post_json (server, approve_path, "{}", NULL);
  g_assert_cmpuint (approved->status, ==, 200);

  /* 4. Sign-in gives a bearer JWT and a refresh token. */
  tokens = login (server, "alice", VIEWER_PASSWORD, 200);
  g_assert_cmpstr (json_object_get_string_member (object_of (tokens), "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (object_of (tokens), "expires_in"), ==, 900);
  access = access_token_of (tokens);
  g_assert_cmpuint (get_as (server, "/api/v1/users/me", access), ==, 200);
  g_assert_cmpuint (get_as (server, "/api/v1/system/status", access), ==, 200);
  /* A viewer is no admin. */
  g_assert_cmpuint (get_as (server, "/api/v1/users", access), ==, 403);

  /* 5. Refresh rotates the refresh token. */
  refresh_body = g_strdup_printf ("{\"refresh_token\":\"%s\"}",
                                  json_object_get_string_member (object_of (tokens), "refresh_token"));
  refreshed = post_json (server, "/api/v1/auth/refresh", refresh_body, anonymous);
  g_assert_cmpuint (refreshed->status, ==, 200);
  refreshed_json = bourse_test_response_json (refreshed);
  g_assert_cmpstr (json_object_get_string_member (object_of (refreshed_json), "refresh_token"), !=,
                   json_object_get_string_member (object_of (tokens), "refresh_token"));
  new_access = access_token_of (refreshed_json);
  g_assert_cmpuint (get_as (server, "/api/v1/users/me", new_access), ==, 200);

  /* 6. The spent refresh token again: theft. The whole session ends, at once. */
  reused = post_json (server, "/api/v1/auth/refresh", refresh_body, anonymous);
  g_assert_cmpuint (reused->status, ==, 401);
  second_refresh_body = g_strdup_printf ("{\"refresh_token\":\"%s\"}",
                                         json_object_get_string_member (object_of (refreshed_json), "refresh_token"));
  after_reuse = post_json (server, "/api/v1/auth/refresh", second_refresh_body, anonymous);
  g_assert_cmpuint (after_reuse->status, ==, 401);
  g_assert_cmpuint (get_as (server, "/api/v1/users/me", new_access), ==, 401);

  /* 7. Sign in again and sign out: the access token stops at once. */
  {
    g_autoptr(JsonNode) again = login (server, "alice", VIEWER_PASSWORD, 200);
    g_autofree char *token = access_token_of (again);
    g_autofree char *authorization = bearer (token);
    const char * const headers[] = { "Authorization", authorization, NULL };
    g_autoptr(BourseTestResponse) logout = post_json (server, "/api/v1/auth/logout", "{}", headers);

    g_assert_cmpuint (logout->status, ==, 204);
    g_assert_cmpuint (get_as (server, "/api/v1/users/me", token), ==, 401);
  }

  /* Every step is in the audit trail, and the chain holds. */
  {
    g_autoptr(BourseTestResponse) audit = bourse_test_fetch (server, "GET", "/api/v1/audit?limit=500", NULL, NULL, NULL, 0);
    g_autoptr(BourseTestResponse) verify = bourse_test_fetch (server, "GET", "/api/v1/audit/verify", NULL, NULL, NULL, 0);
    g_autoptr(JsonNode) audit_json = bourse_test_response_json (audit);
    g_autoptr(JsonNode) verify_json = bourse_test_response_json (verify);
    g_autofree char *text = g_strndup (g_bytes_get_data (audit->body, NULL), g_bytes_get_size (audit->body));
    static const char * const actions[] = { "user.register", "auth.login.refused", "user.approve", "auth.login",
                                            "auth.refresh", "auth.session.revoke" };

    for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
      {
        g_autofree char *needle = g_strdup_printf ("\"action\":\"%s\"", actions[i]);
        g_assert_nonnull (strstr (text, needle));
      }
    /* No password or token in the trail. */
    g_assert_null (strstr (text, VIEWER_PASSWORD));
    g_assert_null (strstr (text, access));
    g_assert_true (json_object_get_boolean_member (object_of (verify_json), "ok"));
    g_assert_cmpint (json_object_get_int_member (object_of (verify_json), "checked"), >=, G_N_ELEMENTS (actions));
    g_assert_cmpint (json_array_get_length (json_object_get_array_member (object_of (audit_json), "items")), >=,
                     G_N_ELEMENTS (actions));
  }

  bourse_test_server_free (server);
}

static void
test_bad_input (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  const char * const anonymous[] = { "Authorization", "", NULL };
  static const struct { const char *body; guint status; const char *field; } cases[] = {
    { "{\"username\":\"Al\",\"email\":\"al@example.org\",\"password\":\"" VIEWER_PASSWORD "\"}", 422, "username" },
    { "{\"username\":\"bob smith\",\"email\":\"b@example.org\",\"password\":\"" VIEWER_PASSWORD "\"}", 422, "username" },
    { "{\"username\":\"bob\",\"email\":\"not-an-address\",\"password\":\"" VIEWER_PASSWORD "\"}", 422, "email" },
    { "{\"username\":\"bob\",\"email\":\"bob@example.org\",\"password\":\"short\"}", 422, "password" },
    { "{\"username\":\"bob\",\"email\":\"bob@example.org\",\"password\":\"password1234\"}", 422, "password" },
    { "{\"username\":\"bob\",\"email\":\"bob@example.org\"}", 422, "password" },
    { "{\"username\":\"carol\",\"email\":\"carol@example.org\",\"password\":\"" VIEWER_PASSWORD "\"}", 201, NULL },
    { "{\"username\":\"carol\",\"email\":\"other@example.org\",\"password\":\"" VIEWER_PASSWORD "\"}", 409, NULL },
    { "{\"username\":\"dave\",\"email\":\"CAROL@example.org\",\"password\":\"" VIEWER_PASSWORD "\"}", 409, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BourseTestResponse) response = post_json (server, "/api/v1/auth/register", cases[i].body, anonymous);
      g_autoptr(JsonNode) node = bourse_test_response_json (response);

      g_test_message ("case %u: %u", i, response->status);
      g_assert_cmpuint (response->status, ==, cases[i].status);
      if (cases[i].field != NULL)
        {
          JsonArray *errors = json_object_get_array_member (object_of (node), "errors");
          g_assert_cmpuint (json_array_get_length (errors), ==, 1);
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (errors, 0), "field"), ==,
                           cases[i].field);
        }
    }

  bourse_test_server_free (server);
}

static void
test_admin_manages_users (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  gint64 id = create_user (server, "trader1", "trader", TRADER_PASSWORD);
  g_autofree char *path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, id);
  g_autoptr(JsonNode) tokens = login (server, "trader1", TRADER_PASSWORD, 200);
  g_autofree char *token = access_token_of (tokens);
  g_autoptr(BourseTestResponse) list = bourse_test_fetch (server, "GET", "/api/v1/users", NULL, NULL, NULL, 0);
  g_autoptr(BourseTestResponse) demote = NULL;
  g_autoptr(BourseTestResponse) disable = NULL;
  g_autoptr(BourseTestResponse) bad_role = NULL;
  g_autoptr(BourseTestResponse) removed = NULL;
  g_autoptr(BourseTestResponse) gone = NULL;
  g_autoptr(JsonNode) disabled_login = NULL;

  g_assert_cmpuint (list->status, ==, 200);

  /* A role change applies to tokens already out, not only new ones. */
  g_assert_cmpuint (get_as (server, "/api/v1/sessions", token), ==, 200);
  bad_role = bourse_test_fetch (server, "PATCH", path, NULL, "application/json", "{\"role\":\"king\"}", -1);
  g_assert_cmpuint (bad_role->status, ==, 422);
  demote = bourse_test_fetch (server, "PATCH", path, NULL, "application/json", "{\"role\":\"viewer\"}", -1);
  g_assert_cmpuint (demote->status, ==, 200);

  disable = bourse_test_fetch (server, "PATCH", path, NULL, "application/json", "{\"status\":\"disabled\"}", -1);
  g_assert_cmpuint (disable->status, ==, 200);
  g_assert_cmpuint (get_as (server, "/api/v1/users/me", token), ==, 401);
  disabled_login = login (server, "trader1", TRADER_PASSWORD, 403);

  removed = bourse_test_fetch (server, "DELETE", path, NULL, NULL, NULL, 0);
  g_assert_cmpuint (removed->status, ==, 204);
  gone = bourse_test_fetch (server, "DELETE", path, NULL, NULL, NULL, 0);
  g_assert_cmpuint (gone->status, ==, 404);

  bourse_test_server_free (server);
}

/* Hand-made tokens must all be refused. */
static char *
base64url (const char *text)
{
  g_autofree char *standard = g_base64_encode ((const guchar *)text, strlen (text));
  GString *out = g_string_new (NULL);

  for (const char *p = standard; *p && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (out, FALSE);
}

static void
test_forged_tokens (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autoptr(JsonNode) tokens = NULL;
  g_autofree char *token = NULL;
  g_autofree char *none_header = base64url ("{\"alg\":\"none\",\"typ\":\"JWT\"}");
  g_autofree char *payload = NULL;
  g_autofree char *admin_payload = NULL;
  g_autofree char *forged_none = NULL;
  g_autofree char *edited = NULL;
  g_auto(GStrv) parts = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  create_user (server, "victor", "viewer", VIEWER_PASSWORD);
  tokens = login (server, "victor", VIEWER_PASSWORD, 200);
  token = access_token_of (tokens);
  parts = g_strsplit (token, ".", 3);

  payload = g_strdup_printf ("{\"sub\":\"1\",\"role\":\"admin\",\"sid\":\"1\",\"iat\":%" G_GINT64_FORMAT
                             ",\"exp\":%" G_GINT64_FORMAT ",\"jti\":\"x\"}", now, now + 600);
  admin_payload = base64url (payload);
  forged_none = g_strdup_printf ("%s.%s.", none_header, admin_payload);
  edited = g_strdup_printf ("%s.%s.%s", parts[0], admin_payload, parts[2]);

  g_assert_cmpuint (get_as (server, "/api/v1/users/me", token), ==, 200);
  g_assert_cmpuint (get_as (server, "/api/v1/users", forged_none), ==, 401);
  g_assert_cmpuint (get_as (server, "/api/v1/users", edited), ==, 401);
  g_assert_cmpuint (get_as (server, "/api/v1/users", "garbage"), ==, 401);
  g_assert_cmpuint (get_as (server, "/api/v1/users", NULL), ==, 401);

  bourse_test_server_free (server);
}

static void
test_login_throttle (void)
{
  static const char * const settings[] = {
    "auth", "password_opslimit", "1", "auth", "password_memlimit_kib", "8", "auth", "secrets_backend", "file",
    "auth", "login_free_failures", "3", NULL
  };
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  const char * const anonymous[] = { "Authorization", "", NULL };

  create_user (server, "mallory", "viewer", VIEWER_PASSWORD);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonNode) failed = login (server, "mallory", "wrong password entirely", 401);
    }

  /* The fourth try within the delay is refused before the password is looked at. */
  {
    g_autoptr(BourseTestResponse) response =
      post_json (server, "/api/v1/auth/login", "{\"username\":\"mallory\",\"password\":\"" VIEWER_PASSWORD "\"}",
                 anonymous);
    g_autoptr(JsonNode) node = bourse_test_response_json (response);

    g_assert_cmpuint (response->status, ==, 429);
    g_assert_cmpstr (bourse_test_response_header (response, "Retry-After"), ==, "1");
    g_assert_cmpstr (json_object_get_string_member (object_of (node), "title"), ==, "Too Many Requests");
  }

  bourse_test_spin (1100);
  {
    g_autoptr(JsonNode) ok = login (server, "mallory", VIEWER_PASSWORD, 200);
  }

  bourse_test_server_free (server);
}

static char *
create_api_key (BourseTestServer *server,
                const char       *token,
                const char       *body,
                guint             expected_status,
                gint64           *id)
{
  g_autofree char *authorization = bearer (token);
  const char * const headers[] = { "Authorization", authorization, NULL };
  g_autoptr(BourseTestResponse) response = post_json (server, "/api/v1/api-keys", body, headers);
  g_autoptr(JsonNode) node = bourse_test_response_json (response);

  g_assert_cmpuint (response->status, ==, expected_status);
  if (expected_status != 201)
    return NULL;
  g_assert_cmpstr (bourse_test_response_header (response, "Cache-Control"), ==, "no-store");
  if (id != NULL)
    *id = json_object_get_int_member (object_of (node), "id");
  return g_strdup (json_object_get_string_member (object_of (node), "key"));
}

static guint
get_with_key (BourseTestServer *server,
              const char       *path,
              const char       *key)
{
  const char * const headers[] = { "Authorization", "", "X-API-Key", key, NULL };
  g_autoptr(BourseTestResponse) response = bourse_test_fetch (server, "GET", path, headers, NULL, NULL, 0);

  return response->status;
}

/* The whole route table against every role: anonymous gets 401 on every
 * route that needs a permission, each role gets 403 exactly where the
 * matrix says no, and every route names a permission the matrix knows. */
static void
test_route_matrix (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  BourseRouter *router = bourse_server_get_router (server->server);
  static const char *role_names[] = { "viewer", "trader", "admin", "trader" };
  char *tokens[4];   /* three bearer tokens, then an admin's API key made for trading */
  guint checked = 0;

  create_user (server, "vera", "viewer", VIEWER_PASSWORD);
  create_user (server, "tom", "trader", TRADER_PASSWORD);
  create_user (server, "ada", "admin", ADMIN_PASSWORD);
  {
    g_autoptr(JsonNode) v = login (server, "vera", VIEWER_PASSWORD, 200);
    g_autoptr(JsonNode) t = login (server, "tom", TRADER_PASSWORD, 200);
    g_autoptr(JsonNode) a = login (server, "ada", ADMIN_PASSWORD, 200);
    tokens[0] = access_token_of (v);
    tokens[1] = access_token_of (t);
    tokens[2] = access_token_of (a);
    tokens[3] = create_api_key (server, tokens[2], "{\"name\":\"matrix\",\"role\":\"trader\"}", 201, NULL);
  }

  /* Logout ends the session the walk runs on: walk it last. */
  g_autoptr(GPtrArray) routes = g_ptr_array_new ();
  const BourseRoute *logout = NULL;

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
      g_autoptr(GString) path = g_string_new (NULL);
      g_auto(GStrv) segments = g_strsplit (route->pattern, "/", -1);

      /* {id} → an id no row has: permission is checked before existence. */
      for (guint s = 0; segments[s] != NULL; s++)
        {
          if (segments[s][0] == '\0')
            continue;
          g_string_append_c (path, '/');
          g_string_append (path, segments[s][0] == '{' ? "999999" : segments[s]);
        }

      if (route->permission == NULL)
        continue;
      g_assert_true (bourse_permission_is_known (route->permission));

      for (int who = -1; who < 4; who++)
        {
          g_autofree char *authorization = who < 0 || who == 3 ? g_strdup ("") : bearer (tokens[who]);
          const char * const headers[] = { "Authorization", authorization,
                                           who == 3 ? "X-API-Key" : NULL, who == 3 ? tokens[3] : NULL, NULL };
          g_autoptr(BourseTestResponse) response =
            bourse_test_fetch (server, route->method, path->str, headers,
                               g_str_equal (route->method, "GET") || g_str_equal (route->method, "DELETE")
                                 ? NULL : "application/json",
                               g_str_equal (route->method, "GET") || g_str_equal (route->method, "DELETE")
                                 ? NULL : "{}", -1);
          BourseRole role;

          g_test_message ("%s %s as %s%s → %u", route->method, path->str, who < 0 ? "anonymous" : role_names[who],
                          who == 3 ? " (API key)" : "",
                          response->status);
          if (who < 0)
            {
              g_assert_cmpuint (response->status, ==, 401);
              g_assert_nonnull (bourse_test_response_header (response, "WWW-Authenticate"));
              continue;
            }

          g_assert_true (bourse_role_parse (role_names[who], &role));
          if (bourse_role_has_permission (role, route->permission))
            {
              g_assert_cmpuint (response->status, !=, 401);
              g_assert_cmpuint (response->status, !=, 403);
            }
          else
            g_assert_cmpuint (response->status, ==, 403);
          checked++;
        }
    }

  /* Not an accident of an empty table. */
  g_assert_cmpuint (checked, >=, 4 * 15);

  for (guint i = 0; i < 4; i++)
    g_free (tokens[i]);
  bourse_test_server_free (server);
}

static void
test_api_keys (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autoptr(JsonNode) trader_tokens = NULL;
  g_autoptr(JsonNode) admin_tokens = NULL;
  g_autofree char *trader = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *trader_key = NULL;
  g_autofree char *admin_key_as_viewer = NULL;
  g_autofree char *too_high = NULL;
  g_autofree char *delete_path = NULL;
  gint64 trader_key_id = 0;

  create_user (server, "tina", "trader", TRADER_PASSWORD);
  create_user (server, "adam", "admin", ADMIN_PASSWORD);
  trader_tokens = login (server, "tina", TRADER_PASSWORD, 200);
  admin_tokens = login (server, "adam", ADMIN_PASSWORD, 200);
  trader = access_token_of (trader_tokens);
  admin = access_token_of (admin_tokens);

  /* No higher than the creator's role; a name is required. */
  too_high = create_api_key (server, trader, "{\"name\":\"bot\",\"role\":\"admin\"}", 422, NULL);
  g_assert_null (create_api_key (server, trader, "{\"role\":\"viewer\"}", 422, NULL));
  g_assert_null (create_api_key (server, trader, "{\"name\":\"old\",\"expires_at\":\"2001-01-01T00:00:00Z\"}", 422, NULL));

  trader_key = create_api_key (server, trader, "{\"name\":\"bot\"}", 201, &trader_key_id);
  g_assert_true (g_str_has_prefix (trader_key, "bk_"));
  g_assert_cmpuint (get_with_key (server, "/api/v1/users/me", trader_key), ==, 200);
  g_assert_cmpuint (get_with_key (server, "/api/v1/users", trader_key), ==, 403);
  g_assert_cmpuint (get_with_key (server, "/api/v1/users/me", "bk_not-a-real-key"), ==, 401);

  /* An admin's key made for viewing is a viewer. */
  admin_key_as_viewer = create_api_key (server, admin, "{\"name\":\"dashboard\",\"role\":\"viewer\"}", 201, NULL);
  g_assert_cmpuint (get_with_key (server, "/api/v1/users", admin_key_as_viewer), ==, 403);
  g_assert_cmpuint (get_with_key (server, "/api/v1/system/status", admin_key_as_viewer), ==, 200);

  /* Listed with its prefix, never the key; the audit trail has no key either. */
  {
    g_autofree char *authorization = bearer (trader);
    const char * const headers[] = { "Authorization", authorization, NULL };
    g_autoptr(BourseTestResponse) list = bourse_test_fetch (server, "GET", "/api/v1/api-keys", headers, NULL, NULL, 0);
    g_autoptr(BourseTestResponse) audit = bourse_test_fetch (server, "GET", "/api/v1/audit?limit=500", NULL, NULL, NULL, 0);
    g_autofree char *list_text = g_strndup (g_bytes_get_data (list->body, NULL), g_bytes_get_size (list->body));
    g_autofree char *audit_text = g_strndup (g_bytes_get_data (audit->body, NULL), g_bytes_get_size (audit->body));

    g_assert_cmpuint (list->status, ==, 200);
    g_assert_nonnull (strstr (list_text, "\"name\":\"bot\""));
    g_assert_null (strstr (list_text, "dashboard"));  /* only own keys */
    g_assert_null (strstr (list_text, trader_key));
    g_assert_null (strstr (audit_text, trader_key));
    g_assert_nonnull (strstr (audit_text, "api_key.create"));
  }

  /* An admin sees everyone's keys, or only its own with scope=own. */
  {
    g_autofree char *authorization = bearer (admin);
    const char * const headers[] = { "Authorization", authorization, NULL };
    g_autoptr(BourseTestResponse) all = bourse_test_fetch (server, "GET", "/api/v1/api-keys", headers, NULL, NULL, 0);
    g_autoptr(BourseTestResponse) own = bourse_test_fetch (server, "GET", "/api/v1/api-keys?scope=own", headers,
                                                           NULL, NULL, 0);
    g_autofree char *all_text = g_strndup (g_bytes_get_data (all->body, NULL), g_bytes_get_size (all->body));
    g_autofree char *own_text = g_strndup (g_bytes_get_data (own->body, NULL), g_bytes_get_size (own->body));

    g_assert_nonnull (strstr (all_text, "\"name\":\"bot\""));
    g_assert_nonnull (strstr (all_text, "dashboard"));
    g_assert_null (strstr (own_text, "\"name\":\"bot\""));
    g_assert_nonnull (strstr (own_text, "dashboard"));
  }

  /* Revoked: refused at once. */
  delete_path = g_strdup_printf ("/api/v1/api-keys/%" G_GINT64_FORMAT, trader_key_id);
  {
    g_autofree char *authorization = bearer (trader);
    const char * const headers[] = { "Authorization", authorization, NULL };
    g_autoptr(BourseTestResponse) revoked = bourse_test_fetch (server, "DELETE", delete_path, headers, NULL, NULL, 0);
    g_autoptr(BourseTestResponse) again = bourse_test_fetch (server, "DELETE", delete_path, headers, NULL, NULL, 0);

    g_assert_cmpuint (revoked->status, ==, 204);
    g_assert_cmpuint (again->status, ==, 404);
  }
  g_assert_cmpuint (get_with_key (server, "/api/v1/users/me", trader_key), ==, 401);

  bourse_test_server_free (server);
}

static void
test_rate_limits (void)
{
  static const char * const settings[] = {
    "auth", "password_opslimit", "1", "auth", "password_memlimit_kib", "8", "auth", "secrets_backend", "file",
    "rate_limit", "enabled", "true", "rate_limit", "auth_per_minute", "3", "rate_limit", "default_per_minute", "1",
    NULL
  };
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  const char * const anonymous[] = { "Authorization", "", NULL };

  /* The auth group: three a minute from this address, whatever the outcome. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(BourseTestResponse) response =
        post_json (server, "/api/v1/auth/login", "{\"username\":\"nobody\",\"password\":\"whatever it is\"}", anonymous);
      g_assert_cmpuint (response->status, ==, 401);
    }
  {
    g_autoptr(BourseTestResponse) limited =
      post_json (server, "/api/v1/auth/login", "{\"username\":\"nobody\",\"password\":\"whatever it is\"}", anonymous);
    const char *retry_after = bourse_test_response_header (limited, "Retry-After");

    g_assert_cmpuint (limited->status, ==, 429);
    g_assert_nonnull (retry_after);
    g_assert_cmpint (atoi (retry_after), >=, 1);
    g_assert_cmpint (atoi (retry_after), <=, 20);
  }

  /* Refreshing a token has a budget of its own: a client locked out of
   * signing in can still refresh (here a bad token: 401, not 429). */
  {
    g_autoptr(BourseTestResponse) refresh =
      post_json (server, "/api/v1/auth/refresh", "{\"refresh_token\":\"not-a-token\"}", anonymous);

    g_assert_cmpuint (refresh->status, ==, 401);
  }

  /* Other groups have buckets of their own; the local owner is desk tier
   * (×20: 20 a minute here). Slow builds refill meanwhile, so allow exactly
   * what the bucket may have regained over the measured time. */
  {
    gint64 started = g_get_monotonic_time ();
    guint allowed = 0;
    gboolean limited = FALSE;

    while (!limited && allowed < 60)
      {
        g_autoptr(BourseTestResponse) response = bourse_test_fetch (server, "GET", "/api/v1/version", NULL, NULL, NULL, 0);

        if (response->status == 429)
          limited = TRUE;
        else
          {
            g_assert_cmpuint (response->status, ==, 200);
            allowed++;
          }
      }

    g_assert_true (limited);
    g_assert_cmpuint (allowed, >=, 20);
    g_assert_cmpuint (allowed, <=, 20 + 1 + (g_get_monotonic_time () - started) / (3 * G_USEC_PER_SEC));
  }
  /* Health checks are never limited. */
  {
    g_autoptr(BourseTestResponse) health = bourse_test_fetch (server, "GET", "/health", anonymous, NULL, NULL, 0);
    g_assert_cmpuint (health->status, ==, 200);
  }

  bourse_test_server_free (server);
}

typedef struct
{
  SoupWebsocketConnection *connection;
  GError                  *error;
  GPtrArray               *messages;
  gboolean                 done;
  gboolean                 closed;
} Socket;

static void
socket_message_cb (SoupWebsocketConnection *connection,
                   int                      type,
                   GBytes                  *message,
                   Socket                  *socket)
{
  g_ptr_array_add (socket->messages, g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message)));
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
flag (gpointer data)
{
  return *(gboolean *)data;
}

static gboolean
has_messages (gpointer data)
{
  return ((Socket *)data)->messages->len >= 2;
}

static void
test_websocket_session_end (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autoptr(JsonNode) tokens = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) message = NULL;
  Socket socket = { 0 };

  create_user (server, "wanda", "viewer", VIEWER_PASSWORD);
  tokens = login (server, "wanda", VIEWER_PASSWORD, 200);
  token = access_token_of (tokens);
  url = g_strdup_printf ("ws://127.0.0.1:%u/api/v1/ws?token=%s", bourse_server_get_port (server->server), token);
  message = soup_message_new ("GET", url);
  socket.messages = g_ptr_array_new_with_free_func (g_free);
  soup_session_websocket_connect_async (server->session, message, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        socket_connected_cb, &socket);
  bourse_test_wait_until (flag, &socket.done, 5000, "WebSocket");
  g_assert_no_error (socket.error);

  /* Account alerts are for administrators. */
  soup_websocket_connection_send_text (socket.connection, "{\"type\":\"subscribe\",\"topics\":[\"alerts\"]}");
  soup_websocket_connection_send_text (socket.connection, "{\"type\":\"subscribe\",\"topics\":[\"system\"]}");
  bourse_test_wait_until (has_messages, &socket, 5000, "answers");
  g_assert_nonnull (strstr (g_ptr_array_index (socket.messages, 0), "\"type\":\"error\""));
  g_assert_nonnull (strstr (g_ptr_array_index (socket.messages, 1), "\"type\":\"subscribed\""));

  /* Signing out elsewhere ends the socket at once. */
  {
    g_autofree char *authorization = bearer (token);
    const char * const headers[] = { "Authorization", authorization, NULL };
    g_autoptr(BourseTestResponse) logout = post_json (server, "/api/v1/auth/logout", "{}", headers);
    g_assert_cmpuint (logout->status, ==, 204);
  }
  bourse_test_wait_until (flag, &socket.closed, 5000, "the socket of the ended session to close");
  g_assert_cmpuint (soup_websocket_connection_get_close_code (socket.connection), ==,
                    SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
  g_assert_cmpstr (soup_websocket_connection_get_close_data (socket.connection), ==, "session ended");

  g_signal_handlers_disconnect_by_data (socket.connection, &socket);
  g_clear_object (&socket.connection);
  g_ptr_array_unref (socket.messages);
  bourse_test_server_free (server);
}

static void
test_websocket_needs_token (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autofree char *anonymous = g_strdup ("GET /api/v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                         "Connection: Upgrade, close\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                         "Sec-WebSocket-Version: 13\r\n\r\n");
  g_autofree char *forged = g_strdup ("GET /api/v1/ws?token=nope HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                      "Connection: Upgrade, close\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                      "Sec-WebSocket-Version: 13\r\n\r\n");
  g_autofree char *raw_anonymous = bourse_test_raw_request (server, anonymous);
  g_autofree char *raw_forged = bourse_test_raw_request (server, forged);

  g_assert_true (g_str_has_prefix (raw_anonymous, "HTTP/1.1 401"));
  g_assert_true (g_str_has_prefix (raw_forged, "HTTP/1.1 401"));
  g_assert_cmpuint (bourse_server_get_n_websockets (server->server), ==, 0);

  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/accounts/lifecycle", test_lifecycle);
  g_test_add_func ("/accounts/bad-input", test_bad_input);
  g_test_add_func ("/accounts/admin-manages-users", test_admin_manages_users);
  g_test_add_func ("/accounts/forged-tokens", test_forged_tokens);
  g_test_add_func ("/accounts/login-throttle", test_login_throttle);
  g_test_add_func ("/accounts/route-matrix", test_route_matrix);
  g_test_add_func ("/accounts/api-keys", test_api_keys);
  g_test_add_func ("/accounts/rate-limits", test_rate_limits);
  g_test_add_func ("/accounts/websocket-needs-token", test_websocket_needs_token);
  g_test_add_func ("/accounts/websocket-session-end", test_websocket_session_end);

  return g_test_run ();
}
