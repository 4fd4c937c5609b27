/* bourse-signature.c — the HMAC-SHA256 signature of our webhooks
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bourse-signature.h"

void
bourse_signature_compute (const guint8 *key,
                          gsize         key_length,
                          const char   *timestamp,
                          const guint8 *body,
                          gsize         body_length,
                          guint8        digest[BOURSE_SIGNATURE_BYTES])
{
  g_autoptr(GHmac) hmac = NULL;
  gsize length = BOURSE_SIGNATURE_BYTES;

  g_return_if_fail (timestamp != NULL);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_length);
  g_hmac_update (hmac, (const guchar *)timestamp, strlen (timestamp));
  g_hmac_update (hmac, (const guchar *)".", 1);
  g_hmac_update (hmac, body, body_length);
  g_hmac_get_digest (hmac, digest, &length);
  g_assert (length == BOURSE_SIGNATURE_BYTES);
}

char *
bourse_signature_header (const guint8 *key,
                         gsize         key_length,
                         const char   *timestamp,
                         const guint8 *body,
                         gsize         body_length)
{
  static const char hex[] = "0123456789abcdef";
  guint8 digest[BOURSE_SIGNATURE_BYTES];
  GString *header = g_string_new (BOURSE_SIGNATURE_PREFIX);

  bourse_signature_compute (key, key_length, timestamp, body, body_length, digest);
  for (guint i = 0; i < sizeof digest; i++)
    {
      g_string_append_c (header, hex[digest[i] >> 4]);
      g_string_append_c (header, hex[digest[i] & 0xf]);
    }
  return g_string_free (header, FALSE);
}
