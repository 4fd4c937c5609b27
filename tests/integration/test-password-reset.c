/* test-password-reset.c — password resets and changing one's own profile, over HTTP
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "core/bourse-time.h"

#include "bourse-test-server.h"

#define OLD_PASSWORD    "a long and winding road 42"
#define NEW_PASSWORD    "seven hundred red balloons"
#define OTHER_PASSWORD  "correct horse battery staple"

/* Cheap hashing keeps the suite fast under sanitizers; the cost settings
 * themselves are tested in test-password. */
static const char * const fast_hashing[] = {
  "auth", "password_opslimit", "1",
  "auth", "password_memlimit_kib", "8",
  "auth", "secrets_backend", "file",
  /* Many sign-ins from one address; test-accounts tests the limits. */
  "rate_limit", "enabled", "false",
  NULL
};

static const char * const anonymous[] = { "Authorization", "", NULL };

/* Everything logged, so a test can prove a token never reached the log. */
static GString *log_text;

static GLogWriterOutput
record_log_writer (GLogLevelFlags   level,
                   const GLogField *fields,
                   gsize            n_fields,
                   gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0)
      g_string_append_printf (log_text, "%s=%s\n", fields[i].key, (const char *)fields[i].value);
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static char *
body_text (BourseTestResponse *response)
{
  return g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
}

static BourseTestResponse *
send_json (BourseTestServer *server,
           const char       *method,
           const char       *path,
           const char       *token,
           const char       *body)
{
  g_autofree char *authorization = token ? g_strconcat ("Bearer ", token, NULL) : NULL;
  const char * const as_user[] = { "Authorization", authorization, NULL };

  /* token NULL: as the harness's local owner (an admin); "" anonymous. */
  return bourse_test_fetch (server, method, path,
                            token == NULL ? NULL : token[0] == '\0' ? anonymous : as_user,
                            "application/json", body, -1);
}

static guint
status_of_get (BourseTestServer *server,
               const char       *path,
               const char       *token)
{
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  const char * const headers[] = { "Authorization", authorization, NULL };
  g_autoptr(BourseTestResponse) response = bourse_test_fetch (server, "GET", path, headers, NULL, NULL, 0);

  return response->status;
}

/* The field the problem's only error names. */
static char *
error_field (BourseTestResponse *response)
{
  g_autoptr(JsonNode) node = bourse_test_response_json (response);
  JsonArray *errors = json_object_get_array_member (object_of (node), "errors");

  g_assert_cmpstr (bourse_test_response_header (response, "Content-Type"), ==, "application/problem+json");
  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (errors, 0), "field"));
}

static gint64
create_user (BourseTestServer *server,
             const char       *name,
             const char       *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.org\","
                                           "\"password\":\"%s\",\"role\":\"trader\"}", name, name, password);
  g_autoptr(BourseTestResponse) response = send_json (server, "POST", "/api/v1/users", NULL, body);
  g_autoptr(JsonNode) node = bourse_test_response_json (response);

  g_assert_cmpuint (response->status, ==, 201);
  return json_object_get_int_member (object_of (node), "id");
}

/* An access token, or NULL when the sign-in is refused with expected_status. */
static char *
login (BourseTestServer *server,
       const char       *name,
       const char       *password,
       guint             expected_status)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", name, password);
  g_autoptr(BourseTestResponse) response = send_json (server, "POST", "/api/v1/auth/login", "", body);
  g_autoptr(JsonNode) node = bourse_test_response_json (response);

  g_assert_cmpuint (response->status, ==, expected_status);
  if (expected_status != 200)
    return NULL;
  return g_strdup (json_object_get_string_member (object_of (node), "access_token"));
}

