/* bourse-decimal.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A fixed-point decimal for the ledger: value = units / 10^8.
 * Never use binary floating point for money; see DESIGN.md §4. */
#define BOURSE_DECIMAL_SCALE 8
#define BOURSE_DECIMAL_UNIT  G_GINT64_CONSTANT (100000000)

typedef struct
{
  gint64 units;
} BourseDecimal;

#define BOURSE_DECIMAL_ZERO ((BourseDecimal) { 0 })

typedef enum
{
  BOURSE_ROUND_HALF_EVEN,   /* banker's rounding */
  BOURSE_ROUND_HALF_UP,     /* ties away from zero */
  BOURSE_ROUND_TOWARD_ZERO, /* truncate */
  BOURSE_ROUND_AWAY_FROM_ZERO,
  BOURSE_ROUND_FLOOR,       /* toward -infinity */
  BOURSE_ROUND_CEILING,     /* toward +infinity */
} BourseRounding;

#define BOURSE_DECIMAL_ERROR (bourse_decimal_error_quark ())

typedef enum
{
  BOURSE_DECIMAL_ERROR_INVALID = 1,
  BOURSE_DECIMAL_ERROR_OVERFLOW,
  BOURSE_DECIMAL_ERROR_DIVISION_BY_ZERO,
  BOURSE_DECIMAL_ERROR_INEXACT,
} BourseDecimalError;

GQuark         bourse_decimal_error_quark     (void);

gboolean       bourse_decimal_parse           (const char      *text,
                                               BourseDecimal   *out,
                                               GError         **error);
gboolean       bourse_decimal_parse_rounded   (const char      *text,
                                               BourseRounding   rounding,
                                               BourseDecimal   *out,
                                               GError         **error);
char          *bourse_decimal_to_string       (BourseDecimal    value);
char          *bourse_decimal_to_string_trimmed (BourseDecimal  value);
gboolean       bourse_decimal_from_int        (gint64           value,
                                               BourseDecimal   *out,
                                               GError         **error);
gboolean       bourse_decimal_add             (BourseDecimal    a,
                                               BourseDecimal    b,
                                               BourseDecimal   *out,
                                               GError         **error);
gboolean       bourse_decimal_sub             (BourseDecimal    a,
                                               BourseDecimal    b,
                                               BourseDecimal   *out,
                                               GError         **error);
gboolean       bourse_decimal_mul             (BourseDecimal    a,
                                               BourseDecimal    b,
                                               BourseRounding   rounding,
                                               BourseDecimal   *out,
                                               GError         **error);
gboolean       bourse_decimal_div             (BourseDecimal    a,
                                               BourseDecimal    b,
                                               BourseRounding   rounding,
                                               BourseDecimal   *out,
                                               GError         **error);
gboolean       bourse_decimal_round_to_step   (BourseDecimal    value,
                                               BourseDecimal    step,
                                               BourseRounding   rounding,
                                               BourseDecimal   *out,
                                               GError         **error);
gboolean       bourse_decimal_neg             (BourseDecimal    value,
                                               BourseDecimal   *out,
                                               GError         **error);
int            bourse_decimal_compare         (BourseDecimal    a,
                                               BourseDecimal    b);
gboolean       bourse_decimal_is_zero         (BourseDecimal    value);
double         bourse_decimal_to_double       (BourseDecimal    value);

G_END_DECLS
