/* test-decimal.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "core/bourse-decimal.h"

#define N_RANDOM 20000

/* A fixed seed keeps failures reproducible; the cases print their operands when they fail. */
#define RANDOM_SEED 20261121

static const BourseRounding all_roundings[] = {
  BOURSE_ROUND_HALF_EVEN,
  BOURSE_ROUND_HALF_UP,
  BOURSE_ROUND_TOWARD_ZERO,
  BOURSE_ROUND_AWAY_FROM_ZERO,
  BOURSE_ROUND_FLOOR,
  BOURSE_ROUND_CEILING,
};

/* Short names for the tables below. */
#define EVEN  BOURSE_ROUND_HALF_EVEN
#define UP    BOURSE_ROUND_HALF_UP
#define TRUNC BOURSE_ROUND_TOWARD_ZERO
#define AWAY  BOURSE_ROUND_AWAY_FROM_ZERO
#define FLOOR BOURSE_ROUND_FLOOR
#define CEIL  BOURSE_ROUND_CEILING

static BourseDecimal
dec (const char *text)
{
  g_autoptr(GError) error = NULL;
  BourseDecimal value = BOURSE_DECIMAL_ZERO;

  if (!bourse_decimal_parse (text, &value, &error))
    g_error ("cannot parse test value “%s”: %s", text, error->message);

  return value;
}

static BourseDecimal
units (gint64 n)
{
  return (BourseDecimal) { n };
}

static void
assert_decimal_str (BourseDecimal  value,
                    const char    *expected)
{
  g_autofree char *str = bourse_decimal_to_string (value);

  g_assert_cmpstr (str, ==, expected);
}

/* Outputs start as this, so a failed call is seen to leave them alone. */
#define UNTOUCHED 42

/*
 * Table checks name the failing case (a line number alone would not) and carry on, so one run
 * shows every wrong row. @expected NULL means an overflow error.
 */
static void
expect_error (const char    *what,
              gboolean       ok,
              const GError  *error,
              BourseDecimal  value,
              int            code)
{
  if (ok)
    g_test_fail_printf ("%s: expected error %d, but it succeeded", what, code);
  else if (!g_error_matches (error, BOURSE_DECIMAL_ERROR, code))
    g_test_fail_printf ("%s: expected error %d, got %s", what, code,
                        error != NULL ? error->message : "no GError");
  else if (value.units != UNTOUCHED)
    g_test_fail_printf ("%s: the output was changed by a failed call", what);
}

static void
expect_result (const char    *what,
               gboolean       ok,
               const GError  *error,
               BourseDecimal  value,
               const char    *expected)
{
  g_autofree char *str = NULL;

  if (expected == NULL)
    {
      expect_error (what, ok, error, value, BOURSE_DECIMAL_ERROR_OVERFLOW);
      return;
    }

  str = bourse_decimal_to_string (value);
  if (!ok || error != NULL)
    g_test_fail_printf ("%s: expected %s, got %s", what, expected,
                        error != NULL ? error->message : "failure without a GError");
  else if (strcmp (str, expected) != 0)
    g_test_fail_printf ("%s: expected %s, got %s", what, expected, str);
}

/*
 * An independent reference: signed decimal big integers stored digit by digit, with schoolbook
 * multiplication and long division by repeated subtraction. It shares no code or technique
 * with the implementation: no __int128, and rounding picks the floor or the ceiling of the
 * exact quotient instead of nudging a magnitude. Agreeing with it is therefore meaningful.
 */

#define BIG_MAX_DIGITS 64

typedef struct
{
  gboolean negative;
  int      len;                     /* significant digits; 0 for zero */
  guint8   digit[BIG_MAX_DIGITS];   /* least significant first */
} Big;

static void
big_normalize (Big *a)
{
  while (a->len > 0 && a->digit[a->len - 1] == 0)
    a->len--;
  if (a->len == 0)
    a->negative = FALSE;
}

static Big
big_from_string (const char *s)
{
  Big a = { 0 };
  int n;
  int i;

  if (*s == '-' || *s == '+')
    a.negative = *s++ == '-';

  n = strlen (s);
  g_assert_cmpint (n, <=, BIG_MAX_DIGITS);
  for (i = 0; i < n; i++)
    {
      g_assert_true (g_ascii_isdigit (s[n - 1 - i]));
      a.digit[i] = s[n - 1 - i] - '0';
    }
  a.len = n;
  big_normalize (&a);

  return a;
}

static Big
big_from_int64 (gint64 v)
{
  g_autofree char *s = g_strdup_printf ("%" G_GINT64_FORMAT, v);

  return big_from_string (s);
}

static char *
big_to_string (const Big *a)
{
  GString *s = g_string_new (a->negative ? "-" : "");
  int i;

  if (a->len == 0)
    g_string_append_c (s, '0');
  for (i = a->len - 1; i >= 0; i--)
    g_string_append_c (s, '0' + a->digit[i]);

  return g_string_free (s, FALSE);
}

static int
big_cmp_mag (const Big *a,
             const Big *b)
{
  int i;

  if (a->len != b->len)
    return a->len < b->len ? -1 : 1;
  for (i = a->len - 1; i >= 0; i--)
    if (a->digit[i] != b->digit[i])
      return a->digit[i] < b->digit[i] ? -1 : 1;

  return 0;
}

static int
big_cmp (const Big *a,
         const Big *b)
{
  if (a->negative != b->negative)
    return a->negative ? -1 : 1;

  return a->negative ? -big_cmp_mag (a, b) : big_cmp_mag (a, b);
}

static Big
big_add_mag (const Big *a,
             const Big *b)
{
  Big r = { 0 };
  int carry = 0;
  int i;

  for (i = 0; i < MAX (a->len, b->len) || carry; i++)
    {
      int sum = carry + (i < a->len ? a->digit[i] : 0) + (i < b->len ? b->digit[i] : 0);

      g_assert_cmpint (i, <, BIG_MAX_DIGITS);
      r.digit[i] = sum % 10;
      carry = sum / 10;
    }
  r.len = i;
  big_normalize (&r);

  return r;
}

/* |a| - |b| for |a| ≥ |b|. */
static Big
big_sub_mag (const Big *a,
             const Big *b)
{
  Big r = { 0 };
  int borrow = 0;
  int i;

  g_assert_cmpint (big_cmp_mag (a, b), >=, 0);

  for (i = 0; i < a->len; i++)
    {
      int d = a->digit[i] - borrow - (i < b->len ? b->digit[i] : 0);

      borrow = d < 0;
      r.digit[i] = d < 0 ? d + 10 : d;
    }
  r.len = a->len;
  big_normalize (&r);

  return r;
}

static Big
big_add (const Big *a,
         const Big *b)
{
  Big r;

  if (a->negative == b->negative)
    {
      r = big_add_mag (a, b);
      r.negative = a->negative;
    }
  else if (big_cmp_mag (a, b) >= 0)
    {
      r = big_sub_mag (a, b);
      r.negative = a->negative;
    }
  else
    {
      r = big_sub_mag (b, a);
      r.negative = b->negative;
    }
  big_normalize (&r);

  return r;
}

