// core/tokens.js — the session's tokens: kept for this tab only (sessionStorage), renewed
// with the refresh token, forgotten at sign-out.
// SPDX-License-Identifier: GPL-3.0-or-later

const ACCESS = 'bourse.token';
const REFRESH = 'bourse.refresh';
const listeners = new Set();

export const tokens = {
  access: () => sessionStorage.getItem(ACCESS),

  // A login's (or setup's, or refresh's) answer: {access_token, refresh_token, …}.
  store(answer) {
    sessionStorage.setItem(ACCESS, answer.access_token);
    if (answer.refresh_token) sessionStorage.setItem(REFRESH, answer.refresh_token);
  },

  clear() {
    sessionStorage.removeItem(ACCESS);
    sessionStorage.removeItem(REFRESH);
  },

  // Renews the access token: true when it was.
  async refresh() {
    const refreshToken = sessionStorage.getItem(REFRESH);
    if (!refreshToken) return false;
    try {
      const response = await fetch('/api/v1/auth/refresh', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
      });
      if (!response.ok) return false;
      tokens.store(await response.json());
      return true;
    } catch (error) {
      return false;
    }
  },

  // The session is over (a refresh failed): the shell shows the sign-in form, with `message`.
  signedOut(message) {
    tokens.clear();
    for (const fn of listeners) fn(message);
  },

  onSignedOut(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
};
