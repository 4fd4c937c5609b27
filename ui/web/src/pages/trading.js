// pages/trading.js — the trading state and its kill switch, order processing, the portfolio, orders,
// fills and round-trip trades, and live trading: the mode, the exchange's keys, reconciliations
// (docs/WEB.md, docs/LIVE.md).
// SPDX-License-Identifier: GPL-3.0-or-later

import markup from './trading-markup.js';
import { live } from '../core/live.js';
import { session } from '../core/session.js';
import { decimal, duration, signOf, time } from '../core/format.js';
import { $ } from '../core/dom.js';
import { button, decimalCell, element, fillTable, getResponse, keepNewest, listOf, newer,
         pnlCell, userName, whileShown } from '../core/view.js';
import { _, fill, ngettext } from '../core/i18n.js';
import { label } from '../core/labels.js';

const can = (permission) => session.can(permission);
let mounted = false;             // whether the page shows: answers that come after it left are dropped
const { fetchShown, actShown, ifShown } = whileShown(() => mounted);


function showStatus(status) {
  $('engine-state').textContent = label('engine-state', status.engine.state);
  $('engine-state').dataset.state = status.engine.state;
  $('engine-uptime').textContent = duration(status.engine.uptime_seconds);
  $('server-url').textContent = status.server.url + (status.server.tls ? ' (TLS)' : '');
  $('websocket-clients').textContent = String(status.server.websocket_clients);
  $('database').textContent = status.database.ok
    ? fill(_('schema {version}'), { version: status.database.schema_version })
    : fill(_('error: {error}'), { error: status.database.error });
  $('mode').textContent = label('mode', status.mode);
  $('mode').dataset.mode = status.mode;
  $('version').textContent = status.version;
  if (status.trading) processingChanged(status.trading);
  if (typeof status.mode === 'string') modeChanged(status.mode);
}
/* Portfolio, orders, trades and the trading state */

const FINAL_STATUSES = new Set(['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED']);
const SHOWN_HISTORY = 50;
const SHOWN_FILLS = 20;
const SHOWN_TRADES = 100;
const EQUITY_POINTS = 2000;

let portfolio = null;          // GET /api/v1/portfolio, kept current by its topics
let equity = [];               // [{ time, equity }], oldest first
const orders = new Map();      // id → Order
const fills = new Map();       // id → Fill
const trades = new Map();      // id → Trade
let risk = null;               // GET /api/v1/risk/state
let processing = null;         // the system status's "trading": { running, mode, broker, … }

function forgetTrading() {
  portfolio = null;
  equity = [];
  orders.clear();
  orderSeenAt.clear();
  fills.clear();
  trades.clear();
  risk = null;
  processing = null;
}

async function loadTrading() {
  await Promise.all([loadRisk(), loadPortfolio(), loadEquity(), loadOrders(), loadFills(), loadTrades()]);
}

function renderTrading() {
  renderRisk();
  renderProcessing();
  renderPortfolio();
  renderEquity();
  renderOrders();
  renderTrades();
}

/* The portfolio */

async function loadPortfolio() {
  const answer = await fetchShown('/api/v1/portfolio', $('portfolio-error'), _('Could not load the portfolio.'));
  if (!answer) return;
  portfolio = answer;
  renderPortfolio();
}

async function loadEquity() {
  const answer = await fetchShown('/api/v1/portfolio/equity', $('portfolio-error'),
                                 _('Could not load the equity curve.'));
  if (!answer) return;
  equity = listOf(answer).map((p) => ({ time: p.time, equity: p.equity }));
  renderEquity();
}

// Replaces the item of `list` that has the same `key` as `item`, or adds it; `keep` says
// whether it stays listed at all.
function upsertBy(list, key, item, keep) {
  const rest = list.filter((known) => known[key] !== item[key]);
  return keep ? [...rest, item] : rest;
}

function portfolioChanged(data, message) {
  // The topic carries the summary without its lists.
  portfolio = Object.assign({ balances: [], positions: [] }, portfolio, data);
  if (typeof data.equity === 'string') {
    const time = data.updated_at || data.time || message.ts;
    const last = equity[equity.length - 1];
    if (!last || last.equity !== data.equity) equity.push({ time, equity: data.equity });
    if (equity.length > EQUITY_POINTS) equity.splice(0, equity.length - EQUITY_POINTS);
    renderEquity();
  }
  renderPortfolio();
}

