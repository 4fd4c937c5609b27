/* bourse-binance-filters.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"

#include "bourse-binance-filters.h"

void
bourse_binance_filters_free (BourseBinanceFilters *filters)
{
  if (filters == NULL)
    return;
  g_free (filters->symbol);
  g_free (filters->base_asset);
  g_free (filters->quote_asset);
  g_free (filters->status);
  g_free (filters);
}

/* Parsing {{{ */

/* A member that is a decimal string. Binance writes "no bound" as a huge
 * number (maxNotional "9000000000000000.00000000") that does not fit our
 * eight decimals: that is no bound to us either. */
static gboolean
get_decimal (JsonObject    *object,
             const char    *member,
             BourseDecimal *value,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *text = bourse_json_get_string (object, member);

  if (text == NULL)
    {
      g_set_error (error, BOURSE_ERROR, BOURSE_ERROR_UPSTREAM,
                   _("Binance's filter %s has no %s"), bourse_json_get_string (object, "filterType"), member);
      return FALSE;
    }
  if (bourse_decimal_parse_rounded (text, BOURSE_ROUND_HALF_EVEN, value, &local_error))
    return TRUE;
  if (g_error_matches (local_error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_OVERFLOW))
    {
      value->units = 0;
      return TRUE;
    }
  g_set_error (error, BOURSE_ERROR, BOURSE_ERROR_UPSTREAM, _("Binance's filter %s has a bad %s: %s"),
               bourse_json_get_string (object, "filterType"), member, local_error->message);
  return FALSE;
}

static gboolean
get_flag (JsonObject *object,
          const char *member)
{
  gboolean value = FALSE;

  bourse_json_get_boolean (object, member, &value);
  return value;
}

static gboolean
parse_filter (BourseBinanceFilters  *filters,
              JsonObject            *filter,
              GError               **error)
{
  const char *type = bourse_json_get_string (filter, "filterType");

  if (type == NULL)
    return TRUE;
  if (g_str_equal (type, "PRICE_FILTER"))
    {
      filters->has_price = TRUE;
      return get_decimal (filter, "minPrice", &filters->min_price, error)
             && get_decimal (filter, "maxPrice", &filters->max_price, error)
             && get_decimal (filter, "tickSize", &filters->tick_size, error);
    }
  if (g_str_equal (type, "LOT_SIZE"))
    {
      filters->has_lot = TRUE;
      return get_decimal (filter, "minQty", &filters->min_qty, error)
             && get_decimal (filter, "maxQty", &filters->max_qty, error)
             && get_decimal (filter, "stepSize", &filters->step_size, error);
    }
  if (g_str_equal (type, "MARKET_LOT_SIZE"))
    {
      filters->has_market_lot = TRUE;
      return get_decimal (filter, "minQty", &filters->market_min_qty, error)
             && get_decimal (filter, "maxQty", &filters->market_max_qty, error)
             && get_decimal (filter, "stepSize", &filters->market_step_size, error);
    }
  if (g_str_equal (type, "NOTIONAL"))
    {
      filters->has_notional = TRUE;
      filters->notional_filter = "NOTIONAL";
      filters->min_to_market = get_flag (filter, "applyMinToMarket");
      filters->max_to_market = get_flag (filter, "applyMaxToMarket");
      return get_decimal (filter, "minNotional", &filters->min_notional, error)
             && get_decimal (filter, "maxNotional", &filters->max_notional, error);
    }
  /* The older filter, for a symbol that has no NOTIONAL yet. */
  if (g_str_equal (type, "MIN_NOTIONAL") && !filters->has_notional)
    {
      filters->has_notional = TRUE;
      filters->notional_filter = "MIN_NOTIONAL";
      filters->min_to_market = get_flag (filter, "applyToMarket");
      filters->max_notional.units = 0;
      return get_decimal (filter, "minNotional", &filters->min_notional, error);
    }
  if (g_str_equal (type, "PERCENT_PRICE_BY_SIDE"))
    {
      filters->has_percent_price = TRUE;
      return get_decimal (filter, "bidMultiplierUp", &filters->bid_up, error)
             && get_decimal (filter, "bidMultiplierDown", &filters->bid_down, error)
             && get_decimal (filter, "askMultiplierUp", &filters->ask_up, error)
             && get_decimal (filter, "askMultiplierDown", &filters->ask_down, error);
    }
  if (g_str_equal (type, "MAX_NUM_ORDERS"))
    {
      if (!bourse_json_get_int (filter, "maxNumOrders", &filters->max_num_orders))
        {
          g_set_error (error, BOURSE_ERROR, BOURSE_ERROR_UPSTREAM, _("Binance's filter %s has no %s"),
                       type, "maxNumOrders");
          return FALSE;
        }
    }
  return TRUE;
}

