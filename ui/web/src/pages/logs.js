// pages/logs.js — the server's in-memory log, its tail followed while the page shows (docs/OPERATIONS.md).
// SPDX-License-Identifier: GPL-3.0-or-later

import markup from './logs-markup.js';
import { live } from '../core/live.js';
import { session } from '../core/session.js';
import { time } from '../core/format.js';
import { $ } from '../core/dom.js';
import { element, fillTable, listOf, whileShown } from '../core/view.js';
import { _, fill } from '../core/i18n.js';

const can = (permission) => session.can(permission);
let mounted = false;             // whether the page shows: answers that come after it left are dropped
const { fetchShown } = whileShown(() => mounted);

/* Logs */

const LOG_LEVELS = ['debug', 'info', 'message', 'warning', 'critical', 'error'];
const LOGS_PAGE = 100;
const KEPT_LOGS = 2000;        // entries the page keeps while it follows the tail

const logEntries = new Map();  // id → log entry, as the ring gave it
let logsCursor = null;         // the next older page's cursor, or null at the ring's end
let logsAsked = 0;
let logsSubscribed = false;    // whether the page follows the logs topic
let unfollow = null;           // ends that subscription
const logDomains = new Set();
let logsRenderPending = false;

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
  const answer = await fetchShown(`/api/v1/logs?${logsQuery()}`, $('logs-error'), _('Could not load the logs.'));
  if (!answer || asked !== logsAsked || !mounted) return;
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
  const answer = await fetchShown(`/api/v1/logs?${params}`, $('logs-error'), _('Could not load older entries.'));
  node.disabled = false;
  if (!answer || asked !== logsAsked || !mounted) return;
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
      if (mounted) renderLogs();
    });
  }
}

function logRow(entry) {
  const tr = element('tr');
  tr.dataset.logId = String(entry.id);
  tr.dataset.level = entry.level;
  const message = element('td', entry.message, 'message');
  if (entry.request_id) message.title = fill(_('Request {id}'), { id: entry.request_id });
  tr.append(element('td', time(entry.ts), 'time'), element('td', entry.level, 'level'),
            element('td', entry.domain, 'domain'), message);
  return tr;
}

function renderLogs() {
  const search = $('logs-search').value.trim().toLowerCase();
  const found = (e) => !search || [e.message, e.domain, e.request_id].some((t) => String(t ?? '').toLowerCase().includes(search));
  const items = [...logEntries.values()].filter(found).sort((a, b) => b.id - a.id);
  fillTable('logs', items, logRow);
  $('logs-empty').textContent = logEntries.size && !items.length ? _('No entry matches the search.') : _('No log entries.');
  $('logs-older').hidden = logsCursor === null || !can('logs.read');
}

// The tail is followed only while the Logs page shows and Follow is on: an administrator
// elsewhere is not sent every line the server writes. The socket's reconnections subscribe
// again by themselves (core/live.js); the resync then reads the newest page.
function followLogs() {
  const wanted = mounted && can('logs.read') && $('logs-live').checked;
  if (wanted === logsSubscribed) return;
  logsSubscribed = wanted;
  if (!wanted) {
    if (unfollow) unfollow();
    unfollow = null;
    if ($('logs-section')) delete $('logs-section').dataset.following;
    return;
  }
  // Once the server confirms, the tail is followed (logs-section[data-following]).
  unfollow = live.subscribe('logs', (entry) => { if (mounted) logArrived(entry); }, {
    onSubscribed: () => { if (mounted && logsSubscribed) $('logs-section').dataset.following = 'true'; },
  });
  // What was written before the subscription took: over REST.
  loadLogs().catch(() => {});
}

// The page's controls, wired once its markup is in.
function wire() {
  $('logs-filter').addEventListener('submit', (event) => event.preventDefault());
  $('logs-level').addEventListener('change', () => loadLogs().catch(() => {}));
  $('logs-domain').addEventListener('change', () => loadLogs().catch(() => {}));
  $('logs-search').addEventListener('input', renderLogs);
  $('logs-live').addEventListener('change', followLogs);
  $('logs-older').addEventListener('click', (event) => loadOlderLogs(event.currentTarget));
}

function forgetLogs() {
  logEntries.clear();
  logsCursor = null;
  logsAsked++;
  logDomains.clear();
}

export default {
  id: 'logs',
  title: _('Logs'),
  permission: 'logs.read',
  mount(root) {
    root.innerHTML = markup;
    mounted = true;
    wire();
    forgetLogs();
    followLogs();
    const off = [
      // After a reconnection or a gap (on the logs topic: the other lists did not move), the
      // newest page; at mount, following reads it itself.
      live.onResync((detail) => {
        if (!mounted || (detail.reason === 'gap' && detail.topic !== 'logs')) return null;
        if (detail.reason === 'mounted' && logsSubscribed) return null;
        return loadLogs();
      }),
    ];
    return () => {
      for (const fn of off) fn();
      mounted = false;
      followLogs();
      forgetLogs();
    };
  },
};
