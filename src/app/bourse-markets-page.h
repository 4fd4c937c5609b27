/* bourse-markets-page.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"
#include "client/bourse-client-records.h"

#include "bourse-candle-chart.h"

G_BEGIN_DECLS

#define BOURSE_TYPE_MARKETS_PAGE (bourse_markets_page_get_type ())

G_DECLARE_FINAL_TYPE (BourseMarketsPage, bourse_markets_page, BOURSE, MARKETS_PAGE, AdwBin)

GtkWidget         *bourse_markets_page_new          (void);
BourseClient      *bourse_markets_page_get_client   (BourseMarketsPage *self);
void               bourse_markets_page_set_client   (BourseMarketsPage *self,
                                                     BourseClient      *client);
/* What the signed-in caller may do, as the server's GET /api/v1/permissions
 * says: Import needs market.import, Download market.download. */
const char * const *bourse_markets_page_get_permissions (BourseMarketsPage  *self);
void               bourse_markets_page_set_permissions  (BourseMarketsPage  *self,
                                                     const char * const *permissions);
/* Reloads the instruments. */
void               bourse_markets_page_reload       (BourseMarketsPage *self);
/* The instrument and interval the chart shows. */
const char        *bourse_markets_page_get_symbol   (BourseMarketsPage *self);
void               bourse_markets_page_set_symbol   (BourseMarketsPage *self,
                                                     const char        *symbol);
const char        *bourse_markets_page_get_interval (BourseMarketsPage *self);
void               bourse_markets_page_set_interval (BourseMarketsPage *self,
                                                     const char        *interval);
BourseCandleChart *bourse_markets_page_get_chart    (BourseMarketsPage *self);

/* "65000.10": a decimal string from the API with @decimals places, cut
 * (never rounded through a double) and with the locale's decimal mark. */
char              *bourse_format_decimal            (const char        *text,
                                                     int                decimals);
/* The places of a tick size or lot step: "0.01000000" → 2. */
int                bourse_decimal_places            (const char        *text);
/* "BTC / USDT": its base and quote asset. */
char              *bourse_format_pair               (BourseClientInstrument *instrument);
/* A candle from the API (decimal strings) for the chart; FALSE if it is
 * not one. */
gboolean           bourse_chart_candle_from_json    (JsonObject        *object,
                                                     BourseChartCandle *candle);

G_END_DECLS
