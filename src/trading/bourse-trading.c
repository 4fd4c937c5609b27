/* bourse-trading.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-outbox.h"
#include "core/bourse-time.h"
#include "market/bourse-instruments.h"
#include "market/bourse-ticker.h"

#include "bourse-paper-broker.h"
#include "bourse-trading.h"
#include "bourse-trading-private.h"

#define CLIENT_ORDER_ID_MAX 36

G_DEFINE_FINAL_TYPE (BourseTrading, bourse_trading, G_TYPE_OBJECT)

typedef struct
{
  char                *purpose;
  BourseTradingCaller  caller;     /* its actor string owned here */
  gboolean             system;
} PendingExit;

static void
pending_exit_free (PendingExit *exit)
{
  g_free (exit->purpose);
  g_free ((char *) exit->caller.actor);
  g_free (exit);
}

Booked *
_bourse_trading_booked_new (BourseOrder *order)
{
  Booked *booked = g_new0 (Booked, 1);

  booked->order = order;
  booked->canceled = g_ptr_array_new_with_free_func ((GDestroyNotify) bourse_order_free);
  return booked;
}

void
_bourse_trading_booked_free (Booked *booked)
{
  bourse_order_free (booked->order);
  g_ptr_array_unref (booked->canceled);
  g_free (booked);
}

const BourseTradingCaller _bourse_trading_system_caller = { "system", 0, NULL, TRUE };

static void
bourse_trading_dispose (GObject *object)
{
  BourseTrading *self = (BourseTrading *)object;

  bourse_trading_stop (self);
  g_clear_object (&self->broker);
  g_clear_object (&self->risk);
  g_clear_object (&self->portfolio);
  g_clear_object (&self->market);
  g_clear_object (&self->auth);
  g_clear_object (&self->bus);
  g_clear_object (&self->config);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (bourse_trading_parent_class)->dispose (object);
}

static void
bourse_trading_finalize (GObject *object)
{
  BourseTrading *self = (BourseTrading *)object;

  g_free (self->mode);
  g_hash_table_unref (self->pending_exits);

  G_OBJECT_CLASS (bourse_trading_parent_class)->finalize (object);
}

static void
bourse_trading_class_init (BourseTradingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_trading_dispose;
  object_class->finalize = bourse_trading_finalize;
}

static void
bourse_trading_init (BourseTrading *self)
{
  self->running = TRUE;
  self->mode = g_strdup ("paper");
  self->pending_exits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pending_exit_free);
}

/* ----- helpers ----- */

gboolean
_bourse_trading_audit_order (BourseTrading             *self,
             const BourseTradingCaller *caller,
             const char                *action,
             const BourseOrder         *order,
             JsonNode                  *details,
             GError                   **error)
{
  g_autofree char *target = g_strdup_printf ("order:%" G_GINT64_FORMAT, order->id);

  return bourse_auth_audit (self->auth, caller->actor, action, target, details, caller->context, error);
}

void
_bourse_trading_publish_order (BourseTrading     *self,
               const BourseOrder *order)
{
  g_autoptr(JsonNode) node = bourse_order_to_json (order, NULL);

  bourse_event_bus_publish (self->bus, "orders", node);
}

void
_bourse_trading_commit_or_rollback (BourseTrading  *self,
                    gboolean       *ok,
                    GError        **error)
{
  if (*ok)
    *ok = bourse_store_commit (self->store, error);
  if (!*ok)
    bourse_store_rollback (self->store);
}

/* What an order holds out of free: a BUY its notional at @reference plus
 * the taker fee on it; a SELL its base quantity (what there is of it, when
 * paper shorts are allowed). */
static gboolean
lock_for (BourseTrading          *self,
          BourseSide              side,
          BourseDecimal           quantity,
          BourseDecimal           reference,
          const BourseInstrument *instrument,
          BourseDecimal          *lock,
          char                  **asset,
          GError                **error)
{
  BourseDecimal notional, fee, free;

  if (side == BOURSE_SIDE_BUY)
    {
      *asset = g_strdup (instrument->quote_asset);
      if (!bourse_paper_fee (quantity, reference, self->taker_fee, &notional, &fee, error)
          || !bourse_decimal_add (notional, fee, lock, error)
          || !bourse_portfolio_get_balance (self->portfolio, *asset, &free, NULL, error))
        return FALSE;
      if (bourse_decimal_compare (free, *lock) < 0)
        {
          g_autofree char *need = bourse_decimal_to_string_trimmed (*lock);
          g_autofree char *have = bourse_decimal_to_string_trimmed (free);

          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "quantity",
                                  _("Insufficient %s: the order needs %s, %s is free"), *asset, need, have);
          return FALSE;
        }
      return TRUE;
    }

  *asset = g_strdup (instrument->base_asset);
  if (!bourse_portfolio_get_balance (self->portfolio, *asset, &free, NULL, error))
    return FALSE;
  if (bourse_decimal_compare (free, quantity) >= 0)
    *lock = quantity;
  else if (self->allow_short)
    *lock = free.units > 0 ? free : BOURSE_DECIMAL_ZERO;
  else
    {
      g_autofree char *need = bourse_decimal_to_string_trimmed (quantity);
      g_autofree char *have = bourse_decimal_to_string_trimmed (free);

      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "quantity",
                              _("Insufficient %s: the order sells %s, %s is free (spot has no shorts)"),
                              *asset, need, have);
      return FALSE;
    }
  return TRUE;
}

static gboolean
round_price (const char             *field,
             BourseDecimal           value,
             const BourseInstrument *instrument,
             BourseDecimal          *out,
             GError                **error)
{
  if (value.units <= 0
      || !bourse_decimal_round_to_step (value, instrument->tick_size, BOURSE_ROUND_HALF_EVEN, out, NULL)
      || out->units <= 0)
    {
      g_autofree char *tick = bourse_decimal_to_string_trimmed (instrument->tick_size);

      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field,
                              _("“%s” must be a positive price of at least one tick (%s)"), field, tick);
      return FALSE;
    }
  return TRUE;
}

