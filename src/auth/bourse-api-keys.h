/* bourse-api-keys.h — keys for programs (X-API-Key)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-auth.h"

G_BEGIN_DECLS

/* A new key for user_id with a role no higher than max_role. Returns the
 * key itself, shown once and stored only as a hash; *id is set. expires_at:
 * RFC 3339 or NULL for no expiry. */
char            *bourse_api_keys_create        (BourseAuth               *auth,
                                                const BoursePrincipal    *creator,
                                                const char               *name,
                                                BourseRole                role,
                                                const char               *expires_at,
                                                const BourseAuthContext  *context,
                                                gint64                   *id,
                                                GError                  **error);
/* Own keys, or everyone's for all == TRUE: a JSON array, never the key. */
JsonNode        *bourse_api_keys_list          (BourseAuth               *auth,
                                                gint64                    user_id,
                                                gboolean                  all,
                                                GError                  **error);
/* Revokes a key of user_id (any user's when admin). NOT_FOUND otherwise. */
gboolean         bourse_api_keys_revoke        (BourseAuth               *auth,
                                                const BoursePrincipal    *actor,
                                                gint64                    id,
                                                const BourseAuthContext  *context,
                                                GError                  **error);
/* The principal of a valid, unrevoked, unexpired key whose owner is active;
 * its role is the lower of the key's and the owner's current role. */
BoursePrincipal *bourse_api_keys_authenticate  (BourseAuth               *auth,
                                                const char               *key,
                                                GError                  **error);

G_END_DECLS
