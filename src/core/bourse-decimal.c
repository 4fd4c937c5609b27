/* bourse-decimal.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-decimal"

#include <string.h>

#include "bourse-decimal.h"

/* Products of two int64 unit counts need 127 bits; __extension__ keeps -Wpedantic quiet. */
__extension__ typedef __int128          BourseInt128;
__extension__ typedef unsigned __int128 BourseUInt128;

/* The magnitude of G_MININT64, the largest magnitude a negative value can have. */
#define MAX_NEGATIVE_MAGNITUDE ((BourseUInt128) G_MAXINT64 + 1)

G_DEFINE_QUARK (bourse-decimal-error-quark, bourse_decimal_error)

static gboolean
rounding_is_valid (BourseRounding rounding)
{
  return rounding >= BOURSE_ROUND_HALF_EVEN && rounding <= BOURSE_ROUND_CEILING;
}

/*
 * Decides whether a truncated magnitude must grow by one unit.
 *
 * @negative is the sign of the exact result, @odd whether the truncated magnitude is odd,
 * @inexact whether anything was discarded and @vs_half how the discarded part compares
 * with half a unit (-1, 0, 1). Working on magnitudes keeps the sign handling in one place.
 */
static gboolean
round_magnitude_up (BourseRounding rounding,
                    gboolean       negative,
                    gboolean       odd,
                    gboolean       inexact,
                    int            vs_half)
{
  if (!inexact)
    return FALSE;

  switch (rounding)
    {
    case BOURSE_ROUND_HALF_EVEN:
      return vs_half > 0 || (vs_half == 0 && odd);
    case BOURSE_ROUND_HALF_UP:
      return vs_half >= 0;
    case BOURSE_ROUND_TOWARD_ZERO:
      return FALSE;
    case BOURSE_ROUND_AWAY_FROM_ZERO:
      return TRUE;
    case BOURSE_ROUND_FLOOR:
      return negative;
    case BOURSE_ROUND_CEILING:
      return !negative;
    default:
      g_assert_not_reached ();
    }
}

static BourseUInt128
magnitude (BourseInt128 value)
{
  return value < 0 ? -(BourseUInt128) value : (BourseUInt128) value;
}

/* Sets @out to ±@mag, or returns FALSE if that does not fit in an int64. */
static gboolean
magnitude_to_units (BourseUInt128  mag,
                    gboolean       negative,
                    gint64        *out)
{
  if (negative)
    {
      if (mag > MAX_NEGATIVE_MAGNITUDE)
        return FALSE;
      *out = (gint64) -(BourseInt128) mag;
    }
  else
    {
      if (mag > (BourseUInt128) G_MAXINT64)
        return FALSE;
      *out = (gint64) mag;
    }

  return TRUE;
}

/* Divides @num by @den (non-zero), rounding the quotient's magnitude with @rounding. */
static BourseUInt128
divide_rounded (BourseInt128    num,
                BourseInt128    den,
                BourseRounding  rounding,
                gboolean       *negative)
{
  BourseUInt128 d = magnitude (den);
  BourseUInt128 q;
  BourseUInt128 r;
  int vs_half;

  g_assert (den != 0);

  q = magnitude (num) / d;
  r = magnitude (num) % d;

  /* r against d - r instead of 2r against d, so nothing can overflow. */
  if (r < d - r)
    vs_half = -1;
  else if (r == d - r)
    vs_half = 0;
  else
    vs_half = 1;

  *negative = (num < 0) != (den < 0);
  if (round_magnitude_up (rounding, *negative, (q & 1) != 0, r != 0, vs_half))
    q++;

  return q;
}

static void
set_overflow_error (GError     **error,
                    const char  *operation)
{
  g_set_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_OVERFLOW,
               "The result of the %s is out of range: decimals range from "
               "-92233720368.54775808 to 92233720368.54775807",
               operation);
}

/*
 * The accepted grammar is deliberately strict, since these strings come from JSON, the
 * database and exchange replies where anything unusual is a bug worth reporting:
 *
 *   [+-] DIGITS [ "." DIGITS ]
 *
 * so "0.5", "-3", "+007.10" parse, while "", " 1", ".5", "5.", "1e3", "0x10", "NaN", "inf"
 * and "1,5" do not. "-0" is zero. Digits beyond the eighth fractional place must be zeros
 * unless @exact is FALSE, in which case they are rounded away with @rounding.
 */
