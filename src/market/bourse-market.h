/* bourse-market.h — the engine's market: feeds in, store and topics out
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "core/bourse-config.h"
#include "core/bourse-event-bus.h"
#include "core/bourse-store.h"

#include "bourse-candles.h"
#include "bourse-feed.h"
#include "bourse-instruments.h"
#include "bourse-ticker.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_MARKET (bourse_market_get_type ())

G_DECLARE_FINAL_TYPE (BourseMarket, bourse_market, BOURSE, MARKET, GObject)

BourseMarket   *bourse_market_new         (BourseStore             *store,
                                           BourseConfig            *config,
                                           BourseEventBus          *bus);
/* Starts a feed for each source that has one (simulated, and whatever
 * plugins bring), with the trading instruments of that source. */
gboolean        bourse_market_start       (BourseMarket            *self,
                                           GError                 **error);
void            bourse_market_stop        (BourseMarket            *self);
/* After instruments changed: the feeds restart with the new set. */
gboolean        bourse_market_reload      (BourseMarket            *self,
                                           GError                 **error);

/* The feeds stop until as many releases as holds: while instruments
 * change, or an import holds the database's write lock for seconds. A
 * release that starts them again logs why if they cannot. */
void            bourse_market_hold        (BourseMarket            *self);
void            bourse_market_release     (BourseMarket            *self);

/* Instruments change with the feeds held, in one transaction with the
 * audit entry @audit writes ("instrument.create", "instrument.update" with
 * the names of the @fields that changed, "instrument.delete"; target
 * "instrument:SYMBOL"). The instrument is validated first. */
gboolean        bourse_market_create_instrument (BourseMarket          *self,
                                           BourseInstrument        *instrument,
                                           BourseMarketAuditFunc    audit,
                                           gpointer                 audit_data,
                                           GError                 **error);
gboolean        bourse_market_update_instrument (BourseMarket          *self,
                                           BourseInstrument        *instrument,
                                           const char * const      *fields,
                                           BourseMarketAuditFunc    audit,
                                           gpointer                 audit_data,
                                           GError                 **error);
/* IN_USE while candles exist, unless @purge deletes them too; *n_candles
 * (may be NULL) says how many went. */
gboolean        bourse_market_delete_instrument (BourseMarket          *self,
                                           const BourseInstrument  *instrument,
                                           gboolean                 purge,
                                           gint64                  *n_candles,
                                           BourseMarketAuditFunc    audit,
                                           gpointer                 audit_data,
                                           GError                 **error);

BourseStore    *bourse_market_get_store   (BourseMarket            *self);
BourseConfig   *bourse_market_get_config  (BourseMarket            *self);

/* Signals:
 *   "candle-closed" (const BourseInstrument *, BourseInterval (as int),
 *                    const BourseCandle *): a candle of the fed interval, or
 *                    of one folded from it, closed in the batch just
 *                    ingested: what live strategies evaluate on.
 *   "price" (const BourseInstrument *, const BourseDecimal *price, gint64
 *            time_ms): the instrument's last price (its newest candle's
 *            close) after each batch ingested and after an import. */

/* What a feed calls with new or changed candles (ascending): stored,
 * higher intervals folded, and published — on candles:<SYMBOL>:<interval>
 * the last two candles touched of each interval (the one that closed and
 * the one forming; a catch-up of hours is not replayed to every client),
 * and the ticker on ticker:<SYMBOL>. */
gboolean        bourse_market_ingest      (BourseMarket            *self,
                                           const BourseInstrument  *instrument,
                                           BourseInterval           interval,
                                           const BourseCandle      *candles,
                                           gsize                    n_candles,
                                           GError                 **error);
/* After candles were written elsewhere (an import, a download): the ticker
 * is published again. */
void            bourse_market_changed     (BourseMarket            *self,
                                           const BourseInstrument  *instrument);
/* {"feeds": [{"id", "name", "instruments", …the feed's status}]} */
JsonNode       *bourse_market_get_status  (BourseMarket            *self);

G_END_DECLS
