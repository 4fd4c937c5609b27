/* test-jwt.c — HS256 access tokens and the usual attacks on JWT verifiers
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "auth/bourse-jwt.h"

#define KEY       "bourse-test-signing-key-32-bytes!"
#define OTHER_KEY "another-signing-key-of-32-bytes!!"
#define NOW       G_GINT64_CONSTANT (1700000300)
#define LEEWAY    30

/* The header every token of ours has, base64url-encoded. */
#define HEADER_B64 "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"

static GBytes *
make_key (const char *text)
{
  return g_bytes_new_static (text, strlen (text));
}

static BourseJwtClaims
fixed_claims (void)
{
  return (BourseJwtClaims) {
    .sub = (char *)"42",
    .role = (char *)"trader",
    .sid = (char *)"7",
    .jti = (char *)"5f0c8a1e-jti",
    .iat = G_GINT64_CONSTANT (1700000000),
    .exp = G_GINT64_CONSTANT (1700000900),
  };
}

/* base64url written out here, independent of the code under test. */
static char *
b64url (const void *data,
        gsize       size)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const guint8 *in = data;
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < size; i += 3)
    {
      guint32 n = (guint32)in[i] << 16;
      gsize left = size - i;

      if (left > 1)
        n |= (guint32)in[i + 1] << 8;
      if (left > 2)
        n |= in[i + 2];
      g_string_append_c (out, alphabet[(n >> 18) & 63]);
      g_string_append_c (out, alphabet[(n >> 12) & 63]);
      if (left > 1)
        g_string_append_c (out, alphabet[(n >> 6) & 63]);
      if (left > 2)
        g_string_append_c (out, alphabet[n & 63]);
    }

  return g_string_free (out, FALSE);
}

static char *
b64url_text (const char *text)
{
  return b64url (text, strlen (text));
}

/* Signs header and payload (JSON text) with GHmac directly. */
static char *
forge (const char     *header_json,
       const char     *payload_json,
       const char     *key,
       GChecksumType   type)
{
  g_autofree char *header = b64url_text (header_json);
  g_autofree char *payload = b64url_text (payload_json);
  g_autofree char *input = g_strconcat (header, ".", payload, NULL);
  g_autofree char *signature = NULL;
  GHmac *hmac = g_hmac_new (type, (const guchar *)key, strlen (key));
  guint8 digest[64];
  gsize len = sizeof digest;

  g_hmac_update (hmac, (const guchar *)input, -1);
  g_hmac_get_digest (hmac, digest, &len);
  g_hmac_unref (hmac);
  signature = b64url (digest, len);

  return g_strconcat (input, ".", signature, NULL);
}

static char *
payload_json (const char *role,
              gint64      iat,
              gint64      exp)
{
  return g_strdup_printf ("{\"sub\":\"42\",\"role\":\"%s\",\"sid\":\"7\",\"iat\":%" G_GINT64_FORMAT
                          ",\"exp\":%" G_GINT64_FORMAT ",\"jti\":\"5f0c8a1e-jti\"}",
                          role, iat, exp);
}

static void
assert_rejected (const char *token,
                 const char *key,
                 int         code)
{
  g_autoptr(GBytes) key_bytes = make_key (key);
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseJwtClaims) claims = bourse_jwt_decode (token, key_bytes, NOW, LEEWAY, &error);

  g_assert_null (claims);
  g_assert_error (error, BOURSE_JWT_ERROR, code);
}

static BourseJwtClaims *
decode_ok (const char *token,
           gint64      now)
{
  g_autoptr(GBytes) key = make_key (KEY);
  g_autoptr(GError) error = NULL;
  BourseJwtClaims *claims = bourse_jwt_decode (token, key, now, LEEWAY, &error);

  g_assert_no_error (error);
  g_assert_nonnull (claims);
  return claims;
}

