/* test-pam.c — authenticator plugins: the database, the system's accounts through PAM, a module
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PAM cases run under pam_wrapper (tests/data/pam): the "bourse" service
 * is pam_matrix reading tests/data/pam/passdb. Without pam_wrapper they skip.
 */

#include "config.h"

#include "auth/bourse-authenticator.h"

#include "bourse-test-server.h"

/* From tests/data/pam/passdb. */
#define PAM_PASSWORD     "tr1ton-lagoon-9"
#define SSH_PASSWORD     "another-system-pw"
#define LOCAL_PASSWORD   "a long and winding road 42"

static const char * const fast_hashing[] = {
  "auth", "password_opslimit", "1",
  "auth", "password_memlimit_kib", "8",
  "auth", "secrets_backend", "file",
  NULL
};

static gboolean
have_pam_wrapper (void)
{
  if (g_strcmp0 (g_getenv ("PAM_WRAPPER"), "1") == 0)
    return TRUE;
  g_test_skip ("pam_wrapper not installed");
  return FALSE;
}

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static BourseTestResponse *
send_json (BourseTestServer *server,
           const char       *method,
           const char       *path,
           const char       *token,
           const char       *body)
{
  g_autofree char *authorization = token ? g_strconcat ("Bearer ", token, NULL) : NULL;
  const char * const headers[] = { "Authorization", authorization, NULL };

  return bourse_test_fetch (server, method, path, token ? headers : NULL, "application/json", body, -1);
}

/* The new account's id; fails the test unless the answer is 201. */
static gint64
map_account (BourseTestServer *server,
             const char       *username,
             const char       *role)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.org\",\"role\":\"%s\","
                                           "\"auth_source\":\"pam\"}", username, username, role);
  g_autoptr(BourseTestResponse) response = send_json (server, "POST", "/api/v1/users", NULL, body);
  g_autoptr(JsonNode) node = bourse_test_response_json (response);

  g_assert_cmpuint (response->status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (object_of (node), "auth_source"), ==, "pam");
  g_assert_cmpstr (json_object_get_string_member (object_of (node), "status"), ==, "active");
  g_assert_cmpstr (json_object_get_string_member (object_of (node), "role"), ==, role);
  g_assert_false (json_object_has_member (object_of (node), "password_hash"));
  return json_object_get_int_member (object_of (node), "id");
}

/* The access token on success, else NULL. */
static char *
login (BourseTestServer *server,
       const char       *username,
       const char       *password,
       guint             expected_status)
{
  const char * const anonymous[] = { "Authorization", "", NULL };
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (server, "POST", "/api/v1/auth/login", anonymous, "application/json", body, -1);
  g_autoptr(JsonNode) node = bourse_test_response_json (response);

  g_test_message ("login %s: %u", username, response->status);
  g_assert_cmpuint (response->status, ==, expected_status);
  if (expected_status != 200)
    return NULL;
  return g_strdup (json_object_get_string_member (object_of (node), "access_token"));
}

static char *
audit_text (BourseTestServer *server)
{
  g_autoptr(BourseTestResponse) audit = bourse_test_fetch (server, "GET", "/api/v1/audit?limit=500", NULL, NULL, NULL, 0);

  g_assert_cmpuint (audit->status, ==, 200);
  return g_strndup (g_bytes_get_data (audit->body, NULL), g_bytes_get_size (audit->body));
}

static BourseUser *
stored_user (BourseTestServer *server,
             const char       *username)
{
  BourseStore *store = bourse_auth_get_store (bourse_engine_get_auth (server->engine));
  g_autoptr(GError) error = NULL;
  BourseUser *user = bourse_users_find_by_login (store, username, &error);

  g_assert_no_error (error);
  g_assert_nonnull (user);
  return user;
}

