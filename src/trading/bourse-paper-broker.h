/* bourse-paper-broker.h — the fill model of paper trading (docs/TRADING.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-broker.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_PAPER_BROKER (bourse_paper_broker_get_type ())

G_DECLARE_FINAL_TYPE (BoursePaperBroker, bourse_paper_broker, BOURSE, PAPER_BROKER, GObject)

/* The fill model alone, for the broker and for backtests: the price a
 * MARKET order fills at, @slippage_bps against the taker from @last and
 * rounded to @tick on the taker's worse side. */
gboolean bourse_paper_market_price (BourseSide      side,
                                    BourseDecimal   last,
                                    gint64          slippage_bps,
                                    BourseDecimal   tick,
                                    BourseDecimal  *price,
                                    GError        **error);
/* The notional (half-even) and the fee on it (@rate, rounded up). */
gboolean bourse_paper_fee          (BourseDecimal   quantity,
                                    BourseDecimal   price,
                                    BourseDecimal   rate,
                                    BourseDecimal  *notional,
                                    BourseDecimal  *fee,
                                    GError        **error);
/* Whether a stop type's stop is reached at @price. */
gboolean bourse_paper_stop_reached (BourseOrderType type,
                                    BourseSide      side,
                                    BourseDecimal   stop,
                                    BourseDecimal   price);
/* Whether a LIMIT at @limit trades at @price. */
gboolean bourse_paper_limit_reached (BourseSide     side,
                                     BourseDecimal  limit,
                                     BourseDecimal  price);
/* Open orders it works now (for tests and the bench). */
guint    bourse_paper_broker_get_n_resting (BoursePaperBroker *self);

G_END_DECLS