static Big
big_neg (const Big *a)
{
  Big r = *a;

  r.negative = !r.negative;
  big_normalize (&r);

  return r;
}

static Big
big_mul (const Big *a,
         const Big *b)
{
  int acc[2 * BIG_MAX_DIGITS] = { 0 };
  Big r = { 0 };
  int carry = 0;
  int i;
  int j;

  for (i = 0; i < a->len; i++)
    for (j = 0; j < b->len; j++)
      acc[i + j] += a->digit[i] * b->digit[j];

  for (i = 0; i < a->len + b->len; i++)
    {
      int v = acc[i] + carry;

      g_assert_cmpint (i, <, BIG_MAX_DIGITS);
      r.digit[i] = v % 10;
      carry = v / 10;
    }
  g_assert_cmpint (carry, ==, 0);
  r.len = a->len + b->len;
  r.negative = a->negative != b->negative;
  big_normalize (&r);

  return r;
}

static Big
big_pow10 (int k)
{
  Big r = { 0 };

  g_assert_cmpint (k, <, BIG_MAX_DIGITS);
  r.digit[k] = 1;
  r.len = k + 1;

  return r;
}

/* Long division of magnitudes, one quotient digit at a time by repeated subtraction. */
static void
big_divmod_mag (const Big *a,
                const Big *b,
                Big       *quotient,
                Big       *remainder)
{
  Big q = { 0 };
  Big r = { 0 };
  Big mb = *b;
  int i;

  mb.negative = FALSE;
  g_assert_cmpint (mb.len, >, 0);

  for (i = a->len - 1; i >= 0; i--)
    {
      /* r = r * 10 + next digit */
      memmove (&r.digit[1], &r.digit[0], BIG_MAX_DIGITS - 1);
      r.digit[0] = a->digit[i];
      r.len++;
      big_normalize (&r);

      while (big_cmp_mag (&r, &mb) >= 0)
        {
          r = big_sub_mag (&r, &mb);
          q.digit[i]++;
        }
    }
  q.len = a->len;
  big_normalize (&q);

  *quotient = q;
  *remainder = r;
}

static gboolean
big_is_even (const Big *a)
{
  return a->len == 0 || a->digit[0] % 2 == 0;
}

/* Counts the exact ties the reference met (once per rounding mode tried), to show the
 * random cases reach them. */
static guint n_reference_ties;

/*
 * An exact quotient |n/d| = q + r/|d| rounded to an integer: pick between the quotient's
 * floor and its ceiling. Dividing once and rounding per mode keeps the random tests quick.
 */
static Big
big_round_quotient (Big             q,
                    const Big      *r,
                    const Big      *d,
                    gboolean        negative,
                    BourseRounding  rounding)
{
  Big twice_r, one, lower, upper, toward_zero, away;
  int vs_half;

  if (r->len == 0)
    {
      q.negative = negative;
      big_normalize (&q);
      return q;
    }

  one = big_from_string ("1");
  if (negative)
    {
      upper = big_neg (&q);
      lower = big_add_mag (&q, &one);
      lower.negative = TRUE;
      toward_zero = upper;
      away = lower;
    }
  else
    {
      lower = q;
      upper = big_add_mag (&q, &one);
      toward_zero = lower;
      away = upper;
    }

  twice_r = big_add_mag (r, r);
  vs_half = big_cmp_mag (&twice_r, d);
  if (vs_half == 0)
    n_reference_ties++;

  switch (rounding)
    {
    case BOURSE_ROUND_FLOOR:
      return lower;
    case BOURSE_ROUND_CEILING:
      return upper;
    case BOURSE_ROUND_TOWARD_ZERO:
      return toward_zero;
    case BOURSE_ROUND_AWAY_FROM_ZERO:
      return away;
    case BOURSE_ROUND_HALF_UP:
      return vs_half < 0 ? toward_zero : away;
    case BOURSE_ROUND_HALF_EVEN:
      if (vs_half != 0)
        return vs_half < 0 ? toward_zero : away;
      return big_is_even (&lower) ? lower : upper;
    default:
      g_assert_not_reached ();
    }
}

/* Converts to int64 units, or returns FALSE when out of range. */
static gboolean
big_to_units (const Big *a,
              gint64    *out)
{
  Big max = big_from_string ("9223372036854775807");
  Big min = big_from_string ("-9223372036854775808");
  g_autofree char *s = NULL;

  if (big_cmp (a, &max) > 0 || big_cmp (a, &min) < 0)
    return FALSE;

  s = big_to_string (a);
  *out = g_ascii_strtoll (s, NULL, 10);

  return TRUE;
}

/* Formats units as a decimal string with the point placed by string surgery. */
static char *
big_format_units (gint64 n)
{
  Big a = big_from_int64 (n);
  GString *s = g_string_new (a.negative ? "-" : "");
  int i;

  for (i = MAX (a.len - 1, 8); i >= 0; i--)
    {
      g_string_append_c (s, '0' + (i < a.len ? a.digit[i] : 0));
      if (i == 8)
        g_string_append_c (s, '.');
    }

  return g_string_free (s, FALSE);
}

static gint64
random_units (GRand *rand)
{
  static const gint64 special[] = {
    0, 1, 2, 3, 5, 50000000, 25000000, 150000000, 100000000, 200000000, 400000000,
    G_MAXINT64, G_MAXINT64 - 1, 9600000000, 10000000000, 3037000499, 3037000500,
  };
  gint64 v;
  int digits;
  int i;

  switch (g_rand_int_range (rand, 0, 7))
    {
    case 0:
      return (gint64) (((guint64) g_rand_int (rand) << 32) | g_rand_int (rand));

    case 1:
      return g_rand_int_range (rand, -1000, 1001);

    case 2:
    case 3:
      /* A uniform number of digits, so products neither always overflow nor always fit. */
      digits = g_rand_int_range (rand, 1, 19);
      for (v = 0, i = 0; i < digits; i++)
        v = v * 10 + g_rand_int_range (rand, 0, 10);
      return g_rand_boolean (rand) ? -v : v;

    case 4:
      v = g_rand_int_range (rand, 0, 1000);
      return g_rand_boolean (rand) ? G_MAXINT64 - v : G_MININT64 + v;

    case 5:
      /* Tick-like values: whole multiples of a power of ten. */
      v = g_rand_int_range (rand, -100000, 100001);
      for (i = g_rand_int_range (rand, 0, 12); i > 0; i--)
        v *= 10;
      return v;

    default:
      v = special[g_rand_int_range (rand, 0, G_N_ELEMENTS (special))];
      return g_rand_boolean (rand) ? -v : v;
    }
}

