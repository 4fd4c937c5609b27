// pages/health.js — the components' health, followed over the alerts topic (docs/OPERATIONS.md).
// SPDX-License-Identifier: GPL-3.0-or-later

import markup from './health.html';
import { live } from '../core/live.js';
import { time } from '../core/format.js';
import { $ } from '../core/dom.js';
import { element, fetchJson, fillTable, listOf } from '../core/view.js';

let mounted = false;             // whether the page shows: answers that come after it left are dropped

// Answers that come after the page left are dropped: its elements are gone.
async function fetchShown(...args) {
  const answer = await fetchJson(...args);
  return mounted ? answer : null;
}

/* Health */

const HEALTH_ORDER = { ok: 0, degraded: 1, down: 2 };
const health = new Map();      // component → { component, status, reason, since }

async function loadHealth() {
  const answer = await fetchShown('/api/v1/health/components', $('health-error'),
                                 'Could not load the components’ health.');
  if (!answer || !mounted) return;
  const listed = new Map(listOf(answer).map((item) => [item.component, item]));
  for (const [component, known] of health) {
    const item = listed.get(component);
    // A transition the alerts topic brought after the list was read is not undone by it.
    if (item && Date.parse(known.since) > Date.parse(item.since)) listed.set(component, known);
  }
  health.clear();
  for (const [component, item] of listed) health.set(component, item);
  renderHealth();
}

function componentChanged(alert) {
  if (typeof alert.component !== 'string') return;
  health.set(alert.component,
             { component: alert.component, status: alert.status, reason: alert.reason ?? null, since: alert.since });
  renderHealth();
}

function healthRow(item) {
  const tr = element('tr');
  tr.dataset.component = item.component;
  tr.dataset.status = item.status;
  tr.append(element('td', item.component, 'component'), element('td', item.status, 'status'),
            element('td', item.reason ?? '—', 'reason'), element('td', time(item.since), 'since'));
  return tr;
}

function renderHealth() {
  const items = [...health.values()].sort((a, b) => a.component.localeCompare(b.component));
  fillTable('health', items, healthRow);
  // The worst of the components, as the server sums them up.
  const worst = items.reduce((w, item) => ((HEALTH_ORDER[item.status] ?? 0) > (HEALTH_ORDER[w] ?? 0) ? item.status : w),
                             items.length ? 'ok' : '');
  $('health-status').textContent = worst;
  $('health-status').dataset.status = worst;
}


function alertArrived(alert) {
  if (mounted && alert.type === 'component') componentChanged(alert);
}

export default {
  id: 'health',
  title: 'Health',
  permission: 'system.read',
  mount(root) {
    root.innerHTML = markup;
    mounted = true;
    const off = [
      live.subscribe('alerts', alertArrived),
      live.onResync(() => (mounted ? loadHealth() : null)),
    ];
    renderHealth();
    return () => {
      for (const fn of off) fn();
      mounted = false;
      health.clear();
    };
  },
};
