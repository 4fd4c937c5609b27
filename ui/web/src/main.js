// main.js — the web console's shell: sign-in, first-run setup and sign-out; the navigation of
// the pages the caller's permissions allow (src/pages/index.js); hash routing "#/<page>/…";
// the connection badge. Every page is an API client like any other (docs/WEB.md).
// SPDX-License-Identifier: GPL-3.0-or-later

import { abortAll, api, ApiError } from './core/api.js';
import { live } from './core/live.js';
import { session } from './core/session.js';
import { tokens } from './core/tokens.js';
import * as format from './core/format.js';
import { $, h, clearFieldErrors, fieldErrors } from './core/dom.js';
import { pages } from './pages/index.js';
import { _, fill } from './core/i18n.js';
import shell from './shell-markup.js';

// boot.js loaded the translations: the shell is drawn in the reader's language.
document.body.insertAdjacentHTML('beforeend', shell);

const main = document.querySelector('main');
let current = null;        // { page, params, unmount, root }
let signedIn = false;

/* The address: "#/<page-id>/<param>…". The old fragments (#trading, #backtests/7) still work,
 * so bookmarks made before the pages do. */
function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [id = '', ...params] = hash.split('/').filter((p) => p !== '').map(decodeURIComponent);
  return { id, params };
}

function allowed(page) {
  return !page.permission || session.can(page.permission);
}

export function navigate(id, params = []) {
  location.hash = `#/${[id, ...params].map(encodeURIComponent).join('/')}`;
}

function renderNav() {
  const nav = $('views');
  const shown = signedIn ? pages.filter(allowed) : [];
  nav.replaceChildren(...shown.map((page) => h('a', {
    id: `view-${page.id}`, href: `#/${page.id}`,
    'aria-current': current && current.page === page ? 'page' : null,
  }, page.title)));
  nav.hidden = !signedIn;
  $('menu-button').hidden = !signedIn;
}

// Shows the page the address names, when the caller may see it; the first allowed one
// otherwise (the address of a page they may not see opens that one instead).
function show() {
  if (!signedIn) return;
  const { id, params } = route();
  const wanted = pages.find((p) => p.id === id && allowed(p)) || pages.find(allowed) || null;
  if (current && current.page === wanted) {
    current.params = params;
    if (wanted.update) wanted.update(params);
    renderNav();
    return;
  }
  unmount();
  if (wanted) {
    const root = h('section', { class: `page page-${wanted.id}`, 'aria-label': wanted.title });
    $('page').replaceChildren(root);
    current = { page: wanted, params, root, unmount: null };
    const ctx = { api, live, session, format, h, navigate, params };
    current.unmount = wanted.mount(root, ctx) || null;
  }
  renderNav();
  closeMenu();
}

function unmount() {
  if (!current) return;
  const { unmount: fn } = current;
  current = null;
  if (fn) fn();
  $('page').replaceChildren();
}

/* The connection badge, and main[data-sync] once the pages read their lists after the
 * socket opened (for styling and for the tests). */
live.onState((state) => {
  const badge = $('connection');
  if (!signedIn) return;
  if (state === 'connecting') { badge.dataset.state = 'connecting'; badge.textContent = _('Connecting…'); }
  if (state === 'connected' || state === 'syncing' || state === 'synced') {
    badge.dataset.state = 'connected';
    badge.textContent = _('Live');
  }
  if (state === 'reconnecting') { badge.dataset.state = 'reconnecting'; badge.textContent = _('Reconnecting…'); }
  if (state === 'syncing') main.dataset.sync = 'syncing';
  else if (state === 'synced') main.dataset.sync = 'live';
  else delete main.dataset.sync;
});

// At every (re)connection the permissions are read again: a role changed meanwhile shows.
live.onResync((detail) => (signedIn && detail.reason === 'connected' ? session.load() : null));

session.onChange(() => {
  if (session.role) main.dataset.role = session.role;
  else delete main.dataset.role;
  renderNav();
  // A page the address names may need permissions only now known, or no longer held.
  show();
});

async function start() {
  signedIn = true;
  $('sign-in').hidden = true;
  $('setup').hidden = true;
  $('sign-out').hidden = false;
  await session.load().catch(() => {});
  if (!signedIn) return;
  show();
  live.start();
}

