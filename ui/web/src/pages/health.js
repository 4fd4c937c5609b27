// pages/health.js — the components' health, followed over the alerts topic (docs/OPERATIONS.md).
// SPDX-License-Identifier: GPL-3.0-or-later

import markup from './health-markup.js';
import { live } from '../core/live.js';
import { time } from '../core/format.js';
import { $ } from '../core/dom.js';
import { element, fillTable, listOf, whileShown } from '../core/view.js';
import { mergeHealth, healthAlert, healthSummary } from './kit.js';
import { _ } from '../core/i18n.js';
import { label } from '../core/labels.js';

let mounted = false;             // whether the page shows: answers that come after it left are dropped
const { fetchShown } = whileShown(() => mounted);

/* Health */

const health = new Map();      // component → { component, status, reason, since }

async function loadHealth() {
  const answer = await fetchShown('/api/v1/health/components', $('health-error'),
                                 _('Could not load the components’ health.'));
  if (!answer || !mounted) return;
  mergeHealth(health, listOf(answer));
  renderHealth();
}

function componentChanged(alert) {
  if (healthAlert(health, alert)) renderHealth();
}

function healthRow(item) {
  const tr = element('tr');
  tr.dataset.component = item.component;
  tr.dataset.status = item.status;
  tr.append(element('td', item.component, 'component'), element('td', label('health', item.status), 'status'),
            element('td', item.reason ?? '—', 'reason'), element('td', time(item.since), 'since'));
  return tr;
}

function renderHealth() {
  const { items, worst } = healthSummary(health);
  fillTable('health', items, healthRow);
  $('health-status').textContent = worst ? label('health', worst) : '';
  $('health-status').dataset.status = worst;
}


function alertArrived(alert) {
  if (mounted && alert.type === 'component') componentChanged(alert);
}

export default {
  id: 'health',
  title: _('Health'),
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