static gboolean
parse_internal (const char      *text,
                gboolean         exact,
                BourseRounding   rounding,
                BourseDecimal   *out,
                GError         **error)
{
  /* A whole part above this already overflows, so the accumulator never wraps. */
  const BourseUInt128 whole_limit = MAX_NEGATIVE_MAGNITUDE / BOURSE_DECIMAL_UNIT + 1;
  const char *p = text;
  const char *whole_begin;
  const char *whole_end;
  const char *frac_begin = NULL;
  const char *frac_end = NULL;
  gboolean negative = FALSE;
  gboolean extra_nonzero = FALSE;
  BourseUInt128 mag = 0;
  int vs_half = -1;
  gint64 units;

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';

  whole_begin = p;
  while (g_ascii_isdigit (*p))
    p++;
  whole_end = p;

  if (*p == '.')
    {
      frac_begin = ++p;
      while (g_ascii_isdigit (*p))
        p++;
      frac_end = p;
    }

  if (whole_begin == whole_end || (frac_begin != NULL && frac_begin == frac_end) || *p != '\0')
    {
      /* The text may be any bytes from the network; messages must stay valid UTF-8. */
      g_autofree char *shown = g_utf8_make_valid (text, -1);

      g_set_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_INVALID,
                   "“%s” is not a decimal number: use digits with an optional sign and "
                   "decimal point, such as 0.015 or -12",
                   shown);
      return FALSE;
    }

  for (p = whole_begin; p < whole_end; p++)
    {
      mag = mag * 10 + (BourseUInt128) (*p - '0');
      if (mag > whole_limit)
        goto overflow;
    }

  mag *= BOURSE_DECIMAL_UNIT;

  if (frac_begin != NULL)
    {
      BourseUInt128 frac = 0;
      const char *extra;
      int i;

      for (i = 0, p = frac_begin; i < BOURSE_DECIMAL_SCALE; i++)
        {
          frac *= 10;
          if (p < frac_end)
            frac += (BourseUInt128) (*p++ - '0');
        }
      mag += frac;

      extra = p;
      for (; p < frac_end; p++)
        extra_nonzero |= *p != '0';

      if (extra_nonzero)
        {
          if (*extra > '5')
            vs_half = 1;
          else if (*extra < '5')
            vs_half = -1;
          else
            {
              /* Exactly half only if every digit after the 5 is a zero. */
              vs_half = 0;
              for (p = extra + 1; p < frac_end; p++)
                if (*p != '0')
                  vs_half = 1;
            }
        }
    }

  /* Rounding only ever grows the magnitude, so check the range before blaming the digits. */
  if (mag > MAX_NEGATIVE_MAGNITUDE || (!negative && mag > (BourseUInt128) G_MAXINT64))
    goto overflow;

  if (extra_nonzero && exact)
    {
      g_set_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_INEXACT,
                   "“%s” has more than %d decimal places",
                   text, BOURSE_DECIMAL_SCALE);
      return FALSE;
    }

  if (round_magnitude_up (rounding, negative, (mag & 1) != 0, extra_nonzero, vs_half))
    mag++;

  if (!magnitude_to_units (mag, negative, &units))
    goto overflow;

  out->units = units;
  return TRUE;

overflow:
  /* Only digits got this far, so the text is already valid UTF-8. */
  g_set_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_OVERFLOW,
               "“%s” is out of range: decimals range from "
               "-92233720368.54775808 to 92233720368.54775807",
               text);
  return FALSE;
}

gboolean
bourse_decimal_parse (const char     *text,
                      BourseDecimal  *out,
                      GError        **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return parse_internal (text, TRUE, BOURSE_ROUND_HALF_EVEN, out, error);
}

gboolean
bourse_decimal_parse_rounded (const char      *text,
                              BourseRounding   rounding,
                              BourseDecimal   *out,
                              GError         **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (rounding_is_valid (rounding), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return parse_internal (text, FALSE, rounding, out, error);
}

char *
bourse_decimal_to_string (BourseDecimal value)
{
  /* Negating as unsigned is what makes G_MININT64 printable. */
  guint64 mag = value.units < 0 ? -(guint64) value.units : (guint64) value.units;

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%08" G_GUINT64_FORMAT,
                          value.units < 0 ? "-" : "",
                          mag / (guint64) BOURSE_DECIMAL_UNIT,
                          mag % (guint64) BOURSE_DECIMAL_UNIT);
}

char *
bourse_decimal_to_string_trimmed (BourseDecimal value)
{
  char *str = bourse_decimal_to_string (value);
  gsize len = strlen (str);

  while (str[len - 1] == '0')
    len--;
  if (str[len - 1] == '.')
    len--;
  str[len] = '\0';

  return str;
}