static void
test_parse_valid (void)
{
  static const struct {
    const char *text;
    const char *expected;
  } cases[] = {
    { "0", "0.00000000" },
    { "-0", "0.00000000" },
    { "+0", "0.00000000" },
    { "-0.00000000", "0.00000000" },
    { "1", "1.00000000" },
    { "+1", "1.00000000" },
    { "-1", "-1.00000000" },
    { "0.5", "0.50000000" },
    { "0.015", "0.01500000" },
    { "-0.015", "-0.01500000" },
    { "0.00000001", "0.00000001" },
    { "-0.00000001", "-0.00000001" },
    { "007.10", "7.10000000" },
    { "123456.78901234", "123456.78901234" },
    { "1.000000000000", "1.00000000" },          /* extra zeros are exact */
    { "0.123456780", "0.12345678" },
    { "92233720368.54775807", "92233720368.54775807" },
    { "-92233720368.54775808", "-92233720368.54775808" },
    { "00000000000000000000000000000000000001", "1.00000000" },
    { "92233720368.547758070000", "92233720368.54775807" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *what = g_strdup_printf ("parse (“%s”)", cases[i].text);
      BourseDecimal value = units (UNTOUCHED);
      gboolean ok = bourse_decimal_parse (cases[i].text, &value, &error);

      expect_result (what, ok, error, value, cases[i].expected);
    }

  g_assert_cmpint (dec ("92233720368.54775807").units, ==, G_MAXINT64);
  g_assert_cmpint (dec ("-92233720368.54775808").units, ==, G_MININT64);
}

static void
test_parse_invalid (void)
{
  static const char * const cases[] = {
    "", "-", "+", ".", "-.", ".5", "5.", "-.5", "+.5", "1..2", "1.2.3", " 1", "1 ", "1\n",
    "\t1", "--1", "+-1", "-+1", "1e3", "1E3", "1.5e-3", "0x10", "NaN", "nan", "inf", "-inf",
    "Infinity", "1,5", "1_000", "١", "1.2a", "a1", "½", "0.5 ", "1-", "- 1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *what = g_strdup_printf ("parse (“%s”)", cases[i]);
      BourseDecimal value = units (UNTOUCHED);
      gboolean ok;

      ok = bourse_decimal_parse (cases[i], &value, &error);
      expect_error (what, ok, error, value, BOURSE_DECIMAL_ERROR_INVALID);
      g_clear_error (&error);

      ok = bourse_decimal_parse_rounded (cases[i], BOURSE_ROUND_HALF_EVEN, &value, &error);
      expect_error (what, ok, error, value, BOURSE_DECIMAL_ERROR_INVALID);
    }
}

static void
test_parse_overflow (void)
{
  static const char * const cases[] = {
    "92233720368.54775808",
    "-92233720368.54775809",
    "92233720369",
    "-92233720369",
    "100000000000",
    "99999999999999999999999999999999999999999999999999999999999",
    "-99999999999999999999999999999999999999999999999999999999999.5",
    "92233720368.547758080000000001",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *what = g_strdup_printf ("parse (“%s”)", cases[i]);
      BourseDecimal value = units (UNTOUCHED);
      gboolean ok;

      ok = bourse_decimal_parse (cases[i], &value, &error);
      expect_error (what, ok, error, value, BOURSE_DECIMAL_ERROR_OVERFLOW);
      g_clear_error (&error);

      for (guint r = 0; r < G_N_ELEMENTS (all_roundings); r++)
        {
          ok = bourse_decimal_parse_rounded (cases[i], all_roundings[r], &value, &error);
          expect_error (what, ok, error, value, BOURSE_DECIMAL_ERROR_OVERFLOW);
          g_clear_error (&error);
        }
    }
}

static void
test_parse_inexact (void)
{
  static const char * const cases[] = {
    "0.000000001", "-0.000000001", "1.123456785", "0.000000000000000000001",
    "92233720368.547758071", "-92233720368.547758081",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *what = g_strdup_printf ("parse (“%s”)", cases[i]);
      BourseDecimal value = units (UNTOUCHED);
      gboolean ok = bourse_decimal_parse (cases[i], &value, &error);

      expect_error (what, ok, error, value, BOURSE_DECIMAL_ERROR_INEXACT);
    }
}

static void
test_parse_rounded (void)
{
  static const struct {
    const char     *text;
    BourseRounding  rounding;
    const char     *expected;   /* NULL: overflow */
  } cases[] = {
    /* a tie with an even last digit */
    { "0.000000025", EVEN, "0.00000002" },
    { "0.000000025", UP, "0.00000003" },
    { "0.000000025", TRUNC, "0.00000002" },
    { "0.000000025", AWAY, "0.00000003" },
    { "0.000000025", FLOOR, "0.00000002" },
    { "0.000000025", CEIL, "0.00000003" },
    { "-0.000000025", EVEN, "-0.00000002" },
    { "-0.000000025", UP, "-0.00000003" },
    { "-0.000000025", TRUNC, "-0.00000002" },
    { "-0.000000025", AWAY, "-0.00000003" },
    { "-0.000000025", FLOOR, "-0.00000003" },
    { "-0.000000025", CEIL, "-0.00000002" },
    /* a tie with an odd last digit */
    { "1.000000035", EVEN, "1.00000004" },
    { "-1.000000035", EVEN, "-1.00000004" },
    { "1.000000035000", UP, "1.00000004" },
    /* just above and below the tie */
    { "0.0000000250000001", EVEN, "0.00000003" },
    { "0.0000000250000001", TRUNC, "0.00000002" },
    { "0.0000000249999999", UP, "0.00000002" },
    { "0.0000000249999999", AWAY, "0.00000003" },
    { "-0.0000000250000001", EVEN, "-0.00000003" },
    { "-0.0000000249999999", UP, "-0.00000002" },
    /* not near a tie */
    { "0.123456781", EVEN, "0.12345678" },
    { "0.123456781", UP, "0.12345678" },
    { "0.123456781", TRUNC, "0.12345678" },
    { "0.123456781", AWAY, "0.12345679" },
    { "0.123456781", FLOOR, "0.12345678" },
    { "0.123456781", CEIL, "0.12345679" },
    { "-0.123456789", EVEN, "-0.12345679" },
    { "-0.123456789", UP, "-0.12345679" },
    { "-0.123456789", TRUNC, "-0.12345678" },
    { "-0.123456789", AWAY, "-0.12345679" },
    { "-0.123456789", FLOOR, "-0.12345679" },
    { "-0.123456789", CEIL, "-0.12345678" },
    /* tiny values round to zero, never to "-0" */
    { "-0.000000001", TRUNC, "0.00000000" },
    { "-0.000000001", CEIL, "0.00000000" },
    { "-0.000000001", FLOOR, "-0.00000001" },
    { "0.000000001", FLOOR, "0.00000000" },
    { "0.000000001", CEIL, "0.00000001" },
    /* exact input is untouched by any mode */
    { "2.5", AWAY, "2.50000000" },
    { "-2.5", FLOOR, "-2.50000000" },
    /* carrying into the whole part */
    { "0.999999995", UP, "1.00000000" },
    { "-9.999999999", FLOOR, "-10.00000000" },
    /* rounding at the edges of the range */
    { "92233720368.547758074", FLOOR, "92233720368.54775807" },
    { "92233720368.547758071", CEIL, NULL },
    { "92233720368.547758075", UP, NULL },
    { "92233720368.547758075", EVEN, NULL },        /* …07 is odd, and …08 is out of range */
    { "92233720368.547758075", TRUNC, "92233720368.54775807" },
    { "-92233720368.547758081", FLOOR, NULL },
    { "-92233720368.547758081", CEIL, "-92233720368.54775808" },
    { "-92233720368.547758085", EVEN, "-92233720368.54775808" },
    { "-92233720368.547758085", UP, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *what = g_strdup_printf ("parse_rounded (“%s”, rounding %d)",
                                               cases[i].text, cases[i].rounding);
      BourseDecimal value = units (UNTOUCHED);
      gboolean ok = bourse_decimal_parse_rounded (cases[i].text, cases[i].rounding, &value, &error);

      expect_result (what, ok, error, value, cases[i].expected);
    }
}

static void
test_format (void)
{
  static const struct {
    gint64      units;
    const char *full;
    const char *trimmed;
  } cases[] = {
    { 0, "0.00000000", "0" },
    { 1, "0.00000001", "0.00000001" },
    { -1, "-0.00000001", "-0.00000001" },
    { 1500000, "0.01500000", "0.015" },
    { -100000000, "-1.00000000", "-1" },
    { 100000000, "1.00000000", "1" },
    { 1000000000, "10.00000000", "10" },
    { -1000000000, "-10.00000000", "-10" },
    { 12345678901, "123.45678901", "123.45678901" },
    { 10000000010, "100.00000010", "100.0000001" },
    { G_MAXINT64, "92233720368.54775807", "92233720368.54775807" },
    { G_MININT64, "-92233720368.54775808", "-92233720368.54775808" },
    { G_MININT64 + 1, "-92233720368.54775807", "-92233720368.54775807" },
    { -9223372000000000000, "-92233720000.00000000", "-92233720000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *full = bourse_decimal_to_string (units (cases[i].units));
      g_autofree char *trimmed = bourse_decimal_to_string_trimmed (units (cases[i].units));

      g_assert_cmpstr (full, ==, cases[i].full);
      g_assert_cmpstr (trimmed, ==, cases[i].trimmed);
      g_assert_cmpint (dec (full).units, ==, cases[i].units);
      g_assert_cmpint (dec (trimmed).units, ==, cases[i].units);
    }
}

static void
test_from_int (void)
{
  static const struct {
    gint64      value;
    const char *expected;   /* NULL: overflow */
  } cases[] = {
    { 0, "0.00000000" },
    { 1, "1.00000000" },
    { -1, "-1.00000000" },
    { 92233720368, "92233720368.00000000" },
    { -92233720368, "-92233720368.00000000" },
    { 92233720369, NULL },
    { -92233720369, NULL },
    { G_MAXINT64, NULL },
    { G_MININT64, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *what = g_strdup_printf ("from_int (%" G_GINT64_FORMAT ")", cases[i].value);
      BourseDecimal value = units (UNTOUCHED);
      gboolean ok = bourse_decimal_from_int (cases[i].value, &value, &error);

      expect_result (what, ok, error, value, cases[i].expected);
    }
}

static void
test_add_sub (void)
{
  g_autoptr(GError) error = NULL;
  BourseDecimal max = units (G_MAXINT64);
  BourseDecimal min = units (G_MININT64);
  BourseDecimal tiny = units (1);
  BourseDecimal r = units (UNTOUCHED);

  g_assert_true (bourse_decimal_add (dec ("0.1"), dec ("0.2"), &r, &error));
  assert_decimal_str (r, "0.30000000");
  g_assert_true (bourse_decimal_sub (dec ("0.1"), dec ("0.3"), &r, &error));
  assert_decimal_str (r, "-0.20000000");
  g_assert_true (bourse_decimal_add (max, min, &r, &error));
  assert_decimal_str (r, "-0.00000001");
  g_assert_true (bourse_decimal_sub (max, tiny, &r, &error));
  g_assert_cmpint (r.units, ==, G_MAXINT64 - 1);
  g_assert_true (bourse_decimal_sub (min, units (-1), &r, &error));
  g_assert_cmpint (r.units, ==, G_MININT64 + 1);
  g_assert_true (bourse_decimal_sub (min, min, &r, &error));
  g_assert_true (bourse_decimal_is_zero (r));
  g_assert_no_error (error);

  r = units (UNTOUCHED);
  g_assert_false (bourse_decimal_add (max, tiny, &r, &error));
  g_assert_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_OVERFLOW);
  g_clear_error (&error);
  g_assert_false (bourse_decimal_add (min, units (-1), &r, &error));
  g_assert_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_OVERFLOW);
  g_clear_error (&error);
  g_assert_false (bourse_decimal_sub (min, tiny, &r, &error));
  g_assert_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_OVERFLOW);
  g_clear_error (&error);
  g_assert_false (bourse_decimal_sub (BOURSE_DECIMAL_ZERO, min, &r, &error));
  g_assert_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_OVERFLOW);
  g_clear_error (&error);
  g_assert_false (bourse_decimal_sub (max, units (-1), &r, &error));
  g_assert_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_OVERFLOW);
  g_clear_error (&error);
  g_assert_cmpint (r.units, ==, UNTOUCHED);

  /* errors are optional */
  g_assert_false (bourse_decimal_add (max, max, &r, NULL));
}

