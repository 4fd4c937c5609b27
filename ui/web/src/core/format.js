// core/format.js — numbers and times for people. The API's decimal strings are shown as they
// are, less their trailing zeros ("60000.50000000" → "60000.5"): money never becomes a JS
// number here.
// SPDX-License-Identifier: GPL-3.0-or-later

import { _, fill } from './i18n.js';

export function decimal(text) {
  if (text === null || text === undefined) return '—';
  const match = /^([-+]?\d+)\.(\d*?)0*$/.exec(String(text));
  if (!match) return String(text);
  return match[2] ? `${match[1]}.${match[2]}` : match[1];
}

export function money(text, asset) {
  const value = decimal(text);
  return asset && value !== '—' ? `${value} ${asset}` : value;
}

// An RFC 3339 time in the browser's local time.
export function time(text) {
  if (text === null || text === undefined || text === '') return '—';
  const when = new Date(text);
  return Number.isNaN(when.getTime()) ? String(text) : when.toLocaleString();
}

// A ratio as a percentage: "0.1234" → "12.34 %". Only for showing: the digits are moved in
// the string, never multiplied as a double.
export function percent(text) {
  if (text === null || text === undefined || text === '') return '—';
  const match = /^([-+]?)(\d+)(?:\.(\d*))?$/.exec(String(text));
  if (!match) return String(text);
  const [, sign, whole, fraction = ''] = match;
  const shifted = whole + fraction.padEnd(2, '0');
  const integer = shifted.slice(0, whole.length + 2).replace(/^0+(?=\d)/, '');
  const rest = shifted.slice(whole.length + 2, whole.length + 4).replace(/0+$/, '');
  return `${sign === '-' ? '-' : ''}${integer}${rest ? `.${rest}` : ''} %`;
}

// "positive", "negative" or "zero", read from the decimal string itself.
export function signOf(text) {
  const value = String(text ?? '');
  if (!/^[-+]?\d*\.?\d*$/.test(value) || /^[-+]?[0.]*$/.test(value)) return 'zero';
  return value.startsWith('-') ? 'negative' : 'positive';
}

// A duration in seconds, for people: "2 d 3 h 4 min", "5 min 06 s" (the units translated).
export function duration(seconds) {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n) => String(n).padStart(2, '0');
  /* Translators: a duration; d, h, min and s are the units of days, hours, minutes and seconds */
  if (d > 0) return fill(_('{d} d {h} h {m} min'), { d, h, m });
  if (h > 0) return fill(_('{h} h {m} min'), { h, m: two(m) });
  if (m > 0) return fill(_('{m} min {s} s'), { m, s: two(s) });
  return fill(_('{s} s'), { s });
}
