// core/live.js — the one WebSocket to /api/v1/ws that every page shares. Pages subscribe to
// topics while they show; each topic is its own subscription, so one the server refuses (a
// permission the caller lacks) fails alone. After every (re)connection, and when a topic's
// seq skips, the resync handlers run: what happened meanwhile is read again over REST.
// SPDX-License-Identifier: GPL-3.0-or-later

import { tokens } from './tokens.js';

const handlers = new Map();       // topic → Set of handler(data, envelope)
const acknowledged = new Map();   // topic → Set of onSubscribed()
const resyncs = new Set();
const stateListeners = new Set();
const lastSeq = new Map();
let socket = null;
let open = false;
let retryDelay = 500;
let retryTimer = null;
let syncing = 0;                  // resyncs running: the page is in step when none is
let connection = 0;               // counts the sockets: a resync started on an older one is not counted

function setState(state) {
  for (const fn of stateListeners) fn(state);
}

// A socket the server is closing (a sign-out ends it first) takes nothing more.
function send(message) {
  if (open && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

// Runs `fn` (one resync handler, or all of them); the state says "synced" once every one
// started while connected has settled.
function resync(fns, detail) {
  const tracked = open ? connection : null;
  if (tracked !== null) {
    syncing++;
    setState('syncing');
  }
  const runs = [...fns].map((fn) => Promise.resolve().then(() => fn(detail)).catch(() => {}));
  Promise.all(runs).then(() => {
    // One that outlived its socket was forgotten when that closed: counting it down here
    // would leave the next socket's count above zero for good, never "synced".
    if (tracked !== connection) return;
    syncing--;
    if (open && syncing === 0) setState('synced');
  });
}

function connect() {
  const token = tokens.access();
  if (!token || socket) return;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${scheme}//${location.host}/api/v1/ws?token=${encodeURIComponent(token)}`);
  socket = ws;
  setState('connecting');

  ws.addEventListener('open', () => {
    if (socket !== ws) return;
    open = true;
    retryDelay = 500;
    lastSeq.clear();
    setState('connected');
    for (const topic of handlers.keys()) send({ type: 'subscribe', topics: [topic] });
    resync(resyncs, { reason: 'connected' });
  });
  ws.addEventListener('message', (event) => {
    if (socket !== ws) return;
    const message = JSON.parse(event.data);
    if (message.type === 'subscribed' && Array.isArray(message.topics)) {
      for (const topic of message.topics) for (const fn of acknowledged.get(topic) || []) fn();
      return;
    }
    if (message.type !== 'event') return;
    const previous = lastSeq.get(message.topic);
    lastSeq.set(message.topic, message.seq);
    // A gap in seq means events were missed: the pages read what they show again.
    if (previous !== undefined && message.seq > previous + 1)
      resync(resyncs, { reason: 'gap', topic: message.topic });
    if (message.data === undefined || message.data === null) return;
    for (const fn of [...(handlers.get(message.topic) || [])]) fn(message.data, message);
  });
  ws.addEventListener('close', () => {
    if (socket !== ws) return;
    socket = null;
    open = false;
    syncing = 0;
    connection++;
    if (!tokens.access()) {
      setState('closed');
      return;
    }
    setState('reconnecting');
    retryTimer = setTimeout(() => { retryTimer = null; connect(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 10000);
  });
}

export const live = {
  // handler(data, envelope) for each event of `topic`; options.onSubscribed() when the server
  // confirms the subscription. Returns the function that unsubscribes.
  subscribe(topic, handler, options = {}) {
    if (!handlers.has(topic)) {
      handlers.set(topic, new Set());
      send({ type: 'subscribe', topics: [topic] });
    }
    handlers.get(topic).add(handler);
    if (options.onSubscribed) {
      if (!acknowledged.has(topic)) acknowledged.set(topic, new Set());
      acknowledged.get(topic).add(options.onSubscribed);
    }
    return () => {
      const set = handlers.get(topic);
      if (!set || !set.delete(handler)) return;
      if (options.onSubscribed) acknowledged.get(topic)?.delete(options.onSubscribed);
      if (set.size === 0) {
        handlers.delete(topic);
        lastSeq.delete(topic);
        send({ type: 'unsubscribe', topics: [topic] });
      }
    };
  },

  // handler({reason, topic?}) after each (re)connection and each seq gap; it also runs once
  // at once, so a page mounted later reads its lists as it subscribes. May return a promise:
  // the connection is "synced" when all have settled.
  onResync(handler) {
    resyncs.add(handler);
    resync([handler], { reason: 'mounted' });
    return () => resyncs.delete(handler);
  },

  // fn(state): 'connecting', 'connected', 'syncing', 'synced', 'reconnecting', 'closed'.
  onState(fn) {
    stateListeners.add(fn);
    return () => stateListeners.delete(fn);
  },

  isOpen: () => open,
  start: connect,

  stop() {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    const ws = socket;
    socket = null;
    open = false;
    syncing = 0;
    connection++;
    lastSeq.clear();
    if (ws) ws.close();
    setState('closed');
  },
};