static void
test_mul (void)
{
  static const struct {
    const char     *a;
    const char     *b;
    BourseRounding  rounding;
    const char     *expected;   /* NULL: overflow */
  } cases[] = {
    { "2.5", "3", TRUNC, "7.50000000" },
    { "-2.5", "3", FLOOR, "-7.50000000" },
    { "-2.5", "-3", CEIL, "7.50000000" },
    { "0", "-5", FLOOR, "0.00000000" },
    { "1.1", "1.1", EVEN, "1.21000000" },
    { "0.01", "0.01", EVEN, "0.00010000" },
    /* 0.00000001 × 0.5 is an exact tie; 0.00000003 × 0.5 a tie with an odd neighbour */
    { "0.00000001", "0.5", EVEN, "0.00000000" },
    { "0.00000003", "0.5", EVEN, "0.00000002" },
    { "0.00000001", "0.5", UP, "0.00000001" },
    { "0.00000001", "0.5", TRUNC, "0.00000000" },
    { "0.00000001", "0.5", AWAY, "0.00000001" },
    { "0.00000001", "0.5", FLOOR, "0.00000000" },
    { "0.00000001", "0.5", CEIL, "0.00000001" },
    { "-0.00000001", "0.5", EVEN, "0.00000000" },
    { "-0.00000003", "0.5", EVEN, "-0.00000002" },
    { "-0.00000001", "0.5", UP, "-0.00000001" },
    { "0.00000001", "-0.5", TRUNC, "0.00000000" },
    { "0.00000001", "-0.5", AWAY, "-0.00000001" },
    { "-0.00000001", "0.5", FLOOR, "-0.00000001" },
    { "0.00000001", "-0.5", CEIL, "0.00000000" },
    /* 0.00000001 × 0.3 = 0.000000003 and × 0.7 = 0.000000007: not ties */
    { "0.00000001", "0.3", EVEN, "0.00000000" },
    { "0.00000001", "0.7", EVEN, "0.00000001" },
    { "0.00000001", "0.3", UP, "0.00000000" },
    { "0.00000001", "0.7", UP, "0.00000001" },
    { "0.00000001", "0.7", TRUNC, "0.00000000" },
    { "0.00000001", "0.3", AWAY, "0.00000001" },
    { "-0.00000001", "0.7", EVEN, "-0.00000001" },
    { "-0.00000001", "0.3", FLOOR, "-0.00000001" },
    { "-0.00000001", "0.7", CEIL, "0.00000000" },
    /* a price times a quantity */
    { "43210.12345678", "0.00123456", EVEN, "53.34549001" },
    { "43210.12345678", "0.00123456", CEIL, "53.34549002" },
    /* the edges */
    { "92233720368.54775807", "1", EVEN, "92233720368.54775807" },
    { "-92233720368.54775808", "1", EVEN, "-92233720368.54775808" },
    { "-92233720368.54775808", "-1", EVEN, NULL },
    { "92233720368.54775807", "-1", EVEN, "-92233720368.54775807" },
    { "46116860184.27387904", "2", EVEN, NULL },
    { "-46116860184.27387904", "2", EVEN, "-92233720368.54775808" },
    { "100000", "1000000", EVEN, NULL },
    { "-92233720368.54775808", "-92233720368.54775808", EVEN, NULL },
    { "92233720368.54775807", "0.00000001", AWAY, "922.33720369" },
    { "-92233720368.54775808", "0.00000001", FLOOR, "-922.33720369" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *what = g_strdup_printf ("%s × %s, rounding %d",
                                               cases[i].a, cases[i].b, cases[i].rounding);
      BourseDecimal value = units (UNTOUCHED);
      gboolean ok = bourse_decimal_mul (dec (cases[i].a), dec (cases[i].b), cases[i].rounding,
                                       &value, &error);

      expect_result (what, ok, error, value, cases[i].expected);
    }
}

static void
test_div (void)
{
  static const struct {
    const char     *a;
    const char     *b;
    BourseRounding  rounding;
    const char     *expected;   /* NULL: overflow */
  } cases[] = {
    { "1", "3", EVEN, "0.33333333" },
    { "1", "3", UP, "0.33333333" },
    { "1", "3", TRUNC, "0.33333333" },
    { "1", "3", AWAY, "0.33333334" },
    { "1", "3", FLOOR, "0.33333333" },
    { "1", "3", CEIL, "0.33333334" },
    { "-1", "3", EVEN, "-0.33333333" },
    { "1", "-3", UP, "-0.33333333" },
    { "-1", "3", TRUNC, "-0.33333333" },
    { "1", "-3", AWAY, "-0.33333334" },
    { "-1", "3", FLOOR, "-0.33333334" },
    { "-1", "3", CEIL, "-0.33333333" },
    { "2", "3", EVEN, "0.66666667" },
    { "2", "3", TRUNC, "0.66666666" },
    { "-2", "-3", FLOOR, "0.66666666" },
    /* ties: 0.00000001 / 2 and 0.00000003 / 2 */
    { "0.00000001", "2", EVEN, "0.00000000" },
    { "0.00000003", "2", EVEN, "0.00000002" },
    { "0.00000001", "2", UP, "0.00000001" },
    { "0.00000001", "2", TRUNC, "0.00000000" },
    { "0.00000001", "2", AWAY, "0.00000001" },
    { "0.00000001", "2", FLOOR, "0.00000000" },
    { "0.00000001", "2", CEIL, "0.00000001" },
    { "-0.00000001", "2", EVEN, "0.00000000" },
    { "0.00000003", "-2", EVEN, "-0.00000002" },
    { "-0.00000001", "2", UP, "-0.00000001" },
    { "0.00000001", "-2", TRUNC, "0.00000000" },
    { "-0.00000001", "2", AWAY, "-0.00000001" },
    { "-0.00000001", "2", FLOOR, "-0.00000001" },
    { "0.00000001", "-2", CEIL, "0.00000000" },
    { "10", "4", EVEN, "2.50000000" },
    { "1", "0.00000001", EVEN, "100000000.00000000" },
    { "0", "-7", FLOOR, "0.00000000" },
    { "92233720368.54775807", "1", EVEN, "92233720368.54775807" },
    { "92233720368.54775807", "-1", EVEN, "-92233720368.54775807" },
    { "-92233720368.54775808", "1", EVEN, "-92233720368.54775808" },
    { "-92233720368.54775808", "-1", EVEN, NULL },
    { "92233720368.54775807", "0.5", EVEN, NULL },
    { "1000", "0.00000001", EVEN, NULL },
    { "92233720368.54775807", "92233720368.54775807", EVEN, "1.00000000" },
    { "0.00000001", "92233720368.54775807", CEIL, "0.00000001" },
    { "0.00000001", "92233720368.54775807", EVEN, "0.00000000" },
  };
  g_autoptr(GError) error = NULL;
  BourseDecimal value = units (UNTOUCHED);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) case_error = NULL;
      g_autofree char *what = g_strdup_printf ("%s ÷ %s, rounding %d",
                                               cases[i].a, cases[i].b, cases[i].rounding);
      BourseDecimal result = units (UNTOUCHED);
      gboolean ok = bourse_decimal_div (dec (cases[i].a), dec (cases[i].b), cases[i].rounding,
                                       &result, &case_error);

      expect_result (what, ok, case_error, result, cases[i].expected);
    }

  for (guint r = 0; r < G_N_ELEMENTS (all_roundings); r++)
    {
      value = units (UNTOUCHED);
      g_assert_false (bourse_decimal_div (dec ("1"), BOURSE_DECIMAL_ZERO, all_roundings[r],
                                          &value, &error));
      g_assert_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_DIVISION_BY_ZERO);
      g_assert_cmpint (value.units, ==, UNTOUCHED);
      g_clear_error (&error);
    }

  g_assert_false (bourse_decimal_div (BOURSE_DECIMAL_ZERO, BOURSE_DECIMAL_ZERO, EVEN,
                                      &value, &error));
  g_assert_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_DIVISION_BY_ZERO);
}

