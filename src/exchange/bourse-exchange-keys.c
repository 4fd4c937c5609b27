/* bourse-exchange-keys.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "core/bourse-error.h"
#include "core/bourse-time.h"

#include "bourse-binance-api.h"
#include "bourse-exchange-keys.h"

void
bourse_exchange_key_check_free (BourseExchangeKeyCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->account_type);
  g_free (check);
}

char *
bourse_exchange_key_check_problem (const BourseExchangeKeyCheck *check)
{
  g_return_val_if_fail (check != NULL, NULL);

  /* A key that can withdraw turns a leaked key into lost funds: Bourse
   * never needs that right, so it refuses to hold such keys. */
  if (check->can_withdraw)
    return g_strdup (_("These keys can withdraw funds. Create keys with withdrawals disabled: Bourse never needs them"));
  if (!check->can_trade)
    return g_strdup (_("These keys cannot trade. Enable spot trading for them on Binance"));
  return NULL;
}

BourseBinanceSigner *
bourse_exchange_keys_load (BourseSecrets  *secrets,
                           BourseConfig   *config,
                           GError        **error)
{
  g_autoptr(GBytes) key = NULL;
  g_autoptr(GBytes) secret = NULL;
  g_autofree char *key_text = NULL;
  const char *config_key;
  const char *config_secret;

  g_return_val_if_fail (BOURSE_IS_SECRETS (secrets), NULL);

  key = bourse_secrets_lookup (secrets, BOURSE_BINANCE_API_KEY_SECRET, error);
  if (key == NULL && error != NULL && *error != NULL)
    return NULL;
  if (key != NULL)
    {
      secret = bourse_secrets_lookup (secrets, BOURSE_BINANCE_API_SECRET_SECRET, error);
      if (secret == NULL)
        {
          if (error != NULL && *error == NULL)
            bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "keys",
                                    _("The Binance API key is stored without its secret; enter the keys again"));
          return NULL;
        }
      key_text = g_strndup (g_bytes_get_data (key, NULL), g_bytes_get_size (key));
      return bourse_binance_signer_new (key_text, secret, error);
    }

  /* A headless boursed may be given them in its environment instead. */
  config_key = bourse_config_get_string (config, "binance", "api_key");
  config_secret = bourse_config_get_string (config, "binance", "api_secret");
  if (config_key == NULL || *config_key == '\0' || config_secret == NULL || *config_secret == '\0')
    return NULL;
  secret = g_bytes_new (config_secret, strlen (config_secret));
  return bourse_binance_signer_new (config_key, secret, error);
}

