/* bourse-portfolio-routes.c — the ledger, read-only (docs/TRADING.md, "The ledger")
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-time.h"

#include "bourse-server-private.h"

#define DEFAULT_LIMIT 100
#define MAX_LIMIT     500
#define MS_PER_DAY    G_GINT64_CONSTANT (86400000)
/* An equity curve answers at most this many points. */
#define MAX_POINTS    5000

static BoursePortfolio *
portfolio_of (BourseRequest *request)
{
  return bourse_engine_get_portfolio (bourse_request_get_engine (request));
}

/* 200 with @node (owned), or the error. */
static void
reply_or_error (BourseRequest  *request,
                JsonNode       *node,
                GError        **error)
{
  /* @error is read here, after the call that filled it. */
  if (node == NULL)
    bourse_request_reply_error (request, *error, 0);
  else
    bourse_request_reply_json (request, SOUP_STATUS_OK, node);
  g_clear_pointer (&node, json_node_unref);
}

static void
portfolio_cb (BourseRequest *request,
              gpointer       user_data)
{
  g_autoptr(GError) error = NULL;

  reply_or_error (request, bourse_portfolio_summary_json (portfolio_of (request), &error), &error);
}

static void
pnl_cb (BourseRequest *request,
        gpointer       user_data)
{
  g_autoptr(GError) error = NULL;

  reply_or_error (request, bourse_portfolio_pnl_json (portfolio_of (request), &error), &error);
}

static void
positions_cb (BourseRequest *request,
              gpointer       user_data)
{
  g_autoptr(GError) error = NULL;

  reply_or_error (request, bourse_portfolio_positions_json (portfolio_of (request), &error), &error);
}

/* ?start=&end=: a window, by default the @default_days before now. */
static gboolean
get_window (BourseRequest *request,
            gint64         default_days,
            gint64        *start,
            gint64        *end)
{
  *end = bourse_time_now_ms () + 1;
  *start = G_MININT64;
  if (!bourse_request_get_time_query (request, "start", BOURSE_TIME_BOUND_START, start)
      || !bourse_request_get_time_query (request, "end", BOURSE_TIME_BOUND_END, end))
    return FALSE;
  if (*start == G_MININT64)
    *start = *end - default_days * MS_PER_DAY;
  if (*start >= *end)
    {
      bourse_request_reply_query_error (request, "end", _("must be after start"));
      return FALSE;
    }
  return TRUE;
}

static void
equity_cb (BourseRequest *request,
           gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  BourseInterval interval = BOURSE_INTERVAL_1H;
  gint64 start, end, step;

  if (!get_window (request, 30, &start, &end)
      || !bourse_request_get_interval_query (request, "interval", FALSE, &interval))
    return;
  /* A month's step is its first: the curve's points need no calendar. */
  step = bourse_interval_next (interval, 0);
  if ((end - start) / step > MAX_POINTS)
    {
      g_autofree char *message = g_strdup_printf (_("gives more than %d points for this window: "
                                                    "choose a longer interval"), MAX_POINTS);

      bourse_request_reply_query_error (request, "interval", message);
      return;
    }
  reply_or_error (request, bourse_portfolio_equity_json (portfolio_of (request), start, end, step, &error), &error);
}

static void
calendar_cb (BourseRequest *request,
             gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (bourse_time_now_ms () / 1000);
  gint64 year = g_date_time_get_year (now);
  const char *tz = NULL;

  if (!bourse_request_get_int_query (request, "year", 1970, 9999, &year)
      || !bourse_request_get_text_query (request, "tz", 64, &tz))
    return;
  reply_or_error (request, bourse_portfolio_calendar_json (portfolio_of (request), (int) year, tz, &error), &error);
}

static void
balances_history_cb (BourseRequest *request,
                     gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  const char *asset = NULL;
  gint64 start, end, cursor = 0, limit = DEFAULT_LIMIT;

  if (!get_window (request, 36500, &start, &end)
      || !bourse_request_get_symbol_query (request, "asset", FALSE, &asset)
      || !bourse_request_get_int_query (request, "limit", 1, MAX_LIMIT, &limit)
      || !bourse_request_get_cursor_query (request, &cursor))
    return;
  reply_or_error (request,
                  bourse_portfolio_balance_history_json (portfolio_of (request), asset, start, end, cursor,
                                                         (guint) limit, &error),
                  &error);
}

static void
trades_list_cb (BourseRequest *request,
                gpointer       user_data)
{
  static const char * const statuses[] = { "open", "closed", NULL };
  g_autoptr(GError) error = NULL;
  BourseTradeFilter filter = { 0 };
  gint64 limit = DEFAULT_LIMIT;

  if (!bourse_request_get_symbol_query (request, "symbol", FALSE, &filter.symbol)
      || !bourse_request_get_enum_query (request, "status", statuses, &filter.status)
      || !bourse_request_get_int_query (request, "since_id", 0, G_MAXINT64, &filter.since_id)
      || !bourse_request_get_int_query (request, "limit", 1, MAX_LIMIT, &limit)
      || !bourse_request_get_cursor_query (request, &filter.before_id))
    return;
  filter.limit = (guint) limit;
  reply_or_error (request, bourse_portfolio_trades_json (portfolio_of (request), &filter, &error), &error);
}

