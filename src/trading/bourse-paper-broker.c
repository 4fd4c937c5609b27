/* bourse-paper-broker.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "market/bourse-ticker.h"

#include "bourse-paper-broker.h"

/* An order on the paper book: only what matching needs. */
typedef struct
{
  gint64           id;
  BourseSide       side;
  BourseOrderType  type;
  BourseDecimal    quantity;    /* what is left to fill */
  BourseDecimal    price;
  BourseDecimal    stop_price;
  gboolean         triggered;
} Resting;

struct _BoursePaperBroker
{
  GObject        parent_instance;

  BourseMarket  *market;
  gint64         slippage_bps;
  BourseDecimal  taker_fee;
  BourseDecimal  maker_fee;
  /* symbol → GArray of Resting, in the order they were placed. */
  GHashTable    *book;
  /* id → symbol (owned by book's key) */
  GHashTable    *symbols;
};

static void broker_iface_init (BourseBrokerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BoursePaperBroker, bourse_paper_broker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_BROKER, broker_iface_init))

gboolean
bourse_paper_market_price (BourseSide      side,
                           BourseDecimal   last,
                           gint64          slippage_bps,
                           BourseDecimal   tick,
                           BourseDecimal  *price,
                           GError        **error)
{
  BourseDecimal factor = { (side == BOURSE_SIDE_BUY ? 10000 + slippage_bps : 10000 - slippage_bps)
                           * (BOURSE_DECIMAL_UNIT / 10000) };
  BourseDecimal moved;

  /* Up for a BUY, down for a SELL, each time on the taker's worse side. */
  return bourse_decimal_mul (last, factor, side == BOURSE_SIDE_BUY ? BOURSE_ROUND_CEILING : BOURSE_ROUND_FLOOR,
                             &moved, error)
         && bourse_decimal_round_to_step (moved, tick,
                                          side == BOURSE_SIDE_BUY ? BOURSE_ROUND_CEILING : BOURSE_ROUND_FLOOR,
                                          price, error);
}

gboolean
bourse_paper_fee (BourseDecimal   quantity,
                  BourseDecimal   price,
                  BourseDecimal   rate,
                  BourseDecimal  *notional,
                  BourseDecimal  *fee,
                  GError        **error)
{
  return bourse_decimal_mul (quantity, price, BOURSE_ROUND_HALF_EVEN, notional, error)
         && bourse_decimal_mul (*notional, rate, BOURSE_ROUND_CEILING, fee, error);
}

gboolean
bourse_paper_stop_reached (BourseOrderType type,
                           BourseSide      side,
                           BourseDecimal   stop,
                           BourseDecimal   price)
{
  int compared = bourse_decimal_compare (price, stop);
  /* A stop-loss SELL and a take-profit BUY wait for the price to fall to
   * their stop; the other two for it to rise. */
  gboolean falls = (type == BOURSE_ORDER_STOP_LOSS_LIMIT) == (side == BOURSE_SIDE_SELL);

  return falls ? compared <= 0 : compared >= 0;
}

gboolean
bourse_paper_limit_reached (BourseSide    side,
                            BourseDecimal limit,
                            BourseDecimal price)
{
  int compared = bourse_decimal_compare (price, limit);

  return side == BOURSE_SIDE_BUY ? compared <= 0 : compared >= 0;
}

static void
bourse_paper_broker_finalize (GObject *object)
{
  BoursePaperBroker *self = (BoursePaperBroker *)object;

  g_clear_object (&self->market);
  g_hash_table_unref (self->symbols);
  g_hash_table_unref (self->book);

  G_OBJECT_CLASS (bourse_paper_broker_parent_class)->finalize (object);
}

static void
bourse_paper_broker_class_init (BoursePaperBrokerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bourse_paper_broker_finalize;
}