static gboolean
write_record (BourseStore                  *store,
              BourseBinanceSigner          *signer,
              const char                   *base_url,
              const BourseExchangeKeyCheck *check,
              gboolean                      replace,
              GError                      **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autofree char *hint = bourse_binance_signer_get_hint (signer);
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autofree char *problem = check != NULL ? bourse_exchange_key_check_problem (check) : NULL;

  /* A new key starts a new record; a re-check keeps when it was stored. */
  stmt = bourse_store_statement (store,
                                 replace
                                 ? "INSERT OR REPLACE INTO exchange_keys (venue, kind, api_key_hint, base_url, checked_at, "
                                   "can_trade, can_withdraw, account_type, problem, stored_at) "
                                   "VALUES ('binance', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?4)"
                                 : "INSERT INTO exchange_keys (venue, kind, api_key_hint, base_url, checked_at, "
                                   "can_trade, can_withdraw, account_type, problem, stored_at) "
                                   "VALUES ('binance', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?4) "
                                   "ON CONFLICT (venue) DO UPDATE SET kind = ?1, api_key_hint = ?2, base_url = ?3, "
                                   "checked_at = ?4, can_trade = ?5, can_withdraw = ?6, account_type = ?7, problem = ?8",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bourse_binance_signer_get_kind (signer) == BOURSE_BINANCE_KEY_ED25519 ? "ed25519" : "hmac",
                     -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, hint, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, base_url, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  if (check != NULL)
    {
      sqlite3_bind_int (stmt, 5, check->can_trade);
      sqlite3_bind_int (stmt, 6, check->can_withdraw);
      sqlite3_bind_text (stmt, 7, check->account_type, -1, SQLITE_TRANSIENT);
    }
  sqlite3_bind_text (stmt, 8, problem, -1, SQLITE_TRANSIENT);
  return bourse_store_step_done (store, stmt, error);
}

gboolean
bourse_exchange_keys_save (BourseStore                  *store,
                           BourseSecrets                *secrets,
                           BourseAuth                   *auth,
                           const char                   *base_url,
                           const char                   *api_key,
                           GBytes                       *secret,
                           const BourseExchangeKeyCheck *check,
                           const char                   *actor,
                           const BourseAuthContext      *context,
                           GError                      **error)
{
  g_autoptr(BourseBinanceSigner) signer = NULL;
  g_autoptr(GBytes) key_bytes = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *hint = NULL;
  gboolean ok;

  g_return_val_if_fail (check != NULL, FALSE);

  signer = bourse_binance_signer_new (api_key, secret, error);
  if (signer == NULL)
    return FALSE;
  problem = bourse_exchange_key_check_problem (check);
  if (problem != NULL)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "api_key", "%s", problem);
      return FALSE;
    }

  /* The keyring first: a record must never claim keys that are not there. */
  key_bytes = g_bytes_new (api_key, strlen (api_key));
  if (!bourse_secrets_store (secrets, BOURSE_BINANCE_API_KEY_SECRET, key_bytes, error)
      || !bourse_secrets_store (secrets, BOURSE_BINANCE_API_SECRET_SECRET, secret, error))
    return FALSE;

  hint = bourse_binance_signer_get_hint (signer);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "venue");
  json_builder_add_string_value (builder, "binance");
  json_builder_set_member_name (builder, "api_key_hint");
  json_builder_add_string_value (builder, hint);
  json_builder_set_member_name (builder, "base_url");
  json_builder_add_string_value (builder, base_url);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  ok = bourse_store_begin (store, error)
       && write_record (store, signer, base_url, check, TRUE, error)
       && bourse_auth_audit (auth, actor, "exchange.keys.set", "exchange:binance", details, context, error)
       && bourse_store_commit (store, error);
  if (!ok)
    bourse_store_rollback (store);
  return ok;
}

gboolean
bourse_exchange_keys_record_check (BourseStore                  *store,
                                   BourseBinanceSigner          *signer,
                                   const char                   *base_url,
                                   const BourseExchangeKeyCheck *check,
                                   GError                      **error)
{
  g_return_val_if_fail (signer != NULL, FALSE);

  return write_record (store, signer, base_url, check, FALSE, error);
}

gboolean
bourse_exchange_keys_delete (BourseStore              *store,
                             BourseSecrets            *secrets,
                             BourseAuth               *auth,
                             const char               *actor,
                             const BourseAuthContext  *context,
                             GError                  **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  gboolean ok;

  if (!bourse_secrets_delete (secrets, BOURSE_BINANCE_API_KEY_SECRET, error)
      || !bourse_secrets_delete (secrets, BOURSE_BINANCE_API_SECRET_SECRET, error))
    return FALSE;
  stmt = bourse_store_statement (store, "DELETE FROM exchange_keys WHERE venue = 'binance'", error);
  if (stmt == NULL)
    return FALSE;
  ok = bourse_store_begin (store, error)
       && bourse_store_step_done (store, stmt, error)
       && bourse_auth_audit (auth, actor, "exchange.keys.delete", "exchange:binance", NULL, context, error)
       && bourse_store_commit (store, error);
  if (!ok)
    bourse_store_rollback (store);
  return ok;
}

