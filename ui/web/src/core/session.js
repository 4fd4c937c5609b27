// core/session.js — who is signed in and what the server's permission matrix lets them do
// (GET /api/v1/permissions): pages show actions from it, never from role names; the server
// checks every action again anyway.
// SPDX-License-Identifier: GPL-3.0-or-later

import { api } from './api.js';

const listeners = new Set();
let permissions = new Set();

export const session = {
  user: null,          // GET /api/v1/users/me
  role: '',            // for styling and the tests only: main[data-role]
  can: (permission) => permissions.has(permission),

  onChange(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },

  // Reads both again (after sign-in and at every reconnection); tells the listeners when
  // anything changed.
  async load() {
    const [user, answer] = await Promise.all([
      api.get('/api/v1/users/me').catch(() => session.user),
      api.get('/api/v1/permissions').catch(() => null),
    ]);
    const next = new Set(answer && Array.isArray(answer.permissions) ? answer.permissions : []);
    const changed = JSON.stringify(user) !== JSON.stringify(session.user) ||
      (answer && answer.role !== session.role) ||
      next.size !== permissions.size || [...next].some((p) => !permissions.has(p));
    session.user = user;
    if (answer) {
      permissions = next;
      session.role = answer.role || '';
    }
    if (changed) for (const fn of listeners) fn();
  },

  clear() {
    session.user = null;
    session.role = '';
    permissions = new Set();
    for (const fn of listeners) fn();
  },

  // A fingerprint of who and what they may do: a row drawn for another one is drawn again.
  signature: () => `${session.user ? session.user.id : ''}|${[...permissions].sort().join(',')}`,
};