static gboolean
valid_client_order_id (const char *text)
{
  gsize length = strlen (text);

  if (length == 0 || length > CLIENT_ORDER_ID_MAX)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._:-", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* The order as it will be stored: rounded, checked against the
 * instrument, the trading state, the risk limits and the balance. */
static BourseOrder *
prepare_order (BourseTrading             *self,
               const BourseOrderRequest  *request,
               const BourseTradingCaller *caller,
               BourseInstrument         **instrument_out,
               BourseOrderEstimate       *estimate,
               GError                   **error)
{
  g_autoptr(BourseOrder) order = bourse_order_new ();
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(GError) local_error = NULL;
  const BourseAccount *account = bourse_portfolio_get_account (self->portfolio);
  BourseDecimal last, reference, notional, position, after;
  gboolean limit_type = request->type != BOURSE_ORDER_MARKET;
  gboolean stop_type = request->type == BOURSE_ORDER_STOP_LOSS_LIMIT
                       || request->type == BOURSE_ORDER_TAKE_PROFIT_LIMIT;

  /* The instrument. */
  instrument = bourse_instruments_find (self->store, request->symbol, &local_error);
  if (instrument == NULL)
    {
      if (local_error->domain == BOURSE_MARKET_ERROR)
        bourse_set_field_error (error, BOURSE_ERROR_INVALID, "symbol", _("There is no instrument %s"),
                                request->symbol);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (g_strcmp0 (instrument->status, "trading") != 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "symbol", _("%s is halted"), instrument->symbol);
      return NULL;
    }
  if (g_strcmp0 (instrument->quote_asset, account->currency) != 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "symbol",
                              _("The %s account trades instruments quoted in %s; %s is quoted in %s"),
                              account->mode, account->currency, instrument->symbol, instrument->quote_asset);
      return NULL;
    }

  /* The shape of the order. */
  if (request->has_quantity == request->has_quote_quantity)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "quantity",
                              _("Give either “quantity” or “quote_quantity”"));
      return NULL;
    }
  if (limit_type != request->has_price)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "price",
                              limit_type ? _("A %s order needs a “price”") : _("A %s order takes no “price”"),
                              bourse_order_type_to_string (request->type));
      return NULL;
    }
  if (stop_type != request->has_stop_price)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "stop_price",
                              stop_type ? _("A %s order needs a “stop_price”") : _("A %s order takes no “stop_price”"),
                              bourse_order_type_to_string (request->type));
      return NULL;
    }
  if (!limit_type && request->has_time_in_force)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "time_in_force",
                              _("“time_in_force” applies to limit orders only"));
      return NULL;
    }
  /* The engine's own ids ("approval-7", "bracket-9-sl", "bourse-…") cannot
   * be taken by hand: a squatted "approval-7" would block that execution. */
  if (request->client_order_id != NULL && !request->system && request->approval_id == 0
      && (g_str_has_prefix (request->client_order_id, "approval-")
          || g_str_has_prefix (request->client_order_id, "bracket-")
          || g_str_has_prefix (request->client_order_id, "bourse-")))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "client_order_id",
                              _("“client_order_id” may not start with approval-, bracket- or bourse-: "
                                "the engine names its own orders so"));
      return NULL;
    }
  if (request->client_order_id != NULL && !valid_client_order_id (request->client_order_id))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "client_order_id",
                              _("“client_order_id” must be 1 to %d letters, digits or . _ : -"),
                              CLIENT_ORDER_ID_MAX);
      return NULL;
    }

  order->account_id = account->id;
  order->mode = g_strdup (account->mode);
  order->symbol = g_strdup (instrument->symbol);
  order->side = request->side;
  order->type = request->type;
  order->time_in_force = request->has_time_in_force ? request->time_in_force : BOURSE_TIF_GTC;
  order->status = BOURSE_ORDER_NEW;
  order->fee_asset = g_strdup (instrument->quote_asset);
  order->approval_id = request->approval_id;
  order->strategy_id = request->strategy_id;
  order->parent_id = request->parent_id;
  order->oco_id = request->oco_id;
  order->purpose = g_strdup (request->purpose);
  order->created_by = caller->user_id;
  order->reduce_only = request->system;

  if (!bourse_ticker_last_price (self->store, instrument, &last, NULL, error))
    return NULL;
  if (request->has_price && !round_price ("price", request->price, instrument, &order->price, error))
    return NULL;
  order->has_price = request->has_price;
  if (request->has_stop_price
      && !round_price ("stop_price", request->stop_price, instrument, &order->stop_price, error))
    return NULL;
  order->has_stop_price = request->has_stop_price;
  if (stop_type && !request->system
      && bourse_paper_stop_reached (request->type, request->side, order->stop_price, last))
    {
      g_autofree char *text = bourse_decimal_to_string_trimmed (last);

      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "stop_price",
                              _("The order would trigger immediately: the last price is %s"), text);
      return NULL;
    }

  /* The price the order is measured at: its limit, or what a MARKET order
   * would pay now. */
  if (limit_type)
    reference = order->price;
  else if (!bourse_paper_market_price (request->side, last, self->slippage_bps, instrument->tick_size,
                                       &reference, error))
    return NULL;

  if (request->has_quote_quantity)
    {
      if (request->quote_quantity.units <= 0
          || !bourse_decimal_div (request->quote_quantity, reference, BOURSE_ROUND_FLOOR, &order->quantity, NULL))
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "quote_quantity",
                                  _("“quote_quantity” must be a positive amount"));
          return NULL;
        }
    }
  else
    order->quantity = request->quantity;
  if (!bourse_decimal_round_to_step (order->quantity, instrument->lot_step, BOURSE_ROUND_FLOOR,
                                     &order->quantity, NULL)
      || order->quantity.units <= 0)
    {
      g_autofree char *lot = bourse_decimal_to_string_trimmed (instrument->lot_step);
      const char *field = request->has_quote_quantity ? "quote_quantity" : "quantity";

      bourse_set_field_error (error, BOURSE_ERROR_INVALID, field,
                              _("The quantity must be at least one lot (%s)"), lot);
      return NULL;
    }
  if (!bourse_decimal_mul (order->quantity, reference, BOURSE_ROUND_HALF_EVEN, &notional, NULL))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "quantity", _("The order is too large"));
      return NULL;
    }
  if (bourse_decimal_compare (notional, instrument->min_notional) < 0)
    {
      g_autofree char *have = bourse_decimal_to_string_trimmed (notional);
      g_autofree char *need = bourse_decimal_to_string_trimmed (instrument->min_notional);

      bourse_set_field_error (error, BOURSE_ERROR_INVALID,
                              request->has_quote_quantity ? "quote_quantity" : "quantity",
                              _("The order's value %s is below the minimum of %s for %s"),
                              have, need, instrument->symbol);
      return NULL;
    }

  /* The bracket: a stop-loss below and a take-profit above a BUY. */
  if (request->has_stop_loss || request->has_take_profit)
    {
      if (request->side != BOURSE_SIDE_BUY)
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID,
                                  request->has_stop_loss ? "stop_loss" : "take_profit",
                                  _("A bracket protects a BUY entry; spot has no shorts to protect"));
          return NULL;
        }
      if (request->has_stop_loss
          && (!round_price ("stop_loss", request->stop_loss, instrument, &order->stop_loss, error)))
        return NULL;
      if (request->has_stop_loss && bourse_decimal_compare (order->stop_loss, reference) >= 0)
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "stop_loss",
                                  _("“stop_loss” must be below the entry price"));
          return NULL;
        }
      if (request->has_take_profit
          && !round_price ("take_profit", request->take_profit, instrument, &order->take_profit, error))
        return NULL;
      if (request->has_take_profit && bourse_decimal_compare (order->take_profit, reference) <= 0)
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "take_profit",
                                  _("“take_profit” must be above the entry price"));
          return NULL;
        }
      order->has_stop_loss = request->has_stop_loss;
      order->has_take_profit = request->has_take_profit;
    }

  /* Live: the venue's state first, the hard cap, a second step for
   * large orders, and the venue's own rules. The engine's own orders
   * (exits, brackets) only reduce: they are not held back. */
  if (self->awaiting_reconcile && !request->system)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "state",
                              _("The live book is being reconciled with the exchange: try again in a moment"));
      return NULL;
    }
  if (bourse_broker_is_venue (self->broker) && !request->system)
    {
      BourseDecimal cap = bourse_config_get_decimal (self->config, "trading", "live_max_order_notional");
      BourseDecimal confirm = bourse_config_get_decimal (self->config, "risk", "live_confirm_notional");
      g_autofree char *value = bourse_decimal_to_string_trimmed (notional);

      if (bourse_decimal_compare (notional, cap) > 0)
        {
          g_autofree char *limit = bourse_decimal_to_string_trimmed (cap);

          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "quantity",
                                  _("Live orders are capped at %s %s (trading.live_max_order_notional); "
                                    "this one is worth %s"), limit, account->currency, value);
          return NULL;
        }
      if (bourse_decimal_compare (notional, confirm) > 0 && !request->confirmed && request->approval_id == 0)
        {
          g_autofree char *limit = bourse_decimal_to_string_trimmed (confirm);

          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "confirm",
                                  _("This live order is worth %s %s, above %s: confirm it to send it"),
                                  value, account->currency, limit);
          return NULL;
        }
    }
  if (!bourse_broker_check (self->broker, order, instrument, error))
    return NULL;

  /* The loop and the one pre-trade check. The engine's own orders only
   * reduce, and go even when halted: a stop-loss must still protect. */
  if (!request->system)
    {
      BourseRiskOrder check = { 0 };
      BourseDecimal signed_quantity = order->quantity, today, equity;
      gint64 open_orders;

      if (!self->running)
        {
          bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "state",
                                  _("The trading loop is stopped: start it to place orders"));
          return NULL;
        }
      if (request->side == BOURSE_SIDE_SELL)
        signed_quantity.units = -signed_quantity.units;
      if (!bourse_portfolio_get_position (self->portfolio, instrument->symbol, &position, error)
          || !bourse_decimal_add (position, signed_quantity, &after, error)
          || (open_orders = bourse_orders_count_open (self->store, account->id, error)) < 0
          || !bourse_portfolio_get_equity (self->portfolio, &equity, &today, error))
        return NULL;
      check.user_id = caller->user_id;
      check.symbol = instrument->symbol;
      /* Reduces: against the position, and no further than flat. */
      check.reduces = position.units != 0 && (position.units > 0) != (signed_quantity.units > 0)
                      && bourse_decimal_compare ((BourseDecimal) { ABS (signed_quantity.units) },
                                                 (BourseDecimal) { ABS (position.units) }) <= 0;
      check.notional = notional;
      if (!bourse_decimal_mul ((BourseDecimal) { ABS (after.units) }, reference, BOURSE_ROUND_HALF_EVEN,
                               &check.position_notional, error))
        return NULL;
      check.open_orders = (guint) open_orders;
      check.daily_pnl = today;
      if (!bourse_risk_check_order (self->risk, &check, error))
        return NULL;
    }

  /* The lock: what the balance must hold for it. */
  if (request->no_lock)
    {
      order->locked = BOURSE_DECIMAL_ZERO;
      order->locked_asset = g_strdup (request->side == BOURSE_SIDE_BUY ? instrument->quote_asset
                                                                       : instrument->base_asset);
    }
  else if (!lock_for (self, request->side, order->quantity, reference, instrument, &order->locked,
                      &order->locked_asset, error))
    return NULL;

  if (request->client_order_id != NULL)
    order->client_order_id = g_strdup (request->client_order_id);
  else
    {
      g_autofree char *uuid = g_uuid_string_random ();

      order->client_order_id = g_strdup_printf ("bourse-%.29s", uuid);
    }

  if (estimate != NULL)
    {
      estimate->price = reference;
      estimate->fee_rate = self->taker_fee;
      if (!bourse_paper_fee (order->quantity, reference, self->taker_fee, &estimate->notional, &estimate->fee,
                             error))
        return NULL;
    }
  *instrument_out = g_steal_pointer (&instrument);
  return g_steal_pointer (&order);
}