gboolean
bourse_exchange_keys_passed (BourseStore  *store,
                             GError      **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  gboolean passed = FALSE;

  stmt = bourse_store_statement (store,
                                 "SELECT 1 FROM exchange_keys WHERE venue = 'binance' AND checked_at IS NOT NULL "
                                 "AND can_trade = 1 AND can_withdraw = 0 AND problem IS NULL", error);
  return stmt != NULL && bourse_store_step_row (store, stmt, &passed, error) && passed;
}

static void
add_nullable_boolean (JsonBuilder  *builder,
                      const char   *name,
                      sqlite3_stmt *stmt,
                      int           column)
{
  json_builder_set_member_name (builder, name);
  if (stmt == NULL || sqlite3_column_type (stmt, column) == SQLITE_NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_boolean_value (builder, sqlite3_column_int (stmt, column) != 0);
}

static void
add_nullable_text (JsonBuilder  *builder,
                   const char   *name,
                   sqlite3_stmt *stmt,
                   int           column)
{
  json_builder_set_member_name (builder, name);
  if (stmt == NULL || sqlite3_column_type (stmt, column) == SQLITE_NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, column));
}

JsonNode *
bourse_exchange_keys_json (BourseStore    *store,
                           BourseSecrets  *secrets,
                           BourseConfig   *config,
                           GError        **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(BourseBinanceSigner) signer = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) load_error = NULL;
  g_autofree char *hint = NULL;
  sqlite3_stmt *row;
  gboolean found = FALSE;

  stmt = bourse_store_statement (store,
                                 "SELECT kind, api_key_hint, base_url, checked_at, can_trade, can_withdraw, "
                                 "account_type, problem FROM exchange_keys WHERE venue = 'binance'", error);
  if (stmt == NULL || !bourse_store_step_row (store, stmt, &found, error))
    return NULL;
  row = found ? stmt : NULL;
  /* Keys given in the environment have no record until checked. */
  signer = bourse_exchange_keys_load (secrets, config, &load_error);
  if (signer != NULL)
    hint = bourse_binance_signer_get_hint (signer);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "present");
  json_builder_add_boolean_value (builder, signer != NULL);
  json_builder_set_member_name (builder, "kind");
  if (signer != NULL)
    json_builder_add_string_value (builder, bourse_binance_signer_get_kind (signer) == BOURSE_BINANCE_KEY_ED25519
                                            ? "ed25519" : "hmac");
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "api_key_hint");
  if (hint != NULL)
    json_builder_add_string_value (builder, hint);
  else
    json_builder_add_null_value (builder);
  add_nullable_text (builder, "checked_at", row, 3);
  add_nullable_boolean (builder, "can_trade", row, 4);
  add_nullable_boolean (builder, "can_withdraw", row, 5);
  add_nullable_text (builder, "account_type", row, 6);
  json_builder_set_member_name (builder, "passed");
  json_builder_add_boolean_value (builder, signer != NULL && row != NULL
                                  && sqlite3_column_type (row, 3) != SQLITE_NULL
                                  && sqlite3_column_int (row, 4) == 1 && sqlite3_column_int (row, 5) == 0
                                  && sqlite3_column_type (row, 7) == SQLITE_NULL);
  json_builder_set_member_name (builder, "problem");
  if (load_error != NULL)
    json_builder_add_string_value (builder, load_error->message);
  else if (row != NULL && sqlite3_column_type (row, 7) != SQLITE_NULL)
    json_builder_add_string_value (builder, (const char *) sqlite3_column_text (row, 7));
  else if (signer != NULL && row == NULL)
    json_builder_add_string_value (builder, _("The keys have not been checked yet"));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* ----- entering and checking keys (the API and boursed share these) ----- */

typedef struct
{
  BourseStore             *store;
  BourseSecrets           *secrets;
  BourseAuth              *auth;
  char                    *base_url;
  char                    *api_key;
  GBytes                  *secret;      /* NULL: a re-check of the kept keys */
  BourseBinanceSigner     *signer;
  char                    *actor;
  BourseAuthContext        context;
  char                    *context_address;
  char                    *context_agent;
  char                    *context_request_id;
} Entry;