static guint
confirm (BourseTestServer *server,
         const char       *token,
         const char       *new_password,
         char            **field)
{
  g_autofree char *body = g_strdup_printf ("{\"token\":\"%s\",\"new_password\":\"%s\"}", token, new_password);
  g_autoptr(BourseTestResponse) response =
    send_json (server, "POST", "/api/v1/auth/password-reset/confirm", "", body);

  if (field != NULL)
    *field = response->status == 422 ? error_field (response) : NULL;
  return response->status;
}

/* An admin's reset of user id: the token, checked for shape and caching. */
static char *
admin_reset (BourseTestServer *server,
             gint64            id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/reset-password", id);
  g_autoptr(BourseTestResponse) response = send_json (server, "POST", path, NULL, "{}");
  g_autoptr(JsonNode) node = bourse_test_response_json (response);
  const char *token, *expires_at;
  gint64 expires_ms = 0;

  g_assert_cmpuint (response->status, ==, 201);
  g_assert_cmpstr (bourse_test_response_header (response, "Cache-Control"), ==, "no-store");
  token = json_object_get_string_member (object_of (node), "reset_token");
  expires_at = json_object_get_string_member (object_of (node), "expires_at");
  /* 256 bits in unpadded base64url. */
  g_assert_cmpuint (strlen (token), ==, 43);
  g_assert_true (bourse_time_parse_rfc3339 (expires_at, &expires_ms, NULL));
  g_assert_cmpint (ABS (expires_ms - (g_get_real_time () / 1000 + 30 * 60 * 1000)), <, 60 * 1000);
  return g_strdup (token);
}

static void
session_revoked_cb (BourseAuth *auth,
                    gint64      session_id,
                    GArray     *revoked)
{
  g_array_append_val (revoked, session_id);
}

/* Sessions announced as ended (so the server closes their WebSockets). */
static GArray *
watch_revocations (BourseTestServer *server)
{
  GArray *revoked = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_signal_connect (bourse_engine_get_auth (server->engine), "session-revoked", G_CALLBACK (session_revoked_cb),
                    revoked);
  return revoked;
}

static void
unwatch_revocations (BourseTestServer *server,
                     GArray           *revoked)
{
  g_signal_handlers_disconnect_by_data (bourse_engine_get_auth (server->engine), revoked);
  g_array_unref (revoked);
}

/* Neither the audit trail nor the log has ever seen a secret. */
static void
assert_never_recorded (BourseTestServer   *server,
                       const char * const *secrets,
                       const char * const *actions)
{
  g_autoptr(BourseTestResponse) audit = bourse_test_fetch (server, "GET", "/api/v1/audit?limit=500", NULL, NULL,
                                                           NULL, 0);
  g_autoptr(BourseTestResponse) verify = bourse_test_fetch (server, "GET", "/api/v1/audit/verify", NULL, NULL,
                                                            NULL, 0);
  g_autoptr(JsonNode) verdict = bourse_test_response_json (verify);
  g_autofree char *text = body_text (audit);

  g_assert_cmpuint (audit->status, ==, 200);
  /* The log did see the requests, so its check below is not vacuous. */
  g_assert_nonnull (strstr (log_text->str, "MESSAGE=POST /api/v1/"));
  for (guint i = 0; secrets[i] != NULL; i++)
    {
      g_assert_null (strstr (text, secrets[i]));
      g_assert_null (strstr (log_text->str, secrets[i]));
    }
  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_autofree char *needle = g_strdup_printf ("\"action\":\"%s\"", actions[i]);
      g_assert_nonnull (strstr (text, needle));
    }
  g_assert_true (json_object_get_boolean_member (object_of (verdict), "ok"));
}