BourseOrder *
bourse_trading_check_order (BourseTrading             *self,
                            const BourseOrderRequest  *request,
                            const BourseTradingCaller *caller,
                            BourseOrderEstimate       *estimate,
                            GError                   **error)
{
  g_autoptr(BourseInstrument) instrument = NULL;

  g_return_val_if_fail (BOURSE_IS_TRADING (self), NULL);
  g_return_val_if_fail (estimate != NULL, NULL);

  return prepare_order (self, request, caller, &instrument, estimate, error);
}

BourseOrder *
bourse_trading_place_order (BourseTrading             *self,
                            const BourseOrderRequest  *request,
                            const BourseTradingCaller *caller,
                            gboolean                  *created,
                            GError                   **error)
{
  g_autoptr(BourseOrder) order = NULL;
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(JsonNode) details = NULL;
  gboolean ok;

  g_return_val_if_fail (BOURSE_IS_TRADING (self), NULL);
  g_return_val_if_fail (request != NULL && caller != NULL, NULL);

  if (created != NULL)
    *created = FALSE;

  /* A retried client_order_id finds its order, before anything is checked
   * again: the answer to a retry is the first answer. */
  if (request->client_order_id != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      order = bourse_orders_find_client (self->store, bourse_portfolio_get_account (self->portfolio)->id,
                                         request->client_order_id, &local_error);
      if (order != NULL || local_error != NULL)
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          return g_steal_pointer (&order);
        }
    }

  order = prepare_order (self, request, caller, &instrument, NULL, error);
  if (order == NULL)
    return NULL;

  details = bourse_order_to_json (order, NULL);
  ok = bourse_store_begin (self->store, error)
       && bourse_orders_insert (self->store, order, error)
       && bourse_portfolio_lock (self->portfolio, order->locked_asset, order->locked, order->id, error)
       && _bourse_trading_audit_order (self, caller, "order.create", order, details, error);
  if (ok)
    {
      /* The broker may answer at once (paper fills a market order there
       * and then): that joins this transaction, see execution_cb (). */
      g_autoptr(GPtrArray) placed = g_ptr_array_new_with_free_func ((GDestroyNotify) _bourse_trading_booked_free);
      g_autoptr(BourseOrder) stored = NULL;

      self->placing = order;
      self->placed = placed;
      bourse_broker_submit (self->broker, order, instrument);
      self->placing = NULL;
      self->placed = NULL;
      if (self->placing_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&self->placing_error));
          ok = FALSE;
        }
      _bourse_trading_commit_or_rollback (self, &ok, error);
      if (!ok)
        {
          /* Nothing of it stays, on the book either. */
          bourse_broker_cancel (self->broker, order, NULL, NULL);
          return NULL;
        }
      g_info ("Order %" G_GINT64_FORMAT " %s %s %s by %s", order->id, bourse_side_to_string (order->side),
              bourse_order_type_to_string (order->type), order->symbol, caller->actor);
      if (created != NULL)
        *created = TRUE;
      /* As it is now, with who placed it by name, as reads give it. */
      stored = bourse_orders_get (self->store, order->id, error);
      if (stored == NULL)
        return NULL;
      if (placed->len == 0)
        _bourse_trading_publish_order (self, stored);
      for (guint i = 0; i < placed->len; i++)
        _bourse_trading_announce (self, g_ptr_array_index (placed, i));
      /* The lock, at least. */
      bourse_portfolio_publish (self->portfolio);
      return g_steal_pointer (&stored);
    }
  _bourse_trading_commit_or_rollback (self, &ok, error);
  return NULL;
}

/* Ends an open order in @status, giving back what it still locks. Inside
 * a transaction. */
gboolean
_bourse_trading_finish_order (BourseTrading      *self,
              BourseOrder        *order,
              BourseOrderStatus   status,
              const char         *reason,
              GError            **error)
{
  BourseDecimal locked = order->locked;

  order->status = status;
  order->locked = BOURSE_DECIMAL_ZERO;
  g_free (order->reason);
  order->reason = g_strdup (reason);
  return bourse_portfolio_unlock (self->portfolio, order->locked_asset, locked, order->id, error)
         && bourse_orders_update (self->store, order, error);
}

