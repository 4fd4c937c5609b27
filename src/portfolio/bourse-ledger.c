/* bourse-ledger.c — the position arithmetic of the ledger, without storage
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bourse-ledger.h"

gboolean
bourse_ledger_share_of (BourseDecimal   a,
                        BourseDecimal   b,
                        BourseDecimal   c,
                        BourseDecimal  *out,
                        GError        **error)
{
  __int128 num = (__int128) a.units * b.units;
  __int128 q = num / c.units;
  __int128 r = num % c.units;
  __int128 twice = (r < 0 ? -r : r) * 2;
  __int128 den = c.units < 0 ? -(__int128) c.units : c.units;

  if (twice > den || (twice == den && (q & 1) != 0))
    q += ((num < 0) != (c.units < 0)) ? -1 : 1;
  if (q > G_MAXINT64 || q < G_MININT64)
    {
      g_set_error_literal (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_OVERFLOW,
                           _("The amount is too large"));
      return FALSE;
    }
  out->units = (gint64) q;
  return TRUE;
}

static BourseDecimal
dec_abs (BourseDecimal value)
{
  return (BourseDecimal) { value.units < 0 ? -value.units : value.units };
}

static int
dec_sign (BourseDecimal value)
{
  return value.units > 0 ? 1 : value.units < 0 ? -1 : 0;
}

gboolean
bourse_ledger_book (BourseLedgerPosition  *position,
                    gboolean               buy,
                    BourseDecimal          quantity,
                    BourseDecimal          notional,
                    BourseDecimal          fee,
                    BourseLedgerChange    *change,
                    GError               **error)
{
  BourseDecimal q = position->quantity, cost = position->cost, realized = position->realized_pnl;
  BourseDecimal fees = position->fees;
  BourseDecimal d = quantity, n = notional;

  g_return_val_if_fail (quantity.units >= 0 && notional.units >= 0 && fee.units >= 0, FALSE);

  memset (change, 0, sizeof *change);
  if (!buy)
    {
      d.units = -d.units;
      n.units = -n.units;
    }
  if (!bourse_decimal_add (fees, fee, &fees, error))
    return FALSE;

  if (q.units != 0 && dec_sign (d) != dec_sign (q))
    {
      /* Reduces: r of |q| is closed; the cost of that share leaves, and
       * the fill's notional for it is realised against it. */
      BourseDecimal r = bourse_decimal_compare (dec_abs (d), dec_abs (q)) < 0 ? dec_abs (d) : dec_abs (q);
      BourseDecimal cost_out, n_r, fee_r, gross;
      gboolean closes = bourse_decimal_compare (r, dec_abs (q)) == 0;

      if (closes)
        cost_out = cost;
      else if (!bourse_ledger_share_of (cost, r, dec_abs (q), &cost_out, error))
        return FALSE;
      if (bourse_decimal_compare (r, dec_abs (d)) == 0)
        {
          n_r = n;
          fee_r = fee;
        }
      else if (!bourse_ledger_share_of (n, r, dec_abs (d), &n_r, error)
               || !bourse_ledger_share_of (fee, r, dec_abs (d), &fee_r, error))
        return FALSE;
      /* gross = −n_r − cost_out: a long sold for 110 that cost 100 gives 10. */
      if (!bourse_decimal_add (n_r, cost_out, &gross, error) || !bourse_decimal_neg (gross, &gross, error)
          || !bourse_decimal_add (realized, gross, &realized, error)
          || !bourse_decimal_sub (cost, cost_out, &cost, error))
        return FALSE;
      q.units += d.units > 0 ? r.units : -r.units;
      change->closed_quantity = r;
      change->closed_notional = dec_abs (n_r);
      change->closed_fee = fee_r;
      change->gross_pnl = gross;
      change->closes = closes;
      /* What is left of the fill opens the other side (shorts allowed). */
      if (!bourse_decimal_sub (d, d.units > 0 ? r : (BourseDecimal) { -r.units }, &d, error)
          || !bourse_decimal_sub (n, n_r, &n, error)
          || !bourse_decimal_sub (fee, fee_r, &fee, error))
        return FALSE;
    }

  if (d.units != 0)
    {
      /* Opens or adds to a position on the fill's side. */
      change->opens = q.units == 0;
      change->opened_quantity = dec_abs (d);
      change->opened_notional = dec_abs (n);
      change->opened_fee = fee;
      if (!bourse_decimal_add (q, d, &q, error) || !bourse_decimal_add (cost, n, &cost, error))
        return FALSE;
    }

  position->quantity = q;
  position->cost = cost;
  position->realized_pnl = realized;
  position->fees = fees;
  return TRUE;
}

gboolean
bourse_ledger_cash_delta (gboolean        buy,
                          BourseDecimal   notional,
                          BourseDecimal   fee,
                          BourseDecimal  *delta,
                          GError        **error)
{
  if (buy)
    {
      if (!bourse_decimal_add (notional, fee, delta, error))
        return FALSE;
      delta->units = -delta->units;
      return TRUE;
    }
  return bourse_decimal_sub (notional, fee, delta, error);
}
