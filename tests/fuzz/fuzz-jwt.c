/* fuzz-jwt.c — the JSON Web Token parser and verifier
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a mode byte, then
 *   mode 0: a token as a client sends it, which must never verify: the
 *           fuzzer does not know the key;
 *   mode 1: a header and a payload (JSON texts, split at the first NUL)
 *           that the harness encodes and signs with the key, so that the
 *           claims are read; what verifies must encode back to a token
 *           that verifies to the same claims;
 *   mode 2: a token signed with the key, whose bytes the input then
 *           changes: a change must not verify.
 */

#include <string.h>

#include "auth/bourse-jwt.h"

#include "fuzz-util.h"

/* Fixed, so that a finding replays. */
#define NOW    G_GINT64_CONSTANT (1767225600)
#define LEEWAY 30

static GBytes *key;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  static const char secret[] = "fuzzing key of at least 32 bytes, never used elsewhere";

  bourse_fuzz_init_logging ();
  key = g_bytes_new_static (secret, sizeof secret - 1);
  return 0;
}

static char *
base64url (const void *data,
           gsize       length)
{
  char *text = g_base64_encode (data, length);

  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  if (strchr (text, '=') != NULL)
    *strchr (text, '=') = '\0';
  return text;
}

static char *
sign (const char *header,
      gsize       header_length,
      const char *payload,
      gsize       payload_length)
{
  g_autofree char *header64 = base64url (header, header_length);
  g_autofree char *payload64 = base64url (payload, payload_length);
  g_autofree char *input = g_strconcat (header64, ".", payload64, NULL);
  g_autofree char *signature = NULL;
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, g_bytes_get_data (key, NULL), g_bytes_get_size (key));
  guint8 digest[32];
  gsize digest_length = sizeof digest;

  g_hmac_update (hmac, (const guchar *)input, -1);
  g_hmac_get_digest (hmac, digest, &digest_length);
  signature = base64url (digest, digest_length);
  return g_strconcat (input, ".", signature, NULL);
}

static void
check_claims (const BourseJwtClaims *claims)
{
  g_autoptr(BourseJwtClaims) again = NULL;
  g_autofree char *token = NULL;

  FUZZ_CHECK (claims->sub != NULL && claims->role != NULL && claims->sid != NULL && claims->jti != NULL);
  FUZZ_CHECK (claims->exp > NOW - LEEWAY && claims->iat <= NOW + LEEWAY);

  token = bourse_jwt_encode (claims, key);
  again = bourse_jwt_decode (token, key, NOW, LEEWAY, NULL);
  FUZZ_CHECK (again != NULL);
  FUZZ_CHECK (g_str_equal (again->sub, claims->sub) && g_str_equal (again->role, claims->role));
  FUZZ_CHECK (g_str_equal (again->sid, claims->sid) && g_str_equal (again->jti, claims->jti));
  FUZZ_CHECK (again->iat == claims->iat && again->exp == claims->exp);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BourseJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *token = NULL;

  if (size < 1)
    return 0;
  text = g_malloc (size);
  memcpy (text, data + 1, size - 1);
  text[size - 1] = '\0';

  switch (data[0] % 3)
    {
    case 0:
      claims = bourse_jwt_decode (text, key, NOW, LEEWAY, &error);
      FUZZ_CHECK (claims == NULL && error != NULL && error->domain == BOURSE_JWT_ERROR);
      break;

    case 1:
      {
        gsize header_length = strlen (text);
        const char *payload = text + MIN (header_length + 1, size - 1);

        token = sign (text, header_length, payload, size - 1 - (payload - text));
        claims = bourse_jwt_decode (token, key, NOW, LEEWAY, &error);
        FUZZ_CHECK ((claims == NULL) == (error != NULL));
        if (claims != NULL)
          check_claims (claims);
        break;
      }

    default:
      {
        const BourseJwtClaims base = { (char *)"42", (char *)"trader", (char *)"7", (char *)"c2VjcmV0",
                                       NOW - 10, NOW + 900 };
        g_autofree char *changed = NULL;
        gsize length;

        token = bourse_jwt_encode (&base, key);
        length = strlen (token);
        changed = g_strdup (token);
        /* Each pair of bytes: a position and what to put there. */
        for (gsize i = 0; i + 1 < size - 1; i += 2)
          changed[(guint8)text[i] % length] = text[i + 1] ? text[i + 1] : '.';
        claims = bourse_jwt_decode (changed, key, NOW, LEEWAY, &error);
        FUZZ_CHECK (claims == NULL || g_str_equal (changed, token));
        break;
      }
    }
  return 0;
}