static const char *
status_action (BourseOrderStatus status)
{
  switch (status)
    {
    case BOURSE_ORDER_CANCELED: return "order.cancel";
    case BOURSE_ORDER_EXPIRED:  return "order.expire";
    case BOURSE_ORDER_REJECTED: return "order.reject";
    default:                    return "order.update";
    }
}

BourseOrder *
bourse_trading_cancel_order (BourseTrading             *self,
                             gint64                     id,
                             const char                *reason,
                             const BourseTradingCaller *caller,
                             GError                   **error)
{
  g_autoptr(BourseOrder) order = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean pending = FALSE;
  gboolean ok;

  g_return_val_if_fail (BOURSE_IS_TRADING (self), NULL);

  order = bourse_orders_get (self->store, id, error);
  if (order == NULL)
    return NULL;
  if (!caller->any_order && order->created_by != caller->user_id)
    {
      bourse_set_field_error (error, BOURSE_ERROR_FORBIDDEN, NULL,
                              _("Only its owner or an administrator may cancel this order"));
      return NULL;
    }
  if (bourse_order_is_open (order) && order->account_id != bourse_portfolio_get_account (self->portfolio)->id)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "mode",
                              _("The order belongs to the %s book, which is not the one trading now"), order->mode);
      return NULL;
    }
  if (!bourse_order_is_open (order))
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "status", _("The order is %s already"),
                              bourse_order_status_to_string (order->status));
      return NULL;
    }
  if (order->cancel_requested_at != NULL)
    return g_steal_pointer (&order);
  if (!bourse_broker_cancel (self->broker, order, &pending, error))
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason != NULL ? reason : "");
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);
  ok = bourse_store_begin (self->store, error);
  if (pending)
    {
      /* The venue confirms later: the order stays open, and says a cancel
       * is on its way; its CANCELED report (or fills) ends it. */
      order->cancel_requested_at = bourse_time_format_rfc3339 (bourse_time_now_ms ());
      ok = ok && bourse_orders_update (self->store, order, error)
           && _bourse_trading_audit_order (self, caller, "order.cancel-request", order, details, error);
    }
  else
    ok = ok && _bourse_trading_finish_order (self, order, BOURSE_ORDER_CANCELED, reason, error)
         && _bourse_trading_audit_order (self, caller, "order.cancel", order, details, error);
  _bourse_trading_commit_or_rollback (self, &ok, error);
  if (!ok)
    return NULL;
  _bourse_trading_publish_order (self, order);
  bourse_portfolio_publish (self->portfolio);
  return g_steal_pointer (&order);
}

GArray *
bourse_trading_cancel_all (BourseTrading             *self,
                           const char                *symbol,
                           const BourseTradingCaller *caller,
                           GError                   **error)
{
  g_autoptr(GArray) canceled = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) open = NULL;
  BourseOrderFilter filter = {
    .account_id = bourse_portfolio_get_account (self->portfolio)->id,
    .status = "open",
    .symbol = symbol,
  };

  g_return_val_if_fail (BOURSE_IS_TRADING (self), NULL);

  open = bourse_orders_list (self->store, &filter, NULL, error);
  if (open == NULL)
    return NULL;
  for (guint i = 0; i < open->len; i++)
    {
      BourseOrder *order = g_ptr_array_index (open, i);
      g_autoptr(BourseOrder) done = NULL;

      if (!caller->any_order && order->created_by != caller->user_id)
        continue;
      done = bourse_trading_cancel_order (self, order->id, _("Canceled with all open orders"), caller, error);
      if (done == NULL)
        return NULL;
      g_array_append_val (canceled, order->id);
    }
  return g_steal_pointer (&canceled);
}

/* ----- executions ----- */

/* The bracket of a filled entry: a stop-loss and a take-profit SELL of
 * what it bought, one OCO pair sharing one lock. */
static void
place_bracket (BourseTrading     *self,
               const BourseOrder *entry)
{
  BourseOrderRequest legs[2] = {
    {
      .symbol = entry->symbol,
      .side = BOURSE_SIDE_SELL,
      .type = BOURSE_ORDER_STOP_LOSS_LIMIT,
      .has_quantity = TRUE,
      .quantity = entry->filled_quantity,
      .has_price = TRUE,
      .price = entry->stop_loss,
      .has_stop_price = TRUE,
      .stop_price = entry->stop_loss,
      .purpose = "stop_loss",
    },
    {
      .symbol = entry->symbol,
      .side = BOURSE_SIDE_SELL,
      .type = BOURSE_ORDER_TAKE_PROFIT_LIMIT,
      .has_quantity = TRUE,
      .quantity = entry->filled_quantity,
      .has_price = TRUE,
      .price = entry->take_profit,
      .has_stop_price = TRUE,
      .stop_price = entry->take_profit,
      .purpose = "take_profit",
    },
  };
  gboolean wanted[2] = { entry->has_stop_loss, entry->has_take_profit };
  gboolean locked = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (legs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BourseOrder) leg = NULL;
      g_autofree char *client_id = g_strdup_printf ("bracket-%" G_GINT64_FORMAT "-%s", entry->id,
                                                   i == 0 ? "sl" : "tp");

      if (!wanted[i])
        continue;
      legs[i].client_order_id = client_id;
      legs[i].system = TRUE;
      legs[i].parent_id = entry->id;
      legs[i].oco_id = wanted[0] && wanted[1] ? entry->id : 0;
      legs[i].approval_id = 0;
      legs[i].strategy_id = entry->strategy_id;
      legs[i].no_lock = locked;
      leg = bourse_trading_place_order (self, &legs[i], &_bourse_trading_system_caller, NULL, &error);
      if (leg == NULL)
        g_warning ("Could not place the %s of order %" G_GINT64_FORMAT ": %s",
                   legs[i].purpose, entry->id, error->message);
      else
        locked = TRUE;
    }
}

/* The other legs of @order's OCO pair, canceled: they shared its lock, or
 * protect a position that is now gone. Inside the transaction. */
static gboolean
cancel_siblings (BourseTrading     *self,
                 const BourseOrder *order,
                 GPtrArray         *canceled,
                 GError           **error)
{
  g_autoptr(GPtrArray) legs = NULL;
  BourseOrderFilter filter = {
    .account_id = order->account_id,
    .status = "open",
    .parent_id = order->parent_id,
  };

  /* A venue expires the other leg of its OCO list itself, and says so. */
  if (order->oco_id == 0 || bourse_broker_is_venue (self->broker))
    return TRUE;
  legs = bourse_orders_list (self->store, &filter, NULL, error);
  if (legs == NULL)
    return FALSE;
  for (guint i = 0; i < legs->len; i++)
    {
      BourseOrder *leg = g_ptr_array_index (legs, i);

      if (leg->id == order->id || leg->oco_id != order->oco_id)
        continue;
      bourse_broker_cancel (self->broker, leg, NULL, NULL);
      if (!_bourse_trading_finish_order (self, leg, BOURSE_ORDER_CANCELED, _("The other order of the OCO pair filled"), error)
          || !_bourse_trading_audit_order (self, &_bourse_trading_system_caller, "order.cancel", leg, NULL, error))
        return FALSE;
      g_ptr_array_add (canceled, g_ptr_array_steal_index (legs, i--));
    }
  return TRUE;
}


