/* desk/bourse-desk-webhooks.h — external signals (TradingView-style alerts) signed with HMAC-SHA256
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-desk.h"

G_BEGIN_DECLS

/* The largest alert body accepted. */
#define BOURSE_WEBHOOK_MAX_BODY (16 * 1024)

typedef struct
{
  gint64  id;
  char   *name;
  gint64  created_by;     /* 0: none */
  char   *created_at;
  char   *revoked_at;     /* or NULL */
} BourseWebhook;

void           bourse_webhook_free          (BourseWebhook          *webhook);
/* {"id","name","created_by","created_at","revoked_at"}; never the secret. */
JsonNode      *bourse_webhook_to_json       (const BourseWebhook    *webhook);
/* Newest first. A GPtrArray of BourseWebhook. */
GPtrArray     *bourse_webhooks_list         (BourseStore            *store,
                                             gint64                  before_id,
                                             guint                   limit,
                                             GError                **error);

/* A new hook with a random secret, kept in the secret store as
 * "webhook:<id>" and returned this once in *secret (hex). Audited. */
BourseWebhook *bourse_desk_create_webhook   (BourseDesk             *self,
                                             const char             *name,
                                             const BourseDeskCaller *caller,
                                             char                  **secret,
                                             GError                **error);
/* Revokes it and deletes its secret; NOT_FOUND, or CONFLICT when revoked already. */
gboolean       bourse_desk_revoke_webhook   (BourseDesk             *self,
                                             gint64                  id,
                                             const BourseDeskCaller *caller,
                                             GError                **error);

/* An alert for hook @id: NOT_FOUND for an unknown or revoked hook,
 * TOO_LARGE over BOURSE_WEBHOOK_MAX_BODY, UNAUTHENTICATED without a valid
 * X-Bourse-Timestamp / X-Bourse-Signature pair (HMAC-SHA256 of
 * "<timestamp>.<body>" with the hook's secret, hex, after "sha256="), a
 * timestamp outside [webhooks] replay_window or a pair seen before;
 * INVALID naming the field for a bad body. Then a recommendation (origin
 * "webhook") and a pending approval, audited and published. */
gboolean       bourse_desk_receive_webhook  (BourseDesk             *self,
                                             gint64                  id,
                                             const char             *timestamp,
                                             const char             *signature,
                                             GBytes                 *body,
                                             const BourseAuthContext *context,
                                             gint64                 *recommendation_id,
                                             gint64                 *approval_id,
                                             GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseWebhook, bourse_webhook_free)

G_END_DECLS
