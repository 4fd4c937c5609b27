// core/api.js — the REST client every page uses: the access token, one refresh on a 401,
// problem documents as ApiError.
// SPDX-License-Identifier: GPL-3.0-or-later

import { tokens } from './tokens.js';
import { _ } from './i18n.js';

// A refusal, in the server's words: .status, .problem (the application/problem+json
// document, or null) and .fieldErrors (field → message, from the problem's errors).
export class ApiError extends Error {
  constructor(status, problem, fallback) {
    super((problem && (problem.detail || problem.title)) || `${fallback || _('The server refused')} (HTTP ${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.fieldErrors = new Map();
    for (const e of (problem && Array.isArray(problem.errors) ? problem.errors : []))
      if (e && e.field && e.message && !this.fieldErrors.has(e.field)) this.fieldErrors.set(e.field, String(e.message));
  }
}

async function readProblem(response) {
  try {
    return await response.json();
  } catch (error) {
    return null;   // Not JSON: the status says what there is to say.
  }
}

// One refresh at a time: the requests that meet a 401 together wait for the same one.
let refreshing = null;

function refreshOnce() {
  if (!refreshing) {
    refreshing = tokens.refresh().finally(() => { refreshing = null; });
  }
  return refreshing;
}

// Every request of the session: signing out abandons those still on their way, whose answers
// (refusals, once the session is gone) nobody would read.
let session = new AbortController();

export function abortAll() {
  session.abort();
  session = new AbortController();
}

function signalFor(options) {
  const local = new AbortController();
  const abort = () => local.abort();
  session.signal.addEventListener('abort', abort, { once: true });
  if (options.signal) {
    if (options.signal.aborted) local.abort();
    else options.signal.addEventListener('abort', abort, { once: true });
  }
  return local.signal;
}

async function send(method, path, body, options = {}) {
  const signal = signalFor(options);
  const attempt = () => {
    const headers = {};
    const token = tokens.access();
    if (token) headers.Authorization = `Bearer ${token}`;
    const init = { method, headers, signal };
    if (body !== undefined) {
      headers['Content-Type'] = options.contentType || 'application/json';
      init.body = options.contentType ? body : JSON.stringify(body);
    }
    return fetch(path, init);
  };
  let response = await attempt();
  // The access token is short-lived: renew it once, then try again. When that fails the
  // session is over and the shell shows the sign-in form (tokens' onSignedOut).
  if (response.status === 401 && tokens.access()) {
    if (await refreshOnce()) response = await attempt();
    else {
      tokens.signedOut(_('Your session has ended: sign in again.'));
      throw new ApiError(401, await readProblem(response), _('Signed out'));
    }
  }
  if (options.raw) return response;
  if (!response.ok) throw new ApiError(response.status, await readProblem(response), options.fallback);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export const api = {
  get: (path, options = {}) => send('GET', path, undefined, options),
  post: (path, body, options) => send('POST', path, body, options),
  put: (path, body, options) => send('PUT', path, body, options),
  patch: (path, body, options) => send('PATCH', path, body, options),
  del: (path, options) => send('DELETE', path, undefined, options),
  // Any method, a body of any type (options.contentType), or the Response itself, refused or
  // not (options.raw).
  request: send,
};

// Every item of a cursor-paginated list, page by page.
export async function* pages(path) {
  let cursor = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const answer = await api.get(cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path);
    for (const item of (answer && Array.isArray(answer.items) ? answer.items : [])) yield item;
    cursor = answer ? answer.next_cursor : null;
  } while (cursor);
}
