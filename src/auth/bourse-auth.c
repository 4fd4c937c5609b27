/* bourse-auth.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-auth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "core/bourse-outbox.h"
#include "core/bourse-time.h"

#include "bourse-audit.h"
#include "bourse-auth.h"
#include "bourse-auth-private.h"
#include "bourse-authenticator.h"
#include "bourse-jwt.h"
#include "bourse-password.h"
#include "bourse-password-pool.h"
#include "bourse-rate-limit.h"
#include "bourse-secrets.h"

#define SIGNING_KEY_NAME  "jwt-signing-key"
#define SIGNING_KEY_BYTES 32
#define TOKEN_BYTES       32   /* 256 random bits for refresh and local tokens */
/* Clock skew tolerated between processes checking a token. */
#define LEEWAY_S          30
/* Verified access tokens remembered (see VerifiedToken); then forgotten at once. */
#define VERIFIED_MAX      4096

struct _BourseAuth
{
  GObject              parent_instance;

  BourseStore         *store;
  BourseConfig        *config;
  BourseSecrets       *secrets;
  GBytes              *signing_key;
  gint64               key_generation;  /* of signing_key: see refresh_signing_key () */
  BourseLoginThrottle *throttle;
  BoursePasswordPool  *passwords;
  char                *local_token;
  guint64              opslimit;
  gsize                memlimit;
  GHashTable          *verified;   /* VerifiedToken set: bourse_auth_authenticate_bearer () */
  guint8               verified_key[crypto_generichash_KEYBYTES];
};

/* An access token whose signature has been checked: decoding and checking
 * one (two JSON parses and an HMAC) cost more than the rest of a request.
 * Kept by a keyed hash of the token, never the token itself, for the
 * signing key's generation it was checked with; the time limits and the
 * session are still checked on every request. */
typedef struct
{
  guint8 digest[crypto_generichash_BYTES];
  gint64 generation;
  gint64 user_id;
  gint64 session_id;
  gint64 iat;
  gint64 exp;
} VerifiedToken;

static guint
verified_token_hash (gconstpointer data)
{
  guint hash;

  memcpy (&hash, ((const VerifiedToken *)data)->digest, sizeof hash);
  return hash;
}

static gboolean
verified_token_equal (gconstpointer a,
                      gconstpointer b)
{
  return memcmp (((const VerifiedToken *)a)->digest, ((const VerifiedToken *)b)->digest,
                 crypto_generichash_BYTES) == 0;
}

G_DEFINE_FINAL_TYPE (BourseAuth, bourse_auth, G_TYPE_OBJECT)

BourseConfig *
_bourse_auth_get_config (BourseAuth *self)
{
  return self->config;
}

