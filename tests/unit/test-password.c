/* test-password.c — argon2id hashing and the password policy
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <sodium.h>
#include <string.h>

#include "auth/bourse-password.h"

/* The cheapest costs libsodium allows keep the suite fast under ASan. */
#define OPS crypto_pwhash_OPSLIMIT_MIN
#define MEM crypto_pwhash_MEMLIMIT_MIN

#define GOOD_PASSWORD "correct horse battery staple"

static char *
hash_cheaply (const char *password)
{
  g_autoptr(GError) error = NULL;
  char *hash = bourse_password_hash (password, OPS, MEM, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hash);
  return hash;
}

static void
assert_policy_error (const char *password,
                     int         code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (bourse_password_check_policy (password, &error));
  g_assert_error (error, BOURSE_PASSWORD_ERROR, code);
  /* The message may be shown or logged: it must not repeat the password. */
  if (*password != '\0' && strstr (error->message, password) != NULL)
    g_error ("error message '%s' contains the password", error->message);
}

static void
assert_policy_ok (const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bourse_password_check_policy (password, &error));
  g_assert_no_error (error);
}

static void
test_init (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bourse_password_init (&error));
  g_assert_no_error (error);
  g_assert_true (bourse_password_init (&error));
  g_assert_no_error (error);
}

static void
test_round_trip (void)
{
  g_autofree char *hash = hash_cheaply (GOOD_PASSWORD);

  g_assert_true (bourse_password_verify (hash, GOOD_PASSWORD));
}

static void
test_wrong_password (void)
{
  g_autofree char *hash = hash_cheaply (GOOD_PASSWORD);

  g_assert_false (bourse_password_verify (hash, "correct horse battery stapler"));
  g_assert_false (bourse_password_verify (hash, "Correct horse battery staple"));
  g_assert_false (bourse_password_verify (hash, ""));
  g_assert_false (bourse_password_verify ("not a hash", GOOD_PASSWORD));
  g_assert_false (bourse_password_verify ("", GOOD_PASSWORD));
}

static void
test_argon2id (void)
{
  g_autofree char *hash = hash_cheaply (GOOD_PASSWORD);
  g_autofree char *expected_cost = g_strdup_printf ("$m=%zu,t=%llu,p=1$", (size_t)MEM / 1024,
                                                    (unsigned long long)OPS);

  g_assert_true (g_str_has_prefix (hash, "$argon2id$v=19$"));
  g_assert_nonnull (strstr (hash, expected_cost));
  g_assert_null (strstr (hash, GOOD_PASSWORD));
}

static void
test_salted (void)
{
  g_autofree char *first = hash_cheaply (GOOD_PASSWORD);
  g_autofree char *second = hash_cheaply (GOOD_PASSWORD);

  g_assert_cmpstr (first, !=, second);
  g_assert_true (bourse_password_verify (first, GOOD_PASSWORD));
  g_assert_true (bourse_password_verify (second, GOOD_PASSWORD));
}

static void
test_needs_rehash (void)
{
  g_autofree char *hash = hash_cheaply (GOOD_PASSWORD);
  char argon2i[crypto_pwhash_STRBYTES];

  /* A hash of the older argon2i variant, same cost: still upgraded. */
  g_assert_cmpint (crypto_pwhash_str_alg (argon2i, GOOD_PASSWORD, strlen (GOOD_PASSWORD),
                                          crypto_pwhash_argon2i_OPSLIMIT_MIN, MEM,
                                          crypto_pwhash_ALG_ARGON2I13), ==, 0);
  g_assert_true (g_str_has_prefix (argon2i, "$argon2i$"));
  g_assert_true (bourse_password_verify (argon2i, GOOD_PASSWORD));

  g_assert_false (bourse_password_needs_rehash (hash, OPS, MEM));
  g_assert_true (bourse_password_needs_rehash (hash, OPS + 1, MEM));
  g_assert_true (bourse_password_needs_rehash (hash, OPS, MEM * 2));
  /* 0 stands for libsodium's INTERACTIVE cost, which this hash is not. */
  g_assert_true (bourse_password_needs_rehash (hash, 0, 0));
  g_assert_true (bourse_password_needs_rehash ("not a hash", OPS, MEM));
  g_assert_true (bourse_password_needs_rehash (argon2i, crypto_pwhash_argon2i_OPSLIMIT_MIN, MEM));
}