static void
test_round_to_step (void)
{
  static const struct {
    const char     *value;
    const char     *step;
    BourseRounding  rounding;
    const char     *expected;   /* NULL: overflow */
  } cases[] = {
    { "1.23456", "0.01", EVEN, "1.23000000" },
    { "1.23456", "0.01", UP, "1.23000000" },
    { "1.23456", "0.01", TRUNC, "1.23000000" },
    { "1.23456", "0.01", AWAY, "1.24000000" },
    { "1.23456", "0.01", FLOOR, "1.23000000" },
    { "1.23456", "0.01", CEIL, "1.24000000" },
    { "-1.23756", "0.01", EVEN, "-1.24000000" },
    { "-1.23756", "0.01", UP, "-1.24000000" },
    { "-1.23756", "0.01", TRUNC, "-1.23000000" },
    { "-1.23756", "0.01", AWAY, "-1.24000000" },
    { "-1.23756", "0.01", FLOOR, "-1.24000000" },
    { "-1.23756", "0.01", CEIL, "-1.23000000" },
    /* ties */
    { "1.005", "0.01", EVEN, "1.00000000" },
    { "1.015", "0.01", EVEN, "1.02000000" },
    { "1.005", "0.01", UP, "1.01000000" },
    { "1.005", "0.01", TRUNC, "1.00000000" },
    { "1.005", "0.01", AWAY, "1.01000000" },
    { "1.005", "0.01", FLOOR, "1.00000000" },
    { "1.005", "0.01", CEIL, "1.01000000" },
    { "-1.005", "0.01", EVEN, "-1.00000000" },
    { "-1.015", "0.01", EVEN, "-1.02000000" },
    { "-1.005", "0.01", UP, "-1.01000000" },
    { "-1.005", "0.01", FLOOR, "-1.01000000" },
    { "-1.005", "0.01", CEIL, "-1.00000000" },
    /* a step that is not a power of ten */
    { "0.25", "0.5", EVEN, "0.00000000" },
    { "0.75", "0.5", EVEN, "1.00000000" },
    { "7.4", "2.5", EVEN, "7.50000000" },
    { "-6.25", "2.5", EVEN, "-5.00000000" },
    { "-6.25", "2.5", UP, "-7.50000000" },
    { "43210.12345678", "0.00001", TRUNC, "43210.12345000" },
    { "5", "0.00000001", EVEN, "5.00000000" },
    { "5", "10", EVEN, "0.00000000" },
    { "5", "10", UP, "10.00000000" },
    { "-0.00000001", "1", CEIL, "0.00000000" },
    { "-0.00000001", "1", FLOOR, "-1.00000000" },
    /* landing beyond the range */
    { "92233720368.54775807", "10", CEIL, NULL },
    { "92233720368.54775807", "10", FLOOR, "92233720360.00000000" },
    { "-92233720368.54775808", "10", FLOOR, NULL },
    { "-92233720368.54775808", "0.00000002", FLOOR, "-92233720368.54775808" },
    { "92233720368.54775807", "92233720368.54775807", AWAY, "92233720368.54775807" },
    { "92233720368", "92233720368.54775807", EVEN, "92233720368.54775807" },
  };
  g_autoptr(GError) error = NULL;
  BourseDecimal value = units (UNTOUCHED);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) case_error = NULL;
      g_autofree char *what = g_strdup_printf ("%s to a step of %s, rounding %d",
                                               cases[i].value, cases[i].step, cases[i].rounding);
      BourseDecimal result = units (UNTOUCHED);
      gboolean ok = bourse_decimal_round_to_step (dec (cases[i].value), dec (cases[i].step),
                                                  cases[i].rounding, &result, &case_error);

      expect_result (what, ok, case_error, result, cases[i].expected);
    }

  value = units (UNTOUCHED);
  g_assert_false (bourse_decimal_round_to_step (dec ("1"), BOURSE_DECIMAL_ZERO, EVEN,
                                                &value, &error));
  g_assert_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (bourse_decimal_round_to_step (dec ("1"), dec ("-0.01"), EVEN, &value, &error));
  g_assert_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "-0.01"));
  g_assert_cmpint (value.units, ==, UNTOUCHED);
}

