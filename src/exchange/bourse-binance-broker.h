/* bourse-binance-broker.h — the broker "binance": orders on Binance Spot
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "trading/bourse-broker.h"

#include "bourse-binance-api.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_BINANCE_BROKER (bourse_binance_broker_get_type ())

G_DECLARE_FINAL_TYPE (BourseBinanceBroker, bourse_binance_broker, BOURSE, BINANCE_BROKER, GObject)

/* Adds "binance" to the brokers' extension point; call after
 * bourse_brokers_ensure (). */
void               bourse_binance_broker_register      (void);

/* The client, once set up (NULL before). */
BourseBinanceApi  *bourse_binance_broker_get_api       (BourseBinanceBroker   *self);
/* Asks for exchangeInfo again: the symbols' filters change now and then.
 * The engine's scheduler does it daily (job exchange.info); a failure is
 * noted in the broker's status. */
void               bourse_binance_broker_refresh_exchange_info (BourseBinanceBroker *self);

/* The kill switch: DELETE /api/v3/openOrders on @symbol, over REST (it
 * works while the user stream is down). Each of our orders it canceled is
 * reported CANCELED; *n_canceled (may be NULL) is how many orders Binance
 * canceled, ours or not. */
void               bourse_binance_broker_cancel_all_async  (BourseBinanceBroker  *self,
                                                            const char           *symbol,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean           bourse_binance_broker_cancel_all_finish (BourseBinanceBroker  *self,
                                                            GAsyncResult         *result,
                                                            guint                *n_canceled,
                                                            GError              **error);

/* POST /api/v3/order's parameters for @order, before the signature:
 * symbol, side, type, timeInForce, quantity, price, stopPrice,
 * newClientOrderId, newOrderRespType=RESULT. With
 * bourse_binance_sign_query (), all an order costs before it is sent (for
 * bench/). */
BourseBinanceParams *bourse_binance_order_params       (const BourseOrder     *order);

G_END_DECLS
