// app.js — Bourse web console: signs in, then follows the engine over the REST + WebSocket API.
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const $ = (id) => document.getElementById(id);

// The access token lives for this tab only; a new tab signs in again.
let token = sessionStorage.getItem('bourse.token');
let socket = null;
let retryDelay = 500;
let firstLoad = null;          // what start() reads over REST before the socket opens
const lastSeq = new Map();
let me = null;                 // GET /api/v1/users/me: who is signed in
// GET /api/v1/permissions: what the server's matrix lets the caller do. The page shows
// buttons from it, never from role names of its own; the server checks again anyway.
let permissions = new Set();
let view = 'trading';          // the view shown: 'trading', 'backtests', 'settings' or 'logs' (the address's fragment)
const approvals = new Map();   // id → Approval, as the server last described it
let deciding = null;           // { approval, action } while the reason dialog is open
const STATUS_ORDER = { pending: 0, approved: 1, rejected: 1, expired: 1 };
const SECTIONS = ['risk-section', 'portfolio-section', 'orders-section', 'trades-section',
                  'approvals-section', 'system-section'];
// Each topic, its own subscription: one the server does not know fails alone.
// alerts are for those the server lets read them: for others it refuses that one alone.
// backtests carries the backtests as they are created, end and are noted; jobs their progress;
// config the settings' changes (administrators). logs is followed only while its view shows.
const TOPICS = ['system', 'approvals', 'risk', 'portfolio', 'positions', 'balances', 'orders',
                'fills', 'trades', 'alerts', 'backtests', 'jobs', 'config'];

function formatUptime(seconds) {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d > 0) return `${d} d ${h} h ${m} min`;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
  return `${s} s`;
}

function showStatus(status) {
  $('engine-state').textContent = status.engine.state;
  $('engine-state').dataset.state = status.engine.state;
  $('engine-uptime').textContent = formatUptime(status.engine.uptime_seconds);
  $('server-url').textContent = status.server.url + (status.server.tls ? ' (TLS)' : '');
  $('websocket-clients').textContent = String(status.server.websocket_clients);
  $('database').textContent = status.database.ok
    ? `schema ${status.database.schema_version}` : `error: ${status.database.error}`;
  $('mode').textContent = status.mode;
  $('version').textContent = status.version;
  if (status.trading) processingChanged(status.trading);
  if (typeof status.mode === 'string') modeChanged(status.mode);
}

function setConnection(state, text) {
  $('connection').dataset.state = state;
  $('connection').textContent = text;
}

function showSignIn(message) {
  token = null;
  sessionStorage.removeItem('bourse.token');
  if (socket) socket.close();
  for (const dialog of document.querySelectorAll('dialog')) if (dialog.open) dialog.close();
  approvals.clear();
  forgetTrading();
  forgetLive();
  forgetBacktests();
  me = null;
  permissions = new Set();
  forgetOperations();
  // Nothing of the last account stays on the page for the next one.
  renderView();
  renderApprovals();
  renderTrading();
  renderLive();
  renderBacktests();
  delete document.querySelector('main').dataset.role;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message || '';
  setConnection('error', 'Signed out');
}

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers);
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (response.status === 401 && token) {
    showSignIn('Your session has ended: sign in again.');
    throw new Error('unauthenticated');
  }
  return response;
}

function connect() {
  if (!token) return;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  socket = new WebSocket(`${scheme}//${location.host}/api/v1/ws?token=${encodeURIComponent(token)}`);

  socket.addEventListener('open', () => {
    retryDelay = 500;
    setConnection('connected', 'Live');
    for (const topic of TOPICS) socket.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
    logsSubscribed = false;
    followLogs();
    // What changed while the socket was down arrives over REST, the permissions too. Once it
    // has, the page is in step with the server (main[data-sync], for styling and the tests).
    const main = document.querySelector('main');
    main.dataset.sync = 'syncing';
    Promise.all([firstLoad, loadMe(), loadApprovals(), loadTrading(), loadBacktestsView()])
      .then(() => { if (token) main.dataset.sync = 'live'; }, () => {});
  });
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    // The tail is followed once the server says so (logs-section[data-following], for the tests).
    if (message.type === 'subscribed' && Array.isArray(message.topics) && message.topics.includes('logs'))
      $('logs-section').dataset.following = String(logsSubscribed);
    if (message.type !== 'event') return;
    const previous = lastSeq.get(message.topic);
    // A gap in seq means we missed events: fetch the state again over REST (for the logs,
    // their newest page: the other lists did not move).
    if (previous !== undefined && message.seq > previous + 1) {
      if (message.topic === 'logs') loadLogs().catch(() => {});
      else refresh();
    }
    lastSeq.set(message.topic, message.seq);
    const handler = TOPIC_HANDLERS[message.topic];
    if (handler && message.data) handler(message.data, message);
  });
  socket.addEventListener('close', () => {
    delete document.querySelector('main').dataset.sync;
    logsSubscribed = false;
    delete $('logs-section').dataset.following;
    if (!token) return;
    setConnection('reconnecting', 'Reconnecting…');
    setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 10000);
  });
}

async function refresh() {
  const response = await api('/api/v1/system/status');
  if (response.ok) showStatus(await response.json());
  await Promise.all([loadApprovals(), loadTrading(), loadBacktestsView(), loadOperations(),
                     can('exchange.read') ? loadExchange() : null]);
}

/* Helpers {{{ */

// An application/problem+json answer, parsed, or null when it is not JSON.
async function readProblem(response) {
  try {
    return await response.json();
  } catch (error) {
    return null;   // Not JSON: the status says what there is to say.
  }
}

// A problem's text, in the server's words. A 422 names the fields it refused, and each is said
// with its message; other refusals say their detail, and messages that add to it.
function problemText(problem, status, fallback) {
  const head = (problem && (problem.detail || problem.title)) || `${fallback} (HTTP ${status})`;
  const errors = problemErrors(problem);
  const said = (e) => (e.field ? `${e.field}: ${e.message}` : String(e.message));
  if (status === 422 && errors.length > 0) {
    const fields = errors.map(said).join('; ');
    return errors.some((e) => e.message === head) ? fields : `${head} (${fields})`;
  }
  const more = errors.filter((e) => e.message !== head).map(said);
  return more.length ? `${head} (${more.join('; ')})` : head;
}

function problemErrors(problem) {
  return (problem && Array.isArray(problem.errors) ? problem.errors : []).filter((e) => e && e.message);
}

// GETs `path`: its JSON, or null after showing the server's refusal in `errorNode`.
async function fetchJson(path, errorNode, fallback) {
  const response = await api(path);
  if (!response.ok) {
    errorNode.textContent = problemText(await readProblem(response), response.status, fallback);
    return null;
  }
  errorNode.textContent = '';
  return response.json();
}

// Sends an action. Resolves with { ok, status, data, problem }; a refusal is shown in
// `errorNode`, in the server's words. The body is JSON, or text as it is with a `contentType`.
async function act(method, path, body, errorNode, fallback, contentType) {
  errorNode.textContent = '';
  const options = { method };
  if (body !== undefined) {
    options.headers = { 'Content-Type': contentType || 'application/json' };
    options.body = contentType ? body : JSON.stringify(body);
  }
  try {
    const response = await api(path, options);
    if (!response.ok) {
      const problem = await readProblem(response);
      errorNode.textContent = problemText(problem, response.status, fallback);
      return { ok: false, status: response.status, data: null, problem };
    }
    const text = await response.text();
    return { ok: true, status: response.status, data: text ? JSON.parse(text) : null };
  } catch (error) {
    if (error.message !== 'unauthenticated')
      errorNode.textContent = `Could not reach the server: ${error.message}`;
    return { ok: false, status: 0, data: null };
  }
}

function listOf(answer) {
  if (Array.isArray(answer)) return answer;
  return answer && Array.isArray(answer.items) ? answer.items : [];
}

function can(permission) {
  return permissions.has(permission);
}

function formatTime(text) {
  if (text === null || text === undefined || text === '') return '—';
  const when = new Date(text);
  return Number.isNaN(when.getTime()) ? String(text) : when.toLocaleString();
}

// The API's decimal strings are shown as they are, less trailing zeros ("60000.50000000" →
// "60000.5"); money is never turned into a JS number here.
function formatDecimal(text) {
  if (text === null || text === undefined) return '—';
  const match = /^([-+]?\d+)\.(\d*?)0*$/.exec(String(text));
  if (!match) return String(text);
  return match[2] ? `${match[1]}.${match[2]}` : match[1];
}

