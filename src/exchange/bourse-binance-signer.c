/* bourse-binance-signer.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "core/bourse-error.h"

#include "bourse-binance-signer.h"

/* An Ed25519 private key in PKCS#8 (RFC 8410) is this DER prefix and then
 * the 32-byte seed. */
static const guint8 ed25519_pkcs8_prefix[] = {
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
};

struct _BourseBinanceSigner
{
  gatomicrefcount       ref_count;
  char                 *api_key;
  BourseBinanceKeyKind  kind;
  GBytes               *hmac_secret;
  guint8                ed25519_secret[crypto_sign_SECRETKEYBYTES];
};

static gboolean
parse_ed25519_pem (BourseBinanceSigner  *self,
                   const char           *pem,
                   gsize                 length,
                   GError              **error)
{
  static const char begin[] = "-----BEGIN PRIVATE KEY-----";
  static const char end[] = "-----END PRIVATE KEY-----";
  g_autofree char *text = g_strndup (pem, length);
  g_autofree guint8 *der = NULL;
  const char *body;
  char *stop;
  gsize der_length = 0;
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  gboolean ok;

  body = strstr (text, begin);
  stop = body != NULL ? strstr (body, end) : NULL;
  if (stop == NULL)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "secret",
                              _("The private key is not a PEM “PRIVATE KEY”"));
      return FALSE;
    }
  *stop = '\0';
  der = g_base64_decode (body + strlen (begin), &der_length);
  ok = der_length == sizeof ed25519_pkcs8_prefix + 32
       && memcmp (der, ed25519_pkcs8_prefix, sizeof ed25519_pkcs8_prefix) == 0
       && sodium_init () >= 0
       && crypto_sign_seed_keypair (public_key, self->ed25519_secret, der + sizeof ed25519_pkcs8_prefix) == 0;
  sodium_memzero (der, der_length);
  sodium_memzero (text, length);
  if (!ok)
    bourse_set_field_error (error, BOURSE_ERROR_INVALID, "secret",
                            _("The private key is not an Ed25519 key"));
  return ok;
}

BourseBinanceSigner *
bourse_binance_signer_new (const char  *api_key,
                           GBytes      *secret,
                           GError     **error)
{
  BourseBinanceSigner *self;
  const char *data;
  gsize length = 0;

  g_return_val_if_fail (secret != NULL, NULL);

  if (api_key == NULL || *api_key == '\0' || strlen (api_key) > 256
      || strspn (api_key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") != strlen (api_key))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "api_key",
                              _("The API key must be 1 to 256 letters and digits"));
      return NULL;
    }
  data = g_bytes_get_data (secret, &length);
  if (length == 0 || length > 4096 || memchr (data, '\0', length) != NULL)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "secret",
                              _("The secret must be 1 to 4096 characters"));
      return NULL;
    }

  self = g_new0 (BourseBinanceSigner, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->api_key = g_strdup (api_key);
  if (g_strstr_len (data, length, "-----BEGIN") != NULL)
    {
      self->kind = BOURSE_BINANCE_KEY_ED25519;
      if (!parse_ed25519_pem (self, data, length, error))
        {
          bourse_binance_signer_unref (self);
          return NULL;
        }
    }
  else
    {
      self->kind = BOURSE_BINANCE_KEY_HMAC;
      self->hmac_secret = g_bytes_ref (secret);
    }
  return self;
}

BourseBinanceSigner *
bourse_binance_signer_ref (BourseBinanceSigner *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
bourse_binance_signer_unref (BourseBinanceSigner *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  sodium_memzero (self->ed25519_secret, sizeof self->ed25519_secret);
  g_clear_pointer (&self->hmac_secret, g_bytes_unref);
  g_free (self->api_key);
  g_free (self);
}

const char *
bourse_binance_signer_get_api_key (BourseBinanceSigner *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->api_key;
}

BourseBinanceKeyKind
bourse_binance_signer_get_kind (BourseBinanceSigner *self)
{
  g_return_val_if_fail (self != NULL, BOURSE_BINANCE_KEY_HMAC);

  return self->kind;
}

char *
bourse_binance_signer_get_hint (BourseBinanceSigner *self)
{
  gsize length;

  g_return_val_if_fail (self != NULL, NULL);

  length = strlen (self->api_key);
  if (length <= 8)
    return g_strdup ("…");
  return g_strdup_printf ("%.4s…%s", self->api_key, self->api_key + length - 4);
}

char *
bourse_binance_signer_sign (BourseBinanceSigner *self,
                            const char          *payload,
                            gssize               length)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (payload != NULL, NULL);

  if (length < 0)
    length = strlen (payload);
  if (self->kind == BOURSE_BINANCE_KEY_HMAC)
    {
      gsize key_length;
      const guint8 *key = g_bytes_get_data (self->hmac_secret, &key_length);

      return g_compute_hmac_for_data (G_CHECKSUM_SHA256, key, key_length, (const guchar *) payload, length);
    }
  else
    {
      guint8 signature[crypto_sign_BYTES];

      crypto_sign_detached (signature, NULL, (const guchar *) payload, length, self->ed25519_secret);
      return g_base64_encode (signature, sizeof signature);
    }
}
