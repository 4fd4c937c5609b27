// app.js — Bourse web console: signs in, then follows the engine over the REST + WebSocket API.
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const $ = (id) => document.getElementById(id);

// The access token lives for this tab only; a new tab signs in again.
let token = sessionStorage.getItem('bourse.token');
let socket = null;
let retryDelay = 500;
const lastSeq = new Map();

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
  });
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    if (message.type !== 'event') return;
    const previous = lastSeq.get(message.topic);
    // A gap in seq means we missed events: fetch the state again over REST.
    if (previous !== undefined && message.seq > previous + 1) refresh();
    lastSeq.set(message.topic, message.seq);
    if (message.topic === 'system') showStatus(message.data);
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
}

function start() {
  $('sign-in').hidden = true;
  $('system-section').hidden = false;
  $('sign-out').hidden = false;
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