static void
test_round_trip (void)
{
  g_autoptr(GBytes) key = make_key (KEY);
  BourseJwtClaims in = {
    .sub = (char *)"1234", .role = (char *)"admin", .sid = (char *)"99",
    .jti = (char *)"quote\" back\\slash é", .iat = NOW - 10, .exp = NOW + 900,
  };
  g_autofree char *token = bourse_jwt_encode (&in, key);
  g_autoptr(BourseJwtClaims) out = decode_ok (token, NOW);

  g_assert_true (g_str_has_prefix (token, HEADER_B64 "."));
  g_assert_null (strchr (token, '='));
  g_assert_null (strchr (token, '+'));
  g_assert_null (strchr (token, '/'));
  g_assert_cmpstr (out->sub, ==, in.sub);
  g_assert_cmpstr (out->role, ==, in.role);
  g_assert_cmpstr (out->sid, ==, in.sid);
  g_assert_cmpstr (out->jti, ==, in.jti);
  g_assert_cmpint (out->iat, ==, in.iat);
  g_assert_cmpint (out->exp, ==, in.exp);
}

/* The token computed by hand (GHmac, our own base64url) and by Python's
 * hmac module must both equal the encoder's output byte for byte. */
static void
test_known_answer (void)
{
  g_autoptr(GBytes) key = make_key (KEY);
  BourseJwtClaims claims = fixed_claims ();
  g_autofree char *payload = payload_json ("trader", claims.iat, claims.exp);
  g_autofree char *expected = forge ("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload, KEY,
                                     G_CHECKSUM_SHA256);
  g_autofree char *token = bourse_jwt_encode (&claims, key);

  g_assert_cmpstr (token, ==, expected);
  g_assert_cmpstr (token, ==,
                   HEADER_B64 ".eyJzdWIiOiI0MiIsInJvbGUiOiJ0cmFkZXIiLCJzaWQiOiI3IiwiaWF0IjoxNzAw"
                   "MDAwMDAwLCJleHAiOjE3MDAwMDA5MDAsImp0aSI6IjVmMGM4YTFlLWp0aSJ9"
                   ".HG5nvutONRnAeOQ7uMawkiYFG-rvgNCYzhJ9yAWVuTA");
}

static void
test_alg_none (void)
{
  g_autofree char *payload = payload_json ("admin", NOW, NOW + 900);
  g_autofree char *payload_b64 = b64url_text (payload);
  static const char * const headers[] = {
    "{\"alg\":\"none\"}", "{\"alg\":\"none\",\"typ\":\"JWT\"}", "{\"alg\":\"None\"}",
    "{\"alg\":\"NONE\",\"typ\":\"JWT\"}", "{\"alg\":\"\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autofree char *header = b64url_text (headers[i]);
      g_autofree char *unsigned_token = g_strconcat (header, ".", payload_b64, ".", NULL);
      g_autofree char *signed_token = forge (headers[i], payload, KEY, G_CHECKSUM_SHA256);

      assert_rejected (unsigned_token, KEY, BOURSE_JWT_ERROR_ALGORITHM);
      /* Even with an HS256 signature that would verify. */
      assert_rejected (signed_token, KEY, BOURSE_JWT_ERROR_ALGORITHM);
    }
}

static void
test_alg_other (void)
{
  g_autofree char *payload = payload_json ("admin", NOW, NOW + 900);
  g_autofree char *hs512 = forge ("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", payload, KEY,
                                  G_CHECKSUM_SHA512);
  g_autofree char *rs256 = forge ("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", payload, KEY,
                                  G_CHECKSUM_SHA256);
  g_autofree char *missing = forge ("{\"typ\":\"JWT\"}", payload, KEY, G_CHECKSUM_SHA256);
  g_autofree char *number = forge ("{\"alg\":256,\"typ\":\"JWT\"}", payload, KEY,
                                   G_CHECKSUM_SHA256);
  g_autofree char *lower = forge ("{\"alg\":\"hs256\",\"typ\":\"JWT\"}", payload, KEY,
                                  G_CHECKSUM_SHA256);

  assert_rejected (hs512, KEY, BOURSE_JWT_ERROR_ALGORITHM);
  assert_rejected (rs256, KEY, BOURSE_JWT_ERROR_ALGORITHM);
  assert_rejected (missing, KEY, BOURSE_JWT_ERROR_ALGORITHM);
  assert_rejected (number, KEY, BOURSE_JWT_ERROR_ALGORITHM);
  assert_rejected (lower, KEY, BOURSE_JWT_ERROR_ALGORITHM);
}