static void
bourse_paper_broker_init (BoursePaperBroker *self)
{
  self->book = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  self->symbols = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static const char *
paper_get_id (BourseBroker *broker)
{
  return "paper";
}

static const char *
paper_get_name (BourseBroker *broker)
{
  return _("Paper trading");
}

static gboolean
paper_setup (BourseBroker  *broker,
             BourseConfig  *config,
             BourseMarket  *market,
             BourseSecrets *secrets,
             GError       **error)
{
  BoursePaperBroker *self = BOURSE_PAPER_BROKER (broker);

  g_set_object (&self->market, market);
  self->slippage_bps = bourse_config_get_int (config, "paper", "slippage_bps");
  self->taker_fee = bourse_config_get_decimal (config, "paper", "taker_fee");
  self->maker_fee = bourse_config_get_decimal (config, "paper", "maker_fee");
  return TRUE;
}

static void
rest (BoursePaperBroker *self,
      const BourseOrder *order)
{
  GArray *orders = g_hash_table_lookup (self->book, order->symbol);
  Resting resting = {
    .id = order->id,
    .side = order->side,
    .type = order->type,
    .price = order->price,
    .stop_price = order->stop_price,
    .triggered = order->triggered,
  };
  char *symbol;

  bourse_decimal_sub (order->quantity, order->filled_quantity, &resting.quantity, NULL);
  if (orders == NULL)
    {
      orders = g_array_new (FALSE, FALSE, sizeof (Resting));
      g_hash_table_insert (self->book, g_strdup (order->symbol), orders);
    }
  g_array_append_val (orders, resting);
  g_hash_table_lookup_extended (self->book, order->symbol, (gpointer *) &symbol, NULL);
  g_hash_table_insert (self->symbols, g_memdup2 (&order->id, sizeof order->id), symbol);
}

/* Takes order @id off the book; FALSE when it was not there. */
static gboolean
unrest (BoursePaperBroker *self,
        gint64             id)
{
  const char *symbol = g_hash_table_lookup (self->symbols, &id);
  GArray *orders;

  if (symbol == NULL)
    return FALSE;
  orders = g_hash_table_lookup (self->book, symbol);
  for (guint i = 0; i < orders->len; i++)
    if (g_array_index (orders, Resting, i).id == id)
      {
        g_array_remove_index (orders, i);
        break;
      }
  g_hash_table_remove (self->symbols, &id);
  return TRUE;
}

static void
emit_simple (BoursePaperBroker   *self,
             gint64               id,
             BourseExecutionKind  kind,
             const char          *reason)
{
  BourseExecution execution = { .order_id = id, .kind = kind, .reason = reason };

  bourse_broker_emit_execution (BOURSE_BROKER (self), &execution);
}

/* Fills what is left of order @id, whole, at @price. */
static void
emit_fill (BoursePaperBroker *self,
           gint64             id,
           BourseDecimal      quantity,
           BourseDecimal      price,
           gboolean           maker)
{
  g_autoptr(GError) error = NULL;
  BourseExecution execution = {
    .order_id = id,
    .kind = BOURSE_EXECUTION_FILL,
    .price = price,
    .quantity = quantity,
    .maker = maker,
  };
  BourseDecimal notional;

  if (!bourse_paper_fee (quantity, price, maker ? self->maker_fee : self->taker_fee, &notional,
                         &execution.fee, &error))
    {
      g_autofree char *reason = g_strdup_printf (_("The fill could not be computed: %s"), error->message);

      emit_simple (self, id, BOURSE_EXECUTION_REJECTED, reason);
      return;
    }
  bourse_broker_emit_execution (BOURSE_BROKER (self), &execution);
}

static void
paper_resume (BourseBroker *broker,
              GPtrArray    *orders)
{
  BoursePaperBroker *self = BOURSE_PAPER_BROKER (broker);

  for (guint i = 0; i < orders->len; i++)
    {
      const BourseOrder *order = g_ptr_array_index (orders, i);

      if (bourse_order_is_open (order) && order->type != BOURSE_ORDER_MARKET)
        rest (self, order);
      else if (bourse_order_is_open (order))
        {
          /* A MARKET order left open means the process died between
           * storing it and filling it: nothing was filled, say so. */
          emit_simple (self, order->id, BOURSE_EXECUTION_EXPIRED,
                       _("The engine stopped before this market order filled"));
        }
    }
}

static void
paper_submit (BourseBroker           *broker,
              const BourseOrder      *order,
              const BourseInstrument *instrument)
{
  BoursePaperBroker *self = BOURSE_PAPER_BROKER (broker);
  g_autoptr(GError) error = NULL;
  BourseDecimal last, quantity;

  bourse_decimal_sub (order->quantity, order->filled_quantity, &quantity, NULL);
  if (!bourse_ticker_last_price (bourse_market_get_store (self->market), instrument, &last, NULL, &error))
    {
      emit_simple (self, order->id, BOURSE_EXECUTION_REJECTED, error->message);
      return;
    }

  switch (order->type)
    {
    case BOURSE_ORDER_MARKET:
      {
        BourseDecimal price;

        if (!bourse_paper_market_price (order->side, last, self->slippage_bps, instrument->tick_size, &price,
                                        &error))
          emit_simple (self, order->id, BOURSE_EXECUTION_REJECTED, error->message);
        else
          emit_fill (self, order->id, quantity, price, FALSE);
        return;
      }

    case BOURSE_ORDER_STOP_LOSS_LIMIT:
    case BOURSE_ORDER_TAKE_PROFIT_LIMIT:
      if (!order->triggered && !bourse_paper_stop_reached (order->type, order->side, order->stop_price, last))
        {
          rest (self, order);
          return;
        }
      if (!order->triggered)
        emit_simple (self, order->id, BOURSE_EXECUTION_TRIGGERED, NULL);
      G_GNUC_FALLTHROUGH;

    case BOURSE_ORDER_LIMIT:
    default:
      /* Marketable when placed: fills at once, at its limit, as taker. */
      if (bourse_paper_limit_reached (order->side, order->price, last))
        emit_fill (self, order->id, quantity, order->price, FALSE);
      else if (order->time_in_force != BOURSE_TIF_GTC)
        emit_simple (self, order->id, BOURSE_EXECUTION_EXPIRED,
                     order->time_in_force == BOURSE_TIF_IOC
                     ? _("Immediate or cancel: nothing could fill at once")
                     : _("Fill or kill: the whole quantity could not fill at once"));
      else
        {
          BourseOrder triggered = *order;

          triggered.triggered = TRUE;
          rest (self, bourse_order_has_trigger (order) ? &triggered : order);
        }
      return;
    }
}

static gboolean
paper_cancel (BourseBroker       *broker,
              const BourseOrder  *order,
              gboolean           *pending,
              GError            **error)
{
  unrest (BOURSE_PAPER_BROKER (broker), order->id);
  return TRUE;
}

typedef struct
{
  gint64              id;
  BourseExecutionKind kind;
  BourseDecimal       quantity;
  BourseDecimal       price;
  gboolean            maker;
} Match;

static void
paper_on_price (BourseBroker           *broker,
                const BourseInstrument *instrument,
                BourseDecimal           price)
{
  BoursePaperBroker *self = BOURSE_PAPER_BROKER (broker);
  GArray *orders = g_hash_table_lookup (self->book, instrument->symbol);
  g_autoptr(GArray) matches = NULL;

  if (orders == NULL || orders->len == 0)
    return;

  /* Decide first, then tell: booking a fill may cancel other orders of the
   * book (the other leg of an OCO pair). */
  matches = g_array_new (FALSE, FALSE, sizeof (Match));
  for (guint i = 0; i < orders->len; i++)
    {
      Resting *resting = &g_array_index (orders, Resting, i);
      Match match = { .id = resting->id, .quantity = resting->quantity, .price = resting->price, .maker = TRUE };

      if (resting->type != BOURSE_ORDER_LIMIT && !resting->triggered)
        {
          if (!bourse_paper_stop_reached (resting->type, resting->side, resting->stop_price, price))
            continue;
          resting->triggered = TRUE;
          match.kind = BOURSE_EXECUTION_TRIGGERED;
          g_array_append_val (matches, match);
          /* Triggered now: a limit placed at this price; marketable, it takes. */
          match.maker = FALSE;
        }
      if (bourse_paper_limit_reached (resting->side, resting->price, price))
        {
          match.kind = BOURSE_EXECUTION_FILL;
          g_array_append_val (matches, match);
        }
    }

  for (guint i = 0; i < matches->len; i++)
    {
      const Match *match = &g_array_index (matches, Match, i);

      if (!g_hash_table_contains (self->symbols, &match->id))
        continue;   /* canceled meanwhile */
      if (match->kind == BOURSE_EXECUTION_TRIGGERED)
        emit_simple (self, match->id, BOURSE_EXECUTION_TRIGGERED, NULL);
      else
        {
          unrest (self, match->id);
          emit_fill (self, match->id, match->quantity, match->price, match->maker);
        }
    }
}

guint
bourse_paper_broker_get_n_resting (BoursePaperBroker *self)
{
  g_return_val_if_fail (BOURSE_IS_PAPER_BROKER (self), 0);

  return g_hash_table_size (self->symbols);
}

static void
broker_iface_init (BourseBrokerInterface *iface)
{
  iface->get_id = paper_get_id;
  iface->get_name = paper_get_name;
  iface->setup = paper_setup;
  iface->resume = paper_resume;
  iface->submit = paper_submit;
  iface->cancel = paper_cancel;
  iface->on_price = paper_on_price;
}