static void
test_registry (void)
{
  g_autoptr(GPtrArray) all = bourse_authenticators_list ();
  BourseAuthenticator *plugin = bourse_authenticator_lookup ("test");
  BourseUser user = { .id = 1, .username = (char *)"someone", .auth_source = (char *)"test" };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) parameters = NULL;
  gboolean seen_local = FALSE, seen_pam = FALSE, seen_test = FALSE;

  g_assert_null (bourse_authenticator_lookup ("no-such-method"));

  for (guint i = 0; i < all->len; i++)
    {
      BourseAuthenticator *authenticator = g_ptr_array_index (all, i);
      const char *id = bourse_authenticator_get_id (authenticator);
      const char *name = bourse_authenticator_get_name (authenticator);

      g_test_message ("%s: %s %s", id, name, bourse_authenticator_get_parameters (authenticator));
      parameters = json_from_string (bourse_authenticator_get_parameters (authenticator), &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (parameters));
      g_clear_pointer (&parameters, json_node_unref);

      if (g_str_equal (id, "local"))
        {
          g_assert_cmpstr (name, ==, "Bourse password");
          seen_local = TRUE;
        }
      else if (g_str_equal (id, "pam"))
        {
          g_assert_cmpstr (name, ==, "System account (PAM)");
          seen_pam = TRUE;
        }
      else if (g_str_equal (id, "test"))
        {
          g_assert_cmpstr (name, ==, "Test plugin");
          seen_test = TRUE;
        }
    }
  g_assert_true (seen_local && seen_pam);
  /* The built-ins come first; a module ranks as it asked. */
  g_assert_cmpstr (bourse_authenticator_get_id (g_ptr_array_index (all, 0)), ==, "local");

  /* A module from $BOURSE_PLUGIN_PATH, through the same extension point. */
  g_assert_true (seen_test);
  g_assert_nonnull (plugin);
  g_assert_cmpstr (bourse_authenticator_get_parameters (plugin), ==, "{}");
  g_assert_true (bourse_authenticator_verify (plugin, &user, "open sesame", &error));
  g_assert_no_error (error);
  g_assert_false (bourse_authenticator_verify (plugin, &user, "open barley", &error));
  g_assert_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED);
  g_assert_finalize_object (plugin);
}