/* A correctly signed token of a header we do not write: no typ is fine,
 * another typ or a critical extension is not. */
static void
test_header_members (void)
{
  g_autofree char *payload = payload_json ("viewer", NOW, NOW + 900);
  g_autofree char *no_typ = forge ("{\"alg\":\"HS256\"}", payload, KEY, G_CHECKSUM_SHA256);
  g_autofree char *other_typ = forge ("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}", payload, KEY,
                                      G_CHECKSUM_SHA256);
  g_autofree char *crit = forge ("{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", payload, KEY,
                                 G_CHECKSUM_SHA256);
  g_autoptr(BourseJwtClaims) claims = decode_ok (no_typ, NOW);

  g_assert_cmpstr (claims->role, ==, "viewer");
  assert_rejected (other_typ, KEY, BOURSE_JWT_ERROR_MALFORMED);
  assert_rejected (crit, KEY, BOURSE_JWT_ERROR_MALFORMED);
}

static void
test_edited_payload (void)
{
  g_autoptr(GBytes) key = make_key (KEY);
  BourseJwtClaims claims = fixed_claims ();
  g_autofree char *token = NULL;
  g_autofree char *admin_payload = NULL;
  g_autofree char *admin_b64 = NULL;
  g_autofree char *tampered = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(BourseJwtClaims) original = NULL;

  claims.role = (char *)"viewer";
  claims.iat = NOW;
  claims.exp = NOW + 900;
  token = bourse_jwt_encode (&claims, key);
  parts = g_strsplit (token, ".", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);

  admin_payload = payload_json ("admin", NOW, NOW + 900);
  admin_b64 = b64url_text (admin_payload);
  tampered = g_strjoin (".", parts[0], admin_b64, parts[2], NULL);

  original = decode_ok (token, NOW);
  g_assert_cmpstr (original->role, ==, "viewer");
  assert_rejected (tampered, KEY, BOURSE_JWT_ERROR_SIGNATURE);
}

static void
test_wrong_key (void)
{
  g_autofree char *payload = payload_json ("admin", NOW, NOW + 900);
  g_autofree char *token = forge ("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload, OTHER_KEY,
                                  G_CHECKSUM_SHA256);

  assert_rejected (token, KEY, BOURSE_JWT_ERROR_SIGNATURE);
}

static void
test_expired (void)
{
  g_autofree char *payload = payload_json ("trader", NOW - 1000, NOW - LEEWAY);
  g_autofree char *boundary = payload_json ("trader", NOW - 1000, NOW - LEEWAY + 1);
  g_autofree char *expired = forge ("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload, KEY,
                                    G_CHECKSUM_SHA256);
  g_autofree char *still_valid = forge ("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", boundary, KEY,
                                        G_CHECKSUM_SHA256);
  g_autoptr(BourseJwtClaims) claims = decode_ok (still_valid, NOW);

  g_assert_cmpint (claims->exp, ==, NOW - LEEWAY + 1);
  assert_rejected (expired, KEY, BOURSE_JWT_ERROR_EXPIRED);
}

static void
test_not_yet_valid (void)
{
  g_autofree char *payload = payload_json ("trader", NOW + LEEWAY + 1, NOW + 900);
  g_autofree char *boundary = payload_json ("trader", NOW + LEEWAY, NOW + 900);
  g_autofree char *future = forge ("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload, KEY,
                                   G_CHECKSUM_SHA256);
  g_autofree char *skewed = forge ("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", boundary, KEY,
                                   G_CHECKSUM_SHA256);
  g_autoptr(BourseJwtClaims) claims = decode_ok (skewed, NOW);

  g_assert_cmpint (claims->iat, ==, NOW + LEEWAY);
  assert_rejected (future, KEY, BOURSE_JWT_ERROR_NOT_YET_VALID);
}