static void
test_neg_compare (void)
{
  g_autoptr(GError) error = NULL;
  BourseDecimal value = units (UNTOUCHED);

  g_assert_true (bourse_decimal_neg (dec ("1.5"), &value, &error));
  assert_decimal_str (value, "-1.50000000");
  g_assert_true (bourse_decimal_neg (value, &value, &error));
  assert_decimal_str (value, "1.50000000");
  g_assert_true (bourse_decimal_neg (BOURSE_DECIMAL_ZERO, &value, &error));
  assert_decimal_str (value, "0.00000000");
  g_assert_true (bourse_decimal_neg (units (G_MAXINT64), &value, &error));
  g_assert_cmpint (value.units, ==, -G_MAXINT64);
  g_assert_no_error (error);

  g_assert_false (bourse_decimal_neg (units (G_MININT64), &value, &error));
  g_assert_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_OVERFLOW);
  g_assert_cmpint (value.units, ==, -G_MAXINT64);

  g_assert_cmpint (bourse_decimal_compare (dec ("1"), dec ("2")), ==, -1);
  g_assert_cmpint (bourse_decimal_compare (dec ("2"), dec ("1")), ==, 1);
  g_assert_cmpint (bourse_decimal_compare (dec ("-0"), dec ("0")), ==, 0);
  g_assert_cmpint (bourse_decimal_compare (dec ("0.10"), dec ("0.1")), ==, 0);
  g_assert_cmpint (bourse_decimal_compare (units (G_MININT64), units (G_MAXINT64)), ==, -1);
  g_assert_cmpint (bourse_decimal_compare (units (G_MAXINT64), units (G_MININT64)), ==, 1);
  g_assert_cmpint (bourse_decimal_compare (dec ("-0.00000001"), BOURSE_DECIMAL_ZERO), ==, -1);

  g_assert_true (bourse_decimal_is_zero (BOURSE_DECIMAL_ZERO));
  g_assert_true (bourse_decimal_is_zero (dec ("-0.000")));
  g_assert_false (bourse_decimal_is_zero (dec ("0.00000001")));

  g_assert_cmpfloat (bourse_decimal_to_double (dec ("0.5")), ==, 0.5);
  g_assert_cmpfloat (bourse_decimal_to_double (dec ("-1234.25")), ==, -1234.25);
  g_assert_cmpfloat (bourse_decimal_to_double (dec ("0.1")), ==, 0.1);
  g_assert_cmpfloat (bourse_decimal_to_double (dec ("0.015")), ==, 0.015);
  g_assert_cmpfloat_with_epsilon (bourse_decimal_to_double (units (G_MAXINT64)),
                                  92233720368.54775807, 1e-4);
  g_assert_cmpfloat (bourse_decimal_to_double (BOURSE_DECIMAL_ZERO), ==, 0.0);
}

static void
test_error_messages (void)
{
  g_autoptr(GError) error = NULL;
  BourseDecimal value;

  g_assert_false (bourse_decimal_parse ("12abc", &value, &error));
  g_assert_nonnull (strstr (error->message, "“12abc”"));
  g_clear_error (&error);

  g_assert_false (bourse_decimal_parse ("0.123456789", &value, &error));
  g_assert_nonnull (strstr (error->message, "“0.123456789”"));
  g_assert_nonnull (strstr (error->message, "8 decimal places"));
  g_clear_error (&error);

  g_assert_false (bourse_decimal_parse ("1e400", &value, &error));
  g_assert_nonnull (strstr (error->message, "“1e400”"));
  g_clear_error (&error);

  g_assert_false (bourse_decimal_parse ("100000000000", &value, &error));
  g_assert_nonnull (strstr (error->message, "“100000000000”"));
  g_assert_nonnull (strstr (error->message, "92233720368.54775807"));
  g_clear_error (&error);

  g_assert_false (bourse_decimal_mul (dec ("100000"), dec ("1000000"), EVEN, &value, &error));
  g_assert_nonnull (strstr (error->message, "multiplication"));
  g_clear_error (&error);

  /* Text from the network can be any bytes; the message must still be UTF-8. */
  g_assert_false (bourse_decimal_parse ("1\xff", &value, &error));
  g_assert_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_INVALID);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* Random cases, checked against the Big reference. */