// "positive", "negative" or "zero", read from the decimal string itself.
function signOf(text) {
  const value = String(text ?? '');
  if (!/^[-+]?\d*\.?\d*$/.test(value) || /^[-+]?[0.]*$/.test(value)) return 'zero';
  return value.startsWith('-') ? 'negative' : 'positive';
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function decimalCell(text, className) {
  return element('td', formatDecimal(text), `number ${className}`);
}

// A profit or a loss, coloured by its sign.
function pnlCell(text, className) {
  const node = decimalCell(text, className);
  node.dataset.sign = signOf(text);
  return node;
}

function button(label, ariaLabel, className, onClick) {
  const node = element('button', label, className);
  node.type = 'button';
  if (ariaLabel) node.setAttribute('aria-label', ariaLabel);
  node.addEventListener('click', onClick);
  return node;
}

// Who did something: the name the server gave, "You", or the account's number.
function userName(id, name) {
  if (name) return name;
  if (id === null || id === undefined) return '—';
  // The trading state's set_by: "user:<id>", or "system" for a protection.
  const user = typeof id === 'string' ? /^user:(\d+)$/.exec(id) : null;
  if (user) id = Number(user[1]);
  else if (typeof id === 'string') return id === 'system' ? 'System' : id;
  if (me && me.id === id) return 'You';
  return `User #${id}`;
}

// Fills the table's body with a row per item, or shows its "empty" note instead.
// A row whose record (and the caller's rights) did not change is kept as it is, so a
// button under the pointer stays put while other rows come and go: a table rebuilt at every
// event would pull the Cancel button from under a click.
function fillTable(id, items, row) {
  const body = $(id).tBodies[0];
  const context = `${me ? me.id : ''}|${[...permissions].sort().join(',')}`;
  const kept = new Map([...body.rows].map((tr) => [tr.dataset.signature, tr]));
  const rows = items.map((item) => {
    const signature = `${JSON.stringify(item)}|${context}`;
    const old = kept.get(signature);
    if (old) {
      kept.delete(signature);
      return old;
    }
    const tr = row(item);
    tr.dataset.signature = signature;
    return tr;
  });
  if (rows.length !== body.rows.length || rows.some((tr, i) => tr !== body.rows[i]))
    body.replaceChildren(...rows);
  $(id).hidden = items.length === 0;
  const empty = $(`${id}-empty`);
  if (empty) empty.hidden = items.length > 0;
}

// Forgets all but the `count` newest records of `map` (id → record) that `done` says may go,
// so that a page left open for days holds what it shows and no more.
function keepNewest(map, count, done = () => true) {
  const finished = [...map.values()].filter(done).sort((a, b) => b.id - a.id);
  for (const record of finished.slice(count)) map.delete(record.id);
}

// Keeps the newer of two versions of a record, by updated_at when both have one.
function newer(known, incoming) {
  if (!known || !known.updated_at || !incoming.updated_at) return incoming;
  return Date.parse(known.updated_at) > Date.parse(incoming.updated_at) ? known : incoming;
}

/* }}} */

/* The approval desk {{{ */

async function loadMe() {
  const [meResponse, permissionsResponse] = await Promise.all([
    api('/api/v1/users/me'), api('/api/v1/permissions'),
  ]);
  if (meResponse.ok) me = await meResponse.json();
  let role = '';
  if (permissionsResponse.ok) {
    const answer = await permissionsResponse.json();
    permissions = new Set(Array.isArray(answer.permissions) ? answer.permissions : []);
    role = answer.role || '';
  }
  // The role is on the page for styling and for the tests to wait on, once the
  // permissions are known.
  document.querySelector('main').dataset.role = role;
  renderApprovals();
  renderTrading();
  renderLive();
  renderBacktests();
  renderOperations();
  // A view the address names may need permissions only now known.
  renderView();
  await Promise.all([can('exchange.read') ? loadExchange() : null, loadOperations()]);
}

async function loadApprovals() {
  const answer = await fetchJson('/api/v1/approvals?status=pending', $('approvals-error'),
                                 'Could not load the approvals.');
  if (!answer) return;
  const items = listOf(answer);
  // Pending ones no longer listed were decided elsewhere while we were away: drop them,
  // the decided ones seen here stay for the record.
  const listed = new Set(items.map((a) => a.id));
  for (const [id, approval] of approvals)
    if (approval.status === 'pending' && !listed.has(id)) approvals.delete(id);
  for (const approval of items) approvals.set(approval.id, approval);
  renderApprovals();
}

function upsertApproval(approval) {
  if (!approval || typeof approval.id !== 'number') return;
  approvals.set(approval.id, approval);
  renderApprovals();
}

function requester(approval) {
  if (approval.requested_by !== null && approval.requested_by !== undefined) {
    if (me && me.id === approval.requested_by) return 'You';
    return `User #${approval.requested_by}`;
  }
  const origin = approval.recommendation && approval.recommendation.origin;
  if (origin === 'webhook') return 'Webhook';
  if (origin === 'live') return 'Engine (live strategy)';
  return 'Desktop owner';
}

function approvalItem(approval) {
  const rec = approval.recommendation || {};
  const li = element('li', null, 'approval');
  li.dataset.approvalId = String(approval.id);
  li.dataset.status = approval.status;

  const heading = element('h3');
  heading.append(element('span', rec.symbol, 'symbol'), ' ');
  heading.append(element('span', rec.decision, `decision ${String(rec.decision).toLowerCase()}`), ' ');
  heading.append(element('span', `${rec.interval ?? ''} · ${rec.strategy ?? ''}`, 'dim'), ' ');
  heading.append(element('span', approval.status, 'status'));
  li.append(heading);

  const facts = element('dl');
  const fact = (name, value, className) => {
    facts.append(element('dt', name), element('dd', value ?? '—', className));
  };
  fact('Entry', rec.entry, 'entry');
  fact('Stop loss', rec.stop_loss, 'stop-loss');
  fact('Take profit', rec.take_profit, 'take-profit');
  fact('Confidence', typeof rec.confidence === 'number' ? `${Math.round(rec.confidence * 100)} %` : rec.confidence, 'confidence');
  fact('Reason', rec.reason, 'model-reason');
  fact('Asked by', requester(approval), 'requested-by');
  fact('Asked at', formatTime(approval.created_at), 'created-at');
  if (approval.status === 'pending') {
    fact('Expires', formatTime(approval.expires_at), 'expires-at');
  } else {
    fact('Decided at', approval.decided_at ? formatTime(approval.decided_at) : '—', 'decided-at');
    fact('Decision reason', approval.reason, 'decision-reason');
  }
  li.append(facts);

  if (approval.status === 'pending' && can('approvals.decide')) {
    const actions = element('div', null, 'actions');
    const what = `${rec.decision} ${rec.symbol} (approval ${approval.id})`;
    actions.append(
      button('Approve', `Approve ${what}`, 'approve', () => openDecision(approval.id, 'approve')),
      button('Reject', `Reject ${what}`, 'reject', () => openDecision(approval.id, 'reject')));
    li.append(actions);
  }
  return li;
}

function renderApprovals() {
  const sorted = [...approvals.values()].sort((a, b) =>
    (STATUS_ORDER[a.status] ?? 1) - (STATUS_ORDER[b.status] ?? 1) || b.id - a.id);
  $('approvals').replaceChildren(...sorted.map(approvalItem));
  $('approvals-empty').hidden = sorted.some((a) => a.status === 'pending');
}

function openDecision(id, action) {
  const approval = approvals.get(id);
  if (!approval) return;
  const rec = approval.recommendation || {};
  deciding = { id, action };
  const verb = action === 'approve' ? 'Approve' : 'Reject';
  $('decide-title').textContent = `${verb} ${rec.decision} ${rec.symbol}`;
  $('decide-summary').textContent =
    `Entry ${rec.entry ?? '—'}, stop loss ${rec.stop_loss ?? '—'}, take profit ${rec.take_profit ?? '—'}.`;
  $('decide-reason').value = '';
  $('decide-reason').required = action === 'reject';
  $('decide-reason').setAttribute('aria-required', action === 'reject' ? 'true' : 'false');
  $('decide-reason').placeholder = action === 'reject' ? 'Required' : 'Optional';
  $('decide-error').textContent = '';
  $('decide-submit').textContent = verb;
  $('decide-submit').disabled = false;
  $('decide-dialog').showModal();
  $('decide-reason').focus();
}

async function submitDecision() {
  if (!deciding) return;
  const { id, action } = deciding;
  const reason = $('decide-reason').value.trim();
  if (action === 'reject' && reason === '') {
    $('decide-error').textContent = 'A reason is required to reject.';
    $('decide-reason').focus();
    return;
  }
  const body = reason === '' ? {} : { reason };
  $('decide-submit').disabled = true;
  const answer = await act('POST', `/api/v1/approvals/${encodeURIComponent(id)}/${action}`, body,
                           $('decide-error'), 'The decision was refused.');
  $('decide-submit').disabled = false;
  // 409: decided elsewhere or expired; 403: four eyes; 422: the reason. act() said so, in the
  // server's words: show the approval as it now stands.
  if (answer.status === 409) fetchApproval(id).catch(() => {});
  if (!answer.ok) return;
  upsertApproval(answer.data);
  deciding = null;
  $('decide-dialog').close();
}

async function fetchApproval(id) {
  const response = await api(`/api/v1/approvals/${encodeURIComponent(id)}`);
  if (response.ok) upsertApproval(await response.json());
}

$('decide-form').addEventListener('submit', (event) => {
  event.preventDefault();
  submitDecision();
});
$('decide-cancel').addEventListener('click', () => {
  deciding = null;
  $('decide-dialog').close();
});
$('decide-dialog').addEventListener('close', () => { deciding = null; });

/* }}} */

/* Portfolio, orders, trades and the trading state {{{ */

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
  const answer = await fetchJson('/api/v1/portfolio', $('portfolio-error'), 'Could not load the portfolio.');
  if (!answer) return;
  portfolio = answer;
  renderPortfolio();
}

async function loadEquity() {
  const answer = await fetchJson('/api/v1/portfolio/equity', $('portfolio-error'),
                                 'Could not load the equity curve.');
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
  return formatDecimal(drawdown);
}

function setFigure(id, text, sign) {
  $(id).textContent = text;
  if (sign) $(id).dataset.sign = sign;
}

function renderPortfolio() {
  const p = portfolio || {};   // nothing known yet, or signed out: dashes, empty tables
  $('paper-badge').hidden = p.mode !== 'paper';
  const amount = (text) => (text === undefined || text === null ? '—'
    : `${formatDecimal(text)}${p.currency ? ` ${p.currency}` : ''}`);
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
              pnlCell(position.realized_pnl, 'realized-pnl'), element('td', formatTime(position.opened_at)));
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
      ? `Equity ${formatDecimal(points[0].equity)} at ${formatTime(points[0].time)}.`
      : 'Equity: no snapshots yet.';
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
    `Equity from ${formatTime(points[0].time)} to ${formatTime(last.time)}: ` +
    `low ${formatDecimal(points[low].equity)}, high ${formatDecimal(points[high].equity)}, ` +
    `now ${formatDecimal(last.equity)}.`;
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
    fetchJson('/api/v1/orders?status=open&limit=200', error, 'Could not load the open orders.'),
    fetchJson(`/api/v1/orders?status=closed&limit=${SHOWN_HISTORY}`, error, 'Could not load the order history.'),
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
  const answer = await fetchJson(`/api/v1/fills?limit=${SHOWN_FILLS}`, $('orders-error'), 'Could not load the fills.');
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
  return can('orders.write') && (can('orders.manage') || (me !== null && order.created_by === me.id));
}

function describeOrder(order) {
  return `${order.side} ${formatDecimal(order.quantity)} ${order.symbol} (order ${order.id})`;
}

function orderCells(order) {
  const sideClass = `side ${String(order.side).toLowerCase()}`;
  return [element('td', formatTime(order.created_at), 'created-at'), element('td', order.symbol, 'symbol'),
          element('td', order.side, sideClass), element('td', order.type, 'type'),
          decimalCell(order.quantity, 'quantity'), decimalCell(order.filled_quantity, 'filled-quantity')];
}

// The book an order trades (paper or live), and what the venue knows of it: its id there,
// whether it was placed there outside Bourse (adopted by a reconciliation), a cancel it has
// yet to confirm.
function modeCell(order) {
  const cell = element('td', null, 'mode');
  if (order.mode) cell.append(element('span', order.mode === 'live' ? 'Live' : 'Paper', `tag ${order.mode === 'live' ? 'live' : 'paper'}`));
  return cell;
}

function exchangeText(order) {
  const parts = [];
  if (order.exchange_order_id) parts.push(String(order.exchange_order_id));
  if (order.external) parts.push('external');
  if (order.cancel_requested_at && !FINAL_STATUSES.has(order.status)) parts.push('cancel requested');
  return parts.join(' · ');
}

function openOrderRow(order) {
  const tr = element('tr');
  tr.dataset.orderId = String(order.id);
  tr.dataset.status = String(order.status);
  const actions = element('td', null, 'actions-cell');
  // A cancel on its way is not asked for twice.
  if (canCancel(order) && !order.cancel_requested_at)
    actions.append(button('Cancel', `Cancel ${describeOrder(order)}`, 'cancel', (event) => cancelOrder(order, event.currentTarget)));
  tr.append(...orderCells(order), decimalCell(order.price, 'price'), decimalCell(order.stop_price, 'stop-price'),
            element('td', order.status, 'status'), modeCell(order), element('td', exchangeText(order), 'exchange'),
            element('td', userName(order.created_by, order.created_by_name), 'created-by'), actions);
  return tr;
}

function historyRow(order) {
  const tr = element('tr');
  tr.dataset.orderId = String(order.id);
  tr.dataset.status = String(order.status);
  tr.append(...orderCells(order), decimalCell(order.average_price, 'average-price'),
            element('td', order.status, 'status'), modeCell(order), element('td', exchangeText(order), 'exchange'),
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
    tr.append(element('td', formatTime(fill.time)), element('td', fill.symbol, 'symbol'),
              element('td', fill.side, `side ${String(fill.side).toLowerCase()}`), decimalCell(fill.quantity, 'quantity'),
              decimalCell(fill.price, 'price'), element('td', `${formatDecimal(fill.fee)} ${fill.fee_asset ?? ''}`.trim(), 'number fee'),
              element('td', fill.liquidity, 'liquidity'));
    return tr;
  });
}