gboolean
bourse_decimal_from_int (gint64          value,
                         BourseDecimal  *out,
                         GError        **error)
{
  gint64 units;

  g_return_val_if_fail (out != NULL, FALSE);

  if (__builtin_mul_overflow (value, BOURSE_DECIMAL_UNIT, &units))
    {
      g_set_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_OVERFLOW,
                   "%" G_GINT64_FORMAT " is too large for a decimal: decimals range from "
                   "-92233720368.54775808 to 92233720368.54775807",
                   value);
      return FALSE;
    }

  out->units = units;
  return TRUE;
}

gboolean
bourse_decimal_add (BourseDecimal   a,
                    BourseDecimal   b,
                    BourseDecimal  *out,
                    GError        **error)
{
  gint64 units;

  g_return_val_if_fail (out != NULL, FALSE);

  if (__builtin_add_overflow (a.units, b.units, &units))
    {
      set_overflow_error (error, "addition");
      return FALSE;
    }

  out->units = units;
  return TRUE;
}

gboolean
bourse_decimal_sub (BourseDecimal   a,
                    BourseDecimal   b,
                    BourseDecimal  *out,
                    GError        **error)
{
  gint64 units;

  g_return_val_if_fail (out != NULL, FALSE);

  if (__builtin_sub_overflow (a.units, b.units, &units))
    {
      set_overflow_error (error, "subtraction");
      return FALSE;
    }

  out->units = units;
  return TRUE;
}

gboolean
bourse_decimal_mul (BourseDecimal    a,
                    BourseDecimal    b,
                    BourseRounding   rounding,
                    BourseDecimal   *out,
                    GError         **error)
{
  BourseUInt128 mag;
  gboolean negative;
  gint64 units;

  g_return_val_if_fail (rounding_is_valid (rounding), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* |a·b| ≤ 2^126, so the exact product fits before scaling back down. */
  mag = divide_rounded ((BourseInt128) a.units * b.units, BOURSE_DECIMAL_UNIT, rounding, &negative);

  if (!magnitude_to_units (mag, negative, &units))
    {
      set_overflow_error (error, "multiplication");
      return FALSE;
    }

  out->units = units;
  return TRUE;
}

gboolean
bourse_decimal_div (BourseDecimal    a,
                    BourseDecimal    b,
                    BourseRounding   rounding,
                    BourseDecimal   *out,
                    GError         **error)
{
  BourseUInt128 mag;
  gboolean negative;
  gint64 units;

  g_return_val_if_fail (rounding_is_valid (rounding), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (b.units == 0)
    {
      g_set_error_literal (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_DIVISION_BY_ZERO,
                           "Division by zero");
      return FALSE;
    }

  mag = divide_rounded ((BourseInt128) a.units * BOURSE_DECIMAL_UNIT, b.units, rounding, &negative);

  if (!magnitude_to_units (mag, negative, &units))
    {
      set_overflow_error (error, "division");
      return FALSE;
    }

  out->units = units;
  return TRUE;
}

gboolean
bourse_decimal_round_to_step (BourseDecimal    value,
                              BourseDecimal    step,
                              BourseRounding   rounding,
                              BourseDecimal   *out,
                              GError         **error)
{
  BourseUInt128 steps;
  gboolean negative;
  gint64 units;

  g_return_val_if_fail (rounding_is_valid (rounding), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* Steps come from exchange filters, so a bad one is data to report, not a programming error. */
  if (step.units <= 0)
    {
      g_autofree char *step_str = bourse_decimal_to_string_trimmed (step);

      g_set_error (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_INVALID,
                   "Cannot round to a step of %s: the step must be greater than zero",
                   step_str);
      return FALSE;
    }

  steps = divide_rounded (value.units, step.units, rounding, &negative);

  /* Rounding away from zero can land one step beyond the int64 range. */
  if (!magnitude_to_units (steps * (BourseUInt128) step.units, negative, &units))
    {
      set_overflow_error (error, "rounding");
      return FALSE;
    }

  out->units = units;
  return TRUE;
}

gboolean
bourse_decimal_neg (BourseDecimal   value,
                    BourseDecimal  *out,
                    GError        **error)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (value.units == G_MININT64)
    {
      set_overflow_error (error, "negation");
      return FALSE;
    }

  out->units = -value.units;
  return TRUE;
}

int
bourse_decimal_compare (BourseDecimal a,
                        BourseDecimal b)
{
  return (a.units > b.units) - (a.units < b.units);
}

gboolean
bourse_decimal_is_zero (BourseDecimal value)
{
  return value.units == 0;
}

double
bourse_decimal_to_double (BourseDecimal value)
{
  /* Exact up to 2^53 units (about 90 million), so everyday values round only once. */
  return (double) value.units / (double) BOURSE_DECIMAL_UNIT;
}