/* @what describes the operation for the failure message; operands are in units. */
static void
check_against_reference (const char    *what,
                         const Big     *exact_result,
                         gboolean       ok,
                         BourseDecimal  result,
                         const GError  *error,
                         guint         *n_ok,
                         guint         *n_overflow)
{
  g_autofree char *exact = big_to_string (exact_result);
  gint64 expected;

  if (big_to_units (exact_result, &expected))
    {
      if (!ok || result.units != expected)
        g_error ("%s: expected %s units, got %s%" G_GINT64_FORMAT,
                 what, exact, ok ? "" : error->message, ok ? result.units : 0);
      (*n_ok)++;
    }
  else
    {
      if (ok || !g_error_matches (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_OVERFLOW))
        g_error ("%s: expected an overflow (exact %s units), got %" G_GINT64_FORMAT,
                 what, exact, result.units);
      (*n_overflow)++;
    }
}

static char *
describe (const char     *op,
          gint64          a,
          gint64          b,
          BourseRounding  rounding)
{
  return g_strdup_printf ("%s (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", rounding %d)",
                          op, a, b, rounding);
}

static void
test_random_format_parse (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED);

  for (guint i = 0; i < N_RANDOM; i++)
    {
      gint64 n = random_units (rand);
      g_autofree char *expected = big_format_units (n);
      g_autofree char *full = bourse_decimal_to_string (units (n));
      g_autofree char *trimmed = bourse_decimal_to_string_trimmed (units (n));

      g_assert_cmpstr (full, ==, expected);
      g_assert_cmpint (dec (full).units, ==, n);
      g_assert_cmpint (dec (trimmed).units, ==, n);
      g_assert_true (g_str_has_prefix (full, trimmed));
      g_assert_false (g_str_has_suffix (trimmed, "0") && strchr (trimmed, '.') != NULL);
      g_assert_false (g_str_has_suffix (trimmed, "."));
    }
}

static void
test_random_parse_rounded (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED + 1);
  Big unit = big_pow10 (BOURSE_DECIMAL_SCALE);
  guint n_ok = 0;
  guint n_overflow = 0;
  guint n_inexact = 0;
  guint n_ties = 0;

  for (guint i = 0; i < N_RANDOM; i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GString) digits = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      BourseRounding rounding =
        all_roundings[g_rand_int_range (rand, 0, G_N_ELEMENTS (all_roundings))];
      int n_whole = g_rand_int_range (rand, 1, 14);
      int n_frac = g_rand_int_range (rand, 0, 18);
      BourseDecimal value = units (UNTOUCHED);
      g_autofree char *what = NULL;
      Big n, scaled, den, q, rem, twice_rem, exact, truncated, away;
      gint64 expected;
      gboolean ok;

      switch (g_rand_int_range (rand, 0, 3))
        {
        case 0:
          g_string_append_c (digits, '-');
          break;
        case 1:
          g_string_append_c (digits, '+');
          break;
        default:
          break;
        }

      for (int j = 0; j < n_whole + n_frac; j++)
        g_string_append_c (digits, '0' + g_rand_int_range (rand, 0, 10));

      /* Force exact ties now and then: digit 9 is a 5 followed by zeros. */
      if (n_frac > 8 && g_rand_int_range (rand, 0, 4) == 0)
        {
          gsize tie = digits->len - n_frac + 8;

          digits->str[tie] = '5';
          memset (digits->str + tie + 1, '0', digits->len - tie - 1);
        }

      g_string_append (text, digits->str);
      if (n_frac > 0)
        g_string_insert_c (text, text->len - n_frac, '.');

      /* exact = digits × 10^8 / 10^n_frac */
      n = big_from_string (digits->str);
      scaled = big_mul (&n, &unit);
      den = big_pow10 (n_frac);
      big_divmod_mag (&scaled, &den, &q, &rem);
      truncated = big_round_quotient (q, &rem, &den, scaled.negative, BOURSE_ROUND_TOWARD_ZERO);
      away = big_round_quotient (q, &rem, &den, scaled.negative, BOURSE_ROUND_AWAY_FROM_ZERO);
      exact = big_round_quotient (q, &rem, &den, scaled.negative, rounding);

      what = g_strdup_printf ("parse_rounded (“%s”, rounding %d)", text->str, rounding);
      ok = bourse_decimal_parse_rounded (text->str, rounding, &value, &error);
      check_against_reference (what, &exact, ok, value, error, &n_ok, &n_overflow);
      twice_rem = big_add_mag (&rem, &rem);
      n_ties += big_cmp_mag (&twice_rem, &den) == 0;
      g_clear_error (&error);

      /* Plain parsing overflows when even the truncation does, and is otherwise inexact
       * exactly when rounding toward and away from zero disagree. */
      value = units (UNTOUCHED);
      ok = bourse_decimal_parse (text->str, &value, &error);
      if (!big_to_units (&truncated, &expected))
        g_assert_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_OVERFLOW);
      else if (big_cmp (&truncated, &away) != 0)
        {
          g_assert_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_INEXACT);
          n_inexact++;
        }
      else
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (value.units, ==, expected);
        }
    }

  g_test_message ("%u in range, %u overflowed, %u inexact, %u ties",
                  n_ok, n_overflow, n_inexact, n_ties);
  g_assert_cmpuint (n_ok, >, N_RANDOM / 2);
  g_assert_cmpuint (n_overflow, >, N_RANDOM / 20);
  g_assert_cmpuint (n_inexact, >, N_RANDOM / 20);
  g_assert_cmpuint (n_ties, >, N_RANDOM / 20);
}

static void
test_random_add_sub (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED + 2);
  guint n_ok = 0;
  guint n_overflow = 0;

  for (guint i = 0; i < N_RANDOM; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 a = random_units (rand);
      gint64 b = random_units (rand);
      Big ba = big_from_int64 (a);
      Big bb = big_from_int64 (b);
      Big nb = big_neg (&bb);
      Big sum = big_add (&ba, &bb);
      Big difference = big_add (&ba, &nb);
      BourseDecimal r = units (UNTOUCHED);
      gboolean ok;

      g_autofree char *add_what = describe ("add", a, b, 0);
      g_autofree char *sub_what = describe ("sub", a, b, 0);

      ok = bourse_decimal_add (units (a), units (b), &r, &error);
      check_against_reference (add_what, &sum, ok, r, error, &n_ok, &n_overflow);
      g_clear_error (&error);

      r = units (UNTOUCHED);
      ok = bourse_decimal_sub (units (a), units (b), &r, &error);
      check_against_reference (sub_what, &difference, ok, r, error, &n_ok, &n_overflow);
      g_clear_error (&error);

      g_assert_cmpint (bourse_decimal_compare (units (a), units (b)), ==, big_cmp (&ba, &bb));
    }

  g_test_message ("%u in range, %u overflowed", n_ok, n_overflow);
  g_assert_cmpuint (n_ok, >, N_RANDOM / 2);
  g_assert_cmpuint (n_overflow, >, N_RANDOM / 20);
}

