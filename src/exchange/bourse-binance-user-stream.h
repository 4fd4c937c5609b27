/* bourse-binance-user-stream.h — the account's events over Binance's WebSocket API
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "core/bourse-config.h"

#include "bourse-binance-signer.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_BINANCE_USER_STREAM (bourse_binance_user_stream_get_type ())

G_DECLARE_FINAL_TYPE (BourseBinanceUserStream, bourse_binance_user_stream, BOURSE, BINANCE_USER_STREAM, GObject)

/* The user data stream of @signer's account: a connection to [binance]
 * ws_api_url subscribed with userDataStream.subscribe.signature. Reads
 * ws_api_url, base_url (GET /api/v3/time after a -1021), stream_lifetime,
 * stream_idle_timeout, request_timeout, retry_base_ms and retry_max_ms.
 * Lives on the thread-default GMainContext it is created in.
 *
 * Signals:
 *   "event" (JsonObject *event): the event Binance wraps in
 *       {"subscriptionId":N,"event":…}, for executionReport,
 *       outboundAccountPosition, balanceUpdate and listStatus, in the order
 *       they came. A renewed connection delivers no event twice.
 *   "subscribed" (gboolean after_gap): each time a subscription succeeds;
 *       @after_gap is TRUE when the stream had been subscribed before and
 *       was not in between (dropped, silent, terminated), so events may
 *       have been missed and the account wants reconciling. A renewal
 *       before stream_lifetime makes the new connection before it breaks
 *       the old one: no gap.
 *   "unsubscribed" (const char *reason): a subscription was lost (the
 *       stream retries with back-off), or Binance refused the keys (-2014,
 *       -2015, -1022: the stream stops; see "running" in the status). Not
 *       emitted by bourse_binance_user_stream_stop (). */
BourseBinanceUserStream *bourse_binance_user_stream_new              (BourseConfig            *config,
                                                                      BourseBinanceSigner     *signer);
void                     bourse_binance_user_stream_start            (BourseBinanceUserStream *self);
void                     bourse_binance_user_stream_stop             (BourseBinanceUserStream *self);
gboolean                 bourse_binance_user_stream_is_subscribed    (BourseBinanceUserStream *self);
/* Binance's clock minus ours (the real clock), in milliseconds: what
 * subscriptions are timestamped with. A -1021 answer measures it again
 * with GET /api/v3/time; a broker that keeps one offset for its REST
 * requests shares it here. */
void                     bourse_binance_user_stream_set_clock_offset (BourseBinanceUserStream *self,
                                                                      gint64                   offset_ms);
gint64                   bourse_binance_user_stream_get_clock_offset (BourseBinanceUserStream *self);
/* {"running","connected","subscribed","last_event_at" (RFC 3339 or null),
 * "reconnects","last_error" (or null)}; "running" is FALSE once stopped or
 * given up on refused keys. */
JsonNode                *bourse_binance_user_stream_status_json      (BourseBinanceUserStream *self);

G_END_DECLS