async function cancelOrder(order, node) {
  node.disabled = true;
  const answer = await act('DELETE', `/api/v1/orders/${encodeURIComponent(order.id)}`, undefined,
                           $('orders-error'), `Could not cancel ${describeOrder(order)}.`);
  node.disabled = false;
  if (answer.ok && answer.data) orderChanged(answer.data);
  // 409: it was final already; fetch it as it stands.
  else if (answer.status === 409) refreshOrder(order.id).catch(() => {});
}

async function refreshOrder(id) {
  const response = await api(`/api/v1/orders/${encodeURIComponent(id)}`);
  if (response.ok) orderChanged(await response.json());
}

function openCancelAll() {
  const count = [...orders.values()].filter((o) => !FINAL_STATUSES.has(o.status) && canCancel(o)).length;
  $('cancel-all-summary').textContent = count === 1
    ? 'The open order will be canceled and what it locked released.'
    : `The ${count} open orders will be canceled and what they locked released.`;
  $('cancel-all-error').textContent = '';
  $('cancel-all-dialog').showModal();
}

async function submitCancelAll() {
  $('cancel-all-submit').disabled = true;
  const answer = await act('DELETE', '/api/v1/orders', undefined, $('cancel-all-error'),
                           'Could not cancel the open orders.');
  $('cancel-all-submit').disabled = false;
  if (!answer.ok) return;
  $('cancel-all-dialog').close();
  loadOrders().catch(() => {});
}

$('cancel-all-button').addEventListener('click', openCancelAll);
$('cancel-all-form').addEventListener('submit', (event) => {
  event.preventDefault();
  submitCancelAll();
});
$('cancel-all-back').addEventListener('click', () => $('cancel-all-dialog').close());

/* Round-trip trades */

async function loadTrades() {
  const answer = await fetchJson(`/api/v1/trades?limit=${SHOWN_TRADES}`, $('trades-error'),
                                 'Could not load the trades.');
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
    tr.append(element('td', formatTime(trade.opened_at)), element('td', trade.symbol, 'symbol'),
              element('td', trade.side, 'side'), decimalCell(trade.quantity, 'quantity'),
              decimalCell(trade.entry_price, 'entry-price'), decimalCell(trade.exit_price, 'exit-price'),
              pnlCell(trade.net_pnl, 'net-pnl'), decimalCell(trade.fees, 'fees'), element('td', trade.status, 'status'),
              element('td', trade.exit_reason ?? '', 'exit-reason'), element('td', formatTime(trade.closed_at)));
    return tr;
  });
}

/* The trading state and the kill switch */

async function loadRisk() {
  const answer = await fetchJson('/api/v1/risk/state', $('risk-error'), 'Could not load the trading state.');
  if (answer) riskChanged(answer);
}

function riskChanged(state) {
  if (typeof state.state !== 'string') return;
  risk = state;
  renderRisk();
}

function protectionText(protection) {
  if (typeof protection !== 'object' || protection === null) return String(protection);
  const parts = [protection.kind, protection.symbol, protection.state, protection.reason];
  if (protection.until) parts.push(`until ${formatTime(protection.until)}`);
  return parts.filter((part) => part !== undefined && part !== null && part !== '').join(' · ');
}

function renderRisk() {
  const state = risk ? risk.state : '';
  $('risk').dataset.state = state;
  $('trading-state').textContent = state || '—';
  $('risk-reason').textContent = risk && risk.reason ? risk.reason : '';
  $('risk-since').textContent = risk ? formatTime(risk.since) : '—';
  $('risk-until').textContent = risk && risk.until ? formatTime(risk.until) : '—';
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
    $('halt-error').textContent = 'A reason is required to halt trading.';
    $('halt-reason').focus();
    return;
  }
  $('halt-submit').disabled = true;
  const answer = await act('POST', '/api/v1/risk/halt',
                           { reason, cancel_orders: $('halt-cancel-orders').checked, flatten: $('halt-flatten').checked },
                           $('halt-error'), 'Trading was not halted.');
  $('halt-submit').disabled = false;
  if (!answer.ok) return;
  $('halt-dialog').close();
  if (answer.data) riskChanged(answer.data);
  else loadRisk().catch(() => {});
}

async function resume() {
  $('resume-button').disabled = true;
  const answer = await act('POST', '/api/v1/risk/resume', {}, $('risk-error'), 'Trading was not resumed.');
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
    : `${running ? 'Running' : 'Stopped: orders are refused'} (${processing.broker ?? processing.mode} broker)`;
  $('order-processing').dataset.running = String(running);
  $('stop-button').hidden = running !== true || !can('system.control');
  $('start-button').hidden = running !== false || !can('system.control');
}

async function setProcessing(action, node) {
  node.disabled = true;
  const answer = await act('POST', `/api/v1/system/${action}`, {}, $('risk-error'),
                           `Order processing did not ${action}.`);
  node.disabled = false;
  if (answer.ok && answer.data) showStatus(answer.data);
}

$('stop-button').addEventListener('click', (event) => setProcessing('stop', event.currentTarget));
$('start-button').addEventListener('click', (event) => setProcessing('start', event.currentTarget));
$('halt-button').addEventListener('click', openHalt);
$('resume-button').addEventListener('click', resume);
$('halt-form').addEventListener('submit', (event) => {
  event.preventDefault();
  submitHalt();
});
$('halt-cancel').addEventListener('click', () => $('halt-dialog').close());

/* }}} */

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
    $('live-error').textContent = 'Type LIVE, in capitals, to confirm.';
    return;
  }
  $('live-submit').disabled = true;
  const answer = await act('POST', '/api/v1/system/mode', { mode: 'live', confirm }, $('live-error'),
                           'Live trading was not switched on.');
  $('live-submit').disabled = $('live-confirm').value !== 'LIVE';
  if (!answer.ok) return;
  $('live-dialog').close();
  if (answer.data) showStatus(answer.data);
}

async function submitPaper() {
  $('paper-submit').disabled = true;
  const answer = await act('POST', '/api/v1/system/mode', { mode: 'paper' }, $('paper-error'),
                           'Paper trading was not switched back on.');
  $('paper-submit').disabled = false;
  if (!answer.ok) return;
  $('paper-dialog').close();
  if (answer.data) showStatus(answer.data);
}

async function reconcileNow(node) {
  node.disabled = true;
  const answer = await act('POST', '/api/v1/system/reconcile', {}, $('system-error'), 'Could not reconcile.');
  node.disabled = false;
  if (answer.ok && answer.data) showReconciliation(answer.data);
}

async function loadExchange() {
  const answer = await fetchJson('/api/v1/exchange', $('exchange-error'), 'Could not load the exchange.');
  if (!answer) return;
  exchange = answer;
  renderExchange();
}

function checkText(keys) {
  if (!keys.passed && keys.problem) return keys.problem;
  if (!keys.checked_at) return 'Not checked yet';
  const parts = [keys.can_trade ? 'Can trade' : 'Cannot trade', keys.can_withdraw ? 'can withdraw' : 'cannot withdraw'];
  if (keys.account_type) parts.push(`${keys.account_type} account`);
  parts.push(`checked ${formatTime(keys.checked_at)}`);
  return parts.join(' · ');
}

function renderExchange() {
  const shown = token !== null && can('exchange.read') && view === 'trading';
  $('exchange-section').hidden = !shown;
  const e = exchange || {};
  const keys = e.keys || {};
  $('exchange-network').textContent = exchange ? (e.testnet ? 'Testnet' : 'Main net: real money') : '—';
  $('exchange-network').dataset.testnet = String(e.testnet === true);
  $('exchange-base-url').textContent = e.base_url || '—';
  $('exchange-keys').textContent = !exchange ? '—'
    : keys.present ? `${keys.kind === 'ed25519' ? 'Ed25519' : 'HMAC'} key ${keys.api_key_hint ?? ''}`.trim()
      : 'None stored: live trading is not possible';
  $('exchange-check').textContent = keys.present ? checkText(keys) : '—';
  $('exchange-check').dataset.passed = String(keys.passed === true);
  const last = e.last_reconciliation;
  $('exchange-reconciliation').textContent = last
    ? `${formatTime(last.finished_at || last.started_at)}: ${last.outcome}, ${last.differences} difference${last.differences === 1 ? '' : 's'}`
    : '—';
  const mayChange = shown && can('exchange.keys');
  $('keys-form').hidden = !mayChange;
  $('keys-check-button').hidden = !mayChange || !keys.present;
  $('keys-remove-button').hidden = !mayChange || !keys.present;
}

async function saveKeys() {
  const body = { api_key: $('keys-api-key').value.trim(), secret: $('keys-secret').value.trim() };
  if (body.api_key === '' || body.secret === '') {
    $('keys-error').textContent = 'Enter the API key and its secret.';
    return;
  }
  $('keys-save').disabled = true;
  const answer = await act('PUT', '/api/v1/exchange/keys', body, $('keys-error'), 'The keys were not saved.');
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
  const answer = await act('POST', '/api/v1/exchange/keys/check', {}, $('exchange-error'), 'The keys were not checked.');
  node.disabled = false;
  if (answer.ok && answer.data && answer.data.keys) {
    exchange = answer.data;
    renderExchange();
  } else loadExchange().catch(() => {});
}

async function removeKeys() {
  $('remove-keys-submit').disabled = true;
  const answer = await act('DELETE', '/api/v1/exchange/keys', undefined, $('remove-keys-error'),
                           'The keys were not removed.');
  $('remove-keys-submit').disabled = false;
  if (!answer.ok) return;
  $('remove-keys-dialog').close();
  loadExchange().catch(() => {});
}

function alertArrived(alert) {
  if (alert.type === 'component') componentChanged(alert);
  if (alert.kind !== 'reconciliation' || !(alert.differences > 0)) return;
  reconciliationAlert = alert;
  renderReconciliationAlert();
  if (can('exchange.read')) loadExchange().catch(() => {});
}

function renderReconciliationAlert() {
  const alert = reconciliationAlert;
  $('reconciliation-alert').hidden = !alert;
  $('reconciliation-alert-text').textContent = alert
    ? `Reconciliation with the exchange adopted ${alert.differences} difference${alert.differences === 1 ? '' : 's'}.`
    : '';
}

async function showLatestReconciliation() {
  const answer = await fetchJson('/api/v1/system/reconciliations?limit=1', $('system-error'),
                                 'Could not load the reconciliation.');
  const [latest] = listOf(answer);
  if (latest) showReconciliation(latest);
}

function reconciliationItem(kind, text) {
  const li = element('li', text, kind);
  return li;
}