/* The owner and the administrators hear of the fill, in its transaction. */
static gboolean
emit_filled (BourseTrading          *self,
             const BourseOrder      *order,
             const BourseExecution  *execution,
             GError                **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  json_builder_begin_object (builder);
  bourse_json_builder_add_int (builder, "order_id", order->id);
  bourse_json_builder_add_string (builder, "symbol", order->symbol);
  bourse_json_builder_add_string (builder, "side", order->side == BOURSE_SIDE_BUY ? "BUY" : "SELL");
  bourse_json_builder_add_decimal (builder, "price", &execution->price);
  bourse_json_builder_add_decimal (builder, "quantity", &execution->quantity);
  bourse_json_builder_add_decimal (builder, "fee", &execution->fee);
  bourse_json_builder_add_string (builder, "mode", order->mode);
  json_builder_end_object (builder);
  data = json_builder_get_root (builder);
  return bourse_outbox_emit (self->store, "order.filled", order->created_by, data, error);
}

/* A fill of @order, inside the open transaction: the OCO siblings
 * canceled, the ledger, the order and the audit entry. */
static gboolean
book_fill (BourseTrading          *self,
           Booked                 *booked,
           const BourseExecution  *execution,
           GError                **error)
{
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  BourseOrder *order = booked->order;
  BourseFillOutcome outcome = { 0 };
  BourseFillSpec spec = { 0 };
  BourseDecimal remaining;
  gboolean ok;

  instrument = bourse_instruments_find (self->store, order->symbol, error);
  if (instrument == NULL)
    return FALSE;
  bourse_decimal_sub (order->quantity, order->filled_quantity, &remaining, NULL);

  spec.order_id = order->id;
  spec.symbol = order->symbol;
  spec.base_asset = instrument->base_asset;
  spec.buy = order->side == BOURSE_SIDE_BUY;
  spec.price = execution->price;
  spec.quantity = execution->quantity;
  spec.fee = execution->fee;
  spec.liquidity = execution->maker ? "maker" : "taker";
  spec.external_id = execution->external_id;
  spec.approval_id = order->approval_id;
  spec.strategy_id = order->strategy_id;
  spec.exit_reason = order->purpose;

  json_builder_begin_object (builder);
  bourse_json_builder_add_decimal (builder, "price", &execution->price);
  bourse_json_builder_add_decimal (builder, "quantity", &execution->quantity);
  bourse_json_builder_add_decimal (builder, "fee", &execution->fee);
  json_builder_set_member_name (builder, "liquidity");
  json_builder_add_string_value (builder, spec.liquidity);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  if (!cancel_siblings (self, order, booked->canceled, error)
      || !bourse_decimal_mul (execution->quantity, execution->price, BOURSE_ROUND_HALF_EVEN, &spec.notional, error))
    return FALSE;
  /* The whole rest gives back the whole lock; a part, its share. */
  if (bourse_decimal_compare (execution->quantity, remaining) >= 0)
    spec.unlock = order->locked;
  else
    spec.unlock.units = (gint64) ((__int128) order->locked.units * execution->quantity.units / remaining.units);
  ok = bourse_portfolio_apply_fill (self->portfolio, &spec, &outcome, error)
       && bourse_decimal_add (order->filled_quantity, execution->quantity, &order->filled_quantity, error)
       && bourse_decimal_add (order->filled_notional, spec.notional, &order->filled_notional, error)
       && bourse_decimal_add (order->fee, execution->fee, &order->fee, error)
       && bourse_decimal_sub (order->locked, spec.unlock, &order->locked, error);
  g_free (outcome.time);
  if (!ok)
    return FALSE;
  order->status = bourse_decimal_compare (order->filled_quantity, order->quantity) >= 0
                  ? BOURSE_ORDER_FILLED : BOURSE_ORDER_PARTIALLY_FILLED;
  booked->fill_id = outcome.fill_id;
  booked->trade_closed = outcome.trade_closed;
  booked->trade_net_pnl = outcome.trade_net_pnl;
  return bourse_orders_update (self->store, order, error)
         && _bourse_trading_audit_order (self, &_bourse_trading_system_caller, "order.fill", order, details, error)
         && emit_filled (self, order, execution, error);
}

/* Books @execution of the open @order inside the open transaction. */
gboolean
_bourse_trading_book_execution (BourseTrading          *self,
                Booked                 *booked,
                const BourseExecution  *execution,
                GError                **error)
{
  BourseOrderStatus status;
  gboolean known_to_venue = booked->order->exchange_order_id != NULL;

  if (execution->exchange_order_id != NULL && !known_to_venue)
    booked->order->exchange_order_id = g_strdup (execution->exchange_order_id);

  switch (execution->kind)
    {
    case BOURSE_EXECUTION_ACCEPTED:
      /* The answer and the stream may both say so: once is enough. */
      if (known_to_venue)
        return TRUE;
      return bourse_orders_update (self->store, booked->order, error)
             && _bourse_trading_audit_order (self, &_bourse_trading_system_caller, "order.accept", booked->order,
                                             NULL, error);

    case BOURSE_EXECUTION_FILL:
      return book_fill (self, booked, execution, error);

    case BOURSE_EXECUTION_TRIGGERED:
      booked->order->triggered = TRUE;
      return bourse_orders_update (self->store, booked->order, error);

    case BOURSE_EXECUTION_EXPIRED:
    case BOURSE_EXECUTION_REJECTED:
    case BOURSE_EXECUTION_CANCELED:
    default:
      status = execution->kind == BOURSE_EXECUTION_EXPIRED ? BOURSE_ORDER_EXPIRED
               : execution->kind == BOURSE_EXECUTION_REJECTED ? BOURSE_ORDER_REJECTED
               : BOURSE_ORDER_CANCELED;
      return _bourse_trading_finish_order (self, booked->order, status, execution->reason, error)
             && _bourse_trading_audit_order (self, &_bourse_trading_system_caller, status_action (status), booked->order, NULL, error);
    }
}

static void place_pending_exit (BourseTrading *self,
                                const char    *symbol);

/* Once committed: the topics, the protections, and a filled entry's
 * bracket. */
void
_bourse_trading_announce (BourseTrading *self,
          Booked        *booked)
{
  BourseOrder *order = booked->order;
  BourseDecimal equity, today;

  for (guint i = 0; i < booked->canceled->len; i++)
    _bourse_trading_publish_order (self, g_ptr_array_index (booked->canceled, i));
  _bourse_trading_publish_order (self, order);
  if (!bourse_order_is_open (order))
    place_pending_exit (self, order->symbol);
  if (booked->fill_id > 0)
    {
      g_autoptr(JsonNode) fill = bourse_fill_json (self->store, booked->fill_id, order->mode, NULL);

      g_info ("Order %" G_GINT64_FORMAT " %s", order->id, bourse_order_status_to_string (order->status));
      if (fill != NULL)
        bourse_event_bus_publish (self->bus, "fills", fill);
    }
  bourse_portfolio_publish (self->portfolio);
  if (booked->fill_id == 0)
    return;

  /* The protections learn what happened. */
  if (booked->trade_closed)
    bourse_risk_note_trade_closed (self->risk, order->symbol, order->purpose != NULL ? order->purpose : "order",
                                   booked->trade_net_pnl);
  if (bourse_portfolio_get_equity (self->portfolio, &equity, &today, NULL))
    bourse_risk_note_equity (self->risk, equity, today);
  if (order->status == BOURSE_ORDER_FILLED && (order->has_stop_loss || order->has_take_profit))
    place_bracket (self, order);
}

