/* bourse-binance-signer.h — Binance's request signatures: HMAC-SHA256 or Ed25519
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  BOURSE_BINANCE_KEY_HMAC,      /* a secret string: the signature is hex HMAC-SHA256 */
  BOURSE_BINANCE_KEY_ED25519,   /* a PKCS#8 PEM private key: the signature is base64 Ed25519 */
} BourseBinanceKeyKind;

typedef struct _BourseBinanceSigner BourseBinanceSigner;

/* @secret: the HMAC secret, or an Ed25519 private key in PEM ("-----BEGIN
 * PRIVATE KEY-----", as Binance's key generator writes it), told apart by
 * its first line. NULL with an error naming what is wrong; the secret is
 * never in the message. */
BourseBinanceSigner  *bourse_binance_signer_new       (const char           *api_key,
                                                       GBytes               *secret,
                                                       GError              **error);
BourseBinanceSigner  *bourse_binance_signer_ref       (BourseBinanceSigner  *self);
void                  bourse_binance_signer_unref     (BourseBinanceSigner  *self);
const char           *bourse_binance_signer_get_api_key (BourseBinanceSigner *self);
BourseBinanceKeyKind  bourse_binance_signer_get_kind  (BourseBinanceSigner  *self);
/* The key for people: its first and last four characters. */
char                 *bourse_binance_signer_get_hint  (BourseBinanceSigner  *self);
/* The signature of @payload (the query string, then the body, exactly as
 * sent): lowercase hex for HMAC, standard base64 for Ed25519 (which the
 * caller percent-encodes in a query). */
char                 *bourse_binance_signer_sign      (BourseBinanceSigner  *self,
                                                       const char           *payload,
                                                       gssize                length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseBinanceSigner, bourse_binance_signer_unref)

G_END_DECLS
