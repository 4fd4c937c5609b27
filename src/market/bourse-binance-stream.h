/* bourse-binance-stream.h — Binance WebSocket kline streams
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "core/bourse-config.h"

#include "bourse-candles.h"

G_BEGIN_DECLS

typedef enum
{
  BOURSE_BINANCE_STREAM_STOPPED,
  BOURSE_BINANCE_STREAM_CONNECTING,    /* the first connection since start */
  BOURSE_BINANCE_STREAM_CONNECTED,
  BOURSE_BINANCE_STREAM_RECONNECTING,  /* dropped, or refused: waiting or trying again */
} BourseBinanceStreamState;

#define BOURSE_TYPE_BINANCE_STREAM (bourse_binance_stream_get_type ())

G_DECLARE_FINAL_TYPE (BourseBinanceStream, bourse_binance_stream, BOURSE, BINANCE_STREAM, GObject)

/* Reads [binance] stream_url, stream_lifetime, stream_idle_timeout,
 * retry_base_ms and retry_max_ms. Lives on the thread-default GMainContext
 * it is created in.
 *
 * Signals:
 *   "kline" (const char *symbol, BourseInterval interval (as int),
 *            const BourseCandle *candle): every kline event, the forming
 *            candle as it changes (closed FALSE) and once more when it
 *            closes (closed TRUE).
 *   notify::state: connecting, connected, reconnecting, stopped. */
BourseBinanceStream      *bourse_binance_stream_new             (BourseConfig             *config);
/* Adds a (symbol, interval) pair; while running, the stream reconnects
 * with the new set. FALSE when it was there already. */
gboolean                  bourse_binance_stream_add             (BourseBinanceStream      *self,
                                                                 const char               *symbol,
                                                                 BourseInterval            interval);
gboolean                  bourse_binance_stream_remove          (BourseBinanceStream      *self,
                                                                 const char               *symbol,
                                                                 BourseInterval            interval);
void                      bourse_binance_stream_start           (BourseBinanceStream      *self);
void                      bourse_binance_stream_stop            (BourseBinanceStream      *self);
BourseBinanceStreamState  bourse_binance_stream_get_state       (BourseBinanceStream      *self);
const char               *bourse_binance_stream_state_to_string (BourseBinanceStreamState  state);
/* The combined-stream URL for the current pairs (NULL without any). */
char                     *bourse_binance_stream_dup_url         (BourseBinanceStream      *self);
/* Connections opened so far: the first, reconnects and renewals. */
guint                     bourse_binance_stream_get_n_connections (BourseBinanceStream    *self);
/* Why the last connection ended or failed, or NULL. */
const char               *bourse_binance_stream_get_last_error  (BourseBinanceStream      *self);

G_END_DECLS
