/* bourse-portfolio-private.h — what the ledger's writes and its reports share
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-portfolio.h"

G_BEGIN_DECLS

#define MS_PER_DAY G_GINT64_CONSTANT (86400000)

struct _BoursePortfolio
{
  GObject         parent_instance;

  BourseStore    *store;
  BourseConfig   *config;
  BourseEventBus *bus;
  BourseMarket   *market;
  BourseAccount   account;
  gulong          price_handler;
  guint           publish_source;

  /* symbol → BourseDecimal *: the last price the market announced. */
  GHashTable     *last_prices;
  /* Symbols with an open position, whose value moves with the price. */
  GHashTable     *open_symbols;

  /* The highest equity snapshotted: kept, not scanned for at every summary. */
  BourseDecimal   peak_equity;

  /* What fills changed since the last publish. */
  GHashTable     *dirty_symbols;
  GHashTable     *dirty_assets;
  GHashTable     *dirty_trades;   /* trade ids */
};

/* A position as the store has it, valued at its symbol's last price. */
typedef struct
{
  char          *symbol;
  BourseDecimal  quantity;
  BourseDecimal  cost;
  BourseDecimal  realized_pnl;
  BourseDecimal  fees;
  gint64         trade_id;
  char          *opened_at;
  char          *updated_at;
  /* At the last price, when there is one. */
  gboolean       has_price;
  BourseDecimal  last_price;
  BourseDecimal  market_value;
  BourseDecimal  unrealized_pnl;
} Position;

void       _bourse_portfolio_position_free       (Position          *position);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Position, _bourse_portfolio_position_free)

gboolean   _bourse_portfolio_read_balance        (BoursePortfolio   *self,
                                                  const char        *asset,
                                                  BourseDecimal     *free,
                                                  BourseDecimal     *locked,
                                                  GError           **error);
/* Positions (@symbol: that one; @open_only: non-zero quantity), valued. */
GPtrArray *_bourse_portfolio_list_positions      (BoursePortfolio   *self,
                                                  const char        *symbol,
                                                  gboolean           open_only,
                                                  GError           **error);
gboolean   _bourse_portfolio_compute_equity      (BoursePortfolio   *self,
                                                  BourseDecimal     *cash,
                                                  BourseDecimal     *positions_value,
                                                  BourseDecimal     *equity,
                                                  GError           **error);
gboolean   _bourse_portfolio_equity_at_day_start (BoursePortfolio   *self,
                                                  BourseDecimal     *equity,
                                                  GError           **error);
char      *_bourse_portfolio_day_start_text      (gint64             now_ms);

/* bourse-portfolio-reports.c: the JSON of the API and the topics. */
void       _bourse_portfolio_add_position        (JsonBuilder       *builder,
                                                  const Position    *position);
void       _bourse_portfolio_add_balance         (JsonBuilder       *builder,
                                                  const char        *asset,
                                                  BourseDecimal      free,
                                                  BourseDecimal      locked);
/* The summary, and with @lists the balances and positions too. */
JsonNode  *_bourse_portfolio_summary_json        (BoursePortfolio   *self,
                                                  gboolean           lists,
                                                  GError           **error);

G_END_DECLS
