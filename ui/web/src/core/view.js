// core/view.js — what the pages share to show records and refusals: tables kept in step
// with their records, refusals in the server's words, the people named.
// SPDX-License-Identifier: GPL-3.0-or-later

import { api, ApiError } from './api.js';
import { session } from './session.js';
import { decimal, signOf } from './format.js';
import { $ } from './dom.js';
import { _, fill } from './i18n.js';

// A problem's text, in the server's words. A 422 names the fields it refused, and each is said
// with its message; other refusals say their detail, and messages that add to it.
export function problemText(problem, status, fallback) {
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

export function problemErrors(problem) {
  return (problem && Array.isArray(problem.errors) ? problem.errors : []).filter((e) => e && e.message);
}

function said(error, errorNode, fallback) {
  if (error instanceof ApiError) {
    // A session that ended is the sign-in form's to say.
    if (error.status !== 401) errorNode.textContent = problemText(error.problem, error.status, fallback);
  } else if (error.name !== 'AbortError') {
    errorNode.textContent = fill(_('Could not reach the server: {error}'), { error: error.message });
  }
}

// GETs `path`: its JSON, or null after showing the server's refusal in `errorNode`.
export async function fetchJson(path, errorNode, fallback) {
  try {
    const answer = await api.get(path, { fallback });
    errorNode.textContent = '';
    return answer;
  } catch (error) {
    said(error, errorNode, fallback);
    return null;
  }
}

// Sends an action. Resolves with { ok, status, data, problem }; a refusal is shown in
// `errorNode`, in the server's words. The body is JSON, or text as it is with a `contentType`.
export async function act(method, path, body, errorNode, fallback, contentType) {
  errorNode.textContent = '';
  try {
    const data = await api.request(method, path, body, { contentType, fallback });
    return { ok: true, status: 200, data };
  } catch (error) {
    said(error, errorNode, fallback);
    return error instanceof ApiError
      ? { ok: false, status: error.status, data: null, problem: error.problem }
      : { ok: false, status: 0, data: null };
  }
}

export function listOf(answer) {
  if (Array.isArray(answer)) return answer;
  return answer && Array.isArray(answer.items) ? answer.items : [];
}

export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

export function decimalCell(text, className) {
  return element('td', decimal(text), `number ${className}`);
}

// A profit or a loss, coloured by its sign.
export function pnlCell(text, className) {
  const node = decimalCell(text, className);
  node.dataset.sign = signOf(text);
  return node;
}

export function button(label, ariaLabel, className, onClick) {
  const node = element('button', label, className);
  node.type = 'button';
  if (ariaLabel) node.setAttribute('aria-label', ariaLabel);
  node.addEventListener('click', onClick);
  return node;
}

// Who did something: the name the server gave, "You", or the account's number.
export function userName(id, name) {
  if (name) return name;
  if (id === null || id === undefined) return '—';
  // The trading state's set_by: "user:<id>", or "system" for a protection.
  const user = typeof id === 'string' ? /^user:(\d+)$/.exec(id) : null;
  if (user) id = Number(user[1]);
  else if (typeof id === 'string') return id === 'system' ? _('System') : id;
  if (session.user && session.user.id === id) return _('You');
  return fill(_('User #{id}'), { id });
}

// Fills the table's body with a row per item, or shows its "empty" note instead.
// A row whose record (and the caller's rights) did not change is kept as it is, so a
// button under the pointer stays put while other rows come and go: a table rebuilt at every
// event would pull the Cancel button from under a click.
export function fillTable(id, items, row) {
  const table = $(id);
  if (!table) return;
  const body = table.tBodies[0];
  const context = session.signature();
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
  table.hidden = items.length === 0;
  const empty = $(`${id}-empty`);
  if (empty) empty.hidden = items.length > 0;
}

// Forgets all but the `count` newest records of `map` (id → record) that `done` says may go,
// so that a page left open for days holds what it shows and no more.
export function keepNewest(map, count, done = () => true) {
  const finished = [...map.values()].filter(done).sort((a, b) => b.id - a.id);
  for (const record of finished.slice(count)) map.delete(record.id);
}

// Keeps the newer of two versions of a record, by updated_at when both have one.
export function newer(known, incoming) {
  if (!known || !known.updated_at || !incoming.updated_at) return incoming;
  return Date.parse(known.updated_at) > Date.parse(incoming.updated_at) ? known : incoming;
}

// An application/problem+json answer, parsed, or null when it is not JSON.
export async function readProblem(response) {
  try {
    return await response.json();
  } catch (error) {
    return null;   // Not JSON: the status says what there is to say.
  }
}

// A GET whose refusal the caller reads itself: the Response, whatever its status.
export function getResponse(path) {
  return api.request('GET', path, undefined, { raw: true });
}

// A text as a fragment of an element id.
export function safeId(text) {
  return String(text).replace(/[^A-Za-z0-9_-]/g, '_');
}

// For a page whose elements go when it unmounts: fetchJson and act whose answers are dropped,
// and topic handlers that are not called, once `shown()` says the page left.
export function whileShown(shown) {
  return {
    fetchShown: async (...args) => {
      const answer = await fetchJson(...args);
      return shown() ? answer : null;
    },
    actShown: async (...args) => {
      const answer = await act(...args);
      return shown() ? answer : { ok: false, status: 0, data: null };
    },
    ifShown: (fn) => (data, envelope) => { if (shown()) fn(data, envelope); },
  };
}
