/* bourse-jwt.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-jwt"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "core/bourse-json.h"

#include "bourse-jwt.h"

#define SIGNATURE_SIZE 32           /* HMAC-SHA256 */
#define MIN_KEY_SIZE   32
/* Our tokens are about 300 bytes; anything far larger is not one of ours,
 * and refusing it early bounds the work an attacker can ask for. */
#define MAX_TOKEN_SIZE 8192

/* The only header we write, and the one algorithm we accept. */
static const char header_json[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

G_DEFINE_QUARK (bourse-jwt-error-quark, bourse_jwt_error)

/* RFC 4648 §5 base64url without padding, on top of GLib's standard
 * alphabet with padding. */
static char *
base64url_encode (const guint8 *data,
                  gsize         size)
{
  char *text = g_base64_encode (data, size);
  char *out = text;

  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '=')
        break;
      *out++ = *p == '+' ? '-' : *p == '/' ? '_' : *p;
    }
  *out = '\0';

  return text;
}

/* Strict: only the url-safe alphabet, no padding, and the canonical form
 * (unused trailing bits zero), so that one token has one spelling. */
static guint8 *
base64url_decode (const char *text,
                  gsize       len,
                  gsize      *out_size)
{
  g_autofree char *standard = NULL;
  g_autofree char *again = NULL;
  guint8 *data;
  gsize i;

  if (len % 4 == 1)
    return NULL;

  standard = g_malloc (len + 3);
  for (i = 0; i < len; i++)
    {
      char c = text[i];

      if (g_ascii_isalnum (c))
        standard[i] = c;
      else if (c == '-')
        standard[i] = '+';
      else if (c == '_')
        standard[i] = '/';
      else
        return NULL;
    }
  while (i % 4 != 0)
    standard[i++] = '=';
  standard[i] = '\0';

  data = g_base64_decode (standard, out_size);

  again = base64url_encode (data, *out_size);
  if (strlen (again) != len || memcmp (again, text, len) != 0)
    {
      g_free (data);
      return NULL;
    }

  return data;
}

static void
compute_signature (const char *signing_input,
                   gsize       len,
                   GBytes     *key,
                   guint8      digest[SIGNATURE_SIZE])
{
  gsize key_size;
  const guint8 *key_data = g_bytes_get_data (key, &key_size);
  GHmac *hmac = g_hmac_new (G_CHECKSUM_SHA256, key_data, key_size);
  gsize digest_len = SIGNATURE_SIZE;

  g_hmac_update (hmac, (const guchar *)signing_input, len);
  g_hmac_get_digest (hmac, digest, &digest_len);
  g_hmac_unref (hmac);
  g_assert (digest_len == SIGNATURE_SIZE);
}

