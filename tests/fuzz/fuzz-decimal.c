/* fuzz-decimal.c — the decimal parser and the arithmetic it feeds
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a rounding byte, then one or two texts separated by a NUL. Every
 * accepted text must print back to the same value, the roundings of one
 * text must agree with each other, and the arithmetic on two values must
 * agree with its own inverse wherever it does not overflow.
 */

#include <stdint.h>
#include <string.h>

#include "core/bourse-decimal.h"

#include "fuzz-util.h"

#define N_ROUNDINGS (BOURSE_ROUND_CEILING + 1)

static void
check_prints_back (BourseDecimal value)
{
  g_autofree char *text = bourse_decimal_to_string (value);
  g_autofree char *trimmed = bourse_decimal_to_string_trimmed (value);
  BourseDecimal again;

  FUZZ_CHECK (bourse_decimal_parse (text, &again, NULL) && again.units == value.units);
  FUZZ_CHECK (bourse_decimal_parse (trimmed, &again, NULL) && again.units == value.units);
}

/* Rounding of one exact result: the floor and the ceiling are at most one
 * unit apart, and every other rounding is one of them. */
typedef gboolean (*RoundedFunc) (BourseDecimal a, BourseDecimal b, BourseRounding rounding,
                                 BourseDecimal *out, GError **error);

static void
check_roundings (RoundedFunc   func,
                 BourseDecimal a,
                 BourseDecimal b)
{
  BourseDecimal floor_value, ceiling_value, value;

  if (!func (a, b, BOURSE_ROUND_FLOOR, &floor_value, NULL)
      || !func (a, b, BOURSE_ROUND_CEILING, &ceiling_value, NULL))
    return;
  FUZZ_CHECK (floor_value.units <= ceiling_value.units);
  for (int r = 0; r < N_ROUNDINGS; r++)
    if (func (a, b, r, &value, NULL))
      FUZZ_CHECK (value.units == floor_value.units || value.units == ceiling_value.units);
}

static gboolean
rounded_mul (BourseDecimal a, BourseDecimal b, BourseRounding rounding, BourseDecimal *out, GError **error)
{
  return bourse_decimal_mul (a, b, rounding, out, error);
}

static gboolean
rounded_div (BourseDecimal a, BourseDecimal b, BourseRounding rounding, BourseDecimal *out, GError **error)
{
  return bourse_decimal_div (a, b, rounding, out, error);
}

static gboolean
rounded_to_step (BourseDecimal a, BourseDecimal b, BourseRounding rounding, BourseDecimal *out, GError **error)
{
  return bourse_decimal_round_to_step (a, b, rounding, out, error);
}

static void
check_text (const char     *text,
            BourseRounding  rounding,
            BourseDecimal  *value,
            gboolean       *exact)
{
  g_autoptr(GError) error = NULL;
  BourseDecimal rounded[N_ROUNDINGS];
  gboolean ok[N_ROUNDINGS];

  *exact = bourse_decimal_parse (text, value, &error);
  FUZZ_CHECK (*exact == (error == NULL));
  if (error != NULL)
    FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
  if (*exact)
    check_prints_back (*value);

  for (int r = 0; r < N_ROUNDINGS; r++)
    {
      ok[r] = bourse_decimal_parse_rounded (text, r, &rounded[r], NULL);
      /* An exact text reads the same whatever the rounding. */
      if (*exact)
        FUZZ_CHECK (ok[r] && rounded[r].units == value->units);
      if (ok[r])
        check_prints_back (rounded[r]);
    }
  if (ok[BOURSE_ROUND_FLOOR] && ok[BOURSE_ROUND_CEILING])
    {
      FUZZ_CHECK (rounded[BOURSE_ROUND_CEILING].units - rounded[BOURSE_ROUND_FLOOR].units <= 1);
      for (int r = 0; r < N_ROUNDINGS; r++)
        if (ok[r])
          FUZZ_CHECK (rounded[r].units == rounded[BOURSE_ROUND_FLOOR].units
                      || rounded[r].units == rounded[BOURSE_ROUND_CEILING].units);
    }
  if (!*exact && ok[rounding])
    {
      *value = rounded[rounding];
      *exact = TRUE;
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  bourse_fuzz_init_logging ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *copy = NULL;
  const char *first, *second = NULL;
  BourseRounding rounding;
  BourseDecimal a, b, c, d;
  gboolean has_a, has_b;

  if (size < 1)
    return 0;
  rounding = data[0] % N_ROUNDINGS;
  /* A NUL-terminated copy, so that the part after the first NUL is one too. */
  copy = g_malloc (size);
  memcpy (copy, data + 1, size - 1);
  copy[size - 1] = '\0';
  first = copy;
  if (strlen (first) < size - 1)
    second = first + strlen (first) + 1;

  check_text (first, rounding, &a, &has_a);
  if (second == NULL)
    return 0;
  check_text (second, rounding, &b, &has_b);
  if (!has_a || !has_b)
    return 0;

  FUZZ_CHECK (bourse_decimal_compare (a, b) == -bourse_decimal_compare (b, a));
  if (bourse_decimal_add (a, b, &c, NULL))
    FUZZ_CHECK (bourse_decimal_sub (c, b, &d, NULL) && d.units == a.units);
  if (bourse_decimal_sub (a, b, &c, NULL))
    FUZZ_CHECK (bourse_decimal_add (c, b, &d, NULL) && d.units == a.units);
  if (bourse_decimal_neg (a, &c, NULL))
    FUZZ_CHECK (c.units == -a.units);

  check_roundings (rounded_mul, a, b);
  check_roundings (rounded_div, a, b);
  check_roundings (rounded_to_step, a, b);
  if (bourse_decimal_mul (a, b, rounding, &c, NULL) && bourse_decimal_mul (b, a, rounding, &d, NULL))
    FUZZ_CHECK (c.units == d.units);
  if (bourse_decimal_round_to_step (a, b, rounding, &c, NULL))
    FUZZ_CHECK (b.units > 0 && c.units % b.units == 0);
  if (bourse_decimal_div (a, b, BOURSE_ROUND_TOWARD_ZERO, &c, NULL))
    FUZZ_CHECK (b.units != 0);

  (void)bourse_decimal_to_double (a);
  return 0;
}