static void
execution_cb (BourseBroker          *broker,
              const BourseExecution *execution,
              BourseTrading         *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Booked) booked = _bourse_trading_booked_new (NULL);
  gboolean inside = self->placing != NULL && self->placing->id == execution->order_id;
  gboolean known = FALSE;
  gboolean ok;

  /* A venue may report one trade twice (its answer, its stream, a
   * reconciliation): the trade id books it once. */
  if (execution->kind == BOURSE_EXECUTION_FILL && execution->external_id != NULL
      && (!_bourse_trading_fill_known (self, execution->external_id, &known, &error) || known))
    {
      if (error != NULL)
        g_warning ("An execution for order %" G_GINT64_FORMAT ": %s", execution->order_id, error->message);
      return;
    }
  booked->order = bourse_orders_get (self->store, execution->order_id, &error);
  if (booked->order == NULL)
    {
      g_warning ("An execution for order %" G_GINT64_FORMAT ": %s", execution->order_id, error->message);
      return;
    }
  if (!bourse_order_is_open (booked->order))
    {
      g_message ("Order %" G_GINT64_FORMAT " is %s: an execution for it is ignored", booked->order->id,
                 bourse_order_status_to_string (booked->order->status));
      return;
    }

  /* What the broker answers while the order is placed joins the order's
   * own transaction: a paper order and its fill commit together. */
  if (inside)
    {
      if (self->placing_error == NULL
          && _bourse_trading_book_execution (self, booked, execution, &self->placing_error))
        g_ptr_array_add (self->placed, g_steal_pointer (&booked));
      return;
    }

  ok = bourse_store_begin (self->store, &error) && _bourse_trading_book_execution (self, booked, execution, &error);
  _bourse_trading_commit_or_rollback (self, &ok, &error);
  if (!ok)
    {
      g_warning ("Could not book an execution of order %" G_GINT64_FORMAT ": %s", execution->order_id,
                 error->message);
      return;
    }
  _bourse_trading_announce (self, booked);
}

/* A venue's balances, as it says they are now. */
static void
balances_cb (BourseBroker  *broker,
             GPtrArray     *balances,
             BourseTrading *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = bourse_store_begin (self->store, &error);

  for (guint i = 0; ok && i < balances->len; i++)
    {
      const BourseVenueBalance *balance = g_ptr_array_index (balances, i);

      ok = bourse_portfolio_set_balance (self->portfolio, balance->asset, balance->free, balance->locked,
                                         "exchange", NULL, &error);
    }
  _bourse_trading_commit_or_rollback (self, &ok, &error);
  if (!ok)
    {
      g_warning ("Could not book the exchange's balances: %s", error->message);
      return;
    }
  bourse_portfolio_publish (self->portfolio);
}

/* The venue's reports had a gap: what it may have hidden is fetched. */
static void
resync_cb (BourseBroker  *broker,
           BourseTrading *self)
{
  _bourse_trading_reconcile_in_background (self, "reconnect");
}

gboolean
_bourse_trading_fill_known (BourseTrading  *self,
                            const char     *external_id,
                            gboolean       *known,
                            GError        **error)
{
  g_autoptr(BourseStatement) stmt = NULL;

  stmt = bourse_store_statement (self->store, "SELECT 1 FROM fills WHERE account_id = ? AND external_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, bourse_portfolio_get_account (self->portfolio)->id);
  sqlite3_bind_text (stmt, 2, external_id, -1, SQLITE_TRANSIENT);
  return bourse_store_step_row (self->store, stmt, known, error);
}

void
_bourse_trading_publish_alert (BourseEventBus *bus,
                               const char     *kind,
                               const char     *message,
                               gint64          id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  if (id > 0)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, id);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  bourse_event_bus_publish (bus, "alerts", node);
}

static void
price_cb (BourseMarket           *market,
          const BourseInstrument *instrument,
          const BourseDecimal    *price,
          gint64                  time,
          BourseTrading          *self)
{
  if (self->running)
    bourse_broker_on_price (self->broker, instrument, *price);
}

/* ----- trades and the kill switch ----- */

/* The market order that flattens @symbol's position. */
static BourseOrder *
place_exit (BourseTrading             *self,
            const char                *symbol,
            const char                *purpose,
            gboolean                   system,
            const BourseTradingCaller *caller,
            GError                   **error)
{
  BourseOrderRequest request = { 0 };
  BourseDecimal position;

  if (!bourse_portfolio_get_position (self->portfolio, symbol, &position, error))
    return NULL;
  if (position.units == 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "symbol", _("There is no open position in %s"), symbol);
      return NULL;
    }
  request.symbol = symbol;
  request.side = position.units > 0 ? BOURSE_SIDE_SELL : BOURSE_SIDE_BUY;
  request.type = BOURSE_ORDER_MARKET;
  request.has_quantity = TRUE;
  request.quantity.units = ABS (position.units);
  request.purpose = purpose;
  request.system = system;
  return bourse_trading_place_order (self, &request, caller, NULL, error);
}

static gboolean
symbol_has_open_orders (BourseTrading  *self,
                        const char     *symbol,
                        gboolean       *has,
                        GError        **error)
{
  g_autoptr(GPtrArray) open = NULL;
  BourseOrderFilter filter = {
    .account_id = bourse_portfolio_get_account (self->portfolio)->id,
    .status = "open",
    .symbol = symbol,
    .limit = 1,
  };

  open = bourse_orders_list (self->store, &filter, NULL, error);
  if (open == NULL)
    return FALSE;
  *has = open->len > 0;
  return TRUE;
}

/* Exits @symbol's position at market once nothing else holds it (its
 * bracket, other sells): at once when the cancels are done there and
 * then (paper); on a venue, once it has confirmed them — *pending says
 * so, and _bourse_trading_announce () places the exit then. */
static BourseOrder *
exit_position (BourseTrading             *self,
               const char                *symbol,
               const char                *purpose,
               gboolean                   system,
               const BourseTradingCaller *caller,
               gboolean                  *pending,
               GError                   **error)
{
  g_autoptr(GArray) canceled = NULL;
  gboolean waiting = FALSE;
  BourseDecimal position;

  *pending = FALSE;
  if (!bourse_portfolio_get_position (self->portfolio, symbol, &position, error))
    return NULL;
  if (position.units == 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "symbol", _("There is no open position in %s"), symbol);
      return NULL;
    }
  canceled = bourse_trading_cancel_all (self, symbol, &_bourse_trading_system_caller, error);
  if (canceled == NULL || !symbol_has_open_orders (self, symbol, &waiting, error))
    return NULL;
  if (waiting)
    {
      PendingExit *exit = g_new0 (PendingExit, 1);

      exit->purpose = g_strdup (purpose);
      exit->caller = *caller;
      exit->caller.actor = g_strdup (caller->actor);
      exit->caller.context = NULL;
      exit->system = system;
      g_hash_table_replace (self->pending_exits, g_strdup (symbol), exit);
      g_info ("The exit of %s waits for the venue to confirm its cancels", symbol);
      *pending = TRUE;
      return NULL;
    }
  return place_exit (self, symbol, purpose, system, caller, error);
}

/* After an order of @symbol ended: the exit that waited for it, if it was
 * the last one open. */
static void
place_pending_exit (BourseTrading *self,
                    const char    *symbol)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseOrder) order = NULL;
  g_autofree char *key = NULL;
  PendingExit *exit;
  gboolean waiting = FALSE;

  if (!g_hash_table_contains (self->pending_exits, symbol))
    return;
  if (!symbol_has_open_orders (self, symbol, &waiting, &error))
    {
      g_warning ("Could not exit %s: %s", symbol, error->message);
      return;
    }
  if (waiting)
    return;
  g_hash_table_steal_extended (self->pending_exits, symbol, (gpointer *) &key, (gpointer *) &exit);
  order = place_exit (self, symbol, exit->purpose, exit->system, &exit->caller, &error);
  if (order == NULL)
    g_warning ("Could not exit %s: %s", symbol, error->message);
  pending_exit_free (exit);
}

