// core/labels.js — the words shown for the identifiers the server sends (an order's "FILLED",
// a role's "viewer", the engine's "running"): one table per kind, in the desktop's English
// (src/app's *_to_display) so that the catalogue shares their entries. label('order-status',
// 'FILLED') is "Filled" in English, "Ausgeführt" in German; a value the table does not know is
// shown as the server sent it. Pages keep the raw value in their data-* attributes and classes.
// SPDX-License-Identifier: GPL-3.0-or-later

import { _, C_, N_, fill } from './i18n.js';

// Each table maps a value to its msgid, marked for xgettext; where the English word alone would
// be ambiguous in another language ("Open" an order is, not a verb) the entry is a function
// calling C_ with a context.
const TABLES = {
  'order-status': {
    NEW: () => C_('order status', 'Open'),
    PARTIALLY_FILLED: N_('Partially filled'),
    FILLED: N_('Filled'),
    CANCELED: N_('Canceled'),
    REJECTED: N_('Rejected'),
    EXPIRED: N_('Expired'),
  },
  'order-type': {
    MARKET: N_('Market'),
    LIMIT: N_('Limit'),
    STOP_LOSS_LIMIT: N_('Stop-loss limit'),
    TAKE_PROFIT_LIMIT: N_('Take-profit limit'),
  },
  side: {
    BUY: N_('Buy'),
    SELL: N_('Sell'),
    LONG: N_('Long'),
    SHORT: N_('Short'),
  },
  // A recommendation's or approval's decision, in capitals as the desktop shows it.
  decision: {
    BUY: N_('BUY'),
    SELL: N_('SELL'),
    NO_TRADE: N_('NO TRADE'),
  },
  'trade-status': {
    open: () => C_('trade status', 'Open'),
    closed: () => C_('trade status', 'Closed'),
  },
  'approval-status': {
    pending: N_('Pending'),
    approved: N_('Approved'),
    rejected: N_('Rejected'),
    expired: N_('Expired'),
  },
  // Backtests', optimisations' and downloads' jobs.
  'job-status': {
    queued: N_('Queued'),
    running: N_('Running'),
    succeeded: N_('Finished'),
    failed: N_('Failed'),
    cancelled: N_('Cancelled'),
  },
  // A live strategy's approval policy.
  policy: {
    manual: N_('Manual approval'),
    'auto-paper': N_('Paper trade automatically'),
    'notify-only': N_('Notify only'),
  },
  mode: {
    paper: N_('Paper'),
    live: N_('Live'),
  },
  'engine-state': {
    stopped: N_('Stopped'),
    starting: N_('Starting'),
    running: N_('Running'),
    stopping: N_('Stopping'),
  },
  // Order processing (the trading status's "running" flag).
  processing: {
    running: N_('Running'),
    stopped: N_('Stopped'),
  },
  'trading-state': {
    ACTIVE: N_('Active'),
    REDUCING: N_('Reducing only'),
    HALTED: N_('Halted'),
  },
  // A protection in force (docs/TRADING.md, the risk state's protections).
  protection: {
    cooldown: N_('Cooldown'),
    stoploss_guard: N_('Stop-loss guard'),
    max_drawdown: N_('Maximum drawdown'),
    daily_loss: N_('Daily loss limit'),
  },
  role: {
    admin: N_('Administrator'),
    trader: N_('Trader'),
    viewer: N_('Viewer'),
  },
  'user-status': {
    pending: N_('Pending'),
    active: N_('Active'),
    disabled: N_('Disabled'),
  },
  liquidity: {
    maker: N_('Maker'),
    taker: N_('Taker'),
  },
  'reconciliation-outcome': {
    ok: N_('OK'),
    failed: N_('Failed'),
  },
  // What started a reconciliation, as the desktop says it after "Run {time} (…)".
  'reconciliation-trigger': {
    start: N_('at start'),
    reconnect: N_('after a reconnection'),
    request: N_('on request'),
    mode: N_('on switching to live'),
  },
  // Who checks an account's password (docs/API.md, Sign-in methods).
  'auth-source': {
    local: N_('Bourse'),
    pam: N_('System account'),
  },
  'feed-state': {
    backfilling: N_('Backfilling'),
    live: () => C_('feed state', 'Live'),
    failed: N_('Failed'),
  },
  health: {
    ok: N_('OK'),
    degraded: N_('Degraded'),
    down: N_('Down'),
  },
};

// The display text of `value` of `kind`; the value as text when the table has none, "—" for none.
export function label(kind, value) {
  if (value === null || value === undefined || value === '') return '—';
  const table = TABLES[kind];
  const entry = table && Object.hasOwn(table, value) ? table[value] : undefined;
  if (entry === undefined) return String(value);
  return typeof entry === 'function' ? entry() : _(entry);
}

// A strategy's parameters in one line: "fast 10, slow 30" (names as the strategy gives them).
export function paramsText(params) {
  if (!params || typeof params !== 'object') return '';
  /* Translators: one strategy parameter and its value in a list: "fast 10" */
  return Object.entries(params).map(([name, value]) => fill(_('{name} {value}'), { name, value }))
    /* Translators: what separates the items of a list */
    .join(C_('list separator', ', '));
}