/* 0 means INTERACTIVE: a hash made with 0/0 needs no rehash under the
 * explicit INTERACTIVE values. The one test paying the real cost. */
static void
test_default_cost (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = bourse_password_hash (GOOD_PASSWORD, 0, 0, &error);

  g_assert_no_error (error);
  g_assert_false (bourse_password_needs_rehash (hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                crypto_pwhash_MEMLIMIT_INTERACTIVE));
  g_assert_false (bourse_password_needs_rehash (hash, 0, 0));
  g_assert_true (bourse_password_verify (hash, GOOD_PASSWORD));
}

static void
test_bad_cost (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = bourse_password_hash (GOOD_PASSWORD, OPS, 1024, &error);

  g_assert_null (hash);
  g_assert_error (error, BOURSE_PASSWORD_ERROR, BOURSE_PASSWORD_ERROR_INTERNAL);
}

static void
test_hash_too_long (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *exact = g_strnfill (BOURSE_PASSWORD_MAX_LENGTH, 'x');
  g_autofree char *longer = g_strnfill (BOURSE_PASSWORD_MAX_LENGTH + 1, 'x');
  g_autofree char *hash = hash_cheaply (exact);
  g_autofree char *refused = bourse_password_hash (longer, OPS, MEM, &error);

  g_assert_true (bourse_password_verify (hash, exact));
  g_assert_false (bourse_password_verify (hash, longer));
  g_assert_null (refused);
  g_assert_error (error, BOURSE_PASSWORD_ERROR, BOURSE_PASSWORD_ERROR_TOO_LONG);
}

static gpointer
check_policy_thread (gpointer data)
{
  for (guint i = 0; i < 50; i++)
    {
      g_assert_false (bourse_password_check_policy ("password1234", NULL));
      g_assert_true (bourse_password_check_policy (GOOD_PASSWORD, NULL));
    }
  return NULL;
}

