// app.js — Bourse web console: signs in, then follows the engine over the REST + WebSocket API.
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const $ = (id) => document.getElementById(id);

// The access token lives for this tab only; a new tab signs in again.
let token = sessionStorage.getItem('bourse.token');
let socket = null;
let retryDelay = 500;
const lastSeq = new Map();
let me = null;                 // GET /api/v1/users/me: who is signed in
// GET /api/v1/permissions: what the server's matrix lets the caller do. The page shows
// buttons from it, never from role names of its own; the server checks again anyway.
let permissions = new Set();
const approvals = new Map();   // id → Approval, as the server last described it
let deciding = null;           // { approval, action } while the reason dialog is open
const STATUS_ORDER = { pending: 0, approved: 1, rejected: 1, expired: 1 };
const SECTIONS = ['risk-section', 'approvals-section', 'system-section'];
// Each topic, its own subscription: one the server does not know fails alone.
const TOPICS = ['system', 'approvals', 'risk'];

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
}

function setConnection(state, text) {
  $('connection').dataset.state = state;
  $('connection').textContent = text;
}

function showSignIn(message) {
  token = null;
  sessionStorage.removeItem('bourse.token');
  if (socket) socket.close();
  for (const id of SECTIONS) $(id).hidden = true;
  for (const dialog of document.querySelectorAll('dialog')) if (dialog.open) dialog.close();
  approvals.clear();
  forgetTrading();
  me = null;
  permissions = new Set();
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
    // What changed while the socket was down arrives over REST.
    loadApprovals().catch(() => {});
    loadTrading().catch(() => {});
  });
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    if (message.type !== 'event') return;
    const previous = lastSeq.get(message.topic);
    // A gap in seq means we missed events: fetch the state again over REST.
    if (previous !== undefined && message.seq > previous + 1) refresh();
    lastSeq.set(message.topic, message.seq);
    const handler = TOPIC_HANDLERS[message.topic];
    if (handler && message.data) handler(message.data, message);
  });
  socket.addEventListener('close', () => {
    if (!token) return;
    setConnection('reconnecting', 'Reconnecting…');
    setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 10000);
  });
}

async function refresh() {
  const response = await api('/api/v1/system/status');
  if (response.ok) showStatus(await response.json());
  await Promise.all([loadApprovals(), loadTrading()]);
}

/* Helpers {{{ */

// An application/problem+json answer's text, with the fields it names, or a fallback.
async function problemText(response, fallback) {
  try {
    const problem = await response.json();
    const head = problem.detail || problem.title || `${fallback} (HTTP ${response.status})`;
    const fields = (Array.isArray(problem.errors) ? problem.errors : [])
      .filter((e) => e && e.message && e.message !== head)
      .map((e) => (e.field ? `${e.field}: ${e.message}` : String(e.message)));
    return fields.length ? `${head} (${fields.join('; ')})` : head;
  } catch (error) {
    // Not JSON: the status says what there is to say.
  }
  return `${fallback} (HTTP ${response.status})`;
}

// GETs `path`: its JSON, or null after showing the server's refusal in `errorNode`.
async function fetchJson(path, errorNode, fallback) {
  const response = await api(path);
  if (!response.ok) {
    errorNode.textContent = await problemText(response, fallback);
    return null;
  }
  errorNode.textContent = '';
  return response.json();
}

// Sends an action. Resolves with { ok, status, data }; a refusal is shown in `errorNode`,
// in the server's words.
async function act(method, path, body, errorNode, fallback) {
  errorNode.textContent = '';
  const options = { method };
  if (body !== undefined) {
    options.headers = { 'Content-Type': 'application/json' };
    options.body = JSON.stringify(body);
  }
  try {
    const response = await api(path, options);
    if (!response.ok) {
      errorNode.textContent = await problemText(response, fallback);
      return { ok: false, status: response.status, data: null };
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

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
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
  else if (typeof id === 'string') return id === 'system' ? 'A protection' : id;
  if (me && me.id === id) return 'You';
  return `User #${id}`;
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

/* The trading state and the kill switch {{{ */

let risk = null;               // GET /api/v1/risk/state

function forgetTrading() {
  risk = null;
}

async function loadTrading() {
  await loadRisk();
}

function renderTrading() {
  renderRisk();
}

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

$('halt-button').addEventListener('click', openHalt);
$('resume-button').addEventListener('click', resume);
$('halt-form').addEventListener('submit', (event) => {
  event.preventDefault();
  submitHalt();
});
$('halt-cancel').addEventListener('click', () => $('halt-dialog').close());

/* }}} */

const TOPIC_HANDLERS = {
  system: showStatus,
  approvals: upsertApproval,
  risk: riskChanged,
};

function start() {
  $('sign-in').hidden = true;
  for (const id of SECTIONS) $(id).hidden = false;
  for (const node of document.querySelectorAll('main .error')) node.textContent = '';
  $('sign-out').hidden = false;
  loadMe().catch(() => {});
  refresh().catch(() => {});
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
