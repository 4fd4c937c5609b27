/* test-binance-filters.c — Binance's symbol filters: parsed from exchangeInfo, checked on orders
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "exchange/bourse-binance-filters.h"
#include "exchange/bourse-binance-api.h"

/* Binance's exchangeInfo for two symbols, in its own format: BTCUSDT with
 * the current filters, OLDUSDT with the older MIN_NOTIONAL. */
static const char exchange_info[] =
  "{\"timezone\":\"UTC\",\"serverTime\":1700000000000,\"rateLimits\":[],\"symbols\":["
  "{\"symbol\":\"BTCUSDT\",\"status\":\"TRADING\",\"baseAsset\":\"BTC\",\"quoteAsset\":\"USDT\","
  " \"orderTypes\":[\"LIMIT\",\"MARKET\",\"STOP_LOSS_LIMIT\",\"TAKE_PROFIT_LIMIT\"],\"filters\":["
  "  {\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"0.01000000\",\"maxPrice\":\"1000000.00000000\","
  "   \"tickSize\":\"0.01000000\"},"
  "  {\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.00001000\",\"maxQty\":\"9000.00000000\","
  "   \"stepSize\":\"0.00001000\"},"
  "  {\"filterType\":\"ICEBERG_PARTS\",\"limit\":10},"
  "  {\"filterType\":\"MARKET_LOT_SIZE\",\"minQty\":\"0.00000000\",\"maxQty\":\"100.00000000\","
  "   \"stepSize\":\"0.00000000\"},"
  "  {\"filterType\":\"PERCENT_PRICE_BY_SIDE\",\"bidMultiplierUp\":\"5\",\"bidMultiplierDown\":\"0.2\","
  "   \"askMultiplierUp\":\"5\",\"askMultiplierDown\":\"0.2\",\"avgPriceMins\":5},"
  "  {\"filterType\":\"NOTIONAL\",\"minNotional\":\"5.00000000\",\"applyMinToMarket\":true,"
  "   \"maxNotional\":\"9000000000000000.00000000\",\"applyMaxToMarket\":false,\"avgPriceMins\":5},"
  "  {\"filterType\":\"MAX_NUM_ORDERS\",\"maxNumOrders\":3}]},"
  "{\"symbol\":\"OLDUSDT\",\"status\":\"BREAK\",\"baseAsset\":\"OLD\",\"quoteAsset\":\"USDT\",\"filters\":["
  "  {\"filterType\":\"MIN_NOTIONAL\",\"minNotional\":\"10.00000000\",\"applyToMarket\":false,"
  "   \"avgPriceMins\":5}]}]}";

static BourseDecimal
dec (const char *text)
{
  BourseDecimal value;

  g_assert_true (bourse_decimal_parse (text, &value, NULL));
  return value;
}

static GHashTable *
load (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = bourse_json_parse (exchange_info, strlen (exchange_info), 0, &error);
  GHashTable *table;

  g_assert_no_error (error);
  table = bourse_binance_filters_parse_exchange_info (root, &error);
  g_assert_no_error (error);
  return table;
}

static BourseOrder *
limit_order (const char *side,
             const char *quantity,
             const char *price)
{
  BourseOrder *order = bourse_order_new ();

  order->symbol = g_strdup ("BTCUSDT");
  g_assert_true (bourse_side_parse (side, &order->side));
  order->type = BOURSE_ORDER_LIMIT;
  order->quantity = dec (quantity);
  order->has_price = price != NULL;
  if (price != NULL)
    order->price = dec (price);
  return order;
}

/* The refusal names the member and the filter. */
static void
assert_refused (const BourseBinanceFilters *filters,
                const BourseOrder          *order,
                const char                 *reference,
                guint                       n_open,
                const char                 *field,
                const char                 *filter)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (bourse_binance_filters_check (filters, order, dec (reference), n_open, &error));
  g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_INVALID);
  g_assert_cmpstr (bourse_error_get_field (error), ==, field);
  if (strstr (error->message, filter) == NULL)
    g_error ("“%s” does not name %s", error->message, filter);
}

static void
assert_passes (const BourseBinanceFilters *filters,
               const BourseOrder          *order,
               const char                 *reference,
               guint                       n_open)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bourse_binance_filters_check (filters, order, dec (reference), n_open, &error));
  g_assert_no_error (error);
}