static void
test_admin_reset (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  gint64 id = create_user (server, "alice", OLD_PASSWORD);
  g_autofree char *first_session = login (server, "alice", OLD_PASSWORD, 200);
  g_autofree char *second_session = login (server, "alice", OLD_PASSWORD, 200);
  g_autofree char *token = NULL;
  g_autofree char *replaced = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *signed_in = NULL;
  g_autofree char *field = NULL;
  GArray *revoked;

  g_assert_cmpuint (status_of_get (server, "/api/v1/users/me", first_session), ==, 200);

  /* A second reset voids the first. */
  replaced = admin_reset (server, id);
  token = admin_reset (server, id);
  g_assert_cmpstr (token, !=, replaced);
  g_assert_cmpuint (confirm (server, replaced, NEW_PASSWORD, &field), ==, 401);
  g_assert_null (field);

  revoked = watch_revocations (server);
  g_assert_cmpuint (confirm (server, token, NEW_PASSWORD, NULL), ==, 204);
  g_assert_cmpuint (revoked->len, ==, 2);
  unwatch_revocations (server, revoked);

  /* Every session of the account ended: whoever had the old password is out. */
  g_assert_cmpuint (status_of_get (server, "/api/v1/users/me", first_session), ==, 401);
  g_assert_cmpuint (status_of_get (server, "/api/v1/users/me", second_session), ==, 401);
  refused = login (server, "alice", OLD_PASSWORD, 401);
  signed_in = login (server, "alice", NEW_PASSWORD, 200);
  g_assert_cmpuint (status_of_get (server, "/api/v1/users/me", signed_in), ==, 200);

  /* One use only. */
  g_assert_cmpuint (confirm (server, token, OTHER_PASSWORD, NULL), ==, 401);
  g_clear_pointer (&signed_in, g_free);
  signed_in = login (server, "alice", NEW_PASSWORD, 200);

  /* No such account, and no permission for a non-admin. */
  {
    g_autoptr(BourseTestResponse) missing =
      send_json (server, "POST", "/api/v1/users/999999/reset-password", NULL, "{}");
    g_autofree char *path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/reset-password", id);
    g_autoptr(BourseTestResponse) trader = send_json (server, "POST", path, signed_in, "{}");

    g_assert_cmpuint (missing->status, ==, 404);
    g_assert_cmpuint (trader->status, ==, 403);
  }

  {
    const char * const secrets[] = { token, replaced, NEW_PASSWORD, OLD_PASSWORD, NULL };
    const char * const actions[] = { "user.password.reset.create", "user.password.reset", NULL };

    assert_never_recorded (server, secrets, actions);
  }

  bourse_test_server_free (server);
}

static void
alert_cb (BourseEventBus *bus,
          const char     *topic,
          JsonNode       *data,
          GPtrArray      *alerts)
{
  g_assert_cmpstr (topic, ==, "alerts");
  g_ptr_array_add (alerts, json_node_copy (data));
}

static char *
request_reset (BourseTestServer *server,
               const char       *body)
{
  g_autoptr(BourseTestResponse) response =
    send_json (server, "POST", "/api/v1/auth/password-reset/request", "", body);

  g_assert_cmpuint (response->status, ==, 202);
  return body_text (response);
}