function positionsChanged(data) {
  if (!portfolio) return;
  for (const position of Array.isArray(data.items) ? data.items : [data])
    if (position.symbol)
      portfolio.positions = upsertBy(portfolio.positions || [], 'symbol', position,
                                     signOf(position.quantity) !== 'zero');
  renderPortfolio();
}

function balancesChanged(data) {
  if (!portfolio) return;
  for (const balance of Array.isArray(data.items) ? data.items : [data])
    if (balance.asset) portfolio.balances = upsertBy(portfolio.balances || [], 'asset', balance, true);
  renderPortfolio();
}

function drawdownText(drawdown) {
  // A ratio meant for people travels as a JSON number (docs/TRADING.md).
  if (typeof drawdown === 'number') return `${(drawdown * 100).toFixed(2)} %`;
  return decimal(drawdown);
}

function setFigure(id, text, sign) {
  $(id).textContent = text;
  if (sign) $(id).dataset.sign = sign;
}

function renderPortfolio() {
  const p = portfolio || {};   // nothing known yet, or signed out: dashes, empty tables
  $('paper-badge').hidden = p.mode !== 'paper';
  const amount = (text) => (text === undefined || text === null ? '—'
    : `${decimal(text)}${p.currency ? ` ${p.currency}` : ''}`);
  setFigure('equity', amount(p.equity));
  setFigure('cash', amount(p.cash));
  setFigure('positions-value', amount(p.positions_value));
  setFigure('today-pnl', amount(p.today_pnl), signOf(p.today_pnl));
  setFigure('drawdown', drawdownText(p.drawdown));
  setFigure('peak-equity', amount(p.peak_equity));

  const positions = [...(p.positions || [])].sort((a, b) => String(a.symbol).localeCompare(b.symbol));
  fillTable('positions', positions, (position) => {
    const tr = element('tr');
    tr.dataset.symbol = String(position.symbol);
    tr.append(element('td', position.symbol, 'symbol'), decimalCell(position.quantity, 'quantity'),
              decimalCell(position.average_price, 'average-price'), decimalCell(position.last_price, 'last-price'),
              decimalCell(position.market_value, 'market-value'), pnlCell(position.unrealized_pnl, 'unrealized-pnl'),
              pnlCell(position.realized_pnl, 'realized-pnl'), element('td', time(position.opened_at)));
    return tr;
  });

  const balances = [...(p.balances || [])].sort((a, b) => String(a.asset).localeCompare(b.asset));
  fillTable('balances', balances, (balance) => {
    const tr = element('tr');
    tr.dataset.asset = String(balance.asset);
    tr.append(element('td', balance.asset, 'asset'), decimalCell(balance.free, 'free'), decimalCell(balance.locked, 'locked'));
    return tr;
  });
}

const SVG = 'http://www.w3.org/2000/svg';