function showReconciliation(rec) {
  const differences = rec.differences ?? 0;
  $('reconciliation-title').textContent = `Reconciliation: ${differences} difference${differences === 1 ? '' : 's'}`;
  $('reconciliation-summary').textContent = rec.outcome === 'failed'
    ? `Run ${formatTime(rec.finished_at || rec.started_at)} (${rec.trigger}). It failed: ${rec.error ?? '—'}`
    : `Run ${formatTime(rec.finished_at || rec.started_at)} (${rec.trigger}). The ledger now follows the exchange.`;
  const orderText = (what, o) => `${what}: ${o.side} ${formatDecimal(o.quantity)} ${o.symbol} ${o.type}` +
    `${o.price ? ` ${formatDecimal(o.price)}` : ''} · exchange order ${o.exchange_order_id ?? '—'} · ${o.status}` +
    `${o.external ? ' · external' : ''}`;
  const items = [
    ...(rec.adopted_orders || []).map((o) => reconciliationItem('adopted', orderText('Adopted', o))),
    ...(rec.updated_orders || []).map((o) => reconciliationItem('updated', orderText('Updated', o))),
    ...(rec.fills || []).map((f) => reconciliationItem('fill',
      `Fill: ${f.side} ${formatDecimal(f.quantity)} ${f.symbol} at ${formatDecimal(f.price)}`)),
    ...(rec.balances || []).map((b) => reconciliationItem('balance',
      `${b.asset}: ledger ${formatDecimal(b.ledger_free)} free, ${formatDecimal(b.ledger_locked)} locked → ` +
      `exchange ${formatDecimal(b.exchange_free)} free, ${formatDecimal(b.exchange_locked)} locked`)),
  ];
  if (items.length === 0) items.push(reconciliationItem('empty', 'Nothing to adopt: the exchange and the ledger agreed.'));
  $('reconciliation-items').replaceChildren(...items);
  $('reconciliation-error').textContent = '';
  if (!$('reconciliation-dialog').open) $('reconciliation-dialog').showModal();
}

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

/* Views: Trading and Backtests, chosen by the address's fragment {{{ */

// "#backtests" or "#backtests/<id>" is the Backtests view (with that backtest shown), "#settings"
// and "#logs" theirs for those who may read them, anything else Trading: Back, reload and
// bookmarks work, and the views are links, not buttons (a viewer is offered none).
const VIEW_PERMISSIONS = { settings: 'config.read', logs: 'logs.read' };

function viewOf(hash) {
  const match = /^#backtests(?:\/(\d+))?$/.exec(hash);
  if (match) return { view: 'backtests', id: match[1] ? Number(match[1]) : null };
  const name = hash.slice(1);
  if (VIEW_PERMISSIONS[name] && can(VIEW_PERMISSIONS[name])) return { view: name, id: null };
  return { view: 'trading', id: null };
}

function renderView() {
  const wanted = viewOf(location.hash);
  const signedIn = token !== null;
  const before = view;
  view = wanted.view;
  for (const id of SECTIONS) $(id).hidden = !signedIn || view !== 'trading';
  $('health-section').hidden = !signedIn || view !== 'trading' || !can('system.read');
  $('backtests-section').hidden = !signedIn || view !== 'backtests';
  $('settings-section').hidden = !signedIn || view !== 'settings';
  $('logs-section').hidden = !signedIn || view !== 'logs';
  $('views').hidden = !signedIn;
  for (const [name, permission] of Object.entries(VIEW_PERMISSIONS)) $(`view-${name}`).hidden = !can(permission);
  for (const name of ['trading', 'backtests', 'settings', 'logs']) {
    if (name === view) $(`view-${name}`).setAttribute('aria-current', 'page');
    else $(`view-${name}`).removeAttribute('aria-current');
  }
  renderExchange();
  if (signedIn && view === 'backtests') selectBacktest(wanted.id);
  if (signedIn && view !== before && view === 'settings') loadConfig().catch(() => {});
  followLogs();
  // Following the tail reads the newest page itself; without it, the view reads it on entry.
  if (signedIn && view === 'logs' && before !== 'logs' && !logsSubscribed) loadLogs().catch(() => {});
}

window.addEventListener('hashchange', renderView);

/* }}} */

/* Backtests: run, list and view them (docs/BACKTESTS.md) {{{ */

const INTERVALS = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'];
const SHOWN_BACKTESTS = 100;
const KEPT_JOBS = 50;
const FINAL_JOB_STATUSES = new Set(['succeeded', 'failed', 'cancelled']);

let strategyTypes = null;      // GET /api/v1/strategies/types: what the form offers
let instruments = null;        // GET /api/v1/instruments
let paramsFor = null;          // the strategy whose parameters the form shows
const backtests = new Map();   // id → Backtest as listed (without its result)
const backtestJobs = new Map(); // job id → the newest backtest.run Job the jobs topic carried
let shownId = null;            // the backtest the address names
let shown = null;              // GET /api/v1/backtests/{id}: that backtest with its result
let shownProblem = '';         // why it could not be read
let shownNote = null;          // "id|note" the note's field was last filled from
// Topic events seen, and at which count each backtest last changed (or was deleted): a list
// asked for before an event must not undo it when its answer comes after.
let backtestEvents = 0;
const backtestSeenAt = new Map();
const deletedBacktests = new Set();
let shownAsked = 0;

function forgetBacktests() {
  strategyTypes = null;
  instruments = null;
  paramsFor = null;
  backtests.clear();
  backtestJobs.clear();
  backtestSeenAt.clear();
  deletedBacktests.clear();
  shownId = null;
  shown = null;
  shownProblem = '';
  shownNote = null;
  $('backtest-form').reset();
  $('bt-start').value = '';
  $('bt-end').value = '';
  $('bt-params').replaceChildren(element('legend', 'Parameters'));
  $('bt-note').value = '';
  $('bt-metrics').tBodies[0].replaceChildren();
  $('bt-trades').tBodies[0].replaceChildren();
  renderBacktestCurve(null);
  clearFieldErrors();
}

function renderBacktests() {
  renderBacktestForm();
  renderBacktestList();
  renderResult();
}

async function loadBacktestsView() {
  await Promise.all([loadBacktests(), loadBacktestForm(),
                     view === 'backtests' && shownId !== null ? loadShown() : null]);
}

// One's own backtests, or anyone's with backtests.manage; the server checks again.
function canManageBacktest(backtest) {
  return can('backtests.run') &&
    (can('backtests.manage') || (me !== null && backtest.created_by === me.id));
}

function quoteOf(symbol) {
  const instrument = (instruments || []).find((i) => i.symbol === symbol);
  return instrument ? instrument.quote_asset : '';
}

/* Numbers for people: ratios as percentages, decimals without their trailing zeros */

function percentText(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const text = (value * 100).toFixed(2);
  return `${text === '-0.00' ? '0.00' : text} %`;
}

function ratioText(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  const text = value.toFixed(2);
  return text === '-0.00' ? '0.00' : text;
}

// A double for people (an expectancy, an equity in a caption): two decimals when it is 1 or
// more, up to eight for less, less the trailing zeros.
function numberText(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  return formatDecimal(value.toFixed(Math.abs(value) >= 1 ? 2 : 8));
}

function numberSign(value) {
  if (typeof value !== 'number' || value === 0 || Number.isNaN(value)) return 'zero';
  return value > 0 ? 'positive' : 'negative';
}

function durationText(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  return formatUptime(Math.round(ms / 1000));
}

