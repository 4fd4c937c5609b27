/* bourse-ledger.h — the position arithmetic of the ledger, without storage
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a fill does to a position and to cash, in exact decimals. The
 * portfolio books every fill through it and stores the outcome; backtests
 * book theirs through it in memory, so both agree to the unit.
 */

#pragma once

#include "core/bourse-decimal.h"

G_BEGIN_DECLS

/* Quantities are signed (negative: short); cost is signed the same way
 * (what was paid for a long, what was received for a short), so value −
 * cost is the unrealised PnL of both. */
typedef struct
{
  BourseDecimal  quantity;
  BourseDecimal  cost;
  BourseDecimal  realized_pnl;
  BourseDecimal  fees;
} BourseLedgerPosition;

/* What one fill did: first it reduces the position (closed_* > 0 when it
 * did), then what is left of it opens or adds on its own side. */
typedef struct
{
  BourseDecimal  closed_quantity;   /* ≥ 0 */
  BourseDecimal  closed_notional;   /* ≥ 0: the fill's notional for that share */
  BourseDecimal  closed_fee;
  BourseDecimal  gross_pnl;         /* realised on the closed share */
  gboolean       closes;            /* the position it reduced is now flat */
  BourseDecimal  opened_quantity;   /* ≥ 0 */
  BourseDecimal  opened_notional;   /* ≥ 0 */
  BourseDecimal  opened_fee;
  gboolean       opens;             /* a flat position opened (a new round trip) */
} BourseLedgerChange;

/* Books a fill of @quantity for @notional (quantity × price, rounded
 * half-even) and @fee, all ≥ 0, into @position, and says what it did. */
gboolean bourse_ledger_book       (BourseLedgerPosition  *position,
                                   gboolean               buy,
                                   BourseDecimal          quantity,
                                   BourseDecimal          notional,
                                   BourseDecimal          fee,
                                   BourseLedgerChange    *change,
                                   GError               **error);
/* What the fill does to the quote cash: −(notional + fee) for a BUY,
 * notional − fee for a SELL. */
gboolean bourse_ledger_cash_delta (gboolean               buy,
                                   BourseDecimal          notional,
                                   BourseDecimal          fee,
                                   BourseDecimal         *delta,
                                   GError               **error);
/* a × b ÷ c, exact to the unit and rounded half-even: how a share of a
 * cost or a lock is taken. @c must not be zero. */
gboolean bourse_ledger_share_of   (BourseDecimal          a,
                                   BourseDecimal          b,
                                   BourseDecimal          c,
                                   BourseDecimal         *out,
                                   GError               **error);

G_END_DECLS