static void
test_create_validation (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  static const struct { const char *body; guint status; const char *field; } cases[] = {
    /* Bourse never holds a PAM account's password. */
    { "{\"username\":\"erin\",\"email\":\"erin@example.org\",\"auth_source\":\"pam\",\"password\":\"" LOCAL_PASSWORD "\"}",
      422, "password" },
    { "{\"username\":\"erin\",\"email\":\"erin@example.org\",\"auth_source\":\"ldap\"}", 422, "auth_source" },
    { "{\"username\":\"erin\",\"email\":\"erin@example.org\",\"auth_source\":42}", 422, "auth_source" },
    { "{\"username\":\"erin\",\"email\":\"erin@example.org\",\"auth_source\":\"local\"}", 422, "password" },
    { "{\"username\":\"erin\",\"email\":\"erin@example.org\"}", 422, "password" },
    { "{\"username\":\"Erin\",\"email\":\"erin@example.org\",\"auth_source\":\"pam\"}", 422, "username" },
    { "{\"username\":\"erin\",\"email\":\"erin\",\"auth_source\":\"pam\"}", 422, "email" },
    { "{\"username\":\"erin\",\"email\":\"erin@example.org\",\"auth_source\":\"pam\",\"role\":\"boss\"}", 422, "role" },
    { "{\"username\":\"erin\",\"email\":\"erin@example.org\",\"auth_source\":\"pam\"}", 201, NULL },
    { "{\"username\":\"erin\",\"email\":\"other@example.org\",\"auth_source\":\"pam\"}", 409, NULL },
    { "{\"username\":\"frank\",\"email\":\"frank@example.org\",\"auth_source\":\"local\","
      "\"password\":\"" LOCAL_PASSWORD "\"}", 201, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BourseTestResponse) response = send_json (server, "POST", "/api/v1/users", NULL, cases[i].body);
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

  {
    g_autoptr(BourseUser) erin = stored_user (server, "erin");
    g_autoptr(BourseUser) frank = stored_user (server, "frank");

    g_assert_cmpstr (erin->auth_source, ==, "pam");
    g_assert_null (erin->password_hash);
    g_assert_cmpstr (frank->auth_source, ==, "local");
    g_assert_true (g_str_has_prefix (frank->password_hash, "$argon2id$"));
  }

  bourse_test_server_free (server);
}

static void
test_pam_sign_in (void)
{
  BourseTestServer *server;
  g_autofree char *token = NULL;
  g_autofree char *audit = NULL;
  g_autofree char *reset_path = NULL;
  g_autofree char *needle = NULL;
  gint64 id;

  if (!have_pam_wrapper ())
    return;

  server = bourse_test_server_new (TRUE, fast_hashing);

  /* An admin maps the system account to a role. */
  id = map_account (server, "pamuser", "trader");

  /* The system's password signs in; the role is the one the admin gave. */
  token = login (server, "pamuser", PAM_PASSWORD, 200);
  {
    g_autoptr(BourseTestResponse) me = send_json (server, "GET", "/api/v1/users/me", token, NULL);
    g_autoptr(JsonNode) node = bourse_test_response_json (me);

    g_assert_cmpuint (me->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (object_of (node), "role"), ==, "trader");
    g_assert_cmpstr (json_object_get_string_member (object_of (node), "auth_source"), ==, "pam");
    g_assert_false (json_object_get_null_member (object_of (node), "last_login_at"));
  }

  /* Anything else does not, and by e-mail address the same. */
  g_assert_null (login (server, "pamuser", "tr1ton-lagoon-8", 401));
  g_assert_null (login (server, "pamuser", "", 422));
  g_assert_null (login (server, "pamuser@example.org", "wrong", 401));
  g_clear_pointer (&token, g_free);
  token = login (server, "pamuser@example.org", PAM_PASSWORD, 200);

  /* Bourse never learnt the password: no hash was stored on the way. */
  {
    g_autoptr(BourseUser) user = stored_user (server, "pamuser");

    g_assert_null (user->password_hash);
    g_assert_nonnull (user->last_login_at);
  }

  /* The password is the system's to change, not Bourse's. */
  {
    g_autoptr(BourseTestResponse) change =
      send_json (server, "PATCH", "/api/v1/users/me", token,
                 "{\"password\":\"" LOCAL_PASSWORD "\",\"current_password\":\"" PAM_PASSWORD "\"}");
    g_autoptr(BourseTestResponse) reset = NULL;

    g_assert_cmpuint (change->status, ==, 409);
    reset_path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/reset-password", id);
    reset = send_json (server, "POST", reset_path, NULL, "{}");
    g_assert_cmpuint (reset->status, ==, 409);
    g_assert_null (login (server, "pamuser", LOCAL_PASSWORD, 401));
  }

  /* A disabled mapping stops the system password too. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, id);
    g_autoptr(BourseTestResponse) disable = send_json (server, "PATCH", path, NULL, "{\"status\":\"disabled\"}");

    g_assert_cmpuint (disable->status, ==, 200);
    g_assert_null (login (server, "pamuser", PAM_PASSWORD, 403));
  }

  /* Each step is in the trail; the password never is. */
  audit = audit_text (server);
  needle = g_strdup_printf ("\"target\":\"user:%" G_GINT64_FORMAT "\"", id);
  g_assert_nonnull (strstr (audit, needle));
  g_assert_nonnull (strstr (audit, "\"auth_source\":\"pam\""));
  for (guint i = 0; i < 4; i++)
    {
      static const char * const actions[] = { "user.create", "auth.login", "auth.login.failed", "auth.login.refused" };
      g_autofree char *action = g_strdup_printf ("\"action\":\"%s\"", actions[i]);

      g_assert_nonnull (strstr (audit, action));
    }
  g_assert_null (strstr (audit, PAM_PASSWORD));

  bourse_test_server_free (server);
}

static void
test_pam_account_checks (void)
{
  BourseTestServer *server;

  if (!have_pam_wrapper ())
    return;

  server = bourse_test_server_new (TRUE, fast_hashing);

  /* The right password, but the system lets this account use sshd only:
   * the account step refuses. */
  map_account (server, "sshonly", "viewer");
  g_assert_null (login (server, "sshonly", SSH_PASSWORD, 401));

  /* Mapped, but no such system account. */
  map_account (server, "ghost", "viewer");
  g_assert_null (login (server, "ghost", PAM_PASSWORD, 401));

  /* An account of the system that nobody mapped is no Bourse account. */
  g_assert_null (login (server, "pamuser", PAM_PASSWORD, 401));

  bourse_test_server_free (server);
}

static void
test_local_alongside (void)
{
  BourseTestServer *server;
  g_autoptr(BourseTestResponse) created = NULL;
  g_autofree char *token = NULL;

  if (!have_pam_wrapper ())
    return;

  server = bourse_test_server_new (TRUE, fast_hashing);
  created = send_json (server, "POST", "/api/v1/users", NULL,
                       "{\"username\":\"local1\",\"email\":\"local1@example.org\",\"role\":\"viewer\","
                       "\"password\":\"" LOCAL_PASSWORD "\"}");
  g_assert_cmpuint (created->status, ==, 201);
  map_account (server, "pamuser", "trader");

  /* argon2id as before, with PAM in the same process. */
  token = login (server, "local1", LOCAL_PASSWORD, 200);
  g_assert_null (login (server, "local1", "not the password", 401));

  /* Each account goes to its own method only: a Bourse password does not
   * open a PAM account, nor the reverse. */
  g_assert_null (login (server, "pamuser", LOCAL_PASSWORD, 401));
  g_assert_null (login (server, "local1", PAM_PASSWORD, 401));
  g_clear_pointer (&token, g_free);
  token = login (server, "pamuser", PAM_PASSWORD, 200);

  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pam/registry", test_registry);
  g_test_add_func ("/pam/create-validation", test_create_validation);
  g_test_add_func ("/pam/sign-in", test_pam_sign_in);
  g_test_add_func ("/pam/account-checks", test_pam_account_checks);
  g_test_add_func ("/pam/local-alongside", test_local_alongside);

  return g_test_run ();
}
