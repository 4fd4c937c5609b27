// kit.js — small pieces the console's pages share: tables, signs of decimal strings, refusals.
// SPDX-License-Identifier: GPL-3.0-or-later

import { problemText } from '../core/view.js';
import { _, fill } from '../core/i18n.js';

// What to say of a failed request: the server's own words (a 422 with each field it names),
// or that the server could not be reached.
export function refusalText(error, fallback) {
  if (error && error.status) return problemText(error.problem, error.status, fallback);
  return error && error.message ? fill(_('Could not reach the server: {error}'), { error: error.message }) : fallback;
}

// A strategy's parameters from the fields of `container` (inputs with data-param and
// data-type) as JSON wants them: a number when it is one; what is not goes as typed, for
// the strategy to refuse by name; an empty one is left to its default.
export function paramsOf(container) {
  const params = {};
  for (const input of container.querySelectorAll('input[data-param]')) {
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

// A table with its column headers (a name starting with '#' is numeric, right-aligned) and
// `body` (a <tbody> the page fills), in a region that scrolls sideways on a narrow screen —
// focusable and named, so that a keyboard can scroll it too.
export function scrollingTable(h, { id, label, columns, body }) {
  const head = h('tr', null, ...columns.map((c) => h('th', {
    scope: 'col', class: c.startsWith('#') ? 'number' : null,
  }, c.replace(/^#/, ''))));
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': label },
           h('table', { id }, h('thead', null, head), body));
}

// Fills `body` with a row per item of `rows` (`cells(row)` makes each); an empty list says
// `empty` in a single row, so that a table is never silently blank.
export function fillRows(h, body, width, rows, cells, empty) {
  body.replaceChildren();
  for (const row of rows) {
    body.append(cells(row));
  }
  if (rows.length === 0) body.append(h('tr', null, h('td', { colspan: String(width), class: 'empty' }, empty)));
}

// A cell with a decimal string, trimmed, its sign on the cell for colour.
export function decimalCell(h, format, text, signed) {
  const td = h('td', { class: 'number' }, text === null || text === undefined ? '—' : format.decimal(text));
  if (signed) td.dataset.sign = format.signOf(text);
  return td;
}

// The span of an interval in milliseconds (a month and a week counted long enough to page by).
export function intervalMs(interval) {
  const match = /^(\d+)([mhdwM])$/.exec(interval || '');
  if (!match) return 60000;
  const unit = { m: 60000, h: 3600000, d: 86400000, w: 7 * 86400000, M: 31 * 86400000 }[match[2]];
  return Number(match[1]) * unit;
}

// A time of the API as milliseconds since the epoch: RFC 3339 or (as candles were) a number.
export function timeMs(value) {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Date.parse(value);
  return NaN;
}

export const INTERVALS = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'];

/* The components' health (GET /health/components and the alerts topic), for the Health page
 * and the Dashboard. */

const HEALTH_ORDER = { ok: 0, degraded: 1, down: 2 };

// Takes a list read over REST into `health` (component → item): a transition the alerts
// topic brought after the list was read is not undone by it.
export function mergeHealth(health, items) {
  const listed = new Map(items.map((item) => [item.component, item]));
  for (const [component, known] of health) {
    const item = listed.get(component);
    if (item && Date.parse(known.since) > Date.parse(item.since)) listed.set(component, known);
  }
  health.clear();
  for (const [component, item] of listed) health.set(component, item);
}

// An alert's component transition into `health`; false when the alert is not one.
export function healthAlert(health, alert) {
  if (!alert || typeof alert.component !== 'string') return false;
  health.set(alert.component,
             { component: alert.component, status: alert.status, reason: alert.reason ?? null, since: alert.since });
  return true;
}

// The components by name, and the worst of their statuses as the server sums them up ('' for none).
export function healthSummary(health) {
  const items = [...health.values()].sort((a, b) => String(a.component).localeCompare(String(b.component)));
  const worst = items.reduce((w, item) => ((HEALTH_ORDER[item.status] ?? 0) > (HEALTH_ORDER[w] ?? 0) ? item.status : w),
                             items.length ? 'ok' : '');
  return { items, worst };
}
