/* fake-exchange-private.h — how the fake exchange's parts reach each other
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fake-exchange.c: market data (klines, kline streams) and the server.
 * fake-exchange-orders.c: the signed REST order side (keys, balances,
 *   filters, matching, failure modes).
 * fake-exchange-user-stream.c: the WebSocket API (/ws-api/v3) and its
 *   user data stream subscriptions.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fake-exchange.h"

G_BEGIN_DECLS

typedef struct _FakeOrders      FakeOrders;
typedef struct _FakeUserStreams FakeUserStreams;

SoupServer       *fake_exchange_get_server        (FakeExchange *self);
/* Where each part keeps its state; it is created by the part's install
 * function (called from fake_exchange_new ()) and freed by its clear
 * function (called from fake_exchange_free ()). */
FakeOrders      **fake_exchange_orders_slot       (FakeExchange *self);
FakeUserStreams **fake_exchange_user_streams_slot (FakeExchange *self);

/* fake-exchange.c: the keys (fake_exchange_add_key ()) and the clock. */
/* The exchange's clock in milliseconds: fake_exchange_set_now ()'s or the
 * real one, plus fake_exchange_set_clock_skew_ms ()'s skew. */
gint64            fake_exchange_clock_ms          (FakeExchange *self);
/* 0 when @signature is right for @payload under @api_key (HMAC hex, or
 * Ed25519 base64 — not percent-encoded); else Binance's code: -2014 (bad
 * API-key format), -2015 (unknown key), -1022 (bad signature). */
int               fake_exchange_check_signature   (FakeExchange *self,
                                                   const char   *api_key,
                                                   const char   *payload,
                                                   const char   *signature);
/* FALSE for an unknown key. */
gboolean          fake_exchange_key_permissions   (FakeExchange *self,
                                                   const char   *api_key,
                                                   gboolean     *can_trade,
                                                   gboolean     *can_withdraw);

/* fake-exchange-orders.c */
void              fake_exchange_orders_install    (FakeExchange *self);
void              fake_exchange_orders_clear      (FakeExchange *self);

/* fake-exchange-user-stream.c installs the function that delivers user
 * events; fake-exchange-orders.c calls fake_exchange_user_event (). */
typedef guint (*FakeUserEventFunc) (FakeExchange *self,
                                    const char   *api_key,
                                    JsonObject   *event,
                                    gpointer      user_data);
void              fake_exchange_set_user_event_func (FakeExchange      *self,
                                                     FakeUserEventFunc  func,
                                                     gpointer           user_data);
void              fake_exchange_user_stream_install (FakeExchange *self);
void              fake_exchange_user_stream_clear   (FakeExchange *self);
/* fake-exchange.c: sends @event (executionReport, outboundAccountPosition, listStatus: the
 * payload Binance puts in "event") to every user stream subscribed with
 * @api_key; events while none is subscribed are lost, as on Binance.
 * Returns how many streams got it. */
guint             fake_exchange_user_event          (FakeExchange *self,
                                                     const char   *api_key,
                                                     JsonObject   *event);

G_END_DECLS