BourseBinanceFilters *
bourse_binance_filters_parse (JsonObject  *symbol,
                              GError     **error)
{
  g_autoptr(BourseBinanceFilters) filters = g_new0 (BourseBinanceFilters, 1);
  JsonArray *list;
  const char *name;

  g_return_val_if_fail (symbol != NULL, NULL);

  if ((name = bourse_json_get_string (symbol, "symbol")) == NULL
      || (list = bourse_json_get_array (symbol, "filters")) == NULL)
    {
      g_set_error_literal (error, BOURSE_ERROR, BOURSE_ERROR_UPSTREAM,
                           _("A symbol of Binance's exchange information has no symbol or filters"));
      return NULL;
    }
  filters->symbol = g_strdup (name);
  filters->base_asset = g_strdup (bourse_json_get_string (symbol, "baseAsset"));
  filters->quote_asset = g_strdup (bourse_json_get_string (symbol, "quoteAsset"));
  filters->status = g_strdup (bourse_json_get_string (symbol, "status"));
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);

      if (JSON_NODE_HOLDS_OBJECT (node) && !parse_filter (filters, json_node_get_object (node), error))
        return NULL;
    }
  return g_steal_pointer (&filters);
}

GHashTable *
bourse_binance_filters_parse_exchange_info (JsonNode  *root,
                                            GError   **error)
{
  g_autoptr(GHashTable) table = NULL;
  JsonArray *symbols;

  g_return_val_if_fail (root != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (root)
      || (symbols = bourse_json_get_array (json_node_get_object (root), "symbols")) == NULL)
    {
      g_set_error_literal (error, BOURSE_ERROR, BOURSE_ERROR_UPSTREAM,
                           _("Binance's exchange information has no list of symbols"));
      return NULL;
    }
  table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) bourse_binance_filters_free);
  for (guint i = 0; i < json_array_get_length (symbols); i++)
    {
      JsonNode *node = json_array_get_element (symbols, i);
      BourseBinanceFilters *filters;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      if ((filters = bourse_binance_filters_parse (json_node_get_object (node), error)) == NULL)
        return NULL;
      g_hash_table_replace (table, filters->symbol, filters);
    }
  return g_steal_pointer (&table);
}

/* }}} */

/* Checking {{{ */

/* @value within [min, max] (a zero bound: none) and on the grid min + k ×
 * step, as Binance's (value − min) % step == 0. */
static gboolean
check_range (BourseDecimal  value,
             BourseDecimal  min,
             BourseDecimal  max,
             BourseDecimal  step,
             const char    *member,
             const char    *filter,
             GError       **error)
{
  g_autofree char *text = bourse_decimal_to_string_trimmed (value);

  if (min.units > 0 && value.units < min.units)
    {
      g_autofree char *bound = bourse_decimal_to_string_trimmed (min);

      bourse_set_field_error (error, BOURSE_ERROR_INVALID, member,
                              _("%s %s is below Binance's minimum of %s (%s)"), member, text, bound, filter);
      return FALSE;
    }
  if (max.units > 0 && value.units > max.units)
    {
      g_autofree char *bound = bourse_decimal_to_string_trimmed (max);

      bourse_set_field_error (error, BOURSE_ERROR_INVALID, member,
                              _("%s %s is above Binance's maximum of %s (%s)"), member, text, bound, filter);
      return FALSE;
    }
  if (step.units > 0 && (value.units - min.units) % step.units != 0)
    {
      g_autofree char *grid = bourse_decimal_to_string_trimmed (step);

      bourse_set_field_error (error, BOURSE_ERROR_INVALID, member,
                              _("%s %s is not a multiple of Binance's step of %s (%s)"), member, text, grid, filter);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_notional (const BourseBinanceFilters  *filters,
                const BourseOrder           *order,
                BourseDecimal                price,
                GError                     **error)
{
  gboolean market = order->type == BOURSE_ORDER_MARKET;
  BourseDecimal notional;
  g_autofree char *text = NULL;

  if (price.units <= 0)
    return TRUE;
  if (!bourse_decimal_mul (order->quantity, price, BOURSE_ROUND_HALF_EVEN, &notional, NULL))
    notional.units = G_MAXINT64;
  text = bourse_decimal_to_string_trimmed (notional);
  if ((!market || filters->min_to_market) && filters->min_notional.units > 0
      && notional.units < filters->min_notional.units)
    {
      g_autofree char *bound = bourse_decimal_to_string_trimmed (filters->min_notional);

      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "quantity",
                              _("The order's value %s is below Binance's minimum of %s (%s)"),
                              text, bound, filters->notional_filter);
      return FALSE;
    }
  if ((!market || filters->max_to_market) && filters->max_notional.units > 0
      && notional.units > filters->max_notional.units)
    {
      g_autofree char *bound = bourse_decimal_to_string_trimmed (filters->max_notional);

      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "quantity",
                              _("The order's value %s is above Binance's maximum of %s (%s)"),
                              text, bound, filters->notional_filter);
      return FALSE;
    }
  return TRUE;
}

