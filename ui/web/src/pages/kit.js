// kit.js — small pieces the console's pages share: tables, signs of decimal strings, refusals.
// SPDX-License-Identifier: GPL-3.0-or-later

// The sign of a decimal string, read from the string itself (never through Number).
export function signOf(text) {
  if (typeof text !== 'string' || !/[1-9]/.test(text)) return 'zero';
  return text.trim().startsWith('-') ? 'negative' : 'positive';
}

// A list answer's items: {"items":[…]}, whatever else it carries.
export function itemsOf(answer) {
  return answer && Array.isArray(answer.items) ? answer.items : [];
}

// What to say of a failed request: the server's own words when it gave any.
export function refusalText(error, fallback) {
  const problem = error && error.problem;
  if (problem && (problem.detail || problem.title)) return String(problem.detail || problem.title);
  return fallback;
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
  if (signed) td.dataset.sign = signOf(text);
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