static void
test_parts (void)
{
  g_autoptr(GBytes) key = make_key (KEY);
  BourseJwtClaims claims = fixed_claims ();
  g_autofree char *token = bourse_jwt_encode (&claims, key);
  g_autofree char *two = g_strndup (token, strrchr (token, '.') - token);
  g_autofree char *four = g_strconcat (token, ".", NULL);
  g_autofree char *four_full = g_strconcat (token, ".", HEADER_B64, NULL);
  g_autofree char *short_signature = g_strndup (token, strlen (token) - 1);
  g_autofree char *long_signature = g_strconcat (token, "A", NULL);
  g_autofree char *huge = NULL;
  GString *builder = g_string_new (token);

  assert_rejected ("", KEY, BOURSE_JWT_ERROR_MALFORMED);
  assert_rejected (".", KEY, BOURSE_JWT_ERROR_MALFORMED);
  assert_rejected ("..", KEY, BOURSE_JWT_ERROR_MALFORMED);
  assert_rejected ("...", KEY, BOURSE_JWT_ERROR_MALFORMED);
  assert_rejected (HEADER_B64, KEY, BOURSE_JWT_ERROR_MALFORMED);
  assert_rejected (two, KEY, BOURSE_JWT_ERROR_MALFORMED);
  assert_rejected (four, KEY, BOURSE_JWT_ERROR_MALFORMED);
  assert_rejected (four_full, KEY, BOURSE_JWT_ERROR_MALFORMED);
  assert_rejected (short_signature, KEY, BOURSE_JWT_ERROR_SIGNATURE);
  assert_rejected (long_signature, KEY, BOURSE_JWT_ERROR_SIGNATURE);

  /* A signed token stuffed far beyond any size we issue. */
  while (builder->len < 10000)
    g_string_append (builder, "A");
  huge = g_string_free (builder, FALSE);
  assert_rejected (huge, KEY, BOURSE_JWT_ERROR_MALFORMED);
}

static void
test_garbage_base64 (void)
{
  g_autoptr(GBytes) key = make_key (KEY);
  BourseJwtClaims claims = fixed_claims ();
  g_autofree char *token = NULL;
  g_autofree char *padded = NULL;
  g_autofree char *standard_alphabet = NULL;
  g_autofree char *bad_payload = NULL;
  g_autofree char *malleable = NULL;
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  char *signature;
  char *last;
  gsize index;

  claims.iat = NOW;
  claims.exp = NOW + 900;
  token = bourse_jwt_encode (&claims, key);

  assert_rejected ("!!!!." HEADER_B64 ".AAAA", KEY, BOURSE_JWT_ERROR_MALFORMED);
  assert_rejected ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9=.e30.AAAA", KEY,
                   BOURSE_JWT_ERROR_MALFORMED);
  assert_rejected ("e.e30.AAAA", KEY, BOURSE_JWT_ERROR_MALFORMED);   /* 4n+1 characters */

  /* Padding, or the standard alphabet, on an otherwise valid signature. */
  padded = g_strconcat (token, "=", NULL);
  assert_rejected (padded, KEY, BOURSE_JWT_ERROR_SIGNATURE);
  standard_alphabet = g_strdup (token);
  signature = strrchr (standard_alphabet, '.') + 1;
  for (char *p = signature; *p != '\0'; p++)
    *p = *p == '-' ? '+' : *p == '_' ? '/' : *p;
  if (strcmp (standard_alphabet, token) != 0)
    assert_rejected (standard_alphabet, KEY, BOURSE_JWT_ERROR_SIGNATURE);

  /* The last of 43 characters carries 2 unused bits: setting one decodes
   * to the same 32 bytes, but a second spelling of a token is refused. */
  malleable = g_strdup (token);
  last = malleable + strlen (malleable) - 1;
  index = strchr (alphabet, *last) - alphabet;
  g_assert_cmpint (index & 3, ==, 0);
  *last = alphabet[index | 1];
  assert_rejected (malleable, KEY, BOURSE_JWT_ERROR_SIGNATURE);

  /* A payload that is not base64url, signed with the right key: the
   * signature is fine, the payload is still refused. */
  bad_payload = forge ("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "x", KEY, G_CHECKSUM_SHA256);
  assert_rejected (bad_payload, KEY, BOURSE_JWT_ERROR_MALFORMED);
}