function showSignIn(message) {
  signedIn = false;
  tokens.clear();
  unmount();
  abortAll();
  live.stop();
  session.clear();
  // Nothing of the last account stays on the page for the next one.
  delete main.dataset.role;
  delete main.dataset.sync;
  renderNav();
  $('paper-badge').hidden = true;
  $('live-badge').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message || '';
  $('connection').dataset.state = 'error';
  $('connection').textContent = _('Signed out');
  checkSetup();
}

// An empty server has no account to sign in with: say where the setup address is.
async function checkSetup() {
  try {
    const answer = await api.get('/api/v1/setup');
    $('setup-hint').hidden = !(answer && answer.needed);
  } catch (error) {
    $('setup-hint').hidden = true;   // a server without first-run setup
  }
}

tokens.onSignedOut((message) => showSignIn(message));

$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  const login = $('login').value.trim();
  const body = login.includes('@') ? { email: login } : { username: login };
  body.password = $('password').value;
  try {
    const answer = await api.post('/api/v1/auth/login', body);
    $('password').value = '';
    tokens.store(answer);
    start();
  } catch (error) {
    $('sign-in-error').textContent = error instanceof ApiError ? error.message : fill(_('Could not reach the server: {error}'), { error: error.message });
  }
});

$('sign-out').addEventListener('click', async () => {
  // The page goes first, with what it still asks: the session's end refuses all of it.
  signedIn = false;
  unmount();
  live.stop();
  abortAll();
  await api.post('/api/v1/auth/logout', {}).catch(() => {});
  showSignIn();
});

/* First run: "/setup#token=…" creates the first administrator with the one-time token
 * `boursed serve` printed, then signs in as them. The token stays out of the history. */
function setupToken() {
  if (location.pathname !== '/setup') return null;
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

function showSetup(token) {
  history.replaceState(null, '', '/');
  $('sign-in').hidden = true;
  $('setup').hidden = false;
  $('connection').dataset.state = 'error';
  $('connection').textContent = _('Not set up');
  $('setup-username').focus();
  $('setup').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = $('setup');
    clearFieldErrors(form);
    if ($('setup-password').value !== $('setup-confirm').value) {
      $('setup-confirm-error').textContent = _('The passwords differ.');
      $('setup-confirm').setAttribute('aria-invalid', 'true');
      $('setup-confirm').focus();
      return;
    }
    const body = { token, username: $('setup-username').value.trim(), password: $('setup-password').value };
    if ($('setup-email').value.trim()) body.email = $('setup-email').value.trim();
    $('setup-submit').disabled = true;
    try {
      const answer = await api.post('/api/v1/setup', body);
      tokens.store(answer);
      start();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        showSignIn(_('This server is set up already: sign in.'));
      } else if (error instanceof ApiError && error.status === 403) {
        $('setup-error').textContent = `${error.message} ${_('Use the address boursed serve printed last.')}`;
      } else {
        fieldErrors(form, error);
      }
    } finally {
      $('setup-submit').disabled = false;
    }
  });
}

/* The menu: below ~700 px the pages fold behind a button. */
function closeMenu() {
  $('menu-button').setAttribute('aria-expanded', 'false');
  document.body.classList.remove('menu-open');
}

$('menu-button').addEventListener('click', () => {
  const open = $('menu-button').getAttribute('aria-expanded') !== 'true';
  $('menu-button').setAttribute('aria-expanded', String(open));
  document.body.classList.toggle('menu-open', open);
  if (open) $('views').querySelector('a')?.focus();
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && document.body.classList.contains('menu-open')) {
    closeMenu();
    $('menu-button').focus();
  }
});

window.addEventListener('hashchange', show);

// At a phone's width tables scroll sideways (style.css): one without a control of its own
// takes the focus, so the keyboard scrolls it too. Whatever page drew it.
let tablesPending = false;
new MutationObserver(() => {
  if (tablesPending) return;
  tablesPending = true;
  requestAnimationFrame(() => {
    tablesPending = false;
    for (const table of $('page').querySelectorAll('table')) {
      if (table.querySelector('button, a[href], input, select, textarea')) table.removeAttribute('tabindex');
      else if (table.tabIndex !== 0) table.tabIndex = 0;
    }
  });
}).observe($('page'), { childList: true, subtree: true });

const firstRun = setupToken();
if (firstRun) showSetup(firstRun);
else if (tokens.access()) start();
else showSignIn();