static void
entry_free (Entry *entry)
{
  g_clear_object (&entry->store);
  g_clear_object (&entry->secrets);
  g_clear_object (&entry->auth);
  g_free (entry->base_url);
  g_free (entry->api_key);
  g_clear_pointer (&entry->secret, g_bytes_unref);
  g_clear_pointer (&entry->signer, bourse_binance_signer_unref);
  g_free (entry->actor);
  g_free (entry->context_address);
  g_free (entry->context_agent);
  g_free (entry->context_request_id);
  g_free (entry);
}

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Entry *entry = g_task_get_task_data (task);
  g_autoptr(BourseExchangeKeyCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  check = bourse_binance_check_keys_finish (result, &error);
  if (check == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (entry->secret != NULL)
    ok = bourse_exchange_keys_save (entry->store, entry->secrets, entry->auth, entry->base_url, entry->api_key,
                                    entry->secret, check, entry->actor, &entry->context, &error);
  else
    ok = bourse_exchange_keys_record_check (entry->store, entry->signer, entry->base_url, check, &error);
  if (!ok)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&check), (GDestroyNotify) bourse_exchange_key_check_free);
}

static void
check_async (BourseStore             *store,
             BourseSecrets           *secrets,
             BourseAuth              *auth,
             BourseConfig            *config,
             const char              *api_key,
             GBytes                  *secret,
             const char              *actor,
             const BourseAuthContext *context,
             GCancellable            *cancellable,
             GAsyncReadyCallback      callback,
             gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  Entry *entry = g_new0 (Entry, 1);

  g_task_set_source_tag (task, check_async);
  g_task_set_task_data (task, entry, (GDestroyNotify) entry_free);
  entry->store = g_object_ref (store);
  entry->secrets = g_object_ref (secrets);
  entry->auth = g_object_ref (auth);
  entry->base_url = g_strdup (bourse_config_get_string (config, "binance", "base_url"));
  entry->actor = g_strdup (actor);
  /* The request's context outlives nothing: copied. */
  if (context != NULL)
    {
      entry->context_address = g_strdup (context->client_address);
      entry->context_agent = g_strdup (context->user_agent);
      entry->context_request_id = g_strdup (context->request_id);
    }
  entry->context = (BourseAuthContext) { entry->context_address, entry->context_request_id, entry->context_agent };
  if (secret != NULL)
    {
      entry->api_key = g_strdup (api_key);
      entry->secret = g_bytes_ref (secret);
      entry->signer = bourse_binance_signer_new (api_key, secret, &error);
    }
  else
    {
      entry->signer = bourse_exchange_keys_load (secrets, config, &error);
      if (entry->signer == NULL && error == NULL)
        bourse_set_field_error (&error, BOURSE_ERROR_CONFLICT, "keys", _("No Binance keys are kept: enter them first"));
    }
  if (entry->signer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  bourse_binance_check_keys_async (config, entry->signer, cancellable, checked_cb, g_steal_pointer (&task));
}

void
bourse_exchange_keys_enter_async (BourseStore             *store,
                                  BourseSecrets           *secrets,
                                  BourseAuth              *auth,
                                  BourseConfig            *config,
                                  const char              *api_key,
                                  GBytes                  *secret,
                                  const char              *actor,
                                  const BourseAuthContext *context,
                                  GCancellable            *cancellable,
                                  GAsyncReadyCallback      callback,
                                  gpointer                 user_data)
{
  g_return_if_fail (secret != NULL);

  check_async (store, secrets, auth, config, api_key, secret, actor, context, cancellable, callback, user_data);
}

void
bourse_exchange_keys_recheck_async (BourseStore          *store,
                                    BourseSecrets        *secrets,
                                    BourseAuth           *auth,
                                    BourseConfig         *config,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  check_async (store, secrets, auth, config, NULL, NULL, "system", NULL, cancellable, callback, user_data);
}

BourseExchangeKeyCheck *
bourse_exchange_keys_check_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