/* A limit price within the band around the reference price that
 * PERCENT_PRICE_BY_SIDE allows for its side. */
static gboolean
check_percent_price (const BourseBinanceFilters  *filters,
                     const BourseOrder           *order,
                     BourseDecimal                reference,
                     GError                     **error)
{
  gboolean buy = order->side == BOURSE_SIDE_BUY;
  BourseDecimal up = buy ? filters->bid_up : filters->ask_up;
  BourseDecimal down = buy ? filters->bid_down : filters->ask_down;
  BourseDecimal high, low;
  g_autofree char *text = NULL;
  g_autofree char *high_text = NULL;
  g_autofree char *low_text = NULL;

  if (reference.units <= 0 || !order->has_price)
    return TRUE;
  if (!bourse_decimal_mul (reference, up, BOURSE_ROUND_FLOOR, &high, NULL))
    high.units = G_MAXINT64;
  if (!bourse_decimal_mul (reference, down, BOURSE_ROUND_CEILING, &low, NULL))
    low.units = 0;
  if ((up.units == 0 || order->price.units <= high.units) && order->price.units >= low.units)
    return TRUE;
  text = bourse_decimal_to_string_trimmed (order->price);
  low_text = bourse_decimal_to_string_trimmed (low);
  high_text = bourse_decimal_to_string_trimmed (high);
  bourse_set_field_error (error, BOURSE_ERROR_INVALID, "price",
                          _("The price %s is outside the %s–%s Binance allows now for a %s (PERCENT_PRICE_BY_SIDE)"),
                          text, low_text, high_text, buy ? "BUY" : "SELL");
  return FALSE;
}

gboolean
bourse_binance_filters_check (const BourseBinanceFilters  *filters,
                              const BourseOrder           *order,
                              BourseDecimal                reference,
                              guint                        n_open,
                              GError                     **error)
{
  gboolean market = order->type == BOURSE_ORDER_MARKET;

  g_return_val_if_fail (filters != NULL, FALSE);
  g_return_val_if_fail (order != NULL, FALSE);

  if (filters->status != NULL && !g_str_equal (filters->status, "TRADING"))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "symbol",
                              _("Binance does not trade %s now (its status is %s)"), filters->symbol,
                              filters->status);
      return FALSE;
    }
  if (filters->has_price && order->has_price
      && !check_range (order->price, filters->min_price, filters->max_price, filters->tick_size,
                       "price", "PRICE_FILTER", error))
    return FALSE;
  if (filters->has_price && order->has_stop_price
      && !check_range (order->stop_price, filters->min_price, filters->max_price, filters->tick_size,
                       "stop_price", "PRICE_FILTER", error))
    return FALSE;
  if (filters->has_lot
      && !check_range (order->quantity, filters->min_qty, filters->max_qty, filters->step_size,
                       "quantity", "LOT_SIZE", error))
    return FALSE;
  if (market && filters->has_market_lot
      && !check_range (order->quantity, filters->market_min_qty, filters->market_max_qty,
                       filters->market_step_size, "quantity", "MARKET_LOT_SIZE", error))
    return FALSE;
  if (filters->has_notional
      && !check_notional (filters, order, market || !order->has_price ? reference : order->price, error))
    return FALSE;
  if (filters->has_percent_price && !market && !check_percent_price (filters, order, reference, error))
    return FALSE;
  if (filters->max_num_orders > 0 && n_open >= filters->max_num_orders)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "symbol",
                              _("%u orders are open on %s, the most Binance allows (MAX_NUM_ORDERS)"),
                              n_open, filters->symbol);
      return FALSE;
    }
  return TRUE;
}

/* }}} */