function shortTime(text) {
  const when = new Date(text);
  if (text === null || text === undefined || Number.isNaN(when.getTime())) return '—';
  return when.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

function paramsText(params) {
  if (!params || typeof params !== 'object') return '';
  return Object.entries(params).map(([name, value]) => `${name} ${value}`).join(', ');
}

/* The form */

async function loadBacktestForm() {
  if (strategyTypes !== null && instruments !== null) return;
  const [types, listed] = await Promise.all([
    strategyTypes === null
      ? fetchJson('/api/v1/strategies/types', $('backtest-form-error'), 'Could not load the strategies.') : null,
    instruments === null
      ? fetchJson('/api/v1/instruments', $('backtest-form-error'), 'Could not load the instruments.') : null,
  ]);
  if (token === null) return;
  if (types) strategyTypes = listOf(types);
  if (listed) instruments = Array.isArray(listed.instruments) ? listed.instruments : listOf(listed);
  renderBacktestForm();
  renderResult();
}

// Sets a select's options ([value, label] pairs), keeping the chosen one while it is offered.
function fillSelect(select, options, preferred) {
  const chosen = select.value || preferred;
  const same = select.options.length === options.length &&
    options.every(([value, label], i) => select.options[i].value === value && select.options[i].text === label);
  if (!same) {
    select.replaceChildren(...options.map(([value, label]) => {
      const option = element('option', label);
      option.value = value;
      return option;
    }));
  }
  if (options.some(([value]) => value === chosen)) select.value = chosen;
}

// "YYYY-MM-DDTHH:MM" in local time, as a datetime-local field takes it.
function localInputValue(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

// A datetime-local field's value as RFC 3339 in UTC; what is not a time goes as typed, for
// the server to name the field.
function rfc3339(local) {
  const when = new Date(local);
  if (local === '' || Number.isNaN(when.getTime())) return local;
  return when.toISOString().replace(/\.000Z$/, 'Z');
}

function renderBacktestForm() {
  $('backtest-form').hidden = token === null || !can('backtests.run');
  fillSelect($('bt-strategy'), (strategyTypes || []).map((t) => [t.id, t.name ? `${t.name} (${t.id})` : t.id]),
             'sma-cross');
  fillSelect($('bt-symbol'), (instruments || []).map((i) => [i.symbol, i.simulated ? `${i.symbol} (simulated)` : i.symbol]));
  fillSelect($('bt-interval'), INTERVALS.map((i) => [i, i]), '1h');
  // The last thirty days up to the current hour, to start from.
  if ($('bt-end').value === '' && $('bt-start').value === '') {
    const end = new Date();
    end.setMinutes(0, 0, 0);
    $('bt-end').value = localInputValue(end);
    $('bt-start').value = localInputValue(new Date(end.getTime() - 30 * 86400000));
  }
  renderParams();
}

function safeId(text) {
  return String(text).replace(/[^A-Za-z0-9_-]/g, '_');
}

// The chosen strategy's parameters, as its description gives them: a field each, with its
// default, its range and what it means.
function renderParams() {
  const id = $('bt-strategy').value;
  if (id === paramsFor) return;
  paramsFor = id;
  const type = (strategyTypes || []).find((t) => t.id === id);
  const properties = (type && type.parameters && type.parameters.properties) || {};
  const fields = Object.entries(properties).map(([name, schema]) => paramField(name, schema || {}));
  $('bt-params').replaceChildren(element('legend', 'Parameters'), ...fields);
  $('bt-params').hidden = fields.length === 0;
}

function paramField(name, schema) {
  const field = element('div', null, 'field');
  field.dataset.field = `params.${name}`;
  const input = element('input');
  input.id = `bt-param-${safeId(name)}`;
  input.name = `params.${name}`;
  input.dataset.param = name;
  input.dataset.type = String(schema.type);
  const error = element('p', null, 'field-error');
  error.id = `${input.id}-error`;
  const range = typeof schema.minimum === 'number' && typeof schema.maximum === 'number'
    ? `${schema.minimum} to ${schema.maximum}` : '';
  const hint = element('p', [schema.description, range].filter(Boolean).join(': '), 'hint');
  hint.id = `${input.id}-hint`;
  input.setAttribute('aria-describedby', `${hint.id} ${error.id}`);
  if (schema.type === 'boolean') {
    input.type = 'checkbox';
    input.checked = schema.default === true;
    const label = element('label', null, 'check');
    label.append(input, ` ${name}`);
    field.append(label, hint, error);
    return field;
  }
  input.inputMode = schema.type === 'integer' ? 'numeric' : 'decimal';
  input.autocomplete = 'off';
  input.value = schema.default === undefined || schema.default === null ? '' : String(schema.default);
  const label = element('label', name);
  label.htmlFor = input.id;
  field.append(label, input, hint, error);
  return field;
}

// A parameter as JSON wants it: a number when it is one; what is not goes as typed, for the
// strategy to refuse by name; an empty one is left to its default.
function formParams() {
  const params = {};
  for (const input of $('bt-params').querySelectorAll('input[data-param]')) {
    const name = input.dataset.param;
    if (input.dataset.type === 'boolean') {
      params[name] = input.checked;
      continue;
    }
    const text = input.value.trim();
    if (text === '') continue;
    const number = Number(text);
    params[name] = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) && Number.isFinite(number) ? number : text;
  }
  return params;
}

function integerOrText(text) {
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

// The request of docs/BACKTESTS.md. Money and rates go as the decimal strings typed; a member
// left empty takes the server's default.
function backtestRequest() {
  const text = (id) => $(id).value.trim();
  const body = {
    strategy: $('bt-strategy').value, params: formParams(), symbol: $('bt-symbol').value,
    interval: $('bt-interval').value, start: rfc3339(text('bt-start')), end: rfc3339(text('bt-end')),
    exits: $('bt-exits').value, allow_short: $('bt-allow-short').checked, note: $('bt-form-note').value,
  };
  for (const [member, id] of [['starting_cash', 'bt-cash'], ['fee_rate', 'bt-fee-rate'], ['stake_fraction', 'bt-stake']])
    if (text(id) !== '') body[member] = text(id);
  if (text('bt-slippage') !== '') body.slippage_bps = integerOrText(text('bt-slippage'));
  body.lookback = text('bt-lookback') === '' ? null : integerOrText(text('bt-lookback'));
  return body;
}

function clearFieldErrors(field) {
  clearErrorsIn($('backtest-form'), $('backtest-form-error'), field);
}

// Clears the refusals shown at `field`, or at every field of `form` and in `formError`.
function clearErrorsIn(form, formError, field) {
  const fields = field ? [field] : form.querySelectorAll('.field');
  for (const node of fields) {
    const error = node.querySelector('.field-error');
    if (error) error.textContent = '';
    for (const input of node.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  }
  if (!field) formError.textContent = '';
}

// A 422's refusals, each next to the field it names; those naming no field of the form are
// said above the Run button.
function showFieldErrors(problem) {
  showErrorsIn($('backtest-form'), $('backtest-form-error'), problem);
}

// A 422's refusals in `form`: each at the `.field` whose data-field it names, the others in
// `formError`.
function showErrorsIn(form, formError, problem) {
  const elsewhere = [];
  let first = null;
  for (const e of problemErrors(problem)) {
    const field = e.field
      ? [...form.querySelectorAll('.field')].find((f) => f.dataset.field === e.field) : null;
    const error = field && field.querySelector('.field-error');
    if (!error) {
      elsewhere.push(e.field ? `${e.field}: ${e.message}` : String(e.message));
      continue;
    }
    error.textContent = error.textContent ? `${error.textContent}; ${e.message}` : String(e.message);
    const input = field.querySelector('input, select, textarea');
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      if (!input.getAttribute('aria-describedby')) input.setAttribute('aria-describedby', error.id);
      first = first || input;
    }
  }
  if (first || elsewhere.length) formError.textContent = elsewhere.join('; ');
  if (first) first.focus();
}

async function runBacktest() {
  clearFieldErrors();
  $('bt-run').disabled = true;
  const answer = await act('POST', '/api/v1/backtests', backtestRequest(), $('backtest-form-error'),
                           'The backtest was not started.');
  $('bt-run').disabled = false;
  if (!answer.ok) {
    if (answer.status === 422) showFieldErrors(answer.problem);
    return;
  }
  const { backtest, job } = answer.data || {};
  if (!backtest || typeof backtest.id !== 'number') return;
  // The topics may have told more of it before this answer came.
  if (!backtests.has(backtest.id) && !deletedBacktests.has(backtest.id)) backtests.set(backtest.id, backtest);
  if (job && typeof job.id === 'number' && !backtestJobs.has(job.id)) backtestJobs.set(job.id, job);
  renderBacktestList();
  location.hash = `#backtests/${backtest.id}`;
}

/* The list */

async function loadBacktests() {
  const asked = backtestEvents;
  const answer = await fetchJson(`/api/v1/backtests?limit=${SHOWN_BACKTESTS}`, $('backtests-error'),
                                 'Could not load the backtests.');
  if (!answer || token === null) return;
  const changedSince = (id) => (backtestSeenAt.get(id) ?? 0) > asked;
  const listed = listOf(answer).filter((b) => !deletedBacktests.has(b.id));
  const ids = new Set(listed.map((b) => b.id));
  for (const id of backtests.keys()) if (!ids.has(id) && !changedSince(id)) backtests.delete(id);
  for (const backtest of listed) if (!changedSince(backtest.id)) backtests.set(backtest.id, backtest);
  keepNewest(backtests, SHOWN_BACKTESTS);
  renderBacktestList();
}

function jobOf(backtest) {
  return backtest && typeof backtest.job_id === 'number' ? backtestJobs.get(backtest.job_id) : undefined;
}

function statusText(backtest) {
  const job = jobOf(backtest);
  if (backtest.status === 'running' && job && typeof job.progress === 'number')
    return `running ${Math.floor(job.progress * 100)} %`;
  return String(backtest.status);
}

function backtestRow(backtest) {
  const tr = element('tr');
  tr.dataset.backtestId = String(backtest.id);
  tr.dataset.status = String(backtest.status);
  if (backtest.id === shownId) tr.setAttribute('aria-current', 'true');
  const link = element('a', `#${backtest.id}`);
  link.href = `#backtests/${backtest.id}`;
  link.setAttribute('aria-label', `Show backtest ${backtest.id}`);
  const first = element('td', null, 'id');
  first.append(link);
  const summary = backtest.summary || {};
  const total = element('td', percentText(summary.total_return), 'number total-return');
  total.dataset.sign = numberSign(summary.total_return);
  const strategy = element('td', null, 'strategy');
  strategy.append(element('span', backtest.strategy),
                  element('span', paramsText(backtest.request && backtest.request.params), 'params'));
  tr.append(first, element('td', shortTime(backtest.created_at), 'created-at'), strategy,
            element('td', `${backtest.symbol} ${backtest.interval}`, 'symbol'),
            element('td', `${shortTime(backtest.start)} – ${shortTime(backtest.end)}`, 'window'),
            element('td', backtest.statusText, 'status'), total,
            element('td', ratioText(summary.sharpe), 'number sharpe'),
            element('td', percentText(summary.max_drawdown), 'number max-drawdown'),
            element('td', typeof summary.trades === 'number' ? String(summary.trades) : '—', 'number trades'),
            element('td', userName(backtest.created_by, backtest.created_by_name), 'created-by'),
            element('td', backtest.note || '', 'note'));
  return tr;
}

function renderBacktestList() {
  const items = [...backtests.values()].sort((a, b) => b.id - a.id).slice(0, SHOWN_BACKTESTS)
    .map((b) => Object.assign({}, b, { statusText: statusText(b), shown: b.id === shownId }));
  fillTable('backtests', items, backtestRow);
}

/* The jobs topic: a run's progress and its end */

function backtestOfJob(jobId) {
  return [...backtests.values()].find((b) => b.job_id === jobId) || null;
}

// The backtests topic: a backtest created, ended or noted (without its result), or deleted.
function backtestChanged(data) {
  if (typeof data.id !== 'number') return;
  backtestSeenAt.set(data.id, ++backtestEvents);
  if (data.deleted === true) {
    deletedBacktests.add(data.id);
    backtests.delete(data.id);
    if (shownId === data.id) {
      shownAsked++;   // an answer on its way is older than this
      shown = null;
      shownProblem = 'This backtest has been deleted.';
    }
  } else {
    const known = backtests.get(data.id);
    // "queued" from its creation must not undo the "running" its job's progress said since.
    const status = data.status === 'queued' && known && known.status === 'running' ? 'running' : data.status;
    const backtest = Object.assign({}, data, { status });
    backtests.set(data.id, backtest);
    keepNewest(backtests, SHOWN_BACKTESTS);
    // It ended: it stays shown as it was until its result is in (an answer on its way may be
    // older than the end). A note changes in place.
    const ended = FINAL_JOB_STATUSES.has(status) && !(shown && FINAL_JOB_STATUSES.has(shown.status));
    if (shownId === data.id && ended) loadShown().catch(() => {});
    else if (shownId === data.id && shown) shown = Object.assign({}, shown, backtest);
  }
  renderBacktestList();
  if (shownId === data.id) renderResult();
}

// The jobs topic: the progress of a run (its start and end come on backtests as well).
function jobChanged(job) {
  if (typeof job.id !== 'number' || job.kind !== 'backtest.run') return;
  backtestJobs.set(job.id, job);
  keepNewest(backtestJobs, KEPT_JOBS, (j) => FINAL_JOB_STATUSES.has(j.status));
  const backtest = backtestOfJob(job.id);
  if (!backtest) return;
  if (!FINAL_JOB_STATUSES.has(job.status)) {
    for (const known of [backtest, shown && shown.id === backtest.id ? shown : null])
      if (known && !FINAL_JOB_STATUSES.has(known.status)) known.status = job.status;
  }
  renderBacktestList();
  if (shownId === backtest.id) renderResult();
}

async function cancelBacktest(node) {
  if (!shown || typeof shown.job_id !== 'number') return;
  node.disabled = true;
  const answer = await act('POST', `/api/v1/jobs/${encodeURIComponent(shown.job_id)}/cancel`, {},
                           $('bt-result-error'), 'The backtest was not cancelled.');
  node.disabled = false;
  if (answer.ok && answer.data) jobChanged(answer.data);
  // 409: it had ended already; read how.
  else if (answer.status === 409) loadShown().catch(() => {});
}

/* One backtest, with its result */

function selectBacktest(id) {
  if (id === shownId && (shown || shownProblem)) {
    renderBacktestList();
    renderResult();
    return;
  }
  shownId = id;
  shown = null;
  shownProblem = '';
  $('bt-result-error').textContent = '';
  renderBacktestList();
  renderResult();
  if (id !== null) loadShown().catch(() => {});
}

async function loadShown() {
  const id = shownId;
  if (id === null) return;
  const asked = ++shownAsked;
  const response = await api(`/api/v1/backtests/${encodeURIComponent(id)}`);
  const answer = response.ok ? await response.json() : await readProblem(response);
  if (asked !== shownAsked || id !== shownId || token === null) return;
  if (!response.ok) {
    shown = null;
    shownProblem = problemText(answer, response.status, `Could not load backtest ${id}.`);
    if (response.status === 404) backtests.delete(id);
  } else {
    shown = answer;
    shownProblem = '';
    const listed = Object.assign({}, answer);
    delete listed.result;
    backtests.set(id, listed);
  }
  renderBacktestList();
  renderResult();
}

function renderResult() {
  const article = $('backtest-result');
  article.hidden = token === null || shownId === null;
  if (article.hidden) return;
  const b = shown;
  article.dataset.backtestId = String(shownId);
  article.dataset.status = b ? String(b.status) : shownProblem ? 'unavailable' : 'loading';
  $('bt-result-title').textContent = b ? `Backtest #${b.id}: ${b.strategy} on ${b.symbol} ${b.interval}`
    : `Backtest #${shownId}`;
  $('bt-result-summary').textContent = b
    ? [`${shortTime(b.start)} to ${shortTime(b.end)}`, paramsText(b.request && b.request.params),
       `${b.status}`, `by ${userName(b.created_by, b.created_by_name)}, ${shortTime(b.created_at)}`]
      .filter(Boolean).join(' · ')
    : shownProblem ? '' : 'Loading…';
  $('bt-result-failure').textContent = shownProblem
    || (b && b.status === 'failed' ? `It failed: ${b.error ?? 'no reason given'}.` : '')
    || (b && b.status === 'cancelled' ? 'It was cancelled.' : '');

  const running = b !== null && !FINAL_JOB_STATUSES.has(b.status);
  const job = jobOf(b);
  $('bt-job').hidden = !running;
  $('bt-job-progress').value = running && job && typeof job.progress === 'number' ? job.progress : 0;
  $('bt-job-message').textContent = running ? (job && job.message) || (b.status === 'queued' ? 'Queued…' : 'Running…') : '';
  $('bt-job-cancel').hidden = !running || !canManageBacktest(b) || !can('jobs.write');
  $('bt-job-cancel').setAttribute('aria-label', `Cancel backtest ${shownId}`);

  const result = b && b.result;
  $('bt-result-body').hidden = !result;
  if (result) renderBacktestResult(b, result);
  else renderBacktestCurve(null);

  // The note: a field to edit for whoever may, its text for the others.
  const manage = b !== null && canManageBacktest(b);
  $('bt-note-form').hidden = !manage;
  $('bt-note-text').hidden = manage;
  $('bt-note-text').textContent = b ? b.note || 'No note.' : '';
  const noteKey = b ? `${b.id}|${b.note ?? ''}` : null;
  if (noteKey !== shownNote) {
    shownNote = noteKey;
    $('bt-note').value = b ? b.note ?? '' : '';
  }
}

const METRICS = [
  ['total_return', 'Total return', 'percent'],
  ['buy_and_hold_return', 'Buy and hold', 'percent'],
  ['annualised_return', 'Annualised return', 'percent'],
  ['volatility', 'Volatility (annualised)', 'percent'],
  ['sharpe', 'Sharpe ratio', 'ratio'],
  ['sortino', 'Sortino ratio', 'ratio'],
  ['calmar', 'Calmar ratio', 'ratio'],
  ['max_drawdown', 'Maximum drawdown', 'percent'],
  ['max_drawdown_duration_ms', 'Longest drawdown', 'duration'],
  ['trades', 'Closed trades', 'count'],
  ['win_rate', 'Win rate', 'percent'],
  ['profit_factor', 'Profit factor', 'factor'],
  ['expectancy', 'Expectancy per trade', 'money'],
  ['exposure', 'Time in the market', 'percent'],
  ['average_duration_ms', 'Average holding time', 'duration'],
  ['fees', 'Fees', 'decimal'],
];

function metricText(kind, value, metrics, currency) {
  const money = (text) => (text === '—' || !currency ? text : `${text} ${currency}`);
  switch (kind) {
    case 'percent': return percentText(value);
    case 'ratio': return ratioText(value);
    // null: gains and no loss (docs/BACKTESTS.md).
    case 'factor': return value === null && metrics.trades > 0 ? '∞' : ratioText(value);
    case 'duration': return durationText(value);
    case 'count': return typeof value === 'number' ? String(value) : '—';
    case 'money': return money(numberText(value));
    case 'decimal': return value === null || value === undefined ? '—' : money(formatDecimal(value));
    default: return String(value);
  }
}

function exitReasonText(trade) {
  if (trade.open) return 'Still open (valued at the last close)';
  const reasons = { take_profit: 'Take profit', stop_loss: 'Stop loss', signal: 'Signal' };
  return reasons[trade.exit_reason] || String(trade.exit_reason ?? '—');
}

function renderBacktestResult(backtest, result) {
  const currency = quoteOf(backtest.symbol);
  const amount = (text) => (text === null || text === undefined ? '—'
    : `${formatDecimal(text)}${currency ? ` ${currency}` : ''}`);
  const metrics = result.metrics || {};
  $('bt-starting-cash').textContent = amount(result.starting_cash);
  $('bt-final-equity').textContent = amount(result.final_equity);
  $('bt-final-equity').dataset.sign = numberSign(metrics.total_return);
  $('bt-final-cash').textContent = amount(result.final_cash);
  $('bt-fees').textContent = amount(result.fees);
  $('bt-candles').textContent = typeof result.candles === 'number' ? String(result.candles) : '—';
  $('bt-signals').textContent = `${result.signals ?? '—'} (${result.skipped ?? 0})`;

  $('bt-metrics').tBodies[0].replaceChildren(...METRICS.map(([key, label, kind]) => {
    const tr = element('tr');
    tr.dataset.metric = key;
    const value = element('td', metricText(kind, metrics[key], metrics, currency), 'number value');
    if (key === 'total_return' || key === 'buy_and_hold_return' || key === 'annualised_return' || key === 'expectancy')
      value.dataset.sign = numberSign(metrics[key]);
    tr.append(element('th', label), value);
    return tr;
  }));

  const trades = Array.isArray(result.trades) ? result.trades.map((t, i) => Object.assign({ index: i }, t)) : [];
  fillTable('bt-trades', trades, (trade) => {
    const tr = element('tr');
    tr.dataset.index = String(trade.index);
    tr.dataset.open = String(trade.open === true);
    const ret = element('td', percentText(trade.return), 'number return');
    ret.dataset.sign = numberSign(trade.return);
    tr.append(element('td', trade.side, `side ${String(trade.side).toLowerCase()}`),
              element('td', shortTime(trade.entry_time), 'entry-time'), decimalCell(trade.entry_price, 'entry-price'),
              element('td', trade.exit_time ? shortTime(trade.exit_time) : '—', 'exit-time'),
              decimalCell(trade.exit_price, 'exit-price'), decimalCell(trade.quantity, 'quantity'),
              pnlCell(trade.pnl, 'pnl'), ret, decimalCell(trade.fees, 'fees'),
              element('td', durationText(trade.duration_ms), 'duration'),
              element('td', exitReasonText(trade), 'exit-reason'));
    return tr;
  });

  renderBacktestCurve(result);
}

// The equity curve against buy-and-hold on one scale, and the drawdown under it. Plotting is
// analytics (DESIGN.md §4): doubles place the lines; the caption quotes the API's strings.
function renderBacktestCurve(result) {
  const chart = $('bt-equity-chart');
  const drawdown = $('bt-drawdown-chart');
  const points = (result && Array.isArray(result.equity) ? result.equity : [])
    .filter((p) => typeof p.equity === 'number' && !Number.isNaN(Date.parse(p.time)));
  if (points.length < 2) {
    chart.replaceChildren();
    drawdown.replaceChildren();
    $('bt-axis-from').textContent = '';
    $('bt-axis-to').textContent = '';
    $('bt-equity-caption').textContent = result ? 'Too few candles to draw a curve.' : '';
    return;
  }
  const [width, height, pad, ddHeight] = [600, 200, 8, 60];
  const times = points.map((p) => Date.parse(p.time));
  const duration = times[times.length - 1] - times[0] || 1;
  const x = (i) => (((times[i] - times[0]) / duration) * width).toFixed(1);
  const hold = (p) => typeof p.buy_and_hold === 'number' && Number.isFinite(p.buy_and_hold);
  let low = Infinity;
  let high = -Infinity;
  for (const p of points) {
    for (const v of hold(p) ? [p.equity, p.buy_and_hold] : [p.equity]) {
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
  }
  const span = high - low || 1;
  const y = (v) => (pad + (1 - (v - low) / span) * (height - 2 * pad)).toFixed(1);
  const shape = (tag, className, points) => {
    const node = document.createElementNS(SVG, tag);
    node.setAttribute('points', points);
    node.setAttribute('class', className);
    return node;
  };
  const shapes = [];
  const start = Number(result.starting_cash);
  if (Number.isFinite(start) && start >= low && start <= high)
    shapes.push(shape('polyline', 'baseline', `0,${y(start)} ${width},${y(start)}`));
  shapes.push(shape('polyline', 'buy-and-hold',
                    points.flatMap((p, i) => (hold(p) ? [`${x(i)},${y(p.buy_and_hold)}`] : [])).join(' ')));
  shapes.push(shape('polyline', 'strategy', points.map((p, i) => `${x(i)},${y(p.equity)}`).join(' ')));
  chart.replaceChildren(...shapes);

  const deepest = Math.max(...points.map((p) => (typeof p.drawdown === 'number' ? p.drawdown : 0))) || 1;
  const depth = (p) => (((typeof p.drawdown === 'number' ? p.drawdown : 0) / deepest) * (ddHeight - 2)).toFixed(1);
  drawdown.replaceChildren(shape('polygon', 'drawdown',
    `0,0 ${points.map((p, i) => `${x(i)},${depth(p)}`).join(' ')} ${width},0`));

  $('bt-axis-from').textContent = shortTime(points[0].time);
  $('bt-axis-to').textContent = shortTime(points[points.length - 1].time);
  const metrics = result.metrics || {};
  $('bt-equity-caption').textContent =
    `The strategy went from ${formatDecimal(result.starting_cash)} to ${formatDecimal(result.final_equity)} ` +
    `(${percentText(metrics.total_return)}); buying and holding returned ${percentText(metrics.buy_and_hold_return)}. ` +
    `Deepest drawdown ${percentText(metrics.max_drawdown)}.`;
}

async function saveNote(node) {
  if (!shown) return;
  const id = shown.id;
  node.disabled = true;
  const answer = await act('PATCH', `/api/v1/backtests/${encodeURIComponent(id)}`, { note: $('bt-note').value },
                           $('bt-result-error'), 'The note was not saved.');
  node.disabled = false;
  if (!answer.ok || !answer.data || shownId !== id) return;
  shown = Object.assign({}, shown, answer.data, { result: shown.result });
  backtests.set(id, answer.data);
  renderBacktestList();
  renderResult();
}

function openDeleteBacktest() {
  if (!shown) return;
  const running = !FINAL_JOB_STATUSES.has(shown.status);
  $('bt-delete-summary').textContent =
    `Backtest #${shown.id} (${shown.strategy} on ${shown.symbol} ${shown.interval}) and its result will be deleted.` +
    (running ? ' It is still running: it is cancelled first.' : '');
  $('bt-delete-error').textContent = '';
  $('bt-delete-submit').disabled = false;
  $('bt-delete-dialog').showModal();
}

async function submitDeleteBacktest() {
  if (!shown) return;
  const id = shown.id;
  $('bt-delete-submit').disabled = true;
  const answer = await act('DELETE', `/api/v1/backtests/${encodeURIComponent(id)}`, undefined,
                           $('bt-delete-error'), 'The backtest was not deleted.');
  $('bt-delete-submit').disabled = false;
  if (!answer.ok) return;
  $('bt-delete-dialog').close();
  backtestSeenAt.set(id, ++backtestEvents);
  deletedBacktests.add(id);
  backtests.delete(id);
  if (shownId === id) location.hash = '#backtests';
  renderBacktestList();
}

$('bt-strategy').addEventListener('change', () => {
  renderParams();
  clearFieldErrors();
});
$('backtest-form').addEventListener('input', (event) => {
  // What is typed again is not refused yet.
  const field = event.target.closest('.field');
  if (field) clearFieldErrors(field);
});
$('backtest-form').addEventListener('submit', (event) => {
  event.preventDefault();
  runBacktest();
});
$('bt-job-cancel').addEventListener('click', (event) => cancelBacktest(event.currentTarget));
$('bt-note-form').addEventListener('submit', (event) => {
  event.preventDefault();
  saveNote($('bt-note-save'));
});
$('bt-delete').addEventListener('click', openDeleteBacktest);
$('bt-delete-form').addEventListener('submit', (event) => {
  event.preventDefault();
  submitDeleteBacktest();
});
$('bt-delete-cancel').addEventListener('click', () => $('bt-delete-dialog').close());

/* }}} */

/* Operations: settings, logs and the components' health (docs/OPERATIONS.md) {{{ */

const LOG_LEVELS = ['debug', 'info', 'message', 'warning', 'critical', 'error'];
const LOGS_PAGE = 100;
const KEPT_LOGS = 2000;        // entries the page keeps while it follows the tail
const HEALTH_ORDER = { ok: 0, degraded: 1, down: 2 };

let config = null;             // GET /api/v1/config, kept current by the config topic
let configAsked = 0;
let exportUrl = null;          // the last export's object URL, let go at the next one
let importText = null;         // the file chosen for import, as text
const logEntries = new Map();  // id → log entry, as the ring gave it
let logsCursor = null;         // the next older page's cursor, or null at the ring's end
let logsAsked = 0;
let logsSubscribed = false;    // whether this socket follows the logs topic
const logDomains = new Set();
let logsRenderPending = false;
const health = new Map();      // component → { component, status, reason, since }

function forgetOperations() {
  config = null;
  configAsked++;
  importText = null;
  if (exportUrl) URL.revokeObjectURL(exportUrl);
  exportUrl = null;
  $('config-sections').replaceChildren();
  $('config-path').textContent = '';
  $('config-import').hidden = true;
  logEntries.clear();
  logsCursor = null;
  logsAsked++;
  logsSubscribed = false;
  logDomains.clear();
  $('logs-filter').reset();
  $('logs-domains').replaceChildren();
  health.clear();
  renderOperations();
}

function renderOperations() {
  renderHealth();
  renderLogs();
  $('config-transfer').hidden = !can('config.write');
}

// What the views shown need, for the caller's permissions.
async function loadOperations() {
  await Promise.all([
    can('system.read') ? loadHealth() : null,
    view === 'settings' && can('config.read') ? loadConfig() : null,
    view === 'logs' && can('logs.read') ? loadLogs() : null,
  ]);
}

/* Settings */

async function loadConfig() {
  const asked = ++configAsked;
  const answer = await fetchJson('/api/v1/config', $('settings-error'), 'Could not load the settings.');
  if (!answer || asked !== configAsked || token === null) return;
  config = answer;
  renderConfig();
}

function configChanged() {
  if (can('config.read') && view === 'settings') loadConfig().catch(() => {});
}

function configFieldId(section, key) {
  return `cfg-${safeId(section)}-${safeId(key)}`;
}

// What the field shows of a key's value: booleans as "true"/"false", secrets as nothing.
function configValueText(key) {
  if (key.secret || key.value === null || key.value === undefined) return '';
  return String(key.value);
}

function configInputText(input) {
  return input.type === 'checkbox' ? String(input.checked) : input.value;
}

function configInput(section, key) {
  let input;
  if (key.type === 'enum') {
    input = element('select');
    for (const allowed of key.allowed || []) input.append(new Option(allowed, allowed));
  } else {
    input = element('input');
    input.autocomplete = 'off';
    input.spellcheck = false;
    if (key.type === 'boolean') {
      input.type = 'checkbox';
    } else if (key.secret) {
      input.type = 'password';
      input.autocomplete = 'new-password';
    } else if (key.type === 'integer') {
      input.type = 'number';
      input.step = '1';
      if (key.min !== undefined) input.min = String(key.min);
      if (key.max !== undefined) input.max = String(key.max);
    } else {
      input.type = 'text';
      if (key.type === 'decimal') input.inputMode = 'decimal';
      if (key.type === 'url') input.inputMode = 'url';
    }
  }
  input.id = configFieldId(section, key.key);
  input.name = key.key;
  return input;
}

function configField(section, key) {
  const id = configFieldId(section, key.key);
  const field = element('div', null, `field config-key${key.type === 'boolean' ? ' check' : ''}`);
  field.dataset.field = `${section}.${key.key}`;
  field.dataset.type = key.type;
  const input = configInput(section, key);
  const label = element('label', key.key);
  label.htmlFor = id;
  const hint = element('p', key.description || '', 'hint');
  hint.id = `${id}-hint`;
  const facts = element('p', '', 'hint facts');
  facts.id = `${id}-facts`;
  const error = element('p', '', 'field-error');
  error.id = `${id}-error`;
  input.setAttribute('aria-describedby', `${hint.id} ${facts.id}`);
  if (key.type === 'boolean') field.append(input, label, hint, facts, error);
  else field.append(label, input, hint, facts, error);
  return field;
}

// Where a key's value comes from, its default and when a change takes effect.
function configFacts(key) {
  const facts = [];
  if (key.secret) facts.push(key.set ? 'Set' : 'Not set');
  else facts.push(`Default: ${key.default === '' || key.default === null ? '(empty)' : String(key.default)}`);
  if (key.min !== undefined || key.max !== undefined)
    facts.push(`From ${String(key.min ?? '—')} to ${String(key.max ?? '—')}`);
  facts.push(`Source: ${key.source}${key.origin && key.origin !== key.source ? ` (${key.origin})` : ''}`);
  if (key.restart_required) facts.push(key.pending_restart ? 'Changed: takes effect after a restart' : 'Restart required');
  return facts.join(' · ');
}

// Brings a field up to the key as the server describes it. A value typed and not applied yet
// stays (the config topic may bring another section's change meanwhile) unless `force`.
function updateConfigField(field, key, force) {
  const input = field.querySelector('input, select');
  const text = configValueText(key);
  const dirty = input.dataset.original !== undefined && configInputText(input) !== input.dataset.original;
  if (force || !dirty) {
    if (input.type === 'checkbox') input.checked = key.value === true;
    else input.value = text;
    input.dataset.original = configInputText(input);
  }
  if (key.secret) input.placeholder = key.set ? 'Set: type to replace it' : 'Not set';
  input.disabled = !can('config.write');
  field.dataset.source = key.source;
  field.dataset.set = key.secret ? String(Boolean(key.set)) : '';
  field.toggleAttribute('data-pending-restart', Boolean(key.pending_restart));
  field.querySelector('.facts').textContent = configFacts(key);
}

function configForm(section) {
  const name = section.name;
  const form = element('form', null, 'config-section');
  form.id = `config-${safeId(name)}`;
  form.noValidate = true;
  form.dataset.section = name;
  const title = element('h3', name);
  title.id = `${form.id}-title`;
  form.setAttribute('aria-labelledby', title.id);
  const fields = element('div', null, 'config-fields');
  const status = element('p', '', 'note config-status');
  status.id = `${form.id}-status`;
  status.setAttribute('role', 'status');
  const error = element('p', '', 'error');
  error.id = `${form.id}-error`;
  error.setAttribute('role', 'alert');
  const apply = element('button', 'Apply');
  apply.type = 'submit';
  apply.id = `${form.id}-apply`;
  apply.setAttribute('aria-label', `Apply the ${name} settings`);
  const actions = element('div', null, 'actions');
  actions.append(apply);
  form.append(title, fields, error, status, actions);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    applyConfigSection(name);
  });
  form.addEventListener('input', (event) => {
    // What is typed again is not refused yet.
    const field = event.target.closest('.field');
    if (field) clearErrorsIn(form, error, field);
    status.textContent = '';
  });
  return form;
}

// Updates the forms in place: a field keeps its focus, what is typed in it and the refusal
// shown at it while the topic brings changes.
function renderConfigSection(section, force) {
  const container = $('config-sections');
  let form = $(`config-${safeId(section.name)}`);
  if (!form) {
    form = configForm(section);
    container.append(form);
  }
  const fields = form.querySelector('.config-fields');
  for (const key of section.keys || []) {
    let field = $(configFieldId(section.name, key.key))?.closest('.field');
    if (!field) {
      field = configField(section.name, key);
      fields.append(field);
    }
    updateConfigField(field, key, force);
  }
  form.querySelector('button[type="submit"]').hidden = !can('config.write');
}

function renderConfig() {
  if (!config) {
    $('config-sections').replaceChildren();
    $('config-path').textContent = '';
    return;
  }
  $('config-path').textContent = config.path
    ? `Changes are written to ${config.path}.` : 'There is no configuration file: changes last until boursed stops.';
  for (const section of config.sections || []) renderConfigSection(section, false);
}

// The changed fields of a section as a PUT's body: integers and decimals as the text typed
// (the server reads strings of any type), an emptied one back to its default, a secret only
// when one is typed.
function configChanges(section) {
  const body = {};
  for (const key of section.keys || []) {
    const input = $(configFieldId(section.name, key.key));
    if (!input) continue;
    const text = configInputText(input);
    if (key.secret) {
      if (text !== '') body[key.key] = text;
    } else if (text !== input.dataset.original) {
      if (key.type === 'boolean') body[key.key] = input.checked;
      else if (text === '' && ['integer', 'decimal', 'enum'].includes(key.type)) body[key.key] = null;
      else body[key.key] = text;
    }
  }
  return body;
}

async function applyConfigSection(name) {
  const section = config && (config.sections || []).find((s) => s.name === name);
  const form = $(`config-${safeId(name)}`);
  if (!section || !form) return;
  const error = form.querySelector('.error');
  const status = form.querySelector('.config-status');
  clearErrorsIn(form, error);
  status.textContent = '';
  const body = configChanges(section);
  if (Object.keys(body).length === 0) {
    status.textContent = 'Nothing to apply: no value was changed.';
    return;
  }
  const apply = form.querySelector('button[type="submit"]');
  apply.disabled = true;
  const answer = await act('PUT', `/api/v1/config/${encodeURIComponent(name)}`, body, error,
                           'The settings were not applied.');
  apply.disabled = false;
  if (!answer.ok) {
    if (answer.status === 422) showErrorsIn(form, error, answer.problem);
    return;
  }
  const changed = answer.data;
  const index = config.sections.findIndex((s) => s.name === name);
  if (index >= 0) config.sections[index] = { name: changed.name, keys: changed.keys };
  renderConfigSection({ name: changed.name, keys: changed.keys }, true);
  const applied = changed.applied || [];
  const later = changed.restart_required || [];
  const said = [];
  if (applied.length) said.push(`Applied: ${applied.join(', ')}.`);
  if (later.length) said.push(`Saved, taking effect after a restart: ${later.join(', ')}.`);
  status.textContent = said.length ? said.join(' ') : 'Nothing changed.';
}

async function exportConfig(node) {
  const error = $('settings-error');
  error.textContent = '';
  node.disabled = true;
  try {
    const response = await api('/api/v1/config/export', { method: 'POST' });
    if (!response.ok) {
      error.textContent = problemText(await readProblem(response), response.status, 'Could not export the settings.');
      return;
    }
    const blob = await response.blob();
    const named = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') || '');
    if (exportUrl) URL.revokeObjectURL(exportUrl);
    exportUrl = URL.createObjectURL(blob);
    const link = element('a');
    link.href = exportUrl;
    link.download = named ? named[1] : 'bourse.conf';
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } catch (failure) {
    if (failure.message !== 'unauthenticated') error.textContent = `Could not reach the server: ${failure.message}`;
  } finally {
    node.disabled = false;
  }
}

function importValueText(value) {
  if (value === null || value === undefined) return '—';
  return String(value);
}

function importRow(change) {
  const tr = element('tr');
  tr.dataset.field = change.field;
  tr.append(element('td', change.field, 'field-name'), element('td', importValueText(change.old), 'old'),
            element('td', importValueText(change.new), 'new'),
            element('td', change.restart_required ? 'After a restart' : 'At once'));
  return tr;
}

// Sends the chosen file: first as a dry run listing what it would change, then, when
// Apply Import is pressed, for real.
async function importConfig(dryRun) {
  if (importText === null) return;
  const panel = $('config-import');
  panel.hidden = false;
  $('config-import-apply').hidden = true;
  $('config-import-apply').disabled = true;
  const answer = await act('POST', `/api/v1/config/import${dryRun ? '?dry_run=true' : ''}`, importText,
                           $('config-import-error'), 'The file was not imported.', 'text/plain');
  $('config-import-apply').disabled = false;
  const changes = answer.ok && answer.data && Array.isArray(answer.data.changes) ? answer.data.changes : [];
  panel.dataset.state = !answer.ok ? 'refused' : dryRun ? 'dry-run' : 'applied';
  $('config-import-changes').tBodies[0].replaceChildren(...changes.map(importRow));
  $('config-import-changes').hidden = changes.length === 0;
  if (!answer.ok) {
    $('config-import-summary').textContent = 'Nothing was changed.';
    return;
  }
  if (dryRun) {
    $('config-import-summary').textContent = changes.length === 0
      ? 'No changes: the file agrees with the running configuration.'
      : `The file would change ${changes.length} setting${changes.length === 1 ? '' : 's'}. Nothing is changed until you apply it.`;
    $('config-import-apply').hidden = changes.length === 0 || !can('config.write');
  } else {
    $('config-import-summary').textContent =
      `Imported: ${changes.length} setting${changes.length === 1 ? '' : 's'} changed.`;
    importText = null;
    loadConfig().catch(() => {});
  }
}

async function chooseImport(input) {
  const [file] = input.files;
  input.value = '';           // the same file chosen again is read again
  if (!file) return;
  importText = await file.text();
  await importConfig(true);
}

/* Logs */

function logsQuery() {
  const params = new URLSearchParams({ limit: String(LOGS_PAGE), level: $('logs-level').value });
  const domain = $('logs-domain').value.trim();
  if (domain) params.set('domain', domain);
  return params;
}

// The filters the server applied, applied to an entry of the tail.
function logMatches(entry) {
  const domain = $('logs-domain').value.trim();
  return LOG_LEVELS.indexOf(entry.level) >= LOG_LEVELS.indexOf($('logs-level').value) &&
    (!domain || entry.domain === domain);
}

function rememberLog(entry) {
  if (!entry || typeof entry.id !== 'number') return;
  logEntries.set(entry.id, entry);
  if (entry.domain && !logDomains.has(entry.domain)) {
    logDomains.add(entry.domain);
    $('logs-domains').replaceChildren(...[...logDomains].sort().map((d) => new Option(d, d)));
  }
}

// The newest page, as the filters say. Entries the tail brought while it was asked for stay.
async function loadLogs() {
  const asked = ++logsAsked;
  const answer = await fetchJson(`/api/v1/logs?${logsQuery()}`, $('logs-error'), 'Could not load the logs.');
  if (!answer || asked !== logsAsked || token === null) return;
  const items = listOf(answer);
  const newest = items.length ? items[0].id : 0;
  const tail = [...logEntries.values()].filter((e) => e.id > newest && logMatches(e));
  logEntries.clear();
  for (const entry of [...items, ...tail]) rememberLog(entry);
  logsCursor = answer.next_cursor ?? null;
  renderLogs();
}

async function loadOlderLogs(node) {
  if (logsCursor === null) return;
  const asked = logsAsked;
  const params = logsQuery();
  params.set('cursor', String(logsCursor));
  node.disabled = true;
  const answer = await fetchJson(`/api/v1/logs?${params}`, $('logs-error'), 'Could not load older entries.');
  node.disabled = false;
  if (!answer || asked !== logsAsked || token === null) return;
  for (const entry of listOf(answer)) rememberLog(entry);
  logsCursor = answer.next_cursor ?? null;
  renderLogs();
}

function logArrived(entry) {
  if (!logsSubscribed || !logMatches(entry)) return;
  rememberLog(entry);
  if (logEntries.size > KEPT_LOGS) {
    // The oldest go; Older brings them back.
    const ids = [...logEntries.keys()].sort((a, b) => a - b);
    for (const id of ids.slice(0, logEntries.size - KEPT_LOGS)) logEntries.delete(id);
    logsCursor = Math.min(...logEntries.keys());
  }
  // A burst is drawn once.
  if (!logsRenderPending) {
    logsRenderPending = true;
    requestAnimationFrame(() => {
      logsRenderPending = false;
      renderLogs();
    });
  }
}

function logRow(entry) {
  const tr = element('tr');
  tr.dataset.logId = String(entry.id);
  tr.dataset.level = entry.level;
  const message = element('td', entry.message, 'message');
  if (entry.request_id) message.title = `Request ${entry.request_id}`;
  tr.append(element('td', formatTime(entry.ts), 'time'), element('td', entry.level, 'level'),
            element('td', entry.domain, 'domain'), message);
  return tr;
}

function renderLogs() {
  const search = $('logs-search').value.trim().toLowerCase();
  const found = (e) => !search || [e.message, e.domain, e.request_id].some((t) => String(t ?? '').toLowerCase().includes(search));
  const items = [...logEntries.values()].filter(found).sort((a, b) => b.id - a.id);
  fillTable('logs', items, logRow);
  $('logs-empty').textContent = logEntries.size && !items.length ? 'No entry matches the search.' : 'No log entries.';
  $('logs-older').hidden = logsCursor === null || !can('logs.read');
}

// The tail is followed only while the Logs view shows it: an administrator elsewhere in the
// page is not sent every line the server writes.
function followLogs() {
  const wanted = socket !== null && socket.readyState === WebSocket.OPEN && token !== null &&
    view === 'logs' && can('logs.read') && $('logs-live').checked;
  if (wanted === logsSubscribed) return;
  logsSubscribed = wanted;
  if (!wanted) delete $('logs-section').dataset.following;
  if (socket === null || socket.readyState !== WebSocket.OPEN) return;   // a closed socket follows nothing
  socket.send(JSON.stringify({ type: wanted ? 'subscribe' : 'unsubscribe', topics: ['logs'] }));
  // A new subscription's seq starts where the topic is, not after the last one seen.
  lastSeq.delete('logs');
  // What was written before the subscription took: over REST.
  if (wanted) loadLogs().catch(() => {});
}

/* Health */

async function loadHealth() {
  const answer = await fetchJson('/api/v1/health/components', $('health-error'),
                                 'Could not load the components’ health.');
  if (!answer || token === null) return;
  const listed = new Map(listOf(answer).map((item) => [item.component, item]));
  for (const [component, known] of health) {
    const item = listed.get(component);
    // A transition the alerts topic brought after the list was read is not undone by it.
    if (item && Date.parse(known.since) > Date.parse(item.since)) listed.set(component, known);
  }
  health.clear();
  for (const [component, item] of listed) health.set(component, item);
  renderHealth();
}

function componentChanged(alert) {
  if (typeof alert.component !== 'string') return;
  health.set(alert.component,
             { component: alert.component, status: alert.status, reason: alert.reason ?? null, since: alert.since });
  renderHealth();
}

function healthRow(item) {
  const tr = element('tr');
  tr.dataset.component = item.component;
  tr.dataset.status = item.status;
  tr.append(element('td', item.component, 'component'), element('td', item.status, 'status'),
            element('td', item.reason ?? '—', 'reason'), element('td', formatTime(item.since), 'since'));
  return tr;
}

function renderHealth() {
  const items = [...health.values()].sort((a, b) => a.component.localeCompare(b.component));
  fillTable('health', items, healthRow);
  // The worst of the components, as the server sums them up.
  const worst = items.reduce((w, item) => ((HEALTH_ORDER[item.status] ?? 0) > (HEALTH_ORDER[w] ?? 0) ? item.status : w),
                             items.length ? 'ok' : '');
  $('health-status').textContent = worst;
  $('health-status').dataset.status = worst;
}

$('config-export').addEventListener('click', (event) => exportConfig(event.currentTarget));
$('config-import-file').addEventListener('change', (event) => chooseImport(event.currentTarget).catch(() => {}));
$('config-import-apply').addEventListener('click', () => importConfig(false));
$('config-import-close').addEventListener('click', () => {
  importText = null;
  $('config-import').hidden = true;
});
$('logs-filter').addEventListener('submit', (event) => event.preventDefault());
$('logs-level').addEventListener('change', () => loadLogs().catch(() => {}));
$('logs-domain').addEventListener('change', () => loadLogs().catch(() => {}));
$('logs-search').addEventListener('input', renderLogs);
$('logs-live').addEventListener('change', followLogs);
$('logs-older').addEventListener('click', (event) => loadOlderLogs(event.currentTarget));

/* }}} */

const TOPIC_HANDLERS = {
  system: showStatus,
  approvals: upsertApproval,
  risk: riskChanged,
  portfolio: portfolioChanged,
  positions: positionsChanged,
  balances: balancesChanged,
  orders: orderChanged,
  fills: fillArrived,
  trades: tradeChanged,
  alerts: alertArrived,
  backtests: backtestChanged,
  jobs: jobChanged,
  config: configChanged,
  logs: logArrived,
};

function start() {
  $('sign-in').hidden = true;
  renderView();
  for (const node of document.querySelectorAll('main .error')) node.textContent = '';
  $('sign-out').hidden = false;
  firstLoad = Promise.all([loadMe(), refresh()]).catch(() => {});
  connect();
}

$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  const login = $('login').value.trim();
  const body = login.includes('@') ? { email: login } : { username: login };
  body.password = $('password').value;
  const response = await fetch('/api/v1/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) {
    $('sign-in-error').textContent = answer.detail || 'Could not sign in.';
    return;
  }
  $('password').value = '';
  token = answer.access_token;
  sessionStorage.setItem('bourse.token', token);
  start();
});

$('sign-out').addEventListener('click', async () => {
  await api('/api/v1/auth/logout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
    .catch(() => {});
  showSignIn();
});

if (token) start(); else showSignIn();
