// pages/index.js — the console's pages, in the navigation's order. The shell shows those the
// caller's permissions allow; the first of them is where a sign-in lands.
// SPDX-License-Identifier: GPL-3.0-or-later

import dashboard from './dashboard.js';
import markets from './markets.js';
import trading from './trading.js';
import strategies from './strategies.js';
import calendar from './calendar.js';
import desk from './desk.js';
import backtests from './backtests.js';
import health from './health.js';
import settings from './settings.js';
import logs from './logs.js';
import users from './users.js';
import audit from './audit.js';

export const pages = [
  dashboard,
  markets,
  trading,
  strategies,
  calendar,
  desk,
  backtests,
  health,
  settings,
  logs,
  users,
  audit,
];
