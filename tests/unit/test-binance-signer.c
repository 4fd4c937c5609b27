/* test-binance-signer.c — Binance's request signatures against published vectors
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "core/bourse-error.h"
#include "exchange/bourse-binance-signer.h"

static BourseBinanceSigner *
signer_new (const char  *api_key,
            const char  *secret,
            GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (secret, strlen (secret));

  return bourse_binance_signer_new (api_key, bytes, error);
}

/* The HMAC example of Binance's Spot API documentation ("SIGNED endpoint
 * examples"). */
static void
test_hmac_vector (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseBinanceSigner) signer =
    signer_new ("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
                "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", &error);
  g_autofree char *signature = NULL;
  g_autofree char *hint = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (bourse_binance_signer_get_kind (signer), ==, BOURSE_BINANCE_KEY_HMAC);
  signature = bourse_binance_signer_sign (signer,
    "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559",
    -1);
  g_assert_cmpstr (signature, ==, "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
  hint = bourse_binance_signer_get_hint (signer);
  g_assert_cmpstr (hint, ==, "vmPU…Eh8A");
}

/* RFC 8032's second Ed25519 test (the one-byte message 0x72), its seed put
 * in the PKCS#8 PEM that Binance's key generator writes. */
static void
test_ed25519_vector (void)
{
  static const char pem[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIEzNCJso/5banbbDRuwRTg9bijGfNaumJNqM9u1PuKb7\n"
    "-----END PRIVATE KEY-----\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseBinanceSigner) signer = signer_new ("edkey0001", pem, &error);
  g_autofree char *signature = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (bourse_binance_signer_get_kind (signer), ==, BOURSE_BINANCE_KEY_ED25519);
  signature = bourse_binance_signer_sign (signer, "r", 1);
  g_assert_cmpstr (signature, ==,
                   "kqAJqfDUyrhyDoILX2QlQKKye1QWUD+Ps3YiI+vbadoIWsHkPhWZbkWPNhPQ8R2MOHsurrQwKu6wDSkWErsMAA==");
}

static void
test_refused (void)
{
  static const char *const bad_pems[] = {
    "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n",
    /* An RSA-sized blob, not Ed25519. */
    "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n",
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIEzNCJso\n",
  };
  g_autoptr(GError) error = NULL;
  BourseBinanceSigner *signer;

  signer = signer_new ("has space", "secret", &error);
  g_assert_null (signer);
  g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_INVALID);
  g_assert_cmpstr (bourse_error_get_field (error), ==, "api_key");
  g_clear_error (&error);

  signer = signer_new ("", "secret", &error);
  g_assert_null (signer);
  g_assert_cmpstr (bourse_error_get_field (error), ==, "api_key");
  g_clear_error (&error);

  signer = signer_new ("abc", "", &error);
  g_assert_null (signer);
  g_assert_cmpstr (bourse_error_get_field (error), ==, "secret");
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (bad_pems); i++)
    {
      signer = signer_new ("abc", bad_pems[i], &error);
      g_assert_null (signer);
      g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_INVALID);
      g_assert_cmpstr (bourse_error_get_field (error), ==, "secret");
      /* The secret is never in a message. */
      g_assert_null (strstr (error->message, "MC4C"));
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/binance-signer/hmac", test_hmac_vector);
  g_test_add_func ("/binance-signer/ed25519", test_ed25519_vector);
  g_test_add_func ("/binance-signer/refused", test_refused);

  return g_test_run ();
}
