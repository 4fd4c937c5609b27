// users.js — administrators' list of accounts with their status: approve a pending sign-up,
// change a role, disable and enable again. Sign-ups arrive on `alerts` (`user.pending`).
// SPDX-License-Identifier: GPL-3.0-or-later
import { pages } from '../core/api.js';
import { refusalText, fillRows, scrollingTable } from './kit.js';
import { _, fill } from '../core/i18n.js';
import { label } from '../core/labels.js';

const ROLES = ['viewer', 'trader', 'admin'];
const STATUSES = ['', 'pending', 'active', 'disabled'];

function mount(root, ctx) {
  const { api, live, session, format, h } = ctx;
  const writable = session.can('users.write');
  let users = [];
  let gone = false;

  root.classList.add('page-users');
  const error = h('p', { class: 'error', role: 'status', id: 'users-error' });
  const filter = h('select', { id: 'users-status' },
    ...STATUSES.map((s) => h('option', { value: s }, s === '' ? _('All') : label('user-status', s))));
  const rows = h('tbody');
  root.append(
    h('div', { class: 'heading-row' }, h('h2', null, _('Users')),
      h('label', { class: 'inline', for: 'users-status' }, _('Status'), ' ', filter)),
    error,
    // What to act on first, for a phone's width: the rest scrolls sideways.
    scrollingTable(h, { id: 'users-list', label: _('Accounts'), body: rows,
                        columns: [_('User'), _('Status'), _('Role'), _('Actions'), 'E-mail', _('Sign-in'), _('Created'), _('Last sign-in')] }));

  const me = () => (session.user && typeof session.user.id === 'number' ? session.user.id : null);

  async function act(button, request, fallback) {
    error.textContent = '';
    button.disabled = true;
    try {
      const changed = await request();
      if (gone) return;
      if (changed && typeof changed.id === 'number') {
        users = users.map((u) => (u.id === changed.id ? changed : u));
        render();
        // The row was drawn anew: keep the keyboard where it was.
        const again = rows.querySelector(`tr[data-user-id="${changed.id}"] [data-action="${button.dataset.action}"]`);
        (again || rows.querySelector(`tr[data-user-id="${changed.id}"] button`) || filter).focus();
      } else {
        await load();
      }
    } catch (err) {
      if (gone) return;
      error.textContent = refusalText(err, fallback);
      button.disabled = false;
    }
  }

  function actions(user) {
    const td = h('td', { class: 'actions-cell' });
    if (!writable || user.id === me()) return td;
    if (user.status === 'pending') {
      const approve = h('button', { type: 'button', 'data-action': 'approve', 'aria-label': fill(_('Approve {user}'), { user: user.username }) }, _('Approve'));
      approve.addEventListener('click', () => act(approve, () => api.post(`/api/v1/users/${user.id}/approve`, {}),
                                                  _('The account was not approved.')));
      td.append(approve, ' ');
    }
    const role = h('select', { 'data-action': 'role', 'aria-label': fill(_('Role of {user}'), { user: user.username }) },
      ...ROLES.map((r) => h('option', { value: r }, label('role', r))));
    role.value = user.role;
    role.addEventListener('change', () => act(role, () => api.patch(`/api/v1/users/${user.id}`, { role: role.value }),
                                              _('The role was not changed.')));
    td.append(role, ' ');
    if (user.status === 'active') {
      const disable = h('button', { type: 'button', class: 'destructive', 'data-action': 'status',
                                    'aria-label': fill(_('Disable {user}'), { user: user.username }) }, _('Disable'));
      disable.addEventListener('click', () => act(disable, () => api.patch(`/api/v1/users/${user.id}`, { status: 'disabled' }),
                                                  _('The account was not disabled.')));
      td.append(disable);
    } else if (user.status === 'disabled') {
      const enable = h('button', { type: 'button', 'data-action': 'status', 'aria-label': fill(_('Enable {user}'), { user: user.username }) }, _('Enable'));
      enable.addEventListener('click', () => act(enable, () => api.patch(`/api/v1/users/${user.id}`, { status: 'active' }),
                                                 _('The account was not enabled.')));
      td.append(enable);
    }
    return td;
  }

  function render() {
    const wanted = filter.value;
    const shown = users.filter((u) => !wanted || u.status === wanted);
    fillRows(h, rows, 8, shown, (user) => h('tr', { 'data-user-id': String(user.id), 'data-status': String(user.status) },
      h('td', { class: 'username' }, String(user.username)),
      h('td', { class: 'status' }, label('user-status', user.status)),
      h('td', { class: 'role', 'data-role': String(user.role) }, label('role', user.role)),
      actions(user),
      h('td', null, user.email == null ? '—' : String(user.email)),
      h('td', null, label('auth-source', user.auth_source || 'local')),
      h('td', null, user.created_at ? format.time(user.created_at) : '—'),
      h('td', null, user.last_login_at ? format.time(user.last_login_at) : '—')), _('No account'));
  }

  async function load() {
    try {
      const list = [];
      // Pending accounts come first; every page, so none is missed.
      for await (const item of pages('/api/v1/users')) list.push(item);
      if (gone) return;
      users = list;
      render();
    } catch (err) {
      if (!gone) error.textContent = refusalText(err, _('Could not load the accounts.'));
    }
  }

  filter.addEventListener('change', render);
  const stops = [
    // A sign-up (or another administrator's change) is told on alerts: read the list again.
    live.subscribe('alerts', (alert) => {
      if (alert && typeof alert.kind === 'string' && alert.kind.startsWith('user.')) load();
    }),
  ];
  stops.push(live.onResync(load));

  return () => {
    gone = true;
    for (const stop of stops) stop();
  };
}

export default { id: 'users', title: _('Users'), permission: 'users.read', mount };
