/* bourse-binance-filters.h — Binance's symbol filters, checked before an order is stored
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "core/bourse-decimal.h"
#include "trading/bourse-orders.h"

G_BEGIN_DECLS

/* One symbol's rules from GET /api/v3/exchangeInfo. A zero bound is no
 * bound, as in Binance's answers. */
typedef struct
{
  char          *symbol;
  char          *base_asset;
  char          *quote_asset;
  char          *status;              /* "TRADING", "HALT", "BREAK" */

  gboolean       has_price;           /* PRICE_FILTER */
  BourseDecimal  min_price;
  BourseDecimal  max_price;
  BourseDecimal  tick_size;

  gboolean       has_lot;             /* LOT_SIZE */
  BourseDecimal  min_qty;
  BourseDecimal  max_qty;
  BourseDecimal  step_size;

  gboolean       has_market_lot;      /* MARKET_LOT_SIZE */
  BourseDecimal  market_min_qty;
  BourseDecimal  market_max_qty;
  BourseDecimal  market_step_size;

  gboolean       has_notional;        /* NOTIONAL, or the older MIN_NOTIONAL */
  const char    *notional_filter;     /* which of the two: for messages */
  BourseDecimal  min_notional;
  BourseDecimal  max_notional;
  gboolean       min_to_market;
  gboolean       max_to_market;

  gboolean       has_percent_price;   /* PERCENT_PRICE_BY_SIDE */
  BourseDecimal  bid_up;
  BourseDecimal  bid_down;
  BourseDecimal  ask_up;
  BourseDecimal  ask_down;

  gint64         max_num_orders;      /* MAX_NUM_ORDERS; 0: none */
} BourseBinanceFilters;

void                  bourse_binance_filters_free  (BourseBinanceFilters        *filters);
/* One element of exchangeInfo's "symbols". Unknown filters are ignored. */
BourseBinanceFilters *bourse_binance_filters_parse (JsonObject                  *symbol,
                                                    GError                     **error);
/* exchangeInfo's answer: symbol → BourseBinanceFilters. */
GHashTable           *bourse_binance_filters_parse_exchange_info (JsonNode      *root,
                                                    GError                     **error);
/* Whether @order passes: FALSE with BOURSE_ERROR_INVALID naming the member
 * at fault (price, quantity, stop_price) and the filter in the message.
 * @reference: the symbol's last price (a MARKET order's notional and the
 * percent-price band), zero when unknown (those checks are then skipped).
 * @n_open: our orders open on the symbol now, for MAX_NUM_ORDERS. */
gboolean              bourse_binance_filters_check (const BourseBinanceFilters  *filters,
                                                    const BourseOrder           *order,
                                                    BourseDecimal                reference,
                                                    guint                        n_open,
                                                    GError                     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseBinanceFilters, bourse_binance_filters_free)

G_END_DECLS