static void
trades_get_cb (BourseRequest *request,
               gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  reply_or_error (request, bourse_portfolio_trade_json (portfolio_of (request), id, &error), &error);
}

#define LIMIT_SCHEMA "{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"default\":100}"

static const BourseParamDoc equity_params[] = {
  { "start", BOURSE_PARAM_QUERY, "TimeInput", "From this time (default: 30 days before end)" },
  { "end", BOURSE_PARAM_QUERY, "TimeInput", "Up to this time (default: now); after start (else 422 naming end)" },
  { "interval", BOURSE_PARAM_QUERY, "Interval",
    "One point per interval (default 1h); at most 5,000 points in the window (else 422 naming interval)" },
  { NULL }
};

static const BourseParamDoc calendar_params[] = {
  { "year", BOURSE_PARAM_QUERY, "{\"type\":\"integer\",\"minimum\":1970,\"maximum\":9999}",
    "Default: the current year" },
  { "tz", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"minLength\":1,\"maxLength\":64,\"default\":\"UTC\"}",
    "The IANA time zone whose days the trades are counted in (Europe/Berlin)" },
  { NULL }
};

static const BourseParamDoc balances_params[] = {
  { "asset", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"pattern\":\"^[A-Z0-9]{2,20}$\"}", "Only this asset's" },
  { "start", BOURSE_PARAM_QUERY, "TimeInput", "From this time (default: everything)" },
  { "end", BOURSE_PARAM_QUERY, "TimeInput", "Up to this time (default: now); after start (else 422 naming end)" },
  { "limit", BOURSE_PARAM_QUERY, LIMIT_SCHEMA, NULL },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseParamDoc trades_params[] = {
  { "symbol", BOURSE_PARAM_QUERY, "Symbol", NULL },
  { "status", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"enum\":[\"open\",\"closed\"]}", NULL },
  { "since_id", BOURSE_PARAM_QUERY, "{\"type\":\"integer\",\"minimum\":0}",
    "What came after this id, oldest first, for incremental sync (no next_cursor: ask again from the last id)" },
  { "limit", BOURSE_PARAM_QUERY, LIMIT_SCHEMA, NULL },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseParamDoc trade_id_params[] = {
  { "id", BOURSE_PARAM_PATH, "Id", "The trade" },
  { NULL }
};

static const BourseRouteSpec portfolio_routes[] = {
  { "GET", "/api/v1/portfolio", "portfolio.read", portfolio_cb, {
      .id = "getPortfolio", .tag = "Portfolio", .summary = "Read the portfolio",
      .description = "Cash, equity and PnL, with the balances and the open positions.",
      .response = "Portfolio" } },
  { "GET", "/api/v1/portfolio/pnl", "portfolio.read", pnl_cb, {
      .id = "getPnl", .tag = "Portfolio", .summary = "Read the PnL of today, 7 and 30 days and all time",
      .response = "Pnl" } },
  { "GET", "/api/v1/portfolio/equity", "portfolio.read", equity_cb, {
      .id = "getEquityCurve", .tag = "Portfolio", .summary = "Read the equity curve",
      .params = equity_params, .response = "EquityCurve", .errors = "422" } },
  { "GET", "/api/v1/portfolio/calendar", "portfolio.read", calendar_cb, {
      .id = "getPnlCalendar", .tag = "Portfolio", .summary = "Read the PnL of a year by day",
      .description = "Closed trades by their local day in tz.",
      .params = calendar_params, .response = "PnlCalendar", .errors = "422" } },
  { "GET", "/api/v1/balances/history", "portfolio.read", balances_history_cb, {
      .id = "listBalanceChanges", .tag = "Portfolio", .summary = "List every change of a balance",
      .description = "Newest first.",
      .params = balances_params, .response = "page:BalanceChange", .errors = "422" } },
  { "GET", "/api/v1/positions", "portfolio.read", positions_cb, {
      .id = "listPositions", .tag = "Portfolio", .summary = "List the open positions",
      .description = "One page: next_cursor is always null.",
      .response = "page:Position" } },
  { "GET", "/api/v1/trades", "portfolio.read", trades_list_cb, {
      .id = "listTrades", .tag = "Portfolio", .summary = "List the round-trip trades",
      .description = "Newest first.",
      .params = trades_params, .response = "page:Trade", .errors = "422" } },
  { "GET", "/api/v1/trades/{id}", "portfolio.read", trades_get_cb, {
      .id = "getTrade", .tag = "Portfolio", .summary = "Read a trade",
      .params = trade_id_params, .response = "Trade", .errors = "404" } },
};

void
_bourse_server_add_portfolio_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, portfolio_routes, G_N_ELEMENTS (portfolio_routes), self);
}