enum {
  SESSION_REVOKED,
  CREDENTIALS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
bourse_auth_finalize (GObject *object)
{
  BourseAuth *self = (BourseAuth *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->config);
  g_clear_object (&self->secrets);
  g_clear_pointer (&self->signing_key, g_bytes_unref);
  g_clear_pointer (&self->throttle, bourse_login_throttle_free);
  g_clear_pointer (&self->passwords, bourse_password_pool_free);
  g_clear_pointer (&self->verified, g_hash_table_unref);
  if (self->local_token != NULL)
    sodium_memzero (self->local_token, strlen (self->local_token));
  g_clear_pointer (&self->local_token, g_free);

  G_OBJECT_CLASS (bourse_auth_parent_class)->finalize (object);
}

static void
bourse_auth_class_init (BourseAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bourse_auth_finalize;

  /* (BourseAuth *auth, gint64 session_id): emitted after the revocation
   * commits, so that the server closes that session's WebSockets. */
  signals[SESSION_REVOKED] =
    g_signal_new ("session-revoked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  /* (BourseAuth *auth): sessions, API keys, roles or account states
   * changed; holders of long-lived connections check them again. */
  signals[CREDENTIALS_CHANGED] =
    g_signal_new ("credentials-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
bourse_auth_init (BourseAuth *self)
{
}

char *
_bourse_auth_random_token (void)
{
  guint8 bytes[TOKEN_BYTES];
  char *text = g_malloc (sodium_base64_ENCODED_LEN (TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING));

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (text, sodium_base64_ENCODED_LEN (TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return text;
}

/* Tokens are stored only as hashes: a copy of the database signs nobody in. */
char *
_bourse_auth_token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/* The key's generation, in the database: `boursed keys rotate` (another
 * process) stores a new key and then bumps it, and an engine that sees a
 * generation other than its key's loads the key again. */
static gboolean
read_key_generation (BourseAuth  *self,
                     gint64      *generation,
                     GError     **error)
{
  g_autoptr(BourseStatement) stmt = bourse_store_statement (self->store, "SELECT generation FROM signing_key WHERE id = 1",
                                                            error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  *generation = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

static gboolean
load_signing_key (BourseAuth  *self,
                  gboolean     replace,
                  GError     **error)
{
  g_autoptr(GBytes) key = NULL;
  gint64 generation = 0;

  /* Read before the key: a rotation in between is then seen next time. */
  if (!read_key_generation (self, &generation, error))
    return FALSE;
  key = replace ? NULL : bourse_secrets_lookup (self->secrets, SIGNING_KEY_NAME, error);

  if (key == NULL && error != NULL && *error != NULL)
    return FALSE;

  if (key == NULL || g_bytes_get_size (key) < SIGNING_KEY_BYTES)
    {
      guint8 *bytes = g_malloc (SIGNING_KEY_BYTES);

      randombytes_buf (bytes, SIGNING_KEY_BYTES);
      g_clear_pointer (&key, g_bytes_unref);
      key = g_bytes_new_take (bytes, SIGNING_KEY_BYTES);
      if (!bourse_secrets_store (self->secrets, SIGNING_KEY_NAME, key, error))
        return FALSE;
      g_message ("Created a new token-signing key");
    }

  /* The new key is stored first: whoever sees the new generation finds it. */
  if (replace)
    {
      g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
      g_autoptr(sqlite3_stmt) stmt =
        bourse_store_prepare (self->store, "UPDATE signing_key SET generation = generation + 1, rotated_at = ? "
                                           "WHERE id = 1 RETURNING generation", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          bourse_store_set_error (self->store, error);
          return FALSE;
        }
      generation = sqlite3_column_int64 (stmt, 0);
    }

  g_clear_pointer (&self->signing_key, g_bytes_unref);
  self->signing_key = g_steal_pointer (&key);
  self->key_generation = generation;
  return TRUE;
}

/* Before a token is checked or signed: the key of the current generation,
 * so that a rotation by `boursed keys rotate` ends the old key's tokens in
 * a running engine at once. One read of one row. */
static gboolean
refresh_signing_key (BourseAuth  *self,
                     GError     **error)
{
  /* Never NULL below: load_signing_key () makes a new key when the lookup
   * fails without saying why. */
  g_autoptr(GError) local_error = NULL;
  gint64 generation = 0;

  if (!read_key_generation (self, &generation, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (generation == self->key_generation)
    return TRUE;

  g_message ("The token-signing key was replaced (generation %" G_GINT64_FORMAT "): loading it", generation);
  if (!load_signing_key (self, FALSE, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

BourseAuth *
bourse_auth_new (BourseStore   *store,
                 BourseConfig  *config,
                 GError       **error)
{
  g_autoptr(BourseAuth) self = NULL;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);

  if (!bourse_password_init (error))
    return NULL;

  /* Plugins load at start-up (DESIGN.md §9), not on the first sign-in. */
  bourse_authenticators_ensure ();

  self = g_object_new (BOURSE_TYPE_AUTH, NULL);
  self->store = g_object_ref (store);
  self->config = g_object_ref (config);
  self->opslimit = bourse_config_get_int (config, "auth", "password_opslimit");
  self->memlimit = (gsize)bourse_config_get_int (config, "auth", "password_memlimit_kib") * 1024;
  self->throttle = bourse_login_throttle_new (bourse_config_get_int (config, "auth", "login_free_failures"),
                                              bourse_config_get_int (config, "auth", "login_max_delay"));
  self->local_token = _bourse_auth_random_token ();
  self->verified = g_hash_table_new_full (verified_token_hash, verified_token_equal, g_free, NULL);
  randombytes_buf (self->verified_key, sizeof self->verified_key);
  /* Two workers on two cores leave the engine a core; 64 waiting is a
   * minute of sign-ins at the rate limit from a few dozen addresses. */
  self->passwords = bourse_password_pool_new (self->opslimit, self->memlimit,
                                              CLAMP (g_get_num_processors (), 1, 4), 64);

  self->secrets = bourse_secrets_new_for_config (config, error);
  if (self->secrets == NULL || !load_signing_key (self, FALSE, error))
    return NULL;

  return g_steal_pointer (&self);
}

char *
_bourse_auth_hash_password (BourseAuth  *self,
                            const char  *password,
                            GError     **error)
{
  return bourse_password_hash (password, self->opslimit, self->memlimit, error);
}

BourseStore *
bourse_auth_get_store (BourseAuth *self)
{
  g_return_val_if_fail (BOURSE_IS_AUTH (self), NULL);
  return self->store;
}

BourseSecrets *
bourse_auth_get_secrets (BourseAuth *self)
{
  g_return_val_if_fail (BOURSE_IS_AUTH (self), NULL);
  return self->secrets;
}

const char *
bourse_auth_get_local_token (BourseAuth *self)
{
  g_return_val_if_fail (BOURSE_IS_AUTH (self), NULL);
  return self->local_token;
}

gboolean
bourse_auth_rotate_signing_key (BourseAuth  *self,
                                GError     **error)
{
  g_return_val_if_fail (BOURSE_IS_AUTH (self), FALSE);
  return load_signing_key (self, TRUE, error);
}

gboolean
bourse_auth_audit (BourseAuth              *self,
                   const char              *actor,
                   const char              *action,
                   const char              *target,
                   JsonNode                *details,
                   const BourseAuthContext *context,
                   GError                 **error)
{
  g_autoptr(BourseAuditEntry) entry = g_new0 (BourseAuditEntry, 1);

  g_return_val_if_fail (BOURSE_IS_AUTH (self), FALSE);

  entry->actor = g_strdup (actor);
  entry->action = g_strdup (action);
  entry->target = g_strdup (target);
  entry->details = details ? json_node_ref (details) : NULL;
  entry->client_address = context ? g_strdup (context->client_address) : NULL;
  entry->request_id = context ? g_strdup (context->request_id) : NULL;

  return bourse_audit_append (self->store, entry, error);
}

/* One transaction: the change and its audit entry land together or not. */
#define BEGIN(self, error)  if (!bourse_store_begin ((self)->store, (error))) return 0
#define FAIL(self)          G_STMT_START { bourse_store_rollback ((self)->store); return 0; } G_STMT_END

JsonNode *
_bourse_auth_details_new (const char *first_key,
                          ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *key = first_key;
  va_list args;

  va_start (args, first_key);
  json_builder_begin_object (builder);
  while (key != NULL)
    {
      const char *value = va_arg (args, const char *);

      json_builder_set_member_name (builder, key);
      if (value != NULL)
        json_builder_add_string_value (builder, value);
      else
        json_builder_add_null_value (builder);
      key = va_arg (args, const char *);
    }
  json_builder_end_object (builder);
  va_end (args);

  return json_builder_get_root (builder);
}

/* A request's context kept for work that finishes later (its strings
 * owned), and let go of. */
static void
context_copy (BourseAuthContext       *to,
              const BourseAuthContext *from)
{
  if (from == NULL)
    return;
  to->client_address = g_strdup (from->client_address);
  to->request_id = g_strdup (from->request_id);
  to->user_agent = g_strdup (from->user_agent);
}

static void
context_clear (BourseAuthContext *context)
{
  g_free ((char *)context->client_address);
  g_free ((char *)context->request_id);
  g_free ((char *)context->user_agent);
}

/* Name, address and password policy: what can be refused before the
 * password is hashed. */
static gboolean
validate_new_user (const char  *username,
                   const char  *email,
                   const char  *password,
                   GError     **error)
{
  g_autoptr(GError) policy_error = NULL;

  if (!bourse_users_validate_username (username, error) || !bourse_users_validate_email (email, error))
    return FALSE;
  if (!bourse_password_check_policy (password, &policy_error))
    {
      /* Policy errors are about the password field. */
      if (policy_error->domain != BOURSE_AUTH_ERROR)
        g_set_error_literal (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_INVALID_PASSWORD, policy_error->message);
      else
        g_propagate_error (error, g_steal_pointer (&policy_error));
      return FALSE;
    }
  return TRUE;
}

/* @hash NULL: an account whose password the system checks (PAM). */
static gint64
add_user_hashed (BourseAuth              *self,
                 const char              *actor,
                 const char              *action,
                 const char              *username,
                 const char              *email,
                 const char              *hash,
                 BourseRole               role,
                 const char              *status,
                 const BourseAuthContext *context,
                 GError                 **error)
{
  const char *source = hash != NULL ? "local" : "pam";
  g_autofree char *target = NULL;
  g_autoptr(JsonNode) details = NULL;
  gint64 id;

  BEGIN (self, error);
  if ((id = bourse_users_insert_with_source (self->store, username, email, hash, role, status, source, error)) == 0)
    FAIL (self);

  target = g_strdup_printf ("user:%" G_GINT64_FORMAT, id);
  details = hash != NULL
    ? _bourse_auth_details_new ("username", username, "email", email, "role", bourse_role_to_string (role),
                                "status", status, NULL)
    : _bourse_auth_details_new ("username", username, "email", email, "role", bourse_role_to_string (role),
                                "status", status, "auth_source", source, NULL);
  if (!bourse_auth_audit (self, actor ? actor : target, action, target, details, context, error))
    FAIL (self);
  /* The administrators hear of a sign-up that waits for them. */
  if (g_str_equal (status, "pending"))
    {
      g_autoptr(JsonObject) data = json_object_new ();
      g_autoptr(JsonNode) event = json_node_init_object (json_node_alloc (), data);

      json_object_set_int_member (data, "user_id", id);
      json_object_set_string_member (data, "username", username);
      json_object_set_string_member (data, "email", email);
      if (!bourse_outbox_emit (self->store, "signup.pending", id, event, error))
        FAIL (self);
    }
  if (!bourse_store_commit (self->store, error))
    FAIL (self);

  return id;
}

static gint64
add_user (BourseAuth              *self,
          const char              *actor,
          const char              *action,
          const char              *username,
          const char              *email,
          const char              *password,
          BourseRole               role,
          const char              *status,
          const BourseAuthContext *context,
          GError                 **error)
{
  g_autofree char *hash = NULL;

  if (!validate_new_user (username, email, password, error)
      || (hash = bourse_password_hash (password, self->opslimit, self->memlimit, error)) == NULL)
    return 0;
  return add_user_hashed (self, actor, action, username, email, hash, role, status, context, error);
}

typedef struct
{
  char              *username;
  char              *email;
  BourseAuthContext  context;       /* its strings owned */
} Registration;

static void
registration_free (Registration *registration)
{
  g_free (registration->username);
  g_free (registration->email);
  context_clear (&registration->context);
  g_free (registration);
}

static void
registration_hashed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BourseAuth *self = g_task_get_source_object (task);
  Registration *registration = g_task_get_task_data (task);
  g_autoptr(BoursePasswordOutcome) outcome = NULL;
  GError *error = NULL;
  gint64 id;

  if ((outcome = bourse_password_pool_run_finish (result, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  id = add_user_hashed (self, NULL, "user.register", registration->username, registration->email, outcome->hash,
                        BOURSE_ROLE_VIEWER, "pending", &registration->context, &error);
  if (id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, id);
}

void
bourse_auth_register_async (BourseAuth              *self,
                            const char              *username,
                            const char              *email,
                            const char              *password,
                            const BourseAuthContext *context,
                            GCancellable            *cancellable,
                            GAsyncReadyCallback      callback,
                            gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Registration *registration;

  g_return_if_fail (BOURSE_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_auth_register_async);
  if (!validate_new_user (username, email, password, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  registration = g_new0 (Registration, 1);
  registration->username = g_strdup (username);
  registration->email = g_strdup (email);
  context_copy (&registration->context, context);
  g_task_set_task_data (task, registration, (GDestroyNotify)registration_free);

  /* Anyone may sign up: the hashing must not cost the engine's context. */
  bourse_password_pool_run_async (self->passwords, NULL, NULL, NULL, password, cancellable,
                                  registration_hashed_cb, g_steal_pointer (&task));
}

gint64
bourse_auth_register_finish (BourseAuth    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  gint64 id;

  g_return_val_if_fail (BOURSE_IS_AUTH (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return MAX (id, 0);   /* -1 on error: 0, as bourse_auth_register says */
}

gint64
bourse_auth_register (BourseAuth              *self,
                      const char              *username,
                      const char              *email,
                      const char              *password,
                      const BourseAuthContext *context,
                      GError                 **error)
{
  g_return_val_if_fail (BOURSE_IS_AUTH (self), 0);

  return add_user (self, NULL, "user.register", username, email, password, BOURSE_ROLE_VIEWER,
                   "pending", context, error);
}

gint64
bourse_auth_create_user (BourseAuth              *self,
                         const char              *actor,
                         const char              *username,
                         const char              *email,
                         const char              *password,
                         BourseRole               role,
                         const BourseAuthContext *context,
                         GError                 **error)
{
  g_return_val_if_fail (BOURSE_IS_AUTH (self), 0);

  return add_user (self, actor, "user.create", username, email, password, role, "active", context, error);
}

gint64
bourse_auth_create_pam_user (BourseAuth              *self,
                             const char              *actor,
                             const char              *username,
                             const char              *email,
                             BourseRole               role,
                             const BourseAuthContext *context,
                             GError                 **error)
{
  g_return_val_if_fail (BOURSE_IS_AUTH (self), 0);

  if (!bourse_users_validate_username (username, error) || !bourse_users_validate_email (email, error))
    return 0;
  return add_user_hashed (self, actor, "user.create", username, email, NULL, role, "active", context, error);
}

static char *
access_token_for (BourseAuth       *self,
                  const BourseUser *user,
                  gint64            session_id,
                  gint64           *expires_in)
{
  g_autofree char *sub = g_strdup_printf ("%" G_GINT64_FORMAT, user->id);
  g_autofree char *sid = g_strdup_printf ("%" G_GINT64_FORMAT, session_id);
  g_autofree char *jti = _bourse_auth_random_token ();
  g_autoptr(GError) error = NULL;
  gint64 now = bourse_time_now_ms () / 1000;
  BourseJwtClaims claims = { sub, user->role, sid, jti, now, 0 };

  *expires_in = bourse_config_get_int (self->config, "auth", "access_token_ttl");
  claims.exp = now + *expires_in;
  if (!refresh_signing_key (self, &error))
    g_message ("Cannot check for a new token-signing key: %s", error->message);
  return bourse_jwt_encode (&claims, self->signing_key);
}

static char *
expiry_after_days (gint64 days)
{
  return bourse_time_format_rfc3339 (bourse_time_now_ms () + days * 86400 * 1000);
}

typedef struct
{
  char                *login;
  char                *password;
  char                *throttle_key;
  BourseAuthContext    context;       /* its strings owned */
  BourseUser          *user;
  BourseAuthenticator *authenticator;
  gint64               monotonic;
  guint                retry_after;
} Login;

static void
login_free (Login *login)
{
  if (login->password != NULL)
    sodium_memzero (login->password, strlen (login->password));
  g_free (login->password);
  g_free (login->login);
  g_free (login->throttle_key);
  context_clear (&login->context);
  g_clear_pointer (&login->user, bourse_user_free);
  g_clear_object (&login->authenticator);
  g_free (login);
}

/* A failed sign-in: counted, audited, and the same answer whatever the
 * reason. The typed name is kept only when it names an account: a password
 * typed into the name field must not stay in the audit chain forever. */
static void
login_failed (BourseAuth  *self,
              Login       *login,
              const char  *reason,
              GError     **error)
{
  g_autofree char *target = NULL;
  g_autoptr(JsonNode) details = NULL;

  bourse_login_throttle_failed (self->throttle, login->throttle_key, login->monotonic);
  if (login->user != NULL)
    {
      target = g_strdup_printf ("user:%" G_GINT64_FORMAT, login->user->id);
      details = _bourse_auth_details_new ("login", login->login, "reason", reason, NULL);
    }
  else
    details = _bourse_auth_details_new ("reason", reason, NULL);
  bourse_auth_audit (self, target, "auth.login.failed", target, details, &login->context, NULL);
  g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED,
               g_str_equal (reason, "auth-source-unavailable") ? _("This account’s sign-in method is not available")
                                                               : _("Wrong username or password"));
}

/* The password has been checked in a worker: now the session, on the
 * engine's context. */
static BourseTokens *
login_complete (BourseAuth             *self,
                Login                  *login,
                BoursePasswordOutcome  *outcome,
                GError                **error)
{
  g_autoptr(BourseTokens) tokens = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autofree char *expires = expiry_after_days (bourse_config_get_int (self->config, "auth", "refresh_token_days"));
  g_autofree char *refresh_hash = NULL;
  g_autofree char *target = NULL;
  BourseUser *user = login->user;

  if (user == NULL || !outcome->checked)
    {
      gboolean broken = outcome->check_error != NULL
                        && !g_error_matches (outcome->check_error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED);

      /* A broken PAM stack is the admin's to fix; the caller only learns "no". */
      if (broken)
        g_warning ("Could not check the password of account %" G_GINT64_FORMAT " (%s): %s",
                   user->id, user->auth_source, outcome->check_error->message);
      login_failed (self, login, user == NULL ? "unknown-account" : broken ? "auth-source-error" : "password", error);
      return NULL;
    }

  target = g_strdup_printf ("user:%" G_GINT64_FORMAT, user->id);
  if (!g_str_equal (user->status, "active"))
    {
      gboolean pending = g_str_equal (user->status, "pending");

      details = _bourse_auth_details_new ("reason", user->status, NULL);
      bourse_auth_audit (self, target, "auth.login.refused", target, details, &login->context, NULL);
      g_set_error (error, BOURSE_AUTH_ERROR,
                   pending ? BOURSE_AUTH_ERROR_ACCOUNT_PENDING : BOURSE_AUTH_ERROR_ACCOUNT_DISABLED,
                   pending ? _("This account waits for an administrator's approval")
                           : _("This account is disabled"));
      return NULL;
    }

  bourse_login_throttle_succeeded (self->throttle, login->throttle_key);

  tokens = g_new0 (BourseTokens, 1);
  tokens->refresh_token = _bourse_auth_random_token ();
  tokens->user_id = user->id;
  refresh_hash = _bourse_auth_token_hash (tokens->refresh_token);

  if (!bourse_store_begin (self->store, error))
    return NULL;

  /* The worker hashed the password again: its cost settings changed. */
  if (outcome->hash != NULL)
    bourse_users_update (self->store, user->id, "password_hash", outcome->hash, NULL);

  stmt = bourse_store_prepare (self->store,
                               "INSERT INTO sessions (user_id, refresh_token_hash, created_at, expires_at, "
                               "client_address, user_agent) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    FAIL (self);
  sqlite3_bind_int64 (stmt, 1, user->id);
  sqlite3_bind_text (stmt, 2, refresh_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, expires, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, login->context.client_address, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, login->context.user_agent, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      FAIL (self);
    }
  tokens->session_id = sqlite3_last_insert_rowid (bourse_store_get_db (self->store));

  if (!bourse_users_update (self->store, user->id, "last_login_at", now, error))
    FAIL (self);

  {
    g_autofree char *sid = g_strdup_printf ("%" G_GINT64_FORMAT, tokens->session_id);
    details = _bourse_auth_details_new ("session", sid, NULL);
  }
  if (!bourse_auth_audit (self, target, "auth.login", target, details, &login->context, error)
      || !bourse_store_commit (self->store, error))
    FAIL (self);

  tokens->access_token = access_token_for (self, user, tokens->session_id, &tokens->expires_in);
  return g_steal_pointer (&tokens);
}

static void
login_checked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BourseAuth *self = g_task_get_source_object (task);
  Login *login = g_task_get_task_data (task);
  g_autoptr(BoursePasswordOutcome) outcome = NULL;
  GError *error = NULL;
  BourseTokens *tokens;

  if ((outcome = bourse_password_pool_run_finish (result, &error)) == NULL)
    {
      if (g_error_matches (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_THROTTLED))
        login->retry_after = 1;
      g_task_return_error (task, error);
      return;
    }

  if ((tokens = login_complete (self, login, outcome, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify)bourse_tokens_free);
}

void
bourse_auth_login_async (BourseAuth              *self,
                         const char              *login_name,
                         const char              *password,
                         const BourseAuthContext *context,
                         GCancellable            *cancellable,
                         GAsyncReadyCallback      callback,
                         gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Login *login;

  g_return_if_fail (BOURSE_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_auth_login_async);
  login = g_new0 (Login, 1);
  g_task_set_task_data (task, login, (GDestroyNotify)login_free);

  if (login_name == NULL || password == NULL)
    {
      g_task_return_new_error (task, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED,
                               _("Wrong username or password"));
      return;
    }

  login->login = g_strdup (login_name);
  login->password = g_strdup (password);
  login->monotonic = g_get_monotonic_time ();
  context_copy (&login->context, context);

  /* Throttled per account name as typed, so guessing cannot probe which exist. */
  login->throttle_key = g_utf8_strdown (login_name, -1);
  if (!bourse_login_throttle_check (self->throttle, login->throttle_key, login->monotonic, &login->retry_after))
    {
      g_task_return_new_error (task, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_THROTTLED,
                               _("Too many failed sign-ins: try again in %u s"), login->retry_after);
      return;
    }

  login->user = bourse_users_find_by_login (self->store, login_name, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* users.auth_source names the plugin that checks the password. */
  login->authenticator = login->user != NULL ? bourse_authenticator_lookup (login->user->auth_source) : NULL;
  if (login->user != NULL && login->authenticator == NULL)
    {
      g_warning ("Account %" G_GINT64_FORMAT " signs in with “%s”, which no plugin provides",
                 login->user->id, login->user->auth_source);
      login_failed (self, login, "auth-source-unavailable", &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* An unknown account is checked against a dummy hash: refusing it takes
   * as long as refusing a wrong password, so timing tells nothing. */
  bourse_password_pool_run_async (self->passwords, login->user, login->authenticator, password, NULL,
                                  cancellable, login_checked_cb, g_steal_pointer (&task));
}

BourseTokens *
bourse_auth_login_finish (BourseAuth    *self,
                          GAsyncResult  *result,
                          guint         *retry_after_s,
                          GError       **error)
{
  Login *login;

  g_return_val_if_fail (BOURSE_IS_AUTH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  login = g_task_get_task_data (G_TASK (result));
  if (retry_after_s != NULL)
    *retry_after_s = login->retry_after;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* First run {{{ */

typedef struct
{
  Login *login;   /* the session is made by the sign-in's own code */
  char  *email;
} FirstAdmin;

static void
first_admin_free (FirstAdmin *first)
{
  login_free (first->login);
  g_free (first->email);
  g_free (first);
}

/* The hash is made: now, in one transaction, the account (only while there
 * is none) and its audit entry; then a session, as signing in makes one. */
static void
first_admin_hashed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BourseAuth *self = g_task_get_source_object (task);
  FirstAdmin *first = g_task_get_task_data (task);
  Login *login = first->login;
  const char *email = first->email;
  g_autoptr(BoursePasswordOutcome) outcome = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *target = NULL;
  GError *error = NULL;
  BourseTokens *tokens;
  gint64 count, id;

  if ((outcome = bourse_password_pool_run_finish (result, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (!bourse_store_begin (self->store, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Checked inside the transaction: two set-ups at once make one account. */
  if ((count = bourse_users_count (self->store, &error)) != 0)
    {
      bourse_store_rollback (self->store);
      if (count > 0)
        g_set_error (&error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_CONFLICT, _("Bourse is already set up"));
      g_task_return_error (task, error);
      return;
    }
  if ((id = bourse_users_insert_with_source (self->store, login->login, email, outcome->hash, BOURSE_ROLE_ADMIN,
                                             "active", "local", &error)) == 0)
    {
      bourse_store_rollback (self->store);
      g_task_return_error (task, error);
      return;
    }
  target = g_strdup_printf ("user:%" G_GINT64_FORMAT, id);
  details = _bourse_auth_details_new ("username", login->login, "email", email, "role", "admin",
                                      "status", "active", NULL);
  if (!bourse_auth_audit (self, target, "user.setup", target, details, &login->context, &error)
      || !bourse_store_commit (self->store, &error))
    {
      bourse_store_rollback (self->store);
      g_task_return_error (task, error);
      return;
    }

  /* Signed in as by POST /auth/login: the hash was just made, so the
   * password is known to match and needs no second hashing. */
  login->user = bourse_users_find_by_id (self->store, id, &error);
  g_clear_pointer (&outcome->hash, g_free);
  outcome->checked = TRUE;
  if (login->user == NULL || (tokens = login_complete (self, login, outcome, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tokens, (GDestroyNotify)bourse_tokens_free);
}

void
bourse_auth_create_first_admin_async (BourseAuth              *self,
                                      const char              *username,
                                      const char              *email,
                                      const char              *password,
                                      const BourseAuthContext *context,
                                      GCancellable            *cancellable,
                                      GAsyncReadyCallback      callback,
                                      gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  FirstAdmin *first;

  g_return_if_fail (BOURSE_IS_AUTH (self));
  g_return_if_fail (username != NULL && email != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_auth_create_first_admin_async);
  if (!validate_new_user (username, email, password, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  first = g_new0 (FirstAdmin, 1);
  first->email = g_strdup (email);
  first->login = g_new0 (Login, 1);
  first->login->login = g_strdup (username);
  first->login->throttle_key = g_utf8_strdown (username, -1);
  first->login->monotonic = g_get_monotonic_time ();
  context_copy (&first->login->context, context);
  g_task_set_task_data (task, first, (GDestroyNotify)first_admin_free);

  bourse_password_pool_run_async (self->passwords, NULL, NULL, NULL, password, cancellable,
                                  first_admin_hashed_cb, g_steal_pointer (&task));
}

BourseTokens *
bourse_auth_create_first_admin_finish (BourseAuth    *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (BOURSE_IS_AUTH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */

typedef struct
{
  char  *throttle_key;
  gint64 monotonic;
  guint  retry_after;
} Change;

static void
change_free (Change *change)
{
  g_free (change->throttle_key);
  g_free (change);
}

static void
change_checked_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BourseAuth *self = g_task_get_source_object (task);
  Change *change = g_task_get_task_data (task);
  g_autoptr(BoursePasswordOutcome) outcome = NULL;
  GError *error = NULL;

  if ((outcome = bourse_password_pool_run_finish (result, &error)) == NULL)
    {
      if (g_error_matches (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_THROTTLED))
        change->retry_after = 1;
      g_task_return_error (task, error);
      return;
    }
  if (!outcome->checked)
    {
      bourse_login_throttle_failed (self->throttle, change->throttle_key, change->monotonic);
      g_task_return_new_error (task, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED,
                               _("The current password is wrong"));
      return;
    }
  bourse_login_throttle_succeeded (self->throttle, change->throttle_key);
  g_task_return_pointer (task, g_steal_pointer (&outcome->hash), g_free);
}

void
bourse_auth_change_password_async (BourseAuth          *self,
                                   const BourseUser    *user,
                                   const char          *current_password,
                                   const char          *new_password,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(BourseAuthenticator) authenticator = NULL;
  Change *change;

  g_return_if_fail (BOURSE_IS_AUTH (self));
  g_return_if_fail (user != NULL && current_password != NULL && new_password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_auth_change_password_async);
  change = g_new0 (Change, 1);
  g_task_set_task_data (task, change, (GDestroyNotify)change_free);

  /* Every password check counts against the sign-in throttle of the
   * account: guessing through a profile change is no cheaper. */
  change->throttle_key = g_utf8_strdown (user->username, -1);
  change->monotonic = g_get_monotonic_time ();
  if (!bourse_login_throttle_check (self->throttle, change->throttle_key, change->monotonic, &change->retry_after))
    {
      g_task_return_new_error (task, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_THROTTLED,
                               _("Too many wrong passwords: try again in %u s"), change->retry_after);
      return;
    }

  authenticator = bourse_authenticator_lookup ("local");
  bourse_password_pool_run_async (self->passwords, user, authenticator, current_password, new_password,
                                  cancellable, change_checked_cb, g_steal_pointer (&task));
}

char *
bourse_auth_change_password_finish (BourseAuth    *self,
                                    GAsyncResult  *result,
                                    guint         *retry_after_s,
                                    GError       **error)
{
  Change *change;

  g_return_val_if_fail (BOURSE_IS_AUTH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  change = g_task_get_task_data (G_TASK (result));
  if (retry_after_s != NULL)
    *retry_after_s = change->retry_after;
  return g_task_propagate_pointer (G_TASK (result), error);
}

BourseTokens *
bourse_auth_refresh (BourseAuth              *self,
                     const char              *refresh_token,
                     const BourseAuthContext *context,
                     GError                 **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autofree char *target = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(BourseUser) user = NULL;
  g_autoptr(BourseTokens) tokens = NULL;
  g_autofree char *new_hash = NULL;
  gint64 session_id = 0;
  gint64 user_id = 0;
  int rc;

  g_return_val_if_fail (BOURSE_IS_AUTH (self), NULL);

  if (refresh_token == NULL || refresh_token[0] == '\0')
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED, _("The refresh token is not valid"));
      return NULL;
    }
  hash = _bourse_auth_token_hash (refresh_token);

  if (!bourse_store_begin (self->store, error))
    return NULL;

  stmt = bourse_store_prepare (self->store,
                               "SELECT id, user_id FROM sessions WHERE refresh_token_hash = ? "
                               "AND revoked_at IS NULL AND expires_at > ?", error);
  if (stmt == NULL)
    FAIL (self);
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      session_id = sqlite3_column_int64 (stmt, 0);
      user_id = sqlite3_column_int64 (stmt, 1);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (session_id == 0)
    {
      gint64 reused_session = 0;

      /* A spent token again: whoever holds the chain now, one of them stole
       * it. End the session for both. */
      stmt = bourse_store_prepare (self->store, "SELECT session_id FROM used_refresh_tokens WHERE token_hash = ?", error);
      if (stmt == NULL)
        FAIL (self);
      sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        reused_session = sqlite3_column_int64 (stmt, 0);
      g_clear_pointer (&stmt, sqlite3_finalize);
      bourse_store_rollback (self->store);

      if (reused_session != 0)
        {
          g_message ("Refresh token reused on session %" G_GINT64_FORMAT ": revoking it", reused_session);
          bourse_auth_revoke_session (self, "system", reused_session, "refresh-token-reuse", context, NULL);
          g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_TOKEN_REUSED,
                       _("This refresh token was already used: the session has been ended for safety"));
        }
      else
        g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED,
                     _("The refresh token is not valid"));
      return NULL;
    }

  user = bourse_users_find_by_id (self->store, user_id, error);
  if (user == NULL || !g_str_equal (user->status, "active"))
    {
      if (user != NULL)
        g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_ACCOUNT_DISABLED, _("This account is disabled"));
      FAIL (self);
    }

  tokens = g_new0 (BourseTokens, 1);
  tokens->refresh_token = _bourse_auth_random_token ();
  tokens->session_id = session_id;
  tokens->user_id = user_id;
  new_hash = _bourse_auth_token_hash (tokens->refresh_token);

  stmt = bourse_store_prepare (self->store,
                               "INSERT INTO used_refresh_tokens (token_hash, session_id, used_at) VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    FAIL (self);
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, session_id);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      FAIL (self);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = bourse_store_prepare (self->store, "UPDATE sessions SET refresh_token_hash = ? WHERE id = ?", error);
  if (stmt == NULL)
    FAIL (self);
  sqlite3_bind_text (stmt, 1, new_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, session_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      FAIL (self);
    }

  target = g_strdup_printf ("user:%" G_GINT64_FORMAT, user_id);
  if (!bourse_auth_audit (self, target, "auth.refresh", target, NULL, context, error)
      || !bourse_store_commit (self->store, error))
    FAIL (self);

  tokens->access_token = access_token_for (self, user, session_id, &tokens->expires_in);
  return g_steal_pointer (&tokens);
}

gboolean
bourse_auth_revoke_session (BourseAuth              *self,
                            const char              *actor,
                            gint64                   session_id,
                            const char              *reason,
                            const BourseAuthContext *context,
                            GError                 **error)
{
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autofree char *target = g_strdup_printf ("session:%" G_GINT64_FORMAT, session_id);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) details = _bourse_auth_details_new ("reason", reason, NULL);

  g_return_val_if_fail (BOURSE_IS_AUTH (self), FALSE);

  BEGIN (self, error);
  stmt = bourse_store_prepare (self->store,
                               "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", error);
  if (stmt == NULL)
    FAIL (self);
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, session_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      FAIL (self);
    }
  if (sqlite3_changes (bourse_store_get_db (self->store)) == 0)
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_NOT_FOUND, _("No such active session"));
      FAIL (self);
    }
  if (!bourse_auth_audit (self, actor, "auth.session.revoke", target, details, context, error)
      || !bourse_store_commit (self->store, error))
    FAIL (self);

  g_signal_emit (self, signals[SESSION_REVOKED], 0, session_id);
  bourse_auth_credentials_changed (self);
  return TRUE;
}

gboolean
bourse_auth_revoke_user_sessions (BourseAuth              *self,
                                  const char              *actor,
                                  gint64                   user_id,
                                  gint64                   except_session_id,
                                  const char              *reason,
                                  const BourseAuthContext *context,
                                  GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  g_return_val_if_fail (BOURSE_IS_AUTH (self), FALSE);

  stmt = bourse_store_prepare (self->store,
                               "SELECT id FROM sessions WHERE user_id = ? AND id <> ? AND revoked_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_int64 (stmt, 2, except_session_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Each in its own transaction with its audit entry; one that another
   * request revoked meanwhile is simply gone. */
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!bourse_auth_revoke_session (self, actor, g_array_index (ids, gint64, i), reason, context, &local_error)
          && !g_error_matches (local_error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  return TRUE;
}

/* The role comes from the account, not the token, so a role change or a
 * disabled account applies at once rather than at the token's expiry. */
static gboolean
session_is_live (BourseAuth *self,
                 gint64      session_id,
                 gint64      user_id,
                 BourseRole *role,
                 char      **username,
                 char      **tier)
{
  /* Kept prepared: every authenticated request asks. */
  g_autoptr(BourseStatement) stmt =
    bourse_store_statement (self->store,
                            "SELECT u.role, u.username, u.tier FROM sessions s JOIN users u ON u.id = s.user_id "
                            "WHERE s.id = ? AND s.user_id = ? AND s.revoked_at IS NULL AND u.status = 'active'",
                            NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, session_id);
  sqlite3_bind_int64 (stmt, 2, user_id);
  if (sqlite3_step (stmt) != SQLITE_ROW
      || !bourse_role_parse ((const char *)sqlite3_column_text (stmt, 0), role))
    return FALSE;
  *username = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  *tier = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
  return TRUE;
}

BoursePrincipal *
bourse_auth_authenticate_bearer (BourseAuth  *self,
                                 const char  *token,
                                 GError     **error)
{
  g_autoptr(BourseJwtClaims) claims = NULL;
  g_autoptr(GError) jwt_error = NULL;
  g_autofree char *username = NULL;
  g_autofree char *tier = NULL;
  BoursePrincipal *principal;
  VerifiedToken probe = { 0 };
  VerifiedToken *verified;
  gint64 user_id, session_id, now_s;
  BourseRole role;

  g_return_val_if_fail (BOURSE_IS_AUTH (self), NULL);

  if (token != NULL && strlen (token) == strlen (self->local_token)
      && sodium_memcmp (token, self->local_token, strlen (token)) == 0)
    {
      principal = g_new0 (BoursePrincipal, 1);
      principal->actor = g_strdup ("local-owner");
      principal->username = g_strdup (g_get_user_name ());
      principal->tier = g_strdup ("desk");
      principal->role = BOURSE_ROLE_ADMIN;
      return principal;
    }

  if (!refresh_signing_key (self, &jwt_error))
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED,
                   _("The access token is not valid: %s"), jwt_error->message);
      return NULL;
    }

  now_s = bourse_time_now_ms () / 1000;
  crypto_generichash (probe.digest, sizeof probe.digest, (const guint8 *)(token ? token : ""),
                      token ? strlen (token) : 0, self->verified_key, sizeof self->verified_key);
  verified = g_hash_table_lookup (self->verified, &probe);
  /* Out of its time limits, or from another key: checked afresh, so
   * that the answer names what is wrong as a first check would. */
  if (verified != NULL && (verified->generation != self->key_generation
                           || verified->exp <= now_s - LEEWAY_S || verified->iat > now_s + LEEWAY_S))
    {
      g_hash_table_remove (self->verified, verified);
      verified = NULL;
    }

  if (verified == NULL)
    {
      claims = bourse_jwt_decode (token ? token : "", self->signing_key, now_s, LEEWAY_S, &jwt_error);
      if (claims == NULL)
        {
          g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED,
                       _("The access token is not valid: %s"), jwt_error->message);
          return NULL;
        }
      if (g_hash_table_size (self->verified) >= VERIFIED_MAX)
        g_hash_table_remove_all (self->verified);
      verified = g_memdup2 (&probe, sizeof probe);
      verified->generation = self->key_generation;
      verified->user_id = g_ascii_strtoll (claims->sub, NULL, 10);
      verified->session_id = g_ascii_strtoll (claims->sid, NULL, 10);
      verified->iat = claims->iat;
      verified->exp = claims->exp;
      g_hash_table_add (self->verified, verified);
    }

  user_id = verified->user_id;
  session_id = verified->session_id;
  if (user_id <= 0 || session_id <= 0 || !session_is_live (self, session_id, user_id, &role, &username, &tier))
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED,
                   _("The session of this access token has ended"));
      return NULL;
    }

  principal = g_new0 (BoursePrincipal, 1);
  principal->actor = g_strdup_printf ("user:%" G_GINT64_FORMAT, user_id);
  principal->user_id = user_id;
  principal->username = g_steal_pointer (&username);
  principal->tier = g_steal_pointer (&tier);
  principal->role = role;
  principal->session_id = session_id;
  return principal;
}

gboolean
bourse_auth_recheck_principal (BourseAuth            *self,
                               const BoursePrincipal *principal,
                               BourseRole            *role)
{
  g_autofree char *username = NULL;
  g_autofree char *tier = NULL;

  g_return_val_if_fail (BOURSE_IS_AUTH (self), FALSE);
  g_return_val_if_fail (principal != NULL, FALSE);
  g_return_val_if_fail (role != NULL, FALSE);

  if (principal->api_key_id > 0)
    {
      g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
      g_autoptr(sqlite3_stmt) stmt =
        bourse_store_prepare (self->store,
                              "SELECT k.role, u.role FROM api_keys k JOIN users u ON u.id = k.user_id "
                              "WHERE k.id = ? AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?) "
                              "AND u.status = 'active'", NULL);
      BourseRole key_role, user_role;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, principal->api_key_id);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_ROW
          || !bourse_role_parse ((const char *)sqlite3_column_text (stmt, 0), &key_role)
          || !bourse_role_parse ((const char *)sqlite3_column_text (stmt, 1), &user_role))
        return FALSE;
      /* As when it signed in: a demoted owner demotes their keys too. */
      *role = MIN (key_role, user_role);
      return TRUE;
    }

  if (principal->session_id > 0)
    return session_is_live (self, principal->session_id, principal->user_id, role, &username, &tier);

  if (principal->user_id == 0)
    {
      *role = principal->role;   /* the local owner */
      return TRUE;
    }
  return FALSE;
}

void
bourse_auth_credentials_changed (BourseAuth *self)
{
  g_return_if_fail (BOURSE_IS_AUTH (self));

  g_signal_emit (self, signals[CREDENTIALS_CHANGED], 0);
}

void
bourse_principal_free (BoursePrincipal *principal)
{
  if (principal == NULL)
    return;
  g_free (principal->actor);
  g_free (principal->username);
  g_free (principal->tier);
  g_free (principal);
}

void
bourse_tokens_free (BourseTokens *tokens)
{
  if (tokens == NULL)
    return;
  if (tokens->access_token != NULL)
    sodium_memzero (tokens->access_token, strlen (tokens->access_token));
  if (tokens->refresh_token != NULL)
    sodium_memzero (tokens->refresh_token, strlen (tokens->refresh_token));
  g_free (tokens->access_token);
  g_free (tokens->refresh_token);
  g_free (tokens);
}
