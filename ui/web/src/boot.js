// boot.js — the console's entry: loads the translations, then the shell (main.js) and its
// pages, so that every string they evaluate, even as they load, is in the reader's language.
// SPDX-License-Identifier: GPL-3.0-or-later

import { load } from './core/i18n.js';

load().finally(() => import('./main.js'));