static void
test_not_an_object (void)
{
  static const char * const payloads[] = {
    "[\"sub\",\"42\"]", "\"42\"", "42", "null", "{", "{\"sub\":\"42\"} trailing",
  };
  static const char * const headers[] = {
    "[\"HS256\"]", "\"HS256\"", "null", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autofree char *token = forge ("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payloads[i], KEY,
                                      G_CHECKSUM_SHA256);

      assert_rejected (token, KEY, BOURSE_JWT_ERROR_MALFORMED);
    }

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autofree char *payload = payload_json ("admin", NOW, NOW + 900);
      g_autofree char *token = forge (headers[i], payload, KEY, G_CHECKSUM_SHA256);

      assert_rejected (token, KEY, BOURSE_JWT_ERROR_MALFORMED);
    }
}

/* Claims missing or of the wrong JSON type, correctly signed. */
static void
test_bad_claims (void)
{
  static const char * const payloads[] = {
    "{}",
    "{\"role\":\"admin\",\"sid\":\"7\",\"iat\":1700000000,\"exp\":1700000900,\"jti\":\"j\"}",
    "{\"sub\":42,\"role\":\"admin\",\"sid\":\"7\",\"iat\":1700000000,\"exp\":1700000900,\"jti\":\"j\"}",
    "{\"sub\":\"42\",\"role\":null,\"sid\":\"7\",\"iat\":1700000000,\"exp\":1700000900,\"jti\":\"j\"}",
    "{\"sub\":\"42\",\"role\":\"admin\",\"iat\":1700000000,\"exp\":1700000900,\"jti\":\"j\"}",
    "{\"sub\":\"42\",\"role\":\"admin\",\"sid\":\"7\",\"iat\":1700000000,\"exp\":1700000900}",
    "{\"sub\":\"42\",\"role\":\"admin\",\"sid\":\"7\",\"iat\":\"1700000000\",\"exp\":1700000900,\"jti\":\"j\"}",
    "{\"sub\":\"42\",\"role\":\"admin\",\"sid\":\"7\",\"iat\":1700000000,\"exp\":1.7000009e9,\"jti\":\"j\"}",
    "{\"sub\":\"42\",\"role\":\"admin\",\"sid\":\"7\",\"iat\":1700000000,\"exp\":true,\"jti\":\"j\"}",
    "{\"sub\":\"42\",\"role\":\"admin\",\"sid\":\"7\",\"iat\":1700000000,\"jti\":\"j\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autofree char *token = forge ("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payloads[i], KEY,
                                      G_CHECKSUM_SHA256);

      assert_rejected (token, KEY, BOURSE_JWT_ERROR_MALFORMED);
    }
}

static void
test_short_key (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GBytes) key = make_key ("only-31-bytes-of-signing-key!!!");
      BourseJwtClaims claims = fixed_claims ();
      g_autofree char *token = bourse_jwt_encode (&claims, key);

      g_assert_null (token);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*g_bytes_get_size (key) >= MIN_KEY_SIZE*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jwt/round-trip", test_round_trip);
  g_test_add_func ("/jwt/known-answer", test_known_answer);
  g_test_add_func ("/jwt/short-key", test_short_key);
  g_test_add_func ("/jwt/attack/alg-none", test_alg_none);
  g_test_add_func ("/jwt/attack/alg-other", test_alg_other);
  g_test_add_func ("/jwt/attack/header-members", test_header_members);
  g_test_add_func ("/jwt/attack/edited-payload", test_edited_payload);
  g_test_add_func ("/jwt/attack/wrong-key", test_wrong_key);
  g_test_add_func ("/jwt/attack/expired", test_expired);
  g_test_add_func ("/jwt/attack/not-yet-valid", test_not_yet_valid);
  g_test_add_func ("/jwt/attack/parts", test_parts);
  g_test_add_func ("/jwt/attack/garbage-base64", test_garbage_base64);
  g_test_add_func ("/jwt/attack/not-an-object", test_not_an_object);
  g_test_add_func ("/jwt/attack/bad-claims", test_bad_claims);

  return g_test_run ();
}