char *
bourse_jwt_encode (const BourseJwtClaims *claims,
                   GBytes                *key)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *payload_json = NULL;
  g_autofree char *header = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *signing_input = NULL;
  gsize payload_len;
  guint8 digest[SIGNATURE_SIZE];

  g_return_val_if_fail (claims != NULL, NULL);
  g_return_val_if_fail (claims->sub != NULL, NULL);
  g_return_val_if_fail (claims->role != NULL, NULL);
  g_return_val_if_fail (claims->sid != NULL, NULL);
  g_return_val_if_fail (claims->jti != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (g_bytes_get_size (key) >= MIN_KEY_SIZE, NULL);

  /* Member order is part of the contract: tests compare tokens byte for byte. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sub");
  json_builder_add_string_value (builder, claims->sub);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, claims->role);
  json_builder_set_member_name (builder, "sid");
  json_builder_add_string_value (builder, claims->sid);
  json_builder_set_member_name (builder, "iat");
  json_builder_add_int_value (builder, claims->iat);
  json_builder_set_member_name (builder, "exp");
  json_builder_add_int_value (builder, claims->exp);
  json_builder_set_member_name (builder, "jti");
  json_builder_add_string_value (builder, claims->jti);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  payload_json = json_generator_to_data (generator, &payload_len);

  header = base64url_encode ((const guint8 *)header_json, strlen (header_json));
  payload = base64url_encode ((const guint8 *)payload_json, payload_len);
  signing_input = g_strconcat (header, ".", payload, NULL);

  compute_signature (signing_input, strlen (signing_input), key, digest);
  signature = base64url_encode (digest, sizeof digest);

  return g_strconcat (signing_input, ".", signature, NULL);
}

/* Decodes one base64url part and parses it as a JSON object; NULL if it
 * is anything else. */
static JsonObject *
parse_part (const char *text,
            gsize       len)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree guint8 *data = NULL;
  gsize size;

  data = base64url_decode (text, len, &size);
  if (data == NULL || size == 0)
    return NULL;

  root = bourse_json_parse ((const char *)data, size, 0, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
get_int_member (JsonObject *object,
                const char *name,
                gint64     *value)
{
  JsonNode *node = json_object_get_member (object, name);

  /* json-glib keeps integers as gint64 and anything with a fraction or an
   * exponent as double: only the former is a NumericDate we accept. */
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
check_header (JsonObject  *header,
              GError     **error)
{
  const char *alg = get_string_member (header, "alg");
  const char *typ;

  /* Never let the token choose the algorithm: "none", HS512, RS256 (the
   * public-key confusion attack) and a missing alg are all refused. */
  if (g_strcmp0 (alg, "HS256") != 0)
    {
      g_set_error (error, BOURSE_JWT_ERROR, BOURSE_JWT_ERROR_ALGORITHM,
                   _("The token is not signed with HS256"));
      return FALSE;
    }

  if (json_object_has_member (header, "typ"))
    {
      typ = get_string_member (header, "typ");
      if (typ == NULL || g_ascii_strcasecmp (typ, "JWT") != 0)
        {
          g_set_error (error, BOURSE_JWT_ERROR, BOURSE_JWT_ERROR_MALFORMED,
                       _("The token's type is not JWT"));
          return FALSE;
        }
    }

  /* RFC 7515 §4.1.11: extensions we do not understand must be refused. */
  if (json_object_has_member (header, "crit"))
    {
      g_set_error (error, BOURSE_JWT_ERROR, BOURSE_JWT_ERROR_MALFORMED,
                   _("The token requires header extensions that are not supported"));
      return FALSE;
    }

  return TRUE;
}

BourseJwtClaims *
bourse_jwt_decode (const char  *token,
                   GBytes      *key,
                   gint64       now,
                   gint64       leeway,
                   GError     **error)
{
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(BourseJwtClaims) claims = NULL;
  g_autofree guint8 *signature = NULL;
  const char *first_dot;
  const char *second_dot;
  const char *sub, *role, *sid, *jti;
  gsize token_len;
  gsize signature_size;
  guint8 expected[SIGNATURE_SIZE];
  gint64 iat, exp;

  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (g_bytes_get_size (key) >= MIN_KEY_SIZE, NULL);
  g_return_val_if_fail (leeway >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  token_len = strnlen (token, MAX_TOKEN_SIZE + 1);
  first_dot = memchr (token, '.', token_len);
  second_dot = first_dot ? memchr (first_dot + 1, '.', token + token_len - first_dot - 1) : NULL;
  if (token_len > MAX_TOKEN_SIZE || second_dot == NULL
      || memchr (second_dot + 1, '.', token + token_len - second_dot - 1) != NULL)
    {
      g_set_error (error, BOURSE_JWT_ERROR, BOURSE_JWT_ERROR_MALFORMED,
                   _("The token is not a JSON Web Token of three parts"));
      return NULL;
    }

  /* The header is read before the signature is checked: it names the
   * algorithm, which must be ours before anything else is trusted. */
  header = parse_part (token, first_dot - token);
  if (header == NULL)
    {
      g_set_error (error, BOURSE_JWT_ERROR, BOURSE_JWT_ERROR_MALFORMED,
                   _("The token's header is not a base64url-encoded JSON object"));
      return NULL;
    }
  if (!check_header (header, error))
    return NULL;

  signature = base64url_decode (second_dot + 1, token + token_len - second_dot - 1,
                                &signature_size);
  compute_signature (token, second_dot - token, key, expected);
  if (signature == NULL || signature_size != SIGNATURE_SIZE
      || sodium_memcmp (signature, expected, SIGNATURE_SIZE) != 0)
    {
      g_set_error (error, BOURSE_JWT_ERROR, BOURSE_JWT_ERROR_SIGNATURE,
                   _("The token's signature is not valid"));
      return NULL;
    }

  payload = parse_part (first_dot + 1, second_dot - first_dot - 1);
  if (payload == NULL)
    {
      g_set_error (error, BOURSE_JWT_ERROR, BOURSE_JWT_ERROR_MALFORMED,
                   _("The token's payload is not a base64url-encoded JSON object"));
      return NULL;
    }

  sub = get_string_member (payload, "sub");
  role = get_string_member (payload, "role");
  sid = get_string_member (payload, "sid");
  jti = get_string_member (payload, "jti");
  if (sub == NULL || role == NULL || sid == NULL || jti == NULL
      || !get_int_member (payload, "iat", &iat) || !get_int_member (payload, "exp", &exp))
    {
      g_set_error (error, BOURSE_JWT_ERROR, BOURSE_JWT_ERROR_MALFORMED,
                   _("The token's claims are incomplete"));
      return NULL;
    }

  if (exp <= now - leeway)
    {
      g_set_error (error, BOURSE_JWT_ERROR, BOURSE_JWT_ERROR_EXPIRED,
                   _("The token has expired: sign in again"));
      return NULL;
    }

  if (iat > now + leeway)
    {
      g_set_error (error, BOURSE_JWT_ERROR, BOURSE_JWT_ERROR_NOT_YET_VALID,
                   _("The token was issued in the future: check the clocks of client and server"));
      return NULL;
    }

  claims = g_new0 (BourseJwtClaims, 1);
  claims->sub = g_strdup (sub);
  claims->role = g_strdup (role);
  claims->sid = g_strdup (sid);
  claims->jti = g_strdup (jti);
  claims->iat = iat;
  claims->exp = exp;

  return g_steal_pointer (&claims);
}

void
bourse_jwt_claims_free (BourseJwtClaims *claims)
{
  if (claims == NULL)
    return;

  g_free (claims->sub);
  g_free (claims->role);
  g_free (claims->sid);
  g_free (claims->jti);
  g_free (claims);
}
