/* bourse-portfolio.h — the ledger: balances, positions, round-trip trades, equity
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "core/bourse-config.h"
#include "core/bourse-decimal.h"
#include "core/bourse-event-bus.h"
#include "core/bourse-store.h"
#include "market/bourse-market.h"

G_BEGIN_DECLS

/* The book of one mode (docs/TRADING.md): Bourse trades one per engine. */
typedef struct
{
  gint64         id;
  char          *mode;            /* paper | live */
  char          *broker;          /* the broker plugin's id */
  char          *currency;        /* the quote asset it trades in */
  BourseDecimal  starting_cash;
} BourseAccount;

/* One execution as the ledger books it. */
typedef struct
{
  gint64          order_id;
  const char     *symbol;
  const char     *base_asset;
  gboolean        buy;
  BourseDecimal   price;
  BourseDecimal   quantity;
  BourseDecimal   notional;       /* quantity × price, rounded half-even */
  BourseDecimal   fee;            /* in the account's currency */
  const char     *liquidity;      /* maker | taker */
  const char     *external_id;    /* the exchange's trade id, or NULL */
  /* What the order gives back of its lock before paying: quote for a BUY,
   * base for a SELL. */
  BourseDecimal   unlock;
  /* For the round trip the fill opens or closes. */
  gint64          approval_id;    /* 0: none */
  gint64          strategy_id;
  const char     *exit_reason;    /* stop_loss | take_profit | manual | halt | signal | order */
} BourseFillSpec;

/* What booking a fill did. */
typedef struct
{
  gint64         fill_id;
  gint64         trade_id;        /* the trade it opened, added to or closed */
  gboolean       trade_closed;
  BourseDecimal  trade_net_pnl;   /* when closed */
  char          *time;
} BourseFillOutcome;

#define BOURSE_TYPE_PORTFOLIO (bourse_portfolio_get_type ())

G_DECLARE_FINAL_TYPE (BoursePortfolio, bourse_portfolio, BOURSE, PORTFOLIO, GObject)

/* On the engine's context. Creates the paper account on the first start
 * (paper.starting_balance in paper.currency, booked as a deposit), follows
 * the market's prices for the positions' value. The engine's scheduler
 * snapshots equity every paper.equity_snapshot_s (job equity.snapshot). */
BoursePortfolio     *bourse_portfolio_new          (BourseStore        *store,
                                                    BourseConfig       *config,
                                                    BourseEventBus     *bus,
                                                    BourseMarket       *market,
                                                    GError            **error);
void                 bourse_portfolio_stop         (BoursePortfolio    *self);
const BourseAccount *bourse_portfolio_get_account  (BoursePortfolio    *self);
/* Makes the account of @mode the book (created on first use, on @broker);
 * what the portfolio reads and writes from then on is that account's. */
gboolean             bourse_portfolio_use_account  (BoursePortfolio    *self,
                                                    const char         *mode,
                                                    const char         *broker,
                                                    GError            **error);
BourseStore         *bourse_portfolio_get_store    (BoursePortfolio    *self);

/* Inside the caller's transaction. */
gboolean  bourse_portfolio_get_balance   (BoursePortfolio    *self,
                                          const char         *asset,
                                          BourseDecimal      *free,
                                          BourseDecimal      *locked,
                                          GError            **error);
/* Sets a balance to what a venue says it is, recording the difference
 * with @reason ("exchange", "reconcile"); *changed tells whether it
 * differed. Inside the caller's transaction. */
gboolean  bourse_portfolio_set_balance   (BoursePortfolio    *self,
                                          const char         *asset,
                                          BourseDecimal       free,
                                          BourseDecimal       locked,
                                          const char         *reason,
                                          gboolean           *changed,
                                          GError            **error);
/* Moves @amount from free to locked (lock) or back (unlock). */
gboolean  bourse_portfolio_lock          (BoursePortfolio    *self,
                                          const char         *asset,
                                          BourseDecimal       amount,
                                          gint64              order_id,
                                          GError            **error);
gboolean  bourse_portfolio_unlock        (BoursePortfolio    *self,
                                          const char         *asset,
                                          BourseDecimal       amount,
                                          gint64              order_id,
                                          GError            **error);
/* Books a fill: the fill row, both balances, the position, the round-trip
 * trade and an equity snapshot. @outcome->time is owned by the caller. */
gboolean  bourse_portfolio_apply_fill    (BoursePortfolio      *self,
                                          const BourseFillSpec *fill,
                                          BourseFillOutcome    *outcome,
                                          GError              **error);
/* Signed: negative is short. */
gboolean  bourse_portfolio_get_position  (BoursePortfolio    *self,
                                          const char         *symbol,
                                          BourseDecimal      *quantity,
                                          GError            **error);
gboolean  bourse_portfolio_last_price    (BoursePortfolio    *self,
                                          const char         *symbol,
                                          BourseDecimal      *price,
                                          GError            **error);
/* Cash + positions at their last prices, and today's (UTC) change of it. */
gboolean  bourse_portfolio_get_equity    (BoursePortfolio    *self,
                                          BourseDecimal      *equity,
                                          BourseDecimal      *today_pnl,
                                          GError            **error);
gboolean  bourse_portfolio_snapshot      (BoursePortfolio    *self,
                                          GError            **error);
/* After the transaction that booked fills committed: publishes the
 * positions, balances, trades and summary that changed. */
void      bourse_portfolio_publish       (BoursePortfolio    *self);

/* The read side of the API (docs/TRADING.md). */
JsonNode *bourse_portfolio_summary_json  (BoursePortfolio    *self,
                                          GError            **error);
JsonNode *bourse_portfolio_positions_json (BoursePortfolio   *self,
                                          GError            **error);
JsonNode *bourse_portfolio_pnl_json      (BoursePortfolio    *self,
                                          GError            **error);
JsonNode *bourse_portfolio_equity_json   (BoursePortfolio    *self,
                                          gint64              start_ms,
                                          gint64              end_ms,
                                          gint64              step_ms,
                                          GError            **error);
JsonNode *bourse_portfolio_calendar_json (BoursePortfolio    *self,
                                          int                 year,
                                          const char         *tz,
                                          GError            **error);
JsonNode *bourse_portfolio_balance_history_json (BoursePortfolio *self,
                                          const char         *asset,
                                          gint64              start_ms,
                                          gint64              end_ms,
                                          gint64              before_id,
                                          guint               limit,
                                          GError            **error);

typedef struct
{
  const char *symbol;       /* NULL: all */
  const char *status;       /* open | closed | NULL */
  gint64      since_id;     /* > 0: ids above it, oldest first */
  gint64      before_id;    /* cursor: ids below it, newest first */
  guint       limit;
} BourseTradeFilter;

JsonNode *bourse_portfolio_trades_json   (BoursePortfolio         *self,
                                          const BourseTradeFilter *filter,
                                          GError                 **error);
/* One trade: {"id","symbol","side","status","quantity",…}; NOT_FOUND. */
JsonNode *bourse_portfolio_trade_json    (BoursePortfolio    *self,
                                          gint64              id,
                                          GError            **error);

G_END_DECLS