BourseOrder *
bourse_trading_close_trade (BourseTrading             *self,
                            gint64                     trade_id,
                            const char                *purpose,
                            const BourseTradingCaller *caller,
                            gboolean                  *pending,
                            GError                   **error)
{
  g_autoptr(JsonNode) trade = NULL;
  JsonObject *object;

  g_return_val_if_fail (BOURSE_IS_TRADING (self), NULL);

  trade = bourse_portfolio_trade_json (self->portfolio, trade_id, error);
  if (trade == NULL)
    return NULL;
  object = json_node_get_object (trade);
  if (g_strcmp0 (json_object_get_string_member (object, "status"), "open") != 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "status", _("The trade is closed already"));
      return NULL;
    }
  return exit_position (self, json_object_get_string_member (object, "symbol"),
                        purpose != NULL ? purpose : "manual", FALSE, caller, pending, error);
}

gboolean
bourse_trading_flatten (BourseTrading             *self,
                        const BourseTradingCaller *caller,
                        GError                   **error)
{
  g_autoptr(JsonNode) positions = NULL;
  g_autoptr(GArray) canceled = NULL;
  JsonArray *items;

  g_return_val_if_fail (BOURSE_IS_TRADING (self), FALSE);

  canceled = bourse_trading_cancel_all (self, NULL, &_bourse_trading_system_caller, error);
  positions = canceled != NULL ? bourse_portfolio_positions_json (self->portfolio, error) : NULL;
  if (positions == NULL)
    return FALSE;
  items = json_object_get_array_member (json_node_get_object (positions), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *symbol = json_object_get_string_member (json_array_get_object_element (items, i), "symbol");
      gboolean pending = FALSE;
      g_autoptr(BourseOrder) order = exit_position (self, symbol, "halt", TRUE, caller, &pending, error);

      if (order == NULL && !pending)
        return FALSE;
    }
  return TRUE;
}

/* ----- the loop and the mode ----- */

static gboolean
save_status (BourseTrading             *self,
             const char                *action,
             const BourseTradingCaller *caller,
             GError                   **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autoptr(JsonNode) details = bourse_trading_status_json (self);
  gboolean ok;

  stmt = bourse_store_statement (self->store,
                               "INSERT INTO trading_status (id, running, mode, updated_at) VALUES (1, ?1, ?2, ?3) "
                               "ON CONFLICT (id) DO UPDATE SET running = ?1, mode = ?2, updated_at = ?3", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, self->running);
  sqlite3_bind_text (stmt, 2, self->mode, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  ok = bourse_store_begin (self->store, error);
  if (ok && sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      ok = FALSE;
    }
  ok = ok && bourse_auth_audit (self->auth, caller->actor, action, "system:trading", details, caller->context,
                                error);
  _bourse_trading_commit_or_rollback (self, &ok, error);
  return ok;
}

gboolean
bourse_trading_is_running (BourseTrading *self)
{
  g_return_val_if_fail (BOURSE_IS_TRADING (self), FALSE);

  return self->running;
}

gboolean
bourse_trading_set_running (BourseTrading             *self,
                            gboolean                   running,
                            const BourseTradingCaller *caller,
                            GError                   **error)
{
  gboolean was;

  g_return_val_if_fail (BOURSE_IS_TRADING (self), FALSE);

  was = self->running;
  self->running = running;
  if (!save_status (self, running ? "system.start" : "system.stop", caller, error))
    {
      self->running = was;
      return FALSE;
    }
  return TRUE;
}

const char *
bourse_trading_get_mode (BourseTrading *self)
{
  g_return_val_if_fail (BOURSE_IS_TRADING (self), NULL);

  return self->mode;
}

/* The book's broker: executions, a venue's balances and gaps reach the
 * ledger through execution_cb (), balances_cb () and resync_cb (). */
static void
detach_broker (BourseTrading *self)
{
  if (self->broker == NULL)
    return;
  g_clear_signal_handler (&self->execution_handler, self->broker);
  g_clear_signal_handler (&self->balances_handler, self->broker);
  g_clear_signal_handler (&self->resync_handler, self->broker);
  g_clear_object (&self->broker);
}

/* A new broker of @id for the account, set up and given its open orders. */
static gboolean
attach_broker (BourseTrading  *self,
               const char     *id,
               GError        **error)
{
  g_autoptr(BourseBroker) broker = bourse_broker_lookup (id);
  g_autoptr(GPtrArray) open = NULL;
  BourseOrderFilter filter = { 0 };

  if (broker == NULL)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "mode", _("The broker “%s” is not installed"), id);
      return FALSE;
    }
  if (!bourse_broker_setup (broker, self->config, self->market, bourse_auth_get_secrets (self->auth), error))
    return FALSE;
  detach_broker (self);
  self->broker = g_steal_pointer (&broker);
  self->execution_handler = g_signal_connect (self->broker, "execution", G_CALLBACK (execution_cb), self);
  self->balances_handler = g_signal_connect (self->broker, "balances", G_CALLBACK (balances_cb), self);
  self->resync_handler = g_signal_connect (self->broker, "resync", G_CALLBACK (resync_cb), self);

  /* The orders the last run left open go on working. */
  filter.account_id = bourse_portfolio_get_account (self->portfolio)->id;
  filter.status = "open";
  open = bourse_orders_list (self->store, &filter, NULL, error);
  if (open == NULL)
    return FALSE;
  bourse_broker_resume (self->broker, open);
  if (open->len > 0)
    g_info ("Resumed %u open orders", open->len);
  return TRUE;
}

static void
reconciled_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  BourseTrading *self = BOURSE_TRADING (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) report = bourse_trading_reconcile_finish (self, result, &error);

  /* An exchange out of reach is not a fault of ours: it is recorded (the
   * reconciliations' history), told on alerts, and tried again by the
   * next reconnect or a person's Reconcile Now. */
  if (report == NULL)
    {
      g_message ("Could not reconcile with the exchange: %s", error->message);
      _bourse_trading_publish_alert (self->bus, "reconciliation.failed", error->message, 0);
    }
}

void
_bourse_trading_reconcile_in_background (BourseTrading *self,
                                         const char    *trigger)
{
  bourse_trading_reconcile_async (self, trigger, &_bourse_trading_system_caller, NULL, reconciled_cb, NULL);
}

/* Makes @mode's account the book, on @broker. */
static gboolean
switch_book (BourseTrading  *self,
             const char     *mode,
             const char     *broker,
             GError        **error)
{
  g_autofree char *was_mode = g_strdup (bourse_portfolio_get_account (self->portfolio)->mode);
  g_autofree char *was_broker = g_strdup (bourse_portfolio_get_account (self->portfolio)->broker);

  if (!bourse_portfolio_use_account (self->portfolio, mode, broker, error))
    return FALSE;
  if (!attach_broker (self, bourse_portfolio_get_account (self->portfolio)->broker, error))
    {
      /* Back to the book that worked. */
      bourse_portfolio_use_account (self->portfolio, was_mode, was_broker, NULL);
      return FALSE;
    }
  self->awaiting_reconcile = bourse_broker_is_venue (self->broker);
  return TRUE;
}

