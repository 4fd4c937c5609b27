/* fake-exchange-user-stream.h — the fake exchange's WebSocket API and user data streams
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ws://127.0.0.1:PORT/ws-api/v3 answers userDataStream.subscribe.signature
 * (the signature checked with the keys of fake_exchange_add_key (), the
 * timestamp against the exchange's clock and recvWindow) and
 * userDataStream.unsubscribe; events go out as
 * {"subscriptionId":N,"event":{…}}.
 */

#pragma once

#include "fake-exchange.h"

G_BEGIN_DECLS

/* ws://127.0.0.1:PORT/ws-api/v3 */
const char *fake_exchange_get_ws_api_url                 (FakeExchange *self);
/* Subscriptions open now, over every connection. */
guint       fake_exchange_get_n_user_subscriptions       (FakeExchange *self);
/* WebSocket API connections accepted, and refused (503), so far. */
guint       fake_exchange_get_n_user_stream_accepts      (FakeExchange *self);
guint       fake_exchange_get_n_user_stream_refusals     (FakeExchange *self);
/* userDataStream.subscribe.signature requests so far, and the error code
 * of the last one refused (0 when the last one succeeded). */
guint       fake_exchange_get_n_user_subscribe_requests  (FakeExchange *self);
int         fake_exchange_get_last_user_subscribe_error  (FakeExchange *self);
/* Cuts every WebSocket API connection's TCP connection without a close
 * frame. */
void        fake_exchange_drop_user_streams              (FakeExchange *self);
/* Refuses (503) or accepts new WebSocket API connections. */
void        fake_exchange_set_refuse_user_streams        (FakeExchange *self,
                                                          gboolean      refuse);
/* Ends every subscription of @api_key (NULL: of every key) with an
 * eventStreamTerminated event; the connections stay open. Returns how many
 * subscriptions ended. */
guint       fake_exchange_terminate_user_streams         (FakeExchange *self,
                                                          const char   *api_key);
/* While @hold, a session that subscribes sends nothing (its answer, then
 * its events) until the hold ends: a subscription the exchange has made
 * and the client does not know of yet. */
void        fake_exchange_set_hold_user_answers          (FakeExchange *self,
                                                          gboolean      hold);
/* Sends {"event":{"e":"serverShutdown",…}} on every connection. */
void        fake_exchange_announce_user_stream_shutdown  (FakeExchange *self);
/* Sends @event_json (a JSON object: what Binance puts in "event") to every
 * subscription of @api_key; returns how many got it. */
guint       fake_exchange_push_user_event                (FakeExchange *self,
                                                          const char   *api_key,
                                                          const char   *event_json);

G_END_DECLS