static void
test_random_mul (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED + 3);
  Big unit = big_pow10 (BOURSE_DECIMAL_SCALE);
  guint n_ok = 0;
  guint n_overflow = 0;

  n_reference_ties = 0;
  for (guint i = 0; i < N_RANDOM; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 a = random_units (rand);
      gint64 b = random_units (rand);
      Big ba = big_from_int64 (a);
      Big bb = big_from_int64 (b);
      Big product = big_mul (&ba, &bb);
      Big q, rem;

      big_divmod_mag (&product, &unit, &q, &rem);

      for (guint r = 0; r < G_N_ELEMENTS (all_roundings); r++)
        {
          Big exact = big_round_quotient (q, &rem, &unit, product.negative, all_roundings[r]);
          BourseDecimal value = units (UNTOUCHED);
          gboolean ok = bourse_decimal_mul (units (a), units (b), all_roundings[r], &value, &error);
          g_autofree char *what = describe ("mul", a, b, all_roundings[r]);

          check_against_reference (what, &exact, ok, value, error, &n_ok, &n_overflow);
          g_clear_error (&error);
        }
    }

  g_test_message ("%u in range, %u overflowed, %u ties", n_ok, n_overflow,
                  n_reference_ties / (guint) G_N_ELEMENTS (all_roundings));
  g_assert_cmpuint (n_ok, >, N_RANDOM);
  g_assert_cmpuint (n_overflow, >, N_RANDOM);
  g_assert_cmpuint (n_reference_ties, >, 0);
}

static void
test_random_div (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED + 4);
  Big unit = big_pow10 (BOURSE_DECIMAL_SCALE);
  guint n_ok = 0;
  guint n_overflow = 0;
  guint n_by_zero = 0;

  n_reference_ties = 0;
  for (guint i = 0; i < N_RANDOM; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 a = random_units (rand);
      gint64 b = random_units (rand);
      Big ba = big_from_int64 (a);
      Big bb = big_from_int64 (b);
      Big numerator = big_mul (&ba, &unit);
      Big q = { 0 }, rem = { 0 };

      if (b != 0)
        big_divmod_mag (&numerator, &bb, &q, &rem);

      for (guint r = 0; r < G_N_ELEMENTS (all_roundings); r++)
        {
          BourseDecimal value = units (UNTOUCHED);
          gboolean ok = bourse_decimal_div (units (a), units (b), all_roundings[r], &value, &error);

          if (b == 0)
            {
              g_assert_false (ok);
              g_assert_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_DIVISION_BY_ZERO);
              g_assert_cmpint (value.units, ==, UNTOUCHED);
              n_by_zero++;
            }
          else
            {
              Big exact = big_round_quotient (q, &rem, &bb, numerator.negative != bb.negative,
                                              all_roundings[r]);
              g_autofree char *what = describe ("div", a, b, all_roundings[r]);

              check_against_reference (what, &exact, ok, value, error, &n_ok, &n_overflow);
            }
          g_clear_error (&error);
        }
    }

  g_test_message ("%u in range, %u overflowed, %u by zero, %u ties",
                  n_ok, n_overflow, n_by_zero,
                  n_reference_ties / (guint) G_N_ELEMENTS (all_roundings));
  g_assert_cmpuint (n_ok, >, N_RANDOM);
  g_assert_cmpuint (n_overflow, >, N_RANDOM / 10);
  g_assert_cmpuint (n_by_zero, >, 0);
  g_assert_cmpuint (n_reference_ties, >, 0);
}

static void
test_random_round_to_step (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (RANDOM_SEED + 5);
  guint n_ok = 0;
  guint n_overflow = 0;

  n_reference_ties = 0;
  for (guint i = 0; i < N_RANDOM; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 a = random_units (rand);
      gint64 step = random_units (rand);
      Big ba, bstep, q, rem;

      /* Only positive steps are valid; map the random value onto them. */
      if (step == 0 || step == G_MININT64)
        step = 1;
      step = ABS (step);
      ba = big_from_int64 (a);
      bstep = big_from_int64 (step);
      big_divmod_mag (&ba, &bstep, &q, &rem);

      for (guint r = 0; r < G_N_ELEMENTS (all_roundings); r++)
        {
          Big steps = big_round_quotient (q, &rem, &bstep, ba.negative, all_roundings[r]);
          Big exact = big_mul (&steps, &bstep);
          BourseDecimal value = units (UNTOUCHED);
          gboolean ok = bourse_decimal_round_to_step (units (a), units (step), all_roundings[r],
                                                      &value, &error);
          g_autofree char *what = describe ("round_to_step", a, step, all_roundings[r]);

          check_against_reference (what, &exact, ok, value, error, &n_ok, &n_overflow);
          g_clear_error (&error);
        }
    }

  g_test_message ("%u in range, %u overflowed, %u ties", n_ok, n_overflow,
                  n_reference_ties / (guint) G_N_ELEMENTS (all_roundings));
  g_assert_cmpuint (n_ok, >, N_RANDOM);
  g_assert_cmpuint (n_overflow, >, 0);
  g_assert_cmpuint (n_reference_ties, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/decimal/parse/valid", test_parse_valid);
  g_test_add_func ("/decimal/parse/invalid", test_parse_invalid);
  g_test_add_func ("/decimal/parse/overflow", test_parse_overflow);
  g_test_add_func ("/decimal/parse/inexact", test_parse_inexact);
  g_test_add_func ("/decimal/parse/rounded", test_parse_rounded);
  g_test_add_func ("/decimal/format", test_format);
  g_test_add_func ("/decimal/from-int", test_from_int);
  g_test_add_func ("/decimal/add-sub", test_add_sub);
  g_test_add_func ("/decimal/mul", test_mul);
  g_test_add_func ("/decimal/div", test_div);
  g_test_add_func ("/decimal/round-to-step", test_round_to_step);
  g_test_add_func ("/decimal/neg-compare", test_neg_compare);
  g_test_add_func ("/decimal/error-messages", test_error_messages);
  g_test_add_func ("/decimal/random/format-parse", test_random_format_parse);
  g_test_add_func ("/decimal/random/parse-rounded", test_random_parse_rounded);
  g_test_add_func ("/decimal/random/add-sub", test_random_add_sub);
  g_test_add_func ("/decimal/random/mul", test_random_mul);
  g_test_add_func ("/decimal/random/div", test_random_div);
  g_test_add_func ("/decimal/random/round-to-step", test_random_round_to_step);

  return g_test_run ();
}
