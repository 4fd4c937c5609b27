/* bourse-instruments.h — the tradable instruments and the market error domain
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "core/bourse-decimal.h"
#include "core/bourse-store.h"

G_BEGIN_DECLS

#define BOURSE_MARKET_ERROR (bourse_market_error_quark ())

/* The INVALID_* codes name the field they are about; see bourse_market_error_field (). */
typedef enum
{
  BOURSE_MARKET_ERROR_INVALID_SYMBOL = 1,
  BOURSE_MARKET_ERROR_INVALID_BASE_ASSET,
  BOURSE_MARKET_ERROR_INVALID_QUOTE_ASSET,
  BOURSE_MARKET_ERROR_INVALID_TICK_SIZE,
  BOURSE_MARKET_ERROR_INVALID_LOT_STEP,
  BOURSE_MARKET_ERROR_INVALID_MIN_NOTIONAL,
  BOURSE_MARKET_ERROR_INVALID_STATUS,
  BOURSE_MARKET_ERROR_INVALID_SOURCE,
  BOURSE_MARKET_ERROR_INVALID_INTERVAL,
  BOURSE_MARKET_ERROR_INVALID_CANDLE,
  BOURSE_MARKET_ERROR_CONFLICT,      /* a duplicate symbol */
  BOURSE_MARKET_ERROR_IN_USE,        /* an instrument that still has candles */
  BOURSE_MARKET_ERROR_NOT_FOUND,
} BourseMarketError;

/* Writes the audit entry of a change on @store, inside the change's
 * transaction (market does not know the accounts that audit it). */
typedef gboolean (*BourseMarketAuditFunc) (BourseStore  *store,
                                           const char   *action,
                                           const char   *target,
                                           JsonNode     *details,
                                           gpointer      user_data,
                                           GError      **error);

typedef struct
{
  gint64         id;
  char          *symbol;        /* "BTCUSDT" */
  char          *base_asset;
  char          *quote_asset;
  BourseDecimal  tick_size;
  BourseDecimal  lot_step;
  BourseDecimal  min_notional;
  char          *status;        /* trading | halted */
  char          *source;        /* simulated | binance | csv */
  char          *created_at;
  char          *updated_at;
} BourseInstrument;

GQuark            bourse_market_error_quark      (void);
/* The request field an error is about ("tick_size", "symbol"…), or NULL. */
const char       *bourse_market_error_field      (const GError            *error);

BourseInstrument *bourse_instrument_new          (void);
BourseInstrument *bourse_instrument_copy         (const BourseInstrument  *instrument);
void              bourse_instrument_free         (BourseInstrument        *instrument);
gboolean          bourse_instrument_validate     (const BourseInstrument  *instrument,
                                                  GError                 **error);
JsonNode         *bourse_instrument_to_json      (const BourseInstrument  *instrument);

/* Ordered by symbol; a GPtrArray of BourseInstrument. */
GPtrArray        *bourse_instruments_list        (BourseStore             *store,
                                                  GError                 **error);
/* NULL with NOT_FOUND when there is no such symbol. */
BourseInstrument *bourse_instruments_find        (BourseStore             *store,
                                                  const char              *symbol,
                                                  GError                 **error);
/* Validates, then inserts; sets id, created_at and updated_at. */
gboolean          bourse_instruments_insert      (BourseStore             *store,
                                                  BourseInstrument        *instrument,
                                                  GError                 **error);
/* Writes tick_size, lot_step, min_notional and status of instrument->id. */
gboolean          bourse_instruments_update      (BourseStore             *store,
                                                  BourseInstrument        *instrument,
                                                  GError                 **error);
/* Refused with IN_USE while candles exist, unless purge deletes them too;
 * *n_candles (may be NULL) says how many went. */
gboolean          bourse_instruments_delete      (BourseStore             *store,
                                                  gint64                   id,
                                                  gboolean                 purge,
                                                  gint64                  *n_candles,
                                                  GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseInstrument, bourse_instrument_free)

G_END_DECLS
