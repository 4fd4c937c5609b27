// app.js — Bourse web console: signs in, then follows the engine over the REST + WebSocket API.
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const $ = (id) => document.getElementById(id);

// The access token lives for this tab only; a new tab signs in again.
let token = sessionStorage.getItem('bourse.token');
let socket = null;
let retryDelay = 500;
const lastSeq = new Map();
let me = null;                 // GET /api/v1/users/me: who is signed in, with which role
const approvals = new Map();   // id → Approval, as the server last described it
let deciding = null;           // { approval, action } while the reason dialog is open

// The permission matrix gives approvals.decide to these roles; the server checks again.
const DECIDING_ROLES = new Set(['trader', 'admin']);
const STATUS_ORDER = { pending: 0, approved: 1, rejected: 1, expired: 1 };

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
  $('system-section').hidden = true;
  $('approvals-section').hidden = true;
  if ($('decide-dialog').open) $('decide-dialog').close();
  approvals.clear();
  me = null;
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
    socket.send(JSON.stringify({ type: 'subscribe', topics: ['system'] }));
    socket.send(JSON.stringify({ type: 'subscribe', topics: ['approvals'] }));
    // What changed while the socket was down arrives over REST.
    loadApprovals().catch(() => {});
  });
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    if (message.type !== 'event') return;
    const previous = lastSeq.get(message.topic);
    // A gap in seq means we missed events: fetch the state again over REST.
    if (previous !== undefined && message.seq > previous + 1) refresh();
    lastSeq.set(message.topic, message.seq);
    if (message.topic === 'system') showStatus(message.data);
    else if (message.topic === 'approvals') upsertApproval(message.data);
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
  await loadApprovals();
}

/* The approval desk {{{ */

// An application/problem+json answer's text, or a fallback when there is none.
async function problemText(response, fallback) {
  try {
    const problem = await response.json();
    if (problem.detail) return problem.detail;
    if (problem.title) return problem.title;
  } catch (error) {
    // Not JSON: the status says what there is to say.
  }
  return `${fallback} (HTTP ${response.status})`;
}

function canDecide() {
  return me !== null && DECIDING_ROLES.has(me.role);
}

async function loadMe() {
  const response = await api('/api/v1/users/me');
  if (response.ok) me = await response.json();
  // The role is on the page for styling and for the tests to wait on; the server decides.
  document.querySelector('main').dataset.role = me ? me.role : '';
  renderApprovals();
}

async function loadApprovals() {
  const response = await api('/api/v1/approvals?status=pending');
  if (!response.ok) {
    $('approvals-error').textContent = await problemText(response, 'Could not load the approvals.');
    return;
  }
  const answer = await response.json();
  const items = Array.isArray(answer) ? answer : (answer.items || []);
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

function formatTime(text) {
  const when = new Date(text);
  return Number.isNaN(when.getTime()) ? String(text) : when.toLocaleString();
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

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
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

  if (approval.status === 'pending' && canDecide()) {
    const actions = element('div', null, 'actions');
    const what = `${rec.decision} ${rec.symbol} (approval ${approval.id})`;
    const approve = element('button', 'Approve', 'approve');
    approve.type = 'button';
    approve.setAttribute('aria-label', `Approve ${what}`);
    approve.addEventListener('click', () => openDecision(approval.id, 'approve'));
    const reject = element('button', 'Reject', 'reject');
    reject.type = 'button';
    reject.setAttribute('aria-label', `Reject ${what}`);
    reject.addEventListener('click', () => openDecision(approval.id, 'reject'));
    actions.append(approve, reject);
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
  try {
    const response = await api(`/api/v1/approvals/${encodeURIComponent(id)}/${action}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    if (!response.ok) {
      // 409: decided elsewhere or expired; 403: four eyes; 422: the reason. Say so, in the
      // server's words, and show the approval as it now stands.
      $('decide-error').textContent = await problemText(response, 'The decision was refused.');
      if (response.status === 409) fetchApproval(id).catch(() => {});
      return;
    }
    upsertApproval(await response.json());
    deciding = null;
    $('decide-dialog').close();
  } catch (error) {
    if (error.message !== 'unauthenticated')
      $('decide-error').textContent = `Could not reach the server: ${error.message}`;
  } finally {
    $('decide-submit').disabled = false;
  }
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

function start() {
  $('sign-in').hidden = true;
  $('system-section').hidden = false;
  $('approvals-section').hidden = false;
  $('approvals-error').textContent = '';
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