static void
test_self_request (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  BourseEventBus *bus = bourse_engine_get_event_bus (server->engine);
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  gint64 id = create_user (server, "bob", OLD_PASSWORD);
  gulong handler = g_signal_connect (bus, "event::alerts", G_CALLBACK (alert_cb), alerts);
  g_autofree char *known = NULL;
  g_autofree char *by_email = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *first_token = NULL;
  g_autofree char *second_token = NULL;
  g_autofree char *signed_in = NULL;

  /* A pending account, which may not reset anything yet. */
  {
    g_autoptr(BourseTestResponse) registered =
      send_json (server, "POST", "/api/v1/auth/register", "",
                 "{\"username\":\"carl\",\"email\":\"carl@example.org\",\"password\":\"" OTHER_PASSWORD "\"}");
    g_assert_cmpuint (registered->status, ==, 201);
    g_ptr_array_set_size (alerts, 0);   /* its user.pending alert */
  }

  known = request_reset (server, "{\"username\":\"bob\"}");
  g_assert_cmpuint (alerts->len, ==, 1);
  by_email = request_reset (server, "{\"email\":\"BOB@example.org\"}");
  g_assert_cmpuint (alerts->len, ==, 2);
  unknown = request_reset (server, "{\"username\":\"nobody\"}");
  pending = request_reset (server, "{\"username\":\"carl\"}");
  g_assert_cmpuint (alerts->len, ==, 2);

  /* Nothing in the answer tells whether the account exists. */
  g_assert_cmpstr (known, ==, unknown);
  g_assert_cmpstr (by_email, ==, unknown);
  g_assert_cmpstr (pending, ==, unknown);

  /* The alert says who asked, and carries no token: nothing secret is
   * ever published on a topic (issue 8). */
  for (guint i = 0; i < alerts->len; i++)
    {
      JsonObject *alert = object_of (g_ptr_array_index (alerts, i));
      g_assert_cmpstr (json_object_get_string_member (alert, "kind"), ==, "user.password-reset-requested");
      g_assert_cmpint (json_object_get_int_member (alert, "user_id"), ==, id);
      g_assert_cmpstr (json_object_get_string_member (alert, "username"), ==, "bob");
      g_assert_nonnull (json_object_get_string_member (alert, "requested_at"));
      g_assert_false (json_object_has_member (alert, "reset_token"));
    }

  /* An administrator makes the token, which comes back in that answer only. */
  first_token = admin_reset (server, id);
  second_token = admin_reset (server, id);

  /* The newer request voided the older; the newer works once. */
  g_assert_cmpuint (confirm (server, first_token, NEW_PASSWORD, NULL), ==, 401);
  g_assert_cmpuint (confirm (server, second_token, NEW_PASSWORD, NULL), ==, 204);
  g_assert_cmpuint (confirm (server, second_token, NEW_PASSWORD, NULL), ==, 401);
  signed_in = login (server, "bob", NEW_PASSWORD, 200);

  /* Neither a username nor an e-mail address. */
  {
    g_autoptr(BourseTestResponse) response =
      send_json (server, "POST", "/api/v1/auth/password-reset/request", "", "{\"login\":\"bob\"}");
    g_autofree char *field = error_field (response);

    g_assert_cmpuint (response->status, ==, 422);
    g_assert_cmpstr (field, ==, "username");
  }

  {
    const char * const secrets[] = { first_token, second_token, NEW_PASSWORD, NULL };
    const char * const actions[] = { "user.password.reset.create", "user.password.reset", NULL };

    assert_never_recorded (server, secrets, actions);
  }

  g_signal_handler_disconnect (bus, handler);
  bourse_test_server_free (server);
}