gboolean
bourse_trading_set_mode (BourseTrading             *self,
                         const char                *mode,
                         const char                *live_broker,
                         const BourseTradingCaller *caller,
                         GError                   **error)
{
  g_autofree char *was = NULL;
  gint64 open;

  g_return_val_if_fail (BOURSE_IS_TRADING (self), FALSE);

  if (g_strcmp0 (mode, "paper") != 0 && g_strcmp0 (mode, "live") != 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "mode", _("“mode” must be “paper” or “live”"));
      return FALSE;
    }
  if (g_str_equal (mode, self->mode))
    return TRUE;
  if (g_str_equal (mode, "live") && live_broker == NULL)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "mode",
                              _("Live trading needs a live broker, and none is configured"));
      return FALSE;
    }
  /* A book's open orders are worked by its broker: they end first. */
  open = bourse_orders_count_open (self->store, bourse_portfolio_get_account (self->portfolio)->id, error);
  if (open < 0)
    return FALSE;
  if (open > 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "mode",
                              g_dngettext (GETTEXT_PACKAGE, "The %s book has %d open order: cancel it first",
                                           "The %s book has %d open orders: cancel them first", open),
                              self->mode, (int) open);
      return FALSE;
    }
  g_hash_table_remove_all (self->pending_exits);
  if (!switch_book (self, mode, g_str_equal (mode, "live") ? live_broker : "paper", error))
    return FALSE;
  was = g_steal_pointer (&self->mode);
  self->mode = g_strdup (mode);
  if (!save_status (self, "system.mode", caller, error))
    {
      g_free (self->mode);
      self->mode = g_steal_pointer (&was);
      switch_book (self, self->mode, g_str_equal (self->mode, "live") ? live_broker : "paper", NULL);
      return FALSE;
    }
  g_message ("Trading is %s now (%s)", self->mode, bourse_broker_get_id (self->broker));
  if (self->awaiting_reconcile)
    _bourse_trading_reconcile_in_background (self, "mode");
  return TRUE;
}

JsonNode *
bourse_trading_status_json (BourseTrading *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 open = bourse_orders_count_open (self->store, bourse_portfolio_get_account (self->portfolio)->id, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "running");
  json_builder_add_boolean_value (builder, self->running);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, self->mode);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, bourse_trading_state_to_string (bourse_risk_get_state (self->risk)));
  json_builder_set_member_name (builder, "broker");
  json_builder_add_string_value (builder, bourse_broker_get_id (self->broker));
  json_builder_set_member_name (builder, "open_orders");
  json_builder_add_int_value (builder, MAX (open, 0));
  json_builder_set_member_name (builder, "reconciling");
  json_builder_add_boolean_value (builder, self->awaiting_reconcile || self->reconciling > 0);
  json_builder_set_member_name (builder, "venue");
  {
    g_autoptr(JsonNode) venue = bourse_broker_status_json (self->broker);

    if (venue != NULL)
      json_builder_add_value (builder, g_steal_pointer (&venue));
    else
      json_builder_add_null_value (builder);
  }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
bourse_trading_order_json (BourseTrading      *self,
                           const BourseOrder  *order,
                           GError            **error)
{
  g_autoptr(JsonNode) fills = bourse_fills_json (self->store, order->id, order->mode, error);

  if (fills == NULL)
    return NULL;
  return bourse_order_to_json (order, fills);
}

/* ----- life ----- */

static gboolean
load_status (BourseTrading  *self,
             GError        **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  int rc;

  stmt = bourse_store_statement (self->store, "SELECT running, mode FROM trading_status WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      self->running = sqlite3_column_int (stmt, 0) != 0;
      g_free (self->mode);
      self->mode = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  else if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  return TRUE;
}

char *
bourse_trading_saved_mode (BourseStore  *store,
                           GError      **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);

  gboolean found = FALSE;

  stmt = bourse_store_statement (store, "SELECT mode FROM trading_status WHERE id = 1", error);
  if (stmt == NULL || !bourse_store_step_row (store, stmt, &found, error))
    return NULL;
  return g_strdup (found ? (const char *) sqlite3_column_text (stmt, 0) : "paper");
}

BourseTrading *
bourse_trading_new (BourseStore      *store,
                    BourseConfig     *config,
                    BourseEventBus   *bus,
                    BourseAuth       *auth,
                    BourseMarket     *market,
                    BoursePortfolio  *portfolio,
                    BourseRisk       *risk,
                    GError          **error)
{
  g_autoptr(BourseTrading) self = NULL;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (BOURSE_IS_PORTFOLIO (portfolio), NULL);
  g_return_val_if_fail (BOURSE_IS_RISK (risk), NULL);

  self = g_object_new (BOURSE_TYPE_TRADING, NULL);
  self->store = g_object_ref (store);
  self->config = g_object_ref (config);
  self->bus = g_object_ref (bus);
  self->auth = g_object_ref (auth);
  self->market = g_object_ref (market);
  self->portfolio = g_object_ref (portfolio);
  self->risk = g_object_ref (risk);
  self->allow_short = bourse_config_get_boolean (config, "paper", "allow_short");
  self->slippage_bps = bourse_config_get_int (config, "paper", "slippage_bps");
  self->taker_fee = bourse_config_get_decimal (config, "paper", "taker_fee");
  if (!load_status (self, error))
    return NULL;

  /* The book of the mode the last run left: live goes on live when its
   * broker can be set up (its keys are there); else the run says why and
   * trades paper, rather than not at all. */
  if (g_str_equal (self->mode, "live"))
    {
      g_autoptr(GError) live_error = NULL;

      if (!bourse_portfolio_use_account (portfolio, "live", "binance", &live_error)
          || !switch_book (self, "live", bourse_portfolio_get_account (portfolio)->broker, &live_error))
        {
          g_warning ("Could not resume live trading, trading paper instead: %s", live_error->message);
          _bourse_trading_publish_alert (bus, "live.unavailable", live_error->message, 0);
          g_free (self->mode);
          self->mode = g_strdup ("paper");
          if (!bourse_portfolio_use_account (portfolio, "paper", "paper", error))
            return NULL;
        }
      else
        _bourse_trading_reconcile_in_background (self, "start");
    }
  if (self->broker == NULL && !attach_broker (self, bourse_portfolio_get_account (portfolio)->broker, error))
    return NULL;

  self->price_handler = g_signal_connect (market, "price", G_CALLBACK (price_cb), self);
  return g_steal_pointer (&self);
}

void
bourse_trading_stop (BourseTrading *self)
{
  g_return_if_fail (BOURSE_IS_TRADING (self));

  g_clear_signal_handler (&self->price_handler, self->market);
  if (self->broker != NULL)
    {
      g_clear_signal_handler (&self->execution_handler, self->broker);
      g_clear_signal_handler (&self->balances_handler, self->broker);
      g_clear_signal_handler (&self->resync_handler, self->broker);
    }
}

BoursePortfolio *
bourse_trading_get_portfolio (BourseTrading *self)
{
  g_return_val_if_fail (BOURSE_IS_TRADING (self), NULL);

  return self->portfolio;
}

BourseRisk *
bourse_trading_get_risk (BourseTrading *self)
{
  g_return_val_if_fail (BOURSE_IS_TRADING (self), NULL);

  return self->risk;
}

BourseBroker *
bourse_trading_get_broker (BourseTrading *self)
{
  g_return_val_if_fail (BOURSE_IS_TRADING (self), NULL);

  return self->broker;
}