static void
test_parse (void)
{
  g_autoptr(GHashTable) table = load ();
  const BourseBinanceFilters *btc = g_hash_table_lookup (table, "BTCUSDT");
  const BourseBinanceFilters *old = g_hash_table_lookup (table, "OLDUSDT");

  g_assert_cmpuint (g_hash_table_size (table), ==, 2);
  g_assert_nonnull (btc);
  g_assert_cmpstr (btc->base_asset, ==, "BTC");
  g_assert_cmpstr (btc->quote_asset, ==, "USDT");
  g_assert_true (btc->has_price);
  g_assert_cmpint (btc->tick_size.units, ==, dec ("0.01").units);
  g_assert_cmpint (btc->max_price.units, ==, dec ("1000000").units);
  g_assert_true (btc->has_lot);
  g_assert_cmpint (btc->step_size.units, ==, 1000);
  g_assert_cmpint (btc->max_qty.units, ==, dec ("9000").units);
  g_assert_true (btc->has_market_lot);
  g_assert_cmpint (btc->market_max_qty.units, ==, dec ("100").units);
  g_assert_true (btc->has_notional);
  g_assert_cmpstr (btc->notional_filter, ==, "NOTIONAL");
  g_assert_cmpint (btc->min_notional.units, ==, dec ("5").units);
  /* Too large for eight decimals: no bound. */
  g_assert_cmpint (btc->max_notional.units, ==, 0);
  g_assert_true (btc->min_to_market);
  g_assert_false (btc->max_to_market);
  g_assert_true (btc->has_percent_price);
  g_assert_cmpint (btc->bid_down.units, ==, dec ("0.2").units);
  g_assert_cmpint (btc->max_num_orders, ==, 3);

  g_assert_nonnull (old);
  g_assert_cmpstr (old->notional_filter, ==, "MIN_NOTIONAL");
  g_assert_cmpint (old->min_notional.units, ==, dec ("10").units);
  g_assert_false (old->min_to_market);
  g_assert_false (old->has_price);
}

static void
test_malformed (void)
{
  static const char *bad[] = {
    "[]",
    "{\"symbols\":{}}",
    "{\"symbols\":[{\"symbol\":\"X\"}]}",
    "{\"symbols\":[{\"symbol\":\"X\",\"filters\":[{\"filterType\":\"LOT_SIZE\",\"minQty\":\"1\"}]}]}",
    "{\"symbols\":[{\"symbol\":\"X\",\"filters\":[{\"filterType\":\"PRICE_FILTER\",\"minPrice\":\"a\","
    "\"maxPrice\":\"1\",\"tickSize\":\"1\"}]}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = bourse_json_parse (bad[i], strlen (bad[i]), 0, NULL);
      g_autoptr(GHashTable) table = bourse_binance_filters_parse_exchange_info (root, &error);

      g_assert_null (table);
      g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_UPSTREAM);
    }
}

static void
test_price_and_lot (void)
{
  g_autoptr(GHashTable) table = load ();
  const BourseBinanceFilters *btc = g_hash_table_lookup (table, "BTCUSDT");
  g_autoptr(BourseOrder) good = limit_order ("BUY", "0.01", "50000.01");
  g_autoptr(BourseOrder) off_tick = limit_order ("BUY", "0.01", "50000.005");
  g_autoptr(BourseOrder) too_cheap = limit_order ("BUY", "0.01", "0.001");
  g_autoptr(BourseOrder) too_dear = limit_order ("BUY", "0.00001", "1000000.01");
  g_autoptr(BourseOrder) off_step = limit_order ("SELL", "0.000015", "50000");
  g_autoptr(BourseOrder) too_small = limit_order ("SELL", "0.000001", "50000");
  g_autoptr(BourseOrder) too_big = limit_order ("SELL", "9000.00001", "50000");
  g_autoptr(BourseOrder) stop = limit_order ("SELL", "0.01", "49000");

  assert_passes (btc, good, "50000", 0);
  assert_refused (btc, off_tick, "50000", 0, "price", "PRICE_FILTER");
  assert_refused (btc, too_cheap, "0", 0, "price", "PRICE_FILTER");
  assert_refused (btc, too_dear, "0", 0, "price", "PRICE_FILTER");
  assert_refused (btc, off_step, "50000", 0, "quantity", "LOT_SIZE");
  assert_refused (btc, too_small, "50000", 0, "quantity", "LOT_SIZE");
  assert_refused (btc, too_big, "50000", 0, "quantity", "LOT_SIZE");

  /* A stop's trigger price is on the same tick grid. */
  stop->type = BOURSE_ORDER_STOP_LOSS_LIMIT;
  stop->has_stop_price = TRUE;
  stop->stop_price = dec ("49500.001");
  assert_refused (btc, stop, "50000", 0, "stop_price", "PRICE_FILTER");
  stop->stop_price = dec ("49500");
  assert_passes (btc, stop, "50000", 0);
}

static void
test_market (void)
{
  g_autoptr(GHashTable) table = load ();
  const BourseBinanceFilters *btc = g_hash_table_lookup (table, "BTCUSDT");
  g_autoptr(BourseOrder) order = limit_order ("BUY", "100.00001", NULL);

  order->type = BOURSE_ORDER_MARKET;
  /* Within LOT_SIZE, above MARKET_LOT_SIZE's maximum. */
  assert_refused (btc, order, "1", 0, "quantity", "MARKET_LOT_SIZE");
  order->quantity = dec ("0.0001");
  /* 0.0001 × 40000 = 4 < 5: applyMinToMarket, at the reference price. */
  assert_refused (btc, order, "40000", 0, "quantity", "NOTIONAL");
  assert_passes (btc, order, "60000", 0);
  /* Without a price known, Binance decides. */
  assert_passes (btc, order, "0", 0);
}

