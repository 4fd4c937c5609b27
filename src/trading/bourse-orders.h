/* bourse-orders.h — orders and fills, in Binance's vocabulary, and their store
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "core/bourse-decimal.h"
#include "core/bourse-store.h"

G_BEGIN_DECLS

typedef enum
{
  BOURSE_SIDE_BUY,
  BOURSE_SIDE_SELL,
} BourseSide;

typedef enum
{
  BOURSE_ORDER_MARKET,
  BOURSE_ORDER_LIMIT,
  BOURSE_ORDER_STOP_LOSS_LIMIT,
  BOURSE_ORDER_TAKE_PROFIT_LIMIT,
} BourseOrderType;

typedef enum
{
  BOURSE_TIF_GTC,
  BOURSE_TIF_IOC,
  BOURSE_TIF_FOK,
} BourseTimeInForce;

typedef enum
{
  BOURSE_ORDER_NEW,
  BOURSE_ORDER_PARTIALLY_FILLED,
  BOURSE_ORDER_FILLED,
  BOURSE_ORDER_CANCELED,
  BOURSE_ORDER_REJECTED,
  BOURSE_ORDER_EXPIRED,
} BourseOrderStatus;

typedef struct
{
  gint64             id;
  gint64             account_id;
  char              *mode;              /* the account's: paper | live */
  char              *client_order_id;
  char              *symbol;
  BourseSide         side;
  BourseOrderType    type;
  BourseTimeInForce  time_in_force;
  BourseOrderStatus  status;
  BourseDecimal      quantity;
  BourseDecimal      filled_quantity;
  BourseDecimal      filled_notional;   /* Σ fill notionals: average = this ÷ filled */
  gboolean           has_price;
  BourseDecimal      price;
  gboolean           has_stop_price;
  BourseDecimal      stop_price;
  gboolean           triggered;         /* a stop type whose stop was reached */
  BourseDecimal      fee;
  char              *fee_asset;
  BourseDecimal      locked;            /* still held out of free */
  char              *locked_asset;
  gboolean           reduce_only;
  gboolean           has_stop_loss;     /* the bracket placed once it fills */
  BourseDecimal      stop_loss;
  gboolean           has_take_profit;
  BourseDecimal      take_profit;
  gint64             parent_id;         /* 0: none */
  gint64             oco_id;
  gint64             approval_id;
  gint64             strategy_id;
  char              *purpose;           /* the exit reason it books: stop_loss, take_profit, manual, halt, signal */
  char              *reason;            /* why rejected, expired or canceled */
  char              *exchange_order_id; /* a venue's id once it took the order; NULL */
  gboolean           external;          /* found on the venue, not placed by Bourse */
  char              *cancel_requested_at; /* a cancel the venue has yet to confirm; NULL */
  gint64             created_by;        /* 0: the engine or the desktop owner */
  char              *created_by_name;
  char              *created_at;
  char              *updated_at;
  char              *strategy_name;     /* the live strategy's name, or NULL */
} BourseOrder;

const char *bourse_side_to_string          (BourseSide          side);
gboolean    bourse_side_parse              (const char         *text,
                                            BourseSide         *side);
const char *bourse_order_type_to_string    (BourseOrderType     type);
gboolean    bourse_order_type_parse        (const char         *text,
                                            BourseOrderType    *type);
const char *bourse_time_in_force_to_string (BourseTimeInForce   tif);
gboolean    bourse_time_in_force_parse     (const char         *text,
                                            BourseTimeInForce  *tif);
const char *bourse_order_status_to_string  (BourseOrderStatus   status);
gboolean    bourse_order_is_open           (const BourseOrder  *order);
/* A STOP_LOSS_LIMIT or TAKE_PROFIT_LIMIT. */
gboolean    bourse_order_has_trigger       (const BourseOrder  *order);

BourseOrder *bourse_order_new              (void);
void         bourse_order_free             (BourseOrder        *order);
/* The Order of docs/TRADING.md; @fills (a JSON array, may be NULL) becomes
 * its "fills" member, omitted when NULL. */
JsonNode    *bourse_order_to_json          (const BourseOrder  *order,
                                            JsonNode           *fills);

/* Inside the caller's transaction: sets id, created_at and updated_at. A
 * duplicate client_order_id is SQLITE_CONSTRAINT, reported as
 * BOURSE_ERROR_CONFLICT. */
gboolean     bourse_orders_insert          (BourseStore        *store,
                                            BourseOrder        *order,
                                            GError            **error);
/* Writes the mutable fields: status, filled, fee, lock, trigger, reason. */
gboolean     bourse_orders_update          (BourseStore        *store,
                                            BourseOrder        *order,
                                            GError            **error);
/* NULL with BOURSE_ERROR_NOT_FOUND. */
BourseOrder *bourse_orders_get             (BourseStore        *store,
                                            gint64              id,
                                            GError            **error);
/* NULL without an error when there is none. */
BourseOrder *bourse_orders_find_client     (BourseStore        *store,
                                            gint64              account_id,
                                            const char         *client_order_id,
                                            GError            **error);
BourseOrder *bourse_orders_find_exchange   (BourseStore        *store,
                                            gint64              account_id,
                                            const char         *exchange_order_id,
                                            GError            **error);

typedef struct
{
  gint64      account_id;
  const char *status;         /* open | closed | NULL */
  const char *symbol;         /* NULL: all */
  gint64      parent_id;      /* > 0: that order's bracket legs */
  gint64      since_id;       /* > 0: ids above it, oldest first */
  gint64      before_id;      /* cursor: ids below it, newest first */
  guint       limit;          /* 0: no limit */
} BourseOrderFilter;

/* BourseOrder (owned); *more is TRUE when the limit cut the list short. */
GPtrArray   *bourse_orders_list            (BourseStore             *store,
                                            const BourseOrderFilter *filter,
                                            gboolean                *more,
                                            GError                 **error);
gint64       bourse_orders_count_open      (BourseStore        *store,
                                            gint64              account_id,
                                            GError            **error);
/* The fills of an order as a JSON array, oldest first. */
JsonNode    *bourse_fills_json             (BourseStore        *store,
                                            gint64              order_id,
                                            const char         *mode,
                                            GError            **error);
/* {"items":[Fill…],"next_cursor"}: newest first below @before_id (0: from
 * the newest), or with @since_id > 0 the ones above it, oldest first. */
JsonNode    *bourse_fills_list_json        (BourseStore        *store,
                                            gint64              account_id,
                                            const char         *mode,
                                            const char         *symbol,
                                            gint64              since_id,
                                            gint64              before_id,
                                            guint               limit,
                                            GError            **error);
/* One fill, for the "fills" topic. */
JsonNode    *bourse_fill_json              (BourseStore        *store,
                                            gint64              fill_id,
                                            const char         *mode,
                                            GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseOrder, bourse_order_free)

G_END_DECLS