/* Registered first, so that the threads race to load the list. */
static void
test_policy_threads (void)
{
  GThread *threads[8];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("policy", check_policy_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

static void
test_policy_length (void)
{
  g_autofree char *e_acute_11 = NULL;
  g_autofree char *e_acute_12 = NULL;
  GString *builder;

  assert_policy_error ("", BOURSE_PASSWORD_ERROR_TOO_SHORT);
  assert_policy_error ("kT9#vB2q!Lm", BOURSE_PASSWORD_ERROR_TOO_SHORT);
  assert_policy_ok ("kT9#vB2q!Lm4");

  /* 11 characters but 22 bytes: characters count, not bytes. */
  builder = g_string_new (NULL);
  for (guint i = 0; i < 11; i++)
    g_string_append (builder, "\xc3\xa9");   /* é */
  e_acute_11 = g_strdup (builder->str);
  g_string_append (builder, "\xc3\xa9");
  e_acute_12 = g_string_free (builder, FALSE);
  g_assert_cmpuint (strlen (e_acute_11), ==, 22);
  assert_policy_error (e_acute_11, BOURSE_PASSWORD_ERROR_TOO_SHORT);
  assert_policy_ok (e_acute_12);

  /* 4-byte characters: 11 of them are 44 bytes and still too short. */
  assert_policy_error ("📈📉📈📉📈📉📈📉📈📉📈", BOURSE_PASSWORD_ERROR_TOO_SHORT);
  assert_policy_ok ("📈📉📈📉📈📉📈📉📈📉📈📉");
  assert_policy_ok ("Börsenkurs fällt");
}

static void
test_policy_too_long (void)
{
  g_autofree char *exact = g_strnfill (BOURSE_PASSWORD_MAX_LENGTH, 'x');
  g_autofree char *longer = g_strnfill (BOURSE_PASSWORD_MAX_LENGTH + 1, 'x');
  /* 342 three-byte characters: 1026 bytes, well under 1024 characters. */
  GString *wide = g_string_new (NULL);

  for (guint i = 0; i < 342; i++)
    g_string_append (wide, "\xe2\x82\xac");   /* € */

  assert_policy_ok (exact);
  assert_policy_error (longer, BOURSE_PASSWORD_ERROR_TOO_LONG);
  assert_policy_error (wide->str, BOURSE_PASSWORD_ERROR_TOO_LONG);
  g_string_free (wide, TRUE);
}

static void
test_policy_common (void)
{
  static const char * const common[] = {
    "password1234", "PASSWORD1234", "PassWord1234", "123456789012", "qwertyuiop123",
    "QwErTyUiOp123", "1qaz2wsx3edc", "aaaaaaaaaaaa", "111111111111", "letmeinplease",
    "iloveyou2024", "Football2020!", "passwordpassword", "correcthorsebatterystaple",
    "bitcoin12345", "Trustno1trustno1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (common); i++)
    assert_policy_error (common[i], BOURSE_PASSWORD_ERROR_COMMON);

  /* Close to common ones, but not in the list. */
  assert_policy_ok ("password1234 and more");
  assert_policy_ok ("qwertyuiop-7Zr");
}

static void
test_policy_invalid_utf8 (void)
{
  /* A lone continuation byte, an overlong '/', a truncated sequence. */
  assert_policy_error ("abcdefghijkl\x80", BOURSE_PASSWORD_ERROR_INVALID);
  assert_policy_error ("abcdefghijkl\xc0\xaf", BOURSE_PASSWORD_ERROR_INVALID);
  assert_policy_error ("abcdefghijkl\xe2\x82", BOURSE_PASSWORD_ERROR_INVALID);
  assert_policy_error ("\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4",
                       BOURSE_PASSWORD_ERROR_INVALID);
}

/* The shipped list: every entry at least 12 characters, lower-case, and
 * rejected by the policy as common. */
static void
test_common_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes =
    g_resources_lookup_data ("/io/github/bourse/Bourse/auth/common-passwords.txt",
                             G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *lower = NULL;

      if (lines[i][0] == '\0')
        continue;
      lower = g_utf8_strdown (lines[i], -1);
      g_assert_cmpstr (lines[i], ==, lower);
      g_assert_cmpint (g_utf8_strlen (lines[i], -1), >=, BOURSE_PASSWORD_MIN_LENGTH);
      assert_policy_error (lines[i], BOURSE_PASSWORD_ERROR_COMMON);
      n++;
    }

  g_assert_cmpuint (n, >=, 1000);
  g_assert_cmpuint (n, <=, 10000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/password/policy/threads", test_policy_threads);
  g_test_add_func ("/password/init", test_init);
  g_test_add_func ("/password/hash/round-trip", test_round_trip);
  g_test_add_func ("/password/hash/wrong-password", test_wrong_password);
  g_test_add_func ("/password/hash/argon2id", test_argon2id);
  g_test_add_func ("/password/hash/salted", test_salted);
  g_test_add_func ("/password/hash/needs-rehash", test_needs_rehash);
  g_test_add_func ("/password/hash/default-cost", test_default_cost);
  g_test_add_func ("/password/hash/bad-cost", test_bad_cost);
  g_test_add_func ("/password/hash/too-long", test_hash_too_long);
  g_test_add_func ("/password/policy/length", test_policy_length);
  g_test_add_func ("/password/policy/too-long", test_policy_too_long);
  g_test_add_func ("/password/policy/common", test_policy_common);
  g_test_add_func ("/password/policy/invalid-utf8", test_policy_invalid_utf8);
  g_test_add_func ("/password/policy/common-list", test_common_list);

  return g_test_run ();
}
