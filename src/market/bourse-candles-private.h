/* bourse-candles-private.h — number writers shared by the CSV and JSON
 * writers of src/market
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "core/bourse-decimal.h"

G_BEGIN_DECLS

/* Each writes at @out and returns the end: no printf, no allocation, for
 * the pages of candles that go out by the thousand. @out needs 21 bytes. */
char *_bourse_candles_put_signed  (char          *out,
                                   gint64         value);
/* All 8 decimals, as bourse_decimal_to_string (), or without the
 * trailing zeros (and point) when @trimmed. */
char *_bourse_candles_put_decimal (char          *out,
                                   BourseDecimal  value,
                                   gboolean       trimmed);

G_END_DECLS
