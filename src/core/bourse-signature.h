/* bourse-signature.h — the HMAC-SHA256 signature of our webhooks, both ways
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "X-Bourse-Signature: sha256=<hex>" */
#define BOURSE_SIGNATURE_PREFIX "sha256="
#define BOURSE_SIGNATURE_BYTES  32

/* HMAC-SHA256 (@key, @timestamp "." @body): what the signal intake checks
 * and what the webhook notifier sends, so the two cannot drift apart. */
void  bourse_signature_compute (const guint8 *key,
                                gsize         key_length,
                                const char   *timestamp,
                                const guint8 *body,
                                gsize         body_length,
                                guint8        digest[BOURSE_SIGNATURE_BYTES]);
/* The header's value: BOURSE_SIGNATURE_PREFIX and the digest in hex. */
char *bourse_signature_header  (const guint8 *key,
                                gsize         key_length,
                                const char   *timestamp,
                                const guint8 *body,
                                gsize         body_length);

G_END_DECLS
