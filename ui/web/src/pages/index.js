// pages/index.js — the console's pages, in the navigation's order. The shell shows those the
// caller's permissions allow; the first of them is where a sign-in lands.
// SPDX-License-Identifier: GPL-3.0-or-later

import trading from './trading.js';
import desk from './desk.js';
import backtests from './backtests.js';
import health from './health.js';
import settings from './settings.js';
import logs from './logs.js';

export const pages = [
  trading,
  desk,
  backtests,
  health,
  settings,
  logs,
];