function renderEquity() {
  const svg = $('equity-chart');
  const points = equity.filter((p) => !Number.isNaN(Date.parse(p.time)));
  if (points.length < 2) {
    svg.replaceChildren();
    $('equity-caption').textContent = points.length
      ? fill(_('Equity {equity} at {time}.'), { equity: decimal(points[0].equity), time: time(points[0].time) })
      : _('Equity: no snapshots yet.');
    return;
  }
  // Plotting is analytics (DESIGN.md §4): doubles place the line; every figure shown in
  // words is the API's own string.
  const values = points.map((p) => Number(p.equity));
  const times = points.map((p) => Date.parse(p.time));
  let low = 0;
  let high = 0;
  values.forEach((v, i) => {
    if (v < values[low]) low = i;
    if (v > values[high]) high = i;
  });
  const [width, height, pad] = [600, 150, 6];
  const span = values[high] - values[low] || 1;
  const duration = times[times.length - 1] - times[0] || 1;
  const coordinates = values.map((v, i) => {
    const x = ((times[i] - times[0]) / duration) * width;
    const y = pad + (1 - (v - values[low]) / span) * (height - 2 * pad);
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  const area = document.createElementNS(SVG, 'polygon');
  area.setAttribute('points', `0,${height} ${coordinates.join(' ')} ${width},${height}`);
  area.setAttribute('class', 'area');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', coordinates.join(' '));
  line.setAttribute('class', 'line');
  svg.replaceChildren(area, line);
  const last = points[points.length - 1];
  $('equity-caption').textContent =
    fill(_('Equity from {from} to {to}: low {low}, high {high}, now {now}.'), {
      from: time(points[0].time), to: time(last.time), low: decimal(points[low].equity),
      high: decimal(points[high].equity), now: decimal(last.equity) });
}

/* Orders */

// Topic events seen, and at which count each order last changed: a list asked for before an
// event must not undo it when its answer comes after.
let orderEvents = 0;
const orderSeenAt = new Map();

async function loadOrders() {
  const error = $('orders-error');
  const asked = orderEvents;
  const [open, closed] = await Promise.all([
    fetchShown('/api/v1/orders?status=open&limit=200', error, _('Could not load the open orders.')),
    fetchShown(`/api/v1/orders?status=closed&limit=${SHOWN_HISTORY}`, error, _('Could not load the order history.')),
  ]);
  if (!open || !closed) return;
  // Open orders no longer listed closed while we were away: the history has them, or they
  // are older than what it shows.
  const listed = new Set(listOf(open).map((o) => o.id));
  for (const [id, order] of orders)
    if (!FINAL_STATUSES.has(order.status) && !listed.has(id) && !((orderSeenAt.get(id) ?? 0) > asked))
      orders.delete(id);
  for (const order of [...listOf(closed), ...listOf(open)]) orders.set(order.id, newer(orders.get(order.id), order));
  renderOrders();
}

function orderChanged(order) {
  if (typeof order.id !== 'number') return;
  orderSeenAt.set(order.id, ++orderEvents);
  orders.set(order.id, newer(orders.get(order.id), order));
  keepNewest(orders, SHOWN_HISTORY, (o) => FINAL_STATUSES.has(o.status));
  for (const id of orderSeenAt.keys()) if (!orders.has(id)) orderSeenAt.delete(id);
  renderOrders();
}

async function loadFills() {
  const answer = await fetchShown(`/api/v1/fills?limit=${SHOWN_FILLS}`, $('orders-error'), _('Could not load the fills.'));
  if (!answer) return;
  for (const fill of listOf(answer)) fills.set(fill.id, fill);
  renderFills();
}

function fillArrived(fill) {
  if (typeof fill.id !== 'number') return;
  fills.set(fill.id, fill);
  keepNewest(fills, SHOWN_FILLS);
  renderFills();
}

// One's own orders, or anyone's with orders.manage; the server checks again.
function canCancel(order) {
  return can('orders.write') && (can('orders.manage') || (session.user !== null && order.created_by === session.user.id));
}

function describeOrder(order) {
  /* Translators: an order in a button's name or a message: "Buy 0.01 BTCUSDT (order 12)" */
  return fill(_('{side} {quantity} {symbol} (order {id})'),
              { side: label('side', order.side), quantity: decimal(order.quantity), symbol: order.symbol, id: order.id });
}

function orderCells(order) {
  const sideClass = `side ${String(order.side).toLowerCase()}`;
  return [element('td', time(order.created_at), 'created-at'), element('td', order.symbol, 'symbol'),
          element('td', label('side', order.side), sideClass), element('td', label('order-type', order.type), 'type'),
          decimalCell(order.quantity, 'quantity'), decimalCell(order.filled_quantity, 'filled-quantity')];
}

// The book an order trades (paper or live), and what the venue knows of it: its id there,
// whether it was placed there outside Bourse (adopted by a reconciliation), a cancel it has
// yet to confirm.
function modeCell(order) {
  const cell = element('td', null, 'mode');
  if (order.mode) cell.append(element('span', label('mode', order.mode), `tag ${order.mode === 'live' ? 'live' : 'paper'}`));
  return cell;
}

function exchangeText(order) {
  const parts = [];
  if (order.exchange_order_id) parts.push(String(order.exchange_order_id));
  if (order.external) parts.push(_('external'));
  if (order.cancel_requested_at && !FINAL_STATUSES.has(order.status)) parts.push(_('cancel requested'));
  return parts.join(' · ');
}

function openOrderRow(order) {
  const tr = element('tr');
  tr.dataset.orderId = String(order.id);
  tr.dataset.status = String(order.status);
  const actions = element('td', null, 'actions-cell');
  // A cancel on its way is not asked for twice.
  if (canCancel(order) && !order.cancel_requested_at)
    actions.append(button(_('Cancel'), fill(_('Cancel {order}'), { order: describeOrder(order) }), 'cancel', (event) => cancelOrder(order, event.currentTarget)));
  tr.append(...orderCells(order), decimalCell(order.price, 'price'), decimalCell(order.stop_price, 'stop-price'),
            element('td', label('order-status', order.status), 'status'), modeCell(order), element('td', exchangeText(order), 'exchange'),
            element('td', userName(order.created_by, order.created_by_name), 'created-by'), actions);
  return tr;
}

function historyRow(order) {
  const tr = element('tr');
  tr.dataset.orderId = String(order.id);
  tr.dataset.status = String(order.status);
  tr.append(...orderCells(order), decimalCell(order.average_price, 'average-price'),
            element('td', label('order-status', order.status), 'status'), modeCell(order), element('td', exchangeText(order), 'exchange'),
            element('td', order.reason ?? '', 'reason'),
            element('td', userName(order.created_by, order.created_by_name), 'created-by'));
  return tr;
}

function renderOrders() {
  const all = [...orders.values()].sort((a, b) => b.id - a.id);
  const open = all.filter((o) => !FINAL_STATUSES.has(o.status));
  fillTable('open-orders', open, openOrderRow);
  fillTable('order-history', all.filter((o) => FINAL_STATUSES.has(o.status)).slice(0, SHOWN_HISTORY), historyRow);
  $('cancel-all-button').hidden = !open.some(canCancel);
  renderFills();
}

function renderFills() {
  const shown = [...fills.values()].sort((a, b) => b.id - a.id).slice(0, SHOWN_FILLS);
  fillTable('fills', shown, (fill) => {
    const tr = element('tr');
    tr.dataset.fillId = String(fill.id);
    tr.append(element('td', time(fill.time)), element('td', fill.symbol, 'symbol'),
              element('td', label('side', fill.side), `side ${String(fill.side).toLowerCase()}`), decimalCell(fill.quantity, 'quantity'),
              decimalCell(fill.price, 'price'), element('td', `${decimal(fill.fee)} ${fill.fee_asset ?? ''}`.trim(), 'number fee'),
              element('td', label('liquidity', fill.liquidity), 'liquidity'));
    return tr;
  });
}

async function cancelOrder(order, node) {
  node.disabled = true;
  const answer = await actShown('DELETE', `/api/v1/orders/${encodeURIComponent(order.id)}`, undefined,
                           $('orders-error'), fill(_('Could not cancel {order}.'), { order: describeOrder(order) }));
  node.disabled = false;
  if (answer.ok && answer.data) orderChanged(answer.data);
  // 409: it was final already; fetch it as it stands.
  else if (answer.status === 409) refreshOrder(order.id).catch(() => {});
}

async function refreshOrder(id) {
  const response = await getResponse(`/api/v1/orders/${encodeURIComponent(id)}`);
  if (response.ok && mounted) orderChanged(await response.json());
}

function openCancelAll() {
  const count = [...orders.values()].filter((o) => !FINAL_STATUSES.has(o.status) && canCancel(o)).length;
  $('cancel-all-summary').textContent = count === 1
    ? _('The open order will be canceled and what it locked released.')
    : fill(_('The {n} open orders will be canceled and what they locked released.'), { n: count });
  $('cancel-all-error').textContent = '';
  $('cancel-all-dialog').showModal();
}

async function submitCancelAll() {
  $('cancel-all-submit').disabled = true;
  const answer = await actShown('DELETE', '/api/v1/orders', undefined, $('cancel-all-error'),
                           _('Could not cancel the open orders.'));
  $('cancel-all-submit').disabled = false;
  if (!answer.ok) return;
  $('cancel-all-dialog').close();
  loadOrders().catch(() => {});
}

/* Round-trip trades */

async function loadTrades() {
  const answer = await fetchShown(`/api/v1/trades?limit=${SHOWN_TRADES}`, $('trades-error'),
                                 _('Could not load the trades.'));
  if (!answer) return;
  for (const trade of listOf(answer)) trades.set(trade.id, trade);
  renderTrades();
}

function tradeChanged(trade) {
  if (typeof trade.id !== 'number') return;
  trades.set(trade.id, trade);
  keepNewest(trades, SHOWN_TRADES, (t) => t.status === 'closed');
  renderTrades();
}

function renderTrades() {
  const shown = [...trades.values()].sort((a, b) => b.id - a.id).slice(0, SHOWN_TRADES);
  fillTable('trades', shown, (trade) => {
    const tr = element('tr');
    tr.dataset.tradeId = String(trade.id);
    tr.dataset.status = String(trade.status);
    tr.append(element('td', time(trade.opened_at)), element('td', trade.symbol, 'symbol'),
              element('td', label('side', trade.side), 'side'), decimalCell(trade.quantity, 'quantity'),
              decimalCell(trade.entry_price, 'entry-price'), decimalCell(trade.exit_price, 'exit-price'),
              pnlCell(trade.net_pnl, 'net-pnl'), decimalCell(trade.fees, 'fees'), element('td', label('trade-status', trade.status), 'status'),
              element('td', trade.exit_reason ?? '', 'exit-reason'), element('td', time(trade.closed_at)));
    return tr;
  });
}

/* The trading state and the kill switch */

async function loadRisk() {
  const answer = await fetchShown('/api/v1/risk/state', $('risk-error'), _('Could not load the trading state.'));
  if (answer) riskChanged(answer);
}

function riskChanged(state) {
  if (typeof state.state !== 'string') return;
  risk = state;
  renderRisk();
}

function protectionText(protection) {
  if (typeof protection !== 'object' || protection === null) return String(protection);
  const parts = [label('protection', protection.kind), protection.symbol,
                 protection.state ? label('trading-state', protection.state) : null, protection.reason];
  if (protection.until) parts.push(fill(_('until {time}'), { time: time(protection.until) }));
  return parts.filter((part) => part !== undefined && part !== null && part !== '').join(' · ');
}

function renderRisk() {
  const state = risk ? risk.state : '';
  $('risk').dataset.state = state;
  $('trading-state').textContent = label('trading-state', state);
  $('risk-reason').textContent = risk && risk.reason ? risk.reason : '';
  $('risk-since').textContent = risk ? time(risk.since) : '—';
  $('risk-until').textContent = risk && risk.until ? time(risk.until) : '—';
  $('risk-set-by').textContent = risk ? userName(risk.set_by) : '—';
  const protections = risk && Array.isArray(risk.protections) ? risk.protections : [];
  $('protections').replaceChildren(...protections.map((p) => element('li', protectionText(p))));
  $('halt-button').hidden = !risk || state === 'HALTED' || !can('risk.halt');
  $('resume-button').hidden = !risk || state === 'ACTIVE' || !can('risk.resume');
}

function openHalt() {
  $('halt-reason').value = '';
  $('halt-cancel-orders').checked = true;
  $('halt-flatten').checked = false;
  $('halt-error').textContent = '';
  $('halt-submit').disabled = false;
  $('halt-dialog').showModal();
  $('halt-reason').focus();
}

async function submitHalt() {
  const reason = $('halt-reason').value.trim();
  if (reason === '') {
    $('halt-error').textContent = _('A reason is required to halt trading.');
    $('halt-reason').focus();
    return;
  }
  $('halt-submit').disabled = true;
  const answer = await actShown('POST', '/api/v1/risk/halt',
                           { reason, cancel_orders: $('halt-cancel-orders').checked, flatten: $('halt-flatten').checked },
                           $('halt-error'), _('Trading was not halted.'));
  $('halt-submit').disabled = false;
  if (!answer.ok) return;
  $('halt-dialog').close();
  if (answer.data) riskChanged(answer.data);
  else loadRisk().catch(() => {});
}

async function resume() {
  $('resume-button').disabled = true;
  const answer = await actShown('POST', '/api/v1/risk/resume', {}, $('risk-error'), _('Trading was not resumed.'));
  $('resume-button').disabled = false;
  if (answer.ok && answer.data) riskChanged(answer.data);
  else if (answer.ok) loadRisk().catch(() => {});
}

/* Order processing: the trading loop the system routes start and stop */

function processingChanged(trading) {
  processing = trading;
  renderProcessing();
}

function renderProcessing() {
  const running = processing ? processing.running === true : null;
  $('order-processing').textContent = running === null ? '—'
    : fill(running ? _('Running ({broker} broker)') : _('Stopped: orders are refused ({broker} broker)'), { broker: processing.broker ?? processing.mode });
  $('order-processing').dataset.running = String(running);
  $('stop-button').hidden = running !== true || !can('system.control');
  $('start-button').hidden = running !== false || !can('system.control');
}

async function setProcessing(action, node) {
  node.disabled = true;
  const answer = await actShown('POST', `/api/v1/system/${action}`, {}, $('risk-error'),
                           action === 'stop' ? _('Order processing did not stop.') : _('Order processing did not start.'));
  node.disabled = false;
  if (answer.ok && answer.data) showStatus(answer.data);
}


/* Live trading: the mode, the exchange's keys, reconciliations (docs/LIVE.md) */

let mode = null;               // "paper" or "live", from the system status
let exchange = null;           // GET /api/v1/exchange
let reconciliationAlert = null; // the last alert of a reconciliation that adopted something

function forgetLive() {
  mode = null;
  exchange = null;
  reconciliationAlert = null;
}

function renderLive() {
  renderMode();
  renderExchange();
  renderReconciliationAlert();
}

function modeChanged(newMode) {
  const was = mode;
  mode = newMode;
  renderMode();
  // The other book's money now: the portfolio and the orders say which.
  if (was !== null && was !== mode) {
    loadPortfolio().catch(() => {});
    if (can('exchange.read')) loadExchange().catch(() => {});
  }
}

function renderMode() {
  $('live-badge').hidden = mode !== 'live';
  $('go-live-button').hidden = mode !== 'paper' || !can('system.live');
  $('go-paper-button').hidden = mode !== 'live' || !can('system.control');
  $('reconcile-button').hidden = mode !== 'live' || !can('system.control');
}

function openLive() {
  $('live-confirm').value = '';
  $('live-error').textContent = '';
  $('live-submit').disabled = true;
  $('live-dialog').showModal();
  $('live-confirm').focus();
}

async function submitLive() {
  const confirm = $('live-confirm').value;
  // Exactly the word, as the server wants it: anything else is not sent.
  if (confirm !== 'LIVE') {
    $('live-error').textContent = _('Type LIVE, in capitals, to confirm.');
    return;
  }
  $('live-submit').disabled = true;
  const answer = await actShown('POST', '/api/v1/system/mode', { mode: 'live', confirm }, $('live-error'),
                           _('Live trading was not switched on.'));
  $('live-submit').disabled = $('live-confirm').value !== 'LIVE';
  if (!answer.ok) return;
  $('live-dialog').close();
  if (answer.data) showStatus(answer.data);
}

async function submitPaper() {
  $('paper-submit').disabled = true;
  const answer = await actShown('POST', '/api/v1/system/mode', { mode: 'paper' }, $('paper-error'),
                           _('Paper trading was not switched back on.'));
  $('paper-submit').disabled = false;
  if (!answer.ok) return;
  $('paper-dialog').close();
  if (answer.data) showStatus(answer.data);
}

async function reconcileNow(node) {
  node.disabled = true;
  const answer = await actShown('POST', '/api/v1/system/reconcile', {}, $('system-error'), _('Could not reconcile.'));
  node.disabled = false;
  if (answer.ok && answer.data) showReconciliation(answer.data);
}

async function loadExchange() {
  const answer = await fetchShown('/api/v1/exchange', $('exchange-error'), _('Could not load the exchange.'));
  if (!answer) return;
  exchange = answer;
  renderExchange();
}

function checkText(keys) {
  if (!keys.passed && keys.problem) return keys.problem;
  if (!keys.checked_at) return _('Not checked yet');
  const parts = [keys.can_trade ? _('Can trade') : _('Cannot trade'), keys.can_withdraw ? _('can withdraw') : _('cannot withdraw')];
  if (keys.account_type) parts.push(fill(_('{type} account'), { type: keys.account_type }));
  parts.push(fill(_('checked {time}'), { time: time(keys.checked_at) }));
  return parts.join(' · ');
}

function renderExchange() {
  const shown = mounted && can('exchange.read');
  $('exchange-section').hidden = !shown;
  const e = exchange || {};
  const keys = e.keys || {};
  $('exchange-network').textContent = exchange ? (e.testnet ? _('Testnet') : _('Main net: real money')) : '—';
  $('exchange-network').dataset.testnet = String(e.testnet === true);
  $('exchange-base-url').textContent = e.base_url || '—';
  $('exchange-keys').textContent = !exchange ? '—'
    : keys.present ? fill(_('{kind} key {hint}'), { kind: keys.kind === 'ed25519' ? 'Ed25519' : 'HMAC', hint: keys.api_key_hint ?? '' }).trim()
      : _('None stored: live trading is not possible');
  $('exchange-check').textContent = keys.present ? checkText(keys) : '—';
  $('exchange-check').dataset.passed = String(keys.passed === true);
  const last = e.last_reconciliation;
  $('exchange-reconciliation').textContent = last
    ? fill(ngettext('{time}: {outcome}, {n} difference', '{time}: {outcome}, {n} differences', last.differences), {
      time: time(last.finished_at || last.started_at), outcome: label('reconciliation-outcome', last.outcome), n: last.differences })
    : '—';
  const mayChange = shown && can('exchange.keys');
  $('keys-form').hidden = !mayChange;
  $('keys-check-button').hidden = !mayChange || !keys.present;
  $('keys-remove-button').hidden = !mayChange || !keys.present;
}

async function saveKeys() {
  const body = { api_key: $('keys-api-key').value.trim(), secret: $('keys-secret').value.trim() };
  if (body.api_key === '' || body.secret === '') {
    $('keys-error').textContent = _('Enter the API key and its secret.');
    return;
  }
  $('keys-save').disabled = true;
  const answer = await actShown('PUT', '/api/v1/exchange/keys', body, $('keys-error'), _('The keys were not saved.'));
  $('keys-save').disabled = false;
  if (!answer.ok) return;
  // The secret leaves the page as soon as the server has it.
  $('keys-api-key').value = '';
  $('keys-secret').value = '';
  if (answer.data && answer.data.keys) {
    exchange = answer.data;
    renderExchange();
  } else loadExchange().catch(() => {});
}

async function checkKeys(node) {
  node.disabled = true;
  const answer = await actShown('POST', '/api/v1/exchange/keys/check', {}, $('exchange-error'), _('The keys were not checked.'));
  node.disabled = false;
  if (answer.ok && answer.data && answer.data.keys) {
    exchange = answer.data;
    renderExchange();
  } else loadExchange().catch(() => {});
}

async function removeKeys() {
  $('remove-keys-submit').disabled = true;
  const answer = await actShown('DELETE', '/api/v1/exchange/keys', undefined, $('remove-keys-error'),
                           _('The keys were not removed.'));
  $('remove-keys-submit').disabled = false;
  if (!answer.ok) return;
  $('remove-keys-dialog').close();
  loadExchange().catch(() => {});
}

function alertArrived(alert) {
  if (alert.kind !== 'reconciliation' || !(alert.differences > 0)) return;
  reconciliationAlert = alert;
  renderReconciliationAlert();
  if (can('exchange.read')) loadExchange().catch(() => {});
}

function renderReconciliationAlert() {
  const alert = reconciliationAlert;
  $('reconciliation-alert').hidden = !alert;
  $('reconciliation-alert-text').textContent = alert
    ? fill(ngettext('Reconciliation with the exchange adopted {n} difference.', 'Reconciliation with the exchange adopted {n} differences.', alert.differences), { n: alert.differences })
    : '';
}

async function showLatestReconciliation() {
  const answer = await fetchShown('/api/v1/system/reconciliations?limit=1', $('system-error'),
                                 _('Could not load the reconciliation.'));
  const [latest] = listOf(answer);
  if (latest) showReconciliation(latest);
}

function reconciliationItem(kind, text) {
  const li = element('li', text, kind);
  return li;
}

function showReconciliation(rec) {
  const differences = rec.differences ?? 0;
  $('reconciliation-title').textContent = fill(ngettext('Reconciliation: {n} difference', 'Reconciliation: {n} differences', differences), { n: differences });
  $('reconciliation-summary').textContent = rec.outcome === 'failed'
    ? fill(_('Run {time} ({trigger}). It failed: {error}'), { time: time(rec.finished_at || rec.started_at), trigger: label('reconciliation-trigger', rec.trigger), error: rec.error ?? '—' })
    : fill(_('Run {time} ({trigger}). The ledger now follows the exchange.'), { time: time(rec.finished_at || rec.started_at), trigger: label('reconciliation-trigger', rec.trigger) });
  /* Translators: an order a reconciliation adopted or updated: "Adopted: Buy 0.01 BTCUSDT Limit" */
  const orderText = (what, o) => fill(_('{what}: {side} {quantity} {symbol} {type}'),
    { what, side: label('side', o.side), quantity: decimal(o.quantity), symbol: o.symbol, type: label('order-type', o.type) }) +
    `${o.price ? ` ${decimal(o.price)}` : ''} · ${fill(_('exchange order {id}'), { id: o.exchange_order_id ?? '—' })} · ${label('order-status', o.status)}` +
    `${o.external ? ` · ${_('external')}` : ''}`;
  const items = [
    ...(rec.adopted_orders || []).map((o) => reconciliationItem('adopted', orderText(_('Adopted'), o))),
    ...(rec.updated_orders || []).map((o) => reconciliationItem('updated', orderText(_('Updated'), o))),
    ...(rec.fills || []).map((f) => reconciliationItem('fill',
      fill(_('Fill: {side} {quantity} {symbol} at {price}'), { side: label('side', f.side), quantity: decimal(f.quantity), symbol: f.symbol, price: decimal(f.price) }))),
    ...(rec.balances || []).map((b) => reconciliationItem('balance',
      fill(_('{asset}: ledger {free} free, {locked} locked → exchange {exchange_free} free, {exchange_locked} locked'), {
        asset: b.asset, free: decimal(b.ledger_free), locked: decimal(b.ledger_locked),
        exchange_free: decimal(b.exchange_free), exchange_locked: decimal(b.exchange_locked) }))),
  ];
  if (items.length === 0) items.push(reconciliationItem('empty', _('Nothing to adopt: the exchange and the ledger agreed.')));
  $('reconciliation-items').replaceChildren(...items);
  $('reconciliation-error').textContent = '';
  if (!$('reconciliation-dialog').open) $('reconciliation-dialog').showModal();
}


// The page's controls, wired once its markup is in.
function wire() {
  $('cancel-all-button').addEventListener('click', openCancelAll);
  $('cancel-all-form').addEventListener('submit', (event) => {
    event.preventDefault();
    submitCancelAll();
  });
  $('cancel-all-back').addEventListener('click', () => $('cancel-all-dialog').close());

  $('stop-button').addEventListener('click', (event) => setProcessing('stop', event.currentTarget));
  $('start-button').addEventListener('click', (event) => setProcessing('start', event.currentTarget));
  $('halt-button').addEventListener('click', openHalt);
  $('resume-button').addEventListener('click', resume);
  $('halt-form').addEventListener('submit', (event) => {
    event.preventDefault();
    submitHalt();
  });
  $('halt-cancel').addEventListener('click', () => $('halt-dialog').close());

  $('go-live-button').addEventListener('click', openLive);
  $('live-confirm').addEventListener('input', () => {
    $('live-submit').disabled = $('live-confirm').value !== 'LIVE';
  });
  $('live-form').addEventListener('submit', (event) => {
    event.preventDefault();
    submitLive();
  });
  $('live-cancel').addEventListener('click', () => $('live-dialog').close());
  $('go-paper-button').addEventListener('click', () => {
    $('paper-error').textContent = '';
    $('paper-submit').disabled = false;
    $('paper-dialog').showModal();
  });
  $('paper-form').addEventListener('submit', (event) => {
    event.preventDefault();
    submitPaper();
  });
  $('paper-cancel').addEventListener('click', () => $('paper-dialog').close());
  $('reconcile-button').addEventListener('click', (event) => reconcileNow(event.currentTarget));
  $('keys-form').addEventListener('submit', (event) => {
    event.preventDefault();
    saveKeys();
  });
  $('keys-check-button').addEventListener('click', (event) => checkKeys(event.currentTarget));
  $('keys-remove-button').addEventListener('click', () => {
    $('remove-keys-error').textContent = '';
    $('remove-keys-dialog').showModal();
  });
  $('remove-keys-form').addEventListener('submit', (event) => {
    event.preventDefault();
    removeKeys();
  });
  $('remove-keys-cancel').addEventListener('click', () => $('remove-keys-dialog').close());
  $('reconciliation-show').addEventListener('click', () => {
    reconciliationAlert = null;
    renderReconciliationAlert();
    showLatestReconciliation().catch(() => {});
  });
  $('reconciliation-dismiss').addEventListener('click', () => {
    reconciliationAlert = null;
    renderReconciliationAlert();
  });

}

// What the page shows, read again over REST (at mount, at each reconnection, after a gap).
async function refresh() {
  const status = can('system.read') ? fetchShown('/api/v1/system/status', $('system-error'), _('Could not load the status.')) : null;
  await Promise.all([
    Promise.resolve(status).then((answer) => { if (answer && mounted) showStatus(answer); }),
    loadTrading(),
    can('exchange.read') ? loadExchange() : null,
  ]);
}

function render() {
  if (!mounted) return;
  renderTrading();
  renderLive();
}


export default {
  id: 'trading',
  title: _('Trading'),
  permission: 'portfolio.read',
  mount(root) {
    root.innerHTML = markup;
    mounted = true;
    wire();
    const topics = { system: showStatus, risk: riskChanged, portfolio: portfolioChanged,
                     positions: positionsChanged, balances: balancesChanged, orders: orderChanged,
                     fills: fillArrived, trades: tradeChanged, alerts: alertArrived };
    const off = Object.entries(topics).map(([topic, fn]) => live.subscribe(topic, ifShown(fn)));
    off.push(live.onResync(() => (mounted ? refresh() : null)));
    off.push(session.onChange(() => {
      render();
      if (mounted && can('exchange.read') && !exchange) loadExchange().catch(() => {});
    }));
    render();
    return () => {
      for (const fn of off) fn();
      for (const dialog of root.querySelectorAll('dialog')) if (dialog.open) dialog.close();
      mounted = false;
      forgetTrading();
      forgetLive();
      $('paper-badge').hidden = true;
      $('live-badge').hidden = true;
    };
  },
};