static void
test_expired_token (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  BourseStore *store = bourse_auth_get_store (bourse_engine_get_auth (server->engine));
  gint64 id = create_user (server, "erin", OLD_PASSWORD);
  g_autofree char *token = admin_reset (server, id);
  g_autofree char *refused = NULL;
  g_autofree char *signed_in = NULL;

  /* Thirty minutes pass. */
  g_assert_cmpint (sqlite3_exec (bourse_store_get_db (store),
                                 "UPDATE password_resets SET expires_at = '2020-01-01T00:00:00.000Z'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_cmpuint (confirm (server, token, NEW_PASSWORD, NULL), ==, 401);
  refused = login (server, "erin", NEW_PASSWORD, 401);
  signed_in = login (server, "erin", OLD_PASSWORD, 200);

  bourse_test_server_free (server);
}

static void
test_bad_confirmations (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  gint64 id = create_user (server, "fred", OLD_PASSWORD);
  g_autofree char *token = admin_reset (server, id);
  static const struct { const char *password; const char *field; } weak[] = {
    { "short", "new_password" },
    { "password1234", "new_password" },   /* on the list of common passwords */
  };

  for (guint i = 0; i < G_N_ELEMENTS (weak); i++)
    {
      g_autofree char *field = NULL;

      g_assert_cmpuint (confirm (server, token, weak[i].password, &field), ==, 422);
      g_assert_cmpstr (field, ==, weak[i].field);
    }

  /* Missing members, and tokens nobody issued. */
  {
    g_autoptr(BourseTestResponse) no_token =
      send_json (server, "POST", "/api/v1/auth/password-reset/confirm", "", "{\"new_password\":\"" NEW_PASSWORD "\"}");
    g_autoptr(BourseTestResponse) no_password =
      send_json (server, "POST", "/api/v1/auth/password-reset/confirm", "", "{\"token\":\"x\"}");
    g_autofree char *token_field = error_field (no_token);
    g_autofree char *password_field = error_field (no_password);

    g_assert_cmpuint (no_token->status, ==, 422);
    g_assert_cmpstr (token_field, ==, "token");
    g_assert_cmpuint (no_password->status, ==, 422);
    g_assert_cmpstr (password_field, ==, "new_password");
    g_assert_cmpuint (confirm (server, "not-a-token", NEW_PASSWORD, NULL), ==, 401);
  }

  /* A refused password does not spend the token. */
  g_assert_cmpuint (confirm (server, token, NEW_PASSWORD, NULL), ==, 204);

  bourse_test_server_free (server);
}

/* A PAM account's password is the system's: nothing here may set it. */
static void
test_system_account (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  BourseStore *store = bourse_auth_get_store (bourse_engine_get_auth (server->engine));
  BourseEventBus *bus = bourse_engine_get_event_bus (server->engine);
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  gint64 id = create_user (server, "ivan", OLD_PASSWORD);
  g_autofree char *path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/reset-password", id);
  g_autofree char *answer = NULL;
  gulong handler;

  g_assert_cmpint (sqlite3_exec (bourse_store_get_db (store), "UPDATE users SET auth_source = 'pam'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  {
    g_autoptr(BourseTestResponse) response = send_json (server, "POST", path, NULL, "{}");
    g_assert_cmpuint (response->status, ==, 409);
  }

  handler = g_signal_connect (bus, "event::alerts", G_CALLBACK (alert_cb), alerts);
  answer = request_reset (server, "{\"username\":\"ivan\"}");
  g_assert_cmpuint (alerts->len, ==, 0);
  g_signal_handler_disconnect (bus, handler);

  bourse_test_server_free (server);
}

static void
test_profile (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autofree char *current = NULL;
  g_autofree char *other = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *signed_in = NULL;

  create_user (server, "gina", OLD_PASSWORD);
  create_user (server, "hank", OTHER_PASSWORD);
  current = login (server, "gina", OLD_PASSWORD, 200);
  other = login (server, "gina", OLD_PASSWORD, 200);

  /* A new e-mail address; one already taken; one that is none. */
  {
    g_autoptr(BourseTestResponse) changed =
      send_json (server, "PATCH", "/api/v1/users/me", current, "{\"email\":\"gina@example.net\"}");
    g_autoptr(BourseTestResponse) taken =
      send_json (server, "PATCH", "/api/v1/users/me", current, "{\"email\":\"HANK@example.org\"}");
    g_autoptr(BourseTestResponse) invalid =
      send_json (server, "PATCH", "/api/v1/users/me", current, "{\"email\":\"not an address\"}");
    g_autoptr(BourseTestResponse) wrong_type =
      send_json (server, "PATCH", "/api/v1/users/me", current, "{\"email\":42}");
    g_autoptr(BourseTestResponse) nothing = send_json (server, "PATCH", "/api/v1/users/me", current, "{}");
    g_autoptr(JsonNode) node = bourse_test_response_json (changed);
    g_autofree char *invalid_field = error_field (invalid);
    g_autofree char *type_field = error_field (wrong_type);
    g_autofree char *nothing_field = error_field (nothing);

    g_assert_cmpuint (changed->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (object_of (node), "email"), ==, "gina@example.net");
    g_assert_false (json_object_has_member (object_of (node), "password_hash"));
    g_assert_cmpuint (taken->status, ==, 409);
    g_assert_cmpuint (invalid->status, ==, 422);
    g_assert_cmpstr (invalid_field, ==, "email");
    g_assert_cmpuint (wrong_type->status, ==, 422);
    g_assert_cmpstr (type_field, ==, "email");
    g_assert_cmpuint (nothing->status, ==, 422);
    g_assert_cmpstr (nothing_field, ==, "email");
  }

  /* A new password needs the current one, right, and a good new one. */
  {
    g_autoptr(BourseTestResponse) missing =
      send_json (server, "PATCH", "/api/v1/users/me", current, "{\"password\":\"" NEW_PASSWORD "\"}");
    g_autoptr(BourseTestResponse) wrong =
      send_json (server, "PATCH", "/api/v1/users/me", current,
                 "{\"password\":\"" NEW_PASSWORD "\",\"current_password\":\"" OTHER_PASSWORD "\"}");
    g_autoptr(BourseTestResponse) weak =
      send_json (server, "PATCH", "/api/v1/users/me", current,
                 "{\"password\":\"short\",\"current_password\":\"" OLD_PASSWORD "\"}");
    g_autofree char *missing_field = error_field (missing);
    g_autofree char *wrong_field = error_field (wrong);
    g_autofree char *weak_field = error_field (weak);

    g_assert_cmpuint (missing->status, ==, 422);
    g_assert_cmpstr (missing_field, ==, "current_password");
    g_assert_cmpuint (wrong->status, ==, 403);
    g_assert_cmpstr (wrong_field, ==, "current_password");
    g_assert_cmpuint (weak->status, ==, 422);
    g_assert_cmpstr (weak_field, ==, "password");
    /* Nothing changed on the way. */
    g_assert_cmpuint (status_of_get (server, "/api/v1/users/me", other), ==, 200);
  }

  {
    GArray *revoked = watch_revocations (server);
    g_autoptr(BourseTestResponse) changed =
      send_json (server, "PATCH", "/api/v1/users/me", current,
                 "{\"password\":\"" NEW_PASSWORD "\",\"current_password\":\"" OLD_PASSWORD "\"}");

    g_assert_cmpuint (changed->status, ==, 200);
    g_assert_cmpuint (revoked->len, ==, 1);
    unwatch_revocations (server, revoked);
  }
  /* The other session ends; the one that made the change goes on. */
  g_assert_cmpuint (status_of_get (server, "/api/v1/users/me", other), ==, 401);
  g_assert_cmpuint (status_of_get (server, "/api/v1/users/me", current), ==, 200);
  refused = login (server, "gina", OLD_PASSWORD, 401);
  signed_in = login (server, "gina", NEW_PASSWORD, 200);

  /* The desktop's local owner has no account row to change. */
  {
    g_autoptr(BourseTestResponse) owner =
      send_json (server, "PATCH", "/api/v1/users/me", NULL,
                 "{\"password\":\"" NEW_PASSWORD "\",\"current_password\":\"" OLD_PASSWORD "\"}");

    g_assert_cmpuint (owner->status, ==, 409);
  }

  {
    const char * const secrets[] = { NEW_PASSWORD, OLD_PASSWORD, OTHER_PASSWORD, NULL };
    const char * const actions[] = { "user.profile", "user.profile.refused", NULL };

    assert_never_recorded (server, secrets, actions);
  }

  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  log_text = g_string_new (NULL);
  g_log_set_writer_func (record_log_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/password-reset/admin", test_admin_reset);
  g_test_add_func ("/password-reset/self-request", test_self_request);
  g_test_add_func ("/password-reset/expired", test_expired_token);
  g_test_add_func ("/password-reset/bad-confirmations", test_bad_confirmations);
  g_test_add_func ("/password-reset/system-account", test_system_account);
  g_test_add_func ("/password-reset/profile", test_profile);

  return g_test_run ();
}
