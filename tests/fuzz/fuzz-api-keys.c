/* fuzz-api-keys.c — the credentials of a request: API keys and bearer tokens
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a mode byte, then a credential: as an X-API-Key (modes 0 and 1)
 * or as the token of an Authorization: Bearer (mode 2), against an engine
 * that has one real API key. Mode 1 starts from the real key and lets the
 * input change its bytes. Only the real key, and only the local owner's
 * token, may authenticate.
 */

#include "config.h"

#include <string.h>

#include "auth/bourse-api-keys.h"

#include "fuzz-engine.h"
#include "fuzz-util.h"

static BourseFuzzEngine *engine;
static BourseAuth *auth;
static char *real_key;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  BoursePrincipal creator = { 0 };
  gint64 id = 0;

  bourse_fuzz_init_logging ();
  engine = bourse_fuzz_engine_new (NULL);
  auth = bourse_engine_get_auth (engine->engine);

  /* Keys belong to an account: a trader's, as one would make it. */
  creator.user_id = bourse_auth_create_user (auth, "local-owner", "trader", "trader@example.org",
                                             "a long and winding road 42", BOURSE_ROLE_TRADER, NULL, &error);
  g_assert_no_error (error);
  creator.actor = g_strdup_printf ("user:%" G_GINT64_FORMAT, creator.user_id);
  creator.username = (char *)"trader";
  creator.tier = (char *)"free";
  creator.role = BOURSE_ROLE_TRADER;
  real_key = bourse_api_keys_create (auth, &creator, "fuzzing", BOURSE_ROLE_VIEWER, NULL, NULL, &id, &error);
  g_assert_no_error (error);
  g_free (creator.actor);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BoursePrincipal) principal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (size < 1)
    return 0;
  text = g_malloc (size);
  memcpy (text, data + 1, size - 1);
  text[size - 1] = '\0';

  switch (data[0] % 3)
    {
    case 0:
      principal = bourse_api_keys_authenticate (auth, text, &error);
      FUZZ_CHECK (principal == NULL || g_str_equal (text, real_key));
      break;

    case 1:
      {
        g_autofree char *key = g_strdup (real_key);
        gsize length = strlen (key);

        /* Each pair of bytes: a position and what to put there. */
        for (gsize i = 0; i + 1 < size - 1; i += 2)
          key[(guint8)text[i] % length] = text[i + 1] ? text[i + 1] : '_';
        principal = bourse_api_keys_authenticate (auth, key, &error);
        FUZZ_CHECK (principal == NULL || g_str_equal (key, real_key));
        if (principal != NULL)
          FUZZ_CHECK (principal->role == BOURSE_ROLE_VIEWER && principal->api_key_id > 0);
        break;
      }

    default:
      principal = bourse_auth_authenticate_bearer (auth, text, &error);
      FUZZ_CHECK (principal == NULL || g_str_equal (text, engine->token));
      break;
    }
  FUZZ_CHECK ((principal == NULL) == (error != NULL));
  bourse_fuzz_engine_spin (engine);
  return 0;
}
