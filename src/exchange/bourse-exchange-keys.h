/* bourse-exchange-keys.h — a venue's API keys: in the keyring, and what is known of them
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "auth/bourse-auth.h"
#include "auth/bourse-secrets.h"
#include "core/bourse-config.h"
#include "core/bourse-store.h"

#include "bourse-binance-signer.h"

G_BEGIN_DECLS

/* Where the keys are kept (bourse-secrets). */
#define BOURSE_BINANCE_API_KEY_SECRET    "binance-api-key"
#define BOURSE_BINANCE_API_SECRET_SECRET "binance-api-secret"

/* What GET /api/v3/account said of the keys. */
typedef struct
{
  gboolean  can_trade;
  gboolean  can_withdraw;
  char     *account_type;   /* "SPOT" */
} BourseExchangeKeyCheck;

void bourse_exchange_key_check_free (BourseExchangeKeyCheck *check);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseExchangeKeyCheck, bourse_exchange_key_check_free)

/* The signer of the stored keys: the keyring's (or its file fallback's),
 * else [binance] api_key and api_secret from the configuration (a headless
 * boursed's environment). NULL with no error when there are none. */
BourseBinanceSigner *bourse_exchange_keys_load      (BourseSecrets                *secrets,
                                                     BourseConfig                 *config,
                                                     GError                      **error);
/* Why keys that were checked may not trade live, for people; NULL when
 * they may (they can trade and cannot withdraw). */
char                *bourse_exchange_key_check_problem (const BourseExchangeKeyCheck *check);
/* Keeps keys that passed @check: the secrets first, then their record
 * (kind, hint, base URL, the check) with its audit entry
 * ("exchange.keys.set") in one transaction. Refuses (INVALID, naming
 * api_key) keys whose check found a problem. */
gboolean             bourse_exchange_keys_save      (BourseStore                  *store,
                                                     BourseSecrets                *secrets,
                                                     BourseAuth                   *auth,
                                                     const char                   *base_url,
                                                     const char                   *api_key,
                                                     GBytes                       *secret,
                                                     const BourseExchangeKeyCheck *check,
                                                     const char                   *actor,
                                                     const BourseAuthContext      *context,
                                                     GError                      **error);
/* Records a later check of the stored keys (a problem found, or none). */
gboolean             bourse_exchange_keys_record_check (BourseStore               *store,
                                                     BourseBinanceSigner          *signer,
                                                     const char                   *base_url,
                                                     const BourseExchangeKeyCheck *check,
                                                     GError                      **error);
/* Removes the keys and their record ("exchange.keys.delete"). */
gboolean             bourse_exchange_keys_delete    (BourseStore                  *store,
                                                     BourseSecrets                *secrets,
                                                     BourseAuth                   *auth,
                                                     const char                   *actor,
                                                     const BourseAuthContext      *context,
                                                     GError                      **error);
/* Checks @api_key and @secret with Binance (GET /api/v3/account) and
 * keeps them when they pass (bourse_exchange_keys_save ()). Refused keys
 * are INVALID naming api_key or secret, and nothing is kept; an
 * unreachable Binance is UNAVAILABLE. The result is the check. */
void                 bourse_exchange_keys_enter_async (BourseStore             *store,
                                                     BourseSecrets                *secrets,
                                                     BourseAuth                   *auth,
                                                     BourseConfig                 *config,
                                                     const char                   *api_key,
                                                     GBytes                       *secret,
                                                     const char                   *actor,
                                                     const BourseAuthContext      *context,
                                                     GCancellable                 *cancellable,
                                                     GAsyncReadyCallback           callback,
                                                     gpointer                      user_data);
/* Checks the kept keys (or the environment's) again and records what it
 * found, a problem included; CONFLICT naming keys when there are none. */
void                 bourse_exchange_keys_recheck_async (BourseStore           *store,
                                                     BourseSecrets                *secrets,
                                                     BourseAuth                   *auth,
                                                     BourseConfig                 *config,
                                                     GCancellable                 *cancellable,
                                                     GAsyncReadyCallback           callback,
                                                     gpointer                      user_data);
BourseExchangeKeyCheck *bourse_exchange_keys_check_finish (GAsyncResult           *result,
                                                     GError                      **error);
/* TRUE when keys are stored and their last check passed. */
gboolean             bourse_exchange_keys_passed    (BourseStore                  *store,
                                                     GError                      **error);
/* {"present","kind","api_key_hint","base_url","checked_at","can_trade",
 * "can_withdraw","account_type","passed","problem"}: never the key. */
JsonNode            *bourse_exchange_keys_json      (BourseStore                  *store,
                                                     BourseSecrets                *secrets,
                                                     BourseConfig                 *config,
                                                     GError                      **error);

G_END_DECLS
