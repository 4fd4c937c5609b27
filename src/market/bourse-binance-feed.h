/* bourse-binance-feed.h — live candles from Binance's kline streams
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-feed.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_BINANCE_FEED (bourse_binance_feed_get_type ())

G_DECLARE_FINAL_TYPE (BourseBinanceFeed, bourse_binance_feed, BOURSE, BINANCE_FEED, GObject)

G_END_DECLS