static void
test_notional (void)
{
  g_autoptr(GHashTable) table = load ();
  const BourseBinanceFilters *btc = g_hash_table_lookup (table, "BTCUSDT");
  BourseBinanceFilters *old = g_hash_table_lookup (table, "OLDUSDT");
  g_autoptr(BourseOrder) order = limit_order ("BUY", "0.0001", "49999.99");
  g_autoptr(BourseOrder) old_order = limit_order ("BUY", "1", "9.99");
  g_autoptr(BourseOrder) old_market = limit_order ("BUY", "1", NULL);

  /* A limit order's value is at its own price, whatever the market's. */
  assert_refused (btc, order, "50000", 0, "quantity", "NOTIONAL");
  order->price = dec ("50000");
  assert_passes (btc, order, "50000", 0);

  /* MIN_NOTIONAL, with the symbol let to trade for the check. */
  g_free (old->status);
  old->status = g_strdup ("TRADING");
  g_free (old_order->symbol);
  old_order->symbol = g_strdup ("OLDUSDT");
  assert_refused (old, old_order, "10", 0, "quantity", "MIN_NOTIONAL");
  old_order->price = dec ("10");
  assert_passes (old, old_order, "10", 0);
  /* applyToMarket false: a market order of any value. */
  old_market->type = BOURSE_ORDER_MARKET;
  assert_passes (old, old_market, "1", 0);
}

static void
test_percent_price (void)
{
  g_autoptr(GHashTable) table = load ();
  const BourseBinanceFilters *btc = g_hash_table_lookup (table, "BTCUSDT");
  g_autoptr(BourseOrder) buy = limit_order ("BUY", "0.01", "250000.01");
  g_autoptr(BourseOrder) sell = limit_order ("SELL", "1", "9999.99");

  /* 5 × 50000 = 250000 above, 0.2 × 50000 = 10000 below. */
  assert_refused (btc, buy, "50000", 0, "price", "PERCENT_PRICE_BY_SIDE");
  buy->price = dec ("250000");
  assert_passes (btc, buy, "50000", 0);
  assert_refused (btc, sell, "50000", 0, "price", "PERCENT_PRICE_BY_SIDE");
  sell->price = dec ("10000");
  assert_passes (btc, sell, "50000", 0);
}

static void
test_max_orders_and_status (void)
{
  g_autoptr(GHashTable) table = load ();
  const BourseBinanceFilters *btc = g_hash_table_lookup (table, "BTCUSDT");
  const BourseBinanceFilters *old = g_hash_table_lookup (table, "OLDUSDT");
  g_autoptr(BourseOrder) order = limit_order ("BUY", "0.01", "50000");

  assert_passes (btc, order, "50000", 2);
  assert_refused (btc, order, "50000", 3, "symbol", "MAX_NUM_ORDERS");
  assert_refused (old, order, "50000", 0, "symbol", "BREAK");
}

/* The query of a signed request: the parameters as given, then timestamp,
 * recvWindow and the signature over exactly that text (Binance's HMAC
 * example of its documentation). */
static void
test_signed_query (void)
{
  g_autoptr(GError) error = NULL;
  static const char secret[] = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
  g_autoptr(GBytes) bytes = g_bytes_new_static (secret, strlen (secret));
  g_autoptr(BourseBinanceSigner) signer =
    bourse_binance_signer_new ("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", bytes, &error);
  g_autoptr(BourseBinanceParams) params = bourse_binance_params_new ();
  g_autofree char *query = NULL;
  g_autofree char *expected_signature = NULL;
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  bourse_binance_params_add (params, "symbol", "LTCBTC");
  bourse_binance_params_add (params, "side", "BUY");
  bourse_binance_params_add (params, "type", "LIMIT");
  bourse_binance_params_add (params, "timeInForce", "GTC");
  bourse_binance_params_add_decimal (params, "quantity", dec ("1"));
  bourse_binance_params_add_decimal (params, "price", dec ("0.1"));
  bourse_binance_params_add (params, "newClientOrderId", "a b/c");
  g_assert_cmpstr (bourse_binance_params_get_query (params), ==,
                   "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1"
                   "&newClientOrderId=a%20b%2Fc");

  query = bourse_binance_sign_query (signer, bourse_binance_params_get_query (params), 1499827319559, 5000);
  expected_signature = bourse_binance_signer_sign (signer,
    "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&newClientOrderId=a%20b%2Fc"
    "&timestamp=1499827319559&recvWindow=5000", -1);
  expected = g_strdup_printf ("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1"
                              "&newClientOrderId=a%%20b%%2Fc&timestamp=1499827319559&recvWindow=5000"
                              "&signature=%s", expected_signature);
  g_assert_cmpstr (query, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/binance-filters/parse", test_parse);
  g_test_add_func ("/binance-filters/malformed", test_malformed);
  g_test_add_func ("/binance-filters/price-and-lot", test_price_and_lot);
  g_test_add_func ("/binance-filters/market", test_market);
  g_test_add_func ("/binance-filters/notional", test_notional);
  g_test_add_func ("/binance-filters/percent-price", test_percent_price);
  g_test_add_func ("/binance-filters/max-orders-and-status", test_max_orders_and_status);
  g_test_add_func ("/binance-filters/signed-query", test_signed_query);

  return g_test_run ();
}
